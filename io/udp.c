/*
 * UDP: a set of sockets per address family on kernel-chosen random ports, batched reads
 * (recvmmsg through libuv), non-blocking sends, and ICMP errors read from the socket error
 * queue so that "port unreachable" ends a try at once instead of timing out.
 */
#include "io/internal.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    io_engine_t *e = h->data;
    /* One engine-wide buffer: libuv delivers every datagram of a batch before it asks for the
     * next buffer, and we are done with a datagram when its callback returns. */
    buf->base = (char *)e->recv_buf;
    buf->len = IO_RECV_CHUNK * IO_RECV_CHUNKS;
}

static void drain_sock(io_engine_t *e, io_udp_sock_t *sock)
{
    int fd;
    if (uv_fileno((uv_handle_t *)&sock->handle, &fd) != 0)
        return;
    for (;;) {
        uint8_t data[512];
        union {
            char buf[512];
            struct cmsghdr align;
        } ctrl;
        struct sockaddr_storage dest;
        struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
        struct msghdr m = {.msg_name = &dest,
                           .msg_namelen = sizeof dest,
                           .msg_iov = &iov,
                           .msg_iovlen = 1,
                           .msg_control = ctrl.buf,
                           .msg_controllen = sizeof ctrl.buf};
        ssize_t n = recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
        if (n < 0)
            break;
        int err = IO_ENETWORK;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
            if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                  (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
                continue;
            struct sock_extended_err ee;
            memcpy(&ee, CMSG_DATA(c), sizeof ee);
            if ((ee.ee_origin == SO_EE_ORIGIN_ICMP && ee.ee_type == 3 && ee.ee_code == 3) ||
                (ee.ee_origin == SO_EE_ORIGIN_ICMP6 && ee.ee_type == 1 && ee.ee_code == 4) ||
                ee.ee_errno == ECONNREFUSED)
                err = IO_EREFUSED_PORT;
        }
        /* The error queue returns our own datagram as the error quotes it (from the DNS header
         * on) and, as the message name, the address it was sent to: both must match a try in
         * flight exactly, question and 0x20 case included, as an answer must. */
        io_slot_t *q = NULL;
        if (n >= 2)
            q = io_inflight_find(e, io_key(sock->index, (uint16_t)(data[0] << 8 | data[1])));
        if (q == NULL || q->state != IO_SLOT_UDP ||
            !io_sockaddr_equal((const void *)&dest, (const void *)&q->servers[q->cur]->addr) ||
            io_match_quote(q, data, (size_t)n) != IO_MATCH_OK) {
            e->st.icmp_ignored++;
            continue;
        }
        io_try_failed(e, q, err);
    }
}

void io_udp_drain_errors(io_engine_t *e)
{
    for (uint32_t i = 0; i < e->n_v4 + e->n_v6; i++)
        drain_sock(e, &e->socks[i < e->n_v4 ? i : e->cfg.udp_sockets + i - e->n_v4]);
}

static void recv_cb(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *addr,
                    unsigned flags)
{
    io_udp_sock_t *sock = io_container_of(h, io_udp_sock_t, handle);
    io_engine_t *e = sock->engine;
    if (nread < 0) {
        drain_sock(e, sock);
        return;
    }
    if (addr == NULL) {
        /* End of a recvmmsg batch: refill the slots the answers just freed now rather than
         * one loop iteration later, so the server's queue does not run dry meanwhile. */
        if (flags & UV_UDP_MMSG_FREE)
            io_pump_now(e);
        return;
    }
    const uint8_t *p = (const uint8_t *)buf->base;
    size_t len = (size_t)nread;
    if (len < 12) {
        io_count_drop(e, &e->st.dropped_short);
        return;
    }
    io_slot_t *q = io_inflight_find(e, io_key(sock->index, (uint16_t)(p[0] << 8 | p[1])));
    if (q == NULL || q->state != IO_SLOT_UDP) {
        io_count_drop(e, &e->st.dropped_unknown_id);
        return;
    }
    if (!io_sockaddr_equal(addr, (const void *)&q->servers[q->cur]->addr)) {
        io_count_drop(e, &e->st.dropped_wrong_source);
        return;
    }
    io_deliver(e, q, p, len, false);
}

