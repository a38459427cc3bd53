#!/usr/bin/env bash
# Checker cost and errd reaction time (issue 11, docs/benchmarks.md "Checkers"):
#  1. CPU of one real node holding N light modules (default 100), each with an errd <proc>
#     (its own sleep process) and a tcp checker (to the node's own web port), UP, against the
#     same modules installed but stopped. CPU is the node JVM's utime+stime from /proc.
#  2. The time from a kill -9 of a module's application to errd's restart (a new process), with
#     a given polltimer: SAMPLES kills each for the default 30 s and for 1 s.
#
# usage: itests/bench/checker-cost.sh [modules] [window seconds] [settle seconds] [samples]
#   modules 0: the reaction times only
# needs the built distribution; uses 127.0.0.131, web port 19131 (BENCH_ADDR, BENCH_PORT to
# change them when another run may hold these).
set -euo pipefail
N=${1:-100}
WINDOW=${2:-60}
SETTLE=${3:-30}
SAMPLES=${4:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST=$ROOT/karaf-assembly/target/bulwark
ADDR=${BENCH_ADDR:-127.0.0.131}
PORT=${BENCH_PORT:-19131}
[ -x "$DIST/bin/bulwark" ] || { echo "no built distribution at $DIST" >&2; exit 1; }
WORK=$(mktemp -d /tmp/bwkchk.XXXXXX)
TAG=$((800000 + RANDOM)) # sleep lengths of this run only: sleep <TAG><4-digit number>
cleanup() {
  pid=$(cat "$WORK/n/karaf.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  for f in "$WORK"/n/var/modules/*/app.pid; do # this run's applications, by their pids
    [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
sk() { SAFEKIT_WAIT=1 "$WORK/n/safekit" "$@"; }
cpu() { awk '{print $14 + $15}' "/proc/$(cat "$WORK/n/karaf.pid")/stat"; }
measure() { # label
  local a0 a1 hz ms
  a0=$(cpu)
  sleep "$WINDOW" # the measurement window itself, not a synchronisation
  a1=$(cpu)
  hz=$(getconf CLK_TCK)
  ms=$(((a1 - a0) * 1000 / hz))
  # hundredths of a percent of one core, printed with two decimals (1083 -> 1.08)
  local cents=$((ms * 10 / WINDOW))
  printf '%s: CPU %d ms over %d s = %d.%02d %% of one core\n' "$1" "$ms" "$WINDOW" $((cents / 100)) $((cents % 100))
}
package() { # name polltimer number (the application is sleep <TAG><number>)
  local m=$1 secs=$TAG$3
  mkdir -p "$WORK/pkg/$m/conf" "$WORK/pkg/$m/bin"
  cat > "$WORK/pkg/$m/conf/userconfig.xml" <<XML
<!DOCTYPE safe>
<safe>
  <service mode="light">
    <user nicestoptimeout="5" forcestoptimeout="5"/>
    <errd polltimer="$2">
      <proc name="sleep" argregex="^sleep $secs\$" atleast="1" action="restart" class="both"/>
    </errd>
    <check>
      <tcp ident="web" when="both" action="noaction"><to addr="$ADDR" port="$PORT"/></tcp>
    </check>
  </service>
</safe>
XML
  # started once the process runs as sleep (past fork and exec): errd scans at UP Ready
  cat > "$WORK/pkg/$m/bin/start_both" <<SH
#!/bin/sh
setsid sleep $secs >/dev/null 2>&1 &
pid=\$!
i=0
while [ "\$(cat /proc/\$pid/comm 2>/dev/null)" != sleep ]; do
  i=\$((i+1)); [ \$i -gt 500 ] && exit 1; sleep 0.01
done
echo \$pid > "\$SAFEUSERVAR/app.pid"
SH
  printf '#!/bin/sh\n[ -f "$SAFEUSERVAR/app.pid" ] && kill "$(cat "$SAFEUSERVAR/app.pid")"\nexit 0\n' \
    > "$WORK/pkg/$m/bin/stop_both"
  chmod +x "$WORK/pkg/$m/bin/"*
  (cd "$WORK/pkg" && zip -qr "$WORK/$m.safe" "$m")
  sk module install -m "$m" "$WORK/$m.safe" >/dev/null
  sk config -m "$m" >/dev/null
}

cp -a "$DIST" "$WORK/n"
BULWARK_ADDR=$ADDR BULWARK_WEB_PORT=$PORT BULWARK_START_TIMEOUT=150 "$WORK/n/bin/bulwark" start >/dev/null
MODULES=$(seq -f "m%03g" 1 "$N")
if [ "$N" -gt 0 ]; then # 0: the reaction times only
for m in $MODULES; do package "$m" 10 "${m#m}"; done
sleep "$SETTLE" # JIT warm-up before the window, not a synchronisation
measure "$N modules installed, stopped (baseline)"
for m in $MODULES; do sk start -m "$m" >/dev/null; done
for m in $MODULES; do sk waitstate -m "$m" UP >/dev/null; done
sleep "$SETTLE"
for m in $MODULES; do # every application runs and errd sees it: no restart in the window
  [ "$(sk get -r proc.sleep -m "$m")" = up ] || { echo "$m: proc.sleep not up" >&2; exit 1; }
done
measure "$N modules UP, each errd (polltimer 10 s) + tcp (interval 10 s)"
for m in $MODULES; do sk stop -m "$m" >/dev/null; done
fi

react() { # module polltimer
  local m=$1 var=$WORK/n/var/modules/$1 t0 t1 old new
  for s in $(seq 1 "$SAMPLES"); do
    until [ "$(sk get -r proc.sleep -m "$m")" = up ]; do sleep 0.1; done # errd sees it running
    sk resetloop -m "$m" >/dev/null # errd's restarts count for maxloop (spec B.3): not here
    old=$(cat "$var/app.pid")
    t0=$(date +%s%N)
    kill -9 "$old"
    while :; do # the restart writes a new pid file; poll it (a measurement, not a synchronisation)
      new=$(cat "$var/app.pid" 2>/dev/null || echo "$old")
      [ "$new" != "$old" ] && kill -0 "$new" 2>/dev/null && break
      [ $((($(date +%s%N) - t0) / 1000000000)) -gt $((3 * $2 + 30)) ] && { echo "no restart" >&2; exit 1; }
      sleep 0.02
    done
    t1=$(date +%s%N)
    echo "polltimer $2 s: kill -9 to the new application process $(((t1 - t0) / 1000000)) ms"
    sk waitstate -m "$m" UP >/dev/null
  done
}
for p in 30 1; do
  package "lat$p" "$p" "90$p"
  sk start -m "lat$p" >/dev/null
  sk waitstate -m "lat$p" UP >/dev/null
  react "lat$p" "$p"
done
