// Shared by the IOC pages: values written the reader's way (99,6 % / 237.000), periods (10/2025,
// Quý 3/2025), traffic lights, the charts they draw (lines, sparklines; the communes' map is
// components/commune-map.ts), the unit trail for drilling down, addresses that keep the as-of
// date, and the refetches that live events trigger.

import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { api } from '../api';
import { chart, type ChartOption } from '../charts';
import { showError } from '../shell';
import { h } from '../dom';
import { fmtNum, lang, locale, measureLabel, t, type Key } from '../i18n';
import type { Indicator, Judged, Light, Periodicity, Point } from '../ioc-api';
import { lights } from '../ioc-api';
import { asOfFromAddress, monthLabel } from './tracker-common';

echarts.use([LineChart, LegendComponent]);

export type IocChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | AriaComponentOption
>;

export interface IocChart {
  update(option: IocChartOption): void;
  /** Calls `fn` with the code of a clicked data item (items carry a `code`). */
  onClick(fn: (code: string) => void): void;
}

/** The app's chart (resizing, disposal, palette, aria) with lines and legends. */
export function iocChart(el: HTMLElement, signal: AbortSignal, options: { save?: boolean } = {}): IocChart {
  const c = chart(el, signal, options);
  // charts.ts types its options for bar, pie and treemap; the other parts are registered above.
  return { update: (option) => c.update(option as ChartOption), onClick: (fn) => c.onClick(fn) };
}

/** Light colours, shared by the status marks (styles.css) and the charts. */
export const lightColor: Record<Light, string> = {
  green: '#14a38b',
  yellow: '#f5a300',
  red: '#d64550',
  none: '#8aa1b8',
};

/** The light from the API, "none" for anything it does not know. */
const knownLight = (s: string): Light => ((lights as string[]).includes(s) ? (s as Light) : 'none');

export const lightLabel = (s: Light): string => t(`ioc.light.${knownLight(s)}` as Key);

/** What a light judges, in words, when it is the year to date: "lũy kế năm: 96 %"; else null. */
export function judgedText(j: Judged | null | undefined, measure: string): string | null {
  if (!j || j.basis !== 'ytd' || j.value == null || !Number.isFinite(j.value)) return null;
  return t('ioc.judged.ytd', { value: fmtValue(j.value, measure) });
}

/**
 * A traffic light with its meaning in words (colour is never the only sign), what it judges when
 * that is the year to date rather than the shown value, and on hover what the colours mean.
 */
export function lightMark(s: Light, judged?: Judged | null, measure = ''): HTMLElement {
  const light = knownLight(s);
  const basis = judgedText(judged, measure);
  return h(
    'span',
    { class: `light light-${light}`, 'data-status': light, title: t('help.light') },
    h('span', { class: 'light-dot', 'aria-hidden': 'true' }),
    lightLabel(light),
    basis && h('span', { class: 'light-judged', 'data-testid': 'light-judged', 'data-basis': judged?.basis }, ` (${basis})`),
  );
}

/** Whether the indicator has the value of its due period, the period said on hover when not. */
export function updatedBadge(i: Pick<Indicator, 'updated' | 'due_period'>): HTMLElement {
  return i.updated
    ? h('span', { class: 'badge badge-whole', 'data-updated': 'true' }, t('ioc.updated'))
    : h('span', { class: 'badge badge-old', 'data-updated': 'false', title: t('ioc.duePeriod', { period: periodLabel(i.due_period) }) }, t('ioc.notUpdated'));
}

/** A value the reader's way: "99,6 %" / "99.6%" for percentages, "237.000" otherwise, "—" for none. */
export function fmtValue(v: number | null | undefined, measure: string): string {
  if (v == null || !Number.isFinite(v)) return t('state.none');
  return measure === '%' ? t('tracker.rate', { n: fmtNum(v) }) : fmtNum(v);
}

/** A change with its sign, to two decimals at most: "+10", "−0,02", "0". */
export function fmtSigned(v: number): string {
  const r = Math.round(v * 100) / 100;
  if (r === 0) return fmtNum(0);
  return `${r > 0 ? '+' : '−'}${fmtNum(Math.abs(r))}`;
}

