// The catalog (M2): the report's figures as of a date, the list with its diacritic-free search
// and filters, an entry's page with its history, and writing — a DoST officer creates an entry
// through the form (a missing required field first, then a server-side problem, then success),
// edits it, and imports a CSV (dry run with row errors, then for real); a leader only reads.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { anyOf, assertChart, chooseAsOf, expected, fmt, screenshot, session } from './browser.mjs';

let s;
let dost;
before(async () => {
  s = await session();
  // The Department of Science and Technology keeps the catalog: its officers edit every entry.
  dost = await s.server.addUser('canbo.skhcn', 'officer', { unit: '80.SKHCN', displayName: 'Phạm Thị Thu' });
});
// Provoked on purpose: a 422 from the form test (a link to an entry that does not exist) and a
// 404 for an unknown code.
after(() => s?.end(anyOf(expected([422], '/catalog/entries'), expected([404], '/catalog/entries/KHONG-CO'))));

const rows = (page) => page.getByTestId('catalog-row');

/** Waits until the list has loaded the results for the current filters. */
async function listSettled(page) {
  await page.locator('[data-testid="catalog-table-wrap"]:not([aria-busy])').waitFor();
}

test('the summary shows the October 2025 report figures, and fewer at the end of 2024', async () => {
  const page = await s.newPage({ path: '/catalog/summary?as_of=2025-10-31' });
  await page.getByRole('heading', { level: 1, name: 'Số liệu danh mục' }).waitFor();
  const figure = async (id) => (await page.getByTestId(id).textContent()).trim();
  assert.equal(await figure('summary-platforms'), '35');
  assert.equal(await figure('summary-databases'), '112');
  assert.equal(await figure('summary-in-use'), '69');
  assert.equal(await figure('summary-merged'), '35');
  assert.equal(await figure('summary-not-merged'), '34');
  assert.equal(await figure('summary-under-construction'), '43');
  assert.equal(await figure('summary-national-connected'), '13');
  assert.equal(await figure('summary-national'), '16');
  assert.match(await page.getByTestId('catalog-card-databases').textContent(), /Đang sử dụng 69: đã hợp nhất 35, chưa hợp nhất 34/);
  assert.equal(await page.getByTestId('nav-catalog').getAttribute('aria-current'), 'page');
  for (const chart of ['chart-catalog-progress', 'chart-catalog-status', 'chart-catalog-sectors', 'chart-catalog-owners']) await assertChart(page, chart);
  assert.ok((await page.getByTestId('chart-catalog-sectors').textContent()).includes('Y tế'), 'sectors are named in the chart');
  const sectorRows = await page.getByTestId('catalog-sector-row').count();
  const oct = await s.server.api('/catalog/summary?as_of=2025-10-31');
  assert.equal(sectorRows, oct.by_sector.length);
  await screenshot(page, 'catalog-summary-2025-10-31');

  // Another date, chosen in the header, reloads the figures (and keeps the date in the address).
  await chooseAsOf(page, '2024-12-31');
  await page.waitForURL(/\/catalog\/summary\?as_of=2024-12-31$/);
  await page.getByTestId('catalog-summary-date').getByText('31/12/2024').waitFor();
  const dec = await s.server.api('/catalog/summary?as_of=2024-12-31');
  assert.ok(dec.total.databases_in_use < 69, 'fewer databases were in use at the end of 2024');
  assert.equal(await figure('summary-in-use'), fmt.vi(dec.total.databases_in_use));
  assert.equal(await figure('summary-databases'), fmt.vi(dec.total.databases));
  assert.equal(await figure('summary-merged'), fmt.vi(dec.total.databases_merged));
  assert.equal(await figure('summary-national-connected'), fmt.vi(dec.total.national_connected));
  assert.ok(dec.total.databases_merged < 35 && dec.total.national_connected <= 13);
  await screenshot(page, 'catalog-summary-2024-12-31');

  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 1, name: 'Catalog figures' }).waitFor();
  assert.match(await page.getByTestId('catalog-summary-date').textContent(), /31 December 2024/);
  assert.equal(await figure('summary-in-use'), fmt.en(dec.total.databases_in_use));
  await screenshot(page, 'catalog-summary-en');
  await page.getByTestId('lang-vi').click();
  await page.getByRole('heading', { level: 1, name: 'Số liệu danh mục' }).waitFor();
});

