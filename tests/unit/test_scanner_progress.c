/* Progress line text, the interval variable, and the Prometheus metrics file (scanner/). */
#include "scanner/internal.h"
#include "scanner/progress.h"
#include "scanner/metrics.h"
#include "tests/tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    if (buf)
        fread(buf, 1, (1 << 16) - 1, f);
    fclose(f);
    return buf;
}

int main(void)
{
    is_int(scan_progress_interval_ms(NULL), 10000, "interval defaults to 10 s");
    is_int(scan_progress_interval_ms("250"), 250, "DNSSWEEP_PROGRESS_INTERVAL_MS=250");
    is_int(scan_progress_interval_ms("0"), 10000, "0 falls back to the default");
    is_int(scan_progress_interval_ms("12x"), 10000, "garbage falls back to the default");

    scan_progress_view_t v = {
        .processed = 250,
        .total = 1000,
        .in_flight = 17,
        .status_counts = {200, 20, 5, 1, 3, 21},
        .domains_per_s = 50.4,
        .queries_per_s = 400,
        .eta_s = 75,
    };
    char line[512];
    scan_progress_format(&v, line, sizeof line);
    ok(strstr(line, "250/1000 (25.0%)") != NULL, "done/total and percent: %s", line);
    ok(strstr(line, "50 domains/s") && strstr(line, "400 queries/s"), "rates");
    ok(strstr(line, "17 in flight") != NULL, "in flight");
    ok(strstr(line, "secure 200") && strstr(line, "bogus 5") && strstr(line, "nxdomain 21"),
       "counts per status");
    ok(strstr(line, "ETA 1m15s") != NULL, "ETA");
    scan_progress_format_fit(&v, 250, line, sizeof line);
    ok(strstr(line, "17 in flight") != NULL, "a wide terminal gets the full line");
    scan_progress_format_fit(&v, 80, line, sizeof line);
    ok(strlen(line) < 80 && strstr(line, "250/1000 (25.0%)") && strstr(line, "bog 5") &&
           strstr(line, "nx 21") && strstr(line, "ETA 1m15s") && !strstr(line, "in flight"),
       "80 columns: rates and in flight dropped, counts and ETA kept: %s", line);
    scan_progress_view_t big = v;
    big.processed = 999999;
    big.total = 1000000;
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        big.status_counts[i] = 123456;
    big.eta_s = 3700;
    scan_progress_format_fit(&big, 80, line, sizeof line);
    ok(strlen(line) < 80 && strncmp(line, "ETA 1h01m | 999999/1000000 | sec 123456", 39) == 0,
       "80 columns at a million: ETA and done/total first, then the counts: %s", line);
    scan_progress_format_fit(&big, 20, line, sizeof line);
    ok(strcmp(line, "ETA 1h01m | 999999/") == 0, "cut at the edge of a tiny terminal: %s", line);
    v.total = 0;
    scan_progress_format(&v, line, sizeof line);
    ok(strncmp(line, "250 done", 8) == 0 && !strstr(line, "ETA"), "unknown total: %s", line);
    char tiny[16];
    scan_progress_format(&v, tiny, sizeof tiny);
    is_int((int)strlen(tiny), 15, "truncated to the buffer");

    char dir[] = "/tmp/dnssweep-metrics-XXXXXX";
    ok(mkdtemp(dir) != NULL, "temp dir");
    char path[128];
    snprintf(path, sizeof path, "%s/dnssweep.prom", dir);
    scan_metrics_t m;
    memset(&m, 0, sizeof m);
    m.scan_name = "nightly \"2026\"";
    m.mode = "resolver";
    m.version = "9.8.7";
    m.finished = true;
    m.start_time = 1000.0;
    m.end_time = 1012.5;
    m.scan_counts_known = true;
    m.scan_domains = 10;
    m.scan_status_counts[VERIFY_STATUS_SECURE] = 7;
    m.scan_status_counts[VERIFY_STATUS_BOGUS] = 3;
    m.run_status_counts[VERIFY_STATUS_SECURE] = 4;
    m.reason_counts[VERIFY_REASON_RRSIG_EXPIRED] = 2;
    m.io.sent = 99;
    m.io.answered = 90;
    m.io.timed_out = 4;
    m.io.try_timeouts = 11;
    m.io.retried = 5;
    is_int(scan_metrics_write(path, &m), 0, "metrics written");
    char *text = slurp(path);
    ok(text != NULL, "metrics file readable");
    if (text) {
        ok(strstr(text,
                  "dnssweep_scan_info{scan=\"nightly \\\"2026\\\"\",mode=\"resolver\"} 1\n") !=
               NULL,
           "scan and mode labels, escaped");
        ok(strstr(text, "dnssweep_build_info{version=\"9.8.7\"} 1\n") != NULL, "build info");
        ok(strstr(text, "dnssweep_scan_status_domains{status=\"secure\"} 7\n") &&
               strstr(text, "dnssweep_run_status_domains{status=\"secure\"} 4\n"),
           "status counts of the stored scan and of the run, under different names");
        ok(strstr(text, "dnssweep_scan_status_domains{status=\"lame\"} 0\n") != NULL,
           "zero status counts are present");
        ok(strstr(text, "dnssweep_run_reason_domains{code=\"RRSIG_EXPIRED\"} 2\n") != NULL,
           "reason count");
        ok(strstr(text, "dnssweep_run_reason_domains{code=\"DS_STALE\"} 0\n") != NULL,
           "absent reasons are present as 0");
        ok(strstr(text, "dnssweep_run_tries_sent_total 99\n") &&
               strstr(text, "dnssweep_run_queries_answered_total 90\n") &&
               strstr(text, "dnssweep_run_queries_unanswered_total 4\n") &&
               strstr(text, "dnssweep_run_tries_timed_out_total 11\n") &&
               strstr(text, "dnssweep_run_tries_retried_total 5\n"),
           "counters: unanswered queries and timed-out tries under different names");
        ok(strstr(text, "# TYPE dnssweep_run_tries_sent_total counter\n") != NULL,
           "counters typed counter");
        ok(strstr(text, "dnssweep_run_start_time_seconds 1000.000\n") &&
               strstr(text, "dnssweep_run_end_time_seconds 1012.500\n") &&
               strstr(text, "dnssweep_run_duration_seconds 12.500\n"),
           "start, end and duration");
        ok(strstr(text, "# TYPE dnssweep_scan_domains gauge\ndnssweep_scan_domains 10\n") != NULL,
           "TYPE line before its sample");
        free(text);
    }
    m.scan_counts_known = false;
    is_int(scan_metrics_write(path, &m), 0, "metrics of an interrupted run written");
    text = slurp(path);
    ok(text && !strstr(text, "dnssweep_scan_status_domains") &&
           strstr(text, "dnssweep_run_status_domains{status=\"secure\"} 4\n"),
       "an interrupted run writes no stored-scan counts it does not know");
    free(text);
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    ok(access(tmp, F_OK) != 0, "no temporary file left behind");
    char bad[160];
    snprintf(bad, sizeof bad, "%s/missing/dir/x.prom", dir);
    ok(scan_metrics_write(bad, &m) < 0, "unwritable path is an error");

    results_reason_t reasons[] = {{.code = VERIFY_REASON_RRSIG_EXPIRED},
                                  {.code = VERIFY_REASON_RRSIG_EXPIRED},
                                  {.code = VERIFY_REASON_NS_LAME}};
    results_record_t rec = {.domain = "a.test", .n_reasons = 3, .reasons = reasons};
    scan_stats_t st;
    memset(&st, 0, sizeof st);
    scan_metrics_count_reasons(&st, &rec);
    is_int((int)st.reason_counts[VERIFY_REASON_RRSIG_EXPIRED], 1, "a code counts once per domain");
    is_int((int)st.reason_counts[VERIFY_REASON_NS_LAME], 1, "other code counted");

    unlink(path);
    rmdir(dir);
    return tap_done();
}
