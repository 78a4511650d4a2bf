/*
 * The streaming zone-file reader (zonefile.h): a hand-written tokenizer, because
 * ldns_rr_new_frm_str() per record is several times slower than the 1,000,000 records/s a TLD
 * file needs. Only the types a delegation needs (NS, DS, NSEC, RRSIG, A, AAAA) get their RDATA
 * checked and kept; every other record costs one tokenisation and one type lookup.
 */
#include "scanner/zonefile.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

typedef struct grr {
    size_t owner_off, rdata_off;
    uint16_t type, covered;
    uint32_t ttl;
    uint64_t line;
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
    bool group_active, group_deleg, group_apex;
    uint64_t group_line;
    grr_t *grr;
    size_t n_grr;
    size_t n_ns, n_ds;
    char *store;
    size_t store_len, store_cap;
    scanner_zonefile_rr_t *out; /* ZONEFILE_DELEGATION_MAX_RRS */
    char err[320];
    uint64_t err_line;
    scanner_zonefile_stats_t stats;
};

/* ---- names ---- */

static void fold(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

static bool ends_with_unescaped_dot(const char *s, size_t n)
{
    if (n == 0 || s[n - 1] != '.')
        return false;
    size_t bs = 0;
    while (bs + 1 < n && s[n - 2 - bs] == '\\')
        bs++;
    return bs % 2 == 0;
}

/* Makes tok absolute (relative to the origin), folded. Returns 0 or -1 with zf->err set. */
static int expand_name(scanner_zonefile_t *zf, const char *tok, char *out, size_t out_len)
{
    size_t n = strlen(tok);
    if (strcmp(tok, "@") == 0) {
        if (!zf->have_origin)
            goto no_origin;
        snprintf(out, out_len, "%s", zf->origin);
        return 0;
    }
    if (n == 0 || (tok[0] == '.' && n > 1) || strstr(tok, "..")) {
        snprintf(zf->err, sizeof zf->err, "bad name '%.80s' (empty label)", tok);
        return -1;
    }
    int w;
    if (ends_with_unescaped_dot(tok, n)) {
        w = snprintf(out, out_len, "%s", tok);
    } else {
        if (!zf->have_origin)
            goto no_origin;
        w = snprintf(out, out_len, "%s.%s", tok, strcmp(zf->origin, ".") == 0 ? "" : zf->origin);
    }
    if (w < 0 || (size_t)w >= out_len || w > NAME_TEXT_MAX - 2) {
        snprintf(zf->err, sizeof zf->err, "name too long: '%.80s...'", tok);
        return -1;
    }
    fold(out);
    return 0;
no_origin:
    snprintf(zf->err, sizeof zf->err, "relative name '%.80s' and no $ORIGIN", tok);
    return -1;
}

/* name strictly below parent (both absolute, folded). */
static bool is_below(const char *name, const char *parent)
{
    size_t n = strlen(name), p = strlen(parent);
    if (strcmp(parent, ".") == 0)
        return n > 1;
    if (n <= p || memcmp(name + n - p, parent, p) != 0 || name[n - p - 1] != '.')
        return false;
    return !(n - p >= 2 && name[n - p - 2] == '\\');
}

/* ---- TTL, class, type ---- */

static int parse_ttl(const char *s, uint32_t *out)
{
    uint64_t total = 0, num = 0;
    bool digits = false;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s)) {
            num = num * 10 + (uint64_t)(*s - '0');
            digits = true;
            if (num > UINT32_MAX)
                return -1;
            continue;
        }
        if (!digits)
            return -1;
        uint64_t mult;
        switch (tolower((unsigned char)*s)) {
        case 's':
            mult = 1;
            break;
        case 'm':
            mult = 60;
            break;
        case 'h':
            mult = 3600;
            break;
        case 'd':
            mult = 86400;
            break;
        case 'w':
            mult = 604800;
            break;
        default:
            return -1;
        }
        total += num * mult;
        num = 0;
        digits = false;
    }
    total += num;
    if (total > UINT32_MAX)
        return -1;
    *out = (uint32_t)total;
    return 0;
}

