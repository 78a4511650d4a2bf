/*
 * Private to the zone-file reader (zonefile.h): its state and the functions its files share.
 * Included only by zonefile.c (records grouped into delegations, life cycle), zonefile_source.c
 * (files, $INCLUDE, lines), zonefile_text.c (names, tokens) and zonefile_record.c (one record).
 */
#ifndef DNSSWEEP_SCANNER_ZONEFILE_INTERNAL_H
#define DNSSWEEP_SCANNER_ZONEFILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>

#include "scanner/zonefile.h"

/* Presentation names may hold \DDD escapes: four characters per octet at worst. */
#define NAME_TEXT_MAX (4 * 255 + 2)
/* One logical record (all its lines joined) and its tokens. */
#define RECORD_TEXT_MAX (4 * ZONEFILE_LINE_MAX)
#define RECORD_TOKENS_MAX 2048
/* $INCLUDE nesting: deeper is refused (no real zone needs it; it bounds open files). */
#define INCLUDE_DEPTH_MAX 8

typedef struct zrec {
    char owner[NAME_TEXT_MAX];
    uint16_t type, covered;
    uint32_t ttl;
    uint64_t line;
    bool keep; /* rdata was checked and kept (a type a delegation needs) */
    char rdata[RECORD_TEXT_MAX];
} zrec_t;

/* A kept record of the group: its owner and RDATA are offsets into the group's store, which
 * may move as it grows; rr's pointers are set when the delegation is handed out. */
typedef struct grr {
    size_t owner_off, rdata_off;
    scanner_zonefile_rr_t rr;
} grr_t;

/* A file whose $INCLUDE is being read: resumed, with its origin, when the included file ends. */
typedef struct zparent {
    gzFile gz;
    char *path;
    dev_t dev;
    ino_t ino;
    uint64_t lineno;
    char origin[NAME_TEXT_MAX];
    bool have_origin;
} zparent_t;

struct scanner_zonefile {
    gzFile gz;
    char *path; /* the file being read ("-" for stdin) */
    dev_t dev;
    ino_t ino;
    zparent_t parents[INCLUDE_DEPTH_MAX];
    size_t n_parents;
    char *line; /* ZONEFILE_LINE_MAX + 2 */
    uint64_t lineno;
    /* the logical record being read */
    char *text; /* RECORD_TEXT_MAX */
    size_t text_len;
    size_t tok[RECORD_TOKENS_MAX];
    size_t n_tok;
    int depth;
    bool blank_owner;
    uint64_t rec_line;
    /* directives and defaults */
    char origin[NAME_TEXT_MAX];
    bool have_origin;
    uint32_t default_ttl, last_ttl;
    bool have_default_ttl;
    char prev_owner[NAME_TEXT_MAX];
    char apex[NAME_TEXT_MAX];
    bool apex_known;
    /* parsed records: the current one and the one that ended the last delegation */
    zrec_t *cur, *pend;
    bool pending, emitted;
    /* the group: the records of one owner, or of a delegation and the names below it */
    char group_owner[NAME_TEXT_MAX];
    bool group_active, group_apex;       /* a delegation when group.n_ns > 0 */
    scanner_zonefile_delegation_t group; /* line and counts; child and rrs set when emitted */
    grr_t *grr;                          /* group.n_rrs of them */
    char *store;
    size_t store_len, store_cap;
    scanner_zonefile_rr_t *out; /* ZONEFILE_DELEGATION_MAX_RRS */
    char err[320];
    uint64_t err_line;
    scanner_zonefile_stats_t stats;
};

/* Token i of the logical record being read. */
static inline const char *tok(const scanner_zonefile_t *zf, size_t i)
{
    return zf->text + zf->tok[i];
}

/* zonefile.c */

/* Reports a malformed record at line (fmt takes arg, which may be zf->err itself): sets the
 * message, counts it, and drops the tokens read so far. Inside an $INCLUDE the message names the
 * included file and line, and the line becomes the outermost $INCLUDE's. Returns ZONEFILE_BAD. */
int scan_zonefile_bad(scanner_zonefile_t *zf, uint64_t line, const char *fmt, const char *arg)
    __attribute__((format(printf, 3, 0)));

/* zonefile_text.c */

/* Whether the name's text ends with a dot that is not escaped (the name is absolute). */
bool scan_zonefile_name_is_absolute(const char *s, size_t n);
/* Makes text absolute (relative to the origin), folded. Returns 0 or -1 with zf->err set. */
int scan_zonefile_expand_name(scanner_zonefile_t *zf, const char *text, char *out, size_t out_len);
/* name strictly below parent (both absolute, folded). */
bool scan_zonefile_is_below(const char *name, const char *parent);
/* Splits one physical line into the record's tokens. Returns 0, or ZONEFILE_BAD. */
int scan_zonefile_tokenize_line(scanner_zonefile_t *zf, const char *p);

/* zonefile_source.c */

/* Opens path ("-": stdin) as the current file (plain or gzip). Returns 0 or -errno. */
int scan_zonefile_source_open(scanner_zonefile_t *zf, const char *path);
/* The $INCLUDE record just read: reads its file in place of the line. Returns 0 or
 * ZONEFILE_BAD. */
int scan_zonefile_include_begin(scanner_zonefile_t *zf);
/* The included file ended (or the reader is freed): back to the file that included it. */
void scan_zonefile_include_end(scanner_zonefile_t *zf);
/* Returns 1 when a record's tokens are ready, 0 at the end, ZONEFILE_BAD or -errno. */
int scan_zonefile_read_record(scanner_zonefile_t *zf);

/* zonefile_record.c */

/* The record just read: returns 1 with *r filled, 0 for a directive, ZONEFILE_BAD, or -EINVAL
 * (no apex). */
int scan_zonefile_parse_record(scanner_zonefile_t *zf, zrec_t *r);

#endif
