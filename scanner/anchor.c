/* Root hints and trust anchor loading. The built-in copies are the IANA root zone's servers and
 * KSK-2017 / KSK-2024 DS records, used only when neither a file nor dns-root-data is there. */
#include "scanner/anchor.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static const char builtin_hints[] =
    ".                        3600000      NS    a.root-servers.net.\n"
    ".                        3600000      NS    b.root-servers.net.\n"
    ".                        3600000      NS    c.root-servers.net.\n"
    ".                        3600000      NS    d.root-servers.net.\n"
    ".                        3600000      NS    e.root-servers.net.\n"
    ".                        3600000      NS    f.root-servers.net.\n"
    ".                        3600000      NS    g.root-servers.net.\n"
    ".                        3600000      NS    h.root-servers.net.\n"
    ".                        3600000      NS    i.root-servers.net.\n"
    ".                        3600000      NS    j.root-servers.net.\n"
    ".                        3600000      NS    k.root-servers.net.\n"
    ".                        3600000      NS    l.root-servers.net.\n"
    ".                        3600000      NS    m.root-servers.net.\n"
    "a.root-servers.net.      3600000      A     198.41.0.4\n"
    "b.root-servers.net.      3600000      A     170.247.170.2\n"
    "c.root-servers.net.      3600000      A     192.33.4.12\n"
    "d.root-servers.net.      3600000      A     199.7.91.13\n"
    "e.root-servers.net.      3600000      A     192.203.230.10\n"
    "f.root-servers.net.      3600000      A     192.5.5.241\n"
    "g.root-servers.net.      3600000      A     192.112.36.4\n"
    "h.root-servers.net.      3600000      A     198.97.190.53\n"
    "i.root-servers.net.      3600000      A     192.36.148.17\n"
    "j.root-servers.net.      3600000      A     192.58.128.30\n"
    "k.root-servers.net.      3600000      A     193.0.14.129\n"
    "l.root-servers.net.      3600000      A     199.7.83.42\n"
    "m.root-servers.net.      3600000      A     202.12.27.33\n"
    "a.root-servers.net.      3600000      AAAA  2001:503:ba3e::2:30\n"
    "k.root-servers.net.      3600000      AAAA  2001:7fd::1\n";

static const char builtin_anchor[] =
    ". 86400 IN DS 20326 8 2 "
    "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
    ". 86400 IN DS 38696 8 2 "
    "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";

int scanner_anchor_read_fp(FILE *fp, const char *what, const ldns_rr_type *keep, size_t nkeep,
                           ldns_rr_list **out, char *error, size_t error_len)
{
    ldns_rr_list *list = ldns_rr_list_new();
    ldns_rdf *origin = ldns_dname_new_frm_str(".");
    ldns_rdf *prev = NULL;
    uint32_t ttl = 3600;
    int line = 0;
    int rc = -1;
    for (;;) {
        ldns_rr *rr = NULL;
        ldns_status st = ldns_rr_new_frm_fp_l(&rr, fp, &ttl, &origin, &prev, &line);
        if (st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
            st == LDNS_STATUS_SYNTAX_ORIGIN || st == LDNS_STATUS_SYNTAX_INCLUDE) {
            if (feof(fp))
                break;
            continue;
        }
        if (st != LDNS_STATUS_OK) {
            snprintf(error, error_len, "%s, line %d: %s", what, line, ldns_get_errorstr_by_id(st));
            goto done;
        }
        bool wanted = false;
        for (size_t i = 0; i < nkeep; i++)
            wanted |= ldns_rr_get_type(rr) == keep[i];
        if (wanted)
            ldns_rr_list_push_rr(list, rr);
        else
            ldns_rr_free(rr);
    }
    if (ldns_rr_list_rr_count(list) == 0) {
        snprintf(error, error_len, "%s: no usable records", what);
        goto done;
    }
    *out = list;
    list = NULL;
    rc = 0;
done:
    ldns_rr_list_deep_free(list);
    ldns_rdf_deep_free(origin);
    ldns_rdf_deep_free(prev);
    return rc;
}

static int load(const char *path, const char *system_path, const char *builtin,
                const ldns_rr_type *keep, size_t nkeep, ldns_rr_list **out, char *error,
                size_t error_len)
{
    const char *chosen = path;
    if (!chosen && access(system_path, R_OK) == 0)
        chosen = system_path;
    FILE *fp = chosen ? fopen(chosen, "r") : fmemopen((void *)builtin, strlen(builtin), "r");
    if (!fp) {
        snprintf(error, error_len, "%s: %s", chosen ? chosen : "built-in data", strerror(errno));
        return -1;
    }
    int rc = scanner_anchor_read_fp(fp, chosen ? chosen : "built-in data", keep, nkeep, out, error,
                                    error_len);
    fclose(fp);
    return rc;
}

int scanner_load_root_hints(const char *path, ldns_rr_list **out, char *error, size_t error_len)
{
    static const ldns_rr_type keep[] = {LDNS_RR_TYPE_NS, LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA};
    return load(path, SCANNER_SYSTEM_ROOT_HINTS, builtin_hints, keep, 3, out, error, error_len);
}

int scanner_load_trust_anchor(const char *path, ldns_rr_list **out, char *error, size_t error_len)
{
    static const ldns_rr_type keep[] = {LDNS_RR_TYPE_DS, LDNS_RR_TYPE_DNSKEY};
    return load(path, SCANNER_SYSTEM_TRUST_ANCHOR, builtin_anchor, keep, 2, out, error, error_len);
}
