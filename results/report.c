/*
 * report: one self-contained HTML page about a scan, from one pass over its records (plus a
 * diff walk when asked to compare). This file collects the figures; report_html.c draws the
 * sections and report_table.c the table of non-secure domains. Memory stays bounded for any
 * number of domains: counters, the parent zones, and a byte budget for table rows.
 */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

int results_report_tier(const results_record_t *rec)
{
    switch (rec->status) {
    case VERIFY_STATUS_SECURE:
        return -1;
    case VERIFY_STATUS_BOGUS:
        return 0;
    case VERIFY_STATUS_LAME:
        return 1;
    case VERIFY_STATUS_INDETERMINATE:
        return 2;
    case VERIFY_STATUS_NXDOMAIN:
        return 3;
    default:
        /* insecure: those with a finding (keys without DS, ...) before the plain unsigned */
        return rec->n_reasons ? 4 : 5;
    }
}

/* Counts rec under its UTC day when that day is among the REPORT_EXPIRY_DAYS earliest seen.
 * A day pushed out never returns: every day that pushed it out is earlier. */
static void note_soonest(results_report_data_t *r, const results_record_t *rec)
{
    int64_t at = rec->rrsig_earliest_expiration;
    int64_t day = at - ((at % 86400) + 86400) % 86400;
    size_t i = 0;
    while (i < r->n_soonest && r->soonest[i].day < day)
        i++;
    if (i == REPORT_EXPIRY_DAYS)
        return;
    results_report_expiry_day_t *d = &r->soonest[i];
    if (i == r->n_soonest || d->day != day) {
        size_t last = r->n_soonest < REPORT_EXPIRY_DAYS ? r->n_soonest++ : REPORT_EXPIRY_DAYS - 1;
        memmove(d + 1, d, (last - i) * sizeof *d);
        memset(d, 0, sizeof *d);
        d->day = day;
        d->first_at = at;
    }
    d->count++;
    if (at < d->first_at)
        d->first_at = at;
    if (d->n_examples < REPORT_EXPIRY_EXAMPLES)
        snprintf(d->examples[d->n_examples++], sizeof d->examples[0], "%s", rec->domain);
}

static bool has_reason(const results_record_t *rec, verify_reason_code_t code)
{
    for (size_t i = 0; i < rec->n_reasons; i++)
        if (rec->reasons[i].code == code)
            return true;
    return false;
}

/* Disjoint buckets from the time the scan judged signatures at: a domain with an expired
 * signature (RRSIG_EXPIRED: the earliest expiration stored is that of the valid ones) or whose
 * earliest one is not after that time is expired; the others fall in the first period that
 * holds their earliest expiration. */
static void note_expiration(results_report_data_t *r, const results_record_t *rec)
{
    static const int64_t days[REPORT_EXPIRY_BUCKETS - 1] = {0, 1, 3, 7, 30};
    int64_t at = rec->rrsig_earliest_expiration;
    if (at)
        note_soonest(r, rec);
    if (has_reason(rec, VERIFY_REASON_RRSIG_EXPIRED) || (at && at <= r->ref_time)) {
        r->expiry[0]++;
        r->with_expiry++;
        return;
    }
    if (!at) {
        r->signed_no_date += rec->n_dnskey > 0;
        return;
    }
    r->with_expiry++;
    int i = 1;
    while (i < REPORT_EXPIRY_BUCKETS - 1 && at > r->ref_time + days[i] * 86400)
        i++;
    r->expiry[i]++;
}

