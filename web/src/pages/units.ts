// "/units" — the unit tree of the home province: the province, then its communes/wards and its
// departments/agencies as two groups; searchable, filterable by type, sortable, with a chart
// that follows the filter. Filter and sort live in the query string. Administrators load the
// communes' boundaries for the map here (a GeoJSON file); the server's objections are said in
// words.

import { withAsOf } from '../as-of';
import { api, ApiError, clearCache, type Unit } from '../api';
import { forgetBoundaries } from '../components/commune-map';
import { busy, formMessage } from '../forms';
import { currentUser, hasRole } from '../session';
import { chart, type Chart } from '../charts';
import { escapeHtml, h, mount } from '../dom';
import { fmtDec, fmtInt, t, typeLabel, type Key } from '../i18n';
import { loadPage, titled, pageHead } from '../page';
import { go, type RouteContext } from '../router';
import { fold } from '../text';
import { byName, density, typeRank } from '../units';

type SortKey = 'name' | 'type' | 'code' | 'population' | 'area' | 'density';
type Dir = 'asc' | 'desc';

interface Column {
  key: SortKey;
  label: Key;
  numeric: boolean;
  value: (u: Unit) => string | number | null;
  cell: (u: Unit) => string;
}

const columns: Column[] = [
  { key: 'name', label: 'col.name', numeric: false, value: (u) => u.name, cell: (u) => u.name },
  { key: 'type', label: 'col.type', numeric: false, value: (u) => u.type, cell: (u) => typeLabel(u.type) },
  { key: 'code', label: 'col.code', numeric: false, value: (u) => u.code, cell: (u) => u.code },
  { key: 'population', label: 'col.population', numeric: true, value: (u) => u.population, cell: (u) => fmtInt(u.population) },
  { key: 'area', label: 'col.area', numeric: true, value: (u) => u.area_km2, cell: (u) => fmtDec(u.area_km2) },
  { key: 'density', label: 'col.density', numeric: true, value: density, cell: (u) => fmtInt(density(u)) },
];

interface State {
  q: string;
  type: string;
  sort: SortKey;
  dir: Dir;
}

function readState(): State {
  const p = new URLSearchParams(location.search);
  const sort = columns.find((c) => c.key === p.get('sort'))?.key ?? 'name';
  return { q: p.get('q') ?? '', type: p.get('type') ?? '', sort, dir: p.get('dir') === 'desc' ? 'desc' : 'asc' };
}

function writeState(s: State): void {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.type) p.set('type', s.type);
  if (s.sort !== 'name' || s.dir !== 'asc') {
    p.set('sort', s.sort);
    p.set('dir', s.dir);
  }
  const query = p.toString();
  history.replaceState(null, '', withAsOf(`${location.pathname}${query ? `?${query}` : ''}`));
}

/** Sorts by the column; missing values always go last. */
function compare(col: Column, dir: Dir): (a: Unit, b: Unit) => number {
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = col.value(a);
    const y = col.value(b);
    if (x == null || y == null) return x == null ? (y == null ? byName(a, b) : 1) : -1;
    const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi', { numeric: true });
    return r * sign || byName(a, b);
  };
}

