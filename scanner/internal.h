/* Private to scanner/: the run context, the zone and address caches, the per-domain state, and
 * the functions every part of the run shares. The functions of one area have their own header,
 * included only where used: zones.h, domain.h, feed.h, record.h, progress.h, metrics.h. */
#ifndef DNSSWEEP_SCANNER_INTERNAL_H
#define DNSSWEEP_SCANNER_INTERNAL_H

#include <ldns/ldns.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "io/io.h"
#include "results/results.h"
#include "scanner/hashtab.h"
#include "scanner/input.h"
#include "scanner/scanner.h"
#include "scanner/zonefile.h"
#include "verify/verify.h"

/* Authoritative server addresses kept per zone or per domain. */
#define SCAN_MAX_ADDRS 16
/* Referrals followed from the root to one name; nested address lookups (NS name of a zone whose
 * NS name needs a lookup...). Both bound the work one name can cause. */
#define SCAN_MAX_REFERRALS 16
#define SCAN_MAX_NESTING 4
/* NS names whose addresses are cached (about 2.3 KB each): addr.c. */
#define SCAN_ADDR_CACHE_MAX 50000

/* ---- waiting for a cache entry to become ready ---- */

typedef struct scan_waiter {
    void (*cb)(void *arg);
    void *arg;
    struct scan_waiter *next;
} scan_waiter_t;

typedef struct scanner scanner_t;
typedef struct scan_gate scan_gate_t;

/* ---- zones: the parents of domains, validated once and shared ---- */

typedef enum scan_zone_state {
    SCAN_ZONE_PENDING,
    SCAN_ZONE_READY,
    SCAN_ZONE_FAILED, /* no usable server or no DNSKEY answer: children are indeterminate */
} scan_zone_state_t;

typedef enum scan_zone_security {
    SCAN_ZONE_SECURE,   /* keyset holds its validated DNSKEYs */
    SCAN_ZONE_INSECURE, /* unsigned, or below an insecure delegation */
    SCAN_ZONE_BOGUS,    /* its chain of trust fails: children are indeterminate */
} scan_zone_security_t;

typedef struct scan_zone {
    char name[LDNS_MAX_DOMAINLEN + 2]; /* presentation, lower case, trailing dot */
    ldns_rdf *dname;
    struct sockaddr_storage addrs[SCAN_MAX_ADDRS];
    size_t n_addrs;
    scan_zone_state_t state;
    scan_zone_security_t security;
    verify_keyset_t *keyset; /* SECURE only */
    char why[256];           /* FAILED / BOGUS: what went wrong, for the children's detail */
    /* How the DNSKEY question went, for saying why a failed root is the run's failure: no
     * server answered at all (the network's trouble), the rcode of the answer (-1 = none), the
     * first reason code of a BOGUS verdict (-1 = none). */
    bool silent;
    int dnskey_rcode;
    bool no_recursion; /* resolver mode: the DNSKEY answer came without RA (not a resolver) */
    int bogus_reason;
    int setups_left; /* DNSKEY setups a silent zone may still get (scan_zone_retry) */
    scan_waiter_t *waiters;
    int nesting;
    /* setup in progress */
    ldns_rr_list *ds;       /* validated DS RRs from the parent (owned) */
    ldns_rr_list *ns_names; /* NS RRs without glue still to resolve (owned) */
    size_t lookups_pending;
    void *hash_next; /* the zone cache's chain (hashtab.h) */
} scan_zone_t;

/* ---- NS name -> addresses, resolved by following referrals ---- */

typedef struct scan_addr_entry {
    char name[LDNS_MAX_DOMAINLEN + 2];
    bool done;
    struct sockaddr_storage addrs[SCAN_MAX_ADDRS];
    size_t n_addrs;
    size_t answers_pending; /* A and AAAA */
    bool busy;              /* its waiters are running */
    /* A question of the lookup got no answer at all (its tries timed out, or a zone on the
     * way could not be asked): the lookup says nothing about the name (addr.c). */
    bool unanswered;
    int attempts_left;     /* lookups still allowed before the waiters get no address */
    int late_lookups_left; /* lookups later requests may still start after an unanswered one */
    int nesting;
    scan_waiter_t *waiters;
    void *hash_next; /* the address cache's chain (hashtab.h) */
} scan_addr_entry_t;

