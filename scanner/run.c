/*
 * scanner_run: the loop that feeds domains from the input into the state machine (bounded by
 * --concurrency), takes finished verdicts from the verification pool, stores them, streams
 * them as JSON lines, reports progress, and stops cleanly on SIGINT/SIGTERM.
 */
#include "scanner/internal.h"
#include "scanner/domain.h"
#include "scanner/feed.h"
#include "scanner/record.h"
#include "scanner/progress.h"
#include "scanner/metrics.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "scanner/anchor.h"

/* Names read from the input per loop iteration: keeps every callback's work bounded. */
#define FEED_BATCH 256
/* Completions run per wakeup of the pool's async handle. */
#define DRAIN_BATCH 512

uint64_t scan_now_ms(const scanner_t *s)
{
    return uv_now(s->loop);
}

uint64_t scan_random(scanner_t *s)
{
    /* xorshift64*: labels for the NXDOMAIN probe need variety, not secrecy. */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 0x2545F4914F6CDD1DULL;
}

static bool inflight_has(scanner_t *s, const char *name)
{
    return scan_hashtab_find(&s->inflight, name) != NULL;
}

static void inflight_add(scanner_t *s, scan_domain_t *d)
{
    scan_hashtab_add(&s->inflight, d);
}

static void inflight_remove(scanner_t *s, scan_domain_t *d)
{
    scan_hashtab_remove(&s->inflight, d);
}

void scan_domain_free(scan_domain_t *d)
{
    ldns_rdf_deep_free(d->dname);
    scan_domain_set_referral(d, NULL, false);
    ldns_pkt_free(d->file_referral);
    ldns_pkt_free(d->check_answer);
    for (size_t i = 0; i < d->n_servers; i++)
        for (int q = 0; q < SCAN_Q_COUNT; q++) {
            io_answer_free(d->servers[i].answers[q]); /* a domain never judged */
            free(d->servers[i].wire[q]);
        }
    free(d->servers);
    scan_dsboot_free(d);
    verify_keyset_free(d->parent_keyset);
    scan_record_free(d->record);
    free(d);
}

static void maybe_finish(scanner_t *s);
static void feeder_cb(uv_idle_t *idle);

void scan_store_domain(scanner_t *s, scan_domain_t *d)
{
    results_record_t *rec = &d->record->rec;
    int rc = results_put(s->scan, rec);
    if (rc != 0) {
        fprintf(stderr, "dnssweep: cannot store the result of %s: %s (%s)\n", d->name,
                results_strerror(rc), results_errdetail(s->store));
        s->failed = true;
        s->interrupted = true;
        s->input_done = true;
        return;
    }
    s->stats.domains_done++;
    s->stats.status_counts[rec->status]++;
    scan_metrics_count_reasons(&s->stats, rec);
    if (rec->resolver_check.present && rec->resolver_check.disagrees)
        s->stats.resolver_disagreements++;
    if (s->json_out)
        results_record_write_json(rec, results_scan_name(s->scan), s->json_out);
}

void scan_domain_finished(void *arg)
{
    scan_domain_t *d = arg;
    scanner_t *s = d->s;
    inflight_remove(s, d);
    s->active--;
    if (d->record && !s->abandon) {
        /* A result on a silent parent waits until the breaker knows it is not our network. */
        if (scan_breaker_domain_done(s, d))
            d = NULL;
        else if (!s->abandon)
            scan_store_domain(s, d);
    } else if (!d->record) {
        fprintf(stderr, "dnssweep: out of memory while judging %s\n", d->name);
        s->failed = true;
    }
    if (d)
        scan_domain_free(d);
    if (!s->input_done && !uv_is_active((uv_handle_t *)&s->feeder))
        uv_idle_start(&s->feeder, feeder_cb);
    maybe_finish(s);
}

void scan_end_soon(scanner_t *s)
{
    if (!s->closing)
        uv_idle_start(&s->feeder, feeder_cb);
}

static void feed(uv_idle_t *idle);

static void feeder_cb(uv_idle_t *idle)
{
    feed(idle);
}

