/*
 * Zone-level judgement on zones signed at test time by ldns-keygen + ldns-signzone: a good
 * zone is secure (and every RRset's verdict equals ldns's own), then one breakage at a time
 * gives its reason code and status.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_zone_util.h"

static const char *const ZONE_TEXT = "$ORIGIN example.com.\n$TTL 3600\n"
                                     "@ SOA ns1 host 1 3600 900 604800 300\n"
                                     "@ NS ns1\n"
                                     "ns1 A 192.0.2.1\n"
                                     "@ A 192.0.2.10\n"
                                     "www A 192.0.2.11\n"
                                     "@ CAA 0 issue \"ca.example\"\n"
                                     "sub NS ns.sub\n"
                                     "ns.sub A 192.0.2.53\n";

static ldns_rr_list *ds_list(const char *const *texts)
{
    return tv_list(texts);
}

static void test_good_zone(const struct test_zone *z)
{
    struct answers s;
    answers_build(&s, z);
    verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in);
    is_str(verify_status_name(v->status), "secure", "ldns-signzone zone with its DS: secure");
    is_int(v->n_reasons, 0, "good zone: no reasons");
    print_reasons(v);
    ok(v->keyset && verify_keyset_count(v->keyset) == 2, "secure verdict carries the 2-key set");
    is_int(v->n_keys, 2, "two DNSKEY summaries");
    is_int(v->earliest_expiration, tv_time(TZ_EXPIRATION), "earliest expiration = signer's -e");
    is_int(v->n_cds, 2, "CDS and CDNSKEY summarised");
    char want[600];
    verify_ds_text(z->ksk_key, 2, 3600, want, sizeof want);
    ok(v->n_ds_records == 1 && strcmp(v->ds_records[0], want) == 0, "DS hint is the KSK's: %s",
       v->n_ds_records ? v->ds_records[0] : "(none)");
    ldns_rdf *digest = ldns_rr_rdf(ldns_rr_list_rr(z->ksk_ds, 0), 3);
    char *hex = ldns_rdf2str(digest);
    for (char *c = hex; *c; c++)
        *c = (char)((*c >= 'a' && *c <= 'f') ? *c - 32 : *c);
    ok(strstr(want, hex) != NULL, "DS hint digest equals ldns-keygen's .ds file");
    free(hex);
    /* The scanner's use of verify_negative(): the unsigned delegation sub has no DS. */
    ldns_pkt *neg = tz_answer(z, "sub.example.com.", LDNS_RR_TYPE_DS);
    ldns_rdf *www = tv_name("sub.example.com.");
    verify_negative_result_t nr;
    is_int(verify_negative(ctx, v->keyset, neg, www, LDNS_RR_TYPE_DS, true, now_in, &nr), 0,
           "verify_negative runs");
    ok(nr.proven, "signed NSEC records of a no-DS answer: proven (%s)", nr.detail);
    is_int(nr.earliest_expiration, tv_time(TZ_EXPIRATION), "NSEC RRSIG expiration reported");
    tz_corrupt(neg, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC);
    verify_negative(ctx, v->keyset, neg, www, LDNS_RR_TYPE_DS, true, now_in, &nr);
    ok(!nr.proven && nr.reason == VERIFY_REASON_DENIAL_INVALID,
       "broken NSEC RRSIG in a no-DS answer: DENIAL_INVALID (%s)", nr.detail);
    tz_drop(neg, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC, 0);
    verify_negative(ctx, v->keyset, neg, www, LDNS_RR_TYPE_DS, true, now_in, &nr);
    ok(!nr.proven && nr.reason == VERIFY_REASON_DENIAL_MISSING,
       "no NSEC in a no-DS answer: DENIAL_MISSING");
    ldns_rdf_deep_free(www);
    ldns_pkt_free(neg);

    /* The keyset outlives the verdict with its own reference. */
    verify_keyset_t *kept = verify_keyset_ref(v->keyset);
    verify_verdict_free(v);
    ok(verify_keyset_key(kept, 0) != NULL, "keyset usable after the verdict is freed");
    verify_keyset_free(kept);

    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, tv_time("20260302000000")), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_RRSIG_EXPIRED, "after -e");
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, tv_time("20251231000000")), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_RRSIG_NOT_YET_VALID, "before -i");
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, tv_time("20260228000000")), VERIFY_STATUS_SECURE,
           VERIFY_REASON_RRSIG_EXPIRES_SOON, "one day before -e");
    expect(judge(&s, VERIFY_PARENT_NO_DS, NULL, now_in), VERIFY_STATUS_INSECURE,
           VERIFY_REASON_DNSKEY_WITHOUT_DS, "parent proves no DS");
    expect(judge(&s, VERIFY_PARENT_INSECURE, NULL, now_in), VERIFY_STATUS_INSECURE,
           VERIFY_REASON_PARENT_UNSIGNED, "parent unsigned");
    verify_zone_input_t no_ds = {.zone = apex, .parent = VERIFY_PARENT_DS, .now = now_in};
    verify_verdict_t *none = NULL;
    is_int(verify_zone(ctx, &no_ds, &none), VERIFY_EINVAL, "DS state without DS: EINVAL");
    ok(none == NULL, "no verdict on EINVAL");
    v = judge(&s, VERIFY_PARENT_BOGUS, NULL, now_in);
    expect(v, VERIFY_STATUS_BOGUS, -1, "parent bogus (the caller says why, once per domain)");
    answers_free(&s);
}

