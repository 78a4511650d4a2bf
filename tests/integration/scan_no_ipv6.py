"""A host without IPv6 (cli.md, issue 15), in a network namespace this test creates: loopback
only, IPv6 disabled, so no IPv6 route at all.

- `-6` there is a failed run: exit 1, the cause in plain words, nothing sent, no scan left.
- Without -6, IPv6 server addresses are skipped with ONE notice and recorded in the scan's
  metadata (options "unroutable=inet6"), never reported as unreachable: a root of our own inside
  the namespace (NSD serving the lab's root zone on 127.102.2.1), named in the hints by an A
  and by AAAA records, answers; names below TLDs the root does not have are stored nxdomain and
  the scan finishes with exit 0.
Needs root (ip netns); skipped otherwise. The namespace is removed by name in any case."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import SKIP, Checks, lab_env

DNSSWEEP = sys.argv[1]
NS = "dnssweep-noipv6-%d" % os.getpid()
ROOT = "127.102.2.1"


def in_ns(cmd, **kw):
    return subprocess.run(["ip", "netns", "exec", NS] + cmd, capture_output=True, text=True,
                          timeout=kw.pop("timeout", 120), **kw)


def main():
    if os.geteuid() != 0 or not shutil.which("ip"):
        print("ok - # SKIP needs root and ip(8) for a network namespace")
        return SKIP
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-noipv6-")
    check = Checks()
    nsd = None
    try:
        subprocess.run(["ip", "netns", "add", NS], check=True, timeout=30)
        in_ns(["ip", "link", "set", "lo", "up"]).check_returncode()
        in_ns(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"]).check_returncode()
        routes = in_ns(["ip", "-6", "route"]).stdout.strip()
        check(routes == "", "the namespace has no IPv6 route (%r)" % routes)

        names = os.path.join(work, "names.txt")
        with open(names, "w") as f:
            f.write("".join("n%d.nosuchtld\n" % i for i in range(5)))
        hints = os.path.join(work, "root.hints")
        with open(hints, "w") as f:
            f.write(".\t3600000\tNS\ta.root-servers.lab.\n"
                    "a.root-servers.lab.\t3600000\tAAAA\t2001:db8::53\n"
                    "a.root-servers.lab.\t3600000\tA\t%s\n"
                    "a.root-servers.lab.\t3600000\tAAAA\tfd00:53::1\n" % ROOT)
        db = os.path.join(work, "db")
        base = ["--db", db, "--root-hints", hints, "--trust-anchor", env["LAB_TRUST_ANCHOR"],
                "--now", env["LAB_NOW"], "--port", env["LAB_PORT"], "--qps", "0",
                "--progress", "never", "--timeout", "300", "--retries", "1"]

        r = in_ns([DNSSWEEP, "scan", "-6", "--scan", "six"] + base + [names])
        check(r.returncode == 1, "-6 without an IPv6 route: exit 1 (got %d)" % r.returncode)
        check("-6 allows only IPv6" in r.stderr and "cannot route IPv6" in r.stderr and
              "nothing was sent" in r.stderr, "the cause in plain words: %s" % r.stderr.strip())
        check(not os.path.exists(db), "no store and no scan left behind")

        # Our root inside the namespace.
        src = os.path.join(env["LAB_DIR"], "nsd-root")
        d = os.path.join(work, "root")
        os.makedirs(d)
        shutil.copy(os.path.join(src, "root.zone"), d)
        conf = open(os.path.join(src, "nsd.conf")).read().replace(src, d)
        conf = conf.replace("ip-address: %s.0.1" % env["LAB_NET"], "ip-address: %s" % ROOT)
        with open(os.path.join(d, "nsd.conf"), "w") as f:
            f.write(conf)
        nsd = subprocess.Popen(["ip", "netns", "exec", NS, "nsd", "-d", "-c",
                                os.path.join(d, "nsd.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        up = False
        for _ in range(100):
            q = in_ns(["dig", "@" + ROOT, "-p", env["LAB_PORT"], ".", "SOA", "+time=1",
                       "+tries=1"])
            if "status: NOERROR" in q.stdout:
                up = True
                break
        check(up, "our root answers inside the namespace")

        r = in_ns([DNSSWEEP, "scan", "--scan", "dual", "-o", "-"] + base + [names])
        notices = [l for l in r.stderr.splitlines() if "cannot route IPv6" in l]
        check(r.returncode == 0, "without -6: exit 0 (got %d) %s" % (
            r.returncode, r.stderr[-400:] if r.returncode else ""))
        check(len(notices) == 1 and "skipped" in notices[0],
              "one notice: %s" % (notices or r.stderr[-300:]))
        recs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        codes = {x["code"] for rec in recs for x in rec["reasons"]}
        check(len(recs) == 5 and all(rec["status"] == "nxdomain" for rec in recs) and
              "NS_UNREACHABLE" not in codes and "PARENT_UNREACHABLE" not in codes,
              "5 names judged by the IPv4 root: %s, reasons %s" % (
                  sorted({rec["status"] for rec in recs}), sorted(codes)))
        listing = subprocess.run([DNSSWEEP, "scans", "--db", db], capture_output=True,
                                 text=True, timeout=60).stdout
        check(any(l.split()[:1] == ["dual"] and l.split()[3] == "yes"
                  for l in listing.splitlines()[1:]), "the scan is finished")
        with open(os.path.join(db, "data.mdb"), "rb") as f:
            meta = f.read()
        check(b"unroutable=inet6" in meta,
              "the scan's metadata records the skipped family (options unroutable=inet6)")
    finally:
        if nsd:
            nsd.terminate()
            nsd.wait(timeout=10)
        subprocess.run(["ip", "netns", "delete", NS], capture_output=True, timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
