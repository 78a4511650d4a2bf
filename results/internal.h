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
/* The string s without its NUL. */
void results_buf_str(results_buf_t *b, const char *s);
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
void results_html_diff_row(results_buf_t *b, const char *domain, const results_record_t *o,
                           const results_record_t *n);
/* A keys_changed row: the diff row plus the old and new DS and DNSKEY sets. */
void results_html_keys_row(results_buf_t *b, const char *domain, const results_record_t *o,
                           const results_record_t *n);
void results_html_page_start(results_buf_t *b, const char *title);
void results_html_page_end(results_buf_t *b);
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
void results_json_line(results_buf_t *b, const results_record_t *rec, const char *scan_name);
/* The scan's mode from its settings ("authoritative", ...), or NULL when not recorded. */
const char *results_settings_mode(const char *settings, char *buf, size_t len);
void results_csv_header(results_buf_t *b);
/* field is scratch space for the row's composite fields; rec->mode is written as the mode. */
void results_csv_row(results_buf_t *line, results_buf_t *field, const results_record_t *rec,
                     const char *scan_name);

/* ---- report (report.c collects, report_html.c draws, report_table.c lists) ---- */
enum {
    REPORT_SOONEST = 20,       /* soonest expirations listed */
    REPORT_TIERS = 6,          /* worst-first groups of the domain table */
    REPORT_ZONES_SHOWN = 50,   /* parent zones listed, most domains first */
    REPORT_EXPIRY_BUCKETS = 5, /* expired, then within 1, 3, 7, 30 days */
};
/* Bytes of row data the domain table may carry: keeps the page under ~20 MB. */
#define REPORT_TABLE_BYTES ((size_t)12 << 20)

typedef struct results_report_expiring {
    int64_t at;
    char domain[256];
} results_report_expiring_t;

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
    uint64_t expiry[REPORT_EXPIRY_BUCKETS]; /* not cumulative */
    uint64_t with_expiry;
    results_report_expiring_t soonest[REPORT_SOONEST];
    size_t n_soonest;
    results_report_zone_t *zones; /* open addressing, cap a power of two */
    size_t n_zones, cap_zones;
    uint64_t zones_unknown;           /* parent not known */
    results_buf_t rows[REPORT_TIERS]; /* JSON rows of the domain table, one per line */
    uint64_t n_tier[REPORT_TIERS], kept_tier[REPORT_TIERS];
    uint64_t n_nonsecure;
    results_buf_t worse, fixed, rolled; /* diff rows (HTML); rolled: keys_changed */
    uint64_t n_worse, n_fixed, n_rolled;
    /* old status -> new status; index VERIFY_STATUS_COUNT = absent from that scan */
    uint64_t trans[VERIFY_STATUS_COUNT + 1][VERIFY_STATUS_COUNT + 1];
} results_report_data_t;

/* The worst-first group of a non-secure record (0 = bogus ... 5 = insecure, nothing found),
 * -1 for secure. */
int results_report_tier(const results_record_t *rec);
/* Appends rec's row to its group unless the group is past its byte budget. */
void results_report_table_add(results_report_data_t *r, const results_record_t *rec, int tier);
/* The searchable, sortable, paged table (JSON data + script). */
void results_report_table_render(results_buf_t *b, const results_report_data_t *r);
/* Every section of the page. */
void results_report_render(results_buf_t *b, const results_scan_info_t *info,
                           const char *diff_against, const results_diff_counts_t *dc,
                           const results_report_data_t *r);

#endif
