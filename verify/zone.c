/*
 * Zone-level judgement of one authoritative server's answers: the parent's situation, the DS
 * to DNSKEY step, the DNSKEY RRset's self-signature, then the apex checks (zone_apex.c).
 * Status rules are those of verdicts.md.
 */
#include "verify/sig_internal.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DS_HINT_TTL 3600

void verify_zone_note_expiration(struct verify_zone_run *r, int64_t expiration, uint16_t tag,
                                 const verify_sig_rrset_label_t *rrset)
{
    if (expiration == 0)
        return;
    if (r->earliest_expiration == 0 || expiration < r->earliest_expiration) {
        r->earliest_expiration = expiration;
        r->earliest_tag = tag;
        /* A copy of the owner: the packet it points into need not outlive this call. */
        size_t n = rrset->owner ? ldns_rdf_size(rrset->owner) : 0;
        r->earliest_owner_len = n <= sizeof r->earliest_owner ? n : 0;
        if (r->earliest_owner_len)
            memcpy(r->earliest_owner, ldns_rdf_data(rrset->owner), n);
        r->earliest_type = rrset->type;
    }
}

void verify_zone_note_valid(struct verify_zone_run *r, const verify_sig_result_t *res,
                            const verify_sig_rrset_label_t *rrset)
{
    if (res->outcome == VERIFY_SIG_VALID)
        verify_zone_note_expiration(r, res->expiration, res->key_tag, rrset);
}

void verify_zone_check_algorithms(struct verify_zone_run *r, const ldns_rr_list *sigs,
                                  verify_sig_rrset_label_t *rrset)
{
    bool present[256] = {false};
    for (size_t i = 0; sigs && i < ldns_rr_list_rr_count(sigs); i++) {
        const ldns_rr *s = ldns_rr_list_rr(sigs, i);
        if (verify_sig_rr_complete(s, 9))
            present[ldns_rdf2native_int8(ldns_rr_rdf(s, 1))] = true;
    }
    for (int alg = 0; alg < 256; alg++) {
        if (!r->required_alg[alg] || present[alg] || r->incomplete_reported[alg])
            continue;
        r->incomplete_reported[alg] = true;
        verify_verdict_add(r->v, VERIFY_REASON_ALGORITHM_INCOMPLETE, verify_sig_label_text(rrset),
                           "algorithm %d is in the DS/DNSKEY set but has no RRSIG over %s", alg,
                           verify_sig_label_text(rrset));
    }
}

/* The served DNSKEYs: summaries, algorithm and size warnings, the DS records to publish. */
static int summarise_keys(struct verify_zone_run *r, verify_sig_rrset_label_t *rrset)
{
    const verify_keyset_t *ks = r->ks;
    const verify_thresholds_t *t = &r->ctx->t;
    bool deprecated_said[256] = {false};
    bool have_sep = false;
    if (ks->n && !(r->v->keys = calloc(ks->n, sizeof *r->v->keys)))
        return VERIFY_ENOMEM;
    r->v->n_keys = ks->n;
    for (size_t i = 0; i < ks->n; i++) {
        const struct verify_key *k = &ks->keys[i];
        verify_key_summary_t *s = &r->v->keys[i];
        s->key_tag = k->key_tag;
        s->algorithm = k->algorithm;
        s->flags = k->flags;
        s->bits = k->bits;
        if ((k->flags & DNSKEY_FLAG_ZONE) && !(k->flags & DNSKEY_FLAG_REVOKE)) {
            r->required_alg[k->algorithm] = true;
            if (k->flags & DNSKEY_FLAG_SEP)
                have_sep = true;
        }
        if (verify_algorithm_deprecated(k->algorithm) && !deprecated_said[k->algorithm]) {
            deprecated_said[k->algorithm] = true;
            if (verify_verdict_add(
                    r->v, VERIFY_REASON_ALGORITHM_DEPRECATED, verify_sig_label_text(rrset),
                    "DNSKEY %u uses deprecated algorithm %u", k->key_tag, k->algorithm) < 0)
                return VERIFY_ENOMEM;
        }
        bool rsa = k->algorithm == LDNS_RSASHA1 || k->algorithm == LDNS_RSASHA1_NSEC3 ||
                   k->algorithm == LDNS_RSASHA256 || k->algorithm == LDNS_RSASHA512 ||
                   k->algorithm == LDNS_RSAMD5;
        if (rsa && k->bits && k->bits < t->rsa_warn_bits &&
            verify_verdict_add(r->v, VERIFY_REASON_KEY_TOO_SMALL, verify_sig_label_text(rrset),
                               "DNSKEY %u is RSA %u bits (%s %u)", k->key_tag, k->bits,
                               k->bits < t->rsa_min_bits ? "error: below" : "below",
                               k->bits < t->rsa_min_bits ? t->rsa_min_bits : t->rsa_warn_bits) < 0)
            return VERIFY_ENOMEM;
    }
    /* The DS the parent should hold: SHA-256 of the SEP keys (of every zone key if none). */
    for (size_t i = 0; i < ks->n; i++) {
        const struct verify_key *k = &ks->keys[i];
        if (!(k->flags & DNSKEY_FLAG_ZONE) || (k->flags & DNSKEY_FLAG_REVOKE) ||
            (have_sep && !(k->flags & DNSKEY_FLAG_SEP)))
            continue;
        char text[512];
        const ldns_rr *krr = verify_sig_key_rr(k);
        if (!krr)
            return VERIFY_ENOMEM;
        if (verify_ds_text(krr, LDNS_SHA256, DS_HINT_TTL, text, sizeof text) < 0)
            continue;
        char **grown = realloc(r->v->ds_records, (r->v->n_ds_records + 1) * sizeof *grown);
        if (!grown)
            return VERIFY_ENOMEM;
        r->v->ds_records = grown;
        if (!(grown[r->v->n_ds_records] = strdup(text)))
            return VERIFY_ENOMEM;
        r->v->n_ds_records++;
    }
    return 0;
}

