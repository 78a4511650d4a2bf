/*
 * A private NSD for io/ tests and benches: a temp directory with nsd.conf and an unsigned zone
 * "test." holding h0..h<n-1> A records, checked with nsd-checkconf, run in the foreground
 * (nsd -d) and stopped by pid.
 */
#ifndef DNSSWEEP_TESTS_IO_NSD_LAB_H
#define DNSSWEEP_TESTS_IO_NSD_LAB_H

#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct nsd_lab {
    char dir[256];
    pid_t pid;
    int port;
} nsd_lab_t;

static inline int nsd_lab_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static inline void nsd_lab_stop(nsd_lab_t *lab)
{
    if (lab->pid > 0) {
        kill(lab->pid, SIGTERM);
        int i;
        for (i = 0; i < 500 && waitpid(lab->pid, NULL, WNOHANG) != lab->pid; i++)
            usleep(10000);
        if (i == 500) {
            kill(lab->pid, SIGKILL);
            waitpid(lab->pid, NULL, 0);
        }
        lab->pid = -1;
    }
    if (lab->dir[0] != '\0') {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", lab->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "# could not remove %s\n", lab->dir);
        lab->dir[0] = '\0';
    }
}

/* Starts NSD on addr (an IPv4 or IPv6 literal) at port with n_names A records. Returns 0 once
 * NSD's process runs (the caller polls until it answers), -1 on error. */
static inline int nsd_lab_start(nsd_lab_t *lab, const char *addr, int port, int n_names)
{
    memset(lab, 0, sizeof *lab);
    lab->pid = -1;
    lab->port = port;
    snprintf(lab->dir, sizeof lab->dir, "/tmp/dnssweep-io-nsd-XXXXXX");
    if (mkdtemp(lab->dir) == NULL) {
        lab->dir[0] = '\0';
        return -1;
    }
    char path[400], buf[2048];
    snprintf(path, sizeof path, "%s/test.zone", lab->dir);
    FILE *z = fopen(path, "w");
    if (z == NULL)
        goto fail;
    fprintf(z, "$ORIGIN test.\n$TTL 300\n"
               "@ IN SOA ns.test. admin.test. 1 3600 600 86400 300\n"
               "@ IN NS ns.test.\nns IN A 127.0.0.1\n");
    for (int i = 0; i < n_names; i++)
        fprintf(z, "h%d IN A 127.0.%d.%d\n", i, (i >> 8) & 255, i & 255);
    fclose(z);
    snprintf(buf, sizeof buf,
             "server:\n"
             "  ip-address: %s@%d\n"
             "  zonesdir: \"%s\"\n"
             "  pidfile: \"%s/nsd.pid\"\n"
             "  database: \"\"\n"
             "  zonelistfile: \"%s/zone.list\"\n"
             "  xfrdfile: \"%s/xfrd.state\"\n"
             "  logfile: \"%s/nsd.log\"\n"
             "  username: \"\"\n"
             "  chroot: \"\"\n"
             "  server-count: 1\n"
             "  tcp-count: 200\n"
             "  verbosity: 0\n"
             "  hide-version: yes\n"
             "  rrl-ratelimit: 0\n"
             "  rrl-whitelist-ratelimit: 0\n"
             "remote-control:\n"
             "  control-enable: no\n"
             "zone:\n"
             "  name: \"test.\"\n"
             "  zonefile: \"test.zone\"\n",
             addr, port, lab->dir, lab->dir, lab->dir, lab->dir, lab->dir);
    snprintf(path, sizeof path, "%s/nsd.conf", lab->dir);
    if (nsd_lab_write(path, buf) != 0)
        goto fail;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "nsd-checkconf '%s'", path);
    if (system(cmd) != 0)
        goto fail;
    pid_t pid = fork();
    if (pid < 0)
        goto fail;
    if (pid == 0) {
        /* Stop with the test even when it dies without cleaning up (crash, alarm). */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        execlp("nsd", "nsd", "-d", "-c", path, (char *)NULL);
        _exit(127);
    }
    lab->pid = pid;
    return 0;
fail:
    nsd_lab_stop(lab);
    return -1;
}

#endif
