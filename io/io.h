/*
 * io/: the libuv query engine. Knows packets and servers, nothing of DNSSEC meaning.
 * Runs on the caller's libuv loop (main thread); no function here is thread-safe.
 *
 * Life of a query: io_query() copies what it needs from the spec and queues the query; a send
 * pump on the loop sends it (UDP with EDNS0, random source port, CSPRNG query ID, 0x20 random
 * case) when the global and per-server rate limits and the in-flight cap allow. An answer is
 * accepted only when its source address and port, receiving socket, ID, question name (byte for
 * byte, case as sent), type and class all match; anything else is counted as dropped. An ICMP
 * error (port unreachable) ends a try only when the datagram it quotes is that try, question and
 * case included; others are counted in icmp_ignored. A truncated answer is asked again over TCP
 * (pipelined, reused connections). A try that times out, is refused or breaks is retried, moving
 * to the next server address when several were given.
 * Exactly one callback is made for every query that io_query() accepted.
 *
 * The engine keeps the loop alive only while queries are outstanding: uv_run(loop,
 * UV_RUN_DEFAULT) returns once every accepted query has had its callback (idle TCP connections
 * and the engine's timer do not hold the loop). Counters and the per-server table are kept
 * until io_engine_close().
 */
#ifndef DNSSWEEP_IO_H
#define DNSSWEEP_IO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ldns/ldns.h>
#include <uv.h>

/*
 * Errors: 0 is success, everything else negative. Also used as io_result_t.status. One error
 * space with the other modules (LMDB's habit): an error errno has a name for is that -errno;
 * the others have their own range, IO_ERRBASE and below, far from -errno and from the other
 * modules' ranges. io_strerror() names both.
 */
#define IO_ERRBASE (-31000)
enum {
    IO_OK = 0,
    IO_EINVAL = -EINVAL,      /* bad argument (no server, bad name, unsupported family...) */
    IO_ENOMEM = -ENOMEM,      /* out of memory */
    IO_ETIMEOUT = -ETIMEDOUT, /* no answer after all tries (the last try timed out) */
    IO_EREFUSED_PORT = -ECONNREFUSED, /* ICMP port unreachable / TCP connection refused: by every
                                         address (then without further tries), or on the last try */
    IO_EMALFORMED = IO_ERRBASE - 1,   /* a matching answer could not be parsed (last try) */
    IO_ECANCELLED = -ECANCELED,       /* io_cancel() or io_engine_close() */
    IO_ENETWORK = IO_ERRBASE - 2,     /* send failed / TCP connection reset or closed (last try) */
    IO_ECLOSING = IO_ERRBASE - 3,     /* io_query() after io_engine_close() */
    IO_ENOTFOUND = -ENOENT,           /* io_cancel() of a query that already completed */
    IO_ESYSTEM = IO_ERRBASE - 4,      /* libuv / socket setup failed */
    IO_ENOFILES = -EMFILE,            /* a socket could not be opened: this process is out of
                                         file descriptors (EMFILE/ENFILE). Local, never the
                                         server's fault: the query completes at once, without
                                         trying other addresses */
};

/* Returns a static, human-readable description of an io error code. */
const char *io_strerror(int err);

typedef struct io_engine io_engine_t;

/* Identifies one query for io_cancel(); never reused within one engine. 0 is never valid. */
typedef uint64_t io_query_id_t;

/* Maximum number of server addresses per query. */
#define IO_MAX_SERVERS 8

