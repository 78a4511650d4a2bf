/*
 * Private declarations of the signature engine (canon.c, ds.c, keys.c, rrsig.c, zone*.c).
 * Named sig_internal.h so that the denial-of-existence files can keep their own internal.h.
 */
#ifndef DNSSWEEP_VERIFY_SIG_INTERNAL_H
#define DNSSWEEP_VERIFY_SIG_INTERNAL_H

#include "verify/denial.h"
#include "verify/verify.h"

#include <ldns/ldns.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>

#define DNSKEY_FLAG_ZONE 0x0100u
#define DNSKEY_FLAG_REVOKE 0x0080u
#define DNSKEY_FLAG_SEP 0x0001u
/* Longest DNSKEY RDATA given a key tag (verify_key_tag: 0 above). */
#define SIG_DNSKEY_MAX_RDATA 4096

/*
 * One DNSKEY. Everything but the public key is set when the keyset is built and never changes.
 * The key itself is imported lazily (verify_sig_key_import), the first time a signature needs it: a
 * KeyTrap zone lists hundreds of keys that no signature may ever try (at most 4 per RRSIG),
 * and importing them all cost 5x the bounded signature work. `imported` publishes pkey, md,
 * tmpl and hot (release), written once under *import_lock (the keyset's).
 */
struct verify_key {
    /* The DNSKEY RR itself, made from owner, class, ttl and rdata the first time something asks
     * (verify_sig_key_rr: DS digests, CDS forms, DS hints): a KeyTrap answer lists hundreds of
     * keys nothing but their tag and flags is ever read of. Published like the import. */
    _Atomic(ldns_rr *) rr;
    uint8_t *owner; /* the owner's wire form, in the keyset's store, after the RDATA */
    size_t owner_len;
    uint16_t rr_class;
    uint32_t ttl;
    uint16_t flags;
    uint8_t protocol;
    uint8_t algorithm;
    uint16_t key_tag;
    unsigned bits;        /* from the RDATA (verify_sig_key_bits), never from an import */
    atomic_bool imported; /* the fields below are set (to NULL on failure) */
    pthread_mutex_t *import_lock;
    EVP_PKEY *pkey;                  /* NULL: unsupported algorithm or malformed key */
    EVP_MD *md;                      /* fetched digest of the algorithm; NULL for EdDSA (pure) */
    EVP_MD_CTX *tmpl;                /* DigestVerify context initialised once; only ever copied */
    struct verify_sig_p256_hot *hot; /* P-256 only: precomputed multiples once the key is busy */
    uint8_t
        *rdata; /* the DNSKEY RDATA (wire), in the keyset's store: memo binding, de-duplication */
    size_t rdata_len;
};

/* Imports key's public key unless done: once per key, whichever thread asks first, others
 * wait on the keyset's lock. True when the key can verify (pkey set). Not charged to the work
 * budget on its own: it is asked only by a verify that was just charged, at most once per key,
 * and costs less than that verify (P-256: ~25 us with the DigestVerify template, against a
 * 63 us verify; bench_keytrap before/after), so the signature budget bounds imports too. */
bool verify_sig_key_import(const struct verify_key *key);
/* key's DNSKEY RR, made on first use under the keyset's lock; NULL when out of memory. */
const ldns_rr *verify_sig_key_rr(const struct verify_key *key);

/* P-256 keys that verify many signatures get a table of their point's multiples (p256_hot.c).
 * verify_sig_p256_hot_verify returns 1 valid, 0 invalid, VERIFY_ENOMEM, or SIG_P256_COLD: no table
 * (yet), verify on EVP. verify_sig_p256_hot_note_valid counts a signature that verified (failures
 * never count); the one that makes the count reach `after` builds the table;
 * verify_sig_p256_hot_build builds it now (tests). */
