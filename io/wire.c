/*
 * Packet bytes: query construction (IDs and 0x20 case from the kernel CSPRNG) and the exact
 * header/question check an answer must pass before it is believed.
 */
#include "io/internal.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/random.h>

static void io_rng_bytes(io_engine_t *e, void *out, size_t n)
{
    uint8_t *o = out;
    while (n > 0) {
        if (e->rng_pos >= sizeof e->rng) {
            /* getrandom() from the kernel CSPRNG; refilled 4 KiB at a time so the cost per
             * query is a few bytes of copying. It cannot fail for <= 256 bytes... but we ask
             * for more, so loop over short reads. */
            size_t got = 0;
            while (got < sizeof e->rng) {
                ssize_t r = getrandom(e->rng + got, sizeof e->rng - got, 0);
                if (r > 0)
                    got += (size_t)r;
            }
            e->rng_pos = 0;
        }
        size_t take = sizeof e->rng - e->rng_pos;
        if (take > n)
            take = n;
        memcpy(o, e->rng + e->rng_pos, take);
        e->rng_pos += take;
        o += take;
        n -= take;
    }
}

uint16_t io_rng_u16(io_engine_t *e)
{
    uint16_t v;
    io_rng_bytes(e, &v, sizeof v);
    return v;
}

/* Plain names ("a.example.com.") are converted here without allocating; names with escapes go
 * through ldns. */
static int text_to_wire(const char *s, uint8_t *out, uint16_t *len)
{
    if (strchr(s, '\\') != NULL) {
        ldns_rdf *rdf = NULL;
        if (ldns_str2rdf_dname(&rdf, s) != LDNS_STATUS_OK)
            return IO_EINVAL;
        size_t n = ldns_rdf_size(rdf);
        if (n > 255) {
            ldns_rdf_deep_free(rdf);
            return IO_EINVAL;
        }
        memcpy(out, ldns_rdf_data(rdf), n);
        *len = (uint16_t)n;
        ldns_rdf_deep_free(rdf);
        return 0;
    }
    size_t pos = 0;
    if (strcmp(s, ".") == 0 || *s == '\0') {
        out[0] = 0;
        *len = 1;
        return 0;
    }
    while (*s != '\0') {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        if (l == 0 || l > 63 || pos + 1 + l + 1 > 255)
            return IO_EINVAL;
        out[pos++] = (uint8_t)l;
        memcpy(out + pos, s, l);
        pos += l;
        s += l;
        if (*s == '.')
            s++;
    }
    out[pos++] = 0;
    *len = (uint16_t)pos;
    return 0;
}

int io_name_to_wire(const io_query_spec_t *spec, uint8_t *out, uint16_t *len)
{
    if (spec->qname != NULL) {
        if (ldns_rdf_get_type(spec->qname) != LDNS_RDF_TYPE_DNAME)
            return IO_EINVAL;
        size_t n = ldns_rdf_size(spec->qname);
        if (n == 0 || n > 255)
            return IO_EINVAL;
        memcpy(out, ldns_rdf_data(spec->qname), n);
        *len = (uint16_t)n;
        return 0;
    }
    if (spec->qname_str == NULL)
        return IO_EINVAL;
    return text_to_wire(spec->qname_str, out, len);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint16_t io_build_query(io_engine_t *e, io_slot_t *q, uint16_t qid)
{
    uint8_t *p = e->scratch + 2;
    put16(p, qid);
    p[2] = (q->flags & IO_FLAG_RD) ? 0x01 : 0x00;
    p[3] = (q->flags & IO_FLAG_CD) ? 0x10 : 0x00;
    put16(p + 4, 1);
    put16(p + 6, 0);
    put16(p + 8, 0);
    put16(p + 10, (q->flags & IO_FLAG_NO_EDNS) ? 0 : 1);
    size_t pos = 12;
    if (e->cfg.randomize_case) {
        /* 0x20: flip the case of each letter at random. An off-path spoofer must now also
         * guess the case pattern, which the answer has to echo byte for byte. */
        /* Flipping each letter of the previous try's name with probability 1/2 gives a
         * uniformly random case again. Only the bytes in use are drawn from the CSPRNG. */
        uint8_t bits[32];
        io_rng_bytes(e, bits, ((size_t)q->qname_len + 7) / 8);
        uint8_t *n = q->qname;
        size_t i = 0;
        while (i < q->qname_len && n[i] != 0) {
            size_t l = n[i];
            for (size_t j = i + 1; j <= i + l && j < q->qname_len; j++) {
                uint8_t c = n[j];
                if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) &&
                    (bits[j >> 3] & (1u << (j & 7))))
                    n[j] = c ^ 0x20;
            }
            i += l + 1;
        }
    }
    memcpy(p + pos, q->qname, q->qname_len);
    pos += q->qname_len;
    put16(p + pos, q->qtype);
    put16(p + pos + 2, q->qclass);
    pos += 4;
    if (!(q->flags & IO_FLAG_NO_EDNS)) {
        p[pos++] = 0; /* root owner */
        put16(p + pos, LDNS_RR_TYPE_OPT);
        put16(p + pos + 2, e->cfg.edns_bufsize);
        p[pos + 4] = 0; /* extended rcode */
        p[pos + 5] = 0; /* version */
        p[pos + 6] = (q->flags & IO_FLAG_DO) ? 0x80 : 0x00;
        p[pos + 7] = 0;
        put16(p + pos + 8, 0);
        pos += 10;
    }
    put16(e->scratch, (uint16_t)pos);
    return (uint16_t)pos;
}

