"""dnssweep scan short of file descriptors (RLIMIT_NOFILE), on its own lab at 127.65.

1. Authoritative mode, the limit set in the child before exec, raised one by one from 8 until a
   scan succeeds: every run below that exits 1 with a message naming the limit and what could
   not be opened (the scan's start, the results store, the UDP sockets), never crashes, hangs
   or stores a verdict; the store stays readable (scans, export); the first run that succeeds
   and a later scan on the failed runs' stores (same --db, normal limit) give every domain the
   lab's expected status and reason codes.
2. Mid-scan: resolver mode through a small proxy that truncates every UDP answer (so every
   query goes over TCP) and closes idle TCP connections (so dnssweep keeps opening new ones).
   The proxy holds the answers for the second half of the domains until the test releases them,
   so the scan cannot finish on its own: once some results of the first half are stored, the
   running scan's limit is lowered (prlimit on its pid) to the descriptors it holds besides its
   TCP connections, then the held answers go out and the next connection fails with EMFILE.
   (Gated on the proxy, not on speed: the scan cannot end before the limit is lowered.)
   The scan stops with a message naming the TCP connection and the limit and a resume hint;
   every stored verdict equals an unhindered scan's; --resume with a normal limit completes it,
   every domain as the lab's expected file says for resolver mode.
"""
import json
import os
import resource
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from lab_common import LAB, Checks, expected, lab_scan_args, resolver_expectation

DNSSWEEP = sys.argv[1]
# DNSSWEEP_FDLIMIT_NET: run it on another free net (e.g. a developer's own) [127.65].
NET = os.environ.get("DNSSWEEP_FDLIMIT_NET", "127.65")
PROXY_IP = NET + ".9.1"
LIMIT_MAX = 120  # a scan of the small lab needs about 50
CRASH_MARKERS = ("AddressSanitizer", "runtime error", "LeakSanitizer", "Aborted", "core dumped")


def limited(n):
    """preexec_fn: soft and hard RLIMIT_NOFILE = n in the child (dnssweep cannot raise it)."""
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))


def run(args, limit=None, timeout=120):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limited(limit) if limit else None)


def export(db, scan):
    """{domain: (status, sorted codes)} of a scan, or None when export fails."""
    r = run(["export", "--db", db, "--scan", scan])
    if r.returncode != 0:
        return None
    out = {}
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        out[rec["domain"]] = (rec["status"], tuple(sorted(x["code"] for x in rec["reasons"])))
    return out


def stage_of(stderr):
    """What the message says could not be opened, or None."""
    for stage, marker in (("start", "cannot start:"), ("loop", "event loop"),
                          ("store", "results store"), ("store", "cannot start scan"),
                          ("udp", "UDP sockets"), ("tcp", "TCP connection"),
                          ("input", "cannot open ")):
        if marker in stderr:
            return stage
    return None


def matches_expected(check, got, rows, what, allowed=None):
    """Every expected domain present with its expected (status, codes)."""
    wrong = []
    for row in rows:
        want = allowed(row) if allowed else [(row["status"], set(row["reasons"].split(",")) - {"-"})]
        have = got.get(row["domain"])
        if have is None or not any(have[0] == st and set(have[1]) == c for st, c in want):
            wrong.append("%s: %s, expected %s" % (row["domain"], have, want))
    check(not wrong and len(got) == len(rows),
          "%s: %d domains, every one as expected%s" % (what, len(got), "" if not wrong else
                                                       " -- wrong: " + "; ".join(wrong[:5])))


