/*
 * The record's one fix (doc/verdicts.md, "The fix of a record"): a text a registrar's support
 * agent can paste to the customer unchanged. Imperative; it names the exact record, server, key
 * tag and time; for an outage the fastest way out comes first, then the lasting fix; it says how
 * long resolvers may keep the old DS (the parent's DS TTL, in hours) and ends with one command
 * anyone can run to check. Written from the record and the servers' verdicts while the judge
 * still holds them.
 */
#include "scanner/internal.h"
#include "scanner/record.h"
#include "text/text.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What goes before item i of n in "a, b and c". */
static const char *list_separator(size_t i, size_t n)
{
    return i == 0 ? "" : i + 1 == n ? " and " : ", ";
}

/* What every sentence of a fix may need, worked out once. */
typedef struct fix_facts {
    const scan_record_t *r;
    const scan_domain_t *d;
    const verify_verdict_t *first;
    const char *domain;
    const char *parent;
    char ds_now[400];  /* "DS 29158 13 2 and DS 4711 13 2": what the parent publishes */
    char ds_new[1200]; /* the records to publish, " and "-joined; "" when unknown */
    char keys[300];    /* "56957 (KSK) and 35722 (ZSK)": what the first server serves */
} fix_facts_t;

/* "1 hour", "24 hours"; under an hour in minutes. */
static void ttl_text(uint32_t ttl, char *out, size_t len)
{
    if (ttl >= 3600) {
        uint32_t hours = (ttl + 3599) / 3600;
        snprintf(out, len, "%u hour%s", hours, hours == 1 ? "" : "s");
    } else {
        uint32_t minutes = ttl ? (ttl + 59) / 60 : 0;
        snprintf(out, len, "%u minute%s", minutes, minutes == 1 ? "" : "s");
    }
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* "ns2.example.net (192.0.2.2)" for a server address of the domain, in lower case. */
static void server_text(const scan_domain_t *d, const char *addr, char *out, size_t len)
{
    for (size_t i = 0; d && addr && i < d->n_servers; i++) {
        const scan_server_t *sv = &d->servers[i];
        if (strcmp(sv->addr_text, addr) != 0 || !sv->ns_name[0])
            continue;
        char name[LDNS_MAX_DOMAINLEN + 2];
        snprintf(name, sizeof name, "%s", sv->ns_name);
        size_t n = strlen(name);
        if (n > 1 && name[n - 1] == '.')
            name[n - 1] = '\0';
        snprintf(out, len, "%s (%s)", name, addr);
        lower(out);
        return;
    }
    snprintf(out, len, "%s", addr ? addr : "?");
}

/* True when the server's NS name has more addresses than this one among the domain's servers
 * (one name, several machines): `dig @name` would then ask any of them. */
static bool name_has_other_addresses(const scan_domain_t *d, const char *addr)
{
    const scan_server_t *self = NULL;
    for (size_t i = 0; d && addr && i < d->n_servers && !self; i++)
        if (strcmp(d->servers[i].addr_text, addr) == 0)
            self = &d->servers[i];
    for (size_t i = 0; self && self->ns_name[0] && i < d->n_servers; i++)
        if (&d->servers[i] != self && strcmp(d->servers[i].addr_text, addr) != 0 &&
            strcasecmp(d->servers[i].ns_name, self->ns_name) == 0)
            return true;
    return false;
}

/* The name to put after @ in a dig command: the server's name, else (no name, or a name with
 * several addresses, of which the check must ask the one at fault) its address. */
static void server_at(const scan_domain_t *d, const char *addr, char *out, size_t len)
{
    if (name_has_other_addresses(d, addr)) {
        snprintf(out, len, "%s", addr);
        return;
    }
    char text[LDNS_MAX_DOMAINLEN + 80];
    server_text(d, addr, text, sizeof text);
    text[strcspn(text, " ")] = '\0';
    snprintf(out, len, "%s", text);
}

static const char *first_server_addr(const scan_domain_t *d)
{
    return d && d->n_servers ? d->servers[0].addr_text : NULL;
}

static void facts_init(fix_facts_t *f, const scan_record_t *r, const scan_domain_t *d,
                       const verify_verdict_t *first)
{
    memset(f, 0, sizeof *f);
    f->r = r;
    f->d = d;
    f->first = first;
    f->domain = r->rec.domain;
    f->parent = r->rec.parent.zone && *r->rec.parent.zone ? r->rec.parent.zone : ".";
    text_buf_t t;
    const results_parent_t *p = &r->rec.parent;
    text_init(&t, f->ds_now, sizeof f->ds_now);
    for (size_t i = 0; i < p->n_ds; i++)
        text_printf(&t, "%sDS %u %u %u", list_separator(i, p->n_ds), p->ds[i].key_tag,
                    p->ds[i].algorithm, p->ds[i].digest_type);
    text_init(&t, f->ds_new, sizeof f->ds_new);
    for (size_t i = 0; first && i < first->n_ds_records; i++)
        text_printf(&t, "%s%s", i ? " and " : "", first->ds_records[i]);
    text_init(&t, f->keys, sizeof f->keys);
    for (size_t i = 0; first && i < first->n_keys; i++) {
        uint16_t flags = first->keys[i].flags;
        text_printf(&t, "%s%u (%s)", list_separator(i, first->n_keys), first->keys[i].key_tag,
                    (flags & 0x0101) == 0x0101 ? "KSK"
                    : (flags & 0x0100)         ? "ZSK"
                                               : "no zone key");
    }
}

static const results_reason_t *reason_with(const scan_record_t *r, verify_reason_code_t code)
{
    for (size_t i = 0; i < r->rec.n_reasons; i++)
        if (r->reasons[i].code == code)
            return &r->reasons[i];
    return NULL;
}

static bool about_ds(const results_reason_t *x)
{
    const char *type = x && x->rrset ? strrchr(x->rrset, '/') : NULL;
    return type && strcmp(type, "/DS") == 0;
}

/* The parent's data about the domain is at fault (its signature over the DS, its proof of no
 * DS): nothing in the domain's own zone can mend it. */
static bool parent_side(const results_reason_t *x)
{
    if (x->code == VERIFY_REASON_PARENT_DS_DENIAL_INVALID)
        return true;
    return about_ds(x) &&
           (x->code == VERIFY_REASON_RRSIG_EXPIRED ||
            x->code == VERIFY_REASON_RRSIG_NOT_YET_VALID ||
            x->code == VERIFY_REASON_RRSIG_INVALID || x->code == VERIFY_REASON_RRSIG_UNKNOWN_KEY ||
            x->code == VERIFY_REASON_RRSIG_MALFORMED || x->code == VERIFY_REASON_RRSIG_MISSING);
}

/* Codes whose lasting fix is itself a change of the DS at the registrar. */
static bool ds_change(const fix_facts_t *f, verify_reason_code_t code)
{
    return code == VERIFY_REASON_DS_NO_MATCHING_DNSKEY ||
           code == VERIFY_REASON_DS_DIGEST_MISMATCH || code == VERIFY_REASON_DS_ZONE_UNSIGNED ||
           (code == VERIFY_REASON_DS_KEY_NOT_SIGNING && f->ds_new[0]);
}

/* " on ns1.example.net (192.0.2.1)" when the reason is one server's. */
static void on_server(text_buf_t *t, const fix_facts_t *f, const results_reason_t *x)
{
    if (!x->server)
        return;
    char sv[LDNS_MAX_DOMAINLEN + 80];
    server_text(f->d, x->server, sv, sizeof sv);
    text_printf(t, " on %s", sv);
}

/* ": example.com/SOA: <detail>" — the record and the evidence (key tags, times). */
static void evidence(text_buf_t *t, const results_reason_t *x)
{
    if (x->detail && x->rrset && strstr(x->detail, x->rrset) == x->detail)
        text_printf(t, " (%s)", x->detail);
    else if (x->detail)
        text_printf(t, " (%s: %s)", x->rrset ? x->rrset : "-", x->detail);
}

/* Ends a sentence of a fix: the evidence, then end (a full stop when NULL). */
static void end_sentence(text_buf_t *t, const results_reason_t *x, const char *end)
{
    evidence(t, x);
    text_put(t, end ? end : ".");
}

/* The lasting fix of the reasons whose text needs only the domain's name, the server and the
 * evidence, as one sentence in which %D stands for the domain, %S for " on <server>" when the
 * reason is one server's, and %E for the evidence (the record, key tags, times). */
typedef struct plain_fix {
    verify_reason_code_t code;
    const char *text;
} plain_fix_t;

static const plain_fix_t plain_fixes[] = {
    {VERIFY_REASON_DNSKEY_NO_ZONE_BIT,
     "Publish the KSK of %D with flags 257 (Zone Key and SEP bits) and re-sign its DNSKEY "
     "RRset%E."},
    {VERIFY_REASON_DNSKEY_REVOKED,
     "Generate another KSK for %D, sign the DNSKEY RRset with it and replace the DS at the "
     "registrar with the DS of that key: the key the DS points at is revoked%E."},
    {VERIFY_REASON_DNSKEY_UNSIGNED,
     "Sign the DNSKEY RRset of %D with its KSK and reload the zone%S: it is served without any "
     "RRSIG%E."},
    {VERIFY_REASON_RRSIG_EXPIRED,
     "Re-sign %D now and reload it on every server, then make the signer re-sign it "
     "automatically well before signatures expire%E."},
    {VERIFY_REASON_RRSIG_NOT_YET_VALID,
     "Set the signing host's clock right and re-sign %D: its signatures start in the future%E."},
    {VERIFY_REASON_RRSIG_INVALID,
     "Re-sign %D and reload it on every server (a server still serving an old copy is the usual "
     "cause)%S%E."},
    {VERIFY_REASON_RRSIG_UNKNOWN_KEY,
     "Publish the DNSKEY that made these signatures in %D, or re-sign the zone with its "
     "published keys%E."},
    {VERIFY_REASON_RRSIG_MALFORMED,
     "Re-sign %D with a standard signer (ldns-signzone, dnssec-signzone, Knot, BIND): an RRSIG "
     "is malformed%E."},
    {VERIFY_REASON_DENIAL_MISSING,
     "Make the server of %D%S answer with its signed NSEC/NSEC3 proof whenever a name or type "
     "does not exist (re-sign the zone with NSEC or NSEC3 and reload it)%E."},
    {VERIFY_REASON_DENIAL_INVALID,
     "Re-sign all of %D to rebuild its NSEC/NSEC3 chain and reload it%S%E."},
    {VERIFY_REASON_NS_INCONSISTENT,
     "Make every server of %D serve the same signed zone (resync the secondaries from the "
     "primary)%E."},
    {VERIFY_REASON_DNSSEC_STRIPPED,
     "Make the server of %D%S serve the signed zone with its RRSIGs (an old unsigned copy, or a "
     "middlebox dropping DNSSEC records, is the usual cause)%E."},
    {VERIFY_REASON_VALIDATION_LIMIT,
     "Publish fewer keys and signatures in %D and give no two keys one key tag: resolvers stop "
     "validating it%E."},
    {VERIFY_REASON_ALGORITHM_DEPRECATED,
     "Roll %D to algorithm 13 (ECDSA P-256) or 15 (Ed25519): new keys, re-sign, then replace the "
     "DS at the registrar%E."},
    {VERIFY_REASON_ALGORITHM_INCOMPLETE,
     "Sign every RRset of %D with each algorithm of its DNSKEY and DS sets, or remove the keys of "
     "the algorithm that signs nothing%E."},
    {VERIFY_REASON_RRSIG_EXPIRES_SOON,
     "Re-sign %D before its signatures expire and check that automatic re-signing runs%E."},
    {VERIFY_REASON_NSEC3_ITERATIONS,
     "Re-sign %D with NSEC3 0 additional iterations and no salt (NSEC3PARAM 1 0 0 -, RFC 9276), "
     "or with NSEC%E."},
    {VERIFY_REASON_KEY_TOO_SMALL,
     "Replace the small RSA key of %D with one of at least 2048 bits, or roll to algorithm 13; "
     "for a KSK, replace the DS at the registrar too%E."},
    {VERIFY_REASON_CDS_PENDING,
     "Update the DS of %D at the registrar to match its CDS records, or wait for the registry's "
     "CDS scan to do it%E."},
    {VERIFY_REASON_CDS_INVALID,
     "Publish CDS/CDNSKEY records of %D that agree with each other on every server and are "
     "signed by the KSK the DS points at%E."},
    {VERIFY_REASON_PARENT_UNREACHABLE,
     "Nothing to change in %D%E: the operator of the zone above it must fix that zone."},
    {VERIFY_REASON_DS_STALE,
     "Remove the stale DS of %D at the registrar%E; keep the DS that matches the zone's KSK."},
};

/* Writes a plain_fixes text with its %D, %S and %E filled in. */
static void plain_fix_text(text_buf_t *t, const char *text, const fix_facts_t *f,
                           const results_reason_t *x)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "%");
        text_printf(t, "%.*s", (int)n, p);
        p += n;
        if (!*p)
            return;
        switch (p[1]) {
        case 'D':
            text_put(t, f->domain);
            break;
        case 'S':
            on_server(t, f, x);
            break;
        case 'E':
            evidence(t, x);
            break;
        default:
            assert(!"plain_fixes: unknown %-field");
            return;
        }
        p += 2;
    }
}

