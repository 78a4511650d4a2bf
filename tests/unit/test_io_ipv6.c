/*
 * io/ over IPv6 on ::1 (scripted server, high port): UDP answers, spoof checks, TCP fallback,
 * ICMPv6 port unreachable, and a retry from an IPv6 to an IPv4 address (127.54.4.1).
 */
#include "io/io.h"
#include "tests/io/io_test_util.h"
#include "tests/tap.h"

#include <netinet/in.h>

static uv_loop_t loop;

/* A UDP port on ::1 with nothing bound to it (bound once, then released). */
static int free_port6(void)
{
    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin6_port);
}

static int run(io_engine_t *e, const struct sockaddr_storage *servers, size_t n_servers,
               const char *mode, int n, unsigned flags, int want_status, bool want_tcp)
{
    tu_res_t *r = calloc((size_t)n, sizeof *r);
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s-%d.test.", mode, i);
        tu_query(e, servers, n_servers, name, LDNS_RR_TYPE_AAAA, flags, &r[i]);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    int good = 0;
    for (int i = 0; i < n; i++) {
        char want[64];
        snprintf(want, sizeof want, "%s-%d.test.", mode, i);
        good += r[i].calls == 1 && r[i].status == want_status &&
                (want_status != 0 ||
                 (r[i].tcp == want_tcp && r[i].ancount == 1 && strcasecmp(r[i].qname, want) == 0));
    }
    free(r);
    return good;
}

int main(void)
{
    alarm(60);
    uv_loop_init(&loop);
    const char *listen[] = {"::1", "127.54.4.1"};
    int port = 0;
    pid_t pid = tu_fakedns_start(listen, 2, NULL, &port);
    ok(pid > 0, "scripted server on [::1] and 127.54.4.1, port %d", port);
    if (pid <= 0)
        goto out;
    struct sockaddr_storage v6, v4, dead6;
    tu_addr("::1", port, &v6);
    tu_addr("127.54.4.1", port, &v4);
    tu_addr("::1", free_port6(), &dead6);

    io_config_t cfg;
    io_config_init(&cfg);
    cfg.timeout_ms = 300;
    cfg.retries = 1;
    io_engine_t *e = NULL;
    is_int(io_engine_new(&loop, &cfg, &e), 0, "engine");
    is_int(run(e, &v6, 1, "ok", 200, IO_FLAG_DO, 0, false), 200, "200 AAAA answers over UDPv6");
    io_stats_t a, b;
    io_stats_get(e, &a);
    is_int(run(e, &v6, 1, "wrongcase", 20, 0, 0, false), 20, "wrong-case spoofs ignored");
    io_stats_get(e, &b);
    is_int(b.dropped_wrong_question - a.dropped_wrong_question, 20, "20 dropped over IPv6");
    is_int(run(e, &v6, 1, "wrongport", 5, 0, IO_ETIMEOUT, false), 5,
           "answers from another IPv6 port never accepted");
    is_int(run(e, &v6, 1, "tc", 20, 0, 0, true), 20, "truncated: TCP over IPv6 answers");
    double t0 = tu_now();
    is_int(run(e, &dead6, 1, "ok", 5, 0, IO_EREFUSED_PORT, false), 5,
           "ICMPv6 port unreachable: IO_EREFUSED_PORT");
    ok(tu_now() - t0 < 0.2, "reported at once (%.3f s)", tu_now() - t0);
    struct sockaddr_storage mixed[2] = {dead6, v4};
    is_int(run(e, mixed, 2, "ok", 10, 0, 0, false), 10, "refused on IPv6, answered on IPv4");
    is_int(run(e, &dead6, 1, "ok", 3, IO_FLAG_TCP_ONLY, IO_EREFUSED_PORT, false), 3,
           "TCP over IPv6 refused: IO_EREFUSED_PORT");
    is_int(tu_engine_close(&loop, e), 1, "engine closed");
out:
    tu_stop(pid);
    uv_loop_close(&loop);
    return tap_done();
}
