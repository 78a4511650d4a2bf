/*
 * Our zone-file reader (scanner/zonefile*.c) against Knot's libzscanner on the same generated
 * parent zone, doing the same work: every record parsed, grouped into delegations (an owner
 * below the apex with NS; its NS, DS, NSEC, the RRSIGs over DS and NSEC, and the A/AAAA at or
 * below it kept), NSEC3 skipped, names folded to lower case, the child's name handed out as
 * text. Both digests of the delegations (names and record counts) must agree.
 *   bench_zonefile_parsers [-n DELEGATIONS] [-r ROUNDS]   (default 1,000,000 and 5)
 * Rounds alternate which parser runs first; the medians are printed. libzscanner runs three
 * ways: on the mapped file (zs_set_input_file), with a callback that only counts (the floor of
 * its cost), and fed by 1 MiB blocks read with zlib and cut between records, which is what gzip
 * or stdin input would need (it takes the end of every block for the end of the zone). The
 * delegations' names, record counts and first lines must agree. With -n 10 or less, every
 * delegation is printed. Then small zones with $INCLUDE, $GENERATE and an include loop show
 * what each parser makes of them. Release build only.
 */
#include "tests/unit/zonefile_gen.h"
#include "scanner/zonefile.h"

#include <libzscanner/scanner.h>
#include <libzscanner/version.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>
#include <unistd.h>

#define ROUNDS_MAX 64
/* Events printed per parser in the $INCLUDE / $GENERATE cases. */
#define SHOWN_MAX 6

typedef struct outcome {
    uint64_t records, delegations, bad;
    uint64_t digest; /* FNV-1a over each delegation's child name and record count */
    uint64_t lines;  /* FNV-1a over each delegation's first line */
    double seconds;
} outcome_t;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static uint64_t digest_delegation(uint64_t h, const char *child, uint64_t n_rrs)
{
    h = fnv(h, child, strlen(child));
    return fnv(h, &n_rrs, sizeof n_rrs);
}

#define FNV_BASIS 14695981039346656037ULL

/* ---- ours ---- */

static int run_ours(const char *path, bool print_names, outcome_t *o)
{
    *o = (outcome_t){.digest = FNV_BASIS, .lines = FNV_BASIS};
    scanner_zonefile_t *zf = NULL;
    if (scanner_zonefile_open(path, NULL, &zf) != 0)
        return -1;
    double t0 = now_s();
    scanner_zonefile_delegation_t dg;
    int rc, shown = 0;
    while ((rc = scanner_zonefile_next(zf, &dg)) > 0) {
        bool show = print_names && shown++ < SHOWN_MAX;
        if (rc == ZONEFILE_DELEGATION) {
            o->digest = digest_delegation(o->digest, dg.child, dg.n_rrs);
            o->lines = fnv(o->lines, &dg.line, sizeof dg.line);
            if (show)
                printf("    delegation %s, line %llu (%zu records)\n", dg.child,
                       (unsigned long long)dg.line, dg.n_rrs);
        } else if (show) {
            printf("    line %llu: %s\n", (unsigned long long)scanner_zonefile_error_line(zf),
                   scanner_zonefile_error(zf));
        }
    }
    o->seconds = now_s() - t0;
    const scanner_zonefile_stats_t *st = scanner_zonefile_stats(zf);
    o->records = st->records;
    o->delegations = st->delegations;
    o->bad = st->bad;
    if (print_names)
        printf("    in all: %llu delegations, %llu errors\n", (unsigned long long)o->delegations,
               (unsigned long long)o->bad);
    scanner_zonefile_free(zf);
    return rc;
}

/* ---- libzscanner: the same grouping in its record callback ---- */

typedef struct zs_group {
    uint8_t apex[ZS_MAX_DNAME_LENGTH + 1];
    size_t apex_len;
    bool apex_known;
    uint8_t owner[ZS_MAX_DNAME_LENGTH + 1];
    size_t owner_len;
    bool active, deleg, at_apex;
    uint64_t n_rrs, line;
    uint8_t *store;
    size_t store_len, store_cap;
    bool print_names;
    int shown;
    outcome_t *o;
} zs_group_t;

static void wire_fold(uint8_t *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (name[i] >= 'A' && name[i] <= 'Z')
            name[i] = (uint8_t)(name[i] + 32);
}

