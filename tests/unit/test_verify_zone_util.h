/*
 * Zone-level test fixtures: zones signed at test time with ldns-keygen + ldns-signzone in a
 * temporary directory, and DNS answers built from them as an authoritative server would.
 */
#ifndef DNSSWEEP_TEST_VERIFY_ZONE_UTIL_H
#define DNSSWEEP_TEST_VERIFY_ZONE_UTIL_H

#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#define TZ_INCEPTION "20260101000000"
#define TZ_EXPIRATION "20260301000000"

struct test_zone {
    char dir[64];
    char ksk[128], zsk[128]; /* key base names */
    ldns_zone *zone;
    ldns_rr_list *ksk_ds; /* the DS ldns-keygen wrote for the KSK */
    ldns_rr *ksk_key, *zsk_key;
};

static inline int tz_run(const char *cmd, char *out, size_t out_len)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = out ? fread(out, 1, out_len - 1, p) : 0;
    if (out) {
        out[n] = '\0';
        out[strcspn(out, "\n")] = '\0';
    } else {
        char sink[256];
        while (fread(sink, 1, sizeof sink, p) > 0)
            ;
    }
    return pclose(p) == 0 ? 0 : -1;
}

static inline ldns_rr *tz_rr_from_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    if (!f || !fgets(line, sizeof line, f))
        exit(2);
    fclose(f);
    char *semi = strchr(line, ';');
    if (semi)
        *semi = '\0';
    line[strcspn(line, "\n")] = '\0';
    return tv_rr(line);
}

/*
 * Generates a KSK and a ZSK of alg (bits 0 = default), writes zone_text (+ CDS/CDNSKEY of
 * the KSK when cds), and signs with extra ldns-signzone args. Returns 0 or -1.
 */
static inline int tz_sign(struct test_zone *z, const char *alg, int bits, const char *zone_text,
                          bool cds, const char *extra)
{
    char cmd[1024], path[256];
    memset(z, 0, sizeof *z);
    snprintf(z->dir, sizeof z->dir, "/tmp/dnssweep-verify-XXXXXX");
    if (!mkdtemp(z->dir))
        return -1;
    char b[32] = "";
    if (bits)
        snprintf(b, sizeof b, "-b %d", bits);
    snprintf(cmd, sizeof cmd, "cd %s && ldns-keygen -r /dev/urandom -a %s %s -k example.com",
             z->dir, alg, b);
    if (tz_run(cmd, z->ksk, sizeof z->ksk) < 0)
        return -1;
    snprintf(cmd, sizeof cmd, "cd %s && ldns-keygen -r /dev/urandom -a %s %s example.com", z->dir,
             alg, b);
    if (tz_run(cmd, z->zsk, sizeof z->zsk) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/%s.key", z->dir, z->ksk);
    z->ksk_key = tz_rr_from_file(path);
    snprintf(path, sizeof path, "%s/%s.key", z->dir, z->zsk);
    z->zsk_key = tz_rr_from_file(path);
    snprintf(path, sizeof path, "%s/%s.ds", z->dir, z->ksk);
    z->ksk_ds = ldns_rr_list_new();
    ldns_rr_list_push_rr(z->ksk_ds, tz_rr_from_file(path));

    snprintf(path, sizeof path, "%s/zone", z->dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(zone_text, f);
    if (cds) {
        char *ds = ldns_rr2str(ldns_rr_list_rr(z->ksk_ds, 0));
        char *key = ldns_rr2str(z->ksk_key);
        /* Same RDATA, other type: rewrite the type mnemonic. */
        char *p = strstr(ds, "\tDS\t"), *q = strstr(key, "\tDNSKEY\t");
        if (!p || !q)
            return -1;
        fprintf(f, "example.com. 3600 IN CDS %s", p + 4);
        fprintf(f, "example.com. 3600 IN CDNSKEY %s", q + 8);
        free(ds);
        free(key);
    }
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "cd %s && ldns-signzone -i %s -e %s %s -f zone.signed zone %s %s 2>&1", z->dir,
             TZ_INCEPTION, TZ_EXPIRATION, extra ? extra : "", z->ksk, z->zsk);
    if (tz_run(cmd, NULL, 0) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/zone.signed", z->dir);
    f = fopen(path, "r");
    if (!f || ldns_zone_new_frm_fp(&z->zone, f, NULL, 3600, LDNS_RR_CLASS_IN) != LDNS_STATUS_OK)
        return -1;
    fclose(f);
    return 0;
}

static inline void tz_free(struct test_zone *z)
{
    char cmd[128];
    if (z->dir[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf %s", z->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", z->dir);
    }
    ldns_zone_deep_free(z->zone);
    ldns_rr_list_deep_free(z->ksk_ds);
    ldns_rr_free(z->ksk_key);
    ldns_rr_free(z->zsk_key);
}

/* Every RR of the zone, SOA included (borrowed pointers; free the list only). */
static inline ldns_rr_list *tz_all(const struct test_zone *z)
{
    ldns_rr_list *l = ldns_rr_list_clone(ldns_zone_rrs(z->zone));
    ldns_rr_list_push_rr(l, ldns_rr_clone(ldns_zone_soa(z->zone)));
    return l;
}

static inline bool tz_covers(const ldns_rr *rr, const ldns_rdf *owner, ldns_rr_type t)
{
    if (ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
        return false;
    if (ldns_rr_get_type(rr) == t)
        return true;
    return ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
           ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) == (uint16_t)t;
}

/*
 * The answer an authoritative server gives for qname/qtype: the RRset and its RRSIGs, or for
 * NODATA/NXDOMAIN the SOA and every NSEC/NSEC3 of the zone with their RRSIGs (the proof's
 * correctness is the denial module's business; here it only has to be signed).
 */
static inline ldns_pkt *tz_answer(const struct test_zone *z, const char *qname, ldns_rr_type t)
{
    ldns_rdf *q = tv_name(qname);
    ldns_pkt *p = ldns_pkt_query_new(ldns_rdf_clone(q), t, LDNS_RR_CLASS_IN, LDNS_QR | LDNS_AA);
    ldns_rr_list *all = tz_all(z);
    bool name_exists = false, any = false;
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
        ldns_rr *rr = ldns_rr_list_rr(all, i);
        name_exists |= ldns_dname_compare(ldns_rr_owner(rr), q) == 0;
        if (tz_covers(rr, q, t)) {
            any |= ldns_rr_get_type(rr) == t;
            ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, ldns_rr_clone(rr));
        }
    }
    if (!any) {
        ldns_pkt_set_rcode(p, name_exists ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN);
        for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
            ldns_rr *rr = ldns_rr_list_rr(all, i);
            ldns_rr_type rt = ldns_rr_get_type(rr);
            uint16_t cov = rt == LDNS_RR_TYPE_RRSIG ? ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) : 0;
            if (rt == LDNS_RR_TYPE_SOA || rt == LDNS_RR_TYPE_NSEC || rt == LDNS_RR_TYPE_NSEC3 ||
                cov == LDNS_RR_TYPE_SOA || cov == LDNS_RR_TYPE_NSEC || cov == LDNS_RR_TYPE_NSEC3)
                ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, ldns_rr_clone(rr));
        }
    }
    ldns_rr_list_deep_free(all);
    ldns_rdf_deep_free(q);
    return p;
}

