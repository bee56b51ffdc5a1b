#!/usr/bin/env bash
# Record linkage (M4) against DuckDB: `pdh link pair` on two generated FEBRL-like sources, then
# the same blocking rules and comparison levels as SQL in DuckDB (node, @duckdb/node-api),
# scored with the m and u pdh fitted; the pairs and weights of both are checked against each
# other and the comparison-and-scoring steps timed.
# Usage: bench/link_duckdb.sh [PDH] [N...]     (default: $PDH or build/pdh, and 100000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pdh=${1:-${PDH:-$here/../build/pdh}}
shift || true
sizes=("${@:-100000}")
threads=2
# The rules pdh chooses itself on these columns at 1,000,000 records, written out so that both
# engines block alike at every size.
rules="id;surname,given;dob,postcode;given3,postcode;surname3,postcode;dob,surname3;dob,given3"

[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pairs_out=()
help=$("$pdh" link pair --help)
if [[ $help == *--pairs-out* ]]; then
  pairs_out=(--pairs-out "$work/pdh_pairs.csv")
else
  echo "note: $pdh has no --pairs-out; the weights are checked on its links only" >&2
fi

echo "| N (each source) | pairs (pdh / DuckDB) | pdh whole run | pdh comparison + scoring |" \
  "DuckDB load | DuckDB blocking | DuckDB comparison + scoring | DuckDB / pdh | peak memory pdh / DuckDB |" \
  "weights differing by > 0.01 bits |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  d=$work/gen$n
  python3 "$here/link_gen.py" "$n" "$d"
  # Timed run, then a second run writing every compared pair for the check.
  /usr/bin/time -f '%M KiB %e s' -o "$d/pdh.time" "$pdh" link pair "$d/a.csv" "$d/b.csv" \
    --id rec_id --rules "$rules" --threads "$threads" --json --out "$d/links.csv" >"$d/pdh.json"
  check=$d/links.csv
  if [ ${#pairs_out[@]} -gt 0 ]; then
    "$pdh" link pair "$d/a.csv" "$d/b.csv" --id rec_id --rules "$rules" --threads "$threads" \
      --json --out "$d/links2.csv" "${pairs_out[@]}" >/dev/null
    check=$work/pdh_pairs.csv
  fi
  /usr/bin/time -f '%M KiB %e s' -o "$d/duck.time" node "$here/link_duckdb.mjs" \
    "$d/a.csv" "$d/b.csv" "$d/pdh.json" "$check" --id rec_id --threads "$threads" >"$d/duck.json"
  python3 - "$n" "$d" "$check" <<'EOF'
import json, sys
n, d, check = sys.argv[1], sys.argv[2], sys.argv[3]
p = json.load(open(f"{d}/pdh.json"))
q = json.load(open(f"{d}/duck.json"))
pm, pt = open(f"{d}/pdh.time").read().split()[0::2]
qm, qt = open(f"{d}/duck.time").read().split()[0::2]
steps = p.get("steps")
mib = lambda kib: f"{int(kib) / 1024:.0f} MiB"
if steps:
    pdh_cs = steps["compare"] + steps["score"]
    pdh_cs_s = f"{pdh_cs:.2f} s (compare {steps['compare']:.2f}, score {steps['score']:.2f})"
else:
    pdh_cs = float(pt)
    pdh_cs_s = "not reported (whole run used)"
ratio = q["compare_score_s"] / pdh_cs
c = q.get("check", {})
what = "all pairs" if check.endswith("pdh_pairs.csv") else "links only"
print(f"| {int(n):,} | {p['pairs_compared']:,} / {q['pairs']:,} | {float(pt):.2f} s | {pdh_cs_s} | "
      f"{q['load_s']:.2f} s | {q['block_s']:.2f} s | {q['compare_score_s']:.2f} s | "
      f"**{ratio:.1f}×** | {mib(pm)} / {mib(qm)} | "
      f"{c.get('differ', '?'):,} of {c.get('both', 0):,} ({what}); "
      f"only in pdh {c.get('only_pdh', '?')}, only in DuckDB {c.get('only_duckdb', '?')} |")
detail = {
    "pdh_steps": steps,
    "rule_pairs": q["rule_pairs"],
    "histogram_bins_differing": q.get("histogram_bins_differing"),
    "check": c,
    "max_weight_difference": c.get("max_diff"),
    "differing_examples": q.get("differing_examples"),
    "differing_elsewhere_examples": q.get("differing_elsewhere_examples"),
}
with open(f"{d}/../details.txt", "a") as f:
    print(f"N = {int(n):,}: {json.dumps(detail)}", file=f)
EOF
done
echo
cat "$work/details.txt"
