#!/usr/bin/env bash
# Record linkage (M4): accuracy without labels on FEBRL (dedupe, truth in the ids) and on two
# generated Vietnamese registers with known truth, and time and peak memory of `pdh link pair` on
# two generated FEBRL-like sources with known truth.
# Usage: bench/link.sh [PDH] [N...]     (default: build/pdh 100000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pdh=${1:-$here/../build/pdh}
shift || true
sizes=("${@:-100000}")
data=$here/../../shared/data/linkage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Pairs within clusters (dedupe) or links (pair) against the truth.
score() {
  python3 - "$@" <<'EOF'
import csv, sys, itertools, collections
mode, out = sys.argv[1], sys.argv[2]
if mode == "dedupe":
    ent = lambda i: i.split("-")[1]
    clusters = collections.defaultdict(list)
    by_entity = collections.Counter()
    for r in csv.DictReader(open(out)):
        clusters[r["cluster_id"]].append(r["id"])
        by_entity[ent(r["id"])] += 1
    pred = right = 0
    for m in clusters.values():
        for a, b in itertools.combinations(m, 2):
            pred += 1
            right += ent(a) == ent(b)
    actual = sum(n * (n - 1) // 2 for n in by_entity.values())
else:
    truth = {(r["id_a"], r["id_b"]) for r in csv.DictReader(open(sys.argv[3]))}
    links = {(r["id_a"], r["id_b"]) for r in csv.DictReader(open(out))}
    pred, right, actual = len(links), len(links & truth), len(truth)
p = right / pred if pred else 1
r = right / actual if actual else 1
f1 = 2 * p * r / (p + r) if p + r else 0
print(f"precision {p:.4f} recall {r:.4f} F1 {f1:.4f} ({right} of {actual} true pairs, {pred} predicted)")
EOF
}

run() {  # label, then the pdh link arguments; prints time and peak memory
  local label=$1
  shift
  /usr/bin/time -f '%M KiB %e s' -o "$work/time" "$pdh" link "$@" --json >"$work/out.json"
  python3 - "$work/out.json" "$label" "$(cat "$work/time")" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
e = d["estimate"]
print(f"{sys.argv[2]}: {d['records']} records, {d['pairs_compared']} pairs compared, "
      f"estimated precision {e['precision']:.4f} recall {e['recall']:.4f}; {sys.argv[3]}")
EOF
}

for f in febrl1 febrl2 febrl3; do
  run "$f" dedupe "$data/$f.csv" --id rec_id --out "$work/$f.csv"
  echo "  $(score dedupe "$work/$f.csv")"
done

# Two pre-merger versions of a Vietnamese household-business register (bench/link_gen_vi.py),
# the old commune codes compared through the unit registry of a database of the official lists.
"$pdh" units import --db "$work/units.db" > /dev/null
for n in "${sizes[@]}"; do
  python3 "$here/link_gen_vi.py" "$n" "$work/vi$n"
  run "Vietnamese register pair $n x $n" pair "$work/vi$n/a.csv" "$work/vi$n/b.csv" --id "Mã hộ" \
    --db "$work/units.db" --out "$work/vi_links$n.csv"
  echo "  $(score pair "$work/vi_links$n.csv" "$work/vi$n/truth.csv")"
done

# The same registers through a project file: each source's columns mapped onto the target's
# fields (dates as written, old commune codes to the new communes), one deduplication over both,
# golden records written; scored on the pairs within each golden record's sources.
n=${sizes[0]}
cp "$here/link_project_vi.json" "$work/vi$n/project.json"
/usr/bin/time -f '%M KiB %e s' -o "$work/time" "$pdh" link project "$work/vi$n/project.json" \
  --db "$work/units.db" --out "$work/vi_golden$n.csv" --json >"$work/out.json"
python3 - "$work/vi_golden$n.csv" "$work/vi$n/truth.csv" "$work/out.json" "$(cat "$work/time")" <<'EOF2'
import csv, json, sys
pairs = set()
for r in csv.DictReader(open(sys.argv[1])):
    ids = sorted(k.split(":", 1)[1] for k in r["sources"].split("; "))
    pairs |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}
truth = {(r["id_a"], r["id_b"]) for r in csv.DictReader(open(sys.argv[2]))}
right = len(pairs & truth)
p, r = right / max(len(pairs), 1), right / len(truth)
d = json.load(open(sys.argv[3]))
print(f"project file {d['records']} records: {d['clusters']} golden records, "
      f"{d['pairs_to_review']} pairs for review; precision {p:.4f} recall {r:.4f} "
      f"F1 {2 * p * r / (p + r):.4f}; {sys.argv[4]}")
EOF2

for n in "${sizes[@]}"; do
  python3 "$here/link_gen.py" "$n" "$work/gen$n"
  run "pair $n x $n" pair "$work/gen$n/a.csv" "$work/gen$n/b.csv" --id rec_id \
    --out "$work/links$n.csv"
  echo "  $(score pair "$work/links$n.csv" "$work/gen$n/truth.csv")"
done
