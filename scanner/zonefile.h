/*
 * Private to scanner/: the streaming parent-zone-file reader behind `dnssweep scan --zone-file`.
 *
 * Reads an RFC 1035 master file (plain or gzip, detected by zlib) of any size with memory
 * bounded by one delegation's records, and yields the file's delegations: for each owner name
 * below the apex that has NS records, its NS, DS, NSEC, the RRSIGs covering DS and NSEC, and
 * the A/AAAA records at or below it (candidate glue).
 *
 * Syntax handled: $ORIGIN, $TTL, @, relative names, ';' comments, quoted strings,
 * multi-line records in parentheses, a blank owner (the previous record's owner), TTL and class
 * in either order, TTL units (1h30m), $INCLUDE (relative to the including file, plain or gzip,
 * loops and nesting deeper than 8 files refused). $GENERATE is reported and skipped. An error in
 * an included file is reported at the line of the outermost $INCLUDE, its message naming the
 * included file and line; a delegation's line is the line in the file that holds it.
 * Names are folded to lower case (ASCII) and kept as absolute presentation text.
 *
 * Ordering: a delegation's records (its owner's records, then the names below it) must be
 * contiguous, which they are in registry zone files and in any file sorted by owner
 * (`ldns-read-zone -z`, `named-compilezone -s full`). When they are not, the reader yields the
 * same child once per run of records; the scanner detects the second occurrence (the name is
 * already in flight or stored) and reports it. Glue whose owner is not at or below the child
 * (sibling glue) is not attached: the scanner looks those NS names up over the wire. NSEC3
 * records and their RRSIGs are skipped without ending a delegation (signers write them between
 * a delegation and its glue).
 *
 * The apex is the owner of the first record when it is an SOA, else the $ORIGIN (or the
 * caller's origin) in effect at the first record.
 */
#ifndef DNSSWEEP_SCANNER_ZONEFILE_H
#define DNSSWEEP_SCANNER_ZONEFILE_H

#include <ldns/ldns.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest physical line and most records kept for one delegation; beyond them records are
 * reported as malformed and skipped. */
#define ZONEFILE_LINE_MAX 65536
#define ZONEFILE_DELEGATION_MAX_RRS 4096

typedef struct scanner_zonefile scanner_zonefile_t;

typedef enum scanner_zonefile_kind {
    ZONEFILE_EOF = 0,
    ZONEFILE_DELEGATION = 1, /* *dg is the next delegation */
    ZONEFILE_BAD = 2,        /* the record at line zonefile_bad_line() was skipped; see error */
} scanner_zonefile_kind_t;

typedef struct scanner_zonefile_rr {
    const char *owner; /* absolute, lower case, trailing dot */
    uint16_t type;     /* LDNS_RR_TYPE_* */
    uint16_t covered;  /* RRSIG: the type covered; else 0 */
    uint32_t ttl;
    uint64_t line;     /* first line of the record */
    const char *rdata; /* presentation: tokens joined by one space; NS targets absolute, folded */
} scanner_zonefile_rr_t;

typedef struct scanner_zonefile_delegation {
    const char *child; /* absolute, lower case, trailing dot */
    uint64_t line;     /* first line of the child's records */
    size_t n_rrs;
    const scanner_zonefile_rr_t *rrs; /* in file order */
    size_t n_ns, n_ds;
} scanner_zonefile_delegation_t;

typedef struct scanner_zonefile_stats {
    uint64_t lines, records, bad, delegations, glue;
} scanner_zonefile_stats_t;

/* Opens path ("-" = stdin) for reading; origin (NULL = none) is the initial $ORIGIN for
 * relative names. Returns 0, or -errno (-EINVAL for a bad origin). Caller frees. */
int scanner_zonefile_open(const char *path, const char *origin, scanner_zonefile_t **out);
void scanner_zonefile_free(scanner_zonefile_t *zf);

/* Reads on to the next delegation or malformed record. Returns a scanner_zonefile_kind_t, or a
 * negative value on a fatal error (-errno for I/O, -EINVAL when the apex cannot be told: see
 * scanner_zonefile_error()). *dg and its strings belong to the reader and stay valid until the next
 * call. */
int scanner_zonefile_next(scanner_zonefile_t *zf, scanner_zonefile_delegation_t *dg);

/* The last ZONEFILE_BAD or fatal error: line number and message (borrowed, valid until the next
 * call). */
uint64_t scanner_zonefile_error_line(const scanner_zonefile_t *zf);
const char *scanner_zonefile_error(const scanner_zonefile_t *zf);
/* The apex (absolute, lower case), "" until the first record is read. */
const char *scanner_zonefile_apex(const scanner_zonefile_t *zf);
const scanner_zonefile_stats_t *scanner_zonefile_stats(const scanner_zonefile_t *zf);

/* Builds the referral the parent would send for dg: NS, DS, NSEC and their RRSIGs in the
 * authority section, the A/AAAA of the NS names at or below the child in the additional section.
 * Returns 0 and *out (caller frees), or -1 with a message in err (a record ldns cannot parse).
 * *has_ds / *has_ds_sig / *has_nsec_sig say what the file gave. */
int scanner_zonefile_referral(const scanner_zonefile_delegation_t *dg, ldns_pkt **out,
                              bool *has_ds_sig, bool *has_nsec_sig, char *err, size_t err_len);

#endif
