/*
 * verify/pool.h: the worker pool that runs verification jobs off the event loop. Knows nothing
 * of DNS, ldns or libuv.
 */
#ifndef DNSSWEEP_VERIFY_POOL_H
#define DNSSWEEP_VERIFY_POOL_H

#include <stddef.h>

/*
 * A fixed set of pthreads running verification jobs in batches, handing completions back to
 * the owner's thread (the event loop) without knowing about libuv: the pool calls notify()
 * from a worker when completions are ready (the owner does uv_async_send() there) and the
 * owner calls verify_pool_drain() from its async callback to run the jobs' done() callbacks.
 *
 * Threading: verify_pool_submit*, verify_pool_drain, verify_pool_pending and verify_pool_free
 * must all be called from one thread, the owner's. run() is called on a worker thread, done()
 * on the owner's thread inside verify_pool_drain() (or verify_pool_free()). Each job's run()
 * happens-before its done(). Jobs are run in no particular order.
 */
typedef struct verify_pool verify_pool_t;

/*
 * One job. Storage is the caller's (embed it in the per-domain struct: the pool allocates
 * nothing per job) and must stay valid and untouched from submit until done() has been called.
 */
typedef struct verify_job {
    void (*run)(void *arg);  /* on a worker thread; required; must not call the pool */
    void (*done)(void *arg); /* on the owner's thread; may be NULL */
    void *arg;
    struct verify_job *pool_next_; /* private to the pool: intrusive list link */
} verify_job_t;

typedef struct verify_pool_config {
    unsigned nthreads; /* worker threads; 0 = online CPUs */
    /* Called when completions become available: from a worker thread, and from the owner's
     * thread inside verify_pool_drain() when completions remain beyond its max. Calls are
     * coalesced (one call may stand for many completions) and it must not call back into the
     * pool. May be NULL (then the owner polls drain). notify_arg must stay valid until
     * verify_pool_free() returns. */
    void (*notify)(void *notify_arg);
    void *notify_arg;
    /* Bound on pending jobs (submitted, done() not yet called); 0 = unbounded. */
    size_t max_pending;
} verify_pool_config_t;

/* Starts the threads. On success *out is the caller's, to release with verify_pool_free().
 * Returns 0, VERIFY_EINVAL (NULL argument) or VERIFY_ENOMEM (no memory, or a thread could not
 * be started; nothing is left running). cfg is copied. */
int verify_pool_new(const verify_pool_config_t *cfg, verify_pool_t **out);

/* Queues the n contiguous jobs jobs[0..n-1] with one lock. All or nothing: returns 0, or
 * VERIFY_EINVAL (NULL pool, a job without run, the pending bound would be exceeded: check
 * verify_pool_room() first; or called from a done() run by verify_pool_free()). */
int verify_pool_submit(verify_pool_t *pool, verify_job_t *jobs, size_t n);

/* Same for n jobs scattered in memory (e.g. embedded in per-domain structs). */
int verify_pool_submit_ptrs(verify_pool_t *pool, verify_job_t *const *jobs, size_t n);

/* Runs done() for up to max completed jobs on the calling (owner's) thread and returns how
 * many it ran. When more completions remain it calls notify() once before returning, so a
 * bounded drain per loop callback never strands work. done() may submit new jobs (even reuse
 * its own verify_job_t) but must not call verify_pool_drain() or verify_pool_free(). */
size_t verify_pool_drain(verify_pool_t *pool, size_t max);

/* Jobs submitted whose done() has not run yet (queued, running or completed). */
size_t verify_pool_pending(const verify_pool_t *pool);

/* How many more jobs verify_pool_submit() accepts now (SIZE_MAX when unbounded). */
size_t verify_pool_room(const verify_pool_t *pool);

/* Threads the pool runs. */
unsigned verify_pool_threads(const verify_pool_t *pool);

/* Finishes every queued job (run() on the workers), stops and joins the threads, then calls
 * done() on the calling thread for every job not drained yet, so no job is lost; those done()
 * calls cannot submit more work. notify() is not called once shutdown has begun (a call already
 * under way on a worker finishes before this returns). NULL is a no-op. */
void verify_pool_free(verify_pool_t *pool);

#endif
