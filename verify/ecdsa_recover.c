/*
 * ECDSA public-key recovery (SEC 1 v2 §4.1.6) for RRSIGs whose key tag and algorithm match
 * several DNSKEYs. A KeyTrap zone (CVE-2023-50387) lists many keys under one tag so that every
 * bogus RRSIG costs a validator one failed verify per key. The keys a signature (r, s) over a
 * digest e verifies under are exactly
 *     Q = r^-1 (s R - e G)
 * for the curve points R whose x coordinate is r or r + n (the latter only when below p), with
 * either y: at most four points. One recovery (one variable-point and one fixed-base
 * multiplication) then answers for every candidate key by comparing bytes, where trying each
 * key costs a full verify. Whether a key is tried at all, and what that is charged, stays the
 * caller's business: only the CPU changes.
 *
 * Why exactly these: a verify computes R' = u1 G + u2 Q with u1 = e/s, u2 = r/s, and accepts
 * when R' is not the point at infinity and x(R') mod n = r, for r and s in [1, n-1]. Then
 * s R' = e G + r Q, so Q = r^-1 (s R' - e G) with R' among the points above; conversely each
 * such Q gives back R' = R. Only public data is involved: no constant-time concern.
 */
#include "verify/sig_internal.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <string.h>

static int curve_nid(uint8_t alg)
{
    return alg == LDNS_ECDSAP256SHA256   ? NID_X9_62_prime256v1
           : alg == LDNS_ECDSAP384SHA384 ? NID_secp384r1
                                         : NID_undef;
}

const EC_GROUP *verify_sig_ecdsa_curve(const verify_keyset_t *keys, uint8_t alg)
{
    int nid = curve_nid(alg);
    if (nid == NID_undef)
        return NULL;
    /* Like the lazily imported keys: an internally locked part of a shared keyset. */
    verify_keyset_t *ks = (verify_keyset_t *)keys;
    _Atomic(EC_GROUP *) *slot = &ks->ecdsa_curve[alg == LDNS_ECDSAP384SHA384];
    EC_GROUP *g = atomic_load_explicit(slot, memory_order_acquire);
    if (g)
        return g;
    pthread_mutex_lock(&ks->import_lock);
    g = atomic_load_explicit(slot, memory_order_relaxed);
    if (!g) {
        g = EC_GROUP_new_by_curve_name(nid);
        atomic_store_explicit(slot, g, memory_order_release);
    }
    pthread_mutex_unlock(&ks->import_lock);
    return g;
}

/* Appends P's coordinates X | Y (the DNSKEY public key form, RFC 6605 §4) to out. */
static int add_point(const EC_GROUP *g, const EC_POINT *p, size_t coord, BN_CTX *ctx,
                     verify_sig_ecdsa_recovered_t *out)
{
    uint8_t oct[1 + 2 * SIG_ECDSA_MAX_COORD];
    if (EC_POINT_is_at_infinity(g, p))
        return 0; /* no key: the point at infinity is not a public key */
    if (EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, oct, sizeof oct, ctx) !=
        1 + 2 * coord)
        return VERIFY_ENOMEM;
    memcpy(out->keys[out->n++], oct + 1, 2 * coord);
    return 0;
}

