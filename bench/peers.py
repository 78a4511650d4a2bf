"""What bench/run measures dnssweep against: a cold-cache validating Unbound (driven by dnsperf),
raw dnsperf against the lab's bulk NSD, `openssl speed` (the crypto floor) and DNSViz.
Every process started here is stopped by its pid; nothing is left behind."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "lab"))
import dnsq  # noqa: E402  (the lab's tiny DNS client: rcode + flags)

AD = 0x0020
UNBOUND_HOST = (0, 251)  # next to the lab's own Unbound (.0.250), which we leave alone


def run_rusage(cmd, stdout=None, stderr=None, timeout=None):
    """Runs cmd; returns (returncode, wall seconds, rusage of the child)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=stderr)
    deadline = None if timeout is None else t0 + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.monotonic() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, time.monotonic() - t0, ru


# ---------------------------------------------------------------------------------------------
# dnsperf


def parse_dnsperf(text):
    def num(pat, cast=float):
        m = re.search(pat, text)
        return cast(m.group(1)) if m else None
    rcodes = {k: int(v) for k, v in re.findall(r"([A-Z]+) (\d+) \(", text.split("Response codes:")[1].split("\n")[0])} \
        if "Response codes:" in text else {}
    return {"sent": num(r"Queries sent:\s+(\d+)", int), "completed": num(r"Queries completed:\s+(\d+)", int),
            "lost": num(r"Queries lost:\s+(\d+)", int), "run_s": num(r"Run time \(s\):\s+([\d.]+)"),
            "qps": num(r"Queries per second:\s+([\d.]+)"), "rcodes": rcodes}


def dnsperf(server, port, datafile, extra, log):
    cmd = ["dnsperf", "-s", server, "-p", str(port), "-d", datafile, "-D"] + extra
    rc, wall, ru = run_rusage(cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT, timeout=900)
    with open(log) as f:
        out = parse_dnsperf(f.read())
    out["cmd"] = " ".join(cmd)
    out["cpu_s"] = ru.ru_utime + ru.ru_stime
    if rc != 0 or out["completed"] is None:
        raise RuntimeError("dnsperf failed (rc %d), see %s" % (rc, log))
    return out


def nsd_raw(net, port, domains_file, workdir, seconds):
    """dnsperf against the bulk NSD: the authoritative server's answer rate (SOA with DO)."""
    qf = os.path.join(workdir, "soa-queries.txt")
    addr = "%s.4.1" % net
    r = dnsperf(addr, port, qf, ["-l", str(seconds), "-c", "16", "-T", "1", "-q", "2000", "-t", "2"],
                os.path.join(workdir, "dnsperf-nsd.log"))
    r["server"] = addr
    return r


def engine_raw(bench_io, net, port, workdir, queries):
    """The io/ engine alone (bench/bench_io, raw answers as the scanner takes them, DO bit) against
    the same bulk NSD with the same SOA queries as nsd_raw: the engine's own query rate, which the
    scanner's per-domain pipeline (parent first, then the child's queries, then verification) does
    not reach on its own."""
    qf = os.path.join(workdir, "soa-queries.txt")
    addr = "%s.4.1" % net
    log = os.path.join(workdir, "bench-io-nsd.log")
    # Same number of queries in flight as dnsperf -q 2000 in nsd_raw.
    cmd = [bench_io, "-R", "-D", "-s", addr, "-p", str(port), "-f", qf, "-n", str(queries), "-w", "20000",
           "-i", "2000"]
    with open(log, "w") as f:
        rc, wall, ru = run_rusage(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=900)
    with open(log) as f:
        text = f.read()
    m = re.search(r"(\d+) queries, (\d+) answered, (\d+) failed, ([\d.]+) s wall, (\d+) answered q/s", text)
    if rc != 0 or not m:
        raise RuntimeError("bench_io failed (rc %d), see %s" % (rc, log))
    return {"cmd": " ".join(cmd), "server": addr, "queries": int(m.group(1)), "answered": int(m.group(2)),
            "failed": int(m.group(3)), "run_s": float(m.group(4)), "qps": float(m.group(5)),
            "cpu_s": ru.ru_utime + ru.ru_stime}


def write_soa_queries(domains, path):
    with open(path, "w") as f:
        for d in domains:
            f.write("%s SOA\n" % d)


# ---------------------------------------------------------------------------------------------
# Unbound, cold cache


