// "/catalog" — the catalog's entries (platforms, specialized databases, national databases):
// filters by kind, status, sector, owner and tag, a search that ignores diacritics ("co so du
// lieu" finds "Cơ sở dữ liệu"), pages by the server's cursor, export to CSV/XLSX and, for
// accounts that write, a new entry and an import (dry run first) with its row errors.
// Filters live in the query string.

import { api } from '../api';
import {
  catalogApi,
  catalogKinds,
  statusesFor,
  type CatalogFacets,
  type CatalogImportReport,
  type CatalogKind,
  type CatalogRecord,
  type ImportFormat,
} from '../catalog-api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDate, fmtInt, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser } from '../session';
import { showError } from '../shell';
import { canWrite, catalogTabs, consolidationBadge, entryHref, kindLabel, statusBadge, statusLabel, unitShortName } from './catalog-common';

const pageSize = 50;
const filterKeys = ['kind', 'status', 'sector', 'owner', 'tag', 'q'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

function readFilters(): Filters {
  const p = new URLSearchParams(location.search);
  const f = Object.fromEntries(filterKeys.map((k) => [k, p.get(k) ?? ''])) as Filters;
  // Kinds and statuses the API knows; anything else in the address is ignored.
  if (!catalogKinds.includes(f.kind as CatalogKind)) f.kind = '';
  if (!statusesFor(f.kind as CatalogKind | '').includes(f.status as never)) f.status = '';
  return f;
}

function writeFilters(f: Filters): void {
  const p = new URLSearchParams();
  for (const k of filterKeys) if (f[k].trim()) p.set(k, f[k].trim());
  const query = p.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

function apiQuery(f: Filters, cursor?: string): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of filterKeys) if (f[k].trim()) p.set(k, f[k].trim());
  p.set('limit', String(pageSize));
  if (cursor) p.set('cursor', cursor);
  return p;
}

interface Data {
  /** The home province's name (left out of owner names). */
  province: string;
  facets: CatalogFacets;
  filters: Filters;
  items: CatalogRecord[];
  next: string | null;
}

export async function catalogListPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      const filters = readFilters();
      const [facets, page, info] = await Promise.all([catalogApi.facets(), catalogApi.entries(apiQuery(filters)), api.info()]);
      return { province: info.province.name, facets, filters, items: page.items, next: page.next };
    },
    (data) => render(outlet, signal, data),
  );
}

