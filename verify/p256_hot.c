/*
 * ECDSA P-256 verification with a precomputed table of the public key's multiples, for keys that
 * verify many signatures. A TLD's zone-signing key signs the DS RRset or the denial of every
 * delegation a bulk scan asks about, so one key verifies as many signatures as there are domains.
 *
 * A verify computes u1*G + u2*Q (SEC 1 v2 §4.1.4). OpenSSL has a built-in table of multiples of
 * the generator G, so u1*G is cheap, while u2*Q is a variable-point multiplication: most of the
 * cost. Giving a copy of the curve the key's point Q as its generator and precomputing that
 * group's table (about 150 KB, tens of milliseconds) makes u2*Q as cheap as u1*G: a verify takes
 * about half the time. The table is only worth it after many verifies, so it is built by the
 * thread whose successful verify crosses SIG_P256_HOT_AFTER; until it is published, and for every
 * other key, verification stays on EVP (verify_sig_evp_verify).
 *
 * Only public data is involved (key, signature, signed data): no constant-time concern. The
 * inverse of s (inverse.c) and the comparison of x in Jacobian coordinates save another third.
 */
/* EC_GROUP_precompute_mult and EC_POINT_get_Jprojective_coordinates_GFp have no replacement. */
#define OPENSSL_SUPPRESS_DEPRECATED

#include "verify/sig_internal.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <stdlib.h>

/* Only the key's point is kept until the key is busy: a curve object costs ~20 us to make, more
 * than most keys ever save (a zone's own key verifies a handful of signatures). */
struct verify_sig_p256_hot {
    atomic_uint uses;
    _Atomic(EC_GROUP *) table; /* generator = the key's point Q, with its multiples */
    unsigned after;            /* verifies on EVP before the table is built */
    uint8_t point[65];         /* Q, uncompressed */
    size_t point_len;
    /* Set by the thread that builds the table, before publishing it: readers that see the
     * table see these. */
    EC_GROUP *curve; /* P-256 itself: u1*G from OpenSSL's built-in table */
    EC_POINT *q;
    BIGNUM *field, *order; /* p and n */
};

struct verify_sig_p256_hot *verify_sig_p256_hot_new(const EVP_PKEY *pkey, unsigned after)
{
    struct verify_sig_p256_hot *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, h->point, sizeof h->point,
                                        &h->point_len) != 1) {
        free(h);
        return NULL;
    }
    atomic_init(&h->uses, 0);
    atomic_init(&h->table, NULL);
    h->after = after;
    return h;
}

void verify_sig_p256_hot_free(struct verify_sig_p256_hot *h)
{
    if (!h)
        return;
    EC_GROUP_free(atomic_load_explicit(&h->table, memory_order_acquire));
    EC_POINT_free(h->q);
    EC_GROUP_free(h->curve);
    BN_free(h->field);
    BN_free(h->order);
    free(h);
}

/* The curve, Q and the constants the verify needs. */
static int prepare(struct verify_sig_p256_hot *h)
{
    if (!h->curve)
        h->curve = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    if (!h->curve)
        return VERIFY_ENOMEM;
    if (!h->q && (h->q = EC_POINT_new(h->curve)) &&
        EC_POINT_oct2point(h->curve, h->q, h->point, h->point_len, NULL) != 1) {
        EC_POINT_free(h->q);
        h->q = NULL;
        return VERIFY_EINVAL;
    }
    if (!h->field && (h->field = BN_new()) &&
        EC_GROUP_get_curve(h->curve, h->field, NULL, NULL, NULL) != 1) {
        BN_free(h->field);
        h->field = NULL;
    }
    if (!h->order)
        h->order = BN_dup(EC_GROUP_get0_order(h->curve));
    return h->q && h->field && h->order ? 0 : VERIFY_ENOMEM;
}

int verify_sig_p256_hot_build(struct verify_sig_p256_hot *h)
{
    if (atomic_load_explicit(&h->table, memory_order_acquire))
        return 0;
    int rc = prepare(h);
    if (rc < 0)
        return rc;
    rc = VERIFY_ENOMEM;
    BN_CTX *ctx = BN_CTX_new();
    EC_GROUP *g = EC_GROUP_dup(h->curve);
    if (!ctx || !g)
        goto done;
    if (EC_GROUP_set_generator(g, h->q, h->order, EC_GROUP_get0_cofactor(h->curve)) != 1 ||
        EC_GROUP_precompute_mult(g, ctx) != 1)
        goto done;
    EC_GROUP *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(&h->table, &expected, g, memory_order_acq_rel,
                                                memory_order_acquire))
        g = NULL; /* published: shared read-only from now on */
    rc = 0;
done:
    EC_GROUP_free(g);
    BN_CTX_free(ctx);
    return rc;
}

