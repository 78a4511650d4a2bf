/*
 * Canonical form and ordering of RRsets and the data an RRSIG signs (RFC 4034 §3.1.8.1, §6).
 * Everything is written straight into one ldns_buffer: no RR clones on the hot path.
 */
#include "verify/sig_internal.h"

#include <stdlib.h>
#include <string.h>

/* RDATA names are lower-cased for these types (RFC 4034 §6.2 as corrected by RFC 6840 §5.1:
 * NSEC is not in the list, RRSIG is). */
static bool type_has_canonical_names(ldns_rr_type t)
{
    switch ((int)t) {
    case LDNS_RR_TYPE_NS:
    case LDNS_RR_TYPE_MD:
    case LDNS_RR_TYPE_MF:
    case LDNS_RR_TYPE_CNAME:
    case LDNS_RR_TYPE_SOA:
    case LDNS_RR_TYPE_MB:
    case LDNS_RR_TYPE_MG:
    case LDNS_RR_TYPE_MR:
    case LDNS_RR_TYPE_PTR:
    case LDNS_RR_TYPE_MINFO:
    case LDNS_RR_TYPE_MX:
    case LDNS_RR_TYPE_RP:
    case LDNS_RR_TYPE_AFSDB:
    case LDNS_RR_TYPE_RT:
    case LDNS_RR_TYPE_SIG:
    case LDNS_RR_TYPE_PX:
    case LDNS_RR_TYPE_NXT:
    case LDNS_RR_TYPE_NAPTR:
    case LDNS_RR_TYPE_KX:
    case LDNS_RR_TYPE_SRV:
    case LDNS_RR_TYPE_DNAME:
    case LDNS_RR_TYPE_A6:
    case LDNS_RR_TYPE_RRSIG:
        return true;
    default:
        return false;
    }
}

/* Appends a wire name in lower case. Label length octets are < 64, so a byte-wise tolower
 * only ever touches label text. */
static void write_lower_name(ldns_buffer *buf, const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = name[i];
        ldns_buffer_write_u8(buf, (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c);
    }
}

static int write_canonical_rdata(ldns_buffer *buf, const ldns_rr *rr)
{
    bool lower = type_has_canonical_names(verify_rr_type(rr));
    for (size_t i = 0; i < verify_rr_fields(rr); i++) {
        const ldns_rdf *rdf = verify_rr_field(rr, i);
        if (!ldns_buffer_reserve(buf, verify_rdf_size(rdf)))
            return VERIFY_ENOMEM;
        if (lower && ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME)
            write_lower_name(buf, verify_rdf_data(rdf), verify_rdf_size(rdf));
        else
            ldns_buffer_write(buf, verify_rdf_data(rdf), verify_rdf_size(rdf));
    }
    return 0;
}

bool verify_sig_rr_complete(const ldns_rr *rr, size_t n)
{
    if (!rr || verify_rr_fields(rr) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!verify_rr_field(rr, i))
            return false;
    return true;
}

/* All fields present, whatever their number (the RRs of an RRset). */
static bool rr_fields_present(const ldns_rr *rr)
{
    return verify_sig_rr_complete(rr, verify_rr_fields(rr));
}

int verify_sig_rdata_wire(const ldns_rr *rr, ldns_buffer *buf)
{
    if (!rr_fields_present(rr))
        return VERIFY_EINVAL;
    for (size_t i = 0; i < verify_rr_fields(rr); i++) {
        const ldns_rdf *rdf = verify_rr_field(rr, i);
        if (!ldns_buffer_reserve(buf, verify_rdf_size(rdf)))
            return VERIFY_ENOMEM;
        ldns_buffer_write(buf, verify_rdf_data(rdf), verify_rdf_size(rdf));
    }
    return 0;
}

long verify_sig_rdata_copy(const ldns_rr *rr, uint8_t *out, size_t cap)
{
    size_t off = 0;
    if (!rr_fields_present(rr))
        return -1;
    for (size_t i = 0; i < verify_rr_fields(rr); i++) {
        const ldns_rdf *rdf = verify_rr_field(rr, i);
        if (off + verify_rdf_size(rdf) > cap)
            return -1;
        memcpy(out + off, verify_rdf_data(rdf), verify_rdf_size(rdf));
        off += verify_rdf_size(rdf);
    }
    return (long)off;
}

/* Label count of a wire name, root excluded. */
static unsigned wire_label_count(const uint8_t *name, size_t len)
{
    unsigned n = 0;
    size_t i = 0;
    while (i < len && name[i] != 0) {
        n++;
        i += (size_t)name[i] + 1;
    }
    return n;
}

unsigned verify_sig_rrsig_label_count(const ldns_rdf *name)
{
    const uint8_t *d = verify_rdf_data(name);
    unsigned n = wire_label_count(d, verify_rdf_size(name));
    if (n > 0 && d[0] == 1 && d[1] == '*')
        n--;
    return n;
}

/* Owner as signed: "*." + the rightmost `labels` labels when the RRSIG says the answer came
 * from a wildcard (RFC 4035 §5.3.2). */
