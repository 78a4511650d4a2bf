/* --now TIME: scanner_parse_time against a table of RFC 3339 forms, unix seconds and refusals.
 * Expected values were computed independently with `date -u -d ... +%s` (GNU coreutils). */
#include "scanner/scanner.h"
#include "tests/tap.h"

#include <stdio.h>

static const struct {
    const char *text;
    int64_t want; /* -1: refused */
} cases[] = {
    {"2026-11-24T14:00:00Z", 1795528800},
    {"2026-11-24T14:00:00+00:00", 1795528800},
    {"2026-11-24T14:00:00-00:00", 1795528800},
    {"2026-11-24t14:00:00z", 1795528800},
    {"2026-11-24T15:00:00+01:00", 1795528800},
    {"2026-11-24T08:30:00-05:30", 1795528800},
    {"2026-11-24T19:45:00+05:45", 1795528800},
    {"2026-11-24T14:00:00.123Z", 1795528800},
    {"2026-11-24T14:00:00.999999999+00:00", 1795528800},
    {"2026-11-24T15:00:00.5+01:00", 1795528800},
    {"2026-11-25T00:30:00+10:30", 1795528800},
    {"2024-02-29T00:00:00Z", 1709164800},
    {"2000-02-29T23:59:59Z", 951868799},
    {"2016-12-31T23:59:60Z", 1483228800},
    {"1970-01-01T00:00:01Z", 1},
    {"1795528800", 1795528800},
    {"0", 0},
    {"2026-11-24T14:00:00", -1},
    {"2026-11-24 14:00:00Z", -1},
    {"2026-11-24", -1},
    {"2026-11-24T14:00Z", -1},
    {"2026-1-24T14:00:00Z", -1},
    {"2026-11-24T14:00:00.Z", -1},
    {"2026-11-24T14:00:00+0100", -1},
    {"2026-11-24T14:00:00+01", -1},
    {"2026-11-24T14:00:00+24:00", -1},
    {"2026-11-24T14:00:00+01:60", -1},
    {"2026-13-01T00:00:00Z", -1},
    {"2026-00-01T00:00:00Z", -1},
    {"2026-02-29T00:00:00Z", -1},
    {"1900-02-29T00:00:00Z", -1},
    {"2026-04-31T00:00:00Z", -1},
    {"2026-11-24T24:00:00Z", -1},
    {"2026-11-24T14:60:00Z", -1},
    {"2026-11-24T14:00:61Z", -1},
    {"2026-11-24T14:00:00Zjunk", -1},
    {"1970-01-01T00:00:00Z", -1},
    {"1969-12-31T23:59:59Z", -1},
    {"1970-01-01T00:30:00+01:00", -1},
    {"-5", -1},
    {"+5", -1},
    {"12x", -1},
    {"1234567890123", -1},
    {"", -1},
    {"yesterday", -1},
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t got = -1;
        int rc = scanner_parse_time(cases[i].text, &got);
        char what[128];
        if (cases[i].want < 0) {
            snprintf(what, sizeof what, "'%s' refused", cases[i].text);
            is_int(rc, -1, "%s", what);
        } else {
            snprintf(what, sizeof what, "'%s' = %lld", cases[i].text, (long long)cases[i].want);
            ok(rc == 0 && got == cases[i].want, "%s (got %lld)", what, (long long)got);
        }
    }
    int64_t untouched = 42;
    is_int(scanner_parse_time(NULL, &untouched), -1, "NULL text refused");
    return tap_done();
}
