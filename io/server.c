/*
 * Server addresses: the table of every address the engine has talked to, their send queues,
 * token buckets, back-off and statistics.
 */
#include "io/internal.h"

#include <stdlib.h>
#include <string.h>

static uint32_t addr_hash(const struct sockaddr_storage *ss)
{
    /* FNV-1a over family, port and address bytes. */
    const uint8_t *p;
    size_t n;
    uint16_t port;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const void *)ss;
        p = (const uint8_t *)&s4->sin_addr;
        n = 4;
        port = s4->sin_port;
    } else {
        const struct sockaddr_in6 *s6 = (const void *)ss;
        p = (const uint8_t *)&s6->sin6_addr;
        n = 16;
        port = s6->sin6_port;
    }
    uint32_t h = 2166136261u ^ ss->ss_family;
    h = (h ^ (port & 0xff)) * 16777619u;
    h = (h ^ (port >> 8)) * 16777619u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static int grow_table(io_engine_t *e)
{
    uint32_t size = e->server_mask ? (e->server_mask + 1) * 2 : 256;
    io_server_t **tab = calloc(size, sizeof *tab);
    if (tab == NULL)
        return IO_ENOMEM;
    for (uint32_t i = 0; e->server_tab && i <= e->server_mask; i++) {
        io_server_t *s = e->server_tab[i];
        if (s == NULL)
            continue;
        uint32_t j = s->hash & (size - 1);
        while (tab[j] != NULL)
            j = (j + 1) & (size - 1);
        tab[j] = s;
    }
    free(e->server_tab);
    e->server_tab = tab;
    e->server_mask = size - 1;
    return 0;
}

int io_server_get(io_engine_t *e, const struct sockaddr_storage *ss, io_server_t **out)
{
    if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
        return IO_EINVAL;
    uint32_t h = addr_hash(ss);
    if (e->server_tab != NULL) {
        for (uint32_t j = h & e->server_mask; e->server_tab[j] != NULL;
             j = (j + 1) & e->server_mask) {
            io_server_t *s = e->server_tab[j];
            if (s->hash == h && io_sockaddr_equal((const void *)&s->addr, (const void *)ss)) {
                *out = s;
                return 0;
            }
        }
    }
    /* New address: keep the table at most half full. */
    if ((e->n_servers + 1) * 2 > e->server_mask + 1 && grow_table(e) != 0)
        return IO_ENOMEM;
    if (e->n_servers == e->server_list_cap) {
        uint32_t cap = e->server_list_cap ? e->server_list_cap * 2 : 64;
        io_server_t **l = realloc(e->server_list, cap * sizeof *l);
        if (l == NULL)
            return IO_ENOMEM;
        e->server_list = l;
        e->server_list_cap = cap;
    }
    io_server_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return IO_ENOMEM;
    s->addrlen =
        ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    memcpy(&s->addr, ss, s->addrlen);
    memcpy(&s->st.addr, ss, s->addrlen);
    s->hash = h;
    s->order = e->n_servers;
    io_list_init(&s->queue);
    io_list_init(&s->conns);
    io_list_init(&s->tcp_wait);
    s->tokens_ms = uv_now(e->loop);
    s->tokens = 1;
    uint32_t j = h & e->server_mask;
    while (e->server_tab[j] != NULL)
        j = (j + 1) & e->server_mask;
    e->server_tab[j] = s;
    e->server_list[e->n_servers++] = s;
    e->st.servers = e->n_servers;
    *out = s;
    return 0;
}

void io_servers_free(io_engine_t *e)
{
    for (uint32_t i = 0; i < e->n_servers; i++)
        free(e->server_list[i]);
    free(e->server_list);
    free(e->server_tab);
}

/* Burst capacity: 2% of a second's worth, so that no one-second window can exceed the rate by
 * more than ~2% (the rest of the 5% tolerance is timer slack). */
static double burst_for(double rate)
{
    double b = rate / 50.0;
    return b < 1.0 ? 1.0 : b;
}

void io_bucket_init(io_bucket_t *b, uint32_t qps, uint64_t now_ms)
{
    b->rate = qps;
    b->burst = burst_for(b->rate);
    b->tokens = b->burst;
    b->last_ms = now_ms;
}

bool io_bucket_take(io_bucket_t *b, uint64_t now_ms, bool take)
{
    if (b->rate <= 0)
        return true;
    if (now_ms > b->last_ms) {
        b->tokens += (double)(now_ms - b->last_ms) * b->rate / 1000.0;
        if (b->tokens > b->burst)
            b->tokens = b->burst;
        b->last_ms = now_ms;
    }
    if (b->tokens < 1.0)
        return false;
    if (take)
        b->tokens -= 1.0;
    return true;
}

double io_server_rate(const io_engine_t *e, const io_server_t *s)
{
    double r = e->cfg.qps_per_server;
    double adapted = io_aimd_limit(s);
    if (adapted > 0 && (r == 0 || adapted < r))
        r = adapted;
    if (s->backed_off && (r == 0 || r > e->cfg.backoff_qps))
        r = e->cfg.backoff_qps > 0 ? e->cfg.backoff_qps : 1;
    return r;
}

