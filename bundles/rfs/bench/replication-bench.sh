#!/usr/bin/env bash
# Replication benchmark (figures in docs/benchmarks.md, "Replication"). Reuses the workloads and
# conventions of native/fuse/bench/run-bench.sh: rounds interleaved, raw baselines measured in the
# same run, the 1-minute load recorded before each round, medians of the rounds and of the
# per-round ratios.
#
# Part "write" — five targets, all up for the whole run:
#   raw     the directory itself
#   driver  the bare FUSE driver (MountMain, no interceptor)
#   alone   a primary with no secondary (ReplicaBench primary: intercepted, changes recorded)
#   second  a primary and its secondary, async="second" (acknowledged on receipt)
#   none    a primary and its secondary, async="none" (acknowledged once written)
# with SECOND_DIR set, two more, measured in the same rounds:
#   second-own, none-own  as second and none, but the secondary's directory and state under
#           SECOND_DIR (another file system, e.g. a tmpfs: SECOND_DIR=/dev/shm/x), so that the
#           secondary does not write to the primary's disk; everything else as for second/none
# and for each, as in run-bench.sh: seq (dd bs=1M count=1024 conv=fsync, MiB/s: O_WRONLY, the
# driver's direct-I/O path), seq-rw (seqwrite.c, O_RDWR: the page-cache path), 4k and 4k-wo
# (randwrite-fsync.c: 4 KiB write+fsync at queue depth 1, the targets taking turns in slices
# of 100 pairs within one process; ops/s, p50, p99 in µs). Every fsync through a replicated mount
# returns once the secondary has made the file durable too. With SEQ=1, also: "raw x2" (seq only:
# two 1 GiB dd at once into the raw directory, what the two nodes of a pair on one disk do without
# replication; the rate of one of them) and the processor time (user + system, /proc/PID/stat) of
# each node's JVM around each target's dd, in seconds per GiB. Each 1 GiB file (warm-up, seq,
# seq-rw) is removed once measured, on every target alike, so that a SECOND_DIR on a tmpfs holds at
# most ~1.1 GiB at any time (one file and the 64 MiB 4 KiB files).
#
# Part "tree" — a ~4 GiB tree of mixed sizes (ReplicaBenchTree: 10,000 files of 1-64 KiB, 200 of
# 1-8 MiB, 256 MiB, 512 MiB and two 1 GiB), per round: the disk's write bandwidth (1 GiB dd with
# fsync on the raw directory) and loopback TCP's (ReplicaBench tcp, 4 GiB through one connection),
# a local copy (cp -a, then sync) as the raw baseline, a full synchronisation to an empty
# secondary (with the processor time of each node's JVM: the primary's from its READY, the
# secondary's whole, its start included), then twice: the secondary stopped, 1% of the bytes changed through the primary's
# mount ("localized": 1% of the small and medium files rewritten, 1% of each large file in one
# region; "scattered": 4 KiB writes spread uniformly over all the bytes), the secondary started
# again and reintegrated from the changed zones. Time from startSecondary to the end of the
# reintegration (synced on the secondary), data bytes (the primary's "Secondary reintegrated: N
# files, X bytes" line) and bytes on the wire (primary to secondary, ss(8) bytes_sent of the
# session's connection). The source's pages are dropped (evict.c) before each copy.
#
# Part "many" — a tree of MANY_FILES files of 0-8 KiB (1,000 per directory), per round: cp -a +
# sync as the baseline, then a full synchronisation (time, files/s).
#
# Part "names" — changes of names while the secondary follows synchronously (async="second"),
# as an application saves files (docs/benchmarks.md, "Renames while synchronous"): per round,
# NAMES_N atomic saves (atomic-saves.py: a 4 KiB file written under a new name, renamed over one of
# 50 names) then NAMES_N directories published (dir-renames.py: a directory made aside with one
# 4 KiB file, renamed to its final name), through the pair's mount and, as the raw baseline, into
# a plain directory of the same file system; with COMPARE, through a pair of that build too, the
# two pairs taking turns in which goes first. Operations per second, medians and per-round ratios.
# With NAMES_ALONE=1, the same through primaries whose secondary is away (no secondary started: every
# change recorded, none sent), with a third workload, new-files.py (a 4 KiB file created under a new
# name, written, closed), as an application does while its secondary is away or reintegrated.
#
# Nodes: by default the primary and the secondary run in two JVMs (JVMS=2), as two nodes would:
# separate heaps, collectors, event loops and threads, on the same 2 CPUs; JVMS=1 runs them in one
# JVM (ReplicaBench pair, still with separate event loops). JVM options as the node's
# (-Xms64m -Xmx256m -XX:+UseSerialGC).
#
# usage (as root, after `mvn install -pl bundles/rfs -am`, or `mvn test-compile` of the module):
#   bundles/rfs/bench/replication-bench.sh [BENCH_DIR (/var/tmp/bulwark-rfs-bench)] [ROUNDS (5)]
#                                          [PARTS (write,tree,many; also names, profile, cpu)]
# Environment: RAND_SECONDS (15: the targets share it), JVMS (2), TREE_SCALE (1),
#   MANY_FILES (100000), JAVA_OPTS, PROBE (1: the nodes time their steps, ReplicaBenchProbe, and
#   print them after each 4 KiB run; for profiling, not for the figures), TARGET (the module's
#   build output holding classes/ and test-classes/, default bundles/rfs/target), CP_PREFIX (jars
#   put first on the class path, e.g. a freshly built driver), LOAD_BELOW (1.5) and LOAD_WAIT
#   (seconds, 0): before each round, wait up to LOAD_WAIT for the 1-minute load to fall below
#   LOAD_BELOW (the load is recorded either way), KEEP (1: keep the nodes' logs), COMPARE (another
#   build output of the module, e.g. of the previous commit: part write adds its replicated pairs
#   as targets second0 and none0, measured in the same rounds; parts tree and many run a second
#   full synchronisation per round with it, from a cold source as the first, before this build's
#   in even rounds and after it in odd ones), NET (the first three bytes of the
#   loopback addresses the nodes use, 127.1.6), SEQ (0: part write measures the 4 KiB
#   write+fsync only, not seq and seq-rw, reported as 0), CPU_WARM (part cpu: GiB written
#   through each pair before the rounds, 1), NBREI (the pairs' nbrei, parallel reintegration
#   streams; default the schema's, 6), NBREI_BASE (parts tree and many: each round also runs a
#   full synchronisation with this nbrei, e.g. 1, as the baseline of the same round), SECOND_DIR
#   (part write: a directory on another file system than BENCH_DIR, created and removed like
#   BENCH_DIR, for the targets second-own and none-own above), NAMES_N (part names: saves and
#   publishes per target and round, 500).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
repo=$(cd "$module/../.." && pwd)
root=${1:-/var/tmp/bulwark-rfs-bench}
rounds=${2:-5}
parts=${3:-write,tree,many}
rand_seconds=${RAND_SECONDS:-15}
jvms=${JVMS:-2}
tree_scale=${TREE_SCALE:-1}
many_files=${MANY_FILES:-100000}
java_opts=${JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}
target=${TARGET:-$module/target}
load_below=${LOAD_BELOW:-1.5}
load_wait=${LOAD_WAIT:-0}
probe=${PROBE:+--probe}
net=${NET:-127.1.6}
seq_too=${SEQ:-1}
nbrei_base=${NBREI_BASE:-}
second_dir=${SECOND_DIR:-}

