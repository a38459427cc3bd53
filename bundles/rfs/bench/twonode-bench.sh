#!/usr/bin/env bash
# Two nodes on one 2-vCPU machine, each given a processor of its own: an approximation of the
# replicated pair on two machines, which the targets of docs/benchmarks.md ("Where the targets
# stand") need and this machine cannot give. The primary's JVM and the writer (dd, the 4 KiB
# loop) run on CPU 0, the secondary's JVM on CPU 1; they talk over a veth pair between two
# network namespaces of their own (addresses of the benchmarking range 198.18.0.0/15), each
# side's receive processing steered to its own processor (RPS); the secondary's copy and state
# are on a tmpfs (SECOND_DIR), as if on a disk of its own. The baseline is the same writer, on
# CPU 0, into a plain directory of the primary's file system, in the same rounds; "alone" is a
# primary with no secondary, on CPU 0. What it does not give: two disks' worth of writeback
# threads and two memory buses (the kernel's flusher threads run anywhere), so it is an estimate
# of a pair of 1-vCPU machines, not a measure of two machines.
#
# Per round (targets taking turns, the order rotating): seq (dd bs=1M count=1024 conv=fsync,
# MiB/s) into raw, alone, second and none; then the 4 KiB write+fsync loop (randwrite-fsync.c,
# queue depth 1, the targets in turn within one process) for RAND_SECONDS: ops/s, p50, p99 µs.
# Medians of the rounds and of the per-round ratios to raw.
#
# usage (as root, after `mvn install -pl bundles/rfs -am`, or `mvn test-compile` of the module):
#   bundles/rfs/bench/twonode-bench.sh DIR [ROUNDS]
# environment: SECOND_DIR (/dev/shm/bw-twonode-PID: a tmpfs), RAND_SECONDS (10), NET (198.18.8:
#   the first three bytes of the addresses), PORT (41710, and the next two)
set -euo pipefail

dir=${1:?usage: twonode-bench.sh DIR [ROUNDS]}
rounds=${2:-5}
rand_seconds=${RAND_SECONDS:-10}
net=${NET:-198.18.8}
port=${PORT:-41710}
java_opts=${JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
repo=$(cd "$module/../.." && pwd)
target=$module/target

[ "$(id -u)" = 0 ] || { echo "twonode-bench.sh: run as root (namespaces, FUSE)" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "twonode-bench.sh: needs 2 processors" >&2; exit 2; }
for tool in ip taskset nsenter gcc java mvn dd; do
  command -v "$tool" >/dev/null || { echo "twonode-bench.sh: $tool is missing" >&2; exit 2; }
done
[ -f "$target/test-classes/org/bulwark/rfs/internal/ReplicaBench.class" ] ||
  { echo "twonode-bench.sh: build the module's tests first (mvn test-compile -pl bundles/rfs)" >&2; exit 2; }

ns_p=bw-2n-p-$$
ns_s=bw-2n-s-$$
mkdir -p "$dir"
root=$(mktemp -d "$dir/twonode.XXXXXX")
second_dir=${SECOND_DIR:-/dev/shm/bw-twonode-$$}
work=$root/work
mkdir -p "$work" "$second_dir"
declare -A pid fd
cleanup() {
  set +e
  for n in "${!fd[@]}"; do
    eval "exec ${fd[$n]}>&-"
  done
  for n in "${!pid[@]}"; do
    for i in $(seq 100); do kill -0 "${pid[$n]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pid[$n]}" 2>/dev/null
    wait "${pid[$n]}" 2>/dev/null
  done
  for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts); do umount -l "$m"; done
  ip netns del "$ns_p" 2>/dev/null
  ip netns del "$ns_s" 2>/dev/null
  rm -rf "$root" "$second_dir"
}
trap cleanup EXIT