/* DS (or DNSKEY trust anchor) against a served key. */
static verify_ds_match_t anchor_match(const ldns_rr *anchor, const ldns_rr *key)
{
    if (ldns_rr_get_type(anchor) == LDNS_RR_TYPE_DS)
        return verify_ds_match(anchor, key);
    uint8_t a[4096], b[4096];
    long la = verify_sig_rdata_copy(anchor, a, sizeof a),
         lb = verify_sig_rdata_copy(key, b, sizeof b);
    if (la < 0 || lb < 0)
        return VERIFY_DS_NO_MATCH;
    if (la == lb && memcmp(a, b, (size_t)la) == 0)
        return VERIFY_DS_MATCH;
    return VERIFY_DS_NO_MATCH;
}

/* Whether DS ds (of key's tag and algorithm, a supported digest) matches key, through the
 * judgement's digest memo. 0 with *m set, ZONE_DIGEST_LIMIT, or VERIFY_ENOMEM. */
static int ds_digest_match(struct verify_zone_run *r, const ldns_rr *ds, const ldns_rr *key,
                           verify_ds_match_t *m)
{
    uint8_t digest[EVP_MAX_MD_SIZE];
    size_t len = 0;
    int rc = verify_zone_key_digest(r, key, ldns_rdf2native_int8(ldns_rr_rdf(ds, 2)), digest, &len);
    if (rc == ZONE_DIGEST_LIMIT || rc == VERIFY_ENOMEM)
        return rc;
    const ldns_rdf *want = ldns_rr_rdf(ds, 3);
    /* A key that cannot be digested (malformed) has the tag and algorithm but not the digest. */
    *m = rc == 0 && ldns_rdf_size(want) == len && memcmp(ldns_rdf_data(want), digest, len) == 0
             ? VERIFY_DS_MATCH
             : VERIFY_DS_DIGEST_MISMATCH;
    return 0;
}

static bool anchor_supported(const ldns_rr *anchor)
{
    if (!verify_sig_rr_complete(anchor, 4))
        return false;
    if (ldns_rr_get_type(anchor) == LDNS_RR_TYPE_DNSKEY)
        return verify_algorithm_supported(ldns_rdf2native_int8(ldns_rr_rdf(anchor, 2)));
    return verify_algorithm_supported(ldns_rdf2native_int8(ldns_rr_rdf(anchor, 1))) &&
           verify_ds_digest_supported(ldns_rdf2native_int8(ldns_rr_rdf(anchor, 2)));
}

