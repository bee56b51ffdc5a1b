// Typed client for the consolidation (record linkage, M4) API under /api/v1/link: projects that
// join the pre-merger registers of old Long An and old Tây Ninh into one, their runs and merge
// report, the review queue of uncertain pairs, the clusters with their golden records, and the
// commit that marks the catalog entry merged. Same transport and errors (ApiError) as api.ts.

import { apiGet, apiRequest } from './api';
import type { BatchReport } from './datasets-api';

// --- Projects --------------------------------------------------------------------------------

export type ProjectStatus = 'draft' | 'review' | 'ready' | 'committed';
export const projectStatuses: ProjectStatus[] = ['draft', 'review', 'ready', 'committed'];

/** What a target field holds, and so how its values are compared. */
export type FieldKind = 'name' | 'full_name' | 'date' | 'id' | 'phone' | 'commune' | 'code' | 'text';
export const fieldKinds: FieldKind[] = ['name', 'full_name', 'date', 'id', 'phone', 'commune', 'code', 'text'];

/** How a source column becomes a target field's value. */
export type MappingOp = 'copy' | 'concat' | 'family' | 'middle' | 'given' | 'date' | 'unit' | 'map';
export const mappingOps: MappingOp[] = ['copy', 'concat', 'family', 'middle', 'given', 'date', 'unit', 'map'];

/** Which record's value a golden record keeps. */
export type Survivorship = 'most_recent' | 'most_complete' | 'priority' | 'longest' | 'most_frequent';
export const survivorships: Survivorship[] = ['most_recent', 'most_complete', 'priority', 'longest', 'most_frequent'];

export interface TargetField {
  name: string;
  title: string;
  kind: FieldKind | (string & {});
  survivorship?: Survivorship | (string & {});
}

export interface Mapping {
  field: string;
  /** A column, or several (concat). */
  from: string | string[];
  /** Absent: copy. */
  op?: MappingOp | (string & {});
  /** For op "date": how the column writes dates, e.g. "dd/mm/yyyy". */
  format?: string;
  /** For op "map": source code → target value. */
  values?: Record<string, string>;
}

export interface SourceDef {
  dataset: string;
  label: string;
  /** The column that identifies a record in the source. */
  id: string;
  priority?: number;
  mapping: Mapping[];
}

export interface Definition {
  code: string;
  title: string;
  catalog_entry?: string | null;
  target?: string | null;
  fields: TargetField[];
  sources: SourceDef[];
  rules?: string;
  threshold?: number;
  review_from?: number;
}

export interface RunRef {
  id: string | number;
  at: string;
  by: string;
  incremental: boolean;
  version?: number;
}

