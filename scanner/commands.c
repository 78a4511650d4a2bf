/* The store commands of cli.md: export, diff, show, scans, report, merge (their work is in
 * results/): each one's table and work, run by the skeleton of cmd.c. */
#include "scanner/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "text/text.h"

/* The options that the commands of this file name as another command's when given (ds-actions
 * and prune, which came later, name fewer). */
#define STORE_OPTIONS                                                                              \
    (CMD_OPT(DB) | CMD_OPT(SCAN) | CMD_OPT(FORMAT) | CMD_OPT(OUTPUT) |                             \
     CMD_OPT(FAIL_ON_REGRESSION) | CMD_OPT(ALL) | CMD_OPT(DIFF_AGAINST) | CMD_OPT(FORCE) |         \
     CMD_OPT(STATUS) | CMD_OPT(HISTORY) | CMD_OPT(STABLE) | CMD_OPT(GRAPH))

static const char export_usage[] =
    "usage: dnssweep export [--db DIR] [--scan NAME] [--format jsonl|csv|table] [-o FILE]\n"
    "                       [--status S[,S...]]\n"
    "Write every domain of a scan (default: the latest) as JSON lines, CSV, or a text table;\n"
    "--status keeps only the domains with one of the statuses given (secure, insecure, bogus,\n"
    "indeterminate, lame, nxdomain).\n";

static int export_run(scanner_cmd_ctx_t *c)
{
    const scanner_cmd_args_t *a = &c->args;
    if (a->format_value == CMD_FORMAT_TABLE)
        return scanner_command_table(c->store, a->scan, a->status_mask, c->out);
    return results_export_filtered(c->store, a->scan, (results_format_t)a->format_value,
                                   a->status_mask, c->out);
}

const scanner_cmd_t scanner_cmd_export = {
    .name = "export",
    .usage = export_usage,
    .syntax = {.takes = CMD_OPT(SCAN) | CMD_OPT(FORMAT) | CMD_OPT(OUTPUT) | CMD_OPT(STATUS),
               .refuses = STORE_OPTIONS,
               .formats = "jsonl|csv|table",
               .operands = scanner_cmd_no_operands},
    .work = {.run = export_run},
};

static const char diff_usage[] =
    "usage: dnssweep diff [--db DIR] OLD NEW [--format text|jsonl|html] [-o FILE] [--all]\n"
    "                     [--fail-on-regression] [--force]\n"
    "Compare two scans domain by domain. Exit 3 with --fail-on-regression when domains got "
    "worse.\n"
    "Scans of different modes (authoritative, resolver, zone-file) are compared only with\n"
    "--force, and the output then says that the modes differ.\n";

static int diff_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (a->n_operands == 2)
        return 0;
    return scanner_cmd_usage_error(cmd, "give exactly two scan names, OLD and NEW\n%s", cmd->usage);
}

/* Scans of different modes are compared only with --force: refused before -o FILE is made. */
static int diff_modes(scanner_cmd_ctx_t *c)
{
    const scanner_cmd_args_t *a = &c->args;
    char old_mode[32], new_mode[32];
    if (!results_diff_modes(c->store, a->operands[0], a->operands[1], old_mode, new_mode) ||
        a->force)
        return 0;
    return scanner_cmd_usage_error(c->cmd,
                                   "%s was scanned in %s mode and %s in %s mode: their verdicts "
                                   "differ by mode, not only by domain; compare them with --force "
                                   "(the output then says that the modes differ)\n",
                                   a->operands[0], old_mode, a->operands[1], new_mode);
}

static int diff_run(scanner_cmd_ctx_t *c)
{
    const scanner_cmd_args_t *a = &c->args;
    results_diff_counts_t counts;
    int rc = results_diff(c->store, a->operands[0], a->operands[1],
                          (results_format_t)a->format_value, a->all, c->out, &counts);
    if (rc == RESULTS_ENOTFOUND) {
        fprintf(stderr,
                "dnssweep diff: scan %s or %s is not in %s (list them with: dnssweep scans --db "
                "%s)\n",
                a->operands[0], a->operands[1], a->db, a->db);
        return 2;
    }
    if (rc)
        return rc;
    return a->fail_on_regression && counts.regressions > 0 ? 3 : 0;
}

