"""doc/verdicts.md and doc/cli.md stay in step with the code (no lab needed).

verdicts.md: every reason code of VERIFY_REASON_LIST (verify/codes.h) has its own section with
the severity and EDE the code table gives it, a meaning, the fix hint exactly as verify/codes.h
stores it and an example, and a row in the summary table with the same severity and EDE; no
section or row names a code the table does not have; every status of verify/codes.c is in the
status table; every work limit of `dnssweep scan --help` is in the limits table with its default.
cli.md: every command has its synopsis, every long option of every command's --help appears,
and the CSV header is the one results/json.c writes. No file of the repository points at the
project's shared spec folder, which users never see."""
import os
import re
import subprocess
import sys

DNSSWEEP = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMMANDS = ["scan", "export", "diff", "report", "show", "scans", "merge", "check", "prune",
            "ds-actions"]
SEVERITY = {"ERROR": "error", "WARNING": "warning", "INFO": "info"}


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def flat(text):
    """Whitespace collapsed: a phrase wrapped over two lines of markdown still matches."""
    return re.sub(r"\s+", " ", text)


def reason_list():
    """verify/codes.h, and its VERIFY_REASON_LIST macro."""
    header = read("verify", "codes.h")
    block = header[header.index("#define VERIFY_REASON_LIST"):]
    return header, block[:block.index("typedef enum verify_reason_code")]


def code_table():
    """[(name, severity, ede or None)] in VERIFY_REASON_LIST order, the EDE named in the list
    and numbered by the verify_ede enum."""
    header, block = reason_list()
    ede = {n: int(v) for n, v in re.findall(r"VERIFY_EDE_(\w+) = (-?\d+),", header)}
    rows = re.findall(r"X\((\w+),\s*(ERROR|WARNING|INFO),\s*(\w+),", block)
    return [(n, SEVERITY[s], None if ede[e] < 0 else ede[e]) for n, s, e in rows]


def fix_hints():
    """{code: fix hint} from VERIFY_REASON_LIST (verify/codes.h)."""
    _, block = reason_list()
    return dict(re.findall(r"X\((\w+),\s*\w+,\s*\w+,\s*\"((?:[^\"\\]|\\.)*)\"\)", block))


def status_names():
    src = read("verify", "codes.c")
    block = src[src.index("status_names[VERIFY_STATUS_COUNT]"):]
    block = block[:block.index("};")]
    return re.findall(r"\"(\w+)\"", block)


def sections(doc):
    """{code: section text} for the '### `CODE`' headings of the reason code part."""
    part = doc[doc.index("## Reason codes"):]
    out = {}
    for m in re.finditer(r"^### `(\w+)`\n(.*?)(?=^##)", part + "\n## end\n", re.M | re.S):
        out[m.group(1)] = m.group(2)
    return out


def long_options(text):
    return sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", text)))


