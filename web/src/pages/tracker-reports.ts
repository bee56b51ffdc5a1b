// "/nq57/reports" — the monthly progress reports owed for one month (?month=YYYY-MM), as of a date
// (?as_of=): by unit, who reported on time, late, or not at all, and what is not due yet; filters
// by unit and timeliness (in the address too); each obligation leads to its task. Administrators
// also see the reminders outbox and can queue the reminders owed as of the date.

import { api } from '../api';
import { trackerApi, timelinessValues, type Obligation, type OutboxMessage, type Timeliness } from '../tracker-api';
import { h, mount } from '../dom';
import { busy, formMessage } from '../forms';
import { fmtDate, fmtDateTime, fmtInt, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser, hasRole } from '../session';
import { errorMessage } from '../shell';
import {
  asOfNote,
  fmtPercent,
  itemHref,
  monthLabel,
  monthLong,
  monthOf,
  previousMonth,
  readAsOf,
  timelinessBadge,
  timelinessLabel,
  trackerTabs,
  unitShortName,
} from './tracker-common';

interface Data {
  province: string;
  dueDay: number;
  items: Obligation[];
}

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month shown by default: the latest whose reports are already due (the 25th, by default). */
function defaultMonth(asOf: string): string {
  const m = monthOf(asOf);
  return Number(asOf.slice(8, 10)) > 25 ? m : previousMonth(m);
}

function readQuery(asOf: string): { month: string; unit: string; timeliness: Timeliness | '' } {
  const p = new URLSearchParams(location.search);
  const month = p.get('month') ?? '';
  const timeliness = p.get('timeliness') ?? '';
  return {
    month: monthPattern.test(month) ? month : defaultMonth(asOf),
    unit: p.get('unit') ?? '',
    timeliness: timelinessValues.includes(timeliness as Timeliness) ? (timeliness as Timeliness) : '',
  };
}

export async function trackerReportsPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  const query = readQuery(asOf);
  await loadPage(
    outlet,
    signal,
    async () => {
      const [res, info] = await Promise.all([trackerApi.reports(new URLSearchParams({ month: query.month, as_of: asOf })), api.info()]);
      return { province: info.province.name, dueDay: res.due_day, items: res.items };
    },
    (data) => render(outlet, signal, asOf, query, data),
  );
}

/** The months offered: two years back from the as-of month, and the one asked for. */
function monthChoices(asOf: string, chosen: string): string[] {
  const out = new Set<string>();
  let m = monthOf(asOf);
  for (let i = 0; i < 24; i++) {
    out.add(m);
    m = previousMonth(m);
  }
  out.add(chosen);
  return [...out].sort((a, b) => b.localeCompare(a));
}

