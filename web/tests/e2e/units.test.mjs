import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertChart, fmt, screenshot, session } from './browser.mjs';

let s;
let children;
before(async () => {
  s = await session();
  ({ items: children } = await s.server.api('/units/80/children'));
});
after(() => s?.end());

const communeRows = (page) => page.locator('[data-testid="unit-row"][data-level="commune"]');

test('the unit tree lists the province, its 96 communes and wards, and its agencies', async () => {
  const page = await s.newPage({ path: '/units' });
  await page.getByTestId('unit-table').waitFor();
  assert.equal(await communeRows(page).count(), 96);
  assert.match(await page.getByTestId('unit-root').textContent(), /Tây Ninh/);
  const agencies = children.filter((u) => u.level === 'agency').length;
  assert.ok(agencies > 0);
  assert.equal(await page.locator('[data-testid="unit-row"][data-level="agency"]').count(), agencies);
  assert.equal(await page.locator('thead th[scope="col"]').count(), 6);
  assert.equal(await page.getByTestId('nav-units').getAttribute('aria-current'), 'page');

  const tanNinh = children.find((u) => u.code === '25459');
  const row = page.locator('[data-testid="unit-row"][data-code="25459"]');
  const text = await row.textContent();
  assert.ok(text.includes('Phường Tân Ninh'));
  if (tanNinh.population != null) assert.ok(text.includes(fmt.vi(tanNinh.population)));
  await assertChart(page, 'chart-units');
  await screenshot(page, 'units-vi');
});

test('searching without diacritics finds "Phường Tân Ninh"; the chart follows the filter', async () => {
  const page = await s.newPage({ path: '/units' });
  await page.getByLabel('Tìm theo tên hoặc mã').fill('tan ninh');
  await page.waitForURL(/\?q=tan\+ninh/);
  const names = await communeRows(page).locator('th').allTextContents();
  assert.ok(names.some((n) => n.startsWith('Phường Tân Ninh')), names.join(', '));
  assert.ok(names.length < 96);
  // The treemap redraws with the filtered units only (after its update animation).
  await page.waitForFunction(
    (count) => {
      const labels = [...document.querySelectorAll('[data-testid="chart-units"] svg text')].map((t) => t.textContent);
      return labels.includes('Tân Ninh') && labels.length <= count;
    },
    names.length,
  );
  await screenshot(page, 'units-search');

  // The filter lives in the URL: a reload keeps it.
  await page.reload();
  assert.equal(await page.getByLabel('Tìm theo tên hoặc mã').inputValue(), 'tan ninh');
  assert.equal(await communeRows(page).count(), names.length);
});

test('the type filter keeps only wards', async () => {
  const page = await s.newPage({ path: '/units' });
  await page.getByLabel('Loại đơn vị').selectOption('Phường');
  assert.equal(await communeRows(page).count(), 14);
  const types = await communeRows(page).locator('td:nth-child(2)').allTextContents();
  assert.deepEqual([...new Set(types)], ['Phường']);
  assert.match(await page.getByTestId('unit-count').textContent(), /Hiển thị 14 trên/);
});

test('columns sort, and a row opens its unit page', async () => {
  const page = await s.newPage({ path: '/units' });
  await page.getByTestId('sort-population').click();
  const th = page.locator('th[aria-sort]');
  assert.equal(await th.getAttribute('aria-sort'), 'descending');
  const first = await communeRows(page).first().getAttribute('data-code');
  const max = children
    .filter((u) => u.level === 'commune' && u.population != null)
    .sort((a, b) => b.population - a.population)[0];
  assert.equal(first, max.code);
  await page.getByTestId('sort-population').click();
  assert.equal(await th.getAttribute('aria-sort'), 'ascending');

  await communeRows(page).first().locator('td').first().click();
  await page.waitForURL(/\/units\/\w+$/);
  await page.getByTestId('unit-facts').waitFor();
});

test('on a narrow screen the table scrolls inside its card, not the page', async () => {
  const page = await s.newPage({ width: 390, height: 844, path: '/units' });
  await page.getByTestId('unit-table').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal page scrolling (${overflow}px)`);
  await screenshot(page, 'units-mobile');
});
