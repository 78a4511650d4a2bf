"""The nightly recipes run as their runners run them, against the lab.

cron: /etc/cron.d/dnssweep parsed as cron reads it (variable lines, then `m h dom mon dow user
command`), the command run by /bin/sh under `env -i` with cron's environment (PATH=/usr/bin:/bin,
HOME, SHELL, LOGNAME) plus the file's variables. systemd: dnssweep-nightly.service parsed
(Environment=, EnvironmentFile= read the way systemd reads it, ExecStart= split without a
shell) and ExecStart run under `env -i` with the environment systemd gives a system service.
The recipes' /usr/local, /etc/dnssweep, /var/lib/dnssweep and /var/log/dnssweep are moved
under a scratch root, where dnssweep is "installed" (a link in ROOT/usr/local/bin, which is on
no default PATH). Each runner once on the healthy lab (exit 0, report and diff written; cron
gets no output, so mails nothing) and once with a store path that cannot be created (exit
non-zero, the cause printed where the runner captures it). The units themselves: OnFailure=
names a notify unit shipped in contrib, the timer (not the service) is what gets enabled, the
comment and the unit name the same env file, and `systemd-analyze verify` accepts them."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

from lab_common import lab_env, Checks, small_lab_domains

DNSSWEEP = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRIB = os.path.join(ROOT, "contrib")
CRON_PATH = "/usr/bin:/bin"  # what cron gives a job
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MOVED = ("/usr/local/", "/etc/dnssweep", "/var/lib/dnssweep", "/var/log/dnssweep")


def moved(text, root):
    for prefix in MOVED:
        text = text.replace(prefix, root + prefix)
    return text


def read(name):
    with open(os.path.join(CONTRIB, name)) as f:
        return f.read()


def parse_cron(text):
    """(variables, jobs) of a cron.d file: jobs are (5 time fields, user, command)."""
    env, jobs = {}, []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", s)
        if m:
            value = m.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            env[m.group(1)] = value
            continue
        fields = s.split(None, 6)
        jobs.append((fields[:5], fields[5], fields[6]))
    return env, jobs


def parse_unit(text):
    """{section: [(key, value)]} of a unit file (no continuation lines in ours)."""
    sections, current = {}, None
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] in "#;":
            continue
        if s.startswith("[") and s.endswith("]"):
            current = sections.setdefault(s[1:-1], [])
        else:
            key, _, value = s.partition("=")
            current.append((key.strip(), value.strip()))
    return sections


def values(sections, section, key):
    return [v for k, v in sections.get(section, []) if k == key]


def parse_env_file(path):
    """An EnvironmentFile= as systemd reads it: KEY=VALUE lines, # and ; comments, optional
    quotes around the value, no expansion."""
    env = {}
    with open(path) as f:
        for line in f:
            s = line.strip()
            if not s or s[0] in "#;":
                continue
            key, eq, value = s.partition("=")
            if not eq or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key.strip()):
                raise ValueError("%s: not KEY=VALUE: %r" % (path, line))
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            env[key.strip()] = value
    return env


def run_env_i(env, argv, cwd):
    r = subprocess.run(["env", "-i"] + ["%s=%s" % kv for kv in sorted(env.items())] + argv,
                       capture_output=True, text=True, timeout=300, cwd=cwd)
    print("# exit %d\n# stdout: %s\n# stderr: %s" % (
        r.returncode, r.stdout.strip()[-800:].replace("\n", "\n#   "),
        r.stderr.strip()[-800:].replace("\n", "\n#   ")))
    return r


def install(root, env, work):
    """dnssweep and the contrib scripts under root as `make install` + the recipes' steps would
    put them; the domain list in /etc/dnssweep."""
    for d in ("usr/local/bin", "usr/local/share/dnssweep", "etc/dnssweep", "var/lib/dnssweep",
              "var/log/dnssweep", "home/dnssweep"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.symlink(DNSSWEEP, os.path.join(root, "usr/local/bin/dnssweep"))
    for script in ("nightly.sh", "notify.sh"):
        shutil.copy(os.path.join(CONTRIB, script), os.path.join(root, "usr/local/share/dnssweep"))
    shutil.copy(small_lab_domains(env, work), os.path.join(root, "etc/dnssweep/domains.txt"))


def check_units(check, root):
    service_text = read("dnssweep-nightly.service")
    service = parse_unit(service_text)
    timer = parse_unit(read("dnssweep-nightly.timer"))
    check(values(timer, "Install", "WantedBy") == ["timers.target"],
          "the timer is enabled (WantedBy=timers.target)")
    check("Install" not in service and "enable --now dnssweep-nightly.timer" in service_text,
          "the service has no [Install] (the timer starts it) and its comment enables the timer")
    check(values(service, "Service", "Type") == ["oneshot"], "the service is Type=oneshot")
    on_failure = values(service, "Unit", "OnFailure")
    notify = on_failure[0].replace("%n", "") if on_failure else ""
    check(notify == "dnssweep-notify@.service" and os.path.exists(os.path.join(CONTRIB, notify)),
          "OnFailure= names a notify unit shipped in contrib: %s" % on_failure)
    if notify and os.path.exists(os.path.join(CONTRIB, notify)):
        exec_start = values(parse_unit(read(notify)), "Service", "ExecStart")
        script = shlex.split(exec_start[0])[0] if exec_start else ""
        check(script.startswith("/usr/local/share/dnssweep/") and
              os.access(os.path.join(CONTRIB, os.path.basename(script)), os.X_OK),
              "the notify unit runs a script shipped in contrib: %s" % script)
    env_files = values(service, "Service", "EnvironmentFile")
    check(env_files == ["-/etc/dnssweep/nightly.env"] and
          "/etc/dnssweep/nightly.env" in service_text.split("[Unit]")[0] and
          "nightly.conf" not in service_text, "the comment and the unit name the same env file "
          "(%s), and no nightly.conf" % env_files)
    try:
        example = parse_env_file(os.path.join(CONTRIB, "nightly.env"))
        check(True, "contrib/nightly.env reads as systemd reads it: %s" % sorted(example))
    except (OSError, ValueError) as e:
        check(False, "contrib/nightly.env: %s" % e)
    if not shutil.which("systemd-analyze"):
        print("# systemd-analyze not installed: units checked by parsing only")
        return
    units = os.path.join(root, "units")
    os.makedirs(units)
    for name in ("dnssweep-nightly.service", "dnssweep-nightly.timer", "dnssweep-notify@.service"):
        with open(os.path.join(units, name), "w") as f:
            f.write(moved(read(name), root))
    shutil.copy(os.path.join(units, "dnssweep-notify@.service"),
                os.path.join(units, "dnssweep-notify@dnssweep-nightly.service.service"))
    v = subprocess.run(["systemd-analyze", "verify", "--man=no"] +
                       [os.path.join(units, n) for n in (
                           "dnssweep-nightly.timer", "dnssweep-nightly.service",
                           "dnssweep-notify@dnssweep-nightly.service.service")],
                       capture_output=True, text=True, timeout=120)
    check(v.returncode == 0 and not v.stderr.strip() and not v.stdout.strip(),
          "systemd-analyze verify: exit %d, no warnings%s" % (
              v.returncode, "" if not v.stderr.strip() else ": " + v.stderr.strip()[:400]))


def cron_run(check, root, lab_opts, extra, what):
    env, jobs = parse_cron(moved(read("dnssweep.cron"), root))
    job = [j for j in jobs if "nightly.sh" in j[2]]
    check(len(job) == 1 and job[0][0] == ["0", "2", "*", "*", "*"] and job[0][1] == "dnssweep",
          "%s: one cron job at 02:00 as user dnssweep" % what)
    command = job[0][2]
    check(">" not in command and "|" not in command,
          "%s: the job's output is not redirected (cron mails it): %r" % (what, command))
    run_env = {"PATH": CRON_PATH, "HOME": os.path.join(root, "home/dnssweep"),
               "SHELL": "/bin/sh", "LOGNAME": "dnssweep"}
    run_env.update(env)
    run_env.update(extra, DNSSWEEP_SCAN_OPTS=lab_opts)
    print("# cron (%s): %s" % (what, command))
    return run_env_i(run_env, ["/bin/sh", "-c", command], run_env["HOME"])


def systemd_run(check, root, env_file_lines, what):
    service = parse_unit(moved(read("dnssweep-nightly.service"), root))
    env = {"PATH": SYSTEMD_PATH.replace("/usr/local/", root + "/usr/local/"),
           "HOME": os.path.join(root, "home/dnssweep"), "USER": "dnssweep",
           "LOGNAME": "dnssweep", "SHELL": "/bin/sh",
           "STATE_DIRECTORY": root + "/var/lib/dnssweep",
           "CONFIGURATION_DIRECTORY": root + "/etc/dnssweep"}
    for assignments in values(service, "Service", "Environment"):
        for a in shlex.split(assignments):
            key, _, value = a.partition("=")
            env[key] = value
    env_path = values(service, "Service", "EnvironmentFile")[0]
    with open(env_path.lstrip("-"), "w") as f:
        f.write(read("nightly.env") + "\n".join(env_file_lines) + "\n")
    env.update(parse_env_file(env_path.lstrip("-")))  # EnvironmentFile= wins over Environment=
    exec_start = values(service, "Service", "ExecStart")
    check(len(exec_start) == 1 and exec_start[0][0] not in "-@+!:",
          "%s: one ExecStart, whose failure counts" % what)
    argv = shlex.split(exec_start[0])
    print("# systemd (%s): %s" % (what, " ".join(argv)))
    return run_env_i(env, argv, "/")


def main():
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-recipes-")
    root = os.path.join(work, "root")
    check = Checks()
    try:
        install(root, env, work)
        lab_opts = ("--root-hints %s --trust-anchor %s --port %s --now %s --qps 0 "
                    "--qps-per-server 0" % (env["LAB_ROOT_HINTS"], env["LAB_TRUST_ANCHOR"],
                                            env["LAB_PORT"], env["LAB_NOW"]))
        reports = root + "/var/lib/dnssweep/reports"
        check(shutil.which("dnssweep", path=CRON_PATH) is None,
              "dnssweep is not on cron's PATH %s here (so the recipe must supply it)" % CRON_PATH)
        check_units(check, root)

        r = cron_run(check, root, lab_opts, {"DNSSWEEP_SCAN": "night-1"}, "healthy")
        check(r.returncode == 0, "cron, healthy lab: exit %d" % r.returncode)
        check(r.stdout == "" and r.stderr == "", "cron, healthy lab: no output, so no mail")
        check(os.path.exists(os.path.join(reports, "night-1.html")), "cron: report written")
        log = root + "/var/log/dnssweep/nightly.log"
        check(os.path.exists(log) and "night-1" in open(log).read(),
              "cron: the run's messages are in DNSSWEEP_LOG")

        r = systemd_run(check, root, ["DNSSWEEP_SCAN=night-2", "DNSSWEEP_SCAN_OPTS=" + lab_opts],
                        "healthy")
        check(r.returncode == 0, "systemd, healthy lab: exit %d" % r.returncode)
        check(os.path.exists(os.path.join(reports, "night-2.html")) and
              os.path.exists(os.path.join(reports, "night-2.diff.txt")),
              "systemd: report and diff against night-1 written")

        # A store path that cannot be created: its parent is a regular file.
        blocker = os.path.join(work, "not-a-directory")
        open(blocker, "w").close()
        bad_db = os.path.join(blocker, "db")
        r = cron_run(check, root, lab_opts, {"DNSSWEEP_SCAN": "night-3", "DNSSWEEP_DB": bad_db},
                     "store cannot be created")
        check(r.returncode == 1, "cron, store cannot be created: exit %d (1)" % r.returncode)
        check("nightly: FAILED" in r.stderr and "results store" in r.stderr and
              bad_db in r.stderr, "cron: the cause and dnssweep's own message are on stderr, "
              "which cron mails")

        r = systemd_run(check, root, ["DNSSWEEP_SCAN=night-3", "DNSSWEEP_DB=" + bad_db,
                                      "DNSSWEEP_SCAN_OPTS=" + lab_opts], "store cannot be created")
        check(r.returncode != 0, "systemd, store cannot be created: exit %d (unit fails, "
              "OnFailure= fires)" % r.returncode)
        out = r.stdout + r.stderr
        check("FAILED" in out and "results store" in out and bad_db in out,
              "systemd: the cause is in the output the journal gets")

        r = cron_run(check, root, lab_opts, {"DNSSWEEP_SCAN": "night-4",
                                             "DNSSWEEP_LOG": blocker + "/nightly.log"},
                     "log cannot be written")
        check(r.returncode == 1 and "DNSSWEEP_LOG" in r.stderr,
              "cron, log file cannot be written: exit %d, said on stderr" % r.returncode)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