/* The server's token bucket at now_ms: true when it holds a token, which take uses up. */
static bool server_bucket(io_engine_t *e, io_server_t *s, uint64_t now_ms, bool take)
{
    double rate = io_server_rate(e, s);
    if (rate <= 0)
        return true;
    io_bucket_t b = {
        .tokens = s->tokens, .rate = rate, .burst = burst_for(rate), .last_ms = s->tokens_ms};
    bool got = io_bucket_take(&b, now_ms, take);
    s->tokens = b.tokens;
    s->tokens_ms = b.last_ms;
    return got;
}

bool io_server_take_token(io_engine_t *e, io_server_t *s, uint64_t now_ms)
{
    return server_bucket(e, s, now_ms, true);
}

static bool server_has_token(io_engine_t *e, io_server_t *s, uint64_t now_ms)
{
    return server_bucket(e, s, now_ms, false);
}

void io_server_enqueue(io_engine_t *e, io_server_t *s, io_slot_t *q, bool front)
{
    q->state = IO_SLOT_QUEUED;
    if (front)
        io_list_push_head(&s->queue, &q->link);
    else
        io_list_push_tail(&s->queue, &q->link);
    s->queued++;
    e->st.queued++;
    if (s->sched == IO_SCHED_NONE) {
        s->sched = IO_SCHED_READY;
        io_list_push_tail(&e->ready, &s->sched_link);
    }
    io_pump_kick(e);
}

/* Called every tick: throttled servers whose bucket has refilled go back to the ready list. */
void io_servers_unthrottle(io_engine_t *e, uint64_t now_ms)
{
    io_link_t *l = e->throttled.next;
    while (l != &e->throttled) {
        io_link_t *next = l->next;
        io_server_t *s = io_container_of(l, io_server_t, sched_link);
        if (server_has_token(e, s, now_ms)) {
            io_list_remove(&s->sched_link);
            s->sched = IO_SCHED_READY;
            io_list_push_tail(&e->ready, &s->sched_link);
        }
        l = next;
    }
}

void io_server_answered(io_engine_t *e, io_server_t *s, uint32_t rtt_ms)
{
    s->st.answered++;
    io_aimd_answered(e, s);
    s->consecutive_timeouts = 0;
    s->last_answer_ms = uv_now(e->loop);
    s->last_answer_ns = uv_hrtime();
    if (s->backed_off) {
        s->backed_off = false;
        s->st.backed_off = false;
        e->st.servers_backed_off--;
    }
    if (s->st.srtt_ms == 0)
        s->st.srtt_ms = rtt_ms ? rtt_ms : 1;
    else
        s->st.srtt_ms = (s->st.srtt_ms * 7 + rtt_ms) / 8;
    if (s->st.rtt_min_ms == 0 || rtt_ms < s->st.rtt_min_ms)
        s->st.rtt_min_ms = rtt_ms ? rtt_ms : 1;
    if (rtt_ms > s->st.rtt_max_ms)
        s->st.rtt_max_ms = rtt_ms;
}

void io_server_timed_out(io_engine_t *e, io_server_t *s)
{
    s->st.timeouts++;
    s->consecutive_timeouts++;
    /* Timeouts in a row only count when the server has not answered anything for a whole
     * timeout period either: a server that drops some names but answers others is alive. */
    bool silent = s->last_answer_ms == 0 ||
                  uv_now(e->loop) - s->last_answer_ms >= (uint64_t)e->cfg.timeout_ms;
    if (!s->backed_off && e->cfg.backoff_after > 0 &&
        s->consecutive_timeouts >= e->cfg.backoff_after && silent) {
        /* A server that stops answering gets only a trickle of queries until it answers
         * again: polite to it, and cheaper for us than a flood of timeouts. */
        s->backed_off = true;
        s->st.backed_off = true;
        s->st.backoffs++;
        e->st.servers_backed_off++;
        if (s->tokens > 1)
            s->tokens = 1;
    }
}

void io_stats_get(const io_engine_t *engine, io_stats_t *out)
{
    *out = engine->st;
}

static void fill(const io_server_t *s, io_server_stats_t *out)
{
    *out = s->st;
    out->tcp_open = s->n_conns;
    out->rate_qps = io_aimd_limit(s);
}

size_t io_server_stats_list(const io_engine_t *engine, io_server_stats_t *out, size_t max)
{
    for (size_t i = 0; i < max && i < engine->n_servers; i++)
        fill(engine->server_list[i], &out[i]);
    return engine->n_servers;
}

int io_server_stats_get(const io_engine_t *engine, const struct sockaddr *addr,
                        io_server_stats_t *out)
{
    for (uint32_t i = 0; i < engine->n_servers; i++) {
        const io_server_t *s = engine->server_list[i];
        if (io_sockaddr_equal((const void *)&s->addr, addr)) {
            fill(s, out);
            return 0;
        }
    }
    return IO_ENOTFOUND;
}
