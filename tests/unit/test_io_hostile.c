/*
 * io/ against servers that hold connections or send what no resolver should, from the scripted
 * server (tests/io/fakedns.py) on 127.54.6.1; every wait is bounded:
 * - TCP: a server that accepts and reads but never answers nor closes: the query times out
 *   within its tries' bound, and we close the connection (the server sees it closed);
 * - TCP: a server that answers and then keeps the connection open forever: we close it once idle;
 * - TCP: a length prefix of 65535 followed by a short answer and silence: timeout, closed;
 * - TCP: an answer followed by 70,000 bytes of junk (65535-byte "frames"): the answer counts,
 *   the junk is dropped, the connection (left inside a partial frame) closed once idle;
 * - TCP: a server that closes as soon as a query arrives: IO_ENETWORK, bounded;
 * - UDP answers far beyond the advertised EDNS size (4,000 and 65,000 bytes) are read whole;
 * - a server that truncates over TCP too: the TCP answer is final (no loop), and a server that
 *   ignores UDP altogether: a timeout, no hang.
 */
#include "io/io.h"
#include "tests/io/io_test_util.h"
#include "tests/tap.h"

#define SRV_IP "127.54.6.1"
#define TIMEOUT_MS 300
#define IDLE_MS 300
#define LONG_TIMEOUT_MS 5000
/* "No hang" for a batch whose tries end within 0.9 s (300 ms, then 600 ms), with room for a
 * loaded machine; what bounds the work is checked by the number of tries. */
#define BOUND_S 5.0

static uv_loop_t loop;
static struct sockaddr_storage srv;

static io_engine_t *engine(uint32_t timeout_ms)
{
    io_config_t cfg;
    io_config_init(&cfg);
    cfg.udp_sockets = 2;
    cfg.timeout_ms = timeout_ms;
    cfg.retries = 1;
    cfg.tcp_idle_ms = IDLE_MS;
    cfg.backoff_after = 0;
    return tu_engine_new(&loop, &cfg);
}

static void timer_done(uv_timer_t *t)
{
    (void)t;
}

