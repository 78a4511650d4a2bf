/*
 * gzip-compressed domain lists (cli.md "Input": detected by content). Inflated here from the
 * FILE the list was opened as, so stdin and memory streams work too; a list that ends inside a
 * gzip member, or whose data is corrupt, is an error naming the compressed offset, never a
 * short list (which would scan a part of the input and call the scan finished).
 */
#include "scanner/input.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZ_CHUNK (64 * 1024)

struct scanner_gz {
    FILE *fp;
    z_stream z;
    bool in_member; /* inside a gzip member: the input may not end here */
    bool done;      /* the input ended at a member boundary */
    bool failed;    /* error[] says why */
    uint64_t read;  /* compressed bytes read from fp */
    size_t out_pos, out_len;
    unsigned char in[GZ_CHUNK];
    unsigned char out[GZ_CHUNK];
    char error[120];
};

int scanner_gz_new(FILE *fp, const unsigned char *first, size_t n_first, scanner_gz_t **out)
{
    scanner_gz_t *g = calloc(1, sizeof *g);
    if (!g)
        return -ENOMEM;
    g->fp = fp;
    /* 16 + MAX_WBITS: a gzip wrapper, not zlib or raw deflate. */
    if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
        free(g);
        return -ENOMEM;
    }
    memcpy(g->in, first, n_first);
    g->z.next_in = g->in;
    g->z.avail_in = (uInt)n_first;
    g->read = n_first;
    g->in_member = true;
    *out = g;
    return 0;
}

void scanner_gz_free(scanner_gz_t *g)
{
    if (!g)
        return;
    inflateEnd(&g->z);
    free(g);
}

const char *scanner_gz_error(const scanner_gz_t *g)
{
    return g->error;
}

static int gz_fail(scanner_gz_t *g, const char *what, const char *detail)
{
    uint64_t offset = g->read - g->z.avail_in;
    snprintf(g->error, sizeof g->error, "%s at compressed byte %llu%s%s", what,
             (unsigned long long)offset, detail ? ": " : "", detail ? detail : "");
    g->failed = true;
    return SCANNER_GZ_ERROR;
}

/* Refills out[]. Returns 1 when bytes are ready, SCANNER_GZ_EOF or SCANNER_GZ_ERROR. */
static int gz_fill(scanner_gz_t *g)
{
    for (;;) {
        if (g->z.avail_in == 0) {
            size_t n = fread(g->in, 1, sizeof g->in, g->fp);
            if (n == 0) {
                if (ferror(g->fp)) {
                    snprintf(g->error, sizeof g->error, "read error: %s", strerror(errno));
                    g->failed = true;
                    return SCANNER_GZ_ERROR;
                }
                if (g->in_member)
                    return gz_fail(g, "truncated gzip data: the file ends inside the stream", NULL);
                g->done = true;
                return SCANNER_GZ_EOF;
            }
            g->z.next_in = g->in;
            g->z.avail_in = (uInt)n;
            g->read += n;
        }
        if (!g->in_member) {
            /* More bytes after a complete member: another member (as `cat a.gz b.gz` makes). */
            if (inflateReset(&g->z) != Z_OK)
                return gz_fail(g, "gzip reset failed", NULL);
            g->in_member = true;
        }
        g->z.next_out = g->out;
        g->z.avail_out = sizeof g->out;
        int ret = inflate(&g->z, Z_NO_FLUSH);
        g->out_pos = 0;
        g->out_len = sizeof g->out - g->z.avail_out;
        if (ret == Z_STREAM_END) {
            g->in_member = false;
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            /* Hand out what was inflated before the damage; the error comes after it. */
            gz_fail(g, "corrupt gzip data", g->z.msg ? g->z.msg : zError(ret));
            return g->out_len ? 1 : SCANNER_GZ_ERROR;
        }
        if (g->out_len)
            return 1;
    }
}

int scanner_gz_getc(scanner_gz_t *g)
{
    if (g->out_pos < g->out_len)
        return g->out[g->out_pos++];
    if (g->failed)
        return SCANNER_GZ_ERROR;
    if (g->done)
        return SCANNER_GZ_EOF;
    int rc = gz_fill(g);
    if (rc != 1)
        return rc;
    return g->out[g->out_pos++];
}
