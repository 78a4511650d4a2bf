/* The record encoding: lossless round trips, limits, and safe rejection of malformed bytes. */
#include "tests/tap.h"
#include "tests/unit/test_results_util.h"

#include <stdint.h>

static void roundtrip(const results_record_t *rec, const char *what)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    results_record_t back;
    char why[256] = "";
    int rc = results_record_encode(rec, &buf, &len);
    is_int(rc, 0, "%s: encodes", what);
    rc = results_record_decode(rec->domain, buf, len, &back);
    is_int(rc, 0, "%s: decodes (%zu bytes)", what, len);
    ok(rc == 0 && !records_differ(rec, &back, why, sizeof why), "%s: same after round trip %s",
       what, why);
    results_record_free(&back);
    ok(back.arena_ == NULL && back.domain == NULL, "%s: results_record_free zeroes", what);
    free(buf);
}

/* Schema 2: where the DS came from survives a round trip and shows in JSON only when set. */
static void test_ds_source(void)
{
    for (int flag = 0; flag < 2; flag++) {
        results_record_t r = example_record();
        r.parent.ds_from_zone_file = flag;
        uint8_t *buf = NULL;
        size_t len = 0;
        results_record_t back;
        is_int(results_record_encode(&r, &buf, &len), 0, "ds_from_zone_file=%d encodes", flag);
        is_int(results_record_decode(r.domain, buf, len, &back), 0, "... decodes");
        is_int(back.parent.ds_from_zone_file, flag, "... and keeps the flag");
        char *json = NULL;
        size_t json_len = 0;
        FILE *f = open_memstream(&json, &json_len);
        results_record_write_json(&back, "s", f);
        fclose(f);
        is_int(strstr(json, "\"ds_source\":\"zone-file\"") != NULL, flag,
               "... JSON says ds_source only when set");
        free(json);
        results_record_free(&back);
        free(buf);
    }
}

