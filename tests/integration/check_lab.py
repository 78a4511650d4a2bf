"""`dnssweep check DOMAIN...` against the lab (cli.md, issue 17).

A secure name exits 0 with its explanation; a DS mismatch exits 4 and names the DS to publish
(compared with dnssec-dsfromkey over the DNSKEY the zone serves); several names at once, one
bogus, exit 4 and each is explained; secure + insecure exit 0; a U-label is converted to its
A-label and explained as not delegated; the domain's names never show the random 0x20 case of
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
        keys = subprocess.run(["dig", "@" + env["LAB_NET"] + ".3.1", "-p", env["LAB_PORT"],
                               "dsnomatch.test", "DNSKEY", "+noall", "+answer"],
                              capture_output=True, text=True, timeout=30).stdout
        keyfile = os.path.join(work, "dsnomatch.keys")
        with open(keyfile, "w") as f:
            f.write(keys)
        ds = subprocess.run(["dnssec-dsfromkey", "-2", "-f", keyfile, "dsnomatch.test"],
                            capture_output=True, text=True, timeout=30).stdout.split()
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

        r = run(["bücher.test"])
        print("# " + r.stdout.replace("\n", "\n# "))
        check(r.returncode == 4, "check bücher.test exits 4 (not delegated) (got %d)" %
              r.returncode)
        check("bücher.test is xn--bcher-kva.test" in r.stdout and
              "xn--bcher-kva.test: nxdomain" in r.stdout and "NOT_DELEGATED" in r.stdout,
              "the U-label is scanned as its A-label xn--bcher-kva.test: nxdomain, NOT_DELEGATED")

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


if __name__ == "__main__":
    sys.exit(main())
