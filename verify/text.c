/*
 * Presentation text without allocation: names (RFC 1035 §5.1), RR types, hex digests and the
 * "owner/TYPE" labels of reasons. ldns_rdf2str costs a 64 KB buffer and one vsnprintf per
 * character; the scan formats names for every domain (cache keys, DS hints), so these write
 * into the caller's buffer instead. The text is byte for byte what ldns 1.8 prints
 * (tests/unit/test_verify_text.c compares them), except that owner/TYPE labels are folded to
 * lower case (the wire's 0x20 case is not the domain's).
 */
#include "verify/sig_internal.h"

#include <stdio.h>
#include <string.h>

/* Appends the n bytes of s to buf (capacity cap, used so far *used) as far as they fit,
 * snprintf-like: the text is cut, never overrun, and stays NUL-terminated; *used counts all. */
static void put(char *buf, size_t cap, size_t *used, const char *s, size_t n)
{
    if (*used + 1 < cap) {
        size_t room = cap - 1 - *used;
        memcpy(buf + *used, s, n < room ? n : room);
    }
    *used += n;
}

static void terminate(char *buf, size_t cap, size_t used)
{
    if (cap > 0)
        buf[used < cap ? used : cap - 1] = '\0';
}

/* One octet of a label as ldns escapes it: "\." for the five characters that are special in
 * zone files (RFC 1035 §5.1), "\DDD" for anything outside printable ASCII, else itself. */
static size_t octet_text(uint8_t c, char out[4])
{
    if (c == '.' || c == ';' || c == '(' || c == ')' || c == '\\') {
        out[0] = '\\';
        out[1] = (char)c;
        return 2;
    }
    if (c <= 0x20 || c >= 0x7f) {
        out[0] = '\\';
        out[1] = (char)('0' + c / 100);
        out[2] = (char)('0' + c / 10 % 10);
        out[3] = (char)('0' + c % 10);
        return 4;
    }
    out[0] = (char)c;
    return 1;
}

long verify_name_text(const uint8_t *wire, size_t len, char *buf, size_t buf_len)
{
    size_t used = 0, off = 0;
    terminate(buf, buf_len, 0);
    if (!wire || len == 0 || len > LDNS_MAX_DOMAINLEN)
        return -1;
    /* Check the whole name first: a malformed one must not leave half a text behind. */
    while (off < len && wire[off] != 0)
        off += (size_t)wire[off] + 1;
    if (off != len - 1)
        return -1; /* a label runs past the end, or bytes follow the root label */
    if (len == 1) {
        put(buf, buf_len, &used, ".", 1);
        terminate(buf, buf_len, used);
        return (long)used;
    }
    for (off = 0; wire[off] != 0; off += (size_t)wire[off] + 1) {
        for (size_t i = 1; i <= wire[off]; i++) {
            char esc[4];
            put(buf, buf_len, &used, esc, octet_text(wire[off + i], esc));
        }
        put(buf, buf_len, &used, ".", 1);
    }
    terminate(buf, buf_len, used);
    return (long)used;
}

long verify_hex_text(const uint8_t *data, size_t len, char *buf, size_t buf_len)
{
    static const char digits[] = "0123456789ABCDEF";
    size_t used = 0;
    for (size_t i = 0; i < len; i++) {
        char two[2] = {digits[data[i] >> 4], digits[data[i] & 0x0f]};
        put(buf, buf_len, &used, two, 2);
    }
    terminate(buf, buf_len, used);
    return (long)used;
}

size_t verify_sig_type_text(uint16_t type, char *buf, size_t len)
{
    /* The pseudo-types first, as ldns_rr_type2str: ldns has no descriptor for them. */
    const char *name = NULL;
    switch (type) {
    case LDNS_RR_TYPE_IXFR:
        name = "IXFR";
        break;
    case LDNS_RR_TYPE_AXFR:
        name = "AXFR";
        break;
    case LDNS_RR_TYPE_MAILA:
        name = "MAILA";
        break;
    case LDNS_RR_TYPE_MAILB:
        name = "MAILB";
        break;
    case LDNS_RR_TYPE_ANY:
        name = "ANY";
        break;
    default: {
        const ldns_rr_descriptor *d = ldns_rr_descript(type);
        name = d ? d->_name : NULL;
    }
    }
    if (name) {
        size_t used = 0;
        put(buf, len, &used, name, strlen(name));
        terminate(buf, len, used);
        return used;
    }
    int w = snprintf(buf, len, "TYPE%u", (unsigned)type);
    return w < 0 ? 0 : (size_t)w;
}

void verify_sig_rrset_name(const ldns_rdf *owner, uint16_t type, char *buf, size_t len)
{
    verify_sig_rrset_name_wire(owner ? ldns_rdf_data(owner) : NULL,
                               owner ? ldns_rdf_size(owner) : 0, type, buf, len);
}

void verify_sig_rrset_name_wire(const uint8_t *owner, size_t owner_len, uint16_t type, char *buf,
                                size_t len)
{
    char name[VERIFY_NAME_TEXT_LEN], tname[16];
    size_t used = 0;
    long nl = verify_name_text(owner, owner_len, name, sizeof name);
    if (nl < 0) {
        put(buf, len, &used, "?", 1);
    } else {
        if (nl > 1)
            nl--; /* "example.com/DNSKEY", the root stays "." */
        /* The owner as the zone's own name: a server echoes the random 0x20 case of the query
         * (RFC 4343: names compare case-insensitively), which must not leak into reasons. */
        for (long i = 0; i < nl && (size_t)i < sizeof name; i++)
            if (name[i] >= 'A' && name[i] <= 'Z')
                name[i] = (char)(name[i] - 'A' + 'a');
        put(buf, len, &used, name, (size_t)nl);
    }
    put(buf, len, &used, "/", 1);
    size_t tl = verify_sig_type_text(type, tname, sizeof tname);
    put(buf, len, &used, tname, tl < sizeof tname ? tl : sizeof tname - 1);
    terminate(buf, len, used);
}

void verify_sig_label_init(verify_sig_rrset_label_t *l, const ldns_rdf *owner, uint16_t type)
{
    l->owner = owner;
    l->type = type;
    l->text[0] = '\0';
}

const char *verify_sig_label_text(verify_sig_rrset_label_t *l)
{
    if (l->text[0] == '\0')
        verify_sig_rrset_name(l->owner, l->type, l->text, sizeof l->text);
    return l->text;
}
