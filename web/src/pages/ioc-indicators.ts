// "/indicators" — the index set as of a date: every indicator with its latest value and period,
// target, light and whether the due period is in. Filters by sector (chips with counts), light and
// updated or not, and a search over code and name that ignores diacritics ("ho so truc tuyen"
// finds "hồ sơ trực tuyến"). The list is loaded once and filtered in the page; the filters live
// in the address (?sector=&q=&status=&updated=).

import { helpLine } from '../components/help';
import { exportSource } from '../components/table-export';
import { h, mount } from '../dom';
import { field, input } from '../forms';
import { fmtDate, fmtInt, t } from '../i18n';
import { iocApi, lights, type IndicatorList, type IndicatorRow } from '../ioc-api';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { fold } from '../text';
import { fmtValue, indicatorHref, iocHref, lightLabel, lightMark, localized, periodLabel, updatedBadge } from './ioc-common';
import { asOfNote, readAsOf } from './tracker-common';

const pageSize = 100;
const filterKeys = ['sector', 'q', 'status', 'updated'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

function readFilters(): Filters {
  const p = new URLSearchParams(location.search);
  const f = Object.fromEntries(filterKeys.map((k) => [k, p.get(k) ?? ''])) as Filters;
  if (!(lights as string[]).includes(f.status)) f.status = '';
  if (f.updated !== 'true' && f.updated !== 'false') f.updated = '';
  return f;
}

/** The list's address for the filters (empty ones left out), keeping the as-of date. */
const listHref = (f: Record<string, string>) => iocHref('/indicators', { ...f, q: f.q?.trim() });

export async function indicatorsPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  await loadPage(outlet, signal, () => iocApi.indicators(asOf), (data) => render(outlet, signal, data));
}