/* Removes from a section the RRs of type t (RRSIG with covered != 0: the RRSIGs over it). */
static inline void tz_drop(ldns_pkt *p, ldns_pkt_section sec, ldns_rr_type t, uint16_t covered)
{
    ldns_rr_list *l = sec == LDNS_SECTION_ANSWER ? ldns_pkt_answer(p) : ldns_pkt_authority(p);
    ldns_rr_list *keep = ldns_rr_list_new();
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
        ldns_rr *rr = ldns_rr_list_rr(l, i);
        bool drop = ldns_rr_get_type(rr) == t &&
                    (!covered || ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) == covered);
        if (drop)
            ldns_rr_free(rr);
        else
            ldns_rr_list_push_rr(keep, rr);
    }
    ldns_rr_list_set_rr_count(l, 0);
    ldns_rr_list_push_rr_list(l, keep);
    ldns_rr_list_free(keep);
    if (sec == LDNS_SECTION_ANSWER)
        ldns_pkt_set_ancount(p, (uint16_t)ldns_rr_list_rr_count(l));
    else
        ldns_pkt_set_nscount(p, (uint16_t)ldns_rr_list_rr_count(l));
}

/* Flips one bit in every RRSIG over `covered` in a section. */
static inline void tz_corrupt(ldns_pkt *p, ldns_pkt_section sec, uint16_t covered)
{
    ldns_rr_list *l = sec == LDNS_SECTION_ANSWER ? ldns_pkt_answer(p) : ldns_pkt_authority(p);
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
        ldns_rr *rr = ldns_rr_list_rr(l, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
            ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) == covered)
            ldns_rdf_data(ldns_rr_rdf(rr, 8))[7] ^= 0x10;
    }
}

/* Set by each test program's main(). */
static verify_ctx_t *ctx;
static ldns_rdf *apex;
static int64_t now_in; /* inside the signatures' window */

struct answers {
    ldns_pkt *dnskey, *soa, *a, *caa, *cds, *cdnskey, *probe;
};

static inline void answers_build(struct answers *s, const struct test_zone *z)
{
    s->dnskey = tz_answer(z, "example.com.", LDNS_RR_TYPE_DNSKEY);
    s->soa = tz_answer(z, "example.com.", LDNS_RR_TYPE_SOA);
    s->a = tz_answer(z, "example.com.", LDNS_RR_TYPE_A);
    s->caa = tz_answer(z, "example.com.", LDNS_RR_TYPE_CAA);
    s->cds = tz_answer(z, "example.com.", LDNS_RR_TYPE_CDS);
    s->cdnskey = tz_answer(z, "example.com.", LDNS_RR_TYPE_CDNSKEY);
    s->probe = tz_answer(z, "zz-no-such-label.example.com.", LDNS_RR_TYPE_A);
}

