/*
 * Hostile input: RRs with missing or wrongly sized fields, and a few thousand answers with
 * random bit flips (fixed seed) parsed by ldns and judged. Nothing may crash or leak (ASan),
 * every call must return a verdict, and broken signatures must never come out valid.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"

#include <string.h>

#define ZONE "example.net."
#define KEY                                                                                        \
    "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64c"  \
    "YbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="
#define A "example.net. 3600 IN A 192.0.2.1"

/* xorshift64*: a fixed sequence, never seeded from the clock. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static void test_short_rrs(verify_keyset_t *ks)
{
    const char *set_text[] = {"www.example.net. 3600 IN A 192.0.2.1", NULL};
    ldns_rr_list *set = tv_list(set_text);
    verify_sig_result_t r;

    ldns_rr *sig = ldns_rr_new_frm_type(LDNS_RR_TYPE_RRSIG); /* no RDATA at all */
    ldns_rr_set_owner(sig, tv_name("www.example.net."));
    is_int(verify_rrsig(ks, set, sig, 0, &r), 0, "RRSIG without RDATA: no failure");
    is_int(r.reason, VERIFY_REASON_RRSIG_MALFORMED, "RRSIG without RDATA: RRSIG_MALFORMED");
    ldns_rr_list *sigs = ldns_rr_list_new();
    ldns_rr_list_push_rr(sigs, sig);
    verify_rrset(ks, set, sigs, 0, &r);
    is_int(r.outcome, VERIFY_SIG_BOGUS, "RRset with only an empty RRSIG: bogus");
    ldns_rr_list_deep_free(sigs);

    ldns_rr *empty_key = ldns_rr_new_frm_type(LDNS_RR_TYPE_DNSKEY);
    is_int(verify_key_tag(empty_key), 0, "key tag of an empty DNSKEY is 0");
    is_int(verify_dnskey_bits(empty_key), 0, "bits of an empty DNSKEY are 0");
    uint8_t d[64];
    size_t dl;
    is_int(verify_ds_digest(empty_key, 2, d, &dl), VERIFY_EINVAL, "digest of an empty DNSKEY");
    ldns_rr *ds = tv_rr("example.net. 3600 IN DS 55648 13 2 00");
    ldns_rr *key = tv_rr(KEY);
    is_int(verify_ds_match(ds, key), VERIFY_DS_DIGEST_MISMATCH, "1-byte digest: mismatch");
    is_int(verify_ds_match(ds, empty_key), VERIFY_DS_NO_MATCH, "DS against an empty DNSKEY");
    ldns_rr_free(ds);
    ldns_rr_free(key);
    ldns_rr_free(empty_key);

    verify_keyset_t *none = NULL;
    ldns_rr_list *junk = ldns_rr_list_new();
    ldns_rr_list_push_rr(junk, tv_rr(A));
    ldns_rr_list_push_rr(junk, tv_rr("example.net. 3600 IN DNSKEY 256 3 13 AAAA"));
    ldns_rr_list_push_rr(junk, tv_rr("example.net. 3600 IN DNSKEY 256 3 8 AQ=="));
    ldns_rdf *z = tv_name(ZONE);
    is_int(verify_keyset_new(z, junk, &none), 0, "keyset from junk keys builds");
    is_int(verify_keyset_count(none), 2, "non-DNSKEY RRs are ignored, bad keys kept");
    is_int(verify_dnskey_bits(verify_keyset_key(none, 0)), 0, "3-byte P-256 key: not imported");
    verify_keyset_free(none);
    ldns_rr_list_deep_free(junk);
    ldns_rdf_deep_free(z);
    ldns_rr_list_deep_free(set);
}

/* The signed data and signature of the first DNSKEY RRSIG of p, into buf; false if none. */
static bool signed_bytes(const ldns_pkt *p, ldns_buffer *buf)
{
    ldns_rr_list *set = ldns_rr_list_new();
    const ldns_rr *sig = NULL;
    const ldns_rr_list *ans = ldns_pkt_answer(p);
    for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
        ldns_rr *rr = ldns_rr_list_rr(ans, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNSKEY)
            ldns_rr_list_push_rr(set, rr);
        else if (!sig && ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) == 9)
            sig = rr;
    }
    bool ok_ = sig && verify_signed_data(set, sig, buf) == 0;
    if (ok_) {
        const ldns_rdf *sg = ldns_rr_rdf(sig, 8);
        ldns_buffer_reserve(buf, ldns_rdf_size(sg));
        ldns_buffer_write(buf, ldns_rdf_data(sg), ldns_rdf_size(sg));
    }
    ldns_rr_list_free(set);
    return ok_;
}

