/* P-256 verification with a precomputed table of the key's multiples (verify/p256_hot.c) must
 * give exactly the answer of OpenSSL's own ECDSA verify (EVP) on every input: the RFC 6605
 * vector, OpenSSL-made signatures of random data with random keys, and every way to break them
 * (flipped bits, r or s out of range, wrong lengths). Also: the table is built by the verify that
 * reaches the threshold, once, even when threads race for it. */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"
#include "verify/sig_internal.h"
#include "verify/verify.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rand.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define RANDOM_KEYS 20
#define SIGS_PER_KEY 25
#define RACE_THREADS 8
#define RACE_VERIFIES 200

static const char *const key_text[] = {
    "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64c"
    "YbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
    NULL};
static const char *const rrset_text[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL};
static const char *const sig_text[] = {
    "www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 example.net. "
    "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
    NULL};

/* One DNSKEY imported twice: `cold` always on EVP, `hot` always through its table. */
typedef struct pair {
    verify_keyset_t *cold, *hot;
} pair_t;

static int pair_new(const ldns_rr_list *keys, pair_t *p)
{
    ldns_rdf *zone = ldns_rdf_clone(ldns_rr_owner(ldns_rr_list_rr(keys, 0)));
    int rc = verify_keyset_new(zone, keys, &p->cold) | verify_keyset_new(zone, keys, &p->hot);
    ldns_rdf_deep_free(zone);
    /* Keys are imported when a signature first needs them: import now to reach the tables. */
    if (rc != 0 || p->cold->n != 1 || !verify_sig_key_import(&p->cold->keys[0]) ||
        !verify_sig_key_import(&p->hot->keys[0]) || !p->hot->keys[0].hot)
        return -1;
    verify_sig_p256_hot_free(p->cold->keys[0].hot);
    p->cold->keys[0].hot = NULL;
    return verify_sig_p256_hot_build(p->hot->keys[0].hot);
}

static void pair_free(pair_t *p)
{
    verify_keyset_free(p->cold);
    verify_keyset_free(p->hot);
}

static int verify_with(const verify_keyset_t *ks, const uint8_t *data, size_t len,
                       const uint8_t *sig, size_t sig_len)
{
    return verify_sig_evp_verify(&ks->keys[0], data, len, sig, sig_len);
}

/* Counts inputs where the table and EVP disagree. */
static int disagreements(const pair_t *p, const uint8_t *data, size_t len, const uint8_t *sig,
                         size_t sig_len, int *valid)
{
    int a = verify_with(p->cold, data, len, sig, sig_len);
    int b = verify_with(p->hot, data, len, sig, sig_len);
    if (valid)
        *valid = a;
    if (a != b)
        printf("# EVP %d, table %d (data %zu bytes, signature %zu bytes)\n", a, b, len, sig_len);
    return a != b;
}

