/* diff's keys_changed: a DS or DNSKEY set that changed while the status stayed (a rollover) is
 * seen in text, JSONL, HTML and the report; a status change wins over it, it wins over a change
 * of reason codes, the order keys arrive in and the case of a digest do not count, and it is
 * never a regression. */
#include "results/internal.h"
#include "tests/tap.h"
#include "tests/unit/test_results_util.h"

#define D1 "1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "2222222222222222222222222222222222222222222222222222222222222222"
#define D2_LOWER "2222222222222222222222222222222222222222222222222222222222222222"
#define DA "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
#define DA_LOWER "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"

static const results_ds_t ds_old[] = {{1111, 13, 2, D1}};
static const results_ds_t ds_new[] = {{2222, 13, 2, D2}};
static const results_ds_t ds_both[] = {{1111, 13, 2, D1}, {2222, 13, 2, D2_LOWER}};
static const results_ds_t ds_upper[] = {{3333, 13, 2, DA}};
static const results_ds_t ds_lower[] = {{3333, 13, 2, DA_LOWER}};
/* KSK 1111 and ZSK 500 before; KSK 2222 and the same ZSK after. */
static const results_dnskey_t keys_old[] = {{1111, 13, 257, 256}, {500, 13, 256, 256}};
static const results_dnskey_t keys_new[] = {{2222, 13, 257, 256}, {500, 13, 256, 256}};
static const results_dnskey_t keys_new_zsk[] = {{1111, 13, 257, 256}, {501, 13, 256, 256}};
static const results_dnskey_t keys_swapped[] = {{500, 13, 256, 256}, {1111, 13, 257, 256}};

typedef struct side {
    verify_status_t status;
    verify_reason_code_t code; /* VERIFY_REASON_COUNT = none */
    const results_ds_t *ds;
    size_t n_ds;
    const results_dnskey_t *keys;
    size_t n_keys;
} side_t;

typedef struct domain_case {
    const char *domain;
    side_t old, new;
    results_change_t want;
} domain_case_t;

#define NONE VERIFY_REASON_COUNT
#define SEC VERIFY_STATUS_SECURE
#define K(a) a, sizeof a / sizeof a[0]
#define NO_KEYS NULL, 0

