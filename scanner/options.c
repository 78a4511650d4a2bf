/* `dnssweep scan` command line: cli.md's options, defaults and usage errors. */
#include "scanner/scanner.h"
#include "text/text.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void scanner_config_defaults(scanner_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->input = "-";
    cfg->db_dir = "./dnssweep.db";
    cfg->port = 53;
    cfg->qps = 5000;
    cfg->qps_per_server = 200;
    cfg->concurrency = 0; /* adaptive: see scanner_config_parse */
    cfg->timeout_ms = 800;
    cfg->retries = 2;
    cfg->expiry_warning_days = 3;
    cfg->progress = SCANNER_PROGRESS_AUTO;
}

void scanner_config_usage(FILE *out)
{
    fputs("usage: dnssweep scan [OPTIONS] [FILE|-]\n"
          "Scan the domains in FILE (one per line; default stdin) and store every verdict.\n"
          "\n"
          "  -d, --db DIR            results store, an LMDB environment [./dnssweep.db]\n"
          "      --scan NAME         name of this scan [UTC timestamp]\n"
          "      --resume            continue the interrupted scan named by --scan\n"
          "                          [the latest unfinished one] with the options stored with\n"
          "                          it (mode, resolver, hints, anchor, --now, --port, ...);\n"
          "                          an option given that contradicts them is a usage error\n"
          "      --root-hints FILE   root servers in named.root format\n"
          "                          [/usr/share/dns/root.hints, else built in]\n"
          "      --trust-anchor FILE root anchor: DS or DNSKEY records in zone-file format\n"
          "                          [/usr/share/dns/root.key, else built in]\n"
          "      --resolver ADDR[#PORT]  ask a recursive resolver (CD+DO) instead of walking\n"
          "                          from the root; repeatable\n"
          "      --port N            destination port of every authoritative server [53]\n"
          "      --qps N             global query rate limit, 0 = none [5000]\n"
          "      --qps-per-server N  rate limit per server address, 0 = none [200]\n"
          "      --concurrency N     domains in flight at once [adaptive: --qps / 2 within\n"
          "                          500..10000; 2000 with --qps 0]\n"
          "      --timeout MS        per try [800]\n"
          "      --retries N         [2]\n"
          "      --threads N         verification workers [online CPUs]\n"
          "      --now TIME          validate as of TIME (RFC 3339 or unix seconds) [the clock]\n"
          "      --expiry-warning D  days for RRSIG_EXPIRES_SOON [3]\n"
          "      --max-validations N signature/digest operations per domain before\n"
          "                          VALIDATION_LIMIT [512] (= --limit ops-per-domain=N)\n"
          "      --limit NAME=N      validation work limit, repeatable: keys-per-rrsig [4],\n"
          "                          rrsigs-per-rrset [8], ops-per-server [64],\n"
          "                          ops-per-domain [512], nsec3-hashes-per-server [25000],\n"
          "                          nsec3-hashes-per-domain [100000], nsec3-iterations [150]\n"
          "      --shard K/N         scan only the K-th of N disjoint shards (1-based)\n"
          "      --check-resolver ADDR[#PORT]  also ask this validating resolver\n"
          "  -o, --output FILE       also stream each finished domain as a JSON line (- = stdout)\n"
          "      --progress auto|always|never  progress on stderr [auto]\n"
          "      --metrics FILE      write Prometheus text-format metrics at the end\n"
          "      --strict            a bad input line is a usage error before anything is sent\n"
          "      --zone-file FILE    scan every delegation of a parent zone file\n"
          "  -4 / -6                 use only IPv4 / IPv6 servers\n"
          "      --servers names|all which addresses get every question: names = DNSKEY and\n"
          "                          SOA to every address, the rest to one address per NS\n"
          "                          name; all = every question to every address [names]\n"
          "  -h, --help              this help\n"
          "\n"
          "Exit status: 0 done, 1 runtime failure, 2 usage error or bad input file.\n",
          out);
}

