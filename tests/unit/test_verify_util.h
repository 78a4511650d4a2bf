/* Helpers shared by the test_verify_* programs: RRs from presentation text, tiny packets. */
#ifndef DNSSWEEP_TEST_VERIFY_UTIL_H
#define DNSSWEEP_TEST_VERIFY_UTIL_H

#include "verify/verify.h"

#include <ldns/ldns.h>

#include <stdio.h>
#include <stdlib.h>

/* Parses one RR or aborts the test program (a typo in a vector is a test bug). */
static inline ldns_rr *tv_rr(const char *text)
{
    ldns_rr *rr = NULL;
    ldns_status st = ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL);
    if (st != LDNS_STATUS_OK) {
        fprintf(stderr, "bad RR in test: %s (%s)\n", text, ldns_get_errorstr_by_id(st));
        exit(2);
    }
    return rr;
}

/* A list of RRs from NULL-terminated texts; the caller deep-frees it. */
static inline ldns_rr_list *tv_list(const char *const *texts)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (size_t i = 0; texts[i]; i++)
        ldns_rr_list_push_rr(l, tv_rr(texts[i]));
    return l;
}

static inline ldns_rdf *tv_name(const char *text)
{
    ldns_rdf *d = ldns_dname_new_frm_str(text);
    if (!d) {
        fprintf(stderr, "bad name in test: %s\n", text);
        exit(2);
    }
    return d;
}

/* Unix time of "YYYYMMDDHHMMSS" in UTC. */
static inline int64_t tv_time(const char *text)
{
    struct tm tm = {0};
    if (sscanf(text, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        exit(2);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

#endif
