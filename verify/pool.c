/*
 * The verification worker pool: N pthreads take jobs from one queue in batches and hand them
 * back through a completion list that the owner's thread drains.
 *
 * Two locks, so that the owner draining completions never waits for a worker taking work:
 * - queue_lock guards the job queue, the idle count and the shutdown flag (owner + workers);
 * - done_lock guards the shared completion list (workers + owner).
 * A worker takes up to WORKER_BATCH_MAX jobs per lock and publishes all of them in one more
 * lock, so with small jobs the cost is two lock round trips per batch, not per job.
 * The pending count and the "ready" list (completions already taken from the shared list but
 * beyond the drain bound) belong to the owner's thread alone and need no lock.
 * Jobs carry their own list link, so the pool allocates nothing after verify_pool_new().
 */
#include "verify/internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Enough to make locking negligible next to even trivial jobs, small enough that one worker
 * does not hoard a burst of expensive jobs while the others idle. */
#define WORKER_BATCH_MAX 64
#define POOL_THREADS_MAX 256

struct verify_pool {
    verify_pool_config_t cfg;
    unsigned nthreads;
    unsigned started;
    pthread_t *threads;

    pthread_mutex_t queue_lock;
    pthread_cond_t queue_cond;
    verify_job_t *queue_head, *queue_tail;
    size_t queued;
    unsigned idle;
    bool stopping;
    /* Mirrors stopping for the lock-free check before notify(). */
    atomic_bool quiet;

    pthread_mutex_t done_lock;
    verify_job_t *done_head, *done_tail;

    /* Owner's thread only. */
    verify_job_t *ready_head, *ready_tail;
    size_t pending;
};

/* Takes a batch under queue_lock (held by the caller): a fair share of what is queued. */
static verify_job_t *take_batch(verify_pool_t *pool, verify_job_t **tail, size_t *count)
{
    size_t want = pool->queued / pool->nthreads;
    verify_job_t *head = pool->queue_head, *last = head;

    if (want < 1)
        want = 1;
    if (want > WORKER_BATCH_MAX)
        want = WORKER_BATCH_MAX;
    *count = 1;
    while (*count < want && last->pool_next_) {
        last = last->pool_next_;
        (*count)++;
    }
    pool->queue_head = last->pool_next_;
    if (!pool->queue_head)
        pool->queue_tail = NULL;
    pool->queued -= *count;
    last->pool_next_ = NULL;
    *tail = last;
    return head;
}

static void publish(verify_pool_t *pool, verify_job_t *head, verify_job_t *tail)
{
    bool was_empty;

    pthread_mutex_lock(&pool->done_lock);
    was_empty = pool->done_head == NULL;
    if (was_empty)
        pool->done_head = head;
    else
        pool->done_tail->pool_next_ = head;
    pool->done_tail = tail;
    pthread_mutex_unlock(&pool->done_lock);
    /* Only the push onto an empty list needs a wake-up: a non-empty list already has one
     * outstanding, which the drain that empties it will consume. */
    if (was_empty && pool->cfg.notify && !atomic_load_explicit(&pool->quiet, memory_order_relaxed))
        pool->cfg.notify(pool->cfg.notify_arg);
}

static void *worker_main(void *arg)
{
    verify_pool_t *pool = arg;

    pthread_mutex_lock(&pool->queue_lock);
    for (;;) {
        verify_job_t *head, *tail;
        size_t count;

        while (!pool->queue_head && !pool->stopping) {
            pool->idle++;
            pthread_cond_wait(&pool->queue_cond, &pool->queue_lock);
            pool->idle--;
        }
        if (!pool->queue_head)
            break; /* stopping, and every queued job has been taken */
        head = take_batch(pool, &tail, &count);
        pthread_mutex_unlock(&pool->queue_lock);

        for (verify_job_t *j = head; j; j = j->pool_next_)
            j->run(j->arg);
        publish(pool, head, tail);

        pthread_mutex_lock(&pool->queue_lock);
    }
    pthread_mutex_unlock(&pool->queue_lock);
    return NULL;
}

static void stop_threads(verify_pool_t *pool)
{
    pthread_mutex_lock(&pool->queue_lock);
    pool->stopping = true;
    atomic_store(&pool->quiet, true);
    pthread_cond_broadcast(&pool->queue_cond);
    pthread_mutex_unlock(&pool->queue_lock);
    for (unsigned i = 0; i < pool->started; i++)
        pthread_join(pool->threads[i], NULL);
    pool->started = 0;
}

int verify_pool_new(const verify_pool_config_t *cfg, verify_pool_t **out)
{
    verify_pool_t *pool = NULL;
    bool queue_lock = false, queue_cond = false, done_lock = false;

    if (!cfg || !out)
        return VERIFY_EINVAL;
    *out = NULL;
    pool = calloc(1, sizeof *pool);
    if (!pool)
        goto fail;
    pool->cfg = *cfg;
    pool->nthreads = cfg->nthreads;
    if (pool->nthreads == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        pool->nthreads = online > 0 ? (unsigned)online : 1;
    }
    if (pool->nthreads > POOL_THREADS_MAX)
        pool->nthreads = POOL_THREADS_MAX;
    atomic_init(&pool->quiet, false);
    pool->threads = calloc(pool->nthreads, sizeof *pool->threads);
    if (!pool->threads)
        goto fail;
    if (pthread_mutex_init(&pool->queue_lock, NULL) != 0)
        goto fail;
    queue_lock = true;
    if (pthread_cond_init(&pool->queue_cond, NULL) != 0)
        goto fail;
    queue_cond = true;
    if (pthread_mutex_init(&pool->done_lock, NULL) != 0)
        goto fail;
    done_lock = true;
    for (; pool->started < pool->nthreads; pool->started++)
        if (pthread_create(&pool->threads[pool->started], NULL, worker_main, pool) != 0)
            goto fail;
    *out = pool;
    return VERIFY_OK;

fail:
    if (pool) {
        if (pool->started)
            stop_threads(pool);
        if (done_lock)
            pthread_mutex_destroy(&pool->done_lock);
        if (queue_cond)
            pthread_cond_destroy(&pool->queue_cond);
        if (queue_lock)
            pthread_mutex_destroy(&pool->queue_lock);
        free(pool->threads);
        free(pool);
    }
    return VERIFY_ENOMEM;
}

