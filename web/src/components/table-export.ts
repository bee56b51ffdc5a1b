// Every data table of the app can leave the screen: a bar above it with "Tải CSV" and "Tải Excel
// (XLSX)" that saves its rows as the page has them filtered, with the headers as the screen shows
// them in the reader's language, in a file named after the page, the table and the app's as-of
// date. Tables get their bar by themselves once they are in the page (attachTableExports); a page
// that shows only part of its rows (a first page of a long list) says where all of them come from
// (exportSource). Cells are read as the screen writes them; a cell of a number column (class
// "num") is a number in the spreadsheet.

import { currentAsOf } from '../as-of';
import { h } from '../dom';
import { download, fileSlug, toCsv, toXlsx, type Cell, type Sheet } from '../export';
import { fmtInt, lang, t } from '../i18n';
import { showError } from '../shell';

/** Rows to export; `truncated` when there were more than an export takes (exportLimit). */
export type ExportRows = HTMLElement[] | { rows: HTMLElement[]; truncated: boolean };

/** What an export holds: the headers and rows, and whether rows were left out (exportLimit). */
export type ExportContent = Omit<Sheet, 'title'> & { truncated?: boolean };

/** The rows (and, when the page knows better than its table, the whole sheet) to export. */
export interface ExportSource {
  /** Every row as the table would draw it (e.g. all of a list's filtered rows, not the shown page). */
  rows?: () => ExportRows | Promise<ExportRows>;
  /** The headers and rows themselves. */
  sheet?: () => ExportContent | Promise<ExportContent>;
}

/** The most rows one export takes from a list the server pages (the rest: filter further). */
export const exportLimit = 20_000;

/**
 * Every item of a list the server pages by cursor, as `fetch` reads them (the first page when the
 * cursor is unset), up to exportLimit.
 */
export async function allPages<R>(fetch: (cursor?: string) => Promise<{ items: R[]; next: string | null }>): Promise<{ items: R[]; truncated: boolean }> {
  const items: R[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetch(cursor);
    items.push(...page.items);
    if (!page.next || page.items.length === 0) return { items: items.slice(0, exportLimit), truncated: items.length > exportLimit };
    if (items.length >= exportLimit) return { items: items.slice(0, exportLimit), truncated: true };
    cursor = page.next;
  }
}

const sources = new WeakMap<HTMLElement, ExportSource>();

/** Says where all of a table's rows come from when it shows only some of them (`el`: the table or its body). */
export function exportSource(el: HTMLElement, source: ExportSource): void {
  sources.set(el, source);
}

const sourceOf = (table: HTMLTableElement): ExportSource | undefined =>
  sources.get(table) ?? [...table.tBodies].map((b) => sources.get(b)).find(Boolean);

const blocks = new Set(['DIV', 'P', 'UL', 'OL', 'LI', 'DL', 'DT', 'DD']);

/** A cell's text as the screen shows it: decorations (aria-hidden), help and screen-reader-only text left out, lines joined. */
export function visibleText(el: Element): string {
  let out = '';
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      out += node.textContent ?? '';
      return;
    }
    if (!(node instanceof Element)) return;
    if (node.getAttribute('aria-hidden') === 'true' || node.matches('.help, .visually-hidden, [data-export-skip], script, style, button.chip-remove')) return;
    if (node.tagName === 'BR') {
      out += '\n';
      return;
    }
    if (blocks.has(node.tagName) && out && !out.endsWith('\n')) out += '\n';
    node.childNodes.forEach(walk);
  };
  el.childNodes.forEach(walk);
  return out
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' · ');
}

/** A number the reader's way ("3.254.170", "60,38 %", "-17,9"; "60.38%" in English), or null. */
export function parseShownNumber(text: string, language = lang()): { n: number; percent: boolean } | null {
  const s = text.replace(/\u00a0|\u202f/g, ' ').trim();
  const m = /^([-−+]?)([\d.,\s]*\d)\s*(%?)$/.exec(s);
  if (!m) return null;
  const [group, decimal] = language === 'vi' ? ['.', ','] : [',', '.'];
  let digits = m[2].replace(/\s/g, '');
  // Groups of three between the separators, or it is no number of ours.
  const [whole, fraction, extra] = digits.split(decimal);
  if (extra !== undefined) return null;
  if (whole.includes(group) && !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(whole)) return null;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return null;
  digits = whole.split(group).join('') + (fraction !== undefined ? `.${fraction}` : '');
  const n = Number(digits) * (m[1] === '-' || m[1] === '−' ? -1 : 1);
  return Number.isFinite(n) ? { n, percent: m[3] === '%' } : null;
}

/** One cell: a number where the column holds numbers (its data-value when it has one), else its text. */
function cellOf(td: HTMLTableCellElement): Cell {
  const text = visibleText(td);
  if (!td.classList.contains('num')) return text;
  const raw = td.dataset.value;
  if (raw !== undefined && raw !== '' && Number.isFinite(Number(raw))) return { n: Number(raw), text, percent: /%$/.test(text) };
  const parsed = parseShownNumber(text);
  return parsed ? { ...parsed, text } : text;
}

