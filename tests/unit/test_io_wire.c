/*
 * io/ packet bytes (io/internal.h, no network): name conversion, query layout (flags, EDNS0
 * DO, buffer size), 0x20 case randomisation, and the exact answer check.
 */
#include "io/internal.h"
#include "tests/tap.h"

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void test_names(void)
{
    uint8_t w[256];
    uint16_t len = 0;
    io_query_spec_t spec = {.qname_str = "www.Example.com."};
    is_int(io_name_to_wire(&spec, w, &len), 0, "plain name converts");
    is_int(len, 17, "www.Example.com. is 17 bytes of wire");
    ok(memcmp(w, "\3www\7Example\3com\0", 17) == 0, "labels and case kept as given");
    spec.qname_str = "www.example.com";
    is_int(io_name_to_wire(&spec, w, &len), 0, "relative name taken as absolute");
    is_int(len, 17, "same length without the final dot");
    spec.qname_str = ".";
    is_int(io_name_to_wire(&spec, w, &len), 0, "root converts");
    is_int(len, 1, "root is one byte");
    spec.qname_str = "a\\.b.c.";
    is_int(io_name_to_wire(&spec, w, &len), 0, "escaped dot goes through ldns");
    ok(len == 7 && memcmp(w, "\3a.b\1c\0", 7) == 0, "escaped dot stays inside the label");
    char long_label[80];
    memset(long_label, 'x', 64);
    strcpy(long_label + 64, ".com.");
    spec.qname_str = long_label;
    is_int(io_name_to_wire(&spec, w, &len), IO_EINVAL, "64-byte label rejected");
    spec.qname_str = "a..b.";
    is_int(io_name_to_wire(&spec, w, &len), IO_EINVAL, "empty label rejected");
    spec.qname_str = NULL;
    is_int(io_name_to_wire(&spec, w, &len), IO_EINVAL, "no name at all rejected");
    ldns_rdf *rdf = ldns_dname_new_frm_str("Mixed.Case.");
    spec.qname = rdf;
    is_int(io_name_to_wire(&spec, w, &len), 0, "ldns_rdf name converts");
    ok(len == 12 && memcmp(w, "\5Mixed\4Case\0", 12) == 0, "rdf bytes copied as they are");
    ldns_rdf_deep_free(rdf);
    rdf = ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 5);
    spec.qname = rdf;
    is_int(io_name_to_wire(&spec, w, &len), IO_EINVAL, "non-name rdf rejected");
    ldns_rdf_deep_free(rdf);
}

static void set_name(io_slot_t *q, const char *name)
{
    io_query_spec_t spec = {.qname_str = name};
    io_name_to_wire(&spec, q->qname, &q->qname_len);
}

