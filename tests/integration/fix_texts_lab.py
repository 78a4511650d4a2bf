"""The fix of every lab case that is not secure or insecure, as `show`, `check` and the JSON
line give it (doc/verdicts.md, "The fix of a record"): the same text in all three; it names the
right record, server and key tag, taken here from the lab's own data (the catalogue, and the
DNSKEY and DS records its servers serve, read with dig and hashed here); no name in the random
case of the wire; one command to check; for an outage the fastest way out and the wait in hours
(the DS TTL the parent serves); and where servers disagree, the wrong server first."""
import csv
import datetime
import html
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

from lab_common import NAMES_CANNOT_SEE, SKIP, Checks, dig, lab_env, lab_scan_args
from lab_cases import ds_digest, key_tag
import catalog  # tests/lab (on the path through lab_common)
import zones as Z  # tests/lab

DNSSWEEP = sys.argv[1]
check = Checks()
CHECK_COMMAND = re.compile(r" Check: (dig \+dnssec \+cd (\S+) (SOA|DNSKEY) @(\S+)|delv (\S+) SOA|"
                           r"dig (\S+) NS)$")
# A domain name with a letter in each case: the 0x20 case of the wire, never the domain's own.
LAB_TLDS = r"(test|example|unsig|lapsed)"
MIXED = re.compile(r"\b(?=[a-z0-9-]*[A-Z])(?=[A-Z0-9-]*[a-z])[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\." +
                   LAB_TLDS + r"\b", re.I)


def first_server(case):
    return case.build.get("servers", ["child1"])[0]


def served(env, server, name, qtype):
    """The RRs of name/qtype a lab server (or, with server None, the lab's Unbound with CD)
    answers, as field lists, and their TTL."""
    if server is None:
        addr, opts = env["LAB_UNBOUND"], ("+cd", "+dnssec")
    else:
        addr, opts = Z.addr(env["LAB_NET"], server), ("+dnssec", "+norec")
    _, _, ans, _, _ = dig(addr, env["LAB_PORT"], name, qtype, *opts, timeout=5)
    rrs = [l.split() for l in ans if len(l.split()) > 4 and l.split()[3] == qtype]
    return [r[4:] for r in rrs], (int(rrs[0][1]) if rrs else 0)


def parent_ds_ttl(env, name):
    """The TTL of name's DS as the parent's authoritative server serves it (what the fix's wait
    is made of). Not through Unbound: a DS whose signature fails sits in its cache for
    val-bogus-ttl (60 s) and is served with that TTL counting down, to 0."""
    for server in Z.AUTH_SERVERS:
        _, flags, ans, _, _ = dig(Z.addr(env["LAB_NET"], server), env["LAB_PORT"], name, "DS",
                                  "+norec", "+dnssec", timeout=5)
        rrs = [l.split() for l in ans if len(l.split()) > 4 and l.split()[3] == "DS"]
        if "aa" in flags and rrs:
            return int(rrs[0][1])
    return None


def wire_case_free(text):
    return [m.group(0) for m in MIXED.finditer(text) if m.group(0) != m.group(0).lower()]