typedef struct io_config {
    uint32_t max_in_flight;            /* tries on the wire at once (UDP + TCP), <= 4M [10000] */
    uint32_t max_in_flight_per_server; /* tries on the wire to one address; 0 = no cap [1024]:
                                          a burst beyond a server's socket buffer is lost */
    uint32_t qps_global;               /* queries sent per second, all servers; 0 = unlimited [0] */
    uint32_t qps_per_server; /* queries sent per second to one address; 0 = unlimited [0] */
    uint32_t timeout_ms;     /* time to wait for the first try's answer [800] */
    uint32_t retries;        /* further tries after the first [2] */
    /* Further tries, beyond retries, for a query whose last try timed out at a server that
     * answered other queries since its first try (loss or a response rate limit, not a dead
     * server): one more each time, up to this many. A live server's drops then cost time,
     * never an answer (at 4 % of tries lost, 3 tries all fail 6e-5 of the time, 6 tries
     * 4e-9). Not used when retries is 0 [3] */
    uint32_t live_retries;
    uint32_t udp_sockets;        /* UDP sockets per address family, random ports [16] */
    uint16_t edns_bufsize;       /* advertised EDNS0 UDP payload size [1232] */
    uint32_t tcp_idle_ms;        /* close a TCP connection idle this long [5000] */
    uint32_t tcp_max_per_server; /* TCP connections per server address [2] */
    uint32_t tcp_max_pipeline;   /* queries outstanding on one TCP connection [64] */
    uint32_t socket_buffer;      /* SO_RCVBUF / SO_SNDBUF bytes per UDP socket [4 MiB] */
    uint32_t send_batch;         /* max tries sent per pump pass (loop iteration) [256] */
    uint32_t backoff_after;      /* timeouts in a row, with no answer for timeout_ms, before a
                                    server is backed off; 0 = never [8] */
    uint32_t backoff_qps;        /* send rate to a backed-off server [5] */
    /* AIMD per server: lost tries (a loss rate above random loss) and RRL slips cut the
     * server's rate to half of what it delivered, answers grow it back additively to
     * qps_per_server (when 0, it keeps growing) [true]; the lowest rate a cut goes to [5]. */
    bool aimd;
    uint32_t aimd_min_qps;
    bool randomize_case; /* 0x20: random case in the question name [true] */
    /* Called (may be NULL) each time a try cannot be sent because a socket cannot be opened
     * for lack of file descriptors, just before its query completes with IO_ENOFILES; server is
     * the address the try was for (borrowed, valid during the call). Lets the caller stop
     * before such local failures turn into conclusions about servers. It must not call into
     * the engine. [NULL] */
    void (*no_files_cb)(void *ctx, const struct sockaddr *server);
    void *no_files_ctx;
} io_config_t;

/* Fills *cfg with the defaults shown in brackets above. */
void io_config_init(io_config_t *cfg);

/* Query flags. */
#define IO_FLAG_DO 0x01       /* EDNS0 DO bit */
#define IO_FLAG_CD 0x02       /* header CD bit */
#define IO_FLAG_RD 0x04       /* header RD bit */
#define IO_FLAG_TCP_ONLY 0x08 /* skip UDP, ask over TCP */
#define IO_FLAG_NO_EDNS 0x10  /* no OPT record (then the DO flag is ignored) */
#define IO_FLAG_NO_PARSE                                                                           \
    0x20 /* hand over the wire only (pkt NULL): for callers that parse                             \
            elsewhere (io_parse_answer()), e.g. on worker threads;                                 \
            IO_EMALFORMED is then never reported */
#define IO_FLAG_BLOCK                                                                              \
    0x40 /* parse with io_answer_parse() (same answers accepted): pkt is then one read-only        \
            block the callback frees with io_answer_free(), never ldns_pkt_free() */

typedef struct io_result {
    int status;          /* 0: an answer arrived (any rcode: REFUSED and SERVFAIL are answers) */
    ldns_pkt *pkt;       /* the answer; OWNED BY THE CALLBACK, which must ldns_pkt_free() it
                            (io_answer_free() with IO_FLAG_BLOCK). NULL unless status == 0 */
    const uint8_t *wire; /* the answer as received (no TCP length prefix); borrowed,
                            valid only during the callback. NULL unless status == 0 */
    size_t wire_len;     /* bytes at wire */
    const struct sockaddr *server; /* the address that answered (status 0) or was tried last;
                                      borrowed, valid only during the callback; NULL when the
                                      query was cancelled before any try */
    uint32_t rtt_ms;               /* send to answer of the successful try */
    bool tcp;                      /* the answer came over TCP */
    uint8_t tries;                 /* tries sent, including the successful one */
    io_query_id_t id;              /* as returned by io_query() */
} io_result_t;

/* Called exactly once per accepted query, on the loop thread. The callback may call
 * io_query(), io_cancel() and io_engine_close() (the rest are then cancelled). */
typedef void (*io_callback_t)(void *ctx, const io_result_t *result);

