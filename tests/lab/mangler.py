#!/usr/bin/env python3
"""An authoritative server that misbehaves for one kind of question only (stdlib only).

Each listen address stands for one lab zone. Every query is relayed, byte for byte (so the
0x20 case of the name is kept), to the real NSD that serves the correctly signed zone; the rule
of the zone then rewrites or withholds one answer. The signed data itself is never touched:
what a validator sees is NSD's, minus what the rule takes away.

Rules (a question is "at the apex" when its name is the zone's):
  soa_empty      apex SOA: NOERROR/AA with empty sections and no proof
  soa_foreign    apex SOA: only an unsigned SOA owned by foreign.<zone> in the answer section
  apex_a_nxdomain  apex A: NXDOMAIN/AA, the zone's signed SOA in authority, no NSEC proof
  caa_servfail   apex CAA: SERVFAIL
  silent_data    as silent, but the apex SOA is relayed: the server answers DNSKEY, SOA and NS
                 only (one such server beside a good one: halfsilent.test)
  silent         apex SOA as soa_empty; A, AAAA, CAA, CDS, CDNSKEY and every name below the
                 apex are never answered (DNSKEY and NS are)
  wild_noproof   names below the apex: the answer section only (a wildcard-expanded answer
                 loses the NSEC proof that came with it in authority)
  cds_tcp_empty  apex CDS and CDNSKEY over TCP: NOERROR/AA with empty sections (over UDP the
                 zone's records, as relayed): a server whose TCP side serves other data

Usage: mangler.py CONFIG.json   ({"port", "upstream": [addr, port], "zones": [{"addr", "zone",
"rule"}]}). Stops on SIGTERM.
"""
import json
import signal
import socket
import socketserver
import struct
import sys
import threading

T_A, T_SOA, T_AAAA, T_OPT, T_CDS, T_CDNSKEY, T_CAA = 1, 6, 28, 41, 59, 60, 257
NOT_ANSWERED_BY_SILENT = {T_A, T_AAAA, T_CAA, T_CDS, T_CDNSKEY}
UPSTREAM_TIMEOUT = 2.0


def skip_name(msg, pos):
    while True:
        ln = msg[pos]
        if ln & 0xC0 == 0xC0:
            return pos + 2
        pos += 1 + ln
        if ln == 0:
            return pos


def skip_rrs(msg, pos, count):
    for _ in range(count):
        pos = skip_name(msg, pos) + 8
        pos += 2 + struct.unpack("!H", msg[pos:pos + 2])[0]
    return pos


def name_of(msg, pos):
    """Lowercase presentation form of an uncompressed name (the question's) and its end."""
    labels = []
    while msg[pos]:
        labels.append(msg[pos + 1:pos + 1 + msg[pos]].decode("ascii", "replace").lower())
        pos += 1 + msg[pos]
    return ".".join(labels) + ".", pos + 1


def name_wire(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.strip(".").split(".") if l) + b"\0"


class Query:
    def __init__(self, raw):
        self.raw = raw
        self.id, self.flags, qd, _, _, ar = struct.unpack("!HHHHHH", raw[:12])
        self.qname, end = name_of(raw, 12)
        self.qtype = struct.unpack("!H", raw[end:end + 2])[0]
        self.question = raw[12:end + 4]
        self.dnssec = False
        self.edns = False
        pos = end + 4
        for _ in range(ar):  # the OPT record: EDNS and the DO bit are echoed in our answers
            start = skip_name(raw, pos)
            rtype, _, ttl = struct.unpack("!HHI", raw[start:start + 8])
            if rtype == T_OPT:
                self.edns, self.dnssec = True, bool(ttl & 0x8000)
            pos = skip_rrs(raw, pos, 1)

    def opt(self):
        return b"\0" + struct.pack("!HHIH", T_OPT, 1232, 0x8000 if self.dnssec else 0, 0) if self.edns else b""

    def answer(self, rcode=0, an=b"", an_count=0, ns=b"", ns_count=0):
        """A response of our own: QR, AA, RD echoed, the question as asked, our sections."""
        flags = 0x8400 | (self.flags & 0x0100) | rcode
        hdr = struct.pack("!HHHHHH", self.id, flags, 1, an_count, ns_count, 1 if self.edns else 0)
        return hdr + self.question + an + ns + self.opt()


def relay(upstream, raw, tcp):
    """The upstream's answer to raw (bytes), or None when it does not answer in time."""
    try:
        if tcp:
            with socket.create_connection(tuple(upstream), timeout=UPSTREAM_TIMEOUT) as s:
                s.sendall(struct.pack("!H", len(raw)) + raw)
                buf = b""
                while len(buf) < 2 or len(buf) < 2 + struct.unpack("!H", buf[:2])[0]:
                    chunk = s.recv(65535)
                    if not chunk:
                        return None
                    buf += chunk
                return buf[2:2 + struct.unpack("!H", buf[:2])[0]]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(UPSTREAM_TIMEOUT)
            s.sendto(raw, tuple(upstream))
            return s.recvfrom(65535)[0]
    except OSError:
        return None