[ "$(id -u)" = 0 ] || { echo "replication-bench.sh: must run as root (FUSE mounts)" >&2; exit 2; }
for tool in dd gcc java mvn ss fusermount3; do
  command -v "$tool" >/dev/null || { echo "replication-bench.sh: $tool not found" >&2; exit 2; }
done
[ -f "$target/test-classes/org/bulwark/rfs/internal/ReplicaBench.class" ] ||
  { echo "replication-bench.sh: build first: mvn install -pl bundles/rfs -am" >&2; exit 2; }
case "$root" in /tmp/*) echo "replication-bench.sh: GiB-sized data: not under /tmp" >&2; exit 2 ;; esac
if [ -n "$second_dir" ]; then
  case "$second_dir" in
    /*/*) ;;
    *) echo "replication-bench.sh: SECOND_DIR=$second_dir: an absolute path below a top directory" >&2; exit 2 ;;
  esac
  [ "$(stat -c %d "$(dirname "$second_dir")")" != "$(stat -c %d "$(dirname "$root")")" ] || {
    echo "replication-bench.sh: SECOND_DIR=$second_dir is on the file system of $root:" \
      "it must be another one" >&2
    exit 2
  }
fi

work=$(mktemp -d /tmp/bulwark-rfs-bench-XXXXXX)
declare -A pid fd serving skip
mounted() { grep -q " $1 " /proc/mounts; } # also a dead FUSE mount, which mountpoint(1) misses
stop_node() { # name: stdin closed (the node stops and unmounts), then SIGTERM, then SIGKILL
  local n=$1 i f=${fd[$1]:-}
  [ -n "${pid[$n]:-}" ] || return 0
  [ -n "$f" ] && exec {f}>&-
  [ -n "${serving[$n]:-}" ] || kill -TERM "${pid[$n]}" 2>/dev/null # MountMain: SIGTERM only
  for i in $(seq 100); do kill -0 "${pid[$n]}" 2>/dev/null || break; sleep 0.1; done
  kill -0 "${pid[$n]}" 2>/dev/null && kill -TERM "${pid[$n]}" && sleep 2
  kill -0 "${pid[$n]}" 2>/dev/null && kill -KILL "${pid[$n]}"
  wait "${pid[$n]}" 2>/dev/null || true
  unset "pid[$n]" "fd[$n]" "serving[$n]"
}
cleanup() {
  set +e
  for n in "${!pid[@]}"; do stop_node "$n"; done
  for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts); do umount -l "$m"; done
  rm -rf "$root"
  [ -z "$second_dir" ] || rm -rf "$second_dir"
  if [ -n "${KEEP:-}" ]; then echo "replication-bench.sh: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
if [ -e "$root" ]; then
  for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts); do umount -l "$m"; done
  rm -rf "$root"
fi
mkdir -p "$root"
df -h "$root" | tail -1 >&2
if [ -n "$second_dir" ]; then
  rm -rf "$second_dir"
  mkdir -p "$second_dir"
  df -h "$second_dir" | tail -1 >&2
fi

gcc -O2 -o "$work/randwrite-fsync" "$repo/native/fuse/bench/randwrite-fsync.c"
gcc -O2 -o "$work/seqwrite" "$repo/native/fuse/bench/seqwrite.c"
gcc -O2 -o "$work/evict" "$here/evict.c"
(cd "$module" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null)
# a copy of the classes: builds of the module during the run do not change what runs
cp -r "$target/classes" "$work/classes"
cp -r "$target/test-classes" "$work/test-classes"
cp="${CP_PREFIX:+$CP_PREFIX:}$work/test-classes:$work/classes:$(cat "$work/cp.txt")"
cp_compare=""
if [ -n "${COMPARE:-}" ]; then # another build of the module (part write: two more targets)
  mkdir -p "$work/compare"
  cp -r "$COMPARE/classes" "$COMPARE/test-classes" "$work/compare/"
  cp_compare="${CP_PREFIX:+$CP_PREFIX:}$work/compare/test-classes:$work/compare/classes:$(cat "$work/cp.txt")"
fi
bench() { java $java_opts -cp "$cp" org.bulwark.rfs.internal.ReplicaBench "$@"; }