static uint64_t hash_name(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static results_report_zone_t *zone_slot(results_report_zone_t *t, size_t cap, const char *name)
{
    size_t i = hash_name(name) & (cap - 1);
    while (t[i].name && strcmp(t[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &t[i];
}

static int zones_grow(results_report_data_t *r)
{
    size_t cap = r->cap_zones ? r->cap_zones * 2 : 256;
    results_report_zone_t *t = calloc(cap, sizeof *t);
    if (!t)
        return RESULTS_ENOMEM;
    for (size_t i = 0; i < r->cap_zones; i++)
        if (r->zones[i].name)
            *zone_slot(t, cap, r->zones[i].name) = r->zones[i];
    free(r->zones);
    r->zones = t;
    r->cap_zones = cap;
    return RESULTS_OK;
}

static int note_zone(results_report_data_t *r, const results_record_t *rec)
{
    if (!rec->parent.zone) {
        r->zones_unknown++;
        return RESULTS_OK;
    }
    if ((r->n_zones + 1) * 2 > r->cap_zones && zones_grow(r) != RESULTS_OK)
        return RESULTS_ENOMEM;
    results_report_zone_t *z = zone_slot(r->zones, r->cap_zones, rec->parent.zone);
    if (!z->name) {
        if (!(z->name = strdup(rec->parent.zone)))
            return RESULTS_ENOMEM;
        r->n_zones++;
    }
    z->total++;
    z->counts[rec->status]++;
    return RESULTS_OK;
}

static int note_record(results_report_data_t *r, const results_record_t *rec)
{
    r->total++;
    r->status[rec->status]++;
    uint64_t seen = 0; /* count a code once per domain */
    for (size_t i = 0; i < rec->n_reasons; i++) {
        unsigned code = rec->reasons[i].code;
        if (code < VERIFY_REASON_COUNT && !(seen & ((uint64_t)1 << code))) {
            seen |= (uint64_t)1 << code;
            r->reason_domains[code]++;
        }
    }
    bool alg[256] = {false}, dig[256] = {false};
    for (size_t i = 0; i < rec->n_dnskey; i++)
        if (!alg[rec->dnskey[i].algorithm]) {
            alg[rec->dnskey[i].algorithm] = true;
            r->alg_domains[rec->dnskey[i].algorithm]++;
        }
    for (size_t i = 0; i < rec->parent.n_ds; i++)
        if (!dig[rec->parent.ds[i].digest_type]) {
            dig[rec->parent.ds[i].digest_type] = true;
            r->digest_domains[rec->parent.ds[i].digest_type]++;
        }
    r->with_dnskey += rec->n_dnskey > 0;
    r->with_ds += rec->parent.n_ds > 0;
    note_expiration(r, rec);
    results_report_graphs_add(r, rec);
    int tier = results_report_tier(rec);
    if (tier >= 0) {
        r->n_nonsecure++;
        results_report_table_add(r, rec, tier);
    }
    return note_zone(r, rec);
}

static int note_change(void *ctx, const char *domain, const results_record_t *o,
                       const results_record_t *n, results_change_t change)
{
    results_report_data_t *r = ctx;
    r->trans[o ? o->status : VERIFY_STATUS_COUNT][n ? n->status : VERIFY_STATUS_COUNT]++;
    results_buf_t *b = NULL;
    if (change == RESULTS_CHANGE_BECAME_BOGUS || change == RESULTS_CHANGE_GOT_WORSE) {
        b = r->n_worse++ < RESULTS_REPORT_ROWS ? &r->worse : NULL;
        r->n_became_bogus += change == RESULTS_CHANGE_BECAME_BOGUS;
        uint64_t seen[(VERIFY_REASON_COUNT + 63) / 64] = {0};
        for (size_t i = 0; n && i < n->n_reasons; i++) {
            unsigned c = n->reasons[i].code;
            if (c < VERIFY_REASON_COUNT && !(seen[c / 64] >> (c % 64) & 1)) {
                seen[c / 64] |= (uint64_t)1 << (c % 64);
                r->worse_reasons[c]++;
            }
        }
    } else if (change == RESULTS_CHANGE_FIXED)
        b = r->n_fixed++ < RESULTS_REPORT_ROWS ? &r->fixed : NULL;
    else if (change == RESULTS_CHANGE_KEYS_CHANGED) {
        if (r->n_rolled++ < RESULTS_REPORT_ROWS)
            results_html_keys_row(&r->rolled, domain, o, n);
    }
    if (b)
        results_html_diff_row(b, domain, o, n);
    return RESULTS_OK;
}

static bool report_failed(const results_report_data_t *r, const results_buf_t *page)
{
    bool failed =
        page->failed || r->worse.failed || r->fixed.failed || r->rolled.failed || r->graphs.failed;
    for (int t = 0; t < REPORT_TIERS; t++)
        failed |= r->rows[t].failed;
    return failed;
}

static void report_free(results_report_data_t *r)
{
    for (int t = 0; t < REPORT_TIERS; t++)
        results_buf_free(&r->rows[t]);
    for (size_t i = 0; i < r->cap_zones; i++)
        free(r->zones[i].name);
    free(r->zones);
    results_buf_free(&r->worse);
    results_buf_free(&r->fixed);
    results_buf_free(&r->rolled);
    results_buf_free(&r->graphs);
    free(r);
}

/* When the scan judged signatures: its --now when it had one, else its start. */
static int64_t judged_at(const results_scan_info_t *info)
{
    char now[32];
    if (results_settings_get(info->settings, "now", now, sizeof now) == 1 && now[0]) {
        char *end;
        long long t = strtoll(now, &end, 10);
        if (!*end && t > 0)
            return (int64_t)t;
    }
    return info->started_at;
}

int results_report(results_store_t *store, const char *scan_name, const char *diff_against,
                   unsigned history, FILE *out)
{
    results_report_history_t hist = {0};
    results_scan_info_t info;
    results_iter_t *it = NULL;
    const results_record_t *rec;
    results_diff_counts_t dc = {{0}, 0};
    results_buf_t page = {0};
    if (!store || !out)
        return RESULTS_EINVAL;
    results_report_data_t *r = calloc(1, sizeof *r);
    if (!r)
        return RESULTS_ENOMEM;
    int rc = results_scan_lookup(store, scan_name, &info);
    if (rc < 0) {
        free(r);
        return rc;
    }
    r->ref_time = judged_at(&info);
    r->table_budget = REPORT_TABLE_BYTES;
    if (history) {
        /* Without --diff-against the page compares with the scan before this one, and the
         * history's walk of that pair feeds the comparison too. */
        results_report_history_walk_t also = {note_change, r, &dc};
        if ((rc = results_report_history_collect(store, &info, history, &hist,
                                                 diff_against ? NULL : &also)) < 0)
            goto done;
        r->history = &hist;
        if (!diff_against && hist.yesterday[0])
            diff_against = hist.yesterday;
    }
    r->scan_name = info.name;
    if ((rc = results_iter_new(store, info.name, &it)) < 0)
        goto done;
    while ((rc = results_iter_next(it, &rec)) == 1)
        if ((rc = note_record(r, rec)) < 0)
            goto done;
    if (rc < 0)
        goto done;
    if (diff_against && !hist.compared &&
        (rc = results_diff_walk(store, diff_against, info.name, true, note_change, r, &dc)) < 0)
        goto done;
    results_report_render(&page, &info, diff_against, &dc, r);
    if (report_failed(r, &page) || hist.rolled.failed)
        rc = RESULTS_ENOMEM;
    else if (fwrite(page.data, 1, page.len, out) != page.len || fflush(out) != 0)
        rc = RESULTS_EIO;
    else
        rc = RESULTS_OK;
done:
    results_buf_free(&page);
    report_free(r);
    results_report_history_free(&hist);
    results_iter_free(it);
    results_scan_info_clear(&info);
    return rc;
}