def main():
    failures = 0

    def check(cond, what):
        nonlocal failures
        print("%s - %s" % ("ok" if cond else "not ok", what))
        if not cond:
            failures += 1

    verdicts = read("doc", "verdicts.md")
    cli = read("doc", "cli.md")
    table = code_table()
    hints = fix_hints()
    check(len(table) == 39, "VERIFY_REASON_LIST has %d codes (39 expected)" % len(table))
    check(sorted(hints) == sorted(n for n, _, _ in table),
          "verify/codes.h has a fix hint for every code (%d)" % len(hints))

    secs = sections(verdicts)
    rows = {m.group(1): (m.group(2), m.group(3)) for m in re.finditer(
        r"^\| `(\w+)` \| (error|warning|info) \| (\d+|none) \|", verdicts, re.M)}
    for name, sev, ede in table:
        ede_text = "none" if ede is None else str(ede)
        sec = secs.get(name)
        if sec is None:
            check(False, "%s has a section in doc/verdicts.md" % name)
            continue
        m = re.search(r"^- Severity: (error|warning|info) · EDE: (\d+|none)\b", sec, re.M)
        check(m is not None and m.groups() == (sev, ede_text),
              "%s: section says severity %s, EDE %s (doc: %s)" % (
                  name, sev, ede_text, m.groups() if m else "no Severity line"))
        check(all(re.search(r"^- %s:" % k, sec, re.M) for k in ("Meaning", "Fix hint", "Example")),
              "%s: section has a meaning, a fix hint and an example" % name)
        check(re.search(r"^- Fix of a record led by this code", sec, re.M) is not None and
              not re.search(r"restart/fix|fix the signer|\bnew key\b|\bin \d+ s\b|\b1 DS records\b",
                            sec),
              "%s: section shows the record's fix, without vague words" % name)
        check("`%s`" % flat(hints.get(name, "\0")) in flat(sec),
              "%s: fix hint as verify/codes.h stores it (%r)" % (name, hints.get(name)))
        check(rows.get(name) == (sev, ede_text),
              "%s: summary table row says %s, EDE %s (doc: %s)" % (
                  name, sev, ede_text, rows.get(name)))
    names = {n for n, _, _ in table}
    extra = sorted((set(secs) | set(rows)) - names)
    check(not extra, "doc/verdicts.md names no code the table lacks %s" % (extra or ""))

    statuses = status_names()
    check(len(statuses) == 6, "verify/codes.c has 6 statuses")
    missing = [s for s in statuses if not re.search(r"^\| `%s` \|" % s, verdicts, re.M)]
    check(not missing, "every status is in the status table %s" % (missing or ""))

    scan_help = subprocess.run([DNSSWEEP, "scan", "--help"], capture_output=True, text=True,
                               timeout=30).stdout
    limits_text = flat(scan_help[scan_help.index("--limit NAME=N"):])
    limits_text = limits_text[:limits_text.index(" --", 3)]
    limits = re.findall(r"([a-z0-9-]+) \[(\d+)\]", limits_text)
    check(len(limits) >= 7, "scan --help lists %d work limits" % len(limits))
    limit_rows = {m.group(2): m.group(1).replace(",", "") for m in re.finditer(
        r"^\|[^|\n]*\| ([\d,]+) \| `([a-z0-9-]+)`", verdicts, re.M)}
    for name, default in limits:
        check(limit_rows.get(name) == default,
              "work limit %s: default %s in the limits table (doc: %s)" % (
                  name, default, limit_rows.get(name)))

    for cmd in COMMANDS:
        r = subprocess.run([DNSSWEEP, cmd, "--help"], capture_output=True, text=True, timeout=30)
        text = r.stdout + r.stderr
        check(r.returncode == 0 and ("dnssweep %s " % cmd) in cli,
              "%s: --help works and doc/cli.md has its synopsis" % cmd)
        opts = long_options(text)
        missing = [o for o in opts if not re.search(re.escape(o) + r"(?![a-z0-9-])", cli)]
        check(opts and not missing, "%s: all %d long options of its --help are in doc/cli.md %s" % (
            cmd, len(opts), missing or ""))

    # The header literal may be split over adjacent C string literals.
    header_call = re.search(r"results_csv_header\(results_buf_t \*b\)\s*\{\s*results_buf_str\(\s*b,((?:\s*\"[^\"]*\")+)\);",
                            read("results", "json.c"))
    header = header_call and re.fullmatch(r"([a-z_,]+)\\n", "".join(
        re.findall(r"\"([^\"]*)\"", header_call.group(1))))
    check(header is not None and ("\n%s\n" % header.group(1)) in cli,
          "doc/cli.md shows the CSV header results/json.c writes (%s)" % (
              header.group(1) if header else "not found"))

    pointers = []
    for base, dirs, files in os.walk(ROOT):
        rel = os.path.relpath(base, ROOT)
        dirs[:] = [d for d in dirs if not d.startswith(".") and
                   not (rel == "." and d in ("build", "shared"))]
        for f in files:
            if not f.endswith((".c", ".h", ".md", ".py", ".txt", ".sh", ".1", ".yaml", ".json")):
                continue
            path = os.path.join(base, f)
            try:
                text = open(path, encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue
            if re.search(r"shared/spec|spec/verdicts\.md|spec/cli\.md", text) and \
                    path != os.path.abspath(__file__):
                pointers.append(os.path.relpath(path, ROOT))
    check(not pointers, "no file points at the shared spec folder %s" % (pointers or ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