static void anchor_text(const ldns_rr *a, char *buf, size_t len)
{
    if (ldns_rr_get_type(a) == LDNS_RR_TYPE_DNSKEY)
        snprintf(buf, len, "DNSKEY %u/%u", verify_key_tag(a),
                 ldns_rdf2native_int8(ldns_rr_rdf(a, 2)));
    else
        snprintf(buf, len, "DS %u/%u/%u", ldns_rdf2native_int16(ldns_rr_rdf(a, 0)),
                 ldns_rdf2native_int8(ldns_rr_rdf(a, 1)), ldns_rdf2native_int8(ldns_rr_rdf(a, 2)));
}

/* A DS with a SHA-1 or GOST digest (RFC 4509 3: ignored when a stronger one exists). */
static bool weak_digest(const ldns_rr *a)
{
    if (ldns_rr_get_type(a) != LDNS_RR_TYPE_DS || !verify_sig_rr_complete(a, 4))
        return false;
    uint8_t dt = ldns_rdf2native_int8(ldns_rr_rdf(a, 2));
    return dt == LDNS_SHA1 || dt == 3 /* GOST R 34.11-94 */;
}

/* The DS record to publish, for fix hints (borrowed from v). */
static const char *ds_hint(const verify_verdict_t *v)
{
    return v->n_ds_records ? v->ds_records[0] : "(no zone key to publish)";
}

/*
 * DS -> DNSKEY (RFC 4035 §5.2). Returns 1 when the DNSKEY RRset is trusted, 0 when the
 * verdict is settled here, <0 for program failures.
 */
