"""The internet-shaped lab (issue 16, `lab up --internet N`, N = DNSSWEEP_INTERNET_N, default
2,000): domains at shared DNS hosts (out-of-bailiwick NS names with IPv4 and IPv6 addresses, RRL,
a host 300 ms (round trip) away, a host with 2 % loss, a stale secondary, a secondary that strips RRSIGs) and
self-hosted ones, all inside a network namespace the lab creates. The scanner runs inside it.

- Every domain's status and reason codes equal the lab's expected file, in each `--servers`
  mode the scanner offers (detected from `dnssweep scan --help`; without the option: the
  default, which asks every address). No domain is NS_UNREACHABLE or lame.
- Two more scans of the unchanged lab, loss and RRL on: `dnssweep diff` reports 0 changed
  domains for each pair. The lossy proxy must have dropped datagrams (its counters), and RRL
  must be on: a burst of identical queries the test sends must make the TLD server slip or drop
  answers (NSD's counters). How often the scans themselves met RRL depends on the machine's
  speed, so it is printed, not checked.
- A scan inside the namespace with no IPv6 route at all (`lab exec --no-v6`): exit 0, one
  notice about IPv6, the same verdicts (IPv6 skipped, never NS_UNREACHABLE).
- `lab down` leaves no recorded process and no namespace.
At 2 % loss each way a try fails 4 % of the time, and a query whose 3 tries all fail (6e-5) on
one of the lossy host's addresses reads as NS_UNREACHABLE: about one per 10 scans here, so a
scanner without adaptive retries fails this test now and then (RRL and loss must cost time,
never a verdict). dnssweep's engine gives a query up to 3 more tries when its address answered
other questions since its first try (6 tries all fail 4e-9).
Own lab directory and net (127.106, inside its namespace: no clash with loopback labs).
Needs root (ip netns); skipped otherwise."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from lab_common import LAB, SKIP, expected

DNSSWEEP = sys.argv[1]
N = int(os.environ.get("DNSSWEEP_INTERNET_N", "2000"))
NET = "127.106"
RESULTS = {"ok": 0, "not ok": 0}


def check(cond, what):
    key = "ok" if cond else "not ok"
    RESULTS[key] += 1
    print("%s - %s" % (key, what), flush=True)
    return cond


def records(path):
    out = {}
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            out[rec["domain"]] = (rec["status"], sorted({x["code"] for x in rec["reasons"]}))
    return out


def compare(rows, got, label):
    wrong = []
    for row in rows:
        want = (row["status"], sorted(set(row["reasons"].split(",")) - {"-"}))
        if got.get(row["domain"]) != want:
            wrong.append((row["domain"], want, got.get(row["domain"]), row["note"]))
    for w in wrong[:15]:
        print("# %s: %s expected %s, got %s (%s)" % ((label,) + w))
    check(not wrong and len(got) == len(rows), "%s: all %d domains match the expected file (%d differ, %d stored)"
          % (label, len(rows), len(wrong), len(got)))
    bad = sorted(d for d, (st, codes) in got.items() if st == "lame" or "NS_UNREACHABLE" in codes)
    check(not bad, "%s: no domain lame or NS_UNREACHABLE (%d: %s)" % (label, len(bad), bad[:5]))


def rrl_counts(lab_dir):
    """{server: answers NSD truncated (RRL slips) + dropped} from each NSD's control socket."""
    out = {}
    for name in sorted(os.listdir(lab_dir)):
        conf = os.path.join(lab_dir, name, "nsd.conf")
        if name.startswith("nsd-") and os.path.exists(conf):
            r = subprocess.run(["nsd-control", "-c", conf, "stats_noreset"], capture_output=True, text=True,
                               timeout=30)
            stats = dict(l.split("=", 1) for l in r.stdout.splitlines() if "=" in l)
            out[name[4:]] = int(stats.get("num.truncated", 0)) + int(stats.get("num.dropped", 0))
    return out


BURST = """
import socket, sys
addr, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
q = bytes.fromhex("abcd01000001000000000000")
q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".") if l) + b"\\0" + bytes.fromhex("00060001")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
for _ in range(count):
    s.sendto(q, (addr, 53))
"""


def rrl_burst(env, lab, lab_dir):
    """Sends bursts of one question (the SOA of a TLD) to the TLD server's first address until
    NSD's counters show RRL at work (bounded: 20 bursts of 200). Returns (sent, slips + drops)."""
    tld = open(lab["LAB_DOMAINS"]).readline().strip().rstrip(".").rsplit(".", 1)[-1]
    before = rrl_counts(lab_dir).get("tlds", 0)
    sent = 0
    for _ in range(20):
        subprocess.run([LAB, "exec", "--", sys.executable, "-c", BURST, NET + ".1.1", tld + ".", "200"],
                       env=env, capture_output=True, text=True, timeout=60, check=True)
        sent += 200
        now = rrl_counts(lab_dir).get("tlds", 0)
        if now > before:
            return sent, now - before
    return sent, 0


