/*
 * verify/: DNSSEC verification. Pure computation: given RRsets, signatures, keys and "now",
 * returns verdicts and reason codes. No sockets, no libuv; thread-safe.
 *
 * Errors of the program itself are negative ints (see verify_strerror()); a bogus signature is
 * a verdict (status + reasons), never an error.
 */
#ifndef DNSSWEEP_VERIFY_H
#define DNSSWEEP_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------------------------------
 * Statuses and reason codes: the stable names of ../shared/spec/verdicts.md.
 * The numeric values are stored on disk by results/: append only, never renumber.
 * ------------------------------------------------------------------------------------------- */

typedef enum verify_status {
    VERIFY_STATUS_SECURE = 0,
    VERIFY_STATUS_INSECURE = 1,
    VERIFY_STATUS_BOGUS = 2,
    VERIFY_STATUS_INDETERMINATE = 3,
    VERIFY_STATUS_LAME = 4,
    VERIFY_STATUS_NXDOMAIN = 5,
    VERIFY_STATUS_COUNT
} verify_status_t;

typedef enum verify_severity {
    VERIFY_SEVERITY_ERROR = 0,
    VERIFY_SEVERITY_WARNING = 1,
    VERIFY_SEVERITY_INFO = 2,
} verify_severity_t;

#define VERIFY_REASON_LIST(X)                                                                      \
    X(DS_NO_MATCHING_DNSKEY, ERROR, 9)                                                             \
    X(DS_DIGEST_MISMATCH, ERROR, 6)                                                                \
    X(DS_ZONE_UNSIGNED, ERROR, 9)                                                                  \
    X(DS_KEY_NOT_SIGNING, ERROR, 6)                                                                \
    X(DNSKEY_NO_ZONE_BIT, ERROR, 11)                                                               \
    X(DNSKEY_REVOKED, ERROR, 9)                                                                    \
    X(DNSKEY_UNSIGNED, ERROR, 10)                                                                  \
    X(RRSIG_MISSING, ERROR, 10)                                                                    \
    X(RRSIG_EXPIRED, ERROR, 7)                                                                     \
    X(RRSIG_NOT_YET_VALID, ERROR, 8)                                                               \
    X(RRSIG_INVALID, ERROR, 6)                                                                     \
    X(RRSIG_UNKNOWN_KEY, ERROR, 9)                                                                 \
    X(RRSIG_MALFORMED, ERROR, 6)                                                                   \
    X(DENIAL_MISSING, ERROR, 12)                                                                   \
    X(DENIAL_INVALID, ERROR, 6)                                                                    \
    X(PARENT_DS_DENIAL_INVALID, ERROR, 6)                                                          \
    X(NS_UNREACHABLE, ERROR, 22)                                                                   \
    X(NS_LAME, ERROR, 22)                                                                          \
    X(NS_INCONSISTENT, ERROR, -1)                                                                  \
    X(DNSSEC_STRIPPED, ERROR, 10)                                                                  \
    X(CAA_BOGUS, ERROR, 6)                                                                         \
    X(NOT_DELEGATED, ERROR, -1)                                                                    \
    X(DNSKEY_WITHOUT_DS, WARNING, -1)                                                              \
    X(DS_STALE, WARNING, -1)                                                                       \
    X(ALGORITHM_DEPRECATED, WARNING, -1)                                                           \
    X(DS_DIGEST_DEPRECATED, WARNING, 2)                                                            \
    X(ALGORITHM_UNSUPPORTED, WARNING, 1)                                                           \
    X(ALGORITHM_INCOMPLETE, WARNING, -1)                                                           \
    X(RRSIG_EXPIRES_SOON, WARNING, -1)                                                             \
    X(NSEC3_ITERATIONS, WARNING, 27)                                                               \
    X(KEY_TOO_SMALL, WARNING, -1)                                                                  \
    X(PARENT_UNSIGNED, INFO, -1)                                                                   \
    X(CDS_PENDING, INFO, -1)                                                                       \
    X(CDS_DELETE, INFO, -1)                                                                        \
    X(CDS_INVALID, WARNING, -1)                                                                    \
    X(NSEC3_SALT, INFO, -1)

typedef enum verify_reason_code {
#define VERIFY_REASON_ENUM(name, sev, ede) VERIFY_REASON_##name,
    VERIFY_REASON_LIST(VERIFY_REASON_ENUM)
#undef VERIFY_REASON_ENUM
        VERIFY_REASON_COUNT
} verify_reason_code_t;

/* Stable lower-case status name ("secure", ...); NULL for an out-of-range value. Static storage. */
const char *verify_status_name(verify_status_t status);
/* Parses a status name; returns 0 and sets *out, or -1 when the name is unknown. */
int verify_status_from_name(const char *name, verify_status_t *out);
/* Stable upper-case reason code name ("DS_NO_MATCHING_DNSKEY"); NULL when out of range. */
const char *verify_reason_name(verify_reason_code_t code);
/* Parses a reason code name; returns 0 and sets *out, or -1 when the name is unknown. */
int verify_reason_from_name(const char *name, verify_reason_code_t *out);
/* Severity of a reason code as verdicts.md assigns it. */
verify_severity_t verify_reason_severity(verify_reason_code_t code);
/* "error", "warning" or "info". Static storage. */
const char *verify_severity_name(verify_severity_t severity);
/* RFC 8914 Extended DNS Error a validating resolver would attach, or -1 when there is none. */
int verify_reason_ede(verify_reason_code_t code);
/* One-line fix hint of verdicts.md (generic; callers add the exact record where they have it). */
const char *verify_reason_fix(verify_reason_code_t code);

