/*
 * --metrics FILE: the scan's figures in the Prometheus text exposition format, for
 * node_exporter's textfile collector. The file is written to a temporary name in the same
 * directory and renamed into place, so a collector never reads half a file.
 */
#include "scanner/internal.h"
#include "scanner/metrics.h"
#include "scanner/settings.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Label values escape backslash, double quote and newline (exposition format). */
static void put_label(FILE *f, const char *v)
{
    for (; v && *v; v++) {
        if (*v == '\\' || *v == '"')
            fprintf(f, "\\%c", *v);
        else if (*v == '\n')
            fputs("\\n", f);
        else
            fputc(*v, f);
    }
}

static void metric_head(FILE *f, const char *name, const char *type, const char *help)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void metric_u64(FILE *f, const char *name, const char *type, const char *help, uint64_t v)
{
    metric_head(f, name, type, help);
    fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

static void metric_seconds(FILE *f, const char *name, const char *help, double v)
{
    metric_head(f, name, "gauge", help);
    fprintf(f, "%s %.3f\n", name, v);
}

/* One series per status, every status present. */
static void status_series(FILE *f, const char *name, const char *help, const uint64_t *counts)
{
    metric_head(f, name, "gauge", help);
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        fprintf(f, "%s{status=\"%s\"} %llu\n", name, verify_status_name((verify_status_t)i),
                (unsigned long long)counts[i]);
}

/* Names follow the Prometheus conventions: dnssweep_scan_* describe the stored scan (every run
 * of it, resumes included), dnssweep_run_* this process only; counters end in _total. */
int scan_metrics_print(FILE *f, const scan_metrics_t *m)
{
    metric_head(f, "dnssweep_build_info", "gauge", "The dnssweep that wrote this file.");
    fputs("dnssweep_build_info{version=\"", f);
    put_label(f, m->version);
    fputs("\"} 1\n", f);
    metric_head(f, "dnssweep_scan_info", "gauge", "The scan these figures are about.");
    fputs("dnssweep_scan_info{scan=\"", f);
    put_label(f, m->scan_name);
    fputs("\",mode=\"", f);
    put_label(f, m->mode);
    fputs("\"} 1\n", f);
    metric_u64(f, "dnssweep_scan_finished", "gauge",
               "1 when the scan is finished, 0 when this run was interrupted or failed.",
               m->finished ? 1 : 0);
    if (m->scan_counts_known) {
        metric_u64(f, "dnssweep_scan_domains", "gauge",
                   "Domains stored in the scan (every run of it).", m->scan_domains);
        status_series(f, "dnssweep_scan_status_domains",
                      "Domains stored in the scan per DNSSEC status (every run of it).",
                      m->scan_status_counts);
    }
    metric_seconds(f, "dnssweep_run_start_time_seconds", "When this run started (unix seconds).",
                   m->start_time);
    metric_seconds(f, "dnssweep_run_end_time_seconds", "When this run ended (unix seconds).",
                   m->end_time);
    metric_seconds(f, "dnssweep_run_duration_seconds", "Wall-clock time of this run.",
                   m->end_time - m->start_time);
    status_series(f, "dnssweep_run_status_domains", "Domains judged in this run per DNSSEC status.",
                  m->run_status_counts);
    metric_head(f, "dnssweep_run_reason_domains", "gauge",
                "Domains judged in this run that carry the reason code (once per domain).");
    for (int c = 0; c < VERIFY_REASON_COUNT; c++)
        fprintf(f, "dnssweep_run_reason_domains{code=\"%s\"} %llu\n",
                verify_reason_name((verify_reason_code_t)c),
                (unsigned long long)m->reason_counts[c]);
    metric_u64(f, "dnssweep_run_input_names_total", "counter",
               "Valid names read from the input in this run.", m->names_read);
    metric_u64(f, "dnssweep_run_input_bad_lines_total", "counter",
               "Input lines skipped as invalid in this run.", m->bad_lines);
    metric_u64(f, "dnssweep_run_tries_sent_total", "counter",
               "DNS tries sent in this run (UDP datagrams and TCP frames; the summary's queries).",
               m->io.sent);
    metric_u64(f, "dnssweep_run_tries_retried_total", "counter",
               "Tries after a query's first in this run (the summary's retried).", m->io.retried);
    metric_u64(f, "dnssweep_run_tries_timed_out_total", "counter",
               "Single tries that got no answer in time in this run (the summary's timed out).",
               m->io.try_timeouts);
    metric_u64(f, "dnssweep_run_tries_truncated_total", "counter",
               "UDP answers with TC=1 in this run, asked again over TCP.", m->io.truncated);
    metric_u64(f, "dnssweep_run_queries_answered_total", "counter",
               "Queries that got an answer in this run.", m->io.answered);
    metric_u64(f, "dnssweep_run_queries_unanswered_total", "counter",
               "Queries that got no answer after every try in this run.", m->io.timed_out);
    return ferror(f) ? -EIO : 0;
}

int scan_metrics_write(const char *path, const scan_metrics_t *m)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return -ENOMEM;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        rc = -errno;
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    rc = scan_metrics_print(f, m);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = -errno;
    if (fclose(f) != 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -errno;
fail:
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int scan_metrics_check(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return -EISDIR;
    /* The same kind of file scan_metrics_write() creates: a new one next to path. */
    size_t len = strlen(path) + 32;
    char *probe = malloc(len);
    if (!probe)
        return -ENOMEM;
    snprintf(probe, len, "%s.check.XXXXXX", path);
    int fd = mkstemp(probe);
    int rc = fd >= 0 ? 0 : -errno;
    if (fd >= 0) {
        close(fd);
        unlink(probe);
    }
    free(probe);
    return rc;
}

void scan_metrics_count_reasons(scan_stats_t *stats, const results_record_t *rec)
{
    uint64_t seen[(VERIFY_REASON_COUNT + 63) / 64] = {0};
    for (size_t i = 0; i < rec->n_reasons; i++) {
        unsigned c = rec->reasons[i].code;
        if (c >= VERIFY_REASON_COUNT || (seen[c / 64] >> (c % 64) & 1))
            continue;
        seen[c / 64] |= (uint64_t)1 << (c % 64);
        stats->reason_counts[c]++;
    }
}

void scan_metrics_at_end(scanner_t *s, const char *scan_name, const uint64_t *final_counts,
                         bool finished, double secs)
{
    if (!s->cfg->metrics)
        return;
    scan_metrics_t m;
    memset(&m, 0, sizeof m);
    m.scan_name = scan_name ? scan_name : "";
    m.mode = scan_settings_mode(s->cfg);
    m.version = DNSSWEEP_VERSION;
    m.finished = finished;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    m.end_time = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    m.start_time = m.end_time - secs;
    if (final_counts) {
        m.scan_counts_known = true;
        for (int i = 0; i < VERIFY_STATUS_COUNT; i++) {
            m.scan_status_counts[i] = final_counts[i];
            m.scan_domains += final_counts[i];
        }
    }
    memcpy(m.run_status_counts, s->stats.status_counts, sizeof m.run_status_counts);
    memcpy(m.reason_counts, s->stats.reason_counts, sizeof m.reason_counts);
    m.names_read = s->stats.domains_read;
    m.bad_lines = s->stats.bad_lines;
    m.io = s->final_io;
    int rc = scan_metrics_write(s->cfg->metrics, &m);
    if (rc != 0)
        fprintf(stderr, "dnssweep: cannot write the metrics file %s: %s\n", s->cfg->metrics,
                strerror(-rc));
}
