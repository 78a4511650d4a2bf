/*
 * verify/: DNSSEC verification. Pure computation: given RRsets, signatures, keys and "now",
 * returns verdicts and reason codes. No sockets, no libuv; thread-safe.
 *
 * Errors of the program itself are negative ints (see verify_strerror()); a bogus signature is
 * a verdict (status + reasons), never an error.
 */
#ifndef DNSSWEEP_VERIFY_H
#define DNSSWEEP_VERIFY_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verify/codes.h"

/* ---------------------------------------------------------------------------------------------
 * Errors of the module itself: one error space with the other modules (LMDB's habit): -errno
 * where errno has the name, else VERIFY_ERRBASE and below, far from -errno and from the other
 * modules' ranges. verify_strerror() names both.
 * ------------------------------------------------------------------------------------------- */
#define VERIFY_ERRBASE (-31100)
enum {
    VERIFY_OK = 0,
    VERIFY_ENOMEM = -ENOMEM,
    VERIFY_EINVAL = -EINVAL,
    VERIFY_ECRYPTO = VERIFY_ERRBASE - 1, /* OpenSSL failed */
    VERIFY_EUNSUPPORTED = -ENOTSUP,      /* algorithm or digest not implemented */
};
/* Message for a negative error code of this module. Static storage. */
const char *verify_strerror(int err);

/* ---- signatures (canonical form, key tags, DS digests, RRSIGs, key cache, zone judgement) ---- */

/*
 * Inputs are libldns types; crypto is OpenSSL 3 EVP. Every function here is reentrant and
 * thread-safe; objects documented as immutable may be shared by any number of threads.
 * Times are unix seconds (int64_t); RRSIG times are compared with RFC 1982 serial arithmetic
 * against the 32-bit truncation of `now`, which is always a parameter (tests pin it).
 *
 * Typical use by the scanner:
 *   root:      verify_trust_anchor(ctx, root, anchor_rrs, root_dnskey_pkt, now, &v);
 *              keep verify_keyset_ref(v->keyset) as the trusted root keyset.
 *   referral:  verify_rrset(parent_ks, ds_rrs, ds_rrsigs, now, &res) for the signed DS RRset,
 *              or verify_negative(ctx, parent_ks, referral_pkt, child, qtype, true, now, &neg)
 *              for the proof that there is none (PARENT_DS_DENIAL_INVALID when it fails).
 *   each server of the zone: verify_zone(ctx, &(verify_zone_input_t){...}, &v); report
 *              v->status and v->reasons; on secure, v->keyset is the keyset for the zones below.
 */
/* ldns types appear only behind pointers: declared here (C11 allows the repeat when ldns.h is
 * included too) so that modules needing only the codes, like results/, stay free of ldns. */
typedef struct ldns_struct_buffer ldns_buffer;
typedef struct ldns_struct_pkt ldns_pkt;
typedef struct ldns_struct_rdf ldns_rdf;
typedef struct ldns_struct_rr ldns_rr;
typedef struct ldns_struct_rr_list ldns_rr_list;

/* Thresholds of the zone judgement (verdicts.md defaults in verify_thresholds_default()). */
typedef struct verify_thresholds {
    uint32_t expiry_warning_seconds; /* RRSIG_EXPIRES_SOON window; default 3 days */
    unsigned nsec3_max_iterations;   /* above: resolvers treat as insecure; default 150 */
    unsigned rsa_warn_bits;          /* KEY_TOO_SMALL below this; default 2048 */
    unsigned rsa_min_bits;           /* KEY_TOO_SMALL says "error" below this; default 1024 */
    /* Work limits (KeyTrap, CVE-2023-50387; NSEC3 hashing, CVE-2023-50868). Exceeding one is
     * VALIDATION_LIMIT (bogus), as resolvers answer SERVFAIL; see verify_thresholds_default()
     * for how the defaults were chosen. */
    unsigned max_keys_per_rrsig;    /* DNSKEYs tried for one RRSIG (colliding tags); default 4 */
    unsigned max_rrsigs_per_rrset;  /* RRSIGs tried for one RRset; default 8 */
    unsigned max_ops_per_server;    /* signature verifies + DS digests per verify_zone(); 64 */
    unsigned max_ops_per_domain;    /* the same for a verify_budget_t of a domain; 512 */
    unsigned max_hashes_per_server; /* NSEC3 SHA-1 rounds (iterations + 1 per name); 25000 */
    unsigned max_hashes_per_domain; /* the same for a domain budget; 100000 */
} verify_thresholds_t;

