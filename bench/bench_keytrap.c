/*
 * CPU per hostile (KeyTrap, CVE-2023-50387) domain against a clean one, with the same
 * algorithm's EVP verify rate measured in the same run as the reference.
 *
 * The KeyTrap zone is signed by ldns-signzone with `decoys` real P-256 DNSKEYs sharing the ZSK's
 * key tag, listed before the ZSK, and `bogus` RRSIGs before the genuine one on the SOA, A, CAA
 * and the probe's NSEC (sizes chosen to fit 64 KB TCP answers). Each domain is judged on 16
 * server addresses sharing one domain budget, as scanner/judge.c does.
 *
 * usage: bench_keytrap [domains] [decoys] [bogus]      (defaults 20 560 560)
 */
#include "tests/unit/keytrap_gen.h"

#include <time.h>

static const char *const ZONE_TEXT = "$ORIGIN example.com.\n$TTL 3600\n"
                                     "@ SOA ns1 host 1 3600 900 604800 300\n"
                                     "@ NS ns1\n"
                                     "ns1 A 192.0.2.1\n"
                                     "@ A 192.0.2.10\n"
                                     "@ CAA 0 issue \"ca.example\"\n";

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One domain: 16 servers, one shared budget. Returns the ops charged; *bogus set. */
static unsigned domain(const struct answers *s, const ldns_rr_list *ds, unsigned *limited)
{
    verify_budget_t b;
    verify_budget_init(&b, ctx);
    for (int server = 0; server < 16; server++) {
        verify_zone_input_t in = {.zone = apex,
                                  .parent = VERIFY_PARENT_DS,
                                  .parent_ds = ds,
                                  .dnskey = s->dnskey,
                                  .soa = s->soa,
                                  .a = s->a,
                                  .caa = s->caa,
                                  .cds = s->cds,
                                  .cdnskey = s->cdnskey,
                                  .nxdomain_probe = s->probe,
                                  .now = now_in,
                                  .domain_budget = &b};
        verify_verdict_t *v = NULL;
        if (verify_zone(ctx, &in, &v) != 0)
            exit(2);
        *limited += verify_verdict_has(v, VERIFY_REASON_VALIDATION_LIMIT);
        verify_verdict_free(v);
    }
    return b.sig_ops;
}

static double run(const struct answers *s, const ldns_rr_list *ds, int n, unsigned *ops,
                  unsigned *limited)
{
    double t0 = cpu_now();
    for (int i = 0; i < n; i++)
        *ops = domain(s, ds, limited);
    return (cpu_now() - t0) / n;
}

/* P-256 EVP verifies per second of CPU (one thread), like `openssl speed ecdsap256`. */
static double evp_rate(void)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    unsigned char sig[80], data[200] = {1};
    size_t sl = sizeof sig;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, k);
    EVP_DigestSign(m, sig, &sl, data, sizeof data);
    int n = 0;
    double t0 = cpu_now();
    while (cpu_now() - t0 < 1.0) {
        EVP_MD_CTX_reset(m);
        EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, k);
        n += EVP_DigestVerify(m, sig, sl, data, sizeof data) == 1;
    }
    double rate = n / (cpu_now() - t0);
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(k);
    return rate;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    size_t decoys = argc > 2 ? (size_t)atol(argv[2]) : 560;
    size_t bogus = argc > 3 ? (size_t)atol(argv[3]) : 560;
    struct test_zone z;
    struct answers clean, trap;
    verify_ctx_new(NULL, &ctx);
    apex = tv_name("example.com.");
    now_in = tv_time("20260115000000");
    if (tz_sign(&z, "ECDSAP256SHA256", 0, ZONE_TEXT, true, NULL) != 0)
        return 2;
    answers_build(&clean, &z);
    if (kt_resign_with_decoys(&z, ZONE_TEXT, decoys) != 0)
        return 2;
    answers_build(&trap, &z);
    /* The decoys first, the ZSK last: the order a KeyTrap server chooses. */
    ldns_rr_list *l = ldns_pkt_answer(trap.dnskey);
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
        if (ldns_rr_compare(ldns_rr_list_rr(l, i), z.zsk_key) == 0) {
            ldns_rr *zsk = ldns_rr_list_rr(l, i);
            for (size_t j = i; j + 1 < ldns_rr_list_rr_count(l); j++)
                ldns_rr_list_set_rr(l, ldns_rr_list_rr(l, j + 1), j);
            ldns_rr_list_set_rr(l, zsk, ldns_rr_list_rr_count(l) - 1);
            break;
        }
    kt_bogus_sigs(trap.soa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_SOA, bogus);
    kt_bogus_sigs(trap.a, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_A, bogus);
    kt_bogus_sigs(trap.caa, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_CAA, bogus);
    kt_bogus_sigs(trap.probe, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NSEC, bogus);

    unsigned ops_clean = 0, ops_trap = 0, lim_clean = 0, lim_trap = 0;
    double c = run(&clean, z.ksk_ds, n, &ops_clean, &lim_clean);
    double t = run(&trap, z.ksk_ds, n, &ops_trap, &lim_trap);
    double rate = evp_rate();
    printf("bench_keytrap: %d domains each, 16 servers per domain, ECDSA P-256\n", n);
    printf("%-34s %12s %12s %10s\n", "", "CPU/domain", "sig ops", "LIMIT");
    printf("%-34s %9.2f ms %12u %10u\n", "clean signed domain", c * 1e3, ops_clean, lim_clean);
    printf("%-34s %9.2f ms %12u %10u\n", "KeyTrap domain (target <= 50 ms)", t * 1e3, ops_trap,
           lim_trap);
    printf("reference: EVP P-256 verify %.0f/s (%.1f us); the KeyTrap domain's ops at that rate: "
           "%.2f ms\n",
           rate, 1e6 / rate, ops_trap / rate * 1e3);
    answers_free(&clean);
    answers_free(&trap);
    tz_free(&z);
    ldns_rdf_deep_free(apex);
    verify_ctx_free(ctx);
    return t <= 0.050 ? 0 : 1;
}
