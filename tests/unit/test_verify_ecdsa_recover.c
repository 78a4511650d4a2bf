/*
 * ECDSA public-key recovery (verify/ecdsa_recover.c) must give, for every key, exactly the answer
 * of OpenSSL's own verify (EVP), and an RRSIG whose tag several keys share must get the result
 * and the budget charges of trying each key in turn: one operation per key tried, at most 4 keys
 * (then VALIDATION_LIMIT). Inputs: random P-256 and P-384 keys, their signatures, signatures by
 * another key, corrupted r or s, r or s of 0, n or above, random r with and without a curve point
 * for x = r, a signature whose R has x >= n (only the r + n lift finds its key), and the RFC 6605
 * section 6 vectors behind decoys sharing their key tag. Whether the recovery was used at all is
 * seen from the keys imported: a key found not to verify by recovery is never imported, one tried
 * by a verify is.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"
#include "verify/sig_internal.h"
#include "verify/verify.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <string.h>

#define RANDOM_ROUNDS 12
#define MAX_KEYS 8

#define BAIL_OUT(msg)                                                                              \
    do {                                                                                           \
        printf("Bail out! %s\n", msg);                                                             \
        exit(1);                                                                                   \
    } while (0)

static const int64_t NOW = 1700000000; /* inside the RRSIG window of the made-up signatures */

static size_t coord_of(uint8_t alg)
{
    return alg == LDNS_ECDSAP256SHA256 ? 32 : 48;
}

static const char *curve_name(uint8_t alg)
{
    return alg == LDNS_ECDSAP256SHA256 ? "P-256" : "P-384";
}

static uint16_t tag_of(const uint8_t *rdata, size_t len)
{
    uint32_t ac = 0;
    for (size_t i = 0; i < len; i++)
        ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
    ac += (ac >> 16) & 0xFFFF;
    return (uint16_t)(ac & 0xFFFF);
}

/* A DNSKEY RR for the public point xy (X | Y) of alg. tag >= 0: the flags' unassigned bits
 * (which validators ignore) are chosen so that the key tag is `tag`; returns NULL when no
 * choice reaches it (the caller tries another key). */
static ldns_rr *dnskey_of(uint8_t alg, const uint8_t *xy, int tag)
{
    size_t coord = coord_of(alg);
    uint8_t rdata[4 + 96];
    rdata[2] = 3;
    rdata[3] = alg;
    memcpy(rdata + 4, xy, 2 * coord);
    const uint32_t free_bits = 0xFE7Eu; /* all but ZONE, REVOKE and SEP */
    for (uint32_t extra = tag < 0 ? 0 : free_bits;; extra = (extra - 1) & free_bits) {
        uint16_t flags = (uint16_t)(0x0100u | extra);
        rdata[0] = (uint8_t)(flags >> 8);
        rdata[1] = (uint8_t)flags;
        if (tag < 0 || tag_of(rdata, 4 + 2 * coord) == tag) {
            char b64[200], text[400];
            EVP_EncodeBlock((unsigned char *)b64, rdata + 4, (int)(2 * coord));
            snprintf(text, sizeof text, "example. 3600 IN DNSKEY %u 3 %u %s", flags, alg, b64);
            return tv_rr(text);
        }
        if (extra == 0)
            return NULL;
    }
}

static void public_xy(EVP_PKEY *k, uint8_t alg, uint8_t *xy)
{
    uint8_t pub[97];
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub, &len) != 1 ||
        len != 1 + 2 * coord_of(alg))
        BAIL_OUT("public key");
    memcpy(xy, pub + 1, len - 1);
}

/* A fresh key pair of alg whose DNSKEY has key tag `tag` (tag < 0: any). */
static EVP_PKEY *new_key(uint8_t alg, int tag, ldns_rr **dnskey)
{
    for (;;) {
        EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve_name(alg));
        uint8_t xy[96];
        if (!k)
            BAIL_OUT("keygen");
        public_xy(k, alg, xy);
        if ((*dnskey = dnskey_of(alg, xy, tag)))
            return k;
        EVP_PKEY_free(k);
    }
}

