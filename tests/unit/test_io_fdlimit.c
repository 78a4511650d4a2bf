/*
 * io/ when the process runs out of file descriptors (RLIMIT_NOFILE lowered in this process so
 * that the next socket() fails with EMFILE), against the scripted server (tests/io/fakedns.py)
 * on 127.54.5.1/.2 truncating every UDP answer, so that every query needs a TCP connection:
 * - a query whose TCP connection cannot be opened completes at once with IO_ENOFILES, exactly
 *   one callback, without moving to the next address and without counting against the server
 *   (no timeout, no refusal): nothing a caller could take for an unreachable server;
 * - the engine's no_files_cb is told, with the server's address;
 * - a query that can wait for room on an open connection waits instead of failing;
 * - once descriptors are available again the same queries are answered;
 * - io_engine_new() reports IO_ENOFILES when its UDP sockets (IPv6 ones too) cannot be opened,
 *   and leaves nothing behind once the loop has run.
 */
#include "io/io.h"
#include "tests/io/io_test_util.h"
#include "tests/tap.h"

#include <sys/resource.h>

#define SRV1_IP "127.54.5.1"
#define SRV2_IP "127.54.5.2"
#define TIMEOUT_MS 5000

static uv_loop_t loop;
static struct sockaddr_storage srv[2];

typedef struct no_files_log {
    int calls;
    char last[80];
} no_files_log_t;

static void on_no_files(void *ctx, const struct sockaddr *server)
{
    no_files_log_t *log = ctx;
    log->calls++;
    tu_addr_str(server, log->last, sizeof log->last);
}

static io_engine_t *engine(no_files_log_t *log, uint32_t pipeline)
{
    io_config_t cfg;
    io_config_init(&cfg);
    cfg.udp_sockets = 2;
    /* Long, so that "reported at once" below stays far from a timeout on a loaded machine. */
    cfg.timeout_ms = TIMEOUT_MS;
    cfg.retries = 2;
    cfg.tcp_max_per_server = 2;
    cfg.tcp_max_pipeline = pipeline;
    cfg.backoff_after = 0;
    cfg.no_files_cb = on_no_files;
    cfg.no_files_ctx = log;
    return tu_engine_new(&loop, &cfg);
}

static void finish(io_engine_t *e)
{
    is_int(tu_engine_close(&loop, e), 1, "engine closed");
}

/* The lowest descriptor number free now: with the soft limit set to it (plus room), exactly
 * room more descriptors can be opened. */
static int lowest_free_fd(void)
{
    int fd = dup(0);
    if (fd >= 0)
        close(fd);
    return fd;
}

static struct rlimit saved;

static bool limit_files(int room)
{
    struct rlimit rl = saved;
    rl.rlim_cur = (rlim_t)(lowest_free_fd() + room);
    return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

static void unlimit_files(void)
{
    setrlimit(RLIMIT_NOFILE, &saved);
}

static int run_batch(io_engine_t *e, tu_res_t *res, int n, const char *prefix, unsigned flags,
                     double *took)
{
    int accepted = 0;
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s-%d.test.", prefix, i);
        accepted += tu_query(e, srv, 2, name, LDNS_RR_TYPE_A, flags, &res[i]) == 0;
    }
    double t0 = tu_now();
    uv_run(&loop, UV_RUN_DEFAULT);
    *took = tu_now() - t0;
    return accepted;
}

static int count(const tu_res_t *res, int n, int status, bool once)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += res[i].status == status && (!once || res[i].calls == 1);
    return c;
}

static void test_no_tcp_socket(void)
{
    no_files_log_t log = {0};
    io_engine_t *e = engine(&log, 64);
    if (!e)
        return;
    enum { N = 20 };
    tu_res_t res[N];
    double took;
    ok(limit_files(0), "open-file limit lowered to the descriptors in use");
    int accepted = run_batch(e, res, N, "ok", 0, &took);
    unlimit_files();
    is_int(accepted, N, "%d queries accepted (UDP sockets were opened before)", N);
    is_int(count(res, N, IO_ENOFILES, true), N,
           "UDP answer truncated, TCP connection impossible: IO_ENOFILES, one callback each");
    ok(took < TIMEOUT_MS / 2000.0, "reported at once (%.3f s), not after a %d ms timeout", took,
       TIMEOUT_MS);
    int first_only = 0;
    for (int i = 0; i < N; i++)
        first_only += strncmp(res[i].server, SRV1_IP "#", strlen(SRV1_IP) + 1) == 0;
    is_int(first_only, N, "no move to the second address (a local failure, not the server's)");
    is_int(log.calls, N, "no_files_cb told once per query");
    ok(strstr(log.last, SRV1_IP) != NULL, "no_files_cb names the server (%s)", log.last);
    io_stats_t st;
    io_stats_get(e, &st);
    ok(st.no_files == N && st.timed_out == 0 && st.refused_port == 0,
       "stats: %llu no_files, %llu timed out, %llu refused", (unsigned long long)st.no_files,
       (unsigned long long)st.timed_out, (unsigned long long)st.refused_port);
    io_server_stats_t ss;
    io_server_stats_get(e, (const struct sockaddr *)&srv[0], &ss);
    ok(ss.timeouts == 0 && ss.refused == 0 && !ss.backed_off,
       "the server is not blamed: %llu timeouts, %llu refused, backed off %d",
       (unsigned long long)ss.timeouts, (unsigned long long)ss.refused, ss.backed_off);

    /* TCP-only queries take the same path without a UDP try first. */
    int before = log.calls;
    accepted = 0;
    ok(limit_files(0), "limit lowered again");
    for (int i = 0; i < 3; i++)
        accepted +=
            tu_query(e, srv, 1, "tcponly-x.test.", LDNS_RR_TYPE_A, IO_FLAG_TCP_ONLY, &res[i]) == 0;
    uv_run(&loop, UV_RUN_DEFAULT);
    unlimit_files();
    is_int(count(res, 3, IO_ENOFILES, true), 3, "TCP-only: IO_ENOFILES");
    is_int(log.calls - before, 3, "TCP-only: no_files_cb told");

    /* The limit back: the same questions are answered over TCP. */
    accepted = run_batch(e, res, N, "ok", 0, &took);
    int answered = 0;
    for (int i = 0; i < N; i++)
        answered += res[i].status == 0 && res[i].tcp && res[i].ancount == 1;
    is_int(answered, N, "descriptors available again: all %d answered over TCP", N);
    finish(e);
}