def unbound_conf(labdir, net, port, workdir, threads):
    """The lab's validating Unbound config (tests/lab/procs.py), moved to its own address and
    directory, with less logging and room for thousands of queries in flight."""
    with open(os.path.join(labdir, "unbound", "unbound.conf")) as f:
        text = f.read()
    lab_addr = "%s.0.250" % net
    addr = "%s.%d.%d" % ((net,) + UNBOUND_HOST)
    labud = os.path.join(labdir, "unbound")
    text = text.replace(lab_addr, addr).replace(labud, workdir)
    text = re.sub(r"num-threads: \d+", "num-threads: %d" % threads, text)
    text = re.sub(r"verbosity: \d+", "verbosity: 0", text)
    text = re.sub(r"val-log-level: \d+", "val-log-level: 0", text)
    more = ("    num-queries-per-thread: 4096\n    outgoing-range: 8192\n    so-rcvbuf: 8m\n    so-sndbuf: 8m\n"
            "    msg-cache-size: 256m\n    rrset-cache-size: 512m\n    key-cache-size: 128m\n"
            "    neg-cache-size: 64m\n    infra-cache-numhosts: 100000\n")
    text = text.replace("remote-control:", more + "remote-control:", 1)
    path = os.path.join(workdir, "unbound.conf")
    with open(path, "w") as f:
        f.write(text)
    return path, addr


def start_unbound(conf, addr, port, workdir):
    log = open(os.path.join(workdir, "stdout.log"), "a")
    p = subprocess.Popen(["unbound", "-d", "-c", conf], stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        # RD=0 on the root: Unbound answers from its (empty) cache without resolving anything,
        # so the readiness probe does not warm the cache.
        if p.poll() is None and dnsq.query(addr, port, ".", "SOA", timeout=0.3, rd=False) is not None:
            return p
        if p.poll() is not None:
            break
        time.sleep(0.1)
    stop(p)
    raise RuntimeError("unbound did not start at %s port %d (see %s)" % (addr, port, workdir))


def stop(p):
    """SIGTERM by pid, SIGKILL after 10 s; returns the child's rusage."""
    if p is None:
        return None
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG) if p.returncode is None else (p.pid, 0, None)
        if pid:
            p.returncode = 0
            return ru
        if time.monotonic() > deadline:
            p.kill()
        time.sleep(0.05)


def unbound_sample(addr, port, expected, sample):
    """After the cold run the cache holds each answer with the security status Unbound computed
    during the run: asks a sample again and checks AD (secure), no AD (insecure), SERVFAIL."""
    good, bad = 0, []
    for d in sample:
        r = dnsq.query(addr, port, d, "SOA", timeout=2.0, dnssec=True, rd=True)
        want = expected[d]["unbound"]
        got = "timeout" if r is None else ("servfail" if r[0] == 2 else ("secure" if r[1] & AD else "insecure")
                                           if r[0] == 0 else "rcode%d" % r[0])
        if got == want:
            good += 1
        else:
            bad.append("%s: want %s got %s" % (d, want, got))
    return good, bad


def unbound_cold(labdir, net, port, workdir, domains, expected, threads, outstanding):
    """One cold-cache run: fresh Unbound, one SOA query (DO, RD) per domain through dnsperf."""
    os.makedirs(workdir, exist_ok=True)
    conf, addr = unbound_conf(labdir, net, port, workdir, threads)
    qf = os.path.join(workdir, "soa-queries.txt")
    write_soa_queries(domains, qf)
    p = start_unbound(conf, addr, port, workdir)
    try:
        r = dnsperf(addr, port, qf, ["-n", "1", "-c", "16", "-T", "1", "-q", str(outstanding), "-t", "15"],
                    os.path.join(workdir, "dnsperf-unbound.log"))
        step = max(1, len(domains) // 200)
        sample = domains[::step]
        good, bad = unbound_sample(addr, port, expected, sample)
    finally:
        ru = stop(p)
    want_noerror = sum(1 for d in domains if expected[d]["unbound"] in ("secure", "insecure"))
    want_servfail = sum(1 for d in domains if expected[d]["unbound"] == "servfail")
    right = min(r["rcodes"].get("NOERROR", 0), want_noerror) + min(r["rcodes"].get("SERVFAIL", 0), want_servfail)
    r.update({"addr": addr, "threads": threads, "outstanding": outstanding,
              "unbound_cpu_s": None if ru is None else ru.ru_utime + ru.ru_stime,
              "unbound_maxrss_mb": None if ru is None else ru.ru_maxrss / 1024.0,
              "right_rcode": right, "sample_n": len(sample), "sample_ok": good, "sample_bad": bad[:5],
              "domains_per_s": right / r["run_s"] if r["run_s"] else None})
    return r


# ---------------------------------------------------------------------------------------------
# openssl speed: verifies per second on one core


def openssl_speed(seconds, log):
    cmd = ["openssl", "speed", "-seconds", str(seconds), "ecdsap256", "rsa2048", "ed25519"]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300).stdout
    with open(log, "w") as f:
        f.write(out)
    res = {}
    m = re.search(r"rsa\s+2048 bits\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", out)
    if m:
        res["rsa2048"] = float(m.group(2))
    m = re.search(r"256 bits ecdsa \(nistp256\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", out)
    if m:
        res["ecdsap256"] = float(m.group(2))
    m = re.search(r"bits EdDSA \(Ed25519\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", out)
    if m:
        res["ed25519"] = float(m.group(2))
    missing = {"rsa2048", "ecdsap256", "ed25519"} - set(res)
    if missing:
        raise RuntimeError("could not parse openssl speed for %s (see %s)" % (sorted(missing), log))
    res["cmd"] = " ".join(cmd)
    return res


