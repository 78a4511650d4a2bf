/*
 * DNSKEY -> EVP_PKEY import (RFC 3110, RFC 5702, RFC 6605, RFC 8080) and the shared keyset.
 * Keys are imported once per keyset: re-importing per verify costs 3-8x (bench_verify), and
 * lazily, when a signature first needs the key: a key no signature tries costs no import.
 */
#include "verify/sig_internal.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>

bool verify_algorithm_supported(uint8_t algorithm)
{
    switch (algorithm) {
    case LDNS_RSASHA1:
    case LDNS_RSASHA1_NSEC3:
    case LDNS_RSASHA256:
    case LDNS_RSASHA512:
    case LDNS_ECDSAP256SHA256:
    case LDNS_ECDSAP384SHA384:
    case LDNS_ED25519:
    case LDNS_ED448:
        return true;
    default:
        return false;
    }
}

bool verify_algorithm_deprecated(uint8_t algorithm)
{
    return algorithm == 1 || algorithm == 3 || algorithm == 5 || algorithm == 6 || algorithm == 7 ||
           algorithm == 12;
}

/* Fetches the digest of an RRSIG algorithm (caller frees); NULL for EdDSA/unknown. */
static EVP_MD *verify_sig_algorithm_md(uint8_t algorithm)
{
    const char *name = NULL;
    switch (algorithm) {
    case LDNS_RSASHA1:
    case LDNS_RSASHA1_NSEC3:
        name = "SHA1";
        break;
    case LDNS_RSASHA256:
    case LDNS_ECDSAP256SHA256:
        name = "SHA256";
        break;
    case LDNS_RSASHA512:
        name = "SHA512";
        break;
    case LDNS_ECDSAP384SHA384:
        name = "SHA384";
        break;
    default:
        return NULL;
    }
    return EVP_MD_fetch(NULL, name, NULL);
}

size_t verify_sig_signature_length(uint8_t algorithm)
{
    switch (algorithm) {
    case LDNS_ECDSAP256SHA256:
        return 64;
    case LDNS_ECDSAP384SHA384:
        return 96;
    case LDNS_ED25519:
        return 64;
    case LDNS_ED448:
        return 114;
    default:
        return 0;
    }
}

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (!params || !pctx || EVP_PKEY_fromdata_init(pctx) <= 0 ||
        EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    return pkey;
}

/* RFC 3110 §2: exponent length in one octet, or zero and then two octets. Finds the exponent
 * (key + *off, *elen bytes) and the modulus (the rest); false for a shape not imported.
 * RFC 3110 / 5702: moduli up to 4096 bits. A long exponent would make every verify slow (a
 * hostile zone could stall a worker), so anything beyond 64 bits is refused. */
static bool rsa_layout(const uint8_t *key, size_t len, size_t *off, size_t *elen)
{
    if (len < 3)
        return false;
    *off = 1;
    *elen = key[0];
    if (*elen == 0) {
        *elen = ((size_t)key[1] << 8) | key[2];
        *off = 3;
    }
    return *elen != 0 && *elen <= 8 && *off + *elen < len && len - *off - *elen <= 512;
}

