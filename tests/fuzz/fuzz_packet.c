/*
 * Packet parser harness: arbitrary bytes as a DNS answer off the wire. Runs what the engine and
 * the scanner do with an answer before any DNSSEC meaning: io_match_answer() (the header and
 * question check of io/wire.c), io_parse_answer() (ldns_wire2pkt() and its guard) checked
 * against io_answer_parse() (io/answer.c: same packet field for field, or abort), and the
 * referral/glue readers of scanner/packet.c. Input: the raw message (no framing), as the UDP socket
 * would hand it over.
 */
#include "io/internal.h"
#include "scanner/internal.h"
#include "tests/answer_same.h"

#include <stdlib.h>
#include <string.h>

/* The question the slot "asked": taken from the message itself when it has a well-formed
 * first question, so the match succeeds often and the parser behind it is reached. */
static void slot_from_question(io_slot_t *q, const uint8_t *data, size_t size)
{
    size_t pos = 12;
    while (pos < size && data[pos] != 0 && data[pos] < 64 && pos - 12 < 250)
        pos += (size_t)data[pos] + 1;
    size_t n = pos + 1 - 12;
    if (pos >= size || data[pos] != 0 || n > sizeof q->qname || pos + 5 > size) {
        /* No usable question: ask for the root's SOA. */
        q->qname[0] = 0;
        q->qname_len = 1;
        q->qtype = LDNS_RR_TYPE_SOA;
        q->qclass = LDNS_RR_CLASS_IN;
        return;
    }
    memcpy(q->qname, data + 12, n);
    q->qname_len = (uint16_t)n;
    q->qtype = (uint16_t)(data[pos + 1] << 8 | data[pos + 2]);
    q->qclass = (uint16_t)(data[pos + 3] << 8 | data[pos + 4]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    io_slot_t slot;
    memset(&slot, 0, sizeof slot);
    slot_from_question(&slot, data, size);
    /* The engine parses only what matched; the parser is fuzzed on everything regardless. */
    (void)io_match_answer(&slot, data, size);

    ldns_pkt *pkt = NULL;
    int rc = io_parse_answer(data, size, &pkt);
    /* The one-block parser of the verify workers must build the very same packet. */
    ldns_pkt *block = NULL;
    if (io_answer_parse(data, size, &block) != rc || !answer_same(pkt, block))
        abort();
    io_answer_free(block);
    if (rc != IO_OK)
        return 0;

    /* What the scanner reads from a referral or an address answer. */
    const ldns_rdf *qname = NULL;
    if (ldns_rr_list_rr_count(ldns_pkt_question(pkt)) > 0)
        qname = ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(pkt), 0));
    struct sockaddr_storage addrs[16];
    const ldns_rdf *cut = scan_pkt_referral_cut(pkt);
    if (cut != NULL) {
        size_t n = scan_pkt_glue(pkt, cut, 53, true, true, addrs, 16);
        for (size_t i = 0; i < n; i++) {
            char text[64];
            scan_addr_text(&addrs[i], text, sizeof text);
        }
    }
    scan_pkt_answer_addrs(pkt, qname, 53, true, true, addrs, 0, 16);
    ldns_rr_list *ds = scan_pkt_rrs(pkt, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_DS, cut);
    ldns_rr_list_free(ds);

    /* Whatever parsed must print and re-encode without trouble. */
    char *text = ldns_pkt2str(pkt);
    free(text);
    uint8_t *wire = NULL;
    size_t wire_len = 0;
    if (ldns_pkt2wire(&wire, pkt, &wire_len) == LDNS_STATUS_OK) {
        ldns_pkt *again = NULL;
        if (io_parse_answer(wire, wire_len, &again) == IO_OK)
            ldns_pkt_free(again);
    }
    free(wire);
    ldns_pkt_free(pkt);
    return 0;
}
