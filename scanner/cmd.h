/* Private to scanner/: the one skeleton of the store commands (export, diff, show, scans, report,
 * merge, prune, ds-actions). A command is a table (scanner_cmd_t): its syntax (the options it
 * takes, those of other commands it names when given, its --format words, its operands) and its
 * work. Every option is read and checked the same way for every command (cmd_options.c).
 * scanner_cmd_run reads the command line, checks it, opens the store and the output, runs the
 * work, says its failure and closes. */
#ifndef DNSSWEEP_SCANNER_CMD_H
#define DNSSWEEP_SCANNER_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "results/results.h"
#include "scanner/commands.h"
#include "scanner/input.h"
#include "scanner/scanner.h"

/* Every option of the store commands. Each command takes its own set (doc/cli.md: "every
 * command rejects options that are not its own"); cmd.c knows them all, with how messages
 * write them and whose they are. */
typedef enum scanner_cmd_opt {
    CMD_OPT_DB,
    CMD_OPT_SCAN,
    CMD_OPT_FORMAT,
    CMD_OPT_OUTPUT,
    CMD_OPT_FAIL_ON_REGRESSION,
    CMD_OPT_ALL,
    CMD_OPT_DIFF_AGAINST,
    CMD_OPT_FORCE,
    CMD_OPT_STATUS,
    CMD_OPT_HISTORY,
    CMD_OPT_STABLE,
    CMD_OPT_GRAPH,
    CMD_OPT_KEEP,
    CMD_OPT_BEFORE,
    CMD_N_OPTIONS
} scanner_cmd_opt_t;

/* The bit of option CMD_OPT_<name> in a mask of options: CMD_OPT(DB) | CMD_OPT(SCAN). */
#define CMD_OPT(name) (1u << CMD_OPT_##name)

/* A command line as read: each option's text as given (NULL when it was not; db defaults to
 * ./dnssweep.db), the switches, the operands, and the values the checks made of the texts.
 * The texts and operands point into argv. */
typedef struct scanner_cmd_args {
    const char *db, *scan, *format, *output, *diff_against, *status, *history, *stable, *graph,
        *keep, *before;
    bool fail_on_regression, all, force;
    char **operands;
    int n_operands;
    int format_value;     /* the value of the --format word; the command's first word's if none */
    unsigned status_mask; /* --status: RESULTS_STATUS_BIT of each status named */
    unsigned history_scans, stable_scans, keep_scans; /* --history, --stable, --keep */
    int64_t before_time;                              /* --before, seconds since the epoch */
    results_graph_format_t graph_format;              /* --graph, by the file's extension */
    char domain[SCANNER_NAME_MAX + 1];                /* show: its DOMAIN, normalised */
} scanner_cmd_args_t;

/* A running command: what it was given and what the skeleton opened for it (and closes). */
typedef struct scanner_cmd_ctx {
    const scanner_cmd_t *cmd;
    scanner_cmd_args_t args;
    results_store_t *store; /* the store at args.db, read-only; NULL when the work writes it */
    FILE *out; /* -o FILE, or stdout for none or "-"; NULL for a command that does not take -o */
} scanner_cmd_ctx_t;

/* When a check runs: as its option is read (so that its error comes before a later option's),
 * before the command looks at its operands, or after. After is the default. */
typedef enum scanner_cmd_when {
    CMD_CHECK_AFTER_OPERANDS = 0,
    CMD_CHECK_BEFORE_OPERANDS,
    CMD_CHECK_WHEN_READ,
} scanner_cmd_when_t;

/* A check: 0, or the exit status (2) of a bad value, said on stderr. */
typedef int scanner_cmd_check_fn(const scanner_cmd_t *cmd, scanner_cmd_args_t *a);

/* An option of the store commands (cmd_options.c): its long name, whether it takes a value,
 * its short name (0: none), how messages write it, whose it is, and the field of
 * scanner_cmd_args_t it sets: the text (a const char *) or, without a value, true (a bool). */
typedef struct scanner_cmd_option {
    const char *long_name;
    int has_arg;
    char short_name;
    const char *shown;
    const char *owners;
    size_t field;
} scanner_cmd_option_t;

extern const scanner_cmd_option_t scanner_cmd_options[CMD_N_OPTIONS];

/* Runs the check of option opt (given) when its check runs at `when`, turning its text into
 * the value the work uses: 0, or the exit status of a bad value, said. The same check for every
 * command that takes the option. */
int scanner_cmd_check_option(const scanner_cmd_t *cmd, scanner_cmd_args_t *a, scanner_cmd_opt_t opt,
                             scanner_cmd_when_t when);

/* Values of --format words beside results_format_t: export's text table (not a results format
 * but scanner_command_table), and a word no command has. */
enum { CMD_FORMAT_TABLE = -1, CMD_FORMAT_UNKNOWN = -2 };

/* The value the work is given for the --format word of len characters at word (a
 * results_format_t, or CMD_FORMAT_TABLE); CMD_FORMAT_UNKNOWN for a word no command has. */
int scanner_cmd_format_value(const char *word, size_t len);

/* The command line a command accepts: its options, and what its operands must be. */
typedef struct scanner_cmd_syntax {
    unsigned takes; /* CMD_OPT() of its options besides -d/--db, which every command takes */
    /* CMD_OPT() of the other commands' options it names as such when given (its own among them
     * are taken); any other option is unknown. */
    unsigned refuses;
    const char *formats; /* --format: its words, the default first: "jsonl|csv" (NULL: none) */
    /* Checks the operands (and what depends on several options): 0 or the exit status, said.
     * NULL: the operands are not looked at. */
    scanner_cmd_check_fn *operands;
} scanner_cmd_syntax_t;

/* The work, and what the skeleton opens for it and closes. */
typedef struct scanner_cmd_work {
    /* true: the work opens the store itself, to write it (merge writes, prune swaps). false:
     * the skeleton opens it read-only, and then -o FILE (or stdout) when the command takes -o. */
    bool writes_store;
    /* May refuse after the store is opened and before the output is created: 0 or the exit
     * status, said. NULL: nothing to refuse. */
    int (*before_output)(scanner_cmd_ctx_t *c);
    /* The work: the exit status, having said what failed; or a RESULTS_E* code (negative),
     * which the skeleton says after "dnssweep <name>: " (naming the output for a failed write)
     * and turns into the exit status (2 for a scan or domain not found, 141 for a reader of
     * stdout that has gone, else 1). */
    int (*run)(scanner_cmd_ctx_t *c);
    /* How the output ends. false: a reader that has gone gives 141 quietly, a write error says
     * so, and a failed close wins over the work's status (export, diff, report: doc/cli.md).
     * true: only a failed close of -o FILE is said, and the work's status wins (ds-actions). */
    bool plain_close;
} scanner_cmd_work_t;

struct scanner_cmd {
    const char *name;
    const char *usage; /* --help, and the end of most usage errors */
    scanner_cmd_syntax_t syntax;
    scanner_cmd_work_t work;
};

/* "dnssweep <command>: " and the printf-style message on stderr; returns 2, the usage status. */
int scanner_cmd_usage_error(const scanner_cmd_t *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An operands check for a command that takes none: "unexpected argument" and the usage. */
int scanner_cmd_no_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a);

/* path opened for writing (NULL or "-": stdout); NULL when it cannot be (said on stderr). */
FILE *scanner_cmd_open_output(const char *path);
/* Closes what scanner_cmd_open_output gave (stdout is flushed only): 0, 1 (said on stderr), or
 * 141 when the reader of stdout has gone. */
int scanner_cmd_close_output(FILE *f, const char *path);

#endif
