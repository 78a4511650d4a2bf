/* Private declarations shared by the files of results/. */
#ifndef DNSSWEEP_RESULTS_INTERNAL_H
#define DNSSWEEP_RESULTS_INTERNAL_H

#include <lmdb.h>

#include "results/results.h"

/* ---- growable byte buffer ---- */
typedef struct results_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool failed; /* sticky: an allocation failed */
} results_buf_t;

void results_buf_reserve(results_buf_t *b, size_t extra);
void results_buf_put(results_buf_t *b, const void *p, size_t n);
void results_buf_str(results_buf_t *b, const char *s); /* a C string */
void results_buf_byte(results_buf_t *b, uint8_t v);
void results_buf_varint(results_buf_t *b, uint64_t v);
void results_buf_free(results_buf_t *b);

/* ---- bump arena for decoded records ---- */
typedef struct results_arena results_arena_t;
results_arena_t *results_arena_new(void);
void *results_arena_alloc(results_arena_t *a, size_t n);
/* Forgets every allocation but keeps the first block (iteration reuses one arena). */
void results_arena_reset(results_arena_t *a);
void results_arena_free(results_arena_t *a);

/* Tags of the record encoding (codec.c describes the layout). */
enum { PARENT_SIGNED = 1, PARENT_DS_FROM_ZONE_FILE = 2 };
enum { RC_PRESENT = 1, RC_AD = 2, RC_DISAGREES = 4 };
enum { HEX_NULL = 0, HEX_TEXT = 1, HEX_UPPER = 2, HEX_LOWER = 3 };
enum { ADDR_NULL = 0, ADDR_TEXT = 1, ADDR_V4 = 4, ADDR_V6 = 6 };
enum { EXT_CDS_SERVERS = 1, EXT_DSBOOT = 2, EXT_KEY_ROLES = 3 };
enum { CDS_REC_SERVED = 1, CDS_REC_SIGNS_DNSKEY = 2 };
enum { CDS_SRV_TCP_MASK = 3, CDS_SRV_ANSWERED = 4, CDS_SRV_DISAGREE = 8 };

/* Encodes rec (without its domain) appending to b. RESULTS_EINVAL for a record over the
 * limits. */
int results_encode_into(const results_record_t *rec, results_buf_t *b);
/* Decodes into out using arena (not reset here). summary_only stops after status, scanned_at,
 * reasons, fix, parent (with its DS) and DNSKEYs (what diff needs: keys_changed); the other
 * fields are zero. domain is copied. */
int results_decode_with(results_arena_t *arena, const char *domain, size_t domain_len,
                        const uint8_t *buf, size_t len, bool summary_only, results_record_t *out);

/* scanned_at of an encoded record without decoding the rest; INT64_MIN when unreadable. */
int64_t results_peek_scanned_at(const uint8_t *buf, size_t len);

/* ---- scan info encoding (value of the scans table) ---- */
typedef struct results_scan_meta {
    uint32_t id;
    int64_t started_at;
    int64_t finished_at;
    bool finished;
    uint64_t counts[VERIFY_STATUS_COUNT];
    char *input_desc;
    char *options;
    char *settings; /* schema 3: the scan's stored settings (results_settings_get); NULL before */
} results_scan_meta_t;

int results_scan_meta_encode(const results_scan_meta_t *m, results_buf_t *b);
/* Strings are malloc'ed (results_scan_meta_clear). */
int results_scan_meta_decode(const uint8_t *buf, size_t len, results_scan_meta_t *m);
void results_scan_meta_clear(results_scan_meta_t *m);

/* ---- the store ---- */
struct results_store {
    MDB_env *env;
    MDB_dbi dbi_meta;    /* "schema" -> u32 LE; "next_scan_id" -> u32 LE */
    MDB_dbi dbi_scans;   /* scan name -> results_scan_meta */
    MDB_dbi dbi_records; /* be32 scan id || domain -> encoded record */
    int flags;
    results_options_t opts;
    char *dir;
    int lock_fd; /* DIR/writers.lock, opened by the first writer; -1 until then */
    char errdetail[256];
};