static int ds_stage(struct verify_zone_run *r, const ldns_rr_list *dnskeys,
                    const ldns_rr_list *sigs, verify_sig_rrset_label_t *rrset)
{
    const ldns_rr_list *ds = r->in->parent_ds;
    size_t n_ds = ds ? ldns_rr_list_rr_count(ds) : 0;
    verify_sig_rrset_label_t ds_rrset;
    char text[600];
    const char *hint = ds_hint(r->v);
    size_t supported = 0, with_sha2 = 0;
    verify_sig_label_init(&ds_rrset, r->in->zone, LDNS_RR_TYPE_DS);

    size_t with_old = 0; /* SHA-1 or GOST digests of supported algorithms */
    for (size_t d = 0; d < n_ds; d++) {
        const ldns_rr *a = ldns_rr_list_rr(ds, d);
        ldns_rr_type t = ldns_rr_get_type(a);
        if (t == LDNS_RR_TYPE_DS && verify_sig_rr_complete(a, 4) &&
            verify_algorithm_supported(ldns_rdf2native_int8(ldns_rr_rdf(a, 1)))) {
            uint8_t dt = ldns_rdf2native_int8(ldns_rr_rdf(a, 2));
            with_old += dt == LDNS_SHA1 || dt == 3 /* GOST R 34.11-94 */;
            with_sha2 += dt == LDNS_SHA256 || dt == LDNS_SHA384;
        }
        if ((t != LDNS_RR_TYPE_DS && t != LDNS_RR_TYPE_DNSKEY) || !anchor_supported(a))
            continue;
        supported++;
        with_sha2 += t == LDNS_RR_TYPE_DNSKEY; /* a key anchor: no digest at all */
        r->required_alg[ldns_rdf2native_int8(ldns_rr_rdf(a, t == LDNS_RR_TYPE_DS ? 1 : 2))] = true;
    }
    if (with_old && !with_sha2 &&
        verify_verdict_add(r->v, VERIFY_REASON_DS_DIGEST_DEPRECATED,
                           verify_sig_label_text(&ds_rrset),
                           "only SHA-1/GOST DS digests; publish: %s", hint) < 0)
        return VERIFY_ENOMEM;
    /* RFC 4509 3 (as BIND and Unbound apply it): with a SHA-256 or stronger DS present, SHA-1
     * (and GOST) DS records are ignored, so a matching SHA-1 DS cannot rescue a mismatching
     * SHA-256 one. */
    bool ignore_old = with_sha2 > 0;
    if (supported == 0) {
        r->v->status = VERIFY_STATUS_INSECURE;
        int added =
            n_ds == 1
                ? verify_verdict_add(r->v, VERIFY_REASON_ALGORITHM_UNSUPPORTED,
                                     verify_sig_label_text(&ds_rrset),
                                     "the only DS record uses no supported algorithm and digest")
                : verify_verdict_add(
                      r->v, VERIFY_REASON_ALGORITHM_UNSUPPORTED, verify_sig_label_text(&ds_rrset),
                      "none of the %zu DS records uses a supported algorithm and digest", n_ds);
        return added < 0 ? VERIFY_ENOMEM : 0;
    }
    if (r->ks->n == 0) {
        r->v->status = VERIFY_STATUS_BOGUS;
        return verify_verdict_add(r->v, VERIFY_REASON_DS_ZONE_UNSIGNED,
                                  verify_sig_label_text(rrset),
                                  "the parent has %zu DS record%s but the server returns no DNSKEY",
                                  n_ds, n_ds == 1 ? "" : "s") < 0
                   ? VERIFY_ENOMEM
                   : 0;
    }

    bool any_match = false, any_mismatch = false;
    char mismatch[300] = "";
    bool *ds_used = calloc(n_ds, sizeof *ds_used);
    if (!ds_used)
        return VERIFY_ENOMEM;
    bool limit = false;
    for (size_t d = 0; d < n_ds && !limit; d++) {
        const ldns_rr *a = ldns_rr_list_rr(ds, d);
        if (!anchor_supported(a) || (ignore_old && weak_digest(a))) {
            ds_used[d] = true; /* not a candidate, so not stale either */
            continue;
        }
        for (size_t k = 0; k < r->ks->n; k++) {
            /* Only a key of the DS's tag and algorithm costs a digest (once per key and type,
             * shared with the CDS checks: verify_zone_key_digest charges it when computed). */
            bool digest = verify_sig_ds_digest_needed(a, &r->ks->keys[k]);
            if (ldns_rr_get_type(a) == LDNS_RR_TYPE_DS && !digest)
                continue; /* another tag or algorithm: no match, nothing to compute */
            verify_ds_match_t m = VERIFY_DS_NO_MATCH;
            const ldns_rr *krr = verify_sig_key_rr(&r->ks->keys[k]);
            if (!krr) {
                free(ds_used);
                return VERIFY_ENOMEM;
            }
            if (digest) {
                int drc = ds_digest_match(r, a, krr, &m);
                if (drc == ZONE_DIGEST_LIMIT) {
                    limit = true;
                    break;
                }
                if (drc < 0) {
                    free(ds_used);
                    return drc;
                }
            } else {
                m = anchor_match(a, krr);
            }
            if (m == VERIFY_DS_MATCH) {
                r->ds_matched[k] = true;
                ds_used[d] = true;
                any_match = true;
            } else if (m == VERIFY_DS_DIGEST_MISMATCH && !any_mismatch) {
                any_mismatch = true;
                anchor_text(a, mismatch, sizeof mismatch);
            }
        }
    }
    for (size_t k = 0; k < r->ks->n; k++)
        r->v->keys[k].ds_matched = r->ds_matched[k];
    int rc = 0;
    for (size_t d = 0; any_match && d < n_ds && rc == 0; d++) {
        const ldns_rr *a = ldns_rr_list_rr(ds, d);
        if (ds_used[d] || !anchor_supported(a))
            continue;
        anchor_text(a, text, sizeof text);
        rc = verify_verdict_add(r->v, VERIFY_REASON_DS_STALE, verify_sig_label_text(&ds_rrset),
                                "%s matches no served DNSKEY while another DS does", text);
    }
    free(ds_used);
    if (rc < 0)
        return rc;
    if (limit) {
        r->v->status = VERIFY_STATUS_BOGUS;
        rc = verify_verdict_add(r->v, VERIFY_REASON_VALIDATION_LIMIT,
                                verify_sig_label_text(&ds_rrset),
                                "DS digests of %zu DS x %zu DNSKEYs stopped: %s", n_ds, r->ks->n,
                                verify_sig_work_exceeded(&r->work));
        return rc < 0 ? rc : 0;
    }
    if (!any_match) {
        r->v->status = VERIFY_STATUS_BOGUS;
        r->ds_unmatched = true;
        text_buf_t t;
        text_init(&t, text, sizeof text);
        for (size_t k = 0; k < r->ks->n && t.len < sizeof text - 8; k++)
            text_printf(&t, "%s%u/%u", k ? " " : "", r->ks->keys[k].key_tag,
                        r->ks->keys[k].algorithm);
        if (any_mismatch)
            rc = verify_verdict_add(r->v, VERIFY_REASON_DS_DIGEST_MISMATCH,
                                    verify_sig_label_text(&ds_rrset),
                                    "%s has the tag and algorithm of a served DNSKEY but another "
                                    "digest; publish: %s",
                                    mismatch, hint);
        else
            rc = verify_verdict_add(
                r->v, VERIFY_REASON_DS_NO_MATCHING_DNSKEY, verify_sig_label_text(&ds_rrset),
                "no DS matches the served DNSKEYs (%s); publish: %s", text, hint);
        return rc < 0 ? rc : 0;
    }

    if (ldns_rr_list_rr_count(sigs) == 0) {
        r->v->status = VERIFY_STATUS_BOGUS;
        verify_reason_code_t code =
            r->saw_any_rrsig ? VERIFY_REASON_DNSKEY_UNSIGNED : VERIFY_REASON_DNSSEC_STRIPPED;
        r->stripped_reported = code == VERIFY_REASON_DNSSEC_STRIPPED;
        rc = verify_verdict_add(r->v, code, verify_sig_label_text(rrset),
                                "the DNSKEY RRset (%zu keys) carries no RRSIG%s", r->ks->n,
                                r->saw_any_rrsig ? "" : "; no RRSIG in any answer");
        return rc < 0 ? rc : 0;
    }
    verify_sig_result_t res;
    rc = verify_sig_verify_rrset_work(r->ks, r->ds_matched, dnskeys, sigs, r->in->now, &r->work,
                                      &res);
    if (rc < 0)
        return rc;
    verify_zone_check_algorithms(r, sigs, rrset);
    if (res.outcome == VERIFY_SIG_VALID) {
        for (size_t k = 0; k < r->ks->n; k++)
            if (r->ks->keys[k].key_tag == res.key_tag &&
                r->ks->keys[k].algorithm == res.algorithm && r->ds_matched[k])
                r->v->keys[k].signs_dnskey = true;
        verify_zone_note_valid(r, &res, rrset);
        return 1;
    }
    r->v->status = VERIFY_STATUS_BOGUS;
    if (res.outcome == VERIFY_SIG_UNSUPPORTED || res.reason == VERIFY_REASON_RRSIG_UNKNOWN_KEY) {
        text_buf_t t;
        text_init(&t, text, sizeof text);
        for (size_t k = 0; k < r->ks->n && t.len < sizeof text - 8; k++)
            if (r->ds_matched[k])
                text_printf(&t, "%s%u", t.len ? " " : "", r->ks->keys[k].key_tag);
        rc = verify_verdict_add(
            r->v, VERIFY_REASON_DS_KEY_NOT_SIGNING, verify_sig_label_text(rrset),
            "DS-matched DNSKEY %s does not sign the DNSKEY RRset (%s)", text, res.detail);
    } else {
        rc = verify_verdict_add(r->v, res.reason, verify_sig_label_text(rrset), "%s", res.detail);
    }
    return rc < 0 ? rc : 0;
}

