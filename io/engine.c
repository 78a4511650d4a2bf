/*
 * The engine: query slots, the in-flight table, the send pump, the timing wheel and the life of
 * a query from io_query() to its one callback.
 */
#include "io/internal.h"
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

const char *io_strerror(int err)
{
    /* The text of each IO_E* code; other negative values are -errno. */
    static const text_code_t errors[] = {
        {IO_OK, "success"},
        {IO_EINVAL, "invalid argument"},
        {IO_ENOMEM, "out of memory"},
        {IO_ETIMEOUT, "no answer after all tries"},
        {IO_EREFUSED_PORT, "refused (port unreachable / connection refused)"},
        {IO_EMALFORMED, "malformed answer"},
        {IO_ECANCELLED, "cancelled"},
        {IO_ENETWORK, "network error (send failed, connection reset)"},
        {IO_ECLOSING, "engine is closing"},
        {IO_ENOTFOUND, "not found"},
        {IO_ESYSTEM, "system error"},
        {IO_ENOFILES, "too many open files (a socket could not be opened)"},
    };
    return text_strerror(errors, sizeof errors / sizeof errors[0], err, "unknown io error");
}

void io_deliver(io_engine_t *e, io_slot_t *q, const uint8_t *pkt, size_t len, bool tcp)
{
    if (io_match_answer(q, pkt, len) != IO_MATCH_OK) {
        io_count_drop(e, &e->st.dropped_wrong_question);
        return;
    }
    io_answer(e, q, pkt, len, tcp);
}

void io_config_init(io_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->max_in_flight = 10000;
    cfg->max_in_flight_per_server = 1024;
    cfg->timeout_ms = 800;
    cfg->retries = 2;
    cfg->live_retries = 3;
    cfg->udp_sockets = 16;
    cfg->edns_bufsize = 1232;
    cfg->tcp_idle_ms = 5000;
    cfg->tcp_max_per_server = 2;
    cfg->tcp_max_pipeline = 64;
    cfg->socket_buffer = 4u << 20;
    cfg->send_batch = 256;
    cfg->backoff_after = 8;
    cfg->backoff_qps = 5;
    cfg->aimd = true;
    cfg->aimd_min_qps = 5;
    cfg->randomize_case = true;
}

/* ---- slots ---- */

static io_slot_t *slot_alloc(io_engine_t *e)
{
    if (io_list_empty(&e->free_slots)) {
        /* Grow by one chunk: the only allocation on the query path, amortised over 1024. */
        if (e->n_chunks * (uint64_t)IO_SLOT_CHUNK >= (1u << 24))
            return NULL;
        io_slot_t **chunks = realloc(e->chunks, (e->n_chunks + 1) * sizeof *chunks);
        if (chunks == NULL)
            return NULL;
        e->chunks = chunks;
        io_slot_t *c = calloc(IO_SLOT_CHUNK, sizeof *c);
        if (c == NULL)
            return NULL;
        e->chunks[e->n_chunks] = c;
        for (uint32_t i = 0; i < IO_SLOT_CHUNK; i++) {
            c[i].index = e->n_chunks * IO_SLOT_CHUNK + i;
            io_list_push_tail(&e->free_slots, &c[i].link);
        }
        e->n_chunks++;
    }
    io_link_t *l = e->free_slots.next;
    io_list_remove(l);
    return io_container_of(l, io_slot_t, link);
}

static void slot_release(io_engine_t *e, io_slot_t *q)
{
    q->state = IO_SLOT_FREE;
    q->id = 0;
    io_list_push_head(&e->free_slots, &q->link);
}

/* ---- references: the engine keeps the loop alive only while queries are outstanding ---- */

static void set_refs(io_engine_t *e, bool ref)
{
    if (e->refd == ref)
        return;
    e->refd = ref;
    if (ref) {
        uv_ref((uv_handle_t *)&e->timer);
        uv_ref((uv_handle_t *)&e->pump);
    } else {
        uv_unref((uv_handle_t *)&e->timer);
        uv_unref((uv_handle_t *)&e->pump);
    }
    io_udp_set_ref(e, ref);
    io_tcp_set_ref(e, ref);
}

/* ---- life of a query ---- */