static void set_buffer(int fd, int force_opt, int opt, int bytes)
{
    /* The FORCE variant ignores net.core.[rw]mem_max when we have CAP_NET_ADMIN. */
    if (setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof bytes) != 0)
        (void)setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof bytes);
}

static int open_sock(io_engine_t *e, io_udp_sock_t *sock, int family)
{
    sock->engine = e;
    sock->family = family;
    int rc = uv_udp_init_ex(e->loop, &sock->handle, (unsigned)family | UV_UDP_RECVMMSG);
    if (rc != 0)
        return io_socket_error(rc);
    sock->handle.data = e;
    sock->inited = true;
    e->pending_closes++;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_family = (sa_family_t)family;
    unsigned flags = family == AF_INET6 ? UV_UDP_IPV6ONLY : 0;
    if (uv_udp_bind(&sock->handle, (const struct sockaddr *)&ss, flags) != 0)
        return IO_ESYSTEM;
    int fd, on = 1;
    if (uv_fileno((uv_handle_t *)&sock->handle, &fd) != 0)
        return IO_ESYSTEM;
    set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, (int)e->cfg.socket_buffer);
    set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, (int)e->cfg.socket_buffer);
    if (family == AF_INET)
        (void)setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof on);
    else
        (void)setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof on);
    if (uv_udp_recv_start(&sock->handle, alloc_cb, recv_cb) != 0)
        return IO_ESYSTEM;
    return 0;
}

int io_udp_open(io_engine_t *e)
{
    uint32_t n = e->cfg.udp_sockets;
    e->n_socks = 2 * n;
    e->socks = calloc(e->n_socks, sizeof *e->socks);
    e->recv_buf = malloc((size_t)IO_RECV_CHUNK * IO_RECV_CHUNKS);
    e->stage = calloc(IO_STAGE_MAX, sizeof *e->stage);
    if (e->socks == NULL || e->recv_buf == NULL || e->stage == NULL)
        return IO_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        e->socks[i].index = i;
        int rc = open_sock(e, &e->socks[i], AF_INET);
        if (rc != 0)
            return rc;
    }
    e->n_v4 = n;
    /* IPv6 is optional: without it, IPv6 queries fail with IO_ENETWORK. But a host that has
     * IPv6 and only ran out of descriptors must not pass for one without. */
    uint32_t v6 = 0;
    for (uint32_t i = 0; i < n; i++) {
        e->socks[n + i].index = n + i;
        int rc = open_sock(e, &e->socks[n + i], AF_INET6);
        if (rc == IO_ENOFILES)
            return rc;
        if (rc != 0)
            break;
        v6++;
    }
    e->n_v6 = v6 == n ? n : 0;
    return 0;
}

void io_udp_close(io_engine_t *e)
{
    for (uint32_t i = 0; e->socks != NULL && i < e->n_socks; i++)
        if (e->socks[i].inited)
            uv_close((uv_handle_t *)&e->socks[i].handle, io_handle_closed);
}

void io_udp_set_ref(io_engine_t *e, bool ref)
{
    for (uint32_t i = 0; e->socks != NULL && i < e->n_socks; i++) {
        if (!e->socks[i].inited)
            continue;
        if (ref)
            uv_ref((uv_handle_t *)&e->socks[i].handle);
        else
            uv_unref((uv_handle_t *)&e->socks[i].handle);
    }
}

