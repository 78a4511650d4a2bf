/*
 * bench_report: `dnssweep report` at scale.
 *   bench_report [N] [DIR]     (N domains, default 1,000,000; DIR default a fresh /tmp dir)
 * Stores N synthetic verdicts (bench/results_gen.h: mostly insecure, a quarter secure, a few
 * bogus, lame and nxdomain) through the results API as scan "day1" and times the report of it
 * (the page written to /dev/null; its size is printed). Then stores a second scan "day2" with
 * ~5% changes and times `report --history 2` of it, which also compares it with day1.
 * Target: the report of N = 1,000,000 stored verdicts in < 3 s.
 */
#include "bench/results_gen.h"
#include "results/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process: a figure the machine's other load moves less
 * than the wall time. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int die(const char *what, int rc, results_store_t *st)
{
    fprintf(stderr, "bench_report: %s: %s (%s)\n", what, results_strerror(rc),
            results_errdetail(st));
    return 1;
}

static int store_scan(results_store_t *st, const char *name, uint32_t n, int variant)
{
    results_scan_t *scan = NULL;
    int rc = results_scan_begin(st, name, "bench", NULL, &scan);
    for (uint32_t i = 0; rc >= 0 && i < n; i++)
        rc = put_one(scan, i, variant);
    if (rc >= 0)
        rc = results_scan_finish(scan, NULL);
    else
        results_scan_close(scan);
    return rc;
}

/* Times one report into a temporary file; prints seconds and the page's size. */
static int timed_report(results_store_t *st, const char *scan, unsigned history, const char *what)
{
    FILE *out = tmpfile();
    if (!out)
        return RESULTS_EIO;
    double t0 = now_s(), c0 = cpu_s();
    int rc = results_report(st, scan, NULL, history, out);
    double secs = now_s() - t0, cpu = cpu_s() - c0;
    long size = ftell(out);
    fclose(out);
    if (rc >= 0)
        printf("report     %7.2f s  (CPU %.2f s)  %s (%.1f MB page)\n", secs, cpu, what,
               (double)size / 1e6);
    return rc;
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
    char tmpl[] = "/tmp/bench-report-XXXXXX";
    const char *dir = argc > 2 ? argv[2] : mkdtemp(tmpl);
    results_store_t *st = NULL;
    int rc;
    if (!dir || n == 0)
        return 2;
    if ((rc = results_open(dir, 0, &st)) < 0)
        return die("open", rc, st);
    printf("store %s, %u domains per scan\n", dir, n);
    double t0 = now_s();
    if ((rc = store_scan(st, "day1", n, 0)) < 0)
        return die("day1", rc, st);
    printf("write      %7.2f s  day1\n", now_s() - t0);
    if ((rc = timed_report(st, "day1", 0, "day1, one scan of N stored verdicts")) < 0)
        return die("report", rc, st);
    t0 = now_s();
    if ((rc = store_scan(st, "day2", n, 1)) < 0)
        return die("day2", rc, st);
    printf("write      %7.2f s  day2 (~5%% changed)\n", now_s() - t0);
    if ((rc = timed_report(st, "day2", 2, "day2 --history 2 (compared with day1; 2N stored)")) < 0)
        return die("report --history", rc, st);
    results_close(st);
    return 0;
}