test('searching "co so du lieu" without diacritics finds the entries named "Cơ sở dữ liệu …"; more pages load', async () => {
  const page = await s.newPage();
  await page.getByTestId('nav-catalog').click();
  await page.getByRole('heading', { level: 1, name: 'Danh mục nền tảng và cơ sở dữ liệu' }).waitFor();
  await page.getByLabel('Tìm theo tên, mã, lĩnh vực, nhãn').fill('co so du lieu');
  await page.waitForURL(/\/catalog\?q=co\+so\+du\+lieu$/);
  await listSettled(page);

  const expectedPage = await s.server.api('/catalog/entries?q=co%20so%20du%20lieu&limit=50');
  const codes = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.code));
  assert.deepEqual(codes, expectedPage.items.map((r) => r.code));
  const names = await rows(page).locator('th').allTextContents();
  assert.ok(names.length > 0);
  assert.ok(names.some((n) => n.includes('Cơ sở dữ liệu')), names.join(', '));
  assert.ok(names.filter((n) => n.includes('Cơ sở dữ liệu')).length >= names.length / 2, 'mostly databases by name');
  await screenshot(page, 'catalog-search');

  // More results than one page: the next page comes from the server's cursor.
  assert.ok(expectedPage.next, 'more than 50 matches');
  await page.getByTestId('catalog-more').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog-row"]').length > 50);
  const all = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.code));
  assert.equal(new Set(all).size, all.length, 'no entry twice');

  // The search lives in the address: a reload keeps it.
  await page.reload();
  assert.equal(await page.getByLabel('Tìm theo tên, mã, lĩnh vực, nhãn').inputValue(), 'co so du lieu');
  await listSettled(page);
  assert.equal(await rows(page).count(), expectedPage.items.length);
});

