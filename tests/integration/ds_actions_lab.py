"""ds-actions on the lab: three scans of the lab's CDS domains, then `dnssweep ds-actions
--stable 3` after each. After one and two scans nothing is authorised (the candidates are
refused CDS_PENDING, stable in 1 and 2 scans); after three exactly the authorised actions are
listed: replace for the KSK rollover on two servers (cds-roll.test, whose DS is checked against
ldns-key2ds on the new key's file) and for manykeys.test, remove for the RFC 8078 delete records
(cds-delete.test on two servers, cdsdelete.test), add for the RFC 9615 bootstrap whose signals
are signed in the NS names' zone (cds-boot.test; refused when that zone is unsigned,
cds-bootu.test), and every other CDS domain is refused with
its reason, server and key tag: the lagging secondary (cds-lagging.test: inconsistent, its
second server named), CDS signed by a key no DS authenticates (cds-badsig.test, cdszsk.test),
CDS that would orphan the zone (cds-orphan.test, cdspending.test), a server whose TCP answers
hold no CDS/CDNSKEY (cds-tcp.test). cds.test (CDS equal to the
DS) gets no line. The CSV form carries the same decisions."""
import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile

from lab_common import lab_env, lab_scan_args

DNSSWEEP = sys.argv[1]

AUTHORISED = {"cds-roll.test": "replace", "manykeys.test": "replace",
              "cds-delete.test": "remove", "cdsdelete.test": "remove", "cds-boot.test": "add"}
# domain -> (reason, server role ("ns1"/"ns2"), words the detail must hold, key whose tag is named)
REFUSED = {
    "cds-lagging.test": ("CDS_INVALID", "ns2", "inconsistent between servers", "ksk"),
    "cds-badsig.test": ("CDS_INVALID", "ns1", "not signed by a key the parent's DS set", "standby"),
    "cdszsk.test": ("CDS_INVALID", "ns1", "not signed by a key the parent's DS set", "ksk"),
    "cds-orphan.test": ("CDS_INVALID", "ns1", "would break the domain", "standby"),
    "cdspending.test": ("CDS_INVALID", "ns1", "would break the domain", "standby"),
    "cds-bootu.test": ("CDS_INVALID", "ns1.cds-usignal.test", "not signed (insecure zone)", "ksk"),
    "cds-tcp.test": ("CDS_INVALID", "mangle8", "over TCP", "standby"),
}
NO_LINE = {"cds.test", "cds-signal.test", "cds-usignal.test"}
# where a refusal names an address; an RFC 9615 refusal names the NS whose signal fails
SERVER = {"ns1": "3.1", "ns2": "3.2", "mangle8": "5.8"}


class Checks:
    """TAP lines; on a failure also what was seen."""

    def __init__(self):
        self.run = self.failed = 0

    def check(self, cond, what, seen=None):
        self.run += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.run, what))
        if not cond:
            self.failed += 1
            if seen is not None:
                print("#   seen: %s" % (seen,))

    def done(self):
        print("1..%d" % self.run)
        return 1 if self.failed or self.run == 0 else 0


