/*
 * CDS / CDNSKEY (RFC 7344, RFC 8078): signed by a key of the DS set, consistent with the
 * served keys and with each other, and whether the parent's DS differs (a pending rollover).
 */
#include "verify/sig_internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_delete(const ldns_rr *rr)
{
    if (!verify_sig_rr_complete(rr, 4))
        return false;
    /* CDS 0 0 0 00 and CDNSKEY 0 3 0 AA==: algorithm 0 in both. */
    int alg_field = ldns_rr_get_type(rr) == LDNS_RR_TYPE_CDS ? 1 : 2;
    return ldns_rdf2native_int8(ldns_rr_rdf(rr, (size_t)alg_field)) == 0;
}

/* The limit of the room for one record's RDATA here (a DNSKEY of RSA-4096 is ~520 bytes). */
#define CDS_RDATA_MAX 4096
/* DS digest types computed here (verify_ds_digest_supported). */
static const uint8_t digest_types[] = {LDNS_SHA1, LDNS_SHA256, LDNS_SHA384};

/* RFC 7344/8078 records are matched through their DS form: the DS RDATA a key would have
 * (tag | algorithm | digest type | digest), which is also a CDS's own RDATA. Sets of those make
 * every cross-check (CDS x DNSKEY, CDS x DS, CDNSKEY x DS, CDS x CDNSKEY) linear. */

/* Adds the RDATA of every DS/CDS in l (deletes skipped) to rdata and its first 4 bytes (tag,
 * algorithm, digest type) to prefix. */
static int ds_like_sets(const ldns_rr_list *l, verify_sig_byteset_t *rdata,
                        verify_sig_byteset_t *prefix)
{
    uint8_t b[CDS_RDATA_MAX];
    for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++) {
        const ldns_rr *rr = ldns_rr_list_rr(l, i);
        ldns_rr_type t = ldns_rr_get_type(rr);
        long len = verify_sig_rdata_copy(rr, b, sizeof b);
        if ((t != LDNS_RR_TYPE_DS && t != LDNS_RR_TYPE_CDS) || is_delete(rr) || len < 4)
            continue;
        if (verify_sig_byteset_add(rdata, b, (size_t)len) < 0 ||
            verify_sig_byteset_add(prefix, b, 4) < 0)
            return VERIFY_ENOMEM;
    }
    return 0;
}

#define CDS_LIMIT 1 /* returned by key_forms when the work budget refused a digest */

/*
 * The DS forms of key (a DNSKEY or CDNSKEY) for every digest type that prefix asks about; each
 * is added to forms (when not NULL) and *hit set when it is in lookup (when not NULL). A digest
 * is charged when first computed (verify_zone_key_digest). 0, CDS_LIMIT, or VERIFY_ENOMEM.
 */
static int key_forms(struct verify_zone_run *r, const ldns_rr *key,
                     const verify_sig_byteset_t *prefix, verify_sig_byteset_t *forms,
                     const verify_sig_byteset_t *lookup, bool *hit)
{
    if (!verify_sig_rr_complete(key, 4))
        return 0;
    uint16_t tag = verify_key_tag(key);
    uint8_t form[4 + EVP_MAX_MD_SIZE] = {(uint8_t)(tag >> 8), (uint8_t)tag,
                                         ldns_rdf2native_int8(ldns_rr_rdf(key, 2)), 0};
    for (size_t i = 0; i < sizeof digest_types; i++) {
        form[3] = digest_types[i];
        if (!verify_sig_byteset_has(prefix, form, 4))
            continue;
        size_t len = 0;
        int rc = verify_zone_key_digest(r, key, digest_types[i], form + 4, &len);
        if (rc == ZONE_DIGEST_LIMIT)
            return CDS_LIMIT;
        if (rc == VERIFY_ENOMEM)
            return rc;
        if (rc < 0)
            continue; /* malformed: matches nothing */
        if (forms && verify_sig_byteset_add(forms, form, 4 + len) < 0)
            return VERIFY_ENOMEM;
        if (lookup && verify_sig_byteset_has(lookup, form, 4 + len))
            *hit = true;
    }
    return 0;
}

