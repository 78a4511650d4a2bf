/* Every option of the store commands (cmd.h): its names, whose it is, the field it sets and
 * the check that turns its text into the value the work uses. An option is checked the same way
 * by every command that takes it. */
#include "scanner/cmd.h"

#include <assert.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/text.h"

/* Every --format word of the store commands and the value the work is given for it. */
static const text_code_t format_words[] = {
    {RESULTS_FORMAT_JSONL, "jsonl"}, {RESULTS_FORMAT_CSV, "csv"}, {RESULTS_FORMAT_TEXT, "text"},
    {RESULTS_FORMAT_HTML, "html"},   {CMD_FORMAT_TABLE, "table"},
};

int scanner_cmd_format_value(const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof format_words / sizeof format_words[0]; i++)
        if (strlen(format_words[i].text) == len && strncmp(word, format_words[i].text, len) == 0)
            return format_words[i].code;
    return CMD_FORMAT_UNKNOWN;
}

/* --format WORD: one of the command's words (cmd->syntax.formats), into a->format_value. Else the
 * error lists them: "(jsonl, csv or table)". */
static int check_format(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    char choices[80];
    text_buf_t t;
    text_init(&t, choices, sizeof choices);
    for (const char *w = cmd->syntax.formats; *w;) {
        size_t n = strcspn(w, "|");
        if (strlen(a->format) == n && strncmp(a->format, w, n) == 0) {
            a->format_value = scanner_cmd_format_value(w, n);
            /* a word of the command's formats that format_words lacks is a bug */
            assert(a->format_value != CMD_FORMAT_UNKNOWN);
            return 0;
        }
        const char *next = w[n] ? w + n + 1 : w + n;
        text_printf(&t, "%s%.*s", w == cmd->syntax.formats ? "" : *next ? ", " : " or ", (int)n, w);
        w = next;
    }
    fprintf(stderr, "dnssweep %s: unknown format '%s' (%s)\n", cmd->name, a->format, choices);
    return 2;
}

/* --status "bogus,lame" -> a RESULTS_STATUS_BIT mask. An unknown or empty name is a usage
 * error. */
static int check_status(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    const char *p = a->status;
    a->status_mask = 0;
    for (;;) {
        size_t n = strcspn(p, ",");
        char name[32];
        verify_status_t status;
        if (n == 0 || n >= sizeof name)
            return scanner_cmd_usage_error(cmd, "--status '%s': empty or overlong status name\n%s",
                                           a->status, cmd->usage);
        memcpy(name, p, n);
        name[n] = '\0';
        if (verify_status_from_name(name, &status) != 0)
            return scanner_cmd_usage_error(cmd,
                                           "--status: unknown status '%s' (secure, insecure, "
                                           "bogus, indeterminate, lame or nxdomain)\n",
                                           name);
        a->status_mask |= RESULTS_STATUS_BIT(status);
        if (p[n] == '\0')
            return 0;
        p += n + 1;
    }
}

static int check_history(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    char *end;
    unsigned long v = strtoul(a->history, &end, 10);
    if (!*a->history || *end || a->history[0] == '-' || v < 1 || v > 1000)
        return scanner_cmd_usage_error(
            cmd, "--history wants a number of scans from 1 to 1000, not '%s'\n%s", a->history,
            cmd->usage);
    a->history_scans = (unsigned)v;
    return 0;
}

static int check_stable(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    unsigned long stable;
    if (scanner_parse_unsigned(a->stable, 1, 64, &stable) != 0)
        return scanner_cmd_usage_error(
            cmd, "--stable wants a number of scans from 1 to 64, not '%s'\n", a->stable);
    a->stable_scans = (unsigned)stable;
    return 0;
}

static int check_graph(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (results_graph_format_for(a->graph, &a->graph_format) == 0)
        return 0;
    return scanner_cmd_usage_error(cmd,
                                   "--graph %s: the file name must end in .svg or .dot (the "
                                   "extension picks the format)\n%s",
                                   a->graph, cmd->usage);
}

/* "2026-11-24" (midnight UTC) or "2026-11-24T14:03:12Z": 0 and *out, or -1. */
static int parse_date(const char *s, int64_t *out)
{
    struct tm tm = {0};
    int used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 || used != 10)
        return -1;
    if (s[used] == 'T') {
        int more = 0;
        if (sscanf(s + used, "T%2d:%2d:%2dZ%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &more) != 3 ||
            more != 10)
            return -1;
        used += more;
    }
    if (s[used] != '\0')
        return -1;
    struct tm want = tm;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    /* timegm normalises 2026-02-31 to March: a date that changed is not a date. */
    if (t == (time_t)-1 || tm.tm_year + 1900 != want.tm_year || tm.tm_mon + 1 != want.tm_mon ||
        tm.tm_mday != want.tm_mday || tm.tm_hour != want.tm_hour || tm.tm_min != want.tm_min ||
        tm.tm_sec != want.tm_sec)
        return -1;
    *out = (int64_t)t;
    return 0;
}