/* Admits up to FEED_BATCH new domains while there is room under --concurrency. */
static void feed(uv_idle_t *idle)
{
    scanner_t *s = idle->data;
    /* The root's DNSKEY must be validated before any domain walks down from it. */
    if (s->root->state == SCAN_ZONE_PENDING)
        return;
    for (int n = 0; n < FEED_BATCH && !s->input_done && s->active < s->cfg->concurrency; n++) {
        scanner_input_item_t item;
        int kind = scan_feed_next(s, &item);
        if (kind < 0) {
            if (!s->zonefile && item.error[0])
                fprintf(stderr, "dnssweep: %s:%llu: %s; the list could not be read to its end\n",
                        s->cfg->input ? s->cfg->input : "-", (unsigned long long)item.line,
                        item.error);
            else
                fprintf(stderr, "dnssweep: reading %s: %s\n", s->cfg->input, strerror(-kind));
            s->failed = true;
            s->input_done = true;
            break;
        }
        if (kind == SCANNER_INPUT_EOF) {
            s->input_done = true;
            break;
        }
        if (kind == SCANNER_INPUT_BAD) {
            s->stats.bad_lines++;
            fprintf(stderr, "dnssweep: %s:%llu: skipped: %s\n", s->cfg->input,
                    (unsigned long long)item.line, item.error);
            continue;
        }
        s->stats.domains_read++;
        if (s->cfg->shard_n && scanner_shard_of(item.name, s->cfg->shard_n) != s->cfg->shard_k) {
            s->stats.skipped_shard++;
            continue;
        }
        if (inflight_has(s, item.name)) {
            s->stats.duplicates++;
            continue;
        }
        int has = results_has(s->scan, item.name);
        if (has > 0) {
            if (s->cfg->resume)
                s->stats.skipped_resume++;
            else
                s->stats.duplicates++;
            continue;
        }
        scan_domain_t *d = calloc(1, sizeof *d);
        if (!d) {
            fprintf(stderr, "dnssweep: out of memory\n");
            s->failed = true;
            s->input_done = true;
            break;
        }
        snprintf(d->name, sizeof d->name, "%s", item.name);
        char fqdn[SCANNER_NAME_MAX + 2];
        snprintf(fqdn, sizeof fqdn, "%s.", item.name);
        d->dname = ldns_dname_new_frm_str(fqdn);
        if (!d->dname) {
            free(d);
            s->stats.bad_lines++;
            continue;
        }
        inflight_add(s, d);
        s->active++;
        scan_feed_attach(s, d);
        scan_domain_start(s, d);
    }
    if (s->input_done || s->active >= s->cfg->concurrency)
        uv_idle_stop(idle);
    maybe_finish(s);
}

static void pool_notify(void *arg)
{
    scanner_t *s = arg;
    if (!atomic_load(&s->notify_off))
        uv_async_send(&s->pool_async);
}

static void pool_async_cb(uv_async_t *async)
{
    scanner_t *s = async->data;
    verify_pool_drain(s->pool, DRAIN_BATCH);
}

static void close_all(scanner_t *s);

static void on_signal(uv_signal_t *sig, int signum)
{
    scanner_t *s = sig->data;
    if (!s->interrupted) {
        fprintf(stderr,
                "\ndnssweep: %s: no new domains; finishing the %zu in flight "
                "(signal again to abandon them)\n",
                strsignal(signum), s->active);
        s->interrupted = true;
        s->input_done = true;
        uv_idle_stop(&s->feeder);
        maybe_finish(s);
        return;
    }
    fprintf(stderr, "dnssweep: abandoning %zu domains in flight\n", s->active);
    s->abandon = true;
    scan_breaker_drop(s);
    close_all(s);
}

void scan_no_files(void *ctx, const struct sockaddr *server)
{
    scanner_t *s = ctx;
    if (s->abandon || s->closing)
        return;
    char addr[64] = "a server", hint[200];
    if (server)
        scan_addr_text((const struct sockaddr_storage *)server, addr, sizeof addr);
    scan_fd_hint(hint, sizeof hint);
    fprintf(stderr,
            "dnssweep: cannot open a TCP connection to %s: %s\n"
            "dnssweep: stopping: no new domains, and the %zu in flight are not stored (a "
            "resumed scan asks them again)\n",
            addr, hint, s->active);
    s->abandon = true;
    s->interrupted = true;
    s->input_done = true;
    scan_breaker_drop(s);
    /* Not from inside the engine's callback: the feeder ends the scan once nothing is in
     * flight (maybe_finish()), as after a signal. */
    scan_end_soon(s);
}

