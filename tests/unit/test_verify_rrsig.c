/*
 * Mutations of a published vector, one field at a time, each with the verdict it must give:
 * what must still validate (owner case, TTL, order, duplicates) and what must not (signature,
 * key, labels, times, flags, signer, algorithm), plus "any valid path" and RFC 1982 time.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"

#include <string.h>

#define P256_KEY                                                                                   \
    "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64c"  \
    "YbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="
#define P256_SIG_FMT                                                                               \
    "%s 3600 IN RRSIG A 13 %d %d %s %s %d %s "                                                     \
    "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw=="

static int64_t now_ok;

struct sig_fields {
    const char *owner;
    int labels, ttl;
    const char *exp, *inc;
    int tag;
    const char *signer;
};

static const struct sig_fields good = {"www.example.net.", 3,     3600,          "20100909100439",
                                       "20100812100439",   55648, "example.net."};

static ldns_rr *make_sig(const struct sig_fields *f)
{
    char text[600];
    snprintf(text, sizeof text, P256_SIG_FMT, f->owner, f->labels, f->ttl, f->exp, f->inc, f->tag,
             f->signer);
    return tv_rr(text);
}

static verify_keyset_t *keyset(const char *zone, const char *const *keys)
{
    ldns_rr_list *l = tv_list(keys);
    ldns_rdf *z = tv_name(zone);
    verify_keyset_t *ks = NULL;
    if (verify_keyset_new(z, l, &ks) != 0)
        exit(2);
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(z);
    return ks;
}

static verify_sig_result_t check(const verify_keyset_t *ks, const char *const *rrs, ldns_rr *sig,
                                 int64_t now)
{
    verify_sig_result_t res;
    ldns_rr_list *set = tv_list(rrs), *sigs = ldns_rr_list_new();
    ldns_rr_list_push_rr(sigs, sig);
    if (verify_rrset(ks, set, sigs, now, &res) != 0)
        res.outcome = (verify_sig_outcome_t)-1;
    ldns_rr_list_deep_free(set);
    ldns_rr_list_deep_free(sigs);
    return res;
}

static void test_field_mutations(void)
{
    const char *keys[] = {P256_KEY, NULL};
    verify_keyset_t *ks = keyset("example.net.", keys);
    const char *a[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL};
    verify_sig_result_t r;
    struct sig_fields f;

    r = check(ks, a, make_sig(&good), now_ok);
    is_int(r.outcome, VERIFY_SIG_VALID, "unmodified vector verifies");
    is_int(r.key_tag, 55648, "verified by key 55648");
    is_int(r.expiration, tv_time("20100909100439"), "expiration reported as unix time");

    const char *upper[] = {"WWW.Example.NET. 3600 IN A 192.0.2.1", NULL};
    r = check(ks, upper, make_sig(&good), now_ok);
    is_int(r.outcome, VERIFY_SIG_VALID, "owner in mixed case still verifies (canonical form)");

    const char *ttl[] = {"www.example.net. 17 IN A 192.0.2.1", NULL};
    r = check(ks, ttl, make_sig(&good), now_ok);
    is_int(r.outcome, VERIFY_SIG_VALID, "decremented TTL still verifies (original TTL)");

    const char *dup[] = {"www.example.net. 3600 IN A 192.0.2.1",
                         "www.example.net. 3600 IN A 192.0.2.1", NULL};
    r = check(ks, dup, make_sig(&good), now_ok);
    is_int(r.outcome, VERIFY_SIG_VALID, "duplicate RR counts once (RFC 4034 6.3)");

    const char *other[] = {"www.example.net. 3600 IN A 192.0.2.2", NULL};
    r = check(ks, other, make_sig(&good), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_INVALID, "changed RDATA: RRSIG_INVALID");

    ldns_rr *sig = make_sig(&good);
    ldns_rdf_data(ldns_rr_rdf(sig, 8))[10] ^= 0x04;
    r = check(ks, a, sig, now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_INVALID, "one flipped signature bit: RRSIG_INVALID");

    f = good;
    f.ttl = 3601;
    r = check(ks, a, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_INVALID, "changed original TTL: RRSIG_INVALID");

    f = good;
    f.labels = 4;
    r = check(ks, a, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_MALFORMED, "labels above the owner's: RRSIG_MALFORMED");

    f = good;
    f.labels = 2;
    r = check(ks, a, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_INVALID,
           "labels 2 signs *.example.net instead: RRSIG_INVALID");

    r = check(ks, a, make_sig(&good), tv_time("20100910000000"));
    is_int(r.reason, VERIFY_REASON_RRSIG_EXPIRED, "after expiration: RRSIG_EXPIRED");
    ok(strstr(r.detail, "2010-09-09T10:04:39Z") != NULL, "detail gives the RFC 3339 time: %s",
       r.detail);
    r = check(ks, a, make_sig(&good), tv_time("20100801000000"));
    is_int(r.reason, VERIFY_REASON_RRSIG_NOT_YET_VALID, "before inception: RRSIG_NOT_YET_VALID");

    f = good;
    f.tag = 55649;
    r = check(ks, a, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_UNKNOWN_KEY, "key tag of no DNSKEY: RRSIG_UNKNOWN_KEY");

    f = good;
    f.signer = "example.org.";
    r = check(ks, a, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_MALFORMED, "signer not the zone: RRSIG_MALFORMED");

    f = good;
    f.signer = "EXAMPLE.Net.";
    r = check(ks, a, make_sig(&f), now_ok);
    is_int(r.outcome, VERIFY_SIG_VALID, "signer name in upper case still verifies");

    f = good;
    f.owner = "www.example.org.";
    const char *outside[] = {"www.example.org. 3600 IN A 192.0.2.1", NULL};
    r = check(ks, outside, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_MALFORMED, "owner outside the signer's zone: MALFORMED");

    f = good;
    f.owner = "wwwexample.net.";
    const char *glued[] = {"wwwexample.net. 3600 IN A 192.0.2.1", NULL};
    f.labels = 2;
    r = check(ks, glued, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_MALFORMED,
           "wwwexample.net is not within example.net (label boundary)");

    sig = make_sig(&good);
    ldns_rdf_deep_free(ldns_rr_set_rdf(sig, ldns_native2rdf_int8(LDNS_RDF_TYPE_ALG, 253), 1));
    r = check(ks, a, sig, now_ok);
    is_int(r.outcome, VERIFY_SIG_UNSUPPORTED, "private algorithm 253: unsupported, not bogus");

    sig = make_sig(&good);
    ldns_rdf_set_size(ldns_rr_rdf(sig, 8), 63);
    r = check(ks, a, sig, now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_MALFORMED, "63-byte P-256 signature: RRSIG_MALFORMED");

    ldns_rr_list *set = tv_list(a), *none = ldns_rr_list_new();
    verify_rrset(ks, set, none, now_ok, &r);
    is_int(r.reason, VERIFY_REASON_RRSIG_MISSING, "no RRSIG at all: RRSIG_MISSING");
    ldns_rr_list_deep_free(set);
    ldns_rr_list_free(none);
    verify_keyset_free(ks);
}

/* Changing the key: its tag changes (unknown key) unless the RRSIG is re-pointed, in which
 * case the flags decide before the signature does. */