static void test_ds_cases(const struct test_zone *z)
{
    struct answers s;
    answers_build(&s, z);
    char text[600];
    ldns_rr *ds0 = ldns_rr_list_rr(z->ksk_ds, 0);

    ldns_rr_list *bad = ldns_rr_list_clone(z->ksk_ds);
    ldns_rdf_data(ldns_rr_rdf(ldns_rr_list_rr(bad, 0), 3))[3] ^= 0x01;
    expect(judge(&s, VERIFY_PARENT_DS, bad, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DS_DIGEST_MISMATCH, "DS digest with one flipped bit");
    ldns_rr_list_deep_free(bad);

    const char *other[] = {"example.com. 3600 IN DS 1 13 2 "
                           "B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17",
                           NULL};
    bad = ds_list(other);
    verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, bad, now_in);
    ok(v->n_ds_records == 1, "DS_NO_MATCHING_DNSKEY verdict still prints the DS to publish");
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_DS_NO_MATCHING_DNSKEY, "DS of another key");

    /* The stale DS next to the good one: a warning, still secure. */
    ldns_rr_list_push_rr(bad, ldns_rr_clone(ds0));
    expect(judge(&s, VERIFY_PARENT_DS, bad, now_in), VERIFY_STATUS_SECURE, VERIFY_REASON_DS_STALE,
           "stale DS beside the working one");
    ldns_rr_list_deep_free(bad);

    verify_ds_text(z->zsk_key, 2, 3600, text, sizeof text);
    const char *zsk[] = {text, NULL};
    bad = ds_list(zsk);
    expect(judge(&s, VERIFY_PARENT_DS, bad, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DS_KEY_NOT_SIGNING, "DS of the ZSK (KSK alone signs DNSKEY)");
    ldns_rr_list_deep_free(bad);

    verify_ds_text(z->ksk_key, 1, 3600, text, sizeof text);
    const char *sha1[] = {text, NULL};
    bad = ds_list(sha1);
    expect(judge(&s, VERIFY_PARENT_DS, bad, now_in), VERIFY_STATUS_SECURE,
           VERIFY_REASON_DS_DIGEST_DEPRECATED, "SHA-1 DS only");
    ldns_rr_list_deep_free(bad);

    /* GOST (digest 3) is not computed here: insecure, and deprecated. */
    char gost[700];
    snprintf(gost, sizeof gost, "example.com. 3600 IN DS %u 13 3 %064d",
             (unsigned)verify_key_tag(z->ksk_key), 0);
    const char *gost_ds[] = {gost, NULL};
    bad = ds_list(gost_ds);
    v = judge(&s, VERIFY_PARENT_DS, bad, now_in);
    ok(verify_verdict_has(v, VERIFY_REASON_DS_DIGEST_DEPRECATED), "GOST-only DS: deprecated");
    expect(v, VERIFY_STATUS_INSECURE, VERIFY_REASON_ALGORITHM_UNSUPPORTED, "GOST-only DS");
    ldns_rr_list_deep_free(bad);

    const char *unsup[] = {"example.com. 3600 IN DS 4242 253 2 "
                           "B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17",
                           NULL};
    bad = ds_list(unsup);
    expect(judge(&s, VERIFY_PARENT_DS, bad, now_in), VERIFY_STATUS_INSECURE,
           VERIFY_REASON_ALGORITHM_UNSUPPORTED, "DS of an unsupported algorithm only");
    ldns_rr_list_deep_free(bad);

    /* A DS for an algorithm 15 key that signs nothing: algorithm 15 is incomplete. */
    const char *ed[] = {"example.com. 3600 IN DS 3613 15 2 "
                        "3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B",
                        NULL};
    bad = ds_list(ed);
    ldns_rr_list_push_rr(bad, ldns_rr_clone(ds0));
    expect(judge(&s, VERIFY_PARENT_DS, bad, now_in), VERIFY_STATUS_SECURE,
           VERIFY_REASON_ALGORITHM_INCOMPLETE, "DS algorithm 15 signs no RRset");
    ldns_rr_list_deep_free(bad);
    answers_free(&s);
}

