#!/usr/bin/env bash
# Runs one libFuzzer harness for a fixed number of inputs (at most SECONDS) on a temporary copy of
# its seed corpus, so the committed corpus never changes under ctest.
# Usage: run_fuzzer.sh HARNESS CORPUS_DIR SECONDS RUNS
# A crash, leak, timeout (> 5 s on one input) or out-of-memory fails the test; the input that
# caused it is kept as build/fuzz/fuzz-artifacts/<harness>-crash-* for the regression test.
# The mutation seed is fixed (not from the clock) so that a run can be repeated; set
# DNSSWEEP_FUZZ_SEED to explore elsewhere.
set -euo pipefail
harness=$1 corpus=$2 seconds=$3 runs=${4:--1}
name=$(basename "$harness")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
if [ -d "$corpus" ]; then
    cp -r "$corpus/." "$work/corpus/"
fi
status=0
# Known leaks inside libldns on one-shot startup paths (not dnssweep's, not per answer).
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
if [ "$name" = fuzz_anchor ]; then
    # ldns is built without frame pointers: only the slow unwinder sees the frame that the
    # suppression names. Costs speed, so only for the harness that needs it.
    export ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fi
"$harness" "$work/corpus" -runs="$runs" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -max_len=8192 -seed="${DNSSWEEP_FUZZ_SEED:-1}" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" || status=$?
if [ "$status" -ne 0 ]; then
    keep="$(cd "$(dirname "$harness")/../.." && pwd)/fuzz-artifacts" # build/<preset>/
    mkdir -p "$keep"
    for f in "$work/artifacts"/*; do
        [ -e "$f" ] || continue
        cp "$f" "$keep/$name-$(basename "$f")"
        echo "run_fuzzer: kept $keep/$name-$(basename "$f")" >&2
    done
fi
exit "$status"