/* r | s of key's signature over data (RFC 6605 section 4). */
static void sign_raw(EVP_PKEY *key, uint8_t alg, const uint8_t *data, size_t len, uint8_t *sig)
{
    size_t coord = coord_of(alg);
    uint8_t der[128];
    size_t der_len = sizeof der;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!m ||
        EVP_DigestSignInit(m, NULL, alg == LDNS_ECDSAP256SHA256 ? EVP_sha256() : EVP_sha384(), NULL,
                           key) != 1 ||
        EVP_DigestSign(m, der, &der_len, data, len) != 1)
        BAIL_OUT("sign");
    EVP_MD_CTX_free(m);
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (!es || BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, (int)coord) < 0 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + coord, (int)coord) < 0)
        BAIL_OUT("signature");
    ECDSA_SIG_free(es);
}

static verify_keyset_t *keyset_of(ldns_rr **keys, size_t n)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (size_t i = 0; i < n; i++)
        ldns_rr_list_push_rr(l, keys[i]);
    ldns_rdf *zone = ldns_rdf_clone(ldns_rr_owner(keys[0]));
    verify_keyset_t *ks = NULL;
    if (verify_keyset_new(zone, l, &ks) != 0 || ks->n != n)
        BAIL_OUT("keyset");
    ldns_rdf_deep_free(zone);
    ldns_rr_list_free(l); /* the keyset copied the RRs */
    return ks;
}

static EC_GROUP *group_of(uint8_t alg)
{
    return EC_GROUP_new_by_curve_name(alg == LDNS_ECDSAP256SHA256 ? NID_X9_62_prime256v1
                                                                  : NID_secp384r1);
}

/* Three random keys of alg and their keyset. */
struct three_keys {
    EVP_PKEY *priv[3];
    ldns_rr *rr[3];
    verify_keyset_t *ks;
};

static void three_keys_new(uint8_t alg, struct three_keys *t)
{
    for (int i = 0; i < 3; i++)
        t->priv[i] = new_key(alg, -1, &t->rr[i]);
    t->ks = keyset_of(t->rr, 3);
}

static void three_keys_free(struct three_keys *t)
{
    verify_keyset_free(t->ks);
    for (int i = 0; i < 3; i++) {
        EVP_PKEY_free(t->priv[i]);
        ldns_rr_free(t->rr[i]);
    }
}

static size_t imported(const verify_keyset_t *ks)
{
    size_t n = 0;
    for (size_t i = 0; i < ks->n; i++)
        n += atomic_load(&ks->keys[i].imported);
    return n;
}

/* For every key of ks: recovery's answer against EVP's. Returns the number of disagreements;
 * *valid counts the keys EVP accepts. */
static int differ(const verify_keyset_t *ks, uint8_t alg, const uint8_t *data, size_t len,
                  const uint8_t *sig, int *valid)
{
    verify_sig_ecdsa_recovered_t rec;
    const EC_GROUP *g = verify_sig_ecdsa_curve(ks, alg);
    if (verify_sig_ecdsa_recover(g, alg, data, len, sig, 2 * coord_of(alg), &rec) != 0)
        return 1000;
    int bad = 0;
    *valid = 0;
    for (size_t i = 0; i < ks->n; i++) {
        int evp = verify_sig_evp_verify(&ks->keys[i], data, len, sig, 2 * coord_of(alg));
        *valid += evp == 1;
        bad += (evp == 1) != verify_sig_ecdsa_recovered_has(&rec, &ks->keys[i]);
    }
    return bad;
}

static void set_bn(uint8_t *half, size_t coord, const BIGNUM *v)
{
    if (BN_bn2binpad(v, half, (int)coord) < 0)
        BAIL_OUT("bn2bin");
}

