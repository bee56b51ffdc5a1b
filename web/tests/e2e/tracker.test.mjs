// The Resolution 57 register (M6): the board reproduces the October 2025 report (166 tasks from
// the centre, 90 completed, 76 in progress; the People's Committee's 53 targets, 32 completed =
// 60,38 %, and 235 tasks, 88 completed = 37,45 %) and shows fewer completed at an earlier date;
// the task list searches without diacritics and pages; a task shows its history and its monthly
// reports; an officer of a task's lead unit submits the monthly report (a percent over 100 is
// refused next to the field first) and sees it listed; a leader sees no forms; the rankings, the
// overdue lists and the monthly obligations come from the server's figures.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertChart, chooseAsOf, fmt, screenshot, session } from './browser.mjs';

let s;
/** The server's today: reports and adjustments are made today, and seen as of today (the app shows the IOC's date by default). */
let today;
before(async () => {
  s = await session();
  ({ today } = await s.server.api('/info'));
});
after(() => s?.end());

const october = '2025-10-31';

/** A rate the way the app writes it: 60,38 % (vi) or 60.38% (en). */
const rate = {
  vi: (n, digits = 2) => `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n)} %`,
  en: (n, digits = 2) => `${new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n)}%`,
};

/** "Chuyển đổi số" → "chuyen doi so". */
const fold = (text) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ');

const figure = async (page, id) => (await page.getByTestId(id).textContent()).trim();
const rows = (page) => page.getByTestId('nq57-row');

/** Waits until the list has loaded the results for the current filters. */
async function listSettled(page) {
  await page.locator('[data-testid="nq57-table-wrap"]:not([aria-busy])').waitFor();
}