/* The write lock of one scan: an OFD byte-range lock at offset id of DIR/writers.lock, so the
 * kernel drops it when the process dies (kill -9 included). RESULTS_EBUSY when another process
 * holds it. */
int results_scan_lock(results_store_t *s, uint32_t id);
void results_scan_unlock(results_store_t *s, uint32_t id);

/* Private flag of results_open_ex: the writable handle excludes every other writer of the store
 * (prune) instead of sharing it with them. */
#define RESULTS_OPEN_EXCLUSIVE_ (1 << 30)

/* generation.c: opening a store across prune's directory exchange. results_gen_enter takes a
 * shared (or, for the exchange, exclusive) flock on the directory dir names, polling up to
 * wait_ms while it is held the other way, and makes sure dir still names the directory it
 * locked; *fd_out holds the lock until results_gen_leave. Returns 0 or an errno value
 * (EWOULDBLOCK after wait_ms). */
int results_gen_enter(const char *dir, bool exclusive, unsigned wait_ms, int *fd_out);
void results_gen_leave(int fd);
/* The writable handle's claim on the store, held until results_close: shared among writers,
 * exclusive for prune. RESULTS_EINUSE when the other kind holds it. */
int results_store_claim(results_store_t *s, bool exclusive);
/* delete.c: removes the records of every scan id absent from the scans table (the records of
 * scans whose entries were deleted), in chunked write transactions; *removed counts them. */
int results_delete_orphans(results_store_t *s, uint64_t *removed);

/* Runs fn in a write transaction and commits; when the map is full, doubles it and runs fn
 * again from the start (fn must be replayable). fn returns 0, an LMDB code, or a RESULTS_E*. */
typedef int (*results_write_fn)(results_store_t *s, MDB_txn *txn, void *ctx);
int results_write(results_store_t *s, results_write_fn fn, void *ctx);
int results_meta_get_u32(MDB_txn *txn, MDB_dbi dbi, const char *key, uint32_t *out);
int results_meta_put_u32(MDB_txn *txn, MDB_dbi dbi, const char *key, uint32_t value);
int results_scan_find_ex(results_store_t *s, MDB_txn *txn, const char *name, bool unfinished_only,
                         results_scan_meta_t *meta, char **name_out);
/* Records the detail of an LMDB/system failure and maps the code to RESULTS_E*. */
int results_fail(results_store_t *s, const char *what, int rc);
/* The RESULTS_E* code for an errno or LMDB code (0 is RESULTS_OK): one mapping for the store
 * and for prune's file work. */
int results_rc_from(int rc);
/* Begins a transaction, adopting a map grown by another process (MDB_MAP_RESIZED). */
int results_txn_begin(results_store_t *s, unsigned flags, MDB_txn **txn);
/* Finds a scan by name (NULL = latest started) inside txn; name_out (optional) gets a
 * malloc'ed copy of the name. */
int results_scan_find(results_store_t *s, MDB_txn *txn, const char *name, results_scan_meta_t *meta,
                      char **name_out);
/* Record key: big-endian scan id, then the domain bytes. buf must hold 4 + 254 bytes. */
#define RESULTS_KEY_MAX (4 + 254)
size_t results_make_key(uint32_t scan_id, const char *domain, uint8_t *buf);

/* Batches an already encoded record of domain (dn bytes). keep_newer: leave an existing record
 * with a later scanned_at in place (merge). */
int results_scan_put_encoded(results_scan_t *scan, const char *domain, size_t dn,
                             const uint8_t *val, size_t vl, bool keep_newer);
/* A writer on scan `name` whose stored meta is replaced by *meta (ownership of its strings
 * moves to the scan); used by merge, which also writes finished scans. */
int results_scan_attach(results_store_t *store, const char *name, results_scan_meta_t *meta,
                        results_scan_t **out);

