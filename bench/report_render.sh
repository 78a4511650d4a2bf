#!/usr/bin/env bash
# How long headless Chromium takes to open a `dnssweep report` page: wall time of a screenshot
# of REPORT minus that of an empty page, and the page's own performance.now() once its script
# has drawn the table and the load event fired (logged to the console).
# usage: bench/report_render.sh REPORT.html [RUNS]
set -euo pipefail
report=$(realpath "$1")
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update --disable-sync --no-first-run --window-size=1280,2000)
# A copy that reports when it is loaded and drawn.
sed 's|</body>|<script>addEventListener("load",function(){setTimeout(function(){console.log("DNSSWEEP_RENDERED_MS "+performance.now().toFixed(0))},0)})</script></body>|' \
    "$report" >"$work/timed.html"
echo '<!DOCTYPE html><html><body>empty</body></html>' >"$work/empty.html"
shot() { # page -> seconds
    local t0 t1
    t0=$(date +%s.%N)
    chromium "${flags[@]}" --user-data-dir="$work/profile" --screenshot="$work/shot.png" \
        "file://$1" >/dev/null 2>&1
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}
echo "report: $report ($(stat -c %s "$report") bytes)"
for i in $(seq "$runs"); do
    empty=$(shot "$work/empty.html")
    page=$(shot "$report")
    inpage=$(chromium "${flags[@]}" --user-data-dir="$work/profile" --enable-logging=stderr \
        --v=0 --dump-dom "file://$work/timed.html" 2>&1 >/dev/null |
        grep -o 'DNSSWEEP_RENDERED_MS [0-9]*' | awk '{print $2}')
    echo "run $i: screenshot ${page}s (empty page ${empty}s, difference $(echo "$page - $empty" | bc)s); load+script in page ${inpage:-?} ms"
done
