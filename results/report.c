/*
 * report: one HTML page about a scan, from one pass over its records (plus a diff walk when
 * asked to compare). Tables are capped at RESULTS_REPORT_ROWS rows so a page about millions of
 * domains stays openable; the page says how many rows were left out.
 */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

enum { SOONEST = 20 };

struct expiring {
    int64_t at;
    char domain[256];
};

struct report {
    rbuf_t broken;     /* table rows of broken domains */
    uint64_t n_broken; /* all of them, also those not listed */
    uint64_t reason_domains[VERIFY_REASON_COUNT];
    struct expiring soonest[SOONEST];
    size_t n_soonest;
    rbuf_t worse, fixed; /* diff rows */
    uint64_t n_worse, n_fixed;
};

static void put_cstr(rbuf_t *b, const char *s)
{
    rbuf_put(b, s, strlen(s));
}

static void put_time(rbuf_t *b, int64_t t)
{
    char buf[RESULTS_TIME_BUFSZ];
    put_cstr(b, t ? results_format_time(t, buf) : "&mdash;");
}

/* Keeps the SOONEST earliest expirations, sorted, by insertion. */
static void note_expiration(struct report *r, const results_record_t *rec)
{
    int64_t at = rec->rrsig_earliest_expiration;
    if (at == 0)
        return;
    size_t i = r->n_soonest;
    if (i == SOONEST && at >= r->soonest[SOONEST - 1].at)
        return;
    if (i == SOONEST)
        i--;
    else
        r->n_soonest++;
    while (i > 0 && r->soonest[i - 1].at > at) {
        r->soonest[i] = r->soonest[i - 1];
        i--;
    }
    r->soonest[i].at = at;
    snprintf(r->soonest[i].domain, sizeof r->soonest[i].domain, "%s", rec->domain);
}

static void note_record(struct report *r, const results_record_t *rec)
{
    uint64_t seen = 0; /* count a code once per domain */
    for (size_t i = 0; i < rec->n_reasons; i++) {
        unsigned code = rec->reasons[i].code;
        if (code < VERIFY_REASON_COUNT && !(seen & ((uint64_t)1 << code))) {
            seen |= (uint64_t)1 << code;
            r->reason_domains[code]++;
        }
    }
    note_expiration(r, rec);
    if (results_status_rank(rec->status) < 2)
        return;
    if (r->n_broken++ >= RESULTS_REPORT_ROWS)
        return;
    rbuf_t *b = &r->broken;
    put_cstr(b, "<tr><td>");
    results_html_text(b, rec->domain);
    put_cstr(b, "</td>");
    results_html_status(b, "td", rec);
    put_cstr(b, "<td>");
    for (size_t i = 0; i < rec->n_reasons; i++) {
        if (i)
            put_cstr(b, "<br>");
        put_cstr(b, verify_reason_name(rec->reasons[i].code));
        if (rec->reasons[i].detail) {
            put_cstr(b, ": ");
            results_html_text(b, rec->reasons[i].detail);
        }
    }
    put_cstr(b, "</td><td>");
    results_html_text(b, rec->fix         ? rec->fix
                         : rec->n_reasons ? verify_reason_fix(rec->reasons[0].code)
                                          : "");
    put_cstr(b, "</td></tr>\n");
}

static int note_change(void *ctx, const char *domain, const results_record_t *o,
                       const results_record_t *n, results_change_t change)
{
    struct report *r = ctx;
    rbuf_t *b = NULL;
    if (change == RESULTS_CHANGE_BECAME_BOGUS || change == RESULTS_CHANGE_GOT_WORSE)
        b = r->n_worse++ < RESULTS_REPORT_ROWS ? &r->worse : NULL;
    else if (change == RESULTS_CHANGE_FIXED)
        b = r->n_fixed++ < RESULTS_REPORT_ROWS ? &r->fixed : NULL;
    if (b)
        results_html_diff_row(b, domain, o, n);
    return RESULTS_OK;
}

static void left_out(rbuf_t *b, uint64_t total)
{
    if (total <= RESULTS_REPORT_ROWS)
        return;
    put_cstr(b, "<p class=\"note\">");
    results_put_int(b, (int64_t)(total - RESULTS_REPORT_ROWS));
    put_cstr(b, " more not shown; use <code>dnssweep export</code> or <code>dnssweep diff"
                "</code> for the full list.</p>\n");
}