/* A try is off the wire: its server may send again if it was at its in-flight cap. */
static void try_ended(io_engine_t *e, io_server_t *s)
{
    e->st.in_flight--;
    s->in_flight--;
    if (s->sched == IO_SCHED_FULL) {
        s->sched = IO_SCHED_READY;
        io_list_push_tail(&e->ready, &s->sched_link);
    }
}

/* Takes q out of every structure except its slot: wheel, in-flight table, queues, connection. */
static void detach(io_engine_t *e, io_slot_t *q)
{
    if (io_linked(&q->wheel_link))
        io_list_remove(&q->wheel_link);
    if (q->hkey != 0)
        io_inflight_del(e, q);
    switch (q->state) {
    case IO_SLOT_QUEUED:
        io_list_remove(&q->link);
        q->servers[q->cur]->queued--;
        e->st.queued--;
        break;
    case IO_SLOT_TCP_WAIT:
        io_list_remove(&q->link);
        try_ended(e, q->servers[q->cur]);
        break;
    case IO_SLOT_TCP:
        io_tcp_detach(e, q);
        try_ended(e, q->servers[q->cur]);
        break;
    case IO_SLOT_UDP:
        try_ended(e, q->servers[q->cur]);
        break;
    default:
        break;
    }
    q->state = IO_SLOT_FREE;
    io_pump_kick(e);
}

static void complete(io_engine_t *e, io_slot_t *q, int status, ldns_pkt *pkt, const uint8_t *wire,
                     size_t wire_len, bool tcp, uint32_t rtt_ms)
{
    detach(e, q);
    io_result_t r = {
        .status = status,
        .pkt = pkt,
        .wire = wire,
        .wire_len = wire_len,
        .server = q->tries > 0 ? (const struct sockaddr *)&q->servers[q->cur]->addr : NULL,
        .rtt_ms = rtt_ms,
        .tcp = tcp,
        .tries = q->tries,
        .id = q->id,
    };
    io_callback_t cb = q->cb;
    void *ctx = q->ctx;
    slot_release(e, q);
    if (status == IO_OK)
        e->st.answered++;
    else if (status == IO_ETIMEOUT)
        e->st.timed_out++;
    else if (status == IO_ECANCELLED)
        e->st.cancelled++;
    else
        e->st.failed++;
    if (--e->active == 0)
        set_refs(e, false);
    cb(ctx, &r);
}

void io_try_failed(io_engine_t *e, io_slot_t *q, int err)
{
    detach(e, q);
    io_server_t *s = q->servers[q->cur];
    if (err == IO_EREFUSED_PORT) {
        q->refused_mask |= (uint8_t)(1u << q->cur);
        s->st.refused++;
        e->st.refused_port++;
    }
    q->last_error = err;
    if (err == IO_ENOFILES) {
        /* Our own limit, not the server's doing: another address would fare no better, and
         * the caller must not take this for an unreachable server. */
        e->st.no_files++;
        if (e->cfg.no_files_cb)
            e->cfg.no_files_cb(e->cfg.no_files_ctx, (const struct sockaddr *)&s->addr);
        complete(e, q, IO_ENOFILES, NULL, NULL, 0, false, 0);
        return;
    }
    uint8_t all = (uint8_t)((1u << q->n_servers) - 1);
    if ((q->refused_mask & all) == all) {
        complete(e, q, IO_EREFUSED_PORT, NULL, NULL, 0, false, 0);
        return;
    }
    if (q->tries >= q->max_tries) {
        complete(e, q, err, NULL, NULL, 0, false, 0);
        return;
    }
    /* Next try: the next address that has not refused us. */
    uint8_t c = q->cur;
    for (uint8_t i = 1; i <= q->n_servers; i++) {
        c = (uint8_t)((q->cur + i) % q->n_servers);
        if (!(q->refused_mask & (1u << c)))
            break;
    }
    q->cur = c;
    e->st.retried++;
    io_server_enqueue(e, q->servers[c], q, false);
}

void io_try_unsent(io_engine_t *e, io_slot_t *q)
{
    io_server_t *s = q->servers[q->cur];
    detach(e, q);
    q->tries--;
    e->st.sent--;
    s->st.sent--;
    io_server_enqueue(e, s, q, true);
}