int results_put_scan_meta(results_store_t *s, MDB_txn *txn, const char *name,
                          const results_scan_meta_t *m);
/* Takes the next scan id from the meta table. */
int results_alloc_scan_id(results_store_t *s, MDB_txn *txn, uint32_t *id);

/* Iterator that can skip everything after the DNSKEYs (diff). */
int results_iter_open(results_store_t *store, const char *scan_name, bool summary_only,
                      results_iter_t **out);

/* One domain as a person names it ("Example.COM." is example.com) in the scan scan_name (NULL
 * = latest): on 0, *info names the scan and *rec is the record, both the caller's to clear and
 * free; otherwise nothing is left to free (RESULTS_EINVAL for an empty or over-long domain). */
int results_get_named(results_store_t *store, const char *scan_name, const char *domain,
                      results_scan_info_t *info, results_record_t *rec);

/* ---- diff (diff.c) ---- */
typedef int (*results_diff_cb)(void *ctx, const char *domain, const results_record_t *old_rec,
                               const results_record_t *new_rec, results_change_t change);
/* The merge-join: cb (may be NULL) sees every domain of old ∪ new in domain order with its
 * change; a negative return stops the walk. summary_only iterators decode status, reasons, DS
 * and DNSKEYs only (enough for every change). counts (optional) gets the tallies when the walk
 * completes. */
int results_diff_walk(results_store_t *store, const char *old_name, const char *new_name,
                      bool summary_only, results_diff_cb cb, void *ctx,
                      results_diff_counts_t *counts);

/* ---- HTML (html.c) ---- */
void results_html_text(results_buf_t *b, const char *s); /* escaped; NULL -> "" */
/* The entity that stands for c in HTML and XML text and attribute values (&, <, >, ", '), or
 * NULL when c stands for itself. Static text. */
const char *results_xml_entity(unsigned char c);
void results_html_diff_row(results_buf_t *b, const char *domain, const results_record_t *o,
                           const results_record_t *n);
/* A keys_changed row: the diff row plus the old and new DS and DNSKEY sets. */
void results_html_keys_row(results_buf_t *b, const char *domain, const results_record_t *o,
                           const results_record_t *n);
void results_html_page_start(results_buf_t *b, const char *title);
void results_html_page_end(results_buf_t *b);
/* <tag class="s-STATUS">STATUS</tag>, or an em dash for NULL. */
void results_html_diff_summary(results_buf_t *b, const results_diff_counts_t *c);
/* <h2> and the opening of a diff table; the caller adds rows and "</table>". keys: the table
 * has the old and new keys columns of results_html_keys_row. */
void results_html_diff_table_start(results_buf_t *b, const char *change, uint64_t count, bool keys);
/* The whole diff page: notice (NULL = none), summary table, then the sections (table rows) by
 * change. */
int results_html_diff(FILE *out, const char *old_name, const char *new_name,
                      const results_diff_counts_t *c, results_buf_t sections[RESULTS_CHANGE_COUNT],
                      const char *notice);

/* ---- text output helpers (json.c) ---- */
void results_json_str(results_buf_t *b, const char *s); /* quoted and escaped, or null */
void results_put_int(results_buf_t *b, int64_t v);
/* "tag/algorithm/digest type" of a DS or "tag/algorithm/flags" of a DNSKEY. */
void results_put_key_triple(results_buf_t *b, unsigned tag, unsigned algorithm, unsigned third);
/* The key text as given (`,"zone":` with its punctuation), then value as results_json_str. */
void results_json_field(results_buf_t *b, const char *key, const char *value);
/* The key text as given, then v, or null for a negative v (the "none" of counts and codes). */
void results_json_int_field(results_buf_t *b, const char *key, int64_t v);
/* The names of r's reason codes, sep between them; nothing for a NULL record. */
void results_put_reason_names(results_buf_t *b, const results_record_t *r, const char *sep);
void results_json_line(results_buf_t *b, const results_record_t *rec, const char *scan_name);
/* The DS (DNSKEY) objects of the export schema, comma-separated, without the brackets. */
void results_json_ds_list(results_buf_t *b, const results_ds_t *ds, size_t n);
void results_json_dnskey_list(results_buf_t *b, const results_dnskey_t *k, size_t n);
/* The scan's mode from its settings ("authoritative", ...), or NULL when not recorded. */
const char *results_settings_mode(const char *settings, char *buf, size_t len);
void results_csv_header(results_buf_t *b);
/* Appends s as one RFC 4180 field (quoted when needed); NULL appends nothing (empty field). */
void results_csv_text(results_buf_t *line, const char *s);
/* field is scratch space for the row's composite fields; rec->mode is written as the mode. */
void results_csv_row(results_buf_t *line, results_buf_t *field, const results_record_t *rec,
                     const char *scan_name);

