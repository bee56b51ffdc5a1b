#!/usr/bin/env bash
# Cost of authentication: requests/s and latency of an authenticated request (bearer token;
# session cookie) against an unauthenticated one, same server, same run, wrk on loopback.
# The authenticated route is GET /api/v1/units/80 (token lookup, policy check, unit scope); the
# unauthenticated one is GET /api/v1/info (public; its body embeds the same unit object).
# Usage: bench/auth_cost.sh [PDH_BIN] [SECONDS] [CONNECTIONS]
set -euo pipefail
pdh=${1:-build/pdh}
secs=${2:-10}
conns=${3:-64}
work=$(mktemp -d)
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$pdh" demo --db "$work/demo.db" >/dev/null
"$pdh" users add leader --db "$work/demo.db" --password correct-horse-battery-staple --role leader >/dev/null
token=$("$pdh" tokens create --db "$work/demo.db" --user leader --name bench)
"$pdh" serve --db "$work/demo.db" --listen 127.0.0.1:0 --access-log "" \
  --rate-per-address 0 --rate-per-token 0 >"$work/out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/out")
cookie=$(curl -s -i -H 'Content-Type: application/json' \
  -d '{"name":"leader","password":"correct-horse-battery-staple"}' "$url/api/v1/auth/login" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(pdh_session=[^;]*\).*/\1/p')

run() {
  local label=$1
  shift
  local out
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@")
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  printf '%-44s %12s req/s   p99 %s\n' "$label" "$rps" "$p99"
}

run "unauthenticated GET /api/v1/info" "$url/api/v1/info"
run "bearer token    GET /api/v1/units/80" -H "Authorization: Bearer $token" "$url/api/v1/units/80"
run "session cookie  GET /api/v1/units/80" -H "Cookie: $cookie" "$url/api/v1/units/80"
