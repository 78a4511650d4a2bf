/* Private to scanner/: the one skeleton of the store commands (export, diff, show, scans, report,
 * merge, prune, ds-actions). A command is a table (scanner_cmd_t): the options it takes and how
 * each is checked, the options of other commands it names when given, its operands, what it
 * opens and its work. scanner_cmd_run reads the command line with that table, checks it, opens
 * the store and the output, runs the work and closes. */
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
    results_store_t *store; /* the store at args.db, read-only (CMD_OPENS_STORE and up) */
    FILE *out;              /* -o FILE, or stdout for none or "-" (CMD_OPENS_STORE_OUTPUT) */
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

/* The check of one option a command takes: turns its text, when given, into its value. */
typedef struct scanner_cmd_check {
    scanner_cmd_opt_t opt;
    scanner_cmd_check_fn *fn; /* NULL ends a command's checks */
    scanner_cmd_when_t when;
} scanner_cmd_check_t;

/* A --format word and the value the command works with. */
typedef struct scanner_cmd_word {
    const char *word; /* NULL ends a command's words */
    int value;
} scanner_cmd_word_t;

/* The most checks and --format words a command has (the compiler refuses more). */
enum { CMD_MAX_CHECKS = 2, CMD_MAX_FORMATS = 3 };

typedef enum scanner_cmd_opens {
    CMD_OPENS_NOTHING,      /* the work opens what it needs (merge writes, prune swaps) */
    CMD_OPENS_STORE,        /* the store, read-only; the work writes to stdout */
    CMD_OPENS_STORE_OUTPUT, /* and then -o FILE (or stdout) */
} scanner_cmd_opens_t;

struct scanner_cmd {
    const char *name;
    const char *usage; /* --help, and the end of most usage errors */
    unsigned takes;    /* CMD_OPT() of its options */
    /* CMD_OPT() of the other commands' options it names as such when given (its own among them
     * are taken); any other option is unknown. */
    unsigned refuses;
    scanner_cmd_check_t checks[CMD_MAX_CHECKS];  /* run in this order (options without: none) */
    scanner_cmd_word_t formats[CMD_MAX_FORMATS]; /* --format: the words, the default first */
    /* Checks the operands (and what depends on several options): 0 or the exit status, said.
     * NULL: the operands are not looked at. */
    scanner_cmd_check_fn *operands;
    scanner_cmd_opens_t opens;
    /* With CMD_OPENS_STORE_OUTPUT, may refuse after the store is opened and before the output
     * is created: 0 or the exit status, said. NULL: nothing to refuse. */
    int (*before_output)(scanner_cmd_ctx_t *c);
    /* The work: the exit status, having said what failed. */
    int (*run)(scanner_cmd_ctx_t *c);
    /* How the output ends. false: a reader that has gone gives 141 quietly, a write error says
     * so, and a failed close wins over the work's status (export, diff, report: doc/cli.md).
     * true: only a failed close of -o FILE is said, and the work's status wins (ds-actions). */
    bool plain_close;
};

/* "dnssweep <command>: " and the printf-style message on stderr; returns 2, the usage status. */
int scanner_cmd_usage_error(const scanner_cmd_t *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An operands check for a command that takes none: "unexpected argument" and the usage. */
int scanner_cmd_no_operands(const scanner_cmd_t *cmd, scanner_cmd_args_t *a);
/* The check of --format: looks the word up in cmd->formats into a->format_value. */
int scanner_cmd_check_format(const scanner_cmd_t *cmd, scanner_cmd_args_t *a);

/* The failure of a command's work (a RESULTS_E* code): says it after "dnssweep <what>: " and
 * gives the exit status (2 for a scan or domain not found, 141 for a reader that has gone). */
int scanner_cmd_fail(const char *what, int rc);
/* scanner_cmd_fail for a command writing out (to path; NULL or "-": stdout): a failed write
 * is said as such, naming the file, instead of blaming the disk under the store. */
int scanner_cmd_fail_writing(const char *what, int rc, FILE *out, const char *path);
/* path opened for writing (NULL or "-": stdout); NULL when it cannot be (said on stderr). */
FILE *scanner_cmd_open_output(const char *path);
/* Closes what scanner_cmd_open_output gave (stdout is flushed only): 0, 1 (said on stderr), or
 * 141 when the reader of stdout has gone. */
int scanner_cmd_close_output(FILE *f, const char *path);

#endif
