/*
 * Private to scanner/: the settings a scan stores with itself (results_scan_begin_ex) and that
 * `scan --resume` restores (cli.md "--resume"): the options that decide how a domain is judged.
 *
 * Stored as "key=value" lines (results_settings_get): mode (authoritative | resolver |
 * zone-file), resolver (space-separated ADDR#PORT), root-hints and trust-anchor (absolute path,
 * "" for the system file or the built-in list) each with a -sha256 of the records loaded from
 * it, now (unix seconds, absent = the clock), port, zone-file, expiry-warning, limit.NAME,
 * family (any | 4 | 6), check-resolver. The shard is in the scan's options ("shard=K/N").
 */
#ifndef DNSSWEEP_SCANNER_SETTINGS_H
#define DNSSWEEP_SCANNER_SETTINGS_H

#include <ldns/ldns.h>
#include <limits.h>

#include "scanner/scanner.h"

/* Storage for the paths a resumed scan takes from its store (cfg borrows them). */
typedef struct scan_settings_paths {
    char root_hints[PATH_MAX];
    char trust_anchor[PATH_MAX];
    char zone_file[PATH_MAX];
} scan_settings_paths_t;

/* "authoritative", "resolver" or "zone-file". Static storage. */
const char *scan_settings_mode(const scanner_config_t *cfg);

/* The settings text of cfg; hints and anchor are the records loaded for the scan (hashed).
 * Returns a malloc'ed string, or NULL when out of memory. */
char *scan_settings_format(const scanner_config_t *cfg, const ldns_rr_list *hints,
                           const ldns_rr_list *anchor);

/* --resume: *out becomes *cfg with the resumed scan's stored settings in place of what the
 * command line left unset (paths borrowed from *paths). An option given that contradicts a
 * stored one, or a hints/anchor file whose records changed since the scan started, is a usage
 * error: message on stderr naming both values, returns 2. A scan stored without settings (an
 * older dnssweep) resumes with cfg as given, after a notice. Returns 0 otherwise (also when the
 * scan is not found: opening it reports that). */
int scan_settings_resume(const scanner_config_t *cfg, scanner_config_t *out,
                         scan_settings_paths_t *paths);

#endif
