#!/usr/bin/env bash
# Failover time of a mirror module between two real nodes (issue 5, docs/benchmarks.md
# "Failover"): from `kill -9` of the primary node's JVM to the secondary's health-check URL
# (spec G.10, /var/modules/AM/ready.txt) answering 200. The role scripts only trace, so the
# application start is excluded. After each kill the node is restarted and its module started
# (it comes back as SECOND), and the next run kills the other node.
#
# usage: itests/bench/failover-bench.sh [runs] [heart attributes]
#   runs              default 10
#   heart attributes  default empty (pulse 700 ms, timeout 30000 ms), e.g. 'pulse="100" timeout="1000"'
# needs the built distribution (karaf-assembly/target/bulwark); uses 127.0.0.53/54, ports 19053/54.
set -euo pipefail
RUNS=${1:-10}
HEART=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST=$ROOT/karaf-assembly/target/bulwark
AM=mirror
ADDR=(127.0.0.53 127.0.0.54)
PORT=(19053 19054)
[ -x "$DIST/bin/bulwark" ] || { echo "no built distribution at $DIST" >&2; exit 1; }

WORK=$(mktemp -d /tmp/bwkbench.XXXXXX)
cleanup() {
  for i in 0 1; do
    if [ -f "$WORK/n$i/karaf.pid" ]; then
      pid=$(cat "$WORK/n$i/karaf.pid" 2>/dev/null || true)
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

node() { # node i command...
  local i=$1; shift
  BULWARK_ADDR=${ADDR[$i]} BULWARK_WEB_PORT=${PORT[$i]} BULWARK_START_TIMEOUT=150 "$WORK/n$i/bin/bulwark" "$@"
}
sk() { # sk i args...
  local i=$1; shift
  SAFEKIT_WAIT=1 "$WORK/n$i/safekit" "$@"
}
waitstate() { # waitstate i STATE seconds
  timeout "$3" env SAFEKIT_WAIT=1 "$WORK/n$1/safekit" waitstate -m $AM "$2" ||
    { echo "node $1 not $2 within $3 s" >&2; sk "$1" log -m $AM -A | tail -30 >&2; exit 1; }
}
ready() { curl -s -o /dev/null -w '%{http_code}' "http://${ADDR[$1]}:${PORT[$1]}/var/modules/$AM/ready.txt"; }

cat > "$WORK/cluster.xml" <<XML
<cluster>
  <lans>
    <lan name="default" command="on">
      <node name="n1" addr="${ADDR[0]}"/>
      <node name="n2" addr="${ADDR[1]}"/>
    </lan>
  </lans>
</cluster>
XML
mkdir -p "$WORK/pkg/$AM/conf" "$WORK/pkg/$AM/bin"
cat > "$WORK/pkg/$AM/conf/userconfig.xml" <<XML
<!DOCTYPE safe>
<safe>
  <service mode="mirror">
    <heart $HEART>
      <heartbeat name="default" ident="0"/>
    </heart>
    <user nicestoptimeout="5" forcestoptimeout="5"/>
  </service>
</safe>
XML
for s in prestart start_prim stop_prim start_second stop_second start_both stop_both poststop; do
  printf '#!/bin/sh\nexit 0\n' > "$WORK/pkg/$AM/bin/$s"
  chmod +x "$WORK/pkg/$AM/bin/$s"
done
(cd "$WORK/pkg" && zip -qr "$WORK/$AM.safe" $AM)

for i in 0 1; do
  cp -a "$DIST" "$WORK/n$i"
  node $i start >/dev/null
  sk $i cluster config "$WORK/cluster.xml" >/dev/null
  sk $i module install -m $AM "$WORK/$AM.safe" >/dev/null
  sk $i config -m $AM >/dev/null
done
sk 0 prim -m $AM >/dev/null
waitstate 0 ALONE 60
sk 1 start -m $AM >/dev/null
waitstate 1 SECOND 60
waitstate 0 PRIM 60

times=()
prim=0
for run in $(seq 1 "$RUNS"); do
  sec=$((1 - prim))
  [ "$(ready $prim)" = 200 ] && [ "$(ready $sec)" = 404 ] || { echo "run $run: roles not settled" >&2; exit 1; }
  pid=$(cat "$WORK/n$prim/karaf.pid")
  start=$(date +%s%N)
  kill -9 "$pid"
  until [ "$(ready $sec)" = 200 ]; do
    if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 120000 ]; then echo "run $run: no failover in 120 s" >&2; exit 1; fi
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  times+=("$ms")
  echo "run $run: node $((prim + 1)) killed, failover in $ms ms"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  node $prim start >/dev/null
  sk $prim start -m $AM >/dev/null
  waitstate $prim SECOND 120
  waitstate $sec PRIM 120
  prim=$sec
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
if [ $((n % 2)) -eq 1 ]; then median=${sorted[$((n / 2))]}; else median=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
echo "heart: ${HEART:-defaults}; runs: $n; failover ms: ${times[*]}; median: $median ms; min ${sorted[0]}; max ${sorted[$((n - 1))]}"
