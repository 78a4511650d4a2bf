"""Off-path spoofing (issue 9): while dnssweep scans every domain of its own lab (net 127.64),
an attacker floods forged answers at the scanner's UDP ports, from every lab server address on
port 53, with random IDs, questions for the lab's names (lowercase and random case) and content
that would change verdicts if believed (keys and DS that match nothing, unsigned SOA, NXDOMAIN,
REFUSED, NODATA for DS, addresses of the blackhole); one packet in 16 is a forged ICMP port
unreachable quoting such a question with a random ID. A second attacker sniffs the queries that
wait on the blackhole (800 ms in flight) and sends near misses with the right ID: from a wrong
port, from a wrong server, with one letter's case flipped (0x20), the wrong type, QR clear, to
the wrong socket, and ICMP errors quoting the query in another case or type. Asserted: every verdict equals the lab's expected file; the flood sent
>= MIN_FORGED packets; dnssweep counted as dropped every forged packet the kernel delivered
(sent = dropped by dnssweep + dropped by the kernel, plus at most one late genuine answer per
timed-out try); the wrong-source and wrong-question counters reach at least the near misses
sent for them; every forged ICMP error is ignored.
Needs root (raw sockets): else exit 77 (skipped)."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import ctypes  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from lab_common import LAB, SKIP, Checks, expected, lab_env, lab_scan_args  # noqa: E402
import zones as Z  # noqa: E402  (tests/lab, put on sys.path by lab_common)
from forge import icmp_port_unreachable, ip_udp  # noqa: E402  (tests/lab/forge.py)

DNSSWEEP = sys.argv[1]
NET = "127.64"
FLOOD_SECONDS = 10.0
# The scan is rate-limited so that it outlasts the flood: ~460 queries at 25/s take >= 18 s, so
# the flood covers the first ~250 queries and ends while the scanner's sockets are still open
# (their kernel drop counters are read then).
SCAN_QPS = 25
# Python sends 34,000-81,000 forged packets/s on the 2-core dev machine beside the ASan scanner
# and other sessions (load average ~7), 220,000/s on an idle core: 100,000 in 10 s needs 10,000/s.
MIN_FORGED = 100000
TYPES = {"A": 1, "NS": 2, "SOA": 6, "AAAA": 28, "DS": 43, "DNSKEY": 48, "CDS": 59, "CDNSKEY": 60,
         "CAA": 257}
ICMP_EVERY = 16
ETH_P_IP = 0x0800
PACKET_HOST = 0
SO_ATTACH_FILTER = 26


def wire_name(name):
    labels = [l for l in name.rstrip(".").split(".") if l]
    return b"".join(bytes([len(l)]) + l.encode() for l in labels) + b"\0"


def random_case(name, rng):
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)


def rdata(qtype, rng):
    """Malicious RDATA for a forged answer of this type: nothing in the lab matches it."""
    if qtype in (TYPES["DNSKEY"], TYPES["CDNSKEY"]):
        return struct.pack("!HBB", 257, 3, 13) + bytes(rng.getrandbits(8) for _ in range(64))
    if qtype in (TYPES["DS"], TYPES["CDS"]):
        return struct.pack("!HBB", rng.getrandbits(16), 13, 2) + bytes(
            rng.getrandbits(8) for _ in range(32))
    if qtype == TYPES["SOA"]:
        return (wire_name("ns.attacker.lab.") + wire_name("hostmaster.attacker.lab.") +
                struct.pack("!5I", 1, 3600, 600, 86400, 300))
    if qtype == TYPES["A"]:
        return socket.inet_aton(Z.addr(NET, "blackhole"))
    if qtype == TYPES["AAAA"]:
        return socket.inet_pton(socket.AF_INET6, "::1")
    if qtype == TYPES["NS"]:
        return wire_name("ns.attacker.lab.")
    return b"\x00\x05issueattacker.lab"  # CAA


def forged_payload(qname_wire, qtype, kind, rng, flags=0x8400):
    """A DNS answer (ID left 0) to qname_wire/qtype: kind record (an unsigned malicious RRset),
    nxdomain, nodata (e.g. a DS NODATA without proof: insecure if believed) or refused."""
    rcode = {"record": 0, "nxdomain": 3, "nodata": 0, "refused": 5}[kind]
    an = 1 if kind == "record" else 0
    out = struct.pack("!HHHHHH", 0, flags | rcode, 1, an, 0, 0) + qname_wire + struct.pack(
        "!HH", qtype, 1)
    if an:
        rd = rdata(qtype, rng)
        out += b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 3600, len(rd)) + rd
    return out


def lab_names(lab_dir, domains):
    """Plausible question names: the domains, their parents, the NS names of the lab's zones
    and a probe-like name under each domain."""
    names = {"."}
    for d in domains:
        labels = d.rstrip(".").split(".")
        for i in range(len(labels)):
            names.add(".".join(labels[i:]) + ".")
        names.add("dnssweep-%08x.%s." % (random.getrandbits(32), d.rstrip(".")))
    for root, _, files in os.walk(lab_dir):
        for f in files:
            if not f.endswith(".zone"):
                continue
            for line in open(os.path.join(root, f), errors="replace"):
                parts = line.split()
                if len(parts) >= 5 and parts[3] == "NS":
                    names.add(parts[4].lower())
    return sorted(names)


def payload_pool(names, rng):
    """Every name x type, in lowercase and two random-case spellings, each with a random kind."""
    pool = []
    for name in names:
        for qtype in TYPES.values():
            for spelling in (name.lower(), random_case(name, rng), random_case(name, rng)):
                kind = rng.choice(["record", "record", "nxdomain", "nodata", "refused"])
                pool.append(forged_payload(wire_name(spelling), qtype, kind, rng))
    return pool


def icmp_unreachable(server, scanner_port, quoted_dns):
    """A forged ICMP port unreachable from server to the scanner, quoting a datagram from the
    scanner's port to server:53 with quoted_dns as its payload (the kernel hands the error to
    the scanner's socket, IP_RECVERR, which io/ reads as 'port unreachable' for that try)."""
    return icmp_port_unreachable((server, 53), ("127.0.0.1", scanner_port), quoted_dns)


