/*
 * NSEC proofs: RFC 4035 §5.4 (name error, no data, wildcard no data), RFC 4034 §6.1 canonical
 * order with the last NSEC wrapping to the apex, RFC 6840 §4.1 (an NSEC at a zone cut or with
 * DNAME says nothing about the names below it) and §4.3 (no data at an empty non-terminal).
 */
#include "verify/internal.h"

#include <string.h>

#define NAME_STR_LEN (LDNS_MAX_DOMAINLEN * 4 + 1)

/* One NSEC of the list, parsed. */
typedef struct nsec_view {
    const ldns_rr *rr;
    verify_dn_name_t owner;
    verify_dn_name_t next;
    const ldns_rdf *bitmap;
} nsec_view_t;

/* Parses the NSEC at index i if it is usable for zone: owner and next name in the zone. */
static bool nsec_view_at(const verify_dn_ctx_t *c, size_t i, nsec_view_t *v)
{
    const ldns_rr *rr = ldns_rr_list_rr(c->q->records, i);

    if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC || ldns_rr_rd_count(rr) < 1)
        return false;
    if (verify_dn_name_from_rdf(&v->owner, ldns_rr_owner(rr)) != 0 ||
        verify_dn_name_from_rdf(&v->next, ldns_rr_rdf(rr, 0)) != 0)
        return false;
    if (!verify_dn_is_subdomain(&v->owner, &c->zone) || !verify_dn_is_subdomain(&v->next, &c->zone))
        return false;
    v->rr = rr;
    v->bitmap = ldns_rr_rd_count(rr) > 1 ? ldns_rr_rdf(rr, 1) : NULL;
    return true;
}

static bool has(const nsec_view_t *v, uint16_t type)
{
    return verify_dn_bitmap_has(v->bitmap, type);
}

/* An NSEC at a delegation point (NS without SOA, below the apex): the parent side of a cut. */
static bool is_delegation(const verify_dn_ctx_t *c, const nsec_view_t *v)
{
    return has(v, LDNS_RR_TYPE_NS) && !has(v, LDNS_RR_TYPE_SOA) &&
           verify_dn_compare(&v->owner, &c->zone) != 0;
}

/* RFC 6840 §4.1: an NSEC at a delegation or with DNAME must not deny anything below its
 * owner (those names live in another zone or are redirected). */
static bool is_cut(const verify_dn_ctx_t *c, const nsec_view_t *v)
{
    return is_delegation(c, v) || has(v, LDNS_RR_TYPE_DNAME);
}

static bool find_match(const verify_dn_ctx_t *c, const verify_dn_name_t *name, nsec_view_t *v)
{
    size_t n = ldns_rr_list_rr_count(c->q->records);

    for (size_t i = 0; i < n; i++)
        if (nsec_view_at(c, i, v) && verify_dn_compare(&v->owner, name) == 0)
            return true;
    return false;
}

/* An NSEC whose span (owner, next) holds name strictly inside it. The last NSEC of the chain
 * has next == apex <= owner: its span runs from owner to the end of the zone. An NSEC at a zone
 * cut above name is skipped; *skipped_cut (when not NULL) tells whether one was. */
static bool find_cover_ex(const verify_dn_ctx_t *c, const verify_dn_name_t *name, nsec_view_t *v,
                          bool *skipped_cut)
{
    size_t n = ldns_rr_list_rr_count(c->q->records);

    if (skipped_cut)
        *skipped_cut = false;
    for (size_t i = 0; i < n; i++) {
        int after_owner, before_next;
        if (!nsec_view_at(c, i, v))
            continue;
        after_owner = verify_dn_compare(&v->owner, name) < 0;
        before_next = verify_dn_compare(name, &v->next) < 0;
        if (verify_dn_compare(&v->owner, &v->next) < 0 ? !(after_owner && before_next)
                                                       : !(after_owner || before_next))
            continue;
        if (is_cut(c, v) && verify_dn_is_subdomain(name, &v->owner)) {
            if (skipped_cut)
                *skipped_cut = true;
            continue;
        }
        return true;
    }
    return false;
}

