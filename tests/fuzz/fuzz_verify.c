/*
 * Verifier harness: one authoritative server's answers for a zone, built from fuzz input, given
 * to verify_zone(), verify_trust_anchor(), verify_rrset() and verify_negative() at a fixed
 * "now". Nothing here may crash, leak or hang, whatever the keys, signatures and proofs hold.
 *
 * Input: one byte (parent state in the low 2 bits), then frames (see fuzz_util.h) holding wire
 * messages in this order: parent DS answer (its answer section's DS RRs are the parent DS set),
 * DNSKEY, SOA, A, CAA, CDS, CDNSKEY, NXDOMAIN probe. The zone is the DNSKEY answer's question
 * name (the root when there is none). Missing frames are NULL answers.
 */
#include "fuzz_util.h"
#include "verify/verify.h"

/* The time the seed corpus was captured (the lab's LAB_NOW): seeds are signed around it. */
#define FUZZ_NOW INT64_C(1795537079)

enum { P_DS, P_DNSKEY, P_SOA, P_A, P_CAA, P_CDS, P_CDNSKEY, P_PROBE, P_COUNT };

static ldns_rr_list *section_of_type(const ldns_pkt *pkt, ldns_rr_type type)
{
    ldns_rr_list *out = ldns_rr_list_new();
    const ldns_rr_list *ans = pkt ? ldns_pkt_answer(pkt) : NULL;
    for (size_t i = 0; out && ans && i < ldns_rr_list_rr_count(ans); i++)
        if (ldns_rr_get_type(ldns_rr_list_rr(ans, i)) == type)
            ldns_rr_list_push_rr(out, ldns_rr_list_rr(ans, i)); /* borrowed */
    return out;
}

static void keyset_checks(const verify_ctx_t *ctx, const ldns_rdf *zone, ldns_pkt *const *pkts)
{
    verify_keyset_t *ks = NULL;
    ldns_rr_list *keys = section_of_type(pkts[P_DNSKEY], LDNS_RR_TYPE_DNSKEY);
    ldns_rr_list *soa = section_of_type(pkts[P_SOA], LDNS_RR_TYPE_SOA);
    ldns_rr_list *sigs = section_of_type(pkts[P_SOA], LDNS_RR_TYPE_RRSIG);
    if (!keys || !soa || !sigs || verify_keyset_new(zone, keys, &ks) != 0)
        goto done;
    for (size_t i = 0; i < verify_keyset_count(ks); i++)
        (void)verify_keyset_key(ks, i);
    verify_sig_result_t res;
    if (ldns_rr_list_rr_count(soa) > 0)
        (void)verify_rrset(ks, soa, sigs, FUZZ_NOW, &res);
    for (size_t i = 0; i < ldns_rr_list_rr_count(sigs) && ldns_rr_list_rr_count(soa) > 0; i++)
        (void)verify_rrsig(ks, soa, ldns_rr_list_rr(sigs, i), FUZZ_NOW, &res);
    const ldns_rdf *probe_name = fuzz_qname(pkts[P_PROBE]);
    if (pkts[P_PROBE] && probe_name) {
        verify_negative_result_t neg;
        (void)verify_negative(ctx, ks, pkts[P_PROBE], probe_name, LDNS_RR_TYPE_A, false, FUZZ_NOW,
                              &neg);
        (void)verify_negative(ctx, ks, pkts[P_PROBE], probe_name, LDNS_RR_TYPE_DS, true, FUZZ_NOW,
                              &neg);
    }
done:
    verify_keyset_free(ks);
    ldns_rr_list_free(keys);
    ldns_rr_list_free(soa);
    ldns_rr_list_free(sigs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_cursor_t c = {data, size};
    verify_parent_state_t parent = (verify_parent_state_t)(fuzz_u8(&c) & 3);
    ldns_pkt *pkts[P_COUNT] = {0};
    for (int i = 0; i < P_COUNT; i++)
        pkts[i] = fuzz_next_pkt(&c);

    verify_ctx_t *ctx = NULL;
    ldns_rdf *root = ldns_dname_new_frm_str(".");
    ldns_rr_list *ds = section_of_type(pkts[P_DS], LDNS_RR_TYPE_DS);
    if (!root || !ds || verify_ctx_new(NULL, &ctx) != 0)
        goto done;
    const ldns_rdf *zone = fuzz_qname(pkts[P_DNSKEY]);
    if (!zone)
        zone = root;

    verify_verdict_t *v = NULL;
    verify_zone_input_t in = {
        .zone = zone,
        .parent = parent,
        .parent_ds = ds,
        .dnskey = pkts[P_DNSKEY],
        .soa = pkts[P_SOA],
        .a = pkts[P_A],
        .caa = pkts[P_CAA],
        .cds = pkts[P_CDS],
        .cdnskey = pkts[P_CDNSKEY],
        .nxdomain_probe = pkts[P_PROBE],
        .now = FUZZ_NOW,
    };
    if (verify_zone(ctx, &in, &v) == 0) {
        for (size_t i = 0; i < v->n_reasons; i++)
            (void)verify_reason_name(v->reasons[i].code);
        verify_verdict_free(v);
    }
    if (ldns_rr_list_rr_count(ds) > 0 && pkts[P_DNSKEY] != NULL) {
        v = NULL;
        if (verify_trust_anchor(ctx, zone, ds, pkts[P_DNSKEY], FUZZ_NOW, &v) == 0)
            verify_verdict_free(v);
    }
    keyset_checks(ctx, zone, pkts);
done:
    verify_ctx_free(ctx);
    ldns_rr_list_free(ds);
    ldns_rdf_deep_free(root);
    for (int i = 0; i < P_COUNT; i++)
        ldns_pkt_free(pkts[i]);
    return 0;
}
