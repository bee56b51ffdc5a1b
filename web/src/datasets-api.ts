// Typed client for the datasets and ingestion (M3) API: datasets and their schemas (Frictionless
// Table Schema with pdh: keys), batches (uploads of CSV, XLSX, JSON or NDJSON files, with their
// reports and rejected rows) and the records they wrote. Same transport and errors (ApiError) as
// api.ts; uploads go through upload.ts to report progress.

import { apiGet, ApiError } from './api';
import { upload, type Upload, type UploadProgress } from './upload';

// --- Schemas ---------------------------------------------------------------------------------

/** The types the engine stores (src/ingest/ingest.h); others are shown by name. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'year' | 'yearmonth' | (string & {});

export interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  enum?: (string | number)[];
  minimum?: number | string;
  maximum?: number | string;
  exclusiveMinimum?: number | string;
  exclusiveMaximum?: number | string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

/** A code list value with its labels: pdh's `pdh:codes` ({code, …}) or Table Schema v2 `categories` ({value, …}). */
export interface Category {
  code?: string;
  value?: string | number;
  label?: string;
  label_en?: string;
  aliases?: string[];
}

/**
 * One field of a Table Schema. The standard keys are typed; pdh adds `title_en` and its own keys
 * under `pdh:` names: "pdh:unit" (true or {partial}), "pdh:period", "pdh:personal", "pdh:format"
 * ("citizen_id"), "pdh:codes" ([{code, label, label_en, aliases}]), "pdh:aliases" (read by
 * `fieldFacts` in pages/datasets-common.ts).
 */
export interface SchemaField {
  name: string;
  title?: string;
  title_en?: string;
  description?: string;
  type?: FieldType;
  format?: string;
  constraints?: FieldConstraints;
  categories?: (string | number | Category)[];
  [pdhKey: `pdh:${string}`]: unknown;
}

export interface TableSchema {
  fields: SchemaField[];
  primaryKey?: string | string[];
  foreignKeys?: { fields: string | string[]; reference: { resource: string; fields: string | string[] } }[];
  missingValues?: string[];
  [key: string]: unknown;
}

// --- Datasets --------------------------------------------------------------------------------

export interface Dataset {
  code: string;
  title: string;
  title_en?: string | null;
  description?: string | null;
  owner_unit: string | null;
  owner_unit_name: string | null;
  version: number;
  row_count: number;
  updated_at: string | null;
  field_count: number;
  /** The personal fields: their names, or how many there are. */
  personal_fields: string[] | number;
  primary_key: string[];
}

export interface SchemaVersion {
  version: number;
  created_at: string;
  created_by: string;
  note?: string | null;
}

export interface DatasetDetail extends Dataset {
  schema: TableSchema;
  table: string;
  versions: SchemaVersion[];
}

// --- Batches ---------------------------------------------------------------------------------

export type BatchStatus = 'committed' | 'dry_run' | 'rejected' | 'duplicate';
export type BatchMode = 'all' | 'valid';
export type BatchFormat = 'csv' | 'xlsx' | 'json' | 'ndjson';
export type Encoding = 'auto' | 'utf-8' | 'tcvn3' | 'vni' | 'viscii' | 'cp1258';

export const batchFormats: BatchFormat[] = ['csv', 'xlsx', 'json', 'ndjson'];
export const encodings: Encoding[] = ['auto', 'utf-8', 'tcvn3', 'vni', 'viscii', 'cp1258'];

/** Row error codes the engine reports (each has a hint on how to fix it). */
export const rowErrorCodes = [
  'value.required',
  'value.type',
  'value.enum',
  'value.minimum',
  'value.maximum',
  'value.pattern',
  'value.length',
  'value.formula_like',
  'value.citizen_id',
  'unit.unknown',
  'unit.ambiguous',
  'unit.out_of_scope',
  'key.duplicate_in_batch',
  'row.ragged',
] as const;
export type RowErrorCode = (typeof rowErrorCodes)[number];

/** Errors that stop the whole file (problem+json codes of the upload). */
export const fileErrorCodes = [
  'file.encoding',
  'file.not_text',
  'file.malformed',
  'file.missing_column',
  'file.empty',
  'file.no_rows',
  'file.sheet_not_found',
  'file.too_large',
  'file.too_many_columns',
  'request.body_too_large',
  'upload.busy',
  'dataset.not_found',
] as const;
export type FileErrorCode = (typeof fileErrorCodes)[number];

export interface RowError {
  /** The row in the file (as a spreadsheet numbers it: the header is row 1). */
  row: number;
  column: string | null;
  value: string | null;
  code: RowErrorCode | (string & {});
  message: string;
}

/** An old unit code that was mapped through the 2025 crosswalk, or a name matched to a unit. */
export interface UnitResolution {
  from?: string;
  to?: string;
  name?: string;
  code?: string;
  count?: number;
  [key: string]: unknown;
}

