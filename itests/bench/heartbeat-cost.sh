#!/usr/bin/env bash
# CPU and network cost of heartbeats (issue 5, docs/benchmarks.md "Failover"): two real nodes
# each holding N mirror modules (default 32) paired PRIM/SECOND with the default <heart>
# (pulse 700 ms), against the same nodes with every module stopped. CPU is the node JVMs'
# utime+stime from /proc over the window; datagrams are the host's UDP counters
# (/proc/net/snmp, system-wide: other traffic on the machine adds to them).
#
# usage: itests/bench/heartbeat-cost.sh [modules] [window seconds] [settle seconds]
#   settle: time left after the modules reach their states before measuring (JIT warm-up)
# needs the built distribution; uses 127.0.0.55/56, web ports 19055/56, UDP 8888..8888+N-1.
set -euo pipefail
N=${1:-32}
WINDOW=${2:-60}
SETTLE=${3:-30}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST=$ROOT/karaf-assembly/target/bulwark
ADDR=(127.0.0.55 127.0.0.56)
PORT=(19055 19056)
[ -x "$DIST/bin/bulwark" ] || { echo "no built distribution at $DIST" >&2; exit 1; }
WORK=$(mktemp -d /tmp/bwkcost.XXXXXX)
cleanup() {
  for i in 0 1; do
    pid=$(cat "$WORK/n$i/karaf.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
node() { local i=$1; shift; BULWARK_ADDR=${ADDR[$i]} BULWARK_WEB_PORT=${PORT[$i]} BULWARK_START_TIMEOUT=150 "$WORK/n$i/bin/bulwark" "$@"; }
sk() { local i=$1; shift; SAFEKIT_WAIT=1 "$WORK/n$i/safekit" "$@"; }
waitstate() {
  timeout "$4" env SAFEKIT_WAIT=1 "$WORK/n$1/safekit" waitstate -m "$2" "$3" ||
    { echo "node $1 module $2 not $3 within $4 s" >&2; exit 1; }
}
cpu() { # clock ticks of user+system time of node i's JVM
  awk '{print $14 + $15}' "/proc/$(cat "$WORK/n$1/karaf.pid")/stat"
}
udp() { awk '/^Udp: [0-9]/ {print $2 " " $5; exit}' /proc/net/snmp; } # InDatagrams OutDatagrams
threads() { # node i: "name ticks" per thread, digits folded so that module-m01..m32 add up
  local pid; pid=$(cat "$WORK/n$1/karaf.pid")
  for t in /proc/"$pid"/task/*/stat; do
    sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\1|\2/' "$t" 2>/dev/null
  done | awk -F'|' '{ split($2, f, " "); n = $1; gsub(/[0-9]+/, "#", n); t[n] += f[11] + f[12] }
    END { for (n in t) print n "|" t[n] }'
}
measure() { # label
  local c0 c1 u0 u1
  local a0 b0 a1 b1
  a0=$(cpu 0); b0=$(cpu 1); c0=$((a0 + b0)); u0=$(udp); threads 0 > "$WORK/t0"; threads 1 > "$WORK/s0"
  sleep "$WINDOW"   # the measurement window itself, not a synchronisation
  a1=$(cpu 0); b1=$(cpu 1); c1=$((a1 + b1)); u1=$(udp); threads 0 > "$WORK/t1"; threads 1 > "$WORK/s1"
  local hz; hz=$(getconf CLK_TCK)
  local ms=$(( (c1 - c0) * 1000 / hz ))
  local in=$(( ${u1% *} - ${u0% *} ))
  echo "$1: node 1 threads by CPU ticks in the window:" \
    "$(awk -F'|' 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > 0) print d " " $1 }' "$WORK/t0" "$WORK/t1" | sort -rn | head -6 | tr '\n' ';')"
  echo "$1: node 2 threads by CPU ticks in the window:" \
    "$(awk -F'|' 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > 0) print d " " $1 }' "$WORK/s0" "$WORK/s1" | sort -rn | head -6 | tr '\n' ';')"
  echo "$1: CPU ticks node 1 $((a1 - a0)), node 2 $((b1 - b0))"
  echo "$1: CPU of both JVMs ${ms} ms over ${WINDOW} s ($(( ms * 1000 / WINDOW / 1000 )).$(( ms * 1000 / WINDOW % 1000 / 100 )) ms/s); UDP datagrams received on the host: $in ($(( in / WINDOW ))/s)"
}

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
for i in 0 1; do
  cp -a "$DIST" "$WORK/n$i"
  node $i start >/dev/null
  sk $i cluster config "$WORK/cluster.xml" >/dev/null
done
for m in $(seq -f "m%02g" 1 "$N"); do
  mkdir -p "$WORK/pkg/$m/conf" "$WORK/pkg/$m/bin"
  cat > "$WORK/pkg/$m/conf/userconfig.xml" <<XML
<!DOCTYPE safe>
<safe>
  <service mode="mirror">
    <heart><heartbeat name="default" ident="0"/></heart>
    <user nicestoptimeout="5" forcestoptimeout="5"/>
  </service>
</safe>
XML
  (cd "$WORK/pkg" && zip -qr "$WORK/$m.safe" "$m")
  for i in 0 1; do
    sk $i module install -m "$m" "$WORK/$m.safe" >/dev/null
    sk $i config -m "$m" >/dev/null
  done
done
sleep "$SETTLE"
measure "$N modules installed, stopped (baseline)"
for m in $(seq -f "m%02g" 1 "$N"); do sk 0 prim -m "$m" >/dev/null; done
for m in $(seq -f "m%02g" 1 "$N"); do waitstate 0 "$m" ALONE 60; sk 1 start -m "$m" >/dev/null; done
for m in $(seq -f "m%02g" 1 "$N"); do waitstate 1 "$m" SECOND 60; waitstate 0 "$m" PRIM 60; done
sleep "$SETTLE"   # warm-up before the window, not a synchronisation
measure "$N modules PRIM/SECOND, pulse 700 ms"