int io_udp_send(io_engine_t *e, io_slot_t *q)
{
    const io_server_t *s = q->servers[q->cur];
    uint32_t base = 0, n = e->n_v4;
    if (s->addr.ss_family == AF_INET6) {
        base = e->cfg.udp_sockets;
        n = e->n_v6;
    }
    if (n == 0)
        return IO_ENETWORK;
    uint16_t r = io_rng_u16(e);
    io_udp_sock_t *sock = &e->socks[base + r % n];
    uint16_t qid;
    uint64_t key;
    do {
        qid = io_rng_u16(e);
        key = io_key(sock->index, qid);
    } while (io_inflight_find(e, key) != NULL);
    io_staged_t *st = &e->stage[e->n_staged++];
    st->len = io_build_query(e, q, qid);
    memcpy(st->buf, e->scratch + 2, st->len);
    st->sock = sock;
    st->server = s;
    st->q = q;
    st->key = key;
    /* Registered now so that no other staged query on this socket can pick the same ID. */
    io_inflight_add(e, q, key);
    q->state = IO_SLOT_UDP;
    return 0;
}

/* False when the staged try was cancelled or failed after staging (a callback run from this
 * flush, or io_cancel() from a callback earlier in the pump pass). */
static bool still_staged(const io_staged_t *st)
{
    return st->q->state == IO_SLOT_UDP && st->q->hkey == st->key;
}

/* Entries [from, to) of group could not be sent: back to the queue, or failed. */
static void unsent(io_engine_t *e, io_staged_t **group, int from, int to, int err)
{
    for (int i = from; i < to; i++) {
        io_slot_t *q = group[i]->q;
        if (!still_staged(group[i]))
            continue;
        if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
            io_try_unsent(e, q);
        } else {
            e->st.send_errors++;
            io_try_failed(e, q, IO_ENETWORK);
        }
    }
}

static void flush_group(io_engine_t *e, io_staged_t **group, int n)
{
    struct mmsghdr msgs[IO_STAGE_MAX];
    struct iovec iov[IO_STAGE_MAX];
    int kept = 0;
    for (int i = 0; i < n; i++)
        if (still_staged(group[i]))
            group[kept++] = group[i];
    n = kept;
    if (n == 0)
        return;
    memset(msgs, 0, sizeof msgs[0] * (size_t)n);
    for (int i = 0; i < n; i++) {
        const io_server_t *s = group[i]->server;
        iov[i].iov_base = group[i]->buf;
        iov[i].iov_len = group[i]->len;
        msgs[i].msg_hdr.msg_name = (void *)&s->addr;
        msgs[i].msg_hdr.msg_namelen = s->addrlen;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int fd;
    if (uv_fileno((uv_handle_t *)&group[0]->sock->handle, &fd) != 0) {
        unsent(e, group, 0, n, EBADF);
        return;
    }
    int sent = 0;
    bool drained = false;
    while (sent < n) {
        int r = sendmmsg(fd, msgs + sent, (unsigned)(n - sent), MSG_DONTWAIT);
        if (r > 0) {
            sent += r;
            continue;
        }
        int err = errno;
        if (err == EINTR)
            continue;
        if (err == ECONNREFUSED && !drained) {
            /* An earlier datagram's ICMP error surfaced on this send: collect it, go on. */
            drain_sock(e, group[0]->sock);
            drained = true;
            continue;
        }
        unsent(e, group, sent, n, err);
        return;
    }
}

void io_udp_flush(io_engine_t *e)
{
    /* Group by socket (a pass over at most IO_STAGE_MAX entries per socket used), keeping
     * each socket's datagrams in the order the pump chose them. */
    uint32_t n = e->n_staged;
    bool done[IO_STAGE_MAX] = {false};
    io_staged_t *group[IO_STAGE_MAX];
    for (uint32_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        int g = 0;
        for (uint32_t j = i; j < n; j++) {
            if (!done[j] && e->stage[j].sock == e->stage[i].sock) {
                done[j] = true;
                group[g++] = &e->stage[j];
            }
        }
        flush_group(e, group, g);
    }
    e->n_staged = 0;
}
