/*
 * Inverse modulo a 256-bit odd modulus (ECDSA verification's s^-1 mod n) without BIGNUM's
 * general-purpose binary inversion, which costs about 10 us, a third of a P-256 verify on a busy
 * key's table (p256_hot.c). The binary extended Euclidean algorithm (HAC 14.61, odd-modulus
 * form) on four 64-bit limbs takes about 4 us. Every result is checked (w * a == 1 mod n, a
 * quarter of a microsecond), and BN_mod_inverse answers whenever the fast path cannot: a mistake
 * here can cost time, never a wrong inverse.
 */
#include "verify/sig_internal.h"

#include <openssl/bn.h>

#include <stdbool.h>
#include <stdint.h>

/* Limbs, least significant first. */
typedef struct {
    uint64_t w[4];
} u256_t;
static bool u256_is_one(const u256_t *a)
{
    return a->w[0] == 1 && !(a->w[1] | a->w[2] | a->w[3]);
}
static bool u256_is_zero(const u256_t *a)
{
    return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]);
}
static int u256_cmp(const u256_t *a, const u256_t *b)
{
    for (int i = 3; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}
static uint64_t u256_add(u256_t *r, const u256_t *a, const u256_t *b)
{
    unsigned __int128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (unsigned __int128)a->w[i] + b->w[i];
        r->w[i] = (uint64_t)c;
        c >>= 64;
    }
    return (uint64_t)c;
}
static uint64_t u256_sub(u256_t *r, const u256_t *a, const u256_t *b)
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t x = a->w[i], y = b->w[i];
        uint64_t d = x - y - borrow;
        borrow = (x < y) || (x == y && borrow);
        r->w[i] = d;
    }
    return borrow;
}
static void u256_shr1(u256_t *a, uint64_t top)
{
    for (int i = 0; i < 3; i++)
        a->w[i] = (a->w[i] >> 1) | (a->w[i + 1] << 63);
    a->w[3] = (a->w[3] >> 1) | (top << 63);
}
/* x/2 mod n for x < n. */
static void half_mod(u256_t *x, const u256_t *n)
{
    if (x->w[0] & 1) {
        uint64_t carry = u256_add(x, x, n);
        u256_shr1(x, carry);
    } else {
        u256_shr1(x, 0);
    }
}
/* (a - b) mod n for a, b < n. */
static void sub_mod(u256_t *r, const u256_t *a, const u256_t *b, const u256_t *n)
{
    if (u256_sub(r, a, b))
        u256_add(r, r, n);
}
/* a^-1 mod n for 0 < a < n, n odd and gcd(a, n) = 1; false when it does not converge. */
static bool u256_inverse(u256_t *out, const u256_t *a, const u256_t *n)
{
    u256_t u = *a, v = *n, x1 = {{1, 0, 0, 0}}, x2 = {{0, 0, 0, 0}};
    if (u256_is_zero(&u))
        return false;
    /* Each step halves u or v or shrinks u + v: 2 * 256 halvings and as many subtractions at most.
     */
    for (int steps = 0; steps < 4 * 256 && !u256_is_one(&u) && !u256_is_one(&v); steps++) {
        while (!(u.w[0] & 1)) {
            u256_shr1(&u, 0);
            half_mod(&x1, n);
        }
        while (!(v.w[0] & 1)) {
            u256_shr1(&v, 0);
            half_mod(&x2, n);
        }
        if (u256_cmp(&u, &v) >= 0) {
            u256_sub(&u, &u, &v);
            sub_mod(&x1, &x1, &x2, n);
        } else {
            u256_sub(&v, &v, &u);
            sub_mod(&x2, &x2, &x1, n);
        }
    }
    if (u256_is_one(&u))
        *out = x1;
    else if (u256_is_one(&v))
        *out = x2;
    else
        return false;
    return true;
}

static bool to_limbs(const BIGNUM *b, u256_t *u)
{
    uint8_t be[32];
    if (BN_is_negative(b) || BN_bn2binpad(b, be, sizeof be) != (int)sizeof be)
        return false;
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
            v = (v << 8) | be[24 - 8 * i + j];
        u->w[i] = v;
    }
    return true;
}

static bool from_limbs(const u256_t *u, BIGNUM *b)
{
    uint8_t be[32];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++)
            be[31 - 8 * i - j] = (uint8_t)(u->w[i] >> (8 * j));
    return BN_bin2bn(be, sizeof be, b) != NULL;
}

int verify_sig_inverse_mod(BIGNUM *out, const BIGNUM *a, const BIGNUM *n, BN_CTX *ctx)
{
    u256_t ua, un, uw;
    if (BN_num_bits(n) <= 256 && BN_is_odd(n) && BN_ucmp(a, n) < 0 && to_limbs(a, &ua) &&
        to_limbs(n, &un) && u256_inverse(&uw, &ua, &un) && from_limbs(&uw, out)) {
        BN_CTX_start(ctx);
        BIGNUM *check = BN_CTX_get(ctx);
        bool right = check && BN_mod_mul(check, out, a, n, ctx) && BN_is_one(check);
        BN_CTX_end(ctx);
        if (right)
            return 1;
    }
    return BN_mod_inverse(out, a, n, ctx) != NULL;
}
