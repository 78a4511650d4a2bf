/*
 * The history part of the report (`report --history N`): a stacked-bar chart of the statuses
 * per scan with the domains that became bogus drawn as a line over it (inline SVG), the table
 * of scans with their changes, and the rollovers (keys_changed) of every scan. Every figure is
 * also a data- attribute, so scripts and tests read the numbers the chart draws.
 */
#include "results/internal.h"

#include <string.h>

enum {
    TREND_LEFT = 60,    /* axis labels */
    TREND_BAR = 48,     /* bar width */
    TREND_STEP = 72,    /* bar to bar */
    TREND_HEIGHT = 220, /* plot height */
    TREND_TOP = 24,     /* room for the legend */
    TREND_BOTTOM = 40,  /* room for the scan names */
    LINE_HEIGHT = TREND_HEIGHT * 6 / 10,
};

static void put_u64(rbuf_t *b, uint64_t v)
{
    results_put_int(b, (int64_t)v);
}

static void put_attr_u64(rbuf_t *b, const char *name, uint64_t v)
{
    report_put(b, " ");
    report_put(b, name);
    report_put(b, "=\"");
    put_u64(b, v);
    report_put(b, "\"");
}

static void put_num_attr(rbuf_t *b, const char *name, int64_t v)
{
    report_put(b, " ");
    report_put(b, name);
    report_put(b, "=\"");
    results_put_int(b, v);
    report_put(b, "\"");
}

static int64_t bar_x(size_t i)
{
    return TREND_LEFT + 12 + (int64_t)i * TREND_STEP;
}

/* One stacked bar: a <g class="night"> with the scan's figures, a <rect> per status. */
static void night_bar(rbuf_t *b, const report_night_t *nt, size_t i, uint64_t max)
{
    report_put(b, "<g class=\"night\" data-night=\"");
    results_html_text(b, nt->name);
    report_put(b, "\"");
    put_attr_u64(b, "data-total", nt->total);
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        char attr[40];
        snprintf(attr, sizeof attr, "data-%s", verify_status_name((verify_status_t)s));
        put_attr_u64(b, attr, nt->counts[s]);
    }
    report_put(b, nt->prev[0] ? "" : " data-first=\"1\"");
    put_attr_u64(b, "data-became-bogus", nt->became_bogus);
    report_put(b, "><title>");
    results_html_text(b, nt->name);
    report_put(b, "</title>\n");
    int64_t base = TREND_TOP + TREND_HEIGHT;
    uint64_t below = 0;
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        if (!nt->counts[s])
            continue;
        int64_t y0 = base - (int64_t)(below * TREND_HEIGHT / max);
        below += nt->counts[s];
        int64_t y1 = base - (int64_t)(below * TREND_HEIGHT / max);
        report_put(b, "<rect class=\"seg\" data-status=\"");
        report_put(b, verify_status_name((verify_status_t)s));
        report_put(b, "\"");
        put_attr_u64(b, "data-count", nt->counts[s]);
        put_num_attr(b, "x", bar_x(i));
        put_num_attr(b, "y", y1);
        put_num_attr(b, "width", TREND_BAR);
        put_num_attr(b, "height", y0 - y1 > 0 ? y0 - y1 : 1);
        report_put(b, " fill=\"");
        report_put(b, report_status_color(s));
        report_put(b, "\"/>\n");
    }
    report_put(b, "<text font-size=\"12\" text-anchor=\"middle\"");
    put_num_attr(b, "x", bar_x(i) + TREND_BAR / 2);
    put_num_attr(b, "y", base + 16);
    report_put(b, ">");
    results_html_text(b, nt->name);
    report_put(b, "</text>\n</g>\n");
}

/* The domains that became bogus, one point per scan compared with the one before, on their own
 * scale: the largest reaches 60% of the plot's height, below the legend and the bars' tops. */