void io_answer(io_engine_t *e, io_slot_t *q, const uint8_t *pkt, size_t len, bool tcp)
{
    uint32_t rtt = (uint32_t)((uv_hrtime() - q->sent_ns) / 1000000u);
    io_server_t *s = q->servers[q->cur];
    if (!tcp && (pkt[2] & 0x02)) {
        /* Truncated: ask the same server again over TCP; that re-ask is one more try. */
        e->st.truncated++;
        io_server_answered(e, s, rtt);
        detach(e, q);
        q->use_tcp = true;
        q->truncated = true;
        if (q->max_tries < UINT8_MAX)
            q->max_tries++;
        io_server_enqueue(e, s, q, true);
        return;
    }
    ldns_pkt *p = NULL;
    if (!(q->flags & IO_FLAG_NO_PARSE) &&
        ((q->flags & IO_FLAG_BLOCK) ? io_answer_parse(pkt, len, &p)
                                    : io_parse_answer(pkt, len, &p)) != IO_OK) {
        e->st.malformed++;
        io_try_failed(e, q, IO_EMALFORMED);
        return;
    }
    io_server_answered(e, s, rtt);
    /* An answer that fits in the UDP size we offered came TC=1 over UDP: not too big, but a
     * response rate limit's "slip" (RRL answers some of what it would drop with TC=1) -- where
     * the server also answers whole over UDP: RRL slips only part of what it limits, and one
     * that truncates everything (a truncating middlebox, a TCP-only server) is not limiting. */
    size_t udp_room = (q->flags & IO_FLAG_NO_EDNS) ? 512 : e->cfg.edns_bufsize;
    if (!tcp)
        s->aimd.udp_whole++;
    if (tcp && q->truncated && len <= udp_room && s->aimd.udp_whole > 0) {
        e->st.slips++;
        io_aimd_lost(e, s, IO_AIMD_SLIP, q->sent_ns);
    } else if (q->lost_mask & (1u << q->cur)) {
        /* It dropped this question before and answers it now: a rate limit or loss, not a
         * question it never answers. */
        io_aimd_lost(e, s, IO_AIMD_DROPPED, q->lost_sent_ns);
    }
    complete(e, q, IO_OK, p, pkt, len, tcp, rtt);
}

/* ---- timing wheel ---- */

static void io_wheel_arm(io_engine_t *e, io_slot_t *q, uint32_t timeout_ms)
{
    uint64_t now_tick = uv_now(e->loop) / IO_TICK_MS;
    if (now_tick < e->tick)
        now_tick = e->tick;
    q->expire_tick = now_tick + (timeout_ms + IO_TICK_MS - 1) / IO_TICK_MS + 1;
    io_list_push_tail(&e->wheel[q->expire_tick % IO_WHEEL_BUCKETS], &q->wheel_link);
}

/* The last try allowed timed out at a server that answered other queries since the query's
 * first try was sent: the datagrams or their answers were lost (loss, a rate limit's drops),
 * the server is not dead. One more try, so that such losses cost time and never end a query
 * the way a dead server does. Since the first try, not the last: the last try's wait often
 * falls at the end of a burst (a domain's questions, a scan's tail) when nothing else is asked
 * of that address, while its sibling questions sent with the first try were answered. */
static void grant_live_retry(io_engine_t *e, io_slot_t *q)
{
    const io_server_t *s = q->servers[q->cur];
    if (q->tries < q->max_tries || e->cfg.retries == 0 || q->live_extra >= e->cfg.live_retries ||
        q->max_tries == UINT8_MAX || s->last_answer_ns <= q->first_sent_ns)
        return;
    q->live_extra++;
    q->max_tries++;
    e->st.live_retried++;
}

