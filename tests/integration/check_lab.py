"""`dnssweep check DOMAIN...` against the lab (cli.md, issue 17).

A secure name exits 0 with its explanation; a DS mismatch exits 4 and names the DS to publish
(compared with dnssec-dsfromkey over the DNSKEY the zone serves); several names at once, one
bogus, exit 4 and each is explained; secure + insecure exit 0; a U-label is converted to its
A-label (straße.test: not delegated); the lab's IDN zones: `check bücher.test` exits 0 and
`check MÜNCHEN.test.` 4, both print both forms, the fix names the A-label (what registries and
dig take) in lower case with the DS dnssec-dsfromkey makes, `show` by U-label or A-label tells
the same story, `export` keeps the A-label in `domain`; the domain's names never show the random 0x20 case of
the wire; without --db no store is left behind (TMPDIR is checked empty after every run), with
--db the store holds the scan; a bad name is a usage error (2) naming it; a run whose root
hints point at nothing fails (1) with the cause and no resume hint for a store that is gone."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from lab_common import SKIP, Checks, lab_env

DNSSWEEP = sys.argv[1]


def main():
    env = lab_env()
    if not os.path.exists(env.get("LAB_ROOT_HINTS", "")):
        print("# the lab is not up")
        return SKIP
    check = Checks()
    work = tempfile.mkdtemp(prefix="dnssweep-check-test-")
    tmpdir = os.path.join(work, "tmp")
    os.mkdir(tmpdir)
    lab_opts = ["--root-hints", env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_TRUST_ANCHOR"],
                "--now", env["LAB_NOW"], "--progress", "never"]

    def run(args, opts=lab_opts):
        r = subprocess.run([DNSSWEEP, "check"] + opts + args, capture_output=True, text=True,
                           timeout=120, env=dict(os.environ, TMPDIR=tmpdir))
        left = os.listdir(tmpdir)
        check(not left, "check %s: nothing left in TMPDIR %s" % (" ".join(args)[:80], left or ""))
        for name in left:
            shutil.rmtree(os.path.join(tmpdir, name), ignore_errors=True)
        return r

    try:
        r = run(["--help"], opts=[])
        check(r.returncode == 0 and r.stdout.startswith("usage: dnssweep check"),
              "check --help prints its usage and exits 0")

        r = run(["sec13.test"])
        print("# " + r.stdout.replace("\n", "\n# "))
        check(r.returncode == 0, "check sec13.test exits 0 (got %d%s)" % (
            r.returncode, "" if r.returncode == 0 else ": " + r.stderr[-300:]))
        check(r.stdout.startswith("sec13.test: secure\n"), "the explanation starts with "
              "'sec13.test: secure'")
        check("DNSKEY of sec13.test" in r.stdout and "Servers (each one's own verdict):" in
              r.stdout and "Parent zone: test (signed)" in r.stdout and
              "DS of sec13.test at test (TTL" in r.stdout,
              "it is show's explanation (parent, its DS, DNSKEY, servers)")
        check("Summary: 1 domain checked: 1 secure; every one secure or insecure" in r.stdout,
              "one summary line says it is secure")

        # The DS a registrar must publish, computed from the served DNSKEY by BIND's tool.
        ds = served_ds(env, work, "dsnomatch.test")
        want = " ".join(ds[-4:])  # key tag, algorithm, digest type, digest
        r = run(["dsnomatch.test"])
        print("# " + r.stdout.replace("\n", "\n# "))
        check(r.returncode == 4, "check dsnomatch.test exits 4 (got %d)" % r.returncode)
        check("dsnomatch.test: bogus" in r.stdout and "DS_NO_MATCHING_DNSKEY" in r.stdout,
              "it is bogus with DS_NO_MATCHING_DNSKEY")
        fix = [l for l in r.stdout.splitlines() if l.startswith("Fix:")]
        check(len(ds) >= 4 and fix and want in fix[0],
              "the fix names the DS dnssec-dsfromkey makes of the KSK: %s (%s)" % (want, fix))

        r = run(["sec13.test", "NoDS.test.", "dsnomatch.test", "sec13.test"])
        check(r.returncode == 4, "sec13 + nods + dsnomatch at once exit 4 (got %d)" % r.returncode)
        heads = re.findall(r"^([a-z0-9.-]+): ([a-z]+)$", r.stdout, re.M)
        check(heads == [("sec13.test", "secure"), ("nods.test", "insecure"),
                        ("dsnomatch.test", "bogus")],
              "each name explained once, in the order given, lower case: %s" % heads)
        check("Summary: 3 domains checked: 1 secure, 1 insecure, 1 bogus; not secure or "
              "insecure: dsnomatch.test bogus" in r.stdout, "the summary names the bogus one")

        r = run(["sec13.test", "nods.test"])
        check(r.returncode == 0, "secure + insecure exit 0 (got %d)" % r.returncode)

        r = run(["straße.test"])
        check(r.returncode == 4, "check straße.test exits 4 (not delegated) (got %d)" %
              r.returncode)
        check("straße.test is xn--strae-oqa.test" in r.stdout and
              "xn--strae-oqa.test: nxdomain" in r.stdout and "NOT_DELEGATED" in r.stdout,
              "a U-label (IDNA 2008: ß kept) is scanned as its A-label xn--strae-oqa.test: "
              "nxdomain, NOT_DELEGATED")

        check_idn(check, run, env, work)

        # Names appear as the domain's own, never in the random case of the wire.
        for domain in ("denialinvalid.test", "cdspending.test", "dsnomatch.test"):
            r = run([domain])
            mixed = sorted(set(m for m in re.findall(re.escape(domain), r.stdout, re.I)
                               if m != domain))
            check(r.stdout.count(domain) > 0 and not mixed,
                  "%s: every spelling in the output is lower case %s" % (domain, mixed or ""))

        db = os.path.join(work, "db")
        r = run(["--db", db, "--scan", "kept", "sec13.test", "dsnomatch.test"])
        check(r.returncode == 4, "with --db: exit 4 (got %d)" % r.returncode)
        exp = subprocess.run([DNSSWEEP, "export", "--db", db, "--scan", "kept"],
                             capture_output=True, text=True, timeout=30)
        stored = {}
        for line in exp.stdout.splitlines():
            rec = json.loads(line)
            stored[rec["domain"]] = rec["status"]
        check(stored == {"sec13.test": "secure", "dsnomatch.test": "bogus"},
              "the store holds the scan 'kept' with both verdicts: %s" % stored)
        scans = subprocess.run([DNSSWEEP, "scans", "--db", db], capture_output=True, text=True,
                               timeout=30).stdout
        check(re.search(r"^kept\s.*\byes\b", scans, re.M) is not None,
              "the scan is finished in the store")
        r = run(["--db", db, "--scan", "kept", "sec13.test"])
        check(r.returncode == 2 and "already exists" in r.stderr,
              "the same --scan again is a usage error (2), as for scan")

        for bad in ("bad..name", "exa mple.test", "x" * 64 + ".test"):
            r = run(["sec13.test", bad])
            check(r.returncode == 2 and bad[:20] in r.stderr,
                  "a bad name (%s...) exits 2 and is named: %s" % (bad[:20], r.stderr.strip()[:120]))
        r = run([])
        check(r.returncode == 2, "no DOMAIN exits 2")
        r = run(["--zone-file", "x", "sec13.test"])
        check(r.returncode == 2 and "--zone-file is not an option of check" in r.stderr,
              "--zone-file is refused (2)")

        hints = os.path.join(work, "dead.hints")
        with open(hints, "w") as f:
            f.write(".\t3600000\tNS\ta.root-servers.lab.\n"
                    "a.root-servers.lab.\t3600000\tA\t%s.250.9\n" % env["LAB_NET"])
        dead_opts = ["--root-hints", hints, "--trust-anchor", env["LAB_TRUST_ANCHOR"], "--now",
                     env["LAB_NOW"], "--progress", "never", "--retries", "0", "--timeout", "200"]
        r = run(["sec13.test"], opts=dead_opts)
        print("# " + r.stderr.strip().replace("\n", "\n# "))
        check(r.returncode == 1, "dead root hints: exit 1 (got %d)" % r.returncode)
        check("failed: no root server answered" in r.stderr,
              "the cause is said: no root server answered")
        check("--resume" not in r.stderr, "no resume hint for a temporary store")
        check("Summary:" not in r.stdout, "no explanation of a run that judged nothing")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("# %d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


def served_ds(env, work, domain):
    """The SHA-256 DS record of the domain's KSK as BIND's dnssec-dsfromkey makes it from the
    DNSKEY RRset the lab's child1 server (.3.1) serves: 'domain. IN DS tag alg 2 DIGEST' fields."""
    keys = subprocess.run(["dig", "@" + env["LAB_NET"] + ".3.1", "-p", env["LAB_PORT"],
                           domain, "DNSKEY", "+noall", "+answer"],
                          capture_output=True, text=True, timeout=30).stdout
    keyfile = os.path.join(work, domain + ".keys")
    with open(keyfile, "w") as f:
        f.write(keys)
    return subprocess.run(["dnssec-dsfromkey", "-2", "-f", keyfile, domain],
                          capture_output=True, text=True, timeout=30).stdout.split()