/* ---- the per-domain state machine ---- */

enum scan_qslot {
    SCAN_Q_DNSKEY,
    SCAN_Q_SOA,
    SCAN_Q_A,
    SCAN_Q_CAA,
    SCAN_Q_CDS,
    SCAN_Q_CDNSKEY,
    SCAN_Q_PROBE,
    /* CDS and CDNSKEY again over TCP, asked only when the UDP answer held records: DS
     * automation acts only on what every transport serves. Not part of the verdict. */
    SCAN_Q_CDS_TCP,
    SCAN_Q_CDNSKEY_TCP,
    SCAN_Q_COUNT
};

typedef struct scan_domain scan_domain_t;

/* One query of a domain to one server: where its answer goes. */
typedef struct scan_qctx {
    scan_domain_t *domain;
    uint8_t server;
    uint8_t slot;
} scan_qctx_t;

typedef struct scan_server {
    char ns_name[LDNS_MAX_DOMAINLEN + 2];
    struct sockaddr_storage addr;
    char addr_text[64];
    uint8_t *wire[SCAN_Q_COUNT]; /* answers as received (kept small while in flight) */
    uint16_t wire_len[SCAN_Q_COUNT];
    ldns_pkt *answers[SCAN_Q_COUNT]; /* parsed from wire by the worker (io_answer_parse():
                                        read-only, io_answer_free()), freed when judged */
    int errors[SCAN_Q_COUNT];
    uint32_t rtt_ms;
    scan_qctx_t qctx[SCAN_Q_COUNT];
    verify_verdict_t *verdict; /* worker output */
    verify_status_t status;    /* its own status (lame when unusable) */
    int unusable_reason;       /* -1, VERIFY_REASON_NS_UNREACHABLE or VERIFY_REASON_NS_LAME */
    char unusable_detail[200];
    bool dnssec_asked;
    /* --servers names: DNSKEY and SOA answers still to come; questions beyond those two still
     * to come, and whether one of them got no answer (the name's next address is asked). */
    uint8_t apex_pending, others_pending;
    bool others_failed;
    bool dnskey_served; /* the DNSKEY answer carried records */
    bool apex_only;     /* judged on DNSKEY and SOA alone: never asked the other questions */
    bool partial;       /* answered DNSKEY and SOA, never some other question (NS_UNREACHABLE) */
} scan_server_t;

typedef enum scan_outcome {
    SCAN_OUTCOME_NONE,          /* servers were asked: judge them */
    SCAN_OUTCOME_NXDOMAIN,      /* the parent says not delegated */
    SCAN_OUTCOME_INDETERMINATE, /* the chain above could not be fetched (PARENT_UNREACHABLE) */
    SCAN_OUTCOME_PARENT_BOGUS,  /* a zone above fails validation (PARENT_BOGUS) */
} scan_outcome_t;

/* RFC 9615 bootstrapping (dsboot.c): the signal of one NS name of a domain without DS, the
 * CDS and CDNSKEY at _dsboot.<domain>._signal.<ns name>, looked up from the root through the
 * zone cache like a parent zone, in the zone that holds it. */
#define SCAN_MAX_DSBOOT 13
typedef struct scan_dsboot {
    scan_domain_t *d;
    char ns_name[LDNS_MAX_DOMAINLEN + 2]; /* lower case, no trailing dot */
    ldns_rdf *qname;                      /* NULL when no signal can be asked (failed) */
    scan_zone_t *zone;                    /* the zone asked; in the end the one that answered */
    int referrals;
    int asking;           /* 0 CDS, 1 CDNSKEY */
    ldns_pkt *answers[2]; /* CDS, CDNSKEY answers (owned; freed with the domain's answers) */
    int errors[2];
    verify_keyset_t *keyset; /* the answering zone's validated keys (a reference), SECURE only */
    scan_zone_security_t security;
    bool failed; /* detail says why no answer can be judged */
    char detail[200];
} scan_dsboot_t;

