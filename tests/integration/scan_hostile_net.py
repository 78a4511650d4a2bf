"""dnssweep scan (authoritative mode) of the whole small lab through a hostile network: every
domain's status and reason codes equal the lab's expected file, exactly as scan_lab checks them,
when the lab's lossy proxy (tests/lab/lossy_proxy.py; this kernel has no netem) stands in front
of every server:

  pass "loss":   30 % of the datagrams dropped in each direction;
  pass "jitter": every datagram delayed by 0..500 ms (so they overtake each other), 10 % of them
                 duplicated, 10 % dropped in each direction.

Both passes use one lab of the test's own: servers on 127.63, the proxy on their usual
addresses in 127.62 (the second `lab up` only restarts the proxy with the new settings). The
proxy's counters prove it did drop, delay, reorder and duplicate at about the configured rates
and that every question dnssweep sent went through it; the figures (datagrams dropped and
duplicated, dnssweep's retries and discarded answers, wall time, peak RSS of the scanner from
wait4) are printed as TAP comments. The scanner's peak RSS
must stay below MAX_RSS_MB (this binary runs under AddressSanitizer, which also fails the scan
on any leak).

Why the chosen --timeout/--retries make a spurious failure negligible (a verdict changes only if
every try of some question fails; the clean lab sends about 436 questions, 10 of them to the
blackhole, which never answers anyway, so at most Q = 426 questions can fail by bad luck):

  loss:   a try succeeds when the question and its answer both pass: 0.7 * 0.7 = 0.49. With
          --retries 20 (the CLI's maximum: 21 tries) a question fails with 0.51^21 = 7.4e-7, so
          the scan with probability <= Q * 7.4e-7 = 3e-4. --timeout 200: on loopback the proxy
          forwards in about a millisecond, so a timeout means a drop, not a slow answer.
  jitter: a try's round trip is S = U1 + U2 with U uniform on [0, 0.5] s: P(S < t) = 2t^2 for
          t <= 0.5, 1 - 2(1-t)^2 for 0.5 <= t <= 1. The engine doubles the wait each round
          (--timeout 300: 0.3, 0.6, 1.2, then 2.4 s) and an answer to an earlier try counts as
          lost (it carries that try's ID), so tries succeed with 0.81 * 0.18 = 0.146, then
          0.81 * 0.68 = 0.551, then 0.81. With --retries 10 a question fails with
          0.854 * 0.449 * 0.19^9 = 1.2e-7, the scan with <= Q * 1.2e-7 = 5e-5.
  Together about 3.6e-4: one spurious failure in ~2,800 runs, bounded by the CLI's cap of 20
  retries (each retry more costs the blackhole's questions another try at the engine's
  5 queries/s for a silent server, i.e. seconds of test time).
  The rate checks on the proxy's counters allow 5 standard deviations (plus 0.01): each fails
  by chance with < 1e-6.
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from lab_common import LAB, Checks, expected, lab_scan_args

DNSSWEEP = sys.argv[1]
MAX_RSS_MB = 200
SCAN_TIMEOUT_S = 240
NET, BACK = "127.62", "127.63"
PASSES = [
    dict(name="loss", spec="loss=0.3,seed=1", scan=["--timeout", "200", "--retries", "20"]),
    dict(name="jitter", spec="loss=0.1,jitter=0.5,dup=0.1,seed=2",
         scan=["--timeout", "300", "--retries", "10"]),
]


def lab(labdir, *args, timeout=120):
    return subprocess.run([LAB] + list(args) + ["--dir", labdir], capture_output=True,
                          text=True, timeout=timeout)


def read_env(labdir):
    out = lab(labdir, "env", timeout=30)
    return dict((k, v.strip("'")) for k, _, v in
                (l.partition("=") for l in out.stdout.splitlines()) if k)


def read_stats(path):
    with open(path) as f:
        return json.load(f)


def within(observed, n, p):
    """observed/n is p give or take five standard deviations (plus 0.01 for small n)."""
    return n > 0 and abs(observed / n - p) <= 5 * math.sqrt(p * (1 - p) / n) + 0.01


def start_scan(p, work):
    env = p["env"]
    p["out"] = os.path.join(work, p["name"] + ".jsonl")
    p["err"] = os.path.join(work, p["name"] + ".stderr")
    with open(p["err"], "w") as err:
        proc = subprocess.Popen([DNSSWEEP, "scan", "--db", os.path.join(work, p["name"] + ".db"),
                                 "-o", p["out"]] + lab_scan_args(env) + p["scan"] +
                                [env["LAB_DOMAINS"]], stdout=subprocess.DEVNULL, stderr=err)
    # Keep the Popen object: a dropped one joins subprocess's list of children to reap, and
    # the next subprocess call could then reap this one before wait4 reads its RSS.
    p["proc"], p["pid"] = proc, proc.pid
    p["t0"] = time.monotonic()


def wait_scan(p):
    """Reaps the scan with wait4 (its own peak RSS); kills it after SCAN_TIMEOUT_S."""
    deadline = time.monotonic() + SCAN_TIMEOUT_S
    while True:
        pid, status, ru = os.wait4(p["pid"], os.WNOHANG)
        if pid:
            p["rc"] = p["proc"].returncode = os.waitstatus_to_exitcode(status)
            p["wall"] = time.monotonic() - p["t0"]
            p["rss_mb"] = ru.ru_maxrss / 1024.0
            return
        if time.monotonic() > deadline:
            p["proc"].kill()
            p["proc"].wait()
            p["rc"], p["wall"], p["rss_mb"] = -9, SCAN_TIMEOUT_S, 0.0
            return
        time.sleep(0.1)


def compare(p, rows, check):
    """scan_lab's comparison: each domain streamed once, status and set of codes as expected."""
    got, twice = {}, []
    with open(p["out"]) as f:
        for line in f:
            rec = json.loads(line)
            if rec["domain"] in got:
                twice.append(rec["domain"])
            got[rec["domain"]] = rec
    check(not twice, "%s: no domain streamed twice %s" % (p["name"], twice or ""))
    wrong = 0
    for row in rows:
        rec = got.get(row["domain"])
        want = sorted(set(row["reasons"].split(",")) - {"-"})
        codes = sorted(set(x["code"] for x in rec["reasons"])) if rec else None
        if rec is None or rec["status"] != row["status"] or codes != want:
            wrong += 1
            print("not ok - %s: %-24s expected %-13s %-40s got %s %s" % (
                p["name"], row["domain"], row["status"], ",".join(want) or "-",
                rec and rec["status"], ",".join(codes or []) or "-"))
            for x in (rec or {}).get("reasons", []):
                print("#   %s %s %s" % (x["code"], x["server"], x["detail"]))
    check(wrong == 0 and len(got) == len(rows),
          "%s: all %d domains have the expected status and reason codes (%d differ, %d "
          "streamed)" % (p["name"], len(rows), wrong, len(got)))


