#!/usr/bin/env bash
# Live to many screens: N event-stream clients on the demo province (as a leader), then batches
# of 1,000 new dossiers posted one at a time (as the administrator); the latency from each POST to each client's "values" event,
# measured at the clients, and the server's memory per idle client (bench/events_clients.py).
# The clients are one process of bench/events_clients.cc (epoll, one thread), built here with g++;
# CLIENTS=python reads with Python asyncio processes instead (4 for N ≥ 4), as the first figures did.
# Usage: bench/events.sh [PDH_BIN] [CLIENTS...]   (default: 1 1000 10000)
#   BATCHES=20 (batches of 1,000 dossiers, two seconds apart)
set -euo pipefail
pdh=${1:-build/pdh}
shift || true
counts=("$@")
((${#counts[@]})) || counts=(1 1000 10000)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
batches=${BATCHES:-20}
native=()
if [ "${CLIENTS:-native}" != python ]; then
  g++ -O2 -std=c++20 -o "$work/events_clients" "$here/events_clients.cc"
  native=(--native "$work/events_clients")
fi
# Each client is a socket on both ends.
ulimit -n "$(ulimit -Hn)"

"$pdh" demo --db "$work/demo.db" >/dev/null
"$pdh" users add leader --db "$work/demo.db" --password correct-horse-battery-staple --role leader >/dev/null
token=$("$pdh" tokens create --db "$work/demo.db" --user leader --name bench)
# The batches are sent by the demo's administrator (a leader reads, a department writes).
writer=$("$pdh" tokens create --db "$work/demo.db" --user admin --name bench-writer)

printf '| clients | values event p50 / p99 / worst | missed | POST p50 | server memory idle → with the clients | per client |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
for n in "${counts[@]}"; do
  "$pdh" serve --db "$work/demo.db" --listen 127.0.0.1:0 --access-log "" --rate-per-address 0 \
    --rate-per-token 0 --max-event-streams $((n + 100)) >"$work/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 300); do grep -q 'listening on' "$work/out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/out")
  units=$(curl -s -H "Authorization: Bearer $token" "$url/api/v1/units/80/children?limit=500" |
    python3 -c 'import json,sys; print(",".join(u["code"] for u in json.load(sys.stdin)["items"] if u.get("level") == "commune"))')
  # Warmed up (the first stream reads the engine and the as-of setting) before memory is read.
  timeout 2 curl -sN -H "Authorization: Bearer $token" "$url/api/v1/events" >/dev/null || true
  procs=$((n >= 4 ? 4 : 1))
  python3 "$here/events_clients.py" --url "$url" --token "$token" --writer "$writer" \
    --units "$units" --clients "$n" --procs "$procs" --batches "$batches" --pid "$pid" --row "${native[@]}"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
done
