/* The zone-file reader: every syntax feature, grouping into delegations, glue, malformed records
 * with their line numbers, gzip, and the referral packet built from a delegation. */
#include "scanner/zonefile.h"
#include "tests/tap.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char *write_temp(const char *data, bool gz)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/dnssweep-zonefile-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    if (gz) {
        gzFile g = gzdopen(fd, "wb");
        if (!g || gzputs(g, data) < 0 || gzclose(g) != Z_OK)
            return NULL;
    } else {
        size_t len = strlen(data);
        if (write(fd, data, len) != (ssize_t)len)
            return NULL;
        close(fd);
    }
    return path;
}

/* Everything the reader says about the file at path, one line per event. */
static char *transcript_of(const char *path, const char *origin, int *final_rc)
{
    static char out[16384];
    out[0] = '\0';
    scanner_zonefile_t *zf = NULL;
    *final_rc = scanner_zonefile_open(path, origin, &zf);
    if (*final_rc != 0)
        return out;
    size_t len = 0;
    for (;;) {
        scanner_zonefile_delegation_t dg;
        int rc = scanner_zonefile_next(zf, &dg);
        if (rc == ZONEFILE_DELEGATION) {
            len += (size_t)snprintf(out + len, sizeof out - len, "D %s@%llu ns=%zu ds=%zu\n",
                                    dg.child, (unsigned long long)dg.line, dg.n_ns, dg.n_ds);
            for (size_t i = 0; i < dg.n_rrs; i++) {
                const scanner_zonefile_rr_t *r = &dg.rrs[i];
                len += (size_t)snprintf(out + len, sizeof out - len, "  %s %u %s %s\n", r->owner,
                                        r->ttl, ldns_rr_descript(r->type)->_name, r->rdata);
            }
        } else if (rc == ZONEFILE_BAD) {
            len += (size_t)snprintf(out + len, sizeof out - len, "B %llu %s\n",
                                    (unsigned long long)scanner_zonefile_error_line(zf),
                                    scanner_zonefile_error(zf));
        } else {
            *final_rc = rc;
            if (rc < 0)
                len += (size_t)snprintf(out + len, sizeof out - len, "F %llu %s\n",
                                        (unsigned long long)scanner_zonefile_error_line(zf),
                                        scanner_zonefile_error(zf));
            break;
        }
    }
    scanner_zonefile_free(zf);
    return out;
}

static char *transcript(const char *data, bool gz, const char *origin, int *final_rc)
{
    char *path = write_temp(data, gz);
    char *out = transcript_of(path, origin, final_rc);
    unlink(path);
    return out;
}