def as_query(payload):
    """The query a forged answer answers (header with QR clear, the question, an OPT record):
    what a forged ICMP error quotes."""
    end = 12
    while payload[end] != 0:
        end += payload[end] + 1
    return (struct.pack("!HHHHHH", 0, 0, 1, 0, 0, 1) + payload[12:end + 5] +
            b"\x00\x00\x29\x04\xd0\x00\x00\x80\x00\x00\x00")


def raw_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def flood(ports, sources, pool, seconds, stop, results):
    """Sends forged answers as fast as it can for `seconds` or until stop is set: a random
    payload, a fresh random ID, a random lab server address (port 53), a random scanner port.
    One packet in ICMP_EVERY is instead a forged ICMP port unreachable quoting such a question
    with a random ID."""
    raw = raw_socket()
    heads = {(s, p): ip_udp(s, 53, "127.0.0.1", p, b"")[:20] for s in sources for p in ports}
    udp = {(p, n): struct.pack("!HHHH", 53, p, 8 + n, 0) for p in ports for n in
           set(len(x) for x in pool)}
    keys = list(heads)
    queries = [as_query(p) for p in pool]
    sent = icmp = errors = 0
    dst = ("127.0.0.1", 0)
    t0 = time.monotonic()
    batch = 4096
    while not stop.is_set() and time.monotonic() - t0 < seconds:
        rnd = os.urandom(6 * batch)
        for i in range(0, 6 * batch, 6):
            n = (rnd[i] << 8 | rnd[i + 1]) % len(pool)
            key = keys[(rnd[i + 2] << 8 | rnd[i + 3]) % len(keys)]
            try:
                if i % (6 * ICMP_EVERY) == 0:
                    raw.sendto(icmp_unreachable(key[0], key[1], rnd[i + 4:i + 6] +
                                                queries[n][2:]), dst)
                    icmp += 1
                else:
                    p = pool[n]
                    raw.sendto(heads[key] + udp[(key[1], len(p))] + rnd[i + 4:i + 6] + p[2:],
                               dst)
                    sent += 1
            except OSError:
                errors += 1
    results.put({"sent": sent, "icmp": icmp, "send_errors": errors,
                 "seconds": time.monotonic() - t0})