int scanner_parse_unsigned(const char *text, unsigned long min, unsigned long max,
                           unsigned long *out)
{
    if (!text || !isdigit((unsigned char)text[0]))
        return -1;
    errno = 0;
    char *end = NULL;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int scanner_parse_address(const char *text, uint16_t default_port, struct sockaddr_storage *out)
{
    char host[INET6_ADDRSTRLEN + 1];
    unsigned long port = default_port;
    const char *hash = strchr(text, '#');
    size_t host_len = hash ? (size_t)(hash - text) : strlen(text);
    if (host_len == 0 || host_len >= sizeof host)
        return -1;
    memcpy(host, text, host_len);
    host[host_len] = '\0';
    if (hash && scanner_parse_unsigned(hash + 1, 1, 65535, &port) != 0)
        return -1;
    memset(out, 0, sizeof *out);
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        return 0;
    }
    return -1;
}

enum {
    OPT_SCAN = 256,
    OPT_RESUME,
    OPT_ROOT_HINTS,
    OPT_TRUST_ANCHOR,
    OPT_RESOLVER,
    OPT_PORT,
    OPT_QPS,
    OPT_QPS_PER_SERVER,
    OPT_CONCURRENCY,
    OPT_TIMEOUT,
    OPT_RETRIES,
    OPT_THREADS,
    OPT_NOW,
    OPT_EXPIRY_WARNING,
    OPT_LIMIT,
    OPT_MAX_VALIDATIONS,
    OPT_SHARD,
    OPT_CHECK_RESOLVER,
    OPT_PROGRESS,
    OPT_METRICS,
    OPT_STRICT,
    OPT_ZONE_FILE,
    OPT_SERVERS,
};

/* Every option of scan: its getopt entry (-4 and -6 have no long name) and, for an option that
 * only stores its value in one field of the configuration, how: the text as given, true, or a
 * number within [min, max]. The other options have their own case in
 * scanner_config_parse_options. */
typedef enum { STORE_NOTHING, STORE_TEXT, STORE_TRUE, STORE_NUMBER } store_kind_t;

#define CONFIG_FIELD(name) offsetof(scanner_config_t, name)

static const struct scan_option {
    const char *name; /* the long name; NULL for -4 and -6 */
    int has_arg;
    int val;
    store_kind_t store;
    size_t field; /* offset of a const char * (TEXT), a bool (TRUE) or an unsigned (NUMBER) */
    unsigned long min, max;
} scan_options[] = {
    {"db", required_argument, 'd', STORE_TEXT, CONFIG_FIELD(db_dir), 0, 0},
    {"scan", required_argument, OPT_SCAN, STORE_TEXT, CONFIG_FIELD(scan_name), 0, 0},
    {"resume", no_argument, OPT_RESUME, STORE_TRUE, CONFIG_FIELD(resume), 0, 0},
    {"root-hints", required_argument, OPT_ROOT_HINTS, STORE_TEXT, CONFIG_FIELD(root_hints), 0, 0},
    {"trust-anchor", required_argument, OPT_TRUST_ANCHOR, STORE_TEXT, CONFIG_FIELD(trust_anchor), 0,
     0},
    {"resolver", required_argument, OPT_RESOLVER, STORE_NOTHING, 0, 0, 0},
    {"port", required_argument, OPT_PORT, STORE_NOTHING, 0, 0, 0},
    {"qps", required_argument, OPT_QPS, STORE_NUMBER, CONFIG_FIELD(qps), 0, 10000000},
    {"qps-per-server", required_argument, OPT_QPS_PER_SERVER, STORE_NUMBER,
     CONFIG_FIELD(qps_per_server), 0, 10000000},
    {"concurrency", required_argument, OPT_CONCURRENCY, STORE_NUMBER, CONFIG_FIELD(concurrency), 1,
     100000},
    {"timeout", required_argument, OPT_TIMEOUT, STORE_NUMBER, CONFIG_FIELD(timeout_ms), 10, 60000},
    {"retries", required_argument, OPT_RETRIES, STORE_NUMBER, CONFIG_FIELD(retries), 0, 20},
    {"threads", required_argument, OPT_THREADS, STORE_NUMBER, CONFIG_FIELD(threads), 1, 256},
    {"now", required_argument, OPT_NOW, STORE_NOTHING, 0, 0, 0},
    {"expiry-warning", required_argument, OPT_EXPIRY_WARNING, STORE_NOTHING, 0, 0, 0},
    {"limit", required_argument, OPT_LIMIT, STORE_NOTHING, 0, 0, 0},
    {"max-validations", required_argument, OPT_MAX_VALIDATIONS, STORE_NOTHING, 0, 0, 0},
    {"shard", required_argument, OPT_SHARD, STORE_NOTHING, 0, 0, 0},
    {"check-resolver", required_argument, OPT_CHECK_RESOLVER, STORE_NOTHING, 0, 0, 0},
    {"output", required_argument, 'o', STORE_TEXT, CONFIG_FIELD(output), 0, 0},
    {"progress", required_argument, OPT_PROGRESS, STORE_NOTHING, 0, 0, 0},
    {"metrics", required_argument, OPT_METRICS, STORE_TEXT, CONFIG_FIELD(metrics), 0, 0},
    {"strict", no_argument, OPT_STRICT, STORE_TRUE, CONFIG_FIELD(strict), 0, 0},
    {"zone-file", required_argument, OPT_ZONE_FILE, STORE_TEXT, CONFIG_FIELD(zone_file), 0, 0},
    {"servers", required_argument, OPT_SERVERS, STORE_NOTHING, 0, 0, 0},
    {"help", no_argument, 'h', STORE_NOTHING, 0, 0, 0},
    {NULL, 0, '4', STORE_TRUE, CONFIG_FIELD(ipv4_only), 0, 0},
    {NULL, 0, '6', STORE_TRUE, CONFIG_FIELD(ipv6_only), 0, 0},
};

