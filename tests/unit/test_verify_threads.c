/*
 * One keyset shared by several threads: concurrent verifications give the same verdicts as a
 * single thread (good and bad signatures interleaved), the key's RR (made on first request) is
 * the DNSKEY given, and references taken and dropped
 * concurrently free the keyset exactly once. Meant for the tsan preset as well.
 */
#include "tests/tap.h"
#include "tests/unit/test_verify_util.h"

#include <pthread.h>

#define THREADS 4
#define ROUNDS 300

struct shared {
    verify_keyset_t *ks;
    ldns_rr_list *rrset;
    ldns_rr *good, *bad;
    const ldns_rr *key; /* the DNSKEY the keyset was built from */
    int64_t now;
};

struct result {
    const struct shared *sh;
    int wrong;
};

static void *worker(void *arg)
{
    struct result *r = arg;
    const struct shared *sh = r->sh;
    verify_keyset_t *mine = verify_keyset_ref(sh->ks);
    for (int i = 0; i < ROUNDS; i++) {
        verify_sig_result_t res;
        verify_rrsig(mine, sh->rrset, sh->good, sh->now, &res);
        r->wrong += res.outcome != VERIFY_SIG_VALID;
        verify_rrsig(mine, sh->rrset, sh->bad, sh->now, &res);
        r->wrong += res.reason != VERIFY_REASON_RRSIG_INVALID;
        /* The key's RR is made on first request, by whichever thread asks first. */
        const ldns_rr *k = verify_keyset_key(mine, 0);
        r->wrong +=
            !k || ldns_rr_compare(k, sh->key) != 0 || ldns_rr_ttl(k) != ldns_rr_ttl(sh->key);
    }
    verify_keyset_free(mine);
    return NULL;
}

static void run(const char *what, const char *key, const char *rr, const char *sig,
                const char *zone, const char *now)
{
    struct shared sh;
    const char *keys[] = {key, NULL}, *set[] = {rr, NULL};
    ldns_rr_list *kl = tv_list(keys);
    ldns_rdf *z = tv_name(zone);
    verify_keyset_new(z, kl, &sh.ks);
    sh.key = ldns_rr_list_rr(kl, 0);
    sh.rrset = tv_list(set);
    sh.good = tv_rr(sig);
    sh.bad = tv_rr(sig);
    ldns_rdf_data(ldns_rr_rdf(sh.bad, 8))[3] ^= 0x01;
    sh.now = tv_time(now);

    pthread_t t[THREADS];
    struct result r[THREADS];
    for (int i = 0; i < THREADS; i++) {
        r[i] = (struct result){.sh = &sh, .wrong = 0};
        pthread_create(&t[i], NULL, worker, &r[i]);
    }
    int wrong = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        wrong += r[i].wrong;
    }
    is_int(wrong, 0, "%s: %d threads x %d good+bad verifications and key RRs all correct", what,
           THREADS, ROUNDS);
    verify_keyset_free(sh.ks);
    ldns_rr_list_deep_free(sh.rrset);
    ldns_rr_free(sh.good);
    ldns_rr_free(sh.bad);
    ldns_rr_list_deep_free(kl);
    ldns_rdf_deep_free(z);
}

int main(void)
{
    run("P-256",
        "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb"
        "krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
        "www.example.net. 3600 IN A 192.0.2.1",
        "www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 "
        "example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7Z"
        "wmwWep666VCw==",
        "example.net.", "20100901000000");
    run("Ed25519",
        "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
        "example.com. 3600 IN MX 10 mail.example.com.",
        "example.com. 3600 IN RRSIG MX 15 2 3600 1440021600 1438207200 3613 example.com. "
        "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==",
        "example.com.", "20150801000000");
    run("RSASHA512",
        "example.net. 3600 IN DNSKEY 256 3 10 AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXy"
        "LA3DLroROUkN6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgV"
        "sMu1J2Q8gpMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL",
        "www.example.net. 3600 IN A 192.0.2.91",
        "www.example.net. 3600 IN RRSIG A 10 3 3600 20300101000000 20000101000000 3740 "
        "example.net. tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1e"
        "p94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0f"
        "thPgxdDLw=",
        "example.net.", "20100101000000");
    return tap_done();
}
