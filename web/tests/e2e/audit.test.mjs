// Roles decide what is shown: the auditor reads the audit log and verifies its chain; an officer
// sees no administration or audit pages and is refused when opening them directly.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, session } from './browser.mjs';

let s;
before(async () => {
  s = await session();
});
after(() => s?.end());

test('the auditor sees the audit log with the sign-ins, and the chain verifies', async () => {
  const auditor = await s.server.addUser('kiemtoan', 'auditor', { displayName: 'Lê Văn Cường' });
  const page = await s.newPage({ user: auditor });
  await page.getByTestId('nav-audit').waitFor();
  assert.equal(await page.getByTestId('nav-users').count(), 0, 'no administration for auditors');

  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-table').waitFor();
  const seqs = (await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.seq))));
  assert.ok(seqs.length > 0);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
  const logins = page.locator('[data-testid="audit-row"][data-action="login"]').filter({ hasText: auditor.name });
  assert.ok((await logins.count()) > 0, 'the auditor\'s own sign-in is logged');
  assert.equal(await logins.first().getByTestId('audit-action').textContent(), 'Đăng nhập', 'in words');
  assert.equal(await logins.first().getByTestId('audit-action').getAttribute('title'), 'login', 'the id on hover');

  await logins.first().getByTestId('audit-expand').click();
  await page.getByTestId('audit-detail').first().waitFor();

  await page.getByTestId('audit-verify').click();
  const result = page.getByTestId('verify-result');
  await result.getByRole('status').waitFor();
  assert.match(await result.textContent(), /^Chuỗi nhật ký toàn vẹn: \d+ mục, \d+ điểm kiểm tra\.$/);
  await screenshot(page, 'audit');

  await page.getByLabel('Người thực hiện').fill(auditor.name);
  await page.getByTestId('audit-filter').click();
  await page.waitForURL(/\/audit\?actor=kiemtoan$/);
  await page.getByTestId('audit-table').waitFor();
  const actors = await page.getByTestId('audit-row').locator('td:nth-child(3)').allTextContents();
  assert.ok(actors.length > 0 && actors.every((a) => a === auditor.name), actors.join(', '));
});

test('an officer does not see the administration pages and is refused at /admin/users', async () => {
  const officer = await s.server.addUser('canbo.xem', 'officer', { unit: '25459' });
  const page = await s.newPage({ user: officer });
  await page.getByTestId('nav-units').waitFor();
  for (const item of ['nav-users', 'nav-allTokens', 'nav-audit']) assert.equal(await page.getByTestId(item).count(), 0, item);
  assert.ok(await page.getByTestId('nav-tokens').isVisible(), 'everyone has their own tokens');

  await page.goto('/admin/users');
  await page.getByTestId('forbidden').waitFor();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Không có quyền truy cập/);
  await screenshot(page, 'forbidden');
  await page.goto('/audit');
  await page.getByTestId('forbidden').waitFor();
});