enum { N_SCAN_OPTIONS = sizeof scan_options / sizeof scan_options[0] };

static int bad_value(FILE *err, const char *cmd, const char *option, const char *value,
                     const char *want)
{
    fprintf(err, "dnssweep %s: invalid value '%s' for %s: expected %s\n", cmd, value, option, want);
    return 2;
}

/* Applies one numeric option; returns 0 or the usage status. */
static int set_number(FILE *err, const char *cmd, const char *option, const char *value,
                      unsigned long min, unsigned long max, unsigned *field)
{
    unsigned long v;
    if (scanner_parse_unsigned(value, min, max, &v) != 0) {
        char want[64];
        snprintf(want, sizeof want, "an integer from %lu to %lu", min, max);
        return bad_value(err, cmd, option, value, want);
    }
    *field = (unsigned)v;
    return 0;
}

/* Applies option c when it only stores its value; returns 0, the usage status, or -1 when c is
 * not such an option. */
static int store_option(FILE *err, const char *cmd, int c, const char *value, scanner_config_t *cfg)
{
    for (size_t i = 0; i < N_SCAN_OPTIONS; i++) {
        const struct scan_option *o = &scan_options[i];
        if (o->val != c || o->store == STORE_NOTHING)
            continue;
        char *field = (char *)cfg + o->field;
        char flag[32];
        switch (o->store) {
        case STORE_NOTHING:
            break;
        case STORE_TEXT:
            *(const char **)field = value;
            return 0;
        case STORE_TRUE:
            *(bool *)field = true;
            return 0;
        case STORE_NUMBER:
            snprintf(flag, sizeof flag, "--%s", o->name);
            return set_number(err, cmd, flag, value, o->min, o->max, (unsigned *)field);
        }
    }
    return -1;
}

/* The place of value among words (n of them), or -1. */
static int word_index(const char *value, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(value, words[i]) == 0)
            return (int)i;
    return -1;
}