/* Random keys and data: valid signatures, another key's, corrupted and out-of-range r and s. */
static void differential(uint8_t alg)
{
    size_t coord = coord_of(alg);
    EC_GROUP *g = group_of(alg);
    const BIGNUM *n = EC_GROUP_get0_order(g);
    BIGNUM *v = BN_new();
    int disagree = 0, valid_total = 0, cases = 0, valid_cases = 0;
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
        struct three_keys k;
        three_keys_new(alg, &k);
        verify_keyset_t *ks = k.ks;
        uint8_t data[200], sig[96], bad[96];
        size_t len = 1 + (size_t)round * 13;
        RAND_bytes(data, (int)len);
        int signer = round % 3, valid = 0;
        sign_raw(k.priv[signer], alg, data, len, sig);
        disagree += differ(ks, alg, data, len, sig, &valid);
        valid_total += valid;
        valid_cases +=
            valid == 1 && verify_sig_evp_verify(&ks->keys[signer], data, len, sig, 2 * coord) == 1;
        cases++;
        /* Other data: nobody's signature. */
        data[0] ^= 1;
        disagree += differ(ks, alg, data, len, sig, &valid);
        valid_total += valid;
        data[0] ^= 1;
        cases++;
        /* One bit of r, then of s. */
        for (size_t half = 0; half < 2; half++) {
            memcpy(bad, sig, 2 * coord);
            bad[half * coord + (size_t)round % coord] ^= (uint8_t)(1u << (round % 8));
            disagree += differ(ks, alg, data, len, bad, &valid);
            valid_total += valid;
            cases++;
        }
        /* r or s of 0, n, n + 1 and all ones. */
        for (size_t half = 0; half < 2; half++) {
            for (int which = 0; which < 4; which++) {
                memcpy(bad, sig, 2 * coord);
                if (which == 0)
                    memset(bad + half * coord, 0, coord);
                else if (which == 3)
                    memset(bad + half * coord, 0xFF, coord);
                else {
                    BN_copy(v, n);
                    if (which == 2)
                        BN_add_word(v, 1);
                    set_bn(bad + half * coord, coord, v);
                }
                disagree += differ(ks, alg, data, len, bad, &valid);
                valid_total += valid;
                cases++;
            }
        }
        three_keys_free(&k);
    }
    is_int(disagree, 0, "%s: recovery and EVP agree on every key for %d signatures x 3 keys",
           curve_name(alg), cases);
    is_int(valid_cases, RANDOM_ROUNDS, "%s: each genuine signature verifies under its key",
           curve_name(alg));
    is_int(valid_total, RANDOM_ROUNDS,
           "%s: and nothing else verifies (other keys, other data, corrupted or out of range r, s)",
           curve_name(alg));
    BN_free(v);
    EC_GROUP_free(g);
}

/* r values whose x has no curve point: the recovery then stops before the digest, the inverse
 * and the multiplications (no R, so no key can verify), and must still agree with EVP on every
 * key; r values with a point next to them get both candidates (either y). */
static void pointless_r(uint8_t alg)
{
    size_t coord = coord_of(alg);
    EC_GROUP *g = group_of(alg);
    EC_POINT *pt = EC_POINT_new(g);
    BIGNUM *x = BN_new();
    BN_CTX *ctx = BN_CTX_new();
    const BIGNUM *n = EC_GROUP_get0_order(g);
    int disagree = 0, valid_total = 0, without = 0, with = 0, empty = 0, both = 0;
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
        struct three_keys k;
        three_keys_new(alg, &k);
        verify_keyset_t *ks = k.ks;
        uint8_t data[64], sig[96];
        RAND_bytes(data, sizeof data);
        sign_raw(k.priv[round % 3], alg, data, sizeof data, sig);
        /* A fresh r each time (s kept) until one of each kind has been judged; about half of
         * all r have a point, so the bound is never reached in practice. */
        bool seen_without = false, seen_with = false;
        for (int tries = 0; tries < 1000 && (!seen_without || !seen_with); tries++) {
            RAND_bytes(sig, (int)coord);
            if (!BN_bin2bn(sig, (int)coord, x) || BN_is_zero(x) || BN_cmp(x, n) >= 0)
                continue;
            ERR_set_mark();
            bool on_curve = EC_POINT_set_compressed_coordinates(g, pt, x, 0, ctx) == 1;
            ERR_pop_to_mark();
            if ((on_curve && seen_with) || (!on_curve && seen_without))
                continue;
            verify_sig_ecdsa_recovered_t rec;
            int valid = 0;
            disagree += differ(ks, alg, data, sizeof data, sig, &valid);
            valid_total += valid;
            if (verify_sig_ecdsa_recover(g, alg, data, sizeof data, sig, 2 * coord, &rec) != 0)
                BAIL_OUT("recover");
            if (on_curve) {
                seen_with = true;
                with++;
                both += rec.n == 2;
            } else {
                seen_without = true;
                without++;
                empty += rec.n == 0;
            }
        }
        three_keys_free(&k);
    }
    is_int(disagree, 0,
           "%s: recovery and EVP agree on every key for %d r without a point and %d "
           "with one",
           curve_name(alg), without, with);
    is_int(valid_total, 0, "%s: no key verifies a random r", curve_name(alg));
    is_int(empty, without, "%s: an r without a curve point recovers no key", curve_name(alg));
    is_int(both, with, "%s: an r with a point recovers two keys (either y of R)", curve_name(alg));
    BN_CTX_free(ctx);
    BN_free(x);
    EC_POINT_free(pt);
    EC_GROUP_free(g);
}

