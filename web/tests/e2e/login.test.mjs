// Signing in: the administrator's TOTP enrolment and later sign-ins with a code, the way back to
// the page that was asked for, and the messages for wrong passwords, lockout and disabled accounts.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { anyOf, enrolTotp, expected, screenshot, session, signIn, submitLogin, totp } from './browser.mjs';

let s;
before(async () => {
  s = await session();
});
// Opening pages signed out (401 from /auth/me) and the wrong passwords, codes, lockout and
// disabled account below are on purpose.
after(() =>
  s?.end(anyOf(expected([401], '/auth/me'), expected([422], '/auth/totp/confirm'), expected([401, 403, 423], '/auth/login'))),
);

const errorCode = (page) => page.getByTestId('login-error').getAttribute('data-code');

/** Submits the form once and waits for the server's answer. */
async function attempt(page, name, password) {
  await page.getByLabel('Tên đăng nhập').fill(name);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')), page.getByTestId('login-submit').click()]);
  await page.getByTestId('login-error').getByRole('alert').waitFor();
}

test('the administrator enrols TOTP right after the first sign-in, then signs in with a code', async () => {
  const admin = s.server.admin;
  const page = await s.newPage({ user: null });
  await page.goto('/');
  await page.waitForURL(/\/login$/);
  assert.equal(await page.getByTestId('nav-overview').count(), 0, 'no navigation before signing in');
  await screenshot(page, 'login-vi');

  await submitLogin(page, admin);
  await page.waitForURL(/\/account\/totp/);
  await page.getByTestId('totp-required').waitFor();
  const qr = page.getByTestId('totp-qr').locator('svg');
  await qr.locator('path').waitFor();
  const box = await qr.boundingBox();
  assert.ok(box && box.width > 150 && Math.abs(box.width - box.height) < 2, `a square QR code (${JSON.stringify(box)})`);
  assert.match(await page.getByTestId('totp-secret').textContent(), /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the secret in groups of four');
  assert.equal(await page.getByTestId('nav-overview').count(), 0, 'other pages are not offered until enrolled');
  await screenshot(page, 'totp-enrol');

  // Other pages lead back here until the enrolment is done.
  await page.goto('/admin/users');
  await page.waitForURL(/\/account\/totp\?next=%2Fadmin%2Fusers/);
  await page.getByTestId('totp-qr').locator('svg path').waitFor();

  await page.getByLabel('Mã xác thực (6 chữ số)').fill(String((Number(totp(await page.getByTestId('totp-secret').getAttribute('data-secret'))) + 1) % 1e6).padStart(6, '0'));
  await page.getByTestId('totp-confirm').click();
  await page.getByTestId('totp-message').getByRole('alert').waitFor();
  assert.match(await page.getByTestId('totp-message').textContent(), /không đúng/);

  await enrolTotp(page, admin);
  await page.waitForURL(/\/admin\/users$/);
  await page.getByTestId('user-table').waitFor();
  await page.getByTestId('nav-users').waitFor();

  await page.goto('/');
  await page.getByTestId('card-communes').waitFor();
  await page.getByTestId('user-name').click();
  await screenshot(page, 'user-menu');
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login\?signed_out=1$/);
  assert.match(await page.getByTestId('login-notice').textContent(), /đã đăng xuất/);

  // Now the password alone is not enough.
  await page.getByLabel('Tên đăng nhập').fill(admin.name);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(admin.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('totp-step').waitFor();
  await screenshot(page, 'login-totp');
  await page.getByLabel('Mã xác thực (6 chữ số)').fill('000000' === totp(admin.totp) ? '111111' : '000000');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').getByRole('alert').waitFor();
  assert.equal(await errorCode(page), 'auth.totp_invalid');

  await page.goto('/login');
  await signIn(page, admin);
  await page.getByTestId('card-communes').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
});

test('after signing in the user is back on the page they asked for', async () => {
  const page = await s.newPage({ user: null });
  await page.goto('/units/25459');
  await page.waitForURL(/\/login\?next=%2Funits%2F25459$/);
  assert.equal(await page.getByTestId('login-notice').count(), 0, 'no "session expired" for a first visit');
  await signIn(page, s.server.leader);
  await page.getByRole('heading', { level: 1, name: 'Phường Tân Ninh' }).waitFor();
  assert.equal(await page.getByTestId('user-name').textContent(), 'Nguyễn Văn An');
});

test('five wrong passwords lock the account: the sixth attempt is refused even when right', async () => {
  const officer = await s.server.addUser('canbo.tanninh', 'officer', { unit: '25459' });
  const page = await s.newPage({ user: null });
  await page.goto('/login');
  for (let i = 1; i <= 5; i++) {
    await attempt(page, officer.name, `sai-mat-khau-${i}`);
    const code = await errorCode(page);
    if (i < 5) assert.equal(code, 'auth.invalid_credentials', `attempt ${i}`);
    if (code === 'auth.invalid_credentials') {
      assert.equal(await page.getByTestId('login-error').textContent(), 'Tên đăng nhập hoặc mật khẩu không đúng.');
    }
  }
  await attempt(page, officer.name, officer.password);
  assert.equal(await errorCode(page), 'auth.locked');
  const text = await page.getByTestId('login-error').textContent();
  assert.match(text, /tạm thời bị khóa/);
  assert.match(text, /thử lại sau .*\d{2}:\d{2}/, `says until when: ${text}`);
  assert.match(text, /\d{2}\/\d{2}\/\d{4}/, `with the date: ${text}`);
  await screenshot(page, 'login-locked');
});

test('a disabled account is told to contact an administrator', async () => {
  const user = await s.server.addUser('canbo.nghiviec', 'officer', { unit: '25459' });
  await s.server.cli('users', 'disable', user.name);
  const page = await s.newPage({ user: null });
  await page.goto('/login');
  await attempt(page, user.name, user.password);
  assert.equal(await errorCode(page), 'auth.disabled');
  assert.match(await page.getByTestId('login-error').textContent(), /liên hệ quản trị viên/);
});

test('the login page speaks English too', async () => {
  const page = await s.newPage({ user: null });
  await page.goto('/login');
  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill('khong-co');
  await page.getByLabel('Password', { exact: true }).fill('sai');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').getByRole('alert').waitFor();
  assert.equal(await page.getByTestId('login-error').textContent(), 'Wrong user name or password.');
  await screenshot(page, 'login-en');
});
