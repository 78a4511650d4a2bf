/*
 * --metrics FILE: the scan's figures in the Prometheus text exposition format, for
 * node_exporter's textfile collector. The file is written to a temporary name in the same
 * directory and renamed into place, so a collector never reads half a file.
 */
#include "scanner/internal.h"

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

int scan_metrics_print(FILE *f, const scan_metrics_t *m)
{
    metric_head(f, "dnssweep_scan_info", "gauge", "The scan these figures are about.");
    fputs("dnssweep_scan_info{scan=\"", f);
    put_label(f, m->scan_name);
    fputs("\"} 1\n", f);
    metric_u64(f, "dnssweep_scan_finished", "gauge",
               "1 when the scan ran to the end, 0 when it was interrupted or failed.",
               m->finished ? 1 : 0);
    metric_u64(f, "dnssweep_scan_end_timestamp_seconds", "gauge",
               "When the scan ended (unix seconds).", (uint64_t)m->end_time);
    metric_head(f, "dnssweep_scan_duration_seconds", "gauge", "Wall-clock time of this run.");
    fprintf(f, "dnssweep_scan_duration_seconds %.3f\n", m->duration_s);
    metric_u64(f, "dnssweep_scan_domains", "gauge", "Domains with a stored result.", m->domains);
    metric_head(f, "dnssweep_scan_status_domains", "gauge", "Domains per DNSSEC status.");
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        fprintf(f, "dnssweep_scan_status_domains{status=\"%s\"} %llu\n",
                verify_status_name((verify_status_t)i), (unsigned long long)m->status_counts[i]);
    metric_head(f, "dnssweep_scan_reason_domains", "gauge",
                "Domains judged in this run that carry a reason code (counted once per domain).");
    for (int c = 0; c < VERIFY_REASON_COUNT; c++)
        if (m->reason_counts[c])
            fprintf(f, "dnssweep_scan_reason_domains{code=\"%s\"} %llu\n",
                    verify_reason_name((verify_reason_code_t)c),
                    (unsigned long long)m->reason_counts[c]);
    metric_u64(f, "dnssweep_scan_input_names", "gauge", "Valid names read from the input.",
               m->names_read);
    metric_u64(f, "dnssweep_scan_input_bad_lines", "gauge", "Input lines skipped as invalid.",
               m->bad_lines);
    metric_u64(f, "dnssweep_scan_queries_sent", "gauge",
               "DNS tries sent (UDP datagrams and TCP frames).", m->io.sent);
    metric_u64(f, "dnssweep_scan_queries_answered", "gauge", "Queries that got an answer.",
               m->io.answered);
    metric_u64(f, "dnssweep_scan_queries_timed_out", "gauge",
               "Queries that got no answer after every try.", m->io.timed_out);
    metric_u64(f, "dnssweep_scan_queries_retried", "gauge", "Tries after the first.",
               m->io.retried);
    metric_u64(f, "dnssweep_scan_queries_truncated", "gauge",
               "UDP answers with TC=1, asked again over TCP.", m->io.truncated);
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
    m.finished = finished;
    m.end_time = (int64_t)time(NULL);
    m.duration_s = secs;
    const uint64_t *counts = final_counts ? final_counts : s->stats.status_counts;
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++) {
        m.status_counts[i] = counts[i];
        m.domains += counts[i];
    }
    memcpy(m.reason_counts, s->stats.reason_counts, sizeof m.reason_counts);
    m.names_read = s->stats.domains_read;
    m.bad_lines = s->stats.bad_lines;
    m.io = s->final_io;
    int rc = scan_metrics_write(s->cfg->metrics, &m);
    if (rc != 0)
        fprintf(stderr, "dnssweep: cannot write the metrics file %s: %s\n", s->cfg->metrics,
                strerror(-rc));
}