function render(
  outlet: HTMLElement,
  signal: AbortSignal,
  asOf: string,
  query: { month: string; unit: string; timeliness: Timeliness | '' },
  data: Data,
): void {
  const state = { ...query };
  const nameOf = (o: Obligation) => unitShortName(o.unit_name || o.unit, data.province);
  const units = [...new Map(data.items.map((o) => [o.unit, nameOf(o)])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'vi'));

  const month = h(
    'select',
    { id: 'nq57-reports-month', name: 'month', 'data-testid': 'nq57-reports-month' },
    monthChoices(asOf, state.month).map((m) => h('option', { value: m }, monthLabel(m))),
  );
  month.value = state.month;
  month.addEventListener('change', () => {
    const p = new URLSearchParams(location.search);
    p.set('month', month.value);
    go(`/nq57/reports?${p}`);
  });
  const unit = h(
    'select',
    { id: 'nq57-reports-unit', name: 'unit', 'data-testid': 'nq57-reports-unit' },
    h('option', { value: '' }, t('tracker.all')),
    units.map(([code, name]) => h('option', { value: code }, name)),
    state.unit && !units.some(([c]) => c === state.unit) && h('option', { value: state.unit }, state.unit),
  );
  unit.value = state.unit;
  const timeliness = h(
    'select',
    { id: 'nq57-reports-timeliness', name: 'timeliness', 'data-testid': 'nq57-reports-timeliness' },
    h('option', { value: '' }, t('tracker.all')),
    timelinessValues.map((v) => h('option', { value: v }, timelinessLabel(v))),
  );
  timeliness.value = state.timeliness;

  const chips = h('ul', { class: 'chips', 'aria-label': t('tracker.reportCounts'), 'data-testid': 'nq57-reports-counts' });
  const unitBody = h('tbody');
  const detailBody = h('tbody');
  const shown = h('p', { class: 'muted', role: 'status', 'data-testid': 'nq57-reports-shown' });

  function writeQuery(): void {
    const p = new URLSearchParams(location.search);
    p.set('month', state.month);
    for (const k of ['unit', 'timeliness'] as const) {
      if (state[k]) p.set(k, state[k]);
      else p.delete(k);
    }
    history.replaceState(null, '', `${location.pathname}?${p}`);
  }

  function update(): void {
    const byUnit = data.items.filter((o) => !state.unit || o.unit === state.unit);
    const list = byUnit.filter((o) => !state.timeliness || o.timeliness === state.timeliness);
    const count = (k: Timeliness) => byUnit.filter((o) => o.timeliness === k).length;
    mount(
      chips,
      timelinessValues.map((k) =>
        h('li', { 'data-testid': `nq57-reports-count-${k}` }, h('strong', {}, fmtInt(count(k))), ' ', timelinessBadge(k)),
      ),
    );

    // One row per unit: how many it owed and how it did.
    const groups = new Map<string, { name: string; counts: Record<Timeliness, number> }>();
    for (const o of byUnit) {
      const g = groups.get(o.unit) ?? { name: nameOf(o), counts: { on_time: 0, late: 0, missing: 0, not_due: 0 } };
      g.counts[o.timeliness] += 1;
      groups.set(o.unit, g);
    }
    const unitRows = [...groups.entries()].sort((a, b) => b[1].counts.missing - a[1].counts.missing || b[1].counts.late - a[1].counts.late || a[1].name.localeCompare(b[1].name, 'vi'));
    mount(
      unitBody,
      unitRows.length === 0
        ? h('tr', {}, h('td', { colspan: 6, class: 'empty' }, t('tracker.reportsNoneMonth')))
        : unitRows.map(([code, g]) =>
            h(
              'tr',
              { 'data-testid': 'nq57-reports-unit-row', 'data-unit': code },
              h(
                'th',
                { scope: 'row' },
                h(
                  'a',
                  {
                    href: `/nq57/reports?month=${state.month}&unit=${encodeURIComponent(code)}`,
                    onclick: (e: Event) => {
                      e.preventDefault();
                      state.unit = code;
                      unit.value = code;
                      writeQuery();
                      update();
                    },
                  },
                  g.name,
                ),
              ),
              h('td', { class: 'num' }, fmtInt(g.counts.on_time + g.counts.late + g.counts.missing + g.counts.not_due)),
              (['on_time', 'late', 'missing', 'not_due'] as Timeliness[]).map((k) => h('td', { class: `num${k === 'missing' && g.counts[k] > 0 ? ' alert' : ''}`, 'data-timeliness': k }, fmtInt(g.counts[k]))),
            ),
          ),
    );

    const sorted = [...list].sort((a, b) => nameOf(a).localeCompare(nameOf(b), 'vi') || a.task.localeCompare(b.task));
    mount(
      detailBody,
      sorted.length === 0
        ? h('tr', {}, h('td', { colspan: 6, class: 'empty' }, t('tracker.reportsNoneMonth')))
        : sorted.map((o) =>
            h(
              'tr',
              { 'data-testid': 'nq57-obligation-row', 'data-task': o.task, 'data-unit': o.unit, 'data-timeliness': o.timeliness },
              h('td', {}, nameOf(o)),
              h('th', { scope: 'row' }, h('a', { href: itemHref(o.task) }, o.task_title || o.task), h('br'), h('code', { class: 'small' }, o.task)),
              h('td', { class: 'nowrap' }, fmtDate(o.due)),
              h('td', {}, timelinessBadge(o.timeliness)),
              h('td', { class: 'small' }, o.report ? [fmtDateTime(o.report.submitted_at), h('br'), h('span', { class: 'muted' }, o.report.submitted_by)] : t('state.none')),
              h('td', { class: 'num' }, o.report ? fmtPercent(o.report.percent) : t('state.none')),
            ),
          ),
    );
    shown.textContent = t('tracker.reportsShown', { n: fmtInt(sorted.length), month: monthLong(state.month) });
  }

  unit.addEventListener('change', () => {
    state.unit = unit.value;
    writeQuery();
    update();
  });
  timeliness.addEventListener('change', () => {
    state.timeliness = timeliness.value as Timeliness | '';
    writeQuery();
    update();
  });

  const head = (keys: [Key, boolean][]) => h('thead', {}, h('tr', {}, keys.map(([k, num]) => h('th', { scope: 'col', class: num ? 'num' : null }, t(k)))));

  mount(
    outlet,
    pageHead(t('tracker.reportsTitle'), t('tracker.reportsLead', { day: fmtInt(data.dueDay) })),
    trackerTabs('reports'),
    asOfNote('nq57-reports-asof-shown', t('tracker.asOfShown', { date: fmtDate(asOf) })),
    h(
      'form',
      { class: 'toolbar', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: month.id }, t('tracker.report.month')), month),
      h('div', { class: 'field' }, h('label', { for: unit.id }, t('tracker.field.lead_unit')), unit),
      h('div', { class: 'field' }, h('label', { for: timeliness.id }, t('tracker.report.timeliness')), timeliness),
    ),
    chips,
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'nq57-reports-units-h' },
      h('h2', { id: 'nq57-reports-units-h' }, t('tracker.reportsByUnit', { month: monthLong(state.month) })),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data nq57-table', 'data-testid': 'nq57-reports-units' },
          head([
            ['tracker.field.lead_unit', false],
            ['tracker.reportsOwed', true],
            ['tracker.timeliness.on_time', true],
            ['tracker.timeliness.late', true],
            ['tracker.timeliness.missing', true],
            ['tracker.timeliness.not_due', true],
          ]),
          unitBody,
        ),
      ),
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'nq57-reports-list-h' },
      h('h2', { id: 'nq57-reports-list-h' }, t('tracker.reportsList')),
      shown,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data nq57-list', 'data-testid': 'nq57-obligations' },
          head([
            ['tracker.field.lead_unit', false],
            ['tracker.kind.task', false],
            ['tracker.report.due', false],
            ['tracker.report.timeliness', false],
            ['tracker.report.submitted', false],
            ['tracker.col.percent', true],
          ]),
          detailBody,
        ),
      ),
    ),
    hasRole(currentUser(), ['administrator']) && outboxPanel(asOf, signal),
  );
  update();
  titled(outlet, t('tracker.reportsTitle'));
}

