/* Streaming reader of domain lists: one name per line, validated and normalised per cli.md. */
#include "scanner/input.h"

#include <ctype.h>
#include <errno.h>
#include <idn2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct scanner_input {
    FILE *fp;
    bool owns_fp;
    scanner_gz_t *gz;      /* NULL: plain text */
    unsigned char peek[2]; /* the bytes read to detect gzip, handed out first when plain */
    size_t n_peek, peek_pos;
    uint64_t line;
    char buf[SCANNER_LINE_MAX + 1];
};

/* Detects gzip by its magic bytes (RFC 1952: 1f 8b), whatever the file is called. */
static int detect_gzip(scanner_input_t *in)
{
    in->n_peek = fread(in->peek, 1, sizeof in->peek, in->fp);
    if (in->n_peek == 2 && in->peek[0] == 0x1f && in->peek[1] == 0x8b) {
        in->n_peek = 0;
        static const unsigned char magic[2] = {0x1f, 0x8b};
        return scanner_gz_new(in->fp, magic, sizeof magic, &in->gz);
    }
    return ferror(in->fp) ? -EIO : 0;
}

/* A reader of fp, closed by scanner_input_free when owns_fp (also when this fails). */
static int input_new(FILE *fp, bool owns_fp, scanner_input_t **out)
{
    scanner_input_t *in = calloc(1, sizeof *in);
    if (!in) {
        if (owns_fp)
            fclose(fp);
        return -ENOMEM;
    }
    in->fp = fp;
    in->owns_fp = owns_fp;
    int rc = detect_gzip(in);
    if (rc != 0) {
        scanner_input_free(in);
        return rc;
    }
    *out = in;
    return 0;
}

int scanner_input_open(const char *path, scanner_input_t **out)
{
    if (!path || strcmp(path, "-") == 0)
        return input_new(stdin, false, out);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -errno;
    return input_new(fp, true, out);
}

int scanner_input_open_fp(FILE *fp, scanner_input_t **out)
{
    return input_new(fp, false, out);
}

void scanner_input_free(scanner_input_t *in)
{
    if (!in)
        return;
    scanner_gz_free(in->gz);
    if (in->owns_fp)
        fclose(in->fp);
    free(in);
}

/* Reads one line into buf; returns its length, -1 at EOF, -2 when the line was too long (the
 * rest of it is consumed), -3 on a read error. NUL bytes are kept so they can be reported. */
/* The next byte of the list (0..255), EOF, or -2 on a read or gzip error. */
static int next_byte(scanner_input_t *in)
{
    if (in->peek_pos < in->n_peek)
        return in->peek[in->peek_pos++];
    if (in->gz) {
        int c = scanner_gz_getc(in->gz);
        return c == SCANNER_GZ_EOF ? EOF : c;
    }
    int c = getc(in->fp);
    return c == EOF && ferror(in->fp) ? -2 : c;
}

static long read_line(scanner_input_t *in)
{
    size_t len = 0;
    bool too_long = false;
    int c;
    while ((c = next_byte(in)) >= 0) {
        if (c == '\n')
            break;
        if (len < SCANNER_LINE_MAX)
            in->buf[len++] = (char)c;
        else
            too_long = true;
    }
    if (c == -2)
        return -3;
    if (c == EOF && len == 0 && !too_long)
        return -1;
    in->buf[len] = '\0';
    return too_long ? -2 : (long)len;
}

static bool is_ldh_or_underscore(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_';
}

/* Checks label and name lengths and characters of an ASCII name, folding it to lower case. */
static int check_ascii_name(const char *name, size_t len, char out[SCANNER_NAME_MAX + 1],
                            char *error, size_t error_len)
{
    if (len > 0 && name[len - 1] == '.')
        len--;
    if (len == 0) {
        snprintf(error, error_len, "empty name (the root is not a domain to scan)");
        return -1;
    }
    if (len > SCANNER_NAME_MAX) {
        snprintf(error, error_len, "name is %zu octets long, the limit is %d", len,
                 SCANNER_NAME_MAX);
        return -1;
    }
    size_t label_start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || name[i] == '.') {
            size_t label_len = i - label_start;
            if (label_len == 0) {
                snprintf(error, error_len, "empty label at offset %zu", i);
                return -1;
            }
            if (label_len > 63) {
                snprintf(error, error_len, "label %zu octets long at offset %zu, the limit is 63",
                         label_len, label_start);
                return -1;
            }
            label_start = i + 1;
            if (i < len)
                out[i] = '.';
            continue;
        }
        unsigned char c = (unsigned char)name[i];
        if (!is_ldh_or_underscore(c)) {
            if (c < 0x20 || c == 0x7f)
                snprintf(error, error_len, "control byte 0x%02x at offset %zu", c, i);
            else
                snprintf(error, error_len,
                         "character '%c' at offset %zu is not a letter, digit,"
                         " '-' or '_'",
                         c, i);
            return -1;
        }
        out[i] = (char)tolower(c);
    }
    out[len] = '\0';
    return 0;
}

