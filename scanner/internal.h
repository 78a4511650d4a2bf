/* Private to scanner/: the run context, the zone and address caches, the per-domain state. */
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

/* The record of one domain as the worker builds it: a results_record_t plus its storage. */
/* Every list grows to what the answers hold (nothing about a zone is dropped to fit an array).
 * The store keeps at most RESULTS_LIST_MAX entries per list: one 64 KB answer holds fewer DS
 * or DNSKEY RRs than that, reasons are one per code and server, and the CDS list, which joins
 * two answers, is the one that can exceed it: record_cds() then says so (CDS_INVALID). */
typedef struct scan_record {
    results_record_t rec;
    results_reason_t *reasons; /* rec.reasons, rec.n_reasons used */
    size_t cap_reasons;
    char **strings; /* every heap string the record points to */
    size_t n_strings, cap_strings;
    results_ds_t *ds;                  /* rec.parent.ds */
    results_dnskey_t *dnskey;          /* rec.dnskey */
    uint8_t *dnskey_roles;             /* rec.dnskey_roles */
    const char **cds;                  /* rec.cds */
    results_cds_server_t *cds_servers; /* rec.cds_servers */
    results_cds_record_t *cds_records; /* the records of every cds_servers entry */
    results_dsboot_t *dsboot;          /* rec.dsboot */
    const char **dsboot_records;       /* the records of every dsboot entry */
    results_nameserver_t nameservers[SCAN_MAX_ADDRS];
} scan_record_t;

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

/* What one progress line shows. */
typedef struct scan_progress_view {
    uint64_t processed, total, in_flight;
    uint64_t status_counts[VERIFY_STATUS_COUNT];
    double domains_per_s, queries_per_s;
    double eta_s; /* < 0 = unknown */
    bool finished;
} scan_progress_view_t;

/* ---- metrics (metrics.c) ---- */

typedef struct scan_metrics {
    const char *scan_name;
    const char *mode;    /* authoritative | resolver | zone-file */
    const char *version; /* of this dnssweep */
    bool finished;
    double start_time, end_time; /* this run's, unix seconds */
    /* The stored scan's counts (all runs of it): known when it finished. */
    bool scan_counts_known;
    uint64_t scan_domains;
    uint64_t scan_status_counts[VERIFY_STATUS_COUNT];
    /* This run's: domains judged, reason codes, input, queries. */
    uint64_t run_status_counts[VERIFY_STATUS_COUNT];
    uint64_t reason_counts[VERIFY_REASON_COUNT];
    uint64_t names_read, bad_lines;
    io_stats_t io;
} scan_metrics_t;

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

/* zones.c */
int scan_zones_init(scanner_t *s);
void scan_zones_free(scanner_t *s);
/* The closest enclosing zone of name in the cache (the root at worst); never NULL after init. */
scan_zone_t *scan_zone_closest(scanner_t *s, const ldns_rdf *name, bool strict);
scan_zone_t *scan_zone_find(scanner_t *s, const ldns_rdf *name);
/* Starts the root zone's setup from hints and anchor. */
int scan_zone_start_root(scanner_t *s, const ldns_rr_list *hints);
/* Creates (or returns) the zone that the referral delegates to, below parent; its setup
 * (addresses, DS check, DNSKEY validation) runs asynchronously. */
scan_zone_t *scan_zone_from_referral(scanner_t *s, scan_zone_t *parent, const ldns_pkt *referral,
                                     const ldns_rdf *cut, int nesting);
/* A new PENDING zone in the cache (caller starts its setup). NULL when out of memory. */
scan_zone_t *scan_zone_new(scanner_t *s, const ldns_rdf *dname, int nesting);
/* Marks the zone READY or FAILED and runs its waiters. */
void scan_zone_ready(scan_zone_t *z, scan_zone_state_t state);
/* With the zone's servers known and z->ds set (or not): validates its DNSKEY RRset against
 * z->ds, then marks it ready. */
void scan_zone_continue(scanner_t *s, scan_zone_t *z);
/* Registers cb(arg) to run once the zone is READY or FAILED and returns true; returns false
 * (and registers nothing) when it already is. */
bool scan_zone_wait(scan_zone_t *z, void (*cb)(void *), void *arg);
/* NS-name address lookup (cached). Returns the entry; when !entry->done, cb(arg) runs once it
 * is. NULL when out of memory. */
