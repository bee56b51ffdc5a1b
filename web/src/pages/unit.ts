// "/units/:code" — one unit: its facts, its lineage across the 2025 reorganisation
// (the former communes merged into it, or the new units a former one went into),
// and a summary of its subordinate units; a current unit's own indicators (the public-service and
// 1022-feedback figures of its own dashboard) with their values, targets and lights, each leading
// to the indicator's page for the unit. ?on=YYYY-MM-DD shows the unit as it was on that day
// (former units are linked so); the app's as-of date (?as_of=) is the figures', not the tree's.

import { api, type Lineage, type Unit, type UnitDetail } from '../api';
import { h, mount } from '../dom';
import { fmtDate, fmtDec, fmtInt, fmtList, t, typeCount, typeLabel, type Key } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { byName, dayBefore, density, totals, unitHref } from '../units';
import { iocApi, type Pack, type PackCode } from '../ioc-api';
import { fmtValue, indicatorHref, iocHref, lightMark, localized, measureUnit, periodLabel } from './ioc-common';
import { readAsOf } from './tracker-common';

interface Data {
  unit: UnitDetail;
  homeCode: string;
  /** The date the page shows the unit at (?on=), for former units. */
  asOf?: string;
  predecessors?: Lineage[];
  /** Names of the former districts the predecessors belonged to, by code. */
  oldDistricts?: Map<string, string>;
  targets?: Lineage[];
  children?: Unit[];
  /** The unit's own figures of the indicator packs (current units). */
  packs?: Pack[];
}

function childCount(u: UnitDetail): number {
  const c = u.children_count;
  if (typeof c === 'number') return c;
  return c ? Object.values(c).reduce((a, b) => a + b, 0) : 0;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

async function load(code: string, asOf?: string): Promise<Data> {
  const [unit, info] = await Promise.all([api.unit(code, asOf), api.info()]);
  const current = !unit.valid_to;
  // A pack the server cannot give for this unit is left out, not an error of the page.
  const pack = (p: PackCode) => iocApi.pack(p, { unit: code, as_of: readAsOf() }).catch(() => null);
  const [predecessors, targets, children, packs] = await Promise.all([
    current && unit.level === 'commune' ? api.predecessors(code).then((r) => r.items) : undefined,
    !current ? api.resolve(code).then((r) => r.targets) : undefined,
    childCount(unit) > 0 ? api.children(code, asOf).then((r) => r.items) : undefined,
    current ? Promise.all([pack('public_services'), pack('feedback_1022')]).then((ps) => ps.filter((p): p is Pack => p !== null)) : undefined,
  ]);
  let oldDistricts: Map<string, string> | undefined;
  if (predecessors?.length) {
    const lastDays = new Map<string, string | undefined>();
    for (const { unit: old } of predecessors) {
      if (old.parent && !lastDays.has(old.parent)) lastDays.set(old.parent, old.valid_to ? dayBefore(old.valid_to) : undefined);
    }
    const districts = await Promise.all([...lastDays].map(([c, day]) => api.unit(c, day)));
    oldDistricts = new Map(districts.map((d) => [d.code, d.name]));
  }
  return { unit, homeCode: info.province.code, asOf, predecessors, oldDistricts, targets, children, packs };
}

export async function unitPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  const asOf = new URLSearchParams(location.search).get('on') ?? undefined;
  const date = asOf && isoDate.test(asOf) ? asOf : undefined;
  await loadPage(outlet, signal, () => load(params.code, date), (data) => render(outlet, data));
}

const link = (u: { code: string; name: string; valid_to?: string | null }, asOf?: string) =>
  h('a', { href: unitHref(u, asOf) }, u.name);

function fact(label: Key, ...value: (Node | string | false | null)[]) {
  return h('div', { class: 'fact' }, h('dt', {}, t(label)), h('dd', {}, ...value));
}

function mergeKind(kind: Lineage['kind']) {
  return h('span', { class: `badge badge-${kind}` }, t(kind === 'whole' ? 'merge.whole' : 'merge.partial'));
}

