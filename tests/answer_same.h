/*
 * Field-by-field comparison of two parsed answers, for the tests that check io_answer_parse()
 * against io_parse_answer() (ldns_wire2pkt()): header, EDNS, TSIG, and every RR of every
 * section with its owner, TTL, type, class, question flag and each rdf's type, size and bytes.
 */
#ifndef DNSSWEEP_TESTS_ANSWER_SAME_H
#define DNSSWEEP_TESTS_ANSWER_SAME_H

#include <ldns/ldns.h>
#include <stdbool.h>
#include <string.h>

static inline bool answer_same_rdf(const ldns_rdf *a, const ldns_rdf *b)
{
    if (!a || !b)
        return a == b;
    return ldns_rdf_get_type(a) == ldns_rdf_get_type(b) && ldns_rdf_size(a) == ldns_rdf_size(b) &&
           memcmp(ldns_rdf_data(a), ldns_rdf_data(b), ldns_rdf_size(a)) == 0;
}

static inline bool answer_same_rr(const ldns_rr *a, const ldns_rr *b)
{
    if (!a || !b)
        return a == b;
    if (!answer_same_rdf(ldns_rr_owner(a), ldns_rr_owner(b)) || ldns_rr_ttl(a) != ldns_rr_ttl(b) ||
        ldns_rr_get_type(a) != ldns_rr_get_type(b) ||
        ldns_rr_get_class(a) != ldns_rr_get_class(b) ||
        ldns_rr_is_question(a) != ldns_rr_is_question(b) ||
        ldns_rr_rd_count(a) != ldns_rr_rd_count(b))
        return false;
    for (size_t i = 0; i < ldns_rr_rd_count(a); i++)
        if (!answer_same_rdf(ldns_rr_rdf(a, i), ldns_rr_rdf(b, i)))
            return false;
    return true;
}

static inline bool answer_same_list(const ldns_rr_list *a, const ldns_rr_list *b)
{
    if (ldns_rr_list_rr_count(a) != ldns_rr_list_rr_count(b))
        return false;
    for (size_t i = 0; i < ldns_rr_list_rr_count(a); i++)
        if (!answer_same_rr(ldns_rr_list_rr(a, i), ldns_rr_list_rr(b, i)))
            return false;
    return true;
}

static inline bool answer_same(const ldns_pkt *a, const ldns_pkt *b)
{
    if (!a || !b)
        return a == b;
    return ldns_pkt_id(a) == ldns_pkt_id(b) && ldns_pkt_qr(a) == ldns_pkt_qr(b) &&
           ldns_pkt_get_opcode(a) == ldns_pkt_get_opcode(b) && ldns_pkt_aa(a) == ldns_pkt_aa(b) &&
           ldns_pkt_tc(a) == ldns_pkt_tc(b) && ldns_pkt_rd(a) == ldns_pkt_rd(b) &&
           ldns_pkt_ra(a) == ldns_pkt_ra(b) && ldns_pkt_ad(a) == ldns_pkt_ad(b) &&
           ldns_pkt_cd(a) == ldns_pkt_cd(b) && ldns_pkt_get_rcode(a) == ldns_pkt_get_rcode(b) &&
           ldns_pkt_qdcount(a) == ldns_pkt_qdcount(b) &&
           ldns_pkt_ancount(a) == ldns_pkt_ancount(b) &&
           ldns_pkt_nscount(a) == ldns_pkt_nscount(b) &&
           ldns_pkt_arcount(a) == ldns_pkt_arcount(b) && ldns_pkt_size(a) == ldns_pkt_size(b) &&
           ldns_pkt_edns(a) == ldns_pkt_edns(b) &&
           ldns_pkt_edns_udp_size(a) == ldns_pkt_edns_udp_size(b) &&
           ldns_pkt_edns_extended_rcode(a) == ldns_pkt_edns_extended_rcode(b) &&
           ldns_pkt_edns_version(a) == ldns_pkt_edns_version(b) &&
           ldns_pkt_edns_z(a) == ldns_pkt_edns_z(b) &&
           answer_same_rdf(ldns_pkt_edns_data(a), ldns_pkt_edns_data(b)) &&
           answer_same_rr(ldns_pkt_tsig(a), ldns_pkt_tsig(b)) &&
           answer_same_list(ldns_pkt_question(a), ldns_pkt_question(b)) &&
           answer_same_list(ldns_pkt_answer(a), ldns_pkt_answer(b)) &&
           answer_same_list(ldns_pkt_authority(a), ldns_pkt_authority(b)) &&
           answer_same_list(ldns_pkt_additional(a), ldns_pkt_additional(b));
}

#endif
