#!/usr/bin/env python3
"""A scripted, misbehaving DNS server for io/ unit tests (Python 3 stdlib only).

Listens on UDP and TCP at every --listen address (same port for all; --port 0 picks a free
one) and prints "PORT <n>" once bound. The behaviour for a query is chosen by the first label
of the question name ("<mode>-<anything>.<zone>"), or by --force MODE for every query:

  ok         answer A 127.0.0.1            drop       never answer
  delayN     answer after N ms             dup        answer twice
  wrongport  answer from another port only wrongid    bad-ID answer, then the right one
  wrongcase  answer with a different name case first, then the right one
  wrongtype  answer with another qtype first, then the right one
  tc         UDP: TC=1 empty answer; TCP: full answer
  tcponly    UDP ignored; TCP answers      refused / servfail   that rcode
  malformed  right header and question, then garbage
  icmpcase   (root, IPv4) a forged ICMP port unreachable quoting the query with one letter in
             another case, then the answer 100 ms later
  icmptype   the same, quoting another qtype      icmpexact  the same, quoting the query as sent
  (without a raw socket the icmp* modes only answer 100 ms later: the test checks the uid)
  bigN       an answer of about N bytes (one TXT RR), over UDP too, whatever the EDNS size
  tcall      TC=1 and no answer over UDP and over TCP alike
  lenlie     TCP: a length prefix of 65535, then only the (short) answer; the connection stays
  junk       TCP: the answer, then 70,000 bytes of 0xFF (length prefixes of 65535 included)
  tcpclose   TCP: the connection is closed as soon as a query arrives, unanswered
  rrlN       UDP: a response rate limit of N answers/s per listen address (a bucket holding a
             tenth of a second's worth, shared by every rrl query to it); the rest are dropped
  rrlsN      the same, and every 2nd dropped answer "slips": TC=1, empty (as NSD's RRL slip 2)
  lossN      UDP: the first N queries for this name (any case) are dropped, later ones answered
             (a live server's lost datagrams)

Over TCP every other mode answers normally (except drop: read, never answered, never closed),
frames read together are answered in reverse order to exercise out-of-order matching, and the
server never closes a connection itself (except tcpclose).

Control query: TXT "stats.ctl." asked of a listen address returns, for that address,
"udp=<queries> tcp=<queries> conns=<accepted> open=<TCP connections open now>
 max1s=<max queries in any 1-s window>
 n=<recorded arrivals> allmax1s=<the same over all addresses> alln=<...>
 rrldrop=<answers the rrl modes dropped> rrlslip=<of which slipped>" where arrivals
(kernel receive timestamps) are recorded for UDP names whose first label starts with "rate".

The server exits when its parent process dies (so a crashed test leaves nothing behind) or on
SIGTERM.
"""
import argparse
import heapq
import os
import selectors
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab"))
from forge import icmp_port_unreachable  # noqa: E402  (tests/lab/forge.py)

SO_TIMESTAMPNS = 35


def parse_question(pkt):
    """Returns (qname_raw, qtype, qclass, end_offset) or None."""
    if len(pkt) < 12:
        return None
    pos = 12
    while True:
        if pos >= len(pkt):
            return None
        ln = pkt[pos]
        if ln == 0:
            pos += 1
            break
        if ln & 0xC0:
            return None
        pos += 1 + ln
    if pos + 4 > len(pkt):
        return None
    qtype, qclass = struct.unpack("!HH", pkt[pos:pos + 4])
    return pkt[12:pos], qtype, qclass, pos + 4


def first_label(qname_raw):
    if not qname_raw or qname_raw[0] == 0:
        return ""
    return qname_raw[1:1 + qname_raw[0]].decode("ascii", "replace").lower()


def mode_of(label, force):
    if force:
        return force
    return label.split("-", 1)[0]