function render(outlet: HTMLElement, { unit, homeCode, asOf, predecessors, oldDistricts, targets, children, packs }: Data): void {
  // Ancestors come nearest first; the breadcrumb reads from the root.
  const ancestors = [...(unit.ancestors ?? [])];
  const parent = ancestors.find((a) => a.code === unit.parent) ?? ancestors[0];
  if (ancestors[0]?.code === unit.parent) ancestors.reverse();
  // A former unit's missing figures are simply left out; for a current one "—" says "no data".
  const former = !!unit.valid_to;
  const known = (v: unknown) => !former || v != null;
  const d = density(unit);
  mount(
    outlet,
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('unit.parent') },
      h('ol', {}, h('li', {}, h('a', { href: '/units' }, t('nav.units'))), ancestors.map((a) => h('li', {}, link(a, asOf))), h('li', { 'aria-current': 'page' }, unit.name)),
    ),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { 'data-testid': 'unit-name' }, unit.name),
      h(
        'p',
        { class: 'lead' },
        h('span', { class: 'badge' }, typeLabel(unit.type)),
        ' ',
        h('span', { class: 'badge badge-muted' }, t(`level.${unit.level}` as Key)),
        unit.valid_to && [' ', h('span', { class: 'badge badge-old' }, `${t('unit.validTo')} ${fmtDate(unit.valid_to)}`)],
      ),
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'facts-h' },
      h('h2', { id: 'facts-h' }, t('unit.facts')),
      h(
        'dl',
        { class: 'facts', 'data-testid': 'unit-facts' },
        fact('unit.code', h('code', {}, unit.code)),
        fact('unit.type', typeLabel(unit.type)),
        fact('unit.parent', parent ? link(parent, asOf) : unit.parent ?? t('state.none')),
        unit.level !== 'agency' && [
          known(unit.population) &&
            fact('unit.population', fmtInt(unit.population), unit.population_estimated && h('span', { class: 'tag' }, t('unit.estimated'))),
          known(unit.area_km2) &&
            fact('unit.area', unit.area_km2 == null ? t('state.none') : t('unit.km2', { value: fmtDec(unit.area_km2) })),
          known(d) && fact('unit.density', d == null ? t('state.none') : t('unit.perKm2', { value: fmtInt(d) })),
          known(unit.lat) &&
            fact('unit.location', unit.lat == null || unit.lon == null ? t('state.none') : `${fmtDec(unit.lat, 4)}, ${fmtDec(unit.lon, 4)}`),
        ],
        unit.valid_from && fact('unit.validFrom', fmtDate(unit.valid_from)),
        unit.valid_to && fact('unit.validTo', fmtDate(unit.valid_to)),
      ),
    ),
    packs && indicatorSection(unit, packs),
    predecessors && predecessorSection(unit, predecessors, oldDistricts ?? new Map()),
    targets && targetSection(targets),
    children && childrenSection(children, unit.code === homeCode, asOf),
  );
  titled(outlet, unit.name);
}

/** The unit's own indicators: value, target and light as of the app's date, each to its page for the unit. */
function indicatorSection(unit: Unit, packs: Pack[]): HTMLElement {
  const rows = packs.flatMap((p) => p.figures.filter((f) => f.value != null).map((f) => ({ pack: p, f })));
  const packLink = (p: Pack) =>
    h('a', { href: iocHref(p.pack === 'public_services' ? '/public-services' : '/feedback', { unit: unit.code }) }, t(p.pack === 'public_services' ? 'ioc.pack.publicServices' : 'ioc.pack.feedback'));
  return h(
    'section',
    { class: 'card panel unit-indicators', 'aria-labelledby': 'unit-indicators-h', 'data-testid': 'unit-indicators' },
    h('h2', { id: 'unit-indicators-h' }, t('unit.indicators')),
    rows.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'unit-indicators-none' }, t('unit.indicatorsNone'))
      : [
          h('p', { class: 'muted small' }, t('unit.indicatorsLead', { unit: unit.name, period: periodLabel(packs[0].period) })),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data ioc-table', 'data-testid': 'unit-indicator-table' },
              h('caption', { class: 'visually-hidden' }, t('unit.indicators')),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, t('ioc.col.indicator')),
                  h('th', { scope: 'col', class: 'num' }, t('ioc.col.value')),
                  h('th', { scope: 'col', class: 'num' }, t('ioc.target')),
                  h('th', { scope: 'col' }, t('ioc.status')),
                ),
              ),
              h(
                'tbody',
                {},
                rows.map(({ f }) =>
                  h(
                    'tr',
                    { 'data-testid': 'unit-indicator-row', 'data-indicator': f.indicator, 'data-status': f.status },
                    h('th', { scope: 'row' }, h('a', { href: indicatorHref(f.indicator, { unit: unit.code }) }, localized(f.name, f.name_en))),
                    h('td', { class: 'num', 'data-value': String(f.value) }, h('strong', {}, fmtValue(f.value, f.measure)), measureUnit(f.measure) ? ` ${measureUnit(f.measure)}` : ''),
                    h('td', { class: 'num' }, f.target == null ? t('state.none') : fmtValue(f.target, f.measure)),
                    h('td', {}, lightMark(f.status, f.judged, f.measure)),
                  ),
                ),
              ),
            ),
          ),
        ],
    h('p', { class: 'muted small' }, t('unit.indicatorsMore'), ' ', packs.flatMap((p, i) => [i > 0 ? ' · ' : '', packLink(p)])),
  );
}

