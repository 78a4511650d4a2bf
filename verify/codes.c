/* The reason code table of doc/verdicts.md; one place for names, severities, EDEs, fixes. */
#include "verify/codes.h"

#include <string.h>

static const char *const status_names[VERIFY_STATUS_COUNT] = {
    "secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain",
};

struct reason_info {
    const char *name;
    verify_severity_t severity;
    int ede;
};

static const struct reason_info reasons[VERIFY_REASON_COUNT] = {
#define VERIFY_REASON_INFO(name, sev, ede) {#name, VERIFY_SEVERITY_##sev, ede},
    VERIFY_REASON_LIST(VERIFY_REASON_INFO)
#undef VERIFY_REASON_INFO
};

static const char *const fixes[VERIFY_REASON_COUNT] = {
    [VERIFY_REASON_DS_NO_MATCHING_DNSKEY] =
        "replace the DS at the registrar with the DS of the current KSK",
    [VERIFY_REASON_DS_DIGEST_MISMATCH] = "recompute and republish the DS",
    [VERIFY_REASON_DS_ZONE_UNSIGNED] = "remove the DS at the registrar, or turn signing back on",
    [VERIFY_REASON_DS_KEY_NOT_SIGNING] = "sign the DNSKEY RRset with the KSK",
    [VERIFY_REASON_DNSKEY_NO_ZONE_BIT] = "publish the key with flags 257",
    [VERIFY_REASON_DNSKEY_REVOKED] = "publish a DS for the new KSK",
    [VERIFY_REASON_DNSKEY_UNSIGNED] = "fix the signer",
    [VERIFY_REASON_RRSIG_MISSING] = "re-sign the zone",
    [VERIFY_REASON_RRSIG_EXPIRED] = "restart/fix automatic re-signing",
    [VERIFY_REASON_RRSIG_NOT_YET_VALID] = "fix the signer's clock",
    [VERIFY_REASON_RRSIG_INVALID] = "re-sign; look for a stale secondary",
    [VERIFY_REASON_RRSIG_UNKNOWN_KEY] = "publish the ZSK, or re-sign",
    [VERIFY_REASON_RRSIG_MALFORMED] = "fix the signer",
    [VERIFY_REASON_DENIAL_MISSING] = "fix the server's DNSSEC negative answers",
    [VERIFY_REASON_DENIAL_INVALID] = "rebuild the NSEC/NSEC3 chain",
    [VERIFY_REASON_PARENT_DS_DENIAL_INVALID] = "parent/registry problem",
    [VERIFY_REASON_NS_UNREACHABLE] = "fix or remove the server",
    [VERIFY_REASON_NS_LAME] = "fix the delegation",
    [VERIFY_REASON_NS_INCONSISTENT] = "resync the secondaries",
    [VERIFY_REASON_DNSSEC_STRIPPED] = "fix the server or middlebox",
    [VERIFY_REASON_CAA_BOGUS] = "fix the signing of CAA / of negative answers; re-sign",
    [VERIFY_REASON_NOT_DELEGATED] = "check the registration",
    [VERIFY_REASON_DNSKEY_WITHOUT_DS] = "publish the DS at the registrar",
    [VERIFY_REASON_DS_STALE] = "remove the stale DS",
    [VERIFY_REASON_ALGORITHM_DEPRECATED] = "roll to algorithm 13 or 15",
    [VERIFY_REASON_DS_DIGEST_DEPRECATED] = "add a SHA-256 DS, then drop the old one",
    [VERIFY_REASON_ALGORITHM_UNSUPPORTED] = "roll to algorithm 13 or 15",
    [VERIFY_REASON_ALGORITHM_INCOMPLETE] = "sign with every algorithm, or drop it",
    [VERIFY_REASON_RRSIG_EXPIRES_SOON] = "check that re-signing runs",
    [VERIFY_REASON_NSEC3_ITERATIONS] = "NSEC3PARAM 1 0 0 -",
    [VERIFY_REASON_KEY_TOO_SMALL] = "new key",
    [VERIFY_REASON_PARENT_UNSIGNED] = "the registry does not offer DNSSEC",
    [VERIFY_REASON_CDS_PENDING] = "update the DS, or let the registry's CDS scan do it",
    [VERIFY_REASON_CDS_DELETE] = "remove the DS",
    [VERIFY_REASON_CDS_INVALID] = "fix the CDS publication",
    [VERIFY_REASON_NSEC3_SALT] = "NSEC3PARAM 1 0 0 -",
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

const char *verify_severity_name(verify_severity_t severity)
{
    switch (severity) {
    case VERIFY_SEVERITY_ERROR:
        return "error";
    case VERIFY_SEVERITY_WARNING:
        return "warning";
    case VERIFY_SEVERITY_INFO:
        return "info";
    }
    return "error";
}

int verify_reason_ede(verify_reason_code_t code)
{
    if ((unsigned)code >= VERIFY_REASON_COUNT)
        return -1;
    return reasons[code].ede;
}

const char *verify_reason_fix(verify_reason_code_t code)
{
    if ((unsigned)code >= VERIFY_REASON_COUNT)
        return "";
    return fixes[code];
}
