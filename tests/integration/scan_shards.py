"""Sharded scanning as the contrib recipes run it: the lab's domains scanned as 4 shards by 4
parallel `contrib/shard-scan.sh K 4 NAME DIR/shard-K INPUT` processes (`dnssweep scan --shard
K/4 --scan NAME --db DIR/shard-K`, the command of contrib/kubernetes, contrib/slurm and
contrib/parallel), merged with `dnssweep merge`; the
merged store equals a single-process scan's, domain by domain (export jsonl: status and reason
codes), every domain is in exactly one shard, and merge refuses shards of different scans,
overlapping shards and a different shard count."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lab_common import lab_env, Checks, lab_scan_args

DNSSWEEP = sys.argv[1]
N = 4
# The per-shard command of contrib/kubernetes, contrib/slurm and contrib/parallel.
SHARD_SCAN = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "contrib", "shard-scan.sh")


def run(args, timeout=300):
    return subprocess.run([DNSSWEEP] + args, capture_output=True, text=True, timeout=timeout)


def export(db, scan):
    r = run(["export", "--db", db, "--scan", scan, "--format", "jsonl"])
    if r.returncode != 0:
        return None
    out = {}
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        out[rec["domain"]] = (rec["status"], sorted(x["code"] for x in rec["reasons"]))
    return out


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-scan-shards-")
    base = lab_scan_args(env)
    check = Checks()

    procs = []
    try:
        single = os.path.join(work, "single")
        r = run(["scan", "--db", single, "--scan", "lab"] + base + [env["LAB_DOMAINS"]])
        check(r.returncode == 0, "single-process scan exits 0")

        shard_dirs = [os.path.join(work, "shard-%d" % k) for k in range(1, N + 1)]
        for k in range(1, N + 1):
            cmd = [SHARD_SCAN, str(k), str(N), "lab", shard_dirs[k - 1],
                   env["LAB_DOMAINS"]] + base
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, text=True,
                                          env=dict(os.environ, DNSSWEEP=DNSSWEEP)))
        for k, p in enumerate(procs, 1):
            _, err = p.communicate(timeout=300)
            check(p.returncode == 0, "shard %d/%d exits 0 (%d)%s" % (
                k, N, p.returncode, "" if p.returncode == 0 else "\n" + err))
        procs = []

        parts = [export(d, "lab") or {} for d in shard_dirs]
        seen = {}
        for k, part in enumerate(parts, 1):
            for d in part:
                seen.setdefault(d, []).append(k)
        check(all(len(v) == 1 for v in seen.values()),
              "every domain is in exactly one shard (sizes %s)" % [len(p) for p in parts])

        merged = os.path.join(work, "merged")
        r = run(["merge", "--db", merged] + shard_dirs)
        check(r.returncode == 0, "merge of the 4 shards exits 0 (%d) %s" % (r.returncode,
                                                                           r.stderr.strip()))
        a, b = export(single, "lab"), export(merged, "lab")
        check(a is not None and b is not None and len(a) > 0, "both stores export")
        if a is not None and b is not None:
            check(set(a) == set(b), "same %d domains (merged has %d)" % (len(a), len(b)))
            diffs = [d for d in a if d in b and a[d] != b[d]]
            for d in diffs:
                print("#   %s: single %s, merged %s" % (d, a[d], b[d]))
            check(not diffs, "every domain's status and reason codes are equal")
        scans = run(["scans", "--db", merged])
        check(scans.returncode == 0 and "lab" in scans.stdout, "the merged scan is listed")

        r = subprocess.run([SHARD_SCAN, "1", str(N), "lab", shard_dirs[0], env["LAB_DOMAINS"]] +
                           base, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, DNSSWEEP=DNSSWEEP))
        check(r.returncode == 0 and "already finished" in r.stderr,
              "a finished shard run again by the scheduler exits 0 and changes nothing")

        # Re-merging a shard changes nothing; refusals leave the store as it is.
        r = run(["merge", "--db", merged, shard_dirs[0]])
        check(r.returncode == 0, "merging shard 1 again is accepted")
        other = os.path.join(work, "other-run")
        r = run(["scan", "--shard", "1/4", "--scan", "lab", "--db", other] + base +
                [env["LAB_DOMAINS"]])
        # (The shards above ran for seconds: this run of shard 1 starts in a later second.)
        check(r.returncode == 0, "another run of shard 1/4 exits 0")
        if r.returncode == 0:
            r = run(["merge", "--db", merged, other])
            check(r.returncode == 2 and "overlapping shards" in r.stderr,
                  "another run of shard 1/4 is refused as overlapping (%d): %s" % (
                      r.returncode, r.stderr.strip()))
        five = os.path.join(work, "five")
        run(["scan", "--shard", "1/5", "--scan", "lab", "--db", five] + base +
            [env["LAB_DOMAINS"]])
        r = run(["merge", "--db", merged, five])
        check(r.returncode == 2 and "shards of 4 and of 5" in r.stderr,
              "a shard of 5 into shards of 4 is refused (%d)" % r.returncode)
        renamed = os.path.join(work, "renamed")
        run(["scan", "--shard", "2/4", "--scan", "lab-other-name", "--db", renamed] + base +
            [env["LAB_DOMAINS"]])
        fresh = os.path.join(work, "fresh")
        r = run(["merge", "--db", fresh, shard_dirs[0], renamed])
        check(r.returncode == 2 and "different scans" in r.stderr,
              "shards of different scans are refused (%d): %s" % (r.returncode,
                                                                   r.stderr.strip()))
        b2 = export(merged, "lab")
        check(b2 == b, "refused merges changed nothing")
    finally:
        for p in procs:
            p.kill()
            p.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