export async function unitsPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      const { province } = await api.info();
      const { items } = await api.children(province.code);
      return { province, items };
    },
    ({ province, items }) => render(outlet, signal, province, items),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, province: Unit, items: Unit[]): void {
  const state = readState();
  const groups = [
    { id: 'communes', label: t('units.groupCommunes'), units: items.filter((u) => u.level !== 'agency'), open: true },
    { id: 'agencies', label: t('units.groupAgencies'), units: items.filter((u) => u.level === 'agency'), open: true },
  ].filter((g) => g.units.length > 0);
  const folded = new Map(items.map((u) => [u, fold(`${u.name} ${u.code}`)]));
  const types = [...new Set(items.map((u) => u.type))].sort((a, b) => typeRank(a) - typeRank(b) || a.localeCompare(b, 'vi'));

  const search = h('input', {
    id: 'unit-search',
    type: 'search',
    value: state.q,
    placeholder: t('units.searchPlaceholder'),
    autocomplete: 'off',
    'data-testid': 'unit-search',
  });
  const typeSelect = h(
    'select',
    { id: 'unit-type', 'data-testid': 'unit-type' },
    h('option', { value: '' }, t('units.typeAll')),
    types.map((type) => h('option', { value: type, selected: type === state.type }, typeLabel(type))),
  );
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'unit-count' });
  const headRow = h('tr');
  const table = h(
    'table',
    { class: 'data tree', 'data-testid': 'unit-table' },
    h('caption', { class: 'visually-hidden' }, t('units.caption', { province: province.name })),
    h('thead', {}, headRow),
  );
  const chartEl = h('div', { class: 'chart', 'data-testid': 'chart-units' });

  mount(
    outlet,
    pageHead(t('units.title'), t('units.lead', { province: province.name })),
    h(
      'form',
      { class: 'toolbar', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'unit-search' }, t('units.search')), search),
      h('div', { class: 'field' }, h('label', { for: 'unit-type' }, t('units.type')), typeSelect),
      status,
    ),
    h('section', { class: 'card panel' }, h('h2', {}, t('units.chart')), chartEl),
    h('div', { class: 'card table-wrap' }, table),
    hasRole(currentUser(), ['administrator']) && boundariesPanel(signal),
  );
  titled(outlet, t('units.title'));

  const treemap: Chart = chart(chartEl, signal);
  treemap.onClick((code) => go(`/units/${encodeURIComponent(code)}`));

  const matches = (u: Unit, q: string) => (!q || folded.get(u)!.includes(q)) && (!state.type || u.type === state.type);

  function renderHead(): void {
    mount(
      headRow,
      columns.map((col) => {
        const sorted = state.sort === col.key;
        return h(
          'th',
          {
            scope: 'col',
            class: col.numeric ? 'num' : null,
            'aria-sort': sorted ? (state.dir === 'asc' ? 'ascending' : 'descending') : null,
          },
          h(
            'button',
            {
              type: 'button',
              class: 'sort',
              'data-testid': `sort-${col.key}`,
              title: t('units.sortBy', { column: t(col.label) }),
              onclick: () => {
                state.dir = sorted ? (state.dir === 'asc' ? 'desc' : 'asc') : col.numeric ? 'desc' : 'asc';
                state.sort = col.key;
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

  function row(u: Unit, depth: number, testid: string) {
    const href = `/units/${encodeURIComponent(u.code)}`;
    return h(
      'tr',
      {
        class: `depth-${depth}`,
        'data-testid': testid,
        'data-level': u.level,
        'data-code': u.code,
        onclick: (e: Event) => {
          if (!(e.target as Element).closest('a')) go(href);
        },
      },
      columns.map((col) =>
        col.key === 'name'
          ? h('th', { scope: 'row' }, h('a', { href }, u.name), u.population_estimated && h('span', { class: 'tag' }, t('unit.estimated')))
          : h('td', { class: col.numeric ? 'num' : null }, col.cell(u)),
      ),
    );
  }

  function update(): void {
    writeState(state);
    renderHead();
    const q = fold(state.q);
    const order = compare(columns.find((c) => c.key === state.sort)!, state.dir);
    table.querySelectorAll('tbody').forEach((b) => b.remove());
    table.append(h('tbody', { class: 'root' }, row(province, 0, 'unit-root')));
    let shown = 0;
    for (const g of groups) {
      const visible = g.units.filter((u) => matches(u, q)).sort(order);
      shown += visible.length;
      if (visible.length === 0 && (q || state.type)) continue;
      const body = h('tbody', { class: 'group', 'data-testid': `group-${g.id}` });
      const toggle = h(
        'button',
        {
          type: 'button',
          class: 'group-toggle',
          'aria-expanded': String(g.open),
          title: t('units.toggle', { group: g.label }),
          onclick: () => {
            g.open = !g.open;
            update();
          },
        },
        h('span', { class: 'chevron', 'aria-hidden': 'true' }, g.open ? '▾' : '▸'),
        g.label,
        h('span', { class: 'count' }, t('units.groupCount', { count: fmtInt(visible.length) })),
      );
      body.append(h('tr', { class: 'group-head' }, h('th', { scope: 'rowgroup', colspan: columns.length }, toggle)));
      if (g.open) body.append(...visible.map((u) => row(u, 1, 'unit-row')));
      table.append(body);
    }
    if (shown === 0) {
      table.append(h('tbody', {}, h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, t('units.noMatch')))));
    }
    status.textContent = t('units.shown', { shown: fmtInt(shown), total: fmtInt(items.length) });
    updateChart(q);
  }

  function updateChart(q: string): void {
    const data = items
      .filter((u) => u.level !== 'agency' && u.population != null && matches(u, q))
      .sort((a, b) => (b.population ?? 0) - (a.population ?? 0))
      .map((u) => ({ name: u.short_name || u.name, value: u.population ?? 0, code: u.code, fullName: u.name }));
    treemap.update({
      tooltip: {
        formatter: (p) => {
          const d = (Array.isArray(p) ? p[0] : p).data as { fullName?: string; value?: number } | undefined;
          return d?.fullName ? `${escapeHtml(d.fullName)}<br>${escapeHtml(t('col.population'))}: <b>${fmtInt(d.value)}</b>` : '';
        },
      },
      series: [
        {
          type: 'treemap',
          name: t('col.population'),
          data,
          roam: false,
          nodeClick: false,
          animationDurationUpdate: 300,
          breadcrumb: { show: false },
          width: '100%',
          height: '100%',
          top: 0,
          left: 0,
          label: { show: true, formatter: '{b}', fontSize: 11, overflow: 'truncate' },
          upperLabel: { show: false },
          itemStyle: { borderColor: '#fff', borderWidth: 1, gapWidth: 1 },
          levels: [{ colorMappingBy: 'value', color: ['#cfe3f7', '#0b5cad'] }],
          cursor: 'pointer',
        },
      ],
    });
  }

  search.addEventListener('input', () => {
    state.q = search.value;
    update();
  });
  typeSelect.addEventListener('change', () => {
    state.type = typeSelect.value;
    update();
  });
  update();
}

/** The error of a boundary file in words: what is wrong, and the codes no unit has. */
function boundaryError(err: unknown): string {
  if (!(err instanceof ApiError)) return t('units.boundaries.unreadable');
  if (err.code === 'units.unknown_boundary_code') {
    const codes = /\[(.*?)\]/.exec(err.detail)?.[1]?.replace(/"/g, '').split(',').map((c) => c.trim()).filter(Boolean) ?? [];
    return t('units.boundaries.unknown', { codes: codes.join(', ') || err.detail });
  }
  if (err.code === 'units.bad_geojson') return t('units.boundaries.bad', { detail: err.detail });
  if (err.status === 413) return t('units.boundaries.tooLarge');
  if (err.status === 403) return t('units.boundaries.forbidden');
  return err.detail || err.code;
}

/** The communes' boundaries: whether some are loaded, and a GeoJSON file to load (administrators). */
function boundariesPanel(signal: AbortSignal): HTMLElement {
  const state = h('p', { 'data-testid': 'boundaries-state' }, t('state.loading'));
  const file = h('input', { id: 'boundaries-file', name: 'file', type: 'file', accept: '.geojson,.json,application/geo+json,application/json', required: true, 'data-testid': 'boundaries-file' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'boundaries-upload' }, t('units.boundaries.upload'));
  const message = formMessage('boundaries-message');
  const showState = () =>
    api
      .boundaries()
      .then((b) => {
        if (!signal.aborted) state.textContent = b.loaded ? t('units.boundaries.loaded', { n: fmtInt(b.features.length) }) : t('units.boundaries.none');
      })
      .catch(() => {
        if (!signal.aborted) state.textContent = '';
      });
  void showState();
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return message.error(null, t('units.boundaries.choose'));
        void busy(submit, async () => {
          message.clear();
          try {
            // A file that is not JSON at all is said at once.
            JSON.parse(await chosen.text());
          } catch {
            return message.error(null, t('units.boundaries.notJson'));
          }
          try {
            const r = await api.putBoundaries(chosen);
            if (signal.aborted) return;
            clearCache();
            forgetBoundaries();
            form.reset();
            message.ok(t('units.boundaries.done', { n: fmtInt(r.units) }));
            await showState();
          } catch (err) {
            if (!signal.aborted) message.error(err, boundaryError(err));
          }
        });
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'boundaries-file' }, t('units.boundaries.file')), file, h('p', { class: 'hint' }, t('units.boundaries.hint'))),
    h('p', {}, submit),
    message.el,
  );
  return h(
    'section',
    { class: 'card panel stack', 'aria-labelledby': 'boundaries-h', 'data-testid': 'boundaries-panel' },
    h('h2', { id: 'boundaries-h' }, t('units.boundaries.title')),
    state,
    form,
  );
}
