/* The zone-file reader on a parent zone of 1,000,000 delegations (generated into a temporary
 * file): every delegation, record and glue address is counted, nothing is reported as
 * malformed, and the process's peak memory stays under 100 MB (getrusage maxrss). */
#include "tests/unit/zonefile_gen.h"
#include "scanner/zonefile.h"
#include "tests/tap.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define DELEGATIONS 1000000UL

int main(void)
{
    char dir[] = "/tmp/dnssweep-zonefile-big-XXXXXX";
    ok(mkdtemp(dir) != NULL, "temporary directory");
    char path[128];
    snprintf(path, sizeof path, "%s/bench.zone", dir);
    long long written = zonefile_gen(path, DELEGATIONS);
    ok(written > 0, "zone file with %lu delegations written (%lld records)", DELEGATIONS, written);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    scanner_zonefile_t *zf = NULL;
    is_int(scanner_zonefile_open(path, NULL, &zf), 0, "opens");
    unsigned long delegations = 0, ns = 0, ds = 0, bad = 0, misnamed = 0;
    scanner_zonefile_delegation_t dg;
    int rc;
    while ((rc = scanner_zonefile_next(zf, &dg)) > 0) {
        if (rc == ZONEFILE_BAD) {
            if (bad++ < 5)
                printf("# line %llu: %s\n", (unsigned long long)scanner_zonefile_error_line(zf),
                       scanner_zonefile_error(zf));
            continue;
        }
        char want[64];
        snprintf(want, sizeof want, "d%lu.bench.", delegations);
        if (strcmp(dg.child, want) != 0 && misnamed++ < 5)
            printf("# delegation %lu is %s\n", delegations, dg.child);
        delegations++;
        ns += dg.n_ns;
        ds += dg.n_ds;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    is_int(rc, ZONEFILE_EOF, "read to the end");
    is_int(delegations, DELEGATIONS, "every delegation, in file order");
    is_int(misnamed, 0, "each with its own name");
    is_int(ns, 2 * DELEGATIONS, "two NS each");
    is_int(ds, (DELEGATIONS + 2) / 3, "a DS in every third");
    is_int(bad, 0, "nothing malformed");
    const scanner_zonefile_stats_t *st = scanner_zonefile_stats(zf);
    is_int(st->records, written, "every record counted");
    is_int(st->glue, 2 * ((DELEGATIONS + 9) / 10), "glue A + AAAA in every tenth");
    scanner_zonefile_free(zf);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("# %lld records in %.2f s (%.0f records/s; this build may be sanitised), maxrss %ld "
           "KiB\n",
           written, secs, (double)written / secs, ru.ru_maxrss);
    ok(ru.ru_maxrss < 100 * 1024, "peak memory %ld KiB < 100 MB", ru.ru_maxrss);
    unlink(path);
    rmdir(dir);
    return tap_done();
}