def fixes_in(text):
    """{domain: fix} from the explanations of show/check: each starts with 'domain: status'."""
    out, current = {}, None
    for line in text.splitlines():
        head = re.match(r"^([a-z0-9.-]+): (secure|insecure|bogus|indeterminate|lame|nxdomain)$",
                        line)
        if head:
            current = head.group(1)
        elif line.startswith("Fix: ") and current:
            out[current] = line[len("Fix: "):]
    return out


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def expect_case(env, case, fix, ds_rrs):
    """The case-specific checks: the record, server and key tag the fix must name."""
    d, reasons = case.domain, set(case.reasons)
    now = int(env["LAB_NOW"])
    net = env["LAB_NET"]
    keys, _ = served(env, first_server(case), d, "DNSKEY") if case.build.get("alg") else ([], 0)
    seps = [k for k in keys if int(k[0]) & 1]
    if reasons & {"DS_NO_MATCHING_DNSKEY", "DS_DIGEST_MISMATCH", "DS_KEY_NOT_SIGNING"} and \
            "NS_INCONSISTENT" not in reasons:
        want = ["%s. 3600 IN DS %d %s 2 %s" % (d, key_tag(k), k[2], ds_digest(d + ".", k, 2).upper())
                for k in seps]
        check(want and all(w in fix for w in want),
              "%s: the fix gives the DS to publish, hashed here from the served KSK: %s" %
              (d, want))
    if "NS_INCONSISTENT" in reasons:
        wrong = [s for s in case.build.get("servers", []) if s in case.build.get("alt", {})]
        right = [s for s in case.build.get("servers", []) if s not in case.build.get("alt", {})]
        wrong_addr, right_addr = Z.addr(net, wrong[0]), Z.addr(net, right[0])
        at = fix.find(wrong_addr)
        check(0 <= at < fix.find(right_addr) and
              (fix.find("registrar") < 0 or at < fix.find("registrar")),
              "%s: the wrong server %s is named first (before %s and any registrar change)" %
              (d, wrong_addr, right_addr))
        check(fix.startswith("Fix the server first: "),
              "%s: the fix starts with the server to fix" % d)
        wrong_keys, _ = served(env, wrong[0], d, "DNSKEY")
        if case.build["alt"][wrong[0]] == "otherkeys":
            tags = [str(key_tag(k)) for k in wrong_keys]
            check(tags and all(re.search(r"\b%s\b" % t, fix) for t in tags),
                  "%s: the fix names the keys %s serves: %s" % (d, wrong_addr, tags))
        # One NS name with an address per server (one_name): the name would reach either
        # machine, so the check asks the wrong one by address; else by its own NS name.
        servers = case.build.get("servers", [])
        ask = wrong_addr if case.build.get("one_name") else \
            "ns%d.%s" % (servers.index(wrong[0]) + 1, d)
        check(CHECK_COMMAND.search(fix) and CHECK_COMMAND.search(fix).group(4) == ask,
              "%s: the check command asks the wrong server %s" % (d, ask))
    for code, life_key in (("RRSIG_EXPIRED", 1), ("RRSIG_NOT_YET_VALID", 0)):
        if code not in reasons:
            continue
        # The "expired" alternative zone of a secondary (zones.py) expired 2 days ago.
        life = case.build.get("life") or case.build.get("ds_life") or \
            ((-30 * 86400, -2 * 86400) if "expired" in case.build.get("alt", {}).values() else None)
        when = iso(now + life[life_key])
        check(when in fix, "%s: the fix names the time %s (%s)" % (d, when, code))
        if case.build.get("life"):
            tags = [str(key_tag(k)) for k in keys]
            check(any(re.search(r"key %s\b" % t, fix) for t in tags),
                  "%s: the fix names the signing key (one of %s)" % (d, tags))
    for code, server in (("NS_UNREACHABLE", "blackhole"), ("NS_LAME", "refuser")):
        if code in reasons and server in case.build.get("servers", []):
            check(Z.addr(net, server) in fix and "ns" in fix,
                  "%s: the fix names the server %s" % (d, Z.addr(net, server)))
    if "PARENT_BOGUS" in reasons or "PARENT_DS_DENIAL_INVALID" in reasons or \
            "PARENT_UNREACHABLE" in reasons or "NOT_DELEGATED" in reasons:
        parent = case.parent()
        check(re.search(r"\b%s\b" % re.escape(parent), fix.replace(d, "")),
              "%s: the fix names the zone above, %s" % (d, parent))
    if ds_rrs and case.status == "bogus" and "PARENT_BOGUS" not in reasons:
        named = ["DS %s %s %s" % tuple(r[:3]) for r in ds_rrs]
        check(all(n in fix for n in named),
              "%s: the fix names the DS the parent publishes: %s" % (d, named))


