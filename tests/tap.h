/*
 * A tiny TAP producer for unit tests: every assertion prints what it checked, both sides on
 * failure, and the process exits non-zero when any check failed.
 */
#ifndef DNSSWEEP_TESTS_TAP_H
#define DNSSWEEP_TESTS_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tap_state {
    int run;
    int failed;
    int skipped;
};

static struct tap_state tap_state_;

static inline void tap_report_(int passed, const char *file, int line, const char *what)
{
    tap_state_.run++;
    if (!passed)
        tap_state_.failed++;
    printf("%s %d - %s\n", passed ? "ok" : "not ok", tap_state_.run, what);
    if (!passed)
        printf("#   at %s:%d\n", file, line);
}

#define ok(expr, ...)                                                                              \
    do {                                                                                           \
        char tap_msg_[512];                                                                        \
        snprintf(tap_msg_, sizeof tap_msg_, __VA_ARGS__);                                          \
        tap_report_(!!(expr), __FILE__, __LINE__, tap_msg_);                                       \
    } while (0)

#define is_int(got, want, ...)                                                                     \
    do {                                                                                           \
        long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);                           \
        char tap_msg_[512];                                                                        \
        snprintf(tap_msg_, sizeof tap_msg_, __VA_ARGS__);                                          \
        tap_report_(tap_g_ == tap_w_, __FILE__, __LINE__, tap_msg_);                               \
        if (tap_g_ != tap_w_)                                                                      \
            printf("#   got: %lld\n#   expected: %lld\n", tap_g_, tap_w_);                         \
    } while (0)

#define is_str(got, want, ...)                                                                     \
    do {                                                                                           \
        const char *tap_g_ = (got), *tap_w_ = (want);                                              \
        int tap_eq_ = tap_g_ && tap_w_ ? strcmp(tap_g_, tap_w_) == 0 : tap_g_ == tap_w_;           \
        char tap_msg_[512];                                                                        \
        snprintf(tap_msg_, sizeof tap_msg_, __VA_ARGS__);                                          \
        tap_report_(tap_eq_, __FILE__, __LINE__, tap_msg_);                                        \
        if (!tap_eq_)                                                                              \
            printf("#   got: '%s'\n#   expected: '%s'\n", tap_g_ ? tap_g_ : "(null)",              \
                   tap_w_ ? tap_w_ : "(null)");                                                    \
    } while (0)

/* A check that does not apply here (no IPv6 on this host, say): reported as TAP "# SKIP" and
 * counted apart, never as a pass. */
#define skip(...)                                                                                  \
    do {                                                                                           \
        char tap_msg_[512];                                                                        \
        snprintf(tap_msg_, sizeof tap_msg_, __VA_ARGS__);                                          \
        tap_state_.run++;                                                                          \
        tap_state_.skipped++;                                                                      \
        printf("ok %d # SKIP %s\n", tap_state_.run, tap_msg_);                                     \
    } while (0)

/* Prints the plan line and returns the process exit status. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_state_.run);
    if (tap_state_.skipped)
        printf("# %d of %d checks skipped\n", tap_state_.skipped, tap_state_.run);
    if (tap_state_.failed)
        printf("# %d of %d checks failed\n", tap_state_.failed, tap_state_.run);
    return tap_state_.failed || tap_state_.run == tap_state_.skipped ? 1 : 0;
}

#endif
