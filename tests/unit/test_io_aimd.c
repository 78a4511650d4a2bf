/*
 * Politeness that adapts (AIMD per server) against tests/io/fakedns.py's response rate limit
 * on 127.54.7.1: the server answers "rrl30-..." queries at 30 per second and drops the rest
 * ("rrls30-...": every 2nd dropped answer slips as TC=1). Pass/fail gates on counts only:
 *  1. without AIMD, unlimited, 300 queries with 4 tries each: the server cannot answer more
 *     than ~3 + 30/s over the 3.75 s those tries span, so queries time out;
 *  2. with AIMD, the same: the first losses cut the rate to what the server delivers, the
 *     retries wait in the queue for it, and every query gets its answer;
 *  3. with AIMD and RRL slips: the slips are seen (a TC=1 whose TCP answer fits in UDP), the
 *     rate is cut, every query is answered;
 *  4. with a configured 200 q/s per server, AIMD cuts below it and every query is answered;
 *  5. queries that may go to either of two rate-limited addresses (10 q/s each) start at the
 *     one with the shorter wait: both get about half, not one all of them.
 */
#include "io/io.h"
#include "tests/io/io_test_util.h"
#include "tests/tap.h"

static uv_loop_t loop;
static struct sockaddr_storage srv, pair[2];

typedef struct outcome {
    int answered, timed_out, other;
    double took;
    io_stats_t st;
    io_server_stats_t server;
} outcome_t;

static outcome_t run(const io_config_t *cfg, int n, const char *mode, const char *tag)
{
    outcome_t o = {0};
    io_engine_t *e = tu_engine_new(&loop, cfg);
    if (!e)
        return o;
    tu_res_t *r = calloc((size_t)n, sizeof *r);
    double t0 = tu_now();
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s-%s-%d.test.", mode, tag, i);
        tu_query(e, &srv, 1, name, LDNS_RR_TYPE_A, 0, &r[i]);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    o.took = tu_now() - t0;
    for (int i = 0; i < n; i++) {
        if (r[i].calls == 1 && r[i].status == 0)
            o.answered++;
        else if (r[i].calls == 1 && r[i].status == IO_ETIMEOUT)
            o.timed_out++;
        else
            o.other++;
    }
    io_stats_get(e, &o.st);
    io_server_stats_get(e, (const struct sockaddr *)&srv, &o.server);
    free(r);
    tu_engine_close(&loop, e);
    printf("# %s: %d queries in %.1f s: %d answered, %d timed out, %d other; %llu tries, "
           "%llu try timeouts, %llu slips, %llu rate cuts, rate now %.1f q/s (0 = none)\n",
           tag, n, o.took, o.answered, o.timed_out, o.other, (unsigned long long)o.st.sent,
           (unsigned long long)o.st.try_timeouts, (unsigned long long)o.st.slips,
           (unsigned long long)o.st.rate_cuts, o.server.rate_qps);
    return o;
}

int main(void)
{
    alarm(170);
    uv_loop_init(&loop);
    const char *listen[] = {"127.54.7.1", "127.54.7.2"};
    int port = 0;
    pid_t pid = tu_fakedns_start(listen, 2, NULL, &port);
    ok(pid > 0, "scripted server with a 30 answers/s rate limit on 127.54.7.1#%d", port);
    if (pid <= 0)
        goto out;
    tu_addr(listen[0], port, &srv);
    tu_addr(listen[0], port, &pair[0]);
    tu_addr(listen[1], port, &pair[1]);

    io_config_t cfg;
    io_config_init(&cfg);
    cfg.qps_per_server = 0;
    cfg.timeout_ms = 250;
    cfg.retries = 3;

    /* 1: no AIMD. */
    cfg.aimd = false;
    outcome_t plain = run(&cfg, 300, "rrl30", "without AIMD");
    ok(plain.timed_out > 0 && plain.answered < 300,
       "without AIMD: %d of 300 queries time out (the server drops what exceeds its limit)",
       plain.timed_out);
    is_int((int)plain.st.rate_cuts, 0, "without AIMD: no rate cut");

    /* 2: AIMD, unlimited to start with. */
    cfg.aimd = true;
    outcome_t adapted = run(&cfg, 300, "rrl30", "with AIMD");
    is_int(adapted.answered, 300, "with AIMD: every one of the 300 queries is answered");
    ok(adapted.st.rate_cuts >= 1, "with AIMD: the losses cut the rate (%llu cuts)",
       (unsigned long long)adapted.st.rate_cuts);
    ok(adapted.st.sent < plain.st.sent + 300,
       "with AIMD: %llu tries, not more than without it (%llu) plus one per query",
       (unsigned long long)adapted.st.sent, (unsigned long long)plain.st.sent);

    /* 3: RRL slips. */
    outcome_t slipped = run(&cfg, 150, "rrls30", "with AIMD, slips");
    is_int(slipped.answered, 150, "with AIMD and slips: every one of the 150 queries is answered");
    ok(slipped.st.slips >= 1 && slipped.st.rate_cuts >= 1,
       "slips seen (%llu: TC=1, then a TCP answer that fits in UDP) and the rate cut (%llu)",
       (unsigned long long)slipped.st.slips, (unsigned long long)slipped.st.rate_cuts);

    /* 3b: a server (or middlebox) that truncates every UDP answer is not rate-limiting: its
     * TC=1 costs a TCP round trip, never a cut (else 150 queries would crawl at 5 q/s). */
    outcome_t truncating = run(&cfg, 150, "tc", "with AIMD, everything truncated");
    is_int(truncating.answered, 150, "everything truncated: all 150 queries answered over TCP");
    ok(truncating.st.slips == 0 && truncating.st.rate_cuts == 0,
       "everything truncated: no slip counted (%llu), no rate cut (%llu)",
       (unsigned long long)truncating.st.slips, (unsigned long long)truncating.st.rate_cuts);

    /* 4: a configured per-server rate above what the server takes. */
    cfg.qps_per_server = 200;
    outcome_t capped = run(&cfg, 150, "rrl30", "with AIMD, 200 q/s configured");
    is_int(capped.answered, 150, "with a 200 q/s limit and AIMD: all 150 queries answered");
    ok(capped.st.rate_cuts >= 1, "the configured rate was cut (%llu cuts)",
       (unsigned long long)capped.st.rate_cuts);

    /* 5: where the first try goes. */
    io_config_init(&cfg);
    cfg.qps_per_server = 10;
    io_engine_t *e = tu_engine_new(&loop, &cfg);
    tu_res_t r[40];
    for (int i = 0; i < 40; i++) {
        char name[64];
        snprintf(name, sizeof name, "ok-spread-%d.test.", i);
        tu_query(e, pair, 2, name, LDNS_RR_TYPE_A, 0, &r[i]);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    int answered = 0;
    for (int i = 0; i < 40; i++)
        answered += r[i].calls == 1 && r[i].status == 0;
    io_server_stats_t a = {0}, b = {0};
    io_server_stats_get(e, (const struct sockaddr *)&pair[0], &a);
    io_server_stats_get(e, (const struct sockaddr *)&pair[1], &b);
    tu_engine_close(&loop, e);
    is_int(answered, 40, "two addresses at 10 q/s each: all 40 answered");
    ok(a.sent >= 15 && b.sent >= 15,
       "the first tries are spread by wait: %llu to the first address, %llu to the second",
       (unsigned long long)a.sent, (unsigned long long)b.sent);
out:
    tu_stop(pid);
    uv_loop_close(&loop);
    return tap_done();
}