static bool is_class(const char *s)
{
    return strcasecmp(s, "IN") == 0 || strcasecmp(s, "CH") == 0 || strcasecmp(s, "HS") == 0 ||
           strcasecmp(s, "CS") == 0 || strncasecmp(s, "CLASS", 5) == 0;
}

static uint16_t parse_type(const char *s)
{
    static const struct {
        const char *name;
        uint16_t type;
    } common[] = {
        {"NS", LDNS_RR_TYPE_NS},         {"DS", LDNS_RR_TYPE_DS},
        {"A", LDNS_RR_TYPE_A},           {"AAAA", LDNS_RR_TYPE_AAAA},
        {"RRSIG", LDNS_RR_TYPE_RRSIG},   {"NSEC", LDNS_RR_TYPE_NSEC},
        {"NSEC3", LDNS_RR_TYPE_NSEC3},   {"SOA", LDNS_RR_TYPE_SOA},
        {"DNSKEY", LDNS_RR_TYPE_DNSKEY}, {"NSEC3PARAM", LDNS_RR_TYPE_NSEC3PARAM},
        {"TXT", LDNS_RR_TYPE_TXT},
    };
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (strcasecmp(s, common[i].name) == 0)
            return common[i].type;
    return (uint16_t)ldns_get_rr_type_by_name(s);
}

/* ---- reading one logical record (tokens) ---- */

static void include_end(scanner_zonefile_t *zf);

static int bad(scanner_zonefile_t *zf, uint64_t line, const char *fmt, const char *arg)
    __attribute__((format(printf, 3, 0)));

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int bad(scanner_zonefile_t *zf, uint64_t line, const char *fmt, const char *arg)
{
    char copy[sizeof zf->err]; /* arg may be zf->err itself */
    snprintf(copy, sizeof copy, "%s", arg);
    snprintf(zf->err, sizeof zf->err, fmt, copy);
    zf->err_line = line;
    if (zf->n_parents > 0) {
        /* Callers name the zone file: the line is the outermost $INCLUDE's, the message says
         * where in the included file. */
        snprintf(copy, sizeof copy, "%s", zf->err);
        snprintf(zf->err, sizeof zf->err, "in %.120s line %llu: %s", zf->path,
                 (unsigned long long)line, copy);
        zf->err_line = zf->parents[0].lineno;
    }
    zf->stats.bad++;
    zf->depth = 0;
    zf->n_tok = 0;
    zf->text_len = 0;
    return ZONEFILE_BAD;
}
#pragma GCC diagnostic pop

static bool push_token(scanner_zonefile_t *zf, const char *start, size_t len)
{
    if (zf->n_tok == RECORD_TOKENS_MAX || zf->text_len + len + 1 > RECORD_TEXT_MAX)
        return false;
    zf->tok[zf->n_tok++] = zf->text_len;
    memcpy(zf->text + zf->text_len, start, len);
    zf->text_len += len;
    zf->text[zf->text_len++] = '\0';
    return true;
}

/* Splits one physical line into the record's tokens. Returns 0, or ZONEFILE_BAD. */
static int tokenize_line(scanner_zonefile_t *zf, const char *p)
{
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p == '\0' || *p == ';')
            return 0;
        if (*p == '(') {
            zf->depth++;
            p++;
            continue;
        }
        if (*p == ')') {
            if (--zf->depth < 0)
                return bad(zf, zf->lineno, "unbalanced ')'%s", "");
            p++;
            continue;
        }
        const char *start = p;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p != '"')
                return bad(zf, zf->lineno, "unterminated quoted string%s", "");
            p++;
        } else {
            while (*p && !strchr(" \t\r\n;()\"", *p)) {
                if (*p == '\\' && p[1] && p[1] != '\n')
                    p++;
                p++;
            }
        }
        if (!push_token(zf, start, (size_t)(p - start)))
            return bad(zf, zf->rec_line, "record too long%s", "");
    }
}

