/* export: every record of a scan as JSON lines or CSV, in domain order. */
#include "results/internal.h"

#include <stdlib.h>

int results_export(results_store_t *store, const char *scan_name, results_format_t format,
                   FILE *out)
{
    return results_export_filtered(store, scan_name, format, 0, out);
}

int results_export_filtered(results_store_t *store, const char *scan_name, results_format_t format,
                            unsigned status_mask, FILE *out)
{
    results_scan_info_t info;
    results_iter_t *it = NULL;
    results_buf_t line = {0}, field = {0};
    const results_record_t *rec;
    if (!store || !out || (format != RESULTS_FORMAT_JSONL && format != RESULTS_FORMAT_CSV))
        return RESULTS_EINVAL;
    /* Resolve "latest" once so the "scan" field names the scan that is iterated. */
    int rc = results_scan_lookup(store, scan_name, &info);
    if (rc < 0)
        return rc;
    rc = results_iter_new(store, info.name, &it);
    if (rc < 0)
        goto done;
    char mode_buf[32];
    const char *mode = results_settings_mode(info.settings, mode_buf, sizeof mode_buf);
    if (format == RESULTS_FORMAT_CSV)
        results_csv_header(&line);
    while ((rc = results_iter_next(it, &rec)) == 1) {
        if (status_mask && !(status_mask & RESULTS_STATUS_BIT(rec->status)))
            continue;
        results_record_t with_mode = *rec; /* shallow: the mode is the scan's */
        with_mode.mode = mode;
        if (format == RESULTS_FORMAT_JSONL)
            results_json_line(&line, &with_mode, info.name);
        else
            results_csv_row(&line, &field, &with_mode, info.name);
        if (line.failed || field.failed) {
            rc = RESULTS_ENOMEM;
            goto done;
        }
        /* Write in chunks of ~64 KiB rather than per line. */
        if (line.len >= 65536) {
            if (fwrite(line.data, 1, line.len, out) != line.len) {
                rc = RESULTS_EIO;
                goto done;
            }
            line.len = 0;
        }
    }
    if (rc == 0 && line.len && fwrite(line.data, 1, line.len, out) != line.len)
        rc = RESULTS_EIO;
    if (rc == 0 && fflush(out) != 0)
        rc = RESULTS_EIO;
done:
    results_buf_free(&line);
    results_buf_free(&field);
    results_iter_free(it);
    results_scan_info_clear(&info);
    return rc;
}
