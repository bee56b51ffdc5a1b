#!/usr/bin/env bash
# Start-up with the demo province: time from launching `pdh serve` to its first 200 on /readyz
# (units loaded, store open), median and worst of N runs. Budget: ≤ 2 s.
# Usage: bench/startup.sh [PDH_BIN] [RUNS]
set -euo pipefail
pdh=${1:-build/pdh}
runs=${2:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$pdh" demo --db "$work/demo.db" >/dev/null

times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$pdh" serve --db "$work/demo.db" --listen 127.0.0.1:0 --access-log "" >"$work/out" 2>/dev/null &
  pid=$!
  url=""
  while :; do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/out")
    [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null 2>&1 && break
    sleep 0.005
  done
  end=$(date +%s%N)
  kill -TERM "$pid"
  wait "$pid"
  times+=($(((end - start) / 1000000)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
worst=$(echo "$sorted" | tail -1)
echo "startup_ms median=$median worst=$worst runs=$runs"
