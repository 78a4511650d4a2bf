/* The store commands of cli.md: export, diff, show, scans (their work is in results/). */
#include "scanner/commands.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "results/results.h"
#include "scanner/input.h"
#include "text/text.h"

/* The options of the store commands. Each command takes its own set (cli.md: "every command
 * rejects options that are not its own"); the table knows them all so that an option of another
 * command is named as such. */
enum {
    ARG_DB = 1 << 0,
    ARG_SCAN = 1 << 1,
    ARG_FORMAT = 1 << 2,
    ARG_OUTPUT = 1 << 3,
    ARG_FAIL_ON_REGRESSION = 1 << 4,
    ARG_ALL = 1 << 5,
    ARG_DIFF_AGAINST = 1 << 6,
    ARG_FORCE = 1 << 7,
    ARG_STATUS = 1 << 8,
    ARG_HISTORY = 1 << 9,
    ARG_STABLE = 1 << 10, /* ds-actions only (ds_actions.c): named here to be refused by name */
    ARG_GRAPH = 1 << 11,
};

typedef struct store_args {
    const char *db;
    const char *scan;
    const char *format;
    const char *output;
    bool fail_on_regression;
    bool all;
    bool force;
    const char *diff_against;
    const char *status;
    const char *history;
    const char *graph;
    int positional_start;
} store_args_t;

#define STORE_ARG(name) offsetof(store_args_t, name)

/* Each option: its long name and getopt value, its bit, how messages write it, whose it is, and
 * the field of store_args_t it sets: the value (a const char *) or, without an argument, true (a
 * bool). --stable has no field: it is refused by name (ds-actions parses its own). */
static const struct {
    const char *long_name;
    int has_arg;
    int val;
    unsigned bit;
    const char *name;
    const char *owners;
    size_t field;
} store_options[] = {
    {"db", required_argument, 'd', ARG_DB, "-d/--db", "every command", STORE_ARG(db)},
    {"scan", required_argument, 's', ARG_SCAN, "--scan",
     "scan, export, report, show and ds-actions", STORE_ARG(scan)},
    {"format", required_argument, 'f', ARG_FORMAT, "--format", "export, diff and ds-actions",
     STORE_ARG(format)},
    {"output", required_argument, 'o', ARG_OUTPUT, "-o/--output",
     "scan, export, diff, report and ds-actions", STORE_ARG(output)},
    {"fail-on-regression", no_argument, 'r', ARG_FAIL_ON_REGRESSION, "--fail-on-regression", "diff",
     STORE_ARG(fail_on_regression)},
    {"all", no_argument, 'a', ARG_ALL, "--all", "diff", STORE_ARG(all)},
    {"diff-against", required_argument, 'D', ARG_DIFF_AGAINST, "--diff-against", "report",
     STORE_ARG(diff_against)},
    {"force", no_argument, 'F', ARG_FORCE, "--force", "diff", STORE_ARG(force)},
    {"status", required_argument, 'S', ARG_STATUS, "--status", "export", STORE_ARG(status)},
    {"history", required_argument, 'H', ARG_HISTORY, "--history", "report", STORE_ARG(history)},
    {"stable", required_argument, 'N', ARG_STABLE, "--stable", "ds-actions", 0},
    {"graph", required_argument, 'G', ARG_GRAPH, "--graph", "show", STORE_ARG(graph)},
};

enum { N_STORE_OPTIONS = sizeof store_options / sizeof store_options[0] };

/* Applies option c when this command (allowed: its ARG_*) takes it: 0. A known option that is
 * not one of this command's is a usage error naming both: 2, said on stderr. -1 when c is not in
 * the table. */
static int store_option(const char *cmd, int c, unsigned allowed, const char *usage,
                        store_args_t *a)
{
    for (size_t i = 0; i < N_STORE_OPTIONS; i++) {
        if (store_options[i].val != c)
            continue;
        if (!(allowed & store_options[i].bit)) {
            fprintf(stderr, "dnssweep %s: %s is not an option of %s (it is one of %s)\n%s", cmd,
                    store_options[i].name, cmd, store_options[i].owners, usage);
            return 2;
        }
        char *field = (char *)a + store_options[i].field;
        if (store_options[i].has_arg == no_argument)
            *(bool *)field = true;
        else
            *(const char **)field = optarg;
        return 0;
    }
    return -1;
}

