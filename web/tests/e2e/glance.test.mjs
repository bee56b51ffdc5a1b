// The leaders' IOC at a glance: one as-of date chosen in the header holds on every page a leader
// moves to (overview → Resolution 57 board → catalog summary), in the address, the header and the
// figures; a commune's light says that it judges the year to date and its forecast is the
// commune's own; a table leaves the screen as CSV and XLSX with the screen's values, the records
// browser its whole selection, a chart as PNG; print shows the date and the source without the
// menu; and at 768 px the navigation opens from a menu button with every item reachable.
// One signed-in page goes through all of it.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { after, before, test } from 'node:test';
import { chooseAsOf, fmt, session } from './browser.mjs';

let s;
let page;
before(async () => {
  s = await session();
  page = await s.newPage();
});
after(() => s?.end());

const june = '2025-06-30';
const juneVi = '30/06/2025';
const text = async (locator) => (await locator.textContent()).trim();
/** The page has loaded its figures (it says so with aria-busy while loading). */
const loaded = () => page.locator('[data-testid="page"]:not([aria-busy])').waitFor();

/** Clicks `button` and resolves to the download it starts: its suggested name and its bytes. */
async function download(button) {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(tmpdir(), `pdh-e2e-${process.pid}-${d.suggestedFilename()}`);
  await d.saveAs(path);
  return { name: d.suggestedFilename(), bytes: await readFile(path) };
}

/** RFC 4180 CSV: rows of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(src) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && src[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

/** The entries of a ZIP whose entries are stored (not compressed), each checked against its CRC-32. */
function unzipStored(buf) {
  const files = new Map();
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    const method = buf.readUInt16LE(at + 8);
    const crc = buf.readUInt32LE(at + 14);
    const size = buf.readUInt32LE(at + 18);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    const name = buf.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const data = buf.subarray(at + 30 + nameLength + extraLength, at + 30 + nameLength + extraLength + size);
    assert.equal(method, 0, `${name} is stored`);
    assert.equal(crc32(data), crc, `${name}: its CRC-32`);
    files.set(name, data.toString('utf8'));
    at += 30 + nameLength + extraLength + size;
  }
  assert.equal(buf.readUInt32LE(at), 0x02014b50, 'the central directory follows the entries');
  return files;
}

/** A sheet's cells by reference ("B2"): numbers as numbers, inline strings as text. */
function sheetCells(xml) {
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const cells = new Map();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*)>(.*?)<\/c>/g)) {
    const [, ref, attrs, inner] = m;
    if (/t="inlineStr"/.test(attrs)) cells.set(ref, unescape(/<t[^>]*>(.*?)<\/t>/.exec(inner)[1]));
    else cells.set(ref, Number(/<v>(.*?)<\/v>/.exec(inner)[1]));
  }
  return cells;
}

/** "54,22 %" → 54.22, "1.234" → 1234: a number as the Vietnamese screen writes it. */
const viNumber = (s) => Number(s.replace(/\s*%$/, '').replace(/\./g, '').replace(',', '.'));

/** Each row's cells as the screen shows them. */
const screenRows = (table) =>
  table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.innerText.replace(/\s+/g, ' ').trim())));

test('one date, chosen in the header, holds from the overview to the board and the catalog summary', async () => {
  assert.equal(new URL(page.url()).pathname, '/');
  const { as_of: ioc } = await s.server.api('/info');
  assert.equal(await page.getByTestId('asof-date').getAttribute('data-date'), ioc, "the IOC's date when the address has none");

  await chooseAsOf(page, june);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await text(page.getByTestId('asof-date')), juneVi);
  assert.match(await text(page.getByTestId('ioc-asof-shown')), new RegExp(juneVi));
  // The navigation's links carry the date (for a new tab too).
  assert.equal(await page.getByTestId('nav-tracker').getAttribute('href'), `/nq57?as_of=${june}`);

  await page.getByTestId('nav-tracker').click();
  await page.waitForURL((url) => url.pathname === '/nq57' && url.searchParams.get('as_of') === june);
  await loaded();
  assert.equal(await text(page.getByTestId('asof-date')), juneVi);
  assert.match(await text(page.getByTestId('nq57-asof-shown')), new RegExp(juneVi));
  const board = await s.server.api(`/tracker/summary?as_of=${june}`);
  assert.equal(await text(page.getByTestId('nq57-central-completed')), fmt.vi(board.by_level.central.tasks.completed), "the board's figures are June's");

  // The catalog, then its summary through the page's own tab (an in-page link without the date).
  await page.getByTestId('nav-catalog').click();
  await page.waitForURL((url) => url.pathname === '/catalog' && url.searchParams.get('as_of') === june);
  assert.equal(await page.getByTestId('catalog-tab-summary').getAttribute('href'), '/catalog/summary');
  await page.getByTestId('catalog-tab-summary').click();
  await page.waitForURL((url) => url.pathname === '/catalog/summary' && url.searchParams.get('as_of') === june);
  await loaded();
  assert.equal(await text(page.getByTestId('asof-date')), juneVi);
  assert.match(await text(page.getByTestId('catalog-summary-date')), new RegExp(juneVi));
  const catalog = await s.server.api(`/catalog/summary?as_of=${june}`);
  assert.equal(await text(page.getByTestId('summary-in-use')), fmt.vi(catalog.total.databases_in_use), "the catalog's figures are June's");
});

