/* Helpers shared by the results/ unit tests: sample records, comparison, temporary stores. */
#ifndef DNSSWEEP_TEST_RESULTS_UTIL_H
#define DNSSWEEP_TEST_RESULTS_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results/results.h"

/* The record of the cli.md example (scan 2026-11-24T14:00:00Z). Static storage. */
static const results_reason_t example_reasons[] = {
    {VERIFY_REASON_DS_NO_MATCHING_DNSKEY, NULL, "example.com/DNSKEY",
     "DS 2371/13/2 matches no DNSKEY (keys: 41023/13/257, 5512/13/256)"},
};
static const results_ds_t example_ds[] = {
    {2371, 13, 2, "4A3B9F3C00112233445566778899AABBCCDDEEFF00112233445566778899AABB"},
};
static const results_dnskey_t example_keys[] = {
    {41023, 13, 257, 256},
    {5512, 13, 256, 256},
};
static const results_nameserver_t example_ns[] = {
    {"ns1.example.net", "192.0.2.1", VERIFY_STATUS_BOGUS, 21},
    {"ns2.example.net", "2001:db8::53", VERIFY_STATUS_BOGUS, -1},
};

static inline results_record_t example_record(void)
{
    results_record_t r = {0};
    r.domain = "example.com";
    r.status = VERIFY_STATUS_BOGUS;
    r.scanned_at = 1795528992; /* 2026-11-24T14:03:12Z */
    r.n_reasons = 1;
    r.reasons = example_reasons;
    r.fix = "Replace the DS at the registrar with: example.com. 3600 IN DS 41023 13 2 9F3C";
    r.parent.zone = "com";
    r.parent.is_signed = true;
    r.parent.ds_ttl = 86400;
    r.parent.n_ds = 1;
    r.parent.ds = example_ds;
    r.n_dnskey = 2;
    r.dnskey = example_keys;
    r.rrsig_earliest_expiration = 1796688000; /* 2026-12-08T00:00:00Z */
    r.n_nameservers = 2;
    r.nameservers = example_ns;
    r.queries = 7;
    return r;
}

/* A small synthetic record for domain (status and reasons vary with i). */
static inline results_record_t synthetic_record(const char *domain, unsigned i,
                                                results_reason_t *reason_slot)
{
    results_record_t r = {0};
    r.domain = domain;
    r.status = (verify_status_t)(i % VERIFY_STATUS_COUNT);
    r.scanned_at = 1795528992 + i;
    if (i % 3 == 0) {
        reason_slot->code = (verify_reason_code_t)(i % VERIFY_REASON_COUNT);
        reason_slot->server = NULL;
        reason_slot->rrset = "x/DNSKEY";
        reason_slot->detail = "synthetic";
        r.n_reasons = 1;
        r.reasons = reason_slot;
    }
    r.parent.zone = "com";
    r.parent.is_signed = true;
    r.n_dnskey = 2;
    r.dnskey = example_keys;
    r.n_nameservers = 1;
    r.nameservers = example_ns;
    r.queries = 5;
    return r;
}

static inline void domain_name(char *buf, size_t n, unsigned i)
{
    snprintf(buf, n, "d%06u.test", i);
}

static inline int put_synthetic(results_scan_t *scan, unsigned i)
{
    char d[32];
    results_reason_t slot;
    domain_name(d, sizeof d, i);
    results_record_t r = synthetic_record(d, i, &slot);
    return results_put(scan, &r);
}

