/* `dnssweep prune` (cli.md): drop old scans and give the space back (results_prune). */
#include "scanner/cmd.h"

#include <stdio.h>

#include "results/results.h"

static const char prune_usage[] =
    "usage: dnssweep prune [--db DIR] (--keep N | --before DATE)\n"
    "Drop old scans and shrink the store on disk (compacting copy, then an atomic swap).\n"
    "  --keep N       keep the N most recently started scans (N >= 1)\n"
    "  --before DATE  drop the scans started before DATE (YYYY-MM-DD or\n"
    "                 YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
    "The latest finished scan is never dropped. Refused while another process writes the\n"
    "store (a scan, merge or prune); readers (export, report, show) may stay open.\n";

/* Both --keep N and --before DATE, or neither, is refused; so are operands. */
static int prune_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    int rc = scanner_cmd_no_operands(cmd, a);
    if (!rc && !a->keep == !a->before)
        rc = scanner_cmd_usage_error(cmd, "give exactly one of --keep N and --before DATE\n%s",
                                     cmd->usage);
    return rc;
}

static void print_size(const char *what, uint64_t bytes)
{
    printf("%s %.1f MB (%llu bytes)", what, (double)bytes / 1e6, (unsigned long long)bytes);
}

/* results_prune opens the store itself (it swaps in a compacted copy). */
static int prune_run(scanner_cmd_ctx_t *c)
{
    const char *db = c->args.db;
    results_prune_opts_t o = {.keep = c->args.keep_scans, .before = c->args.before_time};
    char detail[512] = "";
    o.errbuf = detail;
    o.errbuf_size = sizeof detail;
    results_prune_report_t r;
    int rc = results_prune(db, &o, &r);
    if (rc != 0) {
        fprintf(stderr, "dnssweep prune: %s: %s%s%s\n", db, results_strerror(rc),
                detail[0] ? ": " : "", detail);
        return 1;
    }
    for (size_t i = 0; i < r.n_dropped; i++)
        printf("dropped %s\n", r.dropped[i]);
    if (r.kept_latest_finished)
        printf("kept %s: it is the latest finished scan, which prune never drops\n",
               r.kept_latest_finished);
    printf("%zu scan(s) dropped (%llu records), %zu kept\n", r.n_dropped,
           (unsigned long long)r.records_dropped, r.n_kept);
    if (r.compacted) {
        print_size("store", r.bytes_before);
        print_size(" ->", r.bytes_after);
        putchar('\n');
    } else {
        print_size("nothing to drop; store unchanged:", r.bytes_before);
        putchar('\n');
    }
    results_prune_report_clear(&r);
    return fflush(stdout) == 0 ? 0 : 1;
}

const scanner_cmd_t scanner_cmd_prune = {
    .name = "prune",
    .usage = prune_usage,
    .syntax = {.takes = CMD_OPT(KEEP) | CMD_OPT(BEFORE), .operands = prune_operands},
    .work = {.writes_store = true, .run = prune_run},
};
