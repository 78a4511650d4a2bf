/*
 * The allocation-free text writers of verify/text.c against ldns itself: names must print
 * exactly as ldns_rdf2str prints them (escapes, the root, 255-octet names), hex digests as
 * ldns's hex upper-cased, RR types as ldns_rr_type2str, and "owner/TYPE" labels as the
 * ldns-based formatting they replace. Any difference would change reason details, fix hints
 * and JSON output.
 */
#include "tests/tap.h"
#include "verify/sig_internal.h"

#include <ctype.h>
#include <ldns/ldns.h>

/* ldns's text of a wire name ("(NULL)" when ldns refuses it). Caller frees. */
static char *ldns_text(const uint8_t *wire, size_t len)
{
    ldns_rdf *rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, len, wire);
    char *text = rdf ? ldns_rdf2str(rdf) : NULL;
    ldns_rdf_deep_free(rdf);
    return text ? text : strdup("(NULL)");
}

static char *mine_text(const uint8_t *wire, size_t len)
{
    char buf[VERIFY_NAME_TEXT_LEN];
    long n = verify_name_text(wire, len, buf, sizeof buf);
    if (n < 0)
        return strdup("(NULL)");
    if ((size_t)n != strlen(buf))
        return strdup("(length mismatch)");
    return strdup(buf);
}

/* Counts names whose two texts differ; prints the first few. */
static int compare(const uint8_t *wire, size_t len, int *shown)
{
    char *want = ldns_text(wire, len), *got = mine_text(wire, len);
    int differ = strcmp(want, got) != 0;
    if (differ && (*shown)++ < 5)
        printf("#   %zu-octet name: got '%s', ldns '%s'\n", len, got, want);
    free(want);
    free(got);
    return differ;
}

/* Wire of labels given as (length, bytes) pieces; returns its length. */
static size_t wire_of(uint8_t *out, const char *const *labels, const size_t *lens, size_t n)
{
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        out[off++] = (uint8_t)lens[i];
        memcpy(out + off, labels[i], lens[i]);
        off += lens[i];
    }
    out[off++] = 0;
    return off;
}

/* Deterministic pseudo-random bytes (no clock seeds in tests). */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* A random valid name of up to 255 octets; bytes biased towards the escaped ones. */
static size_t random_name(uint32_t *st, uint8_t *wire)
{
    static const uint8_t special[] = {'.', ';', '(', ')', '\\', '"', ' ', 0,    0x7f, 0x80, 0xff,
                                      '@', '$', '-', 'A', 'z',  '0', '*', 0x20, 0x21, 0x7e};
    size_t off = 0, limit = 1 + next_random(st) % 255;
    while (off + 2 < limit) {
        size_t room = limit - off - 2; /* the length byte and the root label */
        size_t l = 1 + next_random(st) % 63;
        if (l > room)
            l = room;
        if (l == 0)
            break;
        wire[off++] = (uint8_t)l;
        for (size_t i = 0; i < l; i++) {
            uint32_t r = next_random(st);
            wire[off++] = (r & 3) ? special[(r >> 2) % sizeof special] : (uint8_t)(r >> 4);
        }
    }
    wire[off++] = 0;
    return off;
}

static void test_octets(void)
{
    int bad = 0, shown = 0;
    for (int c = 0; c < 256; c++) {
        uint8_t wire[16];
        const char *alone[] = {(const char *)&(uint8_t){(uint8_t)c}, "example"};
        size_t alone_len[] = {1, 7};
        bad += compare(wire, wire_of(wire, alone, alone_len, 2), &shown);
        char mid[3] = {'a', (char)c, 'b'};
        const char *inside[] = {mid, "test"};
        size_t inside_len[] = {3, 4};
        bad += compare(wire, wire_of(wire, inside, inside_len, 2), &shown);
    }
    is_int(bad, 0, "every octet 0..255, alone and inside a label, prints as ldns prints it");
}

static void test_fixed_cases(void)
{
    char buf[VERIFY_NAME_TEXT_LEN];
    const uint8_t root[] = {0};
    is_int(verify_name_text(root, 1, buf, sizeof buf), 1, "the root name is one character");
    is_str(buf, ".", "the root name is \".\"");

    const uint8_t mixed[] = {3, 'W', 'w', 'W', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 0};
    verify_name_text(mixed, sizeof mixed, buf, sizeof buf);
    is_str(buf, "WwW.Example.", "letters keep their case, the text ends with the root's dot");

    /* One label "a.b\c"d(e)f;g h" NUL 0xff: RFC 1035 §5.1 escapes as ldns applies them. */
    const uint8_t odd[] = {16,  'a', '.', 'b', '\\', 'c',  '"', 'd', '(', 'e', ')',
                           'f', ';', 'g', ' ', 0,    0xff, 3,   'c', 'o', 'm', 0};
    verify_name_text(odd, sizeof odd, buf, sizeof buf);
    is_str(buf, "a\\.b\\\\c\"d\\(e\\)f\\;g\\032\\000\\255.com.",
           "dots, backslash, parentheses, semicolon, space, NUL and 0xff escaped; quote kept");
    char *want = ldns_text(odd, sizeof odd);
    is_str(buf, want, "... and that is ldns_rdf2str's text");
    free(want);
}

