/*
 * TCP (RFC 7766): a few connections per server, reused and pipelined, 2-byte length framing,
 * answers matched by ID in any order, closed when idle. A refused or broken connection ends
 * the try of every query on it; the retry logic in engine.c decides what happens next.
 */
#include "io/internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void conn_fail(io_engine_t *e, io_tcp_conn_t *c, int err);
static void serve_waiting(io_engine_t *e, io_server_t *s);

static uint32_t conn_key_id(const io_tcp_conn_t *c)
{
    /* UDP sockets use small indexes; connections live above bit 31. */
    return (1u << 31) | (c->serial & 0x7fffffffu);
}

static int reserve(uint8_t **buf, size_t *cap, size_t need)
{
    if (*cap >= need)
        return 0;
    size_t n = *cap ? *cap : 4096;
    while (n < need)
        n *= 2;
    uint8_t *b = realloc(*buf, n);
    if (b == NULL)
        return IO_ENOMEM;
    *buf = b;
    *cap = n;
    return 0;
}

static void close_cb(uv_handle_t *h)
{
    io_tcp_conn_t *c = io_container_of(h, io_tcp_conn_t, handle);
    io_engine_t *e = c->engine;
    free(c->out);
    free(c->writing_buf);
    free(c->in);
    free(c);
    io_close_done(e);
}

static void conn_close(io_engine_t *e, io_tcp_conn_t *c)
{
    if (c->closing)
        return;
    c->closing = true;
    io_list_remove(&c->server_link);
    io_list_remove(&c->engine_link);
    c->server->n_conns--;
    uv_close((uv_handle_t *)&c->handle, close_cb);
}

static void flush(io_engine_t *e, io_tcp_conn_t *c);

static void write_cb(uv_write_t *req, int status)
{
    io_tcp_conn_t *c = io_container_of(req, io_tcp_conn_t, write_req);
    c->writing = false;
    if (c->closing)
        return;
    if (status < 0) {
        conn_fail(c->engine, c, IO_ENETWORK);
        return;
    }
    flush(c->engine, c);
}

static void flush(io_engine_t *e, io_tcp_conn_t *c)
{
    if (!c->connected || c->writing || c->closing || c->out_len == 0)
        return;
    /* Swap buffers: frames queued while this write is in progress go into the other one. */
    uint8_t *b = c->writing_buf;
    size_t cap = c->writing_cap;
    c->writing_buf = c->out;
    c->writing_cap = c->out_cap;
    c->writing_len = c->out_len;
    c->out = b;
    c->out_cap = cap;
    c->out_len = 0;
    uv_buf_t buf = uv_buf_init((char *)c->writing_buf, (unsigned)c->writing_len);
    if (uv_write(&c->write_req, (uv_stream_t *)&c->handle, &buf, 1, write_cb) != 0) {
        conn_fail(e, c, IO_ENETWORK);
        return;
    }
    c->writing = true;
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    io_tcp_conn_t *c = io_container_of(h, io_tcp_conn_t, handle);
    if (reserve(&c->in, &c->in_cap, c->in_len + 65536 + 2) != 0) {
        buf->base = NULL;
        buf->len = 0;
        return;
    }
    buf->base = (char *)c->in + c->in_len;
    buf->len = c->in_cap - c->in_len;
}

static void frame(io_engine_t *e, io_tcp_conn_t *c, const uint8_t *p, size_t len)
{
    if (len < 12) {
        io_count_drop(e, &e->st.dropped_short);
        return;
    }
    io_slot_t *q = io_inflight_find(e, io_key(conn_key_id(c), (uint16_t)(p[0] << 8 | p[1])));
    if (q == NULL || q->state != IO_SLOT_TCP || q->conn != c) {
        io_count_drop(e, &e->st.dropped_unknown_id);
        return;
    }
    io_deliver(e, q, p, len, true);
}

