/*
 * The sections of `dnssweep report`: summary, charts (inline SVG: statuses, reason codes,
 * algorithms, DS digests, expirations), parent zones, the comparison with an older scan, and
 * the domain table (report_table.c). Every chart is an <svg id="chart-..."> whose bars are
 * <g class="bar" data-label=".." data-count="N">, so scripts and tests can read the figures.
 */
#include "results/internal.h"
#include "text/text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct bar {
    const char *label;
    uint64_t count;
    const char *color;
} bar_t;

static const char *const status_colors[VERIFY_STATUS_COUNT] = {
    "#2e7d32", "#9e9e9e", "#c62828", "#f9a825", "#6a1b9a", "#455a64",
};

const char *results_report_status_color(int status)
{
    return status >= 0 && status < VERIFY_STATUS_COUNT ? status_colors[status] : "#000";
}

static void put_time(results_buf_t *b, int64_t t)
{
    char buf[RESULTS_TIME_BUFSZ];
    results_buf_str(b, t ? results_format_time(t, buf) : "&mdash;");
}

static void put_u64(results_buf_t *b, uint64_t v)
{
    results_put_int(b, (int64_t)v);
}

/* Horizontal bars scaled to the largest count; label_w pixels for the labels; percentages of
 * whole (none when whole is 0). */
static void bar_chart(results_buf_t *b, const char *id, const char *aria, const bar_t *bars,
                      size_t n, int label_w, uint64_t whole)
{
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (bars[i].count > max)
            max = bars[i].count;
    results_buf_str(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"");
    results_buf_str(b, id);
    results_buf_str(b, "\" width=\"");
    results_put_int(b, label_w + 600);
    results_buf_str(b, "\" height=\"");
    results_put_int(b, (int64_t)n * 28 + 8);
    results_buf_str(b, "\" role=\"img\" aria-label=\"");
    results_buf_str(b, aria);
    results_buf_str(b, "\">\n");
    for (size_t i = 0; i < n; i++) {
        int64_t y = 4 + (int64_t)i * 28, w = (int64_t)(bars[i].count * 440 / max);
        results_buf_str(b, "<g class=\"bar\" data-label=\"");
        results_html_text(b, bars[i].label);
        results_buf_printf(b, "\" data-count=\"%" PRIu64 "\"><text x=\"0\" y=\"",
                           (uint64_t)bars[i].count);
        results_put_int(b, y + 17);
        results_buf_str(b, "\" font-size=\"14\">");
        results_html_text(b, bars[i].label);
        results_buf_str(b, "</text><rect x=\"");
        results_put_int(b, label_w);
        results_buf_str(b, "\" y=\"");
        results_put_int(b, y);
        results_buf_str(b, "\" width=\"");
        results_put_int(b, w);
        results_buf_str(b, "\" height=\"22\" fill=\"");
        results_buf_str(b, bars[i].color ? bars[i].color : "#1565c0");
        results_buf_str(b, "\"/><text x=\"");
        results_put_int(b, label_w + 6 + w);
        results_buf_str(b, "\" y=\"");
        results_put_int(b, y + 17);
        results_buf_printf(b, "\" font-size=\"14\">%" PRIu64, (uint64_t)bars[i].count);
        if (whole) {
            char pct[32];
            snprintf(pct, sizeof pct, " (%.1f%%)", 100.0 * (double)bars[i].count / (double)whole);
            results_buf_str(b, pct);
        }
        results_buf_str(b, "</text></g>\n");
    }
    results_buf_str(b, "</svg>\n");
}

static void status_section(results_buf_t *b, const results_report_data_t *r)
{
    bar_t bars[VERIFY_STATUS_COUNT];
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++)
        bars[s] = (bar_t){verify_status_name((verify_status_t)s), r->status[s], status_colors[s]};
    results_buf_str(b, "<h2 id=\"statuses\">Statuses</h2>\n");
    bar_chart(b, "chart-status", "domains per status", bars, VERIFY_STATUS_COUNT, 120, r->total);
}

