/*
 * What `secure` requires (verdicts.md) and the resolver rules of issue 14, on a zone signed at
 * test time by ldns-signzone: every apex answer the judgement needs, missing in each way, is a
 * reason and never silence; RFC 4509 digest preference; every broken link reported; the exact
 * validity window with Unbound's skew allowance named; the parent's side of a delegation
 * (verify_delegation): DS signature failures as themselves, no downgrade by unsupported
 * algorithms, a DS signed by a zone between parent and child as a missed cut.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_zone_util.h"

static const char *const ZONE_TEXT =
    "$ORIGIN example.com.\n$TTL 3600\n"
    "@ SOA ns1 host 1 3600 900 604800 300\n"
    "@ NS ns1\n"
    "ns1 A 192.0.2.1\n"
    "@ A 192.0.2.10\n"
    "@ CAA 0 issue \"ca.example\"\n"
    "sec NS ns.sec\n"
    "sec DS 4242 13 2 "
    "8ACBB0CD28F41250A80A491389424D341522D946B0DA0C0291F2D3D771D7805A\n"
    "ns.sec A 192.0.2.54\n"
    "sub NS ns.sub\n"
    "ns.sub A 192.0.2.53\n";

static ldns_pkt *empty_answer(const char *qname, ldns_rr_type t, ldns_pkt_rcode rcode)
{
    ldns_pkt *p = ldns_pkt_query_new(tv_name(qname), t, LDNS_RR_CLASS_IN, LDNS_QR | LDNS_AA);
    ldns_pkt_set_rcode(p, rcode);
    return p;
}

static void replace(ldns_pkt **slot, ldns_pkt *p)
{
    ldns_pkt_free(*slot);
    *slot = p;
}

static void test_apex_answers(const struct test_zone *z)
{
    struct answers s;

    answers_build(&s, z);
    replace(&s.soa, empty_answer("example.com.", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR));
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_MISSING, "SOA answer NOERROR/AA, empty, no proof");
    answers_free(&s);

    answers_build(&s, z);
    ldns_pkt *other = empty_answer("example.com.", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR);
    ldns_pkt_push_rr(other, LDNS_SECTION_ANSWER,
                     tv_rr("other.example. 3600 IN SOA ns1.other.example. host.other.example. 1 "
                           "3600 900 604800 300"));
    replace(&s.soa, other);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_MISSING,
           "SOA answer holding only an unsigned SOA of another owner");
    answers_free(&s);

    answers_build(&s, z);
    replace(&s.a, empty_answer("example.com.", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN));
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_MISSING, "A at the apex answered NXDOMAIN without records");
    answers_free(&s);

    answers_build(&s, z);
    ldns_pkt *nx = tz_answer(z, "zz-no-such-label.example.com.", LDNS_RR_TYPE_A);
    ldns_rr_list_deep_free(ldns_pkt_question(nx)); /* asked for the apex A, not the probe */
    ldns_pkt_set_question(nx, ldns_rr_list_clone(ldns_pkt_question(s.a)));
    replace(&s.a, nx);
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_INVALID, "A at the apex answered NXDOMAIN with signed NSEC");
    answers_free(&s);

    answers_build(&s, z);
    replace(&s.caa, empty_answer("example.com.", LDNS_RR_TYPE_CAA, LDNS_RCODE_SERVFAIL));
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_CAA_BOGUS, "CAA answered SERVFAIL");
    answers_free(&s);

    answers_build(&s, z);
    replace(&s.soa, empty_answer("example.com.", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR));
    replace(&s.a, NULL);
    replace(&s.caa, NULL);
    replace(&s.probe, NULL);
    replace(&s.cds, NULL);
    replace(&s.cdnskey, NULL);
    verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in);
    size_t unreachable = 0;
    for (size_t i = 0; i < v->n_reasons; i++)
        unreachable += v->reasons[i].code == VERIFY_REASON_NS_UNREACHABLE;
    ok(unreachable == 3 && !verify_verdict_has(v, VERIFY_REASON_CAA_BOGUS),
       "A, CAA and probe missing: NS_UNREACHABLE each (%zu), not a CAA validation failure",
       unreachable);
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_DENIAL_MISSING,
           "SOA empty, A/CAA/probe/CDS not answered (only the DNSKEY self-signature verifies)");
    answers_free(&s);

    answers_build(&s, z);
    replace(&s.probe,
            empty_answer("zz-no-such-label.example.com.", LDNS_RR_TYPE_A, LDNS_RCODE_REFUSED));
    expect(judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_NS_LAME, "probe answered REFUSED");
    answers_free(&s);
}

/* An A RRset signed as "*.example.com" returned for the probe name with an empty authority
 * section: a wildcard expansion without the proof that the name does not exist. */
