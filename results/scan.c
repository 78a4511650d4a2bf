/*
 * Writing a scan: one writer, batched.
 *
 * results_put() encodes the record at once into a batch log (key, value) and a small hash set
 * of the batch's keys; a commit replays the log in one write transaction. Keeping the log (not
 * an open write transaction) is what makes "map full" harmless: LMDB discards a transaction that
 * hits MDB_MAP_FULL, so results_write() doubles the map and replays the same log. It also keeps
 * the write lock free between commits.
 *
 * results_has() answers from the batch's hash set, then from a read transaction kept open
 * between commits (renewed after each one), so a resume skip pass costs one B-tree lookup per
 * name.
 */
#include "results/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct results_scan {
    results_store_t *s;
    char *name;
    results_scan_meta_t meta; /* as committed */
    uint64_t counts_work[VERIFY_STATUS_COUNT];

    results_buf_t log; /* entries: u16 key length | key | u32 value length | value */
    size_t batch_n;
    uint64_t pending_new; /* domains in the batch not yet in the committed store */
    uint64_t batch_start_ms;
    uint64_t last_sync_ms;
    size_t *slots; /* open addressing over log offsets + 1; 0 = empty */
    size_t nslots;

    bool locked;   /* holds the scan's write lock (results_scan_lock) */
    MDB_txn *rtxn; /* for results_has(); reset while a commit runs */
    bool rtxn_live;
    results_buf_t enc;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The store key is the domain as given, so one spelling per name: lower case, no trailing dot
 * (the scanner folds case; a mismatch here would make resume rescan the name). */
static bool valid_domain(const char *d)
{
    size_t n = d ? strlen(d) : 0;
    if (n == 0 || n > 253 || d[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++)
        if (d[i] >= 'A' && d[i] <= 'Z')
            return false;
    return true;
}

static bool valid_scan_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > RESULTS_SCAN_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return false;
    return true;
}

/* ---- the batch's key set ---- */

static uint64_t hash_key(const uint8_t *k, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ k[i]) * 1099511628211ULL;
    return h;
}

static void log_entry(const results_scan_t *sc, size_t off, MDB_val *k, MDB_val *v)
{
    const uint8_t *p = sc->log.data + off;
    uint16_t kl;
    uint32_t vl;
    memcpy(&kl, p, 2);
    k->mv_size = kl;
    k->mv_data = (void *)(p + 2);
    memcpy(&vl, p + 2 + kl, 4);
    v->mv_size = vl;
    v->mv_data = (void *)(p + 6 + kl);
}

/* Slot index where key is, or the empty slot where it would go. */
static size_t slot_find(const results_scan_t *sc, const uint8_t *key, size_t n)
{
    size_t mask = sc->nslots - 1;
    for (size_t i = hash_key(key, n) & mask;; i = (i + 1) & mask) {
        if (!sc->slots[i])
            return i;
        MDB_val k, v;
        log_entry(sc, sc->slots[i] - 1, &k, &v);
        if (k.mv_size == n && memcmp(k.mv_data, key, n) == 0)
            return i;
    }
}

static int slots_grow(results_scan_t *sc)
{
    size_t n = sc->nslots ? sc->nslots * 2 : 1024;
    size_t *old = sc->slots, old_n = sc->nslots;
    sc->slots = calloc(n, sizeof *sc->slots);
    if (!sc->slots) {
        sc->slots = old;
        return RESULTS_ENOMEM;
    }
    sc->nslots = n;
    for (size_t i = 0; i < old_n; i++) {
        if (!old[i])
            continue;
        MDB_val k, v;
        log_entry(sc, old[i] - 1, &k, &v);
        sc->slots[slot_find(sc, k.mv_data, k.mv_size)] = old[i];
    }
    free(old);
    return RESULTS_OK;
}

static bool in_batch(const results_scan_t *sc, const uint8_t *key, size_t n)
{
    return sc->batch_n && sc->slots[slot_find(sc, key, n)] != 0;
}

/* ---- the read transaction of results_has() ---- */

static void rtxn_reset(results_scan_t *sc)
{
    if (sc->rtxn && sc->rtxn_live)
        mdb_txn_reset(sc->rtxn);
    sc->rtxn_live = false;
}

/* 1 when key is committed (its value in *val when val is not NULL; valid until the next
 * commit), 0 when not. */
