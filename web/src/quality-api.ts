// Typed client for the data quality (M9) API: the scoreboard of the four dimensions — correct
// (đúng), sufficient (đủ), clean (sạch), alive (sống) — for the province, its units and datasets as
// of a date, the worst checks and a 12-month trend; the scores by dataset, unit and month; the
// checks of a dataset (read, saved, the defaults derived from its schema); and the rows that fail
// a check, as JSON or as CSV and XLSX downloads. Scores are 0..100. Answers change after each
// committed batch (the live "quality" event says when), so nothing here is cached. Without an
// as-of date the server scores as of today. Same transport and errors (ApiError) as api.ts.

import { apiGet, apiRequest } from './api';
import type { FieldKind } from './link-api';

export type Dimension = 'correct' | 'sufficient' | 'clean' | 'alive';
export const dimensions: Dimension[] = ['correct', 'sufficient', 'clean', 'alive'];

/** The four dimensions and their mean. */
export type ScoreKey = 'overall' | Dimension;
export const scoreKeys: ScoreKey[] = ['overall', ...dimensions];

export type Severity = 'error' | 'warning' | 'info';
export const severities: Severity[] = ['error', 'warning', 'info'];

export type CheckType =
  | 'missing'
  | 'pattern'
  | 'range'
  | 'codes'
  | 'duplicate'
  | 'near_duplicate'
  | 'rule'
  | 'reference'
  | 'rejected'
  | 'freshness'
  | 'row_count'
  | 'completeness'
  | 'timeliness'
  | 'outliers'
  | 'consistency';
export const checkTypes: CheckType[] = [
  'missing',
  'pattern',
  'range',
  'codes',
  'duplicate',
  'near_duplicate',
  'rule',
  'reference',
  'rejected',
  'freshness',
  'row_count',
  'completeness',
  'timeliness',
  'outliers',
  'consistency',
];

export type OutlierMethod = 'modified_z' | 'sd';
export const outlierMethods: OutlierMethod[] = ['modified_z', 'sd'];

/** Scores of the four dimensions and their mean; null when there is nothing to score. */
export type Scores = Record<ScoreKey, number | null>;

/** The change of each score since the month before (null when unknown). */
export type Change = Partial<Record<ScoreKey, number | null>>;

export interface WorstCheck {
  check: string;
  dataset: string;
  failed: number;
  title: string;
}

export interface UnitScores extends Scores {
  unit: string;
  name: string;
  change: Change | null;
  rows: number;
  worst: WorstCheck | null;
}

export interface DatasetScores extends Scores {
  dataset: string;
  title: string;
  change: Change | null;
  rows: number;
  units: number;
}

export interface CheckResult {
  dataset: string;
  check: string;
  title: string;
  type: CheckType | (string & {});
  dimension: Dimension | (string & {});
  severity?: Severity | (string & {});
  failed: number;
  total: number;
  /** The share of rows that pass, 0..100. */
  rate: number | null;
}

export interface TrendPoint extends Scores {
  month: string;
}

/** What the catalog lacks about a database (the facts its scores come from). */
export type DatabaseProblem = 'not_connected' | 'no_update_date' | 'stale_update' | 'no_record_count' | 'no_contact';
export const databaseProblems: DatabaseProblem[] = ['not_connected', 'no_update_date', 'stale_update', 'no_record_count', 'no_contact'];

/**
 * A database of the catalog scored: its dataset's scores (when a dataset holds its data) and the
 * catalog's facts alike — sufficient: connected, an update date, a record count, a contact; alive:
 * how long since the last update.
 */
export interface DatabaseScores extends Scores {
  code: string;
  name: string;
  kind: string;
  sector: string;
  owner: string;
  owner_name: string | null;
  status: string;
  /** The dataset that holds its data, null when none does. */
  dataset: string | null;
  change: Change | null;
  facts: {
    /** A dataset holds its data, or it feeds the IOC. */
    connected: boolean;
    ioc_connected: boolean;
    /** What the catalog says. */
    last_data_update: string | null;
    /** Since the dataset's newest record when a dataset holds its data, else the catalog's date. */
    days_since_update: number | null;
    record_count: number | null;
    /** The catalog names a contact. */
    contact: boolean;
  };
  problems: (DatabaseProblem | (string & {}))[];
}

