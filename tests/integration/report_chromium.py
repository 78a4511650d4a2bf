"""`dnssweep report` of the lab, opened in headless Chromium: a screenshot is saved next to the
test (report_chromium.png in the build tree), and the DOM after the page's script ran holds
each chart and the domain table with the counts of `dnssweep export` of the same scans (the
report compares a scan 60 days later, where signatures have expired, with the first one)."""
import collections
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

from lab_common import SKIP, lab_env, Checks, small_lab_domains

DNSSWEEP = sys.argv[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-default-apps", "--mute-audio"]


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(args, profile, timeout=90):
    """Runs Chromium in its own session so that every helper process is stopped on timeout."""
    p = subprocess.Popen([chromium_binary()] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] +
                         args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise
    return p.returncode, out, err


class Dom(HTMLParser):
    """Collects what the checks need: chart bars, table cells with data attributes, rows."""

    def __init__(self):
        super().__init__()
        self.charts = collections.defaultdict(dict)  # chart id -> label -> count
        self.chart = None
        self.tables = {}
        self.zone_rows = {}
        self.trans = {}
        self.domain_rows = 0
        self.in_domains_body = False
        self.cell = None
        self.chains = {}  # the div of the pictures' attributes
        self.chain_svgs = []  # (domain of the details, data-domain and data-status of its svg)
        self.chain_of = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("id") == "chain-graphs":
            self.chains = a
        elif tag == "details" and "chain" in a.get("class", ""):
            self.chain_of = a.get("data-domain")
        elif tag == "svg" and "dnssweep-graph" in a.get("class", ""):
            self.chain_svgs.append((self.chain_of, a.get("data-domain"), a.get("data-status")))
        if tag == "svg" and a.get("id", "").startswith("chart-"):
            self.chart = a["id"]
        elif tag == "g" and self.chart and "data-label" in a:
            self.charts[self.chart][a["data-label"]] = int(a["data-count"])
        elif tag == "table" and "id" in a:
            self.tables[a["id"]] = a
        elif tag == "tr" and "data-zone" in a:
            self.zone_rows[a["data-zone"]] = int(a["data-total"])
        elif tag == "td" and "data-old" in a:
            self.cell = (a["data-old"], a["data-new"])
            self.trans[self.cell] = ""
        elif tag == "tbody" and "domains" in self.tables and self.tables.get("_open") == "domains":
            self.in_domains_body = True
        elif tag == "tr" and self.in_domains_body:
            self.domain_rows += 1
        if tag == "table":
            self.tables["_open"] = a.get("id")

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None
        elif tag == "td":
            self.cell = None
        elif tag == "tbody":
            self.in_domains_body = False
        elif tag == "table":
            self.tables["_open"] = None

    def handle_data(self, data):
        if self.cell:
            self.trans[self.cell] += data.strip()


def main():
    if not chromium_binary():
        print("# skip: no chromium (scripts/deps installs it)")
        return SKIP
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-report-")
    check = Checks()

    try:
        domains = small_lab_domains(env, work)
        db = os.path.join(work, "db")
        later = str(int(env["LAB_NOW"]) + 3 * 86400)  # expsoon.test has expired by then
        for scan, now in (("before", env["LAB_NOW"]), ("after", later)):
            r = subprocess.run([DNSSWEEP, "scan", "--db", db, "--scan", scan, "--root-hints",
                                env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_TRUST_ANCHOR"],
                                "--now", now, "--port", env["LAB_PORT"], "--qps", "0",
                                "--qps-per-server", "0", "--progress", "never", domains],
                               capture_output=True, text=True, timeout=120)
            check(r.returncode == 0, "scan %s exits 0" % scan)
        report = os.path.join(work, "report.html")
        r = subprocess.run([DNSSWEEP, "report", "--db", db, "--scan", "after", "--diff-against",
                            "before", "-o", report], capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, "report exits 0 (%s)" % r.stderr.strip())
        html = open(report).read()
        check("http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and
              "https://" not in html and "<link" not in html and " src=" not in html,
              "self-contained: nothing fetched")
        exports = {}
        for scan in ("before", "after"):
            ex = subprocess.run([DNSSWEEP, "export", "--db", db, "--scan", scan],
                                capture_output=True, text=True, timeout=60)
            exports[scan] = {j["domain"]: j for j in map(json.loads, ex.stdout.splitlines())}
        recs = list(exports["after"].values())

        profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
        # Kept for a look, in the build tree (never the source tree): build/<preset>/.
        keep = os.path.dirname(os.path.dirname(os.path.abspath(DNSSWEEP)))
        shot = os.path.join(keep, "report_chromium.png")
        shutil.copy(report, os.path.join(keep, "report_chromium.html"))
        rc, _, err = chromium(["--window-size=1280,2400", "--screenshot=" + shot,
                               "file://" + report], profile)
        check(rc == 0 and os.path.getsize(shot) > 10000, "screenshot %s (%d bytes)" % (
            shot, os.path.getsize(shot) if os.path.exists(shot) else 0))
        rc, dom_text, err = chromium(["--dump-dom", "file://" + report], profile)
        check(rc == 0 and "</html>" in dom_text, "DOM dumped")
        dom = Dom()
        dom.feed(dom_text)

        status = collections.Counter(x["status"] for x in recs)
        check(dom.charts["chart-status"] == {s: status.get(s, 0) for s in
              ["secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain"]},
              "status chart = export: %s" % dict(status))
        reasons = collections.Counter(c for x in recs for c in set(y["code"] for y in x["reasons"]))
        top = dom.charts["chart-reasons"]
        check(len(top) == min(15, len(reasons)) and all(reasons[k] == v for k, v in top.items())
              and min(top.values()) >= sorted(reasons.values(), reverse=True)[len(top) - 1],
              "top reason codes chart = export (%d bars)" % len(top))
        algs = collections.Counter(a for x in recs for a in set(k["algorithm"] for k in x["dnskey"]))
        got_algs = {int(k.split()[0]): v for k, v in dom.charts["chart-algorithms"].items()}
        check(got_algs == dict(algs), "algorithm chart = export %s" % dict(algs))
        digests = collections.Counter(
            d for x in recs if x["parent"] for d in set(k["digest_type"] for k in x["parent"]["ds"]))
        got_dig = {int(k.split()[0]): v for k, v in dom.charts["chart-digests"].items()}
        check(got_dig == dict(digests), "DS digest chart = export %s" % dict(digests))
        # Disjoint periods from when the scan judged signatures (its --now): a domain with
        # RRSIG_EXPIRED, or whose earliest valid expiration is not after that, is expired.
        t0 = int(later)
        want = collections.Counter({k: 0 for k in ("expired", "within 1 day", "1 to 3 days",
                                                   "3 to 7 days", "7 to 30 days", "later")})
        for x in recs:
            e = x["rrsig_earliest_expiration"]
            e = datetime.datetime.strptime(e, "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc).timestamp() if e else None
            if "RRSIG_EXPIRED" in [y["code"] for y in x["reasons"]] or (e and e <= t0):
                want["expired"] += 1
            elif e:
                days = (e - t0) / 86400
                want["within 1 day" if days <= 1 else "1 to 3 days" if days <= 3 else
                     "3 to 7 days" if days <= 7 else "7 to 30 days" if days <= 30 else "later"] += 1
        want = dict(want)
        check(want["expired"] > 0, "3 days later some domains have expired signatures (%d)" %
              want["expired"])
        check(dom.charts["chart-expiry"] == want, "expiry chart = export %s" % want)
        zones = collections.Counter(x["parent"]["zone"] for x in recs
                                    if x["parent"] and x["parent"]["zone"])
        check(dom.zone_rows == dict(zones), "parent zone table = export %s" % dict(zones))
        nonsecure = sum(1 for x in recs if x["status"] != "secure")
        t = dom.tables.get("domains", {})
        check(t.get("data-total") == str(nonsecure) and t.get("data-listed") == str(nonsecure),
              "domain table: %s non-secure in the data" % nonsecure)
        check(t.get("data-matching") == str(nonsecure), "the script ran: %s matching" % (
            t.get("data-matching")))
        check(dom.domain_rows == min(100, nonsecure), "first page has %d rows" % dom.domain_rows)
        trans = collections.Counter()
        for d in set(exports["before"]) | set(exports["after"]):
            o = exports["before"].get(d, {}).get("status", "new")
            n = exports["after"].get(d, {}).get("status", "gone")
            trans[(o, n)] += 1
        got = {k: int(v) for k, v in dom.trans.items() if v}
        check({k: v for k, v in got.items() if v} == dict(trans),
              "transitions = exports %s" % dict(trans))
        check(trans[("secure", "bogus")] > 0, "3 days later a secure domain is bogus")
        bogus = sorted(x["domain"] for x in recs if x["status"] == "bogus")
        check(dom.chains.get("data-bogus") == str(len(bogus)) and
              dom.chains.get("data-drawn") == str(min(200, len(bogus))),
              "chain-of-trust section: %s bogus, %s drawn" % (dom.chains.get("data-bogus"),
                                                                dom.chains.get("data-drawn")))
        check([c[0] for c in dom.chain_svgs] == bogus[:200] and
              all(c[0] == c[1] and c[2] == "bogus" for c in dom.chain_svgs),
              "one inline picture per bogus domain, in domain order (%d)" % len(dom.chain_svgs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
