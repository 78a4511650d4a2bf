"""The circuit breaker (cli.md, issue 15): trouble of the scanner's own mid-scan stops the run
instead of storing a wave of `indeterminate`; one zone's trouble never trips it.

1. A root of our own (NSD on 127.102.1.1 serving the lab's root zone) goes away mid-scan. The
   scan reads its domains from a pipe with --concurrency 1, so every step is gated on an event:
   the first domain is written, its result is stored (its -o line is read), the root's NSD is
   stopped by pid (and has exited), then the rest is written: two domains below the cached
   `test` zone (their parent still answers: stored), then names that need the root. The scan
   stops with exit 1 and the resume command, stores none of those as indeterminate, and is
   not finished; with the root back, --resume completes it without an indeterminate.
2. The lab's own dead and lame zones do not trip it: the whole lab, and 60 names below the
   dead zone lame.test (one zone: they are stored indeterminate, exit 0)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from lab_common import Checks, dig, expected, lab_env

DNSSWEEP = sys.argv[1]
ROOT = "127.102.1.1"


def run(args, timeout=300, stdin=None):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout,
                          stdin=stdin)


def verdicts(db, scan):
    r = run(["export", "--db", db, "--scan", scan])
    out = {}
    for line in r.stdout.splitlines() if r.returncode == 0 else []:
        rec = json.loads(line)
        out[rec["domain"]] = (rec["status"], sorted(x["code"] for x in rec["reasons"]))
    return out


def finished(db, scan):
    for line in run(["scans", "--db", db]).stdout.splitlines()[1:]:
        f = line.split()
        if f and f[0] == scan:
            return f[3] == "yes"
    return None


def start_root(env, work):
    """NSD serving the lab's root zone on ROOT; returns the process once it answers."""
    src = os.path.join(env["LAB_DIR"], "nsd-root")
    d = os.path.join(work, "root")
    os.makedirs(d, exist_ok=True)
    shutil.copy(os.path.join(src, "root.zone"), d)
    conf = open(os.path.join(src, "nsd.conf")).read().replace(src, d)
    conf = conf.replace("ip-address: %s.0.1" % env["LAB_NET"], "ip-address: %s" % ROOT)
    with open(os.path.join(d, "nsd.conf"), "w") as f:
        f.write(conf)
    p = subprocess.Popen(["nsd", "-d", "-c", os.path.join(d, "nsd.conf")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        if dig(ROOT, env["LAB_PORT"], ".", "SOA", timeout=1)[0] == "NOERROR":
            return p
        time.sleep(0.1)
    p.terminate()
    raise SystemExit("our root NSD on %s did not answer" % ROOT)


def main():
    env = lab_env()
    rows = expected(env["LAB_EXPECTED"])
    work = tempfile.mkdtemp(prefix="dnssweep-breaker-")
    check = Checks()
    root = None
    try:
        db = os.path.join(work, "db")
        hints = os.path.join(work, "root.hints")
        with open(hints, "w") as f:
            f.write(".\t3600000\tNS\ta.root-servers.lab.\na.root-servers.lab.\t3600000\tA\t%s\n"
                    % ROOT)
        base = ["--db", db, "--root-hints", hints, "--trust-anchor", env["LAB_TRUST_ANCHOR"],
                "--now", env["LAB_NOW"], "--port", env["LAB_PORT"], "--qps", "0",
                "--qps-per-server", "0", "--progress", "never"]
        secure = [r["domain"] for r in rows if r["status"] == "secure" and
                  r["domain"].count(".") == 1 and r["domain"].endswith(".test")]
        first, cached = secure[0], secure[1:3]
        need_root = ["n%d.nosuchtld%d" % (i, i) for i in range(10)]

        # 1. The root goes away mid-scan.
        root = start_root(env, work)
        p = subprocess.Popen([DNSSWEEP, "scan", "--scan", "rootgone", "--concurrency", "1",
                              "-o", "-"] + base + ["-"], stdin=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        p.stdin.write(first + "\n")
        p.stdin.flush()
        line = p.stdout.readline()  # the domain is judged and handed to the store
        rec = json.loads(line) if line else {}
        check(rec.get("domain") == first and rec.get("status") == "secure",
              "the first domain is judged and stored (%s %s) before the root goes away" % (
                  rec.get("domain"), rec.get("status")))
        root.terminate()
        root.wait(timeout=10)
        gone = dig(ROOT, env["LAB_PORT"], ".", "SOA", timeout=1)[0]
        check(gone != "NOERROR", "our root's NSD (pid %d) has exited: the root answers %s" % (
            root.pid, gone))
        root = None
        p.stdin.write("\n".join(cached + need_root) + "\n")
        p.stdin.close()
        p.stdout.read()
        err = p.stderr.read()
        p.wait(timeout=120)
        got = verdicts(db, "rootgone")
        check(p.returncode == 1, "the scan stops with exit 1 (got %d)" % p.returncode)
        check("no root server answered for 5 domains in a row" in err and "check the network" in err,
              "the cause in plain words:\n# " + "\n# ".join(
                  l for l in err.splitlines() if "stopping" in l or "failed" in l))
        check("--resume" in err and "--scan rootgone" in err, "prints the resume command")
        wave = {d: v for d, v in got.items() if v[0] == "indeterminate"}
        check(not wave, "no wave of indeterminate stored (%s)" % sorted(wave))
        check(all(got.get(d, ("?",))[0] == "secure" for d in [first] + cached),
              "the good results are committed: %s" % {d: got.get(d) for d in [first] + cached})
        check(finished(db, "rootgone") is False, "the scan is not finished")

        root = start_root(env, work)
        names = os.path.join(work, "names.txt")
        with open(names, "w") as f:
            f.write("\n".join([first] + cached + need_root) + "\n")
        r = run(["scan", "--scan", "rootgone", "--resume"] + base + [names])
        got = verdicts(db, "rootgone")
        check(r.returncode == 0 and finished(db, "rootgone") and len(got) == 13 and
              all(got[d][0] == "nxdomain" for d in need_root),
              "with the root back, --resume finishes it: exit %d, %d domains, the names that "
              "needed the root: %s" % (r.returncode, len(got),
                                       sorted(set(got.get(d, ("?",))[0] for d in need_root))))

        # 2. One zone's trouble never trips it.
        lab = [r["domain"] for r in rows]
        lab_file = os.path.join(work, "lab.txt")
        with open(lab_file, "w") as f:
            f.write("\n".join(lab) + "\n")
        r = run(["scan", "--scan", "lab"] + base + [lab_file])
        got = verdicts(db, "lab")
        check(r.returncode == 0 and "stopping" not in r.stderr and len(got) == len(lab),
              "the whole lab (dead, lame and refusing zones among them): exit %d, %d of %d "
              "stored, no stop" % (r.returncode, len(got), len(lab)))
        dead = os.path.join(work, "dead.txt")
        below = ["d%d.lame.test" % i for i in range(60)]
        with open(dead, "w") as f:
            f.write("\n".join(below) + "\n")
        r = run(["scan", "--scan", "deadzone"] + base + [dead])
        got = verdicts(db, "deadzone")
        check(r.returncode == 0 and "stopping" not in r.stderr and len(got) == 60 and
              all(v == ("indeterminate", ["PARENT_UNREACHABLE"]) for v in got.values()),
              "60 names below the dead zone lame.test (one zone): exit %d, %d stored "
              "indeterminate PARENT_UNREACHABLE, no stop" % (r.returncode, len(got)))
    finally:
        if root:
            root.terminate()
            root.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
