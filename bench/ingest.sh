#!/usr/bin/env bash
# Ingestion throughput. One deterministic province-year of dossiers as CSV (bench/gen_dossiers.py),
# loaded in one run on this machine by:
#   - `pdh ingest dossiers` (full validation, unit resolution incl. pre-2025 commune codes),
#   - sqlite3's `.import` into an equivalent table (same columns, types, primary key; no
#     validation; WAL and synchronous=NORMAL like pdh's database),
#   - pandas read_csv + to_sql into the same table (Debian's python3-pandas, plain sqlite3),
# each into a fresh database, under GNU time for peak memory; then `pdh ingest` again on a
# quarter of the rows (peak memory should not depend on the file's size). Prints a markdown
# table: rows/s, pdh's ratio to each tool, peak RSS. Fails if a database lacks rows.
# Goal (issue): pdh ≥ 1.5× sqlite3 .import, ≥ 20× pandas, peak memory independent of file size.
#
# Usage: bench/ingest.sh [ROWS]        (default 2000000; run from anywhere)
#   PDH=build/pdh  PYTHON=/usr/bin/python3 (Debian's, where python3-pandas is)  SEED=2025
#   SKIP_PDH=1     measure sqlite3 and pandas only (no `pdh ingest` runs)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
cd "$here"
rows=${1:-2000000}
pdh=${PDH:-build/pdh}
py=${PYTHON:-/usr/bin/python3}
seed=${SEED:-2025}
skip_pdh=${SKIP_PDH:-0}

