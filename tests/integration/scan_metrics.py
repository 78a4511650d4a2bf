"""--metrics FILE after a lab scan: a valid Prometheus text file whose counts per status and
per reason code equal those of the stored scan (dnssweep export), with query counters and the
duration; no temporary file is left next to it."""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from lab_common import lab_env, Checks, small_lab_domains

DNSSWEEP = sys.argv[1]
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(path):
    """Returns {(name, frozenset(labels)): value}; fails on any line that is not valid."""
    samples, typed = {}, set()
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
            continue
        if line.startswith("# HELP ") or not line:
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError("bad metrics line: %r" % line)
        if m.group(1) not in typed:
            raise ValueError("sample before its TYPE: %r" % line)
        labels = frozenset(LABEL.findall(m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-metrics-")
    check = Checks()

    try:
        domains = small_lab_domains(env, work)
        names = open(domains).read().split()
        db = os.path.join(work, "db")
        prom = os.path.join(work, "dnssweep.prom")
        r = subprocess.run([DNSSWEEP, "scan", "--db", db, "--scan", "m1", "--root-hints",
                            env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_TRUST_ANCHOR"],
                            "--now", env["LAB_NOW"], "--port", env["LAB_PORT"], "--qps", "0",
                            "--qps-per-server", "0", "--progress", "never", "--metrics", prom,
                            domains], capture_output=True, text=True, timeout=100)
        print(r.stderr)
        check(r.returncode == 0, "scan exits 0")
        check(not [n for n in os.listdir(work) if ".tmp." in n], "no temporary file left")
        m = parse(prom)
        ex = subprocess.run([DNSSWEEP, "export", "--db", db, "--scan", "m1"],
                            capture_output=True, text=True, timeout=60)
        check(ex.returncode == 0, "export exits 0")
        recs = [json.loads(l) for l in ex.stdout.splitlines()]
        status = collections.Counter(x["status"] for x in recs)
        reasons = collections.Counter(c for x in recs for c in set(y["code"] for y in x["reasons"]))
        for s in ["secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain"]:
            got = m.get(("dnssweep_scan_status_domains", frozenset([("status", s)])))
            check(got == status.get(s, 0), "status %s: metrics %s, export %d" % (
                s, got, status.get(s, 0)))
        got_reasons = {dict(k[1])["code"]: v for k, v in m.items()
                       if k[0] == "dnssweep_scan_reason_domains"}
        check(got_reasons == {k: float(v) for k, v in reasons.items()},
              "counts per reason code equal the export's (%d codes)" % len(reasons))
        check(m.get(("dnssweep_scan_domains", frozenset())) == len(recs) == len(names),
              "domains = %d" % len(names))
        check(m.get(("dnssweep_scan_info", frozenset([("scan", "m1")]))) == 1, "scan label")
        check(m.get(("dnssweep_scan_finished", frozenset())) == 1, "finished")
        sent = m.get(("dnssweep_scan_queries_sent", frozenset()), 0)
        answered = m.get(("dnssweep_scan_queries_answered", frozenset()), 0)
        check(sent >= len(names) and 0 < answered <= sent, "queries sent %s, answered %s" % (
            sent, answered))
        m_summary = re.search(r"queries (\d+) .*retried (\d+), timed out", r.stderr)
        check(m_summary and float(m_summary.group(1)) == sent and
              float(m_summary.group(2)) == m.get(("dnssweep_scan_queries_retried", frozenset())),
              "queries sent and retried equal the summary's")
        for k in ["dnssweep_scan_queries_timed_out", "dnssweep_scan_duration_seconds"]:
            check((k, frozenset()) in m, "%s present" % k)
        check(0 < m[("dnssweep_scan_duration_seconds", frozenset())] < 100, "duration plausible")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