def run(args, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def key_file(env, domain, role):
    return glob.glob(os.path.join(env["LAB_DIR"], "keys", domain, role, "K*.key"))[0]


def key_tag(env, domain, role):
    return int(os.path.basename(key_file(env, domain, role)).rsplit("+", 1)[1].split(".")[0])


def ds_actions(db, *extra):
    r = run(["ds-actions", "--db", db] + list(extra))
    lines = [json.loads(l) for l in r.stdout.splitlines()] if r.returncode == 0 else []
    return r, {l["domain"]: l for l in lines}


def main():
    env = lab_env()
    c = Checks()
    net = env["LAB_NET"]
    domains = sorted(set(AUTHORISED) | set(REFUSED) | NO_LINE)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        names = os.path.join(tmp, "domains.txt")
        with open(names, "w") as f:
            f.write("\n".join(domains) + "\n")
        for n in (1, 2, 3):
            r = run(["scan", "--db", db, "--scan", "s%d" % n] + lab_scan_args(env) + [names])
            c.check(r.returncode == 0, "scan s%d of %d CDS domains exits 0" % (n, len(domains)),
                    r.stderr[-500:])
            r, got = ds_actions(db, "--stable", "3")
            c.check(r.returncode == 0, "ds-actions --stable 3 after %d scan(s) exits 0" % n,
                    r.stderr[-500:])
            authorised = {d: l["action"] for d, l in got.items() if l["action"] != "refused"}
            if n < 3:
                c.check(authorised == {}, "after %d scan(s) nothing is authorised" % n,
                        "got %s" % authorised)
                for d in AUTHORISED:
                    l = got.get(d, {})
                    c.check(l.get("action") == "refused" and l.get("reason") == "CDS_PENDING"
                            and len(l.get("stable_in", [])) == n,
                            "%s: refused CDS_PENDING, stable in %d scan(s)" % (d, n),
                            json.dumps(l)[:300])
        c.check(authorised == AUTHORISED, "after 3 scans exactly the authorised actions: %s"
                % ", ".join("%s %s" % (d, a) for d, a in sorted(AUTHORISED.items())),
                "got %s" % authorised)
        for d in AUTHORISED:
            c.check(got.get(d, {}).get("stable_in") == ["s1", "s2", "s3"],
                    "%s stable in s1, s2, s3" % d, json.dumps(got.get(d))[:200])
        for d, (reason, role, words, key) in sorted(REFUSED.items()):
            l = got.get(d, {})
            server = "%s.%s" % (net, SERVER[role]) if role in SERVER else role
            tag = key_tag(env, d, key)
            c.check(l.get("action") == "refused" and l.get("reason") == reason
                    and l.get("server") == server and words in (l.get("detail") or "")
                    and l.get("key_tag") == tag,
                    "%s refused %s, server %s, key tag %d (%s)" % (d, reason, server, tag, words),
                    json.dumps(l)[:400])
        for d in NO_LINE:
            c.check(d not in got, "%s (CDS equal to the DS): no line" % d)
        c.check(set(got) == set(AUTHORISED) | set(REFUSED), "no other domain has a line",
                sorted(set(got) - set(AUTHORISED) - set(REFUSED)))

        # The DS to publish for the rollover is the new KSK's, as ldns-key2ds computes it.
        out = subprocess.run(["ldns-key2ds", "-n", "-2", key_file(env, "cds-roll.test", "standby")],
                             capture_output=True, text=True, check=True).stdout.split()
        i = out.index("DS")
        want = "cds-roll.test. 3600 IN DS %s %s %s %s" % (out[i + 1], out[i + 2], out[i + 3],
                                                          out[i + 4].lower())
        roll = got.get("cds-roll.test", {})
        c.check([x.lower() for x in roll.get("ds", [])] == [want.lower()],
                "cds-roll.test: the DS RRset to publish is the new KSK's (%s)" % want,
                roll.get("ds"))
        c.check(len(roll.get("dnskey", [])) == 1 and " 257 3 13 " in roll["dnskey"][0],
                "cds-roll.test: the CDNSKEY as the key to publish (EPP keyData)",
                roll.get("dnskey"))
        c.check(roll.get("evidence", {}).get("servers") == ["%s.3.1" % net, "%s.3.2" % net],
                "cds-roll.test: evidence names both servers", roll.get("evidence"))
        c.check(roll.get("evidence", {}).get("signer_key_tags") == [key_tag(env, "cds-roll.test", "ksk")],
                "cds-roll.test: CDS signed by the old KSK, the one the DS authenticates",
                roll.get("evidence"))
        # RFC 9615: the first DS of cds-boot.test is its KSK's, vouched for in both NS names' zone.
        out = subprocess.run(["ldns-key2ds", "-n", "-2", key_file(env, "cds-boot.test", "ksk")],
                             capture_output=True, text=True, check=True).stdout.split()
        i = out.index("DS")
        want = "cds-boot.test. 3600 IN DS %s %s %s %s" % (out[i + 1], out[i + 2], out[i + 3],
                                                          out[i + 4].lower())
        boot = got.get("cds-boot.test", {})
        c.check([x.lower() for x in boot.get("ds", [])] == [want.lower()],
                "cds-boot.test: add the DS of its KSK (%s)" % want, boot.get("ds"))
        c.check(boot.get("evidence", {}).get("signals") == ["ns1.cds-signal.test", "ns2.cds-signal.test"],
                "cds-boot.test: validated signals in the zone of both NS names", boot.get("evidence"))
        rm = got.get("cds-delete.test", {})
        c.check(rm.get("ds") == [] and rm.get("dnskey") == [],
                "cds-delete.test: remove publishes no DS", json.dumps(rm)[:200])

        # --scan s2 --stable 2 decides as of s2: the same actions, stable in s1 and s2.
        r, got2 = ds_actions(db, "--scan", "s2", "--stable", "2")
        auth2 = {d: l["action"] for d, l in got2.items() if l["action"] != "refused"}
        c.check(auth2 == AUTHORISED and all(got2[d]["stable_in"] == ["s1", "s2"] for d in auth2),
                "--scan s2 --stable 2: the same actions, stable in s1 and s2", auth2)

        # CSV: the same decisions, one row each, under the documented header.
        r = run(["ds-actions", "--db", db, "--format", "csv"])
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        c.check(r.returncode == 0 and r.stdout.startswith(
            "domain,action,scan,ds,dnskey,stable_in,servers,key_tags,signer_key_tags,signals,"
            "reason,server,key_tag,detail\n"), "csv: exit 0 and the header", r.stderr[-300:])
        c.check({x["domain"]: x["action"] for x in rows} == {d: l["action"] for d, l in got.items()},
                "csv: the same action for every domain as jsonl")
        c.check(all(x["reason"] == got[x["domain"]].get("reason", "") for x in rows),
                "csv: the same reasons as jsonl")

        r = run(["ds-actions", "--db", db, "--stable", "0"])
        c.check(r.returncode == 2, "--stable 0 is a usage error (exit 2)", r.returncode)
        r = run(["ds-actions", "--db", db, "--scan", "nosuch"])
        c.check(r.returncode == 2, "an unknown --scan is exit 2", r.returncode)
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
