/*
 * Regression tests for the crashes the fuzz harnesses of tests/fuzz found, each rebuilt by hand
 * from the minimised input (which itself is replayed by replay_fuzz_<harness> from
 * tests/fuzz/regress/<harness>/).
 */
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

int main(void)
{
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
