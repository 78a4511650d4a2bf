"""The order of discovery does not change verdicts: oob.test (whose only name server,
ns-oob.example, has no glue) is scanned first and alone (--concurrency 1), so the zone cache
meets the signed TLD `example` first on the address lookup of ns-oob.example, and only then
scans the .example domains. Every domain's status and reason codes must still equal the lab's
expected file. (Found under jitter by scan_hostile_net: the address lookup asked without DO, the
referral it cached for `example` had no DS, and every .example domain became indeterminate.)"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import Checks, expected, lab_env, lab_scan_args

DNSSWEEP = sys.argv[1]


def main():
    env = lab_env()
    rows = {r["domain"]: r for r in expected(env["LAB_EXPECTED"])}
    names = ["oob.test"] + sorted(d for d in rows if d.endswith(".example"))
    work = tempfile.mkdtemp(prefix="dnssweep-glueless-")
    check = Checks()
    try:
        inp = os.path.join(work, "domains.txt")
        with open(inp, "w") as f:
            f.write("".join(n + "\n" for n in names))
        r = subprocess.run([DNSSWEEP, "scan", "--db", os.path.join(work, "db"), "-o", "-",
                            "--concurrency", "1"] + lab_scan_args(env) + [inp],
                           capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, "scan exits 0 (got %d)" % r.returncode)
        got = {}
        for line in r.stdout.splitlines():
            rec = json.loads(line)
            got[rec["domain"]] = (rec["status"], sorted(set(x["code"] for x in rec["reasons"])))
        check(list(got) == names, "scanned in input order, one at a time: %s" % list(got))
        for d in names:
            want = (rows[d]["status"], sorted(set(rows[d]["reasons"].split(",")) - {"-"}))
            check(got.get(d) == want, "%-22s expected %s, got %s" % (d, want, got.get(d)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
