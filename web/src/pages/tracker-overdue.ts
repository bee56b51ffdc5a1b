// "/nq57/overdue" — what needs the leaders' attention as of a date (?as_of=, default today): the
// targets and tasks past their deadline and not completed (most overdue first), and those due in
// the next 30 days; each with its lead unit, leader in charge, days over or left, latest percent.

import { api } from '../api';
import { trackerApi, type ItemRecord, type TrackerSummary } from '../tracker-api';
import { h, mount } from '../dom';
import { fmtDate, fmtInt, t } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import type { RouteContext } from '../router';
import {
  asOfNote,
  daysBetween,
  fmtPercent,
  itemHref,
  kindLabel,
  levelLabel,
  readAsOf,
  statusBadge,
  trackerTabs,
  unitShortName,
} from './tracker-common';

interface Data {
  province: string;
  summary: TrackerSummary;
}

export async function trackerOverduePage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  await loadPage(
    outlet,
    signal,
    async () => {
      const [summary, info] = await Promise.all([trackerApi.summary(asOf), api.info()]);
      return { province: info.province.name, summary };
    },
    (data) => render(outlet, data),
  );
}

function render(outlet: HTMLElement, { province, summary }: Data): void {
  const at = summary.as_of;
  const overdue = [...summary.overdue].sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? '') || a.code.localeCompare(b.code));
  const soon = [...summary.due_soon].sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? '') || a.code.localeCompare(b.code));
  mount(
    outlet,
    pageHead(t('tracker.overdueTitle'), t('tracker.overdueLead', { date: fmtDate(at) })),
    trackerTabs('overdue'),
    asOfNote('nq57-overdue-asof-shown', t('tracker.asOfShown', { date: fmtDate(at) })),
    itemTable('overdue', t('tracker.overdueList', { n: fmtInt(overdue.length) }), overdue, at, province, (r) =>
      t('tracker.daysOver', { n: fmtInt(daysBetween(r.deadline ?? at, at)) }),
    ),
    itemTable('due-soon', t('tracker.dueSoonList', { n: fmtInt(soon.length) }), soon, at, province, (r) => t('tracker.daysLeft', { n: fmtInt(daysBetween(at, r.deadline ?? at)) })),
  );
  titled(outlet, t('tracker.overdueTitle'));
}

function itemTable(id: string, title: string, items: ItemRecord[], asOf: string, province: string, days: (r: ItemRecord) => string): HTMLElement {
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': `nq57-${id}-h`, 'data-testid': `nq57-${id}` },
    h('h2', { id: `nq57-${id}-h` }, title),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data nq57-list', 'data-testid': `nq57-${id}-table` },
        h('caption', { class: 'visually-hidden' }, title),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('tracker.col.codeKind')),
            h('th', { scope: 'col' }, t('tracker.field.title')),
            h('th', { scope: 'col' }, t('tracker.field.lead_unit')),
            h('th', { scope: 'col' }, t('tracker.field.leader')),
            h('th', { scope: 'col', class: 'num' }, t('tracker.field.deadline')),
            h('th', { scope: 'col', class: 'num' }, t('tracker.col.days')),
            h('th', { scope: 'col' }, t('tracker.field.status')),
            h('th', { scope: 'col', class: 'num' }, t('tracker.col.percent')),
          ),
        ),
        h(
          'tbody',
          {},
          items.length === 0
            ? h('tr', {}, h('td', { colspan: 8, class: 'empty' }, t('tracker.noneListed')))
            : items.map((r) =>
                h(
                  'tr',
                  { 'data-testid': `nq57-${id}-row`, 'data-code': r.code, 'data-status': r.status },
                  h('td', {}, h('code', {}, r.code), h('br'), h('span', { class: 'muted small' }, `${kindLabel(r.kind)} · ${levelLabel(r.level)}`)),
                  h('th', { scope: 'row' }, h('a', { href: itemHref(r.code, asOf) }, r.title)),
                  h('td', {}, unitShortName(r.lead_unit_name || r.lead_unit, province)),
                  h('td', {}, r.leader?.name ? [r.leader.name, r.leader.position && h('br'), r.leader.position && h('span', { class: 'muted small' }, r.leader.position)] : t('state.none')),
                  h('td', { class: 'num nowrap' }, fmtDate(r.deadline)),
                  h('td', { class: 'num nowrap' }, r.deadline ? days(r) : t('state.none')),
                  h('td', {}, statusBadge(r.status)),
                  h('td', { class: 'num' }, fmtPercent(r.percent)),
                ),
              ),
        ),
      ),
    ),
  );
}