/* name strictly below parent, both uncompressed wire names folded to lower case. */
static bool wire_below(const uint8_t *name, size_t len, const uint8_t *parent, size_t parent_len)
{
    for (size_t pos = 0; pos < len && name[pos] != 0; pos += (size_t)name[pos] + 1) {
        size_t rest = len - pos - name[pos] - 1;
        if (rest == parent_len && memcmp(name + len - rest, parent, parent_len) == 0)
            return true;
    }
    return false;
}

static void wire_to_text(const uint8_t *name, char *out, size_t out_len)
{
    size_t w = 0;
    for (size_t pos = 0; name[pos] != 0 && w + name[pos] + 2 < out_len; pos += name[pos] + 1) {
        memcpy(out + w, name + pos + 1, name[pos]);
        w += name[pos];
        out[w++] = '.';
    }
    if (w == 0)
        out[w++] = '.';
    out[w] = '\0';
}

static void zs_emit(zs_group_t *g)
{
    char child[4 * ZS_MAX_DNAME_LENGTH + 2];
    wire_to_text(g->owner, child, sizeof child);
    g->o->digest = digest_delegation(g->o->digest, child, g->n_rrs);
    g->o->lines = fnv(g->o->lines, &g->line, sizeof g->line);
    g->o->delegations++;
    if (g->print_names && g->shown++ < SHOWN_MAX)
        printf("    delegation %s, line %llu (%llu records)\n", child, (unsigned long long)g->line,
               (unsigned long long)g->n_rrs);
    g->active = false;
}

static void zs_keep(zs_group_t *g, const zs_scanner_t *s, const uint8_t *owner, size_t owner_len)
{
    size_t need = owner_len + s->r_data_length + 8;
    if (g->store_len + need > g->store_cap) {
        size_t cap = g->store_cap ? g->store_cap * 2 : 4096;
        while (cap < g->store_len + need)
            cap *= 2;
        uint8_t *grown = realloc(g->store, cap);
        if (!grown)
            abort(); /* a benchmark: no recovery worth writing */
        g->store = grown;
        g->store_cap = cap;
    }
    uint8_t *p = g->store + g->store_len;
    memcpy(p, &s->r_type, 2);
    memcpy(p + 2, &s->r_ttl, 4);
    p[6] = (uint8_t)owner_len;
    memcpy(p + 7, owner, owner_len);
    memcpy(p + 7 + owner_len, s->r_data, s->r_data_length);
    g->store_len += 7 + owner_len + s->r_data_length;
    g->n_rrs++;
    if (s->r_type == 2)
        g->deleg = true;
}

static uint16_t rrsig_covered(const zs_scanner_t *s)
{
    return s->r_data_length >= 2 ? (uint16_t)(s->r_data[0] << 8 | s->r_data[1]) : 0;
}

static bool delegation_type(uint16_t type, uint16_t covered)
{
    /* NS 2, DS 43, NSEC 47, RRSIG 46 over DS or NSEC, A 1, AAAA 28 */
    return type == 2 || type == 43 || type == 47 || type == 1 || type == 28 ||
           (type == 46 && (covered == 43 || covered == 47));
}

static void zs_record(zs_scanner_t *s)
{
    zs_group_t *g = s->process.data;
    g->o->records++;
    uint8_t owner[ZS_MAX_DNAME_LENGTH + 1];
    size_t len = s->r_owner_length;
    memcpy(owner, s->r_owner, len);
    wire_fold(owner, len);
    if (!g->apex_known) {
        /* the first record's owner when it is an SOA, else the origin in effect */
        const uint8_t *apex = s->r_type == 6 ? owner : s->zone_origin;
        g->apex_len = s->r_type == 6 ? len : s->zone_origin_length;
        memcpy(g->apex, apex, g->apex_len);
        wire_fold(g->apex, g->apex_len);
        g->apex_known = true;
    }
    bool at_apex = len == g->apex_len && memcmp(owner, g->apex, len) == 0;
    if (!at_apex && !wire_below(owner, len, g->apex, g->apex_len)) {
        g->o->bad++;
        return;
    }
    uint16_t covered = s->r_type == 46 ? rrsig_covered(s) : 0;
    if (s->r_type == 50 || covered == 50)
        return; /* NSEC3 chains belong to no delegation */
    bool keep = delegation_type(s->r_type, covered);
    bool addr = s->r_type == 1 || s->r_type == 28;
    if (g->active && len == g->owner_len && memcmp(owner, g->owner, len) == 0) {
        if (keep && !g->at_apex)
            zs_keep(g, s, owner, len);
        return;
    }
    if (g->active && g->deleg && wire_below(owner, len, g->owner, g->owner_len)) {
        if (addr)
            zs_keep(g, s, owner, len);
        return;
    }
    if (g->active && g->deleg)
        zs_emit(g);
    memcpy(g->owner, owner, len);
    g->owner_len = len;
    g->active = true;
    g->deleg = false;
    g->at_apex = at_apex;
    g->n_rrs = 0;
    g->line = s->line_counter; /* the record's newline is not counted yet */
    g->store_len = 0;
    if (keep && !at_apex)
        zs_keep(g, s, owner, len);
}

