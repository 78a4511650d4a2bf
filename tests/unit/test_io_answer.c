/*
 * io_answer_parse() (io/answer.c, one block per answer) against io_parse_answer() (ldns's own
 * ldns_wire2pkt()): on real-looking answers (signed SOA, NSEC denial, DNSKEY, EDNS options,
 * compressed names, a TXT with hundreds of strings, more names than the first chunk holds, a
 * TSIG that ldns finds inside another RR's RDATA), on
 * the packet fuzzer's seed corpus, and on 40,000 mutations of them (fixed seed): both must
 * accept or refuse the same messages and, when they accept, give the same packet field for
 * field (tests/answer_same.h). io_answer_parse_folded() must give ldns's packet with every
 * owner made canonical (ldns_dname2canonical). ASan checks the block's bounds and that
 * io_answer_free() frees all of it.
 */
#include "io/io.h"
#include "tests/answer_same.h"
#include "tests/tap.h"

#include <dirent.h>

static size_t mismatches;

/* ldns_dname2canonical() on every owner of p (question included). */
static void fold_owners(ldns_pkt *p)
{
    ldns_rr_list *sections[] = {ldns_pkt_question(p), ldns_pkt_answer(p), ldns_pkt_authority(p),
                                ldns_pkt_additional(p)};
    for (size_t s = 0; s < 4; s++)
        for (size_t i = 0; sections[s] && i < ldns_rr_list_rr_count(sections[s]); i++)
            ldns_dname2canonical(ldns_rr_owner(ldns_rr_list_rr(sections[s], i)));
}

/* Compares both parsers on one message, and io_answer_parse_folded() with ldns's packet whose
 * owners were then made canonical; true when all agree. */
static bool agree(const uint8_t *wire, size_t len)
{
    ldns_pkt *ref = NULL, *blk = NULL, *folded = NULL;
    int rc_ref = io_parse_answer(wire, len, &ref);
    int rc_blk = io_answer_parse(wire, len, &blk);
    int rc_folded = io_answer_parse_folded(wire, len, &folded);
    bool same = rc_ref == rc_blk && answer_same(ref, blk);
    if (ref)
        fold_owners(ref);
    same = same && rc_ref == rc_folded && answer_same(ref, folded);
    ldns_pkt_free(ref);
    io_answer_free(blk);
    io_answer_free(folded);
    if (!same)
        mismatches++;
    return same;
}

static ldns_rr *rr(const char *text)
{
    ldns_rr *r = NULL;
    if (ldns_rr_new_frm_str(&r, text, 3600, NULL, NULL) != LDNS_STATUS_OK) {
        printf("# cannot read test RR %s\n", text);
        exit(1);
    }
    return r;
}

/* The wire of a packet built from RRs in text, with compression as ldns writes it. */
static size_t build(uint8_t *out, size_t max, const char *qname, ldns_rr_type qtype,
                    const char *const *an, const char *const *ns, const char *const *ar, bool edns)
{
    ldns_pkt *p = ldns_pkt_new();
    ldns_pkt_set_id(p, 0x1234);
    ldns_pkt_set_qr(p, true);
    ldns_pkt_set_aa(p, true);
    ldns_rr *q = ldns_rr_new();
    ldns_rr_set_owner(q, ldns_dname_new_frm_str(qname));
    ldns_rr_set_type(q, qtype);
    ldns_rr_set_question(q, true);
    ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
    for (size_t i = 0; an && an[i]; i++)
        ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr(an[i]));
    for (size_t i = 0; ns && ns[i]; i++)
        ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr(ns[i]));
    for (size_t i = 0; ar && ar[i]; i++)
        ldns_pkt_push_rr(p, LDNS_SECTION_ADDITIONAL, rr(ar[i]));
    if (edns) {
        ldns_pkt_set_edns_udp_size(p, 1232);
        ldns_pkt_set_edns_do(p, true);
        /* An Extended DNS Error option (code 15, INFO-CODE 6) as opaque EDNS data. */
        static const uint8_t ede[] = {0, 15, 0, 2, 0, 6};
        ldns_pkt_set_edns_data(p, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, sizeof ede, ede));
    }
    uint8_t *wire = NULL;
    size_t len = 0;
    if (ldns_pkt2wire(&wire, p, &len) != LDNS_STATUS_OK || len > max) {
        printf("# cannot build test packet for %s\n", qname);
        exit(1);
    }
    memcpy(out, wire, len);
    free(wire);
    ldns_pkt_free(p);
    return len;
}