static int limit_reason(struct verify_zone_run *r, verify_sig_rrset_label_t *rrset)
{
    return verify_verdict_add(r->v, VERIFY_REASON_VALIDATION_LIMIT, verify_sig_label_text(rrset),
                              "CDS/CDNSKEY digests stopped: %s",
                              verify_sig_work_exceeded(&r->work));
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
        if (!verify_sig_rr_complete(rr, 4))
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
static int check_signature(struct verify_zone_run *r, const ldns_rr_list *rrs,
                           const ldns_rr_list *sigs, verify_sig_rrset_label_t *rrset, bool *invalid)
{
    verify_sig_result_t res;
    int rc =
        verify_sig_verify_rrset_work(r->ks, r->ds_matched, rrs, sigs, r->in->now, &r->work, &res);
    if (rc < 0 || res.outcome == VERIFY_SIG_VALID) {
        if (rc == 0) {
            verify_zone_note_valid(r, &res, rrset);
            if (ldns_rr_list_rr_count(rrs) &&
                ldns_rr_get_type(ldns_rr_list_rr(rrs, 0)) == LDNS_RR_TYPE_CDS)
                r->v->cds_signer = res.key_tag;
            else
                r->v->cdnskey_signer = res.key_tag;
        }
        return rc;
    }
    *invalid = true;
    if (res.reason == VERIFY_REASON_VALIDATION_LIMIT)
        return verify_verdict_add(r->v, res.reason, verify_sig_label_text(rrset), "%s", res.detail);
    rc = verify_sig_verify_rrset_work(r->ks, NULL, rrs, sigs, r->in->now, &r->work, &res);
    if (rc < 0)
        return rc;
    if (res.outcome == VERIFY_SIG_VALID)
        return verify_verdict_add(r->v, VERIFY_REASON_CDS_INVALID, verify_sig_label_text(rrset),
                                  "signed only by DNSKEY %u, which no parent DS matches",
                                  res.key_tag);
    if (res.reason == VERIFY_REASON_VALIDATION_LIMIT)
        return verify_verdict_add(r->v, res.reason, verify_sig_label_text(rrset), "%s", res.detail);
    return verify_verdict_add(r->v, VERIFY_REASON_CDS_INVALID, verify_sig_label_text(rrset),
                              "%s: %s", verify_reason_name(res.reason), res.detail);
}

/* The sets one CDS or CDNSKEY RRset is judged with (all owned; freed by sets_free). */
typedef struct cds_sets {
    verify_sig_byteset_t ds_rdata, ds_prefix;   /* the parent's DS */
    verify_sig_byteset_t own_rdata, own_prefix; /* the CDS RRset itself (CDS only) */
    verify_sig_byteset_t served; /* CDS: DS forms of the served keys; CDNSKEY: their RDATA */
    verify_sig_byteset_t asked;  /* CDNSKEY: the DS forms of its records */
} cds_sets_t;

static void sets_free(cds_sets_t *c)
{
    verify_sig_byteset_free(&c->ds_rdata);
    verify_sig_byteset_free(&c->ds_prefix);
    verify_sig_byteset_free(&c->own_rdata);
    verify_sig_byteset_free(&c->own_prefix);
    verify_sig_byteset_free(&c->served);
    verify_sig_byteset_free(&c->asked);
}

static int sets_build(struct verify_zone_run *r, const ldns_rr_list *rrs, ldns_rr_type type,
                      cds_sets_t *c)
{
    size_t n = ldns_rr_list_rr_count(rrs), n_ds = 0;
    if (r->in->parent_ds)
        n_ds = ldns_rr_list_rr_count(r->in->parent_ds);
    if (verify_sig_byteset_init(&c->ds_rdata, n_ds) < 0 ||
        verify_sig_byteset_init(&c->ds_prefix, n_ds) < 0 ||
        verify_sig_byteset_init(&c->own_rdata, n) < 0 ||
        verify_sig_byteset_init(&c->own_prefix, n) < 0 ||
        verify_sig_byteset_init(&c->served, r->ks->n) < 0 ||
        verify_sig_byteset_init(&c->asked, n) < 0)
        return VERIFY_ENOMEM;
    int rc = ds_like_sets(r->in->parent_ds, &c->ds_rdata, &c->ds_prefix);
    if (rc == 0 && type == LDNS_RR_TYPE_CDS)
        rc = ds_like_sets(rrs, &c->own_rdata, &c->own_prefix);
    for (size_t k = 0; rc == 0 && k < r->ks->n; k++) {
        const struct verify_key *key = &r->ks->keys[k];
        const ldns_rr *krr = type == LDNS_RR_TYPE_CDS ? verify_sig_key_rr(key) : NULL;
        if (type == LDNS_RR_TYPE_CDS)
            rc = krr ? key_forms(r, krr, &c->own_prefix, &c->served, NULL, NULL) : VERIFY_ENOMEM;
        else
            rc = verify_sig_byteset_add(&c->served, key->rdata, key->rdata_len);
    }
    return rc;
}

static int check_set(struct verify_zone_run *r, const ldns_rr_list *rrs, const ldns_rr_list *sigs,
                     ldns_rr_type type, bool *pending, bool *deleting)
{
    verify_sig_rrset_label_t rrset;
    bool invalid = false;
    size_t n = ldns_rr_list_rr_count(rrs), n_delete = 0;
    const ldns_rr_list *ds = r->in->parent_ds;
    size_t n_ds = ds ? ldns_rr_list_rr_count(ds) : 0;
    cds_sets_t c;
    uint8_t b[CDS_RDATA_MAX];
    memset(&c, 0, sizeof c);
    verify_sig_label_init(&rrset, r->in->zone, (uint16_t)type);
    int rc = check_signature(r, rrs, sigs, &rrset, &invalid);
    if (rc >= 0)
        rc = sets_build(r, rrs, type, &c);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const ldns_rr *rec = ldns_rr_list_rr(rrs, i);
        if (is_delete(rec)) {
            n_delete++;
            continue;
        }
        long len = verify_sig_rdata_copy(rec, b, sizeof b);
        bool served = false, at_parent = false;
        if (type == LDNS_RR_TYPE_CDS) {
            served = len >= 0 && verify_sig_byteset_has(&c.served, b, (size_t)len);
            at_parent = len >= 0 && verify_sig_byteset_has(&c.ds_rdata, b, (size_t)len);
        } else {
            served = len >= 0 && verify_sig_byteset_has(&c.served, b, (size_t)len);
            rc = key_forms(r, rec, &c.ds_prefix, &c.asked, &c.ds_rdata, &at_parent);
            if (rc != 0)
                break;
        }
        /* A CDS may arrive with no RDATA at all: its tag is then 0 (like verify_key_tag). */
        uint16_t tag = type != LDNS_RR_TYPE_CDS         ? verify_key_tag(rec)
                       : verify_sig_rr_complete(rec, 4) ? ldns_rdf2native_int16(ldns_rr_rdf(rec, 0))
                                                        : 0;
        if (!served)
            rc = verify_verdict_add(r->v, VERIFY_REASON_CDS_INVALID, verify_sig_label_text(&rrset),
                                    "%s %u matches no served DNSKEY",
                                    type == LDNS_RR_TYPE_CDS ? "CDS" : "CDNSKEY", tag);
        if (!at_parent)
            *pending = true;
    }
    if (rc == CDS_LIMIT)
        rc = limit_reason(r, &rrset);
    if (rc < 0 || n_delete == 0 || n_delete < n) {
        if (rc >= 0 && n_delete && n_delete < n)
            rc = verify_verdict_add(r->v, VERIFY_REASON_CDS_INVALID, verify_sig_label_text(&rrset),
                                    "a delete record mixed with %zu other records", n - n_delete);
        else if (rc >= 0 && n_delete == 0) {
            /* Every parent DS must still be asked for, or the parent would change. */
            const verify_sig_byteset_t *asked = type == LDNS_RR_TYPE_CDS ? &c.own_rdata : &c.asked;
            for (size_t d = 0; d < n_ds; d++) {
                long len = verify_sig_rdata_copy(ldns_rr_list_rr(ds, d), b, sizeof b);
                if (ldns_rr_get_type(ldns_rr_list_rr(ds, d)) == LDNS_RR_TYPE_DS &&
                    (len < 0 || !verify_sig_byteset_has(asked, b, (size_t)len)))
                    *pending = true;
            }
        }
        sets_free(&c);
        return rc < 0 ? rc : 0;
    }
    *deleting = true;
    sets_free(&c);
    return 0;
}

