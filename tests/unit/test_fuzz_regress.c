/*
 * Regression tests for the crashes the fuzz harnesses of tests/fuzz found, each rebuilt by hand
 * from the minimised input (which itself is replayed by replay_fuzz_<harness> from
 * tests/fuzz/regress/<harness>/).
 */
#include "io/io.h"
#include "tests/tap.h"
#include "tests/unit/test_verify_zone_util.h"

static const char *const ZONE_TEXT = "$ORIGIN example.com.\n$TTL 3600\n"
                                     "@ SOA ns1 host 1 3600 900 604800 300\n"
                                     "@ NS ns1\n"
                                     "ns1 A 192.0.2.1\n"
                                     "@ A 192.0.2.10\n";

/* An RR as a server may send it: owner, type and class, RDLENGTH 0. */
static ldns_rr *empty_rr(ldns_rr_type type)
{
    ldns_rr *rr = ldns_rr_new();
    ldns_rr_set_owner(rr, ldns_rdf_clone(apex));
    ldns_rr_set_type(rr, type);
    ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
    return rr;
}

static bool has_detail(const verify_verdict_t *v, verify_reason_code_t code, const char *text)
{
    for (size_t i = 0; i < v->n_reasons; i++)
        if (v->reasons[i].code == code && strstr(v->reasons[i].detail, text))
            return true;
    return false;
}

/* fuzz_verify, crash 1: a CDS with no RDATA next to the signed CDS made zone_cds.c read its key
 * tag through ldns_rr_rdf(c, 0) == NULL (ldns assertion / NULL dereference). */
static void test_cds_without_rdata(const struct test_zone *z)
{
    ldns_rr_type types[] = {LDNS_RR_TYPE_CDS, LDNS_RR_TYPE_CDNSKEY};
    for (size_t t = 0; t < 2; t++) {
        struct answers s;
        answers_build(&s, z);
        ldns_pkt *p = types[t] == LDNS_RR_TYPE_CDS ? s.cds : s.cdnskey;
        ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, empty_rr(types[t]));
        const char *name = types[t] == LDNS_RR_TYPE_CDS ? "CDS" : "CDNSKEY";
        verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in);
        is_str(verify_status_name(v->status), "secure",
               "%s without RDATA: judged, status stays secure (CDS problems are warnings)", name);
        char want[64];
        snprintf(want, sizeof want, "%s 0 matches no served DNSKEY", name);
        ok(has_detail(v, VERIFY_REASON_CDS_INVALID, want), "%s without RDATA: CDS_INVALID '%s'",
           name, want);
        print_reasons(v);
        verify_verdict_free(v);
        answers_free(&s);
    }
}

/* A minimal answer: header, question "example.com. A", then n_tsig TSIG RRs (owner root, empty
 * RDATA: enough for ldns to take them) in the additional section. Returns its length. */
static size_t answer_with_tsig(uint8_t *buf, unsigned n_tsig)
{
    static const uint8_t head[] = {0x12, 0x34, 0x84, 0x00, 0,   1,   0,   0,   0,   0,
                                   0,    0,    7,    'e',  'x', 'a', 'm', 'p', 'l', 'e',
                                   3,    'c',  'o',  'm',  0,   0,   1,   0,   1};
    memcpy(buf, head, sizeof head);
    buf[11] = (uint8_t)n_tsig;
    size_t len = sizeof head;
    for (unsigned i = 0; i < n_tsig; i++) {
        static const uint8_t tsig[] = {0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 0};
        memcpy(buf + len, tsig, sizeof tsig);
        len += sizeof tsig;
    }
    return len;
}

/* fuzz_denial, leak 1, and fuzz_packet, leak 2: ldns_wire2pkt() (libldns 1.8.3) leaks a TSIG RR
 * of the additional section when a second TSIG follows or a later record does not parse, so
 * such answers leaked ~73-600 bytes each in the engine. io_parse_answer() refuses any answer
 * with TSIG before ldns sees it (LeakSanitizer would fail this test otherwise). */
static void test_tsig(void)
{
    uint8_t buf[128];
    ldns_pkt *pkt = NULL;
    size_t len = answer_with_tsig(buf, 0);
    is_int(io_parse_answer(buf, len, &pkt), IO_OK, "answer without TSIG parses");
    ok(pkt != NULL, "and gives a packet");
    ldns_pkt_free(pkt);
    for (unsigned n = 1; n <= 3; n++) {
        pkt = (ldns_pkt *)buf; /* must be reset to NULL */
        len = answer_with_tsig(buf, n);
        is_int(io_parse_answer(buf, len, &pkt), IO_EMALFORMED, "answer with %u TSIG: malformed", n);
        ok(pkt == NULL, "%u TSIG: no packet", n);
    }
    /* One TSIG, then a record cut short (arcount 2): the leak of fuzz_packet. */
    len = answer_with_tsig(buf, 2);
    buf[len - 11 + 2] = LDNS_RR_TYPE_A; /* the second record: an A record, cut short below */
    is_int(io_parse_answer(buf, len - 3, &pkt), IO_EMALFORMED,
           "TSIG then a record cut short: malformed");
    ok(pkt == NULL, "TSIG then a record cut short: no packet");
}

int main(void)
{
    test_tsig();
    if (system("command -v ldns-keygen >/dev/null && command -v ldns-signzone >/dev/null") != 0) {
        ok(0, "ldns-keygen and ldns-signzone must be in PATH (package ldnsutils)");
        return tap_done();
    }
    verify_ctx_new(NULL, &ctx);
    apex = tv_name("example.com.");
    now_in = tv_time("20260115000000");

    struct test_zone z;
    int rc = tz_sign(&z, "ECDSAP256SHA256", 0, ZONE_TEXT, true, NULL);
    is_int(rc, 0, "P-256 zone signed with CDS/CDNSKEY");
    if (rc == 0)
        test_cds_without_rdata(&z);
    tz_free(&z);

    verify_ctx_free(ctx);
    ldns_rdf_deep_free(apex);
    return tap_done();
}