static void test_limits(void)
{
    int shown = 0;
    /* 255 octets: three 63-octet labels and one of 61, every octet escaped as \DDD. */
    uint8_t wire[300];
    size_t off = 0;
    for (int l = 0; l < 4; l++) {
        size_t n = l < 3 ? 63 : 61;
        wire[off++] = (uint8_t)n;
        for (size_t i = 0; i < n; i++)
            wire[off++] = (uint8_t)(0x80 + i);
    }
    wire[off++] = 0;
    is_int(off, 255, "the test name is 255 octets");
    char buf[VERIFY_NAME_TEXT_LEN];
    long n = verify_name_text(wire, off, buf, sizeof buf);
    is_int(n, 250 * 4 + 4, "a 255-octet name of escapes: 1004 characters");
    is_int(compare(wire, off, &shown), 0, "the 255-octet name prints as ldns prints it");

    /* 256 octets: ldns refuses it (LDNS_STATUS_DOMAINNAME_OVERFLOW) and so does the writer. */
    wire[off - 1] = 1;
    wire[off] = 'x';
    wire[off + 1] = 0;
    is_int(verify_name_text(wire, off + 2, buf, sizeof buf), -1, "a 257-octet name: -1");
    is_str(buf, "", "... and the buffer is empty");
    is_int(compare(wire, off + 2, &shown), 0, "ldns refuses it too");
}

static void test_malformed(void)
{
    char buf[64] = "junk";
    const uint8_t past_end[] = {5, 'a', 'b', 0};
    is_int(verify_name_text(past_end, sizeof past_end, buf, sizeof buf), -1,
           "a label running past the end: -1");
    is_str(buf, "", "... with an empty buffer");
    const uint8_t no_root[] = {1, 'a'};
    is_int(verify_name_text(no_root, sizeof no_root, buf, sizeof buf), -1, "no root label: -1");
    const uint8_t after_root[] = {1, 'a', 0, 1};
    is_int(verify_name_text(after_root, sizeof after_root, buf, sizeof buf), -1,
           "bytes after the root label: -1");
    is_int(verify_name_text(NULL, 0, buf, sizeof buf), -1, "no wire: -1");
    is_int(verify_name_text(after_root, 0, buf, sizeof buf), -1, "zero octets: -1");
}

static void test_truncation(void)
{
    const uint8_t wire[] = {3, 'a', '.', 'b', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
    const char *full = "a\\.b.example.";
    char small[6], want[6];
    long n = verify_name_text(wire, sizeof wire, small, sizeof small);
    snprintf(want, sizeof want, "%s", full);
    is_int(n, (long)strlen(full), "a cut text still returns the whole length, like snprintf");
    is_str(small, want, "the buffer holds what fits, NUL-terminated, like snprintf");
    char one[1] = {'x'};
    verify_name_text(wire, sizeof wire, one, sizeof one);
    is_int(one[0], 0, "a one-byte buffer gets only the NUL");
    is_int(verify_name_text(wire, sizeof wire, NULL, 0), (long)strlen(full),
           "a zero-length buffer is never written");
}

static void test_random_names(void)
{
    uint32_t st = 20261206;
    int bad = 0, shown = 0;
    for (int i = 0; i < 20000; i++) {
        uint8_t wire[LDNS_MAX_DOMAINLEN + 1];
        bad += compare(wire, random_name(&st, wire), &shown);
    }
    is_int(bad, 0, "20,000 pseudo-random names (escapes, 1..255 octets) print as ldns prints them");
}

static void test_hex(void)
{
    int bad = 0;
    uint32_t st = 7;
    for (size_t len = 1; len <= 70; len++) {
        uint8_t data[70];
        for (size_t i = 0; i < len; i++)
            data[i] = (uint8_t)next_random(&st);
        ldns_rdf *rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_HEX, len, data);
        char *want = ldns_rdf2str(rdf);
        for (char *p = want; p && *p; p++)
            *p = (char)toupper((unsigned char)*p);
        char got[2 * 70 + 1];
        long n = verify_hex_text(data, len, got, sizeof got);
        if (!want || strcmp(want, got) != 0 || n != (long)(2 * len))
            bad++;
        free(want);
        ldns_rdf_deep_free(rdf);
    }
    is_int(bad, 0, "hex of 1..70 bytes is ldns's hex in upper case");
    char cut[5];
    const uint8_t d[] = {0xab, 0xcd, 0xef};
    is_int(verify_hex_text(d, sizeof d, cut, sizeof cut), 6, "cut hex returns the whole length");
    is_str(cut, "ABCD", "... and holds what fits");
}

