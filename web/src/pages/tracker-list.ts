// "/nq57/tasks" — the register's targets and tasks: filters by kind, programme, level (who
// assigned), lead unit, sector and status as of a date, a search that ignores diacritics ("chuyen
// doi so" finds "chuyển đổi số"), pages by the server's cursor, export to CSV/XLSX and, for
// accounts that write, an import (dry run first) with its row errors. Filters live in the query
// string, so the board's drill-down links open the list already filtered.

import { api } from '../api';
import {
  derivedStatuses,
  itemKinds,
  trackerApi,
  trackerLevels,
  type DerivedStatus,
  type ItemKind,
  type ItemRecord,
  type Programme,
  type TrackerLevel,
} from '../tracker-api';
import { filterForm, importPanel, listTable, onSearchTyped, pagedRows, pageQuery, resetButton, select, writeFilters } from '../components/register-list';
import { h, mount } from '../dom';
import { input } from '../forms';
import { fmtDate, t } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser, hasRole } from '../session';
import {
  asOfFromAddress,
  fmtPercent,
  itemHref,
  kindLabel,
  levelLabel,
  readAsOf,
  recurrenceLabel,
  statusBadge,
  statusLabel,
  trackerTabs,
  unitShortName,
} from './tracker-common';

const pageSize = 50;
const filterKeys = ['kind', 'programme', 'level', 'unit', 'sector', 'status', 'q', 'as_of'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

function readFilters(): Filters {
  const p = new URLSearchParams(location.search);
  const f = Object.fromEntries(filterKeys.map((k) => [k, p.get(k) ?? ''])) as Filters;
  if (!itemKinds.includes(f.kind as ItemKind)) f.kind = '';
  if (!trackerLevels.includes(f.level as TrackerLevel)) f.level = '';
  if (!derivedStatuses.includes(f.status as DerivedStatus)) f.status = '';
  f.as_of = asOfFromAddress();
  return f;
}

function apiQuery(f: Filters, cursor?: string): URLSearchParams {
  return pageQuery(filterKeys, f, pageSize, cursor);
}

interface Data {
  province: string;
  programmes: Programme[];
  /** Lead units and sectors that have items (from the figures as of the list's date). */
  units: { code: string; name: string }[];
  sectors: string[];
  filters: Filters;
  items: ItemRecord[];
  next: string | null;
}

export async function trackerListPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      const filters = readFilters();
      const [programmes, summary, page, info] = await Promise.all([
        trackerApi.programmes(),
        trackerApi.summary(readAsOf()),
        trackerApi.items(apiQuery(filters)),
        api.info(),
      ]);
      const province = info.province.name;
      const units = summary.by_unit
        .map((g) => ({ code: g.key, name: unitShortName(g.name || g.key, province) }))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      const sectors = summary.by_sector.map((g) => g.key).filter(Boolean).sort((a, b) => a.localeCompare(b, 'vi'));
      return { province, programmes: programmes.items, units, sectors, filters, items: page.items, next: page.next };
    },
    (data) => render(outlet, signal, data),
  );
}

