/*
 * RRSIG verification: every check of RFC 4035 §5.3.1, then the signature itself with the
 * cached EVP_PKEY. "Any valid path" (RFC 6840 §5.11): an RRset is valid when any of its
 * RRSIGs verifies with any matching key; otherwise the most telling failure is reported.
 */
#include "verify/sig_internal.h"

#include <openssl/ecdsa.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void verify_sig_time_text(int64_t t, char *buf, size_t len)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, len, "@%lld", (long long)t);
}

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* Wire names compared in place: ldns_dname_compare lower-cases clones (two mallocs each). Names
 * of one answer mostly have one case (the scanner folds owners), so a byte-equal pair is settled
 * by memcmp; only the rest is compared letter by letter. */
static bool wire_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
    if (memcmp(a, b, len) == 0)
        return true;
    for (size_t i = 0; i < len; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

bool verify_sig_name_equal(const ldns_rdf *a, const ldns_rdf *b)
{
    return a && b && verify_rdf_size(a) == verify_rdf_size(b) &&
           wire_equal(verify_rdf_data(a), verify_rdf_data(b), verify_rdf_size(a));
}

bool verify_sig_name_within(const ldns_rdf *name, const ldns_rdf *zone)
{
    const uint8_t *n = verify_rdf_data(name);
    size_t nl = verify_rdf_size(name), zl = verify_rdf_size(zone), off = 0;
    /* Walk label boundaries of name until the rest is as long as zone. */
    while (off < nl && nl - off > zl && n[off] != 0)
        off += (size_t)n[off] + 1;
    return off <= nl && nl - off == zl && wire_equal(n + off, verify_rdf_data(zone), zl);
}

/* RFC 1982 serial comparison: true when a is before b. */
static bool serial_lt(uint32_t a, uint32_t b)
{
    return a != b && (uint32_t)(b - a) < 0x80000000u;
}

/* Unix time of a 32-bit RRSIG time, taken as the one nearest to now (RFC 4034 §3.1.5). */
static int64_t serial_to_unix(uint32_t t, int64_t now)
{
    return now + (int32_t)(t - (uint32_t)now);
}

/* RFC 6605 §4: the signature is r | s. An ECDSA_SIG that owns both halves, or NULL. */
static ECDSA_SIG *ecdsa_sig_from_raw(const uint8_t *sig, size_t len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)(len / 2), NULL);
    BIGNUM *s = BN_bin2bn(sig + len / 2, (int)(len / 2), NULL);
    if (es && r && s && ECDSA_SIG_set0(es, r, s))
        return es;
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return NULL;
}

/* OpenSSL's ECDSA verify wants DER: 0 with the DER in der (*der_len bytes at most, then the
 * length written), or -1. */
static int ecdsa_raw_to_der(const uint8_t *sig, size_t len, uint8_t *der, size_t *der_len)
{
    ECDSA_SIG *es = ecdsa_sig_from_raw(sig, len);
    if (!es)
        return -1;
    int n = i2d_ECDSA_SIG(es, NULL);
    bool fits = n > 0 && (size_t)n <= *der_len;
    unsigned char *p = der;
    if (fits)
        n = i2d_ECDSA_SIG(es, &p);
    ECDSA_SIG_free(es);
    if (!fits || n <= 0)
        return -1;
    *der_len = (size_t)n;
    return 0;
}

