// The list page every versioned register shows (the catalog, the Resolution 57 register, …): filters
// kept in the address, a select per filter, rows paged by the server's cursor with a search that
// waits for the typing to stop, and the import panel (a CSV or XLSX file, checked only or written,
// with its report and row errors). The page says what its rows and filters are; ids and test ids
// start with its `id`.

import { withAsOf } from '../as-of';
import { allPages, exportSource } from './table-export';
import { h, mount } from '../dom';
import { busy, field, formMessage, input, type Control } from '../forms';
import { fmtInt, t, type Key } from '../i18n';
import type { ImportFormat, ImportReport } from '../register-api';
import { showError } from '../shell';

/** Filters by name, as the address and the API's query string carry them. */
export type Filters<K extends string> = Record<K, string>;

/** The set filters (trimmed) as a query string. */
export function filterParams<K extends string>(keys: readonly K[], f: Filters<K>): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of keys) if (f[k].trim()) p.set(k, f[k].trim());
  return p;
}

/** Puts the filters in the address without a new history entry. */
export function writeFilters<K extends string>(keys: readonly K[], f: Filters<K>): void {
  const query = filterParams(keys, f).toString();
  history.replaceState(null, '', withAsOf(`${location.pathname}${query ? `?${query}` : ''}`));
}

/** The API's query: the filters, one page of `pageSize`, after `cursor`. */
export function pageQuery<K extends string>(keys: readonly K[], f: Filters<K>, pageSize: number, cursor?: string): URLSearchParams {
  const p = filterParams(keys, f);
  p.set('limit', String(pageSize));
  if (cursor) p.set('cursor', cursor);
  return p;
}

/** A filter's choices; a value from the address that is not among them (any more) is offered too. */
export function select(id: string, options: [string, string][], value: string, allLabel: string): HTMLSelectElement {
  const all: [string, string][] = value && !options.some(([v]) => v === value) ? [...options, [value, value]] : options;
  const el = h('select', { id, name: id }, h('option', { value: '' }, allLabel), all.map(([v, label]) => h('option', { value: v }, label)));
  el.value = value;
  return el;
}

/** The list's table: a hidden caption, a head of translated column names (each with its class, '' for none), and the body the rows go into. */
export function listTable(attrs: { class: string; testid: string }, caption: string, columns: [Key, string][], tbody: HTMLElement): HTMLElement {
  return h(
    'table',
    { class: attrs.class, 'data-testid': attrs.testid },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map(([key, cls]) => h('th', { scope: 'col', class: cls || null }, t(key))))),
    tbody,
  );
}

/** The button that clears the filters: `clear` empties them and their fields, then the list reloads. */
export function resetButton(testid: string, label: string, clear: () => void, reload: () => Promise<void>): HTMLButtonElement {
  const reset = h('button', { type: 'button', class: 'link-button', 'data-testid': testid }, label);
  reset.addEventListener('click', () => {
    clear();
    void reload();
  });
  return reset;
}

/** The filter bar: each field with its label, then `reset`; submitting it (Enter in the search box) calls `onSubmit` at once. */
export function filterForm(cls: string, fields: [string, Control][], reset: HTMLElement, onSubmit: () => void): HTMLFormElement {
  return h(
    'form',
    {
      class: cls,
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        onSubmit();
      },
    },
    fields.map(([label, el]) => field(label, el)),
    h('p', { class: 'toolbar-end' }, reset),
  );
}

export interface Page<R> {
  items: R[];
  next: string | null;
}

export interface PagedRowsOptions<R> {
  signal: AbortSignal;
  /** The first page, as the page was loaded with. */
  first: Page<R>;
  /** Reads the page after `cursor` (the first when unset) with the filters as they are now. */
  fetch: (cursor?: string) => Promise<Page<R>>;
  row: (r: R) => HTMLElement;
  cols: number;
  /** The list's texts: none matches; n shown; n shown and more to come. */
  texts: { noMatch: Key; shown: Key; shownMore: Key };
  tbody: HTMLElement;
  tableWrap: HTMLElement;
  count: HTMLElement;
  more: HTMLButtonElement;
  /** Called before each reload (to write the filters into the address). */
  beforeReload?: () => void;
  /** Called after the rows are drawn. */
  afterRender?: () => void;
}

