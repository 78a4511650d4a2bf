/*
 * Progress on stderr while a scan runs (--progress): on a terminal one live line rewritten in
 * place every tick; elsewhere (a log file, a pipe) one plain line every interval, 10 s unless
 * DNSSWEEP_PROGRESS_INTERVAL_MS says otherwise (tests use 1000).
 */
#include "scanner/internal.h"
#include "scanner/progress.h"
#include "text/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROGRESS_DEFAULT_INTERVAL_MS 10000

/* Counts the lines of fd from offset that may hold a domain (neither blank nor a comment),
 * with pread so the reader's position is left alone. Returns 0 when fd is not a regular file:
 * a pipe cannot be read twice, so the total stays unknown. */
static uint64_t count_names(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    off_t off = lseek(fd, 0, SEEK_CUR);
    if (off < 0)
        off = 0;
    static const size_t bufsz = 1 << 16;
    char *buf = malloc(bufsz);
    if (!buf)
        return 0;
    uint64_t n = 0;
    bool line_start = true, counted = false;
    for (;;) {
        ssize_t got = pread(fd, buf, bufsz, off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        off += got;
        for (ssize_t i = 0; i < got; i++) {
            char c = buf[i];
            if (c == '\n') {
                line_start = true;
                counted = false;
            } else if (line_start && (c == ' ' || c == '\t' || c == '\r')) {
                continue;
            } else if (line_start) {
                line_start = false;
                if (c != '#' && !counted) {
                    n++;
                    counted = true;
                }
            }
        }
    }
    free(buf);
    return n;
}

static uint64_t total_names(const char *input)
{
    if (!input || strcmp(input, "-") == 0)
        return count_names(STDIN_FILENO);
    int fd = open(input, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    uint64_t n = count_names(fd);
    close(fd);
    return n;
}

unsigned scan_progress_interval_ms(const char *env_value)
{
    if (!env_value || !*env_value)
        return PROGRESS_DEFAULT_INTERVAL_MS;
    char *end;
    unsigned long v = strtoul(env_value, &end, 10);
    if (*end || v == 0 || v > 86400000UL)
        return PROGRESS_DEFAULT_INTERVAL_MS;
    return (unsigned)v;
}

void scan_progress_init(scanner_t *s)
{
    scan_progress_t *p = &s->progress;
    memset(p, 0, sizeof *p);
    s->progress_tty = isatty(STDERR_FILENO);
    s->progress_on = s->cfg->progress == SCANNER_PROGRESS_ALWAYS ||
                     (s->cfg->progress == SCANNER_PROGRESS_AUTO && s->progress_tty);
    p->interval_ms = scan_progress_interval_ms(getenv("DNSSWEEP_PROGRESS_INTERVAL_MS"));
    if (s->progress_on)
        p->total = total_names(s->cfg->input);
}

/* "1h02m", "3m05s", "42s". */
static void format_duration(char *buf, size_t len, double secs)
{
    if (secs < 0 || secs > 99.0 * 86400)
        snprintf(buf, len, "?");
    else if (secs >= 3600)
        snprintf(buf, len, "%dh%02dm", (int)(secs / 3600), (int)(secs / 60) % 60);
    else if (secs >= 60)
        snprintf(buf, len, "%dm%02ds", (int)(secs / 60), (int)secs % 60);
    else
        snprintf(buf, len, "%ds", (int)secs);
}

/* Short status names for narrow terminals. */
static const char *const short_status[VERIFY_STATUS_COUNT] = {"sec", "ins",  "bog",
                                                              "ind", "lame", "nx"};

/* One form of the line; detail 0 is the full one, each level after it drops what matters least
 * (rates and in flight first, then long status names), and the last puts ETA and done/total
 * first so that cutting it at the terminal's edge loses only status counts. */
static void format_level(const scan_progress_view_t *v, int detail, char *line, size_t len)
{
    if (!len)
        return;
    text_buf_t t;
    text_init(&t, line, len);
    char eta[32] = "";
    if (v->total)
        format_duration(eta, sizeof eta, v->finished ? 0 : v->eta_s);
    if (detail >= 3 && v->total)
        text_printf(&t, "ETA %s | ", eta);
    if (v->total) {
        uint64_t shown = v->processed > v->total ? v->total : v->processed;
        if (detail >= 3)
            text_printf(&t, "%llu/%llu", (unsigned long long)shown, (unsigned long long)v->total);
        else
            text_printf(&t, "%llu/%llu (%.1f%%)", (unsigned long long)shown,
                        (unsigned long long)v->total, 100.0 * (double)shown / (double)v->total);
    } else {
        text_printf(&t, "%llu", (unsigned long long)v->processed);
    }
    if (detail == 0)
        text_printf(&t, " done, %.0f domains/s, %.0f queries/s, %llu in flight |", v->domains_per_s,
                    v->queries_per_s, (unsigned long long)v->in_flight);
    else if (detail == 1)
        text_printf(&t, " done, %.0f domains/s |", v->domains_per_s);
    else
        text_printf(&t, " |");
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        text_printf(&t, " %s %llu",
                    detail >= 2 ? short_status[i] : verify_status_name((verify_status_t)i),
                    (unsigned long long)v->status_counts[i]);
    if (detail < 3 && v->total)
        text_printf(&t, " | ETA %s", eta);
}

/* Fills line (NUL-terminated, truncated to len) with the progress text, no line ending. */
void scan_progress_format(const scan_progress_view_t *v, char *line, size_t len)
{
    format_level(v, 0, line, len);
}

void scan_progress_format_fit(const scan_progress_view_t *v, size_t width, char *line, size_t len)
{
    for (int detail = 0; detail <= 3; detail++) {
        format_level(v, detail, line, len);
        if (!width || strlen(line) < width)
            return;
    }
    if (width - 1 < len)
        line[width - 1] = '\0';
}

/* The longest a query may wait for its answer: every try timing out, the per-try timeout
 * doubling (up to 8x) when it returns to the same single server (io's back-off). */
static double query_budget_s(const scanner_config_t *cfg)
{
    double ms = 0;
    for (unsigned i = 0; i <= cfg->retries; i++)
        ms += (double)cfg->timeout_ms * (double)(1u << (i < 3 ? i : 3));
    return ms / 1000.0;
}

static void view_of(scanner_t *s, uint64_t now, scan_progress_view_t *v)
{
    scan_progress_t *p = &s->progress;
    io_stats_t io;
    if (s->io)
        io_stats_get(s->io, &io);
    else
        io = s->final_io;
    memset(v, 0, sizeof *v);
    /* Every input name is done once it is stored or skipped (bad, duplicate, other shard). */
    uint64_t consumed = s->stats.domains_read + s->stats.bad_lines;
    v->processed = consumed > s->active ? consumed - s->active : 0;
    v->total = p->total;
    v->in_flight = s->active;
    memcpy(v->status_counts, s->stats.status_counts, sizeof v->status_counts);
    double since_start = (double)(now - s->started_ms) / 1000.0;
    /* Rates over the last sample period on a terminal (what is happening now), averaged over
     * the whole run for the periodic lines and at the end. */
    double dt = (double)(now - p->sample_ms) / 1000.0;
    if (p->sample_ms && dt >= 0.5 && s->progress_tty) {
        v->domains_per_s = (double)(s->stats.domains_done - p->sample_done) / dt;
        v->queries_per_s = (double)(io.sent - p->sample_sent) / dt;
    } else if (since_start > 0) {
        v->domains_per_s = (double)s->stats.domains_done / since_start;
        v->queries_per_s = (double)io.sent / since_start;
    }
    if (p->sample_ms == 0 || dt >= 0.5) {
        p->sample_ms = now;
        p->sample_done = s->stats.domains_done;
        p->sample_sent = io.sent;
    }
    double avg = since_start > 0 ? (double)v->processed / since_start : 0;
    v->eta_s = avg > 0 && p->total > v->processed ? (double)(p->total - v->processed) / avg : -1;
    if (p->total && v->processed >= p->total)
        v->eta_s = 0;
    /* Domains in flight may be waiting on timeouts: the rate says nothing about those, so the
     * ETA is at least what is left of a query's budget since a domain last finished. */
    if (s->stats.domains_done != p->seen_done || !p->last_done_ms) {
        p->seen_done = s->stats.domains_done;
        p->last_done_ms = now;
    }
    if (s->active && p->total) {
        double waited = (double)(now - p->last_done_ms) / 1000.0;
        double pending = query_budget_s(s->cfg) - waited;
        if (pending < 1)
            pending = 1;
        if (v->eta_s < pending)
            v->eta_s = pending;
    }
    v->finished = s->closing;
}

static size_t terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

static void print_line(scanner_t *s, uint64_t now)
{
    scan_progress_view_t v;
    view_of(s, now, &v);
    char line[512];
    if (s->progress_tty) {
        /* A line longer than the terminal wraps, and \r would then rewrite only its tail: the
         * richest form that fits, the numbers kept before anything else. */
        scan_progress_format_fit(&v, terminal_width(), line, sizeof line);
        fprintf(stderr, "\r\033[K%s", line);
    } else {
        scan_progress_format(&v, line, sizeof line);
        fprintf(stderr, "progress: %s\n", line);
    }
    fflush(stderr);
    s->progress.printed = true;
}

void scan_progress_tick(scanner_t *s)
{
    if (!s->progress_on)
        return;
    uint64_t now = uv_now(s->loop);
    if (!s->progress_tty && now - s->last_progress_ms < s->progress.interval_ms)
        return;
    s->last_progress_ms = now;
    print_line(s, now);
}

void scan_progress_final(scanner_t *s)
{
    if (!s->progress_on)
        return;
    /* The last state once more, then leave the terminal line so the summary starts fresh. */
    print_line(s, uv_now(s->loop));
    if (s->progress_tty)
        fputc('\n', stderr);
}
