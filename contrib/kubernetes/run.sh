#!/bin/sh
# Runs a sharded scan on Kubernetes: the Indexed Job, then (once every shard is complete) the
# merge Job.   run.sh [NAMESPACE]
set -eu
here=$(dirname "$0")
ns=${1:-default}
kubectl -n "$ns" apply -f "$here/scan-job.yaml"
kubectl -n "$ns" wait --for=condition=complete --timeout=48h job/dnssweep-scan
kubectl -n "$ns" apply -f "$here/merge-job.yaml"
kubectl -n "$ns" wait --for=condition=complete --timeout=2h job/dnssweep-merge
kubectl -n "$ns" logs job/dnssweep-merge
