// Data quality (M9): a leader opens the scoreboard and sees the province's overall score and its
// four dimensions (đúng, đủ, sạch, sống) as the API gives them for the IOC's date, the 12-month
// trend and the units ranked best first — the Department of Justice, which enters some dossiers
// twice, low on "clean" — and the catalog's databases lowest first with what the catalog lacks in
// words; a database leads to its catalog entry and its quality card; a unit leads to its failing
// rows, with the CSV and XLSX downloads of the same filters; the overview carries the quality card,
// filled in when it is scrolled to. The administrator finds the dossiers' near-duplicate check in
// the form with how each field is compared, adds a check whose rule names a field that does not
// exist and sees the server's refusal beside the form, then an unknown catalog entry refused, then
// saves a valid check with another catalog entry and finds both kept; a batch of dossiers that
// break that rule, sent through the page's upload, lowers Phường Tân Ninh's score on the
// scoreboard a leader has open, and marks its row.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertChart, expected, fmt, screenshot, session, signInAdmin } from './browser.mjs';

let s;
/** The IOC's date (the overview's): the quality pages score as of it when the address has none. */
let asOf;
before(async () => {
  s = await session();
  ({ as_of: asOf } = await s.server.api('/overview'));
});
// The check whose rule names a field that does not exist is refused on purpose (422).
after(() => s?.end(expected([422], '/datasets/dossiers/checks')));

const unit = '25459'; // Phường Tân Ninh
const justice = '80.STP'; // Sở Tư pháp: some of its dossiers entered twice
const dossiersEntry = 'CSDL-TTPVHCC-01'; // the catalog's database the dossiers dataset holds
const problemWords = {
  not_connected: 'Chưa kết nối với hệ thống',
  no_update_date: 'Chưa có ngày cập nhật',
  stale_update: 'Quá một năm chưa cập nhật',
  no_record_count: 'Chưa có số bản ghi',
  no_contact: 'Chưa có đầu mối liên hệ',
};
const keys = ['overall', 'correct', 'sufficient', 'clean', 'alive'];
const labels = { overall: 'Tổng hợp', correct: 'Đúng', sufficient: 'Đủ', clean: 'Sạch', alive: 'Sống' };

/** A score the way the app writes it: one decimal at most, 82,4 (vi) or 82.4 (en). */
const score = {
  vi: (n) => (n == null ? '—' : new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(n)),
  en: (n) => (n == null ? '—' : new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(n)),
};
const text = async (locator) => (await locator.textContent()).trim();
const unitRows = (page) => page.getByTestId('quality-unit');
const unitRow = (page, code) => page.locator(`[data-testid="quality-unit"][data-unit="${code}"]`);
const overallOf = async (page, code) => Number(await unitRow(page, code).getAttribute('data-overall'));

/** A CSV in the way a spreadsheet saves it (CRLF). */
const csv = (...lines) => lines.join('\r\n') + '\r\n';