#define SIG_P256_COLD 2
#define SIG_P256_HOT_AFTER 1024u
struct verify_sig_p256_hot;
/* ldns's read accessors (libldns 1.8.3, rr.c and rdata.c: the same checks and results), inlined
 * for the loops over every RR of an answer: each ldns accessor is a library call, and those
 * calls were an eighth of what a KeyTrap domain (answers of ~400 RRSIGs) cost the judgement.
 * They read the structs ldns's public headers define. */
static inline size_t verify_rr_count(const ldns_rr_list *l)
{
    return l ? l->_rr_count : 0;
}
static inline ldns_rr *verify_rr_at(const ldns_rr_list *l, size_t i)
{
    return i < l->_rr_count ? l->_rrs[i] : NULL;
}
static inline ldns_rr_type verify_rr_type(const ldns_rr *rr)
{
    return rr->_rr_type;
}
static inline ldns_rdf *verify_rr_owner(const ldns_rr *rr)
{
    return rr->_owner;
}
static inline size_t verify_rr_fields(const ldns_rr *rr)
{
    return rr->_rd_count;
}
static inline ldns_rdf *verify_rr_field(const ldns_rr *rr, size_t i)
{
    return rr && i < rr->_rd_count ? rr->_rdata_fields[i] : NULL;
}
static inline size_t verify_rdf_size(const ldns_rdf *rdf)
{
    return rdf->_size;
}
static inline uint8_t *verify_rdf_data(const ldns_rdf *rdf)
{
    return rdf->_data;
}

/* out = a^-1 mod n (inverse.c): 1, or 0 when there is none or on failure. */
int verify_sig_inverse_mod(BIGNUM *out, const BIGNUM *a, const BIGNUM *n, BN_CTX *ctx);
struct verify_sig_p256_hot *verify_sig_p256_hot_new(const EVP_PKEY *pkey, unsigned after);
void verify_sig_p256_hot_free(struct verify_sig_p256_hot *h);
int verify_sig_p256_hot_build(struct verify_sig_p256_hot *h);
void verify_sig_p256_hot_note_valid(struct verify_sig_p256_hot *h);
int verify_sig_p256_hot_verify(struct verify_sig_p256_hot *h, const EVP_MD *sha256,
                               const uint8_t *data, size_t data_len, const uint8_t *sig,
                               size_t sig_len);

/* ECDSA public-key recovery (ecdsa_recover.c): for an RRSIG whose tag and algorithm several
 * DNSKEYs share, the public keys the signature verifies under, computed once and compared with
 * each candidate's RDATA instead of one verify per key. */
#define SIG_ECDSA_MAX_COORD 48 /* P-384 */
typedef struct verify_sig_ecdsa_recovered {
    size_t n;         /* recovered keys, 0 to 4 (0: the signature verifies under no key) */
    size_t coord_len; /* 32 (P-256) or 48 (P-384) */
    uint8_t keys[4][2 * SIG_ECDSA_MAX_COORD]; /* X | Y, the DNSKEY public key form */
} verify_sig_ecdsa_recovered_t;
/* The curve of ECDSA algorithm alg (13 or 14), made once per keyset; NULL for another
 * algorithm or when out of memory. */
const EC_GROUP *verify_sig_ecdsa_curve(const verify_keyset_t *keys, uint8_t alg);
/* The keys sig (r | s, RFC 6605 section 4) over data verifies under, on curve g of alg. 0 with
 * out set, VERIFY_EINVAL (not ECDSA, wrong signature length, g NULL) or VERIFY_ENOMEM. */
int verify_sig_ecdsa_recover(const EC_GROUP *g, uint8_t alg, const uint8_t *data, size_t data_len,
                             const uint8_t *sig, size_t sig_len, verify_sig_ecdsa_recovered_t *out);
/* True when key's public key is one of rec's: the signature verifies under key. */
bool verify_sig_ecdsa_recovered_has(const verify_sig_ecdsa_recovered_t *rec,
                                    const struct verify_key *key);