/* Fills *t with the defaults of verdicts.md. */
void verify_thresholds_default(verify_thresholds_t *t);

/* Immutable context (thresholds). Shareable by all threads once built. */
typedef struct verify_ctx verify_ctx_t;
/* Creates a context; t NULL = defaults (copied). Caller owns *out (verify_ctx_free). 0 or <0. */
int verify_ctx_new(const verify_thresholds_t *t, verify_ctx_t **out);
void verify_ctx_free(verify_ctx_t *ctx);
/* Borrowed pointer to the thresholds, valid while ctx lives. */
const verify_thresholds_t *verify_ctx_thresholds(const verify_ctx_t *ctx);

/*
 * A validation work budget: what one verify_zone() call (a server) or all calls for one domain
 * may spend. verify_zone() always keeps its own per-server budget; a caller that judges several
 * servers of one domain passes one domain budget to all of them (verify_zone_input_t
 * domain_budget) plus whatever else it verifies for that domain. Work is charged before it is
 * done; once a limit would be passed no further signature, digest or hash is attempted, and
 * what was being validated gets reason VALIDATION_LIMIT (never a silent skip, never an error).
 *
 * Ownership: the caller's (a plain struct, embed it: no allocation, nothing to free).
 * Thread-safety: none; one budget is used by one thread at a time (a domain's servers are
 * judged one after the other, or the caller serialises them).
 */
typedef struct verify_budget {
    unsigned max_ops;    /* signature verifications + DS digests */
    unsigned max_hashes; /* NSEC3 SHA-1 rounds */
    unsigned ops;        /* charged so far (signature verifies + digests) */
    unsigned sig_ops;    /* of which signature verifications (tests, bench) */
    unsigned hashes;     /* NSEC3 SHA-1 rounds charged so far */
    unsigned refused;    /* charges refused: work that was not done */
    bool exceeded;       /* a limit was reached: what says which */
    char what[200];      /* e.g. "per-domain budget of 512 signature/digest operations" */
} verify_budget_t;
/* A domain budget with ctx's per-domain limits, counters at zero. */
void verify_budget_init(verify_budget_t *b, const verify_ctx_t *ctx);

/* -- canonical form (RFC 4034 §6) -- */

/*
 * Builds the data an RRSIG signs (RFC 4034 §3.1.8.1): the RRSIG RDATA without the signature
 * field, then every RR of rrset in canonical form (owner and, for the types RFC 4034 §6.2 /
 * RFC 6840 §5.1 list, RDATA names lower-cased; TTL = the RRSIG's original TTL; the owner
 * rebuilt as "*.<suffix>" when the RRSIG labels field is below the owner's label count), in
 * canonical order with duplicates removed. Appends to out (an ldns_buffer the caller owns).
 * Returns 0, VERIFY_EINVAL (empty set, not an RRSIG, labels above the owner's), VERIFY_ENOMEM.
 */
int verify_signed_data(const ldns_rr_list *rrset, const ldns_rr *rrsig, ldns_buffer *out);

/* -- presentation text, written into the caller's buffer without allocation (text.c) -- */

/* Room for the text of any name: a 255-octet name of \DDD escapes, its dots and the NUL. */
#define VERIFY_NAME_TEXT_LEN 1024
/*
 * The presentation form of an uncompressed wire name of len octets, exactly as ldns_rdf2str
 * prints it: "a.example." (the root is "."), with "\." "\;" "\(" "\)" "\\" and "\DDD" for
 * octets outside printable ASCII (RFC 1035 §5.1); letters keep their case. Like snprintf, buf
 * (buf_len bytes) gets as much as fits, always NUL-terminated, and the return value is the
 * length of the whole text. Returns -1 (buf empty) when the wire is not one name ending at its
 * root label, or is longer than 255 octets.
 */
