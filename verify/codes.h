/*
 * verify/codes.h: the verdict vocabulary of doc/verdicts.md: statuses, reason codes, their
 * stable names, severities, the Extended DNS Error a resolver would attach, and one-line fix
 * hints. Plain data: no ldns, no OpenSSL, no threads, so a module that only stores or prints
 * verdicts (results/) links this part alone (the `codes` library) and not the whole engine.
 */
#ifndef DNSSWEEP_VERIFY_CODES_H
#define DNSSWEEP_VERIFY_CODES_H

/* ---------------------------------------------------------------------------------------------
 * Statuses and reason codes: the stable names of doc/verdicts.md (tests/integration/doc_contract.py
 * keeps that page in step with this table).
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

/* The Extended DNS Error (RFC 8914; 27 is RFC 9276's) a validating resolver would attach to its
 * answer for a reason; NONE where it attaches none. */
typedef enum verify_ede {
    VERIFY_EDE_NONE = -1,
    VERIFY_EDE_OTHER = 0,
    VERIFY_EDE_UNSUPPORTED_DNSKEY_ALGORITHM = 1,
    VERIFY_EDE_UNSUPPORTED_DS_DIGEST_TYPE = 2,
    VERIFY_EDE_DNSSEC_BOGUS = 6,
    VERIFY_EDE_SIGNATURE_EXPIRED = 7,
    VERIFY_EDE_SIGNATURE_NOT_YET_VALID = 8,
    VERIFY_EDE_DNSKEY_MISSING = 9,
    VERIFY_EDE_RRSIGS_MISSING = 10,
    VERIFY_EDE_NO_ZONE_KEY_BIT_SET = 11,
    VERIFY_EDE_NSEC_MISSING = 12,
    VERIFY_EDE_NO_REACHABLE_AUTHORITY = 22,
    VERIFY_EDE_UNSUPPORTED_NSEC3_ITERATIONS_VALUE = 27,
} verify_ede_t;

#define VERIFY_REASON_LIST(X)                                                                      \
    X(DS_NO_MATCHING_DNSKEY, ERROR, DNSKEY_MISSING)                                                \
    X(DS_DIGEST_MISMATCH, ERROR, DNSSEC_BOGUS)                                                     \
    X(DS_ZONE_UNSIGNED, ERROR, DNSKEY_MISSING)                                                     \
    X(DS_KEY_NOT_SIGNING, ERROR, DNSSEC_BOGUS)                                                     \
    X(DNSKEY_NO_ZONE_BIT, ERROR, NO_ZONE_KEY_BIT_SET)                                              \
    X(DNSKEY_REVOKED, ERROR, DNSKEY_MISSING)                                                       \
    X(DNSKEY_UNSIGNED, ERROR, RRSIGS_MISSING)                                                      \
    X(RRSIG_MISSING, ERROR, RRSIGS_MISSING)                                                        \
    X(RRSIG_EXPIRED, ERROR, SIGNATURE_EXPIRED)                                                     \
    X(RRSIG_NOT_YET_VALID, ERROR, SIGNATURE_NOT_YET_VALID)                                         \
    X(RRSIG_INVALID, ERROR, DNSSEC_BOGUS)                                                          \
    X(RRSIG_UNKNOWN_KEY, ERROR, DNSKEY_MISSING)                                                    \
    X(RRSIG_MALFORMED, ERROR, DNSSEC_BOGUS)                                                        \
    X(DENIAL_MISSING, ERROR, NSEC_MISSING)                                                         \
    X(DENIAL_INVALID, ERROR, DNSSEC_BOGUS)                                                         \
    X(PARENT_DS_DENIAL_INVALID, ERROR, DNSSEC_BOGUS)                                               \
    X(NS_UNREACHABLE, ERROR, NO_REACHABLE_AUTHORITY)                                               \
    X(NS_LAME, ERROR, NO_REACHABLE_AUTHORITY)                                                      \
    X(NS_INCONSISTENT, ERROR, NONE)                                                                \
    X(DNSSEC_STRIPPED, ERROR, RRSIGS_MISSING)                                                      \
    X(CAA_BOGUS, ERROR, DNSSEC_BOGUS)                                                              \
    X(NOT_DELEGATED, ERROR, NONE)                                                                  \
    X(DNSKEY_WITHOUT_DS, WARNING, NONE)                                                            \
    X(DS_STALE, WARNING, NONE)                                                                     \
    X(ALGORITHM_DEPRECATED, WARNING, NONE)                                                         \
    X(DS_DIGEST_DEPRECATED, WARNING, UNSUPPORTED_DS_DIGEST_TYPE)                                   \
    X(ALGORITHM_UNSUPPORTED, WARNING, UNSUPPORTED_DNSKEY_ALGORITHM)                                \
    X(ALGORITHM_INCOMPLETE, WARNING, NONE)                                                         \
    X(RRSIG_EXPIRES_SOON, WARNING, NONE)                                                           \
    X(NSEC3_ITERATIONS, WARNING, UNSUPPORTED_NSEC3_ITERATIONS_VALUE)                               \
    X(KEY_TOO_SMALL, WARNING, NONE)                                                                \
    X(PARENT_UNSIGNED, INFO, NONE)                                                                 \
    X(CDS_PENDING, INFO, NONE)                                                                     \
    X(CDS_DELETE, INFO, NONE)                                                                      \
    X(CDS_INVALID, WARNING, NONE)                                                                  \
    X(NSEC3_SALT, INFO, NONE)                                                                      \
    X(VALIDATION_LIMIT, ERROR, OTHER)                                                              \
    X(PARENT_BOGUS, ERROR, DNSSEC_BOGUS)                                                           \
    X(PARENT_UNREACHABLE, ERROR, NO_REACHABLE_AUTHORITY)

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

#endif
