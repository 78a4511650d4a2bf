/*
 * HTML output shared by `diff --format html` and `report`: escaping, the page frame, and the
 * diff page. Pages are self-contained (inline CSS, no scripts, nothing fetched) so they can be
 * mailed or archived as one file.
 */
#include "results/internal.h"

#include <string.h>

static const struct {
    unsigned char c;
    const char *entity;
} entities[] = {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}};

const char *results_xml_entity(unsigned char c)
{
    for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
        if (entities[i].c == c)
            return entities[i].entity;
    return NULL;
}

void results_html_text(results_buf_t *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        const char *entity = results_xml_entity(*p);
        if (entity)
            results_buf_str(b, entity);
        /* Control characters have no business in a page; tabs and newlines stay. */
        else if (*p >= 0x20 || *p == '\t' || *p == '\n')
            results_buf_byte(b, *p);
    }
}

void results_html_page_start(results_buf_t *b, const char *title)
{
    results_buf_str(
        b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    results_html_text(b, title);
    results_buf_str(
        b, "</title>\n<style>\n"
           "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
           "table{border-collapse:collapse;margin:1em 0}\n"
           "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;"
           "vertical-align:top}\n"
           "th{background:#f0f0f0}td.n{text-align:right}\n"
           ".s-secure{color:#2e7d32}.s-insecure{color:#616161}.s-bogus{color:#c62828;"
           "font-weight:bold}\n"
           ".s-indeterminate{color:#f9a825}.s-lame{color:#6a1b9a}.s-nxdomain{color:#455a64}\n"
           ".note{color:#666}\n"
           "</style>\n</head>\n<body>\n<h1>");
    results_html_text(b, title);
    results_buf_str(b, "</h1>\n");
}

void results_html_page_end(results_buf_t *b)
{
    results_buf_str(b, "</body>\n</html>\n");
}

/* <tag class="s-STATUS">STATUS</tag>, or an em dash for NULL. */
static void results_html_status(results_buf_t *b, const char *tag, const results_record_t *r)
{
    const char *name = r ? verify_status_name(r->status) : NULL;
    results_buf_byte(b, '<');
    results_buf_str(b, tag);
    if (name) {
        results_buf_str(b, " class=\"s-");
        results_buf_str(b, name);
        results_buf_str(b, "\">");
        results_buf_str(b, name);
    } else {
        results_buf_str(b, ">&mdash;");
    }
    results_buf_str(b, "</");
    results_buf_str(b, tag);
    results_buf_byte(b, '>');
}

/* One <td> of codes. */
static void results_html_codes(results_buf_t *b, const results_record_t *r)
{
    results_buf_str(b, "<td>");
    results_put_reason_names(b, r, "<br>");
    results_buf_str(b, "</td>");
}

/* "2371/13/2 SHA-256 digest" per DS and "41023/13/257" per DNSKEY, one per line. */
static void html_keys(results_buf_t *b, const results_record_t *r)
{
    results_buf_str(b, "<td class=\"keys\">");
    for (size_t i = 0; r && i < r->parent.n_ds; i++) {
        const results_ds_t *d = &r->parent.ds[i];
        results_buf_str(b, i ? "<br>DS " : "DS ");
        results_put_key_triple(b, d->key_tag, d->algorithm, d->digest_type);
    }
    for (size_t i = 0; r && i < r->n_dnskey; i++) {
        const results_dnskey_t *k = &r->dnskey[i];
        results_buf_str(b, i || r->parent.n_ds ? "<br>DNSKEY " : "DNSKEY ");
        results_put_key_triple(b, k->key_tag, k->algorithm, k->flags);
    }
    results_buf_str(b, "</td>");
}

/* One row of a diff table: domain, old and new status and codes, and with keys the old and
 * new DS/DNSKEY sets (a keys_changed row). */
static void diff_row(results_buf_t *b, const char *tr, const char *domain,
                     const results_record_t *o, const results_record_t *n, bool keys)
{
    results_buf_str(b, tr);
    results_buf_str(b, "<td>");
    results_html_text(b, domain);
    results_buf_str(b, "</td>");
    results_html_status(b, "td", o);
    results_html_status(b, "td", n);
    results_html_codes(b, o);
    results_html_codes(b, n);
    if (keys) {
        html_keys(b, o);
        html_keys(b, n);
    }
    results_buf_str(b, "</tr>\n");
}

void results_html_diff_row(results_buf_t *b, const char *domain, const results_record_t *o,
                           const results_record_t *n)
{
    diff_row(b, "<tr>", domain, o, n, false);
}

void results_html_keys_row(results_buf_t *b, const char *domain, const results_record_t *o,
                           const results_record_t *n)
{
    diff_row(b, "<tr class=\"keys-changed\">", domain, o, n, true);
}

void results_html_diff_summary(results_buf_t *b, const results_diff_counts_t *c)
{
    uint64_t total = 0;
    results_buf_str(b, "<table>\n<tr><th>change</th><th>domains</th></tr>\n");
    for (int i = 0; i < RESULTS_CHANGE_COUNT; i++) {
        const char *name = results_change_name((results_change_t)i);
        results_buf_str(b, "<tr><td>");
        if (c->by_change[i] && i != RESULTS_CHANGE_UNCHANGED) {
            results_buf_str(b, "<a href=\"#");
            results_buf_str(b, name);
            results_buf_str(b, "\">");
            results_buf_str(b, name);
            results_buf_str(b, "</a>");
        } else {
            results_buf_str(b, name);
        }
        results_buf_str(b, "</td><td class=\"n\">");
        results_put_int(b, (int64_t)c->by_change[i]);
        results_buf_str(b, "</td></tr>\n");
        total += c->by_change[i];
    }
    results_buf_str(b, "<tr><th>total</th><td class=\"n\">");
    results_put_int(b, (int64_t)total);
    results_buf_str(b, "</td></tr>\n<tr><th>regressions</th><td class=\"n\">");
    results_put_int(b, (int64_t)c->regressions);
    results_buf_str(b, "</td></tr>\n</table>\n");
}

void results_html_diff_table_start(results_buf_t *b, const char *change, uint64_t count, bool keys)
{
    results_buf_str(b, "<h2 id=\"");
    results_buf_str(b, change);
    results_buf_str(b, "\">");
    results_buf_str(b, change);
    results_buf_str(b, " (");
    results_put_int(b, (int64_t)count);
    results_buf_str(b, ")</h2>\n<table>\n<tr><th>domain</th><th>old status</th><th>new status</th>"
                       "<th>old reasons</th><th>new reasons</th>");
    results_buf_str(b, keys ? "<th>old keys</th><th>new keys</th></tr>\n" : "</tr>\n");
}

int results_html_diff(FILE *out, const char *old_name, const char *new_name,
                      const results_diff_counts_t *c, results_buf_t sections[RESULTS_CHANGE_COUNT],
                      const char *notice)
{
    results_buf_t b = {0};
    char title[2 * RESULTS_SCAN_NAME_MAX + 32];
    snprintf(title, sizeof title, "dnssweep diff: %s \u2192 %s", old_name, new_name);
    results_html_page_start(&b, title);
    if (notice) {
        results_buf_str(&b, "<p class=\"modes-differ\"><strong>Warning:</strong> ");
        results_html_text(&b, notice);
        results_buf_str(&b, "</p>\n");
    }
    results_html_diff_summary(&b, c);
    int rc = RESULTS_OK;
    for (int i = 0; i < RESULTS_CHANGE_COUNT; i++) {
        if (!sections[i].len)
            continue;
        results_html_diff_table_start(&b, results_change_name((results_change_t)i), c->by_change[i],
                                      i == RESULTS_CHANGE_KEYS_CHANGED);
        results_buf_put(&b, sections[i].data, sections[i].len);
        results_buf_str(&b, "</table>\n");
        if (sections[i].failed)
            b.failed = true;
    }
    results_html_page_end(&b);
    if (b.failed)
        rc = RESULTS_ENOMEM;
    else if (fwrite(b.data, 1, b.len, out) != b.len)
        rc = RESULTS_EIO;
    results_buf_free(&b);
    return rc;
}
