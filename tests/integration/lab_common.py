"""Shared helpers for the lab integration tests: the lab's env, dig, expected file."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(os.path.dirname(HERE), "lab", "lab")
sys.path.insert(0, os.path.dirname(LAB))

import catalog  # noqa: E402  (tests/lab, on the path now)

SKIP = 77  # ctest SKIP_RETURN_CODE


def lab_env():
    out = subprocess.run([LAB, "env"], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        sys.exit("lab env failed: %s" % out.stderr.strip())
    env = {}
    for line in out.stdout.splitlines():
        k, _, v = line.partition("=")
        env[k] = v.strip("'")
    return env


def dig(server, port, name, qtype, *opts, timeout=10):
    """Runs dig; returns (status or 'TIMEOUT', flags list, answer lines, authority lines, ede)."""
    cmd = ["dig", "@" + server, "-p", str(port), name, qtype, "+time=%d" % timeout, "+tries=1"] + list(opts)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 10).stdout
    status, flags, ede, section = "TIMEOUT", [], "", None
    sections = {"ANSWER": [], "AUTHORITY": []}
    for line in out.splitlines():
        if "->>HEADER<<-" in line:
            status = line.split("status: ")[1].split(",")[0]
        elif line.startswith(";; flags:"):
            flags = line[len(";; flags:"):].split(";")[0].split()
        elif line.startswith("; EDE:"):
            ede = line[2:]
        elif line.startswith(";; ") and " SECTION:" in line:
            section = line[3:].split()[0]
        elif line and not line.startswith(";") and section in sections:
            sections[section].append(line)
        elif not line:
            section = None
    return status, flags, sections["ANSWER"], sections["AUTHORITY"], ede


def types_in(lines):
    return [l.split()[3] for l in lines if len(l.split()) > 4]


# What the default query plan (--servers names: DNSKEY and SOA to every address, the other
# questions to one address per NS name) cannot see by design, and what it says instead: a server
# that breaks only an answer other than DNSKEY and SOA at an address its NS name's other
# questions do not go to. The expected file holds the truth, which `--servers all` and a
# resolver (which may ask that address) see.
NAMES_CANNOT_SEE = {
    "srvcaablind.test": ("secure", "-"),  # mangle10 answers CAA SERVFAIL; CAA is asked of child1
}


def expected(path, servers="names"):
    """The expected file's rows as a scan with --servers `servers` must see them: with "names"
    (the default), the NAMES_CANNOT_SEE rows say what that plan says, and keep the file's own
    status and reasons as row["truth"] (resolver_expectation() judges by them)."""
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            domain, status, reasons, unbound, note = line.rstrip("\n").split("\t")
            row = dict(domain=domain, status=status, reasons=reasons, unbound=unbound, note=note)
            if servers == "names" and domain in NAMES_CANNOT_SEE:
                row["truth"] = (status, reasons)
                row["status"], row["reasons"] = NAMES_CANNOT_SEE[domain]
            rows.append(row)
    return rows


def small_lab_domains(env, work):
    """Writes the small lab's domains (the lab's list without bulk ones) to work/domains.txt and
    returns its path."""
    names = [l for l in open(env["LAB_DOMAINS"])
             if l.strip() and not l.startswith("#") and not l.strip().endswith(".bulk")]
    path = os.path.join(work, "domains.txt")
    with open(path, "w") as f:
        f.writelines(names)
    return path


# Single-server zones whose server never answers some questions (catalogue: mangle "silent").
RESOLVER_SERVFAILS_MISSING = {"silent.test"}
# Zones whose second server serves other CDS/CDNSKEY (the same keys, both validly signed): the
# resolver asks one of them for each question, so CDS_PENDING is there or not, and when it took
# CDS from one server and CDNSKEY from the other the two disagree (CDS_INVALID) (catalogue: alt
# "oldcds").
RESOLVER_EITHER_CDS = {c.domain for c in catalog.cases() if "oldcds" in c.build.get("alt", {}).values()}


def resolver_expectation(row):
    """What resolver mode can see of a lab case: the resolver stands in for every server, so
    problems of one server among several are hidden (it asks another), and a zone with no
    usable server is a SERVFAIL from the resolver (NS_UNREACHABLE)."""
    status, reasons = row.get("truth") or (row["status"], row["reasons"])
    codes = set(reasons.split(",")) - {"-"}
    if "NS_INCONSISTENT" in codes:
        # Whichever server the resolver asks decides: the good one (secure, no reason) or the
        # bad one (bogus with that server's reason). Both are right; the test accepts either.
        bad = codes - {"NS_INCONSISTENT"}
        return [("secure", set()), ("bogus", bad)]
    if status == "lame":
        return [("lame", {"NS_UNREACHABLE"})]
    if row["domain"] in RESOLVER_EITHER_CDS:
        return [(status, codes), (status, codes - {"CDS_PENDING"}),
                (status, codes | {"CDS_INVALID", "CDS_PENDING"})]
    if row["domain"] in RESOLVER_SERVFAILS_MISSING:
        # The only server leaves A, CAA, the probe and CDS unanswered: the resolver answers
        # those with SERVFAIL (NS_UNREACHABLE: it got nothing from any server), and a CAA
        # SERVFAIL reads as CAA_BOGUS (as for caaservfail.test).
        # Once those timeouts make the resolver mark the server dead (its infrastructure
        # cache), it answers SERVFAIL to the SOA too and the zone reads as lame: which of the
        # two a scan sees depends on the order the resolver met the questions in.
        # A CAA question the resolver itself gives up on (a client-side timeout, e.g. behind
        # a slow proxy) is NS_UNREACHABLE alone, without CAA_BOGUS.
        return [(status, (codes - {"NS_LAME"}) | {"NS_UNREACHABLE", "CAA_BOGUS"}),
                (status, (codes - {"NS_LAME"}) | {"NS_UNREACHABLE"}),
                ("lame", {"NS_UNREACHABLE"})]
    if "NS_UNREACHABLE" in codes:
        # One server never answers (unreach.test): the resolver hides it when it reaches the
        # live one in time, but a question it gives up on reads as the resolver's SERVFAIL
        # (NS_UNREACHABLE), and a SOA it gives up on as a lame zone.
        rest = codes - {"NS_UNREACHABLE", "NS_LAME"}
        return [(status, rest), ("bogus", rest | {"NS_UNREACHABLE"}), ("lame", {"NS_UNREACHABLE"})]
    return [(status, codes - {"NS_UNREACHABLE", "NS_LAME"})]


def lab_scan_args(env):
    """dnssweep scan options that point it at the lab, unthrottled, pinned to LAB_NOW."""
    return ["--root-hints", env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_TRUST_ANCHOR"],
            "--now", env["LAB_NOW"], "--port", env["LAB_PORT"], "--qps", "0",
            "--qps-per-server", "0", "--progress", "never"]


class Checks:
    """TAP-style checks: check(cond, what) prints ok / not ok and counts both."""

    def __init__(self):
        self.passed = 0
        self.failures = 0

    def __call__(self, cond, what):
        print("%s - %s" % ("ok" if cond else "not ok", what))
        if cond:
            self.passed += 1
        else:
            self.failures += 1
