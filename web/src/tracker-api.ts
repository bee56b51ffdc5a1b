// Typed client for the Resolution 57 register (M6) under /api/v1/tracker: programmes, the targets
// and tasks assigned along the chain centre → province → unit, their history (adjustments with
// reason and approval), the monthly progress reports units owe by the due day, the figures as of a
// date (roll-ups, completion rates, overdue lists, unit rankings), import/export and the reminder
// outbox. Same transport and errors (ApiError) as api.ts.

import { apiCached, apiGet, apiRequest, sendRaw } from './api';
import { sheetApi, type ImportFormat, type ImportReport } from './register-api';

export type TrackerLevel = 'central' | 'province' | 'unit';
export type ItemKind = 'target' | 'task';
export type ItemState = 'not_started' | 'in_progress' | 'completed' | 'cancelled';
export type DerivedStatus = 'not_started' | 'in_progress' | 'overdue' | 'completed_on_time' | 'completed_late' | 'cancelled';
export type Recurrence = '' | 'monthly' | 'quarterly' | 'yearly';
export type Timeliness = 'on_time' | 'late' | 'missing' | 'not_due';

export const trackerLevels: TrackerLevel[] = ['central', 'province', 'unit'];
export const itemKinds: ItemKind[] = ['task', 'target'];
export const itemStates: ItemState[] = ['not_started', 'in_progress', 'completed', 'cancelled'];
export const derivedStatuses: DerivedStatus[] = ['not_started', 'in_progress', 'overdue', 'completed_on_time', 'completed_late', 'cancelled'];
export const timelinessValues: Timeliness[] = ['on_time', 'late', 'missing', 'not_due'];

export interface Counts {
  /** Items not cancelled. */
  total: number;
  completed: number;
  completed_on_time: number;
  completed_late: number;
  in_progress: number;
  not_started: number;
  overdue: number;
  cancelled: number;
  /** completed / total × 100, two decimals. */
  completion_rate: number;
}

export interface Group {
  /** Programme code, level, unit code, sector, status or "YYYY-MM". */
  key: string;
  /** The programme's or unit's name when there is one. */
  name: string;
  targets: Counts;
  tasks: Counts;
}

export interface UnitRank {
  unit: string;
  name: string;
  tasks_due: number;
  completed_on_time: number;
  on_time_rate: number;
  reports_expected: number;
  reports_on_time: number;
  reports_late: number;
  reports_missing: number;
  report_rate: number;
}

export interface Leader {
  name: string;
  position: string;
}

/** A target or task as it stands (what a write sends, with the change's reason and approval). */
export interface TrackerItem {
  kind: ItemKind;
  code: string;
  programme: string;
  parent: string;
  level: TrackerLevel;
  title: string;
  sector: string;
  lead_unit: string;
  cooperating_units: string[];
  leader: Leader;
  assigned_at: string | null;
  deadline: string | null;
  recurrence: Recurrence;
  expected_product: string;
  baseline: number | null;
  target_value: number | null;
  measure_unit: string;
  indicator: string;
  state: ItemState;
  completed_at: string | null;
}

