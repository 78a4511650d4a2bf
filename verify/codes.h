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
    X(NSEC3_SALT, INFO, -1)                                                                        \
    X(VALIDATION_LIMIT, ERROR, 0)                                                                  \
    X(PARENT_BOGUS, ERROR, 6)                                                                      \
    X(PARENT_UNREACHABLE, ERROR, 22)

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
