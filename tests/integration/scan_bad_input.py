"""Bad input (cli.md "Input"): invalid names, overlong labels, binary garbage, NUL bytes,
invalid UTF-8 and CRLF line ends among valid lab names. Each bad line is reported with its line
number and skipped, every valid name is scanned once (duplicates too), and --strict turns a bad
line into a usage error (exit 2) before anything is sent or stored. The same list gzip-compressed
scans the same; a truncated one is an error naming the file, line and offset."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import expected, lab_env

DNSSWEEP = sys.argv[1]


def main():
    env = lab_env()
    valid = [row["domain"] for row in expected(env["LAB_EXPECTED"])][:12]
    work = tempfile.mkdtemp(prefix="dnssweep-bad-input-")
    failures = 0
    checks = 0
    try:
        lines = [b"# a comment", b""]
        bad_lines = {}
        for i, name in enumerate(valid):
            lines.append(name.upper().encode() + (b".\r" if i % 2 else b""))  # case, dot, CRLF
            if i == 3:
                lines.append(b"bad..name.test")
                bad_lines[len(lines)] = "empty label"
                lines.append(b"a" * 64 + b".test")
                bad_lines[len(lines)] = "label"
                lines.append(b"\x00\x01\x02garbage\xff\xfe")
                bad_lines[len(lines)] = "NUL"
                lines.append(b"caf\xc3.test")  # invalid UTF-8
                bad_lines[len(lines)] = "internationalised"
                lines.append(b"x" * 5000)
                bad_lines[len(lines)] = "longer than"
                lines.append(b"semi;colon.test")
                bad_lines[len(lines)] = "'"
                lines.append(valid[0].encode())  # a duplicate
        path = os.path.join(work, "domains.txt")
        with open(path, "wb") as f:
            f.write(b"\n".join(lines) + b"\n")
        base = ["--root-hints", env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_TRUST_ANCHOR"],
                "--now", env["LAB_NOW"], "--port", env["LAB_PORT"], "--qps", "0",
                "--qps-per-server", "0", "--progress", "never"]

        strict_db = os.path.join(work, "strict.db")
        r = subprocess.run([DNSSWEEP, "scan", "--strict", "--db", strict_db] + base + [path],
                           capture_output=True, text=True, timeout=120)
        checks += 1
        if r.returncode != 2 or os.path.exists(os.path.join(strict_db, "data.mdb")):
            print("not ok - --strict: exit %d (want 2), store created: %s\n%s" % (
                r.returncode, os.path.exists(strict_db), r.stderr))
            failures += 1
        else:
            print("ok - --strict rejects the file before anything is sent (exit 2)")

        db = os.path.join(work, "db")
        r = subprocess.run([DNSSWEEP, "scan", "--db", db, "-o", "-"] + base + [path],
                           capture_output=True, text=True, timeout=300)
        checks += 1
        if r.returncode != 0:
            print("not ok - scan exited %d\n%s" % (r.returncode, r.stderr))
            return 1
        print("ok - the scan completes (exit 0)")
        for line_no, words in sorted(bad_lines.items()):
            checks += 1
            msg = [l for l in r.stderr.splitlines() if ("%s:%d:" % (path, line_no)) in l]
            if len(msg) != 1 or words not in msg[0]:
                print("not ok - line %d: expected one message containing %r, got %r" % (
                    line_no, words, msg))
                failures += 1
            else:
                print("ok - line %d reported: %s" % (line_no, msg[0]))
        got = [json.loads(l)["domain"] for l in r.stdout.splitlines()]
        checks += 1
        if sorted(got) != sorted(valid):
            print("not ok - scanned %s, expected every valid name once: %s" % (got, valid))
            failures += 1
        else:
            print("ok - all %d valid names scanned exactly once" % len(valid))

        # The same list gzip-compressed (named .dat: detection is by content): same verdicts,
        # the same bad lines reported at the same line numbers.
        def verdicts(out):
            return sorted((d["domain"], d["status"], tuple(x["code"] for x in d["reasons"]))
                          for d in map(json.loads, out.splitlines()))
        plain_verdicts = verdicts(r.stdout)
        with open(path, "rb") as f:
            packed = gzip.compress(f.read())
        gz_path = os.path.join(work, "domains.dat")
        with open(gz_path, "wb") as f:
            f.write(packed)
        g = subprocess.run([DNSSWEEP, "scan", "--db", os.path.join(work, "gz.db"), "-o", "-"] +
                           base + [gz_path], capture_output=True, text=True, timeout=300)
        prefix = "dnssweep: %s:" % gz_path
        gz_bad = sorted(l[len(prefix):].split(":")[0] for l in g.stderr.splitlines()
                        if l.startswith(prefix))
        want_bad = sorted(str(n) for n in bad_lines)
        checks += 1
        if g.returncode != 0 or verdicts(g.stdout) != plain_verdicts or gz_bad != want_bad:
            print("not ok - gzip list: exit %d, %d verdicts (plain %d), bad lines %s (want %s)\n%s"
                  % (g.returncode, len(verdicts(g.stdout)), len(plain_verdicts), gz_bad,
                     want_bad, g.stderr[-800:]))
            failures += 1
        else:
            print("ok - the gzip list scans the same as the plain one: %d verdicts, bad lines %s"
                  % (len(plain_verdicts), ",".join(gz_bad)))
        cut = os.path.join(work, "cut.txt.gz")
        with open(cut, "wb") as f:
            f.write(packed[:len(packed) * 2 // 3])
        c = subprocess.run([DNSSWEEP, "scan", "--db", os.path.join(work, "cut.db"), "-o", "-"] +
                           base + [cut], capture_output=True, text=True, timeout=300)
        checks += 1
        msg = [l for l in c.stderr.splitlines() if "truncated gzip" in l]
        if c.returncode == 0 or len(msg) != 1 or ("%s:" % cut) not in msg[0] \
                or "compressed byte" not in msg[0]:
            print("not ok - truncated gzip: exit %d\n%s" % (c.returncode, c.stderr[-800:]))
            failures += 1
        else:
            print("ok - a truncated gzip list fails (exit %d): %s" % (c.returncode, msg[0]))
        c = subprocess.run([DNSSWEEP, "scan", "--strict", "--db", os.path.join(work, "cuts.db")] +
                           base + [cut], capture_output=True, text=True, timeout=120)
        checks += 1
        if c.returncode != 2 or "truncated gzip" not in c.stderr:
            print("not ok - truncated gzip with --strict: exit %d\n%s" % (c.returncode, c.stderr))
            failures += 1
        else:
            print("ok - --strict refuses a truncated gzip list before sending (exit 2)")

        # An empty file: nothing to do, exit 0. A 10 MB line and 1,000,000 copies of one name:
        # bounded memory, one message, one scan of the name.
        empty = os.path.join(work, "empty.txt")
        open(empty, "w").close()
        r = subprocess.run([DNSSWEEP, "scan", "--db", os.path.join(work, "empty.db"), "-o", "-"] +
                           base + [empty], capture_output=True, text=True, timeout=120)
        checks += 1
        if r.returncode != 0 or r.stdout.strip():
            print("not ok - empty input: exit %d, output %r" % (r.returncode, r.stdout[:200]))
            failures += 1
        else:
            print("ok - an empty file scans nothing and exits 0")
        dup = os.path.join(work, "dup.txt")
        with open(dup, "wb") as f:
            f.write(b"x" * (10 << 20) + b"\n")
            f.write((valid[0] + "\n").encode() * 1000000)
            f.write((valid[1] + "\n").encode())
        r = subprocess.run([DNSSWEEP, "scan", "--db", os.path.join(work, "dup.db"), "-o", "-"] +
                           base + [dup], capture_output=True, text=True, timeout=600)
        got = sorted(json.loads(l)["domain"] for l in r.stdout.splitlines())
        checks += 1
        if r.returncode != 0 or got != sorted(valid[:2]) or "999999 duplicates" not in r.stderr \
                or r.stderr.count("longer than") != 1:
            print("not ok - 10 MB line + 1,000,000 duplicates: exit %d, scanned %s\n%s" % (
                r.returncode, got, r.stderr[-800:]))
            failures += 1
        else:
            print("ok - a 10 MB line is one message; 1,000,000 copies of a name scan it once "
                  "(999999 duplicates counted)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
