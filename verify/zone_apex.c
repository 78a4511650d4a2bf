/*
 * Apex checks once the DNSKEY RRset is trusted: SOA, A (or its NODATA proof), CAA (or its
 * proof; failures are CAA_BOGUS because CAs validate it), the NXDOMAIN probe, CDS/CDNSKEY.
 */
#include "verify/sig_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reports a signature failure, wrapped into `wrap` (CAA_BOGUS) when given. */
static int report(struct verify_zone_run *r, verify_reason_code_t code,
                  verify_sig_rrset_label_t *rrset, verify_reason_code_t wrap, bool wrapped,
                  const char *detail)
{
    if (code == VERIFY_REASON_RRSIG_MISSING && !r->saw_any_rrsig) {
        if (r->stripped_reported)
            return 0;
        r->stripped_reported = true;
        code = VERIFY_REASON_DNSSEC_STRIPPED;
    }
    /* The work limit is the zone's, not the CAA answer's: it is said as itself. */
    if (wrapped && code != VERIFY_REASON_VALIDATION_LIMIT)
        return verify_verdict_add(r->v, wrap, verify_sig_label_text(rrset), "%s: %s",
                                  verify_reason_name(code), detail);
    return verify_verdict_add(r->v, code, verify_sig_label_text(rrset), "%s", detail);
}

/* A positive answer expanded from a wildcard counts only with the proof that the exact name
 * does not exist (RFC 4035 5.3.4): verify its NSEC/NSEC3 records and the proof. */
static int check_wildcard_proof(struct verify_zone_run *r, const ldns_pkt *p, const ldns_rdf *owner,
                                uint8_t labels, verify_sig_rrset_label_t *rrset, bool wrap_caa)
{
    verify_negative_result_t neg;
    int rc =
        verify_sig_negative_wildcard(r->ctx, r->ks, p, owner, labels, r->in->now, &r->work, &neg);
    if (rc < 0)
        return rc;
    verify_zone_note_expiration(r, neg.earliest_expiration, 0, rrset);
    if (neg.proven || neg.insecure_iterations)
        return 0;
    char detail[400];
    snprintf(detail, sizeof detail,
             "answer expanded from a wildcard (RRSIG labels %u) without a valid proof that the "
             "name does not exist: %s",
             labels, neg.detail);
    return report(r, neg.reason, rrset, VERIFY_REASON_CAA_BOGUS, wrap_caa, detail);
}

/* A positive answer's RRset (owner/type) must verify. Returns 1 when the RRset was present. */
static int check_positive(struct verify_zone_run *r, const ldns_pkt *p, const ldns_rdf *owner,
                          ldns_rr_type type, bool wrap_caa)
{
    ldns_rr_list *rrs = NULL, *sigs = NULL;
    verify_sig_rrset_label_t rrset;
    int rc = verify_pkt_rrset(p, LDNS_SECTION_ANSWER, owner, type, &rrs, &sigs);
    if (rc < 0)
        return rc;
    if (ldns_rr_list_rr_count(rrs) == 0)
        goto done;
    verify_sig_label_init(&rrset, owner, (uint16_t)type);
    verify_sig_result_t res;
    rc = verify_sig_verify_rrset_work(r->ks, NULL, rrs, sigs, r->in->now, &r->work, &res);
    if (rc < 0)
        goto done;
    if (res.outcome == VERIFY_SIG_VALID) {
        verify_zone_note_valid(r, &res, &rrset);
        verify_zone_check_algorithms(r, sigs, &rrset);
        if (res.labels < verify_sig_rrsig_label_count(owner))
            rc = check_wildcard_proof(r, p, owner, res.labels, &rrset, wrap_caa);
    } else if (res.outcome == VERIFY_SIG_UNSUPPORTED) {
        rc = report(r, VERIFY_REASON_RRSIG_MISSING, &rrset, VERIFY_REASON_CAA_BOGUS, wrap_caa,
                    "only RRSIGs of unsupported algorithms");
    } else {
        rc = report(r, res.reason, &rrset, VERIFY_REASON_CAA_BOGUS, wrap_caa, res.detail);
    }
    if (rc >= 0)
        rc = 1;
done:
    ldns_rr_list_free(rrs);
    ldns_rr_list_free(sigs);
    return rc;
}

/*
 * An answer the judgement needs but cannot use: none after the scanner's retries, an error
 * rcode, or NXDOMAIN for a name that exists. Never a skipped check (verdicts.md: what secure
 * requires). Returns 1 when p is such an answer (and the reason was added), 0 when p is usable.
 */