static const char *const status_colors[VERIFY_STATUS_COUNT] = {
    "#2e7d32", "#9e9e9e", "#c62828", "#f9a825", "#6a1b9a", "#455a64",
};

/* Horizontal bars, one per status, scaled to the largest count. */
static void status_chart(rbuf_t *b, const results_scan_info_t *info)
{
    uint64_t max = 1;
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++)
        if (info->counts[s] > max)
            max = info->counts[s];
    put_cstr(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"");
    results_put_int(b, VERIFY_STATUS_COUNT * 28 + 8);
    put_cstr(b, "\" role=\"img\" aria-label=\"domains per status\">\n");
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        int64_t y = 4 + s * 28, w = (int64_t)(info->counts[s] * 440 / max);
        char pct[32];
        snprintf(pct, sizeof pct, "%.1f%%",
                 info->total ? 100.0 * (double)info->counts[s] / (double)info->total : 0.0);
        put_cstr(b, "<text x=\"0\" y=\"");
        results_put_int(b, y + 17);
        put_cstr(b, "\" font-size=\"14\">");
        put_cstr(b, verify_status_name((verify_status_t)s));
        put_cstr(b, "</text><rect x=\"120\" y=\"");
        results_put_int(b, y);
        put_cstr(b, "\" width=\"");
        results_put_int(b, w);
        put_cstr(b, "\" height=\"22\" fill=\"");
        put_cstr(b, status_colors[s]);
        put_cstr(b, "\"/><text x=\"");
        results_put_int(b, 126 + w);
        put_cstr(b, "\" y=\"");
        results_put_int(b, y + 17);
        put_cstr(b, "\" font-size=\"14\">");
        results_put_int(b, (int64_t)info->counts[s]);
        put_cstr(b, " (");
        put_cstr(b, pct);
        put_cstr(b, ")</text>\n");
    }
    put_cstr(b, "</svg>\n");
}

static void reasons_table(rbuf_t *b, const struct report *r)
{
    int order[VERIFY_REASON_COUNT], n = 0;
    for (int c = 0; c < VERIFY_REASON_COUNT; c++)
        if (r->reason_domains[c])
            order[n++] = c;
    /* Most frequent first; few codes, so insertion sort. */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && r->reason_domains[order[j]] > r->reason_domains[order[j - 1]];
             j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    put_cstr(b, "<h2>Reasons</h2>\n");
    if (!n) {
        put_cstr(b, "<p>No domain has a reason code.</p>\n");
        return;
    }
    put_cstr(b, "<table>\n<tr><th>code</th><th>severity</th><th>EDE</th><th>domains</th>"
                "<th>fix</th></tr>\n");
    for (int i = 0; i < n; i++) {
        verify_reason_code_t c = (verify_reason_code_t)order[i];
        put_cstr(b, "<tr><td>");
        put_cstr(b, verify_reason_name(c));
        put_cstr(b, "</td><td>");
        put_cstr(b, verify_severity_name(verify_reason_severity(c)));
        put_cstr(b, "</td><td class=\"n\">");
        if (verify_reason_ede(c) >= 0)
            results_put_int(b, verify_reason_ede(c));
        put_cstr(b, "</td><td class=\"n\">");
        results_put_int(b, (int64_t)r->reason_domains[c]);
        put_cstr(b, "</td><td>");
        results_html_text(b, verify_reason_fix(c));
        put_cstr(b, "</td></tr>\n");
    }
    put_cstr(b, "</table>\n");
}

