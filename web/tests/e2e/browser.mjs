// Browser side of the e2e tests: Debian's Chromium through playwright-core, a page that records
// console errors and failed requests, signing in (with TOTP when the account has it), and
// screenshots under web/test-results/.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { chromium } from 'playwright-core';
import { startPdh } from './server.mjs';

const resultsDir = resolve(import.meta.dirname, '../../test-results');

const launchOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

// The pages a test opens are closed when it ends (those opened in a file's `before`, or with
// `keep`, stay for all its tests): a page left open keeps its live event stream, and Chromium
// gives a context six connections to a server.
let testPages = null;
beforeEach(() => {
  testPages = [];
});
afterEach(async () => {
  const pages = testPages ?? [];
  testPages = null;
  await Promise.all(pages.map(({ page, context }) => (context ? context.close() : page.close())));
});

/** A Chromium that other processes connect to (run.mjs starts one for every test file). */
export function launchServer() {
  return chromium.launchServer(launchOptions);
}

/**
 * The browser of a test file: the run's shared Chromium when run.mjs started one (closing it
 * only disconnects), else one of the file's own.
 */
export async function launch() {
  const shared = process.env.PDH_E2E_BROWSER;
  return shared ? chromium.connect(shared) : chromium.launch(launchOptions);
}

/**
 * Starts pdh and a browser for one test file. `newPage()` gives a page signed in as the leader
 * unless `user` says otherwise, at `path` when given (else where signing in leads); `end()`
 * checks that no page logged an error or saw a failed request, closes the browser and stops the
 * server. A signed-in page opens in its user's context of this file (signed in through the login
 * page once, its cookies kept, localStorage emptied for each new page): a new context costs
 * Chromium a cold start of the app, about three times a page of a warm one. `user: null` gives a
 * fresh signed-out context.
 */