test("a leader sees the four dimensions, the trend, the units ranked and the catalog's databases; a unit leads to its failing rows, a database to its entry's quality card", async () => {
  const board = await s.server.api(`/quality/scoreboard?as_of=${asOf}`);
  assert.ok(board.units.length > 0, 'the demo has scored units');
  const page = await s.newPage();
  await page.getByTestId('nav-quality').click();
  await page.getByRole('heading', { level: 1, name: 'Chất lượng dữ liệu' }).waitFor();
  assert.equal(await page.getByTestId('nav-quality').textContent(), 'Chất lượng dữ liệu');
  assert.equal(await page.getByTestId('nav-quality').getAttribute('aria-current'), 'page');
  assert.equal(board.as_of, asOf);
  assert.equal(await page.getByTestId('asof-date').getAttribute('data-date'), asOf, "the IOC's date when the address has none");

  // The overall score and the four dimensions, as the API says, with the change since last month.
  assert.deepEqual(await page.getByTestId('quality-score').evaluateAll((els) => els.map((e) => e.dataset.key)), keys);
  for (const k of keys) {
    const card = page.locator(`[data-testid="quality-score"][data-key="${k}"]`);
    assert.equal(await text(card.locator('h2')), labels[k]);
    assert.equal(await text(card.getByTestId('quality-score-value')), score.vi(board.province[k]), k);
    const change = board.province.change?.[k];
    const mark = card.getByTestId('quality-score-change');
    if (change == null) assert.equal(await text(mark), '—');
    else if (Math.round(change * 10) > 0) assert.match(await text(mark), /^▲ /, `${k} went up`);
    else if (Math.round(change * 10) < 0) assert.match(await text(mark), /^▼ /, `${k} went down`);
  }
  await assertChart(page, 'quality-trend-chart');

  // The units, best first as the API ranks them.
  await page.getByTestId('quality-units').waitFor();
  assert.deepEqual(await unitRows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.unit)), board.units.map((u) => u.unit));
  const first = board.units[0];
  assert.equal(await unitRows(page).first().getAttribute('data-rank'), '1');
  assert.match(await text(unitRows(page).first().locator('th')), new RegExp(first.name));
  assert.equal(await text(unitRows(page).first().getByTestId('quality-unit-overall')), score.vi(first.overall));
  const overalls = board.units.map((u) => u.overall).filter((v) => v != null);
  assert.deepEqual(overalls, [...overalls].sort((a, b) => b - a), 'best first');
  assert.equal(await page.getByTestId('quality-dataset').count(), board.datasets.length);
  assert.equal(await page.getByTestId('quality-worst-row').count(), board.checks.length);

  // The Department of Justice enters some dossiers twice: the lowest "clean" of all units, below
  // its other dimensions, not coloured good; the near-duplicate check is its worst.
  const stp = board.units.find((u) => u.unit === justice);
  assert.ok(stp && stp.clean != null && stp.clean < 90, `80.STP is not good on clean (${stp?.clean})`);
  assert.equal(Math.min(...board.units.map((u) => u.clean ?? Infinity)), stp.clean, 'the lowest clean score');
  for (const d of ['correct', 'sufficient', 'alive']) assert.ok(stp.clean < stp[d], `clean below ${d}`);
  const stpClean = unitRow(page, justice).getByTestId('quality-unit-clean');
  assert.equal(await stpClean.getAttribute('data-score'), String(stp.clean));
  assert.equal(await text(stpClean), score.vi(stp.clean));
  assert.match(await stpClean.getAttribute('class'), stp.clean < 75 ? /score-poor/ : /score-fair/);
  assert.equal(stp.worst?.check, 'dossiers.applicant_twice');
  assert.equal(await text(unitRow(page, justice).getByTestId('quality-unit-worst').locator('a')), stp.worst.title || stp.worst.check);

  // The catalog's databases, lowest first, each with its dataset and what the catalog lacks, in words.
  assert.ok(board.databases?.length > 0, 'the demo scores the catalog');
  const dbRows = page.getByTestId('quality-database');
  const lowFirst = [...board.databases].map((d, i) => ({ d, i })).sort((a, b) => (a.d.overall ?? Infinity) - (b.d.overall ?? Infinity) || a.i - b.i);
  assert.deepEqual(await dbRows.evaluateAll((trs) => trs.map((tr) => tr.dataset.code)), lowFirst.map(({ d }) => d.code));
  const dossiersDb = board.databases.find((d) => d.code === dossiersEntry);
  assert.equal(dossiersDb?.dataset, 'dossiers');
  const dbRow = page.locator(`[data-testid="quality-database"][data-code="${dossiersEntry}"]`);
  assert.equal(await dbRow.getAttribute('data-dataset'), 'dossiers');
  assert.equal(await dbRow.getByTestId('quality-database-dataset').locator('a').getAttribute('href'), '/datasets/dossiers');
  assert.equal(await text(dbRow.getByTestId('quality-database-overall')), score.vi(dossiersDb.overall));
  assert.equal(await text(dbRow.getByTestId('quality-database-clean')), score.vi(dossiersDb.clean));
  const troubled = lowFirst[0].d;
  assert.ok(troubled.problems.length > 0, 'the lowest database lacks something in the catalog');
  const troubledRow = dbRows.first();
  assert.deepEqual(
    await troubledRow.getByTestId('quality-database-problems').locator('li').allTextContents(),
    troubled.problems.map((p) => problemWords[p]),
  );
  assert.equal(await text(troubledRow.getByTestId('quality-database-owner')).then((t) => t.startsWith(troubled.owner_name ?? troubled.owner)), true);
  assert.equal(await text(troubledRow.getByTestId('quality-database-dataset')), troubled.dataset ?? '—');
  await screenshot(page, 'quality-board');

  // The filter finds a unit without diacritics and keeps the as-of date out of its way.
  await page.getByTestId('quality-units-search').fill('tan ninh');
  await unitRow(page, unit).waitFor();
  assert.ok((await unitRows(page).count()) < board.units.length);

  // A unit leads to its failing rows, with downloads of the same filters.
  await unitRow(page, unit).getByTestId('quality-unit-link').click();
  await page.waitForURL((u) => u.pathname === '/quality/failures' && u.searchParams.get('unit') === unit);
  await page.getByTestId('quality-failures').waitFor();
  const period = new URL(page.url()).searchParams.get('period');
  assert.equal(period, board.month);
  const failures = await s.server.api(`/quality/failures?unit=${unit}&period=${period}&as_of=${asOf}&limit=50`);
  assert.equal(await page.getByTestId('quality-failures-count').getAttribute('data-total'), String(failures.total));
  assert.equal(await page.getByTestId('quality-failure').count(), failures.items.length);
  await page.locator(`[data-testid="quality-failures-filter"][data-filter="unit"]`).getByText('Phường Tân Ninh', { exact: false }).waitFor();
  assert.equal(await page.getByTestId('quality-failures-csv').getAttribute('href'), `/api/v1/quality/failures?unit=${unit}&period=${period}&as_of=${asOf}&format=csv`);
  assert.equal(await page.getByTestId('quality-failures-xlsx').getAttribute('href'), `/api/v1/quality/failures?unit=${unit}&period=${period}&as_of=${asOf}&format=xlsx`);
  const csvFile = await page.request.get(await page.getByTestId('quality-failures-csv').getAttribute('href'));
  assert.equal(csvFile.status(), 200);
  assert.match(csvFile.headers()['content-type'], /text\/csv/);
  const xlsxFile = await page.request.get(await page.getByTestId('quality-failures-xlsx').getAttribute('href'));
  assert.equal(xlsxFile.status(), 200);
  assert.equal((await xlsxFile.body()).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');
  await screenshot(page, 'quality-failures');

  // Back to the scoreboard; the worst check leads to the rows that fail it.
  await page.getByRole('link', { name: 'Chất lượng dữ liệu' }).first().click();
  await page.getByTestId('quality-units').waitFor();
  if (board.checks.length > 0) {
    const worst = board.checks[0];
    await page.getByTestId('quality-worst-link').first().click();
    await page.waitForURL((u) => u.pathname === '/quality/failures' && u.searchParams.get('dataset') === worst.dataset);
    await page.getByTestId('quality-failures').waitFor();
    assert.ok(new URL(page.url()).searchParams.get('check'), 'filtered by the check');
    await page.goBack();
    await page.getByTestId('quality-units').waitFor();
  }

  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 1, name: 'Data quality' }).waitFor();
  const correct = page.locator('[data-testid="quality-score"][data-key="correct"]');
  assert.equal(await text(correct.locator('h2')), 'Correct');
  assert.equal(await text(correct.getByTestId('quality-score-value')), score.en(board.province.correct));
  await page.getByTestId('lang-vi').click();
  await page.getByRole('heading', { level: 1, name: 'Chất lượng dữ liệu' }).waitFor();

  // A database leads to its catalog entry, whose quality card says the same.
  await page.locator(`[data-testid="quality-database"][data-code="${dossiersEntry}"]`).getByTestId('quality-database-link').click();
  await page.waitForURL((u) => u.pathname === `/catalog/${dossiersEntry}`);
  const card = page.locator('[data-testid="catalog-quality"][data-state="scored"]');
  await card.waitFor();
  const one = await s.server.api(`/quality/databases/${dossiersEntry}?as_of=${asOf}`);
  assert.deepEqual(one, dossiersDb, 'one database as the scoreboard has it');
  assert.equal(await card.getByTestId('catalog-quality-overall').getAttribute('data-score'), String(one.overall));
  assert.equal(await text(card.getByTestId('catalog-quality-overall')), `${score.vi(one.overall)} /100`);
  for (const k of keys.slice(1)) {
    assert.equal(await text(card.locator(`[data-testid="catalog-quality-score"][data-key="${k}"] strong`)), score.vi(one[k]), k);
  }
  assert.equal(await card.getByTestId('catalog-quality-dataset').getAttribute('href'), '/datasets/dossiers');
  const facts = card.getByTestId('catalog-quality-facts');
  assert.equal(await text(facts.locator('[data-field="connected"] dd')), one.facts.connected ? 'Đã kết nối' : 'Chưa kết nối');
  assert.equal(await text(facts.locator('[data-field="record_count"] dd')), one.facts.record_count == null ? '—' : fmt.vi(one.facts.record_count));
  const days = one.facts.days_since_update;
  if (days != null) assert.ok((await text(facts.locator('[data-field="last_update"] dd'))).startsWith(days <= 0 ? 'Cùng ngày tính điểm' : `${fmt.vi(days)} ngày trước`));
  assert.equal(await card.getByTestId('catalog-quality-problems').getAttribute('data-problems'), one.problems.join(' '));
  assert.equal(await card.getByTestId('catalog-quality-open').getAttribute('href'), `/quality?as_of=${asOf}#quality-databases`);
  await screenshot(page, 'catalog-entry-quality');

  // A database not yet in use is not scored: one quiet line, no error.
  const { items: planned } = await s.server.api('/catalog/entries?kind=database&status=planned&limit=1');
  if (planned.length) {
    await page.goto(`/catalog/${encodeURIComponent(planned[0].code)}`);
    assert.equal(await text(page.getByTestId('catalog-quality-not-scored')), 'Chưa chấm điểm chất lượng: cơ sở dữ liệu chưa đưa vào sử dụng.');
  }
});

