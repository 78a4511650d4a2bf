/* Small shared pieces of the caches: name keys, waiter lists. */
#include "scanner/internal.h"

#include <ctype.h>
#include <stdlib.h>

void scan_name_text(const ldns_rdf *dname, char *buf, size_t len)
{
    /* Every domain looks names up here: no ldns_rdf2str (a malloc and a printf per octet). */
    if (!dname || verify_name_text(ldns_rdf_data(dname), ldns_rdf_size(dname), buf, len) < 0)
        snprintf(buf, len, "?");
    for (char *p = buf; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

void scan_waiter_add(scan_waiter_t **list, void (*cb)(void *), void *arg)
{
    scan_waiter_t *w = malloc(sizeof *w);
    if (!w)
        abort(); /* a lost waiter would hang the scan; out of memory here is fatal */
    w->cb = cb;
    w->arg = arg;
    w->next = *list;
    *list = w;
}

void scan_waiters_run(scan_waiter_t **list)
{
    scan_waiter_t *w = *list;
    *list = NULL;
    while (w) {
        scan_waiter_t *next = w->next;
        w->cb(w->arg);
        free(w);
        w = next;
    }
}

void scan_waiters_free(scan_waiter_t **list)
{
    scan_waiter_t *w = *list;
    *list = NULL;
    while (w) {
        scan_waiter_t *next = w->next;
        free(w);
        w = next;
    }
}