static void syntax(void)
{
    static const char zone[] =
        "$ORIGIN Test.\n"                                        /* 1 */
        "$TTL 1h\n"                                              /* 2 */
        "@ IN SOA ns1 hostmaster ( 1 ; serial\n"                 /* 3 */
        "   7200 3600 1209600 300 )\n"                           /* 4 */
        "\tNS ns1.test.\n"                                       /* 5: blank owner */
        "ns1 A 192.0.2.1\n"                                      /* 6 */
        "; a comment line\n"                                     /* 7 */
        "\n"                                                     /* 8 */
        "Alpha 86400 IN NS ns1.alpha ; in-bailiwick, relative\n" /* 9 */
        "      IN 300 NS ns.other.example.\n"                    /* 10: class then TTL */
        "alpha DS 12345 13 2 ( 0123456789ABCDEF\n"               /* 11 */
        "   0123456789abcdef )\n"                                /* 12 */
        "alpha RRSIG DS 13 2 3600 20270101000000 20260101000000 4711 @ c2ln\n"      /* 13 */
        "ns1.alpha A 192.0.2.10\n"                                                  /* 14 */
        "ns1.alpha AAAA 2001:db8::10\n"                                             /* 15 */
        "deep.under.alpha TXT \"occluded ; not a comment\"\n"                       /* 16 */
        "beta NS ns.beta.test.\n"                                                   /* 17 */
        "beta NSEC gamma NS RRSIG NSEC\n"                                           /* 18 */
        "beta RRSIG NSEC 13 2 3600 20270101000000 20260101000000 4711 test. c2ln\n" /* 19 */
        "www A 192.0.2.80\n"                                                        /* 20 */
        "$ORIGIN sub.test.\n"                                                       /* 21 */
        "gamma 1d2h NS ns1.gamma\n"                                                 /* 22 */
        "ns1.gamma A 192.0.2.30\n";                                                 /* 23 */
    static const char want[] =
        "D alpha.test.@9 ns=2 ds=1\n"
        "  alpha.test. 86400 NS ns1.alpha.test.\n"
        "  alpha.test. 300 NS ns.other.example.\n"
        "  alpha.test. 3600 DS 12345 13 2 0123456789ABCDEF 0123456789abcdef\n"
        "  alpha.test. 3600 RRSIG DS 13 2 3600 20270101000000 20260101000000 4711 test. c2ln\n"
        "  ns1.alpha.test. 3600 A 192.0.2.10\n"
        "  ns1.alpha.test. 3600 AAAA 2001:db8::10\n"
        "D beta.test.@17 ns=1 ds=0\n"
        "  beta.test. 3600 NS ns.beta.test.\n"
        "  beta.test. 3600 NSEC gamma.test. NS RRSIG NSEC\n"
        "  beta.test. 3600 RRSIG NSEC 13 2 3600 20270101000000 20260101000000 4711 test. c2ln\n"
        "D gamma.sub.test.@22 ns=1 ds=0\n"
        "  gamma.sub.test. 93600 NS ns1.gamma.sub.test.\n"
        "  ns1.gamma.sub.test. 3600 A 192.0.2.30\n";
    int rc;
    for (int gz = 0; gz < 2; gz++) {
        is_str(transcript(zone, gz, NULL, &rc), want, "every syntax feature (%s)",
               gz ? "gzip" : "plain");
        is_int(rc, ZONEFILE_EOF, "ends cleanly (%s)", gz ? "gzip" : "plain");
    }
}

static void malformed(void)
{
    static const char zone[] = "test. 3600 IN SOA ns1.test. h.test. 1 2 3 4 5\n" /* 1 */
                               "a.test. NS\n"                                    /* 2: no rdata */
                               "a.test. 3600 IN NS ns1.a.test.\n"                /* 3 */
                               "a.test. BOGUSTYPE foo\n"                         /* 4 */
                               "a.test. DS 1 2 3 XYZ\n"                          /* 5 */
                               "ns1.a.test. A 300.1.1.1\n"                       /* 6 */
                               "ns1.a.test. AAAA 192.0.2.1\n"                    /* 7 */
                               "a.test. CH TXT x\n"                              /* 8 */
                               "other.example. NS ns.example.\n"   /* 9: outside the zone */
                               "b.test. 3x NS ns.b.test.\n"        /* 10: bad TTL */
                               "b..test. NS ns.b.test.\n"          /* 11: empty label */
                               "$GENERATE 1-3 g$ NS ns.g$.test.\n" /* 12 */
                               "c.test. NS ns.c.test. )\n"         /* 13: unbalanced ) */
                               "d.test. TXT \"unterminated\n"      /* 14 */
                               "e.test. NS ns1.e.test.\n"          /* 15: survives */
                               "f.test. NS ( ns1.f.test.\n"        /* 16: never closed */
                               "\n";
    static const char want[] = "B 2 NS needs one name\n"
                               "B 4 unknown type 'BOGUSTYPE'\n"
                               "B 5 DS digest is not hex: 'XYZ'\n"
                               "B 6 bad A address\n"
                               "B 7 bad AAAA address\n"
                               "B 8 class CH: only IN is read\n"
                               "B 9 owner other.example. is outside the zone\n"
                               "B 10 bad TTL '3x'\n"
                               "B 11 bad name 'b..test.' (empty label)\n"
                               "B 12 directive $GENERATE is not supported; the line is skipped\n"
                               "B 13 unbalanced ')'\n"
                               "B 14 unterminated quoted string\n"
                               /* malformed records do not end a delegation: e.test does */
                               "D a.test.@3 ns=1 ds=0\n"
                               "  a.test. 3600 NS ns1.a.test.\n"
                               "B 16 unbalanced '(': end of file inside the record\n"
                               "D e.test.@15 ns=1 ds=0\n"
                               "  e.test. 3600 NS ns1.e.test.\n";
    int rc;
    is_str(transcript(zone, false, NULL, &rc), want, "malformed records: reported with lines");
    is_int(rc, ZONEFILE_EOF, "and the reader goes on to the end");

    is_str(transcript("a.test. NS ns.a.test.\n", false, NULL, &rc),
           "F 1 cannot tell the zone's apex: the first record is not an SOA and there is no "
           "$ORIGIN\n",
           "no SOA and no origin: fatal, with the line");
    is_int(rc, -EINVAL, "... as -EINVAL");
    is_str(transcript("a NS ns.a.test.\n", false, "test.", &rc),
           "D a.test.@1 ns=1 ds=0\n  a.test. 0 NS ns.a.test.\n",
           "the caller's origin is the apex and resolves relative names");
    transcript("", false, "test", &rc);
    is_int(rc, -EINVAL, "a relative origin is refused");
    transcript("", false, NULL, &rc);
    is_int(rc, ZONEFILE_EOF, "an empty file has no delegations");
}