static void test_key_mutations(void)
{
    const char *a[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL};
    verify_sig_result_t r;
    ldns_rr *key = tv_rr(P256_KEY);
    ldns_rdf_data(ldns_rr_rdf(key, 3))[5] ^= 0x01;
    char *text = ldns_rr2str(key);
    const char *flipped[] = {text, NULL};
    verify_keyset_t *ks = keyset("example.net.", flipped);
    r = check(ks, a, make_sig(&good), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_UNKNOWN_KEY,
           "one flipped key bit changes the tag: RRSIG_UNKNOWN_KEY");
    struct sig_fields f = good;
    f.tag = verify_key_tag(key);
    r = check(ks, a, make_sig(&f), now_ok);
    is_int(r.reason, VERIFY_REASON_RRSIG_INVALID,
           "flipped key bit with the RRSIG re-pointed: RRSIG_INVALID");
    verify_keyset_free(ks);
    free(text);
    ldns_rr_free(key);

    struct {
        const char *flags;
        verify_reason_code_t want;
        const char *what;
    } cases[] = {
        {"1", VERIFY_REASON_DNSKEY_NO_ZONE_BIT, "flags 1 (no zone bit): DNSKEY_NO_ZONE_BIT"},
        {"385", VERIFY_REASON_DNSKEY_REVOKED, "flags 385 (revoked): DNSKEY_REVOKED"},
    };
    for (size_t i = 0; i < 2; i++) {
        char k[400];
        snprintf(
            k, sizeof k,
            "example.net. 3600 IN DNSKEY %s 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkr"
            "SqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
            cases[i].flags);
        const char *keys[] = {k, NULL};
        ks = keyset("example.net.", keys);
        f = good;
        f.tag = verify_key_tag(verify_keyset_key(ks, 0));
        r = check(ks, a, make_sig(&f), now_ok);
        is_int(r.reason, cases[i].want, "%s", cases[i].what);
        verify_keyset_free(ks);
    }
}

