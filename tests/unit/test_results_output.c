/* Text outputs: the JSON line of cli.md, escaping, CSV quoting, export, diff, show, scans.
 * (HTML: test_results_report.c.) */
#include "tests/tap.h"
#include "results/internal.h" /* results_csv_row */
#include "tests/unit/test_results_util.h"

#include <sys/stat.h>

static char *tmp_root;

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char example_json[] =
    "{\"domain\":\"example.com\",\"status\":\"bogus\",\"scan\":\"2026-11-24T14:00:00Z\","
    "\"scanned_at\":\"2026-11-24T14:03:12Z\",\"mode\":\"authoritative\","
    "\"reasons\":[{\"code\":\"DS_NO_MATCHING_DNSKEY\","
    "\"severity\":\"error\",\"ede\":9,\"server\":null,\"rrset\":\"example.com/DNSKEY\","
    "\"detail\":\"DS 2371/13/2 matches no DNSKEY (keys: 41023/13/257, 5512/13/256)\"}],"
    "\"fix\":\"Replace the DS at the registrar with: example.com. 3600 IN DS 41023 13 2 9F3C\","
    "\"parent\":{\"zone\":\"com\",\"signed\":true,\"ds_ttl\":86400,\"ds\":[{\"key_tag\":2371,"
    "\"algorithm\":13,\"digest_type\":2,"
    "\"digest\":\"4A3B9F3C00112233445566778899AABBCCDDEEFF00112233445566778899AABB\"}]},"
    "\"dnskey\":[{\"key_tag\":41023,\"algorithm\":13,\"flags\":257,\"bits\":256},"
    "{\"key_tag\":5512,\"algorithm\":13,\"flags\":256,\"bits\":256}],"
    "\"rrsig_earliest_expiration\":\"2026-12-08T00:00:00Z\",\"cds\":[],"
    "\"nameservers\":[{\"name\":\"ns1.example.net\",\"address\":\"192.0.2.1\",\"status\":"
    "\"bogus\",\"rtt_ms\":21},{\"name\":\"ns2.example.net\",\"address\":\"2001:db8::53\","
    "\"status\":\"bogus\",\"rtt_ms\":null}],\"queries\":7}\n";

static char *json_of(const results_record_t *r, const char *scan)
{
    FILE *f = tmpfile();
    results_record_write_json(r, scan, f);
    char *s = slurp(f);
    fclose(f);
    return s;
}

static void test_json(void)
{
    results_record_t r = example_record();
    r.mode = "authoritative";
    char *s = json_of(&r, "2026-11-24T14:00:00Z");
    is_str(s, example_json, "the cli.md example, field for field (with the scan's mode)");
    free(s);

    results_reason_t esc = {VERIFY_REASON_CAA_BOGUS, "::1", "esc.test/CAA",
                            "q\"b\\n\nt\t\x01 \xc3\xa9 \xf0\x9f\x98\x80 \xff \xc0\xaf \xed\xa0\x80 "
                            "\x7f/"};
    results_record_t e = {.domain = "esc.test", .status = VERIFY_STATUS_BOGUS, .n_reasons = 1};
    e.reasons = &esc;
    e.resolver_check = (results_resolver_check_t){true, false, 2, -1, true};
    s = json_of(&e, "s\"1");
    ok(s && strstr(s, "\"detail\":\"q\\\"b\\\\n\\nt\\t\\u0001 \xc3\xa9 \xf0\x9f\x98\x80 \\ufffd "
                      "\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd \x7f/\""),
       "escapes: quote, backslash, controls; valid UTF-8 kept; invalid bytes become U+FFFD");
    ok(s && strstr(s, "\"scan\":\"s\\\"1\""), "scan name escaped");
    ok(s && strstr(s, "\"scanned_at\":null") && strstr(s, "\"fix\":null") &&
           strstr(s, "\"parent\":null") && strstr(s, "\"rrsig_earliest_expiration\":null") &&
           strstr(s, "\"mode\":null"),
       "absent values are null (a mode not recorded too)");
    ok(s && strstr(s, "\"code\":\"CAA_BOGUS\",\"severity\":\"error\",\"ede\":6,"),
       "severity and EDE come from the code");
    ok(s && strstr(s, ",\"resolver_check\":{\"ad\":false,\"rcode\":2,\"ede\":null,"
                      "\"disagrees\":true}}\n"),
       "resolver_check written when present");
    free(s);
    results_reason_t warn = {VERIFY_REASON_DNSKEY_WITHOUT_DS, NULL, NULL, NULL};
    e.reasons = &warn;
    s = json_of(&e, NULL);
    ok(s && strstr(s, "{\"code\":\"DNSKEY_WITHOUT_DS\",\"severity\":\"warning\",\"ede\":null,"
                      "\"server\":null,\"rrset\":null,\"detail\":null}"),
       "a warning without EDE");
    free(s);
    results_record_t bad = {.domain = "x.test", .status = VERIFY_STATUS_COUNT};
    is_int(results_record_write_json(&bad, NULL, stdout), RESULTS_EINVAL, "bad status refused");
}