def main():
    if os.geteuid() != 0 or not shutil.which("ip"):
        print("ok - # SKIP needs root and ip(8) for the internet lab's network namespace")
        return SKIP
    here = os.path.dirname(os.path.abspath(DNSSWEEP))
    lab_dir = os.path.abspath(os.path.join(here, "..", "inetlab"))
    env = dict(os.environ, DNSSWEEP_LAB_DIR=lab_dir, DNSSWEEP_LAB_NET=NET)
    work = tempfile.mkdtemp(prefix="dnssweep-inet-")
    try:
        up = subprocess.run([LAB, "up", "--internet", str(N)], env=env, capture_output=True, text=True,
                            timeout=900)
        if not check(up.returncode == 0, "internet lab up (N=%d): %s" % (N, up.stderr.strip().splitlines()[-1:])):
            print(up.stderr)
            return 1
        out = subprocess.run([LAB, "env"], env=env, capture_output=True, text=True, timeout=30)
        lab = dict(l.split("=", 1) for l in out.stdout.splitlines() if "=" in l)
        lab = {k: v.strip("'") for k, v in lab.items()}
        rows = expected(lab["LAB_EXPECTED"])
        help_text = subprocess.run([DNSSWEEP, "scan", "--help"], capture_output=True, text=True, timeout=30)
        modes = ["names", "all"] if "--servers" in help_text.stdout + help_text.stderr else [None]
        print("# --servers modes: %s" % (modes if modes != [None] else "none (every address asked)"))
        db = os.path.join(work, "db")

        def scan(name, mode=None, no_v6=False):
            stream = os.path.join(work, name + ".jsonl")
            cmd = [LAB, "exec"] + (["--no-v6"] if no_v6 else []) + [
                "--", DNSSWEEP, "scan", "--db", db, "--scan", name, "-o", stream,
                "--root-hints", lab["LAB_ROOT_HINTS"], "--trust-anchor", lab["LAB_TRUST_ANCHOR"],
                "--now", lab["LAB_NOW"], "--progress", "never"] + (["--servers", mode] if mode else []) + [
                lab["LAB_DOMAINS"]]
            r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
            summary = re.search(r"queries (\d+) \(([\d.]+) per domain\)", r.stderr)
            elapsed = re.search(r"domains in ([\d.]+) s \(([\d.]+)/s\)", r.stderr)
            print("# scan %s: exit %d, %s queries per domain, %s s" % (
                name, r.returncode, summary.group(2) if summary else "?", elapsed.group(1) if elapsed else "?"))
            check(r.returncode == 0, "scan %s exits 0 (%s)" % (name, r.stderr.strip()[-300:] if r.returncode else "ok"))
            return r, records(stream) if os.path.exists(stream) else {}, float(summary.group(2)) if summary else None

        per_domain = {}
        for mode in modes:
            label = mode or "default"
            _, got, qpd = scan("first-" + label, mode)
            per_domain[label] = qpd
            compare(rows, got, "scan (%s)" % label)
        if modes != [None]:
            # The plan (doc/cli.md) asks DNSKEY and SOA of every address in both modes; only a
            # signed zone's other questions go to one address per NS name. So names saves
            # queries on signed domains at multi-address hosts and nothing on unsigned ones
            # (most of this lab, as of the internet): fewer, not a fixed fraction. The ratio is a
            # figure of bench/internet_lab (README), not a pass mark.
            check(per_domain["names"] is not None and per_domain["all"] is not None and
                  per_domain["names"] < per_domain["all"],
                  "--servers names needs fewer queries per domain than all (%s vs %s: %.2f)" % (
                      per_domain["names"], per_domain["all"],
                      (per_domain["names"] or 0) / (per_domain["all"] or 1)))
        default_first = "first-" + (modes[0] or "default")
        for again in ("again-1", "again-2"):
            _, got, _ = scan(again)
            compare(rows, got, again)
            prev = default_first if again == "again-1" else "again-1"
            d = subprocess.run([DNSSWEEP, "diff", "--db", db, prev, again, "--format", "jsonl"],
                               capture_output=True, text=True, timeout=300)
            changed = [l for l in d.stdout.splitlines() if l.strip()]
            for l in changed[:10]:
                print("# " + l)
            check(d.returncode == 0 and not changed, "diff %s %s: 0 changed domains (%d lines, exit %d)" % (
                prev, again, len(changed), d.returncode))
        # Whether the scans themselves outran RRL depends on how fast this machine runs them (a
        # loaded machine scans slower than the limit): printed, not checked. That RRL is on
        # while they ran is checked by an event the test causes: a burst of identical queries.
        rrl = rrl_counts(lab_dir)
        print("# RRL slips and drops during the scans: %s" % (
            ", ".join("%s %d" % kv for kv in sorted(rrl.items()) if kv[1]) or "none at this speed"))
        sent, tld_rrl = rrl_burst(env, lab, lab_dir)
        check(tld_rrl > 0, "RRL is on: %d identical queries to the TLD server made it slip or drop %d "
              "answers" % (sent, tld_rrl))
        with open(os.path.join(lab_dir, "proxy-h-lossdns.json")) as f:
            stats = json.load(f)
        dropped = stats["to_server"]["dropped"] + stats["to_client"]["dropped"]
        check(dropped > 0, "the lossy host's proxy dropped %d datagrams during the scans (loss on)" % dropped)

        r, got, _ = scan("nov6", no_v6=True)
        notices = [l for l in r.stderr.splitlines() if "IPv6" in l or "inet6" in l]
        for l in notices:
            print("# " + l)
        check(len(notices) == 1, "without an IPv6 route: one notice about IPv6 (%d)" % len(notices))
        compare(rows, got, "scan without IPv6 route")
    finally:
        down = subprocess.run([LAB, "down"], env=env, capture_output=True, text=True, timeout=120)
        check(down.returncode == 0, "lab down: %s" % down.stderr.strip())
        check(not os.path.exists("/run/netns/dnssweep-inet-" + NET.replace(".", "-")),
              "the namespace is gone after lab down")
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (RESULTS["ok"], RESULTS["not ok"]))
    return 1 if RESULTS["not ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
