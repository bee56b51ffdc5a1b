#!/usr/bin/env bash
# pdh on PostgreSQL against pdh on SQLite, in one run: the demo province with ROWS dossiers more
# (bench/gen_dossiers.py over its units, as bench/ingest.sh makes them) ingested into each
# (`pdh ingest`, wall time), the index set recomputed over them (`pdh indicators recompute`, best
# of RUNS), and BATCHES batches of BATCH_SIZE new dossiers posted to `pdh serve` on each, timed
# from the POST to the values event that carries their change (bench/engine_latency.py).
# PostgreSQL 15 runs as an unprivileged user (nobody, when run as root) in a throwaway cluster on
# 127.0.0.1, durable as in production (fsync on, synchronous_commit on); everything is stopped
# and removed at the end. Prints a markdown table on stdout, progress on stderr.
# Usage: bench/postgres.sh [ROWS]        (default 2000000)
#   PDH=build/pdh  RUNS=2  BATCHES=100  BATCH_SIZE=1000  TIMEOUT=60 (s, per batch's event)
#   PGBIN=/usr/lib/postgresql/15/bin
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-2000000}
pdh=${PDH:-$here/build/pdh}
runs=${RUNS:-2}
batches=${BATCHES:-100}
batch_size=${BATCH_SIZE:-1000}
timeout=${TIMEOUT:-60}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
log() { echo "== $*" >&2; }

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
work=$(mktemp -d /tmp/pdh-postgres-bench.XXXXXX)
serve_pid=""
cleanup() {
  [ -z "$serve_pid" ] || { kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  bench_pg_stop "$work"
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

log "the demo province, and $rows dossiers of its communes and agencies"
"$pdh" demo --db "$work/base.db" >/dev/null
"$pdh" units ls --db "$work/base.db" --parent 80 --json >"$work/units.json"
bench_old_codes "$work/base.db" 80 >"$work/old-codes.txt"
python3 "$here/bench/gen_dossiers.py" --rows "$rows" --units "$work/units.json" \
  --old-codes "$work/old-codes.txt" --out "$work/dossiers.csv" 2>/dev/null
sed -i '2,$s/^/B/' "$work/dossiers.csv"  # ids none of the demo's dossiers has
# The batches posted to the servers: dossiers of another year (new keys).
python3 "$here/bench/gen_dossiers.py" --rows $((batches * batch_size)) --seed 7 --start 2026-07-01 --days 150 \
  --units "$work/units.json" --old-codes "$work/old-codes.txt" --out "$work/new.csv" 2>/dev/null
sed -i '2,$s/^/N/' "$work/new.csv"

log "a throwaway PostgreSQL cluster (durable)"
pg_port=$(free_port)
bench_pg_start "$work" "$pg_port" -c shared_buffers=2GB -c max_wal_size=8GB
export PDH_AUDIT_KEY=$work/base.db.audit-key

declare -A ingest_s recompute_s p50 p99 post
for backend in sqlite postgresql; do
  if [ "$backend" = sqlite ]; then
    db=$work/pdh.db
    cp "$work/base.db" "$db"
  else
    db="postgresql://bench@127.0.0.1:$pg_port/pdh"
    "$pdh" store copy --from "$work/base.db" --to "$db" >/dev/null
  fi
  log "$backend: pdh ingest of $rows dossiers"
  start=$(now_ms)
  "$pdh" ingest dossiers "$work/dossiers.csv" --db "$db" --no-progress --json >"$work/$backend.ingest"
  ingest_s[$backend]=$(awk -v ms=$(($(now_ms) - start)) 'BEGIN {printf "%.1f", ms / 1000}')
  best=""
  for r in $(seq "$runs"); do
    log "$backend: pdh indicators recompute ($r of $runs)"
    start=$(now_ms)
    "$pdh" indicators recompute --db "$db" --json >"$work/$backend.recompute"
    ms=$(($(now_ms) - start))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  recompute_s[$backend]=$(awk -v ms="$best" 'BEGIN {printf "%.1f", ms / 1000}')
  log "$backend: $batches batches of $batch_size dossiers to pdh serve, each to its values event"
  token=$("$pdh" tokens create --db "$db" --user admin --name bench)
  port=$(free_port)
  "$pdh" serve --db "$db" --listen "127.0.0.1:$port" --access-log "" --rate-per-address 0 \
    --rate-per-token 0 >"$work/$backend.serve" 2>&1 &
  serve_pid=$!
  for _ in $(seq 6000); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  python3 "$here/bench/engine_latency.py" --url "http://127.0.0.1:$port" --token "$token" \
    --csv "$work/new.csv" --batches "$batches" --size "$batch_size" --timeout "$timeout" --json "$work/$backend.latency" >&2
  kill -TERM "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=""
  read -r p50[$backend] p99[$backend] post[$backend] < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("%.1f %.1f %.1f" % (d["event_ms"]["p50"], d["event_ms"]["p99"], d["post_ms"]["p50"]))' "$work/$backend.latency")
done

printf '| measure (%s dossiers) | SQLite | PostgreSQL 15 | PostgreSQL / SQLite |\n|---|---|---|---|\n' "$rows"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", b / a}'; }
printf '| pdh ingest, s | %s | %s | %s |\n' "${ingest_s[sqlite]}" "${ingest_s[postgresql]}" "$(ratio "${ingest_s[sqlite]}" "${ingest_s[postgresql]}")"
printf '| pdh indicators recompute, s (best of %s) | %s | %s | %s |\n' "$runs" "${recompute_s[sqlite]}" "${recompute_s[postgresql]}" "$(ratio "${recompute_s[sqlite]}" "${recompute_s[postgresql]}")"
printf '| batch → values event p50, ms | %s | %s | %s |\n' "${p50[sqlite]}" "${p50[postgresql]}" "$(ratio "${p50[sqlite]}" "${p50[postgresql]}")"
printf '| batch → values event p99, ms | %s | %s | %s |\n' "${p99[sqlite]}" "${p99[postgresql]}" "$(ratio "${p99[sqlite]}" "${p99[postgresql]}")"
printf '| the POST itself p50, ms | %s | %s | %s |\n' "${post[sqlite]}" "${post[postgresql]}" "$(ratio "${post[sqlite]}" "${post[postgresql]}")"
echo
echo "$(nproc) cores; $batches batches of $batch_size dossiers; PostgreSQL with fsync and synchronous_commit on."