static void test_wildcard_without_proof(void)
{
    struct test_zone w;
    char text[1024];
    snprintf(text, sizeof text, "%s* A 192.0.2.99\n", ZONE_TEXT);
    if (tz_sign(&w, "ECDSAP256SHA256", 0, text, false, NULL) != 0) {
        ok(0, "wildcard zone signed");
        tz_free(&w);
        return;
    }
    struct answers s;
    answers_build(&s, &w);
    ldns_pkt *forged =
        empty_answer("zz-no-such-label.example.com.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR);
    ldns_rr_list *all = tz_all(&w);
    ldns_rdf *star = tv_name("*.example.com.");
    ldns_rdf *probe = tv_name("zz-no-such-label.example.com.");
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
        ldns_rr *rr = ldns_rr_list_rr(all, i);
        if (!tz_covers(rr, star, LDNS_RR_TYPE_A))
            continue;
        ldns_rr *c = ldns_rr_clone(rr);
        ldns_rdf_deep_free(ldns_rr_owner(c));
        ldns_rr_set_owner(c, ldns_rdf_clone(probe));
        ldns_pkt_push_rr(forged, LDNS_SECTION_ANSWER, c);
    }
    replace(&s.probe, forged);
    expect(judge(&s, VERIFY_PARENT_DS, w.ksk_ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DENIAL_MISSING, "wildcard A for the probe, empty authority section");
    /* With the NSEC that covers the probe name (as NSD sends it), it is a proven answer. */
    ldns_pkt *nx = tz_answer(&w, "zz-no-such-label.example.com.", LDNS_RR_TYPE_NSEC);
    ldns_rr_list *auth = ldns_pkt_authority(nx);
    for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
        ldns_rr *rr = ldns_rr_list_rr(auth, i);
        ldns_rr_type t = ldns_rr_get_type(rr);
        uint16_t cov = t == LDNS_RR_TYPE_RRSIG ? ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) : 0;
        if (t == LDNS_RR_TYPE_NSEC || cov == LDNS_RR_TYPE_NSEC)
            ldns_pkt_push_rr(s.probe, LDNS_SECTION_AUTHORITY, ldns_rr_clone(rr));
    }
    ldns_pkt_free(nx);
    expect(judge(&s, VERIFY_PARENT_DS, w.ksk_ds, now_in), VERIFY_STATUS_SECURE, -1,
           "wildcard A for the probe with the NSEC proof");
    answers_free(&s);
    ldns_rr_list_deep_free(all);
    ldns_rdf_deep_free(star);
    ldns_rdf_deep_free(probe);
    tz_free(&w);
}

static ldns_rr_list *ds_of(const ldns_rr *key, uint8_t digest_type, bool corrupt)
{
    char text[600];
    verify_ds_text(key, digest_type, 3600, text, sizeof text);
    if (corrupt) {
        char *last = text + strlen(text) - 1;
        *last = *last == '0' ? '1' : '0';
    }
    ldns_rr_list *l = ldns_rr_list_new();
    ldns_rr_list_push_rr(l, tv_rr(text));
    return l;
}

