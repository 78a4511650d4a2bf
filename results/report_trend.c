/*
 * The history part of the report (`report --history N`): a stacked-bar chart of the statuses
 * per scan with the domains that became bogus drawn as a line over it (inline SVG), the table
 * of scans with their changes, and the rollovers (keys_changed) of every scan. Every figure is
 * also a data- attribute, so scripts and tests read the numbers the chart draws.
 */
#include "results/internal.h"

#include <inttypes.h>
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

static void put_u64(results_buf_t *b, uint64_t v)
{
    results_put_int(b, (int64_t)v);
}

static void put_attr_u64(results_buf_t *b, const char *name, uint64_t v)
{
    results_buf_str(b, " ");
    results_buf_str(b, name);
    results_buf_printf(b, "=\"%" PRIu64 "\"", v);
}

static void put_num_attr(results_buf_t *b, const char *name, int64_t v)
{
    results_buf_str(b, " ");
    results_buf_str(b, name);
    results_buf_str(b, "=\"");
    results_put_int(b, v);
    results_buf_str(b, "\"");
}

static int64_t bar_x(size_t i)
{
    return TREND_LEFT + 12 + (int64_t)i * TREND_STEP;
}

/* One stacked bar: a <g class="night"> with the scan's figures, a <rect> per status. */
static void night_bar(results_buf_t *b, const results_report_night_t *nt, size_t i, uint64_t max)
{
    results_buf_str(b, "<g class=\"night\" data-night=\"");
    results_html_text(b, nt->name);
    results_buf_str(b, "\"");
    put_attr_u64(b, "data-total", nt->total);
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        char attr[40];
        snprintf(attr, sizeof attr, "data-%s", verify_status_name((verify_status_t)s));
        put_attr_u64(b, attr, nt->counts[s]);
    }
    results_buf_str(b, nt->prev[0] ? "" : " data-first=\"1\"");
    put_attr_u64(b, "data-became-bogus", nt->became_bogus);
    results_buf_str(b, "><title>");
    results_html_text(b, nt->name);
    results_buf_str(b, "</title>\n");
    int64_t base = TREND_TOP + TREND_HEIGHT;
    uint64_t below = 0;
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        if (!nt->counts[s])
            continue;
        int64_t y0 = base - (int64_t)(below * TREND_HEIGHT / max);
        below += nt->counts[s];
        int64_t y1 = base - (int64_t)(below * TREND_HEIGHT / max);
        results_buf_str(b, "<rect class=\"seg\" data-status=\"");
        results_buf_str(b, verify_status_name((verify_status_t)s));
        results_buf_str(b, "\"");
        put_attr_u64(b, "data-count", nt->counts[s]);
        put_num_attr(b, "x", bar_x(i));
        put_num_attr(b, "y", y1);
        put_num_attr(b, "width", TREND_BAR);
        put_num_attr(b, "height", y0 - y1 > 0 ? y0 - y1 : 1);
        results_buf_str(b, " fill=\"");
        results_buf_str(b, results_report_status_color(s));
        results_buf_str(b, "\"/>\n");
    }
    results_buf_str(b, "<text font-size=\"12\" text-anchor=\"middle\"");
    put_num_attr(b, "x", bar_x(i) + TREND_BAR / 2);
    put_num_attr(b, "y", base + 16);
    results_buf_str(b, ">");
    results_html_text(b, nt->name);
    results_buf_str(b, "</text>\n</g>\n");
}

/* The domains that became bogus, one point per scan compared with the one before, on their own
 * scale: the largest (max) reaches 60% of the plot's height, below the legend and the bars' tops.
 */
