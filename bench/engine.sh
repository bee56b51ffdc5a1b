#!/usr/bin/env bash
# The index-set engine against PostgreSQL 15, SQLite and DuckDB, in one run on this machine:
#   1. bench/gen_index.py makes the bench province over the real units of province 80 (96
#      communes, 18 agencies): 957 indicators over 1,200 data elements (1,182 reported — most
#      monthly by the communes or the province, 2021-01..2025-12 — and 18 computed by rules over
#      the dossiers and 1022 feedback datasets), ~3.5 M reported values, DOSSIERS dossiers and
#      FEEDBACK feedback records (2024-2025), and the same computation as SQL (rules as GROUP BY
#      unit and month with FILTER, the 2025 crosswalk, time and unit roll-ups, each indicator's
#      formula with NULLIF for division);
#   2. loads it all into pdh and times `pdh indicators recompute` (best of RUNS), then dumps the
#      values;
#   3. loads the same data into a throwaway PostgreSQL 15 cluster, into SQLite and into DuckDB
#      in memory (node, @duckdb/node-api from npm; bench/engine_duckdb.mjs), none of it timed,
#      and times the SQL that computes every indicator value (best of RUNS), then exports them;
#   4. compares the four result sets value by value (relative difference ≤ 1e-9): fails on any
#      difference or any value one has and another lacks;
#   5. serves the loaded database (its indicators' state saved by the last recompute: launch →
#      /readyz 200 is the start from the saved state) and POSTs BATCHES batches of BATCH_SIZE new
#      dossiers, timing POST start → the first "values" event (GET /api/v1/events) that carries a
#      change; then checks the state saved at the server's end against a full build
#      (`pdh indicators verify`), and times a start without a saved state (a full build);
#   6. runs bench/startup.sh (launch → /readyz 200 with the demo province).
# Prints a markdown summary on stdout (progress on stderr). Every server listens on 127.0.0.1
# only (PostgreSQL's socket in the run's directory), runs as an unprivileged user (nobody, when
# run as root), in a temporary directory removed at the end with the servers stopped.
# Goals: pdh ≥ 20× PostgreSQL and ≥ 5× DuckDB; p99 ≤ 100 ms from a batch to its indicator event.
#
# Usage: bench/engine.sh [DOSSIERS]      (default 2000000; run from anywhere)
#   PDH=build/pdh (a release build with the indicators and values commands)
#   FEEDBACK=100000  SEED=2025  RUNS=3  BATCHES=200  BATCH_SIZE=1000  STARTUP_RUNS=10
#   SERVE_RUNS=5 (starts from the saved state after the first, with the page cache warm)
#   PYTHON=/usr/bin/python3  PGBIN=/usr/lib/postgresql/15/bin
#   DUCKDB_THREADS=$(nproc)
#   SKIP_PDH=1   the SQL engines only (compared with each other), no pdh runs
#   KEEP=1       keep the run's directory (printed) instead of removing it
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
dossiers=${1:-2000000}
feedback=${FEEDBACK:-100000}
seed=${SEED:-2025}
runs=${RUNS:-3}
batches=${BATCHES:-200}
batch_size=${BATCH_SIZE:-1000}
startup_runs=${STARTUP_RUNS:-10}
serve_runs=${SERVE_RUNS:-5}
py=${PYTHON:-/usr/bin/python3}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
skip_pdh=${SKIP_PDH:-0}
keep=${KEEP:-0}
pdh=${PDH:-build/pdh}
[[ "$pdh" = /* ]] || pdh="$here/$pdh"

die() {
  echo "bench/engine.sh: $*" >&2
  exit 1
}
log() { echo "== $*" >&2; }
[[ "$dossiers" =~ ^[1-9][0-9]*$ ]] || die "DOSSIERS must be a positive integer, not '$dossiers'"

bash scripts/install-deps.sh --bench >&2
[ -d bench/node_modules/@duckdb/node-api ] || npm ci --prefix bench --no-audit --no-fund >&2
[ -x "$pgbin/initdb" ] || die "no PostgreSQL 15 server in $pgbin (postgresql-15)"
if [ "$skip_pdh" != 1 ]; then
  [ -x "$pdh" ] || die "$pdh not found: build it first (make build)"
  for cmd in "indicators recompute" "indicators dump" "indicators import" "values import"; do
    # shellcheck disable=SC2086
    "$pdh" $cmd --help >/dev/null 2>&1 || die "$pdh has no '$cmd' command (SKIP_PDH=1 runs the SQL engines alone)"
  done
fi

# Everything runs as an unprivileged user in a directory of its own.
asu=()
if [ "$(id -u)" -eq 0 ]; then
  run_as_id=$(id -u nobody)
  run_as_gid=$(id -g nobody)
  asu=(setpriv --reuid="$run_as_id" --regid="$run_as_gid" --clear-groups --)
fi
as_user() { "${asu[@]}" "$@"; }
work=$(mktemp -d /tmp/pdh-engine-bench.XXXXXX)
chmod 755 "$work"
[ "$(id -u)" -ne 0 ] || chown "$run_as_id:$run_as_gid" "$work"
pg_data=""
serve_pid=""
load_pid=""
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  local rc=$?
  [ -z "$load_pid" ] || kill "$load_pid" 2>/dev/null || true
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_user "$pgbin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ "$keep" = 1 ]; then
    echo "bench/engine.sh: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
as_user test -x "$pdh" || [ "$skip_pdh" = 1 ] || die "$pdh is not executable by $(id -un nobody 2>/dev/null || echo the bench user)"
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# timed NAME CMD...: runs CMD as the bench user, stdout to NAME.out, stderr to NAME.err; appends
# NAME and its wall milliseconds to times.tsv; fails with the tail of its output.
timed() {
  local name=$1 start rc=0
  shift
  start=$(now_ms)
  as_user "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  printf '%s\t%s\n' "$name" $(($(now_ms) - start)) >>"$work/times.tsv"
  if ((rc)); then
    tail -n 20 "$work/$name.out" "$work/$name.err" >&2
    die "$name failed (exit $rc): $*"
  fi
}

# The machine's load through the run, every 15 s (other work on it slows every engine).
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 15; done) >"$work/load.log" 2>/dev/null &
load_pid=$!

# --- 1. Units, then the bench province -----------------------------------------------------
log "units (pdh units import)"
db=$work/pdh.db
timed units-import "$pdh" units import --db "$db" --json
province=$(as_user "$pdh" settings get home_province --db "$db")
as_user "$pdh" units ls --db "$db" --parent "$province" --json >"$work/units.json"
as_user "$pdh" units show "$province" --db "$db" --json >"$work/province.json"
# The crosswalk the engine applies to values of periods before 1 July 2025: units no longer valid
# that share a code with a current one, and the old communes' successors in the province.
home="(SELECT id FROM unit WHERE level = 'province' AND code = '$province' AND valid_to IS NULL)"
as_user sqlite3 -header -csv "$db" >"$work/old-units.csv" <<SQL
SELECT id, code, level, ifnull(valid_from, '') AS valid_from, valid_to FROM unit
 WHERE valid_to IS NOT NULL
   AND code IN (SELECT code FROM unit WHERE valid_to IS NULL AND (parent_id = $home OR id = $home));
SQL
as_user sqlite3 -header -csv "$db" >"$work/successions.csv" <<SQL
SELECT s.old_id, n.code AS new_code FROM succession s JOIN unit n ON n.id = s.new_id
 WHERE n.valid_to IS NULL AND n.parent_id = $home;
SQL
as_user cp "$db" "$work/units.db"
[ ! -f "$db.audit-key" ] || as_user cp "$db.audit-key" "$work/units.db.audit-key"

log "generating the bench province: $dossiers dossiers, $feedback feedback records (seed $seed)"
gen=$work/gen
timed generate "$py" bench/gen_index.py --units "$work/units.json" --province "$work/province.json" \
  --old-units "$work/old-units.csv" --successions "$work/successions.csv" --out "$gen" \
  --seed "$seed" --dossiers "$dossiers" --feedback "$feedback" \
  --latency-batches "$batches" --latency-size "$batch_size" --today "$(date +%F)"
cat "$work/generate.err" >&2
value_files=("$gen"/values-*.csv)

# sort_values IN OUT: CSV indicator,unit,period,value without a header, sorted for the comparison.
sort_values() {
  grep -v '^indicator,' "$1" | LC_ALL=C sort -t, -k1,1 -k2,2 -k3,3 -S 1G -T "$work" >"$2"
}

# --- 2. pdh ----------------------------------------------------------------------------------
if [ "$skip_pdh" != 1 ]; then
  log "pdh: loading (datasets, index set, values, dossiers, feedback)"
  timed pdh-datasets-dossiers "$pdh" datasets create dossiers --template dossiers --db "$db"
  timed pdh-datasets-feedback "$pdh" datasets create feedback_1022 --template feedback_1022 --db "$db"
  timed pdh-index "$pdh" indicators import "$gen/index.json" --db "$db"
  load_start=$(now_ms)
  for f in "${value_files[@]}"; do
    timed "pdh-values-$(basename "$f" .csv)" "$pdh" values import "$f" --db "$db"
  done
  pdh_values_ms=$(($(now_ms) - load_start))
  timed pdh-ingest-dossiers "$pdh" ingest dossiers "$gen/dossiers.csv" --db "$db" --no-progress --json
  timed pdh-ingest-feedback "$pdh" ingest feedback_1022 "$gen/feedback.csv" --db "$db" --no-progress --json
  [ ! -e "$db-wal" ] || as_user sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  stored=$(as_user sqlite3 "$db" "SELECT (SELECT count(*) FROM ds_dossiers) || ' ' || (SELECT count(*) FROM ds_feedback_1022);" 2>/dev/null || echo "? ?")
  log "pdh holds $stored dossiers and feedback records"
  for r in $(seq "$runs"); do
    log "pdh indicators recompute ($r of $runs)"
    timed "pdh-recompute-$r" "$pdh" indicators recompute --db "$db" --json
    cat "$work/pdh-recompute-$r.out" >&2
  done
  log "pdh indicators dump"
  timed pdh-dump "$pdh" indicators dump --db "$db" --out "$work/pdh-values.csv"
  sort_values "$work/pdh-values.csv" "$work/pdh.sorted"
fi

# --- 3a. PostgreSQL --------------------------------------------------------------------------
log "PostgreSQL: a throwaway cluster"
pg_dir=$work/pg
as_user mkdir -p "$pg_dir"
pg_data=$pg_dir/data
pg_port=$(free_port)
as_user "$pgbin/initdb" -D "$pg_data" -U bench --auth=trust --no-locale -E UTF8 >"$work/initdb.log" 2>&1 ||
  { tail "$work/initdb.log" >&2; die "initdb failed"; }
pg_mem_mb=$(($(free -m | awk '/^Mem:/ {print $2}') / 4))
as_user tee -a "$pg_data/postgresql.conf" >/dev/null <<CONF
# bench/engine.sh: local only, a throwaway cluster tuned for one big computation
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_dir'
shared_buffers = ${pg_mem_mb}MB
work_mem = 512MB
maintenance_work_mem = 1GB
effective_cache_size = $((pg_mem_mb * 2))MB
fsync = off
synchronous_commit = off
wal_level = minimal
max_wal_senders = 0
full_page_writes = off
max_wal_size = 16GB
checkpoint_timeout = 30min
CONF
as_user "$pgbin/pg_ctl" -D "$pg_data" -l "$pg_dir/server.log" -w -t 60 start >/dev/null ||
  { tail "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
pg=("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U bench -d postgres)
log "PostgreSQL: loading (not timed)"
timed pg-schema "${pg[@]}" -f "$gen/sql/pg_schema.sql"
timed pg-load "${pg[@]}" -f "$gen/sql/pg_load.sql"
for r in $(seq "$runs"); do
  log "PostgreSQL: computing every indicator value ($r of $runs)"
  timed "pg-compute-$r" "${pg[@]}" -f "$gen/sql/pg_compute.sql"
done
timed pg-export "${pg[@]}" -f "$gen/sql/pg_export.sql"
sort_values "$work/pg-export.out" "$work/pg.sorted"
pg_version=$(as_user "${pg[@]}" -At -c 'SHOW server_version;')
pg_rows=$(as_user "${pg[@]}" -At -c "SELECT (SELECT count(*) FROM val) || ' ' || (SELECT count(*) FROM dossiers) || ' ' || (SELECT count(*) FROM feedback) || ' ' || (SELECT count(*) FROM ev);")
as_user "$pgbin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
pg_data=""

# --- 3b. SQLite ------------------------------------------------------------------------------
log "SQLite: loading (not timed)"
sq=$work/sql.db
timed sqlite-schema sqlite3 -bail "$sq" ".read $gen/sql/sqlite_schema.sql"
timed sqlite-load sqlite3 -bail "$sq" ".read $gen/sql/sqlite_load.sql"
for r in $(seq "$runs"); do
  log "SQLite: computing every indicator value ($r of $runs)"
  timed "sqlite-compute-$r" sqlite3 -bail "$sq" ".read $gen/sql/sqlite_compute.sql"
done
timed sqlite-export sqlite3 -bail "$sq" ".read $gen/sql/sqlite_export.sql"
sort_values "$work/sqlite-export.out" "$work/sqlite.sorted"
[ "$keep" = 1 ] || rm -f "$sq"

# --- 3c. DuckDB ------------------------------------------------------------------------------
# PostgreSQL's SQL as it is (bench/engine_duckdb.mjs says what it turns into DuckDB's), in
# memory, DUCKDB_THREADS threads; the load is not timed, each run of the computation is.
log "DuckDB: loading, then computing every indicator value $runs times"
timed duckdb env HOME="$work" node bench/engine_duckdb.mjs "$gen/sql" "$work/duckdb-values.csv" \
  --runs "$runs" --threads "${DUCKDB_THREADS:-$(nproc)}"
sort_values "$work/duckdb-values.csv" "$work/duckdb.sorted"

# --- 4. The three agree ----------------------------------------------------------------------
log "comparing the result sets"
sources=()
[ "$skip_pdh" = 1 ] || sources+=("pdh=$work/pdh.sorted")
sources+=("postgresql=$work/pg.sorted" "sqlite=$work/sqlite.sorted" "duckdb=$work/duckdb.sorted")
compare_rc=0
"$py" bench/engine_compare.py "${sources[@]}" --json "$work/compare.json" >"$work/compare.txt" || compare_rc=$?
cat "$work/compare.txt" >&2

# serve_until_ready NAME: starts `pdh serve` on the bench database (output in NAME.out and
# NAME.err) and waits for its /readyz; sets serve_pid, url and ready_ms (launch → 200).
serve_until_ready() {
  local start
  start=$(now_ms)
  "${asu[@]}" "$pdh" serve --db "$db" --listen 127.0.0.1:0 --access-log "" --rate-per-address 0 \
    --rate-per-token 0 >"$work/$1.out" 2>"$work/$1.err" &
  serve_pid=$!
  url=""
  for _ in $(seq 12000); do
    kill -0 "$serve_pid" 2>/dev/null || { tail "$work/$1.out" "$work/$1.err" >&2; die "pdh serve exited"; }
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/$1.out" | head -n 1)
    [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null 2>&1 && break
    sleep 0.01
  done
  ready_ms=$(($(now_ms) - start))
  [ -n "$url" ] || die "pdh serve did not say where it listens"
}

# --- 5. Latency: a batch of dossiers to its indicator event -----------------------------------
if [ "$skip_pdh" != 1 ] && ((batches > 0)); then
  log "latency: pdh serve, $batches batches of $batch_size new dossiers"
  password=$("$py" -c 'import secrets; print(secrets.token_urlsafe(24))')
  as_user "$pdh" users add bench --role administrator --password-stdin --db "$db" <<<"$password" >/dev/null
  token=$(as_user "$pdh" tokens create --user bench --name engine-bench --db "$db" | head -n 1)
  serve_until_ready serve
  serve_ready_ms=$ready_ms
  latency_rc=0
  as_user "$py" bench/engine_latency.py --url "$url" --token "$token" --csv "$gen/latency.csv" \
    --batches "$batches" --size "$batch_size" --json "$work/latency.json" >"$work/latency.txt" 2>&1 || latency_rc=$?
  cat "$work/latency.txt" >&2
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=""
  ((latency_rc == 0)) || log "the latency run failed (exit $latency_rc): $(tail -n 1 "$work/latency.txt")"
  log "pdh indicators verify: the state saved at the server's end against a full build"
  timed pdh-verify "$pdh" indicators verify --db "$db" --json
  cat "$work/pdh-verify.out" >&2
  # The start above came after the SQL engines had the memory (its page cache cold); these find
  # the database as a server restarted on its own machine would.
  log "start-up from the saved state, $serve_runs more times"
  warm_ms=()
  for i in $(seq "$serve_runs"); do
    serve_until_ready "serve-again-$i"
    warm_ms+=("$ready_ms")
    kill -TERM "$serve_pid"
    wait "$serve_pid" || true
    serve_pid=""
  done
  log "start-up without a saved state (a full build before /readyz)"
  as_user sqlite3 "$db" 'DELETE FROM engine_save; DELETE FROM engine_state;'
  serve_until_ready serve-rebuild
  rebuild_ready_ms=$ready_ms
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=""
  state_bytes=$(as_user sqlite3 "$db" 'SELECT ifnull(sum(length(data)), 0) FROM engine_state;')
fi

# --- 6. Start-up with the demo province --------------------------------------------------------
if [ "$skip_pdh" != 1 ] && ((startup_runs > 0)); then
  log "start-up: bench/startup.sh $pdh $startup_runs"
  # startup.sh reads its server's output file before the server may have created it (a race
  # that ends it under set -e now and then): up to three attempts.
  startup=""
  for attempt in 1 2 3; do
    if out=$(cd /tmp && as_user bash "$here/bench/startup.sh" "$pdh" "$startup_runs" 2>"$work/startup.err"); then
      startup=$(tail -n 1 <<<"$out")
      break
    fi
    log "bench/startup.sh failed (attempt $attempt): $(tail -n 1 "$work/startup.err")"
  done
  [ -n "$startup" ] || startup="failed three times: $(tail -n 1 "$work/startup.err")"
  echo "$startup" >&2
fi

# --- Summary ---------------------------------------------------------------------------------
kill "$load_pid" 2>/dev/null || true
load_pid=""
LOAD=$(sort -n "$work/load.log" | awk '{a[NR] = $1} END {if (NR) printf "1-minute load during the run: min %s, median %s, max %s", a[1], a[int((NR + 1) / 2)], a[NR]}')
export LOAD
export WORK=$work RUNS=$runs SKIP_PDH_RUN=$skip_pdh DOSSIERS=$dossiers FEEDBACK_N=$feedback SEED_N=$seed
export PG_VERSION=${pg_version:-} PG_ROWS=${pg_rows:-} STARTUP=${startup:-} SERVE_READY_MS=${serve_ready_ms:-}
export REBUILD_READY_MS=${rebuild_ready_ms:-} STATE_BYTES=${state_bytes:-} WARM_READY_MS="${warm_ms[*]:-}"
PDH_VERSION=$([ "$skip_pdh" = 1 ] || "$pdh" --version)
MACHINE="$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release), load $(cut -d' ' -f1-3 /proc/loadavg)"
SQLITE_VERSION=$(sqlite3 --version | cut -d' ' -f1)
export PDH_BIN=$pdh PDH_VERSION PDH_VALUES_MS=${pdh_values_ms:-} STORED=${stored:-} MACHINE SQLITE_VERSION PG_MEM_MB=$pg_mem_mb
"$py" - <<'PY'
import json, os
w = os.environ["WORK"]
times = {}
for line in open(f"{w}/times.tsv", encoding="utf-8"):
    k, v = line.rstrip("\n").split("\t")
    times[k] = int(v)
runs = int(os.environ["RUNS"])
skip = os.environ["SKIP_PDH_RUN"] == "1"
meta = json.load(open(f"{w}/gen/meta.json", encoding="utf-8"))
def best(prefix):
    xs = [times[f"{prefix}-{r}"] for r in range(1, runs + 1)]
    return min(xs), xs
s = lambda ms: f"{ms / 1000:,.2f}"
print(f"Machine: {os.environ['MACHINE']}; {os.environ.get('LOAD', '')}")
print(f"pdh {os.environ.get('PDH_VERSION') or '—'} ({os.environ['PDH_BIN']}), PostgreSQL {os.environ['PG_VERSION']}"
      f" (shared_buffers {os.environ['PG_MEM_MB']} MB, work_mem 512 MB, fsync off), SQLite {os.environ['SQLITE_VERSION']}")
print(f"Bench province: {meta['indicators']} indicators ({', '.join(f'{k} {v}' for k, v in meta['templates'].items())}),"
      f" {meta['elements']} elements ({meta['rule_elements']} by rules), {meta['values']:,} reported values,"
      f" {int(os.environ['DOSSIERS']):,} dossiers, {int(os.environ['FEEDBACK_N']):,} feedback records, {meta['units']} units,"
      f" seed {os.environ['SEED_N']} (generated in {s(times['generate'])} s)")
print()
print(f"| computing every indicator value from the stored data | best of {runs} (s) | runs (s) | pdh vs it |")
print("| --- | ---: | --- | ---: |")
if not skip:
    recs = [json.load(open(f"{w}/pdh-recompute-{r}.out")) for r in range(1, runs + 1)]
    internal = [float(x["duration_ms"]) for x in recs]
    pb = min(internal)
    walls = best("pdh-recompute")
    print(f"| pdh: a full rebuild from the database (`recompute --json` duration_ms) | {s(pb)} |"
          f" {', '.join(s(x) for x in internal)} | — |")
    print(f"| pdh: the `pdh indicators recompute` process (one build, then its state saved) |"
          f" {s(walls[0])} | {', '.join(s(x) for x in walls[1])} | — |")
gb, gr = best("pg-compute")
qb, qr = best("sqlite-compute")
duck = json.load(open(f"{w}/duckdb.out"))
dr = [x * 1000 for x in duck["runs"]]
db_ = min(dr)
for label, b, rs in (("PostgreSQL: `psql -f pg_compute.sql`", gb, gr),
                     ("SQLite: `sqlite3 db .read sqlite_compute.sql`", qb, qr),
                     (f"DuckDB {duck['version']}, {duck['threads']} threads, in memory: pg_compute.sql's statements", db_, dr)):
    ratio = "—" if skip else f"{b / pb:,.1f}×"
    print(f"| {label} | {s(b)} | {', '.join(s(x) for x in rs)} | {ratio} |")
print()
if not skip:
    last = recs[-1]
    print(f"- pdh's rebuild took {last.get('records', 0):,} records and {last.get('values', 0):,} reported values and"
          f" computed {last.get('series', 0):,} series; saving its state (save_ms) {s(float(last.get('save_ms', 0)))} s")
    for name, b, goal in (("PostgreSQL", gb, 20), ("SQLite", qb, None), ("DuckDB", db_, 5)):
        r = b / pb
        g = f" (goal ≥ {goal}×: {'met' if r >= goal else 'NOT met'})" if goal else ""
        print(f"- pdh vs {name}: {r:,.1f}× on the rebuild, {b / walls[0]:,.1f}× on the whole process{g}")
    print(f"- loading pdh (not timed above): values {s(int(os.environ['PDH_VALUES_MS']))} s, "
          f"dossiers {s(times['pdh-ingest-dossiers'])} s, feedback {s(times['pdh-ingest-feedback'])} s; "
          f"dump {s(times['pdh-dump'])} s")
print(f"- loading PostgreSQL {s(times['pg-load'])} s, SQLite {s(times['sqlite-load'])} s,"
      f" DuckDB {duck['load_s']:,.2f} s (not timed above);"
      f" PostgreSQL rows (values, dossiers, feedback, rolled-up element values): {os.environ['PG_ROWS']}")
cmp = json.load(open(f"{w}/compare.json"))
print(f"- agreement ({', '.join(cmp['sources'])}): {cmp['compared']:,} (indicator, unit, period) values compared"
      f" over {cmp['indicators']} indicators, {cmp['mismatches']:,} mismatches, largest relative difference {cmp['max_rel_diff']:.2g}")
if not skip and os.path.exists(f"{w}/latency.txt") and not os.path.exists(f"{w}/latency.json"):
    print(f"- latency: the run failed: {open(f'{w}/latency.txt').read().strip()[-300:]}")
if not skip and os.path.exists(f"{w}/latency.json"):
    lat = json.load(open(f"{w}/latency.json"))
    e, p = lat["event_ms"], lat["post_ms"]
    print(f"- latency, {lat['batches']} batches of {lat['size']} new dossiers: POST start → first `values` event with a"
          f" change p50 {e['p50']:.1f} ms, p99 {e['p99']:.1f} ms, worst {e['max']:.1f} ms"
          f" (goal p99 ≤ 100 ms: {'met' if e['p99'] <= 100 else 'NOT met'}); the POST itself p50 {p['p50']:.1f} ms,"
          f" p99 {p['p99']:.1f} ms")
if not skip and os.environ.get("SERVE_READY_MS"):
    ready = int(os.environ["SERVE_READY_MS"])
    warm = sorted(int(x) for x in os.environ.get("WARM_READY_MS", "").split())
    again = (f"; started again {len(warm)} times: median {warm[len(warm) // 2]:,} ms, worst {warm[-1]:,} ms"
             f" (goal ≤ 2 s: {'met' if warm[len(warm) // 2] <= 2000 else 'NOT met'})") if warm else ""
    print(f"- `pdh serve` on the bench database → /readyz 200: from the saved state {ready:,} ms after the SQL"
          f" engines' runs (page cache cold){again}; without a saved state (a full build)"
          f" {int(os.environ['REBUILD_READY_MS'] or 0):,} ms")
if not skip and os.path.exists(f"{w}/pdh-verify.out"):
    v = json.load(open(f"{w}/pdh-verify.out"))
    print(f"- the state saved at the server's end, after the batches (`pdh indicators verify`): loaded in"
          f" {s(float(v['load_ms']))} s; {v['cells']:,} cells compared with a full build, {v['differing']:,} differ;"
          f" {int(os.environ.get('STATE_BYTES') or 0) / 1048576:,.0f} MiB saved after a full build")
if os.environ.get("STARTUP"):
    print(f"- start-up with the demo province (bench/startup.sh): {os.environ['STARTUP']}")
PY
((compare_rc == 0)) || exit "$compare_rc"
exit "${latency_rc:-0}"
