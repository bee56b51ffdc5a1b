// Sharing and open data: the open data portal for anyone, without signing in (the list, a search
// without diacritics, a dataset's page with its preview and downloads, the English switch kept in
// the address, the way there from the login page); and the administrator's connected systems (a
// system registered, a grant added from the dataset's schema with a personal field masked, the
// grant on the dataset's page) and the exchange log filtered, with the server's CSV.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, session, signInAdmin } from './browser.mjs';

let s;
before(async () => {
  s = await session();
});
after(() => s?.end());

/** "Dân số theo xã" → "dan so theo xa": how a reader types without diacritics. */
const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();

/** GETs a public resource without any credentials. */
async function publicGet(path) {
  return fetch(new URL(path, s.server.url));
}

test('the open data portal works without signing in, in Vietnamese and in English', async () => {
  const { items } = await (await publicGet('/api/v1/open/datasets')).json();
  assert.ok(items.length > 0, 'the demo publishes open datasets');
  const target = items[0];

  const page = await s.newPage({ user: null });
  await page.goto('/login');
  await page.getByTestId('login-open-data').click();
  await page.waitForURL((url) => url.pathname === '/open');
  await page.getByRole('heading', { level: 1, name: 'Dữ liệu mở' }).waitFor();
  await page.locator('[data-testid="page"]:not([aria-busy])').waitFor();
  assert.equal(new URL(page.url()).pathname, '/open', 'no sign-in asked for');
  assert.ok(await page.getByTestId('session-time').isHidden(), 'no session timer');
  assert.equal(await page.getByTestId('open-item').count(), items.length);

  // A search without diacritics finds the dataset by a word of its title.
  const words = fold(target.title).split(/\s+/).filter((w) => w.length > 1);
  const query = words.slice(0, 2).join(' ');
  await page.getByTestId('open-search').fill(query);
  await page.waitForURL((url) => url.searchParams.get('q') === query);
  await page.locator(`[data-testid="open-item"][data-id="${target.id}"]`).waitFor();
  const shown = await page.getByTestId('open-item').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.ok(shown.every((id) => items.some((d) => d.id === id)), `${shown}`);
  await screenshot(page, 'open-list');

  // The dataset's page: its facts, the first rows, the downloads and the machine-readable records.
  await page.locator(`[data-testid="open-item"][data-id="${target.id}"]`).getByTestId('open-link').click();
  await page.waitForURL((url) => url.pathname === `/open/${target.id}`);
  await page.getByTestId('open-title').waitFor();
  assert.equal((await page.getByTestId('open-title').textContent()).trim(), target.title);
  assert.match(await page.getByTestId('open-modified').textContent(), /\d{2}\/\d{2}\/\d{4}$/, 'dd/mm/yyyy');
  assert.ok((await page.getByTestId('open-organization').textContent()).trim().length > 4);
  const { preview } = await (await publicGet(`/api/v1/open/datasets/${target.id}`)).json();
  assert.equal(await page.getByTestId('open-preview-row').count(), preview?.rows.length ?? 0, 'a preview of the first rows');
  assert.equal(await page.getByTestId('open-dcat').getAttribute('href'), `/dataset/${target.id}.ttl`);
  assert.equal(await page.getByTestId('open-ckan').getAttribute('href'), `/api/3/action/package_show?id=${target.id}`);
  const csvHref = await page.getByTestId('open-download-csv').getAttribute('href');
  const csv = await publicGet(csvHref);
  assert.equal(csv.status, 200, csvHref);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.ok((await csv.text()).includes(','), 'rows of CSV');
  for (const f of ['xlsx', 'json', 'datapackage']) assert.ok(await page.getByTestId(`open-download-${f}`).getAttribute('href'));
  await screenshot(page, 'open-dataset');

  // English: the address says so, and keeps saying so.
  await page.getByTestId('open-lang-en').click();
  await page.waitForURL((url) => url.searchParams.get('lang') === 'en');
  await page.getByRole('heading', { level: 2, name: 'About the dataset' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.getByTestId('open-title').textContent()).trim(), target.title_en || target.title);
  await page.getByTestId('open-home').click();
  await page.waitForURL((url) => url.pathname === '/open' && url.searchParams.get('lang') === 'en');
  await page.getByRole('heading', { level: 1, name: 'Open data' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Open data' }).waitFor();
  await page.getByTestId('open-lang-vi').click();
  await page.getByRole('heading', { level: 1, name: 'Dữ liệu mở' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('lang'), null);
  await page.context().close();
});

test('the administrator registers a system, grants it a dataset and reads the exchange log', async () => {
  const account = 'he.thong.mot.cua';
  await s.server.cli('users', 'add', account, '--system', '--role', 'system', '--unit', '25459', '--display-name', 'Hệ thống một cửa');
  const page = await s.newPage({ user: null });
  await signInAdmin(page, s.server.admin);

  await page.getByTestId('nav-shareClients').click();
  await page.getByTestId('client-table').waitFor();
  await page.getByTestId('client-create-panel').locator('summary').click();
  await page.getByTestId('client-code').fill('mot-cua-e2e');
  await page.getByTestId('client-name').fill('Hệ thống một cửa điện tử');
  await page.getByTestId('client-contact').fill('Lê Thị Hoa, hoa@tayninh.gov.vn');
  await page.getByTestId('client-account').fill(account);
  await page.getByTestId('client-create-panel').getByTestId('unit-picker-input').fill('tan ninh');
  await page.locator('[data-testid="unit-option"][data-code="25459"]').click();
  await page.getByTestId('client-create').click();
  await page.getByTestId('client-message').getByRole('status').waitFor();
  const row = page.locator('[data-testid="client-row"][data-code="mot-cua-e2e"]');
  await row.waitFor();
  assert.equal(await row.getByTestId('client-state').getAttribute('data-state'), 'active');

  // Suspended and back: the buttons follow the state.
  await row.getByTestId('client-suspended').click();
  await row.locator('[data-testid="client-state"][data-state="suspended"]').waitFor();
  await row.getByTestId('client-active').click();
  await row.locator('[data-testid="client-state"][data-state="active"]').waitFor();
  await screenshot(page, 'share-clients');

  // A grant: two fields, a personal one masked, one purpose, a legal basis, until a date.
  await row.getByTestId('client-link').click();
  await page.getByTestId('client-title').waitFor();
  await page.getByTestId('grant-create-panel').locator('summary').click();
  await page.getByTestId('grant-dataset').selectOption('dossiers');
  await page.getByTestId('grant-field-table').waitFor();
  const personal = page.locator('[data-testid="grant-field-row"][data-personal="true"]').first();
  const plain = page.locator('[data-testid="grant-field-row"][data-personal="false"]').first();
  const personalName = await personal.getAttribute('data-name');
  const plainName = await plain.getAttribute('data-name');
  await plain.getByTestId('grant-field').check();
  await personal.getByTestId('grant-field').check();
  await personal.getByTestId('grant-field-as').selectOption('last4');
  await page.getByTestId('grant-purpose').first().check();
  await page.getByTestId('grant-legal').fill('Nghị định 47/2020/NĐ-CP');
  await page.getByTestId('grant-expires').fill('2030-12-31');
  await screenshot(page, 'share-grant-form');
  await page.getByTestId('grant-create').click();
  await page.getByTestId('grant-message').getByRole('status').waitFor();
  const grant = page.locator('[data-testid="grant-row"][data-dataset="dossiers"]').last();
  await grant.waitFor();
  assert.match(await grant.textContent(), new RegExp(plainName));
  assert.equal(await grant.locator(`[data-mask="last4"]`).count(), 1, 'the personal field is masked');
  assert.match(await grant.textContent(), /31\/12\/2030/);
  assert.match(await grant.textContent(), new RegExp(personalName));

  // The dataset's page says whom it is shared with.
  await page.goto('/datasets/dossiers');
  const shared = page.locator('[data-testid="sharing-grant"][data-client="mot-cua-e2e"]');
  await shared.waitFor();
  assert.match(await shared.textContent(), /Hệ thống một cửa điện tử/);
  assert.ok(await page.getByTestId('sharing-exchanges').isVisible(), 'the way to who received the data');

  // The exchange log, filtered by a system and a dataset it has exchanges of.
  const { items } = await page.evaluate(() => fetch('/api/v1/share/exchanges?limit=1').then((r) => r.json()));
  assert.ok(items.length > 0, 'the demo has exchanges');
  const { client, dataset } = items[0];
  await page.getByTestId('nav-exchanges').click();
  await page.getByTestId('exchange-table').waitFor();
  await page.getByTestId('ex-client').fill(client);
  await page.getByTestId('ex-dataset').selectOption(dataset);
  await page.getByTestId('ex-filter').click();
  await page.waitForURL((url) => url.searchParams.get('client') === client && url.searchParams.get('dataset') === dataset);
  await page.locator('[data-testid="page"]:not([aria-busy])').waitFor();
  const rows = page.getByTestId('exchange-row');
  await rows.first().waitFor();
  const seen = await rows.evaluateAll((els) => els.map((e) => `${e.dataset.client}/${e.dataset.dataset}`));
  assert.ok(seen.every((x) => x === `${client}/${dataset}`), seen.join(', '));
  const csvHref = await page.getByTestId('ex-csv').getAttribute('href');
  const q = new URL(csvHref, s.server.url).searchParams;
  assert.equal(q.get('format'), 'csv');
  assert.equal(q.get('client'), client);
  assert.equal(q.get('dataset'), dataset);
  const csv = await page.evaluate((href) => fetch(href).then(async (r) => ({ status: r.status, type: r.headers.get('content-type') })), csvHref);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /text\/csv/);
  await screenshot(page, 'share-exchanges');
});
