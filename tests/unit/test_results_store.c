/*
 * The store: scan lifecycle, batching, map growth, read-only directories and media, schema
 * versions. (Crashes, disk full and concurrent processes: test_results_crash.c.)
 */
#include "tests/tap.h"
#include "tests/unit/test_results_util.h"

#include <errno.h>
#include <lmdb.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char *tmp_root;

static char *path_in(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", tmp_root, name);
    return buf;
}

static void test_lifecycle(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path_in("life/db")); /* two levels: parent made first */
    mkdir(path_in("life"), 0777);
    results_store_t *st = NULL;
    results_scan_t *scan = NULL, *dup = NULL;
    is_int(results_open(dir, 0, &st), 0, "open creates the store directory");
    is_int(results_scan_begin(st, "s1", "list.txt", "--qps 10", &scan), 0, "begin s1");
    is_int(results_scan_begin(st, "s1", NULL, NULL, &dup), RESULTS_EEXIST,
           "begin of an existing name is refused");
    ok(dup == NULL, "no handle on failure");
    is_int(results_scan_begin(st, "", NULL, NULL, &dup), RESULTS_EINVAL, "empty name refused");

    results_record_t ex = example_record();
    results_record_t a = {.domain = "a.test", .status = VERIFY_STATUS_SECURE, .scanned_at = 1};
    results_record_t c = {.domain = "c.test", .status = VERIFY_STATUS_INSECURE, .scanned_at = 2};
    is_int(results_put(scan, &ex), 0, "put example.com");
    is_int(results_put(scan, &c), 0, "put c.test");
    is_int(results_put(scan, &a), 0, "put a.test");
    is_int(results_has(scan, "a.test"), 1, "has() sees a buffered record");
    is_int(results_has(scan, "zz.test"), 0, "has() of an absent domain");
    is_int((int)results_scan_stored(scan), 3, "3 stored");
    a.status = VERIFY_STATUS_LAME;
    is_int(results_put(scan, &a), 0, "put a.test again (replaces)");
    is_int((int)results_scan_stored(scan), 3, "a replaced record is counted once");
    is_int(results_flush(scan), 0, "flush");
    is_int(results_has(scan, "c.test"), 1, "has() sees a committed record");
    results_record_t bad = {.domain = NULL};
    is_int(results_put(scan, &bad), RESULTS_EINVAL, "put without a domain refused");
    bad.domain = "Upper.test";
    is_int(results_put(scan, &bad), RESULTS_EINVAL, "upper-case domain refused");
    bad.domain = "dot.test.";
    is_int(results_put(scan, &bad), RESULTS_EINVAL, "trailing dot refused");
    is_int(results_has(scan, "dot.test."), RESULTS_EINVAL, "has() refuses a trailing dot");
    is_str(results_scan_name(scan), "s1", "scan name");
    uint64_t counts[VERIFY_STATUS_COUNT] = {0};
    is_int(results_scan_finish(scan, counts), 0, "finish s1");
    ok(counts[VERIFY_STATUS_LAME] == 1 && counts[VERIFY_STATUS_INSECURE] == 1 &&
           counts[VERIFY_STATUS_BOGUS] == 1 && counts[VERIFY_STATUS_SECURE] == 0,
       "final counts: lame 1, insecure 1, bogus 1, secure 0 (replacement moved a.test)");

    is_int(results_scan_resume(st, "s1", &scan), RESULTS_EFINISHED, "a finished scan won't resume");
    is_int(results_scan_resume(st, NULL, &scan), RESULTS_ENOTFOUND, "no unfinished scan yet");

    /* Two interrupted scans: resume(NULL) takes the latest one. */
    is_int(results_scan_begin(st, "s2", NULL, NULL, &scan), 0, "begin s2");
    put_synthetic(scan, 1);
    is_int(results_scan_close(scan), 0, "close s2 unfinished");
    is_int(results_scan_begin(st, "s3", NULL, NULL, &scan), 0, "begin s3");
    put_synthetic(scan, 2);
    put_synthetic(scan, 3);
    results_scan_close(scan);
    is_int(results_scan_resume(st, NULL, &scan), 0, "resume latest unfinished");
    is_str(results_scan_name(scan), "s3", "it is s3");
    is_int((int)results_scan_stored(scan), 2, "s3 holds its 2 records");
    results_scan_close(scan);
    is_int(results_scan_resume(st, "s2", &scan), 0, "resume s2 by name");
    char d[32];
    domain_name(d, sizeof d, 1);
    is_int(results_has(scan, d), 1, "s2 has its record");
    domain_name(d, sizeof d, 2);
    is_int(results_has(scan, d), 0, "s2 does not see s3's records");
    results_scan_close(scan);

    results_scan_info_t *list = NULL;
    size_t n = 0;
    is_int(results_scans_list(st, &list, &n), 0, "list scans");
    is_int((int)n, 3, "three scans");
    if (n == 3) {
        ok(!strcmp(list[0].name, "s1") && !strcmp(list[1].name, "s2") &&
               !strcmp(list[2].name, "s3") && list[0].seq < list[1].seq &&
               list[1].seq < list[2].seq,
           "listed in creation order, even within one second");
        ok(list[0].finished && list[0].finished_at >= list[0].started_at, "s1 finished");
        is_int((int)list[0].total, 3, "s1 total 3");
        is_str(list[0].input_desc, "list.txt", "input description kept");
        is_str(list[0].options, "--qps 10", "options kept");
        ok(!list[1].finished && list[1].input_desc == NULL, "s2 unfinished, no input text");
    }
    results_scans_free(list, n);
    results_scan_info_t info;
    is_int(results_scan_lookup(st, NULL, &info), 0, "lookup latest");
    is_str(info.name, "s3", "latest started is s3");
    results_scan_info_clear(&info);
    is_int(results_scan_lookup(st, "nope", &info), RESULTS_ENOTFOUND, "unknown scan");

    results_iter_t *it = NULL;
    const results_record_t *rec;
    const char *order[] = {"a.test", "c.test", "example.com"};
    int i = 0, in_order = 1;
    is_int(results_iter_new(st, "s1", &it), 0, "iterate s1");
    while (results_iter_next(it, &rec) == 1) {
        if (i >= 3 || strcmp(rec->domain, order[i]) != 0)
            in_order = 0;
        if (i == 0)
            is_int(rec->status, VERIFY_STATUS_LAME, "a.test holds the replacement");
        i++;
    }
    results_iter_free(it);
    ok(in_order && i == 3, "iteration gives a, c, example.com in order (%d records)", i);
    is_int(results_iter_new(st, "nope", &it), RESULTS_ENOTFOUND, "iterating an unknown scan");

    results_record_t got;
    char why[128] = "";
    is_int(results_get(st, "s1", "example.com", &got), 0, "get example.com");
    ok(!records_differ(&ex, &got, why, sizeof why), "stored record equals the one put %s", why);
    results_record_free(&got);
    is_int(results_get(st, "s1", "b.test", &got), RESULTS_ENOTFOUND, "get of an absent domain");
    /* Delete: a scan of more than one chunk (10000) of records, between two others. */
    is_int(results_scan_begin(st, "del", NULL, NULL, &scan), 0, "begin del");
    for (unsigned k = 0; k < 25000; k++)
        put_synthetic(scan, k);
    results_scan_finish(scan, NULL);
    is_int(results_scan_begin(st, "after", NULL, NULL, &scan), 0, "begin after");
    put_synthetic(scan, 1);
    results_scan_finish(scan, NULL);
    uint64_t deleted = 0;
    is_int(results_scan_delete(st, "del", &deleted), 0, "delete scan del");
    is_int((int)deleted, 25000, "its 25000 records deleted");
    is_int(results_scan_lookup(st, "del", &info), RESULTS_ENOTFOUND, "del is gone");
    is_int(results_iter_new(st, "del", &it), RESULTS_ENOTFOUND, "no iteration over del");
    is_int(results_scan_delete(st, "del", NULL), RESULTS_ENOTFOUND, "deleting twice");
    is_int(results_scan_lookup(st, "after", &info), 0, "the next scan is intact");
    is_int((int)info.total, 1, "with its record");
    results_scan_info_clear(&info);
    is_int(results_get(st, "s1", "example.com", &got), 0, "the scan before is intact");
    results_record_free(&got);
    is_int(results_scan_begin(st, "del", NULL, NULL, &scan), 0, "the name can be used again");
    is_int((int)results_scan_stored(scan), 0, "a new scan of that name starts empty");
    results_scan_finish(scan, NULL);
    is_int(results_scan_delete(st, "after", &deleted), 0, "delete the last scan in key order");
    is_int((int)deleted, 1, "its record deleted");
    results_close(st);

    is_int(results_open(dir, RESULTS_READONLY, &st), 0, "reopen read-only");
    is_int(results_scan_begin(st, "s4", NULL, NULL, &scan), RESULTS_EREADONLY,
           "no scan on a read-only handle");
    is_int(results_scans_list(st, &list, &n), 0, "list read-only");
    is_int((int)n, 4, "s1, s2, s3 and the new del");
    results_scans_free(list, n);
    results_close(st);
    results_close(NULL);
    is_int(results_open(path_in("missing"), RESULTS_READONLY, &st), RESULTS_ENOTFOUND,
           "read-only open of a missing store");
    ok(st == NULL, "no handle on failure");
}

