/*
 * The store under stress from other processes: kill -9 of a writer at several points, a full
 * disk, a reader iterating while a writer commits and grows the map, and a second process
 * trying to write a scan that is being written.
 */
#include "tests/tap.h"
#include "tests/unit/test_results_util.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char *tmp_root;

static char *path_in(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", tmp_root, name);
    return buf;
}

/* kill -9 of a writing process: every committed batch survives, nothing else appears. */
static void test_crash_resume(int round, unsigned delay_us)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/crash%d", tmp_root, round);
    int fds[2];
    if (pipe(fds) != 0) {
        ok(0, "pipe");
        return;
    }
    fflush(stdout); /* a child must not inherit (and repeat) buffered TAP lines */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        /* A tiny map: the kill may also land while the map grows. */
        results_options_t o = {.map_size = 64 << 10, .batch_records = 50, .batch_ms = 600000};
        results_store_t *st = NULL;
        results_scan_t *scan = NULL;
        if (results_open_ex(dir, 0, &o, &st) || results_scan_begin(st, "crash", NULL, NULL, &scan))
            _exit(2);
        for (unsigned i = 0; i < 2000000; i++) {
            if (put_synthetic(scan, i) != 0)
                _exit(3);
            if ((i + 1) % 50 == 0 && write(fds[1], &i, sizeof i) != sizeof i)
                _exit(4);
        }
        _exit(0);
    }
    close(fds[1]);
    unsigned last = 0;
    while (read(fds[0], &last, sizeof last) == sizeof last && last < 1500)
        ;
    usleep(delay_us);
    kill(pid, SIGKILL); /* at an arbitrary point of its loop, maybe mid-commit */
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "writer killed with SIGKILL (saw %u)",
       last);

    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    is_int(results_open(dir, 0, &st), 0, "reopen after the crash");
    is_int(results_scan_resume(st, NULL, &scan), 0, "resume the interrupted scan");
    uint64_t k = scan ? results_scan_stored(scan) : 0;
    ok(k >= 1500 && k % 50 == 0, "%llu records survived: whole batches only",
       (unsigned long long)k);

    results_iter_t *it = NULL;
    const results_record_t *rec;
    unsigned seen = 0, bad = 0;
    char want[32];
    results_iter_new(st, "crash", &it);
    while (results_iter_next(it, &rec) == 1) {
        domain_name(want, sizeof want, seen);
        if (strcmp(rec->domain, want) != 0 || rec->status != (verify_status_t)(seen % 6))
            bad++;
        seen++;
    }
    results_iter_free(it);
    ok(seen == k && bad == 0, "exactly the first %u domains are stored, no duplicates", seen);

    /* The resume skip pass. */
    unsigned skipped = 0;
    for (unsigned i = 0; i < k + 100; i++) {
        domain_name(want, sizeof want, i);
        if (results_has(scan, want) == 1)
            skipped++;
        else if (put_synthetic(scan, i) != 0)
            bad++;
    }
    is_int((int)skipped, (int)k, "has() says yes for exactly the committed domains");
    put_synthetic(scan, 0); /* a domain rescanned once more is not counted twice */
    uint64_t counts[VERIFY_STATUS_COUNT] = {0}, total = 0;
    is_int(results_scan_finish(scan, counts), 0, "finish the resumed scan");
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        total += counts[i];
    is_int((long long)total, (long long)k + 100, "final count = committed + new");
    results_close(st);
}

/* A file size limit makes writes fail like a full disk (EFBIG): the error is reported and every
 * batch committed before it is intact. */
static void test_disk_full(void)
{
    const char *dir = path_in("full");
    int fds[2];
    if (pipe(fds) != 0)
        return;
    fflush(stdout); /* a child must not inherit (and repeat) buffered TAP lines */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        signal(SIGXFSZ, SIG_IGN);
        results_options_t o = {.batch_records = 100, .batch_ms = 600000};
        results_store_t *st = NULL;
        results_scan_t *scan = NULL;
        if (results_open_ex(dir, 0, &o, &st) || results_scan_begin(st, "f", NULL, NULL, &scan))
            _exit(2);
        struct rlimit rl = {1 << 20, 1 << 20};
        setrlimit(RLIMIT_FSIZE, &rl);
        int rc = 0;
        unsigned committed = 0;
        for (unsigned i = 0; i < 1000000 && rc == 0; i++) {
            rc = put_synthetic(scan, i);
            if (rc == 0 && (i + 1) % 100 == 0)
                committed = i + 1;
        }
        /* LMDB reports the short write past the limit as EIO, or EFBIG when nothing fit. */
        const char *detail = results_errdetail(st);
        int detail_ok = strstr(detail, "mdb_txn_commit") &&
                        (strstr(detail, "File too large") || strstr(detail, "Input/output"));
        if (!detail_ok)
            fprintf(stderr, "errdetail: %s\n", detail);
        if (write(fds[1], &rc, sizeof rc) < 0 || write(fds[1], &committed, sizeof committed) < 0 ||
            write(fds[1], &detail_ok, sizeof detail_ok) < 0)
            _exit(3);
        _exit(0); /* like a scanner that gives up: no close, no finish */
    }
    close(fds[1]);
    int rc = 0, detail_ok = 0;
    unsigned committed = 0;
    if (read(fds[0], &rc, sizeof rc) != sizeof rc ||
        read(fds[0], &committed, sizeof committed) != sizeof committed ||
        read(fds[0], &detail_ok, sizeof detail_ok) != sizeof detail_ok)
        rc = 1;
    close(fds[0]);
    waitpid(pid, NULL, 0);
    ok(rc == RESULTS_ENOSPC || rc == RESULTS_EIO,
       "a write past the size limit fails with RESULTS_ENOSPC or RESULTS_EIO (%d)", rc);
    ok(detail_ok, "results_errdetail says what failed");
    results_store_t *st = NULL;
    results_scan_info_t info = {0};
    is_int(results_open(dir, RESULTS_READONLY, &st), 0, "the store still opens");
    results_scan_lookup(st, "f", &info);
    ok(committed > 0 && info.total == committed, "all %u committed records are there (%llu)",
       committed, (unsigned long long)info.total);
    results_scan_info_clear(&info);
    results_close(st);
}