#define MAX_BASES 64
static uint8_t bases[MAX_BASES][65536];
static size_t base_len[MAX_BASES];
static size_t n_bases;

static void add_base(size_t len)
{
    base_len[n_bases++] = len;
}

static const char *const soa_an[] = {
    "example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026010101 7200 3600 "
    "1209600 300",
    "example.test. 3600 IN RRSIG SOA 13 2 3600 20270101000000 20260101000000 12345 example.test. "
    "kXv0y6Kf3b7o2S0v1Q4kq9+Zb8m3m6P8p3v2c1b0a9Z8y7x6w5v4u3t2s1r0q9p8o7n6m5l4k3j2i1h0g9f8eA==",
    NULL};
static const char *const soa_ns[] = {"example.test. 3600 IN NS ns1.example.test.",
                                     "example.test. 3600 IN NS ns2.other.test.", NULL};
static const char *const soa_ar[] = {"ns1.example.test. 3600 IN A 192.0.2.1",
                                     "ns1.example.test. 3600 IN AAAA 2001:db8::1", NULL};
static const char *const nsec_ns[] = {
    "example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 300",
    "example.test. 300 IN NSEC example.test. A NS SOA RRSIG NSEC DNSKEY CAA",
    "example.test. 300 IN RRSIG NSEC 8 2 300 20270101000000 20260101000000 4321 example.test. "
    "AwEAAcXv0y6Kf3b7o2S0v1Q4kq9+Zb8m3m6P8p3v2c1b0a9Z8y7x6w5v4u3t2s1r0q9p8o7n6m5l4k3j2i1h0g9f8eAA",
    "a1b2c3.example.test. 300 IN NSEC3 1 1 10 AABBCCDD 0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM A RRSIG",
    NULL};
static const char *const dnskey_an[] = {
    "example.test. 3600 IN DNSKEY 257 3 13 "
    "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
    "example.test. 3600 IN DNSKEY 256 3 8 "
    "AwEAAcXv0y6Kf3b7o2S0v1Q4kq9+Zb8m3m6P8p3v2c1b0a9Z8y7x6w5v4u3A",
    "example.test. 3600 IN CDS 12345 13 2 "
    "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
    "example.test. 3600 IN CAA 0 issue \"ca.example.net\"",
    "example.test. 3600 IN MX 10 mail.example.test.",
    "example.test. 3600 IN SRV 0 5 5060 sip.example.test.",
    NULL};

static const uint8_t tsig_leftover[] = {
    0x76, 0x42, 0x80, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x05, 0x70, 0x6c, 0x61,
    0x69, 0x6e, 0x05, 0x75, 0x6e, 0x73, 0x69, 0x67, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00,
    0x02, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x06, 0x03, 0x6e, 0x73, 0x32, 0xc0, 0x0c, 0xc0,
    0x29, 0x00, 0x01, 0x00, 0x01, 0x7f, 0x10, 0x3a, 0x00, 0x00, 0x0e, 0x00, 0x04, 0x03, 0x01, 0x00,
    0x00, 0xfa, 0xff, 0xff, 0xff, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00};
