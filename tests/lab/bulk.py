"""Bulk mode: N generated domains under the `bulk` TLD, served by one NSD instance.

Mix by index (per 100): 65 unsigned, 32 signed (alg 13 and 8 alternating), 3 broken
(2 expired, 1 DS of an unpublished key). Signed zones reuse a few key pairs (one CSK per
algorithm, owner name rewritten per zone), which keeps signing at ~2 ms per zone.

With a KeyTrap share (`lab up --bulk N --bulk-keytrap PCT`), ceil(N * PCT / 100) more domains
k000000.bulk ... are added (the N d-domains stay as they are, so one lab serves a clean list and
a hostile one): each signed by the shared alg 13 key (the DS's) and a shared alg 13 ZSK, with
KEYTRAP_DECOYS DNSKEYs sharing the ZSK's key tag listed before it and KEYTRAP_BOGUS bogus RRSIGs before the genuine one over SOA and A, as
the small lab's keytrap.test (keytrap.py). The decoys are made once (the tag does not depend on
the owner) and rewritten per zone.
"""
import math
import os
from concurrent.futures import ThreadPoolExecutor

import keys as K
import keytrap
import zones as Z

BULK_NS = "ns.bulkhost.bulk."
DAY = 86400


def kind(i):
    j = i % 100
    if j < 65:
        return "unsigned"
    if j < 97:
        return "sec13" if j % 2 == 0 else "sec8"
    return "expired" if j in (97, 99) else "dsother"


def name(i):
    return "d%06d.bulk" % i


KEYTRAP_DECOYS = 400
KEYTRAP_BOGUS = 400


def keytrap_count(n, pct):
    return math.ceil(n * pct / 100.0) if pct else 0


def keytrap_name(i):
    return "k%06d.bulk" % i


def zone_specs(n, net=None, keytrap_pct=0):
    specs = [("bulk", ".", ["tld"], dict(alg=13, ns=["ns1.nic.bulk."], apex_a=False,
                                        extra_rrs=[] if net is None else
                                        ["%s A %s" % (BULK_NS, Z.addr(net, "bulk"))]))]
    for i in range(n):
        k = kind(i)
        b = dict(bulk=True, kind=k, ns=[BULK_NS], alg=None if k == "unsigned" else (8 if k == "sec8" else 13))
        if k == "expired":
            b["life"] = (-30 * DAY, -2 * DAY)
        specs.append((name(i), "bulk", ["bulk"], b))
    for i in range(keytrap_count(n, keytrap_pct)):
        specs.append((keytrap_name(i), "bulk", ["bulk"], dict(bulk=True, kind="keytrap", ns=[BULK_NS], alg=13)))
    return specs


def assign_keys(zones, keydir):
    """One CSK per algorithm plus one never-published key for the DS mismatch cases. DS records
    come from a single ldns-key2ds run over a file holding every zone's DNSKEY (it handles many)."""
    shared = {13: K.generate(os.path.join(keydir, "13"), "bulk", 13, True),
              8: K.generate(os.path.join(keydir, "8"), "bulk", 8, True),
              "other": K.generate(os.path.join(keydir, "other"), "bulk", 13, True)}
    if any(z.b["kind"] == "keytrap" for z in zones):
        shared["zsk13"] = K.generate(os.path.join(keydir, "zsk13"), "bulk", 13, False)
    lines = []
    for z in zones:
        z.ds_cache = []
        if z.signed():
            z.keys["ksk"] = shared[z.alg]
            if z.b["kind"] == "keytrap":
                z.keys["zsk"] = shared["zsk13"]
            src = shared["other"] if z.b["kind"] == "dsother" else shared[z.alg]
            lines.append(src.dnskey(z.origin))
    if not lines:
        return
    path = os.path.join(keydir, "all-dnskeys.key")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    by_owner = {z.origin: z for z in zones}
    for ds in K.run(["ldns-key2ds", "-f", "-n", "-2", path]).splitlines():
        if ds.strip():
            by_owner[ds.split()[0].lower()].ds_cache.append(ds.strip())
    missing = [z.name for z in zones if z.signed() and not z.ds_cache]
    if missing:
        raise RuntimeError("ldns-key2ds gave no DS for %d bulk zones, e.g. %s" % (len(missing), missing[0]))


def render(zones, workdir, net, now):
    os.makedirs(workdir, exist_ok=True)
    decoys = []
    if any(z.b["kind"] == "keytrap" for z in zones):
        zsk = next(z.keys["zsk"] for z in zones if z.b["kind"] == "keytrap")
        decoys = keytrap.decoys("@", keytrap.key_tag(keytrap.dnskey_rdata(zsk.dnskey())), KEYTRAP_DECOYS, "bulk")

    def one(z):
        o = z.origin
        text = "$ORIGIN %s\n$TTL 3600\n%s SOA %s hostmaster.%s %d 3600 600 86400 300\n%s NS %s\n%s A %s\n" % (
            o, o, BULK_NS, o, now, o, BULK_NS, o, Z.addr(net, "bulk"))
        if not z.signed():
            z.text["main"] = text
            return
        key = z.keys["ksk"]
        src = os.path.join(workdir, z.name + ".zone")
        with open(src, "w") as f:
            f.write(text + key.dnskey(o) + "\n")
            if "zsk" in z.keys:
                f.write(z.keys["zsk"].dnskey(o) + "\n")
                f.write("".join(d.replace("@", o, 1) + "\n" for d in decoys))
        inc, exp = z.b.get("life", (-3600, 30 * DAY))
        K.run(["ldns-signzone", "-d", "-o", o, "-f", src + ".signed", "-i", str(now + inc),
               "-e", str(now + exp), src, key.base] + ([z.keys["zsk"].base] if "zsk" in z.keys else []))
        with open(src + ".signed") as f:
            z.text["main"] = f.read()
        if z.b["kind"] == "keytrap":
            zsk = keytrap.dnskey_rdata(z.keys["zsk"].dnskey(o))
            z.text["main"] = keytrap.attack(z.text["main"], o, zsk, ("SOA", "A"), KEYTRAP_BOGUS)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, zones))


def expected_lines(n, keytrap_pct=0):
    out = []
    for i in range(n):
        k = kind(i)
        row = {"unsigned": ("insecure", "-", "insecure", "bulk: unsigned"),
               "sec13": ("secure", "-", "secure", "bulk: alg 13 CSK"),
               "sec8": ("secure", "-", "secure", "bulk: alg 8 CSK"),
               "expired": ("bogus", "RRSIG_EXPIRED", "servfail", "bulk: signatures expired"),
               "dsother": ("bogus", "DS_NO_MATCHING_DNSKEY", "servfail", "bulk: DS of an unpublished key")}[k]
        out.append("\t".join((name(i),) + row))
    for i in range(keytrap_count(n, keytrap_pct)):
        out.append("\t".join((keytrap_name(i), "bogus", "CAA_BOGUS,VALIDATION_LIMIT", "servfail",
                               "bulk: KeyTrap, %d DNSKEYs of one key tag, %d bogus RRSIGs over SOA and A"
                               % (KEYTRAP_DECOYS + 1, KEYTRAP_BOGUS))))
    return out
