/*
 * results_prune: which scans go (--keep, --before, never the latest finished one), that the
 * file shrinks to about a fresh store of the kept scans, that a reader open during the prune
 * keeps its snapshot and one opening during it sees the old or the new store, that a writer
 * holds a prune off, and what happens to a leftover DIR.prune.
 */
#include "tests/tap.h"
#include "tests/unit/test_results_prune_util.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static char *tmp_root;

static void path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmp_root, name);
}

static void test_keep(void)
{
    char dir[1024], fresh[1024], names[1024];
    path(dir, sizeof dir, "keep");
    path(fresh, sizeof fresh, "keep-fresh");
    is_int(add_scans(dir, "night", 1, 8, 3000, 0), 0, "store of 8 finished scans x 3000 records");
    is_int(add_scans(fresh, "night", 7, 2, 3000, 0), 0, "fresh store of the 2 newest alone");
    long long before = data_size(dir);

    results_prune_opts_t o = {.keep = 2};
    results_prune_report_t r;
    is_int(results_prune(dir, &o, &r), 0, "prune --keep 2");
    is_int((long long)r.n_dropped, 6, "6 scans dropped");
    is_str(r.n_dropped ? r.dropped[0] : NULL, "night1", "the oldest first");
    is_str(r.n_dropped == 6 ? r.dropped[5] : NULL, "night6", "up to the 6th");
    is_int((long long)r.n_kept, 2, "2 kept");
    ok(r.kept_latest_finished == NULL, "the latest finished scan was not in question");
    is_int((long long)r.records_dropped, 6 * 3000, "records of the 6 dropped scans removed");
    is_int((long long)r.bytes_before, before, "bytes_before is data.mdb's size before");
    is_int((long long)r.bytes_after, data_size(dir), "bytes_after is data.mdb's size after");
    ok(r.compacted, "compacted");
    results_prune_report_clear(&r);

    long recs = store_summary(dir, names, sizeof names);
    is_str(names, "night7 night8", "the store lists exactly the newest 2 scans");
    is_int(recs, 2 * 3000, "and all of their records");
    long long after = data_size(dir), want = data_size(fresh);
    printf("# data.mdb: %lld bytes before, %lld after, fresh store of the kept scans %lld\n",
           before, after, want);
    ok(after < before / 3, "the file shrank (%lld -> %lld bytes)", before, after);
    ok(after <= want + want / 10, "within 10%% of a fresh store of the kept scans (%lld vs %lld)",
       after, want);
    char leftover[1100];
    snprintf(leftover, sizeof leftover, "%s.prune", dir);
    ok(!path_exists(leftover), "no %s left behind", leftover);

    /* The new generation is a store like any other: a scan writes into it. */
    is_int(add_scans(dir, "night", 9, 1, 10, 0), 0, "a scan writes into the pruned store");
    store_summary(dir, names, sizeof names);
    is_str(names, "night7 night8 night9", "and is listed after the kept ones");

    is_int(results_prune(dir, &o, &r), 0, "prune --keep 2 again");
    is_int((long long)r.n_dropped, 1, "drops the one now too old");
    results_prune_report_clear(&r);
    o.keep = 5;
    is_int(results_prune(dir, &o, &r), 0, "prune --keep 5 with 2 scans");
    ok(r.n_dropped == 0 && !r.compacted && r.bytes_after == r.bytes_before,
       "nothing dropped, store left as it was");
    results_prune_report_clear(&r);
}

static void test_latest_finished_kept(void)
{
    char dir[1024], names[1024];
    path(dir, sizeof dir, "latest");
    /* a1 a2 finished, b3 b4 interrupted (unfinished): the newest 1 is b4. */
    add_scans(dir, "a", 1, 2, 100, 0);
    add_scans(dir, "b", 3, 2, 100, 2);
    results_prune_opts_t o = {.keep = 1};
    results_prune_report_t r;
    is_int(results_prune(dir, &o, &r), 0, "prune --keep 1 with unfinished newer scans");
    is_str(r.kept_latest_finished, "a2", "says it kept a2, the latest finished scan");
    store_summary(dir, names, sizeof names);
    is_str(names, "a2 b4", "a1 and b3 dropped, a2 and b4 kept");
    results_prune_report_clear(&r);

    o = (results_prune_opts_t){.before = INT64_MAX / 2};
    is_int(results_prune(dir, &o, &r), 0, "prune --before far in the future");
    store_summary(dir, names, sizeof names);
    is_str(names, "a2", "every scan dropped but the latest finished one");
    is_str(r.kept_latest_finished, "a2", "and it says so");
    results_prune_report_clear(&r);
}