const scanner_cmd_t scanner_cmd_diff = {
    .name = "diff",
    .usage = diff_usage,
    .syntax = {.takes = CMD_OPT(FORMAT) | CMD_OPT(OUTPUT) | CMD_OPT(FAIL_ON_REGRESSION) |
                        CMD_OPT(ALL) | CMD_OPT(FORCE),
               .refuses = STORE_OPTIONS,
               .formats = "text|jsonl|html",
               .operands = diff_operands},
    .work = {.before_output = diff_modes, .run = diff_run},
};

static const char show_usage[] =
    "usage: dnssweep show [--db DIR] [--scan NAME] [--graph FILE.svg|FILE.dot] DOMAIN\n"
    "Explain one domain: status, the chain of trust (parent, DS, keys), each server's "
    "verdict,\n"
    "the reasons and the one fix. DOMAIN may be a U-label (bücher.test).\n"
    "--graph also draws its chain of trust into FILE (DNSViz-like: zones, DS and DNSKEYs,\n"
    "signatures, colours by validity, the failing link in red): SVG or Graphviz DOT, chosen "
    "by\n"
    "the file's extension.\n";

/* One DOMAIN, normalised into a->domain. */
static int show_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (a->n_operands != 1)
        return scanner_cmd_usage_error(cmd, "give exactly one DOMAIN\n%s", cmd->usage);
    const char *given = a->operands[0];
    char error[160];
    size_t len = strlen(given);
    if (len > 1 && given[len - 1] == '.')
        len--; /* "example.com." as pasted from a zone file */
    if (scanner_name_normalise(given, len, a->domain, error, sizeof error) != 0)
        return scanner_cmd_usage_error(cmd, "'%s' is not a domain name: %s\n", given, error);
    return 0;
}

/* Writes the picture for --graph; 0 or the exit code of a failure (said on stderr). */
static int show_graph(results_store_t *store, const scanner_cmd_args_t *a)
{
    FILE *f = scanner_cmd_open_output(a->graph);
    if (!f)
        return 1;
    int rc = results_graph(store, a->scan, a->domain, a->graph_format, f);
    if (rc)
        fprintf(stderr, "dnssweep show: drawing %s into %s failed: %s\n", a->domain, a->graph,
                results_strerror(rc));
    if (scanner_cmd_close_output(f, a->graph) || rc)
        return 1;
    return 0;
}

static int show_run(scanner_cmd_ctx_t *c)
{
    const scanner_cmd_args_t *a = &c->args;
    /* The scan looked in, named even when it is the latest. */
    results_scan_info_t info;
    int rc = results_scan_lookup(c->store, a->scan, &info);
    if (rc == RESULTS_ENOTFOUND) {
        fprintf(stderr,
                "dnssweep show: no scan %s in %s (list them with: dnssweep scans --db %s)\n",
                a->scan ? a->scan : "at all", a->db, a->db);
        return 2;
    }
    if (rc)
        return rc;
    scanner_name_print_idn(stdout, a->operands[0], a->domain);
    rc = results_show(c->store, info.name, a->domain, stdout);
    int graph_rc = rc == 0 && a->graph ? show_graph(c->store, a) : 0;
    if (rc == RESULTS_ENOTFOUND)
        fprintf(stderr, "dnssweep show: %s is not in scan %s%s (in %s)\n", a->domain, info.name,
                a->scan ? "" : ", the latest", a->db);
    results_scan_info_clear(&info);
    if (rc == RESULTS_ENOTFOUND)
        return 2;
    return rc ? rc : graph_rc;
}

/* --graph is checked before DOMAIN: a wrong extension is the error even without a DOMAIN. */
const scanner_cmd_t scanner_cmd_show = {
    .name = "show",
    .usage = show_usage,
    .syntax = {.takes = CMD_OPT(SCAN) | CMD_OPT(GRAPH),
               .refuses = STORE_OPTIONS,
               .operands = show_operands},
    .work = {.run = show_run},
};

