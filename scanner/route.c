/*
 * Which address families the host can route (cli.md: addresses of a family the host cannot
 * route are skipped with one notice, never reported as NS_UNREACHABLE). Asking a server over a
 * family without a route fails at once for every address of that family, which would read as
 * "every server of this domain is unreachable" on a host without IPv6. The probe is a UDP
 * connect(): the kernel looks up the route, no packet leaves the host.
 */
#include "scanner/internal.h"
#include "text/text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

/* 0 when the host has a route to addr, else -errno (ENETUNREACH, EAFNOSUPPORT...). */
static int probe(const struct sockaddr_storage *addr)
{
    int fd = socket(addr->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    socklen_t len =
        addr->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    int rc = connect(fd, (const struct sockaddr *)addr, len) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

/* The address to probe for family: the first root hint of that family (the servers the scan
 * starts from), else a documentation address (RFC 5737, RFC 3849), which only a default route
 * reaches. */
static void probe_target(const ldns_rr_list *hints, int family, uint16_t port,
                         struct sockaddr_storage *out)
{
    struct sockaddr_storage all[SCAN_MAX_ADDRS];
    size_t count = hints ? scan_list_addrs(hints, NULL, port, family == AF_INET, family == AF_INET6,
                                           all, 0, SCAN_MAX_ADDRS)
                         : 0;
    if (count > 0) {
        *out = all[0];
        return;
    }
    memset(out, 0, sizeof *out);
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)out;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        inet_pton(AF_INET, "192.0.2.1", &a->sin_addr);
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        inet_pton(AF_INET6, "2001:db8::1", &a->sin6_addr);
    }
}

int scan_route_families(scanner_t *s, const ldns_rr_list *hints, char *skipped, size_t len)
{
    const scanner_config_t *cfg = s->cfg;
    s->use_v4 = !cfg->ipv6_only;
    s->use_v6 = !cfg->ipv4_only;
    text_buf_t skip;
    text_init(&skip, skipped, len);
    /* Resolver mode asks only the resolvers: their reachability is checked by asking them. */
    if (cfg->resolver_count > 0)
        return 0;
    static const struct {
        int family;
        const char *name, *option;
    } families[] = {{AF_INET, "IPv4", "-4"}, {AF_INET6, "IPv6", "-6"}};
    char why[2][200] = {"", ""};
    for (int i = 0; i < 2; i++) {
        bool *use = families[i].family == AF_INET ? &s->use_v4 : &s->use_v6;
        if (!*use)
            continue;
        struct sockaddr_storage target;
        probe_target(hints, families[i].family, cfg->port ? cfg->port : 53, &target);
        int rc = probe(&target);
        if (rc == 0)
            continue;
        char addr[64];
        scan_addr_text(&target, addr, sizeof addr);
        snprintf(why[i], sizeof why[i], "no route to %s: %s", addr, strerror(-rc));
        *use = false;
        text_printf(&skip, "%s%s", skip.len ? "," : "",
                    families[i].family == AF_INET ? "inet" : "inet6");
    }
    if (!s->use_v4 && !s->use_v6) {
        if (cfg->ipv6_only || cfg->ipv4_only) {
            int i = cfg->ipv6_only ? 1 : 0;
            fprintf(stderr,
                    "dnssweep: %s allows only %s servers, and this host cannot route %s (%s): "
                    "nothing was sent; drop %s or fix the host's %s\n",
                    families[i].option, families[i].name, families[i].name, why[i],
                    families[i].option, families[i].name);
        } else {
            fprintf(stderr,
                    "dnssweep: this host routes neither IPv4 (%s) nor IPv6 (%s): nothing was "
                    "sent; check the network\n",
                    why[0], why[1]);
        }
        return 1;
    }
    for (int i = 0; i < 2; i++)
        if (why[i][0])
            fprintf(stderr,
                    "dnssweep: this host cannot route %s (%s): %s server addresses are skipped "
                    "(never reported as unreachable)\n",
                    families[i].name, why[i], families[i].name);
    return 0;
}
