"""--metrics FILE after a lab scan: every line parses with the Prometheus client's own text
parser (python3-prometheus-client, installed by scripts/deps); counts per status and per reason
code (every code present, 0 when none) equal those of the stored scan (dnssweep export); counters
end in _total; scan_info carries scan and mode, build_info the version; the summary's "timed
out" equals dnssweep_run_tries_timed_out_total; no temporary file is left next to it."""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from lab_common import lab_env, Checks, small_lab_domains

DNSSWEEP = sys.argv[1]
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    # Debian's python3-prometheus-client lives in the system interpreter's path, which a
    # pyenv or venv interpreter does not search.
    sys.path.append("/usr/lib/python3/dist-packages")
    from prometheus_client.parser import text_string_to_metric_families


def parse(path):
    """Returns ({(sample name, frozenset(labels)): value}, {family: type}); the parser raises
    on any line that is not the text format."""
    samples, types = {}, {}
    for fam in text_string_to_metric_families(open(path).read()):
        types[fam.name] = fam.type
        for smp in fam.samples:
            key = (smp.name, frozenset(smp.labels.items()))
            if key in samples:
                raise ValueError("duplicate series %r" % (key,))
            samples[key] = smp.value
    return samples, types



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
        m, types = parse(prom)
        text = open(prom).read()
        check(all(l.startswith("# ") or re.match(r"^dnssweep_[a-z_]+(\{[^}]*\})? \S+$", l)
                  for l in text.splitlines()), "%d lines parsed by prometheus_client" %
              len(text.splitlines()))
        ex = subprocess.run([DNSSWEEP, "export", "--db", db, "--scan", "m1"],
                            capture_output=True, text=True, timeout=60)
        check(ex.returncode == 0, "export exits 0")
        recs = [json.loads(l) for l in ex.stdout.splitlines()]
        status = collections.Counter(x["status"] for x in recs)
        reasons = collections.Counter(c for x in recs for c in set(y["code"] for y in x["reasons"]))
        for s in ["secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain"]:
            for name in ["dnssweep_scan_status_domains", "dnssweep_run_status_domains"]:
                got = m.get((name, frozenset([("status", s)])))
                check(got == status.get(s, 0), "%s %s: metrics %s, export %d" % (
                    name, s, got, status.get(s, 0)))
        got_reasons = {dict(k[1])["code"]: v for k, v in m.items()
                       if k[0] == "dnssweep_run_reason_domains"}
        check({k: v for k, v in got_reasons.items() if v} == {k: float(v) for k, v in
                                                             reasons.items()},
              "counts per reason code equal the export's (%d codes)" % len(reasons))
        doc_codes = set(re.findall(r"^\| `([A-Z0-9_]+)`", open(os.path.join(
            os.path.dirname(__file__), "..", "..", "doc", "verdicts.md")).read(), re.M))
        check(len(doc_codes) > 30 and doc_codes <= set(got_reasons),
              "every reason series present (%d, %d zero)" % (
                  len(got_reasons), sum(1 for v in got_reasons.values() if not v)))
        check(m.get(("dnssweep_scan_domains", frozenset())) == len(recs) == len(names),
              "domains = %d" % len(names))
        check(m.get(("dnssweep_scan_info", frozenset([("scan", "m1"), ("mode", "authoritative")])))
              == 1, "scan_info{scan=m1,mode=authoritative} 1")
        build = [dict(k[1]) for k in m if k[0] == "dnssweep_build_info"]
        check(len(build) == 1 and re.match(r"^\d+\.\d+\.\d+$", build[0].get("version", "")),
              "build_info version %s" % build)
        check(m.get(("dnssweep_scan_finished", frozenset())) == 1, "finished")
        counters = [n for n, t in types.items() if t == "counter"]
        check(len(counters) >= 6 and all(("%s_total" % n, frozenset()) in m for n in counters),
              "%d counters, each sample named _total" % len(counters))
        check(all(t in ("counter", "gauge") for t in types.values()) and
              not [n for n, t in types.items() if t == "gauge" and n.endswith("_total")],
              "no gauge named _total")
        sent = m.get(("dnssweep_run_tries_sent_total", frozenset()), 0)
        answered = m.get(("dnssweep_run_queries_answered_total", frozenset()), 0)
        check(sent >= len(names) and 0 < answered <= sent, "tries sent %s, queries answered %s" % (
            sent, answered))
        m_summary = re.search(r"queries (\d+) .*retried (\d+), timed out (\d+),", r.stderr)
        check(m_summary and float(m_summary.group(1)) == sent and
              float(m_summary.group(2)) == m.get(("dnssweep_run_tries_retried_total", frozenset()))
              and float(m_summary.group(3)) == m.get(("dnssweep_run_tries_timed_out_total",
                                                      frozenset())),
              "queries, retried and timed out equal the summary's (%s)" % (
                  m_summary.groups() if m_summary else None,))
        check(("dnssweep_run_queries_unanswered_total", frozenset()) in m,
              "unanswered queries under their own name")
        start = m[("dnssweep_run_start_time_seconds", frozenset())]
        end = m[("dnssweep_run_end_time_seconds", frozenset())]
        dur = m[("dnssweep_run_duration_seconds", frozenset())]
        check(abs(end - time.time()) < 120 and 0 < dur < 100 and abs(end - start - dur) < 0.01,
              "start %.3f + duration %.3f = end %.3f, near now" % (start, dur, end))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