static void unsorted(void)
{
    /* a.test's records are split: the reader yields it twice (the scanner reports the second). */
    static const char zone[] = "test. 60 SOA ns. h. 1 2 3 4 5\n"
                               "a.test. 60 NS ns.x.\n"
                               "b.test. 60 NS ns.x.\n"
                               "a.test. 60 DS 1 13 2 00\n"
                               "test. 60 NS ns.x.\n";
    int rc;
    is_str(transcript(zone, false, NULL, &rc),
           "D a.test.@2 ns=1 ds=0\n  a.test. 60 NS ns.x.\n"
           "D b.test.@3 ns=1 ds=0\n  b.test. 60 NS ns.x.\n"
           "B 4 DS of a.test. without NS records next to it: a delegation's records must be "
           "contiguous (sort the file by owner, e.g. ldns-read-zone -z)\n",
           "non-contiguous records: the DS run is reported, the apex NS is no delegation");
}

static void nsec3_between(void)
{
    /* ldns-signzone writes the NSEC3 of a delegation between it and its glue. */
    static const char zone[] =
        "test. 60 SOA ns. h. 1 2 3 4 5\n"
        "a.test. 60 NS ns1.a.test.\n"
        "817atcccr6es3bgvrgg2jtp6ck0n0lh7.test. 300 NSEC3 1 0 0 - ajrcufuk3tvj3b0bhld0joa6tfene2gn "
        "NS DS RRSIG\n"
        "817atcccr6es3bgvrgg2jtp6ck0n0lh7.test. 300 RRSIG NSEC3 13 2 300 20261224162659 "
        "20261124152659 27943 test. c2ln\n"
        "ns1.a.test. 60 A 192.0.2.1\n"
        "b.test. 60 NS ns.x.\n";
    int rc;
    is_str(transcript(zone, false, NULL, &rc),
           "D a.test.@2 ns=1 ds=0\n  a.test. 60 NS ns1.a.test.\n  ns1.a.test. 60 A 192.0.2.1\n"
           "D b.test.@6 ns=1 ds=0\n  b.test. 60 NS ns.x.\n",
           "NSEC3 records between a delegation and its glue do not end it");
}

static void referral(void)
{
    static const char zone[] =
        "test. 60 SOA ns. h. 1 2 3 4 5\n"
        "a.test. 60 NS ns1.a.test.\n"
        "a.test. 60 NS ns.elsewhere.\n"
        "a.test. 60 DS 2371 13 2 "
        "4A3B7C1D2E3F405162738495A6B7C8D9EAFB0C1D2E3F405162738495A6B7C8D9\n"
        "a.test. 60 RRSIG DS 13 2 60 20270101000000 20260101000000 4711 test. "
        "c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl\n"
        "ns1.a.test. 60 A 192.0.2.1\n"
        "other.a.test. 60 A 192.0.2.99\n";
    char *path = write_temp(zone, false);
    scanner_zonefile_t *zf = NULL;
    is_int(scanner_zonefile_open(path, NULL, &zf), 0, "opens");
    unlink(path);
    scanner_zonefile_delegation_t dg;
    is_int(scanner_zonefile_next(zf, &dg), ZONEFILE_DELEGATION, "a delegation");
    ldns_pkt *pkt = NULL;
    bool ds_sig = false, nsec_sig = true;
    char err[200] = "";
    is_int(scanner_zonefile_referral(&dg, &pkt, &ds_sig, &nsec_sig, err, sizeof err), 0,
           "referral built (%s)", err);
    ok(ds_sig && !nsec_sig, "has a signed DS, no NSEC");
    is_int(ldns_rr_list_rr_count(ldns_pkt_authority(pkt)), 4, "authority: 2 NS + DS + RRSIG");
    is_int(ldns_rr_list_rr_count(ldns_pkt_additional(pkt)), 1,
           "additional: only the glue of an NS name");
    ldns_pkt_free(pkt);
    is_int(scanner_zonefile_next(zf, &dg), ZONEFILE_EOF, "the end");
    const scanner_zonefile_stats_t *st = scanner_zonefile_stats(zf);
    is_int(st->records, 7, "7 records");
    is_int(st->delegations, 1, "1 delegation");
    is_int(st->glue, 2, "2 addresses below the cut");
    is_str(scanner_zonefile_apex(zf), "test.", "apex from the SOA");
    scanner_zonefile_free(zf);
    scanner_zonefile_free(NULL);
    zf = NULL;
    is_int(scanner_zonefile_open("/nonexistent/dnssweep.zone", NULL, &zf), -ENOENT,
           "a missing file: -ENOENT");
    ok(zf == NULL, "... and no reader");
}

