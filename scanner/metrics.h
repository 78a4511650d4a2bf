/* The Prometheus metrics file (metrics.c). Private to scanner/, included only where used. */
#ifndef DNSSWEEP_SCANNER_METRICS_H
#define DNSSWEEP_SCANNER_METRICS_H

#include "scanner/internal.h"

/* ---- metrics (metrics.c) ---- */

typedef struct scan_metrics {
    const char *scan_name;
    const char *mode;    /* authoritative | resolver | zone-file */
    const char *version; /* of this dnssweep */
    bool finished;
    double start_time, end_time; /* this run's, unix seconds */
    /* The stored scan's counts (all runs of it): known when it finished. */
    bool scan_counts_known;
    uint64_t scan_domains;
    uint64_t scan_status_counts[VERIFY_STATUS_COUNT];
    /* This run's: domains judged, reason codes, input, queries. */
    uint64_t run_status_counts[VERIFY_STATUS_COUNT];
    uint64_t reason_counts[VERIFY_REASON_COUNT];
    uint64_t names_read, bad_lines;
    io_stats_t io;
} scan_metrics_t;

/* metrics.c */
/* Counts each reason code of rec once into stats->reason_counts. */
void scan_metrics_count_reasons(scan_stats_t *stats, const results_record_t *rec);
/* Prometheus text format of m to f. Returns 0 or -EIO. */
int scan_metrics_print(FILE *f, const scan_metrics_t *m);
/* Writes path atomically (temporary file in the same directory + rename). 0 or -errno. */
int scan_metrics_write(const char *path, const scan_metrics_t *m);
/* --metrics: writes the file from the run's figures (final_counts = the stored scan's counts
 * when known, else NULL for this run's). Reports failure on stderr; never fails the scan. */
/* Before the first query: can path be written as scan_metrics_write() will (a new file in its
 * directory, then renamed)? 0 or -errno; nothing is left behind. */
int scan_metrics_check(const char *path);
void scan_metrics_at_end(scanner_t *s, const char *scan_name, const uint64_t *final_counts,
                         bool finished, double secs);

#endif