static void test_ds_rules(const struct test_zone *z)
{
    struct answers s;
    answers_build(&s, z);

    /* RFC 4509 3: a matching SHA-1 DS cannot rescue a mismatching SHA-256 one. */
    ldns_rr_list *ds = ds_of(z->ksk_key, 1, false), *bad256 = ds_of(z->ksk_key, 2, true);
    ldns_rr_list_push_rr(ds, ldns_rr_clone(ldns_rr_list_rr(bad256, 0)));
    expect(judge(&s, VERIFY_PARENT_DS, ds, now_in), VERIFY_STATUS_BOGUS,
           VERIFY_REASON_DS_DIGEST_MISMATCH, "SHA-1 DS matches, SHA-256 DS mismatches");
    ldns_rr_list_deep_free(ds);
    ldns_rr_list_deep_free(bad256);

    /* Both a good SHA-1 and a good SHA-256 DS: secure, and the SHA-1 one is not stale. */
    ds = ds_of(z->ksk_key, 1, false);
    ldns_rr_list *good256 = ds_of(z->ksk_key, 2, false);
    ldns_rr_list_push_rr(ds, ldns_rr_clone(ldns_rr_list_rr(good256, 0)));
    verify_verdict_t *both = judge(&s, VERIFY_PARENT_DS, ds, now_in);
    ok(!verify_verdict_has(both, VERIFY_REASON_DS_STALE) &&
           !verify_verdict_has(both, VERIFY_REASON_DS_DIGEST_DEPRECATED),
       "good SHA-1 + SHA-256 DS: the ignored SHA-1 DS is neither stale nor deprecated");
    /* The zone's CDS holds the SHA-256 DS only: it asks the parent to drop the SHA-1 one. */
    expect(both, VERIFY_STATUS_SECURE, VERIFY_REASON_CDS_PENDING,
           "good SHA-1 and SHA-256 DS of one key");
    ldns_rr_list_deep_free(ds);
    ldns_rr_list_deep_free(good256);

    /* Every broken link: a DS that matches no key and signatures past their expiration. */
    ds = ds_of(z->zsk_key, 2, true); /* tag of the ZSK, wrong digest: no usable match */
    ldns_rr_list *other = ldns_rr_list_new();
    ldns_rr_list_push_rr(other,
                         tv_rr("example.com. 3600 IN DS 1 13 2 "
                               "8ACBB0CD28F41250A80A491389424D341522D946B0DA0C0291F2D3D771D7805A"));
    verify_verdict_t *v = judge(&s, VERIFY_PARENT_DS, other, tv_time("20260401000000"));
    ok(verify_verdict_has(v, VERIFY_REASON_RRSIG_EXPIRED),
       "DS matching no key + expired signatures: RRSIG_EXPIRED reported too");
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_DS_NO_MATCHING_DNSKEY,
           "DS matching no key + expired signatures");
    ldns_rr_list_deep_free(ds);
    ldns_rr_list_deep_free(other);

    /* Exact validity times, with Unbound's allowance named: 10 minutes past expiration of a
     * two-month signature is within Unbound's skew (1 day at most), 2 days past is not. */
    v = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, tv_time("20260301001000"));
    bool said = false;
    for (size_t i = 0; i < v->n_reasons; i++)
        said |= v->reasons[i].code == VERIFY_REASON_RRSIG_EXPIRED &&
                strstr(v->reasons[i].detail, "Unbound") != NULL;
    ok(said, "10 min after expiration: RRSIG_EXPIRED, detail says Unbound still accepts it");
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_RRSIG_EXPIRED, "10 min after expiration");
    v = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, tv_time("20260303000000"));
    said = false;
    for (size_t i = 0; i < v->n_reasons; i++)
        said |= strstr(v->reasons[i].detail, "Unbound") != NULL;
    ok(!said, "2 days after expiration: no skew note");
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_RRSIG_EXPIRED, "2 days after expiration");
    answers_free(&s);
}

/* A referral for child from example.com: NS, and the DS RRset with its RRSIGs when any. */
static ldns_pkt *referral(const struct test_zone *z, const char *child)
{
    ldns_rdf *c = tv_name(child);
    ldns_pkt *p = ldns_pkt_query_new(ldns_rdf_clone(c), LDNS_RR_TYPE_NS, LDNS_RR_CLASS_IN, LDNS_QR);
    ldns_rr_list *all = tz_all(z);
    bool have_ds = false;
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
        ldns_rr *rr = ldns_rr_list_rr(all, i);
        if (tz_covers(rr, c, LDNS_RR_TYPE_DS) || ldns_dname_compare(ldns_rr_owner(rr), c) == 0) {
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS || tz_covers(rr, c, LDNS_RR_TYPE_DS)) {
                have_ds |= ldns_rr_get_type(rr) == LDNS_RR_TYPE_DS;
                ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, ldns_rr_clone(rr));
            }
        }
    }
    if (!have_ds) { /* the NSEC proof of no DS, as NSD adds it */
        ldns_pkt *neg = tz_answer(z, child, LDNS_RR_TYPE_DS);
        ldns_rr_list *auth = ldns_pkt_authority(neg);
        for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
            ldns_rr *rr = ldns_rr_list_rr(auth, i);
            if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA &&
                !(ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
                  ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) == LDNS_RR_TYPE_SOA))
                ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, ldns_rr_clone(rr));
        }
        ldns_pkt_free(neg);
    }
    ldns_rr_list_deep_free(all);
    ldns_rdf_deep_free(c);
    return p;
}

/* Sets the algorithm field of every RRSIG over covered in the authority section. */
static void set_rrsig_alg(ldns_pkt *p, uint16_t covered, uint8_t alg)
{
    ldns_rr_list *l = ldns_pkt_authority(p);
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
        ldns_rr *rr = ldns_rr_list_rr(l, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
            ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) == covered)
            ldns_rdf_data(ldns_rr_rdf(rr, 1))[0] = alg;
    }
}

