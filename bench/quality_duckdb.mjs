// The DuckDB peer of `pdh quality evaluate`, for bench/quality.sh: loads the datasets (not
// timed), then runs each dataset's checks as SQL (bench/quality_sql.py wrote both) RUNS times,
// timing each statement alone.
//
// Usage: node quality_duckdb.mjs LOAD.sql CODE=CHECKS.sql... [--runs N] [--threads N]
// Prints one JSON object: {version, threads, load_s, runs: {CODE: [seconds...]},
//                          results: {CODE: [[id, failed, total, failed_all]...]}} (results of the last run).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let runs = 3;
let threads = 2;
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--threads') threads = Number(args[++i]);
  else files.push(args[i]);
}
if (files.length < 2) {
  console.error('usage: node quality_duckdb.mjs LOAD.sql CODE=CHECKS.sql... [--runs N] [--threads N]');
  process.exit(2);
}
const [loadPath, ...checkArgs] = files;
const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run(`SET threads = ${threads}`);
const out = { threads, runs: {}, results: {} };
out.version = (await db.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v;

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
