/*
 * bench_results: the results store at scale.
 *   bench_results [N] [DIR]     (N domains, default 1,000,000; DIR default a fresh /tmp dir)
 * Writes N synthetic verdicts (a realistic mix: mostly insecure, a quarter secure, a few bogus,
 * lame and nxdomain) in a shuffled order, as a scanner finishing domains out of order would,
 * then times export (jsonl and csv to /dev/null), a second scan with ~5% changes, the resume
 * skip pass (results_has for every domain), and the diff of the two scans.
 * Targets: diff < 5 s, skip pass < 3 s, < 300 bytes per domain.
 */
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

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb93fe1ac6353ULL;
    return x ^ (x >> 33);
}

static const char *const words[] = {"shop",  "blue",   "net",  "cloud", "alpha", "data",
                                    "green", "studio", "mail", "home",  "tech",  "web"};
static const char *const tlds[] = {"com", "net", "org", "de", "nl", "se"};

static void domain_of(uint32_t i, char *buf, size_t n)
{
    uint64_t h = mix(i);
    snprintf(buf, n, "%s%s%u.%s", words[h % 12], words[(h >> 8) % 12], i, tlds[(h >> 16) % 6]);
}

static void hexify(uint64_t seed, char *out, size_t bytes)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < bytes; i++) {
        uint8_t b = (uint8_t)(mix(seed + i) & 0xff);
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 15];
    }
    out[2 * bytes] = '\0';
}

/* One domain's verdict; `variant` changes ~5% of them for the second scan. */
static int put_one(results_scan_t *scan, uint32_t i, int variant)
{
    char domain[64], digest[65], ns1[48], ns2[48], addr1[16], addr2[40], fix[256], detail[96];
    char rrset[80];
    uint64_t h = mix((uint64_t)i * 7919);
    unsigned kind = h % 100;
    if (variant && mix(i + 17) % 20 == 0)
        kind = (kind + 37) % 100;
    domain_of(i, domain, sizeof domain);
    snprintf(ns1, sizeof ns1, "ns1.dns-host%u.net", (unsigned)(h >> 20) % 500);
    snprintf(ns2, sizeof ns2, "ns2.dns-host%u.net", (unsigned)(h >> 20) % 500);
    snprintf(addr1, sizeof addr1, "192.0.%u.%u", (unsigned)(h >> 30) % 256,
             (unsigned)(h >> 40) % 254 + 1);
    snprintf(addr2, sizeof addr2, "2001:db8:%x::53", (unsigned)(h >> 44) % 65536);
    results_nameserver_t ns[2] = {
        {ns1, addr1, VERIFY_STATUS_INSECURE, (int32_t)(h % 80) + 5},
        {ns2, addr2, VERIFY_STATUS_INSECURE, (int32_t)(h % 90) + 7},
    };
    results_ds_t ds = {(uint16_t)(h >> 8), 13, 2, digest};
    results_dnskey_t keys[2] = {{(uint16_t)(h >> 8), 13, 257, 256},
                                {(uint16_t)(h >> 24), 13, 256, 256}};
    results_reason_t reason = {VERIFY_REASON_DS_NO_MATCHING_DNSKEY, NULL, rrset, detail};
    results_record_t r = {.domain = domain, .scanned_at = 1795528992 + i / 2000};
    r.parent.zone = strchr(domain, '.') + 1;
    r.parent.is_signed = true;
    r.n_nameservers = 2;
    r.nameservers = ns;
    r.queries = 5;
    if (kind < 70) { /* unsigned domain under a signed TLD */
        r.status = VERIFY_STATUS_INSECURE;
    } else if (kind < 95) { /* signed */
        hexify(h, digest, 32);
        r.status = VERIFY_STATUS_SECURE;
        ns[0].status = ns[1].status = VERIFY_STATUS_SECURE;
        r.parent.ds_ttl = 86400;
        r.parent.n_ds = 1;
        r.parent.ds = &ds;
        r.n_dnskey = 2;
        r.dnskey = keys;
        r.rrsig_earliest_expiration = 1796688000 + (int64_t)(h % 1000000);
        r.queries = 9;
    } else if (kind < 98) { /* bogus: DS left after a key change */
        hexify(h, digest, 32);
        r.status = VERIFY_STATUS_BOGUS;
        ns[0].status = ns[1].status = VERIFY_STATUS_BOGUS;
        r.parent.ds_ttl = 86400;
        r.parent.n_ds = 1;
        r.parent.ds = &ds;
        r.n_dnskey = 2;
        r.dnskey = keys;
        snprintf(rrset, sizeof rrset, "%s/DNSKEY", domain);
        snprintf(detail, sizeof detail, "DS %u/13/2 matches no DNSKEY (keys: %u/13/257)",
                 ds.key_tag + 1u, keys[0].key_tag);
        snprintf(fix, sizeof fix, "Replace the DS at the registrar with: %s. 3600 IN DS %u 13 2 %s",
                 domain, keys[0].key_tag, digest);
        r.n_reasons = 1;
        r.reasons = &reason;
        r.fix = fix;
        r.queries = 9;
    } else if (kind < 99) {
        r.status = VERIFY_STATUS_LAME;
        reason.code = VERIFY_REASON_NS_UNREACHABLE;
        reason.rrset = NULL;
        reason.server = addr1;
        reason.detail = "timeout over UDP and TCP";
        ns[0].status = ns[1].status = VERIFY_STATUS_LAME;
        ns[0].rtt_ms = ns[1].rtt_ms = -1;
        r.n_reasons = 1;
        r.reasons = &reason;
        r.queries = 12;
    } else {
        r.status = VERIFY_STATUS_NXDOMAIN;
        reason.code = VERIFY_REASON_NOT_DELEGATED;
        reason.rrset = NULL;
        reason.detail = NULL;
        r.n_reasons = 1;
        r.reasons = &reason;
        r.n_nameservers = 0;
        r.queries = 1;
    }
    return results_put(scan, &r);
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
    if ((rc = results_report(st, "day2", "day1", devnull)) < 0)
        return die("report", rc, st);
    printf("report     %7.2f s  html, day2 against day1\n", now_s() - t0);
    printf("store      %lld bytes after two scans = %.1f bytes/domain/scan\n", file_size(dir),
           (double)file_size(dir) / (2.0 * n));
    fclose(devnull);
    results_close(st);
    free(order);
    return 0;
}
