#!/usr/bin/env bash
# FUSE driver benchmark (issue 6): the raw directory, this driver and bindfs, measured in the same
# run, rounds interleaved; medians of the rounds, and medians of the per-round ratios.
#   seq     1 GiB sequential write: dd if=/dev/zero of=F bs=1M count=1024 conv=fsync (MiB/s).
#           dd opens O_WRONLY: the driver's direct-I/O path.
#   seq-rw  the same through an O_RDWR descriptor: seqwrite.c (MiB/s): the page-cache path.
#   4k      4 KiB random write+fsync at queue depth 1, O_RDWR: randwrite-fsync.c (ops/s, p50, p99);
#           the three targets take turns in slices of 100 pairs within one run, so that they meet
#           the same moods of the shared disk.
#   4k-wo   the same through O_WRONLY descriptors (p50, p99).
# Reference: bindfs -o big_writes,max_write=131072 (a C pass-through; libfuse3 high-level API).
# The 1-minute load average is recorded before each round: the machine is shared.
# Each sequential measurement follows an unmeasured 1 GiB write through the same target and mode,
# removed at once: this VM hands freed memory back to its host (free page reporting) within
# seconds, and the first large allocation after a pause then costs 2-4x more system time (raw dd
# measured 0.45-1.1 GB/s cold against 1.8 GB/s warm), which would otherwise land on whichever
# target runs first.
#
# usage (as root, after `mvn install -pl native/fuse -am`):
#   native/fuse/bench/run-bench.sh [BENCH_DIR (default /var/tmp/bulwark-fuse-bench)] [ROUNDS (5)]
# Environment: RAND_SECONDS (8), MAX_WRITE (131072), THREADS (8), JAR (the driver's jar, default
# the module's target/; e.g. an older build, to compare versions by their ratios to raw).
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
jar=${JAR:-$(ls "$module"/target/bulwark-native-fuse-*.jar 2>/dev/null | grep -v sources | head -1 || true)}
[ -n "$jar" ] || { echo "run-bench.sh: build first: mvn install -pl native/fuse -am" >&2; exit 2; }

work=$(mktemp -d /tmp/bulwark-bench-XXXXXX)
raw=$root/raw drv=$root/driver bsrc=$root/bindfs-src bmnt=$root/bindfs
driver_pid=""
mounted() { grep -q " $1 " /proc/mounts; } # also a dead FUSE mount, which mountpoint(1) misses
cleanup() {
  set +e
  [ -n "$driver_pid" ] && kill -TERM "$driver_pid" && wait "$driver_pid"
  mounted "$drv" && umount -l "$drv"
  mounted "$bmnt" && { fusermount3 -u "$bmnt" || umount -l "$bmnt"; }
  rm -rf "$root" "$work"
}
trap cleanup EXIT
mkdir -p "$raw" "$drv" "$bsrc" "$bmnt"

gcc -O2 -o "$work/randwrite-fsync" "$here/randwrite-fsync.c"
gcc -O2 -o "$work/seqwrite" "$here/seqwrite.c"
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
  "$work/seqwrite" "$1/warm" 1024 wronly nosync >/dev/null
  sync
  out=$(dd if=/dev/zero of="$1/seq" bs=1M count=1024 conv=fsync 2>&1 | tail -1)
  rm -f "$1/seq"
  secs=$(echo "$out" | sed -E 's/.*copied, ([0-9.]+) s.*/\1/')
  awk -v s="$secs" 'BEGIN { printf "%.0f", 1024 / s }'
}

declare -A dirs=([raw]=$raw [driver]=$drv [bindfs]=$bmnt)
# Warm-up: the driver's JIT, and the first allocation of each file system's blocks.
for d in "$raw" "$drv" "$bmnt"; do
  "$work/seqwrite" "$d/warm" 256 >/dev/null
done
"$work/randwrite-fsync" 2 "$raw/rand" "$drv/rand" "$bmnt/rand" >/dev/null

declare -A results seqs
loads=""
for r in $(seq "$rounds"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  loads+="$load "
  for t in raw driver bindfs; do
    d=${dirs[$t]}
    sync
    s=$(seq_mibs "$d")
    "$work/seqwrite" "$d/warm" 1024 nosync >/dev/null
    sync
    seqs[$t]="$s $("$work/seqwrite" "$d/seqrw" 1024)"
  done
  # 4 KiB write+fsync: the three targets take turns within one run (randwrite-fsync.c)
  mapfile -t rw < <("$work/randwrite-fsync" "$rand_seconds" "$raw/rand" "$drv/rand" "$bmnt/rand")
  mapfile -t wo < <("$work/randwrite-fsync" -w "$rand_seconds" "$raw/rand" "$drv/rand" "$bmnt/rand")
  i=0
  for t in raw driver bindfs; do
    read -r s srw <<<"${seqs[$t]}"
    read -r ops p50 p99 <<<"${rw[$i]}"
    read -r _ wp50 wp99 <<<"${wo[$i]}"
    i=$((i + 1))
    results[$t]+="$s $srw $ops $p50 $p99 $wp50 $wp99"$'\n'
    echo "round $r (load $load) $t: seq ${s} MiB/s, seq-rw ${srw} MiB/s," \
      "4k ${ops} ops/s p50 ${p50} us p99 ${p99} us, 4k-wo p50 ${wp50} us p99 ${wp99} us" >&2
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column() { printf '%s' "${results[$1]}" | awk -v c="$2" 'NF { print $c }'; }
# median over the rounds of the ratio a/b of one column (each round measures both targets)
ratio() {
  paste -d' ' <(column "$1" "$3") <(column "$2" "$3") | awk '{ printf "%.3f\n", $1 / $2 }' | median
}
echo
echo "max_write=$max_write threads=$threads rounds=$rounds; load before each round: $loads"
echo
echo "| target | seq MiB/s | seq-rw MiB/s | 4k ops/s | 4k p50 µs | 4k p99 µs | 4k-wo p50 µs | 4k-wo p99 µs |"
echo "|---|---|---|---|---|---|---|---|"
for t in raw driver bindfs; do
  row="| $t"
  for col in 1 2 3 4 5 6 7; do row+=" | $(column "$t" "$col" | median)"; done
  echo "$row |"
done
echo
echo "Medians of the per-round ratios:"
for pair in "driver raw" "bindfs raw" "driver bindfs"; do
  set -- $pair
  echo "  $1/$2: seq $(ratio "$1" "$2" 1), seq-rw $(ratio "$1" "$2" 2)," \
    "4k p50 $(ratio "$1" "$2" 4), 4k-wo p50 $(ratio "$1" "$2" 6)"
done
echo "Targets (replicated path, later): sequential >= 0.7x raw, 4 KiB write+fsync p50 <= 3x raw."