test("a table leaves the screen as CSV and XLSX with the screen's values, a chart as PNG", async () => {
  await page.goBack();
  await page.goBack();
  await page.waitForURL((url) => url.pathname === '/nq57' && url.searchParams.get('as_of') === june);
  const table = page.getByTestId('nq57-unit-table');
  await table.locator('tbody tr').first().waitFor();
  const headers = await table.locator('thead th').evaluateAll((ths) => ths.map((th) => th.innerText.replace(/\s+/g, ' ').trim()));
  const shown = await screenRows(table);
  assert.ok(shown.length > 5, 'the board has figures by unit');

  const csv = await download(page.getByTestId('nq57-unit-table-export-csv'));
  assert.equal(csv.name, `nq57_nq57-unit-table_${june}.csv`, 'named after the page, the table and the date');
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark');
  const [head, ...rows] = parseCsv(csv.bytes.toString('utf8').slice(1));
  assert.deepEqual(head, headers, 'the headers as on screen');
  assert.deepEqual(rows, shown, 'the rows as on screen');

  const xlsx = await download(page.getByTestId('nq57-unit-table-export-xlsx'));
  assert.equal(xlsx.name, `nq57_nq57-unit-table_${june}.xlsx`);
  const files = unzipStored(xlsx.bytes);
  for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/styles.xml']) {
    assert.ok(files.has(part), `the workbook has ${part}`);
  }
  const cells = sheetCells(files.get('xl/worksheets/sheet1.xml'));
  const column = (i) => String.fromCharCode(65 + i);
  headers.forEach((h, i) => assert.equal(cells.get(`${column(i)}1`), h, `header ${i + 1}`));
  shown.forEach((row, y) =>
    row.forEach((value, x) => {
      const cell = cells.get(`${column(x)}${y + 2}`);
      if (x === 0) assert.equal(cell, value, `row ${y + 2}: the unit`);
      else if (value === '—') assert.equal(cell, value, `row ${y + 2}, column ${x + 1}`);
      else assert.equal(cell, viNumber(value), `row ${y + 2}, column ${x + 1}: ${value} as a number`);
    }),
  );

  const png = await download(page.getByTestId('chart-nq57-status-png'));
  assert.equal(png.name, `nq57_chart-nq57-status_${june}.png`);
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  assert.ok(png.bytes.length > 5000, 'with a drawing in it');
});