def attach_filter(sock, net_prefix):
    """Classic BPF: IPv4 UDP to net_prefix/16 (cooked packets start at the IP header), so the
    sniffer never wakes up for the flood (sent to 127.0.0.1) or other labs' traffic."""
    insns = [(0x20, 0, 0, 16),                      # ld [16]       destination address
             (0x54, 0, 0, 0xffff0000),              # and #0xffff0000
             (0x15, 0, 3, net_prefix),              # jeq net, else reject
             (0x30, 0, 0, 9),                       # ldb [9]       protocol
             (0x15, 0, 1, 17),                      # jeq UDP, else reject
             (0x06, 0, 0, 65535),                   # ret accept
             (0x06, 0, 0, 0)]                       # ret reject
    prog = b"".join(struct.pack("HBBI", *i) for i in insns)
    buf = ctypes.create_string_buffer(prog)
    fprog = struct.pack("HL", len(insns), ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)  # the kernel copies buf


def near_misses(q, blackhole, other_server, other_port, rng):
    """Forgeries of one sniffed query (right ID), each wrong in exactly one way, with the
    reason io/ must count it under: (packet, expected reason)."""
    qid, sport, qname, qtype = q
    good = forged_payload(qname, qtype, "record", rng)
    # Flip the case of the first letter: the answer must echo the 0x20 pattern byte for byte.
    b = bytearray(qname)
    for i, c in enumerate(b):
        if chr(c).isalpha():
            b[i] ^= 0x20
            break
    other_type = TYPES["A"] if qtype != TYPES["A"] else TYPES["SOA"]
    idb = struct.pack("!H", qid)
    out = [
        (ip_udp(blackhole, 5353, "127.0.0.1", sport, idb + good[2:]), "wrong_source"),
        (ip_udp(other_server, 53, "127.0.0.1", sport, idb + good[2:]), "wrong_source"),
        (ip_udp(blackhole, 53, "127.0.0.1", sport,
                idb + forged_payload(qname, other_type, "record", rng)[2:]), "wrong_question"),
        (ip_udp(blackhole, 53, "127.0.0.1", sport,
                idb + forged_payload(qname, qtype, "record", rng, flags=0x0400)[2:]),
         "wrong_question"),
    ]
    if other_port is not None:
        out.append((ip_udp(blackhole, 53, "127.0.0.1", other_port, idb + good[2:]), "unknown_id"))
    # ICMP port unreachable quoting the query with another type: must not end the try.
    quoted = as_query(forged_payload(qname, other_type, "record", rng))
    out.append((icmp_unreachable(blackhole, sport, idb + quoted[2:]), "icmp"))
    if bytes(b) != qname:  # a name without letters has no case to get wrong
        out.append((ip_udp(blackhole, 53, "127.0.0.1", sport,
                           idb + forged_payload(bytes(b), qtype, "record", rng)[2:]),
                    "wrong_question"))
        quoted = as_query(forged_payload(bytes(b), qtype, "record", rng))
        out.append((icmp_unreachable(blackhole, sport, idb + quoted[2:]), "icmp"))
    return out


