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
import { addressFilters, listPageSize, pageQuery, registerList, select } from '../components/register-list';
import { h, mount } from '../dom';
import { fmtDate, t } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser } from '../session';
import { canWrite, catalogTabs, consolidationBadge, entryHref, kindLabel, statusBadge, statusLabel, unitShortName } from './catalog-common';

const filterKeys = ['kind', 'status', 'sector', 'owner', 'tag', 'q'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

function readFilters(): Filters {
  const f = addressFilters(filterKeys);
  // Kinds and statuses the API knows; anything else in the address is ignored.
  if (!catalogKinds.includes(f.kind as CatalogKind)) f.kind = '';
  if (!statusesFor(f.kind as CatalogKind | '').includes(f.status as never)) f.status = '';
  return f;
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
      const [facets, page, info] = await Promise.all([catalogApi.facets(), catalogApi.entries(pageQuery(filterKeys, filters, listPageSize)), api.info()]);
      return { province: info.province.name, facets, filters, items: page.items, next: page.next };
    },
    (data) => render(outlet, signal, data),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const filters = { ...data.filters };
  const all = t('catalog.all');
  const kind = select('catalog-kind', catalogKinds.map((k) => [k, kindLabel(k)]), filters.kind, all);
  const status = h('select', { id: 'catalog-status', name: 'catalog-status' });

  function renderStatusOptions(): void {
    const allowed = statusesFor(kind.value as CatalogKind | '');
    if (!allowed.includes(filters.status as never)) filters.status = '';
    mount(status, h('option', { value: '' }, all), allowed.map((s) => h('option', { value: s }, statusLabel(s))));
    status.value = filters.status;
  }

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

  const writer = canWrite(currentUser());
  const list = registerList({
    id: 'catalog',
    register: 'catalog',
    signal,
    keys: filterKeys,
    filters,
    selects: [
      ['kind', t('catalog.field.kind'), kind],
      ['status', t('catalog.field.status'), status],
      ['sector', t('catalog.field.sector'), select('catalog-sector', data.facets.sectors.map((s) => [s, s]), filters.sector, all)],
      ['owner', t('catalog.field.owner'), select('catalog-owner', data.facets.owners.map((o) => [o.code, unitShortName(o.name || o.code, data.province)]), filters.owner, all)],
      ['tag', t('catalog.field.tags'), select('catalog-tag', data.facets.tags.map((s) => [s, s]), filters.tag, all)],
    ],
    first: data,
    fetch: catalogApi.entries,
    row,
    table: {
      class: 'data catalog-table',
      testid: 'catalog-table',
      columns: [
        ['catalog.col.codeKind', ''],
        ['catalog.field.name', ''],
        ['catalog.field.sector', ''],
        ['catalog.field.owner', ''],
        ['catalog.field.status', ''],
        ['catalog.field.consolidation', ''],
        ['catalog.col.ioc', ''],
        ['catalog.col.lastUpdate', 'num'],
      ],
    },
    sheet: catalogApi,
    mayImport: writer,
    actions: writer && h('a', { class: 'button', href: '/catalog/new', 'data-testid': 'catalog-new' }, `+ ${t('catalog.new')}`),
    onSelect: (key) => {
      if (key === 'kind') renderStatusOptions();
    },
    onReset: renderStatusOptions,
  });
  renderStatusOptions();

  mount(outlet, pageHead(t('catalog.title'), t('catalog.lead')), catalogTabs('list'), list.nodes);
  list.render();
  titled(outlet, t('catalog.title'));
}
