// "/catalog/summary" — the report's figures from the catalog as of a date (?as_of=, default
// today): platforms, specialized databases (in use, merged or not, under construction), national
// databases connected; charts by status, by sector and by owner, and the monthly progress since
// January 2024. Every number is the server's count over the entries' versions on that date.

import { api } from '../api';
import { catalogApi, type CatalogCounts, type CatalogSummary } from '../catalog-api';
import { h, mount } from '../dom';
import { fmtDate, fmtDec, fmtInt, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import type { RouteContext } from '../router';
import { donutOption, labelWidth, monthLabel, monthsOption, num, sentence, stackedBarsOption, statCard, tablePanel } from '../components/figures';
import { catalogChart } from './catalog-charts';
import { catalogTabs, unitShortName } from './catalog-common';
import { asOfNote, readAsOf } from './tracker-common';

const seriesStart = '2024-01';

interface Data {
  /** The home province's name, e.g. "Tỉnh Tây Ninh" (left out of unit names in the charts). */
  province: string;
  summary: CatalogSummary;
  series: { as_of: string; total: CatalogCounts }[];
}

/** The first month of the progress chart: January 2024, or later so the series has at most 120 months (the API's limit). */
function seriesFrom(to: string): string {
  const [y, m] = to.split('-').map(Number);
  const index = y * 12 + (m - 1) - 119;
  const earliest = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  if (to < seriesStart) return to;
  return earliest > seriesStart ? earliest : seriesStart;
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

function render(outlet: HTMLElement, signal: AbortSignal, asOf: string, { province, summary, series }: Data): void {
  const c = summary.total;
  const statusChart = h('div', { class: 'chart', 'data-testid': 'chart-catalog-status' });
  const sectorChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-catalog-sectors' });
  const ownerChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-catalog-owners' });
  const progressChart = h('div', { class: 'chart', 'data-testid': 'chart-catalog-progress' });

  mount(
    outlet,
    pageHead(t('catalog.summaryTitle'), t('catalog.summaryLead', { date: fmtDate(summary.as_of) })),
    catalogTabs('summary'),
    asOfNote('catalog-summary-date', t('catalog.asOfShown', { date: fmtDate(summary.as_of) })),
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

  const statusParts: [Key, number][] = [
    ['catalog.consolidation.merged', c.databases_merged],
    ['catalog.consolidation.not_merged', c.databases_not_merged],
    ['catalog.status.under_construction', c.databases_under_construction],
    ['catalog.status.planned', c.databases_planned],
  ];
  catalogChart(statusChart, signal).update(
    donutOption(
      t('catalog.kindPlural.database'),
      '44%',
      statusParts.map(([key, value], i) => ({ name: t(key), value, itemStyle: { color: ['#14a38b', '#f5a300', '#0b5cad', '#8aa1b8'][i] } })),
    ),
  );

  // Stacks of databases by status; the same four colours in both bar charts.
  const stacks: { key: Key; value: (x: CatalogCounts) => number; color: string }[] = [
    { key: 'catalog.consolidation.merged', value: (x) => x.databases_merged, color: '#14a38b' },
    { key: 'catalog.consolidation.not_merged', value: (x) => x.databases_not_merged, color: '#f5a300' },
    { key: 'catalog.status.under_construction', value: (x) => x.databases_under_construction, color: '#0b5cad' },
    { key: 'catalog.status.planned', value: (x) => x.databases_planned, color: '#8aa1b8' },
  ];
  /** Bars of `rows`' databases by status, plus `more` (the owners' platforms). */
  function statusBars<X extends CatalogCounts>(el: HTMLElement, rows: X[], label: (x: X) => string, stack: string, barMaxWidth: number, more: { name: string; color: string; data: number[] }[] = []) {
    catalogChart(el, signal).update(
      stackedBarsOption({
        categories: rows.map(label),
        labelWidth: labelWidth(el, 240, 0.34),
        stack,
        barMaxWidth,
        bars: [...stacks.map((s) => ({ name: t(s.key), color: s.color, data: rows.map((x) => s.value(x)) })), ...more],
      }),
    );
  }

  const sectors = [...summary.by_sector].filter((s) => s.databases > 0).sort((a, b) => a.databases - b.databases || b.sector.localeCompare(a.sector, 'vi'));
  statusBars(sectorChart, sectors, (s) => s.sector, 'databases', 18);

  const owners = [...summary.by_owner]
    .map((o) => ({ ...o, label: unitShortName(o.owner_name || o.owner, province), all: o.databases + o.platforms }))
    .filter((o) => o.all > 0)
    .sort((a, b) => a.all - b.all || b.label.localeCompare(a.label, 'vi'));
  statusBars(ownerChart, owners, (o) => o.label, 'entries', 16, [{ name: t('catalog.kindPlural.platform'), color: '#7a5cc2', data: owners.map((x) => x.platforms) }]);

  const lines: { key: Key; value: (x: CatalogCounts) => number }[] = [
    { key: 'catalog.line.databasesInUse', value: (x) => x.databases_in_use },
    { key: 'catalog.line.databasesMerged', value: (x) => x.databases_merged },
    { key: 'catalog.line.platformsInUse', value: (x) => x.platforms_in_use },
    { key: 'catalog.line.nationalConnected', value: (x) => x.national_connected },
  ];
  catalogChart(progressChart, signal).update(
    monthsOption(
      series.map((s) => monthLabel(s.as_of)),
      lines.map((l) => ({ type: 'line' as const, name: t(l.key), showSymbol: series.length <= 24, data: series.map((s) => l.value(s.total)) })),
    ),
  );
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
  return tablePanel({
    id: 'catalog-sector-table',
    title: t('catalog.sectorTable'),
    class: 'data catalog-sector-table',
    head: [t('catalog.field.sector'), ...columns.map((col) => t(col.key))],
    rows: rows.map((r) =>
      h(
        'tr',
        { 'data-testid': 'catalog-sector-row' },
        h('th', { scope: 'row' }, h('a', { href: `/catalog?sector=${encodeURIComponent(r.sector)}` }, r.sector)),
        columns.map((col) => h('td', { class: 'num' }, fmtInt(col.value(r)))),
      ),
    ),
    foot: h('tr', {}, h('th', { scope: 'row' }, t('catalog.total')), columns.map((col) => h('td', { class: 'num' }, fmtInt(col.value(summary.total))))),
  });
}
