/*
 * Published vectors: key tags (RFC 4034 App. B, alg 1 special case), DS digests (RFC 4034
 * §5.4, RFC 4509, RFC 6605, RFC 8080), RRSIGs (RFC 5702 §6, RFC 6605 §6, RFC 8080 §6 with
 * errata 4935), RFC 4035 App. A/B (apex SOA, wildcard expansion), each at a pinned "now".
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"

#include <openssl/evp.h>
#include <string.h>

static const char *const DSKEY =
    "dskey.example.com. 86400 IN DNSKEY 256 3 5 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVb"
    "fi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv"
    "5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==";

struct ds_vector {
    const char *what, *dnskey;
    uint16_t tag;
    uint8_t digest_type;
    const char *digest;
};

static const struct ds_vector ds_vectors[] = {
    {"RFC 4034 5.4 SHA-1", NULL, 60485, 1, "2BB183AF5F22588179A53B0A98631FAD1A292118"},
    {"RFC 4509 SHA-256", NULL, 60485, 2,
     "D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A"},
    {"RFC 6605 6.1 P-256",
     "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF"
     "64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
     55648, 2, "B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17"},
    {"RFC 6605 6.2 P-384",
     "example.net. 3600 IN DNSKEY 257 3 14 xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXv"
     "SADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40",
     10771, 4,
     "72D7B62976CE06438E9C0BF319013CF801F09ECC84B8D7E9495F27E305C6A9B0563A9B5F4D288405C3008A94"
     "6DF983D6"},
    {"RFC 8080 6.1 Ed25519 key 1",
     "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", 3613, 2,
     "3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B"},
    {"RFC 8080 6.1 Ed25519 key 2",
     "example.com. 3600 IN DNSKEY 257 3 15 zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=", 35217, 2,
     "401781B934E392DE492EC77AE2E15D70F6575A1C0BC59C5275C04EBE80C6614C"},
    {"RFC 8080 6.2 Ed448",
     "example.com. 3600 IN DNSKEY 257 3 16 3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVH"
     "HSfPodx1FYYUcJKm1MDpJtIA",
     9713, 2, "6CCF18D5BC5D7FC2FCEB1D59D17321402F2AA8D368048DB93DD811F5CB2B19C7"},
};

static void test_ds_vectors(void)
{
    for (size_t i = 0; i < sizeof ds_vectors / sizeof ds_vectors[0]; i++) {
        const struct ds_vector *v = &ds_vectors[i];
        ldns_rr *key = tv_rr(v->dnskey ? v->dnskey : DSKEY);
        is_int(verify_key_tag(key), v->tag, "%s: key tag %u", v->what, v->tag);
        is_int(verify_key_tag(key), ldns_calc_keytag(key), "%s: key tag equals ldns's", v->what);
        char text[512], want[512];
        uint32_t ttl = v->dnskey ? 3600 : 86400;
        int rc = verify_ds_text(key, v->digest_type, ttl, text, sizeof text);
        snprintf(want, sizeof want, "%s %u IN DS %u %u %u %s",
                 v->dnskey ? (strncmp(v->dnskey, "example.net", 11) == 0 ? "example.net."
                                                                         : "example.com.")
                           : "dskey.example.com.",
                 ttl, v->tag, ldns_rdf2native_int8(ldns_rr_rdf(key, 2)), v->digest_type, v->digest);
        is_int(rc, 0, "%s: DS text computed", v->what);
        is_str(text, want, "%s: DS record text", v->what);

        /* The DS RR itself matches; one flipped digest bit is a digest mismatch. */
        char ds_text[600];
        snprintf(ds_text, sizeof ds_text, "%s", want);
        ldns_rr *ds = tv_rr(ds_text);
        is_int(verify_ds_match(ds, key), VERIFY_DS_MATCH, "%s: DS matches its DNSKEY", v->what);
        ldns_rdf *digest = ldns_rr_rdf(ds, 3);
        ldns_rdf_data(digest)[0] ^= 0x01;
        is_int(verify_ds_match(ds, key), VERIFY_DS_DIGEST_MISMATCH,
               "%s: one flipped digest bit is DS_DIGEST_MISMATCH", v->what);
        ldns_rr_free(ds);
        ldns_rr_free(key);
    }
    /* Upper-case owner: the digest is over the canonical (lower-case) name. */
    ldns_rr *upper = tv_rr("DSKEY.Example.COM. 86400 IN DNSKEY 256 3 5 AQOeiiR0GOMYkDshWoSKz9Xzf"
                           "wJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAph"
                           "XdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmAD"
                           "jFDc2w/rljwvFw==");
    uint8_t d[64];
    size_t dl = 0;
    is_int(verify_ds_digest(upper, 1, d, &dl), 0, "SHA-1 digest of an upper-case owner");
    ok(dl == 20 && d[0] == 0x2B && d[19] == 0x18, "upper-case owner gives the RFC 4034 digest");
    is_int(verify_ds_digest(upper, 3, d, &dl), VERIFY_EUNSUPPORTED, "GOST digests unsupported");
    ldns_rr_free(upper);
}