/* A key that verifies (r, s) only through the point R with x = r + n: built from R directly
 * (its private key is unknown; a verify does not need it). */
static void lifted_r(uint8_t alg)
{
    size_t coord = coord_of(alg);
    EC_GROUP *g = group_of(alg);
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *p = BN_new(), *x = BN_new(), *r = BN_new(), *s = BN_new(), *e = BN_new();
    BIGNUM *rinv = BN_new(), *u = BN_new(), *w = BN_new();
    EC_POINT *big_r = EC_POINT_new(g), *q = EC_POINT_new(g);
    const BIGNUM *n = EC_GROUP_get0_order(g);
    uint8_t data[] = "lifted", digest[48], sig[96], oct[97];
    unsigned dlen = 0;
    if (!EC_GROUP_get_curve(g, p, NULL, NULL, ctx) ||
        EVP_Digest(data, sizeof data, digest, &dlen,
                   alg == LDNS_ECDSAP256SHA256 ? EVP_sha256() : EVP_sha384(), NULL) != 1)
        BAIL_OUT("curve");
    /* The first x >= n with a point (about every other x has one). */
    BN_copy(x, n);
    for (;;) {
        BN_add_word(x, 1);
        ERR_set_mark();
        int on = EC_POINT_set_compressed_coordinates(g, big_r, x, 1, ctx);
        ERR_pop_to_mark();
        if (on == 1)
            break;
    }
    BN_sub(r, x, n);
    BN_set_word(s, 12345);
    BN_bin2bn(digest, (int)dlen, e);
    /* Q = r^-1 (s R - e G) */
    BN_mod_inverse(rinv, r, n, ctx);
    BN_mod_mul(u, s, rinv, n, ctx);
    BN_mod_mul(w, e, rinv, n, ctx);
    BN_sub(w, n, w);
    if (!EC_POINT_mul(g, q, w, big_r, u, ctx) ||
        EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, oct, sizeof oct, ctx) !=
            1 + 2 * coord)
        BAIL_OUT("lifted key");
    set_bn(sig, coord, r);
    set_bn(sig + coord, coord, s);
    ldns_rr *keys[2];
    EVP_PKEY *other = new_key(alg, -1, &keys[0]);
    keys[1] = dnskey_of(alg, oct + 1, -1);
    verify_keyset_t *ks = keyset_of(keys, 2);
    int valid = 0;
    is_int(differ(ks, alg, data, sizeof data, sig, &valid), 0,
           "%s: x(R) = r + n (r = %d): recovery and EVP agree", curve_name(alg),
           (int)BN_get_word(r));
    is_int(valid, 1, "%s: the key made from R verifies (EVP), found only by the r + n lift",
           curve_name(alg));
    verify_keyset_free(ks);
    ldns_rr_free(keys[0]);
    ldns_rr_free(keys[1]);
    EVP_PKEY_free(other);
    EC_POINT_free(big_r);
    EC_POINT_free(q);
    BN_free(p);
    BN_free(x);
    BN_free(r);
    BN_free(s);
    BN_free(e);
    BN_free(rinv);
    BN_free(u);
    BN_free(w);
    BN_CTX_free(ctx);
    EC_GROUP_free(g);
}

/* The RRSIG text over www.example./A by key `tag` of alg, with a placeholder signature. */
static ldns_rr *rrsig_of(uint8_t alg, int tag)
{
    char text[400], b64[200];
    uint8_t zero[96] = {1};
    EVP_EncodeBlock((unsigned char *)b64, zero, (int)(2 * coord_of(alg)));
    snprintf(text, sizeof text,
             "www.example. 3600 IN RRSIG A %u 2 3600 20300101000000 20200101000000 %d example. %s",
             alg, tag, b64);
    return tv_rr(text);
}

