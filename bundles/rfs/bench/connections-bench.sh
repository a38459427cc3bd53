#!/usr/bin/env bash
# Full synchronisation with one and with several connections per session (nbremconn,
# docs/replication.md "Several connections"; figures in docs/benchmarks.md). The primary and the
# secondary run in two network namespaces of their own, joined by a veth pair, on addresses of the
# benchmarking range 198.18.0.0/15; with DELAY, both ends of the link delay every packet by that
# much (netem: the round trip is twice DELAY), as a long link would. Nothing else of the machine's
# network is touched, and both namespaces go at the end, whatever happens. Per round, for each
# nbremconn of CONNS (the order alternating between rounds): a full synchronisation of the same
# tree to an empty secondary, timed from the secondary's start to its READY (the reintegration
# ended), its rate in MiB/s, and the copy compared with the source. The figure is the ratio
# between the connection counts in the same rounds.
#
# usage (as root, after `mvn install -pl bundles/rfs -am`, or `mvn test-compile` of the module):
#   bundles/rfs/bench/connections-bench.sh DIR [ROUNDS]
# environment: DELAY (none; e.g. 25ms, needs the kernel's netem), CONNS ("1 3"), TREE_MB (512: four
#   large files and 64 KiB ones), NBREI (6), NET (198.18.7: the first three bytes of the two
#   addresses), PORT (41700)
set -euo pipefail

