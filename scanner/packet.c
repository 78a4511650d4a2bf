/* Reading referrals: the delegation point, glue, and the parent's DS RRset or its denial. */
#include "scanner/internal.h"

#include <arpa/inet.h>
#include <string.h>

ldns_rr_list *scan_pkt_rrs(const ldns_pkt *pkt, ldns_pkt_section sec, ldns_rr_type type,
                           const ldns_rdf *owner)
{
    ldns_rr_list *out = ldns_rr_list_new();
    const ldns_rr_list *list = NULL;
    switch (sec) {
    case LDNS_SECTION_ANSWER:
        list = ldns_pkt_answer(pkt);
        break;
    case LDNS_SECTION_AUTHORITY:
        list = ldns_pkt_authority(pkt);
        break;
    case LDNS_SECTION_ADDITIONAL:
        list = ldns_pkt_additional(pkt);
        break;
    default:
        return out;
    }
    for (size_t i = 0; list && i < ldns_rr_list_rr_count(list); i++) {
        ldns_rr *rr = ldns_rr_list_rr(list, i);
        if (ldns_rr_get_type(rr) != type)
            continue;
        if (owner && ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
            continue;
        ldns_rr_list_push_rr(out, rr);
    }
    return out;
}

const ldns_rdf *scan_pkt_referral_cut(const ldns_pkt *pkt)
{
    const ldns_rr_list *auth = ldns_pkt_authority(pkt);
    for (size_t i = 0; auth && i < ldns_rr_list_rr_count(auth); i++) {
        ldns_rr *rr = ldns_rr_list_rr(auth, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS)
            return ldns_rr_owner(rr);
    }
    return NULL;
}

size_t scan_addr_add(struct sockaddr_storage *list, size_t n, size_t max,
                     const struct sockaddr_storage *addr)
{
    size_t len =
        addr->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    for (size_t i = 0; i < n; i++)
        if (memcmp(&list[i], addr, len) == 0)
            return n;
    if (n < max)
        list[n++] = *addr;
    return n;
}

/* Fills out from an A or AAAA RR; returns 0 or -1. */
static int rr_to_addr(const ldns_rr *rr, uint16_t port, struct sockaddr_storage *out)
{
    const ldns_rdf *rd = ldns_rr_rdf(rr, 0);
    memset(out, 0, sizeof *out);
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    void *ip;
    size_t len;
    if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_A) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        ip = &v4->sin_addr;
        len = sizeof v4->sin_addr;
    } else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_AAAA) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        ip = &v6->sin6_addr;
        len = sizeof v6->sin6_addr;
    } else {
        return -1;
    }
    if (!rd || ldns_rdf_size(rd) != len) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    memcpy(ip, ldns_rdf_data(rd), len);
    return 0;
}

size_t scan_list_addrs(const ldns_rr_list *list, const ldns_rdf *name, uint16_t port, bool v4,
                       bool v6, struct sockaddr_storage *out, size_t n, size_t max)
{
    for (size_t i = 0; list && i < ldns_rr_list_rr_count(list); i++) {
        ldns_rr *rr = ldns_rr_list_rr(list, i);
        ldns_rr_type t = ldns_rr_get_type(rr);
        if ((t == LDNS_RR_TYPE_A && !v4) || (t == LDNS_RR_TYPE_AAAA && !v6))
            continue;
        if (name && ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
            continue;
        struct sockaddr_storage addr;
        if (rr_to_addr(rr, port, &addr) == 0)
            n = scan_addr_add(out, n, max, &addr);
    }
    return n;
}

size_t scan_pkt_glue(const ldns_pkt *pkt, const ldns_rdf *name, uint16_t port, bool v4, bool v6,
                     struct sockaddr_storage *out, size_t max)
{
    return scan_list_addrs(ldns_pkt_additional(pkt), name, port, v4, v6, out, 0, max);
}

size_t scan_pkt_answer_addrs(const ldns_pkt *pkt, const ldns_rdf *name, uint16_t port, bool v4,
                             bool v6, struct sockaddr_storage *out, size_t n, size_t max)
{
    return scan_list_addrs(ldns_pkt_answer(pkt), name, port, v4, v6, out, n, max);
}

void scan_addr_text(const struct sockaddr_storage *addr, char *buf, size_t len)
{
    if (addr->ss_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, buf, (socklen_t)len);
    else
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, buf, (socklen_t)len);
}

verify_parent_state_t scan_judge_parent(const verify_ctx_t *vctx, scan_zone_security_t security,
                                        const verify_keyset_t *keys, const ldns_pkt *referral,
                                        const ldns_rdf *child, int64_t now, verify_budget_t *budget,
                                        verify_delegation_result_t *out)
{
    memset(out, 0, sizeof *out);
    if (security == SCAN_ZONE_BOGUS)
        return out->state = VERIFY_PARENT_BOGUS;
    if (security == SCAN_ZONE_INSECURE || !keys)
        return out->state = VERIFY_PARENT_INSECURE;
    if (verify_delegation(vctx, keys, referral, child, now, budget, out) < 0) {
        out->state = VERIFY_PARENT_BOGUS;
        out->has_reason = true;
        out->reason = VERIFY_REASON_PARENT_DS_DENIAL_INVALID;
        snprintf(out->detail, sizeof out->detail, "the referral could not be judged (no memory)");
    }
    return out->state;
}

int scan_addr_cmp(const struct sockaddr_storage *x, const struct sockaddr_storage *y)
{
    if (x->ss_family != y->ss_family)
        return x->ss_family < y->ss_family ? -1 : 1;
    if (x->ss_family == AF_INET) {
        const struct sockaddr_in *p = (const struct sockaddr_in *)x;
        const struct sockaddr_in *q = (const struct sockaddr_in *)y;
        int c = memcmp(&p->sin_addr, &q->sin_addr, sizeof p->sin_addr);
        return c ? c : (int)ntohs(p->sin_port) - (int)ntohs(q->sin_port);
    }
    const struct sockaddr_in6 *p = (const struct sockaddr_in6 *)x;
    const struct sockaddr_in6 *q = (const struct sockaddr_in6 *)y;
    int c = memcmp(&p->sin6_addr, &q->sin6_addr, sizeof p->sin6_addr);
    return c ? c : (int)ntohs(p->sin6_port) - (int)ntohs(q->sin6_port);
}