static void read_cb(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    io_tcp_conn_t *c = io_container_of(st, io_tcp_conn_t, handle);
    io_engine_t *e = c->engine;
    if (nread < 0) {
        conn_fail(e, c, nread == UV_ECONNREFUSED ? IO_EREFUSED_PORT : IO_ENETWORK);
        return;
    }
    c->in_len += (size_t)nread;
    size_t pos = 0;
    /* Answers come in any order; each frame is matched on its own. A callback may add
     * queries to this connection but never closes it, so c stays valid here. */
    while (c->in_len - pos >= 2) {
        size_t flen = (size_t)(c->in[pos] << 8 | c->in[pos + 1]);
        if (c->in_len - pos < 2 + flen)
            break;
        frame(e, c, c->in + pos + 2, flen);
        pos += 2 + flen;
    }
    if (pos > 0) {
        memmove(c->in, c->in + pos, c->in_len - pos);
        c->in_len -= pos;
    }
}

static void connect_cb(uv_connect_t *req, int status)
{
    io_tcp_conn_t *c = io_container_of(req, io_tcp_conn_t, connect_req);
    io_engine_t *e = c->engine;
    if (c->closing)
        return;
    if (status < 0) {
        conn_fail(e, c, status == UV_ECONNREFUSED ? IO_EREFUSED_PORT : IO_ENETWORK);
        return;
    }
    c->connected = true;
    if (uv_read_start((uv_stream_t *)&c->handle, alloc_cb, read_cb) != 0) {
        conn_fail(e, c, IO_ENETWORK);
        return;
    }
    flush(e, c);
}

/* Opens a connection to s; NULL with *err set (IO_ENOMEM, IO_ENOFILES, IO_ESYSTEM) when it
 * cannot be started. */
static io_tcp_conn_t *conn_new(io_engine_t *e, io_server_t *s, int *err)
{
    *err = IO_ENOMEM;
    io_tcp_conn_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->engine = e;
    c->server = s;
    c->serial = ++e->tcp_serial;
    c->created_ms = uv_now(e->loop);
    io_list_init(&c->queries);
    int rc = uv_tcp_init(e->loop, &c->handle);
    if (rc != 0) {
        *err = io_socket_error(rc);
        free(c);
        return NULL;
    }
    c->handle.data = e;
    e->pending_closes++;
    io_list_push_tail(&s->conns, &c->server_link);
    io_list_push_tail(&e->tcp_conns, &c->engine_link);
    s->n_conns++;
    if (!e->refd)
        uv_unref((uv_handle_t *)&c->handle);
    (void)uv_tcp_nodelay(&c->handle, 1);
    /* The socket is created here (libuv opens it lazily): this is where EMFILE shows. */
    rc = uv_tcp_connect(&c->connect_req, &c->handle, (const struct sockaddr *)&s->addr, connect_cb);
    if (rc != 0) {
        *err = io_socket_error(rc);
        conn_close(e, c);
        return NULL;
    }
    e->st.tcp_connections++;
    return c;
}

static int attach(io_engine_t *e, io_tcp_conn_t *c, io_slot_t *q)
{
    uint16_t qid;
    uint64_t key;
    do {
        qid = io_rng_u16(e);
        key = io_key(conn_key_id(c), qid);
    } while (io_inflight_find(e, key) != NULL);
    size_t len = 2u + io_build_query(e, q, qid);
    if (reserve(&c->out, &c->out_cap, c->out_len + len) != 0)
        return IO_ENOMEM;
    memcpy(c->out + c->out_len, e->scratch, len);
    c->out_len += len;
    io_inflight_add(e, q, key);
    io_list_push_tail(&c->queries, &q->link);
    c->pending++;
    q->conn = c;
    q->state = IO_SLOT_TCP;
    flush(e, c);
    return 0;
}

/* A connection to s with room for one more query, opened if need be; NULL with *err set when
 * none has room (0) or a new one cannot be opened. */
static io_tcp_conn_t *conn_with_room(io_engine_t *e, io_server_t *s, int *err)
{
    *err = 0;
    for (io_link_t *l = s->conns.next; l != &s->conns; l = l->next) {
        io_tcp_conn_t *c = io_container_of(l, io_tcp_conn_t, server_link);
        if (!c->closing && c->pending < e->cfg.tcp_max_pipeline)
            return c;
    }
    if (s->n_conns < e->cfg.tcp_max_per_server)
        return conn_new(e, s, err);
    return NULL;
}