/* ---------------------------------------------------------------------------------------------
 * Errors of the module itself.
 * ------------------------------------------------------------------------------------------- */
enum {
    VERIFY_OK = 0,
    VERIFY_ENOMEM = -1,
    VERIFY_EINVAL = -2,
    VERIFY_ECRYPTO = -3,
    VERIFY_EUNSUPPORTED = -4,
};
/* Message for a negative error code of this module. Static storage. */
const char *verify_strerror(int err);

/* ---- signatures (canonical form, key tags, DS digests, RRSIGs, key cache, zone judgement) ---- */

/* ---- denial of existence (NSEC, NSEC3) ---- */

/*
 * Checks NSEC/NSEC3 proofs (RFC 4035 §5.4, RFC 5155 §8, RFC 6840 §4). Pure logic over ldns
 * types: no allocation kept, no global state, safe to call from any thread at once. Signatures
 * are NOT checked here: the caller passes only NSEC/NSEC3 RRs whose RRSIGs it already verified
 * (other RR types in the list are ignored).
 */
#include <ldns/ldns.h>

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
    VERIFY_DENIAL_INSECURE_ITERATIONS /* a usable NSEC3 in records has more than
                                         max_iterations iterations: the zone counts as insecure
                                         (RFC 9276 §3.2); no proof was attempted */
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

/* ---- worker pool ---- */

/*
 * A fixed set of pthreads running verification jobs in batches, handing completions back to
 * the owner's thread (the event loop) without knowing about libuv: the pool calls notify()
 * from a worker when completions are ready (the owner does uv_async_send() there) and the
 * owner calls verify_pool_drain() from its async callback to run the jobs' done() callbacks.
 *
 * Threading: verify_pool_submit*, verify_pool_drain, verify_pool_pending and verify_pool_free
 * must all be called from one thread, the owner's. run() is called on a worker thread, done()
 * on the owner's thread inside verify_pool_drain() (or verify_pool_free()). Each job's run()
 * happens-before its done(). Jobs are run in no particular order.
 */
typedef struct verify_pool verify_pool_t;

/*
 * One job. Storage is the caller's (embed it in the per-domain struct: the pool allocates
 * nothing per job) and must stay valid and untouched from submit until done() has been called.
 */
typedef struct verify_job {
    void (*run)(void *arg);  /* on a worker thread; required; must not call the pool */
    void (*done)(void *arg); /* on the owner's thread; may be NULL */
    void *arg;
    struct verify_job *pool_next_; /* private to the pool: intrusive list link */
} verify_job_t;

typedef struct verify_pool_config {
    unsigned nthreads; /* worker threads; 0 = online CPUs */
    /* Called when completions become available: from a worker thread, and from the owner's
     * thread inside verify_pool_drain() when completions remain beyond its max. Calls are
     * coalesced (one call may stand for many completions) and it must not call back into the
     * pool. May be NULL (then the owner polls drain). notify_arg must stay valid until
     * verify_pool_free() returns. */
    void (*notify)(void *notify_arg);
    void *notify_arg;
    /* Bound on pending jobs (submitted, done() not yet called); 0 = unbounded. */
    size_t max_pending;
} verify_pool_config_t;

/* Starts the threads. On success *out is the caller's, to release with verify_pool_free().
 * Returns 0, VERIFY_EINVAL (NULL argument) or VERIFY_ENOMEM (no memory, or a thread could not
 * be started; nothing is left running). cfg is copied. */
int verify_pool_new(const verify_pool_config_t *cfg, verify_pool_t **out);

/* Queues the n contiguous jobs jobs[0..n-1] with one lock. All or nothing: returns 0, or
 * VERIFY_EINVAL (NULL pool, a job without run, the pending bound would be exceeded: check
 * verify_pool_room() first; or called from a done() run by verify_pool_free()). */
int verify_pool_submit(verify_pool_t *pool, verify_job_t *jobs, size_t n);

/* Same for n jobs scattered in memory (e.g. embedded in per-domain structs). */
int verify_pool_submit_ptrs(verify_pool_t *pool, verify_job_t *const *jobs, size_t n);

/* Runs done() for up to max completed jobs on the calling (owner's) thread and returns how
 * many it ran. When more completions remain it calls notify() once before returning, so a
 * bounded drain per loop callback never strands work. done() may submit new jobs (even reuse
 * its own verify_job_t) but must not call verify_pool_drain() or verify_pool_free(). */
size_t verify_pool_drain(verify_pool_t *pool, size_t max);

/* Jobs submitted whose done() has not run yet (queued, running or completed). */
size_t verify_pool_pending(const verify_pool_t *pool);

/* How many more jobs verify_pool_submit() accepts now (SIZE_MAX when unbounded). */
size_t verify_pool_room(const verify_pool_t *pool);

/* Threads the pool runs. */
unsigned verify_pool_threads(const verify_pool_t *pool);

/* Finishes every queued job (run() on the workers), stops and joins the threads, then calls
 * done() on the calling thread for every job not drained yet, so no job is lost; those done()
 * calls cannot submit more work. notify() is not called once shutdown has begun (a call already
 * under way on a worker finishes before this returns). NULL is a no-op. */
void verify_pool_free(verify_pool_t *pool);

#endif
