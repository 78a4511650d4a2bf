"""Builds the lab directory: keys, zones (signed by ldns-signzone), NSD configs, expected files."""
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import bulk
import catalog
import zones as Z

# Infrastructure zones above the catalogue's domains.
INFRA = [
    # name, parent, server, build
    # The root's signatures outlive the other zones' (90 days, not 30): a scan "60 days later"
    # (nightly_lab) sees every zone below expire while the root still validates; a root that
    # does not validate is a failed run, never verdicts (cli.md).
    (".", None, "root", dict(alg=13, life=(-3600, 90 * 86400))),
    ("test", ".", "tld", dict(alg=13, nsec3=(0, None), ns=["ns1.nic.test."])),
    ("example", ".", "tld", dict(alg=8, ns=["ns1.nic.example."])),
    ("unsig", ".", "tld", dict(alg=None, ns=["ns1.nic.unsig."])),
    ("co.test", "test", "sld", dict(alg=13, ns=["ns1.nic.co.test."])),
    # A TLD whose own DNSKEY RRset carries only an RRSIG that expired 2 days before LAB_NOW (the
    # rest of the zone, the DS of sec.lapsed included, is signed as usual): PARENT_BOGUS below.
    ("lapsed", ".", "tld", dict(alg=13, ns=["ns1.nic.lapsed."], resign=[("lapsed", "DNSKEY", (-30 * 86400, -2 * 86400))])),
]
ROOT_NS = "a.root-servers.lab."


def make_zones(net, bulk_n, have_knot=True, bulk_keytrap=0):
    zones = {}
    for name, parent, server, b in INFRA:
        zones[name] = Z.Zone(name, parent, [server], b)
    z = zones["."]
    z.ns_names = [ROOT_NS]
    z.extra.append("%s A %s" % (ROOT_NS, Z.addr(net, "root")))
    for ns_owner in ("test", "example", "unsig", "co.test", "lapsed"):
        zones[ns_owner].b.setdefault("apex_a", False)
    # Out-of-bailiwick name server used by oob.test: plain data in the example zone.
    zones["example"].extra.append("ns-oob.example. A %s" % Z.addr(net, "child1"))
    # issue 16: a DNS host's two out-of-bailiwick names, shared by the srvcust*.test domains.
    zones["example"].extra.append("ns1.srvhost.example. A %s" % Z.addr(net, "child1"))
    zones["example"].extra.append("ns2.srvhost.example. A %s" % Z.addr(net, "child2"))
    for case in catalog.cases():
        if case.build.get("nozone"):
            continue
        b = dict(case.build)
        servers = b.get("servers", ["child1"])
        if not have_knot:  # Knot is optional: its zones then live on NSD child2
            servers = ["child2" if s == "knot" else s for s in servers]
        zones[case.domain] = Z.Zone(case.domain, case.parent(), servers, b)
    if bulk_n:
        for name, parent, servers, b in bulk.zone_specs(bulk_n, net, bulk_keytrap):
            zones[name] = Z.Zone(name, parent, servers, b)
    for z in zones.values():
        if z.parent is not None:
            zones[z.parent].delegations.append(z)
        # RFC 9615 signalling zones publish the CDS/CDNSKEY of the zones they vouch for
        z.dsboot_targets = [zones[t] for t in z.b.get("dsboot_for", [])]
    return zones


def served(zone):
    """(server, variant) pairs: where each zone's text is loaded. A zone behind the mangler is
    loaded by the NSD the mangler relays to."""
    alt = zone.b.get("alt", {})
    return [(Z.MANGLER_UPSTREAM if s in Z.MANGLERS else s, alt.get(s, "main")) for s in zone.servers
            if s in Z.SERVERS and s not in ("blackhole", "refuser")]


def mangler_conf(labdir, zones, bind_net, port):
    """mangler.json for mangler.py: each misbehaving zone's address and rule, and the NSD the
    mangler relays to. Returns None when no zone is behind the mangler."""
    entries = [{"addr": Z.addr(bind_net, s), "zone": z.origin, "rule": z.b["mangle"]}
               for z in zones.values() if z.b.get("mangle") for s in z.servers if s in Z.MANGLERS]
    if not entries:
        return None
    path = os.path.join(labdir, "mangler.json")
    write_file(path, json.dumps({"port": port, "upstream": [Z.addr(bind_net, Z.MANGLER_UPSTREAM), port],
                                 "zones": entries}, indent=1) + "\n")
    return path