static int write_owner(ldns_buffer *buf, const ldns_rdf *owner, unsigned labels)
{
    const uint8_t *d = verify_rdf_data(owner);
    size_t len = verify_rdf_size(owner);
    unsigned count = wire_label_count(d, len);
    if (labels > count)
        return VERIFY_EINVAL;
    if (!ldns_buffer_reserve(buf, len + 2))
        return VERIFY_ENOMEM;
    size_t off = 0;
    if (labels < count) {
        for (unsigned skip = count - labels; skip > 0; skip--)
            off += (size_t)d[off] + 1;
        ldns_buffer_write_u8(buf, 1);
        ldns_buffer_write_u8(buf, '*');
    }
    write_lower_name(buf, d + off, len - off);
    return 0;
}

struct canon_rr {
    size_t start;       /* offset of the RR in the scratch buffer */
    size_t rdata_start; /* offset of its RDATA */
    size_t end;
    const uint8_t *base;
};

static int compare_canon_rr(const void *pa, const void *pb)
{
    const struct canon_rr *a = pa, *b = pb;
    size_t la = a->end - a->rdata_start, lb = b->end - b->rdata_start;
    int c = memcmp(a->base + a->rdata_start, b->base + b->rdata_start, la < lb ? la : lb);
    if (c != 0)
        return c;
    return la < lb ? -1 : la > lb ? 1 : 0;
}

int verify_signed_data(const ldns_rr_list *rrset, const ldns_rr *rrsig, ldns_buffer *out)
{
    int rc = VERIFY_EINVAL;
    ldns_buffer *scratch = NULL;
    struct canon_rr *rrs = NULL;
    size_t n = rrset ? verify_rr_count(rrset) : 0;

    if (n == 0 || !verify_sig_rr_complete(rrsig, 9) || verify_rr_type(rrsig) != LDNS_RR_TYPE_RRSIG)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (!rr_fields_present(verify_rr_at(rrset, i)) || !verify_rr_owner(verify_rr_at(rrset, i)))
            goto fail;
    unsigned labels = ldns_rdf2native_int8(verify_rr_field(rrsig, 2));
    uint32_t orig_ttl = ldns_rdf2native_int32(verify_rr_field(rrsig, 3));

    /* RRSIG RDATA without the signature; the signer's name in canonical form. */
    for (size_t i = 0; i < 8; i++) {
        const ldns_rdf *rdf = verify_rr_field(rrsig, i);
        if (!ldns_buffer_reserve(out, verify_rdf_size(rdf)))
            goto nomem;
        if (i == 7)
            write_lower_name(out, verify_rdf_data(rdf), verify_rdf_size(rdf));
        else
            ldns_buffer_write(out, verify_rdf_data(rdf), verify_rdf_size(rdf));
    }

    scratch = ldns_buffer_new(512);
    rrs = calloc(n, sizeof *rrs);
    if (!scratch || !rrs)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const ldns_rr *rr = verify_rr_at(rrset, i);
        rrs[i].start = ldns_buffer_position(scratch);
        rc = write_owner(scratch, verify_rr_owner(rr), labels);
        if (rc < 0)
            goto fail;
        if (!ldns_buffer_reserve(scratch, 10))
            goto nomem;
        ldns_buffer_write_u16(scratch, (uint16_t)verify_rr_type(rr));
        ldns_buffer_write_u16(scratch, (uint16_t)ldns_rr_get_class(rr));
        ldns_buffer_write_u32(scratch, orig_ttl);
        size_t rdlen_pos = ldns_buffer_position(scratch);
        ldns_buffer_write_u16(scratch, 0);
        rrs[i].rdata_start = ldns_buffer_position(scratch);
        rc = write_canonical_rdata(scratch, rr);
        if (rc < 0)
            goto fail;
        rrs[i].end = ldns_buffer_position(scratch);
        size_t rdlen = rrs[i].end - rrs[i].rdata_start;
        if (rdlen > 0xffff) {
            rc = VERIFY_EINVAL;
            goto fail;
        }
        ldns_buffer_write_u16_at(scratch, rdlen_pos, (uint16_t)rdlen);
    }
    for (size_t i = 0; i < n; i++)
        rrs[i].base = ldns_buffer_begin(scratch);
    qsort(rrs, n, sizeof *rrs, compare_canon_rr);

    for (size_t i = 0; i < n; i++) {
        if (i > 0 && compare_canon_rr(&rrs[i - 1], &rrs[i]) == 0)
            continue; /* duplicates count once (RFC 4034 §6.3) */
        size_t len = rrs[i].end - rrs[i].start;
        if (!ldns_buffer_reserve(out, len))
            goto nomem;
        ldns_buffer_write(out, rrs[i].base + rrs[i].start, len);
    }
    rc = 0;
    goto fail;
nomem:
    rc = VERIFY_ENOMEM;
fail:
    free(rrs);
    ldns_buffer_free(scratch);
    return rc;
}
