#!/usr/bin/env python3
"""The checks of bench/quality_checks.json written as SQL, for PostgreSQL 15 and DuckDB, for
bench/quality.sh: each dataset's checks in one statement that prints a line per check —
id, failed, total, failed_all — with the counts `pdh quality evaluate DATASET --json` prints.

Usage:
  quality_sql.py --checks CHECKS.json --schema CODE=SCHEMA.json --data CODE=FILE.csv ...
                 --units UNITS.csv --as-of YYYY-MM-DD --arrived CODE=YYYY-MM-DD ... --out DIR

SCHEMA.json is `pdh datasets show CODE --json` (field types, the unit and period fields);
FILE.csv the records loaded into pdh (the same file, its header naming the columns; its values
must already be what pdh stores — codes rather than labels, ISO date-times, current unit codes
— as the generated ones are, since the SQL reads them as they are); UNITS.csv
pdh's unit registry (code,valid_from,valid_to); --arrived the day the dataset's one batch was
written (the timeliness check's arrival and the dataset's connection). Writes into DIR
{pg,duckdb}_load.sql (tables and loading, not timed) and {pg,duckdb}_checks_CODE.sql (timed).

What each check counts, as pdh's quality::Evaluate does (src/quality/score.cc), over the records
whose period is at most --as-of (or has none):
  missing    every record; fails when the value is null or ''
  pattern    non-empty values; fails unless the whole value matches
  range      values that are numbers; fails below min or above max
  codes      non-empty values; fails unless one of the values, compared lower-cased (pdh folds
             case and diacritics: the code lists and the values here are ASCII)
  duplicate  records with a non-empty value in one of the fields; every record of a repeated
             combination (lower-cased, nulls as '') but one fails: count - count(DISTINCT)
  rule       records whose fields read are all non-null; fails unless the condition holds (the
             expression with #{f} as the column f and == as =; datetimes compare as timestamps,
             booleans as booleans, which orders them as pdh's seconds and 0/1 do)
  reference  non-empty values; fails unless a code of the unit registry valid on --as-of
             (pdh's Registry::Find: also a code of fewer than 5 digits that names one with
             leading zeros to 2, 3 or 5 digits — written out in the table of accepted codes)
Unit checks: every unit with records, every month of the 13 ending with the month scored (the
as-of month when as-of is its last day, else the month before) from the unit's first month on,
counts one, and fails or not; "failed" and "failed_all" both count the failures in all 13
months, as `pdh quality evaluate` does (what the cells of `pdh quality scores` add up to).
"""
import argparse
import csv
import datetime as dt
import json
import os
import re
import sys

TYPES = {  # Table Schema type -> (PostgreSQL, DuckDB)
    "string": ("TEXT", "VARCHAR"), "boolean": ("BOOLEAN", "BOOLEAN"),
    "number": ("DOUBLE PRECISION", "DOUBLE"), "integer": ("BIGINT", "BIGINT"),
    "year": ("BIGINT", "BIGINT"), "date": ("DATE", "DATE"), "datetime": ("TIMESTAMP", "TIMESTAMP"),
}


def lit(s):
    return "'" + str(s).replace("'", "''") + "'"


def ident(s):
    if not re.fullmatch(r"[a-z][a-z0-9_]*", s):
        sys.exit(f"quality_sql: '{s}' is not a plain name")
    return s


def num(x):
    return repr(float(x))


class Dialect:
    def __init__(self, name):
        self.name = name
        self.pg = name == "pg"

    def type(self, t):
        return TYPES.get(t, ("TEXT", "VARCHAR"))[0 if self.pg else 1]

    def double(self, e):
        return f"CAST({e} AS {'DOUBLE PRECISION' if self.pg else 'DOUBLE'})"

    def matches(self, col, pattern):  # the whole value matches (ECMAScript's regex_match)
        if self.pg:
            return f"{col} ~ {lit('^(?:' + pattern + ')$')}"
        return f"regexp_full_match({col}, {lit(pattern)})"

    def month(self, col):  # months since year 0: year * 12 + month - 1
        return f"CAST(extract(year FROM {col}) * 12 + extract(month FROM {col}) - 1 AS INTEGER)"

    def month_start(self, m):
        div = f"({m}) / 12" if self.pg else f"({m}) // 12"
        return f"make_date(CAST({div} AS INTEGER), CAST(({m}) % 12 + 1 AS INTEGER), 1)"

    def last_day(self, m):
        if self.pg:
            return f"CAST({self.month_start(m)} + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)"
        return f"last_day({self.month_start(m)})"

    def days(self, a, b):  # b - a in days
        return f"({b} - {a})" if self.pg else f"date_diff('day', {a}, {b})"

    def median(self, e):
        return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {e})" if self.pg else f"median({e})"

    def text(self, e):
        return f"CAST({e} AS {'TEXT' if self.pg else 'VARCHAR'})"