static void sort_codes(const uint64_t *counts, int n_codes, int *order, int *n)
{
    *n = 0;
    for (int c = 0; c < n_codes; c++)
        if (counts[c])
            order[(*n)++] = c;
    /* Most frequent first; few codes, so insertion sort. */
    for (int i = 1; i < *n; i++)
        for (int j = i; j > 0 && counts[order[j]] > counts[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

static const char *severity_color(verify_reason_code_t c)
{
    const char *sev = verify_severity_name(verify_reason_severity(c));
    return strcmp(sev, "error") == 0     ? "#c62828"
           : strcmp(sev, "warning") == 0 ? "#f9a825"
                                         : "#607d8b";
}

static void reasons_section(results_buf_t *b, const results_report_data_t *r)
{
    int order[VERIFY_REASON_COUNT], n;
    sort_codes(r->reason_domains, VERIFY_REASON_COUNT, order, &n);
    results_buf_str(b, "<h2 id=\"reasons\">Reasons</h2>\n");
    if (!n) {
        results_buf_str(b, "<p>No domain has a reason code.</p>\n");
        return;
    }
    enum { TOP = 15 };
    bar_t bars[TOP] = {{0}};
    int shown = n < TOP ? n : TOP;
    for (int i = 0; i < shown; i++) {
        verify_reason_code_t c = (verify_reason_code_t)order[i];
        bars[i] = (bar_t){verify_reason_name(c), r->reason_domains[c], severity_color(c)};
    }
    results_buf_str(b,
                    "<p class=\"note\">Top reason codes by domains (red: error, yellow: warning, "
                    "grey: notice).</p>\n");
    bar_chart(b, "chart-reasons", "top reason codes", bars, (size_t)shown, 240, r->total);
    results_buf_str(b, "<table id=\"reason-table\">\n<tr><th>code</th><th>severity</th><th>EDE</th>"
                       "<th>domains</th><th>fix</th></tr>\n");
    for (int i = 0; i < n; i++) {
        verify_reason_code_t c = (verify_reason_code_t)order[i];
        results_buf_str(b, "<tr><td>");
        results_buf_str(b, verify_reason_name(c));
        results_buf_str(b, "</td><td>");
        results_buf_str(b, verify_severity_name(verify_reason_severity(c)));
        results_buf_str(b, "</td><td class=\"n\">");
        if (verify_reason_ede(c) >= 0)
            results_put_int(b, verify_reason_ede(c));
        results_buf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td>",
                           (uint64_t)r->reason_domains[c]);
        results_html_text(b, verify_reason_fix(c));
        results_buf_str(b, "</td></tr>\n");
    }
    results_buf_str(b, "</table>\n");
}

/* DNSSEC algorithm and DS digest type mnemonics (IANA registries); NULL for a number without
 * one. */
static const text_code_t algorithm_names[] = {
    {1, "RSAMD5"},
    {3, "DSA"},
    {5, "RSASHA1"},
    {6, "DSA-NSEC3-SHA1"},
    {7, "RSASHA1-NSEC3-SHA1"},
    {8, "RSASHA256"},
    {10, "RSASHA512"},
    {12, "ECC-GOST"},
    {13, "ECDSAP256SHA256"},
    {14, "ECDSAP384SHA384"},
    {15, "ED25519"},
    {16, "ED448"},
};
static const text_code_t digest_names[] = {
    {1, "SHA-1"}, {2, "SHA-256"}, {3, "GOST R 34.11-94"}, {4, "SHA-384"}};

static const char *algorithm_name(int a)
{
    return text_of_code(algorithm_names, sizeof algorithm_names / sizeof algorithm_names[0], a);
}

static const char *digest_name(int d)
{
    return text_of_code(digest_names, sizeof digest_names / sizeof digest_names[0], d);
}

/* One bar per code number present: "13 ECDSAP256SHA256". */
static void code_chart(results_buf_t *b, const char *id, const char *aria,
                       const uint64_t counts[256], const char *(*name)(int), uint64_t whole)
{
    bar_t bars[256] = {{0}};
    char labels[256][48];
    int order[256], n;
    sort_codes(counts, 256, order, &n);
    for (int i = 0; i < n; i++) {
        const char *nm = name(order[i]);
        snprintf(labels[i], sizeof labels[i], "%d %s", order[i], nm ? nm : "(unassigned)");
        bars[i] = (bar_t){labels[i], counts[order[i]], NULL};
    }
    if (!n) {
        results_buf_str(b, "<p>None.</p>\n");
        return;
    }
    bar_chart(b, id, aria, bars, (size_t)n, 200, whole);
}

static void crypto_section(results_buf_t *b, const results_report_data_t *r)
{
    results_buf_printf(
        b,
        "<h2 id=\"algorithms\">DNSKEY algorithms</h2>\n<p class=\"note\">Domains publishing a key "
        "of each algorithm (a domain may count under several); percent of the %" PRIu64
        " domains with DNSKEYs.</p>\n",
        r->with_dnskey);
    code_chart(b, "chart-algorithms", "DNSKEY algorithms", r->alg_domains, algorithm_name,
               r->with_dnskey);
    results_buf_printf(b,
                       "<h2 id=\"digests\">DS digest types</h2>\n<p class=\"note\">Domains whose "
                       "parent holds a DS of each digest type; percent of the %" PRIu64
                       " domains with a DS.</p>\n",
                       r->with_ds);
    code_chart(b, "chart-digests", "DS digest types", r->digest_domains, digest_name, r->with_ds);
}

static void expiry_section(results_buf_t *b, const results_report_data_t *r)
{
    static const char *const labels[REPORT_EXPIRY_BUCKETS] = {
        "expired", "within 1 day", "1 to 3 days", "3 to 7 days", "7 to 30 days", "later"};
    static const char *const colors[REPORT_EXPIRY_BUCKETS] = {"#b71c1c", "#c62828", "#ef6c00",
                                                              "#f9a825", "#9e9d24", "#2e7d32"};
    bar_t bars[REPORT_EXPIRY_BUCKETS];
    for (int i = 0; i < REPORT_EXPIRY_BUCKETS; i++)
        bars[i] = (bar_t){labels[i], r->expiry[i], colors[i]};
    results_buf_str(b, "<h2 id=\"expirations\">Signature expirations</h2>\n<p class=\"note\">Each "
                       "domain counts once, in the period that holds its earliest valid RRSIG "
                       "expiration, counted from when the scan judged the signatures (");
    put_time(b, r->ref_time);
    results_buf_str(b, "); a domain with an expired signature (RRSIG_EXPIRED) counts as expired. ");
    results_buf_printf(b, "%" PRIu64 " domains have signatures", r->with_expiry);
    if (r->signed_no_date) {
        results_buf_printf(
            b, "; %" PRIu64 " more publish DNSKEYs without any valid signature (see their reasons)",
            r->signed_no_date);
    }
    results_buf_str(b, ".</p>\n");
    bar_chart(b, "chart-expiry", "earliest signature expirations", bars, REPORT_EXPIRY_BUCKETS, 160,
              r->with_expiry);
    if (!r->n_soonest)
        return;
    results_buf_str(b,
                    "<p class=\"note\">The earliest days on which signatures expire (UTC), with "
                    "the number of domains whose earliest expiration falls that day.</p>\n"
                    "<table id=\"soonest\">\n<tr><th>day</th><th>first expiration</th><th>domains"
                    "</th><th>for example</th></tr>\n");
    for (size_t i = 0; i < r->n_soonest; i++) {
        const results_report_expiry_day_t *d = &r->soonest[i];
        char day[RESULTS_TIME_BUFSZ];
        results_format_time(d->day, day);
        day[10] = '\0';
        results_buf_str(b, "<tr data-day=\"");
        results_buf_str(b, day);
        results_buf_printf(b, "\" data-count=\"%" PRIu64 "\"><td>", d->count);
        results_buf_str(b, day);
        results_buf_str(b, "</td><td>");
        put_time(b, d->first_at);
        results_buf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td>", d->count);
        for (size_t k = 0; k < d->n_examples; k++) {
            results_buf_str(b, k ? ", <span class=\"name\">" : "<span class=\"name\">");
            results_html_text(b, d->examples[k]);
            results_buf_str(b, "</span>");
        }
        if (d->count > d->n_examples)
            results_buf_str(b, ", &hellip;");
        results_buf_str(b, "</td></tr>\n");
    }
    results_buf_str(b, "</table>\n");
}

static int zone_cmp(const void *a, const void *b)
{
    const results_report_zone_t *x = *(const results_report_zone_t *const *)a,
                                *y = *(const results_report_zone_t *const *)b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* A stacked bar of the statuses of one zone. */
static void zone_bar(results_buf_t *b, const results_report_zone_t *z)
{
    results_buf_str(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"14\">");
    int64_t x = 0;
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        int64_t w = (int64_t)(z->counts[s] * 200 / (z->total ? z->total : 1));
        if (!w)
            continue;
        results_buf_str(b, "<rect x=\"");
        results_put_int(b, x);
        results_buf_str(b, "\" y=\"0\" width=\"");
        results_put_int(b, w);
        results_buf_str(b, "\" height=\"14\" fill=\"");
        results_buf_str(b, status_colors[s]);
        results_buf_str(b, "\"/>");
        x += w;
    }
    results_buf_str(b, "</svg>");
}

static void zones_section(results_buf_t *b, const results_report_data_t *r)
{
    results_buf_str(b, "<h2 id=\"zones\">Parent zones</h2>\n");
    const results_report_zone_t **list = malloc((r->n_zones ? r->n_zones : 1) * sizeof *list);
    if (!list) {
        b->failed = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->cap_zones; i++)
        if (r->zones[i].name)
            list[n++] = &r->zones[i];
    qsort(list, n, sizeof *list, zone_cmp);
    results_buf_printf(b, "<p class=\"note\">%" PRIu64 " parent zones", n);
    if (n > REPORT_ZONES_SHOWN)
        results_buf_str(b, "; the 50 with the most domains are listed");
    if (r->zones_unknown) {
        results_buf_printf(b, "; %" PRIu64 " domains without a known parent", r->zones_unknown);
    }
    results_buf_str(b, ".</p>\n<table id=\"zone-table\">\n<tr><th>zone</th><th>domains</th>");
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        results_buf_str(b, "<th>");
        results_buf_str(b, verify_status_name((verify_status_t)s));
        results_buf_str(b, "</th>");
    }
    results_buf_str(b, "<th>% secure</th><th></th></tr>\n");
    for (size_t i = 0; i < n && i < REPORT_ZONES_SHOWN; i++) {
        const results_report_zone_t *z = list[i];
        results_buf_str(b, "<tr data-zone=\"");
        results_html_text(b, z->name);
        results_buf_printf(b, "\" data-total=\"%" PRIu64 "\"><td>", z->total);
        results_html_text(b, z->name);
        results_buf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td>", z->total);
        for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
            results_buf_printf(b, "<td class=\"n\">%" PRIu64 "</td>", (uint64_t)z->counts[s]);
        }
        char pct[32];
        snprintf(pct, sizeof pct, "%.1f%%",
                 100.0 * (double)z->counts[VERIFY_STATUS_SECURE] / (double)z->total);
        results_buf_str(b, "<td class=\"n\">");
        results_buf_str(b, pct);
        results_buf_str(b, "</td><td>");
        zone_bar(b, z);
        results_buf_str(b, "</td></tr>\n");
    }
    results_buf_str(b, "</table>\n");
    free(list);
}

