/* scanner_run: set-up and tear-down of one scan (store, input, anchors, engine, pool, loop). */
#include "scanner/internal.h"
#include "scanner/zones.h"
#include "scanner/feed.h"
#include "scanner/progress.h"
#include "scanner/metrics.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "scanner/anchor.h"
#include "scanner/settings.h"
#include "text/text.h"

/* What --strict reads through before anything is sent: the zone file of --zone-file, or the
 * input file of names. */
typedef struct strict_source {
    const char *path;
    const char *unit; /* what one entry is called in the summary */
    scanner_zonefile_t *zf;
    scanner_input_t *in;
    scanner_input_item_t item;
} strict_source_t;

static int source_open(strict_source_t *src, const scanner_config_t *cfg)
{
    memset(src, 0, sizeof *src);
    if (cfg->zone_file) {
        src->path = cfg->zone_file;
        src->unit = "record";
        return scanner_zonefile_open(cfg->zone_file, NULL, &src->zf);
    }
    src->path = cfg->input;
    src->unit = "line";
    return scanner_input_open(cfg->input, &src->in);
}

/* Reads the next entry: > 0 with *bad set when it could not be read, 0 at the end, or a negative
 * error. */
static int source_next(strict_source_t *src, bool *bad)
{
    int kind;
    if (src->zf) {
        scanner_zonefile_delegation_t dg;
        kind = scanner_zonefile_next(src->zf, &dg);
        *bad = kind == ZONEFILE_BAD;
    } else {
        kind = scanner_input_next(src->in, &src->item);
        *bad = kind == SCANNER_INPUT_BAD;
    }
    return kind;
}

/* Where the last bad entry or error is, and what is wrong there ("" when not known). */
static unsigned long long source_line(const strict_source_t *src)
{
    return src->zf ? scanner_zonefile_error_line(src->zf) : src->item.line;
}

static const char *source_error(const strict_source_t *src)
{
    return src->zf ? scanner_zonefile_error(src->zf) : src->item.error;
}

static void source_close(strict_source_t *src)
{
    scanner_zonefile_free(src->zf);
    scanner_input_free(src->in);
}

/* --strict: every entry must be valid before anything is sent. Returns 0 or 2. */
static int strict_precheck(const scanner_config_t *cfg)
{
    if (!cfg->zone_file && (!cfg->input || strcmp(cfg->input, "-") == 0)) {
        fprintf(stderr, "dnssweep scan: --strict needs an input FILE (stdin cannot be read "
                        "twice)\n");
        return 2;
    }
    strict_source_t src;
    int rc = source_open(&src, cfg);
    if (rc != 0) {
        fprintf(stderr, "dnssweep scan: %s: %s\n", src.path, strerror(-rc));
        return 2;
    }
    unsigned bad = 0;
    bool entry_bad;
    int kind;
    while ((kind = source_next(&src, &entry_bad)) > 0)
        if (entry_bad && bad++ < 20)
            fprintf(stderr, "dnssweep scan: %s:%llu: %s\n", src.path, source_line(&src),
                    source_error(&src));
    if (kind < 0)
        fprintf(stderr, "dnssweep scan: %s:%llu: %s\n", src.path, source_line(&src),
                source_error(&src)[0] ? source_error(&src) : strerror(-kind));
    source_close(&src);
    if (kind < 0 || bad) {
        fprintf(stderr, "dnssweep scan: %u bad %s(s) in %s; nothing was sent (--strict)\n", bad,
                src.unit, src.path);
        return 2;
    }
    return 0;
}

static void print_zone_summary(const scanner_t *s)
{
    const scanner_zonefile_stats_t *zs = scanner_zonefile_stats(s->zonefile);
    fprintf(stderr,
            "dnssweep: zone file %s (apex %s): %llu records, %llu delegations, %llu malformed; "
            "DS from the file for %llu domains, from the parent's servers for %llu\n",
            s->cfg->zone_file, scanner_zonefile_apex(s->zonefile), (unsigned long long)zs->records,
            (unsigned long long)zs->delegations, (unsigned long long)zs->bad,
            (unsigned long long)s->stats.ds_from_file, (unsigned long long)s->stats.ds_from_wire);
    if (s->stats.duplicates)
        fprintf(stderr,
                "dnssweep: %llu delegations appear more than once in %s (their records are not "
                "contiguous); only the first run of each was scanned: sort the file by owner "
                "(e.g. ldns-read-zone -z) and scan again\n",
                (unsigned long long)s->stats.duplicates, s->cfg->zone_file);
}

