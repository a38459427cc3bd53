#!/usr/bin/env bash
# How fast could a pair be on this machine: pairbound.c (raw, copy, splice) in interleaved rounds,
# on a directory of the disk and, with SHM_DIR, on a tmpfs as well (no disk: the copies alone).
# Prints each round's figures with the 1-minute load, then the medians of the rounds and of the
# per-round ratios to raw. Figures in docs/benchmarks.md ("How fast could a pair be").
#
# usage: bundles/rfs/bench/pairbound.sh [DIR (/var/tmp/bulwark-pairbound)] [ROUNDS (5)]
# Environment: ADDR (127.1.17.1, a loopback address), PORT (17017), MIB (1024), REQ_KIB (128),
#   WINDOW (8), SHM_DIR (unset: a tmpfs directory, e.g. /dev/shm/bulwark-pairbound)
set -euo pipefail
dir=${1:-/var/tmp/bulwark-pairbound}
rounds=${2:-5}
addr=${ADDR:-127.1.17.1}
port=${PORT:-17017}
mib=${MIB:-1024}
req=${REQ_KIB:-128}
window=${WINDOW:-8}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
targets=("$dir")
if [ -n "${SHM_DIR:-}" ]; then
  targets+=("$SHM_DIR")
fi
cleanup() {
  rm -rf "$work"
  for t in "${targets[@]}"; do rm -f "$t/pairbound-p" "$t/pairbound-s"; rmdir "$t" 2>/dev/null || true; done
}
trap cleanup EXIT
gcc -O2 -Wall -o "$work/pairbound" "$here/pairbound.c"
for t in "${targets[@]}"; do mkdir -p "$t"; done

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : v[NR/2]}'; }

for r in $(seq 1 "$rounds"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  for t in "${targets[@]}"; do
    for m in raw copy splice; do
      v=$("$work/pairbound" "$m" "$addr" "$port" "$t/pairbound-p" "$t/pairbound-s" "$mib" "$req" \
        "$window" | awk '{print $2}')
      rm -f "$t/pairbound-p" "$t/pairbound-s"
      echo "$r $t $m $v" >>"$work/results"
    done
  done
  echo "round $r (load $load): $(awk -v r="$r" '$1 == r {printf "%s %s=%s  ", $2, $3, $4}' "$work/results")"
done

for t in "${targets[@]}"; do
  echo "== $t (MiB/s, median of $rounds rounds; ratios: median of the per-round ratios to raw)"
  for m in raw copy splice; do
    echo "$m $(awk -v t="$t" -v m="$m" '$2 == t && $3 == m {print $4}' "$work/results" | median)"
  done
  for m in copy splice; do
    ratios=$(awk -v t="$t" -v m="$m" '$2 == t && $3 == "raw" {raw[$1] = $4}
      $2 == t && $3 == m {v[$1] = $4; if ($1 > n) n = $1}
      END {for (r = 1; r <= n; r++) printf "%.2f\n", v[r] / raw[r]}' "$work/results")
    echo "$m/raw $(echo "$ratios" | median) (rounds: $(echo "$ratios" | tr '\n' ' '))"
  done
done