static void set_signature(ldns_rr *rrsig, const uint8_t *sig, size_t len)
{
    ldns_rdf *old = ldns_rr_set_rdf(rrsig, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, len, sig), 8);
    ldns_rdf_deep_free(old);
}

/* What trying each key in order with EVP gives (the contract): the result and the operations. */
static void reference(const verify_keyset_t *ks, const uint8_t *data, size_t len,
                      const uint8_t *sig, size_t sig_len, bool *valid, unsigned *ops)
{
    *valid = false;
    *ops = 0;
    for (size_t i = 0; i < ks->n && *ops < 4; i++) {
        (*ops)++;
        if (verify_sig_evp_verify(&ks->keys[i], data, len, sig, sig_len) == 1) {
            *valid = true;
            return;
        }
    }
}

/* n keys sharing one tag, the signer at position `at` (0-based; n when none signs), judged by
 * verify_sig_verify_rrset_work against the reference. */
static void colliding(uint8_t alg, size_t n, size_t at, bool corrupt)
{
    size_t coord = coord_of(alg);
    ldns_rr *keys[MAX_KEYS];
    EVP_PKEY *priv[MAX_KEYS];
    priv[0] = new_key(alg, -1, &keys[0]);
    uint16_t tag = verify_key_tag(keys[0]);
    for (size_t i = 1; i < n; i++)
        priv[i] = new_key(alg, tag, &keys[i]);

    ldns_rr_list *rrset = ldns_rr_list_new(), *sigs = ldns_rr_list_new();
    ldns_rr_list_push_rr(rrset, tv_rr("www.example. 3600 IN A 192.0.2.1"));
    ldns_rr *rrsig = rrsig_of(alg, tag);
    ldns_rr_list_push_rr(sigs, rrsig);
    ldns_buffer *data = ldns_buffer_new(512);
    if (verify_signed_data(rrset, rrsig, data) != 0)
        BAIL_OUT("signed data");
    uint8_t sig[96];
    sign_raw(priv[at < n ? at : 0], alg, ldns_buffer_begin(data), ldns_buffer_position(data), sig);
    if (at >= n || corrupt)
        sig[coord + 3] ^= 0x40; /* s changed: no key verifies */
    set_signature(rrsig, sig, 2 * coord);

    verify_keyset_t *ks = keyset_of(keys, n);
    verify_sig_work_t w;
    verify_sig_work_init_call(&w);
    verify_sig_result_t res;
    int rc = verify_sig_verify_rrset_work(ks, NULL, rrset, sigs, NOW, &w, &res);
    size_t imported_by_recovery = imported(ks);
    bool want_valid;
    unsigned want_ops;
    reference(ks, ldns_buffer_begin(data), ldns_buffer_position(data), sig, 2 * coord, &want_valid,
              &want_ops);
    char what[64];
    snprintf(what, sizeof what, at >= n ? "signed by none of them" : "%s by key %zu",
             corrupt ? "corrupted signature" : "signature", at + 1);
    is_int(rc, 0, "%s, %zu keys share tag %u, %s: judged", curve_name(alg), n, tag, what);
    is_int(res.outcome == VERIFY_SIG_VALID, want_valid,
           "  valid exactly when EVP key by key says so");
    if (!want_valid) {
        verify_reason_code_t want =
            n > 4 && want_ops == 4 ? VERIFY_REASON_VALIDATION_LIMIT : VERIFY_REASON_RRSIG_INVALID;
        is_int(res.reason, want, "  reason %s (%s)", verify_reason_name(want), res.detail);
    }
    is_int(w.server.sig_ops, want_ops, "  %u signature operations charged, as key by key",
           want_ops);
    is_int(w.server.refused, 0, "  nothing refused by the budget");
    is_int((int)imported_by_recovery, want_valid ? 1 : 0,
           "  keys imported: %d (only a recovered key is verified for real)", want_valid ? 1 : 0);
    if (want_valid) {
        /* The memo remembers the key that verified: a second judgement charges nothing. */
        verify_sig_work_t again;
        verify_sig_work_init_call(&again);
        verify_sig_verify_rrset_work(ks, NULL, rrset, sigs, NOW, &again, &res);
        is_int(res.outcome, VERIFY_SIG_VALID, "  again: valid");
        is_int(again.server.sig_ops, (int)at,
               "  again: %zu operations (the keys before it; the "
               "signer from the memo)",
               at);
    }
    verify_keyset_free(ks);
    ldns_buffer_free(data);
    ldns_rr_list_deep_free(rrset);
    ldns_rr_list_deep_free(sigs);
    for (size_t i = 0; i < n; i++) {
        ldns_rr_free(keys[i]);
        EVP_PKEY_free(priv[i]);
    }
}