static EVP_PKEY *import_rsa(const uint8_t *key, size_t len)
{
    EVP_PKEY *pkey = NULL;
    BIGNUM *n = NULL, *e = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    size_t off, elen;
    if (!rsa_layout(key, len, &off, &elen))
        return NULL;
    e = BN_bin2bn(key + off, (int)elen, NULL);
    n = BN_bin2bn(key + off + elen, (int)(len - off - elen), NULL);
    bld = OSSL_PARAM_BLD_new();
    if (e && n && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
        pkey = pkey_fromdata("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return pkey;
}

/* RFC 6605 §4: the key is x | y; OpenSSL wants the uncompressed point 04 | x | y. */
static EVP_PKEY *import_ec(const char *group, size_t coord, const uint8_t *key, size_t len)
{
    uint8_t point[1 + 2 * 48];
    EVP_PKEY *pkey = NULL;
    if (len != 2 * coord)
        return NULL;
    point[0] = 0x04;
    memcpy(point + 1, key, len);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, len + 1))
        pkey = pkey_fromdata("EC", bld);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

/* Imports the public key of a DNSKEY RDATA; NULL for unsupported/malformed. */
static EVP_PKEY *verify_sig_import_key(uint8_t algorithm, const uint8_t *key, size_t len)
{
    switch (algorithm) {
    case LDNS_RSASHA1:
    case LDNS_RSASHA1_NSEC3:
    case LDNS_RSASHA256:
    case LDNS_RSASHA512:
        return import_rsa(key, len);
    case LDNS_ECDSAP256SHA256:
        return import_ec("prime256v1", 32, key, len);
    case LDNS_ECDSAP384SHA384:
        return import_ec("secp384r1", 48, key, len);
    case LDNS_ED25519:
        return len == 32 ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, len) : NULL;
    case LDNS_ED448:
        return len == 57 ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED448, NULL, key, len) : NULL;
    default:
        return NULL;
    }
}

/* Key size in bits from the DNSKEY key field alone (RSA modulus without leading zeros, the
 * curve's size); 0 when the algorithm is unknown or the field has the wrong shape. */
static unsigned verify_sig_key_bits(uint8_t algorithm, const uint8_t *key, size_t len)
{
    size_t off, elen;
    switch (algorithm) {
    case LDNS_RSASHA1:
    case LDNS_RSASHA1_NSEC3:
    case LDNS_RSASHA256:
    case LDNS_RSASHA512:
        if (!rsa_layout(key, len, &off, &elen))
            return 0;
        /* As BN_num_bits of the modulus: leading zero octets and bits do not count. */
        for (off += elen; off < len && key[off] == 0; off++)
            ;
        if (off == len)
            return 0;
        unsigned top = 0;
        for (unsigned b = key[off]; b; b >>= 1)
            top++;
        return (unsigned)(len - off - 1) * 8 + top;
    case LDNS_ECDSAP256SHA256:
        return len == 64 ? 256 : 0;
    case LDNS_ECDSAP384SHA384:
        return len == 96 ? 384 : 0;
    case LDNS_ED25519:
        return len == 32 ? 256 : 0;
    case LDNS_ED448:
        return len == 57 ? 456 : 0;
    default:
        return 0;
    }
}

unsigned verify_dnskey_bits(const ldns_rr *dnskey)
{
    if (!verify_sig_rr_complete(dnskey, 4))
        return 0;
    const ldns_rdf *k = ldns_rr_rdf(dnskey, 3);
    return verify_sig_key_bits(ldns_rdf2native_int8(ldns_rr_rdf(dnskey, 2)), ldns_rdf_data(k),
                               ldns_rdf_size(k));
}

/* Bytes the RDATA of rr and its owner's wire form take (rdata_copy()). */
static size_t rdata_size(const ldns_rr *rr)
{
    const ldns_rdf *owner = verify_rr_owner(rr);
    size_t total = owner ? verify_rdf_size(owner) : 0, fields = verify_rr_fields(rr);
    for (size_t i = 0; i < fields; i++)
        total += verify_rr_field(rr, i) ? verify_rdf_size(verify_rr_field(rr, i)) : 0;
    return total;
}

/* The RDATA of rr in wire form at out (*len bytes), followed by the owner's wire form
 * (*owner_len bytes); cap: room at out, rdata_size(rr) or more. 0 or VERIFY_EINVAL. */
static int rdata_copy(const ldns_rr *rr, uint8_t *out, size_t cap, size_t *len, size_t *owner_len)
{
    const ldns_rdf *owner = verify_rr_owner(rr);
    size_t olen = owner ? verify_rdf_size(owner) : 0;
    long n = cap >= olen ? verify_sig_rdata_copy(rr, out, cap - olen) : -1;
    if (n < 0)
        return VERIFY_EINVAL;
    if (olen)
        memcpy(out + n, verify_rdf_data(owner), olen);
    *len = (size_t)n;
    *owner_len = olen;
    return 0;
}

