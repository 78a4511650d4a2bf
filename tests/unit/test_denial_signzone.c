/*
 * Cross-check against a real signer: a small zone is signed at test time with ldns-signzone
 * (NSEC; NSEC3 with 3 iterations and a salt; NSEC3 with opt-out) in a temporary directory.
 * For several names, the records a server would send (RFC 4035 §3.1.3, RFC 5155 §7.2) are
 * picked from the signed zone with ldns's own helpers (ldns_dname_compare,
 * ldns_nsec_covers_name, ldns_nsec3_hash_name), independent of the code under test, and
 * verify_denial_check() must accept them, and reject them for a claim they do not prove.
 */
#include "tests/tap.h"
#include "verify/denial.h"
#include "verify/verify.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ZONE "example.test."
#define CMD_TIMEOUT_SECONDS 60

static const char zone_text[] = "$ORIGIN example.test.\n"
                                "$TTL 3600\n"
                                "@ IN SOA ns1 host 1 3600 900 604800 300\n"
                                "@ IN NS ns1\n"
                                "ns1 IN A 192.0.2.1\n"
                                "www IN A 192.0.2.2\n"
                                "*.wild IN TXT \"wild\"\n"
                                "b.x IN A 192.0.2.3\n"
                                "c.deep.er IN A 192.0.2.5\n"
                                "sec IN NS ns.sec\n"
                                "sec IN DS 12345 13 2 "
                                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
                                "ns.sec IN A 192.0.2.4\n"
                                "insec IN NS ns.insec.other.\n";

static char dir[] = "/tmp/dnssweep-denial-XXXXXX";

/* Runs argv in dir with stdout to out_name (or /dev/null); bounded in time, killed by pid. */
static int run_cmd(char *const argv[], const char *out_name)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, out_name ? out_name : "cmd.log");
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || chdir(dir) != 0)
            _exit(126);
        dup2(fd, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    for (int waited_ms = 0; waited_ms < CMD_TIMEOUT_SECONDS * 1000; waited_ms += 10) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];

    if (!d)
        return;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

/* The signed zone: its NSEC/NSEC3 records and the owner names holding data. */
typedef struct signed_zone {
    ldns_rr_list *denial;
    ldns_rr_list *data; /* every other RR (owners used for existence) */
    bool nsec3;
    bool optout; /* NSEC3 with the opt-out flag: proofs through a next closer are insecure */
} signed_zone_t;

static bool load_zone(const char *file, signed_zone_t *sz)
{
    char path[512];
    ldns_zone *z = NULL;
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", dir, file);
    fp = fopen(path, "r");
    if (!fp)
        return false;
    ldns_status st = ldns_zone_new_frm_fp(&z, fp, NULL, 0, LDNS_RR_CLASS_IN);
    fclose(fp);
    if (st != LDNS_STATUS_OK)
        return false;
    sz->denial = ldns_rr_list_new();
    sz->data = ldns_rr_list_new();
    sz->nsec3 = false;
    sz->optout = false;
    ldns_rr_list_push_rr(sz->data, ldns_rr_clone(ldns_zone_soa(z)));
    for (size_t i = 0; i < ldns_rr_list_rr_count(ldns_zone_rrs(z)); i++) {
        ldns_rr *rr = ldns_rr_list_rr(ldns_zone_rrs(z), i);
        ldns_rr_type t = ldns_rr_get_type(rr);
        if (t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3) {
            ldns_rr_list_push_rr(sz->denial, ldns_rr_clone(rr));
            sz->nsec3 |= t == LDNS_RR_TYPE_NSEC3;
            sz->optout |= t == LDNS_RR_TYPE_NSEC3 && (ldns_rdf2native_int8(ldns_rr_rdf(rr, 1)) & 1);
        } else if (t != LDNS_RR_TYPE_RRSIG && t != LDNS_RR_TYPE_NSEC3PARAM) {
            ldns_rr_list_push_rr(sz->data, ldns_rr_clone(rr));
        }
    }
    ldns_zone_deep_free(z);
    return true;
}