static void test_map_growth(void)
{
    const char *dir = path_in("grow");
    results_options_t o = {.map_size = 64 << 10, .batch_records = 2000};
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    is_int(results_open_ex(dir, 0, &o, &st), 0, "open with a 64 KiB map");
    results_scan_begin(st, "big", NULL, NULL, &scan);
    int failures = 0;
    for (unsigned i = 0; i < 200000; i++)
        if (put_synthetic(scan, i) != 0)
            failures++;
    is_int(failures, 0, "200000 puts into a tiny map never fail");
    is_int((int)results_scan_stored(scan), 200000, "200000 stored");
    is_int(results_scan_finish(scan, NULL), 0, "finish");
    results_close(st);
    struct stat sb;
    char data[1100];
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    int st_rc = stat(data, &sb);
    ok(st_rc == 0 && sb.st_size > (64 << 20) / 16, "data file grew to %lld bytes",
       st_rc == 0 ? (long long)sb.st_size : -1LL);
    results_scan_info_t info;
    results_open(dir, RESULTS_READONLY, &st);
    is_int(results_scan_lookup(st, "big", &info), 0, "read back");
    is_int((int)info.total, 200000, "200000 committed");
    results_scan_info_clear(&info);
    results_close(st);
}

/* Runs fn in a child process without root's power over file permissions; returns its exit
 * status (a bitmask of failed checks) or -1. */