# start_node NAME JAVA-ARGS...: a JVM whose standard input is a fifo held open here
start_node() {
  local n=$1 f
  shift
  rm -f "$work/$n.in" "$work/$n.out"
  mkfifo "$work/$n.in"
  java $java_opts -cp "${node_cp:-$cp}" "$@" <"$work/$n.in" >"$work/$n.out" 2>"$work/$n.err" &
  pid[$n]=$!
  exec {f}>"$work/$n.in"
  fd[$n]=$f
  skip[$n]=0
  [ "$1" = org.bulwark.rfs.internal.ReplicaBench ] && serving[$n]=1
  return 0
}
# await NAME REGEX [SECONDS]: the first line of the node's output matching REGEX after line SKIP
await() {
  local n=$1 re=$2 limit=${3:-600} i line
  for i in $(seq $((limit * 10))); do
    line=$(tail -n +"$((${skip[$n]:-0} + 1))" "$work/$n.out" | grep -m1 -E "$re" || true)
    [ -n "$line" ] && { echo "$line"; return 0; }
    kill -0 "${pid[$n]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "replication-bench.sh: $n: no '$re' (see $work/$n.err):" >&2
  tail -n 20 "$work/$n.out" "$work/$n.err" >&2
  exit 1
}
mark() { skip[$1]=$(wc -l <"$work/$1.out"); } # later awaits look at new lines only
send() { echo "$2" >&"${fd[$1]}"; }
# a replicated pair: primary node P, secondary node S (JVMS=2), or one pair node P (JVMS=1)
# start_pair NAME DIR_A DIR_B STATE ADDR_A ADDR_B PORT ASYNC -> the secondary's node name
# (optional 9th argument: the pair's nbrei, else NBREI, else the schema's default; STATE_B, if set,
# the secondary's state directory, else STATE/b)
start_pair() {
  local n=$1 a=$2 b=$3 state=$4 addr_a=$5 addr_b=$6 port=$7 async=$8 streams=${9:-${NBREI:-}}
  local extra=${streams:+--nbrei $streams} sb=${STATE_B:-$4/b}
  mkdir -p "$a" "$b" "$state" "$(dirname "$sb")"
  if [ "$jvms" = 1 ]; then
    ready_ticks=0
    start_node "$n" org.bulwark.rfs.internal.ReplicaBench pair "$a" "$b" "$state" \
      "$addr_a" "$addr_b" "$port" "$async" $probe $extra
    await "$n" '^READY' >/dev/null
    secondary_of[$n]=$n
  else
    start_node "$n" org.bulwark.rfs.internal.ReplicaBench primary "$a" "$state/a" \
      "$addr_a" "$addr_b" "$port" "$async" $probe $extra
    await "$n" '^READY' >/dev/null
    ready_ticks=$(cpu_ticks "${pid[$n]}") # the primary's processor time before the secondary's
    start_node "$n-s" org.bulwark.rfs.internal.ReplicaBench secondary "$b" "$sb" \
      "$addr_b" "$addr_a" "$port" "$async" $probe $extra
    await "$n-s" '^READY' >/dev/null
    secondary_of[$n]=$n-s
  fi
}
declare -A secondary_of
# start_alone NAME DIR_A DIR_B STATE ADDR_A ADDR_B PORT ASYNC: a primary whose secondary is away
start_alone() {
  mkdir -p "$2" "$4"
  start_node "$1" org.bulwark.rfs.internal.ReplicaBench primary "$2" "$4/a" "$5" "$6" "$7" "$8" $probe
  await "$1" '^READY' >/dev/null
  secondary_of[$1]=$1
}
stop_pair() {
  [ "${secondary_of[$1]}" != "$1" ] && stop_node "${secondary_of[$1]}"
  stop_node "$1"
}
wire_bytes() { # port -> bytes the primary sent on its established replication connection
  ss -tinH state established "( sport = :$1 )" | grep -o 'bytes_sent:[0-9]*' | cut -d: -f2 |
    awk '{ s += $1 } END { print s + 0 }'
}
round_load() { # waits (LOAD_WAIT) for a quiet machine; prints the 1-minute load
  local i l
  for i in $(seq 0 10 "$load_wait"); do
    l=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$l" -v m="$load_below" 'BEGIN { exit !(l < m) }' && break
    [ "$i" -lt "$load_wait" ] && sleep 10
  done
  cut -d' ' -f1 /proc/loadavg
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
dd_secs() { # file -> seconds of a 1 GiB dd with conv=fsync
  dd if=/dev/zero of="$1" bs=1M count=1024 conv=fsync 2>&1 | tail -1 |
    sed -E 's/.*copied, ([0-9.]+) s.*/\1/'
}
# seq_mibs DIR [PID...] -> MiB/s of a 1 GiB write with conv=fsync, after a warm-up (run-bench.sh),
# then for each PID the processor seconds it used during the write (= per GiB). The warm-up's file
# is removed before the write (a tmpfs SECOND_DIR holds one GiB at a time).
seq_mibs() {
  local d=$1 secs p hz t0=() t1=()
  shift
  "$work/seqwrite" "$d/warm" 1024 wronly nosync >/dev/null
  sync
  rm -f "$d/warm"
  sync
  for p in "$@"; do t0+=("$(cpu_ticks "$p")"); done
  secs=$(dd_secs "$d/seq")
  for p in "$@"; do t1+=("$(cpu_ticks "$p")"); done
  rm -f "$d/seq"
  awk -v s="$secs" 'BEGIN { printf "%.0f", 1024 / s }'
  hz=$(getconf CLK_TCK)
  for p in "${!t0[@]}"; do
    awk -v a="${t0[$p]}" -v b="${t1[$p]}" -v h="$hz" 'BEGIN { printf " %.2f", (b - a) / h }'
  done
}
raw_x2_mibs() { # dir -> MiB/s of each of two 1 GiB dd (conv=fsync) run at once in DIR
  local a b bg
  sync
  a=$(date +%s.%N)
  dd_secs "$1/seq1" >/dev/null &
  bg=$!
  dd_secs "$1/seq2" >/dev/null
  wait "$bg" # only this one: the nodes are background jobs too
  b=$(date +%s.%N)
  rm -f "$1/seq1" "$1/seq2"
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", 1024 / (b - a) }'
}
probe_stats() { # prints the probes' figures of every node, for the record
  local n
  [ -n "$probe" ] || return 0
  for n in "${!pid[@]}"; do
    [ -n "${serving[$n]:-}" ] || continue
    mark "$n"
    send "$n" stats
    await "$n" '^END' >/dev/null
    tail -n +"$((${skip[$n]} + 1))" "$work/$n.out" | grep '^STAT' | sed "s/^/  [$1] /" >&2
  done
}
echo "replication-bench.sh: $(date -u +%FT%TZ) commit $(git -C "$repo" rev-parse --short HEAD)" \
  "jvms=$jvms rounds=$rounds parts=$parts" >&2

# ---------------------------------------------------------------------------------------------
write_part() {
  local r t d s srw i load c x2
  local raw=$root/w/raw drv=$root/w/driver alone=$root/w/alone
  mkdir -p "$raw" "$drv" "$alone"
  start_node driver org.bulwark.fuse.internal.MountMain "$drv"
  await driver '^MOUNTED' >/dev/null
  start_node alone org.bulwark.rfs.internal.ReplicaBench primary "$alone" "$root/w/alone-state" \
    ${net}.10 ${net}.11 41610 second $probe
  await alone '^READY' >/dev/null
  start_pair second "$root/w/second/a" "$root/w/second/b" "$root/w/second-state" \
    ${net}.20 ${net}.21 41620 second
  start_pair none "$root/w/none/a" "$root/w/none/b" "$root/w/none-state" \
    ${net}.30 ${net}.31 41630 none
  local targets=(raw driver alone second none)
  declare -A dirs=([raw]=$raw [driver]=$drv [alone]=$alone [second]=$root/w/second/a
    [none]=$root/w/none/a)
  if [ -n "$cp_compare" ]; then
    node_cp=$cp_compare start_pair second0 "$root/w/second0/a" "$root/w/second0/b" \
      "$root/w/second0-state" ${net}.22 ${net}.23 41622 second
    node_cp=$cp_compare start_pair none0 "$root/w/none0/a" "$root/w/none0/b" \
      "$root/w/none0-state" ${net}.32 ${net}.33 41632 none
    targets+=(second0 none0)
    dirs[second0]=$root/w/second0/a
    dirs[none0]=$root/w/none0/a
  fi
  if [ -n "$second_dir" ]; then # the secondary's copy and state on their own file system
    STATE_B=$second_dir/second-own-state start_pair second-own "$root/w/second-own/a" \
      "$second_dir/second-own" "$root/w/second-own-state" ${net}.24 ${net}.25 41624 second
    STATE_B=$second_dir/none-own-state start_pair none-own "$root/w/none-own/a" \
      "$second_dir/none-own" "$root/w/none-own-state" ${net}.34 ${net}.35 41634 none
    targets+=(second-own none-own)
    dirs[second-own]=$root/w/second-own/a
    dirs[none-own]=$root/w/none-own/a
  fi
  declare -A jvm_pids=([raw]="" [driver]=${pid[driver]} [alone]=${pid[alone]})
  for t in "${targets[@]:3}"; do
    jvm_pids[$t]=${pid[$t]}
    [ "${secondary_of[$t]}" = "$t" ] || jvm_pids[$t]+=" ${pid[${secondary_of[$t]}]}"
  done
  local files=()
  for t in "${targets[@]}"; do files+=("${dirs[$t]}/rand"); done
  # warm-up: the JITs, and the first allocation of each file system's blocks
  for t in "${targets[@]}"; do
    "$work/seqwrite" "${dirs[$t]}/warm" 256 >/dev/null
    rm -f "${dirs[$t]}/warm"
  done
  "$work/randwrite-fsync" 3 "${files[@]}" >/dev/null
  probe_stats warm-up >/dev/null 2>&1
  declare -A results seqs cpus
  local loads="" x2s=""
  for r in $(seq "$rounds"); do
    load=$(round_load)
    loads+="$load "
    for t in "${targets[@]}"; do
      d=${dirs[$t]}
      if [ "$seq_too" = 0 ]; then seqs[$t]="0 0"; continue; fi
      sync
      # shellcheck disable=SC2086 # a list of pids
      read -r s c <<<"$(seq_mibs "$d" ${jvm_pids[$t]})"
      [ -z "${jvm_pids[$t]}" ] || cpus[$t]+="${c// /+}"$'\n'
      "$work/seqwrite" "$d/warm" 1024 nosync >/dev/null
      sync
      rm -f "$d/warm"
      sync
      seqs[$t]="$s $("$work/seqwrite" "$d/seqrw" 1024)"
      rm -f "$d/seqrw"
    done
    if [ "$seq_too" != 0 ]; then
      "$work/seqwrite" "$raw/warm" 1024 wronly nosync >/dev/null
      sync
      rm -f "$raw/warm"
      x2=$(raw_x2_mibs "$raw")
      x2s+="$x2"$'\n'
      echo "round $r (load $load) raw x2: seq ${x2} MiB/s each" >&2
    fi
    probe_stats "round $r seq"
    mapfile -t rw < <("$work/randwrite-fsync" "$rand_seconds" "${files[@]}")
    probe_stats "round $r 4k"
    mapfile -t wo < <("$work/randwrite-fsync" -w "$rand_seconds" "${files[@]}")
    probe_stats "round $r 4k-wo"
    i=0
    for t in "${targets[@]}"; do
      read -r s srw <<<"${seqs[$t]}"
      read -r ops p50 p99 <<<"${rw[$i]}"
      read -r _ wp50 wp99 <<<"${wo[$i]}"
      i=$((i + 1))
      results[$t]+="$s $srw $ops $p50 $p99 $wp50 $wp99"$'\n'
      echo "round $r (load $load) $t: seq ${s} MiB/s, seq-rw ${srw} MiB/s," \
        "4k ${ops} ops/s p50 ${p50} us p99 ${p99} us, 4k-wo p50 ${wp50} us p99 ${wp99} us" \
        "${cpus[$t]:+cpu s/GiB $(printf '%s' "${cpus[$t]}" | tail -1)}" >&2
    done
  done
  column() { printf '%s' "${results[$1]}" | awk -v c="$2" 'NF { print $c }'; }
  ratio() {
    paste -d' ' <(column "$1" "$3") <(column "$2" "$3") |
      awk '{ printf "%.2f\n", $2 == 0 ? 0 : $1 / $2 }' | median
  }
  echo
  echo "Part write: jvms=$jvms rounds=$rounds rand_seconds=$rand_seconds; load before each round: $loads"
  echo
  echo "| target | seq MiB/s | seq-rw MiB/s | 4k ops/s | 4k p50 µs | 4k p99 µs | 4k-wo p50 µs | 4k-wo p99 µs |"
  echo "|---|---|---|---|---|---|---|---|"
  for t in "${targets[@]}"; do
    row="| $t"
    for col in 1 2 3 4 5 6 7; do row+=" | $(column "$t" "$col" | median)"; done
    echo "$row |"
  done
  echo
  echo "Medians of the per-round ratios to raw (targets: seq >= 0.7, aim 0.85; 4k p50 <= 3):"
  echo
  echo "| target | seq | seq-rw | 4k p50 | 4k-wo p50 |"
  echo "|---|---|---|---|---|"
  for t in "${targets[@]:1}"; do
    echo "| $t/raw | $(ratio "$t" raw 1) | $(ratio "$t" raw 2) | $(ratio "$t" raw 4) | $(ratio "$t" raw 6) |"
  done
  if [ "$seq_too" != 0 ]; then
    echo
    echo "seq: raw x2 (each of two dd at once on the raw directory), and the processor time of each"
    echo "node's JVM during its target's dd (medians of the rounds; rounds: raw / raw x2 per round):"
    echo
    echo "| target | seq MiB/s | /raw | /raw x2 | JVM CPU s/GiB (primary + secondary) |"
    echo "|---|---|---|---|---|"
    echo "| raw x2 | $(printf '%s' "$x2s" | median) | $(paste -d' ' <(printf '%s' "$x2s") \
      <(column raw 1) | awk '{ printf "%.2f\n", $1 / $2 }' | median) | 1 | |"
    for t in "${targets[@]:1}"; do
      echo "| $t | $(column "$t" 1 | median) | $(ratio "$t" raw 1) |" \
        "$(paste -d' ' <(column "$t" 1) <(printf '%s' "$x2s") |
          awk '{ printf "%.2f\n", $1 / $2 }' | median) |" \
        "$(printf '%s' "${cpus[$t]}" | tr '+' ' ' | awk 'NF { printf "%s\n", $1 }' | median)$(
          printf '%s' "${cpus[$t]}" | tr '+' ' ' | awk 'NF > 1 { print $2 }' | median |
            sed 's/^./ + &/') |"
    done
  fi
  if [ -n "$second_dir" ]; then
    stop_pair none-own
    stop_pair second-own
  fi
  if [ -n "$cp_compare" ]; then
    stop_pair none0
    stop_pair second0
  fi
  stop_pair none
  stop_pair second
  stop_node alone
  stop_node driver
  rm -rf "$root/w"
}

