/*
 * RRSIG verifications per second per thread, for algorithms 8 (RSA-2048/SHA-256),
 * 13 (P-256) and 15 (Ed25519), with 1 and 2 threads, next to `openssl speed` on the same machine
 * (run here unless --no-openssl).
 *
 * Usage: bench_verify [seconds per run, default 3] [--rounds N, default 3] [--no-openssl]
 * Each figure is the best of N rounds, ours and openssl's interleaved, because the machine is
 * shared: the best round is the one least disturbed by other processes.
 * Rates are per second of thread CPU time (as openssl speed's default). What is timed:
 * verify_rrsig() on one-RR A RRsets: all RFC 4035 checks, the canonical signed data, and the
 * signature check with the keyset's imported key. Each thread cycles through SIGNATURES
 * different signed RRsets, so that the keyset's memo of verified signatures (2,048 slots,
 * verify/memo.c) rarely holds the one asked; its hits are subtracted from the count.
 * P-256 is measured twice: a key used fewer than 1,024 times verifies on EVP (each thread
 * re-imports its keyset every 512 verifies, import cost included), a busy key (a TLD's ZSK) on
 * its precomputed table (verify/p256_hot.c; warmed before timing).
 */
#include "verify/verify.h"

#include <ldns/ldns.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOW 1767225600 /* 2026-01-01 */
#define SIGNATURES 8192
#define FRESH_EVERY 512 /* verifies per keyset in the "EVP" mode: below the table's threshold */

struct fixture {
    int alg;
    const char *name, *openssl_alg, *openssl_line;
    bool fresh; /* a new keyset every FRESH_EVERY verifies per thread */
    verify_keyset_t *ks;
    ldns_rr_list *keys;
    ldns_rr_list *rrset[SIGNATURES];
    ldns_rr *rrsig[SIGNATURES];
};

struct worker {
    const struct fixture *fx;
    double seconds;
    unsigned long count, memo_hits;
    int failures;
};

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_seconds(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

/* Rates are per second of this thread's CPU time, as `openssl speed` divides by CPU user time
 * (unless -elapsed): on a shared machine wall-clock rates measure the neighbours. */
static double cpu_seconds(void)
{
    return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}

static EVP_PKEY *generate(int alg)
{
    EVP_PKEY *pk = NULL;
    if (alg == 8)
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    else if (alg == 13)
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    else
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    return pk;
}

/* The DNSKEY RDATA public key field of pk (RFC 3110 / 6605 / 8080). */
static size_t public_key(int alg, EVP_PKEY *pk, uint8_t *out)
{
    size_t len = 0;
    if (alg == 8) {
        BIGNUM *n = NULL, *e = NULL;
        EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n);
        EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e);
        out[0] = (uint8_t)BN_num_bytes(e);
        BN_bn2bin(e, out + 1);
        len = 1 + (size_t)out[0];
        len += (size_t)BN_bn2bin(n, out + len);
        BN_free(n);
        BN_free(e);
    } else if (alg == 13) {
        uint8_t point[65];
        EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
        memcpy(out, point + 1, 64);
        len = 64;
    } else {
        len = 32;
        EVP_PKEY_get_raw_public_key(pk, out, &len);
    }
    return len;
}

static ldns_rr *parse(const char *text)
{
    ldns_rr *rr = NULL;
    if (ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL) != LDNS_STATUS_OK)
        exit(2);
    return rr;
}

/* Signs `signed data` of rrset under rrsig with pk and stores the signature in the RRSIG. */
static void sign_into(int alg, EVP_PKEY *pk, const ldns_rr_list *rrset, ldns_rr *rrsig)
{
    uint8_t sig[600];
    ldns_buffer *data = ldns_buffer_new(256);
    size_t slen = sizeof sig;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (verify_signed_data(rrset, rrsig, data) != 0 ||
        EVP_DigestSignInit(m, NULL, alg == 15 ? NULL : EVP_sha256(), NULL, pk) != 1 ||
        EVP_DigestSign(m, sig, &slen, ldns_buffer_begin(data), ldns_buffer_position(data)) != 1)
        exit(2);
    if (alg == 13) { /* DER -> r | s */
        const unsigned char *p = sig;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)slen);
        uint8_t raw[64];
        BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
        memcpy(sig, raw, 64);
        slen = 64;
        ECDSA_SIG_free(es);
    }
    ldns_rdf_deep_free(
        ldns_rr_set_rdf(rrsig, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, slen, sig), 8));
    EVP_MD_CTX_free(m);
    ldns_buffer_free(data);
}

static verify_keyset_t *keyset_of(const ldns_rr_list *keys)
{
    verify_keyset_t *ks = NULL;
    ldns_rdf *zone = ldns_dname_new_frm_str("example.com.");
    if (verify_keyset_new(zone, keys, &ks) != 0)
        exit(2);
    ldns_rdf_deep_free(zone);
    return ks;
}

static void fixture_init(struct fixture *fx)
{
    uint8_t key[600];
    char b64[1200], text[1600];
    EVP_PKEY *pk = generate(fx->alg);
    if (!pk)
        exit(2);
    size_t klen = public_key(fx->alg, pk, key);
    EVP_EncodeBlock((unsigned char *)b64, key, (int)klen);
    snprintf(text, sizeof text, "example.com. 3600 IN DNSKEY 256 3 %d %s", fx->alg, b64);
    ldns_rr *dnskey = parse(text);
    fx->keys = ldns_rr_list_new();
    ldns_rr_list_push_rr(fx->keys, dnskey);
    fx->ks = keyset_of(fx->keys);
    for (int i = 0; i < SIGNATURES; i++) {
        fx->rrset[i] = ldns_rr_list_new();
        snprintf(text, sizeof text, "www.example.com. 3600 IN A 10.%d.%d.%d", i >> 16,
                 (i >> 8) & 255, i & 255);
        ldns_rr_list_push_rr(fx->rrset[i], parse(text));
        snprintf(text, sizeof text,
                 "www.example.com. 3600 IN RRSIG A %d 3 3600 20300101000000 20200101000000 %u "
                 "example.com. AA==",
                 fx->alg, verify_key_tag(dnskey));
        fx->rrsig[i] = parse(text);
        sign_into(fx->alg, pk, fx->rrset[i], fx->rrsig[i]);
    }
    EVP_PKEY_free(pk);
}