/** A filter's choices; a value from the address that is not among them (any more) is offered too. */
function select(id: string, options: [string, string][], value: string, allLabel: string): HTMLSelectElement {
  const all: [string, string][] = value && !options.some(([v]) => v === value) ? [...options, [value, value]] : options;
  const el = h('select', { id, name: id }, h('option', { value: '' }, allLabel), all.map(([v, label]) => h('option', { value: v }, label)));
  el.value = value;
  return el;
}

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const filters = { ...data.filters };
  let items = data.items;
  let next = data.next;
  let seq = 0;
  const writer = canWrite(currentUser());

  const search = input('catalog-q', {
    type: 'search',
    value: filters.q,
    autocomplete: 'off',
    placeholder: t('catalog.searchPlaceholder'),
    'data-testid': 'catalog-search',
  });
  const kind = select('catalog-kind', catalogKinds.map((k) => [k, kindLabel(k)]), filters.kind, t('catalog.all'));
  const status = h('select', { id: 'catalog-status', name: 'catalog-status' });
  const sector = select('catalog-sector', data.facets.sectors.map((s) => [s, s]), filters.sector, t('catalog.all'));
  const owner = select('catalog-owner', data.facets.owners.map((o) => [o.code, unitShortName(o.name || o.code, data.province)]), filters.owner, t('catalog.all'));
  const tag = select('catalog-tag', data.facets.tags.map((s) => [s, s]), filters.tag, t('catalog.all'));
  const count = h('p', { role: 'status', class: 'muted', 'data-testid': 'catalog-count' });
  const tbody = h('tbody');
  const tableWrap = h('div', { class: 'card table-wrap', 'data-testid': 'catalog-table-wrap' });
  const more = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'catalog-more' }, t('catalog.more'));

  function renderStatusOptions(): void {
    const allowed = statusesFor(kind.value as CatalogKind | '');
    if (!allowed.includes(filters.status as never)) filters.status = '';
    mount(status, h('option', { value: '' }, t('catalog.all')), allowed.map((s) => h('option', { value: s }, statusLabel(s))));
    status.value = filters.status;
  }

  const cols = 8;
  function row(r: CatalogRecord): HTMLElement {
    const href = entryHref(r.code);
    return h(
      'tr',
      {
        'data-testid': 'catalog-row',
        'data-code': r.code,
        'data-kind': r.kind,
        'data-status': r.status,
        onclick: (e: Event) => {
          if (!(e.target as Element).closest('a')) go(href);
        },
      },
      h('td', {}, h('code', {}, r.code), h('br'), h('span', { class: 'muted small', 'data-kind': r.kind }, kindLabel(r.kind))),
      h('th', { scope: 'row' }, h('a', { href }, r.name)),
      h('td', { class: 'wide' }, r.sector || t('state.none')),
      h('td', { class: 'wide' }, unitShortName(r.owner_name || r.owner, data.province)),
      h('td', {}, statusBadge(r.status)),
      h('td', {}, consolidationBadge(r.consolidation)),
      h('td', {}, r.ioc_connected ? t('catalog.yes') : t('catalog.no')),
      h('td', { class: 'num nowrap' }, fmtDate(r.last_data_update)),
    );
  }

  function renderRows(): void {
    mount(tbody, items.length === 0 ? h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('catalog.noMatch'))) : items.map(row));
    count.textContent = next ? t('catalog.shownMore', { shown: fmtInt(items.length) }) : t('catalog.shown', { shown: fmtInt(items.length) });
    more.hidden = !next;
  }

  async function reload(): Promise<void> {
    writeFilters(filters);
    const mine = ++seq;
    tableWrap.setAttribute('aria-busy', 'true');
    try {
      const page = await catalogApi.entries(apiQuery(filters));
      if (signal.aborted || mine !== seq) return;
      items = page.items;
      next = page.next;
      renderRows();
    } catch (err) {
      if (!signal.aborted && mine === seq) showError(err);
    } finally {
      if (mine === seq) tableWrap.removeAttribute('aria-busy');
    }
  }

  more.addEventListener('click', () =>
    void busy(more, async () => {
      if (!next) return;
      const mine = seq;
      try {
        const page = await catalogApi.entries(apiQuery(filters, next));
        if (signal.aborted || mine !== seq) return;
        items = [...items, ...page.items];
        next = page.next;
        renderRows();
      } catch (err) {
        showError(err);
      }
    }),
  );

  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      filters.q = search.value;
      void reload();
    }, 300);
  });
  signal.addEventListener('abort', () => clearTimeout(timer));
  const onChange = (key: keyof Filters, el: HTMLSelectElement) =>
    el.addEventListener('change', () => {
      filters[key] = el.value;
      if (key === 'kind') renderStatusOptions();
      void reload();
    });
  onChange('kind', kind);
  onChange('status', status);
  onChange('sector', sector);
  onChange('owner', owner);
  onChange('tag', tag);
  renderStatusOptions();

  const reset = h('button', { type: 'button', class: 'link-button', 'data-testid': 'catalog-reset' }, t('catalog.reset'));
  reset.addEventListener('click', () => {
    for (const k of filterKeys) filters[k] = '';
    search.value = '';
    for (const el of [kind, sector, owner, tag]) el.value = '';
    renderStatusOptions();
    void reload();
  });

  mount(
    tableWrap,
    h(
      'table',
      { class: 'data catalog-table', 'data-testid': 'catalog-table' },
      h('caption', { class: 'visually-hidden' }, t('catalog.caption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            ['catalog.col.codeKind', ''],
            ['catalog.field.name', ''],
            ['catalog.field.sector', ''],
            ['catalog.field.owner', ''],
            ['catalog.field.status', ''],
            ['catalog.field.consolidation', ''],
            ['catalog.col.ioc', ''],
            ['catalog.col.lastUpdate', 'num'],
          ].map(([key, cls]) => h('th', { scope: 'col', class: cls || null }, t(key as Key))),
        ),
      ),
      tbody,
    ),
  );

  mount(
    outlet,
    pageHead(t('catalog.title'), t('catalog.lead')),
    catalogTabs('list'),
    h(
      'div',
      { class: 'page-actions' },
      writer && h('a', { class: 'button', href: '/catalog/new', 'data-testid': 'catalog-new' }, `+ ${t('catalog.new')}`),
      h('a', { class: 'button button-secondary', href: catalogApi.exportUrl('csv'), download: '', 'data-testid': 'catalog-export-csv' }, t('catalog.exportCsv')),
      h('a', { class: 'button button-secondary', href: catalogApi.exportUrl('xlsx'), download: '', 'data-testid': 'catalog-export-xlsx' }, t('catalog.exportXlsx')),
    ),
    writer && importPanel(() => reload()),
    h(
      'form',
      {
        class: 'toolbar catalog-filters',
        role: 'search',
        // Enter in the search box searches at once.
        onsubmit: (e: Event) => {
          e.preventDefault();
          clearTimeout(timer);
          filters.q = search.value;
          void reload();
        },
      },
      field(t('catalog.search'), search),
      field(t('catalog.field.kind'), kind),
      field(t('catalog.field.status'), status),
      field(t('catalog.field.sector'), sector),
      field(t('catalog.field.owner'), owner),
      field(t('catalog.field.tags'), tag),
      h('p', { class: 'toolbar-end' }, reset),
    ),
    count,
    tableWrap,
    h('p', {}, more),
  );
  renderRows();
  titled(outlet, t('catalog.title'));
}

