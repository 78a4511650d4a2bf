/*
 * verify/denial.h: proofs of denial of existence. Checks NSEC/NSEC3 proofs (RFC 4035 §5.4,
 * RFC 5155 §8, RFC 6840 §4). Pure logic over ldns types: no allocation kept, no global state,
 * safe to call from any thread at once. Signatures are NOT checked here: the caller passes only
 * NSEC/NSEC3 RRs whose RRSIGs it already verified (other RR types in the list are ignored);
 * verify_negative() in verify.h does both for an answer.
 */
#ifndef DNSSWEEP_VERIFY_DENIAL_H
#define DNSSWEEP_VERIFY_DENIAL_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/* The work budget of verify.h, used here only behind pointers. */
typedef struct verify_budget verify_budget_t;

/* What the negative answer claims. */
typedef enum verify_denial_kind {
    VERIFY_DENIAL_NXDOMAIN, /* qname does not exist (and no wildcard could have matched it) */
    VERIFY_DENIAL_NODATA,   /* qname (or the wildcard that matches it) has no qtype RRset */
    VERIFY_DENIAL_NO_DS     /* qname is a delegation from zone without DS (qtype ignored) */
} verify_denial_kind_t;

typedef enum verify_denial_result {
    VERIFY_DENIAL_PROVEN,  /* the records prove the claim */
    VERIFY_DENIAL_OPTOUT,  /* valid, but INSECURE, not bogus: no NSEC3 matches the name and an
                              opt-out NSEC3 covers the next closer name, so an unsigned
                              delegation may exist there; resolvers set no AD bit (RFC 5155 §9.2;
                              §8.6 for DS, §8.5 as amended by erratum 3441). For NO_DS it means
                              "insecure delegation"; any kind may return it, NSEC3 only */
    VERIFY_DENIAL_MISSING, /* records holds no NSEC nor NSEC3 at all */
    VERIFY_DENIAL_INVALID, /* NSEC/NSEC3 present, but they do not prove the claim */
    VERIFY_DENIAL_INSECURE_ITERATIONS /* the records cover the claim, but a usable NSEC3 has
                                         more than max_iterations iterations: the answer is
                                         unprovable, insecure, never a proof (RFC 9276 §3.2).
                                         A non-covering set is INVALID whatever its iterations */
} verify_denial_result_t;

/* RFC 9276 §3.2: validators may treat a zone using more iterations as insecure. */
#define VERIFY_NSEC3_MAX_ITERATIONS_DEFAULT 150u
/* SHA-1, the only NSEC3 hash algorithm (RFC 5155 §11). */
#define VERIFY_NSEC3_HASH_SHA1 1u
#define VERIFY_NSEC3_HASH_LEN 20u

/* Input of verify_denial_check(). Everything is borrowed for the duration of the call. */
typedef struct verify_denial_query {
    const ldns_rdf *zone;  /* apex of the zone that signed the records (RRSIG signer name) */
    const ldns_rdf *qname; /* the name asked for; must be zone or below it */
    uint16_t qtype;        /* the type asked for (NODATA); ignored for NXDOMAIN and NO_DS */
    verify_denial_kind_t kind;
    const ldns_rr_list *records; /* NSEC or NSEC3 RRs whose RRSIGs the caller already verified */
    unsigned max_iterations;     /* NSEC3 iterations above this: INSECURE_ITERATIONS. Literal:
                                    0 accepts only 0 iterations; use ..._DEFAULT (150) */
    /* NSEC3 hashing (SHA-1 rounds) is charged to both budgets (CVE-2023-50868). NULL budget: a
     * per-call one of the default per-server size; NULL domain_budget: none. When a budget runs
     * out the result is INVALID and that budget's exceeded says why (VALIDATION_LIMIT). */
    verify_budget_t *budget;
    verify_budget_t *domain_budget;
} verify_denial_query_t;

