/*
 * The circuit breaker (cli.md: a run that could not judge domains is a failure). When the
 * scanner's own network fails mid-scan, every domain would be stored `indeterminate` (the parent
 * "unreachable") and the next night's diff would report the whole portfolio as changed. The
 * breaker tells that apart from one zone's trouble and stops the run instead:
 *
 * - the root (resolver mode: the resolver) is the parent of everything and has many servers: no
 *   answer from any of them for SCAN_BREAKER_ROOT_STREAK domains in a row, with no answer in
 *   between, is our network (or hints), not the root;
 * - otherwise, when most of the recent domains found every server of their parent silent and
 *   those parents are several different zones, the common factor is the scanner's network.
 *   One dead TLD (or registry, or DNS host) is one zone: it never trips, however many domains
 *   are below it; lame child servers are the child's trouble and are not counted at all.
 *
 * A result concluded on a silent parent is held back (at most SCAN_BREAKER_WINDOW of them): a
 * trip drops them (resume asks them again), otherwise they are stored as they are pushed out of
 * the window or at the end of the run.
 */
#include "scanner/internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Root/resolver questions in a row without an answer. Retries already happened per question. */
#define SCAN_BREAKER_ROOT_STREAK 5
/* Of the last SCAN_BREAKER_WINDOW domains: how many on a silent parent, over how many zones. */
#define SCAN_BREAKER_SILENT_SHARE 48
#define SCAN_BREAKER_DISTINCT_ZONES 3

void scan_fail_run(scanner_t *s, const char *fmt, ...)
{
    if (s->failure[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->failure, sizeof s->failure, fmt, ap);
    va_end(ap);
    fprintf(stderr,
            "dnssweep: stopping: %s\n"
            "dnssweep: no new domains; the %zu in flight are not stored (a resumed scan asks "
            "them again)\n",
            s->failure, s->active);
    s->abandon = true;
    s->interrupted = true;
    s->input_done = true;
    scan_breaker_drop(s);
    /* Not from inside a callback of the engine: the feeder ends the run once nothing is in
     * flight (maybe_finish()), as after a signal. */
    scan_end_soon(s);
}

void scan_breaker_root_answered(scanner_t *s)
{
    s->breaker.root_streak = 0;
}

static void hold(scan_breaker_t *b, scan_domain_t *d)
{
    d->held_next = NULL;
    if (b->held_tail)
        b->held_tail->held_next = d;
    else
        b->held_head = d;
    b->held_tail = d;
    b->n_held++;
}

static scan_domain_t *unhold(scan_breaker_t *b)
{
    scan_domain_t *d = b->held_head;
    if (!d)
        return NULL;
    b->held_head = d->held_next;
    if (!b->held_head)
        b->held_tail = NULL;
    b->n_held--;
    return d;
}

void scan_breaker_release(scanner_t *s)
{
    scan_domain_t *d;
    while ((d = unhold(&s->breaker))) {
        if (!s->abandon)
            scan_store_domain(s, d);
        scan_domain_free(d);
    }
}

void scan_breaker_drop(scanner_t *s)
{
    scan_domain_t *d;
    while ((d = unhold(&s->breaker)))
        scan_domain_free(d);
}

/* Checks the window; trips with a message naming the zones. */
static void check_window(scanner_t *s, const char *last_detail)
{
    scan_breaker_t *b = &s->breaker;
    if (b->window_filled < SCAN_BREAKER_WINDOW)
        return;
    const scan_zone_t *zones[SCAN_BREAKER_DISTINCT_ZONES];
    size_t n_zones = 0, silent = 0;
    for (size_t i = 0; i < SCAN_BREAKER_WINDOW; i++) {
        const scan_zone_t *z = b->window[i];
        if (!z)
            continue;
        silent++;
        bool seen = false;
        for (size_t k = 0; k < n_zones; k++)
            seen = seen || zones[k] == z;
        if (!seen && n_zones < SCAN_BREAKER_DISTINCT_ZONES)
            zones[n_zones++] = z;
    }
    if (silent < SCAN_BREAKER_SILENT_SHARE || n_zones < SCAN_BREAKER_DISTINCT_ZONES)
        return;
    scan_fail_run(s,
                  "the servers of the parent zones %s, %s, %s (and others) gave no answer for %zu "
                  "of the last %d domains (last: %s): the scanner's network, not those zones; "
                  "check the network",
                  zones[0]->name, zones[1]->name, zones[2]->name, silent, SCAN_BREAKER_WINDOW,
                  last_detail);
}

bool scan_breaker_domain_done(scanner_t *s, scan_domain_t *d)
{
    scan_breaker_t *b = &s->breaker;
    if (s->abandon)
        return false;
    bool silent = d->parent_silent || d->resolver_refused;
    const scan_zone_t *z = silent ? (d->silent_zone ? d->silent_zone : s->root) : NULL;
    b->window[b->window_pos] = z;
    b->window_pos = (b->window_pos + 1) % SCAN_BREAKER_WINDOW;
    if (b->window_filled < SCAN_BREAKER_WINDOW)
        b->window_filled++;
    if (!silent)
        return false;
    bool via_resolver = s->cfg->resolver_count > 0;
    if (z == s->root && ++b->root_streak >= SCAN_BREAKER_ROOT_STREAK) {
        char addr[64] = "?";
        if (via_resolver)
            scan_addr_text(&s->cfg->resolvers[0], addr, sizeof addr);
        if (via_resolver && d->resolver_refused)
            scan_fail_run(s,
                          "the resolver %s refused the questions of %u domains in a row (last: "
                          "%s): check --resolver and its access control",
                          addr, b->root_streak, d->name);
        else if (via_resolver)
            scan_fail_run(s,
                          "the resolver %s stopped answering: no answer for %u domains in a row "
                          "(last: %s: %s): check the network and --resolver",
                          addr, b->root_streak, d->name, d->outcome_detail);
        else
            scan_fail_run(s,
                          "no root server answered for %u domains in a row (last: %s: %s): check "
                          "the network and --root-hints",
                          b->root_streak, d->name, d->outcome_detail);
    } else {
        check_window(s, d->outcome_detail);
    }
    if (s->abandon)
        return false; /* tripped: the caller frees it unstored */
    hold(b, d);
    if (b->n_held > SCAN_BREAKER_WINDOW) {
        scan_domain_t *old = unhold(b);
        scan_store_domain(s, old);
        scan_domain_free(old);
    }
    return true;
}
