// "/freshness" — is the data in? As of a date (?as_of=) and optionally for one sector (?sector=):
// how many indicators have their due period (602/957), the count by sector, the indicators not
// updated (most stale first, since when), and the reporting units: reports expected, received and
// on time this year, and the units whose data has been stale since a date.

import { exportSource } from '../components/table-export';
import { h, mount } from '../dom';
import { field } from '../forms';
import { fmtDate, fmtInt, t, type Key } from '../i18n';
import { iocApi, type Freshness, type StaleIndicator, type UnitFreshness } from '../ioc-api';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { fmtValue, indicatorHref, iocChart, iocHref, lightColor, localized, param, periodicityLabel, periodLabel } from './ioc-common';
import { asOfNote, labelWidth, readAsOf } from './tracker-common';

const pageSize = 50;

export async function freshnessPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  const sector = param('sector');
  await loadPage(outlet, signal, () => iocApi.freshness(asOf, sector || undefined), (data) => render(outlet, signal, sector, data));
}

const rate = (part: number, whole: number) => (whole > 0 ? fmtValue(Math.round((part / whole) * 10_000) / 100, '%') : t('state.none'));

function card(testid: string, label: Key, value: string, detail: string) {
  return h(
    'section',
    { class: 'card stat', 'data-testid': testid, 'aria-label': t(label) },
    h('h2', { class: 'stat-label' }, t(label)),
    h('p', { class: 'stat-value', 'data-testid': `${testid}-value` }, value),
    h('p', { class: 'stat-detail' }, detail),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, sector: string, data: Freshness): void {
  const sectorName = new Map(data.by_sector.map((s) => [s.sector, localized(s.name, s.name_en)]));
  const stale = data.items.filter((i) => !i.updated);
  const staleUnits = data.units.filter((u) => u.stale_since);
  const at = data.as_of;
  const href = (s: string) => iocHref('/freshness', { sector: s });

  const choices: [string, string][] = data.by_sector.map((s) => [s.sector, localized(s.name, s.name_en)]);
  if (sector && !sectorName.has(sector)) choices.push([sector, sector]);
  const select = h(
    'select',
    { id: 'freshness-sector', name: 'sector', 'data-testid': 'freshness-sector', onchange: (e: Event) => go(href((e.target as HTMLSelectElement).value)) },
    h('option', { value: '' }, t('ioc.all')),
    choices.map(([code, name]) => h('option', { value: code }, name)),
  );
  select.value = sector;

  const sectorChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-freshness-sectors' });
  sectorChart.style.height = `${Math.max(320, data.by_sector.length * 26 + 80)}px`;

  let limit = pageSize;
  const staleBody = h('tbody');
  const more = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'freshness-more' }, t('ioc.more'));
  const staleCount = h('p', { role: 'status', class: 'muted', 'data-testid': 'freshness-stale-count' });
  function renderStale(): void {
    mount(staleBody, stale.length === 0 ? h('tr', {}, h('td', { colspan: 7, class: 'empty' }, t('ioc.freshness.allIn'))) : stale.slice(0, limit).map((i) => staleRow(i, sectorName)));
    staleCount.textContent = t('ioc.shown', { shown: fmtInt(Math.min(limit, stale.length)), total: fmtInt(stale.length) });
    more.hidden = stale.length <= limit;
  }
  more.addEventListener('click', () => {
    limit += pageSize;
    renderStale();
  });
  // The download holds every stale indicator, not only the ones shown so far.
  exportSource(staleBody, { rows: () => stale.map((i) => staleRow(i, sectorName)) });

  mount(
    outlet,
    pageHead(t('ioc.freshness.title'), t('ioc.freshness.lead')),
    asOfNote('freshness-asof-shown', t('tracker.asOfShown', { date: fmtDate(at) })),
    h('form', { class: 'toolbar', role: 'search', onsubmit: (e: Event) => e.preventDefault() }, field(t('ioc.sector'), select)),
    h(
      'div',
      { class: 'cards' },
      card('freshness-updated', 'ioc.freshness.updated', `${fmtInt(data.updated)}/${fmtInt(data.total)}`, t('ioc.freshness.updatedDetail', { rate: rate(data.updated, data.total) })),
      card('freshness-stale', 'ioc.freshness.stale', fmtInt(data.total - data.updated), t('ioc.freshness.staleDetail')),
      card('freshness-stale-units', 'ioc.freshness.staleUnits', fmtInt(staleUnits.length), t('ioc.freshness.staleUnitsDetail', { n: fmtInt(data.units.length) })),
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'freshness-sectors-h' },
      h('h2', { id: 'freshness-sectors-h' }, t('ioc.freshness.bySector')),
      h('p', { class: 'muted small' }, t('ioc.freshness.sectorHint')),
      sectorChart,
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'freshness-list-h' },
      h('h2', { id: 'freshness-list-h' }, t('ioc.freshness.staleList')),
      staleCount,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data ioc-table', 'data-testid': 'freshness-stale-table' },
          h('caption', { class: 'visually-hidden' }, t('ioc.freshness.staleList')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, t('ioc.col.indicator')),
              h('th', { scope: 'col' }, t('ioc.sector')),
              h('th', { scope: 'col' }, t('ioc.indicator.periodicity')),
              h('th', { scope: 'col' }, t('ioc.col.duePeriod')),
              h('th', { scope: 'col' }, t('ioc.col.lastPeriod')),
              h('th', { scope: 'col', class: 'num' }, t('ioc.col.stalePeriods')),
              h('th', { scope: 'col' }, t('ioc.col.staleSince')),
            ),
          ),
          staleBody,
        ),
      ),
      h('p', {}, more),
    ),
    unitsTable(data.units),
  );
  renderStale();
  titled(outlet, t('ioc.freshness.title'));

  const c = iocChart(sectorChart, signal);
  const sectors = [...data.by_sector].reverse(); // the first sector on top
  c.update({
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtInt(Number(v)) },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmtInt(v) } },
    yAxis: {
      type: 'category',
      data: sectors.map((s) => localized(s.name, s.name_en)),
      axisTick: { show: false },
      axisLabel: { width: labelWidth(sectorChart), overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: t('ioc.updated'),
        stack: 'all',
        color: lightColor.green,
        barMaxWidth: 18,
        cursor: 'pointer',
        data: sectors.map((s) => ({ value: s.updated, code: s.sector })),
      },
      {
        type: 'bar',
        name: t('ioc.notUpdated'),
        stack: 'all',
        color: lightColor.red,
        barMaxWidth: 18,
        cursor: 'pointer',
        data: sectors.map((s) => ({ value: s.total - s.updated, code: s.sector })),
      },
    ],
  });
  c.onClick((code) => go(href(code)));
}

