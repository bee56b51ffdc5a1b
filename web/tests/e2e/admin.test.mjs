// Administration: API tokens (shown once, then only listed; revocable), all tokens, and the
// user list with creating an officer at a unit and disabling it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, session, signInAdmin } from './browser.mjs';

let s;
let admin;
before(async () => {
  s = await session();
  admin = await s.newPage({ user: null });
  await signInAdmin(admin, s.server.admin);
});
after(() => s?.end());

/** Chooses a unit in a unit picker by typing without diacritics. */
async function pickUnit(scope, query, code) {
  await scope.getByTestId('unit-picker-input').fill(query);
  await scope.locator(`[data-testid="unit-option"][data-code="${code}"]`).click();
  await scope.locator(`[data-testid="unit-chip"][data-code="${code}"]`).waitFor();
}

test('an administrator creates a token on /account/tokens and sees its secret once', async () => {
  const page = admin;
  await page.goto('/account/tokens');
  await page.getByRole('heading', { level: 1, name: 'Mã truy cập API của tôi' }).waitFor();
  await page.getByLabel('Tên gợi nhớ').fill('Đồng bộ dân số');
  await page.getByTestId('token-lifetime').selectOption('30');
  await page.getByLabel('units.read', { exact: true }).check();
  await pickUnit(page, 'tan ninh', '25459');
  await page.getByTestId('token-create').click();

  const secret = await page.getByTestId('token-secret').inputValue();
  assert.match(secret, /^pdh_[A-Za-z0-9_-]{43}$/);  // 32 random bytes, base64url
  assert.match(await page.getByTestId('token-secret-box').textContent(), /chỉ hiển thị một lần/);
  assert.ok(await page.getByTestId('token-copy').isVisible());
  const row = page.getByTestId('token-row').filter({ hasText: 'Đồng bộ dân số' });
  await row.waitFor();
  assert.match(await row.textContent(), /units\.read/);
  assert.match(await row.textContent(), /25459/);
  await screenshot(page, 'tokens-created');

  // The token works for the API, within its scope.
  const res = await fetch(`${s.server.url}/api/v1/units/25459`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(res.status, 200);

  // Shown once: after a reload only the listing (with the prefix) remains.
  await page.reload();
  await row.waitFor();
  assert.equal(await page.getByTestId('token-secret').count(), 0);
  assert.ok(!(await page.locator('body').textContent()).includes(secret));

  await row.getByTestId('token-revoke').click();
  await row.getByText('Đã thu hồi').waitFor();
});

test('all tokens: the administrator sees every account\'s tokens', async () => {
  const page = admin;
  await page.getByTestId('nav-allTokens').click();
  await page.getByRole('heading', { level: 1, name: 'Mọi mã truy cập' }).waitFor();
  const accounts = await page.getByTestId('token-row').locator('td:nth-child(2)').allTextContents();
  assert.ok(accounts.includes(s.server.leader.name), `the leader's token is listed: ${accounts}`);
  assert.ok(accounts.includes(s.server.admin.name));
  await screenshot(page, 'admin-tokens');
});

test('the administrator creates an officer at a unit, then disables the account', async () => {
  const page = admin;
  await page.getByTestId('nav-users').click();
  await page.getByTestId('user-table').waitFor();
  await page.getByTestId('user-create-panel').locator('summary').click();
  await page.getByLabel('Tên đăng nhập').fill('canbo.moi');
  await page.getByLabel('Họ và tên').fill('Trần Thị Bình');
  await page.getByLabel('Mật khẩu ban đầu').fill('mat-khau-ban-dau-2025');
  await page.getByTestId('grant-role').selectOption('officer');
  await pickUnit(page.getByTestId('user-create-panel'), 'tan ninh', '25459');
  await screenshot(page, 'admin-user-create');
  await page.getByTestId('user-create').click();
  await page.getByTestId('user-create-message').getByText('Đã tạo tài khoản canbo.moi.').waitFor();

  const row = page.locator('[data-testid="user-row"][data-name="canbo.moi"]');
  await row.waitFor();
  assert.match(await row.textContent(), /Cán bộ · Phường Tân Ninh/);
  assert.equal(await row.getByTestId('user-status').textContent(), 'Đang hoạt động');
  const adminRow = page.locator(`[data-testid="user-row"][data-name="${s.server.admin.name}"]`);
  assert.match(await adminRow.textContent(), /Đã bật/, 'the administrator has TOTP');

  await row.getByTestId('user-disable').click();
  await row.getByTestId('user-status').getByText('Đã vô hiệu hóa').waitFor();
  await screenshot(page, 'admin-users');
  await row.getByTestId('user-enable').click();
  await row.getByTestId('user-status').getByText('Đang hoạt động').waitFor();
});

test('changing one\'s password checks the repetition, then the server\'s policy', async () => {
  const page = admin;
  await page.getByTestId('user-name').click();
  await page.getByTestId('menu-password').click();
  await page.getByRole('heading', { level: 1, name: 'Đổi mật khẩu' }).waitFor();
  const fill = async (current, next, repeat) => {
    await page.getByLabel('Mật khẩu hiện tại').fill(current);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(next);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(repeat);
    await page.getByTestId('password-submit').click();
  };
  await fill(s.server.admin.password, 'mot-mat-khau-moi', 'mot-mat-khau-khac');
  await page.getByTestId('password-message').getByText('Hai lần nhập mật khẩu mới không khớp.').waitFor();

  const next = 'Mat-khau-moi-cua-quan-tri-2025';
  await fill(s.server.admin.password, next, next);
  await page.getByTestId('password-message').getByText('Đã đổi mật khẩu.').waitFor();
  s.server.admin.password = next;
  await screenshot(page, 'account-password');
});
