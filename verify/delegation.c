/*
 * The parent's side of a delegation: the child's DS RRset signed by the parent, or the
 * parent's signed proof that there is none. The one home of this rule: the scanner hands over
 * the referral and the parent's validated keys and takes the state and reason back.
 */
#include "text/text.h"
#include "verify/sig_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void say(verify_delegation_result_t *out, verify_reason_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(verify_delegation_result_t *out, verify_reason_code_t code, const char *fmt, ...)
{
    va_list ap;
    out->has_reason = true;
    out->reason = code;
    va_start(ap, fmt);
    vsnprintf(out->detail, sizeof out->detail, fmt, ap);
    va_end(ap);
}

static bool covers(const ldns_rr *sig, uint16_t type)
{
    return ldns_rr_get_type(sig) == LDNS_RR_TYPE_RRSIG && verify_sig_rr_complete(sig, 9) &&
           ldns_rdf2native_int16(ldns_rr_rdf(sig, 0)) == type;
}

/*
 * Looks at the signer names of the RRSIGs over the DS RRset (ds true) or over the NSEC/NSEC3
 * records: returns true when none is the parent but one is a zone strictly between the parent
 * and the child, whose name then goes to out->signer.
 */
static bool foreign_signer(const ldns_pkt *referral, const ldns_rdf *parent, const ldns_rdf *child,
                           bool ds, verify_delegation_result_t *out)
{
    const ldns_rr_list *auth = ldns_pkt_authority(referral);
    const ldns_rdf *between = NULL;
    for (size_t i = 0; auth && i < ldns_rr_list_rr_count(auth); i++) {
        const ldns_rr *sig = ldns_rr_list_rr(auth, i);
        bool relevant = ds ? covers(sig, LDNS_RR_TYPE_DS)
                           : covers(sig, LDNS_RR_TYPE_NSEC) || covers(sig, LDNS_RR_TYPE_NSEC3);
        if (!relevant)
            continue;
        const ldns_rdf *signer = ldns_rr_rdf(sig, 7);
        if (verify_sig_name_equal(signer, parent))
            return false; /* the parent signed: judge with its keys */
        if (!between && ldns_rdf_get_type(signer) == LDNS_RDF_TYPE_DNAME &&
            verify_sig_name_within(signer, parent) && verify_sig_name_within(child, signer) &&
            !verify_sig_name_equal(child, signer))
            between = signer;
    }
    if (!between || ldns_rdf_size(between) > sizeof out->signer)
        return false;
    out->cut_missed = true;
    out->signer_len = ldns_rdf_size(between);
    for (size_t i = 0; i < out->signer_len; i++) {
        uint8_t c = ldns_rdf_data(between)[i];
        out->signer[i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
    }
    return true;
}

/* The algorithms of the parent's usable zone keys, as text ("13" or "8 13"). */
static void parent_algorithms(const verify_keyset_t *keys, char *buf, size_t len)
{
    bool seen[256] = {false};
    text_buf_t t;
    text_init(&t, buf, len);
    for (size_t i = 0; i < keys->n && !t.cut; i++) {
        const struct verify_key *k = &keys->keys[i];
        /* Judged from the RDATA: importing every key of a hostile parent here would undo the
         * lazy import (a key of the right shape counts as usable). */
        if (!verify_algorithm_supported(k->algorithm) || !k->bits || seen[k->algorithm])
            continue;
        seen[k->algorithm] = true;
        text_printf(&t, "%s%u", t.len ? " " : "", k->algorithm);
    }
}

static int judge_ds(const verify_keyset_t *keys, const ldns_pkt *referral, const ldns_rdf *child,
                    ldns_rr_list *ds, int64_t now, verify_sig_work_t *w,
                    verify_delegation_result_t *out)
{
    ldns_rr_list *rrs = NULL, *sigs = NULL;
    int rc =
        verify_pkt_rrset(referral, LDNS_SECTION_AUTHORITY, child, LDNS_RR_TYPE_DS, &rrs, &sigs);
    ldns_rr_list_free(rrs);
    if (rc < 0)
        return rc;
    verify_sig_result_t res;
    rc = verify_sig_verify_rrset_work(keys, NULL, ds, sigs, now, w, &res);
    ldns_rr_list_free(sigs);
    if (rc < 0)
        return rc;
    char zone[VERIFY_NAME_TEXT_LEN];
    if (verify_name_text(ldns_rdf_data(keys->zone), ldns_rdf_size(keys->zone), zone, sizeof zone) <
        0)
        snprintf(zone, sizeof zone, "?");
    if (res.outcome == VERIFY_SIG_VALID) {
        out->state = VERIFY_PARENT_DS;
        out->ds = ds;
        return 0;
    }
    out->state = VERIFY_PARENT_BOGUS;
    if (res.outcome == VERIFY_SIG_UNSUPPORTED) {
        char algs[64];
        parent_algorithms(keys, algs, sizeof algs);
        say(out, VERIFY_REASON_RRSIG_UNKNOWN_KEY,
            "the DS RRset in %s carries only RRSIGs of algorithms this validator does not "
            "support (%s) while %s signs with algorithm %s: resolvers treat that as bogus, not "
            "as insecure (no downgrade)",
            zone, res.detail, zone, algs[0] ? algs : "?");
    } else {
        say(out, res.reason, "the parent zone %s: its signature over the DS RRset fails: %s", zone,
            res.detail);
    }
    ldns_rr_list_free(ds);
    return 0;
}

static int judge_no_ds(const verify_ctx_t *ctx, const verify_keyset_t *keys,
                       const ldns_pkt *referral, const ldns_rdf *child, int64_t now,
                       verify_sig_work_t *w, verify_delegation_result_t *out)
{
    verify_negative_result_t neg;
    int rc =
        verify_sig_negative_work(ctx, keys, referral, child, LDNS_RR_TYPE_DS, true, now, w, &neg);
    if (rc < 0)
        return rc;
    if (neg.insecure_iterations) {
        /* RFC 9276 3.2: above the limit the proof cannot be trusted, so resolvers treat the
         * delegation as insecure; the records still had to cover the name. */
        out->state = VERIFY_PARENT_NO_DS;
        say(out, VERIFY_REASON_NSEC3_ITERATIONS,
            "the parent's NSEC3 records use more than %u iterations: resolvers treat the "
            "delegation as insecure (%s)",
            verify_ctx_thresholds(ctx)->nsec3_max_iterations, neg.detail);
        return 0;
    }
    if (neg.proven) {
        out->state = VERIFY_PARENT_NO_DS;
        return 0;
    }
    out->state = VERIFY_PARENT_BOGUS;
    if (neg.reason == VERIFY_REASON_VALIDATION_LIMIT)
        say(out, VERIFY_REASON_VALIDATION_LIMIT, "the parent's proof of no DS: %s", neg.detail);
    else if (ldns_pkt_get_rcode(referral) == LDNS_RCODE_NXDOMAIN)
        say(out, VERIFY_REASON_PARENT_DS_DENIAL_INVALID,
            "the parent answers NXDOMAIN without a valid proof: %s: %s",
            verify_reason_name(neg.reason), neg.detail);
    else
        say(out, VERIFY_REASON_PARENT_DS_DENIAL_INVALID,
            "the referral has neither a DS RRset nor a valid proof of no DS: %s: %s",
            verify_reason_name(neg.reason), neg.detail);
    return 0;
}

int verify_delegation(const verify_ctx_t *ctx, const verify_keyset_t *parent_keys,
                      const ldns_pkt *referral, const ldns_rdf *child, int64_t now,
                      verify_budget_t *domain_budget, verify_delegation_result_t *out)
{
    if (!out)
        return VERIFY_EINVAL;
    memset(out, 0, sizeof *out);
    out->state = VERIFY_PARENT_BOGUS;
    if (!ctx || !parent_keys || !referral || !child ||
        ldns_rdf_get_type(child) != LDNS_RDF_TYPE_DNAME)
        return VERIFY_EINVAL;
    verify_sig_rrset_name(child, LDNS_RR_TYPE_DS, out->rrset, sizeof out->rrset);
    ldns_rr_list *ds = NULL, *sigs = NULL;
    int rc = verify_pkt_rrset(referral, LDNS_SECTION_AUTHORITY, child, LDNS_RR_TYPE_DS, &ds, &sigs);
    ldns_rr_list_free(sigs);
    if (rc < 0)
        return rc;
    bool have_ds = ldns_rr_list_rr_count(ds) > 0;
    if (foreign_signer(referral, parent_keys->zone, child, have_ds, out)) {
        ldns_rr_list_free(ds);
        return 0;
    }
    verify_sig_work_t w;
    verify_sig_work_init(&w, &ctx->t, domain_budget);
    if (have_ds)
        return judge_ds(parent_keys, referral, child, ds, now, &w, out);
    ldns_rr_list_free(ds);
    return judge_no_ds(ctx, parent_keys, referral, child, now, &w, out);
}
