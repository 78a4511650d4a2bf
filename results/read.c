/* Reading: scan lookup and listing, one record, iteration in domain order. */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

struct results_iter {
    results_store_t *s;
    MDB_txn *txn;
    MDB_cursor *cur;
    uint8_t prefix[4];
    bool started;
    bool done;
    bool summary_only;
    results_arena_t *arena;
    results_record_t rec;
};

static void info_from_meta(results_scan_info_t *info, char *name, results_scan_meta_t *m)
{
    memset(info, 0, sizeof *info);
    info->name = name;
    info->input_desc = m->input_desc;
    info->options = m->options;
    info->settings = m->settings;
    m->input_desc = m->options = m->settings = NULL;
    info->started_at = m->started_at;
    info->finished_at = m->finished_at;
    info->finished = m->finished;
    info->seq = m->id;
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++) {
        info->counts[i] = m->counts[i];
        info->total += m->counts[i];
    }
}

void results_scan_info_clear(results_scan_info_t *info)
{
    if (!info)
        return;
    free(info->name);
    free(info->input_desc);
    free(info->options);
    free(info->settings);
    memset(info, 0, sizeof *info);
}

int results_settings_get(const char *settings, const char *key, char *buf, size_t len)
{
    size_t klen = key ? strlen(key) : 0;
    for (const char *line = settings; line && *line && klen;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n > klen && line[klen] == '=' && strncmp(line, key, klen) == 0) {
            size_t vn = n - klen - 1;
            if (vn + 1 > len)
                return -1;
            memcpy(buf, line + klen + 1, vn);
            buf[vn] = '\0';
            return 1;
        }
        line = end ? end + 1 : NULL;
    }
    return 0;
}

const char *results_settings_mode(const char *settings, char *buf, size_t len)
{
    return results_settings_get(settings, "mode", buf, len) == 1 ? buf : NULL;
}

int results_scan_lookup(results_store_t *store, const char *name, results_scan_info_t *out)
{
    MDB_txn *txn = NULL;
    results_scan_meta_t m;
    char *found = NULL;
    if (!store || !out)
        return RESULTS_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = results_txn_begin(store, MDB_RDONLY, &txn);
    if (rc < 0)
        return rc;
    rc = results_scan_find(store, txn, name, &m, &found);
    mdb_txn_abort(txn);
    if (rc < 0)
        return rc;
    info_from_meta(out, found, &m);
    results_scan_meta_clear(&m);
    return RESULTS_OK;
}

/* Creation order: what "latest" means everywhere, even for scans started in the same second. */
static int by_seq(const void *a, const void *b)
{
    const results_scan_info_t *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int results_scans_list(results_store_t *store, results_scan_info_t **out, size_t *n)
{
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;
    MDB_val k, v;
    results_scan_info_t *list = NULL;
    size_t count = 0, cap = 0;
    int rc, lrc;
    if (!store || !out || !n)
        return RESULTS_EINVAL;
    *out = NULL;
    *n = 0;
    rc = results_txn_begin(store, MDB_RDONLY, &txn);
    if (rc < 0)
        return rc;
    lrc = mdb_cursor_open(txn, store->dbi_scans, &cur);
    if (lrc) {
        rc = results_fail(store, "mdb_cursor_open", lrc);
        goto fail;
    }
    for (lrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); lrc == 0;
         lrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            results_scan_info_t *nl = realloc(list, ncap * sizeof *nl);
            if (!nl) {
                rc = RESULTS_ENOMEM;
                goto fail;
            }
            list = nl;
            cap = ncap;
        }
        results_scan_meta_t m;
        rc = results_scan_meta_decode(v.mv_data, v.mv_size, &m);
        if (rc < 0)
            goto fail;
        char *name = malloc(k.mv_size + 1);
        if (!name) {
            results_scan_meta_clear(&m);
            rc = RESULTS_ENOMEM;
            goto fail;
        }
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = '\0';
        info_from_meta(&list[count++], name, &m);
        results_scan_meta_clear(&m);
    }
    if (lrc != MDB_NOTFOUND) {
        rc = results_fail(store, "mdb_cursor_get", lrc);
        goto fail;
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    if (count)
        qsort(list, count, sizeof *list, by_seq);
    *out = list;
    *n = count;
    return RESULTS_OK;
fail:
    if (cur)
        mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    results_scans_free(list, count);
    return rc;
}

void results_scans_free(results_scan_info_t *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        results_scan_info_clear(&list[i]);
    free(list);
}

int results_scans_print(results_store_t *store, FILE *out)
{
    results_scan_info_t *list = NULL;
    size_t n = 0;
    char t1[RESULTS_TIME_BUFSZ], t2[RESULTS_TIME_BUFSZ];
    int rc = results_scans_list(store, &list, &n);
    if (rc < 0)
        return rc;
    fprintf(out, "%-24s %-20s %-20s %-8s %-13s %9s", "name", "start", "end", "finished", "mode",
            "total");
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++)
        fprintf(out, " %*s", s == VERIFY_STATUS_INDETERMINATE ? 13 : 9,
                verify_status_name((verify_status_t)s));
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        const results_scan_info_t *sc = &list[i];
        char mode[32];
        /* "-": a scan stored before modes were recorded. */
        const char *m = results_settings_mode(sc->settings, mode, sizeof mode);
        fprintf(out, "%-24s %-20s %-20s %-8s %-13s %9llu", sc->name,
                results_format_time(sc->started_at, t1),
                sc->finished ? results_format_time(sc->finished_at, t2) : "-",
                sc->finished ? "yes" : "no", m ? m : "-", (unsigned long long)sc->total);
        for (int s = 0; s < VERIFY_STATUS_COUNT; s++)
            fprintf(out, " %*llu", s == VERIFY_STATUS_INDETERMINATE ? 13 : 9,
                    (unsigned long long)sc->counts[s]);
        fputc('\n', out);
    }
    results_scans_free(list, n);
    return ferror(out) ? RESULTS_EIO : RESULTS_OK;
}

