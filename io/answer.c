/*
 * Answers parsed into one block of memory: the same ldns_pkt, RRs and rdfs that ldns_wire2pkt()
 * (libldns 1.8.3, wire2host.c) builds, field for field, but carved out of a per-answer arena
 * instead of ~100 separate malloc/realloc calls per answer. The walk below mirrors ldns's
 * wire2dname / wire2rdf / wire2rr / wire2pkt step by step (same checks, same order, same
 * leftovers), so every verdict computed from the packet is unchanged; tests/unit/test_answer.c
 * compares both parsers on real and mutated answers.
 *
 * The structs are ldns's public ones (ldns/packet.h, rr.h, rdata.h), so every read-only ldns
 * accessor works on them. Nothing in the block may be freed, pushed to or resized by ldns:
 * io_answer_free() releases the whole answer at once.
 */
#include "io/internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Arena chunks after the first one (rare: only answers with many compressed names). */
typedef struct answer_chunk {
    struct answer_chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) uint8_t mem[];
} answer_chunk_t;

/* The packet is the first member, so io_answer_free() finds the block from the ldns_pkt. */
typedef struct answer_block {
    ldns_pkt pkt;
    ldns_hdr hdr;
    ldns_rr_list sections[4];
    answer_chunk_t *extra; /* overflow chunks, newest first */
    uint8_t *cur;          /* where the next allocation goes */
    size_t left;           /* bytes free at cur */
    size_t grow;           /* size of the next overflow chunk */
    bool fold_owners;      /* io_answer_parse_folded(): owners copied in ASCII lower case */
    _Alignas(max_align_t) uint8_t mem[];
} answer_block_t;

/* Bytes of the first chunk for an answer of len bytes: enough for the usual answer (RR, rdf
 * and pointer structs plus the copied wire) so that one malloc serves the whole answer. */
static size_t first_chunk_size(size_t len)
{
    return 4 * len + 512;
}

static void *arena_alloc(answer_block_t *b, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n > b->left) {
        size_t cap = n > b->grow ? n : b->grow;
        answer_chunk_t *c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = b->extra;
        b->extra = c;
        b->cur = c->mem;
        b->left = cap;
    }
    void *p = b->cur;
    b->cur += n;
    b->left -= n;
    return p;
}

/* The structs are filled field by field rather than through ldns's setters (ldns_rdf_set_size,
 * ldns_rr_set_type...): those are library calls, made for every field of every RR, and a KeyTrap
 * answer of 800 RRSIGs spent more time in them than in the parse itself. */
static ldns_rdf *new_rdf(answer_block_t *b, ldns_rdf_type type, size_t size, void *data)
{
    ldns_rdf *r = arena_alloc(b, sizeof *r);
    if (r) {
        r->_type = type;
        r->_size = size;
        r->_data = data;
    }
    return r;
}

/* ldns_rr_descriptor_maximum() and ldns_rr_descriptor_field_type() (libldns 1.8.3, rr.c), read
 * from the descriptor's public struct for the same reason. */
static size_t descriptor_maximum(const ldns_rr_descriptor *desc)
{
    return desc->_variable != LDNS_RDF_TYPE_NONE ? UINT_MAX : desc->_maximum;
}

static ldns_rdf_type descriptor_field_type(const ldns_rr_descriptor *desc, size_t index)
{
    return index < desc->_maximum ? desc->_wireformat[index] : desc->_variable;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ASCII upper case to lower case in place, eight bytes at a time: a byte gets 0x20 added when
 * it lies in 'A'..'Z' (below 0x80, at least 'A', at most 'Z'). */
static void fold_ascii(uint8_t *p, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        uint64_t low7 = w & ~high;
        uint64_t at_least_a = low7 + (0x80 - 'A') * ones; /* high bit set from 'A' up */
        uint64_t above_z = low7 + (0x7f - 'Z') * ones;    /* high bit set above 'Z' */
        uint64_t upper = (at_least_a ^ above_z) & ~w & high;
        w |= upper >> 2;
        memcpy(p + i, &w, sizeof w);
    }
    for (; i < len; i++)
        if (p[i] >= 'A' && p[i] <= 'Z')
            p[i] = (uint8_t)(p[i] + 32);
}

