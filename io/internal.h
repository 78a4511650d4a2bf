/*
 * Private declarations of the io/ module, shared by its .c files only.
 */
#ifndef DNSSWEEP_IO_INTERNAL_H
#define DNSSWEEP_IO_INTERNAL_H

#include "io/io.h"

#include <assert.h>
#include <netinet/in.h>

/* The timing wheel: one repeating uv_timer ticks every IO_TICK_MS and sweeps one bucket per
 * tick; a deadline further away than the wheel's span stays in its bucket for another round. */
#define IO_TICK_MS 5
#define IO_WHEEL_BUCKETS 1024

/* UDP receive buffer: libuv's recvmmsg path reads up to 20 datagrams of 64 KiB each. */
#define IO_RECV_CHUNK 65536
#define IO_RECV_CHUNKS 20

/* Largest query we build: header 12 + name 255 + 4 + OPT 11, plus the TCP length prefix. */
#define IO_QUERY_MAX 300

/* UDP datagrams staged by the pump and sent together with one sendmmsg() per socket. */
#define IO_STAGE_MAX 64

/* Slots are allocated in chunks and never moved, so pointers to them stay valid. */
#define IO_SLOT_CHUNK 1024

/* Intrusive circular doubly-linked list. */
typedef struct io_link {
    struct io_link *prev, *next;
} io_link_t;

static inline void io_list_init(io_link_t *head)
{
    head->prev = head->next = head;
}

static inline bool io_list_empty(const io_link_t *head)
{
    return head->next == head;
}

static inline bool io_linked(const io_link_t *l)
{
    return l->next != NULL;
}

static inline void io_list_push_tail(io_link_t *head, io_link_t *l)
{
    l->prev = head->prev;
    l->next = head;
    head->prev->next = l;
    head->prev = l;
}

static inline void io_list_push_head(io_link_t *head, io_link_t *l)
{
    l->next = head->next;
    l->prev = head;
    head->next->prev = l;
    head->next = l;
}

static inline void io_list_remove(io_link_t *l)
{
    l->prev->next = l->next;
    l->next->prev = l->prev;
    l->prev = l->next = NULL;
}

#define io_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

typedef struct io_server io_server_t;
typedef struct io_tcp_conn io_tcp_conn_t;
typedef struct io_slot io_slot_t;

typedef enum {
    IO_SLOT_FREE = 0,
    IO_SLOT_QUEUED,   /* in its server's send queue */
    IO_SLOT_SENDING,  /* taken off the queue by the pump, not yet on the wire */
    IO_SLOT_UDP,      /* datagram sent, waiting for the answer */
    IO_SLOT_TCP_WAIT, /* waiting for a TCP connection with room */
    IO_SLOT_TCP,      /* frame written on a connection, waiting for the answer */
} io_slot_state_t;

/* One query, from io_query() to its callback. */
struct io_slot {
    io_link_t link;       /* free list, server send queue, TCP wait queue */
    io_link_t wheel_link; /* wheel bucket while a try is on the wire */
    uint64_t expire_tick;
    uint64_t sent_ns;
    uint64_t first_sent_ns; /* when its first try was sent */
    io_query_id_t id;
    uint64_t hkey; /* key in the in-flight table while registered, else 0 */
    io_server_t *servers[IO_MAX_SERVERS];
    io_tcp_conn_t *conn;
    io_callback_t cb;
    void *ctx;
    uint32_t index;
    int last_error;
    unsigned flags;
    uint16_t qtype, qclass;
    uint16_t qname_len;
    uint8_t state;
    uint8_t n_servers, cur, tries, max_tries;
    uint8_t refused_mask; /* servers that refused: skipped by later tries */
    uint8_t live_extra;   /* tries granted beyond retries (io_config_t.live_retries) */
    bool use_tcp;
    bool truncated; /* a UDP try was answered TC=1 (the TCP answer tells whether it was a slip) */
    uint8_t lost_mask;     /* servers (index bits) where a try of it timed out */
    uint64_t lost_sent_ns; /* when the last try that timed out was sent */
    /* The question name in wire form, with the 0x20 case of the last try sent: the answer must
     * echo exactly these bytes. The packet itself is built in the engine's scratch buffer at
     * send time, which keeps slots small (they are touched cold, long after io_query()). */
    uint8_t qname[255];
};