static int in_store(results_scan_t *sc, const uint8_t *key, size_t n, MDB_val *val)
{
    int rc;
    if (!sc->rtxn_live && sc->rtxn) {
        rc = mdb_txn_renew(sc->rtxn);
        if (rc) {
            mdb_txn_abort(sc->rtxn);
            sc->rtxn = NULL;
        }
    }
    if (!sc->rtxn) {
        rc = results_txn_begin(sc->s, MDB_RDONLY, &sc->rtxn);
        if (rc < 0) {
            sc->rtxn = NULL;
            return rc;
        }
    }
    sc->rtxn_live = true;
    MDB_val k = {n, (void *)key}, v;
    rc = mdb_get(sc->rtxn, sc->s->dbi_records, &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return results_fail(sc->s, "mdb_get", rc);
    if (val)
        *val = v;
    return 1;
}

/* ---- commit ---- */

int results_put_scan_meta(results_store_t *s, MDB_txn *txn, const char *name,
                          const results_scan_meta_t *m)
{
    results_buf_t b = {0};
    int rc = results_scan_meta_encode(m, &b);
    if (rc == 0) {
        MDB_val k = {strlen(name), (void *)name}, v = {b.len, b.data};
        rc = mdb_put(txn, s->dbi_scans, &k, &v, 0);
    }
    results_buf_free(&b);
    return rc;
}

static int replay_batch(results_store_t *s, MDB_txn *txn, void *ctx)
{
    results_scan_t *sc = ctx;
    memcpy(sc->counts_work, sc->meta.counts, sizeof sc->counts_work);
    for (size_t off = 0; off < sc->log.len;) {
        MDB_val k, v, old;
        log_entry(sc, off, &k, &v);
        off += 6 + k.mv_size + v.mv_size;
        old = v;
        int rc = mdb_put(txn, s->dbi_records, &k, &old, MDB_NOOVERWRITE);
        if (rc == MDB_KEYEXIST) {
            /* A replaced record moves from its old status to the new one. */
            const uint8_t *p = old.mv_data;
            if (old.mv_size && p[0] < VERIFY_STATUS_COUNT && sc->counts_work[p[0]])
                sc->counts_work[p[0]]--;
            rc = mdb_put(txn, s->dbi_records, &k, &v, 0);
        }
        if (rc)
            return rc;
        sc->counts_work[((const uint8_t *)v.mv_data)[0]]++;
    }
    results_scan_meta_t m = sc->meta;
    memcpy(m.counts, sc->counts_work, sizeof m.counts);
    return results_put_scan_meta(s, txn, sc->name, &m);
}

int results_flush(results_scan_t *scan)
{
    if (!scan)
        return RESULTS_EINVAL;
    if (scan->batch_n == 0)
        return RESULTS_OK;
    rtxn_reset(scan);
    int rc = results_write(scan->s, replay_batch, scan);
    if (rc < 0)
        return rc; /* the batch stays buffered; a later flush retries it */
    memcpy(scan->meta.counts, scan->counts_work, sizeof scan->meta.counts);
    scan->log.len = 0;
    scan->batch_n = 0;
    scan->pending_new = 0;
    memset(scan->slots, 0, scan->nslots * sizeof *scan->slots);
    uint64_t now = now_ms();
    if (now - scan->last_sync_ms >= scan->s->opts.sync_ms) {
        scan->last_sync_ms = now;
        int src = mdb_env_sync(scan->s->env, 1);
        if (src)
            return results_fail(scan->s, "mdb_env_sync", src);
    }
    return RESULTS_OK;
}

int results_scan_put_encoded(results_scan_t *scan, const char *domain, size_t dn,
                             const uint8_t *val, size_t vl, bool keep_newer)
{
    uint8_t key[RESULTS_KEY_MAX];
    int rc;
    if (dn == 0 || dn > 253 || vl == 0 || vl > UINT32_MAX)
        return RESULTS_EINVAL;
    memcpy(key + 4, domain, dn);
    results_make_key(scan->meta.id, "", key);
    size_t kn = 4 + dn;
    if ((scan->batch_n + 1) * 2 > scan->nslots && (rc = slots_grow(scan)) < 0)
        return rc;

    MDB_val old_k, old_v = {0, NULL};
    size_t slot = slot_find(scan, key, kn);
    bool known = scan->batch_n && scan->slots[slot];
    if (known) {
        log_entry(scan, scan->slots[slot] - 1, &old_k, &old_v);
    } else {
        rc = in_store(scan, key, kn, &old_v);
        if (rc < 0)
            return rc;
        known = rc == 1;
    }
    if (known && keep_newer &&
        results_peek_scanned_at(old_v.mv_data, old_v.mv_size) > results_peek_scanned_at(val, vl))
        return RESULTS_OK;
    size_t off = scan->log.len;
    uint16_t kl = (uint16_t)kn;
    uint32_t vl32 = (uint32_t)vl;
    results_buf_reserve(&scan->log, 6 + kn + vl);
    results_buf_put(&scan->log, &kl, 2);
    results_buf_put(&scan->log, key, kn);
    results_buf_put(&scan->log, &vl32, 4);
    results_buf_put(&scan->log, val, vl);
    if (scan->log.failed) {
        scan->log.failed = false;
        scan->log.len = off;
        return RESULTS_ENOMEM;
    }
    /* The newest entry for a key wins in has(); the replay applies them in order. */
    scan->slots[slot] = off + 1;
    if (!known)
        scan->pending_new++;
    if (scan->batch_n++ == 0)
        scan->batch_start_ms = now_ms();
    if (scan->batch_n >= scan->s->opts.batch_records ||
        now_ms() - scan->batch_start_ms >= scan->s->opts.batch_ms)
        return results_flush(scan);
    return RESULTS_OK;
}

int results_put(results_scan_t *scan, const results_record_t *rec)
{
    if (!scan || !rec || !valid_domain(rec->domain))
        return RESULTS_EINVAL;
    scan->enc.len = 0;
    int rc = results_encode_into(rec, &scan->enc);
    if (rc < 0)
        return rc;
    return results_scan_put_encoded(scan, rec->domain, strlen(rec->domain), scan->enc.data,
                                    scan->enc.len, false);
}

int results_has(results_scan_t *scan, const char *domain)
{
    uint8_t key[RESULTS_KEY_MAX];
    if (!scan || !valid_domain(domain))
        return RESULTS_EINVAL;
    size_t kn = results_make_key(scan->meta.id, domain, key);
    if (in_batch(scan, key, kn))
        return 1;
    return in_store(scan, key, kn, NULL);
}

uint64_t results_scan_stored(const results_scan_t *scan)
{
    uint64_t n = 0;
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        n += scan->meta.counts[i];
    return n + scan->pending_new;
}

const char *results_scan_name(const results_scan_t *scan)
{
    return scan ? scan->name : NULL;
}

/* ---- lifecycle ---- */

static void scan_free(results_scan_t *sc)
{
    if (!sc)
        return;
    if (sc->rtxn)
        mdb_txn_abort(sc->rtxn);
    if (sc->locked)
        results_scan_unlock(sc->s, sc->meta.id);
    results_scan_meta_clear(&sc->meta);
    results_buf_free(&sc->log);
    results_buf_free(&sc->enc);
    free(sc->slots);
    free(sc->name);
    free(sc);
}

static results_scan_t *scan_alloc(results_store_t *s, const char *name)
{
    results_scan_t *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    sc->s = s;
    sc->last_sync_ms = now_ms();
    if (!(sc->name = strdup(name)) || slots_grow(sc) < 0) {
        scan_free(sc);
        return NULL;
    }
    return sc;
}

static int create_scan(results_store_t *s, MDB_txn *txn, void *ctx)
{
    results_scan_t *sc = ctx;
    results_scan_meta_t existing;
    int rc = results_scan_find(s, txn, sc->name, &existing, NULL);
    if (rc == 0) {
        results_scan_meta_clear(&existing);
        return RESULTS_EEXIST;
    }
    if (rc != RESULTS_ENOTFOUND)
        return rc;
    rc = results_alloc_scan_id(s, txn, &sc->meta.id);
    if (rc)
        return rc;
    return results_put_scan_meta(s, txn, sc->name, &sc->meta);
}

int results_alloc_scan_id(results_store_t *s, MDB_txn *txn, uint32_t *id)
{
    uint32_t next = 1;
    int rc = results_meta_get_u32(txn, s->dbi_meta, "next_scan_id", &next);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    if (next == 0 || next == UINT32_MAX)
        return RESULTS_ECORRUPT;
    *id = next;
    return results_meta_put_u32(txn, s->dbi_meta, "next_scan_id", next + 1);
}

int results_scan_attach(results_store_t *store, const char *name, results_scan_meta_t *meta,
                        results_scan_t **out)
{
    results_scan_t *sc = scan_alloc(store, name);
    *out = NULL;
    if (!sc)
        return RESULTS_ENOMEM;
    sc->meta = *meta;
    memset(meta, 0, sizeof *meta);
    int rc = results_scan_lock(store, sc->meta.id);
    if (rc < 0) {
        scan_free(sc);
        return rc;
    }
    sc->locked = true;
    *out = sc;
    return RESULTS_OK;
}

static char *dup_opt(const char *s, bool *failed)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *failed = true;
    return d;
}

