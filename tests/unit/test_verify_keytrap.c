/*
 * Validation work limits (KeyTrap, CVE-2023-50387; NSEC3 hashing, CVE-2023-50868): keys per
 * RRSIG, RRSIGs per RRset, per-server and per-domain budgets, the memo's key binding, DNSKEY
 * de-duplication, linear CDS checks, each DS digest of a key computed (and charged) once, and
 * NSEC3 above 150 iterations (coverage still checked).
 * Zones are signed at test time by ldns-signzone; decoy keys are real P-256 points.
 */
#include "tests/unit/keytrap_gen.h"
#include "verify/sig_internal.h"

#define BAIL_OUT(msg)                                                                              \
    do {                                                                                           \
        printf("Bail out! %s\n", msg);                                                             \
        exit(1);                                                                                   \
    } while (0)

static const char *const ZONE_TEXT = "$ORIGIN example.com.\n$TTL 3600\n"
                                     "@ SOA ns1 host 1 3600 900 604800 300\n"
                                     "@ NS ns1\n"
                                     "ns1 A 192.0.2.1\n"
                                     "@ A 192.0.2.10\n"
                                     "www A 192.0.2.11\n"
                                     "@ CAA 0 issue \"ca.example\"\n";

/* Puts the ZSK first or last in the DNSKEY answer (the order is the server's choice: an
 * attacker lists the decoys first). Returns how many DNSKEYs share its tag. */
static size_t zsk_to(ldns_pkt *p, const ldns_rr *zsk, bool first)
{
    ldns_rr_list *l = ldns_pkt_answer(p), *keep = ldns_rr_list_new();
    ldns_rr *found = NULL;
    size_t sharing = 0;
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
        ldns_rr *rr = ldns_rr_list_rr(l, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNSKEY &&
            verify_key_tag(rr) == verify_key_tag(zsk))
            sharing++;
        if (!found && ldns_rr_compare(rr, zsk) == 0)
            found = rr;
        else
            ldns_rr_list_push_rr(keep, rr);
    }
    ldns_rr_list_set_rr_count(l, 0);
    if (found && first)
        ldns_rr_list_push_rr(l, found);
    for (size_t i = 0; i < ldns_rr_list_rr_count(keep); i++)
        ldns_rr_list_push_rr(l, ldns_rr_list_rr(keep, i));
    if (found && !first)
        ldns_rr_list_push_rr(l, found);
    ldns_rr_list_free(keep);
    return sharing;
}

static verify_verdict_t *judge_budget(const struct answers *s, const ldns_rr_list *ds,
                                      verify_budget_t *b)
{
    verify_zone_input_t in = {.zone = apex,
                              .parent = VERIFY_PARENT_DS,
                              .parent_ds = ds,
                              .dnskey = s->dnskey,
                              .soa = s->soa,
                              .a = s->a,
                              .caa = s->caa,
                              .cds = s->cds,
                              .cdnskey = s->cdnskey,
                              .nxdomain_probe = s->probe,
                              .now = now_in,
                              .domain_budget = b};
    verify_verdict_t *v = NULL;
    if (verify_zone(ctx, &in, &v) != 0 || !v)
        exit(2);
    return v;
}

static const char *detail_of(const verify_verdict_t *v, verify_reason_code_t code)
{
    for (size_t i = 0; i < v->n_reasons; i++)
        if (v->reasons[i].code == code)
            return v->reasons[i].detail;
    return "";
}

static void keys_per_rrsig(struct test_zone *z)
{
    struct answers s;
    verify_budget_t b;
    answers_build(&s, z);
    size_t sharing = zsk_to(s.dnskey, z->zsk_key, true);
    is_int((int)sharing, 21, "the ZSK and 20 decoys share key tag %u", verify_key_tag(z->zsk_key));
    verify_budget_init(&b, ctx);
    verify_verdict_t *v = judge_budget(&s, z->ksk_ds, &b);
    printf("# 20 decoys after the ZSK: %u signature operations\n", b.sig_ops);
    expect(v, VERIFY_STATUS_SECURE, -2, "20 DNSKEYs share the ZSK's tag, ZSK listed first");

    zsk_to(s.dnskey, z->zsk_key, false);
    verify_budget_init(&b, ctx);
    v = judge_budget(&s, z->ksk_ds, &b);
    const char *d = detail_of(v, VERIFY_REASON_VALIDATION_LIMIT);
    ok(strstr(d, "21 DNSKEYs share key tag") && strstr(d, "tried 4"),
       "detail names the collision: \"%s\"", d);
    /* SOA, A, CAA, and the NSEC RRsets of two proofs: 4 keys each at most, plus the DNSKEY. */
    ok(b.sig_ops <= 4 * 8 + 1, "%u signature operations (4 per RRSIG at most)", b.sig_ops);
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_VALIDATION_LIMIT, "ZSK listed after 20 decoys");
    answers_free(&s);
}