/* memo.c: signatures a keyset already verified (by fingerprint). Internally locked: the only
 * mutable part of a keyset, invisible in results. */
#define SIG_MEMO_FP_LEN 32 /* the whole SHA-256 */
/* A child zone's keyset sees a handful of signatures: they are kept in the struct itself (no
 * allocation, no collisions); past this many the memo moves to the direct-mapped table. */
#define SIG_MEMO_INLINE 8
struct verify_sig_memo_slot {
    bool used; /* explicit occupancy: an empty slot matches nothing, not even zeros */
    uint8_t fp[SIG_MEMO_FP_LEN];
};
struct verify_sig_memo {
    pthread_mutex_t lock;
    uint8_t inline_fp[SIG_MEMO_INLINE][SIG_MEMO_FP_LEN];
    unsigned n_inline;                  /* entries in inline_fp while slots is NULL */
    struct verify_sig_memo_slot *slots; /* allocated when inline_fp is full */
    EVP_MD *sha256;
    uint64_t hits;
};
int verify_sig_memo_init(struct verify_sig_memo *m);
void verify_sig_memo_destroy(struct verify_sig_memo *m);
/* SHA-256 over the length-framed signed data, signature and the key's DNSKEY RDATA. */
int verify_sig_memo_fingerprint(const struct verify_sig_memo *m, const uint8_t *data,
                                size_t data_len, const uint8_t *sig, size_t sig_len,
                                const uint8_t *key_rdata, size_t key_rdata_len,
                                uint8_t out[SIG_MEMO_FP_LEN]);
bool verify_sig_memo_seen(struct verify_sig_memo *m, const uint8_t fp[SIG_MEMO_FP_LEN]);
void verify_sig_memo_add(struct verify_sig_memo *m, const uint8_t fp[SIG_MEMO_FP_LEN]);

struct verify_keyset {
    atomic_uint refs;
    struct verify_sig_memo memo;
    pthread_mutex_t import_lock; /* serialises the lazy key imports (verify_sig_key_import) */
    /* P-256 and P-384 for public-key recovery (verify_sig_ecdsa_curve), made on first use
     * under import_lock: a curve costs ~20 us to make, a recovery is wanted per RRSIG. */
    _Atomic(EC_GROUP *) ecdsa_curve[2];
    ldns_rdf *zone; /* owned, canonical (lower case) */
    size_t n;
    struct verify_key *keys;
    uint8_t *rdata_store; /* every key's RDATA and owner (verify_key.rdata, .owner point here) */
};

struct verify_ctx {
    verify_thresholds_t t;
};

/* ---- a set of byte strings (byteset.c): linear CDS/DNSKEY/DS cross-checks ---- */
typedef struct verify_sig_byteset {
    struct {
        uint8_t *data;  /* owned copy of key | value; NULL = empty slot */
        size_t len;     /* key and value */
        size_t key_len; /* what is hashed and compared */
    } * slots;
    size_t cap; /* a power of two, at least twice n */
    size_t n;
} verify_sig_byteset_t;
int verify_sig_byteset_init(verify_sig_byteset_t *s, size_t expected);
void verify_sig_byteset_free(verify_sig_byteset_t *s);
/* Adds a copy of p (a no-op when present). 0 or VERIFY_ENOMEM. */
int verify_sig_byteset_add(verify_sig_byteset_t *s, const uint8_t *p, size_t len);
bool verify_sig_byteset_has(const verify_sig_byteset_t *s, const uint8_t *p, size_t len);
/* Adds key with a value stored after it (a no-op when key is present). 0 or VERIFY_ENOMEM. */
int verify_sig_byteset_put(verify_sig_byteset_t *s, const uint8_t *key, size_t key_len,
                           const uint8_t *value, size_t value_len);
/* The value stored with key (value_len set), or NULL when key is absent. */
const uint8_t *verify_sig_byteset_get(const verify_sig_byteset_t *s, const uint8_t *key,
                                      size_t key_len, size_t *value_len);