def check_idn(check, run, env, work):
    """IDN in and out with the lab's IDN zones (catalogue block issue 17): U-labels in, both
    forms out; the fix names the A-label, the form registries (EPP) and dig take, in lower case;
    show by either form tells one story; export keeps the A-label in `domain`."""
    r = run(["bücher.test"])
    print("# " + r.stdout.replace("\n", "\n# "))
    check(r.returncode == 0, "check bücher.test exits 0 (got %d%s)" % (
        r.returncode, "" if r.returncode == 0 else ": " + r.stderr[-300:]))
    check(r.stdout.startswith("bücher.test is xn--bcher-kva.test (IDNA 2008 A-label)\n"
                              "xn--bcher-kva.test: secure\n"),
          "it starts with both forms, then 'xn--bcher-kva.test: secure'")
    check("DNSKEY of xn--bcher-kva.test" in r.stdout and "Reasons: none" in r.stdout and
          "Summary: 1 domain checked: 1 secure; every one secure or insecure" in r.stdout,
          "the explanation is of the A-label's zone, secure, no reason")

    ds = served_ds(env, work, "xn--mnchen-3ya.test")
    want = "xn--mnchen-3ya.test. 3600 IN DS " + " ".join(ds[-4:])
    r = run(["MÜNCHEN.test."])
    print("# " + r.stdout.replace("\n", "\n# "))
    check(r.returncode == 4, "check MÜNCHEN.test. exits 4 (got %d)" % r.returncode)
    check(r.stdout.startswith("MÜNCHEN.test. is xn--mnchen-3ya.test (IDNA 2008 A-label)\n"
                              "xn--mnchen-3ya.test: bogus\n"),
          "an upper-case U-label with a trailing dot: both forms, then the A-label bogus")
    check("DS_NO_MATCHING_DNSKEY" in r.stdout, "the reason is DS_NO_MATCHING_DNSKEY")
    fix = [l for l in r.stdout.splitlines() if l.startswith("Fix:")]
    fix = fix[0] if fix else ""
    check(len(ds) >= 4 and want in fix,
          "the fix gives the DS to paste with the A-label owner, as dnssec-dsfromkey makes it: "
          "%s" % want)
    check(fix.startswith("Fix: Replace the DS of xn--mnchen-3ya.test at the registrar") and
          fix.endswith("Check: delv xn--mnchen-3ya.test SOA"),
          "the fix names the domain by its A-label, at the registrar and in the check command")
    check(not re.search(r"[^\x00-\x7f]", fix), "the fix is plain ASCII (no U-label to mistype)")
    names = re.findall(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.test\b", fix)
    check(names and all(n == n.lower() for n in names),
          "every name in the fix is lower case: %s" % sorted(set(names)))

    db = os.path.join(work, "idn-db")
    r = run(["--db", db, "--scan", "idn", "bücher.test", "münchen.test"])
    check(r.returncode == 4, "both IDN zones with --db: exit 4 (got %d)" % r.returncode)
    stories = {}
    for given in ("münchen.test", "xn--mnchen-3ya.test", "XN--MNCHEN-3YA.TEST."):
        s = subprocess.run([DNSSWEEP, "show", "--db", db, given], capture_output=True,
                           text=True, timeout=30)
        first, _, rest = s.stdout.partition("\n")
        stories[given] = (s.returncode, first, rest)
    u, a, upper = (stories[g] for g in ("münchen.test", "xn--mnchen-3ya.test",
                                        "XN--MNCHEN-3YA.TEST."))
    check(u[0] == a[0] == upper[0] == 0, "show by U-label, A-label and upper-case A-label exit 0")
    check(u[1] == "münchen.test is xn--mnchen-3ya.test (IDNA 2008 A-label)" and
          a[1] == upper[1] == "xn--mnchen-3ya.test is münchen.test (IDNA 2008 U-label)",
          "each names the other form first: %r / %r" % (u[1], a[1]))
    check(u[2] and u[2] == a[2] == upper[2] and u[2].startswith("xn--mnchen-3ya.test: bogus\n"),
          "the same story after that line (%d characters)" % len(u[2]))
    check(fix and fix in u[2], "show's fix is check's")

    exp = subprocess.run([DNSSWEEP, "export", "--db", db, "--scan", "idn"],
                         capture_output=True, text=True, timeout=30)
    recs = [json.loads(l) for l in exp.stdout.splitlines()]
    check(exp.returncode == 0 and sorted(r["domain"] for r in recs) ==
          ["xn--bcher-kva.test", "xn--mnchen-3ya.test"],
          "export: `domain` holds the A-labels: %s" % [r["domain"] for r in recs])
    check(not re.search(r"[^\x00-\x7f]", exp.stdout) and "\\u00fc" not in exp.stdout,
          "the JSON lines carry no U-label")
    for rec in recs:
        check(all(ns["name"] == ns["name"].lower() and ns["name"].endswith(rec["domain"])
                  for ns in rec["nameservers"]),
              "%s: its NS names in lower case below the A-label: %s" % (
                  rec["domain"], [ns["name"] for ns in rec["nameservers"]]))


if __name__ == "__main__":
    sys.exit(main())
