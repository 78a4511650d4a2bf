"""A resumed scan is the same scan (cli.md "--resume", issue 15): a resolver-mode lab scan
interrupted by SIGINT once its first results are stored (gated on that event, polled with
`dnssweep scans`, not on time) prints a resume command that, run as printed from another
directory, finishes the scan in resolver mode, equal to an uninterrupted resolver-mode scan.
Options that contradict the stored ones are refused (exit 2, both values named) and change
nothing; options that agree are accepted; a trust anchor whose records changed since the scan
started is refused. diff of an authoritative and a resolver-mode scan needs --force and then
says that the modes differ (text, jsonl, html)."""
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from lab_common import Checks, expected, lab_env, resolver_expectation

DNSSWEEP = os.path.abspath(sys.argv[1])


def run(args, cwd=None, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout,
                          cwd=cwd)


def scan_row(db, name):
    """(finished, mode, total) of a scan from `dnssweep scans`, or None."""
    r = run(["scans", "--db", db], timeout=30)
    for line in r.stdout.splitlines()[1:]:
        f = line.split()
        if f and f[0] == name:
            return f[3] == "yes", f[4], int(f[5])
    return None


def verdicts(db, scan):
    r = run(["export", "--db", db, "--scan", scan], timeout=60)
    if r.returncode != 0:
        return None, set()
    out, modes = {}, set()
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        out[rec["domain"]] = (rec["status"], frozenset(x["code"] for x in rec["reasons"]))
        modes.add(rec.get("mode"))
    return out, modes