static int key_init(struct verify_key *key, const ldns_rr *rr, uint8_t *rdata, size_t rdata_len,
                    size_t owner_len, pthread_mutex_t *import_lock)
{
    key->rdata = rdata; /* in the keyset's store */
    key->rdata_len = rdata_len;
    key->owner = rdata + rdata_len;
    key->owner_len = owner_len;
    key->rr_class = (uint16_t)ldns_rr_get_class(rr);
    key->ttl = ldns_rr_ttl(rr);
    key->import_lock = import_lock;
    atomic_init(&key->imported, false);
    atomic_init(&key->rr, NULL);
    key->flags = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
    key->protocol = ldns_rdf2native_int8(ldns_rr_rdf(rr, 1));
    key->algorithm = ldns_rdf2native_int8(ldns_rr_rdf(rr, 2));
    /* verify_key_tag(rr) from the RDATA already copied, without a copy of its own. */
    key->key_tag = rdata_len <= SIG_DNSKEY_MAX_RDATA ? verify_key_tag_rdata(rdata, rdata_len) : 0;
    const ldns_rdf *k = ldns_rr_rdf(rr, 3);
    key->bits = verify_sig_key_bits(key->algorithm, ldns_rdf_data(k), ldns_rdf_size(k));
    return 0;
}

