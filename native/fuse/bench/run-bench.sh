#!/usr/bin/env bash
# FUSE driver benchmark (issue 6): the raw directory, this driver and bindfs, measured in the same
# run, rounds interleaved, median of 5.
#   1 GiB sequential write:  dd if=/dev/zero of=F bs=1M count=1024 conv=fsync   (MiB/s)
#   4 KiB random write+fsync at queue depth 1: randwrite-fsync.c (ops/s, p50, p99 of each pair)
# Reference: bindfs -o big_writes,max_write=131072 (a C pass-through; libfuse3 high-level API).
#
# usage (as root, after `mvn install -pl native/fuse -am`):
#   native/fuse/bench/run-bench.sh [BENCH_DIR (default /var/tmp/bulwark-fuse-bench)] [ROUNDS (5)]
# Environment: RAND_SECONDS (8), MAX_WRITE (131072), THREADS (8).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
root=${1:-/var/tmp/bulwark-fuse-bench}
rounds=${2:-5}
rand_seconds=${RAND_SECONDS:-8}
max_write=${MAX_WRITE:-131072}
threads=${THREADS:-8}

[ "$(id -u)" = 0 ] || { echo "run-bench.sh: must run as root (FUSE mounts)" >&2; exit 2; }
for tool in dd bindfs gcc java mvn fusermount3; do
  command -v "$tool" >/dev/null || { echo "run-bench.sh: $tool not found (bash .ci/packages)" >&2; exit 2; }
done
jar=$(ls "$module"/target/bulwark-native-fuse-*.jar 2>/dev/null | grep -v sources | head -1 || true)
[ -n "$jar" ] || { echo "run-bench.sh: build first: mvn install -pl native/fuse -am" >&2; exit 2; }

work=$(mktemp -d /tmp/bulwark-bench-XXXXXX)
raw=$root/raw drv=$root/driver bsrc=$root/bindfs-src bmnt=$root/bindfs
driver_pid=""
cleanup() {
  set +e
  [ -n "$driver_pid" ] && kill -TERM "$driver_pid" && wait "$driver_pid"
  mountpoint -q "$bmnt" && fusermount3 -u "$bmnt"
  rm -rf "$root" "$work"
}
trap cleanup EXIT
mkdir -p "$raw" "$drv" "$bsrc" "$bmnt"

gcc -O2 -o "$work/randwrite-fsync" "$here/randwrite-fsync.c"
(cd "$module" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null)
cp="$jar:$(cat "$work/cp.txt")"

java -Xms64m -Xmx256m -cp "$cp" org.bulwark.fuse.internal.MountMain "$drv" "$max_write" "$threads" \
  >"$work/driver.out" 2>"$work/driver.err" &
driver_pid=$!
for _ in $(seq 100); do grep -q MOUNTED "$work/driver.out" && break; sleep 0.1; done
grep -q MOUNTED "$work/driver.out" || { cat "$work/driver.err" >&2; exit 1; }
bindfs -o big_writes,max_write=131072 "$bsrc" "$bmnt"

seq_mibs() { # dir -> MiB/s of a 1 GiB write with conv=fsync
  local out secs
  out=$(dd if=/dev/zero of="$1/seq" bs=1M count=1024 conv=fsync 2>&1 | tail -1)
  rm -f "$1/seq"
  secs=$(echo "$out" | sed -E 's/.*copied, ([0-9.]+) s.*/\1/')
  awk -v s="$secs" 'BEGIN { printf "%.0f", 1024 / s }'
}

declare -A results
for r in $(seq "$rounds"); do
  for t in raw driver bindfs; do
    case $t in raw) d=$raw ;; driver) d=$drv ;; bindfs) d=$bmnt ;; esac
    sync
    s=$(seq_mibs "$d")
    read -r ops p50 p99 < <("$work/randwrite-fsync" "$d/rand" "$rand_seconds")
    results[$t]+="$s $ops $p50 $p99"$'\n'
    echo "round $r $t: seq ${s} MiB/s, 4k write+fsync ${ops} ops/s p50 ${p50} us p99 ${p99} us" >&2
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo
echo "| target | 1 GiB seq write, MiB/s | 4 KiB write+fsync ops/s | p50 µs | p99 µs |"
echo "|---|---|---|---|---|"
declare -A med
for t in raw driver bindfs; do
  for col in 1 2 3 4; do
    med[$t,$col]=$(printf '%s' "${results[$t]}" | awk -v c="$col" 'NF { print $c }' | median)
  done
  echo "| $t | ${med[$t,1]} | ${med[$t,2]} | ${med[$t,3]} | ${med[$t,4]} |"
done
echo
awk -v d="${med[driver,1]}" -v b="${med[bindfs,1]}" -v dp="${med[driver,3]}" -v bp="${med[bindfs,3]}" \
  'BEGIN { printf "driver/bindfs: sequential %.2f (target >= 0.90), 4 KiB p50 %.2f (target <= 1.20)\n", d / b, dp / bp }'
