/*
 * One record of a zone file (zonefile.h): a directive ($ORIGIN, $TTL, $INCLUDE), or owner, TTL,
 * class and type, with the RDATA checked and kept only for the types a delegation needs (NS, DS,
 * NSEC, RRSIG, A, AAAA); every other record costs one tokenisation and one type lookup.
 */
#include "scanner/zonefile_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* ---- one record: owner, TTL, class, type, the RDATA a delegation needs ---- */

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
            return scan_zonefile_bad(zf, r->line, "NS needs one name%s", "");
        if (scan_zonefile_expand_name(zf, tok(zf, i), name, sizeof name) != 0)
            return scan_zonefile_bad(zf, r->line, "%s", zf->err);
        rdata_add(r, &len, name);
        break;
    case LDNS_RR_TYPE_A:
    case LDNS_RR_TYPE_AAAA:
        if (n != 1 ||
            inet_pton(r->type == LDNS_RR_TYPE_A ? AF_INET : AF_INET6, tok(zf, i), addr) != 1)
            return scan_zonefile_bad(zf, r->line, "bad %s address",
                                     r->type == LDNS_RR_TYPE_A ? "A" : "AAAA");
        rdata_add(r, &len, tok(zf, i));
        break;
    case LDNS_RR_TYPE_DS:
        if (n < 4 || !all_digits(tok(zf, i), 65535) || !all_digits(tok(zf, i + 1), 255) ||
            !all_digits(tok(zf, i + 2), 255))
            return scan_zonefile_bad(zf, r->line,
                                     "DS needs key tag, algorithm, digest type and digest%s", "");
        for (size_t k = i + 3; k < zf->n_tok; k++)
            for (const char *p = tok(zf, k); *p; p++)
                if (!isxdigit((unsigned char)*p))
                    return scan_zonefile_bad(zf, r->line, "DS digest is not hex: '%.40s'",
                                             tok(zf, k));
        for (size_t k = i; k < zf->n_tok; k++)
            rdata_add(r, &len, tok(zf, k));
        break;
    case LDNS_RR_TYPE_NSEC:
    case LDNS_RR_TYPE_RRSIG: {
        /* The names inside (NSEC next name, RRSIG signer) may be relative too. */
        size_t name_at = r->type == LDNS_RR_TYPE_NSEC ? 0 : 7;
        if (n < name_at + 1 || (r->type == LDNS_RR_TYPE_RRSIG && n < 9))
            return scan_zonefile_bad(zf, r->line, "%s has too few fields",
                                     r->type == LDNS_RR_TYPE_NSEC ? "NSEC" : "RRSIG");
        if (r->type == LDNS_RR_TYPE_RRSIG && (r->covered = parse_type(tok(zf, i))) == 0)
            return scan_zonefile_bad(zf, r->line, "RRSIG covers an unknown type '%.40s'",
                                     tok(zf, i));
        for (size_t k = i; k < zf->n_tok; k++) {
            if (k == i + name_at) {
                if (scan_zonefile_expand_name(zf, tok(zf, k), name, sizeof name) != 0)
                    return scan_zonefile_bad(zf, r->line, "%s", zf->err);
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

static int directive(scanner_zonefile_t *zf)
{
    const char *d = tok(zf, 0);
    if (strcasecmp(d, "$ORIGIN") == 0) {
        char name[NAME_TEXT_MAX];
        if (zf->n_tok != 2 || scan_zonefile_expand_name(zf, tok(zf, 1), name, sizeof name) != 0)
            return scan_zonefile_bad(zf, zf->rec_line, "$ORIGIN needs one name%s", "");
        snprintf(zf->origin, sizeof zf->origin, "%s", name);
        zf->have_origin = true;
        return 0;
    }
    if (strcasecmp(d, "$TTL") == 0) {
        if (zf->n_tok != 2 || parse_ttl(tok(zf, 1), &zf->default_ttl) != 0)
            return scan_zonefile_bad(zf, zf->rec_line, "$TTL needs one TTL%s", "");
        zf->have_default_ttl = true;
        return 0;
    }
    if (strcasecmp(d, "$INCLUDE") == 0)
        return scan_zonefile_include_begin(zf);
    return scan_zonefile_bad(zf, zf->rec_line,
                             "directive %.40s is not supported; the line is skipped", d);
}

/* Returns 1 with *r filled, 0 for a directive, ZONEFILE_BAD, or -EINVAL (no apex). */
int scan_zonefile_parse_record(scanner_zonefile_t *zf, zrec_t *r)
{
    size_t i = 0;
    r->line = zf->rec_line;
    r->keep = false;
    r->covered = 0;
    if (!zf->blank_owner && tok(zf, 0)[0] == '$')
        return directive(zf);
    if (zf->blank_owner) {
        if (!zf->prev_owner[0])
            return scan_zonefile_bad(zf, r->line, "no owner name and no previous record%s", "");
        memcpy(r->owner, zf->prev_owner, strlen(zf->prev_owner) + 1);
    } else {
        if (scan_zonefile_expand_name(zf, tok(zf, 0), r->owner, sizeof r->owner) != 0)
            return scan_zonefile_bad(zf, r->line, "%s", zf->err);
        i = 1;
    }
    bool have_ttl = false, have_class = false;
    for (int k = 0; k < 2 && i < zf->n_tok; k++) {
        const char *t = tok(zf, i);
        if (!have_ttl && isdigit((unsigned char)t[0])) {
            if (parse_ttl(t, &r->ttl) != 0)
                return scan_zonefile_bad(zf, r->line, "bad TTL '%.40s'", t);
            have_ttl = true;
            i++;
        } else if (!have_class && is_class(t)) {
            if (strcasecmp(t, "IN") != 0)
                return scan_zonefile_bad(zf, r->line, "class %.20s: only IN is read", t);
            have_class = true;
            i++;
        }
    }
    if (i >= zf->n_tok)
        return scan_zonefile_bad(zf, r->line, "no type%s", "");
    if ((r->type = parse_type(tok(zf, i))) == 0)
        return scan_zonefile_bad(zf, r->line, "unknown type '%.40s'", tok(zf, i));
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
    if (strcmp(r->owner, zf->apex) != 0 && !scan_zonefile_is_below(r->owner, zf->apex))
        return scan_zonefile_bad(zf, r->line, "owner %.200s is outside the zone", r->owner);
    int rc = parse_rdata(zf, r, i + 1);
    return rc ? rc : 1;
}