/* Returns 1 when a record's tokens are ready, 0 at the end, ZONEFILE_BAD or -errno. */
static int read_record(scanner_zonefile_t *zf)
{
    for (;;) {
        if (!gzgets(zf->gz, zf->line, ZONEFILE_LINE_MAX + 2)) {
            int errnum = 0;
            gzerror(zf->gz, &errnum);
            if (errnum == Z_BUF_ERROR) {
                /* zlib's "unexpected end of file": a cut-off download must not pass for a
                 * complete zone whose last delegations simply do not exist. */
                snprintf(zf->err, sizeof zf->err,
                         "truncated gzip data: %.120s ends inside the compressed stream "
                         "(after line %llu)",
                         zf->path, (unsigned long long)zf->lineno);
                zf->err_line = zf->n_parents ? zf->parents[0].lineno : zf->lineno;
                return -EIO;
            }
            if (errnum != Z_OK)
                return errnum == Z_ERRNO ? -(errno ? errno : EIO) : -EIO;
            if (zf->depth > 0)
                return bad(zf, zf->rec_line, "unbalanced '(': end of file inside the record%s", "");
            if (zf->n_parents == 0)
                return 0;
            include_end(zf);
            continue;
        }
        zf->lineno++;
        zf->stats.lines++;
        size_t len = strlen(zf->line);
        if (len > ZONEFILE_LINE_MAX && zf->line[len - 1] != '\n') {
            /* Drain the rest of the overlong line, then report it. */
            int c;
            while ((c = gzgetc(zf->gz)) != -1 && c != '\n')
                ;
            return bad(zf, zf->lineno, "line longer than %s characters", "65536");
        }
        if (zf->depth == 0) {
            zf->n_tok = 0;
            zf->text_len = 0;
            zf->rec_line = zf->lineno;
            zf->blank_owner = zf->line[0] == ' ' || zf->line[0] == '\t';
        }
        int rc = tokenize_line(zf, zf->line);
        if (rc)
            return rc;
        if (zf->depth == 0 && zf->n_tok > 0)
            return 1;
    }
}

/* ---- one record: owner, TTL, class, type, the RDATA a delegation needs ---- */

static const char *tok(const scanner_zonefile_t *zf, size_t i)
{
    return zf->text + zf->tok[i];
}

static bool all_digits(const char *s, unsigned long max)
{
    if (!*s || strlen(s) > 10)
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return strtoul(s, NULL, 10) <= max;
}

/* Appends s (and a separating space) to the record's rdata. */
static void rdata_add(zrec_t *r, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 2 > sizeof r->rdata)
        return; /* cannot happen: the tokens came from a record of at most this size */
    if (*len)
        r->rdata[(*len)++] = ' ';
    memcpy(r->rdata + *len, s, n + 1);
    *len += n;
}

