"""diff sees a DS rollover (keys_changed) on the lab, deterministically: two nights of
`scan --zone-file` over a small copy of the lab's `test.` zone, re-signed with the lab's own
`test.` keys (ldns-signzone, NSEC3 as the lab signs it). Night 2 pre-publishes a SHA-384 DS of
sec13.test's KSK next to the SHA-256 one (a digest-type rollover: still secure), leaves
sec14.test alone, and replaces sec15.test's DS by one of a key the child does not have. diff
must say keys_changed for sec13.test with both DS sets on its JSON line, unchanged for
sec14.test, became_bogus for sec15.test (the status change wins), and --fail-on-regression
exits 3 for sec15.test alone: with sec15.test left alone it exits 0 (a rollover is no
regression). The report compared with night 1 lists the rollover."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import lab_env, Checks, lab_scan_args

DNSSWEEP = sys.argv[1]
DOMAINS = ("sec13.test", "sec14.test", "sec15.test")


def run(args, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def ds_of(keydir, digest):
    """The DS of the KSK in keydir with digest type 2 (SHA-256) or 4 (SHA-384), as ldns-key2ds
    writes it: (key_tag, algorithm, digest_type, digest), and its zone-file line."""
    key = glob.glob(os.path.join(keydir, "ksk", "K*.key"))[0]
    out = subprocess.run(["ldns-key2ds", "-n", "-%d" % digest, key], capture_output=True,
                         text=True, check=True).stdout.split()
    # owner ttl IN DS tag alg type digest (ldns-key2ds -n prints to stdout)
    i = out.index("DS")
    return (int(out[i + 1]), int(out[i + 2]), int(out[i + 3]), out[i + 4].lower()), " ".join(out)


def small_test_zone(src):
    """The apex of the lab's unsigned test. zone, nic.test's glue, and the three delegations."""
    keep = []
    for line in open(src):
        owner = line.split(None, 1)[0] if line.strip() else ""
        if line.startswith("$") or owner == "test." or owner.endswith("nic.test.") or any(
                owner in (d + ".", "ns1." + d + ".") for d in DOMAINS):
            keep.append(line if line.endswith("\n") else line + "\n")
    return keep


def sign(lines, path, env, keys):
    with open(path, "w") as f:
        f.writelines(lines)
    now = int(env["LAB_NOW"])
    subprocess.run(["ldns-signzone", "-d", "-o", "test.", "-f", path + ".signed", "-i",
                    str(now - 3600), "-e", str(now + 30 * 86400), "-n", "-t", "0", path] + keys,
                   check=True, capture_output=True)
    return path + ".signed"


def main():
    env = lab_env()
    if not shutil.which("ldns-signzone") or not shutil.which("ldns-key2ds"):
        print("1..0 # SKIP ldns-signzone/ldns-key2ds not installed")
        sys.exit(77)
    lab = env["LAB_DIR"]
    keys = [k[:-4] for k in sorted(glob.glob(os.path.join(lab, "keys", "test", "*", "K*.key")))]
    work = tempfile.mkdtemp(prefix="dnssweep-diff-rollover-")
    check = Checks()
    try:
        base = small_test_zone(os.path.join(lab, "work", "test.main.zone"))
        ds13_sha256, _ = ds_of(os.path.join(lab, "keys", "sec13.test"), 2)
        ds13_sha384, line13 = ds_of(os.path.join(lab, "keys", "sec13.test"), 4)
        bad15 = "sec15.test.\t3600\tIN\tDS\t4242 15 2 " + "5a" * 32 + "\n"
        night2 = [l for l in base if not (l.startswith("sec15.test.") and "\tDS\t" in l)]
        night2 += [line13 + "\n", bad15]
        night2_calm = base + [line13 + "\n"]
        zones = {"night-1": base, "night-2": night2, "night-2b": night2_calm}
        db = os.path.join(work, "db")
        for name, lines in zones.items():
            signed = sign(lines, os.path.join(work, name + ".zone"), env, keys)
            r = run(["scan", "--db", db, "--scan", name, "--zone-file", signed] +
                    lab_scan_args(env))
            check(r.returncode == 0, "%s: scan --zone-file of the re-signed copy exits 0 (got %d)"
                  % (name, r.returncode))
            if r.returncode != 0:
                print("# " + r.stderr.strip()[-600:].replace("\n", "\n# "))

        d = run(["diff", "--db", db, "night-1", "night-2", "--format", "jsonl", "--all",
                 "--fail-on-regression"])
        lines = {}
        for l in d.stdout.splitlines():
            rec = json.loads(l)
            lines[rec["domain"]] = rec
        changes = {k: v["change"] for k, v in lines.items()}
        print("# changes: %s" % changes)
        check(changes == {"sec13.test": "keys_changed", "sec14.test": "unchanged",
                          "sec15.test": "became_bogus"},
              "diff: sec13.test keys_changed, sec14.test unchanged, sec15.test became_bogus")
        check(d.returncode == 3, "--fail-on-regression exits 3 for sec15.test (got %d)" %
              d.returncode)
        k = lines.get("sec13.test", {})
        old_ds = sorted((x["key_tag"], x["algorithm"], x["digest_type"], x["digest"].lower())
                        for x in (k.get("old") or {}).get("ds", []))
        new_ds = sorted((x["key_tag"], x["algorithm"], x["digest_type"], x["digest"].lower())
                        for x in (k.get("new") or {}).get("ds", []))
        check(old_ds == [ds13_sha256] and new_ds == sorted([ds13_sha256, ds13_sha384]),
              "keys_changed line: old DS %s, new DS %s (the SHA-384 DS added)" % (old_ds, new_ds))
        check(k.get("old", {}).get("status") == "secure" and
              k.get("new", {}).get("status") == "secure" and
              k["old"].get("dnskey") == k["new"].get("dnskey") and k["old"].get("dnskey"),
              "sec13.test secure on both nights, same DNSKEY set on both sides")

        calm = run(["diff", "--db", db, "night-1", "night-2b", "--fail-on-regression"])
        check(calm.returncode == 0 and "\n== keys_changed (1) ==\n  sec13.test  secure -> secure"
              in calm.stdout and "DS [%d/13/2] -> [" % ds13_sha256[0] in calm.stdout,
              "a rollover alone: text lists it with its DS sets, exit 0 (got %d)" %
              calm.returncode)
        if calm.returncode != 0 or "keys_changed (1)" not in calm.stdout:
            print("# " + calm.stdout.replace("\n", "\n# "))

        html = os.path.join(work, "report.html")
        r = run(["report", "--db", db, "--scan", "night-2b", "--diff-against", "night-1", "-o",
                 html])
        page = open(html).read() if r.returncode == 0 else ""
        check('<h2 id="rollovers">rollovers (1)</h2>' in page and
              '<tr class="keys-changed"><td>sec13.test</td>' in page,
              "report --diff-against lists the rollover (rc %d)" % r.returncode)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


sys.exit(main())