export interface Scoreboard {
  as_of: string;
  /** "YYYY-MM" of the as-of date. */
  month: string;
  province: Scores & { change: Change | null };
  /** Best first; a unit officer gets only his units. */
  units: UnitScores[];
  datasets: DatasetScores[];
  /** Worst first, at most 20. */
  checks: CheckResult[];
  /** 12 months up to the as-of month, oldest first, province level. */
  trend: TrendPoint[];
  /** The catalog's databases in use (and the entries a dataset names), best first. */
  databases?: DatabaseScores[];
}

export interface ScoreItem {
  dataset: string;
  unit: string;
  unit_name: string;
  month: string;
  dimension: Dimension | 'overall';
  score: number | null;
  rows: number;
  checks: { check: string; title: string; failed: number; total: number }[];
}

/**
 * A check of a dataset: its id, title, type, severity and dimension (absent: the type's), and the
 * type's parameters (field, pattern, min, max, values, fields, kinds, block, expression, dataset,
 * key, max_days, within_percent, threshold, due_day, method). Members the pages do not know are kept as they are.
 */
export interface Check {
  id: string;
  title: string;
  type: CheckType | (string & {});
  severity: Severity | (string & {});
  dimension?: Dimension | (string & {});
  field?: string;
  pattern?: string;
  min?: number | string;
  max?: number | string;
  values?: (string | number)[];
  fields?: string[];
  expression?: string;
  dataset?: string;
  key?: string;
  max_days?: number;
  within_percent?: number;
  threshold?: number;
  due_day?: number;
  method?: OutlierMethod | (string & {});
  /** near_duplicate: how each of `fields` is compared, one per field. */
  kinds?: (FieldKind | (string & {}))[];
  /** near_duplicate: records are compared only with those of the same values of these fields. */
  block?: string[];
  [param: string]: unknown;
}

export interface DatasetChecks {
  dataset: string;
  checks: Check[];
  /** The code of the catalog entry whose data the dataset holds ("" for none). */
  catalog_entry?: string;
  /** Derived from the schema. */
  defaults: Check[];
  /** Checks were saved (otherwise the defaults are in use). */
  stored?: boolean;
  updated_at: string | null;
  updated_by: string;
}

export interface Failure {
  dataset?: string;
  /** The record's key. */
  key: string;
  unit: string;
  month: string;
  check: string;
  /** The check's title. */
  title?: string;
  field: string;
  value: string | number | boolean | null;
  reason: string;
}

export interface FailuresQuery {
  /** The date the checks are evaluated as of (the server's default is today). */
  as_of?: string;
  dataset?: string;
  check?: string;
  unit?: string;
  /** "YYYY-MM". */
  period?: string;
  /** 1 to 1000. */
  limit?: number;
}

/** A query string of the parameters that are set. */
function query(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

/** The failing rows as a file (CSV or XLSX with Vietnamese headings), with the same filters. */
export function failuresFileUrl(q: FailuresQuery, format: 'csv' | 'xlsx'): string {
  return `/api/v1/quality/failures${query({ dataset: q.dataset, check: q.check, unit: q.unit, period: q.period, as_of: q.as_of, format })}`;
}

export const qualityApi = {
  /** As of `asOf`; the server's default is today, not the IOC's date (see quality-common's qualityAsOf). */
  scoreboard: (asOf?: string) => apiGet<Scoreboard>(`/quality/scoreboard${query({ as_of: asOf })}`),
  scores: (q: { as_of?: string; dataset?: string; unit?: string; period?: string; dimension?: string }) => apiGet<{ items: ScoreItem[] }>(`/quality/scores${query(q)}`),
  checks: (dataset: string) => apiGet<DatasetChecks>(`/datasets/${enc(dataset)}/checks`),
  /**
   * Replaces the dataset's checks (and, when given, the catalog entry it holds the data of; "" for
   * none); 422 quality.invalid_check or quality.bad_expression name the check and key.
   */
  saveChecks: (dataset: string, checks: Check[], catalogEntry?: string) =>
    apiRequest<DatasetChecks>('PUT', `/datasets/${enc(dataset)}/checks`, catalogEntry === undefined ? { checks } : { catalog_entry: catalogEntry, checks }),
  /** The catalog's databases scored, best first. */
  databases: (asOf?: string) => apiGet<{ items: DatabaseScores[] }>(`/quality/databases${query({ as_of: asOf })}`),
  /** One catalog entry scored; 404 quality.not_scored when nothing is (not a database in use, no dataset names it). */
  database: (code: string, asOf?: string) => apiGet<DatabaseScores>(`/quality/databases/${enc(code)}${query({ as_of: asOf })}`),
  failures: (q: FailuresQuery) => apiGet<{ items: Failure[]; total: number }>(`/quality/failures${query({ ...q, format: 'json' })}`),
};
