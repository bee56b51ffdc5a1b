#!/usr/bin/env python3
"""The records of the bench province for bench/quality.sh: the dossiers and 1022 feedback of
bench/gen_index.py (the same generators, seed and bytes as bench/engine.sh's), without the index
set and its reported values.

Usage:
  quality_gen.py --units UNITS.json --province PROVINCE.json --out DIR [--seed S]
                 [--dossiers N] [--feedback N] [--latency-batches B --latency-size K]

UNITS.json is `pdh units ls --parent P --json`, PROVINCE.json `pdh units show P --json`.
Writes into DIR: dossiers.csv, feedback.csv, latency.csv (B x K new dossiers of December 2025,
for the latency run) and index.json (the index set, whose rules over the dossiers make a batch
change indicator values, which is when `pdh serve` publishes its "quality" event), and prints
the counts on stderr as JSON.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_index  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", required=True)
    ap.add_argument("--province", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--dossiers", type=int, default=2_000_000)
    ap.add_argument("--feedback", type=int, default=100_000)
    ap.add_argument("--latency-batches", type=int, default=200)
    ap.add_argument("--latency-size", type=int, default=1000)
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)

    units, _, communes, agencies = gen_index.load_units(a)
    children = os.path.join(out, "children.json")
    with open(children, "w", encoding="utf-8") as f:
        json.dump(units[1:], f, ensure_ascii=False)
    gen_index.run_gen_dossiers(children, a.dossiers, a.seed, gen_index.RECORD_START,
                               gen_index.RECORD_DAYS, os.path.join(out, "dossiers.csv"))
    gen_index.generate_feedback(os.path.join(out, "feedback.csv"), a.feedback, communes, agencies,
                                a.seed)
    elements, indicators = gen_index.build_index(a.seed)
    with open(os.path.join(out, "index.json"), "w", encoding="utf-8") as f:
        json.dump(gen_index.index_json(elements, indicators), f, ensure_ascii=False, indent=1)
    latency = a.latency_batches * a.latency_size
    gen_index.generate_latency(children, latency, a.seed, out)
    json.dump({"units": len(units), "dossiers": a.dossiers, "feedback": a.feedback,
               "latency_dossiers": latency, "indicators": len(indicators), "seed": a.seed}, sys.stderr)
    sys.stderr.write("\n")


if __name__ == "__main__":
    main()
