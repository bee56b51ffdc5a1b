// Runs the real pdh binary for browser tests: a demo database in a temp dir (its administrator's
// password read from `pdh demo --json`), a leader account for tests that only read, then
// `pdh serve` on a free port. stop() sends SIGTERM and checks that the server exits 0.
// The database is made once per run (makeTemplate, by run.mjs) and copied for each test file;
// a file run on its own, without run.mjs, makes its own.

import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const webDir = resolve(import.meta.dirname, '../..');
export const pdhBin = resolve(webDir, process.env.PDH_BIN ?? '../build/pdh');
export const webDist = resolve(webDir, process.env.PDH_WEB_DIST ?? 'dist');

const run = promisify(execFile);

/** A leader's password, from the account name. */
const passwordOf = (name) => `${name}-Mat-khau-2025!`;

/**
 * Makes the demo database in `dir` (a copy of PDH_DEMO_TEMPLATE's when set) with the leader account and an API token for it; resolves to
 * { db, admin, leader, readToken }.
 */
export async function makeTemplate(dir) {
  const db = join(dir, 'demo.db');
  let stdout;
  const made = process.env.PDH_DEMO_TEMPLATE; // the test run's demo database, when it has one
  if (made) {
    await copyFile(made, db);
    await copyFile(`${made}.audit-key`, `${db}.audit-key`);
    stdout = await readFile(`${made}.json`, 'utf8');
  } else {
    ({ stdout } = await run(pdhBin, ['demo', '--db', db, '--json'], { timeout: 300_000 }));
  }
  const { admin } = JSON.parse(stdout);
  assert.ok(admin?.name && admin?.password, 'pdh demo --json prints the administrator');
  const cli = async (...args) => (await run(pdhBin, [...args, '--db', db], { timeout: 60_000 })).stdout.trim();
  const leader = { name: 'lanhdao', password: passwordOf('lanhdao') };
  await cli('users', 'add', leader.name, '--password', leader.password, '--role', 'leader', '--display-name', 'Nguyễn Văn An');
  const readToken = await cli('tokens', 'create', '--user', leader.name);
  return { db, admin, leader, readToken };
}

/** `extraArgs` go to `pdh serve` (e.g. shorter session timeouts). */
export async function startPdh({ extraArgs = [] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'pdh-e2e-'));
  const db = join(dir, 'demo.db');
  let template;
  if (process.env.PDH_E2E_TEMPLATE) {
    template = JSON.parse(await readFile(process.env.PDH_E2E_TEMPLATE, 'utf8'));
    await copyFile(template.db, db);
    await copyFile(`${template.db}.audit-key`, `${db}.audit-key`);
  } else {
    template = await makeTemplate(dir);
  }
  const { admin, leader, readToken } = template;

  /** Runs a pdh subcommand on this database; resolves to its trimmed stdout. */
  const cli = async (...args) => (await run(pdhBin, [...args, '--db', db], { timeout: 60_000 })).stdout.trim();

  /** Creates an account with the CLI; returns { name, password }. */
  async function addUser(name, role, { unit, displayName } = {}) {
    const password = passwordOf(name);
    await cli('users', 'add', name, '--password', password, '--role', role, ...(unit ? ['--unit', unit] : []), ...(displayName ? ['--display-name', displayName] : []));
    return { name, password };
  }

  const child = spawn(pdhBin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', webDist, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));

  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`pdh serve did not report listening within 20 s\n${stderr}`)), 20_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^pdh: listening on (http:\/\/\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`pdh serve exited early (code ${code}, signal ${signal})\n${stderr}`));
    });
  });

  return {
    url,
    /** The demo's administrator ({ name, password }; `totp` is added once a test enrols it). */
    admin,
    /** A leader: reads everything, the default account of the browser tests. */
    leader,
    cli,
    addUser,
    /** GETs a JSON resource of the API as the leader (for expectations from the server's own data). */
    async api(path) {
      const res = await fetch(`${url}/api/v1${path}`, { headers: { Accept: 'application/json', Authorization: `Bearer ${readToken}` } });
      assert.equal(res.status, 200, `GET /api/v1${path}`);
      return res.json();
    },
    async stop() {
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      await rm(dir, { recursive: true, force: true });
      assert.equal(signal, null, `pdh serve was killed by ${signal}\n${stderr}`);
      assert.equal(code, 0, `pdh serve exited with ${code}\n${stderr}`);
    },
  };
}
