/* Contexts, verdicts and borrowed packet views shared by the zone judgement. */
#include "verify/sig_internal.h"
#include "text/text.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void verify_thresholds_default(verify_thresholds_t *t)
{
    t->expiry_warning_seconds = 3 * 24 * 3600;
    t->nsec3_max_iterations = 150;
    t->rsa_warn_bits = 2048;
    t->rsa_min_bits = 1024;
    /*
     * Work limits. Per RRset, verdicts.md's figures, which are what resolvers shipped after
     * KeyTrap: Unbound 1.19.1 tries at most 8 RRSIGs per RRset (MAX_VALIDATE_RRSIGS,
     * MAX_VALIDATE_AT_ONCE) and gives up after 4 failed DS matches (MAX_DS_MATCH_FAILURES);
     * BIND 9.18.24 allows 16 validations and 1 failure per fetch
     * (max-validations-per-fetch / max-validation-failures-per-fetch).
     * Per server: a normal signed zone costs about 10 operations on one server (the DNSKEY
     * RRset by its KSK plus one or two DS digests, SOA, A, a CAA or its NODATA proof, two or
     * three NSEC/NSEC3 RRsets of the NXDOMAIN probe, CDS/CDNSKEY), 20 for a zone signed with
     * two algorithms during a rollover; 64 leaves three times that while bounding a hostile
     * server below what BIND would spend on four of its fetches.
     * Per domain: up to 16 server addresses x ~10 = 160 for a normal domain (memo hits are
     * free); 512 is three times that and, at ~70 us per P-256 verify on EVP (bench_evp:
     * 14,500/s per core), caps a KeyTrap domain at ~36 ms of CPU, under the 50 ms target.
     * NSEC3: a proof hashes at most ~8 names (Unbound's MAX_NSEC3_CALCULATIONS is 8 per
     * message) of iterations + 1 SHA-1 rounds each. 25,000 rounds per server let a zone at
     * RFC 5155's old ceiling of 2,500 iterations still have its coverage checked on one server
     * (8 x 2,501); 100,000 per domain (~30 ms of SHA-1) bounds CVE-2023-50868-style zones
     * (65,535 iterations) while a zone at <= 150 iterations needs under 20,000 for 16 servers.
     */
    t->max_keys_per_rrsig = 4;
    t->max_rrsigs_per_rrset = 8;
    t->max_ops_per_server = 64;
    t->max_ops_per_domain = 512;
    t->max_hashes_per_server = 25000;
    t->max_hashes_per_domain = 100000;
}

int verify_ctx_new(const verify_thresholds_t *t, verify_ctx_t **out)
{
    verify_ctx_t *ctx = calloc(1, sizeof *ctx);
    *out = NULL;
    if (!ctx)
        return VERIFY_ENOMEM;
    if (t)
        ctx->t = *t;
    else
        verify_thresholds_default(&ctx->t);
    *out = ctx;
    return 0;
}

void verify_ctx_free(verify_ctx_t *ctx)
{
    free(ctx);
}

const verify_thresholds_t *verify_ctx_thresholds(const verify_ctx_t *ctx)
{
    return &ctx->t;
}

int verify_verdict_add(verify_verdict_t *v, verify_reason_code_t code, const char *rrset,
                       const char *fmt, ...)
{
    assert((unsigned)code < VERIFY_REASON_COUNT); /* callers pass the code table's constants */
    verify_reason_t *grown = realloc(v->reasons, (v->n_reasons + 1) * sizeof *grown);
    if (!grown)
        return VERIFY_ENOMEM;
    v->reasons = grown;
    verify_reason_t *r = &grown[v->n_reasons++];
    r->code = code;
    snprintf(r->rrset, sizeof r->rrset, "%s", rrset ? rrset : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->detail, sizeof r->detail, fmt, ap);
    va_end(ap);
    return 0;
}