static void test_before(void)
{
    char dir[1024], names[1024];
    path(dir, sizeof dir, "before");
    add_scans(dir, "old", 1, 2, 100, 0);
    /* Scan times are whole seconds: the cut lies strictly between the two groups. */
    int64_t cut = (int64_t)time(NULL) + 1;
    while ((int64_t)time(NULL) < cut)
        usleep(20000);
    add_scans(dir, "new", 3, 2, 100, 0);
    results_prune_opts_t o = {.before = 1};
    results_prune_report_t r;
    is_int(results_prune(dir, &o, &r), 0, "prune --before 1970-01-01T00:00:01Z");
    is_int((long long)r.n_dropped, 0, "drops nothing");
    results_prune_report_clear(&r);
    o.before = cut;
    is_int(results_prune(dir, &o, &r), 0, "prune --before the second the new scans started");
    store_summary(dir, names, sizeof names);
    is_str(names, "new3 new4", "exactly the scans started before it are gone");
    results_prune_report_clear(&r);
}

static void test_bad_rules(void)
{
    char dir[1024], err[256] = "";
    path(dir, sizeof dir, "keep");
    results_prune_opts_t none = {0}, both = {.keep = 1, .before = 5};
    is_int(results_prune(dir, &none, NULL), RESULTS_EINVAL, "neither keep nor before: EINVAL");
    is_int(results_prune(dir, &both, NULL), RESULTS_EINVAL, "both keep and before: EINVAL");
    path(dir, sizeof dir, "nowhere");
    results_prune_opts_t o = {.keep = 1, .errbuf = err, .errbuf_size = sizeof err};
    is_int(results_prune(dir, &o, NULL), RESULTS_ENOTFOUND, "no store: ENOTFOUND (%s)", err);
}

/* A child holds a reader open on the old generation across the prune, then reads on. */
static void test_reader_during_prune(void)
{
    char dir[1024], names[1024];
    path(dir, sizeof dir, "reader");
    add_scans(dir, "n", 1, 5, 2000, 0);
    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent)) {
        ok(0, "pipe");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        results_store_t *st = NULL;
        results_iter_t *it = NULL;
        const results_record_t *rec;
        char c = 'r';
        unsigned seen = 0;
        if (results_open(dir, RESULTS_READONLY, &st) || results_iter_new(st, "n1", &it))
            _exit(10);
        for (int i = 0; i < 100 && results_iter_next(it, &rec) == 1; i++)
            seen++;
        if (write(to_parent[1], &c, 1) != 1 || read(to_child[0], &c, 1) != 1)
            _exit(11);
        while (results_iter_next(it, &rec) == 1)
            seen++;
        results_iter_free(it);
        /* A new read on the same handle (still the generation it opened) sees the prune's
         * outcome: n1 gone, n5 whole. */
        results_scan_info_t info;
        int gone = results_scan_lookup(st, "n1", &info) == RESULTS_ENOTFOUND;
        unsigned kept = 0;
        if (results_iter_new(st, "n5", &it) == 0) {
            while (results_iter_next(it, &rec) == 1)
                kept++;
            results_iter_free(it);
        }
        results_close(st);
        _exit(seen != 2000 ? 12 : !gone ? 13 : kept != 2000 ? 14 : 0);
    }
    char c;
    ok(read(to_parent[0], &c, 1) == 1, "reader is iterating scan n1 of the old store");
    results_prune_opts_t o = {.keep = 1};
    results_prune_report_t r;
    is_int(results_prune(dir, &o, &r), 0, "prune --keep 1 while the reader is open");
    results_prune_report_clear(&r);
    store_summary(dir, names, sizeof names);
    is_str(names, "n5", "a new open sees the pruned store");
    ok(write(to_child[1], "g", 1) == 1, "reader goes on");
    int status = 0;
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
       "the reader read all 2000 records of n1 from its snapshot; its next reads see n1 gone "
       "and n5 whole (exit %d)",
       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
}

/* Children open the store again and again while prunes run: every open sees the old or the
 * new store, never a mix (the exchange is taken under the directory lock, generation.c). */