static void zs_error(zs_scanner_t *s)
{
    zs_group_t *g = s->process.data;
    g->o->bad++;
    if (g->print_names && g->shown++ < SHOWN_MAX)
        printf("    %s line %llu: %s\n", s->file.name ? s->file.name : "?",
               (unsigned long long)s->line_counter, zs_strerror(s->error.code));
}

static void zs_count_only(zs_scanner_t *s)
{
    zs_group_t *g = s->process.data;
    g->o->records++;
}

static int run_zscanner(const char *path, bool bare, bool print_names, outcome_t *o)
{
    *o = (outcome_t){.digest = FNV_BASIS, .lines = FNV_BASIS};
    zs_group_t g = {.o = o, .print_names = print_names};
    zs_scanner_t *s = malloc(sizeof *s); /* ~200 KB: its buffers are inline */
    if (!s)
        return -1;
    int rc = -1;
    double t0 = now_s();
    if (zs_init(s, ".", 1, 3600) != 0 || zs_set_input_file(s, path) != 0 ||
        zs_set_processing(s, bare ? zs_count_only : zs_record, zs_error, &g) != 0)
        goto done;
    zs_parse_all(s); /* -1 when any record was bad: counted by the error callback */
    if (s->error.fatal) {
        printf("    fatal: %s\n", zs_strerror(s->error.code));
        goto done;
    }
    if (g.active && g.deleg)
        zs_emit(&g);
    rc = 0;
done:
    if (print_names)
        printf("    in all: %llu delegations, %llu errors\n", (unsigned long long)o->delegations,
               (unsigned long long)o->bad);
    o->seconds = now_s() - t0;
    zs_deinit(s);
    free(s);
    free(g.store);
    return rc;
}

/* ---- libzscanner fed by blocks, as gzip or stdin input would need ---- */

/* libzscanner takes the end of every input block for the end of the zone, so a block must end
 * between records: just after a newline outside parentheses, quotes and comments. */
typedef struct cutter {
    int depth;
    bool quote, comment, escape;
    uint64_t newlines; /* in the bytes scanned so far */
} cutter_t;

/* Scans buf[from, len) on from the state in c; returns the end of the last complete record in
 * buf[0, len), or 0, and in *lines_to_cut the newlines in buf[0, cut). */
static size_t cut_point(cutter_t *c, const char *buf, size_t from, size_t len,
                        uint64_t *lines_to_cut)
{
    size_t cut = 0;
    for (size_t i = from; i < len; i++) {
        char ch = buf[i];
        if (c->escape) {
            c->escape = false;
        } else if (ch == '\\') {
            c->escape = !c->comment;
        } else if (ch == '\n') {
            c->comment = false;
            c->newlines++;
            if (c->depth == 0 && !c->quote) {
                cut = i + 1;
                *lines_to_cut = c->newlines;
            }
        } else if (c->comment) {
            continue;
        } else if (ch == '"') {
            c->quote = !c->quote;
        } else if (!c->quote && ch == ';') {
            c->comment = true;
        } else if (!c->quote && ch == '(') {
            c->depth++;
        } else if (!c->quote && ch == ')' && c->depth > 0) {
            c->depth--;
        }
    }
    return cut;
}

#define BLOCK_SIZE (1 << 20)

/* Parses buf[0, len) as one block, then sets libzscanner's line count to where the block ends
 * (it counts the newline it appends as the final block of every input). */
static int parse_block(zs_scanner_t *s, const char *buf, size_t len, uint64_t line_after)
{
    if (zs_set_input_string(s, buf, len) != 0)
        return -1;
    zs_parse_all(s); /* -1 once any record was bad: counted by the error callback */
    s->line_counter = line_after;
    return s->error.fatal ? -1 : 0;
}