static int check_keep(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    unsigned long keep;
    if (scanner_parse_unsigned(a->keep, 1, UINT_MAX, &keep) != 0)
        return scanner_cmd_usage_error(cmd,
                                       "--keep wants a number of scans >= 1, not '%s' (the latest "
                                       "finished scan is always kept)\n",
                                       a->keep);
    a->keep_scans = (unsigned)keep;
    return 0;
}

static int check_before(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (parse_date(a->before, &a->before_time) != 0)
        return scanner_cmd_usage_error(cmd,
                                       "--before wants a date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ "
                                       "(UTC), not '%s'\n",
                                       a->before);
    return 0;
}

#define ARG(name) offsetof(scanner_cmd_args_t, name)

const scanner_cmd_option_t scanner_cmd_options[CMD_N_OPTIONS] = {
    [CMD_OPT_DB] = {"db", required_argument, 'd', "-d/--db", "every command", ARG(db)},
    [CMD_OPT_SCAN] = {"scan", required_argument, 0, "--scan",
                      "scan, export, report, show and ds-actions", ARG(scan)},
    [CMD_OPT_FORMAT] = {"format", required_argument, 0, "--format", "export, diff and ds-actions",
                        ARG(format)},
    [CMD_OPT_OUTPUT] = {"output", required_argument, 'o', "-o/--output",
                        "scan, export, diff, report and ds-actions", ARG(output)},
    [CMD_OPT_FAIL_ON_REGRESSION] = {"fail-on-regression", no_argument, 0, "--fail-on-regression",
                                    "diff", ARG(fail_on_regression)},
    [CMD_OPT_ALL] = {"all", no_argument, 0, "--all", "diff", ARG(all)},
    [CMD_OPT_DIFF_AGAINST] = {"diff-against", required_argument, 0, "--diff-against", "report",
                              ARG(diff_against)},
    [CMD_OPT_FORCE] = {"force", no_argument, 0, "--force", "diff", ARG(force)},
    [CMD_OPT_STATUS] = {"status", required_argument, 0, "--status", "export", ARG(status)},
    [CMD_OPT_HISTORY] = {"history", required_argument, 0, "--history", "report", ARG(history)},
    [CMD_OPT_STABLE] = {"stable", required_argument, 0, "--stable", "ds-actions", ARG(stable)},
    [CMD_OPT_GRAPH] = {"graph", required_argument, 0, "--graph", "show", ARG(graph)},
    [CMD_OPT_KEEP] = {"keep", required_argument, 0, "--keep", "prune", ARG(keep)},
    [CMD_OPT_BEFORE] = {"before", required_argument, 0, "--before", "prune", ARG(before)},
};

/* The check of each option that has one, and when it runs. */
static const struct {
    scanner_cmd_check_fn *fn;
    scanner_cmd_when_t when;
} option_checks[CMD_N_OPTIONS] = {
    [CMD_OPT_FORMAT] = {check_format, CMD_CHECK_AFTER_OPERANDS},
    [CMD_OPT_STATUS] = {check_status, CMD_CHECK_AFTER_OPERANDS},
    [CMD_OPT_HISTORY] = {check_history, CMD_CHECK_AFTER_OPERANDS},
    /* said as it is read, before a later option's error */
    [CMD_OPT_STABLE] = {check_stable, CMD_CHECK_WHEN_READ},
    /* a wrong extension is the error even without a DOMAIN */
    [CMD_OPT_GRAPH] = {check_graph, CMD_CHECK_BEFORE_OPERANDS},
    [CMD_OPT_KEEP] = {check_keep, CMD_CHECK_AFTER_OPERANDS},
    [CMD_OPT_BEFORE] = {check_before, CMD_CHECK_AFTER_OPERANDS},
};

int scanner_cmd_check_option(const scanner_cmd_t *cmd, scanner_cmd_args_t *a, scanner_cmd_opt_t opt,
                             scanner_cmd_when_t when)
{
    assert((unsigned)opt < CMD_N_OPTIONS);
    if (!option_checks[opt].fn || option_checks[opt].when != when)
        return 0;
    return option_checks[opt].fn(cmd, a);
}
