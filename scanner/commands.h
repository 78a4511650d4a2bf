/* Private to scanner/: the subcommands other than scan. Each returns the exit status. */
#ifndef DNSSWEEP_SCANNER_COMMANDS_H
#define DNSSWEEP_SCANNER_COMMANDS_H

#include <stdio.h>

#include "results/results.h"

int scanner_command_export(int argc, char **argv);
int scanner_command_diff(int argc, char **argv);
int scanner_command_show(int argc, char **argv);
int scanner_command_scans(int argc, char **argv);
int scanner_command_report(int argc, char **argv);
int scanner_command_merge(int argc, char **argv);
/* dnssweep check DOMAIN... (check.c): exit 0, 1, 2, or 4 when a domain is not secure/insecure. */
int scanner_command_check(int argc, char **argv);
int scanner_command_prune(int argc, char **argv);      /* prune.c */
int scanner_command_ds_actions(int argc, char **argv); /* ds_actions.c */
/* Opens the results store db read-only, then path for writing (NULL or "-": stdout). Returns 0,
 * or 1 (said on stderr, nothing left open) when either fails. */
int scanner_open_store_output(const char *db, const char *path, results_store_t **store,
                              FILE **out);
/* A per-domain text table (domain, status, reasons) and a status summary, of the records whose
 * status is in status_mask (RESULTS_STATUS_BIT; 0 = all). Returns 0 or a RESULTS_E* code. */
int scanner_command_table(results_store_t *store, const char *scan, unsigned status_mask,
                          FILE *out);

#endif
