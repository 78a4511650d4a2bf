/* Progress line text, the interval variable, and the Prometheus metrics file (scanner/). */
#include "scanner/internal.h"
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
    m.finished = true;
    m.duration_s = 12.5;
    m.domains = 10;
    m.status_counts[VERIFY_STATUS_SECURE] = 7;
    m.status_counts[VERIFY_STATUS_BOGUS] = 3;
    m.reason_counts[VERIFY_REASON_RRSIG_EXPIRED] = 2;
    m.io.sent = 99;
    m.io.answered = 90;
    m.io.timed_out = 4;
    m.io.retried = 5;
    is_int(scan_metrics_write(path, &m), 0, "metrics written");
    char *text = slurp(path);
    ok(text != NULL, "metrics file readable");
    if (text) {
        ok(strstr(text, "dnssweep_scan_info{scan=\"nightly \\\"2026\\\"\"} 1\n") != NULL,
           "scan label escaped");
        ok(strstr(text, "dnssweep_scan_status_domains{status=\"secure\"} 7\n") != NULL,
           "status count");
        ok(strstr(text, "dnssweep_scan_status_domains{status=\"lame\"} 0\n") != NULL,
           "zero status counts are present");
        ok(strstr(text, "dnssweep_scan_reason_domains{code=\"RRSIG_EXPIRED\"} 2\n") != NULL,
           "reason count");
        ok(!strstr(text, "code=\"DS_STALE\""), "absent reasons are left out");
        ok(strstr(text, "dnssweep_scan_queries_sent 99\n") &&
               strstr(text, "dnssweep_scan_queries_answered 90\n") &&
               strstr(text, "dnssweep_scan_queries_timed_out 4\n") &&
               strstr(text, "dnssweep_scan_queries_retried 5\n"),
           "query counters");
        ok(strstr(text, "dnssweep_scan_duration_seconds 12.500\n") != NULL, "duration");
        ok(strstr(text, "# TYPE dnssweep_scan_domains gauge\ndnssweep_scan_domains 10\n") != NULL,
           "TYPE line before its sample");
        free(text);
    }
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