static void sweep_bucket(io_engine_t *e, io_link_t *bucket, uint64_t tick)
{
    /* Move the expired entries to a private list first: callbacks run from here may cancel or
     * add queries, which must not disturb the walk. */
    io_link_t expired;
    io_list_init(&expired);
    io_link_t *l = bucket->next;
    while (l != bucket) {
        io_link_t *next = l->next;
        io_slot_t *q = io_container_of(l, io_slot_t, wheel_link);
        if (q->expire_tick <= tick) {
            io_list_remove(l);
            io_list_push_tail(&expired, l);
        }
        l = next;
    }
    while (!io_list_empty(&expired)) {
        io_slot_t *q = io_container_of(expired.next, io_slot_t, wheel_link);
        io_list_remove(&q->wheel_link);
        e->st.try_timeouts++;
        io_server_timed_out(e, q->servers[q->cur]);
        q->lost_mask |= (uint8_t)(1u << q->cur);
        q->lost_sent_ns = q->sent_ns;
        io_aimd_lost(e, q->servers[q->cur], IO_AIMD_TIMEOUT, q->sent_ns);
        grant_live_retry(e, q);
        io_try_failed(e, q, IO_ETIMEOUT);
    }
}

static void tick_cb(uv_timer_t *t)
{
    io_engine_t *e = t->data;
    uint64_t now = uv_now(e->loop);
    uint64_t target = now / IO_TICK_MS;
    if (target > e->tick + IO_WHEEL_BUCKETS) {
        for (uint32_t b = 0; b < IO_WHEEL_BUCKETS; b++)
            sweep_bucket(e, &e->wheel[b], target);
        e->tick = target;
    }
    while (e->tick < target) {
        e->tick++;
        sweep_bucket(e, &e->wheel[e->tick % IO_WHEEL_BUCKETS], e->tick);
    }
    io_servers_unthrottle(e, now);
    io_pump_kick(e);
    if (now - e->maintenance_ms >= 100) {
        e->maintenance_ms = now;
        /* ICMP errors normally wake the socket; this catches any the kernel reported to a
         * send() instead, so the error queue never stays full. */
        io_udp_drain_errors(e);
        io_tcp_sweep_idle(e, now);
    }
}

/* ---- send pump ---- */

static void pump_cb(uv_idle_t *h);

static void pump_stop(io_engine_t *e)
{
    if (e->pump_on) {
        uv_idle_stop(&e->pump);
        e->pump_on = false;
    }
}

void io_pump_kick(io_engine_t *e)
{
    if (!e->pump_on && !e->closing && !io_list_empty(&e->ready) &&
        e->st.in_flight < e->cfg.max_in_flight) {
        uv_idle_start(&e->pump, pump_cb);
        e->pump_on = true;
    }
}

/* Per-try timeout: doubles each time the query comes back to an address it already tried
 * (back-off towards one slow server), stays put when moving to another address. */
static uint32_t try_timeout(const io_engine_t *e, const io_slot_t *q)
{
    uint32_t rounds = (uint32_t)(q->tries - 1) / q->n_servers;
    if (rounds > 3)
        rounds = 3;
    return e->cfg.timeout_ms << rounds;
}

/* Sends (TCP) or stages (UDP) q's next try and starts its timeout. */
static void send_try(io_engine_t *e, io_slot_t *q)
{
    io_server_t *s = q->servers[q->cur];
    q->tries++;
    q->sent_ns = uv_hrtime();
    if (q->tries == 1)
        q->first_sent_ns = q->sent_ns;
    int rc = q->use_tcp ? io_tcp_send(e, q) : io_udp_send(e, q);
    if (rc < 0) {
        e->st.send_errors++;
        io_try_failed(e, q, rc);
        return;
    }
    e->st.sent++;
    e->st.in_flight++;
    s->in_flight++;
    s->st.sent++;
    if (q->use_tcp) {
        e->st.tcp_sent++;
        s->st.tcp_sent++;
    }
    io_wheel_arm(e, q, try_timeout(e, q));
}