static int run_zscanner_streamed(const char *path, bool print_names, outcome_t *o)
{
    *o = (outcome_t){.digest = FNV_BASIS, .lines = FNV_BASIS};
    zs_group_t g = {.o = o, .print_names = print_names};
    zs_scanner_t *s = malloc(sizeof *s);
    char *buf = malloc(BLOCK_SIZE);
    gzFile gz = gzopen(path, "rb");
    int rc = -1;
    double t0 = now_s();
    if (!s || !buf || !gz || zs_init(s, ".", 1, 3600) != 0)
        goto done;
    zs_set_processing(s, zs_record, zs_error, &g);
    cutter_t c = {0};
    size_t len = 0;
    uint64_t lines_done = 0;
    for (;;) {
        int n = gzread(gz, buf + len, (unsigned)(BLOCK_SIZE - len));
        if (n < 0)
            goto done;
        size_t from = len;
        len += (size_t)n;
        uint64_t lines_to_cut = 0;
        size_t cut = n == 0 ? len : cut_point(&c, buf, from, len, &lines_to_cut);
        if (n == 0)
            lines_to_cut = c.newlines;
        if (cut == 0 && len == BLOCK_SIZE)
            goto done; /* one record longer than a block: a real reader reports it */
        if (cut > 0) {
            if (parse_block(s, buf, cut, 1 + lines_done + lines_to_cut) != 0)
                goto done;
            lines_done += lines_to_cut;
            c.newlines -= lines_to_cut;
            memmove(buf, buf + cut, len - cut);
            len -= cut;
        }
        if (n == 0)
            break;
    }
    if (g.active && g.deleg)
        zs_emit(&g);
    rc = 0;
done:
    o->seconds = now_s() - t0;
    if (gz)
        gzclose(gz);
    if (s)
        zs_deinit(s);
    free(s);
    free(buf);
    free(g.store);
    return rc;
}

/* ---- rounds ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void print_row(const char *who, double *rates, int n, const outcome_t *o)
{
    double lo = rates[0], hi = rates[0];
    for (int i = 1; i < n; i++) {
        lo = rates[i] < lo ? rates[i] : lo;
        hi = rates[i] > hi ? rates[i] : hi;
    }
    printf("%-31s %6.2f M records/s (min %.2f, max %.2f)  %llu records, %llu delegations, "
           "%llu bad, digest %016llx\n",
           who, median(rates, n) / 1e6, lo / 1e6, hi / 1e6, (unsigned long long)o->records,
           (unsigned long long)o->delegations, (unsigned long long)o->bad,
           (unsigned long long)o->digest);
}

static int bench(const char *path, int rounds)
{
    double ours[ROUNDS_MAX], zs[ROUNDS_MAX], bare[ROUNDS_MAX], streamed[ROUNDS_MAX];
    outcome_t o_ours = {0}, o_zs = {0}, o_bare = {0}, o_streamed = {0};
    for (int r = 0; r < rounds; r++) {
        bool ours_first = r % 2 == 0;
        if (ours_first && run_ours(path, false, &o_ours) < 0)
            return 1;
        if (run_zscanner(path, false, false, &o_zs) != 0)
            return 1;
        if (!ours_first && run_ours(path, false, &o_ours) < 0)
            return 1;
        if (run_zscanner(path, true, false, &o_bare) != 0 ||
            run_zscanner_streamed(path, false, &o_streamed) != 0)
            return 1;
        ours[r] = (double)o_ours.records / o_ours.seconds;
        zs[r] = (double)o_zs.records / o_zs.seconds;
        bare[r] = (double)o_bare.records / o_bare.seconds;
        streamed[r] = (double)o_streamed.records / o_streamed.seconds;
        printf("round %d: ours %.2f, libzscanner %.2f, counting only %.2f, by blocks %.2f M/s\n",
               r + 1, ours[r] / 1e6, zs[r] / 1e6, bare[r] / 1e6, streamed[r] / 1e6);
        fflush(stdout);
    }
    print_row("ours (scanner/zonefile.c)", ours, rounds, &o_ours);
    print_row("libzscanner, same grouping", zs, rounds, &o_zs);
    print_row("libzscanner, counting only", bare, rounds, &o_bare);
    print_row("libzscanner by blocks (gzread)", streamed, rounds, &o_streamed);
    bool same = o_ours.records == o_zs.records && o_ours.delegations == o_zs.delegations &&
                o_ours.digest == o_zs.digest && o_ours.digest == o_streamed.digest &&
                o_ours.records == o_streamed.records;
    printf("same delegations from all three: %s; same first lines: %s\n", same ? "yes" : "NO",
           o_ours.lines == o_zs.lines && o_ours.lines == o_streamed.lines ? "yes" : "NO");
    return same ? 0 : 1;
}

/* ---- $INCLUDE and $GENERATE ---- */

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Writes text to dir/name and shows what each parser makes of it. */
static void directive_case(const char *dir, const char *what, const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (write_file(path, text) != 0)
        return;
    outcome_t o;
    printf("\n%s\n  ours:\n", what);
    run_ours(path, true, &o);
    printf("  libzscanner:\n");
    run_zscanner(path, false, true, &o);
    printf("  libzscanner by blocks (relative $INCLUDE from the current directory):\n");
    run_zscanner_streamed(path, true, &o);
    fflush(stdout);
}

