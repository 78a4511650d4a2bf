"""doc/dnssweep.1 matches --help: every long option of `dnssweep scan --help` (and of every
other command's --help) is in the man page, every command has its section, the page renders
without groff warnings, and `cmake --install` puts it in share/man/man1 (with contrib/)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

DNSSWEEP, BUILD_DIR = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAN = os.path.join(ROOT, "doc", "dnssweep.1")
COMMANDS = ["scan", "export", "diff", "report", "show", "scans", "merge", "check", "prune",
            "ds-actions"]


def long_options(text):
    return sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", text)))


def main():
    failures = 0

    def check(cond, what):
        nonlocal failures
        print("%s - %s" % ("ok" if cond else "not ok", what))
        if not cond:
            failures += 1

    roff = open(MAN).read()
    # roff writes a hyphen as \- ; the page as text is what a reader searches
    page = roff.replace("\\-", "-")
    scan_help = subprocess.run([DNSSWEEP, "scan", "--help"], capture_output=True, text=True,
                               timeout=30).stdout
    opts = long_options(scan_help)
    check(len(opts) >= 20, "scan --help lists %d long options" % len(opts))
    missing = [o for o in opts if not re.search(re.escape(o) + r"(?![a-z0-9-])", page)]
    check(not missing, "every long option of scan --help is in the man page %s" % (missing or ""))
    for cmd in COMMANDS:
        r = subprocess.run([DNSSWEEP, cmd, "--help"], capture_output=True, text=True, timeout=30)
        text = r.stdout + r.stderr
        usage = text.splitlines()[0] if text else ""
        check(r.returncode == 0 and usage.startswith("usage: dnssweep " + cmd),
              "%s --help prints its usage" % cmd)
        check(".SS \"dnssweep %s " % cmd in page, "the page has a section for %s" % cmd)
        missing = [o for o in long_options(text) if o not in page]
        check(not missing, "%s: every long option of its --help is in the page %s" % (
            cmd, missing or ""))
    version = subprocess.run([DNSSWEEP, "--version"], capture_output=True, text=True,
                             timeout=30).stdout.split()[-1]
    check('"dnssweep %s"' % version in roff, "the page names version %s" % version)
    if shutil.which("groff"):
        g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", MAN], capture_output=True,
                           text=True, timeout=60)
        check(g.returncode == 0 and not g.stderr.strip(), "groff renders it without warnings %s"
              % g.stderr.strip())
    prefix = tempfile.mkdtemp(prefix="dnssweep-install-")
    try:
        r = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", prefix],
                           capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, "cmake --install works (%s)" % r.stderr.strip()[-300:])
        installed = os.path.join(prefix, "share", "man", "man1", "dnssweep.1")
        check(os.path.exists(installed) and open(installed).read() == roff,
              "cmake --install puts dnssweep.1 in share/man/man1")
        check(os.access(os.path.join(prefix, "share", "dnssweep", "nightly.sh"), os.X_OK) and
              os.path.exists(os.path.join(prefix, "share", "dnssweep", "contrib",
                                          "dnssweep-nightly.timer")),
              "cmake --install puts the nightly workflow in share/dnssweep")
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
