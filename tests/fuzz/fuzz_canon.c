/*
 * RR/RRset canonicaliser harness: a wire message whose answer section holds RRs and RRSIGs.
 * For each RRSIG (up to 8), the RRs of the type it covers that share the first one's owner and
 * class form the RRset handed to verify_signed_data(). The canonical form must not depend on
 * the order of the RRs: the set is canonicalised forwards and reversed, and the two results
 * must be byte for byte equal (abort() otherwise, which libFuzzer reports as a crash).
 * Also runs the key tag, key size, DS digest and DS match code on every DNSKEY and DS.
 * Input: the raw message (no framing).
 */
#include "io/io.h"
#include "verify/verify.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

static ldns_rr_list *rrset_for(const ldns_rr_list *answer, const ldns_rr *rrsig, bool reversed)
{
    ldns_rr_list *set = ldns_rr_list_new();
    const ldns_rdf *covered = ldns_rr_rdf(rrsig, 0);
    if (!set || !covered || ldns_rdf_size(covered) != 2)
        return set;
    ldns_rr_type type = ldns_rdf2rr_type(covered);
    /* The reference RR is the first of the type in message order, whatever the direction. */
    const ldns_rr *first = NULL;
    size_t n = ldns_rr_list_rr_count(answer);
    for (size_t k = 0; k < n && !first; k++)
        if (ldns_rr_get_type(ldns_rr_list_rr(answer, k)) == type)
            first = ldns_rr_list_rr(answer, k);
    for (size_t k = 0; first && k < n; k++) {
        const ldns_rr *rr = ldns_rr_list_rr(answer, reversed ? n - 1 - k : k);
        if (ldns_rr_get_type(rr) != type)
            continue;
        if (ldns_rr_get_class(rr) != ldns_rr_get_class(first) ||
            ldns_dname_compare(ldns_rr_owner(rr), ldns_rr_owner(first)) != 0)
            continue;
        ldns_rr_list_push_rr(set, (ldns_rr *)rr); /* borrowed: freed with ldns_rr_list_free */
    }
    return set;
}

static void keys_and_digests(const ldns_rr_list *answer)
{
    size_t n = ldns_rr_list_rr_count(answer);
    for (size_t i = 0; i < n; i++) {
        const ldns_rr *key = ldns_rr_list_rr(answer, i);
        ldns_rr_type t = ldns_rr_get_type(key);
        if (t != LDNS_RR_TYPE_DNSKEY && t != LDNS_RR_TYPE_CDNSKEY)
            continue;
        (void)verify_key_tag(key);
        (void)verify_dnskey_bits(key);
        static const uint8_t digests[] = {1, 2, 4};
        for (size_t d = 0; d < sizeof digests; d++) {
            uint8_t out[64];
            size_t len = 0;
            char text[1024];
            (void)verify_ds_digest(key, digests[d], out, &len);
            (void)verify_ds_text(key, digests[d], 3600, text, sizeof text);
        }
        for (size_t j = 0; j < n; j++) {
            const ldns_rr *ds = ldns_rr_list_rr(answer, j);
            if (ldns_rr_get_type(ds) == LDNS_RR_TYPE_DS || ldns_rr_get_type(ds) == LDNS_RR_TYPE_CDS)
                (void)verify_ds_match(ds, key);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ldns_pkt *pkt = NULL;
    if (io_parse_answer(data, size, &pkt) != IO_OK)
        return 0;
    const ldns_rr_list *answer = ldns_pkt_answer(pkt);
    size_t n = ldns_rr_list_rr_count(answer);
    size_t sigs = 0;
    for (size_t i = 0; i < n && sigs < 8; i++) {
        const ldns_rr *rrsig = ldns_rr_list_rr(answer, i);
        if (ldns_rr_get_type(rrsig) != LDNS_RR_TYPE_RRSIG)
            continue;
        sigs++;
        ldns_rr_list *fwd = rrset_for(answer, rrsig, false);
        ldns_rr_list *rev = rrset_for(answer, rrsig, true);
        ldns_buffer *a = ldns_buffer_new(512);
        ldns_buffer *b = ldns_buffer_new(512);
        if (fwd && rev && a && b) {
            int ra = verify_signed_data(fwd, rrsig, a);
            int rb = verify_signed_data(rev, rrsig, b);
            if (ra != rb)
                abort();
            if (ra == 0 &&
                (ldns_buffer_position(a) != ldns_buffer_position(b) ||
                 memcmp(ldns_buffer_begin(a), ldns_buffer_begin(b), ldns_buffer_position(a)) != 0))
                abort();
        }
        ldns_buffer_free(a);
        ldns_buffer_free(b);
        ldns_rr_list_free(fwd);
        ldns_rr_list_free(rev);
    }
    keys_and_digests(answer);
    ldns_pkt_free(pkt);
    return 0;
}