/* The DNSKEY RRset's own signatures with every served key, when no DS matched. */
static int check_untrusted_dnskey(struct verify_zone_run *r, const ldns_rr_list *dnskeys,
                                  const ldns_rr_list *sigs, verify_sig_rrset_label_t *rrset)
{
    verify_sig_result_t res;
    int rc = verify_sig_verify_rrset_work(r->ks, NULL, dnskeys, sigs, r->in->now, &r->work, &res);
    if (rc < 0 || res.outcome != VERIFY_SIG_BOGUS)
        return rc;
    if (res.reason == VERIFY_REASON_RRSIG_UNKNOWN_KEY)
        return 0; /* nothing more than "no DS matches" to say */
    return verify_verdict_add(r->v, res.reason, verify_sig_label_text(rrset), "%s", res.detail) < 0
               ? VERIFY_ENOMEM
               : 0;
}

static void finish_expiry(struct verify_zone_run *r)
{
    r->v->earliest_expiration = r->earliest_expiration;
    if (r->earliest_expiration == 0)
        return;
    int64_t left = r->earliest_expiration - r->in->now;
    if (left < (int64_t)r->ctx->t.expiry_warning_seconds) {
        char t1[32];
        verify_sig_time_text(r->earliest_expiration, t1, sizeof t1);
        char rrset[300];
        verify_sig_rrset_name_wire(r->earliest_owner_len ? r->earliest_owner : NULL,
                                   r->earliest_owner_len, r->earliest_type, rrset, sizeof rrset);
        /* In hours, as a person plans a re-signing; never "0 hours" for what is minutes. */
        long long hours = left > 0 ? (left + 3599) / 3600 : 0;
        verify_verdict_add(r->v, VERIFY_REASON_RRSIG_EXPIRES_SOON, rrset,
                           "RRSIG by key %u expires %s (in %lld hour%s)", r->earliest_tag, t1,
                           hours, hours == 1 ? "" : "s");
    }
}