struct scan_domain {
    scanner_t *s;
    char name[SCANNER_NAME_MAX + 2]; /* presentation without trailing dot */
    ldns_rdf *dname;
    scan_zone_t *zone; /* the zone being asked (finally: the parent) */
    int referrals;
    ldns_pkt
        *referral; /* the parent's referral for this domain (owned; scan_domain_set_referral()) */
    bool referral_block; /* referral is an io_answer_parse() block (io_answer_free()), not an
                            ldns-built packet (the DS answer made into a referral) */
    scan_outcome_t outcome;
    char outcome_detail[300];
    scan_server_t *servers; /* n_servers of them, grown while the delegation is read */
    size_t n_servers;
    size_t cap_servers;
    size_t queries_pending;
    size_t lookups_pending;
    bool signed_hint;      /* DS at the parent or DNSKEYs seen: ask the DNSSEC questions */
    scan_dsboot_t *dsboot; /* n_dsboot signals (RFC 9615), asked once CDS/CDNSKEY are seen */
    size_t n_dsboot;
    bool dsboot_started;
    uint32_t queries;
    char probe_label[24];
    /* resolver check (--check-resolver) */
    ldns_pkt *check_answer;
    int check_error;
    bool check_pending;
    bool ready_to_judge;
    /* worker */
    verify_job_t job;
    verify_keyset_t *parent_keyset; /* a reference for the worker */
    scan_zone_security_t parent_security;
    int64_t now;
    struct scan_record *record; /* built by the worker, consumed on the loop */
    scan_gate_t *gate;          /* owned while its referral question is in flight */
    /* --zone-file (zonefeed.c): the referral built from the file, used once the walk reaches
     * the file's apex instead of asking it (owned until then); where the DS came from. */
    ldns_pkt *file_referral;
    bool file_settles_ds; /* signed DS or NSEC in the file: no DS question needed */
    bool ds_from_file;
    void *hash_next; /* the in-flight set's chain (hashtab.h) */
    /* The scanner's own trouble (breaker.c): every server of the zone above gave no answer
     * (parent_silent, silent_zone: that zone; the root stands for the resolver), or the resolver
     * refused the domain's questions (set by the worker). */
    bool parent_silent;
    bool resolver_refused;
    const scan_zone_t *silent_zone;
    scan_domain_t *held_next; /* results held back by the breaker */
};

/* ---- statistics ---- */

typedef struct scan_stats {
    uint64_t domains_read, domains_done, bad_lines, duplicates, skipped_resume, skipped_shard;
    uint64_t status_counts[VERIFY_STATUS_COUNT];
    uint64_t queries, zone_cache_hits, zone_setups, addr_cache_hits, addr_lookups;
    uint64_t addr_cache_flushes;
    uint64_t resolver_disagreements;
    uint64_t reason_counts[VERIFY_REASON_COUNT]; /* domains per reason code (once per domain) */
    uint64_t zonefile_delegations, ds_from_file, ds_from_wire;
} scan_stats_t;

/* ---- progress (progress.c) ---- */

typedef struct scan_progress {
    uint64_t total;       /* names in the input file, 0 = unknown (stdin, pipe) */
    unsigned interval_ms; /* non-terminal lines: DNSSWEEP_PROGRESS_INTERVAL_MS [10000] */
    uint64_t sample_ms, sample_done, sample_sent; /* last sample for the live rates */
    uint64_t seen_done, last_done_ms; /* when a domain last finished (pending timeouts) */
    bool printed;
} scan_progress_t;

/* ---- the circuit breaker (breaker.c) ---- */

/* Concluded domains the breaker looks back over. */
#define SCAN_BREAKER_WINDOW 64

typedef struct scan_breaker {
    /* Consecutive domains whose question to the root (resolver mode: to the resolver) got no
     * answer from any of its servers, since the last answer from it. */
    unsigned root_streak;
    /* The last SCAN_BREAKER_WINDOW concluded domains: the zone whose servers were all silent
     * for it, or NULL when its parent answered. */
    const scan_zone_t *window[SCAN_BREAKER_WINDOW];
    size_t window_pos, window_filled;
    /* Results of domains concluded on a silent parent: not stored until it is clear that the
     * scanner's network was not the cause (a later trip drops them). FIFO. */
    scan_domain_t *held_head, *held_tail;
    size_t n_held;
} scan_breaker_t;

