/*
 * results/: the LMDB store of scans and per-domain verdicts; resume, diff, export, show,
 * report, merge. Never includes ldns.
 *
 * One store is one LMDB environment (a directory). It holds any number of named scans; each
 * scan holds at most one record per domain. Records are kept in a compact, versioned binary
 * encoding (see codec.c); a store written by a newer schema is refused with RESULTS_ESCHEMA.
 *
 * Threads: a results_store_t and everything made from it belong to one thread at a time.
 * Processes: any number of readers (export, show, diff, scans) may run while one process writes
 * a scan; they see the records committed so far (LMDB MVCC). A process opens a given store
 * once (LMDB's rule: a second handle on the same environment in one process breaks its locks).
 *
 * Errors: functions return 0 (or a documented positive value) on success and a negative
 * RESULTS_E* code on failure; results_strerror() names it, and for failures coming from the
 * system or LMDB results_errdetail() says which file/operation and the errno text.
 * A verdict (bogus, lame, ...) is data, never an error.
 */
#ifndef DNSSWEEP_RESULTS_H
#define DNSSWEEP_RESULTS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "verify/codes.h"

/* ---------------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------------- */
/* One error space with the other modules (LMDB's habit): -errno where errno has the name, else
 * RESULTS_ERRBASE and below, far from -errno, from LMDB's own codes and from the other modules'
 * ranges. results_strerror() names both. */
#define RESULTS_ERRBASE (-31200)
enum {
    RESULTS_OK = 0,
    RESULTS_ENOMEM = -ENOMEM, /* out of memory */
    RESULTS_EINVAL = -EINVAL, /* bad argument (bad name, NULL where not allowed, list too long) */
    RESULTS_EIO = -EIO,       /* a system or LMDB call failed; see results_errdetail() */
    RESULTS_EACCES = -EACCES, /* store directory or files not writable/readable */
    RESULTS_ENOSPC = -ENOSPC, /* disk full; what was committed before is intact */
    RESULTS_ESCHEMA = RESULTS_ERRBASE - 1,  /* store written by a newer dnssweep (or not a store) */
    RESULTS_EEXIST = -EEXIST,               /* a scan of that name already exists */
    RESULTS_ENOTFOUND = -ENOENT,            /* no such store, scan or domain */
    RESULTS_ECORRUPT = RESULTS_ERRBASE - 2, /* stored bytes do not decode (malformed record) */
    RESULTS_EFINISHED =
        RESULTS_ERRBASE - 3,    /* the scan is finished: cannot be resumed or written */
    RESULTS_EREADONLY = -EROFS, /* the store was opened with RESULTS_READONLY */
    RESULTS_EBUSY = -EBUSY,     /* another process is writing that scan */
    RESULTS_ENFILE = -EMFILE,   /* too many open files (EMFILE/ENFILE): the process's limit */
    RESULTS_EREMOTE = RESULTS_ERRBASE - 4, /* the store directory is on a network filesystem */
    RESULTS_EINUSE = RESULTS_ERRBASE - 5,  /* prune: another process has the store open for
                                              writing; a writer: the store is being pruned (try
                                              again when it ends) */
};
/* Message for a RESULTS_E* code. Static storage. */
const char *results_strerror(int err);

/* ---------------------------------------------------------------------------------------------
 * Data model: one domain's verdict as the scanner fills it in.
 *
 * Every pointer is borrowed: when the caller fills a record for results_put() or
 * results_record_write_json() the store copies what it needs before returning. Records the store
 * hands out (results_get, results_iter_next, results_record_decode) point into an arena that the
 * record owns (the private arena_ member): see results_record_free().
 * Every string may be NULL (written as JSON null) unless the comment says otherwise.
 * ------------------------------------------------------------------------------------------- */

typedef struct results_reason {
    verify_reason_code_t code;
    const char *server; /* the one server the reason is about ("192.0.2.1"), NULL = all/none */
    const char *rrset;  /* "example.com/DNSKEY" */
    const char *detail; /* key tags, times, digests involved */
} results_reason_t;

typedef struct results_ds {
    uint16_t key_tag;
    uint8_t algorithm;
    uint8_t digest_type;
    const char *digest; /* hex; upper- or lower-case hex is stored as binary and kept exactly */
} results_ds_t;

typedef struct results_parent {
    const char *zone; /* "com"; NULL = parent unknown (written as "parent":null) */
    bool is_signed;   /* "signed" in JSON */
    uint32_t ds_ttl;  /* 0 when there is no DS */
    size_t n_ds;
    const results_ds_t *ds;
    /* The DS RRset (or its absence) was taken from a zone file (scan --zone-file) instead of
     * the parent's servers; "ds_source":"zone-file" in JSON, absent otherwise. Schema 2. */
    bool ds_from_zone_file;
} results_parent_t;

/* What a DNSKEY did in the first judged server's answers (results_record_t.dnskey_roles). */
enum {
    RESULTS_KEY_DS_MATCHED = 1,   /* a DS at the parent (or the trust anchor) matches it */
    RESULTS_KEY_SIGNS_DNSKEY = 2, /* one of its RRSIGs over the DNSKEY RRset verified */
};

