"""Every command rejects options that are not its own (cli.md "Commands", issue 15): each
command given another command's option exits 2 with a message naming the option and the
command, and writes nothing; each command still takes its own options."""
import os
import shutil
import subprocess
import sys
import tempfile

DNSSWEEP = sys.argv[1]

# command, foreign option(s) (another command's), the option as the message names it
FOREIGN = [
    ("export", ["--fail-on-regression"], "--fail-on-regression"),
    ("export", ["--all"], "--all"),
    ("export", ["--diff-against", "x"], "--diff-against"),
    ("export", ["--force"], "--force"),
    ("export", ["--history", "3"], "--history"),
    ("diff", ["--history", "3"], "--history"),
    ("show", ["-o", "FILE"], "-o/--output"),
    ("show", ["--format", "csv"], "--format"),
    ("diff", ["--scan", "x"], "--scan"),
    ("export", ["--graph", "x.svg"], "--graph"),
    ("report", ["--graph", "x.svg"], "--graph"),
    ("diff", ["--diff-against", "x"], "--diff-against"),
    ("report", ["--format", "csv"], "--format"),
    ("report", ["--all"], "--all"),
    ("scans", ["--scan", "x"], "--scan"),
    ("scans", ["-o", "FILE"], "-o/--output"),
    ("merge", ["--format", "jsonl"], "--format"),
    ("merge", ["--scan", "x"], "--scan"),
    ("scan", ["--format", "csv"], "--format"),
    ("scan", ["--fail-on-regression"], "--fail-on-regression"),
    ("scan", ["--diff-against", "x"], "--diff-against"),
    ("check", ["--format", "csv"], "--format"),
    ("check", ["--fail-on-regression"], "--fail-on-regression"),
    ("check", ["--zone-file", "x"], "--zone-file"),
    ("check", ["--resume"], "--resume"),
    ("ds-actions", ["--all"], "--all"),
    ("ds-actions", ["--diff-against", "x"], "--diff-against"),
    ("ds-actions", ["--keep", "3"], "--keep"),
    ("export", ["--stable", "3"], "--stable"),
    ("diff", ["--stable", "3"], "--stable"),
]


def main():
    failures = passed = 0
    work = tempfile.mkdtemp(prefix="dnssweep-cli-options-")
    db = os.path.join(work, "db")
    try:
        def check(cond, what):
            nonlocal failures, passed
            print("%s - %s" % ("ok" if cond else "not ok", what))
            failures += not cond
            passed += bool(cond)

        for cmd, opt, named in FOREIGN:
            out = os.path.join(work, "FILE")
            args = [DNSSWEEP, cmd, "--db", db] + [out if o == "FILE" else o for o in opt]
            if cmd == "report":
                args += ["-o", os.path.join(work, "r.html")]
            r = subprocess.run(args + {"show": ["example.com"], "diff": ["a", "b"],
                                       "merge": [work], "check": ["example.com"]}.get(cmd, []),
                               capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
            first = r.stderr.splitlines()[0] if r.stderr else ""
            check(r.returncode == 2 and named in first and ("dnssweep %s" % cmd) in first and
                  not r.stdout and not os.path.exists(out) and not os.path.exists(db),
                  "%s %s: exit %d, %r" % (cmd, " ".join(opt), r.returncode, first))
        # The command's own options still work (the store does not exist: exit 1, not 2).
        for cmd, own in (("export", ["--scan", "x", "--format", "csv", "-o", "-"]),
                         ("diff", ["--format", "jsonl", "--all", "--fail-on-regression",
                                   "--force", "a", "b"]),
                         ("report", ["--scan", "x", "--diff-against", "y", "--history", "4",
                                     "-o", os.path.join(work, "r.html")]),
                         ("show", ["--scan", "x", "example.com"]),
                         ("show", ["--scan", "x", "--graph", os.path.join(work, "g.svg"),
                                   "example.com"]),
                         ("scans", []),
                         ("ds-actions", ["--scan", "x", "--stable", "2", "--format", "csv",
                                         "-o", "-"])):
            r = subprocess.run([DNSSWEEP, cmd, "--db", db] + own, capture_output=True, text=True,
                               timeout=30)
            check(r.returncode == 1 and "not an option" not in r.stderr,
                  "%s takes its own options %s (exit %d: no store)" % (cmd, own, r.returncode))
        for bad in ("0", "1001", "-2", "x", "3x", ""):
            r = subprocess.run([DNSSWEEP, "report", "--db", db, "--history", bad, "-o",
                                os.path.join(work, "r.html")], capture_output=True, text=True,
                               timeout=30)
            check(r.returncode == 2 and "--history wants a number of scans from 1 to 1000, not '%s'"
                  % bad in r.stderr, "report --history %r: exit %d, says what it wants" % (
                      bad, r.returncode))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
