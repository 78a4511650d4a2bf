/*
 * Denial-of-existence proof throughput on one core: checks per second of a name error proof
 * with NSEC (2 records), NSEC3 with 0 iterations and NSEC3 with 12 iterations (3 records each,
 * RFC 5155 Appendix B.1). Usage: bench_denial [iterations]
 */
#include "verify/denial.h"
#include "verify/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ldns_rr_list *records(const char *const *text)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (; *text; text++) {
        ldns_rr *rr = NULL;
        if (ldns_rr_new_frm_str(&rr, *text, 0, NULL, NULL) != LDNS_STATUS_OK)
            exit(1);
        ldns_rr_list_push_rr(l, rr);
    }
    return l;
}

static void bench(const char *label, const char *zone, const char *qname, const char *const *text,
                  long n)
{
    ldns_rdf *z = ldns_dname_new_frm_str(zone), *q = ldns_dname_new_frm_str(qname);
    ldns_rr_list *l = records(text);
    verify_denial_query_t query = {.zone = z,
                                   .qname = q,
                                   .kind = VERIFY_DENIAL_NXDOMAIN,
                                   .records = l,
                                   .max_iterations = VERIFY_NSEC3_MAX_ITERATIONS_DEFAULT};
    long ok = 0;
    double start = now();
    for (long i = 0; i < n; i++)
        ok += verify_denial_check(&query, NULL, 0) != VERIFY_DENIAL_INVALID;
    double secs = now() - start;
    printf("%-22s checks=%ld valid=%ld seconds=%.3f checks_per_second=%.0f\n", label, n, ok, secs,
           (double)n / secs);
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(z);
    ldns_rdf_deep_free(q);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
    static const char *const nsec[] = {
        "example. 3600 IN NSEC a.example. NS SOA MX RRSIG NSEC DNSKEY",
        "a.example. 3600 IN NSEC c.example. A RRSIG NSEC", NULL};
    static const char *const nsec3_12[] = {
        "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 0 12 aabbccdd "
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM",
        "b4um86eghhds6nea196smvmlo4ors995.example. 3600 IN NSEC3 1 0 12 aabbccdd "
        "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG",
        "35mthgpgcu1qg68fab165klnsnk3dpvl.example. 3600 IN NSEC3 1 0 12 aabbccdd "
        "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG",
        NULL};
    /* Same shape with 0 iterations and no salt: the hashes differ, so the proof is invalid,
     * but the work (hash every candidate name, compare with every record) is the same. */
    static const char *const nsec3_0[] = {
        "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 0 0 - "
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM",
        "b4um86eghhds6nea196smvmlo4ors995.example. 3600 IN NSEC3 1 0 0 - "
        "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG",
        "35mthgpgcu1qg68fab165klnsnk3dpvl.example. 3600 IN NSEC3 1 0 0 - "
        "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG",
        NULL};
    bench("nsec name error", "example.", "b.example.", nsec, n);
    bench("nsec3 12 it. (B.1)", "example.", "a.c.x.w.example.", nsec3_12, n);
    bench("nsec3 0 it. (shape)", "example.", "a.c.x.w.example.", nsec3_0, n);
    return 0;
}