static void test_key_tag_alg1(void)
{
    /* RFC 4034 App. B.1: for algorithm 1 the tag is bits 8..23 from the modulus's end. */
    ldns_rr *k = tv_rr("example. 3600 IN DNSKEY 256 3 1 AQPJ////4Q==");
    const ldns_rdf *key = ldns_rr_rdf(k, 3);
    const uint8_t *kd = ldns_rdf_data(key);
    size_t kl = ldns_rdf_size(key);
    uint16_t want = (uint16_t)(kd[kl - 3] << 8 | kd[kl - 2]);
    is_int(verify_key_tag(k), want, "alg 1 key tag from the modulus (0x%04x)", want);
    is_int(verify_key_tag(k), ldns_calc_keytag(k), "alg 1 key tag equals ldns's");
    ldns_rr_free(k);
}

struct sig_vector {
    const char *what, *dnskey, *zone, *rrset, *rrsig, *now;
    unsigned bits;
};

static const struct sig_vector sig_vectors[] = {
    {"RFC 5702 6.1 RSASHA256",
     "example.net. 3600 IN DNSKEY 256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36B"
     "poncwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=",
     "example.net.", "www.example.net. 3600 IN A 192.0.2.91",
     "www.example.net. 3600 IN RRSIG A 8 3 3600 20300101000000 20000101000000 9033 example.net. "
     "kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg==",
     "20100101000000", 512},
    {"RFC 5702 6.2 RSASHA512",
     "example.net. 3600 IN DNSKEY 256 3 10 AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROUk"
     "N6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz1bW"
     "XjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL",
     "example.net.", "www.example.net. 3600 IN A 192.0.2.91",
     "www.example.net. 3600 IN RRSIG A 10 3 3600 20300101000000 20000101000000 3740 example.net. "
     "tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZB"
     "Wm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw=",
     "20100101000000", 1024},
    {"RFC 6605 6.1 ECDSAP256SHA256",
     "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64c"
     "YbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
     "example.net.", "www.example.net. 3600 IN A 192.0.2.1",
     "www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 example.net. "
     "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
     "20100901000000", 256},
    {"RFC 6605 6.2 ECDSAP384SHA384",
     "example.net. 3600 IN DNSKEY 257 3 14 xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSAD"
     "tNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40",
     "example.net.", "www.example.net. 3600 IN A 192.0.2.1",
     "www.example.net. 3600 IN RRSIG A 14 3 3600 20100909102025 20100812102025 10771 example.net. "
     "/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTS"
     "SPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm",
     "20100901000000", 384},
    /* RFC 8080 §6.1 as corrected by errata 4935 (labels 2). */
    {"RFC 8080 6.1 Ed25519 key 3613",
     "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
     "example.com.", "example.com. 3600 IN MX 10 mail.example.com.",
     "example.com. 3600 IN RRSIG MX 15 2 3600 1440021600 1438207200 3613 example.com. "
     "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==",
     "20150801000000", 256},
    {"RFC 8080 6.1 Ed25519 key 35217",
     "example.com. 3600 IN DNSKEY 257 3 15 zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
     "example.com.", "example.com. 3600 IN MX 10 mail.example.com.",
     "example.com. 3600 IN RRSIG MX 15 2 3600 1440021600 1438207200 35217 example.com. "
     "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQoSm5poJ7gD7AQR0O7KuI5k2pcBg==",
     "20150801000000", 256},
    /* RFC 4035 App. A (apex SOA) and B.6 (wildcard expansion: labels 2 under a.z.w.example). */
    {"RFC 4035 A SOA RSASHA1",
     "example. 3600 IN DNSKEY 256 3 5 AQOy1bZVvpPqhg4j7EJoM9rI3ZmyEx2OzDBVrZy/lvI5CQePxXHZS4i8dANH"
     "4DX3tbHol61ek8EFMcsGXxKciJFHyhl94C+NwILQdzsUlSFovBZsyl/NX6yEbtw/xN9ZNcrbYvgjjZ/UVPZIySFNsgE"
     "Yvh0z2542lzMKR4Dh8uZffQ==",
     "example.",
     "example. 3600 IN SOA ns1.example. bugs.x.w.example. 1081539377 3600 300 3600000 3600",
     "example. 3600 IN RRSIG SOA 5 1 3600 20040509183619 20040409183619 38519 example. "
     "ONx0k36rcjaxYtcNgq6iQnpNV5+drqYAsC9h7TSJaHCqbhE67Sr6aH2xDUGcqQWu/n0UVzrFvkgO9ebarZ0GWDKcuwlM"
     "6eNB5SiX2K74l5LWDA7S/Un/IbtDq4Ay8NMNLQI7Dw7n4p8/rjkBjV7j86HyQgM5e7+miRAz8V01b0I=",
     "20040420000000", 1024},
    {"RFC 4035 B.6 wildcard MX RSASHA1",
     "example. 3600 IN DNSKEY 256 3 5 AQOy1bZVvpPqhg4j7EJoM9rI3ZmyEx2OzDBVrZy/lvI5CQePxXHZS4i8dANH"
     "4DX3tbHol61ek8EFMcsGXxKciJFHyhl94C+NwILQdzsUlSFovBZsyl/NX6yEbtw/xN9ZNcrbYvgjjZ/UVPZIySFNsgE"
     "Yvh0z2542lzMKR4Dh8uZffQ==",
     "example.", "a.z.w.example. 3600 IN MX 1 ai.example.",
     "a.z.w.example. 3600 IN RRSIG MX 5 2 3600 20040509183619 20040409183619 38519 example. "
     "OMK8rAZlepfzLWW75Dxd63jy2wswESzxDKG2f9AMN1CytCd10cYISAxfAdvXSZ7xujKAtPbctvOQ2ofO7AZJ+d01EeeQ"
     "TVBPq4/6KCWhqe2XTjnkVLNvvhnc0u28aoSsG0+4InvkkOHknKxw4kX18MMR34i8lC36SR5xBni8vHI=",
     "20040420000000", 1024},
};

