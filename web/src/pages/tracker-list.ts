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
  type ImportFormat,
  type ItemKind,
  type ItemRecord,
  type Programme,
  type TrackerImportReport,
  type TrackerLevel,
} from '../tracker-api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDate, fmtInt, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser, hasRole } from '../session';
import { showError } from '../shell';
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

/** A filter's choices; a value from the address that is not among them (any more) is offered too. */
function select(id: string, options: [string, string][], value: string, allLabel: string): HTMLSelectElement {
  const all: [string, string][] = value && !options.some(([v]) => v === value) ? [...options, [value, value]] : options;
  const el = h('select', { id, name: id }, h('option', { value: '' }, allLabel), all.map(([v, label]) => h('option', { value: v }, label)));
  el.value = value;
  return el;
}

/** Administrators and officers may import (the server checks each row's lead unit). */
function canImport(): boolean {
  return hasRole(currentUser(), ['administrator', 'officer']);
}

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const filters = { ...data.filters };
  let items = data.items;
  let next = data.next;
  let seq = 0;

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

  function renderRows(): void {
    mount(tbody, items.length === 0 ? h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('tracker.noMatch'))) : items.map(row));
    count.textContent = next ? t('tracker.shownMore', { shown: fmtInt(items.length) }) : t('tracker.shown', { shown: fmtInt(items.length) });
    more.hidden = !next;
    asOfNote.textContent = t('tracker.statusAsOf', { date: fmtDate(filters.as_of || readAsOf()) });
  }

  async function reload(): Promise<void> {
    writeFilters(filters);
    const mine = ++seq;
    tableWrap.setAttribute('aria-busy', 'true');
    try {
      const page = await trackerApi.items(apiQuery(filters));
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
        const page = await trackerApi.items(apiQuery(filters, next));
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
      void reload();
    });
  onChange('kind', kind);
  onChange('programme', programme);
  onChange('level', level);
  onChange('unit', unit);
  onChange('sector', sector);
  onChange('status', status);

  const reset = h('button', { type: 'button', class: 'link-button', 'data-testid': 'nq57-reset' }, t('tracker.reset'));
  reset.addEventListener('click', () => {
    for (const k of filterKeys) if (k !== 'as_of') filters[k] = '';
    search.value = '';
    for (const el of [kind, programme, level, unit, sector, status]) el.value = '';
    void reload();
  });

  mount(
    tableWrap,
    h(
      'table',
      { class: 'data nq57-list', 'data-testid': 'nq57-table' },
      h('caption', { class: 'visually-hidden' }, t('tracker.caption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          (
            [
              ['tracker.col.codeKind', ''],
              ['tracker.field.title', ''],
              ['tracker.field.level', ''],
              ['tracker.field.lead_unit', ''],
              ['tracker.field.deadline', 'num'],
              ['tracker.field.status', ''],
              ['tracker.col.percent', 'num'],
            ] as [Key, string][]
          ).map(([key, cls]) => h('th', { scope: 'col', class: cls || null }, t(key))),
        ),
      ),
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
    canImport() && importPanel(() => reload()),
    h(
      'form',
      {
        class: 'toolbar nq57-filters',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          clearTimeout(timer);
          filters.q = search.value;
          void reload();
        },
      },
      field(t('tracker.search'), search),
      field(t('tracker.field.kind'), kind),
      field(t('tracker.field.programme'), programme),
      field(t('tracker.field.level'), level),
      field(t('tracker.field.lead_unit'), unit),
      field(t('tracker.field.sector'), sector),
      field(t('tracker.field.status'), status),
      h('p', { class: 'toolbar-end' }, reset),
    ),
    h('div', { class: 'list-meta' }, count, asOfNote),
    tableWrap,
    h('p', {}, more),
  );
  renderRows();
  titled(outlet, t('tracker.listTitle'));
}

/** The import: a CSV or XLSX file, checked only (dry run) or written; the report with its row errors. */
function importPanel(onWritten: () => Promise<void>): HTMLElement {
  const file = input('nq57-import-file', {
    type: 'file',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'data-testid': 'nq57-import-file',
  });
  const dryRun = input('nq57-import-dry', { type: 'checkbox', checked: true, 'data-testid': 'nq57-import-dry' });
  const message = formMessage('nq57-import-message');
  const report = h('div', { 'data-testid': 'nq57-import-report', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'nq57-import-submit' }, t('catalog.importSubmit'));

  function showReport(r: TrackerImportReport): void {
    const outcome = r.errors.length > 0 ? t('tracker.importRejected') : r.written ? t('tracker.importWritten') : t('tracker.importDry');
    mount(
      report,
      h('p', { class: `notice ${r.errors.length ? 'warn' : 'ok'}`, 'data-testid': 'nq57-import-outcome' }, outcome),
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
        ).map(([k, n]) => h('li', { 'data-testid': `nq57-import-${k}` }, h('strong', {}, fmtInt(n)), ' ', t(`catalog.import.${k}`))),
      ),
      r.errors.length > 0 &&
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', 'data-testid': 'nq57-import-errors' },
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
                  { 'data-testid': 'nq57-import-error' },
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
            const r = await trackerApi.import(chosen, format, dryRun.checked);
            showReport(r);
            if (r.written) await onWritten();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    h('p', { class: 'muted' }, t('tracker.importLead')),
    h('div', { class: 'form-grid' }, field(t('catalog.importFile'), file)),
    h('label', { class: 'check' }, dryRun, t('catalog.importDryRun')),
    message.el,
    h('p', {}, submit),
    report,
  );
  return h('details', { class: 'card panel', 'data-testid': 'nq57-import-panel' }, h('summary', {}, h('h2', {}, t('tracker.import'))), form);
}