def answer_only(q, resp, ns_from_answer=False):
    """The upstream response cut after its answer section (authority and additional dropped),
    with our OPT. ns_from_answer: the answer records are moved to authority instead."""
    _, flags, qd, an, _, _ = struct.unpack("!HHHHHH", resp[:12])
    start = 12 + len(q.question)
    end = skip_rrs(resp, start, an)
    counts = (0, an) if ns_from_answer else (an, 0)
    hdr = struct.pack("!HHHHHH", q.id, flags, qd, counts[0], counts[1], 1 if q.edns else 0)
    return hdr + resp[12:end] + q.opt()


def respond(zones, upstream, raw, tcp):
    """The bytes to send back for one query, or None to stay silent."""
    try:
        q = Query(raw)
    except (IndexError, struct.error):
        return None
    zone = next((z for z in zones if q.qname == z or q.qname.endswith("." + z)), None)
    rule = zones.get(zone)
    apex = q.qname == zone
    if rule in ("silent", "silent_data") and (q.qtype in NOT_ANSWERED_BY_SILENT or not apex):
        return None
    if rule in ("soa_empty", "silent") and apex and q.qtype == T_SOA:
        return q.answer()
    if rule == "soa_foreign" and apex and q.qtype == T_SOA:
        rdata = name_wire("ns1." + zone) + name_wire("hostmaster." + zone) + struct.pack("!IIIII", 1, 3600, 600,
                                                                                        86400, 300)
        rr = name_wire("foreign." + zone) + struct.pack("!HHIH", T_SOA, 1, 3600, len(rdata)) + rdata
        return q.answer(an=rr, an_count=1)
    if rule == "cds_tcp_empty" and apex and tcp and q.qtype in (T_CDS, T_CDNSKEY):
        return q.answer()
    if rule == "caa_servfail" and apex and q.qtype == T_CAA:
        return q.answer(rcode=2)
    if rule == "apex_a_nxdomain" and apex and q.qtype == T_A:
        # The zone's own signed SOA (asked upstream with the client's question, qtype SOA; the
        # name is the same length, so the answer's compression pointers stay right).
        soa_q = raw[:12 + len(q.question) - 4] + struct.pack("!H", T_SOA) + raw[12 + len(q.question) - 2:]
        resp = relay(upstream, soa_q, tcp)
        if resp is None:
            return None
        out = bytearray(answer_only(q, resp, ns_from_answer=True))
        out[12:12 + len(q.question)] = q.question
        out[3] = (out[3] & 0xF0) | 3  # NXDOMAIN
        return bytes(out)
    resp = relay(upstream, raw, tcp)
    if resp is not None and rule == "wild_noproof" and not apex:
        return answer_only(q, resp)
    return resp


def serve(config):
    zones = {z["zone"].lower(): z["rule"] for z in config["zones"]}
    upstream, port = config["upstream"], config["port"]
    # Longest zone first, so that a zone below another one wins.
    ordered = dict(sorted(zones.items(), key=lambda kv: -len(kv[0])))

    class Udp(socketserver.BaseRequestHandler):
        def handle(self):
            data, sock = self.request
            out = respond(ordered, upstream, data, False)
            if out is not None:
                sock.sendto(out, self.client_address)

    class Tcp(socketserver.BaseRequestHandler):
        def handle(self):
            conn = self.request
            buf = b""
            while True:
                try:
                    chunk = conn.recv(65535)
                except OSError:
                    return
                if not chunk:
                    return
                buf += chunk
                while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                    n = struct.unpack("!H", buf[:2])[0]
                    msg, buf = buf[2:2 + n], buf[2 + n:]
                    out = respond(ordered, upstream, msg, True)
                    if out is not None:
                        conn.sendall(struct.pack("!H", len(out)) + out)

    class UdpServer(socketserver.ThreadingUDPServer):
        daemon_threads = True
        allow_reuse_address = True

    class TcpServer(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    servers = []
    for addr in sorted({z["addr"] for z in config["zones"]}):
        servers += [UdpServer((addr, port), Udp), TcpServer((addr, port), Tcp)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print("mangler listening on %s port %d, upstream %s" % (
        ", ".join(sorted({z["addr"] for z in config["zones"]})), port, upstream), flush=True)


def main():
    with open(sys.argv[1]) as f:
        config = json.load(f)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    serve(config)
    stop.wait()


if __name__ == "__main__":
    main()
