/*
 * The memo of a keyset: fingerprints of (signed data, signature, key) that already verified
 * with one of its keys. A parent zone's keyset is shared by every domain below it, so its
 * NSEC/NSEC3 records proving "no DS" are verified once however many domains they serve; a
 * child's keyset sees the same apex NSEC RRSIG in several negative answers and verifies it
 * once. The fingerprint is SHA-256 over everything the signature covers plus the signature, so
 * a hit means the very same bytes were verified before: never a weaker check. The first
 * SIG_MEMO_INLINE fingerprints live in the struct (a child's keyset, used by one domain, needs
 * no more: no 32 KiB table to allocate and clear per domain); after that a direct-mapped,
 * bounded table, where a collision of slots only costs a verify.
 */
#include "verify/sig_internal.h"

#include <stdlib.h>
#include <string.h>

#define MEMO_SLOTS 2048u

int sig_memo_init(struct sig_memo *m)
{
    memset(m, 0, sizeof *m);
    if (pthread_mutex_init(&m->lock, NULL) != 0)
        return VERIFY_ENOMEM;
    m->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    return m->sha256 ? 0 : VERIFY_ECRYPTO;
}

void sig_memo_destroy(struct sig_memo *m)
{
    free(m->slots);
    EVP_MD_free(m->sha256);
    pthread_mutex_destroy(&m->lock);
}

int sig_memo_fingerprint(const struct sig_memo *m, const uint8_t *data, size_t data_len,
                         const uint8_t *sig, size_t sig_len, uint16_t key_tag,
                         uint8_t out[SIG_MEMO_FP_LEN])
{
    uint8_t tag[2] = {(uint8_t)(key_tag >> 8), (uint8_t)key_tag};
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, m->sha256, NULL) == 1 &&
             EVP_DigestUpdate(ctx, data, data_len) == 1 &&
             EVP_DigestUpdate(ctx, sig, sig_len) == 1 && EVP_DigestUpdate(ctx, tag, 2) == 1 &&
             EVP_DigestFinal_ex(ctx, digest, &len) == 1 && len >= SIG_MEMO_FP_LEN;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return VERIFY_ECRYPTO;
    memcpy(out, digest, SIG_MEMO_FP_LEN);
    return 0;
}

static size_t slot_of(const uint8_t fp[SIG_MEMO_FP_LEN])
{
    size_t v;
    memcpy(&v, fp, sizeof v);
    return v & (MEMO_SLOTS - 1);
}

bool sig_memo_seen(struct sig_memo *m, const uint8_t fp[SIG_MEMO_FP_LEN])
{
    pthread_mutex_lock(&m->lock);
    bool seen = m->slots && memcmp(m->slots[slot_of(fp)], fp, SIG_MEMO_FP_LEN) == 0;
    for (unsigned i = 0; !seen && i < m->n_inline; i++)
        seen = memcmp(m->inline_fp[i], fp, SIG_MEMO_FP_LEN) == 0;
    if (seen)
        m->hits++;
    pthread_mutex_unlock(&m->lock);
    return seen;
}

void sig_memo_add(struct sig_memo *m, const uint8_t fp[SIG_MEMO_FP_LEN])
{
    pthread_mutex_lock(&m->lock);
    if (!m->slots && m->n_inline < SIG_MEMO_INLINE) {
        memcpy(m->inline_fp[m->n_inline++], fp, SIG_MEMO_FP_LEN);
    } else {
        if (!m->slots && (m->slots = calloc(MEMO_SLOTS, SIG_MEMO_FP_LEN)) != NULL) {
            /* In the order they were added, as if the table had held them from the start. */
            for (unsigned i = 0; i < m->n_inline; i++)
                memcpy(m->slots[slot_of(m->inline_fp[i])], m->inline_fp[i], SIG_MEMO_FP_LEN);
            m->n_inline = 0;
        }
        if (m->slots)
            memcpy(m->slots[slot_of(fp)], fp, SIG_MEMO_FP_LEN);
    }
    pthread_mutex_unlock(&m->lock);
}

uint64_t verify_keyset_memo_hits(const verify_keyset_t *ks)
{
    if (!ks)
        return 0;
    struct sig_memo *m = (struct sig_memo *)&ks->memo;
    pthread_mutex_lock(&m->lock);
    uint64_t hits = m->hits;
    pthread_mutex_unlock(&m->lock);
    return hits;
}