int io_tcp_send(io_engine_t *e, io_slot_t *q)
{
    io_server_t *s = q->servers[q->cur];
    int err;
    io_tcp_conn_t *c = conn_with_room(e, s, &err);
    if (c == NULL && s->n_conns == 0)
        return err == IO_ENOFILES ? IO_ENOFILES : IO_ENETWORK;
    if (c == NULL) {
        q->state = IO_SLOT_TCP_WAIT;
        io_list_push_tail(&s->tcp_wait, &q->link);
        return 0;
    }
    return attach(e, c, q);
}

/* Queries waiting for a connection: give them the room that just appeared. */
static void serve_waiting(io_engine_t *e, io_server_t *s)
{
    while (!io_list_empty(&s->tcp_wait)) {
        int err;
        io_tcp_conn_t *c = conn_with_room(e, s, &err);
        if (c == NULL && err == IO_ENOFILES && s->n_conns == 0) {
            /* No connection left to wait for and none can be opened: the waiting queries
             * would only time out, and a timeout would blame the server. */
            io_slot_t *q = io_container_of(s->tcp_wait.next, io_slot_t, link);
            io_try_failed(e, q, IO_ENOFILES);
            continue;
        }
        if (c == NULL)
            return;
        io_slot_t *q = io_container_of(s->tcp_wait.next, io_slot_t, link);
        io_list_remove(&q->link);
        if (attach(e, c, q) != 0) {
            q->state = IO_SLOT_TCP_WAIT;
            io_list_push_head(&s->tcp_wait, &q->link);
            return;
        }
    }
}

void io_tcp_detach(io_engine_t *e, io_slot_t *q)
{
    io_tcp_conn_t *c = q->conn;
    assert(c != NULL && c->pending > 0); /* only a query attached to a connection detaches */
    q->conn = NULL;
    io_list_remove(&q->link);
    c->pending--;
    if (c->pending == 0)
        c->idle_since_ms = uv_now(e->loop);
    if (!c->closing && !e->closing)
        serve_waiting(e, c->server);
}

static void conn_fail(io_engine_t *e, io_tcp_conn_t *c, int err)
{
    io_server_t *s = c->server;
    conn_close(e, c);
    while (!io_list_empty(&c->queries)) {
        io_slot_t *q = io_container_of(c->queries.next, io_slot_t, link);
        io_try_failed(e, q, err);
    }
    if (!e->closing)
        serve_waiting(e, s);
}

void io_tcp_sweep_idle(io_engine_t *e, uint64_t now_ms)
{
    /* A connect that hangs (SYN to a black hole) would hold one of the server's few
     * connections for minutes; give it two try timeouts. */
    uint64_t connect_limit = 2 * (uint64_t)e->cfg.timeout_ms;
restart:
    for (io_link_t *l = e->tcp_conns.next; l != &e->tcp_conns; l = l->next) {
        io_tcp_conn_t *c = io_container_of(l, io_tcp_conn_t, engine_link);
        if (!c->connected && now_ms - c->created_ms >= connect_limit) {
            /* Failing its queries may open or close other connections: rescan. */
            conn_fail(e, c, IO_ENETWORK);
            goto restart;
        }
        if (c->connected && c->pending == 0 && now_ms - c->idle_since_ms >= e->cfg.tcp_idle_ms) {
            conn_close(e, c);
            goto restart;
        }
    }
}

void io_tcp_close_all(io_engine_t *e)
{
    while (!io_list_empty(&e->tcp_conns))
        conn_close(e, io_container_of(e->tcp_conns.next, io_tcp_conn_t, engine_link));
}

void io_tcp_set_ref(io_engine_t *e, bool ref)
{
    for (io_link_t *l = e->tcp_conns.next; l != &e->tcp_conns; l = l->next) {
        io_tcp_conn_t *c = io_container_of(l, io_tcp_conn_t, engine_link);
        if (ref)
            uv_ref((uv_handle_t *)&c->handle);
        else
            uv_unref((uv_handle_t *)&c->handle);
    }
}