static char *export_of(results_store_t *st, const char *scan, results_format_t fmt, int *rc)
{
    FILE *f = tmpfile();
    *rc = results_export(st, scan, fmt, f);
    char *s = slurp(f);
    fclose(f);
    return s;
}

static void test_export(results_store_t *st)
{
    int rc;
    char *s = export_of(st, "csv", RESULTS_FORMAT_CSV, &rc);
    is_int(rc, 0, "export csv");
    static const char csv_header[] =
        "scan,scanned_at,mode,domain,status,reasons,fix,parent_zone,ds,"
        "dnskey_algorithms,rrsig_earliest_expiration\n";
    static const char csv_example[] =
        "csv,2026-11-24T14:03:12Z,,example.com,bogus,DS_NO_MATCHING_DNSKEY,Replace the DS at the "
        "registrar with: example.com. 3600 IN DS 41023 13 2 9F3C,com,2371 13 2 "
        "4A3B9F3C00112233445566778899AABBCCDDEEFF00112233445566778899AABB,13,"
        "2026-12-08T00:00:00Z\n";
    static const char csv_min[] = "csv,,,min.test,nxdomain,,,,,,\n";
    static const char csv_q[] =
        "csv,,,q.test,secure,DS_STALE;ALGORITHM_DEPRECATED,\"say \"\"hi\"\", then\nnewline\","
        "test,1 8 2 AB;2 5 1 cd,8;5,2026-12-08T00:00:00Z\n";
    char want[2048];
    snprintf(want, sizeof want, "%s%s%s%s", csv_header, csv_example, csv_min, csv_q);
    is_str(s, want,
           "CSV: header, scan, times, empty mode when not recorded, parent zone, domain order, "
           "RFC 4180 quoting, ';' joins, distinct algorithms");
    free(s);

    /* --status: a mask of statuses; the header stays when nothing matches. */
    FILE *f = tmpfile();
    rc = results_export_filtered(
        st, "csv", RESULTS_FORMAT_CSV,
        RESULTS_STATUS_BIT(VERIFY_STATUS_BOGUS) | RESULTS_STATUS_BIT(VERIFY_STATUS_NXDOMAIN), f);
    s = slurp(f);
    fclose(f);
    snprintf(want, sizeof want, "%s%s%s", csv_header, csv_example, csv_min);
    is_int(rc, 0, "export filtered by bogus,nxdomain");
    is_str(s, want, "bogus,nxdomain keeps example.com and min.test, drops the secure q.test");
    free(s);
    f = tmpfile();
    rc = results_export_filtered(st, "csv", RESULTS_FORMAT_JSONL,
                                 RESULTS_STATUS_BIT(VERIFY_STATUS_SECURE), f);
    s = slurp(f);
    fclose(f);
    ok(rc == 0 && starts_with(s, "{\"domain\":\"q.test\",\"status\":\"secure\"") &&
           strchr(s, '\n') && strchr(s, '\n')[1] == '\0',
       "jsonl filtered by secure: q.test alone");
    free(s);
    f = tmpfile();
    rc = results_export_filtered(st, "csv", RESULTS_FORMAT_CSV,
                                 RESULTS_STATUS_BIT(VERIFY_STATUS_LAME), f);
    s = slurp(f);
    fclose(f);
    is_str(s, csv_header, "filtered by lame (none): the header alone");
    free(s);

    /* The row of a record in a scan with a mode, and fixes written "CODE: text": the CSV keeps
     * the sentence only (the codes are in the reasons column). */
    results_record_t m = {.domain = "m.test", .status = VERIFY_STATUS_BOGUS};
    m.mode = "resolver";
    m.scanned_at = 1795528992;
    m.fix = "RRSIG_EXPIRED: Re-sign the zone. Also DNSKEY_UNSIGNED: Sign the DNSKEY RRset. Also "
            "DS_DIGEST_MISMATCH: DS at the parent. Not a CODE: here, nor DS_STALEX: this";
    results_buf_t line = {0}, field = {0};
    results_csv_row(&line, &field, &m, "night 2");
    results_buf_byte(&line, '\0');
    is_str((const char *)line.data,
           "night 2,2026-11-24T14:03:12Z,resolver,m.test,bogus,,\"Re-sign the zone. Also sign the "
           "DNSKEY RRset. Also DS at the parent. Not a CODE: here, nor DS_STALEX: this\",,,,\n",
           "CSV row: scan and mode written; reason-code prefixes dropped from the fix, other "
           "text kept, acronyms kept upper-case");
    /* A fix of today's form is written as it is, even where it quotes a detail naming a code. */
    m.fix = "Lasting fix: Re-sign c.test, reload it (c.test/CAA: NS_LAME: the server answers "
            "SERVFAIL). Check: delv c.test SOA";
    line.len = 0;
    results_csv_row(&line, &field, &m, "night 2");
    results_buf_byte(&line, '\0');
    is_str((const char *)line.data,
           "night 2,2026-11-24T14:03:12Z,resolver,m.test,bogus,,\"Lasting fix: Re-sign c.test, "
           "reload it (c.test/CAA: NS_LAME: the server answers SERVFAIL). Check: delv c.test "
           "SOA\",,,,\n",
           "CSV row: a fix of today's form is the same text as in JSON and show");
    results_buf_free(&line);
    results_buf_free(&field);

    s = export_of(st, NULL, RESULTS_FORMAT_JSONL, &rc);
    is_int(rc, 0, "export jsonl of the latest scan");
    ok(starts_with(s, "{\"domain\":\"example.com\",\"status\":\"bogus\",\"scan\":\"csv\","),
       "latest scan is csv; its name is in each line");
    /* Parse every line back with Python's json module and check the field lists of cli.md. */
    char path[1100];
    snprintf(path, sizeof path, "%s/export.jsonl", tmp_root);
    f = fopen(path, "w");
    if (f && s)
        fputs(s, f);
    if (f)
        fclose(f);
    free(s);
    if (system("python3 -c pass >/dev/null 2>&1") != 0) {
        skip("python3 not available to validate the JSON");
    } else {
        char cmd[4096];
        snprintf(
            cmd, sizeof cmd,
            "timeout 60 python3 -c '\n"
            "import json, re, sys\n"
            "top = [\"domain\",\"status\",\"scan\",\"scanned_at\",\"mode\",\"reasons\",\"fix\","
            "\"parent\","
            "\"dnskey\",\"rrsig_earliest_expiration\",\"cds\",\"nameservers\",\"queries\"]\n"
            "t = re.compile(r\"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$\")\n"
            "n = 0\n"
            "for line in open(sys.argv[1]):\n"
            "    d = json.loads(line); n += 1\n"
            "    assert list(d)[:13] == top and set(d) <= set(top) | {\"resolver_check\"}, "
            "list(d)\n"
            "    assert d[\"status\"] in (\"secure\",\"insecure\",\"bogus\",\"indeterminate\","
            "\"lame\",\"nxdomain\")\n"
            "    for k in (\"scanned_at\",\"rrsig_earliest_expiration\"):\n"
            "        assert d[k] is None or t.match(d[k]), d[k]\n"
            "    for r in d[\"reasons\"]:\n"
            "        assert list(r) == [\"code\",\"severity\",\"ede\",\"server\",\"rrset\","
            "\"detail\"], r\n"
            "    p = d[\"parent\"]\n"
            "    assert p is None or list(p) == [\"zone\",\"signed\",\"ds_ttl\",\"ds\"], p\n"
            "    for x in (p or {}).get(\"ds\", []):\n"
            "        assert list(x) == [\"key_tag\",\"algorithm\",\"digest_type\",\"digest\"]\n"
            "    for x in d[\"dnskey\"]:\n"
            "        assert list(x) == [\"key_tag\",\"algorithm\",\"flags\",\"bits\"]\n"
            "    for x in d[\"nameservers\"]:\n"
            "        assert list(x) == [\"name\",\"address\",\"status\",\"rtt_ms\"]\n"
            "    assert isinstance(d[\"queries\"], int) and isinstance(d[\"cds\"], list)\n"
            "assert n == 3, n\n"
            "' %s",
            path);
        is_int(system(cmd), 0, "python3 json parses every exported line; fields as in cli.md");
    }
    /* Bigger than one 64 KiB write chunk. */
    s = export_of(st, "many", RESULTS_FORMAT_JSONL, &rc);
    int lines = 0, whole = 1;
    for (const char *p = s; p && *p;) {
        const char *nl = strchr(p, '\n');
        if (!nl || strncmp(p, "{\"domain\":\"m", 12) != 0 || nl[-1] != '}')
            whole = 0;
        lines++;
        p = nl ? nl + 1 : p + strlen(p);
    }
    ok(rc == 0 && lines == RESULTS_REPORT_ROWS + 5 && whole,
       "export across write chunks: %d whole lines", lines);
    free(s);
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        is_int(results_export(st, "many", RESULTS_FORMAT_CSV, full), RESULTS_EIO,
               "export to a full device: RESULTS_EIO");
        fclose(full);
    }
    full = fopen("/dev/full", "w");
    if (full) {
        is_int(results_diff(st, "old", "new", RESULTS_FORMAT_TEXT, true, full, NULL), RESULTS_EIO,
               "diff to a full device: RESULTS_EIO");
        fclose(full);
    }
    full = fopen("/dev/full", "w");
    if (full) {
        is_int(results_report(st, "many", NULL, 0, full), RESULTS_EIO,
               "report to a full device: RESULTS_EIO");
        fclose(full);
    }
    s = export_of(st, "nope", RESULTS_FORMAT_JSONL, &rc);
    is_int(rc, RESULTS_ENOTFOUND, "export of an unknown scan");
    free(s);
    s = export_of(st, "csv", RESULTS_FORMAT_TEXT, &rc);
    is_int(rc, RESULTS_EINVAL, "text is not an export format");
    free(s);
}

