/*
 * scanner/: the per-domain state machine that ties io/, verify/ and results/ together, and the
 * dnssweep command line (doc/cli.md).
 */
#ifndef DNSSWEEP_SCANNER_H
#define DNSSWEEP_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#define SCANNER_MAX_RESOLVERS 8

typedef enum scanner_progress_mode {
    SCANNER_PROGRESS_AUTO,
    SCANNER_PROGRESS_ALWAYS,
    SCANNER_PROGRESS_NEVER,
} scanner_progress_mode_t;

/* Everything `dnssweep scan` takes from its command line; strings borrow argv. */
/* The validation limits --limit sets (verify_thresholds_t fields of the same meaning). */
typedef enum scanner_limit {
    SCANNER_LIMIT_KEYS_PER_RRSIG,
    SCANNER_LIMIT_RRSIGS_PER_RRSET,
    SCANNER_LIMIT_OPS_PER_SERVER,
    SCANNER_LIMIT_OPS_PER_DOMAIN,
    SCANNER_LIMIT_HASHES_PER_SERVER,
    SCANNER_LIMIT_HASHES_PER_DOMAIN,
    SCANNER_LIMIT_NSEC3_ITERATIONS,
    SCANNER_LIMIT_COUNT
} scanner_limit_t;

/* The NAME of a limit in --limit NAME=N ("keys-per-rrsig"), or NULL for no limit. Static text. */
const char *scanner_limit_name(int limit);

typedef struct scanner_config {
    const char *input;        /* FILE or "-" */
    const char *db_dir;       /* --db */
    const char *scan_name;    /* --scan, NULL = a UTC timestamp */
    bool resume;              /* --resume: the scan's stored settings fill what is not given */
    const char *root_hints;   /* --root-hints, NULL = system, else built in */
    const char *trust_anchor; /* --trust-anchor, NULL = system, else built in */
    struct sockaddr_storage resolvers[SCANNER_MAX_RESOLVERS];
    unsigned resolver_count;
    uint16_t port;           /* --port: destination port of every authoritative server */
    bool port_set;           /* --port was given (a resume compares it with the stored one) */
    unsigned qps;            /* 0 = no limit */
    unsigned qps_per_server; /* 0 = no limit */
    unsigned concurrency;    /* domains in flight */
    unsigned timeout_ms;
    unsigned retries;
    unsigned threads; /* 0 = online CPUs */
    int64_t now;      /* validation time; 0 = the clock */
    unsigned expiry_warning_days;
    bool expiry_warning_set; /* --expiry-warning was given */
    /* --limit NAME=N: validation work limits (verdicts.md defaults when not set). */
    unsigned limits[SCANNER_LIMIT_COUNT];
    bool limit_set[SCANNER_LIMIT_COUNT];
    unsigned shard_k, shard_n; /* 0/0 = no sharding */
    bool check_resolver_set;
    struct sockaddr_storage check_resolver;
    const char *output; /* -o, NULL = none, "-" = stdout */
    scanner_progress_mode_t progress;
    const char *metrics;
    bool ipv4_only, ipv6_only;
    /* --servers: all = every address gets every question; names (default) = DNSKEY and SOA to
     * every address, the other questions to one address per NS name. */
    bool servers_all;
    bool servers_set; /* --servers was given (a resume compares it with the stored one) */
    bool strict;
    const char *zone_file;
    /* Set by `check`, not from the command line: what the scan records as its input (NULL =
     * the input path), and a store that is removed after the run (no --resume is offered). */
    const char *input_desc;
    bool temporary_store;
} scanner_config_t;

/* Fills cfg with the defaults of cli.md. */
void scanner_config_defaults(scanner_config_t *cfg);

/* Parses `scan` arguments (argv[0] is "scan"). Returns 0 to go on, 1 when --help was printed
 * (exit 0), 2 on a usage error (message already on err). */
int scanner_config_parse(int argc, char **argv, scanner_config_t *cfg, FILE *err);

/* Parses the scan options only (argv[0] names the command in messages); *first_operand is the
 * index of the first non-option argument (getopt moves them to the end). Returns 0, 1 when
 * --help was asked (nothing printed: the caller prints its own usage) or 2 on a usage error. */
int scanner_config_parse_options(int argc, char **argv, scanner_config_t *cfg, FILE *err,
                                 int *first_operand);

/* Prints the scan command's help. */
void scanner_config_usage(FILE *out);

/* Parses a decimal number (digits only, no sign or space) within [min, max] into out. Returns 0
 * or -1. */
int scanner_parse_unsigned(const char *text, unsigned long min, unsigned long max,
                           unsigned long *out);

/* Parses "ADDR", "ADDR#PORT" or "[v6]:PORT"-free "v6#PORT" into out. Returns 0 or -1. */
int scanner_parse_address(const char *text, uint16_t default_port, struct sockaddr_storage *out);

/* Parses an RFC 3339 date-time ("2026-11-24T14:00:00Z", "2026-11-24t15:00:00.25+01:00"; the
 * fraction is dropped) or unix seconds (at most 12 digits) into unix seconds. An RFC 3339 time
 * at or before the epoch is refused. Returns 0 or -1. */
int scanner_parse_time(const char *text, int64_t *out);

/* Runs a scan to the end (or until SIGINT/SIGTERM). Returns the process exit status (cli.md). */
int scanner_run(const scanner_config_t *cfg);
/* scanner_run that also writes the name of the scan it ran (or tried) into scan_name ("" when
 * none was begun). */
int scanner_run_named(const scanner_config_t *cfg, char *scan_name, size_t scan_name_len);

#endif
