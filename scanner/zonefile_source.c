/*
 * Where the zone-file reader's lines come from (zonefile.h): the file (plain or gzip, or stdin),
 * the stack of $INCLUDE files, and physical lines read until a logical record is complete.
 */
#include "scanner/zonefile_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- files and $INCLUDE ---- */

/* Opens path as the current file (plain or gzip). Returns 0 or -errno. */
int scan_zonefile_source_open(scanner_zonefile_t *zf, const char *path)
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
int scan_zonefile_include_begin(scanner_zonefile_t *zf)
{
    char path[4096], origin[NAME_TEXT_MAX] = "";
    if (zf->n_tok < 2 || zf->n_tok > 3 || include_path(zf, tok(zf, 1), path, sizeof path) != 0)
        return scan_zonefile_bad(zf, zf->rec_line,
                                 "$INCLUDE needs a file name and an optional origin%s", "");
    if (zf->n_tok == 3 && scan_zonefile_expand_name(zf, tok(zf, 2), origin, sizeof origin) != 0)
        return scan_zonefile_bad(zf, zf->rec_line, "$INCLUDE origin: %s", zf->err);
    if (zf->n_parents == INCLUDE_DEPTH_MAX)
        return scan_zonefile_bad(zf, zf->rec_line,
                                 "$INCLUDE nested deeper than %s files; the line is skipped", "8");
    struct stat st;
    if (stat(path, &st) != 0) {
        char msg[sizeof zf->err];
        snprintf(msg, sizeof msg, "$INCLUDE %.200s: %s", path, strerror(errno));
        return scan_zonefile_bad(zf, zf->rec_line, "%s", msg);
    }
    if (!S_ISREG(st.st_mode))
        /* a device or pipe could block or never end */
        return scan_zonefile_bad(zf, zf->rec_line,
                                 "$INCLUDE %.200s: not a regular file; the line is skipped", path);
    bool loop = st.st_dev == zf->dev && st.st_ino == zf->ino;
    for (size_t i = 0; i < zf->n_parents; i++)
        loop |= st.st_dev == zf->parents[i].dev && st.st_ino == zf->parents[i].ino;
    if (loop)
        return scan_zonefile_bad(zf, zf->rec_line,
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
    int rc = scan_zonefile_source_open(zf, path);
    if (rc != 0) {
        zf->gz = p->gz;
        zf->path = p->path;
        char msg[sizeof zf->err];
        snprintf(msg, sizeof msg, "$INCLUDE %.200s: %s", path, strerror(-rc));
        return scan_zonefile_bad(zf, zf->rec_line, "%s", msg);
    }
    zf->n_parents++;
    if (origin[0]) {
        memcpy(zf->origin, origin, sizeof zf->origin);
        zf->have_origin = true;
    }
    return 0;
}

/* The included file ended: back to the file that included it. */
void scan_zonefile_include_end(scanner_zonefile_t *zf)
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

/* ---- lines ---- */

/* Returns 1 when a record's tokens are ready, 0 at the end, ZONEFILE_BAD or -errno. */
int scan_zonefile_read_record(scanner_zonefile_t *zf)
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
                return scan_zonefile_bad(zf, zf->rec_line,
                                         "unbalanced '(': end of file inside the record%s", "");
            if (zf->n_parents == 0)
                return 0;
            scan_zonefile_include_end(zf);
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
            return scan_zonefile_bad(zf, zf->lineno, "line longer than %s characters", "65536");
        }
        if (zf->depth == 0) {
            zf->n_tok = 0;
            zf->text_len = 0;
            zf->rec_line = zf->lineno;
            zf->blank_owner = zf->line[0] == ' ' || zf->line[0] == '\t';
        }
        int rc = scan_zonefile_tokenize_line(zf, zf->line);
        if (rc)
            return rc;
        if (zf->depth == 0 && zf->n_tok > 0)
            return 1;
    }
}
