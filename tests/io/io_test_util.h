/*
 * Helpers shared by the io/ unit tests: start and stop helper processes (the scripted DNS
 * server, NSD), build addresses, and collect query results.
 */
#ifndef DNSSWEEP_TESTS_IO_UTIL_H
#define DNSSWEEP_TESTS_IO_UTIL_H

#include "io/io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double tu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void tu_addr(const char *ip, int port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (strchr(ip, ':') != NULL) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        inet_pton(AF_INET6, ip, &s6->sin6_addr);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, ip, &s4->sin_addr);
    }
}

static inline void tu_addr_str(const struct sockaddr *sa, char *out, size_t n)
{
    char ip[64] = "?";
    int port = 0;
    if (sa == NULL) {
        snprintf(out, n, "(none)");
        return;
    }
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const void *)sa;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        port = ntohs(s4->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const void *)sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        port = ntohs(s6->sin6_port);
    }
    snprintf(out, n, "%s#%d", ip, port);
}

/* Starts the scripted server (tests/io/fakedns.py) listening on the given addresses; returns
 * its pid (stop it with tu_stop) and its port in *port, or -1. */
static inline pid_t tu_fakedns_start(const char *const *listen, int n_listen, const char *force,
                                     int *port)
{
    const char *src = getenv("DNSSWEEP_SOURCE_DIR");
    char script[1024];
    snprintf(script, sizeof script, "%s/tests/io/fakedns.py", src ? src : ".");
    const char *argv[32];
    int a = 0;
    argv[a++] = "python3";
    argv[a++] = script;
    for (int i = 0; i < n_listen && a < 28; i++) {
        argv[a++] = "--listen";
        argv[a++] = listen[i];
    }
    if (force != NULL) {
        argv[a++] = "--force";
        argv[a++] = force;
    }
    argv[a] = NULL;
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* Stop with the test even when it dies without cleaning up (crash, alarm). */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp("python3", (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[128] = "";
    if (f == NULL || fgets(line, sizeof line, f) == NULL || sscanf(line, "PORT %d", port) != 1) {
        if (f)
            fclose(f);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return -1;
    }
    fclose(f);
    return pid;
}

/* Stops a helper process by pid and reaps it (SIGKILL after 3 s). */
static inline void tu_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 300; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* One query's outcome, filled by tu_cb. */
typedef struct tu_res {
    int calls;
    int status;
    int rcode;
    int ancount;
    bool tcp;
    int tries;
    uint32_t rtt_ms;
    char qname[256]; /* question name of the accepted answer, as received */
    char server[80];
    double at; /* when the callback ran */
} tu_res_t;

static inline void tu_cb(void *ctx, const io_result_t *r)
{
    tu_res_t *t = ctx;
    t->calls++;
    t->status = r->status;
    t->tcp = r->tcp;
    t->tries = r->tries;
    t->rtt_ms = r->rtt_ms;
    t->at = tu_now();
    tu_addr_str(r->server, t->server, sizeof t->server);
    t->rcode = -1;
    t->qname[0] = '\0';
    if (r->pkt != NULL) {
        t->rcode = (int)ldns_pkt_get_rcode(r->pkt);
        t->ancount = ldns_pkt_ancount(r->pkt);
        ldns_rr_list *qs = ldns_pkt_question(r->pkt);
        if (ldns_rr_list_rr_count(qs) == 1) {
            char *s = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(qs, 0)));
            if (s != NULL) {
                snprintf(t->qname, sizeof t->qname, "%s", s);
                free(s);
            }
        }
        ldns_pkt_free(r->pkt);
    }
}

/* Starts a query for name/type to servers with the result going to *res. */
static inline int tu_query(io_engine_t *e, const struct sockaddr_storage *servers, size_t n,
                           const char *name, uint16_t qtype, unsigned flags, tu_res_t *res)
{
    memset(res, 0, sizeof *res);
    io_query_spec_t spec = {
        .servers = servers,
        .n_servers = n,
        .qname_str = name,
        .qtype = qtype,
        .flags = flags,
        .cb = tu_cb,
        .ctx = res,
    };
    return io_query(e, &spec, NULL);
}

typedef struct tu_txt {
    char text[256];
    int calls;
} tu_txt_t;

static inline void tu_txt_cb(void *ctx, const io_result_t *r)
{
    tu_txt_t *t = ctx;
    t->calls++;
    if (r->pkt == NULL)
        return;
    if (ldns_pkt_ancount(r->pkt) == 1) {
        ldns_rr *rr = ldns_rr_list_rr(ldns_pkt_answer(r->pkt), 0);
        if (ldns_rr_rd_count(rr) == 1) {
            ldns_rdf *rd = ldns_rr_rdf(rr, 0);
            size_t n = ldns_rdf_size(rd);
            if (n > 0 && n < sizeof t->text) {
                memcpy(t->text, ldns_rdf_data(rd) + 1, n - 1);
                t->text[n - 1] = '\0';
            }
        }
    }
    ldns_pkt_free(r->pkt);
}

/* Asks the scripted server for one of its counters (TXT stats.ctl, "key=value ...") through
 * the engine; runs the loop until the answer. Returns the value or -1. */
static inline long tu_fakedns_stat(uv_loop_t *loop, io_engine_t *e,
                                   const struct sockaddr_storage *server, const char *key)
{
    tu_txt_t t = {0};
    io_query_spec_t spec = {.servers = server,
                            .n_servers = 1,
                            .qname_str = "stats.ctl.",
                            .qtype = LDNS_RR_TYPE_TXT,
                            .cb = tu_txt_cb,
                            .ctx = &t};
    if (io_query(e, &spec, NULL) != 0)
        return -1;
    uv_run(loop, UV_RUN_DEFAULT);
    char pat[64], line[300];
    snprintf(pat, sizeof pat, " %s=", key);
    snprintf(line, sizeof line, " %s", t.text);
    const char *p = strstr(line, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* io_engine_new() on loop with cfg; says why on the TAP stream when it fails (NULL). */
static inline io_engine_t *tu_engine_new(uv_loop_t *loop, const io_config_t *cfg)
{
    io_engine_t *e = NULL;
    int rc = io_engine_new(loop, cfg, &e);
    if (rc != 0)
        printf("# io_engine_new: %s\n", io_strerror(rc));
    return e;
}

static inline void tu_count_call(void *ctx)
{
    (*(int *)ctx)++;
}

/* Closes the engine and runs the loop until it is gone; returns how often the close callback
 * ran (1 is right). */
static inline int tu_engine_close(uv_loop_t *loop, io_engine_t *e)
{
    int done = 0;
    io_engine_close(e, tu_count_call, &done);
    uv_run(loop, UV_RUN_DEFAULT);
    return done;
}

#endif