/** The rows of a paged list: drawn, reloaded when the filters change (the latest reload wins), and grown by "more". */
export function pagedRows<R>(o: PagedRowsOptions<R>): { render: () => void; reload: () => Promise<void> } {
  let items = o.first.items;
  let next = o.first.next;
  let seq = 0;

  function render(): void {
    mount(o.tbody, items.length === 0 ? h('tr', {}, h('td', { colspan: o.cols, class: 'empty' }, t(o.texts.noMatch))) : items.map(o.row));
    o.count.textContent = t(next ? o.texts.shownMore : o.texts.shown, { shown: fmtInt(items.length) });
    o.more.hidden = !next;
    o.afterRender?.();
  }

  async function reload(): Promise<void> {
    o.beforeReload?.();
    const mine = ++seq;
    o.tableWrap.setAttribute('aria-busy', 'true');
    try {
      const page = await o.fetch();
      if (o.signal.aborted || mine !== seq) return;
      items = page.items;
      next = page.next;
      render();
    } catch (err) {
      if (!o.signal.aborted && mine === seq) showError(err);
    } finally {
      if (mine === seq) o.tableWrap.removeAttribute('aria-busy');
    }
  }

  o.more.addEventListener('click', () =>
    void busy(o.more, async () => {
      if (!next) return;
      const mine = seq;
      try {
        const page = await o.fetch(next);
        if (o.signal.aborted || mine !== seq) return;
        items = [...items, ...page.items];
        next = page.next;
        render();
      } catch (err) {
        showError(err);
      }
    }),
  );
  return { render, reload };
}

/** Calls `onSearch` once the typing in `search` has stopped for 300 ms; returns what cancels a search still waiting. */
export function onSearchTyped(search: HTMLInputElement, signal: AbortSignal, onSearch: (q: string) => void): () => void {
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => onSearch(search.value), 300);
  });
  const cancel = () => clearTimeout(timer);
  signal.addEventListener('abort', cancel);
  return cancel;
}

export interface ImportPanelOptions {
  /** Starts the ids and test ids: `${id}-import-file`, … */
  id: string;
  /** The texts that are the register's own; the rest are the shared import texts. */
  texts: { title: Key; lead: Key; rejected: Key; written: Key; dry: Key };
  upload: (file: Blob, format: ImportFormat, dryRun: boolean) => Promise<ImportReport>;
  onWritten: () => Promise<void>;
}

function reportView(id: string, texts: ImportPanelOptions['texts'], r: ImportReport): HTMLElement[] {
  const outcome = r.errors.length > 0 ? t(texts.rejected) : r.written ? t(texts.written) : t(texts.dry);
  const counts = [
    ['rows', r.rows],
    ['created', r.created],
    ['updated', r.updated],
    ['unchanged', r.unchanged],
    ['rejected', r.rejected],
  ] as const;
  const head = [t('catalog.import.row'), t('catalog.import.column'), t('catalog.import.code'), t('catalog.import.message')];
  const errors = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', 'data-testid': `${id}-import-errors` },
      h('caption', { class: 'visually-hidden' }, t('catalog.importErrors')),
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        r.errors.map((e) =>
          h(
            'tr',
            { 'data-testid': `${id}-import-error` },
            h('td', { class: 'num' }, fmtInt(e.row)),
            h('td', {}, e.column ? h('code', {}, e.column) : t('state.none')),
            h('td', {}, h('code', {}, e.code)),
            h('td', {}, e.message),
          ),
        ),
      ),
    ),
  );
  return [
    h('p', { class: `notice ${r.errors.length ? 'warn' : 'ok'}`, 'data-testid': `${id}-import-outcome` }, outcome),
    h(
      'ul',
      { class: 'chips', 'aria-label': t('catalog.importCounts') },
      counts.map(([k, n]) => h('li', { 'data-testid': `${id}-import-${k}` }, h('strong', {}, fmtInt(n)), ' ', t(`catalog.import.${k}`))),
    ),
    ...(r.errors.length > 0 ? [errors] : []),
  ];
}

