"""Runs /usr/bin/dnsviz with a stand-in `pygraphviz.release` module: Debian 12's pygraphviz 1.7
has none, and `dnsviz grok` refuses to run without it ("pygraphviz is required, but not
installed"). Used by bench/run only; run it with /usr/bin/python3 (Debian's dnsviz modules).

  /usr/bin/python3 bench/dnsviz_shim.py grok ARGS...
"""
import runpy
import sys
import types

import pygraphviz

release = types.ModuleType("pygraphviz.release")
release.version = getattr(pygraphviz, "__version__", "1.7")
sys.modules["pygraphviz.release"] = release
pygraphviz.release = release
sys.argv = ["dnsviz"] + sys.argv[1:]
runpy.run_path("/usr/bin/dnsviz", run_name="__main__")