int verify_sig_evp_verify(const struct verify_key *key, const uint8_t *data, size_t data_len,
                          const uint8_t *sig, size_t sig_len)
{
    uint8_t der[128];
    if (!verify_sig_key_import(key))
        return 0;
    if (key->hot) {
        int rc = verify_sig_p256_hot_verify(key->hot, key->md, data, data_len, sig, sig_len);
        if (rc != SIG_P256_COLD)
            return rc;
    }
    if (key->algorithm == LDNS_ECDSAP256SHA256 || key->algorithm == LDNS_ECDSAP384SHA384) {
        size_t der_len = sizeof der;
        if (ecdsa_raw_to_der(sig, sig_len, der, &der_len) < 0)
            return 0;
        sig = der;
        sig_len = der_len;
    }
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    if (!mctx)
        return VERIFY_ENOMEM;
    /* The template is shared read-only between threads: copy it, never use it directly. */
    bool ready = key->tmpl && EVP_MD_CTX_copy_ex(mctx, key->tmpl) == 1;
    if (!ready)
        ready = EVP_DigestVerifyInit(mctx, NULL, key->md, NULL, key->pkey) == 1;
    int ok = ready && EVP_DigestVerify(mctx, sig, sig_len, data, data_len) == 1;
    EVP_MD_CTX_free(mctx);
    if (ok && key->hot)
        verify_sig_p256_hot_note_valid(key->hot);
    return ok ? 1 : 0;
}

/* Unbound 1.17's allowance for clock skew around a signature's validity window (validator/
 * val_sigcrypt.c: 10% of the lifetime, at least val-sig-skew-min 1 h, at most val-sig-skew-max
 * 1 day). verdicts.md stays strict (BIND is), but says when Unbound would still accept. */
static int64_t skew_allowance(uint32_t expiration, uint32_t inception)
{
    int64_t skew = (int64_t)(uint32_t)(expiration - inception) / 10;
    if (skew < 3600)
        skew = 3600;
    if (skew > 86400)
        skew = 86400;
    return skew;
}

/* Higher is more telling when several RRSIGs fail (the reported one). */
static int failure_rank(verify_reason_code_t code)
{
    switch (code) {
    case VERIFY_REASON_VALIDATION_LIMIT: /* the work stopped: nothing else is known for sure */
        return 8;
    case VERIFY_REASON_RRSIG_INVALID:
        return 7;
    case VERIFY_REASON_RRSIG_EXPIRED:
        return 6;
    case VERIFY_REASON_RRSIG_NOT_YET_VALID:
        return 5;
    case VERIFY_REASON_DNSKEY_NO_ZONE_BIT:
    case VERIFY_REASON_DNSKEY_REVOKED:
        return 4;
    case VERIFY_REASON_RRSIG_UNKNOWN_KEY:
        return 3;
    case VERIFY_REASON_RRSIG_MALFORMED:
        return 2;
    default:
        return 1;
    }
}

static void set_result(verify_sig_result_t *res, verify_sig_outcome_t outcome,
                       verify_reason_code_t reason, uint16_t tag, uint8_t alg)
{
    res->outcome = outcome;
    res->reason = reason;
    res->key_tag = tag;
    res->algorithm = alg;
}

/* Several keys share an ECDSA RRSIG's tag and algorithm: the keys the signature verifies under
 * are recovered once (ecdsa_recover.c) when the first key is tried, and each key is then a
 * comparison instead of a verify. Off (wanted false) for one candidate: one verify is cheaper
 * than a recovery, and a busy key's P-256 table makes it cheaper still. */
struct sig_recovery {
    bool wanted, done;
    verify_sig_ecdsa_recovered_t keys;
};

/* The signature over data by key k, from the keyset's memo or charged to w and verified.
 * 1 valid, 0 invalid, SIG_WORK_REFUSED when the budget refused it, <0 program failure.
 * With a recovery, the memo, the charge and the result are the same as without: each key is
 * still looked up in the memo and charged one operation, only its verify is replaced. */