struct io_server {
    struct sockaddr_storage addr;
    socklen_t addrlen;
    uint32_t hash;
    uint32_t order;  /* first-seen index */
    io_link_t queue; /* slots to send (UDP or TCP) */
    uint32_t queued;
    io_link_t sched_link; /* in the engine's ready or throttled list */
    uint8_t sched;        /* IO_SCHED_* */
    uint32_t in_flight;   /* tries on the wire to it */
    double tokens;
    uint64_t tokens_ms;
    uint32_t consecutive_timeouts;
    uint64_t last_answer_ms; /* loop time of the last accepted answer, 0 = never */
    uint64_t last_answer_ns; /* uv_hrtime() of the same (compared with a try's sent_ns) */
    bool backed_off;
    /* AIMD (aimd.c): qps 0 = no limit of its own. */
    struct {
        double qps, ceiling, step;
        uint64_t cut_ns, grow_ms, cuts;
        uint64_t win_ms, first_ms;            /* window start; first answer or loss */
        uint32_t win_answers, prev_answers;   /* answers in the current and previous window */
        uint32_t win_lost, prev_lost;         /* dropped, then answered: since the last cut */
        uint32_t win_timeouts, prev_timeouts; /* timeouts since the last cut */
        /* Answers that came whole over UDP: RRL slips only part of what it limits, so a server
         * (or a middlebox) that truncates every answer is not rate-limiting by its TC=1. */
        uint64_t udp_whole;
    } aimd;
    /* TCP */
    io_link_t conns; /* io_tcp_conn_t.server_link */
    uint32_t n_conns;
    io_link_t tcp_wait; /* slots waiting for a connection with room */
    io_server_stats_t st;
};

/* FULL: at max_in_flight_per_server, in no list until one of its tries ends. */
enum { IO_SCHED_NONE = 0, IO_SCHED_READY, IO_SCHED_THROTTLED, IO_SCHED_FULL };

typedef struct io_udp_sock {
    uv_udp_t handle;
    io_engine_t *engine;
    uint32_t index; /* global socket index: v4 sockets first, then v6 */
    int family;
    bool inited; /* the handle exists and must be closed */
} io_udp_sock_t;

struct io_tcp_conn {
    uv_tcp_t handle;
    uv_connect_t connect_req;
    uv_write_t write_req;
    io_engine_t *engine;
    io_server_t *server;
    io_link_t server_link;
    io_link_t engine_link;
    uint32_t serial;   /* in-flight keys of this connection's queries */
    uint32_t pending;  /* queries waiting for an answer on it */
    io_link_t queries; /* those queries, through io_slot_t.link */
    bool connected, closing, writing;
    uint64_t idle_since_ms;
    uint64_t created_ms;
    uint8_t *out, *writing_buf; /* frames to write; frames being written */
    size_t out_len, out_cap, writing_len, writing_cap;
    uint8_t *in; /* reassembly of length-prefixed answers */
    size_t in_len, in_cap;
};

typedef struct io_staged {
    io_slot_t *q;
    uint64_t key; /* q->hkey when staged: q may have been cancelled before the flush */
    io_udp_sock_t *sock;
    const io_server_t *server;
    uint16_t len;
    uint8_t buf[IO_QUERY_MAX - 2];
} io_staged_t;

typedef struct io_bucket {
    double tokens;
    double rate;  /* tokens per second; 0 = unlimited */
    double burst; /* capacity */
    uint64_t last_ms;
} io_bucket_t;

struct io_engine {
    uv_loop_t *loop;
    io_config_t cfg;
    bool closing;
    bool refd;
    void (*done_cb)(void *);
    void *done_ctx;
    unsigned pending_closes;

