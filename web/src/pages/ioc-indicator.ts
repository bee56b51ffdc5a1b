// "/indicators/:code" — one indicator for a unit and a period (?unit=, default the province;
// ?period=, default the latest with a value): its value against the target with the light (and
// what it judges: the year to date, when that is it), the unit's own projection for the year, "?"
// explanations of both, its metadata (expression, measure, periodicity, direction, owner,
// targets), the series of the last 36 periods, and the unit's children compared in a bar chart, a
// table and a map of the communes as areas (components/commune-map.ts). Children, bars and map areas
// drill down (?unit=CODE); the breadcrumb leads back up. The value follows live events: a change for this
// indicator, unit and period is shown at once, then the rest is fetched again.

import { api } from '../api';
import { help } from '../components/help';
import { communeMap } from '../components/commune-map';
import { h, mount } from '../dom';
import { fmtNum, measureLabel, t, type Key } from '../i18n';
import { iocApi, type ChildValue, type IndexSetNames, type IndicatorDetail, type Named, type Projection, type Values } from '../ioc-api';
import { subscribe } from '../live';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import {
  fmtValue,
  indicatorHref,
  iocChart,
  lightColor,
  lightMark,
  liveRefresh,
  localized,
  measureUnit,
  param,
  periodicityLabel,
  periodLabel,
  periodPicker,
  periodsUpTo,
  unitBreadcrumb,
  unitTrail,
  updatedBadge,
  yearBefore,
  lastYearLine,
  type TrailUnit,
} from './ioc-common';
import { readAsOf } from './tracker-common';

const seriesLength = 36;

interface Data {
  indicator: IndicatorDetail;
  values: Values;
  trail: TrailUnit[];
  ownerName: string | null;
}

export async function indicatorPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  const query = { indicator: params.code, unit: param('unit') || undefined, period: param('period') || undefined, as_of: asOf, children: true, series: seriesLength };
  await loadPage(
    outlet,
    signal,
    async () => {
      // The projection is the shown unit's own (the province's when no unit is asked for).
      const [indicator, values] = await Promise.all([iocApi.indicator(params.code, asOf, query.unit), iocApi.values(query)]);
      const [trail, ownerName] = await Promise.all([unitTrail(values.unit.code), ownerOf(indicator.owner_unit)]);
      return { indicator, values, trail, ownerName };
    },
    (data) => render(outlet, signal, asOf, data),
  );
  // Not found: the way on leads back to the indicators (the shared error state offers the units).
  const back = outlet.querySelector<HTMLAnchorElement>('[data-testid="error-state"] a[href="/units"]');
  if (back) {
    back.href = '/indicators';
    back.textContent = t('ioc.indicator.back');
  }
}

/** The owner's name when it is one of the province's units (agencies are), else null. */
async function ownerOf(code: string | null): Promise<string | null> {
  if (!code) return null;
  const { province } = await api.info();
  const { items } = await api.children(province.code);
  return items.find((u) => u.code === code)?.name ?? null;
}

function fact(label: Key, ...value: (Node | string | null | false)[]) {
  return h('div', { class: 'fact' }, h('dt', {}, t(label)), h('dd', {}, ...value));
}

/** Codes with their names beside them (filled in once the index set's names are read). */
const codeList = (codes: string[], link: boolean, kind: 'element' | 'indicator') =>
  codes.length === 0
    ? t('state.none')
    : h(
        'ul',
        { class: 'code-list code-list-named' },
        codes.map((c) =>
          h(
            'li',
            {},
            link ? h('a', { href: indicatorHref(c) }, h('code', {}, c)) : h('code', {}, c),
            h('span', { class: 'code-name', 'data-ref': kind, 'data-code': c, 'data-testid': 'indicator-ref-name' }),
          ),
        ),
      );

let setNames: Promise<IndexSetNames> | null = null;

/** The index set's names (read once per page load; definitions rarely change). */
function indexSetNames(): Promise<IndexSetNames> {
  setNames ??= iocApi.indexSet().catch((err: unknown) => {
    setNames = null;
    throw err;
  });
  return setNames;
}

