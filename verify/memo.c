/*
 * The memo of a keyset: fingerprints of (signed data, signature, key) that already verified
 * with one of its keys. A parent zone's keyset is shared by every domain below it, so its
 * NSEC/NSEC3 records proving "no DS" are verified once however many domains they serve; a
 * child's keyset sees the same apex NSEC RRSIG in several negative answers and verifies it
 * once. The fingerprint is SHA-256 over everything the signature covers, the signature and the
 * key's whole DNSKEY RDATA (not its tag: keys may share a tag), each field length-framed, so a
 * hit means the very same bytes were verified with the very same key: never a weaker check. The
 * first SIG_MEMO_INLINE fingerprints live in the struct (a child's keyset, used by one domain,
 * needs no more: no 32 KiB table to allocate and clear per domain); after that a direct-mapped,
 * bounded table, where a collision of slots only costs a verify.
 */
#include "verify/sig_internal.h"

#include <stdlib.h>
#include <string.h>

#define MEMO_SLOTS 2048u

int verify_sig_memo_init(struct verify_sig_memo *m)
{
    memset(m, 0, sizeof *m);
    if (pthread_mutex_init(&m->lock, NULL) != 0)
        return VERIFY_ENOMEM;
    m->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    return m->sha256 ? 0 : VERIFY_ECRYPTO;
}

void verify_sig_memo_destroy(struct verify_sig_memo *m)
{
    free(m->slots);
    EVP_MD_free(m->sha256);
    pthread_mutex_destroy(&m->lock);
}

/* Each field is preceded by its length (32 bits), so no two different (data, signature, key)
 * triples hash the same byte string. */
static int update_framed(EVP_MD_CTX *ctx, const uint8_t *p, size_t len)
{
    uint8_t n[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
    return len <= UINT32_MAX && EVP_DigestUpdate(ctx, n, sizeof n) == 1 &&
           (len == 0 || EVP_DigestUpdate(ctx, p, len) == 1);
}

int verify_sig_memo_fingerprint(const struct verify_sig_memo *m, const uint8_t *data,
                                size_t data_len, const uint8_t *sig, size_t sig_len,
                                const uint8_t *key_rdata, size_t key_rdata_len,
                                uint8_t out[SIG_MEMO_FP_LEN])
{
    unsigned len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && key_rdata && EVP_DigestInit_ex(ctx, m->sha256, NULL) == 1 &&
             update_framed(ctx, data, data_len) && update_framed(ctx, sig, sig_len) &&
             update_framed(ctx, key_rdata, key_rdata_len) &&
             EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == SIG_MEMO_FP_LEN;
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : VERIFY_ECRYPTO;
}

static size_t slot_of(const uint8_t fp[SIG_MEMO_FP_LEN])
{
    size_t v;
    memcpy(&v, fp, sizeof v);
    return v & (MEMO_SLOTS - 1);
}

static void slot_put(struct verify_sig_memo_slot *slots, const uint8_t fp[SIG_MEMO_FP_LEN])
{
    struct verify_sig_memo_slot *s = &slots[slot_of(fp)];
    s->used = true;
    memcpy(s->fp, fp, SIG_MEMO_FP_LEN);
}

bool verify_sig_memo_seen(struct verify_sig_memo *m, const uint8_t fp[SIG_MEMO_FP_LEN])
{
    pthread_mutex_lock(&m->lock);
    const struct verify_sig_memo_slot *s = m->slots ? &m->slots[slot_of(fp)] : NULL;
    bool seen = s && s->used && memcmp(s->fp, fp, SIG_MEMO_FP_LEN) == 0;
    for (unsigned i = 0; !seen && i < m->n_inline; i++)
        seen = memcmp(m->inline_fp[i], fp, SIG_MEMO_FP_LEN) == 0;
    if (seen)
        m->hits++;
    pthread_mutex_unlock(&m->lock);
    return seen;
}

void verify_sig_memo_add(struct verify_sig_memo *m, const uint8_t fp[SIG_MEMO_FP_LEN])
{
    pthread_mutex_lock(&m->lock);
    if (!m->slots && m->n_inline < SIG_MEMO_INLINE) {
        memcpy(m->inline_fp[m->n_inline++], fp, SIG_MEMO_FP_LEN);
    } else {
        if (!m->slots && (m->slots = calloc(MEMO_SLOTS, sizeof *m->slots)) != NULL) {
            /* In the order they were added, as if the table had held them from the start. */
            for (unsigned i = 0; i < m->n_inline; i++)
                slot_put(m->slots, m->inline_fp[i]);
            m->n_inline = 0;
        }
        if (m->slots)
            slot_put(m->slots, fp);
    }
    pthread_mutex_unlock(&m->lock);
}

uint64_t verify_keyset_memo_hits(const verify_keyset_t *ks)
{
    if (!ks)
        return 0;
    struct verify_sig_memo *m = (struct verify_sig_memo *)&ks->memo;
    pthread_mutex_lock(&m->lock);
    uint64_t hits = m->hits;
    pthread_mutex_unlock(&m->lock);
    return hits;
}