/* Reasons whose lasting fix is the one of another reason in plain_fixes. */
static const struct {
    verify_reason_code_t code, fix_of;
} shared_fixes[] = {
    {VERIFY_REASON_ALGORITHM_UNSUPPORTED, VERIFY_REASON_ALGORITHM_DEPRECATED},
    {VERIFY_REASON_NSEC3_SALT, VERIFY_REASON_NSEC3_ITERATIONS},
};

/* Writes x's lasting fix when plain_fixes has it; false when it does not. */
static bool plain_fix(text_buf_t *t, const fix_facts_t *f, const results_reason_t *x)
{
    verify_reason_code_t code = x->code;
    for (size_t i = 0; i < sizeof shared_fixes / sizeof shared_fixes[0]; i++)
        if (shared_fixes[i].code == code)
            code = shared_fixes[i].fix_of;
    for (size_t i = 0; i < sizeof plain_fixes / sizeof plain_fixes[0]; i++) {
        const plain_fix_t *p = &plain_fixes[i];
        if (p->code != code)
            continue;
        plain_fix_text(t, p->text, f, x);
        return true;
    }
    return false;
}

/* The lasting fix for one reason, as an imperative sentence ending with a full stop. */
static void lasting(text_buf_t *t, const fix_facts_t *f, const results_reason_t *x)
{
    const char *dom = f->domain;
    if (parent_side(x) && x->code != VERIFY_REASON_PARENT_DS_DENIAL_INVALID) {
        text_printf(
            t,
            "Nothing to change in the zone %s itself: the signature of %s over its DS fails (%s). "
            "Ask the registrar to have the operator of %s re-sign %s.",
            dom, f->parent, x->detail ? x->detail : "-", f->parent, f->parent);
        return;
    }
    switch (x->code) {
    case VERIFY_REASON_DS_NO_MATCHING_DNSKEY:
        text_printf(
            t, "Replace the DS of %s at the registrar: %s at %s matches none of the keys %s serves",
            dom, f->ds_now[0] ? f->ds_now : "the DS", f->parent, dom);
        if (f->keys[0])
            text_printf(t, " (%s)", f->keys);
        if (f->ds_new[0])
            text_printf(t, "; publish instead: %s.", f->ds_new);
        else
            text_printf(t, "; publish the DS of the zone's current KSK instead.");
        return;
    case VERIFY_REASON_DS_DIGEST_MISMATCH:
        text_printf(t, "Replace the DS of %s at the registrar (now %s at %s): ", dom,
                    f->ds_now[0] ? f->ds_now : "none", f->parent);
        if (x->detail)
            text_printf(t, "%s", x->detail);
        else
            text_printf(t, "%s has the key tag of a served key but a wrong digest", f->ds_now);
        if (!strstr(x->detail ? x->detail : "", "publish:") && f->ds_new[0])
            text_printf(t, "; publish instead: %s", f->ds_new);
        text_printf(t, ".");
        return;
    case VERIFY_REASON_DS_ZONE_UNSIGNED:
        text_printf(
            t,
            "Remove the DS of %s at the registrar (%s at %s): the servers of %s serve no DNSKEY, "
            "so DNSSEC was turned off at the DNS host while the DS stayed. Or turn signing back on "
            "at the DNS host and publish the DS of its new KSK.",
            dom, f->ds_now[0] ? f->ds_now : "every DS", f->parent, dom);
        return;
    case VERIFY_REASON_DS_KEY_NOT_SIGNING:
        if (f->ds_new[0]) {
            text_printf(
                t,
                "Replace the DS of %s at the registrar: %s points at a key that does not sign the "
                "DNSKEY RRset",
                dom, f->ds_now[0] ? f->ds_now : "the DS");
            evidence(t, x);
            text_printf(t, "; publish instead the DS of the KSK that does: %s.", f->ds_new);
        } else {
            text_printf(t, "Sign the DNSKEY RRset of %s with the key the DS points at", dom);
            end_sentence(t, x, NULL);
        }
        return;
    case VERIFY_REASON_RRSIG_MISSING:
        text_printf(t, "Re-sign %s and reload it", dom);
        on_server(t, f, x);
        text_printf(t, ": %s is served without RRSIG.", x->rrset ? x->rrset : "an RRset");
        return;
    case VERIFY_REASON_PARENT_DS_DENIAL_INVALID:
        text_printf(
            t,
            "Nothing to change in %s itself: %s answers about its DS without a valid signed "
            "proof",
            dom, f->parent);
        evidence(t, x);
        text_printf(t, ". Ask the registrar to have the operator of %s re-sign %s and reload it.",
                    f->parent, f->parent);
        return;
    case VERIFY_REASON_NS_UNREACHABLE:
    case VERIFY_REASON_NS_LAME: {
        char sv[LDNS_MAX_DOMAINLEN + 80];
        server_text(f->d, x->server, sv, sizeof sv);
        if (x->server)
            text_printf(
                t,
                "Make %s answer for %s again, or remove it from the NS records of %s at the "
                "registrar and in the zone",
                sv, dom, dom);
        else
            text_printf(t, "Give %s reachable name servers: publish their addresses and NS records",
                        dom);
        end_sentence(t, x, NULL);
        return;
    }
    case VERIFY_REASON_CAA_BOGUS:
        text_printf(t, "Re-sign %s and reload it so that its CAA answer validates", dom);
        on_server(t, f, x);
        text_printf(t, ": certificate authorities refuse to issue certificates for %s until then",
                    dom);
        end_sentence(t, x, NULL);
        return;
    case VERIFY_REASON_NOT_DELEGATED:
        text_printf(
            t,
            "Check the registration of %s with the registrar: %s says the name does not exist "
            "(expired, deleted or never registered); renew it and publish its NS records.",
            dom, f->parent);
        return;
    case VERIFY_REASON_PARENT_BOGUS:
    case VERIFY_REASON_DNSKEY_WITHOUT_DS:
        if (f->ds_new[0])
            text_printf(
                t,
                "Publish the DS of %s at the registrar: %s. Until then %s is signed but not "
                "protected.",
                dom, f->ds_new, dom);
        else
            text_printf(t, "Publish the DS of the KSK of %s at the registrar.", dom);
        return;
    case VERIFY_REASON_DS_DIGEST_DEPRECATED:
        text_printf(t, "Add a SHA-256 DS for %s at the registrar", dom);
        if (f->ds_new[0])
            text_printf(t, " (%s)", f->ds_new);
        text_printf(t, ", then remove the old one (%s).", f->ds_now[0] ? f->ds_now : "SHA-1");
        return;
    case VERIFY_REASON_PARENT_UNSIGNED:
        text_printf(
            t,
            "Nothing to change in %s: the zone above it (%s) is unsigned, so no chain of trust "
            "is possible; ask the registry to offer DNSSEC.",
            dom, f->parent);
        return;
    case VERIFY_REASON_CDS_DELETE:
        text_printf(t,
                    "Remove the DS of %s at the registrar (%s) as its CDS asks, or remove the CDS "
                    "delete record if DNSSEC should stay on.",
                    dom, f->ds_now[0] ? f->ds_now : "every DS");
        return;
    case VERIFY_REASON_DNSKEY_NO_ZONE_BIT:
    case VERIFY_REASON_DNSKEY_REVOKED:
    case VERIFY_REASON_DNSKEY_UNSIGNED:
    case VERIFY_REASON_RRSIG_EXPIRED:
    case VERIFY_REASON_RRSIG_NOT_YET_VALID:
    case VERIFY_REASON_RRSIG_INVALID:
    case VERIFY_REASON_RRSIG_UNKNOWN_KEY:
    case VERIFY_REASON_RRSIG_MALFORMED:
    case VERIFY_REASON_DENIAL_MISSING:
    case VERIFY_REASON_DENIAL_INVALID:
    case VERIFY_REASON_NS_INCONSISTENT:
    case VERIFY_REASON_DNSSEC_STRIPPED:
    case VERIFY_REASON_VALIDATION_LIMIT:
    case VERIFY_REASON_ALGORITHM_DEPRECATED:
    case VERIFY_REASON_ALGORITHM_UNSUPPORTED:
    case VERIFY_REASON_ALGORITHM_INCOMPLETE:
    case VERIFY_REASON_RRSIG_EXPIRES_SOON:
    case VERIFY_REASON_NSEC3_ITERATIONS:
    case VERIFY_REASON_NSEC3_SALT:
    case VERIFY_REASON_KEY_TOO_SMALL:
    case VERIFY_REASON_CDS_PENDING:
    case VERIFY_REASON_CDS_INVALID:
    case VERIFY_REASON_PARENT_UNREACHABLE:
    case VERIFY_REASON_DS_STALE:
        if (plain_fix(t, f, x))
            return;
        break;
    case VERIFY_REASON_COUNT:
        break;
    }
    text_printf(t, "%s.", verify_reason_fix(x->code));
}