# ---------------------------------------------------------------------------------------------
# full_sync NAME SRC ADDR PORT [NBREI]: full synchronisation of SRC to an empty secondary; sets
# result="ms bytes wire cpu_primary cpu_secondary" (processor seconds: the primary's from its READY,
# the secondary's whole JVM; not printed: the nodes must start in this shell, not a subshell)
full_sync() {
  local n=$1 src=$2 addr=$3 port=$4 streams=${5:-} ms line bytes hz cpu
  rm -rf "$root/$n-b" "$root/$n-state"
  sync
  "$work/evict" "$src" >/dev/null
  start_pair "$n" "$src" "$root/$n-b" "$root/$n-state" "$addr" "${addr%.*}.$((${addr##*.} + 1))" \
    "$port" second "$streams"
  ms=$(await "${secondary_of[$n]}" '^READY' | awk '{ print $3 }')
  line=$(await "$n" 'Secondary reintegrated:')
  bytes=$(echo "$line" | sed -E 's/.*reintegrated: [0-9]+ files, ([0-9]+) bytes.*/\1/')
  hz=$(getconf CLK_TCK)
  cpu=$(awk -v a="$ready_ticks" -v b="$(cpu_ticks "${pid[$n]}")" \
    -v s="$(cpu_ticks "${pid[${secondary_of[$n]}]}")" -v h="$hz" \
    'BEGIN { printf "%.2f %.2f", (b - a) / h, s / h }')
  result="$ms $bytes $(wire_bytes "$port") $cpu"
}
# reintegrate NAME MOUNT PORT HOW SEED: sets result="ms bytes wire changed_bytes"
reintegrate() {
  local n=$1 mnt=$2 port=$3 how=$4 seed=$5 s changed ms line bytes
  s=${secondary_of[$n]}
  sleep 5 # a flush (every 2 s) has made everything durable on the secondary: no zone left
  mark "$s"
  send "$s" stop
  await "$s" '^STOPPED' >/dev/null
  changed=$(bench change "$mnt" "$how" 0.01 "$seed" | awk '/^CHANGED/ { print $3 }')
  mark "$s"
  mark "$n"
  send "$s" start
  ms=$(await "$s" '^REINTEGRATED' | awk '{ print $3 }')
  line=$(await "$n" 'Secondary reintegrated:')
  bytes=$(echo "$line" | sed -E 's/.*reintegrated: [0-9]+ files, ([0-9]+) bytes.*/\1/')
  result="$ms $bytes $(wire_bytes "$port") $changed"
}
copy_secs() { # SRC DST -> seconds of cp -a and sync, from a cold source
  local t0 t1
  rm -rf "$2"
  sync
  "$work/evict" "$1" >/dev/null
  t0=$(date +%s.%N)
  cp -a "$1" "$2"
  sync -f "$2"
  t1=$(date +%s.%N)
  rm -rf "$2"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

tree_part() {
  local r load disk tcp cp_s full fcpu loc sca base tree_line tree_bytes rows="" cmp cmpcpu
  local gib
  mkdir -p "$root/raw"
  tree_line=$(bench tree "$root/tree" "$tree_scale")
  tree_bytes=$(echo "$tree_line" | awk '{ print $3 }')
  echo "tree: $tree_line" >&2
  gib=$(awk -v b="$tree_bytes" 'BEGIN { print b / 1073741824 }')
  # COMPARE's full synchronisation, before this build's in even rounds and after it in odd ones
  compare_sync() {
    node_cp=$cp_compare full_sync treecmp "$root/tree" ${net}.54 41654
    cmp=${result%% *}
    cmpcpu=$(echo "$result" | cut -d' ' -f4-5)
    stop_pair treecmp
    rm -rf "$root/treecmp-b" "$root/treecmp-state"
  }
  for r in $(seq "$rounds"); do
    load=$(round_load)
    disk=$(seq_mibs "$root/raw")
    tcp=$(bench tcp ${net}.40 4096 | awk '{ print $2 }')
    cp_s=$(copy_secs "$root/tree" "$root/tree-copy")
    cmp=0
    cmpcpu="0 0"
    [ -n "$cp_compare" ] && [ $((r % 2)) = 0 ] && compare_sync
    full_sync tree "$root/tree" ${net}.50 41650
    full=$(echo "$result" | cut -d' ' -f1-3)
    fcpu=$(echo "$result" | cut -d' ' -f4-5)
    reintegrate tree "$root/tree" 41650 localized "$r"
    loc=$result
    reintegrate tree "$root/tree" 41650 scattered "$((r + 100))"
    sca=$result
    stop_pair tree
    rm -rf "$root/tree-b" "$root/tree-state"
    [ -n "$cp_compare" ] && [ $((r % 2)) = 1 ] && compare_sync
    base=0
    if [ -n "$nbrei_base" ]; then
      full_sync treebase "$root/tree" ${net}.52 41652 "$nbrei_base"
      base=${result%% *}
      stop_pair treebase
      rm -rf "$root/treebase-b" "$root/treebase-state"
    fi
    echo "round $r (load $load): disk $disk MiB/s, tcp $tcp MiB/s, cp -a $cp_s s," \
      "full [ms bytes wire] $full, localized [ms bytes wire changed] $loc, scattered $sca," \
      "full with nbrei=${nbrei_base:-none} ms $base, full CPU s [primary secondary] $fcpu," \
      "COMPARE's full ms $cmp, CPU s $cmpcpu" >&2
    rows+="$load $disk $tcp $cp_s $full $loc $sca $base $fcpu $cmp $cmpcpu"$'\n'
  done
  # columns: 1 load 2 disk 3 tcp 4 cp_s 5 full_ms 6 full_bytes 7 full_wire 8 loc_ms 9 loc_bytes
  #          10 loc_wire 11 loc_changed 12 sca_ms 13 sca_bytes 14 sca_wire 15 sca_changed
  #          16 base_ms (full sync with nbrei=NBREI_BASE, 0 without) 17 full_cpu_primary
  #          18 full_cpu_secondary 19 cmp_ms (COMPARE's full sync, 0 without) 20 cmp_cpu_primary
  #          21 cmp_cpu_secondary
  col() { printf '%s' "$rows" | awk -v c="$1" 'NF { print $c }' | median; }
  per() { printf '%s' "$rows" | awk "NF { printf \"%.4f\\n\", $1 }" | median; }
  echo
  echo "Part tree: $tree_line (files bytes); jvms=$jvms; load before each round:" \
    "$(printf '%s' "$rows" | awk 'NF { printf "%s ", $1 }')"
  echo
  echo "| measure | median | rounds |"
  echo "|---|---|---|"
  echo "| disk write (1 GiB dd, fsync), MiB/s | $(col 2) | $(printf '%s' "$rows" | awk 'NF { printf "%s ", $2 }')|"
  echo "| loopback TCP, MiB/s | $(col 3) | $(printf '%s' "$rows" | awk 'NF { printf "%s ", $3 }')|"
  echo "| cp -a + sync, s | $(col 4) | $(printf '%s' "$rows" | awk 'NF { printf "%s ", $4 }')|"
  echo "| full sync, s | $(per '$5 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $5 / 1000 }')|"
  echo "| full sync, MiB/s | $(per "$tree_bytes / 1048576 / (\$5 / 1000)") | |"
  echo "| full sync, data / wire bytes | $(col 6) / $(col 7) | |"
  echo "| localized 1%: changed bytes | $(col 11) | |"
  echo "| localized 1%: reintegration s | $(per '$8 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $8 / 1000 }')|"
  echo "| localized 1%: data / wire bytes | $(col 9) / $(col 10) | |"
  echo "| localized 1%: wire bytes / full's | $(per '$10 / $7') | $(printf '%s' "$rows" | awk 'NF { printf "%.4f ", $10 / $7 }')|"
  echo "| scattered 1%: changed bytes | $(col 15) | |"
  echo "| scattered 1%: reintegration s | $(per '$12 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $12 / 1000 }')|"
  echo "| scattered 1%: data / wire bytes | $(col 13) / $(col 14) | |"
  echo "| scattered 1%: wire bytes / full's | $(per '$14 / $7') | $(printf '%s' "$rows" | awk 'NF { printf "%.4f ", $14 / $7 }')|"
  echo "| full sync / min(disk, tcp) | $(per "($tree_bytes / 1048576 / (\$5 / 1000)) / (\$2 < \$3 ? \$2 : \$3)") | |"
  echo "| full sync / cp -a | $(per '$4 / ($5 / 1000)') | |"
  echo "| full sync, CPU s per GiB: primary, secondary (its start included) | $(per "\$17 / $gib")," \
    "$(per "\$18 / $gib") | $(printf '%s' "$rows" | awk -v g="$gib" 'NF { printf "%.2f/%.2f ", $17 / g, $18 / g }')|"
  if [ -n "$cp_compare" ]; then
    echo "| COMPARE's full sync, s | $(per '$19 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $19 / 1000 }')|"
    echo "| COMPARE's full sync / min(disk, tcp) | $(per "($tree_bytes / 1048576 / (\$19 / 1000)) / (\$2 < \$3 ? \$2 : \$3)") | |"
    echo "| COMPARE's full sync / cp -a | $(per '$4 / ($19 / 1000)') | |"
    echo "| COMPARE's CPU s per GiB: primary, secondary | $(per "\$20 / $gib"), $(per "\$21 / $gib") | $(printf '%s' "$rows" | awk -v g="$gib" 'NF { printf "%.2f/%.2f ", $20 / g, $21 / g }')|"
    echo "| speed-up over COMPARE (per round) | $(per '$19 / $5') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $19 / $5 }')|"
  fi
  if [ -n "$nbrei_base" ]; then
    echo "| full sync with nbrei=$nbrei_base, s | $(per '$16 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $16 / 1000 }')|"
    echo "| full sync with nbrei=$nbrei_base / min(disk, tcp) | $(per "($tree_bytes / 1048576 / (\$16 / 1000)) / (\$2 < \$3 ? \$2 : \$3)") | |"
    echo "| speed-up over nbrei=$nbrei_base (per round) | $(per '$16 / $5') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $16 / $5 }')|"
  fi
  rm -rf "$root/tree" "$root/raw"
}

many_part() {
  local r load cp_s full base rows="" tree_line cmp
  tree_line=$(bench many "$root/many" "$many_files")
  echo "many: $tree_line" >&2
  compare_many() { # COMPARE's full synchronisation: before this build's in even rounds
    node_cp=$cp_compare full_sync manycmp "$root/many" ${net}.64 41664
    cmp=${result%% *}
    stop_pair manycmp
    rm -rf "$root/manycmp-b" "$root/manycmp-state"
  }
  for r in $(seq "$rounds"); do
    load=$(round_load)
    cp_s=$(copy_secs "$root/many" "$root/many-copy")
    cmp=0
    [ -n "$cp_compare" ] && [ $((r % 2)) = 0 ] && compare_many
    full_sync many "$root/many" ${net}.60 41660
    full=$(echo "$result" | cut -d' ' -f1-3)
    stop_pair many
    rm -rf "$root/many-b" "$root/many-state"
    [ -n "$cp_compare" ] && [ $((r % 2)) = 1 ] && compare_many
    base=0
    if [ -n "$nbrei_base" ]; then
      full_sync manybase "$root/many" ${net}.62 41662 "$nbrei_base"
      base=${result%% *}
      stop_pair manybase
      rm -rf "$root/manybase-b" "$root/manybase-state"
    fi
    echo "round $r (load $load): cp -a $cp_s s, full [ms bytes wire] $full," \
      "full with nbrei=${nbrei_base:-none} ms $base, COMPARE's full ms $cmp" >&2
    rows+="$load $cp_s $full $base $cmp"$'\n'
  done
  per() { printf '%s' "$rows" | awk "NF { printf \"%.2f\\n\", $1 }" | median; }
  echo
  echo "Part many: $tree_line (files bytes); jvms=$jvms; load before each round:" \
    "$(printf '%s' "$rows" | awk 'NF { printf "%s ", $1 }')"
  echo
  echo "| measure | median | rounds |"
  echo "|---|---|---|"
  echo "| cp -a + sync, s | $(per '$2') | $(printf '%s' "$rows" | awk 'NF { printf "%s ", $2 }')|"
  echo "| full sync, s | $(per '$3 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $3 / 1000 }')|"
  echo "| full sync, files/s | $(per "$many_files / (\$3 / 1000)") | |"
  echo "| full sync / cp -a (time) | $(per '($3 / 1000) / $2') | |"
  if [ -n "$nbrei_base" ]; then
    echo "| full sync with nbrei=$nbrei_base, s | $(per '$6 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $6 / 1000 }')|"
    echo "| speed-up over nbrei=$nbrei_base (per round) | $(per '$6 / $3') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $6 / $3 }')|"
  fi
  if [ -n "$cp_compare" ]; then
    echo "| COMPARE's full sync, s | $(per '$7 / 1000') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $7 / 1000 }')|"
    echo "| speed-up over COMPARE (per round) | $(per '$7 / $3') | $(printf '%s' "$rows" | awk 'NF { printf "%.2f ", $7 / $3 }')|"
  fi
  rm -rf "$root/many"
}

# ---------------------------------------------------------------------------------------------
# Part "names": atomic saves and directories published through synchronous pairs (see the top).
names_part() {
  local r load n=${NAMES_N:-500} t w targets=(names) rows="" row first
  local works=(atomic-saves dir-renames) starter=start_pair
  if [ -n "${NAMES_ALONE:-}" ]; then
    works+=(new-files)
    starter=start_alone
  fi
  $starter names "$root/names/a" "$root/names/b" "$root/names/state" ${net}.70 ${net}.71 41670 second
  if [ -n "$cp_compare" ]; then
    node_cp=$cp_compare $starter names0 "$root/names0/a" "$root/names0/b" \
      "$root/names0/state" ${net}.72 ${net}.73 41672 second
    targets+=(names0)
  fi
  mkdir -p "$root/names-raw"
  one() { # target workload tag -> operations per second
    local d=$root/names-raw
    [ "$1" != raw ] && d=$root/$1/a
    mkdir -p "$d/$2-$3"
    python3 "$here/$2.py" "$d/$2-$3" "$n" "$3"
  }
  for w in "${works[@]}"; do # warm-up
    for t in "${targets[@]}" raw; do one "$t" "$w" warm >/dev/null; done
  done
  for r in $(seq "$rounds"); do
    load=$(round_load)
    row="$load"
    for w in "${works[@]}"; do
      first=("${targets[@]}")
      [ $((r % 2)) = 0 ] && [ "${#targets[@]}" = 2 ] && first=(names0 names)
      declare -A got=()
      for t in "${first[@]}" raw; do got[$t]=$(one "$t" "$w" "r$r"); done
      row+=" ${got[names]} ${got[names0]:-0} ${got[raw]}"
      unset got
    done
    echo "round $r (load $load): saves/s this, COMPARE, raw; publishes/s the same${NAMES_ALONE:+; new files/s the same}: ${row#* }" >&2
    rows+="$row"$'\n'
  done
  per() { printf '%s' "$rows" | awk "NF { printf \"%.2f\\n\", $1 }" | median; }
  all() { printf '%s' "$rows" | awk "NF { printf \"%.2f \", $1 }"; }
  echo
  echo "Part names${NAMES_ALONE:+ (alone)}: $n per target and round; jvms=$jvms; load before each round:" \
    "$(printf '%s' "$rows" | awk 'NF { printf "%s ", $1 }')"
  echo
  echo "| measure | median | rounds |"
  echo "|---|---|---|"
  echo "| atomic saves/s, this build | $(per '$2') | $(all '$2')|"
  echo "| atomic saves/s, raw | $(per '$4') | $(all '$4')|"
  echo "| this / raw (per round) | $(per '$2 / $4') | |"
  echo "| publishes/s, this build | $(per '$5') | $(all '$5')|"
  echo "| publishes/s, raw | $(per '$7') | $(all '$7')|"
  echo "| this / raw (per round) | $(per '$5 / $7') | |"
  if [ -n "$cp_compare" ]; then
    echo "| atomic saves/s, COMPARE | $(per '$3') | $(all '$3')|"
    echo "| this / COMPARE, saves (per round) | $(per '$2 / $3') | $(all '$2 / $3')|"
    echo "| publishes/s, COMPARE | $(per '$6') | $(all '$6')|"
    echo "| this / COMPARE, publishes (per round) | $(per '$5 / $6') | $(all '$5 / $6')|"
  fi
  if [ -n "${NAMES_ALONE:-}" ]; then
    echo "| new files/s, this build | $(per '$8') | $(all '$8')|"
    echo "| new files/s, raw | $(per '$10') | $(all '$10')|"
    if [ -n "$cp_compare" ]; then
      echo "| new files/s, COMPARE | $(per '$9') | $(all '$9')|"
      echo "| this / COMPARE, new files (per round) | $(per '$8 / $9') | $(all '$8 / $9')|"
    fi
  fi
  for t in "${targets[@]}"; do stop_pair "$t"; done
  rm -rf "$root/names" "$root/names0" "$root/names-raw"
}

# ---------------------------------------------------------------------------------------------
# Part "profile": where a 4 KiB write+fsync spends its time, per mode: a pair alone on the machine's
# CPUs with its steps timed (ReplicaBenchProbe), the kernel's FUSE requests timed (tracepoints
# fuse:fuse_request_send/end, perf), and the replication channel's round trip without disk or FUSE
# (ReplicaBench rtt). Percentiles in µs.
fuse_requests() { # perf.data DEV -> per opcode: count p50 p90 p99 (µs), the mount's connection only
  perf script -i "$1" 2>/dev/null | awk -v dev="$2" '
    { # comm may hold spaces: fields are found from the event name on
      for (i = 1; i <= NF && $i !~ /^fuse:fuse_request_/; i++) {}
      t = $(i - 1); sub(":", "", t)
      if ($(i + 2) != dev) next
      r = $(i + 4)
    }
    $i == "fuse:fuse_request_send:" { send[r] = t; op[r] = $(i + 7) }
    $i == "fuse:fuse_request_end:" && (r in send) { print op[r], (t - send[r]) * 1e6; delete send[r] }
    ' | sort -k1,1 -k2,2n | awk '
    function flush() { if (n) printf "  FUSE %s %d %.1f %.1f %.1f\n", name, n, v[int(n * 0.5) + 1], v[int(n * 0.9) + 1], v[int(n * 0.99) + 1] }
    $1 != name { flush(); name = $1; n = 0 }
    { v[++n] = $2 }
    END { flush() }'
}
profile_part() {
  local async dev saved=$probe
  probe=--probe
  for async in none second; do
    echo "load $(cut -d' ' -f1 /proc/loadavg), async=$async:"
    start_pair prof "$root/p/$async/a" "$root/p/$async/b" "$root/p/$async-state" \
      ${net}.70 ${net}.71 41670 "$async"
    "$work/randwrite-fsync" 3 "$root/p/$async/a/rand" >/dev/null
    probe_stats warm-up 2>/dev/null
    dev=$(stat -c %d "$root/p/$async/a")
    if command -v perf >/dev/null; then
      echo "  app (4 KiB write+fsync, O_RDWR) ops/s p50 p99: $(perf record -q -e fuse:fuse_request_send \
        -e fuse:fuse_request_end -a -o "$work/fuse.data" -- \
        "$work/randwrite-fsync" "$rand_seconds" "$root/p/$async/a/rand" 2>/dev/null)"
      echo "  FUSE request count p50 p90 p99:"
      fuse_requests "$work/fuse.data" "$dev"
    else
      echo "  app (4 KiB write+fsync) ops/s p50 p99: $("$work/randwrite-fsync" "$rand_seconds" \
        "$root/p/$async/a/rand")"
    fi
    echo "  step count p50 p90 p99 mean max:"
    probe_stats "$async" 2>&1 | sed 's/^ *\[[^]]*\] STAT/  /'
    stop_pair prof
    rm -rf "$root/p"
  done
  echo "replication channel alone (RTT kind p50 p90 p99), 4 KiB changes:"
  bench rtt ${net}.72 20000 4096 | sed 's/^/  /'
  probe=$saved
}

# ---------------------------------------------------------------------------------------------
# Part "cpu" — what a replicated byte costs, less disturbed by a busy machine than the wall time:
# per round, a 1 GiB dd (bs=1M, conv=fsync, after a warm-up) on the raw directory, "raw x2" (two
# such dd at once into two files of the same directory: the disk and page-cache work a replicated
# pair does on one machine, without the replication), and through the primary's mount of a pair
# with async="second" and one with "none" (COMPARE: the other build's pairs too). For each pair:
# MiB/s, and the processor time (user + system, /proc/PID/stat) of each JVM around the dd, in
# seconds per GiB. The pair's JVMs are idle otherwise (no other target runs during a dd).
cpu_part() {
  local r t d load p0 s0 p1 s1 secs hz pa sa
  hz=$(getconf CLK_TCK)
  local raw=$root/c/raw
  mkdir -p "$raw"
  start_pair second "$root/c/second/a" "$root/c/second/b" "$root/c/second-state" \
    ${net}.80 ${net}.81 41680 second
  start_pair none "$root/c/none/a" "$root/c/none/b" "$root/c/none-state" \
    ${net}.82 ${net}.83 41682 none
  local pairs=(second none)
  declare -A dirs=([second]=$root/c/second/a [none]=$root/c/none/a)
  if [ -n "$cp_compare" ]; then
    node_cp=$cp_compare start_pair second0 "$root/c/second0/a" "$root/c/second0/b" \
      "$root/c/second0-state" ${net}.84 ${net}.85 41684 second
    node_cp=$cp_compare start_pair none0 "$root/c/none0/a" "$root/c/none0/b" \
      "$root/c/none0-state" ${net}.86 ${net}.87 41686 none
    pairs+=(second0 none0)
    dirs[second0]=$root/c/second0/a
    dirs[none0]=$root/c/none0/a
  fi
  # CPU_WARM GiB per pair first: C2 still compiles during the second GiB (benchmarks.md)
  for t in "${pairs[@]}"; do
    for i in $(seq "${CPU_WARM:-1}"); do
      "$work/seqwrite" "${dirs[$t]}/warm" 1024 wronly nosync >/dev/null
    done
  done
  declare -A mibs cpup cpus
  local raws="" raw2s="" loads=""
  for r in $(seq "$rounds"); do
    load=$(round_load)
    loads+="$load "
    "$work/seqwrite" "$raw/warm" 1024 wronly nosync >/dev/null
    sync
    secs=$(dd_secs "$raw/seq")
    rm -f "$raw/seq"
    raws+="$(awk -v s="$secs" 'BEGIN { printf "%.0f", 1024 / s }') "
    # each of the two writes 1 GiB: the rate of one of them, as a replicated write's
    raw2s+="$(raw_x2_mibs "$raw") "
    rm -f "$raw/warm"
    for t in "${pairs[@]}"; do
      d=${dirs[$t]}
      "$work/seqwrite" "$d/warm" 1024 wronly nosync >/dev/null
      sync
      pa=${pid[$t]}
      sa=${pid[${secondary_of[$t]}]}
      p0=$(cpu_ticks "$pa")
      s0=$(cpu_ticks "$sa")
      secs=$(dd_secs "$d/seq")
      p1=$(cpu_ticks "$pa")
      s1=$(cpu_ticks "$sa")
      rm -f "$d/seq"
      mibs[$t]+="$(awk -v s="$secs" 'BEGIN { printf "%.0f", 1024 / s }') "
      cpup[$t]+="$(awk -v a="$p0" -v b="$p1" -v h="$hz" 'BEGIN { printf "%.2f", (b - a) / h }') "
      cpus[$t]+="$(awk -v a="$s0" -v b="$s1" -v h="$hz" 'BEGIN { printf "%.2f", (b - a) / h }') "
    done
    echo "round $r (load $load): raw $(echo "$raws" | awk '{ print $NF }') MiB/s," \
      "raw x2 $(echo "$raw2s" | awk '{ print $NF }') MiB/s each;" \
      "$(for t in "${pairs[@]}"; do printf '%s %s MiB/s cpu %s+%s s; ' "$t" \
        "$(echo "${mibs[$t]}" | awk '{ print $NF }')" "$(echo "${cpup[$t]}" | awk '{ print $NF }')" \
        "$(echo "${cpus[$t]}" | awk '{ print $NF }')"; done)" >&2
  done
  med() { echo "$1" | tr ' ' '\n' | grep . | median; }
  ratio() { paste -d' ' <(echo "$1" | tr ' ' '\n' | grep .) <(echo "$2" | tr ' ' '\n' | grep .) |
    awk '{ printf "%.2f\n", $1 / $2 }' | median; }
  echo
  echo "Part cpu: jvms=$jvms rounds=$rounds; load before each round: $loads"
  echo
  echo "| target | seq MiB/s | /raw | /raw x2 | primary CPU s/GiB | secondary CPU s/GiB |"
  echo "|---|---|---|---|---|---|"
  echo "| raw | $(med "$raws") | 1 | | | |"
  echo "| raw x2 (each of two at once) | $(med "$raw2s") | $(ratio "$raw2s" "$raws") | 1 | | |"
  for t in "${pairs[@]}"; do
    echo "| $t | $(med "${mibs[$t]}") | $(ratio "${mibs[$t]}" "$raws") |" \
      "$(ratio "${mibs[$t]}" "$raw2s") | $(med "${cpup[$t]}") | $(med "${cpus[$t]}") |"
  done
  for t in "${pairs[@]}"; do rm -f "${dirs[$t]}/warm"; done
  for t in "${pairs[@]}"; do stop_pair "$t"; done
  rm -rf "$root/c"
}

for part in ${parts//,/ }; do
  case "$part" in
    write) write_part ;;
    tree) tree_part ;;
    many) many_part ;;
    names) names_part ;;
    profile) profile_part ;;
    cpu) cpu_part ;;
    *) echo "replication-bench.sh: unknown part $part" >&2; exit 2 ;;
  esac
done