/* Checks and keeps the RDATA of the types a delegation needs. Returns 0 or ZONEFILE_BAD. */
static int parse_rdata(scanner_zonefile_t *zf, zrec_t *r, size_t i)
{
    size_t n = zf->n_tok - i, len = 0;
    char name[NAME_TEXT_MAX];
    unsigned char addr[16];
    r->rdata[0] = '\0';
    switch (r->type) {
    case LDNS_RR_TYPE_NS:
        if (n != 1)
            return bad(zf, r->line, "NS needs one name%s", "");
        if (expand_name(zf, tok(zf, i), name, sizeof name) != 0)
            return bad(zf, r->line, "%s", zf->err);
        rdata_add(r, &len, name);
        break;
    case LDNS_RR_TYPE_A:
    case LDNS_RR_TYPE_AAAA:
        if (n != 1 ||
            inet_pton(r->type == LDNS_RR_TYPE_A ? AF_INET : AF_INET6, tok(zf, i), addr) != 1)
            return bad(zf, r->line, "bad %s address", r->type == LDNS_RR_TYPE_A ? "A" : "AAAA");
        rdata_add(r, &len, tok(zf, i));
        break;
    case LDNS_RR_TYPE_DS:
        if (n < 4 || !all_digits(tok(zf, i), 65535) || !all_digits(tok(zf, i + 1), 255) ||
            !all_digits(tok(zf, i + 2), 255))
            return bad(zf, r->line, "DS needs key tag, algorithm, digest type and digest%s", "");
        for (size_t k = i + 3; k < zf->n_tok; k++)
            for (const char *p = tok(zf, k); *p; p++)
                if (!isxdigit((unsigned char)*p))
                    return bad(zf, r->line, "DS digest is not hex: '%.40s'", tok(zf, k));
        for (size_t k = i; k < zf->n_tok; k++)
            rdata_add(r, &len, tok(zf, k));
        break;
    case LDNS_RR_TYPE_NSEC:
    case LDNS_RR_TYPE_RRSIG: {
        /* The names inside (NSEC next name, RRSIG signer) may be relative too. */
        size_t name_at = r->type == LDNS_RR_TYPE_NSEC ? 0 : 7;
        if (n < name_at + 1 || (r->type == LDNS_RR_TYPE_RRSIG && n < 9))
            return bad(zf, r->line, "%s has too few fields",
                       r->type == LDNS_RR_TYPE_NSEC ? "NSEC" : "RRSIG");
        if (r->type == LDNS_RR_TYPE_RRSIG && (r->covered = parse_type(tok(zf, i))) == 0)
            return bad(zf, r->line, "RRSIG covers an unknown type '%.40s'", tok(zf, i));
        for (size_t k = i; k < zf->n_tok; k++) {
            if (k == i + name_at) {
                if (expand_name(zf, tok(zf, k), name, sizeof name) != 0)
                    return bad(zf, r->line, "%s", zf->err);
                rdata_add(r, &len, name);
            } else {
                rdata_add(r, &len, tok(zf, k));
            }
        }
        break;
    }
    default:
        return 0;
    }
    r->keep = true;
    return 0;
}

/* ---- $INCLUDE ---- */

/* Opens path as the current file (plain or gzip). Returns 0 or -errno. */
static int source_open(scanner_zonefile_t *zf, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno ? errno : EIO;
        if (fd >= 0)
            close(fd);
        return -e;
    }
    gzFile gz = gzdopen(fd, "rb");
    char *copy = strdup(path);
    if (!gz || !copy) {
        if (gz)
            gzclose(gz);
        else
            close(fd);
        free(copy);
        return -ENOMEM;
    }
    gzbuffer(gz, 256 * 1024);
    zf->gz = gz;
    zf->path = copy;
    zf->dev = st.st_dev;
    zf->ino = st.st_ino;
    zf->lineno = 0;
    return 0;
}

/* The included file's name: absolute, or relative to the directory of the file including it
 * (the current directory for stdin). Returns 0 or -1 when it does not fit. */
static int include_path(const scanner_zonefile_t *zf, const char *name, char *out, size_t len)
{
    size_t n = strlen(name);
    if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
        name++;
        n -= 2;
    }
    const char *slash = strrchr(zf->path, '/');
    int dir =
        name[0] == '/' || strcmp(zf->path, "-") == 0 || !slash ? 0 : (int)(slash - zf->path + 1);
    int w = snprintf(out, len, "%.*s%.*s", dir, zf->path, (int)n, name);
    return w > 0 && (size_t)w < len && n > 0 ? 0 : -1;
}

/* $INCLUDE file [origin]: reads the file in place of the line, with origin (else the current
 * one) as its $ORIGIN; the including file's origin is restored after it (RFC 1035 5.1). An
 * include of a file already being read (a loop) or nested deeper than INCLUDE_DEPTH_MAX is
 * refused. Returns 0 or ZONEFILE_BAD. */
