// "/nq57/ranking" — units ranked as of a date (?as_of=, default today) by on-time completion of the
// tasks due (completed by their deadline / tasks due) and by the timeliness of their monthly
// reports (on time / reports due): a sortable table (the sort lives in the address) and a bar chart
// of both rates that follows the table's order. A unit leads to its tasks.

import { api } from '../api';
import { trackerApi, type TrackerSummary, type UnitRank } from '../tracker-api';
import { h, mount } from '../dom';
import { fmtDate, fmtInt, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { trackerChart } from './tracker-charts';
import { asOfNote, fmtRate, labelWidth, listHref, readAsOf, trackerTabs, unitShortName } from './tracker-common';

interface Data {
  province: string;
  summary: TrackerSummary;
}

type SortKey = 'rank' | 'name' | 'tasks_due' | 'completed_on_time' | 'on_time_rate' | 'reports_expected' | 'reports_on_time' | 'reports_late' | 'reports_missing' | 'report_rate';

interface Column {
  key: SortKey;
  label: Key;
  numeric: boolean;
  rate?: boolean;
}

const columns: Column[] = [
  { key: 'rank', label: 'tracker.rank.rank', numeric: true },
  { key: 'name', label: 'tracker.rank.unit', numeric: false },
  { key: 'tasks_due', label: 'tracker.rank.tasksDue', numeric: true },
  { key: 'completed_on_time', label: 'tracker.rank.completedOnTime', numeric: true },
  { key: 'on_time_rate', label: 'tracker.rank.onTimeRate', numeric: true, rate: true },
  { key: 'reports_expected', label: 'tracker.rank.reportsExpected', numeric: true },
  { key: 'reports_on_time', label: 'tracker.rank.reportsOnTime', numeric: true },
  { key: 'reports_late', label: 'tracker.rank.reportsLate', numeric: true },
  { key: 'reports_missing', label: 'tracker.rank.reportsMissing', numeric: true },
  { key: 'report_rate', label: 'tracker.rank.reportRate', numeric: true, rate: true },
];

export async function trackerRankingPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
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

function readSort(): { sort: SortKey; dir: 'asc' | 'desc' } {
  const p = new URLSearchParams(location.search);
  const sort = columns.find((c) => c.key === p.get('sort'))?.key ?? 'rank';
  const dir = p.get('dir') === 'desc' ? 'desc' : p.get('dir') === 'asc' ? 'asc' : sort === 'rank' || sort === 'name' ? 'asc' : 'desc';
  return { sort, dir };
}

function writeSort(sort: SortKey, dir: 'asc' | 'desc'): void {
  const p = new URLSearchParams(location.search);
  p.delete('sort');
  p.delete('dir');
  if (sort !== 'rank' || dir !== 'asc') {
    p.set('sort', sort);
    p.set('dir', dir);
  }
  const query = p.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

interface Row extends UnitRank {
  rank: number;
  label: string;
}

function render(outlet: HTMLElement, signal: AbortSignal, { province, summary }: Data): void {
  const at = summary.as_of;
  // The server's order is the ranking: on-time completion, then report timeliness.
  const rows: Row[] = summary.ranking.map((u, i) => ({ ...u, rank: i + 1, label: unitShortName(u.name || u.unit, province) }));
  const state = readSort();
  const headRow = h('tr');
  const tbody = h('tbody');
  const chartEl = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-nq57-ranking' });
  const ranked = rows.filter((r) => r.tasks_due > 0 || r.reports_expected > 0);
  chartEl.style.height = `${Math.max(360, ranked.length * 30 + 80)}px`;

  function value(r: Row, key: SortKey): number | string {
    return key === 'name' ? r.label : r[key];
  }

  function order(): Row[] {
    const sign = state.dir === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const va = value(a, state.sort);
      const vb = value(b, state.sort);
      const c = typeof va === 'string' ? va.localeCompare(String(vb), 'vi') : va - (vb as number);
      return sign * c || a.rank - b.rank;
    });
  }

  function renderHead(): void {
    mount(
      headRow,
      columns.map((col) => {
        const sorted = state.sort === col.key;
        return h(
          'th',
          { scope: 'col', class: col.numeric ? 'num' : null, 'aria-sort': sorted ? (state.dir === 'asc' ? 'ascending' : 'descending') : null },
          h(
            'button',
            {
              type: 'button',
              class: 'sort',
              'data-testid': `nq57-sort-${col.key}`,
              title: t('units.sortBy', { column: t(col.label) }),
              onclick: () => {
                state.dir = sorted ? (state.dir === 'asc' ? 'desc' : 'asc') : col.numeric && col.key !== 'rank' ? 'desc' : 'asc';
                state.sort = col.key;
                writeSort(state.sort, state.dir);
                update();
              },
            },
            t(col.label),
            h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (state.dir === 'asc' ? '▲' : '▼') : '↕'),
          ),
        );
      }),
    );
  }

  function renderRows(list: Row[]): void {
    mount(
      tbody,
      list.length === 0
        ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, t('state.empty')))
        : list.map((r) =>
            h(
              'tr',
              { 'data-testid': 'nq57-rank-row', 'data-unit': r.unit, 'data-rank': r.rank },
              h('td', { class: 'num' }, fmtInt(r.rank)),
              h('th', { scope: 'row' }, h('a', { href: listHref({ unit: r.unit, as_of: at }) }, r.label)),
              h('td', { class: 'num' }, fmtInt(r.tasks_due)),
              h('td', { class: 'num' }, fmtInt(r.completed_on_time)),
              h('td', { class: 'num rate', 'data-testid': 'nq57-rank-on-time' }, r.tasks_due > 0 ? fmtRate(r.on_time_rate) : t('state.none')),
              h('td', { class: 'num' }, fmtInt(r.reports_expected)),
              h('td', { class: 'num' }, fmtInt(r.reports_on_time)),
              h('td', { class: 'num' }, fmtInt(r.reports_late)),
              h('td', { class: 'num' }, r.reports_missing > 0 ? h('a', { href: `/nq57/reports?unit=${encodeURIComponent(r.unit)}&as_of=${at}` }, fmtInt(r.reports_missing)) : fmtInt(r.reports_missing)),
              h('td', { class: 'num rate', 'data-testid': 'nq57-rank-report' }, r.reports_expected > 0 ? fmtRate(r.report_rate) : t('state.none')),
            ),
          ),
    );
  }

  const c = trackerChart(chartEl, signal);
  c.onClick((code) => go(listHref({ unit: code, as_of: at })));
  function renderChart(list: Row[]): void {
    // Bars from the top down in the table's order (a category axis draws its first item at the bottom).
    const shown = list.filter((r) => r.tasks_due > 0 || r.reports_expected > 0).reverse();
    c.update({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtRate(Number(v)) },
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v: number) => fmtRate(v, 0) } },
      yAxis: { type: 'category', data: shown.map((r) => r.label), axisTick: { show: false }, axisLabel: { width: labelWidth(chartEl), overflow: 'truncate' } },
      series: [
        {
          type: 'bar' as const,
          name: t('tracker.rank.onTimeRate'),
          color: '#14a38b',
          barMaxWidth: 12,
          data: shown.map((r) => ({ value: r.tasks_due > 0 ? r.on_time_rate : 0, code: r.unit })),
        },
        {
          type: 'bar' as const,
          name: t('tracker.rank.reportRate'),
          color: '#0b5cad',
          barMaxWidth: 12,
          data: shown.map((r) => ({ value: r.reports_expected > 0 ? r.report_rate : 0, code: r.unit })),
        },
      ],
    });
  }

  function update(): void {
    renderHead();
    const list = order();
    renderRows(list);
    renderChart(list);
  }

  mount(
    outlet,
    pageHead(t('tracker.rankingTitle'), t('tracker.rankingLead', { date: fmtDate(at) })),
    trackerTabs('ranking'),
    asOfNote('nq57-ranking-asof-shown', t('tracker.asOfShown', { date: fmtDate(at) })),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'nq57-ranking-h' },
      h('h2', { id: 'nq57-ranking-h' }, t('tracker.rankingTable')),
      h('p', { class: 'muted small' }, t('tracker.rankingHint')),
      h(
        'div',
        { class: 'table-wrap' },
        h('table', { class: 'data nq57-table', 'data-testid': 'nq57-ranking-table' }, h('caption', { class: 'visually-hidden' }, t('tracker.rankingTable')), h('thead', {}, headRow), tbody),
      ),
    ),
    h('section', { class: 'card panel' }, h('h2', {}, t('tracker.rankingChart')), chartEl),
  );
  titled(outlet, t('tracker.rankingTitle'));
  update();
}
