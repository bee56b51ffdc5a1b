// Session expiry: with idle timeouts of 3 s, a signed-in officer who waits comes back to the
// login page with a notice, and returns to where they were after signing in again.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expected, screenshot, session, signIn } from './browser.mjs';

let s;
before(async () => {
  s = await session({ extraArgs: ['--session-idle', '3', '--admin-session-idle', '3'] });
});
// The expired session answers 401 on purpose.
after(() => s?.end(expected([401], '/auth/me')));

test('an idle session ends: the next navigation shows the login page with a notice', async () => {
  const officer = await s.server.addUser('canbo.hethan', 'officer', { unit: '25459' });
  const page = await s.newPage({ user: officer });
  await page.getByTestId('card-communes').waitFor();
  assert.match(await page.getByTestId('session-time').textContent(), /^Phiên còn \d giây$/);

  await page.waitForTimeout(4000);
  assert.equal(await page.getByTestId('session-time').textContent(), 'Phiên đã hết hạn');
  await page.getByTestId('nav-units').click();
  await page.waitForURL(/\/login\?next=%2Funits&expired=1$/);
  assert.equal(await page.getByTestId('login-notice').textContent(), 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.');
  assert.equal(await page.getByTestId('user-menu').isVisible(), false);
  await screenshot(page, 'login-expired');

  await signIn(page, officer);
  await page.getByTestId('unit-table').waitFor();
  assert.equal(new URL(page.url()).pathname, '/units');
});