typedef struct results_dnskey {
    uint16_t key_tag;
    uint8_t algorithm;
    uint16_t flags; /* 257 = KSK, 256 = ZSK */
    uint16_t bits;  /* key size in bits, 0 = unknown */
} results_dnskey_t;

typedef struct results_nameserver {
    const char *name;    /* "ns1.example.net", no trailing dot */
    const char *address; /* "192.0.2.1" / "2001:db8::1" (stored as 4/16 bytes) */
    verify_status_t status;
    int32_t rtt_ms; /* < 0 = no answer (written as null) */
} results_nameserver_t;

/* What a validating resolver said (--check-resolver); written to JSON only when present. */
typedef struct results_resolver_check {
    bool present;
    bool ad;        /* the answer had the AD bit */
    int rcode;      /* DNS RCODE, < 0 = no answer */
    int ede;        /* RFC 8914 INFO-CODE, < 0 = none */
    bool disagrees; /* the resolver's view differs from our verdict */
} results_resolver_check_t;

/* One CDS or CDNSKEY record as one server served it (DS automation). */
typedef struct results_cds_record {
    const char *text;  /* presentation form, owner in lower case; never NULL */
    bool served;       /* it describes a DNSKEY this server serves */
    bool signs_dnskey; /* ... and that key has a valid RRSIG over the DNSKEY RRset */
} results_cds_record_t;

/* How the CDS/CDNSKEY answers over TCP compared with those over UDP. */
typedef enum results_cds_tcp {
    RESULTS_CDS_TCP_NOT_ASKED = 0, /* no CDS/CDNSKEY over UDP, or a resolver-mode scan */
    RESULTS_CDS_TCP_SAME = 1,      /* the same records over TCP */
    RESULTS_CDS_TCP_DIFFERENT = 2, /* other records over TCP */
    RESULTS_CDS_TCP_NO_ANSWER = 3, /* no usable answer over TCP */
} results_cds_tcp_t;

/* What one server address served for CDS and CDNSKEY, with what the verification found. When
 * any server of a domain served CDS/CDNSKEY records, every server of the domain is listed. */
typedef struct results_cds_server {
    const char *address; /* never NULL */
    /* Key tag of the DS-authenticated DNSKEY whose RRSIG over the CDS (CDNSKEY) RRset
     * verified; -1 when none did (unsigned, bogus, or signed by a key no DS matches). */
    int32_t cds_signer;
    int32_t cdnskey_signer;
    results_cds_tcp_t tcp;
    bool answered; /* its answers were judged; false: it did not answer (lame, unreachable) */
    bool disagree; /* CDS and CDNSKEY both served and describing different keys */
    size_t n_records;
    const results_cds_record_t *records; /* CDS first, then CDNSKEY, in answer order */
} results_cds_server_t;

/* What an RFC 9615 bootstrapping signal showed (one per NS name of a domain without DS). */
typedef enum results_dsboot_state {
    RESULTS_DSBOOT_VALID = 0,     /* records present, their signatures verified in a secure zone */
    RESULTS_DSBOOT_ABSENT = 1,    /* the zone answered: no CDS/CDNSKEY at the signal name */
    RESULTS_DSBOOT_INSECURE = 2,  /* records in an unsigned or insecure zone: no proof */
    RESULTS_DSBOOT_BOGUS = 3,     /* records whose signatures do not verify */
    RESULTS_DSBOOT_NO_ANSWER = 4, /* no answer could be had or judged (detail says why) */
} results_dsboot_state_t;
#define RESULTS_DSBOOT_STATE_COUNT 5

typedef struct results_dsboot {
    const char *ns_name; /* "ns1.example.net", no trailing dot; never NULL */
    const char *zone;    /* the zone that answered ("example.net."), NULL when none */
    results_dsboot_state_t state;
    int32_t signer;     /* VALID: the key tag whose RRSIG verified (CDS, else CDNSKEY); else -1 */
    const char *detail; /* why, for the states other than VALID; may be NULL */
    size_t n_records;
    const char *const *records; /* CDS then CDNSKEY at _dsboot.<domain>._signal.<ns_name> */
} results_dsboot_t;

