#!/usr/bin/env python3
"""Fails when a module's static library exports a symbol without the module's prefix.

usage: check_symbols.py MODULE=PREFIX[,PREFIX...]:LIBRARY ...

Every global symbol a library defines (nm -g --defined-only) must start with one of its
module's prefixes, so that two modules, or a module and a system library, can never clash and
a reader knows where a name lives. Functions used by one file only are `static` and do not
count. Names starting with "__" belong to the compiler and sanitizers. Prints TAP.
"""
import subprocess
import sys


def exported(library):
    out = subprocess.run(["nm", "-g", "--defined-only", "--format=posix", library],
                         check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        # "name type [value size]"; archive member headers end with ':'
        if len(fields) >= 2 and not fields[0].endswith(":") and fields[1] not in ("U", "w", "v"):
            names.add(fields[0])
    return sorted(n for n in names if not n.startswith("__"))


def main(argv):
    if not argv:
        print("usage: check_symbols.py MODULE=PREFIX[,PREFIX...]:LIBRARY ...", file=sys.stderr)
        return 2
    failed = 0
    for n, spec in enumerate(argv, 1):
        module, rest = spec.split("=", 1)
        prefixes, library = rest.split(":", 1)
        prefixes = tuple(prefixes.split(","))
        names = exported(library)
        bad = [s for s in names if not s.startswith(prefixes)]
        ok = bool(names) and not bad
        print("%s %d - %s: %d exported symbols, all named %s*" %
              ("ok" if ok else "not ok", n, module, len(names), "* or ".join(prefixes)))
        if not names:
            print("#   %s exports nothing: wrong library?" % library)
        for s in bad:
            print("#   %s exports %s: add the prefix or make it static" % (module, s))
        failed += not ok
    print("1..%d" % len(argv))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