/** The same period a year before: "2025-10" → "2024-10", "2025-10YTD" → "2024-10YTD", "2025Q3" → "2024Q3", "2025" → "2024". */
export function yearBefore(period: string | null | undefined): string | null {
  const m = /^(\d{4})(-\d{2}(YTD)?|Q[1-4])?$/.exec(period ?? '');
  return m ? `${Number(m[1]) - 1}${m[2] ?? ''}` : null;
}

/**
 * "Cùng kỳ năm trước: 88,1 % (+0,4)": the value of the same period a year before and the change
 * since (in points for a percentage); the change is coloured when the direction says which way
 * is better. Hidden without a value then.
 */
export function lastYearLine(el: HTMLElement, value: number | null | undefined, before: number | null | undefined, measure: string, direction?: 'up' | 'down'): void {
  const known = before != null && Number.isFinite(before);
  el.hidden = !known;
  el.classList.add('last-year');
  if (!known) return el.replaceChildren();
  el.dataset.value = String(before);
  const diff = value != null && Number.isFinite(value) ? value - before : null;
  const better = diff == null || Math.round(diff * 100) === 0 || !direction ? '' : (diff > 0) === (direction === 'up') ? 'change-up' : 'change-down';
  const unit = measureUnit(measure);
  el.replaceChildren(
    t('ioc.lastYear'),
    ': ',
    h('strong', {}, fmtValue(before, measure), unit ? ` ${unit}` : ''),
    diff != null ? ' ' : '',
    diff != null ? h('span', { class: better || null, 'data-testid': 'last-year-change', title: t('ioc.lastYearChange') }, `(${fmtSigned(diff)})`) : '',
  );
}

/** The unit a value is counted in, shown beside it (in the reader's language); percentages carry their sign already. */
export function measureUnit(measure: string): string {
  return measure === '%' ? '' : measureLabel(measure);
}

/** The text of the API's Vietnamese or English variant, in the current language. */
export function localized(vi: string, en: string | null | undefined): string {
  return lang() === 'en' && en ? en : vi;
}

/** "10/2025", "Quý 3/2025", "Năm 2025", "Lũy kế 10 tháng/2025" (or the English forms). */
export function periodLabel(period: string): string {
  let m = /^(\d{4})-(\d{2})YTD$/.exec(period);
  if (m) {
    const month = new Intl.DateTimeFormat(locale(), { month: 'short', timeZone: 'UTC' }).format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    return t('ioc.period.ytd', { y: m[1], m: Number(m[2]), month });
  }
  if (/^\d{4}-\d{2}$/.test(period)) return monthLabel(period);
  m = /^(\d{4})Q([1-4])$/.exec(period);
  if (m) return t('ioc.period.quarter', { y: m[1], q: m[2] });
  if (/^\d{4}$/.test(period)) return t('ioc.period.year', { y: period });
  return period;
}

export const periodicityLabel = (p: Periodicity): string => t(`ioc.periodicity.${p}` as Key);

/** The period before `period` of the same kind ("2025-01" → "2024-12", "2025Q1" → "2024Q4", "2025" → "2024"). */
function previousPeriod(period: string): string | null {
  let m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
  }
  m = /^(\d{4})Q([1-4])$/.exec(period);
  if (m) return m[2] === '1' ? `${Number(m[1]) - 1}Q4` : `${m[1]}Q${Number(m[2]) - 1}`;
  return /^\d{4}$/.test(period) ? String(Number(period) - 1) : null;
}

/** `count` periods ending with `latest`, newest first. */
export function periodsUpTo(latest: string, count: number): string[] {
  const out = [latest];
  for (let p = previousPeriod(latest); p && out.length < count; p = previousPeriod(p)) out.push(p);
  return out;
}

/**
 * A period picker: the choices newest first, the shown one selected; choosing one calls
 * `onChoose` with it.
 */