typedef struct results_record {
    const char *domain; /* A-label, lower case, no trailing dot; never NULL */
    verify_status_t status;
    int64_t scanned_at; /* unix seconds */
    size_t n_reasons;
    const results_reason_t *reasons;
    const char *fix; /* the exact change to make (e.g. the DS record to publish), or NULL */
    results_parent_t parent;
    size_t n_dnskey;
    const results_dnskey_t *dnskey;
    int64_t rrsig_earliest_expiration; /* unix seconds, 0 = none */
    size_t n_cds;
    const char *const *cds; /* presentation text of each CDS/CDNSKEY record */
    size_t n_nameservers;
    const results_nameserver_t *nameservers;
    uint32_t queries;
    results_resolver_check_t resolver_check;
    /* The scan's mode ("authoritative", "resolver", "zone-file"): a property of the scan, not
     * stored per record; set by the scanner when streaming and by export from the scan's
     * settings; NULL (JSON null) when unknown (a scan stored before modes were recorded). */
    const char *mode;
    /* Schema 4: per server address that served CDS or CDNSKEY records, what it served (for
     * `ds-actions`); none in records of older scans. Not in the JSON/CSV export. */
    size_t n_cds_servers;
    const results_cds_server_t *cds_servers;
    /* Schema 4: RFC 9615 signals, one per NS name, for a domain without DS that served
     * CDS/CDNSKEY in an authoritative scan; none otherwise. Not in the JSON/CSV export. */
    size_t n_dsboot;
    const results_dsboot_t *dsboot;
    /* RESULTS_KEY_* bits of each DNSKEY (n_dnskey entries), or NULL when not known: a record
     * stored before schema 4 (unknown is not "none"). Not part of the JSON or CSV export. */
    const uint8_t *dnskey_roles;
    void *arena_; /* private: memory of a decoded record; NULL for caller-filled records */
} results_record_t;

/* Upper bound on each list of a record (reasons, ds, dnskey, cds, nameservers) and on the
 * length of each string; results_put() refuses more with RESULTS_EINVAL. */
#define RESULTS_LIST_MAX 4096
#define RESULTS_STRING_MAX 65535

/* Frees the arena of a record the store decoded and zeroes the record; a caller-filled record
 * (arena_ NULL) is only zeroed. NULL is a no-op. */
void results_record_free(results_record_t *rec);

/* Compact binary form of a record without its domain (the domain is the store key; RRset
 * names are stored relative to it, so decode with the domain the record was encoded with).
 * results_record_encode: on success *out is malloc'ed (caller frees) and *len its size.
 * results_record_decode: bounds-checked, never reads outside buf; returns 0 or
 * RESULTS_ECORRUPT/RESULTS_ENOMEM. On success *out owns a copy of domain and of everything
 * decoded (results_record_free). On failure *out is zeroed. Exposed for tests and fuzzing. */
int results_record_encode(const results_record_t *rec, uint8_t **out, size_t *len);
int results_record_decode(const char *domain, const void *buf, size_t len, results_record_t *out);

/* ---------------------------------------------------------------------------------------------
 * Store
 * ------------------------------------------------------------------------------------------- */
typedef struct results_store results_store_t;

enum {
    RESULTS_READONLY = 1 << 0, /* no writes; the directory must exist; works on read-only media */
};

/* Tunables; zero fields take the defaults shown. */
typedef struct results_options {
    size_t map_size;        /* initial LMDB map size in bytes [64 MiB]; doubled when full */
    unsigned batch_records; /* results_put commits after this many records [1000] */
    unsigned batch_ms;      /* ... or once the oldest uncommitted record is this old [1000] */
    unsigned sync_ms;       /* fsync at most this often (MDB_NOSYNC otherwise) [5000] */
    char *errbuf;           /* optional: receives a one-line detail when results_open_ex fails */
    size_t errbuf_size;
} results_options_t;

/* Opens (creating the directory and environment unless RESULTS_READONLY) the store in dir.
 * Durability: the environment runs with MDB_NOSYNC, so a commit is a write() into the OS page
 * cache: committed records survive a crash or kill -9 of the process at any moment; the store
 * calls mdb_env_sync() at most every sync_ms after a commit and at finish/close, so an OS crash
 * or power loss can lose the last seconds of results (resume re-queries those domains).
 * On success *out is the caller's (results_close). On failure *out is NULL and errno holds the
 * system error behind RESULTS_EIO/EACCES/ENOSPC. */
int results_open(const char *dir, int flags, results_store_t **out);
int results_open_ex(const char *dir, int flags, const results_options_t *opts,
                    results_store_t **out);
/* Flushes and syncs, then closes. Scans and iterators made from the store must be finished or
 * freed first (results_scan_close). NULL is a no-op. */
void results_close(results_store_t *store);
/* Detail of the last RESULTS_EIO/EACCES/ENOSPC of this store ("mdb_txn_commit: No space left on
 * device"); "" when none. Borrowed: valid until the next call on the store. */
const char *results_errdetail(const results_store_t *store);

/* The name of a network filesystem for a statfs(2) f_type ("NFS", "CephFS", ...), or NULL for
 * a local one. Static storage. */
const char *results_fs_remote_name(unsigned long f_type);
/* RESULTS_EREMOTE when dir (or, while it does not exist yet, its closest existing ancestor)
 * is on a network filesystem, with the reason in detail; else 0. results_open() calls it. */
int results_fs_check(const char *dir, char *detail, size_t detail_len);
/* Schema version of the binary encoding this build reads and writes. */
/* 3: scans carry their settings (results_scan_begin_ex). 4: records may end with extension
 * blocks (the CDS servers, RFC 9615 signals, the roles of the DNSKEYs). Stores of schema 1 to 3
 * are read as they are and marked 4 when written. */
#define RESULTS_SCHEMA_VERSION 4

/* ---------------------------------------------------------------------------------------------
 * Scans
 * ------------------------------------------------------------------------------------------- */