def snipe(ports, blackhole, other_server, stop, results):
    """Sniffs the scanner's queries to the lab (through the filter, lo shows each query once,
    as PACKET_HOST: the copy loopback delivers); counts them and answers those to the blackhole
    with near misses."""
    rng = random.Random()
    raw = raw_socket()
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    net = socket.inet_aton(NET + ".0.0")
    attach_filter(sniff, struct.unpack("!I", net)[0])
    sniff.bind(("lo", ETH_P_IP))
    sniff.settimeout(0.1)
    port_set = set(ports)
    counts = {"queries_seen": 0, "blackhole_queries": 0, "wrong_source": 0, "wrong_question": 0,
              "unknown_id": 0, "icmp": 0}
    while not stop.is_set():
        try:
            data, addr = sniff.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] != PACKET_HOST or len(data) < 28 or data[16:18] != net[:2]:
            continue
        ihl = (data[0] & 15) * 4
        sport, dport = struct.unpack("!HH", data[ihl:ihl + 4])
        dns = data[ihl + 8:]
        if sport not in port_set or dport != 53 or len(dns) < 17:
            continue
        counts["queries_seen"] += 1
        if socket.inet_ntoa(data[16:20]) != blackhole:
            continue
        end = 12
        while end < len(dns) and dns[end] != 0:
            end += dns[end] + 1
        if end + 5 > len(dns):
            continue
        counts["blackhole_queries"] += 1
        qid = struct.unpack("!H", dns[:2])[0]
        qtype = struct.unpack("!H", dns[end + 1:end + 3])[0]
        others = [p for p in ports if p != sport]
        for pkt, reason in near_misses((qid, sport, dns[12:end + 1], qtype), blackhole,
                                       other_server, rng.choice(others) if others else None, rng):
            raw.sendto(pkt, ("127.0.0.1", 0))
            counts[reason] += 1
    results.put(counts)


def udp_table():
    """inode -> (family, local port, rx_queue bytes, drops) of every UDP socket."""
    out = {}
    for path, fam in (("/proc/net/udp", 4), ("/proc/net/udp6", 6)):
        try:
            lines = open(path).read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            f = line.split()
            port = int(f[1].split(":")[1], 16)
            rxq = int(f[4].split(":")[1], 16)
            out[int(f[9])] = (fam, port, rxq, int(f[12]))
    return out


def scanner_sockets(pid):
    """The UDP sockets of a process: its fd links socket:[inode] matched in /proc/net/udp{,6}."""
    inodes = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(int(link[8:-1]))
    except FileNotFoundError:
        return {}
    table = udp_table()
    return {i: table[i] for i in inodes if i in table}


def discover_ports(proc):
    """Polls until the scanner's UDP sockets exist and their number is stable (bounded)."""
    last = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        socks = scanner_sockets(proc.pid)
        if socks and last is not None and set(socks) == set(last):
            return socks
        last = socks
        time.sleep(0.05)
    return {}


SUMMARY = re.compile(r"timed out (\d+), truncated->TCP (\d+), dropped \(spoofed/mismatched\) "
                     r"(\d+) \(unknown ID (\d+), wrong source (\d+), wrong question (\d+), "
                     r"short (\d+)\), ICMP errors ignored (\d+)")


def can_spoof():
    if os.geteuid() != 0:
        return "not root"
    try:
        raw_socket().close()
        socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP)).close()
    except OSError as e:
        return "no raw sockets: %s" % e
    return None


def compare_verdicts(check, rows, out):
    """One check per domain (status and reason codes equal the expected file); returns how
    many differ."""
    got, changed = {}, 0
    for line in open(out):
        rec = json.loads(line)
        got[rec["domain"]] = rec
    for row in rows:
        rec = got.get(row["domain"])
        want = sorted(set(row["reasons"].split(",")) - {"-"})
        if rec is None:
            check(False, "%s: missing from the output" % row["domain"])
            changed += 1
            continue
        codes = sorted(set(x["code"] for x in rec["reasons"]))
        same = rec["status"] == row["status"] and codes == want
        changed += not same
        check(same,
              "%-24s expected %-13s %-40s got %-13s %s" % (
                  row["domain"], row["status"], ",".join(want) or "-", rec["status"],
                  ",".join(codes) or "-"))
    check(len(got) == len(rows), "%d domains streamed, %d expected" % (len(got), len(rows)))
    return changed


