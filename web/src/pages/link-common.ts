// Shared by the consolidation pages: project statuses, comparison levels, field kinds, mapping
// operations and survivorship rules in the reader's words; records named by their source
// ("Long An (cũ) LA-000123"); probabilities and match weights written the Vietnamese way; the
// pages' breadcrumb and tabs; tables and the preview of sample rows before and after a mapping;
// the waterfall of a pair's match weight and the histogram of the run's match weights.

import { ApiError } from '../api';
import { showError } from '../shell';
import { chart } from '../charts';
import { h } from '../dom';
import { fmtDate, fmtInt, fmtNum, t, type Key } from '../i18n';
import {
  clustersHref,
  comparisonLevels,
  fieldKinds,
  linkHref,
  mappingOps,
  projectStatuses,
  reviewHref,
  splitKey,
  survivorships,
  type Definition,
  type PairPart,
  type Preview,
  type ProjectStatus,
  type Report,
  type Value,
} from '../link-api';

// --- Words -----------------------------------------------------------------------------------

const statusTone: Record<ProjectStatus, string> = {
  draft: 'badge-muted',
  review: 'badge-partial',
  ready: '',
  committed: 'badge-whole',
};

export function statusLabel(status: string): string {
  return (projectStatuses as string[]).includes(status) ? t(`link.status.${status}` as Key) : status;
}

export function statusBadge(status: string): HTMLElement {
  const tone = statusTone[status as ProjectStatus] ?? 'badge-muted';
  return h('span', { class: `badge ${tone}`, 'data-testid': 'link-status', 'data-status': status }, statusLabel(status));
}

/** A comparison level in words: "trùng khớp", "khác dấu", "đảo thứ tự họ tên"… */
export function levelLabel(level: string): string {
  return (comparisonLevels as string[]).includes(level) ? t(`link.level.${level}` as Key) : level;
}

export function kindLabel(kind: string): string {
  return (fieldKinds as string[]).includes(kind) ? t(`link.kind.${kind}` as Key) : kind;
}

export function opLabel(op: string | undefined): string {
  const o = op || 'copy';
  return (mappingOps as string[]).includes(o) ? t(`link.op.${o}` as Key) : o;
}

export function ruleLabel(rule: string): string {
  if (rule === 'manual') return t('link.rule.manual');
  return (survivorships as string[]).includes(rule) ? t(`link.rule.${rule}` as Key) : rule;
}

// --- Records and values ----------------------------------------------------------------------

/** Dataset code → the source's label ("Long An (cũ)"), from the project's definition. */
export function sourceLabels(def: Definition | undefined): Map<string, string> {
  return new Map((def?.sources ?? []).map((s) => [s.dataset, s.label]));
}

/** Field name → its title ("Họ và tên"), and its kind. */
export function fieldTitles(def: Definition | undefined): Map<string, { title: string; kind: string }> {
  return new Map((def?.fields ?? []).map((f) => [f.name, { title: f.title || f.name, kind: f.kind }]));
}

/** "Long An (cũ) LA-000123": a record by its source's label and its id in the source. */
export function recordName(key: string, labels: Map<string, string>, label?: string): string {
  const { dataset, id } = splitKey(key);
  const source = label || labels.get(dataset) || dataset;
  return source ? `${source} ${id}` : id;
}