static int run_unprivileged(int (*fn)(void))
{
    fflush(stdout); /* a child must not inherit (and repeat) buffered TAP lines */
    pid_t pid = fork();
    if (pid == 0) {
        if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(255);
        _exit(fn());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int open_in_readonly_dir(void)
{
    int fail = 0;
    char err[256] = "";
    results_options_t o = {.errbuf = err, .errbuf_size = sizeof err};
    results_store_t *st = NULL;
    int rc = results_open_ex(path_in("ro/db"), 0, &o, &st);
    if (rc != RESULTS_EACCES)
        fail |= 1;
    if (!strstr(err, "Permission denied") || !strstr(err, "ro/db"))
        fail |= 2;
    if (!strstr(results_strerror(rc), "permission denied"))
        fail |= 4;
    if (errno != EACCES)
        fail |= 8;
    return fail;
}

static int read_store_on_readonly_media(void)
{
    int fail = 0;
    results_store_t *st = NULL;
    results_scan_info_t info;
    if (results_open(path_in("ro2"), RESULTS_READONLY, &st) != 0)
        return 1;
    if (results_scan_lookup(st, "s", &info) != 0 || info.total != 1)
        fail |= 2;
    results_scan_info_clear(&info);
    results_close(st);
    if (results_open(path_in("ro2"), 0, &st) != RESULTS_EACCES)
        fail |= 4;
    return fail;
}

static void test_readonly(void)
{
    mkdir(path_in("ro"), 0555);
    chmod(path_in("ro"), 0555);
    is_int(run_unprivileged(open_in_readonly_dir), 0,
           "store in a read-only directory: RESULTS_EACCES, errbuf names the path and errno, "
           "errno EACCES");

    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    results_open(path_in("ro2"), 0, &st);
    results_scan_begin(st, "s", NULL, NULL, &scan);
    put_synthetic(scan, 1);
    results_scan_finish(scan, NULL);
    results_close(st);
    char p[1100];
    snprintf(p, sizeof p, "%s/data.mdb", path_in("ro2"));
    chmod(p, 0444);
    snprintf(p, sizeof p, "%s/lock.mdb", path_in("ro2"));
    chmod(p, 0444);
    chmod(path_in("ro2"), 0555);
    is_int(run_unprivileged(read_store_on_readonly_media), 0,
           "a store on read-only media opens RESULTS_READONLY (no lock) and refuses writers");
    chmod(path_in("ro2"), 0755);
    chmod(path_in("ro"), 0755);
}

/* Writes schema version v into the store in dir; returns the version read back after f. */
static void set_schema(const char *dir, uint32_t version)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 4);
    mdb_env_open(env, dir, 0, 0644);
    mdb_txn_begin(env, NULL, 0, &txn);
    mdb_dbi_open(txn, "meta", 0, &dbi);
    MDB_val k = {6, "schema"}, val = {4, &version};
    mdb_put(txn, dbi, &k, &val, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
}

static uint32_t get_schema(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    uint32_t version = 0;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 4);
    mdb_env_open(env, dir, MDB_RDONLY, 0644);
    mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    mdb_dbi_open(txn, "meta", 0, &dbi);
    MDB_val k = {6, "schema"}, val;
    if (mdb_get(txn, dbi, &k, &val) == 0 && val.mv_size == 4)
        memcpy(&version, val.mv_data, 4);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return version;
}

