/*
 * A real chain captured from the Internet in November 2024 (root -> com -> example.com, as
 * published in a public validation walkthrough), validated at a pinned "now" from the root
 * trust anchor KSK-2017 (20326): the trust anchor, the DS RRsets of the referrals against the
 * parent keysets, and each zone's judgement.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"

static const char *const ROOT_DNSKEY[] = {
    ". 172800 IN DNSKEY 256 3 8 AwEAAc0SunbHdS0KFEyZbYII/+tzsrNzIwurKxmJA+0fhAYlTPA/5LrMGkGEqvvuf"
    "zM0w/CaVtdm5eWkZYQcsoSKT5bycx0C4jxnLEb3ZiZUQSqu1rWcKGF1fj/GyDWLkOu7a5h3el+gPmglj/4l4V31ugN"
    "YfqYq84vCB+3D6Sodrd+85KyonnzWJ8cS7aZ57x0d0sGqsAKA+6tRnIXjVNVe7Ro5xJuz8IR7rOxdzfuRLriN+Z00E"
    "L3U5E7s9SISU/hDh7Q7N70W1mLMc1o2+tCRGjEWrw4wmCWMzc1kegbLES/dUOWFvPjJz0+AEeWDhd2GqtXk02BzAhd"
    "feIAEIv68FTs=",
    ". 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7"
    "HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3"
    "EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apx"
    "z7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6Uw"
    "NR1AkUTV74bU=",
    ". 172800 IN RRSIG DNSKEY 8 0 172800 20241201000000 20241110000000 20326 . qt8zpbIcJohyfnFxwg"
    "MO9lDmZb7FucLDQ02WBcxZLZ2RCyL0JFy4lR8cE4bCEHfMmIVnST+bBTOgKGnXb0gUVMaLeks19V2zpOLQW091g3gzk"
    "EGNIPfFepjnOpR6HUsZG856e4vJqT8OPXTT0V+E3b7N9ulzkOr5KesT02hAIA0dAMNLfeFzlM38L/GUAao9REcaaYfn"
    "8TwG7fET/eQSAUk2Z8aI+xkxbjYdRGjHblc8aJKOo5oHQCh1PY693pjJkBf/SzzMmU91tg4nrWHPoJrc45FBi5bqQ1/"
    "LvAB7B+/HDQPKIakHxxWmZ+hSmDp0Yn6e3B9ppWAffdaCkJj7gg==",
    NULL};

static const char *const COM_DS[] = {
    "com. 86400 IN DS 19718 13 2 8ACBB0CD28F41250A80A491389424D341522D946B0DA0C0291F2D3D771D7805A",
    "com. 86400 IN RRSIG DS 8 1 86400 20241124170000 20241111160000 61050 . df091JsunjSyd2Rh1RVpH"
    "07FPCugkarUWf362yFQnx85oAK9hKqgSSIcMrGPe1a9Cukb841p+MFzP/7fQ+WL5P787w6oQ1K6/pYFNLj9Ueem/Umgl"
    "zf1nQpDD0X+X2zwF7bQ6WKFjLZ0NjmELCmtZOg/vL4ZfZ1jI9vbYnGMdq8Qdt6+pg2cdUmWcBBoNFPDzVRSKxkC4g8X"
    "Uooka8qrWaGWZ+aYUHzxe5hVHVtQMcoOKefNu+qGqUln//uuudPHsnULDACSJtmcsnJAsVrp5VSMB46/2KVpdaX1ITF"
    "bvxclGv+fzwuvMtLO2X7OKzddXZ83xjeBOgYdELJ2OynhSA==",
    NULL};

static const char *const COM_DNSKEY[] = {
    "com. 86400 IN DNSKEY 256 3 13 uugEQOG7/3zv3rVGq43NQTqfmZxWn4fMIpi6ph7JKEvTRwhtw3aIV4dSk+fgpF"
    "FmORrKNznT7AIuJKy6P/Mi1Q==",
    "com. 86400 IN DNSKEY 257 3 13 tx8EZRAd2+K/DJRV0S+hbBzaRPS/G6JVNBitHzqpsGlz8huE61Ms9ANe6NSDLK"
    "JtiTBqfTJWDAywEp1FCsEINQ==",
    "com. 86400 IN RRSIG DNSKEY 13 1 86400 20241118150235 20241103145735 19718 com. IZbO0s7a+wpAIX"
    "AVF4oLxATiRwOM0yitR7+tBihVCf8FmlDVQf92fK1wUSuggYfJ+d+25B9Zz5bYqL/DQt3bmw==",
    NULL};

static const char *const EXAMPLE_DS[] = {
    "example.com. 86400 IN DS 370 13 2 BE74359954660069D5C63D200C39F5603827D7DD02B56F120EE9F3A86764"
    "247C",
    "example.com. 86400 IN RRSIG DS 13 2 86400 20241119012518 20241112001518 29942 com. xDTV+GSyIu"
    "GyeLLin8fd12iXoPr5EayvZ2L6xdC2YMjGKkxQksIS7e26iSR20EVYMPTmdA5Igdb0Eaf+XoA7Ng==",
    NULL};

static const char *const EXAMPLE_DNSKEY[] = {
    "example.com. 3600 IN DNSKEY 256 3 13 OtuN/SL9sE+SDQ0tOLeezr1KzUNi77FflTjxQylUhm3V7m13Vz9tYQu"
    "cSGK0pyxISo9CQsszubAwJSypq3li3g==",
    "example.com. 3600 IN DNSKEY 256 3 13 ai2pvpijJjeNTpBu4yg6T375JqIStPtLABDTAILb+f4J7XpofUNXGQn"
    "6FpQvZ6CARWn2xQapbjGtDRjTf4qYxg==",
    "example.com. 3600 IN DNSKEY 257 3 13 kXKkvWU3vGYfTJGl3qBd4qhiWp5aRs7YtkCJxD2d+t7KXqwahww5IgJ"
    "txJT2yFItlggazyfXqJEVOmMJ3qT0tQ==",
    "example.com. 3600 IN RRSIG DNSKEY 13 2 3600 20241202171948 20241111065631 370 example.com. ga"
    "i6TfgY0Xc9OUoE0UgumfKQOnHZuvXzVnznkc806m8oetr6pyoVi6tfPIrUnFHqL7VgQ78dsW5JsXrFmt332A==",
    NULL};

static const char *const EXAMPLE_A[] = {
    "example.com. 3600 IN A 93.184.215.14",
    "example.com. 3600 IN RRSIG A 13 2 3600 20241117173922 20241027165426 42464 example.com. i547X"
    "FAHRMLksexkC9j18YvDcsDSE1SNVorFihK5mYWJ/wG4zqh3ELOJ/HiVXQ0hdmgFvMj16XbPQJkqIJjI1Q==",
    NULL};

static const char *const ROOT_ANCHOR[] = {
    ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
    NULL};

/* An answer packet holding the given RRs (RRSIGs included). */
static ldns_pkt *packet(const char *qname, ldns_rr_type t, const char *const *texts)
{
    ldns_pkt *p = ldns_pkt_query_new(tv_name(qname), t, LDNS_RR_CLASS_IN, LDNS_QR | LDNS_AA);
    for (size_t i = 0; texts[i]; i++)
        ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, tv_rr(texts[i]));
    return p;
}