static int unusable_answer(struct verify_zone_run *r, const ldns_pkt *p, const ldns_rdf *qname,
                           uint16_t qtype, bool nxdomain_ok, bool wrap_caa)
{
    verify_sig_rrset_label_t rrset;
    char detail[300];
    verify_sig_label_init(&rrset, qname, qtype);
    if (!p) {
        /* The server's trouble, not a validation failure: never wrapped into CAA_BOGUS. */
        int rc = verify_verdict_add(
            r->v, VERIFY_REASON_NS_UNREACHABLE, verify_sig_label_text(&rrset),
            "no answer to %s after every retry over UDP and TCP", verify_sig_label_text(&rrset));
        return rc < 0 ? rc : 1;
    }
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(p);
    if (rcode == LDNS_RCODE_NOERROR || (rcode == LDNS_RCODE_NXDOMAIN && nxdomain_ok))
        return 0;
    int rc;
    if (rcode == LDNS_RCODE_NXDOMAIN) {
        /* The apex exists: no proof of the contrary can be valid. Without any NSEC/NSEC3 it is
         * a negative answer without proof, with them an invalid one. */
        bool records = false;
        const ldns_rr_list *auth = ldns_pkt_authority(p);
        for (size_t i = 0; auth && i < ldns_rr_list_rr_count(auth); i++) {
            ldns_rr_type t = ldns_rr_get_type(ldns_rr_list_rr(auth, i));
            records |= t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3;
        }
        snprintf(detail, sizeof detail, "NXDOMAIN for %s, the zone's own apex, %s",
                 verify_sig_label_text(&rrset),
                 records ? "with NSEC/NSEC3 records that cannot prove it"
                         : "without NSEC/NSEC3 records");
        rc = report(r, records ? VERIFY_REASON_DENIAL_INVALID : VERIFY_REASON_DENIAL_MISSING,
                    &rrset, VERIFY_REASON_CAA_BOGUS, wrap_caa, detail);
    } else {
        ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rcode);
        snprintf(detail, sizeof detail, "the %s answers %s to %s",
                 r->in->via_resolver ? "resolver (with CD set)" : "server",
                 lt ? lt->name : "an unknown rcode", verify_sig_label_text(&rrset));
        rc = report(r, r->in->via_resolver ? VERIFY_REASON_NS_UNREACHABLE : VERIFY_REASON_NS_LAME,
                    &rrset, VERIFY_REASON_CAA_BOGUS, wrap_caa, detail);
    }
    return rc < 0 ? rc : 1;
}

static void note_nsec3(struct verify_zone_run *r, const ldns_rr *rr,
                       verify_sig_rrset_label_t *rrset)
{
    verify_nsec3_summary_t *s = &r->v->nsec3;
    if (s->seen || ldns_rr_rd_count(rr) < 4 || !ldns_rr_rdf(rr, 0) || !ldns_rr_rdf(rr, 1) ||
        !ldns_rr_rdf(rr, 2) || !ldns_rr_rdf(rr, 3))
        return;
    s->seen = true;
    s->hash_algorithm = ldns_rdf2native_int8(ldns_rr_rdf(rr, 0));
    s->flags = ldns_rdf2native_int8(ldns_rr_rdf(rr, 1));
    s->iterations = ldns_rdf2native_int16(ldns_rr_rdf(rr, 2));
    const ldns_rdf *salt = ldns_rr_rdf(rr, 3);
    const uint8_t *sd = ldns_rdf_data(salt);
    if (ldns_rdf_size(salt) >= 1 && (size_t)sd[0] + 1 <= ldns_rdf_size(salt)) {
        s->salt_len = sd[0];
        memcpy(s->salt, sd + 1, s->salt_len);
    }
    if (s->iterations > 0)
        verify_verdict_add(r->v, VERIFY_REASON_NSEC3_ITERATIONS, verify_sig_label_text(rrset),
                           "NSEC3 uses %u additional iterations%s", s->iterations,
                           s->iterations > r->ctx->t.nsec3_max_iterations
                               ? "; above the limit resolvers treat answers as insecure"
                               : "");
    if (s->salt_len > 0)
        verify_verdict_add(r->v, VERIFY_REASON_NSEC3_SALT, verify_sig_label_text(rrset),
                           "NSEC3 uses a %u-byte salt", s->salt_len);
}