long verify_name_text(const uint8_t *wire, size_t len, char *buf, size_t buf_len);
/* Upper-case hex of len bytes into buf, snprintf-like (cut to fit, NUL-terminated); returns
 * 2 * len. */
long verify_hex_text(const uint8_t *data, size_t len, char *buf, size_t buf_len);

/* -- key tags, DS digests (RFC 4034 §5, App. B; RFC 4509; RFC 6605) -- */

/* Key tag of a DNSKEY/CDNSKEY RR, alg 1 special case included. 0 for a malformed RR. */
uint16_t verify_key_tag(const ldns_rr *dnskey);
/* Key tag of raw DNSKEY RDATA (flags|protocol|algorithm|key). */
uint16_t verify_key_tag_rdata(const uint8_t *rdata, size_t len);
/* True for digest types this engine computes: 1 SHA-1, 2 SHA-256, 4 SHA-384. */
bool verify_ds_digest_supported(uint8_t digest_type);
/*
 * DS digest of dnskey (owner name canonical | RDATA) for digest_type into out (>= 48 bytes);
 * *out_len = length. Returns 0, VERIFY_EUNSUPPORTED, VERIFY_EINVAL, VERIFY_ECRYPTO.
 */
int verify_ds_digest(const ldns_rr *dnskey, uint8_t digest_type, uint8_t *out, size_t *out_len);
/*
 * The DS record text for a fix hint, e.g. "example.com. 3600 IN DS 41023 13 2 9F3C..."
 * (upper-case hex, no trailing newline) into buf. Returns 0 or <0 (buf too small: EINVAL).
 */
int verify_ds_text(const ldns_rr *dnskey, uint8_t digest_type, uint32_t ttl, char *buf, size_t len);

typedef enum verify_ds_match {
    VERIFY_DS_MATCH = 0,           /* tag, algorithm and digest match */
    VERIFY_DS_NO_MATCH = 1,        /* tag or algorithm differ */
    VERIFY_DS_DIGEST_MISMATCH = 2, /* tag and algorithm match, digest differs */
    VERIFY_DS_UNSUPPORTED = 3,     /* digest type not computable here */
} verify_ds_match_t;
/* Compares one DS (or CDS) RR with one DNSKEY RR (owner names must be equal). */
verify_ds_match_t verify_ds_match(const ldns_rr *ds, const ldns_rr *dnskey);

/* -- keys -- */

/* True for the DNSKEY algorithms this engine verifies: 5, 7, 8, 10, 13, 14, 15, 16. */
bool verify_algorithm_supported(uint8_t algorithm);
/* True for algorithms verdicts.md calls deprecated: 1, 3, 5, 6, 7, 12. */
bool verify_algorithm_deprecated(uint8_t algorithm);
/* Key size in bits (RSA modulus, curve size), 0 when unknown/malformed. */
unsigned verify_dnskey_bits(const ldns_rr *dnskey);

/*
 * A zone's DNSKEYs; each public key is imported into an EVP_PKEY once, the first time a
 * signature tries it (a key no signature tries costs no import: KeyTrap zones list hundreds).
 * Immutable after verify_keyset_new() as far as callers can tell (the lazy import and the memo
 * are internally locked) and reference counted: share it between threads, take a reference with
 * verify_keyset_ref(), drop it with verify_keyset_free() (the last one frees).
 */
typedef struct verify_keyset verify_keyset_t;
/*
 * Builds a keyset for zone from the DNSKEY RRs in dnskeys (other types ignored; RRs and zone
 * are copied: the caller keeps ownership of its arguments). Keys of unsupported algorithms or
 * with malformed key material are kept (they count for tags) but never verify anything.
 * Caller owns *out (one reference). Returns 0, VERIFY_EINVAL, VERIFY_ENOMEM.
 */
