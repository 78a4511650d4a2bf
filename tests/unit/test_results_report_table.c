/* The report's domain table under its byte budget: worst first whatever the input order, whole
 * rows only, valid JSON, the left-out rows counted; script-safe escaping. */
#include "results/internal.h"
#include "tests/tap.h"

#include <stdlib.h>
#include <string.h>

static char *render(results_report_data_t *r)
{
    results_buf_t b = {0};
    results_report_table_render(&b, r);
    results_buf_byte(&b, 0);
    return b.failed ? NULL : (char *)b.data;
}

static void add(results_report_data_t *r, const char *domain, verify_status_t status,
                const char *detail)
{
    results_reason_t reason = {VERIFY_REASON_RRSIG_EXPIRED, NULL, NULL, detail};
    results_record_t rec = {
        .domain = domain, .status = status, .n_reasons = detail ? 1 : 0, .reasons = &reason};
    r->n_nonsecure++;
    results_report_table_add(r, &rec, results_report_tier(&rec));
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, needle)); p++)
        n++;
    return n;
}

int main(void)
{
    results_report_data_t *r = calloc(1, sizeof *r);
    r->table_budget = 1000;
    char name[64];
    /* insecure first in the input, bogus last: the page must still list the bogus first */
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "ins%02d.test", i);
        add(r, name, VERIFY_STATUS_INSECURE, NULL);
    }
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "bog%02d.test", i);
        add(r, name, VERIFY_STATUS_BOGUS, "expired");
    }
    add(r, "lame.test", VERIFY_STATUS_LAME, NULL);
    char *s = render(r);
    ok(s != NULL, "rendered");
    is_int(count(s, "[\"bog"), 5, "every bogus row is listed");
    ok(strstr(s, "[\"bog04.test\"") < strstr(s, "[\"lame.test\"") &&
           strstr(s, "[\"lame.test\"") < strstr(s, "[\"ins00.test\""),
       "bogus, then lame, then insecure");
    int ins = count(s, "[\"ins");
    ok(ins > 0 && ins < 40, "insecure rows cut by the budget (%d of 40)", ins);
    char want[128];
    snprintf(want, sizeof want, "data-total=\"46\" data-listed=\"%d\"", 6 + ins);
    ok(strstr(s, want) != NULL, "table says %s", want);
    snprintf(want, sizeof want, "; %d more not shown", 40 - ins);
    ok(strstr(s, want) != NULL, "page says how many were left out");
    const char *data = strstr(s, "id=\"rows-data\">[\n");
    const char *end = data ? strstr(data, "\n]</script>") : NULL;
    ok(data && end && end[-1] == ']', "the last row closes the array (no trailing comma)");
    ok(s && strstr(s, "Worst first: bogus (5), lame (1), indeterminate (0), nxdomain (0), "
                      "insecure with findings (0), insecure (40)."),
       "group counts");
    free(s);
    for (int t = 0; t < REPORT_TIERS; t++)
        results_buf_free(&r->rows[t]);
    memset(r, 0, sizeof *r);

    r->table_budget = REPORT_TABLE_BYTES;
    char longdetail[1000];
    memset(longdetail, 'x', sizeof longdetail - 1);
    longdetail[sizeof longdetail - 1] = '\0';
    longdetail[299] = '\xc3'; /* a two-byte character cut in the middle at 300 */
    longdetail[300] = '\xa9';
    add(r, "long.test", VERIFY_STATUS_BOGUS, longdetail);
    add(r, "evil.test", VERIFY_STATUS_BOGUS, "</script><!-- \"\\ \n");
    s = render(r);
    ok(s && strstr(s, "\\u003c/script\\u003e\\u003c!-- \\\"\\\\ \\u000a\""),
       "detail escaped for a script block");
    is_int(count(s, "</script"), 2, "no early </script>");
    ok(s && strstr(s, "xxxxxx\\u2026\""), "long detail cut with an ellipsis");
    ok(s && !strstr(s, "\xc3\\u2026"), "no half character at the cut");
    free(s);
    for (int t = 0; t < REPORT_TIERS; t++)
        results_buf_free(&r->rows[t]);
    memset(r, 0, sizeof *r);
    s = render(r);
    ok(s && strstr(s, "Every domain is secure.") && !strstr(s, "<script"), "no table when none");
    free(s);
    free(r);
    return tap_done();
}