/** The import: a CSV or XLSX file, checked only (dry run) or written; the report with its row errors. */
function importPanel(onWritten: () => Promise<void>): HTMLElement {
  const file = input('catalog-import-file', { type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'data-testid': 'catalog-import-file' });
  const dryRun = input('catalog-import-dry', { type: 'checkbox', checked: true, 'data-testid': 'catalog-import-dry' });
  const message = formMessage('catalog-import-message');
  const report = h('div', { 'data-testid': 'catalog-import-report', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'catalog-import-submit' }, t('catalog.importSubmit'));

  function showReport(r: CatalogImportReport): void {
    const outcome = r.errors.length > 0 ? t('catalog.importRejected') : r.written ? t('catalog.importWritten') : t('catalog.importDry');
    mount(
      report,
      h('p', { class: `notice ${r.errors.length ? 'warn' : 'ok'}`, 'data-testid': 'catalog-import-outcome' }, outcome),
      h(
        'ul',
        { class: 'chips', 'aria-label': t('catalog.importCounts') },
        (
          [
            ['rows', r.rows],
            ['created', r.created],
            ['updated', r.updated],
            ['unchanged', r.unchanged],
            ['rejected', r.rejected],
          ] as const
        ).map(([k, n]) => h('li', { 'data-testid': `catalog-import-${k}` }, h('strong', {}, fmtInt(n)), ' ', t(`catalog.import.${k}`))),
      ),
      r.errors.length > 0 &&
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', 'data-testid': 'catalog-import-errors' },
            h('caption', { class: 'visually-hidden' }, t('catalog.importErrors')),
            h(
              'thead',
              {},
              h('tr', {}, [t('catalog.import.row'), t('catalog.import.column'), t('catalog.import.code'), t('catalog.import.message')].map((c) => h('th', { scope: 'col' }, c))),
            ),
            h(
              'tbody',
              {},
              r.errors.map((e) =>
                h(
                  'tr',
                  { 'data-testid': 'catalog-import-error' },
                  h('td', { class: 'num' }, fmtInt(e.row)),
                  h('td', {}, e.column ? h('code', {}, e.column) : t('state.none')),
                  h('td', {}, h('code', {}, e.code)),
                  h('td', {}, e.message),
                ),
              ),
            ),
          ),
        ),
    );
  }

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
            const r = await catalogApi.import(chosen, format, dryRun.checked);
            showReport(r);
            if (r.written) await onWritten();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    h('p', { class: 'muted' }, t('catalog.importLead')),
    h('div', { class: 'form-grid' }, field(t('catalog.importFile'), file)),
    h('label', { class: 'check' }, dryRun, t('catalog.importDryRun')),
    message.el,
    h('p', {}, submit),
    report,
  );
  return h('details', { class: 'card panel', 'data-testid': 'catalog-import-panel' }, h('summary', {}, h('h2', {}, t('catalog.import'))), form);
}