static void key_tags(const verify_verdict_t *v, char *out, size_t len)
{
    text_buf_t t;
    text_init(&t, out, len);
    for (size_t i = 0; i < v->n_keys; i++)
        text_printf(&t, "%s%u", list_separator(i, v->n_keys), v->keys[i].key_tag);
    if (!v->n_keys)
        snprintf(out, len, "none");
}

/* The server whose data the others' verdict contradicts: servers that validate are the
 * reference; a server that fails, or serves other keys than the reference, is wrong. NULL when
 * no server validates (then there is no right copy to point at). */
static const scan_server_t *reference_server(const scan_domain_t *d)
{
    for (int want = VERIFY_STATUS_SECURE; want <= VERIFY_STATUS_INSECURE; want++)
        for (size_t i = 0; d && i < d->n_servers; i++)
            if (d->servers[i].verdict && d->servers[i].verdict->status == (verify_status_t)want)
                return &d->servers[i];
    return NULL;
}

static bool is_wrong(const scan_server_t *sv, const scan_server_t *ref)
{
    return sv->verdict && sv != ref &&
           (sv->verdict->status != ref->verdict->status ||
            !verify_verdict_same_keys(sv->verdict, ref->verdict));
}

/* Servers disagree: name the wrong one first and what it must serve (verdicts.md: not a
 * change at the registrar). Writes the server to check into at. */