typedef struct results_scan results_scan_t;

/* Upper bound on a scan name's length in bytes. */
#define RESULTS_SCAN_NAME_MAX 255

/* Starts a new scan; RESULTS_EEXIST when a scan of that name exists (use results_scan_resume).
 * input_desc (e.g. "domains.txt, 1000000 names") and options_text (the command line) are kept
 * for `dnssweep scans`; either may be NULL. On success *out is the caller's: end it with
 * results_scan_finish() or abandon it with results_scan_close(). */
int results_scan_begin(results_store_t *store, const char *name, const char *input_desc,
                       const char *options_text, results_scan_t **out);
/* The same, storing settings with the scan: what a resumed scan must reuse to judge the rest
 * of its domains the same way. The text is "key=value" lines (results_settings_get); the
 * scanner decides the keys ("mode" is the one results/ reads: export, diff, scans). */
int results_scan_begin_ex(results_store_t *store, const char *name, const char *input_desc,
                          const char *options_text, const char *settings, results_scan_t **out);
/* Reopens an unfinished scan for writing: name, or NULL for the most recently started
 * unfinished scan. RESULTS_ENOTFOUND when there is none, RESULTS_EFINISHED when it is finished,
 * RESULTS_EBUSY while another process writes it (a writer holds a lock on its scan, which the
 * kernel releases when the process exits or is killed). Records already stored are kept; skip
 * them with results_has(). */
int results_scan_resume(results_store_t *store, const char *name, results_scan_t **out);
/* Name of the scan. Borrowed: lives as long as the scan handle. */
const char *results_scan_name(const results_scan_t *scan);

/* At most one scan writes through a store handle at a time, and no iterator of the same handle
 * may be open while it commits (LMDB remaps the file when the map grows): readers use their own
 * handle, normally in their own process.
 *
 * Buffers one record (deep copy: rec is only read during the call) and commits the batch when
 * batch_records are buffered or the oldest buffered record is batch_ms old. A domain already
 * stored in this scan is replaced (counted once). rec->domain must be lower case without a
 * trailing dot (RESULTS_EINVAL otherwise; same for results_has). Never fails for a full map: the
 * map doubles and the batch is retried. On failure (disk full, I/O) the batch stays buffered;
 * records committed earlier are intact. */
int results_put(results_scan_t *scan, const results_record_t *rec);
/* Commits what is buffered now. Call it from a periodic timer (e.g. every second) so that a
 * scan waiting on the network still commits within batch_ms. */
int results_flush(results_scan_t *scan);
/* 1 when the scan holds a record for domain (committed or buffered), 0 when not, < 0 error.
 * Fast enough for a resume skip pass over millions of names (a read transaction is kept open
 * between commits). */
int results_has(results_scan_t *scan, const char *domain);
/* Records stored in the scan, buffered ones included. */
uint64_t results_scan_stored(const results_scan_t *scan);

/* Commits, marks the scan finished (end time = now), syncs, and frees the handle (also on
 * failure). When counts is not NULL it receives the final number of domains per status
 * (indexed by verify_status_t). */
int results_scan_finish(results_scan_t *scan, uint64_t counts[VERIFY_STATUS_COUNT]);
/* Commits what is buffered and frees the handle without finishing the scan (interrupted scan:
 * resume later). NULL is a no-op. Returns the commit's result. */
int results_scan_close(results_scan_t *scan);

/* Deletes a scan and its records. RESULTS_ENOTFOUND when there is no such scan, RESULTS_EBUSY
 * while a process writes it. The file does not shrink: LMDB reuses the freed pages for later
 * scans (results_prune gives them back). records_deleted (optional) counts the records removed. */
int results_scan_delete(results_store_t *store, const char *name, uint64_t *records_deleted);

/* `dnssweep prune`: which scans to drop. Exactly one rule: keep > 0 (keep the keep most recently
 * started scans, drop the older ones) or before != 0 (drop the scans started before that unix
 * time). Whatever the rule, the most recently started finished scan is never dropped. */
typedef struct results_prune_opts {
    unsigned keep;
    int64_t before;
    char *errbuf; /* optional: receives a one-line detail when results_prune fails */
    size_t errbuf_size;
} results_prune_opts_t;

/* What results_prune did. Everything is owned by the report (results_prune_report_clear). */
typedef struct results_prune_report {
    char **dropped; /* names of the dropped scans, oldest first */
    size_t n_dropped;
    size_t n_kept;
    /* The latest finished scan when the rule would have dropped it (it was kept), else NULL. */
    char *kept_latest_finished;
    uint64_t records_dropped; /* also records orphaned by an earlier interrupted deletion */
    uint64_t bytes_before;    /* size of DIR/data.mdb before and after */
    uint64_t bytes_after;
    /* false when there was nothing to drop and little free space (<= 256 pages): the store
     * was left as it was */
    bool compacted;
} results_prune_report_t;