/* ---- the run ---- */

struct scanner {
    const scanner_config_t *cfg;
    uv_loop_t *loop;
    io_engine_t *io;
    verify_ctx_t *vctx;
    verify_pool_t *pool;
    uv_async_t pool_async;
    uv_idle_t feeder;
    uv_signal_t sigint, sigterm;
    uv_timer_t ticker;
    results_store_t *store;
    results_scan_t *scan;
    FILE *json_out;
    scanner_input_t *input;
    /* --zone-file: the reader, its apex, the delegation last read (valid until the next) */
    struct scanner_zonefile *zonefile;
    ldns_rdf *scanner_zonefile_apex;
    struct scanner_zonefile_delegation zonefile_dg;
    bool zonefile_current;
    ldns_rr_list *anchor;
    scan_zone_t *root;
    scan_hashtab_t zones; /* scan_zone_t by name */
    scan_hashtab_t addrs; /* scan_addr_entry_t by NS name */
    size_t n_addr_entries;
    scan_hashtab_t gates;    /* scan_gate_t by zone name */
    scan_hashtab_t inflight; /* scan_domain_t by name */
    size_t active;
    bool input_done, interrupted, abandon, failed, closing;
    /* A run that could not judge domains (cli.md): the cause in plain words; non-empty = the
     * scan ends with exit 1, unfinished, with the resume command. */
    char failure[600];
    scan_breaker_t breaker;
    /* Address families whose servers are asked: -4/-6, minus a family the host cannot route. */
    bool use_v4, use_v6;
    int exit_code;
    uint64_t rng;
    uint64_t started_ms;
    uint64_t last_progress_ms;
    bool progress_tty, progress_on;
    scan_stats_t stats;
    scan_progress_t progress;
    io_stats_t final_io;
    atomic_bool notify_off;
    unsigned query_flags; /* IO_FLAG_DO, plus RD and CD in resolver mode */
};

/* names.c */
/* Presentation form of a name, lower case, trailing dot, into buf. */
void scan_name_text(const ldns_rdf *dname, char *buf, size_t len);
/* Waiter lists: add (aborts when out of memory: a lost waiter would hang the scan), run every
 * waiter once and empty the list, or free them without running. */
void scan_waiter_add(scan_waiter_t **list, void (*cb)(void *), void *arg);
void scan_waiters_run(scan_waiter_t **list);
void scan_waiters_free(scan_waiter_t **list);

/* packet.c */
/* RRs of type (and owner, when owner != NULL) from a section. The list is the caller's
 * (ldns_rr_list_free(), never deep); its RRs are borrowed from pkt and valid only as long as
 * pkt: clone what must outlive it. */
ldns_rr_list *scan_pkt_rrs(const ldns_pkt *pkt, ldns_pkt_section sec, ldns_rr_type type,
                           const ldns_rdf *owner);
/* The owner of the NS RRset in the authority section of a referral, or NULL (borrowed). */
const ldns_rdf *scan_pkt_referral_cut(const ldns_pkt *pkt);
/* Addresses of name from the additional section (A/AAAA), port set. Returns count added. */
size_t scan_pkt_glue(const ldns_pkt *pkt, const ldns_rdf *name, uint16_t port, bool v4, bool v6,
                     struct sockaddr_storage *out, size_t max);
/* Appends addr to list unless present. Returns the new count. */
size_t scan_addr_add(struct sockaddr_storage *list, size_t n, size_t max,
                     const struct sockaddr_storage *addr);
/* Adds the A/AAAA addresses of name (NULL = any owner) in list to out[n..]; returns the count. */
size_t scan_list_addrs(const ldns_rr_list *list, const ldns_rdf *name, uint16_t port, bool v4,
                       bool v6, struct sockaddr_storage *out, size_t n, size_t max);
/* Adds the A/AAAA addresses of name in the answer section to out[n..]; returns the count. */
size_t scan_pkt_answer_addrs(const ldns_pkt *pkt, const ldns_rdf *name, uint16_t port, bool v4,
                             bool v6, struct sockaddr_storage *out, size_t n, size_t max);
