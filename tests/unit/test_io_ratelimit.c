/*
 * Rate limits and the in-flight cap, measured at the server (kernel receive timestamps in
 * tests/io/fakedns.py) on 127.54.3.1 and 127.54.3.2:
 *  1. global 500 q/s over two addresses for 10 s: no 1-s window above 525, at least 9.5 s;
 *  2. per-server 200 q/s, no global limit, two addresses for 10 s: no 1-s window above 210 on
 *     either address, at least 9.5 s;
 * Only "never faster than the limit" is checked live: how close a loaded machine comes to the
 * rate is printed (test_io_bucket checks the limiter's arithmetic on a driven clock).
 *  3. max_in_flight 20: never more than 20 tries outstanding;
 *  4. max_in_flight_per_server 10 over two addresses: never more than 10 per address.
 */
#include "io/io.h"
#include "tests/io/io_test_util.h"
#include "tests/tap.h"

static uv_loop_t loop;
static struct sockaddr_storage srv[2];

static void close_engine(io_engine_t *e)
{
    tu_engine_close(&loop, e);
}

/* Sends n "rate-<tag>-i" queries spread over both servers; returns the wall time taken. */
static double run(io_engine_t *e, int n, const char *tag)
{
    tu_res_t *r = calloc((size_t)n, sizeof *r);
    double t0 = tu_now();
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "rate-%s-%d.test.", tag, i);
        tu_query(e, &srv[i % 2], 1, name, LDNS_RR_TYPE_A, 0, &r[i]);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    double took = tu_now() - t0;
    int ok_n = 0;
    for (int i = 0; i < n; i++)
        ok_n += r[i].calls == 1 && r[i].status == 0;
    is_int(ok_n, n, "%s: all %d queries answered once", tag, n);
    free(r);
    return took;
}

typedef struct cap_probe {
    io_engine_t *e;
    uint32_t max_seen;
    int calls;
} cap_probe_t;

static void cap_cb(void *ctx, const io_result_t *res)
{
    cap_probe_t *p = ctx;
    io_stats_t st;
    io_stats_get(p->e, &st);
    if (st.in_flight > p->max_seen)
        p->max_seen = st.in_flight;
    p->calls++;
    ldns_pkt_free(res->pkt);
}

