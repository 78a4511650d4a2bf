/*
 * Denial of existence: the entry points, and the name and bitmap helpers the NSEC and NSEC3
 * halves share. Names are handled in lower-case wire form with label offsets, so that
 * canonical ordering and ancestor walks allocate nothing (ldns's dname calls clone).
 */
#include "verify/internal.h"
#include "text/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Parses wire (len bytes, must end exactly at the root label) into *out, lower-cased.
 * Returns 0, or -1 for a malformed or compressed name. */
static int verify_dn_name_init(verify_dn_name_t *out, const uint8_t *wire, size_t len)
{
    size_t pos = 0;
    unsigned labels = 0;

    if (!wire || len == 0 || len > LDNS_MAX_DOMAINLEN)
        return -1;
    for (;;) {
        uint8_t l = wire[pos];
        if (l == 0)
            break;
        if (l > LDNS_MAX_LABELLEN || pos + 1 + l >= len || labels >= sizeof out->off)
            return -1; /* compression pointer, over-long label, or runs past the end */
        out->off[labels++] = (uint8_t)pos;
        pos += 1 + (size_t)l;
    }
    if (pos + 1 != len)
        return -1;
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = wire[i];
        /* Length octets are <= 63 and never in 'A'..'Z', so lowering every byte is safe. */
        out->wire[i] = (ch >= 'A' && ch <= 'Z') ? (uint8_t)(ch + 32) : ch;
    }
    out->len = (uint8_t)len;
    out->labels = (uint8_t)labels;
    return 0;
}

int verify_dn_name_from_rdf(verify_dn_name_t *out, const ldns_rdf *rdf)
{
    if (!rdf || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME)
        return -1;
    return verify_dn_name_init(out, ldns_rdf_data(rdf), ldns_rdf_size(rdf));
}

/* Label i (from the left) of n: its bytes and length. */
static const uint8_t *label_at(const verify_dn_name_t *n, unsigned i, unsigned *len)
{
    const uint8_t *p = n->wire + n->off[i];
    *len = p[0];
    return p + 1;
}

int verify_dn_compare(const verify_dn_name_t *a, const verify_dn_name_t *b)
{
    unsigned na = a->labels, nb = b->labels;

    /* RFC 4034 §6.1: compare label by label from the right; a missing label sorts first. */
    while (na > 0 && nb > 0) {
        unsigned la, lb;
        const uint8_t *pa = label_at(a, --na, &la);
        const uint8_t *pb = label_at(b, --nb, &lb);
        int c = memcmp(pa, pb, la < lb ? la : lb);
        if (c != 0)
            return c;
        if (la != lb)
            return la < lb ? -1 : 1;
    }
    if (na == nb)
        return 0;
    return na < nb ? -1 : 1;
}

unsigned verify_dn_common_labels(const verify_dn_name_t *a, const verify_dn_name_t *b)
{
    unsigned na = a->labels, nb = b->labels, common = 0;

    while (na > 0 && nb > 0) {
        unsigned la, lb;
        const uint8_t *pa = label_at(a, --na, &la);
        const uint8_t *pb = label_at(b, --nb, &lb);
        if (la != lb || memcmp(pa, pb, la) != 0)
            break;
        common++;
    }
    return common;
}

bool verify_dn_is_subdomain(const verify_dn_name_t *child, const verify_dn_name_t *parent)
{
    return child->labels >= parent->labels &&
           verify_dn_common_labels(child, parent) == parent->labels;
}

void verify_dn_ancestor(const verify_dn_name_t *n, unsigned keep, verify_dn_name_t *out)
{
    unsigned drop = n->labels - keep;
    unsigned start = keep == 0 ? (unsigned)n->len - 1 : n->off[drop];

    out->len = (uint8_t)(n->len - start);
    out->labels = (uint8_t)keep;
    memcpy(out->wire, n->wire + start, out->len);
    for (unsigned i = 0; i < keep; i++)
        out->off[i] = (uint8_t)(n->off[drop + i] - start);
}

int verify_dn_wildcard(const verify_dn_name_t *n, verify_dn_name_t *out)
{
    if ((size_t)n->len + 2 > LDNS_MAX_DOMAINLEN || n->labels + 1u > sizeof out->off)
        return -1;
    out->wire[0] = 1;
    out->wire[1] = '*';
    memcpy(out->wire + 2, n->wire, n->len);
    out->len = (uint8_t)(n->len + 2);
    out->labels = (uint8_t)(n->labels + 1);
    out->off[0] = 0;
    for (unsigned i = 0; i < n->labels; i++)
        out->off[i + 1] = (uint8_t)(n->off[i] + 2);
    return 0;
}

