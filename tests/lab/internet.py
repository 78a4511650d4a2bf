"""Internet mode (`lab up --internet N`): N domains shaped like a registrar's portfolio.

Everything runs inside a network namespace the lab creates (`dnssweep-inet-<net>`), so the lab
has real IPv6 addresses (fd7f:<X>::/64 on the namespace's loopback) and never sends a packet
outside it; consumers run inside it with `lab exec -- CMD`.

- A signed root, TLDs `alpha` (alg 13, NSEC3), `beta` (alg 8, NSEC), `gamma` (unsigned) for the
  customers, and `delta` (alg 13, NSEC) and `gamma` for the DNS hosts' own zones.
- HOSTS: DNS hosts serving ~85 % of the domains. Each has its own zone (`<host>.delta` or
  `<host>.gamma`, signed or not) holding 2-4 NS names with 2-6 addresses each (IPv4 and IPv6),
  shared by all its customers, whose delegations name them without glue (out of bailiwick). One
  NSD per host serves every customer zone on all its addresses.
- The other ~15 % are self-hosted: ns1/ns2.<domain> with glue, on a pool of 8 shared addresses.
- NSD's response rate limiting on every host and on the TLD server.
- Hostile hosts behind lossy_proxy.py: `farnsd` (150 ms each way: 300 ms round trip), `lossdns` (2 % loss each way,
  seeded). Misconfigured hosts: `staledns` (its last address serves yesterday's zones: old
  serial, signed customers with the previous key), `stripdns` (its last address serves the zones
  without any RRSIG).
- Mix: ~20 % of the domains under signed TLDs signed (one CSK per host and algorithm, shared by
  its customers: signing 10,000 zones with per-zone keys would cost key generation and DS runs
  without changing what a scanner sees), 1 in 100 signed domains bogus in four ways.
"""
import hashlib
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import keys as K

DAY = 86400
TTL = 3600
CUSTOMER_TLDS = ["alpha", "beta", "gamma"]
TLDS = {"alpha": dict(alg=13, nsec3=True), "beta": dict(alg=8), "gamma": dict(alg=None),
        "delta": dict(alg=13)}
# name, TLD of its zone, its zone's algorithm (None: unsigned), share of N in %, NS names,
# IPv4 and IPv6 addresses per name, % of its customers signed, algorithm, hostile setting
HOSTS = [
    ("bigdns", "delta", 13, 30, 4, 2, 1, 25, 13, None),
    ("cloudns", "delta", None, 20, 2, 3, 3, 12, 8, None),
    ("regdns", "gamma", None, 15, 3, 1, 1, 30, 13, None),
    ("farnsd", "delta", 8, 8, 2, 2, 0, 20, 13, "delay"),
    ("lossdns", "gamma", None, 6, 2, 2, 1, 20, 13, "loss"),
    ("staledns", "delta", 13, 3, 2, 2, 0, 40, 13, "stale"),
    ("stripdns", "gamma", None, 3, 2, 2, 0, 40, 13, "strip"),
]
HOSTILE_SPEC = {"delay": "delay=0.15,seed=1", "loss": "loss=0.02,seed=7"}
SELF_POOL = 8
SELF_SIGNED_PCT = 15
BOGUS_KINDS = ["expired", "dsother", "notyet", "digest"]
# Response rate limiting as operators set it (BIND's documented examples use 5-20 per second; NSD's
# default is 200): per source /24 (IPv6 /64) and answer name; every 2nd limited answer is a TC=1
# slip, the others are dropped. A scanner asking each of a host's addresses the same 7 questions
# about a domain meets it; a resolver asking once does not.
RRL_RATE = 10
RRL = ["    rrl-ratelimit: %d" % RRL_RATE, "    rrl-slip: 2", "    rrl-size: 20000",
       "    rrl-ipv4-prefix-length: 24", "    rrl-ipv6-prefix-length: 64",
       "    rrl-whitelist-ratelimit: %d" % (4 * RRL_RATE)]


def netns_name(net):
    return "dnssweep-inet-" + net.replace(".", "-")


def v6(net, a, b):
    """The IPv6 twin of 127.X.a.b: fd7f:X::a:b (X, a, b written as hex digits of their decimal)."""
    return "fd7f:%s::%d:%d" % (net.split(".")[1], a, b) if a else "fd7f:%s::%d" % (net.split(".")[1], b)


class Server:
    """One NSD: its name, the addresses it is reached on (front) and binds (bind), zones."""

    def __init__(self, name, front, bind=None, rrl=False, hostile=None):
        self.name, self.front, self.bind = name, front, bind or front
        self.rrl, self.hostile = rrl, hostile
        self.zones = []  # (origin, text)