static void new_bogus_line(rbuf_t *b, const report_history_t *h)
{
    uint64_t max = 1;
    for (size_t i = 0; i < h->n; i++)
        if (h->nights[i].became_bogus > max)
            max = h->nights[i].became_bogus;
    int64_t base = TREND_TOP + TREND_HEIGHT;
    report_put(b, "<polyline class=\"new-bogus\" fill=\"none\" stroke=\"#000\" "
                  "stroke-width=\"2\" points=\"");
    for (size_t i = 0; i < h->n; i++) {
        if (!h->nights[i].prev[0])
            continue;
        results_put_int(b, bar_x(i) + TREND_BAR / 2);
        report_put(b, ",");
        results_put_int(b, base - (int64_t)(h->nights[i].became_bogus * LINE_HEIGHT / max));
        report_put(b, " ");
    }
    report_put(b, "\"/>\n");
    for (size_t i = 0; i < h->n; i++) {
        const report_night_t *nt = &h->nights[i];
        if (!nt->prev[0])
            continue;
        int64_t y = base - (int64_t)(nt->became_bogus * LINE_HEIGHT / max);
        report_put(b, "<circle class=\"new-bogus-point\" r=\"4\" fill=\"#000\"");
        put_num_attr(b, "cx", bar_x(i) + TREND_BAR / 2);
        put_num_attr(b, "cy", y);
        report_put(b, "/><text font-size=\"12\" font-weight=\"bold\" fill=\"#000\" "
                      "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"");
        put_num_attr(b, "x", bar_x(i) + TREND_BAR / 2 + 6);
        put_num_attr(b, "y", y - 6);
        report_put(b, ">+");
        put_u64(b, nt->became_bogus);
        report_put(b, "</text>\n");
    }
}

static void legend(rbuf_t *b)
{
    int64_t x = TREND_LEFT;
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        const char *name = verify_status_name((verify_status_t)s);
        report_put(b, "<rect width=\"10\" height=\"10\" y=\"6\"");
        put_num_attr(b, "x", x);
        report_put(b, " fill=\"");
        report_put(b, report_status_color(s));
        report_put(b, "\"/><text font-size=\"12\" y=\"15\"");
        put_num_attr(b, "x", x + 14);
        report_put(b, ">");
        report_put(b, name);
        report_put(b, "</text>\n");
        x += 24 + (int64_t)strlen(name) * 7;
    }
    report_put(b, "<line y1=\"11\" y2=\"11\" stroke=\"#000\" stroke-width=\"2\"");
    put_num_attr(b, "x1", x);
    put_num_attr(b, "x2", x + 16);
    report_put(b, "/><text font-size=\"12\" y=\"15\"");
    put_num_attr(b, "x", x + 20);
    report_put(b, ">became bogus</text>\n");
}

static void trend_chart(rbuf_t *b, const report_history_t *h)
{
    uint64_t max = 1;
    for (size_t i = 0; i < h->n; i++)
        if (h->nights[i].total > max)
            max = h->nights[i].total;
    int64_t width = bar_x(h->n) + 20;
    if (width < 640)
        width = 640;
    report_put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"trend\"");
    put_num_attr(b, "width", width);
    put_num_attr(b, "height", TREND_TOP + TREND_HEIGHT + TREND_BOTTOM);
    put_attr_u64(b, "data-scans", h->n);
    report_put(b, " role=\"img\" aria-label=\"domains per status and domains that became bogus, "
                  "per scan\">\n");
    legend(b);
    /* The left axis: 0 and the largest scan's domains. */
    int64_t base = TREND_TOP + TREND_HEIGHT;
    report_put(b, "<line stroke=\"#999\"");
    put_num_attr(b, "x1", TREND_LEFT);
    put_num_attr(b, "x2", TREND_LEFT);
    put_num_attr(b, "y1", TREND_TOP);
    put_num_attr(b, "y2", base);
    report_put(b, "/><text font-size=\"12\" text-anchor=\"end\"");
    put_num_attr(b, "x", TREND_LEFT - 4);
    put_num_attr(b, "y", TREND_TOP + 10);
    report_put(b, ">");
    put_u64(b, max);
    report_put(b, "</text><text font-size=\"12\" text-anchor=\"end\"");
    put_num_attr(b, "x", TREND_LEFT - 4);
    put_num_attr(b, "y", base);
    report_put(b, ">0</text>\n");
    for (size_t i = 0; i < h->n; i++)
        night_bar(b, &h->nights[i], i, max);
    new_bogus_line(b, h);
    report_put(b, "</svg>\n");
}

