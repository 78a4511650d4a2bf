/* HTML outputs: `diff --format html` and `report`: content, escaping, caps, balanced tags. */
#include "tests/tap.h"
#include "tests/unit/test_results_util.h"

static char *tmp_root;

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Balanced tags, checked by Python's HTML parser (void elements excepted). */
static int html_balanced(const char *html)
{
    char path[1100], cmd[2048];
    snprintf(path, sizeof path, "%s/page.html", tmp_root);
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    fputs(html, f);
    fclose(f);
    if (system("python3 -c pass >/dev/null 2>&1") != 0)
        return 1; /* nothing to check with */
    snprintf(cmd, sizeof cmd,
             "timeout 60 python3 -c '\n"
             "import sys\n"
             "from html.parser import HTMLParser\n"
             "class P(HTMLParser):\n"
             "    def __init__(s):\n"
             "        super().__init__(); s.stack = []\n"
             "    def handle_starttag(s, t, a):\n"
             "        if t not in (\"meta\", \"br\", \"input\"): s.stack.append(t)\n"
             "    def handle_endtag(s, t):\n"
             "        assert s.stack and s.stack.pop() == t, t\n"
             "p = P(); p.feed(open(sys.argv[1]).read()); p.close()\n"
             "assert not p.stack, p.stack\n"
             "' %s",
             path);
    return system(cmd) == 0;
}

static char *capture(int (*fn)(results_store_t *, const char *, const char *, FILE *),
                     results_store_t *st, const char *a, const char *b, int *rc)
{
    FILE *f = tmpfile();
    *rc = fn(st, a, b, f);
    char *s = slurp(f);
    fclose(f);
    return s;
}

static int report_plain(results_store_t *st, const char *scan, const char *against, FILE *f)
{
    return results_report(st, scan, against, 0, f);
}

/* --history 5, no --diff-against: compares with the finished scan before. */
static int report_history5(results_store_t *st, const char *scan, const char *against, FILE *f)
{
    (void)against;
    return results_report(st, scan, NULL, 5, f);
}

static int html_diff(results_store_t *st, const char *a, const char *b, FILE *f)
{
    return results_diff(st, a, b, RESULTS_FORMAT_HTML, false, f, NULL);
}

