/* The input of a scan, a domain list or a zone file (zonefeed.c). Private to scanner/, included
 * only where used. */
#ifndef DNSSWEEP_SCANNER_FEED_H
#define DNSSWEEP_SCANNER_FEED_H

#include "scanner/internal.h"

/* zonefeed.c: the input of a scan, a domain list or a zone file (--zone-file). */
int scan_feed_open(scanner_t *s); /* 0 or -errno */
void scan_feed_close(scanner_t *s);
int scan_feed_next(scanner_t *s, scanner_input_item_t *item); /* as scanner_input_next() */
/* Gives the domain just read from a zone file its referral (no-op for a domain list). */
void scan_feed_attach(scanner_t *s, scan_domain_t *d);
/* Called when the domain's zone is ready: true when the zone file answered for the parent
 * (the domain goes on from there), false to ask the parent as usual. */
bool scan_file_delegation(scan_domain_t *d);

#endif