const referencePattern = /([#IC])\{([A-Za-z0-9_]+)(?:\.([^}]+))?\}/g;

/**
 * The formula with names instead of codes: "#{DVC_HS_TONG}" (a data element), "I{CODE}" (an
 * indicator) and "C{CODE}" (a constant) become their names, the code on hover.
 */
function namedExpression(expression: string, names: IndexSetNames): (Node | string)[] {
  const byKind: Record<string, Map<string, Named>> = {
    '#': new Map(names.elements.map((e) => [e.code, e])),
    I: new Map(names.indicators.map((e) => [e.code, e])),
    C: new Map(names.constants.map((e) => [e.code, e])),
  };
  const out: (Node | string)[] = [];
  let at = 0;
  for (const m of expression.matchAll(referencePattern)) {
    out.push(expression.slice(at, m.index));
    const found = byKind[m[1]]?.get(m[2]);
    const name = found?.name ? localized(found.name, found.name_en) : m[2];
    out.push(h('span', { class: 'ref-name', title: m[0] }, m[3] ? `${name} (${m[3]})` : name));
    at = (m.index ?? 0) + m[0].length;
  }
  out.push(expression.slice(at));
  return out;
}

/** Children best first in the indicator's direction; those without a value last. */
function ranked(children: ChildValue[], direction: IndicatorDetail['direction']): ChildValue[] {
  const rank = (c: ChildValue) => (c.value == null ? Infinity : direction === 'down' ? c.value : -c.value);
  // Two without a value compare as NaN, which falls through to the names.
  return [...children].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'vi'));
}