static void new_bogus_line(results_buf_t *b, const results_report_history_t *h, uint64_t max)
{
    int64_t base = TREND_TOP + TREND_HEIGHT;
    results_buf_str(b, "<polyline class=\"new-bogus\" fill=\"none\" stroke=\"#000\" "
                       "stroke-width=\"2\" points=\"");
    for (size_t i = 0; i < h->n; i++) {
        if (!h->nights[i].prev[0])
            continue;
        results_put_int(b, bar_x(i) + TREND_BAR / 2);
        results_buf_str(b, ",");
        results_put_int(b, base - (int64_t)(h->nights[i].became_bogus * LINE_HEIGHT / max));
        results_buf_str(b, " ");
    }
    results_buf_str(b, "\"/>\n");
    for (size_t i = 0; i < h->n; i++) {
        const results_report_night_t *nt = &h->nights[i];
        if (!nt->prev[0])
            continue;
        int64_t y = base - (int64_t)(nt->became_bogus * LINE_HEIGHT / max);
        results_buf_str(b, "<circle class=\"new-bogus-point\" r=\"4\" fill=\"#000\"");
        put_num_attr(b, "cx", bar_x(i) + TREND_BAR / 2);
        put_num_attr(b, "cy", y);
        results_buf_str(b, "/><text font-size=\"12\" font-weight=\"bold\" fill=\"#000\" "
                           "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"");
        put_num_attr(b, "x", bar_x(i) + TREND_BAR / 2 + 6);
        put_num_attr(b, "y", y - 6);
        results_buf_printf(b, ">+%" PRIu64 "</text>\n", nt->became_bogus);
    }
}

static void legend(results_buf_t *b)
{
    int64_t x = TREND_LEFT;
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        const char *name = verify_status_name((verify_status_t)s);
        results_buf_str(b, "<rect width=\"10\" height=\"10\" y=\"6\"");
        put_num_attr(b, "x", x);
        results_buf_str(b, " fill=\"");
        results_buf_str(b, results_report_status_color(s));
        results_buf_str(b, "\"/><text font-size=\"12\" y=\"15\"");
        put_num_attr(b, "x", x + 14);
        results_buf_str(b, ">");
        results_buf_str(b, name);
        results_buf_str(b, "</text>\n");
        x += 24 + (int64_t)strlen(name) * 7;
    }
    results_buf_str(b, "<line y1=\"11\" y2=\"11\" stroke=\"#000\" stroke-width=\"2\"");
    put_num_attr(b, "x1", x);
    put_num_attr(b, "x2", x + 16);
    results_buf_str(b, "/><text font-size=\"12\" y=\"15\"");
    put_num_attr(b, "x", x + 20);
    results_buf_str(b, ">became bogus</text>\n");
}

/* The tops of the chart's two scales: the largest total and the largest became_bogus of the
 * scans, at least 1 each. */
typedef struct scales {
    uint64_t total, became_bogus;
} scales_t;

static scales_t chart_scales(const results_report_history_t *h)
{
    scales_t top = {1, 1};
    for (size_t i = 0; i < h->n; i++) {
        const results_report_night_t *nt = &h->nights[i];
        if (nt->total > top.total)
            top.total = nt->total;
        if (nt->became_bogus > top.became_bogus)
            top.became_bogus = nt->became_bogus;
    }
    return top;
}

static void trend_chart(results_buf_t *b, const results_report_history_t *h)
{
    scales_t top = chart_scales(h);
    uint64_t max = top.total;
    int64_t width = bar_x(h->n) + 20;
    if (width < 640)
        width = 640;
    results_buf_str(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"trend\"");
    put_num_attr(b, "width", width);
    put_num_attr(b, "height", TREND_TOP + TREND_HEIGHT + TREND_BOTTOM);
    put_attr_u64(b, "data-scans", h->n);
    results_buf_str(b,
                    " role=\"img\" aria-label=\"domains per status and domains that became bogus, "
                    "per scan\">\n");
    legend(b);
    /* The left axis: 0 and the largest scan's domains. */
    int64_t base = TREND_TOP + TREND_HEIGHT;
    results_buf_str(b, "<line stroke=\"#999\"");
    put_num_attr(b, "x1", TREND_LEFT);
    put_num_attr(b, "x2", TREND_LEFT);
    put_num_attr(b, "y1", TREND_TOP);
    put_num_attr(b, "y2", base);
    results_buf_str(b, "/><text font-size=\"12\" text-anchor=\"end\"");
    put_num_attr(b, "x", TREND_LEFT - 4);
    put_num_attr(b, "y", TREND_TOP + 10);
    results_buf_printf(b, ">%" PRIu64 "</text><text font-size=\"12\" text-anchor=\"end\"", max);
    put_num_attr(b, "x", TREND_LEFT - 4);
    put_num_attr(b, "y", base);
    results_buf_str(b, ">0</text>\n");
    for (size_t i = 0; i < h->n; i++)
        night_bar(b, &h->nights[i], i, max);
    new_bogus_line(b, h, top.became_bogus);
    results_buf_str(b, "</svg>\n");
}

