// "/" — the IOC overview as of a date (?as_of=, default the server's reference date): the
// headline figures of the index-set engine (live), the data quality card (the province's overall
// score and its four dimensions), then the home province's own figures computed from its units.

import { api, type Unit } from '../api';
import { helpLine } from '../components/help';
import { chart } from '../charts';
import { h, mount } from '../dom';
import { fmtDate, fmtDec, fmtInt, fmtList, t, typeCount, typeLabel } from '../i18n';
import { iocApi, type Overview } from '../ioc-api';
import { loadPage, titled, pageHead } from '../page';
import type { RouteContext } from '../router';
import { go } from '../router';
import { density, totals } from '../units';
import { iocFigures } from './ioc-overview';
import { qualitySummary } from './quality-common';
import { asOfNote, readAsOf } from './tracker-common';

const topCount = 15;

interface Data {
  overview: Overview;
  province: Unit;
  items: Unit[];
}

export async function overviewPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  await loadPage(
    outlet,
    signal,
    async () => {
      const units = async () => {
        const { province } = await api.info();
        return { province, items: (await api.children(province.code)).items };
      };
      const [overview, { province, items }] = await Promise.all([iocApi.overview(asOf), units()]);
      return { overview, province, items };
    },
    (data) => render(outlet, signal, asOf, data),
  );
}

function card(testid: string, label: string, value: string | (string | Node)[], ...details: (string | false)[]) {
  return h(
    'section',
    { class: 'card stat', 'data-testid': testid, 'aria-label': label },
    h('h3', { class: 'stat-label' }, label),
    h('p', { class: 'stat-value', 'data-testid': `${testid}-value` }, value),
    details.filter(Boolean).map((d) => h('p', { class: 'stat-detail' }, d as string)),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, asOf: string, { overview, province, items }: Data): void {
  const communes = items.filter((u) => u.level === 'commune');
  const agencies = items.filter((u) => u.level === 'agency');
  const c = totals(communes);
  const a = totals(agencies);
  // "14 phường và 82 xã"; long lists keep the two largest types and count the rest as "others".
  const typeParts = (tt: typeof c) => {
    const parts = tt.byType.length > 3 ? [...tt.byType].sort((x, y) => y[1] - x[1]) : tt.byType;
    const shown = parts.length > 3 ? parts.slice(0, 2) : parts;
    const rest = parts.slice(shown.length).reduce((sum, [, n]) => sum + n, 0);
    return fmtList([...shown.map(([type, n]) => typeCount(type, n)), ...(rest ? [t('overview.others', { count: fmtInt(rest) })] : [])]);
  };
  // The province's official area is the headline; the communes' own figures may not add up to it.
  const area = province.area_km2 ?? c.area;
  const areaDensity = area > 0 ? density({ population: c.population, area_km2: area }) : null;
  const areaGap = province.area_km2 != null && c.area > 0 && Math.abs(c.area - province.area_km2) > 0.005 * province.area_km2;

  const topChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-top' });
  const typeChart = h('div', { class: 'chart', 'data-testid': 'chart-types' });

  const at = overview.as_of;
  mount(
    outlet,
    pageHead(t('overview.title'), t('ioc.overview.lead', { province: overview.province.name, date: fmtDate(at) })),
    asOfNote('ioc-asof-shown', t('tracker.asOfShown', { date: fmtDate(at) })),
    helpLine(t('help.lightShort'), 'overview-light-help'),
    iocFigures(overview, asOf, signal),
    // Scored as of the overview's date, which the server decides when the address has none.
    qualitySummary(at, signal),
    h(
      'section',
      { class: 'ioc-group', 'aria-labelledby': 'overview-units-h', 'data-testid': 'overview-units' },
      h('h2', { id: 'overview-units-h' }, t('overview.unitsTitle')),
      h('p', { class: 'muted' }, t('overview.lead', { province: province.name })),
      h(
        'div',
        { class: 'cards' },
        card(
          'card-communes',
          t('overview.communes'),
          fmtInt(c.count),
          t('overview.communesDetail', { count: fmtInt(c.count), parts: typeParts(c) }),
        ),
        card(
          'card-population',
          t('overview.population'),
          fmtInt(c.population),
          t('overview.populationDetail', { count: fmtInt(c.count - c.missingPopulation) }),
          c.estimated > 0 && t('overview.populationEstimated', { count: fmtInt(c.estimated) }),
          c.missingPopulation > 0 && t('overview.populationMissing', { count: fmtInt(c.missingPopulation) }),
        ),
        card(
          'card-area',
          t('overview.area'),
          [fmtDec(area), h('span', { class: 'stat-unit' }, ' km²')],
          areaDensity != null && t('overview.areaDetail', { density: fmtInt(areaDensity) }),
          areaGap && t('overview.areaCommunes', { area: fmtDec(c.area) }),
        ),
        card('card-agencies', t('overview.agencies'), fmtInt(a.count), a.count > 0 ? typeParts(a) : t('overview.agenciesDetail')),
      ),
      h(
        'div',
        { class: 'panels' },
        h(
          'section',
          { class: 'card panel panel-wide' },
          h('h3', {}, t('overview.chartTop', { count: Math.min(topCount, communes.length) })),
          topChart,
        ),
        h('section', { class: 'card panel' }, h('h3', {}, t('overview.chartByType')), typeChart),
      ),
      h('p', {}, h('a', { class: 'button', href: '/units' }, t('overview.viewUnits'), ' →')),
    ),
  );
  titled(outlet, t('overview.title'));

  const top = communes
    .filter((u) => u.population != null)
    .sort((x, y) => (y.population ?? 0) - (x.population ?? 0))
    .slice(0, topCount)
    .reverse();
  const bar = chart(topChart, signal);
  bar.update({
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => fmtInt(Number(v)),
    },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmtInt(v) } },
    yAxis: { type: 'category', data: top.map((u) => u.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        name: t('col.population'),
        data: top.map((u) => ({ value: u.population, code: u.code })),
        barMaxWidth: 18,
        itemStyle: { borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', formatter: (p) => fmtInt(Number(p.value)), color: '#3b4a5a', fontSize: 11 },
        cursor: 'pointer',
      },
    ],
  });
  bar.onClick((code) => go(`/units/${encodeURIComponent(code)}`));

  const pie = chart(typeChart, signal);
  pie.update({
    tooltip: {
      trigger: 'item',
      valueFormatter: (v) => fmtInt(Number(v)),
    },
    series: [
      {
        type: 'pie',
        name: t('col.population'),
        radius: ['38%', '60%'],
        center: ['50%', '52%'],
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        labelLine: { length: 10, length2: 8 },
        label: { alignTo: 'edge', edgeDistance: 4, formatter: (p) => `{name|${p.name}}\n{pct|${fmtDec(Number(p.percent), 1)} %}`, rich: { name: { fontWeight: 600, lineHeight: 18 }, pct: { color: '#5b6b7c', lineHeight: 18 } } },
        data: c.byType.map(([type]) => ({ name: typeLabel(type), value: c.populationByType.get(type) ?? 0 })),
      },
    ],
  });
}