(cd "$module" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp" >/dev/null)
cp=$target/test-classes:$target/classes:$(cat "$work/cp")
gcc -O2 -o "$work/randwrite-fsync" "$repo/native/fuse/bench/randwrite-fsync.c"

ip netns add "$ns_p"
ip netns add "$ns_s"
ip link add "tp$$" type veth peer name "ts$$"
ip link set "tp$$" netns "$ns_p"
ip link set "ts$$" netns "$ns_s"
ip -n "$ns_p" addr add "$net.1/30" dev "tp$$"
ip -n "$ns_s" addr add "$net.2/30" dev "ts$$"
for n in "$ns_p" "$ns_s"; do ip -n "$n" link set lo up; done
ip -n "$ns_p" link set "tp$$" up
ip -n "$ns_s" link set "ts$$" up
# each side's receive processing on its own processor
ip netns exec "$ns_p" sh -c "echo 1 > /sys/class/net/tp$$/queues/rx-0/rps_cpus"
ip netns exec "$ns_s" sh -c "echo 2 > /sys/class/net/ts$$/queues/rx-0/rps_cpus"

# node NAME NS CPU ROLE DIR STATE PORT ASYNC: a ReplicaBench JVM in namespace NS on processor CPU
node() {
  local n=$1 ns=$2 cpu=$3 role=$4 d=$5 state=$6 p=$7 async=$8 self peer f
  if [ "$ns" = "$ns_p" ]; then self=$net.1 peer=$net.2; else self=$net.2 peer=$net.1; fi
  mkdir -p "$d" "$state"
  mkfifo "$work/$n.in"
  # in the namespace's network only: the primaries' mounts stay in this mount namespace
  nsenter --net="/run/netns/$ns" taskset -c "$cpu" java $java_opts -cp "$cp" \
    org.bulwark.rfs.internal.ReplicaBench "$role" "$d" "$state" "$self" "$peer" "$p" "$async" \
    <"$work/$n.in" >"$work/$n.out" 2>"$work/$n.err" &
  pid[$n]=$!
  exec {f}>"$work/$n.in"
  fd[$n]=$f
  for i in $(seq 1200); do
    grep -q '^READY' "$work/$n.out" && return 0
    kill -0 "${pid[$n]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "twonode-bench.sh: $n not ready:" >&2
  tail -n 20 "$work/$n.out" "$work/$n.err" >&2
  exit 1
}

mkdir -p "$root/raw"
node alone "$ns_p" 0 primary "$root/alone" "$root/alone-state" "$port" second
node second "$ns_p" 0 primary "$root/second" "$root/second-state" "$((port + 1))" second
node second-s "$ns_s" 1 secondary "$second_dir/second" "$second_dir/second-state" \
  "$((port + 1))" second
node none "$ns_p" 0 primary "$root/none" "$root/none-state" "$((port + 2))" none
node none-s "$ns_s" 1 secondary "$second_dir/none" "$second_dir/none-state" "$((port + 2))" none
# the writer, on processor 0
in_primary() { taskset -c 0 "$@"; }
declare -A path=([raw]=$root/raw [alone]=$root/alone [second]=$root/second [none]=$root/none)
targets="raw alone second none"

seq_mib() { # TARGET -> MiB/s of a 1 GiB dd with fsync
  local f=${path[$1]}/seq out
  out=$(in_primary dd if=/dev/zero of="$f" bs=1M count=1024 conv=fsync 2>&1 | tail -n 1)
  in_primary rm -f "$f"
  echo "$out" | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) ~ /^s,?$/) t = $i;
    printf "%.0f", 1024 / t }'
}

# the 4 KiB files, 64 MiB each, written once
for t in $targets; do
  in_primary dd if=/dev/zero of="${path[$t]}/rand" bs=1M count=64 conv=fsync status=none
done
in_primary "$work/randwrite-fsync" 2 "${path[raw]}/rand" "${path[alone]}/rand" \
  "${path[second]}/rand" "${path[none]}/rand" >/dev/null # warm-up

echo "twonode-bench.sh: $(date -u +%FT%TZ) commit $(git -C "$repo" rev-parse --short HEAD)" \
  "rounds=$rounds rand_seconds=$rand_seconds secondary on $(df --output=fstype "$second_dir" | tail -1)" >&2
declare -A seq p50 p99 ops
loads=""
for r in $(seq "$rounds"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  loads="$loads $load"
  order=$targets
  for i in $(seq $(((r - 1) % 4))); do order="${order#* } ${order%% *}"; done
  for t in $order; do
    seq[$t]="${seq[$t]:-} $(seq_mib "$t")"
  done
  mapfile -t rw < <(in_primary "$work/randwrite-fsync" "$rand_seconds" "${path[raw]}/rand" \
    "${path[alone]}/rand" "${path[second]}/rand" "${path[none]}/rand")
  i=0
  for t in $targets; do
    read -r o a b <<<"${rw[$i]}"
    ops[$t]="${ops[$t]:-} $o"
    p50[$t]="${p50[$t]:-} $a"
    p99[$t]="${p99[$t]:-} $b"
    i=$((i + 1))
  done
  line="round $r (load $load):"
  for t in $targets; do
    line="$line $t seq $(echo "${seq[$t]}" | awk '{ print $NF }') MiB/s 4k p50 $(echo "${p50[$t]}" | awk '{ print $NF }') us;"
  done
  echo "$line" >&2
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratios() { # A B: per-round A/B, space-separated
  paste <(echo "$1" | tr ' ' '\n' | grep -v '^$') <(echo "$2" | tr ' ' '\n' | grep -v '^$') |
    awk '{ printf "%.3f ", $1 / $2 }'
}
echo
echo "load before each round:$loads"
echo
echo "| target | seq MiB/s | per round | 4k ops/s | 4k p50 µs | per round | 4k p99 µs |"
echo "|---|---|---|---|---|---|---|"
for t in $targets; do
  echo "| $t | $(echo "${seq[$t]}" | median) |${seq[$t]} | $(echo "${ops[$t]}" | median) |" \
    "$(echo "${p50[$t]}" | median) |${p50[$t]} | $(echo "${p99[$t]}" | median) |"
done
echo
echo "| target | seq / raw (median of rounds) | 4k p50 / raw |"
echo "|---|---|---|"
for t in alone second none; do
  echo "| $t | $(ratios "${seq[$t]}" "${seq[raw]}" | median) | $(ratios "${p50[$t]}" "${p50[raw]}" | median) |"
done
