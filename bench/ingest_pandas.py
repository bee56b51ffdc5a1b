#!/usr/bin/env python3
"""The pandas side of bench/ingest.sh: read_csv the dossiers file, then to_sql into a table
already created in DB (bench/gen_dossiers.py --create-table), with the journal settings pdh
uses (WAL, synchronous=NORMAL). A plain sqlite3 connection: pandas needs no SQLAlchemy for it.
No validation beyond pandas' own parsing: text columns stay text (citizen IDs keep their
leading zeros, unit codes stay strings), true/false become 0/1, empty cells NULL.

Usage: ingest_pandas.py FILE.csv DB [--table dossiers] [--chunksize 10000]
Prints {"rows": N, "read_s": ..., "write_s": ...} on stdout.
"""
import argparse
import json
import os
import sqlite3
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_dossiers import FIELDS  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("db")
    ap.add_argument("--table", default="dossiers")
    ap.add_argument("--chunksize", type=int, default=10000)
    a = ap.parse_args()

    t0 = time.monotonic()
    df = pd.read_csv(
        a.csv,
        encoding="utf-8",
        dtype={n: str for n, t in FIELDS if t == "TEXT"},
        keep_default_na=False,
        na_values=[""],
    )
    t1 = time.monotonic()
    con = sqlite3.connect(a.db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA temp_store=MEMORY")
    df.to_sql(a.table, con, if_exists="append", index=False, chunksize=a.chunksize, method=None)
    con.commit()
    con.close()
    t2 = time.monotonic()
    json.dump({"rows": len(df), "read_s": round(t1 - t0, 3), "write_s": round(t2 - t1, 3)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
