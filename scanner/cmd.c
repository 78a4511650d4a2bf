/* The skeleton of the store commands (cmd.h): read the command line with the command's option
 * table, check it, open the store and the output, run, close. */
#include "scanner/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"

/* getopt's value for an option: its short name, else one above every character. */
static int getopt_value(scanner_cmd_opt_t opt)
{
    char short_name = scanner_cmd_options[opt].short_name;
    return short_name ? short_name : 256 + (int)opt;
}

/* Every command takes -d/--db: the store is what they all work on. */
static bool takes(const scanner_cmd_t *cmd, scanner_cmd_opt_t opt)
{
    return opt == CMD_OPT_DB || (cmd->syntax.takes & (1u << opt));
}

static bool knows(const scanner_cmd_t *cmd, scanner_cmd_opt_t opt)
{
    return takes(cmd, opt) || (cmd->syntax.refuses & (1u << opt));
}

/* getopt's tables for cmd: the options it takes or names as another command's, and --help.
 * The short options string starts with ':' to tell a missing value from an unknown option. */
static void getopt_tables(const scanner_cmd_t *cmd, struct option *longs, char *shorts)
{
    size_t n = 0, s = 0;
    shorts[s++] = ':';
    for (int opt = 0; opt < CMD_N_OPTIONS; opt++) {
        if (!knows(cmd, (scanner_cmd_opt_t)opt))
            continue;
        const scanner_cmd_option_t *o = &scanner_cmd_options[opt];
        longs[n++] =
            (struct option){o->long_name, o->has_arg, NULL, getopt_value((scanner_cmd_opt_t)opt)};
        if (o->short_name) {
            shorts[s++] = o->short_name;
            shorts[s++] = ':';
        }
    }
    longs[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longs[n] = (struct option){0};
    shorts[s++] = 'h';
    shorts[s] = '\0';
}

/* Option opt, just read: sets its field when it is cmd's (and runs its check if that runs as it
 * is read); when it is another command's, a usage error naming both. 0 or the exit status. */
static int take_option(const scanner_cmd_t *cmd, scanner_cmd_opt_t opt, scanner_cmd_args_t *a)
{
    const scanner_cmd_option_t *o = &scanner_cmd_options[opt];
    if (!takes(cmd, opt))
        return scanner_cmd_usage_error(cmd, "%s is not an option of %s (it is one of %s)\n%s",
                                       o->shown, cmd->name, o->owners, cmd->usage);
    char *field = (char *)a + o->field;
    if (o->has_arg == no_argument)
        *(bool *)field = true;
    else
        *(const char **)field = optarg;
    return scanner_cmd_check_option(cmd, a, opt, CMD_CHECK_WHEN_READ);
}

/* The option whose getopt value is c; CMD_N_OPTIONS for none. */
static scanner_cmd_opt_t option_of_value(int c)
{
    int opt = 0;
    while (opt < CMD_N_OPTIONS && getopt_value((scanner_cmd_opt_t)opt) != c)
        opt++;
    return (scanner_cmd_opt_t)opt;
}

enum { READ_HELP = -1 };

/* Reads argv into a. 0, READ_HELP (--help printed), or the exit status of a usage error. */
static int read_args(const scanner_cmd_t *cmd, int argc, char **argv, scanner_cmd_args_t *a)
{
    memset(a, 0, sizeof *a);
    a->db = "./dnssweep.db";
    const char *formats = cmd->syntax.formats;
    if (formats)
        a->format_value = scanner_cmd_format_value(formats, strcspn(formats, "|"));
    struct option longs[CMD_N_OPTIONS + 2];
    char shorts[2 * CMD_N_OPTIONS + 3];
    getopt_tables(cmd, longs, shorts);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        scanner_cmd_opt_t opt = option_of_value(c);
        int rc;
        if (c == 'h') {
            fputs(cmd->usage, stdout);
            return READ_HELP;
        } else if (c == ':') {
            rc = scanner_cmd_usage_error(cmd, "option %s needs a value\n", argv[optind - 1]);
        } else if (opt == CMD_N_OPTIONS) {
            rc = scanner_cmd_usage_error(cmd, "unknown option '%s' (not an option of %s)\n%s",
                                         argv[optind - 1], cmd->name, cmd->usage);
        } else {
            rc = take_option(cmd, opt, a);
        }
        if (rc)
            return rc;
    }
    a->operands = argv + optind;
    a->n_operands = argc - optind;
    return 0;
}

static bool given(const scanner_cmd_args_t *a, scanner_cmd_opt_t opt)
{
    const scanner_cmd_option_t *o = &scanner_cmd_options[opt];
    const char *field = (const char *)a + o->field;
    if (o->has_arg == no_argument)
        return *(const bool *)field;
    return *(const char *const *)field != NULL;
}

/* Runs the checks that run at `when` of the options given, in scanner_cmd_opt_t order. */
static int run_checks(const scanner_cmd_t *cmd, scanner_cmd_args_t *a, scanner_cmd_when_t when)
{
    int rc = 0;
    for (int opt = 0; opt < CMD_N_OPTIONS && !rc; opt++)
        if (given(a, (scanner_cmd_opt_t)opt))
            rc = scanner_cmd_check_option(cmd, a, (scanner_cmd_opt_t)opt, when);
    return rc;
}