/* ldns_wire2dname(), step for step; fold: label bytes copied in ASCII lower case (length bytes
 * are below 64, never a letter, so the whole name can be folded). */
static bool parse_dname(answer_block_t *b, ldns_rdf **out, const uint8_t *wire, size_t max,
                        size_t *pos, bool fold)
{
    uint8_t label_size;
    size_t dname_pos = 0, compression_pos = 0;
    uint8_t tmp[LDNS_MAX_DOMAINLEN];
    unsigned int pointer_count = 0;

    if (*pos >= max)
        return false;
    label_size = wire[*pos];
    while (label_size > 0) {
        while (label_size >= 192) {
            if (compression_pos == 0)
                compression_pos = *pos + 2;
            pointer_count++;
            if (*pos + 2 > max)
                return false;
            uint16_t target = (uint16_t)((wire[*pos] & 63) << 8 | wire[*pos + 1]);
            if (target == 0 || target >= max || pointer_count > LDNS_MAX_POINTERS)
                return false;
            *pos = target;
            label_size = wire[*pos];
        }
        if (label_size == 0)
            break;
        if (label_size > LDNS_MAX_LABELLEN || *pos + 1 + label_size > max)
            return false;
        if (dname_pos + 1 > LDNS_MAX_DOMAINLEN)
            return false;
        tmp[dname_pos++] = label_size;
        *pos += 1;
        if (dname_pos + label_size > LDNS_MAX_DOMAINLEN)
            return false;
        memcpy(tmp + dname_pos, wire + *pos, label_size);
        dname_pos += label_size;
        *pos += label_size;
        /* At the end of the message ldns keeps the previous label size, which then fails the
         * bounds check above: the same here. */
        if (*pos < max)
            label_size = wire[*pos];
    }
    *pos = compression_pos > 0 ? compression_pos : *pos + 1;
    if (dname_pos >= LDNS_MAX_DOMAINLEN)
        return false;
    tmp[dname_pos++] = 0;
    uint8_t *data = arena_alloc(b, dname_pos);
    if (!data)
        return false;
    memcpy(data, tmp, dname_pos);
    if (fold)
        fold_ascii(data, dname_pos);
    *out = new_rdf(b, LDNS_RDF_TYPE_DNAME, dname_pos, data);
    return *out != NULL;
}

/* Length of a non-name rdata field of type t at wire[pos] as ldns_wire2rdf() computes it (0:
 * ldns reads nothing for this field type). */