export async function session(options) {
  const server = await startPdh(options);
  const browser = await launch();
  const problems = [];

  /** The signed-in context of each user name. */
  const contexts = new Map();

  /** `keep`: the page stays open after the test that opened it, for the file's later tests. */
  async function newPage({ width = 1366, height = 900, user = server.leader, path, keep = false } = {}) {
    const reused = user ? contexts.get(user.name) : undefined;
    const context = reused ?? (await browser.newContext({ viewport: { width, height }, baseURL: server.url }));
    if (user && !reused) {
      contexts.set(user.name, context);
      // Each page starts with an empty localStorage (the language chosen on an earlier page is
      // forgotten), once: a reload or a later navigation of the same page keeps what it set.
      await context.addInitScript(() => {
        if (location.protocol !== 'http:' || sessionStorage.getItem('pdh-e2e-page')) return;
        sessionStorage.setItem('pdh-e2e-page', '1');
        localStorage.clear();
      });
    }
    const page = await context.newPage();
    // A signed-out context is the page's alone and closes with it.
    if (!keep) testPages?.push({ page, context: user ? null : context });
    if (reused) await page.setViewportSize({ width, height });
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => problems.push(`uncaught error on ${page.url()}: ${err.message}`));
    page.on('requestfailed', (req) => {
      // Leaving a page (goto, reload) cuts its live event stream: that is not a failed request.
      if (req.resourceType() === 'eventsource' && req.failure()?.errorText === 'net::ERR_ABORTED') return;
      // So does the browser's own request for the tab's icon, when the page is left meanwhile.
      if (new URL(req.url()).pathname === '/favicon.svg' && req.failure()?.errorText === 'net::ERR_ABORTED') return;
      // And a page's API read still in flight when the test moves to another page: the browser
      // abandons it (a server that fails answers with a status, or drops the connection, which
      // are other errors than ERR_ABORTED).
      if (['fetch', 'xhr'].includes(req.resourceType()) && req.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    // A session another page ended (signing out, an idle timeout) is signed in again.
    const signedIn = reused && (await context.request.get('/api/v1/auth/me')).ok();
    if (user && !signedIn) await signIn(page, user);
    if (path) await page.goto(path);
    else if (signedIn) {
      await page.goto('/');
      await pageLoaded(page);
    }
    return page;
  }

  return {
    server,
    newPage,
    /** Requests that a test provokes on purpose can be excused by a predicate. */
    async end(excused = () => false) {
      try {
        assert.deepEqual(problems.filter((p) => !excused(p)), [], 'no console errors or failed requests');
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  };
}

/**
 * A predicate for `end()` that excuses error responses a test provokes on purpose (the response
 * and Chromium's console line for it): `expected([401, 423], '/auth/login')`.
 */
export function expected(statuses, ...paths) {
  const urls = paths.map((p) => `/api/v1${p}`);
  return (problem) =>
    statuses.some((status) =>
      urls.some(
        (u) =>
          (problem.startsWith(`HTTP ${status} for `) && problem.endsWith(u)) ||
          (problem.includes(`status of ${status} `) && problem.endsWith(`${u})`)),
      ),
    );
}

/** Excuses a problem when any of the predicates does. */
export const anyOf =
  (...predicates) =>
  (problem) =>
    predicates.some((p) => p(problem));

/** RFC 6238 TOTP: HMAC-SHA1 over the 30-second step, 6 digits, for a base32 secret. */
export function totp(secretBase32, time = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// A 30-second step's code is used once per account, and the server takes the step before, the
// current one and the next: a second sign-in within the same 30 s gives the next step's code, a
// third waits for the step after.
const usedSteps = new Map();
const stepOf = (time) => Math.floor(time / 30_000);
async function freshCode(user) {
  for (;;) {
    const now = stepOf(Date.now());
    const last = usedSteps.get(user.name) ?? -Infinity;
    const step = [now, now + 1].find((k) => k > last);
    if (step !== undefined) {
      usedSteps.set(user.name, step);
      return totp(user.totp, step * 30_000);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Fills the sign-in form (and the code step when the account has TOTP); leaves the page there. */
export async function submitLogin(page, user) {
  if (new URL(page.url()).pathname !== '/login') await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(user.name);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(user.password);
  await page.getByTestId('login-submit').click();
  if (user.totp) {
    await page.getByTestId('totp-step').waitFor();
    await page.getByLabel('Mã xác thực (6 chữ số)').fill(await freshCode(user));
    await page.getByTestId('login-submit').click();
  }
}

/**
 * Waits until the page the app shows has loaded its data. After signing in the app moves on
 * without loading a new document, so the login page's network-idle state says nothing about it;
 * the app marks its page busy (aria-busy) while it loads.
 */
async function pageLoaded(page) {
  await page.locator('[data-testid="page"]:not([aria-busy])').waitFor();
  await page.waitForLoadState('networkidle');
}

/** Signs in through the login page and waits until the page it leads to has loaded. */
export async function signIn(page, user) {
  await submitLogin(page, user);
  await page.waitForURL((url) => url.pathname !== '/login');
  await pageLoaded(page);
}

/** On the TOTP enrolment page: reads the secret, confirms with a computed code, remembers it. */
export async function enrolTotp(page, user) {
  const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
  assert.match(secret, /^[A-Z2-7]{16,}=*$/, 'a base32 secret');
  const step = stepOf(Date.now());
  await page.getByLabel('Mã xác thực (6 chữ số)').fill(totp(secret, step * 30_000));
  await page.getByTestId('totp-confirm').click();
  await page.waitForURL((url) => url.pathname !== '/account/totp');
  user.totp = secret;
  usedSteps.set(user.name, step);
}

/** Signs the administrator in, enrolling TOTP first if that has not happened yet. */
export async function signInAdmin(page, admin) {
  await submitLogin(page, admin);
  await page.waitForURL((url) => url.pathname !== '/login');
  if (new URL(page.url()).pathname === '/account/totp') await enrolTotp(page, admin);
  await pageLoaded(page);
}

/**
 * Chooses the app's as-of date in the header (the one date every page shows) and waits until the
 * address carries it and the page has loaded its figures.
 */
export async function chooseAsOf(page, date) {
  await page.getByTestId('asof-summary').click();
  await page.getByTestId('asof-input').fill(date);
  await page.getByTestId('asof-apply').click();
  await page.waitForURL((url) => url.searchParams.get('as_of') === date);
  await page.locator(`[data-testid="asof-date"][data-date="${date}"]`).waitFor();
  await page.locator('[data-testid="page"]:not([aria-busy])').waitFor();
}

export async function screenshot(page, name) {
  await mkdir(resultsDir, { recursive: true });
  await page.screenshot({ path: resolve(resultsDir, `${name}.png`), fullPage: true });
}

/** Asserts an ECharts container is laid out and has drawn an SVG or canvas. */
export async function assertChart(page, testid) {
  const chart = page.getByTestId(testid);
  await chart.locator('svg, canvas').first().waitFor();
  const box = await chart.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `${testid} has a size (${JSON.stringify(box)})`);
  const drawn = await chart.locator('svg path, svg rect, canvas').count();
  assert.ok(drawn > 0, `${testid} draws something`);
}

/** The way the app writes whole numbers in each language. */
export const fmt = {
  vi: (n) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(n),
  en: (n) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(n),
};