die() {
  echo "bench/ingest.sh: $*" >&2
  exit 1
}
[[ "$rows" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, not '$rows'"
quarter=$((rows / 4))
((quarter > 0)) || die "ROWS must be at least 4"

bash scripts/install-deps.sh --bench >&2
[ -x "$pdh" ] || die "$pdh not found: build it first (make build)"
if [ "$skip_pdh" != 1 ] && ! "$pdh" ingest --help 2>&1 | grep -q -- '--no-progress'; then
  die "$pdh has no 'ingest' command yet (SKIP_PDH=1 measures sqlite3 and pandas alone)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The demo province: its communes and agencies, and the old commune codes that the crosswalk
# resolves to exactly one new commune (merged whole), so that no row is ambiguous.
echo "== demo database" >&2
"$pdh" demo --db "$work/base.db" --force >/dev/null
province=$("$pdh" settings get home_province --db "$work/base.db")
"$pdh" units ls --db "$work/base.db" --parent "$province" --json >"$work/units.json"
bench_old_codes "$work/base.db" "$province" >"$work/old-codes.txt"
[ -s "$work/old-codes.txt" ] || die "no old commune codes of province $province in the successions"
if [ "$skip_pdh" != 1 ]; then
  # The dataset from its template, unless the demo already has it.
  if ! "$pdh" datasets show dossiers --db "$work/base.db" >/dev/null 2>&1; then
    "$pdh" datasets create --template dossiers --db "$work/base.db" >/dev/null ||
      die "could not create the dossiers dataset ('pdh datasets create --template dossiers')"
  fi
  [ ! -e "$work/base.db-wal" ] || sqlite3 "$work/base.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  base_count=$(sqlite3 "$work/base.db" 'SELECT count(*) FROM ds_dossiers;' 2>/dev/null || echo 0)
fi

echo "== generating $rows and $quarter dossiers (seed $seed)" >&2
gen() {
  "$py" bench/gen_dossiers.py --rows "$1" --seed "$seed" --units "$work/units.json" \
    --old-codes "$work/old-codes.txt" --out "$2" 2>"$2.stats"
}
gen_start=$(date +%s%N)
gen "$rows" "$work/dossiers.csv"
gen_ms=$((($(date +%s%N) - gen_start) / 1000000))
gen "$quarter" "$work/dossiers-quarter.csv"
"$py" bench/gen_dossiers.py --create-table dossiers >"$work/table.sql"

# measure NAME CMD...: runs CMD under GNU time; leaves NAME.ms, NAME.kb, NAME.out, NAME.err.
measure() {
  local name=$1 start end rc=0
  shift
  echo "== $name" >&2
  start=$(date +%s%N)
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  end=$(date +%s%N)
  echo $(((end - start) / 1000000)) >"$work/$name.ms"
  sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$work/$name.time" >"$work/$name.kb"
  if ((rc)); then
    tail -n 30 "$work/$name.out" "$work/$name.err" >&2
    die "$name failed (exit $rc)"
  fi
}
# check NAME DB TABLE EXPECTED [BEFORE]: the table gained exactly EXPECTED rows.
check() {
  local n
  n=$(sqlite3 "$2" "SELECT count(*) FROM $3;")
  n=$((n - ${5:-0}))
  [ "$n" -eq "$4" ] || die "$1: $3 in $2 has $n new rows, expected $4"
  echo "$1: $n rows in $3" >&2
}
# A fresh database with the equivalent table, in WAL mode like pdh's.
plain_db() {
  sqlite3 "$1" 'PRAGMA journal_mode=WAL;' ".read $work/table.sql" >/dev/null
}
# A fresh copy of the demo database (with its audit key).
pdh_db() {
  cp "$work/base.db" "$1"
  cp "$work/base.db.audit-key" "$1.audit-key"
}
# The batch report must say: committed, every row imported, none rejected.
check_report() {
  "$py" - "$1" "$2" "$3" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
if isinstance(report, list):
    report = report[0]
expected = int(sys.argv[2])
stats = json.loads(open(sys.argv[3], encoding="utf-8").read())
c = report.get("counts", {})
ok = report.get("status") == "committed" and c.get("imported") == expected and not c.get("rejected")
units = report.get("units", {})
print(f"  report: status {report.get('status')}, counts {c}, old codes resolved "
      f"{units.get('resolved_old_codes')} (file has {stats['old_code_rows']} rows with one), "
      f"duration_ms {report.get('duration_ms')}", file=sys.stderr)
if not ok:
    for e in report.get("errors", [])[:10]:
        print("  ", e, file=sys.stderr)
    sys.exit(f"pdh ingest: expected a committed batch of {expected} rows")
PY
}

results=$work/results.tsv
: >"$results"
add_result() { # LABEL ROWS NAME
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$(cat "$work/$3.ms")" "$(cat "$work/$3.kb")" >>"$results"
}

if [ "$skip_pdh" != 1 ]; then
  pdh_db "$work/pdh.db"
  measure pdh "$pdh" ingest dossiers "$work/dossiers.csv" --db "$work/pdh.db" --no-progress --json
  check_report "$work/pdh.out" "$rows" "$work/dossiers.csv.stats"
  check "pdh ingest" "$work/pdh.db" ds_dossiers "$rows" "$base_count"
  add_result "pdh ingest (validation, units)" "$rows" pdh
  rm -f "$work/pdh.db"*
fi

plain_db "$work/sqlite3.db"
measure sqlite3 sqlite3 "$work/sqlite3.db" 'PRAGMA synchronous=NORMAL;' 'PRAGMA foreign_keys=ON;' \
  'PRAGMA temp_store=MEMORY;' '.mode csv' ".import --skip 1 $work/dossiers.csv dossiers"
[ ! -s "$work/sqlite3.err" ] || { head "$work/sqlite3.err" >&2; die "sqlite3 .import reported errors"; }
check "sqlite3 .import" "$work/sqlite3.db" dossiers "$rows"
add_result "sqlite3 .import (no validation)" "$rows" sqlite3
rm -f "$work/sqlite3.db"*

plain_db "$work/pandas.db"
measure pandas "$py" bench/ingest_pandas.py "$work/dossiers.csv" "$work/pandas.db" --chunksize 10000
check "pandas" "$work/pandas.db" dossiers "$rows"
add_result "pandas read_csv + to_sql" "$rows" pandas
rm -f "$work/pandas.db"*

if [ "$skip_pdh" != 1 ]; then
  pdh_db "$work/pdh-quarter.db"
  measure pdh-quarter "$pdh" ingest dossiers "$work/dossiers-quarter.csv" --db "$work/pdh-quarter.db" \
    --no-progress --json
  check_report "$work/pdh-quarter.out" "$quarter" "$work/dossiers-quarter.csv.stats"
  check "pdh ingest (quarter)" "$work/pdh-quarter.db" ds_dossiers "$quarter" "$base_count"
  add_result "pdh ingest, a quarter of the rows" "$quarter" pdh-quarter
fi

csv_mib=$(($(stat -c %s "$work/dossiers.csv") / 1048576))
pandas_version=$("$py" -c 'import pandas; print(pandas.__version__)')
"$py" - "$results" "$work/pandas.out" "${base_count:-0}" <<PY
import json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
res = [(label, int(n), int(ms) / 1000, int(kb) / 1024) for label, n, ms, kb in rows]
pdh = next((r for r in res if r[0].startswith("pdh ingest (")), None)
print("Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release);"
      " sqlite3 $(sqlite3 --version | cut -d' ' -f1), pandas $pandas_version, pdh $("$pdh" --version)")
print("File: $rows dossiers, $csv_mib MiB of CSV (seed $seed, generated in $((gen_ms / 1000)).$(printf %03d $((gen_ms % 1000))) s)")
print()
print("| tool | rows | seconds | rows/s | pdh vs tool | peak RSS MiB |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for label, n, s, mib in res:
    rate = n / s if s else float("inf")
    ratio = f"{pdh[1] / pdh[2] / rate:.2f}×" if pdh and label != pdh[0] and not label.startswith("pdh") else "—"
    print(f"| {label} | {n:,} | {s:.2f} | {rate:,.0f} | {ratio} | {mib:,.0f} |")
print()
if pdh:
    rate = {label: n / s for label, n, s, _ in res}
    pdh_rate = pdh[1] / pdh[2]
    for label, goal in (("sqlite3 .import (no validation)", 1.5), ("pandas read_csv + to_sql", 20)):
        r = pdh_rate / rate[label]
        print(f"- pdh vs {label.split(' ')[0]}: {r:.2f}× (goal ≥ {goal}×: {'met' if r >= goal else 'NOT met'})")
    if int(sys.argv[3]):
        print(f"- pdh's table already held the demo's {int(sys.argv[3]):,} dossiers (the others start empty)")
    q = next((r for r in res if r[0].startswith("pdh ingest, a quarter")), None)
    if q:
        print(f"- pdh peak RSS: {pdh[3]:.0f} MiB for {pdh[1]:,} rows, {q[3]:.0f} MiB for {q[1]:,} rows"
              f" ({pdh[3] / q[3]:.2f}×)")
p = json.load(open(sys.argv[2], encoding="utf-8"))
print(f"- pandas: read_csv {p['read_s']:.2f} s, to_sql {p['write_s']:.2f} s (chunks of 10,000, executemany)")
PY
