/*
 * Helpers shared by the libFuzzer harnesses: a bounds-checked cursor over the fuzz input and
 * the framing used by the harnesses that need several packets from one input.
 *
 * Framing: [u16 big-endian length][that many bytes], repeated. A short last frame takes what is
 * left, so every input, even a mutated one, splits into frames.
 */
#ifndef DNSSWEEP_FUZZ_UTIL_H
#define DNSSWEEP_FUZZ_UTIL_H

#include "io/io.h"

#include <ldns/ldns.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fuzz_cursor {
    const uint8_t *p;
    size_t left;
} fuzz_cursor_t;

static inline uint8_t fuzz_u8(fuzz_cursor_t *c)
{
    if (c->left == 0)
        return 0;
    c->left--;
    return *c->p++;
}

static inline uint16_t fuzz_u16(fuzz_cursor_t *c)
{
    uint16_t hi = fuzz_u8(c);
    return (uint16_t)(hi << 8 | fuzz_u8(c));
}

/* The next frame; false when the input is exhausted. */
static inline bool fuzz_frame(fuzz_cursor_t *c, const uint8_t **data, size_t *len)
{
    if (c->left == 0)
        return false;
    size_t n = fuzz_u16(c);
    if (n > c->left)
        n = c->left;
    *data = c->p;
    *len = n;
    c->p += n;
    c->left -= n;
    return true;
}

/* Parses the next frame as a DNS message, as the engine does (io_parse_answer()); NULL when
 * there is none or it does not parse. */
static inline ldns_pkt *fuzz_next_pkt(fuzz_cursor_t *c)
{
    const uint8_t *d;
    size_t n;
    ldns_pkt *pkt = NULL;
    if (!fuzz_frame(c, &d, &n) || n == 0)
        return NULL;
    if (io_parse_answer(d, n, &pkt) != IO_OK)
        return NULL;
    return pkt;
}

/* The question name of pkt (borrowed), or NULL. */
static inline const ldns_rdf *fuzz_qname(const ldns_pkt *pkt)
{
    if (!pkt || ldns_rr_list_rr_count(ldns_pkt_question(pkt)) == 0)
        return NULL;
    return ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(pkt), 0));
}

#endif
