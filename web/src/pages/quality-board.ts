// "/quality" — the data quality scoreboard as of a date (?as_of=, default the IOC's date): the
// province's overall score and its four dimensions — correct (đúng), sufficient (đủ), clean
// (sạch), alive (sống) — with the change since the month before, their 12-month trend, the units
// ranked best first (each score, the change, the worst check; a unit leads to its failing rows),
// the datasets, the catalog's databases (lowest first: their dataset's scores and what the catalog
// lacks about them, in words), and the worst checks (each leads to the rows that fail it). The
// scores follow the batches committed and the checks saved while the page is open (the live
// "quality" event); the units a batch changed are marked for a moment.

import { h, mount } from '../dom';
import { field, input } from '../forms';
import { fmtDate, fmtInt, t } from '../i18n';
import { subscribe } from '../live';
import { loadPage, pageHead, titled } from '../page';
import {
  dimensions,
  qualityApi,
  scoreKeys,
  type CheckResult,
  type DatabaseScores,
  type DatasetScores,
  type ScoreKey,
  type Scoreboard,
  type UnitScores,
} from '../quality-api';
import { go, type RouteContext } from '../router';
import { currentUser } from '../session';
import { fold } from '../text';
import { datasetHref, datasetsApi } from '../datasets-api';
import { entryHref } from './catalog-common';
import { canReadRecords } from './datasets-common';
import { iocChart, liveRefresh } from './ioc-common';
import {
  bareCheck,
  changeMark,
  changeOf,
  checkName,
  checkTypeLabel,
  dimensionHint,
  dimensionLabel,
  failuresHref,
  fmtScore,
  levelLight,
  problemsList,
  scoreBar,
  scoreCell,
  scoreLabel,
  scoreLevel,
  qualityAsOf,
} from './quality-common';
import { asOfNote, monthLabel, monthLong } from './tracker-common';

export async function qualityPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      // The scoreboard also scores the index set's reported values, which are no dataset of the
      // hub: only real datasets get a link to their checks.
      const [board, datasets] = await Promise.all([
        qualityAsOf().then((asOf) => qualityApi.scoreboard(asOf)),
        datasetsApi.list().then(
          ({ items }) => new Set(items.map((d) => d.code)),
          () => null,
        ),
      ]);
      return { board, datasets };
    },
    ({ board, datasets }) => render(outlet, signal, board, datasets),
  );
}

interface ScoreCard {
  el: HTMLElement;
  update(board: Scoreboard): void;
}

function scoreCard(k: ScoreKey): ScoreCard {
  const titleId = `quality-card-${k}-h`;
  const value = h('span', { 'data-testid': 'quality-score-value' });
  const change = h('span');
  const el = h(
    'section',
    { class: `card stat quality-card${k === 'overall' ? ' quality-card-overall' : ''}`, 'data-testid': 'quality-score', 'data-key': k, 'aria-labelledby': titleId },
    h('h2', { class: 'stat-label', id: titleId }, scoreLabel(k)),
    h('p', { class: 'stat-value' }, value, h('span', { class: 'stat-unit' }, ' /100')),
    h('p', { class: 'stat-detail' }, change, ' ', t('quality.sinceLastMonth')),
    h('p', { class: 'stat-detail small' }, dimensionHint(k)),
  );
  return {
    el,
    update(board) {
      const score = board.province[k];
      el.dataset.status = levelLight[scoreLevel(score)];
      el.dataset.score = score == null ? '' : String(score);
      value.textContent = fmtScore(score);
      mount(change, changeMark(changeOf(board.province.change, k), 'quality-score-change'));
    },
  };
}

function table(testid: string, caption: string, heads: [string, string][], tbody: HTMLElement, scroll = false): HTMLElement {
  return h(
    'div',
    { class: `table-wrap${scroll ? ' table-scroll' : ''}` },
    h(
      'table',
      { class: 'data quality-table', 'data-testid': testid },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, heads.map(([label, cls]) => h('th', { scope: 'col', class: cls || null }, label)))),
      tbody,
    ),
  );
}

/** Heads of the five scores, as table columns. */
const scoreHeads = (): [string, string][] => scoreKeys.map((k) => [scoreLabel(k), 'num']);

/** A row that leads somewhere when clicked (its own links still work as links). */
function rowClick(href: string | null): Record<string, string | EventListener | null> {
  if (!href) return {};
  return {
    class: 'row-link',
    onclick: (e: Event) => {
      if (!(e.target as Element).closest('a')) go(href);
    },
  };
}