static void test_query_layout(io_engine_t *e)
{
    io_slot_t q;
    memset(&q, 0, sizeof q);
    set_name(&q, "abcdefghij.example.");
    q.qtype = LDNS_RR_TYPE_DNSKEY;
    q.qclass = LDNS_RR_CLASS_IN;
    q.flags = IO_FLAG_RD | IO_FLAG_CD | IO_FLAG_DO;
    uint16_t len = io_build_query(e, &q, 0xBEEF);
    const uint8_t *p = e->scratch + 2;
    is_int(get16(e->scratch), len, "TCP length prefix equals the query length");
    is_int(len, 12 + q.qname_len + 4 + 11, "header + name + type/class + OPT");
    is_int(get16(p), 0xBEEF, "ID as chosen");
    is_int(p[2], 0x01, "RD set, QR/opcode clear");
    is_int(p[3], 0x10, "CD set");
    is_int(get16(p + 4), 1, "QDCOUNT 1");
    is_int(get16(p + 10), 1, "ARCOUNT 1 (OPT)");
    ok(strncasecmp((const char *)p + 12, "\12abcdefghij\7example", 19) == 0,
       "question name equal ignoring case");
    ok(memcmp(p + 12, q.qname, q.qname_len) == 0, "slot keeps the exact case that was sent");
    const uint8_t *t = p + 12 + q.qname_len;
    is_int(get16(t), LDNS_RR_TYPE_DNSKEY, "QTYPE");
    is_int(get16(t + 2), LDNS_RR_CLASS_IN, "QCLASS");
    const uint8_t *opt = t + 4;
    is_int(opt[0], 0, "OPT owner is the root");
    is_int(get16(opt + 1), LDNS_RR_TYPE_OPT, "OPT type 41");
    is_int(get16(opt + 3), 1232, "EDNS0 buffer 1232");
    is_int(opt[7], 0x80, "DO bit set");
    ldns_pkt *pkt = NULL;
    is_int(ldns_wire2pkt(&pkt, p, len), LDNS_STATUS_OK, "ldns parses our query");
    ok(pkt && ldns_pkt_edns_do(pkt) && ldns_pkt_edns_udp_size(pkt) == 1232 && ldns_pkt_cd(pkt) &&
           ldns_pkt_rd(pkt),
       "ldns sees DO, 1232, CD, RD");
    ldns_pkt_free(pkt);

    q.flags = IO_FLAG_NO_EDNS;
    len = io_build_query(e, &q, 1);
    is_int(len, 12 + q.qname_len + 4, "IO_FLAG_NO_EDNS: no OPT");
    is_int(get16(e->scratch + 2 + 10), 0, "IO_FLAG_NO_EDNS: ARCOUNT 0");

    /* 0x20: over 64 builds every letter shows up in both cases. */
    int upper[32] = {0}, lower[32] = {0};
    q.flags = 0;
    for (int i = 0; i < 64; i++) {
        io_build_query(e, &q, 1);
        for (int j = 1; j <= 10; j++) {
            uint8_t c = e->scratch[2 + 12 + j];
            upper[j] += c >= 'A' && c <= 'Z';
            lower[j] += c >= 'a' && c <= 'z';
        }
    }
    int both = 0;
    for (int j = 1; j <= 10; j++)
        both += upper[j] > 0 && lower[j] > 0 && upper[j] + lower[j] == 64;
    is_int(both, 10, "0x20: each of 10 letters seen in both cases, never anything else");
}