/* Appends an already linked chain of n jobs and wakes as many idle workers as it can use. */
static void enqueue(verify_pool_t *pool, verify_job_t *head, verify_job_t *tail, size_t n)
{
    pool->pending += n;
    pthread_mutex_lock(&pool->queue_lock);
    if (pool->queue_tail)
        pool->queue_tail->pool_next_ = head;
    else
        pool->queue_head = head;
    pool->queue_tail = tail;
    pool->queued += n;
    if (pool->idle > 0) {
        if (n >= pool->idle)
            pthread_cond_broadcast(&pool->queue_cond);
        else
            for (size_t i = 0; i < n; i++)
                pthread_cond_signal(&pool->queue_cond);
    }
    pthread_mutex_unlock(&pool->queue_lock);
}

size_t verify_pool_room(const verify_pool_t *pool)
{
    if (!pool)
        return 0;
    if (pool->cfg.max_pending == 0)
        return SIZE_MAX;
    return pool->pending >= pool->cfg.max_pending ? 0 : pool->cfg.max_pending - pool->pending;
}

/* Shutdown has begun (verify_pool_free() is running done() callbacks): no new work. */
static bool closed(const verify_pool_t *pool)
{
    return atomic_load(&pool->quiet);
}

int verify_pool_submit(verify_pool_t *pool, verify_job_t *jobs, size_t n)
{
    if (!pool || (n > 0 && !jobs) || n > verify_pool_room(pool) || closed(pool))
        return VERIFY_EINVAL;
    if (n == 0)
        return VERIFY_OK;
    for (size_t i = 0; i < n; i++)
        if (!jobs[i].run)
            return VERIFY_EINVAL;
    for (size_t i = 0; i + 1 < n; i++)
        jobs[i].pool_next_ = &jobs[i + 1];
    jobs[n - 1].pool_next_ = NULL;
    enqueue(pool, &jobs[0], &jobs[n - 1], n);
    return VERIFY_OK;
}

int verify_pool_submit_ptrs(verify_pool_t *pool, verify_job_t *const *jobs, size_t n)
{
    if (!pool || (n > 0 && !jobs) || n > verify_pool_room(pool) || closed(pool))
        return VERIFY_EINVAL;
    if (n == 0)
        return VERIFY_OK;
    for (size_t i = 0; i < n; i++)
        if (!jobs[i] || !jobs[i]->run)
            return VERIFY_EINVAL;
    for (size_t i = 0; i + 1 < n; i++)
        jobs[i]->pool_next_ = jobs[i + 1];
    jobs[n - 1]->pool_next_ = NULL;
    enqueue(pool, jobs[0], jobs[n - 1], n);
    return VERIFY_OK;
}

/* Moves the shared completion list to the owner's ready list (one lock for all of them). */
static void collect(verify_pool_t *pool)
{
    verify_job_t *head, *tail;

    pthread_mutex_lock(&pool->done_lock);
    head = pool->done_head;
    tail = pool->done_tail;
    pool->done_head = pool->done_tail = NULL;
    pthread_mutex_unlock(&pool->done_lock);
    if (!head)
        return;
    if (pool->ready_tail)
        pool->ready_tail->pool_next_ = head;
    else
        pool->ready_head = head;
    pool->ready_tail = tail;
}

size_t verify_pool_drain(verify_pool_t *pool, size_t max)
{
    size_t ran = 0;

    if (!pool)
        return 0;
    /* Always collect: a completion left in the shared list would never notify again (only a
     * push onto an empty list does). */
    collect(pool);
    while (ran < max && pool->ready_head) {
        verify_job_t *j = pool->ready_head;
        /* Unlink before done(): done() may free the job or submit it again. */
        pool->ready_head = j->pool_next_;
        if (!pool->ready_head)
            pool->ready_tail = NULL;
        j->pool_next_ = NULL;
        pool->pending--;
        ran++;
        if (j->done)
            j->done(j->arg);
    }
    /* Work left behind by the bound: ask for another turn of the owner's loop. Completions
     * published after collect() found the shared list empty and have notified already. */
    if (pool->ready_head && pool->cfg.notify && !atomic_load(&pool->quiet))
        pool->cfg.notify(pool->cfg.notify_arg);
    return ran;
}

size_t verify_pool_pending(const verify_pool_t *pool)
{
    return pool ? pool->pending : 0;
}

unsigned verify_pool_threads(const verify_pool_t *pool)
{
    return pool ? pool->nthreads : 0;
}

void verify_pool_free(verify_pool_t *pool)
{
    if (!pool)
        return;
    /* Workers leave only once the queue is empty, so every submitted job has run. */
    stop_threads(pool);
    verify_pool_drain(pool, SIZE_MAX); /* done() cannot add work: submit refuses now */
    pthread_mutex_destroy(&pool->done_lock);
    pthread_cond_destroy(&pool->queue_cond);
    pthread_mutex_destroy(&pool->queue_lock);
    free(pool->threads);
    free(pool);
}