static inline void answers_free(struct answers *s)
{
    ldns_pkt_free(s->dnskey);
    ldns_pkt_free(s->soa);
    ldns_pkt_free(s->a);
    ldns_pkt_free(s->caa);
    ldns_pkt_free(s->cds);
    ldns_pkt_free(s->cdnskey);
    ldns_pkt_free(s->probe);
}

static inline verify_verdict_t *judge(const struct answers *s, verify_parent_state_t parent,
                                      const ldns_rr_list *ds, int64_t now)
{
    verify_zone_input_t in = {
        .zone = apex,
        .parent = parent,
        .parent_ds = ds,
        .dnskey = s->dnskey,
        .soa = s->soa,
        .a = s->a,
        .caa = s->caa,
        .cds = s->cds,
        .cdnskey = s->cdnskey,
        .nxdomain_probe = s->probe,
        .now = now,
    };
    verify_verdict_t *v = NULL;
    if (verify_zone(ctx, &in, &v) != 0 || !v) {
        fprintf(stderr, "verify_zone failed\n");
        exit(2);
    }
    return v;
}

static inline void print_reasons(const verify_verdict_t *v)
{
    for (size_t i = 0; i < v->n_reasons; i++)
        printf("#   %s %s: %s\n", verify_reason_name(v->reasons[i].code), v->reasons[i].rrset,
               v->reasons[i].detail);
}

/* Checks status and that `code` is among the reasons (code < 0: no error/warning at all). */
static inline void expect(verify_verdict_t *v, verify_status_t status, int code, const char *what)
{
    is_str(verify_status_name(v->status), verify_status_name(status), "%s: status", what);
    if (code >= 0)
        ok(verify_verdict_has(v, (verify_reason_code_t)code), "%s: reason %s", what,
           verify_reason_name((verify_reason_code_t)code));
    else
        ok(v->n_reasons == 0, "%s: no reasons", what);
    if (v->status != status || (code >= 0 && !verify_verdict_has(v, (verify_reason_code_t)code)))
        print_reasons(v);
    verify_verdict_free(v);
}

/* Our verdict for every RRset of the signed zone equals ldns_verify_rrsig_keylist's. */
static inline void cross_check_ldns(const struct test_zone *z, int64_t now, const char *when)
{
    ldns_rr_list *all = tz_all(z), *keys = ldns_rr_list_new();
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++)
        if (ldns_rr_get_type(ldns_rr_list_rr(all, i)) == LDNS_RR_TYPE_DNSKEY)
            ldns_rr_list_push_rr(keys, ldns_rr_list_rr(all, i));
    verify_keyset_t *ks = NULL;
    verify_keyset_new(apex, keys, &ks);
    size_t checked = 0, agreed = 0;
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
        ldns_rr *rr = ldns_rr_list_rr(all, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
            continue;
        bool first = true; /* one check per RRset: at its first RR */
        for (size_t j = 0; j < i; j++) {
            ldns_rr *o = ldns_rr_list_rr(all, j);
            if (ldns_rr_get_type(o) == ldns_rr_get_type(rr) &&
                ldns_dname_compare(ldns_rr_owner(o), ldns_rr_owner(rr)) == 0)
                first = false;
        }
        if (!first)
            continue;
        ldns_rr_list *set = ldns_rr_list_new(), *sigs = ldns_rr_list_new();
        for (size_t j = 0; j < ldns_rr_list_rr_count(all); j++) {
            ldns_rr *o = ldns_rr_list_rr(all, j);
            if (!tz_covers(o, ldns_rr_owner(rr), ldns_rr_get_type(rr)))
                continue;
            ldns_rr_list_push_rr(ldns_rr_get_type(o) == LDNS_RR_TYPE_RRSIG ? sigs : set, o);
        }
        if (ldns_rr_list_rr_count(sigs) == 0) { /* glue and delegations are not signed */
            ldns_rr_list_free(set);
            ldns_rr_list_free(sigs);
            continue;
        }
        verify_sig_result_t res;
        verify_rrset(ks, set, sigs, now, &res);
        bool ldns_ok = false;
        for (size_t j = 0; j < ldns_rr_list_rr_count(sigs); j++)
            ldns_ok |= ldns_verify_rrsig_keylist_time(set, ldns_rr_list_rr(sigs, j), keys,
                                                      (time_t)now, NULL) == LDNS_STATUS_OK;
        checked++;
        if ((res.outcome == VERIFY_SIG_VALID) == ldns_ok)
            agreed++;
        else
            printf("# disagree on %s: ours %s, ldns %d\n", ldns_rr_type2str(ldns_rr_get_type(rr)),
                   res.detail, ldns_ok);
        ldns_rr_list_free(set);
        ldns_rr_list_free(sigs);
    }
    ok(checked >= 6, "%s: %zu signed RRsets cross-checked", when, checked);
    is_int(agreed, checked, "%s: every RRset's verdict equals ldns_verify_rrsig_keylist", when);
    verify_keyset_free(ks);
    ldns_rr_list_free(keys);
    ldns_rr_list_deep_free(all);
}

#endif
