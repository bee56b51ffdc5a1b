// The DuckDB peer of `pdh quality evaluate`, for bench/quality.sh: loads the datasets (not
// timed), then runs each dataset's checks as SQL (bench/quality_sql.py wrote both) RUNS times,
// timing each statement alone.
//
// Usage: node quality_duckdb.mjs LOAD.sql CODE=CHECKS.sql... [--runs N] [--threads N]
// Prints one JSON object: {version, threads, load_s, runs: {CODE: [seconds...]},
//                          results: {CODE: [[id, failed, total, failed_all]...]}} (results of the last run).
import { readFileSync } from 'node:fs';
import { openDuckDB, peerArgs, seconds } from './duckdb_peer.mjs';

const { runs, threads, positionals } = peerArgs(
  'node quality_duckdb.mjs LOAD.sql CODE=CHECKS.sql... [--runs N] [--threads N]',
  (p) => p.length >= 2,
);
const [loadPath, ...checkArgs] = positionals;

// The instance stays referenced for the whole run, beside its connection.
const { instance, db, version } = await openDuckDB(threads);
const out = { version, threads, runs: {}, results: {} };

// Loading: one statement a line.
let t = process.hrtime.bigint();
for (const stmt of readFileSync(loadPath, 'utf8').split('\n')) {
  if (stmt.trim()) await db.run(stmt);
}
out.load_s = seconds(t);
out.rows = {};

for (const arg of checkArgs) {
  const [code, path] = arg.split('=');
  const sql = readFileSync(path, 'utf8');
  out.rows[code] = Number((await db.runAndReadAll(`SELECT count(*) AS n FROM ds_${code}`)).getRowObjectsJson()[0].n);
  out.runs[code] = [];
  for (let r = 0; r < runs; ++r) {
    t = process.hrtime.bigint();
    const reader = await db.runAndReadAll(sql);
    out.runs[code].push(seconds(t));
    out.results[code] = reader.getRowObjectsJson().map((row) => [row.id, Number(row.failed), Number(row.total), Number(row.failed_all)]);
  }
}
console.log(JSON.stringify(out));
