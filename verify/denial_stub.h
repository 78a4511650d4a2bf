/*
 * TEMPORARY: the denial-of-existence API as agreed with the denial helper, declared here only
 * until its branch (which declares it in the denial section of verify/verify.h) is merged.
 * The lead deletes this file and denial_stub.c at merge; negative.c includes it with
 * __has_include, so nothing else changes.
 */
#ifndef DNSSWEEP_VERIFY_DENIAL_STUB_H
#define DNSSWEEP_VERIFY_DENIAL_STUB_H

#include <ldns/ldns.h>
#include <stddef.h>
#include <stdint.h>

typedef enum verify_denial_kind {
    VERIFY_DENIAL_NXDOMAIN,
    VERIFY_DENIAL_NODATA,
    VERIFY_DENIAL_NO_DS
} verify_denial_kind_t;
typedef enum verify_denial_result {
    VERIFY_DENIAL_PROVEN,
    VERIFY_DENIAL_OPTOUT,
    VERIFY_DENIAL_MISSING,
    VERIFY_DENIAL_INVALID,
    VERIFY_DENIAL_INSECURE_ITERATIONS
} verify_denial_result_t;
typedef struct verify_denial_query {
    const ldns_rdf *zone;
    const ldns_rdf *qname;
    uint16_t qtype;
    verify_denial_kind_t kind;
    const ldns_rr_list *records; /* NSEC or NSEC3 RRs whose RRSIGs the caller already verified */
    unsigned max_iterations;
} verify_denial_query_t;
verify_denial_result_t verify_denial_check(const verify_denial_query_t *q, char *detail,
                                           size_t detail_len);

#endif
