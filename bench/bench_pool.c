/*
 * Worker pool throughput: how many jobs per second go through submit -> run on a worker ->
 * notify -> bounded drain -> done on the owner's thread. Trivial jobs measure the pool's own
 * overhead (the ceiling it puts on the verification rate); "spin" jobs (a few microseconds of
 * arithmetic, a signature check's order of magnitude, no shared state) show the scaling.
 * (OpenSSL 3 one-shot calls such as SHA256() take a global lock per call and do not scale.)
 * Usage: bench_pool [jobs]
 */
#include "verify/verify.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHUNK 4096
#define DRAIN_MAX 1024

typedef struct wakeup {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool signalled;
} wakeup_t;

static void notify(void *arg)
{
    wakeup_t *w = arg;
    pthread_mutex_lock(&w->lock);
    w->signalled = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

static void wait_notify(wakeup_t *w)
{
    pthread_mutex_lock(&w->lock);
    while (!w->signalled)
        pthread_cond_wait(&w->cond, &w->lock);
    w->signalled = false;
    pthread_mutex_unlock(&w->lock);
}

static void run_trivial(void *arg)
{
    atomic_fetch_add_explicit((atomic_ulong *)arg, 1, memory_order_relaxed);
}

static void run_spin(void *arg)
{
    volatile uint64_t x = 88172645463325252u;
    for (int i = 0; i < 4000; i++)
        x = x ^ (x << 13) ^ (x >> 7) ^ (x << 17);
    run_trivial(arg);
}

static void done_trivial(void *arg)
{
    (void)arg;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(unsigned nthreads, size_t total, bool heavy)
{
    wakeup_t w = {.signalled = false};
    verify_pool_t *pool = NULL;
    atomic_ulong ran;
    verify_job_t *jobs = calloc(total, sizeof *jobs);
    size_t submitted = 0, completed = 0, drains = 0;

    if (!jobs)
        return -1;
    atomic_init(&ran, 0);
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    for (size_t i = 0; i < total; i++)
        jobs[i] = (verify_job_t){
            .run = heavy ? run_spin : run_trivial, .done = done_trivial, .arg = &ran};
    verify_pool_config_t cfg = {
        .nthreads = nthreads, .notify = notify, .notify_arg = &w, .max_pending = 4 * CHUNK};
    if (verify_pool_new(&cfg, &pool) != 0) {
        free(jobs);
        return -1;
    }
    double start = now();
    while (completed < total) {
        size_t room = verify_pool_room(pool);
        if (submitted < total && room >= CHUNK) {
            size_t n = total - submitted < CHUNK ? total - submitted : CHUNK;
            if (verify_pool_submit(pool, jobs + submitted, n) != 0)
                break;
            submitted += n;
            continue;
        }
        wait_notify(&w);
        completed += verify_pool_drain(pool, DRAIN_MAX);
        drains++;
    }
    double secs = now() - start;
    printf("%-7s threads=%u jobs=%zu seconds=%.3f jobs_per_second=%.0f drains=%zu ran=%lu\n",
           heavy ? "spin" : "trivial", nthreads, total, secs, (double)total / secs, drains,
           (unsigned long)atomic_load(&ran));
    verify_pool_free(pool);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    free(jobs);
    return 0;
}

int main(int argc, char **argv)
{
    size_t total = argc > 1 ? strtoull(argv[1], NULL, 10) : 2000000;
    for (unsigned n = 1; n <= 2; n++)
        if (bench(n, total, false) != 0)
            return 1;
    for (unsigned n = 1; n <= 2; n++)
        if (bench(n, total / 10, true) != 0)
            return 1;
    return 0;
}