/* ---- report (report.c collects, report_html.c draws, report_table.c lists) ---- */
enum {
    REPORT_TIERS = 6,          /* worst-first groups of the domain table */
    REPORT_ZONES_SHOWN = 50,   /* parent zones listed, most domains first */
    REPORT_EXPIRY_BUCKETS = 6, /* expired, < 1, 1-3, 3-7, 7-30 days, later: disjoint */
    REPORT_EXPIRY_DAYS = 10,   /* days listed in the soonest-expirations table */
    REPORT_EXPIRY_EXAMPLES = 3 /* domains named per listed day */
};
/* Bytes of row data the domain table may carry: keeps the page under ~20 MB. */
#define REPORT_TABLE_BYTES ((size_t)12 << 20)

/* The domains whose earliest signature expiration falls on one UTC day. */
typedef struct results_report_expiry_day {
    int64_t day;      /* unix seconds of the day's 00:00 UTC */
    int64_t first_at; /* the earliest expiration that day */
    uint64_t count;
    size_t n_examples;
    char examples[REPORT_EXPIRY_EXAMPLES][256];
} results_report_expiry_day_t;

/* One finished scan of `report --history N`, and how it changed from the finished scan before
 * it (when there is one). */
typedef struct results_report_night {
    char name[RESULTS_SCAN_NAME_MAX + 1];
    char prev[RESULTS_SCAN_NAME_MAX + 1]; /* "" = nothing to compare with */
    int64_t started_at;
    uint64_t total;
    uint64_t counts[VERIFY_STATUS_COUNT];
    uint64_t became_bogus, got_worse, fixed, keys_changed;
} results_report_night_t;

typedef struct results_report_history {
    results_report_night_t *nights; /* oldest first */
    size_t n;
    results_buf_t rolled; /* keys_changed rows of every night, HTML, a heading row per night */
    uint64_t n_rolled, rolled_listed;
    /* The latest finished scan started before the reported one ("" = none): what the first
     * screen compares with when --diff-against is not given. */
    char yesterday[RESULTS_SCAN_NAME_MAX + 1];
    bool compared; /* the walk of the reported scan against yesterday also fed `also` */
} results_report_history_t;

/* The page's own comparison, fed by the history's walk when they compare the same scans. */
typedef struct results_report_history_walk {
    results_diff_cb cb;
    void *ctx;
    results_diff_counts_t *counts;
} results_report_history_walk_t;

typedef struct results_report_zone {
    char *name; /* NULL = free slot */
    uint64_t total;
    uint64_t counts[VERIFY_STATUS_COUNT];
} results_report_zone_t;