/** The header's cells, spans spread over their columns; two header rows are joined ("Báo cáo – Đúng hạn"). */
function headersOf(table: HTMLTableElement): string[] {
  const rows = [...(table.tHead?.rows ?? [])];
  if (rows.length === 0) return [];
  const grid: string[][] = rows.map((r) => [...r.cells].flatMap((c) => Array.from({ length: c.colSpan || 1 }, () => visibleText(c))));
  const width = Math.max(...grid.map((r) => r.length));
  return Array.from({ length: width }, (_, i) => [...new Set(grid.map((r) => r[i] ?? '').filter(Boolean))].join(' – '));
}

/** A row's cells, unless it only says there is nothing to show. */
function rowCells(tr: HTMLTableRowElement): Cell[] | null {
  const cells = [...tr.cells];
  if (cells.length === 1 && (cells[0].classList.contains('empty') || cells[0].colSpan > 1)) return null;
  return cells.flatMap((c) => {
    const v = cellOf(c);
    return [v, ...Array.from({ length: (c.colSpan || 1) - 1 }, () => '')];
  });
}

/** The table's content: its headers and the rows given (default: its body's and foot's). */
export function tableSheet(table: HTMLTableElement, rows?: HTMLElement[]): ExportContent {
  const body = rows?.filter((r): r is HTMLTableRowElement => r instanceof HTMLTableRowElement) ?? [...table.tBodies].flatMap((b) => [...b.rows]);
  const foot = rows ? [] : [...(table.tFoot?.rows ?? [])];
  return { headers: headersOf(table), rows: [...body, ...foot].map(rowCells).filter((r): r is Cell[] => r !== null) };
}

/** What the table is called: its caption, else the heading of its section, else the page's. */
function titleOf(table: HTMLTableElement): string {
  const caption = table.caption?.textContent?.trim();
  if (caption) return caption;
  const section = table.closest('section');
  const heading = section?.querySelector('h2, h3')?.textContent?.trim();
  return heading || document.querySelector('h1')?.textContent?.trim() || 'pdh';
}

/** "nq57_nq57-unit-table_2025-10-31": the page, the table and the as-of date. */
export function exportFileBase(tableId: string): string {
  const page = fileSlug(location.pathname.split('/').filter(Boolean).map(decodeURIComponent).join('-')) || 'tong-quan';
  const parts = [page, tableId && !page.endsWith(tableId) ? fileSlug(tableId) : '', currentAsOf()].filter(Boolean);
  return parts.join('_');
}

/**
 * The export bar: a CSV and an XLSX button over `sheet` (read when pressed). `testid` starts the
 * buttons' test ids (`${testid}-csv`, `${testid}-xlsx`).
 */
export function exportBar(o: { testid: string; title: () => string; file: () => string; sheet: () => ExportContent | Promise<ExportContent> }): HTMLElement {
  const status = h('span', { class: 'muted small', role: 'status' });
  const button = (kind: 'csv' | 'xlsx') => {
    const b = h(
      'button',
      { type: 'button', class: 'button button-secondary button-small', 'data-testid': `${o.testid}-${kind}`, title: t(kind === 'csv' ? 'export.csvTitle' : 'export.xlsxTitle') },
      h('span', { 'aria-hidden': 'true' }, '⤓ '),
      t(kind === 'csv' ? 'export.csv' : 'export.xlsx'),
    );
    b.addEventListener('click', async () => {
      b.disabled = true;
      status.textContent = t('export.preparing');
      try {
        const content = await o.sheet();
        const sheet = { title: o.title(), headers: content.headers, rows: content.rows };
        download(kind === 'csv' ? toCsv(sheet) : toXlsx(sheet), `${o.file()}.${kind}`);
        status.textContent = t(content.truncated ? 'export.tooMany' : 'export.done', { n: fmtInt(content.rows.length) });
      } catch (err) {
        status.textContent = '';
        showError(err);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  return h('div', { class: 'table-export', role: 'group', 'aria-label': t('export.label'), 'data-testid': o.testid }, status, button('csv'), button('xlsx'));
}

/** The bar of one table, placed above it (above the box that scrolls it, when there is one). */
function attach(table: HTMLTableElement): void {
  const anchor = (table.closest('.table-wrap') as HTMLElement | null) ?? table;
  if (!anchor.parentElement) return;
  table.dataset.exportReady = 'true';
  const id = table.dataset.testid ?? '';
  const bar = exportBar({
    testid: `${id || 'table'}-export`,
    title: () => titleOf(table),
    file: () => exportFileBase(id),
    sheet: async () => {
      const source = sourceOf(table);
      if (source?.sheet) return source.sheet();
      if (!source?.rows) return tableSheet(table);
      const got = await source.rows();
      const { rows, truncated } = Array.isArray(got) ? { rows: got, truncated: false } : got;
      return { ...tableSheet(table, rows), truncated };
    },
  });
  anchor.before(bar);
}

/** Gives every data table that appears in `root` its export bar (tables marked data-export="off" are left alone). */
export function attachTableExports(root: HTMLElement): void {
  let pending = false;
  const scan = () => {
    pending = false;
    root.querySelectorAll<HTMLTableElement>('table:not([data-export-ready]):not([data-export="off"])').forEach((table) => {
      if (table.tHead) attach(table);
    });
  };
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    queueMicrotask(scan);
  }).observe(root, { childList: true, subtree: true });
  scan();
}
