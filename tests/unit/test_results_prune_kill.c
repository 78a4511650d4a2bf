/*
 * kill -9 of a prune at random moments. A child prunes a store of 16 scans down to 3 and is
 * killed: after a random delay, or once the compacting copy (DIR.prune/data.mdb) appears, or
 * once it has grown. After every kill the store opens and holds either all 16 scans or exactly
 * the 3 kept ones, each with all its records; then a prune runs to its end over the leftovers.
 * The seed is printed; DNSSWEEP_TEST_SEED replays a run.
 */
#include "tests/tap.h"
#include "tests/unit/test_results_prune_util.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

enum { SCANS = 16, RECORDS = 2500, KEEP = 3, ROUNDS = 24 };

static const char all_names[] = "s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 s12 s13 s14 s15 s16";
static const char kept_names[] = "s14 s15 s16";

static uint64_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

static pid_t start_prune(const char *dir)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        results_prune_opts_t o = {.keep = KEEP};
        _exit(results_prune(dir, &o, NULL) == 0 ? 0 : 1);
    }
    return pid;
}

static long long tmp_size(const char *tmp)
{
    return data_size(tmp);
}

/* One kill point. how: 0 random delay, 1 when the copy appears, 2 once the copy has grown,
 * 3 a few ms after the start (before or around the deletion). compact: the size of data.mdb
 * after an uninterrupted prune. */
static int kill_round(int round, const char *pristine, long long full_us, long long compact)
{
    char dir[1100], tmp[1200], from[1200], to[1200], names[1024];
    snprintf(dir, sizeof dir, "%s-k%d", pristine, round);
    snprintf(tmp, sizeof tmp, "%s.prune", dir);
    mkdir(dir, 0777);
    snprintf(from, sizeof from, "%s/data.mdb", pristine);
    snprintf(to, sizeof to, "%s/data.mdb", dir);
    if (copy_file(from, to) != 0) {
        ok(0, "copy the pristine store");
        return -1;
    }
    int how = (int)(rng() % 4);
    long long delay = full_us > 0 ? (long long)(rng() % (uint32_t)(full_us + full_us / 4)) : 0;
    pid_t pid = start_prune(dir);
    long long t0 = now_us(), deadline = t0 + 20 * 1000000LL;
    const char *what = "after a random delay";
    if (how == 3) {
        what = "right after it starts";
        delay = (long long)(rng() % 4000);
    }
    if (how == 1 || how == 2) {
        what = how == 1 ? "once DIR.prune/data.mdb appears" : "once the copy has grown";
        delay = how == 1 ? (long long)(rng() % 2000) : (long long)(rng() % 4000);
        while (now_us() < deadline && waitpid(pid, NULL, WNOHANG) == 0 &&
               (how == 1 ? tmp_size(tmp) < 0 : tmp_size(tmp) < 64 * 1024))
            ;
    }
    usleep((useconds_t)delay);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    int killed = WIFSIGNALED(status);
    long recs = store_summary(dir, names, sizeof names);
    bool old_state = strcmp(names, all_names) == 0 && recs == (long)SCANS * RECORDS;
    bool new_state = strcmp(names, kept_names) == 0 && recs == (long)KEEP * RECORDS;
    ok(old_state || new_state,
       "round %d: %s (+%lld us, %s): the store opens and holds %s (%ld records)", round, what,
       delay, killed ? "killed" : "had finished", old_state ? "all old scans" : "the kept ones",
       recs);
    if (!old_state && !new_state)
        printf("#   scans: '%s'\n", names);
    results_prune_opts_t o = {.keep = KEEP};
    results_prune_report_t r;
    int rc = results_prune(dir, &o, &r);
    recs = store_summary(dir, names, sizeof names);
    long long size = data_size(dir);
    ok(rc == 0 && strcmp(names, kept_names) == 0 && recs == (long)KEEP * RECORDS &&
           !path_exists(tmp) && size <= compact + compact / 10,
       "round %d: a prune then finishes the work (%s) and leaves no DIR.prune; data.mdb %lld "
       "bytes (uninterrupted: %lld)",
       round, names, size, compact);
    results_prune_report_clear(&r);
    return old_state ? 0 : new_state ? 1 : -1;
}

int main(void)
{
    const char *seed_env = getenv("DNSSWEEP_TEST_SEED");
    uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 20260611;
    rng_state = seed;
    printf("# seed %llu (DNSSWEEP_TEST_SEED=%llu replays this run)\n", (unsigned long long)seed,
           (unsigned long long)seed);
    char *root = make_tmpdir();
    if (!root)
        return 1;
    char pristine[1024], calib[1100], from[1200], to[1200], names[1024];
    snprintf(pristine, sizeof pristine, "%s/store", root);
    is_int(add_scans(pristine, "s", 1, SCANS, RECORDS, 0), 0, "store of %d scans x %d records",
           SCANS, RECORDS);
    long recs = store_summary(pristine, names, sizeof names);
    is_str(names, all_names, "it lists them all");
    is_int(recs, (long)SCANS * RECORDS, "with all their records");

    /* How long an uninterrupted prune takes here: random delays fall within it. */
    snprintf(calib, sizeof calib, "%s-calibrate", pristine);
    mkdir(calib, 0777);
    snprintf(from, sizeof from, "%s/data.mdb", pristine);
    snprintf(to, sizeof to, "%s/data.mdb", calib);
    copy_file(from, to);
    long long t0 = now_us();
    pid_t pid = start_prune(calib);
    int status = 0;
    waitpid(pid, &status, 0);
    long long full_us = now_us() - t0;
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "an uninterrupted prune takes %lld us",
       full_us);

    long long compact = data_size(calib);
    printf("# data.mdb: %lld bytes before, %lld after an uninterrupted prune\n",
           data_size(pristine), compact);
    int outcome[3] = {0};
    for (int round = 0; round < ROUNDS; round++)
        outcome[kill_round(round, pristine, full_us, compact) + 1]++;
    printf("# %d kill points: %d left every old scan, %d exactly the kept ones, %d neither\n",
           ROUNDS, outcome[1], outcome[2], outcome[0]);

    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        rm_tree(root);
    free(root);
    return tap_done();
}