static void inconsistent(text_buf_t *t, const fix_facts_t *f, const results_reason_t *x, char *at,
                         size_t at_len)
{
    const scan_domain_t *d = f->d;
    const scan_server_t *ref = reference_server(d);
    if (!ref) {
        lasting(t, f, x);
        server_at(d, first_server_addr(d), at, at_len);
        return;
    }
    char ref_text[LDNS_MAX_DOMAINLEN + 80], ref_tags[200];
    server_text(d, ref->addr_text, ref_text, sizeof ref_text);
    key_tags(ref->verdict, ref_tags, sizeof ref_tags);
    bool ref_secure = ref->verdict->status == VERIFY_STATUS_SECURE && f->ds_now[0];
    bool named = false;
    for (size_t i = 0; i < d->n_servers; i++) {
        const scan_server_t *sv = &d->servers[i];
        if (!is_wrong(sv, ref))
            continue;
        char sv_text[LDNS_MAX_DOMAINLEN + 80], tags[200];
        server_text(d, sv->addr_text, sv_text, sizeof sv_text);
        key_tags(sv->verdict, tags, sizeof tags);
        if (!named)
            server_at(d, sv->addr_text, at, at_len);
        text_printf(t, "%s%s serves %s wrongly", named ? " " : "Fix the server first: ", sv_text,
                    f->domain);
        if (!verify_verdict_same_keys(sv->verdict, ref->verdict))
            text_printf(t, ": DNSKEY %s, where %s serves DNSKEY %s%s%s%s%s", tags, ref_text,
                        ref_tags, ref_secure ? ", which " : "", ref_secure ? f->ds_now : "",
                        ref_secure ? " at " : "", ref_secure ? f->parent : "");
        if (!verify_verdict_same_keys(sv->verdict, ref->verdict) && ref_secure)
            text_printf(t, " matches");
        else if (sv->verdict->n_reasons)
            text_printf(t, ": %s (%s)", verify_reason_name(sv->verdict->reasons[0].code),
                        sv->verdict->reasons[0].detail);
        text_printf(t,
                    ". Make it serve the same signed zone as %s: resync it from the primary (zone "
                    "transfer) and reload it.",
                    ref_text);
        named = true;
    }
    if (!named) {
        lasting(t, f, x);
        server_at(d, first_server_addr(d), at, at_len);
        return;
    }
    if (f->ds_now[0])
        text_printf(t, " The DS at the registrar (%s at %s) is right: leave it.", f->ds_now,
                    f->parent);
    if (f->r->rec.status == VERIFY_STATUS_BOGUS) {
        char ttl[40];
        ttl_text(f->r->rec.parent.ds_ttl, ttl, sizeof ttl);
        text_printf(
            t,
            " Fastest way out, if it cannot be fixed now: stop that server, so that resolvers "
            "ask only %s (removing the DS at the registrar would end the outage too, but resolvers "
            "may keep the old DS for up to %s, its TTL at %s, and %s would be unprotected).",
            ref_text, ttl, f->parent, f->domain);
    }
}