static void test_any_valid_path(void)
{
    const char *keys[] = {P256_KEY, NULL};
    verify_keyset_t *ks = keyset("example.net.", keys);
    const char *a[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL};
    ldns_rr_list *set = tv_list(a), *sigs = ldns_rr_list_new();
    struct sig_fields f = good;
    f.tag = 1;
    ldns_rr_list_push_rr(sigs, make_sig(&f)); /* unknown key */
    ldns_rr *bad = make_sig(&good);
    ldns_rdf_data(ldns_rr_rdf(bad, 8))[0] ^= 0x80;
    ldns_rr_list_push_rr(sigs, bad); /* invalid */
    verify_sig_result_t r;
    verify_rrset(ks, set, sigs, now_ok, &r);
    is_int(r.reason, VERIFY_REASON_RRSIG_INVALID,
           "unknown key + invalid: the invalid signature is the reported failure");
    ldns_rr_list_push_rr(sigs, make_sig(&good));
    verify_rrset(ks, set, sigs, now_ok, &r);
    is_int(r.outcome, VERIFY_SIG_VALID, "one good RRSIG among bad ones: valid (RFC 6840 5.11)");
    /* A second RRset's RRSIG in the list is ignored, not counted as a failure. */
    ldns_rr_list *only_other = ldns_rr_list_new();
    ldns_rr_list_push_rr(only_other,
                         tv_rr("other.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 "
                               "20100812100439 55648 example.net. AA=="));
    verify_rrset(ks, set, only_other, now_ok, &r);
    is_int(r.reason, VERIFY_REASON_RRSIG_MISSING, "RRSIGs of another owner do not count");
    ldns_rr_list_deep_free(only_other);
    ldns_rr_list_deep_free(set);
    ldns_rr_list_deep_free(sigs);
    verify_keyset_free(ks);
}

static void test_serial_time(void)
{
    const char *keys[] = {P256_KEY, NULL};
    verify_keyset_t *ks = keyset("example.net.", keys);
    const char *a[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL};
    /* Across the 2106 wrap: inception 0xffffff00, expiration 0x100, now 2^32 + 0x10. The
     * window holds by RFC 1982 arithmetic, so only the signature itself fails. */
    struct sig_fields f = good;
    f.inc = "4294967040";
    f.exp = "256";
    verify_sig_result_t r = check(ks, a, make_sig(&f), (int64_t)0x100000010LL);
    is_int(r.reason, VERIFY_REASON_RRSIG_INVALID, "window across the 32-bit wrap is open");
    r = check(ks, a, make_sig(&f), (int64_t)0x100000200LL);
    is_int(r.reason, VERIFY_REASON_RRSIG_EXPIRED, "after the wrapped expiration: expired");
    verify_keyset_free(ks);
}