/* The RR back from its parts, as it came: owner (uncompressed), DNSKEY, class, TTL, RDATA. */
static ldns_rr *key_rr_make(const struct verify_key *key)
{
    size_t len = key->owner_len + 10 + key->rdata_len, pos = 0;
    uint8_t *wire = malloc(len);
    ldns_rr *rr = NULL;
    if (!wire || key->owner_len == 0 || key->rdata_len > 0xFFFF) {
        free(wire);
        return NULL;
    }
    uint8_t *p = wire;
    memcpy(p, key->owner, key->owner_len);
    p += key->owner_len;
    const uint8_t fixed[10] = {0,
                               LDNS_RR_TYPE_DNSKEY,
                               (uint8_t)(key->rr_class >> 8),
                               (uint8_t)key->rr_class,
                               (uint8_t)(key->ttl >> 24),
                               (uint8_t)(key->ttl >> 16),
                               (uint8_t)(key->ttl >> 8),
                               (uint8_t)key->ttl,
                               (uint8_t)(key->rdata_len >> 8),
                               (uint8_t)key->rdata_len};
    memcpy(p, fixed, sizeof fixed);
    memcpy(p + sizeof fixed, key->rdata, key->rdata_len);
    if (ldns_wire2rr(&rr, wire, len, &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
        rr = NULL;
    free(wire);
    return rr;
}

const ldns_rr *verify_sig_key_rr(const struct verify_key *key)
{
    /* Like the import: an internally locked part of a shared keyset, never changing a result. */
    struct verify_key *k = (struct verify_key *)key;
    ldns_rr *rr = atomic_load_explicit(&k->rr, memory_order_acquire);
    if (rr)
        return rr;
    pthread_mutex_lock(k->import_lock);
    rr = atomic_load_explicit(&k->rr, memory_order_relaxed);
    if (!rr) {
        rr = key_rr_make(k);
        atomic_store_explicit(&k->rr, rr, memory_order_release);
    }
    pthread_mutex_unlock(k->import_lock);
    return rr;
}

/* The import proper; runs once per key under the keyset's lock. */
static void key_import(struct verify_key *key)
{
    /* The public key: the RDATA after flags, protocol and algorithm (RFC 4034 2.1). */
    key->pkey = verify_sig_import_key(key->algorithm, key->rdata + 4, key->rdata_len - 4);
    if (key->pkey && verify_algorithm_supported(key->algorithm) && key->algorithm != LDNS_ED25519 &&
        key->algorithm != LDNS_ED448) {
        key->md = verify_sig_algorithm_md(key->algorithm);
        if (!key->md) {
            EVP_PKEY_free(key->pkey);
            key->pkey = NULL;
        }
    }
    /* Without a table (out of memory), the key simply stays on EVP. */
    if (key->pkey && key->algorithm == LDNS_ECDSAP256SHA256)
        key->hot = verify_sig_p256_hot_new(key->pkey, SIG_P256_HOT_AFTER);
    /* Initialising a DigestVerify context fetches the algorithm through OpenSSL's global
     * property store; copying a prepared one avoids that on every verify (~25% for RSA). */
    if (key->pkey) {
        key->tmpl = EVP_MD_CTX_new();
        if (key->tmpl && EVP_DigestVerifyInit(key->tmpl, NULL, key->md, NULL, key->pkey) != 1) {
            EVP_MD_CTX_free(key->tmpl);
            key->tmpl = NULL;
        }
    }
}

bool verify_sig_key_import(const struct verify_key *key)
{
    /* The keyset is shared read-only; the lazily imported key is, like the memo, an internally
     * locked part of it that never changes a result. */
    struct verify_key *k = (struct verify_key *)key;
    if (!atomic_load_explicit(&k->imported, memory_order_acquire)) {
        pthread_mutex_lock(k->import_lock);
        if (!atomic_load_explicit(&k->imported, memory_order_relaxed)) {
            key_import(k);
            atomic_store_explicit(&k->imported, true, memory_order_release);
        }
        pthread_mutex_unlock(k->import_lock);
    }
    return k->pkey != NULL;
}

/* FNV-1a over 8-byte words, then the bytes left: only to spread RDATA over the de-duplication
 * table (equality is memcmp). Word by word because a KeyTrap answer brings hundreds of keys. */
static size_t rdata_hash(const uint8_t *p, size_t len)
{
    uint64_t h = 1469598103934665603ull, w;
    size_t i = 0;
    for (; i + sizeof w <= len; i += sizeof w) {
        memcpy(&w, p + i, sizeof w);
        h = (h ^ w) * 1099511628211ull;
    }
    for (; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 32));
}

int verify_keyset_new(const ldns_rdf *zone, const ldns_rr_list *dnskeys, verify_keyset_t **out)
{
    size_t *seen = NULL; /* de-duplication table: index + 1 of a kept key, 0 = empty */
    int rc = VERIFY_ENOMEM;
    *out = NULL;
    if (!zone || ldns_rdf_get_type(zone) != LDNS_RDF_TYPE_DNAME)
        return VERIFY_EINVAL;
    verify_keyset_t *ks = calloc(1, sizeof *ks);
    if (!ks)
        return VERIFY_ENOMEM;
    atomic_init(&ks->refs, 1);
    atomic_init(&ks->ecdsa_curve[0], NULL);
    atomic_init(&ks->ecdsa_curve[1], NULL);
    if (pthread_mutex_init(&ks->import_lock, NULL) != 0) {
        free(ks);
        return VERIFY_ENOMEM;
    }
    rc = verify_sig_memo_init(&ks->memo);
    if (rc < 0) {
        pthread_mutex_destroy(&ks->import_lock);
        free(ks);
        return rc;
    }
    rc = VERIFY_ENOMEM;
    ks->zone = ldns_rdf_clone(zone);
    if (!ks->zone)
        goto fail;
    ldns_dname2canonical(ks->zone);
    size_t total = dnskeys ? ldns_rr_list_rr_count(dnskeys) : 0;
    if (total > 0 && !(ks->keys = calloc(total, sizeof *ks->keys)))
        goto fail;
    if (total > 0 && !(seen = calloc(2 * total, sizeof *seen)))
        goto fail;
    /* Every key's RDATA and owner in one store, sized first: a KeyTrap answer brings hundreds
     * of keys, and one allocation each cost more than the rest of the keyset. */
    size_t store = 0, used = 0;
    for (size_t i = 0; i < total; i++) {
        const ldns_rr *rr = ldns_rr_list_rr(dnskeys, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNSKEY && verify_sig_rr_complete(rr, 4))
            store += rdata_size(rr);
    }
    if (store > 0 && !(ks->rdata_store = malloc(store)))
        goto fail;
    for (size_t i = 0; i < total; i++) {
        const ldns_rr *rr = ldns_rr_list_rr(dnskeys, i);
        size_t len = 0;
        if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY || !verify_sig_rr_complete(rr, 4))
            continue;
        uint8_t *rdata = ks->rdata_store + used; /* store > 0: this key was counted */
        size_t owner_len = 0;
        if ((rc = rdata_copy(rr, rdata, store - used, &len, &owner_len)) < 0)
            goto fail;
        /* A DNSKEY RRset is a set (RFC 2181 §5): an answer repeating one key 800 times has one
         * key, not 800 to try. Open addressing over a hash of the RDATA keeps this linear. */
        size_t slot = rdata_hash(rdata, len) % (2 * total);
        bool dup = false;
        while (seen[slot] && !dup) {
            const struct verify_key *o = &ks->keys[seen[slot] - 1];
            dup = o->rdata_len == len && memcmp(o->rdata, rdata, len) == 0;
            slot = (slot + 1) % (2 * total);
        }
        if (dup)
            continue; /* its bytes are overwritten by the next key */
        used += len + owner_len;
        seen[slot] = ks->n + 1;
        rc = key_init(&ks->keys[ks->n], rr, rdata, len, owner_len, &ks->import_lock);
        ks->n++; /* freed by verify_keyset_free() even when key_init failed half-way */
        if (rc < 0)
            goto fail;
    }
    free(seen);
    *out = ks;
    return 0;
fail:
    free(seen);
    verify_keyset_free(ks);
    return rc;
}

