/* The reason code table of doc/verdicts.md; one place for names, severities, EDEs, fixes. */
#include "verify/codes.h"
#include "text/text.h"

#include <string.h>

static const char *const status_names[VERIFY_STATUS_COUNT] = {
    "secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain",
};

struct reason_info {
    const char *name;
    verify_severity_t severity;
    verify_ede_t ede;
};

static const struct reason_info reasons[VERIFY_REASON_COUNT] = {
#define VERIFY_REASON_INFO(name, sev, ede) {#name, VERIFY_SEVERITY_##sev, VERIFY_EDE_##ede},
    VERIFY_REASON_LIST(VERIFY_REASON_INFO)
#undef VERIFY_REASON_INFO
};

static const char *const fixes[VERIFY_REASON_COUNT] = {
    [VERIFY_REASON_DS_NO_MATCHING_DNSKEY] =
        "replace the DS at the registrar with the DS of the zone's current KSK",
    [VERIFY_REASON_DS_DIGEST_MISMATCH] =
        "replace the DS at the registrar with one computed from the zone's KSK",
    [VERIFY_REASON_DS_ZONE_UNSIGNED] = "remove the DS at the registrar, or turn signing back on",
    [VERIFY_REASON_DS_KEY_NOT_SIGNING] = "publish the DS of the KSK that signs the DNSKEY RRset, "
                                         "or sign it with the key the DS points at",
    [VERIFY_REASON_DNSKEY_NO_ZONE_BIT] =
        "publish the KSK with flags 257 and re-sign the DNSKEY RRset",
    [VERIFY_REASON_DNSKEY_REVOKED] = "roll to another KSK and publish its DS at the registrar",
    [VERIFY_REASON_DNSKEY_UNSIGNED] = "sign the DNSKEY RRset with the KSK and reload the zone",
    [VERIFY_REASON_RRSIG_MISSING] = "re-sign the zone and reload it on every server",
    [VERIFY_REASON_RRSIG_EXPIRED] =
        "re-sign the zone now, and make the signer re-sign it before signatures expire",
    [VERIFY_REASON_RRSIG_NOT_YET_VALID] = "set the signing host's clock right and re-sign the zone",
    [VERIFY_REASON_RRSIG_INVALID] =
        "re-sign the zone and reload it on every server (look for one serving an old copy)",
    [VERIFY_REASON_RRSIG_UNKNOWN_KEY] =
        "publish the DNSKEY that made the signatures, or re-sign with the published keys",
    [VERIFY_REASON_RRSIG_MALFORMED] = "re-sign the zone with a standard signer",
    [VERIFY_REASON_DENIAL_MISSING] =
        "make the server send signed NSEC/NSEC3 proofs in its negative answers",
    [VERIFY_REASON_DENIAL_INVALID] = "re-sign the whole zone to rebuild its NSEC/NSEC3 chain",
    [VERIFY_REASON_PARENT_DS_DENIAL_INVALID] =
        "nothing to change in the zone: the parent's operator must re-sign the parent",
    [VERIFY_REASON_NS_UNREACHABLE] = "make the server answer, or remove it from the NS records",
    [VERIFY_REASON_NS_LAME] =
        "make the server authoritative for the zone, or remove it from the NS records",
    [VERIFY_REASON_NS_INCONSISTENT] =
        "make the wrong server serve the same signed zone as the others (resync it)",
    [VERIFY_REASON_DNSSEC_STRIPPED] =
        "make the server serve the zone's RRSIGs (an old unsigned copy, or a middlebox)",
    [VERIFY_REASON_CAA_BOGUS] = "re-sign the zone so that its CAA answer validates",
    [VERIFY_REASON_NOT_DELEGATED] = "check the registration: renew it and publish the NS records",
    [VERIFY_REASON_DNSKEY_WITHOUT_DS] = "publish the DS at the registrar",
    [VERIFY_REASON_DS_STALE] = "remove the stale DS at the registrar",
    [VERIFY_REASON_ALGORITHM_DEPRECATED] = "roll to algorithm 13 or 15",
    [VERIFY_REASON_DS_DIGEST_DEPRECATED] = "add a SHA-256 DS, then drop the old one",
    [VERIFY_REASON_ALGORITHM_UNSUPPORTED] = "roll to algorithm 13 or 15",
    [VERIFY_REASON_ALGORITHM_INCOMPLETE] =
        "sign with every algorithm, or remove the keys of the one that signs nothing",
    [VERIFY_REASON_RRSIG_EXPIRES_SOON] =
        "re-sign before the signatures expire, and check that re-signing runs",
    [VERIFY_REASON_NSEC3_ITERATIONS] =
        "re-sign with NSEC3 0 additional iterations and no salt (RFC 9276), or with NSEC",
    [VERIFY_REASON_KEY_TOO_SMALL] =
        "replace the key with an RSA key of at least 2048 bits, or roll to algorithm 13",
    [VERIFY_REASON_PARENT_UNSIGNED] =
        "nothing to change in the zone: the registry does not offer DNSSEC",
    [VERIFY_REASON_CDS_PENDING] = "update the DS, or let the registry's CDS scan do it",
    [VERIFY_REASON_CDS_DELETE] = "remove the DS at the registrar, as the CDS asks",
    [VERIFY_REASON_CDS_INVALID] =
        "sign the CDS/CDNSKEY with a KSK the DS points at, the same on every server",
    [VERIFY_REASON_NSEC3_SALT] =
        "re-sign with NSEC3 0 additional iterations and no salt (RFC 9276), or with NSEC",
    [VERIFY_REASON_VALIDATION_LIMIT] =
        "publish fewer keys and signatures; no two keys with one key tag",
    [VERIFY_REASON_PARENT_BOGUS] = "nothing to change at the domain: the operator of the named "
                                   "zone above it must fix that zone",
    [VERIFY_REASON_PARENT_UNREACHABLE] = "retry later; if it persists, the parent zone's operator "
                                         "must fix its servers",
};