const char *verify_dn_to_str(const verify_dn_name_t *n, char *buf, size_t len)
{
    size_t used = 0;

    if (len == 0)
        return buf;
    buf[0] = '\0';
    if (n->labels == 0) {
        snprintf(buf, len, ".");
        return buf;
    }
    for (unsigned i = 0; i < n->labels; i++) {
        unsigned l;
        const uint8_t *p = label_at(n, i, &l);
        for (unsigned j = 0; j < l && used + 5 < len; j++) {
            uint8_t ch = p[j];
            if (ch == '.' || ch == '\\')
                used += (size_t)snprintf(buf + used, len - used, "\\%c", ch);
            else if (ch <= 0x20 || ch >= 0x7f)
                used += (size_t)snprintf(buf + used, len - used, "\\%03u", ch);
            else
                buf[used++] = (char)ch;
        }
        if (used + 1 < len)
            buf[used++] = '.';
        buf[used] = '\0';
    }
    return buf;
}

bool verify_dn_bitmap_has(const ldns_rdf *bitmap, uint16_t type)
{
    const uint8_t *p;
    size_t len, pos = 0;
    unsigned window = type >> 8, bit = type & 0xff;

    if (!bitmap)
        return false;
    p = ldns_rdf_data(bitmap);
    len = ldns_rdf_size(bitmap);
    /* Windows: number, length (1..32), that many bitmap octets; in increasing order. */
    while (pos + 2 <= len) {
        unsigned win = p[pos], wlen = p[pos + 1];
        if (wlen == 0 || wlen > 32 || pos + 2 + wlen > len)
            return false;
        if (win == window)
            return bit / 8 < wlen && (p[pos + 2 + bit / 8] & (0x80 >> (bit % 8))) != 0;
        pos += 2 + wlen;
    }
    return false;
}

const char *verify_dn_type_str(uint16_t type, char *buf, size_t len)
{
    const ldns_rr_descriptor *d = ldns_rr_descript(type);

    if (d && d->_name && strncmp(d->_name, "TYPE", 4) != 0)
        snprintf(buf, len, "%s", d->_name);
    else
        snprintf(buf, len, "TYPE%u", type);
    return buf;
}