static void left_out(results_buf_t *b, uint64_t total)
{
    if (total <= RESULTS_REPORT_ROWS)
        return;
    results_buf_printf(b,
                       "<p class=\"note\">%" PRIu64
                       " more not shown; use <code>dnssweep diff</code> for the full list.</p>\n",
                       (uint64_t)(total - RESULTS_REPORT_ROWS));
}

/* The name of a row (old) or a column (new) of the transitions table: a status, or past the last
 * status, the domains that are new (the last row) or gone (the last column). */
static const char *old_name(int o)
{
    return o < VERIFY_STATUS_COUNT ? verify_status_name((verify_status_t)o) : "new";
}

static const char *new_name(int n)
{
    return n < VERIFY_STATUS_COUNT ? verify_status_name((verify_status_t)n) : "gone";
}

static void transitions_table(results_buf_t *b, const results_report_data_t *r)
{
    results_buf_str(b, "<table id=\"transitions\">\n<tr><th>old \\ new</th>");
    for (int n = 0; n <= VERIFY_STATUS_COUNT; n++) {
        results_buf_str(b, "<th>");
        results_buf_str(b, new_name(n));
        results_buf_str(b, "</th>");
    }
    results_buf_str(b, "</tr>\n");
    for (int o = 0; o <= VERIFY_STATUS_COUNT; o++) {
        results_buf_str(b, "<tr><th>");
        results_buf_str(b, old_name(o));
        results_buf_str(b, "</th>");
        for (int n = 0; n <= VERIFY_STATUS_COUNT; n++) {
            uint64_t v = r->trans[o][n];
            bool worse = o < VERIFY_STATUS_COUNT && n < VERIFY_STATUS_COUNT &&
                         results_is_regression((verify_status_t)o, (verify_status_t)n);
            results_buf_str(b, worse && v ? "<td class=\"n worse\"" : "<td class=\"n\"");
            results_buf_str(b, " data-old=\"");
            results_buf_str(b, old_name(o));
            results_buf_str(b, "\" data-new=\"");
            results_buf_str(b, new_name(n));
            results_buf_str(b, "\">");
            if (o < VERIFY_STATUS_COUNT || n < VERIFY_STATUS_COUNT)
                put_u64(b, v);
            results_buf_str(b, "</td>");
        }
        results_buf_str(b, "</tr>\n");
    }
    results_buf_str(b, "</table>\n");
}

