/*
 * The report's table of every non-secure domain: rows are kept as JSON arrays in worst-first
 * groups (bogus, lame, indeterminate, nxdomain, insecure with findings, insecure) and put in the
 * page as data; a small script filters, sorts and pages them, so a page about a million domains
 * opens quickly. The rows carried are bounded by r->table_budget (REPORT_TABLE_BYTES) (worst
 * first); the page says how many were left out.
 */
#include "results/internal.h"

#include <string.h>

/* Longest reason detail carried per reason: details are for people, the store has the rest. */
#define DETAIL_MAX 300

/* A JavaScript string literal that is also safe inside <script>: besides the JSON escapes, '<',
 * '>' and '&' are escaped so that no "</script>" or comment opener can appear. */
static void js_str(results_buf_t *b, const char *s, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    results_buf_byte(b, '"');
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && n < max; p++, n++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            results_buf_byte(b, '\\');
            results_buf_byte(b, c);
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            results_buf_put(b, esc, sizeof esc);
        } else {
            results_buf_byte(b, c);
        }
    }
    /* Do not leave half a UTF-8 sequence at the cut. */
    if (s && n == max && s[n]) {
        while (b->len && (b->data[b->len - 1] & 0xc0) == 0x80)
            b->len--;
        if (b->len && b->data[b->len - 1] >= 0xc0)
            b->len--;
        results_buf_str(b, "\\u2026");
    }
    results_buf_byte(b, '"');
}

void results_report_table_add(results_report_data_t *r, const results_record_t *rec, int tier)
{
    r->n_tier[tier]++;
    results_buf_t *b = &r->rows[tier];
    /* Rows of worse groups come first on the page: once they fill the budget, this group's
     * rows can never be shown, so they are not kept (memory stays ~2 budgets). */
    size_t before = 0;
    for (int t = 0; t <= tier; t++)
        before += r->rows[t].len;
    if (before >= r->table_budget)
        return;
    r->kept_tier[tier]++;
    /* [domain, status, tier, codes, details, fix, parent] */
    results_buf_byte(b, '[');
    js_str(b, rec->domain, 255);
    results_buf_str(b, ",\"");
    results_buf_str(b, verify_status_name(rec->status));
    results_buf_str(b, "\",");
    results_put_int(b, tier);
    results_buf_str(b, ",\"");
    results_put_reason_names(b, rec, " ");
    results_buf_str(b, "\",[");
    for (size_t i = 0; i < rec->n_reasons; i++) {
        if (i)
            results_buf_byte(b, ',');
        js_str(b, rec->reasons[i].detail, DETAIL_MAX);
    }
    results_buf_str(b, "],");
    js_str(b,
           rec->fix         ? rec->fix
           : rec->n_reasons ? verify_reason_fix(rec->reasons[0].code)
                            : "",
           1000);
    results_buf_byte(b, ',');
    js_str(b, rec->parent.zone, 255);
    results_buf_str(b, "],\n");
}

static const char *const tier_names[REPORT_TIERS] = {
    "bogus", "lame", "indeterminate", "nxdomain", "insecure with findings", "insecure",
};

/* Filter, sort (click a header; again to reverse) and page; cells are text nodes only. */
static const char script[] =
    "(function(){\n"
    "var all=JSON.parse(document.getElementById('rows-data').textContent);\n"
    "var tb=document.querySelector('#domains tbody'),q=document.getElementById('q');\n"
    "var info=document.getElementById('pageinfo'),PAGE=100,page=0,key=-1,dir=1,view=all;\n"
    "function txt(r){return (r[0]+' '+r[1]+' '+r[3]+' '+r[4].join(' ')+' '+r[5]+' '+r[6])"
    ".toLowerCase();}\n"
    "function apply(){var s=q.value.trim().toLowerCase();\n"
    " view=s?all.filter(function(r){return txt(r).indexOf(s)>=0;}):all.slice();\n"
    " if(key>=0)view.sort(function(a,b){var x=key==1?a[2]:a[key],y=key==1?b[2]:b[key];"
    "return (x<y?-1:x>y?1:0)*dir;});\n"
    " page=0;draw();}\n"
    "function cell(tr,t,c){var td=document.createElement('td');td.textContent=t;"
    "if(c)td.className=c;tr.appendChild(td);return td;}\n"
    "function draw(){tb.textContent='';var n=view.length,pages=Math.max(1,Math.ceil(n/PAGE));\n"
    " if(page>=pages)page=pages-1;\n"
    " view.slice(page*PAGE,page*PAGE+PAGE).forEach(function(r){var "
    "tr=document.createElement('tr');\n"
    "  cell(tr,r[0]);cell(tr,r[1],'s-'+r[1]);var td=cell(tr,'');\n"
    "  r[3].split(' ').forEach(function(c,i){if(!c)return;if(i)td.appendChild("
    "document.createElement('br'));var b=document.createElement('b');b.textContent=c;"
    "td.appendChild(b);if(r[4][i])td.appendChild(document.createTextNode(': '+r[4][i]));});\n"
    "  cell(tr,r[5]);cell(tr,r[6]);tb.appendChild(tr);});\n"
    " info.textContent=n+' matching, page '+(page+1)+' of '+pages;\n"
    " document.getElementById('domains').setAttribute('data-matching',n);}\n"
    "document.querySelectorAll('#domains th').forEach(function(th){th.addEventListener('click',"
    "function(){var k=+th.getAttribute('data-k');dir=(key==k)?-dir:1;key=k;apply();});});\n"
    "q.addEventListener('input',apply);\n"
    "document.getElementById('prev').addEventListener('click',function(){if(page>0){page--;"
    "draw();}});\n"
    "document.getElementById('next').addEventListener('click',function(){if((page+1)*PAGE<"
    "view.length){page++;draw();}});\n"
    "draw();})();\n";