static void rfc6605_vector(void)
{
    ldns_rr_list *keys = tv_list(key_text), *rrset = tv_list(rrset_text);
    ldns_rr_list *sigs = tv_list(sig_text);
    pair_t p;
    is_int(pair_new(keys, &p), 0, "RFC 6605 key: table built");
    ldns_buffer *data = ldns_buffer_new(512);
    is_int(verify_signed_data(rrset, ldns_rr_list_rr(sigs, 0), data), 0, "signed data");
    const ldns_rdf *sig = ldns_rr_rdf(ldns_rr_list_rr(sigs, 0), 8);
    uint8_t s[64];
    memcpy(s, ldns_rdf_data(sig), sizeof s);
    int valid = -1;
    is_int(disagreements(&p, ldns_buffer_begin(data), ldns_buffer_position(data), s, 64, &valid), 0,
           "RFC 6605 6.1: table and EVP agree");
    is_int(valid, 1, "RFC 6605 6.1 signature verifies");
    is_int(verify_with(p.hot, ldns_buffer_begin(data), ldns_buffer_position(data), s, 64), 1,
           "RFC 6605 6.1 signature verifies through the table");
    int bad = 0;
    for (size_t bit = 0; bit < 64 * 8; bit += 7) {
        s[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        bad +=
            disagreements(&p, ldns_buffer_begin(data), ldns_buffer_position(data), s, 64, &valid);
        bad += valid != 0;
        s[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    is_int(bad, 0, "RFC 6605 6.1 with one signature bit flipped (74 ways): invalid for both");
    ldns_buffer_free(data);
    pair_free(&p);
    ldns_rr_list_deep_free(keys);
    ldns_rr_list_deep_free(rrset);
    ldns_rr_list_deep_free(sigs);
}

/* A DNSKEY RR for an OpenSSL-made P-256 key: the public point without its 0x04 prefix. */
static ldns_rr_list *dnskey_of(EVP_PKEY *pkey)
{
    uint8_t point[65];
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) !=
            1 ||
        len != 65)
        return NULL;
    ldns_rr *rr = ldns_rr_new();
    ldns_rr_set_type(rr, LDNS_RR_TYPE_DNSKEY);
    ldns_rr_set_owner(rr, ldns_dname_new_frm_str("example."));
    ldns_rr_push_rdf(rr, ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 256));
    ldns_rr_push_rdf(rr, ldns_native2rdf_int8(LDNS_RDF_TYPE_INT8, 3));
    ldns_rr_push_rdf(rr, ldns_native2rdf_int8(LDNS_RDF_TYPE_ALG, LDNS_ECDSAP256SHA256));
    ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, 64, point + 1));
    ldns_rr_list *list = ldns_rr_list_new();
    ldns_rr_list_push_rr(list, rr);
    return list;
}

/* r||s, 32 octets each (RFC 6605 §4), of an OpenSSL signature of data. */
static int sign_raw(EVP_PKEY *pkey, const uint8_t *data, size_t len, uint8_t out[64])
{
    uint8_t der[80];
    size_t der_len = sizeof der;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    int ok = m && EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, pkey) == 1 &&
             EVP_DigestSign(m, der, &der_len, data, len) == 1;
    EVP_MD_CTX_free(m);
    const uint8_t *q = der;
    ECDSA_SIG *es = ok ? d2i_ECDSA_SIG(NULL, &q, (long)der_len) : NULL;
    ok = es && BN_bn2binpad(ECDSA_SIG_get0_r(es), out, 32) == 32 &&
         BN_bn2binpad(ECDSA_SIG_get0_s(es), out + 32, 32) == 32;
    ECDSA_SIG_free(es);
    return ok ? 0 : -1;
}

static void set_s(uint8_t sig[64], const BIGNUM *v)
{
    BN_bn2binpad(v, sig + 32, 32);
}

