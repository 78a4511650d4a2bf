/* The settings stored with a scan and restored by `scan --resume` (settings.h). */
#include "scanner/settings.h"

#include <arpa/inet.h>
#include <ldns/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "scanner/anchor.h"
#include "text/text.h"
#include "verify/verify.h"

#define VALUE_MAX (PATH_MAX + 64)

const char *scan_settings_mode(const scanner_config_t *cfg)
{
    if (cfg->zone_file)
        return "zone-file";
    return cfg->resolver_count ? "resolver" : "authoritative";
}

/* ---- each setting's canonical text, as stored and as compared ---- */

static void addr_port_text(const struct sockaddr_storage *a, char *buf, size_t len)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)a;
        inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
        port = ntohs(v4->sin_port);
    } else if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)a;
        inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
        port = ntohs(v6->sin6_port);
    }
    snprintf(buf, len, "%s#%u", host, port);
}

/* An absolute path, so that a resume from another directory reads the same file. */
static void path_text(const char *path, char *buf, size_t len)
{
    char abs[PATH_MAX];
    if (!path)
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, "%s", realpath(path, abs) ? abs : path);
}

static void text_resolver(const scanner_config_t *c, char *buf, size_t len)
{
    text_buf_t t;
    text_init(&t, buf, len);
    for (unsigned i = 0; i < c->resolver_count; i++) {
        char one[INET6_ADDRSTRLEN + 8];
        addr_port_text(&c->resolvers[i], one, sizeof one);
        text_printf(&t, "%s%s", i ? " " : "", one);
    }
}

static void text_root_hints(const scanner_config_t *c, char *buf, size_t len)
{
    path_text(c->root_hints, buf, len);
}

static void text_trust_anchor(const scanner_config_t *c, char *buf, size_t len)
{
    path_text(c->trust_anchor, buf, len);
}

static void text_zone_file(const scanner_config_t *c, char *buf, size_t len)
{
    path_text(c->zone_file, buf, len);
}

static void text_now(const scanner_config_t *c, char *buf, size_t len)
{
    buf[0] = '\0'; /* "" = the clock */
    if (c->now)
        snprintf(buf, len, "%lld", (long long)c->now);
}

static void text_port(const scanner_config_t *c, char *buf, size_t len)
{
    snprintf(buf, len, "%u", c->port);
}

static void text_expiry(const scanner_config_t *c, char *buf, size_t len)
{
    snprintf(buf, len, "%u", c->expiry_warning_days);
}

static void text_family(const scanner_config_t *c, char *buf, size_t len)
{
    snprintf(buf, len, "%s", c->ipv4_only ? "4" : c->ipv6_only ? "6" : "any");
}

static void text_servers(const scanner_config_t *c, char *buf, size_t len)
{
    snprintf(buf, len, "%s", c->servers_all ? "all" : "names");
}

static void text_check_resolver(const scanner_config_t *c, char *buf, size_t len)
{
    buf[0] = '\0';
    if (c->check_resolver_set)
        addr_port_text(&c->check_resolver, buf, len);
}

/* ---- restoring a stored value into a config (0, or -1 when it does not parse) ---- */

static int apply_resolver(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    (void)p;
    char copy[VALUE_MAX], *save = NULL;
    snprintf(copy, sizeof copy, "%s", v);
    c->resolver_count = 0;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (c->resolver_count == SCANNER_MAX_RESOLVERS ||
            scanner_parse_address(w, 53, &c->resolvers[c->resolver_count]) != 0)
            return -1;
        c->resolver_count++;
    }
    return 0;
}

static int apply_path(const char **field, char *store, const char *v)
{
    snprintf(store, PATH_MAX, "%s", v);
    *field = v[0] ? store : NULL;
    return 0;
}

static int apply_root_hints(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    return apply_path(&c->root_hints, p->root_hints, v);
}

static int apply_trust_anchor(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    return apply_path(&c->trust_anchor, p->trust_anchor, v);
}

static int apply_zone_file(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    return apply_path(&c->zone_file, p->zone_file, v);
}

static int apply_now(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    (void)p;
    c->now = 0;
    return v[0] ? scanner_parse_time(v, &c->now) : 0;
}

static int parse_uint(const char *v, unsigned long max, unsigned *out)
{
    char *end = NULL;
    unsigned long n = strtoul(v, &end, 10);
    if (!v[0] || *end || n > max)
        return -1;
    *out = (unsigned)n;
    return 0;
}

static int apply_port(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    (void)p;
    unsigned port;
    if (parse_uint(v, 65535, &port) != 0 || port == 0)
        return -1;
    c->port = (uint16_t)port;
    return 0;
}

static int apply_expiry(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    (void)p;
    return parse_uint(v, 3650, &c->expiry_warning_days);
}