static int include_begin(scanner_zonefile_t *zf)
{
    char path[4096], origin[NAME_TEXT_MAX] = "";
    if (zf->n_tok < 2 || zf->n_tok > 3 || include_path(zf, tok(zf, 1), path, sizeof path) != 0)
        return bad(zf, zf->rec_line, "$INCLUDE needs a file name and an optional origin%s", "");
    if (zf->n_tok == 3 && expand_name(zf, tok(zf, 2), origin, sizeof origin) != 0)
        return bad(zf, zf->rec_line, "$INCLUDE origin: %s", zf->err);
    if (zf->n_parents == INCLUDE_DEPTH_MAX)
        return bad(zf, zf->rec_line, "$INCLUDE nested deeper than %s files; the line is skipped",
                   "8");
    struct stat st;
    if (stat(path, &st) != 0) {
        char msg[sizeof zf->err];
        snprintf(msg, sizeof msg, "$INCLUDE %.200s: %s", path, strerror(errno));
        return bad(zf, zf->rec_line, "%s", msg);
    }
    if (!S_ISREG(st.st_mode))
        /* a device or pipe could block or never end */
        return bad(zf, zf->rec_line, "$INCLUDE %.200s: not a regular file; the line is skipped",
                   path);
    bool loop = st.st_dev == zf->dev && st.st_ino == zf->ino;
    for (size_t i = 0; i < zf->n_parents; i++)
        loop |= st.st_dev == zf->parents[i].dev && st.st_ino == zf->parents[i].ino;
    if (loop)
        return bad(zf, zf->rec_line,
                   "$INCLUDE %.200s: the file is already being read (an include "
                   "loop); the line is skipped",
                   path);
    zparent_t *p = &zf->parents[zf->n_parents];
    *p = (zparent_t){.gz = zf->gz,
                     .path = zf->path,
                     .dev = zf->dev,
                     .ino = zf->ino,
                     .lineno = zf->lineno,
                     .have_origin = zf->have_origin};
    memcpy(p->origin, zf->origin, sizeof p->origin);
    int rc = source_open(zf, path);
    if (rc != 0) {
        zf->gz = p->gz;
        zf->path = p->path;
        char msg[sizeof zf->err];
        snprintf(msg, sizeof msg, "$INCLUDE %.200s: %s", path, strerror(-rc));
        return bad(zf, zf->rec_line, "%s", msg);
    }
    zf->n_parents++;
    if (origin[0]) {
        memcpy(zf->origin, origin, sizeof zf->origin);
        zf->have_origin = true;
    }
    return 0;
}

/* The included file ended: back to the file that included it. */
static void include_end(scanner_zonefile_t *zf)
{
    zparent_t *p = &zf->parents[--zf->n_parents];
    gzclose(zf->gz);
    free(zf->path);
    zf->gz = p->gz;
    zf->path = p->path;
    zf->dev = p->dev;
    zf->ino = p->ino;
    zf->lineno = p->lineno;
    memcpy(zf->origin, p->origin, sizeof zf->origin);
    zf->have_origin = p->have_origin;
}

static int directive(scanner_zonefile_t *zf)
{
    const char *d = tok(zf, 0);
    if (strcasecmp(d, "$ORIGIN") == 0) {
        char name[NAME_TEXT_MAX];
        if (zf->n_tok != 2 || expand_name(zf, tok(zf, 1), name, sizeof name) != 0)
            return bad(zf, zf->rec_line, "$ORIGIN needs one name%s", "");
        snprintf(zf->origin, sizeof zf->origin, "%s", name);
        zf->have_origin = true;
        return 0;
    }
    if (strcasecmp(d, "$TTL") == 0) {
        if (zf->n_tok != 2 || parse_ttl(tok(zf, 1), &zf->default_ttl) != 0)
            return bad(zf, zf->rec_line, "$TTL needs one TTL%s", "");
        zf->have_default_ttl = true;
        return 0;
    }
    if (strcasecmp(d, "$INCLUDE") == 0)
        return include_begin(zf);
    return bad(zf, zf->rec_line, "directive %.40s is not supported; the line is skipped", d);
}

