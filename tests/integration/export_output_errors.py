"""Where the output of export, diff and report goes wrong, the message blames the output, not
the store: a reader that stops early (`dnssweep export | head`) ends the command quietly with
the status SIGPIPE would have given (141); a full disk (/dev/full) as standard output or as -o
FILE is "writing ... failed: No space left on device", exit 1; and the store exports in full
afterwards (a failed write costs no stored result)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import lab_env, Checks, lab_scan_args, small_lab_domains

DNSSWEEP = sys.argv[1]


def reader_gone(args, timeout=120):
    """Runs dnssweep with stdout a pipe whose reader has already gone (as `| head` leaves it once
    head has read enough; closed before the start, so the outcome does not depend on how much
    fits in the pipe before the reader stops)."""
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run([DNSSWEEP] + args, stdout=w, stderr=subprocess.PIPE, text=True,
                           timeout=timeout)
    finally:
        os.close(w)
    return p.returncode, p.stderr


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-export-output-")
    check = Checks()
    try:
        db = os.path.join(work, "db")
        domains = small_lab_domains(env, work)
        for name in ("one", "two"):
            r = subprocess.run([DNSSWEEP, "scan", "--db", db, "--scan", name] +
                               lab_scan_args(env) + [domains], capture_output=True, text=True,
                               timeout=300)
            check(r.returncode == 0, "scan %s exits 0 (%d) %s" % (name, r.returncode,
                                                                  r.stderr.strip()[-200:]))
        full = subprocess.run([DNSSWEEP, "export", "--db", db], capture_output=True, text=True,
                              timeout=120)
        n = len(full.stdout.splitlines())
        check(full.returncode == 0 and n > 50, "export writes %d lines" % n)

        cases = [("export", ["export", "--db", db]),
                 ("export csv", ["export", "--db", db, "--format", "csv"]),
                 ("export table", ["export", "--db", db, "--format", "table"]),
                 ("diff --all", ["diff", "--db", db, "one", "two", "--all", "--format", "jsonl"])]
        for what, args in cases:
            rc, err = reader_gone(args)
            check(rc == 141 and err == "",
                  "%s | (reader gone): exit %d (want 141), stderr %r" % (what, rc, err[:200]))

        for what, args in (("export", ["export", "--db", db]),
                           ("report", ["report", "--db", db, "-o", "-"])):
            with open("/dev/full", "w") as devfull:
                r = subprocess.run([DNSSWEEP] + args, stdout=devfull, stderr=subprocess.PIPE,
                                   text=True, timeout=120)
            check(r.returncode == 1 and "writing to standard output failed: No space left"
                  in r.stderr and "results store" not in r.stderr,
                  "%s > /dev/full: exit %d, %r" % (what, r.returncode, r.stderr.strip()))
        for what, args in (("export -o", ["export", "--db", db, "-o", "/dev/full"]),
                           ("report -o", ["report", "--db", db, "-o", "/dev/full"]),
                           ("diff -o", ["diff", "--db", db, "one", "two", "-o", "/dev/full"])):
            r = subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=120)
            check(r.returncode == 1 and "writing /dev/full failed: No space left" in r.stderr
                  and r.stderr.count("\n") == 1,
                  "%s /dev/full: exit %d, one line: %r" % (what, r.returncode, r.stderr.strip()))

        again = subprocess.run([DNSSWEEP, "export", "--db", db], capture_output=True, text=True,
                               timeout=120)
        check(again.returncode == 0 and again.stdout == full.stdout,
              "the store still exports the same %d records" % n)
        doms = {json.loads(l)["domain"] for l in again.stdout.splitlines()}
        check(len(doms) == n, "one line per domain (%d)" % len(doms))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