dir=${1:?usage: connections-bench.sh DIR [ROUNDS]}
rounds=${2:-3}
delay=${DELAY:-}
conns=${CONNS:-1 3}
tree_mb=${TREE_MB:-512}
nbrei=${NBREI:-6}
net=${NET:-198.18.7}
port=${PORT:-41700}
java_opts=${JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
target=$module/target

[ "$(id -u)" = 0 ] || { echo "connections-bench.sh: run as root (namespaces, FUSE)" >&2; exit 2; }
for tool in ip tc java mvn; do
  command -v "$tool" >/dev/null || { echo "connections-bench.sh: $tool is missing" >&2; exit 2; }
done
[ -f "$target/test-classes/org/bulwark/rfs/internal/ReplicaBench.class" ] ||
  { echo "connections-bench.sh: build the module's tests first (mvn test-compile -pl bundles/rfs)" >&2; exit 2; }

ns_p=bw-conn-p-$$
ns_s=bw-conn-s-$$
mkdir -p "$dir"
root=$(mktemp -d "$dir/conn.XXXXXX")
work=$root/work
mkdir -p "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  ip netns del "$ns_p" 2>/dev/null || true
  ip netns del "$ns_s" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT

cp_file=$work/cp
(cd "$module" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null)
cp=$target/test-classes:$target/classes:$(cat "$cp_file")

# the link: two namespaces, a veth pair, DELAY on each end
ip netns add "$ns_p"
ip netns add "$ns_s"
ip link add "wp$$" type veth peer name "ws$$"
ip link set "wp$$" netns "$ns_p"
ip link set "ws$$" netns "$ns_s"
ip -n "$ns_p" addr add "$net.1/30" dev "wp$$"
ip -n "$ns_s" addr add "$net.2/30" dev "ws$$"
for n in "$ns_p" "$ns_s"; do
  ip -n "$n" link set lo up
done
ip -n "$ns_p" link set "wp$$" up
ip -n "$ns_s" link set "ws$$" up
if [ -n "$delay" ]; then
  tc -n "$ns_p" qdisc add dev "wp$$" root netem delay "$delay" limit 100000 ||
    { echo "connections-bench.sh: no netem in this kernel: run without DELAY" >&2; exit 2; }
  tc -n "$ns_s" qdisc add dev "ws$$" root netem delay "$delay" limit 100000
fi

# the tree: a few large files and many small ones, TREE_MB in all
src=$root/src
mkdir -p "$src/small"
large=$((tree_mb * 3 / 4 / 4))
for i in 1 2 3 4; do
  head -c "$((large << 20))" /dev/urandom >"$src/large$i"
done
small_bytes=$(((tree_mb - large * 4) << 20))
n_small=$((small_bytes / 65536))
for i in $(seq "$n_small"); do
  head -c 65536 /dev/urandom >"$src/small/f$i"
done
bytes=$(du -sb "$src" | awk '{ print $1 }')
sync

# stop PID: its standard input closed already (the node stops and unmounts), then SIGTERM, SIGKILL
stop() {
  local i
  for i in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$1" 2>/dev/null && kill -TERM "$1" && sleep 2
  kill -0 "$1" 2>/dev/null && kill -KILL "$1"
  wait "$1" 2>/dev/null || true
}

# full_sync N: sets result to the milliseconds from the secondary's start to its READY (not in a
# subshell: the nodes must be this shell's, for the cleanup)
full_sync() {
  local c=$1 b=$root/b-$1 state=$root/state-$1 pp ps line i
  rm -rf "$b" "$state"
  mkdir -p "$b" "$state"
  sync
  echo 3 >/proc/sys/vm/drop_caches
  mkfifo "$work/p.in"
  ip netns exec "$ns_p" java $java_opts -cp "$cp" org.bulwark.rfs.internal.ReplicaBench primary \
    "$src" "$state/a" "$net.1" "$net.2" "$port" second --nbrei "$nbrei" --nbremconn "$c" \
    <"$work/p.in" >"$work/p.out" 2>"$work/p.err" &
  pp=$!
  pids+=("$pp")
  exec {pin}>"$work/p.in"
  for i in $(seq 600); do
    grep -q '^READY' "$work/p.out" && break
    kill -0 "$pp" 2>/dev/null || { cat "$work/p.err" >&2; exit 1; }
    sleep 0.1
  done
  mkfifo "$work/s.in"
  ip netns exec "$ns_s" java $java_opts -cp "$cp" org.bulwark.rfs.internal.ReplicaBench secondary \
    "$b" "$state/b" "$net.2" "$net.1" "$port" second --nbrei "$nbrei" --nbremconn "$c" \
    <"$work/s.in" >"$work/s.out" 2>"$work/s.err" &
  ps=$!
  pids+=("$ps")
  exec {sin}>"$work/s.in"
  line=
  for i in $(seq 6000); do
    line=$(grep -m1 '^READY' "$work/s.out" || true)
    [ -n "$line" ] && break
    kill -0 "$ps" 2>/dev/null || { cat "$work/s.err" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$line" ] || { echo "connections-bench.sh: no READY from the secondary" >&2; exit 1; }
  exec {sin}>&-
  stop "$ps"
  exec {pin}>&-
  stop "$pp"
  rm -f "$work/p.in" "$work/s.in"
  diff -rq "$src" "$b" >/dev/null || { echo "connections-bench.sh: the copy differs" >&2; exit 1; }
  rm -rf "$b" "$state"
  result=$(echo "$line" | awk '{ print $3 }')
}

echo "connections-bench.sh: $(date -u +%FT%TZ) commit $(git -C "$module" rev-parse --short HEAD)" \
  "delay=${delay:-none} each way tree=$bytes bytes nbrei=$nbrei rounds=$rounds" >&2
declare -A times
for r in $(seq "$rounds"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  order=$conns
  [ $((r % 2)) = 0 ] && order=$(echo "$conns" | tr ' ' '\n' | tac | tr '\n' ' ')
  for c in $order; do
    full_sync "$c"
    ms=$result
    times[$c]="${times[$c]:-} $ms"
    echo "round $r (load $load) nbremconn=$c: $ms ms," \
      "$(awk -v b="$bytes" -v m="$ms" 'BEGIN { printf "%.1f", b / 1048576 / (m / 1000) }') MiB/s" >&2
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "| nbremconn | full sync ms (median of $rounds) | MiB/s | per round ms |"
echo "|---|---|---|---|"
for c in $conns; do
  m=$(echo "${times[$c]}" | median)
  echo "| $c | $m | $(awk -v b="$bytes" -v m="$m" 'BEGIN { printf "%.1f", b / 1048576 / (m / 1000) }') |${times[$c]} |"
done