/* How many bytes (whole rows) and rows of each group fit the budget, worst group first. */
static uint64_t fit_budget(const results_report_data_t *r, size_t bytes[REPORT_TIERS])
{
    size_t left = r->table_budget;
    uint64_t listed = 0;
    for (int t = 0; t < REPORT_TIERS; t++) {
        const results_buf_t *rows = &r->rows[t];
        size_t n = rows->len <= left ? rows->len : left;
        while (n > 0 && rows->data[n - 1] != '\n')
            n--;
        bytes[t] = n;
        left -= n;
        if (n == rows->len) {
            listed += r->kept_tier[t];
        } else {
            for (size_t i = 0; i < n; i++)
                listed += rows->data[i] == '\n';
        }
    }
    return listed;
}

void results_report_table_render(results_buf_t *b, const results_report_data_t *r)
{
    size_t bytes[REPORT_TIERS];
    uint64_t listed = fit_budget(r, bytes);
    results_buf_str(b, "<h2 id=\"nonsecure\">Domains that are not secure (");
    results_put_int(b, (int64_t)r->n_nonsecure);
    results_buf_str(b, ")</h2>\n<p class=\"note\">Worst first:");
    for (int t = 0; t < REPORT_TIERS; t++) {
        results_buf_str(b, t ? ", " : " ");
        results_buf_str(b, tier_names[t]);
        results_buf_str(b, " (");
        results_put_int(b, (int64_t)r->n_tier[t]);
        results_buf_str(b, ")");
    }
    results_buf_str(b, ". Type to filter by domain, status, code or text; click a column to sort.");
    if (listed < r->n_nonsecure) {
        results_buf_str(b, " The page carries the worst ");
        results_put_int(b, (int64_t)listed);
        results_buf_str(b, "; ");
        results_put_int(b, (int64_t)(r->n_nonsecure - listed));
        results_buf_str(b, " more not shown: use <code>dnssweep export</code> for the full list.");
    }
    results_buf_str(b, "</p>\n");
    if (!r->n_nonsecure) {
        results_buf_str(b, "<p>Every domain is secure.</p>\n");
        return;
    }
    results_buf_str(b,
                    "<div class=\"controls\"><input id=\"q\" type=\"search\" size=\"40\" "
                    "placeholder=\"filter\" aria-label=\"filter the table\"> <button id=\"prev\">"
                    "&larr;</button> <span id=\"pageinfo\"></span> <button id=\"next\">&rarr;"
                    "</button></div>\n<table id=\"domains\" data-total=\"");
    results_put_int(b, (int64_t)r->n_nonsecure);
    results_buf_str(b, "\" data-listed=\"");
    results_put_int(b, (int64_t)listed);
    results_buf_str(b,
                    "\">\n<thead><tr><th data-k=\"0\">domain</th><th data-k=\"1\">status</th>"
                    "<th data-k=\"3\">reasons</th><th data-k=\"5\">fix</th><th data-k=\"6\">"
                    "parent</th></tr></thead>\n<tbody></tbody>\n</table>\n<noscript><p>The table "
                    "needs JavaScript; <code>dnssweep export --format csv</code> has the same "
                    "rows.</p></noscript>\n<script type=\"application/json\" id=\"rows-data\">[\n");
    size_t start = b->len;
    for (int t = 0; t < REPORT_TIERS; t++)
        results_buf_put(b, r->rows[t].data, bytes[t]);
    /* The last row's ",\n" would make the array invalid JSON. */
    if (b->len > start && !b->failed)
        b->len -= 2;
    results_buf_str(b, "\n]</script>\n<script>\n");
    results_buf_str(b, script);
    results_buf_str(b, "</script>\n");
}
