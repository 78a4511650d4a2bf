"""contrib/nightly.sh against the lab, three nights in a row: the first has nothing to compare
with (exit 0, report), the second finds nothing worse (exit 0, report with the comparison,
latest.html points at it), the third scans as of 60 days later when the signatures have expired
(exit 3, the regressions on stdout). Also checks the systemd units and the cron line name the
script."""
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import lab_env, Checks, small_lab_domains

DNSSWEEP = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NIGHTLY = os.path.join(ROOT, "contrib", "nightly.sh")


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-nightly-")
    check = Checks()

    try:
        domains = small_lab_domains(env, work)
        reports = os.path.join(work, "reports")
        lab_opts = "--root-hints %s --trust-anchor %s --port %s --qps 0 --qps-per-server 0" % (
            env["LAB_ROOT_HINTS"], env["LAB_TRUST_ANCHOR"], env["LAB_PORT"])

        def night(name, now, metrics=None):
            e = dict(os.environ, DNSSWEEP=DNSSWEEP, DNSSWEEP_DB=os.path.join(work, "db"),
                     DNSSWEEP_DOMAINS=domains, DNSSWEEP_REPORTS=reports, DNSSWEEP_SCAN=name,
                     DNSSWEEP_SCAN_OPTS="%s --now %s" % (lab_opts, now))
            if metrics:
                e["DNSSWEEP_METRICS"] = metrics
            r = subprocess.run(["bash", NIGHTLY], capture_output=True, text=True, timeout=200,
                               env=e)
            print("# %s: exit %d\n# stdout: %s\n# stderr: %s" % (
                name, r.returncode, r.stdout[-600:].replace("\n", "\n#   "),
                r.stderr[-600:].replace("\n", "\n#   ")))
            return r

        r = night("night-1", env["LAB_NOW"])
        check(r.returncode == 0, "first night exits 0")
        check(os.path.exists(os.path.join(reports, "night-1.html")), "first report written")
        check(not os.path.exists(os.path.join(reports, "night-1.diff.txt")),
              "nothing to compare with on the first night")

        prom = os.path.join(work, "dnssweep.prom")
        r = night("night-2", env["LAB_NOW"], metrics=prom)
        check(r.returncode == 0, "second night, nothing broken: exit 0")
        html = open(os.path.join(reports, "night-2.html")).read()
        check("Compared with night-1" in html, "second report compares with the first")
        check('id="trend"' in html and 'data-scans="2"' in html,
              "second report has the trend of both nights (--history)")
        check(os.path.exists(os.path.join(reports, "night-2.diff.txt")), "diff written")
        check(os.readlink(os.path.join(reports, "latest.html")) == "night-2.html",
              "latest.html points at the newest report")
        check(os.path.exists(prom) and "dnssweep_scan_info{scan=\"night-2\",mode=\"authoritative\"} 1" in
              open(prom).read(),
              "DNSSWEEP_METRICS passes --metrics")

        later = str(int(env["LAB_NOW"]) + 60 * 86400)
        r = night("night-3", later)
        check(r.returncode == 3, "60 days later, signatures expired: exit 3 (got %d)" % r.returncode)
        check("domains got worse between night-2 and night-3" in r.stdout,
              "the regressions are on stdout (cron mails them)")
        check(os.path.exists(os.path.join(reports, "night-3.html")),
              "the report is written also when domains got worse")
        r = night("night-3", later)
        check(r.returncode == 3, "running the same night again does not scan again, still exit 3")

        service = open(os.path.join(ROOT, "contrib", "dnssweep-nightly.service")).read()
        timer = open(os.path.join(ROOT, "contrib", "dnssweep-nightly.timer")).read()
        cron = open(os.path.join(ROOT, "contrib", "dnssweep.cron")).read()
        check("ExecStart=/usr/local/share/dnssweep/nightly.sh" in service and
              "Type=oneshot" in service, "service runs nightly.sh")
        check("OnCalendar=" in timer and "Persistent=true" in timer, "timer is nightly")
        check(any(l.split()[:5] == ["0", "2", "*", "*", "*"] and "nightly.sh" in l
                  for l in cron.splitlines() if l and not l.startswith("#")), "cron line")
        if shutil.which("systemd-analyze"):
            v = subprocess.run(["systemd-analyze", "verify", "--man=no",
                                os.path.join(ROOT, "contrib", "dnssweep-nightly.timer")],
                               capture_output=True, text=True, timeout=60)
            print("# systemd-analyze: %s" % v.stderr.strip())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
