// Typed client for the index-set engine behind the IOC pages: the overview figures as of a date,
// the indicators (list, metadata, values by unit and period with their children and series), data
// freshness, alerts and the public-service and 1022-feedback packs. Answers change as values are
// ingested (the live events say when), so nothing here is cached. Same transport and errors
// (ApiError) as api.ts.

import { apiCached, apiGet, apiRequest } from './api';
import type { Level } from './api';

/** Traffic light against the target: "none" when there is no target or no value. */
export type Light = 'green' | 'yellow' | 'red' | 'none';
export const lights: Light[] = ['green', 'yellow', 'red', 'none'];

export type Periodicity = 'month' | 'quarter' | 'year';
export type Direction = 'up' | 'down';
export type PackCode = 'public_services' | 'feedback_1022';

/**
 * What a light judges when it is not simply the shown value: the year to date against the year's
 * target ("ytd", e.g. period "2025-11YTD") or the period's own value ("period").
 */
export interface Judged {
  basis: 'ytd' | 'period' | (string & {});
  period: string;
  value: number | null;
}

/** One point of a series: a period ("2025-10", "2025Q3", "2025", "2025-10YTD") and its value. */
export interface Point {
  period: string;
  value: number | null;
}

export interface FigurePart {
  key: string;
  label: string;
  label_en: string;
  value: number | null;
}

/** A headline figure of the overview. */
export interface Figure {
  key: string;
  /** nq57, catalog, indicators, public_services, feedback, enterprises. */
  group: string;
  label: string;
  label_en: string;
  value: number | null;
  measure: string;
  /** Set when the figure is "value of total" (602 of 957). */
  total: number | null;
  /** A completion rate beside the count (0..100), when the figure has one. */
  percent?: number | null;
  parts: FigurePart[];
  target: number | null;
  status: Light;
  judged?: Judged | null;
  /** Up to 12 points, oldest first; may be empty. */
  trend: Point[];
  indicator: string | null;
  /** The period the value is of ("2025-10", "2025-10YTD" for a year so far), for figures of an indicator. */
  period?: string;
  /** The same period a year before ("2024-10YTD") and its value, for figures of an indicator. */
  last_year?: { period: string; value: number | null } | null;
  href: string;
}

export interface Overview {
  as_of: string;
  province: { code: string; name: string };
  figures: Figure[];
}

export interface Indicator {
  code: string;
  name: string;
  name_en: string;
  sector: string;
  measure: string;
  periodicity: Periodicity;
  direction: Direction;
  owner_unit: string | null;
  pack: PackCode | null;
  /** The value for the due period is in. */
  updated: boolean;
  due_period: string;
  latest: Point | null;
  target: { year: number; value: number } | null;
  status: Light;
  /** What the light judges (absent from servers that do not say). */
  judged?: Judged | null;
}

export interface Sector {
  code: string;
  name: string;
  name_en: string;
  total: number;
  updated: number;
}

/** The fields of an indicator the list page shows: the list asks for these only. */
export const indicatorRowFields = ['code', 'name', 'name_en', 'sector', 'measure', 'updated', 'due_period', 'latest', 'target', 'status', 'judged'] as const;
export type IndicatorRow = Pick<Indicator, (typeof indicatorRowFields)[number]>;

export interface IndicatorList {
  as_of: string;
  total: number;
  updated: number;
  sectors: Sector[];
  items: IndicatorRow[];
}

export interface IndicatorTarget {
  unit: string;
  year: number;
  value: number;
}

export interface Projection {
  year: number;
  target: number;
  projected: number;
  on_track: boolean;
  /** The unit projected (absent from servers that project the province only). */
  unit?: string;
  /** The year to date so far. */
  current?: number | null;
  /** "seasonal" (last year's shape), "trend" (this year's months, or past years), "latest". */
  method?: string;
}

export interface IndicatorDetail extends Indicator {
  description: string;
  expression: string;
  depends_on: string[];
  elements: string[];
  /** Percent of the target achieved for a green or yellow light. */
  thresholds: { green: number; yellow: number };
  targets: IndicatorTarget[];
  projection: Projection | null;
}

export interface UnitRef {
  code: string;
  name: string;
  level: Level;
}

export interface ChildValue extends UnitRef {
  lat: number | null;
  lon: number | null;
  value: number | null;
  status: Light;
  judged?: Judged | null;
}

export interface Values {
  indicator: string;
  measure: string;
  as_of: string;
  unit: UnitRef;
  period: string;
  value: number | null;
  target: number | null;
  status: Light;
  judged?: Judged | null;
  /** Direct children of the unit (communes and agencies), when asked for. */
  children?: ChildValue[];
  /** The last periods up to `period`, oldest first, when asked for. */
  series?: Point[];
}