typedef struct io_query_spec {
    const struct sockaddr_storage *servers; /* 1..IO_MAX_SERVERS addresses (AF_INET/AF_INET6,
                                               port included) of one zone; tries go round them
                                               in order. Copied: may be freed on return */
    size_t n_servers;
    const ldns_rdf *qname; /* the question name, or NULL to use qname_str */
    const char *qname_str; /* presentation format, e.g. "example.com." (relative = absolute) */
    uint16_t qtype;        /* LDNS_RR_TYPE_* */
    uint16_t qclass;       /* LDNS_RR_CLASS_*; 0 means IN */
    unsigned flags;        /* IO_FLAG_* */
    io_callback_t cb;      /* required */
    void *ctx;             /* passed to cb, not touched by the engine */
} io_query_spec_t;

/*
 * Creates an engine on the caller's loop and opens its UDP sockets (udp_sockets IPv4 and, when
 * the host has IPv6, as many IPv6 ones, each on a kernel-chosen random port). cfg may be NULL
 * for the defaults; it is copied. The caller owns *out and must call io_engine_close().
 * Returns 0, IO_EINVAL, IO_ENOMEM, IO_ENOFILES (a socket could not be opened for lack of file
 * descriptors: IPv6 sockets too, since an engine without them would wrongly fail every IPv6
 * server) or IO_ESYSTEM; after IO_ENOFILES or IO_ESYSTEM some handles may already have been
 * opened and are being closed: run the loop once more (UV_RUN_NOWAIT) to release them.
 */
int io_engine_new(uv_loop_t *loop, const io_config_t *cfg, io_engine_t **out);

/*
 * Starts a query. Everything in spec is copied. Queries beyond max_in_flight (or waiting for
 * the rate limits) queue inside the engine without bound, at about 450 bytes each in slots
 * that are allocated 1,024 at a time and reused, never freed before io_engine_close(); a
 * caller with millions of queries should keep a window (e.g. 2-5x max_in_flight) and submit
 * more from its callbacks. Each distinct server address costs ~500 bytes until close. On success
 * *id_out (may be NULL) identifies it and the callback will be called exactly once, never from
 * inside io_query(). Returns 0, IO_EINVAL (no server, too many, bad name, no callback), IO_ENOMEM
 * or IO_ECLOSING; on error no callback is made.
 */
int io_query(io_engine_t *engine, const io_query_spec_t *spec, io_query_id_t *id_out);

/*
 * Cancels a query: its callback runs with IO_ECANCELLED before io_cancel() returns. A late
 * answer is then counted as dropped. Returns 0 or IO_ENOTFOUND when the query has already
 * completed (its id is stale; harmless).
 */
int io_cancel(io_engine_t *engine, io_query_id_t id);

/*
 * Shuts down: every outstanding query's callback runs with IO_ECANCELLED (before this returns),
 * sockets and timers are closed, and once libuv has closed them all the engine is freed and
 * done_cb(done_ctx) (may be NULL) runs from the loop. The engine pointer is invalid after this
 * call. NULL engine: no-op.
 */
void io_engine_close(io_engine_t *engine, void (*done_cb)(void *ctx), void *done_ctx);

typedef struct io_stats {
    uint64_t queries;                /* accepted by io_query() */
    uint64_t sent;                   /* tries sent (UDP datagrams + TCP frames) */
    uint64_t answered;               /* queries completed with status 0 */
    uint64_t timed_out;              /* queries completed with IO_ETIMEOUT */
    uint64_t failed;                 /* queries completed with another error (not cancelled) */
    uint64_t cancelled;              /* queries completed with IO_ECANCELLED */
    uint64_t try_timeouts;           /* single tries that timed out */
    uint64_t retried;                /* tries after the first */
    uint64_t live_retried;           /* of which beyond retries (live_retries) */
    uint64_t truncated;              /* UDP answers with TC=1, asked again over TCP */
    uint64_t slips;                  /* of which RRL slips: the TCP answer fit in UDP */
    uint64_t rate_cuts;              /* AIMD cuts of a server's rate (aimd in io_config_t) */
    uint64_t tcp_sent;               /* tries sent over TCP */
    uint64_t tcp_connections;        /* TCP connections opened */
    uint64_t refused_port;           /* tries refused (ICMP port unreachable, TCP ECONNREFUSED) */
    uint64_t malformed;              /* matching answers that did not parse */
    uint64_t send_errors;            /* sends that failed locally */
    uint64_t no_files;               /* tries not sent for lack of file descriptors */
    uint64_t dropped;                /* received and discarded: sum of the dropped_* below */
    uint64_t dropped_unknown_id;     /* no query in flight with this socket + ID */
    uint64_t dropped_wrong_source;   /* ID known but from another address or port */
    uint64_t dropped_wrong_question; /* name (case-exact), type or class differ, or not QR */
    uint64_t dropped_short;          /* shorter than a DNS header */
    uint64_t icmp_ignored;           /* ICMP errors (port unreachable...) quoting no try in
                                        flight exactly (ID, address, question as sent): the
                                        try goes on. Not in dropped (not answers) */
    uint32_t in_flight;              /* tries on the wire now */
    uint32_t queued;                 /* accepted, waiting to be sent (rate limits, cap) */
    uint32_t servers;                /* distinct server addresses seen */
    uint32_t servers_backed_off;     /* of which currently backed off */
} io_stats_t;