static void test_canonical_data(void)
{
    ldns_rr *sig = tv_rr("example.com. 3600 IN RRSIG NS 13 2 3600 20300101000000 20000101000000 "
                         "1 Example.COM. AA==");
    const char *s1[] = {"example.com. 60 IN NS NS2.Example.COM.",
                        "example.com. 60 IN NS ns1.example.com.", NULL};
    const char *s2[] = {"EXAMPLE.com. 3600 IN NS ns1.example.com.",
                        "example.com. 3600 IN NS ns2.example.com.",
                        "example.com. 3600 IN NS ns1.example.com.", NULL};
    ldns_rr_list *l1 = tv_list(s1), *l2 = tv_list(s2);
    ldns_buffer *b1 = ldns_buffer_new(256), *b2 = ldns_buffer_new(256);
    is_int(verify_signed_data(l1, sig, b1), 0, "signed data built");
    verify_signed_data(l2, sig, b2);
    ok(ldns_buffer_position(b1) == ldns_buffer_position(b2) &&
           memcmp(ldns_buffer_begin(b1), ldns_buffer_begin(b2), ldns_buffer_position(b1)) == 0,
       "case, TTL, order and duplicates do not change the signed data (NS names lower-cased)");
    /* The signer's name is lower-cased in the RRSIG part: it ends at byte 18 + 13. */
    ok(memcmp(ldns_buffer_begin(b1) + 18, "\007example\003com\000", 13) == 0,
       "signer name is canonical in the signed data");
    ldns_rr_list_deep_free(l1);
    ldns_rr_list_deep_free(l2);
    ldns_buffer_free(b1);
    ldns_buffer_free(b2);
    ldns_rr_free(sig);

    /* Wildcard: labels 2 under a 3-label owner signs "*.example.com". */
    ldns_rr *wsig = tv_rr("a.example.com. 3600 IN RRSIG A 13 2 3600 20300101000000 "
                          "20000101000000 1 example.com. AA==");
    const char *w[] = {"a.example.com. 3600 IN A 192.0.2.1", NULL};
    ldns_rr_list *wl = tv_list(w);
    ldns_buffer *wb = ldns_buffer_new(256);
    verify_signed_data(wl, wsig, wb);
    ok(memcmp(ldns_buffer_begin(wb) + 31, "\001*\007example\003com\000", 15) == 0,
       "wildcard owner rebuilt from the labels field");
    ldns_buffer_free(wb);
    ldns_rr_list_deep_free(wl);
    ldns_rr_free(wsig);
}

static void test_key_import_limits(void)
{
    /* RFC 3110 encoding: exponent length octet, exponent, modulus. */
    uint8_t key[1 + 9 + 520];
    char b64[800], text[1000];
    memset(key, 0x55, sizeof key);
    struct {
        size_t elen, mlen;
        unsigned bits;
        const char *what;
    } cases[] = {
        {3, 256, 2048, "2048-bit modulus, 3-byte exponent imported"},
        {3, 512, 4096, "4096-bit modulus imported"},
        {3, 513, 0, "modulus above 4096 bits refused"},
        {9, 256, 0, "exponent above 64 bits refused (slow-verify guard)"},
        {3, 0, 0, "no modulus refused"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        key[0] = (uint8_t)cases[i].elen;
        key[1] = 0x01; /* exponent and modulus with their top bit pattern */
        key[1 + cases[i].elen] = 0xC5;
        size_t len = 1 + cases[i].elen + cases[i].mlen;
        ldns_rdf *r = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, len, key);
        char *enc = ldns_rdf2str(r);
        snprintf(b64, sizeof b64, "%s", enc);
        snprintf(text, sizeof text, "example.com. 3600 IN DNSKEY 256 3 8 %s", b64);
        ldns_rr *rr = tv_rr(text);
        is_int(verify_dnskey_bits(rr), cases[i].bits, "%s", cases[i].what);
        ldns_rr_free(rr);
        free(enc);
        ldns_rdf_deep_free(r);
    }
}

int main(void)
{
    now_ok = tv_time("20100901000000");
    test_field_mutations();
    test_key_mutations();
    test_any_valid_path();
    test_serial_time();
    test_canonical_data();
    test_key_import_limits();
    return tap_done();
}