def attack(check, env, rows, work):
    """Runs the scan under attack; returns the figures for the accounting checks."""
    names = lab_names(env["LAB_DIR"], [r["domain"] for r in rows])
    pool = payload_pool(names, random.Random())
    servers = [Z.addr(NET, s) for s in Z.AUTH_SERVERS + ["blackhole"]]
    out = os.path.join(work, "out.jsonl")
    args = lab_scan_args(env)
    args[args.index("--qps") + 1] = str(SCAN_QPS)
    errf = open(os.path.join(work, "stderr"), "w+")
    scan = subprocess.Popen([DNSSWEEP, "scan", "--db", os.path.join(work, "db"), "--scan",
                             "spoofed", "-o", out] + args + [env["LAB_DOMAINS"]],
                            stdout=subprocess.DEVNULL, stderr=errf)
    figures = {}
    try:
        socks = discover_ports(scan)
        v4 = sorted(p for fam, p, _, _ in socks.values() if fam == 4)
        check(len(v4) > 0, "found the scanner's UDP ports in /proc: IPv4 %s, IPv6 %d (the lab is "
              "IPv4: only IPv4 ports are attacked)" % (v4, len(socks) - len(v4)))
        if not v4:
            return None
        base_drops = sum(d for _, _, _, d in socks.values())
        stop = multiprocessing.Event()
        flood_q, snipe_q = multiprocessing.Queue(), multiprocessing.Queue()
        sniper = multiprocessing.Process(target=snipe, args=(
            v4, Z.addr(NET, "blackhole"), Z.addr(NET, "child1"), stop, snipe_q))
        flooder = multiprocessing.Process(target=flood, args=(
            v4, servers, pool, FLOOD_SECONDS, stop, flood_q))
        sniper.start()
        flooder.start()
        try:
            figures["flood"] = flood_q.get(timeout=FLOOD_SECONDS + 60)
        finally:
            stop.set()
            for p in (flooder, sniper):
                p.join(timeout=30)
                if p.is_alive():
                    p.kill()
                    p.join(timeout=10)
        figures["snipe"] = snipe_q.get(timeout=10)
        # Let the scanner drain its socket queues, then read the kernel's per-socket drops
        # while the sockets still exist.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            now = scanner_sockets(scan.pid)
            if set(now) == set(socks) and all(rxq == 0 for _, _, rxq, _ in now.values()):
                break
            time.sleep(0.05)
        figures["exact"] = set(now) == set(socks) and scan.poll() is None
        figures["rx_queue"] = sum(rxq for _, _, rxq, _ in now.values())
        figures["kernel_drops"] = sum(d for _, _, _, d in now.values()) - base_drops
        figures["pool"] = len(pool)
        figures["names"] = len(names)
        scan.wait(timeout=240)
    finally:
        if scan.poll() is None:
            scan.kill()
            scan.wait(timeout=30)
    errf.seek(0)
    figures["stderr"] = errf.read()
    figures["rc"] = scan.returncode
    figures["out"] = out
    return figures