function predecessorSection(unit: Unit, items: Lineage[], districts: Map<string, string>) {
  // Former units often have no census figures: the columns appear only when some do.
  const figures = items.some((i) => i.unit.population != null || i.unit.area_km2 != null);
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'pred-h', 'data-testid': 'predecessors' },
    h('h2', { id: 'pred-h' }, t('unit.predecessors')),
    items.length === 0
      ? h('p', { class: 'muted' }, t('unit.predecessorsNone'))
      : [
          h('p', {}, t('unit.predecessorsLead', { count: fmtInt(items.length), unit: unit.name })),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data' },
              h('caption', { class: 'visually-hidden' }, t('unit.predecessorsCaption', { unit: unit.name })),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, t('col.name')),
                  h('th', { scope: 'col' }, t('col.type')),
                  h('th', { scope: 'col' }, t('col.code')),
                  h('th', { scope: 'col' }, t('unit.oldDistrict')),
                  h('th', { scope: 'col' }, t('unit.mergeKind')),
                  h('th', { scope: 'col' }, t('unit.note')),
                  figures && h('th', { scope: 'col', class: 'num' }, t('col.population')),
                  figures && h('th', { scope: 'col', class: 'num' }, t('col.area')),
                ),
              ),
              h(
                'tbody',
                {},
                items.map(({ unit: old, kind, note }) =>
                  h(
                    'tr',
                    { 'data-testid': 'predecessor-row', 'data-code': old.code, 'data-kind': kind },
                    h('th', { scope: 'row' }, link(old)),
                    h('td', {}, typeLabel(old.type)),
                    h('td', {}, old.code),
                    h('td', {}, old.parent ? districts.get(old.parent) ?? old.parent : t('state.none')),
                    h('td', {}, mergeKind(kind)),
                    h('td', {}, note || t('state.none')),
                    figures && h('td', { class: 'num' }, fmtInt(old.population)),
                    figures && h('td', { class: 'num' }, fmtDec(old.area_km2)),
                  ),
                ),
              ),
            ),
          ),
        ],
  );
}

function targetSection(items: Lineage[]) {
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'targets-h', 'data-testid': 'targets' },
    h('h2', { id: 'targets-h' }, t('unit.targets')),
    h(
      'ul',
      { class: 'plain' },
      items.map(({ unit, kind, note }) => h('li', {}, link(unit), ' ', mergeKind(kind), note && h('span', { class: 'muted' }, ` ${note}`))),
    ),
  );
}

function childrenSection(children: Unit[], isHome: boolean, asOf?: string) {
  const all = totals(children);
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'children-h', 'data-testid': 'children-summary' },
    h('h2', { id: 'children-h' }, t('unit.children')),
    h('p', {}, t('unit.childrenLead', { count: fmtInt(all.count) }), ' ', fmtList(all.byType.map(([type, n]) => typeCount(type, n))), '.'),
    h(
      'ul',
      { class: 'chips', 'aria-label': t('unit.childrenByType') },
      all.byType.map(([type, n]) => h('li', {}, h('strong', {}, fmtInt(n)), ' ', typeLabel(type))),
    ),
    isHome && h('p', {}, h('a', { class: 'button', href: '/units' }, t('unit.openTree'), ' →')),
    !isHome && h('ul', { class: 'link-columns' }, [...children].sort(byName).map((c) => h('li', {}, link(c, asOf)))),
  );
}
