// Shared by the data quality pages: the as-of date they score (the address's, else the IOC's),
// the dimensions' names, scores written the reader's way (82,4 / 82.4) with a level by colour and
// in words, the change since the month before (▲/▼), score bars, addresses of the failing rows
// that keep the filters and the as-of date, and the small quality card of the IOC overview.

import { h, mount } from '../dom';
import { fmtNum, t, type Key } from '../i18n';
import {
  checkTypes,
  databaseProblems,
  dimensions,
  qualityApi,
  severities,
  type Change,
  type Dimension,
  type FailuresQuery,
  type ScoreKey,
  type Scoreboard,
} from '../quality-api';
import { lightColor } from './ioc-common';
import { currentAsOf } from '../as-of';
import { asOfFromAddress } from './tracker-common';

/** The date the quality pages score as of: the app's (the address's, else the IOC's date). */
export async function qualityAsOf(): Promise<string> {
  return currentAsOf();
}

export const scoreLabel = (k: ScoreKey): string => t(`quality.dim.${k}` as Key);

/** The dimension's name, or the server's word for one the pages do not know. */
export function dimensionLabel(d: string): string {
  return (dimensions as string[]).includes(d) ? t(`quality.dim.${d}` as Key) : d;
}

/** What a dimension asks of the data, in a sentence. */
export const dimensionHint = (k: ScoreKey): string => t(`quality.dimHint.${k}` as Key);

export type ScoreLevel = 'good' | 'fair' | 'poor' | 'none';

/** 90 and above is good, 75 and above fair, lower poor. */
export function scoreLevel(score: number | null | undefined): ScoreLevel {
  if (score == null || !Number.isFinite(score)) return 'none';
  return score >= 90 ? 'good' : score >= 75 ? 'fair' : 'poor';
}

/** The colours of the levels: the traffic lights' (styles.css uses the same). */
export const levelColor: Record<ScoreLevel, string> = {
  good: lightColor.green,
  fair: lightColor.yellow,
  poor: lightColor.red,
  none: lightColor.none,
};

/** The light of a level, for the cards' top border (data-status). */
export const levelLight: Record<ScoreLevel, string> = { good: 'green', fair: 'yellow', poor: 'red', none: 'none' };

/** A score with one decimal at most: "82,4" (vi) / "82.4" (en); "—" for none. */
export function fmtScore(score: number | null | undefined): string {
  return fmtNum(score, 1);
}

/** A score in a table: the number, coloured by its level, with the level said on hover. */
export function scoreCell(score: number | null | undefined, testid?: string): HTMLElement {
  const level = scoreLevel(score);
  return h(
    'td',
    { class: `num score score-${level}`, 'data-testid': testid, 'data-score': score ?? '', title: t(`quality.level.${level}` as Key) },
    fmtScore(score),
  );
}