/* Per served key: does it have a valid RRSIG over the DNSKEY RRset (whatever the DS says)?
 * Only keys some CDS/CDNSKEY names by tag are tried. Unknown (not tried, or past the work
 * limit) reads as false, which refuses an action rather than risk one. */
static int keys_signing_dnskey(struct verify_zone_run *r, bool *signs)
{
    ldns_rr_list *keys = NULL, *sigs = NULL;
    bool *only = calloc(r->ks->n ? r->ks->n : 1, sizeof *only);
    int rc = only ? verify_pkt_rrset(r->in->dnskey, LDNS_SECTION_ANSWER, r->in->zone,
                                     LDNS_RR_TYPE_DNSKEY, &keys, &sigs)
                  : VERIFY_ENOMEM;
    for (size_t k = 0; rc >= 0 && k < r->ks->n; k++) {
        bool named = false;
        for (size_t i = 0; i < r->v->n_cds && !named; i++)
            named = !r->v->cds[i].is_delete && r->v->cds[i].key_tag == r->ks->keys[k].key_tag;
        if (!named || ldns_rr_list_rr_count(sigs) == 0)
            continue;
        verify_sig_result_t res;
        only[k] = true;
        rc = verify_sig_verify_rrset_work(r->ks, only, keys, sigs, r->in->now, &r->work, &res);
        only[k] = false;
        signs[k] = rc == 0 && res.outcome == VERIFY_SIG_VALID;
    }
    ldns_rr_list_free(keys);
    ldns_rr_list_free(sigs);
    free(only);
    return rc < 0 ? rc : 0;
}

