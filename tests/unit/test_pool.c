/*
 * The worker pool: 100,000 tiny jobs plus SHA-256 heavy jobs over 1..4 threads, driven the
 * way the event loop will drive it (wait for notify(), drain a bounded number, repeat).
 * Checks: every job runs exactly once on a worker thread and completes exactly once on the
 * owner's thread, after its run; drain never exceeds its bound; notify() is what keeps the loop
 * going (a lost wake-up would time the test out); the pending bound; shutdown with undrained
 * work; done() resubmitting its own job. Built under ThreadSanitizer by the tsan preset.
 */
#include "tests/tap.h"
#include "verify/verify.h"

#include <errno.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#define TINY_JOBS 100000
#define HEAVY_JOBS 64
#define HEAVY_BYTES (64 * 1024)
#define HEAVY_ROUNDS 8
#define DRAIN_MAX 97
#define MAX_PENDING 4096
#define WAIT_SECONDS 30

/* A stand-in for uv_async_t: a flag and a condition variable, with a count of calls. */
typedef struct wakeup {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool signalled;
    atomic_ulong calls;
} wakeup_t;

static void notify(void *arg)
{
    wakeup_t *w = arg;
    atomic_fetch_add(&w->calls, 1);
    pthread_mutex_lock(&w->lock);
    w->signalled = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

/* Waits for a notify; false after WAIT_SECONDS without one (a lost wake-up). */
static bool wait_notify(wakeup_t *w)
{
    struct timespec deadline;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_SECONDS;
    pthread_mutex_lock(&w->lock);
    while (!w->signalled && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->cond, &w->lock, &deadline);
    bool got = w->signalled;
    w->signalled = false;
    pthread_mutex_unlock(&w->lock);
    return got;
}

typedef struct task {
    verify_job_t job;
    atomic_int runs;
    atomic_int ran_on_owner; /* run() was called on the owner's thread */
    int dones;               /* owner's thread only */
    int done_off_owner;
    int done_before_run;
    const uint8_t *input; /* heavy jobs: hash input */
    uint8_t digest[SHA256_DIGEST_LENGTH];
    int resubmit; /* done() submits the job again this many times */
    verify_pool_t *pool;
} task_t;

static pthread_t owner;

static void run_tiny(void *arg)
{
    task_t *t = arg;
    atomic_fetch_add(&t->runs, 1);
    if (pthread_equal(pthread_self(), owner))
        atomic_fetch_add(&t->ran_on_owner, 1);
}

static void run_heavy(void *arg)
{
    task_t *t = arg;
    uint8_t buf[SHA256_DIGEST_LENGTH];
    SHA256(t->input, HEAVY_BYTES, buf);
    for (int i = 1; i < HEAVY_ROUNDS; i++)
        SHA256(buf, sizeof buf, buf);
    memcpy(t->digest, buf, sizeof buf);
    run_tiny(arg);
}

static void done_task(void *arg)
{
    task_t *t = arg;
    t->dones++;
    if (!pthread_equal(pthread_self(), owner))
        t->done_off_owner++;
    if (atomic_load(&t->runs) < t->dones)
        t->done_before_run++;
    if (t->resubmit > 0 && verify_pool_submit(t->pool, &t->job, 1) == 0)
        t->resubmit--;
}

static void init_task(task_t *t, void (*run)(void *), verify_pool_t *pool)
{
    memset(t, 0, sizeof *t);
    atomic_init(&t->runs, 0);
    atomic_init(&t->ran_on_owner, 0);
    t->job.run = run;
    t->job.done = done_task;
    t->job.arg = t;
    t->pool = pool;
}

static void expected_heavy(const uint8_t *input, uint8_t out[SHA256_DIGEST_LENGTH])
{
    SHA256(input, HEAVY_BYTES, out);
    for (int i = 1; i < HEAVY_ROUNDS; i++)
        SHA256(out, SHA256_DIGEST_LENGTH, out);
}

static void many_jobs(unsigned nthreads)
{
    wakeup_t w = {.signalled = false};
    verify_pool_t *pool = NULL;
    size_t total = TINY_JOBS + HEAVY_JOBS, submitted = 0, completed = 0, over_bound = 0;
    size_t max_seen_pending = 0, wakeups_lost = 0;
    task_t *tasks = calloc(total, sizeof *tasks);
    uint8_t *input = malloc(HEAVY_BYTES);

    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    atomic_init(&w.calls, 0);
    for (size_t i = 0; i < HEAVY_BYTES; i++)
        input[i] = (uint8_t)(i * 131 + 7);

    verify_pool_config_t cfg = {
        .nthreads = nthreads, .notify = notify, .notify_arg = &w, .max_pending = MAX_PENDING};
    is_int(verify_pool_new(&cfg, &pool), 0, "[%u threads] pool created", nthreads);
    is_int(verify_pool_threads(pool), nthreads, "[%u threads] thread count", nthreads);

    /* Heavy jobs interleaved: every 1563rd slot. */
    for (size_t i = 0; i < total; i++) {
        bool heavy = i % (total / HEAVY_JOBS) == 0 && i / (total / HEAVY_JOBS) < HEAVY_JOBS;
        init_task(&tasks[i], heavy ? run_heavy : run_tiny, pool);
        if (heavy)
            tasks[i].input = input;
    }

    while (completed < total) {
        /* Submit in contiguous chunks as room allows, like the scanner feeding work. */
        size_t room = verify_pool_room(pool);
        if (room > 0 && submitted < total) {
            size_t n = total - submitted < room ? total - submitted : room;
            if (n > 1000)
                n = 1000;
            /* The job array is the embedded field of each task: use the pointer variant. */
            verify_job_t *ptrs[1000];
            for (size_t i = 0; i < n; i++)
                ptrs[i] = &tasks[submitted + i].job;
            if (verify_pool_submit_ptrs(pool, ptrs, n) != 0)
                break;
            submitted += n;
            if (verify_pool_pending(pool) > max_seen_pending)
                max_seen_pending = verify_pool_pending(pool);
            continue;
        }
        if (!wait_notify(&w)) {
            wakeups_lost++;
            break;
        }
        size_t got = verify_pool_drain(pool, DRAIN_MAX);
        if (got > DRAIN_MAX)
            over_bound++;
        completed += got;
    }
    is_int(wakeups_lost, 0, "[%u threads] no lost wake-up: notify kept the loop going", nthreads);
    is_int(completed, total, "[%u threads] %zu jobs completed", nthreads, total);
    is_int(over_bound, 0, "[%u threads] drain never exceeded its bound of %d", nthreads, DRAIN_MAX);
    ok(max_seen_pending <= MAX_PENDING, "[%u threads] pending never above %d (max %zu)", nthreads,
       MAX_PENDING, max_seen_pending);
    is_int(verify_pool_pending(pool), 0, "[%u threads] nothing pending at the end", nthreads);
    ok(atomic_load(&w.calls) > 0, "[%u threads] notify called (%lu times)", nthreads,
       (unsigned long)atomic_load(&w.calls));

    size_t bad_runs = 0, bad_dones = 0, on_owner = 0, off_owner = 0, early = 0, bad_digest = 0;
    uint8_t want[SHA256_DIGEST_LENGTH];
    expected_heavy(input, want);
    for (size_t i = 0; i < total; i++) {
        bad_runs += atomic_load(&tasks[i].runs) != 1;
        bad_dones += tasks[i].dones != 1;
        on_owner += (size_t)atomic_load(&tasks[i].ran_on_owner);
        off_owner += (size_t)tasks[i].done_off_owner;
        early += (size_t)tasks[i].done_before_run;
        if (tasks[i].input)
            bad_digest += memcmp(tasks[i].digest, want, sizeof want) != 0;
    }
    is_int(bad_runs, 0, "[%u threads] every job ran exactly once", nthreads);
    is_int(bad_dones, 0, "[%u threads] every job completed exactly once", nthreads);
    is_int(on_owner, 0, "[%u threads] no run() on the owner's thread", nthreads);
    is_int(off_owner, 0, "[%u threads] every done() on the owner's thread", nthreads);
    is_int(early, 0, "[%u threads] no done() before its run()", nthreads);
    is_int(bad_digest, 0, "[%u threads] heavy SHA-256 jobs computed the right digest", nthreads);

    verify_pool_free(pool);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    free(input);
    free(tasks);
}

static void bounds_and_errors(void)
{
    verify_pool_t *pool = NULL;
    task_t tasks[8];
    verify_pool_config_t cfg = {.nthreads = 2, .max_pending = 4};

    is_int(verify_pool_new(NULL, &pool), VERIFY_EINVAL, "NULL config rejected");
    is_int(verify_pool_new(&cfg, &pool), 0, "pool without notify (polling owner)");
    for (int i = 0; i < 8; i++) {
        init_task(&tasks[i], run_tiny, pool);
        tasks[i].job.done = done_task;
    }
    verify_job_t contiguous[5];
    for (int i = 0; i < 5; i++)
        contiguous[i] = (verify_job_t){.run = run_tiny, .done = done_task, .arg = &tasks[i]};
    is_int(verify_pool_submit(pool, contiguous, 5), VERIFY_EINVAL,
           "5 jobs over a bound of 4 refused");
    is_int(verify_pool_pending(pool), 0, "refused submit queued nothing");
    contiguous[1].run = NULL;
    is_int(verify_pool_submit(pool, contiguous, 3), VERIFY_EINVAL, "job without run() refused");
    contiguous[1].run = run_tiny;
    is_int(verify_pool_submit(pool, contiguous, 4), 0, "4 contiguous jobs accepted");
    is_int(verify_pool_room(pool), 0, "no room left");
    is_int(verify_pool_submit(pool, contiguous + 4, 1), VERIFY_EINVAL, "a fifth refused");
    is_int(verify_pool_submit(pool, NULL, 0), 0, "empty submit is fine");

    /* Poll: no notify configured. */
    size_t got = 0;
    for (int spins = 0; got < 4 && spins < 100000; spins++) {
        got += verify_pool_drain(pool, 1);
        if (got < 4)
            sched_yield();
    }
    is_int(got, 4, "polling drain with max 1 collected all 4");
    is_int(verify_pool_room(pool), 4, "room back to 4");
    int all_once = 1;
    for (int i = 0; i < 4; i++)
        all_once &= atomic_load(&tasks[i].runs) == 1 && tasks[i].dones == 1;
    ok(all_once, "each of the 4 ran and completed once");

    /* done() resubmitting its own job (reusing the verify_job_t). */
    tasks[5].resubmit = 3;
    verify_job_t *one = &tasks[5].job;
    is_int(verify_pool_submit_ptrs(pool, &one, 1), 0, "self-resubmitting job accepted");
    for (int spins = 0; tasks[5].dones < 4 && spins < 1000000; spins++)
        if (verify_pool_drain(pool, 8) == 0)
            sched_yield();
    is_int(atomic_load(&tasks[5].runs), 4, "resubmitted job ran 4 times");
    is_int(tasks[5].dones, 4, "and completed 4 times");

    /* Shutdown with undrained work: free() runs every done(). */
    tasks[6].resubmit = 5; /* resubmission during free() is refused */
    verify_job_t *two[2] = {&tasks[6].job, &tasks[7].job};
    is_int(verify_pool_submit_ptrs(pool, two, 2), 0, "two jobs left undrained");
    verify_pool_free(pool);
    is_int(atomic_load(&tasks[6].runs), 1, "free() finished the queued job 6");
    is_int(tasks[6].dones, 1, "free() completed job 6 once; its resubmission was refused");
    is_int(tasks[7].dones, 1, "free() completed job 7 once");
    verify_pool_free(NULL);
    ok(1, "verify_pool_free(NULL) is a no-op");

    verify_pool_config_t any = {.nthreads = 0};
    is_int(verify_pool_new(&any, &pool), 0, "nthreads 0 accepted");
    ok(verify_pool_threads(pool) >= 1, "nthreads 0 means online CPUs (%u)",
       verify_pool_threads(pool));
    is_int(verify_pool_room(pool), SIZE_MAX, "no bound: unlimited room");
    verify_pool_free(pool);
}

int main(void)
{
    owner = pthread_self();
    bounds_and_errors();
    for (unsigned n = 1; n <= 4; n++)
        many_jobs(n);
    return tap_done();
}