/* Returns 1 with *r filled, 0 for a directive, ZONEFILE_BAD, or -EINVAL (no apex). */
static int parse_record(scanner_zonefile_t *zf, zrec_t *r)
{
    size_t i = 0;
    r->line = zf->rec_line;
    r->keep = false;
    r->covered = 0;
    if (!zf->blank_owner && tok(zf, 0)[0] == '$')
        return directive(zf);
    if (zf->blank_owner) {
        if (!zf->prev_owner[0])
            return bad(zf, r->line, "no owner name and no previous record%s", "");
        memcpy(r->owner, zf->prev_owner, strlen(zf->prev_owner) + 1);
    } else {
        if (expand_name(zf, tok(zf, 0), r->owner, sizeof r->owner) != 0)
            return bad(zf, r->line, "%s", zf->err);
        i = 1;
    }
    bool have_ttl = false, have_class = false;
    for (int k = 0; k < 2 && i < zf->n_tok; k++) {
        const char *t = tok(zf, i);
        if (!have_ttl && isdigit((unsigned char)t[0])) {
            if (parse_ttl(t, &r->ttl) != 0)
                return bad(zf, r->line, "bad TTL '%.40s'", t);
            have_ttl = true;
            i++;
        } else if (!have_class && is_class(t)) {
            if (strcasecmp(t, "IN") != 0)
                return bad(zf, r->line, "class %.20s: only IN is read", t);
            have_class = true;
            i++;
        }
    }
    if (i >= zf->n_tok)
        return bad(zf, r->line, "no type%s", "");
    if ((r->type = parse_type(tok(zf, i))) == 0)
        return bad(zf, r->line, "unknown type '%.40s'", tok(zf, i));
    if (!have_ttl)
        r->ttl = zf->have_default_ttl ? zf->default_ttl : zf->last_ttl;
    zf->last_ttl = r->ttl;
    memcpy(zf->prev_owner, r->owner, strlen(r->owner) + 1);
    if (!zf->apex_known) {
        if (r->type == LDNS_RR_TYPE_SOA)
            snprintf(zf->apex, sizeof zf->apex, "%s", r->owner);
        else if (zf->have_origin)
            snprintf(zf->apex, sizeof zf->apex, "%s", zf->origin);
        else {
            snprintf(zf->err, sizeof zf->err,
                     "cannot tell the zone's apex: the first record is not an SOA and there is "
                     "no $ORIGIN");
            zf->err_line = r->line;
            return -EINVAL;
        }
        zf->apex_known = true;
    }
    if (strcmp(r->owner, zf->apex) != 0 && !is_below(r->owner, zf->apex))
        return bad(zf, r->line, "owner %.200s is outside the zone", r->owner);
    int rc = parse_rdata(zf, r, i + 1);
    return rc ? rc : 1;
}

/* ---- grouping records into delegations ---- */

static size_t store_add(scanner_zonefile_t *zf, const char *s)
{
    size_t n = strlen(s) + 1;
    if (zf->store_len + n > zf->store_cap) {
        size_t cap = zf->store_cap * 2;
        while (cap < zf->store_len + n)
            cap *= 2;
        char *grown = realloc(zf->store, cap);
        if (!grown)
            return SIZE_MAX;
        zf->store = grown;
        zf->store_cap = cap;
    }
    memcpy(zf->store + zf->store_len, s, n);
    zf->store_len += n;
    return zf->store_len - n;
}

static void group_start(scanner_zonefile_t *zf, const zrec_t *r)
{
    memcpy(zf->group_owner, r->owner, strlen(r->owner) + 1);
    zf->group_active = true;
    zf->group_deleg = false;
    zf->group_apex = strcmp(r->owner, zf->apex) == 0;
    zf->group_line = r->line;
    zf->n_grr = 0;
    zf->n_ns = zf->n_ds = 0;
    zf->store_len = 0;
}

