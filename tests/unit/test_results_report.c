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
             "        if t not in (\"meta\", \"br\"): s.stack.append(t)\n"
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

    s = capture(results_report, st, "new", "old", &rc);
    is_int(rc, 0, "report of new against old");
    ok(s && strstr(s, "<svg ") && strstr(s, "aria-label=\"domains per status\""), "status chart");
    ok(s && strstr(s, ">bogus</text>") && strstr(s, ">3 (30.0%)</text>"),
       "bogus bar: 3 of 10 domains");
    ok(s && strstr(s, "<tr><td>NS_UNREACHABLE</td><td>error</td><td class=\"n\">22</td>"
                      "<td class=\"n\">2</td>"),
       "reason table: code, severity, EDE, domains");
    ok(s && strstr(s, "<h2>Broken domains (5)</h2>"), "5 broken domains");
    ok(s && strstr(s, "<h2>Compared with old</h2>") &&
           strstr(s, "<h2 id=\"regressions\">regressions (4)</h2>") && strstr(s, "fixed (1)"),
       "diff part: 4 regressions, 1 fixed");
    ok(html_balanced(s), "report tags balance");
    free(s);

    s = capture(results_report, st, "csv", NULL, &rc);
    is_int(rc, 0, "report of csv");
    ok(s && strstr(s, "<tr><td>example.com</td><td>2026-12-08T00:00:00Z</td></tr>"),
       "soonest expirations");
    ok(s && strstr(s, "Replace the DS at the registrar with: example.com. 3600 IN DS"),
       "fix of the broken domain");
    ok(s && !strstr(s, "Compared with"), "no diff part without diff_against");
    free(s);

    s = capture(results_report, st, "many", NULL, &rc);
    is_int(rc, 0, "report of many");
    ok(s && strstr(s, "<h2>Broken domains (1005)</h2>") && strstr(s, ">5 more not shown") &&
           strstr(s, "m00999.test") && !strstr(s, "m01000.test"),
       "table capped at RESULTS_REPORT_ROWS, the rest counted");
    free(s);
    s = capture(results_report, st, "esc", NULL, &rc);
    ok(s && strstr(s, "RRSIG_INVALID: &lt;script&gt;&amp;&quot;&#39;</td><td>a &lt; b</td>") &&
           !strstr(s, "<script"),
       "HTML escaping of details and fixes");
    free(s);
    s = capture(results_report, st, "nope", NULL, &rc);
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