static size_t imported(const verify_keyset_t *ks)
{
    size_t n = 0;
    for (size_t i = 0; i < ks->n; i++)
        n += atomic_load(&ks->keys[i].imported);
    return n;
}

/* Keys are imported when a signature first verifies with them: a KeyTrap zone's decoys never
 * are (the 4 tried per RRSIG are compared with the keys recovered from it, ecdsa_recover.c),
 * and sizes come from the RDATA without an import. */
static void lazy_import(struct test_zone *z)
{
    struct answers s;
    answers_build(&s, z);
    for (int first = 0; first < 2; first++) {
        zsk_to(s.dnskey, z->zsk_key, first);
        verify_keyset_t *ks = NULL;
        ldns_rr_list *soa = NULL, *sigs = NULL;
        if (verify_keyset_new(apex, ldns_pkt_answer(s.dnskey), &ks) != 0 ||
            verify_pkt_rrset(s.soa, LDNS_SECTION_ANSWER, apex, LDNS_RR_TYPE_SOA, &soa, &sigs) != 0)
            BAIL_OUT("keyset or SOA RRset");
        size_t p256 = 0;
        for (size_t i = 0; i < ks->n; i++)
            p256 += ks->keys[i].bits == 256;
        is_int((int)imported(ks), 0, "a new keyset of %zu DNSKEYs has imported none", ks->n);
        is_int((int)p256, (int)ks->n, "and knows every key's size (256 bits) from its RDATA");
        verify_sig_result_t res;
        verify_rrset(ks, soa, sigs, now_in, &res);
        if (first) {
            is_int(res.outcome, VERIFY_SIG_VALID, "ZSK listed first: the SOA verifies");
            is_int((int)imported(ks), 1, "with one key imported (the ZSK)");
        } else {
            is_int(res.reason, VERIFY_REASON_VALIDATION_LIMIT, "ZSK listed last: VALIDATION_LIMIT");
            /* The 4 decoys tried were compared with the keys recovered from each RRSIG
             * (ecdsa_recover.c): none is imported, as none verifies. */
            is_int((int)imported(ks), 0, "4 decoys tried by recovery, none of the %zu imported",
                   ks->n);
        }
        ldns_rr_list_free(soa);
        ldns_rr_list_free(sigs);
        verify_keyset_free(ks);
    }
    answers_free(&s);
}

static void rrsigs_per_rrset(struct test_zone *z)
{
    struct answers s;
    verify_budget_t clean, b;
    answers_build(&s, z);
    verify_budget_init(&clean, ctx);
    verify_verdict_free(judge_budget(&s, z->ksk_ds, &clean));
    kt_bogus_sigs(s.soa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_SOA, 7);
    verify_budget_init(&b, ctx);
    verify_verdict_t *v = judge_budget(&s, z->ksk_ds, &b);
    is_int(b.sig_ops, clean.sig_ops + 7, "7 bogus RRSIGs before the genuine one: 7 more verifies");
    expect(v, VERIFY_STATUS_SECURE, -2, "the 8th RRSIG tried verifies");
    answers_free(&s);

    answers_build(&s, z);
    kt_bogus_sigs(s.soa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_SOA, 590);
    verify_budget_init(&b, ctx);
    v = judge_budget(&s, z->ksk_ds, &b);
    /* The DNSKEY RRset (1 verify) is judged before the SOA; after the SOA's 8 tries the
     * server's work stops: its A, CAA, probe and CDS cost nothing more. */
    is_int(b.sig_ops, 1 + 8,
           "590 bogus RRSIGs: 8 tried over the SOA, then the server's work stops (clean: %u)",
           clean.sig_ops);
    const char *d = detail_of(v, VERIFY_REASON_VALIDATION_LIMIT);
    ok(strstr(d, "591 RRSIGs over example.com/SOA") && strstr(d, "tried 8"), "detail: \"%s\"", d);
    expect(v, VERIFY_STATUS_BOGUS, VERIFY_REASON_VALIDATION_LIMIT, "590 bogus RRSIGs first");
    answers_free(&s);
}