def sweep(check, lab, rows, work):
    """Part 1. Returns the first limit at which a scan succeeded (0 if none did)."""
    base = lab_scan_args(lab)
    stages, resumable = {}, {}
    for n in range(8, LIMIT_MAX + 1):
        db = os.path.join(work, "sweep-%d" % n)
        t0 = time.monotonic()
        r = run(["scan", "--db", db, "--scan", "s"] + base + [lab["LAB_DOMAINS"]], limit=n)
        took = time.monotonic() - t0
        crashed = r.returncode < 0 or any(m in r.stderr for m in CRASH_MARKERS)
        if r.returncode == 0:
            check(True, "limit %d: the scan completes (%.1f s)" % (n, took))
            matches_expected(check, export(db, "s") or {}, rows, "limit %d" % n)
            return n, stages, resumable
        stage = stage_of(r.stderr)
        first = r.stderr.strip().splitlines()[0] if r.stderr.strip() else ""
        good = (r.returncode == 1 and not crashed and stage is not None and
                "too many open files" in r.stderr and "open-file limit is %d" % n in r.stderr)
        if not good or stage not in stages:
            check(good, "limit %d: exit %d in %.1f s: %s" % (n, r.returncode, took, first))
        if not good:
            print("# stderr:\n# " + "\n# ".join(r.stderr.splitlines()[:30]))
        stages.setdefault(stage, n)
        if os.path.exists(os.path.join(db, "data.mdb")):
            scans = run(["scans", "--db", db])
            stored = export(db, "s")
            # An empty store (its writer stopped before writing) reads as "not found". A limit
            # that bites mid-scan (a TCP connection) keeps the domains finished before it, each
            # as the lab expects; a limit that bites at start stores nothing.
            want = {r["domain"]: (r["status"], tuple(sorted(set(r["reasons"].split(",")) - {"-"})))
                    for r in rows}
            wrong = {d: v for d, v in (stored or {}).items() if want.get(d) != v}
            ok = (scans.returncode == 0 or "not found" in scans.stderr) and (
                stored is None or stored == {} or (stage == "tcp" and not wrong))
            if not ok or stage not in resumable:
                check(ok, "limit %d: store not damaged (scans: %s), %s (%s)%s" % (
                    n, "exit 0" if scans.returncode == 0 else scans.stderr.strip(),
                    "only finished domains stored, each as expected" if stage == "tcp"
                    else "no verdict stored",
                    "no scan" if stored is None else len(stored),
                    " -- wrong: %s" % wrong if wrong else ""))
            resumable.setdefault(stage, (db, stored is not None))
    check(False, "no scan succeeded with up to %d descriptors" % LIMIT_MAX)
    return 0, stages, resumable


class Proxy:
    """UDP: every answer truncated (TC=1, question only). TCP: each query relayed to the lab's
    Unbound over TCP, answers written back as they come; a connection is closed once nothing is
    pending on it and it has answered ANSWERS queries or been idle IDLE seconds, so the client
    keeps opening new ones. hold(domains): TCP queries for names in those zones (the longest
    matching domain of the list decides) are not relayed until release()."""
    IDLE = 0.3
    ANSWERS = 4

    def __init__(self, ip, port, upstream):
        self.upstream = upstream
        self.stop = threading.Event()
        self.released = threading.Event()
        self.released.set()
        self.domains, self.held = set(), set()
        self.held_queries = 0
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((ip, port))
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((ip, port))
        self.tcp.listen(64)
        self.accepted = 0
        self.threads = [threading.Thread(target=self.serve_udp, daemon=True),
                        threading.Thread(target=self.serve_tcp, daemon=True)]
        for t in self.threads:
            t.start()

    def hold(self, all_domains, held):
        self.domains = {d.lower().rstrip(".") for d in all_domains}
        self.held = {d.lower().rstrip(".") for d in held}
        self.released.clear()

    def release(self):
        self.released.set()

    def is_held(self, frame):
        labels, pos = [], 12
        while pos < len(frame) and frame[pos] != 0:
            labels.append(frame[pos + 1:pos + 1 + frame[pos]].decode("ascii", "replace").lower())
            pos += 1 + frame[pos]
        for i in range(len(labels)):  # longest matching domain of the list first
            name = ".".join(labels[i:])
            if name in self.domains:
                return name in self.held
        return False

    def close(self):
        self.released.set()
        self.stop.set()
        for t in self.threads:
            t.join(timeout=5)
        self.udp.close()
        self.tcp.close()

    @staticmethod
    def question_end(q):
        pos = 12
        while pos < len(q) and q[pos] != 0:
            pos += 1 + q[pos]
        return pos + 5

    def serve_udp(self):
        while not self.stop.is_set():
            if not select.select([self.udp], [], [], 0.2)[0]:
                continue
            q, peer = self.udp.recvfrom(65535)
            if len(q) < 17:
                continue
            end = self.question_end(q)
            flags = bytes([q[2] | 0x82, 0])  # QR, TC; RCODE 0
            self.udp.sendto(q[:2] + flags + b"\0\1\0\0\0\0\0\0" + q[12:end], peer)

    def ask_upstream(self, frame):
        with socket.create_connection(self.upstream, timeout=10) as u:
            u.sendall(struct.pack("!H", len(frame)) + frame)
            data = b""
            while len(data) < 2 or len(data) < 2 + struct.unpack("!H", data[:2])[0]:
                chunk = u.recv(65535)
                if not chunk:
                    return None
                data += chunk
            return data[:2 + struct.unpack("!H", data[:2])[0]]

    def serve_tcp(self):
        while not self.stop.is_set():
            if not select.select([self.tcp], [], [], 0.2)[0]:
                continue
            conn, _ = self.tcp.accept()
            self.accepted += 1
            threading.Thread(target=self.serve_conn, args=(conn,), daemon=True).start()

    def serve_conn(self, conn):
        lock = threading.Lock()
        state = {"pending": 0, "answered": 0, "last": time.monotonic()}

        def answer(frame):
            if not self.released.is_set() and self.is_held(frame):
                with lock:
                    self.held_queries += 1
                self.released.wait()
                # A held query is never answered on its connection: the connection closes, so
                # the scanner must ask again over a new one, which the lowered limit refuses.
                # (Answering it would let a scan that had sent every question before the
                # limit came finish without opening anything: a race with the machine's load.)
                with lock:
                    state["pending"] -= 1
                    try:
                        conn.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                return
            try:
                reply = self.ask_upstream(frame)
            except OSError:
                reply = None
            with lock:
                state["pending"] -= 1
                state["answered"] += 1
                state["last"] = time.monotonic()
                if reply:
                    try:
                        conn.sendall(reply)
                    except OSError:
                        pass

        buf = b""
        try:
            while not self.stop.is_set():
                if select.select([conn], [], [], 0.05)[0]:
                    chunk = conn.recv(65535)
                    if not chunk:
                        break
                    buf += chunk
                    while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                        n = struct.unpack("!H", buf[:2])[0]
                        with lock:
                            state["pending"] += 1
                        threading.Thread(target=answer, args=(buf[2:2 + n],), daemon=True).start()
                        buf = buf[2 + n:]
                with lock:
                    if state["pending"] == 0 and (state["answered"] >= self.ANSWERS or
                                                  time.monotonic() - state["last"] > self.IDLE):
                        break
        except OSError:
            pass
        with lock:
            conn.close()


