/*
 * Throughput of the zone-file reader alone (tokenise, check, group into delegations):
 *   bench_zonefile [FILE | -n DELEGATIONS]   (default: a generated file of 1,000,000)
 * and, separately, of building the referral packets from the delegations (what a scan adds).
 * Target (issue 10): >= 1,000,000 records/s for the reader, release build.
 */
#include "tests/unit/zonefile_gen.h"
#include "scanner/zonefile.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int pass(const char *path, bool referrals)
{
    scanner_zonefile_t *zf = NULL;
    if (scanner_zonefile_open(path, NULL, &zf) != 0) {
        fprintf(stderr, "cannot open %s\n", path);
        return 1;
    }
    double t0 = now_s();
    scanner_zonefile_delegation_t dg;
    int rc;
    unsigned long built = 0;
    while ((rc = scanner_zonefile_next(zf, &dg)) > 0) {
        if (rc != ZONEFILE_DELEGATION || !referrals)
            continue;
        ldns_pkt *pkt = NULL;
        bool a, b;
        char err[200];
        if (scanner_zonefile_referral(&dg, &pkt, &a, &b, err, sizeof err) == 0)
            built++;
        ldns_pkt_free(pkt);
    }
    double secs = now_s() - t0;
    const scanner_zonefile_stats_t *st = scanner_zonefile_stats(zf);
    if (referrals)
        printf("reader + referral packets: %llu delegations in %.2f s = %.0f delegations/s\n",
               (unsigned long long)built, secs, (double)built / secs);
    else
        printf("reader: %llu records (%llu delegations, %llu bad) in %.2f s = %.0f records/s\n",
               (unsigned long long)st->records, (unsigned long long)st->delegations,
               (unsigned long long)st->bad, secs, (double)st->records / secs);
    scanner_zonefile_free(zf);
    return rc < 0;
}

int main(int argc, char **argv)
{
    char path[256] = "";
    bool generated = false;
    unsigned long n = 1000000;
    if (argc == 3 && strcmp(argv[1], "-n") == 0)
        n = strtoul(argv[2], NULL, 10);
    if (argc == 2) {
        snprintf(path, sizeof path, "%s", argv[1]);
    } else {
        snprintf(path, sizeof path, "/tmp/dnssweep-bench-zonefile-%d.zone", (int)getpid());
        if (zonefile_gen(path, n) < 0)
            return 1;
        generated = true;
    }
    int rc = pass(path, false) | pass(path, true);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("maxrss %ld KiB\n", ru.ru_maxrss);
    if (generated)
        unlink(path);
    return rc;
}
