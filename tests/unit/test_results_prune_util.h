/* Helpers of the prune tests: stores of several scans, and what a store holds. */
#ifndef DNSSWEEP_TEST_RESULTS_PRUNE_UTIL_H
#define DNSSWEEP_TEST_RESULTS_PRUNE_UTIL_H

#include <sys/stat.h>

#include "tests/unit/test_results_util.h"

/* Adds scans named prefix1..prefixN (n_records each, record i of scan s differs per scan) to
 * the store in dir; the last `unfinished` of them are left unfinished. 0 or a RESULTS_E*. */
static inline int add_scans(const char *dir, const char *prefix, unsigned first, unsigned n,
                            unsigned n_records, unsigned unfinished)
{
    results_store_t *st = NULL;
    int rc = results_open(dir, 0, &st);
    for (unsigned s = first; rc == 0 && s < first + n; s++) {
        char name[64];
        results_scan_t *scan = NULL;
        snprintf(name, sizeof name, "%s%u", prefix, s);
        if ((rc = results_scan_begin(st, name, "test", NULL, &scan)) != 0)
            break;
        for (unsigned i = 0; rc == 0 && i < n_records; i++)
            rc = put_synthetic(scan, i * 7 + s);
        if (rc == 0 && s >= first + n - unfinished)
            rc = results_scan_close(scan);
        else if (rc == 0)
            rc = results_scan_finish(scan, NULL);
    }
    results_close(st);
    return rc;
}

/* The scan names of the store in dir joined by ' ' in start order, and the records of each
 * counted (-1 when the store does not open or a scan does not iterate to its end). */
static inline long store_summary(const char *dir, char *names, size_t len)
{
    results_store_t *st = NULL;
    results_scan_info_t *list = NULL;
    size_t n = 0, used = 0;
    long records = 0;
    names[0] = '\0';
    if (results_open(dir, RESULTS_READONLY, &st) != 0)
        return -1;
    if (results_scans_list(st, &list, &n) != 0) {
        results_close(st);
        return -1;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort by start order: a few scans */
        for (size_t j = i; j > 0 && list[j - 1].seq > list[j].seq; j--) {
            results_scan_info_t t = list[j];
            list[j] = list[j - 1];
            list[j - 1] = t;
        }
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(names + used, len - used, "%s%s", used ? " " : "", list[i].name);
    for (size_t i = 0; i < n && records >= 0; i++) {
        results_iter_t *it = NULL;
        const results_record_t *rec;
        int r;
        if (results_iter_new(st, list[i].name, &it) != 0) {
            records = -1;
            break;
        }
        while ((r = results_iter_next(it, &rec)) == 1)
            records++;
        if (r < 0)
            records = -1;
        results_iter_free(it);
    }
    results_scans_free(list, n);
    results_close(st);
    return records;
}

static inline long long data_size(const char *dir)
{
    char p[1100];
    struct stat sb;
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    return stat(p, &sb) == 0 ? (long long)sb.st_size : -1;
}

static inline int path_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

#endif