int verify_keyset_new(const ldns_rdf *zone, const ldns_rr_list *dnskeys, verify_keyset_t **out);
/* Adds a reference; returns ks. Thread-safe. */
verify_keyset_t *verify_keyset_ref(verify_keyset_t *ks);
/* Drops a reference; NULL is a no-op. Thread-safe. */
void verify_keyset_free(verify_keyset_t *ks);
/* Signatures verified from the keyset's memo instead of again: a keyset remembers (by a SHA-256
 * fingerprint of the signed data, signature and key) what it verified, so records shared by
 * many domains (a TLD's NSEC3 records) or repeated in one zone's answers are verified once.
 * The memo is internally locked; it never changes a result. */
uint64_t verify_keyset_memo_hits(const verify_keyset_t *ks);
/* Number of keys; the zone (borrowed, lives as long as ks); key i as an RR (borrowed). */
size_t verify_keyset_count(const verify_keyset_t *ks);
const ldns_rdf *verify_keyset_zone(const verify_keyset_t *ks);
const ldns_rr *verify_keyset_key(const verify_keyset_t *ks, size_t i);

/* -- RRSIG verification (RFC 4035 §5.3.1, RFC 6840 §5.11) -- */

typedef enum verify_sig_outcome {
    VERIFY_SIG_VALID = 0,       /* at least one RRSIG verified with a matching key */
    VERIFY_SIG_BOGUS = 1,       /* none did; reason says why (most relevant failure) */
    VERIFY_SIG_UNSUPPORTED = 2, /* only unsupported algorithms: insecure (RFC 4035 §5.2) */
} verify_sig_outcome_t;

typedef struct verify_sig_result {
    verify_sig_outcome_t outcome;
    verify_reason_code_t reason; /* when BOGUS: RRSIG_*, DNSKEY_NO_ZONE_BIT, DNSKEY_REVOKED */
    uint16_t key_tag;            /* VALID: the key that verified; BOGUS: the RRSIG's key tag */
    uint8_t algorithm;
    int64_t expiration; /* VALID: expiration of the verifying RRSIG (unix seconds) */
    uint8_t labels;     /* VALID: Labels field of the verifying RRSIG (below the owner's label
                           count: a wildcard expansion, which needs its proof, RFC 4035 5.3.4) */
    char detail[256];   /* key tags, times in RFC 3339 */
} verify_sig_result_t;

/*
 * Verifies an RRset (all RRs one owner/class/type) against its RRSIGs (rrsigs may contain
 * RRSIGs of other types/owners: they are skipped) with keys: valid if ANY RRSIG that covers
 * the type verifies with ANY key of matching tag and algorithm (zone flag and protocol 3, else
 * DNSKEY_NO_ZONE_BIT; never a revoked key, RFC 5011 §2.1, else DNSKEY_REVOKED). Checks every
 * field of RFC 4035 §5.3.1:
 * signer = keyset zone, owner within it, type covered, labels, validity window (RFC 1982)
 * against now. Result in *res. Returns 0, or <0 for program failures (VERIFY_ENOMEM...).
 * An empty rrsigs gives BOGUS with RRSIG_MISSING. Use it for any RRset against a validated
 * keyset, e.g. the signed DS RRset of a referral against the parent's keyset.
 */
int verify_rrset(const verify_keyset_t *keys, const ldns_rr_list *rrset, const ldns_rr_list *rrsigs,
                 int64_t now, verify_sig_result_t *res);

/* Verifies one RRSIG (same checks) with the keys of matching tag/algorithm. */
int verify_rrsig(const verify_keyset_t *keys, const ldns_rr_list *rrset, const ldns_rr *rrsig,
                 int64_t now, verify_sig_result_t *res);

/* -- negative answers: NSEC/NSEC3 signatures here, the proof itself by verify_denial_check() -- */