function render(outlet: HTMLElement, signal: AbortSignal, asOf: string | undefined, { indicator, values, trail, ownerName }: Data): void {
  const code = indicator.code;
  const measure = indicator.measure;
  let current = values;
  const unitHref = (unit: string) => indicatorHref(code, { unit, period: current.period });
  const fmt = (v: number | null | undefined) => fmtValue(v, measure);

  // The value card.
  const valueHeading = h('h2', { class: 'stat-label', id: 'indicator-value-h' });
  const valueEl = h('span', { 'data-testid': 'indicator-value' });
  const unitSuffix = measureUnit(measure);
  const valueBox = h('p', { class: 'stat-value' }, valueEl, unitSuffix && h('span', { class: 'stat-unit' }, ` ${unitSuffix}`));
  const targetLine = h('p', { class: 'ioc-target', 'data-testid': 'indicator-target' });
  const lastYear = h('p', { class: 'stat-detail', 'data-testid': 'indicator-last-year', hidden: true });
  const valueCard = h(
    'section',
    { class: 'card stat ioc-value', 'aria-labelledby': 'indicator-value-h', 'data-testid': 'indicator-value-card' },
    valueHeading,
    valueBox,
    lastYear,
    targetLine,
    indicator.projection &&
      h(
        'p',
        { class: 'stat-detail' },
        t('ioc.indicator.projection'),
        ': ',
        projection(indicator.projection, projectedUnit(indicator.projection, trail), fmt),
        help(t('help.projectionTopic'), projectionHelp(indicator.projection), 'indicator-projection-help'),
      ),
  );

  const seriesChart = h('div', { class: 'chart', 'data-testid': 'chart-indicator-series' });
  const childrenChart = h('div', { class: 'chart', 'data-testid': 'chart-indicator-children' });
  const childrenBody = h('tbody');
  const childrenSection = h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'indicator-children-h' },
    h('h2', { id: 'indicator-children-h' }, t('ioc.indicator.children')),
    h('p', { class: 'muted small' }, t('ioc.indicator.drillHint')),
    childrenChart,
    h(
      'div',
      { class: 'table-wrap table-scroll' },
      h(
        'table',
        { class: 'data ioc-table', 'data-testid': 'indicator-children' },
        h('caption', { class: 'visually-hidden' }, t('ioc.indicator.children')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', class: 'num' }, t('ioc.col.rank')),
            h('th', { scope: 'col' }, t('ioc.col.unit')),
            h('th', { scope: 'col' }, t('ioc.col.level')),
            h('th', { scope: 'col', class: 'num' }, t('ioc.col.value')),
            h('th', { scope: 'col' }, t('ioc.status'), help(t('help.lightTopic'), t('help.light'))),
          ),
        ),
        childrenBody,
      ),
    ),
  );
  // The communes as areas coloured by value, green for the better end in the indicator's direction.
  const colours = [lightColor.red, lightColor.yellow, lightColor.green];
  const map = communeMap(signal, {
    testid: 'chart-indicator-map',
    fmt,
    colours: indicator.direction === 'down' ? [...colours].reverse() : colours,
    onClick: (unit) => go(unitHref(unit)),
  });
  const mapSection = h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'indicator-map-h' },
    h('h2', { id: 'indicator-map-h' }, t('ioc.indicator.map')),
    h('p', { class: 'muted small' }, t('ioc.indicator.mapHint')),
    map.el,
  );
  const compare = h('div', { class: 'panels ioc-compare' }, childrenSection, mapSection);
  const noChildren = h('p', { class: 'muted', 'data-testid': 'indicator-no-children' }, t('ioc.indicator.noChildren'));

  // The formula in words, under the formula in codes.
  const expressionNamed = h('p', { class: 'expression-named', 'data-testid': 'indicator-expression-named', hidden: true });
  const thresholds = indicator.thresholds;
  const latestPeriod = indicator.latest?.period || current.period || indicator.due_period;
  mount(
    outlet,
    unitBreadcrumb(trail, unitHref),
    pageHead(localized(indicator.name, indicator.name_en), indicator.description || undefined),
    h(
      'div',
      { class: 'toolbar' },
      periodPicker('indicator-period', periodsUpTo(latestPeriod, seriesLength), current.period || latestPeriod, (p) => go(indicatorHref(code, { unit: current.unit.code, period: p }))),
      current.period !== latestPeriod && h('p', { class: 'toolbar-note' }, h('a', { href: indicatorHref(code, { unit: current.unit.code }) }, t('ioc.indicator.latest'))),
    ),
    h(
      'div',
      { class: 'panels ioc-split' },
      valueCard,
      h(
        'section',
        { class: 'card panel', 'aria-labelledby': 'indicator-facts-h' },
        h('h2', { id: 'indicator-facts-h' }, t('ioc.indicator.facts')),
        h(
          'dl',
          { class: 'facts', 'data-testid': 'indicator-facts' },
          fact('ioc.col.code', h('code', {}, code)),
          fact('ioc.indicator.measure', measureLabel(measure) || t('state.none')),
          fact('ioc.indicator.periodicity', periodicityLabel(indicator.periodicity)),
          fact('ioc.indicator.direction', t(indicator.direction === 'down' ? 'ioc.direction.down' : 'ioc.direction.up')),
          fact('ioc.indicator.owner', ownerName ?? indicator.owner_unit ?? t('state.none')),
          fact('ioc.indicator.duePeriod', periodLabel(indicator.due_period), ' ', updatedBadge(indicator)),
          fact('ioc.indicator.thresholds', t('ioc.indicator.thresholdsText', { green: fmtNum(thresholds.green), yellow: fmtNum(thresholds.yellow) })),
          h(
            'div',
            { class: 'fact fact-full' },
            h('dt', {}, t('ioc.indicator.expression')),
            h('dd', {}, h('code', { 'data-testid': 'indicator-expression' }, indicator.expression || t('state.none')), expressionNamed),
          ),
          h('div', { class: 'fact' }, h('dt', {}, t('ioc.indicator.elements')), h('dd', {}, codeList(indicator.elements, false, 'element'))),
          h('div', { class: 'fact' }, h('dt', {}, t('ioc.indicator.dependsOn')), h('dd', {}, codeList(indicator.depends_on, true, 'indicator'))),
        ),
      ),
    ),
    h('section', { class: 'card panel', 'aria-labelledby': 'indicator-series-h' }, h('h2', { id: 'indicator-series-h' }, t('ioc.indicator.series', { n: seriesLength })), seriesChart),
    compare,
    noChildren,
    targetsTable(indicator, new Map([...trail, ...(values.children ?? [])].map((u) => [u.code, u.name])), fmt),
  );
  titled(outlet, localized(indicator.name, indicator.name_en));

  // The names of what the formula refers to, once read (the page does not wait for them).
  indexSetNames()
    .then((names) => {
      if (signal.aborted) return;
      if (indicator.expression && referencePattern.test(indicator.expression)) {
        referencePattern.lastIndex = 0;
        mount(expressionNamed, '= ', namedExpression(indicator.expression, names));
        expressionNamed.hidden = false;
      }
      const of = { element: new Map(names.elements.map((e) => [e.code, e])), indicator: new Map(names.indicators.map((e) => [e.code, e])) };
      outlet.querySelectorAll<HTMLElement>('.code-name[data-code]').forEach((el) => {
        const found = of[el.dataset.ref === 'indicator' ? 'indicator' : 'element'].get(el.dataset.code ?? '');
        if (found?.name) el.textContent = ` — ${localized(found.name, found.name_en)}`;
      });
    })
    .catch(() => undefined);

  const series = iocChart(seriesChart, signal);
  const bars = iocChart(childrenChart, signal);
  bars.onClick((unit) => go(unitHref(unit)));

  function showValue(v: Values): void {
    valueHeading.textContent = t('ioc.indicator.valueOf', { unit: v.unit.name, period: v.period ? periodLabel(v.period) : t('state.none') });
    valueEl.textContent = fmt(v.value);
    // The series reaches back further than a year: the same period last year is in it.
    const before = yearBefore(v.period);
    lastYearLine(lastYear, v.value, v.series?.find((p) => p.period === before)?.value, measure, indicator.direction);
    mount(
      targetLine,
      v.target == null ? t('ioc.noTarget') : [t('ioc.target'), ': ', h('strong', {}, fmt(v.target)), ' '],
      lightMark(v.status, v.judged, measure),
      help(t('help.lightTopic'), lightHelp(indicator, v, fmt), 'indicator-light-help'),
    );
  }

  function show(v: Values): void {
    current = v;
    showValue(v);
    const points = v.series ?? [];
    series.update({
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (x) => fmt(x == null ? null : Number(x)) },
      xAxis: { type: 'category', data: points.map((p) => periodLabel(p.period)), boundaryGap: false },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: (x: number) => fmtNum(x) } },
      series: [
        { type: 'line', name: v.unit.name, data: points.map((p) => p.value), symbolSize: 5, areaStyle: { opacity: 0.08 } },
        ...(v.target == null
          ? []
          : [{ type: 'line' as const, name: t('ioc.target'), data: points.map(() => v.target), symbol: 'none', lineStyle: { type: 'dashed' as const, width: 1.5 }, color: lightColor.red }]),
      ],
    });

    const children = ranked(v.children ?? [], indicator.direction);
    compare.hidden = children.length === 0;
    noChildren.hidden = children.length > 0;
    mount(
      childrenBody,
      children.map((c, i) =>
        h(
          'tr',
          {
            'data-testid': 'indicator-child-row',
            'data-code': c.code,
            'data-status': c.status,
            onclick: (e: Event) => {
              if (!(e.target as Element).closest('a')) go(unitHref(c.code));
            },
          },
          h('td', { class: 'num' }, c.value == null ? t('state.none') : fmtNum(i + 1)),
          h('th', { scope: 'row' }, h('a', { href: unitHref(c.code) }, c.name)),
          h('td', {}, t(`level.${c.level}` as Key)),
          h('td', { class: 'num', 'data-testid': 'indicator-child-value' }, fmt(c.value)),
          h('td', {}, lightMark(c.status, c.judged, measure)),
        ),
      ),
    );
    if (children.length > 0) {
      bars.update({
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (x) => fmt(x == null ? null : Number(x)) },
        xAxis: { type: 'category', data: children.map((c) => c.name), axisLabel: { show: children.length <= 24, rotate: 40, interval: 0 }, axisTick: { show: false } },
        yAxis: { type: 'value', scale: measure !== '%', axisLabel: { formatter: (x: number) => fmtNum(x) } },
        series: [
          {
            type: 'bar',
            name: t('ioc.col.value'),
            data: children.map((c) => ({ value: c.value, code: c.code, itemStyle: { color: c.status === 'none' ? '#3d8fd1' : lightColor[c.status] } })),
            barMaxWidth: 22,
            cursor: 'pointer',
          },
        ],
      });
    }

    // The communes where they are, as areas coloured by value.
    const placed = children.filter((c) => c.lat != null && c.lon != null);
    mapSection.hidden = placed.length === 0;
    if (placed.length > 0) map.show(placed);
  }

  show(values);

  // Live: a change of this indicator is read again once the burst is over, the value flashing
  // when it moved.
  let flashNext = false;
  const refetch = liveRefresh(
    outlet,
    signal,
    () => iocApi.values({ indicator: code, unit: current.unit.code, period: current.period || undefined, as_of: asOf, children: true, series: seriesLength }),
    (v) => {
      const moved = flashNext && v.value !== current.value;
      flashNext = false;
      show(v);
      if (moved) {
        valueCard.classList.remove('ioc-flash');
        void valueCard.offsetWidth; // restarts the animation
        valueCard.classList.add('ioc-flash');
      }
    },
  );
  subscribe(signal, (e) => {
    if (e.type === 'resync' || (e.type === 'values' && e.truncated)) return refetch();
    if (e.type !== 'values' || !e.indicators.includes(code)) return;
    flashNext = true;
    refetch();
  });
}