/* Decoys before the ZSK and 40 bogus RRSIGs on every RRset, on 16 servers of one domain. */
static void budgets(struct test_zone *z)
{
    struct answers s;
    verify_budget_t domain;
    answers_build(&s, z);
    zsk_to(s.dnskey, z->zsk_key, false);
    ldns_pkt *pkts[] = {s.soa, s.a, s.caa};
    uint16_t types[] = {LDNS_RR_TYPE_SOA, LDNS_RR_TYPE_A, LDNS_RR_TYPE_CAA};
    for (int i = 0; i < 3; i++)
        kt_bogus_sigs(pkts[i], LDNS_SECTION_ANSWER, types[i], 40);
    kt_bogus_sigs(s.probe, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC, 40);
    verify_budget_init(&domain, ctx);
    unsigned most = 0, limited = 0;
    for (int server = 0; server < 16; server++) {
        unsigned before = domain.ops;
        verify_verdict_t *v = judge_budget(&s, z->ksk_ds, &domain);
        if (domain.ops - before > most)
            most = domain.ops - before;
        limited += v->status == VERIFY_STATUS_BOGUS &&
                   verify_verdict_has(v, VERIFY_REASON_VALIDATION_LIMIT);
        if (server == 15)
            ok(strstr(detail_of(v, VERIFY_REASON_VALIDATION_LIMIT), "per-domain budget"),
               "the 16th server is stopped by the domain budget: \"%s\"",
               detail_of(v, VERIFY_REASON_VALIDATION_LIMIT));
        verify_verdict_free(v);
    }
    ok(most <= 64, "at most %u operations on one server (limit 64)", most);
    ok(domain.ops <= 512 && domain.exceeded, "%u operations for the domain (limit 512), exceeded",
       domain.ops);
    is_int(limited, 16, "every server's verdict: bogus, VALIDATION_LIMIT");
    answers_free(&s);
}

static void memo_binding(struct test_zone *z)
{
    struct verify_sig_memo m;
    verify_sig_memo_init(&m);
    const uint8_t data[] = "signed data", sig[64] = {1, 2, 3};
    uint8_t a[SIG_MEMO_FP_LEN], b[SIG_MEMO_FP_LEN], zero[SIG_MEMO_FP_LEN] = {0};
    ldns_rr_list *all = tz_all(z);
    const ldns_rr *decoy = NULL;
    uint16_t tag = verify_key_tag(z->zsk_key);
    for (size_t i = 0; i < ldns_rr_list_rr_count(all) && !decoy; i++) {
        const ldns_rr *rr = ldns_rr_list_rr(all, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNSKEY && verify_key_tag(rr) == tag &&
            ldns_rr_compare(rr, z->zsk_key) != 0)
            decoy = rr;
    }
    uint8_t ra[1024], rb[1024];
    long la = verify_sig_rdata_copy(z->zsk_key, ra, sizeof ra),
         lb = verify_sig_rdata_copy(decoy, rb, sizeof rb);
    ok(decoy && la > 0 && lb > 0, "a decoy with the ZSK's tag %u", tag);
    verify_sig_memo_fingerprint(&m, data, sizeof data, sig, sizeof sig, ra, (size_t)la, a);
    verify_sig_memo_fingerprint(&m, data, sizeof data, sig, sizeof sig, rb, (size_t)lb, b);
    ok(memcmp(a, b, sizeof a) != 0, "two keys with one tag: different fingerprints");
    verify_sig_memo_add(&m, a);
    ok(verify_sig_memo_seen(&m, a) && !verify_sig_memo_seen(&m, b),
       "the ZSK's verdict is not the decoy's");
    /* Length framing: moving a byte from the data into the signature changes the print. */
    verify_sig_memo_fingerprint(&m, data, sizeof data - 1, (const uint8_t *)"\0", 1, ra, (size_t)la,
                                b);
    uint8_t c[SIG_MEMO_FP_LEN];
    verify_sig_memo_fingerprint(&m, data, sizeof data, NULL, 0, ra, (size_t)la, c);
    ok(memcmp(b, c, sizeof b) != 0, "fields are length-framed");
    for (int i = 0; i < SIG_MEMO_INLINE + 4; i++) {
        uint8_t fp[SIG_MEMO_FP_LEN];
        memset(fp, 0x11 * (i + 1), sizeof fp);
        verify_sig_memo_add(&m, fp);
    }
    ok(m.slots != NULL && !verify_sig_memo_seen(&m, zero),
       "table in use: an all-zero fingerprint matches no empty slot");
    verify_sig_memo_destroy(&m);
    ldns_rr_list_deep_free(all);
}

