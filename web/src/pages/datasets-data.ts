// "/datasets/:code/data" — the records of a dataset: the schema's columns under their Vietnamese
// titles, sorted by a column (click its heading), filtered by unit and by free text, paged by
// the server's cursor. Everything lives in the address (q, unit, sort, order, limit, cursor and
// the cursors of the earlier pages), so a page of results can be linked, reloaded and gone back
// to. Personal fields are shown as the API gives them (masked or not, the server decides).

import { withAsOf } from '../as-of';
import { allPages, exportSource } from '../components/table-export';
import { api } from '../api';
import { batchHref, datasetHref, datasetsApi, type DatasetDetail, type DatasetRecord, type RecordsPage } from '../datasets-api';
import { h, mount } from '../dom';
import { field, input } from '../forms';
import { fmtDateTime, fmtInt, t } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { currentUser } from '../session';
import { showError } from '../shell';
import { unitPicker } from '../unit-picker';
import { loadUnitNames } from '../units';
import { backToDatasets, breadcrumb, datasetTabs, datasetTitle, fieldTitle, primaryKeyOf, schemaFacts, valueCell, type FieldFacts } from './datasets-common';

const defaultLimit = 50;
const limits = [10, 25, 50, 100, 200];
type Order = 'asc' | 'desc';

interface State {
  q: string;
  unit: string;
  sort: string;
  order: Order;
  limit: number;
  /** The cursor of this page ('' for the first). */
  cursor: string;
  /** The cursors of the pages before this one, from the second page on. */
  prev: string[];
  /** field=value filters from the address (for fields of the schema). */
  filters: [string, string][];
}

const reserved = new Set(['q', 'unit', 'sort', 'order', 'limit', 'cursor', 'prev']);

function readState(fieldNames: Set<string>): State {
  const p = new URLSearchParams(location.search);
  const limit = Number(p.get('limit'));
  const sort = p.get('sort') ?? '';
  return {
    q: p.get('q') ?? '',
    unit: p.get('unit') ?? '',
    sort: fieldNames.has(sort) ? sort : '',
    order: p.get('order') === 'desc' ? 'desc' : 'asc',
    limit: Number.isInteger(limit) && limit > 0 && limit <= 1000 ? limit : defaultLimit,
    cursor: p.get('cursor') ?? '',
    prev: p.getAll('prev'),
    filters: [...p].filter(([k]) => !reserved.has(k) && fieldNames.has(k)),
  };
}

/** The address of a state (what the page shows is what the address says). */
function addressOf(s: State): string {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  if (s.unit) p.set('unit', s.unit);
  for (const [k, v] of s.filters) p.append(k, v);
  if (s.sort) {
    p.set('sort', s.sort);
    p.set('order', s.order);
  }
  if (s.limit !== defaultLimit) p.set('limit', String(s.limit));
  for (const c of s.prev) p.append('prev', c);
  if (s.cursor) p.set('cursor', s.cursor);
  const query = p.toString();
  return withAsOf(`${location.pathname}${query ? `?${query}` : ''}`);
}

function apiQuery(s: State): URLSearchParams {
  const p = new URLSearchParams({ limit: String(s.limit) });
  if (s.cursor) p.set('cursor', s.cursor);
  if (s.sort) {
    p.set('sort', s.sort);
    p.set('order', s.order);
  }
  if (s.q.trim()) p.set('q', s.q.trim());
  if (s.unit) p.set('unit', s.unit);
  for (const [k, v] of s.filters) p.append(k, v);
  return p;
}

const pageNumber = (s: State) => (s.cursor ? s.prev.length + 2 : 1);

/** The first page of the same filters and order. */
const firstPage = (s: State): State => ({ ...s, cursor: '', prev: [] });

