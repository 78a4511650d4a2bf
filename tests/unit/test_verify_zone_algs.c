/*
 * More zones signed by ldns-signzone: every supported algorithm family (cross-checked with
 * ldns), NSEC3 with salt and iterations, CDS delete, deprecated and small RSA keys, trust
 * anchors, and key flags (zone bit, revoke) on the DS-matched key, re-signed in the test.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_zone_util.h"

#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#define BASE                                                                                       \
    "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 host 1 3600 900 604800 300\n@ NS ns1\n"            \
    "ns1 A 192.0.2.1\nwww A 192.0.2.11\n"

static void zone_case(const char *alg, int bits, const char *text, bool cds, const char *extra,
                      verify_status_t status, int code, const char *what)
{
    struct test_zone z;
    int rc = tz_sign(&z, alg, bits, text, cds, extra);
    is_int(rc, 0, "%s: signed by ldns-signzone", what);
    if (rc == 0) {
        cross_check_ldns(&z, now_in, what);
        struct answers s;
        answers_build(&s, &z);
        expect(judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in), status, code, what);
        answers_free(&s);
    }
    tz_free(&z);
}

static void test_nsec3(void)
{
    struct test_zone z;
    int rc = tz_sign(&z, "ECDSAP256SHA256", 0, BASE "@ A 192.0.2.10\n", false, "-n -t 5 -s ABCD");
    is_int(rc, 0, "NSEC3 zone signed");
    if (rc != 0) {
        tz_free(&z);
        return;
    }
    struct answers s;
    answers_build(&s, &z);
    ok(ldns_pkt_nscount(s.caa) > 2, "CAA NODATA carries NSEC3 records");
    verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in);
    ok(v->nsec3.seen && v->nsec3.iterations == 5 && v->nsec3.salt_len == 2 &&
           v->nsec3.salt[0] == 0xAB && v->nsec3.hash_algorithm == 1,
       "NSEC3 parameters summarised (1, 5 iterations, salt ABCD)");
    ok(verify_verdict_has(v, VERIFY_REASON_NSEC3_SALT), "NSEC3_SALT reported");
    expect(v, VERIFY_STATUS_SECURE, VERIFY_REASON_NSEC3_ITERATIONS, "NSEC3 -t 5 -s ABCD");

    tz_corrupt(s.caa, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC3);
    expect(judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_CAA_BOGUS, "CAA NODATA with broken NSEC3 RRSIGs");
    answers_free(&s);
    tz_free(&z);
}

/* An RRSIG over set by a P-256 private key (raw r|s signature, RFC 6605). */
static ldns_rr *p256_sign(EVP_PKEY *pk, const ldns_rr_list *set, uint16_t tag)
{
    char text[300];
    snprintf(text, sizeof text,
             "example.com. 3600 IN RRSIG DNSKEY 13 2 3600 %s %s %u example.com. AA==",
             TZ_EXPIRATION, TZ_INCEPTION, tag);
    ldns_rr *sig = tv_rr(text);
    ldns_buffer *data = ldns_buffer_new(512);
    uint8_t der[80], raw[64] = {0};
    size_t der_len = sizeof der;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!pk || verify_signed_data(set, sig, data) != 0 ||
        EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, pk) != 1 ||
        EVP_DigestSign(m, der, &der_len, ldns_buffer_begin(data), ldns_buffer_position(data)) != 1)
        exit(2);
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (!es)
        exit(2);
    BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
    ldns_rdf_deep_free(
        ldns_rr_set_rdf(sig, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, sizeof raw, raw), 8));
    ECDSA_SIG_free(es);
    EVP_MD_CTX_free(m);
    ldns_buffer_free(data);
    return sig;
}

