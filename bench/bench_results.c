/*
 * bench_results: the results store at scale.
 *   bench_results [N] [DIR]     (N domains, default 1,000,000; DIR default a fresh /tmp dir)
 * Writes N synthetic verdicts (a realistic mix: mostly insecure, a quarter secure, a few bogus,
 * lame and nxdomain) in a shuffled order, as a scanner finishing domains out of order would,
 * then times export (jsonl and csv to /dev/null), a second scan with ~5% changes, the resume
 * skip pass (results_has for every domain), and the diff of the two scans.
 * Targets: diff < 5 s, skip pass < 3 s, < 300 bytes per domain.
 */
#include "bench/results_gen.h"
#include "results/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t *shuffled(uint32_t n)
{
    uint32_t *order = malloc(n * sizeof *order);
    if (!order)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    uint64_t s = 42;
    for (uint32_t i = n - 1; i > 0; i--) {
        s = mix(s);
        uint32_t j = (uint32_t)(s % (i + 1));
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    return order;
}

static int die(const char *what, int rc, results_store_t *st)
{
    fprintf(stderr, "bench_results: %s: %s (%s)\n", what, results_strerror(rc),
            results_errdetail(st));
    return 1;
}

static long long file_size(const char *dir)
{
    char p[4096];
    struct stat sb;
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    return stat(p, &sb) == 0 ? (long long)sb.st_size : -1;
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
    char tmpl[] = "/tmp/bench-results-XXXXXX";
    const char *dir = argc > 2 ? argv[2] : mkdtemp(tmpl);
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    int rc;
    if (!dir || n == 0)
        return 2;
    uint32_t *order = shuffled(n);
    if (!order)
        return 1;
    /* BENCH_BATCH=records per commit, BENCH_SORTED=1 to write in domain order. */
    results_options_t opts = {0};
    if (getenv("BENCH_BATCH"))
        opts.batch_records = (unsigned)strtoul(getenv("BENCH_BATCH"), NULL, 10);
    if (getenv("BENCH_SORTED"))
        for (uint32_t i = 0; i < n; i++)
            order[i] = i;
    if ((rc = results_open_ex(dir, 0, &opts, &st)) < 0)
        return die("open", rc, st);
    printf("store %s, %u domains\n", dir, n);

    double t0 = now_s();
    if ((rc = results_scan_begin(st, "day1", "bench", NULL, &scan)) < 0)
        return die("begin", rc, st);
    for (uint32_t k = 0; k < n; k++)
        if ((rc = put_one(scan, order[k], 0)) < 0)
            return die("put", rc, st);
    if ((rc = results_scan_finish(scan, NULL)) < 0)
        return die("finish", rc, st);
    double t_write = now_s() - t0;
    long long size1 = file_size(dir);
    printf("write      %7.2f s  %9.0f records/s\n", t_write, n / t_write);
    printf("store      %lld bytes = %.1f bytes/domain (data.mdb after scan 1)\n", size1,
           (double)size1 / n);

    FILE *devnull = fopen("/dev/null", "w");
    t0 = now_s();
    if ((rc = results_export(st, "day1", RESULTS_FORMAT_JSONL, devnull)) < 0)
        return die("export", rc, st);
    printf("export     %7.2f s  jsonl to /dev/null\n", now_s() - t0);
    t0 = now_s();
    if ((rc = results_export(st, "day1", RESULTS_FORMAT_CSV, devnull)) < 0)
        return die("export", rc, st);
    printf("export     %7.2f s  csv to /dev/null\n", now_s() - t0);

    /* Second scan, interrupted, then resumed: the skip pass asks has() for every domain. */
    if ((rc = results_scan_begin(st, "day2", "bench", NULL, &scan)) < 0)
        return die("begin", rc, st);
    for (uint32_t k = 0; k < n; k++)
        if ((rc = put_one(scan, order[k], 1)) < 0)
            return die("put", rc, st);
    if ((rc = results_scan_close(scan)) < 0)
        return die("close", rc, st);
    if ((rc = results_scan_resume(st, "day2", &scan)) < 0)
        return die("resume", rc, st);
    t0 = now_s();
    uint32_t present = 0;
    char domain[64];
    for (uint32_t i = 0; i < n; i++) {
        domain_of(i, domain, sizeof domain);
        if ((rc = results_has(scan, domain)) < 0)
            return die("has", rc, st);
        present += (uint32_t)rc;
    }
    printf("skip pass  %7.2f s  results_has x %u (%u present)\n", now_s() - t0, n, present);
    if ((rc = results_scan_finish(scan, NULL)) < 0)
        return die("finish", rc, st);

    results_diff_counts_t c;
    t0 = now_s();
    if ((rc = results_diff(st, "day1", "day2", RESULTS_FORMAT_TEXT, false, devnull, &c)) < 0)
        return die("diff", rc, st);
    printf("diff       %7.2f s  text; changes:", now_s() - t0);
    for (int i = 0; i < RESULTS_CHANGE_COUNT; i++)
        printf(" %s %llu", results_change_name((results_change_t)i),
               (unsigned long long)c.by_change[i]);
    printf("\n");
    t0 = now_s();
    if ((rc = results_diff(st, "day1", "day2", RESULTS_FORMAT_JSONL, true, devnull, &c)) < 0)
        return die("diff", rc, st);
    printf("diff       %7.2f s  jsonl --all\n", now_s() - t0);
    t0 = now_s();
    if ((rc = results_report(st, "day2", "day1", 0, devnull)) < 0)
        return die("report", rc, st);
    printf("report     %7.2f s  html, day2 against day1\n", now_s() - t0);
    printf("store      %lld bytes after two scans = %.1f bytes/domain/scan\n", file_size(dir),
           (double)file_size(dir) / (2.0 * n));
    fclose(devnull);
    results_close(st);
    free(order);
    return 0;
}