/* Keeps r when the delegation needs it. Returns 0, ZONEFILE_BAD or -ENOMEM. */
static int group_add(scanner_zonefile_t *zf, const zrec_t *r, bool at_owner)
{
    if (!r->keep || zf->group_apex)
        return 0;
    bool addr = r->type == LDNS_RR_TYPE_A || r->type == LDNS_RR_TYPE_AAAA;
    if (!at_owner && !addr)
        return 0; /* occluded data below a cut */
    if (r->type == LDNS_RR_TYPE_RRSIG && r->covered != LDNS_RR_TYPE_DS &&
        r->covered != LDNS_RR_TYPE_NSEC)
        return 0;
    if (zf->n_grr == ZONEFILE_DELEGATION_MAX_RRS)
        return bad(zf, r->line, "too many records for the delegation %.200s", zf->group_owner);
    size_t o = store_add(zf, r->owner), d = store_add(zf, r->rdata);
    if (o == SIZE_MAX || d == SIZE_MAX)
        return -ENOMEM;
    zf->grr[zf->n_grr++] = (grr_t){o, d, r->type, r->covered, r->ttl, r->line};
    if (!at_owner)
        zf->stats.glue++;
    if (r->type == LDNS_RR_TYPE_NS) {
        zf->group_deleg = true;
        zf->n_ns++;
    } else if (r->type == LDNS_RR_TYPE_DS) {
        zf->n_ds++;
    }
    return 0;
}

static int emit(scanner_zonefile_t *zf, scanner_zonefile_delegation_t *dg)
{
    for (size_t i = 0; i < zf->n_grr; i++) {
        const grr_t *g = &zf->grr[i];
        zf->out[i] = (scanner_zonefile_rr_t){
            .owner = zf->store + g->owner_off,
            .type = g->type,
            .covered = g->covered,
            .ttl = g->ttl,
            .line = g->line,
            .rdata = zf->store + g->rdata_off,
        };
    }
    *dg = (scanner_zonefile_delegation_t){
        .child = zf->group_owner,
        .line = zf->group_line,
        .n_rrs = zf->n_grr,
        .rrs = zf->out,
        .n_ns = zf->n_ns,
        .n_ds = zf->n_ds,
    };
    zf->emitted = true;
    zf->stats.delegations++;
    return ZONEFILE_DELEGATION;
}

/* DS records at an owner without NS: the delegation's records are not contiguous (or the
 * file is broken); either way the DS must not be silently lost. */
static bool orphan_ds(const scanner_zonefile_t *zf)
{
    return zf->group_active && !zf->group_deleg && !zf->group_apex && zf->n_ds > 0;
}

static int orphan_bad(scanner_zonefile_t *zf)
{
    return bad(zf, zf->group_line,
               "DS of %.200s without NS records next to it: a delegation's records must be "
               "contiguous (sort the file by owner, e.g. ldns-read-zone -z)",
               zf->group_owner);
}

