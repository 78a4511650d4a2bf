"""A run that could not judge domains is a failure, never a scan (cli.md, issue 15).

Root hints at an address with nothing listening and at a blackhole, a trust anchor that
matches no root key, --resolver at nothing, and resolvers that answer NXDOMAIN, REFUSED or
SERVFAIL to everything: each scan exits 1 with the cause in plain words (network or keys),
is not marked finished and stores no verdict; fixing the hints and --resume gives the store of
a clean scan. A resolver that refuses only SOA makes no domain nxdomain. Output and metrics
paths are checked before the first query (exit 2, no scan left behind), and a default scan
name never collides. Fake servers live on 127.102.0.x (the lab's net is someone else's)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from fake_dns import TYPE_SOA, Relay, Responder
from lab_common import Checks, expected, lab_env

DNSSWEEP = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
BLACKHOLE = os.path.join(os.path.dirname(HERE), "lab", "blackhole.py")
NOTHING = "127.102.0.9"  # nothing listens there: port unreachable at once
HOLE = "127.102.0.8"     # reads and never answers


def run(args, timeout=120):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def verdicts(db, scan):
    r = run(["export", "--db", db, "--scan", scan])
    if r.returncode != 0:
        return None
    out = {}
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        out[rec["domain"]] = (rec["status"], sorted(x["code"] for x in rec["reasons"]))
    return out


def scan_rows(db):
    """`dnssweep scans` as {name: finished?} ({} when the store does not exist)."""
    if not os.path.exists(db):
        return {}
    r = run(["scans", "--db", db])
    rows = {}
    for line in r.stdout.splitlines()[1:]:
        f = line.split()
        if len(f) >= 5:
            rows[f[0]] = f[3] == "yes"
    return rows


def hints(path, addr):
    with open(path, "w") as f:
        f.write(".\t3600000\tNS\ta.root-servers.lab.\na.root-servers.lab.\t3600000\tA\t%s\n" % addr)


def failed_run(check, r, db, scan, words, what):
    """Exit 1, every word of the cause on stderr, the resume command, unfinished, no verdict."""
    err = r.stderr
    missing = [w for w in words if w not in err]
    check(r.returncode == 1, "%s: exit 1 (got %d)" % (what, r.returncode))
    check(not missing, "%s: the cause in plain words %s%s" % (
        what, words, "" if not missing else " -- missing %s in:\n%s" % (missing, err[-800:])))
    check("--resume" in err and ("--scan %s" % scan) in err, "%s: prints the resume command" % what)
    rows = scan_rows(db)
    check(rows.get(scan) is False, "%s: scan %s exists and is not finished (%s)" % (
        what, scan, rows.get(scan)))
    stored = verdicts(db, scan)
    check(stored == {}, "%s: no verdict stored (%d)" % (what, len(stored or {})))


def main():
    env = lab_env()
    rows = expected(env["LAB_EXPECTED"])
    work = tempfile.mkdtemp(prefix="dnssweep-runfail-")
    check = Checks()
    fakes, procs = [], []
    try:
        domains = os.path.join(work, "domains.txt")
        names = [r["domain"] for r in rows]
        with open(domains, "w") as f:
            f.write("\n".join(names) + "\n")
        db = os.path.join(work, "db")
        common = ["--db", db, "--now", env["LAB_NOW"], "--port", env["LAB_PORT"], "--qps", "0",
                  "--qps-per-server", "0", "--progress", "never"]
        anchor = ["--trust-anchor", env["LAB_TRUST_ANCHOR"]]
        hints_file = os.path.join(work, "root.hints")

        # 1. The root: nothing listening, a blackhole, a trust anchor matching no root key.
        hints(hints_file, NOTHING)
        r = run(["scan", "--scan", "deadroot", "--root-hints", hints_file] + anchor + common +
                [domains])
        failed_run(check, r, db, "deadroot", ["no root server answered", "check the network",
                                              "--root-hints"], "root hints at nothing")
        procs.append(subprocess.Popen([sys.executable, BLACKHOLE, HOLE, env["LAB_PORT"]],
                                      stdout=subprocess.PIPE, text=True))
        procs[-1].stdout.readline()  # listening
        hole_hints = os.path.join(work, "hole.hints")
        hints(hole_hints, HOLE)
        r = run(["scan", "--scan", "holeroot", "--root-hints", hole_hints, "--timeout", "200",
                 "--retries", "1"] + anchor + common + [domains])
        failed_run(check, r, db, "holeroot", ["no root server answered", "timed out",
                                              "check the network"], "root hints at a blackhole")
        keydir = os.path.join(work, "keys")
        os.mkdir(keydir)
        subprocess.run(["ldns-keygen", "-a", "13", "-k", "."], cwd=keydir, check=True,
                       capture_output=True, timeout=60)
        wrong = os.path.join(work, "wrong.key")
        with open(wrong, "w") as f:
            for k in os.listdir(keydir):
                if k.endswith(".key"):
                    f.write(open(os.path.join(keydir, k)).read())
        r = run(["scan", "--scan", "wronganchor", "--root-hints", env["LAB_ROOT_HINTS"],
                 "--trust-anchor", wrong] + common + [domains])
        failed_run(check, r, db, "wronganchor", ["trust anchor matches no root key",
                                                 "--trust-anchor"], "a foreign trust anchor")

        # Fixed: the same hints file now names the lab's root; --resume equals a clean scan.
        r = run(["scan", "--scan", "clean", "--root-hints", env["LAB_ROOT_HINTS"]] + anchor +
                common + [domains], timeout=300)
        clean = verdicts(db, "clean")
        check(r.returncode == 0 and clean and len(clean) == len(names),
              "a clean scan of the %d lab domains (exit %d)" % (len(names), r.returncode))
        shutil.copy(env["LAB_ROOT_HINTS"], hints_file)
        r = run(["scan", "--scan", "deadroot", "--resume", "--root-hints", hints_file] + anchor +
                common + [domains], timeout=300)
        check(r.returncode == 0, "resume once the hints are fixed: exit 0 (%d) %s" % (
            r.returncode, r.stderr[-300:] if r.returncode else ""))
        resumed = verdicts(db, "deadroot")
        diff = [d for d in set(clean or {}) | set(resumed or {})
                if (clean or {}).get(d) != (resumed or {}).get(d)]
        check(resumed and not diff and scan_rows(db).get("deadroot") is True,
              "the resumed scan is finished and equals the clean scan (%d domains, %d differ%s)"
              % (len(resumed or {}), len(diff), (": %s" % diff[:5]) if diff else ""))

        # 2. Resolver mode: nothing listening, and resolvers that refuse the root's DNSKEY.
        r = run(["scan", "--scan", "noresolver", "--resolver", NOTHING] + anchor + common +
                [domains])
        failed_run(check, r, db, "noresolver", ["the resolver %s" % NOTHING, "no answer",
                                                "--resolver"], "--resolver at nothing")
        for i, rcode in enumerate(["NXDOMAIN", "REFUSED", "SERVFAIL"]):
            addr = "127.102.0.%d" % (20 + i)
            fakes.append(Responder(addr, rcode))
            scan = "resolver-" + rcode.lower()
            r = run(["scan", "--scan", scan, "--resolver", addr] + anchor + common + [domains])
            failed_run(check, r, db, scan, ["the resolver %s" % addr, "answered %s" % rcode,
                                            "root's DNSKEY", "--resolver"],
                       "a resolver answering %s to everything" % rcode)

        # An authoritative server given as --resolver (the lab's root: it answers its own
        # DNSKEY, without RA, and refers everything else): a failed run, not all nxdomain.
        root_addr = [l.split()[-1] for l in open(env["LAB_ROOT_HINTS"])
                     if l.split()[2:3] == ["A"]][0]
        r = run(["scan", "--scan", "authoritative-resolver", "--resolver",
                 "%s#%s" % (root_addr, env["LAB_PORT"])] + anchor + common + [domains])
        failed_run(check, r, db, "authoritative-resolver",
                   ["the resolver %s" % root_addr, "does not offer recursion", "--resolver"],
                   "--resolver at an authoritative server")

        # A resolver that refuses SOA only: its refusal, not "not a zone".
        relay = Relay("127.102.0.30", (env["LAB_UNBOUND"], 53), {TYPE_SOA})
        fakes.append(relay)
        few = os.path.join(work, "few.txt")
        secure = [r["domain"] for r in rows if r["status"] == "secure"]
        with open(few, "w") as f:
            f.write("\n".join(secure[:3]) + "\n")
        r = run(["scan", "--scan", "soarefused", "--resolver", "127.102.0.30"] + anchor +
                common + [few])
        got = verdicts(db, "soarefused") or {}
        check(r.returncode == 0 and relay.refused >= 3 and len(got) == 3,
              "3 domains through a resolver refusing SOA: exit %d, %d refusals, %d stored" % (
                  r.returncode, relay.refused, len(got)))
        bad = {d: v for d, v in got.items()
               if v[0] == "nxdomain" or "NOT_DELEGATED" in v[1] or
               v != ("indeterminate", ["PARENT_UNREACHABLE"])}
        check(got and not bad, "a refused SOA is indeterminate PARENT_UNREACHABLE, never "
              "nxdomain NOT_DELEGATED (%s)" % (bad or sorted(set(v[0] for v in got.values()))))
        many = os.path.join(work, "many.txt")
        with open(many, "w") as f:
            f.write("\n".join(secure[:12]) + "\n")
        r = run(["scan", "--scan", "soarefused-all", "--resolver", "127.102.0.30"] + anchor +
                common + [many])
        got = verdicts(db, "soarefused-all") or {}
        check(r.returncode == 1 and "refused the questions" in r.stderr and
              not any(v[0] == "indeterminate" for v in got.values()) and
              scan_rows(db).get("soarefused-all") is False,
              "a resolver refusing every domain trips the breaker: exit %d, %d stored, none "
              "indeterminate, unfinished" % (r.returncode, len(got)))

        # 4. Paths checked before the first query: no scan is left behind.
        for args, what in ((["-o", "/nonexistent/x.jsonl"], "-o /nonexistent/x.jsonl"),
                           (["--metrics", "/nonexistent/m.prom"], "--metrics /nonexistent/m.prom"),
                           (["--metrics", work], "--metrics DIRECTORY")):
            pdb = os.path.join(work, "pathdb")
            r = run(["scan", "--db", pdb, "--root-hints", env["LAB_ROOT_HINTS"]] + anchor +
                    common[2:] + args + [few])
            check(r.returncode == 2 and scan_rows(pdb) == {},
                  "%s: usage error (exit %d) before anything, no scan left (%s)" % (
                      what, r.returncode, scan_rows(pdb)))
            r = run(["scan", "--db", pdb, "--resume", "--root-hints", env["LAB_ROOT_HINTS"]] +
                    anchor + common[2:] + [few])
            check(r.returncode == 2, "%s: a later --resume finds nothing to resume (exit %d)" % (
                what, r.returncode))
            shutil.rmtree(pdb, ignore_errors=True)

        # A default name never collides: every name the next minute could give already exists.
        ndb = os.path.join(work, "namedb")
        start = int(time.time())
        taken = [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + i)) for i in range(60)]
        # Names taken without scanning: a scan that fails at once (root at nothing) keeps its name.
        nothing_hints = os.path.join(work, "nothing.hints")
        hints(nothing_hints, NOTHING)
        for name in taken:
            run(["scan", "--db", ndb, "--scan", name, "--root-hints", nothing_hints] + anchor +
                common[2:] + [few])
        before = set(scan_rows(ndb))
        r = run(["scan", "--db", ndb, "--root-hints", env["LAB_ROOT_HINTS"]] + anchor +
                common[2:] + [few])
        after = set(scan_rows(ndb))
        new = after - before
        if time.time() >= start + 60:
            print("ok - # SKIP default name: the taken names ran out before the scan started")
        else:
            check(r.returncode == 0 and len(new) == 1 and len(before) == 60,
                  "a default-named scan in a second whose name is taken: exit %d, new scan %s" % (
                      r.returncode, sorted(new)))
    finally:
        for f in fakes:
            f.close()
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