/* ---- work limits (budget.c) ---- */

/* The work of one judgement: its own per-server budget, the caller's domain budget (NULL:
 * none) and the per-RRset limits. Passed by pointer down the signature and proof paths. */
typedef struct verify_sig_work {
    verify_budget_t server;
    verify_budget_t *domain;
    unsigned max_keys_per_rrsig;
    unsigned max_rrsigs_per_rrset;
} verify_sig_work_t;

typedef enum verify_sig_work_kind {
    SIG_WORK_SIGNATURE, /* one signature verification */
    SIG_WORK_DIGEST,    /* one DS/CDS digest of a key */
    SIG_WORK_HASH,      /* NSEC3 SHA-1 rounds */
} verify_sig_work_kind_t;

/* Per-server limits of t, and domain (may be NULL) charged alongside. */
void verify_sig_work_init(verify_sig_work_t *w, const verify_thresholds_t *t,
                          verify_budget_t *domain);
/* For one public call without a context (verify_rrset, verify_rrsig): the default per-RRset
 * limits and a per-call budget of the default per-server size. */
void verify_sig_work_init_call(verify_sig_work_t *w);
/* Charges n units of kind to every budget of w. Returns false, charging nothing, when one of
 * them would be passed (that budget's exceeded and what are set): do not do the work. */
bool verify_sig_work_charge(verify_sig_work_t *w, verify_sig_work_kind_t kind, unsigned n);
/* Ends the server's signature work after a per-RRset limit was hit: a server whose answers
 * need more work than resolvers allow is bogus (VALIDATION_LIMIT) whatever else it serves,
 * so its later RRsets are refused at once instead of each costing a full round of the limits
 * (KeyTrap answers repeat the attack on every RRset). The domain budget is untouched. */
void verify_sig_work_stop(verify_sig_work_t *w, const char *why);
/* Charges refused so far (compare before and after a step to know whether it was cut). */
unsigned verify_sig_work_refused(const verify_sig_work_t *w);
/* What was exceeded ("" when nothing). Borrowed from w or its domain budget. */
const char *verify_sig_work_exceeded(const verify_sig_work_t *w);

/* True when matching ds (a DS RR; false for a DNSKEY anchor) with key computes a digest:
 * same key tag and algorithm, a digest type computed here. */
bool verify_sig_ds_digest_needed(const ldns_rr *ds, const struct verify_key *key);

/*
 * Verifies an RRset with only the keys for which allowed[i] is true (allowed NULL = all; the
 * DNSKEY RRset is verified by DS-matched keys only, the CDS RRset likewise), charging w (NULL:
 * a per-call work context, as verify_rrset). Past a limit: BOGUS with VALIDATION_LIMIT.
 */
int verify_sig_verify_rrset_work(const verify_keyset_t *keys, const bool *allowed,
                                 const ldns_rr_list *rrset, const ldns_rr_list *rrsigs, int64_t now,
                                 verify_sig_work_t *w, verify_sig_result_t *res);
/* verify_negative() with a work context for signatures and NSEC3 hashing. */
int verify_sig_negative_work(const verify_ctx_t *ctx, const verify_keyset_t *keys,
                             const ldns_pkt *p, const ldns_rdf *qname, uint16_t qtype, bool no_ds,
                             int64_t now, verify_sig_work_t *w, verify_negative_result_t *res);

/*
 * True when rr has exactly n RDATA fields, all present. RRs built by ldns_rr_new_frm_type()
 * carry NULL fields, which ldns's accessors assert on: check before reading any field.
 */
bool verify_sig_rr_complete(const ldns_rr *rr, size_t n);

/* Appends the uncompressed wire RDATA of rr to buf. 0 or VERIFY_ENOMEM. */
int verify_sig_rdata_wire(const ldns_rr *rr, ldns_buffer *buf);
/* Raw RDATA of a small RR into out (capacity cap); returns the length or -1. */
long verify_sig_rdata_copy(const ldns_rr *rr, uint8_t *out, size_t cap);