test('filters narrow the list: national databases, then the connected ones, then one sector', async () => {
  const page = await s.newPage({ path: '/catalog' });
  await listSettled(page);
  await page.getByLabel('Loại', { exact: true }).selectOption('national');
  await page.waitForURL(/kind=national/);
  await listSettled(page);
  assert.equal(await rows(page).count(), 16);
  assert.deepEqual(await rows(page).evaluateAll((trs) => [...new Set(trs.map((tr) => tr.dataset.kind))]), ['national']);
  // National databases are connected or not: the status filter offers those two.
  const statuses = await page.locator('#catalog-status option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(statuses, ['', 'not_connected', 'connected']);
  await page.getByLabel('Trạng thái', { exact: true }).selectOption('connected');
  await page.waitForURL(/status=connected/);
  await listSettled(page);
  // The list shows the entries as they stand now (the demo goes on after October 2025).
  const connected = (await s.server.api('/catalog/entries?kind=national&status=connected')).items.length;
  assert.ok(connected >= 13 && connected < 16);
  assert.equal(await rows(page).count(), connected);
  assert.deepEqual(await rows(page).evaluateAll((trs) => [...new Set(trs.map((tr) => tr.dataset.status))]), ['connected']);
  assert.match(await page.getByTestId('catalog-count').textContent(), new RegExp(`Hiển thị ${connected} mục`));

  const { sectors } = await s.server.api('/catalog/facets');
  assert.ok(sectors.includes('Y tế'));
  await page.getByTestId('catalog-reset').click();
  await page.getByLabel('Lĩnh vực', { exact: true }).selectOption('Y tế');
  await listSettled(page);
  const health = await s.server.api(`/catalog/entries?sector=${encodeURIComponent('Y tế')}&limit=50`);
  assert.equal(await rows(page).count(), health.items.length);
  assert.deepEqual([...new Set(await rows(page).locator('td:nth-child(3)').allTextContents())], ['Y tế']);
  await screenshot(page, 'catalog-filtered');

  // A row opens its entry.
  await rows(page).first().locator('th a').click();
  await page.waitForURL(/\/catalog\/[^/]+$/);
  await page.getByTestId('catalog-history').waitFor();
});

test('an entry shows its fields, links and history', async () => {
  const { items } = await s.server.api('/catalog/entries?kind=database&status=in_use&limit=50');
  // An entry that went through several versions, running on a platform.
  let record;
  for (const item of items) {
    const r = await s.server.api(`/catalog/entries/${encodeURIComponent(item.code)}`);
    if (r.history.length >= 3 && r.links.some((l) => l.kind === 'runs_on')) {
      record = r;
      break;
    }
  }
  assert.ok(record, 'the demo has databases with a history');
  const page = await s.newPage({ path: `/catalog/${encodeURIComponent(record.code)}` });
  await page.getByRole('heading', { level: 1, name: record.name }).waitFor();
  const facts = await page.getByTestId('catalog-facts').textContent();
  assert.ok(facts.includes(record.code));
  assert.ok(facts.includes(record.sector));
  assert.match(facts, /Đang sử dụng/);
  assert.match(facts, record.consolidation === 'merged' ? /Đã hợp nhất/ : /Chưa hợp nhất/);
  assert.ok(facts.includes(fmt.vi(record.record_count)), 'the record count, Vietnamese style');

  const versions = page.getByTestId('catalog-version');
  assert.equal(await versions.count(), record.history.length);
  // Newest first; each version names who recorded it and what changed.
  assert.equal(await versions.first().getAttribute('data-version'), String(record.history.length));
  const newest = record.history.at(-1);
  const text = await versions.first().textContent();
  assert.ok(text.includes(`Phiên bản ${newest.version}`));
  assert.ok(text.includes(newest.actor));
  const changed = newest.changes[0];
  assert.ok(changed, 'the newest version changed something');
  assert.equal(await versions.first().locator(`tr[data-field="${changed.field}"]`).count(), 1);
  assert.equal(await page.getByTestId('catalog-edit').count(), 0, 'a leader does not edit');
  await screenshot(page, 'catalog-entry');

  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 2, name: 'History' }).waitFor();
  assert.ok((await versions.first().textContent()).includes(`Version ${newest.version}`));
  assert.match(await page.getByTestId('catalog-facts').textContent(), /In use/);
  await screenshot(page, 'catalog-entry-en');
  await page.getByTestId('lang-vi').click();
  await page.getByRole('heading', { level: 2, name: 'Lịch sử thay đổi' }).waitFor();

  // The platform it runs on lists it among the databases linking there.
  const platform = record.links.find((l) => l.kind === 'runs_on').target;
  await page.getByTestId('catalog-runs-on').getByRole('link', { name: platform }).click();
  await page.waitForURL(new RegExp(`/catalog/${platform}$`));
  await page.getByTestId('catalog-linked-from').locator(`a[data-code="${record.code}"]`).waitFor();
});

test('a leader reads but sees no way to write', async () => {
  const page = await s.newPage({ path: '/catalog' });
  await listSettled(page);
  assert.equal(await page.getByTestId('catalog-new').count(), 0);
  assert.equal(await page.getByTestId('catalog-import-panel').count(), 0);
  assert.equal(await page.getByTestId('catalog-export-csv').getAttribute('href'), '/api/v1/catalog/export?format=csv');
  await page.goto('/catalog/QG-01');
  await page.getByTestId('catalog-history').waitFor();
  assert.equal(await page.getByTestId('catalog-edit').count(), 0);
  await page.goto('/catalog/new');
  await page.getByTestId('forbidden').waitFor();

  // An unknown code: the server's message, and the way back to the catalog.
  await page.goto('/catalog/KHONG-CO');
  await page.getByTestId('error-banner').waitFor();
  await page.getByTestId('error-state').getByRole('link', { name: 'Quay lại danh mục' }).click();
  await page.waitForURL(/\/catalog$/);
  await listSettled(page);
});