static void free_zone(signed_zone_t *sz)
{
    ldns_rr_list_deep_free(sz->denial);
    ldns_rr_list_deep_free(sz->data);
}

static bool same_name(const ldns_rdf *a, const ldns_rdf *b)
{
    return ldns_dname_compare(a, b) == 0;
}

/* A name exists when some RR is at it or below it (empty non-terminals exist). */
static bool exists(const signed_zone_t *sz, const ldns_rdf *name)
{
    for (size_t i = 0; i < ldns_rr_list_rr_count(sz->data); i++) {
        const ldns_rdf *o = ldns_rr_owner(ldns_rr_list_rr(sz->data, i));
        if (same_name(o, name) || ldns_dname_is_subdomain(o, name))
            return true;
    }
    return false;
}

static ldns_rdf *closest_encloser(const signed_zone_t *sz, const ldns_rdf *qname)
{
    ldns_rdf *n = ldns_rdf_clone(qname);
    while (!exists(sz, n) && ldns_dname_label_count(n) > 0) {
        ldns_rdf *up = ldns_dname_left_chop(n);
        ldns_rdf_deep_free(n);
        n = up;
    }
    return n;
}

static ldns_rdf *wildcard_of(const ldns_rdf *ce)
{
    ldns_rdf *w = ldns_dname_new_frm_str("*");
    ldns_dname_cat(w, ce);
    return w;
}

/* The NSEC3 owner name for name: hash label + zone. */
static ldns_rdf *hashed(const signed_zone_t *sz, const ldns_rdf *name)
{
    ldns_rdf *h = ldns_nsec3_hash_name_frm_nsec3(ldns_rr_list_rr(sz->denial, 0), name);
    ldns_rdf *zone = ldns_dname_new_frm_str(ZONE);
    ldns_dname_cat(h, zone);
    ldns_rdf_deep_free(zone);
    return h;
}

static void add_unique(ldns_rr_list *proof, const ldns_rr *rr)
{
    for (size_t i = 0; i < ldns_rr_list_rr_count(proof); i++)
        if (ldns_rr_compare(ldns_rr_list_rr(proof, i), rr) == 0)
            return;
    ldns_rr_list_push_rr(proof, ldns_rr_clone(rr));
}

/* Adds the record whose owner is name (match) or whose span covers name (cover). For NSEC3,
 * name is hashed first. Returns false when there is none. */
static bool add_record(const signed_zone_t *sz, const ldns_rdf *name, bool match,
                       ldns_rr_list *proof)
{
    ldns_rdf *target = sz->nsec3 ? hashed(sz, name) : ldns_rdf_clone(name);
    bool found = false;
    for (size_t i = 0; i < ldns_rr_list_rr_count(sz->denial) && !found; i++) {
        ldns_rr *rr = ldns_rr_list_rr(sz->denial, i);
        bool at = same_name(ldns_rr_owner(rr), target);
        if (match ? at : (!at && ldns_nsec_covers_name(rr, target))) {
            add_unique(proof, rr);
            found = true;
        }
    }
    ldns_rdf_deep_free(target);
    return found;
}

/* Name error (RFC 4035 §3.1.3.2 / RFC 5155 §7.2.2) and the closest encloser proof. */
static ldns_rr_list *proof_nxdomain(const signed_zone_t *sz, const ldns_rdf *q)
{
    ldns_rr_list *proof = ldns_rr_list_new();
    ldns_rdf *ce = closest_encloser(sz, q), *wc = wildcard_of(ce);
    if (sz->nsec3) {
        ldns_rdf *nc =
            ldns_dname_clone_from(q, ldns_dname_label_count(q) - ldns_dname_label_count(ce) - 1);
        add_record(sz, ce, true, proof);
        add_record(sz, nc, false, proof);
        ldns_rdf_deep_free(nc);
    } else {
        add_record(sz, q, false, proof);
    }
    add_record(sz, wc, false, proof);
    ldns_rdf_deep_free(ce);
    ldns_rdf_deep_free(wc);
    return proof;
}

/* No data: the record at qname; at an empty non-terminal under NSEC, the one covering it;
 * for a name only a wildcard matches, the cover of qname plus the wildcard's record. */