/* NSEC3 parameters and algorithm completeness of the denial records of p. */
static void note_denial_records(struct verify_zone_run *r, const ldns_pkt *p)
{
    ldns_rr *rr;
    for (size_t i = 0; (rr = verify_pkt_next_denial(p, &i));) {
        ldns_rr_type t = ldns_rr_get_type(rr);
        verify_sig_rrset_label_t rrset;
        verify_sig_label_init(&rrset, ldns_rr_owner(rr), (uint16_t)t);
        if (t == LDNS_RR_TYPE_NSEC3)
            note_nsec3(r, rr, &rrset);
        ldns_rr_list *rrs = NULL, *sigs = NULL;
        if (verify_pkt_rrset(p, LDNS_SECTION_AUTHORITY, ldns_rr_owner(rr), t, &rrs, &sigs) == 0 &&
            ldns_rr_list_rr_count(sigs) > 0)
            verify_zone_check_algorithms(r, sigs, &rrset);
        ldns_rr_list_free(rrs);
        ldns_rr_list_free(sigs);
    }
}

/* A negative answer (NODATA or NXDOMAIN) must carry a signed, covering NSEC/NSEC3 proof. */
static int check_denial(struct verify_zone_run *r, const ldns_pkt *p, const ldns_rdf *qname,
                        uint16_t qtype, bool wrap_caa)
{
    verify_sig_rrset_label_t rrset;
    verify_negative_result_t res;
    verify_sig_label_init(&rrset, qname, qtype);
    int rc =
        verify_sig_negative_work(r->ctx, r->ks, p, qname, qtype, false, r->in->now, &r->work, &res);
    if (rc < 0)
        return rc;
    note_denial_records(r, p);
    verify_zone_note_expiration(r, res.earliest_expiration, 0, &rrset);
    /* Above the NSEC3 iteration limit the answer is insecure, not bogus: a warning (said by
     * note_denial_records()), as resolvers answer it without AD. */
    if (res.proven || res.insecure_iterations)
        return 0;
    rc = report(r, res.reason, &rrset, VERIFY_REASON_CAA_BOGUS, wrap_caa, res.detail);
    return rc < 0 ? rc : 0;
}

/* Positive answer, or NODATA with its proof, for the apex. */
static int check_answer(struct verify_zone_run *r, const ldns_pkt *p, ldns_rr_type type, bool wrap)
{
    int rc = unusable_answer(r, p, r->in->zone, (uint16_t)type, false, wrap);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    rc = check_positive(r, p, r->in->zone, type, wrap);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    return check_denial(r, p, r->in->zone, (uint16_t)type, wrap);
}

/* The random-label probe: a proof that the name does not exist, or a wildcard answer with its
 * proof (check_positive() asks for it), or a wildcard NODATA proof. */
static int check_probe(struct verify_zone_run *r)
{
    const ldns_pkt *p = r->in->nxdomain_probe;
    const ldns_rr *q = p && ldns_pkt_question(p) && ldns_rr_list_rr_count(ldns_pkt_question(p))
                           ? ldns_rr_list_rr(ldns_pkt_question(p), 0)
                           : NULL;
    if (!q) {
        /* Without its question the probe name is unknown: name the zone instead. */
        int rc = unusable_answer(r, NULL, r->in->zone, LDNS_RR_TYPE_A, true, false);
        return rc < 0 ? rc : 0;
    }
    const ldns_rdf *qname = ldns_rr_owner(q);
    uint16_t qtype = (uint16_t)ldns_rr_get_type(q);
    int rc = unusable_answer(r, p, qname, qtype, true, false);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    if (ldns_pkt_get_rcode(p) == LDNS_RCODE_NXDOMAIN)
        return check_denial(r, p, qname, qtype, false);
    rc = check_positive(r, p, qname, (ldns_rr_type)qtype, false); /* a wildcard answer */
    if (rc == 0) /* or a wildcard CNAME: its target is another name's business */
        rc = check_positive(r, p, qname, LDNS_RR_TYPE_CNAME, false);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    return check_denial(r, p, qname, qtype, false);
}

int verify_zone_check_apex(struct verify_zone_run *r)
{
    int rc = check_answer(r, r->in->soa, LDNS_RR_TYPE_SOA, false);
    if (rc < 0 || r->in->apex_only)
        return rc < 0 ? rc : 0;
    r->others_judged = true;
    r->apex_error = verify_verdict_has_error(r->v);
    rc = check_answer(r, r->in->a, LDNS_RR_TYPE_A, false);
    if (rc >= 0)
        rc = check_answer(r, r->in->caa, LDNS_RR_TYPE_CAA, true);
    if (rc >= 0)
        rc = check_probe(r);
    if (rc >= 0)
        rc = verify_zone_check_cds(r);
    return rc < 0 ? rc : 0;
}