/* Copies the engine-wide counters into *out. */
void io_stats_get(const io_engine_t *engine, io_stats_t *out);

typedef struct io_server_stats {
    struct sockaddr_storage addr;
    uint64_t sent;       /* tries sent to it (UDP + TCP) */
    uint64_t answered;   /* answers accepted from it */
    uint64_t timeouts;   /* tries to it that timed out */
    uint64_t refused;    /* tries refused */
    uint64_t tcp_sent;   /* tries sent over TCP */
    uint32_t srtt_ms;    /* smoothed RTT (RFC 6298 style), 0 before the first answer */
    uint32_t rtt_min_ms; /* 0 before the first answer */
    uint32_t rtt_max_ms; /* 0 before the first answer */
    uint32_t tcp_open;   /* TCP connections open now */
    bool backed_off;     /* currently sent to at backoff_qps only */
    uint64_t backoffs;   /* times it was backed off */
    uint64_t rate_cuts;  /* AIMD cuts of its rate */
    double rate_qps;     /* the rate AIMD allows it now; 0 = no limit of its own */
} io_server_stats_t;

/*
 * Per-server table: copies up to max entries (in first-seen order) into out (may be NULL when
 * max is 0) and returns the number of servers known, which may exceed max.
 */
size_t io_server_stats_list(const io_engine_t *engine, io_server_stats_t *out, size_t max);

/* Looks up one server address (port included). Returns 0 or IO_ENOTFOUND. */
int io_server_stats_get(const io_engine_t *engine, const struct sockaddr *addr,
                        io_server_stats_t *out);

/*
 * Parses an answer as the engine does (ldns_wire2pkt() plus the checks it misses: a message in
 * which ldns would read a TSIG RR is refused). For callers of IO_FLAG_NO_PARSE that parse
 * elsewhere (any thread). Returns IO_OK and *out (the caller's: ldns_pkt_free()), or IO_EMALFORMED
 * and *out NULL. wire is only read during the call.
 */
int io_parse_answer(const uint8_t *wire, size_t len, ldns_pkt **out);

/*
 * Parses an answer exactly as io_parse_answer() does (same checks, same packet, RRs and rdfs
 * field for field) into one block of memory: one malloc per answer instead of ~100. The
 * packet is READ-ONLY for ldns: read it with any ldns accessor, make lists of pointers to its
 * RRs (ldns_rr_list_free(), never deep), clone what must outlive it; never ldns_pkt_free() it,
 * free or push to its RRs, rdfs or section lists. Returns IO_OK and *out (the caller's:
 * io_answer_free()), or IO_EMALFORMED and *out NULL. wire is only read during the call.
 */
int io_answer_parse(const uint8_t *wire, size_t len, ldns_pkt **out);
/* io_answer_parse() with every RR's owner name (question included) in ASCII lower case, folded
 * while it is copied: what ldns_dname2canonical() on each owner would give afterwards, without
 * a second pass over answers of hundreds of RRs. RDATA names keep their case. */
int io_answer_parse_folded(const uint8_t *wire, size_t len, ldns_pkt **out);

/* Frees a packet of io_answer_parse() and everything in it. NULL is a no-op. */
void io_answer_free(ldns_pkt *pkt);

#endif