function render(outlet: HTMLElement, signal: AbortSignal, first: Scoreboard, known: Set<string> | null): void {
  const me = currentUser();
  // The failing rows are records (datasets.read_private): auditors see the scores only.
  const rowsAllowed = canReadRecords(me);
  let board = first;

  const cards = scoreKeys.map(scoreCard);
  const trendChart = h('div', { class: 'chart', 'data-testid': 'quality-trend-chart' });
  const trendEmpty = h('p', { class: 'muted', hidden: true }, t('quality.trendNone'));

  const search = input('quality-units-q', {
    type: 'search',
    value: new URLSearchParams(location.search).get('q') ?? '',
    autocomplete: 'off',
    placeholder: t('quality.units.searchPlaceholder'),
    'data-testid': 'quality-units-search',
  });
  const unitsCount = h('p', { role: 'status', class: 'muted', 'data-testid': 'quality-units-count' });
  const unitsBody = h('tbody');
  const datasetsBody = h('tbody');
  const databasesBody = h('tbody');
  const databasesCount = h('p', { role: 'status', class: 'muted', 'data-testid': 'quality-databases-count' });
  const checksBody = h('tbody');
  /** The units the last batches changed, marked once their scores are shown again. */
  const changedUnits = new Set<string>();

  function unitRow(u: UnitScores, rank: number): HTMLElement {
    const href = rowsAllowed ? failuresHref({ unit: u.unit, period: board.month, as_of: board.as_of }) : null;
    const worst = u.worst;
    return h(
      'tr',
      { 'data-testid': 'quality-unit', 'data-unit': u.unit, 'data-rank': rank, 'data-overall': u.overall ?? '', ...rowClick(href) },
      h('td', { class: 'num muted' }, fmtInt(rank)),
      h('th', { scope: 'row' }, href ? h('a', { href, 'data-testid': 'quality-unit-link' }, u.name || u.unit) : u.name || u.unit, h('br'), h('code', { class: 'muted small' }, u.unit)),
      h('td', { class: 'score-bar-cell', 'data-testid': 'quality-unit-overall' }, scoreBar(u.overall)),
      dimensions.map((d) => scoreCell(u[d], `quality-unit-${d}`)),
      h('td', { class: 'num nowrap' }, changeMark(changeOf(u.change, 'overall'), 'quality-unit-change')),
      h('td', { class: 'num' }, fmtInt(u.rows)),
      h(
        'td',
        { 'data-testid': 'quality-unit-worst' },
        worst && worst.failed > 0
          ? [
              rowsAllowed
                ? h('a', { href: failuresHref({ dataset: worst.dataset, check: bareCheck(worst.dataset, worst.check), unit: u.unit, period: board.month, as_of: board.as_of }) }, checkName(worst))
                : checkName(worst),
              h('br'),
              h('span', { class: 'muted small' }, t('quality.failedRows', { n: fmtInt(worst.failed) })),
            ]
          : h('span', { class: 'muted' }, t('state.none')),
      ),
    );
  }

  function renderUnits(): void {
    const q = fold(search.value);
    const ranked = board.units.map((u, i) => ({ u, rank: i + 1 }));
    const shown = q ? ranked.filter(({ u }) => fold(`${u.name} ${u.unit}`).includes(q)) : ranked;
    mount(
      unitsBody,
      shown.length === 0
        ? h('tr', {}, h('td', { colspan: 10, class: 'empty' }, board.units.length ? t('quality.units.noMatch') : t('quality.units.none')))
        : shown.map(({ u, rank }) => unitRow(u, rank)),
    );
    unitsCount.textContent = t('quality.units.shown', { shown: fmtInt(shown.length), total: fmtInt(board.units.length) });
    const p = new URLSearchParams(location.search);
    if (search.value.trim()) p.set('q', search.value.trim());
    else p.delete('q');
    const query = p.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
  }
  search.addEventListener('input', () => {
    if (!signal.aborted) renderUnits();
  });

  function datasetRow(d: DatasetScores): HTMLElement {
    const real = !known || known.has(d.dataset);
    const href = rowsAllowed && real ? failuresHref({ dataset: d.dataset, period: board.month, as_of: board.as_of }) : null;
    return h(
      'tr',
      { 'data-testid': 'quality-dataset', 'data-dataset': d.dataset, 'data-overall': d.overall ?? '', ...rowClick(href) },
      h(
        'th',
        { scope: 'row' },
        href ? h('a', { href }, d.title || d.dataset) : d.title || d.dataset,
        real && h('br'),
        real && h('a', { class: 'small', href: `${datasetHref(d.dataset)}#quality-checks`, 'data-testid': 'quality-dataset-checks' }, t('quality.datasets.checks')),
      ),
      h('td', { class: 'score-bar-cell' }, scoreBar(d.overall)),
      dimensions.map((k) => scoreCell(d[k])),
      h('td', { class: 'num nowrap' }, changeMark(changeOf(d.change, 'overall'))),
      h('td', { class: 'num' }, fmtInt(d.rows)),
      h('td', { class: 'num' }, fmtInt(d.units)),
    );
  }

  /** The catalog's databases, lowest first (the server ranks them best first; ties keep its order). */
  function databaseRow(db: DatabaseScores): HTMLElement {
    const real = db.dataset != null && (!known || known.has(db.dataset));
    return h(
      'tr',
      {
        'data-testid': 'quality-database',
        'data-code': db.code,
        'data-dataset': db.dataset ?? '',
        'data-overall': db.overall ?? '',
        ...rowClick(entryHref(db.code)),
      },
      h(
        'th',
        { scope: 'row' },
        h('a', { href: entryHref(db.code), 'data-testid': 'quality-database-link' }, h('code', {}, db.code)),
        h('br'),
        h('span', { 'data-testid': 'quality-database-name' }, db.name),
      ),
      h('td', { class: 'qd-owner', 'data-testid': 'quality-database-owner' }, db.owner_name || db.owner, db.owner_name && [h('br'), h('code', { class: 'muted small' }, db.owner)]),
      h(
        'td',
        { 'data-testid': 'quality-database-dataset' },
        db.dataset == null ? h('span', { class: 'muted' }, t('state.none')) : real ? h('a', { href: datasetHref(db.dataset) }, h('code', {}, db.dataset)) : h('code', {}, db.dataset),
      ),
      h('td', { class: 'score-bar-cell', 'data-testid': 'quality-database-overall' }, scoreBar(db.overall)),
      dimensions.map((d) => scoreCell(db[d], `quality-database-${d}`)),
      h('td', { class: 'qd-problems' }, problemsList(db.problems ?? [], 'quality-database-problems')),
    );
  }

  function renderDatabases(): void {
    const list = board.databases ?? [];
    const low = (v: number | null) => (v == null ? Infinity : v);
    const ranked = list.map((db, i) => ({ db, i })).sort((a, b) => low(a.db.overall) - low(b.db.overall) || a.i - b.i);
    mount(databasesBody, ranked.length ? ranked.map(({ db }) => databaseRow(db)) : h('tr', {}, h('td', { colspan: 9, class: 'empty' }, t('quality.databases.none'))));
    databasesCount.textContent = t('quality.databases.count', { n: fmtInt(list.length) });
  }

  function checkRow(c: CheckResult): HTMLElement {
    const check = bareCheck(c.dataset, c.check);
    const href = rowsAllowed ? failuresHref({ dataset: c.dataset, check, period: board.month, as_of: board.as_of }) : null;
    return h(
      'tr',
      { 'data-testid': 'quality-worst-row', 'data-dataset': c.dataset, 'data-check': check, 'data-failed': c.failed, ...rowClick(href) },
      h('th', { scope: 'row' }, href ? h('a', { href, 'data-testid': 'quality-worst-link' }, checkName(c)) : checkName(c), h('br'), h('code', { class: 'muted small' }, `${c.dataset}.${check}`)),
      h('td', {}, checkTypeLabel(String(c.type))),
      h('td', {}, dimensionLabel(String(c.dimension))),
      h('td', { class: 'num', 'data-testid': 'quality-worst-failed' }, fmtInt(c.failed)),
      h('td', { class: 'num' }, fmtInt(c.total)),
      h('td', { class: `num score score-${scoreLevel(c.rate)}` }, c.rate == null ? t('state.none') : t('tracker.rate', { n: fmtScore(c.rate) })),
    );
  }

  const chart = iocChart(trendChart, signal);
  function renderTrend(): void {
    const points = board.trend;
    trendEmpty.hidden = points.length > 0;
    trendChart.hidden = points.length === 0;
    if (points.length === 0) return;
    const values = points.flatMap((p) => scoreKeys.map((k) => p[k])).filter((v): v is number => v != null);
    const low = values.length ? Math.max(0, Math.floor((Math.min(...values) - 5) / 10) * 10) : 0;
    chart.update({
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmtScore(v == null ? null : Number(v)) },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 16, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', boundaryGap: false, data: points.map((p) => monthLabel(p.month)) },
      yAxis: { type: 'value', min: low, max: 100, axisLabel: { formatter: (v: number) => fmtScore(v) } },
      series: scoreKeys.map((k) => ({
        type: 'line' as const,
        name: scoreLabel(k),
        data: points.map((p) => p[k]),
        symbolSize: k === 'overall' ? 7 : 5,
        lineStyle: { width: k === 'overall' ? 3 : 1.5 },
        z: k === 'overall' ? 3 : 2,
      })),
    });
  }

  function update(next: Scoreboard): void {
    board = next;
    for (const c of cards) c.update(board);
    renderTrend();
    renderUnits();
    renderDatabases();
    mount(datasetsBody, board.datasets.length ? board.datasets.map(datasetRow) : h('tr', {}, h('td', { colspan: 9, class: 'empty' }, t('state.empty'))));
    mount(checksBody, board.checks.length ? board.checks.map(checkRow) : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, t('quality.worst.none'))));
    // The units a batch changed, marked for a moment now that their new scores are shown.
    const marked: HTMLElement[] = [];
    for (const code of changedUnits) {
      const tr = unitsBody.querySelector<HTMLElement>(`tr[data-unit="${CSS.escape(code)}"]`);
      if (!tr) continue;
      tr.dataset.changed = 'true';
      tr.classList.add('ioc-flash');
      marked.push(tr);
    }
    changedUnits.clear();
    if (marked.length) window.setTimeout(() => marked.forEach((tr) => tr.classList.remove('ioc-flash')), 3000);
  }

  const content = h(
    'div',
    { class: 'stack quality-board', 'data-testid': 'quality-board' },
    h('div', { class: 'cards quality-cards', 'data-testid': 'quality-scores' }, cards.map((c) => c.el)),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'quality-trend-h' },
      h('h2', { id: 'quality-trend-h' }, t('quality.trend')),
      h('p', { class: 'muted small' }, t('quality.trendLead')),
      trendChart,
      trendEmpty,
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'quality-units-h' },
      h('h2', { id: 'quality-units-h' }, t('quality.units')),
      h('p', { class: 'muted small' }, rowsAllowed ? t('quality.units.lead') : t('quality.units.leadNoRows')),
      h('form', { class: 'toolbar', role: 'search', onsubmit: (e: Event) => e.preventDefault() }, field(t('quality.units.search'), search), unitsCount),
      table(
        'quality-units',
        t('quality.units'),
        [['#', 'num'], [t('quality.col.unit'), ''], ...scoreHeads(), [t('quality.col.change'), 'num'], [t('quality.col.rows'), 'num'], [t('quality.col.worst'), '']],
        unitsBody,
        true,
      ),
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'quality-datasets-h' },
      h('h2', { id: 'quality-datasets-h' }, t('quality.datasets')),
      table(
        'quality-datasets',
        t('quality.datasets'),
        [[t('quality.col.dataset'), ''], ...scoreHeads(), [t('quality.col.change'), 'num'], [t('quality.col.rows'), 'num'], [t('quality.col.units'), 'num']],
        datasetsBody,
      ),
    ),
    h(
      'section',
      { class: 'card panel', id: 'quality-databases', 'aria-labelledby': 'quality-databases-h', 'data-testid': 'quality-databases-panel' },
      h('h2', { id: 'quality-databases-h' }, t('quality.databases')),
      h('p', { class: 'muted small' }, t('quality.databases.lead')),
      databasesCount,
      table(
        'quality-databases',
        t('quality.databases'),
        [
          [t('quality.col.database'), ''],
          [t('quality.col.owner'), ''],
          [t('quality.col.dataset'), ''],
          ...scoreHeads(),
          [t('quality.col.problems'), ''],
        ],
        databasesBody,
        true,
      ),
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'quality-worst-h' },
      h('h2', { id: 'quality-worst-h' }, t('quality.worst')),
      h('p', { class: 'muted small' }, t('quality.worst.lead')),
      table(
        'quality-worst',
        t('quality.worst'),
        [
          [t('quality.col.check'), ''],
          [t('quality.col.type'), ''],
          [t('quality.col.dimension'), ''],
          [t('quality.col.failed'), 'num'],
          [t('quality.col.total'), 'num'],
          [t('quality.col.rate'), 'num'],
        ],
        checksBody,
      ),
    ),
  );

  const at = first.as_of;
  mount(
    outlet,
    pageHead(t('quality.title'), t('quality.lead')),
    asOfNote('quality-asof-shown', t('quality.asOfShown', { date: fmtDate(at), month: monthLong(first.month) })),
    content,
  );
  update(first);
  titled(outlet, t('quality.title'));
  // Arriving from a catalog entry's quality card: the databases are where the page should be.
  if (location.hash === '#quality-databases') document.getElementById('quality-databases')?.scrollIntoView();

  // A committed batch changes the scores: fetched again once the burst of events is over.
  const refresh = liveRefresh(content, signal, () => qualityApi.scoreboard(first.as_of), update);
  subscribe(signal, (e) => {
    if (e.type === 'quality') for (const u of e.units) changedUnits.add(u);
    if (e.type === 'quality' || e.type === 'resync') refresh();
  });
}
