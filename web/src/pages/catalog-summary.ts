// "/catalog/summary" — the report's figures from the catalog as of a date (?as_of=, default
// today): platforms, specialized databases (in use, merged or not, under construction), national
// databases connected; charts by status, by sector and by owner, and the monthly progress since
// January 2024. Every number is the server's count over the entries' versions on that date.

import { api } from '../api';
import { catalogApi, type CatalogCounts, type CatalogSummary } from '../catalog-api';
import { escapeHtml, h, mount } from '../dom';
import { fmtDate, fmtDec, fmtInt, lang, locale, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { num, sentence, statCard } from '../components/figures';
import { catalogChart } from './catalog-charts';
import { catalogTabs, isoDate, today, unitShortName } from './catalog-common';

const seriesStart = '2024-01';

interface Data {
  /** The home province's name, e.g. "Tỉnh Tây Ninh" (left out of unit names in the charts). */
  province: string;
  summary: CatalogSummary;
  series: { as_of: string; total: CatalogCounts }[];
}

function readAsOf(): string {
  const v = new URLSearchParams(location.search).get('as_of') ?? '';
  return isoDate.test(v) && plausible(v) ? v : today();
}

/** The first month of the progress chart: January 2024, or later so the series has at most 120 months (the API's limit). */
function seriesFrom(to: string): string {
  const [y, m] = to.split('-').map(Number);
  const index = y * 12 + (m - 1) - 119;
  const earliest = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  if (to < seriesStart) return to;
  return earliest > seriesStart ? earliest : seriesStart;
}

/** Dates a person means (a half-typed year such as 0002 is not one). */
function plausible(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= 2000 && year <= 2100;
}

export async function catalogSummaryPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  const month = asOf.slice(0, 7);
  const from = seriesFrom(month);
  await loadPage(
    outlet,
    signal,
    async () => {
      const [summary, series, info] = await Promise.all([catalogApi.summary(asOf), catalogApi.series(from, month), api.info()]);
      return { province: info.province.name, summary, series: series.items };
    },
    (data) => render(outlet, signal, asOf, data),
  );
}

function card(testid: string, label: string, value: (Node | string)[], ...details: ((Node | string)[] | false)[]) {
  return statCard(testid, label, value, details);
}