void verify_sig_p256_hot_note_valid(struct verify_sig_p256_hot *h)
{
    /* Only signatures that verified count: a key that merely fails (a KeyTrap decoy sharing a
     * busy key's tag) never earns a ~150 KB table. Exactly one verify sees the count reach the
     * threshold: that thread builds, for the verifies after it. */
    if (atomic_load_explicit(&h->table, memory_order_acquire) ||
        atomic_fetch_add_explicit(&h->uses, 1, memory_order_relaxed) + 1 != h->after)
        return;
    (void)verify_sig_p256_hot_build(h); /* without a table (no memory) the key stays on EVP */
}

/* Whether the affine x of the Jacobian point (X : Y : Z), X / Z^2, is r modulo n. Comparing
 * r * Z^2 with X in the field avoids the field inversion of a conversion to affine (~4 us).
 * x mod n == r means x == r or x == r + n (x < p < 2n); r + n is possible only below p. */
static int x_matches(const struct verify_sig_p256_hot *h, const EC_POINT *p, const BIGNUM *r,
                     BN_CTX *ctx)
{
    BN_CTX_start(ctx);
    BIGNUM *x = BN_CTX_get(ctx), *y = BN_CTX_get(ctx), *z = BN_CTX_get(ctx);
    BIGNUM *zz = BN_CTX_get(ctx), *t = BN_CTX_get(ctx);
    int rc = VERIFY_ENOMEM;
    if (!t || EC_POINT_get_Jprojective_coordinates_GFp(h->curve, p, x, y, z, ctx) != 1 ||
        !BN_mod_sqr(zz, z, h->field, ctx) || !BN_mod_mul(t, r, zz, h->field, ctx))
        goto done;
    rc = BN_cmp(t, x) == 0;
    if (!rc && BN_add(t, r, h->order) && BN_cmp(t, h->field) < 0) {
        if (!BN_mod_mul(t, t, zz, h->field, ctx)) {
            rc = VERIFY_ENOMEM;
            goto done;
        }
        rc = BN_cmp(t, x) == 0;
    }
done:
    BN_CTX_end(ctx);
    return rc;
}

/* u1*G + u2*Q with Q's table; 1 when its x coordinate mod n equals r. */
static int check(const struct verify_sig_p256_hot *h, const EC_GROUP *table,
                 const uint8_t digest[32], const BIGNUM *r, const BIGNUM *s, BN_CTX *ctx)
{
    const BIGNUM *n = h->order;
    BN_CTX_start(ctx);
    BIGNUM *e = BN_CTX_get(ctx), *w = BN_CTX_get(ctx), *u1 = BN_CTX_get(ctx);
    BIGNUM *u2 = BN_CTX_get(ctx);
    EC_POINT *p = EC_POINT_new(h->curve), *pq = EC_POINT_new(table);
    int rc = VERIFY_ENOMEM;
    if (!u2 || !p || !pq)
        goto done;
    rc = 0;
    /* The digest is exactly as long as the order (256 bits): no truncation (§4.1.4 step 3). */
    if (!BN_bin2bn(digest, 32, e) || !verify_sig_inverse_mod(w, s, n, ctx) ||
        !BN_mod_mul(u1, e, w, n, ctx) || !BN_mod_mul(u2, r, w, n, ctx) ||
        EC_POINT_mul(h->curve, p, u1, NULL, NULL, ctx) != 1 ||
        EC_POINT_mul(table, pq, u2, NULL, NULL, ctx) != 1 ||
        EC_POINT_add(h->curve, p, p, pq, ctx) != 1 || EC_POINT_is_at_infinity(h->curve, p))
        goto done;
    rc = x_matches(h, p, r, ctx);
done:
    EC_POINT_free(pq);
    EC_POINT_free(p);
    BN_CTX_end(ctx);
    return rc;
}

int verify_sig_p256_hot_verify(struct verify_sig_p256_hot *h, const EVP_MD *sha256,
                               const uint8_t *data, size_t data_len, const uint8_t *sig,
                               size_t sig_len)
{
    EC_GROUP *table = atomic_load_explicit(&h->table, memory_order_acquire);
    if (!table)
        return SIG_P256_COLD;
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned digest_len = 0;
    if (EVP_Digest(data, data_len, digest, &digest_len, sha256, NULL) != 1 || digest_len != 32)
        return SIG_P256_COLD;
    /* The signature's halves are r and s, read exactly as verify_sig_evp_verify reads them. */
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *r = BN_bin2bn(sig, (int)(sig_len / 2), NULL);
    BIGNUM *s = BN_bin2bn(sig + sig_len / 2, (int)(sig_len / 2), NULL);
    int rc = VERIFY_ENOMEM;
    if (!ctx || !r || !s)
        goto done;
    const BIGNUM *n = h->order;
    /* §4.1.4 step 1: r and s in [1, n-1]. */
    if (BN_is_zero(r) || BN_is_negative(r) || BN_ucmp(r, n) >= 0 || BN_is_zero(s) ||
        BN_is_negative(s) || BN_ucmp(s, n) >= 0)
        rc = 0;
    else
        rc = check(h, table, digest, r, s, ctx);
done:
    BN_free(r);
    BN_free(s);
    BN_CTX_free(ctx);
    return rc;
}