/* Marks each summary (v->cds[first..], the records of l) with the served key it describes and
 * whether that key signs the DNSKEY RRset. */
static int mark_summaries(struct verify_zone_run *r, const ldns_rr_list *l, size_t first,
                          const bool *signs)
{
    uint8_t b[CDS_RDATA_MAX];
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
        const ldns_rr *rec = ldns_rr_list_rr(l, i);
        verify_cds_summary_t *s = &r->v->cds[first + i];
        long len = verify_sig_rdata_copy(rec, b, sizeof b);
        if (s->is_delete || len < 4)
            continue;
        verify_sig_byteset_t one, prefix;
        memset(&one, 0, sizeof one);
        memset(&prefix, 0, sizeof prefix);
        int rc = 0;
        if (s->rrtype == LDNS_RR_TYPE_CDS &&
            (verify_sig_byteset_init(&one, 1) < 0 || verify_sig_byteset_init(&prefix, 1) < 0 ||
             verify_sig_byteset_add(&one, b, (size_t)len) < 0 ||
             verify_sig_byteset_add(&prefix, b, 4) < 0))
            rc = VERIFY_ENOMEM;
        for (size_t k = 0; rc == 0 && k < r->ks->n && !s->served; k++) {
            const struct verify_key *key = &r->ks->keys[k];
            bool hit = false;
            const ldns_rr *krr = s->rrtype == LDNS_RR_TYPE_CDS ? verify_sig_key_rr(key) : NULL;
            if (s->rrtype == LDNS_RR_TYPE_CDS)
                rc = krr ? key_forms(r, krr, &prefix, NULL, &one, &hit) : VERIFY_ENOMEM;
            else
                hit = key->rdata_len == (size_t)len && memcmp(key->rdata, b, (size_t)len) == 0;
            if (hit) {
                s->served = true;
                s->signs_dnskey = signs[k];
            }
        }
        verify_sig_byteset_free(&one);
        verify_sig_byteset_free(&prefix);
        if (rc == VERIFY_ENOMEM)
            return rc;
    }
    return 0;
}

static int mark_all(struct verify_zone_run *r, const ldns_rr_list *cds, const ldns_rr_list *cdk)
{
    bool *signs = calloc(r->ks->n ? r->ks->n : 1, sizeof *signs);
    int rc = signs ? keys_signing_dnskey(r, signs) : VERIFY_ENOMEM;
    size_t nc = ldns_rr_list_rr_count(cds);
    if (rc == 0)
        rc = mark_summaries(r, cds, r->v->n_cds - nc - ldns_rr_list_rr_count(cdk), signs);
    if (rc == 0)
        rc = mark_summaries(r, cdk, r->v->n_cds - ldns_rr_list_rr_count(cdk), signs);
    free(signs);
    return rc;
}