static void diff_section(results_buf_t *b, const char *diff_against,
                         const results_diff_counts_t *dc, const results_report_data_t *r)
{
    results_buf_str(b, "<h2 id=\"diff\">Compared with ");
    results_html_text(b, diff_against);
    results_buf_str(b, "</h2>\n<p class=\"note\">Domains by status in the older scan (rows) and in "
                       "this one (columns); red cells got worse.</p>\n");
    transitions_table(b, r);
    results_html_diff_summary(b, dc);
    const struct {
        const char *title;
        const results_buf_t *rows;
        uint64_t n;
        bool keys;
    } parts[] = {{"regressions", &r->worse, r->n_worse, false},
                 {"fixed", &r->fixed, r->n_fixed, false},
                 {"rollovers", &r->rolled, r->n_rolled, true}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i].n)
            continue;
        results_html_diff_table_start(b, parts[i].title, parts[i].n, parts[i].keys);
        results_buf_put(b, parts[i].rows->data, parts[i].rows->len);
        results_buf_str(b, "</table>\n");
        left_out(b, parts[i].n);
    }
}

/* Reason codes of the domains in counts, most frequent first, with their fix. */
static void todo_table(results_buf_t *b, const char *id, const uint64_t *counts)
{
    int order[VERIFY_REASON_COUNT], n;
    sort_codes(counts, VERIFY_REASON_COUNT, order, &n);
    if (!n)
        return;
    results_buf_str(b, "<table id=\"");
    results_buf_str(b, id);
    results_buf_str(b, "\">\n<tr><th>code</th><th>domains</th><th>what to do</th></tr>\n");
    for (int i = 0; i < n; i++) {
        verify_reason_code_t c = (verify_reason_code_t)order[i];
        results_buf_str(b, "<tr data-code=\"");
        results_buf_str(b, verify_reason_name(c));
        results_buf_printf(b, "\" data-count=\"%" PRIu64 "\"><td>", (uint64_t)counts[c]);
        results_buf_str(b, verify_reason_name(c));
        results_buf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td class=\"fix\">",
                           (uint64_t)counts[c]);
        results_html_text(b, verify_reason_fix(c));
        results_buf_str(b, "</td></tr>\n");
    }
    results_buf_str(b, "</table>\n");
}