/* Drops the scans the rule selects from the store in dir and gives the space back: their
 * entries go in one transaction (the store then lists exactly the kept scans), their records
 * are deleted, the environment is copied with mdb_env_copy2(MDB_CP_COMPACT) into DIR.prune
 * (next to DIR, same filesystem) and synced, and the two directories are exchanged atomically
 * (renameat2 RENAME_EXCHANGE); the old generation is then removed. After kill -9 at any moment
 * DIR opens and holds either every old scan or exactly the kept ones; a leftover DIR.prune is
 * removed by the next prune. A reader open meanwhile (export, report, show) keeps the snapshot
 * of its open transaction (an iterator reads on to its end) and sees the kept scans in its later
 * ones; a reader opening meanwhile sees either all the old scans or the kept ones, never a mix.
 * Refused with RESULTS_EINUSE while another process has the store open for writing (and a
 * writer opening during the prune gets RESULTS_EINUSE); RESULTS_EINVAL for a bad rule or a
 * DIR.prune holding files that are not a store's; RESULTS_ENOTFOUND when there is no store.
 * Needs free space for the kept scans (the compacted copy). report (optional) is filled on
 * success and zeroed on failure. */
int results_prune(const char *dir, const results_prune_opts_t *opts,
                  results_prune_report_t *report);
/* Frees what the report owns and zeroes it. NULL is a no-op. */
void results_prune_report_clear(results_prune_report_t *report);

/* What `dnssweep scans` lists. Strings are owned by the info (results_scan_info_clear). */
typedef struct results_scan_info {
    char *name;
    char *input_desc; /* may be NULL */
    char *options;    /* may be NULL */
    char *settings;   /* may be NULL: a scan stored before schema 3 (results_scan_begin_ex) */
    int64_t started_at;
    int64_t finished_at; /* 0 while unfinished */
    bool finished;
    uint64_t counts[VERIFY_STATUS_COUNT]; /* committed records per status */
    uint64_t total;                       /* committed records */
    uint32_t seq;                         /* creation order in this store (1, 2, ...) */
} results_scan_info_t;

/* The value of key in settings text ("key=value" lines) copied into buf: 1 when present,
 * 0 when absent (or settings NULL), -1 when the value does not fit in len. */
int results_settings_get(const char *settings, const char *key, char *buf, size_t len);

/* Looks up a scan by name, or the most recently started scan when name is NULL ("latest").
 * RESULTS_ENOTFOUND when there is none. */
int results_scan_lookup(results_store_t *store, const char *name, results_scan_info_t *out);
void results_scan_info_clear(results_scan_info_t *info);
/* All scans in the order they were started. *out is malloc'ed (results_scans_free). */
int results_scans_list(results_store_t *store, results_scan_info_t **out, size_t *n);
void results_scans_free(results_scan_info_t *list, size_t n);
/* `dnssweep scans`: one line per scan: name, start, end (or "-"), finished?, total and counts
 * per status, oldest first, under a header line. */
int results_scans_print(results_store_t *store, FILE *out);

/* `dnssweep merge`: copies every scan of the store in src_dir (opened read-only) into store.
 * A scan absent from store is created under the same name; a scan present in both (shards of
 * one scan) receives the union of the domains, and for a domain in both the record with the
 * later scanned_at is kept (so merging the same shard twice changes nothing). The merged scan
 * starts at the earliest start, ends at the latest end, and is finished only when every part
 * is. records_copied (optional) counts the records read from src_dir. */
int results_merge(results_store_t *store, const char *src_dir, uint64_t *records_copied);

/* ---------------------------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------------------------- */

/* One domain of a scan (NULL = latest scan). RESULTS_ENOTFOUND when absent. On success *out
 * owns its memory (results_record_free). */
int results_get(results_store_t *store, const char *scan_name, const char *domain,
                results_record_t *out);

typedef struct results_iter results_iter_t;
/* Iterates over a scan's committed records (NULL = latest scan) in domain byte order, on a
 * consistent snapshot taken here (records committed later are not seen). Do not let an
 * iterator live across results_put on the same store handle: use a second handle. */
int results_iter_new(results_store_t *store, const char *scan_name, results_iter_t **out);
/* 1 and *rec = the next record, 0 at the end, < 0 on error. *rec is borrowed: valid until the
 * next results_iter_next or results_iter_free. */
int results_iter_next(results_iter_t *it, const results_record_t **rec);
void results_iter_free(results_iter_t *it);

/* ---------------------------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------------------------- */

/* One JSON line (with the trailing '\n') in the schema of cli.md:
 * domain, status, scan, scanned_at, mode, reasons[{code, severity, ede, server, rrset, detail}],
 * fix, parent{zone, signed, ds_ttl, ds[{key_tag, algorithm, digest_type, digest}]} (or null),
 * dnskey[{key_tag, algorithm, flags, bits}], rrsig_earliest_expiration (RFC 3339 or null), cds[],
 * nameservers[{name, address, status, rtt_ms}], queries; and resolver_check{ad, rcode, ede,
 * disagrees} only when present. Times are RFC 3339 UTC ("2026-11-24T14:03:12Z"). Strings are
 * escaped per RFC 8259; invalid UTF-8 becomes U+FFFD. scan_name may be NULL (written null).
 * Returns 0 or RESULTS_EIO when writing to out failed. */
