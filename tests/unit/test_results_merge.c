/* merge: shard stores united into one; same-named scans become the union of their domains. */
#include "tests/tap.h"
#include "tests/unit/test_results_util.h"

static char *tmp_root;

static const char *dir_of(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", tmp_root, name);
    return buf;
}

static void put(results_scan_t *scan, const char *domain, verify_status_t status, int64_t at)
{
    results_record_t r = {.domain = domain, .status = status, .scanned_at = at};
    if (results_put(scan, &r) != 0)
        printf("# put %s failed\n", domain);
}

/* shard: scans given as "name:finished" with their (domain, status, time) lists. */
static void make_shard(const char *name, int which)
{
    char dir[1024];
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    results_open(dir_of(name, dir, sizeof dir), 0, &st);
    results_scan_begin(st, "s", "shard input", "--shard", &scan);
    if (which == 1) {
        put(scan, "a.test", VERIFY_STATUS_SECURE, 100);
        put(scan, "b.test", VERIFY_STATUS_BOGUS, 100);
    } else {
        put(scan, "c.test", VERIFY_STATUS_INSECURE, 200);
        put(scan, "b.test", VERIFY_STATUS_SECURE, 200); /* rescanned later in this shard */
    }
    results_scan_finish(scan, NULL);
    results_scan_begin(st, which == 1 ? "only1" : "t", NULL, NULL, &scan);
    put(scan, "x.test", VERIFY_STATUS_LAME, 50);
    results_scan_close(scan); /* unfinished */
    if (which == 1) {
        results_scan_begin(st, "t", NULL, NULL, &scan);
        put(scan, "y.test", VERIFY_STATUS_LAME, 50);
        results_scan_finish(scan, NULL);
    }
    results_close(st);
}

static void one_scan(const char *store, const char *name, const char *options, const char *domain)
{
    char dir[1024];
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    results_open(dir_of(store, dir, sizeof dir), 0, &st);
    results_scan_begin(st, name, NULL, options, &scan);
    put(scan, domain, VERIFY_STATUS_SECURE, 100);
    results_scan_finish(scan, NULL);
    results_close(st);
}

/* Shard bookkeeping: shards of one scan join; overlapping or foreign shards are refused. */
static void test_shards(void)
{
    char d[1024], m[1024];
    one_scan("k1", "w", "shard=1/3", "a.test");
    one_scan("k2", "w", "shard=2/3", "b.test");
    one_scan("k4", "w", "shard=1/4", "c.test");
    one_scan("u", "w", NULL, "d.test");
    sleep(1); /* another run of shard 1 starts later */
    one_scan("k1b", "w", "shard=1/3", "a.test");
    results_store_t *st = NULL;
    uint64_t copied = 0;
    results_open(dir_of("shards-merged", m, sizeof m), 0, &st);
    is_int(results_merge(st, dir_of("k1", d, sizeof d), &copied), 0, "shard 1/3 merged");
    is_int(results_merge(st, dir_of("k2", d, sizeof d), &copied), 0, "shard 2/3 merged");
    is_int(results_merge(st, dir_of("k1", d, sizeof d), &copied), 0, "shard 1/3 again: accepted");
    results_scan_info_t info;
    is_int(results_scan_lookup(st, "w", &info), 0, "lookup w");
    is_int((int)info.total, 2, "two domains");
    ok(info.options && strncmp(info.options, "shard=1@", 8) == 0 && strstr(info.options, ",2@") &&
           strstr(info.options, "/3"),
       "options list both shards: %s", info.options ? info.options : "(null)");
    results_scan_info_clear(&info);
    is_int(results_merge(st, dir_of("k1b", d, sizeof d), &copied), RESULTS_EINVAL,
           "another run of shard 1/3 refused");
    ok(strstr(results_errdetail(st), "overlapping shards") != NULL, "detail: %s",
       results_errdetail(st));
    is_int(results_merge(st, dir_of("k4", d, sizeof d), &copied), RESULTS_EINVAL,
           "a shard of 4 into shards of 3 refused");
    ok(strstr(results_errdetail(st), "shards of 3 and of 4") != NULL, "detail: %s",
       results_errdetail(st));
    is_int(results_merge(st, dir_of("u", d, sizeof d), &copied), RESULTS_EINVAL,
           "an unsharded scan of the same name refused");
    is_int(results_scan_lookup(st, "w", &info), 0, "lookup w");
    is_int((int)info.total, 2, "refused merges copied nothing");
    results_scan_info_clear(&info);
    results_close(st);
}

int main(void)
{
    char d1[1024], d2[1024], dd[1024];
    alarm(60);
    tmp_root = make_tmpdir();
    if (!tmp_root)
        return 1;
    make_shard("shard1", 1);
    make_shard("shard2", 2);
    dir_of("shard1", d1, sizeof d1);
    dir_of("shard2", d2, sizeof d2);
    results_store_t *st = NULL;
    uint64_t copied = 0;
    is_int(results_open(dir_of("merged", dd, sizeof dd), 0, &st), 0, "open destination");
    is_int(results_merge(st, d1, &copied), 0, "merge shard1");
    is_int((int)copied, 4, "4 records copied from shard1");
    is_int(results_merge(st, d2, &copied), 0, "merge shard2");
    is_int((int)copied, 3, "3 records copied from shard2");

    results_scan_info_t info;
    is_int(results_scan_lookup(st, "s", &info), 0, "scan s exists");
    is_int((int)info.total, 3, "s holds the union a, b, c");
    ok(info.counts[VERIFY_STATUS_SECURE] == 2 && info.counts[VERIFY_STATUS_INSECURE] == 1 &&
           info.counts[VERIFY_STATUS_BOGUS] == 0,
       "counts: b.test is the later (secure) record");
    ok(info.finished, "s finished in both shards: finished");
    is_str(info.input_desc, "shard input", "description carried over");
    results_scan_info_clear(&info);
    is_int(results_scan_lookup(st, "t", &info), 0, "scan t exists");
    ok(!info.finished && info.total == 2, "t unfinished in one shard: unfinished, 2 records");
    results_scan_info_clear(&info);
    is_int(results_scan_lookup(st, "only1", &info), 0, "scan only1 copied");
    ok(!info.finished && info.total == 1, "only1 unfinished with its record");
    results_scan_info_clear(&info);

    results_record_t rec;
    is_int(results_get(st, "s", "b.test", &rec), 0, "get b.test");
    ok(rec.status == VERIFY_STATUS_SECURE && rec.scanned_at == 200, "newer record of b.test won");
    results_record_free(&rec);

    is_int(results_merge(st, d1, &copied), 0, "merge shard1 again");
    is_int(results_get(st, "s", "b.test", &rec), 0, "get b.test again");
    ok(rec.status == VERIFY_STATUS_SECURE, "an older record does not replace a newer one");
    results_record_free(&rec);
    is_int(results_scan_lookup(st, "s", &info), 0, "lookup s");
    is_int((int)info.total, 3, "merging twice changes nothing");
    results_scan_info_clear(&info);

    is_int(results_merge(st, dd, &copied), RESULTS_EINVAL, "merging a store into itself refused");
    char missing[1024];
    is_int(results_merge(st, dir_of("missing", missing, sizeof missing), &copied),
           RESULTS_ENOTFOUND, "merging a missing store");
    ok(strstr(results_errdetail(st), "missing") != NULL, "detail names it: %s",
       results_errdetail(st));
    results_close(st);
    test_shards();
    rm_tree(tmp_root);
    free(tmp_root);
    return tap_done();
}