/* Re-signs the DNSKEY RRset with the KSK published under other flags, DS for that key. */
static void flag_case(const struct test_zone *z, uint16_t flags, verify_reason_code_t want,
                      const char *what)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.private", z->dir, z->ksk);
    FILE *f = fopen(path, "r");
    ldns_key *k = NULL;
    if (!f || ldns_key_new_frm_fp(&k, f) != LDNS_STATUS_OK) {
        ok(0, "%s: KSK private key read", what);
        if (f)
            fclose(f);
        return;
    }
    fclose(f);
    ldns_key_set_flags(k, flags);
    ldns_key_set_pubkey_owner(k, ldns_rdf_clone(apex));
    ldns_key_set_inception(k, (uint32_t)tv_time(TZ_INCEPTION));
    ldns_key_set_expiration(k, (uint32_t)tv_time(TZ_EXPIRATION));
    ldns_rr *ksk = ldns_key2rr(k);
    ldns_key_set_keytag(k, ldns_calc_keytag(ksk));
    ldns_rr_list *set = ldns_rr_list_new();
    ldns_rr_list_push_rr(set, ksk);
    ldns_rr_list_push_rr(set, ldns_rr_clone(z->zsk_key));
    /* ldns_sign_public skips keys without the zone flag: sign with OpenSSL directly. */
    ldns_rr_list *sigs = ldns_rr_list_new();
    ldns_rr_list_push_rr(sigs, p256_sign(ldns_key_evp_key(k), set, ldns_calc_keytag(ksk)));

    struct answers s;
    answers_build(&s, z);
    tz_drop(s.dnskey, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_DNSKEY, 0);
    tz_drop(s.dnskey, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG, 0);
    ldns_pkt_push_rr_list(s.dnskey, LDNS_SECTION_ANSWER, set);
    ldns_pkt_push_rr_list(s.dnskey, LDNS_SECTION_ANSWER, sigs);
    char text[600];
    verify_ds_text(ksk, 2, 3600, text, sizeof text);
    const char *ds_text[] = {text, NULL};
    ldns_rr_list *ds = tv_list(ds_text);
    expect(judge(&s, VERIFY_PARENT_DS, ds, now_in), VERIFY_STATUS_BOGUS, want, what);
    ldns_rr_list_deep_free(ds);
    answers_free(&s);
    ldns_rr_list_free(set); /* the packet owns the RRs now */
    ldns_rr_list_free(sigs);
    ldns_key_deep_free(k);
}

static void test_anchor_and_flags(void)
{
    struct test_zone z;
    if (tz_sign(&z, "ECDSAP256SHA256", 0, BASE, false, NULL) != 0) {
        ok(0, "anchor zone signed");
        tz_free(&z);
        return;
    }
    struct answers s;
    answers_build(&s, &z);
    verify_verdict_t *v = NULL;
    is_int(verify_trust_anchor(ctx, apex, z.ksk_ds, s.dnskey, now_in, &v), 0, "anchor (DS)");
    ok(v->keyset != NULL, "DS trust anchor: validated keyset returned");
    expect(v, VERIFY_STATUS_SECURE, -1, "DS trust anchor");
    ldns_rr_list *key_anchor = ldns_rr_list_new();
    ldns_rr_list_push_rr(key_anchor, ldns_rr_clone(z.ksk_key));
    verify_trust_anchor(ctx, apex, key_anchor, s.dnskey, now_in, &v);
    expect(v, VERIFY_STATUS_SECURE, -1, "DNSKEY trust anchor");
    ldns_rr_list_deep_free(key_anchor);
    key_anchor = ldns_rr_list_new();
    ldns_rr_list_push_rr(key_anchor, ldns_rr_clone(z.zsk_key));
    verify_trust_anchor(ctx, apex, key_anchor, s.dnskey, now_in, &v);
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_DS_KEY_NOT_SIGNING,
           "ZSK as anchor (does not sign DNSKEY)");
    ldns_rr_list_deep_free(key_anchor);
    answers_free(&s);

    flag_case(&z, 1, VERIFY_REASON_DNSKEY_NO_ZONE_BIT, "DS-matched key with flags 1");
    flag_case(&z, 385, VERIFY_REASON_DNSKEY_REVOKED, "DS-matched key with flags 385");
    tz_free(&z);
}

static void test_delete(void)
{
    struct test_zone z;
    if (tz_sign(&z, "ECDSAP256SHA256", 0, BASE "@ CDS 0 0 0 00\n@ CDNSKEY 0 3 0 AA==\n", false,
                NULL) != 0) {
        ok(0, "delete zone signed");
        tz_free(&z);
        return;
    }
    struct answers s;
    answers_build(&s, &z);
    verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in);
    ok(v->n_cds == 2 && v->cds[0].is_delete && v->cds[1].is_delete, "delete records summarised");
    expect(v, VERIFY_STATUS_SECURE, VERIFY_REASON_CDS_DELETE, "CDS/CDNSKEY delete");
    answers_free(&s);
    tz_free(&z);
}

