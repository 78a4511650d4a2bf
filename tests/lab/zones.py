"""Zone model of the lab: which zones exist, their keys, their text, signing and breakage."""
import base64
import os
from concurrent.futures import ThreadPoolExecutor

import craft
import keys as K
import keytrap

TTL = 3600
NEG_TTL = 300

# Server name -> last two octets of its address in the lab block.
SERVERS = {
    "root": (0, 1), "tld": (1, 1), "sld": (2, 1), "child1": (3, 1), "child2": (3, 2),
    "refuser": (3, 3), "knot": (3, 4), "blackhole": (9, 9), "bulk": (4, 1), "sld2": (2, 2),
    # mangler.py: one address per misbehaving zone (relays to MANGLER_UPSTREAM, rewrites one answer)
    "mangle1": (5, 1), "mangle2": (5, 2), "mangle3": (5, 3), "mangle4": (5, 4), "mangle5": (5, 5),
    "mangle6": (5, 6), "mangle7": (5, 7), "mangle8": (5, 8),
    # issue 16: the second address of a one-NS-name zone (catalogue block SERVERS_PLAN_CASES)
    "mangle9": (5, 9), "mangle10": (5, 10),
    # issue 14, no silent caps: one NSD for the zone with 40 DNSKEYs, 20 DS, 20 CDS + 20 CDNSKEY
    # (block 7, clear of the KeyTrap zone's servers)
    "manykeys": (7, 1),
    # issue 14, zone cuts: one NSD serving a registry, its sub-registry and domains below them
    "multi": (8, 1),
    "keytrap": (6, 1),  # issue 14: hostile zones (KeyTrap), a block of their own
}
MANGLERS = ["mangle%d" % i for i in range(1, 11)]
# The real NSD that serves the mangled zones' signed data (behind the mangler, never delegated to).
MANGLER_UPSTREAM = "child2"
UNBOUND = (0, 250)
# Authoritative servers always started: NSD instances, plus one Knot for implementation diversity.
# "multi" is the one deliberate exception to "a child is never on the parent's instance": it
# serves a registry, its sub-registry and domains below them together (catalog.py, README.md).
AUTH_SERVERS = ["root", "tld", "sld", "sld2", "child1", "child2", "refuser", "knot", "manykeys",
                "multi", "keytrap"]


def server_dir(labdir, server):
    """Directory of a server's config, zone files and logs (also its process name)."""
    return os.path.join(labdir, "knot" if server == "knot" else "nsd-" + server)


def addr(net, server):
    a, b = UNBOUND if server == "unbound" else SERVERS[server]
    return "%s.%d.%d" % (net, a, b)


def fqdn(name):
    return "." if name in (".", "") else name.rstrip(".") + "."