static size_t field_length(ldns_rdf_type t, const uint8_t *wire, size_t pos, size_t end,
                           bool *overflow)
{
    switch (t) {
    case LDNS_RDF_TYPE_CLASS:
    case LDNS_RDF_TYPE_ALG:
    case LDNS_RDF_TYPE_CERTIFICATE_USAGE:
    case LDNS_RDF_TYPE_SELECTOR:
    case LDNS_RDF_TYPE_MATCHING_TYPE:
    case LDNS_RDF_TYPE_INT8:
        return LDNS_RDF_SIZE_BYTE;
    case LDNS_RDF_TYPE_TYPE:
    case LDNS_RDF_TYPE_INT16:
    case LDNS_RDF_TYPE_CERT_ALG:
        return LDNS_RDF_SIZE_WORD;
    case LDNS_RDF_TYPE_TIME:
    case LDNS_RDF_TYPE_INT32:
    case LDNS_RDF_TYPE_A:
    case LDNS_RDF_TYPE_PERIOD:
        return LDNS_RDF_SIZE_DOUBLEWORD;
    case LDNS_RDF_TYPE_TSIGTIME:
    case LDNS_RDF_TYPE_EUI48:
        return LDNS_RDF_SIZE_6BYTES;
    case LDNS_RDF_TYPE_ILNP64:
    case LDNS_RDF_TYPE_EUI64:
        return LDNS_RDF_SIZE_8BYTES;
    case LDNS_RDF_TYPE_AAAA:
        return LDNS_RDF_SIZE_16BYTES;
    case LDNS_RDF_TYPE_STR:
    case LDNS_RDF_TYPE_NSEC3_SALT:
    case LDNS_RDF_TYPE_TAG:
    case LDNS_RDF_TYPE_B32_EXT:
    case LDNS_RDF_TYPE_NSEC3_NEXT_OWNER:
        return (size_t)wire[pos] + 1;
    case LDNS_RDF_TYPE_INT16_DATA:
        if (pos + 2 > end) {
            *overflow = true;
            return 0;
        }
        return (size_t)rd16(wire + pos) + 2;
    case LDNS_RDF_TYPE_HIP:
        if (pos + 4 > end) {
            *overflow = true;
            return 0;
        }
        return (size_t)wire[pos] + rd16(wire + pos + 2) + 4;
    case LDNS_RDF_TYPE_APL:
    case LDNS_RDF_TYPE_B64:
    case LDNS_RDF_TYPE_HEX:
    case LDNS_RDF_TYPE_NSEC:
    case LDNS_RDF_TYPE_UNKNOWN:
    case LDNS_RDF_TYPE_SERVICE:
    case LDNS_RDF_TYPE_LOC:
    case LDNS_RDF_TYPE_WKS:
    case LDNS_RDF_TYPE_NSAP:
    case LDNS_RDF_TYPE_ATMA:
    case LDNS_RDF_TYPE_IPSECKEY:
    case LDNS_RDF_TYPE_LONG_STR:
    case LDNS_RDF_TYPE_AMTRELAY:
    case LDNS_RDF_TYPE_SVCPARAMS:
    case LDNS_RDF_TYPE_NONE:
        return end - pos;
    default:
        return 0;
    }
}

/* An RRSIG's fields (RFC 4034 3.1) as ldns describes them: seven fixed-size ones (18 bytes),
 * the signer's name, the signature. */
static const ldns_rdf_type RRSIG_LAYOUT[9] = {
    LDNS_RDF_TYPE_TYPE,  LDNS_RDF_TYPE_ALG,   LDNS_RDF_TYPE_INT8,
    LDNS_RDF_TYPE_INT32, LDNS_RDF_TYPE_TIME,  LDNS_RDF_TYPE_TIME,
    LDNS_RDF_TYPE_INT16, LDNS_RDF_TYPE_DNAME, LDNS_RDF_TYPE_B64};
static const uint8_t RRSIG_FIXED[7] = {2, 1, 1, 4, 4, 4, 2};
#define RRSIG_FIXED_BYTES 18

static bool rrsig_layout(const ldns_rr_descriptor *desc)
{
    return desc->_maximum == 9 && desc->_variable == LDNS_RDF_TYPE_NONE &&
           memcmp(desc->_wireformat, RRSIG_LAYOUT, sizeof RRSIG_LAYOUT) == 0;
}

/* parse_rdata()'s field loop for an RRSIG whose RDATA holds at least the seven fixed fields:
 * the same fields, sizes and stops (the signature only when bytes are left after the signer's
 * name, the position left wherever the name ended), with the rdfs and their pointers in two
 * allocations instead of ten. A KeyTrap answer is hundreds of RRSIGs. */