/* Returns 0, 1 (help printed) or 2 (usage error). allowed: the ARG_* of the command. */
static int parse_store_args(int argc, char **argv, const char *usage, unsigned allowed,
                            store_args_t *a)
{
    memset(a, 0, sizeof *a);
    a->db = "./dnssweep.db";
    optind = 1;
    opterr = 0;
    int c, rc;
    struct option long_options[N_STORE_OPTIONS + 2]; /* then --help and the zero end */
    for (size_t i = 0; i < N_STORE_OPTIONS; i++)
        long_options[i] = (struct option){store_options[i].long_name, store_options[i].has_arg,
                                          NULL, store_options[i].val};
    long_options[N_STORE_OPTIONS] = (struct option){"help", no_argument, NULL, 'h'};
    long_options[N_STORE_OPTIONS + 1] = (struct option){0};
    while ((c = getopt_long(argc, argv, ":d:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return 1;
        case ':':
            fprintf(stderr, "dnssweep %s: option %s needs a value\n", argv[0], argv[optind - 1]);
            return 2;
        default:
            rc = store_option(argv[0], c, allowed, usage, a);
            if (rc < 0)
                fprintf(stderr, "dnssweep %s: unknown option '%s' (not an option of %s)\n%s",
                        argv[0], argv[optind - 1], argv[0], usage);
            if (rc != 0)
                return 2;
            break;
        }
    }
    a->positional_start = optind;
    return 0;
}

static int open_store(const char *db, results_store_t **store)
{
    int rc = results_open(db, RESULTS_READONLY, store);
    if (rc != 0) {
        fprintf(stderr, "dnssweep: cannot open the results store %s: %s%s%s\n", db,
                results_strerror(rc), errno ? ": " : "", errno ? strerror(errno) : "");
        return 1;
    }
    return 0;
}

static FILE *open_output(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "dnssweep: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

/* Exit status of a process that SIGPIPE ended, which is what `dnssweep export | head` would
 * have given without main() ignoring SIGPIPE. */
enum { EXIT_READER_GONE = 128 + 13 };

/* True when stdout is a pipe or socket whose reader has gone (`| head` read enough): a write
 * error then is the reader's choice, not a failure worth a message. Asked of the descriptor
 * rather than errno, which the clean-up after the failed write may have changed. */
static bool stdout_reader_gone(void)
{
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

static int close_output(FILE *f, const char *path)
{
    if (ferror(f)) { /* fail_writing() has said why */
        if (f != stdout)
            fclose(f);
        return f == stdout && stdout_reader_gone() ? EXIT_READER_GONE : 1;
    }
    if (f == stdout) {
        if (fflush(stdout) == 0)
            return 0;
        if (stdout_reader_gone())
            return EXIT_READER_GONE;
        fprintf(stderr, "dnssweep: writing to standard output failed: %s\n", strerror(errno));
        return 1;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "dnssweep: writing %s failed: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static int fail(const char *what, int rc)
{
    if (rc == RESULTS_EIO && stdout_reader_gone())
        return EXIT_READER_GONE;
    fprintf(stderr, "dnssweep %s: %s\n", what, results_strerror(rc));
    return rc == RESULTS_ENOTFOUND ? 2 : 1;
}

/* fail() for a command that writes OUT: when the write failed rather than the store, says so
 * (and names the file) instead of blaming the disk under the store. */
static int fail_writing(const char *what, int rc, FILE *out, const char *path)
{
    if (rc == RESULTS_EIO && ferror(out)) {
        if (out == stdout && stdout_reader_gone())
            return EXIT_READER_GONE;
        int err = errno ? errno : EIO;
        fprintf(stderr, "dnssweep %s: writing %s failed: %s\n", what,
                out == stdout ? "to standard output" : path, strerror(err));
        return 1;
    }
    return fail(what, rc);
}

/* Ends a command that wrote OUT after its work returned rc: says what failed, closes OUT and
 * gives the exit code (a failed close wins over the work's code). */
static int finish_output(const char *what, int rc, FILE *out, const char *path)
{
    int exit_code = rc ? fail_writing(what, rc, out, path) : 0;
    int close_rc = close_output(out, path);
    return close_rc ? close_rc : exit_code;
}

/* Opens OUTPUT for a command that has opened STORE: 1 (said on stderr, STORE closed) when it
 * cannot. */
static int open_output_for(results_store_t *store, const char *path, FILE **out)
{
    *out = open_output(path);
    if (*out)
        return 0;
    results_close(store);
    return 1;
}

int scanner_open_store_output(const char *db, const char *path, results_store_t **store, FILE **out)
{
    if (open_store(db, store))
        return 1;
    return open_output_for(*store, path, out);
}

/* finish_output(), then closes STORE. */
static int finish_store_output(const char *what, int rc, results_store_t *store, FILE *out,
                               const char *path)
{
    int exit_code = finish_output(what, rc, out, path);
    results_close(store);
    return exit_code;
}

static const char export_usage[] =
    "usage: dnssweep export [--db DIR] [--scan NAME] [--format jsonl|csv|table] [-o FILE]\n"
    "                       [--status S[,S...]]\n"
    "Write every domain of a scan (default: the latest) as JSON lines, CSV, or a text table;\n"
    "--status keeps only the domains with one of the statuses given (secure, insecure, bogus,\n"
    "indeterminate, lame, nxdomain).\n";

/* "bogus,lame" -> a RESULTS_STATUS_BIT mask. An unknown or empty name is a usage error. */
static int parse_status_list(const char *list, unsigned *mask)
{
    *mask = 0;
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        char name[32];
        verify_status_t status;
        if (n == 0 || n >= sizeof name) {
            fprintf(stderr, "dnssweep export: --status '%s': empty or overlong status name\n%s",
                    list, export_usage);
            return -1;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        if (verify_status_from_name(name, &status) != 0) {
            fprintf(stderr,
                    "dnssweep export: --status: unknown status '%s' (secure, insecure, bogus, "
                    "indeterminate, lame or nxdomain)\n",
                    name);
            return -1;
        }
        *mask |= RESULTS_STATUS_BIT(status);
        if (p[n] == '\0')
            return 0;
        p += n + 1;
    }
}

int scanner_command_export(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(argc, argv, export_usage,
                              ARG_DB | ARG_SCAN | ARG_FORMAT | ARG_OUTPUT | ARG_STATUS, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    if (a.positional_start < argc) {
        fprintf(stderr, "dnssweep export: unexpected argument '%s'\n", argv[a.positional_start]);
        return 2;
    }
    const char *format = a.format ? a.format : "jsonl";
    if (strcmp(format, "jsonl") && strcmp(format, "csv") && strcmp(format, "table")) {
        fprintf(stderr, "dnssweep export: unknown format '%s' (jsonl, csv or table)\n", format);
        return 2;
    }
    unsigned status_mask = 0;
    if (a.status && parse_status_list(a.status, &status_mask) != 0)
        return 2;
    results_store_t *store = NULL;
    FILE *out;
    if (scanner_open_store_output(a.db, a.output, &store, &out))
        return 1;
    if (strcmp(format, "table") == 0)
        rc = scanner_command_table(store, a.scan, status_mask, out);
    else
        rc = results_export_filtered(
            store, a.scan, strcmp(format, "csv") == 0 ? RESULTS_FORMAT_CSV : RESULTS_FORMAT_JSONL,
            status_mask, out);
    return finish_store_output("export", rc, store, out, a.output);
}

static const char diff_usage[] =
    "usage: dnssweep diff [--db DIR] OLD NEW [--format text|jsonl|html] [-o FILE] [--all]\n"
    "                     [--fail-on-regression] [--force]\n"
    "Compare two scans domain by domain. Exit 3 with --fail-on-regression when domains got "
    "worse.\n"
    "Scans of different modes (authoritative, resolver, zone-file) are compared only with\n"
    "--force, and the output then says that the modes differ.\n";

int scanner_command_diff(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(
        argc, argv, diff_usage,
        ARG_DB | ARG_FORMAT | ARG_OUTPUT | ARG_FAIL_ON_REGRESSION | ARG_ALL | ARG_FORCE, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    if (argc - a.positional_start != 2) {
        fprintf(stderr, "dnssweep diff: give exactly two scan names, OLD and NEW\n%s", diff_usage);
        return 2;
    }
    const char *format = a.format ? a.format : "text";
    results_format_t fmt = RESULTS_FORMAT_TEXT;
    if (strcmp(format, "jsonl") == 0) {
        fmt = RESULTS_FORMAT_JSONL;
    } else if (strcmp(format, "html") == 0) {
        fmt = RESULTS_FORMAT_HTML;
    } else if (strcmp(format, "text") != 0) {
        fprintf(stderr, "dnssweep diff: unknown format '%s' (text, jsonl or html)\n", format);
        return 2;
    }
    results_store_t *store = NULL;
    if (open_store(a.db, &store))
        return 1;
    char old_mode[32], new_mode[32];
    if (results_diff_modes(store, argv[a.positional_start], argv[a.positional_start + 1], old_mode,
                           new_mode) &&
        !a.force) {
        fprintf(stderr,
                "dnssweep diff: %s was scanned in %s mode and %s in %s mode: their verdicts "
                "differ by mode, not only by domain; compare them with --force (the output "
                "then says that the modes differ)\n",
                argv[a.positional_start], old_mode, argv[a.positional_start + 1], new_mode);
        results_close(store);
        return 2;
    }
    FILE *out;
    if (open_output_for(store, a.output, &out))
        return 1;
    results_diff_counts_t counts;
    rc = results_diff(store, argv[a.positional_start], argv[a.positional_start + 1], fmt, a.all,
                      out, &counts);
    bool not_found = rc == RESULTS_ENOTFOUND;
    if (not_found)
        fprintf(stderr,
                "dnssweep diff: scan %s or %s is not in %s (list them with: dnssweep scans --db "
                "%s)\n",
                argv[a.positional_start], argv[a.positional_start + 1], a.db, a.db);
    int exit_code = finish_output("diff", not_found ? 0 : rc, out, a.output);
    if (not_found && exit_code == 0)
        exit_code = 2;
    results_close(store);
    if (exit_code == 0 && a.fail_on_regression && counts.regressions > 0)
        exit_code = 3;
    return exit_code;
}

static const char show_usage[] =
    "usage: dnssweep show [--db DIR] [--scan NAME] [--graph FILE.svg|FILE.dot] DOMAIN\n"
    "Explain one domain: status, the chain of trust (parent, DS, keys), each server's verdict,\n"
    "the reasons and the one fix. DOMAIN may be a U-label (bücher.test).\n"
    "--graph also draws its chain of trust into FILE (DNSViz-like: zones, DS and DNSKEYs,\n"
    "signatures, colours by validity, the failing link in red): SVG or Graphviz DOT, chosen by\n"
    "the file's extension.\n";

/* Writes the picture for --graph; 0 or the exit code of a failure (said on stderr). */
static int show_graph(results_store_t *store, const store_args_t *a, const char *domain,
                      results_graph_format_t format)
{
    FILE *f = open_output(a->graph);
    if (!f)
        return 1;
    int rc = results_graph(store, a->scan, domain, format, f);
    if (rc)
        fprintf(stderr, "dnssweep show: drawing %s into %s failed: %s\n", domain, a->graph,
                results_strerror(rc));
    if (close_output(f, a->graph) || rc)
        return 1;
    return 0;
}

int scanner_command_show(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(argc, argv, show_usage, ARG_DB | ARG_SCAN | ARG_GRAPH, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    results_graph_format_t graph_format = RESULTS_GRAPH_SVG;
    if (a.graph && results_graph_format_for(a.graph, &graph_format) != 0) {
        fprintf(stderr,
                "dnssweep show: --graph %s: the file name must end in .svg or .dot (the "
                "extension picks the format)\n%s",
                a.graph, show_usage);
        return 2;
    }
    if (argc - a.positional_start != 1) {
        fprintf(stderr, "dnssweep show: give exactly one DOMAIN\n%s", show_usage);
        return 2;
    }
    const char *given = argv[a.positional_start];
    char domain[SCANNER_NAME_MAX + 1], error[160];
    size_t len = strlen(given);
    if (len > 1 && given[len - 1] == '.')
        len--; /* "example.com." as pasted from a zone file */
    if (scanner_name_normalise(given, len, domain, error, sizeof error) != 0) {
        fprintf(stderr, "dnssweep show: '%s' is not a domain name: %s\n", given, error);
        return 2;
    }
    results_store_t *store = NULL;
    if (open_store(a.db, &store))
        return 1;
    /* The scan looked in, named even when it is the latest. */
    results_scan_info_t info;
    rc = results_scan_lookup(store, a.scan, &info);
    if (rc == RESULTS_ENOTFOUND) {
        results_close(store);
        fprintf(stderr,
                "dnssweep show: no scan %s in %s (list them with: dnssweep scans --db %s)\n",
                a.scan ? a.scan : "at all", a.db, a.db);
        return 2;
    }
    if (rc) {
        results_close(store);
        return fail("show", rc);
    }
    scanner_name_print_idn(stdout, given, domain);
    rc = results_show(store, info.name, domain, stdout);
    int graph_rc = rc == 0 && a.graph ? show_graph(store, &a, domain, graph_format) : 0;
    results_close(store);
    if (rc == RESULTS_ENOTFOUND) {
        fprintf(stderr, "dnssweep show: %s is not in scan %s%s (in %s)\n", domain, info.name,
                a.scan ? "" : ", the latest", a.db);
        results_scan_info_clear(&info);
        return 2;
    }
    results_scan_info_clear(&info);
    return rc ? fail("show", rc) : graph_rc;
}

static const char scans_usage[] = "usage: dnssweep scans [--db DIR]\n"
                                  "List scans: name, start, end, finished or not, mode, counts.\n";

int scanner_command_scans(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(argc, argv, scans_usage, ARG_DB, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    results_store_t *store = NULL;
    if (open_store(a.db, &store))
        return 1;
    rc = results_scans_print(store, stdout);
    results_close(store);
    return rc ? fail("scans", rc) : 0;
}

static const char report_usage[] =
    "usage: dnssweep report [--db DIR] [--scan NAME] [--diff-against OLD] [--history N]\n"
    "                       -o report.html\n"
    "Write one self-contained HTML page about a scan (default: the latest). --history N adds\n"
    "the trend of the last N finished scans (1 to 1000) and their rollovers, and compares with\n"
    "the finished scan before this one unless --diff-against names another.\n";

int scanner_command_report(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(argc, argv, report_usage,
                              ARG_DB | ARG_SCAN | ARG_DIFF_AGAINST | ARG_OUTPUT | ARG_HISTORY, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    if (!a.output || a.positional_start < argc) {
        fprintf(stderr, "dnssweep report: give -o FILE and no other argument\n%s", report_usage);
        return 2;
    }
    unsigned history = 0;
    if (a.history) {
        char *end;
        unsigned long v = strtoul(a.history, &end, 10);
        if (!*a.history || *end || a.history[0] == '-' || v < 1 || v > 1000) {
            fprintf(stderr,
                    "dnssweep report: --history wants a number of scans from 1 to 1000, "
                    "not '%s'\n%s",
                    a.history, report_usage);
            return 2;
        }
        history = (unsigned)v;
    }
    results_store_t *store = NULL;
    FILE *out;
    if (scanner_open_store_output(a.db, a.output, &store, &out))
        return 1;
    rc = results_report(store, a.scan, a.diff_against, history, out);
    return finish_store_output("report", rc, store, out, a.output);
}

static const char merge_usage[] =
    "usage: dnssweep merge --db DIR SRC_DIR...\n"
    "Copy every scan of the shard stores SRC_DIR... into the store DIR (shards of one scan are\n"
    "united; for a domain in several, the latest verdict is kept). Refused: shards of different\n"
    "scans (stores whose --shard scans have different names), different shard counts, and a\n"
    "shard K merged from two different runs (overlapping shards).\n";

/* The names of the sharded scans of one store, space separated; "" when none or unreadable. */
static void sharded_scan_names(const char *dir, char *out, size_t len)
{
    results_store_t *st = NULL;
    results_scan_info_t *list = NULL;
    size_t n = 0;
    text_buf_t t;
    text_init(&t, out, len);
    if (results_open(dir, RESULTS_READONLY, &st) != 0)
        return;
    if (results_scans_list(st, &list, &n) == 0)
        for (size_t i = 0; i < n; i++)
            if (list[i].options && strstr(list[i].options, "shard="))
                text_printf(&t, " %s ", list[i].name);
    results_scans_free(list, n);
    results_close(st);
}

static bool names_meet(const char *a, const char *b)
{
    char copy[4096], *save = NULL;
    snprintf(copy, sizeof copy, "%s", a);
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char word[RESULTS_SCAN_NAME_MAX + 3];
        snprintf(word, sizeof word, " %s ", w);
        if (strstr(b, word))
            return true;
    }
    return false;
}

/* Shards of different scans: two sources whose sharded scans share no name (e.g. each shard
 * run with its own default --scan timestamp). Returns 0 or 2 (message printed). */
static int merge_precheck(char **srcs, int n)
{
    enum { NAMES_MAX = 4096 };
    char *names = calloc((size_t)n, NAMES_MAX);
    if (!names)
        return 0;
    int rc = 0;
    for (int i = 0; i < n; i++)
        sharded_scan_names(srcs[i], names + (size_t)i * NAMES_MAX, NAMES_MAX);
    for (int i = 0; i < n && !rc; i++)
        for (int j = i + 1; j < n && !rc; j++) {
            const char *a = names + (size_t)i * NAMES_MAX, *b = names + (size_t)j * NAMES_MAX;
            if (a[0] && b[0] && !names_meet(a, b)) {
                fprintf(stderr,
                        "dnssweep merge: %s holds shards of the scan(s) [%.*s] and %s of [%.*s]: "
                        "shards of different scans; nothing merged (run every shard with the "
                        "same --scan NAME)\n",
                        srcs[i], (int)strlen(a) - 2, a + 1, srcs[j], (int)strlen(b) - 2, b + 1);
                rc = 2;
            }
        }
    free(names);
    return rc;
}

int scanner_command_merge(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(argc, argv, merge_usage, ARG_DB, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    if (a.positional_start >= argc) {
        fprintf(stderr, "dnssweep merge: give at least one SRC_DIR\n%s", merge_usage);
        return 2;
    }
    if ((rc = merge_precheck(argv + a.positional_start, argc - a.positional_start)) != 0)
        return rc;
    results_store_t *store = NULL;
    rc = results_open(a.db, 0, &store);
    if (rc != 0) {
        fprintf(stderr, "dnssweep merge: cannot open %s: %s\n", a.db, results_strerror(rc));
        return 1;
    }
    int exit_code = 0;
    for (int i = a.positional_start; i < argc && exit_code == 0; i++) {
        uint64_t copied = 0;
        rc = results_merge(store, argv[i], &copied);
        if (rc != 0) {
            fprintf(stderr, "dnssweep merge: %s: %s %s\n", argv[i], results_strerror(rc),
                    results_errdetail(store));
            exit_code = rc == RESULTS_ENOTFOUND || rc == RESULTS_EINVAL ? 2 : 1;
        } else {
            fprintf(stderr, "dnssweep merge: %s: %llu records\n", argv[i],
                    (unsigned long long)copied);
        }
    }
    results_close(store);
    return exit_code;
}