/** Administrators and officers may import (the server checks each row's lead unit). */
function canImport(): boolean {
  return hasRole(currentUser(), ['administrator', 'officer']);
}

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const filters = { ...data.filters };

  const search = input('nq57-q', {
    type: 'search',
    value: filters.q,
    autocomplete: 'off',
    placeholder: t('tracker.searchPlaceholder'),
    'data-testid': 'nq57-search',
  });
  const all = t('tracker.all');
  const kind = select('nq57-kind', itemKinds.map((k) => [k, kindLabel(k)]), filters.kind, all);
  const programme = select('nq57-programme', data.programmes.map((p) => [p.code, `${p.code} · ${p.name}`]), filters.programme, all);
  const level = select('nq57-level', trackerLevels.map((l) => [l, levelLabel(l)]), filters.level, all);
  const unit = select('nq57-unit', data.units.map((u) => [u.code, u.name]), filters.unit, all);
  const sector = select('nq57-sector', data.sectors.map((s) => [s, s]), filters.sector, all);
  const status = select('nq57-status', derivedStatuses.map((s) => [s, statusLabel(s)]), filters.status, all);
  const count = h('p', { role: 'status', class: 'muted', 'data-testid': 'nq57-count' });
  const tbody = h('tbody');
  const tableWrap = h('div', { class: 'card table-wrap', 'data-testid': 'nq57-table-wrap' });
  const more = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'nq57-more' }, t('tracker.more'));
  const asOfNote = h('p', { class: 'muted', 'data-testid': 'nq57-list-asof' });

  const cols = 7;
  function row(r: ItemRecord): HTMLElement {
    const href = itemHref(r.code, filters.as_of);
    return h(
      'tr',
      {
        'data-testid': 'nq57-row',
        'data-code': r.code,
        'data-kind': r.kind,
        'data-status': r.status,
        'data-level': r.level,
        onclick: (e: Event) => {
          if (!(e.target as Element).closest('a')) go(href);
        },
      },
      h('td', {}, h('code', {}, r.code), h('br'), h('span', { class: 'muted small' }, kindLabel(r.kind))),
      h('th', { scope: 'row' }, h('a', { href }, r.title), h('br'), h('span', { class: 'muted small' }, [r.programme, r.sector].filter(Boolean).join(' · '))),
      h('td', {}, levelLabel(r.level)),
      h('td', { class: 'wide' }, unitShortName(r.lead_unit_name || r.lead_unit, data.province)),
      h('td', { class: 'num nowrap' }, r.deadline ? fmtDate(r.deadline) : recurrenceLabel(r.recurrence)),
      h('td', {}, statusBadge(r.status)),
      h('td', { class: 'num' }, fmtPercent(r.percent)),
    );
  }

  const list = pagedRows({
    signal,
    first: data,
    fetch: (cursor) => trackerApi.items(apiQuery(filters, cursor)),
    row,
    cols,
    texts: { noMatch: 'tracker.noMatch', shown: 'tracker.shown', shownMore: 'tracker.shownMore' },
    tbody,
    tableWrap,
    count,
    more,
    beforeReload: () => writeFilters(filterKeys, filters),
    afterRender: () => {
      asOfNote.textContent = t('tracker.statusAsOf', { date: fmtDate(filters.as_of || readAsOf()) });
    },
  });
  const reload = list.reload;
  const cancelTyped = onSearchTyped(search, signal, (q) => {
    filters.q = q;
    void reload();
  });
  const onChange = (key: keyof Filters, el: HTMLSelectElement) =>
    el.addEventListener('change', () => {
      filters[key] = el.value;
      void reload();
    });
  onChange('kind', kind);
  onChange('programme', programme);
  onChange('level', level);
  onChange('unit', unit);
  onChange('sector', sector);
  onChange('status', status);

  const reset = resetButton(
    'nq57-reset',
    t('tracker.reset'),
    () => {
      for (const k of filterKeys) if (k !== 'as_of') filters[k] = '';
      search.value = '';
      for (const el of [kind, programme, level, unit, sector, status]) el.value = '';
    },
    reload,
  );

  mount(
    tableWrap,
    listTable(
      { class: 'data nq57-list', testid: 'nq57-table' },
      t('tracker.caption'),
      [
        ['tracker.col.codeKind', ''],
        ['tracker.field.title', ''],
        ['tracker.field.level', ''],
        ['tracker.field.lead_unit', ''],
        ['tracker.field.deadline', 'num'],
        ['tracker.field.status', ''],
        ['tracker.col.percent', 'num'],
      ],
      tbody,
    ),
  );

  mount(
    outlet,
    pageHead(t('tracker.listTitle'), t('tracker.listLead')),
    trackerTabs('tasks', filters.as_of),
    h(
      'div',
      { class: 'page-actions' },
      h('a', { class: 'button button-secondary', href: trackerApi.exportUrl('csv'), download: '', 'data-testid': 'nq57-export-csv' }, t('tracker.exportCsv')),
      h('a', { class: 'button button-secondary', href: trackerApi.exportUrl('xlsx'), download: '', 'data-testid': 'nq57-export-xlsx' }, t('tracker.exportXlsx')),
    ),
    canImport() &&
      importPanel({
        id: 'nq57',
        texts: { title: 'tracker.import', lead: 'tracker.importLead', rejected: 'tracker.importRejected', written: 'tracker.importWritten', dry: 'tracker.importDry' },
        upload: trackerApi.import,
        onWritten: reload,
      }),
    filterForm(
      'toolbar nq57-filters',
      [
        [t('tracker.search'), search],
        [t('tracker.field.kind'), kind],
        [t('tracker.field.programme'), programme],
        [t('tracker.field.level'), level],
        [t('tracker.field.lead_unit'), unit],
        [t('tracker.field.sector'), sector],
        [t('tracker.field.status'), status],
      ],
      reset,
      () => {
        cancelTyped();
        filters.q = search.value;
        void reload();
      },
    ),
    h('div', { class: 'list-meta' }, count, asOfNote),
    tableWrap,
    h('p', {}, more),
  );
  list.render();
  titled(outlet, t('tracker.listTitle'));
}