export interface ItemRecord extends TrackerItem {
  lead_unit_name: string | null;
  version: number;
  effective: string;
  /** Some version was an adjustment. */
  adjusted: boolean;
  /** Derived as of the date asked. */
  status: DerivedStatus;
  /** The latest reported percent, or null. */
  percent: number | null;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ItemVersion {
  version: number;
  effective: string;
  recorded_at: string;
  actor: string;
  reason: string;
  approval: string;
  adjusted: boolean;
  changes: FieldChange[];
}

export interface Attachment {
  id: number;
  name: string;
  content_type: string;
  size: number;
}

export interface Report {
  task: string;
  /** "YYYY-MM". */
  month: string;
  percent: number;
  done: string;
  difficulties: string;
  proposals: string;
  submitted_at: string;
  updated_at: string;
  submitted_by: string;
  attachments: Attachment[];
}

export interface Obligation {
  task: string;
  task_title: string;
  unit: string;
  unit_name: string | null;
  month: string;
  due: string;
  timeliness: Timeliness;
  report: Report | null;
}

export interface ItemDetail extends ItemRecord {
  history: ItemVersion[];
  children: ItemRecord[];
  reports: Report[];
  obligations: Obligation[];
  /** May change the state or adjust the item. */
  can_edit: boolean;
  /** May adjust it (deadline, content, target, lead unit): the steward and administrators. */
  can_adjust: boolean;
  /** May submit the monthly reports. */
  can_report: boolean;
}

export interface TrackerSummary {
  as_of: string;
  due_day: number;
  by_level: Partial<Record<TrackerLevel, { targets: Counts; tasks: Counts }>>;
  by_programme: Group[];
  by_unit: Group[];
  by_sector: Group[];
  by_status: Group[];
  by_deadline_month: Group[];
  overdue: ItemRecord[];
  due_soon: ItemRecord[];
  ranking: UnitRank[];
}

export interface Programme {
  code: string;
  name: string;
  legal_basis: string;
  level: TrackerLevel;
  period_from: string | null;
  period_to: string | null;
}

export type TrackerImportReport = ImportReport;

export interface OutboxMessage {
  id: number;
  kind: string;
  key: string;
  unit: string;
  subject: string;
  created_at: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  delivered_at: string | null;
  last_error: string | null;
}

/** What a write adds to the item: why, who approved an adjustment, from when, and the version it was based on. */
export interface ItemWrite extends TrackerItem {
  reason?: string;
  approval?: string;
  effective?: string;
  expected_version?: number;
}

export interface ReportWrite {
  percent: number;
  done: string;
  difficulties: string;
  proposals: string;
}

export type { ImportFormat };

const enc = encodeURIComponent;
const asOfParam = (asOf?: string) => (asOf ? `?as_of=${enc(asOf)}` : '');

export const trackerApi = {
  summary: (asOf: string) => apiGet<TrackerSummary>(`/tracker/summary?as_of=${enc(asOf)}`),
  programmes: () => apiCached<{ items: Programme[] }>('/tracker/programmes'),
  /** Filters: kind, programme, level, unit, sector, status, q, as_of; limit and cursor for paging. */
  items: (query: URLSearchParams) => apiGet<{ items: ItemRecord[]; next: string | null }>(`/tracker/items?${query}`),
  item: (code: string, asOf?: string) => apiGet<ItemDetail>(`/tracker/items/${enc(code)}${asOfParam(asOf)}`),
  create: (body: ItemWrite) => apiRequest<ItemRecord>('POST', '/tracker/items', body),
  update: (code: string, body: ItemWrite) => apiRequest<ItemRecord>('PUT', `/tracker/items/${enc(code)}`, body),
  submitReport: (code: string, month: string, body: ReportWrite) =>
    apiRequest<Report>('PUT', `/tracker/items/${enc(code)}/reports/${enc(month)}`, body),
  attach: (code: string, month: string, file: File) =>
    sendRaw<Attachment>(
      'POST',
      `/tracker/items/${enc(code)}/reports/${enc(month)}/attachments?name=${enc(file.name)}`,
      file,
      file.type || 'application/octet-stream',
    ),
  attachmentUrl: (id: number) => `/api/v1/tracker/attachments/${id}`,
  /** Filters: unit, month (YYYY-MM), as_of. */
  reports: (query: URLSearchParams) => apiGet<{ due_day: number; items: Obligation[] }>(`/tracker/reports?${query}`),
  ...sheetApi('tracker'),
  outbox: (state?: OutboxMessage['state']) => apiGet<{ items: OutboxMessage[] }>(`/tracker/outbox${state ? `?state=${state}` : ''}`),
  reminders: (asOf: string) => apiRequest<{ added: number }>('POST', `/tracker/reminders?as_of=${enc(asOf)}`),
};

/** The fields of an item a write sends (the record's derived and display members left out). */
export function itemFields(r: TrackerItem): TrackerItem {
  return {
    kind: r.kind,
    code: r.code,
    programme: r.programme,
    parent: r.parent,
    level: r.level,
    title: r.title,
    sector: r.sector,
    lead_unit: r.lead_unit,
    cooperating_units: [...r.cooperating_units],
    leader: { name: r.leader?.name ?? '', position: r.leader?.position ?? '' },
    assigned_at: r.assigned_at,
    deadline: r.deadline,
    recurrence: r.recurrence,
    expected_product: r.expected_product,
    baseline: r.baseline,
    target_value: r.target_value,
    measure_unit: r.measure_unit,
    indicator: r.indicator,
    state: r.state,
    completed_at: r.completed_at,
  };
}