/* Splits texts into the RRset and its RRSIGs. */
static void split(const char *const *texts, ldns_rr_list **set, ldns_rr_list **sigs)
{
    ldns_rr_list *all = tv_list(texts);
    *set = ldns_rr_list_new();
    *sigs = ldns_rr_list_new();
    for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
        ldns_rr *rr = ldns_rr_list_rr(all, i);
        ldns_rr_list_push_rr(ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG ? *sigs : *set, rr);
    }
    ldns_rr_list_free(all);
}

/* One zone of the chain: its DNSKEY RRset judged against the DS from its parent (the scanner's
 * judgement of a parent zone), then, for the leaf, its apex A RRset with the validated keys. */
static verify_keyset_t *zone_step(verify_ctx_t *ctx, const char *zone, const ldns_rr_list *ds,
                                  const char *const *dnskey, const char *const *a, int64_t now,
                                  const char *what)
{
    ldns_rdf *z = tv_name(zone);
    ldns_pkt *kp = packet(zone, LDNS_RR_TYPE_DNSKEY, dnskey);
    verify_verdict_t *v = NULL;
    verify_trust_anchor(ctx, z, ds, kp, now, &v);
    is_str(verify_status_name(v->status), "secure", "%s: DNSKEY RRset secure from the DS", what);
    for (size_t i = 0; i < v->n_reasons; i++)
        printf("#   %s: %s\n", verify_reason_name(v->reasons[i].code), v->reasons[i].detail);
    verify_keyset_t *ks = verify_keyset_ref(v->keyset);
    verify_verdict_free(v);
    if (a) {
        ldns_rr_list *set, *sigs;
        split(a, &set, &sigs);
        verify_sig_result_t r;
        verify_rrset(ks, set, sigs, now, &r);
        is_int(r.outcome, VERIFY_SIG_VALID, "%s: apex A verifies with the zone's keys (%s)", what,
               r.detail);
        ldns_rr_list_deep_free(set);
        ldns_rr_list_deep_free(sigs);

        /* The same DNSKEY answer alone is not a secure domain: verdicts.md requires the SOA,
         * A, CAA and probe answers too (issue 14: secure without the apex data). */
        verify_zone_input_t in = {
            .zone = z, .parent = VERIFY_PARENT_DS, .parent_ds = ds, .dnskey = kp, .now = now};
        verify_zone(ctx, &in, &v);
        ok(v->status == VERIFY_STATUS_BOGUS && verify_verdict_has(v, VERIFY_REASON_NS_UNREACHABLE),
           "%s judged as a domain from its DNSKEY answer alone: bogus, NS_UNREACHABLE (%s)", what,
           verify_status_name(v->status));
        verify_verdict_free(v);
    }
    ldns_pkt_free(kp);
    ldns_rdf_deep_free(z);
    return ks;
}