int results_scan_begin(results_store_t *store, const char *name, const char *input_desc,
                       const char *options_text, results_scan_t **out)
{
    return results_scan_begin_ex(store, name, input_desc, options_text, NULL, out);
}

int results_scan_begin_ex(results_store_t *store, const char *name, const char *input_desc,
                          const char *options_text, const char *settings, results_scan_t **out)
{
    int rc = RESULTS_ENOMEM;
    bool failed = false;
    results_scan_t *sc = NULL;
    if (!out)
        return RESULTS_EINVAL;
    *out = NULL;
    if (!store || !valid_scan_name(name))
        return RESULTS_EINVAL;
    if (store->flags & RESULTS_READONLY)
        return RESULTS_EREADONLY;
    if (!(sc = scan_alloc(store, name)))
        goto fail;
    sc->meta.started_at = (int64_t)time(NULL);
    sc->meta.input_desc = dup_opt(input_desc, &failed);
    sc->meta.options = dup_opt(options_text, &failed);
    sc->meta.settings = dup_opt(settings, &failed);
    if (failed)
        goto fail;
    rc = results_write(store, create_scan, sc);
    if (rc < 0)
        goto fail;
    if ((rc = results_scan_lock(store, sc->meta.id)) < 0)
        goto fail;
    sc->locked = true;
    *out = sc;
    return RESULTS_OK;
fail:
    scan_free(sc);
    return rc;
}

