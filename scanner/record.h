/* The record of one domain, built on a worker: judgement, CDS, fix (judge.c, judge_cds.c, fix.c).
 * Private to scanner/, included only where used. */
#ifndef DNSSWEEP_SCANNER_RECORD_H
#define DNSSWEEP_SCANNER_RECORD_H

#include "scanner/internal.h"

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

#endif