export interface BatchReport {
  /** 0 for a duplicate (nothing is stored). */
  id: string | number;
  dataset: string;
  status: BatchStatus;
  duplicate_of?: string | number | null;
  mode: BatchMode;
  file_name: string | null;
  format: BatchFormat | (string & {});
  sha256: string;
  encoding: { detected: string | null; converted_cells: number };
  counts: { read: number; imported: number; updated: number; unchanged: number; rejected: number };
  /** How many old unit codes were resolved, and how many units were found by name (or the lists). */
  units?: {
    resolved_old_codes: number | UnitResolution[] | Record<string, string>;
    by_name: number | UnitResolution[] | Record<string, string>;
  };
  warnings?: string[];
  /** The first 1000 (GET /batches/{id} and the upload's answer; not in lists). */
  errors?: RowError[];
  errors_total?: number;
  created_at: string;
  created_by: string;
  duration_ms: number;
}

// --- Records ---------------------------------------------------------------------------------

export type RecordValue = string | number | boolean | null;

export interface DatasetRecord {
  [field: string]: RecordValue | undefined;
  _batch?: string | number;
  _updated_at?: string;
}

export interface RecordsPage {
  items: DatasetRecord[];
  next_cursor: string | null;
  total: number;
  fields: string[];
}

export interface RecordHistory {
  items: { batch: string | number; at: string; by: string; previous: Record<string, RecordValue> }[];
}

// --- Calls -----------------------------------------------------------------------------------

export interface UploadOptions {
  format: BatchFormat;
  dryRun: boolean;
  mode: BatchMode;
  encoding: Encoding;
  /** XLSX only; empty: the first sheet. */
  sheet?: string;
  batchId?: string;
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const contentTypes: Record<BatchFormat, string> = {
  csv: 'text/csv',
  xlsx: xlsxType,
  json: 'application/json',
  ndjson: 'application/x-ndjson',
};

/** The format of a file by its name (then by its type); null when neither says. */
export function formatOf(file: { name: string; type?: string }): BatchFormat | null {
  const m = /\.([a-z0-9]+)$/i.exec(file.name);
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'json') return 'json';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  const byType = (Object.entries(contentTypes) as [BatchFormat, string][]).find(([, type]) => type === file.type);
  return byType ? byType[0] : null;
}

const enc = encodeURIComponent;

export const datasetHref = (code: string) => `/datasets/${enc(code)}`;
export const dataHref = (code: string) => `/datasets/${enc(code)}/data`;
export const batchHref = (id: string | number) => `/batches/${enc(String(id))}`;
export const rejectedCsvUrl = (id: string | number) => `/api/v1/batches/${enc(String(id))}/rejected?format=csv`;
export const datapackageUrl = (code: string) => `/api/v1/datasets/${enc(code)}/datapackage`;
/** The Excel workbook a unit fills in for the dataset (headers, example row, drop-downs). */
export const templateUrl = (code: string) => `/api/v1/datasets/${enc(code)}/template`;

export const datasetsApi = {
  list: () => apiGet<{ items: Dataset[] }>('/datasets'),
  dataset: (code: string) => apiGet<DatasetDetail>(`/datasets/${enc(code)}`),
  batches: (code: string, limit = 20, cursor?: string) =>
    apiGet<{ items: BatchReport[]; next_cursor: string | null }>(
      `/datasets/${enc(code)}/batches?limit=${limit}${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    ),
  batch: (id: string | number) => apiGet<BatchReport>(`/batches/${enc(String(id))}`),
  /** Query: limit, cursor, sort, order, q, unit and field=value filters. */
  records: (code: string, query: URLSearchParams) => apiGet<RecordsPage>(`/datasets/${enc(code)}/records?${query}`),
  recordHistory: (code: string, key: string) => apiGet<RecordHistory>(`/datasets/${enc(code)}/records/${enc(key)}/history`),
  /**
   * Sends a file as a batch; the answer is the batch report. A batch rejected whole fails with
   * ApiError batch.rejected whose problem carries the report (rejectedReport gives it).
   */
  upload: (code: string, file: Blob, o: UploadOptions, onProgress?: (p: UploadProgress) => void): Upload<BatchReport> => {
    const p = new URLSearchParams({ format: o.format, dry_run: String(o.dryRun), mode: o.mode });
    p.set('encoding', o.encoding);
    if (o.format === 'xlsx' && o.sheet?.trim()) p.set('sheet', o.sheet.trim());
    if (o.batchId?.trim()) p.set('batch_id', o.batchId.trim());
    return upload<BatchReport>(`/datasets/${enc(code)}/batches?${p}`, file, contentTypes[o.format], onProgress);
  },
};

/** The report of a batch rejected whole (422 batch.rejected), or null for another error. */
export function rejectedReport(err: unknown): BatchReport | null {
  if (!(err instanceof ApiError) || err.code !== 'batch.rejected') return null;
  const report = (err.problem as { report?: BatchReport }).report;
  return report && typeof report === 'object' ? report : null;
}
