/* The progress line (progress.c). Private to scanner/, included only where used. */
#ifndef DNSSWEEP_SCANNER_PROGRESS_H
#define DNSSWEEP_SCANNER_PROGRESS_H

#include "scanner/internal.h"

/* What one progress line shows. */
typedef struct scan_progress_view {
    uint64_t processed, total, in_flight;
    uint64_t status_counts[VERIFY_STATUS_COUNT];
    double domains_per_s, queries_per_s;
    double eta_s; /* < 0 = unknown */
    bool finished;
} scan_progress_view_t;

/* progress.c */
/* Decides whether and how to show progress (cfg->progress, isatty) and counts the input. */
void scan_progress_init(scanner_t *s);
/* From the 1-s ticker: rewrites the terminal line, or prints a line once per interval. */
void scan_progress_tick(scanner_t *s);
/* After the loop: the last line (and a newline on a terminal). */
void scan_progress_final(scanner_t *s);
/* DNSSWEEP_PROGRESS_INTERVAL_MS value (NULL = unset) -> milliseconds [10000]. */
unsigned scan_progress_interval_ms(const char *env_value);
/* The text of one progress line, without line ending; truncated to len. */
void scan_progress_format(const scan_progress_view_t *v, char *line, size_t len);
/* The richest form of the line shorter than width columns (0 = no limit): rates and in flight
 * go first, then long status names; done/total and the ETA always stay. */
void scan_progress_format_fit(const scan_progress_view_t *v, size_t width, char *line, size_t len);

#endif