void scan_addr_text(const struct sockaddr_storage *addr, char *buf, size_t len);
/* Addresses in a fixed order: family, then address, then port (qsort-style result). */
int scan_addr_cmp(const struct sockaddr_storage *x, const struct sockaddr_storage *y);
/* The parent's side of a delegation (verify_delegation()) for a parent of the given security:
 * an insecure or bogus parent gives that state without looking at the referral. *out as
 * verify_delegation() fills it (out->ds is the caller's to ldns_rr_list_free()); budget: the
 * domain's work budget, or NULL for a zone set up for many domains. */
verify_parent_state_t scan_judge_parent(const verify_ctx_t *vctx, scan_zone_security_t security,
                                        const verify_keyset_t *keys, const ldns_pkt *referral,
                                        const ldns_rdf *child, int64_t now, verify_budget_t *budget,
                                        verify_delegation_result_t *out);

/* run.c */
void scan_domain_finished(void *arg); /* verify job done(): store, output, free */
uint64_t scan_now_ms(const scanner_t *s);
uint64_t scan_random(scanner_t *s);
void scan_setup_handles(scanner_t *s);
void scan_root_ready(void *arg);
void scan_pool_notify(void *arg);
void scan_print_summary(scanner_t *s, const io_stats_t *io, double secs);
/* Stores the domain's result (counts, -o line); on a store error the run fails. */
void scan_store_domain(scanner_t *s, scan_domain_t *d);
/* After s->input_done was set from inside a callback: the feeder ends the run once nothing is
 * in flight. */
void scan_end_soon(scanner_t *s);
void scan_domain_free(scan_domain_t *d);

/* Stops the scan when the engine could not open a socket for lack of file descriptors
 * (io_config_t.no_files_cb): says so once, stores no result from then on (any domain still in
 * flight may have been judged on a query that was never sent) and ends like an interrupted
 * scan, with the resume command. */
void scan_no_files(void *ctx, const struct sockaddr *server);

/* breaker.c */
/* Ends the run as a failure (cli.md): cause is printed now and again at the end with the resume
 * command; no result is stored from here on (the domains in flight are asked again on resume),
 * held results are dropped. The first cause wins. */
void scan_fail_run(scanner_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The root (resolver mode: the resolver) answered a domain's question. */
void scan_breaker_root_answered(scanner_t *s);
/* A domain is judged: feeds the breaker (which may trip: scan_fail_run()). Returns true when the
 * breaker keeps the domain (its result held back; the breaker frees it), false when the caller
 * stores (unless s->abandon) and frees it. */
bool scan_breaker_domain_done(scanner_t *s, scan_domain_t *d);
/* Held results: stores them (the run ended without trouble), or frees them unstored. */
void scan_breaker_release(scanner_t *s);
void scan_breaker_drop(scanner_t *s);

/* route.c */
/* Decides s->use_v4 / use_v6 from -4/-6 and whether the host can route each family (a UDP
 * connect() towards a root hint of that family, else a documentation address: no packet is
 * sent). Prints one notice per family skipped. Returns 0, or 1 after a message when no family
 * that the options allow can be routed (a failed run: nothing was sent). */
int scan_route_families(scanner_t *s, const ldns_rr_list *hints, char *skipped, size_t len);

/* fdlimit.c */
/* About what a scan needs besides TCP: stdio, loop, store, input/output, 2 x 16 UDP sockets. */
#define SCAN_FILES_TYPICAL 64
/* Raises the soft RLIMIT_NOFILE to the hard one (best effort). */
void scan_fd_limit_raise(void);
/* heap.c: keeps the parse blocks of large answers on the heap and their pages mapped between
 * domains (glibc's mallopt; best effort). */
void scan_heap_tune(void);
/* "too many open files (the open-file limit is N: raise it ...)" into buf. */
void scan_fd_hint(char *buf, size_t len);
/* The hint above (written into buf) when no_files, else otherwise: the reason to print. */
const char *scan_fd_reason(char *buf, size_t len, bool no_files, const char *otherwise);
/* Before the event loop exists: 1 (and a message) when too few descriptors are left for it
 * (libuv would abort), else 0. */
int scan_fd_preflight(void);

#endif