function staleRow(i: StaleIndicator, sectorName: Map<string, string>): HTMLElement {
  return h(
    'tr',
    { 'data-testid': 'freshness-stale-row', 'data-code': i.indicator, 'data-stale-periods': i.stale_periods },
    h('th', { scope: 'row' }, h('a', { href: indicatorHref(i.indicator) }, localized(i.name, i.name_en)), h('br'), h('code', { class: 'muted small' }, i.indicator)),
    h('td', {}, sectorName.get(i.sector) ?? i.sector),
    h('td', { class: 'nowrap' }, periodicityLabel(i.periodicity)),
    h('td', { class: 'nowrap' }, periodLabel(i.due_period)),
    h('td', { class: 'nowrap' }, i.last_period ? periodLabel(i.last_period) : h('span', { class: 'muted' }, t('ioc.freshness.never'))),
    h('td', { class: 'num' }, fmtInt(i.stale_periods)),
    h('td', { class: 'nowrap', 'data-testid': 'freshness-stale-since' }, fmtDate(i.stale_since)),
  );
}

/** Units that report values; those stale since a date first (the longest first), marked. */
function unitsTable(units: UnitFreshness[]): HTMLElement {
  const rows = [...units].sort((a, b) => {
    if (!!a.stale_since !== !!b.stale_since) return a.stale_since ? -1 : 1;
    return (a.stale_since ?? '').localeCompare(b.stale_since ?? '') || a.name.localeCompare(b.name, 'vi');
  });
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'freshness-units-h' },
    h('h2', { id: 'freshness-units-h' }, t('ioc.freshness.units')),
    h('p', { class: 'muted small' }, t('ioc.freshness.unitsLead')),
    h(
      'div',
      { class: 'table-wrap table-scroll' },
      h(
        'table',
        { class: 'data ioc-table', 'data-testid': 'freshness-units' },
        h('caption', { class: 'visually-hidden' }, t('ioc.freshness.units')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('ioc.col.unit')),
            h('th', { scope: 'col', class: 'num' }, t('ioc.col.expected')),
            h('th', { scope: 'col', class: 'num' }, t('ioc.col.received')),
            h('th', { scope: 'col', class: 'num' }, t('ioc.col.onTime')),
            h('th', { scope: 'col', class: 'num' }, t('ioc.col.onTimeRate')),
            h('th', { scope: 'col' }, t('ioc.col.lastPeriod')),
            h('th', { scope: 'col' }, t('ioc.col.staleSince')),
          ),
        ),
        h(
          'tbody',
          {},
          rows.length === 0
            ? h('tr', {}, h('td', { colspan: 7, class: 'empty' }, t('state.empty')))
            : rows.map((u) =>
                h(
                  'tr',
                  { 'data-testid': 'freshness-unit-row', 'data-unit': u.unit, 'data-stale': String(!!u.stale_since), class: u.stale_since ? 'row-stale' : null },
                  h('th', { scope: 'row' }, h('a', { href: `/units/${encodeURIComponent(u.unit)}` }, u.name), h('br'), h('span', { class: 'muted small' }, t(`level.${u.level}` as Key))),
                  h('td', { class: 'num' }, fmtInt(u.expected)),
                  h('td', { class: 'num' }, fmtInt(u.received)),
                  h('td', { class: 'num' }, fmtInt(u.on_time)),
                  h('td', { class: 'num' }, rate(u.on_time, u.expected)),
                  h('td', { class: 'nowrap' }, u.last_period ? periodLabel(u.last_period) : t('state.none')),
                  h('td', { class: 'nowrap' }, u.stale_since ? h('span', { class: 'badge badge-old' }, t('ioc.freshness.staleSince', { date: fmtDate(u.stale_since) })) : t('state.none')),
                ),
              ),
        ),
      ),
    ),
  );
}