test('a DoST officer adds an entry: a missing legal basis, then a bad link, then success; then edits it', async () => {
  const page = await s.newPage({ user: dost, path: '/catalog' });
  await listSettled(page);
  await page.getByTestId('catalog-new').click();
  await page.getByRole('heading', { level: 1, name: 'Thêm mục mới vào danh mục' }).waitFor();

  await page.getByLabel('Loại').selectOption('database');
  await page.locator('#catalog-f-code').fill('CSDL-SKHCN-99');
  await page.locator('#catalog-f-name').fill('Cơ sở dữ liệu thử nghiệm chuyển đổi số');
  await page.locator('#catalog-f-sector').fill('Khoa học và Công nghệ');
  await page.locator('#catalog-f-owner').selectOption('80.SKHCN');
  await page.locator('#catalog-f-status').selectOption('under_construction');
  // Under construction needs a legal basis: the field says so.
  assert.equal(await page.locator('#catalog-f-legal_basis').getAttribute('aria-required'), 'true');
  await page.locator('#catalog-f-runs_on').fill('NT-99');
  await page.locator('#catalog-f-tags').fill('chuyển đổi số\nthử nghiệm');
  await page.getByTestId('catalog-save').click();

  const legalError = page.getByTestId('error-legal_basis');
  await legalError.waitFor();
  assert.match(await legalError.textContent(), /Bắt buộc với trạng thái “Đang xây dựng”/);
  assert.match(await page.getByTestId('catalog-form-errors').textContent(), /Căn cứ pháp lý/);
  assert.equal(await page.locator('#catalog-f-legal_basis').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'catalog-form-missing');

  // The server knows the catalog: a link to a platform that does not exist comes back as 422.
  await page.locator('#catalog-f-legal_basis').fill('Quyết định số 1234/QĐ-UBND ngày 15/11/2026 của UBND tỉnh');
  await page.getByTestId('catalog-save').click();
  const linkError = page.getByTestId('error-links');
  await linkError.waitFor();
  assert.match(await linkError.textContent(), /NT-99/);
  assert.ok(await legalError.isHidden(), 'the fixed field is no longer flagged');
  assert.match(await page.getByTestId('catalog-form-errors').textContent(), /Liên kết/);
  await screenshot(page, 'catalog-form-server-error');

  await page.locator('#catalog-f-runs_on').fill('NT-35');
  await page.getByTestId('catalog-save').click();
  await page.waitForURL(/\/catalog\/CSDL-SKHCN-99$/);
  await page.getByRole('heading', { level: 1, name: 'Cơ sở dữ liệu thử nghiệm chuyển đổi số' }).waitFor();
  assert.match(await page.getByTestId('catalog-entry-badges').textContent(), /Đang xây dựng/);
  assert.equal(await page.getByTestId('catalog-version').count(), 1);
  assert.match(await page.getByTestId('catalog-version').textContent(), /canbo\.skhcn/);
  await page.getByTestId('catalog-runs-on').getByRole('link', { name: 'NT-35' }).waitFor();

  // The edit form starts from the entry; going forward to "in use" asks for more.
  await page.getByTestId('catalog-edit').click();
  await page.getByRole('heading', { level: 1, name: /^Sửa: / }).waitFor();
  assert.equal(await page.locator('#catalog-f-code').inputValue(), 'CSDL-SKHCN-99');
  assert.equal(await page.locator('#catalog-f-tags').inputValue(), 'chuyển đổi số\nthử nghiệm');
  await page.locator('#catalog-f-status').selectOption('in_use');
  await page.getByTestId('catalog-save').click();
  await page.getByTestId('error-hosting').waitFor();
  for (const f of ['consolidation', 'record_count', 'last_data_update', 'contact']) assert.ok(await page.getByTestId(`error-${f}`).isVisible(), f);

  await page.locator('#catalog-f-consolidation').selectOption('merged');
  await page.locator('#catalog-f-hosting').fill('Trung tâm dữ liệu tỉnh');
  await page.locator('#catalog-f-record_count').fill('12500');
  await page.locator('#catalog-f-last_data_update').fill('2026-11-20');
  await page.locator('#catalog-f-contact').fill('Phòng Chuyển đổi số — cds.skhcn@tayninh.gov.vn');
  await page.locator('#catalog-f-reason').fill('Nghiệm thu, đưa vào sử dụng');
  await page.getByTestId('catalog-save').click();
  await page.waitForURL(/\/catalog\/CSDL-SKHCN-99$/);
  await page.getByTestId('catalog-history').waitFor();
  assert.equal(await page.getByTestId('catalog-version').count(), 2);
  const newest = page.getByTestId('catalog-version').first();
  assert.match(await newest.getByTestId('catalog-version-reason').textContent(), /Nghiệm thu, đưa vào sử dụng/);
  assert.match(await newest.locator('tr[data-field="status"]').textContent(), /Đang xây dựng.*Đang sử dụng/);
  assert.match(await page.getByTestId('catalog-facts').textContent(), /12\.500/);
  await screenshot(page, 'catalog-entry-edited');
});

