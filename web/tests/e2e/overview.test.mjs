import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertChart, fmt, screenshot, session } from './browser.mjs';

let s;
let communes;
before(async () => {
  s = await session();
  const { items } = await s.server.api('/units/80/children');
  communes = items.filter((u) => u.level === 'commune');
});
after(() => s?.end());

test('the header names the product and the home province', async () => {
  const page = await s.newPage({ path: '/' });
  await assert.doesNotReject(page.getByTestId('province-name').getByText('Tây Ninh').waitFor());
  assert.equal(await page.getByTestId('product-name').textContent(), 'Trung tâm điều hành thông minh');
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.equal(await page.getByTestId('nav-overview').getAttribute('aria-current'), 'page');
});

test('the overview shows the communes and wards and the population total, Vietnamese style', async () => {
  const page = await s.newPage({ path: '/' });
  const card = page.getByTestId('card-communes');
  await card.waitFor();
  assert.equal(await page.getByTestId('card-communes-value').textContent(), '96');
  const text = await card.textContent();
  assert.match(text, /96 đơn vị hành chính cấp xã/);
  assert.match(text, /14 phường/);
  assert.match(text, /82 xã/);

  const total = communes.reduce((sum, u) => sum + (u.population ?? 0), 0);
  assert.ok(total > 1_000_000, 'the demo province has a population');
  const shown = await page.getByTestId('card-population-value').textContent();
  assert.equal(shown, fmt.vi(total));
  assert.match(shown, /^\d{1,3}(\.\d{3})+$/, 'thousands separated by dots');
  if (communes.some((u) => u.population_estimated)) {
    assert.match(await page.getByTestId('card-population').textContent(), /ước tính/);
  }
  const { province } = await s.server.api('/info');
  const area = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(province.area_km2);
  assert.equal(await page.getByTestId('card-area-value').textContent(), `${area} km²`);
  assert.match(area, /^[\d.]+,\d{2}$/);
  assert.ok(Number(await page.getByTestId('card-agencies-value').textContent()) > 0, 'agencies are counted');

  await assertChart(page, 'chart-top');
  await assertChart(page, 'chart-types');
  const bars = await page.getByTestId('chart-top').textContent();
  const top = [...communes].sort((a, b) => (b.population ?? 0) - (a.population ?? 0))[0];
  assert.ok(bars.includes(top.name), `the most populous unit (${top.name}) is in the chart`);
  await screenshot(page, 'overview-vi');
});

test('switching to English changes headings and number formatting, and persists on reload', async () => {
  const page = await s.newPage({ path: '/' });
  await page.getByTestId('card-communes').waitFor();
  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByTestId('product-name').textContent(), 'Intelligent Operations Centre');
  const total = communes.reduce((sum, u) => sum + (u.population ?? 0), 0);
  assert.equal(await page.getByTestId('card-population-value').textContent(), fmt.en(total));
  assert.match(await page.getByTestId('card-communes').textContent(), /14 wards and 82 communes/);
  assert.equal(await page.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByTestId('card-population-value').textContent(), fmt.en(total));
  assert.equal(await page.getByTestId('nav-units').textContent(), 'Administrative units');
  await assertChart(page, 'chart-top');
  await screenshot(page, 'overview-en');

  await page.getByTestId('lang-vi').click();
  await page.getByRole('heading', { level: 1, name: 'Tổng quan' }).waitFor();
  assert.equal(await page.getByTestId('card-population-value').textContent(), fmt.vi(total));
});

test('a narrow screen keeps the navigation and the cards usable', async () => {
  const page = await s.newPage({ width: 390, height: 844, path: '/' });
  await page.getByTestId('card-communes').waitFor();
  await assertChart(page, 'chart-top');
  // The navigation waits behind the menu button.
  assert.equal(await page.getByTestId('nav-units').isVisible(), false);
  await page.getByTestId('nav-toggle').click();
  assert.ok(await page.getByTestId('nav-units').isVisible());
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
  await screenshot(page, 'overview-mobile');
});