typedef struct results_report_data {
    size_t table_budget; /* REPORT_TABLE_BYTES; smaller in tests */
    int64_t ref_time;    /* expirations are counted from here (the scan's start) */
    uint64_t total;
    uint64_t status[VERIFY_STATUS_COUNT];
    uint64_t reason_domains[VERIFY_REASON_COUNT];
    uint64_t alg_domains[256];    /* domains publishing a DNSKEY of that algorithm */
    uint64_t digest_domains[256]; /* domains whose parent has a DS of that digest type */
    uint64_t with_dnskey, with_ds;
    uint64_t expiry[REPORT_EXPIRY_BUCKETS]; /* disjoint */
    uint64_t with_expiry;                   /* domains in some bucket */
    uint64_t signed_no_date;                /* DNSKEYs but no valid signature and none expired */
    results_report_expiry_day_t soonest[REPORT_EXPIRY_DAYS]; /* the earliest days, sorted */
    size_t n_soonest;
    results_report_zone_t *zones; /* open addressing, cap a power of two */
    size_t n_zones, cap_zones;
    uint64_t zones_unknown;           /* parent not known */
    results_buf_t rows[REPORT_TIERS]; /* JSON rows of the domain table, one per line */
    uint64_t n_tier[REPORT_TIERS], kept_tier[REPORT_TIERS];
    uint64_t n_nonsecure;
    results_buf_t worse, fixed, rolled; /* diff rows (HTML); rolled: keys_changed */
    uint64_t n_worse, n_fixed, n_rolled, n_became_bogus;
    uint64_t worse_reasons[VERIFY_REASON_COUNT]; /* codes of the domains that got worse */
    const results_report_history_t *history;     /* NULL without --history */
    /* old status -> new status; index VERIFY_STATUS_COUNT = absent from that scan */
    uint64_t trans[VERIFY_STATUS_COUNT + 1][VERIFY_STATUS_COUNT + 1];
    /* The chain-of-trust pictures of the first REPORT_GRAPHS bogus domains (report_graphs.c) */
    const char *scan_name;
    results_buf_t graphs;
    uint64_t n_bogus, n_graphs;
} results_report_data_t;

/* Bogus domains whose picture the report embeds; the others get a note and the command. */
#define REPORT_GRAPHS 200
/* Adds rec's picture when it is bogus and the report holds fewer than REPORT_GRAPHS. */
void results_report_graphs_add(results_report_data_t *r, const results_record_t *rec);
/* The section of the pictures (nothing when no domain is bogus). */
void results_report_graphs_render(results_buf_t *b, const results_report_data_t *r);

/* The colour of a status in every chart. */
const char *results_report_status_color(int status);
/* The worst-first group of a non-secure record (0 = bogus ... 5 = insecure, nothing found),
 * -1 for secure. */
int results_report_tier(const results_record_t *rec);
/* Appends rec's row to its group unless the group is past its byte budget. */
void results_report_table_add(results_report_data_t *r, const results_record_t *rec, int tier);
/* The searchable, sortable, paged table (JSON data + script). */
void results_report_table_render(results_buf_t *b, const results_report_data_t *r);
/* The last n finished scans up to the reported one (info), each compared with the finished scan
 * before it. also (may be NULL): the comparison of the reported scan with h->yesterday, done in
 * the same walk when that pair is in the history (then h->compared is set). */
int results_report_history_collect(results_store_t *store, const results_scan_info_t *info,
                                   unsigned n, results_report_history_t *h,
                                   const results_report_history_walk_t *also);
void results_report_history_free(results_report_history_t *h);
/* The trend chart, the table of nights and the rollovers of every night. */
void results_report_history_render(results_buf_t *b, const results_report_history_t *h);
/* Every section of the page. */
void results_report_render(results_buf_t *b, const results_scan_info_t *info,
                           const char *diff_against, const results_diff_counts_t *dc,
                           const results_report_data_t *r);

/* ---- chain-of-trust picture (graph.c builds it, graph_dot.c and graph_svg.c draw it) ---- */