static int apply_family(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    (void)p;
    c->ipv4_only = strcmp(v, "4") == 0;
    c->ipv6_only = strcmp(v, "6") == 0;
    return c->ipv4_only || c->ipv6_only || strcmp(v, "any") == 0 ? 0 : -1;
}

static int apply_servers(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    (void)p;
    c->servers_all = strcmp(v, "all") == 0;
    return c->servers_all || strcmp(v, "names") == 0 ? 0 : -1;
}

static int apply_check_resolver(scanner_config_t *c, const char *v, scan_settings_paths_t *p)
{
    (void)p;
    c->check_resolver_set = v[0] != '\0';
    return v[0] ? scanner_parse_address(v, 53, &c->check_resolver) : 0;
}

static bool given_resolver(const scanner_config_t *c)
{
    return c->resolver_count > 0;
}
static bool given_root_hints(const scanner_config_t *c)
{
    return c->root_hints != NULL;
}
static bool given_trust_anchor(const scanner_config_t *c)
{
    return c->trust_anchor != NULL;
}
static bool given_zone_file(const scanner_config_t *c)
{
    return c->zone_file != NULL;
}
static bool given_now(const scanner_config_t *c)
{
    return c->now != 0;
}
static bool given_port(const scanner_config_t *c)
{
    return c->port_set;
}
static bool given_expiry(const scanner_config_t *c)
{
    return c->expiry_warning_set;
}
static bool given_family(const scanner_config_t *c)
{
    return c->ipv4_only || c->ipv6_only;
}
static bool given_servers(const scanner_config_t *c)
{
    return c->servers_set;
}
static bool given_check_resolver(const scanner_config_t *c)
{
    return c->check_resolver_set;
}

typedef struct setting {
    const char *key;
    const char *option; /* as the user writes it */
    bool (*given)(const scanner_config_t *c);
    void (*text)(const scanner_config_t *c, char *buf, size_t len);
    int (*apply)(scanner_config_t *c, const char *value, scan_settings_paths_t *p);
} setting_t;

static const setting_t setting_table[] = {
    {"resolver", "--resolver", given_resolver, text_resolver, apply_resolver},
    {"zone-file", "--zone-file", given_zone_file, text_zone_file, apply_zone_file},
    {"root-hints", "--root-hints", given_root_hints, text_root_hints, apply_root_hints},
    {"trust-anchor", "--trust-anchor", given_trust_anchor, text_trust_anchor, apply_trust_anchor},
    {"now", "--now", given_now, text_now, apply_now},
    {"port", "--port", given_port, text_port, apply_port},
    {"expiry-warning", "--expiry-warning", given_expiry, text_expiry, apply_expiry},
    {"family", "-4/-6", given_family, text_family, apply_family},
    {"check-resolver", "--check-resolver", given_check_resolver, text_check_resolver,
     apply_check_resolver},
    {"servers", "--servers", given_servers, text_servers, apply_servers},
};
#define N_SETTINGS (sizeof setting_table / sizeof setting_table[0])

/* --limit NAME=N: stored as the value in force (the default when not given), so a resume that
 * names the default agrees. */
static unsigned limit_in_force(const scanner_config_t *c, int i)
{
    if (c->limit_set[i])
        return c->limits[i];
    verify_thresholds_t t;
    verify_thresholds_default(&t);
    const unsigned defaults[SCANNER_LIMIT_COUNT] = {
        [SCANNER_LIMIT_KEYS_PER_RRSIG] = t.max_keys_per_rrsig,
        [SCANNER_LIMIT_RRSIGS_PER_RRSET] = t.max_rrsigs_per_rrset,
        [SCANNER_LIMIT_OPS_PER_SERVER] = t.max_ops_per_server,
        [SCANNER_LIMIT_OPS_PER_DOMAIN] = t.max_ops_per_domain,
        [SCANNER_LIMIT_HASHES_PER_SERVER] = t.max_hashes_per_server,
        [SCANNER_LIMIT_HASHES_PER_DOMAIN] = t.max_hashes_per_domain,
        [SCANNER_LIMIT_NSEC3_ITERATIONS] = t.nsec3_max_iterations,
    };
    return defaults[i];
}