/* The first screen: what got worse since the compared scan and what to do about it; without a
 * comparison, what is broken now. */
static void attention_section(results_buf_t *b, const char *diff_against,
                              const results_diff_counts_t *dc, const results_report_data_t *r)
{
    results_buf_str(b, "<section id=\"attention\">\n");
    if (!diff_against) {
        results_buf_printf(
            b,
            "<h2>Needs attention</h2>\n<p>No earlier scan compared (give <code>--history N</code> "
            "or <code>--diff-against OLD</code>). %" PRIu64 " domains are bogus, %" PRIu64
            " lame. Their most frequent reasons and what to do: see <a "
            "href=\"#reasons\">reasons</a>.</p>\n</section>\n",
            (uint64_t)r->status[VERIFY_STATUS_BOGUS], (uint64_t)r->status[VERIFY_STATUS_LAME]);
        return;
    }
    results_buf_str(b, "<h2>Since ");
    results_html_text(b, diff_against);
    results_buf_str(b, "</h2>\n<ul id=\"since\"");
    /* data-became-bogus="N" and so on: the changes' names, hyphenated as HTML attributes are. */
    static const results_change_t counted[] = {RESULTS_CHANGE_BECAME_BOGUS,
                                               RESULTS_CHANGE_GOT_WORSE, RESULTS_CHANGE_FIXED,
                                               RESULTS_CHANGE_KEYS_CHANGED};
    for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
        results_buf_str(b, " data-");
        for (const char *p = results_change_name(counted[i]); *p; p++)
            results_buf_byte(b, *p == '_' ? '-' : *p);
        results_buf_printf(b, "=\"%" PRIu64 "\"", (uint64_t)dc->by_change[counted[i]]);
    }
    results_buf_printf(b,
                       ">\n<li class=\"worse\"><strong>%" PRIu64 " became bogus</strong>, %" PRIu64
                       " got worse otherwise (<a href=\"#regressions\">list</a>)</li>\n<li>%" PRIu64
                       " fixed, %" PRIu64
                       " rolled their keys (<a href=\"#rollovers\">rollovers</a>), %" PRIu64
                       " new, %" PRIu64 " gone</li>\n</ul>\n",
                       (uint64_t)dc->by_change[RESULTS_CHANGE_BECAME_BOGUS],
                       (uint64_t)dc->by_change[RESULTS_CHANGE_GOT_WORSE],
                       (uint64_t)dc->by_change[RESULTS_CHANGE_FIXED],
                       (uint64_t)dc->by_change[RESULTS_CHANGE_KEYS_CHANGED],
                       (uint64_t)dc->by_change[RESULTS_CHANGE_NEW_DOMAIN],
                       (uint64_t)dc->by_change[RESULTS_CHANGE_GONE]);
    if (dc->regressions) {
        results_buf_str(b, "<p>What to do, by the reasons of the domains that got worse:</p>\n");
        todo_table(b, "todo", r->worse_reasons);
    } else {
        results_buf_str(b, "<p>Nothing got worse.</p>\n");
    }
    results_buf_str(b, "</section>\n");
}

