"""Running the internet lab (internet.py) in its network namespace: create it with the IPv6
addresses, start NSD/proxies/Unbound inside it, check them, run a command inside it (optionally
without any IPv6 route), delete it. Needs root (ip netns)."""
import ctypes
import os
import subprocess
import sys
import time

import dnsq
import internet
import procs

HERE = os.path.dirname(os.path.abspath(__file__))
CLONE_NEWNET = 0x40000000
LOCAL_RULE_PREF = 1000  # the local table, moved behind the no-IPv6 rule's slot
NO_V6_RULE_PREF = 500


def ip(*args, check=True, inp=None):
    r = subprocess.run(["ip"] + list(args), input=inp, capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise RuntimeError("ip %s failed: %s" % (" ".join(args[:6]), r.stderr.strip()))
    return r


def exists(ns):
    return os.path.exists("/run/netns/" + ns)


def create(ns, v6_addrs):
    """The namespace with loopback up and the IPv6 addresses on it (no DAD: usable at once).
    The local routing rule moves to LOCAL_RULE_PREF so that `exec --no-v6` can put an
    'unreachable' rule before it: IPv6 then has no route at all, not even to the namespace's
    own addresses."""
    if exists(ns):
        ip("netns", "del", ns)
    ip("netns", "add", ns)
    ip("-n", ns, "link", "set", "lo", "up")
    # 198.18.X.1 (RFC 2544 benchmarking range, reachable from nowhere): glibc's getaddrinfo with
    # AI_ADDRCONFIG (dnsperf) offers IPv4 only when a non-loopback IPv4 address exists, and
    # would otherwise map every IPv4 server to ::ffff:a.b.c.d, which sends nothing here.
    batch = "address add 198.18.%s.1/32 dev lo\n" % ns_net(ns).split(".")[1]
    batch += "".join("address add %s/128 dev lo nodad\n" % a for a in v6_addrs)
    ip("-n", ns, "-batch", "-", inp=batch)
    ip("-n", ns, "-6", "rule", "add", "pref", str(LOCAL_RULE_PREF), "lookup", "local")
    ip("-n", ns, "-6", "rule", "del", "pref", "0", "lookup", "local")


def delete(ns):
    if exists(ns):
        ip("netns", "del", ns)


def enter(ns):
    """Moves this process into the namespace (Python 3.11 has no os.setns)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns %s" % ns)
    finally:
        os.close(fd)


def set_v6(ns, on):
    """Adds (on=False) or removes the rule that makes every IPv6 destination unreachable."""
    have = "unreachable" in ip("-n", ns, "-6", "rule", "show", "pref", str(NO_V6_RULE_PREF)).stdout
    if on and have:
        ip("-n", ns, "-6", "rule", "del", "pref", str(NO_V6_RULE_PREF))
    elif not on and not have:
        ip("-n", ns, "-6", "rule", "add", "pref", str(NO_V6_RULE_PREF), "unreachable")


def in_ns(ns, cmd):
    return ["ip", "netns", "exec", ns] + cmd


def start_all(labdir, ns, servers):
    started = []
    for s in servers:
        d = internet.server_dir(labdir, s)
        started.append(procs.start(os.path.basename(d), in_ns(ns, ["nsd", "-d", "-c", os.path.join(d, "nsd.conf")]),
                                   os.path.join(d, "stdout.log"), d))
        if s.hostile:
            pairs = ["%s=%s" % fb for fb in zip(s.front, s.bind)]
            started.append(procs.start("proxy-" + s.name, in_ns(ns, [
                sys.executable, os.path.join(HERE, "lossy_proxy.py"), "--port", "53", "--spec", s.hostile,
                "--stats", os.path.join(labdir, "proxy-%s.json" % s.name)] + pairs),
                os.path.join(labdir, "proxy-%s.log" % s.name), labdir))
    conf = internet.unbound_conf(labdir, ns_net(ns))
    started.append(procs.start("unbound", in_ns(ns, ["unbound", "-d", "-c", conf]),
                               os.path.join(labdir, "unbound", "stdout.log"), os.path.join(labdir, "unbound")))
    return started


def ns_net(ns):
    """127.X of a namespace named by internet.netns_name."""
    return ".".join(ns.rsplit("-", 2)[-2:])


def health(labdir, ns, servers, started, total):
    """Problems (empty when every NSD answers its first and last zone on every address, and
    Unbound validates the root). Runs in a child process that entered the namespace."""
    problems = ["%s (pid %d) is not running" % (p["name"], p["pid"]) for p in started if not procs.alive(p["pid"])]
    if problems:
        return problems
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        out = []
        try:
            enter(ns)
            deadline = time.monotonic() + total
            for s in servers:
                for a in s.front:
                    for origin, _ in (s.zones[0], s.zones[-1]):
                        left = max(deadline - time.monotonic(), 2.0 if s.hostile else 0.5)
                        if dnsq.wait_answer(a, 53, origin, "SOA", left, per_try=2.0 if s.hostile else 0.5) is None:
                            out.append("%s at %s does not answer for %s (see %s)" % (
                                s.name, a, origin, internet.server_dir(labdir, s)))
            net = ns_net(ns)
            rr = dnsq.wait_answer("%s.0.250" % net, 53, ".", "SOA", 10.0, want_rcodes={0}, rd=True)
            if rr is None or rr[0] != 0:
                out.append("unbound at %s.0.250 does not resolve '. SOA' (see %s/unbound)" % (net, labdir))
        except Exception as e:  # reported by the parent
            out.append("health check failed: %r" % e)
        os.write(w, "\n".join(out).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return [l for l in data.decode().splitlines() if l]


def up(labdir, net, n, now, log):
    """Builds and starts the lab; returns (started processes, problems)."""
    ns = internet.netns_name(net)
    servers, v6_addrs = internet.build(labdir, net, now, n, log)
    create(ns, v6_addrs)
    log("namespace %s with %d IPv6 addresses" % (ns, len(v6_addrs)))
    started = start_all(labdir, ns, servers)
    problems = health(labdir, ns, servers, started, 30.0 + n / 1000.0)
    return started, problems


def down(ns):
    delete(ns)


def run(ns, cmd, no_v6=False):
    """Runs cmd inside the namespace (without any IPv6 route when no_v6); its exit code."""
    if no_v6:
        set_v6(ns, False)
    try:
        return subprocess.call(in_ns(ns, cmd))
    finally:
        if no_v6:
            set_v6(ns, True)