int results_record_write_json(const results_record_t *rec, const char *scan_name, FILE *out);

typedef enum results_format {
    RESULTS_FORMAT_JSONL = 0,
    RESULTS_FORMAT_CSV = 1,
    RESULTS_FORMAT_TEXT = 2,
    RESULTS_FORMAT_HTML = 3, /* diff only */
} results_format_t;

/* Writes every record of a scan (NULL = latest) in domain order.
 * JSONL: results_record_write_json lines. CSV: header
 * `scan,scanned_at,mode,domain,status,reasons,fix,parent_zone,ds,dnskey_algorithms,
 * rrsig_earliest_expiration`, one row per domain, LF line ends, RFC 4180 quoting (a field with
 * , " CR or LF is quoted, " doubled); scanned_at and rrsig_earliest_expiration: RFC 3339 UTC or
 * empty; mode: the scan's (empty when not recorded); reasons: codes joined by ';'; fix: the
 * record's fix as a plain sentence ("CODE: " prefixes dropped, the codes are in reasons);
 * parent_zone: empty when unknown; ds: "key_tag algorithm digest_type digest" joined by ';';
 * dnskey_algorithms: distinct algorithm numbers in first-seen order joined by ';'.
 * TEXT and HTML are refused (RESULTS_EINVAL). */
int results_export(results_store_t *store, const char *scan_name, results_format_t format,
                   FILE *out);

/* Bit of a status in a results_export_filtered mask. */
#define RESULTS_STATUS_BIT(status) (1u << (unsigned)(status))

/* results_export, keeping only the records whose status bit is set in status_mask
 * (0 = every record). The CSV header is written even when no record matches. */
int results_export_filtered(results_store_t *store, const char *scan_name, results_format_t format,
                            unsigned status_mask, FILE *out);

/* Plain-text explanation of one domain for a support ticket: status, each reason with its
 * severity, server, RRset, detail and fix, the record's fix, the parent zone and its DS,
 * the DNSKEYs, CDS, the nameservers with their statuses and RTTs, the earliest RRSIG
 * expiration. scan_name NULL = latest; domain is case-folded and a trailing dot dropped.
 * RESULTS_ENOTFOUND when the domain is not in the scan. */
int results_show(results_store_t *store, const char *scan_name, const char *domain, FILE *out);

/* ---------------------------------------------------------------------------------------------
 * Chain-of-trust picture (`show --graph`), DNSViz-like, drawn from the stored record: the zones
 * from the root down as boxes; the parent's DS records and the domain's DNSKEYs (KSK/ZSK, tag,
 * algorithm) as nodes; signature edges (a key to the DNSKEY RRset: a loop on the key and an
 * arrow to each other key; the zone-signing keys to the data) and digest edges (DS to key);
 * colours by validity (secure green, insecure grey, bogus red, indeterminate orange); the
 * failing edge drawn thick red with what failed (a DS matching no key: dashed to a missing key;
 * an expired signature: its date); the reasons under the picture. SVG is laid out by our own
 * code (no Graphviz needed); DOT is Graphviz text of the same graph.
 * ------------------------------------------------------------------------------------------- */
typedef enum results_graph_format {
    RESULTS_GRAPH_SVG = 0,
    RESULTS_GRAPH_DOT = 1,
} results_graph_format_t;

/* The format a file name asks for by its extension (.svg or .dot, any case): 0 and *fmt,
 * or RESULTS_EINVAL for any other (or no) extension. */
int results_graph_format_for(const char *path, results_graph_format_t *fmt);
/* rec's picture to out (SVG: a standalone document with its XML declaration). scan_name (may
 * be NULL) goes into the title. 0, RESULTS_ENOMEM, or RESULTS_EIO when writing failed. */
int results_graph_write(const results_record_t *rec, const char *scan_name,
                        results_graph_format_t fmt, FILE *out);
/* The picture of one domain of a scan (NULL = latest), looked up as results_show() does.
 * RESULTS_ENOTFOUND when the domain is not in the scan. */
int results_graph(results_store_t *store, const char *scan_name, const char *domain,
                  results_graph_format_t fmt, FILE *out);

/* ---------------------------------------------------------------------------------------------
 * Diff
 *
 * Each domain of OLD ∪ NEW gets exactly one change:
 *   became_bogus     NEW is bogus, OLD was something else (not a new domain)
 *   fixed            OLD was broken (bogus, indeterminate, lame, nxdomain), NEW is secure or
 *                    insecure
 *   got_worse        any other change to a worse rank (e.g. secure -> insecure, secure -> lame)
 *   status_changed   any other status change (insecure -> secure, bogus -> lame, ...)
 *   keys_changed     same status, different DS set (at the parent) or DNSKEY set: a rollover,
 *                    to be seen; it wins over reasons_changed (the line carries both reason
 *                    sets), a status change wins over it; never a regression
 *   reasons_changed  same status and keys, different set of reason codes
 *   new_domain       only in NEW           gone       only in OLD
 *   unchanged        same status, same keys and same set of reason codes
 * Keys compare as sets: a DS by (key tag, algorithm, digest type, digest, case-insensitive), a
 * DNSKEY by (key tag, algorithm, flags, bits); the order they were received in does not count.
 * Rank (results_status_rank): secure 0 < insecure 1 < broken 2 (bogus, indeterminate, lame,
 * nxdomain). A regression ("got worse", what --fail-on-regression exits 3 for) is became_bogus
 * or got_worse: a rank increase, or any transition into bogus.
 * ------------------------------------------------------------------------------------------- */
