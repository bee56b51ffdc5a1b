// The IOC pages on the index-set engine: the overview as of 31/10/2025 shows every figure of the
// October report (the API's values, Vietnamese style); the indicator explorer filters by sector
// and finds an indicator without diacritics; an indicator drills from the province to a commune
// and back; the freshness board shows 602/957; the public-services page shows the four rates and
// the feedback page its figures; the alerts are grouped by kind; and values change on screen
// without a reload when values are reported or a dossier batch is ingested.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertChart, fmt, screenshot, session } from './browser.mjs';

let s;
/** An API token of the demo's administrator, for the writes (a token needs no session or CSRF). */
let adminToken;
before(async () => {
  s = await session();
  adminToken = await s.server.cli('tokens', 'create', '--user', s.server.admin.name);
});
after(() => s?.end());

const october = '2025-10-31';
const enc = encodeURIComponent;

/** A number the way the app writes measured values: only the decimals it has, at most two. */
const num = {
  vi: (n) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(n),
  en: (n) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(n),
};
/** A value with its measure: 99,6 % (vi) or 99.6% (en) for percentages, 237.000 otherwise. */
const value = (n, measure, lang = 'vi') => (measure === '%' ? `${num[lang](n)}${lang === 'vi' ? ' %' : '%'}` : num[lang](n));
/** What a figure card shows as its value: "602/957" when it counts out of a total. */
const figureText = (f, lang = 'vi') => (f.total != null ? `${value(f.value, f.measure, lang)}/${num[lang](f.total)}` : value(f.value, f.measure, lang));
/** An ISO date the way the app writes it in Vietnamese (01/01/2025). */
const date = (iso) => new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

/** "Tỷ lệ hồ sơ" → "ty le ho so". */
const fold = (text) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const text = async (locator) => (await locator.textContent()).trim();

