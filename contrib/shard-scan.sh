#!/bin/sh
# One shard of a sharded scan, as every recipe here runs it (Kubernetes, Slurm, GNU parallel):
#   shard-scan.sh K N SCAN_NAME DB_DIR INPUT [more dnssweep scan options...]
# Scans shard K of N of INPUT (a domain list, or --zone-file=FILE: a parent zone file) into its
# own store DB_DIR under the scan name SCAN_NAME (the same for every shard: `dnssweep merge`
# refuses shards of different scans). A shard restarted by the scheduler resumes its scan.
set -eu
if [ $# -lt 5 ]; then
    echo "usage: $0 K N SCAN_NAME DB_DIR INPUT [dnssweep scan options...]" >&2
    exit 2
fi
k=$1 n=$2 name=$3 db=$4 input=$5
shift 5
dnssweep=${DNSSWEEP:-dnssweep}
resume=""
# `dnssweep scans`: one scan per line: name, start, end, finished (yes/no), counts.
state=""
if [ -d "$db" ]; then
    state=$("$dnssweep" scans --db "$db" 2>/dev/null | awk -v s="$name" '$1 == s { print $4 }')
fi
case "$state" in
yes)
    echo "shard-scan: shard $k/$n of $name is already finished in $db" >&2
    exit 0
    ;;
no) resume=--resume ;; # the scheduler restarted this shard: continue where it stopped
esac
case "$input" in
--zone-file=*) set -- --zone-file "${input#--zone-file=}" "$@" ;;
*) set -- "$@" "$input" ;;
esac
exec "$dnssweep" scan --shard "$k/$n" --scan "$name" --db "$db" $resume --progress never "$@"