int scanner_zonefile_next(scanner_zonefile_t *zf, scanner_zonefile_delegation_t *dg)
{
    zf->err[0] = '\0';
    if (zf->emitted) {
        zf->emitted = false;
        zf->group_active = false;
        if (zf->pending) {
            zf->pending = false;
            group_start(zf, zf->pend);
            int rc = group_add(zf, zf->pend, true);
            if (rc)
                return rc;
        }
    }
    for (;;) {
        int rc = read_record(zf);
        if (rc == 0) {
            if (zf->group_active && zf->group_deleg)
                return emit(zf, dg);
            if (orphan_ds(zf)) {
                zf->group_active = false;
                return orphan_bad(zf);
            }
            return ZONEFILE_EOF;
        }
        if (rc != 1)
            return rc;
        rc = parse_record(zf, zf->cur);
        if (rc != 1) {
            if (rc == 0)
                continue;
            return rc;
        }
        zf->stats.records++;
        const zrec_t *r = zf->cur;
        /* NSEC3 chains live at hashed owners that signers (ldns-signzone) write between a
         * delegation and its glue: they belong to no delegation and must not end one. */
        if (r->type == LDNS_RR_TYPE_NSEC3 || r->covered == LDNS_RR_TYPE_NSEC3)
            continue;
        if (zf->group_active && strcmp(r->owner, zf->group_owner) == 0) {
            if ((rc = group_add(zf, r, true)) != 0)
                return rc;
        } else if (zf->group_active && zf->group_deleg && is_below(r->owner, zf->group_owner)) {
            if ((rc = group_add(zf, r, false)) != 0)
                return rc;
        } else if (zf->group_active && zf->group_deleg) {
            zrec_t *t = zf->pend;
            zf->pend = zf->cur;
            zf->cur = t;
            zf->pending = true;
            return emit(zf, dg);
        } else if (orphan_ds(zf)) {
            /* Report the orphan, then start the new group with r on the next call. */
            zrec_t *t = zf->pend;
            zf->pend = zf->cur;
            zf->cur = t;
            zf->pending = true;
            zf->emitted = true;
            return orphan_bad(zf);
        } else {
            group_start(zf, r);
            if ((rc = group_add(zf, r, true)) != 0)
                return rc;
        }
    }
}

/* ---- life cycle ---- */

int scanner_zonefile_open(const char *path, const char *origin, scanner_zonefile_t **out)
{
    *out = NULL;
    scanner_zonefile_t *zf = calloc(1, sizeof *zf);
    if (!zf)
        return -ENOMEM;
    zf->line = malloc(ZONEFILE_LINE_MAX + 2);
    zf->text = malloc(RECORD_TEXT_MAX);
    zf->cur = malloc(sizeof *zf->cur);
    zf->pend = malloc(sizeof *zf->pend);
    zf->grr = malloc(ZONEFILE_DELEGATION_MAX_RRS * sizeof *zf->grr);
    zf->out = malloc(ZONEFILE_DELEGATION_MAX_RRS * sizeof *zf->out);
    zf->store_cap = 4096;
    zf->store = malloc(zf->store_cap);
    if (!zf->line || !zf->text || !zf->cur || !zf->pend || !zf->grr || !zf->out || !zf->store) {
        scanner_zonefile_free(zf);
        return -ENOMEM;
    }
    if (origin) {
        zf->have_origin = true; /* so that a relative origin is refused below */
        snprintf(zf->origin, sizeof zf->origin, ".");
        if (expand_name(zf, origin, zf->origin, sizeof zf->origin) != 0 ||
            !ends_with_unescaped_dot(origin, strlen(origin))) {
            scanner_zonefile_free(zf);
            return -EINVAL;
        }
    }
    int rc = source_open(zf, path ? path : "-");
    if (rc != 0) {
        scanner_zonefile_free(zf);
        return rc;
    }
    *out = zf;
    return 0;
}

void scanner_zonefile_free(scanner_zonefile_t *zf)
{
    if (!zf)
        return;
    while (zf->n_parents > 0)
        include_end(zf);
    if (zf->gz)
        gzclose(zf->gz);
    free(zf->path);
    free(zf->line);
    free(zf->text);
    free(zf->cur);
    free(zf->pend);
    free(zf->grr);
    free(zf->out);
    free(zf->store);
    free(zf);
}

uint64_t scanner_zonefile_error_line(const scanner_zonefile_t *zf)
{
    return zf->err_line;
}

const char *scanner_zonefile_error(const scanner_zonefile_t *zf)
{
    return zf->err;
}

const char *scanner_zonefile_apex(const scanner_zonefile_t *zf)
{
    return zf->apex_known ? zf->apex : "";
}

const scanner_zonefile_stats_t *scanner_zonefile_stats(const scanner_zonefile_t *zf)
{
    return &zf->stats;
}