def check_proxy(p, summary, check):
    """The proxy's counters: the configured rates, and every question went through it."""
    spec = dict((k, float(v)) for k, _, v in (kv.partition("=") for kv in p["spec"].split(",")))
    before, after = p["stats_before"], p["stats_after"]
    d = {k: {c: after[k][c] - before[k][c] for c in after[k]} for k in ("to_server", "to_client")}
    sent, tcp = summary["sent"], summary["tcp"]
    # Every try dnssweep sent over UDP is one datagram in (the tries over TCP, after a truncated
    # answer or the CDS/CDNSKEY asked again over TCP, are streams); the lab's Unbound may still
    # be retrying its health question through the proxy when the scan starts: a few more.
    ok = (d["to_server"]["in"] >= sent - tcp and d["to_server"]["in"] <= sent - tcp + 20)
    check(ok, "%s: every question went through the proxy (%d datagrams in, dnssweep sent %d "
          "tries, %d of them over TCP)" % (p["name"], d["to_server"]["in"], sent, tcp))
    for way in ("to_server", "to_client"):
        c = d[way]
        kept = c["in"] - c["dropped"]
        check(within(c["dropped"], c["in"], spec.get("loss", 0)),
              "%s: %s: %d of %d datagrams dropped (%.1f %%, configured %.0f %%)" % (
                  p["name"], way, c["dropped"], c["in"], 100.0 * c["dropped"] / max(c["in"], 1),
                  100 * spec.get("loss", 0)))
        check(within(c["duplicated"], kept, spec.get("dup", 0)),
              "%s: %s: %d of %d kept datagrams duplicated (configured %.0f %%)" % (
                  p["name"], way, c["duplicated"], kept, 100 * spec.get("dup", 0)))
        check(c["out"] == kept + c["duplicated"],
              "%s: %s: %d sent on = kept + duplicates" % (p["name"], way, c["out"]))
        jitter = spec.get("jitter", 0)
        mean = c["delay_s"] / c["out"] if c["out"] else 0
        # Mean of a uniform delay on [0, J] is J/2, its standard deviation J/sqrt(12).
        sd = jitter / math.sqrt(12 * max(c["out"], 1))
        check(abs(mean - jitter / 2) <= 5 * sd + 0.01 and (c["overtaking"] > 0) == (jitter > 0),
              "%s: %s: mean delay %.0f ms (configured 0..%.0f ms), %d datagrams overtook an "
              "earlier one" % (p["name"], way, mean * 1000, jitter * 1000, c["overtaking"]))
    return d


