"""--progress on the lab: under a pseudo-terminal a live line (carriage return + clear line)
that updates while the scan runs; on a pipe with --progress always a plain line per interval
(DNSSWEEP_PROGRESS_INTERVAL_MS shortens the 10 s); nothing with --progress never or with auto on
a pipe. The scan is slowed with --qps 50 so that it lasts several seconds."""
import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

from lab_common import lab_env

DNSSWEEP = sys.argv[1]


def base_args(env, db, name, qps):
    return ["scan", "--db", db, "--scan", name, "--root-hints", env["LAB_ROOT_HINTS"],
            "--trust-anchor", env["LAB_TRUST_ANCHOR"], "--now", env["LAB_NOW"],
            "--port", env["LAB_PORT"], "--qps", qps, "--qps-per-server", "0"]


def run_pty(argv, timeout=120, cols=250):
    """Runs argv with stderr on a pseudo-terminal of cols columns (stdout to /dev/null);
    returns (rc, bytes)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            r, _, _ = select.select([master], [], [], 0.5)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            elif p.poll() is not None:
                break
        else:
            p.kill()
        return p.wait(timeout=30), out
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        os.close(master)


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-progress-")
    # the small lab's domains only (a lab brought up with --bulk has thousands more)
    names = [l for l in open(env["LAB_DOMAINS"])
             if l.strip() and not l.startswith("#") and not l.strip().endswith(".bulk")]
    total = len(names)
    env["LAB_DOMAINS"] = os.path.join(work, "domains.txt")
    with open(env["LAB_DOMAINS"], "w") as f:
        f.writelines(names)
    db = os.path.join(work, "db")
    failures = 0

    def check(cond, what):
        nonlocal failures
        print("%s - %s" % ("ok" if cond else "not ok", what))
        if not cond:
            failures += 1

    try:
        rc, raw = run_pty([DNSSWEEP] + base_args(env, db, "tty", "50") + [env["LAB_DOMAINS"]])
        text = raw.decode("utf-8", "replace")
        check(rc == 0, "scan under a pseudo-terminal exits 0 (got %d)" % rc)
        updates = [u for u in text.split("\r\x1b[K")[1:]]
        lines = [u.split("\n")[0].strip() for u in updates]
        distinct = sorted(set(lines))
        print("# %d updates, %d distinct; first %r; last %r" % (
            len(lines), len(distinct), lines[0] if lines else None, lines[-1] if lines else None))
        check(len(distinct) >= 2, "the live line updates (>= 2 distinct updates)")
        pat = re.compile(r"^(\d+)/%d \(([\d.]+)%%\) done, \d+ domains/s, \d+ queries/s, \d+ in flight"
                         r" \| secure \d+ insecure \d+ bogus \d+ indeterminate \d+ lame \d+ "
                         r"nxdomain \d+ \| ETA \S+$" % total)
        check(all(pat.match(l) for l in lines), "every update has done/total, percent, rates, "
              "in flight, counts per status, ETA")
        done = [int(pat.match(l).group(1)) for l in lines if pat.match(l)]
        check(done == sorted(done), "done never goes back")
        check(bool(done) and done[-1] == total, "the last update shows %d/%d" % (
            done[-1] if done else -1, total))
        check("\nScan tty:" in text.replace("\r\n", "\n"), "the summary follows on its own line")
        waiting = [l for l in lines if pat.match(l) and
                   int(re.search(r"(\d+) in flight", l).group(1)) > 0]
        check(waiting and not [l for l in waiting if l.endswith("ETA 0s")],
              "no 'ETA 0s' while domains are in flight (%d such updates; last %r)" % (
                  len(waiting), waiting[-1] if waiting else None))

        # 80 columns: the line shrinks to fit, dropping rates first; done/total, the counts
        # per status and the ETA stay.
        rc, raw = run_pty([DNSSWEEP] + base_args(env, db, "tty80", "50") + [env["LAB_DOMAINS"]],
                          cols=80)
        text = raw.decode("utf-8", "replace")
        check(rc == 0, "scan on an 80-column terminal exits 0 (got %d)" % rc)
        lines80 = [u.split("\n")[0].rstrip("\r") for u in text.split("\r\x1b[K")[1:]]
        print("# 80 columns: %d updates; last %r" % (len(lines80), lines80[-1] if lines80 else None))
        check(lines80 and max(len(l) for l in lines80) < 80, "every update is under 80 columns "
              "(longest %d)" % max([len(l) for l in lines80] or [0]))
        pat80 = re.compile(r"^(\d+)/%d \([\d.]+%%\) \| sec \d+ ins \d+ bog \d+ ind \d+ lame \d+ "
                           r"nx \d+ \| ETA \S+$" % total)
        check(lines80 and all(pat80.match(l) for l in lines80),
              "every 80-column update keeps done/total, every status count and the ETA")
        check(lines80 and pat80.match(lines80[-1]) and
              int(pat80.match(lines80[-1]).group(1)) == total, "the last shows %d/%d" % (
                  total, total))

        envv = dict(os.environ, DNSSWEEP_PROGRESS_INTERVAL_MS="1000")
        t0 = time.monotonic()
        r = subprocess.run([DNSSWEEP] + base_args(env, db, "pipe", "50") +
                           ["--progress", "always", env["LAB_DOMAINS"]],
                           capture_output=True, text=True, timeout=120, env=envv)
        secs = time.monotonic() - t0
        plines = [l for l in r.stderr.splitlines() if l.startswith("progress: ")]
        print("# %.1f s, %d progress lines" % (secs, len(plines)))
        check(r.returncode == 0, "scan with --progress always on a pipe exits 0")
        check("\r" not in r.stderr and "\x1b" not in r.stderr, "no terminal control on a pipe")
        check(len(plines) >= 2, "plain progress lines on a pipe (>= 2)")
        # one line per interval (1 s here) plus the final one, never one per tick burst
        check(len(plines) <= secs / 1.0 + 2, "about one line per interval (%d in %.1f s)" % (
            len(plines), secs))
        check(plines and plines[-1].startswith("progress: %d/%d (100.0%%)" % (total, total)),
              "the last line shows the whole input")

        r = subprocess.run([DNSSWEEP] + base_args(env, db, "never", "0") +
                           ["--progress", "never", env["LAB_DOMAINS"]],
                           capture_output=True, text=True, timeout=120, env=envv)
        check(r.returncode == 0 and "progress:" not in r.stderr and "\r" not in r.stderr,
              "--progress never prints no progress")
        check("Scan never:" in r.stderr, "--progress never still prints the summary")
        r = subprocess.run([DNSSWEEP] + base_args(env, db, "auto", "0") + [env["LAB_DOMAINS"]],
                           capture_output=True, text=True, timeout=120, env=envv)
        check(r.returncode == 0 and "progress:" not in r.stderr,
              "--progress auto prints none when stderr is not a terminal")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