static void pump_cb(uv_idle_t *h)
{
    io_engine_t *e = h->data;
    uint64_t now = uv_now(e->loop);
    uint32_t budget = e->cfg.send_batch;
    while (budget > 0 && !io_list_empty(&e->ready)) {
        if (e->st.in_flight >= e->cfg.max_in_flight || !io_bucket_take(&e->global, now, false)) {
            /* Restarted by a completion (in-flight cap) or by the next tick (rate). */
            pump_stop(e);
            break;
        }
        io_server_t *s = io_container_of(e->ready.next, io_server_t, sched_link);
        io_list_remove(&s->sched_link);
        if (s->queued == 0) {
            s->sched = IO_SCHED_NONE;
            continue;
        }
        if (e->cfg.max_in_flight_per_server && s->in_flight >= e->cfg.max_in_flight_per_server) {
            s->sched = IO_SCHED_FULL; /* back to ready when one of its tries ends */
            continue;
        }
        if (!io_server_take_token(e, s, now)) {
            s->sched = IO_SCHED_THROTTLED;
            io_list_push_tail(&e->throttled, &s->sched_link);
            continue;
        }
        io_bucket_take(&e->global, now, true);
        io_slot_t *q = io_container_of(s->queue.next, io_slot_t, link);
        io_list_remove(&q->link);
        s->queued--;
        e->st.queued--;
        /* Off the queue: a send that fails at once must not unlink it a second time. */
        q->state = IO_SLOT_SENDING;
        /* Round robin between servers: back to the tail while it has more to send. */
        io_list_push_tail(&e->ready, &s->sched_link);
        budget--;
        send_try(e, q);
        if (e->n_staged == IO_STAGE_MAX)
            io_udp_flush(e);
    }
    io_udp_flush(e);
    if (io_list_empty(&e->ready))
        pump_stop(e);
}

void io_pump_now(io_engine_t *e)
{
    if (e->pump_on)
        pump_cb(&e->pump);
}

/* ---- public API ---- */

/* The address a query's first try goes to: the first one in the caller's order, unless a rate
 * limit (configured, AIMD's, or a back-off) makes another one's queue shorter to wait through:
 * one rate-limited address of a zone must not hold back what its other addresses can answer. */
static uint8_t first_server(const io_engine_t *e, const io_slot_t *q)
{
    uint8_t best = 0;
    double best_wait = 0;
    for (uint8_t i = 0; i < q->n_servers; i++) {
        const io_server_t *s = q->servers[i];
        double rate = io_server_rate(e, s);
        double wait = rate > 0 ? (double)s->queued / rate : 0;
        if (i == 0 || wait < best_wait) {
            best = i;
            best_wait = wait;
        }
    }
    return best;
}

int io_query(io_engine_t *e, const io_query_spec_t *spec, io_query_id_t *id_out)
{
    if (e == NULL || spec == NULL || spec->cb == NULL || spec->servers == NULL ||
        spec->n_servers == 0 || spec->n_servers > IO_MAX_SERVERS)
        return IO_EINVAL;
    if (e->closing)
        return IO_ECLOSING;
    io_slot_t *q = slot_alloc(e);
    if (q == NULL)
        return IO_ENOMEM;
    int rc = io_name_to_wire(spec, q->qname, &q->qname_len);
    if (rc != 0)
        goto fail;
    for (size_t i = 0; i < spec->n_servers; i++) {
        rc = io_server_get(e, &spec->servers[i], &q->servers[i]);
        if (rc != 0)
            goto fail;
    }
    q->n_servers = (uint8_t)spec->n_servers;
    q->cur = first_server(e, q);
    q->tries = 0;
    q->max_tries = (uint8_t)(e->cfg.retries >= 254 ? 255 : e->cfg.retries + 1);
    q->refused_mask = 0;
    q->live_extra = 0;
    q->flags = spec->flags;
    q->use_tcp = (spec->flags & IO_FLAG_TCP_ONLY) != 0;
    q->truncated = false;
    q->lost_mask = 0;
    q->qtype = spec->qtype;
    q->qclass = spec->qclass ? spec->qclass : LDNS_RR_CLASS_IN;
    q->cb = spec->cb;
    q->ctx = spec->ctx;
    q->conn = NULL;
    q->hkey = 0;
    q->last_error = IO_ETIMEOUT;
    q->id = (++e->next_seq << 24) | q->index;
    if (e->active++ == 0)
        set_refs(e, true);
    e->st.queries++;
    io_server_enqueue(e, q->servers[q->cur], q, false);
    if (id_out != NULL)
        *id_out = q->id;
    return 0;
fail:
    slot_release(e, q);
    return rc;
}

int io_cancel(io_engine_t *e, io_query_id_t id)
{
    uint32_t index = (uint32_t)(id & 0xffffff);
    if (e == NULL || id == 0 || index >= e->n_chunks * IO_SLOT_CHUNK)
        return IO_ENOTFOUND;
    io_slot_t *q = io_slot_at(e, index);
    if (q->id != id || q->state == IO_SLOT_FREE)
        return IO_ENOTFOUND;
    complete(e, q, IO_ECANCELLED, NULL, NULL, 0, false, 0);
    return 0;
}

