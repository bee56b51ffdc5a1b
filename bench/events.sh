#!/usr/bin/env bash
# Live to many screens: N event-stream clients on the demo province, then batches of 1,000 new
# dossiers posted one at a time; the latency from each POST to each client's "values" event,
# measured at the clients, and the server's memory per idle client (bench/events_clients.py).
# Usage: bench/events.sh [PDH_BIN] [CLIENTS...]   (default: 1 1000 10000)
set -euo pipefail
pdh=${1:-build/pdh}
shift || true
counts=("$@")
((${#counts[@]})) || counts=(1 1000 10000)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
# Each client is a socket on both ends.
ulimit -n "$(ulimit -Hn)"

"$pdh" demo --db "$work/demo.db" >/dev/null
"$pdh" users add leader --db "$work/demo.db" --password correct-horse-battery-staple --role leader >/dev/null
token=$("$pdh" tokens create --db "$work/demo.db" --user leader --name bench)

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
  procs=$((n >= 4 ? 4 : 1))
  r=$(python3 "$here/events_clients.py" --url "$url" --token "$token" --units "$units" \
    --clients "$n" --procs "$procs" --batches 5 --pid "$pid")
  python3 -c '
import json, sys
r = json.loads(sys.argv[1])
print(f"| {r[\"clients\"]:,} | {r[\"p50_ms\"]} / {r[\"p99_ms\"]} / {r[\"max_ms\"]} ms | {r[\"missed\"]} "
      f"| {r[\"post_p50_ms\"]} ms | {r[\"server_rss_before_mib\"]} → {r[\"server_rss_after_mib\"]} MiB "
      f"| {r[\"kib_per_client\"]} KiB |")' "$r"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
done
