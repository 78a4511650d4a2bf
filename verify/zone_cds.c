/*
 * CDS / CDNSKEY (RFC 7344, RFC 8078): signed by a key of the DS set, consistent with the
 * served keys and with each other, and whether the parent's DS differs (a pending rollover).
 */
#include "verify/sig_internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_delete(const ldns_rr *rr)
{
    if (!sig_rr_complete(rr, 4))
        return false;
    /* CDS 0 0 0 00 and CDNSKEY 0 3 0 AA==: algorithm 0 in both. */
    int alg_field = ldns_rr_get_type(rr) == LDNS_RR_TYPE_CDS ? 1 : 2;
    return ldns_rdf2native_int8(ldns_rr_rdf(rr, (size_t)alg_field)) == 0;
}

static bool rdata_equal(const ldns_rr *a, const ldns_rr *b)
{
    uint8_t x[4096], y[4096];
    long lx = sig_rdata_copy(a, x, sizeof x), ly = sig_rdata_copy(b, y, sizeof y);
    return lx >= 0 && lx == ly && memcmp(x, y, (size_t)lx) == 0;
}

static int add_summaries(verify_verdict_t *v, const ldns_rr_list *l)
{
    size_t n = ldns_rr_list_rr_count(l);
    if (n == 0)
        return 0;
    verify_cds_summary_t *grown = realloc(v->cds, (v->n_cds + n) * sizeof *grown);
    if (!grown)
        return VERIFY_ENOMEM;
    v->cds = grown;
    for (size_t i = 0; i < n; i++) {
        const ldns_rr *rr = ldns_rr_list_rr(l, i);
        verify_cds_summary_t *s = &v->cds[v->n_cds++];
        memset(s, 0, sizeof *s);
        s->rrtype = (uint16_t)ldns_rr_get_type(rr);
        s->is_delete = is_delete(rr);
        if (!sig_rr_complete(rr, 4))
            continue;
        if (s->rrtype == LDNS_RR_TYPE_CDS) {
            s->key_tag = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
            s->algorithm = ldns_rdf2native_int8(ldns_rr_rdf(rr, 1));
            s->digest_type = ldns_rdf2native_int8(ldns_rr_rdf(rr, 2));
        } else {
            s->key_tag = verify_key_tag(rr);
            s->algorithm = ldns_rdf2native_int8(ldns_rr_rdf(rr, 2));
        }
    }
    return 0;
}

/* RFC 7344 §4.1: signed by a key that is in both the DNSKEY and the DS RRset. */
static int check_signature(struct zone_run *r, const ldns_rr_list *rrs, const ldns_rr_list *sigs,
                           sig_rrset_label_t *rrset, bool *invalid)
{
    verify_sig_result_t res;
    int rc = sig_verify_rrset_with(r->ks, r->ds_matched, rrs, sigs, r->in->now, &res);
    if (rc < 0 || res.outcome == VERIFY_SIG_VALID) {
        if (rc == 0)
            zone_note_valid(r, &res, rrset);
        return rc;
    }
    *invalid = true;
    rc = verify_rrset(r->ks, rrs, sigs, r->in->now, &res);
    if (rc < 0)
        return rc;
    if (res.outcome == VERIFY_SIG_VALID)
        return verdict_add(r->v, VERIFY_REASON_CDS_INVALID, sig_label_text(rrset),
                           "signed only by DNSKEY %u, which no parent DS matches", res.key_tag);
    return verdict_add(r->v, VERIFY_REASON_CDS_INVALID, sig_label_text(rrset), "%s: %s",
                       verify_reason_name(res.reason), res.detail);
}

static int check_set(struct zone_run *r, const ldns_rr_list *rrs, const ldns_rr_list *sigs,
                     ldns_rr_type type, bool *pending, bool *deleting)
{
    sig_rrset_label_t rrset;
    bool invalid = false;
    size_t n = ldns_rr_list_rr_count(rrs), n_delete = 0;
    const ldns_rr_list *ds = r->in->parent_ds;
    size_t n_ds = ds ? ldns_rr_list_rr_count(ds) : 0;
    sig_label_init(&rrset, r->in->zone, (uint16_t)type);
    int rc = check_signature(r, rrs, sigs, &rrset, &invalid);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        const ldns_rr *c = ldns_rr_list_rr(rrs, i);
        if (is_delete(c)) {
            n_delete++;
            continue;
        }
        bool served = false, at_parent = false;
        for (size_t k = 0; k < r->ks->n; k++)
            served |= type == LDNS_RR_TYPE_CDS
                          ? verify_ds_match(c, r->ks->keys[k].rr) == VERIFY_DS_MATCH
                          : rdata_equal(c, r->ks->keys[k].rr);
        for (size_t d = 0; d < n_ds; d++) {
            const ldns_rr *a = ldns_rr_list_rr(ds, d);
            if (ldns_rr_get_type(a) != LDNS_RR_TYPE_DS)
                continue;
            at_parent |= type == LDNS_RR_TYPE_CDS ? rdata_equal(c, a)
                                                  : verify_ds_match(a, c) == VERIFY_DS_MATCH;
        }
        /* A CDS may arrive with no RDATA at all: its tag is then 0 (like verify_key_tag). */
        uint16_t tag = type != LDNS_RR_TYPE_CDS ? verify_key_tag(c)
                       : sig_rr_complete(c, 4)  ? ldns_rdf2native_int16(ldns_rr_rdf(c, 0))
                                                : 0;
        if (!served)
            rc = verdict_add(r->v, VERIFY_REASON_CDS_INVALID, sig_label_text(&rrset),
                             "%s %u matches no served DNSKEY",
                             type == LDNS_RR_TYPE_CDS ? "CDS" : "CDNSKEY", tag);
        if (!at_parent)
            *pending = true;
    }
    if (rc < 0)
        return rc;
    if (n_delete && n_delete < n)
        return verdict_add(r->v, VERIFY_REASON_CDS_INVALID, sig_label_text(&rrset),
                           "a delete record mixed with %zu other records", n - n_delete);
    if (n_delete) {
        *deleting = true;
        return 0;
    }
    /* Every parent DS must still be asked for, or the parent would change. */
    for (size_t d = 0; d < n_ds; d++) {
        const ldns_rr *a = ldns_rr_list_rr(ds, d);
        bool asked = false;
        for (size_t i = 0; i < n; i++)
            asked |= type == LDNS_RR_TYPE_CDS
                         ? rdata_equal(ldns_rr_list_rr(rrs, i), a)
                         : verify_ds_match(a, ldns_rr_list_rr(rrs, i)) == VERIFY_DS_MATCH;
        if (!asked)
            *pending = true;
    }
    return 0;
}

