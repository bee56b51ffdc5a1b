import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, session } from './browser.mjs';

let s;
before(async () => {
  s = await session();
});
// The unknown-unit test provokes one 404 on purpose.
after(() => s?.end((problem) => problem.includes('/api/v1/units/99999999')));

test('a new ward lists the former communes merged into it', async () => {
  const page = await s.newPage({ path: '/units/25459' });
  await page.getByRole('heading', { level: 1, name: 'Phường Tân Ninh' }).waitFor();
  const facts = await page.getByTestId('unit-facts').textContent();
  assert.match(facts, /25459/);
  assert.match(facts, /Tây Ninh/, 'the parent is linked');

  const { items } = await s.server.api('/units/25459/predecessors');
  const rows = page.getByTestId('predecessor-row');
  assert.equal(await rows.count(), items.length);
  const names = await rows.locator('th').allTextContents();
  assert.ok(names.includes('Phường 1'), names.join(', '));
  const kinds = await page.getByTestId('predecessors').textContent();
  assert.match(kinds, items.some((i) => i.kind === 'whole') ? /Toàn bộ/ : /Một phần/);
  await screenshot(page, 'unit-25459-vi');

  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 2, name: /before 1 July 2025/ }).waitFor();
  await screenshot(page, 'unit-25459-en');
});

test('the province page summarises its subordinate units', async () => {
  const page = await s.newPage({ path: '/units/80' });
  const summary = page.getByTestId('children-summary');
  await summary.waitFor();
  const text = await summary.textContent();
  assert.match(text, /14 phường/);
  assert.match(text, /82 xã/);
  await screenshot(page, 'unit-80-vi');
});

test('an unknown unit code shows the server\'s message', async () => {
  const page = await s.newPage({ path: '/units/99999999' });
  const banner = page.getByTestId('error-banner');
  await banner.waitFor();
  assert.ok((await banner.textContent()).length > 'Đã xảy ra lỗi'.length);
  assert.ok(await page.getByTestId('nav-overview').isVisible(), 'inside the shell');
  await screenshot(page, 'unit-unknown');
});

test('a former commune links to the ward it was merged into', async () => {
  const page = await s.newPage({ path: '/units/25459' });
  await page.getByTestId('predecessors').getByRole('link', { name: 'Phường 1', exact: true }).click();
  await page.waitForURL(/\/units\/25456\?on=2025-06-30$/);
  await page.getByRole('heading', { level: 1, name: 'Phường 1' }).waitFor();
  assert.match(await page.locator('.breadcrumb').textContent(), /Thành phố Tây Ninh/, 'its former district');
  const targets = page.getByTestId('targets');
  assert.match(await targets.textContent(), /Phường Tân Ninh/);
  await screenshot(page, 'unit-25456-former');
  await targets.getByRole('link', { name: 'Phường Tân Ninh' }).click();
  await page.getByTestId('predecessors').waitFor();
});

test('a department has its own page, also when loaded directly', async () => {
  const { items } = await s.server.api('/units/80/children?level=agency');
  const dost = items.find((u) => u.name.startsWith('Sở Khoa học và Công nghệ'));
  assert.ok(dost, 'the demo has the Department of Science and Technology');
  const page = await s.newPage({ path: '/units' });
  await page.locator(`[data-testid="unit-row"][data-code="${dost.code}"] a`).click();
  await page.getByRole('heading', { level: 1, name: dost.name }).waitFor();
  assert.match(await page.getByTestId('unit-facts').textContent(), /Sở/);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: dost.name }).waitFor();
  await screenshot(page, 'unit-agency');
});