static void summary(results_buf_t *b, const results_scan_info_t *info,
                    const results_report_data_t *r, bool diff)
{
    /* Tables scroll sideways rather than break a word: names, codes, times and numbers never
     * wrap (a time would break at its hyphens); prose (fixes, details) wraps between words. */
    results_buf_str(b,
                    "<style>\n.chart{display:block;margin:.5em 0}\n.controls{margin:.5em 0}\n"
                    "td.worse{background:#ffcdd2;font-weight:bold}\n#domains th{cursor:pointer}\n"
                    "table{display:block;max-width:100%;overflow-x:auto}\n"
                    "th,td{word-break:keep-all;overflow-wrap:normal;hyphens:none;"
                    "white-space:nowrap}\n"
                    "td.fix,#reason-table td:last-child,#domains td:nth-child(3),"
                    "#domains td:nth-child(4){white-space:normal;min-width:16em;max-width:48em}\n"
                    "#attention{border-left:4px solid #c62828;padding:0 1em;margin:1em 0}\n"
                    "nav a{margin-right:1em}\n</style>\n");
    results_buf_str(b, "<table id=\"summary\">\n<tr><th>scan</th><td>");
    results_html_text(b, info->name);
    results_buf_str(b, "</td></tr>\n<tr><th>input</th><td>");
    results_html_text(b, info->input_desc);
    results_buf_str(b, "</td></tr>\n<tr><th>started</th><td>");
    put_time(b, info->started_at);
    results_buf_str(b, "</td></tr>\n<tr><th>finished</th><td>");
    if (info->finished)
        put_time(b, info->finished_at);
    else
        results_buf_str(b, "no (interrupted or still running)");
    results_buf_printf(b,
                       "</td></tr>\n<tr><th>domains</th><td class=\"n\" id=\"total\">%" PRIu64
                       "</td></tr>\n</table>\n<nav><a href=\"#statuses\">statuses</a><a "
                       "href=\"#reasons\">reasons</a><a href=\"#algorithms\">algorithms</a><a "
                       "href=\"#expirations\">expirations</a><a href=\"#zones\">parent zones</a>",
                       r->total);
    if (diff)
        results_buf_str(b, "<a href=\"#diff\">changes</a>");
    if (r->history)
        results_buf_str(b, "<a href=\"#history\">history</a><a href=\"#history-rollovers\">"
                           "rollovers</a>");
    results_buf_str(b, "<a href=\"#nonsecure\">domains</a>");
    if (r->n_bogus)
        results_buf_str(b, "<a href=\"#chains\">chains of trust</a>");
    results_buf_str(b, "</nav>\n");
}

void results_report_render(results_buf_t *b, const results_scan_info_t *info,
                           const char *diff_against, const results_diff_counts_t *dc,
                           const results_report_data_t *r)
{
    char title[RESULTS_SCAN_NAME_MAX + 32];
    snprintf(title, sizeof title, "dnssweep report: %s", info->name);
    results_html_page_start(b, title);
    summary(b, info, r, diff_against != NULL);
    attention_section(b, diff_against, dc, r);
    status_section(b, r);
    if (r->history)
        results_report_history_render(b, r->history);
    if (diff_against)
        diff_section(b, diff_against, dc, r);
    reasons_section(b, r);
    crypto_section(b, r);
    expiry_section(b, r);
    zones_section(b, r);
    results_report_table_render(b, r);
    results_report_graphs_render(b, r);
    results_html_page_end(b);
}
