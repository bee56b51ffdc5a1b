// Consolidation (M4): the demo's project "ncc" joins the registers of persons with meritorious
// service that old Long An and old Tây Ninh kept, run as far as the review queue. A leader sees
// the project in the list and cannot decide a pair (the server refuses: the error banner); the
// administrator accepts the first pending pair with the key A, reads which cluster both records
// are now in while the pending count drops by one, and finds that cluster of two on the golden
// records page (each field's value with the record it comes from), then by searching.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expected, fmt, screenshot, session, signInAdmin } from './browser.mjs';

let s;
let first; // the first pending pair, as the API gives it
before(async () => {
  s = await session();
  const queue = await s.server.api('/link/projects/ncc/queue?status=pending&limit=1');
  first = queue.items[0];
  assert.ok(first, 'the demo project has pairs waiting for review');
});
// Provoked on purpose: the leader's decision, which the server refuses (no datasets.write).
after(() => s?.end(expected([403], `/link/projects/ncc/queue/${first?.id}/decision`)));

/** The id of a record in its source: "ncc_long_an_cu:LA-000123" → "LA-000123". */
const idOf = (key) => key.slice(key.indexOf(':') + 1);
const pending = async (page) => Number(await page.getByTestId('link-review-pending').getAttribute('data-value'));
const shownPair = async (page) => Number(await page.getByTestId('link-review-pair').getAttribute('data-id'));

test('the list shows the demo project with its sources, status and pairs to review', async () => {
  const { items } = await s.server.api('/link/projects');
  const ncc = items.find((p) => p.code === 'ncc');
  assert.ok(ncc, 'the demo creates the project ncc');
  assert.deepEqual([...ncc.sources].sort(), ['ncc_long_an_cu', 'ncc_tay_ninh_cu']);
  assert.equal(ncc.status, 'review');

  const page = await s.newPage();
  await page.getByTestId('nav-link').click();
  await page.getByRole('heading', { level: 1, name: 'Hợp nhất dữ liệu' }).waitFor();
  assert.equal(await page.getByTestId('nav-link').getAttribute('aria-current'), 'page');
  const row = page.locator('[data-testid="link-project-row"][data-code="ncc"]');
  assert.equal(await row.getByTestId('link-project-link').textContent(), ncc.title);
  assert.match(await row.getByTestId('link-project-sources').textContent(), /ncc_long_an_cu.*ncc_tay_ninh_cu|ncc_tay_ninh_cu.*ncc_long_an_cu/);
  assert.equal((await row.getByTestId('link-status').textContent()).trim(), 'Đang rà soát');
  assert.equal((await row.getByTestId('link-project-pending').textContent()).trim(), fmt.vi(ncc.queue.pending), 'counted the Vietnamese way');
  await screenshot(page, 'link-list');

  // The project page: its mapping and the merge report of the run.
  await row.getByTestId('link-project-link').click();
  await page.waitForURL(/\/link\/ncc$/);
  await page.locator('[data-testid="link-field"][data-name]').first().waitFor();
  await page.getByTestId('link-report').waitFor();
  await page.getByTestId('link-histogram').locator('svg').first().waitFor();
  await screenshot(page, 'link-project');
});

test('a leader reads the review queue but cannot decide: the server refuses and the banner says so', async () => {
  const page = await s.newPage();
  await page.goto('/link/ncc/review');
  await page.locator(`[data-testid="link-review-pair"][data-id="${first.id}"]`).waitFor();
  const before = await pending(page);
  await page.keyboard.press('a');
  const banner = page.getByTestId('error-banner');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('data-code'), 'auth.forbidden');
  assert.match(await banner.textContent(), /chỉ được xem/);
  assert.equal(await pending(page), before, 'nothing was decided');
  assert.equal(await shownPair(page), first.id);
});

test('the administrator accepts the first pair with the key A and finds the cluster of both records', async () => {
  const page = await s.newPage({ user: null });
  await signInAdmin(page, s.server.admin);
  await page.goto('/link/ncc/review');
  const pair = page.locator(`[data-testid="link-review-pair"][data-id="${first.id}"]`);
  await pair.waitFor();
  assert.match(await page.getByTestId('link-review-shortcuts').textContent(), /A.*Đồng ý là một.*R.*Không phải.*S.*Bỏ qua.*J.*K/);
  assert.ok((await pair.getByTestId('link-review-field').count()) > 0, 'the fields side by side');
  assert.ok((await pair.locator('[data-testid="link-waterfall-bar"]').count()) >= 3, 'a waterfall: prior, comparisons, total');
  assert.equal(await pair.getByTestId('link-review-a').locator('code').textContent(), idOf(first.a.key));
  assert.equal(await pair.getByTestId('link-review-b').locator('code').textContent(), idOf(first.b.key));
  const before = await pending(page);
  await screenshot(page, 'link-review');

  await page.keyboard.press('a');
  const line = page.getByTestId('link-review-cluster').locator('[data-decision="accept"]');
  await line.waitFor();
  const text = await line.textContent();
  assert.ok(text.includes(idOf(first.a.key)) && text.includes(idOf(first.b.key)), `the line names both records: ${text}`);
  const cluster = await line.getAttribute('data-cluster');
  const members = (await line.getAttribute('data-members')).split(' ');
  assert.ok(members.includes(first.a.key) && members.includes(first.b.key));
  await page.waitForFunction((n) => document.querySelector('[data-testid="link-review-pending"]')?.getAttribute('data-value') === String(n), before - 1);
  if (before > 1) assert.notEqual(await shownPair(page), first.id, 'the next pending pair comes up');
  await screenshot(page, 'link-review-accepted');

  // The server agrees: the pair is accepted.
  const decided = await s.server.api(`/link/projects/ncc/queue/${first.id}`);
  assert.equal(decided.status, 'accepted');

  // The cluster on the golden records page: both records, and where each value comes from.
  await line.getByTestId('link-review-cluster-link').click();
  await page.waitForURL(/\/link\/ncc\/clusters\?cluster=/);
  const card = page.getByTestId('link-cluster-opened').locator(`[data-testid="link-cluster"][data-id="${cluster}"]`);
  await card.waitFor();
  assert.equal(await card.getAttribute('data-size'), String(members.length));
  const keys = await card.getByTestId('link-member').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
  assert.deepEqual([...keys].sort(), [...members].sort());
  if (members.length === 2) assert.equal(keys.length, 2, 'a cluster of two');
  const sources = await card.getByTestId('link-golden-source').allTextContents();
  const labels = [first.a.label, first.b.label];
  assert.ok(
    sources.some((t) => labels.some((l) => t.startsWith(`từ ${l} `))),
    `provenance names a source: ${sources.join(' | ')}`,
  );
  await screenshot(page, 'link-cluster');

  // The search finds it by a record's id.
  await page.getByLabel('Tìm theo tên, mã hồ sơ, mã cụm').fill(idOf(first.b.key));
  await page.getByTestId('link-clusters-submit').click();
  await page.waitForURL((url) => url.searchParams.get('q') === idOf(first.b.key));
  await page.getByTestId('link-clusters').locator(`[data-testid="link-cluster"][data-id="${cluster}"]`).waitFor();
});
