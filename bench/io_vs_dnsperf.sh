#!/bin/sh
# Runs bench_io and dnsperf against the same private NSD (127.54.9.1, high port) in one go and
# prints both side by side: answered queries per second and CPU microseconds per query.
#
#   bench/io_vs_dnsperf.sh [BUILD_DIR] [QUERIES]
#
# BUILD_DIR defaults to build/release (cmake --preset release && cmake --build --preset
# release). Env: PORT (25353), NSD_SERVERS (NSD server-count, 1), SECONDS_DNSPERF (10),
# DNSPERF_Q (max outstanding for dnsperf, 10000), INFLIGHT (engine max in flight, 10000),
# BENCH_ARGS (more bench_io options, e.g. "-t 200 -b 64").
set -eu
BUILD=${1:-build/release}
N=${2:-200000}
ADDR=127.54.9.1
PORT=${PORT:-25353}
NSD_SERVERS=${NSD_SERVERS:-1}
SECS=${SECONDS_DNSPERF:-10}
DQ=${DNSPERF_Q:-10000}
INFLIGHT=${INFLIGHT:-10000}
BENCH_ARGS=${BENCH_ARGS:-}
BENCH="$BUILD/bench/bench_io"
[ -x "$BENCH" ] || { echo "no $BENCH: build first" >&2; exit 1; }

DIR=$(mktemp -d /tmp/dnssweep-io-bench-XXXXXX)
NSD_PID=
cleanup() {
    if [ -n "$NSD_PID" ]; then kill "$NSD_PID" 2>/dev/null || true; wait "$NSD_PID" 2>/dev/null || true; fi
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

{
    printf '$ORIGIN test.\n$TTL 300\n@ IN SOA ns.test. admin.test. 1 3600 600 86400 300\n'
    printf '@ IN NS ns.test.\nns IN A 127.0.0.1\n'
    i=0
    while [ $i -lt 10000 ]; do printf 'h%d IN A 127.0.%d.%d\n' $i $((i / 256 % 256)) $((i % 256)); i=$((i + 1)); done
} > "$DIR/test.zone"
i=0
while [ $i -lt 10000 ]; do printf 'h%d.test. A\n' $i; i=$((i + 1)); done > "$DIR/queries"

cat > "$DIR/nsd.conf" <<CONF
server:
  ip-address: $ADDR@$PORT
  zonesdir: "$DIR"
  pidfile: "$DIR/nsd.pid"
  database: ""
  zonelistfile: "$DIR/zone.list"
  xfrdfile: "$DIR/xfrd.state"
  logfile: "$DIR/nsd.log"
  username: ""
  chroot: ""
  server-count: $NSD_SERVERS
  verbosity: 0
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: "test."
  zonefile: "test.zone"
CONF
nsd-checkconf "$DIR/nsd.conf"
nsd -d -c "$DIR/nsd.conf" &
NSD_PID=$!
i=0
until dig +short +tries=1 +time=1 @"$ADDR" -p "$PORT" test. SOA >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 50 ] || { echo "NSD did not start" >&2; exit 1; }; sleep 0.1
done

echo "== bench_io: $N queries, window 20000, max in flight $INFLIGHT, NSD server-count $NSD_SERVERS"
"$BENCH" -s "$ADDR" -p "$PORT" -n "$N" -i "$INFLIGHT" -f "$DIR/queries" $BENCH_ARGS | tee "$DIR/io.out"

echo "== dnsperf: ${SECS} s, 1 thread, 16 sockets, $DQ outstanding, EDNS0"
/usr/bin/time -f "dnsperf_cpu %U %S" -o "$DIR/dp.time" \
    dnsperf -s "$ADDR" -p "$PORT" -d "$DIR/queries" -l "$SECS" -c 16 -T 1 -q "$DQ" -e \
    > "$DIR/dp.out" 2>&1 || true
grep -E "Queries (sent|completed|lost)|Queries per second" "$DIR/dp.out" || cat "$DIR/dp.out"

IO_QPS=$(sed -n 's/.* \([0-9]*\) answered q\/s.*/\1/p' "$DIR/io.out")
IO_US=$(sed -n 's/.*= \([0-9.]*\) CPU-us per query.*/\1/p' "$DIR/io.out")
DP_QPS=$(sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p' "$DIR/dp.out")
DP_DONE=$(sed -n 's/.*Queries completed: *\([0-9]*\).*/\1/p' "$DIR/dp.out")
DP_US=$(awk -v n="${DP_DONE:-0}" '/dnsperf_cpu/ { if (n > 0) printf "%.1f", ($2 + $3) * 1e6 / n; else print "?" }' "$DIR/dp.time")
echo
printf '%-10s %15s %18s\n' tool "answered q/s" "CPU-us/query"
printf '%-10s %15s %18s\n' bench_io "${IO_QPS:-?}" "${IO_US:-?}"
printf '%-10s %15s %18s\n' dnsperf "${DP_QPS:-?}" "${DP_US:-?}"