test('print leaves out the menu and the session time, and says the date and the source', async () => {
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.getByTestId('sidenav').isVisible(), false, 'no menu');
    assert.equal(await page.getByTestId('session-time').isVisible(), false, 'no session time');
    assert.equal(await page.getByTestId('asof-menu').isVisible(), false, "no header controls");
    assert.equal(await page.getByTestId('nq57-unit-table-export').isVisible(), false, 'no download buttons');
    assert.ok(await page.getByTestId('print-head').isVisible(), 'the print head');
    assert.match(await text(page.getByTestId('print-asof')), new RegExp(`Số liệu tính đến ngày ${juneVi}`));
    const source = await text(page.getByTestId('print-source'));
    assert.ok(source.startsWith('Nguồn: Kho dữ liệu tỉnh Tây Ninh/pdh'), source);
    assert.ok(source.includes(page.url()), 'and the address');
    assert.ok(await page.getByTestId('chart-nq57-status').isVisible(), 'charts print');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test("a commune's light says it judges the year to date, and its forecast is the commune's", async (t) => {
  const { figures } = await s.server.api('/overview');
  const code = figures.find((f) => f.key === 'online_submission')?.indicator;
  assert.ok(code, 'the online-submission figure is an indicator');
  const province = await s.server.api(`/values?indicator=${code}&children=true&as_of=${june}`);
  const commune = province.children.find((c) => c.level === 'commune' && c.value != null);
  const values = await s.server.api(`/values?indicator=${code}&unit=${commune.code}&as_of=${june}`);
  const detail = await s.server.api(`/indicators/${code}?unit=${commune.code}&as_of=${june}`);

  // In from the province's page, a commune's row (the page keeps the header's date).
  await page.goto(`/indicators/${code}?as_of=${june}`);
  await page.locator(`[data-testid="indicator-child-row"][data-code="${commune.code}"] th a`).click();
  await page.waitForURL((url) => url.searchParams.get('unit') === commune.code && url.searchParams.get('as_of') === june);
  await page.locator('#indicator-value-h', { hasText: commune.name }).waitFor();
  const target = page.getByTestId('indicator-target');

  // The "?" beside the light explains it, thresholds and all.
  await page.getByTestId('indicator-light-help').click();
  assert.match(await text(page.getByTestId('indicator-light-help-text')), /Xanh khi tỷ lệ đạt từ .+ %/);

  if (values.judged?.basis !== 'ytd') {
    t.diagnostic('the server does not say what the light judges (no judged.basis "ytd")');
  } else {
    const judged = await text(target.getByTestId('light-judged'));
    assert.match(judged, /lũy kế năm: /);
    assert.ok(judged.includes(new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(values.judged.value)), judged);
  }
  if (!detail.projection?.unit) {
    t.diagnostic("the server does not project a unit's own year");
  } else {
    assert.equal(detail.projection.unit, commune.code);
    assert.ok((await text(page.getByTestId('indicator-projection'))).includes(commune.name), "the forecast names the commune");
    await page.getByTestId('indicator-projection-help').click();
    assert.match(await text(page.getByTestId('indicator-projection-help-text')), /Dự báo cuối năm/);
  }
});

test("the records browser downloads its whole selection, not only the page it shows", async () => {
  const unit = '25732';
  await page.goto(`/datasets/feedback_1022/data?unit=${unit}&as_of=${june}`);
  await page.getByTestId('dataset-record').first().waitFor();
  const total = Number(await page.getByTestId('dataset-records-total').getAttribute('data-total'));
  const shown = await page.getByTestId('dataset-record').count();
  assert.ok(total > shown, `more records (${total}) than one page (${shown})`);
  const csv = await download(page.getByTestId('dataset-records-export-csv'));
  assert.equal(csv.name, `datasets-feedback-1022-data_dataset-records_${june}.csv`);
  const [head, ...rows] = parseCsv(csv.bytes.toString('utf8').slice(1));
  assert.equal(rows.length, total, 'every record of the selection');
  assert.equal(head.length, rows[0].length);
  const firstKey = await page.getByTestId('dataset-record').first().getAttribute('data-key');
  assert.ok(rows[0].includes(firstKey), 'in the shown order');
});

test('at 768 px the navigation opens from a menu button, every item reachable, nothing wider than the screen', async () => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`/nq57?as_of=${june}`);
  await loaded();
  const toggle = page.getByTestId('nav-toggle');
  assert.ok(await toggle.isVisible(), 'the menu button');
  assert.equal(await page.getByTestId('sidenav').isVisible(), false, 'the navigation waits behind it');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const links = page.getByTestId('sidenav').locator('a');
  const count = await links.count();
  assert.ok(count >= 12, `the leader's ${count} pages`);
  for (let i = 0; i < count; i++) {
    const link = links.nth(i);
    assert.ok(await link.isVisible(), `${await link.textContent()} is shown`);
    const box = await link.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 768 && box.height < 60, `${await link.textContent()} fits (${JSON.stringify(box)})`);
  }
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.body.scrollWidth]);
  assert.ok(widths.every((w) => w <= 768), `no horizontal overflow (${widths})`);
  // An item leads on, with the date, and the menu closes.
  await page.getByTestId('nav-indicators').click();
  await page.waitForURL((url) => url.pathname === '/indicators' && url.searchParams.get('as_of') === june);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByTestId('sidenav').isVisible(), false);
  await loaded();
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 768, 'the indicators fit too');
});
