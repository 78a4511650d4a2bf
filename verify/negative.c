/*
 * Negative answers: every NSEC/NSEC3 RRset of the authority section must verify with the
 * zone's keys; the records then go to verify_denial_check() (the denial module) for the proof.
 */
#include "verify/sig_internal.h"

#include <stdio.h>
#include <string.h>

/* Verifies each NSEC/NSEC3 RRset once; collects the records into recs. */
static int verify_records(const verify_keyset_t *keys, const ldns_pkt *p, int64_t now,
                          verify_sig_work_t *w, ldns_rr_list *recs, verify_negative_result_t *res,
                          bool *bad)
{
    ldns_rr *rr;
    for (size_t i = 0; (rr = verify_pkt_next_denial(p, &i));) {
        ldns_rr_type t = ldns_rr_get_type(rr);
        bool seen = false;
        for (size_t j = 0; j < ldns_rr_list_rr_count(recs); j++) {
            const ldns_rr *o = ldns_rr_list_rr(recs, j);
            seen |= ldns_rr_get_type(o) == t &&
                    verify_sig_name_equal(ldns_rr_owner(o), ldns_rr_owner(rr));
        }
        if (!ldns_rr_list_push_rr(recs, rr))
            return VERIFY_ENOMEM;
        if (seen || *bad)
            continue;
        ldns_rr_list *rrs = NULL, *sigs = NULL;
        int rc = verify_pkt_rrset(p, LDNS_SECTION_AUTHORITY, ldns_rr_owner(rr), t, &rrs, &sigs);
        if (rc < 0)
            return rc;
        verify_sig_result_t one;
        rc = verify_sig_verify_rrset_work(keys, NULL, rrs, sigs, now, w, &one);
        if (rc == 0 && one.outcome == VERIFY_SIG_VALID) {
            if (res->earliest_expiration == 0 || one.expiration < res->earliest_expiration)
                res->earliest_expiration = one.expiration;
        } else if (rc == 0) {
            char rrset[200];
            *bad = true;
            if (one.reason == VERIFY_REASON_VALIDATION_LIMIT)
                res->reason = VERIFY_REASON_VALIDATION_LIMIT;
            verify_sig_rrset_name(ldns_rr_owner(rr), (uint16_t)t, rrset, sizeof rrset);
            snprintf(res->detail, sizeof res->detail, "%.100s: %.190s", rrset, one.detail);
        }
        ldns_rr_list_free(rrs);
        ldns_rr_list_free(sigs);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* wildcard_labels < 0: the negative answer p proves kind; otherwise p is a positive answer
 * expanded from the wildcard "*." + the last wildcard_labels labels of qname, and its
 * authority section must prove that qname itself does not exist (RFC 4035 5.3.4). */
static int judge_negative(const verify_ctx_t *ctx, const verify_keyset_t *keys, const ldns_pkt *p,
                          const ldns_rdf *qname, uint16_t qtype, verify_denial_kind_t kind,
                          int wildcard_labels, int64_t now, verify_sig_work_t *w,
                          verify_negative_result_t *res)
{
    bool bad = false;
    memset(res, 0, sizeof *res);
    if (!ctx || !keys || !p || !qname || !w)
        return VERIFY_EINVAL;
    ldns_rr_list *recs = ldns_rr_list_new();
    if (!recs)
        return VERIFY_ENOMEM;
    int rc = verify_records(keys, p, now, w, recs, res, &bad);
    if (rc < 0)
        goto done;
    if (ldns_rr_list_rr_count(recs) == 0) {
        res->reason = VERIFY_REASON_DENIAL_MISSING;
        snprintf(res->detail, sizeof res->detail, "%s without NSEC/NSEC3 records",
                 wildcard_labels >= 0             ? "a wildcard answer (the name does not exist)"
                 : kind == VERIFY_DENIAL_NXDOMAIN ? "NXDOMAIN"
                 : kind == VERIFY_DENIAL_NO_DS    ? "a delegation without DS"
                                                  : "NODATA");
        goto done;
    }
    if (bad) {
        if (res->reason != VERIFY_REASON_VALIDATION_LIMIT)
            res->reason = VERIFY_REASON_DENIAL_INVALID;
        goto done;
    }
    verify_denial_query_t q = {
        .zone = verify_keyset_zone(keys),
        .qname = qname,
        .qtype = qtype,
        .kind = kind,
        .records = recs,
        .max_iterations = verify_ctx_thresholds(ctx)->nsec3_max_iterations,
        .budget = &w->server,
        .domain_budget = w->domain,
    };
    unsigned refused = verify_sig_work_refused(w);
    verify_denial_result_t proof =
        wildcard_labels >= 0 ? verify_denial_check_wildcard(&q, (uint8_t)wildcard_labels,
                                                            res->detail, sizeof res->detail)
                             : verify_denial_check(&q, res->detail, sizeof res->detail);
    switch (proof) {
    case VERIFY_DENIAL_PROVEN:
        res->proven = true;
        break;
    case VERIFY_DENIAL_OPTOUT: /* an unsigned delegation may exist: insecure, not bogus */
        res->proven = res->optout = true;
        break;
    case VERIFY_DENIAL_INSECURE_ITERATIONS: /* covering, yet unprovable: never a proof */
        res->insecure_iterations = true;
        break;
    case VERIFY_DENIAL_MISSING:
        res->reason = VERIFY_REASON_DENIAL_MISSING;
        break;
    case VERIFY_DENIAL_INVALID:
    default:
        /* The hashing budget ran out: the proof is unknown, and that is the work limit. */
        res->reason = verify_sig_work_refused(w) != refused ? VERIFY_REASON_VALIDATION_LIMIT
                                                            : VERIFY_REASON_DENIAL_INVALID;
        break;
    }
done:
    ldns_rr_list_free(recs);
    return rc;
}

static verify_denial_kind_t kind_of(const ldns_pkt *p, bool no_ds)
{
    return p && ldns_pkt_get_rcode(p) == LDNS_RCODE_NXDOMAIN ? VERIFY_DENIAL_NXDOMAIN
           : no_ds                                           ? VERIFY_DENIAL_NO_DS
                                                             : VERIFY_DENIAL_NODATA;
}

int verify_sig_negative_work(const verify_ctx_t *ctx, const verify_keyset_t *keys,
                             const ldns_pkt *p, const ldns_rdf *qname, uint16_t qtype, bool no_ds,
                             int64_t now, verify_sig_work_t *w, verify_negative_result_t *res)
{
    return judge_negative(ctx, keys, p, qname, qtype, kind_of(p, no_ds), -1, now, w, res);
}

int verify_sig_negative_wildcard(const verify_ctx_t *ctx, const verify_keyset_t *keys,
                                 const ldns_pkt *p, const ldns_rdf *qname, uint8_t rrsig_labels,
                                 int64_t now, verify_sig_work_t *w, verify_negative_result_t *res)
{
    return judge_negative(ctx, keys, p, qname, 0, VERIFY_DENIAL_NXDOMAIN, rrsig_labels, now, w,
                          res);
}

int verify_negative(const verify_ctx_t *ctx, const verify_keyset_t *keys, const ldns_pkt *p,
                    const ldns_rdf *qname, uint16_t qtype, bool no_ds, int64_t now,
                    verify_negative_result_t *res)
{
    verify_sig_work_t w;
    if (!ctx) {
        memset(res, 0, sizeof *res);
        return VERIFY_EINVAL;
    }
    verify_sig_work_init(&w, verify_ctx_thresholds(ctx), NULL);
    return verify_sig_negative_work(ctx, keys, p, qname, qtype, no_ds, now, &w, res);
}
