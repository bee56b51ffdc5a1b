// Runs the real pdh binary for browser tests: a demo database in a temp dir, then
// `pdh serve` on a free port. stop() sends SIGTERM and checks that the server exits 0.

import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const webDir = resolve(import.meta.dirname, '../..');
export const pdhBin = resolve(webDir, process.env.PDH_BIN ?? '../build/pdh');
export const webDist = resolve(webDir, process.env.PDH_WEB_DIST ?? 'dist');

export async function startPdh() {
  const dir = await mkdtemp(join(tmpdir(), 'pdh-e2e-'));
  const db = join(dir, 'demo.db');
  await promisify(execFile)(pdhBin, ['demo', '--db', db], { timeout: 120_000 });

  const child = spawn(pdhBin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', webDist], {
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
    /** GETs a JSON resource of the API (for expectations computed from the server's own data). */
    async api(path) {
      const res = await fetch(`${url}/api/v1${path}`, { headers: { Accept: 'application/json' } });
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