def score_month(as_of):
    nxt = as_of + dt.timedelta(days=1)
    d = as_of if nxt.month != as_of.month else as_of.replace(day=1) - dt.timedelta(days=1)
    return d.year * 12 + d.month - 1


def rule_sql(expr, fields):
    """pdh's expression over #{field} references, comparisons, arithmetic and parentheses, as
    SQL; anything else (functions, && and ||, whose null handling differs) is refused."""
    reads = []

    def ref(m):
        name = m.group(1)
        if name not in fields:
            sys.exit(f"quality_sql: #{{{name}}} is not a field")
        if name not in reads:
            reads.append(name)
        return ident(name)

    sql = re.sub(r"#\{([a-z0-9_]+)\}", ref, expr)
    rest = re.sub(r"\b[a-z_][a-z0-9_]*\b", "", sql)
    if not re.fullmatch(r"[\s0-9.()<>=!+\-*/]*", rest) or "&" in expr or "|" in expr:
        sys.exit(f"quality_sql: '{expr}' is not a comparison this script writes as SQL")
    sql = sql.replace("==", "=")
    return sql, reads


def dataset_sql(d, code, checks, schema, as_of, arrived):
    fields = {f["name"]: f for f in schema["fields"]}
    unit = next((f["name"] for f in schema["fields"] if f.get("pdh:unit")), None)
    period = next((f["name"] for f in schema["fields"] if f.get("pdh:period")), None)
    if period is None or fields[period]["type"] not in ("date", "datetime"):
        sys.exit(f"quality_sql: {code} has no date or datetime period field")
    table = f"ds_{ident(code)}"
    S = score_month(as_of)
    after = as_of + dt.timedelta(days=1)
    # pdh leaves out records whose period (as text) is after --as-of; records without one count.
    where = f"(t.{period} IS NULL OR t.{period} < {'TIMESTAMP' if fields[period]['type'] == 'datetime' else 'DATE'} {lit(after.isoformat())})"

    def empty(col):
        if fields[col]["type"] in ("string",):
            return f"(t.{col} IS NULL OR t.{col} = '')"
        return f"t.{col} IS NULL"

    def present(col):
        return f"NOT {empty(col)}" if fields[col]["type"] == "string" else f"t.{col} IS NOT NULL"

    # Row checks: counted per unit and month in one scan (the cells pdh scores).
    aggs, joins, dups, units = [], [], [], []
    row_out = {}
    for i, c in enumerate(checks):
        t, f = c["type"], c.get("field")
        fc = f"t.{ident(f)}" if f else None
        total = failed = None
        if t == "missing":
            total, failed = "TRUE", empty(f)
        elif t == "pattern":
            total = present(f)
            failed = f"{present(f)} AND NOT {d.matches(fc, c['pattern'])}"
        elif t == "range":
            if fields[f]["type"] not in ("number", "integer"):
                sys.exit(f"quality_sql: {c['id']}: range on a field that is not a number")
            total = f"{fc} IS NOT NULL"
            bounds = []
            if c.get("min") is not None:
                bounds.append(f"{fc} < {num(c['min'])}")
            if c.get("max") is not None:
                bounds.append(f"{fc} > {num(c['max'])}")
            failed = f"{fc} IS NOT NULL AND ({' OR '.join(bounds)})"
        elif t == "codes":
            values = c["values"]
            if any(not v.isascii() for v in values):
                sys.exit(f"quality_sql: {c['id']}: keep code lists ASCII (SQL does not fold diacritics)")
            total = present(f)
            failed = f"{present(f)} AND lower({fc}) NOT IN ({', '.join(lit(v.lower()) for v in values)})"
        elif t == "rule":
            cond, reads = rule_sql(c["expression"], fields)
            cond = re.sub(r"\b(" + "|".join(map(re.escape, reads)) + r")\b", r"t.\1", cond)
            total = " AND ".join(f"t.{r} IS NOT NULL" for r in reads)
            failed = f"{total} AND NOT ({cond})"
        elif t == "reference":
            if c.get("dataset"):
                sys.exit(f"quality_sql: {c['id']}: references to another dataset are not written here")
            alias = f"r{i}"
            joins.append(f"LEFT JOIN accepted_units {alias} ON {alias}.code = {fc}")
            total = present(f)
            failed = f"{present(f)} AND {alias}.code IS NULL"
        elif t == "duplicate":
            dups.append((i, c))
            continue
        else:
            units.append((i, c))
            continue
        aggs.append(f"count(*) FILTER (WHERE {total}) AS t{i}")
        aggs.append(f"count(*) FILTER (WHERE {failed}) AS f{i}")
        row_out[i] = (f"sum(t{i})", f"sum(f{i})")

    unit_expr = f"coalesce({d.text('t.' + unit)}, '')" if unit else "''"
    cells = (f"SELECT {unit_expr} AS u, {d.month('t.' + period)} AS m, count(*) AS n,\n"
             f"       CAST(max(t.{period}) AS DATE) AS newest" + "".join(f",\n       {a}" for a in aggs) +
             f"\n  FROM {table} t" + "".join(f"\n  {j}" for j in joins) +
             f"\n WHERE {where}\n GROUP BY 1, 2")
    ctes = [f"cells AS MATERIALIZED (\n{cells}\n)"]
    outs = {}
    for i, (tot, fl) in row_out.items():
        outs[i] = (f"SELECT {lit(checks[i]['id'])} AS id, {i} AS ord, {fl} AS failed, {tot} AS total, "
                   f"{fl} AS failed_all FROM cells")

    for i, c in dups:
        # The records of each combination of values (pdh's key: the folded values, nulls as '').
        keys = ", ".join(
            f"coalesce({'lower(t.' + ident(f) + ')' if fields[f]['type'] == 'string' else d.text('t.' + ident(f))}, '')"
            for f in c["fields"])
        anyv = " OR ".join(present(f) for f in c["fields"])
        ctes.append(f"dup{i} AS (SELECT count(*) AS k FROM {table} t\n"
                    f" WHERE {where} AND ({anyv})\n GROUP BY {keys})")
        outs[i] = (f"SELECT {lit(c['id'])} AS id, {i} AS ord, coalesce(sum(k - 1), 0) AS failed, "
                   f"coalesce(sum(k), 0) AS total, coalesce(sum(k - 1), 0) AS failed_all FROM dup{i}")

    if units:
        # Each unit's months from its first on (those of the last 25: the 13 scored and the 12
        # before them that their windows read), zero when it sent nothing, with the windows
        # every unit check reads; then the 13 months scored.
        months = ", ".join(f"({m})" for m in range(S - 24, S + 1))
        due_day = next((int(c.get("due_day", 25)) for _, c in units if c["type"] == "timeliness"), 25)
        arrived_d = f"DATE {lit(arrived)}"
        # Records of month m arrived on time by the due day of the month after, or were history
        # already there when the dataset was connected (its first batch, here its only one).
        due = f"({d.month_start('k.m + 1')} + {due_day - 1})"
        on_time = f"({arrived_d} <= {due} OR {due} < {arrived_d})"
        ctes.append(f"months(m) AS (VALUES {months})")
        ctes.append(f"firsts AS (SELECT u, min(m) AS first, max(newest) AS newest,\n"
                    f"  max(CASE WHEN m < {S - 24} THEN m END) AS older\n"
                    f"  FROM cells WHERE m IS NOT NULL GROUP BY u)")
        ctes.append(f"mz AS MATERIALIZED (SELECT f.u, f.first, f.newest, f.older, k.m, coalesce(c.n, 0) AS n,\n"
                    f"  CASE WHEN {on_time} THEN coalesce(c.n, 0) ELSE 0 END AS timely\n"
                    f"  FROM firsts f JOIN months k ON k.m >= f.first\n"
                    f"  LEFT JOIN cells c ON c.u = f.u AND c.m = k.m)")
        over = "OVER (PARTITION BY u ORDER BY m ROWS BETWEEN {} AND {})".format
        ctes.append("w AS (SELECT u, first, newest, older, m, n,\n"
                    "  lag(n, 12) OVER (PARTITION BY u ORDER BY m) AS ly,\n"
                    f"  sum(CASE WHEN n > 0 THEN 1 ELSE 0 END) {over('11 PRECEDING', 'CURRENT ROW')} AS received,\n"
                    f"  sum(n) {over('11 PRECEDING', 'CURRENT ROW')} AS rows12,\n"
                    f"  sum(timely) {over('11 PRECEDING', 'CURRENT ROW')} AS timely12,\n"
                    f"  sum(n) {over('3 PRECEDING', '1 PRECEDING')} AS s3,\n"
                    f"  max(CASE WHEN n > 0 THEN m END) {over('UNBOUNDED PRECEDING', 'CURRENT ROW')} AS nm\n"
                    "  FROM mz)")
        ctes.append(f"grid AS MATERIALIZED (SELECT * FROM w WHERE m >= {S - 12})")
        flags, joins_u = [], []
        hundred = d.double("100.0")
        for i, c in units:
            t = c["type"]
            if t == "freshness":
                # The newest record as of the end of month m: the newest one when it is in the
                # newest month with records by then, else the end of that month.
                nm = "coalesce(g.nm, g.older)"
                then = f"CASE WHEN {nm} = {d.month('g.newest')} THEN g.newest ELSE {d.last_day(nm)} END"
                fails = f"{d.days(then, d.last_day('g.m'))} > {int(c['max_days'])}"
            elif t == "row_count":
                fails = (f"coalesce(g.ly, 0) > 0 AND abs({hundred} * (g.n - g.ly) / g.ly) > "
                         f"{num(c['within_percent'])}")
            elif t == "completeness":
                fails = f"{hundred} * g.received / least(12, g.m - g.first + 1) < {num(c['threshold'])}"
            elif t == "timeliness":
                fails = f"g.rows12 > 0 AND {hundred} * g.timely12 / g.rows12 < {num(c['threshold'])}"
            elif t == "consistency":
                mean = f"({d.double('g.s3')} / 3)"
                fails = (f"g.m - 3 >= g.first AND g.s3 > 0 AND "
                         f"abs({hundred} * (g.n - {mean}) / {mean}) > {num(c['within_percent'])}")
            elif t == "outliers":
                # The 12 months before (from the unit's first), at least 6 of them.
                ctes.append(f"before{i} AS (SELECT g.u, g.m, b.n FROM grid g JOIN mz b ON b.u = g.u\n"
                            f"  AND b.m BETWEEN g.m - 12 AND g.m - 1)")
                if c["method"] == "sd":
                    ctes.append(f"stat{i} AS (SELECT u, m, count(*) AS k, avg({d.double('n')}) AS mean\n"
                                f"  FROM before{i} GROUP BY u, m)")
                    ctes.append(f"out{i} AS (SELECT s.u, s.m, s.k, s.mean AS center,\n"
                                f"  sqrt(sum((b.n - s.mean) * (b.n - s.mean)) / s.k) AS spread\n"
                                f"  FROM stat{i} s JOIN before{i} b ON b.u = s.u AND b.m = s.m\n"
                                f"  GROUP BY s.u, s.m, s.k, s.mean)")
                    test = f"abs(g.n - o{i}.center) > {num(c['threshold'])} * o{i}.spread"
                else:
                    ctes.append(f"med{i} AS (SELECT u, m, count(*) AS k, {d.median(d.double('n'))} AS med\n"
                                f"  FROM before{i} GROUP BY u, m)")
                    ctes.append(f"out{i} AS (SELECT s.u, s.m, s.k, s.med AS center,\n"
                                f"  {d.median('abs(b.n - s.med)')} AS spread\n"
                                f"  FROM med{i} s JOIN before{i} b ON b.u = s.u AND b.m = s.m\n"
                                f"  GROUP BY s.u, s.m, s.k, s.med)")
                    test = f"{d.double('0.6745')} * abs(g.n - o{i}.center) / o{i}.spread > {num(c['threshold'])}"
                joins_u.append(f"LEFT JOIN out{i} o{i} ON o{i}.u = g.u AND o{i}.m = g.m")
                fails = f"o{i}.k >= 6 AND o{i}.spread > 0 AND {test}"
            else:
                sys.exit(f"quality_sql: {c['id']}: type {t} is not written in SQL here")
            flags.append(f"CASE WHEN {fails} THEN 1 ELSE 0 END AS u{i}")
        ctes.append("uc AS (SELECT g.m,\n  " + ",\n  ".join(flags) + "\n  FROM grid g" +
                    "".join(f"\n  {j}" for j in joins_u) + ")")
        for i, c in units:
            outs[i] = (f"SELECT {lit(c['id'])} AS id, {i} AS ord, "
                       f"coalesce(sum(u{i}), 0) AS failed, "
                       f"count(*) AS total, coalesce(sum(u{i}), 0) AS failed_all FROM uc")

    body = "\nUNION ALL ".join(outs[i] for i in sorted(outs))
    with_list = ",\n".join(ctes)
    return (f"-- {code}: {len(checks)} checks as of {as_of} (bench/quality_sql.py)\n"
            f"WITH {with_list}\n"
            f"SELECT id, CAST(failed AS BIGINT) AS failed, CAST(total AS BIGINT) AS total,\n"
            f"       CAST(failed_all AS BIGINT) AS failed_all FROM (\n{body}\n) x ORDER BY ord;\n")