static int judge(struct verify_zone_run *r)
{
    const verify_zone_input_t *in = r->in;
    verify_sig_rrset_label_t rrset;
    ldns_rr_list *dnskeys = NULL, *sigs = NULL;
    int rc;
    verify_sig_label_init(&rrset, in->zone, LDNS_RR_TYPE_DNSKEY);

    rc = verify_pkt_rrset(in->dnskey, LDNS_SECTION_ANSWER, in->zone, LDNS_RR_TYPE_DNSKEY, &dnskeys,
                          &sigs);
    if (rc < 0)
        goto fail;
    rc = verify_keyset_new(in->zone, dnskeys, &r->ks);
    if (rc < 0)
        goto fail;
    if (r->ks->n && !(r->ds_matched = calloc(r->ks->n, sizeof *r->ds_matched))) {
        rc = VERIFY_ENOMEM;
        goto fail;
    }
    rc = summarise_keys(r, &rrset);
    if (rc < 0)
        goto fail;
    const ldns_pkt *pkts[] = {in->dnskey, in->soa, in->a, in->caa, in->nxdomain_probe};
    for (size_t i = 0; i < sizeof pkts / sizeof pkts[0]; i++)
        r->saw_any_rrsig |= verify_pkt_has_rrsig(pkts[i]);

    switch (in->parent) {
    case VERIFY_PARENT_BOGUS:
        /* The caller knows why (its own delegation's reason, or PARENT_BOGUS) and says it
         * once for the domain, not once per server. */
        r->v->status = VERIFY_STATUS_BOGUS;
        goto fail;
    case VERIFY_PARENT_INSECURE:
        r->v->status = VERIFY_STATUS_INSECURE;
        rc = verify_verdict_add(r->v, VERIFY_REASON_PARENT_UNSIGNED, verify_sig_label_text(&rrset),
                                "the parent zone is unsigned or insecure: no chain of trust");
        goto fail;
    case VERIFY_PARENT_NO_DS:
        r->v->status = VERIFY_STATUS_INSECURE;
        if (r->ks->n) {
            rc = verify_verdict_add(r->v, VERIFY_REASON_DNSKEY_WITHOUT_DS,
                                    verify_sig_label_text(&rrset),
                                    "%zu DNSKEYs served, the parent proves no DS; publish: %s",
                                    r->ks->n, ds_hint(r->v));
            if (rc >= 0 && !r->keys_only)
                rc = verify_zone_cds_bootstrap_facts(r);
        }
        goto fail;
    case VERIFY_PARENT_DS:
        break;
    }
    if (in->dnskey && ldns_pkt_get_rcode(in->dnskey) != LDNS_RCODE_NOERROR) {
        ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)ldns_pkt_get_rcode(in->dnskey));
        r->v->status = VERIFY_STATUS_BOGUS;
        rc =
            verify_verdict_add(r->v, VERIFY_REASON_NS_LAME, verify_sig_label_text(&rrset),
                               "the server answers %s to the DNSKEY question", lt ? lt->name : "?");
        goto fail;
    }
    rc = ds_stage(r, dnskeys, sigs, &rrset);
    if (rc < 0)
        goto fail;
    bool trusted = rc == 1;
    /* Settled without keys to look at (insecure by algorithm, no DNSKEY at all). */
    if (!trusted && (r->v->status == VERIFY_STATUS_INSECURE || r->ks->n == 0))
        goto fail;
    /* Every broken link is reported, not only the first (verdicts.md): with no DS matching,
     * the DNSKEY RRset's signatures are still checked with the served keys, so that expired
     * signatures are said too and the fix names everything that must change. */
    if (r->ds_unmatched && ldns_rr_list_rr_count(sigs) > 0) {
        rc = check_untrusted_dnskey(r, dnskeys, sigs, &rrset);
        if (rc < 0)
            goto fail;
    }
    /* The apex answers are judged with trusted keys only: an untrusted DNSKEY RRset would
     * repeat its own failure once per answer. */
    if (trusted && !r->keys_only) {
        rc = verify_zone_check_apex(r);
        if (rc < 0)
            goto fail;
    }
    finish_expiry(r);
    if (!trusted || verify_verdict_has_error(r->v)) {
        r->v->status = VERIFY_STATUS_BOGUS;
    } else {
        r->v->status = VERIFY_STATUS_SECURE;
        r->v->keyset = verify_keyset_ref(r->ks);
    }
    r->v->apex_status = r->v->status;
    if (trusted && r->others_judged)
        r->v->apex_status = r->apex_error ? VERIFY_STATUS_BOGUS : VERIFY_STATUS_SECURE;
    rc = 0;
