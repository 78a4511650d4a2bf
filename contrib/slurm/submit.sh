#!/bin/bash
# submit.sh N SCAN_NAME DOMAINS_FILE [dnssweep scan options...]
# Queues N array tasks (one shard each) and the merge, which runs when all of them succeeded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=$1 name=$2 input=$3
shift 3
export DNSSWEEP_CONTRIB="$here/.."
job=$(sbatch --parsable --array=1-"$n" "$here/dnssweep-array.sbatch" "$name" "$input" "$@")
sbatch --dependency=afterok:"$job" "$here/dnssweep-merge.sbatch" "$name"
echo "shards: job $job; the merge runs after it"