/** Sends a write to the API as the administrator; returns the parsed answer. */
async function adminSend(path, body, contentType) {
  const res = await fetch(`${s.server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': contentType, Accept: 'application/json' },
    body,
  });
  const answer = await res.text();
  assert.ok(res.ok, `POST ${path}: ${res.status} ${answer}`);
  return answer ? JSON.parse(answer) : null;
}

/** The indicator behind the overview's online-submission rate (the brief's DVC_ONLINE). */
async function onlineSubmission() {
  const { figures } = await s.server.api('/overview');
  const code = figures.find((f) => f.key === 'online_submission')?.indicator;
  assert.ok(code, 'the online-submission figure is an indicator');
  return code;
}

/** Waits until the shell says the live stream is open. */
const liveOpen = (page) => page.locator('[data-testid="live-status"][data-state="open"]').waitFor();

/** Waits until a live update has been fetched and shown (the page says it is busy meanwhile). */
const updated = (page) => page.locator('[data-testid="page"]:not([aria-busy])').waitFor({ timeout: 5000 });

/** Marks the page so that a full load (which would lose the mark) can be told apart from an update in place. */
async function markPage(page) {
  await page.evaluate(() => (window.__iocMark = 'still here'));
}
async function assertNotReloaded(page) {
  assert.equal(await page.evaluate(() => window.__iocMark), 'still here', 'the page was not reloaded');
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'one document load');
}

test('the overview as of 31/10/2025 shows every figure of the report, Vietnamese style', async () => {
  const api = await s.server.api(`/overview?as_of=${october}`);
  assert.equal(api.as_of, october);
  const byKey = new Map(api.figures.map((f) => [f.key, f]));
  const page = await s.newPage({ path: `/?as_of=${october}` });
  await page.getByTestId('ioc-figures').waitFor();
  assert.equal(await page.getByTestId('nav-overview').getAttribute('aria-current'), 'page');
  assert.equal(await page.getByTestId('asof-date').getAttribute('data-date'), october);
  assert.equal(await text(page.getByTestId('asof-date')), date(october));

  const card = (key) => page.locator(`[data-testid="ioc-figure"][data-key="${key}"]`);
  const shown = (key) => text(card(key).getByTestId('ioc-figure-value'));
  const part = (key, p) => text(card(key).locator(`[data-testid="ioc-figure-part"][data-key="${p}"] strong`));

  // Every figure of the API, in its order, grouped as the API groups them, with its value, parts and link.
  const groupOrder = [...new Set(api.figures.map((f) => f.group))];
  const groups = await page.getByTestId('ioc-group').evaluateAll((els) => els.map((e) => e.dataset.group));
  assert.deepEqual(groups, groupOrder);
  const keys = await page.getByTestId('ioc-figure').evaluateAll((els) => els.map((e) => e.dataset.key));
  assert.deepEqual(keys, groupOrder.flatMap((g) => api.figures.filter((f) => f.group === g).map((f) => f.key)));
  for (const f of api.figures) {
    assert.equal(await shown(f.key), figureText(f), `${f.key} as the API says`);
    for (const p of f.parts) assert.equal(await part(f.key, p.key), num.vi(p.value), `${f.key}: ${p.key}`);
    assert.equal(await card(f.key).locator('h3 a').getAttribute('href'), f.href, `${f.key} leads to its page`);
    assert.equal(await card(f.key).getAttribute('data-status'), f.status);
    if (f.target != null) assert.ok((await text(card(f.key).getByTestId('ioc-figure-target'))).includes(value(f.target, f.measure)), `${f.key}: its target`);
    if (f.trend.length > 0) {
      await card(f.key).locator('[data-testid="ioc-figure-trend"] svg path').first().waitFor();
    } else {
      assert.equal(await card(f.key).getByTestId('ioc-figure-trend').isVisible(), false, `${f.key} has no trend`);
    }
  }

  // The October 2025 report.
  assert.equal(await shown('nq57_tasks'), '166');
  assert.equal(await part('nq57_tasks', 'completed'), '90');
  assert.equal(await part('nq57_tasks', 'in_progress'), '76');
  assert.equal(await shown('ubnd_targets'), '53');
  assert.equal(await part('ubnd_targets', 'completed'), '32');
  assert.equal(await text(card('ubnd_targets').getByTestId('ioc-figure-percent')), '60,38 %');
  assert.equal(await shown('ubnd_tasks'), '235');
  assert.equal(await part('ubnd_tasks', 'completed'), '88');
  assert.equal(await text(card('ubnd_tasks').getByTestId('ioc-figure-percent')), '37,45 %');
  assert.equal(await shown('platforms'), '35');
  assert.equal(await shown('databases'), '112');
  for (const [p, n] of [['in_use', '69'], ['merged', '35'], ['not_merged', '34'], ['under_construction', '43']]) {
    assert.equal(await part('databases', p), n, `databases: ${p}`);
  }
  assert.equal(await shown('indicators_updated'), '602/957');
  assert.equal(await shown('national_databases'), '13/16');
  assert.equal(await shown('online_submission'), '99,6 %');
  assert.equal(await shown('online_payment'), '99,73 %');
  assert.equal(await shown('digitized'), '99,65 %');
  assert.equal(await shown('satisfaction'), '99 %');
  assert.equal(await shown('feedback_on_time'), value(byKey.get('feedback_on_time').value, '%'));
  assert.equal(await shown('app_installs'), '237.000');
  assert.equal(await shown('st_enterprises'), '26');
  assert.equal(await shown('startups'), '6');
  assert.equal(await shown('digital_enterprises'), '540');
  assert.equal(await part('digital_enterprises', 'employees'), '5.700');

  // The province's own figures stay below, and the live stream is open.
  await page.getByTestId('card-communes').waitFor();
  await assertChart(page, 'chart-top');
  await liveOpen(page);
  assert.equal(await text(page.getByTestId('live-status')), 'Trực tiếp');
  await screenshot(page, 'ioc-overview');

  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.equal(await shown('online_submission'), '99.6%');
  assert.equal(await shown('app_installs'), '237,000');
  assert.equal(await shown('indicators_updated'), '602/957');
  assert.equal(await text(page.getByTestId('live-status')), 'Live');
  assert.equal(await page.getByTestId('nav-freshness').textContent(), 'Data freshness');
  await screenshot(page, 'ioc-overview-en');
  await page.getByTestId('lang-vi').click();
  await page.getByRole('heading', { level: 1, name: 'Tổng quan' }).waitFor();
});

test('the navigation offers the IOC pages in Vietnamese', async () => {
  const page = await s.newPage({ path: '/' });
  await page.getByTestId('ioc-figures').waitFor();
  const labels = {
    'nav-overview': 'Tổng quan',
    'nav-indicators': 'Chỉ tiêu',
    'nav-freshness': 'Cập nhật dữ liệu',
    'nav-publicServices': 'Dịch vụ công',
    'nav-feedback': 'Phản ánh 1022',
    'nav-alerts': 'Cảnh báo',
  };
  for (const [testid, label] of Object.entries(labels)) assert.equal(await page.getByTestId(testid).textContent(), label, testid);
});

test('the indicator explorer filters by sector with counts and finds an indicator without diacritics', async () => {
  const list = await s.server.api('/indicators');
  const page = await s.newPage({ path: '/indicators' });
  await page.getByTestId('indicator-table').waitFor();
  assert.equal(await page.getByTestId('nav-indicators').getAttribute('aria-current'), 'page');
  assert.equal(await text(page.getByTestId('indicator-updated-count')), `${fmt.vi(list.updated)}/${fmt.vi(list.total)}`);
  const rows = page.getByTestId('indicator-row');
  const chip = (code) => page.locator(`[data-testid="indicator-sector"][data-sector="${code}"]`);
  assert.equal(await text(chip('').getByTestId('indicator-sector-count')), fmt.vi(list.items.length));
  assert.equal(await rows.count(), Math.min(100, list.items.length));

  // A sector: its chip counts its indicators, and the list shows only them.
  const sizes = list.sectors.map((sec) => ({ sec, n: list.items.filter((i) => i.sector === sec.code).length }));
  const { sec, n } = sizes.filter((x) => x.n > 0 && x.n < list.items.length).sort((a, b) => a.n - b.n)[0];
  assert.equal(await text(chip(sec.code).getByTestId('indicator-sector-count')), fmt.vi(n));
  await chip(sec.code).click();
  assert.equal(await chip(sec.code).getAttribute('aria-pressed'), 'true');
  assert.equal(new URL(page.url()).searchParams.get('sector'), sec.code);
  assert.equal(await rows.count(), Math.min(100, n));
  const sectors = await rows.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.dataset.sector))]);
  assert.deepEqual(sectors, [sec.code]);
  await screenshot(page, 'ioc-indicators-sector');

  // A search without diacritics finds an indicator by its Vietnamese name, as the server's q does.
  const code = await onlineSubmission();
  const wanted = list.items.find((i) => i.code === code);
  assert.ok(wanted, `the list has ${code}`);
  const q = fold(wanted.name);
  assert.notEqual(q, wanted.name.toLowerCase(), 'the name has diacritics');
  await page.getByTestId('indicator-reset').click();
  await page.getByTestId('indicator-search').fill(q);
  await page.waitForURL((url) => url.searchParams.get('q') === q);
  const row = page.locator(`[data-testid="indicator-row"][data-code="${code}"]`);
  await row.waitFor();
  const server = await s.server.api(`/indicators?q=${enc(q)}`);
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="indicator-row"]').length === count, Math.min(100, server.items.length));
  const codes = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.code));
  assert.deepEqual(codes.sort(), server.items.map((i) => i.code).slice(0, 100).sort(), 'the same indicators as the API finds');
  if (wanted.latest) assert.equal(await text(row.getByTestId('indicator-row-value')), value(wanted.latest.value, wanted.measure));
  assert.equal(await row.getAttribute('data-status'), wanted.status);
  assert.equal(await row.getAttribute('data-updated'), String(wanted.updated));

  // The filters live in the address.
  await page.reload();
  await row.waitFor();
  assert.equal(await page.getByTestId('indicator-search').inputValue(), q);
  await screenshot(page, 'ioc-indicators-search');

  await row.locator('a').click();
  await page.waitForURL((url) => url.pathname === `/indicators/${code}`);
  await page.getByTestId('indicator-value').waitFor();
});

test('an indicator drills down from the province to a commune and back', async () => {
  const code = await onlineSubmission();
  const detail = await s.server.api(`/indicators/${code}`);
  const province = await s.server.api(`/values?indicator=${code}&children=true&series=36`);
  assert.equal(province.unit.level, 'province');
  const page = await s.newPage({ path: `/indicators/${code}` });
  await page.getByTestId('indicator-value').waitFor();
  await page.getByRole('heading', { level: 1, name: detail.name }).waitFor();
  assert.equal(await text(page.getByTestId('indicator-value')), value(province.value, province.measure));
  assert.equal(await page.getByTestId('indicator-period').inputValue(), province.period);
  assert.equal(await text(page.getByTestId('indicator-expression')), detail.expression);
  await assertChart(page, 'chart-indicator-series');
  await assertChart(page, 'chart-indicator-children');
  await assertChart(page, 'chart-indicator-map');
  const mapPoints = await page.getByTestId('chart-indicator-map').locator('svg path').count();
  assert.ok(mapPoints >= province.children.filter((c) => c.lat != null && c.lon != null).length, `a point per commune (${mapPoints})`);
  assert.equal(await page.getByTestId('indicator-child-row').count(), province.children.length);
  await screenshot(page, 'ioc-indicator-province');

  // Down to a commune.
  const commune = province.children.find((c) => c.code === '25459') ?? province.children.find((c) => c.level === 'commune' && c.value != null);
  assert.ok(commune, 'a commune with a value');
  const row = page.locator(`[data-testid="indicator-child-row"][data-code="${commune.code}"]`);
  assert.equal(await text(row.getByTestId('indicator-child-value')), value(commune.value, province.measure));
  await row.locator('a').click();
  await page.waitForURL((url) => url.searchParams.get('unit') === commune.code);
  await page.getByRole('heading', { level: 2, name: new RegExp(commune.name) }).waitFor();
  const there = await s.server.api(`/values?indicator=${code}&unit=${commune.code}&period=${province.period}`);
  assert.equal(await text(page.getByTestId('indicator-value')), value(there.value, there.measure));
  const trail = page.getByTestId('ioc-breadcrumb');
  assert.match(await trail.textContent(), new RegExp(`${province.unit.name}.*${commune.name}`));
  await screenshot(page, 'ioc-indicator-commune');

  // An earlier period from the picker.
  const earlier = await page.getByTestId('indicator-period').locator('option').nth(1).getAttribute('value');
  await page.getByTestId('indicator-period').selectOption(earlier);
  await page.waitForURL((url) => url.searchParams.get('period') === earlier && url.searchParams.get('unit') === commune.code);
  const then = await s.server.api(`/values?indicator=${code}&unit=${commune.code}&period=${earlier}`);
  await page.waitForFunction((want) => document.querySelector('[data-testid="indicator-value"]')?.textContent === want, value(then.value, then.measure));

  // And back up to the province.
  await trail.getByRole('link', { name: province.unit.name }).click();
  await page.waitForURL((url) => url.searchParams.get('unit') === province.unit.code);
  await page.getByRole('heading', { level: 2, name: new RegExp(province.unit.name) }).waitFor();
  await page.getByTestId('indicator-child-row').first().waitFor();
  assert.equal(await page.getByTestId('indicator-child-row').count(), province.children.length);
});

test('the freshness board shows 602/957, the stale indicators and the units behind', async () => {
  const f = await s.server.api(`/freshness?as_of=${october}`);
  assert.equal(f.updated, 602);
  assert.equal(f.total, 957);
  const page = await s.newPage({ path: `/freshness?as_of=${october}` });
  await page.getByTestId('freshness-updated').waitFor();
  assert.equal(await page.getByTestId('nav-freshness').getAttribute('aria-current'), 'page');
  assert.equal(await text(page.getByTestId('freshness-updated-value')), '602/957');
  assert.equal(await text(page.getByTestId('freshness-stale-value')), fmt.vi(f.total - f.updated));
  await assertChart(page, 'chart-freshness-sectors');

  // The stale indicators, most stale first, with the date since when.
  const stale = f.items.filter((i) => !i.updated);
  const rows = page.getByTestId('freshness-stale-row');
  assert.equal(await rows.count(), Math.min(50, stale.length));
  if (stale.length > 0) {
    assert.equal(await rows.first().getAttribute('data-code'), stale[0].indicator);
    if (stale[0].stale_since) assert.equal(await text(rows.first().getByTestId('freshness-stale-since')), date(stale[0].stale_since));
    const periods = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.stalePeriods)));
    assert.deepEqual(periods, [...periods].sort((a, b) => b - a), 'most stale first');
  }

  // The reporting units; those stale since a date are marked and come first.
  const units = page.getByTestId('freshness-unit-row');
  assert.equal(await units.count(), f.units.length);
  const behind = f.units.filter((u) => u.stale_since);
  assert.equal(await page.locator('[data-testid="freshness-unit-row"][data-stale="true"]').count(), behind.length);
  assert.equal(await text(page.getByTestId('freshness-stale-units-value')), fmt.vi(behind.length));
  if (behind.length > 0) assert.equal(await units.first().getAttribute('data-stale'), 'true');
  await screenshot(page, 'ioc-freshness');

  // One sector.
  const sector = f.by_sector.find((x) => x.total > 0);
  await page.getByTestId('freshness-sector').selectOption(sector.sector);
  await page.waitForURL((url) => url.searchParams.get('sector') === sector.sector && url.searchParams.get('as_of') === october);
  const one = await s.server.api(`/freshness?as_of=${october}&sector=${enc(sector.sector)}`);
  await page.waitForFunction((want) => document.querySelector('[data-testid="freshness-updated-value"]')?.textContent === want, `${fmt.vi(one.updated)}/${fmt.vi(one.total)}`);
});

test('the public-services page shows the four rates and drills into a unit; the feedback page its figures', async () => {
  const pack = await s.server.api('/packs/public_services');
  const page = await s.newPage({ path: '/public-services' });
  await page.getByTestId('pack-figure').first().waitFor();
  assert.equal(await page.getByTestId('nav-publicServices').getAttribute('aria-current'), 'page');
  const figure = (code) => page.locator(`[data-testid="pack-figure"][data-indicator="${code}"]`);
  for (const f of pack.figures) assert.equal(await text(figure(f.indicator).getByTestId('pack-figure-value')), value(f.value, f.measure), f.indicator);
  const shown = await page.getByTestId('pack-figure-value').allTextContents();
  for (const rate of ['99,6 %', '99,73 %', '99,65 %', '99 %']) assert.ok(shown.includes(rate), `${rate} in ${shown.join(' | ')}`);
  assert.equal(await page.getByTestId('pack-unit-row').count(), pack.units.length);
  await screenshot(page, 'ioc-public-services');

  // A unit's own figures, then back.
  const unit = pack.units.find((u) => u.code === '25459') ?? pack.units[0];
  await page.locator(`[data-testid="pack-unit-row"][data-code="${unit.code}"] a`).click();
  await page.waitForURL((url) => url.searchParams.get('unit') === unit.code);
  const theirs = await s.server.api(`/packs/public_services?unit=${unit.code}&period=${pack.period}`);
  const first = theirs.figures[0];
  await page.waitForFunction(
    ([code, want]) => document.querySelector(`[data-testid="pack-figure"][data-indicator="${code}"] [data-testid="pack-figure-value"]`)?.textContent === want,
    [first.indicator, value(first.value, first.measure)],
  );
  assert.match(await page.getByTestId('ioc-breadcrumb').textContent(), new RegExp(unit.name));
  await page.getByTestId('ioc-breadcrumb').getByRole('link', { name: pack.unit.name }).click();
  await page.waitForURL((url) => url.searchParams.get('unit') === pack.unit.code);

  const feedback = await s.server.api('/packs/feedback_1022');
  await page.getByTestId('nav-feedback').click();
  await page.getByRole('heading', { level: 1, name: 'Phản ánh, kiến nghị 1022' }).waitFor();
  assert.equal(await page.getByTestId('pack-figure').count(), feedback.figures.length);
  for (const f of feedback.figures) assert.equal(await text(figure(f.indicator).getByTestId('pack-figure-value')), value(f.value, f.measure), f.indicator);
  await screenshot(page, 'ioc-feedback');
});

test('a DoST officer installs the public-services pack from its page; again it changes nothing', async () => {
  const dost = await s.server.addUser('canbo.goi', 'officer', { unit: '80.SKHCN', displayName: 'Trần Văn Bình' });
  const page = await s.newPage({ user: dost, path: '/public-services' });
  await page.getByTestId('pack-figure').first().waitFor();
  const figures = await page.getByTestId('pack-figure-value').allTextContents();
  await page.getByTestId('pack-install').click();
  // The demo's pack is the one a province installs: every object is already as the pack has it.
  const status = page.getByTestId('pack-install-status');
  await page.waitForFunction(() => /giữ nguyên/.test(document.querySelector('[data-testid="pack-install-status"]')?.textContent ?? ''));
  assert.equal(await text(status), 'Đã cài đặt bộ chỉ tiêu trên tập dữ liệu dossiers: 0 mục thêm mới, 0 mục cập nhật, 21 mục giữ nguyên; 14 mục tiêu.');
  await page.getByTestId('pack-figure').first().waitFor();
  assert.deepEqual(await page.getByTestId('pack-figure-value').allTextContents(), figures);
  // A leader reads the figures and has no button.
  const leader = await s.newPage({ path: '/public-services' });
  await leader.getByTestId('pack-figure').first().waitFor();
  assert.equal(await leader.getByTestId('pack-install').count(), 0);
});

test('the alerts are grouped by kind and lead to the indicator for the unit and period', async () => {
  const { items } = await s.server.api('/alerts');
  const page = await s.newPage({ path: '/alerts' });
  await page.getByTestId('alert-group').first().waitFor();
  for (const kind of ['red', 'off_track', 'over_100', 'stale', 'outlier']) {
    const n = items.filter((a) => a.kind === kind).length;
    assert.equal(await text(page.locator(`[data-testid="alert-count"][data-kind="${kind}"] strong`)), fmt.vi(n), kind);
    assert.equal(await page.locator(`[data-testid="alert-list"][data-kind="${kind}"] [data-testid="alert"]`).count(), Math.min(20, n), kind);
  }
  // An indicator's alert leads to it for the unit and period; a unit's stale data to the freshness board.
  for (const kind of ['red', 'off_track', 'over_100', 'stale', 'outlier']) {
    const a = items.find((x) => x.kind === kind);
    if (!a) continue;
    const link = page.locator(`[data-testid="alert-list"][data-kind="${kind}"] [data-testid="alert"]`).first().getByRole('link');
    const href = a.indicator ? `/indicators/${enc(a.indicator)}?unit=${enc(a.unit)}${a.period ? `&period=${enc(a.period)}` : ''}` : '/freshness';
    assert.equal(await link.getAttribute('href'), href, kind);
  }
  await screenshot(page, 'ioc-alerts');
});

test('a reported value changes on screen without a reload', async () => {
  const at = (unit) => `/values?indicator=APP_INSTALLS&unit=${unit}&period=2025-10`;
  assert.equal((await s.server.api(at('80'))).value, 237000);
  const page = await s.newPage({ path: '/indicators/APP_INSTALLS?unit=80&period=2025-10' });
  await page.getByTestId('indicator-value').waitFor();
  assert.equal(await text(page.getByTestId('indicator-value')), '237.000');
  const overview = await s.newPage({ path: '/' });
  await overview.getByTestId('ioc-figures').waitFor();
  assert.equal(await text(overview.locator('[data-key="app_installs"] [data-testid="ioc-figure-value"]')), '237.000');
  await liveOpen(page);
  await liveOpen(overview);
  await markPage(page);
  await markPage(overview);

  await adminSend('/values', JSON.stringify({ values: [{ element: 'APP_INSTALLS', unit: '80', period: '2025-10', value: 240000 }] }), 'application/json');
  await page.waitForFunction(() => document.querySelector('[data-testid="indicator-value"]')?.textContent === '240.000', null, { timeout: 5000 });
  await assertNotReloaded(page);
  assert.equal((await s.server.api(at('80'))).value, 240000);
  // The series and the children follow once the burst is over.
  await updated(page);
  await screenshot(page, 'ioc-indicator-live');

  // The overview, open at the same time, updates its card in place too.
  await overview.waitForFunction(
    () => document.querySelector('[data-key="app_installs"] [data-testid="ioc-figure-value"]')?.textContent === '240.000',
    null,
    { timeout: 5000 },
  );
  await overview.locator('[data-testid="ioc-figures"]:not([aria-busy])').waitFor({ timeout: 5000 });
  await assertNotReloaded(overview);
});

test('an ingested dossier batch changes the online-submission rate shown for its commune', async () => {
  const unit = '25459';
  const code = await onlineSubmission();
  const at = `/values?indicator=${code}&unit=${unit}&period=2025-10`;
  const before = await s.server.api(at);
  assert.notEqual(before.value, null, 'the commune has a rate for October');
  const page = await s.newPage({ path: `/indicators/${code}?unit=${unit}&period=2025-10` });
  await page.getByTestId('indicator-value').waitFor();
  const shownBefore = await text(page.getByTestId('indicator-value'));
  assert.equal(shownBefore, value(before.value, before.measure));
  await liveOpen(page);
  await markPage(page);

  // 200 dossiers handed in at the commune's one-stop desk in October: the online share drops.
  const header = 'dossier_id,receiving_unit,procedure_code,procedure_name,received_at,channel,fee,status';
  const rows = Array.from({ length: 200 }, (_, i) => `HS-IOC-${String(i).padStart(4, '0')},${unit},1.001234,Đăng ký khai sinh,2025-10-15T08:${String(i % 60).padStart(2, '0')}:00,direct,0,received`);
  const report = await adminSend('/datasets/dossiers/batches?format=csv', [header, ...rows].join('\r\n') + '\r\n', 'text/csv');
  assert.equal(report.status, 'committed', JSON.stringify(report));
  assert.equal(report.counts.imported, rows.length);

  await page.waitForFunction((old) => {
    const shown = document.querySelector('[data-testid="indicator-value"]')?.textContent;
    return shown && shown !== old;
  }, shownBefore, { timeout: 5000 });
  const after = await s.server.api(at);
  assert.ok(after.value < before.value, `the rate dropped (${before.value} → ${after.value})`);
  await page.waitForFunction((want) => document.querySelector('[data-testid="indicator-value"]')?.textContent === want, value(after.value, after.measure), { timeout: 5000 });
  await updated(page);
  assert.equal(await text(page.getByTestId('indicator-value')), value(after.value, after.measure));
  await assertNotReloaded(page);
  await screenshot(page, 'ioc-indicator-dossiers');
});
