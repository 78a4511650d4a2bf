/* The reason code table matches verdicts.md: names round-trip, severities and EDEs as listed. */
#include "tests/tap.h"
#include "verify/codes.h"

int main(void)
{
    for (int i = 0; i < VERIFY_REASON_COUNT; i++) {
        verify_reason_code_t back;
        const char *name = verify_reason_name((verify_reason_code_t)i);
        ok(name && verify_reason_from_name(name, &back) == 0 && back == (verify_reason_code_t)i,
           "reason %d (%s) round-trips through its name", i, name ? name : "?");
        ok(verify_reason_fix((verify_reason_code_t)i)[0] != '\0', "reason %s has a fix hint",
           name ? name : "?");
    }
    is_int(VERIFY_REASON_COUNT, 39, "verdicts.md lists 39 reason codes");
    is_str(verify_status_name(VERIFY_STATUS_NXDOMAIN), "nxdomain", "status name nxdomain");
    is_int(verify_reason_ede(VERIFY_REASON_RRSIG_EXPIRED), 7, "RRSIG_EXPIRED maps to EDE 7");
    is_int(verify_reason_ede(VERIFY_REASON_NS_INCONSISTENT), -1, "NS_INCONSISTENT has no EDE");
    is_int(verify_reason_severity(VERIFY_REASON_CDS_INVALID), VERIFY_SEVERITY_WARNING,
           "CDS_INVALID is a warning");
    is_int(verify_reason_severity(VERIFY_REASON_NSEC3_SALT), VERIFY_SEVERITY_INFO,
           "NSEC3_SALT is info");
    verify_reason_code_t unused;
    is_int(verify_reason_from_name("NO_SUCH_CODE", &unused), -1, "unknown names are rejected");
    return tap_done();
}
