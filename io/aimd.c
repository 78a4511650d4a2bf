/*
 * Politeness that adapts (AIMD, per server address). A server that drops a share of our
 * queries it would answer (a try timed out, the same question answered by it on a later try),
 * that leaves most of a burst unanswered (more timeouts than answers), or that slips (RRL
 * answers TC=1 to what then fits in a UDP datagram over TCP) gets its send rate cut to half
 * of what it delivered; answers grow the rate back additively until it reaches
 * --qps-per-server, where the limit of its own ends. Without a configured rate there is
 * nothing to go back to: the rate keeps growing (a lifted limit would send every queued query
 * at once, and each would spend a try on the loss that follows).
 *
 * What is not a rate limit does not cut: a question a server never answers (a type it drops,
 * a dead server: back-off handles those) never comes back answered, and random loss of a few
 * percent stays below the loss ratio a cut needs. Queries that wait for the rate wait in the
 * server's queue, where no try is spent, so a rate limit costs time, not answers.
 */
#include "io/internal.h"

/* Delivery and loss are measured over windows of this length (the previous and the current). */
#define AIMD_WINDOW_MS 1000
/* A cut needs this share of dropped tries (answered later) among the tries that ended, or this
 * share of timeouts (answered later or not: a burst far above the server's rate must be cut
 * before the retries go out), and at least AIMD_LOSS_MIN of them. */
#define AIMD_LOSS_RATIO 0.10
#define AIMD_TIMEOUT_RATIO 0.5
#define AIMD_LOSS_MIN 3
/* The highest rate growth reaches without a configured one (q/s). */
#define AIMD_NO_CEILING 1e7

static void window_roll(io_server_t *s, uint64_t now_ms)
{
    if (s->aimd.win_ms == 0) {
        s->aimd.win_ms = now_ms;
        s->aimd.first_ms = now_ms;
        return;
    }
    if (now_ms - s->aimd.win_ms < AIMD_WINDOW_MS)
        return;
    bool adjacent = now_ms - s->aimd.win_ms < 2 * AIMD_WINDOW_MS;
    s->aimd.prev_answers = adjacent ? s->aimd.win_answers : 0;
    s->aimd.prev_lost = adjacent ? s->aimd.win_lost : 0;
    s->aimd.prev_timeouts = adjacent ? s->aimd.win_timeouts : 0;
    s->aimd.win_answers = s->aimd.win_lost = s->aimd.win_timeouts = 0;
    s->aimd.win_ms = now_ms;
}

/* Answers per second the server delivered lately (the previous window and the current one). */
static double delivered_qps(const io_server_t *s, uint64_t now_ms)
{
    uint64_t since = now_ms - s->aimd.win_ms;
    uint64_t before = now_ms - s->aimd.first_ms - since; /* of the previous window, up to 1 s */
    uint64_t span = since + (before > AIMD_WINDOW_MS ? AIMD_WINDOW_MS : before);
    if (span < 100)
        span = 100;
    return (double)(s->aimd.prev_answers + s->aimd.win_answers) * 1000.0 / (double)span;
}

double io_aimd_limit(const io_server_t *s)
{
    return s->aimd.qps;
}

void io_aimd_answered(io_engine_t *e, io_server_t *s)
{
    uint64_t now = uv_now(e->loop);
    window_roll(s, now);
    s->aimd.win_answers++;
    if (s->aimd.qps <= 0)
        return;
    uint64_t dt = now - s->aimd.grow_ms;
    if (dt > AIMD_WINDOW_MS)
        dt = AIMD_WINDOW_MS; /* an idle pause earns no credit */
    s->aimd.qps += s->aimd.step * (double)dt / 1000.0;
    s->aimd.grow_ms = now;
    if (s->aimd.qps >= s->aimd.ceiling)
        s->aimd.qps = s->aimd.ceiling == AIMD_NO_CEILING ? AIMD_NO_CEILING : 0;
}

static void cut(io_engine_t *e, io_server_t *s, uint64_t now)
{
    double configured = e->cfg.qps_per_server;
    double current = s->aimd.qps > 0 ? s->aimd.qps : configured;
    double delivered = delivered_qps(s, now);
    double base = current > 0 && current < delivered ? current : delivered;
    double floor = e->cfg.aimd_min_qps > 0 ? e->cfg.aimd_min_qps : 1;
    double rate = base / 2 > floor ? base / 2 : floor;
    if (configured > 0 && rate >= configured)
        return; /* no cut below what is allowed anyway */
    s->aimd.ceiling = configured > 0 ? configured : AIMD_NO_CEILING;
    s->aimd.qps = rate;
    /* Double in about eight seconds of answers, never slower than the floor per second. */
    s->aimd.step = rate / 8 > floor ? rate / 8 : floor;
    s->aimd.grow_ms = now;
    s->aimd.cut_ns = uv_hrtime();
    s->aimd.win_lost = s->aimd.prev_lost = 0;
    s->aimd.win_timeouts = s->aimd.prev_timeouts = 0;
    s->aimd.cuts++;
    s->st.rate_cuts++;
    e->st.rate_cuts++;
    if (s->tokens > 1)
        s->tokens = 1;
}

void io_aimd_lost(io_engine_t *e, io_server_t *s, io_aimd_loss_t kind, uint64_t sent_ns)
{
    /* One cut per loss episode: tries sent before the last cut say nothing about the rate
     * after it. */
    if (!e->cfg.aimd || (s->aimd.cuts > 0 && sent_ns < s->aimd.cut_ns))
        return;
    uint64_t now = uv_now(e->loop);
    window_roll(s, now);
    uint32_t answers = s->aimd.win_answers + s->aimd.prev_answers;
    bool now_cut = kind == IO_AIMD_SLIP;
    if (kind == IO_AIMD_DROPPED) {
        uint32_t lost = ++s->aimd.win_lost + s->aimd.prev_lost;
        now_cut = lost >= AIMD_LOSS_MIN && (double)lost >= AIMD_LOSS_RATIO * (lost + answers);
    } else if (kind == IO_AIMD_TIMEOUT) {
        uint32_t lost = ++s->aimd.win_timeouts + s->aimd.prev_timeouts;
        now_cut = lost >= AIMD_LOSS_MIN && (double)lost >= AIMD_TIMEOUT_RATIO * (lost + answers);
    }
    if (now_cut)
        cut(e, s, now);
}