/* The same with ARCOUNT 3 and a second TSIG RR where the 4 last bytes were. */
static const uint8_t tsig_leftover2[] = {
    0x76, 0x42, 0x80, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x05, 0x70, 0x6c,
    0x61, 0x69, 0x6e, 0x05, 0x75, 0x6e, 0x73, 0x69, 0x67, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0,
    0x0c, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x06, 0x03, 0x6e, 0x73, 0x32,
    0xc0, 0x0c, 0xc0, 0x29, 0x00, 0x01, 0x00, 0x01, 0x7f, 0x10, 0x3a, 0x00, 0x00, 0x0e, 0x00,
    0x04, 0x03, 0x01, 0x00, 0x00, 0xfa, 0xff, 0xff, 0xff, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00,
    0x00, 0xfa, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static void make_bases(void)
{
    add_base(build(bases[n_bases], sizeof bases[0], "example.test.", LDNS_RR_TYPE_SOA, soa_an,
                   soa_ns, soa_ar, true));
    add_base(build(bases[n_bases], sizeof bases[0], "nx.example.test.", LDNS_RR_TYPE_A, NULL,
                   nsec_ns, NULL, true));
    add_base(build(bases[n_bases], sizeof bases[0], "example.test.", LDNS_RR_TYPE_DNSKEY, dnskey_an,
                   NULL, NULL, false));

    /* A TXT of 300 one-byte strings: more rdata fields than the parser gathers on the stack. */
    static char txt[4096];
    size_t off = (size_t)snprintf(txt, sizeof txt, "example.test. 60 IN TXT");
    for (int i = 0; i < 300; i++)
        off += (size_t)snprintf(txt + off, sizeof txt - off, " \"%c\"", 'a' + i % 26);
    const char *const txt_an[] = {txt, NULL};
    add_base(build(bases[n_bases], sizeof bases[0], "example.test.", LDNS_RR_TYPE_TXT, txt_an, NULL,
                   NULL, false));

    /* 200 NS RRs whose owner and target are long names written as compression pointers: the
     * expanded names need far more than the first chunk, so overflow chunks are used. */
    static char ns_text[200][600];
    static const char *ns_an[201];
    char longname[256] = "";
    for (int l = 0; l < 3; l++)
        strcat(longname, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
    strcat(longname, "example.test.");
    for (int i = 0; i < 200; i++) {
        snprintf(ns_text[i], sizeof ns_text[i], "%s 60 IN NS ns.%s", longname, longname);
        ns_an[i] = ns_text[i];
    }
    ns_an[200] = NULL;
    add_base(
        build(bases[n_bases], sizeof bases[0], longname, LDNS_RR_TYPE_NS, ns_an, NULL, NULL, true));

    /* Found by fuzz_packet: an A RR whose RDLENGTH (14) covers more than its one field. ldns
     * reads on right after the 4 address bytes, so the leftover holds a TSIG RR for it, which
     * lowers ARCOUNT from 2 to 1 (one RR fewer read after it). Both parsers refuse the message
     * for its TSIG; with a second TSIG after it (leftover_tsig2), ldns alone would leak the
     * first one. */
    memcpy(bases[n_bases], tsig_leftover, sizeof tsig_leftover);
    add_base(sizeof tsig_leftover);
    memcpy(bases[n_bases], tsig_leftover2, sizeof tsig_leftover2);
    add_base(sizeof tsig_leftover2);

    /* The packet fuzzer's seed corpus (when the source tree is at hand). */
    const char *src = getenv("DNSSWEEP_SOURCE_DIR");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/fuzz_packet", src ? src : ".");
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n_bases < MAX_BASES) {
        if (e->d_name[0] == '.')
            continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        size_t len = fread(bases[n_bases], 1, sizeof bases[0], f);
        fclose(f);
        add_base(len);
    }
    if (d)
        closedir(d);
}

/* xorshift64: a fixed sequence, so a failure replays. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Flips, overwrites with pointer/label bytes, or truncates: the edits that steer a parser into
 * its bounds and compression checks. */
static size_t mutate(uint8_t *buf, const uint8_t *base, size_t len)
{
    memcpy(buf, base, len);
    int edits = 1 + (int)(rng() % 4);
    for (int k = 0; k < edits && len > 0; k++) {
        size_t at = rng() % len;
        switch (rng() % 5) {
        case 0:
            buf[at] ^= (uint8_t)(1u << (rng() % 8));
            break;
        case 1:
            buf[at] = 0xc0;
            if (at + 1 < len)
                buf[at + 1] = (uint8_t)rng();
            break;
        case 2:
            buf[at] = (uint8_t)(rng() % 70);
            break;
        case 3:
            buf[at] = (uint8_t)rng();
            break;
        default:
            len = at;
            break;
        }
    }
    return len;
}

int main(void)
{
    make_bases();
    ok(n_bases >= 7, "%zu base messages (7 built, the rest from the fuzz corpus)", n_bases);
    for (size_t i = 0; i < 5; i++) {
        ldns_pkt *p = NULL;
        is_int(io_answer_parse(bases[i], base_len[i], &p), IO_OK, "built message %zu parses", i);
        io_answer_free(p);
        ok(agree(bases[i], base_len[i]), "built message %zu: same packet as ldns_wire2pkt", i);
    }
    /* Owners in mixed case (the 0x20 case of a question comes back in every owner compressed
     * onto it): folded in the folded parse, RDATA names as sent. */
    static const char *const mixed_an[] = {"ExAmPlE.TeSt. 3600 IN NS Ns1.ExAmPlE.TeSt.",
                                           "WwW.ExAmPlE.TeSt. 3600 IN CNAME OtHeR.TeSt.", NULL};
    static uint8_t mixed[4096];
    size_t mixed_len =
        build(mixed, sizeof mixed, "ExAmPlE.TeSt.", LDNS_RR_TYPE_NS, mixed_an, NULL, NULL, false);
    ldns_pkt *fp = NULL;
    is_int(io_answer_parse_folded(mixed, mixed_len, &fp), IO_OK, "mixed-case owners: parses");
    size_t upper = 0, owners = 0;
    ldns_rr_list *secs[] = {ldns_pkt_question(fp), ldns_pkt_answer(fp)};
    for (size_t s = 0; s < 2; s++)
        for (size_t i = 0; secs[s] && i < ldns_rr_list_rr_count(secs[s]); i++, owners++) {
            const ldns_rdf *o = ldns_rr_owner(ldns_rr_list_rr(secs[s], i));
            for (size_t k = 0; k < ldns_rdf_size(o); k++)
                upper += ldns_rdf_data(o)[k] >= 'A' && ldns_rdf_data(o)[k] <= 'Z';
        }
    is_int(upper, 0, "mixed-case owners: none of the %zu owners keeps an upper-case letter",
           owners);
    const ldns_rdf *target = ldns_rr_rdf(ldns_rr_list_rr(ldns_pkt_answer(fp), 0), 0);
    ok(target && ldns_rdf_size(target) > 2 && ldns_rdf_data(target)[1] == 'N',
       "mixed-case owners: an RDATA name keeps its case");
    io_answer_free(fp);
    ok(agree(mixed, mixed_len), "mixed-case owners: same packets as ldns (owners made canonical)");
    /* Every byte value 1..255 in an owner label (63 per message): folded exactly as
     * ldns_dname2canonical() folds it. */
    size_t bytes_same = 0;
    for (unsigned first = 1; first < 256; first += 63) {
        uint8_t q[12 + 1 + 63 + 1 + 4] = {0x12, 0x34, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        size_t n = first + 63 <= 256 ? 63 : 256 - first, at = 12;
        q[at++] = (uint8_t)n;
        for (size_t k = 0; k < n; k++)
            q[at++] = (uint8_t)(first + k);
        q[at++] = 0;
        q[at++] = 0;
        q[at++] = 1; /* A */
        q[at++] = 0;
        q[at++] = 1; /* IN */
        bytes_same += agree(q, at);
    }
    is_int(bytes_same, 5, "owner bytes 1 to 255: folded as ldns_dname2canonical() folds them");
    size_t corpus_same = 0;
    for (size_t i = 5; i < 7; i++) {
        ldns_pkt *p = NULL;
        is_int(io_answer_parse(bases[i], base_len[i], &p), IO_EMALFORMED,
               "TSIG inside an RR's RDATA%s: refused", i == 6 ? ", then a second TSIG" : "");
        is_int(io_parse_answer(bases[i], base_len[i], &p), IO_EMALFORMED,
               "by io_parse_answer() too (LeakSanitizer: the TSIG RR is not leaked)");
        ok(agree(bases[i], base_len[i]), "both parsers agree on it");
    }
    for (size_t i = 7; i < n_bases; i++)
        corpus_same += agree(bases[i], base_len[i]);
    is_int(corpus_same, n_bases - 7, "fuzz corpus: both parsers agree on every seed");

    ldns_pkt *p = NULL;
    is_int(io_answer_parse(bases[0], 11, &p), IO_EMALFORMED, "an 11-byte message is refused");
    ok(p == NULL, "and nothing is returned for it");
    io_answer_free(NULL);

    static uint8_t buf[65536];
    size_t accepted = 0, runs = 0;
    mismatches = 0;
    for (int round = 0; round < 40000; round++) {
        size_t b = (size_t)round % n_bases;
        size_t len = mutate(buf, bases[b], base_len[b]);
        ldns_pkt *q = NULL;
        if (io_parse_answer(buf, len, &q) == IO_OK)
            accepted++;
        ldns_pkt_free(q);
        agree(buf, len);
        runs++;
    }
    is_int(mismatches, 0, "40,000 mutated messages: both parsers agree on every one");
    ok(accepted > runs / 10 && accepted < runs,
       "the mutations reach both outcomes (%zu of %zu parse)", accepted, runs);
    return tap_done();
}