static void test_html(results_store_t *st)
{
    int rc;
    char *s = capture(html_diff, st, "old", "new", &rc);
    is_int(rc, 0, "diff html");
    ok(starts_with(s, "<!DOCTYPE html>\n"), "a complete page");
    ok(s && strstr(s, "<tr><td><a href=\"#became_bogus\">became_bogus</a></td>"
                      "<td class=\"n\">2</td></tr>"),
       "summary row links to its section");
    ok(s && strstr(s, "<tr><td>a.test</td><td class=\"s-secure\">secure</td>"
                      "<td class=\"s-bogus\">bogus</td><td></td>"
                      "<td>DS_NO_MATCHING_DNSKEY</td></tr>"),
       "a.test row");
    ok(s && strstr(s, "<td>f.test</td><td>&mdash;</td>"), "new domain has no old status");
    ok(s && !strstr(s, "h.test"), "unchanged not listed");
    ok(s && !strstr(s, "<script"), "no scripts");
    ok(html_balanced(s), "tags balance");
    free(s);

    s = capture(report_plain, st, "new", "old", &rc);
    is_int(rc, 0, "report of new against old");
    ok(s && strstr(s, "<svg ") && strstr(s, "id=\"chart-status\"") &&
           strstr(s, "aria-label=\"domains per status\""),
       "status chart");
    ok(s && strstr(s, "<g class=\"bar\" data-label=\"bogus\" data-count=\"3\">") &&
           strstr(s, ">bogus</text>") && strstr(s, ">3 (30.0%)</text>"),
       "bogus bar: 3 of 10 domains");
    ok(s && strstr(s, "<tr><td>NS_UNREACHABLE</td><td>error</td><td class=\"n\">22</td>"
                      "<td class=\"n\">2</td>"),
       "reason table: code, severity, EDE, domains");
    ok(s && strstr(s, "id=\"chart-reasons\"") &&
           strstr(s, "data-label=\"NS_UNREACHABLE\" data-count=\"2\""),
       "top reason codes chart");
    ok(s && strstr(s, "<h2 id=\"nonsecure\">Domains that are not secure (6)</h2>") &&
           strstr(s, "data-total=\"6\" data-listed=\"6\""),
       "6 non-secure domains, all listed");
    /* worst first: the bogus (a, e, i) before the lame (j, k) before the insecure (c) */
    const char *pa = s ? strstr(s, "[\"a.test\",\"bogus\",0,") : NULL;
    const char *pi = s ? strstr(s, "[\"i.test\",\"bogus\",0,") : NULL;
    const char *pj = s ? strstr(s, "[\"j.test\",\"lame\",1,") : NULL;
    const char *pc = s ? strstr(s, "[\"c.test\",\"insecure\",5,") : NULL;
    ok(pa && pi && pj && pc && pa < pi && pi < pj && pj < pc, "table rows worst first");
    ok(s && !strstr(s, "[\"b.test\""), "secure domains are not in the table");
    ok(s && strstr(s, "<h2 id=\"diff\">Compared with old</h2>") &&
           strstr(s, "<h2 id=\"regressions\">regressions (4)</h2>") && strstr(s, "fixed (1)"),
       "diff part: 4 regressions, 1 fixed");
    ok(s && strstr(s, "<td class=\"n worse\" data-old=\"secure\" data-new=\"bogus\">1</td>") &&
           strstr(s, "data-old=\"bogus\" data-new=\"secure\">1</td>") &&
           strstr(s, "data-old=\"insecure\" data-new=\"gone\">1</td>") &&
           strstr(s, "data-old=\"new\" data-new=\"secure\">1</td>"),
       "transitions: secure->bogus, bogus->secure, gone, new");
    ok(s && strstr(s, "id=\"chart-expiry\"") && strstr(s, "id=\"zone-table\""),
       "expiry chart and parent zones");
    ok(html_balanced(s), "report tags balance");
    free(s);

    s = capture(report_plain, st, "csv", NULL, &rc);
    is_int(rc, 0, "report of csv");
    ok(s && strstr(s, "<tr data-day=\"2026-12-08\" data-count=\"2\"><td>2026-12-08</td>"
                      "<td>2026-12-08T00:00:00Z</td><td class=\"n\">2</td><td><span "
                      "class=\"name\">example.com</span>, <span class=\"name\">q.test</span>"),
       "soonest expirations grouped by day: one row for the two domains of 2026-12-08");
    ok(s && strstr(s, "<h2>Needs attention</h2>") && !strstr(s, "id=\"history\""),
       "first screen without a comparison; no history part without --history");
    ok(s && strstr(s, "Replace the DS at the registrar with: example.com. 3600 IN DS"),
       "fix of the broken domain");
    ok(s && !strstr(s, "Compared with"), "no diff part without diff_against");
    ok(s && strstr(s, "id=\"chart-algorithms\"") && strstr(s, "id=\"chart-digests\""),
       "algorithm and digest charts");
    ok(s && strstr(s, "data-label=\"13 ECDSAP256SHA256\"") && strstr(s, "data-label=\"2 SHA-256\""),
       "the charts name algorithm 13 and digest type 2 by their mnemonics");
    free(s);

    s = capture(report_plain, st, "many", NULL, &rc);
    is_int(rc, 0, "report of many");
    ok(s && strstr(s, "Domains that are not secure (1005)</h2>") &&
           strstr(s, "data-total=\"1005\" data-listed=\"1005\"") && strstr(s, "m01004.test") &&
           !strstr(s, "more not shown"),
       "every non-secure domain is in the table data");
    ok(html_balanced(s), "many: tags balance");
    free(s);
    s = capture(report_plain, st, "esc", NULL, &rc);
    ok(s && strstr(s, "\\u003cscript\\u003e\\u0026\\\"'\"") && strstr(s, "\"a \\u003c b\""),
       "details and fixes escaped inside the script data");
    int scripts = 0;
    for (const char *p = s; p && (p = strstr(p, "<script")); p++)
        scripts++;
    int closers = 0;
    for (const char *p = s; p && (p = strstr(p, "</script")); p++)
        closers++;
    ok(scripts == 2 && closers == 2, "only the data and the page script (%d, %d)", scripts,
       closers);
    free(s);
    s = capture(report_plain, st, "old", NULL, &rc);
    /* old: b.test and e.test carry RRSIG_EXPIRED and no expiration time (only valid signatures
     * give one): both count as expired, in no other period. */
    ok(s && strstr(s, "<g class=\"bar\" data-label=\"expired\" data-count=\"2\">") &&
           strstr(s, "data-label=\"within 1 day\" data-count=\"0\"") &&
           strstr(s, "data-label=\"later\" data-count=\"0\""),
       "RRSIG_EXPIRED domains count as expired, once");
    free(s);
    s = capture(report_history5, st, "new", NULL, &rc);
    is_int(rc, 0, "report of new with --history 5");
    ok(s && strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"trend\"") &&
           strstr(s, "data-scans=\"2\""),
       "trend chart of the two finished scans up to new (old, new)");
    ok(s &&
           strstr(s, "<g class=\"night\" data-night=\"new\" data-total=\"10\" data-secure=\"4\"") &&
           strstr(s, "data-bogus=\"3\"") && strstr(s, "data-became-bogus=\"2\">"),
       "new: 10 domains, 4 secure, 3 bogus, 2 became bogus");
    ok(s && strstr(s, "<g class=\"night\" data-night=\"old\"") && strstr(s, "data-first=\"1\""),
       "old: nothing before it to compare with");
    ok(s && strstr(s, "<h2>Since old</h2>") && strstr(s, "<h2 id=\"diff\">Compared with old</h2>"),
       "the first screen and the diff part compare with the scan before");
    ok(s && strstr(s, "<ul id=\"since\" data-became-bogus=\"2\" data-got-worse=\"2\" "
                      "data-fixed=\"1\""),
       "since old: 2 became bogus, 2 got worse, 1 fixed");
    /* got worse: a (DS_NO_MATCHING_DNSKEY), c (no code), i (DS_ZONE_UNSIGNED), k (NS_UNREACHABLE)
     */
    ok(s && strstr(s, "<tr data-code=\"DS_NO_MATCHING_DNSKEY\" data-count=\"1\">") &&
           strstr(s, "<tr data-code=\"DS_ZONE_UNSIGNED\" data-count=\"1\">") &&
           strstr(s, "<tr data-code=\"NS_UNREACHABLE\" data-count=\"1\"><td>NS_UNREACHABLE</td>"
                     "<td class=\"n\">1</td><td class=\"fix\">") &&
           !strstr(s, "<tr data-code=\"RRSIG_INVALID\""),
       "what to do: the codes of the domains that got worse, with their fix, and no other");
    ok(s && strstr(s, "<tr data-night=\"new\"><td>new</td>") &&
           strstr(s, "data-became-bogus=\"2\">2</td>"),
       "table of scans");
    ok(html_balanced(s), "history report tags balance");
    free(s);
    /* 25 expirations 12 h apart from 2026-12-08T00:00Z, stored latest first: the table keeps
     * the 10 earliest days (two domains each) and drops the days pushed out. */
    results_scan_t *scan = NULL;
    is_int(results_scan_begin(st, "days", NULL, NULL, &scan), 0, "scan days");
    for (int k = 24; k >= 0; k--) {
        char d[32];
        snprintf(d, sizeof d, "d%02d.test", k);
        results_record_t r = {.domain = d, .status = VERIFY_STATUS_SECURE};
        r.rrsig_earliest_expiration = 1796688000 + (int64_t)k * 43200;
        results_put(scan, &r);
    }
    results_scan_finish(scan, NULL);
    s = capture(report_plain, st, "days", NULL, &rc);
    int day_rows = 0, twos = 0;
    for (const char *p = s; p && (p = strstr(p, "<tr data-day=\"")); p++) {
        day_rows++;
        twos += strncmp(p + strlen("<tr data-day=\"2026-12-08\""), " data-count=\"2\"", 15) == 0;
    }
    ok(day_rows == 10 && twos == 10 && strstr(s, "<tr data-day=\"2026-12-08\"") &&
           strstr(s, "<tr data-day=\"2026-12-17\"") && !strstr(s, "data-day=\"2026-12-18\""),
       "soonest days: the 10 earliest, 2 domains each (%d rows, %d of 2)", day_rows, twos);
    free(s);
    s = capture(report_plain, st, "nope", NULL, &rc);
    is_int(rc, RESULTS_ENOTFOUND, "report of an unknown scan");
    free(s);
}

int main(void)
{
    alarm(120);
    tmp_root = make_tmpdir();
    if (!tmp_root)
        return 1;
    results_store_t *st = make_sample_store(tmp_root);
    ok(st != NULL, "test store built");
    if (st) {
        test_html(st);
        results_close(st);
    }
    rm_tree(tmp_root);
    free(tmp_root);
    return tap_done();
}