export function periodPicker(id: string, periods: string[], shown: string, onChoose: (period: string) => void): HTMLElement {
  const choices = periods.includes(shown) ? periods : [shown, ...periods];
  const select = h(
    'select',
    { id, name: 'period', 'data-testid': id, onchange: (e: Event) => onChoose((e.target as HTMLSelectElement).value) },
    choices.map((p) => h('option', { value: p }, periodLabel(p))),
  );
  select.value = shown;
  return h('div', { class: 'field' }, h('label', { for: id }, t('ioc.period')), select);
}

/** An in-app address with the query parameters that are set, and the address's as-of date. */
export function iocHref(path: string, params: Record<string, string | null | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const asOf = asOfFromAddress();
  if (asOf && !p.has('as_of')) p.set('as_of', asOf);
  const query = p.toString();
  return `${path}${query ? `?${query}` : ''}`;
}

export function indicatorHref(code: string, params: Record<string, string | null | undefined> = {}): string {
  return iocHref(`/indicators/${encodeURIComponent(code)}`, params);
}

/** A query parameter of the address ("" when absent). */
export function param(name: string): string {
  return new URLSearchParams(location.search).get(name) ?? '';
}

export interface TrailUnit {
  code: string;
  name: string;
}

/** The unit and the units above it, from the province down. */
export async function unitTrail(code: string): Promise<TrailUnit[]> {
  const unit = await api.unit(code);
  const ancestors = [...(unit.ancestors ?? [])];
  // Ancestors may come nearest first; the trail reads from the root.
  if (ancestors.length > 1 && ancestors[0].code === unit.parent) ancestors.reverse();
  return [...ancestors, unit].map((u) => ({ code: u.code, name: u.name }));
}

/** The drill-down breadcrumb: every unit above the shown one leads back up. */
export function unitBreadcrumb(trail: TrailUnit[], href: (code: string) => string): HTMLElement {
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': t('ioc.unitTrail'), 'data-testid': 'ioc-breadcrumb' },
    h(
      'ol',
      {},
      trail.map((u, i) =>
        h(
          'li',
          { 'data-code': u.code },
          i < trail.length - 1 ? h('a', { href: href(u.code) }, u.name) : h('span', { 'aria-current': 'page' }, u.name),
        ),
      ),
    ),
  );
}

/** A small line of a figure's recent values (no axes; the tooltip names each period). */
export function sparkline(el: HTMLElement, signal: AbortSignal): (trend: Point[], measure: string) => void {
  const c = iocChart(el, signal, { save: false });
  return (trend, measure) =>
    c.update({
      animation: false,
      grid: { left: 4, right: 4, top: 6, bottom: 4 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmtValue(v == null ? null : Number(v), measure) },
      xAxis: { type: 'category', show: false, boundaryGap: false, data: trend.map((p) => periodLabel(p.period)) },
      yAxis: { type: 'value', show: false, scale: true },
      series: [
        {
          type: 'line',
          name: t('ioc.trend'),
          data: trend.map((p) => p.value),
          symbol: 'none',
          smooth: true,
          lineStyle: { width: 2 },
          areaStyle: { opacity: 0.12 },
        },
      ],
    });
}

/**
 * What a page does when live events say its figures changed: `load` runs once the burst of events
 * is over (they come in bursts while a batch is ingested), only the answer to the latest call is
 * shown, and `region` says it is being updated (aria-busy) from the first event until then.
 * Nothing runs after `signal` aborts.
 */
export function liveRefresh<T>(region: HTMLElement, signal: AbortSignal, load: () => Promise<T>, show: (data: T) => void): () => void {
  let wanted = 0;
  let timer = 0;
  signal.addEventListener('abort', () => clearTimeout(timer));
  const run = () => {
    const mine = wanted;
    const latest = () => !signal.aborted && mine === wanted;
    load()
      .then((data) => {
        if (latest()) show(data);
      })
      .catch((err) => {
        if (latest()) showError(err);
      })
      .finally(() => {
        if (latest()) region.removeAttribute('aria-busy');
      });
  };
  return () => {
    wanted += 1;
    region.setAttribute('aria-busy', 'true');
    clearTimeout(timer);
    timer = window.setTimeout(run, 400);
  };
}