#define SIG_WORK_REFUSED 2
static int verify_with_key(const verify_keyset_t *keys, const struct verify_key *k,
                           const ldns_buffer *data, const ldns_rdf *sig, verify_sig_work_t *w,
                           struct sig_recovery *rec)
{
    /* The same bytes verified before with this very key: no need to verify again. */
    uint8_t fp[SIG_MEMO_FP_LEN];
    struct verify_sig_memo *memo = (struct verify_sig_memo *)&keys->memo;
    const uint8_t *d = ldns_buffer_begin(data);
    size_t dlen = ldns_buffer_position(data);
    bool have_fp = verify_sig_memo_fingerprint(memo, d, dlen, ldns_rdf_data(sig),
                                               ldns_rdf_size(sig), k->rdata, k->rdata_len, fp) == 0;
    if (have_fp && verify_sig_memo_seen(memo, fp))
        return 1;
    if (!verify_sig_work_charge(w, SIG_WORK_SIGNATURE, 1))
        return SIG_WORK_REFUSED;
    if (rec->wanted && !rec->done) {
        int rrc =
            verify_sig_ecdsa_recover(verify_sig_ecdsa_curve(keys, k->algorithm), k->algorithm, d,
                                     dlen, ldns_rdf_data(sig), ldns_rdf_size(sig), &rec->keys);
        if (rrc == VERIFY_ENOMEM)
            return rrc;
        rec->done = true;
        rec->wanted = rrc == 0; /* otherwise each key is verified as usual */
    }
    /* Not among the recovered keys: this key's verify would fail. One that is, is verified
     * for real, which also counts it toward its P-256 table like any successful verify. */
    if (rec->wanted && !verify_sig_ecdsa_recovered_has(&rec->keys, k))
        return 0;
    int rc = verify_sig_evp_verify(k, d, dlen, ldns_rdf_data(sig), ldns_rdf_size(sig));
    if (rc == 1 && have_fp)
        verify_sig_memo_add(memo, fp);
    return rc;
}

/* Whether at least two keys of keys can be tried for an RRSIG of tag and alg (the loop of
 * check_and_verify) and alg is ECDSA: a recovery then replaces their verifies. */
static bool recovery_wanted(const verify_keyset_t *keys, const bool *allowed, uint16_t tag,
                            uint8_t alg, const verify_sig_work_t *w)
{
    if ((alg != LDNS_ECDSAP256SHA256 && alg != LDNS_ECDSAP384SHA384) || w->max_keys_per_rrsig < 2)
        return false;
    unsigned candidates = 0;
    for (size_t i = 0; i < keys->n && candidates < 2; i++) {
        const struct verify_key *k = &keys->keys[i];
        candidates += k->key_tag == tag && k->algorithm == alg && (!allowed || allowed[i]) &&
                      k->protocol == 3 && (k->flags & DNSKEY_FLAG_ZONE) &&
                      !(k->flags & DNSKEY_FLAG_REVOKE);
    }
    return candidates >= 2;
}

