/* The store commands of cli.md: export, diff, show, scans (their work is in results/). */
#include "scanner/commands.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"

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
};

static const struct option store_options[] = {
    {"db", required_argument, NULL, 'd'},
    {"scan", required_argument, NULL, 's'},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"fail-on-regression", no_argument, NULL, 'r'},
    {"all", no_argument, NULL, 'a'},
    {"diff-against", required_argument, NULL, 'D'},
    {"force", no_argument, NULL, 'F'},
    {"status", required_argument, NULL, 'S'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Each option: its getopt value, its bit, how it is written, and whose it is. */
static const struct {
    int val;
    unsigned bit;
    const char *name;
    const char *owners;
} store_option_info[] = {
    {'d', ARG_DB, "-d/--db", "every command"},
    {'s', ARG_SCAN, "--scan", "scan, export, report and show"},
    {'f', ARG_FORMAT, "--format", "export and diff"},
    {'o', ARG_OUTPUT, "-o/--output", "scan, export, diff and report"},
    {'r', ARG_FAIL_ON_REGRESSION, "--fail-on-regression", "diff"},
    {'a', ARG_ALL, "--all", "diff"},
    {'D', ARG_DIFF_AGAINST, "--diff-against", "report"},
    {'F', ARG_FORCE, "--force", "diff"},
    {'S', ARG_STATUS, "--status", "export"},
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
    int positional_start;
} store_args_t;

/* A known option that is not one of this command's: a usage error naming both. */
static bool foreign_option(const char *cmd, int c, unsigned allowed, const char *usage)
{
    for (size_t i = 0; i < sizeof store_option_info / sizeof store_option_info[0]; i++) {
        if (store_option_info[i].val != c || (allowed & store_option_info[i].bit))
            continue;
        fprintf(stderr, "dnssweep %s: %s is not an option of %s (it is one of %s)\n%s", cmd,
                store_option_info[i].name, cmd, store_option_info[i].owners, usage);
        return true;
    }
    return false;
}

/* Returns 0, 1 (help printed) or 2 (usage error). allowed: the ARG_* of the command. */
static int parse_store_args(int argc, char **argv, const char *usage, unsigned allowed,
                            store_args_t *a)
{
    memset(a, 0, sizeof *a);
    a->db = "./dnssweep.db";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":d:o:h", store_options, NULL)) != -1) {
        if (foreign_option(argv[0], c, allowed, usage))
            return 2;
        switch (c) {
        case 'd':
            a->db = optarg;
            break;
        case 's':
            a->scan = optarg;
            break;
        case 'f':
            a->format = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'r':
            a->fail_on_regression = true;
            break;
        case 'a':
            a->all = true;
            break;
        case 'D':
            a->diff_against = optarg;
            break;
        case 'F':
            a->force = true;
            break;
        case 'S':
            a->status = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 1;
        case ':':
            fprintf(stderr, "dnssweep %s: option %s needs a value\n", argv[0], argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "dnssweep %s: unknown option '%s' (not an option of %s)\n%s", argv[0],
                    argv[optind - 1], argv[0], usage);
            return 2;
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

static int close_output(FILE *f, const char *path)
{
    if (f == stdout)
        return fflush(stdout) == 0 ? 0 : 1;
    if (fclose(f) != 0) {
        fprintf(stderr, "dnssweep: writing %s failed: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "dnssweep %s: %s\n", what, results_strerror(rc));
    return rc == RESULTS_ENOTFOUND ? 2 : 1;
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
    if (open_store(a.db, &store))
        return 1;
    FILE *out = open_output(a.output);
    if (!out) {
        results_close(store);
        return 1;
    }
    if (strcmp(format, "table") == 0)
        rc = scanner_command_table(store, a.scan, status_mask, out);
    else
        rc = results_export_filtered(
            store, a.scan, strcmp(format, "csv") == 0 ? RESULTS_FORMAT_CSV : RESULTS_FORMAT_JSONL,
            status_mask, out);
    int exit_code = rc ? fail("export", rc) : 0;
    if (close_output(out, a.output))
        exit_code = 1;
    results_close(store);
    return exit_code;
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
    FILE *out = open_output(a.output);
    if (!out) {
        results_close(store);
        return 1;
    }
    results_diff_counts_t counts;
    rc = results_diff(store, argv[a.positional_start], argv[a.positional_start + 1], fmt, a.all,
                      out, &counts);
    int exit_code = 0;
    if (rc == RESULTS_ENOTFOUND) {
        fprintf(stderr,
                "dnssweep diff: scan %s or %s is not in %s (list them with: dnssweep scans --db "
                "%s)\n",
                argv[a.positional_start], argv[a.positional_start + 1], a.db, a.db);
        exit_code = 2;
    } else if (rc) {
        exit_code = fail("diff", rc);
    }
    if (close_output(out, a.output))
        exit_code = 1;
    results_close(store);
    if (exit_code == 0 && a.fail_on_regression && counts.regressions > 0)
        exit_code = 3;
    return exit_code;
}

static const char show_usage[] =
    "usage: dnssweep show [--db DIR] [--scan NAME] DOMAIN\n"
    "Explain one domain: status, every reason with its fix, parent and DS, keys, servers.\n";

int scanner_command_show(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(argc, argv, show_usage, ARG_DB | ARG_SCAN, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    if (argc - a.positional_start != 1) {
        fprintf(stderr, "dnssweep show: give exactly one DOMAIN\n%s", show_usage);
        return 2;
    }
    char domain[256];
    snprintf(domain, sizeof domain, "%s", argv[a.positional_start]);
    size_t len = strlen(domain);
    if (len > 1 && domain[len - 1] == '.')
        domain[len - 1] = '\0';
    for (char *p = domain; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    results_store_t *store = NULL;
    if (open_store(a.db, &store))
        return 1;
    rc = results_show(store, a.scan, domain, stdout);
    results_close(store);
    if (rc == RESULTS_ENOTFOUND) {
        fprintf(stderr, "dnssweep show: %s is not in scan %s\n", domain,
                a.scan ? a.scan : "(latest)");
        return 2;
    }
    return rc ? fail("show", rc) : 0;
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
    "usage: dnssweep report [--db DIR] [--scan NAME] [--diff-against OLD] -o report.html\n"
    "Write one self-contained HTML page about a scan (default: the latest).\n";

int scanner_command_report(int argc, char **argv)
{
    store_args_t a;
    int rc = parse_store_args(argc, argv, report_usage,
                              ARG_DB | ARG_SCAN | ARG_DIFF_AGAINST | ARG_OUTPUT, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    if (!a.output || a.positional_start < argc) {
        fprintf(stderr, "dnssweep report: give -o FILE and no other argument\n%s", report_usage);
        return 2;
    }
    results_store_t *store = NULL;
    if (open_store(a.db, &store))
        return 1;
    FILE *out = open_output(a.output);
    if (!out) {
        results_close(store);
        return 1;
    }
    rc = results_report(store, a.scan, a.diff_against, out);
    int exit_code = rc ? fail("report", rc) : 0;
    if (close_output(out, a.output))
        exit_code = 1;
    results_close(store);
    return exit_code;
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
    size_t n = 0, used = 0;
    out[0] = '\0';
    if (results_open(dir, RESULTS_READONLY, &st) != 0)
        return;
    if (results_scans_list(st, &list, &n) == 0)
        for (size_t i = 0; i < n; i++)
            if (list[i].options && strstr(list[i].options, "shard=") && used < len)
                used += (size_t)snprintf(out + used, len - used, " %s ", list[i].name);
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
