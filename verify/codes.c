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
    const char *fix;
};

static const struct reason_info reasons[VERIFY_REASON_COUNT] = {
#define VERIFY_REASON_INFO(name, sev, ede, fix)                                                    \
    {#name, VERIFY_SEVERITY_##sev, VERIFY_EDE_##ede, fix},
    VERIFY_REASON_LIST(VERIFY_REASON_INFO)
#undef VERIFY_REASON_INFO
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
    return reasons[code].fix;
}