/* Another process reads consistent snapshots while this one's child writes and grows the map. */
static void test_concurrent_reader(void)
{
    const char *dir = path_in("mvcc");
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    results_options_t o = {.map_size = 64 << 10, .batch_records = 100, .batch_ms = 600000};
    results_open_ex(dir, 0, &o, &st);
    results_scan_begin(st, "live", NULL, NULL, &scan);
    results_scan_close(scan);
    results_close(st);

    /* Halfway, the writer waits until the reader has seen a mid-scan snapshot, so the test
     * does not depend on how fast either side runs. */
    int go[2];
    if (pipe(go) != 0)
        return;
    fflush(stdout); /* a child must not inherit (and repeat) buffered TAP lines */
    pid_t pid = fork();
    if (pid == 0) {
        char byte;
        close(go[1]);
        if (results_open_ex(dir, 0, &o, &st) || results_scan_resume(st, "live", &scan))
            _exit(2);
        for (unsigned i = 0; i < 30000; i++) {
            if (put_synthetic(scan, i) != 0)
                _exit(3);
            if (i + 1 == 15000 && read(go[0], &byte, 1) != 1)
                _exit(5);
            if ((i + 1) % 100 == 0)
                usleep(200);
        }
        _exit(results_scan_finish(scan, NULL) == 0 ? 0 : 4);
    }
    int snapshots = 0, intermediate = 0, inconsistent = 0, errors = 0;
    uint64_t prev = 0;
    if (results_open(dir, RESULTS_READONLY, &st) != 0)
        errors++;
    for (int round = 0; st && round < 100000; round++) {
        results_iter_t *it = NULL;
        const results_record_t *rec;
        uint64_t n = 0;
        int rc;
        if (results_iter_new(st, "live", &it) != 0) {
            errors++;
            break;
        }
        while ((rc = results_iter_next(it, &rec)) == 1)
            n++;
        results_iter_free(it);
        if (rc < 0)
            errors++;
        snapshots++;
        if (n % 100 != 0 || n < prev)
            inconsistent++;
        if (n > 0 && n < 30000 && intermediate++ == 0 && write(go[1], "g", 1) != 1)
            errors++;
        prev = n;
        if (n == 30000)
            break;
    }
    results_close(st);
    close(go[0]);
    close(go[1]); /* a writer still waiting gets EOF and stops */
    int status = 0;
    waitpid(pid, &status, 0);
    is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "writer finished its 30000 records");
    is_int(errors, 0, "reader saw no errors while the map grew");
    is_int(inconsistent, 0, "every snapshot held whole batches, never fewer than before");
    ok(intermediate > 0, "%d of %d snapshots were taken mid-scan", intermediate, snapshots);
    is_int((int)prev, 30000, "last snapshot holds everything");
}

/* A scan being written by a live process cannot be resumed or deleted elsewhere; once that
 * process is killed, it can. */
static void test_busy(void)
{
    const char *dir = path_in("busy");
    int fds[2];
    char byte = 0;
    if (pipe(fds) != 0)
        return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        results_store_t *st = NULL;
        results_scan_t *scan = NULL;
        close(fds[0]);
        if (results_open(dir, 0, &st) || results_scan_begin(st, "busy", NULL, NULL, &scan) ||
            put_synthetic(scan, 1) || results_flush(scan) || write(fds[1], "r", 1) != 1)
            _exit(2);
        sleep(60); /* until killed */
        _exit(0);
    }
    close(fds[1]);
    ok(read(fds[0], &byte, 1) == 1 && byte == 'r', "writer running");
    close(fds[0]);
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    results_open(dir, 0, &st);
    is_int(results_scan_resume(st, "busy", &scan), RESULTS_EBUSY,
           "resume of a scan another process writes: RESULTS_EBUSY");
    is_int(results_scan_resume(st, NULL, &scan), RESULTS_EBUSY, "also as the latest unfinished");
    is_int(results_scan_delete(st, "busy", NULL), RESULTS_EBUSY, "delete refused too");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    is_int(results_scan_resume(st, "busy", &scan), 0, "resumable once the writer is gone");
    is_int((int)(scan ? results_scan_stored(scan) : 0), 1, "its committed record is there");
    results_scan_close(scan);
    results_close(st);
}

int main(void)
{
    alarm(300); /* bounded: a hung child or loop fails the test */
    tmp_root = make_tmpdir();
    if (!tmp_root)
        return 1;
    /* Different kill points: right away, and after a few and after many more commits. */
    test_crash_resume(0, 0);
    test_crash_resume(1, 3000);
    test_crash_resume(2, 40000);
    test_disk_full();
    test_concurrent_reader();
    test_busy();
    rm_tree(tmp_root);
    free(tmp_root);
    return tap_done();
}