typedef struct verify_negative_result {
    bool proven;                 /* signed and proven (opt-out included; iterations above the
                                    limit never are: see insecure_iterations) */
    bool optout;                 /* proven only by an NSEC3 opt-out span */
    bool insecure_iterations;    /* signed and covering, but NSEC3 iterations above the limit:
                                    unprovable (resolvers answer it insecure, without AD); then
                                    proven is false and reason is not set */
    verify_reason_code_t reason; /* when !proven and !insecure_iterations: DENIAL_MISSING,
                                    DENIAL_INVALID or VALIDATION_LIMIT */
    int64_t earliest_expiration; /* of the NSEC/NSEC3 RRSIGs that verified; 0 = none */
    char detail[300];
} verify_negative_result_t;

/*
 * Judges a negative answer p from the zone of keys (a validated keyset): its authority section
 * must hold NSEC or NSEC3 RRsets (none: DENIAL_MISSING) whose RRSIGs all verify with keys (one
 * that does not: DENIAL_INVALID), proving that qname does not exist (p's rcode NXDOMAIN), has
 * no qtype data, or with no_ds that the delegation at qname has no DS (the scanner's case for a
 * referral: keys = the parent's keyset, qname = the child). Result in *res; returns 0 or <0
 * for program failures.
 */
int verify_negative(const verify_ctx_t *ctx, const verify_keyset_t *keys, const ldns_pkt *p,
                    const ldns_rdf *qname, uint16_t qtype, bool no_ds, int64_t now,
                    verify_negative_result_t *res);

/* -- the parent's side of a delegation: its DS RRset, or the proof that there is none -- */

typedef enum verify_parent_state {
    VERIFY_PARENT_DS = 0,       /* the parent's DS RRset validated and present (parent_ds) */
    VERIFY_PARENT_NO_DS = 1,    /* the parent proved there is no DS (incl. opt-out) */
    VERIFY_PARENT_INSECURE = 2, /* the parent is unsigned / insecure */
    VERIFY_PARENT_BOGUS = 3,    /* the parent is bogus or could not be established */
} verify_parent_state_t;

typedef struct verify_delegation_result {
    verify_parent_state_t state;
    /* VERIFY_PARENT_DS: the validated DS RRs of the child. The list is the caller's (free it
     * with ldns_rr_list_free()); its RRs are borrowed from the referral. NULL otherwise. */
    ldns_rr_list *ds;
    /* A reason for the child's verdict: an error when state is VERIFY_PARENT_BOGUS (e.g.
     * RRSIG_EXPIRED on "child/DS", PARENT_DS_DENIAL_INVALID), or a warning that goes with an
     * insecure delegation (NSEC3_ITERATIONS). has_reason false: nothing to say. */
    bool has_reason;
    verify_reason_code_t reason;
    char rrset[300];
    char detail[400];
    /* The DS RRset or the denial was signed by a zone strictly between the parent and the
     * child (signer, wire form, lower case): the parent's server is authoritative for that
     * zone too and a zone cut was missed. state is then VERIFY_PARENT_BOGUS without a reason:
     * the caller must set up that zone and judge the delegation again with its keys. */
    bool cut_missed;
    uint8_t signer[256];
    size_t signer_len;
} verify_delegation_result_t;

/*
 * Judges a referral (or an answer built like one) for child with the parent zone's validated
 * keys: a DS RRset in the authority section must verify (RFC 4035 5.2); without one, the
 * NSEC/NSEC3 records must prove that child has no DS (RFC 4035 5.4, RFC 5155 8.6; opt-out
 * and NSEC3 above the iteration limit give an insecure delegation). Rules of verdicts.md: a
 * DS RRset signed only with algorithms this engine does not support is bogus (the parent's
 * keys are supported, so this would be a downgrade); a signature failure on an existing DS
 * RRset is reported as itself (RRSIG_EXPIRED...), not as a denial problem. The work is charged
 * to a per-call budget and to domain_budget when not NULL (VALIDATION_LIMIT when exceeded).
 * Returns 0, or <0 for program failures (VERIFY_EINVAL for NULL arguments, VERIFY_ENOMEM).
 */
