/*
 * io/ against a real NSD of its own on 127.54.2.1: 5,000 UDP queries (with DO) and 500 over
 * TCP, all answered with the right rcode and question.
 */
#include "io/io.h"
#include "tests/io/io_test_util.h"
#include "tests/io/nsd_lab.h"
#include "tests/tap.h"

#define NSD_IP "127.54.2.1"

static uv_loop_t loop;

/* Polls NSD with SOA queries until it answers (it needs a moment to load). */
static bool wait_ready(io_engine_t *e, const struct sockaddr_storage *srv, pid_t pid)
{
    for (int i = 0; i < 50; i++) {
        tu_res_t r;
        if (tu_query(e, srv, 1, "test.", LDNS_RR_TYPE_SOA, 0, &r) != 0)
            return false;
        uv_run(&loop, UV_RUN_DEFAULT);
        if (r.status == 0 && r.rcode == 0)
            return true;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return false; /* NSD exited: port taken? */
        usleep(100000);
    }
    return false;
}

int main(void)
{
    alarm(110);
    uv_loop_init(&loop);
    io_config_t cfg;
    io_config_init(&cfg);
    cfg.timeout_ms = 300;
    cfg.retries = 0; /* for readiness polling */
    io_engine_t *probe = NULL;
    is_int(io_engine_new(&loop, &cfg, &probe), 0, "probe engine");

    nsd_lab_t lab = {.pid = -1};
    struct sockaddr_storage srv;
    bool ready = false;
    for (int attempt = 0; attempt < 3 && !ready; attempt++) {
        int port = 20000 + (int)((getpid() * 7 + attempt * 7919) % 40000);
        if (nsd_lab_start(&lab, NSD_IP, port, 1000) != 0)
            break;
        tu_addr(NSD_IP, port, &srv);
        ready = wait_ready(probe, &srv, lab.pid);
        if (!ready) {
            if (waitpid(lab.pid, NULL, WNOHANG) == lab.pid)
                lab.pid = -1;
            nsd_lab_stop(&lab);
        }
    }
    tu_engine_close(&loop, probe);
    ok(ready, "NSD started on %s#%d and answers", NSD_IP, lab.port);
    if (!ready)
        goto out;

    io_config_init(&cfg);
    io_engine_t *e = NULL;
    is_int(io_engine_new(&loop, &cfg, &e), 0, "engine with defaults");
    enum { N = 5000 };
    tu_res_t *r = calloc(N, sizeof *r);
    char(*names)[32] = calloc(N, sizeof *names);
    double t0 = tu_now();
    int accepted = 0;
    for (int i = 0; i < N; i++) {
        if (i % 5 == 4)
            snprintf(names[i], sizeof names[i], "nx%d.test.", i);
        else
            snprintf(names[i], sizeof names[i], "h%d.test.", i % 1000);
        accepted += tu_query(e, &srv, 1, names[i], LDNS_RR_TYPE_A, IO_FLAG_DO, &r[i]) == 0;
    }
    is_int(accepted, N, "5000 queries accepted");
    uv_run(&loop, UV_RUN_DEFAULT);
    double took = tu_now() - t0;
    int once = 0, right = 0;
    for (int i = 0; i < N; i++) {
        once += r[i].calls == 1;
        bool nx = i % 5 == 4;
        right += r[i].status == 0 && r[i].rcode == (nx ? LDNS_RCODE_NXDOMAIN : 0) &&
                 r[i].ancount == (nx ? 0 : 1) && strcasecmp(r[i].qname, names[i]) == 0;
    }
    is_int(once, N, "every query got exactly one callback");
    for (int i = 0, shown = 0; i < N && shown < 5; i++)
        if (r[i].status != 0 || r[i].rcode != (i % 5 == 4 ? 3 : 0)) {
            printf("# %s: status %d (%s) rcode %d tries %d qname '%s'\n", names[i], r[i].status,
                   io_strerror(r[i].status), r[i].rcode, r[i].tries, r[i].qname);
            shown++;
        }
    is_int(right, N, "all 5000 answered with the right rcode, answer count and question");
    printf("# 5000 queries in %.3f s\n", took);
    io_stats_t st;
    io_stats_get(e, &st);
    is_int(st.answered, N, "stats: 5000 answered");
    is_int(st.timed_out + st.failed, 0, "stats: no failures");
    is_int(st.dropped_short + st.dropped_wrong_source, 0,
           "stats: no short answer, none from another address");
    /* On a loaded machine a try may time out and be sent again (new socket, new ID): its
     * answer, arriving late, is dropped, as unknown or, when its ID is by chance in use again,
     * as an answer to another question. Only those may be dropped. */
    ok(st.dropped <= st.try_timeouts,
       "stats: %llu answers dropped, none beyond the %llu tries that timed out",
       (unsigned long long)st.dropped, (unsigned long long)st.try_timeouts);
    io_server_stats_t ss;
    is_int(io_server_stats_get(e, (const struct sockaddr *)&srv, &ss), 0, "server stats");
    ok(ss.answered == N && ss.rtt_max_ms >= ss.rtt_min_ms && ss.srtt_ms > 0,
       "server stats: %llu answered, srtt %u ms, min %u, max %u", (unsigned long long)ss.answered,
       ss.srtt_ms, ss.rtt_min_ms, ss.rtt_max_ms);

    /* TCP: 500 pipelined queries on at most tcp_max_per_server connections. */
    memset(r, 0, N * sizeof *r);
    for (int i = 0; i < 500; i++)
        tu_query(e, &srv, 1, names[i], LDNS_RR_TYPE_A, IO_FLAG_TCP_ONLY | IO_FLAG_DO, &r[i]);
    uv_run(&loop, UV_RUN_DEFAULT);
    right = 0;
    for (int i = 0; i < 500; i++)
        right += r[i].calls == 1 && r[i].status == 0 && r[i].tcp &&
                 strcasecmp(r[i].qname, names[i]) == 0;
    is_int(right, 500, "500 TCP queries answered over TCP");
    io_stats_get(e, &st);
    ok(st.tcp_connections >= 1 && st.tcp_connections <= cfg.tcp_max_per_server,
       "TCP: %llu connection(s) for 500 queries (max %u)", (unsigned long long)st.tcp_connections,
       cfg.tcp_max_per_server);
    free(r);
    free(names);
    is_int(tu_engine_close(&loop, e), 1, "engine closed");
out:
    nsd_lab_stop(&lab);
    uv_loop_close(&loop);
    return tap_done();
}
