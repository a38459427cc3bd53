#!/usr/bin/env bash
# The driver's user-space cost per FUSE request, in instructions (valgrind callgrind): repeatable on
# a noisy shared machine, where wall time is not. Counts everything under libfuse's fs-level calls
# (fuse_fs_write_buf, fuse_fs_getxattr, fuse_fs_fsync, fuse_fs_getattr): the JNA callback, the
# Java code and the user side of the system calls it makes; not libfuse's own reading and
# dispatching, nor the kernel. The same counts for bindfs give the floor of a C pass-through.
#
# usage (as root, after `mvn install -pl native/fuse -am`):
#   native/fuse/bench/callgrind-cost.sh [BENCH_DIR (default /var/tmp/bulwark-fuse-cg)]
# Environment: JAR (the driver's jar, default the module's target/), REQUESTS (2000).
# Prints, for the driver then bindfs, instructions per request of each call, three times.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
root=${1:-/var/tmp/bulwark-fuse-cg}
n=${REQUESTS:-2000}
for tool in valgrind callgrind_control callgrind_annotate bindfs gcc java mvn fusermount3; do
  command -v "$tool" >/dev/null || { echo "callgrind-cost.sh: $tool not found" >&2; exit 2; }
done
jar=${JAR:-$(ls "$module"/target/bulwark-native-fuse-*.jar 2>/dev/null | grep -v sources | head -1 || true)}
[ -n "$jar" ] || { echo "callgrind-cost.sh: build first: mvn install -pl native/fuse -am" >&2; exit 2; }

work=$(mktemp -d /tmp/bulwark-cg-XXXXXX)
vpid=""
mounted() { grep -q " $1 " /proc/mounts; } # also a dead FUSE mount, which mountpoint(1) misses
cleanup() {
  set +e
  [ -n "$vpid" ] && kill -TERM "$vpid" && wait "$vpid" 2>/dev/null
  for m in "$root/driver" "$root/bindfs"; do mounted "$m" && umount -l "$m"; done
  rm -rf "$root" "$work"
}
trap cleanup EXIT
mkdir -p "$root/driver" "$root/bindfs" "$root/bindfs-src"
gcc -O2 -o "$work/randwrite-fsync" "$here/randwrite-fsync.c"
(cd "$module" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null)

cat >"$work/stat-loop.c" <<'EOF'
#include <stdlib.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
  struct stat st;
  for (long i = atol(argv[2]); i > 0; i--) stat(argv[1], &st);
  return 0;
}
EOF
gcc -O2 -o "$work/stat-loop" "$work/stat-loop.c"
cat >"$work/write-fsync.c" <<'EOF'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  static char b[4096];
  int fd = open(argv[1], O_CREAT | O_RDWR, 0644);
  for (long i = atol(argv[2]); i > 0; i--) {
    if (pwrite(fd, b, sizeof b, (i % 1024) * 4096) != sizeof b || fsync(fd)) return 1;
  }
  return close(fd);
}
EOF
gcc -O2 -o "$work/write-fsync" "$work/write-fsync.c"

toggles=(--toggle-collect=fuse_fs_write_buf --toggle-collect=fuse_fs_getxattr
  --toggle-collect=fuse_fs_fsync --toggle-collect=fuse_fs_getattr)

# target label, mount point, command...: runs the command under callgrind, warms up, measures.
measure() {
  local label=$1 mnt=$2
  shift 2
  valgrind --tool=callgrind --smc-check=all-non-file --collect-atstart=no "${toggles[@]}" \
    --callgrind-out-file="$work/cg-$label.%p" "$@" >"$work/$label.out" 2>"$work/$label.err" &
  vpid=$!
  for _ in $(seq 300); do mountpoint -q "$mnt" && break; sleep 1; done
  mountpoint -q "$mnt" || { cat "$work/$label.err" >&2; exit 1; }
  touch "$mnt/s"
  for _ in 1 2 3 4 5; do # warm-up: the JIT compiles the callbacks
    "$work/write-fsync" "$mnt/f" 2000
    "$work/stat-loop" "$mnt/s" 2000
  done
  kill -0 "$vpid" 2>/dev/null || { tail -20 "$work/$label.err" >&2; exit 1; }
  for rep in 1 2 3; do
    callgrind_control -z "$vpid" >/dev/null 2>&1
    "$work/write-fsync" "$mnt/f" "$n"
    "$work/stat-loop" "$mnt/s" "$n"
    callgrind_control -d "$vpid" >/dev/null 2>&1
    sleep 1
    local f
    f=$(ls -t "$work/cg-$label.$vpid".* | head -1)
    # a stat with zero timeouts is a LOOKUP and a GETATTR: both call fuse_fs_getattr
    callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
      awk -v l="$label" -v r="$rep" -v n="$n" '
        /fuse_fs_(write_buf|getxattr|fsync|getattr) / {
          gsub(",", "", $1)
          f = $0; sub(/.*fuse_fs_/, "fuse_fs_", f); sub(/ .*/, "", f)
          printf "%s run %d: %-18s %6.0f instructions per call\n", l, r, f, $1 / (f == "fuse_fs_getattr" ? 2 * n : n)
        }'
  done
  kill -TERM "$vpid"
  wait "$vpid" 2>/dev/null || true # the JVM may abort on its way out under valgrind
  vpid=""
  mounted "$mnt" && umount -l "$mnt"
  return 0
}

# (-XX:ErrorFile: a JVM that dies under valgrind leaves its report here, not in the current
# directory. The driver of 23d3386, with JNA's reflective callback proxy, crashed so in the proxy's
# C2 code on most runs; the direct callbacks since never did.)
measure driver "$root/driver" java -Xms64m -Xmx256m -XX:ErrorFile="$work/hs_err_%p.log" \
  -cp "$jar:$(cat "$work/cp.txt")" \
  org.bulwark.fuse.internal.MountMain "$root/driver" 131072 1
# bindfs with the driver's zero cache timeouts, so that each stat reaches it as well
measure bindfs "$root/bindfs" bindfs -f \
  -o big_writes,max_write=131072,attr_timeout=0,entry_timeout=0,negative_timeout=0 \
  "$root/bindfs-src" "$root/bindfs"
