/*
 * TEMPORARY stub of verify_denial_check() so the signature engine builds and its tests run
 * before the denial branch is merged. Weak, always "proven". The lead deletes this file (and
 * denial_stub.h) at merge.
 */
#include "verify/denial_stub.h"

#include <stdio.h>

__attribute__((weak)) verify_denial_result_t verify_denial_check(const verify_denial_query_t *q,
                                                                 char *detail, size_t detail_len)
{
    (void)q;
    if (detail && detail_len)
        snprintf(detail, detail_len, "denial check stubbed (TEMPORARY)");
    return VERIFY_DENIAL_PROVEN;
}
