// Browser side of the e2e tests: Debian's Chromium through playwright-core, a page that records
// console errors and failed requests, and screenshots under web/test-results/.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startPdh } from './server.mjs';

const resultsDir = resolve(import.meta.dirname, '../../test-results');

export async function launch() {
  return chromium.launch({
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
  });
}

/**
 * Starts pdh and a browser for one test file. `newPage()` gives a page in a fresh context
 * (so localStorage starts empty); `end()` checks that no page logged an error or saw a
 * failed request, closes the browser and stops the server.
 */
export async function session() {
  const server = await startPdh();
  const browser = await launch();
  const problems = [];

  async function newPage({ width = 1366, height = 900 } = {}) {
    const context = await browser.newContext({ viewport: { width, height }, baseURL: server.url });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => problems.push(`uncaught error on ${page.url()}: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
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
