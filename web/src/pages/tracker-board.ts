// "/nq57" — the Resolution 57 board as of a date (?as_of=, default today): the tasks the centre
// assigned to the province (completed, in progress), the targets and tasks the People's Committee
// assigned to its units with their completion rates, the overdue count; charts by status, by
// programme, by lead unit and by deadline month; tables by unit and by programme whose rows lead
// to the filtered task list. Every number is the server's count as of that date.

import { api } from '../api';
import { trackerApi, type Counts, type DerivedStatus, type Group, type TrackerSummary } from '../tracker-api';
import { h, mount } from '../dom';
import { fmtDate, fmtInt, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { donutOption, monthsOption, num, sentence, stackedBarsOption, statCard, tablePanel } from '../components/figures';
import { trackerChart } from './tracker-charts';
import {
  asOfNote,
  fmtRate,
  labelWidth,
  listHref,
  monthLabel,
  readAsOf,
  statusColor,
  statusLabel,
  trackerTabs,
  unitShortName,
} from './tracker-common';

interface Data {
  province: string;
  summary: TrackerSummary;
}

export async function trackerBoardPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  await loadPage(
    outlet,
    signal,
    async () => {
      const [summary, info] = await Promise.all([trackerApi.summary(asOf), api.info()]);
      return { province: info.province.name, summary };
    },
    (data) => render(outlet, signal, data),
  );
}

const empty: Counts = {
  total: 0,
  completed: 0,
  completed_on_time: 0,
  completed_late: 0,
  in_progress: 0,
  not_started: 0,
  overdue: 0,
  cancelled: 0,
  completion_rate: 0,
};

const rate = (testid: string, n: number) => h('strong', { 'data-testid': testid }, fmtRate(n));

/** Items not completed yet (in progress, not started, overdue): what the report calls "in progress". */
const open = (c: Counts) => Math.max(0, c.total - c.completed);

function card(testid: string, label: string, href: string, value: (Node | string)[], ...details: ((Node | string)[] | false)[]) {
  return statCard(testid, label, value, details, h('p', { class: 'stat-link' }, h('a', { href }, t('tracker.viewList'))));
}

/** Counts of a derived status in a Counts record. */
function statusCount(c: Counts, s: DerivedStatus): number {
  return c[s];
}