/* *attempted: a key was tried (memo or crypto), so the RRSIG counts toward the RRset limit. */
static int check_and_verify(const verify_keyset_t *keys, const bool *allowed,
                            const ldns_rr_list *rrset, const ldns_rr *rrsig, int64_t now,
                            verify_sig_work_t *w, bool *attempted, verify_sig_result_t *res)
{
    int rc = 0;
    ldns_buffer *data = NULL;
    char t1[32], t2[32];
    memset(res, 0, sizeof *res);
    res->outcome = VERIFY_SIG_BOGUS;
    res->reason = VERIFY_REASON_RRSIG_MALFORMED;
    if (!keys || !rrset || ldns_rr_list_rr_count(rrset) == 0 || !rrsig)
        return VERIFY_EINVAL;
    if (ldns_rr_get_type(rrsig) != LDNS_RR_TYPE_RRSIG || !verify_sig_rr_complete(rrsig, 9) ||
        !ldns_rr_owner(rrsig)) {
        snprintf(res->detail, sizeof res->detail, "RRSIG RDATA is malformed");
        return 0;
    }
    const ldns_rr *first = ldns_rr_list_rr(rrset, 0);
    uint16_t covered = ldns_rdf2native_int16(ldns_rr_rdf(rrsig, 0));
    uint8_t alg = ldns_rdf2native_int8(ldns_rr_rdf(rrsig, 1));
    unsigned labels = ldns_rdf2native_int8(ldns_rr_rdf(rrsig, 2));
    uint32_t expiration = ldns_rdf2native_int32(ldns_rr_rdf(rrsig, 4));
    uint32_t inception = ldns_rdf2native_int32(ldns_rr_rdf(rrsig, 5));
    uint16_t tag = ldns_rdf2native_int16(ldns_rr_rdf(rrsig, 6));
    const ldns_rdf *signer = ldns_rr_rdf(rrsig, 7);
    const ldns_rdf *sig = ldns_rr_rdf(rrsig, 8);
    const ldns_rdf *owner = ldns_rr_owner(first);
    res->key_tag = tag;
    res->algorithm = alg;

    if (covered != (uint16_t)ldns_rr_get_type(first) ||
        !verify_sig_name_equal(ldns_rr_owner(rrsig), owner) ||
        ldns_rr_get_class(rrsig) != ldns_rr_get_class(first)) {
        snprintf(res->detail, sizeof res->detail,
                 "RRSIG (key %u) covers another owner, class or type (%u)", tag, covered);
        return 0;
    }
    if (!verify_sig_name_equal(signer, keys->zone) || !verify_sig_name_within(owner, signer)) {
        char s[VERIFY_NAME_TEXT_LEN], z[VERIFY_NAME_TEXT_LEN];
        bool have_s =
            verify_name_text(ldns_rdf_data(signer), ldns_rdf_size(signer), s, sizeof s) >= 0;
        bool have_z = verify_name_text(ldns_rdf_data(keys->zone), ldns_rdf_size(keys->zone), z,
                                       sizeof z) >= 0;
        snprintf(res->detail, sizeof res->detail, "RRSIG (key %u) signer %s is not the zone %s",
                 tag, have_s ? s : "?", have_z ? z : "?");
        return 0;
    }
    if (labels > verify_sig_rrsig_label_count(owner)) {
        snprintf(res->detail, sizeof res->detail,
                 "RRSIG (key %u) labels field %u exceeds the owner's %u labels", tag, labels,
                 verify_sig_rrsig_label_count(owner));
        return 0;
    }
    /* A wildcard can only be expanded inside the zone: "*.<zone>" at the highest. */
    if (labels < verify_sig_rrsig_label_count(signer)) {
        snprintf(res->detail, sizeof res->detail,
                 "RRSIG (key %u) labels field %u is below the signer's %u labels", tag, labels,
                 verify_sig_rrsig_label_count(signer));
        return 0;
    }
    if (!verify_algorithm_supported(alg)) {
        set_result(res, VERIFY_SIG_UNSUPPORTED, VERIFY_REASON_ALGORITHM_UNSUPPORTED, tag, alg);
        snprintf(res->detail, sizeof res->detail, "RRSIG (key %u) uses unsupported algorithm %u",
                 tag, alg);
        return 0;
    }
    size_t want = verify_sig_signature_length(alg);
    if ((want && ldns_rdf_size(sig) != want) || ldns_rdf_size(sig) == 0) {
        snprintf(res->detail, sizeof res->detail,
                 "RRSIG (key %u, alg %u) signature is %zu bytes, expected %zu", tag, alg,
                 ldns_rdf_size(sig), want);
        return 0;
    }

    uint32_t now32 = (uint32_t)now;
    if (serial_lt(expiration, now32)) {
        int64_t at = serial_to_unix(expiration, now);
        verify_sig_time_text(at, t1, sizeof t1);
        verify_sig_time_text(now, t2, sizeof t2);
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_RRSIG_EXPIRED, tag, alg);
        snprintf(res->detail, sizeof res->detail, "RRSIG (key %u, alg %u) expired %s (now %s)%s",
                 tag, alg, t1, t2,
                 now - at < skew_allowance(expiration, inception)
                     ? "; Unbound's clock-skew allowance still accepts it, so some resolvers "
                       "resolve it and others fail"
                     : "");
        return 0;
    }
    if (serial_lt(now32, inception)) {
        int64_t at = serial_to_unix(inception, now);
        verify_sig_time_text(at, t1, sizeof t1);
        verify_sig_time_text(now, t2, sizeof t2);
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_RRSIG_NOT_YET_VALID, tag, alg);
        snprintf(res->detail, sizeof res->detail,
                 "RRSIG (key %u, alg %u) valid only from %s (now %s)%s", tag, alg, t1, t2,
                 at - now < skew_allowance(expiration, inception)
                     ? "; Unbound's clock-skew allowance still accepts it, so some resolvers "
                       "resolve it and others fail"
                     : "");
        return 0;
    }

    bool any_match = false, no_zone_bit = false, revoked = false, refused = false;
    unsigned tried = 0;
    struct sig_recovery rec = {.wanted = recovery_wanted(keys, allowed, tag, alg, w)};
    size_t sharing = 0; /* keys of this tag and algorithm: what a KeyTrap zone inflates */
    for (size_t i = 0; i < keys->n; i++) {
        const struct verify_key *k = &keys->keys[i];
        if (k->key_tag != tag || k->algorithm != alg || (allowed && !allowed[i]))
            continue;
        sharing++;
        any_match = true;
        if (k->protocol != 3 || !(k->flags & DNSKEY_FLAG_ZONE)) {
            no_zone_bit = true;
            continue;
        }
        if (k->flags & DNSKEY_FLAG_REVOKE) {
            revoked = true;
            continue;
        }
        if (tried == w->max_keys_per_rrsig)
            continue; /* counted in sharing only: the limit is reported below */
        if (!data) {
            data = ldns_buffer_new(512);
            if (!data)
                return VERIFY_ENOMEM;
            rc = verify_signed_data(rrset, rrsig, data);
            if (rc < 0)
                goto done;
        }
        *attempted = true;
        tried++;
        rc = verify_with_key(keys, k, data, sig, w, &rec);
        if (rc < 0)
            goto done;
        if (rc == SIG_WORK_REFUSED) {
            refused = true;
            break;
        }
        if (rc == 1) {
            rc = 0;
            set_result(res, VERIFY_SIG_VALID, VERIFY_REASON_RRSIG_INVALID, tag, alg);
            res->expiration = serial_to_unix(expiration, now);
            res->labels = (uint8_t)labels;
            /* The hot path: no time formatting here (strftime costs about a microsecond). */
            snprintf(res->detail, sizeof res->detail, "verified with key %u alg %u", tag, alg);
            goto done;
        }
    }
    if (refused) {
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_VALIDATION_LIMIT, tag, alg);
        snprintf(res->detail, sizeof res->detail, "RRSIG by key %u alg %u not verified: %s", tag,
                 alg, verify_sig_work_exceeded(w));
    } else if (tried == w->max_keys_per_rrsig && sharing > tried) {
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_VALIDATION_LIMIT, tag, alg);
        snprintf(res->detail, sizeof res->detail,
                 "RRSIG by key %u alg %u: %zu DNSKEYs share key tag %u; tried %u, none verified",
                 tag, alg, sharing, tag, tried);
    } else if (!any_match) {
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_RRSIG_UNKNOWN_KEY, tag, alg);
        snprintf(res->detail, sizeof res->detail,
                 "no DNSKEY with key tag %u and algorithm %u signs here", tag, alg);
    } else if (data) {
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_RRSIG_INVALID, tag, alg);
        snprintf(res->detail, sizeof res->detail, "RRSIG does not verify with DNSKEY %u (alg %u)",
                 tag, alg);
    } else if (no_zone_bit) {
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_DNSKEY_NO_ZONE_BIT, tag, alg);
        snprintf(res->detail, sizeof res->detail,
                 "DNSKEY %u (alg %u) lacks the Zone Key flag or protocol 3", tag, alg);
    } else if (revoked) {
        set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_DNSKEY_REVOKED, tag, alg);
        snprintf(res->detail, sizeof res->detail, "DNSKEY %u (alg %u) is revoked", tag, alg);
    }
    rc = 0;