scan_addr_entry_t *scan_addr_lookup(scanner_t *s, const ldns_rdf *name, int nesting,
                                    void (*cb)(void *), void *arg);

/* gate.c */
int scan_gates_init(scanner_t *s);
void scan_gates_free(scanner_t *s);
/* Returns 1 when another domain is asking about name: cb(arg) runs once its answer is in.
 * Returns 0 when the caller should ask; *owned is then the gate to open afterwards (or
 * left NULL when none could be made). */
int scan_gate_enter(scanner_t *s, const ldns_rdf *name, void (*cb)(void *), void *arg,
                    scan_gate_t **owned);
/* Removes the gate and lets its waiters go on. */
void scan_gate_open(scanner_t *s, scan_gate_t *gate);

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

/* cuts.c: zone cuts found from the answers (verdicts.md) */
/* The zone that answered with pkt's records about child: the signer of an RRSIG or the owner of
 * a SOA (answer, then authority section) strictly above child; NULL when none. Borrowed from pkt.
 */
const ldns_rdf *scan_pkt_answering_zone(const ldns_pkt *pkt, const ldns_rdf *child);
/* pkt is what the servers of d->zone (secure) answered about child (d's name or a cut above it):
 * a referral, or the answer to "child DS"; responder is the server that sent it. When it shows
 * that a zone strictly between d->zone and child answered (or, for a referral that carries
 * nothing signed, may have), looks for that cut, sets it up (scan_zone_t, cached) and returns
 * true: done(d, found) runs once, with d->zone set to the zone found when found. Returns false
 * (nothing started) when the answer came from d->zone itself. pkt is only read during the call. */
bool scan_cut_check(scan_domain_t *d, const ldns_pkt *pkt, const ldns_rdf *child,
                    const struct sockaddr *responder, void (*done)(scan_domain_t *d, bool found));

/* domain.c */
void scan_domain_start(scanner_t *s, scan_domain_t *d);
/* Concludes a domain below zone z, which failed (unreachable: indeterminate) or is bogus. */
void scan_domain_conclude_below(scan_domain_t *d, const scan_zone_t *z);
/* Adds an authoritative server address to the domain (duplicates ignored). */
void scan_domain_add_server(scan_domain_t *d, const char *ns_name,
                            const struct sockaddr_storage *addr);
/* Asks every server of the domain its questions; the judgement follows the last answer. */
void scan_domain_ask_servers(scan_domain_t *d);
/* Ends the domain's questions early with an outcome (nxdomain, indeterminate). */
/* Frees the domain's referral (as its kind requires) and takes pkt in its place; block: pkt
 * comes from io_answer_parse() (IO_FLAG_BLOCK). pkt may be NULL. */