typedef enum results_change {
    RESULTS_CHANGE_BECAME_BOGUS = 0,
    RESULTS_CHANGE_FIXED,
    RESULTS_CHANGE_GOT_WORSE,
    RESULTS_CHANGE_STATUS_CHANGED,
    RESULTS_CHANGE_KEYS_CHANGED,
    RESULTS_CHANGE_REASONS_CHANGED,
    RESULTS_CHANGE_NEW_DOMAIN,
    RESULTS_CHANGE_GONE,
    RESULTS_CHANGE_UNCHANGED,
    RESULTS_CHANGE_COUNT
} results_change_t;

typedef struct results_diff_counts {
    uint64_t by_change[RESULTS_CHANGE_COUNT];
    uint64_t regressions; /* became_bogus + got_worse */
} results_diff_counts_t;

/* "became_bogus", ... Static storage; NULL when out of range. */
const char *results_change_name(results_change_t change);
int results_status_rank(verify_status_t status);
bool results_is_regression(verify_status_t old_status, verify_status_t new_status);

/* Compares scan old_name with new_name (both required) by a merge-join over the two scans'
 * domain-ordered records. format TEXT: a summary table (change, count) then, for each change
 * except unchanged (unless all), a section "== <change> (<count>) ==" with one line per domain
 * "<domain>  <old status> -> <new status>  [<old codes>] -> [<new codes>]"; a keys_changed line
 * is followed by "    DS [<tag>/<alg>/<digest type> ...] -> [...]  DNSKEY [<tag>/<alg>/<flags>
 * ...] -> [...]".
 * JSONL: one line per changed domain (every domain when all), in domain order:
 * {"domain":..,"old":{"status":..,"reasons":[codes]} or null,"new":{..} or null,"change":..};
 * on a keys_changed line each side also has "ds":[{key_tag,algorithm,digest_type,digest}] and
 * "dnskey":[{key_tag,algorithm,flags,bits}] (the names of the export schema).
 * HTML: one self-contained page (no scripts, no external resources) with the same summary
 * and sections as tables; the keys_changed table has old and new keys columns.
 * counts (optional) receives the tallies; the CLI exits 3 when counts->regressions > 0 and
 * --fail-on-regression was given. */
int results_diff(results_store_t *store, const char *old_name, const char *new_name,
                 results_format_t format, bool all, FILE *out, results_diff_counts_t *counts);
/* Scans of different modes (cli.md: compared only with --force, and the output says so):
 * returns 1 when both scans recorded a mode and they differ, else 0; old_mode and new_mode get
 * the modes ("" when not recorded). When the modes differ, results_diff's output says so: a
 * WARNING line under the text title, a first JSON line {"modes_differ":{"old":..,"new":..}}
 * and the same "modes_differ" member on every domain's line,
 * a <p class="modes-differ"> on the HTML page. */
int results_diff_modes(results_store_t *store, const char *old_name, const char *new_name,
                       char old_mode[32], char new_mode[32]);

/* `dnssweep report`: one self-contained HTML page (inline CSS, inline SVG and one small inline
 * script; nothing fetched) about scan_name (NULL = latest): summary; charts (<svg id="chart-...">
 * whose bars are <g class="bar" data-label data-count>) of the statuses, the top reason codes,
 * the DNSKEY algorithms, the DS digest types, and the earliest RRSIG expirations (disjoint:
 * expired, < 1 day, 1-3, 3-7, 7-30 days, later, from the time the scan judged at: its --now or
 * its start), the earliest days of expiration grouped by day; the reason table; the parent zones
 * (the 50 largest); and a searchable, sortable, paged table (<table id="domains" data-total
 * data-listed>) of every non-secure domain with reasons and fix, worst first, carrying at most ~12
 * MB of rows (the page says how many were left out: use export). With diff_against (an older scan),
 * also the matrix of status transitions, the diff counts, and the domains that got worse, were
 * fixed, or rolled their keys (keys_changed, "rollovers", with the old and new DS and DNSKEY sets)
 * (at most RESULTS_REPORT_ROWS each). history > 0: the last `history` finished scans up to this one
 * as a trend (statuses, became bogus, got worse, fixed and rollovers per scan, each against the
 * finished scan before it) and every rollover of those scans; without diff_against the page
 * then compares with the latest finished scan before this one. The first screen says what got
 * worse since the compared scan and the fix of each reason code those domains carry. Memory is
 * bounded for any number of domains. */
#define RESULTS_REPORT_ROWS 1000
int results_report(results_store_t *store, const char *scan_name, const char *diff_against,
                   unsigned history, FILE *out);

