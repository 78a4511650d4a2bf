/*
 * verify/: private declarations shared between the module's files. Not installed, not for
 * other modules.
 */
#ifndef DNSSWEEP_VERIFY_INTERNAL_H
#define DNSSWEEP_VERIFY_INTERNAL_H

#include "verify/denial.h"
#include "verify/verify.h"

#include <openssl/evp.h>

/* ---- denial of existence (private; prefix verify_dn_) ---- */

/* A domain name in lower-case uncompressed wire form, with the offset of every label, so that
 * ancestors, label counts and canonical comparison need no allocation. */
typedef struct verify_dn_name {
    uint8_t wire[LDNS_MAX_DOMAINLEN + 1];
    uint8_t len;      /* bytes in wire, root label included */
    uint8_t labels;   /* labels, root excluded: "example." has 1 */
    uint8_t off[128]; /* off[i]: offset of label i counted from the left */
} verify_dn_name_t;

/* Same from a dname rdf. */
int verify_dn_name_from_rdf(verify_dn_name_t *out, const ldns_rdf *rdf);
/* RFC 4034 §6.1 order of two parsed names. */
int verify_dn_compare(const verify_dn_name_t *a, const verify_dn_name_t *b);
/* Number of rightmost labels a and b have in common. */
unsigned verify_dn_common_labels(const verify_dn_name_t *a, const verify_dn_name_t *b);
/* true when child equals parent or is below it. */
bool verify_dn_is_subdomain(const verify_dn_name_t *child, const verify_dn_name_t *parent);
/* *out = the ancestor of n made of its last keep labels (keep <= n->labels). */
void verify_dn_ancestor(const verify_dn_name_t *n, unsigned keep, verify_dn_name_t *out);
/* *out = "*." + n. Returns 0, or -1 when the result would be too long. */
int verify_dn_wildcard(const verify_dn_name_t *n, verify_dn_name_t *out);
/* Presentation form ("a.example.") into buf, truncated; returns buf. */
const char *verify_dn_to_str(const verify_dn_name_t *n, char *buf, size_t len);
/* Whether the RFC 4034 §4.1.2 type bitmap rdf holds type; NULL or malformed: false. */
bool verify_dn_bitmap_has(const ldns_rdf *bitmap, uint16_t type);
/* Text of an RR type for details ("A", "TYPE65534"); buf must hold 16 bytes. */
const char *verify_dn_type_str(uint16_t type, char *buf, size_t len);
/* printf into detail when detail is not NULL. */
void verify_dn_detail(char *detail, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Charges n NSEC3 SHA-1 rounds to both budgets (budget.c); false, charging nothing, when one
 * of them would be passed (its exceeded and what are then set). */
bool verify_dn_charge_hashes(verify_budget_t *budget, verify_budget_t *domain, unsigned n);
/* A per-call budget of the default per-server size, for a query without one. */
void verify_dn_budget_default(verify_budget_t *b);

/* Inputs of one proof, parsed once by verify_denial_check(). */
typedef struct verify_dn_ctx {
    const verify_denial_query_t *q;
    verify_dn_name_t zone;
    verify_dn_name_t qname;
} verify_dn_ctx_t;

/* The NSEC and NSEC3 halves of verify_denial_check(); wildcard_labels < 0 asks for q->kind,
 * otherwise for a wildcard answer expanded from "*." + the last wildcard_labels labels. */
verify_denial_result_t verify_dn_nsec_check(const verify_dn_ctx_t *c, int wildcard_labels,
                                            char *detail, size_t detail_len);
verify_denial_result_t verify_dn_nsec3_check(const verify_dn_ctx_t *c, int wildcard_labels,
                                             char *detail, size_t detail_len);

#endif