static char *diff_of(results_store_t *st, results_format_t fmt, bool all, results_diff_counts_t *c,
                     int *rc)
{
    FILE *f = tmpfile();
    *rc = results_diff(st, "old", "new", fmt, all, f, c);
    char *s = slurp(f);
    fclose(f);
    return s;
}

static void test_diff(results_store_t *st)
{
    results_diff_counts_t c;
    int rc;
    char *s = diff_of(st, RESULTS_FORMAT_TEXT, false, &c, &rc);
    is_int(rc, 0, "diff text");
    is_str(s,
           "diff old -> new\n"
           "change              domains\n"
           "became_bogus              2\n"
           "fixed                     1\n"
           "got_worse                 2\n"
           "status_changed            2\n"
           "keys_changed              0\n"
           "reasons_changed           1\n"
           "new_domain                1\n"
           "gone                      1\n"
           "unchanged                 1\n"
           "total                    11\n"
           "regressions               4\n"
           "\n== became_bogus (2) ==\n"
           "  a.test  secure -> bogus  [] -> [DS_NO_MATCHING_DNSKEY]\n"
           "  i.test  lame -> bogus  [NS_UNREACHABLE] -> [DS_ZONE_UNSIGNED]\n"
           "\n== fixed (1) ==\n"
           "  b.test  bogus -> secure  [RRSIG_EXPIRED] -> []\n"
           "\n== got_worse (2) ==\n"
           "  c.test  secure -> insecure  [] -> []\n"
           "  k.test  secure -> lame  [] -> [NS_UNREACHABLE]\n"
           "\n== status_changed (2) ==\n"
           "  d.test  insecure -> secure  [DNSKEY_WITHOUT_DS] -> []\n"
           "  j.test  bogus -> lame  [DS_ZONE_UNSIGNED] -> [NS_UNREACHABLE]\n"
           "\n== reasons_changed (1) ==\n"
           "  e.test  bogus -> bogus  [RRSIG_EXPIRED] -> [RRSIG_INVALID]\n"
           "\n== new_domain (1) ==\n"
           "  f.test  (none) -> secure  [] -> []\n"
           "\n== gone (1) ==\n"
           "  g.test  insecure -> (none)  [] -> []\n",
           "text diff: summary table, then changed domains grouped by change");
    free(s);
    ok(c.by_change[RESULTS_CHANGE_UNCHANGED] == 1 && c.regressions == 4,
       "counts: 1 unchanged, 4 regressions");

    s = diff_of(st, RESULTS_FORMAT_JSONL, false, &c, &rc);
    is_int(rc, 0, "diff jsonl");
    ok(starts_with(s, "{\"domain\":\"a.test\",\"old\":{\"status\":\"secure\",\"reasons\":[]},"
                      "\"new\":{\"status\":\"bogus\",\"reasons\":[\"DS_NO_MATCHING_DNSKEY\"]},"
                      "\"change\":\"became_bogus\"}\n"),
       "first JSON line is a.test became_bogus");
    ok(s && strstr(s, "{\"domain\":\"f.test\",\"old\":null,\"new\":{\"status\":\"secure\","
                      "\"reasons\":[]},\"change\":\"new_domain\"}\n"),
       "new domain has old null");
    ok(s && strstr(s, "{\"domain\":\"g.test\",\"old\":{\"status\":\"insecure\",\"reasons\":[]},"
                      "\"new\":null,\"change\":\"gone\"}\n"),
       "gone domain has new null");
    ok(s && !strstr(s, "h.test"), "unchanged not listed without all");
    int lines = 0;
    for (const char *p = s; p && *p; p++)
        lines += *p == '\n';
    is_int(lines, 10, "10 changed domains, one line each");
    free(s);
    s = diff_of(st, RESULTS_FORMAT_JSONL, true, NULL, &rc);
    ok(s && strstr(s, "{\"domain\":\"h.test\",\"old\":{\"status\":\"secure\",\"reasons\":"
                      "[\"RRSIG_EXPIRES_SOON\"]},\"new\":{\"status\":\"secure\",\"reasons\":"
                      "[\"RRSIG_EXPIRES_SOON\"]},\"change\":\"unchanged\"}\n"),
       "all lists unchanged domains");
    free(s);
    s = diff_of(st, RESULTS_FORMAT_TEXT, true, NULL, &rc);
    ok(s && strstr(s, "\n== unchanged (1) ==\n  h.test  secure -> secure  [RRSIG_EXPIRES_SOON] -> "
                      "[RRSIG_EXPIRES_SOON]\n"),
       "text with all has an unchanged section");
    free(s);
    FILE *f = tmpfile();
    is_int(results_diff(st, "old", "nope", RESULTS_FORMAT_TEXT, false, f, NULL), RESULTS_ENOTFOUND,
           "diff against an unknown scan");
    fclose(f);

    ok(results_is_regression(VERIFY_STATUS_SECURE, VERIFY_STATUS_INSECURE) &&
           results_is_regression(VERIFY_STATUS_LAME, VERIFY_STATUS_BOGUS) &&
           !results_is_regression(VERIFY_STATUS_BOGUS, VERIFY_STATUS_LAME) &&
           !results_is_regression(VERIFY_STATUS_INSECURE, VERIFY_STATUS_SECURE) &&
           !results_is_regression(VERIFY_STATUS_BOGUS, VERIFY_STATUS_BOGUS),
       "regression: rank up or into bogus");
    is_str(results_change_name(RESULTS_CHANGE_REASONS_CHANGED), "reasons_changed", "change name");
    ok(results_change_name(RESULTS_CHANGE_COUNT) == NULL, "out of range change name");
}