class Zone:
    def __init__(self, name, parent, servers, build):
        self.name = name            # without trailing dot; "." for the root
        self.parent = parent
        self.servers = servers
        self.b = build
        self.alg = build.get("alg")
        self.keys = {}              # role -> keys.Key
        self.many = []              # `many`: published standby keys (make_many_keys)
        self.delegations = []       # child Zone objects (filled by the builder)
        self.extra = list(build.get("extra_rrs", []))
        self.ns_names = build.get("ns") or ["ns%d.%s" % (i + 1, fqdn(name)) for i in range(len(servers))]
        if build.get("one_name"):  # one NS name with one address per server
            self.ns_names = ["ns1." + fqdn(name)]
        self.text = {}              # variant -> final zone text
        self.ds_cache = None        # precomputed DS lines (bulk zones sharing key pairs)
        self.dsboot_targets = []    # `dsboot_for`: Zone objects whose signals this zone holds

    @property
    def origin(self):
        return fqdn(self.name)

    def signed(self):
        return self.alg is not None

    def in_bailiwick_glue(self, net):
        """(ns name, address) pairs for NS names under this zone (glue in the parent)."""
        if self.b.get("one_name"):
            return [(self.ns_names[0], addr(net, s)) for s in self.servers]
        out = []
        for i, ns in enumerate(self.ns_names):
            if ns.endswith("." + self.origin) and i < len(self.servers):
                out.append((ns, addr(net, self.servers[i])))
        return out

    # ---- keys ----
    def make_keys(self, keydir):
        if not self.signed():
            if self.b.get("ds") == "other":  # DS_ZONE_UNSIGNED: a DS of a key never published
                self.keys["other"] = K.generate(os.path.join(keydir, "other"), self.name, 13, True)
            return
        bits = self.b.get("bits")
        d = lambda role: os.path.join(keydir, role)  # noqa: E731
        self.keys["ksk"] = K.generate(d("ksk"), self.name, self.alg, True, bits)
        if self.b.get("keys", "ksk+zsk") != "csk":
            self.keys["zsk"] = K.generate(d("zsk"), self.name, self.alg, False, bits)
        if self.b.get("revoke"):
            self.keys["ksk"].set_flags(385)
        if self.b.get("nozonebit"):  # SEP flag only: flags 1 (DNSKEY_NO_ZONE_BIT)
            self.keys["ksk"].set_flags(1)
        if self.b.get("ds") in ("other", "stale"):
            self.keys["other"] = K.generate(d("other"), self.name, self.alg, True, bits)
        extra = self.b.get("extra_key")
        if extra and extra[0] == "standby":
            self.keys["standby"] = K.generate(d("standby"), self.name, self.alg, True, bits)
        elif extra and extra[0] == "alg":
            self.keys["extraalg"] = K.generate(d("extraalg"), self.name, extra[1], True)
        if self.b.get("many"):
            self.make_many_keys(d)
        if "otherkeys" in self.b.get("alt", {}).values():
            self.keys["alt_ksk"] = K.generate(d("alt_ksk"), self.name, self.alg, True, bits)
            self.keys["alt_zsk"] = K.generate(d("alt_zsk"), self.name, self.alg, False, bits)

    def make_many_keys(self, d):
        """`many` (n, n_ds, n_cds): n more published keys that sign nothing, flags 257 and 256 in
        turn, every key tag of the zone distinct (a key whose tag is taken is made again), so each
        DS/CDS names one key and no RRSIG has more than one candidate key."""
        n = self.b["many"][0]
        tags = {k.key_tag() for k in self.keys.values()}
        while len(self.many) < n:
            i = len(self.many)
            k = K.generate(d("many%02d" % i), self.name, self.alg, i % 2 == 0)
            if k.key_tag() in tags:
                continue
            tags.add(k.key_tag())
            self.many.append(k)

    def many_ds_keys(self):
        """The keys the parent's DS names: the KSK and the first standby keys (n_ds in all)."""
        return [self.keys["ksk"]] + self.many[:self.b["many"][1] - 1]

    def many_cds_keys(self):
        """The keys CDS/CDNSKEY name: the DS keys and more standby keys (n_cds in all)."""
        return [self.keys["ksk"]] + self.many[:self.b["many"][2] - 1]

    def ds_records(self):
        """The DS RRset the parent publishes for this zone (list of zone-file lines)."""
        if self.ds_cache is not None:
            return self.ds_cache
        mode = self.b.get("ds", "good" if self.signed() else "none")
        ksk = self.keys.get("ksk")
        if mode == "none":
            return []
        if mode == "good":
            return [ksk.ds()]
        if mode == "sha1":
            return [ksk.ds(1)]
        if mode == "sha1rescue":  # RFC 4509 section 3: the SHA-256 DS wins and it mismatches
            f = ksk.ds(2).split()
            f[-1] = f[-1][:-1] + ("0" if f[-1][-1] != "0" else "1")
            return [ksk.ds(1), " ".join(f)]
        if mode == "zsk":
            return [self.keys["zsk"].ds()]
        if mode == "other":
            return [self.keys["other"].ds()]
        if mode == "stale":
            return [ksk.ds(), self.keys["other"].ds()]
        if mode == "digest":
            f = ksk.ds().split()
            f[-1] = f[-1][:-1] + ("0" if f[-1][-1] != "0" else "1")
            return [" ".join(f)]
        if mode == "many":  # SHA-256 and SHA-384 DS of each DS key
            return [k.ds(t) for k in self.many_ds_keys() for t in (2, 4)]
        if mode == "alg253":
            return ["%s\t%d\tIN\tDS\t4242 253 2 %s" % (self.origin, TTL, "5a" * 32)]
        raise ValueError("unknown ds mode " + mode)

    # ---- text ----
    def base_text(self, net, now, published, variant="main"):
        o = self.origin
        lines = ["$ORIGIN %s" % o, "$TTL %d" % TTL,
                 "%s SOA %s hostmaster.%s %d 3600 600 86400 %d" % (
                     o, self.ns_names[0], o if o != "." else "", now, NEG_TTL)]
        lines += ["%s NS %s" % (o, ns) for ns in self.ns_names]
        for ns, a in self.in_bailiwick_glue(net):
            lines.append("%s A %s" % (ns, a))
        if self.b.get("apex_a", True) and self.name != ".":
            lines.append("%s A %s" % (o, addr(net, self.servers[0]) if self.servers[0] in SERVERS else "127.0.0.1"))
        if self.b.get("caa"):
            lines.append('%s CAA 0 issue "letsencrypt.org"' % o)
        lines += [k.dnskey() for k in published]
        if self.b.get("keytrap") and published:
            lines += keytrap.decoys(o, self.zsk_tag(), self.b["keytrap"][0], self.name)
        lines += self.cds_records(variant)
        lines += self.dsboot_records()
        lines += self.extra
        for child in self.delegations:
            co = child.origin
            lines += ["%s NS %s" % (co, ns) for ns in child.ns_names]
            lines += ["%s A %s" % (ns, a) for ns, a in child.in_bailiwick_glue(net)]
            lines += child.ds_records()
        return "\n".join(lines) + "\n"

    def zsk_tag(self):
        return keytrap.key_tag(keytrap.dnskey_rdata(self.keys["zsk"].dnskey()))

    def dsboot_records(self):
        """RFC 9615 signals: for each zone vouched for, its CDS/CDNSKEY at
        _dsboot.<zone>._signal.<ns name> for each of its NS names within this zone."""
        out = []
        for t in self.dsboot_targets:
            for ns in t.ns_names:
                if not ns.endswith("." + self.origin):
                    continue
                owner = "_dsboot.%s_signal.%s" % (t.origin, ns)
                out += [owner + " " + rr.split(None, 1)[1] for rr in t.cds_records()]
        return out

    def cds_records(self, variant="main"):
        mode = self.b.get("cds")
        if variant == "oldcds":  # ds-actions: a secondary still serving the CDS of the DS key
            mode = "match"
        o = self.origin
        if not mode:
            return []
        if mode == "delete":
            return ["%s CDS 0 0 0 00" % o, "%s CDNSKEY 0 3 0 AA==" % o]
        if mode == "many":  # a SHA-256 CDS and a CDNSKEY of each CDS key
            chosen = self.many_cds_keys()
        else:
            chosen = [self.keys["ksk"] if mode == "match" else self.keys["standby"]]
        out = []
        for key in chosen:
            cds = key.ds().split()
            cds[3] = "CDS"
            out.append(" ".join(cds))
        for key in chosen:
            cdnskey = key.dnskey().split()
            cdnskey[2] = "CDNSKEY"
            out.append(" ".join(cdnskey))
        return out

    def signing_plan(self):
        """variant -> (published keys, signing keys)."""
        ksk, zsk = self.keys["ksk"], self.keys.get("zsk")
        # ldns-signzone ignores a key without the zone flag; craft.py signs the DNSKEY RRset then
        signers = ([] if self.b.get("nozonebit") else [ksk]) + ([zsk] if zsk else [])
        published = [ksk] + ([zsk] if zsk and not self.b.get("unpublished_zsk") else [])
        published += [self.keys[r] for r in ("standby", "extraalg") if r in self.keys]
        published += self.many
        if self.b.get("standby_signs"):  # a KSK rollover: the new KSK signs the DNSKEY RRset too
            signers = signers + [self.keys["standby"]]
        plan = {"main": (published, signers)}
        for variant in set(self.b.get("alt", {}).values()):
            if variant == "oldcds":  # same keys and signers, other CDS/CDNSKEY (cds_records)
                plan[variant] = (published, signers)
            if variant == "otherkeys":
                alt = [self.keys["alt_ksk"], self.keys["alt_zsk"]]
                plan[variant] = (alt, alt)
            elif variant == "expired":
                plan[variant] = plan["main"]
        return plan