/* RFC 7344 §4: when both are published they must describe the same keys. */
static int check_agreement(struct verify_zone_run *r, const ldns_rr_list *cds,
                           const ldns_rr_list *cdk, bool facts_only)
{
    size_t nc = ldns_rr_list_rr_count(cds), nk = ldns_rr_list_rr_count(cdk);
    bool ok = true, cds_delete = false, cdk_delete = false;
    verify_sig_byteset_t cds_rdata, cds_prefix, cdk_forms;
    uint8_t b[CDS_RDATA_MAX];
    char rrset[300];
    verify_sig_rrset_name(r->in->zone, LDNS_RR_TYPE_CDS, rrset, sizeof rrset);
    int rc = VERIFY_ENOMEM;
    memset(&cds_rdata, 0, sizeof cds_rdata);
    memset(&cds_prefix, 0, sizeof cds_prefix);
    memset(&cdk_forms, 0, sizeof cdk_forms);
    if (verify_sig_byteset_init(&cds_rdata, nc) < 0 ||
        verify_sig_byteset_init(&cds_prefix, nc) < 0 || verify_sig_byteset_init(&cdk_forms, nk) < 0)
        goto done;
    rc = ds_like_sets(cds, &cds_rdata, &cds_prefix);
    for (size_t i = 0; i < nc; i++)
        cds_delete |= is_delete(ldns_rr_list_rr(cds, i));
    for (size_t j = 0; j < nk; j++)
        cdk_delete |= is_delete(ldns_rr_list_rr(cdk, j));
    /* Each CDNSKEY must have a CDS; its DS forms are kept for the other direction. */
    for (size_t j = 0; rc == 0 && j < nk; j++) {
        const ldns_rr *k = ldns_rr_list_rr(cdk, j);
        bool found = false;
        if (is_delete(k)) {
            ok &= cds_delete;
            continue;
        }
        rc = key_forms(r, k, &cds_prefix, &cdk_forms, &cds_rdata, &found);
        ok &= found;
    }
    for (size_t i = 0; rc == 0 && i < nc; i++) {
        const ldns_rr *c = ldns_rr_list_rr(cds, i);
        long len = verify_sig_rdata_copy(c, b, sizeof b);
        ok &= is_delete(c) ? cdk_delete
                           : len >= 0 && verify_sig_byteset_has(&cdk_forms, b, (size_t)len);
    }
    r->v->cds_cdnskey_disagree = rc != 0 || !ok; /* unknown (past a limit) reads as disagree */
    if (facts_only)
        rc = rc == CDS_LIMIT ? 0 : rc;
    else if (rc == CDS_LIMIT)
        rc = verify_verdict_add(r->v, VERIFY_REASON_VALIDATION_LIMIT, rrset,
                                "CDS/CDNSKEY agreement stopped: %s",
                                verify_sig_work_exceeded(&r->work));
    else if (rc == 0 && !ok)
        rc = verify_verdict_add(r->v, VERIFY_REASON_CDS_INVALID, rrset,
                                "CDS (%zu) and CDNSKEY (%zu) describe different keys", nc, nk);
done:
    verify_sig_byteset_free(&cds_rdata);
    verify_sig_byteset_free(&cds_prefix);
    verify_sig_byteset_free(&cdk_forms);
    return rc < 0 ? rc : 0;
}

/* The CDS and CDNSKEY RRsets served and their RRSIGs (borrowed views: free_cds_sets()), their
 * summaries added to the verdict. 0 or VERIFY_ENOMEM. */
static int read_cds_sets(struct verify_zone_run *r, ldns_rr_list **cds, ldns_rr_list **cds_sigs,
                         ldns_rr_list **cdk, ldns_rr_list **cdk_sigs)
{
    int rc = verify_pkt_rrset(r->in->cds, LDNS_SECTION_ANSWER, r->in->zone, LDNS_RR_TYPE_CDS, cds,
                              cds_sigs);
    if (rc >= 0)
        rc = verify_pkt_rrset(r->in->cdnskey, LDNS_SECTION_ANSWER, r->in->zone,
                              LDNS_RR_TYPE_CDNSKEY, cdk, cdk_sigs);
    if (rc >= 0 && (rc = add_summaries(r->v, *cds)) >= 0)
        rc = add_summaries(r->v, *cdk);
    return rc < 0 ? rc : 0;
}

