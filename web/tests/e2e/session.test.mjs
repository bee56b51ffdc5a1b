// Session expiry: with idle timeouts of 6 s, a signed-in officer who waits comes back to the
// login page with a notice, and returns to where they were after signing in again.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expected, screenshot, session, signIn } from './browser.mjs';

let s;
before(async () => {
  s = await session({ extraArgs: ['--session-idle', '6', '--admin-session-idle', '6'] });
});
// The expired session answers 401 on purpose.
after(() => s?.end(expected([401], '/auth/me')));

test('an idle session ends: the next navigation shows the login page with a notice', async () => {
  const officer = await s.server.addUser('canbo.hethan', 'officer', { unit: '25459' });
  const page = await s.newPage({ user: officer });
  await page.getByTestId('card-communes').waitFor();
  // The countdown, unless a slow machine took the whole idle time to show the page.
  assert.match(await page.getByTestId('session-time').textContent(), /^Phiên (còn \d giây|đã hết hạn)$/);

  // Nothing done: the timer runs out by itself.
  await page.getByTestId('session-time').filter({ hasText: 'Phiên đã hết hạn' }).waitFor({ timeout: 20_000 });
  // The page counts from its last request's answer, the server from the request: past both.
  await page.waitForTimeout(1500);
  await page.getByTestId('nav-units').click();
  await page.waitForURL(/\/login\?next=%2Funits&expired=1$/);
  assert.equal(await page.getByTestId('login-notice').textContent(), 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.');
  assert.equal(await page.getByTestId('user-menu').isVisible(), false);
  await screenshot(page, 'login-expired');

  await signIn(page, officer);
  await page.getByTestId('unit-table').waitFor();
  assert.equal(new URL(page.url()).pathname, '/units');
});