static void put_change_cell(rbuf_t *b, const report_night_t *nt, const char *attr, uint64_t v,
                            bool bad)
{
    report_put(b, bad && v ? "<td class=\"n worse\" " : "<td class=\"n\" ");
    report_put(b, attr);
    report_put(b, "=\"");
    if (nt->prev[0])
        put_u64(b, v);
    report_put(b, "\">");
    if (nt->prev[0])
        put_u64(b, v);
    else
        report_put(b, "&mdash;");
    report_put(b, "</td>");
}

static void nights_table(rbuf_t *b, const report_history_t *h)
{
    report_put(b, "<table id=\"history-table\">\n<tr><th>scan</th><th>started</th><th>domains"
                  "</th>");
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        report_put(b, "<th>");
        report_put(b, verify_status_name((verify_status_t)s));
        report_put(b, "</th>");
    }
    report_put(b, "<th>became bogus</th><th>got worse</th><th>fixed</th><th>rollovers</th>"
                  "</tr>\n");
    for (size_t i = h->n; i-- > 0;) {
        const report_night_t *nt = &h->nights[i];
        char t[RESULTS_TIME_BUFSZ];
        report_put(b, "<tr data-night=\"");
        results_html_text(b, nt->name);
        report_put(b, "\"><td>");
        results_html_text(b, nt->name);
        report_put(b, "</td><td>");
        report_put(b, results_format_time(nt->started_at, t));
        report_put(b, "</td><td class=\"n\">");
        put_u64(b, nt->total);
        report_put(b, "</td>");
        for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
            report_put(b, "<td class=\"n\">");
            put_u64(b, nt->counts[s]);
            report_put(b, "</td>");
        }
        put_change_cell(b, nt, "data-became-bogus", nt->became_bogus, true);
        put_change_cell(b, nt, "data-got-worse", nt->got_worse, true);
        put_change_cell(b, nt, "data-fixed", nt->fixed, false);
        put_change_cell(b, nt, "data-keys-changed", nt->keys_changed, false);
        report_put(b, "</tr>\n");
    }
    report_put(b, "</table>\n");
}

static void rollovers(rbuf_t *b, const report_history_t *h)
{
    report_put(b, "<h2 id=\"history-rollovers\">Rollovers</h2>\n<p class=\"note\">Domains "
                  "whose DS or DNSKEY set changed while their status stayed the same "
                  "(keys_changed), in each scan compared with the one before: ");
    put_u64(b, h->n_rolled);
    report_put(b, " in these scans.");
    if (h->n_rolled > h->rolled_listed) {
        report_put(b, " The first ");
        put_u64(b, h->rolled_listed);
        report_put(b, " are listed; <code>dnssweep diff</code> lists all.");
    }
    report_put(b, "</p>\n");
    if (!h->n_rolled)
        return;
    report_put(b, "<table id=\"rollover-table\"");
    put_attr_u64(b, "data-count", h->n_rolled);
    report_put(b, ">\n<tr><th>domain</th><th>old status</th><th>new status</th><th>old reasons"
                  "</th><th>new reasons</th><th>old keys</th><th>new keys</th></tr>\n");
    rbuf_put(b, h->rolled.data, h->rolled.len);
    report_put(b, "</table>\n");
}

void report_history_render(rbuf_t *b, const report_history_t *h)
{
    report_put(b, "<h2 id=\"history\">The last ");
    put_u64(b, h->n);
    report_put(b, h->n == 1 ? " finished scan" : " finished scans");
    report_put(b, "</h2>\n<p class=\"note\">Domains per status in each scan (bars) and the "
                  "domains that became bogus since the scan before it (line).</p>\n");
    if (!h->n) {
        report_put(b, "<p>No finished scan yet.</p>\n");
        return;
    }
    trend_chart(b, h);
    nights_table(b, h);
    rollovers(b, h);
}