/* RFC 6605 section 6: the key listed after `decoys` keys sharing its tag. */
static void rfc6605(uint8_t alg, const char *key, const char *rrsig_text, size_t decoys)
{
    ldns_rr *keys[MAX_KEYS];
    ldns_rr *real = tv_rr(key);
    uint16_t tag = verify_key_tag(real);
    for (size_t i = 0; i < decoys; i++) {
        EVP_PKEY *k = new_key(alg, tag, &keys[i]);
        /* RFC 6605's owner is example.net. */
        ldns_rdf_deep_free(ldns_rr_owner(keys[i]));
        ldns_rr_set_owner(keys[i], tv_name("example.net."));
        EVP_PKEY_free(k);
    }
    keys[decoys] = real;
    verify_keyset_t *ks = keyset_of(keys, decoys + 1);
    const char *set[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL},
               *sigs[] = {rrsig_text, NULL};
    ldns_rr_list *rrset = tv_list(set), *rrsigs = tv_list(sigs);
    verify_sig_work_t w;
    verify_sig_work_init_call(&w);
    verify_sig_result_t res;
    verify_sig_verify_rrset_work(ks, NULL, rrset, rrsigs, tv_time("20100901000000"), &w, &res);
    if (decoys < 4) {
        is_int(res.outcome, VERIFY_SIG_VALID, "RFC 6605 %s behind %zu decoys of tag %u: valid",
               curve_name(alg), decoys, tag);
        is_int((int)imported(ks), 1,
               "  only the RFC key imported: the decoys were ruled out by "
               "recovery");
    } else {
        is_int(res.reason, VERIFY_REASON_VALIDATION_LIMIT,
               "RFC 6605 %s behind %zu decoys: VALIDATION_LIMIT (%s)", curve_name(alg), decoys,
               res.detail);
        is_int((int)imported(ks), 0, "  no key imported");
    }
    is_int(w.server.sig_ops, decoys < 4 ? decoys + 1 : 4, "  %zu signature operations charged",
           decoys < 4 ? decoys + 1 : 4);
    verify_keyset_free(ks);
    for (size_t i = 0; i <= decoys; i++)
        ldns_rr_free(keys[i]);
    ldns_rr_list_deep_free(rrset);
    ldns_rr_list_deep_free(rrsigs);
}

static const char *const P256_KEY =
    "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64c"
    "YbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==";
static const char *const P256_SIG =
    "www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 example.net. "
    "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==";
static const char *const P384_KEY =
    "example.net. 3600 IN DNSKEY 257 3 14 xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSAD"
    "tNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40";
static const char *const P384_SIG =
    "www.example.net. 3600 IN RRSIG A 14 3 3600 20100909102025 20100812102025 10771 example.net. "
    "/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTS"
    "SPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm";

int main(void)
{
    const uint8_t algs[] = {LDNS_ECDSAP256SHA256, LDNS_ECDSAP384SHA384};
    for (size_t a = 0; a < 2; a++) {
        differential(algs[a]);
        pointless_r(algs[a]);
        lifted_r(algs[a]);
        for (size_t at = 0; at < 5; at++)
            colliding(algs[a], 5, at, false);
        colliding(algs[a], 5, 5, true); /* nobody signed: 4 tried, VALIDATION_LIMIT */
        colliding(algs[a], 3, 1, true); /* 3 keys, bad signature: 3 tried, RRSIG_INVALID */
        colliding(algs[a], 2, 1, false);
    }
    for (size_t decoys = 0; decoys <= 4; decoys++) {
        rfc6605(LDNS_ECDSAP256SHA256, P256_KEY, P256_SIG, decoys);
        rfc6605(LDNS_ECDSAP384SHA384, P384_KEY, P384_SIG, decoys);
    }
    return tap_done();
}
