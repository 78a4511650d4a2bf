"""README's analytics one-liners, run as written on a lab scan: `export --format jsonl` and
`--format csv` to verdicts.jsonl and verdicts.csv, then each pandas line of the README block
(python3-pandas, installed by scripts/deps) prints the domains per status, which must equal the
export's; the CSV has the documented columns. The DuckDB lines run only where the duckdb Python
module is importable (Debian 12 does not package DuckDB): otherwise the test says it skipped
them."""
import ast
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from lab_common import lab_env, Checks, small_lab_domains, lab_scan_args

DNSSWEEP = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CSV_COLUMNS = ("scan,scanned_at,mode,domain,status,reasons,fix,parent_zone,ds,dnskey_algorithms,"
               "rrsig_earliest_expiration")


def readme_lines():
    text = open(os.path.join(ROOT, "README.md")).read()
    block = text.split("<!-- analytics one-liners:", 1)[1].split("```sh\n", 1)[1].split("```")[0]
    return [l for l in block.splitlines() if l.strip()]


def python_with(module):
    """An interpreter that imports module: this one, or Debian's (python3-pandas lives in the
    system interpreter's path, which a pyenv or venv interpreter does not search)."""
    for exe in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(exe) and subprocess.run([exe, "-c", "import " + module],
                                                  capture_output=True, timeout=60).returncode == 0:
            return exe
    return None


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-export-pandas-")
    check = Checks()
    try:
        domains = small_lab_domains(env, work)
        db = os.path.join(work, "db")
        r = subprocess.run([DNSSWEEP, "scan", "--db", db, "--scan", "a1"] + lab_scan_args(env) +
                           [domains], capture_output=True, text=True, timeout=200)
        check(r.returncode == 0, "lab scan exits 0")
        if r.returncode != 0:
            print("# " + r.stderr.strip()[-600:].replace("\n", "\n# "))
            return 1
        for fmt, name in (("jsonl", "verdicts.jsonl"), ("csv", "verdicts.csv")):
            e = subprocess.run([DNSSWEEP, "export", "--db", db, "--format", fmt, "-o",
                                os.path.join(work, name)], capture_output=True, text=True,
                               timeout=60)
            check(e.returncode == 0, "export --format %s -o %s" % (fmt, name))
        recs = [json.loads(l) for l in open(os.path.join(work, "verdicts.jsonl"))]
        want = collections.Counter(x["status"] for x in recs)
        check(len(recs) == len(open(domains).read().split()) and len(want) >= 3,
              "%d domains exported, %d statuses" % (len(recs), len(want)))
        check(open(os.path.join(work, "verdicts.csv")).readline().strip() == CSV_COLUMNS,
              "the CSV header has the documented columns")

        lines = readme_lines()
        pandas_lines = [l for l in lines if l.startswith("python3 -c ") and "pandas" in l]
        duckdb_lines = [l for l in lines if l.startswith("duckdb -c ")]
        check(len(pandas_lines) == 2 and len(duckdb_lines) == 2,
              "README block: 2 pandas and 2 DuckDB one-liners")
        py = python_with("pandas")
        check(py is not None, "an interpreter with pandas (python3-pandas): %s" % py)
        for line in pandas_lines:
            code = re.match(r"^python3 -c '(.*)'$", line).group(1)
            out = subprocess.run([py, "-c", code], cwd=work, capture_output=True, text=True,
                                 timeout=120)
            got = {m.group(1): int(m.group(2)) for m in
                   re.finditer(r"^([a-z]+)\s+(\d+)$", out.stdout, re.M)}
            check(out.returncode == 0 and got == dict(want),
                  "%s: per status %s (export %s)%s" % (
                      "jsonl" if "jsonl" in line else "csv", got, dict(want),
                      "" if out.returncode == 0 else " " + out.stderr.strip()[-300:]))
        duck = python_with("duckdb")
        if not duck:
            print("# skip the DuckDB lines: no duckdb module (not packaged in Debian 12)")
        for line in duckdb_lines if duck else []:
            sql = re.match(r'^duckdb -c "(.*)"$', line).group(1)
            out = subprocess.run([duck, "-c", "import duckdb,sys; print(dict(duckdb.sql(sys.argv"
                                  "[1]).fetchall()))", sql], cwd=work, capture_output=True,
                                 text=True, timeout=120)
            got = ast.literal_eval(out.stdout.strip()) if out.returncode == 0 else None
            check(got == dict(want), "DuckDB: %s -> %s" % (sql, got))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