static void test_answer_cases(const struct test_zone *z)
{
    struct answers s;

    answers_build(&s, z);
    tz_drop(s.dnskey, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_DNSKEY, 0);
    tz_drop(s.dnskey, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG, 0);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DS_ZONE_UNSIGNED, "no DNSKEY served, DS at the parent");
    answers_free(&s);

    answers_build(&s, z);
    tz_drop(s.dnskey, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG, 0);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DNSKEY_UNSIGNED, "DNSKEY RRset without RRSIG");
    answers_free(&s);

    answers_build(&s, z);
    ldns_pkt *pk[] = {s.dnskey, s.soa, s.a, s.caa, s.cds, s.cdnskey, s.probe};
    for (size_t i = 0; i < 7; i++) {
        tz_drop(pk[i], LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG, 0);
        tz_drop(pk[i], LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_RRSIG, 0);
    }
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DNSSEC_STRIPPED, "every RRSIG stripped");
    answers_free(&s);

    answers_build(&s, z);
    tz_drop(s.soa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG, 0);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_RRSIG_MISSING, "SOA without RRSIG");
    answers_free(&s);

    answers_build(&s, z);
    tz_corrupt(s.soa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_SOA);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_RRSIG_INVALID, "SOA RRSIG with a flipped bit");
    answers_free(&s);

    answers_build(&s, z);
    tz_corrupt(s.caa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_CAA);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_CAA_BOGUS, "CAA RRSIG with a flipped bit");
    answers_free(&s);

    answers_build(&s, z);
    tz_drop(s.probe, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC, 0);
    tz_drop(s.probe, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_RRSIG, LDNS_RR_TYPE_NSEC);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_MISSING, "NXDOMAIN without NSEC");
    answers_free(&s);

    answers_build(&s, z);
    tz_corrupt(s.probe, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_INVALID, "NXDOMAIN with a broken NSEC RRSIG");
    answers_free(&s);

    answers_build(&s, z);
    tz_corrupt(s.cds, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_CDS);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_SECURE,
           VERIFY_REASON_CDS_INVALID, "CDS with a broken RRSIG");
    answers_free(&s);

    /* The parent also holds a SHA-1 DS the CDS does not ask for: a pending change. */
    answers_build(&s, z);
    char text[600];
    verify_ds_text(z->ksk_key, 1, 3600, text, sizeof text);
    ldns_rr_list *ds = ldns_rr_list_clone(z->ksk_ds);
    ldns_rr_list_push_rr(ds, tv_rr(text));
    expect(judge(&s, VERIFY_PARENT_DS, ds, now_in), VERIFY_STATUS_SECURE, VERIFY_REASON_CDS_PENDING,
           "CDS differs from the parent's DS");
    ldns_rr_list_deep_free(ds);
    answers_free(&s);
}