int scanner_name_normalise(const char *text, size_t len, char out[SCANNER_NAME_MAX + 1],
                           char *error, size_t error_len)
{
    if (memchr(text, '\0', len)) {
        snprintf(error, error_len, "NUL byte at offset %zu",
                 (size_t)((const char *)memchr(text, '\0', len) - text));
        return -1;
    }
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80)
            ascii = false;
    if (ascii)
        return check_ascii_name(text, len, out, error, error_len);
    if (len > SCANNER_LINE_MAX) {
        snprintf(error, error_len, "line longer than %d bytes", SCANNER_LINE_MAX);
        return -1;
    }
    char utf8[SCANNER_LINE_MAX + 1];
    memcpy(utf8, text, len);
    utf8[len] = '\0';

    /* U-labels: IDNA 2008 (non-transitional, NFC) to A-labels, then the same checks. */
    char *alabel = NULL;
    int rc = idn2_to_ascii_8z(utf8, &alabel, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) {
        snprintf(error, error_len, "not a valid internationalised name: %s", idn2_strerror(rc));
        return -1;
    }
    rc = check_ascii_name(alabel, strlen(alabel), out, error, error_len);
    idn2_free(alabel);
    return rc;
}

int scanner_name_ulabel(const char *name, char *out, size_t len)
{
    if (len)
        out[0] = '\0';
    bool has_alabel = strncmp(name, "xn--", 4) == 0 || strstr(name, ".xn--");
    char *ulabel = NULL;
    if (!has_alabel || idn2_to_unicode_8z8z(name, &ulabel, 0) != IDN2_OK)
        return 0;
    int found = strcmp(ulabel, name) != 0 && strlen(ulabel) < len;
    if (found)
        snprintf(out, len, "%s", ulabel);
    idn2_free(ulabel);
    return found;
}

void scanner_name_print_idn(FILE *out, const char *given, const char *name)
{
    char ulabel[4 * SCANNER_NAME_MAX + 1];
    bool unicode = false;
    for (const unsigned char *p = (const unsigned char *)given; *p; p++)
        unicode |= *p >= 0x80;
    if (unicode)
        fprintf(out, "%s is %s (IDNA 2008 A-label)\n", given, name);
    else if (scanner_name_ulabel(name, ulabel, sizeof ulabel))
        fprintf(out, "%s is %s (IDNA 2008 U-label)\n", name, ulabel);
}

int scanner_input_next(scanner_input_t *in, scanner_input_item_t *item)
{
    for (;;) {
        long len = read_line(in);
        if (len == -1)
            return SCANNER_INPUT_EOF;
        if (len == -3) {
            item->line = in->line + 1;
            item->name[0] = '\0';
            snprintf(item->error, sizeof item->error, "%s",
                     in->gz ? scanner_gz_error(in->gz) : "read error");
            return in->gz ? -EBADMSG : -EIO;
        }
        in->line++;
        item->line = in->line;
        item->name[0] = '\0';
        item->error[0] = '\0';
        if (len == -2) {
            snprintf(item->error, sizeof item->error, "line longer than %d bytes",
                     SCANNER_LINE_MAX);
            return SCANNER_INPUT_BAD;
        }
        /* Trim blanks on both sides; CR of CRLF files is a blank here. */
        char *start = in->buf;
        char *end = in->buf + len;
        while (start < end && (*start == ' ' || *start == '\t' || *start == '\r'))
            start++;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            end--;
        if (start == end || *start == '#')
            continue;
        if (scanner_name_normalise(start, (size_t)(end - start), item->name, item->error,
                                   sizeof item->error) != 0)
            return SCANNER_INPUT_BAD;
        return SCANNER_INPUT_NAME;
    }
}

unsigned scanner_shard_of(const char *name, unsigned n)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        hash ^= *p;
        hash *= 0x100000001b3ULL;
    }
    return n ? (unsigned)(hash % n) + 1 : 1;
}