/** A record as a labelled element: the source's label, then the record's id in code type. */
export function recordTag(key: string, labels: Map<string, string>, label?: string): HTMLElement {
  const { dataset, id } = splitKey(key);
  const source = label || labels.get(dataset) || dataset;
  return h('span', { class: 'record-tag', 'data-key': key }, source && h('span', { class: 'record-source' }, source), source && ' ', h('code', {}, id));
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const compactDate = /^(1[89]|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/** A value the reader's way: dates as 01/07/2025, numbers with Vietnamese separators, "—" for none. */
export function valueText(v: Value | undefined, kind?: string): string {
  if (v === null || v === undefined || v === '') return t('state.none');
  if (typeof v === 'boolean') return v ? t('catalog.yes') : t('catalog.no');
  if (typeof v === 'number') return kind === 'id' || kind === 'phone' || kind === 'code' ? String(v) : fmtNum(v, 6);
  if (kind === 'date' && isoDate.test(v)) return fmtDate(v);
  // Dates as the engine compares them: YYYYMMDD.
  if (kind === 'date' && compactDate.test(v)) return fmtDate(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`);
  return v;
}

export function valueCell(v: Value | undefined, kind?: string): Node | string {
  if (v === null || v === undefined || v === '') return h('span', { class: 'muted' }, t('state.none'));
  return valueText(v, kind);
}

/** A probability as a percentage: 97,3 %; "> 99,9 %" for one that is not certain but rounds to 100. */
export function fmtPct(p: number | null | undefined, digits = 1): string {
  if (p == null || !Number.isFinite(p)) return t('state.none');
  const step = 10 ** -digits;
  if (p < 1 && Math.round(p * 100 / step) * step >= 100) return `> ${fmtNum(100 - step, digits)} %`;
  return `${fmtNum(p * 100, digits)} %`;
}

/** A match weight in bits, with its sign: +3,25 / −1,5. */
export function fmtBits(bits: number | null | undefined): string {
  if (bits == null || !Number.isFinite(bits)) return t('state.none');
  const s = fmtNum(Math.abs(bits), 2);
  return bits > 0 ? `+${s}` : bits < 0 ? `−${s}` : s;
}

/** The match weight at which a pair's probability is `p`: log2(p / (1 − p)). */
export function weightAt(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  return Math.log2(p / (1 - p));
}

/** A project that was never run answers its report with 404; other errors are errors. */
export function notRunYet(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 409);
}

/**
 * Shows a failed write in the error banner: the refusals the consolidation pages expect (no
 * right to write, pairs still to review) in the reader's language, anything else as the server
 * says it. The error code stays on the banner.
 */
export function showLinkError(err: unknown): void {
  if (err instanceof ApiError) {
    const text =
      err.code === 'auth.forbidden'
        ? t('link.err.forbidden')
        : err.code === 'link.pending_review'
          ? t('link.err.pendingReview')
          : null;
    if (text) return showError(new ApiError(err.status, err.code, text, err.requestId, err.problem));
  }
  showError(err);
}

// --- Tables --------------------------------------------------------------------------------

/** A data table with a hidden caption, and one row saying `empty` when there are no rows. */
export function table(testid: string, caption: string, heads: [string, string][], rows: HTMLElement[], empty: string): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', 'data-testid': testid },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, heads.map(([label, cls]) => h('th', { scope: 'col', class: cls || null }, label)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: heads.length, class: 'empty' }, empty))),
    ),
  );
}

// --- Preview ---------------------------------------------------------------------------------

/** Sample rows of each source: the original values, the mapped values and the problems found. */
export function previewView(pv: Preview): HTMLElement {
  const fields = pv.fields ?? [];
  const kinds = new Map(fields.map((f) => [f.name, f.kind]));
  const titles = new Map(fields.map((f) => [f.name, f.title || f.name]));
  return h(
    'div',
    { class: 'stack', 'data-testid': 'link-preview' },
    pv.sources.map((s) =>
      h(
        'div',
        { class: 'stack', 'data-testid': 'link-preview-source', 'data-dataset': s.dataset },
        h('h3', {}, s.label, ' ', h('code', { class: 'muted small' }, s.dataset)),
        table(
          `link-preview-${s.dataset}`,
          t('link.previewOf', { source: s.label }),
          [
            [t('link.record'), ''],
            [t('link.original'), ''],
            [t('link.mapped'), ''],
            [t('link.problems'), ''],
          ],
          s.rows.map((r) =>
            h(
              'tr',
              { 'data-testid': 'link-preview-row', 'data-key': r.key, 'data-problems': r.problems?.length ?? 0 },
              h('th', { scope: 'row' }, h('code', {}, r.key.slice(r.key.indexOf(':') + 1))),
              h(
                'td',
                { class: 'small' },
                h(
                  'dl',
                  { class: 'pairs' },
                  Object.entries(r.original ?? {}).flatMap(([k, v]) => [h('dt', {}, h('code', {}, k)), h('dd', {}, valueCell(v))]),
                ),
              ),
              h(
                'td',
                { class: 'small' },
                h(
                  'dl',
                  { class: 'pairs' },
                  fields.flatMap((f) => [h('dt', {}, titles.get(f.name)), h('dd', { 'data-field': f.name }, valueCell(r.mapped?.[f.name], kinds.get(f.name)))]),
                ),
              ),
              h(
                'td',
                { class: 'small' },
                r.problems?.length
                  ? h(
                      'ul',
                      { class: 'plain compact' },
                      r.problems.map((p) => h('li', { 'data-code': p.code }, h('strong', {}, titles.get(p.field) ?? p.field), ': ', p.message)),
                    )
                  : h('span', { class: 'muted' }, t('link.noProblems')),
              ),
            ),
          ),
          t('link.previewEmpty'),
        ),
      ),
    ),
  );
}

// --- Navigation ------------------------------------------------------------------------------

export function linkBreadcrumb(...items: (readonly [string, string | null])[]): HTMLElement {
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': t('link.breadcrumb') },
    h(
      'ol',
      {},
      h('li', {}, h('a', { href: '/link' }, t('nav.link'))),
      items.map(([label, href], i) => h('li', { 'aria-current': i === items.length - 1 ? 'page' : null }, href ? h('a', { href }, label) : label)),
    ),
  );
}

/** Links between a project's pages, under each page's heading. */
export function linkTabs(code: string, active: 'project' | 'review' | 'clusters', pending?: number): HTMLElement {
  const tab = (label: string, href: string, id: string, extra?: Node | null) =>
    h('a', { href, class: 'tab', 'aria-current': id === active ? 'page' : null, 'data-testid': `link-tab-${id}` }, label, extra);
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('link.tabs') },
    tab(t('link.tab.project'), linkHref(code), 'project'),
    tab(t('link.tab.review'), reviewHref(code), 'review', pending ? h('span', { class: 'badge badge-partial tab-count' }, fmtInt(pending)) : null),
    tab(t('link.tab.clusters'), clustersHref(code), 'clusters'),
  );
}

/** After a project was not found: the way on leads back to the projects. */
export function backToProjects(outlet: HTMLElement): void {
  const back = outlet.querySelector<HTMLAnchorElement>('[data-testid="error-state"] a[href="/units"]');
  if (!back) return;
  back.href = '/link';
  back.textContent = t('link.back');
}

// --- Charts ----------------------------------------------------------------------------------

const svgNs = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

export const weightColors = { plus: '#14a38b', minus: '#d64550', prior: '#8aa1b8', total: '#0b5cad' };

/**
 * A pair's match weight as a waterfall: the prior first, then one bar per comparison that moves
 * the running sum up (green) or down (red), and the total. Drawn as a small inline SVG.
 */
export function waterfall(priorBits: number, parts: PairPart[], weight: number, title: (column: string) => string): SVGSVGElement {
  type Bar = { label: string; full: string; from: number; to: number; color: string; kind: string };
  const bars: Bar[] = [];
  bars.push({ label: t('link.prior'), full: `${t('link.prior')}: ${fmtBits(priorBits)}`, from: 0, to: priorBits, color: weightColors.prior, kind: 'prior' });
  let sum = priorBits;
  for (const p of parts) {
    const d = (p.bits ?? 0) + (p.tf_bits ?? 0);
    const name = title(p.column);
    bars.push({
      label: name,
      full: `${name} (${levelLabel(p.level)}): ${fmtBits(d)} bit`,
      from: sum,
      to: sum + d,
      color: d >= 0 ? weightColors.plus : weightColors.minus,
      kind: d >= 0 ? 'plus' : 'minus',
    });
    sum += d;
  }
  const total = Number.isFinite(weight) ? weight : sum;
  bars.push({ label: t('link.total'), full: `${t('link.total')}: ${fmtBits(total)} bit`, from: 0, to: total, color: weightColors.total, kind: 'total' });

  const step = 64;
  const barW = 40;
  const top = 22; // room for the value over the highest bar
  const plotH = 140;
  const labelH = 42; // room for the value under the lowest bar, then the field's name
  const left = 8;
  const width = left * 2 + bars.length * step;
  const height = top + plotH + labelH;
  const values = bars.flatMap((b) => [b.from, b.to]);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const y = (v: number) => top + ((hi - v) / span) * plotH;

  const root = svg('svg', {
    class: 'waterfall',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': t('link.waterfallLabel', { prior: fmtBits(priorBits), total: fmtBits(total) }),
    'data-testid': 'link-waterfall',
  });
  root.append(svg('line', { x1: 0, x2: width, y1: y(0), y2: y(0), class: 'waterfall-zero' }));
  bars.forEach((b, i) => {
    const x = left + i * step + (step - barW) / 2;
    const y1 = y(Math.max(b.from, b.to));
    const hgt = Math.max(1, Math.abs(y(b.from) - y(b.to)));
    const d = b.to - b.from;
    const group = svg('g', { 'data-testid': 'link-waterfall-bar', 'data-kind': b.kind, 'data-bits': d.toFixed(4) }, svg('title', {}, b.full));
    group.append(svg('rect', { x, y: y1, width: barW, height: hgt, rx: 2, fill: b.color }));
    const valueY = d >= 0 ? y1 - 4 : y1 + hgt + 11;
    group.append(svg('text', { x: x + barW / 2, y: valueY, class: 'waterfall-value', 'text-anchor': 'middle' }, b.kind === 'prior' || b.kind === 'total' ? fmtBits(b.to) : fmtBits(d)));
    const short = b.label.length > 10 ? `${b.label.slice(0, 9)}…` : b.label;
    group.append(svg('text', { x: x + barW / 2, y: top + plotH + 32, class: 'waterfall-label', 'text-anchor': 'middle' }, short));
    // A thin line carries the running sum to the next bar.
    if (i < bars.length - 1 && b.kind !== 'total') {
      const next = bars[i + 1];
      if (next.kind !== 'total') root.append(svg('line', { x1: x + barW, x2: x + step, y1: y(b.to), y2: y(b.to), class: 'waterfall-link' }));
    }
    root.append(group);
  });
  return root;
}

/**
 * The run's pairs by match weight, as a bar chart: bins at or above the threshold in green, those
 * sent to review in amber, the rest grey.
 */
export function histogramChart(el: HTMLElement, signal: AbortSignal, r: Report): void {
  const c = chart(el, signal);
  const accept = weightAt(r.threshold);
  const review = weightAt(r.review_from);
  const bins = r.histogram ?? [];
  c.update({
    animation: false,
    grid: { left: 60, right: 12, top: 30, bottom: 40 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const i = (p as { dataIndex: number }).dataIndex;
        const b = bins[i];
        return b ? t('link.histogramTip', { from: fmtNum(b.from, 1), to: fmtNum(b.to, 1), n: fmtInt(b.pairs) }) : '';
      },
    },
    xAxis: {
      type: 'category',
      name: t('link.histogramAxis'),
      nameLocation: 'middle',
      nameGap: 26,
      data: bins.map((b) => fmtNum(b.from, 0)),
      axisLabel: { fontSize: 10 },
    },
    // A log scale: the few thousand matches would not show beside the non-matches' tens of thousands.
    yAxis: { type: 'log', min: 1, logBase: 10, name: t('link.histogramLog'), nameTextStyle: { align: 'left' }, axisLabel: { formatter: (v: number) => fmtInt(v) } },
    series: [
      {
        type: 'bar',
        name: t('link.histogram'),
        barCategoryGap: '8%',
        data: bins.map((b) => {
          const mid = (b.from + b.to) / 2;
          const color = mid >= accept ? weightColors.plus : mid >= review ? '#f5a300' : weightColors.prior;
          return { value: b.pairs > 0 ? b.pairs : null, itemStyle: { color } };
        }),
      },
    ],
  });
}