/** All items of a list query, following the server's cursor. */
async function allItems(query) {
  const items = [];
  let cursor = '';
  for (;;) {
    const page = await s.server.api(`/tracker/items?${query}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    if (!page.next) return items;
    cursor = page.next;
  }
}

test('the board shows the October 2025 report, and fewer completed earlier in the year', async () => {
  const page = await s.newPage({ path: `/nq57?as_of=${october}` });
  await page.getByRole('heading', { level: 1, name: 'Thực hiện Nghị quyết 57' }).waitFor();
  assert.equal(await page.getByTestId('nav-tracker').getAttribute('aria-current'), 'page');
  assert.equal(await page.getByTestId('nav-tracker').textContent(), 'Nghị quyết 57');

  // The centre's tasks to the province.
  assert.equal(await figure(page, 'nq57-central-tasks'), '166');
  assert.equal(await figure(page, 'nq57-central-completed'), '90');
  assert.equal(await figure(page, 'nq57-central-in-progress'), '76');
  // The People's Committee's targets and tasks to its units, rates Vietnamese style.
  assert.equal(await figure(page, 'nq57-province-targets'), '53');
  assert.equal(await figure(page, 'nq57-province-targets-completed'), '32');
  assert.equal(await figure(page, 'nq57-province-targets-rate'), '60,38 %');
  assert.equal(await figure(page, 'nq57-province-tasks'), '235');
  assert.equal(await figure(page, 'nq57-province-tasks-completed'), '88');
  assert.equal(await figure(page, 'nq57-province-tasks-rate'), '37,45 %');
  assert.match(await page.getByTestId('nq57-card-province-targets').textContent(), /32 hoàn thành, đạt 60,38 %/);
  assert.match(await page.getByTestId('nq57-card-central').textContent(), /90 hoàn thành, 76 đang thực hiện/);

  const oct = await s.server.api(`/tracker/summary?as_of=${october}`);
  assert.equal(await figure(page, 'nq57-overdue'), fmt.vi(oct.overdue.length));
  for (const chart of ['chart-nq57-status', 'chart-nq57-programmes', 'chart-nq57-units', 'chart-nq57-months']) await assertChart(page, chart);
  const unitRows = page.getByTestId('nq57-unit-row');
  assert.ok((await unitRows.count()) > 5, 'figures by lead unit');
  assert.equal(await page.getByTestId('nq57-programme-row').count(), oct.by_programme.length);
  await screenshot(page, 'nq57-board-2025-10-31');

  // Another date, chosen in the header, reloads the figures and keeps the date in the address.
  await chooseAsOf(page, '2025-06-30');
  await page.waitForURL(/\/nq57\?as_of=2025-06-30$/);
  await page.getByTestId('nq57-asof-shown').getByText('30/06/2025').waitFor();
  const june = await s.server.api('/tracker/summary?as_of=2025-06-30');
  const central = june.by_level.central.tasks;
  const targets = june.by_level.province.targets;
  const tasks = june.by_level.province.tasks;
  assert.ok(central.completed < 90, `fewer central tasks completed by June (${central.completed})`);
  assert.ok(targets.completed < 32 && tasks.completed < 88, 'fewer province targets and tasks completed by June');
  assert.equal(await figure(page, 'nq57-central-completed'), fmt.vi(central.completed));
  assert.equal(await figure(page, 'nq57-central-in-progress'), fmt.vi(central.total - central.completed));
  assert.equal(await figure(page, 'nq57-province-targets-completed'), fmt.vi(targets.completed));
  assert.equal(await figure(page, 'nq57-province-targets-rate'), rate.vi(targets.completion_rate));
  assert.equal(await figure(page, 'nq57-province-tasks-completed'), fmt.vi(tasks.completed));
  assert.equal(await figure(page, 'nq57-province-tasks-rate'), rate.vi(tasks.completion_rate));
  await screenshot(page, 'nq57-board-2025-06-30');

  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 1, name: 'Resolution 57 progress' }).waitFor();
  assert.equal(await figure(page, 'nq57-province-tasks-rate'), rate.en(tasks.completion_rate));
  assert.match(await page.getByTestId('nq57-asof-shown').textContent(), /30 June 2025/);
  await page.getByTestId('lang-vi').click();
  await page.getByRole('heading', { level: 1, name: 'Thực hiện Nghị quyết 57' }).waitFor();

  // A unit's row leads to its tasks, filtered, as of the board's date.
  const first = unitRows.first();
  const unit = await first.getAttribute('data-unit');
  await first.locator('th a').click();
  await page.waitForURL((url) => url.pathname === '/nq57/tasks' && url.searchParams.get('unit') === unit && url.searchParams.get('as_of') === '2025-06-30');
  await listSettled(page);
  const expected = await allItems(`unit=${encodeURIComponent(unit)}&as_of=2025-06-30`);
  assert.equal(await rows(page).count(), Math.min(50, expected.length));
  assert.equal(await page.locator('#nq57-unit').inputValue(), unit);
});

test('the task list searches without diacritics, filters and pages', async () => {
  const page = await s.newPage({ path: '/nq57/tasks' });
  await listSettled(page);
  assert.equal(await page.getByTestId('nav-tracker').getAttribute('aria-current'), 'page');

  await page.getByTestId('nq57-search').fill('chuyen doi so');
  await page.waitForURL(/q=chuyen\+doi\+so/);
  await listSettled(page);
  const found = await allItems('q=chuyen%20doi%20so');
  assert.ok(found.length > 0, 'the demo has items about digital transformation');
  assert.ok(found.some((i) => /chuyển đổi số/i.test(`${i.title} ${i.sector}`)), 'found through the diacritics');
  assert.equal(await rows(page).count(), Math.min(50, found.length));
  // Each row names the words somewhere: code, title, programme or sector.
  for (const text of await rows(page).allTextContents()) for (const word of ['chuyen', 'doi', 'so']) assert.ok(fold(text).includes(word), `${word} in ${text}`);
  const codes = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.code));
  assert.deepEqual(codes, found.slice(0, 50).map((i) => i.code));
  await screenshot(page, 'nq57-search');

  // The centre's tasks as of October 2025: 166 over pages of 50.
  await page.goto(`/nq57/tasks?level=central&kind=task&as_of=${october}`);
  await listSettled(page);
  assert.equal(await page.getByLabel('Cấp giao').inputValue(), 'central');
  assert.equal(await rows(page).count(), 50);
  assert.match(await page.getByTestId('nq57-count').textContent(), /Hiển thị 50 mục đầu tiên, còn nữa/);
  while (await page.getByTestId('nq57-more').isVisible()) {
    const before = await rows(page).count();
    await page.getByTestId('nq57-more').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="nq57-row"]').length > n, before);
  }
  assert.equal(await rows(page).count(), 166);
  assert.match(await page.getByTestId('nq57-count').textContent(), /Hiển thị 166 mục/);
  const statuses = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
  assert.equal(statuses.filter((x) => x === 'completed_on_time' || x === 'completed_late').length, 90);
  assert.deepEqual([...new Set(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.level)))], ['central']);

  // A status filter, as of the same date.
  await page.getByLabel('Tình trạng', { exact: true }).selectOption('overdue');
  await page.waitForURL(/status=overdue/);
  await listSettled(page);
  const overdue = await allItems(`level=central&kind=task&status=overdue&as_of=${october}`);
  assert.equal(await rows(page).count(), Math.min(50, overdue.length));
  if (overdue.length > 0) assert.deepEqual([...new Set(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.status)))], ['overdue']);

  // A row opens its task.
  await page.getByTestId('nq57-reset').click();
  await listSettled(page);
  await rows(page).first().locator('th a').click();
  await page.waitForURL(/\/nq57\/tasks\/[^/?]+/);
  await page.getByTestId('nq57-history').waitFor();
});

/** A task of the province's plan that was adjusted and has reports (the demo has some). */
async function adjustedTaskWithReports() {
  const candidates = (await allItems('kind=task&level=province')).filter((i) => i.adjusted);
  assert.ok(candidates.length > 0, 'the demo has adjusted tasks');
  for (const c of candidates.slice(0, 40)) {
    const detail = await s.server.api(`/tracker/items/${encodeURIComponent(c.code)}`);
    if (detail.reports.length > 0 && detail.history.some((v) => v.adjusted)) return detail;
  }
  assert.fail('an adjusted task with reports');
}

test('a task shows its fields, chain, history with adjustments and its monthly reports; a leader sees no forms', async () => {
  const task = await adjustedTaskWithReports();
  const page = await s.newPage({ path: `/nq57/tasks/${encodeURIComponent(task.code)}` });
  await page.getByRole('heading', { level: 1, name: task.title }).waitFor();
  assert.equal(await page.getByTestId('nq57-item-status').locator('[data-status]').getAttribute('data-status'), task.status);
  await page.getByTestId('nq57-item-adjusted').waitFor();
  const facts = await page.getByTestId('nq57-facts').textContent();
  assert.ok(facts.includes(task.code));
  if (task.leader.name) assert.ok((await page.getByTestId('nq57-leader').textContent()).includes(task.leader.name), 'the leader in charge');
  if (task.deadline) {
    const [y, m, d] = task.deadline.split('-');
    assert.ok(facts.includes(`${d}/${m}/${y}`), 'the deadline, Vietnamese style');
  }

  // The chain: the items it was assigned from, then itself.
  const chain = page.getByTestId('nq57-chain-item');
  assert.equal(await chain.last().getAttribute('data-code'), task.code);
  if (task.parent) assert.equal(await chain.nth((await chain.count()) - 2).getAttribute('data-code'), task.parent);
  assert.equal(await page.getByTestId('nq57-child').count(), task.children.length);

  // History, newest first; adjustments carry their reason and approval.
  const versions = page.getByTestId('nq57-version');
  assert.equal(await versions.count(), task.history.length);
  assert.equal(await versions.first().getAttribute('data-version'), String(Math.max(...task.history.map((v) => v.version))));
  const adjustment = task.history.find((v) => v.adjusted);
  const adjusted = page.locator(`[data-testid="nq57-version"][data-version="${adjustment.version}"]`);
  assert.equal(await adjusted.getAttribute('data-adjusted'), 'true');
  assert.match(await adjusted.textContent(), /Điều chỉnh/);
  assert.ok((await adjusted.getByTestId('nq57-version-reason').textContent()).includes(adjustment.reason));
  assert.ok((await adjusted.getByTestId('nq57-version-approval').textContent()).includes(adjustment.approval));

  // Reports by month with their timeliness.
  const months = new Set([...task.obligations.map((o) => o.month), ...task.reports.map((r) => r.month)]);
  const reportRows = page.getByTestId('nq57-report-row');
  assert.equal(await reportRows.count(), months.size);
  const report = task.reports.at(-1);
  const row = page.locator(`[data-testid="nq57-report-row"][data-month="${report.month}"]`);
  assert.equal((await row.getByTestId('nq57-report-percent').textContent()).trim(), rate.vi(report.percent, 0));
  const obligation = task.obligations.find((o) => o.month === report.month);
  if (obligation) assert.equal(await row.getAttribute('data-timeliness'), obligation.timeliness);
  await screenshot(page, 'nq57-task');

  // A leader reads only.
  assert.equal(await page.getByTestId('nq57-edit-panel').count(), 0);
  assert.equal(await page.getByTestId('nq57-report-panel').count(), 0);

  await page.getByTestId('lang-en').click();
  await page.getByRole('heading', { level: 2, name: 'Monthly progress reports' }).waitFor();
  assert.match(await adjusted.textContent(), /Adjustment/);
  await page.getByTestId('lang-vi').click();
  await page.getByRole('heading', { level: 2, name: 'Báo cáo tiến độ hằng tháng' }).waitFor();
});

test("an officer of the task's lead unit submits the monthly report: a percent over 100 first, then with an attachment", async () => {
  // An open task of the province's plan led by a department (not the province itself).
  const open = (await allItems('kind=task&level=province&status=in_progress')).filter((i) => i.lead_unit.includes('.'));
  assert.ok(open.length > 0, 'the demo has tasks in progress');
  const task = open[0];
  const officer = await s.server.addUser('canbo.baocao', 'officer', { unit: task.lead_unit, displayName: 'Lê Thị Hoa' });

  // The leader sees the task but no forms.
  const leaderPage = await s.newPage({ path: `/nq57/tasks/${encodeURIComponent(task.code)}?as_of=${today}` });
  await leaderPage.getByTestId('nq57-reports').waitFor();
  assert.equal(await leaderPage.getByTestId('nq57-report-form').count(), 0);
  assert.equal(await leaderPage.getByTestId('nq57-edit-form').count(), 0);

  const page = await s.newPage({ user: officer, path: `/nq57/tasks/${encodeURIComponent(task.code)}?as_of=${today}` });
  const form = page.getByTestId('nq57-report-form');
  await form.waitFor();
  const month = await page.getByTestId('nq57-report-month').inputValue();
  assert.match(month, /^\d{4}-\d{2}$/);

  await page.getByLabel('Tiến độ (%)').fill('120');
  await page.getByLabel('Kết quả thực hiện').fill('Hoàn thành dự thảo kế hoạch, đang lấy ý kiến các sở, ngành.');
  await page.getByLabel('Khó khăn, vướng mắc').fill('Thiếu nhân lực công nghệ thông tin.');
  await page.getByLabel('Đề xuất, kiến nghị').fill('Đề nghị bổ sung kinh phí năm 2026.');
  await page.getByTestId('nq57-report-submit').click();
  const percentError = page.getByTestId('nq57-report-error-percent');
  await percentError.waitFor();
  assert.match(await percentError.textContent(), /từ 0 đến 100/);
  assert.equal(await page.getByLabel('Tiến độ (%)').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'nq57-report-invalid');

  await page.getByLabel('Tiến độ (%)').fill('45');
  await page.getByTestId('nq57-report-files').setInputFiles({
    name: 'bao-cao-thang.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  });
  await page.getByTestId('nq57-report-submit').click();
  await page.getByTestId('nq57-report-saved').waitFor();
  assert.ok(await percentError.isHidden(), 'the fixed field is no longer flagged');

  const row = page.locator(`[data-testid="nq57-report-row"][data-month="${month}"]`);
  assert.equal((await row.getByTestId('nq57-report-percent').textContent()).trim(), '45 %');
  assert.match(await row.textContent(), /Hoàn thành dự thảo kế hoạch/);
  assert.match(await row.textContent(), /canbo\.baocao/);
  const link = row.getByTestId('nq57-attachment');
  assert.equal(await link.textContent(), 'bao-cao-thang.pdf');
  const download = await page.request.get(await link.getAttribute('href'));
  assert.equal(download.status(), 200);
  assert.match((await download.body()).subarray(0, 5).toString(), /%PDF-/);
  await screenshot(page, 'nq57-report-saved');

  const detail = await s.server.api(`/tracker/items/${encodeURIComponent(task.code)}?as_of=${today}`);
  const saved = detail.reports.find((r) => r.month === month);
  assert.equal(saved.percent, 45);
  assert.equal(saved.submitted_by, 'canbo.baocao');
  assert.equal(saved.attachments.length, 1);
  assert.equal(detail.percent, 45, 'the latest percent');
});

test('the assignment chain links a province task to the central task it came from, and back', async () => {
  const assigned = (await allItems('kind=task&level=province')).find((i) => i.parent);
  assert.ok(assigned, 'the demo assigns central tasks on to the province');
  const page = await s.newPage({ path: `/nq57/tasks/${encodeURIComponent(assigned.code)}` });
  const chain = page.getByTestId('nq57-chain-item');
  await chain.last().waitFor();
  assert.deepEqual(await chain.evaluateAll((lis) => lis.map((li) => li.dataset.code)).then((codes) => codes.slice(-2)), [assigned.parent, assigned.code]);
  assert.match(await chain.nth((await chain.count()) - 2).textContent(), /Trung ương giao/);
  await chain.nth((await chain.count()) - 2).getByRole('link').click();
  await page.waitForURL(new RegExp(`/nq57/tasks/${assigned.parent}$`));
  await page.locator(`[data-testid="nq57-child"][data-code="${assigned.code}"]`).waitFor();
});

test('a DoST officer adjusts a task: reason and approval are asked for next to their fields, then the history shows the adjustment', async () => {
  const task = (await allItems('kind=task&unit=80.SKHCN')).find((i) => i.state === 'in_progress' && i.deadline && !i.recurrence && !i.adjusted);
  assert.ok(task, 'DoST leads tasks in progress');
  const dost = await s.server.addUser('canbo.skhcn', 'officer', { unit: '80.SKHCN', displayName: 'Phạm Thị Thu' });
  const page = await s.newPage({ user: dost, path: `/nq57/tasks/${encodeURIComponent(task.code)}?as_of=${today}` });
  const panel = page.getByTestId('nq57-edit-panel');
  await panel.locator('summary').click();
  await page.getByTestId('nq57-edit-deadline').fill('2026-12-31');
  await page.getByTestId('nq57-edit-adjusting').waitFor();
  await page.getByTestId('nq57-edit-submit').click();
  await page.getByTestId('nq57-edit-error-reason').waitFor();
  assert.match(await page.getByTestId('nq57-edit-error-reason').textContent(), /lý do/);
  assert.match(await page.getByTestId('nq57-edit-error-approval').textContent(), /phê duyệt/);
  assert.equal(await page.getByTestId('nq57-edit-approval').getAttribute('aria-invalid'), 'true');

  await page.getByTestId('nq57-edit-reason').fill('Chờ kinh phí bổ sung năm 2026');
  await page.getByTestId('nq57-edit-submit').click();
  await page.getByTestId('nq57-edit-error-approval').waitFor();
  assert.ok(await page.getByTestId('nq57-edit-error-reason').isHidden(), 'the reason is given now');

  await page.getByTestId('nq57-edit-approval').fill('Văn bản số 4567/UBND-KT ngày 20/11/2026 của UBND tỉnh');
  await page.getByTestId('nq57-edit-submit').click();
  await page.getByTestId('nq57-edit-saved').waitFor();
  const newest = page.getByTestId('nq57-version').first();
  assert.equal(await newest.getAttribute('data-version'), String(task.version + 1));
  assert.equal(await newest.getAttribute('data-adjusted'), 'true');
  assert.match(await newest.getByTestId('nq57-version-reason').textContent(), /Chờ kinh phí bổ sung năm 2026/);
  assert.match(await newest.getByTestId('nq57-version-approval').textContent(), /4567\/UBND-KT/);
  assert.match(await newest.locator('tr[data-field="deadline"]').textContent(), /31\/12\/2026/);
  await page.getByTestId('nq57-item-adjusted').waitFor();
  await screenshot(page, 'nq57-adjusted');
  const after = await s.server.api(`/tracker/items/${encodeURIComponent(task.code)}?as_of=${today}`);
  assert.equal(after.deadline, '2026-12-31');
  assert.equal(after.history.at(-1).approval, 'Văn bản số 4567/UBND-KT ngày 20/11/2026 của UBND tỉnh');
});

test('the rankings list units with their on-time rates, sortable, with a chart', async () => {
  const page = await s.newPage({ path: `/nq57/ranking?as_of=${october}` });
  await page.getByRole('heading', { level: 1, name: 'Xếp hạng đơn vị' }).waitFor();
  const { ranking } = await s.server.api(`/tracker/summary?as_of=${october}`);
  assert.ok(ranking.length > 5, 'units are ranked');
  const rankRows = page.getByTestId('nq57-rank-row');
  assert.equal(await rankRows.count(), ranking.length);
  assert.equal(await rankRows.first().getAttribute('data-unit'), ranking[0].unit);
  const withTasks = ranking.find((r) => r.tasks_due > 0);
  const row = page.locator(`[data-testid="nq57-rank-row"][data-unit="${withTasks.unit}"]`);
  assert.equal((await row.getByTestId('nq57-rank-on-time').textContent()).trim(), rate.vi(withTasks.on_time_rate));
  const withReports = ranking.find((r) => r.reports_expected > 0);
  const row2 = page.locator(`[data-testid="nq57-rank-row"][data-unit="${withReports.unit}"]`);
  assert.equal((await row2.getByTestId('nq57-rank-report').textContent()).trim(), rate.vi(withReports.report_rate));
  await assertChart(page, 'chart-nq57-ranking');
  await screenshot(page, 'nq57-ranking');

  // By report timeliness, best first.
  await page.getByTestId('nq57-sort-report_rate').click();
  await page.waitForURL(/sort=report_rate&dir=desc/);
  const best = Math.max(...ranking.map((r) => r.report_rate));
  const top = await rankRows.first().getAttribute('data-unit');
  assert.equal(ranking.find((r) => r.unit === top).report_rate, best);
  await page.getByTestId('nq57-sort-report_rate').click();
  await page.waitForURL(/sort=report_rate&dir=asc/);
  const worst = Math.min(...ranking.map((r) => r.report_rate));
  const bottom = await rankRows.first().getAttribute('data-unit');
  assert.equal(ranking.find((r) => r.unit === bottom).report_rate, worst);
});

test('the overdue lists and the month’s report obligations come from the server', async () => {
  const page = await s.newPage();
  const oct = await s.server.api(`/tracker/summary?as_of=${october}`);
  await page.goto(`/nq57/overdue?as_of=${october}`);
  await page.getByRole('heading', { level: 1, name: 'Quá hạn và sắp đến hạn' }).waitFor();
  assert.equal(await page.getByTestId('nq57-overdue-row').count(), oct.overdue.length);
  assert.equal(await page.getByTestId('nq57-due-soon-row').count(), oct.due_soon.length);
  if (oct.overdue.length) assert.equal(await page.getByTestId('nq57-overdue-row').first().getAttribute('data-code'), [...oct.overdue].sort((a, b) => a.deadline.localeCompare(b.deadline) || a.code.localeCompare(b.code))[0].code);

  const september = await s.server.api(`/tracker/reports?month=2025-09&as_of=${october}`);
  assert.ok(september.items.length > 0, 'reports were owed for September 2025');
  await page.goto(`/nq57/reports?month=2025-09&as_of=${october}`);
  await page.getByRole('heading', { level: 1, name: 'Báo cáo tiến độ hằng tháng' }).waitFor();
  const obligations = page.getByTestId('nq57-obligation-row');
  assert.equal(await obligations.count(), september.items.length);
  for (const k of ['on_time', 'late', 'missing']) {
    const n = september.items.filter((o) => o.timeliness === k).length;
    assert.match(await page.getByTestId(`nq57-reports-count-${k}`).textContent(), new RegExp(`^${n}\\D`), k);
  }
  assert.ok(september.items.some((o) => o.timeliness === 'late' || o.timeliness === 'missing'), 'some units report late or not at all');
  await screenshot(page, 'nq57-reports');

  await page.getByLabel('Tình trạng nộp').selectOption('missing');
  await page.waitForURL(/timeliness=missing/);
  const missing = september.items.filter((o) => o.timeliness === 'missing').length;
  assert.equal(await obligations.count(), missing);
  if (missing) assert.deepEqual([...new Set(await obligations.evaluateAll((trs) => trs.map((tr) => tr.dataset.timeliness)))], ['missing']);
});

test('on a narrow screen the board and the list scroll inside their cards, not the page', async () => {
  const page = await s.newPage({ width: 390, height: 844, path: `/nq57?as_of=${october}` });
  await page.getByTestId('nq57-central-tasks').waitFor();
  await assertChart(page, 'chart-nq57-units');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal page scrolling on the board (${overflow}px)`);
  await screenshot(page, 'nq57-mobile');
  await page.goto('/nq57/tasks');
  await listSettled(page);
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow2 <= 0, `no horizontal page scrolling on the list (${overflow2}px)`);
});