def start_and_wait_for_results(args, db, name):
    """Starts a throttled scan; returns the process once `dnssweep scans` shows a stored result
    (the event the interruption is gated on), or None when the scan ended first."""
    p = subprocess.Popen([DNSSWEEP] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None:
        row = scan_row(db, name) if os.path.exists(os.path.join(db, "data.mdb")) else None
        if row and row[2] > 0:
            return p
        time.sleep(0.1)
    p.kill()
    p.communicate()
    return None


def main():
    env = lab_env()
    check = Checks()
    rows = {r["domain"]: r for r in expected(env["LAB_EXPECTED"])}
    work = tempfile.mkdtemp(prefix="dnssweep-resume-settings-")
    db = os.path.join(work, "db")
    resolver = "%s#%s" % (env["LAB_UNBOUND"], env["LAB_PORT"])
    res_args = ["--db", db, "--resolver", resolver, "--trust-anchor", env["LAB_TRUST_ANCHOR"],
                "--now", env["LAB_NOW"], "--progress", "never"]
    domains = env["LAB_DOMAINS"]
    try:
        r = run(["scan", "--scan", "res-base", "--qps", "0"] + res_args + [domains])
        base, _ = verdicts(db, "res-base")
        check(r.returncode == 0 and base, "uninterrupted resolver-mode scan (exit %d)" % r.returncode)
        if not base:
            print(r.stderr[-2000:])
            return 1

        # 1. SIGINT after the first stored results; the printed command resumes the same scan.
        p = start_and_wait_for_results(["scan", "--scan", "res-int", "--qps", "20", "--concurrency", "4"] + res_args +
                                       [domains], db, "res-int")
        check(p is not None, "the throttled resolver-mode scan stored its first results")
        if p is None:
            return 1
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        lines = err.splitlines()
        hint = [l.strip() for i, l in enumerate(lines) if i and "resume it with" in lines[i - 1]]
        before = scan_row(db, "res-int")
        check(p.returncode == 1 and hint and hint[0].startswith("dnssweep scan "),
              "SIGINT: exit %d, resume command: %s" % (p.returncode, hint[:1]))
        check(before and not before[0] and before[1] == "resolver" and 0 < before[2] < len(base),
              "the interrupted scan is unfinished, partly stored and recorded in resolver mode: "
              "%s" % (before,))

        # Contradicting options are refused and leave the scan as it was.
        other = "%s.249#%s" % (env["LAB_UNBOUND"].rsplit(".", 1)[0], env["LAB_PORT"])
        for extra, given, stored in (
                (["--resolver", other], other, resolver),
                (["--now", str(int(env["LAB_NOW"]) + 86400)], str(int(env["LAB_NOW"]) + 86400),
                 env["LAB_NOW"]),
                (["--port", "5353"], "5353", env["LAB_PORT"]),
                (["--servers", "all"], "--servers all", "--servers names"),
                (["--zone-file", os.path.join(env["LAB_DIR"], "root.hints")], "root.hints",
                 "(none)")):
            r = run(["scan", "--db", db, "--scan", "res-int", "--resume", "--progress", "never"] +
                    extra + [domains])
            check(r.returncode == 2 and given in r.stderr and stored in r.stderr and
                  scan_row(db, "res-int") == before,
                  "resume with contradicting %s refused: exit %d, names %s and %s; scan unchanged"
                  " (%s)" % (extra[0], r.returncode, given, stored, r.stderr.strip()[:300]))

        if hint:
            elsewhere = os.path.join(work, "elsewhere")
            os.mkdir(elsewhere)
            argv = shlex.split(hint[0])
            r = subprocess.run([DNSSWEEP] + argv[1:], capture_output=True, text=True,
                               timeout=300, cwd=elsewhere)
            final, modes = verdicts(db, "res-int")
            after = scan_row(db, "res-int")
            check(r.returncode == 0 and after and after[0] and after[1] == "resolver",
                  "the printed command, run from another directory, finishes the scan in "
                  "resolver mode (exit %d, %s)" % (r.returncode, after))
            check("resolver mode" in r.stderr, "it says it resumes in resolver mode")
            check(modes == {"resolver"}, "every exported line carries mode resolver: %s" % modes)
            differ = []
            for d in set(base) | set(final or {}):
                a, b = base.get(d), (final or {}).get(d)
                if a == b:
                    continue
                # Cases whose resolver-mode verdict depends on which server Unbound asked
                # (resolver_expectation lists more than one): either allowed outcome is right.
                allowed = [(s, frozenset(c)) for s, c in resolver_expectation(rows[d])] \
                    if d in rows else []
                if not (a in allowed and b in allowed and len(allowed) > 1):
                    differ.append((d, a, b))
            check(final and not differ, "the resumed scan equals the uninterrupted one (%d "
                  "domains) %s" % (len(final or {}), differ[:5]))

        # 2. Options that agree with the stored ones are fine (kill -9, then resume).
        p = start_and_wait_for_results(["scan", "--scan", "res-kill", "--qps", "20", "--concurrency", "4"] + res_args +
                                       [domains], db, "res-kill")
        if p:
            p.send_signal(signal.SIGKILL)
            p.communicate(timeout=60)
        r = run(["scan", "--scan", "res-kill", "--resume", "--qps", "0"] + res_args + [domains])
        row = scan_row(db, "res-kill")
        check(p is not None and r.returncode == 0 and row and row[0] and row[1] == "resolver",
              "resume repeating the stored options (agreeing) finishes (exit %d, %s)" % (
                  r.returncode, row))

        # 3. A trust anchor whose records changed since the scan started is noticed.
        anchor = os.path.join(work, "anchor.key")
        shutil.copy(env["LAB_TRUST_ANCHOR"], anchor)
        args = [a if a != env["LAB_TRUST_ANCHOR"] else anchor for a in res_args]
        p = start_and_wait_for_results(["scan", "--scan", "res-anchor", "--qps", "20", "--concurrency", "4"] + args +
                                       [domains], db, "res-anchor")
        if p:
            p.send_signal(signal.SIGKILL)
            p.communicate(timeout=60)
        with open(anchor) as f:
            text = f.read()
        # One hex digit of the DS digest (the last field) changed: another key's anchor.
        body = text.rstrip("\n")
        flipped = body[:-1] + ("0" if body[-1] != "0" else "1") + "\n"
        with open(anchor, "w") as f:
            f.write(flipped)
        r = run(["scan", "--db", db, "--scan", "res-anchor", "--resume", "--progress", "never",
                 domains])
        check(p is not None and r.returncode == 2 and "trust anchor" in r.stderr and
              "changed" in r.stderr,
              "a changed trust anchor file is refused on resume (exit %d: %s)" % (
                  r.returncode, r.stderr.strip()[:300]))

        # 4. diff of an authoritative and a resolver-mode scan of the lab.
        r = run(["scan", "--db", db, "--scan", "auth", "--root-hints", env["LAB_ROOT_HINTS"],
                 "--trust-anchor", env["LAB_TRUST_ANCHOR"], "--now", env["LAB_NOW"], "--port",
                 env["LAB_PORT"], "--qps", "0", "--progress", "never", domains])
        check(r.returncode == 0 and scan_row(db, "auth")[1] == "authoritative",
              "authoritative lab scan recorded in authoritative mode")
        r = run(["diff", "--db", db, "auth", "res-base"])
        check(r.returncode == 2 and "authoritative" in r.stderr and "resolver" in r.stderr and
              "--force" in r.stderr and not r.stdout,
              "diff across modes refused without --force (exit %d: %s)" % (
                  r.returncode, r.stderr.strip()))
        r = run(["diff", "--db", db, "--force", "auth", "res-base"])
        check(r.returncode == 0 and "modes differ" in r.stdout and "authoritative" in r.stdout,
              "diff --force (text) says the modes differ: %s" % r.stdout.splitlines()[:2])
        r = run(["diff", "--db", db, "--force", "--format", "jsonl", "auth", "res-base"])
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        check(r.returncode == 0 and lines and lines[0].get("modes_differ") ==
              {"old": "authoritative", "new": "resolver"} and
              all("modes_differ" in l for l in lines),
              "diff --force (jsonl): a first line and every line carry modes_differ")
        r = run(["diff", "--db", db, "--force", "--format", "html", "auth", "res-base"])
        check(r.returncode == 0 and "modes-differ" in r.stdout and "resolver mode" in r.stdout,
              "diff --force (html) says the modes differ")
        r = run(["diff", "--db", db, "res-base", "res-int"])
        check(r.returncode == 0 and "modes differ" not in r.stdout,
              "diff of two resolver-mode scans needs no --force")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