static void check_ds(const verify_keyset_t *parent, const char *const *texts, int64_t now,
                     const char *what, ldns_rr_list **ds_out)
{
    ldns_rr_list *set, *sigs;
    split(texts, &set, &sigs);
    verify_sig_result_t r;
    verify_rrset(parent, set, sigs, now, &r);
    is_int(r.outcome, VERIFY_SIG_VALID, "%s: DS RRset verifies with the parent keyset (%s)", what,
           r.detail);
    ldns_rr_list_deep_free(sigs);
    *ds_out = set;
}

int main(void)
{
    verify_ctx_t *ctx;
    verify_ctx_new(NULL, &ctx);
    int64_t now = tv_time("20241112120000");
    ldns_rr_list *anchor = tv_list(ROOT_ANCHOR), *com_ds = NULL, *example_ds = NULL;
    ldns_rdf *root = tv_name(".");
    ldns_pkt *root_keys = packet(".", LDNS_RR_TYPE_DNSKEY, ROOT_DNSKEY);

    verify_verdict_t *v = NULL;
    is_int(verify_trust_anchor(ctx, root, anchor, root_keys, now, &v), 0, "trust anchor runs");
    is_str(verify_status_name(v->status), "secure", "root DNSKEY RRset validates from KSK-2017");
    verify_keyset_t *root_ks = verify_keyset_ref(v->keyset);
    verify_verdict_free(v);

    verify_trust_anchor(ctx, root, anchor, root_keys, tv_time("20241202000000"), &v);
    ok(v->status == VERIFY_STATUS_BOGUS && verify_verdict_has(v, VERIFY_REASON_RRSIG_EXPIRED),
       "the same root keys after 2024-12-01: RRSIG_EXPIRED");
    verify_verdict_free(v);

    check_ds(root_ks, COM_DS, now, "com", &com_ds);
    verify_keyset_t *com_ks = zone_step(ctx, "com.", com_ds, COM_DNSKEY, NULL, now, "com");
    check_ds(com_ks, EXAMPLE_DS, now, "example.com", &example_ds);
    verify_keyset_t *ex_ks =
        zone_step(ctx, "example.com.", example_ds, EXAMPLE_DNSKEY, EXAMPLE_A, now, "example.com");
    ok(ex_ks != NULL, "example.com keyset available for zones below");

    /* The DS of com checked against the wrong keyset (com's own): the signer is not com. */
    ldns_rr_list *set, *sigs;
    split(COM_DS, &set, &sigs);
    verify_sig_result_t r;
    verify_rrset(com_ks, set, sigs, now, &r);
    is_int(r.reason, VERIFY_REASON_RRSIG_MALFORMED, "root-signed DS against com's keys: signer");
    ldns_rr_list_deep_free(set);
    ldns_rr_list_deep_free(sigs);

    verify_keyset_free(ex_ks);
    verify_keyset_free(com_ks);
    verify_keyset_free(root_ks);
    ldns_rr_list_deep_free(com_ds);
    ldns_rr_list_deep_free(example_ds);
    ldns_rr_list_deep_free(anchor);
    ldns_pkt_free(root_keys);
    ldns_rdf_deep_free(root);
    verify_ctx_free(ctx);
    return tap_done();
}