bool verify_verdict_has_error(const verify_verdict_t *v)
{
    for (size_t i = 0; i < v->n_reasons; i++)
        if (verify_reason_severity(v->reasons[i].code) == VERIFY_SEVERITY_ERROR)
            return true;
    return false;
}

bool verify_verdict_has(const verify_verdict_t *v, verify_reason_code_t code)
{
    for (size_t i = 0; v && i < v->n_reasons; i++)
        if (v->reasons[i].code == code)
            return true;
    return false;
}

bool verify_verdict_same_keys(const verify_verdict_t *a, const verify_verdict_t *b)
{
    if (a->n_keys != b->n_keys)
        return false;
    for (size_t i = 0; i < a->n_keys; i++) {
        bool found = false;
        for (size_t k = 0; k < b->n_keys && !found; k++)
            found = a->keys[i].key_tag == b->keys[k].key_tag &&
                    a->keys[i].algorithm == b->keys[k].algorithm;
        if (!found)
            return false;
    }
    return true;
}

void verify_verdict_free(verify_verdict_t *v)
{
    if (!v)
        return;
    free(v->reasons);
    text_free_all(v->ds_records, v->n_ds_records);
    verify_keyset_free(v->keyset);
    free(v->keys);
    free(v->cds);
    free(v);
}

static ldns_rr_list *section(const ldns_pkt *p, ldns_pkt_section sec)
{
    switch (sec) {
    case LDNS_SECTION_ANSWER:
        return ldns_pkt_answer(p);
    case LDNS_SECTION_AUTHORITY:
        return ldns_pkt_authority(p);
    case LDNS_SECTION_ADDITIONAL:
        return ldns_pkt_additional(p);
    default:
        return NULL;
    }
}

ldns_rr *verify_pkt_next_denial(const ldns_pkt *p, size_t *i)
{
    const ldns_rr_list *auth = ldns_pkt_authority(p);
    while (auth && *i < verify_rr_count(auth)) {
        ldns_rr *rr = verify_rr_at(auth, (*i)++);
        ldns_rr_type t = verify_rr_type(rr);
        if (t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3)
            return rr;
    }
    return NULL;
}

int verify_pkt_rrset(const ldns_pkt *p, ldns_pkt_section sec, const ldns_rdf *owner,
                     ldns_rr_type type, ldns_rr_list **rrs, ldns_rr_list **sigs)
{
    *rrs = ldns_rr_list_new();
    *sigs = ldns_rr_list_new();
    if (!*rrs || !*sigs)
        goto nomem;
    const ldns_rr_list *l = p ? section(p, sec) : NULL;
    size_t count = l ? verify_rr_count(l) : 0;
    for (size_t i = 0; i < count; i++) {
        ldns_rr *rr = verify_rr_at(l, i);
        if (!verify_sig_name_equal(verify_rr_owner(rr), owner))
            continue;
        ldns_rr_type t = verify_rr_type(rr);
        bool match = t == type;
        if (t == LDNS_RR_TYPE_RRSIG && verify_rr_fields(rr) > 0 && verify_rr_field(rr, 0) &&
            ldns_rdf2native_int16(verify_rr_field(rr, 0)) == (uint16_t)type)
            match = true;
        if (match && !ldns_rr_list_push_rr(t == type ? *rrs : *sigs, rr))
            goto nomem;
    }
    return 0;
nomem:
    ldns_rr_list_free(*rrs);
    ldns_rr_list_free(*sigs);
    *rrs = *sigs = NULL;
    return VERIFY_ENOMEM;
}

bool verify_pkt_has_rrsig(const ldns_pkt *p)
{
    if (!p)
        return false;
    const ldns_rr_list *secs[2] = {ldns_pkt_answer(p), ldns_pkt_authority(p)};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; secs[s] && i < verify_rr_count(secs[s]); i++)
            if (verify_rr_type(verify_rr_at(secs[s], i)) == LDNS_RR_TYPE_RRSIG)
                return true;
    return false;
}
