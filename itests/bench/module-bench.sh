#!/usr/bin/env bash
# Module benchmarks (issue 4): `.safe` install-to-Ready time (module install + config + start until
# `safekit waitstate UP` returns, median of 5) and `safekit printi` wall time from a module's
# context (median of 10), with the raw baseline of the same run: /bin/true spawned the same way.
# Prints a Markdown table.
#
# Uses the built archive karaf-assembly/target/bulwark-*.tar.gz (a pristine node).
# Usage: itests/bench/module-bench.sh [target-dir]   (default karaf-assembly/target)
set -euo pipefail
archive=$(ls "${1:-$(dirname "$0")/../../karaf-assembly/target}"/bulwark-*.tar.gz | head -1)
work=$(mktemp -d /tmp/bwkmod.XXXX)
node="$work/node"
cleanup() {
  [ -f "$node/karaf.pid" ] && kill -9 "$(cat "$node/karaf.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$node" && tar xzf "$archive" -C "$node" --strip-components=1
export BULWARK_ADDR=${BENCH_ADDR:-127.0.0.32} BULWARK_WEB_PORT=${BENCH_PORT:-19032}
"$node/bin/bulwark" start >/dev/null

# a light module whose start_both prints one line through safekit
mkdir -p "$work/pkg/bench/conf" "$work/pkg/bench/bin"
cat > "$work/pkg/bench/conf/userconfig.xml" <<'XML'
<!DOCTYPE safe>
<safe><service mode="light"><user nicestoptimeout="10" forcestoptimeout="10"/></service></safe>
XML
printf '#!/bin/sh\n"$SAFE/safekit" printi "started"\n' > "$work/pkg/bench/bin/start_both"
chmod +x "$work/pkg/bench/bin/start_both"
(cd "$work/pkg" && python3 -c "
import zipfile,os
z=zipfile.ZipFile('../bench.safe','w')
for root,_,files in os.walk('bench'):
    for f in files:
        p=os.path.join(root,f); i=zipfile.ZipInfo(p); i.external_attr=(os.stat(p).st_mode & 0xFFFF)<<16
        z.writestr(i, open(p,'rb').read())
z.close()")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
sk="$node/safekit"
ready=()
for i in 1 2 3 4 5; do
  t0=$(date +%s%N)
  "$sk" module install -m bench "$work/bench.safe" >/dev/null
  "$sk" config -m bench >/dev/null
  "$sk" start -m bench
  "$sk" waitstate -m bench UP
  t1=$(date +%s%N)
  ready+=($(( (t1 - t0) / 1000000 )))
  "$sk" stop -m bench; "$sk" waitstate -m bench STOP
  "$sk" module uninstall -m bench >/dev/null
done

printi=(); base=()
"$sk" module install -m bench "$work/bench.safe" >/dev/null; "$sk" config -m bench >/dev/null
for i in $(seq 10); do
  t0=$(date +%s%N); SAFEMODULE=bench "$sk" printi "benchmark line $i"; t1=$(date +%s%N)
  printi+=($(( (t1 - t0) / 1000 )))
  t0=$(date +%s%N); /bin/true; t1=$(date +%s%N)
  base+=($(( (t1 - t0) / 1000 )))
done
"$node/bin/bulwark" stop >/dev/null

echo "| measure | median | runs |"
echo "|---|---|---|"
echo "| \`.safe\` install + config + start to UP Ready (light module) | $(printf '%s\n' "${ready[@]}" | median) ms | ${ready[*]} |"
echo "| \`safekit printi\` wall time (from a script's environment) | $(printf '%s\n' "${printi[@]}" | median) µs | ${printi[*]} |"
echo "| baseline: \`/bin/true\` wall time, same loop | $(printf '%s\n' "${base[@]}" | median) µs | ${base[*]} |"