def accepted_units(path, as_of):
    """The codes pdh's Registry::Find accepts on `as_of`: a unit's code, and for a code of 2, 3
    or 5 digits with leading zeros, the shorter forms (fewer than 5 digits) it pads back to."""
    day = as_of.isoformat()
    out = set()
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if (r["valid_from"] and r["valid_from"] > day) or (r["valid_to"] and day >= r["valid_to"]):
                continue
            code = r["code"]
            out.add(code)
            if code.isdigit() and len(code) in (2, 3, 5):
                k = 1
                while k < len(code) and code[k - 1] == "0":
                    if len(code) - k < 5:
                        out.add(code[k:])
                    k += 1
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checks", required=True)
    ap.add_argument("--schema", action="append", default=[])
    ap.add_argument("--data", action="append", default=[])
    ap.add_argument("--arrived", action="append", default=[])
    ap.add_argument("--units", required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    pairs = lambda xs: dict(x.split("=", 1) for x in xs)  # noqa: E731
    schemas, data, arrived = pairs(a.schema), pairs(a.data), pairs(a.arrived)
    as_of = dt.date.fromisoformat(a.as_of)
    with open(a.checks, encoding="utf-8") as f:
        sets = json.load(f)
    os.makedirs(a.out, exist_ok=True)
    codes = accepted_units(a.units, as_of)
    units_csv = os.path.abspath(os.path.join(a.out, "accepted_units.csv"))
    with open(units_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code"])
        w.writerows([c] for c in codes)
    for name in ("pg", "duckdb"):
        d = Dialect(name)
        load = ["CREATE TABLE accepted_units (code " + d.type("string") + " PRIMARY KEY);"]
        copies = [("accepted_units", ["code"], units_csv)]
        for code in sets:
            with open(schemas[code], encoding="utf-8") as f:
                schema = json.load(f)
            schema = schema.get("schema", schema)
            types = {x["name"]: x["type"] for x in schema["fields"]}
            path = os.path.abspath(data[code])
            with open(path, encoding="utf-8") as f:
                header = next(csv.reader(f))
            cols = ", ".join(f"{ident(c)} {d.type(types[c])}" for c in header)
            load.append(f"CREATE TABLE ds_{ident(code)} ({cols});")
            copies.append((f"ds_{code}", header, path))
            with open(os.path.join(a.out, f"{name}_checks_{code}.sql"), "w", encoding="utf-8") as f:
                f.write(dataset_sql(d, code, sets[code]["checks"], schema, as_of, arrived[code]))
        for table, header, path in copies:
            if d.pg:
                load.append(f"\\copy {table} ({', '.join(header)}) FROM {lit(path)} WITH (FORMAT csv, HEADER true)")
            else:
                load.append(f"COPY {table} ({', '.join(header)}) FROM {lit(path)} (FORMAT csv, HEADER true);")
        load.append("ANALYZE;")
        with open(os.path.join(a.out, f"{name}_load.sql"), "w", encoding="utf-8") as f:
            f.write("\n".join(load) + "\n")


if __name__ == "__main__":
    main()