static void ticker_cb(uv_timer_t *t)
{
    scanner_t *s = t->data;
    results_flush(s->scan);
    scan_progress_tick(s);
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void io_closed(void *arg)
{
    (void)arg;
}

static void close_all(scanner_t *s)
{
    if (s->closing)
        return;
    s->closing = true;
    uv_idle_stop(&s->feeder);
    uv_timer_stop(&s->ticker);
    io_stats_get(s->io, &s->final_io);
    io_engine_close(s->io, io_closed, NULL);
    s->io = NULL;
    /* The pool itself is freed after the loop ends (never from inside its own drain). */
    atomic_store(&s->notify_off, true);
    uv_close((uv_handle_t *)&s->feeder, on_closed);
    uv_close((uv_handle_t *)&s->ticker, on_closed);
    uv_close((uv_handle_t *)&s->pool_async, on_closed);
    uv_close((uv_handle_t *)&s->sigint, on_closed);
    uv_close((uv_handle_t *)&s->sigterm, on_closed);
}

void scan_setup_handles(scanner_t *s)
{
    s->feeder.data = s;
    s->ticker.data = s;
    s->pool_async.data = s;
    s->sigint.data = s;
    s->sigterm.data = s;
    uv_idle_init(s->loop, &s->feeder);
    uv_timer_init(s->loop, &s->ticker);
    uv_async_init(s->loop, &s->pool_async, pool_async_cb);
    uv_signal_init(s->loop, &s->sigint);
    uv_signal_init(s->loop, &s->sigterm);
    uv_signal_start(&s->sigint, on_signal, SIGINT);
    uv_signal_start(&s->sigterm, on_signal, SIGTERM);
    uv_timer_start(&s->ticker, ticker_cb, 1000, 1000);
    uv_idle_start(&s->feeder, feeder_cb);
}

/* Why the root could not be set up, in plain words: the network (or where it points) or the
 * keys. Resolver mode asks the root's DNSKEY through the resolver, so the resolver is named. */
static void root_failure(scanner_t *s)
{
    const scan_zone_t *z = s->root;
    char where[80] = "";
    if (s->cfg->resolver_count > 0) {
        char addr[64];
        scan_addr_text(&s->cfg->resolvers[0], addr, sizeof addr);
        snprintf(where, sizeof where, "the resolver %s%s", addr,
                 s->cfg->resolver_count > 1 ? " (and the others given)" : "");
    }
    ldns_lookup_table *rc = ldns_lookup_by_id(ldns_rcodes, z->dnskey_rcode);
    if (z->n_addrs == 0 && !where[0])
        scan_fail_run(s, "the root hints hold no server address%s: check --root-hints",
                      s->cfg->ipv4_only || s->cfg->ipv6_only ? " of the family -4/-6 allows" : "");
    else if (z->silent && where[0])
        scan_fail_run(s, "%s gave no answer (%s): check the network and --resolver", where, z->why);
    else if (z->silent)
        scan_fail_run(s,
                      "no root server answered (%s): check the network and --root-hints "
                      "(and --port)",
                      z->why);
    else if (z->state == SCAN_ZONE_FAILED)
        scan_fail_run(s, "the root could not be asked (%s): check the network and %s", z->why,
                      where[0] ? "--resolver" : "--root-hints");
    else if (z->dnskey_rcode > 0 && where[0])
        scan_fail_run(s,
                      "%s answered %s to the root's DNSKEY question: it cannot be used for "
                      "scanning (it must resolve the public DNS for this host); check --resolver",
                      where, rc ? rc->name : "an error");
    else if (z->dnskey_rcode > 0)
        scan_fail_run(s,
                      "the root server answered %s to the root's DNSKEY question: the root hints "
                      "do not point at a root server; check --root-hints",
                      rc ? rc->name : "an error");
    else if (z->bogus_reason == VERIFY_REASON_DS_NO_MATCHING_DNSKEY ||
             z->bogus_reason == VERIFY_REASON_DS_DIGEST_MISMATCH)
        scan_fail_run(s,
                      "the trust anchor matches no root key (%s): check --trust-anchor "
                      "(or, if the anchor is right, the root hints%s)",
                      z->why, where[0] ? " or the resolver" : "");
    else if (z->bogus_reason == VERIFY_REASON_RRSIG_EXPIRED ||
             z->bogus_reason == VERIFY_REASON_RRSIG_NOT_YET_VALID)
        scan_fail_run(s,
                      "the root's keys are signed for another time (%s): check the clock and "
                      "--now",
                      z->why);
    else
        scan_fail_run(s,
                      "the root's DNSKEY RRset does not validate against the trust anchor "
                      "(%s): check --trust-anchor and %s",
                      z->why[0] ? z->why : "no validated keys",
                      where[0] ? "--resolver" : "--root-hints");
}

void scan_root_ready(void *arg)
{
    scanner_t *s = arg;
    /* Every domain would be judged on a root we could not trust or reach: that is the run's
     * failure, not a verdict about the domains (cli.md). */
    if (s->root->no_recursion) {
        char addr[64];
        scan_addr_text(&s->cfg->resolvers[0], addr, sizeof addr);
        scan_fail_run(s,
                      "the resolver %s does not offer recursion (its answers carry no RA bit: an "
                      "authoritative server?): point --resolver at a recursive resolver",
                      addr);
        return;
    }
    if (s->root->state == SCAN_ZONE_FAILED || s->root->security != SCAN_ZONE_SECURE) {
        root_failure(s);
        return;
    }
    if (!s->closing && !s->input_done)
        uv_idle_start(&s->feeder, feeder_cb);
}

void scan_pool_notify(void *arg)
{
    pool_notify(arg);
}

static void maybe_finish(scanner_t *s)
{
    if (s->closing || !s->input_done || s->active > 0)
        return;
    /* Nothing tripped the breaker: what it held back is what the domains' parents did. */
    scan_breaker_release(s);
    close_all(s);
}

void scan_print_summary(scanner_t *s, const io_stats_t *io, double secs)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    uint64_t done = s->stats.domains_done ? s->stats.domains_done : 1;
    fprintf(stderr,
            "\nScan %s: %llu domains in %.1f s (%.0f/s), CPU %.2f s (%.0f us/domain), peak RSS "
            "%ld MB\n",
            results_scan_name(s->scan), (unsigned long long)s->stats.domains_done, secs,
            (double)s->stats.domains_done / (secs > 0 ? secs : 1), cpu, cpu * 1e6 / (double)done,
            ru.ru_maxrss / 1024);
    fprintf(stderr, "  %-14s %10s\n", "status", "domains");
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        fprintf(stderr, "  %-14s %10llu\n", verify_status_name((verify_status_t)i),
                (unsigned long long)s->stats.status_counts[i]);
    fprintf(
        stderr,
        "  queries %llu (%.1f per domain), retried %llu, timed out %llu, truncated->TCP "
        "%llu, dropped (spoofed/mismatched) %llu (unknown ID %llu, wrong source %llu, wrong "
        "question %llu, short %llu), ICMP errors ignored %llu; RRL slips %llu, server rate "
        "cuts (AIMD) %llu; tries over TCP %llu\n"
        "  zone cache: %llu zones set up, %llu parent questions saved by the cache; NS "
        "address lookups %llu (cache hits %llu, flushes %llu)\n"
        "  input: %llu names, %llu bad lines, %llu duplicates, %llu already stored, %llu "
        "in other shards\n",
        (unsigned long long)io->sent, (double)io->sent / (double)done,
        (unsigned long long)io->retried, (unsigned long long)io->try_timeouts,
        (unsigned long long)io->truncated, (unsigned long long)io->dropped,
        (unsigned long long)io->dropped_unknown_id, (unsigned long long)io->dropped_wrong_source,
        (unsigned long long)io->dropped_wrong_question, (unsigned long long)io->dropped_short,
        (unsigned long long)io->icmp_ignored, (unsigned long long)io->slips,
        (unsigned long long)io->rate_cuts, (unsigned long long)io->tcp_sent,
        (unsigned long long)s->stats.zone_setups, (unsigned long long)s->stats.zone_cache_hits,
        (unsigned long long)s->stats.addr_lookups, (unsigned long long)s->stats.addr_cache_hits,
        (unsigned long long)s->stats.addr_cache_flushes, (unsigned long long)s->stats.domains_read,
        (unsigned long long)s->stats.bad_lines, (unsigned long long)s->stats.duplicates,
        (unsigned long long)s->stats.skipped_resume, (unsigned long long)s->stats.skipped_shard);
    if (s->cfg->check_resolver_set)
        fprintf(stderr, "  resolver check: %llu domains where the resolver disagrees\n",
                (unsigned long long)s->stats.resolver_disagreements);
}