/* RFC 7344 §4: when both are published they must describe the same keys. */
static int check_agreement(struct zone_run *r, const ldns_rr_list *cds, const ldns_rr_list *cdk)
{
    size_t nc = ldns_rr_list_rr_count(cds), nk = ldns_rr_list_rr_count(cdk);
    bool ok = true;
    for (size_t i = 0; i < nc && ok; i++) {
        const ldns_rr *c = ldns_rr_list_rr(cds, i);
        bool found = false;
        for (size_t j = 0; j < nk; j++) {
            const ldns_rr *k = ldns_rr_list_rr(cdk, j);
            found |= is_delete(c) ? is_delete(k) : verify_ds_match(c, k) == VERIFY_DS_MATCH;
        }
        ok = found;
    }
    for (size_t j = 0; j < nk && ok; j++) {
        const ldns_rr *k = ldns_rr_list_rr(cdk, j);
        bool found = false;
        for (size_t i = 0; i < nc; i++) {
            const ldns_rr *c = ldns_rr_list_rr(cds, i);
            found |= is_delete(k) ? is_delete(c) : verify_ds_match(c, k) == VERIFY_DS_MATCH;
        }
        ok = found;
    }
    if (ok)
        return 0;
    char rrset[300];
    sig_rrset_name(r->in->zone, LDNS_RR_TYPE_CDS, rrset, sizeof rrset);
    return verdict_add(r->v, VERIFY_REASON_CDS_INVALID, rrset,
                       "CDS (%zu) and CDNSKEY (%zu) describe different keys", nc, nk);
}

int zone_check_cds(struct zone_run *r)
{
    ldns_rr_list *cds = NULL, *cds_sigs = NULL, *cdk = NULL, *cdk_sigs = NULL;
    bool pending = false, deleting = false;
    sig_rrset_label_t rrset;
    int rc =
        pkt_rrset(r->in->cds, LDNS_SECTION_ANSWER, r->in->zone, LDNS_RR_TYPE_CDS, &cds, &cds_sigs);
    if (rc >= 0)
        rc = pkt_rrset(r->in->cdnskey, LDNS_SECTION_ANSWER, r->in->zone, LDNS_RR_TYPE_CDNSKEY, &cdk,
                       &cdk_sigs);
    if (rc < 0)
        goto done;
    if ((rc = add_summaries(r->v, cds)) < 0 || (rc = add_summaries(r->v, cdk)) < 0)
        goto done;
    if (ldns_rr_list_rr_count(cds) &&
        (rc = check_set(r, cds, cds_sigs, LDNS_RR_TYPE_CDS, &pending, &deleting)) < 0)
        goto done;
    if (ldns_rr_list_rr_count(cdk) &&
        (rc = check_set(r, cdk, cdk_sigs, LDNS_RR_TYPE_CDNSKEY, &pending, &deleting)) < 0)
        goto done;
    if (ldns_rr_list_rr_count(cds) && ldns_rr_list_rr_count(cdk) &&
        (rc = check_agreement(r, cds, cdk)) < 0)
        goto done;
    sig_label_init(&rrset, r->in->zone,
                   ldns_rr_list_rr_count(cds) ? LDNS_RR_TYPE_CDS : LDNS_RR_TYPE_CDNSKEY);
    if (deleting)
        rc = verdict_add(r->v, VERIFY_REASON_CDS_DELETE, sig_label_text(&rrset),
                         "the zone asks the parent to remove its DS (RFC 8078)");
    else if (pending)
        rc = verdict_add(r->v, VERIFY_REASON_CDS_PENDING, sig_label_text(&rrset),
                         "CDS/CDNSKEY differ from the parent's DS RRset");
done:
    ldns_rr_list_free(cds);
    ldns_rr_list_free(cds_sigs);
    ldns_rr_list_free(cdk);
    ldns_rr_list_free(cdk_sigs);
    return rc < 0 ? rc : 0;
}