int results_get_named(results_store_t *store, const char *scan_name, const char *domain,
                      results_scan_info_t *info, results_record_t *rec)
{
    char name[256];
    size_t n = domain ? strlen(domain) : 0;
    if (!store || n == 0 || n >= sizeof name)
        return RESULTS_EINVAL;
    for (size_t i = 0; i <= n; i++)
        name[i] = (char)(domain[i] >= 'A' && domain[i] <= 'Z' ? domain[i] - 'A' + 'a' : domain[i]);
    if (n > 1 && name[n - 1] == '.')
        name[n - 1] = '\0';
    int rc = results_scan_lookup(store, scan_name, info);
    if (rc < 0)
        return rc;
    rc = results_get(store, info->name, name, rec);
    if (rc != 0)
        results_scan_info_clear(info);
    return rc;
}

int results_get(results_store_t *store, const char *scan_name, const char *domain,
                results_record_t *out)
{
    MDB_txn *txn = NULL;
    results_scan_meta_t m;
    uint8_t key[RESULTS_KEY_MAX];
    results_arena_t *arena = NULL;
    if (!out)
        return RESULTS_EINVAL;
    memset(out, 0, sizeof *out);
    size_t dn = domain ? strlen(domain) : 0;
    if (!store || dn == 0 || dn > 253)
        return RESULTS_EINVAL;
    int rc = results_txn_begin(store, MDB_RDONLY, &txn);
    if (rc < 0)
        return rc;
    rc = results_scan_find(store, txn, scan_name, &m, NULL);
    if (rc < 0)
        goto done;
    size_t kn = results_make_key(m.id, domain, key);
    results_scan_meta_clear(&m);
    MDB_val k = {kn, key}, v;
    int lrc = mdb_get(txn, store->dbi_records, &k, &v);
    if (lrc) {
        rc = lrc == MDB_NOTFOUND ? RESULTS_ENOTFOUND : results_fail(store, "mdb_get", lrc);
        goto done;
    }
    if (!(arena = results_arena_new())) {
        rc = RESULTS_ENOMEM;
        goto done;
    }
    rc = results_decode_with(arena, domain, dn, v.mv_data, v.mv_size, false, out);
    if (rc == 0) {
        out->arena_ = arena;
        arena = NULL;
    }
done:
    results_arena_free(arena);
    mdb_txn_abort(txn);
    return rc;
}

int results_iter_open(results_store_t *store, const char *scan_name, bool summary_only,
                      results_iter_t **out)
{
    results_scan_meta_t m;
    results_iter_t *it = NULL;
    int rc = RESULTS_ENOMEM, lrc;
    if (!out)
        return RESULTS_EINVAL;
    *out = NULL;
    if (!store)
        return RESULTS_EINVAL;
    if (!(it = calloc(1, sizeof *it)) || !(it->arena = results_arena_new()))
        goto fail;
    it->s = store;
    it->summary_only = summary_only;
    rc = results_txn_begin(store, MDB_RDONLY, &it->txn);
    if (rc < 0) {
        it->txn = NULL;
        goto fail;
    }
    rc = results_scan_find(store, it->txn, scan_name, &m, NULL);
    if (rc < 0)
        goto fail;
    results_make_key(m.id, "", it->prefix);
    results_scan_meta_clear(&m);
    lrc = mdb_cursor_open(it->txn, store->dbi_records, &it->cur);
    if (lrc) {
        rc = results_fail(store, "mdb_cursor_open", lrc);
        goto fail;
    }
    *out = it;
    return RESULTS_OK;
fail:
    results_iter_free(it);
    return rc;
}

int results_iter_new(results_store_t *store, const char *scan_name, results_iter_t **out)
{
    return results_iter_open(store, scan_name, false, out);
}

int results_iter_next(results_iter_t *it, const results_record_t **rec)
{
    MDB_val k, v;
    int lrc;
    if (!it || !rec)
        return RESULTS_EINVAL;
    *rec = NULL;
    if (it->done)
        return 0;
    if (!it->started) {
        it->started = true;
        k.mv_size = sizeof it->prefix;
        k.mv_data = it->prefix;
        lrc = mdb_cursor_get(it->cur, &k, &v, MDB_SET_RANGE);
    } else {
        lrc = mdb_cursor_get(it->cur, &k, &v, MDB_NEXT);
    }
    if (lrc == 0 && (k.mv_size <= 4 || k.mv_size > RESULTS_KEY_MAX - 1 ||
                     memcmp(k.mv_data, it->prefix, 4) != 0))
        lrc = MDB_NOTFOUND; /* past the last record of this scan */
    if (lrc == MDB_NOTFOUND) {
        it->done = true;
        return 0;
    }
    if (lrc)
        return results_fail(it->s, "mdb_cursor_get", lrc);
    results_arena_reset(it->arena);
    int rc = results_decode_with(it->arena, (const char *)k.mv_data + 4, k.mv_size - 4, v.mv_data,
                                 v.mv_size, it->summary_only, &it->rec);
    if (rc < 0) {
        snprintf(it->s->errdetail, sizeof it->s->errdetail, "record of %.*s does not decode",
                 (int)(k.mv_size - 4), (const char *)k.mv_data + 4);
        return rc;
    }
    *rec = &it->rec;
    return 1;
}

void results_iter_free(results_iter_t *it)
{
    if (!it)
        return;
    if (it->cur)
        mdb_cursor_close(it->cur);
    if (it->txn)
        mdb_txn_abort(it->txn);
    results_arena_free(it->arena);
    free(it);
}
