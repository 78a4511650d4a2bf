/* `dnssweep scan` command line: cli.md's options, defaults and usage errors. */
#include "scanner/scanner.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
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

/* Parses a decimal unsigned in [min, max]; returns 0 or -1. */
static int parse_unsigned(const char *text, unsigned long min, unsigned long max,
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
    if (hash && parse_unsigned(hash + 1, 1, 65535, &port) != 0)
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

static const struct option long_options[] = {
    {"db", required_argument, NULL, 'd'},
    {"scan", required_argument, NULL, OPT_SCAN},
    {"resume", no_argument, NULL, OPT_RESUME},
    {"root-hints", required_argument, NULL, OPT_ROOT_HINTS},
    {"trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR},
    {"resolver", required_argument, NULL, OPT_RESOLVER},
    {"port", required_argument, NULL, OPT_PORT},
    {"qps", required_argument, NULL, OPT_QPS},
    {"qps-per-server", required_argument, NULL, OPT_QPS_PER_SERVER},
    {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"now", required_argument, NULL, OPT_NOW},
    {"expiry-warning", required_argument, NULL, OPT_EXPIRY_WARNING},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"max-validations", required_argument, NULL, OPT_MAX_VALIDATIONS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"check-resolver", required_argument, NULL, OPT_CHECK_RESOLVER},
    {"output", required_argument, NULL, 'o'},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"metrics", required_argument, NULL, OPT_METRICS},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"zone-file", required_argument, NULL, OPT_ZONE_FILE},
    {"servers", required_argument, NULL, OPT_SERVERS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

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
    if (parse_unsigned(value, min, max, &v) != 0) {
        char want[64];
        snprintf(want, sizeof want, "an integer from %lu to %lu", min, max);
        return bad_value(err, cmd, option, value, want);
    }
    *field = (unsigned)v;
    return 0;
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

static int parse_limit(FILE *err, const char *cmd, const char *text, scanner_config_t *cfg)
{
    const char *eq = strchr(text, '=');
    for (int i = 0; eq && i < SCANNER_LIMIT_COUNT; i++) {
        size_t len = strlen(limit_names[i].name);
        if ((size_t)(eq - text) != len || strncmp(text, limit_names[i].name, len) != 0)
            continue;
        unsigned long min = i == SCANNER_LIMIT_NSEC3_ITERATIONS ? 0 : 1, v;
        if (parse_unsigned(eq + 1, min, limit_names[i].max, &v) != 0) {
            char want[80];
            snprintf(want, sizeof want, "%s=N with N from %lu to %lu", limit_names[i].name, min,
                     limit_names[i].max);
            return bad_value(err, cmd, "--limit", text, want);
        }
        cfg->limits[i] = (unsigned)v;
        cfg->limit_set[i] = true;
        return 0;
    }
    return bad_value(err, cmd, "--limit", text,
                     "NAME=N, NAME one of keys-per-rrsig, rrsigs-per-rrset, ops-per-server, "
                     "ops-per-domain, nsec3-hashes-per-server, nsec3-hashes-per-domain, "
                     "nsec3-iterations");
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
    while (rc == 0 && (c = getopt_long(argc, argv, ":d:o:46h", long_options, NULL)) != -1) {
        switch (c) {
        case 'd':
            cfg->db_dir = optarg;
            break;
        case OPT_SCAN:
            cfg->scan_name = optarg;
            break;
        case OPT_RESUME:
            cfg->resume = true;
            break;
        case OPT_ROOT_HINTS:
            cfg->root_hints = optarg;
            break;
        case OPT_TRUST_ANCHOR:
            cfg->trust_anchor = optarg;
            break;
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
        case OPT_QPS:
            rc = set_number(err, cmd, "--qps", optarg, 0, 10000000, &cfg->qps);
            break;
        case OPT_QPS_PER_SERVER:
            rc =
                set_number(err, cmd, "--qps-per-server", optarg, 0, 10000000, &cfg->qps_per_server);
            break;
        case OPT_CONCURRENCY:
            rc = set_number(err, cmd, "--concurrency", optarg, 1, 100000, &cfg->concurrency);
            break;
        case OPT_TIMEOUT:
            rc = set_number(err, cmd, "--timeout", optarg, 10, 60000, &cfg->timeout_ms);
            break;
        case OPT_RETRIES:
            rc = set_number(err, cmd, "--retries", optarg, 0, 20, &cfg->retries);
            break;
        case OPT_THREADS:
            rc = set_number(err, cmd, "--threads", optarg, 1, 256, &cfg->threads);
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
        case 'o':
            cfg->output = optarg;
            break;
        case OPT_PROGRESS:
            if (strcmp(optarg, "auto") == 0)
                cfg->progress = SCANNER_PROGRESS_AUTO;
            else if (strcmp(optarg, "always") == 0)
                cfg->progress = SCANNER_PROGRESS_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                cfg->progress = SCANNER_PROGRESS_NEVER;
            else
                rc = bad_value(err, cmd, "--progress", optarg, "auto, always or never");
            break;
        case OPT_METRICS:
            cfg->metrics = optarg;
            break;
        case OPT_STRICT:
            cfg->strict = true;
            break;
        case OPT_ZONE_FILE:
            cfg->zone_file = optarg;
            break;
        case OPT_SERVERS:
            cfg->servers_set = true;
            if (strcmp(optarg, "names") == 0)
                cfg->servers_all = false;
            else if (strcmp(optarg, "all") == 0)
                cfg->servers_all = true;
            else
                rc = bad_value(err, cmd, "--servers", optarg, "names or all");
            break;
        case '4':
            cfg->ipv4_only = true;
            break;
        case '6':
            cfg->ipv6_only = true;
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