int main(void)
{
    alarm(110);
    uv_loop_init(&loop);
    const char *listen[] = {"127.54.3.1", "127.54.3.2"};
    int port = 0;
    pid_t pid = tu_fakedns_start(listen, 2, NULL, &port);
    ok(pid > 0, "scripted server on 127.54.3.1/.2#%d", port);
    if (pid <= 0)
        goto out;
    tu_addr(listen[0], port, &srv[0]);
    tu_addr(listen[1], port, &srv[1]);

    /* 1: global limit. */
    io_config_t cfg;
    io_config_init(&cfg);
    cfg.qps_global = 500;
    io_engine_t *e = NULL;
    is_int(io_engine_new(&loop, &cfg, &e), 0, "engine, global 500 q/s");
    double took = run(e, 5000, "g");
    long max_all = tu_fakedns_stat(&loop, e, &srv[0], "allmax1s");
    long n_all = tu_fakedns_stat(&loop, e, &srv[0], "alln");
    printf("# global 500 q/s: 5000 queries in %.2f s, busiest 1-s window %ld\n", took, max_all);
    is_int(n_all, 5000, "server saw 5000 rate queries");
    ok(max_all <= 525, "global: busiest 1-s window %ld <= 525 (500 + 5%%)", max_all);
    /* How close a loaded machine gets to the rate is speed: printed above, not checked here
     * (test_io_bucket proves on a driven clock that the limiter holds nothing back). */
    ok(took >= 9.5, "global: 5000 queries at 500 q/s took %.2f s (>= 9.5: never faster)", took);
    close_engine(e);

    /* 2: per-server limit (the server's counters are per address; phase 1's arrivals are
     * in them too, so use a fresh server process). */
    tu_stop(pid);
    pid = tu_fakedns_start(listen, 2, NULL, &port);
    ok(pid > 0, "scripted server restarted on port %d", port);
    if (pid <= 0)
        goto out;
    tu_addr(listen[0], port, &srv[0]);
    tu_addr(listen[1], port, &srv[1]);
    io_config_init(&cfg);
    cfg.qps_per_server = 200;
    is_int(io_engine_new(&loop, &cfg, &e), 0, "engine, 200 q/s per server");
    took = run(e, 4000, "s");
    long max0 = tu_fakedns_stat(&loop, e, &srv[0], "max1s");
    long max1 = tu_fakedns_stat(&loop, e, &srv[1], "max1s");
    long n0 = tu_fakedns_stat(&loop, e, &srv[0], "n");
    printf("# per-server 200 q/s: 4000 queries in %.2f s, busiest windows %ld / %ld\n", took, max0,
           max1);
    is_int(n0, 2000, "server A saw 2000 rate queries");
    ok(max0 <= 210 && max1 <= 210, "per-server: busiest windows %ld, %ld <= 210", max0, max1);
    ok(took >= 9.5, "per-server: 2000 per address at 200 q/s took %.2f s (>= 9.5: never faster)",
       took);
    close_engine(e);

    /* 3: in-flight cap, with answers delayed 100 ms. */
    io_config_init(&cfg);
    cfg.max_in_flight = 20;
    is_int(io_engine_new(&loop, &cfg, &e), 0, "engine, max 20 in flight");
    cap_probe_t probe = {.e = e};
    double t0 = tu_now();
    for (int i = 0; i < 200; i++) {
        char name[64];
        snprintf(name, sizeof name, "delay100-%d.test.", i);
        io_query_spec_t spec = {.servers = &srv[0],
                                .n_servers = 1,
                                .qname_str = name,
                                .qtype = LDNS_RR_TYPE_A,
                                .cb = cap_cb,
                                .ctx = &probe};
        io_query(e, &spec, NULL);
    }
    io_stats_t st;
    io_stats_get(e, &st);
    is_int(st.queued, 200, "200 queued before the loop runs");
    uv_run(&loop, UV_RUN_DEFAULT);
    took = tu_now() - t0;
    is_int(probe.calls, 200, "200 callbacks");
    ok(probe.max_seen <= 20 && probe.max_seen >= 15, "in flight peaked at %u (cap 20)",
       probe.max_seen);
    ok(took >= 0.95, "200 queries x 100 ms through 20 slots took %.2f s (>= 1 s)", took);
    close_engine(e);

    /* 4: per-server in-flight cap: 100 delayed queries to each of two addresses with a cap of
     * 10 per address: both addresses proceed in parallel, neither above its cap. */
    io_config_init(&cfg);
    cfg.max_in_flight_per_server = 10;
    is_int(io_engine_new(&loop, &cfg, &e), 0, "engine, max 10 in flight per server");
    cap_probe_t per_server = {.e = e};
    t0 = tu_now();
    for (int i = 0; i < 200; i++) {
        char name[64];
        snprintf(name, sizeof name, "delay100-ps%d.test.", i);
        io_query_spec_t spec = {.servers = &srv[i % 2],
                                .n_servers = 1,
                                .qname_str = name,
                                .qtype = LDNS_RR_TYPE_A,
                                .cb = cap_cb,
                                .ctx = &per_server};
        io_query(e, &spec, NULL);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    took = tu_now() - t0;
    is_int(per_server.calls, 200, "200 callbacks with the per-server cap");
    ok(per_server.max_seen <= 20 && per_server.max_seen >= 15,
       "in flight peaked at %u over two servers capped at 10 each", per_server.max_seen);
    ok(took >= 0.95 && took < 3.0, "100 queries x 100 ms per server through 10 slots took %.2f s",
       took);
    io_server_stats_t one;
    ok(io_server_stats_get(e, (const struct sockaddr *)&srv[0], &one) == 0 && one.answered == 100,
       "server A answered its 100");
    close_engine(e);
out:
    tu_stop(pid);
    uv_loop_close(&loop);
    return tap_done();
}
