/* `dnssweep prune` (cli.md): drop old scans and give the space back (results_prune). */
#include "scanner/commands.h"
#include "scanner/scanner.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "results/results.h"

static const char prune_usage[] =
    "usage: dnssweep prune [--db DIR] (--keep N | --before DATE)\n"
    "Drop old scans and shrink the store on disk (compacting copy, then an atomic swap).\n"
    "  --keep N       keep the N most recently started scans (N >= 1)\n"
    "  --before DATE  drop the scans started before DATE (YYYY-MM-DD or\n"
    "                 YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
    "The latest finished scan is never dropped. Refused while another process writes the\n"
    "store (a scan, merge or prune); readers (export, report, show) may stay open.\n";

static const struct option prune_options[] = {
    {"db", required_argument, NULL, 'd'},
    {"keep", required_argument, NULL, 'k'},
    {"before", required_argument, NULL, 'b'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

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

/* A usage error of prune: the message (printf-style, without the "dnssweep prune: " that starts
 * it) on stderr; returns the usage exit status. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dnssweep prune: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    return 2;
}

static void print_size(const char *what, uint64_t bytes)
{
    printf("%s %.1f MB (%llu bytes)", what, (double)bytes / 1e6, (unsigned long long)bytes);
}

int scanner_command_prune(int argc, char **argv)
{
    const char *db = "./dnssweep.db", *keep_arg = NULL, *before_arg = NULL;
    results_prune_opts_t o = {0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":d:h", prune_options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'k':
            keep_arg = optarg;
            break;
        case 'b':
            before_arg = optarg;
            break;
        case 'h':
            fputs(prune_usage, stdout);
            return 0;
        case ':':
            return usage_error("option %s needs a value\n", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s' (not an option of prune)\n%s", argv[optind - 1],
                               prune_usage);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'\n%s", argv[optind], prune_usage);
    if (!keep_arg == !before_arg)
        return usage_error("give exactly one of --keep N and --before DATE\n%s", prune_usage);
    unsigned long keep = 0;
    if (keep_arg && scanner_parse_unsigned(keep_arg, 1, UINT_MAX, &keep) != 0)
        return usage_error("--keep wants a number of scans >= 1, not '%s' (the latest finished "
                           "scan is always kept)\n",
                           keep_arg);
    o.keep = (unsigned)keep;
    if (before_arg && parse_date(before_arg, &o.before) != 0)
        return usage_error("--before wants a date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC), not "
                           "'%s'\n",
                           before_arg);
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