static bool is_link(verify_reason_code_t code)
{
    static const verify_reason_code_t links[] = {
        VERIFY_REASON_DS_NO_MATCHING_DNSKEY, VERIFY_REASON_DS_DIGEST_MISMATCH,
        VERIFY_REASON_DS_KEY_NOT_SIGNING,    VERIFY_REASON_DNSKEY_UNSIGNED,
        VERIFY_REASON_RRSIG_MISSING,         VERIFY_REASON_RRSIG_EXPIRED,
        VERIFY_REASON_RRSIG_NOT_YET_VALID,   VERIFY_REASON_RRSIG_INVALID,
        VERIFY_REASON_RRSIG_UNKNOWN_KEY,     VERIFY_REASON_DNSKEY_NO_ZONE_BIT,
        VERIFY_REASON_DNSKEY_REVOKED,
    };
    for (size_t k = 0; k < sizeof links / sizeof links[0]; k++)
        if (links[k] == code)
            return true;
    return false;
}

/* The reason the fix leads with: servers that disagree first (the others' verdicts depend on
 * which server is right), else the first reason of the highest severity. */
static const results_reason_t *lead_reason(const scan_record_t *r)
{
    const results_reason_t *x = reason_with(r, VERIFY_REASON_NS_INCONSISTENT);
    if (x)
        return x;
    for (int pass = VERIFY_SEVERITY_ERROR; pass <= VERIFY_SEVERITY_INFO; pass++)
        for (size_t i = 0; i < r->rec.n_reasons; i++)
            if ((int)verify_reason_severity(r->reasons[i].code) == pass)
                return &r->reasons[i];
    return NULL;
}