static verify_keyset_t *keyset_of(const char *zone, const char *dnskey)
{
    const char *texts[] = {dnskey, NULL};
    ldns_rr_list *keys = tv_list(texts);
    ldns_rdf *z = tv_name(zone);
    verify_keyset_t *ks = NULL;
    if (verify_keyset_new(z, keys, &ks) != 0)
        exit(2);
    ldns_rr_list_deep_free(keys);
    ldns_rdf_deep_free(z);
    return ks;
}

static void test_sig_vectors(void)
{
    for (size_t i = 0; i < sizeof sig_vectors / sizeof sig_vectors[0]; i++) {
        const struct sig_vector *v = &sig_vectors[i];
        verify_keyset_t *ks = keyset_of(v->zone, v->dnskey);
        const char *set[] = {v->rrset, NULL}, *sigs[] = {v->rrsig, NULL};
        ldns_rr_list *rrset = tv_list(set), *rrsigs = tv_list(sigs);
        verify_sig_result_t res;
        int rc = verify_rrset(ks, rrset, rrsigs, tv_time(v->now), &res);
        is_int(rc, 0, "%s: verify_rrset runs", v->what);
        is_int(res.outcome, VERIFY_SIG_VALID, "%s: verifies (%s)", v->what, res.detail);
        is_int(verify_dnskey_bits(verify_keyset_key(ks, 0)), v->bits, "%s: %u-bit key", v->what,
               v->bits);
        /* Cross-check with ldns's own verifier (tests only). */
        ldns_rr_list *keys = ldns_rr_list_new();
        ldns_rr_list_push_rr(keys, (ldns_rr *)verify_keyset_key(ks, 0));
        ldns_status st = ldns_verify_rrsig_keylist_time(rrset, ldns_rr_list_rr(rrsigs, 0), keys,
                                                        (time_t)tv_time(v->now), NULL);
        is_int(st, LDNS_STATUS_OK, "%s: ldns agrees (%s)", v->what, ldns_get_errorstr_by_id(st));
        ldns_rr_list_free(keys);
        ldns_rr_list_deep_free(rrset);
        ldns_rr_list_deep_free(rrsigs);
        verify_keyset_free(ks);
    }
}

