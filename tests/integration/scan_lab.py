"""dnssweep scan of every lab domain: each domain's status and set of reason codes equal the
lab's expected file; the JSON lines from -o carry the same; export, show and a second scan
(diff) work on the store; --check-resolver against the lab's Unbound disagrees exactly where
the expected file says Unbound cannot see the problem."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import SKIP, expected, lab_env

DNSSWEEP = sys.argv[1]


def run(args, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def main():
    env = lab_env()
    rows = expected(env["LAB_EXPECTED"])
    work = tempfile.mkdtemp(prefix="dnssweep-scan-lab-")
    db = os.path.join(work, "db")
    out = os.path.join(work, "out.jsonl")
    base = ["--db", db, "--root-hints", env["LAB_ROOT_HINTS"], "--trust-anchor",
            env["LAB_TRUST_ANCHOR"], "--now", env["LAB_NOW"], "--port", env["LAB_PORT"],
            "--qps", "0", "--qps-per-server", "0", "--progress", "never"]
    check = ["--check-resolver", "%s#%s" % (env["LAB_UNBOUND"], env["LAB_PORT"])]
    can_check = env["LAB_PORT"] == "53"
    failures = 0
    try:
        r = run(["scan", "--scan", "first", "-o", out] + base + (check if can_check else []) +
                [env["LAB_DOMAINS"]])
        print(r.stderr)
        if r.returncode != 0:
            print("not ok - dnssweep scan exited %d" % r.returncode)
            return 1
        got = {}
        with open(out) as f:
            for line in f:
                rec = json.loads(line)
                if rec["domain"] in got:
                    print("not ok - %s streamed twice" % rec["domain"])
                    failures += 1
                got[rec["domain"]] = rec
        for row in rows:
            rec = got.get(row["domain"])
            want_codes = sorted(set(row["reasons"].split(","))) if row["reasons"] != "-" else []
            if rec is None:
                print("not ok - %s: missing from the output" % row["domain"])
                failures += 1
                continue
            codes = sorted(set(x["code"] for x in rec["reasons"]))
            same = rec["status"] == row["status"] and codes == want_codes
            print("%s - %-24s expected %-13s %-40s got %-13s %s" % (
                "ok" if same else "not ok", row["domain"], row["status"], ",".join(want_codes) or "-",
                rec["status"], ",".join(codes) or "-"))
            if not same:
                failures += 1
                for x in rec["reasons"]:
                    print("#   %s %s %s" % (x["code"], x["server"], x["detail"]))
            if can_check:
                rc = rec.get("resolver_check")
                # Where Unbound's answer differs from our status (the expected file says so),
                # dnssweep must flag the disagreement; elsewhere it must not.
                unbound_sees = {"secure": "secure", "insecure": "insecure", "bogus": "servfail",
                                "indeterminate": "servfail", "lame": "servfail",
                                "nxdomain": "nxdomain"}[row["status"]]
                if row["unbound"] != "-":
                    want_disagree = row["unbound"] != unbound_sees
                    if rc is None or rc["disagrees"] != want_disagree:
                        print("not ok - %s: resolver check %s, expected disagrees=%s" % (
                            row["domain"], rc, want_disagree))
                        failures += 1
        if len(got) != len(rows):
            print("not ok - %d domains streamed, %d expected" % (len(got), len(rows)))
            failures += 1

        # The store holds the same verdicts; show explains one domain; a rescan diffs clean.
        exp = run(["export", "--db", db, "--scan", "first", "--format", "jsonl"])
        stored = {json.loads(l)["domain"]: json.loads(l) for l in exp.stdout.splitlines()}
        if exp.returncode != 0 or set(stored) != set(got) or any(
                stored[d]["status"] != got[d]["status"] for d in got):
            print("not ok - export differs from the streamed output (rc %d)" % exp.returncode)
            failures += 1
        else:
            print("ok - export of %d domains equals the streamed output" % len(stored))
        show = run(["show", "--db", db, "dsnomatch.test"])
        if show.returncode != 0 or "DS_NO_MATCHING_DNSKEY" not in show.stdout:
            print("not ok - show dsnomatch.test: rc %d\n%s" % (show.returncode, show.stdout))
            failures += 1
        else:
            print("ok - show explains dsnomatch.test")
        r2 = run(["scan", "--scan", "second"] + base + [env["LAB_DOMAINS"]])
        diff = run(["diff", "--db", db, "first", "second", "--format", "jsonl",
                    "--fail-on-regression"])
        if r2.returncode != 0 or diff.returncode != 0 or diff.stdout.strip():
            print("not ok - rescan/diff: scan rc %d, diff rc %d, changes:\n%s%s" % (
                r2.returncode, diff.returncode, diff.stdout, diff.stderr))
            failures += 1
        else:
            print("ok - a second scan has no changes against the first")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (len(rows) + 3 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
