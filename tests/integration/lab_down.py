#!/usr/bin/env python3
"""Stops the lab and asserts that no process it recorded (nor any of their children) remains."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import json
import os
import subprocess

import lab_common as L
import procs


def main():
    env = L.lab_env()
    try:
        with open(os.path.join(env["LAB_DIR"], "state.json")) as f:
            started = json.load(f).get("procs", [])
    except FileNotFoundError:
        started = []
    if not started:
        print("# no running lab recorded (lab_up failed or the lab was already down)")
    res = subprocess.run([L.LAB, "down"], timeout=60)
    left = [p["pid"] for p in started if procs.alive(p["pid"])]
    left += [pid for p in started for pid in procs.group_members(p["pid"])]
    print("%s - lab down exited %d" % ("ok" if res.returncode == 0 else "not ok", res.returncode))
    print("%s - %d recorded processes gone (still alive: %s)" % ("ok" if not left else "not ok", len(started), left))
    return 0 if res.returncode == 0 and not left else 1


if __name__ == "__main__":
    sys.exit(main())