/** "10/2025" or "Oct 2025" for a month-end date. */
function monthLabel(iso: string): string {
  const [y, m] = iso.split('-').map(Number);
  if (lang() === 'vi') return `${String(m).padStart(2, '0')}/${y}`;
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

/** Room for the category names of a bar chart: at most a third of a narrow chart. */
function labelWidth(el: HTMLElement): number {
  return Math.round(Math.max(90, Math.min(240, el.clientWidth * 0.34)));
}

function render(outlet: HTMLElement, signal: AbortSignal, asOf: string, { province, summary, series }: Data): void {
  const c = summary.total;
  const date = h('input', { id: 'catalog-asof', name: 'as_of', type: 'date', value: asOf, min: '2000-01-01', max: '2100-12-31', required: true, 'data-testid': 'catalog-asof' });
  let timer = 0;
  const apply = () => {
    clearTimeout(timer);
    if (isoDate.test(date.value) && plausible(date.value) && date.value !== asOf) go(`/catalog/summary?as_of=${date.value}`);
  };
  date.addEventListener('change', () => {
    clearTimeout(timer);
    timer = window.setTimeout(apply, 400);
  });
  signal.addEventListener('abort', () => clearTimeout(timer));

  const statusChart = h('div', { class: 'chart', 'data-testid': 'chart-catalog-status' });
  const sectorChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-catalog-sectors' });
  const ownerChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-catalog-owners' });
  const progressChart = h('div', { class: 'chart', 'data-testid': 'chart-catalog-progress' });

  mount(
    outlet,
    pageHead(t('catalog.summaryTitle'), t('catalog.summaryLead', { date: fmtDate(summary.as_of) })),
    catalogTabs('summary'),
    h(
      'form',
      {
        class: 'toolbar',
        onsubmit: (e: Event) => {
          e.preventDefault();
          apply();
        },
      },
      h('div', { class: 'field' }, h('label', { for: 'catalog-asof' }, t('catalog.asOf')), date),
      h('button', { type: 'submit', class: 'button button-secondary', 'data-testid': 'catalog-asof-apply' }, t('catalog.asOfApply')),
      h('p', { class: 'muted', 'data-testid': 'catalog-summary-date' }, t('catalog.asOfShown', { date: fmtDate(summary.as_of) })),
    ),
    h(
      'div',
      { class: 'cards' },
      card(
        'catalog-card-platforms',
        t('catalog.kindPlural.platform'),
        [num('summary-platforms', c.platforms)],
        sentence('catalog.card.platformsInUse', { n: num('summary-platforms-in-use', c.platforms_in_use) }),
      ),
      card(
        'catalog-card-databases',
        t('catalog.kindPlural.database'),
        [num('summary-databases', c.databases)],
        sentence('catalog.card.inUse', {
          n: num('summary-in-use', c.databases_in_use),
          merged: num('summary-merged', c.databases_merged),
          notMerged: num('summary-not-merged', c.databases_not_merged),
        }),
        sentence('catalog.card.underConstruction', { n: num('summary-under-construction', c.databases_under_construction) }),
        c.databases_planned > 0 && sentence('catalog.card.planned', { n: num('summary-planned', c.databases_planned) }),
      ),
      card(
        'catalog-card-national',
        t('catalog.card.national'),
        [num('summary-national-connected', c.national_connected), h('span', { class: 'stat-unit' }, ' / ', num('summary-national', c.national))],
        sentence('catalog.card.nationalNot', { n: fmtInt(c.national - c.national_connected) }),
      ),
      card(
        'catalog-card-ioc',
        t('catalog.card.ioc'),
        [num('summary-ioc', c.databases_ioc_connected)],
        sentence('catalog.card.iocDetail', {
          pct: c.databases > 0 ? fmtDec((100 * c.databases_ioc_connected) / c.databases, 0) : t('state.none'),
          n: fmtInt(c.databases),
        }),
      ),
    ),
    h(
      'div',
      { class: 'panels' },
      h('section', { class: 'card panel panel-wide' }, h('h2', {}, t('catalog.chartProgress', { from: monthLabel(`${series[0]?.as_of ?? asOf}`) })), progressChart),
      h('section', { class: 'card panel' }, h('h2', {}, t('catalog.chartStatus')), statusChart),
    ),
    h('section', { class: 'card panel' }, h('h2', {}, t('catalog.chartSectors')), sectorChart),
    h('section', { class: 'card panel' }, h('h2', {}, t('catalog.chartOwners')), ownerChart),
    sectorTable(summary),
  );
  titled(outlet, t('catalog.summaryTitle'));

  const tooltipNumber = (v: unknown) => fmtInt(Number(v));
  const statusParts: [Key, number][] = [
    ['catalog.consolidation.merged', c.databases_merged],
    ['catalog.consolidation.not_merged', c.databases_not_merged],
    ['catalog.status.under_construction', c.databases_under_construction],
    ['catalog.status.planned', c.databases_planned],
  ];
  catalogChart(statusChart, signal).update({
    tooltip: { trigger: 'item', valueFormatter: tooltipNumber },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        name: t('catalog.kindPlural.database'),
        radius: ['40%', '64%'],
        center: ['50%', '44%'],
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        label: { position: 'inside', formatter: (p) => fmtInt(Number(p.value)), fontWeight: 700, color: '#fff' },
        data: statusParts
          .map(([key, value], i) => ({ name: t(key), value, itemStyle: { color: ['#14a38b', '#f5a300', '#0b5cad', '#8aa1b8'][i] } }))
          .filter((d) => d.value > 0),
      },
    ],
  });

  // Stacks of databases by status; the same four colours in both bar charts.
  const stacks: { key: Key; value: (x: CatalogCounts) => number; color: string }[] = [
    { key: 'catalog.consolidation.merged', value: (x) => x.databases_merged, color: '#14a38b' },
    { key: 'catalog.consolidation.not_merged', value: (x) => x.databases_not_merged, color: '#f5a300' },
    { key: 'catalog.status.under_construction', value: (x) => x.databases_under_construction, color: '#0b5cad' },
    { key: 'catalog.status.planned', value: (x) => x.databases_planned, color: '#8aa1b8' },
  ];
  const sectors = [...summary.by_sector].filter((s) => s.databases > 0).sort((a, b) => a.databases - b.databases || b.sector.localeCompare(a.sector, 'vi'));
  catalogChart(sectorChart, signal).update({
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: tooltipNumber },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmtInt(v) } },
    yAxis: { type: 'category', data: sectors.map((s) => s.sector), axisTick: { show: false }, axisLabel: { width: labelWidth(sectorChart), overflow: 'truncate' } },
    series: stacks.map((s) => ({
      type: 'bar' as const,
      name: t(s.key),
      stack: 'databases',
      color: s.color,
      barMaxWidth: 18,
      data: sectors.map((x) => s.value(x)),
    })),
  });

  const owners = [...summary.by_owner]
    .map((o) => ({ ...o, label: unitShortName(o.owner_name || o.owner, province), all: o.databases + o.platforms }))
    .filter((o) => o.all > 0)
    .sort((a, b) => a.all - b.all || b.label.localeCompare(a.label, 'vi'));
  catalogChart(ownerChart, signal).update({
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: tooltipNumber,
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmtInt(v) } },
    yAxis: {
      type: 'category',
      data: owners.map((o) => o.label),
      axisTick: { show: false },
      axisLabel: { width: labelWidth(ownerChart), overflow: 'truncate' },
    },
    series: [
      ...stacks.map((s) => ({
        type: 'bar' as const,
        name: t(s.key),
        stack: 'entries',
        color: s.color,
        barMaxWidth: 16,
        data: owners.map((x) => s.value(x)),
      })),
      { type: 'bar' as const, name: t('catalog.kindPlural.platform'), stack: 'entries', color: '#7a5cc2', barMaxWidth: 16, data: owners.map((x) => x.platforms) },
    ],
  });

  const lines: { key: Key; value: (x: CatalogCounts) => number }[] = [
    { key: 'catalog.line.databasesInUse', value: (x) => x.databases_in_use },
    { key: 'catalog.line.databasesMerged', value: (x) => x.databases_merged },
    { key: 'catalog.line.platformsInUse', value: (x) => x.platforms_in_use },
    { key: 'catalog.line.nationalConnected', value: (x) => x.national_connected },
  ];
  catalogChart(progressChart, signal).update({
    tooltip: {
      trigger: 'axis',
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const head = escapeHtml(String(list[0]?.name ?? ''));
        return [head, ...list.map((p) => `${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <b>${fmtInt(Number(p.value))}</b>`)].join('<br>');
      },
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: series.map((s) => monthLabel(s.as_of)) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmtInt(v) } },
    series: lines.map((l) => ({
      type: 'line' as const,
      name: t(l.key),
      showSymbol: series.length <= 24,
      data: series.map((s) => l.value(s.total)),
    })),
  });
}