/* A schema-1 store (before the zone-file flag) is read as it is and upgraded when written. */
static void test_schema_v1(void)
{
    const char *dir = path_in("schema1");
    results_store_t *st = NULL;
    results_open(dir, 0, &st);
    results_close(st);
    set_schema(dir, 1);
    st = NULL;
    is_int(results_open(dir, RESULTS_READONLY, &st), 0, "schema-1 store opens read-only");
    results_close(st);
    is_int(get_schema(dir), 1, "... and stays schema 1");
    st = NULL;
    is_int(results_open(dir, 0, &st), 0, "schema-1 store opens for writing");
    results_close(st);
    is_int(get_schema(dir), RESULTS_SCHEMA_VERSION, "... and is marked schema %d",
           RESULTS_SCHEMA_VERSION);
}

/* A diff's output as a string (caller frees). */
static char *diff_text(results_store_t *st, const char *a, const char *b, results_format_t fmt)
{
    FILE *f = tmpfile();
    if (!f)
        return NULL;
    results_diff(st, a, b, fmt, false, f, NULL);
    char *s = slurp(f);
    fclose(f);
    return s;
}

/* Schema 3: a scan's settings are stored with it and read back; a schema-2 scan (no settings
 * field) still reads, with no mode; scans of different modes are told apart by diff. */
