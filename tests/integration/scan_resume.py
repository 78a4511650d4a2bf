"""Crash and interrupt safety of a scan (cli.md "Store"): kill -9 at five moments of a
rate-limited scan of the lab, then `--resume`: the finished store equals an uninterrupted
scan's (status and reason codes per domain, no domain missing or doubled), and no domain whose
result was committed before the kill is queried again. SIGINT stops cleanly with a resume hint
and the resumed scan completes."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from lab_common import lab_env

DNSSWEEP = sys.argv[1]


def verdicts(db, scan):
    r = subprocess.run([DNSSWEEP, "export", "--db", db, "--scan", scan], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        return None
    out = {}
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        out[rec["domain"]] = (rec["status"], sorted(x["code"] for x in rec["reasons"]))
    return out


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-resume-")
    db = os.path.join(work, "db")
    base = ["--db", db, "--root-hints", env["LAB_ROOT_HINTS"], "--trust-anchor",
            env["LAB_TRUST_ANCHOR"], "--now", env["LAB_NOW"], "--port", env["LAB_PORT"],
            "--progress", "never", "--qps-per-server", "0"]
    domains = env["LAB_DOMAINS"]
    failures, checks = 0, 0
    try:
        r = subprocess.run([DNSSWEEP, "scan", "--scan", "baseline", "--qps", "0"] + base + [domains],
                           capture_output=True, text=True, timeout=300)
        baseline = verdicts(db, "baseline")
        if r.returncode != 0 or not baseline:
            print("not ok - baseline scan failed (%d)\n%s" % (r.returncode, r.stderr))
            return 1
        for i, delay in enumerate([1.2, 2.4, 3.6, 5.0, 6.5]):
            name = "crash-%d" % i
            p = subprocess.Popen([DNSSWEEP, "scan", "--scan", name, "--qps", "60"] + base + [domains],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait(timeout=30)
            committed = verdicts(db, name) or {}
            out = os.path.join(work, name + ".jsonl")
            r = subprocess.run([DNSSWEEP, "scan", "--scan", name, "--resume", "--qps", "0", "-o", out]
                               + base + [domains], capture_output=True, text=True, timeout=300)
            with open(out) as f:
                again = [json.loads(l)["domain"] for l in f]
            final = verdicts(db, name)
            checks += 1
            problems = []
            if r.returncode != 0:
                problems.append("resume exited %d: %s" % (r.returncode, r.stderr[-500:]))
            if set(again) & set(committed):
                problems.append("queried again: %s" % sorted(set(again) & set(committed)))
            if len(again) != len(set(again)):
                problems.append("a domain streamed twice on resume")
            if final != baseline:
                diff = [d for d in set(baseline) | set(final or {})
                        if (final or {}).get(d) != baseline.get(d)]
                problems.append("differs from the uninterrupted scan: %s" % diff[:10])
            if problems:
                print("not ok - kill -9 after %.1f s: %s" % (delay, "; ".join(problems)))
                failures += 1
            else:
                print("ok - kill -9 after %.1f s: %d committed before, %d scanned on resume, "
                      "final store equals the uninterrupted scan" % (delay, len(committed), len(again)))

        p = subprocess.Popen([DNSSWEEP, "scan", "--scan", "interrupted", "--qps", "60"] + base +
                             [domains], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # SIGINT once a result is committed (the scan is running, its handler installed), not
        # after a fixed delay a loaded machine may not reach; --qps 60 keeps the rest of the
        # scan (about 700 queries) running for seconds after that.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and p.poll() is None and \
                not verdicts(db, "interrupted"):
            time.sleep(0.2)
        running = p.poll() is None
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        r = subprocess.run([DNSSWEEP, "scan", "--scan", "interrupted", "--resume", "--qps", "0"] +
                           base + [domains], capture_output=True, text=True, timeout=300)
        checks += 1
        if not running or p.returncode != 1 or "--resume" not in err or r.returncode != 0 or \
                verdicts(db, "interrupted") != baseline:
            print("not ok - SIGINT (scan %s when sent): exit %s, hint %s, resume exit %d\n%s" % (
                "running" if running else "already ended", p.returncode, "--resume" in err, r.returncode, err))
            failures += 1
        else:
            print("ok - SIGINT stops with exit 1 and a resume hint; the resumed scan completes")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
