import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, session } from './browser.mjs';

let s;
before(async () => {
  s = await session();
});
after(() => s?.end());

test('an unknown route shows a not-found page inside the shell', async () => {
  const page = await s.newPage();
  const res = await page.goto('/khong-ton-tai');
  assert.equal(res.status(), 200, 'the server falls back to the app');
  await page.getByTestId('not-found').waitFor();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Không tìm thấy trang/);
  assert.match(await page.getByTestId('not-found').textContent(), /\/khong-ton-tai/);
  assert.ok(await page.getByTestId('nav-overview').isVisible());
  await screenshot(page, 'not-found-vi');

  await page.getByRole('link', { name: 'Về trang tổng quan' }).click();
  await page.getByTestId('card-communes').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
});

test('navigation stays in the page and the back button works', async () => {
  const page = await s.newPage({ path: '/' });
  await page.getByTestId('card-communes').waitFor();
  await page.evaluate(() => (window.__marker = 1));
  await page.getByTestId('nav-units').click();
  await page.getByTestId('unit-table').waitFor();
  await page.locator('[data-testid="unit-row"][data-code="25459"] a').click();
  await page.getByTestId('unit-facts').waitFor();
  await page.goBack();
  await page.getByTestId('unit-table').waitFor();
  await page.goBack();
  await page.getByTestId('card-communes').waitFor();
  assert.equal(await page.evaluate(() => window.__marker), 1, 'no full page load');
  assert.equal(await page.title(), 'Tổng quan · Trung tâm điều hành thông minh');
});