static void test_settings(void)
{
    const char *dir = path_in("settings");
    results_store_t *st = NULL;
    results_scan_t *sc = NULL;
    is_int(results_open(dir, 0, &st), 0, "settings store opens");
    is_int(results_scan_begin(st, "old", "old.txt", NULL, &sc), 0, "a scan without settings");
    put_synthetic(sc, 1);
    results_scan_finish(sc, NULL);
    is_int(results_scan_begin_ex(st, "auth", "in.txt", "shard=1/2",
                                 "mode=authoritative\nport=5353\nresolver=\n", &sc),
           0, "an authoritative scan with settings");
    put_synthetic(sc, 1);
    results_scan_finish(sc, NULL);
    is_int(results_scan_begin_ex(st, "res", "in.txt", NULL,
                                 "mode=resolver\nresolver=192.0.2.1#53\n", &sc),
           0, "a resolver-mode scan with settings");
    put_synthetic(sc, 1);
    results_scan_close(sc); /* unfinished: its settings are there for --resume */
    results_close(st);

    /* Make "old" what a schema-2 dnssweep wrote: its meta without the settings field. */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 4);
    mdb_env_open(env, dir, 0, 0644);
    mdb_txn_begin(env, NULL, 0, &txn);
    mdb_dbi_open(txn, "scans", 0, &dbi);
    MDB_val k = {3, "old"}, v;
    int got = mdb_get(txn, dbi, &k, &v);
    uint8_t buf[512];
    size_t n = got == 0 && v.mv_size <= sizeof buf ? v.mv_size : 0;
    if (n)
        memcpy(buf, v.mv_data, n);
    ok(n > 1 && buf[n - 1] == 0, "the settings field of a scan without settings is one 0 byte");
    v.mv_size = n ? n - 1 : 0;
    v.mv_data = buf;
    mdb_put(txn, dbi, &k, &v, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
    set_schema(dir, 2);

    st = NULL;
    is_int(results_open(dir, RESULTS_READONLY, &st), 0, "a schema-2 store opens read-only");
    results_scan_info_t info;
    is_int(results_scan_lookup(st, "old", &info), 0, "its scan without a settings field reads");
    ok(info.settings == NULL && info.total == 1 && str_eq(info.input_desc, "old.txt"),
       "... with no settings, its counts and input kept");
    results_scan_info_clear(&info);
    is_int(results_scan_lookup(st, "res", &info), 0, "the resolver-mode scan reads");
    char value[64] = "";
    is_int(results_settings_get(info.settings, "resolver", value, sizeof value), 1,
           "results_settings_get finds resolver");
    is_str(value, "192.0.2.1#53", "... its value");
    is_int(results_settings_get(info.settings, "port", value, sizeof value), 0,
           "an absent key is 0");
    is_int(results_settings_get(info.settings, "resolver", value, 5), -1,
           "a value too long for the buffer is -1");
    is_int(results_settings_get(NULL, "mode", value, sizeof value), 0, "NULL settings: absent");
    results_scan_info_clear(&info);
    is_int(results_scan_lookup(st, "auth", &info), 0, "the authoritative scan reads");
    ok(str_eq(info.options, "shard=1/2") &&
           results_settings_get(info.settings, "port", value, sizeof value) == 1 &&
           strcmp(value, "5353") == 0 &&
           results_settings_get(info.settings, "resolver", value, sizeof value) == 1 &&
           value[0] == '\0',
       "options and settings kept apart; an empty value is present and empty");
    results_scan_info_clear(&info);

    char om[32], nm[32];
    is_int(results_diff_modes(st, "auth", "res", om, nm), 1, "authoritative vs resolver differ");
    ok(strcmp(om, "authoritative") == 0 && strcmp(nm, "resolver") == 0, "... modes %s, %s", om, nm);
    is_int(results_diff_modes(st, "old", "res", om, nm), 0,
           "a scan without a recorded mode compares with any");
    is_int(results_diff_modes(st, "auth", "auth", om, nm), 0, "same mode: no difference");
    char *t = diff_text(st, "auth", "res", RESULTS_FORMAT_TEXT);
    ok(t && strstr(t, "WARNING: the modes differ: auth was scanned in authoritative mode, res in "
                      "resolver mode"),
       "text diff across modes says so");
    free(t);
    t = diff_text(st, "auth", "res", RESULTS_FORMAT_JSONL);
    ok(t && strstr(t, "\"modes_differ\":{\"old\":\"authoritative\",\"new\":\"resolver\"}"),
       "jsonl diff across modes says so (first line, even with no domain changed)");
    free(t);
    t = diff_text(st, "auth", "res", RESULTS_FORMAT_HTML);
    ok(t && strstr(t, "class=\"modes-differ\"") && strstr(t, "authoritative mode"),
       "html diff across modes says so");
    free(t);
    t = diff_text(st, "old", "auth", RESULTS_FORMAT_TEXT);
    ok(t && !strstr(t, "modes differ"), "no notice when a mode is not recorded");
    free(t);
    FILE *f = tmpfile();
    results_scans_print(st, f);
    t = slurp(f);
    fclose(f);
    ok(t && strstr(t, " mode ") && strstr(t, " resolver ") && strstr(t, " authoritative "),
       "dnssweep scans shows each scan's mode");
    free(t);
    f = tmpfile();
    results_export(st, "res", RESULTS_FORMAT_JSONL, f);
    t = slurp(f);
    fclose(f);
    ok(t && strstr(t, "\"mode\":\"resolver\""), "export lines carry the scan's mode");
    free(t);
    f = tmpfile();
    results_export(st, "old", RESULTS_FORMAT_JSONL, f);
    t = slurp(f);
    fclose(f);
    ok(t && strstr(t, "\"mode\":null"), "... null for a scan without a recorded mode");
    free(t);
    results_close(st);
    st = NULL;
    is_int(results_open(dir, 0, &st), 0, "the schema-2 store opens for writing");
    results_close(st);
    is_int(get_schema(dir), RESULTS_SCHEMA_VERSION, "... and is marked schema %d",
           RESULTS_SCHEMA_VERSION);
}