function render(outlet: HTMLElement, signal: AbortSignal, { province, summary }: Data): void {
  const central = summary.by_level.central ?? { targets: empty, tasks: empty };
  const prov = summary.by_level.province ?? { targets: empty, tasks: empty };
  const unitLevel = summary.by_level.unit;
  const at = summary.as_of;

  const statusChart = h('div', { class: 'chart', 'data-testid': 'chart-nq57-status' });
  const programmeChart = h('div', { class: 'chart', 'data-testid': 'chart-nq57-programmes' });
  const units = [...summary.by_unit]
    .map((g) => ({ ...g, label: unitShortName(g.name || g.key, province), all: g.tasks.total + g.targets.total }))
    .filter((g) => g.all > 0);
  const unitChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-nq57-units' });
  unitChart.style.height = `${Math.max(360, units.length * 24 + 80)}px`;
  const monthChart = h('div', { class: 'chart', 'data-testid': 'chart-nq57-months' });

  mount(
    outlet,
    pageHead(t('tracker.boardTitle'), t('tracker.boardLead', { date: fmtDate(at) })),
    trackerTabs('board'),
    asOfNote('nq57-asof-shown', t('tracker.asOfShown', { date: fmtDate(at) })),
    h(
      'div',
      { class: 'cards' },
      card(
        'nq57-card-central',
        t('tracker.card.central'),
        listHref({ level: 'central', kind: 'task', as_of: at }),
        [num('nq57-central-tasks', central.tasks.total), h('span', { class: 'stat-unit' }, ` ${t('tracker.unit.tasks')}`)],
        sentence('tracker.card.completedOpen', {
          completed: num('nq57-central-completed', central.tasks.completed),
          open: num('nq57-central-in-progress', open(central.tasks)),
        }),
        central.tasks.overdue > 0 && sentence('tracker.card.overdueOf', { n: num('nq57-central-overdue', central.tasks.overdue) }),
        sentence('tracker.card.rate', { rate: rate('nq57-central-rate', central.tasks.completion_rate) }),
      ),
      card(
        'nq57-card-province-targets',
        t('tracker.card.provinceTargets'),
        listHref({ level: 'province', kind: 'target', as_of: at }),
        [num('nq57-province-targets', prov.targets.total), h('span', { class: 'stat-unit' }, ` ${t('tracker.unit.targets')}`)],
        sentence('tracker.card.completedRate', {
          completed: num('nq57-province-targets-completed', prov.targets.completed),
          rate: rate('nq57-province-targets-rate', prov.targets.completion_rate),
        }),
        prov.targets.overdue > 0 && sentence('tracker.card.overdueOf', { n: num('nq57-province-targets-overdue', prov.targets.overdue) }),
      ),
      card(
        'nq57-card-province-tasks',
        t('tracker.card.provinceTasks'),
        listHref({ level: 'province', kind: 'task', as_of: at }),
        [num('nq57-province-tasks', prov.tasks.total), h('span', { class: 'stat-unit' }, ` ${t('tracker.unit.tasks')}`)],
        sentence('tracker.card.completedRate', {
          completed: num('nq57-province-tasks-completed', prov.tasks.completed),
          rate: rate('nq57-province-tasks-rate', prov.tasks.completion_rate),
        }),
        prov.tasks.overdue > 0 && sentence('tracker.card.overdueOf', { n: num('nq57-province-tasks-overdue', prov.tasks.overdue) }),
      ),
      card(
        'nq57-card-overdue',
        t('tracker.card.overdue'),
        `/nq57/overdue?as_of=${at}`,
        [num('nq57-overdue', summary.overdue.length)],
        sentence('tracker.card.dueSoon', { n: num('nq57-due-soon', summary.due_soon.length) }),
        !!unitLevel &&
          unitLevel.tasks.total + unitLevel.targets.total > 0 &&
          sentence('tracker.card.unitLevel', { n: fmtInt(unitLevel.tasks.total + unitLevel.targets.total), rate: fmtRate(unitLevel.tasks.completion_rate) }),
      ),
    ),
    h(
      'div',
      { class: 'panels' },
      h('section', { class: 'card panel' }, h('h2', {}, t('tracker.chart.programmes')), programmeChart),
      h('section', { class: 'card panel' }, h('h2', {}, t('tracker.chart.status')), statusChart),
    ),
    h('section', { class: 'card panel' }, h('h2', {}, t('tracker.chart.units')), h('p', { class: 'muted small' }, t('tracker.chart.clickHint')), unitChart),
    h('section', { class: 'card panel' }, h('h2', {}, t('tracker.chart.months')), monthChart),
    unitTable(summary, province, at),
    programmeTable(summary, at),
  );
  titled(outlet, t('tracker.boardTitle'));

  // Items (targets and tasks) by derived status.
  const order: DerivedStatus[] = ['completed_on_time', 'completed_late', 'in_progress', 'overdue', 'not_started', 'cancelled'];
  const byStatus = new Map(summary.by_status.map((g) => [g.key, g]));
  trackerChart(statusChart, signal).update(
    donutOption(
      t('tracker.chart.status'),
      '42%',
      order.map((s) => {
        const g = byStatus.get(s);
        const value = g ? statusCount(g.tasks, s) + statusCount(g.targets, s) : 0;
        return { name: statusLabel(s), value, code: s, itemStyle: { color: statusColor[s] } };
      }),
    ),
  );

  // Stacks shared by the programme and unit charts (tasks and targets together); each bar carries its code for the click.
  const stacks = <G extends Group>(groups: G[]) =>
    order
      .filter((s) => s !== 'cancelled')
      .map((s) => ({ name: statusLabel(s), color: statusColor[s], data: groups.map((g) => ({ value: statusCount(g.tasks, s) + statusCount(g.targets, s), code: g.key })) }));

  const programmes = summary.by_programme.filter((g) => g.tasks.total + g.targets.total > 0);
  const programmeC = trackerChart(programmeChart, signal);
  programmeC.update(
    // Programmes by name (long names are cut on the axis and whole in the tooltip).
    stackedBarsOption({ categories: programmes.map((g) => g.name || g.key), labelWidth: labelWidth(programmeChart), stack: 'items', barMaxWidth: 28, bars: stacks(programmes) }),
  );
  programmeC.onClick((code) => go(listHref({ programme: code, as_of: at })));

  units.sort((a, b) => a.all - b.all || b.label.localeCompare(a.label, 'vi'));
  const unitC = trackerChart(unitChart, signal);
  unitC.update(stackedBarsOption({ categories: units.map((g) => g.label), labelWidth: labelWidth(unitChart), stack: 'items', barMaxWidth: 16, bars: stacks(units) }));
  unitC.onClick((code) => go(listHref({ unit: code, as_of: at })));

  const months = [...summary.by_deadline_month].sort((a, b) => a.key.localeCompare(b.key));
  const monthStacks: { key: Key; color: string; value: (c: Counts) => number }[] = [
    { key: 'tracker.month.completed', color: statusColor.completed_on_time, value: (c) => c.completed },
    { key: 'tracker.month.overdue', color: statusColor.overdue, value: (c) => c.overdue },
    { key: 'tracker.month.open', color: statusColor.in_progress, value: (c) => c.in_progress + c.not_started },
  ];
  trackerChart(monthChart, signal).update(
    monthsOption(
      months.map((g) => monthLabel(g.key)),
      monthStacks.map((s) => ({
        type: 'bar' as const,
        name: t(s.key),
        stack: 'months',
        color: s.color,
        barMaxWidth: 22,
        data: months.map((g) => s.value(g.tasks) + s.value(g.targets)),
      })),
    ),
  );
}