/** The import: a CSV or XLSX file, checked only (dry run) or written; the report with its row errors. */
export function importPanel(o: ImportPanelOptions): HTMLElement {
  const { id } = o;
  const file = input(`${id}-import-file`, {
    type: 'file',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'data-testid': `${id}-import-file`,
  });
  const dryRun = input(`${id}-import-dry`, { type: 'checkbox', checked: true, 'data-testid': `${id}-import-dry` });
  const message = formMessage(`${id}-import-message`);
  const report = h('div', { 'data-testid': `${id}-import-report`, 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': `${id}-import-submit` }, t('catalog.importSubmit'));

  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return message.error(null, t('catalog.importChoose'));
        const format: ImportFormat = /\.xlsx$/i.test(chosen.name) ? 'xlsx' : 'csv';
        void busy(submit, async () => {
          message.clear();
          report.replaceChildren();
          try {
            const r = await o.upload(chosen, format, dryRun.checked);
            mount(report, reportView(id, o.texts, r));
            if (r.written) await o.onWritten();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    h('p', { class: 'muted' }, t(o.texts.lead)),
    h('div', { class: 'form-grid' }, field(t('catalog.importFile'), file)),
    h('label', { class: 'check' }, dryRun, t('catalog.importDryRun')),
    message.el,
    h('p', {}, submit),
    report,
  );
  return h('details', { class: 'card panel', 'data-testid': `${id}-import-panel` }, h('summary', {}, h('h2', {}, t(o.texts.title))), form);
}

/** Rows a list page asks for at once. */
export const listPageSize = 50;

/** The filters in the address (a filter not there is ''); the page drops values its API does not know. */
export function addressFilters<K extends string>(keys: readonly K[]): Filters<K> {
  const p = new URLSearchParams(location.search);
  return Object.fromEntries(keys.map((k) => [k, p.get(k) ?? ''])) as Filters<K>;
}

export interface RegisterListOptions<K extends string, R> {
  /** Starts the ids and test ids: `${id}-q`, `${id}-search`, `${id}-count`, `${id}-more`, … */
  id: string;
  /** Whose texts the list shows: `${register}.search`, `${register}.more`, … */
  register: 'catalog' | 'tracker';
  signal: AbortSignal;
  keys: readonly K[];
  /** The filters the page was loaded with; the list keeps them as the reader changes them. */
  filters: Filters<K>;
  /** Filters the reset leaves as they are (the as-of date). */
  keep?: readonly K[];
  /** Each select's filter, label and element, in the bar's order after the search box. */
  selects: [K, string, HTMLSelectElement][];
  /** The first page, as the page was loaded with. */
  first: Page<R>;
  /** Reads a page of rows for the API's query. */
  fetch: (query: URLSearchParams) => Promise<Page<R>>;
  row: (r: R) => HTMLElement;
  table: { class: string; testid: string; columns: [Key, string][] };
  /** The register's import and export. */
  sheet: { import: ImportPanelOptions['upload']; exportUrl: (format: ImportFormat) => string };
  /** Whether the account may import (the server checks each row). */
  mayImport: boolean;
  /** Actions before the exports (a new entry), or false. */
  actions?: HTMLElement | false;
  /** Called when a select changed, before the reload. */
  onSelect?: (key: K) => void;
  /** Called when the reset cleared the filters and their fields, before the reload. */
  onReset?: () => void;
  /** Called after the rows are drawn. */
  afterRender?: () => void;
  /** What holds the count line (default: the count alone). */
  meta?: (count: HTMLElement) => HTMLElement;
}

/**
 * A register's list below its heading and tabs: the actions (exports), the import panel for
 * accounts that may import, the filter bar (a search, the page's selects, a reset), the count and
 * the table with its "more". `render` draws the first page once the nodes are in the page.
 */
export function registerList<K extends string, R>(o: RegisterListOptions<K | 'q', R>): { nodes: HTMLElement[]; render: () => void } {
  const { id, register, keys, filters } = o;
  const search = input(`${id}-q`, {
    type: 'search',
    value: filters.q,
    autocomplete: 'off',
    placeholder: t(`${register}.searchPlaceholder`),
    'data-testid': `${id}-search`,
  });
  const count = h('p', { role: 'status', class: 'muted', 'data-testid': `${id}-count` });
  const tbody = h('tbody');
  const tableWrap = h('div', { class: 'card table-wrap', 'data-testid': `${id}-table-wrap` });
  const more = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': `${id}-more` }, t(`${register}.more`));

  const list = pagedRows({
    signal: o.signal,
    first: o.first,
    fetch: (cursor) => o.fetch(pageQuery(keys, filters, listPageSize, cursor)),
    row: o.row,
    cols: o.table.columns.length,
    texts: { noMatch: `${register}.noMatch`, shown: `${register}.shown`, shownMore: `${register}.shownMore` },
    tbody,
    tableWrap,
    count,
    more,
    beforeReload: () => writeFilters(keys, filters),
    afterRender: o.afterRender,
  });
  const reload = list.reload;
  const cancelTyped = onSearchTyped(search, o.signal, (q) => {
    filters.q = q;
    void reload();
  });
  for (const [key, , el] of o.selects) {
    el.addEventListener('change', () => {
      filters[key] = el.value;
      o.onSelect?.(key);
      void reload();
    });
  }
  const reset = resetButton(
    `${id}-reset`,
    t(`${register}.reset`),
    () => {
      for (const k of keys) if (!o.keep?.includes(k)) filters[k] = '';
      search.value = '';
      for (const [, , el] of o.selects) el.value = '';
      o.onReset?.();
    },
    reload,
  );
  const table = listTable({ class: o.table.class, testid: o.table.testid }, t(`${register}.caption`), o.table.columns, tbody) as HTMLTableElement;
  mount(tableWrap, table);
  // The table's download holds every row of the filters, not only the pages loaded so far.
  exportSource(table, {
    rows: async () => {
      const { items, truncated } = await allPages((cursor) => o.fetch(pageQuery(keys, filters, 1000, cursor)));
      return { rows: items.map(o.row), truncated };
    },
  });

  const exportLink = (format: ImportFormat, label: Key) =>
    h('a', { class: 'button button-secondary', href: o.sheet.exportUrl(format), download: '', 'data-testid': `${id}-export-${format}` }, t(label));
  const nodes = [
    h('div', { class: 'page-actions' }, o.actions, exportLink('csv', `${register}.exportCsv`), exportLink('xlsx', `${register}.exportXlsx`)),
    o.mayImport &&
      importPanel({
        id,
        texts: {
          title: `${register}.import`,
          lead: `${register}.importLead`,
          rejected: `${register}.importRejected`,
          written: `${register}.importWritten`,
          dry: `${register}.importDry`,
        },
        upload: o.sheet.import,
        onWritten: reload,
      }),
    filterForm(
      `toolbar ${id}-filters`,
      [[t(`${register}.search`), search], ...o.selects.map(([, label, el]): [string, Control] => [label, el])],
      reset,
      () => {
        // Enter in the search box searches at once.
        cancelTyped();
        filters.q = search.value;
        void reload();
      },
    ),
    o.meta ? o.meta(count) : count,
    tableWrap,
    h('p', {}, more),
  ].filter((n): n is HTMLElement => !!n);
  return { nodes, render: list.render };
}