void scan_domain_set_referral(scan_domain_t *d, ldns_pkt *pkt, bool block);
void scan_domain_conclude(scan_domain_t *d, scan_outcome_t outcome, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int scan_send(scanner_t *s, const struct sockaddr_storage *addrs, size_t n, const ldns_rdf *qname,
              const char *qname_str, uint16_t qtype, unsigned flags, io_callback_t cb, void *ctx);

/* resolver.c: resolver mode (--resolver): the same questions through a recursive resolver
 * with RD, CD and DO; the chain of trust is rebuilt from DS and DNSKEY answers. */
void scan_resolver_domain_start(scan_domain_t *d);
/* Builds a referral-shaped packet (DS or its denial in the authority section) from an answer
 * to "name DS", so the parent's side is judged the same way in both modes. New packet. */
ldns_pkt *scan_ds_answer_as_referral(const ldns_pkt *ds_answer, const ldns_pkt *ns_source);
/* The domain's delegation (d->referral) is known: read it and ask the child's servers. */
void scan_domain_delegation(scan_domain_t *d);
/* An extra question of the domain (dsboot.c) came back: judges the domain when it was the last. */
void scan_domain_question_done(scan_domain_t *d);

/* dsboot.c: for a domain without DS at the parent whose server served CDS/CDNSKEY, looks up the
 * RFC 9615 signal of every NS name of the delegation (once per domain; adds to queries_pending
 * until each is answered). */
void scan_dsboot_start(scan_domain_t *d);
/* Frees the signals' answers and keysets (on the worker after judging, or with the domain). */
void scan_dsboot_free(scan_domain_t *d);

/* zonefeed.c: the input of a scan, a domain list or a zone file (--zone-file). */
int scan_feed_open(scanner_t *s); /* 0 or -errno */
void scan_feed_close(scanner_t *s);
int scan_feed_next(scanner_t *s, scanner_input_item_t *item); /* as scanner_input_next() */
/* Gives the domain just read from a zone file its referral (no-op for a domain list). */
void scan_feed_attach(scanner_t *s, scan_domain_t *d);
/* Called when the domain's zone is ready: true when the zone file answered for the parent
 * (the domain goes on from there), false to ask the parent as usual. */
bool scan_file_delegation(scan_domain_t *d);

/* judge.c: runs on a worker thread. */
void scan_judge_run(void *arg);
/* judge.c: the storage of a record being built (shared with judge_cds.c). scan_record_grow
 * makes room for one more element of size elem in *arr (n used of *cap): 0 or -1 (no memory);
 * scan_record_keep copies text into the record (NULL when text is NULL or out of memory);
 * scan_record_add_reason adds a reason once per code and server. */
int scan_record_grow(void **arr, size_t *cap, size_t n, size_t elem);
const char *scan_record_keep(scan_record_t *r, const char *text);
void scan_record_add_reason(scan_record_t *r, verify_reason_code_t code, const char *server,
                            const char *rrset, const char *detail);
/* judge_cds.c: rec.cds from one server's answers (CDS_INVALID when more than the store keeps);
 * rec.cds_servers once any server served CDS/CDNSKEY (every server then); rec.dsboot. */
void scan_record_cds(scan_record_t *r, const scan_server_t *sv);
void scan_record_cds_servers(scan_record_t *r, const scan_domain_t *d);
void scan_record_dsboot(scan_record_t *r, const scan_domain_t *d);
void scan_record_free(scan_record_t *r);
/* fix.c: the record's one fix (doc/verdicts.md) from its reasons, parent and DS, and the
 * servers' verdicts (first: the first server's, NULL when none was judged), into out. */
void scan_fix_write(const scan_record_t *r, const scan_domain_t *d, const verify_verdict_t *first,
                    char *out, size_t len);

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
/* "too many open files (the open-file limit is N: raise it ...)" into buf. */
void scan_fd_hint(char *buf, size_t len);
/* The hint above (written into buf) when no_files, else otherwise: the reason to print. */
const char *scan_fd_reason(char *buf, size_t len, bool no_files, const char *otherwise);
/* Before the event loop exists: 1 (and a message) when too few descriptors are left for it
 * (libuv would abort), else 0. */
int scan_fd_preflight(void);

/* progress.c */
/* Decides whether and how to show progress (cfg->progress, isatty) and counts the input. */
void scan_progress_init(scanner_t *s);
/* From the 1-s ticker: rewrites the terminal line, or prints a line once per interval. */
void scan_progress_tick(scanner_t *s);
/* After the loop: the last line (and a newline on a terminal). */
void scan_progress_final(scanner_t *s);
/* DNSSWEEP_PROGRESS_INTERVAL_MS value (NULL = unset) -> milliseconds [10000]. */
unsigned scan_progress_interval_ms(const char *env_value);
/* The text of one progress line, without line ending; truncated to len. */
void scan_progress_format(const scan_progress_view_t *v, char *line, size_t len);
/* The richest form of the line shorter than width columns (0 = no limit): rates and in flight
 * go first, then long status names; done/total and the ETA always stay. */
void scan_progress_format_fit(const scan_progress_view_t *v, size_t width, char *line, size_t len);

/* metrics.c */
/* Counts each reason code of rec once into stats->reason_counts. */
void scan_metrics_count_reasons(scan_stats_t *stats, const results_record_t *rec);
/* Prometheus text format of m to f. Returns 0 or -EIO. */
int scan_metrics_print(FILE *f, const scan_metrics_t *m);
/* Writes path atomically (temporary file in the same directory + rename). 0 or -errno. */
int scan_metrics_write(const char *path, const scan_metrics_t *m);
/* --metrics: writes the file from the run's figures (final_counts = the stored scan's counts
 * when known, else NULL for this run's). Reports failure on stderr; never fails the scan. */
/* Before the first query: can path be written as scan_metrics_write() will (a new file in its
 * directory, then renamed)? 0 or -errno; nothing is left behind. */
int scan_metrics_check(const char *path);
void scan_metrics_at_end(scanner_t *s, const char *scan_name, const uint64_t *final_counts,
                         bool finished, double secs);

#endif