static bool find_cover(const verify_dn_ctx_t *c, const verify_dn_name_t *name, nsec_view_t *v)
{
    return find_cover_ex(c, name, v, NULL);
}

/* The closest encloser that a covering NSEC implies: owner and next exist, nothing between
 * them does, so the longest ancestor of name shared with either of them exists. */
static unsigned closest_encloser_labels(const verify_dn_ctx_t *c, const verify_dn_name_t *name,
                                        const nsec_view_t *cover)
{
    unsigned a = verify_dn_common_labels(name, &cover->owner);
    unsigned b = verify_dn_common_labels(name, &cover->next);
    unsigned ce = a > b ? a : b;
    return ce < c->zone.labels ? c->zone.labels : ce;
}

/* Type bits that forbid a no-data proof for qtype at v's owner. */
static verify_denial_result_t check_nodata_bits(const verify_dn_ctx_t *c, const nsec_view_t *v,
                                                const char *what, char *detail, size_t dlen)
{
    char ts[16], ns[NAME_STR_LEN];
    uint16_t qtype = c->q->qtype;
    const char *owner = verify_dn_to_str(&v->owner, ns, sizeof ns);

    if (has(v, qtype)) {
        verify_dn_detail(detail, dlen, "%s NSEC at %s has the %s bit set", what, owner,
                         verify_dn_type_str(qtype, ts, sizeof ts));
        return VERIFY_DENIAL_INVALID;
    }
    if (has(v, LDNS_RR_TYPE_CNAME)) {
        verify_dn_detail(detail, dlen, "%s NSEC at %s has the CNAME bit set", what, owner);
        return VERIFY_DENIAL_INVALID;
    }
    if (qtype != LDNS_RR_TYPE_DS && is_delegation(c, v)) {
        verify_dn_detail(detail, dlen,
                         "%s NSEC at %s is from the parent side of a delegation (NS set, SOA "
                         "clear): it cannot deny %s there (RFC 6840 §4.1)",
                         what, owner, verify_dn_type_str(qtype, ts, sizeof ts));
        return VERIFY_DENIAL_INVALID;
    }
    if (qtype == LDNS_RR_TYPE_DS && has(v, LDNS_RR_TYPE_SOA) &&
        verify_dn_compare(&v->owner, &c->zone) == 0 && c->zone.labels > 0) {
        verify_dn_detail(detail, dlen,
                         "NSEC at %s is the child apex's: DS lives in the parent zone", owner);
        return VERIFY_DENIAL_INVALID;
    }
    return VERIFY_DENIAL_PROVEN;
}

