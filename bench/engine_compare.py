#!/usr/bin/env python3
"""Compares indicator values computed by different engines, for bench/engine.sh.

Usage: engine_compare.py NAME=FILE NAME=FILE [...] [--tolerance 1e-9] [--json OUT]

Each FILE is CSV indicator,unit,period,value (an "indicator,..." header line is skipped), sorted
by indicator, unit and period as `LC_ALL=C sort -t, -k1,1 -k2,2 -k3,3` sorts them. The first
file is the reference. Every (indicator, unit, period) must be in every file, with values whose
relative difference |a - b| / max(|a|, |b|) is at most the tolerance (values below 1e-9 in
magnitude are compared by absolute difference instead). Prints the count compared, the largest
difference seen and the first mismatches; exits 1 when any.
"""
import argparse
import json
import math
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        prev = None
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or (n == 1 and line.startswith("indicator,")):
                continue
            parts = line.split(",")
            if len(parts) != 4:
                sys.exit(f"{path}:{n}: expected 4 fields: {line[:200]}")
            key = (parts[0], parts[1], parts[2])
            if prev is not None and key <= prev:
                sys.exit(f"{path}:{n}: not sorted, or a duplicate: {line[:200]}")
            prev = key
            yield key, float(parts[3])


def diff(a, b):
    if a == b:
        return 0.0
    if math.isnan(a) or math.isnan(b):
        return math.inf
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale >= 1e-9 else abs(a - b)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="+", metavar="NAME=FILE")
    ap.add_argument("--tolerance", type=float, default=1e-9)
    ap.add_argument("--json")
    ap.add_argument("--show", type=int, default=15)
    a = ap.parse_args()
    names, paths = [], []
    for s in a.sources:
        name, _, path = s.partition("=")
        names.append(name)
        paths.append(path)
    n = len(paths)
    iters = [rows(p) for p in paths]
    heads = [next(it, None) for it in iters]
    compared = 0
    missing = {name: 0 for name in names}
    mismatches = 0
    shown = []
    worst = (0.0, None)
    per_indicator = {}
    while any(h is not None for h in heads):
        key = min(h[0] for h in heads if h is not None)
        vals = [None] * n
        for i in range(n):
            if heads[i] is not None and heads[i][0] == key:
                vals[i] = heads[i][1]
                heads[i] = next(iters[i], None)
        if any(v is None for v in vals):
            for i, v in enumerate(vals):
                if v is None:
                    missing[names[i]] += 1
            if len(shown) < a.show:
                shown.append(("missing", key, vals))
            mismatches += 1
            continue
        compared += 1
        per_indicator[key[0]] = per_indicator.get(key[0], 0) + 1
        d = max(diff(vals[0], v) for v in vals[1:])
        if d > worst[0]:
            worst = (d, key, vals)
        if d > a.tolerance:
            mismatches += 1
            if len(shown) < a.show:
                shown.append(("differs", key, vals))
    print(f"compared {compared:,} (indicator, unit, period) values in {n} result sets "
          f"({', '.join(names)}); {len(per_indicator)} indicators have values")
    print(f"largest relative difference: {worst[0]:.3g}"
          + (f" at {','.join(worst[1])}: {worst[2]}" if worst[1] else ""))
    for name in names:
        if missing[name]:
            print(f"missing from {name}: {missing[name]:,}")
    for kind, key, vals in shown:
        desc = ", ".join(f"{nm}={'—' if v is None else repr(v)}" for nm, v in zip(names, vals))
        print(f"  {kind}: {','.join(key)}: {desc}")
    print(f"mismatches: {mismatches:,} (tolerance {a.tolerance:g})")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"compared": compared, "mismatches": mismatches, "missing": missing,
                       "max_rel_diff": worst[0], "indicators": len(per_indicator),
                       "sources": names}, f)
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
