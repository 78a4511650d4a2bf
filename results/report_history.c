/*
 * `report --history N`: the last N finished scans up to the reported one, each compared with
 * the finished scan before it (one diff walk per scan, status, reasons and keys only), for the
 * trend chart, the table of scans and the rollovers (keys_changed) of every scan. Statuses per
 * scan come from the store's stored counts, so only the walks read records.
 */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct night_walk {
    results_report_night_t *night;
    results_report_history_t *h;
    bool heading_done;
    const results_report_history_walk_t *also; /* NULL, or the page's own comparison */
} night_walk_t;

static int note_night_change(void *ctx, const char *domain, const results_record_t *o,
                             const results_record_t *n, results_change_t change)
{
    night_walk_t *w = ctx;
    results_report_night_t *night = w->night;
    if (w->also) {
        int rc = w->also->cb(w->also->ctx, domain, o, n, change);
        if (rc < 0)
            return rc;
    }
    if (change == RESULTS_CHANGE_BECAME_BOGUS)
        night->became_bogus++;
    else if (change == RESULTS_CHANGE_GOT_WORSE)
        night->got_worse++;
    else if (change == RESULTS_CHANGE_FIXED)
        night->fixed++;
    else if (change == RESULTS_CHANGE_KEYS_CHANGED) {
        night->keys_changed++;
        w->h->n_rolled++;
        if (w->h->rolled_listed >= RESULTS_REPORT_ROWS)
            return RESULTS_OK;
        if (!w->heading_done) {
            /* One heading row per scan: the rows under it are that scan's rollovers. */
            results_buf_str(&w->h->rolled, "<tr class=\"night\" data-night=\"");
            results_html_text(&w->h->rolled, night->name);
            results_buf_str(&w->h->rolled, "\"><th colspan=\"7\">");
            results_html_text(&w->h->rolled, night->name);
            results_buf_str(&w->h->rolled, " (compared with ");
            results_html_text(&w->h->rolled, night->prev);
            results_buf_str(&w->h->rolled, ")</th></tr>\n");
            w->heading_done = true;
        }
        w->h->rolled_listed++;
        results_html_keys_row(&w->h->rolled, domain, o, n);
    }
    return RESULTS_OK;
}

int results_report_history_collect(results_store_t *store, const results_scan_info_t *info,
                                   unsigned n, results_report_history_t *h,
                                   const results_report_history_walk_t *also)
{
    results_scan_info_t *list = NULL;
    size_t count = 0;
    memset(h, 0, sizeof *h);
    int rc = results_scans_list(store, &list, &count);
    if (rc < 0)
        return rc;
    /* Finished scans started up to the reported one, in start order. */
    size_t *pick = malloc((count ? count : 1) * sizeof *pick);
    if (!pick) {
        results_scans_free(list, count);
        return RESULTS_ENOMEM;
    }
    size_t n_pick = 0;
    for (size_t i = 0; i < count; i++)
        if (list[i].finished && list[i].seq <= info->seq)
            pick[n_pick++] = i;
    for (size_t i = n_pick; i-- > 0;)
        if (list[pick[i]].seq < info->seq) {
            snprintf(h->yesterday, sizeof h->yesterday, "%s", list[pick[i]].name);
            break;
        }
    size_t first = n_pick > n ? n_pick - n : 0;
    h->nights = calloc(n_pick - first ? n_pick - first : 1, sizeof *h->nights);
    if (!h->nights) {
        rc = RESULTS_ENOMEM;
        goto done;
    }
    for (size_t k = first; k < n_pick; k++) {
        const results_scan_info_t *s = &list[pick[k]];
        results_report_night_t *night = &h->nights[h->n++];
        snprintf(night->name, sizeof night->name, "%s", s->name);
        night->started_at = s->started_at;
        night->total = s->total;
        memcpy(night->counts, s->counts, sizeof night->counts);
        if (k == 0)
            continue;
        snprintf(night->prev, sizeof night->prev, "%s", list[pick[k - 1]].name);
        /* The reported scan against the one before it is also the page's comparison: one
         * walk serves both. */
        bool shared =
            also && strcmp(night->name, info->name) == 0 && strcmp(night->prev, h->yesterday) == 0;
        night_walk_t w = {night, h, false, shared ? also : NULL};
        rc = results_diff_walk(store, night->prev, night->name, true, note_night_change, &w,
                               shared ? also->counts : NULL);
        if (shared && rc >= 0)
            h->compared = true;
        if (rc < 0)
            goto done;
    }
    rc = RESULTS_OK;
done:
    free(pick);
    results_scans_free(list, count);
    if (rc < 0)
        results_report_history_free(h);
    return rc;
}

void results_report_history_free(results_report_history_t *h)
{
    free(h->nights);
    h->nights = NULL;
    h->n = 0;
    results_buf_free(&h->rolled);
}