static void test_types(void)
{
    int bad = 0, shown = 0;
    for (unsigned t = 0; t <= 0xffff; t++) {
        char *want = ldns_rr_type2str((ldns_rr_type)t);
        char got[16];
        size_t n = verify_sig_type_text((uint16_t)t, got, sizeof got);
        if (!want || strcmp(want, got) != 0 || n != strlen(got)) {
            if (shown++ < 5)
                printf("#   type %u: got '%s', ldns '%s'\n", t, got, want ? want : "(NULL)");
            bad++;
        }
        free(want);
    }
    is_int(bad, 0, "all 65,536 RR types are named as ldns_rr_type2str names them");
}

/* The formatting verify_sig_rrset_name replaced (ldns_rdf2str + ldns_rr_type2str + snprintf), on
 * the owner in lower case (ldns_dname2canonical): labels never show the wire's 0x20 case. */
static void old_rrset_name(const ldns_rdf *owner, uint16_t type, char *buf, size_t len)
{
    ldns_rdf *lower = owner ? ldns_rdf_clone(owner) : NULL;
    if (lower)
        ldns_dname2canonical(lower);
    char *name = lower ? ldns_rdf2str(lower) : NULL;
    ldns_rdf_deep_free(lower);
    char *tname = ldns_rr_type2str((ldns_rr_type)type);
    size_t nl = name ? strlen(name) : 0;
    if (nl > 1 && name[nl - 1] == '.')
        name[nl - 1] = '\0';
    snprintf(buf, len, "%s/%s", name ? name : "?", tname ? tname : "?");
    free(name);
    free(tname);
}

static void test_rrset_names(void)
{
    uint32_t st = 99;
    int bad = 0;
    const size_t sizes[] = {300, 200, 40, 8, 1};
    const uint16_t types[] = {LDNS_RR_TYPE_DNSKEY, LDNS_RR_TYPE_SOA, LDNS_RR_TYPE_NSEC3,
                              LDNS_RR_TYPE_CAA, 65280};
    for (int i = 0; i < 3000; i++) {
        uint8_t wire[LDNS_MAX_DOMAINLEN + 1];
        size_t len = i == 0 ? 1 : random_name(&st, wire);
        if (i == 0)
            wire[0] = 0; /* the root first: "./DNSKEY" */
        ldns_rdf *owner = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, len, wire);
        size_t cap = sizes[i % 5];
        uint16_t type = types[(i / 5) % 5];
        char want[300], got[300];
        old_rrset_name(owner, type, want, cap);
        verify_sig_rrset_name(owner, type, got, cap);
        if (strcmp(want, got) != 0) {
            if (bad < 5)
                printf("#   got '%s', before '%s'\n", got, want);
            bad++;
        }
        ldns_rdf_deep_free(owner);
    }
    is_int(bad, 0, "3,000 owner/TYPE labels (root, escapes, cut buffers) as before, lower case");

    ldns_rdf *zone = ldns_dname_new_frm_str("Example.COM.");
    char buf[300];
    verify_sig_rrset_name(zone, LDNS_RR_TYPE_DNSKEY, buf, sizeof buf);
    is_str(buf, "example.com/DNSKEY", "owner/TYPE without the trailing dot, in lower case");
    verify_sig_rrset_name(NULL, LDNS_RR_TYPE_A, buf, sizeof buf);
    is_str(buf, "?/A", "no owner: ?/A");

    verify_sig_rrset_label_t label;
    verify_sig_label_init(&label, zone, LDNS_RR_TYPE_DS);
    is_str(label.text, "", "a label is not formatted until asked for");
    is_str(verify_sig_label_text(&label), "example.com/DS",
           "verify_sig_label_text formats it on first use");
    is_str(verify_sig_label_text(&label), "example.com/DS", "... and keeps it");
    ldns_rdf_deep_free(zone);
}

int main(void)
{
    test_octets();
    test_fixed_cases();
    test_limits();
    test_malformed();
    test_truncation();
    test_random_names();
    test_hex();
    test_types();
    test_rrset_names();
    return tap_done();
}
