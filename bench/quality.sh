#!/usr/bin/env bash
# Data quality (M9) against PostgreSQL 15 and DuckDB, in one run on this machine:
#   1. bench/quality_gen.py makes the bench province's records with bench/gen_index.py's
#      generators (seed 2025, the same bytes as bench/engine.sh's): DOSSIERS dossiers and
#      FEEDBACK 1022 feedback records over the real units of province 80, 2024-01..2025-12;
#      `pdh ingest` loads them into a pdh database (not timed);
#   2. stores bench/quality_checks.json's checks — 29 on the dossiers, 19 on the feedback: row
#      checks of every type (missing, pattern, range, codes, duplicate, rule, reference to the
#      unit registry) and the unit checks (freshness, row_count, completeness, timeliness,
#      outliers, consistency) — with `pdh quality checks DATASET --set`;
#   3. times `pdh quality evaluate DATASET --json --as-of AS_OF` (best of RUNS): its "seconds"
#      (the evaluation alone) and the whole process (opening the database included);
#   4. bench/quality_sql.py writes the same checks as SQL; loads the same CSV files into a
#      throwaway PostgreSQL 15 cluster (COPY) and into DuckDB (node, @duckdb/node-api, THREADS
#      threads, in memory; bench/quality_duckdb.mjs), neither timed, and times each dataset's
#      checks statement (best of RUNS): `psql -f` whole, DuckDB's statement alone;
#   5. compares the per-check failed and total counts of the three, and the failures of the unit
#      checks in every month scored (`pdh quality scores`, summed) with the SQL's: fails on any
#      difference;
#   6. imports the bench index set (its rules count the dossiers: a batch updates the indicators
#      and then the quality scores, in the same pass, as in production), serves the database,
#      opens the scoreboard as of AS_OF (the server builds the evaluations it then follows) and
#      POSTs BATCHES batches of BATCH_SIZE new dossiers, timing POST start → the first
#      "quality" event on GET /api/v1/events after it (bench/engine_latency.py --event quality).
# Prints a markdown summary on stdout (progress on stderr). Every server listens on 127.0.0.1
# only (PostgreSQL's socket in the run's directory), runs as an unprivileged user (nobody, when
# run as root), in a temporary directory removed at the end with the servers stopped.
# Goals (DESIGN §5): pdh ≥ 5× faster than DuckDB and ≥ 20× faster than PostgreSQL on the same
# checks over 2 M records, identical counts; p99 ≤ 100 ms from a batch to its "quality" event.
#
# Usage: bench/quality.sh [DOSSIERS]      (default 2000000; run from anywhere)
#   PDH=build/pdh (a release build with `pdh quality evaluate`)
#   FEEDBACK=100000  SEED=2025  RUNS=3  BATCHES=200  BATCH_SIZE=1000  AS_OF=2025-12-31
#   THREADS=2 (DuckDB)  PYTHON=/usr/bin/python3  PGBIN=/usr/lib/postgresql/15/bin
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
as_of=${AS_OF:-2025-12-31}
threads=${THREADS:-2}
py=${PYTHON:-/usr/bin/python3}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
keep=${KEEP:-0}
pdh=${PDH:-build/pdh}
[[ "$pdh" = /* ]] || pdh="$here/$pdh"
datasets=(dossiers feedback_1022)

die() {
  echo "bench/quality.sh: $*" >&2
  exit 1
}
log() { echo "== $*" >&2; }
[[ "$dossiers" =~ ^[1-9][0-9]*$ ]] || die "DOSSIERS must be a positive integer, not '$dossiers'"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$runs'"
[[ "$as_of" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "AS_OF must be YYYY-MM-DD, not '$as_of'"

bash scripts/install-deps.sh --bench >&2
[ -x "$pgbin/initdb" ] || die "no PostgreSQL 15 server in $pgbin (postgresql-15)"
[ -d bench/node_modules/@duckdb/node-api ] || npm ci --prefix bench --no-audit --no-fund >&2
[ -x "$pdh" ] || die "$pdh not found: build it first (make build)"
"$pdh" quality evaluate --help >/dev/null 2>&1 || die "$pdh has no 'quality evaluate' command"

# Everything runs as an unprivileged user in a directory of its own.
asu=()
if [ "$(id -u)" -eq 0 ]; then
  run_as_id=$(id -u nobody)
  run_as_gid=$(id -g nobody)
  asu=(setpriv --reuid="$run_as_id" --regid="$run_as_gid" --clear-groups --)
fi
as_user() { "${asu[@]}" "$@"; }
work=$(mktemp -d /tmp/pdh-quality-bench.XXXXXX)
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
    echo "bench/quality.sh: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
as_user test -x "$pdh" || die "$pdh is not executable by $(id -un nobody 2>/dev/null || echo the bench user)"
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

# --- 1. Units, the records, pdh's database ----------------------------------------------------
log "units (pdh units import)"
db=$work/pdh.db
timed units-import "$pdh" units import --db "$db" --json
province=$(as_user "$pdh" settings get home_province --db "$db")
as_user "$pdh" units ls --db "$db" --parent "$province" --json >"$work/units.json"
as_user "$pdh" units show "$province" --db "$db" --json >"$work/province.json"

log "generating the bench province's records: $dossiers dossiers, $feedback feedback records (seed $seed)"
gen=$work/gen
timed generate "$py" bench/quality_gen.py --units "$work/units.json" --province "$work/province.json" \
  --out "$gen" --seed "$seed" --dossiers "$dossiers" --feedback "$feedback" \
  --latency-batches "$batches" --latency-size "$batch_size"
cat "$work/generate.err" >&2
declare -A csv_of=([dossiers]=$gen/dossiers.csv [feedback_1022]=$gen/feedback.csv)

log "pdh: loading the datasets and storing the checks"
for d in "${datasets[@]}"; do
  timed "pdh-create-$d" "$pdh" datasets create "$d" --template "$d" --db "$db"
  timed "pdh-ingest-$d" "$pdh" ingest "$d" "${csv_of[$d]}" --db "$db" --no-progress --json
  "$py" -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))[sys.argv[2]], sys.stdout, ensure_ascii=False)' \
    bench/quality_checks.json "$d" | as_user tee "$work/checks-$d.json" >/dev/null
  timed "pdh-checks-$d" "$pdh" quality checks "$d" --set "$work/checks-$d.json" --db "$db"
  head -n 1 "$work/pdh-checks-$d.out" >&2
done
[ ! -e "$db-wal" ] || as_user sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
stored=$(as_user sqlite3 "$db" "SELECT (SELECT count(*) FROM ds_dossiers) || ' ' || (SELECT count(*) FROM ds_feedback_1022);")
log "pdh holds $stored records (dossiers, feedback)"

# --- 2. pdh quality evaluate ------------------------------------------------------------------
for r in $(seq "$runs"); do
  for d in "${datasets[@]}"; do
    log "pdh quality evaluate $d ($r of $runs)"
    timed "pdh-evaluate-$d-$r" "$pdh" quality evaluate "$d" --json --db "$db" --as-of "$as_of"
    "$py" -c 'import json, sys; e = json.load(open(sys.argv[1])); print("%d records, %d checks, %.3f s" % (e["rows"], len(e["checks"]), e["seconds"]))' \
      "$work/pdh-evaluate-$d-$r.out" >&2
  done
done
# Each cell's counts (unit × month), for the unit checks' failures in every month scored.
for d in "${datasets[@]}"; do
  timed "pdh-scores-$d" "$pdh" quality scores --dataset "$d" --as-of "$as_of" --json --db "$db"
done

# --- 3. The same checks as SQL -----------------------------------------------------------------
log "the checks as SQL (bench/quality_sql.py)"
as_user sqlite3 -header -csv "$db" \
  "SELECT code, ifnull(valid_from, '') AS valid_from, ifnull(valid_to, '') AS valid_to FROM unit;" >"$work/unit-registry.csv"
sql_args=()
for d in "${datasets[@]}"; do
  as_user "$pdh" datasets show "$d" --json --db "$db" >"$work/schema-$d.json"
  # The day its batch was written (pdh's timeliness: when the records arrived, and when the
  # dataset was connected); the SQL models one.
  arrived=$(as_user "$pdh" datasets batches "$d" --json --db "$db" |
    "$py" -c 'import json, sys; print(" ".join(sorted({b["created_at"][:10] for b in json.load(sys.stdin)["items"]})))')
  [[ "$arrived" =~ ^[0-9-]{10}$ ]] || die "$d's batches were written on several days ($arrived): the SQL models one"
  sql_args+=(--schema "$d=$work/schema-$d.json" --data "$d=${csv_of[$d]}" --arrived "$d=$arrived")
done
sql=$work/sql
timed quality-sql "$py" bench/quality_sql.py --checks bench/quality_checks.json "${sql_args[@]}" \
  --units "$work/unit-registry.csv" --as-of "$as_of" --out "$sql"

# --- 3a. PostgreSQL ----------------------------------------------------------------------------
log "PostgreSQL: a throwaway cluster"
pg_dir=$work/pg
as_user mkdir -p "$pg_dir"
pg_data=$pg_dir/data
pg_port=$(free_port)
as_user "$pgbin/initdb" -D "$pg_data" -U bench --auth=trust --no-locale -E UTF8 >"$work/initdb.log" 2>&1 ||
  { tail "$work/initdb.log" >&2; die "initdb failed"; }
pg_mem_mb=$(($(free -m | awk '/^Mem:/ {print $2}') / 4))
as_user tee -a "$pg_data/postgresql.conf" >/dev/null <<CONF
# bench/quality.sh: local only, a throwaway cluster tuned for scans and aggregates
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_dir'
shared_buffers = ${pg_mem_mb}MB
work_mem = 512MB
maintenance_work_mem = 1GB
effective_cache_size = $((pg_mem_mb * 2))MB
max_parallel_workers_per_gather = 2
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
timed pg-load "${pg[@]}" -f "$sql/pg_load.sql"
for r in $(seq "$runs"); do
  for d in "${datasets[@]}"; do
    log "PostgreSQL: the checks of $d ($r of $runs)"
    timed "pg-checks-$d-$r" "${pg[@]}" -At -F, -f "$sql/pg_checks_$d.sql"
  done
done
pg_version=$(as_user "${pg[@]}" -At -c 'SHOW server_version;')
as_user "$pgbin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
pg_data=""

# --- 3b. DuckDB --------------------------------------------------------------------------------
log "DuckDB: loading (not timed), then the checks of each dataset $runs times, $threads threads"
duck_args=()
for d in "${datasets[@]}"; do duck_args+=("$d=$sql/duckdb_checks_$d.sql"); done
timed duckdb env HOME="$work" node bench/quality_duckdb.mjs "$sql/duckdb_load.sql" "${duck_args[@]}" \
  --runs "$runs" --threads "$threads"

# --- 4. The three agree ------------------------------------------------------------------------
log "comparing the counts"
compare_rc=0
WORK=$work RUNS=$runs "$py" - >"$work/compare.txt" <<'PY' || compare_rc=$?
import collections, csv, json, os, sys
w, runs = os.environ["WORK"], int(os.environ["RUNS"])
duck = json.load(open(f"{w}/duckdb.out"))
out, bad = {}, 0
for d in ("dossiers", "feedback_1022"):
    pdh = json.load(open(f"{w}/pdh-evaluate-{d}-{runs}.out"))
    pg = [[r[0]] + [int(x) for x in r[1:]] for r in csv.reader(open(f"{w}/pg-checks-{d}-{runs}.out"))]
    dk = duck["results"][d]
    # The unit checks' failures in every month scored: the cells of `pdh quality scores`.
    every = collections.Counter()
    for item in json.load(open(f"{w}/pdh-scores-{d}.out"))["items"]:
        for c in item["checks"]:
            every[c["check"]] += c["failed"]
    rows = []
    if not (len(pdh["checks"]) == len(pg) == len(dk)):
        print(f"{d}: {len(pdh['checks'])} checks in pdh, {len(pg)} in PostgreSQL, {len(dk)} in DuckDB")
        bad += 1
    for c, g, k in zip(pdh["checks"], pg, dk):
        p = [c["id"], c["failed"], c["total"], every[c["id"]]]
        same = p == g == k
        bad += not same
        rows.append({"id": c["id"], "type": c["type"], "pdh": p[1:], "postgresql": g[1:], "duckdb": k[1:], "same": same})
        if not same:
            print(f"{d}.{c['id']}: pdh {p}, PostgreSQL {g}, DuckDB {k}")
    out[d] = {"rows": pdh["rows"], "checks": rows}
out["differences"] = bad
json.dump(out, open(f"{w}/compare.json", "w"))
print(f"{sum(len(v['checks']) for k, v in out.items() if k != 'differences')} checks compared, {bad} differences")
sys.exit(1 if bad else 0)
PY
cat "$work/compare.txt" >&2

# --- 5. Latency: a batch of dossiers to the "quality" event ------------------------------------
latency_rc=0
if ((batches > 0)); then
  log "latency: the bench index set, pdh serve, $batches batches of $batch_size new dossiers"
  timed pdh-index "$pdh" indicators import "$gen/index.json" --db "$db"
  password=$("$py" -c 'import secrets; print(secrets.token_urlsafe(24))')
  as_user "$pdh" users add bench --role administrator --password-stdin --db "$db" <<<"$password" >/dev/null
  token=$(as_user "$pdh" tokens create --user bench --name quality-bench --db "$db" | head -n 1)
  serve_start=$(now_ms)
  "${asu[@]}" "$pdh" serve --db "$db" --listen 127.0.0.1:0 --access-log "" --rate-per-address 0 \
    --rate-per-token 0 >"$work/serve.out" 2>"$work/serve.err" &
  serve_pid=$!
  url=""
  for _ in $(seq 12000); do
    kill -0 "$serve_pid" 2>/dev/null || { tail "$work/serve.out" "$work/serve.err" >&2; die "pdh serve exited"; }
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out" | head -n 1)
    [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null 2>&1 && break
    sleep 0.01
  done
  serve_ready_ms=$(($(now_ms) - serve_start))
  [ -n "$url" ] || die "pdh serve did not say where it listens"
  # A leader opens the scoreboard, as of the date the batches fall in: the server builds the
  # evaluations it then follows batch by batch (timed: the first answer, then one from them).
  first_start=$(now_ms)
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/quality/scoreboard?as_of=$as_of" \
    >"$work/scoreboard.json" || die "GET /api/v1/quality/scoreboard failed"
  scoreboard_first_ms=$(($(now_ms) - first_start))
  again_start=$(now_ms)
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/quality/scoreboard?as_of=$as_of" \
    >/dev/null || die "GET /api/v1/quality/scoreboard failed"
  scoreboard_again_ms=$(($(now_ms) - again_start))
  log "scoreboard: first answer ${scoreboard_first_ms} ms, the next ${scoreboard_again_ms} ms"
  as_user "$py" bench/engine_latency.py --url "$url" --token "$token" --csv "$gen/latency.csv" \
    --batches "$batches" --size "$batch_size" --event quality --json "$work/latency.json" \
    >"$work/latency.txt" 2>&1 || latency_rc=$?
  cat "$work/latency.txt" >&2
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=""
  ((latency_rc == 0)) || log "the latency run failed (exit $latency_rc): $(tail -n 1 "$work/latency.txt")"
fi

# --- Summary -----------------------------------------------------------------------------------
kill "$load_pid" 2>/dev/null || true
load_pid=""
LOAD=$(sort -n "$work/load.log" | awk '{a[NR] = $1} END {if (NR) printf "1-minute load during the run: min %s, median %s, max %s", a[1], a[int((NR + 1) / 2)], a[NR]}')
MACHINE="$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release), load $(cut -d' ' -f1-3 /proc/loadavg)"
export LOAD MACHINE WORK=$work RUNS=$runs DOSSIERS=$dossiers FEEDBACK_N=$feedback SEED_N=$seed AS_OF=$as_of
export PG_VERSION=$pg_version PG_MEM_MB=$pg_mem_mb THREADS=$threads STORED=$stored
PDH_VERSION=$("$pdh" --version)
export PDH_BIN=$pdh PDH_VERSION SERVE_READY_MS=${serve_ready_ms:-} \
  SCOREBOARD_FIRST_MS=${scoreboard_first_ms:-} SCOREBOARD_AGAIN_MS=${scoreboard_again_ms:-}
"$py" - <<'PY'
import json, os
w = os.environ["WORK"]
runs = int(os.environ["RUNS"])
times = {}
for line in open(f"{w}/times.tsv", encoding="utf-8"):
    k, v = line.rstrip("\n").split("\t")
    times[k] = int(v) / 1000
ds = ("dossiers", "feedback_1022")
duck = json.load(open(f"{w}/duckdb.out"))
ev = {d: [json.load(open(f"{w}/pdh-evaluate-{d}-{r}.out")) for r in range(1, runs + 1)] for d in ds}
series = {
    "pdh `quality evaluate`: the evaluation (its \"seconds\")": {d: [e["seconds"] for e in ev[d]] for d in ds},
    "pdh `quality evaluate`: the whole process": {d: [times[f"pdh-evaluate-{d}-{r}"] for r in range(1, runs + 1)] for d in ds},
    f"PostgreSQL {os.environ['PG_VERSION']}: `psql -f` of the dataset's statement":
        {d: [times[f"pg-checks-{d}-{r}"] for r in range(1, runs + 1)] for d in ds},
    f"DuckDB {duck['version']} ({duck['threads']} threads): the statement": duck["runs"],
}
best = {k: {d: min(v[d]) for d in ds} for k, v in series.items()}
total = {k: sum(b.values()) for k, b in best.items()}
keys = list(series)
pdh_eval, pdh_proc, pg_key, duck_key = keys
cmp = json.load(open(f"{w}/compare.json"))
s = lambda x: f"{x:,.2f}" if x >= 0.1 else f"{x:,.3f}"  # noqa: E731
print(f"Machine: {os.environ['MACHINE']}; {os.environ.get('LOAD', '')}")
print(f"pdh {os.environ['PDH_VERSION']} ({os.environ['PDH_BIN']}); PostgreSQL shared_buffers {os.environ['PG_MEM_MB']} MB,"
      f" work_mem 512 MB, 2 parallel workers, fsync off")
n_checks = {d: len(cmp[d]["checks"]) for d in ds}
print(f"Bench province records: {cmp['dossiers']['rows']:,} dossiers and {cmp['feedback_1022']['rows']:,} feedback records"
      f" (seed {os.environ['SEED_N']}), {n_checks['dossiers']} + {n_checks['feedback_1022']} checks"
      f" (bench/quality_checks.json), as of {os.environ['AS_OF']}")
print()
print(f"| the checks over every record, best of {runs} | dossiers (s) | feedback (s) | both (s) | runs, dossiers (s) | pdh's evaluation vs it | pdh's process vs it |")
print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
for k in keys:
    b = best[k]
    r1 = "—" if k in (pdh_eval, pdh_proc) else f"{total[k] / total[pdh_eval]:,.1f}×"
    r2 = "—" if k in (pdh_eval, pdh_proc) else f"{total[k] / total[pdh_proc]:,.1f}×"
    print(f"| {k} | {s(b['dossiers'])} | {s(b['feedback_1022'])} | {s(total[k])} |"
          f" {', '.join(s(x) for x in series[k]['dossiers'])} | {r1} | {r2} |")
print()
for name, key, goal in (("DuckDB", duck_key, 5), ("PostgreSQL", pg_key, 20)):
    r_eval, r_proc = total[key] / total[pdh_eval], total[key] / total[pdh_proc]
    r_dos = best[key]["dossiers"] / best[pdh_eval]["dossiers"]
    print(f"- pdh vs {name}: {r_eval:,.1f}× on pdh's evaluation time, {r_proc:,.1f}× on its whole process"
          f" ({r_dos:,.1f}× on the {cmp['dossiers']['rows']:,} dossiers alone, evaluation time) — goal ≥ {goal}×:"
          f" {'met' if r_eval >= goal else 'NOT met'} on the evaluation, {'met' if r_proc >= goal else 'NOT met'} on the process")
print(f"- agreement: {sum(n_checks.values())} checks, failed and total counts of pdh, PostgreSQL and DuckDB"
      f" and the unit checks' failures in all 13 months: {cmp['differences']} differences")
print(f"- loading, not timed above: pdh ingest {s(times['pdh-ingest-dossiers'])} s + {s(times['pdh-ingest-feedback_1022'])} s;"
      f" PostgreSQL COPY {s(times['pg-load'])} s; DuckDB COPY {s(duck['load_s'])} s;"
      f" generating the records {s(times['generate'])} s")
if os.path.exists(f"{w}/latency.json"):
    lat = json.load(open(f"{w}/latency.json"))
    e, p = lat["event_ms"], lat["post_ms"]
    print(f"- latency, {lat['batches']} batches of {lat['size']} new dossiers: POST start → first `quality` event"
          f" p50 {e['p50']:.1f} ms, p99 {e['p99']:.1f} ms, worst {e['max']:.1f} ms"
          f" (goal p99 ≤ 100 ms: {'met' if e['p99'] <= 100 else 'NOT met'}); the POST itself p50 {p['p50']:.1f} ms,"
          f" p99 {p['p99']:.1f} ms; `pdh serve` on this database ready in {int(os.environ['SERVE_READY_MS'] or 0):,} ms;"
          f" the scoreboard's first answer {int(os.environ['SCOREBOARD_FIRST_MS'] or 0):,} ms (the evaluations built),"
          f" the next {int(os.environ['SCOREBOARD_AGAIN_MS'] or 0):,} ms")
elif os.path.exists(f"{w}/latency.txt"):
    print(f"- latency: the run failed: {open(f'{w}/latency.txt').read().strip()[-300:]}")
print()
print("| dataset | check | type | failed / total (pdh) | failed in all 13 months | PostgreSQL, DuckDB |")
print("| --- | --- | --- | ---: | ---: | --- |")
for d in ds:
    for c in cmp[d]["checks"]:
        f, t, a = c["pdh"]
        unit = c["type"] in ("freshness", "row_count", "completeness", "timeliness", "outliers", "consistency")
        print(f"| {d} | {c['id']} | {c['type']} | {f:,} / {t:,} | {f'{a:,}' if unit else '—'} |"
              f" {'same' if c['same'] else 'DIFFERENT: ' + str(c['postgresql']) + ', ' + str(c['duckdb'])} |")
PY
((compare_rc == 0)) || exit "$compare_rc"
exit "$latency_rc"
