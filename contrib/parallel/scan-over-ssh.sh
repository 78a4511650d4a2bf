#!/bin/bash
# GNU parallel over ssh: one shard per host (hosts from a --sshloginfile), each scanning into a
# store on its own local disk (DNSSWEEP_REMOTE_DIR [/var/tmp/dnssweep], parallel's --workdir:
# not an NFS home); once a shard's scan finished its store comes back as a tarball and the stores are merged here, in
# DNSSWEEP_DATA [./dnssweep-data], which must be a local disk too (LMDB's locking does not hold
# on NFS or CephFS).
#   scan-over-ssh.sh HOSTS_FILE N SCAN_NAME DOMAINS_FILE [dnssweep scan options...]
# Each host needs dnssweep in its PATH; contrib/shard-scan.sh and the domain list are copied.
set -euo pipefail
hosts=$1 n=$2 name=$3 input=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
out=${DNSSWEEP_DATA:-$PWD/dnssweep-data}/$name
mkdir -p "$out"
cp "$here/../shard-scan.sh" "$input" "$out/"
cd "$out"
base=$(basename "$input")
# --jobs 1: one shard at a time per host; --return/--cleanup bring the store back.
parallel --sshloginfile "$hosts" --jobs 1 --retries 2 \
    --workdir "${DNSSWEEP_REMOTE_DIR:-/var/tmp/dnssweep}" \
    --basefile shard-scan.sh --basefile "$base" \
    --return "shard-{}.tar" --cleanup \
    "./shard-scan.sh {} $n $name shard-{} $base $* && tar cf shard-{}.tar shard-{}" \
    ::: $(seq 1 "$n")
for k in $(seq 1 "$n"); do tar xf "shard-$k.tar" && rm "shard-$k.tar"; done
dnssweep merge --db merged shard-*
dnssweep scans --db merged
