/* The keyset memo of verified signatures (verify/memo.c): the same bytes verify once, anything
 * different (data, signature, key) is verified again, and times are checked on every call. */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"
#include "verify/sig_internal.h"
#include "verify/verify.h"

static const char *const key_text[] = {
    "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64c"
    "YbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
    NULL};
static const char *const rrset_text[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL};
static const char *const other_text[] = {"www.example.net. 3600 IN A 192.0.2.2", NULL};
static const char *const sig_text[] = {
    "www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 example.net. "
    "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
    NULL};

/* The memo's own storage: the first SIG_MEMO_INLINE fingerprints in the struct, then all of
 * them (the first ones moved over) in the table. */
static void test_inline_then_table(void)
{
    struct verify_sig_memo m;
    is_int(verify_sig_memo_init(&m), 0, "memo initialised");
    uint8_t fp[20][SIG_MEMO_FP_LEN];
    for (int i = 0; i < 20; i++) {
        memset(fp[i], 0, sizeof fp[i]);
        fp[i][0] = (uint8_t)i; /* a distinct slot each */
        fp[i][15] = 0xa5;
    }
    for (int i = 0; i < SIG_MEMO_INLINE; i++)
        verify_sig_memo_add(&m, fp[i]);
    ok(m.slots == NULL, "%d fingerprints: no table allocated", SIG_MEMO_INLINE);
    int seen = 0;
    for (int i = 0; i < SIG_MEMO_INLINE; i++)
        seen += verify_sig_memo_seen(&m, fp[i]);
    is_int(seen, SIG_MEMO_INLINE, "each of them is found");
    ok(!verify_sig_memo_seen(&m, fp[SIG_MEMO_INLINE]), "one never added is not");
    for (int i = SIG_MEMO_INLINE; i < 20; i++)
        verify_sig_memo_add(&m, fp[i]);
    ok(m.slots != NULL, "one more: the table takes over");
    seen = 0;
    for (int i = 0; i < 20; i++)
        seen += verify_sig_memo_seen(&m, fp[i]);
    is_int(seen, 20, "all 20 found, the first %d moved into the table", SIG_MEMO_INLINE);
    uint8_t other[SIG_MEMO_FP_LEN];
    memcpy(other, fp[3], sizeof other);
    other[15] = 0x5a;
    ok(!verify_sig_memo_seen(&m, other), "a different fingerprint in a used slot is not found");
    verify_sig_memo_destroy(&m);
}

int main(void)
{
    test_inline_then_table();
    ldns_rr_list *keys = tv_list(key_text), *rrset = tv_list(rrset_text);
    ldns_rr_list *other = tv_list(other_text), *sigs = tv_list(sig_text);
    ldns_rdf *zone = tv_name("example.net.");
    verify_keyset_t *ks = NULL;
    is_int(verify_keyset_new(zone, keys, &ks), 0, "keyset of the RFC 6605 P-256 key");
    int64_t now = tv_time("20100901000000");
    verify_sig_result_t res;

    verify_rrset(ks, rrset, sigs, now, &res);
    is_int(res.outcome, VERIFY_SIG_VALID, "first verification: valid");
    is_int(verify_keyset_memo_hits(ks), 0, "no memo hit the first time");
    verify_rrset(ks, rrset, sigs, now, &res);
    is_int(res.outcome, VERIFY_SIG_VALID, "second verification: valid");
    is_int(verify_keyset_memo_hits(ks), 1, "the second time comes from the memo");

    verify_rrset(ks, other, sigs, now, &res);
    is_int(res.outcome, VERIFY_SIG_BOGUS, "other data under the same RRSIG: bogus");
    is_int(res.reason, VERIFY_REASON_RRSIG_INVALID, "as RRSIG_INVALID");
    is_int(verify_keyset_memo_hits(ks), 1, "other data is never a memo hit");

    verify_rrset(ks, rrset, sigs, tv_time("20101001000000"), &res);
    is_int(res.reason, VERIFY_REASON_RRSIG_EXPIRED, "remembered, yet expired later: RRSIG_EXPIRED");

    /* A keyset shared by threads after the memo filled: references work as before. */
    verify_keyset_t *ref = verify_keyset_ref(ks);
    verify_rrset(ref, rrset, sigs, now, &res);
    is_int(res.outcome, VERIFY_SIG_VALID, "through another reference: valid");
    is_int(verify_keyset_memo_hits(ks), 2, "and from the same memo");
    verify_keyset_free(ref);
    verify_keyset_free(ks);
    ldns_rr_list_deep_free(keys);
    ldns_rr_list_deep_free(rrset);
    ldns_rr_list_deep_free(other);
    ldns_rr_list_deep_free(sigs);
    ldns_rdf_deep_free(zone);
    return tap_done();
}