fail:
    ldns_rr_list_free(dnskeys);
    ldns_rr_list_free(sigs);
    return rc < 0 ? rc : 0;
}

/* Errors first, then warnings, then info; the order of discovery within each (stable). */
static void sort_reasons(verify_verdict_t *v)
{
    for (size_t i = 1; i < v->n_reasons; i++) {
        verify_reason_t cur = v->reasons[i];
        size_t j = i;
        while (j > 0 &&
               verify_reason_severity(v->reasons[j - 1].code) > verify_reason_severity(cur.code)) {
            v->reasons[j] = v->reasons[j - 1];
            j--;
        }
        v->reasons[j] = cur;
    }
}

/* Both entry points: the checks of the arguments, then the judgement (keys_only: the DNSKEY
 * RRset alone, for a trust anchor or a parent zone, which has no apex answers to judge). */
static int zone_run_judge(const verify_ctx_t *ctx, const verify_zone_input_t *in, bool keys_only,
                          verify_verdict_t **out)
{
    *out = NULL;
    if (!ctx || !in || !in->zone || ldns_rdf_get_type(in->zone) != LDNS_RDF_TYPE_DNAME)
        return VERIFY_EINVAL;
    if (in->parent == VERIFY_PARENT_DS) {
        size_t anchors = 0; /* a DS state without DS is the caller's mistake, not a verdict */
        for (size_t i = 0; in->parent_ds && i < ldns_rr_list_rr_count(in->parent_ds); i++) {
            ldns_rr_type t = ldns_rr_get_type(ldns_rr_list_rr(in->parent_ds, i));
            anchors += t == LDNS_RR_TYPE_DS || t == LDNS_RR_TYPE_DNSKEY;
        }
        if (anchors == 0)
            return VERIFY_EINVAL;
    }
    struct verify_zone_run r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.in = in;
    r.keys_only = keys_only;
    verify_sig_work_init(&r.work, &ctx->t, in->domain_budget);
    r.v = calloc(1, sizeof *r.v);
    if (!r.v)
        return VERIFY_ENOMEM;
    r.v->status = VERIFY_STATUS_BOGUS;
    r.v->cds_signer = r.v->cdnskey_signer = -1;
    int rc = judge(&r);
    if (!r.others_judged)
        r.v->apex_status = r.v->status;
    verify_keyset_free(r.ks);
    free(r.ds_matched);
    verify_sig_byteset_free(&r.digests);
    if (rc < 0) {
        verify_verdict_free(r.v);
        return rc;
    }
    sort_reasons(r.v);
    *out = r.v;
    return 0;
}

int verify_zone(const verify_ctx_t *ctx, const verify_zone_input_t *in, verify_verdict_t **out)
{
    return zone_run_judge(ctx, in, false, out);
}

int verify_trust_anchor(const verify_ctx_t *ctx, const ldns_rdf *zone, const ldns_rr_list *anchor,
                        const ldns_pkt *dnskey, int64_t now, verify_verdict_t **out)
{
    verify_zone_input_t in;
    memset(&in, 0, sizeof in);
    in.zone = zone;
    in.parent = VERIFY_PARENT_DS;
    in.parent_ds = anchor;
    in.dnskey = dnskey;
    in.now = now;
    return zone_run_judge(ctx, &in, true, out);
}
