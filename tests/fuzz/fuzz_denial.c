/*
 * NSEC/NSEC3 proof checker harness: verify_denial_check() and verify_denial_check_wildcard()
 * on records from a fuzzed wire message, plus the NSEC3 hash and the canonical name order the
 * proofs are built on. The order must be antisymmetric (abort() otherwise).
 *
 * Input: 5 control bytes (claim kind, qtype high/low, labels stripped from qname to get the
 * zone, RRSIG labels for the wildcard proof / iteration limit), then the raw message (no
 * framing). qname is the message's question name; the records are its answer and authority
 * sections.
 */
#include "fuzz_util.h"
#include "verify/denial.h"
#include "verify/verify.h"

#include <stdlib.h>

static void order_checks(const ldns_rr_list *records, const ldns_rdf *qname)
{
    size_t n = ldns_rr_list_rr_count(records);
    if (n > 16)
        n = 16;
    for (size_t i = 0; i < n; i++) {
        const ldns_rdf *a = ldns_rr_owner(ldns_rr_list_rr(records, i));
        int ab = verify_dname_canonical_compare(a, qname);
        int ba = verify_dname_canonical_compare(qname, a);
        if ((ab < 0 && ba <= 0) || (ab > 0 && ba >= 0) || (ab == 0 && ba != 0))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_cursor_t c = {data, size};
    uint8_t kind = fuzz_u8(&c);
    uint16_t qtype = fuzz_u16(&c);
    uint8_t strip = fuzz_u8(&c);
    uint8_t labels_or_limit = fuzz_u8(&c);

    ldns_pkt *pkt = NULL;
    if (c.left == 0 || io_parse_answer(c.p, c.left, &pkt) != IO_OK)
        return 0;
    ldns_rr_list *records = ldns_rr_list_new();
    ldns_rdf *zone = NULL;
    const ldns_rdf *qname = fuzz_qname(pkt);
    if (!records || !qname)
        goto done;
    const ldns_rr_list *sections[] = {ldns_pkt_answer(pkt), ldns_pkt_authority(pkt)};
    for (size_t s = 0; s < 2; s++)
        for (size_t i = 0; i < ldns_rr_list_rr_count(sections[s]); i++)
            ldns_rr_list_push_rr(records, ldns_rr_list_rr(sections[s], i)); /* borrowed */

    /* The zone: qname with some leading labels removed (the root when all are). */
    uint8_t nlabels = ldns_dname_label_count(qname);
    zone = ldns_rdf_clone(qname);
    for (unsigned k = strip % (nlabels + 1u); zone && k > 0; k--) {
        ldns_rdf *up = ldns_dname_left_chop(zone);
        ldns_rdf_deep_free(zone);
        zone = up;
    }
    if (!zone)
        goto done;

    verify_denial_query_t q = {
        .zone = zone,
        .qname = qname,
        .qtype = qtype,
        .kind = (verify_denial_kind_t)(kind % 3),
        .records = records,
        /* Small limits test the iteration check; the default is the common case. */
        .max_iterations = (kind & 0x80) ? labels_or_limit : VERIFY_NSEC3_MAX_ITERATIONS_DEFAULT,
    };
    char detail[256];
    verify_denial_result_t r = verify_denial_check(&q, detail, sizeof detail);
    (void)verify_denial_result_name(r);
    r = verify_denial_check_wildcard(&q, labels_or_limit, detail, sizeof detail);
    (void)verify_denial_result_name(r);
    /* A tiny detail buffer must be truncated safely too. */
    (void)verify_denial_check(&q, detail, (size_t)(kind & 7));

    verify_nsec3_params_t params;
    if (verify_nsec3_params_get(records, &params) > 0) {
        uint8_t hash[VERIFY_NSEC3_HASH_LEN];
        (void)verify_nsec3_hash(qname, params.algorithm, params.iterations % 64, params.salt,
                                params.salt_len, hash);
    }
    order_checks(records, qname);
done:
    ldns_rdf_deep_free(zone);
    ldns_rr_list_free(records);
    ldns_pkt_free(pkt);
    return 0;
}
