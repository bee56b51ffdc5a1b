// The pieces of the registers' figures pages (the catalog's report, the Resolution 57 board): a
// translated sentence with numbers the tests can find, those numbers, the stat cards, and the
// options of their charts (a donut, stacked bars by category, counts by month).

import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { escapeHtml, h } from '../dom';
import { fmtInt, lang, locale, t, type Key } from '../i18n';

/** A translated sentence whose {placeholders} become the given nodes (numbers the tests can find). */
export function sentence(key: Key, parts: Record<string, Node | string>): (Node | string)[] {
  return t(key)
    .split(/(\{\w+\})/)
    .filter(Boolean)
    .map((piece) => {
      const m = /^\{(\w+)\}$/.exec(piece);
      return m && m[1] in parts ? parts[m[1]] : piece;
    });
}

/** A whole number in bold, with its test id. */
export const num = (testid: string, n: number) => h('strong', { 'data-testid': testid }, fmtInt(n));

/** A figure's card: its label, the value, the details that are shown (false: left out), then `footer`. */
export function statCard(testid: string, label: string, value: (Node | string)[], details: ((Node | string)[] | false)[], footer?: Node) {
  return h(
    'section',
    { class: 'card stat', 'data-testid': testid, 'aria-label': label },
    h('h2', { class: 'stat-label' }, label),
    h('p', { class: 'stat-value', 'data-testid': `${testid}-value` }, value),
    details.filter((d): d is (Node | string)[] => !!d).map((d) => h('p', { class: 'stat-detail' }, d)),
    footer,
  );
}

/** The options the figure charts below are made of (the catalog's and the register's charts take them). */
export type FigureOption = ComposeOption<BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

/** A count in a tooltip. */
export const countFormatter = (v: unknown) => fmtInt(Number(v));

const countAxis = { type: 'value' as const, minInterval: 1, axisLabel: { formatter: (v: number) => fmtInt(v) } };

/** A donut of counts, each slice with its colour and its count inside; empty slices are left out. */
export function donutOption(name: string, centerY: string, slices: { name: string; value: number; itemStyle: { color: string } }[]): FigureOption {
  return {
    tooltip: { trigger: 'item', valueFormatter: countFormatter },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        name,
        radius: ['40%', '64%'],
        center: ['50%', centerY],
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        label: { position: 'inside', formatter: (p) => fmtInt(Number(p.value)), fontWeight: 700, color: '#fff' },
        data: slices.filter((d) => d.value > 0),
      },
    ],
  };
}

/** Horizontal bars of counts by category, stacked; the names get `labelWidth` pixels, then are cut. */
export function stackedBarsOption(o: {
  categories: string[];
  labelWidth: number;
  stack: string;
  barMaxWidth: number;
  bars: { name: string; color: string; data: BarSeriesOption['data'] }[];
}): FigureOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: countFormatter },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: countAxis,
    yAxis: { type: 'category', data: o.categories, axisTick: { show: false }, axisLabel: { width: o.labelWidth, overflow: 'truncate' } },
    series: o.bars.map((b) => ({ type: 'bar' as const, name: b.name, stack: o.stack, color: b.color, barMaxWidth: o.barMaxWidth, data: b.data })),
  };
}

/**
 * Counts month by month: lines (progress over time, from the first month's edge) or stacked bars
 * (a month's share under the pointer); the tooltip lists every series' count.
 */
export function monthsOption(months: string[], series: LineSeriesOption[] | BarSeriesOption[]): FigureOption {
  const bars = series.some((s) => s.type === 'bar');
  return {
    tooltip: {
      trigger: 'axis',
      ...(bars ? { axisPointer: { type: 'shadow' as const } } : {}),
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const head = escapeHtml(String(list[0]?.name ?? ''));
        return [head, ...list.map((p) => `${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <b>${fmtInt(Number(p.value))}</b>`)].join('<br>');
      },
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', ...(bars ? {} : { boundaryGap: false }), data: months },
    yAxis: countAxis,
    series,
  };
}

/** Room for the category names of a bar chart: at most `share` of a narrow chart, 90 to `widest` pixels. */
export function labelWidth(el: HTMLElement, widest = 260, share = 0.36): number {
  return Math.round(Math.max(90, Math.min(widest, el.clientWidth * share)));
}

/** "10/2025" or "Oct 2025" for "2025-10" (or a date in that month). */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  if (lang() === 'vi') return `${String(m).padStart(2, '0')}/${y}`;
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

/**
 * A panel with a table of figures (also what screen readers use instead of the charts): its
 * heading (`${id}-h`) doubling as the caption, a head whose first column names the rows and the
 * others hold numbers, the rows (or, when there are none and `empty` is given, a line saying so)
 * and an optional foot.
 */
export function tablePanel(o: { id: string; title: string; class: string; head: string[]; rows: HTMLElement[]; empty?: string; foot?: HTMLElement }): HTMLElement {
  const [first, ...numbers] = o.head;
  const body = o.rows.length === 0 && o.empty ? h('tr', {}, h('td', { colspan: o.head.length, class: 'empty' }, o.empty)) : o.rows;
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': `${o.id}-h` },
    h('h2', { id: `${o.id}-h` }, o.title),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: o.class, 'data-testid': o.id },
        h('caption', { class: 'visually-hidden' }, o.title),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, first), numbers.map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
        h('tbody', {}, body),
        o.foot && h('tfoot', {}, o.foot),
      ),
    ),
  );
}