static void test_bit_flips(verify_ctx_t *ctx)
{
    /* com.'s DNSKEY RRset as served in November 2024, and its DS at the root. */
    const char *answer[] = {
        "com. 86400 IN DNSKEY 256 3 13 uugEQOG7/3zv3rVGq43NQTqfmZxWn4fMIpi6ph7JKEvTRwhtw3aIV4dSk+f"
        "gpFFmORrKNznT7AIuJKy6P/Mi1Q==",
        "com. 86400 IN DNSKEY 257 3 13 tx8EZRAd2+K/DJRV0S+hbBzaRPS/G6JVNBitHzqpsGlz8huE61Ms9ANe6NSD"
        "LKJtiTBqfTJWDAywEp1FCsEINQ==",
        "com. 86400 IN RRSIG DNSKEY 13 1 86400 20241118150235 20241103145735 19718 com. IZbO0s7a+wp"
        "AIXAVF4oLxATiRwOM0yitR7+tBihVCf8FmlDVQf92fK1wUSuggYfJ+d+25B9Zz5bYqL/DQt3bmw==",
        NULL};
    ldns_rdf *zone = tv_name("com.");
    ldns_pkt *p = ldns_pkt_query_new(ldns_rdf_clone(zone), LDNS_RR_TYPE_DNSKEY, LDNS_RR_CLASS_IN,
                                     LDNS_QR | LDNS_AA);
    for (size_t i = 0; answer[i]; i++)
        ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, tv_rr(answer[i]));
    ldns_rr_list *ds = ldns_rr_list_new();
    ldns_rr_list_push_rr(ds,
                         tv_rr("com. 86400 IN DS 19718 13 2 "
                               "8ACBB0CD28F41250A80A491389424D341522D946B0DA0C0291F2D3D771D7805A"));
    int64_t now = tv_time("20241112120000");
    verify_verdict_t *v0 = NULL;
    verify_trust_anchor(ctx, zone, ds, p, now, &v0);
    ok(v0 && v0->status == VERIFY_STATUS_SECURE, "unmutated answer is secure");
    verify_verdict_free(v0);
    ldns_buffer *orig = ldns_buffer_new(512), *now_bytes = ldns_buffer_new(512);
    signed_bytes(p, orig);
    int forged = 0;
    uint8_t *wire = NULL;
    size_t wire_len = 0;
    if (ldns_pkt2wire(&wire, p, &wire_len) != LDNS_STATUS_OK)
        exit(2);
    int parsed = 0, failures = 0, valid = 0;
    for (int round = 0; round < 3000; round++) {
        uint8_t copy[1024];
        memcpy(copy, wire, wire_len);
        int flips = 1 + (int)(rng() % 4);
        for (int f = 0; f < flips; f++)
            copy[12 + rng() % (wire_len - 12)] ^= (uint8_t)(1u << (rng() % 8));
        ldns_pkt *q = NULL;
        if (ldns_wire2pkt(&q, copy, wire_len) != LDNS_STATUS_OK)
            continue;
        parsed++;
        verify_zone_input_t in = {.zone = zone,
                                  .parent = VERIFY_PARENT_DS,
                                  .parent_ds = ds,
                                  .dnskey = q,
                                  .soa = q,
                                  .a = q,
                                  .caa = q,
                                  .cds = q,
                                  .cdnskey = q,
                                  .nxdomain_probe = q,
                                  .now = now};
        verify_verdict_t *v = NULL; /* the packet in every slot: exercises every path */
        if (verify_zone(ctx, &in, &v) != 0 || !v)
            failures++;
        verify_verdict_free(v);
        v = NULL;
        /* As the DNSKEY answer only (a parent zone's keys): does it still validate? */
        if (verify_trust_anchor(ctx, zone, ds, q, now, &v) != 0 || !v)
            failures++;
        else if (v->status == VERIFY_STATUS_SECURE) {
            valid++;
            /* Secure is only right when what the RRSIG signs is untouched. */
            ldns_buffer_clear(now_bytes);
            if (!signed_bytes(q, now_bytes) ||
                ldns_buffer_position(now_bytes) != ldns_buffer_position(orig) ||
                memcmp(ldns_buffer_begin(now_bytes), ldns_buffer_begin(orig),
                       ldns_buffer_position(orig)) != 0)
                forged++;
        }
        verify_verdict_free(v);
        ldns_pkt_free(q);
    }
    ok(parsed > 500, "%d of 3000 mutated answers parsed by ldns and judged", parsed);
    is_int(failures, 0, "every mutated answer gets a verdict");
    /* The signature covers the DNSKEY RRset; only flips outside it (header, question, TTLs, the
     * case of a name) may leave the answer secure, and those are a minority of the bits. */
    ok(valid > 0 && valid < parsed / 2, "mutations are detected (%d of %d still secure)", valid,
       parsed);
    is_int(forged, 0, "no answer with changed signed data or signature is secure");
    ldns_buffer_free(orig);
    ldns_buffer_free(now_bytes);
    free(wire);
    ldns_pkt_free(p);
    ldns_rr_list_deep_free(ds);
    ldns_rdf_deep_free(zone);
}

int main(void)
{
    verify_ctx_t *ctx;
    verify_ctx_new(NULL, &ctx);
    const char *keys[] = {KEY, NULL};
    ldns_rr_list *kl = tv_list(keys);
    ldns_rdf *z = tv_name(ZONE);
    verify_keyset_t *ks;
    verify_keyset_new(z, kl, &ks);
    test_short_rrs(ks);
    test_bit_flips(ctx);
    verify_keyset_free(ks);
    ldns_rr_list_deep_free(kl);
    ldns_rdf_deep_free(z);
    verify_ctx_free(ctx);
    return tap_done();
}