    uv_timer_t timer;
    uv_idle_t pump;
    bool pump_on;
    uint64_t tick;           /* last swept tick */
    uint64_t maintenance_ms; /* last error-queue drain and TCP idle sweep */
    io_link_t wheel[IO_WHEEL_BUCKETS];

    io_udp_sock_t *socks; /* udp_sockets IPv4 ones, then udp_sockets IPv6 ones */
    uint32_t n_socks;
    uint32_t n_v4, n_v6; /* usable sockets of each family (0 or udp_sockets) */
    uint8_t *recv_buf;
    io_staged_t *stage; /* IO_STAGE_MAX entries */
    uint32_t n_staged;

    /* Slot pool. */
    io_slot_t **chunks;
    uint32_t n_chunks;
    io_link_t free_slots;
    uint64_t next_seq;
    uint32_t active; /* accepted and not yet completed */

    /* In-flight table: open addressing, linear probing, values are slot index + 1. */
    uint32_t *inflight;
    uint32_t inflight_mask;
    uint32_t inflight_count;

    /* Servers: hash table (open addressing) plus first-seen array. */
    io_server_t **server_tab;
    uint32_t server_mask;
    io_server_t **server_list;
    uint32_t n_servers, server_list_cap;
    io_link_t ready;     /* servers with queued slots and tokens */
    io_link_t throttled; /* servers with queued slots waiting for tokens */

    io_link_t tcp_conns; /* every open connection */
    uint32_t tcp_serial;

    io_bucket_t global;

    uint8_t scratch[IO_QUERY_MAX]; /* the query being sent: 2-byte TCP length, then DNS */
    uint8_t rng[4096];
    size_t rng_pos;

    io_stats_t st;
};

/* rng / wire (wire.c) */
uint16_t io_rng_u16(io_engine_t *e);
int io_name_to_wire(const io_query_spec_t *spec, uint8_t *out, uint16_t *len);
/* Builds q's next try with ID qid into e->scratch (length prefix at [0..1], query from [2]);
 * re-randomises the case of q->qname. Returns the query length without the prefix. */
uint16_t io_build_query(io_engine_t *e, io_slot_t *q, uint16_t qid);
/* Checks that an answer's header and question belong to q. Returns 0 or a drop reason. */
enum { IO_MATCH_OK = 0, IO_MATCH_QUESTION, IO_MATCH_SHORT };
int io_match_answer(const io_slot_t *q, const uint8_t *pkt, size_t len);
/* True when the additional section holds a TSIG RR, as far as the message can be walked (both
 * answer parsers refuse such a message: see io_parse_answer()). len >= 12. */
bool io_wire_has_tsig(const uint8_t *p, size_t len);
/* Checks that the datagram quoted by an ICMP error is q's try as sent (QR clear, opcode QUERY,
 * the question byte for byte). Returns 0 or a drop reason. */
int io_match_quote(const io_slot_t *q, const uint8_t *pkt, size_t len);
bool io_sockaddr_equal(const struct sockaddr *a, const struct sockaddr *b);

static inline io_slot_t *io_slot_at(const io_engine_t *e, uint32_t index)
{
    assert(index < e->n_chunks * IO_SLOT_CHUNK); /* indexes come from the engine's own slots */
    return &e->chunks[index / IO_SLOT_CHUNK][index % IO_SLOT_CHUNK];
}

/* in-flight table (inflight.c) */
uint64_t io_key(uint32_t sock_or_conn, uint16_t qid);
io_slot_t *io_inflight_find(io_engine_t *e, uint64_t key);
void io_inflight_add(io_engine_t *e, io_slot_t *q, uint64_t key);
void io_inflight_del(io_engine_t *e, io_slot_t *q);

/* query life (engine.c) */
void io_try_failed(io_engine_t *e, io_slot_t *q, int err);

/* The io error for a libuv error from opening a socket: running out of file descriptors is
 * told apart (IO_ENOFILES), because it says nothing about the server. */