def sign(zone, workdir, net, now, variant, published, signers, life=None):
    """Writes the unsigned text, runs ldns-signzone, returns the signed text."""
    inc, exp = life or zone.b.get("life", (-3600, 30 * 86400))
    src = os.path.join(workdir, "%s.%s.zone" % (zone.name.strip(".") or "root", variant))
    out = src + ".signed"
    with open(src, "w") as f:
        f.write(zone.base_text(net, now, published, variant))
    cmd = ["ldns-signzone", "-d", "-o", zone.origin, "-f", out, "-i", str(now + inc), "-e", str(now + exp)]
    nsec3 = zone.b.get("nsec3")
    if nsec3:
        cmd += ["-n", "-t", str(nsec3[0])]
        if nsec3[1]:
            cmd += ["-s", nsec3[1]]
    cmd.append(src)
    cmd += [k.base for k in signers]
    K.run(cmd)
    with open(out) as f:
        return f.read()


def _rr(line):
    f = line.split(None, 4)
    return f if len(f) == 5 and not line.startswith(("$", ";")) else None


def mutate(text, ops):
    """Applies breakage to a signed zone text. ops: 'corrupt_sig:T', 'strip_sig:T',
    'strip_type:T', 'labels:T', 'strip_all_sigs'."""
    out = []
    for line in text.splitlines():
        rr = _rr(line)
        keep = True
        for op in ops:
            if rr is None:
                break
            kind, _, t = op.partition(":")
            covered = rr[4].split()[0] if rr[3] == "RRSIG" else None
            if kind == "strip_all_sigs" and rr[3] == "RRSIG":
                keep = False
            elif kind == "strip_sig" and covered == t:
                keep = False
            elif kind == "strip_type" and (rr[3] == t or covered == t):
                keep = False
            elif kind in ("corrupt_sig", "labels") and covered == t:
                rd = rr[4].split()
                if kind == "corrupt_sig":
                    sig = bytearray(base64.b64decode("".join(rd[8:])))
                    for i in range(len(sig) // 3, len(sig) // 3 + 4):
                        sig[i] ^= 0x5A
                    rd = rd[:8] + [base64.b64encode(bytes(sig)).decode()]
                else:
                    rd[2] = "5"
                line = "\t".join(rr[:4]) + "\t" + " ".join(rd)
                rr = _rr(line)
        if keep:
            out.append(line)
    return "\n".join(out) + "\n"


def render(zone, workdir, net, now):
    """Fills zone.text: variant -> final text (signed and broken as the build asks)."""
    if not zone.signed():
        zone.text["main"] = zone.base_text(net, now, [])
        return
    for variant, (published, signers) in zone.signing_plan().items():
        # "expired": a secondary that stopped refreshing, its signatures expired 2 days ago.
        life = (-30 * 86400, -2 * 86400) if variant == "expired" else None
        zone.text[variant] = sign(zone, workdir, net, now, variant, published, signers, life)
    zone.text["main"] = mutate(zone.text["main"], zone.b.get("mutate", []))
    zone.text["main"] = resigned(zone, zone.text["main"], workdir, net, now)
    if zone.b.get("keytrap"):
        _, bogus, types = zone.b["keytrap"]
        zsk = keytrap.dnskey_rdata(zone.keys["zsk"].dnskey())
        zone.text["main"] = keytrap.attack(zone.text["main"], zone.origin, zsk, types, bogus)
    if zone.b.get("nozonebit"):
        zone.text["main"] = crafted_dnskey_sig(zone, zone.text["main"], now)
    if zone.b.get("cds_signer") == "zsk":
        # ldns-signzone signs CDS/CDNSKEY with the KSK; take them from a run with the ZSK alone
        # (same keys published, same validity) so they are signed by a key not in the DS set.
        published = zone.signing_plan()["main"][0]
        zsk_only = sign(zone, workdir, net, now, "zskonly", published, [zone.keys["zsk"]])
        sigs = [l for l in zsk_only.splitlines()
                if _rr(l) and _rr(l)[3] == "RRSIG" and _rr(l)[4].split()[0] in ("CDS", "CDNSKEY")]
        zone.text["main"] = mutate(zone.text["main"], ["strip_sig:CDS", "strip_sig:CDNSKEY"]) + "\n".join(sigs) + "\n"
    if "stripped" in zone.b.get("alt", {}).values():
        zone.text["stripped"] = mutate(zone.text["main"], ["strip_all_sigs"])


def resign_requests(zone):
    """(owner, covered type, life): RRsets whose RRSIGs must have other validity times than the
    zone's: the zone's own `resign` list, and the DS RRsets of children that ask for `ds_life`."""
    reqs = [(fqdn(o), t, tuple(life)) for o, t, life in zone.b.get("resign", [])]
    reqs += [(c.origin, "DS", tuple(c.b["ds_life"])) for c in zone.delegations if c.b.get("ds_life")]
    return reqs


def _sig_of(rr, owner, covered):
    return rr and rr[3] == "RRSIG" and rr[0].lower() == owner.lower() and rr[4].split()[0] == covered


def resigned(zone, text, workdir, net, now):
    """Swaps the RRSIGs named by resign_requests() for those of a second ldns-signzone run with
    the other validity times (same keys), and replaces the RRSIG over the DS RRset of a child with
    `ds_sig_alg` by one of that (unsupported) algorithm: real signatures, one RRset at a time."""
    reqs = resign_requests(zone)
    published, signers = zone.signing_plan()["main"]
    for i, life in enumerate(sorted({r[2] for r in reqs})):
        other = sign(zone, workdir, net, now, "life%d" % i, published, signers, life)
        want = [(o, t) for o, t, l in reqs if l == life]
        text = "\n".join(l for l in text.splitlines() if not any(_sig_of(_rr(l), o, t) for o, t in want)) + "\n"
        text += "\n".join(l for l in other.splitlines() if any(_sig_of(_rr(l), o, t) for o, t in want)) + "\n"
    for child in zone.delegations:
        alg = child.b.get("ds_sig_alg")
        if not alg:
            continue
        old = [_rr(l) for l in text.splitlines() if _sig_of(_rr(l), child.origin, "DS")]
        text = "\n".join(l for l in text.splitlines() if not _sig_of(_rr(l), child.origin, "DS")) + "\n"
        for rr in old:  # same fields and times, another algorithm, signature bytes that no key made
            rd = rr[4].split()
            rd[1] = str(alg)
            rd = rd[:8] + [base64.b64encode(os.urandom(64)).decode()]
            text += "\t".join(rr[:4]) + "\t" + " ".join(rd) + "\n"
    return text


def crafted_dnskey_sig(zone, text, now):
    """Replaces the RRSIG over DNSKEY (made by the ZSK) with one by the flags-1 KSK."""
    text = mutate(text, ["strip_sig:DNSKEY"])
    keys = [rr[4].split(";")[0].split() for rr in map(_rr, text.splitlines())
            if rr and rr[3] == "DNSKEY" and rr[0] == zone.origin]
    ksk = zone.keys["ksk"]
    inc, exp = zone.b.get("life", (-3600, 30 * 86400))
    sig = craft.sign_dnskey_rrset(zone.origin, TTL, keys, ksk.dnskey().split()[3:], ksk.base + ".private",
                                  now + inc, now + exp)
    return text + sig + "\n"


def render_all(zones, workdir, net, now, jobs=2):
    """Signs every zone, two signers at a time (the machine has two cores)."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for fut in [pool.submit(render, z, workdir, net, now) for z in zones]:
            fut.result()
