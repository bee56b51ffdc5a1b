#!/usr/bin/env bash
# The IOC's reads against nginx serving the same bodies as static files, in the same run: wrk on
# loopback, authenticated as a leader (token, authorization checks in place), rate limits off.
# For each endpoint the body pdh answers is saved into nginx's root under the same path, so the
# two serve bytes of the same size; neither compresses (wrk sends no Accept-Encoding).
# Usage: bench/api.sh [PDH_BIN] [SECONDS] [CONNECTIONS]
# Needs wrk and nginx (scripts/install-deps.sh --bench).
set -euo pipefail
pdh=${1:-build/pdh}
secs=${2:-10}
conns=${3:-256}
command -v nginx >/dev/null || { echo "api.sh: nginx is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$pdh" demo --db "$work/demo.db" >/dev/null
"$pdh" users add leader --db "$work/demo.db" --password correct-horse-battery-staple --role leader >/dev/null
token=$("$pdh" tokens create --db "$work/demo.db" --user leader --name bench)
"$pdh" serve --db "$work/demo.db" --listen 127.0.0.1:0 --access-log "" \
  --rate-per-address 0 --rate-per-token 0 >"$work/out" 2>/dev/null &
pids+=($!)
for _ in $(seq 300); do grep -q 'listening on' "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/out")

port=$(free_port)
mkdir -p "$work/www" "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  default_type application/json;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

# wrk's figures: requests/s, p50, p99, and time-outs plus errors.
measure() {
  local out
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@")
  local rps p50 p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10; f=1} END {if (!f) print 0}')
  echo "$rps $p50 $p99 $bad"
}

endpoints=(
  "/api/v1/overview?as_of=2025-10-31"
  "/api/v1/values?indicator=DVC_TRUC_TUYEN&children=true&series=12"
  "/api/v1/indicators?as_of=2025-10-31"
  "/api/v1/indicators?as_of=2025-10-31&limit=50&fields=code,name,sector,latest,target,status"
  "/api/v1/freshness?as_of=2025-10-31"
  "/api/v1/freshness?as_of=2025-10-31&limit=50"
  "/api/v1/alerts?as_of=2025-10-31"
  "/api/v1/tracker/summary"
  "/api/v1/tracker/reports"
  "/api/v1/catalog/summary"
  "/api/v1/quality/scoreboard?as_of=2025-10-31"
  "/api/v1/datasets"
  "/api/v1/units/80/children?limit=500"
)

printf '| endpoint | body | pdh req/s | pdh p50 / p99 | nginx req/s | nginx p99 | pdh / nginx |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
i=0
for e in "${endpoints[@]}"; do
  i=$((i + 1))
  file="$work/www/e$i.json"
  code=$(curl -s -o "$file" -w '%{http_code}' -H "Authorization: Bearer $token" "$url$e")
  if [ "$code" != 200 ]; then
    echo "api.sh: $e answered $code" >&2
    exit 1
  fi
  size=$(stat -c %s "$file")
  read -r p_rps p_p50 p_p99 p_bad < <(measure -H "Authorization: Bearer $token" "$url$e")
  read -r n_rps _ n_p99 _ < <(measure "http://127.0.0.1:$port/e$i.json")
  ratio=$(awk -v a="$p_rps" -v b="$n_rps" 'BEGIN {printf "%.0f %%", 100 * a / b}')
  extra=""
  [ "$p_bad" != 0 ] && extra=", $p_bad errors"
  printf '| `%s` | %s B | %s | %s / %s%s | %s | %s | %s |\n' "$e" "$size" "$p_rps" "$p_p50" \
    "$p_p99" "$extra" "$n_rps" "$n_p99" "$ratio"
done