/** Administrators: the reminders queued for the units, and a button that queues those owed now. */
function outboxPanel(asOf: string, signal: AbortSignal): HTMLElement {
  const list = h('div', { 'data-testid': 'nq57-outbox' });
  const message = formMessage('nq57-outbox-message');
  const queue = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'nq57-reminders' }, t('tracker.outbox.queue', { date: fmtDate(asOf) }));
  let loaded = false;

  async function load(): Promise<void> {
    try {
      const { items } = await trackerApi.outbox();
      if (signal.aborted) return;
      loaded = true;
      mount(list, items.length === 0 ? h('p', { class: 'muted' }, t('tracker.outbox.empty')) : table(items));
    } catch (err) {
      if (!signal.aborted) message.error(err);
    }
  }

  const table = (items: OutboxMessage[]) =>
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h(
          'thead',
          {},
          h('tr', {}, [t('tracker.outbox.created'), t('tracker.outbox.kind'), t('tracker.field.lead_unit'), t('tracker.outbox.subject'), t('tracker.outbox.state')].map((c) => h('th', { scope: 'col' }, c))),
        ),
        h(
          'tbody',
          {},
          items.slice(0, 200).map((m) =>
            h(
              'tr',
              { 'data-testid': 'nq57-outbox-row' },
              h('td', { class: 'small nowrap' }, fmtDateTime(m.created_at)),
              h('td', {}, h('code', {}, m.kind)),
              h('td', {}, m.unit),
              h('td', {}, m.subject),
              h('td', {}, m.state, m.last_error ? h('span', { class: 'muted small' }, ` (${m.last_error})`) : null),
            ),
          ),
        ),
      ),
    );

  queue.addEventListener('click', () =>
    void busy(queue, async () => {
      message.clear();
      try {
        const { added } = await trackerApi.reminders(asOf);
        if (signal.aborted) return;
        message.ok(t('tracker.outbox.added', { n: fmtInt(added) }));
        await load();
      } catch (err) {
        if (!signal.aborted) message.error(err, errorMessage(err));
      }
    }),
  );

  const details = h(
    'details',
    { class: 'card panel', 'data-testid': 'nq57-outbox-panel' },
    h('summary', {}, h('h2', {}, t('tracker.outbox.title'))),
    h('div', { class: 'stack' }, h('p', { class: 'muted' }, t('tracker.outbox.lead')), h('p', {}, queue), message.el, list),
  );
  details.addEventListener('toggle', () => {
    if (details.open && !loaded) void load();
  });
  return details;
}