static char *show_of(results_store_t *st, const char *scan, const char *domain)
{
    FILE *f = tmpfile();
    int rc = results_show(st, scan, domain, f);
    char *s = rc == 0 ? slurp(f) : NULL;
    fclose(f);
    return s;
}

static void test_show(results_store_t *st)
{
    char *m = show_of(st, "csv", "min.test");
    is_str(m,
           "min.test: nxdomain\n"
           "Scan: csv, checked (time unknown), 0 queries\n"
           "Chain of trust (from the root down):\n"
           "  Parent zone: unknown\n"
           "  DNSKEY of min.test: none\n"
           "  Earliest RRSIG expiration: not known (the domain's servers were not asked)\n"
           "Servers: none asked\n"
           "Reasons: none\n",
           "show of a record with nothing in it");
    free(m);
    m = show_of(st, "esc", "r.test");
    is_str(m,
           "r.test: bogus\n"
           "Scan: esc, checked 1970-01-01T00:00:10Z, 0 queries\n"
           "Chain of trust (from the root down):\n"
           "  Parent zone: . (unsigned)\n"
           "  DS of r.test at .: none\n"
           "  DNSKEY of r.test (as its first server serves them):\n"
           "    key tag 7, algorithm 15, flags 385 (KSK), REVOKED\n"
           "    key tag 8, algorithm 15, flags 0 (not a zone key)\n"
           "  CDS/CDNSKEY:\n"
           "    r.test. 3600 IN CDS 0 0 0 00\n"
           "  Earliest RRSIG expiration: not known (the domain's servers were not asked)\n"
           "Servers: none asked\n"
           "Validating resolver: rcode 2, AD clear, EDE 9 (disagrees with this verdict)\n"
           "Reasons: none\n",
           "show: root parent, revoked key, non-zone key, CDS, resolver check");
    free(m);

    FILE *f = tmpfile();
    is_int(results_show(st, "csv", "example.com", f), 0, "show example.com");
    char *s = slurp(f);
    fclose(f);
    is_str(
        s,
        "example.com: bogus\n"
        "Scan: csv, checked 2026-11-24T14:03:12Z, 7 queries\n"
        "Chain of trust (from the root down):\n"
        "  Parent zone: com (signed)\n"
        "  DS of example.com at com (TTL 86400 s = 24 hours):\n"
        "    2371 13 2 4A3B9F3C00112233445566778899AABBCCDDEEFF00112233445566778899AABB\n"
        "  DNSKEY of example.com (as its first server serves them):\n"
        "    key tag 41023, algorithm 13, flags 257 (KSK), 256 bits\n"
        "    key tag 5512, algorithm 13, flags 256 (ZSK), 256 bits\n"
        "  DNSKEY RRset: no DS matches a served key, so nothing signing it is trusted\n"
        "  Earliest RRSIG expiration: 2026-12-08T00:00:00Z\n"
        "Servers (each one's own verdict):\n"
        "  ns1.example.net 192.0.2.1: bogus, 21 ms\n"
        "  ns2.example.net 2001:db8::53: bogus, no answer\n"
        "Reasons (1):\n"
        "  1. DS_NO_MATCHING_DNSKEY [error] (EDE 9)\n"
        "     server: (not specific to one server)\n"
        "     rrset:  example.com/DNSKEY\n"
        "     detail: DS 2371/13/2 matches no DNSKEY (keys: 41023/13/257, 5512/13/256)\n"
        "Fix: Replace the DS at the registrar with: example.com. 3600 IN DS 41023 13 2 9F3C\n",
        "show: status, chain (parent, DS with TTL in hours, keys), servers, reasons, the one fix");
    free(s);
    f = tmpfile();
    is_int(results_show(st, "csv", "Example.COM.", f), 0, "show folds case, drops the final dot");
    s = slurp(f);
    fclose(f);
    ok(starts_with(s, "example.com: bogus\n"), "same domain shown");
    free(s);
    f = tmpfile();
    is_int(results_show(st, NULL, "nothere.test", f), RESULTS_ENOTFOUND,
           "show of an absent domain");
    fclose(f);
}

static void test_scans_print(results_store_t *st)
{
    FILE *f = tmpfile();
    is_int(results_scans_print(st, f), 0, "scans print");
    char *s = slurp(f);
    fclose(f);
    ok(s && strncmp(s, "name ", 5) == 0 && strstr(s, " finished ") && strstr(s, " nxdomain\n"),
       "header names the columns");
    ok(s && strstr(s, "\nold ") && strstr(s, "\nnew ") && strstr(s, "\ncsv "), "a line per scan");
    const char *csv = s ? strstr(s, "\ncsv ") : NULL;
    ok(csv && strstr(csv, " -  ") && strstr(csv, " no "), "csv is unfinished with no end time");
    free(s);
}

int main(void)
{
    alarm(120);
    tmp_root = make_tmpdir();
    if (!tmp_root)
        return 1;
    test_json();
    results_store_t *st = make_sample_store(tmp_root);
    ok(st != NULL, "test store built");
    if (st) {
        test_export(st);
        test_diff(st);
        test_show(st);
        test_scans_print(st);
        results_close(st);
    }
    rm_tree(tmp_root);
    free(tmp_root);
    return tap_done();
}