export interface SectorFreshness {
  sector: string;
  name: string;
  name_en: string;
  total: number;
  updated: number;
}

export interface StaleIndicator {
  indicator: string;
  name: string;
  name_en: string;
  sector: string;
  periodicity: Periodicity;
  due_period: string;
  last_period: string | null;
  updated: boolean;
  stale_periods: number;
  stale_since: string | null;
}

export interface UnitFreshness {
  unit: string;
  name: string;
  level: Level;
  expected: number;
  received: number;
  on_time: number;
  last_period: string | null;
  stale_since: string | null;
}

export interface Freshness {
  as_of: string;
  total: number;
  updated: number;
  by_sector: SectorFreshness[];
  /** Not updated first, most stale first. */
  items: StaleIndicator[];
  units: UnitFreshness[];
}

/** quality_low: a unit's data quality score below the threshold; check_failing: a check a unit passed the month before and fails now; unit_silent: a unit whose data stopped coming (its freshness check newly failing). */
export type AlertKind = 'red' | 'stale' | 'outlier' | 'off_track' | 'over_100' | 'quality_low' | 'check_failing' | 'unit_silent';
export const alertKinds: AlertKind[] = ['red', 'off_track', 'over_100', 'stale', 'outlier', 'quality_low', 'unit_silent', 'check_failing'];
/** The alerts about data quality: they lead to the unit's failing rows. */
export const qualityAlertKinds: AlertKind[] = ['quality_low', 'unit_silent', 'check_failing'];

export interface Alert {
  kind: AlertKind;
  /** Null when the alert is about a unit's data as a whole (a unit that stopped reporting). */
  indicator: string | null;
  indicator_name: string | null;
  unit: string;
  unit_name: string;
  period: string | null;
  value: number | null;
  message: string;
  message_en: string;
  score: number | null;
}

export interface PackFigure {
  indicator: string;
  name: string;
  name_en: string;
  measure: string;
  value: number | null;
  target: number | null;
  status: Light;
  judged?: Judged | null;
  trend: Point[];
}

export interface PackUnit {
  code: string;
  name: string;
  level: Level;
  values: Record<string, number | null>;
}

export interface Pack {
  pack: PackCode;
  as_of: string;
  unit: { code: string; name: string };
  period: string;
  figures: PackFigure[];
  /** Direct children of the unit. */
  units: PackUnit[];
}

/** What installing a pack did; objects are named "element DVC_HS_TONG", "indicator DVC_TRUC_TUYEN", ... */
export interface PackInstall {
  pack: PackCode;
  dataset: string;
  added: string[];
  updated: string[];
  unchanged: string[];
  targets: number;
}

/** A thing of the index set by its code and names (data elements, indicators, constants). */
export interface Named {
  code: string;
  name?: string;
  name_en?: string;
}

/** The index set's names, for formulas written with codes. */
export interface IndexSetNames {
  elements: Named[];
  indicators: Named[];
  constants: Named[];
}

/** A query string of the parameters that are set. */
function query(params: Record<string, string | number | boolean | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export interface ValuesQuery {
  indicator: string;
  unit?: string;
  period?: string;
  as_of?: string;
  children?: boolean;
  series?: number;
}

export const iocApi = {
  overview: (asOf?: string) => apiGet<Overview>(`/overview${query({ as_of: asOf })}`),
  /** Every indicator as of the date, with the counts by sector (the pages filter the items themselves). */
  indicators: (asOf?: string) =>
    apiGet<IndicatorList>(`/indicators${query({ as_of: asOf, fields: indicatorRowFields.join(',') })}`),
  /** The indicator; its projection is `unit`'s (default the province). */
  indicator: (code: string, asOf?: string, unit?: string) => apiGet<IndicatorDetail>(`/indicators/${enc(code)}${query({ as_of: asOf, unit })}`),
  /** The whole index set (definitions rarely change: kept a short while). */
  indexSet: () => apiCached<IndexSetNames>('/index-set'),
  values: (q: ValuesQuery) => apiGet<Values>(`/values${query({ ...q })}`),
  freshness: (asOf?: string, sector?: string) => apiGet<Freshness>(`/freshness${query({ as_of: asOf, sector })}`),
  alerts: (asOf?: string) => apiGet<{ as_of: string; items: Alert[] }>(`/alerts${query({ as_of: asOf })}`),
  pack: (pack: PackCode, q: { unit?: string; period?: string; as_of?: string }) => apiGet<Pack>(`/packs/${pack}${query(q)}`),
  /** Installs the pack over the dataset made from its template; again, it changes nothing. */
  installPack: (pack: PackCode) => apiRequest<PackInstall>('POST', `/packs/${pack}/install`, {}),
};