/* A gzip zone file cut off in transit is an error after the delegations read so far, never a
 * clean end that would make the missing delegations look absent from the zone. */
static void truncated_gzip(void)
{
    char zone[65536];
    size_t len =
        (size_t)snprintf(zone, sizeof zone, "test. 3600 IN SOA ns1.test. h.test. 1 2 3 4 5\n");
    for (int i = 0; i < 400 && len < sizeof zone - 200; i++)
        len +=
            (size_t)snprintf(zone + len, sizeof zone - len,
                             "d%d.test. 3600 NS ns%d.example.\nd%d.test. 3600 DS %d 13 2 %064x\n",
                             i, i, i, i, (unsigned)i * 2654435761u);
    char *path = write_temp(zone, true);
    ok(path != NULL, "gzip zone written");
    if (!path)
        return;
    off_t full = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        full = ftell(f);
        fclose(f);
    }
    ok(full > 64 && truncate(path, full / 2) == 0, "cut to half its %lld bytes", (long long)full);
    scanner_zonefile_t *zf = NULL;
    is_int(scanner_zonefile_open(path, NULL, &zf), 0, "the cut file opens");
    unlink(path);
    int rc = 0;
    unsigned delegations = 0;
    scanner_zonefile_delegation_t dg;
    while (zf && (rc = scanner_zonefile_next(zf, &dg)) > 0)
        delegations += rc == ZONEFILE_DELEGATION;
    ok(rc < 0, "the reader ends in an error, not ZONEFILE_EOF (rc %d)", rc);
    ok(delegations > 0 && delegations < 400, "after %u of 400 delegations", delegations);
    ok(zf && strstr(scanner_zonefile_error(zf), "truncated gzip data") != NULL, "error says: %s",
       zf ? scanner_zonefile_error(zf) : "(no reader)");
    scanner_zonefile_free(zf);
}

/* Writes text (gzip when the name ends in .gz) to dir/name. */
static void put_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    bool gz = strlen(name) > 3 && strcmp(name + strlen(name) - 3, ".gz") == 0;
    if (gz) {
        gzFile g = gzopen(path, "wb");
        ok(g && gzputs(g, text) >= 0 && gzclose(g) == Z_OK, "wrote %s", name);
    } else {
        FILE *f = fopen(path, "w");
        ok(f && fputs(text, f) >= 0 && fclose(f) == 0, "wrote %s", name);
    }
}

static void rm_tree(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
}

/* $INCLUDE: relative to the including file's directory, gzip too, with or without an origin
 * (the including file's origin comes back after it), errors naming the included file, loops
 * runaway nesting and devices refused. */