/* printf into a buffer (sticky failure like the other rbuf_ calls). */
void results_buf_printf(results_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

typedef enum graph_state {
    GRAPH_SECURE = 0,
    GRAPH_INSECURE,
    GRAPH_BOGUS,
    GRAPH_UNKNOWN, /* indeterminate, or not known from the stored record */
    GRAPH_STATE_COUNT
} graph_state_t;

typedef enum graph_node_kind {
    GRAPH_NODE_KEYS,    /* a zone above the parent, or the parent: its DNSKEYs as one node */
    GRAPH_NODE_DNSKEY,  /* one DNSKEY of the domain */
    GRAPH_NODE_DS,      /* one DS record at the parent */
    GRAPH_NODE_RRSET,   /* an RRset or its absence ("no DS", the domain's SOA/A/CAA) */
    GRAPH_NODE_MISSING, /* something the chain needs that was not there (a DS's key) */
} graph_node_kind_t;

typedef enum graph_edge_kind {
    GRAPH_EDGE_SIGNS,     /* an RRSIG by the source key over the target (self = DNSKEY RRset) */
    GRAPH_EDGE_DIGEST,    /* a DS naming the target key */
    GRAPH_EDGE_DELEGATES, /* a zone above the parent vouching for the next one down */
} graph_edge_kind_t;

#define GRAPH_TEXT_MAX 96
#define GRAPH_NAME_MAX 256
/* Bounds that keep a hostile record's picture readable: the rest is counted in the caption. */
#define GRAPH_KEYS_MAX 48
#define GRAPH_DS_MAX 48
#define GRAPH_ABOVE_MAX 5 /* zones drawn above the parent (the root and the nearest ones) */
#define GRAPH_CAPTION_MAX 12
#define GRAPH_REASONS_DRAWN 64 /* reasons whose failing edge or node is drawn */

typedef struct graph_zone {
    char name[GRAPH_NAME_MAX]; /* "." for the root */
    graph_state_t state;
    unsigned rows; /* rows of nodes in its box */
} graph_zone_t;

typedef struct graph_node {
    graph_node_kind_t kind;
    size_t zone;
    unsigned row; /* rows top to bottom inside the zone's box */
    graph_state_t state;
    char title[GRAPH_TEXT_MAX]; /* "KSK 47891" */
    char sub[GRAPH_TEXT_MAX];   /* "alg 13, 256 bits" */
    const char *role;           /* "KSK", "ZSK", "DS", ... (static) */
    uint16_t key_tag;
    uint8_t algorithm;
    uint32_t order; /* place in its row (key tags, so DS and their keys line up) */
} graph_node_t;

typedef struct graph_edge {
    size_t from, to; /* node indexes; from == to: a self-signature */
    graph_edge_kind_t kind;
    graph_state_t state;
    bool failing; /* the edge the verdict fails on */
    bool dashed;  /* the target is missing, or the signature is not there */
    char label[GRAPH_TEXT_MAX];
} graph_edge_t;

typedef struct graph {
    char title[GRAPH_TEXT_MAX * 3]; /* "dsnomatch.test: bogus (scan s1, 2026-12-06T19:39:47Z)" */
    graph_state_t state;            /* the domain's */
    graph_zone_t zones[GRAPH_ABOVE_MAX + 2];
    size_t n_zones;
    graph_node_t *nodes;
    size_t n_nodes, cap_nodes;
    graph_edge_t *edges;
    size_t n_edges, cap_edges;
    char caption[GRAPH_CAPTION_MAX][GRAPH_TEXT_MAX * 4]; /* the reasons, one each */
    size_t n_caption;
    bool nomem;
} graph_t;

/* Builds the picture of one stored record (scan_name may be NULL). 0 or RESULTS_ENOMEM; free
 * with results_graph_clear() either way. */
int results_graph_build(const results_record_t *rec, const char *scan_name, graph_t *g);
void results_graph_clear(graph_t *g);
/* "secure", "insecure", "bogus", "indeterminate". Static storage. */
const char *results_graph_state_name(graph_state_t s);
/* Graphviz text / a standalone SVG document (our own layered layout) appended to b. Every
 * name and text is escaped for the output's syntax. */
void results_graph_write_dot(const graph_t *g, results_buf_t *b);
void results_graph_write_svg(const graph_t *g, results_buf_t *b);
/* rec's picture appended to b (SVG without an XML declaration: embeddable in HTML). */
int results_graph_render(const results_record_t *rec, const char *scan_name,
                         results_graph_format_t fmt, results_buf_t *b);

#endif
