#!/usr/bin/env python3
"""A second `lab up` on a healthy lab does nothing (same pids, fast); `lab env` evaluates in sh
and names files that exist."""
import json
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import lab_common as L  # noqa: E402


def pids(labdir):
    with open(os.path.join(labdir, "state.json")) as f:
        return sorted(p["pid"] for p in json.load(f)["procs"])


def main():
    env = L.lab_env()
    fails = 0

    def check(cond, msg):
        nonlocal fails
        print("%s - %s" % ("ok" if cond else "not ok", msg))
        fails += not cond

    before = pids(env["LAB_DIR"])
    t0 = time.monotonic()
    res = subprocess.run([L.LAB, "up"], capture_output=True, text=True, timeout=120)
    secs = time.monotonic() - t0
    check(res.returncode == 0, "second lab up exits 0 (%s)" % res.stderr.strip())
    check("nothing to do" in res.stderr, "second lab up does nothing")
    check(pids(env["LAB_DIR"]) == before, "same processes as before (%s)" % before)
    check(secs < 10, "second lab up took %.1f s" % secs)
    out = subprocess.run(["sh", "-c", 'eval "$(%s env)" && echo "$LAB_PORT $LAB_UNBOUND $LAB_NOW"' % L.LAB],
                         capture_output=True, text=True, timeout=30).stdout.split()
    check(out == [env["LAB_PORT"], env["LAB_UNBOUND"], env["LAB_NOW"]], "lab env evaluates in sh: %s" % out)
    for k in ("LAB_ROOT_HINTS", "LAB_TRUST_ANCHOR", "LAB_DOMAINS", "LAB_EXPECTED"):
        check(os.path.getsize(env[k]) > 0, "%s %s exists" % (k, env[k]))
    with open(env["LAB_DOMAINS"]) as f:
        domains = f.read().split()
    rows = L.expected(env["LAB_EXPECTED"])
    check([r["domain"] for r in rows] == domains, "domains file and expected file list the same %d domains" % len(domains))
    statuses = {"secure", "insecure", "bogus", "indeterminate", "lame", "nxdomain"}
    check(all(r["status"] in statuses for r in rows), "every expected status is a verdicts.md status")
    # Reason names must be those of the repo's code table (verify/codes.h, from verdicts.md).
    header = os.path.join(os.path.dirname(os.path.dirname(L.HERE)), "verify", "codes.h")
    with open(header) as f:
        known = set(re.findall(r"^\s*X\(([A-Z0-9_]+),", f.read(), re.M))
    used = {c for r in rows if r["reasons"] != "-" for c in r["reasons"].split(",")}
    check(len(known) > 30 and used <= known, "every expected reason code is in verify/codes.h (unknown: %s)"
          % sorted(used - known))
    check(all(r["reasons"] == "-" or r["reasons"].split(",") == sorted(r["reasons"].split(",")) for r in rows),
          "reason lists are sorted")
    check(all(r["unbound"] in ("secure", "insecure", "servfail", "nxdomain", "-") for r in rows),
          "unbound column values are secure/insecure/servfail/nxdomain/-")
    print("# %d reason codes of %d covered; not covered: %s" % (len(used), len(known), sorted(known - used)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
