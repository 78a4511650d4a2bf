/*
 * The token bucket behind --qps and --qps-per-server (io/server.c io_bucket_take), on a clock
 * the test drives (no network, no wall time): a sender that asks every millisecond gets the
 * configured rate, never more in any 1-s window than the rate plus the small burst, and never
 * less than the rate over a whole window (the limiter holds nothing back that it may send).
 * test_io_ratelimit checks the same limits live against a server's receive timestamps; how
 * close a loaded machine comes to the rate there is speed, so it is printed, not checked.
 */
#include "io/internal.h"
#include "tests/tap.h"

/* Greedy sender for `seconds` s at 1 ms steps; returns the tokens taken, and the most and
 * fewest taken in any sliding 1-s window after the first second. */
static long drive(uint32_t qps, int seconds, long *max_win, long *min_win)
{
    io_bucket_t b;
    io_bucket_init(&b, qps, 1000);
    int steps = seconds * 1000;
    long *taken_at = calloc((size_t)steps, sizeof *taken_at);
    long total = 0;
    for (int t = 0; t < steps; t++) {
        while (io_bucket_take(&b, 1000 + (uint64_t)t, false)) {
            io_bucket_take(&b, 1000 + (uint64_t)t, true);
            taken_at[t]++;
            total++;
        }
    }
    long win = 0;
    *max_win = 0;
    *min_win = LONG_MAX;
    for (int t = 0; t < steps; t++) {
        win += taken_at[t];
        if (t >= 1000)
            win -= taken_at[t - 1000];
        if (t >= 999) {
            if (win > *max_win)
                *max_win = win;
            if (t >= 1999 && win < *min_win)
                *min_win = win;
        }
    }
    free(taken_at);
    return total;
}

int main(void)
{
    static const uint32_t rates[] = {1, 10, 200, 500, 5000};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        uint32_t qps = rates[i];
        long max_win, min_win;
        long total = drive(qps, 10, &max_win, &min_win);
        double burst = qps / 50.0 < 1.0 ? 1.0 : qps / 50.0;
        printf("# %u q/s for 10 s: %ld taken, 1-s windows %ld..%ld\n", qps, total, min_win,
               max_win);
        ok(total >= 10L * qps && total <= 10L * qps + (long)burst + 1,
           "%u q/s: 10 s give %ld (the rate times 10, plus at most the burst %.0f)", qps, total,
           burst);
        ok(max_win <= (long)qps + (long)burst + 1, "%u q/s: no 1-s window above %ld (%ld)", qps,
           (long)qps + (long)burst + 1, max_win);
        ok(min_win >= (long)qps - 1, "%u q/s: every 1-s window after the first holds >= %ld (%ld)",
           qps, (long)qps - 1, min_win);
    }

    io_bucket_t b;
    io_bucket_init(&b, 0, 5);
    bool all = true;
    for (int i = 0; i < 100000; i++)
        all = all && io_bucket_take(&b, 5, true);
    ok(all, "rate 0 is unlimited: 100000 takes at one instant");

    /* A clock that goes backwards (it never should) neither mints nor loses tokens. */
    io_bucket_init(&b, 100, 10000);
    while (io_bucket_take(&b, 10000, true))
        ;
    ok(!io_bucket_take(&b, 9000, false), "an earlier timestamp adds no tokens");
    ok(io_bucket_take(&b, 10010, false), "10 ms later at 100 q/s: one token again");
    return tap_done();
}