/* --limit NAME=N: the names, their bounds (a limit of 0 would make every zone bogus). */
static const struct {
    const char *name;
    unsigned long max;
} limit_names[SCANNER_LIMIT_COUNT] = {
    [SCANNER_LIMIT_KEYS_PER_RRSIG] = {"keys-per-rrsig", 1024},
    [SCANNER_LIMIT_RRSIGS_PER_RRSET] = {"rrsigs-per-rrset", 4096},
    [SCANNER_LIMIT_OPS_PER_SERVER] = {"ops-per-server", 10000000},
    [SCANNER_LIMIT_OPS_PER_DOMAIN] = {"ops-per-domain", 10000000},
    [SCANNER_LIMIT_HASHES_PER_SERVER] = {"nsec3-hashes-per-server", 100000000},
    [SCANNER_LIMIT_HASHES_PER_DOMAIN] = {"nsec3-hashes-per-domain", 100000000},
    [SCANNER_LIMIT_NSEC3_ITERATIONS] = {"nsec3-iterations", 65535},
};

const char *scanner_limit_name(int limit)
{
    return limit >= 0 && limit < SCANNER_LIMIT_COUNT ? limit_names[limit].name : NULL;
}

static int parse_limit(FILE *err, const char *cmd, const char *text, scanner_config_t *cfg)
{
    const char *eq = strchr(text, '=');
    for (int i = 0; eq && i < SCANNER_LIMIT_COUNT; i++) {
        size_t len = strlen(limit_names[i].name);
        if ((size_t)(eq - text) != len || strncmp(text, limit_names[i].name, len) != 0)
            continue;
        unsigned long min = i == SCANNER_LIMIT_NSEC3_ITERATIONS ? 0 : 1, v;
        if (scanner_parse_unsigned(eq + 1, min, limit_names[i].max, &v) != 0) {
            char want[80];
            snprintf(want, sizeof want, "%s=N with N from %lu to %lu", limit_names[i].name, min,
                     limit_names[i].max);
            return bad_value(err, cmd, "--limit", text, want);
        }
        cfg->limits[i] = (unsigned)v;
        cfg->limit_set[i] = true;
        return 0;
    }
    char want[256];
    text_buf_t t;
    text_init(&t, want, sizeof want);
    text_put(&t, "NAME=N, NAME one of ");
    for (int i = 0; i < SCANNER_LIMIT_COUNT; i++)
        text_printf(&t, "%s%s", i ? ", " : "", limit_names[i].name);
    return bad_value(err, cmd, "--limit", text, want);
}

static int parse_shard(const char *text, scanner_config_t *cfg)
{
    unsigned k = 0, n = 0;
    char tail;
    if (sscanf(text, "%u/%u%c", &k, &n, &tail) != 2 || n == 0 || k == 0 || k > n)
        return -1;
    cfg->shard_k = k;
    cfg->shard_n = n;
    return 0;
}