void verify_dn_detail(char *detail, size_t len, const char *fmt, ...)
{
    va_list ap;

    if (!detail || len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(detail, len, fmt, ap);
    va_end(ap);
}

static bool has_type(const ldns_rr_list *records, ldns_rr_type type)
{
    size_t n = records ? ldns_rr_list_rr_count(records) : 0;

    for (size_t i = 0; i < n; i++)
        if (ldns_rr_get_type(ldns_rr_list_rr(records, i)) == type)
            return true;
    return false;
}

/* Parses the query's names; on failure writes the detail and returns false. */
static bool ctx_init(verify_dn_ctx_t *c, const verify_denial_query_t *q, char *detail,
                     size_t detail_len)
{
    c->q = q;
    if (verify_dn_name_from_rdf(&c->zone, q->zone) != 0 ||
        verify_dn_name_from_rdf(&c->qname, q->qname) != 0) {
        verify_dn_detail(detail, detail_len, "zone or qname is not a valid domain name");
        return false;
    }
    if (!verify_dn_is_subdomain(&c->qname, &c->zone)) {
        char zs[LDNS_MAX_DOMAINLEN * 4], qs[LDNS_MAX_DOMAINLEN * 4];
        verify_dn_detail(detail, detail_len, "qname %s is not in zone %s",
                         verify_dn_to_str(&c->qname, qs, sizeof qs),
                         verify_dn_to_str(&c->zone, zs, sizeof zs));
        return false;
    }
    return true;
}

static verify_denial_result_t check(const verify_denial_query_t *q, int wildcard_labels,
                                    char *detail, size_t detail_len)
{
    verify_dn_ctx_t c;
    bool nsec, nsec3;
    verify_denial_result_t r;

    verify_dn_detail(detail, detail_len, "%s", "");
    if (!q || !q->zone || !q->qname) {
        verify_dn_detail(detail, detail_len, "no query");
        return VERIFY_DENIAL_MISSING;
    }
    nsec = has_type(q->records, LDNS_RR_TYPE_NSEC);
    nsec3 = has_type(q->records, LDNS_RR_TYPE_NSEC3);
    if (!nsec && !nsec3) {
        verify_dn_detail(detail, detail_len, "no NSEC or NSEC3 record in the answer");
        return VERIFY_DENIAL_MISSING;
    }
    if (!ctx_init(&c, q, detail, detail_len))
        return VERIFY_DENIAL_INVALID;
    if (wildcard_labels >= 0 &&
        (wildcard_labels >= c.qname.labels || wildcard_labels < c.zone.labels)) {
        verify_dn_detail(detail, detail_len,
                         "RRSIG labels %d impossible for a wildcard answer at a %u-label qname "
                         "in a %u-label zone",
                         wildcard_labels, c.qname.labels, c.zone.labels);
        return VERIFY_DENIAL_INVALID;
    }
    if (nsec3) {
        r = verify_dn_nsec3_check(&c, wildcard_labels, detail, detail_len);
        /* A zone moving between NSEC and NSEC3 may serve both: either chain may prove it. */
        if (r == VERIFY_DENIAL_PROVEN || !nsec)
            return r;
    }
    return verify_dn_nsec_check(&c, wildcard_labels, detail, detail_len);
}

/* check() with a per-call hashing budget when the caller gave none: hashing is never free. */
static verify_denial_result_t check_budgeted(const verify_denial_query_t *q, int wildcard_labels,
                                             char *detail, size_t detail_len)
{
    if (!q || q->budget)
        return check(q, wildcard_labels, detail, detail_len);
    verify_budget_t call;
    verify_denial_query_t with = *q;
    verify_dn_budget_default(&call);
    with.budget = &call;
    return check(&with, wildcard_labels, detail, detail_len);
}

verify_denial_result_t verify_denial_check(const verify_denial_query_t *q, char *detail,
                                           size_t detail_len)
{
    return check_budgeted(q, -1, detail, detail_len);
}

verify_denial_result_t verify_denial_check_wildcard(const verify_denial_query_t *q,
                                                    uint8_t rrsig_labels, char *detail,
                                                    size_t detail_len)
{
    return check_budgeted(q, rrsig_labels, detail, detail_len);
}

static const text_code_t denial_result_names[] = {
    {VERIFY_DENIAL_PROVEN, "proven"},
    {VERIFY_DENIAL_OPTOUT, "optout"},
    {VERIFY_DENIAL_MISSING, "missing"},
    {VERIFY_DENIAL_INVALID, "invalid"},
    {VERIFY_DENIAL_INSECURE_ITERATIONS, "insecure-iterations"},
};

const char *verify_denial_result_name(verify_denial_result_t result)
{
    const char *name =
        text_of_code(denial_result_names,
                     sizeof denial_result_names / sizeof denial_result_names[0], (int)result);
    return name ? name : "unknown";
}

int verify_dname_canonical_compare(const ldns_rdf *a, const ldns_rdf *b)
{
    verify_dn_name_t na, nb;
    int bad_a = verify_dn_name_from_rdf(&na, a), bad_b = verify_dn_name_from_rdf(&nb, b);

    /* Malformed names sort first, deterministically, so sorting never fails. */
    if (bad_a || bad_b)
        return bad_a && bad_b ? 0 : bad_a ? -1 : 1;
    return verify_dn_compare(&na, &nb);
}

int verify_nsec3_params_get(const ldns_rr_list *records, verify_nsec3_params_t *out)
{
    size_t n = records ? ldns_rr_list_rr_count(records) : 0;

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const ldns_rr *rr = ldns_rr_list_rr(records, i);
        const ldns_rdf *alg, *flags, *iter, *salt;
        uint16_t iterations;
        uint8_t salt_len;

        if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3 || ldns_rr_rd_count(rr) < 5)
            continue;
        alg = ldns_rr_rdf(rr, 0);
        flags = ldns_rr_rdf(rr, 1);
        iter = ldns_rr_rdf(rr, 2);
        salt = ldns_rr_rdf(rr, 3);
        if (ldns_rdf_size(alg) != 1 || ldns_rdf_size(flags) != 1 || ldns_rdf_size(iter) != 2 ||
            ldns_rdf_size(salt) < 1 || ldns_rdf_size(salt) != 1u + ldns_rdf_data(salt)[0])
            continue;
        iterations = ldns_rdf2native_int16(iter);
        salt_len = ldns_rdf_data(salt)[0];
        if (out->count == 0) {
            out->algorithm = ldns_rdf2native_int8(alg);
            out->flags = ldns_rdf2native_int8(flags);
            out->iterations = iterations;
            out->salt_len = salt_len;
            memcpy(out->salt, ldns_rdf_data(salt) + 1, salt_len);
        } else if (out->algorithm != ldns_rdf2native_int8(alg) || out->iterations != iterations ||
                   out->salt_len != salt_len ||
                   memcmp(out->salt, ldns_rdf_data(salt) + 1, salt_len) != 0) {
            out->mixed = true;
            if (iterations > out->iterations)
                out->iterations = iterations;
            if (salt_len > out->salt_len) {
                out->salt_len = salt_len;
                memcpy(out->salt, ldns_rdf_data(salt) + 1, salt_len);
            }
        }
        if (ldns_rdf2native_int8(flags) & LDNS_NSEC3_VARS_OPTOUT_MASK)
            out->optout = true;
        out->count++;
    }
    return out->count > (size_t)INT32_MAX ? INT32_MAX : (int)out->count;
}
