// The leaders' IOC, trustworthy at a glance, and the monthly report: the draft report of October
// 2025 shows the overview's figures of 31/10/2025 and downloads as PDF, and is issued; the
// indicator map draws one area per commune, labelled approximate until boundaries are loaded, and
// a boundary file naming an unknown code is refused in words; the audit log says actions in
// words; the operations centre's display reads with its token, turns its pages and stays signed
// in past the session idle time. One signed-in page (the administrator) and the display.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expected, screenshot, session, signInAdmin } from './browser.mjs';

/** Accounts' sessions end after this many idle seconds (the administrator's keep their default). */
const idleSeconds = 4;
const october = '2025-10-31';

let s;
let page;
let wall;
let wallOpenedAt = 0;
/** The display's API requests that went without its token. */
const withoutToken = [];

before(async () => {
  s = await session({ extraArgs: ['--session-idle', String(idleSeconds)] });
  // The display's token: the leader's, with read permissions only.
  const reads = ['units.read', 'catalog.read', 'indicators.read', 'tracker.read', 'datasets.read', 'reports.read'];
  const token = await s.server.cli('tokens', 'create', '--user', s.server.leader.name, '--name', 'Màn hình IOC', ...reads.flatMap((p) => ['--permission', p]));
  wall = await s.newPage({ user: null, width: 1600, height: 900 });
  wall.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/api/') && !req.headers().authorization?.startsWith('Bearer ')) withoutToken.push(req.url());
  });
  await wall.goto(`/wall?every=5&as_of=${october}#token=${token}`);
  wallOpenedAt = Date.now();
  page = await s.newPage({ user: null });
  await signInAdmin(page, s.server.admin);
});
// The boundary file with an unknown code is refused on purpose.
after(() => s?.end(expected([422], '/boundaries')));

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();
const loaded = (p = page) => p.locator('[data-testid="page"]:not([aria-busy])').waitFor();

test("the draft report of October shows the overview's figures, downloads as PDF, and is issued", async () => {
  await page.goto(`/?as_of=${october}`);
  await page.getByTestId('ioc-figure').first().waitFor();
  const figures = await page.getByTestId('ioc-figure').evaluateAll((cards) =>
    cards.map((c) => ({
      label: c.querySelector('h3').textContent.trim(),
      value: c.querySelector('[data-testid="ioc-figure-value"]').textContent.trim().split('/')[0],
    })),
  );
  assert.ok(figures.length >= 12, `the overview's figures (${figures.length})`);

  await page.getByTestId('nav-reports').click();
  await page.waitForURL((url) => url.pathname === '/reports' && url.searchParams.get('as_of') === october);
  await loaded();
  assert.equal(await page.getByTestId('report-month').inputValue(), '2025-10', "the month of the app's date");
  const status = page.getByTestId('report-status');
  assert.equal(await status.getAttribute('data-issued'), 'false');
  assert.match(await text(status), /Bản nháp theo số liệu hiện tại/);

  const summary = page.getByTestId('report-table-summary');
  const heads = await summary.locator('thead th').allTextContents();
  const col = heads.indexOf('Đến 31/10/2025');
  assert.ok(col > 0, `a column of 31/10/2025 (${heads})`);
  const rows = await summary.locator('tbody tr').evaluateAll(
    (trs, i) => trs.map((tr) => ({ label: tr.cells[0].textContent.replace(/^–\s*/, '').trim(), value: tr.cells[i].textContent.trim() })),
    col,
  );
  let matched = 0;
  for (const f of figures) {
    const row = rows.find((r) => r.label === f.label || r.label.startsWith(`${f.label} (`));
    if (!row) continue;
    assert.equal(row.value, f.value, `${f.label}: the report as the overview`);
    matched += 1;
  }
  assert.ok(matched >= 12, `the figures found in the report (${matched} of ${figures.length})`);
  assert.ok(await page.getByTestId('report-table-summary-export-xlsx').isVisible(), 'the table downloads');

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-pdf').click()]);
  assert.match(pdf.suggestedFilename(), /\.pdf$/);
  const path = join(tmpdir(), `pdh-e2e-${process.pid}-${pdf.suggestedFilename()}`);
  await pdf.saveAs(path);
  assert.equal((await readFile(path)).subarray(0, 4).toString('latin1'), '%PDF');

  await page.getByTestId('report-issue').click();
  assert.match(await text(page.getByTestId('report-confirm')), /Phát hành báo cáo tháng 10\/2025\?/);
  await page.getByTestId('report-confirm-ok').click();
  await page.locator('[data-testid="report-status"][data-issued="true"]').waitFor();
  assert.match(await text(page.getByTestId('report-status')), new RegExp(`^Đã phát hành ngày .*\\d{2}/\\d{2}/\\d{4}.* bởi ${s.server.admin.name}\\.`));
  assert.equal(await page.getByTestId('report-issued-list').locator('li[data-month="2025-10"]').count(), 1);
  await screenshot(page, 'reports');
});