const char *verify_status_name(verify_status_t status)
{
    if ((unsigned)status >= VERIFY_STATUS_COUNT)
        return NULL;
    return status_names[status];
}

int verify_status_from_name(const char *name, verify_status_t *out)
{
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *out = (verify_status_t)i;
            return 0;
        }
    }
    return -1;
}

const char *verify_reason_name(verify_reason_code_t code)
{
    if ((unsigned)code >= VERIFY_REASON_COUNT)
        return NULL;
    return reasons[code].name;
}

int verify_reason_from_name(const char *name, verify_reason_code_t *out)
{
    for (int i = 0; i < VERIFY_REASON_COUNT; i++) {
        if (strcmp(name, reasons[i].name) == 0) {
            *out = (verify_reason_code_t)i;
            return 0;
        }
    }
    return -1;
}

verify_severity_t verify_reason_severity(verify_reason_code_t code)
{
    if ((unsigned)code >= VERIFY_REASON_COUNT)
        return VERIFY_SEVERITY_ERROR;
    return reasons[code].severity;
}

static const text_code_t severity_names[] = {
    {VERIFY_SEVERITY_ERROR, "error"},
    {VERIFY_SEVERITY_WARNING, "warning"},
    {VERIFY_SEVERITY_INFO, "info"},
};

const char *verify_severity_name(verify_severity_t severity)
{
    const char *name = text_of_code(
        severity_names, sizeof severity_names / sizeof severity_names[0], (int)severity);
    return name ? name : "error";
}

int verify_reason_ede(verify_reason_code_t code)
{
    if ((unsigned)code >= VERIFY_REASON_COUNT)
        return VERIFY_EDE_NONE;
    return reasons[code].ede;
}

const char *verify_reason_fix(verify_reason_code_t code)
{
    if ((unsigned)code >= VERIFY_REASON_COUNT)
        return "";
    return fixes[code];
}