def tcp_inodes():
    inodes = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    inodes.add(line.split()[9])
        except OSError:
            pass
    return inodes


def held_without_tcp(pid):
    """The smallest limit that keeps every descriptor pid holds except its TCP sockets."""
    tcp = tcp_inodes()
    keep = []
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in tcp:
            continue
        keep.append(int(fd))
    return max(keep) + 1


def mid_scan(check, lab, rows, work):
    """Part 2."""
    proxy = Proxy(PROXY_IP, int(lab["LAB_PORT"]), (lab["LAB_UNBOUND"], int(lab["LAB_PORT"])))
    try:
        base = [a for a in lab_scan_args(lab) if a not in ("--root-hints", lab["LAB_ROOT_HINTS"])]
        # A recursive resolver needs longer than one authoritative server when a zone has a
        # dead server (unreach.test) or a silent one: it tries them in turn. 800 ms per try
        # through the proxy's fresh TCP connection to Unbound is a race with Unbound's own
        # timeouts, not a property of the scan.
        base += ["--resolver", "%s#%s" % (PROXY_IP, lab["LAB_PORT"]), "--timeout", "3000"]
        db_ok = os.path.join(work, "resolver-ok")
        r = run(["scan", "--db", db_ok, "--scan", "r"] + base + [lab["LAB_DOMAINS"]], timeout=300)
        check(r.returncode == 0, "resolver mode through the truncating proxy: exit %d" % r.returncode)
        clean = export(db_ok, "r") or {}
        matches_expected(check, clean, rows, "resolver mode over TCP", resolver_expectation)
        check(proxy.accepted > 1, "the proxy saw %d TCP connections" % proxy.accepted)

        db = os.path.join(work, "resolver-cut")
        names = [r["domain"] for r in rows]
        proxy.hold(names, names[len(names) // 2:])
        # Held answers must not time out: the scan waits for them as for a slow resolver.
        patient = base + ["--timeout", "60000"]
        p = subprocess.Popen([DNSSWEEP, "scan", "--db", db, "--scan", "r"] + patient +
                             [lab["LAB_DOMAINS"]], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        limit, stored_before = None, 0
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline and p.poll() is None:
                stored_before = len(export(db, "r") or {})
                if stored_before >= 5:
                    limit = held_without_tcp(p.pid)
                    resource.prlimit(p.pid, resource.RLIMIT_NOFILE, (limit, limit))
                    break
                time.sleep(0.3)
        finally:
            print("# %d queries held until the limit was lowered" % proxy.held_queries)
            proxy.release()
        try:
            _, err = p.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
            check(False, "the scan ends after its limit was lowered (killed after 90 s)")
        check(limit is not None, "limit lowered to %s while %d results were stored" % (
            limit, stored_before))
        line = next((l for l in err.splitlines() if "TCP connection" in l), "")
        check(p.returncode == 1 and not any(m in err for m in CRASH_MARKERS) and
              "cannot open a TCP connection to %s: too many open files" % PROXY_IP in line and
              "open-file limit is %s" % limit in line,
              "exit %d: %s" % (p.returncode, line or err.strip()[-300:]))
        check("interrupted; resume it with" in err and "--resume" in err,
              "the message says how to resume")
        cut = export(db, "r")
        allowed = {r["domain"]: resolver_expectation(r) for r in rows}
        wrong = {d: v for d, v in (cut or {}).items()
                 if not any(v[0] == st and set(v[1]) == c for st, c in allowed.get(d, []))}
        check(cut is not None and stored_before <= len(cut) < len(rows) and not wrong,
              "store readable: %s stored, each as the lab expects%s" % (
                  None if cut is None else len(cut), "" if not wrong else " -- wrong: %s" % wrong))
        r = run(["scan", "--db", db, "--scan", "r", "--resume"] + patient + [lab["LAB_DOMAINS"]],
                timeout=300)
        check(r.returncode == 0, "--resume with a normal limit: exit %d" % r.returncode)
        done = export(db, "r") or {}
        # Domains whose resolver-mode verdict depends on the resolver's timing (a dead or silent
        # server: more than one allowed outcome) are checked against the expectation below.
        steady = [r["domain"] for r in rows if len(resolver_expectation(r)) == 1]
        differ = {d: (clean.get(d), done.get(d)) for d in steady if clean.get(d) != done.get(d)}
        check(len(done) == len(rows) and not differ,
              "resumed store equals the unhindered scan (%d domains; %d with one possible "
              "outcome compared)%s" % (len(done), len(steady), " -- differ: %s" % differ if differ
                                       else ""))
        matches_expected(check, done, rows, "resumed resolver-mode scan", resolver_expectation)
    finally:
        proxy.close()


def main():
    check = Checks()
    here = os.path.dirname(os.path.abspath(DNSSWEEP))
    lab_dir = os.path.abspath(os.path.join(here, "..", "fdlimitlab"))
    env = dict(os.environ, DNSSWEEP_LAB_DIR=lab_dir, DNSSWEEP_LAB_NET=NET)
    work = tempfile.mkdtemp(prefix="dnssweep-fdlimit-")
    try:
        up = subprocess.run([LAB, "up"], env=env, capture_output=True, text=True, timeout=300)
        check(up.returncode == 0, "lab up on %s" % NET)
        if up.returncode != 0:
            print("# " + up.stderr)
            return 1
        out = subprocess.run([LAB, "env"], env=env, capture_output=True, text=True, timeout=30)
        lab = dict(l.split("=", 1) for l in out.stdout.splitlines() if "=" in l)
        rows = [r for r in expected(lab["LAB_EXPECTED"]) if not r["domain"].endswith(".bulk")]

        first_ok, stages, resumable = sweep(check, lab, rows, work)
        print("# first limit that scans: %d; limits where each stage failed first: %s" % (
            first_ok, sorted(stages.items(), key=lambda kv: kv[1])))
        for stage in ("start", "store", "udp"):
            check(stage in stages, "a limit where '%s' could not get its descriptors" % stage)
        # The same --db again with a normal limit completes the scan.
        for stage, (db, has_scan) in sorted(resumable.items()):
            args = ["scan", "--db", db, "--scan", "s"] + (["--resume"] if has_scan else [])
            r = run(args + lab_scan_args(lab) + [lab["LAB_DOMAINS"]], timeout=300)
            check(r.returncode == 0, "store of the run that failed at '%s': scan again, exit %d" % (
                stage, r.returncode))
            matches_expected(check, export(db, "s") or {}, rows, "after '%s'" % stage)
        mid_scan(check, lab, rows, work)
    finally:
        subprocess.run([LAB, "down"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