static void render(rbuf_t *b, const results_scan_info_t *info, const char *diff_against,
                   const results_diff_counts_t *dc, const struct report *r)
{
    char title[RESULTS_SCAN_NAME_MAX + 32];
    snprintf(title, sizeof title, "dnssweep report: %s", info->name);
    results_html_page_start(b, title);
    put_cstr(b, "<table>\n<tr><th>scan</th><td>");
    results_html_text(b, info->name);
    put_cstr(b, "</td></tr>\n<tr><th>input</th><td>");
    results_html_text(b, info->input_desc);
    put_cstr(b, "</td></tr>\n<tr><th>started</th><td>");
    put_time(b, info->started_at);
    put_cstr(b, "</td></tr>\n<tr><th>finished</th><td>");
    if (info->finished)
        put_time(b, info->finished_at);
    else
        put_cstr(b, "no (interrupted or still running)");
    put_cstr(b, "</td></tr>\n<tr><th>domains</th><td class=\"n\">");
    results_put_int(b, (int64_t)info->total);
    put_cstr(b, "</td></tr>\n</table>\n<h2>Statuses</h2>\n");
    status_chart(b, info);
    reasons_table(b, r);

    put_cstr(b, "<h2>Soonest signature expirations</h2>\n");
    if (!r->n_soonest) {
        put_cstr(b, "<p>No signed domain.</p>\n");
    } else {
        put_cstr(b, "<table>\n<tr><th>domain</th><th>earliest RRSIG expiration</th></tr>\n");
        for (size_t i = 0; i < r->n_soonest; i++) {
            put_cstr(b, "<tr><td>");
            results_html_text(b, r->soonest[i].domain);
            put_cstr(b, "</td><td>");
            put_time(b, r->soonest[i].at);
            put_cstr(b, "</td></tr>\n");
        }
        put_cstr(b, "</table>\n");
    }

    put_cstr(b, "<h2>Broken domains (");
    results_put_int(b, (int64_t)r->n_broken);
    put_cstr(b, ")</h2>\n");
    if (r->n_broken) {
        put_cstr(b, "<table>\n<tr><th>domain</th><th>status</th><th>reasons</th><th>fix</th>"
                    "</tr>\n");
        rbuf_put(b, r->broken.data, r->broken.len);
        put_cstr(b, "</table>\n");
        left_out(b, r->n_broken);
    }

    if (diff_against) {
        put_cstr(b, "<h2>Compared with ");
        results_html_text(b, diff_against);
        put_cstr(b, "</h2>\n");
        results_html_diff_summary(b, dc);
        const struct {
            const char *title;
            const rbuf_t *rows;
            uint64_t n;
        } parts[] = {{"regressions", &r->worse, r->n_worse}, {"fixed", &r->fixed, r->n_fixed}};
        for (size_t i = 0; i < 2; i++) {
            if (!parts[i].n)
                continue;
            results_html_diff_table_start(b, parts[i].title, parts[i].n);
            rbuf_put(b, parts[i].rows->data, parts[i].rows->len);
            put_cstr(b, "</table>\n");
            left_out(b, parts[i].n);
        }
    }
    results_html_page_end(b);
}

int results_report(results_store_t *store, const char *scan_name, const char *diff_against,
                   FILE *out)
{
    results_scan_info_t info;
    results_iter_t *it = NULL;
    const results_record_t *rec;
    results_diff_counts_t dc = {{0}, 0};
    rbuf_t page = {0};
    if (!store || !out)
        return RESULTS_EINVAL;
    struct report *r = calloc(1, sizeof *r);
    if (!r)
        return RESULTS_ENOMEM;
    int rc = results_scan_lookup(store, scan_name, &info);
    if (rc < 0) {
        free(r);
        return rc;
    }
    if ((rc = results_iter_new(store, info.name, &it)) < 0)
        goto done;
    while ((rc = results_iter_next(it, &rec)) == 1)
        note_record(r, rec);
    if (rc < 0)
        goto done;
    if (diff_against &&
        (rc = results_diff_walk(store, diff_against, info.name, true, note_change, r, &dc)) < 0)
        goto done;
    render(&page, &info, diff_against, &dc, r);
    if (page.failed || r->broken.failed || r->worse.failed || r->fixed.failed)
        rc = RESULTS_ENOMEM;
    else if (fwrite(page.data, 1, page.len, out) != page.len || fflush(out) != 0)
        rc = RESULTS_EIO;
    else
        rc = RESULTS_OK;
done:
    rbuf_free(&page);
    rbuf_free(&r->broken);
    rbuf_free(&r->worse);
    rbuf_free(&r->fixed);
    free(r);
    results_iter_free(it);
    results_scan_info_clear(&info);
    return rc;
}