static void random_keys(void)
{
    const EC_GROUP *curve = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    const BIGNUM *n = EC_GROUP_get0_order(curve);
    BIGNUM *v = BN_new();
    int mismatches = 0, valid_total = 0, checked = 0, invalid_expected = 0;
    for (int k = 0; k < RANDOM_KEYS; k++) {
        EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        ldns_rr_list *keys = pkey ? dnskey_of(pkey) : NULL;
        pair_t p;
        if (!keys || pair_new(keys, &p) != 0) {
            ok(0, "random key %d imported", k);
            continue;
        }
        for (int i = 0; i < SIGS_PER_KEY; i++) {
            uint8_t data[200], sig[64], bad[66];
            size_t len = 1 + (size_t)(i * 7 % (int)sizeof data);
            RAND_bytes(data, (int)len);
            if (sign_raw(pkey, data, len, sig) != 0)
                continue;
            int valid = 0;
            mismatches += disagreements(&p, data, len, sig, 64, &valid);
            valid_total += valid == 1;
            checked++;
            /* The same signature with s replaced by n - s verifies in ECDSA too. */
            memcpy(bad, sig, 64);
            BN_bin2bn(sig + 32, 32, v);
            BN_sub(v, n, v);
            set_s(bad, v);
            mismatches += disagreements(&p, data, len, bad, 64, NULL);
            /* Broken: a data bit, a signature bit, s = 0, s = n, r = n, r = 0; and lengths
             * other than 64 (63, 0, and 66 with each half zero-padded), read as EVP reads them. */
            data[i % len] ^= 0x10;
            mismatches += disagreements(&p, data, len, sig, 64, &valid);
            invalid_expected += valid != 0;
            data[i % len] ^= 0x10;
            memcpy(bad, sig, 64);
            bad[i % 64] ^= 0x01;
            mismatches += disagreements(&p, data, len, bad, 64, &valid);
            invalid_expected += valid != 0;
            memcpy(bad, sig, 64);
            BN_zero(v);
            set_s(bad, v);
            mismatches += disagreements(&p, data, len, bad, 64, &valid);
            invalid_expected += valid != 0;
            set_s(bad, n);
            mismatches += disagreements(&p, data, len, bad, 64, &valid);
            invalid_expected += valid != 0;
            memcpy(bad, sig, 64);
            BN_bn2binpad(n, bad, 32);
            mismatches += disagreements(&p, data, len, bad, 64, &valid);
            invalid_expected += valid != 0;
            memset(bad, 0, 32);
            mismatches += disagreements(&p, data, len, bad, 64, &valid);
            invalid_expected += valid != 0;
            mismatches += disagreements(&p, data, len, sig, 63, NULL);
            mismatches += disagreements(&p, data, len, sig, 0, NULL);
            memcpy(bad, sig, 32);
            bad[32] = 0;
            memcpy(bad + 33, sig + 32, 32);
            bad[65] = 0;
            mismatches += disagreements(&p, data, len, bad, 66, NULL);
        }
        pair_free(&p);
        ldns_rr_list_deep_free(keys);
        EVP_PKEY_free(pkey);
    }
    is_int(checked, RANDOM_KEYS * SIGS_PER_KEY, "signatures made by OpenSSL with random keys");
    is_int(valid_total, checked, "every one verifies");
    is_int(invalid_expected, 0, "every broken variant is invalid");
    is_int(mismatches, 0, "table and EVP agree on all of them and their 11 variants each");
    BN_free(v);
    EC_GROUP_free((EC_GROUP *)curve);
}

typedef struct race {
    const verify_keyset_t *ks;
    const uint8_t *data;
    size_t len;
    const uint8_t *sig;
    int valid;
} race_t;

static void *race_main(void *arg)
{
    race_t *r = arg;
    for (int i = 0; i < RACE_VERIFIES; i++)
        r->valid += verify_with(r->ks, r->data, r->len, r->sig, 64) == 1;
    return NULL;
}