def main():
    why = can_spoof()
    if why:
        print("# skipped: %s (raw sockets with IP_HDRINCL and AF_PACKET are needed)" % why)
        return SKIP
    lab_dir = os.path.abspath(os.path.join(os.path.dirname(DNSSWEEP), "..", "spooflab"))
    os.environ["DNSSWEEP_LAB_DIR"] = lab_dir
    work = tempfile.mkdtemp(prefix="dnssweep-spoofed-")
    check = Checks()
    try:
        up = subprocess.run([LAB, "up", "--net", NET, "--dir", lab_dir], capture_output=True,
                            text=True, timeout=300)
        if up.returncode != 0:
            print("not ok - lab up --net %s failed:\n%s" % (NET, up.stderr))
            return 1
        env = lab_env()
        rows = expected(env["LAB_EXPECTED"])
        f = attack(check, env, rows, work)
        if f is None:
            return 1
        print(f["stderr"])
        check(f["rc"] == 0, "scan under attack exits 0 (rc %s)" % f["rc"])
        changed = compare_verdicts(check, rows, f["out"])
        fl, sn = f["flood"], f["snipe"]
        m = SUMMARY.search(f["stderr"])
        check(m is not None, "the summary gives the dropped answers by reason")
        if m is None:
            return 1
        timed_out, _, dropped, unknown, wsrc, wq, short, icmp_ignored = (
            int(x) for x in m.groups())
        icmp_sent = fl["icmp"] + sn["icmp"]
        targeted = sn["wrong_source"] + sn["wrong_question"] + sn["unknown_id"]
        forged = fl["sent"] + targeted
        delivered = forged - f["kernel_drops"]
        print("# flood: %d forged answers and %d forged ICMP port unreachable in %.1f s (%.0f/s; "
              "%d send errors), %d payloads over %d names x %d types, from %d server "
              "addresses" % (fl["sent"], fl["icmp"], fl["seconds"],
                             (fl["sent"] + fl["icmp"]) / fl["seconds"], fl["send_errors"],
                             f["pool"], f["names"], len(TYPES), len(Z.AUTH_SERVERS) + 1))
        print("# overlap: %d scanner queries sent during the flood, %d of them to the blackhole "
              "got %d near misses with the right ID (%d wrong source, %d wrong question, %d "
              "wrong socket) and %d ICMP errors quoting another case or type" % (
                  sn["queries_seen"], sn["blackhole_queries"], targeted, sn["wrong_source"],
                  sn["wrong_question"], sn["unknown_id"], sn["icmp"]))
        print("# rejected by dnssweep: %d (unknown ID %d, wrong source %d, wrong question %d, "
              "short %d); kernel drops (socket buffer full) %d; left in queues %d bytes" % (
                  dropped, unknown, wsrc, wq, short, f["kernel_drops"], f["rx_queue"]))
        print("# forged %d = rejected %d + kernel drops %d %+d (late genuine answers: at most "
              "the %d timed-out tries)" % (forged, dropped, f["kernel_drops"],
                                           delivered - dropped, timed_out))
        print("# ICMP errors: %d forged, %d ignored by dnssweep; timed-out tries %d (the "
              "blackhole's: an accepted error would have ended them early)" % (
                  icmp_sent, icmp_ignored, timed_out))
        print("# accepted: %d by the accounting (delivered - rejected), %d verdicts changed" % (
            max(0, delivered - dropped), changed))
        check(fl["sent"] >= MIN_FORGED, "the flood sent %d forged answers (>= %d)" % (
            fl["sent"], MIN_FORGED))
        check(sn["queries_seen"] >= 100, "the flood overlapped %d scanner queries (>= 100)" %
              sn["queries_seen"])
        check(f["exact"], "the flood ended while the scanner's sockets were open (drops read "
              "from /proc/net/udp, queues drained)")
        # Every forged packet the kernel delivered was counted as dropped; dnssweep's count may
        # exceed that only by genuine answers that arrived after their try timed out.
        check(delivered <= dropped <= delivered + timed_out,
              "accounting: delivered forgeries %d <= dropped %d <= delivered + timed-out tries "
              "%d" % (delivered, dropped, delivered + timed_out))
        check(dropped >= 0.5 * forged, "dnssweep itself rejected %.1f%% of the forged answers "
              "(>= 50%%; the rest the kernel dropped)" % (100.0 * dropped / max(forged, 1)))
        check(sn["blackhole_queries"] > 0, "%d queries to the blackhole sniffed and answered "
              "with near misses" % sn["blackhole_queries"])
        # Near misses could also be lost to a full socket buffer: the bound allows for that.
        check(wsrc >= sn["wrong_source"] - f["kernel_drops"] and wsrc > 0,
              "wrong source counted %d for %d sent (kernel drops %d)" % (
                  wsrc, sn["wrong_source"], f["kernel_drops"]))
        check(wq >= sn["wrong_question"] - f["kernel_drops"] and wq > 0,
              "wrong question counted %d for %d sent (kernel drops %d)" % (
                  wq, sn["wrong_question"], f["kernel_drops"]))
        # Forged ICMP errors land in the sockets' error queues, whose overflow the kernel does
        # not count per socket: every one must be ignored, none may be lost to an overflow
        # unnoticed beyond 1%.
        check(0.99 * icmp_sent <= icmp_ignored <= icmp_sent,
              "ICMP errors: %d of %d forged ignored, none ended a try" % (icmp_ignored, icmp_sent))
    finally:
        subprocess.run([LAB, "down", "--dir", lab_dir], capture_output=True, timeout=120)
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