static ldns_rr_list *proof_nodata(const signed_zone_t *sz, const ldns_rdf *q, bool *via_next_closer)
{
    ldns_rr_list *proof = ldns_rr_list_new();
    *via_next_closer = false;
    if (add_record(sz, q, true, proof))
        return proof;
    if (exists(sz, q)) { /* NSEC empty non-terminal */
        add_record(sz, q, false, proof);
        return proof;
    }
    ldns_rdf *ce = closest_encloser(sz, q), *wc = wildcard_of(ce);
    if (sz->nsec3) {
        ldns_rdf *nc =
            ldns_dname_clone_from(q, ldns_dname_label_count(q) - ldns_dname_label_count(ce) - 1);
        add_record(sz, ce, true, proof);
        add_record(sz, nc, false, proof);
        ldns_rdf_deep_free(nc);
        *via_next_closer = true;
    } else {
        add_record(sz, q, false, proof);
    }
    add_record(sz, wc, true, proof);
    ldns_rdf_deep_free(ce);
    ldns_rdf_deep_free(wc);
    return proof;
}

/* What an opt-out signer that leaves the unsigned delegation q out of the chain sends (RFC 5155
 * §7.2.3): the apex's NSEC3, and the NSEC3 before q's hash with its next hash extended over q,
 * so that it covers q. Built from the signed chain (signatures do not matter here). */
static ldns_rr_list *proof_without_own_nsec3(const signed_zone_t *sz, const ldns_rdf *q)
{
    ldns_rr_list *proof = ldns_rr_list_new();
    ldns_rdf *apex = ldns_dname_new_frm_str(ZONE), *hq = hashed(sz, q);
    const ldns_rr *own = NULL;

    add_record(sz, apex, true, proof);
    for (size_t i = 0; i < ldns_rr_list_rr_count(sz->denial); i++)
        if (same_name(ldns_rr_owner(ldns_rr_list_rr(sz->denial, i)), hq))
            own = ldns_rr_list_rr(sz->denial, i);
    for (size_t i = 0; own && i < ldns_rr_list_rr_count(sz->denial); i++) {
        ldns_rr *rr = ldns_rr_list_rr(sz->denial, i);
        if (ldns_rdf_compare(ldns_rr_rdf(rr, 4), ldns_rr_rdf(own, 4)) == 0)
            continue;
        ldns_rdf *next_hash = ldns_nsec3_next_owner(rr);
        ldns_rr *probe = ldns_rr_clone(rr);
        /* rr is the predecessor when its next hash is q's hash. */
        ldns_rdf *own_label = ldns_dname_label(ldns_rr_owner(own), 0);
        char *a = ldns_rdf2str(next_hash), *b = ldns_rdf2str(own_label);
        bool pred = a && b && strncasecmp(a, b + 0, strlen(a)) == 0;
        free(a);
        free(b);
        ldns_rdf_deep_free(own_label);
        if (pred) {
            ldns_rdf_deep_free(ldns_rr_set_rdf(probe, ldns_rdf_clone(ldns_rr_rdf(own, 4)), 4));
            ldns_rr_list_push_rr(proof, probe);
            break;
        }
        ldns_rr_free(probe);
    }
    ldns_rdf_deep_free(hq);
    ldns_rdf_deep_free(apex);
    return proof;
}

static verify_denial_result_t check(const char *qname, uint16_t qtype, verify_denial_kind_t kind,
                                    const ldns_rr_list *proof, char *detail, size_t dlen)
{
    ldns_rdf *zone = ldns_dname_new_frm_str(ZONE), *q = ldns_dname_new_frm_str(qname);
    verify_denial_query_t query = {.zone = zone,
                                   .qname = q,
                                   .qtype = qtype,
                                   .kind = kind,
                                   .records = proof,
                                   .max_iterations = VERIFY_NSEC3_MAX_ITERATIONS_DEFAULT};
    verify_denial_result_t r = verify_denial_check(&query, detail, dlen);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
    return r;
}