/* Signature length an algorithm requires, 0 when variable (RSA). */
size_t verify_sig_signature_length(uint8_t algorithm);

/* Verifies sig over data with key (imported first if needed); 1 valid, 0 invalid, <0 program
 * error. */
int verify_sig_evp_verify(const struct verify_key *key, const uint8_t *data, size_t data_len,
                          const uint8_t *sig, size_t sig_len);

/* RFC 3339 form of a unix time into buf ("2026-11-24T15:00:00Z"). */
void verify_sig_time_text(int64_t t, char *buf, size_t len);
/* "example.com/DNSKEY" (owner NULL or malformed: "?/DNSKEY"), cut to fit buf. */
void verify_sig_rrset_name(const ldns_rdf *owner, uint16_t type, char *buf, size_t len);
/* The same from the owner's wire form (owner NULL: "?"). */
void verify_sig_rrset_name_wire(const uint8_t *owner, size_t owner_len, uint16_t type, char *buf,
                                size_t len);
/* Mnemonic of an RR type as ldns_rr_type2str gives it ("DNSKEY", "TYPE65534"), snprintf-like
 * into buf; returns the length of the whole text. */
size_t verify_sig_type_text(uint16_t type, char *buf, size_t len);

/*
 * The "owner/TYPE" label of an RRset in reasons, made on the first verify_sig_label_text() only:
 * almost every RRset verifies and is never named, so the hot path formats nothing. owner is
 * borrowed and must outlive the label.
 */
typedef struct verify_sig_rrset_label {
    const ldns_rdf *owner;
    uint16_t type;
    char text[300]; /* "" until formatted; a formatted label is never empty */
} verify_sig_rrset_label_t;
void verify_sig_label_init(verify_sig_rrset_label_t *l, const ldns_rdf *owner, uint16_t type);
const char *verify_sig_label_text(verify_sig_rrset_label_t *l);
/* Label count of a name, not counting the root nor a leading "*" label (RFC 4034 §3.1.3). */
unsigned verify_sig_rrsig_label_count(const ldns_rdf *name);
/* Case-insensitive name equality. */
bool verify_sig_name_equal(const ldns_rdf *a, const ldns_rdf *b);
/* True when name is zone or below it (case-insensitive). */
bool verify_sig_name_within(const ldns_rdf *name, const ldns_rdf *zone);

/* ---- zone judgement (zone.c, zone_apex.c, verdict.c) ---- */

/* State of one verify_zone() run. */
struct verify_zone_run {
    const verify_ctx_t *ctx;
    const verify_zone_input_t *in;
    bool keys_only;    /* a trust anchor or parent zone: only the DNSKEY RRset is judged */
    bool ds_unmatched; /* no DS matched a served key: the keys are looked at untrusted */
    verify_verdict_t *v;
    verify_keyset_t *ks;          /* every served DNSKEY */
    bool *ds_matched;             /* per key of ks: a parent DS / anchor matches it */
    verify_sig_work_t work;       /* this server's budget (+ the domain's) and per-RRset limits */
    verify_sig_byteset_t digests; /* DS digests of this zone's keys, computed and charged once */
    bool saw_any_rrsig;           /* any RRSIG in any answer of this server */
    /* Answers beyond DNSKEY and SOA were judged; apex_error: an error was found before them
     * (what a server asked DNSKEY and SOA alone would get: verify_verdict_t apex_status). */
    bool others_judged, apex_error;
    bool stripped_reported; /* DNSSEC_STRIPPED is said once */
    bool required_alg[256]; /* algorithms that must sign every RRset (RFC 4035 §2.2) */
    bool incomplete_reported[256];
    int64_t earliest_expiration;
    uint16_t earliest_tag;
    /* The RRset of the earliest expiration, named only if RRSIG_EXPIRES_SOON is said. */
    uint8_t earliest_owner[LDNS_MAX_DOMAINLEN + 1];
    size_t earliest_owner_len; /* 0: no owner */
    uint16_t earliest_type;
};

