/*
 * How much the OpenSSL call pattern costs per signature verify, for P-256 and RSA-2048
 * (bench/README.md, hot spot 2): verifies per CPU second and OpenSSL allocations per verify for
 *   copy:  what verify/rrsig.c does today: EVP_MD_CTX_new + EVP_MD_CTX_copy_ex from the key's
 *          prepared template + EVP_DigestVerify + EVP_MD_CTX_free;
 *   reuse: one EVP_MD_CTX reused for the hash (EVP_DigestInit_ex2 with a fetched EVP_MD) and one
 *          EVP_PKEY_CTX per key set up once (EVP_PKEY_verify_init), then EVP_PKEY_verify on the
 *          digest: nothing is duplicated per verify. (Per worker thread in the real thing.)
 *
 * Usage: bench_evp [seconds per measurement, default 2]
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* OpenSSL's allocation hooks take no user pointer, so the counter has to be a file-scope
 * variable; this program is single-threaded and only reads it between measurements. */
static unsigned long alloc_count;

static void *count_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    alloc_count++;
    return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    alloc_count++;
    return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    free(p);
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct fixture {
    const char *name;
    EVP_PKEY *pkey;
    const EVP_MD *md;
    EVP_MD_CTX *tmpl;   /* the "copy" method's prepared DigestVerify context */
    EVP_PKEY_CTX *vctx; /* the "reuse" method's verify context */
    EVP_MD_CTX *hash;   /* the "reuse" method's hash context */
    unsigned char msg[160];
    unsigned char sig[512];
    size_t sig_len;
};

static int verify_copy(struct fixture *fx)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    int ok = m && EVP_MD_CTX_copy_ex(m, fx->tmpl) == 1 &&
             EVP_DigestVerify(m, fx->sig, fx->sig_len, fx->msg, sizeof fx->msg) == 1;
    EVP_MD_CTX_free(m);
    return ok;
}

static int verify_reuse(struct fixture *fx)
{
    unsigned char dgst[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (EVP_DigestInit_ex2(fx->hash, fx->md, NULL) != 1 ||
        EVP_DigestUpdate(fx->hash, fx->msg, sizeof fx->msg) != 1 ||
        EVP_DigestFinal_ex(fx->hash, dgst, &dlen) != 1)
        return 0;
    return EVP_PKEY_verify(fx->vctx, fx->sig, fx->sig_len, dgst, dlen) == 1;
}

static int setup(struct fixture *fx, const char *name, EVP_PKEY *pkey)
{
    fx->name = name;
    fx->pkey = pkey;
    fx->md = EVP_MD_fetch(NULL, "SHA256", NULL);
    for (size_t i = 0; i < sizeof fx->msg; i++)
        fx->msg[i] = (unsigned char)(i * 7 + 1);
    EVP_MD_CTX *s = EVP_MD_CTX_new();
    fx->sig_len = sizeof fx->sig;
    int ok = pkey && fx->md && s && EVP_DigestSignInit(s, NULL, fx->md, NULL, pkey) == 1 &&
             EVP_DigestSign(s, fx->sig, &fx->sig_len, fx->msg, sizeof fx->msg) == 1;
    EVP_MD_CTX_free(s);
    if (!ok)
        return -1;
    fx->tmpl = EVP_MD_CTX_new();
    fx->hash = EVP_MD_CTX_new();
    fx->vctx = EVP_PKEY_CTX_new(pkey, NULL);
    if (!fx->tmpl || !fx->hash || !fx->vctx ||
        EVP_DigestVerifyInit(fx->tmpl, NULL, fx->md, NULL, pkey) != 1 ||
        EVP_PKEY_verify_init(fx->vctx) != 1 || EVP_PKEY_CTX_set_signature_md(fx->vctx, fx->md) != 1)
        return -1;
    if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA &&
        EVP_PKEY_CTX_set_rsa_padding(fx->vctx, RSA_PKCS1_PADDING) != 1)
        return -1;
    return 0;
}

static void teardown(struct fixture *fx)
{
    EVP_MD_CTX_free(fx->tmpl);
    EVP_MD_CTX_free(fx->hash);
    EVP_PKEY_CTX_free(fx->vctx);
    EVP_MD_free((EVP_MD *)fx->md);
    EVP_PKEY_free(fx->pkey);
}

static int measure(struct fixture *fx, const char *method, int (*fn)(struct fixture *), double secs)
{
    unsigned long n = 0, before = alloc_count;
    double t0 = cpu_now(), t = t0;
    while (t - t0 < secs) {
        for (int i = 0; i < 64; i++, n++) {
            if (!fn(fx)) {
                fprintf(stderr, "bench_evp: %s %s: verify failed\n", fx->name, method);
                return -1;
            }
        }
        t = cpu_now();
    }
    double el = t - t0;
    printf("%-10s %-6s %10.0f verifies/s %8.1f us/verify %6.1f OpenSSL allocations/verify\n",
           fx->name, method, (double)n / el, el * 1e6 / (double)n,
           (double)(alloc_count - before) / (double)n);
    return 0;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 2.0;
    if (!CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free)) {
        fprintf(stderr, "bench_evp: CRYPTO_set_mem_functions failed (called too late)\n");
        return 1;
    }
    if (secs <= 0)
        secs = 2.0;
    struct fixture fx[2];
    memset(fx, 0, sizeof fx);
    int rc = 1;
    if (setup(&fx[0], "P-256", EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) < 0 ||
        setup(&fx[1], "RSA-2048", EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)) < 0) {
        fprintf(stderr, "bench_evp: key setup failed\n");
        goto fail;
    }
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 2; i++)
            if (measure(&fx[i], "copy", verify_copy, secs) < 0 ||
                measure(&fx[i], "reuse", verify_reuse, secs) < 0)
                goto fail;
    rc = 0;
fail:
    teardown(&fx[0]);
    teardown(&fx[1]);
    return rc;
}