int verify_sig_ecdsa_recover(const EC_GROUP *g, uint8_t alg, const uint8_t *data, size_t data_len,
                             const uint8_t *sig, size_t sig_len, verify_sig_ecdsa_recovered_t *out)
{
    size_t coord = alg == LDNS_ECDSAP256SHA256 ? 32 : alg == LDNS_ECDSAP384SHA384 ? 48 : 0;
    memset(out, 0, sizeof *out);
    if (!g || coord == 0 || sig_len != 2 * coord)
        return VERIFY_EINVAL;
    out->coord_len = coord;

    int rc = VERIFY_ENOMEM;
    BN_CTX *ctx = BN_CTX_new();
    EC_POINT *r_pt = ctx ? EC_POINT_new(g) : NULL, *a = ctx ? EC_POINT_new(g) : NULL;
    EC_POINT *b = ctx ? EC_POINT_new(g) : NULL, *q = ctx ? EC_POINT_new(g) : NULL;
    if (!r_pt || !a || !b || !q)
        goto done;
    BN_CTX_start(ctx);
    BIGNUM *r = BN_CTX_get(ctx), *s = BN_CTX_get(ctx), *e = BN_CTX_get(ctx);
    BIGNUM *rinv = BN_CTX_get(ctx), *u = BN_CTX_get(ctx), *v = BN_CTX_get(ctx);
    BIGNUM *x = BN_CTX_get(ctx), *p = BN_CTX_get(ctx);
    const BIGNUM *n = EC_GROUP_get0_order(g);
    if (!p || !n || !BN_bin2bn(sig, (int)coord, r) || !BN_bin2bn(sig + coord, (int)coord, s) ||
        !EC_GROUP_get_curve(g, p, NULL, NULL, ctx))
        goto end;
    /* A verify rejects r or s outside [1, n-1] before any arithmetic: no key verifies. */
    if (BN_is_zero(r) || BN_is_zero(s) || BN_cmp(r, n) >= 0 || BN_cmp(s, n) >= 0) {
        rc = 0;
        goto end;
    }
    bool have_b = false;
    for (int lift = 0; lift < 2; lift++) {
        if (!BN_copy(x, r) || (lift && !BN_add(x, x, n)))
            goto end;
        if (BN_cmp(x, p) >= 0)
            break;
        /* An x without a point on the curve leaves an error on OpenSSL's queue: not ours. The
         * point is looked for first: without one no key verifies, and the digest, the inverse
         * and both multiplications are not needed (about half of all x have no point). */
        ERR_set_mark();
        int on_curve = EC_POINT_set_compressed_coordinates(g, r_pt, x, 0, ctx);
        ERR_pop_to_mark();
        if (on_curve != 1)
            continue;
        if (!have_b) {
            /* e is the digest's leftmost bits up to the order's length (equal here; kept
             * general). u = s / r and v = -e / r (mod n); B = v G once, A = u R for each R.
             * The inverse is inverse.c's: BN_mod_inverse costs about a third of a recovery. */
            uint8_t digest[EVP_MAX_MD_SIZE];
            unsigned digest_len = 0;
            if (EVP_Digest(data, data_len, digest, &digest_len,
                           alg == LDNS_ECDSAP256SHA256 ? EVP_sha256() : EVP_sha384(), NULL) != 1 ||
                !BN_bin2bn(digest, (int)digest_len, e))
                goto end;
            int excess = (int)digest_len * 8 - BN_num_bits(n);
            if ((excess > 0 && !BN_rshift(e, e, excess)) ||
                verify_sig_inverse_mod(rinv, r, n, ctx) != 1 || !BN_mod_mul(u, s, rinv, n, ctx) ||
                !BN_mod_mul(v, e, rinv, n, ctx) || (!BN_is_zero(v) && !BN_sub(v, n, v)) ||
                !EC_POINT_mul(g, b, v, NULL, NULL, ctx))
                goto end;
            have_b = true;
        }
        if (!EC_POINT_mul(g, a, NULL, r_pt, u, ctx) || !EC_POINT_add(g, q, b, a, ctx) ||
            add_point(g, q, coord, ctx, out) < 0 || !EC_POINT_invert(g, a, ctx) ||
            !EC_POINT_add(g, q, b, a, ctx) || add_point(g, q, coord, ctx, out) < 0)
            goto end;
    }
    rc = 0;
end:
    BN_CTX_end(ctx);
done:
    EC_POINT_free(r_pt);
    EC_POINT_free(a);
    EC_POINT_free(b);
    EC_POINT_free(q);
    BN_CTX_free(ctx);
    if (rc < 0)
        out->n = 0;
    return rc;
}

bool verify_sig_ecdsa_recovered_has(const verify_sig_ecdsa_recovered_t *rec,
                                    const struct verify_key *key)
{
    /* A DNSKEY of another length, or with coordinates that are not a curve point in canonical
     * form, matches nothing here and fails to import for a verify: the same answer. */
    if (key->rdata_len != 4 + 2 * rec->coord_len)
        return false;
    for (size_t i = 0; i < rec->n; i++)
        if (memcmp(rec->keys[i], key->rdata + 4, 2 * rec->coord_len) == 0)
            return true;
    return false;
}
