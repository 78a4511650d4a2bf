"""`report --history 4` over four nightly scans of the lab, each figure of the page checked
against what this test computes from `export --format jsonl` of every night.

The nights are `scan --zone-file` runs over a copy of the lab's `test.` zone (every delegation),
re-signed with the lab's `test.` keys, with `--now` one day later each night:
  night-1  LAB_NOW       the zone as the lab serves it
  night-2  LAB_NOW + 1d  a KSK digest rollover: a SHA-384 DS of sec13.test's KSK next to its
                         SHA-256 one (still secure: keys_changed), and sec15.test's DS replaced
                         by one of a key it does not have (became bogus)
  night-3  LAB_NOW + 2d  the same zone; expsoon.test's signatures (36 h) have expired. This scan
                         is interrupted (SIGINT once its first result is stored, 4 domains in
                         flight at most) and resumed; the metrics of both runs are checked.
  night-4  LAB_NOW + 3d  sec15.test's DS restored (fixed)
Then: the trend chart and the table of scans (statuses, became bogus, got worse, fixed, keys
changed per night), the rollovers, the first screen (since night-3) and the expiration chart
(disjoint periods from night-4's --now) equal the figures computed from the exports; a headless
Chromium screenshot of the page is saved (report_nights_lab.png in the build tree) and its DOM,
after the page's script ran, holds the same counts."""
import collections
import datetime
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser

from lab_common import lab_env, Checks, lab_scan_args
from report_chromium import chromium, chromium_binary
from scan_metrics import parse as parse_metrics

DNSSWEEP = sys.argv[1]
DAY = 86400
STATUSES = ["secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain"]
RANK = {"secure": 0, "insecure": 1}