static verify_denial_result_t nxdomain(const verify_dn_ctx_t *c, char *detail, size_t dlen)
{
    nsec_view_t v, w;
    verify_dn_name_t ce, wc;
    char qs[NAME_STR_LEN], os[NAME_STR_LEN], xs[NAME_STR_LEN], ws[NAME_STR_LEN];
    const char *qn = verify_dn_to_str(&c->qname, qs, sizeof qs);
    bool cut;

    if (find_match(c, &c->qname, &v)) {
        verify_dn_detail(detail, dlen, "an NSEC exists at %s: the name exists", qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (!find_cover_ex(c, &c->qname, &v, &cut)) {
        verify_dn_detail(detail, dlen,
                         cut ? "no NSEC covers %s: the NSEC spanning it is at a delegation or "
                               "DNAME above it (RFC 6840 §4.1)"
                             : "no NSEC covers %s",
                         qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (v.next.labels > c->qname.labels && verify_dn_is_subdomain(&v.next, &c->qname)) {
        verify_dn_detail(detail, dlen,
                         "%s is an empty non-terminal (NSEC next name %s is below it): no data, "
                         "not name error",
                         qn, verify_dn_to_str(&v.next, xs, sizeof xs));
        return VERIFY_DENIAL_INVALID;
    }
    verify_dn_ancestor(&c->qname, closest_encloser_labels(c, &c->qname, &v), &ce);
    if (verify_dn_wildcard(&ce, &wc) != 0) {
        verify_dn_detail(detail, dlen, "wildcard name at the closest encloser is too long");
        return VERIFY_DENIAL_INVALID;
    }
    if (find_match(c, &wc, &w)) {
        verify_dn_detail(detail, dlen, "wildcard %s exists: %s should have been synthesised",
                         verify_dn_to_str(&wc, xs, sizeof xs), qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (!find_cover(c, &wc, &w)) {
        verify_dn_detail(detail, dlen,
                         "NSEC %s -> %s covers %s but no NSEC proves that wildcard %s does not "
                         "exist",
                         verify_dn_to_str(&v.owner, os, sizeof os),
                         verify_dn_to_str(&v.next, xs, sizeof xs), qn,
                         verify_dn_to_str(&wc, ws, sizeof ws));
        return VERIFY_DENIAL_INVALID;
    }
    verify_dn_detail(detail, dlen, "NSEC %s -> %s covers %s; wildcard %s denied",
                     verify_dn_to_str(&v.owner, os, sizeof os),
                     verify_dn_to_str(&v.next, xs, sizeof xs), qn,
                     verify_dn_to_str(&wc, ws, sizeof ws));
    return VERIFY_DENIAL_PROVEN;
}

static verify_denial_result_t nodata(const verify_dn_ctx_t *c, char *detail, size_t dlen)
{
    nsec_view_t v, w;
    verify_dn_name_t ce, wc;
    verify_denial_result_t r;
    char qs[NAME_STR_LEN], xs[NAME_STR_LEN], ts[16];
    const char *qn = verify_dn_to_str(&c->qname, qs, sizeof qs);

    if (find_match(c, &c->qname, &v)) {
        r = check_nodata_bits(c, &v, "matching", detail, dlen);
        if (r == VERIFY_DENIAL_PROVEN)
            verify_dn_detail(detail, dlen, "NSEC at %s lacks the %s bit", qn,
                             verify_dn_type_str(c->q->qtype, ts, sizeof ts));
        return r;
    }
    if (!find_cover(c, &c->qname, &v)) {
        verify_dn_detail(detail, dlen, "no NSEC matches or covers %s", qn);
        return VERIFY_DENIAL_INVALID;
    }
    /* RFC 4035 §3.1.3.2, RFC 6840 §4.3: an empty non-terminal has no NSEC of its own; the
     * NSEC before it points at a name below it. */
    if (v.next.labels > c->qname.labels && verify_dn_is_subdomain(&v.next, &c->qname)) {
        verify_dn_detail(detail, dlen, "%s is an empty non-terminal (NSEC next name %s)", qn,
                         verify_dn_to_str(&v.next, xs, sizeof xs));
        return VERIFY_DENIAL_PROVEN;
    }
    /* RFC 4035 §3.1.3.4: wildcard no data: qname covered, and *.closest-encloser matched. */
    verify_dn_ancestor(&c->qname, closest_encloser_labels(c, &c->qname, &v), &ce);
    if (verify_dn_wildcard(&ce, &wc) != 0 || !find_match(c, &wc, &w)) {
        verify_dn_detail(detail, dlen,
                         "%s does not exist (NSEC covers it) and no NSEC matches wildcard %s: "
                         "name error, not no data",
                         qn, verify_dn_to_str(&wc, xs, sizeof xs));
        return VERIFY_DENIAL_INVALID;
    }
    r = check_nodata_bits(c, &w, "wildcard", detail, dlen);
    if (r == VERIFY_DENIAL_PROVEN)
        verify_dn_detail(detail, dlen, "wildcard no data: %s covered, NSEC at %s lacks the %s bit",
                         qn, verify_dn_to_str(&wc, xs, sizeof xs),
                         verify_dn_type_str(c->q->qtype, ts, sizeof ts));
    return r;
}

static verify_denial_result_t no_ds(const verify_dn_ctx_t *c, char *detail, size_t dlen)
{
    nsec_view_t v;
    char qs[NAME_STR_LEN], os[NAME_STR_LEN], xs[NAME_STR_LEN];
    const char *qn = verify_dn_to_str(&c->qname, qs, sizeof qs);

    if (verify_dn_compare(&c->qname, &c->zone) == 0) {
        verify_dn_detail(detail, dlen, "%s is the zone apex, not a delegation from it", qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (!find_match(c, &c->qname, &v)) {
        if (find_cover(c, &c->qname, &v))
            verify_dn_detail(detail, dlen, "NSEC %s -> %s says %s does not exist: not delegated",
                             verify_dn_to_str(&v.owner, os, sizeof os),
                             verify_dn_to_str(&v.next, xs, sizeof xs), qn);
        else
            verify_dn_detail(detail, dlen, "no NSEC at %s", qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (has(&v, LDNS_RR_TYPE_DS)) {
        verify_dn_detail(detail, dlen, "NSEC at %s has the DS bit set", qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (has(&v, LDNS_RR_TYPE_SOA)) {
        verify_dn_detail(detail, dlen, "NSEC at %s has the SOA bit: it is the child zone's", qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (!has(&v, LDNS_RR_TYPE_NS)) {
        verify_dn_detail(detail, dlen, "NSEC at %s lacks the NS bit: not a delegation", qn);
        return VERIFY_DENIAL_INVALID;
    }
    verify_dn_detail(detail, dlen, "NSEC at %s: NS, no DS, no SOA", qn);
    return VERIFY_DENIAL_PROVEN;
}

/* RFC 4035 §5.3.4: the answer came from *.ce where ce has wildcard_labels labels; the NSEC
 * must show that qname does not exist and that ce is its closest encloser. */
static verify_denial_result_t wildcard_answer(const verify_dn_ctx_t *c, unsigned wildcard_labels,
                                              char *detail, size_t dlen)
{
    nsec_view_t v;
    unsigned ce;
    char qs[NAME_STR_LEN], os[NAME_STR_LEN], xs[NAME_STR_LEN];
    const char *qn = verify_dn_to_str(&c->qname, qs, sizeof qs);

    if (find_match(c, &c->qname, &v)) {
        verify_dn_detail(detail, dlen, "an NSEC exists at %s: no wildcard expansion possible", qn);
        return VERIFY_DENIAL_INVALID;
    }
    if (!find_cover(c, &c->qname, &v)) {
        verify_dn_detail(detail, dlen, "no NSEC covers %s (wildcard answer)", qn);
        return VERIFY_DENIAL_INVALID;
    }
    ce = closest_encloser_labels(c, &c->qname, &v);
    if (ce != wildcard_labels ||
        (v.next.labels > c->qname.labels && verify_dn_is_subdomain(&v.next, &c->qname))) {
        verify_dn_detail(detail, dlen,
                         "NSEC %s -> %s shows a closest encloser of %u labels, the wildcard "
                         "answer claims %u",
                         verify_dn_to_str(&v.owner, os, sizeof os),
                         verify_dn_to_str(&v.next, xs, sizeof xs), ce, wildcard_labels);
        return VERIFY_DENIAL_INVALID;
    }
    verify_dn_detail(detail, dlen, "NSEC %s -> %s covers %s (wildcard answer)",
                     verify_dn_to_str(&v.owner, os, sizeof os),
                     verify_dn_to_str(&v.next, xs, sizeof xs), qn);
    return VERIFY_DENIAL_PROVEN;
}

verify_denial_result_t verify_dn_nsec_check(const verify_dn_ctx_t *c, int wildcard_labels,
                                            char *detail, size_t detail_len)
{
    if (wildcard_labels >= 0)
        return wildcard_answer(c, (unsigned)wildcard_labels, detail, detail_len);
    switch (c->q->kind) {
    case VERIFY_DENIAL_NXDOMAIN:
        return nxdomain(c, detail, detail_len);
    case VERIFY_DENIAL_NODATA:
        return nodata(c, detail, detail_len);
    case VERIFY_DENIAL_NO_DS:
        return no_ds(c, detail, detail_len);
    }
    verify_dn_detail(detail, detail_len, "unknown denial kind %d", (int)c->q->kind);
    return VERIFY_DENIAL_INVALID;
}