int verify_delegation(const verify_ctx_t *ctx, const verify_keyset_t *parent_keys,
                      const ldns_pkt *referral, const ldns_rdf *child, int64_t now,
                      verify_budget_t *domain_budget, verify_delegation_result_t *out);

/* -- zone judgement for one authoritative server's answers -- */

/*
 * All inputs borrowed for the duration of the call. Any packet may be NULL (no answer); a NULL
 * or empty DNSKEY answer means "this server serves no DNSKEY" (DS_ZONE_UNSIGNED under a DS):
 * servers that did not answer at all are the scanner's business (lame), not a verdict here.
 * Negative answers (NODATA, NXDOMAIN) are judged from the NSEC/NSEC3 RRs of their authority
 * section: their RRSIGs are verified here, the proof itself by verify_denial_check().
 */
typedef struct verify_zone_input {
    const ldns_rdf *zone;           /* apex name */
    verify_parent_state_t parent;   /* see above */
    const ldns_rr_list *parent_ds;  /* DS RRs (VERIFY_PARENT_DS); RRSIGs in it are ignored */
    const ldns_pkt *dnskey;         /* answer to <zone> DNSKEY (DO set) */
    const ldns_pkt *soa;            /* answer to <zone> SOA */
    const ldns_pkt *a;              /* answer to <zone> A (positive or NODATA) */
    const ldns_pkt *caa;            /* answer to <zone> CAA */
    const ldns_pkt *cds;            /* answer to <zone> CDS */
    const ldns_pkt *cdnskey;        /* answer to <zone> CDNSKEY */
    const ldns_pkt *nxdomain_probe; /* answer to <random-label>.<zone> A; qname from question */
    int64_t now;                    /* unix seconds */
    verify_budget_t *domain_budget; /* shared by the domain's servers (charged too); NULL = none */
    /* The answers came through a recursive resolver (CD set): an error rcode means the resolver
     * got nothing usable from any server (NS_UNREACHABLE), not one lame server (NS_LAME). */
    bool via_resolver;
    /* Only DNSKEY and SOA were asked of this server (the scanner asks the other questions of
     * one address per name server name): a, caa, cds, cdnskey and nxdomain_probe are not
     * judged, and their absence is no missing answer. */
    bool apex_only;
} verify_zone_input_t;

typedef struct verify_reason {
    verify_reason_code_t code;
    char rrset[300];  /* e.g. "example.com/DNSKEY" */
    char detail[300]; /* key tags, times, digests */
} verify_reason_t;

typedef struct verify_key_summary {
    uint16_t key_tag;
    uint8_t algorithm;
    uint16_t flags;
    unsigned bits;
    bool ds_matched;   /* a parent DS (or anchor) matches it */
    bool signs_dnskey; /* one of its RRSIGs over the DNSKEY RRset verified */
} verify_key_summary_t;

typedef struct verify_cds_summary {
    uint16_t rrtype; /* LDNS_RR_TYPE_CDS or LDNS_RR_TYPE_CDNSKEY */
    uint16_t key_tag;
    uint8_t algorithm;
    uint8_t digest_type; /* CDS only */
    bool is_delete;      /* RFC 8078 "0 0 0 00" / "0 3 0 AA==" */
    bool served;         /* it describes a DNSKEY the server serves */
    bool signs_dnskey;   /* ... and that key has a valid RRSIG over the DNSKEY RRset: publishing
                            this record as DS would keep the zone validating (DS automation) */
} verify_cds_summary_t;

typedef struct verify_nsec3_summary {
    bool seen;
    uint8_t hash_algorithm;
    uint8_t flags;
    uint16_t iterations;
    uint8_t salt_len;
    uint8_t salt[255];
} verify_nsec3_summary_t;

