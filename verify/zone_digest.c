/*
 * DS digests of a zone's keys, once each per judgement. The parent's DS, the CDS and the
 * CDNSKEY records all ask for the DS form of the same few keys (a CDNSKEY has the RDATA of the
 * DNSKEY it names); charging each request would make a large but ordinary zone (40 keys, 20
 * DS, 20 CDS + CDNSKEY) look like a KeyTrap, so only a digest actually computed is charged.
 */
#include "verify/sig_internal.h"

#include <openssl/evp.h>

/* The room for one key's RDATA (a DNSKEY of RSA-4096 is ~520 bytes). */
#define KEY_RDATA_MAX 4096

int verify_zone_key_digest(struct verify_zone_run *r, const ldns_rr *key, uint8_t dtype,
                           uint8_t *out, size_t *out_len)
{
    /* Memo key: digest type | RDATA. Every key judged here is owned by the zone (DNSKEY and
     * CDNSKEY answers are taken at its apex), so the owner adds nothing to the key. */
    uint8_t memo_key[1 + KEY_RDATA_MAX];
    memo_key[0] = dtype;
    long len = verify_sig_rdata_copy(key, memo_key + 1, sizeof memo_key - 1);
    if (len < 0)
        return VERIFY_EINVAL;
    size_t key_len = 1 + (size_t)len, have = 0;
    if (!r->digests.slots && verify_sig_byteset_init(&r->digests, r->ks ? 2 * r->ks->n : 8) < 0)
        return VERIFY_ENOMEM;
    const uint8_t *known = verify_sig_byteset_get(&r->digests, memo_key, key_len, &have);
    if (known) {
        memcpy(out, known, have);
        *out_len = have;
        return 0;
    }
    if (!verify_sig_work_charge(&r->work, SIG_WORK_DIGEST, 1))
        return ZONE_DIGEST_LIMIT;
    int rc = verify_ds_digest(key, dtype, out, out_len);
    if (rc < 0)
        return rc;
    return verify_sig_byteset_put(&r->digests, memo_key, key_len, out, *out_len);
}