static int check_args(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    int rc = run_checks(cmd, a, CMD_CHECK_BEFORE_OPERANDS);
    if (!rc && cmd->syntax.operands)
        rc = cmd->syntax.operands(cmd, a);
    return rc ? rc : run_checks(cmd, a, CMD_CHECK_AFTER_OPERANDS);
}

static int open_store(const char *db, results_store_t **store)
{
    int rc = results_open(db, RESULTS_READONLY, store);
    if (rc != 0) {
        fprintf(stderr, "dnssweep: cannot open the results store %s: %s%s%s\n", db,
                results_strerror(rc), errno ? ": " : "", errno ? strerror(errno) : "");
        return 1;
    }
    return 0;
}

/* Opens what cmd works on: 0, or the exit status (said; nothing left open). */
static int open_for(scanner_cmd_ctx_t *c)
{
    if (c->cmd->work.writes_store)
        return 0;
    if (open_store(c->args.db, &c->store))
        return 1;
    if (!takes(c->cmd, CMD_OPT_OUTPUT))
        return 0;
    int rc = c->cmd->work.before_output ? c->cmd->work.before_output(c) : 0;
    if (!rc && !(c->out = scanner_cmd_open_output(c->args.output)))
        rc = 1;
    if (rc) {
        results_close(c->store);
        c->store = NULL;
    }
    return rc;
}

/* The plain ending of an output (scanner_cmd_t.plain_close). */
static int close_output_plain(FILE *f, const char *path)
{
    if (f != stdout && fclose(f) != 0) {
        fprintf(stderr, "dnssweep: writing %s failed: %s\n", path, strerror(errno));
        return 1;
    }
    return f == stdout && fflush(stdout) != 0 ? 1 : 0;
}

/* Closes what open_for opened, after the work gave exit status rc: the final exit status. */
static int close_for(scanner_cmd_ctx_t *c, int rc)
{
    if (c->out && c->cmd->work.plain_close) {
        int close_rc = close_output_plain(c->out, c->args.output);
        rc = rc ? rc : close_rc;
    } else if (c->out) {
        int close_rc = scanner_cmd_close_output(c->out, c->args.output);
        rc = close_rc ? close_rc : rc;
    }
    results_close(c->store);
    return rc;
}

/* Exit status of a process that SIGPIPE ended, which is what `dnssweep export | head` would
 * have given without main() ignoring SIGPIPE. */
enum { EXIT_READER_GONE = 128 + 13 };

/* True when stdout is a pipe or socket whose reader has gone (`| head` read enough): a write
 * error then is the reader's choice, not a failure worth a message. Asked of the descriptor
 * rather than errno, which the clean-up after the failed write may have changed. */
static bool stdout_reader_gone(void)
{
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* The failure of the work (a RESULTS_E* code), said after "dnssweep <command>: ": a failed
 * write to the output names the output instead of blaming the disk under the store. Gives the
 * exit status: 141 when the reader of stdout has gone, 2 for a scan or domain not found, else 1. */
static int work_failed(const scanner_cmd_ctx_t *c, int rc)
{
    bool write_failed = rc == RESULTS_EIO && c->out && ferror(c->out);
    if (rc == RESULTS_EIO && (!write_failed || c->out == stdout) && stdout_reader_gone())
        return EXIT_READER_GONE;
    if (write_failed) {
        int err = errno ? errno : EIO;
        fprintf(stderr, "dnssweep %s: writing %s failed: %s\n", c->cmd->name,
                c->out == stdout ? "to standard output" : c->args.output, strerror(err));
        return 1;
    }
    fprintf(stderr, "dnssweep %s: %s\n", c->cmd->name, results_strerror(rc));
    return rc == RESULTS_ENOTFOUND ? 2 : 1;
}

int scanner_cmd_run(const scanner_cmd_t *cmd, int argc, char **argv)
{
    scanner_cmd_ctx_t c = {.cmd = cmd};
    int rc = read_args(cmd, argc, argv, &c.args);
    if (rc == READ_HELP)
        return 0;
    if (!rc)
        rc = check_args(cmd, &c.args);
    if (!rc)
        rc = open_for(&c);
    if (rc)
        return rc;
    rc = cmd->work.run(&c);
    if (rc < 0)
        rc = work_failed(&c, rc);
    return close_for(&c, rc);
}

int scanner_cmd_usage_error(const scanner_cmd_t *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dnssweep %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    return 2;
}

int scanner_cmd_no_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a)
{
    if (a->n_operands == 0)
        return 0;
    return scanner_cmd_usage_error(cmd, "unexpected argument '%s'\n%s", a->operands[0], cmd->usage);
}

FILE *scanner_cmd_open_output(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "dnssweep: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

int scanner_cmd_close_output(FILE *f, const char *path)
{
    if (ferror(f)) { /* work_failed() has said why */
        if (f != stdout)
            fclose(f);
        return f == stdout && stdout_reader_gone() ? EXIT_READER_GONE : 1;
    }
    if (f == stdout) {
        if (fflush(stdout) == 0)
            return 0;
        if (stdout_reader_gone())
            return EXIT_READER_GONE;
        fprintf(stderr, "dnssweep: writing to standard output failed: %s\n", strerror(errno));
        return 1;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "dnssweep: writing %s failed: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}
