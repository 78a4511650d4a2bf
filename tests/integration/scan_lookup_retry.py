"""A name server's address lookup that goes unanswered for a while is asked again, never cached
as "no address" (issue 16: at N = 50,000 one lost burst when a DNS host's names were looked up
made all 3,927 customers of the host lame + NS_UNREACHABLE for the whole scan).

oob.test's only name server, ns-oob.example, has no glue: the scanner looks its address up in
the lab's `example` zone. Every lab server address is reached through a relay on another port
(the scan's --port) that drops, for a while, one kind of question and passes everything else:
1. the first DROP (6) A and the first DROP AAAA questions for ns-oob.example: all of one lookup's
   tries (3, plus at most 3 while the server answers other questions);
2. the first DROP DNSKEY questions for `example` (the zone the lookup walks through: it is set up
   silent, and the lookup made again sets it up again).
Each time oob.test must come out as the lab's expected file says (secure, no reason), and the
relay must have seen the dropped questions asked again (else the check says nothing)."""
import json
import os
import selectors
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

from lab_common import Checks, expected, lab_env, lab_scan_args

import zones as Z  # noqa: E402  (tests/lab, on the path through lab_common)

DNSSWEEP = sys.argv[1]
DROP = 6
T_A, T_AAAA, T_DNSKEY = 1, 28, 48


def question(msg):
    """(lower-case name with trailing dot, qtype) of a query's first question, or None."""
    labels, i = [], 12
    while i < len(msg) and msg[i] != 0:
        labels.append(msg[i + 1:i + 1 + msg[i]].decode("ascii", "replace").lower())
        i += 1 + msg[i]
    if i + 3 > len(msg):
        return None
    return ".".join(labels) + ".", struct.unpack("!H", msg[i + 1:i + 3])[0]


class DroppingRelay:
    """UDP on every lab server address at port, relayed to the same address at upstream_port;
    of the questions for name, the first `drop` of each type in qtypes are dropped. .seen counts
    the questions for name per type."""

    def __init__(self, addrs, port, upstream_port, name, qtypes, drop):
        self.name, self.qtypes, self.drop = name, qtypes, drop
        self.seen = dict.fromkeys(qtypes, 0)
        self.sel = selectors.DefaultSelector()
        self.socks = []
        for a in addrs:
            front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            front.bind((a, port))
            up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            up.connect((a, upstream_port))
            pending = {}  # DNS id -> client address
            self.sel.register(front, selectors.EVENT_READ, ("front", front, up, pending))
            self.sel.register(up, selectors.EVENT_READ, ("up", front, up, pending))
            self.socks += [front, up]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            for key, _ in self.sel.select(timeout=0.2):
                kind, front, up, pending = key.data
                if kind == "front":
                    msg, client = front.recvfrom(65535)
                    q = question(msg)
                    if q and q[0] == self.name and q[1] in self.qtypes:
                        self.seen[q[1]] += 1
                        if self.seen[q[1]] <= self.drop:
                            continue
                    pending[msg[:2]] = client
                    up.send(msg)
                else:
                    msg = up.recv(65535)
                    client = pending.pop(msg[:2], None)
                    if client:
                        front.sendto(msg, client)

    def close(self):
        self.stop.set()
        self.thread.join(timeout=10)
        for s in self.socks:
            self.sel.unregister(s)
            s.close()


def free_port(addrs):
    """A UDP port free on every address (tried from 15353 upwards)."""
    for port in range(15353, 15453):
        taken = []
        try:
            for a in addrs:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                taken.append(s)
                s.bind((a, port))
            return port
        except OSError:
            continue
        finally:
            for s in taken:
                s.close()
    raise SystemExit("no free UDP port for the relay")


def main():
    env = lab_env()
    rows = {r["domain"]: r for r in expected(env["LAB_EXPECTED"])}
    want = (rows["oob.test"]["status"], sorted(set(rows["oob.test"]["reasons"].split(",")) - {"-"}))
    addrs = sorted({Z.addr(env["LAB_NET"], s) for s in Z.SERVERS})
    port = free_port(addrs)
    check = Checks()
    work = tempfile.mkdtemp(prefix="dnssweep-lookup-retry-")
    cases = [("ns-oob.example.", {T_A, T_AAAA}, "A/AAAA of ns-oob.example"),
             ("example.", {T_DNSKEY}, "DNSKEY of example (the zone the lookup walks through)")]
    inp = os.path.join(work, "domains.txt")
    with open(inp, "w") as f:
        f.write("oob.test\n")
    try:
        for k, (name, qtypes, label) in enumerate(cases):
            relay = DroppingRelay(addrs, port, int(env["LAB_PORT"]), name, qtypes, DROP)
            try:
                args = lab_scan_args(env)
                args[args.index("--port") + 1] = str(port)
                r = subprocess.run([DNSSWEEP, "scan", "--db", os.path.join(work, "db%d" % k), "-o", "-",
                                    "--timeout", "300"] + args + [inp],
                                   capture_output=True, text=True, timeout=240)
            finally:
                relay.close()
            check(r.returncode == 0, "%s dropped %d times: scan exits 0 (got %d%s)" % (
                label, DROP, r.returncode, ": " + r.stderr.strip()[-300:] if r.returncode else ""))
            recs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
            got = (recs[0]["status"], sorted({x["code"] for x in recs[0]["reasons"]})) if recs else None
            check(got == want, "%s dropped %d times: oob.test expected %s, got %s" % (label, DROP, want, got))
            seen = ", ".join("type %d: %d" % kv for kv in sorted(relay.seen.items()))
            check(max(relay.seen.values()) > DROP, "the relay saw the questions for %s (%s; the first %d of "
                  "each type dropped): asked again after the drops" % (label, seen, DROP))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