def main():
    env = lab_env()
    if not os.path.exists(env.get("LAB_DOMAINS", "")):
        print("1..0 # SKIP lab not up")
        return SKIP
    # The scans use the default --servers names; a case that plan cannot see by design is
    # judged as that plan judges it (lab_common.NAMES_CANNOT_SEE), so it has no fix here.
    cases = [c for c in catalog.cases() if c.status not in ("secure", "insecure") and
             NAMES_CANNOT_SEE.get(c.domain, (c.status,))[0] not in ("secure", "insecure")]
    work = tempfile.mkdtemp(prefix="dnssweep-fix-texts-")
    try:
        names = os.path.join(work, "names")
        with open(names, "w") as f:
            f.write("".join(c.domain + "\n" for c in cases))
        db = os.path.join(work, "db")
        r = subprocess.run([DNSSWEEP, "scan", "--db", db, "--scan", "fixtexts", "-o", "-"] +
                           lab_scan_args(env) + [names],
                           capture_output=True, text=True, timeout=240)
        check(r.returncode == 0, "scan of the %d cases exits 0 (%s)" % (len(cases), r.stderr[-200:]))
        json_fix = {}
        for line in r.stdout.splitlines():
            rec = json.loads(line)
            json_fix[rec["domain"]] = rec["fix"]
        r = subprocess.run([DNSSWEEP, "export", "--db", db, "--format", "csv"],
                           capture_output=True, text=True, timeout=60)
        csv_fix = {row["domain"]: row["fix"] for row in csv.DictReader(io.StringIO(r.stdout))}
        check(r.returncode == 0 and csv_fix and
              all(csv_fix.get(d) == (f or "") for d, f in json_fix.items()),
              "the CSV export's fix is the JSON line's, for all %d domains" % len(json_fix))
        report = os.path.join(work, "report.html")
        r = subprocess.run([DNSSWEEP, "report", "--db", db, "-o", report], capture_output=True,
                           text=True, timeout=120)
        page = open(report, encoding="utf-8").read() if r.returncode == 0 else ""
        missing = [d for d, f in json_fix.items() if f and html.escape(f, quote=False) not in page
                   and html.escape(f) not in page]
        check(r.returncode == 0 and not missing,
              "the HTML report carries each domain's fix as it is %s" % (missing or ""))
        # U-labels in, both forms out; a name not in the scan names the scan looked in.
        r = subprocess.run([DNSSWEEP, "show", "--db", db, "bücher.test"], capture_output=True,
                           text=True, timeout=30)
        check(r.returncode == 2 and "bücher.test is xn--bcher-kva.test" in r.stdout and
              "xn--bcher-kva.test is not in scan fixtexts, the latest" in r.stderr,
              "show bücher.test: the A-label is looked up in scan fixtexts, named (%r %r)" %
              (r.stdout.strip(), r.stderr.strip()))
        r = subprocess.run([DNSSWEEP, "show", "--db", db, "--scan", "fixtexts",
                            "XN--BCHER-KVA.test."], capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and "xn--bcher-kva.test is bücher.test (IDNA 2008 U-label)" in
              r.stdout and "not in scan fixtexts (in" in r.stderr,
              "show of an A-label prints its U-label beside it (%r)" % r.stdout.strip())
        r = subprocess.run([DNSSWEEP, "check"] + lab_scan_args(env) + [c.domain for c in cases],
                           capture_output=True, text=True, timeout=240)
        check(r.returncode == 4, "check of the same names exits 4 (got %d)" % r.returncode)
        check_fix = fixes_in(r.stdout)
        shows = {}
        for case in cases:
            d = case.domain
            show = subprocess.run([DNSSWEEP, "show", "--db", db, d], capture_output=True,
                                  text=True, timeout=30)
            shows[d] = show.stdout
            fix = fixes_in(show.stdout).get(d)
            print("# %s (%s %s): %s" % (d, case.status, ",".join(case.reasons), fix))
            # check scans again: only the random label of its probe may differ.
            probe = re.compile(r"dnssweep-[0-9a-f]{8}\.")
            check(fix and fix == json_fix.get(d) and
                  probe.sub("dnssweep-X.", fix) == probe.sub("dnssweep-X.", check_fix.get(d, "")),
                  "%s: show, check and the JSON line give one fix" % d)
            if not fix:
                continue
            mixed = wire_case_free(show.stdout + (json_fix.get(d) or ""))
            check(not mixed, "%s: no name in the wire's random case in show or JSON %s" %
                  (d, mixed or ""))
            check(d in fix, "%s: the fix names the domain in lower case" % d)
            m = CHECK_COMMAND.search(fix)
            check(m and d in m.group(0), "%s: the fix ends with a command to check it: %s" %
                  (d, m.group(0).strip() if m else None))
            check(not re.search(r"^[A-Z_]+: |\. Also [A-Z_]+: |restart/fix|fix the signer|"
                                r"new key\b|\bin \d+ s\b|\b1 DS records\b", fix),
                  "%s: no code prefix or vague hint in the fix" % d)
            ds_rrs, _ = served(env, None, d, "DS")
            if case.status == "bogus":
                if "PARENT_DS_DENIAL_INVALID" in case.reasons and not ds_rrs:
                    check("operator of %s" % case.parent() in fix,
                          "%s: no DS to remove: the fix sends it to the operator of %s" %
                          (d, case.parent()))
                else:
                    check(re.search(r"[Ff]astest way out", fix),
                          "%s: an outage: the fix gives the fastest way out" % d)
                if "PARENT_BOGUS" in case.reasons:
                    check("hours" in fix, "%s: the parent's wait is given in hours" % d)
                elif ds_rrs:
                    ds_ttl = parent_ds_ttl(env, d)
                    hours = math.ceil((ds_ttl or 0) / 3600)
                    want = "up to %d hour%s" % (hours, "" if hours == 1 else "s")
                    check(ds_ttl and want in fix, "%s: the wait is the parent's DS TTL %s s in "
                          "hours: '%s'" % (d, ds_ttl, want))
            expect_case(env, case, fix, ds_rrs)
        # show's story agrees with itself: a signed zone whose signatures expired shows that
        # expiration, a child of a bogus signed parent shows the parent as signed.
        for case in cases:
            life = case.build.get("life")
            if life and case.status == "bogus" and life[1] < 0:
                when = iso(int(env["LAB_NOW"]) + life[1])
                link = ("no DS matches a served key" if "DS_NO_MATCHING_DNSKEY" in case.reasons
                        else "its signature fails (RRSIG_EXPIRED")
                check("Earliest RRSIG expiration: %s (already expired)" % when in shows[case.domain]
                      and "DNSKEY RRset: " + link in shows[case.domain],
                      "%s: show gives the expired signatures' time %s and the failing link" %
                      (case.domain, when))
            if "PARENT_BOGUS" in case.reasons:
                want = "Parent zone: %s (signed, fails validation)" % case.parent()
                check(want in shows[case.domain], "%s: show says '%s'" % (case.domain, want))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("1..%d" % (check.passed + check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