test('a DoST officer imports a CSV (row errors first, then written) and dry-runs the Excel export', async () => {
  const page = await s.newPage({ user: dost, path: '/catalog' });
  await listSettled(page);
  const panel = page.getByTestId('catalog-import-panel');
  await panel.locator('summary').click();
  const header = 'code,kind,name,sector,owner,status,legal_basis';
  const bad = [
    header,
    'CSDL-SKHCN-50,database,Cơ sở dữ liệu nhập thử một,Khoa học và Công nghệ,80.SKHCN,under_construction,',
    'CSDL-SKHCN-51,database,Cơ sở dữ liệu nhập thử hai,Khoa học và Công nghệ,80.SKHCN,planned,',
  ].join('\r\n');
  const upload = (text) => page.getByTestId('catalog-import-file').setInputFiles({ name: 'danh-muc.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await upload(bad);
  assert.ok(await page.getByTestId('catalog-import-dry').isChecked(), 'a dry run by default');
  await page.getByTestId('catalog-import-submit').click();
  const errors = page.getByTestId('catalog-import-error');
  await errors.first().waitFor();
  assert.equal(await errors.count(), 1);
  const cells = await errors.first().locator('td').allTextContents();
  assert.equal(cells[0], '2');
  assert.equal(cells[1], 'legal_basis');
  assert.equal(cells[2], 'catalog.missing_field');
  assert.match(await page.getByTestId('catalog-import-outcome').textContent(), /không dòng nào được ghi/);
  await screenshot(page, 'catalog-import-errors');

  const good = bad.replace('80.SKHCN,under_construction,', '80.SKHCN,under_construction,Kế hoạch số 99/KH-UBND');
  await upload(good);
  await page.getByTestId('catalog-import-submit').click();
  await page.getByTestId('catalog-import-outcome').getByText('Chạy thử thành công', { exact: false }).waitFor();
  assert.match(await page.getByTestId('catalog-import-created').textContent(), /^2/);
  assert.equal((await s.server.api('/catalog/entries?q=CSDL-SKHCN-50')).items.length, 0, 'the dry run wrote nothing');

  await page.getByTestId('catalog-import-dry').uncheck();
  await upload(good);
  await page.getByTestId('catalog-import-submit').click();
  await page.getByTestId('catalog-import-outcome').getByText('Đã ghi vào danh mục.').waitFor();
  await listSettled(page);
  assert.equal((await s.server.api('/catalog/entries?q=CSDL-SKHCN-50')).items.length, 1);

  // The export is a CSV of the catalog, including what was just imported.
  const res = await page.request.get('/api/v1/catalog/export?format=csv');
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /text\/csv/);
  assert.match(await res.text(), /CSDL-SKHCN-51/);

  // The Excel export reads back unchanged: a dry run of it changes nothing.
  const xlsx = await page.request.get('/api/v1/catalog/export?format=xlsx');
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()['content-disposition'], /attachment/);
  const body = await xlsx.body();
  assert.equal(body.subarray(0, 2).toString(), 'PK', 'a zip file');
  await page.getByTestId('catalog-import-dry').check();
  await page.getByTestId('catalog-import-file').setInputFiles({
    name: 'danh-muc.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: body,
  });
  await page.getByTestId('catalog-import-submit').click();
  await page.getByTestId('catalog-import-outcome').getByText('Chạy thử thành công', { exact: false }).waitFor();
  const count = async (k) => Number((await page.getByTestId(`catalog-import-${k}`).locator('strong').textContent()).replace(/\./g, ''));
  assert.ok((await count('rows')) > 160);
  assert.equal(await count('unchanged'), await count('rows'));
  assert.equal(await count('rejected'), 0);
  await screenshot(page, 'catalog-import-xlsx');
});

test('on a narrow screen the catalog scrolls inside its cards, not the page', async () => {
  const page = await s.newPage({ width: 390, height: 844, path: '/catalog' });
  await listSettled(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal page scrolling (${overflow}px)`);
  await page.goto('/catalog/summary?as_of=2025-10-31');
  await page.getByTestId('summary-platforms').waitFor();
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow2 <= 0, `no horizontal page scrolling on the summary (${overflow2}px)`);
  await screenshot(page, 'catalog-mobile');
});
