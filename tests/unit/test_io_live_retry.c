/*
 * A try that times out at a server which answers other queries meanwhile is a lost datagram
 * (loss, a rate limit's drop), not a dead server: the engine grants up to live_retries more
 * tries, so that such losses cost time, never the answer. Against tests/io/fakedns.py on
 * 127.54.8.1 ("lossN-...": the first N UDP queries for the name are dropped; "drop-...": never
 * answered; "ok-...": answered at once), with timeout 100 ms and retries 2 (3 tries):
 *  1. a name lost 3 times while a steady stream of other queries is answered: answered on the
 *     4th try (without the live retries it would time out after 3);
 *  1b. a name lost 3 times, sent together with 5 other questions that are answered at once and
 *     nothing after them (a domain's burst at the end of a scan): answered on the 4th try too;
 *  2. the same as 1 with live_retries 0: times out after 3 tries (what the extra tries change);
 *  3. a never-answered name on a server that answers nothing else: 3 tries, no extra one;
 *  4. a never-answered name while others are answered: 3 + 3 tries, then a timeout (bounded).
 */
#include "io/io.h"
#include "tests/io/io_test_util.h"
#include "tests/tap.h"

#define BEATS 400

static uv_loop_t loop;
static struct sockaddr_storage srv;

typedef struct heartbeat {
    io_engine_t *engine;
    const tu_res_t *watched; /* the beat stops once this query has had its callback */
    tu_res_t beats[BEATS];
    int sent;
    uv_timer_t timer;
} heartbeat_t;

static void beat(uv_timer_t *t)
{
    heartbeat_t *hb = t->data;
    if (hb->watched->calls > 0 || hb->sent == BEATS) {
        uv_timer_stop(t);
        return;
    }
    char name[64];
    snprintf(name, sizeof name, "ok-beat-%d.test.", hb->sent);
    tu_query(hb->engine, &srv, 1, name, LDNS_RR_TYPE_A, 0, &hb->beats[hb->sent++]);
}

/* Asks name once; with_beat: an "ok-" query every 30 ms while it is out; siblings: that many
 * "ok-" queries sent with it, none after. */
static tu_res_t ask(const io_config_t *cfg, const char *name, bool with_beat, int siblings,
                    io_stats_t *st)
{
    tu_res_t r = {0};
    io_engine_t *e = tu_engine_new(&loop, cfg);
    if (!e)
        return r;
    heartbeat_t *hb = calloc(1, sizeof *hb);
    tu_query(e, &srv, 1, name, LDNS_RR_TYPE_A, 0, &r);
    tu_res_t sib[8];
    for (int i = 0; i < siblings && i < 8; i++) {
        char sname[64];
        snprintf(sname, sizeof sname, "ok-sibling-%d.test.", i);
        tu_query(e, &srv, 1, sname, LDNS_RR_TYPE_A, 0, &sib[i]);
    }
    if (with_beat && hb) {
        hb->engine = e;
        hb->watched = &r;
        hb->timer.data = hb;
        uv_timer_init(&loop, &hb->timer);
        uv_timer_start(&hb->timer, beat, 0, 30);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    int beats_answered = 0;
    for (int i = 0; hb && i < hb->sent; i++)
        beats_answered += hb->beats[i].calls == 1 && hb->beats[i].status == 0;
    if (with_beat && hb) {
        uv_close((uv_handle_t *)&hb->timer, NULL);
        uv_run(&loop, UV_RUN_DEFAULT);
    }
    io_stats_get(e, st);
    tu_engine_close(&loop, e);
    printf("# %s%s: status %d (%s) after %d tries; %d other queries answered meanwhile; %llu "
           "tries granted beyond retries\n",
           name, with_beat ? " (other queries answered meanwhile)" : "", r.status,
           io_strerror(r.status), r.tries, beats_answered, (unsigned long long)st->live_retried);
    free(hb);
    return r;
}

int main(void)
{
    alarm(120);
    uv_loop_init(&loop);
    const char *listen[] = {"127.54.8.1"};
    int port = 0;
    pid_t pid = tu_fakedns_start(listen, 1, NULL, &port);
    ok(pid > 0, "scripted server on 127.54.8.1#%d", port);
    if (pid <= 0)
        goto out;
    tu_addr(listen[0], port, &srv);

    io_config_t cfg;
    io_config_init(&cfg);
    is_int((int)cfg.live_retries, 3, "default: up to 3 tries beyond retries for a live server");
    cfg.timeout_ms = 100;
    cfg.retries = 2;
    cfg.qps_per_server = 0;
    io_stats_t st;

    tu_res_t r = ask(&cfg, "loss3-live.test.", true, 0, &st);
    is_int(r.status, 0, "lost 3 times at a server answering others: answered");
    is_int(r.tries, 4, "on the 4th try, one beyond the 3 that retries allow");
    is_int((int)st.live_retried, 1, "one try granted beyond retries");

    r = ask(&cfg, "loss3-burst.test.", false, 5, &st);
    is_int(r.status, 0, "lost 3 times, its 5 siblings answered at once, nothing after: answered");
    is_int(r.tries, 4, "on the 4th try (the server answered since the first try)");

    cfg.live_retries = 0;
    r = ask(&cfg, "loss3-off.test.", true, 0, &st);
    is_int(r.status, IO_ETIMEOUT, "the same with live_retries 0: no answer after all tries");
    is_int(r.tries, 3, "3 tries (retries 2)");
    cfg.live_retries = 3;

    r = ask(&cfg, "drop-silent.test.", false, 0, &st);
    is_int(r.status, IO_ETIMEOUT, "never answered, nothing else answered: timeout");
    is_int(r.tries, 3, "after the 3 tries retries allow: a silent server gets no extra try");
    is_int((int)st.live_retried, 0, "no try granted beyond retries");

    r = ask(&cfg, "drop-live.test.", true, 0, &st);
    is_int(r.status, IO_ETIMEOUT, "never answered while others are: timeout in the end");
    is_int(r.tries, 6, "after 3 + 3 tries (bounded by live_retries)");
out:
    tu_stop(pid);
    uv_loop_close(&loop);
    return tap_done();
}
