// The DuckDB peer of the index-set engine, for bench/engine.sh: the same schema, load and
// computation bench/gen_index.py wrote for PostgreSQL (SQL_DIR/pg_*.sql), run by DuckDB in
// memory. What is PostgreSQL's own is turned into DuckDB's, nothing else is changed:
//   - psql's `\copy TABLE FROM 'F' WITH (…)` → `COPY TABLE FROM 'F' (…)`;
//   - `CREATE UNLOGGED TABLE` → `CREATE TABLE` (DuckDB's tables have no WAL to skip here);
//   - `VACUUM ANALYZE` → `ANALYZE`; `SET extra_float_digits` dropped (DuckDB prints the
//     shortest form that reads back the same double);
//   - the export's `\copy (SELECT …) TO STDOUT` → `COPY (SELECT …) TO 'OUT.csv'`, without a
//     header line as psql's.
// Loading is not timed; the computation (pg_compute.sql, statement by statement) is timed whole,
// RUNS times; the values of the last run are exported to OUT.csv.
//
// Usage: node engine_duckdb.mjs SQL_DIR OUT.csv [--runs N] [--threads N]
// Prints one JSON object: {version, threads, load_s, runs: [seconds...], results}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDuckDB, peerArgs, seconds } from './duckdb_peer.mjs';

const { runs, threads, positionals } = peerArgs(
  'node engine_duckdb.mjs SQL_DIR OUT.csv [--runs N] [--threads N]',
  (p) => p.length === 2,
);
const [dir, outPath] = positionals;

// A file's statements: each ends with ";" at the end of a line (as gen_index.py writes them),
// psql's meta-commands at their line's end.
const statements = (text) =>
  text
    .replace(/^(\\copy.*?);?$/gm, '$1;')
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('--'));

const duck = (stmt) => {
  const copyIn = /^\\copy\s+(\w+)\s+FROM\s+('[^']*')\s+WITH\s+(\(.*\))$/is.exec(stmt);
  if (copyIn) return `COPY ${copyIn[1]} FROM ${copyIn[2]} ${copyIn[3]}`;
  const copyOut = /^\\copy\s+(\(.*\))\s+TO\s+STDOUT\s+WITH\s+(\(.*\))$/is.exec(stmt);
  if (copyOut) {
    // psql writes no header unless asked; DuckDB writes one unless told not to.
    const options = /HEADER/i.test(copyOut[2]) ? copyOut[2] : copyOut[2].replace(/\)$/, ', HEADER false)');
    return `COPY ${copyOut[1]} TO '${outPath.replaceAll("'", "''")}' ${options}`;
  }
  if (/^VACUUM\s+ANALYZE$/i.test(stmt)) return 'ANALYZE';
  if (/^SET\s+extra_float_digits/i.test(stmt)) return null;
  return stmt.replace(/CREATE\s+UNLOGGED\s+TABLE/gi, 'CREATE TABLE');
};
const script = (name) =>
  statements(readFileSync(join(dir, name), 'utf8'))
    .map((s) => duck(s.replace(/;$/, '')))
    .filter(Boolean);

// The instance stays referenced for the whole run, beside its connection.
const { instance, db, version } = await openDuckDB(threads);
await db.run('SET preserve_insertion_order = false');
const out = { version, threads, runs: [] };

let t = process.hrtime.bigint();
for (const stmt of [...script('pg_schema.sql'), ...script('pg_load.sql')]) await db.run(stmt);
out.load_s = seconds(t);

const compute = script('pg_compute.sql');
for (let r = 0; r < runs; ++r) {
  t = process.hrtime.bigint();
  for (const stmt of compute) await db.run(stmt);
  out.runs.push(seconds(t));
}
for (const stmt of script('pg_export.sql')) await db.run(stmt);
out.results = Number((await db.runAndReadAll('SELECT count(*) AS n FROM result')).getRowObjectsJson()[0].n);
console.log(JSON.stringify(out));
