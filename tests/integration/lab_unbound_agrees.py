#!/usr/bin/env python3
"""For every lab domain, ask the lab's validating Unbound `domain SOA +dnssec` and compare with
the expected file's unbound column (plus the catalogue's extra checks, e.g. CAA or A).
Catalogue domains are asked with dig (EDE shown); generated bulk domains, which can be tens of
thousands, with the lab's own small UDP client (rcode + AD bit) to stay fast."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import time
from concurrent.futures import ThreadPoolExecutor

import lab_common as L
import catalog
import dnsq


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
    small = {c.domain for c in catalog.cases()}
    for row in L.expected(env["LAB_EXPECTED"]):
        checks.append((row["domain"], "SOA", row["unbound"], row["note"]))
    for case in catalog.cases():
        for check in case.checks:  # (qtype, want) at the domain, or (label, qtype, want) below it
            label, qtype, want = check if len(check) == 3 else (None, *check)
            checks.append(("%s.%s" % (label, case.domain) if label else case.domain, qtype, want, case.note))

    def ask(check):
        domain, qtype, want, note = check
        t0 = time.monotonic()
        if domain not in small and not any(domain.endswith("." + d) for d in small):
            r = dnsq.query(env["LAB_UNBOUND"], port, domain, qtype, timeout=15, dnssec=True, rd=True)
            got = "timeout" if r is None else classify(
                {0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN"}.get(r[0], "rcode%d" % r[0]),
                ["ad"] if r[1] & 0x20 else [])
            return check, got, time.monotonic() - t0, ""
        status, flags, _, _, ede = L.dig(env["LAB_UNBOUND"], port, domain, qtype, "+dnssec", timeout=15)
        return check, classify(status, flags), time.monotonic() - t0, ede

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(ask, checks))
    bad = 0
    quiet = len(results) > 500  # bulk: print mismatches only, plus the summary
    for (domain, qtype, want, note), got, secs, ede in results:
        ok = want == "-" or want == got
        bad += not ok
        if quiet and ok:
            continue
        print("%-4s %-26s %-6s expected %-9s unbound %-9s %4.1fs %s%s" % (
            "ok" if ok else "FAIL", domain, qtype, want, got, secs, ede,
            "" if ok else "   # " + note))
    print("# %d checks, %d mismatches, %.1f s" % (len(results), bad, time.monotonic() - t0))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