function render(outlet: HTMLElement, signal: AbortSignal, list: IndicatorList): void {
  const filters = readFilters();
  let limit = pageSize;
  const sectorName = new Map(list.sectors.map((s) => [s.code, localized(s.name, s.name_en)]));
  const haystack = new Map(list.items.map((i) => [i.code, [i.code, i.name, i.name_en].map(fold)]));

  const search = input('indicator-q', {
    type: 'search',
    value: filters.q,
    autocomplete: 'off',
    placeholder: t('ioc.searchPlaceholder'),
    'data-testid': 'indicator-search',
  });
  const status = h(
    'select',
    { id: 'indicator-status', name: 'status', 'data-testid': 'indicator-status' },
    h('option', { value: '' }, t('ioc.all')),
    lights.map((s) => h('option', { value: s }, lightLabel(s))),
  );
  status.value = filters.status;
  const updated = h(
    'select',
    { id: 'indicator-updated', name: 'updated', 'data-testid': 'indicator-updated' },
    h('option', { value: '' }, t('ioc.all')),
    h('option', { value: 'true' }, t('ioc.updated')),
    h('option', { value: 'false' }, t('ioc.notUpdated')),
  );
  updated.value = filters.updated;
  const chips = h('ul', { class: 'filter-chips', 'aria-label': t('ioc.sector'), 'data-testid': 'indicator-sectors' });
  const count = h('p', { role: 'status', class: 'muted', 'data-testid': 'indicator-count' });
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'indicator-more' }, t('ioc.more'));

  function matches(i: IndicatorRow, sector: string): boolean {
    if (sector && i.sector !== sector) return false;
    if (filters.status && i.status !== filters.status) return false;
    if (filters.updated && String(i.updated) !== filters.updated) return false;
    const q = fold(filters.q);
    return !q || haystack.get(i.code)!.some((text) => text.includes(q));
  }

  // One chip per sector (and "all"), kept across updates so the pressed one keeps the focus.
  const chipCounts = new Map<string, HTMLElement>();
  const chipButtons = new Map<string, HTMLButtonElement>();
  function chip(code: string, label: string): HTMLElement {
    const n = h('span', { class: 'chip-count', 'data-testid': 'indicator-sector-count' });
    const button = h(
      'button',
      {
        type: 'button',
        class: 'filter-chip',
        'data-testid': 'indicator-sector',
        'data-sector': code,
        onclick: () => {
          filters.sector = code;
          limit = pageSize;
          update();
        },
      },
      label,
      ' ',
      n,
    );
    chipCounts.set(code, n);
    chipButtons.set(code, button);
    return h('li', {}, button);
  }
  mount(chips, chip('', t('ioc.all')), list.sectors.map((s) => chip(s.code, localized(s.name, s.name_en))));

  function row(i: IndicatorRow): HTMLElement {
    const href = indicatorHref(i.code);
    return h(
      'tr',
      {
        'data-testid': 'indicator-row',
        'data-code': i.code,
        'data-sector': i.sector,
        'data-status': i.status,
        'data-updated': String(i.updated),
        onclick: (e: Event) => {
          if (!(e.target as Element).closest('a')) go(href);
        },
      },
      h('td', {}, h('code', {}, i.code)),
      h('th', { scope: 'row' }, h('a', { href }, localized(i.name, i.name_en)), h('br'), h('span', { class: 'muted small' }, sectorName.get(i.sector) ?? i.sector)),
      h(
        'td',
        { class: 'num' },
        i.latest
          ? [h('span', { 'data-testid': 'indicator-row-value' }, fmtValue(i.latest.value, i.measure)), h('br'), h('span', { class: 'muted small' }, periodLabel(i.latest.period))]
          : t('state.none'),
      ),
      h(
        'td',
        { class: 'num' },
        i.target ? [fmtValue(i.target.value, i.measure), h('br'), h('span', { class: 'muted small' }, t('ioc.period.year', { y: i.target.year }))] : t('state.none'),
      ),
      h('td', {}, lightMark(i.status, i.judged, i.measure)),
      h('td', {}, updatedBadge(i)),
    );
  }

  let shown: IndicatorRow[] = [];
  function update(): void {
    history.replaceState(null, '', listHref(filters));
    // Counts by sector under the other filters.
    const others = list.items.filter((i) => matches(i, ''));
    const bySector = new Map<string, number>();
    for (const i of others) bySector.set(i.sector, (bySector.get(i.sector) ?? 0) + 1);
    for (const [code, n] of chipCounts) n.textContent = fmtInt(code ? (bySector.get(code) ?? 0) : others.length);
    for (const [code, button] of chipButtons) button.setAttribute('aria-pressed', String(filters.sector === code));
    shown = filters.sector ? others.filter((i) => i.sector === filters.sector) : others;
    mount(
      tbody,
      shown.length === 0 ? h('tr', {}, h('td', { colspan: 6, class: 'empty' }, t('ioc.noMatch'))) : shown.slice(0, limit).map(row),
    );
    count.textContent = t('ioc.shown', { shown: fmtInt(Math.min(limit, shown.length)), total: fmtInt(shown.length) });
    more.hidden = shown.length <= limit;
  }

  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      filters.q = search.value;
      limit = pageSize;
      update();
    }, 200);
  });
  signal.addEventListener('abort', () => clearTimeout(timer));
  status.addEventListener('change', () => {
    filters.status = status.value;
    limit = pageSize;
    update();
  });
  updated.addEventListener('change', () => {
    filters.updated = updated.value;
    limit = pageSize;
    update();
  });
  more.addEventListener('click', () => {
    limit += pageSize;
    update();
  });
  const reset = h('button', { type: 'button', class: 'link-button', 'data-testid': 'indicator-reset' }, t('ioc.reset'));
  reset.addEventListener('click', () => {
    for (const k of filterKeys) filters[k] = '';
    search.value = '';
    status.value = '';
    updated.value = '';
    limit = pageSize;
    update();
  });

  const at = list.as_of;
  mount(
    outlet,
    pageHead(t('ioc.indicators.title'), t('ioc.indicators.lead')),
    asOfNote('indicator-asof-shown', t('tracker.asOfShown', { date: fmtDate(at) })),
    h('p', {}, h('strong', { 'data-testid': 'indicator-updated-count' }, `${fmtInt(list.updated)}/${fmtInt(list.total)}`), ' ', t('ioc.updatedLead')),
    h(
      'form',
      {
        class: 'toolbar ioc-filters',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          clearTimeout(timer);
          filters.q = search.value;
          limit = pageSize;
          update();
        },
      },
      field(t('ioc.search'), search),
      field(t('ioc.status'), status),
      field(t('ioc.updatedFilter'), updated),
      h('p', { class: 'toolbar-end' }, reset),
    ),
    chips,
    helpLine(t('help.light'), 'indicator-light-help'),
    count,
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data ioc-table', 'data-testid': 'indicator-table' },
        h('caption', { class: 'visually-hidden' }, t('ioc.indicators.caption')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('ioc.col.code')),
            h('th', { scope: 'col' }, t('ioc.col.indicator')),
            h('th', { scope: 'col', class: 'num' }, t('ioc.col.latest')),
            h('th', { scope: 'col', class: 'num' }, t('ioc.target')),
            h('th', { scope: 'col' }, t('ioc.status')),
            h('th', { scope: 'col' }, t('ioc.col.updated')),
          ),
        ),
        tbody,
      ),
    ),
    h('p', {}, more),
  );
  // The download holds every indicator of the filters, not only the ones shown so far.
  exportSource(tbody, { rows: () => shown.map(row) });
  update();
  titled(outlet, t('ioc.indicators.title'));
}