/** Figures by lead unit; each unit leads to its tasks, its overdue count to the overdue ones. */
function unitTable(summary: TrackerSummary, province: string, asOf: string): HTMLElement {
  const rows = [...summary.by_unit]
    .filter((g) => g.tasks.total + g.targets.total + g.tasks.cancelled + g.targets.cancelled > 0)
    .sort((a, b) => b.tasks.total - a.tasks.total || a.name.localeCompare(b.name, 'vi'));
  const cell = (n: number, href?: string) => h('td', { class: 'num' }, href && n > 0 ? h('a', { href }, fmtInt(n)) : fmtInt(n));
  return tablePanel({
    id: 'nq57-unit-table',
    title: t('tracker.table.units'),
    class: 'data nq57-table',
    head: [
      t('tracker.field.lead_unit'),
      t('tracker.kindPlural.task'),
      t('tracker.col.completed'),
      t('tracker.status.completed_on_time'),
      t('tracker.status.in_progress'),
      t('tracker.status.overdue'),
      t('tracker.col.rate'),
      t('tracker.kindPlural.target'),
      t('tracker.col.targetsCompleted'),
    ],
    empty: t('state.empty'),
    rows: rows.map((g) =>
      h(
        'tr',
        { 'data-testid': 'nq57-unit-row', 'data-unit': g.key },
        h('th', { scope: 'row' }, h('a', { href: listHref({ unit: g.key, as_of: asOf }) }, unitShortName(g.name || g.key, province))),
        cell(g.tasks.total, listHref({ unit: g.key, kind: 'task', as_of: asOf })),
        cell(g.tasks.completed),
        cell(g.tasks.completed_on_time, listHref({ unit: g.key, status: 'completed_on_time', as_of: asOf })),
        cell(g.tasks.in_progress, listHref({ unit: g.key, status: 'in_progress', as_of: asOf })),
        cell(g.tasks.overdue, listHref({ unit: g.key, status: 'overdue', as_of: asOf })),
        h('td', { class: 'num' }, g.tasks.total > 0 ? fmtRate(g.tasks.completion_rate) : t('state.none')),
        cell(g.targets.total, listHref({ unit: g.key, kind: 'target', as_of: asOf })),
        cell(g.targets.completed),
      ),
    ),
  });
}

/** Figures by programme, targets and tasks side by side; each programme leads to its items. */
function programmeTable(summary: TrackerSummary, asOf: string): HTMLElement {
  return tablePanel({
    id: 'nq57-programme-table',
    title: t('tracker.table.programmes'),
    class: 'data nq57-table',
    head: [
      t('tracker.field.programme'),
      t('tracker.kindPlural.target'),
      t('tracker.col.completed'),
      t('tracker.col.rate'),
      t('tracker.kindPlural.task'),
      t('tracker.col.completed'),
      t('tracker.col.rate'),
      t('tracker.status.overdue'),
    ],
    empty: t('state.empty'),
    rows: summary.by_programme.map((g) =>
      h(
        'tr',
        { 'data-testid': 'nq57-programme-row', 'data-programme': g.key },
        h('th', { scope: 'row' }, h('a', { href: listHref({ programme: g.key, as_of: asOf }) }, g.name || g.key), ' ', h('span', { class: 'muted small' }, `(${g.key})`)),
        h('td', { class: 'num' }, fmtInt(g.targets.total)),
        h('td', { class: 'num' }, fmtInt(g.targets.completed)),
        h('td', { class: 'num' }, g.targets.total > 0 ? fmtRate(g.targets.completion_rate) : t('state.none')),
        h('td', { class: 'num' }, fmtInt(g.tasks.total)),
        h('td', { class: 'num' }, fmtInt(g.tasks.completed)),
        h('td', { class: 'num' }, g.tasks.total > 0 ? fmtRate(g.tasks.completion_rate) : t('state.none')),
        h(
          'td',
          { class: 'num' },
          g.tasks.overdue + g.targets.overdue > 0
            ? h('a', { href: listHref({ programme: g.key, status: 'overdue', as_of: asOf }) }, fmtInt(g.tasks.overdue + g.targets.overdue))
            : '0',
        ),
      ),
    ),
  });
}
