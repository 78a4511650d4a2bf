/* Private to scanner/: the subcommands other than scan. Each returns the exit status. */
#ifndef DNSSWEEP_SCANNER_COMMANDS_H
#define DNSSWEEP_SCANNER_COMMANDS_H

#include <stdio.h>

#include "results/results.h"

/* A store command (export, diff, show, scans, report, merge, prune, ds-actions): its option
 * table, checks and work, run by scanner_cmd_run (scanner/cmd.h). */
typedef struct scanner_cmd scanner_cmd_t;

extern const scanner_cmd_t scanner_cmd_export; /* commands.c */
extern const scanner_cmd_t scanner_cmd_diff;
extern const scanner_cmd_t scanner_cmd_show;
extern const scanner_cmd_t scanner_cmd_scans;
extern const scanner_cmd_t scanner_cmd_report;
extern const scanner_cmd_t scanner_cmd_merge;
extern const scanner_cmd_t scanner_cmd_prune;      /* prune.c */
extern const scanner_cmd_t scanner_cmd_ds_actions; /* ds_actions.c */

/* Runs store command cmd with its own arguments (argv[0] is its name): reads them with its
 * option table, checks them, opens the store and the output, does the work and closes. Returns
 * the exit status (doc/cli.md), having said on stderr what went wrong. */
int scanner_cmd_run(const scanner_cmd_t *cmd, int argc, char **argv);

/* dnssweep check DOMAIN... (check.c): exit 0, 1, 2, or 4 when a domain is not secure/insecure. */
int scanner_command_check(int argc, char **argv);
/* A per-domain text table (domain, status, reasons) and a status summary, of the records whose
 * status is in status_mask (RESULTS_STATUS_BIT; 0 = all). Returns 0 or a RESULTS_E* code. */
int scanner_command_table(results_store_t *store, const char *scan, unsigned status_mask,
                          FILE *out);

#endif