static bool parse_rrsig(answer_block_t *b, ldns_rr *rr, const uint8_t *wire, uint8_t *copy,
                        size_t max, size_t *pos, size_t end)
{
    ldns_rdf *rdfs = arena_alloc(b, 8 * sizeof *rdfs);
    ldns_rdf **fields = arena_alloc(b, 9 * sizeof *fields);
    if (!rdfs || !fields)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < 7; i++) {
        rdfs[i]._type = RRSIG_LAYOUT[i];
        rdfs[i]._size = RRSIG_FIXED[i];
        rdfs[i]._data = copy + *pos;
        fields[n++] = &rdfs[i];
        *pos += RRSIG_FIXED[i];
    }
    if (*pos < end) {
        if (!parse_dname(b, &fields[n], wire, max, pos, false))
            return false;
        n++;
        if (*pos < end) {
            rdfs[7]._type = RRSIG_LAYOUT[8];
            rdfs[7]._size = end - *pos;
            rdfs[7]._data = copy + *pos;
            fields[n++] = &rdfs[7];
            *pos = end;
        }
    }
    rr->_rdata_fields = fields;
    rr->_rd_count = n;
    return true;
}

/* Up to this many rdata fields per RR are gathered on the stack; an RR with more (a TXT of
 * many short strings) gathers them in a heap buffer. */
#define FIELDS_ON_STACK 64

/* ldns_wire2rdf(): the rdata fields of rr. Field data is not copied: it points into the
 * block's copy of the message (copy), at the same offsets as in wire. */
static bool parse_rdata(answer_block_t *b, ldns_rr *rr, const uint8_t *wire, uint8_t *copy,
                        size_t max, size_t *pos)
{
    const ldns_rr_descriptor *desc = ldns_rr_descript(rr->_rr_type);
    size_t max_fields = descriptor_maximum(desc);
    if (*pos + 2 > max)
        return false;
    uint16_t rd_length = rd16(wire + *pos);
    *pos += 2;
    if (*pos + rd_length > max)
        return false;
    size_t end = *pos + rd_length;
    if (rr->_rr_type == LDNS_RR_TYPE_RRSIG && rd_length >= RRSIG_FIXED_BYTES && rrsig_layout(desc))
        return parse_rrsig(b, rr, wire, copy, max, pos, end);

    ldns_rdf *stack[FIELDS_ON_STACK], **fields = stack, **heap = NULL;
    size_t n = 0, cap = FIELDS_ON_STACK;
    bool ok = false;
    /* uint8_t as in ldns: with a variable-length descriptor (maximum 65535) the index wraps,
     * which only matters for the field type lookup of variable fields (always the same). */
    uint8_t index = 0;
    while (*pos < end && index < max_fields) {
        ldns_rdf_type t = descriptor_field_type(desc, index);
        ldns_rdf *rdf = NULL;
        if (t == LDNS_RDF_TYPE_DNAME) {
            if (!parse_dname(b, &rdf, wire, max, pos, false))
                goto done;
        } else {
            bool overflow = false;
            size_t flen = field_length(t, wire, *pos, end, &overflow);
            if (overflow || flen + *pos > end)
                goto done;
            if (flen > 0) {
                rdf = new_rdf(b, t, flen, copy + *pos);
                if (!rdf)
                    goto done;
                *pos += flen;
            }
        }
        if (rdf) {
            if (n == cap) {
                ldns_rdf **bigger = realloc(heap, 2 * cap * sizeof *bigger);
                if (!bigger)
                    goto done;
                if (!heap)
                    memcpy(bigger, stack, n * sizeof *bigger);
                heap = fields = bigger;
                cap *= 2;
            }
            fields[n++] = rdf;
        }
        index++;
    }
    if (n > 0) {
        rr->_rdata_fields = arena_alloc(b, n * sizeof *rr->_rdata_fields);
        if (!rr->_rdata_fields)
            goto done;
        memcpy(rr->_rdata_fields, fields, n * sizeof *fields);
    }
    rr->_rd_count = n;
    ok = true;
done:
    free(heap);
    return ok;
}