export interface QueueCounts {
  pending: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

export interface Project {
  code: string;
  title: string;
  version: number;
  status: ProjectStatus | (string & {});
  catalog_entry?: string | null;
  target?: string | null;
  /** Dataset codes. */
  sources: string[];
  updated_at?: string | null;
  last_run: RunRef | null;
  queue: QueueCounts;
  committed_at?: string | null;
}

export interface DefinitionVersion {
  version: number;
  at: string;
  by: string;
  note?: string | null;
}

export interface ProjectDetail {
  code: string;
  title: string;
  version: number;
  status: ProjectStatus | (string & {});
  definition: Definition;
  versions: DefinitionVersion[];
  last_run: RunRef | null;
  queue: QueueCounts;
  committed_at?: string | null;
}

// --- Preview ---------------------------------------------------------------------------------

export type Value = string | number | boolean | null;

export interface PreviewProblem {
  field: string;
  code: string;
  message: string;
}

export interface PreviewRow {
  key: string;
  original: Record<string, Value>;
  mapped: Record<string, Value>;
  problems: PreviewProblem[];
}

export interface Preview {
  fields: { name: string; title: string; kind: string }[];
  sources: { dataset: string; label: string; rows: PreviewRow[] }[];
}

// --- The merge report ------------------------------------------------------------------------

export interface LevelStats {
  level: string;
  m: number;
  u: number;
  weight: number;
  pairs: number;
}

export interface Report {
  run: RunRef;
  records: { total: number; by_source: { dataset: string; label: string; records: number; duplicates_within: number }[] };
  clusters: { total: number; multi: number; across: number };
  pairs: { blocked: number; above_threshold: number; queued: number; pending: number; accepted: number; rejected: number; skipped: number };
  threshold: number;
  review_from: number;
  estimate: { precision: number | null; recall: number | null; expected_matches: number | null; pairs_above?: number };
  /** The estimate at other thresholds, for choosing one. */
  estimates?: { threshold: number; precision: number; recall: number }[];
  histogram: { from: number; to: number; pairs: number }[];
  rules: { rule: string; pairs: number; used: boolean }[];
  model?: {
    lambda: number;
    iterations: number;
    converged: boolean;
    comparisons: { column: string; kind: string; levels: LevelStats[] }[];
  };
  /** Seconds (or milliseconds, as the engine reports them) per step. */
  times?: { block?: number; compare?: number; train?: number; score?: number };
}

// --- Review queue ----------------------------------------------------------------------------

export type PairStatus = 'pending' | 'accepted' | 'rejected' | 'skipped';
export const pairStatuses: PairStatus[] = ['pending', 'accepted', 'rejected', 'skipped'];
export type Decision = 'accept' | 'reject' | 'skip';

/** A comparison level (src/link/link.h LevelName). */
export type ComparisonLevel =
  | 'exact'
  | 'tone'
  | 'folded'
  | 'swapped'
  | 'middle_missing'
  | 'edit1'
  | 'jw0.92'
  | 'edit2'
  | 'jw0.88'
  | 'day_month_swapped'
  | 'within_days'
  | 'same_year'
  | 'last9'
  | 'crosswalk'
  | 'other'
  | 'missing'
  | 'neutral';
export const comparisonLevels: ComparisonLevel[] = [
  'exact',
  'tone',
  'folded',
  'swapped',
  'middle_missing',
  'edit1',
  'jw0.92',
  'edit2',
  'jw0.88',
  'day_month_swapped',
  'within_days',
  'same_year',
  'last9',
  'crosswalk',
  'other',
  'missing',
  'neutral',
];

export interface PairRecord {
  /** "<dataset>:<record id>". */
  key: string;
  source: string;
  label: string;
  values: Record<string, Value>;
}

export interface PairPart {
  column: string;
  level: ComparisonLevel | (string & {});
  value_a: Value;
  value_b: Value;
  bits: number;
  tf_bits: number;
}

export interface Pair {
  id: number;
  a: PairRecord;
  b: PairRecord;
  probability: number;
  weight: number;
  status: PairStatus | (string & {});
  cluster_a: string | null;
  cluster_b: string | null;
  parts: PairPart[];
  prior_bits: number;
  decided_by: string | null;
  decided_at: string | null;
}

export interface QueuePage {
  items: Pair[];
  total: number;
  next_cursor: string | null;
}

export interface DecisionResult {
  pair: Pair;
  /** The cluster of record A after the decision, and its members' keys. */
  cluster: string;
  members: string[];
}

// --- Clusters --------------------------------------------------------------------------------

export interface GoldenValue {
  value: Value;
  /** The record the value comes from. */
  record: string | null;
  rule: string;
}

export interface ClusterMember {
  key: string;
  source: string;
  label: string;
  values: Record<string, Value>;
  probability: number | null;
}

export interface Cluster {
  id: string;
  size: number;
  sources: string[];
  golden: Record<string, GoldenValue>;
  members: ClusterMember[];
}

export interface ClustersPage {
  items: Cluster[];
  total: number;
  next_cursor: string | null;
}

export interface CommitResult {
  batch: BatchReport;
  catalog_entry: string | null;
  consolidation: 'merged' | (string & {});
  effective: string;
  golden_records: number;
}

// --- Calls -----------------------------------------------------------------------------------

const enc = encodeURIComponent;
const base = (code: string) => `/link/projects/${enc(code)}`;

export const linkHref = (code: string) => `/link/${enc(code)}`;
export const reviewHref = (code: string) => `/link/${enc(code)}/review`;
export const clustersHref = (code: string, query?: Record<string, string>) => {
  const q = new URLSearchParams(query).toString();
  return `/link/${enc(code)}/clusters${q ? `?${q}` : ''}`;
};

/** "ncc_long_an_cu:LA-000123" → { dataset: "ncc_long_an_cu", id: "LA-000123" }. */
export function splitKey(key: string): { dataset: string; id: string } {
  const i = key.indexOf(':');
  return i < 0 ? { dataset: '', id: key } : { dataset: key.slice(0, i), id: key.slice(i + 1) };
}

export const linkApi = {
  projects: () => apiGet<{ items: Project[] }>('/link/projects'),
  project: (code: string) => apiGet<ProjectDetail>(base(code)),
  preview: (code: string, limit = 5) => apiGet<Preview>(`${base(code)}/preview?limit=${limit}`),
  /** The preview of a definition not saved yet (as the editor holds it). */
  previewDefinition: (definition: unknown, limit = 5) => apiRequest<Preview>('POST', '/link/preview', { definition, limit }),
  create: (definition: unknown) => apiRequest<ProjectDetail>('POST', '/link/projects', definition),
  /** A new version of the definition; refused with link.version_conflict when `expected_version` is not the latest. */
  update: (code: string, body: { definition: unknown; note: string; expected_version: number }) => apiRequest<ProjectDetail>('PUT', base(code), body),
  report: (code: string) => apiGet<Report>(`${base(code)}/report`),
  run: (code: string, incremental: boolean) => apiRequest<Report>('POST', `${base(code)}/runs?incremental=${incremental}`),
  queue: (code: string, status: PairStatus, limit = 20, cursor?: string) =>
    apiGet<QueuePage>(`${base(code)}/queue?status=${status}&limit=${limit}${cursor ? `&cursor=${enc(cursor)}` : ''}`),
  pair: (code: string, id: number) => apiGet<Pair>(`${base(code)}/queue/${id}`),
  decide: (code: string, id: number, decision: Decision) => apiRequest<DecisionResult>('POST', `${base(code)}/queue/${id}/decision`, { decision }),
  /** Query: q, multi, limit, cursor. */
  clusters: (code: string, query: URLSearchParams) => apiGet<ClustersPage>(`${base(code)}/clusters?${query}`),
  cluster: (code: string, id: string) => apiGet<Cluster>(`${base(code)}/clusters/${enc(id)}`),
  split: (code: string, id: string, records: string[]) => apiRequest<Cluster>('POST', `${base(code)}/clusters/${enc(id)}/split`, { records }),
  merge: (code: string, ids: [string, string]) => apiRequest<Cluster>('POST', `${base(code)}/clusters/merge`, { clusters: ids }),
  chooseGolden: (code: string, id: string, field: string, record: string) =>
    apiRequest<Cluster>('PUT', `${base(code)}/clusters/${enc(id)}/golden/${enc(field)}`, { record }),
  commit: (code: string, body: { effective?: string; force?: boolean }) => apiRequest<CommitResult>('POST', `${base(code)}/commit`, body),
};