static void test_delegation(const struct test_zone *z)
{
    struct answers s;
    answers_build(&s, z);
    verify_verdict_t *zv = judge(&s, VERIFY_PARENT_DS, z->ksk_ds, now_in);
    const verify_keyset_t *ks = zv->keyset;
    ok(ks != NULL, "example.com secure: its keys judge its delegations");
    if (!ks) {
        verify_verdict_free(zv);
        answers_free(&s);
        return;
    }
    ldns_rdf *sec = tv_name("sec.example.com."), *sub = tv_name("sub.example.com.");
    verify_delegation_result_t d;

    ldns_pkt *ref = referral(z, "sec.example.com.");
    is_int(verify_delegation(ctx, ks, ref, sec, now_in, NULL, &d), 0, "verify_delegation runs");
    ok(d.state == VERIFY_PARENT_DS && d.ds && ldns_rr_list_rr_count(d.ds) == 1 && !d.has_reason,
       "signed DS RRset: DS state with the one DS");
    ldns_rr_list_free(d.ds);

    verify_delegation(ctx, ks, ref, sec, tv_time("20260401000000"), NULL, &d);
    ok(d.state == VERIFY_PARENT_BOGUS && d.has_reason && d.reason == VERIFY_REASON_RRSIG_EXPIRED,
       "expired RRSIG over an existing DS RRset: RRSIG_EXPIRED, not a denial problem (%s: %s)",
       verify_reason_name(d.reason), d.detail);
    verify_delegation(ctx, ks, ref, sec, tv_time("20251231235700"), NULL, &d);
    ok(d.state == VERIFY_PARENT_BOGUS && d.reason == VERIFY_REASON_RRSIG_NOT_YET_VALID &&
           strstr(d.detail, "Unbound") != NULL,
       "DS RRSIG 3 minutes in the future: NOT_YET_VALID, Unbound's allowance named (%s)", d.detail);

    set_rrsig_alg(ref, LDNS_RR_TYPE_DS, 253);
    verify_delegation(ctx, ks, ref, sec, now_in, NULL, &d);
    ok(d.state == VERIFY_PARENT_BOGUS && d.has_reason,
       "DS RRset signed only with an unsupported algorithm under an alg-13 parent: bogus, not "
       "insecure (%s: %s)",
       d.has_reason ? verify_reason_name(d.reason) : "-", d.detail);
    ldns_pkt_free(ref);

    ref = referral(z, "sub.example.com.");
    verify_delegation(ctx, ks, ref, sub, now_in, NULL, &d);
    ok(d.state == VERIFY_PARENT_NO_DS && !d.has_reason, "unsigned delegation: proven no DS");
    tz_drop(ref, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC, 0);
    verify_delegation(ctx, ks, ref, sub, now_in, NULL, &d);
    ok(d.state == VERIFY_PARENT_BOGUS && d.reason == VERIFY_REASON_PARENT_DS_DENIAL_INVALID,
       "referral without DS nor proof: PARENT_DS_DENIAL_INVALID");
    ldns_pkt_free(ref);

    /* One server authoritative for example.com and for mid.example.com answers the referral
     * for x.mid.example.com from the deeper zone: a missed cut, not a bogus signature. */
    ldns_rdf *x = tv_name("x.mid.example.com.");
    ref = ldns_pkt_query_new(ldns_rdf_clone(x), LDNS_RR_TYPE_NS, LDNS_RR_CLASS_IN, LDNS_QR);
    ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
                     tv_rr("x.mid.example.com. 3600 IN NS ns.x.mid.example.com."));
    ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
                     tv_rr("x.mid.example.com. 3600 IN DS 4242 13 2 "
                           "8ACBB0CD28F41250A80A491389424D341522D946B0DA0C0291F2D3D771D7805A"));
    ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
                     tv_rr("x.mid.example.com. 3600 IN RRSIG DS 13 4 3600 20260301000000 "
                           "20260101000000 4711 MID.example.com. "
                           "IZbO0s7a+wpAIXAVF4oLxATiRwOM0yitR7+tBihVCf8FmlDVQf92fK1wUSuggYfJ+d+25B9"
                           "Zz5bYqL/DQt3bmw=="));
    verify_delegation(ctx, ks, ref, x, now_in, NULL, &d);
    char signer[VERIFY_NAME_TEXT_LEN] = "";
    if (d.cut_missed)
        verify_name_text(d.signer, d.signer_len, signer, sizeof signer);
    ok(d.cut_missed && strcmp(signer, "mid.example.com.") == 0 && !d.has_reason,
       "DS signed by mid.example.com: a missed cut at %s, no reason", signer);
    ldns_pkt_free(ref);
    ldns_rdf_deep_free(x);

    ldns_rdf_deep_free(sec);
    ldns_rdf_deep_free(sub);
    verify_verdict_free(zv);
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
    is_int(rc, 0, "P-256 zone signed with NSEC, a signed and an unsigned delegation");
    if (rc == 0) {
        struct answers s;
        answers_build(&s, &z);
        expect(judge(&s, VERIFY_PARENT_DS, z.ksk_ds, now_in), VERIFY_STATUS_SECURE, -1,
               "every answer as the signer made it");
        answers_free(&s);
        test_apex_answers(&z);
        test_wildcard_without_proof();
        test_ds_rules(&z);
        test_delegation(&z);
    }
    tz_free(&z);
    verify_ctx_free(ctx);
    ldns_rdf_deep_free(apex);
    return tap_done();
}