/* ldns_wire2rr() followed by ldns_rr_new()'s defaults. */
static ldns_rr *parse_rr(answer_block_t *b, const uint8_t *wire, uint8_t *copy, size_t max,
                         size_t *pos, bool question)
{
    ldns_rr *rr = arena_alloc(b, sizeof *rr);
    if (!rr)
        return NULL;
    memset(rr, 0, sizeof *rr);
    rr->_ttl = LDNS_DEFAULT_TTL;
    rr->_rr_class = LDNS_RR_CLASS_IN;
    if (!parse_dname(b, &rr->_owner, wire, max, pos, b->fold_owners))
        return NULL;
    if (*pos + 4 > max)
        return NULL;
    rr->_rr_type = rd16(wire + *pos);
    rr->_rr_class = rd16(wire + *pos + 2);
    *pos += 4;
    if (!question) {
        if (*pos + 4 > max)
            return NULL;
        rr->_ttl = rd32(wire + *pos);
        *pos += 4;
        if (!parse_rdata(b, rr, wire, copy, max, pos))
            return NULL;
    }
    rr->_rr_question = question;
    return rr;
}

/* A section list with room for every RR the header announces that could fit in the message
 * (a question takes at least 5 bytes, another RR 11): no RR is ever pushed after parsing. */
static bool section_init(answer_block_t *b, ldns_rr_list *list, size_t count, size_t len)
{
    size_t fit = len / 5 + 1;
    size_t cap = count < fit ? count : fit;
    list->_rr_count = 0;
    list->_rr_capacity = cap;
    list->_rrs = NULL;
    if (cap > 0) {
        list->_rrs = arena_alloc(b, cap * sizeof *list->_rrs);
        if (!list->_rrs)
            return false;
    }
    return true;
}

static bool section_add(ldns_rr_list *list, ldns_rr *rr)
{
    if (list->_rr_count == list->_rr_capacity)
        return false;
    list->_rrs[list->_rr_count++] = rr;
    return true;
}

/* ldns_wire2pkt() after ldns_pkt_new(). */
static bool parse_message(answer_block_t *b, const uint8_t *wire, size_t max)
{
    ldns_pkt *p = &b->pkt;
    if (max < LDNS_HEADER_SIZE)
        return false;
    uint8_t *copy = arena_alloc(b, max);
    if (!copy)
        return false;
    memcpy(copy, wire, max);
    ldns_pkt_set_id(p, LDNS_ID_WIRE(wire));
    ldns_pkt_set_qr(p, LDNS_QR_WIRE(wire));
    ldns_pkt_set_opcode(p, LDNS_OPCODE_WIRE(wire));
    ldns_pkt_set_aa(p, LDNS_AA_WIRE(wire));
    ldns_pkt_set_tc(p, LDNS_TC_WIRE(wire));
    ldns_pkt_set_rd(p, LDNS_RD_WIRE(wire));
    ldns_pkt_set_ra(p, LDNS_RA_WIRE(wire));
    ldns_pkt_set_ad(p, LDNS_AD_WIRE(wire));
    ldns_pkt_set_cd(p, LDNS_CD_WIRE(wire));
    ldns_pkt_set_rcode(p, LDNS_RCODE_WIRE(wire));
    ldns_pkt_set_qdcount(p, LDNS_QDCOUNT(wire));
    ldns_pkt_set_ancount(p, LDNS_ANCOUNT(wire));
    ldns_pkt_set_nscount(p, LDNS_NSCOUNT(wire));
    ldns_pkt_set_arcount(p, LDNS_ARCOUNT(wire));

    size_t pos = LDNS_HEADER_SIZE;
    const uint16_t counts[4] = {LDNS_QDCOUNT(wire), LDNS_ANCOUNT(wire), LDNS_NSCOUNT(wire),
                                LDNS_ARCOUNT(wire)};
    for (int s = 0; s < 4; s++)
        if (!section_init(b, &b->sections[s], counts[s], max))
            return false;
    uint8_t have_edns = 0;
    for (int s = 0; s < 4; s++) {
        /* As in ldns, the additional section's bound is re-read on every round: a TSIG RR
         * lowers ARCOUNT, so one RR fewer is read after it. */
        for (uint16_t i = 0; i < (s == LDNS_SECTION_ADDITIONAL ? ldns_pkt_arcount(p) : counts[s]);
             i++) {
            ldns_rr *rr = parse_rr(b, wire, copy, max, &pos, s == LDNS_SECTION_QUESTION);
            if (!rr)
                return false;
            if (s == LDNS_SECTION_ADDITIONAL && ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT) {
                uint32_t ttl = ldns_rr_ttl(rr);
                ldns_pkt_set_edns_udp_size(p, ldns_rr_get_class(rr));
                ldns_pkt_set_edns_extended_rcode(p, (uint8_t)(ttl >> 24));
                ldns_pkt_set_edns_version(p, (uint8_t)(ttl >> 16));
                ldns_pkt_set_edns_z(p, (uint16_t)ttl);
                /* ldns keeps a clone of the first rdf; here the rdf itself, which lives in
                 * the block as long as the packet. */
                if (ldns_rr_rdf(rr, 0))
                    ldns_pkt_set_edns_data(p, ldns_rr_rdf(rr, 0));
                have_edns += 1;
            } else if (s == LDNS_SECTION_ADDITIONAL && ldns_rr_get_type(rr) == LDNS_RR_TYPE_TSIG) {
                ldns_pkt_set_tsig(p, rr);
                ldns_pkt_set_arcount(p, ldns_pkt_arcount(p) - 1);
            } else if (!section_add(&b->sections[s], rr)) {
                return false;
            }
        }
    }
    ldns_pkt_set_size(p, max);
    if (have_edns)
        ldns_pkt_set_arcount(p, ldns_pkt_arcount(p) - have_edns);
    p->_edns_present = have_edns;
    return true;
}

