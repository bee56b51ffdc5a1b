// Data quality (M9): a leader opens the scoreboard and sees the province's overall score and its
// four dimensions (đúng, đủ, sạch, sống) as the API gives them for the IOC's date, the 12-month
// trend and the units ranked best first; a unit leads to its failing rows, with the CSV and XLSX
// downloads of the same filters; the overview carries the quality card, filled in when it is
// scrolled to. The administrator adds a check on the dossiers page whose rule names a field that
// does not exist and sees the server's refusal beside the form, then saves a valid check and finds
// it listed; a batch of dossiers that break that rule, sent through the page's upload, lowers
// Phường Tân Ninh's score on the scoreboard a leader has open.

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

test('a leader sees the four dimensions, the trend and the units ranked; a unit leads to its failing rows', async () => {
  const board = await s.server.api(`/quality/scoreboard?as_of=${asOf}`);
  assert.ok(board.units.length > 0, 'the demo has scored units');
  const page = await s.newPage();
  await page.getByTestId('nav-quality').click();
  await page.getByRole('heading', { level: 1, name: 'Chất lượng dữ liệu' }).waitFor();
  assert.equal(await page.getByTestId('nav-quality').textContent(), 'Chất lượng dữ liệu');
  assert.equal(await page.getByTestId('nav-quality').getAttribute('aria-current'), 'page');
  assert.equal(board.as_of, asOf);
  assert.equal(await page.getByTestId('quality-asof').inputValue(), asOf, "the IOC's date when the address has none");

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
});

test('the overview carries the quality card: the overall score, the four dimensions, a link to the scoreboard', async () => {
  const board = await s.server.api(`/quality/scoreboard?as_of=${asOf}`);
  const page = await s.newPage();
  await page.goto('/');
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

test("the administrator's checks: a rule on a field that does not exist is refused beside the form, a valid one is saved; a bad batch lowers the unit's score", async () => {
  const board = await s.server.api(`/quality/scoreboard?as_of=${asOf}`);
  const scored = board.units.find((u) => u.unit === unit);
  assert.ok(scored && scored.overall != null, 'Phường Tân Ninh is scored');
  const { checks } = await s.server.api('/datasets/dossiers/checks');

  const admin = await s.newPage({ user: null });
  await signInAdmin(admin, s.server.admin);
  await admin.goto('/datasets/dossiers');
  const panel = admin.getByTestId('quality-checks-panel');
  await panel.getByTestId('quality-checks-form').waitFor();
  assert.equal(await panel.getByTestId('quality-check-row').count(), checks.length);
  assert.deepEqual(await panel.getByTestId('quality-check-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.id)), checks.map((c) => c.id));

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

  // A valid rule: saved and listed, as the server answers.
  await expression.fill('#{completed_at} >= #{received_at}');
  await panel.getByTestId('quality-checks-save').click();
  await panel.locator('[data-testid="quality-checks-message"].ok').waitFor();
  await panel.locator('[data-testid="quality-check-row"][data-id="e2e_hoan_thanh"]').waitFor();
  const saved = await s.server.api('/datasets/dossiers/checks');
  const mine = saved.checks.find((c) => c.id === 'e2e_hoan_thanh');
  assert.ok(mine, 'the check is saved');
  assert.equal(mine.type, 'rule');
  assert.equal(mine.expression, '#{completed_at} >= #{received_at}');
  assert.equal(await panel.getByTestId('quality-check-row').count(), checks.length + 1);
  await admin.reload();
  await panel.locator('[data-testid="quality-check-row"][data-id="e2e_hoan_thanh"]').waitFor();
  assert.doesNotMatch(await text(panel.getByTestId('quality-checks-updated')), /mặc định/, 'no longer the defaults');
  await screenshot(admin, 'quality-checks-saved');

  // The leader watches the scoreboard while the administrator sends a batch that breaks the rule.
  const leader = await s.newPage();
  await leader.goto('/quality');
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
  const page = await s.newPage();
  await page.goto('/alerts');
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