static inline int io_socket_error(int uv_err)
{
    return uv_err == UV_EMFILE || uv_err == UV_ENFILE ? IO_ENOFILES : IO_ESYSTEM;
}
void io_answer(io_engine_t *e, io_slot_t *q, const uint8_t *pkt, size_t len, bool tcp);
/* Counts an answer dropped, and dropped for the reason whose counter (a dropped_* of e->st) is
 * reason. */
static inline void io_count_drop(io_engine_t *e, uint64_t *reason)
{
    e->st.dropped++;
    (*reason)++;
}
/* io_answer() for an answer to q's try when its header and question are q's; counted dropped
 * (dropped_wrong_question) otherwise. */
void io_deliver(io_engine_t *e, io_slot_t *q, const uint8_t *pkt, size_t len, bool tcp);
/* A staged try that the kernel did not take (buffer full): undo it, back to the queue head. */
void io_try_unsent(io_engine_t *e, io_slot_t *q);
void io_pump_kick(io_engine_t *e);
/* Runs one bounded pump pass right away (if there is anything to send). */
void io_pump_now(io_engine_t *e);
void io_handle_closed(uv_handle_t *h);
/* Counts one closed handle; frees the engine after the last one once it is closing. */
void io_close_done(io_engine_t *e);

/* servers (server.c) */
int io_server_get(io_engine_t *e, const struct sockaddr_storage *ss, io_server_t **out);
void io_servers_free(io_engine_t *e);
void io_server_enqueue(io_engine_t *e, io_server_t *s, io_slot_t *q, bool front);
void io_server_answered(io_engine_t *e, io_server_t *s, uint32_t rtt_ms);
void io_server_timed_out(io_engine_t *e, io_server_t *s);
/* aimd.c: an answer from s; a try sent at sent_ns (uv_hrtime) that timed out at s, that s
 * dropped (it timed out and s answered the question later) or slipped (RRL's TC=1); the rate
 * AIMD allows s now (0 = no limit of its own). */
void io_aimd_answered(io_engine_t *e, io_server_t *s);
typedef enum { IO_AIMD_TIMEOUT, IO_AIMD_DROPPED, IO_AIMD_SLIP } io_aimd_loss_t;
void io_aimd_lost(io_engine_t *e, io_server_t *s, io_aimd_loss_t kind, uint64_t sent_ns);
double io_aimd_limit(const io_server_t *s);
/* The rate the server may be sent at now: the per-server limit, the AIMD limit below it, or
 * the back-off rate while backed off; 0 = unlimited. */
double io_server_rate(const io_engine_t *e, const io_server_t *s);
bool io_bucket_take(io_bucket_t *b, uint64_t now_ms, bool take);
void io_bucket_init(io_bucket_t *b, uint32_t qps, uint64_t now_ms);
bool io_server_take_token(io_engine_t *e, io_server_t *s, uint64_t now_ms);
void io_servers_unthrottle(io_engine_t *e, uint64_t now_ms);

/* udp (udp.c) */
int io_udp_open(io_engine_t *e);
void io_udp_close(io_engine_t *e);
/* Stages q's current try (ID chosen, registered in flight); io_udp_flush() sends it. Returns
 * 0 or an io error for the try. */
int io_udp_send(io_engine_t *e, io_slot_t *q);
/* Sends every staged datagram, one sendmmsg() per socket. Tries that could not be sent go
 * back to their queue (socket buffer full) or fail (other errors). */
void io_udp_flush(io_engine_t *e);
void io_udp_drain_errors(io_engine_t *e);
void io_udp_set_ref(io_engine_t *e, bool ref);

/* tcp (tcp.c) */
int io_tcp_send(io_engine_t *e, io_slot_t *q);
void io_tcp_detach(io_engine_t *e, io_slot_t *q);
void io_tcp_sweep_idle(io_engine_t *e, uint64_t now_ms);
void io_tcp_close_all(io_engine_t *e);
void io_tcp_set_ref(io_engine_t *e, bool ref);

#endif