static ldns_rdf *b64_rdf(const char *text)
{
    ldns_rdf *r = NULL;
    if (ldns_str2rdf_b64(&r, text) != LDNS_STATUS_OK)
        exit(2);
    return r;
}

/* Signs rrset under the template RRSIG with a raw EdDSA private key; returns the RRSIG. */
static ldns_rr *eddsa_sign(int type, const char *priv_b64, const ldns_rr_list *rrset,
                           const char *template)
{
    ldns_rdf *priv = b64_rdf(priv_b64);
    EVP_PKEY *pk =
        EVP_PKEY_new_raw_private_key(type, NULL, ldns_rdf_data(priv), ldns_rdf_size(priv));
    ldns_rr *sig = tv_rr(template);
    ldns_buffer *data = ldns_buffer_new(256);
    uint8_t out[128];
    size_t out_len = sizeof out;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!pk || verify_signed_data(rrset, sig, data) != 0 ||
        EVP_DigestSignInit(m, NULL, NULL, NULL, pk) != 1 ||
        EVP_DigestSign(m, out, &out_len, ldns_buffer_begin(data), ldns_buffer_position(data)) != 1)
        exit(2);
    ldns_rdf_deep_free(
        ldns_rr_set_rdf(sig, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, out_len, out), 8));
    EVP_MD_CTX_free(m);
    ldns_buffer_free(data);
    EVP_PKEY_free(pk);
    ldns_rdf_deep_free(priv);
    return sig;
}

static void test_eddsa_private_keys(void)
{
    const char *set[] = {"example.com. 3600 IN MX 10 mail.example.com.", NULL};
    ldns_rr_list *rrset = tv_list(set);
    /* Ed25519 is deterministic: signing with the RFC's private key must give errata 4935's
     * signature byte for byte, which checks the whole signed-data construction. */
    ldns_rr *sig =
        eddsa_sign(EVP_PKEY_ED25519, "ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=", rrset,
                   "example.com. 3600 IN RRSIG MX 15 2 3600 1440021600 1438207200 3613 "
                   "example.com. AA==");
    char *text = ldns_rdf2str(ldns_rr_rdf(sig, 8));
    is_str(text,
           "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwc"
           "rqNAg==",
           "Ed25519 signature from the RFC 8080 private key equals the published one");
    free(text);
    ldns_rr_free(sig);

    sig = eddsa_sign(EVP_PKEY_ED448,
                     "xZ+5Cgm463xugtkY5B0Jx6erFTXp13rYegst0qRtNsOYnaVpMx0Z/c5EiA9x8wWbDDct/U3FhYWA",
                     rrset,
                     "example.com. 3600 IN RRSIG MX 16 2 3600 1440021600 1438207200 9713 "
                     "example.com. AA==");
    verify_keyset_t *ks =
        keyset_of("example.com.", "example.com. 3600 IN DNSKEY 257 3 16 3kgROaDjrh0H2iuixWBrc8g2"
                                  "EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA");
    verify_sig_result_t res;
    verify_rrsig(ks, rrset, sig, tv_time("20150801000000"), &res);
    is_int(res.outcome, VERIFY_SIG_VALID, "Ed448 RFC 8080 key verifies its private key's RRSIG");
    is_int(verify_dnskey_bits(verify_keyset_key(ks, 0)), 456, "Ed448 key is 456 bits");
    ldns_rr_list *keys = ldns_rr_list_new();
    ldns_rr_list_push_rr(keys, (ldns_rr *)verify_keyset_key(ks, 0));
    is_int(
        ldns_verify_rrsig_keylist_time(rrset, sig, keys, (time_t)tv_time("20150801000000"), NULL),
        LDNS_STATUS_OK, "ldns agrees on the Ed448 RRSIG");
    ldns_rr_list_free(keys);
    verify_keyset_free(ks);
    ldns_rr_free(sig);
    ldns_rr_list_deep_free(rrset);
}

int main(void)
{
    test_ds_vectors();
    test_key_tag_alg1();
    test_sig_vectors();
    test_eddsa_private_keys();
    return tap_done();
}
