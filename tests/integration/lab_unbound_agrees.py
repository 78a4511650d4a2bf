#!/usr/bin/env python3
"""For every lab domain, ask the lab's validating Unbound `domain SOA +dnssec` and compare with
the expected file's unbound column (plus the catalogue's extra checks, e.g. CAA or A)."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import time
from concurrent.futures import ThreadPoolExecutor

import lab_common as L
import catalog


def classify(status, flags):
    if status == "NOERROR":
        return "secure" if "ad" in flags else "insecure"
    return {"SERVFAIL": "servfail", "NXDOMAIN": "nxdomain"}.get(status, status.lower())


def main():
    env = L.lab_env()
    port = int(env["LAB_PORT"])
    if port != 53:
        print("# SKIP: Unbound follows referrals to port 53 only; the lab runs on port %d" % port)
        return L.SKIP
    checks = []
    for row in L.expected(env["LAB_EXPECTED"]):
        checks.append((row["domain"], "SOA", row["unbound"], row["note"]))
    for case in catalog.cases():
        for qtype, want in case.checks:
            checks.append((case.domain, qtype, want, case.note))

    def ask(check):
        domain, qtype, want, note = check
        t0 = time.monotonic()
        status, flags, _, _, ede = L.dig(env["LAB_UNBOUND"], port, domain, qtype, "+dnssec", timeout=15)
        return check, classify(status, flags), time.monotonic() - t0, ede

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(ask, checks))
    bad = 0
    for (domain, qtype, want, note), got, secs, ede in results:
        ok = want == "-" or want == got
        bad += not ok
        print("%-4s %-26s %-6s expected %-9s unbound %-9s %4.1fs %s%s" % (
            "ok" if ok else "FAIL", domain, qtype, want, got, secs, ede,
            "" if ok else "   # " + note))
    print("# %d checks, %d mismatches, %.1f s" % (len(results), bad, time.monotonic() - t0))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