static void cross_check(const char *label, const signed_zone_t *sz)
{
    static const char *const nx[] = {"nope",    "a.b.nope", "zzz",  "0",   "a.b.x",
                                     "foo.www", "aaa",      "deep", "er0", "x.c.deep.er"};
    static const struct {
        const char *name;
        uint16_t type;
    } nodata[] = {
        {"www", LDNS_RR_TYPE_TXT},   {"x", LDNS_RR_TYPE_A},          {"a.wild", LDNS_RR_TYPE_MX},
        {"", LDNS_RR_TYPE_AAAA},     {"ns1", LDNS_RR_TYPE_MX},       {"wild", LDNS_RR_TYPE_A},
        {"deep.er", LDNS_RR_TYPE_A}, {"er", LDNS_RR_TYPE_A},         {"q.r.wild", LDNS_RR_TYPE_MX},
        {"insec", LDNS_RR_TYPE_DS},  {"c.deep.er", LDNS_RR_TYPE_MX},
    };
    char name[256], detail[512];
    bool via_nc;
    /* What a valid proof through a next closer name gives: insecure in an opt-out zone. */
    verify_denial_result_t valid = sz->optout ? VERIFY_DENIAL_OPTOUT : VERIFY_DENIAL_PROVEN;

    for (size_t i = 0; i < sizeof nx / sizeof nx[0]; i++) {
        snprintf(name, sizeof name, "%s." ZONE, nx[i]);
        ldns_rdf *q = ldns_dname_new_frm_str(name);
        ldns_rr_list *proof = proof_nxdomain(sz, q);
        verify_denial_result_t r =
            check(name, LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, proof, detail, sizeof detail);
        is_int(r, valid, "[%s] name error %s with %zu records: %s (%.200s)", label, name,
               ldns_rr_list_rr_count(proof), verify_denial_result_name(valid), detail);
        /* In an opt-out span a missing name may be an unsigned delegation's empty non-terminal
         * (RFC 5155 erratum 3441): the name error records then pass as insecure no data. */
        is_int(check(name, LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, proof, detail, sizeof detail),
               sz->optout ? VERIFY_DENIAL_OPTOUT : VERIFY_DENIAL_INVALID,
               "[%s] the same records as no data for %s: %s", label, name,
               sz->optout ? "insecure" : "invalid");
        /* A minimal proof breaks when any one of its records is missing. */
        size_t n = ldns_rr_list_rr_count(proof), still = 0;
        for (size_t drop = 0; drop < n; drop++) {
            ldns_rr_list *partial = ldns_rr_list_new();
            for (size_t k = 0; k < n; k++)
                if (k != drop)
                    ldns_rr_list_push_rr(partial, ldns_rr_list_rr(proof, k));
            verify_denial_result_t pr =
                check(name, 1, VERIFY_DENIAL_NXDOMAIN, partial, detail, sizeof detail);
            still += pr == VERIFY_DENIAL_PROVEN || pr == VERIFY_DENIAL_OPTOUT;
            ldns_rr_list_free(partial); /* shallow: records belong to proof */
        }
        is_int(still, 0, "[%s] %s: dropping any one of the %zu records breaks the proof", label,
               name, n);
        ldns_rr_list_deep_free(proof);
        ldns_rdf_deep_free(q);
    }
    for (size_t i = 0; i < sizeof nodata / sizeof nodata[0]; i++) {
        snprintf(name, sizeof name, "%s%s" ZONE, nodata[i].name, nodata[i].name[0] ? "." : "");
        ldns_rdf *q = ldns_dname_new_frm_str(name);
        ldns_rr_list *proof = proof_nodata(sz, q, &via_nc);
        char ts[16];
        ldns_rdf *t = ldns_native2rdf_int16(LDNS_RDF_TYPE_TYPE, nodata[i].type);
        char *tstr = ldns_rdf2str(t);
        snprintf(ts, sizeof ts, "%s", tstr ? tstr : "?");
        free(tstr);
        ldns_rdf_deep_free(t);
        verify_denial_result_t want = via_nc ? valid : VERIFY_DENIAL_PROVEN;
        is_int(check(name, nodata[i].type, VERIFY_DENIAL_NODATA, proof, detail, sizeof detail),
               want, "[%s] no data %s %s with %zu records: %s (%.200s)", label, name, ts,
               ldns_rr_list_rr_count(proof), verify_denial_result_name(want), detail);
        is_int(check(name, nodata[i].type, VERIFY_DENIAL_NXDOMAIN, proof, detail, sizeof detail),
               VERIFY_DENIAL_INVALID, "[%s] the same records do not prove name error for %s", label,
               name);
        ldns_rr_list_deep_free(proof);
        ldns_rdf_deep_free(q);
    }

    /* Types that exist are never denied. */
    static const struct {
        const char *name;
        uint16_t type;
    } present[] = {{"www", LDNS_RR_TYPE_A},
                   {"a.wild", LDNS_RR_TYPE_TXT},
                   {"", LDNS_RR_TYPE_NS},
                   {"sec", LDNS_RR_TYPE_DS}};
    for (size_t i = 0; i < sizeof present / sizeof present[0]; i++) {
        snprintf(name, sizeof name, "%s%s" ZONE, present[i].name, present[i].name[0] ? "." : "");
        ldns_rdf *q = ldns_dname_new_frm_str(name);
        ldns_rr_list *proof = proof_nodata(sz, q, &via_nc);
        is_int(check(name, present[i].type, VERIFY_DENIAL_NODATA, proof, detail, sizeof detail),
               VERIFY_DENIAL_INVALID, "[%s] type %u at %s exists: no data invalid (%.200s)", label,
               present[i].type, name, detail);
        ldns_rr_list_deep_free(proof);
        ldns_rdf_deep_free(q);
    }

    /* Delegations: insec has no DS, sec has one. */
    ldns_rdf *q = ldns_dname_new_frm_str("insec." ZONE);
    ldns_rr_list *proof = proof_nodata(sz, q, &via_nc);
    is_int(check("insec." ZONE, 0, VERIFY_DENIAL_NO_DS, proof, detail, sizeof detail),
           VERIFY_DENIAL_PROVEN, "[%s] insec: no DS proven", label);
    ldns_rr_list_deep_free(proof);
    ldns_rdf_deep_free(q);
    q = ldns_dname_new_frm_str("sec." ZONE);
    proof = proof_nodata(sz, q, &via_nc);
    is_int(check("sec." ZONE, 0, VERIFY_DENIAL_NO_DS, proof, detail, sizeof detail),
           VERIFY_DENIAL_INVALID, "[%s] sec has a DS: no-DS claim invalid", label);
    ldns_rr_list_deep_free(proof);
    ldns_rdf_deep_free(q);
    q = ldns_dname_new_frm_str("ns.sec." ZONE);
    proof = proof_nodata(sz, q, &via_nc);
    is_int(check("ns.sec." ZONE, LDNS_RR_TYPE_AAAA, VERIFY_DENIAL_NODATA, proof, detail,
                 sizeof detail),
           VERIFY_DENIAL_INVALID, "[%s] glue below sec is not denied by the parent", label);
    ldns_rr_list_deep_free(proof);
    ldns_rdf_deep_free(q);
    if (sz->nsec3) {
        q = ldns_dname_new_frm_str("insec." ZONE);
        proof = proof_without_own_nsec3(sz, q);
        bool optout = sz->optout;
        is_int(check("insec." ZONE, 0, VERIFY_DENIAL_NO_DS, proof, detail, sizeof detail),
               optout ? VERIFY_DENIAL_OPTOUT : VERIFY_DENIAL_INVALID,
               "[%s] insec without its own NSEC3 (%zu records): %s", label,
               ldns_rr_list_rr_count(proof),
               optout ? "opt-out, insecure delegation" : "no opt-out, invalid");
        ldns_rr_list_deep_free(proof);
        ldns_rdf_deep_free(q);
    }

    /* A wildcard answer: a.b.wild TXT from *.wild (RRSIG labels 3). */
    q = ldns_dname_new_frm_str("a.b.wild." ZONE);
    proof = ldns_rr_list_new();
    ldns_rdf *nc = ldns_dname_new_frm_str("b.wild." ZONE);
    add_record(sz, sz->nsec3 ? nc : q, false, proof);
    ldns_rdf *zone = ldns_dname_new_frm_str(ZONE);
    verify_denial_query_t query = {
        .zone = zone, .qname = q, .records = proof, .max_iterations = 150};
    is_int(verify_denial_check_wildcard(&query, 3, detail, sizeof detail),
           sz->nsec3 ? valid : VERIFY_DENIAL_PROVEN,
           "[%s] wildcard answer a.b.wild from *.wild: %s", label,
           verify_denial_result_name(sz->nsec3 ? valid : VERIFY_DENIAL_PROVEN));
    is_int(verify_denial_check_wildcard(&query, 2, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "[%s] the same records do not prove a *." ZONE " expansion", label);
    ldns_rr_list_deep_free(proof);
    ldns_rdf_deep_free(nc);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
}

int main(void)
{
    char key[256] = "", path[512];
    signed_zone_t sz;

    if (!mkdtemp(dir)) {
        ok(0, "temporary directory");
        return tap_done();
    }
    snprintf(path, sizeof path, "%s/zone", dir);
    FILE *fp = fopen(path, "w");
    fputs(zone_text, fp);
    fclose(fp);

    char *keygen[] = {"ldns-keygen", "-a", "ECDSAP256SHA256", "-k", ZONE, NULL};
    is_int(run_cmd(keygen, "keyname"), 0, "ldns-keygen made a key");
    snprintf(path, sizeof path, "%s/keyname", dir);
    fp = fopen(path, "r");
    if (fp) {
        if (!fgets(key, sizeof key, fp))
            key[0] = '\0';
        key[strcspn(key, "\n")] = '\0';
        fclose(fp);
    }

    char *sign_nsec[] = {"ldns-signzone", "-f", "nsec.zone", "zone", key, NULL};
    char *sign_nsec3[] = {"ldns-signzone", "-n",   "-t", "3", "-s", "abcd", "-f",
                          "nsec3.zone",    "zone", key,  NULL};
    char *sign_optout[] = {"ldns-signzone", "-n",   "-p", "-t", "0", "-f",
                           "optout.zone",   "zone", key,  NULL};
    is_int(run_cmd(sign_nsec, NULL), 0, "ldns-signzone NSEC");
    is_int(run_cmd(sign_nsec3, NULL), 0, "ldns-signzone -n -t 3 -s abcd");
    is_int(run_cmd(sign_optout, NULL), 0, "ldns-signzone -n -p -t 0");

    static const char *const files[] = {"nsec.zone", "nsec3.zone", "optout.zone"};
    for (size_t i = 0; i < 3; i++) {
        ok(load_zone(files[i], &sz), "%s loaded", files[i]);
        if (ldns_rr_list_rr_count(sz.denial) == 0) {
            ok(0, "%s has NSEC/NSEC3 records", files[i]);
            free_zone(&sz);
            continue;
        }
        cross_check(files[i], &sz);
        if (i == 1) {
            verify_nsec3_params_t p;
            verify_nsec3_params_get(sz.denial, &p);
            ok(p.iterations == 3 && p.salt_len == 2 && p.salt[0] == 0xab && !p.optout && !p.mixed,
               "NSEC3 parameters read back: 3 iterations, salt abcd, no opt-out");
            ldns_rdf *zone = ldns_dname_new_frm_str(ZONE),
                     *q = ldns_dname_new_frm_str("nope." ZONE);
            ldns_rr_list *proof = proof_nxdomain(&sz, q);
            verify_denial_query_t query = {.zone = zone,
                                           .qname = q,
                                           .kind = VERIFY_DENIAL_NXDOMAIN,
                                           .records = proof,
                                           .max_iterations = 2};
            is_int(verify_denial_check(&query, NULL, 0), VERIFY_DENIAL_INSECURE_ITERATIONS,
                   "3 iterations over a limit of 2: insecure");
            ldns_rr_list_deep_free(proof);
            ldns_rdf_deep_free(zone);
            ldns_rdf_deep_free(q);
        }
        free_zone(&sz);
    }
    remove_dir();
    return tap_done();
}