/** The figures by sector as a table (also what screen readers use instead of the charts). */
function sectorTable(summary: CatalogSummary): HTMLElement {
  const columns: { key: Key; value: (x: CatalogCounts) => number }[] = [
    { key: 'catalog.kind.database', value: (x) => x.databases },
    { key: 'catalog.status.in_use', value: (x) => x.databases_in_use },
    { key: 'catalog.consolidation.merged', value: (x) => x.databases_merged },
    { key: 'catalog.consolidation.not_merged', value: (x) => x.databases_not_merged },
    { key: 'catalog.status.under_construction', value: (x) => x.databases_under_construction },
    { key: 'catalog.kindPlural.platform', value: (x) => x.platforms },
    { key: 'catalog.card.national', value: (x) => x.national_connected },
  ];
  const rows = [...summary.by_sector].sort((a, b) => b.databases - a.databases || a.sector.localeCompare(b.sector, 'vi'));
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'catalog-sector-table-h' },
    h('h2', { id: 'catalog-sector-table-h' }, t('catalog.sectorTable')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data catalog-sector-table', 'data-testid': 'catalog-sector-table' },
        h('caption', { class: 'visually-hidden' }, t('catalog.sectorTable')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('catalog.field.sector')), columns.map((col) => h('th', { scope: 'col', class: 'num' }, t(col.key))))),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              { 'data-testid': 'catalog-sector-row' },
              h('th', { scope: 'row' }, h('a', { href: `/catalog?sector=${encodeURIComponent(r.sector)}` }, r.sector)),
              columns.map((col) => h('td', { class: 'num' }, fmtInt(col.value(r)))),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h('tr', {}, h('th', { scope: 'row' }, t('catalog.total')), columns.map((col) => h('td', { class: 'num' }, fmtInt(col.value(summary.total))))),
        ),
      ),
    ),
  );
}