static void test_schema(void)
{
    const char *dir = path_in("schema");
    results_store_t *st = NULL;
    results_open(dir, 0, &st);
    results_close(st);
    /* Pretend a newer dnssweep wrote the store. */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 4);
    mdb_env_open(env, dir, 0, 0644);
    mdb_txn_begin(env, NULL, 0, &txn);
    mdb_dbi_open(txn, "meta", 0, &dbi);
    uint8_t v[4] = {RESULTS_SCHEMA_VERSION + 1, 0, 0, 0};
    MDB_val k = {6, "schema"}, val = {4, v};
    mdb_put(txn, dbi, &k, &val, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);

    char err[256] = "";
    results_options_t o = {.errbuf = err, .errbuf_size = sizeof err};
    is_int(results_open_ex(dir, 0, &o, &st), RESULTS_ESCHEMA, "newer schema refused for writing");
    ok(strstr(err, "upgrade dnssweep") != NULL, "message says to upgrade: %s", err);
    is_int(results_open_ex(dir, RESULTS_READONLY, &o, &st), RESULTS_ESCHEMA,
           "newer schema refused for reading");

    mkdir(path_in("notastore"), 0755);
    mdb_env_create(&env);
    mdb_env_open(env, path_in("notastore"), 0, 0644);
    mdb_env_close(env);
    /* An empty environment is what a writer stopped inside its first open leaves (out of file
     * descriptors, say): readers see no results yet, as for a missing store, and a writer
     * makes it a store (test_lifecycle). */
    is_int(results_open(path_in("notastore"), RESULTS_READONLY, &st), RESULTS_ENOTFOUND,
           "an empty LMDB environment reads as a store with no results yet");
    mkdir(path_in("zerobytes"), 0755);
    FILE *zf = fopen(path_in("zerobytes/data.mdb"), "w");
    if (zf)
        fclose(zf);
    is_int(results_open(path_in("zerobytes"), RESULTS_READONLY, &st), RESULTS_ENOTFOUND,
           "a 0-byte data.mdb (writer stopped inside mdb_env_open) reads as no results yet");
    /* Another program's data: never write into it. */
    mdb_env_create(&env);
    mdb_env_open(env, path_in("notastore"), 0, 0644);
    mdb_txn_begin(env, NULL, 0, &txn);
    mdb_dbi_open(txn, NULL, 0, &dbi);
    MDB_val fk = {3, "foo"}, fv = {3, "bar"};
    mdb_put(txn, dbi, &fk, &fv, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
    is_int(results_open(path_in("notastore"), RESULTS_READONLY, &st), RESULTS_ESCHEMA,
           "an LMDB environment holding other data is not a store");
    err[0] = '\0';
    is_int(results_open_ex(path_in("notastore"), 0, &o, &st), RESULTS_ESCHEMA,
           "a writer refuses an LMDB environment holding other data");
    ok(strstr(err, "another program") != NULL, "and says so: %s", err);
}