/* SHA-256 (hex) of the records as loaded: a changed file is noticed, a reformatted one is not. */
static void records_hash(const ldns_rr_list *rrs, char hex[65])
{
    char *text = rrs ? ldns_rr_list2str(rrs) : NULL;
    unsigned char digest[LDNS_SHA256_DIGEST_LENGTH];
    hex[0] = '\0';
    if (!text)
        return;
    ldns_sha256((const unsigned char *)text, (unsigned)strlen(text), digest);
    for (int i = 0; i < LDNS_SHA256_DIGEST_LENGTH; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    free(text);
}

static void put_line(char **buf, size_t *used, size_t *cap, const char *key, const char *value)
{
    size_t need = strlen(key) + strlen(value) + 3;
    if (!*buf)
        return;
    if (*used + need > *cap) {
        size_t ncap = (*cap + need) * 2;
        char *nb = realloc(*buf, ncap);
        if (!nb) {
            free(*buf);
            *buf = NULL;
            return;
        }
        *buf = nb;
        *cap = ncap;
    }
    *used += (size_t)snprintf(*buf + *used, *cap - *used, "%s=%s\n", key, value);
}

char *scan_settings_format(const scanner_config_t *cfg, const ldns_rr_list *hints,
                           const ldns_rr_list *anchor)
{
    size_t used = 0, cap = 1024;
    char *buf = malloc(cap), value[VALUE_MAX], hex[65];
    if (!buf)
        return NULL;
    buf[0] = '\0';
    put_line(&buf, &used, &cap, "mode", scan_settings_mode(cfg));
    for (size_t i = 0; i < N_SETTINGS; i++) {
        setting_table[i].text(cfg, value, sizeof value);
        put_line(&buf, &used, &cap, setting_table[i].key, value);
    }
    records_hash(hints, hex);
    put_line(&buf, &used, &cap, "root-hints-sha256", hex);
    records_hash(anchor, hex);
    put_line(&buf, &used, &cap, "trust-anchor-sha256", hex);
    for (int i = 0; i < SCANNER_LIMIT_COUNT; i++) {
        char key[64];
        snprintf(key, sizeof key, "limit.%s", scanner_limit_name(i));
        snprintf(value, sizeof value, "%u", limit_in_force(cfg, i));
        put_line(&buf, &used, &cap, key, value);
    }
    return buf;
}

/* ---- --resume ---- */

/* The scan --resume continues: its name and settings (NULL when it stored none); 0 when found,
 * -1 when not (opening it for writing then says why). */
static int find_resumed(const scanner_config_t *cfg, char **name, char **settings, char **options)
{
    results_store_t *store = NULL;
    results_scan_info_t *list = NULL;
    size_t n = 0;
    int found = -1;
    *name = *settings = *options = NULL;
    if (results_open(cfg->db_dir, RESULTS_READONLY, &store) != 0)
        return -1;
    if (results_scans_list(store, &list, &n) == 0) {
        /* The list is in creation order: the last unfinished one is the latest. */
        for (size_t i = n; i-- > 0 && found < 0;) {
            bool match =
                cfg->scan_name ? strcmp(list[i].name, cfg->scan_name) == 0 : !list[i].finished;
            if (!match)
                continue;
            *name = list[i].name;
            *settings = list[i].settings;
            *options = list[i].options;
            list[i].name = list[i].settings = list[i].options = NULL;
            found = 0;
        }
    }
    results_scans_free(list, n);
    results_close(store);
    return found;
}

static int contradiction(const char *scan, const char *mode, const char *option, const char *given,
                         const char *stored)
{
    fprintf(stderr,
            "dnssweep scan: %s %s contradicts scan %s (%s mode), which was started with %s %s; "
            "a resumed scan keeps the options it started with (drop %s, or start a new scan)\n",
            option, given[0] ? given : "(none)", scan, mode, option, stored[0] ? stored : "(none)",
            option);
    return 2;
}

/* strict: a change refuses the resume (the trust anchor decides what is secure); otherwise it
 * is said once (the root hints only say where to ask: fixing dead hints is how a failed run is
 * resumed, cli.md). */
static int check_records(const char *scan, const char *what, const char *path, int loaded,
                         const ldns_rr_list *rrs, const char *stored_hash, const char *error,
                         bool strict)
{
    char hex[65];
    if (loaded != 0) {
        fprintf(stderr, "dnssweep scan: cannot resume scan %s: %s: %s\n", scan, what, error);
        return 2;
    }
    records_hash(rrs, hex);
    if (stored_hash[0] && strcmp(hex, stored_hash) != 0 && !strict) {
        fprintf(stderr,
                "dnssweep scan: note: the %s (%s) changed since scan %s started; the scan "
                "resumes with the new servers (where to ask changes no verdict)\n",
                what, path ? path : "system file or built in", scan);
        return 0;
    }
    if (stored_hash[0] && strcmp(hex, stored_hash) != 0) {
        fprintf(stderr,
                "dnssweep scan: the %s (%s) changed since scan %s started (records sha256 %.16s… "
                "then, %.16s… now); a resumed scan judges its domains as it started: restore "
                "the file, or start a new scan\n",
                what, path ? path : "system file or built in", scan, stored_hash, hex);
        return 2;
    }
    return 0;
}

/* The loaded hints and anchor against the hashes stored with the scan. */
static int check_files(const char *scan, const scanner_config_t *cfg, const char *stored)
{
    char hash[VALUE_MAX], err[512] = "";
    ldns_rr_list *rrs = NULL;
    if (results_settings_get(stored, "root-hints-sha256", hash, sizeof hash) != 1)
        hash[0] = '\0';
    int loaded = scanner_load_root_hints(cfg->root_hints, &rrs, err, sizeof err);
    int rc = check_records(scan, "root hints", cfg->root_hints, loaded, rrs, hash, err, false);
    ldns_rr_list_deep_free(rrs);
    rrs = NULL;
    if (rc)
        return rc;
    if (results_settings_get(stored, "trust-anchor-sha256", hash, sizeof hash) != 1)
        hash[0] = '\0';
    loaded = scanner_load_trust_anchor(cfg->trust_anchor, &rrs, err, sizeof err);
    rc = check_records(scan, "trust anchor", cfg->trust_anchor, loaded, rrs, hash, err, true);
    ldns_rr_list_deep_free(rrs);
    return rc;
}

static int restore_shard(const char *scan, const char *mode, const char *options,
                         scanner_config_t *out)
{
    unsigned k = 0, n = 0;
    const char *p = options ? strstr(options, "shard=") : NULL;
    if (!p || sscanf(p, "shard=%u/%u", &k, &n) != 2)
        k = n = 0;
    if (out->shard_n && (out->shard_k != k || out->shard_n != n)) {
        char given[32], stored[32];
        snprintf(given, sizeof given, "%u/%u", out->shard_k, out->shard_n);
        snprintf(stored, sizeof stored, "%u/%u", k, n);
        return contradiction(scan, mode, "--shard", given, n ? stored : "");
    }
    out->shard_k = k;
    out->shard_n = n;
    return 0;
}

int scan_settings_resume(const scanner_config_t *cfg, scanner_config_t *out,
                         scan_settings_paths_t *paths)
{
    char *name = NULL, *stored = NULL, *options = NULL;
    char value[VALUE_MAX], given[VALUE_MAX], mode[64];
    int rc = 0;
    *out = *cfg;
    if (find_resumed(cfg, &name, &stored, &options) != 0)
        return 0;
    if (!stored) {
        fprintf(stderr,
                "dnssweep scan: notice: scan %s was stored without its options (an older "
                "dnssweep); resuming with the options of this command line\n",
                name);
        goto done;
    }
    snprintf(mode, sizeof mode, "%s",
             results_settings_get(stored, "mode", value, sizeof value) == 1 ? value : "unknown");
    for (size_t i = 0; i < N_SETTINGS && rc == 0; i++) {
        if (results_settings_get(stored, setting_table[i].key, value, sizeof value) != 1) {
            /* Stored by a dnssweep that did not know this setting; one from before --servers
             * asked every address every question, and its domains are judged alike. */
            if (strcmp(setting_table[i].key, "servers") == 0 && !cfg->servers_set)
                out->servers_all = true;
            continue;
        }
        if (setting_table[i].given(cfg)) {
            setting_table[i].text(cfg, given, sizeof given);
            if (strcmp(given, value) != 0)
                rc = contradiction(name, mode, setting_table[i].option, given, value);
        } else if (setting_table[i].apply(out, value, paths) != 0) {
            fprintf(stderr, "dnssweep scan: scan %s has an unreadable stored %s '%s'\n", name,
                    setting_table[i].key, value);
            rc = 2;
        }
    }
    for (int i = 0; i < SCANNER_LIMIT_COUNT && rc == 0; i++) {
        char key[64];
        unsigned v;
        snprintf(key, sizeof key, "limit.%s", scanner_limit_name(i));
        if (results_settings_get(stored, key, value, sizeof value) != 1 ||
            parse_uint(value, UINT32_MAX, &v) != 0)
            continue;
        if (cfg->limit_set[i] && cfg->limits[i] != v) {
            snprintf(given, sizeof given, "%s=%u", scanner_limit_name(i), cfg->limits[i]);
            snprintf(value, sizeof value, "%s=%u", scanner_limit_name(i), v);
            rc = contradiction(name, mode, "--limit", given, value);
        }
        out->limits[i] = v;
        out->limit_set[i] = true;
    }
    if (rc == 0)
        rc = restore_shard(name, mode, options, out);
    if (rc == 0)
        rc = check_files(name, out, stored);
    if (rc == 0)
        fprintf(stderr, "dnssweep scan: resuming scan %s in %s mode with its stored options\n",
                name, scan_settings_mode(out));
done:
    free(name);
    free(stored);
    free(options);
    return rc;
}
