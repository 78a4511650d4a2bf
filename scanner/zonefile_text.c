/*
 * The zone-file reader's text (zonefile.h): names made absolute and folded, and one physical
 * line split into the tokens of a logical record (comments, quoted strings, parentheses).
 */
#include "scanner/zonefile_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- names ---- */

static void fold(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

bool scan_zonefile_name_is_absolute(const char *s, size_t n)
{
    if (n == 0 || s[n - 1] != '.')
        return false;
    size_t bs = 0;
    while (bs + 1 < n && s[n - 2 - bs] == '\\')
        bs++;
    return bs % 2 == 0;
}

/* Makes text absolute (relative to the origin), folded. Returns 0 or -1 with zf->err set. */
int scan_zonefile_expand_name(scanner_zonefile_t *zf, const char *text, char *out, size_t out_len)
{
    size_t n = strlen(text);
    if (strcmp(text, "@") == 0) {
        if (!zf->have_origin)
            goto no_origin;
        snprintf(out, out_len, "%s", zf->origin);
        return 0;
    }
    if (n == 0 || (text[0] == '.' && n > 1) || strstr(text, "..")) {
        snprintf(zf->err, sizeof zf->err, "bad name '%.80s' (empty label)", text);
        return -1;
    }
    int w;
    if (scan_zonefile_name_is_absolute(text, n)) {
        w = snprintf(out, out_len, "%s", text);
    } else {
        if (!zf->have_origin)
            goto no_origin;
        w = snprintf(out, out_len, "%s.%s", text, strcmp(zf->origin, ".") == 0 ? "" : zf->origin);
    }
    if (w < 0 || (size_t)w >= out_len || w > NAME_TEXT_MAX - 2) {
        snprintf(zf->err, sizeof zf->err, "name too long: '%.80s...'", text);
        return -1;
    }
    fold(out);
    return 0;
no_origin:
    snprintf(zf->err, sizeof zf->err, "relative name '%.80s' and no $ORIGIN", text);
    return -1;
}

/* name strictly below parent (both absolute, folded). */
bool scan_zonefile_is_below(const char *name, const char *parent)
{
    size_t n = strlen(name), p = strlen(parent);
    if (strcmp(parent, ".") == 0)
        return n > 1;
    if (n <= p || memcmp(name + n - p, parent, p) != 0 || name[n - p - 1] != '.')
        return false;
    return !(n - p >= 2 && name[n - p - 2] == '\\');
}

/* ---- tokens ---- */

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
int scan_zonefile_tokenize_line(scanner_zonefile_t *zf, const char *p)
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
                return scan_zonefile_bad(zf, zf->lineno, "unbalanced ')'%s", "");
            p++;
            continue;
        }
        const char *start = p;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p != '"')
                return scan_zonefile_bad(zf, zf->lineno, "unterminated quoted string%s", "");
            p++;
        } else {
            while (*p && !strchr(" \t\r\n;()\"", *p)) {
                if (*p == '\\' && p[1] && p[1] != '\n')
                    p++;
                p++;
            }
        }
        if (!push_token(zf, start, (size_t)(p - start)))
            return scan_zonefile_bad(zf, zf->rec_line, "record too long%s", "");
    }
}