/* apex_only (the scanner's --servers names, for an address asked DNSKEY and SOA alone): the
 * other answers are neither required nor judged; apex_status compares such a server with one
 * asked everything. */
static void test_apex_only(const struct test_zone *z)
{
    struct answers s;
    answers_build(&s, z);
    verify_zone_input_t in = {.zone = apex,
                              .parent = VERIFY_PARENT_DS,
                              .parent_ds = z->ksk_ds,
                              .dnskey = s.dnskey,
                              .soa = s.soa,
                              .now = now_in,
                              .apex_only = true};
    verify_verdict_t *v = NULL;
    ok(verify_zone(ctx, &in, &v) == 0 && v, "apex_only: judged");
    if (v) {
        is_str(verify_status_name(v->status), "secure",
               "apex_only, no A/CAA/CDS/probe answers: secure (not asked, not missing)");
        ok(!verify_verdict_has(v, VERIFY_REASON_NS_UNREACHABLE),
           "apex_only: no NS_UNREACHABLE for questions it was not asked");
        is_str(verify_status_name(v->apex_status), "secure", "apex_only: apex_status = status");
        verify_verdict_free(v);
    }
    in.apex_only = false;
    ok(verify_zone(ctx, &in, &v) == 0 && v && v->status == VERIFY_STATUS_BOGUS &&
           verify_verdict_has(v, VERIFY_REASON_NS_UNREACHABLE),
       "the same answers asked of a server asked everything: bogus, NS_UNREACHABLE");
    verify_verdict_free(v);

    tz_corrupt(s.caa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_CAA);
    v = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in);
    ok(v->status == VERIFY_STATUS_BOGUS && v->apex_status == VERIFY_STATUS_SECURE,
       "a broken CAA RRSIG: status bogus, apex_status secure (%s, %s)",
       verify_status_name(v->status), verify_status_name(v->apex_status));
    verify_verdict_free(v);
    in.caa = s.caa;
    in.apex_only = true;
    ok(verify_zone(ctx, &in, &v) == 0 && v && v->status == VERIFY_STATUS_SECURE &&
           !verify_verdict_has(v, VERIFY_REASON_CAA_BOGUS),
       "apex_only with a broken CAA answer present: CAA is not judged");
    verify_verdict_free(v);

    tz_corrupt(s.soa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_SOA);
    ok(verify_zone(ctx, &in, &v) == 0 && v && v->status == VERIFY_STATUS_BOGUS &&
           v->apex_status == VERIFY_STATUS_BOGUS &&
           verify_verdict_has(v, VERIFY_REASON_RRSIG_INVALID),
       "apex_only with a broken SOA RRSIG: bogus, RRSIG_INVALID");
    verify_verdict_free(v);
    v = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in);
    ok(v->status == VERIFY_STATUS_BOGUS && v->apex_status == VERIFY_STATUS_BOGUS,
       "broken SOA and CAA, asked everything: apex_status bogus too");
    verify_verdict_free(v);
    answers_free(&s);
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
    is_int(rc, 0, "P-256 zone signed with NSEC and CDS/CDNSKEY");
    if (rc == 0) {
        cross_check_ldns(&z, now_in, "P-256 NSEC zone in its window");
        cross_check_ldns(&z, tv_time("20260401000000"), "P-256 NSEC zone after expiry");
        test_good_zone(&z);
        test_ds_cases(&z);
        test_answer_cases(&z);
        test_apex_only(&z);
    }
    tz_free(&z);

    verify_ctx_free(ctx);
    ldns_rdf_deep_free(apex);
    return tap_done();
}
