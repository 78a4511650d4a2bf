#!/usr/bin/env python3
"""The lab's servers really serve what the catalogue claims, including the warnings a validating
resolver cannot show (iterations, salt, stale or SHA-1 DS, small keys, CDS, expiring soon...).
Asks the authoritative servers directly with dig; independent of Unbound and of dnssweep."""
import base64
import calendar
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import lab_common as L  # noqa: E402
import craft  # noqa: E402
import zones as Z  # noqa: E402

failures = []


def check(cond, msg):
    print("%s - %s" % ("ok" if cond else "not ok", msg))
    if not cond:
        failures.append(msg)


class Lab:
    def __init__(self, env):
        self.port, self.net, self.now = int(env["LAB_PORT"]), env["LAB_NET"], int(env["LAB_NOW"])

    def rrs(self, server, name, qtype, rtype=None):
        """rdata field lists of the answer's rtype (default qtype) records."""
        _, _, ans, _, _ = L.dig(Z.addr(self.net, server), self.port, name, qtype, "+dnssec", "+norec", "+nosplit",
                             timeout=3)
        rtype = rtype or qtype
        return [l.split()[4:] for l in ans if len(l.split()) > 4 and l.split()[3] == rtype]

    def status(self, server, name, qtype):
        return L.dig(Z.addr(self.net, server), self.port, name, qtype, "+norec", timeout=2)[0]

    def sigs(self, server, name, covered):
        return [r for r in self.rrs(server, name, covered, "RRSIG") if r[0] == covered]

    def ds(self, name, server="tld"):
        return self.rrs(server, name, "DS")


def ts(s):
    return calendar.timegm(time.strptime(s, "%Y%m%d%H%M%S"))


def key_tag(rdata):
    """RFC 4034 Appendix B key tag of a DNSKEY given as presentation fields."""
    wire = int(rdata[0]).to_bytes(2, "big") + bytes([int(rdata[1]), int(rdata[2])]) + base64.b64decode("".join(rdata[3:]))
    acc = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(wire))
    return (acc + (acc >> 16)) & 0xFFFF


def rsa_bits(rdata):
    key = base64.b64decode("".join(rdata[3:]))
    elen, off = (key[0], 1) if key[0] else (int.from_bytes(key[1:3], "big"), 3)
    return (len(key) - off - elen) * 8


def craft_matches_ldns(lab):
    """Ed25519 is deterministic: the hand-made signer must give ldns-signzone's exact bytes."""
    env = L.lab_env()
    keys = lab.rrs("child1", "sec15.test", "DNSKEY")
    sig = lab.sigs("child1", "sec15.test", "DNSKEY")[0]
    ksk = [k for k in keys if k[0] == "257"][0]
    base = [os.path.join(dp, f[:-8]) for dp, _, fs in os.walk(os.path.join(env["LAB_DIR"], "keys", "sec15.test", "ksk"))
            for f in fs if f.endswith(".private")][0]
    line = craft.sign_dnskey_rrset("sec15.test.", int(sig[3]), keys, ksk, base + ".private", ts(sig[5]), ts(sig[4]))
    return line.split()[-1] == "".join(sig[8:])


def msg_size(lab, server, name, qtype):
    """Bytes of the whole answer over TCP (dig's MSG SIZE), 0 when none."""
    out = subprocess.run(["dig", "@" + Z.addr(lab.net, server), "-p", str(lab.port), name, qtype, "+dnssec",
                          "+norec", "+tcp", "+time=3", "+tries=1"], capture_output=True, text=True, timeout=15).stdout
    sizes = [int(l.split()[-1]) for l in out.splitlines() if l.startswith(";; MSG SIZE")]
    return sizes[0] if sizes else 0


def keytrap_case(lab):
    """keytrap.test: many keys of the ZSK's tag listed before it, many RRSIGs, TCP-sized answers."""
    keys = lab.rrs("keytrap", "keytrap.test", "DNSKEY")
    sigs = lab.sigs("keytrap", "keytrap.test", "SOA")
    tag = int(sigs[-1][6]) if sigs else -1
    sharing = [k for k in keys if key_tag(k) == tag]
    check(len(sharing) >= 400 and all(k[2] == "13" and int(k[0]) & 0x100 for k in sharing),
          "keytrap.test: %d zone DNSKEYs (alg 13) share the SOA signer's key tag %d" % (len(sharing), tag))
    check(sharing and sharing[-1][0] == "256" and keys[-1] == sharing[-1],
          "keytrap.test: the ZSK (flags 256) is listed after its decoys")
    for t in ("SOA", "A"):
        n = [s for s in lab.sigs("keytrap", "keytrap.test", t) if int(s[6]) == tag]
        check(len(n) >= 401 and len({s[8] for s in n}) == len(n),
              "keytrap.test: %d distinct RRSIGs by key %d over %s" % (len(n), tag, t))
    for t in ("DNSKEY", "SOA", "A"):
        size = msg_size(lab, "keytrap", "keytrap.test", t)
        check(1232 < size < 65536, "keytrap.test: %s answer of %d bytes (TCP, under 64 KB)" % (t, size))