int results_scan_resume(results_store_t *store, const char *name, results_scan_t **out)
{
    int rc;
    MDB_txn *txn = NULL;
    char *found = NULL;
    results_scan_t *sc = NULL;
    results_scan_meta_t meta = {0};
    if (!out)
        return RESULTS_EINVAL;
    *out = NULL;
    if (!store || (name && !valid_scan_name(name)))
        return RESULTS_EINVAL;
    if (store->flags & RESULTS_READONLY)
        return RESULTS_EREADONLY;
    rc = results_txn_begin(store, MDB_RDONLY, &txn);
    if (rc < 0)
        goto fail;
    rc = results_scan_find_ex(store, txn, name, name == NULL, &meta, &found);
    mdb_txn_abort(txn);
    if (rc < 0)
        goto fail;
    if (meta.finished) {
        rc = RESULTS_EFINISHED;
        goto fail;
    }
    rc = RESULTS_ENOMEM;
    if (!(sc = scan_alloc(store, found)))
        goto fail;
    sc->meta = meta;
    memset(&meta, 0, sizeof meta);
    if ((rc = results_scan_lock(store, sc->meta.id)) < 0)
        goto fail;
    sc->locked = true;
    free(found);
    *out = sc;
    return RESULTS_OK;
fail:
    results_scan_meta_clear(&meta);
    free(found);
    scan_free(sc);
    return rc;
}

static int mark_finished(results_store_t *s, MDB_txn *txn, void *ctx)
{
    results_scan_t *sc = ctx;
    return results_put_scan_meta(s, txn, sc->name, &sc->meta);
}

int results_scan_finish(results_scan_t *scan, uint64_t counts[VERIFY_STATUS_COUNT])
{
    if (!scan)
        return RESULTS_EINVAL;
    int rc = results_flush(scan);
    if (rc == 0) {
        rtxn_reset(scan);
        scan->meta.finished = true;
        scan->meta.finished_at = (int64_t)time(NULL);
        rc = results_write(scan->s, mark_finished, scan);
    }
    if (rc == 0) {
        int src = mdb_env_sync(scan->s->env, 1);
        if (src)
            rc = results_fail(scan->s, "mdb_env_sync", src);
    }
    if (rc == 0 && counts)
        memcpy(counts, scan->meta.counts, sizeof scan->meta.counts);
    scan_free(scan);
    return rc;
}

int results_scan_close(results_scan_t *scan)
{
    if (!scan)
        return RESULTS_OK;
    int rc = results_flush(scan);
    if (rc == 0) {
        int src = mdb_env_sync(scan->s->env, 1);
        if (src)
            rc = results_fail(scan->s, "mdb_env_sync", src);
    }
    scan_free(scan);
    return rc;
}