static void includes(void)
{
    char dir[] = "/tmp/dnssweep-zonefile-inc-XXXXXX";
    if (!mkdtemp(dir)) {
        ok(false, "temporary directory");
        return;
    }
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0700);
    put_file(dir, "main.zone",
             "$ORIGIN test.\n"                      /* 1 */
             "@ 60 SOA ns. h. 1 2 3 4 5\n"          /* 2 */
             "a 60 NS ns1.a\n"                      /* 3 */
             "$INCLUDE sub/part.zone\n"             /* 4: b.test. and c.test. */
             "z 60 NS ns.x.\n"                      /* 5: the origin is test. again */
             "$INCLUDE \"sub/part.zone\" o.test.\n" /* 6: b.o.test. and c.o.test. */
             "$INCLUDE main.zone\n"                 /* 7: itself */
             "$INCLUDE missing.zone\n"              /* 8 */
             "$INCLUDE /dev/zero\n"                 /* 9: would never end */
             "y 60 NS ns.x.\n");                    /* 10 */
    put_file(dir, "sub/part.zone",
             "b 60 NS ns1.b\n"            /* 1 */
             "$INCLUDE inner.zone.gz\n"); /* 2: next to part.zone */
    put_file(dir, "sub/inner.zone.gz",
             "c 60 NS ns.x.\n"           /* 1 */
             "c 60 NS\n"                 /* 2: malformed */
             "$INCLUDE ../main.zone\n"); /* 3: a loop through three files */
    char path[300];
    snprintf(path, sizeof path, "%s/main.zone", dir);
    char want[4096];
    snprintf(want, sizeof want,
             /* a delegation is handed out when the next owner is read, a bad record at once */
             "D a.test.@3 ns=1 ds=0\n  a.test. 60 NS ns1.a.test.\n"
             "D b.test.@1 ns=1 ds=0\n  b.test. 60 NS ns1.b.test.\n"
             "B 4 in %s/sub/inner.zone.gz line 2: NS needs one name\n"
             "B 4 in %s/sub/inner.zone.gz line 3: $INCLUDE %s/sub/../main.zone: the file is "
             "already being read (an include loop); the line is skipped\n"
             "D c.test.@1 ns=1 ds=0\n  c.test. 60 NS ns.x.\n"
             "D z.test.@5 ns=1 ds=0\n  z.test. 60 NS ns.x.\n"
             "D b.o.test.@1 ns=1 ds=0\n  b.o.test. 60 NS ns1.b.o.test.\n"
             "B 6 in %s/sub/inner.zone.gz line 2: NS needs one name\n"
             "B 6 in %s/sub/inner.zone.gz line 3: $INCLUDE %s/sub/../main.zone: the file is "
             "already being read (an include loop); the line is skipped\n"
             "B 7 $INCLUDE %s/main.zone: the file is already being read (an include loop); the "
             "line is skipped\n"
             "B 8 $INCLUDE %s/missing.zone: No such file or directory\n"
             "B 9 $INCLUDE /dev/zero: not a regular file; the line is skipped\n"
             "D c.o.test.@1 ns=1 ds=0\n  c.o.test. 60 NS ns.x.\n"
             "D y.test.@10 ns=1 ds=0\n  y.test. 60 NS ns.x.\n",
             dir, dir, dir, dir, dir, dir, dir, dir);
    int rc;
    is_str(transcript_of(path, NULL, &rc), want,
           "$INCLUDE: relative, gzip, origins, errors named by file, loops refused");
    is_int(rc, ZONEFILE_EOF, "ends cleanly");

    /* A chain n0 -> n1 -> ... -> n9: the ninth level is refused, the rest is read. */
    for (int i = 0; i < 10; i++) {
        char name[16], text[128];
        snprintf(name, sizeof name, "n%d", i);
        snprintf(text, sizeof text, "%s$INCLUDE n%d\nd%d 60 NS ns.x.\n",
                 i == 0 ? "$ORIGIN test.\n@ 60 SOA ns. h. 1 2 3 4 5\n" : "", i + 1, i);
        put_file(dir, name, text);
    }
    snprintf(path, sizeof path, "%s/n0", dir);
    const char *t = transcript_of(path, NULL, &rc);
    ok(strstr(t, "B 3 in ") && strstr(t, "/n8 line 1: $INCLUDE nested deeper than 8 files"),
       "nesting deeper than 8 files is refused, naming the file");
    int delegations = 0;
    for (const char *q = t; (q = strstr(q, "\nD d")) != NULL; q++)
        delegations++;
    is_int(delegations, 9, "the 9 files read give their 9 delegations");
    is_int(rc, ZONEFILE_EOF, "and the reader goes on to the end");
    rm_tree(dir);
}

int main(void)
{
    truncated_gzip();
    syntax();
    malformed();
    unsorted();
    nsec3_between();
    referral();
    includes();
    return tap_done();
}