static void dedupe(struct test_zone *z)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (int i = 0; i < 5; i++)
        ldns_rr_list_push_rr(l, ldns_rr_clone(z->zsk_key));
    ldns_rr_list_push_rr(l, ldns_rr_clone(z->ksk_key));
    verify_keyset_t *ks = NULL;
    verify_keyset_new(apex, l, &ks);
    is_int((int)verify_keyset_count(ks), 2, "the ZSK 5 times and the KSK: 2 keys");
    verify_keyset_free(ks);
    ldns_rr_list_deep_free(l);
}

/* 1,300 CDS records naming the KSK's tag with other digests: judged in a bounded number of
 * digests (one per served key of that tag), not 1,300 x keys. */
static void cds_linear(struct test_zone *z)
{
    struct answers s;
    verify_budget_t clean, b;
    answers_build(&s, z);
    verify_budget_init(&clean, ctx);
    verify_verdict_free(judge_budget(&s, z->ksk_ds, &clean));
    uint16_t tag = verify_key_tag(z->ksk_key);
    for (int i = 0; i < 1300; i++) {
        char text[256];
        snprintf(text, sizeof text, "example.com. 3600 IN CDS %u 13 2 %064x", tag, i + 1);
        ldns_pkt_push_rr(s.cds, LDNS_SECTION_ANSWER, tv_rr(text));
    }
    verify_budget_init(&b, ctx);
    verify_verdict_t *v = judge_budget(&s, z->ksk_ds, &b);
    printf("# clean: %u operations; with 1,300 CDS: %u\n", clean.ops, b.ops);
    ok(b.ops <= clean.ops + 2, "1,300 CDS x %zu DNSKEYs: %u more digests", v->n_keys,
       b.ops - clean.ops);
    ok(verify_verdict_has(v, VERIFY_REASON_CDS_INVALID), "and the CDS set is CDS_INVALID");
    ok(!verify_verdict_has(v, VERIFY_REASON_VALIDATION_LIMIT), "within the budget");
    verify_verdict_free(v);
    answers_free(&s);
}

/* "ldns-key2ds -4": the SHA-384 DS of the KSK, made by the real tool. */
static ldns_rr *ksk_sha384_ds(const struct test_zone *z)
{
    char cmd[512], out[512];
    snprintf(cmd, sizeof cmd, "cd %s && ldns-key2ds -n -4 %s.key", z->dir, z->ksk);
    if (tz_run(cmd, out, sizeof out) < 0)
        BAIL_OUT("ldns-key2ds -4 failed");
    return tv_rr(out);
}

/* Text of rr with its type renamed (DS -> CDS, DNSKEY -> CDNSKEY): the RDATA is the same. */
static void retyped(FILE *f, const ldns_rr *rr, const char *from, const char *to)
{
    char *text = ldns_rr2str(rr), *at = strstr(text, from);
    if (!at)
        BAIL_OUT("no type field to rename");
    *at = '\0';
    fprintf(f, "%s%s%s", text, to, at + strlen(from));
    free(text);
}

/* A zone whose parent has a SHA-256 and a SHA-384 DS of its KSK and which publishes the same
 * two as CDS and the KSK as CDNSKEY: the DS matching, the CDS x DNSKEY, CDNSKEY x DS and
 * CDS x CDNSKEY checks all ask for those two digests, which are computed and charged once
 * each. Charging every request made a large ordinary zone (40 keys, 20 DS, 20 CDS + 20
 * CDNSKEY, the lab's manykeys.test) exhaust the per-server budget: a false VALIDATION_LIMIT. */
