"""Starting, checking and stopping the lab's processes, always by the pids we recorded."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import dnsq
import zones as Z

HERE = os.path.dirname(os.path.abspath(__file__))


def alive(pid):
    """True when pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def group_members(pgid):
    """Live pids whose process group is pgid (the lab starts each server in its own session)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                out.append(int(entry))
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return out


def start(name, cmd, logpath, cwd):
    log = open(logpath, "ab")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         cwd=cwd, start_new_session=True)
    log.close()
    return {"pid": p.pid, "cmd": cmd[0], "name": name}


def stop_all(procs, timeout=10.0):
    """SIGTERM every recorded process group, wait (bounded), then SIGKILL what is left.
    Returns the pids still alive afterwards (should be none)."""
    for p in procs:
        try:
            os.killpg(p["pid"], signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    left = []
    while time.monotonic() < deadline:
        left = [pid for p in procs for pid in group_members(p["pid"])]
        left += [p["pid"] for p in procs if alive(p["pid"]) and p["pid"] not in left]
        if not left:
            return []
        time.sleep(0.1)
    for p in procs:
        try:
            os.killpg(p["pid"], signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.5)
    return [pid for p in procs for pid in group_members(p["pid"])]


def unbound_conf(labdir, net, port):
    d = os.path.join(labdir, "unbound")
    os.makedirs(d, exist_ok=True)
    conf = """server:
    interface: {addr}
    port: {port}
    outgoing-interface: {addr}
    access-control: 127.0.0.0/8 allow
    do-ip6: no
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
    val-log-level: 2
    discard-timeout: 0
    infra-cache-max-rtt: 1000
    infra-keep-probing: no
    outbound-msg-retry: 2
    target-fetch-policy: "0 0 0 0 0"
    harden-algo-downgrade: no
    harden-referral-path: no
    aggressive-nsec: no
    qname-minimisation: no
    prefetch: no
    serve-expired: no
    cache-max-negative-ttl: 60
    infra-host-ttl: 60
    val-bogus-ttl: 5
    # Unbound answers RFC 6761 names such as test. itself unless told not to.
    local-zone: "test." nodefault
remote-control:
    control-enable: no
""".format(addr=Z.addr(net, "unbound"), port=port, d=d, labdir=labdir)
    path = os.path.join(d, "unbound.conf")
    with open(path, "w") as f:
        f.write(conf)
    return path


def proxy_stats_path(labdir):
    return os.path.join(labdir, "proxy-stats.json")


def start_proxy(labdir, net, port, servers, proxy):
    """The lossy proxy on the front address of every server (and the blackhole)."""
    manglers = Z.MANGLERS if os.path.exists(mangler_conf_path(labdir)) else []
    pairs = ["%s=%s" % (Z.addr(net, s), Z.addr(proxy["net"], s)) for s in list(servers) + ["blackhole"] + manglers]
    return start("proxy", [sys.executable, os.path.join(HERE, "lossy_proxy.py"), "--port", str(port),
                           "--spec", proxy["spec"], "--stats", proxy_stats_path(labdir)] + pairs,
                 os.path.join(labdir, "proxy.log"), labdir)


def mangler_conf_path(labdir):
    return os.path.join(labdir, "mangler.json")


def mangler_zones(labdir):
    """(address, zone) of every zone behind the mangler (empty when there is none)."""
    try:
        with open(mangler_conf_path(labdir)) as f:
            return [(z["addr"], z["zone"]) for z in json.load(f)["zones"]]
    except FileNotFoundError:
        return []


def server_names(procs):
    """The authoritative servers among started processes (nsd-X -> X, knot)."""
    return [p["name"][4:] if p["name"].startswith("nsd-") else p["name"]
            for p in procs if p["name"].startswith("nsd-") or p["name"] == "knot"]


def start_all(labdir, net, port, servers, proxy=None):
    """Starts every server, the blackhole and Unbound. With proxy ({"spec", "net"}), the
    authoritative servers and the blackhole listen on proxy["net"] and the lossy proxy stands on
    their usual addresses in `net` (Unbound stays on `net`, behind nothing: it is a client of
    the proxied servers like the scanner)."""
    bind_net = proxy["net"] if proxy else net
    procs = []
    for s in servers:
        d = Z.server_dir(labdir, s)
        cmd = ["knotd", "-c", os.path.join(d, "knot.conf")] if s == "knot" else \
            ["nsd", "-d", "-c", os.path.join(d, "nsd.conf")]
        procs.append(start(os.path.basename(d), cmd, os.path.join(d, "stdout.log"), d))
    procs.append(start("blackhole", [sys.executable, os.path.join(HERE, "blackhole.py"),
                                     Z.addr(bind_net, "blackhole"), str(port)],
                       os.path.join(labdir, "blackhole.log"), labdir))
    if os.path.exists(mangler_conf_path(labdir)):
        procs.append(start("mangler", [sys.executable, os.path.join(HERE, "mangler.py"), mangler_conf_path(labdir)],
                           os.path.join(labdir, "mangler.log"), labdir))
    if proxy:
        procs.append(start_proxy(labdir, net, port, servers, proxy))
    conf = unbound_conf(labdir, net, port)
    procs.append(start("unbound", ["unbound", "-d", "-c", conf],
                       os.path.join(labdir, "unbound", "stdout.log"), os.path.join(labdir, "unbound")))
    return procs


def probe_zone(labdir, server):
    """A zone the server serves (from its config), or '.' for the refuser (answers REFUSED)."""
    d = Z.server_dir(labdir, server)
    with open(os.path.join(d, "knot.conf" if server == "knot" else "nsd.conf")) as f:
        for line in f:
            if line.strip().startswith(("name:", "- domain:")):
                return line.split('"')[1]
    return "."


def log_tail(labdir, name):
    """Last line of a process's log (where NSD says e.g. 'Address already in use')."""
    paths = {"unbound": ["unbound/unbound.log", "unbound/stdout.log"], "blackhole": ["blackhole.log"],
             "mangler": ["mangler.log"],
             "proxy": ["proxy.log"],
             "knot": ["knot/knot.log", "knot/stdout.log"]}.get(name, [name + "/nsd.log", name + "/stdout.log"])
    tail = ""
    for rel in paths:
        try:
            with open(os.path.join(labdir, rel)) as f:
                lines = [l.strip() for l in f if l.strip()]
            if lines:
                tail = lines[-1]
        except FileNotFoundError:
            pass
    return tail or "(empty)"


