/* Private to scanner/: root hints and the trust anchor, from files or built in. */
#ifndef DNSSWEEP_SCANNER_ANCHOR_H
#define DNSSWEEP_SCANNER_ANCHOR_H

#include <ldns/ldns.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#define SCANNER_SYSTEM_ROOT_HINTS "/usr/share/dns/root.hints"
#define SCANNER_SYSTEM_TRUST_ANCHOR "/usr/share/dns/root.key"

/* Reads root hints (named.root format): returns 0 and a new RR list holding the root's NS
 * records and their A/AAAA glue (caller frees), or -1 with a message naming file and line.
 * path NULL = the system file when it exists, else the built-in list. */
int scanner_load_root_hints(const char *path, ldns_rr_list **out, char *error, size_t error_len);

/* Reads the root trust anchor: DS or DNSKEY records for "." in zone-file format (unbound's
 * root.key works). Returns 0 and a new RR list (caller frees), or -1 with a message.
 * path NULL = the system file when it exists, else the built-in DS records. */
int scanner_load_trust_anchor(const char *path, ldns_rr_list **out, char *error, size_t error_len);

/* The reader behind both loaders: every RR of a zone-format stream whose type is in keep[];
 * what names the source in messages. Returns 0 and a new non-empty RR list (caller frees), or
 * -1 with a message. fp stays the caller's. Used by the loaders and the fuzz harness. */
int scanner_anchor_read_fp(FILE *fp, const char *what, const ldns_rr_type *keep, size_t nkeep,
                           ldns_rr_list **out, char *error, size_t error_len);

#endif
