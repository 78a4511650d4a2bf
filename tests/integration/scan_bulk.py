"""A scan of the bulk lab (20,000 generated domains plus the small lab, on its own lab at
127.57 so it runs beside the standard lab): every domain's status and reason codes equal the
lab's expected file, each domain is streamed once, and the end-of-scan statistics (queries per
domain, retries, cache) are printed. Memory and speed are measured by bench/, not asserted here
(this binary runs under AddressSanitizer)."""
import json
import os
import random
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import time

from lab_common import LAB, expected

DNSSWEEP = sys.argv[1]
N = int(os.environ.get("DNSSWEEP_BULK_N", "20000"))


def export(db, scan):
    r = subprocess.run([DNSSWEEP, "export", "--db", db, "--scan", scan], capture_output=True,
                       text=True, timeout=300)
    out = {}
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        out[rec["domain"]] = (rec["status"], sorted(x["code"] for x in rec["reasons"]))
    return out


def kill_and_resume(lab, work, baseline_records):
    """kill -9 the bulk scan at five random moments (the seed is printed), resume each: the
    result equals the uninterrupted scan and nothing committed before the kill is asked again.
    Returns the number of failures (one per kill point)."""
    seed = int(os.environ.get("DNSSWEEP_KILL_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    print("# kill points drawn with DNSSWEEP_KILL_SEED=%d" % seed)
    baseline = {d: (r["status"], sorted(x["code"] for x in r["reasons"]))
                for d, r in baseline_records.items()}
    db = os.path.join(work, "crash.db")
    scan = ["--db", db, "--root-hints", lab["LAB_ROOT_HINTS"], "--trust-anchor",
            lab["LAB_TRUST_ANCHOR"], "--now", lab["LAB_NOW"], "--port", lab["LAB_PORT"],
            "--qps", "0", "--qps-per-server", "0", "--progress", "never"]
    failures = 0
    for i in range(5):
        name = "crash-%d" % i
        delay = rng.uniform(0.5, 6.0)
        p = subprocess.Popen([DNSSWEEP, "scan", "--scan", name] + scan + [lab["LAB_DOMAINS"]],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        committed = export(db, name)
        out = os.path.join(work, name + ".jsonl")
        r = subprocess.run([DNSSWEEP, "scan", "--scan", name, "--resume", "-o", out] + scan +
                           [lab["LAB_DOMAINS"]], capture_output=True, text=True, timeout=900)
        with open(out) as f:
            again = [json.loads(l)["domain"] for l in f]
        final = export(db, name)
        problems = []
        if r.returncode != 0:
            problems.append("resume exited %d" % r.returncode)
        if set(again) & set(committed):
            problems.append("%d committed domains asked again" % len(set(again) & set(committed)))
        if len(again) != len(set(again)):
            problems.append("a domain stored twice on resume")
        wrong = [d for d in baseline if final.get(d) != baseline[d]]
        if wrong or len(final) != len(baseline):
            problems.append("%d domains differ from the uninterrupted scan (%d stored): %s" % (
                len(wrong), len(final), wrong[:5]))
        if problems:
            print("not ok - kill -9 after %.2f s: %s" % (delay, "; ".join(problems)))
            failures += 1
        else:
            print("ok - kill -9 after %.2f s: %d committed, %d scanned on resume, final store "
                  "equals the uninterrupted scan" % (delay, len(committed), len(again)))
    return failures


def main():
    here = os.path.dirname(os.path.abspath(DNSSWEEP))
    lab_dir = os.path.join(here, "..", "bulklab")
    env = dict(os.environ, DNSSWEEP_LAB_DIR=os.path.abspath(lab_dir), DNSSWEEP_LAB_NET="127.57")
    work = tempfile.mkdtemp(prefix="dnssweep-bulk-")
    failures = 0
    try:
        up = subprocess.run([LAB, "up", "--bulk", str(N)], env=env, capture_output=True,
                            text=True, timeout=600)
        if up.returncode != 0:
            print("not ok - bulk lab up failed:\n%s" % up.stderr)
            return 1
        print("ok - bulk lab up: %s" % up.stderr.strip().splitlines()[-1])
        out = subprocess.run([LAB, "env"], env=env, capture_output=True, text=True, timeout=30)
        lab = dict(l.split("=", 1) for l in out.stdout.splitlines() if "=" in l)
        rows = expected(lab["LAB_EXPECTED"])
        stream = os.path.join(work, "out.jsonl")
        r = subprocess.run([DNSSWEEP, "scan", "--db", os.path.join(work, "db"), "-o", stream,
                            "--root-hints", lab["LAB_ROOT_HINTS"], "--trust-anchor",
                            lab["LAB_TRUST_ANCHOR"], "--now", lab["LAB_NOW"], "--port",
                            lab["LAB_PORT"], "--qps", "0", "--qps-per-server", "0",
                            "--progress", "never", lab["LAB_DOMAINS"]],
                           capture_output=True, text=True, timeout=900)
        print(r.stderr)
        if r.returncode != 0:
            print("not ok - scan exited %d" % r.returncode)
            return 1
        for what in (r"queries \d+ \([\d.]+ per domain\), retried \d+", r"zone cache: \d+ zones",
                     r"peak RSS \d+ MB"):
            if not re.search(what, r.stderr):
                print("not ok - the summary lacks %r" % what)
                failures += 1
        got = {}
        with open(stream) as f:
            for line in f:
                rec = json.loads(line)
                if rec["domain"] in got:
                    print("not ok - %s streamed twice" % rec["domain"])
                    failures += 1
                got[rec["domain"]] = rec
        wrong = 0
        for row in rows:
            rec = got.get(row["domain"])
            want = (row["status"], sorted(set(row["reasons"].split(",")) - {"-"}))
            have = (rec["status"], sorted(set(x["code"] for x in rec["reasons"]))) if rec else None
            if have != want:
                wrong += 1
                if wrong <= 20:
                    print("not ok - %s: expected %s, got %s" % (row["domain"], want, have))
        if wrong or len(got) != len(rows):
            print("not ok - %d of %d domains differ from the expected file (%d streamed)" % (
                wrong, len(rows), len(got)))
            failures += 1
        else:
            print("ok - all %d domains match the expected file" % len(rows))
        failures += kill_and_resume(lab, work, got)
    finally:
        subprocess.run([LAB, "down"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (10 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