/** A bar as long as the score (0..100) with the number beside it. */
export function scoreBar(score: number | null | undefined): HTMLElement {
  const level = scoreLevel(score);
  const fill = h('span', { class: 'score-bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, score ?? 0))}%`;
  return h(
    'span',
    { class: `score-bar score-${level}`, title: t(`quality.level.${level}` as Key) },
    h('span', { class: 'score-bar-track', 'aria-hidden': 'true' }, fill),
    h('span', { class: 'score-bar-value' }, fmtScore(score)),
  );
}

/**
 * The change since the month before: "▲ 1,2" in green (better), "▼ 1,2" in red (worse), "0" when
 * the same, "—" when unknown; the sentence on hover and for screen readers.
 */
export function changeMark(delta: number | null | undefined, testid?: string): HTMLElement {
  if (delta == null || !Number.isFinite(delta)) {
    return h('span', { class: 'change change-none', 'data-testid': testid, 'data-change': '', title: t('quality.change.unknown') }, t('state.none'));
  }
  const rounded = Math.round(delta * 10) / 10;
  const dir = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'same';
  const text = dir === 'up' ? `▲ ${fmtScore(rounded)}` : dir === 'down' ? `▼ ${fmtScore(-rounded)}` : fmtScore(0);
  const said = t(`quality.change.${dir}` as Key, { n: fmtScore(Math.abs(rounded)) });
  return h('span', { class: `change change-${dir}`, 'data-testid': testid, 'data-change': rounded, title: said, 'aria-label': said }, text);
}

/** The change of one score, from a change object that may lack it. */
export const changeOf = (change: Change | null | undefined, k: ScoreKey): number | null => change?.[k] ?? null;

/** The page of failing rows with these filters, as of the date given (or the address's). */
export function failuresHref(q: FailuresQuery): string {
  const p = new URLSearchParams();
  for (const k of ['dataset', 'check', 'unit', 'period'] as const) if (q[k]) p.set(k, q[k]!);
  const asOf = q.as_of || asOfFromAddress();
  if (asOf) p.set('as_of', asOf);
  const s = p.toString();
  return `/quality/failures${s ? `?${s}` : ''}`;
}

/** The scoreboard with the as-of date of the address (or the one given). */
export function qualityHref(asOf = asOfFromAddress()): string {
  return asOf ? `/quality?as_of=${encodeURIComponent(asOf)}` : '/quality';
}

/** A check's id without its dataset ("dossiers.order" → "order"): the failures filter takes the bare id. */
export function bareCheck(dataset: string, check: string): string {
  return check.startsWith(`${dataset}.`) ? check.slice(dataset.length + 1) : check;
}

export const severityLabel = (s: string | undefined): string =>
  !s ? t('state.none') : (severities as string[]).includes(s) ? t(`quality.severity.${s}` as Key) : s;
export const checkTypeLabel = (type: string): string => ((checkTypes as string[]).includes(type) ? t(`quality.type.${type}` as Key) : type);

/** What the catalog lacks about a database, in a short phrase; the server's word for one the pages do not know. */
export const problemLabel = (p: string): string => ((databaseProblems as string[]).includes(p) ? t(`quality.problem.${p}` as Key) : p);

/** A database's problems as a list of short phrases ("Không có vấn đề" when there are none). */
export function problemsList(problems: string[], testid: string): HTMLElement {
  if (problems.length === 0) return h('span', { class: 'muted', 'data-testid': testid, 'data-problems': '' }, t('quality.problems.none'));
  return h(
    'ul',
    { class: 'plain compact quality-problems', 'data-testid': testid, 'data-problems': problems.join(' ') },
    problems.map((p) => h('li', { 'data-problem': p }, problemLabel(p))),
  );
}

/** The check's name the reader knows: its title, the id when there is none. */
export const checkName = (c: { title?: string; check?: string; id?: string }): string => c.title || c.check || c.id || '';

/** One score of the province as a small stat: the name, the score, the change. */
function summaryStat(k: ScoreKey, board: Scoreboard): HTMLElement {
  const score = board.province[k];
  return h(
    'div',
    { class: 'quality-mini', 'data-testid': 'quality-summary-score', 'data-key': k, 'data-score': score ?? '', 'data-level': scoreLevel(score) },
    h('span', { class: 'quality-mini-label' }, scoreLabel(k)),
    h('strong', { class: `quality-mini-value score-${scoreLevel(score)}` }, fmtScore(score)),
    changeMark(changeOf(board.province.change, k)),
  );
}

/**
 * The IOC overview's quality card, as of the overview's date: the province's overall score and the
 * four dimensions with their change, linking to the scoreboard. It sits below the overview's
 * figures and fetches the scoreboard once it comes into view, so the landing page does not wait
 * for the scoring of every dataset.
 */
export function qualitySummary(asOf: string, signal: AbortSignal): HTMLElement {
  const link = () => h('p', { class: 'quality-summary-link' }, h('a', { class: 'button button-secondary', href: qualityHref(asOfFromAddress()), 'data-testid': 'quality-summary-link' }, t('quality.open'), ' →'));
  const body = h(
    'div',
    { class: 'card panel quality-summary', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('state.loading')),
    link(),
  );
  const el = h('section', { class: 'ioc-group', 'aria-labelledby': 'quality-summary-h', 'data-testid': 'quality-summary' }, h('h2', { id: 'quality-summary-h' }, t('quality.title')), body);

  function show(board: Scoreboard): void {
    const overall = board.province.overall;
    mount(
      body,
      h(
        'div',
        { class: 'quality-summary-overall', 'data-status': levelLight[scoreLevel(overall)] },
        h('p', { class: 'stat-label' }, t('quality.overallProvince')),
        h('p', { class: 'stat-value', 'data-testid': 'quality-summary-overall' }, fmtScore(overall), h('span', { class: 'stat-unit' }, ' /100')),
        h('p', { class: 'stat-detail' }, changeMark(changeOf(board.province.change, 'overall'), 'quality-summary-change'), ' ', t('quality.sinceLastMonth')),
      ),
      h('div', { class: 'quality-summary-dims' }, dimensions.map((d: Dimension) => summaryStat(d, board))),
      link(),
    );
  }

  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    qualityApi
      .scoreboard(asOf)
      .then((board) => {
        if (!signal.aborted) show(board);
      })
      .catch(() => {
        // The overview stands without it; the scoreboard page says what went wrong.
        if (!signal.aborted) mount(body, h('p', { class: 'muted', 'data-testid': 'quality-summary-unavailable' }, t('quality.unavailable')), link());
      })
      .finally(() => body.removeAttribute('aria-busy'));
  });
  seen.observe(el);
  signal.addEventListener('abort', () => seen.disconnect());
  return el;
}
