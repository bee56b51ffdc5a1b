// Shared by the Resolution 57 pages: labels of levels, kinds, states, statuses and timeliness,
// their badges, rates written the reader's way (60,38 % / 60.38%), months, the as-of date in the
// address, links to items and filtered lists, and the register's sub-navigation.

import type { DerivedStatus, ItemKind, ItemState, Recurrence, Timeliness, TrackerLevel } from '../tracker-api';
import { h } from '../dom';
import { fmtDec, lang, locale, t, type Key } from '../i18n';
import { asOfFromAddress, currentAsOf } from '../as-of';

export { isoDate, today, unitShortName } from './catalog-common';
export { asOfFromAddress, plausible } from '../as-of';
export { labelWidth, monthLabel } from '../components/figures';

export const levelLabel = (l: TrackerLevel): string => t(`tracker.level.${l}` as Key);
export const kindLabel = (k: ItemKind): string => t(`tracker.kind.${k}` as Key);
export const kindPlural = (k: ItemKind): string => t(`tracker.kindPlural.${k}` as Key);
export const stateLabel = (s: ItemState): string => t(`tracker.state.${s}` as Key);
export const statusLabel = (s: DerivedStatus): string => t(`tracker.status.${s}` as Key);
export const timelinessLabel = (s: Timeliness): string => t(`tracker.timeliness.${s}` as Key);
export const recurrenceLabel = (r: Recurrence): string => (r ? t(`tracker.recurrence.${r}` as Key) : t('tracker.recurrence.none'));

/** Colours of the derived statuses, shared by badges' meaning and the charts. */
export const statusColor: Record<DerivedStatus, string> = {
  completed_on_time: '#14a38b',
  completed_late: '#7a5cc2',
  in_progress: '#0b5cad',
  overdue: '#d64550',
  not_started: '#8aa1b8',
  cancelled: '#c5ced8',
};

const statusTone: Record<DerivedStatus, string> = {
  not_started: 'badge-muted',
  in_progress: '',
  overdue: 'badge-old',
  completed_on_time: 'badge-whole',
  completed_late: 'badge-late',
  cancelled: 'badge-muted badge-cancelled',
};

export function statusBadge(s: DerivedStatus): HTMLElement {
  return h('span', { class: `badge ${statusTone[s] ?? ''}`, 'data-status': s }, statusLabel(s));
}

const timelinessTone: Record<Timeliness, string> = {
  on_time: 'badge-whole',
  late: 'badge-partial',
  missing: 'badge-old',
  not_due: 'badge-muted',
};

export function timelinessBadge(s: Timeliness): HTMLElement {
  return h('span', { class: `badge ${timelinessTone[s] ?? ''}`, 'data-timeliness': s }, timelinessLabel(s));
}

export function kindBadge(k: ItemKind): HTMLElement {
  return h('span', { class: 'badge badge-kind', 'data-kind': k }, kindLabel(k));
}

/** A percentage the reader's way: "60,38 %" (vi) or "60.38%" (en). */
export function fmtRate(n: number | null | undefined, digits = 2): string {
  if (n == null || !Number.isFinite(n)) return t('state.none');
  return t('tracker.rate', { n: fmtDec(n, digits) });
}

/** A reported percent (a whole number): "40 %" / "40%". */
export function fmtPercent(n: number | null | undefined): string {
  return fmtRate(n, 0);
}

/** "tháng 10/2025" / "October 2025": a month in a sentence. */
export function monthLong(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  if (lang() === 'vi') return `tháng ${String(m).padStart(2, '0')}/${y}`;
  return new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

/** The as-of date the page shows: the address's, or the IOC's date (the header's). */
export function readAsOf(): string {
  return currentAsOf();
}

/** Whole days from `a` to `b` (ISO dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** "YYYY-MM" of an ISO date, and the month before one. */
export const monthOf = (iso: string): string => iso.slice(0, 7);
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function itemHref(code: string, asOf?: string): string {
  return `/nq57/tasks/${encodeURIComponent(code)}${asOf ? `?as_of=${asOf}` : ''}`;
}

/** The task list filtered by `filters` (empty values left out). */
export function listHref(filters: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
  const query = p.toString();
  return `/nq57/tasks${query ? `?${query}` : ''}`;
}

export type TrackerTab = 'board' | 'tasks' | 'overdue' | 'ranking' | 'reports';

/** Links between the register's pages, under each page's heading; the as-of date goes along when one was chosen. */
export function trackerTabs(active: TrackerTab | null, asOf = asOfFromAddress()): HTMLElement {
  const query = asOf ? `?as_of=${asOf}` : '';
  const tabs: [TrackerTab, Key, string][] = [
    ['board', 'tracker.tab.board', '/nq57'],
    ['tasks', 'tracker.tab.tasks', '/nq57/tasks'],
    ['overdue', 'tracker.tab.overdue', '/nq57/overdue'],
    ['ranking', 'tracker.tab.ranking', '/nq57/ranking'],
    ['reports', 'tracker.tab.reports', '/nq57/reports'],
  ];
  return h(
    'nav',
    { class: 'tabs nq57-tabs', 'aria-label': t('tracker.tabs') },
    tabs.map(([id, key, href]) =>
      h('a', { href: `${href}${query}`, class: 'tab', 'aria-current': id === active ? 'page' : null, 'data-testid': `nq57-tab-${id}` }, t(key)),
    ),
  );
}

/**
 * The line a figures page opens with: the date its figures are as of. The date itself is chosen
 * once for the whole app, in the header.
 */
export function asOfNote(testid: string, shown: string): HTMLElement {
  return h('p', { class: 'muted as-of-note', 'data-testid': testid }, shown);
}