static void wait_ms(uint64_t ms)
{
    uv_timer_t t;
    uv_timer_init(&loop, &t);
    uv_timer_start(&t, timer_done, ms, 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
}

/* Runs n queries "<mode>-<i>.test." and returns how many ended with status; *took is the
 * time until the last callback; every query must get exactly one callback. */
static int batch(io_engine_t *e, const char *mode, int n, unsigned flags, int status, double *took,
                 tu_res_t *last)
{
    tu_res_t res[16];
    int accepted = 0;
    for (int i = 0; i < n && i < 16; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s-%d.test.", mode, i);
        accepted += tu_query(e, &srv, 1, name, LDNS_RR_TYPE_TXT, flags, &res[i]) == 0;
    }
    double t0 = tu_now();
    uv_run(&loop, UV_RUN_DEFAULT);
    *took = tu_now() - t0;
    int once = 0, with = 0;
    for (int i = 0; i < n && i < 16; i++) {
        once += res[i].calls == 1;
        with += res[i].status == status;
    }
    is_int(accepted + once, 2 * n, "%s: %d queries, one callback each", mode, n);
    if (last)
        *last = res[n - 1];
    return with;
}

/* TCP connections the server has open now, asked over UDP. */
static long server_open(io_engine_t *e)
{
    return tu_fakedns_stat(&loop, e, &srv, "open");
}

static void test_tcp_holders(io_engine_t *e)
{
    double took;
    /* Two tries: 300 ms, then 600 ms (back-off on the same address). */
    tu_res_t last;
    int n = batch(e, "drop", 4, IO_FLAG_TCP_ONLY, IO_ETIMEOUT, &took, &last);
    is_int(n, 4, "silent TCP server: IO_ETIMEOUT");
    is_int(last.tries, 2, "silent TCP server: given up after its two tries");
    /* Never before the two timeouts; the upper bound only says "no hang", with room for a
     * loaded machine. */
    ok(took >= 0.85 && took < BOUND_S, "silent TCP server: timed out in %.2f s (0.9 s of timeouts)",
       took);
    ok(server_open(e) >= 1, "the silent server still holds the connection open");
    wait_ms(IDLE_MS + 400);
    io_server_stats_t ss;
    io_server_stats_get(e, (const struct sockaddr *)&srv, &ss);
    is_int(ss.tcp_open, 0, "we closed the connection once its queries timed out");
    is_int(server_open(e), 0, "the server sees it closed");

    n = batch(e, "ok", 3, IO_FLAG_TCP_ONLY, IO_OK, &took, NULL);
    is_int(n, 3, "answering server that never closes: answered");
    ok(server_open(e) >= 1, "its connection stays open after the answers");
    wait_ms(IDLE_MS + 400);
    is_int(server_open(e), 0, "we closed it once idle");

    n = batch(e, "lenlie", 1, IO_FLAG_TCP_ONLY, IO_ETIMEOUT, &took, &last);
    is_int(n, 1, "length prefix 65535 then a short answer: IO_ETIMEOUT (%s)",
           io_strerror(last.status));
    is_int(last.tries, 2, "lenlie: given up after its two tries");
    ok(took < BOUND_S, "bounded: %.2f s", took);
    wait_ms(IDLE_MS + 400);
    is_int(server_open(e), 0, "that connection closed by us too");

    /* One query only: behind the junk's 65535-byte "frames" a second answer would be cut up
     * by the framing and lost (a timeout), which no client can avoid. */
    io_stats_t st0, st1;
    io_stats_get(e, &st0);
    n = batch(e, "junk", 1, IO_FLAG_TCP_ONLY, IO_OK, &took, &last);
    io_stats_get(e, &st1);
    is_int(n, 1, "answer followed by 70,000 bytes of junk: the answer counts");
    ok(last.tcp && last.ancount == 1, "answered over TCP with its one record");
    ok(st1.dropped_unknown_id > st0.dropped_unknown_id, "the junk frame dropped (%llu)",
       (unsigned long long)(st1.dropped_unknown_id - st0.dropped_unknown_id));
    wait_ms(IDLE_MS + 400);
    is_int(server_open(e), 0, "the junk-sending connection closed by us once idle");
}

/* On an engine of its own with a long timeout, so that "at once" stays far from a timeout
 * however loaded the machine. */
static void test_tcp_closer(void)
{
    io_engine_t *e = engine(LONG_TIMEOUT_MS);
    if (!e)
        return;
    double took;
    tu_res_t last;
    int n = batch(e, "tcpclose", 2, IO_FLAG_TCP_ONLY, IO_ENETWORK, &took, &last);
    is_int(n, 2, "server closing on each query: IO_ENETWORK (%s)", io_strerror(last.status));
    ok(took < LONG_TIMEOUT_MS / 2000.0, "reported in %.2f s, not after the %d ms timeout", took,
       LONG_TIMEOUT_MS);
    is_int(tu_engine_close(&loop, e), 1, "engine closed");
}

static void test_oversized(io_engine_t *e)
{
    double took;
    tu_res_t last;
    int n = batch(e, "big4000", 2, 0, IO_OK, &took, &last);
    is_int(n, 2, "4,000-byte UDP answer to a 1,232-byte EDNS query: read whole");
    ok(!last.tcp && last.ancount == 1, "over UDP, its TXT record parsed");
    n = batch(e, "big65000", 2, 0, IO_OK, &took, &last);
    is_int(n, 2, "65,000-byte UDP answer: read whole (%s)", io_strerror(last.status));
    ok(!last.tcp && last.ancount == 1, "over UDP, its TXT record parsed");
    n = batch(e, "big65000", 2, IO_FLAG_TCP_ONLY, IO_OK, &took, &last);
    is_int(n, 2, "65,000-byte TCP frame: read whole");
    ok(last.tcp && last.ancount == 1, "over TCP, its TXT record parsed");
}

static void test_truncating(io_engine_t *e)
{
    double took;
    tu_res_t last;
    int n = batch(e, "tcall", 3, 0, IO_OK, &took, &last);
    is_int(n, 3, "truncated over UDP and TCP: the TCP answer is final");
    ok(last.tcp && last.tries == 2 && last.ancount == 0,
       "one UDP try, one TCP try, no loop (tries %d, tcp %d)", last.tries, last.tcp);
    ok(took < BOUND_S, "in %.2f s", took);
    n = batch(e, "tcponly", 2, 0, IO_ETIMEOUT, &took, &last);
    is_int(n, 2, "server answering over TCP only, asked over UDP: IO_ETIMEOUT");
    is_int(last.tries, 2, "tcponly: given up after its two tries");
    ok(took < BOUND_S, "bounded: %.2f s", took);
}

int main(void)
{
    alarm(60);
    uv_loop_init(&loop);
    const char *listen[] = {SRV_IP};
    int port = 0;
    pid_t pid = tu_fakedns_start(listen, 1, NULL, &port);
    ok(pid > 0, "scripted server on %s#%d", SRV_IP, port);
    if (pid > 0) {
        tu_addr(SRV_IP, port, &srv);
        io_engine_t *e = engine(TIMEOUT_MS);
        if (e) {
            test_tcp_holders(e);
            test_oversized(e);
            test_truncating(e);
            is_int(tu_engine_close(&loop, e), 1, "engine closed");
        }
        test_tcp_closer();
    }
    tu_stop(pid);
    is_int(uv_loop_close(&loop), 0, "loop closes: no handle left behind");
    return tap_done();
}