static void test_roundtrips(void)
{
    results_record_t r = example_record();
    roundtrip(&r, "cli.md example");

    results_record_t empty = {.domain = "e.test", .status = VERIFY_STATUS_LAME};
    roundtrip(&empty, "empty lists, NULL strings");

    /* Every form of digest and address the codec knows, and negative numbers. */
    static const results_ds_t ds[] = {
        {1, 8, 2, "ABCDEF0123"}, {2, 8, 2, "abcdef0123"}, {3, 8, 2, "AbCdEf"}, {4, 8, 2, "ABC"},
        {5, 8, 2, NULL},         {6, 8, 2, "XYZ!"},       {7, 8, 2, ""},       {8, 8, 2, "0123"},
    };
    static const results_nameserver_t ns[] = {
        {"a", "192.0.2.1", VERIFY_STATUS_SECURE, 0},
        {"b", "2001:db8::1", VERIFY_STATUS_INSECURE, 5},
        {"c", "2001:DB8::1", VERIFY_STATUS_LAME, -1}, /* not canonical: kept as text */
        {"d", "::ffff:192.0.2.1", VERIFY_STATUS_NXDOMAIN, 1},
        {"e", "not an address", VERIFY_STATUS_INDETERMINATE, 2},
        {NULL, NULL, VERIFY_STATUS_BOGUS, INT32_MAX},
        {"g", "010.0.0.1", VERIFY_STATUS_BOGUS, INT32_MIN},
    };
    static const char *const cds[] = {"example.com. 3600 IN CDS 0 0 0 00", ""};
    static const results_reason_t rr[] = {
        {VERIFY_REASON_RRSIG_EXPIRED, "192.0.2.1", "example.com/SOA", "a"},
        {VERIFY_REASON_RRSIG_EXPIRED, NULL, "example.com/", ""},
        {VERIFY_REASON_RRSIG_EXPIRED, NULL, "example.comx/A", "b"},
        {VERIFY_REASON_RRSIG_EXPIRED, NULL, "example.com", "c"},
        {VERIFY_REASON_NSEC3_SALT, NULL, "com/DS", NULL},
        {VERIFY_REASON_NSEC3_SALT, NULL, NULL, "d\n\"quoted\""},
    };
    results_record_t f = example_record();
    f.n_reasons = sizeof rr / sizeof rr[0];
    f.reasons = rr;
    f.parent.n_ds = sizeof ds / sizeof ds[0];
    f.parent.ds = ds;
    f.n_nameservers = sizeof ns / sizeof ns[0];
    f.nameservers = ns;
    f.n_cds = 2;
    f.cds = cds;
    f.scanned_at = -5;
    f.rrsig_earliest_expiration = INT64_MAX;
    f.queries = UINT32_MAX;
    f.parent.ds_ttl = UINT32_MAX;
    f.resolver_check = (results_resolver_check_t){true, true, -1, 27, true};
    roundtrip(&f, "digest/address forms, extremes, resolver_check");

    f.resolver_check = (results_resolver_check_t){true, false, 2, -1, false};
    f.rrsig_earliest_expiration = INT64_MIN;
    roundtrip(&f, "resolver SERVFAIL without EDE, INT64_MIN");

    /* Long strings and the largest lists. */
    char *long_str = malloc(RESULTS_STRING_MAX + 1);
    memset(long_str, 'x', RESULTS_STRING_MAX);
    long_str[RESULTS_STRING_MAX] = '\0';
    results_reason_t *many = calloc(RESULTS_LIST_MAX, sizeof *many);
    for (size_t i = 0; i < RESULTS_LIST_MAX; i++) {
        many[i].code = (verify_reason_code_t)(i % VERIFY_REASON_COUNT);
        many[i].detail = i == 7 ? long_str : "d";
    }
    results_record_t big = example_record();
    big.n_reasons = RESULTS_LIST_MAX;
    big.reasons = many;
    big.fix = long_str;
    roundtrip(&big, "max list length, max string length");

    uint8_t *buf = NULL;
    size_t len = 0;
    big.n_reasons = RESULTS_LIST_MAX + 1;
    is_int(results_record_encode(&big, &buf, &len), RESULTS_EINVAL, "too many reasons refused");
    big.n_reasons = 1;
    char *too_long = malloc(RESULTS_STRING_MAX + 2);
    memset(too_long, 'y', RESULTS_STRING_MAX + 1);
    too_long[RESULTS_STRING_MAX + 1] = '\0';
    big.fix = too_long;
    is_int(results_record_encode(&big, &buf, &len), RESULTS_EINVAL, "over-long string refused");
    big.fix = NULL;
    big.status = VERIFY_STATUS_COUNT;
    is_int(results_record_encode(&big, &buf, &len), RESULTS_EINVAL, "bad status refused");
    big.status = VERIFY_STATUS_SECURE;
    many[0].code = VERIFY_REASON_COUNT;
    is_int(results_record_encode(&big, &buf, &len), RESULTS_EINVAL, "bad reason code refused");
    ok(buf == NULL, "nothing returned on failure");
    free(too_long);
    free(many);
    free(long_str);
}

static void test_size(void)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    results_record_t r = example_record();
    results_record_encode(&r, &buf, &len);
    printf("# cli.md example record encodes to %zu bytes\n", len);
    ok(len < 300, "example record is compact (%zu < 300 bytes)", len);
    free(buf);
}