static void test_match(io_engine_t *e)
{
    io_slot_t q;
    memset(&q, 0, sizeof q);
    set_name(&q, "match.example.");
    q.qtype = LDNS_RR_TYPE_A;
    q.qclass = LDNS_RR_CLASS_IN;
    uint16_t len = io_build_query(e, &q, 77);
    uint8_t a[512];
    memcpy(a, e->scratch + 2, len);
    a[2] |= 0x80;
    is_int(io_match_answer(&q, a, len), IO_MATCH_OK, "echoed question with QR matches");
    a[2] &= 0x7f;
    is_int(io_match_answer(&q, a, len), IO_MATCH_QUESTION, "QR clear: not an answer");
    a[2] |= 0x80;
    a[2] |= 0x08;
    is_int(io_match_answer(&q, a, len), IO_MATCH_QUESTION, "other opcode rejected");
    a[2] &= (uint8_t)~0x08;
    a[12 + 1] ^= 0x20;
    is_int(io_match_answer(&q, a, len), IO_MATCH_QUESTION, "one letter in another case");
    a[12 + 1] ^= 0x20;
    a[12 + q.qname_len + 1] = LDNS_RR_TYPE_AAAA;
    is_int(io_match_answer(&q, a, len), IO_MATCH_QUESTION, "other QTYPE rejected");
    a[12 + q.qname_len + 1] = LDNS_RR_TYPE_A;
    a[12 + q.qname_len + 3] = LDNS_RR_CLASS_CH;
    is_int(io_match_answer(&q, a, len), IO_MATCH_QUESTION, "other QCLASS rejected");
    a[12 + q.qname_len + 3] = LDNS_RR_CLASS_IN;
    a[5] = 0;
    is_int(io_match_answer(&q, a, len), IO_MATCH_QUESTION, "no question section rejected");
    a[5] = 1;
    is_int(io_match_answer(&q, a, 12 + q.qname_len), IO_MATCH_QUESTION,
           "question cut short rejected");
    is_int(io_match_answer(&q, a, 11), IO_MATCH_SHORT, "shorter than a header");
    is_int(io_match_answer(&q, a, len), IO_MATCH_OK, "restored answer matches again");

    /* The datagram an ICMP error quotes must be the query as sent, QR clear. */
    memcpy(a, e->scratch + 2, len);
    is_int(io_match_quote(&q, a, len), IO_MATCH_OK, "quoted query as sent matches");
    a[2] |= 0x80;
    is_int(io_match_quote(&q, a, len), IO_MATCH_QUESTION, "quote with QR set rejected");
    a[2] &= 0x7f;
    a[12 + 1] ^= 0x20;
    is_int(io_match_quote(&q, a, len), IO_MATCH_QUESTION, "quote with another case rejected");
    a[12 + 1] ^= 0x20;
    a[12 + q.qname_len + 1] = LDNS_RR_TYPE_AAAA;
    is_int(io_match_quote(&q, a, len), IO_MATCH_QUESTION, "quote with another QTYPE rejected");
    a[12 + q.qname_len + 1] = LDNS_RR_TYPE_A;
    is_int(io_match_quote(&q, a, 12 + q.qname_len + 2), IO_MATCH_QUESTION,
           "quote cut inside the question rejected");
    is_int(io_match_quote(&q, a, 8), IO_MATCH_SHORT, "quote of 8 bytes (RFC 792) rejected");
    is_int(io_match_quote(&q, a, len), IO_MATCH_OK, "restored quote matches again");
}

static void test_sockaddr(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(53)};
    struct sockaddr_in b = a;
    a.sin_addr.s_addr = htonl(0x7f360101);
    b.sin_addr.s_addr = htonl(0x7f360101);
    ok(io_sockaddr_equal((struct sockaddr *)&a, (struct sockaddr *)&b), "same v4 address+port");
    b.sin_port = htons(54);
    ok(!io_sockaddr_equal((struct sockaddr *)&a, (struct sockaddr *)&b), "other port differs");
    struct sockaddr_in6 c = {.sin6_family = AF_INET6, .sin6_port = htons(53)};
    ok(!io_sockaddr_equal((struct sockaddr *)&a, (struct sockaddr *)&c), "families differ");
}

int main(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    io_config_t cfg;
    io_config_init(&cfg);
    cfg.udp_sockets = 1;
    io_engine_t *e = NULL;
    is_int(io_engine_new(&loop, &cfg, &e), 0, "engine for its RNG and scratch buffer");
    test_names();
    if (e != NULL) {
        test_query_layout(e);
        test_match(e);
    }
    test_sockaddr();
    io_engine_t *bad = NULL;
    cfg.max_in_flight = 0;
    is_int(io_engine_new(&loop, &cfg, &bad), IO_EINVAL, "max_in_flight 0 rejected");
    cfg.max_in_flight = 1u << 30;
    is_int(io_engine_new(&loop, &cfg, &bad), IO_EINVAL, "max_in_flight above 4M rejected");
    io_config_init(&cfg);
    cfg.udp_sockets = 0;
    is_int(io_engine_new(&loop, &cfg, &bad), IO_EINVAL, "no UDP sockets rejected");
    is_int(io_engine_new(NULL, &cfg, &bad), IO_EINVAL, "no loop rejected");
    ok(bad == NULL, "nothing returned on error");
    is_int(io_strerror(IO_ETIMEOUT) != io_strerror(IO_EREFUSED_PORT), 1, "distinct error strings");
    is_str(io_strerror(12345), "unknown io error", "unknown code has a string");
    io_engine_close(e, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return tap_done();
}
