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
  type CatalogKind,
  type CatalogRecord,
} from '../catalog-api';
import { filterForm, importPanel, listTable, onSearchTyped, pagedRows, pageQuery, resetButton, select, writeFilters } from '../components/register-list';
import { h, mount } from '../dom';
import { input } from '../forms';
import { fmtDate, t } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser } from '../session';
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

function apiQuery(f: Filters, cursor?: string): URLSearchParams {
  return pageQuery(filterKeys, f, pageSize, cursor);
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

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const filters = { ...data.filters };
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

  const list = pagedRows({
    signal,
    first: data,
    fetch: (cursor) => catalogApi.entries(apiQuery(filters, cursor)),
    row,
    cols,
    texts: { noMatch: 'catalog.noMatch', shown: 'catalog.shown', shownMore: 'catalog.shownMore' },
    tbody,
    tableWrap,
    count,
    more,
    beforeReload: () => writeFilters(filterKeys, filters),
  });
  const reload = list.reload;
  const cancelTyped = onSearchTyped(search, signal, (q) => {
    filters.q = q;
    void reload();
  });
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

  const reset = resetButton(
    'catalog-reset',
    t('catalog.reset'),
    () => {
      for (const k of filterKeys) filters[k] = '';
      search.value = '';
      for (const el of [kind, sector, owner, tag]) el.value = '';
      renderStatusOptions();
    },
    reload,
  );

  mount(
    tableWrap,
    listTable(
      { class: 'data catalog-table', testid: 'catalog-table' },
      t('catalog.caption'),
      [
        ['catalog.col.codeKind', ''],
        ['catalog.field.name', ''],
        ['catalog.field.sector', ''],
        ['catalog.field.owner', ''],
        ['catalog.field.status', ''],
        ['catalog.field.consolidation', ''],
        ['catalog.col.ioc', ''],
        ['catalog.col.lastUpdate', 'num'],
      ],
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
    writer &&
      importPanel({
        id: 'catalog',
        texts: { title: 'catalog.import', lead: 'catalog.importLead', rejected: 'catalog.importRejected', written: 'catalog.importWritten', dry: 'catalog.importDry' },
        upload: catalogApi.import,
        onWritten: reload,
      }),
    filterForm(
      'toolbar catalog-filters',
      [
        [t('catalog.search'), search],
        [t('catalog.field.kind'), kind],
        [t('catalog.field.status'), status],
        [t('catalog.field.sector'), sector],
        [t('catalog.field.owner'), owner],
        [t('catalog.field.tags'), tag],
      ],
      reset,
      () => {
        // Enter in the search box searches at once.
        cancelTyped();
        filters.q = search.value;
        void reload();
      },
    ),
    count,
    tableWrap,
    h('p', {}, more),
  );
  list.render();
  titled(outlet, t('catalog.title'));
}