void scan_fix_write(const scan_record_t *r, const scan_domain_t *d, const verify_verdict_t *first,
                    char *out, size_t len)
{
    if (len == 0)
        return;
    text_buf_t t;
    text_init(&t, out, len);
    const results_reason_t *lead = lead_reason(r);
    if (!lead)
        return;
    fix_facts_t f;
    facts_init(&f, r, d, first);
    const char *dom = f.domain;
    bool bogus = r->rec.status == VERIFY_STATUS_BOGUS;
    bool has_ds = r->rec.parent.n_ds > 0;
    bool ds_fix = false; /* the text tells to change the DS */
    char at[LDNS_MAX_DOMAINLEN + 2] = "";
    if (lead->server)
        server_at(d, lead->server, at, sizeof at);
    if (lead->code == VERIFY_REASON_NS_INCONSISTENT) {
        inconsistent(&t, &f, lead, at, sizeof at);
    } else if (bogus && parent_side(lead)) {
        if (has_ds) {
            text_printf(
                &t,
                "Fastest way out: remove the DS of %s at the registrar (%s at %s); resolvers "
                "then treat %s as unsigned until %s is fixed. Lasting fix: ",
                dom, f.ds_now, f.parent, dom, f.parent);
            ds_fix = true;
        }
        lasting(&t, &f, lead);
    } else if (bogus && ds_change(&f, lead->code)) {
        lasting(&t, &f, lead);
        text_printf(&t, " This is also the fastest way out of the outage.");
        ds_fix = true;
    } else if (bogus && has_ds) {
        text_printf(
            &t,
            "Fastest way out, if this cannot be done at once: remove the DS of %s at the "
            "registrar (%s at %s); resolvers then treat %s as unsigned and resolve it again "
            "(publish the DS again once the zone validates). Lasting fix: ",
            dom, f.ds_now, f.parent, dom);
        lasting(&t, &f, lead);
        ds_fix = true;
    } else {
        lasting(&t, &f, lead);
        ds_fix = has_ds && (lead->code == VERIFY_REASON_DS_STALE ||
                            lead->code == VERIFY_REASON_DS_DIGEST_DEPRECATED ||
                            lead->code == VERIFY_REASON_CDS_DELETE ||
                            lead->code == VERIFY_REASON_CDS_PENDING);
    }
    /* verdicts.md: every broken link is named, so that mending one does not leave the next. */
    bool said[VERIFY_REASON_COUNT] = {false};
    said[lead->code] = true;
    for (size_t i = 0; bogus && i < r->rec.n_reasons; i++) {
        const results_reason_t *x = &r->reasons[i];
        if (!is_link(x->code) || said[x->code] || parent_side(x) ||
            lead->code == VERIFY_REASON_NS_INCONSISTENT)
            continue;
        said[x->code] = true;
        text_printf(&t, " Also: ");
        lasting(&t, &f, x);
    }
    if (ds_fix && has_ds) {
        char ttl[40];
        ttl_text(r->rec.parent.ds_ttl, ttl, sizeof ttl);
        text_printf(
            &t,
            " After a change of the DS, resolvers may keep the old DS for up to %s (its TTL "
            "at %s).",
            ttl, f.parent);
    }
    if (at[0])
        text_printf(&t, " Check: dig +dnssec +cd %s %s @%s", dom,
                    lead->code == VERIFY_REASON_NS_INCONSISTENT ? "DNSKEY" : "SOA", at);
    else
        text_printf(&t, " Check: delv %s SOA", dom);
}
