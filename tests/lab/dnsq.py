"""Minimal DNS query over UDP for health checks (stdlib only; no parsing beyond the header)."""
import os
import socket
import struct
import time

QTYPES = {"A": 1, "NS": 2, "SOA": 6, "AAAA": 28, "DS": 43, "DNSKEY": 48, "NSEC3PARAM": 51,
          "CDS": 59, "CDNSKEY": 60, "CAA": 257}


def _encode_name(name):
    out = b""
    for label in name.strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(addr, port, name, qtype="SOA", timeout=1.0, dnssec=False, rd=False):
    """Sends one query; returns (rcode, flags, ancount) or None when nothing came back in time."""
    qid = struct.unpack("!H", os.urandom(2))[0]
    msg = struct.pack("!HHHHHH", qid, 0x0100 if rd else 0, 1, 0, 0, 1 if dnssec else 0)
    msg += _encode_name(name) + struct.pack("!HH", QTYPES[qtype], 1)
    if dnssec:
        msg += b"\0" + struct.pack("!HHIH", 41, 1232, 0x8000, 0)
    with socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(msg, (addr, port))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                data, _ = s.recvfrom(65535)
                if len(data) >= 12 and struct.unpack("!H", data[:2])[0] == qid:
                    _, flags, _, an, _, _ = struct.unpack("!HHHHHH", data[:12])
                    return flags & 0xF, flags, an
        except (socket.timeout, ConnectionRefusedError, OSError):
            return None
    return None


def wait_answer(addr, port, name, qtype="SOA", total=10.0, want_rcodes=None, rd=False, per_try=0.5):
    """Polls until the server answers (any rcode unless want_rcodes) or total seconds pass;
    each try waits per_try seconds (more for a server behind a delaying proxy)."""
    deadline = time.monotonic() + total
    last = None
    while time.monotonic() < deadline:
        last = query(addr, port, name, qtype, timeout=per_try, rd=rd)
        if last is not None and (want_rcodes is None or last[0] in want_rcodes):
            return last
        time.sleep(0.1)
    return last