def knot_conf(labdir, server, bind_net, port, zone_files):
    d = Z.server_dir(labdir, server)
    lines = ["server:",
             "    listen: %s@%d" % (Z.addr(bind_net, server), port),
             '    rundir: "%s"' % d,
             '    pidfile: "%s/knot.pid"' % d,
             "    udp-workers: 1",
             "    tcp-workers: 1",
             "    background-workers: 1",
             "database:",
             '    storage: "%s"' % d,
             "log:",
             '  - target: "%s/knot.log"' % d,
             "    any: info",
             "template:",
             "  - id: default",
             '    storage: "%s"' % d,
             "    semantic-checks: off",
             "    zonefile-sync: -1",
             "    journal-content: none",
             "zone:"]
    for name, path in zone_files:
        lines += ['  - domain: "%s"' % Z.fqdn(name), '    file: "%s"' % path]
    with open(os.path.join(d, "knot.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")


def nsd_conf(labdir, server, bind_net, port, zone_files):
    d = Z.server_dir(labdir, server)
    lines = ["server:",
             "    ip-address: %s" % Z.addr(bind_net, server),
             "    port: %d" % port,
             "    do-ip6: no",
             '    username: ""',
             '    chroot: ""',
             '    database: ""',
             '    zonesdir: "%s"' % d,
             '    zonelistfile: "%s/zone.list"' % d,
             '    xfrdfile: "%s/xfrd.state"' % d,
             '    xfrdir: "%s"' % d,
             '    pidfile: "%s/nsd.pid"' % d,
             '    logfile: "%s/nsd.log"' % d,
             "    server-count: 1",
             "    verbosity: 1",
             "    hide-version: yes",
             "    refuse-any: no",
             "    minimal-responses: no",
             "    tcp-count: 200",
             "remote-control:",
             "    control-enable: no"]
    for name, path in zone_files:
        lines += ["zone:", '    name: "%s"' % Z.fqdn(name), '    zonefile: "%s"' % path]
    with open(os.path.join(d, "nsd.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_file(path, text):
    with open(path, "w") as f:
        f.write(text)


REQUIRED_TOOLS = {"nsd": "nsd", "unbound": "unbound", "ldns-keygen": "ldnsutils", "ldns-signzone": "ldnsutils",
                  "ldns-key2ds": "ldnsutils", "openssl": "openssl", "dig": "bind9-dnsutils"}


def check_tools():
    """Raises with the Debian packages to install when a tool the lab needs is missing."""
    missing = sorted({pkg for tool, pkg in REQUIRED_TOOLS.items() if not shutil.which(tool)})
    if missing:
        raise RuntimeError("missing tools; install: apt-get install " + " ".join(missing))


def build(labdir, net, port, now, bulk_n, log=print, bind_net=None, bulk_keytrap=0):
    """Zone data, glue and root hints use `net`; the servers listen on `bind_net` (default `net`;
    another block when the lossy proxy stands on `net` in front of them)."""
    check_tools()
    have_knot = shutil.which("knotd") is not None
    if not have_knot:
        log("knotd not found (Debian package knot): the Knot zones are served by NSD instead")
    zones = make_zones(net, bulk_n, have_knot, bulk_keytrap)
    keydir = os.path.join(labdir, "keys")
    bulk_zones = [z for z in zones.values() if z.b.get("bulk")]
    small = [z for z in zones.values() if not z.b.get("bulk")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda z: z.make_keys(os.path.join(keydir, z.name.strip(".") or "root")), small))
    if bulk_zones:
        bulk.assign_keys(bulk_zones, os.path.join(keydir, "bulk"))
    log("keys done")
    work = os.path.join(labdir, "work")
    os.makedirs(work, exist_ok=True)
    # Leaves and parents can be signed in any order: DS records come from the keys.
    Z.render_all(small, work, net, now)
    log("small lab signed (%d zones)" % len(small))
    if bulk_zones:
        bulk.render(bulk_zones, os.path.join(labdir, "bulkwork"), net, now)
        log("bulk signed (%d zones)" % len(bulk_zones))
    per_server = {s: [] for s in Z.AUTH_SERVERS + (["bulk"] if bulk_n else []) if have_knot or s != "knot"}
    for z in zones.values():
        for server, variant in served(z):
            d = Z.server_dir(labdir, server)
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, (z.name.strip(".") or "root") + ".zone")
            write_file(path, z.text[variant])
            per_server[server].append((z.name, path))
    for server, files in per_server.items():
        os.makedirs(Z.server_dir(labdir, server), exist_ok=True)
        (knot_conf if server == "knot" else nsd_conf)(labdir, server, bind_net or net, port, files)
    mangler_conf(labdir, zones, bind_net or net, port)
    root = zones["."]
    write_file(os.path.join(labdir, "root.hints"),
               "; lab root hints (named.root format)\n"
               ".\t3600000\tNS\t%s\n%s\t3600000\tA\t%s\n" % (ROOT_NS, ROOT_NS, Z.addr(net, "root")))
    write_file(os.path.join(labdir, "root.key"),
               "; lab trust anchor: DS of the lab root KSK\n" + "\n".join(root.ds_records()) + "\n")
    lines = [c.line() for c in catalog.cases()] + bulk.expected_lines(bulk_n, bulk_keytrap)
    # No header line: exactly one line per lab domain (columns in README.md).
    write_file(os.path.join(labdir, "expected.tsv"), "\n".join(lines) + "\n")
    write_file(os.path.join(labdir, "domains.txt"), "\n".join(l.split("\t")[0] for l in lines) + "\n")
    return list(per_server)