static void default_scan_name(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int open_scan(scanner_t *s, const scanner_config_t *cfg, const ldns_rr_list *hints,
                     const char *skipped, char *name, size_t name_len)
{
    int rc = results_open(cfg->db_dir, 0, &s->store);
    if (rc == RESULTS_ENFILE) {
        char hint[200];
        scan_fd_hint(hint, sizeof hint);
        fprintf(stderr, "dnssweep: cannot open the results store %s: %s\n", cfg->db_dir, hint);
        return 1;
    }
    if (rc == RESULTS_EREMOTE) {
        char detail[512];
        results_fs_check(cfg->db_dir, detail, sizeof detail);
        fprintf(stderr, "dnssweep: %s\n", detail);
        return 2;
    }
    if (rc != 0) {
        fprintf(stderr, "dnssweep: cannot open the results store %s: %s (%s)\n", cfg->db_dir,
                results_strerror(rc), strerror(errno));
        return 1;
    }
    if (cfg->resume) {
        rc = results_scan_resume(s->store, cfg->scan_name, &s->scan);
        if (rc != 0) {
            char hint[200];
            fprintf(stderr, "dnssweep: cannot resume scan %s in %s: %s\n",
                    cfg->scan_name ? cfg->scan_name : "(latest unfinished)", cfg->db_dir,
                    scan_fd_reason(hint, sizeof hint, rc == RESULTS_ENFILE, results_strerror(rc)));
            return rc == RESULTS_ENOTFOUND || rc == RESULTS_EFINISHED ? 2 : 1;
        }
        return 0;
    }
    if (cfg->scan_name)
        snprintf(name, name_len, "%s", cfg->scan_name);
    else
        default_scan_name(name, name_len);
    char desc[512], options[128];
    text_buf_t opt;
    text_init(&opt, options, sizeof options);
    if (cfg->input_desc)
        snprintf(desc, sizeof desc, "%s", cfg->input_desc);
    else if (cfg->zone_file)
        snprintf(desc, sizeof desc, "zone file %s", cfg->zone_file);
    else
        snprintf(desc, sizeof desc, "%s", cfg->input ? cfg->input : "-");
    /* The shard a store holds: dnssweep merge refuses overlapping shards (results_merge). */
    if (cfg->shard_n)
        text_printf(&opt, "shard=%u/%u", cfg->shard_k, cfg->shard_n);
    /* Address families the host could not route (route.c): the scan's results lack them. */
    if (skipped[0])
        text_printf(&opt, "%sunroutable=%s", opt.len ? " " : "", skipped);
    /* What a --resume restores: the mode, resolver, hints, anchor, --now, ... (settings.h). */
    char *settings = scan_settings_format(cfg, hints, s->anchor);
    if (!settings) {
        fprintf(stderr, "dnssweep: out of memory\n");
        return 1;
    }
    rc = results_scan_begin_ex(s->store, name, desc, options[0] ? options : NULL, settings,
                               &s->scan);
    /* A default name never collides: a second scan started in the same second gets a suffix. */
    for (unsigned n = 2; rc == RESULTS_EEXIST && !cfg->scan_name && n < 1000; n++) {
        char base[RESULTS_SCAN_NAME_MAX + 1];
        default_scan_name(base, sizeof base);
        snprintf(name, name_len, "%s-%u", base, n);
        rc = results_scan_begin_ex(s->store, name, desc, options[0] ? options : NULL, settings,
                                   &s->scan);
    }
    free(settings);
    if (rc == RESULTS_EEXIST) {
        fprintf(stderr,
                "dnssweep: a scan named %s already exists in %s; use --resume to continue it or "
                "--scan NAME for a new one\n",
                name, cfg->db_dir);
        return 2;
    }
    if (rc != 0) {
        char hint[200];
        fprintf(stderr, "dnssweep: cannot start scan %s: %s (%s)\n", name,
                scan_fd_reason(hint, sizeof hint, rc == RESULTS_ENFILE, results_strerror(rc)),
                results_errdetail(s->store));
        return 1;
    }
    return 0;
}

static int load_anchors(scanner_t *s, const scanner_config_t *cfg, ldns_rr_list **hints)
{
    char err[512];
    if (scanner_load_root_hints(cfg->root_hints, hints, err, sizeof err) != 0) {
        fprintf(stderr, "dnssweep: root hints: %s\n", err);
        return 2;
    }
    if (scanner_load_trust_anchor(cfg->trust_anchor, &s->anchor, err, sizeof err) != 0) {
        fprintf(stderr, "dnssweep: trust anchor: %s\n", err);
        return 2;
    }
    return 0;
}

static int start_engines(scanner_t *s, const scanner_config_t *cfg)
{
    io_config_t io;
    io_config_init(&io);
    io.qps_global = cfg->qps;
    io.qps_per_server = cfg->qps_per_server;
    io.timeout_ms = cfg->timeout_ms;
    io.retries = cfg->retries;
    io.no_files_cb = scan_no_files;
    io.no_files_ctx = s;
    int rc = io_engine_new(s->loop, &io, &s->io);
    if (rc != 0) {
        char hint[200];
        fprintf(stderr, "dnssweep: cannot open the query engine's UDP sockets: %s\n",
                scan_fd_reason(hint, sizeof hint, rc == IO_ENOFILES, io_strerror(rc)));
        /* The sockets it did open are closing: let them go before the loop is closed. */
        uv_run(s->loop, UV_RUN_NOWAIT);
        return 1;
    }
    verify_thresholds_t t;
    verify_thresholds_default(&t);
    t.expiry_warning_seconds = cfg->expiry_warning_days * 86400u;
    unsigned *limit_fields[SCANNER_LIMIT_COUNT] = {
        [SCANNER_LIMIT_KEYS_PER_RRSIG] = &t.max_keys_per_rrsig,
        [SCANNER_LIMIT_RRSIGS_PER_RRSET] = &t.max_rrsigs_per_rrset,
        [SCANNER_LIMIT_OPS_PER_SERVER] = &t.max_ops_per_server,
        [SCANNER_LIMIT_OPS_PER_DOMAIN] = &t.max_ops_per_domain,
        [SCANNER_LIMIT_HASHES_PER_SERVER] = &t.max_hashes_per_server,
        [SCANNER_LIMIT_HASHES_PER_DOMAIN] = &t.max_hashes_per_domain,
        [SCANNER_LIMIT_NSEC3_ITERATIONS] = &t.nsec3_max_iterations,
    };
    for (int i = 0; i < SCANNER_LIMIT_COUNT; i++)
        if (cfg->limit_set[i])
            *limit_fields[i] = cfg->limits[i];
    if (verify_ctx_new(&t, &s->vctx) != 0)
        return 1;
    verify_pool_config_t pc = {
        .nthreads = cfg->threads,
        .notify = scan_pool_notify,
        .notify_arg = s,
        .max_pending = 0,
    };
    rc = verify_pool_new(&pc, &s->pool);
    if (rc != 0) {
        fprintf(stderr, "dnssweep: cannot start the verification workers: %s\n",
                verify_strerror(rc));
        return 1;
    }
    return 0;
}

static size_t pow2_at_least(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

/* A word for the shell: quoted unless it is plainly safe. */
static void shell_word(char *buf, size_t len, const char *word)
{
    if (word[0] && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "@%+=:,./_-") == strlen(word)) {
        snprintf(buf, len, "%s", word);
        return;
    }
    size_t used = (size_t)snprintf(buf, len, "'");
    for (const char *p = word; *p && used + 5 < len; p++)
        used += (size_t)snprintf(buf + used, len - used, *p == '\'' ? "'\\''" : "%c", *p);
    snprintf(buf + used, len - used, "'");
}

/* The command that continues this scan, run from any directory: the scan's own settings come
 * from the store (settings.h), so only the store, the name and the input are needed. */
static void print_resume_hint(const scanner_config_t *cfg, const char *scan_name)
{
    char db_abs[PATH_MAX], in_abs[PATH_MAX], db[2 * PATH_MAX], scan[2 * RESULTS_SCAN_NAME_MAX + 8],
        in[2 * PATH_MAX];
    shell_word(db, sizeof db, realpath(cfg->db_dir, db_abs) ? db_abs : cfg->db_dir);
    shell_word(scan, sizeof scan, scan_name);
    const char *input = cfg->input ? cfg->input : "-";
    shell_word(in, sizeof in, strcmp(input, "-") != 0 && realpath(input, in_abs) ? in_abs : input);
    fprintf(stderr, "  dnssweep scan --db %s --scan %s --resume %s%s\n", db, scan,
            cfg->zone_file ? "--zone-file " : "", in);
}

int scanner_run(const scanner_config_t *cfg)
{
    return scanner_run_named(cfg, NULL, 0);
}

int scanner_run_named(const scanner_config_t *cfg, char *scan_name_out, size_t scan_name_len)
{
    if (scan_name_out && scan_name_len)
        scan_name_out[0] = '\0';
    scanner_config_t zone_cfg, resumed_cfg;
    scan_settings_paths_t resumed_paths;
    if (cfg->resume) {
        /* The resumed scan's own mode, resolver, hints, anchor, --now, ... (cli.md). */
        int src = scan_settings_resume(cfg, &resumed_cfg, &resumed_paths);
        if (src)
            return src;
        cfg = &resumed_cfg;
    }
    if (cfg->zone_file) {
        if (cfg->input && strcmp(cfg->input, "-") != 0) {
            fprintf(stderr,
                    "dnssweep scan: --zone-file %s and the input file %s: give one of "
                    "them\n",
                    cfg->zone_file, cfg->input);
            return 2;
        }
        /* Every message about "the input" then names the zone file. */
        zone_cfg = *cfg;
        zone_cfg.input = cfg->zone_file;
        cfg = &zone_cfg;
    }
    if (cfg->strict) {
        int rc = strict_precheck(cfg);
        if (rc)
            return rc;
    }
    scan_fd_limit_raise();
    scan_heap_tune();
    if (scan_fd_preflight() != 0)
        return 1;
    scanner_t *s = calloc(1, sizeof *s);
    uv_loop_t loop;
    ldns_rr_list *hints = NULL;
    char name[RESULTS_SCAN_NAME_MAX + 1] = "";
    int rc = 1;
    int lrc = s ? uv_loop_init(&loop) : UV_ENOMEM;
    if (lrc != 0) {
        char hint[200];
        free(s);
        fprintf(stderr, "dnssweep: cannot start the event loop: %s\n",
                scan_fd_reason(hint, sizeof hint, lrc == UV_EMFILE || lrc == UV_ENFILE,
                               uv_strerror(lrc)));
        return 1;
    }
    s->cfg = cfg;
    s->loop = &loop;
    s->query_flags = IO_FLAG_DO | (cfg->resolver_count ? IO_FLAG_RD | IO_FLAG_CD : 0);
    if (getrandom(&s->rng, sizeof s->rng, 0) != sizeof s->rng || s->rng == 0)
        s->rng = (uint64_t)time(NULL) | 1;

    rc = load_anchors(s, cfg, &hints);
    if (rc)
        goto done;
    int in_rc = scan_feed_open(s);
    if (in_rc == -EMFILE || in_rc == -ENFILE) {
        char hint[200];
        scan_fd_hint(hint, sizeof hint);
        fprintf(stderr, "dnssweep scan: cannot open %s: %s\n", cfg->input, hint);
        rc = 1; /* the limit's fault, not the input's */
        goto done;
    }
    if (in_rc != 0) {
        fprintf(stderr, "dnssweep scan: cannot read %s: %s\n", cfg->input, strerror(-in_rc));
        rc = 2;
        goto done;
    }
    /* Everything that can be checked before the first query is, and before the scan is
     * begun in the store: a failure here leaves no scan that --resume would pick up. */
    char skipped[32];
    if (scan_route_families(s, hints, skipped, sizeof skipped) != 0) {
        rc = 1;
        goto done;
    }
    if (cfg->metrics) {
        int mrc = scan_metrics_check(cfg->metrics);
        if (mrc != 0) {
            fprintf(stderr, "dnssweep: cannot write the metrics file %s: %s\n", cfg->metrics,
                    strerror(-mrc));
            rc = mrc == -EMFILE || mrc == -ENFILE ? 1 : 2;
            goto done;
        }
    }
    if (cfg->output) {
        bool to_stdout = strcmp(cfg->output, "-") == 0;
        s->json_out = to_stdout ? stdout : fopen(cfg->output, "w");
        /* A reader of the stream (a pipe, jq, a test waiting for a domain) gets each line as its
         * domain is done, not when a 4 KB buffer fills. */
        if (to_stdout)
            setvbuf(stdout, NULL, _IOLBF, 0);
        if (!s->json_out) {
            int e = errno;
            fprintf(stderr, "dnssweep: cannot write %s: %s\n", cfg->output, strerror(e));
            rc = e == EMFILE || e == ENFILE ? 1 : 2;
            goto done;
        }
    }
    rc = open_scan(s, cfg, hints, skipped, name, sizeof name);
    if (rc)
        goto done;
    if (!name[0]) /* a resumed scan: named by the store */
        snprintf(name, sizeof name, "%s", results_scan_name(s->scan));
    rc = 1;
    if (scan_hashtab_init(&s->inflight, pow2_at_least((size_t)cfg->concurrency * 2),
                          offsetof(scan_domain_t, hash_next), offsetof(scan_domain_t, name),
                          NULL) != 0 ||
        scan_zones_init(s) != 0 || scan_gates_init(s) != 0 || start_engines(s, cfg) != 0)
        goto done;
    scan_progress_init(s);
    uv_update_time(s->loop);
    s->started_ms = uv_now(s->loop);
    scan_setup_handles(s);
    if (scan_zone_start_root(s, hints) != 0)
        goto done;
    scan_zone_wait(s->root, scan_root_ready, s);
    uv_run(s->loop, UV_RUN_DEFAULT);

    double secs = (double)(uv_now(s->loop) - s->started_ms) / 1000.0;
    scan_progress_final(s);
    scan_print_summary(s, &s->final_io, secs);
    if (cfg->zone_file)
        print_zone_summary(s);
    if (s->failed) {
        rc = 1;
        scan_metrics_at_end(s, results_scan_name(s->scan), NULL, false, secs);
        results_scan_close(s->scan);
    } else if (s->failure[0]) {
        /* cli.md: a run that could not judge domains is a failure, never a finished scan. */
        scan_metrics_at_end(s, results_scan_name(s->scan), NULL, false, secs);
        char scan_name[RESULTS_SCAN_NAME_MAX + 1];
        snprintf(scan_name, sizeof scan_name, "%s", results_scan_name(s->scan));
        int crc = results_scan_close(s->scan);
        if (cfg->temporary_store) {
            fprintf(stderr, "dnssweep: scan %s failed: %s\n", scan_name, s->failure);
        } else {
            fprintf(stderr,
                    "dnssweep: scan %s failed: %s\n"
                    "dnssweep: the scan is not finished and holds no verdict from this failure%s; "
                    "once the cause is fixed, resume it with:\n",
                    scan_name, s->failure, crc ? " (its last batch was NOT committed)" : "");
            print_resume_hint(cfg, scan_name);
        }
        rc = 1;
    } else if (s->interrupted) {
        char scan_name[RESULTS_SCAN_NAME_MAX + 1];
        snprintf(scan_name, sizeof scan_name, "%s", results_scan_name(s->scan));
        scan_metrics_at_end(s, scan_name, NULL, false, secs);
        int crc = results_scan_close(s->scan);
        if (cfg->temporary_store) {
            fprintf(stderr, "dnssweep: scan %s interrupted\n", scan_name);
        } else {
            fprintf(stderr, "dnssweep: scan %s interrupted%s; resume it with:\n", scan_name,
                    crc ? " (last batch NOT committed)" : "");
            print_resume_hint(cfg, scan_name);
        }
        rc = 1;
    } else {
        uint64_t counts[VERIFY_STATUS_COUNT];
        char done_name[RESULTS_SCAN_NAME_MAX + 1];
        snprintf(done_name, sizeof done_name, "%s", results_scan_name(s->scan));
        int frc = results_scan_finish(s->scan, counts);
        if (frc != 0) {
            fprintf(stderr, "dnssweep: cannot finish the scan: %s\n", results_strerror(frc));
            rc = 1;
        } else {
            scan_metrics_at_end(s, done_name, counts, true, secs);
            rc = 0;
        }
    }
    s->scan = NULL;
done:
    if (scan_name_out && scan_name_len)
        snprintf(scan_name_out, scan_name_len, "%s", name);
    if (s->json_out && s->json_out != stdout)
        fclose(s->json_out);
    else if (s->json_out)
        fflush(stdout);
    scan_breaker_drop(s);
    if (s->scan)
        results_scan_close(s->scan);
    if (s->io) {
        io_engine_close(s->io, NULL, NULL);
        uv_run(s->loop, UV_RUN_DEFAULT);
    }
    verify_pool_free(s->pool);
    results_close(s->store);
    scan_zones_free(s);
    scan_gates_free(s);
    scan_hashtab_free(&s->inflight);
    verify_ctx_free(s->vctx);
    ldns_rr_list_deep_free(hints);
    ldns_rr_list_deep_free(s->anchor);
    scan_feed_close(s);
    uv_loop_close(s->loop);
    free(s);
    return rc;
}
