"""dnssweep scan of every lab domain: each domain's status and set of reason codes equal the
lab's expected file; the JSON lines from -o carry the same; export, show and a second scan
(diff) work on the store; --check-resolver against the lab's Unbound disagrees exactly where
the expected file says Unbound cannot see the problem."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

from lab_common import NAMES_CANNOT_SEE, SKIP, dig, expected, lab_env, resolver_expectation
from lab_cases import key_tag
import catalog  # tests/lab (on the path through lab_common)
import zones as Z  # tests/lab

# Zones whose server withholds the apex SOA itself (empty, or another owner's): their
# DENIAL_MISSING is on the SOA answer, so a resolver answers SERVFAIL to `SOA` too.
SOA_ANSWER_BROKEN = {c.domain for c in catalog.cases() if c.build.get("mangle") in ("soa_empty", "soa_foreign", "silent")}

DNSSWEEP = sys.argv[1]

# What the default query plan cannot see by design is lab_common.NAMES_CANNOT_SEE: expected()
# gives those rows as the default plan sees them, expected(..., "all") as the file has them.
# The domain on which the queries per domain of both modes are measured (one NS name with two
# addresses, signed, good data).
QUERIES_DOMAIN = "srvpair.test"


def run(args, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def resolver_mode(env, rows, db, base):
    """The same lab through the lab's Unbound with --resolver (CD+DO): the verdicts follow
    resolver_expectation(). Returns the number of failures."""
    failures = 0
    args = ["scan", "--scan", "resolver", "--resolver", "%s#%s" % (env["LAB_UNBOUND"], env["LAB_PORT"]),
            "-o", "-"] + [a for a in base if a not in ("--root-hints", env["LAB_ROOT_HINTS"])]
    r = run(args + [env["LAB_DOMAINS"]])
    if r.returncode != 0:
        print("not ok - resolver-mode scan exited %d\n%s" % (r.returncode, r.stderr))
        return 1
    got = {json.loads(l)["domain"]: json.loads(l) for l in r.stdout.splitlines()}
    for row in rows:
        rec = got.get(row["domain"])
        if rec is None:
            print("not ok - resolver mode: %s missing" % row["domain"])
            failures += 1
            continue
        codes = set(x["code"] for x in rec["reasons"])
        allowed = resolver_expectation(row)
        same = (rec["status"], codes) in allowed
        print("%s - resolver mode: %-24s expected %-40s got %s %s" % (
            "ok" if same else "not ok", row["domain"],
            " or ".join("%s %s" % (st, ",".join(sorted(c)) or "-") for st, c in allowed),
            rec["status"], ",".join(sorted(codes)) or "-"))
        if not same:
            failures += 1
    return failures


WARNINGS_AND_INFO = {"DNSKEY_WITHOUT_DS", "DS_STALE", "ALGORITHM_DEPRECATED", "DS_DIGEST_DEPRECATED",
                     "ALGORITHM_UNSUPPORTED", "ALGORITHM_INCOMPLETE", "RRSIG_EXPIRES_SOON",
                     "NSEC3_ITERATIONS", "KEY_TOO_SMALL", "PARENT_UNSIGNED", "CDS_PENDING",
                     "CDS_DELETE", "CDS_INVALID", "NSEC3_SALT"}
STR, INT, BOOL, NONE = str, int, bool, type(None)
REASON_KEYS = {"code": (STR,), "severity": (STR,), "ede": (INT, NONE), "server": (STR, NONE),
               "rrset": (STR,), "detail": (STR,)}
TOP_KEYS = {"domain": (STR,), "status": (STR,), "scan": (STR,), "scanned_at": (STR,), "mode": (STR,),
            "reasons": (list,), "fix": (STR, NONE), "parent": (dict, NONE), "dnskey": (list,),
            "rrsig_earliest_expiration": (STR, NONE), "cds": (list,), "nameservers": (list,),
            "queries": (INT,)}
STATUSES = {"secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain"}


def schema_problems(rec):
    """Differences between one JSON line and the schema of cli.md ("JSON line per domain")."""
    out = []
    # Nameservers in a fixed order (by address), whatever order the NS names resolved in, so
    # that the stored keys and server list do not change from night to night by chance.
    import ipaddress
    addrs = [ipaddress.ip_address(ns["address"]) for ns in rec.get("nameservers") or []]
    if addrs != sorted(addrs, key=lambda a: (a.version, a.packed)):
        out.append("nameservers not in address order: %s" % [str(a) for a in addrs])
    extra = set(rec) - set(TOP_KEYS) - {"resolver_check"}
    if extra:
        out.append("unknown keys %s" % sorted(extra))
    for key, types in TOP_KEYS.items():
        if key not in rec or not isinstance(rec[key], types) or (
                isinstance(rec[key], bool) and BOOL not in types):
            out.append("%s: %r" % (key, rec.get(key)))
    if rec.get("status") not in STATUSES:
        out.append("status %r" % rec.get("status"))
    for reason in rec.get("reasons", []):
        if set(reason) != set(REASON_KEYS) or any(
                not isinstance(reason[k], t) for k, t in REASON_KEYS.items()):
            out.append("reason %r" % reason)
        if reason.get("severity") not in ("error", "warning", "info"):
            out.append("severity %r" % reason.get("severity"))
    parent = rec.get("parent")
    if parent is not None:
        if set(parent) != {"zone", "signed", "ds_ttl", "ds"} or not isinstance(parent["signed"], bool):
            out.append("parent %r" % parent)
        for ds in parent.get("ds", []):
            if set(ds) != {"key_tag", "algorithm", "digest_type", "digest"}:
                out.append("ds %r" % ds)
    for key in rec.get("dnskey", []):
        if set(key) != {"key_tag", "algorithm", "flags", "bits"}:
            out.append("dnskey %r" % key)
    for ns in rec.get("nameservers", []):
        if set(ns) != {"name", "address", "status", "rtt_ms"} or ns["status"] not in STATUSES:
            out.append("nameserver %r" % ns)
    return out


def work_limits(env, work, base):
    """--limit: the work limits are options. With 2 signature operations per server, a secure
    alg-13 domain needs more than allowed: bogus, VALIDATION_LIMIT; a bad NAME=N is a usage
    error. Returns the number of failures."""
    failures = 0
    names = os.path.join(work, "limit.txt")
    with open(names, "w") as f:
        f.write("sec13.test\n")
    r = run(["scan", "--db", os.path.join(work, "limit.db"), "--scan", "limit", "-o", "-",
             "--limit", "ops-per-server=2"] + base + [names])
    recs = [json.loads(l) for l in r.stdout.splitlines()]
    codes = set(x["code"] for x in recs[0]["reasons"]) if recs else set()
    good = r.returncode == 0 and recs and recs[0]["status"] == "bogus" and \
        "VALIDATION_LIMIT" in codes
    print("%s - --limit ops-per-server=2: sec13.test %s %s" % (
        "ok" if good else "not ok", recs[0]["status"] if recs else "(none)", sorted(codes)))
    failures += not good
    r = run(["scan", "--db", os.path.join(work, "limit.db"), "--limit", "keys-per-rrsig=0"] +
            base + [names])
    good = r.returncode == 2 and "keys-per-rrsig" in r.stderr
    print("%s - --limit keys-per-rrsig=0 is a usage error (exit %d): %s" % (
        "ok" if good else "not ok", r.returncode, r.stderr.strip()))
    failures += not good
    return failures


MANY = [c for c in catalog.cases() if c.build.get("many")]


def rr_text(fields):
    """owner, type, RDATA of a record's presentation fields (owner TTL class type RDATA...),
    as compared here: owner and type in lowercase, hex digests (DS, CDS) in lowercase, base64
    keys exactly as they are."""
    owner, rtype, rdata = fields[0].lower(), fields[3].upper(), fields[4:]
    if rtype in ("DS", "CDS"):
        rdata = [f.lower() for f in rdata[:3]] + ["".join(rdata[3:]).lower()]
    return " ".join([owner, rtype] + rdata)


def served(env, server, name, qtype):
    """Records of qtype in the answer of a lab server (dig, over TCP when truncated)."""
    _, _, ans, _, _ = dig(Z.addr(env["LAB_NET"], server), env["LAB_PORT"], name, qtype, "+norec",
                          "+nosplit", "+dnssec", timeout=3)
    return [l.split() for l in ans if len(l.split()) > 4 and l.split()[3] == qtype]


def no_silent_caps(env, got, db):
    """issue 14, no silent caps: for each catalogue zone with `many` keys, the JSON line lists
    every DNSKEY, every parent DS and every CDS/CDNSKEY the servers serve (asked here with dig),
    and `show` prints them all. Returns the number of failures (one per zone)."""
    failures = 0
    for case in MANY:
        name, rec = case.domain, got.get(case.domain)
        server = case.build.get("servers", ["child1"])[0]
        keys = served(env, server, name, "DNSKEY")
        ds = served(env, "tld", name, "DS")
        cds = served(env, server, name, "CDS") + served(env, server, name, "CDNSKEY")
        problems = []
        n_keys, n_ds = 2 + case.build["many"][0], 2 * case.build["many"][1]
        if (len(keys), len(ds), len(cds)) != (n_keys, n_ds, 2 * case.build["many"][2]):
            problems.append("the servers serve %d DNSKEY, %d DS, %d CDS+CDNSKEY (catalogue: %d, %d, %d)" % (
                len(keys), len(ds), len(cds), n_keys, n_ds, 2 * case.build["many"][2]))
        want_keys = sorted((key_tag(k[4:]), int(k[4]), int(k[6])) for k in keys)
        want_ds = sorted((int(d[4]), int(d[5]), int(d[6]), "".join(d[7:]).lower()) for d in ds)
        want_cds = sorted(rr_text(r) for r in cds)
        if rec is None:
            problems.append("no JSON line")
        else:
            got_keys = sorted((k["key_tag"], k["flags"], k["algorithm"]) for k in rec["dnskey"])
            got_ds = sorted((d["key_tag"], d["algorithm"], d["digest_type"], d["digest"].lower())
                            for d in (rec["parent"] or {}).get("ds", []))
            got_cds = sorted(rr_text(c.split()) for c in rec["cds"])
            for what, w, g in (("dnskey", want_keys, got_keys), ("parent.ds", want_ds, got_ds),
                               ("cds", want_cds, got_cds)):
                if w != g:
                    problems.append("%s: %d listed, %d served; missing %s, extra %s" % (
                        what, len(g), len(w), sorted(set(w) - set(g))[:3], sorted(set(g) - set(w))[:3]))
            owners = {c.split()[0] for c in rec["cds"]}
            if owners - {name + "."}:
                problems.append("cds owners not the domain's lowercase name: %s" % sorted(owners))
        show = run(["show", "--db", db, "--scan", "first", name])
        lines = show.stdout.splitlines()
        text = show.stdout.lower()
        missing = ["DNSKEY %d" % k[0] for k in want_keys if "key tag %d," % k[0] not in text]
        missing += ["DS %d/%d" % d[:2] for d in want_ds if "%d %d %d %s" % d not in text]
        shown = {rr_text(l.split()) for l in lines if len(l.split()) > 4 and l.split()[3] in ("CDS", "CDNSKEY")}
        missing += [c for c in want_cds if c not in shown]
        if show.returncode != 0 or missing:
            problems.append("show (rc %d) lacks %d of them: %s" % (show.returncode, len(missing), missing[:3]))
        print("%s - %s: the JSON line and show list all %d DNSKEY, %d DS, %d CDS+CDNSKEY%s" % (
            "not ok" if problems else "ok", name, len(want_keys), len(want_ds), len(want_cds),
            "".join("\n#   " + p for p in problems)))
        failures += bool(problems)
    return failures


def time_travel_diff(env, db, base):
    """A second scan validated three days later: the signatures of expsoon.test have expired
    (became_bogus) and those of notyet.test and the parent's RRSIG over the DS of
    dssignotyet.test have become valid (fixed); diff lists exactly those three and
    --fail-on-regression exits 3. Returns the number of failures."""
    later = str(int(env["LAB_NOW"]) + 3 * 86400 + 3600)
    args = [a if a != env["LAB_NOW"] else later for a in base]
    r = run(["scan", "--scan", "later"] + args + [env["LAB_DOMAINS"]])
    d = run(["diff", "--db", db, "first", "later", "--format", "jsonl", "--fail-on-regression"])
    changes = sorted((json.loads(l)["domain"], json.loads(l)["change"]) for l in d.stdout.splitlines())
    want = [("dssignotyet.test", "fixed"), ("expsoon.test", "became_bogus"), ("notyet.test", "fixed")]
    if r.returncode != 0 or d.returncode != 3 or changes != want:
        print("not ok - diff three days later: scan rc %d, diff rc %d (want 3), changes %s, want %s"
              % (r.returncode, d.returncode, changes, want))
        return 1
    print("ok - three days later diff lists exactly %s and exits 3" % want)
    return 0


def servers_all(env, got_names, base, work):
    """--servers all: every address gets every question. The verdicts equal the expected file
    for every domain (NAMES_CANNOT_SEE included), and the default plan asks fewer questions on
    a domain whose NS name has two addresses. Returns the number of failures."""
    failures = 0
    db = os.path.join(work, "all.db")
    args = [a for a in base]
    args[args.index("--db") + 1] = db
    r = run(["scan", "--scan", "all", "--servers", "all", "-o", "-"] + args + [env["LAB_DOMAINS"]])
    got = {json.loads(l)["domain"]: json.loads(l) for l in r.stdout.splitlines()}
    if r.returncode != 0:
        print("not ok - --servers all scan exited %d\n%s" % (r.returncode, r.stderr))
        return 1
    for row in expected(env["LAB_EXPECTED"], servers="all"):
        rec = got.get(row["domain"])
        want = (row["status"], sorted(set(row["reasons"].split(",")) - {"-"}))
        have = (rec["status"], sorted(set(x["code"] for x in rec["reasons"]))) if rec else None
        print("%s - --servers all: %-24s expected %-13s %-40s got %s" % (
            "ok" if have == want else "not ok", row["domain"], want[0], ",".join(want[1]) or "-",
            "%s %s" % (have[0], ",".join(have[1]) or "-") if have else "(missing)"))
        failures += have != want
    q_names = got_names[QUERIES_DOMAIN]["queries"] if QUERIES_DOMAIN in got_names else 0
    q_all = got[QUERIES_DOMAIN]["queries"] if QUERIES_DOMAIN in got else 0
    mean = lambda recs: sum(x["queries"] for x in recs.values()) / max(1, len(recs))
    # Referral 1 + 2 addresses x (DNSKEY, SOA) + one address x (A, CAA, CDS, CDNSKEY, probe) =
    # 10 against 1 + 2 x 7 = 15: fewer by the 5 questions the second address is not asked.
    good = 0 < q_names and q_names + 5 == q_all
    print("%s - queries for %s (one NS name, 2 addresses): --servers names %d, all %d; mean "
          "over the %d lab domains: names %.2f, all %.2f" % (
              "ok" if good else "not ok", QUERIES_DOMAIN, q_names, q_all, len(got), mean(got_names),
              mean(got)))
    failures += not good
    return failures


def main():
    env = lab_env()
    rows = expected(env["LAB_EXPECTED"])
    work = tempfile.mkdtemp(prefix="dnssweep-scan-lab-")
    db = os.path.join(work, "db")
    out = os.path.join(work, "out.jsonl")
    base = ["--db", db, "--root-hints", env["LAB_ROOT_HINTS"], "--trust-anchor",
            env["LAB_TRUST_ANCHOR"], "--now", env["LAB_NOW"], "--port", env["LAB_PORT"],
            "--qps", "0", "--qps-per-server", "0", "--progress", "never"]
    check = ["--check-resolver", "%s#%s" % (env["LAB_UNBOUND"], env["LAB_PORT"])]
    can_check = env["LAB_PORT"] == "53"
    failures = 0
    try:
        r = run(["scan", "--scan", "first", "-o", out] + base + (check if can_check else []) +
                [env["LAB_DOMAINS"]])
        print(r.stderr)
        if r.returncode != 0:
            print("not ok - dnssweep scan exited %d" % r.returncode)
            return 1
        got = {}
        disagreements = []
        with open(out) as f:
            for line in f:
                rec = json.loads(line)
                if rec["domain"] in got:
                    print("not ok - %s streamed twice" % rec["domain"])
                    failures += 1
                got[rec["domain"]] = rec
        for row in rows:
            rec = got.get(row["domain"])
            want_codes = sorted(set(row["reasons"].split(","))) if row["reasons"] != "-" else []
            if rec is None:
                print("not ok - %s: missing from the output" % row["domain"])
                failures += 1
                continue
            codes = sorted(set(x["code"] for x in rec["reasons"]))
            want_status = row["status"]
            blind = row["domain"] in NAMES_CANNOT_SEE
            same = rec["status"] == want_status and codes == want_codes
            print("%s - %-24s expected %-13s %-40s got %-13s %s%s" % (
                "ok" if same else "not ok", row["domain"], want_status, ",".join(want_codes) or "-",
                rec["status"], ",".join(codes) or "-",
                " (--servers names cannot see it by design)" if blind else ""))
            if not same:
                failures += 1
                for x in rec["reasons"]:
                    print("#   %s %s %s" % (x["code"], x["server"], x["detail"]))
            if can_check:
                rc = rec.get("resolver_check")
                # Where Unbound's answer differs from our status (the expected file says so),
                # dnssweep must flag the disagreement; elsewhere it must not.
                # dnssweep predicts the resolver's answer to SOA: a zone whose only errors are
                # in other answers (CAA, negative answers) still validates its SOA.
                # The row as the default plan sees it (NAMES_CANNOT_SEE): what its prediction is
                # about.
                codes = set(want_codes)
                unbound_sees = {"secure": "secure", "insecure": "insecure", "bogus": "servfail",
                                "indeterminate": "servfail", "lame": "servfail",
                                "nxdomain": "nxdomain"}[want_status]
                errors = {c for c in codes if c not in WARNINGS_AND_INFO}
                # One server leaving other answers out (NS_UNREACHABLE beside a server that
                # answers) does not break the SOA either.
                if want_status == "bogus" and errors and errors <= {
                        "CAA_BOGUS", "DENIAL_MISSING", "DENIAL_INVALID", "NS_UNREACHABLE"} and \
                        errors != {"NS_UNREACHABLE"} and row["domain"] not in SOA_ANSWER_BROKEN:
                    unbound_sees = "secure"
                if row["unbound"] != "-":
                    want_disagree = row["unbound"] != unbound_sees
                    if rc is None or rc["disagrees"] != want_disagree:
                        print("not ok - %s: resolver check %s, expected disagrees=%s" % (
                            row["domain"], rc, want_disagree))
                        failures += 1
                    elif want_disagree:
                        disagreements.append(row["domain"])
        if can_check:
            print("# --check-resolver: the lab's Unbound disagrees with dnssweep on %s (the "
                  "expected file says why)" % (disagreements or "no domain"))
        if len(got) != len(rows):
            print("not ok - %d domains streamed, %d expected" % (len(got), len(rows)))
            failures += 1

        # The store holds the same verdicts; show explains one domain; a rescan diffs clean.
        exp = run(["export", "--db", db, "--scan", "first", "--format", "jsonl"])
        stored = {json.loads(l)["domain"]: json.loads(l) for l in exp.stdout.splitlines()}
        if exp.returncode != 0 or set(stored) != set(got) or any(
                stored[d]["status"] != got[d]["status"] for d in got):
            print("not ok - export differs from the streamed output (rc %d)" % exp.returncode)
            failures += 1
        else:
            print("ok - export of %d domains equals the streamed output" % len(stored))
        show = run(["show", "--db", db, "dsnomatch.test"])
        if show.returncode != 0 or "DS_NO_MATCHING_DNSKEY" not in show.stdout:
            print("not ok - show dsnomatch.test: rc %d\n%s" % (show.returncode, show.stdout))
            failures += 1
        else:
            print("ok - show explains dsnomatch.test")
        r2 = run(["scan", "--scan", "second"] + base + [env["LAB_DOMAINS"]])
        diff = run(["diff", "--db", db, "first", "second", "--format", "jsonl",
                    "--fail-on-regression"])
        if r2.returncode != 0 or diff.returncode != 0 or diff.stdout.strip():
            print("not ok - rescan/diff: scan rc %d, diff rc %d, changes:\n%s%s" % (
                r2.returncode, diff.returncode, diff.stdout, diff.stderr))
            failures += 1
        else:
            print("ok - a second scan has no changes against the first")
        failures += time_travel_diff(env, db, base)
        failures += work_limits(env, work, base)
        failures += no_silent_caps(env, got, db)
        bad = [d for d, rec in stored.items() if schema_problems(rec)]
        if bad:
            print("not ok - export lines off the cli.md schema: %s" % [
                (d, schema_problems(stored[d])) for d in bad[:3]])
            failures += 1
        else:
            print("ok - every exported line follows the cli.md JSON schema")
        if can_check:
            failures += resolver_mode(env, rows, db, base)
        failures += servers_all(env, got, base, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = len(rows) * (3 if can_check else 2) + 8 + len(MANY)
    print("%d passed, %d failed" % (total - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