/** The unit a projection is for: the one it names, else the province (what servers that name none project). */
function projectedUnit(p: Projection, trail: TrailUnit[]): TrailUnit | undefined {
  return p.unit ? (trail.find((u) => u.code === p.unit) ?? { code: p.unit, name: p.unit }) : trail[0];
}

/** How the projection was made, and when it is on track. */
function projectionHelp(p: Projection): string {
  const method = ['seasonal', 'trend', 'latest'].includes(p.method ?? '') ? p.method : 'any';
  return `${t(`help.projection.${method}` as Key)} ${t('help.projection.onTrack')}`;
}

/** What the light of the shown value judges, against which thresholds. */
function lightHelp(indicator: IndicatorDetail, v: Values, fmt: (v: number | null) => string): string {
  const j = v.judged;
  return t('help.lightOf', {
    basis: j?.basis === 'ytd' && j.value != null ? t('help.basis.ytd', { value: fmt(j.value) }) : t('help.basis.period'),
    year: (j?.period || v.period || v.as_of).slice(0, 4),
    ratio: t(indicator.direction === 'down' ? 'help.ratio.down' : 'help.ratio.up'),
    green: fmtNum(indicator.thresholds.green),
    yellow: fmtNum(indicator.thresholds.yellow),
  });
}

/** Where the unit's year is heading against its target. */
function projection(p: Projection, unit: TrailUnit | undefined, fmt: (v: number | null) => string): HTMLElement {
  return h(
    'span',
    { 'data-testid': 'indicator-projection', 'data-on-track': String(p.on_track), 'data-unit': unit?.code },
    unit
      ? t('ioc.indicator.projectionUnit', { year: p.year, unit: unit.name, projected: fmt(p.projected), target: fmt(p.target) })
      : t('ioc.indicator.projectionText', { year: p.year, projected: fmt(p.projected), target: fmt(p.target) }),
    ' ',
    h('span', { class: `badge ${p.on_track ? 'badge-whole' : 'badge-old'}` }, t(p.on_track ? 'ioc.onTrack' : 'ioc.offTrack')),
  );
}

/** The targets by unit and year; units are named when the page knows them. */
function targetsTable(indicator: IndicatorDetail, names: Map<string, string>, fmt: (v: number | null) => string): HTMLElement | null {
  if (indicator.targets.length === 0) return null;
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'indicator-targets-h' },
    h('h2', { id: 'indicator-targets-h' }, t('ioc.indicator.targets')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data ioc-table', 'data-testid': 'indicator-targets' },
        h('caption', { class: 'visually-hidden' }, t('ioc.indicator.targets')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('ioc.col.unit')), h('th', { scope: 'col', class: 'num' }, t('ioc.col.year')), h('th', { scope: 'col', class: 'num' }, t('ioc.target')))),
        h(
          'tbody',
          {},
          indicator.targets.map((tg) =>
            h('tr', {}, h('th', { scope: 'row' }, h('a', { href: indicatorHref(indicator.code, { unit: tg.unit }) }, names.get(tg.unit) ?? tg.unit)), h('td', { class: 'num' }, String(tg.year)), h('td', { class: 'num' }, fmt(tg.value))),
          ),
        ),
      ),
    ),
  );
}