// The dataset's schema is kept for a minute, so paging does not fetch it again.
let schemaCache: { code: string; at: number; value: Promise<DatasetDetail> } | null = null;
function datasetOnce(code: string): Promise<DatasetDetail> {
  if (schemaCache && schemaCache.code === code && Date.now() - schemaCache.at < 60_000) return schemaCache.value;
  const value = datasetsApi.dataset(code);
  schemaCache = { code, at: Date.now(), value };
  value.catch(() => (schemaCache = null));
  return value;
}

export async function datasetDataPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      const dataset = await datasetOnce(params.code);
      const names = new Set((dataset.schema?.fields ?? []).map((f) => f.name));
      const state = readState(names);
      // Unit codes are shown by their names: read before the first rows are drawn.
      const [page] = await Promise.all([datasetsApi.records(params.code, apiQuery(state)), loadUnitNames().catch(() => null)]);
      return { dataset, state, page };
    },
    ({ dataset, state, page }) => render(outlet, signal, dataset, state, page),
  );
  backToDatasets(outlet);
}

function render(outlet: HTMLElement, signal: AbortSignal, d: DatasetDetail, initial: State, firstPageData: RecordsPage): void {
  const pk = primaryKeyOf(d.schema, d.primary_key);
  const facts = new Map<string, FieldFacts>(schemaFacts(d.schema, d.primary_key).map((f) => [f.name, f]));
  let state = initial;
  let page = firstPageData;
  let seq = 0;

  const search = input('dataset-records-q', {
    type: 'search',
    value: state.q,
    autocomplete: 'off',
    placeholder: t('records.searchPlaceholder'),
    'data-testid': 'dataset-records-search',
  });
  const picker = unitPicker(t('records.unit'));
  const unitChip = h('p', { class: 'chips unit-filter', 'data-testid': 'dataset-records-unit-box' });
  const limitSelect = h(
    'select',
    { id: 'dataset-records-limit', name: 'limit', 'data-testid': 'dataset-records-limit' },
    [...new Set([...limits, state.limit])].sort((a, b) => a - b).map((n) => h('option', { value: n }, fmtInt(n))),
  );
  limitSelect.value = String(state.limit);
  const total = h('p', { role: 'status', class: 'muted', 'data-testid': 'dataset-records-total' });
  const filterChips = h('ul', { class: 'chips', 'data-testid': 'dataset-records-filters' });
  const headRow = h('tr');
  const tbody = h('tbody');
  const table = h('table', { class: 'data dataset-records', 'data-testid': 'dataset-records' }, h('caption', { class: 'visually-hidden' }, t('records.caption', { title: datasetTitle(d) })), h('thead', {}, headRow), tbody);
  const wrap = h('div', { class: 'card table-wrap', 'data-testid': 'dataset-records-wrap' }, table);
  // The download is the current selection: every record of the search, unit and filters, in the shown order.
  exportSource(table, {
    rows: async () => {
      const { items, truncated } = await allPages(async (cursor) => {
        const p = await datasetsApi.records(d.code, apiQuery({ ...state, limit: 1000, cursor: cursor ?? '' }));
        return { items: p.items, next: p.next_cursor };
      });
      return { rows: items.map(row), truncated };
    },
  });
  const pager = h('nav', { class: 'pager', 'aria-label': t('records.pages'), 'data-testid': 'dataset-records-pager' });

  const columns = (): string[] => (page.fields?.length ? page.fields : [...facts.keys()]);

  /** Goes to `next` in place: the address first (pushed for pages and order), then the rows. */
  async function apply(next: State, { push = false } = {}): Promise<void> {
    state = next;
    const href = addressOf(state);
    if (push) history.pushState(null, '', href);
    else history.replaceState(null, '', href);
    const mine = ++seq;
    wrap.setAttribute('aria-busy', 'true');
    try {
      const result = await datasetsApi.records(d.code, apiQuery(state));
      if (signal.aborted || mine !== seq) return;
      page = result;
      renderAll();
    } catch (err) {
      if (!signal.aborted && mine === seq) showError(err);
    } finally {
      if (mine === seq) wrap.removeAttribute('aria-busy');
    }
  }

  function renderHead(): void {
    const heads = columns().map((name) => {
      const f = facts.get(name);
      const sorted = state.sort === name;
      const title = f ? fieldTitle(f) : name;
      return h(
        'th',
        {
          scope: 'col',
          'data-field': name,
          class: f && (f.type === 'number' || f.type === 'integer') ? 'num' : null,
          'aria-sort': sorted ? (state.order === 'asc' ? 'ascending' : 'descending') : null,
        },
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            title: t('records.sortBy', { column: title }),
            'data-testid': `dataset-sort-${name}`,
            onclick: () => void apply(firstPage({ ...state, sort: name, order: sorted && state.order === 'asc' ? 'desc' : 'asc' }), { push: true }),
          },
          title,
          h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (state.order === 'asc' ? '▲' : '▼') : '↕'),
        ),
        f?.personal && h('span', { class: 'badge badge-partial personal-mark', title: t('datasets.personalHint'), 'data-export-skip': true }, t('records.personalShort')),
      );
    });
    mount(headRow, heads, h('th', { scope: 'col' }, t('records.batch')), h('th', { scope: 'col', class: 'num' }, t('records.updatedAt')));
  }

  function row(r: DatasetRecord): HTMLElement {
    const key = pk.map((k) => String(r[k] ?? '')).join('|');
    return h(
      'tr',
      { 'data-testid': 'dataset-record', 'data-key': key },
      columns().map((name) => {
        const f = facts.get(name);
        const v = r[name];
        const cell = valueCell(v, f);
        const attrs = { 'data-field': name, 'data-value': v == null ? '' : String(v), class: typeof v === 'number' ? 'num' : null };
        return pk.includes(name) ? h('th', { scope: 'row', ...attrs }, cell) : h('td', attrs, cell);
      }),
      h('td', {}, r._batch != null ? h('a', { href: batchHref(r._batch), 'data-testid': 'dataset-record-batch' }, String(r._batch)) : t('state.none')),
      h('td', { class: 'num nowrap' }, fmtDateTime(r._updated_at ?? null)),
    );
  }

  function pageLink(target: State, label: string, testid: string): HTMLElement {
    const href = addressOf(target);
    return h(
      'a',
      {
        class: 'button button-secondary',
        href,
        'data-testid': testid,
        onclick: (e: Event) => {
          e.preventDefault();
          void apply(target, { push: true });
        },
      },
      label,
    );
  }

  function renderPager(): void {
    const n = pageNumber(state);
    const prevState: State | null = state.cursor
      ? state.prev.length
        ? { ...state, cursor: state.prev[state.prev.length - 1], prev: state.prev.slice(0, -1) }
        : { ...state, cursor: '', prev: [] }
      : null;
    const nextState: State | null = page.next_cursor ? { ...state, cursor: page.next_cursor, prev: state.cursor ? [...state.prev, state.cursor] : [] } : null;
    mount(
      pager,
      n > 2 && pageLink(firstPage(state), `« ${t('records.first')}`, 'dataset-records-first'),
      prevState && pageLink(prevState, `‹ ${t('records.prev')}`, 'dataset-records-prev'),
      h('span', { class: 'pager-page', 'data-testid': 'dataset-records-page', 'data-page': n }, t('records.page', { n: fmtInt(n) })),
      nextState && pageLink(nextState, `${t('records.next')} ›`, 'dataset-records-next'),
    );
  }

  function renderRows(): void {
    const cols = columns().length + 2;
    mount(tbody, page.items.length === 0 ? h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('records.noMatch'))) : page.items.map(row));
    const from = (pageNumber(state) - 1) * state.limit + 1;
    total.dataset.total = String(page.total);
    total.textContent =
      page.items.length === 0
        ? t('records.total', { total: fmtInt(page.total) })
        : t('records.range', { from: fmtInt(from), to: fmtInt(from + page.items.length - 1), total: fmtInt(page.total) });
  }

  function renderUnit(): void {
    if (!state.unit) return mount(unitChip);
    const code = state.unit;
    const chip = h('span', { 'data-testid': 'dataset-records-unit', 'data-code': code }, t('records.unitActive', { name: code }));
    mount(
      unitChip,
      chip,
      ' ',
      h('button', { type: 'button', class: 'link-button', 'data-testid': 'dataset-records-unit-remove', onclick: () => void apply(firstPage({ ...state, unit: '' })).then(renderUnit) }, t('records.unitRemove')),
    );
    api
      .unit(code)
      .then((u) => {
        if (state.unit === code) chip.textContent = t('records.unitActive', { name: `${u.name} (${code})` });
      })
      .catch(() => {});
  }

  function renderFilters(): void {
    mount(
      filterChips,
      state.filters.map(([k, v]) => {
        const f = facts.get(k);
        const label = f?.values.find((x) => x.value === v)?.label ?? v;
        return h(
          'li',
          { 'data-testid': 'dataset-records-filter', 'data-field': k },
          `${f ? fieldTitle(f) : k}: ${label} `,
          h(
            'button',
            {
              type: 'button',
              class: 'chip-remove',
              'aria-label': t('picker.remove', { name: `${f ? fieldTitle(f) : k}: ${label}` }),
              onclick: () => void apply(firstPage({ ...state, filters: state.filters.filter(([fk, fv]) => fk !== k || fv !== v) })).then(renderFilters),
            },
            '×',
          ),
        );
      }),
    );
    filterChips.hidden = state.filters.length === 0;
  }

  function renderAll(): void {
    renderHead();
    renderRows();
    renderPager();
  }

  // The picker has no change event: a click or Enter inside it may have chosen a unit.
  const syncPicker = () => {
    const [code] = picker.values();
    if (!code) return;
    picker.clear();
    if (code === state.unit) return;
    void apply(firstPage({ ...state, unit: code }));
    renderUnit();
  };
  picker.el.addEventListener('click', syncPicker);
  picker.el.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') queueMicrotask(syncPicker);
  });

  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void apply(firstPage({ ...state, q: search.value })), 300);
  });
  signal.addEventListener('abort', () => clearTimeout(timer));
  limitSelect.addEventListener('change', () => void apply(firstPage({ ...state, limit: Number(limitSelect.value) || defaultLimit })));

  const reset = h('button', { type: 'button', class: 'link-button', 'data-testid': 'dataset-records-reset' }, t('records.reset'));
  reset.addEventListener('click', () => {
    search.value = '';
    picker.clear();
    void apply({ ...state, q: '', unit: '', filters: [], sort: '', order: 'asc', cursor: '', prev: [] }).then(() => {
      renderUnit();
      renderFilters();
    });
  });

  const me = currentUser();
  const title = t('records.title', { title: datasetTitle(d) });
  mount(
    outlet,
    breadcrumb([d.code, datasetHref(d.code)], [t('datasets.tab.data'), null]),
    h('div', { class: 'page-head' }, h('h1', { 'data-testid': 'dataset-data-title' }, title), h('p', { class: 'lead' }, t('records.lead'))),
    datasetTabs(d.code, 'data', me),
    h(
      'form',
      {
        class: 'toolbar dataset-filters',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          clearTimeout(timer);
          void apply(firstPage({ ...state, q: search.value }));
        },
      },
      field(t('records.search'), search),
      picker.el,
      field(t('records.limit'), limitSelect),
      h('p', { class: 'toolbar-end' }, reset),
    ),
    unitChip,
    filterChips,
    total,
    wrap,
    pager,
  );
  renderUnit();
  renderFilters();
  renderAll();
  titled(outlet, title);
}
