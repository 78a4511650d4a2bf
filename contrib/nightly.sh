#!/usr/bin/env bash
# dnssweep nightly workflow: scan the domain list into a scan named by the date, compare it with
# the previous finished scan, write the HTML report, and exit 3 when domains got worse (cron
# mails the output of a failing job; systemd marks the unit failed).
#
# Settings come from the environment, or from the file given with -c (shell syntax, e.g.
# /etc/dnssweep/nightly.conf):
#   DNSSWEEP            dnssweep binary                         [dnssweep]
#   DNSSWEEP_DB         results store                           [/var/lib/dnssweep/db]
#   DNSSWEEP_DOMAINS    domain list, one per line               [/etc/dnssweep/domains.txt]
#   DNSSWEEP_REPORTS    where reports and diffs are written     [/var/lib/dnssweep/reports]
#   DNSSWEEP_SCAN       name of this scan                       [nightly-YYYY-MM-DD (UTC)]
#   DNSSWEEP_SCAN_OPTS  more scan options, e.g. "--qps 2000"    []
#   DNSSWEEP_METRICS    --metrics file (node_exporter textfile) [none]
#
# Exit status: 0 nothing got worse; 3 domains got worse (listed on stdout); 1 a step failed;
# 2 usage error. A scan of the same name that was interrupted is resumed.
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
read -r -a SCAN_OPTS <<<"${DNSSWEEP_SCAN_OPTS:-}"
[ -n "${DNSSWEEP_METRICS:-}" ] && SCAN_OPTS+=(--metrics "$DNSSWEEP_METRICS")

log() { echo "nightly: $*" >&2; }

mkdir -p "$REPORTS" || exit 1

# `dnssweep scans` lists oldest first: name, start, end, finished (yes/no), counts.
scans() { "$DNSSWEEP" scans --db "$DB" 2>/dev/null | tail -n +2; }

previous=""
resume=()
if [ -d "$DB" ]; then
    while read -r name _ _ finished _; do
        if [ "$name" = "$SCAN" ]; then
            [ "$finished" = yes ] && { log "scan $SCAN is already finished"; resume=(done); }
            [ "$finished" = no ] && resume=(--resume)
        elif [ "$finished" = yes ]; then
            previous=$name
        fi
    done < <(scans)
fi

if [ "${resume[*]:-}" != done ]; then
    log "scanning $DOMAINS into $DB as $SCAN"
    "$DNSSWEEP" scan --db "$DB" --scan "$SCAN" "${resume[@]}" --progress never \
        "${SCAN_OPTS[@]}" "$DOMAINS"
    rc=$?
    if [ $rc -ne 0 ]; then
        log "the scan failed (exit $rc); run this again to resume it"
        exit 1
    fi
fi

status=0
report_args=()
if [ -n "$previous" ]; then
    "$DNSSWEEP" diff --db "$DB" "$previous" "$SCAN" -o "$REPORTS/$SCAN.diff.txt" \
        --fail-on-regression
    status=$?
    case $status in
    0) log "nothing got worse since $previous" ;;
    3)
        echo "dnssweep: domains got worse between $previous and $SCAN:"
        cat "$REPORTS/$SCAN.diff.txt"
        ;;
    *)
        log "diff failed (exit $status)"
        exit 1
        ;;
    esac
    report_args=(--diff-against "$previous")
else
    log "no earlier finished scan to compare with"
fi

if ! "$DNSSWEEP" report --db "$DB" --scan "$SCAN" "${report_args[@]}" -o "$REPORTS/$SCAN.html"; then
    log "the report failed"
    exit 1
fi
ln -sfn "$SCAN.html" "$REPORTS/latest.html"
log "report: $REPORTS/$SCAN.html"
exit "$status"