def parse_summary(text):
    m = re.search(r"queries (\d+) \(.*?\), retried (\d+), timed out (\d+), truncated->TCP (\d+), "
                  r"dropped \(spoofed/mismatched\) (\d+)", text)
    if not m:
        return None
    out = dict(zip(("sent", "retried", "timed_out", "truncated", "discarded"),
                   (int(x) for x in m.groups())))
    # Late answers (their try was given up and asked again with a new ID) and duplicates come
    # back with an ID no longer in flight.
    m = re.search(r"\(unknown ID (\d+),", text)
    out["unknown_id"] = int(m.group(1)) if m else None
    m = re.search(r"; tries over TCP (\d+)", text)
    if not m:
        return None
    out["tcp"] = int(m.group(1))
    return out


def run_pass(p, labdir, work, check):
    """lab up with the pass's proxy settings, one scan, the proxy's counters before and after."""
    up = lab(labdir, "up", "--net", NET, "--proxy", p["spec"], "--proxy-net", BACK, timeout=180)
    check(up.returncode == 0, "%s: lab up: %s" % (p["name"], (up.stderr.strip().splitlines() or
                                                             [""])[-1]))
    if up.returncode != 0:
        print("# " + up.stderr.strip().replace("\n", "\n# "))
        return False
    time.sleep(1.0)  # the proxy writes its counters twice a second: let the health probes land
    p["env"] = read_env(labdir)
    p["stats_before"] = read_stats(p["env"]["LAB_PROXY_STATS"])
    start_scan(p, work)
    wait_scan(p)
    time.sleep(1.5)  # the last delayed datagrams (<= 0.5 s), then the next write of the counters
    p["stats_after"] = read_stats(p["env"]["LAB_PROXY_STATS"])
    return True


def report(p, rows, check):
    with open(p["err"]) as f:
        err = f.read()
    print("# %s: dnssweep %s\n# %s" % (p["name"], " ".join(p["scan"]),
                                        err.strip().replace("\n", "\n# ")))
    check(p["rc"] == 0, "%s: dnssweep scan exits 0 (got %d)" % (p["name"], p["rc"]))
    if p["rc"] != 0:
        return
    compare(p, rows, check)
    summary = parse_summary(err)
    check(summary is not None, "%s: the scan summary has its query line" % p["name"])
    if summary is None:
        return
    d = check_proxy(p, summary, check)
    # Duplicated answers must be discarded; without jitter an answer is late only when the
    # machine stalls for a whole timeout, so there any count is fine.
    check(summary["retried"] > 0 and (summary["discarded"] > 0 or "dup" not in p["spec"]),
          "%s: dnssweep retried %d tries, discarded %d late or duplicate answers (%s with an "
          "unknown ID)" % (p["name"], summary["retried"], summary["discarded"],
                           summary["unknown_id"]))
    check(p["rss_mb"] < MAX_RSS_MB, "%s: peak RSS of the scanner %.0f MB < %d MB" % (
        p["name"], p["rss_mb"], MAX_RSS_MB))
    dropped = d["to_server"]["dropped"] + d["to_client"]["dropped"]
    dups = d["to_server"]["duplicated"] + d["to_client"]["duplicated"]
    print("# figures %s (%s): %d domains correct in %.1f s; proxy dropped %d of %d datagrams, "
          "duplicated %d, %d overtook; dnssweep sent %d, retried %d, discarded %d; peak RSS "
          "%.0f MB" % (p["name"], p["spec"], len(rows), p["wall"], dropped,
                       d["to_server"]["in"] + d["to_client"]["in"], dups,
                       d["to_server"]["overtaking"] + d["to_client"]["overtaking"],
                       summary["sent"], summary["retried"], summary["discarded"], p["rss_mb"]))


def main():
    here = os.path.dirname(os.path.abspath(DNSSWEEP))
    labdir = os.path.abspath(os.path.join(here, "..", "hostilelab"))
    work = tempfile.mkdtemp(prefix="dnssweep-hostile-")
    check = Checks()
    try:
        for p in PASSES:
            if not run_pass(p, labdir, work, check):
                return 1
            report(p, expected(p["env"]["LAB_EXPECTED"]), check)
    finally:
        for p in PASSES:
            if "proc" in p and "rc" not in p:
                p["proc"].kill()
                p["proc"].wait()
        down = lab(labdir, "down")
        check(down.returncode == 0, "lab down leaves no process behind (%s)" % down.stderr.strip())
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
