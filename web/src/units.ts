// Computations over units shared by the pages, and the current units' names for tables that
// hold unit codes (a name to read, the code on hover).

import { api, type Unit } from './api';
import { h } from './dom';

export function density(u: Pick<Unit, 'population' | 'area_km2'>): number | null {
  return u.population != null && u.area_km2 ? u.population / u.area_km2 : null;
}

// Display order of unit types: urban before rural, then agencies; unknown types last.
const typeOrder = ['Tỉnh', 'Thành phố', 'Phường', 'Xã', 'Đặc khu', 'Sở', 'Ban', 'Văn phòng'];

export function typeRank(type: string): number {
  const i = typeOrder.indexOf(type);
  return i < 0 ? typeOrder.length : i;
}

export interface Totals {
  count: number;
  population: number;
  area: number;
  /** Units that report an estimated population. */
  estimated: number;
  /** Units without a population figure. */
  missingPopulation: number;
  /** Counts by type label, most frequent first. */
  byType: [string, number][];
  /** Population by type label, same order as byType. */
  populationByType: Map<string, number>;
}

export function totals(units: Unit[]): Totals {
  const byType = new Map<string, number>();
  const populationByType = new Map<string, number>();
  let population = 0;
  let area = 0;
  let estimated = 0;
  let missingPopulation = 0;
  for (const u of units) {
    byType.set(u.type, (byType.get(u.type) ?? 0) + 1);
    if (u.population == null) missingPopulation += 1;
    else {
      population += u.population;
      populationByType.set(u.type, (populationByType.get(u.type) ?? 0) + u.population);
    }
    if (u.population_estimated) estimated += 1;
    area += u.area_km2 ?? 0;
  }
  return {
    count: units.length,
    population,
    area,
    estimated,
    missingPopulation,
    byType: [...byType].sort((a, b) => typeRank(a[0]) - typeRank(b[0]) || b[1] - a[1]),
    populationByType,
  };
}

/** Orders units by Vietnamese collation of their names. */
export function byName(a: Unit, b: Unit): number {
  return a.name.localeCompare(b.name, 'vi');
}

/** The day before an ISO date: the last day a unit with that valid_to existed. */
export function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The app path of a unit; a former unit is shown as it was on its last day (?on=, a date of the
 * unit tree, apart from the app's as-of date of the figures: codes of former units were reused).
 */
export function unitHref(u: { code: string; valid_to?: string | null }, on?: string): string {
  const date = u.valid_to ? dayBefore(u.valid_to) : on;
  return `/units/${encodeURIComponent(u.code)}${date ? `?on=${date}` : ''}`;
}

let names: Map<string, string> | null = null;
let loadingNames: Promise<Map<string, string>> | null = null;

/** The current units' names by code (the home province, its communes and agencies), read once. */
export function loadUnitNames(): Promise<Map<string, string>> {
  loadingNames ??= (async () => {
    const { province } = await api.info();
    const { items } = await api.children(province.code);
    names = new Map([[province.code, province.name], ...items.map((u): [string, string] => [u.code, u.name])]);
    return names;
  })().catch((err: unknown) => {
    loadingNames = null;
    throw err;
  });
  return loadingNames;
}

/**
 * A link to a unit by its name, its code on hover; a code of no current unit (an old one) is
 * shown as it is. When the names are not read yet, the name replaces the code once they are.
 */
export function unitLink(code: string): HTMLAnchorElement {
  const a = h('a', { href: `/units/${encodeURIComponent(code)}`, title: code, 'data-code': code }, names?.get(code) ?? code);
  if (!names) {
    loadUnitNames()
      .then((m) => {
        const name = m.get(code);
        if (name) a.textContent = name;
      })
      .catch(() => undefined);
  }
  return a;
}