static void test_readers_opening_during_prune(void)
{
    char dir[1024];
    path(dir, sizeof dir, "opening");
    add_scans(dir, "m", 1, 12, 400, 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        unsigned opens = 0, bad = 0, dropped_meanwhile = 0;
        for (time_t end = time(NULL) + 4; time(NULL) < end; opens++) {
            /* Each transaction is a whole store: the open and the listing succeed, and every
             * listed scan iterates to its 400 records, unless a later transaction no longer
             * has it (dropped since the listing: ENOTFOUND, never a partial scan). */
            results_store_t *st = NULL;
            results_scan_info_t *list = NULL;
            size_t n = 0;
            int rc = results_open(dir, RESULTS_READONLY, &st);
            if (rc == 0)
                rc = results_scans_list(st, &list, &n);
            if (rc != 0 || n == 0) {
                printf("# open/list: %s\n", results_strerror(rc));
                bad++;
            }
            for (size_t i = 0; i < n; i++) {
                results_iter_t *it = NULL;
                const results_record_t *rec;
                long recs = 0;
                rc = results_iter_new(st, list[i].name, &it);
                if (rc == RESULTS_ENOTFOUND) {
                    dropped_meanwhile++;
                    continue;
                }
                while (rc == 0 && results_iter_next(it, &rec) == 1)
                    recs++;
                results_iter_free(it);
                if (rc != 0 || recs != 400) {
                    printf("# %s: %s, %ld records\n", list[i].name, results_strerror(rc), recs);
                    bad++;
                }
            }
            results_scans_free(list, n);
            results_close(st);
        }
        printf("# reader child: %u opens, %u inconsistent, %u scans dropped between listing and "
               "reading\n",
               opens, bad, dropped_meanwhile);

        fflush(stdout);
        _exit(bad == 0 && opens > 0 ? 0 : 1);
    }
    int prunes = 0, failed = 0;
    for (unsigned keep = 11; keep >= 1; keep--, prunes++) {
        results_prune_opts_t o = {.keep = keep};
        if (results_prune(dir, &o, NULL) != 0)
            failed++;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    is_int(failed, 0, "%d prunes ran while a process kept opening the store", prunes);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
       "every open saw a whole store (its scans with all their records)");
}

static void test_writer_holds_prune_off(void)
{
    char dir[1024], err[256] = "", names[1024];
    path(dir, sizeof dir, "writer");
    add_scans(dir, "w", 1, 3, 100, 0);
    int to_parent[2], to_child[2];
    if (pipe(to_parent) || pipe(to_child)) {
        ok(0, "pipe");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        results_store_t *st = NULL;
        char c = 'w';
        if (results_open(dir, 0, &st))
            _exit(10);
        if (write(to_parent[1], &c, 1) != 1 || read(to_child[0], &c, 1) != 1)
            _exit(11);
        results_close(st);
        _exit(0);
    }
    char c;
    ok(read(to_parent[0], &c, 1) == 1, "another process has the store open for writing");
    results_prune_opts_t o = {.keep = 1, .errbuf = err, .errbuf_size = sizeof err};
    is_int(results_prune(dir, &o, NULL), RESULTS_EINUSE, "prune is refused: EINUSE (%s)", err);
    store_summary(dir, names, sizeof names);
    is_str(names, "w1 w2 w3", "and the store is untouched");
    ok(write(to_child[1], "g", 1) == 1, "the writer closes");
    waitpid(pid, NULL, 0);
    is_int(results_prune(dir, &o, NULL), 0, "then prune runs");
    close(to_parent[0]);
    close(to_parent[1]);
    close(to_child[0]);
    close(to_child[1]);
}

static void test_leftover(void)
{
    char dir[1024], tmp[1100], file[1200], names[1024], err[256] = "";
    path(dir, sizeof dir, "leftover");
    add_scans(dir, "l", 1, 3, 100, 0);
    snprintf(tmp, sizeof tmp, "%s.prune", dir);
    /* What a prune killed during its copy leaves: a partial data.mdb. */
    mkdir(tmp, 0777);
    snprintf(file, sizeof file, "%s/data.mdb", tmp);
    FILE *f = fopen(file, "w");
    if (f) {
        fputs("partial", f);
        fclose(f);
    }
    results_prune_opts_t o = {.keep = 2, .errbuf = err, .errbuf_size = sizeof err};
    is_int(results_prune(dir, &o, NULL), 0, "prune over a killed prune's partial copy");
    ok(!path_exists(tmp), "the partial copy is gone");
    store_summary(dir, names, sizeof names);
    is_str(names, "l2 l3", "and the prune did its work");

    mkdir(tmp, 0777);
    snprintf(file, sizeof file, "%s/precious.txt", tmp);
    f = fopen(file, "w");
    if (f)
        fclose(f);
    o.keep = 1;
    is_int(results_prune(dir, &o, NULL), RESULTS_EINVAL,
           "a DIR.prune with someone else's file: EINVAL (%s)", err);
    ok(path_exists(file), "and that file is left alone");
    store_summary(dir, names, sizeof names);
    is_str(names, "l2 l3", "and the store is untouched");
}

int main(void)
{
    tmp_root = make_tmpdir();
    if (!tmp_root)
        return 1;
    test_keep();
    test_latest_finished_kept();
    test_before();
    test_bad_rules();
    test_reader_during_prune();
    test_readers_opening_during_prune();
    test_writer_holds_prune_off();
    test_leftover();
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        rm_tree(tmp_root);
    free(tmp_root);
    return tap_done();
}