int scanner_config_parse_options(int argc, char **argv, scanner_config_t *cfg, FILE *err,
                                 int *first_operand)
{
    const char *cmd = argv[0];
    int rc = 0;
    int c;
    unsigned port = cfg->port;
    optind = 1;
    opterr = 0;
    static const char *const progress_words[] = {
        [SCANNER_PROGRESS_AUTO] = "auto",
        [SCANNER_PROGRESS_ALWAYS] = "always",
        [SCANNER_PROGRESS_NEVER] = "never",
    };
    static const char *const servers_words[] = {"names", "all"};
    struct option long_options[N_SCAN_OPTIONS + 1]; /* the long names, then the zero end */
    size_t n_long = 0;
    for (size_t i = 0; i < N_SCAN_OPTIONS; i++)
        if (scan_options[i].name)
            long_options[n_long++] = (struct option){scan_options[i].name, scan_options[i].has_arg,
                                                     NULL, scan_options[i].val};
    long_options[n_long] = (struct option){0};
    while (rc == 0 && (c = getopt_long(argc, argv, ":d:o:46h", long_options, NULL)) != -1) {
        int stored = store_option(err, cmd, c, optarg, cfg);
        if (stored >= 0) {
            rc = stored;
            continue;
        }
        int word;
        switch (c) {
        case OPT_RESOLVER:
            if (cfg->resolver_count == SCANNER_MAX_RESOLVERS)
                rc = bad_value(err, cmd, "--resolver", optarg, "at most 8 resolvers");
            else if (scanner_parse_address(optarg, 53, &cfg->resolvers[cfg->resolver_count]))
                rc = bad_value(err, cmd, "--resolver", optarg, "an IP address, optionally #PORT");
            else
                cfg->resolver_count++;
            break;
        case OPT_PORT:
            rc = set_number(err, cmd, "--port", optarg, 1, 65535, &port);
            cfg->port = (uint16_t)port;
            cfg->port_set = true;
            break;
        case OPT_NOW:
            if (scanner_parse_time(optarg, &cfg->now) != 0)
                rc = bad_value(
                    err, cmd, "--now", optarg,
                    "RFC 3339 (2026-11-24T14:00:00Z, 2026-11-24T15:00:00.5+01:00) or unix seconds");
            break;
        case OPT_EXPIRY_WARNING:
            rc = set_number(err, cmd, "--expiry-warning", optarg, 0, 3650,
                            &cfg->expiry_warning_days);
            cfg->expiry_warning_set = true;
            break;
        case OPT_LIMIT:
            rc = parse_limit(err, cmd, optarg, cfg);
            break;
        case OPT_MAX_VALIDATIONS:
            rc = set_number(err, cmd, "--max-validations", optarg, 1,
                            limit_names[SCANNER_LIMIT_OPS_PER_DOMAIN].max,
                            &cfg->limits[SCANNER_LIMIT_OPS_PER_DOMAIN]);
            cfg->limit_set[SCANNER_LIMIT_OPS_PER_DOMAIN] = rc == 0;
            break;
        case OPT_SHARD:
            if (parse_shard(optarg, cfg) != 0)
                rc = bad_value(err, cmd, "--shard", optarg, "K/N with 1 <= K <= N");
            break;
        case OPT_CHECK_RESOLVER:
            if (scanner_parse_address(optarg, 53, &cfg->check_resolver) != 0)
                rc = bad_value(err, cmd, "--check-resolver", optarg,
                               "an IP address, optionally #PORT");
            cfg->check_resolver_set = true;
            break;
        case OPT_PROGRESS:
            word =
                word_index(optarg, progress_words, sizeof progress_words / sizeof *progress_words);
            if (word < 0)
                rc = bad_value(err, cmd, "--progress", optarg, "auto, always or never");
            else
                cfg->progress = (scanner_progress_mode_t)word;
            break;
        case OPT_SERVERS:
            cfg->servers_set = true;
            word = word_index(optarg, servers_words, sizeof servers_words / sizeof *servers_words);
            if (word < 0)
                rc = bad_value(err, cmd, "--servers", optarg, "names or all");
            else
                cfg->servers_all = word == 1;
            break;
        case 'h':
            return 1;
        case ':':
            fprintf(err, "dnssweep %s: option %s needs a value\n", cmd, argv[optind - 1]);
            rc = 2;
            break;
        default:
            fprintf(err, "dnssweep %s: unknown option '%s' (see dnssweep %s --help)\n", cmd,
                    argv[optind - 1], cmd);
            rc = 2;
            break;
        }
    }
    if (rc)
        return rc;
    if (cfg->ipv4_only && cfg->ipv6_only) {
        fprintf(err, "dnssweep %s: -4 and -6 exclude each other\n", cmd);
        return 2;
    }
    if (cfg->concurrency == 0) {
        /* Enough domains in flight to keep the query rate busy while each waits ~0.5-2 s for
         * its answers, and no more: every domain in flight holds its answers in memory. */
        unsigned want = cfg->qps ? cfg->qps / 2 : 2000;
        cfg->concurrency = want < 500 ? 500 : want > 10000 ? 10000 : want;
    }
    *first_operand = optind;
    return 0;
}

int scanner_config_parse(int argc, char **argv, scanner_config_t *cfg, FILE *err)
{
    int first = argc;
    int rc = scanner_config_parse_options(argc, argv, cfg, err, &first);
    if (rc == 1)
        scanner_config_usage(stdout);
    if (rc)
        return rc;
    if (argc - first > 1) {
        fprintf(err, "dnssweep scan: one input file at most (got '%s' and '%s')\n", argv[first],
                argv[first + 1]);
        return 2;
    }
    if (first < argc)
        cfg->input = argv[first];
    return 0;
}
