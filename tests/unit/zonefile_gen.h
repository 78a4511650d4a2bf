/* A synthetic parent zone file for the zone-file reader's bench and its 1,000,000-delegation
 * test: n delegations below "bench.", each with two NS, every third with a DS and its RRSIG,
 * every tenth with in-bailiwick glue (A + AAAA); the apex has SOA, NS and DNSKEY; comments and
 * relative names appear too. Returns the number of records written, or -1. Shared by
 * tests/unit/test_zonefile_big.c and bench/bench_zonefile.c (bench/ may use tests/, not back). */
#ifndef DNSSWEEP_TEST_ZONEFILE_GEN_H
#define DNSSWEEP_TEST_ZONEFILE_GEN_H

#include <stdio.h>

static long long zonefile_gen(const char *path, unsigned long n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    long long records = 3;
    fprintf(
        f,
        "$ORIGIN bench.\n$TTL 86400\n"
        "@ IN SOA a.nic.bench. hostmaster.nic.bench. ( 2026112401 1800 900 604800 86400 )\n"
        "@ NS a.nic.bench.\n"
        "@ DNSKEY 257 3 13 "
        "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"
        "; delegations\n");
    for (unsigned long i = 0; i < n; i++) {
        fprintf(f, "d%lu NS ns1.d%lu\n", i, i);
        fprintf(f, " NS ns2.example.net.\n");
        records += 2;
        if (i % 3 == 0) {
            fprintf(f,
                    "d%lu 3600 IN DS %lu 13 2 "
                    "4A3B7C1D2E3F405162738495A6B7C8D9EAFB0C1D2E3F405162738495A6B7C8D9\n",
                    i, i % 65536);
            fprintf(f,
                    "d%lu RRSIG DS 13 2 3600 20270101000000 20261101000000 4711 bench. "
                    "c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2ln"
                    "bmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl\n",
                    i);
            records += 2;
        }
        if (i % 10 == 0) {
            fprintf(f, "ns1.d%lu A 192.0.2.%lu\nns1.d%lu AAAA 2001:db8::%lx\n", i, i % 250, i,
                    i % 65536);
            records += 2;
        }
    }
    if (fclose(f) != 0)
        return -1;
    return records;
}

#endif
