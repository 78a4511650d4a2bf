/*
 * bench_io: fires N queries through the io/ engine at one server and reports answered
 * queries per second and CPU time per query (getrusage: user + system of this process).
 *
 *   bench_io -s 127.54.9.1 -p 5300 [-n 200000] [-w 20000] [-i 10000] [-u 16] [-f queryfile]
 *
 * -n queries in all; -w queries handed to the engine at once (a scanner keeps a window too);
 * -i engine max in flight; -u UDP sockets; -f "name type" lines (dnsperf format), cycled;
 * without -f the names are h<i % 10000>.test. A; -t timeout ms per try; -b max sends per loop
 * iteration; -T: TCP only; -R: raw answers (IO_FLAG_NO_PARSE: no ldns_wire2pkt); -D: DNSSEC OK
 * bit (EDNS0 DO, as the scanner and `dnsperf -D` ask).
 */
#include "io/io.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct bench {
    uv_loop_t *loop;
    io_engine_t *engine;
    struct sockaddr_storage server;
    char (*names)[256];
    uint16_t *types;
    size_t n_names;
    uint64_t total, submitted, completed, answered, errors;
    unsigned flags;
} bench_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void submit(bench_t *b);

static void done_cb(void *ctx, const io_result_t *r)
{
    bench_t *b = ctx;
    b->completed++;
    if (r->status == 0)
        b->answered++;
    else
        b->errors++;
    ldns_pkt_free(r->pkt);
    submit(b);
}

static void submit(bench_t *b)
{
    if (b->submitted >= b->total)
        return;
    size_t i = b->submitted % b->n_names;
    io_query_spec_t spec = {.servers = &b->server,
                            .n_servers = 1,
                            .qname_str = b->names[i],
                            .qtype = b->types[i],
                            .flags = b->flags,
                            .cb = done_cb,
                            .ctx = b};
    if (io_query(b->engine, &spec, NULL) == 0)
        b->submitted++;
}

static int load_names(bench_t *b, const char *file)
{
    size_t cap = 10000;
    b->names = calloc(cap, sizeof *b->names);
    b->types = calloc(cap, sizeof *b->types);
    if (b->names == NULL || b->types == NULL)
        return -1;
    if (file == NULL) {
        for (size_t i = 0; i < cap; i++) {
            snprintf(b->names[i], sizeof b->names[i], "h%zu.test.", i);
            b->types[i] = LDNS_RR_TYPE_A;
        }
        b->n_names = cap;
        return 0;
    }
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return -1;
    char line[512], name[256], type[32];
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "%255s %31s", name, type) != 2)
            continue;
        if (b->n_names == cap) {
            cap *= 2;
            b->names = realloc(b->names, cap * sizeof *b->names);
            b->types = realloc(b->types, cap * sizeof *b->types);
            if (b->names == NULL || b->types == NULL) {
                fclose(f);
                return -1;
            }
        }
        snprintf(b->names[b->n_names], sizeof b->names[0], "%s", name);
        ldns_rr_type t = ldns_get_rr_type_by_name(type);
        b->types[b->n_names++] = t ? (uint16_t)t : LDNS_RR_TYPE_A;
    }
    fclose(f);
    return b->n_names > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *addr = "127.54.9.1", *file = NULL;
    int port = 5300, opt;
    uint64_t n = 200000, window = 20000;
    io_config_t cfg;
    io_config_init(&cfg);
    bench_t b = {0};
    while ((opt = getopt(argc, argv, "s:p:n:w:i:u:f:t:b:TRD")) != -1) {
        switch (opt) {
        case 's':
            addr = optarg;
            break;
        case 'p':
            port = atoi(optarg);
            break;
        case 'n':
            n = strtoull(optarg, NULL, 10);
            break;
        case 'w':
            window = strtoull(optarg, NULL, 10);
            break;
        case 'i':
            cfg.max_in_flight = (uint32_t)atoi(optarg);
            break;
        case 'u':
            cfg.udp_sockets = (uint32_t)atoi(optarg);
            break;
        case 'f':
            file = optarg;
            break;
        case 't':
            cfg.timeout_ms = (uint32_t)atoi(optarg);
            break;
        case 'b':
            cfg.send_batch = (uint32_t)atoi(optarg);
            break;
        case 'T':
            b.flags |= IO_FLAG_TCP_ONLY;
            break;
        case 'R':
            b.flags |= IO_FLAG_NO_PARSE;
            break;
        case 'D':
            b.flags |= IO_FLAG_DO;
            break;
        default:
            fprintf(stderr,
                    "usage: %s -s ADDR -p PORT [-n N] [-w WINDOW] [-i INFLIGHT] "
                    "[-u SOCKETS] [-f QUERYFILE] [-t TIMEOUT_MS] [-b BATCH] [-T] [-R] [-D]\n",
                    argv[0]);
            return 2;
        }
    }
    memset(&b.server, 0, sizeof b.server);
    if (strchr(addr, ':') != NULL) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&b.server;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        inet_pton(AF_INET6, addr, &s6->sin6_addr);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&b.server;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, addr, &s4->sin_addr);
    }
    if (load_names(&b, file) != 0) {
        fprintf(stderr, "bench_io: cannot load query names\n");
        return 1;
    }
    uv_loop_t loop;
    uv_loop_init(&loop);
    b.loop = &loop;
    b.total = n;
    int rc = io_engine_new(&loop, &cfg, &b.engine);
    if (rc != 0) {
        fprintf(stderr, "bench_io: %s\n", io_strerror(rc));
        return 1;
    }
    double cpu0 = cpu_s(), t0 = now_s();
    for (uint64_t i = 0; i < window && i < n; i++)
        submit(&b);
    uv_run(&loop, UV_RUN_DEFAULT);
    double wall = now_s() - t0, cpu = cpu_s() - cpu0;
    io_stats_t st;
    io_stats_get(b.engine, &st);
    printf("bench_io: %llu queries, %llu answered, %llu failed, %.3f s wall, %.0f answered q/s\n",
           (unsigned long long)b.completed, (unsigned long long)b.answered,
           (unsigned long long)b.errors, wall, (double)b.answered / wall);
    printf("bench_io: CPU %.3f s = %.2f CPU-s per 100k queries = %.1f CPU-us per query\n", cpu,
           cpu * 100000.0 / (double)(b.completed ? b.completed : 1),
           cpu * 1e6 / (double)(b.completed ? b.completed : 1));
    printf("bench_io: sent %llu (retried %llu), dropped %llu, truncated %llu, tcp %llu\n",
           (unsigned long long)st.sent, (unsigned long long)st.retried,
           (unsigned long long)st.dropped, (unsigned long long)st.truncated,
           (unsigned long long)st.tcp_sent);
    io_engine_close(b.engine, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    free(b.names);
    free(b.types);
    return b.answered == b.completed ? 0 : 1;
}