# ---------------------------------------------------------------------------------------------
# DNSViz


def dnsviz_available():
    return shutil.which("dnsviz") is not None



DNSVIZ_MARK = {".": "secure", "-": "insecure", "!": "bogus", "!!": "bogus", "?": "indeterminate"}


def _root_server(hints):
    """(name, address) of the first root server in a named.root-format file."""
    name = addr = None
    with open(hints) as f:
        for line in f:
            t = line.split()
            if len(t) >= 4 and t[-2] == "NS" and name is None:
                name = t[-1]
            elif len(t) >= 4 and t[-2] == "A" and addr is None:
                addr = t[-1]
    return name, addr


def dnsviz_sample(env, domains, expected, workdir, size=50):
    """`dnsviz probe -A` (authoritative, from the lab root) + `dnsviz print` with the lab root
    KSK as trusted key on a sample spread over the N domains. `grok` would do but crashes on
    Debian 12's dnsviz 0.9.4 for every unsigned delegation (KeyError in _serialize_rrset_info);
    `print` runs the same offline analysis and prints each delegation's status."""
    if env["LAB_PORT"] != "53":
        return {"na": "n/a (DNSViz queries port 53 only; the lab is on port %s)" % env["LAB_PORT"]}
    os.makedirs(workdir, exist_ok=True)
    step = max(1, len(domains) // size)
    sample = domains[::step][:size]
    names = os.path.join(workdir, "names.txt")
    with open(names, "w") as f:
        f.write("\n".join(sample) + "\n")
    root_name, root_addr = _root_server(env["LAB_ROOT_HINTS"])
    keys = subprocess.run(["dig", "@" + root_addr, ".", "DNSKEY", "+noall", "+answer"], stdout=subprocess.PIPE,
                          text=True, timeout=10).stdout
    tk = os.path.join(workdir, "trusted-keys.txt")
    with open(tk, "w") as f:
        f.write("".join(l + "\n" for l in keys.splitlines() if len(l.split()) > 4 and l.split()[4] == "257"))
    probe_json = os.path.join(workdir, "probe.json")
    probe = ["dnsviz", "probe", "-A", "-4", "-x", ".:%s=%s" % (root_name.rstrip(".") or ".", root_addr),
             "-f", names, "-o", probe_json]
    with open(os.path.join(workdir, "probe.log"), "w") as f:
        rc1, wall1, ru1 = run_rusage(probe, stdout=f, stderr=subprocess.STDOUT, timeout=1200)
    out_txt = os.path.join(workdir, "print.txt")
    show = ["/usr/bin/python3", os.path.join(HERE, "dnsviz_shim.py"), "print", "-P", "-t", tk, "-r", probe_json,
            "-o", out_txt]
    with open(os.path.join(workdir, "print.log"), "w") as f:
        rc2, wall2, ru2 = run_rusage(show, stdout=f, stderr=subprocess.STDOUT, timeout=1200)
    if rc1 != 0 or rc2 != 0:
        return {"na": "n/a (dnsviz failed: probe exit %d, print exit %d; see %s)" % (rc1, rc2, workdir)}
    got = {}
    with open(out_txt) as f:
        for line in f:
            t = line.split()
            if line[:1] not in (" ", "") and len(t) == 3 and t[0] in expected:
                got[t[0]] = DNSVIZ_MARK.get(t[2].strip("[]"), t[2])
    agree = sum(1 for d in sample if got.get(d) == expected[d]["status"])
    wall = wall1 + wall2
    cpu = ru1.ru_utime + ru1.ru_stime + ru2.ru_utime + ru2.ru_stime
    return {"n": len(sample), "wall_s": wall, "probe_s": wall1, "print_s": wall2, "domains_per_s": len(sample) / wall,
            "s_per_domain": wall / len(sample), "cpu_us_per_domain": cpu * 1e6 / len(sample),
            "peak_rss_mb": max(ru1.ru_maxrss, ru2.ru_maxrss) / 1024.0, "agree": agree,
            "cmd": " ".join(probe) + " && " + " ".join(show)}
