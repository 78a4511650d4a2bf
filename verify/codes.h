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

/* The reason codes of doc/verdicts.md, a row each: the name, the severity, the EDE a validating
 * resolver attaches, and the fix hint (generic: scanner/ writes the exact record where it has
 * it). One line a row, however long the hint, so that a reason is added or read in one place. */
// clang-format off
#define VERIFY_REASON_LIST(X) \
    X(DS_NO_MATCHING_DNSKEY, ERROR, DNSKEY_MISSING, "replace the DS at the registrar with the DS of the zone's current KSK") \
    X(DS_DIGEST_MISMATCH, ERROR, DNSSEC_BOGUS, "replace the DS at the registrar with one computed from the zone's KSK") \
    X(DS_ZONE_UNSIGNED, ERROR, DNSKEY_MISSING, "remove the DS at the registrar, or turn signing back on") \
    X(DS_KEY_NOT_SIGNING, ERROR, DNSSEC_BOGUS, "publish the DS of the KSK that signs the DNSKEY RRset, or sign it with the key the DS points at") \
    X(DNSKEY_NO_ZONE_BIT, ERROR, NO_ZONE_KEY_BIT_SET, "publish the KSK with flags 257 and re-sign the DNSKEY RRset") \
    X(DNSKEY_REVOKED, ERROR, DNSKEY_MISSING, "roll to another KSK and publish its DS at the registrar") \
    X(DNSKEY_UNSIGNED, ERROR, RRSIGS_MISSING, "sign the DNSKEY RRset with the KSK and reload the zone") \
    X(RRSIG_MISSING, ERROR, RRSIGS_MISSING, "re-sign the zone and reload it on every server") \
    X(RRSIG_EXPIRED, ERROR, SIGNATURE_EXPIRED, "re-sign the zone now, and make the signer re-sign it before signatures expire") \
    X(RRSIG_NOT_YET_VALID, ERROR, SIGNATURE_NOT_YET_VALID, "set the signing host's clock right and re-sign the zone") \
    X(RRSIG_INVALID, ERROR, DNSSEC_BOGUS, "re-sign the zone and reload it on every server (look for one serving an old copy)") \
    X(RRSIG_UNKNOWN_KEY, ERROR, DNSKEY_MISSING, "publish the DNSKEY that made the signatures, or re-sign with the published keys") \
    X(RRSIG_MALFORMED, ERROR, DNSSEC_BOGUS, "re-sign the zone with a standard signer") \
    X(DENIAL_MISSING, ERROR, NSEC_MISSING, "make the server send signed NSEC/NSEC3 proofs in its negative answers") \
    X(DENIAL_INVALID, ERROR, DNSSEC_BOGUS, "re-sign the whole zone to rebuild its NSEC/NSEC3 chain") \
    X(PARENT_DS_DENIAL_INVALID, ERROR, DNSSEC_BOGUS, "nothing to change in the zone: the parent's operator must re-sign the parent") \
    X(NS_UNREACHABLE, ERROR, NO_REACHABLE_AUTHORITY, "make the server answer, or remove it from the NS records") \
    X(NS_LAME, ERROR, NO_REACHABLE_AUTHORITY, "make the server authoritative for the zone, or remove it from the NS records") \
    X(NS_INCONSISTENT, ERROR, NONE, "make the wrong server serve the same signed zone as the others (resync it)") \
    X(DNSSEC_STRIPPED, ERROR, RRSIGS_MISSING, "make the server serve the zone's RRSIGs (an old unsigned copy, or a middlebox)") \
    X(CAA_BOGUS, ERROR, DNSSEC_BOGUS, "re-sign the zone so that its CAA answer validates") \
    X(NOT_DELEGATED, ERROR, NONE, "check the registration: renew it and publish the NS records") \
    X(DNSKEY_WITHOUT_DS, WARNING, NONE, "publish the DS at the registrar") \
    X(DS_STALE, WARNING, NONE, "remove the stale DS at the registrar") \
    X(ALGORITHM_DEPRECATED, WARNING, NONE, "roll to algorithm 13 or 15") \
    X(DS_DIGEST_DEPRECATED, WARNING, UNSUPPORTED_DS_DIGEST_TYPE, "add a SHA-256 DS, then drop the old one") \
    X(ALGORITHM_UNSUPPORTED, WARNING, UNSUPPORTED_DNSKEY_ALGORITHM, "roll to algorithm 13 or 15") \
    X(ALGORITHM_INCOMPLETE, WARNING, NONE, "sign with every algorithm, or remove the keys of the one that signs nothing") \
    X(RRSIG_EXPIRES_SOON, WARNING, NONE, "re-sign before the signatures expire, and check that re-signing runs") \
    X(NSEC3_ITERATIONS, WARNING, UNSUPPORTED_NSEC3_ITERATIONS_VALUE, "re-sign with NSEC3 0 additional iterations and no salt (RFC 9276), or with NSEC") \
    X(KEY_TOO_SMALL, WARNING, NONE, "replace the key with an RSA key of at least 2048 bits, or roll to algorithm 13") \
    X(PARENT_UNSIGNED, INFO, NONE, "nothing to change in the zone: the registry does not offer DNSSEC") \
    X(CDS_PENDING, INFO, NONE, "update the DS, or let the registry's CDS scan do it") \
    X(CDS_DELETE, INFO, NONE, "remove the DS at the registrar, as the CDS asks") \
    X(CDS_INVALID, WARNING, NONE, "sign the CDS/CDNSKEY with a KSK the DS points at, the same on every server") \
    X(NSEC3_SALT, INFO, NONE, "re-sign with NSEC3 0 additional iterations and no salt (RFC 9276), or with NSEC") \
    X(VALIDATION_LIMIT, ERROR, OTHER, "publish fewer keys and signatures; no two keys with one key tag") \
    X(PARENT_BOGUS, ERROR, DNSSEC_BOGUS, "nothing to change at the domain: the operator of the named zone above it must fix that zone") \
    X(PARENT_UNREACHABLE, ERROR, NO_REACHABLE_AUTHORITY, "retry later; if it persists, the parent zone's operator must fix its servers")
// clang-format on

typedef enum verify_reason_code {
#define VERIFY_REASON_ENUM(name, sev, ede, fix) VERIFY_REASON_##name,
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