/* ---------------------------------------------------------------------------------------------
 * DS automation (`dnssweep ds-actions`)
 *
 * For a domain whose servers publish CDS/CDNSKEY, the action a registrar may take on the DS
 * set at the parent, decided from the stored records alone. An action is authorised only when,
 * in each of the last `stable` finished scans: every server address answered and served the
 * same CDS/CDNSKEY records over UDP and TCP; the CDS and CDNSKEY RRsets verified with a key the
 * parent's DS set authenticates (RFC 7344 §4.1); the verification found nothing wrong with them
 * (CDS_INVALID: a record naming no served key, CDS and CDNSKEY describing different keys, a
 * delete record mixed with others); the domain is secure; and, unless they are the RFC 8078
 * delete record (action remove), some key they name has a valid RRSIG over the DNSKEY RRset (so
 * the new DS set keeps the domain validating) and they differ from the parent's DS (replace).
 * A domain without DS gets add only through RFC 9615 bootstrapping: the parent signed and
 * proving no DS (status insecure), the servers agreeing as above on self-signed records that
 * name a key signing the DNSKEY RRset, CDS and CDNSKEY agreeing, and for every NS name of the
 * record a signal (results_dsboot_t) that validated and holds the same records. Anything else
 * is refused with a CDS_* reason: CDS_INVALID for what is wrong (server: an address, or the NS
 * name of a failing signal), CDS_PENDING for a candidate not yet stable over `stable` scans.
 * ------------------------------------------------------------------------------------------- */
typedef enum results_ds_action {
    RESULTS_DS_NONE = 0, /* nothing published, or the parent already has that DS set */
    RESULTS_DS_ADD,      /* a first DS set (RFC 9615 bootstrapping) */
    RESULTS_DS_REPLACE,  /* the DS set becomes what the CDS/CDNSKEY describe */
    RESULTS_DS_REMOVE,   /* RFC 8078 delete: remove every DS */
    RESULTS_DS_REFUSED,
} results_ds_action_t;

typedef struct results_ds_decision {
    results_ds_action_t action;
    verify_reason_code_t reason; /* REFUSED only: VERIFY_REASON_CDS_INVALID or CDS_PENDING */
    char server[64];             /* REFUSED: the server address it is about, "" = none/all */
    int32_t key_tag;             /* REFUSED: the key it is about, -1 = none */
    char detail[400];            /* REFUSED: why, in words */
    size_t stable_in;            /* consecutive scans, newest first, that asked for it */
} results_ds_decision_t;

/* "none", "add", "replace", "remove", "refused". Static storage; NULL when out of range. */
const char *results_ds_action_name(results_ds_action_t action);
/* The key tag a stored CDS/CDNSKEY presentation text names (a CDNSKEY's is computed, RFC 4034
 * Appendix B), or -1 when unreadable. */
int32_t results_ds_record_key_tag(const char *text);
/* True when a stored CDS/CDNSKEY text is the RFC 8078 delete record (algorithm 0). */
bool results_ds_record_is_delete(const char *text);
/* Decides for one domain: recs[0] is its record in the newest scan, recs[1..n-1] in the
 * finished scans before it, newest first (NULL where the domain was absent). stable >= 1.
 * Returns 0 (the decision in *out) or RESULTS_EINVAL. */
int results_ds_decide(const results_record_t *const *recs, size_t n, size_t stable,
                      results_ds_decision_t *out);

typedef struct results_ds_actions_counts {
    uint64_t authorised; /* lines with add, replace or remove */
    uint64_t refused;
} results_ds_actions_counts_t;

/* Writes one line per domain of scan_name (NULL = the latest finished scan; a named scan must be
 * finished) that has an action or a refused candidate, in domain order; domains with nothing
 * published and nothing to do get no line. stable: scans [3]; fewer finished scans than that
 * refuse every candidate (CDS_PENDING). JSONL lines: {"domain","action","scan","ds":[DS RRs in
 * presentation format],"dnskey":[DNSKEY RRs, from CDNSKEY],"stable_in":[scan names, oldest
 * first],"evidence":{"servers":[...],"key_tags":[...],"signer_key_tags":[...],"signals":[NS
 * names whose RFC 9615 signal validated]}}; a refused line has "reason","server","key_tag",
 * "detail" instead of ds/dnskey. CSV: header `domain,action,scan,ds,dnskey,stable_in,servers,
 * key_tags,signer_key_tags,signals,reason,server,key_tag,detail`, lists joined by ';'.
 * RESULTS_ENOTFOUND: no finished scan / no such scan; RESULTS_EFINISHED is never returned: an
 * unfinished named scan is RESULTS_EINVAL. */
int results_ds_actions(results_store_t *store, const char *scan_name, unsigned stable,
                       results_format_t format, FILE *out, results_ds_actions_counts_t *counts);

/* Shared helper: "2026-11-24T14:03:12Z" for unix seconds t into buf (>= 21 bytes). */
#define RESULTS_TIME_BUFSZ 32
const char *results_format_time(int64_t t, char buf[RESULTS_TIME_BUFSZ]);

#endif