verify_keyset_t *verify_keyset_ref(verify_keyset_t *ks)
{
    if (ks) {
        unsigned held = atomic_fetch_add_explicit(&ks->refs, 1, memory_order_relaxed);
        assert(held > 0); /* a reference is taken from a live one, never from a freed set */
        (void)held;
    }
    return ks;
}

void verify_keyset_free(verify_keyset_t *ks)
{
    if (!ks)
        return;
    unsigned held = atomic_fetch_sub_explicit(&ks->refs, 1, memory_order_acq_rel);
    assert(held > 0); /* more frees than references: a double free */
    if (held != 1)
        return;
    for (size_t i = 0; i < ks->n; i++) {
        ldns_rr_free(atomic_load_explicit(&ks->keys[i].rr, memory_order_relaxed));
        EVP_PKEY_free(ks->keys[i].pkey);
        EVP_MD_free(ks->keys[i].md);
        EVP_MD_CTX_free(ks->keys[i].tmpl);
        verify_sig_p256_hot_free(ks->keys[i].hot);
    }
    free(ks->keys);
    free(ks->rdata_store);
    ldns_rdf_deep_free(ks->zone);
    for (size_t i = 0; i < 2; i++)
        EC_GROUP_free(atomic_load_explicit(&ks->ecdsa_curve[i], memory_order_relaxed));
    verify_sig_memo_destroy(&ks->memo);
    pthread_mutex_destroy(&ks->import_lock);
    free(ks);
}

size_t verify_keyset_count(const verify_keyset_t *ks)
{
    return ks ? ks->n : 0;
}

const ldns_rdf *verify_keyset_zone(const verify_keyset_t *ks)
{
    return ks ? ks->zone : NULL;
}

const ldns_rr *verify_keyset_key(const verify_keyset_t *ks, size_t i)
{
    return ks && i < ks->n ? verify_sig_key_rr(&ks->keys[i]) : NULL;
}