int io_engine_new(uv_loop_t *loop, const io_config_t *cfg, io_engine_t **out)
{
    if (loop == NULL || out == NULL)
        return IO_EINVAL;
    int rc = IO_ENOMEM;
    io_engine_t *e = calloc(1, sizeof *e);
    if (e == NULL)
        return IO_ENOMEM;
    e->loop = loop;
    if (cfg != NULL)
        e->cfg = *cfg;
    else
        io_config_init(&e->cfg);
    if (e->cfg.max_in_flight == 0 || e->cfg.max_in_flight > (1u << 22) || e->cfg.timeout_ms == 0 ||
        e->cfg.udp_sockets == 0 || e->cfg.udp_sockets > 1024 || e->cfg.send_batch == 0 ||
        e->cfg.edns_bufsize < 512 || e->cfg.tcp_max_per_server == 0 ||
        e->cfg.tcp_max_pipeline == 0) {
        free(e);
        return IO_EINVAL;
    }
    e->rng_pos = sizeof e->rng;
    io_list_init(&e->free_slots);
    io_list_init(&e->ready);
    io_list_init(&e->throttled);
    io_list_init(&e->tcp_conns);
    for (uint32_t i = 0; i < IO_WHEEL_BUCKETS; i++)
        io_list_init(&e->wheel[i]);
    uint32_t size = 64;
    while (size < e->cfg.max_in_flight * 2u + 16)
        size *= 2;
    e->inflight = calloc(size, sizeof *e->inflight);
    if (e->inflight == NULL)
        goto fail;
    e->inflight_mask = size - 1;
    io_bucket_init(&e->global, e->cfg.qps_global, uv_now(loop));
    e->tick = uv_now(loop) / IO_TICK_MS;

    /* From here on handles exist: errors go through io_engine_close(). */
    uv_timer_init(loop, &e->timer);
    e->timer.data = e;
    uv_idle_init(loop, &e->pump);
    e->pump.data = e;
    e->pending_closes = 2;
    uv_timer_start(&e->timer, tick_cb, IO_TICK_MS, IO_TICK_MS);
    e->refd = true;
    rc = io_udp_open(e);
    set_refs(e, false);
    if (rc != 0) {
        io_engine_close(e, NULL, NULL);
        return rc;
    }
    *out = e;
    return 0;
fail:
    free(e->inflight);
    free(e);
    return rc;
}

static void engine_free(io_engine_t *e)
{
    void (*done)(void *) = e->done_cb;
    void *ctx = e->done_ctx;
    for (uint32_t i = 0; i < e->n_chunks; i++)
        free(e->chunks[i]);
    free(e->chunks);
    free(e->inflight);
    free(e->socks);
    free(e->recv_buf);
    free(e->stage);
    io_servers_free(e);
    free(e);
    if (done != NULL)
        done(ctx);
}

void io_close_done(io_engine_t *e)
{
    if (--e->pending_closes == 0 && e->closing)
        engine_free(e);
}

void io_handle_closed(uv_handle_t *h)
{
    io_close_done(h->data);
}

void io_engine_close(io_engine_t *e, void (*done_cb)(void *ctx), void *done_ctx)
{
    if (e == NULL || e->closing)
        return;
    e->closing = true;
    e->done_cb = done_cb;
    e->done_ctx = done_ctx;
    pump_stop(e);
    e->n_staged = 0;
    for (uint32_t c = 0; c < e->n_chunks; c++)
        for (uint32_t i = 0; i < IO_SLOT_CHUNK; i++) {
            io_slot_t *q = &e->chunks[c][i];
            if (q->state != IO_SLOT_FREE)
                complete(e, q, IO_ECANCELLED, NULL, NULL, 0, false, 0);
        }
    /* Keep the loop alive until every handle has closed and the engine is freed. */
    e->refd = false;
    set_refs(e, true);
    io_tcp_close_all(e);
    io_udp_close(e);
    uv_close((uv_handle_t *)&e->timer, io_handle_closed);
    uv_close((uv_handle_t *)&e->pump, io_handle_closed);
}