def main():
    lab = Lab(L.lab_env())
    c1 = "child1"
    p = lab.rrs(c1, "nsec3iter.test", "NSEC3PARAM")
    check(p and p[0][2] == "10", "nsec3iter.test: NSEC3PARAM iterations 10 (%s)" % p)
    p = lab.rrs(c1, "nsec3salt.test", "NSEC3PARAM")
    check(p and p[0][2] == "0" and p[0][3].lower() == "aabbccdd", "nsec3salt.test: salt aabbccdd (%s)" % p)
    p = lab.rrs(c1, "nsec3.test", "NSEC3PARAM")
    check(p and p[0][2:4] == ["0", "-"], "nsec3.test: NSEC3PARAM 1 0 0 - (%s)" % p)
    ds = lab.ds("dsstale.test")
    tags = {key_tag(k) for k in lab.rrs(c1, "dsstale.test", "DNSKEY")}
    check(len(ds) == 2 and sum(int(d[0]) in tags for d in ds) == 1, "dsstale.test: two DS, one matches a key")
    ds = lab.ds("dssha1.test")
    check(len(ds) == 1 and ds[0][2] == "1", "dssha1.test: only a SHA-1 DS (%s)" % ds)
    keys = lab.rrs("child1", "rsa1024.example", "DNSKEY")
    check(keys and all(k[2] == "8" and rsa_bits(k) == 1024 for k in keys), "rsa1024.example: RSA keys of 1024 bits")
    check(all(k[2] == "5" for k in lab.rrs(c1, "rsasha1.example", "DNSKEY")), "rsasha1.example: alg 5 keys")
    check(all(k[2] == "7" for k in lab.rrs(c1, "rsasha1nsec3.test", "DNSKEY")), "rsasha1nsec3.test: alg 7 keys")
    for alg in (14, 15, 16):
        keys = lab.rrs(c1, "sec%d.test" % alg, "DNSKEY")
        check(keys and all(k[2] == str(alg) for k in keys), "sec%d.test: alg %d keys" % (alg, alg))
    ds = lab.ds("cds.test")
    cds = lab.rrs(c1, "cds.test", "CDS")
    low = lambda rrs: sorted(" ".join(r).lower() for r in rrs)  # noqa: E731
    check(cds and low(cds) == low(ds), "cds.test: CDS equals the DS (%s / %s)" % (cds, ds))
    ds = lab.ds("cdspending.test")
    cds = lab.rrs(c1, "cdspending.test", "CDS")
    check(cds and ds and cds[0][0] != ds[0][0], "cdspending.test: CDS differs from the DS")
    check(lab.rrs(c1, "cdsdelete.test", "CDS") == [["0", "0", "0", "00"]], "cdsdelete.test: CDS 0 0 0 00")
    zsk = [key_tag(k) for k in lab.rrs(c1, "cdszsk.test", "DNSKEY") if k[0] == "256"]
    sigs = lab.sigs(c1, "cdszsk.test", "CDS")
    check(sigs and all(int(s[6]) in zsk for s in sigs), "cdszsk.test: CDS signed by the ZSK only")
    keys = lab.rrs(c1, "algincomplete.test", "DNSKEY")
    algs = {s[1] for s in lab.sigs(c1, "algincomplete.test", "DNSKEY") + lab.sigs(c1, "algincomplete.test", "SOA")}
    check({k[2] for k in keys} == {"8", "13"} and algs == {"13"}, "algincomplete.test: alg 8 key signs nothing")
    exp = [ts(s[4]) for s in lab.sigs(c1, "expsoon.test", "SOA")]
    check(exp and 0 < exp[0] - lab.now <= 2 * 86400, "expsoon.test: SOA RRSIG expires within 2 days of LAB_NOW")
    exp = [ts(s[4]) for s in lab.sigs(c1, "expired.test", "SOA")]
    check(exp and exp[0] < lab.now, "expired.test: SOA RRSIG expired before LAB_NOW")
    inc = [ts(s[5]) for s in lab.sigs(c1, "notyet.test", "SOA")]
    check(inc and inc[0] > lab.now + 86400, "notyet.test: SOA RRSIG inception after LAB_NOW + 1 day")
    keys = lab.rrs(c1, "revoked.test", "DNSKEY")
    ds = lab.ds("revoked.test")
    rev = [key_tag(k) for k in keys if int(k[0]) & 0x80]
    check(rev and ds and int(ds[0][0]) == rev[0], "revoked.test: the DS matches a key with the REVOKE bit")
    zsk = [key_tag(k) for k in lab.rrs(c1, "dsnotsigning.test", "DNSKEY") if k[0] == "256"]
    ds = lab.ds("dsnotsigning.test")
    check(ds and int(ds[0][0]) in zsk, "dsnotsigning.test: the DS matches the ZSK")
    ds = lab.ds("algunknown.test")
    check(ds and all(d[1] == "253" for d in ds), "algunknown.test: only a DS with algorithm 253")
    check(lab.rrs(c1, "dsunsigned.test", "DNSKEY") == [] and lab.ds("dsunsigned.test"),
          "dsunsigned.test: DS at the parent, no DNSKEY")
    check(lab.ds("nods.test") == [] and lab.rrs(c1, "nods.test", "DNSKEY"), "nods.test: DNSKEY, no DS")
    k1 = sorted(" ".join(k) for k in lab.rrs("child1", "inconsistent.test", "DNSKEY"))
    k2 = sorted(" ".join(k) for k in lab.rrs("child2", "inconsistent.test", "DNSKEY"))
    check(k1 and k2 and k1 != k2, "inconsistent.test: servers serve different DNSKEY sets")
    _, _, ans, _, _ = L.dig(Z.addr(lab.net, "child2"), lab.port, "stripped.test", "SOA", "+dnssec", "+norec", timeout=3)
    check(ans and "RRSIG" not in L.types_in(ans) and lab.sigs(c1, "stripped.test", "SOA"),
          "stripped.test: ns2 serves no RRSIG, ns1 does")
    check(lab.status("blackhole", "unreach.test", "SOA") == "TIMEOUT" and lab.status(c1, "unreach.test", "SOA") == "NOERROR",
          "unreach.test: ns1 answers, ns2 times out")
    check(lab.status("refuser", "refused.test", "SOA") == "REFUSED", "refused.test: its server refuses")
    check(lab.status("tld", "notdelegated.test", "SOA") == "NXDOMAIN", "notdelegated.test: NXDOMAIN at the TLD")
    check(lab.status("tld", "nx.unsig", "SOA") == "NXDOMAIN", "nx.unsig: NXDOMAIN at the TLD")
    check(len(lab.sigs(c1, "badsig.test", "SOA")) == 1, "badsig.test: SOA has an RRSIG (corrupted)")
    check(lab.sigs(c1, "nosig.test", "SOA") == [] and lab.rrs(c1, "nosig.test", "SOA"), "nosig.test: SOA without RRSIG")
    check(lab.sigs(c1, "dnskeyunsigned.test", "DNSKEY") == [], "dnskeyunsigned.test: DNSKEY without RRSIG")
    keys = {key_tag(k) for k in lab.rrs(c1, "unknownkey.test", "DNSKEY")}
    sigs = lab.sigs(c1, "unknownkey.test", "SOA")
    check(sigs and int(sigs[0][6]) not in keys, "unknownkey.test: SOA signed by an unpublished key")
    sigs = lab.sigs(c1, "malformed.test", "SOA")
    check(sigs and sigs[0][2] == "5", "malformed.test: SOA RRSIG labels field 5")
    _, _, _, auth, _ = L.dig(Z.addr(lab.net, c1), lab.port, "nonexistent.denialmissing.test", "A", "+dnssec", "+norec", timeout=3)
    check(auth and not {"NSEC", "NSEC3"} & set(L.types_in(auth)), "denialmissing.test: NXDOMAIN without NSEC")
    _, _, _, auth, _ = L.dig(Z.addr(lab.net, c1), lab.port, "nonexistent.denialinvalid.test", "A", "+dnssec", "+norec", timeout=3)
    t = L.types_in(auth)
    check("NSEC" in t and not any(l.split()[3] == "RRSIG" and l.split()[4] == "NSEC" for l in auth),
          "denialinvalid.test: NXDOMAIN with unsigned NSEC")
    check(lab.rrs(c1, "caabogus.test", "CAA") != [], "caabogus.test: has CAA")
    keys = lab.rrs(c1, "nozonebit.test", "DNSKEY")
    ds = lab.ds("nozonebit.test")
    nozone = [key_tag(k) for k in keys if not int(k[0]) & 0x100]
    sigs = lab.sigs(c1, "nozonebit.test", "DNSKEY")
    check(nozone and ds and int(ds[0][0]) == nozone[0] and [int(s[6]) for s in sigs] == nozone,
          "nozonebit.test: DS and the only RRSIG over DNSKEY are of a key without the Zone Key bit")
    keytrap_case(lab)
    check(craft_matches_ldns(lab), "craft.py reproduces ldns-signzone's Ed25519 RRSIG over sec15.test DNSKEY")
    print("# %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