static void digests_once(struct test_zone *z)
{
    ldns_rr *sha384 = ksk_sha384_ds(z);
    ldns_rr_list *ds = ldns_rr_list_new();
    ldns_rr_list_push_rr(ds, ldns_rr_clone(ldns_rr_list_rr(z->ksk_ds, 0)));
    ldns_rr_list_push_rr(ds, sha384);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs(ZONE_TEXT, f);
    for (size_t i = 0; i < ldns_rr_list_rr_count(ds); i++)
        retyped(f, ldns_rr_list_rr(ds, i), "\tDS\t", "\tCDS\t");
    retyped(f, z->ksk_key, "\tDNSKEY\t", "\tCDNSKEY\t");
    fclose(f);
    if (kt_resign_with_decoys(z, text, 0) != 0)
        BAIL_OUT("re-signing with CDS/CDNSKEY failed");
    free(text);
    struct answers s;
    answers_build(&s, z);
    verify_budget_t b;
    verify_budget_init(&b, ctx);
    verify_verdict_t *v = judge_budget(&s, ds, &b);
    unsigned digests = b.ops - b.sig_ops;
    printf("# %u operations: %u signatures, %u digests; %zu CDS/CDNSKEY\n", b.ops, b.sig_ops,
           digests, v->n_cds);
    is_int((int)v->n_cds, 3, "2 CDS and 1 CDNSKEY served");
    is_int((int)digests, 2,
           "DS, CDS and CDNSKEY checks of one key and two digest types: 2 digests");
    expect(v, VERIFY_STATUS_SECURE, -1, "CDS and CDNSKEY equal to the DS: secure, no reason");
    answers_free(&s);
    ldns_rr_list_deep_free(ds);
}

/* NSEC3 with 200 iterations (ldns-signzone -n -t 200): coverage checked, then unprovable. */
static void nsec3_iterations(void)
{
    struct test_zone z;
    if (tz_sign(&z, "ECDSAP256SHA256", 0, ZONE_TEXT, false, "-n -t 200") != 0)
        BAIL_OUT("signing with 200 NSEC3 iterations failed");
    struct answers s;
    answers_build(&s, &z);
    verify_verdict_t *v = judge_budget(&s, z.ksk_ds, NULL);
    ok(verify_verdict_has(v, VERIFY_REASON_NSEC3_ITERATIONS), "200 iterations: NSEC3_ITERATIONS");
    expect(v, VERIFY_STATUS_SECURE, VERIFY_REASON_NSEC3_ITERATIONS,
           "the zone's own unprovable negatives are a warning");
    v = judge_budget(&s, z.ksk_ds, NULL);
    verify_negative_result_t nr;
    const ldns_rdf *probe = ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(s.probe), 0));
    verify_negative(ctx, v->keyset, s.probe, probe, LDNS_RR_TYPE_A, false, now_in, &nr);
    ok(nr.insecure_iterations && !nr.proven, "covering NXDOMAIN: insecure_iterations, not proven");
    ldns_rdf *www = tv_name("www.example.com.");
    verify_negative(ctx, v->keyset, s.probe, www, LDNS_RR_TYPE_A, false, now_in, &nr);
    ok(!nr.proven && !nr.insecure_iterations && nr.reason == VERIFY_REASON_DENIAL_INVALID,
       "NXDOMAIN for an existing name: DENIAL_INVALID (%s)", nr.detail);
    verify_thresholds_t t;
    verify_thresholds_default(&t);
    t.max_hashes_per_server = 300; /* one name at 200 iterations, not two */
    verify_ctx_t *small = NULL;
    verify_ctx_new(&t, &small);
    verify_negative(small, v->keyset, s.probe, probe, LDNS_RR_TYPE_A, false, now_in, &nr);
    ok(!nr.proven && !nr.insecure_iterations && nr.reason == VERIFY_REASON_VALIDATION_LIMIT,
       "hashing budget of 300 rounds: VALIDATION_LIMIT (%s)", nr.detail);
    verify_ctx_free(small);
    ldns_rdf_deep_free(www);
    verify_verdict_free(v);
    answers_free(&s);
    tz_free(&z);
}

int main(void)
{
    struct test_zone z;
    verify_ctx_new(NULL, &ctx);
    apex = tv_name("example.com.");
    now_in = tv_time("20260115000000");
    if (tz_sign(&z, "ECDSAP256SHA256", 0, ZONE_TEXT, true, NULL) != 0)
        BAIL_OUT("ldns-signzone failed");
    rrsigs_per_rrset(&z);
    cds_linear(&z);
    dedupe(&z);
    digests_once(&z);
    if (kt_resign_with_decoys(&z, ZONE_TEXT, 20) != 0)
        BAIL_OUT("re-signing with decoys failed");
    memo_binding(&z);
    keys_per_rrsig(&z);
    lazy_import(&z);
    if (kt_resign_with_decoys(&z, ZONE_TEXT, 40) != 0)
        BAIL_OUT("re-signing with decoys failed");
    budgets(&z);
    nsec3_iterations();
    tz_free(&z);
    ldns_rdf_deep_free(apex);
    verify_ctx_free(ctx);
    return tap_done();
}