static void fixture_free(struct fixture *fx)
{
    verify_keyset_free(fx->ks);
    ldns_rr_list_deep_free(fx->keys);
    for (int i = 0; i < SIGNATURES; i++) {
        ldns_rr_list_deep_free(fx->rrset[i]);
        ldns_rr_free(fx->rrsig[i]);
    }
}

static void *work(void *arg)
{
    struct worker *w = arg;
    const struct fixture *fx = w->fx;
    verify_sig_result_t res;
    verify_keyset_t *ks = fx->fresh ? keyset_of(fx->keys) : verify_keyset_ref(fx->ks);
    uint64_t hits_before = verify_keyset_memo_hits(ks);
    unsigned next = (unsigned)(w->count % SIGNATURES), since_import = 0;
    w->count = 0;
    double end = now_seconds() + w->seconds, start = cpu_seconds();
    while (now_seconds() < end) {
        for (int i = 0; i < 64; i++, next = (next + 1) % SIGNATURES) {
            if (fx->fresh && ++since_import == FRESH_EVERY) {
                w->memo_hits += verify_keyset_memo_hits(ks) - hits_before;
                verify_keyset_free(ks);
                ks = keyset_of(fx->keys);
                hits_before = 0;
                since_import = 0;
            }
            if (verify_rrsig(ks, fx->rrset[next], fx->rrsig[next], NOW, &res) != 0 ||
                res.outcome != VERIFY_SIG_VALID)
                w->failures++;
            w->count++;
        }
    }
    w->seconds = cpu_seconds() - start;
    /* Shared keyset: hits of both threads; halved below per thread on average. */
    w->memo_hits += verify_keyset_memo_hits(ks) - hits_before;
    verify_keyset_free(ks);
    return NULL;
}

/* Verifications per second per thread with n threads. */
static double run(const struct fixture *fx, int n, double seconds)
{
    pthread_t t[2];
    struct worker w[2];
    double per_thread = 0;
    for (int i = 0; i < n; i++) {
        /* Threads start at different signatures so they do not walk the memo in step. */
        w[i] = (struct worker){.fx = fx, .seconds = seconds, .count = (unsigned long)i * 4099};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        if (w[i].failures)
            fprintf(stderr, "%s: %d verifications failed\n", fx->name, w[i].failures);
        unsigned long hits = fx->fresh ? w[i].memo_hits : w[i].memo_hits / (unsigned long)n;
        per_thread += (double)(w[i].count - (hits < w[i].count ? hits : 0)) / w[i].seconds / n;
    }
    return per_thread;
}

/* The verify/s column of `openssl speed -seconds N <alg>` (its last number), 0 if unknown. */
static double openssl_speed(const char *alg, const char *line_tag, int seconds)
{
    char cmd[256], line[512];
    double v = 0;
    snprintf(cmd, sizeof cmd, "openssl speed -seconds %d %s 2>/dev/null", seconds, alg);
    FILE *p = popen(cmd, "r");
    if (!p)
        return 0;
    while (fgets(line, sizeof line, p)) {
        if (!strstr(line, line_tag))
            continue;
        char *last = strrchr(line, ' ');
        if (last)
            v = strtod(last + 1, NULL);
    }
    pclose(p);
    return v;
}

int main(int argc, char **argv)
{
    double seconds = 3;
    int with_openssl = 1, rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-openssl") == 0)
            with_openssl = 0;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else
            seconds = atof(argv[i]);
    }
    static struct fixture fx[] = {
        {.alg = 8,
         .name = "RSASHA256 2048",
         .openssl_alg = "rsa2048",
         .openssl_line = "rsa 2048 bits"},
        {.alg = 13,
         .name = "P-256 EVP",
         .openssl_alg = "ecdsap256",
         .openssl_line = "(nistp256)",
         .fresh = true},
        {.alg = 13,
         .name = "P-256 table",
         .openssl_alg = "ecdsap256",
         .openssl_line = "(nistp256)"},
        {.alg = 15, .name = "ED25519", .openssl_alg = "ed25519", .openssl_line = "(Ed25519)"},
    };
    printf("%-16s %14s %14s %14s %8s\n", "algorithm", "1 thread/s", "2 threads/s/thr",
           "openssl speed", "ratio");
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        fixture_init(&fx[i]);
        if (!fx[i].fresh) /* past the P-256 table's threshold before timing */
            run(&fx[i], 1, 0.2);
        double one = 0, two = 0, ref = 0;
        for (int r = 0; r < rounds; r++) {
            double x = run(&fx[i], 1, seconds), y = run(&fx[i], 2, seconds);
            double z = with_openssl ? openssl_speed(fx[i].openssl_alg, fx[i].openssl_line,
                                                    (int)(seconds + 0.5))
                                    : 0;
            one = x > one ? x : one;
            two = y > two ? y : two;
            ref = z > ref ? z : ref;
        }
        printf("%-16s %14.0f %14.0f %14.0f %7.0f%%\n", fx[i].name, one, two, ref,
               ref > 0 ? 100.0 * one / ref : 0.0);
        fflush(stdout);
        fixture_free(&fx[i]);
    }
    return 0;
}
