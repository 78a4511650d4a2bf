"""dnssweep scan --zone-file on the lab's own TLD zone files (what its NSD serves): every
delegation is scanned, and each domain's status and reason codes equal those of the wire-based
scan of the same domains (and the lab's expected file where it lists them). Covers a signed
NSEC3 parent (test: DS from the file, the proof of no DS from the wire), a signed NSEC parent
(example: everything from the file), an unsigned parent (unsig), and a gzip-compressed file.
A malformed record in a copy of the file is reported with its line number and skipped; the file
split in two by $INCLUDE scans the same; $GENERATE is reported with its file and line."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import expected, lab_env, Checks, lab_scan_args

DNSSWEEP = sys.argv[1]


def run(args, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def verdicts(path):
    got = {}
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            parent = rec["parent"] or {}
            ds_broken = any(x["rrset"].lower().endswith("/ds") and x["severity"] == "error"
                            for x in rec["reasons"])
            got[rec["domain"]] = (rec["status"], sorted(set(x["code"] for x in rec["reasons"])),
                                  parent.get("ds_source"), ds_broken)
    return got


def main():
    env = lab_env()
    want = {r["domain"]: (r["status"], sorted(set(r["reasons"].split(",")))
                          if r["reasons"] != "-" else []) for r in expected(env["LAB_EXPECTED"])}
    work = tempfile.mkdtemp(prefix="dnssweep-scan-zonefile-")
    base = lab_scan_args(env)
    check = Checks()

    try:
        tld_dir = os.path.join(env["LAB_DIR"], "nsd-tld")
        zgz = os.path.join(work, "test.zone.gz")
        with open(os.path.join(tld_dir, "test.zone"), "rb") as src, gzip.open(zgz, "wb") as dst:
            shutil.copyfileobj(src, dst)
        cases = [("test", os.path.join(tld_dir, "test.zone")), ("example",
                 os.path.join(tld_dir, "example.zone")), ("unsig",
                 os.path.join(tld_dir, "unsig.zone")), ("test-gz", zgz)]
        for name, path in cases:
            db = os.path.join(work, name + ".db")
            zout = os.path.join(work, name + ".zone.jsonl")
            r = run(["scan", "--db", db, "--scan", "zone", "-o", zout, "--zone-file", path] + base)
            print(r.stderr)
            check(r.returncode == 0, "%s: scan --zone-file exits 0 (got %d)" % (name, r.returncode))
            if r.returncode != 0:
                continue
            zone = verdicts(zout)
            names = os.path.join(work, name + ".txt")
            with open(names, "w") as f:
                f.write("".join(d + "\n" for d in zone))
            wout = os.path.join(work, name + ".wire.jsonl")
            r = run(["scan", "--db", db, "--scan", "wire", "-o", wout] + base + [names])
            check(r.returncode == 0, "%s: wire scan of the same %d domains exits 0" % (
                name, len(zone)))
            wire = verdicts(wout)
            check(len(zone) > 0 and set(zone) == set(wire), "%s: %d delegations scanned" % (
                name, len(zone)))
            for d in sorted(zone):
                same = d in wire and zone[d][:2] == wire[d][:2]
                if not same:
                    check(False, "%s: %s from the file %s, from the wire %s" % (
                        name, d, zone[d], wire.get(d)))
                elif d in want and want[d] != zone[d][:2]:
                    check(False, "%s: %s %s, the lab expects %s" % (name, d, zone[d], want[d]))
            check(all(d in wire and zone[d][:2] == wire[d][:2] for d in zone),
                  "%s: every domain's status and reason codes equal the wire-based scan" % name)
            check(all(v[2] is None for v in wire.values()),
                  "%s: the wire scan never says ds_source" % name)
            from_file = sum(1 for v in zone.values() if v[2] == "zone-file")
            if name == "test" or name == "test-gz":
                # Every DS the file holds with a valid signature is taken from it; the wire is
                # asked for the NSEC3 no-DS proofs (insecure), for the lame domains (no DS
                # in the lab) and where the file's DS signature fails (a reason on <d>/DS).
                not_from_file = sorted(d for d, v in zone.items()
                                       if v[0] not in ("insecure", "lame") and not v[3]
                                       and v[2] != "zone-file")
                check(not not_from_file and 0 < from_file < len(zone),
                      "%s: DS from the file for %d of %d (NSEC3 parent: no-DS proofs from the "
                      "wire); signed, judged, yet not from the file: %s" % (
                          name, from_file, len(zone), " ".join(not_from_file) or "none"))
            else:
                check(from_file == len(zone), "%s: DS from the file for all %d" % (
                    name, len(zone)))
            one = sorted(d for d in zone if zone[d][2] == "zone-file")[:1]
            if one:
                r = run(["show", "--db", db, "--scan", "zone", one[0]])
                check(r.returncode == 0 and "taken from the zone file" in r.stdout,
                      "%s: show %s says the DS side came from the zone file" % (name, one[0]))

        # --shard with --zone-file: the delegations are split, each exactly once.
        seen = []
        for k in (1, 2):
            out = os.path.join(work, "shard%d.jsonl" % k)
            r = run(["scan", "--db", os.path.join(work, "shard%d.db" % k), "--shard",
                     "%d/2" % k, "-o", out, "--zone-file", cases[0][1]] + base)
            seen.append(set(verdicts(out)) if r.returncode == 0 else set())
        whole = verdicts(os.path.join(work, "test.zone.jsonl"))
        check(seen[0] and seen[1] and not (seen[0] & seen[1]) and
              seen[0] | seen[1] == set(whole),
              "--shard 1/2 and 2/2 of the zone file: %d + %d of %d delegations, disjoint" % (
                  len(seen[0]), len(seen[1]), len(whole)))

        # A malformed record: reported with its line number, the rest scanned.
        bad = os.path.join(work, "bad.zone")
        with open(os.path.join(tld_dir, "example.zone")) as f:
            lines = f.read().splitlines()
        lines.insert(3, "broken.example. 3600 IN NS")
        with open(bad, "w") as f:
            f.write("\n".join(lines) + "\n")
        r = run(["scan", "--db", os.path.join(work, "bad.db"), "--zone-file", bad] + base)
        check(r.returncode == 0 and "bad.zone:4: skipped: NS needs one name" in r.stderr,
              "a malformed record is reported with its line (rc %d)" % r.returncode)
        r = run(["scan", "--db", os.path.join(work, "strict.db"), "--strict", "--zone-file",
                 bad] + base)
        check(r.returncode == 2 and "bad.zone:4: NS needs one name" in r.stderr,
              "--strict refuses the file before sending (rc %d)" % r.returncode)
        # $INCLUDE: the zone split in two files, the second named relative to the first (the
        # scan runs elsewhere), scans the same delegations with the same verdicts.
        split = os.path.join(work, "split")
        os.makedirs(split)
        with open(os.path.join(split, "rest.zone"), "w") as f:
            f.write("\n".join(lines[8:]) + "\n")
        with open(os.path.join(split, "main.zone"), "w") as f:
            f.write("\n".join(lines[:8] + ["$INCLUDE rest.zone"]) + "\n")
        out = os.path.join(work, "split.jsonl")
        r = run(["scan", "--db", os.path.join(work, "split.db"), "-o", out, "--zone-file",
                 os.path.join(split, "main.zone")] + base)
        whole = {d: v[:2] for d, v in verdicts(os.path.join(work, "example.zone.jsonl")).items()}
        got = {d: v[:2] for d, v in verdicts(out).items()} if r.returncode == 0 else {}
        check(r.returncode == 0 and whole and got == whole,
              "$INCLUDE: the split file gives the same %d delegations and verdicts as the whole "
              "(rc %d, %d delegations)" % (len(whole), r.returncode, len(got)))
        # $GENERATE is not read: reported with the file and line (--strict: nothing sent).
        gen = os.path.join(work, "gen.zone")
        with open(gen, "w") as f:
            f.write("\n".join(lines[:3] + ["$GENERATE 1-3 g$ NS ns.g$.example."] + lines[3:]) +
                    "\n")
        r = run(["scan", "--db", os.path.join(work, "gen.db"), "--strict", "--zone-file", gen] +
                base)
        check(r.returncode == 2 and
              "gen.zone:4: directive $GENERATE is not supported; the line is skipped" in r.stderr,
              "$GENERATE: reported with file and line, --strict refuses (rc %d)" % r.returncode)
        r = run(["scan", "--db", os.path.join(work, "both.db"), "--zone-file", bad] + base +
                [env["LAB_DOMAINS"]])
        check(r.returncode == 2, "--zone-file and an input file together: usage error")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
