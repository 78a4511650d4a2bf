/*
 * --now TIME: RFC 3339 date-time (§5.6) or unix seconds. Parsed by hand rather than with
 * strptime, which accepts loose forms ("2026-1-2T3:4:5" and out-of-range days that timegm
 * then normalises) and knows no fractions of a second.
 */
#include "scanner/scanner.h"

#include <stdbool.h>
#include <string.h>

/* Exactly n decimal digits at *p, advancing *p. Returns the value or -1. */
static long digits(const char **p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    return v;
}

static bool expect(const char **p, const char *one_of)
{
    if (**p == '\0' || !strchr(one_of, **p))
        return false;
    (*p)++;
    return true;
}

/* A field of n digits within [min, max], then one of the characters of sep (nothing when sep is
 * NULL): its value, or -1. */
static long field(const char **p, int n, long min, long max, const char *sep)
{
    long v = digits(p, n);
    if (v < min || v > max || (sep && !expect(p, sep)))
        return -1;
    return v;
}

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static long days_in_month(long y, long m)
{
    static const long days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

/* All digits, no sign, at most 12 of them (up to year ~33658). */
static int parse_unix_seconds(const char *text, int64_t *out)
{
    size_t n = strlen(text);
    if (n == 0 || n > 12 || strspn(text, "0123456789") != n)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (text[i] - '0');
    *out = v;
    return 0;
}

/* date-time = full-date ("T"/"t") full-time; full-time = hh:mm:ss[.frac] ("Z"/"z"/±hh:mm).
 * The fraction is dropped (validation works in whole seconds); a leap second (:60) is
 * accepted as RFC 3339 allows and counts as the next second. The time must be after the
 * epoch: 0 means "the clock" to the scanner. */
static int parse_rfc3339(const char *p, int64_t *out)
{
    /* full-date "T" hh:mm:ss; the day is checked against its month below. */
    enum { YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, N_FIELDS };
    static const struct {
        int n;
        long min, max;
        const char *sep;
    } fields[N_FIELDS] = {
        [YEAR] = {4, 0, 9999, "-"}, [MONTH] = {2, 1, 12, "-"},  [DAY] = {2, 1, 31, "Tt"},
        [HOUR] = {2, 0, 23, ":"},   [MINUTE] = {2, 0, 59, ":"}, [SECOND] = {2, 0, 60, NULL},
    };
    long v[N_FIELDS];
    for (int i = 0; i < N_FIELDS; i++)
        if ((v[i] = field(&p, fields[i].n, fields[i].min, fields[i].max, fields[i].sep)) < 0)
            return -1;
    if (v[DAY] > days_in_month(v[YEAR], v[MONTH]))
        return -1;
    if (*p == '.') {
        p++;
        size_t n = strspn(p, "0123456789");
        if (n == 0)
            return -1;
        p += n;
    }
    long offset = 0;
    if (expect(&p, "Zz")) {
        offset = 0;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        long oh = field(&p, 2, 0, 23, ":");
        if (oh < 0)
            return -1;
        long om = field(&p, 2, 0, 59, NULL);
        if (om < 0)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    int64_t t = days_from_civil(v[YEAR], v[MONTH], v[DAY]) * 86400 + v[HOUR] * 3600 +
                v[MINUTE] * 60 + v[SECOND] - offset;
    if (t <= 0)
        return -1;
    *out = t;
    return 0;
}

int scanner_parse_time(const char *text, int64_t *out)
{
    if (!text || !out)
        return -1;
    return parse_unix_seconds(text, out) == 0 ? 0 : parse_rfc3339(text, out);
}