/*
 * Decides whether q->records prove q->kind for q->qname. When detail is not NULL it receives a
 * NUL-terminated one-line explanation (truncated to detail_len), e.g. which name is not covered
 * or which type bit is set. NSEC3 records with an unknown hash algorithm or flags other than
 * 0/1 are ignored (RFC 5155 §8.2), as are NSEC/NSEC3 not in q->zone. Records that sit at a zone
 * cut below the apex (NS without SOA) or carry DNAME are never used to deny names below them
 * (RFC 6840 §4.1), nor to deny types other than DS at such a cut. NSEC3 is used when the list
 * holds any NSEC3, NSEC when that proves nothing. Returns MISSING/INVALID also for bad
 * arguments (NULL query, qname outside zone).
 * Suggested mapping to reasons: MISSING -> DENIAL_MISSING; INVALID -> DENIAL_INVALID (for the
 * parent's no-DS proof PARENT_DS_DENIAL_INVALID, for CAA CAA_BOGUS); OPTOUT and
 * INSECURE_ITERATIONS -> insecure, never bogus (the latter with NSEC3_ITERATIONS).
 */
verify_denial_result_t verify_denial_check(const verify_denial_query_t *q, char *detail,
                                           size_t detail_len);

/*
 * Proof for a positive answer synthesised from a wildcard (RFC 4035 §5.3.4, RFC 5155 §8.8):
 * rrsig_labels is the Labels field of the answer's RRSIG, so the wildcard is "*." followed by
 * the last rrsig_labels labels of q->qname. Checks that q->qname does not exist and that no
 * name closer than the wildcard's parent does. q->kind and q->qtype are ignored.
 * Returns PROVEN, OPTOUT (next closer in an opt-out span), MISSING, INVALID or
 * INSECURE_ITERATIONS.
 */
verify_denial_result_t verify_denial_check_wildcard(const verify_denial_query_t *q,
                                                    uint8_t rrsig_labels, char *detail,
                                                    size_t detail_len);

/* Stable lower-case name of a result ("proven", "optout", ...). Static storage. */
const char *verify_denial_result_name(verify_denial_result_t result);

/*
 * RFC 5155 §5 hash of a domain name (any case; hashed in canonical lower case):
 * H(x) = SHA-1 iterated "iterations" extra times over name || salt. name is a wire-format
 * dname rdf. Writes VERIFY_NSEC3_HASH_LEN bytes to out. Returns 0, VERIFY_EUNSUPPORTED for an
 * algorithm other than VERIFY_NSEC3_HASH_SHA1, VERIFY_EINVAL for a bad name, VERIFY_ECRYPTO.
 */
int verify_nsec3_hash(const ldns_rdf *name, uint8_t algorithm, uint16_t iterations,
                      const uint8_t *salt, size_t salt_len, uint8_t out[VERIFY_NSEC3_HASH_LEN]);

/*
 * Canonical DNS name order of RFC 4034 §6.1 (labels compared right to left, case-insensitive,
 * as octet strings). Both are wire-format dname rdfs. Returns <0, 0, >0 like strcmp.
 */
int verify_dname_canonical_compare(const ldns_rdf *a, const ldns_rdf *b);

/* NSEC3 parameters seen in a record list, for the NSEC3_ITERATIONS / NSEC3_SALT reasons. */
typedef struct verify_nsec3_params {
    size_t count;        /* NSEC3 RRs in the list (0: the other fields are 0) */
    uint8_t algorithm;   /* of the first NSEC3 */
    uint8_t flags;       /* of the first NSEC3 (bit 0x01: opt-out) */
    uint16_t iterations; /* the highest seen */
    uint8_t salt_len;    /* the longest seen; salt holds that salt */
    uint8_t salt[255];
    bool optout; /* any NSEC3 has the opt-out flag */
    bool mixed;  /* not every NSEC3 has the same algorithm, iterations and salt */
} verify_nsec3_params_t;

/* Fills *out from the NSEC3 RRs of records (other types ignored; records may be NULL).
 * Returns out->count as an int (0: no NSEC3). */
int verify_nsec3_params_get(const ldns_rr_list *records, verify_nsec3_params_t *out);

#endif
