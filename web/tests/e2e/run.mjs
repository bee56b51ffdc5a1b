// Runs the browser tests: one demo database (with the leader account the tests read as and its
// API token) that every test file copies instead of building its own, one Chromium that every
// file connects to, and the files two at a time under node's test runner. Arguments are test
// files (default: every tests/e2e/*.test.mjs).

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchServer } from './browser.mjs';
import { makeTemplate } from './server.mjs';

const here = import.meta.dirname;
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : (await readdir(here)).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(here, f));

const dir = await mkdtemp(join(tmpdir(), 'pdh-e2e-template-'));
const started = Date.now();
const template = await makeTemplate(dir);
await writeFile(join(dir, 'template.json'), JSON.stringify(template));
console.log(`browser tests: demo database made once in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const browser = await launchServer();

// As many files at once as there are cores (at most two: more, and Chromium falls behind).
const concurrency = Math.max(1, Math.min(2, availableParallelism()));
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
  env: { ...process.env, PDH_E2E_TEMPLATE: join(dir, 'template.json'), PDH_E2E_BROWSER: browser.wsEndpoint() },
});
const code = await new Promise((res) => child.once('exit', (c, signal) => res(signal ? 1 : c)));
await browser.close();
await rm(dir, { recursive: true, force: true });
process.exit(code);