/* Committed records as seen by another process (LMDB forbids a second handle in this one). */
static int committed_in_child(const char *dir, const char *scan)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        results_store_t *st = NULL;
        results_scan_info_t info;
        if (results_open(dir, RESULTS_READONLY, &st) || results_scan_lookup(st, scan, &info))
            _exit(255);
        _exit((int)(info.total > 200 ? 200 : info.total));
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A batch is committed after batch_records puts, or by the first put batch_ms after it began. */
static void test_batch_commit(void)
{
    const char *dir = path_in("batch");
    results_options_t o = {.batch_records = 10, .batch_ms = 100};
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    results_open_ex(dir, 0, &o, &st);
    results_scan_begin(st, "b", NULL, NULL, &scan);
    for (unsigned i = 0; i < 9; i++)
        put_synthetic(scan, i);
    is_int(committed_in_child(dir, "b"), 0, "9 puts: nothing committed yet");
    put_synthetic(scan, 9);
    is_int(committed_in_child(dir, "b"), 10, "10th put commits the batch");
    put_synthetic(scan, 10);
    usleep(150 * 1000);
    put_synthetic(scan, 11);
    is_int(committed_in_child(dir, "b"), 12, "a put after batch_ms commits what is buffered");
    put_synthetic(scan, 12);
    is_int(results_flush(scan), 0, "flush");
    is_int(committed_in_child(dir, "b"), 13, "flush commits at once");
    results_scan_finish(scan, NULL);
    results_close(st);
}

/* cli.md: a store never lives on a network filesystem. No such mount exists here, so the
 * classifier is checked on the statfs(2) magic numbers, and a local directory (existing or
 * not yet created) is accepted. */
static void test_remote_filesystems(void)
{
    static const struct {
        unsigned long magic;
        const char *name;
    } remote[] = {{0x6969UL, "NFS"},
                  {0xFF534D42UL, "CIFS"},
                  {0xFE534D42UL, "SMB2"},
                  {0x00C36400UL, "CephFS"},
                  {0x01021997UL, "9p"},
                  {0x0BD00BD0UL, "Lustre"},
                  {0x65735546UL, "FUSE (sshfs, GlusterFS, s3fs...)"}};
    for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++) {
        const char *got = results_fs_remote_name(remote[i].magic);
        ok(got && strcmp(got, remote[i].name) == 0, "f_type 0x%lx is a network filesystem (%s)",
           remote[i].magic, got ? got : "none");
    }
    static const unsigned long local[] = {0xEF53UL /* ext4 */, 0x58465342UL /* xfs */,
                                          0x9123683EUL /* btrfs */, 0x01021994UL /* tmpfs */,
                                          0x794C7630UL /* overlayfs */};
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
        ok(results_fs_remote_name(local[i]) == NULL, "f_type 0x%lx is local", local[i]);
    char detail[512] = "", path[4096];
    is_int(results_fs_check(tmp_root, detail, sizeof detail), 0, "a local directory: accepted");
    snprintf(path, sizeof path, "%s/not/yet/made", tmp_root);
    is_int(results_fs_check(path, detail, sizeof detail), 0,
           "a directory still to be made below a local one: accepted");
    ok(strstr(results_strerror(RESULTS_EREMOTE), "network filesystem") != NULL,
       "RESULTS_EREMOTE says why: %s", results_strerror(RESULTS_EREMOTE));
}

int main(void)
{
    alarm(300); /* bounded: a hung child or loop fails the test */
    tmp_root = make_tmpdir();
    if (!tmp_root)
        return 1;
    chmod(tmp_root, 0755); /* the unprivileged children must reach their directories */
    test_lifecycle();
    test_batch_commit();
    test_map_growth();
    test_readonly();
    test_schema();
    test_schema_v1();
    test_settings();
    test_remote_filesystems();
    rm_tree(tmp_root);
    free(tmp_root);
    return tap_done();
}
