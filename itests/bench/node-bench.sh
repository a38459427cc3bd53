#!/usr/bin/env bash
# Node benchmarks (issue 2): distribution start to web-ready and RSS after start (median of 5),
# and `safekit level` wall time (median of 10), with the raw baseline of the same run: the wall
# time of /bin/true spawned the same way. Prints a Markdown table.
#
# Uses the built archive karaf-assembly/target/bulwark-*.tar.gz (a pristine node).
# Usage: itests/bench/node-bench.sh [target-dir]   (default karaf-assembly/target)
set -euo pipefail
archive=$(ls "${1:-$(dirname "$0")/../../karaf-assembly/target}"/bulwark-*.tar.gz | head -1)
addr=${BENCH_ADDR:-127.0.0.31}
port=${BENCH_PORT:-19031}
work=$(mktemp -d /tmp/bwkbench.XXXX)
node="$work/node"
cleanup() {
  [ -f "$node/karaf.pid" ] && kill -9 "$(cat "$node/karaf.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$node" && tar xzf "$archive" -C "$node" --strip-components=1
export BULWARK_ADDR=$addr BULWARK_WEB_PORT=$port

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

starts=(); rss=()
for i in 1 2 3 4 5; do
  t0=$(now_ms)
  "$node/bin/bulwark" start >/dev/null
  until curl -fs -o /dev/null "http://$addr:$port/api/v1.0/level"; do sleep 0.05; done
  t1=$(now_ms)
  starts+=($((t1 - t0)))
  rss+=($(( $(ps -o rss= -p "$(cat "$node/karaf.pid")") / 1024 )))
  if [ "$i" = 5 ]; then break; fi
  "$node/bin/bulwark" stop >/dev/null
done

level=(); base=()
for i in $(seq 10); do
  t0=$(date +%s%N); "$node/safekit" level >/dev/null; t1=$(date +%s%N)
  level+=($(( (t1 - t0) / 1000 )))
  t0=$(date +%s%N); /bin/true; t1=$(date +%s%N)
  base+=($(( (t1 - t0) / 1000 )))
done
"$node/bin/bulwark" stop >/dev/null

echo "| measure | median | runs |"
echo "|---|---|---|"
echo "| start to web-ready (\`bin/bulwark start\` until \`/api/v1.0/level\` answers) | $(printf '%s\n' "${starts[@]}" | median) ms | ${starts[*]} |"
echo "| RSS after start | $(printf '%s\n' "${rss[@]}" | median) MiB | ${rss[*]} |"
echo "| \`safekit level\` wall time | $(printf '%s\n' "${level[@]}" | median) µs | ${level[*]} |"
echo "| baseline: \`/bin/true\` wall time, same loop | $(printf '%s\n' "${base[@]}" | median) µs | ${base[*]} |"