test('the overview carries the quality card: the overall score, the four dimensions, a link to the scoreboard', async () => {
  const board = await s.server.api(`/quality/scoreboard?as_of=${asOf}`);
  const page = await s.newPage({ path: '/' });
  const card = page.getByTestId('quality-summary');
  // Below the figures, the card fetches its scores once it is scrolled into view.
  await card.scrollIntoViewIfNeeded();
  await page.getByTestId('quality-summary-overall').waitFor();
  assert.equal(await text(page.getByTestId('quality-summary-overall')), `${score.vi(board.province.overall)} /100`);
  assert.deepEqual(await card.getByTestId('quality-summary-score').evaluateAll((els) => els.map((e) => e.dataset.key)), keys.slice(1));
  for (const k of keys.slice(1)) {
    assert.equal(await text(card.locator(`[data-testid="quality-summary-score"][data-key="${k}"] strong`)), score.vi(board.province[k]), k);
  }
  await card.getByTestId('quality-summary-link').click();
  await page.waitForURL((u) => u.pathname === '/quality');
  await page.getByTestId('quality-units').waitFor();
});

test("the administrator's checks: the near-duplicate check as the server has it; a rule on a field that does not exist and an unknown catalog entry are refused beside the form, a valid one is saved with its catalog entry; a bad batch lowers the unit's score", async () => {
  const board = await s.server.api(`/quality/scoreboard?as_of=${asOf}`);
  const scored = board.units.find((u) => u.unit === unit);
  assert.ok(scored && scored.overall != null, 'Phường Tân Ninh is scored');
  const { checks, catalog_entry: entryBefore } = await s.server.api('/datasets/dossiers/checks');
  assert.equal(entryBefore, dossiersEntry);

  const admin = await s.newPage({ user: null });
  await signInAdmin(admin, s.server.admin);
  await admin.goto('/datasets/dossiers');
  const panel = admin.getByTestId('quality-checks-panel');
  await panel.getByTestId('quality-checks-form').waitFor();
  assert.equal(await panel.getByTestId('quality-check-row').count(), checks.length);
  assert.deepEqual(await panel.getByTestId('quality-check-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.id)), checks.map((c) => c.id));

  // The steward's near-duplicate check: the fields compared, how each is, within which, the date window.
  const near = checks.find((c) => c.id === 'applicant_twice');
  assert.equal(near?.type, 'near_duplicate');
  const nearRow = panel.locator('[data-testid="quality-check-row"][data-id="applicant_twice"]');
  assert.equal(await nearRow.getByTestId('quality-check-type').inputValue(), 'near_duplicate');
  const selected = (locator) => locator.evaluate((el) => [...el.selectedOptions].map((o) => o.value).sort());
  assert.deepEqual(await selected(nearRow.getByTestId('quality-check-field')), [...near.fields].sort());
  assert.deepEqual(await nearRow.getByTestId('quality-check-kind').evaluateAll((els) => els.map((e) => [e.dataset.field, e.value])), near.fields.map((f, i) => [f, near.kinds[i]]));
  assert.deepEqual(await selected(nearRow.locator('[data-testid="quality-check-param"][data-param="block"]')), [...near.block].sort());
  assert.equal(await nearRow.locator('[data-testid="quality-check-param"][data-param="field"]').inputValue(), near.field);
  assert.equal(await nearRow.locator('[data-testid="quality-check-param"][data-param="max_days"]').inputValue(), String(near.max_days));
  assert.equal(await panel.locator('[data-testid="quality-check-row"][data-type="rejected"]').getByTestId('quality-check-no-params').count(), 1, 'rows refused at ingest: no parameters');
  const entry = panel.getByTestId('quality-checks-catalog-entry');
  assert.equal(await entry.inputValue(), dossiersEntry);

  // A new rule whose expression names a field the dataset does not have.
  await panel.getByTestId('quality-checks-add').click();
  const row = panel.getByTestId('quality-check-row').last();
  await row.getByTestId('quality-check-id').fill('e2e_hoan_thanh');
  await row.getByTestId('quality-check-title').fill('Hoàn thành không trước khi tiếp nhận (kiểm thử)');
  await row.getByTestId('quality-check-type').selectOption('rule');
  await row.getByTestId('quality-check-severity').selectOption('error');
  await row.getByTestId('quality-check-dimension').selectOption('correct');
  const expression = row.locator('[data-testid="quality-check-param"][data-param="expression"]');
  await expression.fill('#{khong_co} > 0');
  await panel.getByTestId('quality-checks-save').click();
  const message = panel.getByTestId('quality-checks-message');
  await panel.locator('[data-testid="quality-checks-message"].error').waitFor();
  assert.ok(['quality.bad_expression', 'quality.invalid_check'].includes(await message.getAttribute('data-code')), await message.getAttribute('data-code'));
  assert.match(await message.textContent(), /khong_co/, "the server's message names the field");
  assert.ok(await panel.locator('[data-testid="quality-check-row"][data-refused]').count(), 'the refused check is marked');
  await screenshot(admin, 'quality-checks-refused');
  assert.equal((await s.server.api('/datasets/dossiers/checks')).checks.length, checks.length, 'nothing was saved');

  // The rule mended, but a catalog entry that does not exist: refused beside the form too.
  await expression.fill('#{completed_at} >= #{received_at}');
  await entry.fill('CSDL-KHONG-CO');
  await panel.getByTestId('quality-checks-save').click();
  await panel.locator('[data-testid="quality-checks-message"].error').getByText(/CSDL-KHONG-CO/).waitFor();
  assert.equal(await message.getAttribute('data-code'), 'quality.invalid_check');
  assert.equal(await entry.getAttribute('aria-invalid'), 'true');
  assert.equal((await s.server.api('/datasets/dossiers/checks')).catalog_entry, dossiersEntry, 'nothing was saved');

  // A valid rule with another database of the catalog: saved and listed, as the server answers.
  const { items: inUse } = await s.server.api('/catalog/entries?kind=database&status=in_use&limit=5');
  const otherEntry = inUse.find((e) => e.code !== dossiersEntry).code;
  await entry.fill(otherEntry);
  await panel.getByTestId('quality-checks-save').click();
  await panel.locator('[data-testid="quality-checks-message"].ok').waitFor();
  await panel.locator('[data-testid="quality-check-row"][data-id="e2e_hoan_thanh"]').waitFor();
  const saved = await s.server.api('/datasets/dossiers/checks');
  const mine = saved.checks.find((c) => c.id === 'e2e_hoan_thanh');
  assert.ok(mine, 'the check is saved');
  assert.equal(mine.type, 'rule');
  assert.equal(mine.expression, '#{completed_at} >= #{received_at}');
  assert.equal(saved.catalog_entry, otherEntry, 'the catalog entry is saved with the checks');
  assert.deepEqual(saved.checks.find((c) => c.id === 'applicant_twice'), near, 'the near-duplicate check went back as it came');
  assert.equal(await panel.getByTestId('quality-check-row').count(), checks.length + 1);
  await admin.reload();
  await panel.locator('[data-testid="quality-check-row"][data-id="e2e_hoan_thanh"]').waitFor();
  assert.equal(await entry.inputValue(), otherEntry);
  assert.doesNotMatch(await text(panel.getByTestId('quality-checks-updated')), /mặc định/, 'no longer the defaults');
  await screenshot(admin, 'quality-checks-saved');

  // The leader watches the scoreboard while the administrator sends a batch that breaks the rule.
  const leader = await s.newPage({ path: '/quality' });
  await unitRow(leader, unit).waitFor();
  await leader.locator('[data-testid="live-status"][data-state="open"]').waitFor();
  const correctOf = async (page) => Number(await unitRow(page, unit).getByTestId('quality-unit-correct').getAttribute('data-score'));
  const shownBefore = await correctOf(leader);
  // Saving the checks may have scored the unit again: the figures just before the batch.
  const beforeBatch = (await s.server.api(`/quality/scoreboard?as_of=${asOf}`)).units.find((u) => u.unit === unit);
  assert.equal(shownBefore, beforeBatch.correct);

  const month = board.month;
  const lines = ['dossier_id,receiving_unit,procedure_code,procedure_name,received_at,due_at,completed_at,channel,fee,status'];
  for (let i = 1; i <= 400; i++) {
    const id = `HS-QA-${String(i).padStart(4, '0')}`;
    lines.push(`${id},${unit},1.001234,Đăng ký khai sinh,${month}-02 08:00,${month}-09 17:00,${month}-01 09:00,online,0,completed`);
  }
  const upload = admin.getByTestId('dataset-upload-panel');
  await upload.getByTestId('dataset-upload-file').setInputFiles({ name: 'ho-so-sai-thu-tu.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(...lines)) });
  await upload.getByTestId('dataset-upload-mode-all').check();
  await upload.getByTestId('dataset-upload-dry').setChecked(false);
  await upload.getByTestId('dataset-upload-submit').click();
  const report = upload.getByTestId('batch-report');
  await report.waitFor();
  assert.equal(await report.getAttribute('data-status'), 'committed', 'the rows are valid for the schema: only the quality check fails them');
  assert.equal(await report.getByTestId('batch-count-imported').getAttribute('data-value'), '400');

  // The open scoreboard follows the batch by itself, and agrees with the API.
  await leader.waitForFunction(
    ([code, was]) => {
      const td = document.querySelector(`[data-testid="quality-unit"][data-unit="${code}"] [data-testid="quality-unit-correct"]`);
      return td && Number(td.dataset.score) < was;
    },
    [unit, shownBefore],
    { timeout: 20_000 },
  );
  const afterBatch = (await s.server.api(`/quality/scoreboard?as_of=${asOf}`)).units.find((u) => u.unit === unit);
  assert.ok(afterBatch.correct < beforeBatch.correct, `the correct score dropped (${beforeBatch.correct} → ${afterBatch.correct})`);
  assert.ok(afterBatch.overall < beforeBatch.overall, `the overall score dropped (${beforeBatch.overall} → ${afterBatch.overall})`);
  await leader.locator('[data-testid="page"]:not([aria-busy]) [data-testid="quality-board"]:not([aria-busy])').waitFor();
  assert.equal(await text(unitRow(leader, unit).getByTestId('quality-unit-overall')), score.vi(afterBatch.overall));
  assert.equal(await overallOf(leader, unit), afterBatch.overall);
  assert.equal(await unitRow(leader, unit).getAttribute('data-changed'), 'true', "the batch's unit is marked");
  await screenshot(leader, 'quality-board-after-batch');

  // The failing rows of the new check are there, for the unit and the month.
  const failing = await s.server.api(`/quality/failures?dataset=dossiers&check=e2e_hoan_thanh&unit=${unit}&period=${month}&as_of=${asOf}&limit=10`);
  assert.ok(failing.total >= 400, `the batch's rows fail the rule (${failing.total})`);
  await leader.goto(`/quality/failures?dataset=dossiers&check=e2e_hoan_thanh&unit=${unit}&period=${month}`);
  await leader.getByTestId('quality-failures').waitFor();
  assert.equal(await leader.getByTestId('quality-failures-count').getAttribute('data-total'), String(failing.total));
  assert.match(await leader.getByTestId('quality-failures-count').textContent(), new RegExp(fmt.vi(failing.total).replace(/\./g, '\\.')));
});

test('on a narrow screen the quality pages scroll inside their cards, not the page', async () => {
  const page = await s.newPage({ width: 390, height: 844 });
  for (const path of ['/quality', `/quality/failures?unit=${unit}`]) {
    await page.goto(path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal page scrolling on ${path} (${overflow}px)`);
  }
  await screenshot(page, 'quality-mobile');
});

test("the IOC's alerts about data quality lead to the unit's failing rows", async () => {
  const { items } = await s.server.api('/alerts');
  const page = await s.newPage({ path: '/alerts' });
  await page.getByTestId('alert-group').first().waitFor();
  for (const kind of ['quality_low', 'check_failing']) {
    const n = items.filter((a) => a.kind === kind).length;
    assert.equal(await text(page.locator(`[data-testid="alert-count"][data-kind="${kind}"] strong`)), fmt.vi(n), kind);
    const a = items.find((x) => x.kind === kind);
    if (!a) continue;
    const link = page.locator(`[data-testid="alert-list"][data-kind="${kind}"] [data-testid="alert"]`).first().getByRole('link');
    assert.equal(await link.getAttribute('href'), `/quality/failures?unit=${encodeURIComponent(a.unit)}${a.period ? `&period=${a.period}` : ''}`, kind);
  }
  assert.equal(await text(page.locator('[data-testid="alert-group"][data-kind="quality_low"] h2')).then((s) => s.startsWith('Chất lượng dữ liệu thấp')), true);
});
