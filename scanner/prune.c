/* `dnssweep prune` (cli.md): drop old scans and give the space back (results_prune). */
#include "scanner/cmd.h"

#include <limits.h>
#include <stdio.h>
#include <time.h>

#include "results/results.h"

/* "2026-11-24" (midnight UTC) or "2026-11-24T14:03:12Z": 0 and *out, or -1. */
static int parse_date(const char *s, int64_t *out)
{
    struct tm tm = {0};
    int used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 || used != 10)
        return -1;
    if (s[used] == 'T') {
        int more = 0;
        if (sscanf(s + used, "T%2d:%2d:%2dZ%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &more) != 3 ||
            more != 10)
            return -1;
        used += more;
    }
    if (s[used] != '\0')
        return -1;
    struct tm want = tm;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    /* timegm normalises 2026-02-31 to March: a date that changed is not a date. */
    if (t == (time_t)-1 || tm.tm_year + 1900 != want.tm_year || tm.tm_mon + 1 != want.tm_mon ||
        tm.tm_mday != want.tm_mday || tm.tm_hour != want.tm_hour || tm.tm_min != want.tm_min ||
        tm.tm_sec != want.tm_sec)
        return -1;
    *out = (int64_t)t;
    return 0;
}

/* Both --keep N and --before DATE, or neither, is refused; so are operands. */
static int prune_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    int rc = scanner_cmd_no_operands(cmd, a);
    if (!rc && !a->keep == !a->before)
        rc = scanner_cmd_usage_error(cmd, "give exactly one of --keep N and --before DATE\n%s",
                                     cmd->usage);
    return rc;
}

static int check_keep(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    unsigned long keep;
    if (scanner_parse_unsigned(a->keep, 1, UINT_MAX, &keep) != 0)
        return scanner_cmd_usage_error(cmd,
                                       "--keep wants a number of scans >= 1, not '%s' (the latest "
                                       "finished scan is always kept)\n",
                                       a->keep);
    a->keep_scans = (unsigned)keep;
    return 0;
}

static int check_before(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (parse_date(a->before, &a->before_time) != 0)
        return scanner_cmd_usage_error(cmd,
                                       "--before wants a date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ "
                                       "(UTC), not '%s'\n",
                                       a->before);
    return 0;
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
    .takes = CMD_OPT(DB) | CMD_OPT(KEEP) | CMD_OPT(BEFORE),
    .checks = {{CMD_OPT_KEEP, check_keep, CMD_CHECK_AFTER_OPERANDS},
               {CMD_OPT_BEFORE, check_before, CMD_CHECK_AFTER_OPERANDS}},
    .operands = prune_operands,
    .opens = CMD_OPENS_NOTHING,
    .run = prune_run,
    .usage = "usage: dnssweep prune [--db DIR] (--keep N | --before DATE)\n"
             "Drop old scans and shrink the store on disk (compacting copy, then an atomic swap).\n"
             "  --keep N       keep the N most recently started scans (N >= 1)\n"
             "  --before DATE  drop the scans started before DATE (YYYY-MM-DD or\n"
             "                 YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
             "The latest finished scan is never dropped. Refused while another process writes the\n"
             "store (a scan, merge or prune); readers (export, report, show) may stay open.\n",
};
