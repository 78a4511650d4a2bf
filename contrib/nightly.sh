#!/usr/bin/env bash
# dnssweep nightly workflow: scan the domain list into a scan named by the date, compare it with
# the previous finished scan, write the HTML report, and exit 3 when domains got worse (cron
# mails the output of a failing job; systemd marks the unit failed).
#
# Settings come from the environment (systemd: EnvironmentFile=/etc/dnssweep/nightly.env; cron:
# variable lines in /etc/cron.d/dnssweep), or from the file given with -c (shell syntax):
#   DNSSWEEP            dnssweep binary (found on PATH: cron's PATH is /usr/bin:/bin, so
#                       give the absolute path or set PATH)   [dnssweep]
#   DNSSWEEP_DB         results store                           [/var/lib/dnssweep/db]
#   DNSSWEEP_DOMAINS    domain list, one per line               [/etc/dnssweep/domains.txt]
#   DNSSWEEP_REPORTS    where reports and diffs are written     [/var/lib/dnssweep/reports]
#   DNSSWEEP_SCAN       name of this scan                       [nightly-YYYY-MM-DD (UTC)]
#   DNSSWEEP_SCAN_OPTS  more scan options, e.g. "--qps 2000"    []
#   DNSSWEEP_METRICS    --metrics file (node_exporter textfile) [none]
#   DNSSWEEP_HISTORY    finished scans in the report's trend (report --history) [14]
#   DNSSWEEP_LOG        append the run's messages to this file instead of stderr; a failure
#                       is still printed on stderr (cron mails it) [none: everything on stderr]
#
# Exit status: 0 nothing got worse; 3 domains got worse (listed on stdout); 1 a step failed
# (the cause on stderr: "nightly: FAILED: ..." and what dnssweep said); 2 usage error. A scan of
# the same name that was interrupted is resumed. A run that exits 0 prints nothing on stdout, and
# with DNSSWEEP_LOG nothing on stderr either, so cron mails only failures and regressions.
set -uo pipefail

usage() {
    echo "usage: nightly.sh [-c CONFIG]" >&2
    exit 2
}

while getopts "c:h" opt; do
    case $opt in
    c)
        # shellcheck disable=SC1090
        . "$OPTARG" || exit 2
        ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage

DNSSWEEP=${DNSSWEEP:-dnssweep}
DB=${DNSSWEEP_DB:-/var/lib/dnssweep/db}
DOMAINS=${DNSSWEEP_DOMAINS:-/etc/dnssweep/domains.txt}
REPORTS=${DNSSWEEP_REPORTS:-/var/lib/dnssweep/reports}
SCAN=${DNSSWEEP_SCAN:-nightly-$(date -u +%Y-%m-%d)}
LOG=${DNSSWEEP_LOG:-}
read -r -a SCAN_OPTS <<<"${DNSSWEEP_SCAN_OPTS:-}"
[ -n "${DNSSWEEP_METRICS:-}" ] && SCAN_OPTS+=(--metrics "$DNSSWEEP_METRICS")

# fd 3 is where the runner looks (cron mails it, systemd puts it in the journal); stderr becomes
# the log file when there is one.
exec 3>&2
if [ -n "$LOG" ]; then
    if ! mkdir -p "$(dirname "$LOG")" 2>/dev/null || ! (: >>"$LOG") 2>/dev/null; then
        echo "nightly: FAILED: cannot write the log file $LOG (DNSSWEEP_LOG)" >&3
        exit 1
    fi
    exec 2>>"$LOG"
    echo "nightly: $(date -u +%Y-%m-%dT%H:%M:%SZ) run for scan $SCAN" >&2
fi

log() { echo "nightly: $*" >&2; }

# What a failed step printed: kept to be repeated where the runner looks.
said=$(mktemp "${TMPDIR:-/tmp}/dnssweep-nightly.XXXXXX") || {
    echo "nightly: FAILED: cannot create a temporary file" >&3
    exit 1
}
trap 'rm -f "$said"' EXIT

# Runs a command with its stderr kept in $said and copied to the log (or stderr).
run() {
    "$@" 2>"$said"
    local rc=$?
    cat "$said" >&2
    return $rc
}

# Prints the cause (and what dnssweep said) on the runner's stderr, then exits 1.
fail() {
    log "FAILED: $*"
    if [ -n "$LOG" ]; then
        {
            echo "nightly: FAILED: $*"
            [ -s "$said" ] && sed 's/^/  /' "$said"
            echo "nightly: (the whole run is in $LOG)"
        } >&3
    fi
    exit 1
}

command -v "$DNSSWEEP" >/dev/null ||
    fail "$DNSSWEEP not found (PATH=$PATH); set DNSSWEEP to its absolute path or PATH"
run mkdir -p "$REPORTS" || fail "cannot create the reports directory $REPORTS"

# `dnssweep scans` lists oldest first: name, start, end, finished (yes/no), counts.
scans() { "$DNSSWEEP" scans --db "$DB" 2>/dev/null | tail -n +2; }

previous=""
resume=()
if [ -d "$DB" ]; then
    while read -r name _ _ finished _; do
        if [ "$name" = "$SCAN" ]; then
            [ "$finished" = yes ] && { log "scan $SCAN is already finished"; resume=("done"); }
            [ "$finished" = no ] && resume=(--resume)
        elif [ "$finished" = yes ]; then
            previous=$name
        fi
    done < <(scans)
fi

if [ "${resume[*]:-}" != "done" ]; then
    log "scanning $DOMAINS into $DB as $SCAN"
    run "$DNSSWEEP" scan --db "$DB" --scan "$SCAN" "${resume[@]}" --progress never \
        "${SCAN_OPTS[@]}" "$DOMAINS"
    rc=$?
    [ $rc -eq 0 ] || fail "the scan $SCAN of $DOMAINS into $DB failed (exit $rc); fix the" \
        "cause and run this again: an interrupted scan is resumed"
fi

status=0
report_args=()
if [ -n "$previous" ]; then
    run "$DNSSWEEP" diff --db "$DB" "$previous" "$SCAN" -o "$REPORTS/$SCAN.diff.txt" \
        --fail-on-regression
    status=$?
    case $status in
    0) log "nothing got worse since $previous" ;;
    3)
        echo "dnssweep: domains got worse between $previous and $SCAN:"
        cat "$REPORTS/$SCAN.diff.txt"
        ;;
    *) fail "the diff of $previous and $SCAN failed (exit $status)" ;;
    esac
    report_args=(--diff-against "$previous")
else
    log "no earlier finished scan to compare with"
fi

run "$DNSSWEEP" report --db "$DB" --scan "$SCAN" --history "${DNSSWEEP_HISTORY:-14}" \
    "${report_args[@]}" -o "$REPORTS/$SCAN.html" ||
    fail "the report $REPORTS/$SCAN.html failed"
run ln -sfn "$SCAN.html" "$REPORTS/latest.html" || fail "cannot link $REPORTS/latest.html"
log "report: $REPORTS/$SCAN.html"
exit "$status"
