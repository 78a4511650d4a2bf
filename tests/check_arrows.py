#!/usr/bin/env python3
"""Fails when a module uses another against the arrows of the architecture.

The modules are the library targets of the module folders' CMakeLists.txt; a source belongs to
the target that compiles it, a header to the target compiling the .c of the same name, else to
its folder's target. The arrows:

    scanner -> io, verify, results, codes      verify -> codes      results -> codes
    io -> nothing                              codes -> nothing
    and every module -> text (the bounded text buffer, a leaf)

A module includes its own headers and the public header of a module it points at, never
another module's internal headers, never tests/ or bench/; each module includes and links only
its own external libraries (results never sees ldns, verify never libuv...). Tests may include
anything except bench/ (bench/ may use what tests/ share, not the reverse). Prints TAP.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE_DIRS = ["text", "io", "verify", "results", "scanner"]

ARROWS = {
    "text": set(),
    "codes": {"text"},
    "verify": {"codes", "text"},
    "io": {"text"},
    "results": {"codes", "text"},
    "scanner": {"io", "verify", "results", "codes", "text"},
}
PUBLIC_HEADERS = {
    "text": {"text/text.h"},
    "codes": {"verify/codes.h"},
    "verify": {"verify/verify.h", "verify/denial.h", "verify/pool.h"},
    "io": {"io/io.h"},
    "results": {"results/results.h"},
}
# External libraries each module may include and link.
LIBRARIES = {
    "text": set(),
    "codes": set(),
    "verify": {"ldns", "openssl", "threads"},
    "io": {"libuv", "ldns"},
    "results": {"lmdb"},
    "scanner": {"libuv", "ldns", "idn2", "zlib"},
}
# How a system include and a CMake link item name an external library.
INCLUDE_LIBRARY = [("ldns/", "ldns"), ("openssl/", "openssl"), ("uv.h", "libuv"),
                   ("uv/", "libuv"), ("lmdb.h", "lmdb"), ("idn2.h", "idn2"), ("zlib.h", "zlib")]
LINK_LIBRARY = {"PkgConfig::LDNS": "ldns", "OpenSSL::Crypto": "openssl", "OpenSSL::SSL": "openssl",
                "Threads::Threads": "threads", "PkgConfig::LIBUV": "libuv",
                "PkgConfig::LMDB": "lmdb", "PkgConfig::IDN2": "idn2", "ZLIB::ZLIB": "zlib"}
LINK_NEUTRAL = {"dnssweep_options", "PUBLIC", "PRIVATE", "INTERFACE"}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

failures = []
checks = 0


def report(ok, what, problems):
    global checks
    checks += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", checks, what))
    for p in problems:
        print("#   " + p)
    if not ok:
        failures.append(what)


def cmake_calls(path, command):
    """(first argument, other arguments) of every command(...) call in a CMakeLists.txt."""
    text = re.sub(r"#[^\n]*", "", open(path).read())
    for m in re.finditer(r"\b%s\s*\(([^)]*)\)" % command, text):
        args = m.group(1).split()
        if args:
            yield args[0], args[1:]


def targets():
    """{target: module dir} and {source path: target} of the module libraries."""
    owner, sources = {}, {}
    for d in MODULE_DIRS:
        for name, args in cmake_calls(os.path.join(ROOT, d, "CMakeLists.txt"), "add_library"):
            owner[name] = d
            for a in args:
                if a.endswith(".c"):
                    sources[os.path.join(d, a)] = name
    return owner, sources


def module_of(path, sources):
    """The module (target) a file of a module folder belongs to; None outside the modules."""
    d = path.split("/")[0]
    if d not in MODULE_DIRS:
        return None
    if path.endswith(".c"):
        return sources.get(path, d)
    return sources.get(path[:-2] + ".c", d)


def includes(path):
    with open(os.path.join(ROOT, path), errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE_RE.match(line)
            if m:
                yield n, m.group(1), m.group(2)


def files_under(d):
    for base, _, names in os.walk(os.path.join(ROOT, d)):
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(base, name), ROOT)


def check_module_includes(sources):
    problems = {m: [] for m in ARROWS}
    counted = {m: 0 for m in ARROWS}
    for d in MODULE_DIRS:
        for path in sorted(files_under(d)):
            me = module_of(path, sources)
            if me is None or me not in ARROWS:
                continue
            for n, kind, name in includes(path):
                counted[me] += 1
                where = "%s:%d: #include %s" % (path, n, name)
                if kind == "<":
                    for prefix, lib in INCLUDE_LIBRARY:
                        if name.startswith(prefix) and lib not in LIBRARIES[me]:
                            problems[me].append("%s: %s may not use %s" % (where, me, lib))
                    continue
                if "/" not in name:
                    name = os.path.join(os.path.dirname(path), name)
                top = name.split("/")[0]
                if top not in MODULE_DIRS:
                    problems[me].append("%s: a module includes no header of %s/" % (where, top))
                    continue
                theirs = module_of(name, sources)
                if theirs == me:
                    continue
                if theirs not in ARROWS[me]:
                    problems[me].append("%s: no arrow %s -> %s" % (where, me, theirs))
                elif name not in PUBLIC_HEADERS.get(theirs, set()):
                    problems[me].append("%s: %s is internal to %s (public: %s)" %
                                        (where, name, theirs,
                                         ", ".join(sorted(PUBLIC_HEADERS[theirs]))))
    for m in ARROWS:
        report(not problems[m], "%s: %d includes, only its own headers, the public headers of %s "
               "and the libraries %s" % (m, counted[m], ", ".join(sorted(ARROWS[m])) or "no module",
                                         ", ".join(sorted(LIBRARIES[m])) or "none"), problems[m])


def check_links(owner):
    problems = {m: [] for m in ARROWS}
    seen = {m: [] for m in ARROWS}
    for d in MODULE_DIRS:
        cmake = os.path.join(d, "CMakeLists.txt")
        for target, items in cmake_calls(os.path.join(ROOT, cmake), "target_link_libraries"):
            if target not in ARROWS:
                continue  # executables (dnssweep) link what they run
            for item in items:
                if item in LINK_NEUTRAL:
                    continue
                seen[target].append(item)
                where = "%s: target_link_libraries(%s ... %s)" % (cmake, target, item)
                if item in owner:
                    if item != target and item not in ARROWS[target]:
                        problems[target].append("%s: no arrow %s -> %s" % (where, target, item))
                elif item in LINK_LIBRARY:
                    if LINK_LIBRARY[item] not in LIBRARIES[target]:
                        problems[target].append("%s: %s may not use %s" %
                                                (where, target, LINK_LIBRARY[item]))
                else:
                    problems[target].append("%s: unknown library (add it to check_arrows.py)" %
                                            where)
    missing = [m for m in ARROWS if m not in owner]
    report(not missing, "the module targets exist: %s" % ", ".join(sorted(ARROWS)),
           ["no add_library(%s ...) in %s" % (m, "/".join(MODULE_DIRS)) for m in missing])
    for m in ARROWS:
        report(not problems[m], "%s links %s" % (m, ", ".join(seen[m]) or "nothing"), problems[m])


def check_tests():
    problems, counted = [], 0
    for path in sorted(files_under("tests")):
        for n, kind, name in includes(path):
            counted += 1
            if kind == '"' and name.startswith("bench/"):
                problems.append("%s:%d: #include %s: tests do not use bench/" % (path, n, name))
    report(not problems, "tests/: %d includes, none of bench/" % counted, problems)


def main():
    owner, sources = targets()
    check_module_includes(sources)
    check_links(owner)
    check_tests()
    print("1..%d" % checks)
    if failures:
        print("# %d of %d checks failed: the arrows are in tests/check_arrows.py" %
              (len(failures), checks))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
