// What the benchmarks' DuckDB peers (engine_duckdb.mjs, quality_duckdb.mjs) share: their command
// line (`--runs N --threads N` and positional arguments) and an in-memory database.
import { DuckDBInstance } from '@duckdb/node-api';
import { parseArgs } from 'node:util';

/**
 * The command line: { runs, threads, positionals }. Exits with status 2 and `usage` when an
 * option is unknown or not a positive integer, or when `valid(positionals)` is false.
 */
export function peerArgs(usage, valid) {
  let parsed;
  try {
    parsed = parseArgs({
      options: { runs: { type: 'string', default: '3' }, threads: { type: 'string', default: '2' } },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`${e.message}\nusage: ${usage}`);
    process.exit(2);
  }
  const runs = Number(parsed.values.runs);
  const threads = Number(parsed.values.threads);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(threads) || threads < 1 || !valid(parsed.positionals)) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return { runs, threads, positionals: parsed.positionals };
}

/** Seconds since `t` (a process.hrtime.bigint()). */
export const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

/** An in-memory DuckDB on `threads` threads: { instance, db (its connection), version }. */
export async function openDuckDB(threads) {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`SET threads = ${threads}`);
  const version = (await db.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v;
  return { instance, db, version };
}
