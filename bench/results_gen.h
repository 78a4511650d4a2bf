/* The synthetic verdicts of the results benchmarks (bench_results, bench_prune): a realistic
 * mix, mostly insecure, a quarter secure, a few bogus, lame and nxdomain. */
#ifndef DNSSWEEP_BENCH_RESULTS_GEN_H
#define DNSSWEEP_BENCH_RESULTS_GEN_H

#include <stdio.h>
#include <string.h>

#include "results/results.h"

static inline uint64_t mix(uint64_t x)
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

static inline void domain_of(uint32_t i, char *buf, size_t n)
{
    uint64_t h = mix(i);
    snprintf(buf, n, "%s%s%u.%s", words[h % 12], words[(h >> 8) % 12], i, tlds[(h >> 16) % 6]);
}

static inline void hexify(uint64_t seed, char *out, size_t bytes)
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
static inline int put_one(results_scan_t *scan, uint32_t i, int variant)
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

#endif