done:
    ldns_buffer_free(data);
    return rc;
}

int verify_rrsig(const verify_keyset_t *keys, const ldns_rr_list *rrset, const ldns_rr *rrsig,
                 int64_t now, verify_sig_result_t *res)
{
    verify_sig_work_t w;
    bool attempted = false;
    verify_sig_work_init_call(&w);
    return check_and_verify(keys, NULL, rrset, rrsig, now, &w, &attempted, res);
}

static bool covers(const ldns_rr *s, const ldns_rr *first)
{
    return verify_rr_type(s) == LDNS_RR_TYPE_RRSIG && verify_rr_fields(s) >= 1 &&
           verify_rr_field(s, 0) &&
           ldns_rdf2native_int16(verify_rr_field(s, 0)) == (uint16_t)verify_rr_type(first) &&
           verify_sig_name_equal(verify_rr_owner(s), verify_rr_owner(first));
}

int verify_sig_verify_rrset_work(const verify_keyset_t *keys, const bool *allowed,
                                 const ldns_rr_list *rrset, const ldns_rr_list *rrsigs, int64_t now,
                                 verify_sig_work_t *w, verify_sig_result_t *res)
{
    verify_sig_result_t one;
    verify_sig_work_t call;
    bool have_failure = false, have_unsupported = false;
    unsigned tried = 0;
    memset(res, 0, sizeof *res);
    if (!keys || !rrset || ldns_rr_list_rr_count(rrset) == 0)
        return VERIFY_EINVAL;
    if (!w) {
        verify_sig_work_init_call(&call);
        w = &call;
    }
    unsigned refused = verify_sig_work_refused(w);
    const ldns_rr *first = ldns_rr_list_rr(rrset, 0);
    size_t n = rrsigs ? ldns_rr_list_rr_count(rrsigs) : 0;
    for (size_t i = 0; i < n; i++) {
        const ldns_rr *s = ldns_rr_list_rr(rrsigs, i);
        if (!covers(s, first))
            continue;
        if (tried == w->max_rrsigs_per_rrset) {
            /* KeyTrap's other half: masses of RRSIGs over one RRset. */
            size_t total = 0;
            for (size_t j = 0; j < n; j++)
                total += covers(ldns_rr_list_rr(rrsigs, j), first);
            char name[200];
            verify_sig_rrset_name(ldns_rr_owner(first), (uint16_t)ldns_rr_get_type(first), name,
                                  sizeof name);
            set_result(res, VERIFY_SIG_BOGUS, VERIFY_REASON_VALIDATION_LIMIT, 0, 0);
            snprintf(res->detail, sizeof res->detail,
                     "%zu RRSIGs over %.150s; tried %u, none verified", total, name, tried);
            verify_sig_work_stop(w, "too many RRSIGs over one RRset");
            return 0;
        }
        bool attempted = false;
        int rc = check_and_verify(keys, allowed, rrset, s, now, w, &attempted, &one);
        if (rc < 0)
            return rc;
        tried += attempted;
        if (one.outcome == VERIFY_SIG_VALID) {
            *res = one;
            return 0;
        }
        if (one.reason == VERIFY_REASON_VALIDATION_LIMIT && verify_sig_work_refused(w) != refused) {
            *res = one; /* the budget is spent: nothing more may be tried */
            return 0;
        }
        if (one.outcome == VERIFY_SIG_UNSUPPORTED) {
            if (!have_failure && !have_unsupported)
                *res = one;
            have_unsupported = true;
            continue;
        }
        if (!have_failure || failure_rank(one.reason) > failure_rank(res->reason))
            *res = one;
        have_failure = true;
    }
    if (have_failure && res->reason == VERIFY_REASON_VALIDATION_LIMIT)
        verify_sig_work_stop(w, "too many keys sharing one key tag");
    if (have_failure || have_unsupported)
        return 0;
    res->outcome = VERIFY_SIG_BOGUS;
    res->reason = VERIFY_REASON_RRSIG_MISSING;
    char name[200];
    verify_sig_rrset_name(ldns_rr_owner(first), (uint16_t)ldns_rr_get_type(first), name,
                          sizeof name);
    snprintf(res->detail, sizeof res->detail, "%.200s has no RRSIG", name);
    return 0;
}

int verify_rrset(const verify_keyset_t *keys, const ldns_rr_list *rrset, const ldns_rr_list *rrsigs,
                 int64_t now, verify_sig_result_t *res)
{
    return verify_sig_verify_rrset_work(keys, NULL, rrset, rrsigs, now, NULL, res);
}