def run(args, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def ds_line(keydir, digest):
    key = glob.glob(os.path.join(keydir, "ksk", "K*.key"))[0]
    out = subprocess.run(["ldns-key2ds", "-n", "-%d" % digest, key], capture_output=True,
                         text=True, check=True).stdout.split()
    return " ".join(out) + "\n"


def sign(lines, path, now, keys):
    with open(path, "w") as f:
        f.writelines(lines)
    subprocess.run(["ldns-signzone", "-d", "-o", "test.", "-f", path + ".signed", "-i",
                    str(now - 3600), "-e", str(now + 30 * DAY), "-n", "-t", "0", path] + keys,
                   check=True, capture_output=True)
    return path + ".signed"


def export(db, scan):
    r = run(["export", "--db", db, "--scan", scan, "--format", "jsonl"], timeout=60)
    return {j["domain"]: j for j in map(json.loads, r.stdout.splitlines())} if \
        r.returncode == 0 else {}


def keyset(rec):
    ds = sorted((d["key_tag"], d["algorithm"], d["digest_type"], d["digest"].lower())
                for d in (rec["parent"] or {}).get("ds", []))
    dnskey = sorted((k["key_tag"], k["algorithm"], k["flags"], k["bits"]) for k in rec["dnskey"])
    return ds, dnskey


def changes(old, new):
    """The diff's rules (doc/cli.md) applied to two exports: {change: set(domains)}."""
    out = collections.defaultdict(set)
    for d in set(old) & set(new):
        o, n = old[d]["status"], new[d]["status"]
        if o != n:
            if n == "bogus":
                out["became_bogus"].add(d)
            elif RANK.get(o, 2) == 2 and RANK.get(n, 2) < 2:
                out["fixed"].add(d)
            elif RANK.get(n, 2) > RANK.get(o, 2):
                out["got_worse"].add(d)
        elif keyset(old[d]) != keyset(new[d]):
            out["keys_changed"].add(d)
    return out


def parse_time(t):
    return datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def expiry_buckets(recs, t0):
    want = {k: 0 for k in ("expired", "within 1 day", "1 to 3 days", "3 to 7 days",
                           "7 to 30 days", "later")}
    for x in recs.values():
        e = parse_time(x["rrsig_earliest_expiration"]) if x["rrsig_earliest_expiration"] else None
        if "RRSIG_EXPIRED" in [y["code"] for y in x["reasons"]] or (e and e <= t0):
            want["expired"] += 1
        elif e:
            days = (e - t0) / DAY
            want["within 1 day" if days <= 1 else "1 to 3 days" if days <= 3 else
                 "3 to 7 days" if days <= 7 else "7 to 30 days" if days <= 30 else "later"] += 1
    return want


class Page(HTMLParser):
    """What the checks read: the trend's nights and segments, the table of scans, the rollover
    rows under their night, the first screen, the expiry chart's bars."""

    def __init__(self):
        super().__init__()
        self.nights, self.segs, self.table, self.rolled = {}, [], {}, collections.defaultdict(set)
        self.since, self.expiry, self.chart, self.night, self.domain_rows = {}, {}, None, None, 0
        self.in_rollover, self.in_row, self.in_domains, self.first_td = False, False, False, False
        self.polyline = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "g" and a.get("class") == "night":
            self.nights[a["data-night"]] = a
            self.night = a["data-night"]
        elif tag == "rect" and a.get("class") == "seg":
            self.segs.append((self.night, a["data-status"], int(a["data-count"])))
        elif tag == "polyline" and a.get("class") == "new-bogus":
            self.polyline = a["points"].split()
        elif tag == "tr" and "data-night" in a and a.get("class") != "night":
            self.table[a["data-night"]] = {}
            self.row = a["data-night"]
        elif tag == "td" and getattr(self, "row", None) and "data-became-bogus" in a:
            self.table[self.row]["became_bogus"] = a["data-became-bogus"]
        elif tag == "td" and getattr(self, "row", None):
            for k in ("got-worse", "fixed", "keys-changed"):
                if "data-" + k in a:
                    self.table[self.row][k.replace("-", "_")] = a["data-" + k]
        elif tag == "table" and a.get("id") == "rollover-table":
            self.in_rollover = True
        elif tag == "table" and a.get("id") == "domains":
            self.in_domains = True
        elif tag == "tr" and self.in_rollover and a.get("class") == "night":
            self.night = a["data-night"]
        elif tag == "tr" and self.in_rollover and a.get("class") == "keys-changed":
            self.in_row, self.first_td = True, True
        elif tag == "tr" and self.in_domains:
            self.domain_rows += 1
        elif tag == "td" and self.in_row and self.first_td:
            self.first_td = "read"
        elif tag == "ul" and a.get("id") == "since":
            self.since = a
        elif tag == "svg" and a.get("id") == "chart-expiry":
            self.chart = "expiry"
        elif tag == "g" and self.chart == "expiry" and "data-label" in a:
            self.expiry[a["data-label"]] = int(a["data-count"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_rollover = self.in_domains = False
            self.row = None
        elif tag == "svg":
            self.chart = None
        elif tag == "tr":
            self.in_row = False

    def handle_data(self, data):
        if self.first_td == "read":
            self.rolled[self.night].add(data.strip())
            self.first_td = False


def status_sum(m, name):
    return sum(v for (n, labels), v in m.items() if n == name)


def interrupted_scan(check, db, name, signed, args, domains):
    """Starts the scan rate-limited, sends SIGINT once its first result is stored (a state the
    scan reaches, not a delay), then resumes it. The metrics of both runs say what is per scan
    and what per run. Returns True when both went as cli.md says."""
    prom = os.path.join(os.path.dirname(db), name + ".prom")
    p = subprocess.Popen([DNSSWEEP, "scan", "--db", db, "--scan", name, "--zone-file", signed] +
                         args + ["--qps", "15", "--concurrency", "4", "--metrics", prom],
                         stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and p.poll() is None and not export(db, name):
            time.sleep(0.2)
        running = p.poll() is None
        stored = len(export(db, name))
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    scans = run(["scans", "--db", db], timeout=60).stdout
    unfinished = [l for l in scans.splitlines() if l.split()[:1] == [name]]
    check(running and p.returncode == 1 and "--resume" in err,
          "%s: SIGINT after %d stored results stops it with exit 1 and a resume hint (exit %s)" %
          (name, stored, p.returncode))
    check(unfinished and " no " in " %s " % unfinished[0], "%s is listed unfinished: %s" % (
        name, unfinished))
    first_run = len(export(db, name))
    # --concurrency 4: SIGINT lets the few domains in flight finish and leaves the rest to the
    # resume.
    check(0 < first_run < domains, "%d of the zone's %d domains stored when interrupted" % (
        first_run, domains))
    m, _ = parse_metrics(prom)
    check(m.get(("dnssweep_scan_finished", frozenset())) == 0 and
          status_sum(m, "dnssweep_scan_status_domains") == 0 and
          status_sum(m, "dnssweep_run_status_domains") == first_run,
          "interrupted run's metrics: finished 0, no stored-scan counts, %d judged in the run" %
          first_run)
    r = run(["scan", "--db", db, "--scan", name, "--resume", "--zone-file", signed] + args +
            ["--metrics", prom])
    check(r.returncode == 0, "%s resumed to the end (exit %d)" % (name, r.returncode))
    total = len(export(db, name))
    m, _ = parse_metrics(prom)
    check(m.get(("dnssweep_scan_finished", frozenset())) == 1 and
          status_sum(m, "dnssweep_scan_status_domains") == total and
          status_sum(m, "dnssweep_run_status_domains") == total - first_run,
          "resumed run's metrics: the scan's %d domains, the run's %d" % (total, total - first_run))
    return r.returncode == 0


def main():
    env = lab_env()
    if not shutil.which("ldns-signzone") or not shutil.which("ldns-key2ds"):
        print("1..0 # SKIP ldns-signzone/ldns-key2ds not installed")
        return 77
    lab = env["LAB_DIR"]
    keys = [k[:-4] for k in sorted(glob.glob(os.path.join(lab, "keys", "test", "*", "K*.key")))]
    work = tempfile.mkdtemp(prefix="dnssweep-report-nights-")
    check = Checks()
    try:
        base = [l if l.endswith("\n") else l + "\n"
                for l in open(os.path.join(lab, "work", "test.main.zone"))]
        rollover = ds_line(os.path.join(lab, "keys", "sec13.test"), 4)
        broken = [l for l in base if not (l.startswith("sec15.test.") and "\tDS\t" in l)] + [
            "sec15.test.\t3600\tIN\tDS\t4242 15 2 " + "5a" * 32 + "\n"]
        now0 = int(env["LAB_NOW"])
        nights = [("night-1", base), ("night-2", broken + [rollover]),
                  ("night-3", broken + [rollover]), ("night-4", base + [rollover])]
        db = os.path.join(work, "db")
        args = [a for a in lab_scan_args(env)]
        exports = {}
        for i, (name, lines) in enumerate(nights):
            now = now0 + i * DAY
            signed = sign(lines, os.path.join(work, name + ".zone"), now0, keys)
            nargs = list(args)
            nargs[nargs.index("--now") + 1] = str(now)
            if name == "night-3":
                interrupted_scan(check, db, name, signed, nargs, len(exports["night-2"]))
            else:
                r = run(["scan", "--db", db, "--scan", name, "--zone-file", signed] + nargs)
                check(r.returncode == 0, "%s: scan --zone-file --now %d exits 0 (got %d)" % (
                    name, now, r.returncode))
                if r.returncode != 0:
                    print("# " + r.stderr.strip()[-800:].replace("\n", "\n# "))
            exports[name] = export(db, name)
        names = [n for n, _ in nights]
        print("# domains per night: %s" % [len(exports[n]) for n in names])

        want = {names[i]: changes(exports[names[i - 1]], exports[names[i]])
                for i in range(1, len(names))}
        for n, ch in want.items():
            print("# %s: %s" % (n, {k: sorted(v) for k, v in ch.items()}))
        check(want["night-2"]["keys_changed"] == {"sec13.test"} and
              "sec15.test" in want["night-2"]["became_bogus"],
              "the exports see night 2's rollover (sec13.test) and break (sec15.test)")
        check("expsoon.test" in want["night-3"]["became_bogus"],
              "the exports see night 3's expiry (expsoon.test became bogus)")
        check("sec15.test" in want["night-4"]["fixed"], "the exports see night 4's fix")

        html = os.path.join(work, "report.html")
        r = run(["report", "--db", db, "--history", "4", "-o", html], timeout=120)
        check(r.returncode == 0, "report --history 4 exits 0 (%s)" % r.stderr.strip())
        page = Page()
        page.feed(open(html).read())

        check(list(page.nights) == names, "trend: the four nights, oldest first: %s" %
              list(page.nights))
        for n in names:
            counts = collections.Counter(x["status"] for x in exports[n].values())
            got = page.nights.get(n, {})
            check(all(int(got.get("data-" + s, -1)) == counts.get(s, 0) for s in STATUSES) and
                  int(got.get("data-total", -1)) == len(exports[n]),
                  "trend %s: statuses = export %s" % (n, dict(counts)))
            segs = {s: c for night, s, c in page.segs if night == n}
            check(segs == {s: c for s, c in counts.items() if c},
                  "trend %s: one bar segment per status present, with its count" % n)
        check("data-first" in page.nights.get("night-1", {}) and
              not any(page.table.get("night-1", {"x": "x"}).values()),
              "night-1: nothing before it to compare with (empty change cells)")
        for n, ch in want.items():
            got = page.table.get(n, {})
            exp = {k: str(len(ch[k])) for k in ("became_bogus", "got_worse", "fixed",
                                                 "keys_changed")}
            check(got == exp, "table of scans %s: %s (page %s)" % (n, exp, got))
            check(page.nights[n].get("data-became-bogus") == exp["became_bogus"],
                  "trend %s: became bogus %s" % (n, exp["became_bogus"]))
        check(page.polyline is not None and len(page.polyline) == 3,
              "the became-bogus line has a point per compared night")
        rolled = {n: ch["keys_changed"] for n, ch in want.items() if ch["keys_changed"]}
        check(dict(page.rolled) == rolled, "rollovers per night = exports %s (page %s)" % (
            rolled, dict(page.rolled)))
        last = want["night-4"]
        since = {k: page.since.get("data-" + k.replace("_", "-")) for k in
                 ("became_bogus", "got_worse", "fixed", "keys_changed")}
        check(since == {k: str(len(last[k])) for k in since},
              "first screen: since night-3 %s" % since)
        t0 = now0 + 3 * DAY
        buckets = expiry_buckets(exports["night-4"], t0)
        check(page.expiry == buckets, "expiry chart of night-4 from its --now = export %s" %
              buckets)
        check(buckets["expired"] >= 1 + sum(
            1 for x in exports["night-1"].values()
            if "RRSIG_EXPIRED" in [y["code"] for y in x["reasons"]]),
              "expired counts night 3's expiry on top of the lab's expired zones")

        if not chromium_binary():
            print("# skip the screenshot: no chromium (scripts/deps installs it)")
        else:
            profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
            keep = os.path.dirname(os.path.dirname(os.path.abspath(DNSSWEEP)))
            shot = os.path.join(keep, "report_nights_lab.png")
            shutil.copy(html, os.path.join(keep, "report_nights_lab.html"))
            rc, _, _ = chromium(["--window-size=1280,2200", "--screenshot=" + shot,
                                 "file://" + html], profile)
            check(rc == 0 and os.path.getsize(shot) > 10000, "screenshot %s (%d bytes)" % (
                shot, os.path.getsize(shot) if os.path.exists(shot) else 0))
            rc, dom_text, _ = chromium(["--dump-dom", "file://" + html], profile)
            dom = Page()
            dom.feed(dom_text)
            check(rc == 0 and len(dom.nights) == 4 and
                  len(dom.segs) == sum(1 for n in names for s in STATUSES if collections.Counter(
                      x["status"] for x in exports[n].values()).get(s)),
                  "DOM: 4 nights, %d bar segments" % len(dom.segs))
            check(len(dom.table) == 4 and dict(dom.rolled) == rolled and dom.expiry == buckets,
                  "DOM: 4 rows in the table of scans, the rollovers, the expiry bars")
            nonsecure = sum(1 for x in exports["night-4"].values() if x["status"] != "secure")
            check(dom.domain_rows == min(100, nonsecure) + 1,
                  "DOM: the script filled the domain table (%d rows + header)" % (
                      dom.domain_rows - 1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
