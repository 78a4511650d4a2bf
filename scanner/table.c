/* `export --format table`: the per-domain table a person reads after a scan. */
#include "scanner/commands.h"
#include "text/text.h"

#include <string.h>

int scanner_command_table(results_store_t *store, const char *scan, unsigned status_mask, FILE *out)
{
    results_iter_t *it = NULL;
    int rc = results_iter_new(store, scan, &it);
    if (rc != 0)
        return rc;
    uint64_t counts[VERIFY_STATUS_COUNT] = {0};
    uint64_t total = 0;
    fprintf(out, "%-28s %-14s %s\n", "DOMAIN", "STATUS", "REASONS");
    const results_record_t *rec;
    while ((rc = results_iter_next(it, &rec)) == 1) {
        if (status_mask && !(status_mask & RESULTS_STATUS_BIT(rec->status)))
            continue;
        char reasons[512];
        text_buf_t t;
        text_init(&t, reasons, sizeof reasons);
        for (size_t i = 0; i < rec->n_reasons; i++)
            text_printf(&t, "%s%s%s%s", i ? "," : "", verify_reason_name(rec->reasons[i].code),
                        rec->reasons[i].server ? "@" : "",
                        rec->reasons[i].server ? rec->reasons[i].server : "");
        fprintf(out, "%-28s %-14s %s\n", rec->domain, verify_status_name(rec->status),
                reasons[0] ? reasons : "-");
        if ((unsigned)rec->status < VERIFY_STATUS_COUNT)
            counts[rec->status]++;
        total++;
    }
    results_iter_free(it);
    if (rc < 0)
        return rc;
    fprintf(out, "\n%-14s %8s\n", "STATUS", "DOMAINS");
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        fprintf(out, "%-14s %8llu\n", verify_status_name((verify_status_t)i),
                (unsigned long long)counts[i]);
    fprintf(out, "%-14s %8llu\n", "total", (unsigned long long)total);
    return 0;
}
