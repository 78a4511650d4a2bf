/* Key tags (RFC 4034 App. B) and DS digests (RFC 4034 §5.1.4, RFC 4509, RFC 6605). */
#include "verify/sig_internal.h"
#include "text/text.h"

#include <stdio.h>
#include <string.h>

uint16_t verify_key_tag_rdata(const uint8_t *rdata, size_t len)
{
    if (len < 4)
        return 0;
    if (rdata[3] == LDNS_RSAMD5) {
        /* Algorithm 1: the tag is the most significant 16 of the modulus's least
         * significant 24 bits (App. B.1). */
        if (len < 7)
            return 0;
        return (uint16_t)((rdata[len - 3] << 8) | rdata[len - 2]);
    }
    uint32_t ac = 0;
    for (size_t i = 0; i < len; i++)
        ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
    ac += (ac >> 16) & 0xffff;
    return (uint16_t)(ac & 0xffff);
}

uint16_t verify_key_tag(const ldns_rr *dnskey)
{
    uint8_t rdata[SIG_DNSKEY_MAX_RDATA];
    if (!verify_sig_rr_complete(dnskey, 4))
        return 0;
    long len = verify_sig_rdata_copy(dnskey, rdata, sizeof rdata);
    return len < 0 ? 0 : verify_key_tag_rdata(rdata, (size_t)len);
}

/* The digest types a DS may use here, with their OpenSSL digest names. */
static const text_code_t digests[] = {
    {LDNS_SHA1, "SHA1"},
    {LDNS_SHA256, "SHA256"},
    {LDNS_SHA384, "SHA384"},
};

static const char *digest_name(uint8_t digest_type)
{
    return text_of_code(digests, sizeof digests / sizeof digests[0], digest_type);
}

bool verify_ds_digest_supported(uint8_t digest_type)
{
    return digest_name(digest_type) != NULL;
}

int verify_ds_digest(const ldns_rr *dnskey, uint8_t digest_type, uint8_t *out, size_t *out_len)
{
    uint8_t data[SIG_DNSKEY_MAX_RDATA + LDNS_MAX_DOMAINLEN + 1];
    const char *md_name = digest_name(digest_type);
    if (!md_name)
        return VERIFY_EUNSUPPORTED;
    if (!verify_sig_rr_complete(dnskey, 4) || !ldns_rr_owner(dnskey))
        return VERIFY_EINVAL;
    const ldns_rdf *owner = ldns_rr_owner(dnskey);
    size_t olen = ldns_rdf_size(owner);
    if (olen > LDNS_MAX_DOMAINLEN + 1)
        return VERIFY_EINVAL;
    const uint8_t *o = ldns_rdf_data(owner);
    for (size_t i = 0; i < olen; i++)
        data[i] = (o[i] >= 'A' && o[i] <= 'Z') ? (uint8_t)(o[i] + 32) : o[i];
    long rlen = verify_sig_rdata_copy(dnskey, data + olen, sizeof data - olen);
    if (rlen < 0)
        return VERIFY_EINVAL;
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, olen + (size_t)rlen, out, &mdlen, EVP_get_digestbyname(md_name), NULL))
        return VERIFY_ECRYPTO;
    *out_len = mdlen;
    return 0;
}

int verify_ds_text(const ldns_rr *dnskey, uint8_t digest_type, uint32_t ttl, char *buf, size_t len)
{
    uint8_t digest[EVP_MAX_MD_SIZE];
    size_t dlen = 0;
    int rc = verify_ds_digest(dnskey, digest_type, digest, &dlen);
    if (rc < 0)
        return rc;
    const ldns_rdf *owner = ldns_rr_owner(dnskey);
    char name[VERIFY_NAME_TEXT_LEN];
    if (verify_name_text(ldns_rdf_data(owner), ldns_rdf_size(owner), name, sizeof name) < 0)
        return VERIFY_EINVAL;
    for (char *p = name; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    int w = snprintf(buf, len, "%s %u IN DS %u %u %u ", name, (unsigned)ttl,
                     (unsigned)verify_key_tag(dnskey),
                     (unsigned)ldns_rdf2native_int8(ldns_rr_rdf(dnskey, 2)), (unsigned)digest_type);
    if (w < 0 || (size_t)w + 2 * dlen + 1 > len)
        return VERIFY_EINVAL;
    verify_hex_text(digest, dlen, buf + w, len - (size_t)w);
    return 0;
}

verify_ds_match_t verify_ds_match(const ldns_rr *ds, const ldns_rr *dnskey)
{
    if (!verify_sig_rr_complete(ds, 4) || !verify_sig_rr_complete(dnskey, 4))
        return VERIFY_DS_NO_MATCH;
    uint16_t tag = ldns_rdf2native_int16(ldns_rr_rdf(ds, 0));
    uint8_t alg = ldns_rdf2native_int8(ldns_rr_rdf(ds, 1));
    uint8_t dtype = ldns_rdf2native_int8(ldns_rr_rdf(ds, 2));
    if (alg != ldns_rdf2native_int8(ldns_rr_rdf(dnskey, 2)) || tag != verify_key_tag(dnskey))
        return VERIFY_DS_NO_MATCH;
    if (!verify_ds_digest_supported(dtype))
        return VERIFY_DS_UNSUPPORTED;
    uint8_t digest[EVP_MAX_MD_SIZE];
    size_t dlen = 0;
    if (verify_ds_digest(dnskey, dtype, digest, &dlen) < 0)
        return VERIFY_DS_DIGEST_MISMATCH;
    const ldns_rdf *want = ldns_rr_rdf(ds, 3);
    if (ldns_rdf_size(want) != dlen || memcmp(ldns_rdf_data(want), digest, dlen) != 0)
        return VERIFY_DS_DIGEST_MISMATCH;
    return VERIFY_DS_MATCH;
}