/* A verdict; the caller owns it and frees it with verify_verdict_free(). */
typedef struct verify_verdict {
    verify_status_t status;
    /* The status the DNSKEY and SOA answers alone give (equal to status for an apex_only
     * input): what compares a server asked every question with one asked only those two. */
    verify_status_t apex_status;
    verify_reason_t *reasons; /* n_reasons entries: errors, then warnings, then info */
    size_t n_reasons;
    verify_key_summary_t *keys; /* the served DNSKEYs */
    size_t n_keys;
    char **ds_records; /* DS the parent should have: SHA-256 of the SEP (else all zone) keys */
    size_t n_ds_records;
    int64_t earliest_expiration; /* min expiration of the RRSIGs that verified; 0 = none */
    verify_nsec3_summary_t nsec3;
    verify_cds_summary_t *cds; /* CDS and CDNSKEY records served, CDS first, in answer order */
    size_t n_cds;
    /* Key tag of the DS-authenticated DNSKEY whose RRSIG over the CDS (CDNSKEY) RRset verified
     * (RFC 7344 §4.1); for a zone without DS, of any served key whose RRSIG verified (RFC 9615
     * bootstrapping); -1 when none did or the RRset is absent. */
    int32_t cds_signer;
    int32_t cdnskey_signer;
    /* CDS and CDNSKEY both published and describing different keys (RFC 7344 §4). */
    bool cds_cdnskey_disagree;
    verify_keyset_t *keyset; /* status secure: the validated DNSKEYs (owned by the verdict;
                                take your own with verify_keyset_ref()); else NULL */
} verify_verdict_t;

/* Frees a verdict and drops its keyset reference; NULL is a no-op. */
void verify_verdict_free(verify_verdict_t *v);
/* True when the verdict carries the code. */
bool verify_verdict_has(const verify_verdict_t *v, verify_reason_code_t code);
/* True when both verdicts list the same served keys (key tag and algorithm), in any order:
 * what tells two servers of one zone serve one key set. */
bool verify_verdict_same_keys(const verify_verdict_t *a, const verify_verdict_t *b);

/*
 * The central judgement: one authoritative server's answers for one zone, given the parent's
 * situation. Never fails for bad data (that is a verdict); returns <0 only for program
 * failures (VERIFY_ENOMEM; VERIFY_EINVAL for a NULL zone, or VERIFY_PARENT_DS without any DS
 * or DNSKEY RR in parent_ds). Caller owns *out.
 * Status: parent bogus -> bogus without a reason (the caller reports why once for the domain:
 * its delegation's reason, or PARENT_BOGUS); parent insecure -> insecure + PARENT_UNSIGNED; no DS
 * proven -> insecure (+ DNSKEY_WITHOUT_DS when signed); DS present: only unsupported
 * algorithms/digests -> insecure + ALGORITHM_UNSUPPORTED; any error reason -> bogus; else
 * secure (warnings and info do not change it). Secure needs every answer of the input: the
 * DNSKEY RRset validated by a DS-matched key, a validated SOA, the A and CAA answers each a
 * validated RRset or a validated NODATA proof, the probe a validated NXDOMAIN proof (or a
 * wildcard answer with its proof); a NULL answer (none after the scanner's retries) is
 * NS_UNREACHABLE, an error rcode NS_LAME, NXDOMAIN at the apex or an empty answer without a
 * proof DENIAL_INVALID / DENIAL_MISSING (CAA_BOGUS for the CAA answer). CDS/CDNSKEY answers
 * may be NULL (they are information, not part of what resolvers validate).
 */
int verify_zone(const verify_ctx_t *ctx, const verify_zone_input_t *in, verify_verdict_t **out);

/*
 * Validates a trust anchor: anchor holds DS or DNSKEY RRs for zone (usually the root);
 * dnskey is the zone's DNSKEY answer. Same judgement as verify_zone() with the anchor as the
 * parent DS set (a DNSKEY anchor matches by key RDATA). On secure, (*out)->keyset is the
 * validated keyset. Caller owns *out.
 */
int verify_trust_anchor(const verify_ctx_t *ctx, const ldns_rdf *zone, const ldns_rr_list *anchor,
                        const ldns_pkt *dnskey, int64_t now, verify_verdict_t **out);

/* The worker pool is part of this header; the proofs of denial (NSEC, NSEC3) have their own,
 * verify/denial.h, which brings ldns.h with it. */
#include "verify/pool.h"

#endif