test('the indicator map draws one area per commune, labelled approximate; a bad boundary file is refused in words', async () => {
  const code = 'DVC_TRUC_TUYEN';
  const values = await s.server.api(`/values?indicator=${code}&children=true&as_of=${october}`);
  const communes = values.children.filter((c) => c.lat != null && c.lon != null);
  await page.goto(`/indicators/${code}?as_of=${october}`);
  const map = page.locator('[data-testid="chart-indicator-map"][data-areas]');
  await map.waitFor();
  assert.equal(Number(await map.getAttribute('data-areas')), communes.length, 'an area per commune');
  assert.equal(await map.getAttribute('data-approximate'), 'true');
  assert.match(await text(page.getByTestId('chart-indicator-map-source')), /^Ranh giới gần đúng, dựng từ tọa độ trung tâm xã/);
  await map.locator('svg path').nth(communes.length - 1).waitFor();
  // The formula in words beside its codes.
  await page.getByTestId('indicator-expression-named').waitFor();
  assert.match(await text(page.getByTestId('indicator-expression-named')), /^= \(Số hồ sơ/);

  await page.getByTestId('nav-units').click();
  await page.getByTestId('boundaries-panel').waitFor();
  const geojson = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { code: '99999' }, geometry: { type: 'Polygon', coordinates: [[[106, 11], [106.1, 11], [106.1, 11.1], [106, 11]]] } }],
  };
  await page.getByTestId('boundaries-file').setInputFiles({ name: 'ranh-gioi.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(geojson)) });
  await page.getByTestId('boundaries-upload').click();
  const message = page.getByTestId('boundaries-message');
  await message.getByRole('alert').waitFor();
  assert.match(await text(message), /^Không nạp: các vùng sau ghi mã không phải của đơn vị hành chính hiện hành nào: 99999\./);
});

test('the audit log says what was done in words, the action id on hover', async () => {
  await page.goto('/audit');
  await page.getByTestId('audit-table').waitFor();
  const issued = page.locator('[data-testid="audit-row"][data-action="reports.issue"]').getByTestId('audit-action');
  assert.equal(await text(issued), 'Phát hành báo cáo tháng');
  assert.equal(await issued.getAttribute('title'), 'reports.issue');
  const token = page.locator('[data-testid="audit-row"][data-action="tokens.create"]').first().getByTestId('audit-action');
  assert.equal(await text(token), 'Tạo mã truy cập');
});

test('the display reads with its token, turns its pages and stays signed in past the idle time', async () => {
  // Past the accounts' idle time since the display opened (the tests above usually take longer).
  const waited = Date.now() - wallOpenedAt;
  if (waited < (idleSeconds + 1) * 1000) await wall.waitForTimeout((idleSeconds + 1) * 1000 - waited);
  await wall.waitForFunction(() => Number(document.querySelector('[data-testid="wall"]')?.dataset.round) >= 2);
  const url = new URL(wall.url());
  assert.equal(url.pathname, '/wall', 'not on the sign-in page');
  assert.equal(url.hash, '', 'the token is not left in the address');
  assert.equal(await wall.getByTestId('session-time').isVisible(), false, 'no session timer');
  await wall.locator('[data-testid="live-status"][data-state="open"]').waitFor();

  // Back to the overview by the keyboard: its figures are there.
  for (let i = 0; i < 4 && (await wall.getByTestId('wall').getAttribute('data-screen')) !== 'overview'; i++) await wall.keyboard.press('ArrowRight');
  assert.equal(await wall.getByTestId('wall-screen-name').textContent(), 'Tổng quan');
  const value = wall.getByTestId('wall-stage').getByTestId('ioc-figure-value').first();
  await value.waitFor();
  assert.match(await text(value), /^\d/);
  assert.deepEqual(withoutToken, [], 'every request of the display carries its token');
  await screenshot(wall, 'wall');
});
