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
import { addressFilters, listPageSize, pageQuery, registerList, select } from '../components/register-list';
import { h, mount } from '../dom';
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

const filterKeys = ['kind', 'programme', 'level', 'unit', 'sector', 'status', 'q', 'as_of'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

function readFilters(): Filters {
  const f = addressFilters(filterKeys);
  if (!itemKinds.includes(f.kind as ItemKind)) f.kind = '';
  if (!trackerLevels.includes(f.level as TrackerLevel)) f.level = '';
  if (!derivedStatuses.includes(f.status as DerivedStatus)) f.status = '';
  f.as_of = asOfFromAddress();
  return f;
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
        trackerApi.items(pageQuery(filterKeys, filters, listPageSize)),
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
  const all = t('tracker.all');
  const asOfNote = h('p', { class: 'muted', 'data-testid': 'nq57-list-asof' });

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

  const list = registerList({
    id: 'nq57',
    register: 'tracker',
    signal,
    keys: filterKeys,
    filters,
    keep: ['as_of'],
    selects: [
      ['kind', t('tracker.field.kind'), select('nq57-kind', itemKinds.map((k) => [k, kindLabel(k)]), filters.kind, all)],
      ['programme', t('tracker.field.programme'), select('nq57-programme', data.programmes.map((p) => [p.code, `${p.code} · ${p.name}`]), filters.programme, all)],
      ['level', t('tracker.field.level'), select('nq57-level', trackerLevels.map((l) => [l, levelLabel(l)]), filters.level, all)],
      ['unit', t('tracker.field.lead_unit'), select('nq57-unit', data.units.map((u) => [u.code, u.name]), filters.unit, all)],
      ['sector', t('tracker.field.sector'), select('nq57-sector', data.sectors.map((s) => [s, s]), filters.sector, all)],
      ['status', t('tracker.field.status'), select('nq57-status', derivedStatuses.map((s) => [s, statusLabel(s)]), filters.status, all)],
    ],
    first: data,
    fetch: trackerApi.items,
    row,
    table: {
      class: 'data nq57-list',
      testid: 'nq57-table',
      columns: [
        ['tracker.col.codeKind', ''],
        ['tracker.field.title', ''],
        ['tracker.field.level', ''],
        ['tracker.field.lead_unit', ''],
        ['tracker.field.deadline', 'num'],
        ['tracker.field.status', ''],
        ['tracker.col.percent', 'num'],
      ],
    },
    sheet: trackerApi,
    mayImport: canImport(),
    afterRender: () => {
      asOfNote.textContent = t('tracker.statusAsOf', { date: fmtDate(filters.as_of || readAsOf()) });
    },
    meta: (count) => h('div', { class: 'list-meta' }, count, asOfNote),
  });

  mount(outlet, pageHead(t('tracker.listTitle'), t('tracker.listLead')), trackerTabs('tasks', filters.as_of), list.nodes);
  list.render();
  titled(outlet, t('tracker.listTitle'));
}