/* Moves *pos past the wire name there (labels up to the root label or a compression
 * pointer). False when it runs past len or holds a reserved label type. */
static bool skip_name(const uint8_t *p, size_t len, size_t *pos)
{
    size_t i = *pos;
    while (i < len) {
        uint8_t l = p[i];
        if ((l & 0xc0) == 0xc0) {
            *pos = i + 2;
            return i + 2 <= len;
        }
        if (l & 0xc0)
            return false;
        if (l == 0) {
            *pos = i + 1;
            return true;
        }
        i += (size_t)l + 1;
    }
    return false;
}

/* A TSIG RR in the additional section, as far as the message can be walked (ldns reads the
 * records in the same order and stops where this walk stops, or earlier). */
bool io_wire_has_tsig(const uint8_t *p, size_t len)
{
    size_t pos = 12, qd = get16(p + 4), an_ns = (size_t)get16(p + 6) + get16(p + 8);
    size_t ar = get16(p + 10);
    for (size_t i = 0; i < qd; i++) {
        if (!skip_name(p, len, &pos) || pos + 4 > len)
            return false;
        pos += 4;
    }
    for (size_t i = 0; i < an_ns + ar; i++) {
        if (!skip_name(p, len, &pos) || pos + 10 > len)
            return false;
        uint16_t type = get16(p + pos);
        pos += 10 + (size_t)get16(p + pos + 8);
        if (pos > len)
            return false;
        if (i >= an_ns && type == LDNS_RR_TYPE_TSIG)
            return true;
    }
    return false;
}

int io_parse_answer(const uint8_t *wire, size_t len, ldns_pkt **out)
{
    *out = NULL;
    /* ldns_wire2pkt() (libldns 1.8.3) leaks a TSIG RR of the additional section when another
     * TSIG follows or a later record fails to parse: a hostile server could make a long scan
     * grow without bound. Our queries are never signed (RFC 8945 §5.3: no signed answer to an
     * unsigned query), so an answer carrying TSIG is refused before ldns sees it. */
    if (len < 12 || io_wire_has_tsig(wire, len))
        return IO_EMALFORMED;
    /* io_wire_has_tsig() steps over each RR by its RDLENGTH, but ldns reads only the fields
     * it knows and goes on right after them: the leftover of an RR's RDATA can hold a TSIG RR
     * for ldns (then leaked when a second TSIG follows; a fuzz_packet find). io_answer_parse()
     * walks exactly as ldns does, in one block, and refuses any TSIG it reads: ldns only gets
     * messages in which it will find none. Off the hot path since the scanner's answers are
     * parsed as blocks. */
    ldns_pkt *probe = NULL;
    if (io_answer_parse(wire, len, &probe) != IO_OK)
        return IO_EMALFORMED;
    io_answer_free(probe);
    if (ldns_wire2pkt(out, wire, len) != LDNS_STATUS_OK) {
        *out = NULL;
        return IO_EMALFORMED;
    }
    return IO_OK;
}

/* Exactly one question equal to ours byte for byte (0x20 case as sent), same type and class;
 * opcode QUERY; QR as given. */
static int match_question(const io_slot_t *q, const uint8_t *pkt, size_t len, bool qr)
{
    if (len < 12)
        return IO_MATCH_SHORT;
    if ((bool)(pkt[2] & 0x80) != qr || (pkt[2] & 0x78) != 0 || get16(pkt + 4) != 1)
        return IO_MATCH_QUESTION;
    size_t n = q->qname_len;
    if (len < 12 + n + 4 || memcmp(pkt + 12, q->qname, n) != 0 || get16(pkt + 12 + n) != q->qtype ||
        get16(pkt + 12 + n + 2) != q->qclass)
        return IO_MATCH_QUESTION;
    return IO_MATCH_OK;
}

int io_match_answer(const io_slot_t *q, const uint8_t *pkt, size_t len)
{
    return match_question(q, pkt, len, true);
}

int io_match_quote(const io_slot_t *q, const uint8_t *pkt, size_t len)
{
    /* Our own query: a forged ICMP error must guess the 0x20 case as a forged answer must, or
     * it could end a try (as "port unreachable") knowing only the port and the 16-bit ID. An
     * error quoting less than the question (RFC 792 asks for 8 bytes after the IP header only)
     * is ignored: the try then times out as if the error had been lost. */
    return match_question(q, pkt, len, false);
}

bool io_sockaddr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return false;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->sa_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
    }
    return false;
}
