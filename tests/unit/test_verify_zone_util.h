/*
 * Zone-level test fixtures: zones signed at test time with ldns-keygen + ldns-signzone in a
 * temporary directory, and DNS answers built from them as an authoritative server would.
 */
#ifndef DNSSWEEP_TEST_VERIFY_ZONE_UTIL_H
#define DNSSWEEP_TEST_VERIFY_ZONE_UTIL_H

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

#endif