/* The NXDOMAIN probe meets a wildcard CNAME: the expanded answer verifies (labels field). */
static void test_wildcard_probe(void)
{
    struct test_zone z;
    if (tz_sign(&z, "ECDSAP256SHA256", 0, BASE "* CNAME www\n", false, NULL) != 0) {
        ok(0, "wildcard zone signed");
        tz_free(&z);
        return;
    }
    struct answers s;
    answers_build(&s, &z);
    ldns_pkt_free(s.probe);
    ldns_rdf *q = tv_name("zz-no-such-label.example.com.");
    ldns_rdf *star = tv_name("*.example.com.");
    s.probe =
        ldns_pkt_query_new(ldns_rdf_clone(q), LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_QR | LDNS_AA);
    ldns_rr_list *all = tz_all(&z);
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
        ldns_rr *rr = ldns_rr_list_rr(all, i);
        if (!tz_covers(rr, star, LDNS_RR_TYPE_CNAME))
            continue;
        ldns_rr *c = ldns_rr_clone(rr);
        ldns_rdf_deep_free(ldns_rr_owner(c));
        ldns_rr_set_owner(c, ldns_rdf_clone(q));
        ldns_pkt_push_rr(s.probe, LDNS_SECTION_ANSWER, c);
    }
    /* RFC 4035 5.3.4: the expanded answer counts only with the proof that the name itself
     * does not exist; without it a forged "*.zone" answer would pass for any name. */
    expect(judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_MISSING, "wildcard CNAME without the NSEC proof");
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
        ldns_rr *rr = ldns_rr_list_rr(all, i);
        bool nsec = ldns_rr_get_type(rr) == LDNS_RR_TYPE_NSEC ||
                    (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
                     ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) == LDNS_RR_TYPE_NSEC);
        if (nsec)
            ldns_pkt_push_rr(s.probe, LDNS_SECTION_AUTHORITY, ldns_rr_clone(rr));
    }
    expect(judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in), VERIFY_STATUS_SECURE, -1,
           "probe answered by a signed wildcard CNAME with its NSEC proof");
    tz_corrupt(s.probe, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_CNAME);
    expect(judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_RRSIG_INVALID, "wildcard CNAME with a broken RRSIG");

    /* Errors come before warnings: the SHA-1-only DS (a warning, found first) and the broken
     * wildcard RRSIG still in the probe (an error). */
    char text[600];
    verify_ds_text(z.ksk_key, 1, 3600, text, sizeof text);
    const char *sha1[] = {text, NULL};
    ldns_rr_list *ds = tv_list(sha1);
    verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, ds, now_in);
    ok(v->n_reasons >= 2 && verify_reason_severity(v->reasons[0].code) == VERIFY_SEVERITY_ERROR &&
           verify_reason_severity(v->reasons[v->n_reasons - 1].code) != VERIFY_SEVERITY_ERROR,
       "reasons sorted: errors first (%zu reasons)", v->n_reasons);
    verify_verdict_free(v);
    ldns_rr_list_deep_free(ds);
    ldns_rr_list_deep_free(all);
    ldns_rdf_deep_free(q);
    ldns_rdf_deep_free(star);
    answers_free(&s);
    tz_free(&z);
}

int main(void)
{
    if (system("command -v ldns-keygen >/dev/null && command -v ldns-signzone >/dev/null") != 0) {
        ok(0, "ldns-keygen and ldns-signzone must be in PATH (package ldnsutils)");
        return tap_done();
    }
    verify_ctx_new(NULL, &ctx);
    apex = tv_name("example.com.");
    now_in = tv_time("20260115000000");

    zone_case("RSASHA256", 2048, BASE, true, NULL, VERIFY_STATUS_SECURE, -1, "RSASHA256 2048");
    zone_case("RSASHA512", 2048, BASE, false, NULL, VERIFY_STATUS_SECURE, -1, "RSASHA512 2048");
    zone_case("ECDSAP384SHA384", 0, BASE, true, NULL, VERIFY_STATUS_SECURE, -1, "P-384");
    zone_case("ED25519", 0, BASE, true, NULL, VERIFY_STATUS_SECURE, -1, "Ed25519");
    zone_case("ED448", 0, BASE, true, NULL, VERIFY_STATUS_SECURE, -1, "Ed448");
    zone_case("RSASHA1-NSEC3-SHA1", 1024, BASE, false, NULL, VERIFY_STATUS_SECURE,
              VERIFY_REASON_ALGORITHM_DEPRECATED, "RSASHA1-NSEC3-SHA1 1024");
    zone_case("RSASHA256", 1024, BASE, false, NULL, VERIFY_STATUS_SECURE,
              VERIFY_REASON_KEY_TOO_SMALL, "RSASHA256 1024");
    test_nsec3();
    test_anchor_and_flags();
    test_delete();
    test_wildcard_probe();

    verify_ctx_free(ctx);
    ldns_rdf_deep_free(apex);
    return tap_done();
}
