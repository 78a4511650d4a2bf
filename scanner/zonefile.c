/*
 * The streaming zone-file reader (zonefile.h): records grouped into delegations, the reader's
 * life cycle and errors. It is hand-written, because ldns_rr_new_frm_str() per record is several
 * times slower than the 1,000,000 records/s a TLD file needs. Its parts: zonefile_source.c
 * (files, $INCLUDE, lines), zonefile_text.c (names, tokens), zonefile_record.c (one record).
 */
#include "scanner/zonefile_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---- */

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int scan_zonefile_bad(scanner_zonefile_t *zf, uint64_t line, const char *fmt, const char *arg)
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

/* The group being read is a delegation: its owner has NS records. */
static bool in_delegation(const scanner_zonefile_t *zf)
{
    return zf->group_active && zf->group.n_ns > 0;
}

static void group_start(scanner_zonefile_t *zf, const zrec_t *r)
{
    memcpy(zf->group_owner, r->owner, strlen(r->owner) + 1);
    zf->group_active = true;
    zf->group_apex = strcmp(r->owner, zf->apex) == 0;
    zf->group = (scanner_zonefile_delegation_t){.line = r->line};
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
    if (zf->group.n_rrs == ZONEFILE_DELEGATION_MAX_RRS)
        return scan_zonefile_bad(zf, r->line, "too many records for the delegation %.200s",
                                 zf->group_owner);
    size_t o = store_add(zf, r->owner), d = store_add(zf, r->rdata);
    if (o == SIZE_MAX || d == SIZE_MAX)
        return -ENOMEM;
    zf->grr[zf->group.n_rrs++] =
        (grr_t){o, d, {.type = r->type, .covered = r->covered, .ttl = r->ttl, .line = r->line}};
    if (!at_owner)
        zf->stats.glue++;
    if (r->type == LDNS_RR_TYPE_NS)
        zf->group.n_ns++;
    else if (r->type == LDNS_RR_TYPE_DS)
        zf->group.n_ds++;
    return 0;
}

static int emit(scanner_zonefile_t *zf, scanner_zonefile_delegation_t *dg)
{
    for (size_t i = 0; i < zf->group.n_rrs; i++) {
        const grr_t *g = &zf->grr[i];
        zf->out[i] = g->rr;
        zf->out[i].owner = zf->store + g->owner_off;
        zf->out[i].rdata = zf->store + g->rdata_off;
    }
    zf->group.child = zf->group_owner;
    zf->group.rrs = zf->out;
    *dg = zf->group;
    zf->emitted = true;
    zf->stats.delegations++;
    return ZONEFILE_DELEGATION;
}

/* DS records at an owner without NS: the delegation's records are not contiguous (or the
 * file is broken); either way the DS must not be silently lost. */
static bool orphan_ds(const scanner_zonefile_t *zf)
{
    return zf->group_active && !in_delegation(zf) && !zf->group_apex && zf->group.n_ds > 0;
}

static int orphan_bad(scanner_zonefile_t *zf)
{
    return scan_zonefile_bad(
        zf, zf->group.line,
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
        int rc = scan_zonefile_read_record(zf);
        if (rc == 0) {
            if (in_delegation(zf))
                return emit(zf, dg);
            if (orphan_ds(zf)) {
                zf->group_active = false;
                return orphan_bad(zf);
            }
            return ZONEFILE_EOF;
        }
        if (rc != 1)
            return rc;
        rc = scan_zonefile_parse_record(zf, zf->cur);
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
        } else if (in_delegation(zf) && scan_zonefile_is_below(r->owner, zf->group_owner)) {
            if ((rc = group_add(zf, r, false)) != 0)
                return rc;
        } else if (in_delegation(zf)) {
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
        if (scan_zonefile_expand_name(zf, origin, zf->origin, sizeof zf->origin) != 0 ||
            !scan_zonefile_name_is_absolute(origin, strlen(origin))) {
            scanner_zonefile_free(zf);
            return -EINVAL;
        }
    }
    int rc = scan_zonefile_source_open(zf, path ? path : "-");
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
        scan_zonefile_include_end(zf);
    if (zf->gz)
        gzclose(zf->gz);
    void *buffers[] = {zf->path, zf->line, zf->text, zf->cur,
                       zf->pend, zf->grr,  zf->out,  zf->store};
    for (size_t i = 0; i < sizeof buffers / sizeof buffers[0]; i++)
        free(buffers[i]);
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
