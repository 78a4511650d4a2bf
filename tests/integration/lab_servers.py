#!/usr/bin/env python3
"""Every lab server answers for every zone it serves, authoritatively; a zone file that has a
signed DNSKEY RRset is served with DNSKEY + RRSIG; referrals carry DS + RRSIG or a denial proof;
the refuser refuses and the blackhole stays silent."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import os
import re
from concurrent.futures import ThreadPoolExecutor

import lab_common as L
import zones as Z

failures = []


def check(cond, msg):
    print("%s - %s" % ("ok" if cond else "not ok", msg))
    if not cond:
        failures.append(msg)


def served_zones(labdir):
    """(server, zone, zonefile) for every NSD instance of the lab, from its config."""
    out = []
    for entry in sorted(os.listdir(labdir)):
        conf = os.path.join(labdir, entry, "nsd.conf")
        if entry.startswith("nsd-") and os.path.exists(conf):
            text = open(conf).read()
            for name, path in re.findall(r'name: "([^"]+)"\s+zonefile: "([^"]+)"', text):
                out.append((entry[4:], name, path))
    conf = os.path.join(labdir, "knot", "knot.conf")
    if os.path.exists(conf):
        for name, path in re.findall(r'domain: "([^"]+)"\s+file: "([^"]+)"', open(conf).read()):
            out.append(("knot", name, path))
    return out


def zone_server_check(env, server, zone, path):
    port = int(env["LAB_PORT"])
    a = Z.addr(env["LAB_NET"], server)
    text = open(path).read()
    dnskey_signed = re.search(r"^%s\s+\d+\s+IN\s+RRSIG\s+DNSKEY " % re.escape(zone), text, re.M) is not None
    status, flags, ans, _, _ = L.dig(a, port, zone, "SOA", "+dnssec", "+norec", timeout=3)
    res = [(status == "NOERROR" and "aa" in flags and "SOA" in L.types_in(ans),
            "%s %s SOA: %s flags %s" % (server, zone, status, flags))]
    if dnskey_signed:
        status, flags, ans, _, _ = L.dig(a, port, zone, "DNSKEY", "+dnssec", "+norec", timeout=3)
        t = L.types_in(ans)
        res.append((status == "NOERROR" and "DNSKEY" in t and "RRSIG" in t,
                    "%s %s DNSKEY with RRSIG: %s %s" % (server, zone, status, sorted(set(t)))))
    return res


def main():
    env = L.lab_env()
    port, net = int(env["LAB_PORT"]), env["LAB_NET"]
    zones = served_zones(env["LAB_DIR"])
    check(len(zones) >= 50, "the lab serves %d zones" % len(zones))
    if os.path.exists(os.path.join(env["LAB_DIR"], "knot", "knot.conf")):
        check(sum(z[0] == "knot" for z in zones) >= 2, "Knot serves %d zones" % sum(z[0] == "knot" for z in zones))
    else:
        print("# knotd not installed: the Knot zones are on NSD")
    with ThreadPoolExecutor(max_workers=8) as pool:
        for res in pool.map(lambda z: zone_server_check(env, *z), zones):
            for cond, msg in res:
                check(cond, msg)
    # Referrals from the root: signed TLD gets DS + RRSIG, the unsigned one an NSEC proof.
    _, _, _, auth, _ = L.dig(Z.addr(net, "root"), port, "sec13.test", "SOA", "+dnssec", "+norec", timeout=3)
    check({"NS", "DS", "RRSIG"} <= set(L.types_in(auth)), "root referral to test has NS, DS, RRSIG")
    _, _, _, auth, _ = L.dig(Z.addr(net, "root"), port, "plain.unsig", "SOA", "+dnssec", "+norec", timeout=3)
    check({"NS", "NSEC"} <= set(L.types_in(auth)) and "DS" not in L.types_in(auth),
          "root referral to unsig proves no DS with NSEC")
    _, _, _, auth, _ = L.dig(Z.addr(net, "tld"), port, "insecure.test", "SOA", "+dnssec", "+norec", timeout=3)
    check("NSEC3" in L.types_in(auth) and "DS" not in L.types_in(auth),
          "test referral to insecure.test proves no DS with NSEC3")
    status, _, _, _, _ = L.dig(Z.addr(net, "refuser"), port, "refused.test", "SOA", "+norec", timeout=3)
    check(status == "REFUSED", "refuser answers REFUSED (%s)" % status)
    status, _, _, _, _ = L.dig(Z.addr(net, "blackhole"), port, "lame.test", "SOA", "+norec", timeout=1)
    check(status == "TIMEOUT", "blackhole never answers over UDP (%s)" % status)
    status, _, _, _, _ = L.dig(Z.addr(net, "blackhole"), port, "lame.test", "SOA", "+norec", "+tcp", timeout=1)
    check(status == "TIMEOUT", "blackhole never answers over TCP (%s)" % status)
    print("# %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
