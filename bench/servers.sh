#!/usr/bin/env bash
# Two pdh servers on one PostgreSQL database behind nginx (docs/nginx-pdh.conf, the very file,
# its ports put in), against one pdh server on the SQLite file of the same demo province, in the
# same run: wrk on loopback, 256 connections, dashboard reads mixed with value reports (one
# request in 20 a POST /api/v1/values that commits), as the administrator's token.
# Prints a markdown table on stdout (progress on stderr). PostgreSQL runs as an unprivileged
# user (nobody, when run as root) in a throwaway cluster on 127.0.0.1; everything is stopped and
# removed at the end.
# Usage: bench/servers.sh [PDH_BIN] [SECONDS] [CONNECTIONS]
#   PGBIN=/usr/lib/postgresql/15/bin
# Needs wrk, nginx and PostgreSQL 15 (scripts/install-deps.sh --bench).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pdh=${1:-$here/build/pdh}
secs=${2:-10}
conns=${3:-256}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
command -v nginx >/dev/null || { echo "servers.sh: nginx is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "servers.sh: wrk is missing" >&2; exit 1; }
log() { echo "== $*" >&2; }

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
work=$(mktemp -d /tmp/pdh-servers-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bench_pg_stop "$work"
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

log "the demo province (SQLite) and an administrator's token"
"$pdh" demo --db "$work/demo.db" >/dev/null
token=$("$pdh" tokens create --db "$work/demo.db" --user admin --name bench)

log "a throwaway PostgreSQL cluster, and the demo copied into it"
pg_port=$(free_port)
bench_pg_start "$work" "$pg_port" -c max_connections=200
pg="postgresql://bench@127.0.0.1:$pg_port/pdh"
export PDH_AUDIT_KEY=$work/demo.db.audit-key
"$pdh" store copy --from "$work/demo.db" --to "$pg" >"$work/copy.log"
tail -n 1 "$work/copy.log" >&2

# serve NAME DB PORT: a pdh server, waited for until /readyz answers.
serve() {
  "$pdh" serve --db "$2" --listen "127.0.0.1:$3" --access-log "" --rate-per-address 0 --trusted-proxy 127.0.0.1 \
    --rate-per-token 0 >"$work/$1.out" 2>"$work/$1.err" &
  pids+=($!)
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$3/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "servers.sh: $1 did not start" >&2
  cat "$work/$1.err" >&2
  exit 1
}
sqlite_port=$(free_port)
a_port=$(free_port)
b_port=$(free_port)
nginx_port=$(free_port)
log "servers: one on SQLite, two on PostgreSQL"
serve sqlite "$work/demo.db" "$sqlite_port"
serve pg-a "$pg" "$a_port"
serve pg-b "$pg" "$b_port"

log "nginx with docs/nginx-pdh.conf"
mkdir -p "$work/nginx"
sed -e "s/127.0.0.1:8081/127.0.0.1:$a_port/; s/127.0.0.1:8082/127.0.0.1:$b_port/" \
  -e "s/listen 8080;/listen 127.0.0.1:$nginx_port;/" \
  -e "s/rate=50r\/s/rate=1000000r\/s/" "$here/docs/nginx-pdh.conf" >"$work/nginx/pdh.conf"
# (All of wrk's requests come from one address: the per-address limit is lifted for the run.)
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $work/nginx/pdh.conf;
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nginx_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

cat >"$work/mix.lua" <<'EOF'
-- One request in 20 reports a value (a commit); the others read the dashboards.
local token = os.getenv("PDH_TOKEN")
local reads = {"/api/v1/overview?as_of=2025-10-31",
               "/api/v1/values?indicator=DVC_TRUC_TUYEN&children=true&series=12",
               "/api/v1/indicators", "/api/v1/freshness"}
local n = 0
local statuses = {}
request = function()
  n = n + 1
  if n % 20 == 0 then
    local body = string.format(
      '{"values":[{"element":"APP_INSTALLS","unit":"80","period":"2025-%02d","value":%d}]}',
      n % 12 + 1, n)
    return wrk.format("POST", "/api/v1/values",
      {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", reads[n % #reads + 1], {["Authorization"] = "Bearer " .. token})
end
response = function(status)
  if status ~= 200 then print("status " .. status) end
end
EOF

# load NAME URL: wrk's mix against URL; prints "req/s p50 p99 errors".
load() {
  PDH_TOKEN=$token wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/mix.lua" "$2" >"$work/$1.wrk" 2>&1 || true
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/$1.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$1.wrk")
  bad=$(grep '^status ' "$work/$1.wrk" | sort | uniq -c | awk '{printf "%s×%s ", $1, $3}' || true)
  echo "$rps $p50 $p99 ${bad:-none}"
}
log "wrk: ${secs}s, $conns connections, against the SQLite server"
read -r s_rps s_p50 s_p99 s_bad < <(load sqlite "http://127.0.0.1:$sqlite_port")
log "wrk: against nginx in front of the two PostgreSQL servers"
read -r n_rps n_p50 n_p99 n_bad < <(load nginx "http://127.0.0.1:$nginx_port")
log "wrk: against one PostgreSQL server alone"
read -r a_rps a_p50 a_p99 a_bad < <(load pg-one "http://127.0.0.1:$a_port")

printf '| setup | req/s | p50 | p99 | answers not 200 (count×status) |\n|---|---|---|---|---|\n'
printf '| one pdh on SQLite | %s | %s | %s | %s |\n' "$s_rps" "$s_p50" "$s_p99" "$s_bad"
printf '| two pdh on PostgreSQL behind nginx | %s | %s | %s | %s |\n' "$n_rps" "$n_p50" "$n_p99" "$n_bad"
printf '| one pdh on PostgreSQL | %s | %s | %s | %s |\n' "$a_rps" "$a_p50" "$a_p99" "$a_bad"
echo
echo "$(nproc) cores; wrk -t2 -c$conns -d${secs}s; one request in 20 a POST /api/v1/values."