/* In domain order: the text and JSON outputs list them so. */
static const domain_case_t cases[] = {
    /* DS and DNSKEY rolled together (a KSK rollover done): keys_changed */
    {"ksk.test",
     {SEC, NONE, K(ds_old), K(keys_old)},
     {SEC, NONE, K(ds_new), K(keys_new)},
     RESULTS_CHANGE_KEYS_CHANGED},
    /* the same keys in another order, a digest in another case: unchanged */
    {"order.test",
     {SEC, NONE, K(ds_upper), K(keys_old)},
     {SEC, NONE, K(ds_lower), K(keys_swapped)},
     RESULTS_CHANGE_UNCHANGED},
    /* the keys rolled and a warning appeared: keys_changed wins over reasons_changed */
    {"reasonskeys.test",
     {SEC, NONE, K(ds_old), K(keys_old)},
     {SEC, VERIFY_REASON_RRSIG_EXPIRES_SOON, K(ds_old), K(keys_new_zsk)},
     RESULTS_CHANGE_KEYS_CHANGED},
    /* the same keys, another reason: reasons_changed */
    {"reasonsonly.test",
     {SEC, NONE, K(ds_old), K(keys_old)},
     {SEC, VERIFY_REASON_RRSIG_EXPIRES_SOON, K(ds_old), K(keys_old)},
     RESULTS_CHANGE_REASONS_CHANGED},
    /* a DS pre-published at the parent (double DS), the DNSKEYs as they were: keys_changed */
    {"rollds.test",
     {SEC, NONE, K(ds_old), K(keys_old)},
     {SEC, NONE, K(ds_both), K(keys_old)},
     RESULTS_CHANGE_KEYS_CHANGED},
    /* a rollover that broke the domain: the status change wins */
    {"rollfail.test",
     {SEC, NONE, K(ds_old), K(keys_old)},
     {VERIFY_STATUS_BOGUS, VERIFY_REASON_DS_NO_MATCHING_DNSKEY, K(ds_old), K(keys_new)},
     RESULTS_CHANGE_BECAME_BOGUS},
    /* a rollover that repaired it: fixed */
    {"rollfix.test",
     {VERIFY_STATUS_BOGUS, VERIFY_REASON_DS_NO_MATCHING_DNSKEY, K(ds_old), K(keys_new)},
     {SEC, NONE, K(ds_new), K(keys_new)},
     RESULTS_CHANGE_FIXED},
    /* an unsigned domain that started signing, no DS yet: still insecure, keys_changed */
    {"signing.test",
     {VERIFY_STATUS_INSECURE, NONE, NO_KEYS, NO_KEYS},
     {VERIFY_STATUS_INSECURE, VERIFY_REASON_DNSKEY_WITHOUT_DS, NO_KEYS, K(keys_old)},
     RESULTS_CHANGE_KEYS_CHANGED},
    /* only the ZSK rolled: keys_changed */
    {"zsk.test",
     {SEC, NONE, K(ds_old), K(keys_old)},
     {SEC, NONE, K(ds_old), K(keys_new_zsk)},
     RESULTS_CHANGE_KEYS_CHANGED},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static int put_side(results_scan_t *scan, const char *domain, const side_t *s)
{
    results_reason_t reason = {s->code, NULL, "r", "d"};
    results_record_t r = {.domain = domain, .status = s->status, .scanned_at = 1795528992};
    if (s->code != NONE) {
        r.n_reasons = 1;
        r.reasons = &reason;
    }
    r.parent.zone = "test";
    r.parent.is_signed = true;
    r.parent.n_ds = s->n_ds;
    r.parent.ds = s->ds;
    r.parent.ds_ttl = s->n_ds ? 3600 : 0;
    r.n_dnskey = s->n_keys;
    r.dnskey = s->keys;
    r.fix = "a fix that a summary decode reads past";
    return results_put(scan, &r);
}

static results_store_t *make_store(const char *root)
{
    char dir[1024];
    results_store_t *st = NULL;
    results_scan_t *scan = NULL;
    snprintf(dir, sizeof dir, "%s/db", root);
    if (results_open(dir, 0, &st) != 0)
        return NULL;
    for (int night = 0; night < 2; night++) {
        int rc = results_scan_begin(st, night ? "night-2" : "night-1", NULL, NULL, &scan);
        for (size_t i = 0; i < N_CASES && rc == 0; i++)
            rc = put_side(scan, cases[i].domain, night ? &cases[i].new : &cases[i].old);
        if (rc != 0 || results_scan_finish(scan, NULL) != 0) {
            results_close(st);
            return NULL;
        }
    }
    return st;
}

/* Each domain's change as the walk sees it (the callback of report and diff). */
static int record_change(void *ctx, const char *domain, const results_record_t *o,
                         const results_record_t *n, results_change_t change)
{
    results_change_t *got = ctx;
    (void)o, (void)n;
    for (size_t i = 0; i < N_CASES; i++)
        if (strcmp(cases[i].domain, domain) == 0)
            got[i] = change;
    return 0;
}

static char *diff_of(results_store_t *st, results_format_t fmt, results_diff_counts_t *c)
{
    FILE *f = tmpfile();
    int rc = results_diff(st, "night-1", "night-2", fmt, false, f, c);
    char *s = rc == 0 ? slurp(f) : NULL;
    fclose(f);
    return s;
}

static void test_classification(results_store_t *st)
{
    results_change_t got[N_CASES];
    results_diff_counts_t c;
    for (size_t i = 0; i < N_CASES; i++)
        got[i] = RESULTS_CHANGE_COUNT;
    is_int(results_diff_walk(st, "night-1", "night-2", true, record_change, got, &c), 0,
           "diff walk over two nights");
    for (size_t i = 0; i < N_CASES; i++)
        ok(got[i] == cases[i].want, "%s: %s (want %s)", cases[i].domain,
           got[i] < RESULTS_CHANGE_COUNT ? results_change_name(got[i]) : "(not seen)",
           results_change_name(cases[i].want));
    is_int((int)c.by_change[RESULTS_CHANGE_KEYS_CHANGED], 5, "5 domains counted keys_changed");
    is_int((int)c.regressions, 1, "only the rollover that broke a domain is a regression");
    is_str(results_change_name(RESULTS_CHANGE_KEYS_CHANGED), "keys_changed", "change name");
}

static void test_text(results_store_t *st)
{
    results_diff_counts_t c;
    char *s = diff_of(st, RESULTS_FORMAT_TEXT, &c);
    ok(s && strstr(s, "\nstatus_changed            0\nkeys_changed              5\n"
                      "reasons_changed           1\n"),
       "text summary counts keys_changed between status_changed and reasons_changed");
    ok(s && strstr(s, "\n== keys_changed (5) ==\n"
                      "  ksk.test  secure -> secure  [] -> []\n"
                      "    DS [1111/13/2] -> [2222/13/2]  DNSKEY [1111/13/257 500/13/256] -> "
                      "[2222/13/257 500/13/256]\n"
                      "  reasonskeys.test  secure -> secure  [] -> [RRSIG_EXPIRES_SOON]\n"
                      "    DS [1111/13/2] -> [1111/13/2]  DNSKEY [1111/13/257 500/13/256] -> "
                      "[1111/13/257 501/13/256]\n"
                      "  rollds.test  secure -> secure  [] -> []\n"
                      "    DS [1111/13/2] -> [1111/13/2 2222/13/2]  DNSKEY [1111/13/257 "
                      "500/13/256] -> [1111/13/257 500/13/256]\n"
                      "  signing.test  insecure -> insecure  [] -> [DNSKEY_WITHOUT_DS]\n"
                      "    DS [] -> []  DNSKEY [] -> [1111/13/257 500/13/256]\n"
                      "  zsk.test  secure -> secure  [] -> []\n"
                      "    DS [1111/13/2] -> [1111/13/2]  DNSKEY [1111/13/257 500/13/256] -> "
                      "[1111/13/257 501/13/256]\n\n== reasons_changed (1) ==\n"),
       "text: each keys_changed domain with its old and new DS and DNSKEY sets");
    ok(s && !strstr(s, "order.test"), "keys in another order are not a change");
    if (s && !strstr(s, "\n== keys_changed (5) ==\n  ksk.test"))
        printf("# got:\n%s", s);
    free(s);
}

static void test_jsonl(results_store_t *st)
{
    char *s = diff_of(st, RESULTS_FORMAT_JSONL, NULL);
    ok(s &&
           strstr(s, "{\"domain\":\"ksk.test\",\"old\":{\"status\":\"secure\",\"reasons\":[],"
                     "\"ds\":[{\"key_tag\":1111,\"algorithm\":13,\"digest_type\":2,\"digest\":\"" D1
                     "\"}],\"dnskey\":[{\"key_tag\":1111,\"algorithm\":13,\"flags\":257,\"bits\":"
                     "256},{\"key_tag\":500,\"algorithm\":13,\"flags\":256,\"bits\":256}]},"
                     "\"new\":{\"status\":\"secure\",\"reasons\":[],\"ds\":[{\"key_tag\":2222,"
                     "\"algorithm\":13,\"digest_type\":2,\"digest\":\"" D2
                     "\"}],\"dnskey\":[{\"key_tag\":2222,\"algorithm\":13,\"flags\":257,\"bits\":"
                     "256},{\"key_tag\":500,\"algorithm\":13,\"flags\":256,\"bits\":256}]},"
                     "\"change\":\"keys_changed\"}\n"),
       "jsonl: a keys_changed line carries both sides' DS and DNSKEY sets");
    ok(s && strstr(s, "{\"domain\":\"rollfail.test\",\"old\":{\"status\":\"secure\",\"reasons\":"
                      "[]},\"new\":{\"status\":\"bogus\",\"reasons\":[\"DS_NO_MATCHING_DNSKEY\"]},"
                      "\"change\":\"became_bogus\"}\n"),
       "jsonl: other changes keep the plain schema");
    ok(s && strstr(s, "{\"domain\":\"signing.test\",\"old\":{\"status\":\"insecure\",\"reasons\":"
                      "[],\"ds\":[],\"dnskey\":[]},"),
       "jsonl: an empty set is written as []");
    int lines = 0;
    for (const char *p = s; p && *p; p++)
        lines += *p == '\n';
    is_int(lines, 8, "jsonl: 8 changed domains (order.test unchanged)");
    free(s);
}

static int count_of(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_html(results_store_t *st)
{
    char *s = diff_of(st, RESULTS_FORMAT_HTML, NULL);
    ok(s && strstr(s, "<a href=\"#keys_changed\">keys_changed</a></td><td class=\"n\">5</td>"),
       "html summary links the keys_changed section");
    ok(s && strstr(s, "<h2 id=\"keys_changed\">keys_changed (5)</h2>\n<table>\n<tr><th>domain"
                      "</th><th>old status</th><th>new status</th><th>old reasons</th><th>new "
                      "reasons</th><th>old keys</th><th>new keys</th></tr>\n"),
       "html keys_changed table has old and new keys columns");
    ok(s && strstr(s, "<tr class=\"keys-changed\"><td>ksk.test</td><td class=\"s-secure\">secure"
                      "</td><td class=\"s-secure\">secure</td><td></td><td></td><td class=\"keys"
                      "\">DS 1111/13/2<br>DNSKEY 1111/13/257<br>DNSKEY 500/13/256</td><td class="
                      "\"keys\">DS 2222/13/2<br>DNSKEY 2222/13/257<br>DNSKEY 500/13/256</td></tr>"),
       "html row of ksk.test shows what rolled");
    is_int(count_of(s, "<tr class=\"keys-changed\">"), 5, "html: 5 keys_changed rows");
    free(s);

    FILE *f = tmpfile();
    is_int(results_report(st, "night-2", "night-1", 0, f), 0, "report --diff-against");
    s = slurp(f);
    fclose(f);
    ok(s && strstr(s, "<h2 id=\"rollovers\">rollovers (5)</h2>"), "report: a rollovers section");
    is_int(count_of(s, "<tr class=\"keys-changed\">"), 5, "report: 5 rollover rows");
    ok(s && strstr(s, "<tr class=\"keys-changed\"><td>zsk.test</td>"), "report lists zsk.test");
    ok(s && strstr(s, "keys_changed</a></td><td class=\"n\">5</td>"),
       "report diff summary counts keys_changed");
    free(s);
}

int main(void)
{
    char *root = make_tmpdir();
    results_store_t *st = root ? make_store(root) : NULL;
    ok(st != NULL, "store with two nights");
    if (st) {
        test_classification(st);
        test_text(st);
        test_jsonl(st);
        test_html(st);
        results_close(st);
    }
    if (root)
        rm_tree(root);
    free(root);
    return tap_done();
}