static inline int str_eq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* 0 when a and b hold the same data; else a description of the first difference in why. */
static inline int records_differ(const results_record_t *a, const results_record_t *b, char *why,
                                 size_t n)
{
#define DIFF(cond, ...)                                                                            \
    do {                                                                                           \
        if (cond) {                                                                                \
            snprintf(why, n, __VA_ARGS__);                                                         \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)
    DIFF(!str_eq(a->domain, b->domain), "domain");
    DIFF(a->status != b->status, "status");
    DIFF(a->scanned_at != b->scanned_at, "scanned_at");
    DIFF(a->n_reasons != b->n_reasons, "n_reasons %zu/%zu", a->n_reasons, b->n_reasons);
    for (size_t i = 0; i < a->n_reasons; i++) {
        const results_reason_t *x = &a->reasons[i], *y = &b->reasons[i];
        DIFF(x->code != y->code || !str_eq(x->server, y->server) || !str_eq(x->rrset, y->rrset) ||
                 !str_eq(x->detail, y->detail),
             "reason %zu", i);
    }
    DIFF(!str_eq(a->fix, b->fix), "fix");
    DIFF(!str_eq(a->parent.zone, b->parent.zone) || a->parent.is_signed != b->parent.is_signed ||
             a->parent.ds_ttl != b->parent.ds_ttl || a->parent.n_ds != b->parent.n_ds,
         "parent");
    for (size_t i = 0; i < a->parent.n_ds; i++) {
        const results_ds_t *x = &a->parent.ds[i], *y = &b->parent.ds[i];
        DIFF(x->key_tag != y->key_tag || x->algorithm != y->algorithm ||
                 x->digest_type != y->digest_type || !str_eq(x->digest, y->digest),
             "ds %zu ('%s' vs '%s')", i, x->digest ? x->digest : "(null)",
             y->digest ? y->digest : "(null)");
    }
    DIFF(a->n_dnskey != b->n_dnskey, "n_dnskey");
    for (size_t i = 0; i < a->n_dnskey; i++)
        DIFF(memcmp(&a->dnskey[i], &b->dnskey[i], sizeof a->dnskey[i]) != 0, "dnskey %zu", i);
    DIFF(a->rrsig_earliest_expiration != b->rrsig_earliest_expiration, "expiration");
    DIFF(a->n_cds != b->n_cds, "n_cds");
    for (size_t i = 0; i < a->n_cds; i++)
        DIFF(!str_eq(a->cds[i], b->cds[i]), "cds %zu", i);
    DIFF(a->n_nameservers != b->n_nameservers, "n_nameservers");
    for (size_t i = 0; i < a->n_nameservers; i++) {
        const results_nameserver_t *x = &a->nameservers[i], *y = &b->nameservers[i];
        DIFF(!str_eq(x->name, y->name) || !str_eq(x->address, y->address) ||
                 x->status != y->status || x->rtt_ms != y->rtt_ms,
             "nameserver %zu ('%s' vs '%s')", i, x->address ? x->address : "(null)",
             y->address ? y->address : "(null)");
    }
    DIFF(a->queries != b->queries, "queries");
    DIFF(a->resolver_check.present != b->resolver_check.present, "resolver_check.present");
    if (a->resolver_check.present)
        DIFF(a->resolver_check.ad != b->resolver_check.ad ||
                 a->resolver_check.rcode != b->resolver_check.rcode ||
                 a->resolver_check.ede != b->resolver_check.ede ||
                 a->resolver_check.disagrees != b->resolver_check.disagrees,
             "resolver_check");
#undef DIFF
    return 0;
}

/* A fresh directory under $TMPDIR (or /tmp); the caller removes it with rm_tree(). */
static inline char *make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/dnssweep-results-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

/* Removes dir and the files directly inside it, and one level of subdirectories. */
static inline void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char p[1024];
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
                continue;
            if (unlink(p) != 0)
                rm_tree(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Reads a whole stream written with open_memstream-like semantics from a tmpfile. */
static inline char *slurp(FILE *f)
{
    long n;
    fflush(f);
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    return s;
}

/* The store of the output tests: scans "old" and "new" with one domain per kind of change,
 * "many" (more broken domains than a report table shows), "esc" (text to escape, and a record
 * for show), and "csv" (for export; unfinished, so it is the latest). */
static inline results_store_t *make_sample_store(const char *root)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/db", root);
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    if (results_open(dir, 0, &st) != 0)
        return NULL;
    struct change {
        const char *domain;
        int old_status, new_status; /* -1 = absent */
        verify_reason_code_t old_code, new_code;
    };
    const verify_reason_code_t none = VERIFY_REASON_COUNT;
    static const struct change changes[] = {
        {"a.test", VERIFY_STATUS_SECURE, VERIFY_STATUS_BOGUS, VERIFY_REASON_COUNT,
         VERIFY_REASON_DS_NO_MATCHING_DNSKEY},
        {"b.test", VERIFY_STATUS_BOGUS, VERIFY_STATUS_SECURE, VERIFY_REASON_RRSIG_EXPIRED,
         VERIFY_REASON_COUNT},
        {"c.test", VERIFY_STATUS_SECURE, VERIFY_STATUS_INSECURE, VERIFY_REASON_COUNT,
         VERIFY_REASON_COUNT},
        {"d.test", VERIFY_STATUS_INSECURE, VERIFY_STATUS_SECURE, VERIFY_REASON_DNSKEY_WITHOUT_DS,
         VERIFY_REASON_COUNT},
        {"e.test", VERIFY_STATUS_BOGUS, VERIFY_STATUS_BOGUS, VERIFY_REASON_RRSIG_EXPIRED,
         VERIFY_REASON_RRSIG_INVALID},
        {"f.test", -1, VERIFY_STATUS_SECURE, VERIFY_REASON_COUNT, VERIFY_REASON_COUNT},
        {"g.test", VERIFY_STATUS_INSECURE, -1, VERIFY_REASON_COUNT, VERIFY_REASON_COUNT},
        {"h.test", VERIFY_STATUS_SECURE, VERIFY_STATUS_SECURE, VERIFY_REASON_RRSIG_EXPIRES_SOON,
         VERIFY_REASON_RRSIG_EXPIRES_SOON},
        {"i.test", VERIFY_STATUS_LAME, VERIFY_STATUS_BOGUS, VERIFY_REASON_NS_UNREACHABLE,
         VERIFY_REASON_DS_ZONE_UNSIGNED},
        {"j.test", VERIFY_STATUS_BOGUS, VERIFY_STATUS_LAME, VERIFY_REASON_DS_ZONE_UNSIGNED,
         VERIFY_REASON_NS_UNREACHABLE},
        {"k.test", VERIFY_STATUS_SECURE, VERIFY_STATUS_LAME, VERIFY_REASON_COUNT,
         VERIFY_REASON_NS_UNREACHABLE},
    };
    const size_t n = sizeof changes / sizeof changes[0];
    for (int side = 0; side < 2; side++) {
        results_scan_begin(st, side ? "new" : "old", NULL, NULL, &scan);
        for (size_t i = n; i-- > 0;) { /* put in reverse: the store orders by domain */
            const struct change *c = &changes[i];
            int status = side ? c->new_status : c->old_status;
            verify_reason_code_t code = side ? c->new_code : c->old_code;
            results_reason_t reason = {code, NULL, "r", "d"};
            results_record_t r = {.domain = c->domain, .status = (verify_status_t)status};
            if (status < 0)
                continue;
            if (code != none) {
                r.n_reasons = 1;
                r.reasons = &reason;
            }
            results_put(scan, &r);
        }
        results_scan_finish(scan, NULL);
    }

    /* More broken domains than a report table shows. */
    results_scan_begin(st, "many", NULL, NULL, &scan);
    for (int i = 0; i < RESULTS_REPORT_ROWS + 5; i++) {
        char d[32];
        snprintf(d, sizeof d, "m%05d.test", i);
        results_record_t r = {.domain = d, .status = VERIFY_STATUS_LAME};
        results_put(scan, &r);
    }
    results_scan_finish(scan, NULL);

    /* Text that must be escaped in HTML. */
    results_scan_begin(st, "esc", NULL, NULL, &scan);
    results_reason_t hostile = {VERIFY_REASON_RRSIG_INVALID, NULL, "x", "<script>&\"'"};
    results_record_t h = {.domain = "h.test", .status = VERIFY_STATUS_BOGUS, .n_reasons = 1};
    h.reasons = &hostile;
    h.fix = "a < b";
    results_put(scan, &h);
    /* For show: CDS, a revoked key, a resolver check. */
    static const char *const cds[] = {"r.test. 3600 IN CDS 0 0 0 00"};
    static const results_dnskey_t rk[] = {{7, 15, 385, 0}, {8, 15, 0, 0}};
    results_record_t rr = {.domain = "r.test", .status = VERIFY_STATUS_BOGUS, .scanned_at = 10};
    rr.parent = (results_parent_t){"", false, 0, 0, NULL, false};
    rr.n_cds = 1;
    rr.cds = cds;
    rr.n_dnskey = 2;
    rr.dnskey = rk;
    rr.resolver_check = (results_resolver_check_t){true, false, 2, 9, true};
    results_put(scan, &rr);
    results_scan_finish(scan, NULL);

    /* For export: the example, a minimal record, and one whose fields need CSV quoting. */
    results_scan_begin(st, "csv", NULL, NULL, &scan);
    results_record_t ex = example_record();
    results_put(scan, &ex);
    results_record_t min = {.domain = "min.test", .status = VERIFY_STATUS_NXDOMAIN};
    results_put(scan, &min);
    static const results_reason_t two[] = {
        {VERIFY_REASON_DS_STALE, NULL, "q.test/DS", "x"},
        {VERIFY_REASON_ALGORITHM_DEPRECATED, "192.0.2.9", "q.test/DNSKEY", "y"},
    };
    static const results_ds_t ds2[] = {{1, 8, 2, "AB"}, {2, 5, 1, "cd"}};
    static const results_dnskey_t keys[] = {{1, 8, 257, 2048}, {2, 5, 256, 1024}, {3, 8, 256, 0}};
    results_record_t q = {.domain = "q.test", .status = VERIFY_STATUS_SECURE, .n_reasons = 2};
    q.reasons = two;
    q.fix = "say \"hi\", then\nnewline";
    q.parent = (results_parent_t){"test", true, 3600, 2, ds2, false};
    q.n_dnskey = 3;
    q.dnskey = keys;
    q.rrsig_earliest_expiration = 1796688000;
    results_put(scan, &q);
    results_scan_close(scan); /* unfinished: "latest" still means this one */
    return st;
}

#endif