static void put_change_cell(results_buf_t *b, const results_report_night_t *nt, const char *attr,
                            uint64_t v, bool bad)
{
    results_buf_str(b, bad && v ? "<td class=\"n worse\" " : "<td class=\"n\" ");
    results_buf_str(b, attr);
    results_buf_str(b, "=\"");
    if (nt->prev[0])
        put_u64(b, v);
    results_buf_str(b, "\">");
    if (nt->prev[0])
        put_u64(b, v);
    else
        results_buf_str(b, "&mdash;");
    results_buf_str(b, "</td>");
}

static void nights_table(results_buf_t *b, const results_report_history_t *h)
{
    results_buf_str(b, "<table id=\"history-table\">\n<tr><th>scan</th><th>started</th><th>domains"
                       "</th>");
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
        results_buf_str(b, "<th>");
        results_buf_str(b, verify_status_name((verify_status_t)s));
        results_buf_str(b, "</th>");
    }
    results_buf_str(b, "<th>became bogus</th><th>got worse</th><th>fixed</th><th>rollovers</th>"
                       "</tr>\n");
    for (size_t i = h->n; i-- > 0;) {
        const results_report_night_t *nt = &h->nights[i];
        char t[RESULTS_TIME_BUFSZ];
        results_buf_str(b, "<tr data-night=\"");
        results_html_text(b, nt->name);
        results_buf_str(b, "\"><td>");
        results_html_text(b, nt->name);
        results_buf_str(b, "</td><td>");
        results_buf_str(b, results_format_time(nt->started_at, t));
        results_buf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td>", nt->total);
        for (int s = 0; s < VERIFY_STATUS_COUNT; s++) {
            results_buf_printf(b, "<td class=\"n\">%" PRIu64 "</td>", (uint64_t)nt->counts[s]);
        }
        put_change_cell(b, nt, "data-became-bogus", nt->became_bogus, true);
        put_change_cell(b, nt, "data-got-worse", nt->got_worse, true);
        put_change_cell(b, nt, "data-fixed", nt->fixed, false);
        put_change_cell(b, nt, "data-keys-changed", nt->keys_changed, false);
        results_buf_str(b, "</tr>\n");
    }
    results_buf_str(b, "</table>\n");
}

static void rollovers(results_buf_t *b, const results_report_history_t *h)
{
    results_buf_printf(b,
                       "<h2 id=\"history-rollovers\">Rollovers</h2>\n<p class=\"note\">Domains "
                       "whose DS or DNSKEY set changed while their status stayed the same "
                       "(keys_changed), in each scan compared with the one before: %" PRIu64
                       " in these scans.",
                       h->n_rolled);
    if (h->n_rolled > h->rolled_listed) {
        results_buf_printf(
            b, " The first %" PRIu64 " are listed; <code>dnssweep diff</code> lists all.",
            h->rolled_listed);
    }
    results_buf_str(b, "</p>\n");
    if (!h->n_rolled)
        return;
    results_buf_str(b, "<table id=\"rollover-table\"");
    put_attr_u64(b, "data-count", h->n_rolled);
    results_buf_str(b, ">\n<tr><th>domain</th><th>old status</th><th>new status</th><th>old reasons"
                       "</th><th>new reasons</th><th>old keys</th><th>new keys</th></tr>\n");
    results_buf_put(b, h->rolled.data, h->rolled.len);
    results_buf_str(b, "</table>\n");
}

void results_report_history_render(results_buf_t *b, const results_report_history_t *h)
{
    results_buf_printf(b, "<h2 id=\"history\">The last %" PRIu64, h->n);
    results_buf_str(b, h->n == 1 ? " finished scan" : " finished scans");
    results_buf_str(b, "</h2>\n<p class=\"note\">Domains per status in each scan (bars) and the "
                       "domains that became bogus since the scan before it (line).</p>\n");
    if (!h->n) {
        results_buf_str(b, "<p>No finished scan yet.</p>\n");
        return;
    }
    trend_chart(b, h);
    nights_table(b, h);
    rollovers(b, h);
}