/* Deterministic xorshift: tests never seed from the clock. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_malformed(void)
{
    static const results_ds_t ds[] = {{1, 8, 2, "ABCDEF0123"}, {2, 8, 2, "xyz"}};
    static const char *const cds[] = {"cds one", "cds two"};
    results_record_t r = example_record();
    r.parent.n_ds = 2;
    r.parent.ds = ds;
    r.n_cds = 2;
    r.cds = cds;
    r.resolver_check = (results_resolver_check_t){true, true, 0, 9, true};
    uint8_t *buf = NULL;
    size_t len = 0;
    results_record_encode(&r, &buf, &len);
    results_record_t out;

    int accepted = 0;
    for (size_t cut = 0; cut < len; cut++) {
        /* A copy of exactly cut bytes, so ASan sees any read past the end. */
        uint8_t *part = malloc(cut ? cut : 1);
        memcpy(part, buf, cut);
        if (results_record_decode("t.test", part, cut, &out) != RESULTS_ECORRUPT)
            accepted++;
        results_record_free(&out);
        free(part);
    }
    is_int(accepted, 0, "every truncation (%zu of them) is rejected as corrupt", len);

    uint8_t *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    is_int(results_record_decode("t.test", longer, len + 1, &out), RESULTS_ECORRUPT,
           "a trailing byte is rejected");
    free(longer);

    static const uint8_t overlong[] = {0,    0x80, 0x80, 0x80, 0x80, 0x80,
                                       0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    is_int(results_record_decode("t.test", overlong, sizeof overlong, &out), RESULTS_ECORRUPT,
           "an 11-byte varint is rejected");
    static const uint8_t huge_count[] = {0, 0, 0xff, 0xff, 0xff, 0x7f};
    is_int(results_record_decode("t.test", huge_count, sizeof huge_count, &out), RESULTS_ECORRUPT,
           "a count larger than the bytes left is rejected");
    static const uint8_t bad_status[] = {VERIFY_STATUS_COUNT, 0, 0};
    is_int(results_record_decode("t.test", bad_status, sizeof bad_status, &out), RESULTS_ECORRUPT,
           "an unknown status is rejected");
    is_int(results_record_decode("t.test", NULL, 0, &out), RESULTS_ECORRUPT,
           "empty input is rejected");

    /* Bit flips of a valid encoding: decode either fails cleanly or yields a record that can
     * be encoded and printed again. */
    int flips_ok = 0, flips_bad = 0, reencode_failed = 0;
    FILE *devnull = fopen("/dev/null", "w");
    for (int i = 0; i < 20000; i++) {
        uint8_t *m = malloc(len);
        memcpy(m, buf, len);
        int nflip = 1 + (int)(rng() % 3);
        for (int j = 0; j < nflip; j++)
            m[rng() % len] ^= (uint8_t)(1u << (rng() % 8));
        if (results_record_decode("t.test", m, len, &out) == 0) {
            flips_ok++;
            uint8_t *again = NULL;
            size_t again_len = 0;
            if (results_record_encode(&out, &again, &again_len) != 0)
                reencode_failed++;
            results_record_write_json(&out, "s", devnull);
            free(again);
        } else {
            flips_bad++;
        }
        results_record_free(&out);
        free(m);
    }
    ok(flips_ok + flips_bad == 20000, "20000 bit-flipped inputs: %d decoded, %d rejected", flips_ok,
       flips_bad);
    is_int(reencode_failed, 0, "every record decoded from flipped bytes re-encodes");

    /* Random bytes of random lengths. */
    int random_ok = 0;
    for (int i = 0; i < 50000; i++) {
        size_t n = rng() % 64;
        uint8_t *m = malloc(n ? n : 1);
        for (size_t j = 0; j < n; j++)
            m[j] = (uint8_t)rng();
        if (i % 2)
            m[0] = (uint8_t)(rng() % VERIFY_STATUS_COUNT); /* get past the first check */
        if (results_record_decode("t.test", m, n, &out) == 0)
            random_ok++;
        results_record_free(&out);
        free(m);
    }
    ok(true, "50000 random inputs decoded without a crash (%d accepted)", random_ok);
    fclose(devnull);
    free(buf);
}

int main(void)
{
    test_ds_source();
    test_roundtrips();
    test_size();
    test_malformed();
    return tap_done();
}