/* Appends a reason (rrset and printf detail). 0 or VERIFY_ENOMEM. */
int verify_verdict_add(verify_verdict_t *v, verify_reason_code_t code, const char *rrset,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* True when the verdict carries an error-severity reason. */
bool verify_verdict_has_error(const verify_verdict_t *v);

/*
 * Borrowed views of a packet section: the RRs of owner/type and the RRSIGs covering them.
 * The lists hold pointers into the packet (free them with ldns_rr_list_free, never deep).
 */
int verify_pkt_rrset(const ldns_pkt *p, ldns_pkt_section sec, const ldns_rdf *owner,
                     ldns_rr_type type, ldns_rr_list **rrs, ldns_rr_list **sigs);
/* True when the section holds any RRSIG. */
bool verify_pkt_has_rrsig(const ldns_pkt *p);
/* The first NSEC or NSEC3 record of p's authority section at or after *i, or NULL; leaves *i
 * just past it, so that `for (size_t i = 0; (rr = verify_pkt_next_denial(p, &i));)` walks them. */
ldns_rr *verify_pkt_next_denial(const ldns_pkt *p, size_t *i);

/* Notes a validated signature (earliest expiration) and the algorithms signing rrset. */
void verify_zone_note_valid(struct verify_zone_run *r, const verify_sig_result_t *res,
                            const verify_sig_rrset_label_t *rrset);
void verify_zone_note_expiration(struct verify_zone_run *r, int64_t expiration, uint16_t tag,
                                 const verify_sig_rrset_label_t *rrset);
void verify_zone_check_algorithms(struct verify_zone_run *r, const ldns_rr_list *sigs,
                                  verify_sig_rrset_label_t *rrset);

/* The proof that goes with a positive answer expanded from a wildcard (negative.c): qname does
 * not exist and no closer name could have matched (RFC 4035 5.3.4, RFC 5155 8.8); rrsig_labels
 * is the Labels field of the RRSIG that verified the answer. Same result as verify_negative(). */
int verify_sig_negative_wildcard(const verify_ctx_t *ctx, const verify_keyset_t *keys,
                                 const ldns_pkt *p, const ldns_rdf *qname, uint8_t rrsig_labels,
                                 int64_t now, verify_sig_work_t *w, verify_negative_result_t *res);

/* The checks after the DNSKEY RRset is trusted: SOA, A, CAA, NXDOMAIN probe, CDS/CDNSKEY. */
int verify_zone_check_apex(struct verify_zone_run *r);
/* The DS digest (RFC 4034 5.1.4) of key, a DNSKEY or CDNSKEY of the zone judged, with digest
 * type dtype: computed and charged to r->work once per key RDATA and type, however many DS, CDS
 * and CDNSKEY records ask for it (zone_digest.c). 0 with out/out_len set, ZONE_DIGEST_LIMIT
 * when the budget refused it, VERIFY_EINVAL for a malformed key, VERIFY_ENOMEM. */
#define ZONE_DIGEST_LIMIT 1
int verify_zone_key_digest(struct verify_zone_run *r, const ldns_rr *key, uint8_t dtype,
                           uint8_t *out, size_t *out_len);

/* CDS/CDNSKEY (zone_cds.c): signatures, deletion, consistency with the parent DS. */
int verify_zone_check_cds(struct verify_zone_run *r);
/* A zone without DS that publishes CDS/CDNSKEY (RFC 9615 bootstrapping): the summaries, which
 * served key each names and whether it signs the DNSKEY RRset, the served key whose RRSIG over
 * each RRset verified, and whether CDS and CDNSKEY agree; facts only, no reason is added (the
 * verdict stays that of a zone without DS). */
int verify_zone_cds_bootstrap_facts(struct verify_zone_run *r);

#endif