static void directives(void)
{
    char dir[] = "/tmp/dnssweep-bench-directives-XXXXXX";
    if (!mkdtemp(dir))
        return;
    char part[160];
    snprintf(part, sizeof part, "%s/part.zone", dir);
    write_file(part, "inc NS ns1.example.net.\n");
    const char *head = "$ORIGIN demo.\n$TTL 3600\n"
                       "@ SOA a.nic.demo. h.nic.demo. 1 7200 3600 1209600 3600\n"
                       "@ NS a.nic.demo.\n";
    char text[512];
    snprintf(text, sizeof text, "%s$INCLUDE part.zone\nz NS ns1.example.net.\n", head);
    directive_case(dir, "$INCLUDE part.zone (inc) before z: 2 delegations expected", "inc.zone",
                   text);
    snprintf(text, sizeof text, "%s$GENERATE 1-3 g$ NS ns1.example.net.\nz NS ns1.example.net.\n",
             head);
    directive_case(dir, "$GENERATE 1-3 (g1..g3) before z: 4 delegations expected", "gen.zone",
                   text);
    /* libzscanner follows an $INCLUDE loop while it can open files (each level keeps its file
     * and a ~200 KB scanner): bounded here by a soft limit of 64 descriptors. */
    snprintf(text, sizeof text, "%sa NS ns1.example.net.\n$INCLUDE loop.zone\n", head);
    struct rlimit was;
    getrlimit(RLIMIT_NOFILE, &was);
    struct rlimit low = {.rlim_cur = 64, .rlim_max = was.rlim_max};
    setrlimit(RLIMIT_NOFILE, &low);
    directive_case(dir, "loop.zone includes itself (open files limited to 64 here)", "loop.zone",
                   text);
    setrlimit(RLIMIT_NOFILE, &was);
    const char *names[] = {"part.zone", "inc.zone", "gen.zone", "loop.zone"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(int argc, char **argv)
{
    unsigned long n = 1000000;
    int rounds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            n = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "-r") == 0)
            rounds = atoi(argv[i + 1]);
    }
    if (rounds < 1 || rounds > ROUNDS_MAX || n == 0) {
        fprintf(stderr, "usage: bench_zonefile_parsers [-n DELEGATIONS] [-r ROUNDS (1-%d)]\n",
                ROUNDS_MAX);
        return 2;
    }
    char path[256];
    snprintf(path, sizeof path, "/tmp/dnssweep-bench-parsers-%d.zone", (int)getpid());
    if (zonefile_gen(path, n) < 0)
        return 1;
    struct stat st;
    stat(path, &st);
    printf("zone: %lu delegations, %.0f MB, %d rounds (libzscanner %d.%d.%d)\n", n,
           (double)st.st_size / 1e6, rounds, ZSCANNER_VERSION_MAJOR, ZSCANNER_VERSION_MINOR,
           ZSCANNER_VERSION_PATCH);
    if (n <= 10) {
        /* a small zone: what each parser hands out, delegation by delegation */
        outcome_t o;
        printf("ours:\n");
        run_ours(path, true, &o);
        printf("libzscanner:\n");
        run_zscanner(path, false, true, &o);
        printf("libzscanner by blocks:\n");
        run_zscanner_streamed(path, true, &o);
    }
    int rc = bench(path, rounds);
    unlink(path);
    directives();
    return rc;
}