static void free_cds_sets(ldns_rr_list *cds, ldns_rr_list *cds_sigs, ldns_rr_list *cdk,
                          ldns_rr_list *cdk_sigs)
{
    ldns_rr_list_free(cds);
    ldns_rr_list_free(cds_sigs);
    ldns_rr_list_free(cdk);
    ldns_rr_list_free(cdk_sigs);
}

int verify_zone_check_cds(struct verify_zone_run *r)
{
    ldns_rr_list *cds = NULL, *cds_sigs = NULL, *cdk = NULL, *cdk_sigs = NULL;
    bool pending = false, deleting = false;
    verify_sig_rrset_label_t rrset;
    int rc = read_cds_sets(r, &cds, &cds_sigs, &cdk, &cdk_sigs);
    if (rc < 0)
        goto done;
    if (r->v->n_cds && (rc = mark_all(r, cds, cdk)) < 0)
        goto done;
    if (ldns_rr_list_rr_count(cds) &&
        (rc = check_set(r, cds, cds_sigs, LDNS_RR_TYPE_CDS, &pending, &deleting)) < 0)
        goto done;
    if (ldns_rr_list_rr_count(cdk) &&
        (rc = check_set(r, cdk, cdk_sigs, LDNS_RR_TYPE_CDNSKEY, &pending, &deleting)) < 0)
        goto done;
    if (ldns_rr_list_rr_count(cds) && ldns_rr_list_rr_count(cdk) &&
        (rc = check_agreement(r, cds, cdk, false)) < 0)
        goto done;
    verify_sig_label_init(&rrset, r->in->zone,
                          ldns_rr_list_rr_count(cds) ? LDNS_RR_TYPE_CDS : LDNS_RR_TYPE_CDNSKEY);
    if (deleting)
        rc = verify_verdict_add(r->v, VERIFY_REASON_CDS_DELETE, verify_sig_label_text(&rrset),
                                "the zone asks the parent to remove its DS (RFC 8078)");
    else if (pending)
        rc = verify_verdict_add(r->v, VERIFY_REASON_CDS_PENDING, verify_sig_label_text(&rrset),
                                "CDS/CDNSKEY differ from the parent's DS RRset");
done:
    free_cds_sets(cds, cds_sigs, cdk, cdk_sigs);
    return rc < 0 ? rc : 0;
}

/* The served key whose RRSIG over rrs verifies, or -1 (any key: there is no DS to prefer). */
static int32_t self_signer(struct verify_zone_run *r, const ldns_rr_list *rrs,
                           const ldns_rr_list *sigs)
{
    verify_sig_result_t res;
    if (ldns_rr_list_rr_count(rrs) == 0 || ldns_rr_list_rr_count(sigs) == 0)
        return -1;
    int rc = verify_sig_verify_rrset_work(r->ks, NULL, rrs, sigs, r->in->now, &r->work, &res);
    return rc == 0 && res.outcome == VERIFY_SIG_VALID ? res.key_tag : -1;
}

int verify_zone_cds_bootstrap_facts(struct verify_zone_run *r)
{
    ldns_rr_list *cds = NULL, *cds_sigs = NULL, *cdk = NULL, *cdk_sigs = NULL;
    int rc = read_cds_sets(r, &cds, &cds_sigs, &cdk, &cdk_sigs);
    if (rc < 0)
        goto done;
    if (r->v->n_cds == 0)
        goto done;
    if ((rc = mark_all(r, cds, cdk)) < 0)
        goto done;
    r->v->cds_signer = self_signer(r, cds, cds_sigs);
    r->v->cdnskey_signer = self_signer(r, cdk, cdk_sigs);
    if (ldns_rr_list_rr_count(cds) && ldns_rr_list_rr_count(cdk))
        rc = check_agreement(r, cds, cdk, true);
done:
    free_cds_sets(cds, cds_sigs, cdk, cdk_sigs);
    return rc < 0 ? rc : 0;
}