static const char scans_usage[] = "usage: dnssweep scans [--db DIR]\n"
                                  "List scans: name, start, end, finished or not, mode, counts.\n";

static int scans_run(scanner_cmd_ctx_t *c)
{
    return results_scans_print(c->store, stdout);
}

const scanner_cmd_t scanner_cmd_scans = {
    .name = "scans",
    .usage = scans_usage,
    .syntax = {.refuses = STORE_OPTIONS},
    .work = {.run = scans_run},
};

static const char report_usage[] =
    "usage: dnssweep report [--db DIR] [--scan NAME] [--diff-against OLD] [--history N]\n"
    "                       -o report.html\n"
    "Write one self-contained HTML page about a scan (default: the latest). --history N adds\n"
    "the trend of the last N finished scans (1 to 1000) and their rollovers, and compares "
    "with\n"
    "the finished scan before this one unless --diff-against names another.\n";

static int report_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (a->output && a->n_operands == 0)
        return 0;
    return scanner_cmd_usage_error(cmd, "give -o FILE and no other argument\n%s", cmd->usage);
}

static int report_run(scanner_cmd_ctx_t *c)
{
    const scanner_cmd_args_t *a = &c->args;
    return results_report(c->store, a->scan, a->diff_against, a->history_scans, c->out);
}

const scanner_cmd_t scanner_cmd_report = {
    .name = "report",
    .usage = report_usage,
    .syntax = {.takes = CMD_OPT(SCAN) | CMD_OPT(DIFF_AGAINST) | CMD_OPT(OUTPUT) | CMD_OPT(HISTORY),
               .refuses = STORE_OPTIONS,
               .operands = report_operands},
    .work = {.run = report_run},
};

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

static const char merge_usage[] =
    "usage: dnssweep merge --db DIR SRC_DIR...\n"
    "Copy every scan of the shard stores SRC_DIR... into the store DIR (shards of one scan "
    "are\n"
    "united; for a domain in several, the latest verdict is kept). Refused: shards of "
    "different\n"
    "scans (stores whose --shard scans have different names), different shard counts, and a\n"
    "shard K merged from two different runs (overlapping shards).\n";

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

static int merge_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (a->n_operands > 0)
        return 0;
    return scanner_cmd_usage_error(cmd, "give at least one SRC_DIR\n%s", cmd->usage);
}

/* Opens the store for writing itself (the skeleton opens read-only). */
static int merge_run(scanner_cmd_ctx_t *c)
{
    const scanner_cmd_args_t *a = &c->args;
    int rc = merge_precheck(a->operands, a->n_operands);
    if (rc != 0)
        return rc;
    results_store_t *store = NULL;
    rc = results_open(a->db, 0, &store);
    if (rc != 0) {
        fprintf(stderr, "dnssweep merge: cannot open %s: %s\n", a->db, results_strerror(rc));
        return 1;
    }
    int exit_code = 0;
    for (int i = 0; i < a->n_operands && exit_code == 0; i++) {
        const char *src = a->operands[i];
        uint64_t copied = 0;
        rc = results_merge(store, src, &copied);
        if (rc != 0) {
            fprintf(stderr, "dnssweep merge: %s: %s %s\n", src, results_strerror(rc),
                    results_errdetail(store));
            exit_code = rc == RESULTS_ENOTFOUND || rc == RESULTS_EINVAL ? 2 : 1;
        } else {
            fprintf(stderr, "dnssweep merge: %s: %llu records\n", src, (unsigned long long)copied);
        }
    }
    results_close(store);
    return exit_code;
}

const scanner_cmd_t scanner_cmd_merge = {
    .name = "merge",
    .usage = merge_usage,
    .syntax = {.refuses = STORE_OPTIONS, .operands = merge_operands},
    .work = {.writes_store = true, .run = merge_run},
};