/* The table appears after `after` verifies, built once, while threads keep verifying. */
static void threshold_and_race(void)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    ldns_rr_list *keys = dnskey_of(pkey);
    ldns_rdf *zone = ldns_dname_new_frm_str("example.");
    verify_keyset_t *ks = NULL;
    is_int(verify_keyset_new(zone, keys, &ks), 0, "keyset of a random key");
    struct verify_key *key = &ks->keys[0];
    is_int(key->pkey == NULL && key->hot == NULL, 1, "a new keyset has imported nothing");
    is_int(verify_sig_key_import(key), 1, "the key imports on first use");
    verify_sig_p256_hot_free(key->hot);
    key->hot = verify_sig_p256_hot_new(key->pkey, 3);
    uint8_t data[100], sig[64];
    RAND_bytes(data, sizeof data);
    is_int(sign_raw(pkey, data, sizeof data, sig), 0, "signed");
    uint8_t bad[64];
    memcpy(bad, sig, sizeof bad);
    bad[10] ^= 0x40;
    int failed = 0;
    for (int i = 0; i < 50; i++)
        failed += verify_sig_evp_verify(key, data, sizeof data, bad, 64) == 0;
    is_int(failed, 50, "50 failing verifies (a decoy's lot)");
    is_int(verify_sig_p256_hot_verify(key->hot, key->md, data, sizeof data, sig, 64), SIG_P256_COLD,
           "failed verifies never build the table (threshold 3)");
    is_int(verify_sig_evp_verify(key, data, sizeof data, sig, 64), 1, "first valid verify");
    is_int(verify_sig_evp_verify(key, data, sizeof data, sig, 64), 1, "second valid verify");
    is_int(verify_sig_p256_hot_verify(key->hot, key->md, data, sizeof data, sig, 64), SIG_P256_COLD,
           "after two successes: no table yet");
    is_int(verify_sig_evp_verify(key, data, sizeof data, sig, 64), 1,
           "third valid verify builds it");
    is_int(verify_sig_p256_hot_verify(key->hot, key->md, data, sizeof data, sig, 64), 1,
           "the table is in place and verifies");
    is_int(verify_sig_p256_hot_verify(key->hot, key->md, data, sizeof data, bad, 64), 0,
           "and rejects the bad signature");

    verify_sig_p256_hot_free(key->hot);
    key->hot = verify_sig_p256_hot_new(key->pkey, RACE_VERIFIES);
    pthread_t t[RACE_THREADS];
    race_t r[RACE_THREADS];
    for (int i = 0; i < RACE_THREADS; i++) {
        r[i] = (race_t){.ks = ks, .data = data, .len = sizeof data, .sig = sig};
        pthread_create(&t[i], NULL, race_main, &r[i]);
    }
    int valid = 0;
    for (int i = 0; i < RACE_THREADS; i++) {
        pthread_join(t[i], NULL);
        valid += r[i].valid;
    }
    is_int(valid, RACE_THREADS * RACE_VERIFIES,
           "8 threads x 200 verifies across the threshold: all valid");
    is_int(verify_sig_p256_hot_verify(key->hot, key->md, data, sizeof data, sig, 64), 1,
           "and the table is in place afterwards");
    verify_keyset_free(ks);
    ldns_rr_list_deep_free(keys);
    ldns_rdf_deep_free(zone);
    EVP_PKEY_free(pkey);
}

/* verify_sig_inverse_mod against BN_mod_inverse: the P-256 order (fast path), edge values, and
 * moduli the fast path does not take (even, wider than 256 bits). */
static void inverses(void)
{
    EC_GROUP *curve = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *a = BN_new(), *w = BN_new(), *want = BN_new(), *m = BN_new();
    const BIGNUM *n = EC_GROUP_get0_order(curve);
    int wrong = 0;
    for (int i = 0; i < 20000; i++) {
        if (i < 3)
            BN_set_word(a, (BN_ULONG)i + 1);
        else if (i == 3)
            BN_sub(a, n, BN_value_one());
        else
            BN_rand_range(a, n);
        if (BN_is_zero(a))
            continue;
        wrong += !verify_sig_inverse_mod(w, a, n, ctx) || !BN_mod_inverse(want, a, n, ctx) ||
                 BN_cmp(w, want) != 0;
    }
    is_int(wrong, 0, "20,000 inverses modulo the P-256 order (1, 2, 3, n-1, random) equal BN's");
    BN_zero(a);
    is_int(verify_sig_inverse_mod(w, a, n, ctx), 0, "0 has no inverse");
    BN_rand(m, 512, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD);
    BN_rand_range(a, m);
    int ok512 = verify_sig_inverse_mod(w, a, m, ctx) == (BN_mod_inverse(want, a, m, ctx) != NULL);
    is_int(ok512 && (BN_is_zero(want) || BN_cmp(w, want) == 0), 1,
           "a 512-bit modulus: BN's answer");
    BN_set_word(m, 1000);
    BN_set_word(a, 7);
    is_int(verify_sig_inverse_mod(w, a, m, ctx) && BN_is_word(w, 143), 1,
           "an even modulus: BN's answer (7 * 143 = 1001)");
    BN_set_word(a, 10);
    is_int(verify_sig_inverse_mod(w, a, m, ctx), 0, "no inverse when gcd > 1");
    BN_free(a);
    BN_free(w);
    BN_free(want);
    BN_free(m);
    BN_CTX_free(ctx);
    EC_GROUP_free(curve);
}

int main(void)
{
    inverses();
    rfc6605_vector();
    random_keys();
    threshold_and_race();
    return tap_done();
}