static int answer_parse(const uint8_t *wire, size_t len, bool fold_owners, ldns_pkt **out)
{
    *out = NULL;
    /* The same TSIG refusal as io_parse_answer(): see there. */
    if (len < 12 || io_wire_has_tsig(wire, len))
        return IO_EMALFORMED;
    size_t first = first_chunk_size(len);
    answer_block_t *b = malloc(sizeof *b + first);
    if (!b)
        return IO_EMALFORMED;
    memset(b, 0, sizeof *b);
    b->pkt._header = &b->hdr;
    ldns_pkt_set_question(&b->pkt, &b->sections[LDNS_SECTION_QUESTION]);
    ldns_pkt_set_answer(&b->pkt, &b->sections[LDNS_SECTION_ANSWER]);
    ldns_pkt_set_authority(&b->pkt, &b->sections[LDNS_SECTION_AUTHORITY]);
    ldns_pkt_set_additional(&b->pkt, &b->sections[LDNS_SECTION_ADDITIONAL]);
    b->cur = b->mem;
    b->left = first;
    b->grow = 2 * len + 512;
    b->fold_owners = fold_owners;
    /* A TSIG RR that the walk of io_wire_has_tsig() missed (ldns found it inside another RR's
     * RDATA, see io_parse_answer()) is refused just the same. */
    if (!parse_message(b, wire, len) || ldns_pkt_tsig(&b->pkt) != NULL) {
        io_answer_free(&b->pkt);
        return IO_EMALFORMED;
    }
    *out = &b->pkt;
    return IO_OK;
}

int io_answer_parse(const uint8_t *wire, size_t len, ldns_pkt **out)
{
    return answer_parse(wire, len, false, out);
}

int io_answer_parse_folded(const uint8_t *wire, size_t len, ldns_pkt **out)
{
    return answer_parse(wire, len, true, out);
}

void io_answer_free(ldns_pkt *pkt)
{
    if (!pkt)
        return;
    answer_block_t *b = (answer_block_t *)pkt;
    /* ldns_pkt_edns_get_option_list() caches a list it allocates itself. */
    ldns_edns_option_list_deep_free(pkt->_edns_list);
    for (answer_chunk_t *c = b->extra, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(b);
}