def health(labdir, net, port, procs, total=10.0, proxy=None):
    """Returns a list of problems (empty when everything answers). Each wait is bounded.
    With proxy, the servers are checked on proxy["net"] and the proxy in front of them on net."""
    bind_net = proxy["net"] if proxy else net
    problems = ["%s (pid %d) is not running; its log ends: %s" % (p["name"], p["pid"], log_tail(labdir, p["name"]))
                for p in procs if not alive(p["pid"])]
    if problems:
        return problems
    for p in procs:
        if p["name"].startswith("nsd-") or p["name"] == "knot":
            server = p["name"][4:] if p["name"].startswith("nsd-") else "knot"
            r = dnsq.wait_answer(Z.addr(bind_net, server), port, probe_zone(labdir, server), "SOA", total)
            if r is None:
                problems.append("%s at %s port %d does not answer within %.0f s (see %s)" % (
                    p["name"], Z.addr(bind_net, server), port, total,
                    os.path.join(labdir, p["name"], "nsd.log")))
    for a, zone in mangler_zones(labdir):  # DNSKEY is relayed unchanged by every rule
        if dnsq.wait_answer(a, port, zone, "DNSKEY", total) is None:
            problems.append("mangler at %s port %d does not relay %s DNSKEY within %.0f s (see %s)" % (
                a, port, zone, total, os.path.join(labdir, "mangler.log")))
    deadline = time.monotonic() + total
    while True:
        try:
            socket.create_connection((Z.addr(bind_net, "blackhole"), port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                problems.append("blackhole does not accept TCP connections")
                break
            time.sleep(0.1)
    if proxy:
        # Through the proxy: the root answers over UDP (polled: the proxy may drop or delay
        # each try) and the blackhole's front address accepts TCP (passed through).
        r = dnsq.wait_answer(Z.addr(net, "root"), port, ".", "SOA", total)
        if r is None:
            problems.append("the lossy proxy at %s port %d does not forward to the root within "
                            "%.0f s (see %s)" % (Z.addr(net, "root"), port, total,
                                                 os.path.join(labdir, "proxy.log")))
        try:
            socket.create_connection((Z.addr(net, "blackhole"), port), timeout=total).close()
        except OSError as e:
            problems.append("the lossy proxy does not accept TCP at %s port %d: %s" % (
                Z.addr(net, "blackhole"), port, e))
    # Unbound follows referrals to port 53 only: on another port it can merely answer. Behind
    # the lossy proxy it may give up (SERVFAIL) on a bad draw: then answering is enough too.
    want = {0} if port == 53 and not proxy else None
    r = dnsq.wait_answer(Z.addr(net, "unbound"), port, ".", "SOA", total, want_rcodes=want, rd=True)
    if r is None or (want and r[0] not in want):
        problems.append("unbound at %s port %d does not resolve '. SOA' within %.0f s (see %s)" % (
            Z.addr(net, "unbound"), port, total, os.path.join(labdir, "unbound", "unbound.log")))
    return problems