def build(query, qname_raw, qtype, qclass, rcode=0, tc=False, answer=None, qid=None):
    (oid, flags) = struct.unpack("!HH", query[:4])
    rd = flags & 0x0100
    rflags = 0x8000 | 0x0400 | rd | (0x0200 if tc else 0) | rcode
    if qid is None:
        qid = oid
    ans = b""
    ancount = 0
    if answer is not None and rcode == 0 and not tc:
        rtype, rdata = answer
        ans = struct.pack("!HHHIH", 0xC00C, rtype, qclass, 60, len(rdata)) + rdata
        ancount = 1
    hdr = struct.pack("!HHHHHH", qid, rflags, 1, ancount, 0, 0)
    return hdr + qname_raw + struct.pack("!HH", qtype, qclass) + ans


def flip_case(qname_raw):
    b = bytearray(qname_raw)
    for i in range(len(b)):
        c = b[i]
        if 65 <= c <= 90 or 97 <= c <= 122:
            b[i] ^= 0x20
            break
    return bytes(b)


def raw_socket():
    """A raw IPv4 socket for forged ICMP errors, or None without the privilege."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        return s
    except OSError:
        return None


class Listener:
    def __init__(self, addr, port):
        self.addr = addr
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        self.fam = fam
        self.udp = socket.socket(fam, socket.SOCK_DGRAM)
        self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.udp.bind((addr, port))
        # Kernel receive timestamps (SO_TIMESTAMPNS = 35 on Linux), so that rate measurements
        # do not depend on how promptly this script reads.
        self.udp.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.port = self.udp.getsockname()[1]
        self.tcp = socket.socket(fam, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((addr, self.port))
        self.tcp.listen(64)
        self.other = socket.socket(fam, socket.SOCK_DGRAM)  # for "wrongport"
        self.other.bind((addr, 0))
        self.udp_count = 0
        self.tcp_count = 0
        self.conns = 0
        self.open = 0
        self.arrivals = []
        self.rrl_tokens = None  # rrlN bucket: tokens, last refill (monotonic seconds)
        self.rrl_last = 0.0
        self.rrl_dropped = 0
        self.rrl_slipped = 0

    def rrl_take(self, rate):
        """One token of the rrlN bucket (a tenth of a second's worth of answers), or False."""
        now = time.monotonic()
        burst = max(1.0, rate / 10.0)
        if self.rrl_tokens is None:
            self.rrl_tokens = burst
        self.rrl_tokens = min(burst, self.rrl_tokens + (now - self.rrl_last) * rate)
        self.rrl_last = now
        if self.rrl_tokens < 1.0:
            return False
        self.rrl_tokens -= 1.0
        return True

    def close(self):
        for s in (self.udp, self.tcp, self.other):
            s.close()


class Server:
    def __init__(self, args):
        self.force = args.force
        self.sel = selectors.DefaultSelector()
        self.timers = []
        self.seq = 0
        self.listeners = []
        port = args.port
        for a in args.listen:
            lst = Listener(a, port)
            port = lst.port
            self.listeners.append(lst)
            lst.udp.setblocking(False)
            lst.tcp.setblocking(False)
            self.sel.register(lst.udp, selectors.EVENT_READ, ("udp", lst))
            self.sel.register(lst.tcp, selectors.EVENT_READ, ("accept", lst))
        self.port = port
        self.raw = raw_socket()
        self.loss_seen = {}

    def later(self, delay_s, fn):
        self.seq += 1
        heapq.heappush(self.timers, (time.monotonic() + delay_s, self.seq, fn))

    @staticmethod
    def max_window(arrivals):
        """The largest number of arrivals within any 1-second window."""
        arr = sorted(arrivals)
        best, j = 0, 0
        for i in range(len(arr)):
            while arr[i] - arr[j] >= 1.0:
                j += 1
            best = max(best, i - j + 1)
        return best

    def stats_answer(self, lst):
        every = [t for one in self.listeners for t in one.arrivals]
        txt = "udp=%d tcp=%d conns=%d open=%d max1s=%d n=%d allmax1s=%d alln=%d rrldrop=%d rrlslip=%d" % (
            lst.udp_count, lst.tcp_count, lst.conns, lst.open, self.max_window(lst.arrivals),
            len(lst.arrivals), self.max_window(every), len(every), lst.rrl_dropped, lst.rrl_slipped)
        data = txt.encode()
        return (16, bytes([len(data)]) + data)

    @staticmethod
    def big(size, qname_raw):
        """One TXT RR whose RDATA (strings of up to 255 octets) makes the answer about size
        bytes long."""
        room = max(1, size - 12 - 2 * (len(qname_raw) + 4) - 12)
        rdata = b""
        while len(rdata) < room and len(rdata) < 65535 - 256:
            n = min(255, room - len(rdata) - 1)
            if n < 0:
                break
            rdata += bytes([n]) + b"x" * n
        return (16, rdata)

    def normal(self, lst, qname_raw, qtype, label):
        if label == "stats" and qtype == 16:
            return self.stats_answer(lst)
        mode = label.split("-", 1)[0]
        if mode.startswith("big") and mode[3:].isdigit():
            return self.big(int(mode[3:]), qname_raw)
        if qtype == 28:
            return (28, socket.inet_pton(socket.AF_INET6, "::1"))
        return (1, bytes([127, 0, 0, 1]))

    def on_udp(self, lst):
        while True:
            try:
                pkt, anc, _, peer = lst.udp.recvmsg(65535, 64)
            except BlockingIOError:
                return
            stamp = time.time()
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
                    sec, nsec = struct.unpack("qq", data[:16])
                    stamp = sec + nsec / 1e9
            q = parse_question(pkt)
            if q is None:
                continue
            qname_raw, qtype, qclass, _ = q
            label = first_label(qname_raw)
            mode = mode_of(label, self.force)
            lst.udp_count += 1
            if label.startswith("rate"):
                lst.arrivals.append(stamp)
            ans = self.normal(lst, qname_raw, qtype, label)
            send = lambda data, s=lst.udp, p=peer: s.sendto(data, p)
            good = build(pkt, qname_raw, qtype, qclass, answer=ans)
            if mode in ("drop", "tcponly"):
                continue
            elif mode.startswith("delay"):
                ms = int(mode[5:] or "100")
                self.later(ms / 1000.0, lambda d=good, f=send: f(d))
            elif mode == "dup":
                send(good)
                send(good)
            elif mode == "wrongport":
                lst.other.sendto(good, peer)
            elif mode == "wrongid":
                qid = (struct.unpack("!H", pkt[:2])[0] + 1) & 0xFFFF
                send(build(pkt, qname_raw, qtype, qclass, answer=ans, qid=qid))
                send(good)
            elif mode == "wrongcase":
                send(build(pkt, flip_case(qname_raw), qtype, qclass, answer=ans))
                send(good)
            elif mode == "wrongtype":
                send(build(pkt, qname_raw, qtype ^ 1, qclass, answer=ans))
                send(good)
            elif mode in ("tc", "tcall"):
                send(build(pkt, qname_raw, qtype, qclass, tc=True))
            elif mode.startswith("rrl") and mode.lstrip("rls").isdigit():
                if lst.rrl_take(int(mode.lstrip("rls"))):
                    send(good)
                else:
                    lst.rrl_dropped += 1
                    if mode.startswith("rrls") and lst.rrl_dropped % 2 == 0:
                        lst.rrl_slipped += 1
                        send(build(pkt, qname_raw, qtype, qclass, tc=True))
            elif mode.startswith("loss") and mode[4:].isdigit():
                key = qname_raw.lower()
                self.loss_seen[key] = self.loss_seen.get(key, 0) + 1
                if self.loss_seen[key] > int(mode[4:]):
                    send(good)
            elif mode == "refused":
                send(build(pkt, qname_raw, qtype, qclass, rcode=5))
            elif mode == "servfail":
                send(build(pkt, qname_raw, qtype, qclass, rcode=2))
            elif mode in ("icmpcase", "icmptype", "icmpexact"):
                if self.raw is not None and lst.fam == socket.AF_INET:
                    quoted = {"icmpcase": pkt[:12] + flip_case(qname_raw) + pkt[12 + len(qname_raw):],
                              "icmptype": pkt[:12] + qname_raw + struct.pack("!H", qtype ^ 1) +
                              pkt[14 + len(qname_raw):],
                              "icmpexact": pkt}[mode]
                    self.raw.sendto(icmp_port_unreachable((lst.addr, lst.port), peer, quoted),
                                    (peer[0], 0))
                self.later(0.1, lambda d=good, f=send: f(d))
            elif mode == "malformed":
                bad = build(pkt, qname_raw, qtype, qclass)
                bad = bad[:6] + struct.pack("!H", 3) + bad[8:] + b"\xc0\xff\x00"
                send(bad)
            else:
                send(good)

    def on_accept(self, lst):
        try:
            conn, _ = lst.tcp.accept()
        except BlockingIOError:
            return
        conn.setblocking(False)
        lst.conns += 1
        lst.open += 1
        self.sel.register(conn, selectors.EVENT_READ, ("tcp", (lst, conn, bytearray())))

    def on_tcp(self, lst, conn, buf):
        try:
            data = conn.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.sel.unregister(conn)
            conn.close()
            lst.open -= 1
            return
        buf += data
        frames = []
        while len(buf) >= 2:
            ln = struct.unpack("!H", buf[:2])[0]
            if len(buf) < 2 + ln:
                break
            frames.append(bytes(buf[2:2 + ln]))
            del buf[:2 + ln]
        out = []
        for pkt in frames:
            q = parse_question(pkt)
            if q is None:
                continue
            qname_raw, qtype, qclass, _ = q
            label = first_label(qname_raw)
            mode = mode_of(label, self.force)
            lst.tcp_count += 1
            if mode == "drop":
                continue
            if mode == "tcpclose":
                self.sel.unregister(conn)
                conn.close()
                lst.open -= 1
                return
            rcode = {"refused": 5, "servfail": 2}.get(mode, 0)
            ans = self.normal(lst, qname_raw, qtype, label)
            r = build(pkt, qname_raw, qtype, qclass, rcode=rcode, answer=ans, tc=mode == "tcall")
            if mode == "lenlie":
                out.append(struct.pack("!H", 65535) + r)
            elif mode == "junk":
                out.append(struct.pack("!H", len(r)) + r + b"\xff" * 70000)
            else:
                out.append(struct.pack("!H", len(r)) + r)
        out.reverse()
        try:
            conn.setblocking(True)
            for r in out:
                conn.sendall(r)
            conn.setblocking(False)
        except OSError:
            pass

    def run(self):
        parent = os.getppid()
        print("PORT %d" % self.port, flush=True)
        stop = []
        signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
        while not stop:
            timeout = 0.2
            if self.timers:
                timeout = max(0.0, min(timeout, self.timers[0][0] - time.monotonic()))
            for key, _ in self.sel.select(timeout):
                kind, obj = key.data
                if kind == "udp":
                    self.on_udp(obj)
                elif kind == "accept":
                    self.on_accept(obj)
                else:
                    self.on_tcp(*obj)
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, fn = heapq.heappop(self.timers)
                fn()
            if os.getppid() != parent:
                break
        for lst in self.listeners:
            lst.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", action="append", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--force", default=None)
    args = ap.parse_args()
    server = None
    for attempt in range(20):
        try:
            server = Server(args)
            break
        except OSError as e:
            if args.port != 0 or attempt == 19:
                print("bind failed: %s" % e, file=sys.stderr)
                return 2
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