def host_addrs(net, k, h):
    """[(ns name, [addresses])] of host k (1-based) in HOSTS."""
    name, tld, _, _, n_names, n4, n6 = h[:7]
    out = []
    for j in range(1, n_names + 1):
        addrs = ["%s.%d.%d" % (net, 10 + k, j * 10 + a) for a in range(1, n4 + 1)]
        addrs += [v6(net, 10 + k, j * 10 + a) for a in range(1, n6 + 1)]
        out.append(("ns%d.%s.%s." % (j, name, tld), addrs))
    return out


def backend(net, addr):
    """Where a server behind the proxy binds for its front address: 127.X.(100+a).b (IPv4 for
    every front, the proxy speaks IPv6 to the client)."""
    if ":" in addr:
        a, b = addr.split("::")[1].split(":")
        return "%s.%d.%d" % (net, 100 + int(a), 100 + int(b))
    a, b = addr.split(".")[2:]
    return "%s.%d.%s" % (net, 100 + int(a), b)


def pick(i, salt, mod):
    return int(hashlib.sha256(("%s:%d" % (salt, i)).encode()).hexdigest()[:8], 16) % mod


def plan(n):
    """The N domains: [{name, tld, host (index into HOSTS or None), kind}], deterministic."""
    bounds, acc = [], 0
    for k, h in enumerate(HOSTS):
        acc += h[3]
        bounds.append((acc, k))
    out = []
    signed = 0
    for i in range(n):
        tld = CUSTOMER_TLDS[i % 3]
        r = pick(i, "host", 100)
        host = next((k for b, k in bounds if r < b), None)
        pct = HOSTS[host][7] if host is not None else SELF_SIGNED_PCT
        kind = "unsigned"
        if tld != "gamma" and pick(i, "sign", 100) < pct:
            kind = "signed"
            hostile = HOSTS[host][9] if host is not None else None
            if hostile in ("stale", "strip"):
                kind = hostile
            elif signed % 100 == 37:
                kind = BOGUS_KINDS[(signed // 100) % len(BOGUS_KINDS)]
            signed += 1
        prefix = "c" if host is not None else "s"
        out.append({"name": "%s%06d.%s" % (prefix, i, tld), "tld": tld, "host": host, "kind": kind})
    return out


EXPECTED = {
    "unsigned": ("insecure", "-", "insecure", "unsigned"),
    "signed": ("secure", "-", "secure", "signed, CSK shared by the host's customers"),
    "expired": ("bogus", "RRSIG_EXPIRED", "servfail", "signatures expired 2 days before LAB_NOW"),
    "dsother": ("bogus", "DS_NO_MATCHING_DNSKEY", "servfail", "DS of an unpublished key"),
    "notyet": ("bogus", "RRSIG_NOT_YET_VALID", "servfail", "inception 3 days after LAB_NOW"),
    "digest": ("bogus", "DS_DIGEST_MISMATCH", "servfail", "DS with the key's tag, wrong digest"),
    "stale": ("bogus", "DS_NO_MATCHING_DNSKEY,NS_INCONSISTENT", "-",
              "stale secondary: one address serves yesterday's zone signed with the previous key"),
    "strip": ("bogus", "DNSSEC_STRIPPED,NS_INCONSISTENT", "-",
              "one address serves the zone with every RRSIG stripped"),
    "unsigned-gamma": ("insecure", "PARENT_UNSIGNED", "insecure", "unsigned under the unsigned TLD"),
}


def expected_lines(domains):
    out = []
    for d in domains:
        status, reasons, unbound, note = EXPECTED[d["kind"] + ("-gamma" if d["tld"] == "gamma" else "")]
        where = HOSTS[d["host"]][0] if d["host"] is not None else "self-hosted"
        out.append("\t".join((d["name"], status, reasons, unbound, "internet (%s): %s" % (where, note))))
    return out


def soa_ns(origin, ns_names, serial):
    lines = ["$ORIGIN %s" % origin, "$TTL %d" % TTL,
             "%s SOA %s hostmaster.%s %d 3600 600 86400 300" % (origin, ns_names[0], origin, serial)]
    return lines + ["%s NS %s" % (origin, ns) for ns in ns_names]


def addr_rr(owner, a):
    return "%s AAAA %s" % (owner, a) if ":" in a else "%s A %s" % (owner, a)


def sign(text, origin, keys, workdir, now, life=(-3600, 30 * DAY), nsec3=False):
    """ldns-signzone over text with keys (each a keys.Key published under origin); signed text."""
    src = os.path.join(workdir, origin.rstrip(".") or "root") + ".zone"
    with open(src, "w") as f:
        f.write(text + "".join(k.dnskey(origin) + "\n" for k in keys))
    cmd = ["ldns-signzone", "-d", "-o", origin, "-f", src + ".signed", "-i", str(now + life[0]),
           "-e", str(now + life[1])] + (["-n", "-t", "0"] if nsec3 else []) + [src] + [k.base for k in keys]
    K.run(cmd)
    with open(src + ".signed") as f:
        return f.read()


def strip_dnssec(text):
    """Every RRSIG removed (what a middlebox or a broken secondary that drops them serves)."""
    return "".join(l for l in text.splitlines(True) if not (len(l.split()) > 3 and l.split()[3] == "RRSIG"))


def ds_lines(keyfile_lines, workdir, name):
    """DS (SHA-256) of each DNSKEY line, by one ldns-key2ds run; {owner: [DS line]}."""
    path = os.path.join(workdir, name + ".dnskeys")
    with open(path, "w") as f:
        f.write("\n".join(keyfile_lines) + "\n")
    out = {}
    for ds in K.run(["ldns-key2ds", "-f", "-n", "-2", path]).splitlines():
        if ds.strip():
            out.setdefault(ds.split()[0].lower(), []).append(ds.strip())
    return out


def build(labdir, net, now, n, log):
    """Writes keys, zones and NSD configs; returns (servers, v6 addresses, proxies, expected)."""
    keydir, work = os.path.join(labdir, "keys"), os.path.join(labdir, "work")
    os.makedirs(work, exist_ok=True)
    domains = plan(n)
    # Keys: root, signed TLDs, signed host zones; per host (and the self-hosted pool) one CSK per
    # algorithm for its customers, the stale host's previous CSK, one never-published key.
    jobs = {".": 13}
    jobs.update({t: b["alg"] for t, b in TLDS.items() if b["alg"]})
    jobs.update({"%s.%s" % (h[0], h[1]): h[2] for h in HOSTS if h[2]})
    jobs.update({"cust-%s" % h[0]: h[8] for h in HOSTS})
    jobs.update({"cust-self": 13, "cust-stale-old": 13, "cust-other": 13})
    with ThreadPoolExecutor(max_workers=2) as pool:
        made = dict(zip(jobs, pool.map(lambda kv: K.generate(
            os.path.join(keydir, kv[0].strip(".") or "root"),
            "lab" if kv[0].startswith("cust-") else kv[0], kv[1], True), jobs.items())))
    log("keys made (%d)" % len(made))

    servers = {"root": Server("root", ["%s.0.1" % net, v6(net, 0, 1)]),
               "tlds": Server("tlds", ["%s.1.1" % net, "%s.1.2" % net, v6(net, 1, 1)], rrl=True),
               "self": Server("self", ["%s.30.%d" % (net, i + 1) for i in range(SELF_POOL)], rrl=True)}
    host_ns = {}
    for k, h in enumerate(HOSTS):
        names = host_addrs(net, k + 1, h)
        host_ns[k] = names
        addrs = [a for _, al in names for a in al]
        hostile = h[9]
        if hostile in ("delay", "loss"):
            servers[h[0]] = Server("h-" + h[0], addrs, [backend(net, a) for a in addrs], rrl=True,
                                   hostile=HOSTILE_SPEC[hostile])
        elif hostile in ("stale", "strip"):
            servers[h[0]] = Server("h-" + h[0], addrs[:-1], rrl=True)
            servers[h[0] + "-bad"] = Server("h-%s-%s" % (h[0], hostile), addrs[-1:], rrl=True)
        else:
            servers[h[0]] = Server("h-" + h[0], addrs, rrl=True)

    # DS of every signed customer (its host's CSK under its name, or the unpublished key).
    cust_key = {}
    key_lines = []
    for d in domains:
        if d["kind"] == "unsigned":
            continue
        owner = d["name"] + "."
        key = made["cust-%s" % (HOSTS[d["host"]][0] if d["host"] is not None else "self")]
        cust_key[d["name"]] = key
        key_lines.append((made["cust-other"] if d["kind"] == "dsother" else key).dnskey(owner))
    ds = ds_lines(key_lines, work, "customers") if key_lines else {}
    for d in domains:
        if d["kind"] == "digest":
            f = ds[d["name"] + "."][0].split()
            f[-1] = f[-1][:-1] + ("0" if f[-1][-1] != "0" else "1")
            ds[d["name"] + "."] = [" ".join(f)]
    infra_ds = ds_lines([made[z].dnskey(z + ".") for z in made if not z.startswith("cust-") and z != "."],
                        work, "infra")
    log("DS made (%d customers)" % len(key_lines))

    # Customer zones.
    def customer(d):
        o = d["name"] + "."
        if d["host"] is not None:
            ns_names = [nm for nm, _ in host_ns[d["host"]]]
            glue = []
        else:
            i = int(d["name"][1:7])
            ns_names = ["ns1.%s" % o, "ns2.%s" % o]
            glue = [addr_rr(ns_names[0], servers["self"].front[i % SELF_POOL]),
                    addr_rr(ns_names[1], servers["self"].front[(i + 1) % SELF_POOL])]
        body = soa_ns(o, ns_names, now) + glue + ["%s A 192.0.2.1" % o]
        text = "\n".join(body) + "\n"
        kind = d["kind"]
        old = None
        if kind == "unsigned":
            main = text
            if d["host"] is not None and HOSTS[d["host"]][9] == "stale":
                old = "\n".join(soa_ns(o, ns_names, now - DAY) + glue + ["%s A 192.0.2.1" % o]) + "\n"
        else:
            life = {"expired": (-30 * DAY, -2 * DAY), "notyet": (3 * DAY, 30 * DAY)}.get(kind, (-3600, 30 * DAY))
            main = sign(text, o, [cust_key[d["name"]]], work, now, life)
            if kind == "stale":
                oldtext = "\n".join(soa_ns(o, ns_names, now - DAY) + glue + ["%s A 192.0.2.1" % o]) + "\n"
                old = sign(oldtext, o, [made["cust-stale-old"]], os.path.join(work, "old"), now - DAY)
            elif kind == "strip":
                old = strip_dnssec(main)
        d["text"], d["old"] = main, old
        return d

    os.makedirs(os.path.join(work, "old"), exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(customer, domains))
    log("customer zones signed (%d signed of %d)" % (len(key_lines), n))

    for d in domains:
        if d["host"] is None:
            servers["self"].zones.append((d["name"] + ".", d["text"]))
            continue
        h = HOSTS[d["host"]]
        servers[h[0]].zones.append((d["name"] + ".", d["text"]))
        if h[9] in ("stale", "strip"):
            servers[h[0] + "-bad"].zones.append((d["name"] + ".", d["old"] or d["text"]))

    # Host zones: the NS names' addresses; served by the host on every address.
    tld_children = {t: [] for t in TLDS}
    for k, h in enumerate(HOSTS):
        o = "%s.%s." % (h[0], h[1])
        names = host_ns[k]
        rrs = [addr_rr(nm, a) for nm, al in names for a in al]
        text = "\n".join(soa_ns(o, [nm for nm, _ in names], now) + rrs) + "\n"
        if h[2]:
            text = sign(text, o, [made[o.rstrip(".")]], work, now)
        for s in [h[0]] + ([h[0] + "-bad"] if h[9] in ("stale", "strip") else []):
            servers[s].zones.append((o, text))
        tld_children[h[1]].append(["%s NS %s" % (o, nm) for nm, _ in names] + rrs + infra_ds.get(o, []))
    for d in domains:
        o = d["name"] + "."
        if d["host"] is not None:
            lines = ["%s NS %s" % (o, nm) for nm, _ in host_ns[d["host"]]]
        else:
            lines = ["%s NS ns1.%s" % (o, o), "%s NS ns2.%s" % (o, o)]
            i = int(d["name"][1:7])
            lines += [addr_rr("ns1." + o, servers["self"].front[i % SELF_POOL]),
                      addr_rr("ns2." + o, servers["self"].front[(i + 1) % SELF_POOL])]
        tld_children[d["tld"]].append(lines + ds.get(o, []))

    tld_ns = {t: ["a.nic.%s." % t, "b.nic.%s." % t] for t in TLDS}
    tlds = servers["tlds"]

    def tld_zone(t):
        o = t + "."
        rrs = [addr_rr(tld_ns[t][0], tlds.front[0]), addr_rr(tld_ns[t][0], tlds.front[2]),
               addr_rr(tld_ns[t][1], tlds.front[1])]
        text = "\n".join(soa_ns(o, tld_ns[t], now) + rrs + [l for c in tld_children[t] for l in c]) + "\n"
        if TLDS[t]["alg"]:
            text = sign(text, o, [made[t]], work, now, nsec3=TLDS[t].get("nsec3", False))
        return o, text, rrs

    with ThreadPoolExecutor(max_workers=2) as pool:
        tld_out = list(pool.map(tld_zone, TLDS))
    root_rrs = []
    for o, text, rrs in tld_out:
        tlds.zones.append((o, text))
        t = o.rstrip(".")
        root_rrs += ["%s NS %s" % (o, nm) for nm in tld_ns[t]] + rrs + infra_ds.get(o, [])
    root_ns = "a.root-servers.lab."
    root_addr = [addr_rr(root_ns, a) for a in servers["root"].front]
    text = "\n".join(["$ORIGIN .", "$TTL %d" % TTL, ". SOA %s hostmaster. %d 3600 600 86400 300" % (root_ns, now),
                      ". NS %s" % root_ns] + root_addr + root_rrs) + "\n"
    servers["root"].zones.append((".", sign(text, ".", [made["."]], work, now, life=(-3600, 90 * DAY))))
    log("TLDs and root signed")

    with open(os.path.join(labdir, "root.hints"), "w") as f:
        f.write("; internet lab root hints\n.\t3600000\tNS\t%s\n" % root_ns +
                "".join("%s\t3600000\t%s\t%s\n" % (root_ns, "AAAA" if ":" in a else "A", a)
                        for a in servers["root"].front))
    with open(os.path.join(labdir, "root.key"), "w") as f:
        f.write("; lab trust anchor: DS of the internet lab's root key\n%s\n" % K.run(
            ["ldns-key2ds", "-f", "-n", "-2", made["."].base + ".key"]).strip())
    lines = expected_lines(domains)
    with open(os.path.join(labdir, "expected.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(labdir, "domains.txt"), "w") as f:
        f.write("".join(d["name"] + "\n" for d in domains))
    for s in servers.values():
        write_nsd(labdir, s)
    v6_addrs = sorted({a for s in servers.values() for a in s.front + s.bind if ":" in a})
    return list(servers.values()), v6_addrs


def server_dir(labdir, s):
    return os.path.join(labdir, "nsd-" + s.name)


def write_nsd(labdir, s, port=53):
    d = server_dir(labdir, s)
    os.makedirs(d, exist_ok=True)
    lines = ["server:"] + ["    ip-address: %s" % a for a in s.bind] + [
        "    port: %d" % port, "    do-ip6: yes", '    username: ""', '    chroot: ""', '    database: ""',
        '    zonesdir: "%s"' % d, '    zonelistfile: "%s/zone.list"' % d, '    xfrdfile: "%s/xfrd.state"' % d,
        '    xfrdir: "%s"' % d, '    pidfile: "%s/nsd.pid"' % d, '    logfile: "%s/nsd.log"' % d,
        "    server-count: 1", "    verbosity: 1", "    hide-version: yes", "    refuse-any: no",
        "    minimal-responses: no", "    tcp-count: 200", "    zonefiles-check: no"] + (RRL if s.rrl else []) + [
        # Local control socket: bench/internet_lab reads each server's query counter.
        "remote-control:", "    control-enable: yes", '    control-interface: "%s/nsd.ctl"' % d]
    with open(os.path.join(d, "zones.txt"), "w") as zf:
        for i, (origin, text) in enumerate(s.zones):
            path = os.path.join(d, "z%06d.zone" % i)
            with open(path, "w") as f:
                f.write(text)
            lines += ["zone:", '    name: "%s"' % origin, '    zonefile: "%s"' % path]
            zf.write(origin + "\n")
    with open(os.path.join(d, "nsd.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")


def unbound_conf(labdir, net):
    d = os.path.join(labdir, "unbound")
    os.makedirs(d, exist_ok=True)
    conf = """server:
    interface: {addr}
    port: 53
    access-control: 127.0.0.0/8 allow
    do-ip6: yes
    username: ""
    chroot: ""
    directory: "{d}"
    pidfile: "{d}/unbound.pid"
    logfile: "{d}/unbound.log"
    use-syslog: no
    num-threads: 1
    verbosity: 1
    root-hints: "{labdir}/root.hints"
    trust-anchor-file: "{labdir}/root.key"
    do-not-query-localhost: no
    module-config: "validator iterator"
    ede: yes
    qname-minimisation: no
    prefetch: no
    harden-algo-downgrade: no
    val-log-level: 2
remote-control:
    control-enable: no
""".format(addr="%s.0.250" % net, d=d, labdir=labdir)
    path = os.path.join(d, "unbound.conf")
    with open(path, "w") as f:
        f.write(conf)
    return path
