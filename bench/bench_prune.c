/*
 * bench_prune: what `dnssweep prune` gives back on a store of nightly scans.
 *   bench_prune [SCANS [N [KEEP [DIR]]]]   (defaults 30 scans of 20,000 domains, keep 7)
 * Writes SCANS scans of the same N domains (bench/results_gen.h; each night ~5% of the
 * verdicts change, like the bulk lab re-scanned nightly), prunes to the newest KEEP with
 * results_prune, and writes a fresh store holding only those KEEP scans for comparison.
 * Prints data.mdb before, after, the fresh store's size, and the time the prune took.
 * Target (issue 20): after <= 1.10 x fresh.
 */
#include "bench/results_gen.h"
#include "results/results.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long data_size(const char *dir)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

/* Scans first..last (night numbers) of n domains into the store in dir. */
static int write_nights(const char *dir, unsigned first, unsigned last, uint32_t n)
{
    results_store_t *st = NULL;
    int rc = results_open(dir, 0, &st);
    for (unsigned night = first; rc == 0 && night <= last; night++) {
        char name[32];
        results_scan_t *scan = NULL;
        snprintf(name, sizeof name, "night-%02u", night);
        if ((rc = results_scan_begin(st, name, "bench", NULL, &scan)) != 0)
            break;
        for (uint32_t i = 0; rc == 0 && i < n; i++)
            rc = put_one(scan, i, (int)(night % 2));
        rc = rc ? rc : results_scan_finish(scan, NULL);
    }
    results_close(st);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned scans = argc > 1 ? (unsigned)atoi(argv[1]) : 30;
    uint32_t n = argc > 2 ? (uint32_t)atoi(argv[2]) : 20000;
    unsigned keep = argc > 3 ? (unsigned)atoi(argv[3]) : 7;
    char root[4096], dir[4200], fresh[4200], err[512] = "";
    if (argc > 4) {
        snprintf(root, sizeof root, "%s", argv[4]);
        mkdir(root, 0777);
    } else {
        snprintf(root, sizeof root, "/tmp/bench_prune-XXXXXX");
        if (!mkdtemp(root))
            return 1;
    }
    if (scans < 2 || keep < 1 || keep >= scans || n < 1) {
        fprintf(stderr, "usage: bench_prune [SCANS>=2 [N [KEEP<SCANS [DIR]]]]\n");
        return 2;
    }
    snprintf(dir, sizeof dir, "%s/store", root);
    snprintf(fresh, sizeof fresh, "%s/fresh", root);
    double t0 = now_s();
    int rc = write_nights(dir, 1, scans, n);
    if (rc == 0)
        rc = write_nights(fresh, scans - keep + 1, scans, n);
    if (rc) {
        fprintf(stderr, "bench_prune: writing the stores: %s\n", results_strerror(rc));
        return 1;
    }
    double t1 = now_s();
    long long before = data_size(dir);
    results_prune_opts_t o = {.keep = keep, .errbuf = err, .errbuf_size = sizeof err};
    results_prune_report_t r;
    rc = results_prune(dir, &o, &r);
    double t2 = now_s();
    if (rc) {
        fprintf(stderr, "bench_prune: prune: %s: %s\n", results_strerror(rc), err);
        return 1;
    }
    long long after = data_size(dir), want = data_size(fresh);
    printf("store: %u scans x %u domains written in %.1f s (+ the fresh store of %u)\n", scans,
           (unsigned)n, t1 - t0, keep);
    printf("prune --keep %u: dropped %zu scans, %llu records, in %.2f s\n", keep, r.n_dropped,
           (unsigned long long)r.records_dropped, t2 - t1);
    printf("data.mdb before      %12lld bytes (%.1f MB)\n", before, (double)before / 1e6);
    printf("data.mdb after       %12lld bytes (%.1f MB)\n", after, (double)after / 1e6);
    printf("fresh store of %2u    %12lld bytes (%.1f MB)\n", keep, want, (double)want / 1e6);
    printf("after / fresh        %.3f (target <= 1.10)\n", (double)after / (double)want);
    results_prune_report_clear(&r);
    if (argc <= 4) {
        char cmd[4300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_prune: could not remove %s\n", root);
    }
    return (double)after <= 1.10 * (double)want ? 0 : 1;
}