static void test_wait_for_room(void)
{
    /* One descriptor of room: one connection opens, a second cannot; with two queries per
     * connection the rest wait for room on the first instead of failing. */
    no_files_log_t log = {0};
    io_engine_t *e = engine(&log, 2);
    if (!e)
        return;
    enum { N = 12 };
    tu_res_t res[N];
    double took;
    ok(limit_files(1), "limit: room for one more descriptor");
    int accepted = 0;
    for (int i = 0; i < N; i++) {
        char name[64];
        snprintf(name, sizeof name, "ok-%d.test.", i);
        accepted += tu_query(e, &srv[0], 1, name, LDNS_RR_TYPE_A, IO_FLAG_TCP_ONLY, &res[i]) == 0;
    }
    double t0 = tu_now();
    uv_run(&loop, UV_RUN_DEFAULT);
    took = tu_now() - t0;
    unlimit_files();
    is_int(accepted, N, "%d TCP queries accepted", N);
    is_int(count(res, N, IO_OK, true), N,
           "all answered on the one connection that could open (%.2f s)", took);
    is_int(log.calls, 0, "no query failed for lack of descriptors");
    io_stats_t st;
    io_stats_get(e, &st);
    is_int(st.tcp_connections, 1, "one TCP connection opened");
    finish(e);
}

static void test_engine_start(void)
{
    io_config_t cfg;
    io_config_init(&cfg);
    cfg.udp_sockets = 4;
    io_engine_t *e = NULL;
    ok(limit_files(2), "limit: room for 2 of the engine's 4 IPv4 sockets");
    int rc = io_engine_new(&loop, &cfg, &e);
    unlimit_files();
    is_int(rc, IO_ENOFILES, "io_engine_new: IO_ENOFILES (%s)", io_strerror(rc));
    ok(e == NULL, "no engine returned");
    uv_run(&loop, UV_RUN_NOWAIT);
    is_int(uv_loop_alive(&loop), 0, "the sockets it opened are closed after one loop run");

    /* Room for the IPv4 sockets but not the IPv6 ones: an engine without IPv6 would fail
     * every IPv6 server, so this must fail too when the host has IPv6. */
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    if (s6 >= 0) {
        close(s6);
        ok(limit_files(4 + 1), "limit: room for the 4 IPv4 sockets and one IPv6");
        rc = io_engine_new(&loop, &cfg, &e);
        unlimit_files();
        is_int(rc, IO_ENOFILES,
               "IPv6 sockets short of descriptors: IO_ENOFILES, not a "
               "silent IPv4-only engine");
        uv_run(&loop, UV_RUN_NOWAIT);
    } else {
        skip("host without IPv6: the IPv6 descriptor case does not apply");
    }
    rc = io_engine_new(&loop, &cfg, &e);
    is_int(rc, 0, "with the limit back, the engine starts");
    if (rc == 0)
        finish(e);
}

int main(void)
{
    alarm(60);
    uv_loop_init(&loop);
    getrlimit(RLIMIT_NOFILE, &saved);
    const char *listen[] = {SRV1_IP, SRV2_IP};
    int port = 0;
    pid_t pid = tu_fakedns_start(listen, 2, "tc", &port);
    ok(pid > 0, "scripted server (every UDP answer truncated) on %s/.2#%d", SRV1_IP, port);
    if (pid > 0) {
        tu_addr(SRV1_IP, port, &srv[0]);
        tu_addr(SRV2_IP, port, &srv[1]);
        test_no_tcp_socket();
        test_wait_for_room();
        test_engine_start();
    }
    tu_stop(pid);
    is_int(uv_loop_close(&loop), 0, "loop closes: no handle left behind");
    return tap_done();
}
