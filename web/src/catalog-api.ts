// Typed client for the catalog (M2) API under /api/v1/catalog: the province's digital platforms,
// specialized databases and national databases, their history, the report's figures as of a date,
// and CSV/XLSX import and export. Same transport and errors (ApiError) as api.ts.

import { apiGet, apiRequest } from './api';
import { sheetApi, type ImportFormat, type ImportReport } from './register-api';

export type CatalogKind = 'platform' | 'database' | 'national';
export type CatalogStatus = 'planned' | 'under_construction' | 'in_use' | 'not_connected' | 'connected';
export type Consolidation = 'merged' | 'not_merged';
export type CatalogLinkKind = 'runs_on' | 'exchanges_with';

export const catalogKinds: CatalogKind[] = ['platform', 'database', 'national'];
export const consolidations: Consolidation[] = ['merged', 'not_merged'];

/** The statuses an entry of `kind` may have, in their order forward. */
export function statusesFor(kind: CatalogKind | ''): CatalogStatus[] {
  if (kind === 'national') return ['not_connected', 'connected'];
  if (kind === '') return ['planned', 'under_construction', 'in_use', 'not_connected', 'connected'];
  return ['planned', 'under_construction', 'in_use'];
}

export interface CatalogLink {
  kind: CatalogLinkKind;
  target: string;
}

/** One entry as it stands (what the form sends). */
export interface CatalogEntry {
  kind: CatalogKind;
  code: string;
  name: string;
  sector: string;
  /** The owner unit's code, e.g. "80.SYT". */
  owner: string;
  status: CatalogStatus;
  consolidation: Consolidation | null;
  source_systems: string[];
  ioc_connected: boolean;
  hosting: string;
  record_count: number | null;
  last_data_update: string | null;
  contact: string;
  legal_basis: string;
  tags: string[];
  connected_at: string | null;
  links: CatalogLink[];
}

export interface CatalogChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface CatalogVersion {
  version: number;
  effective: string;
  recorded_at: string;
  actor: string;
  reason: string;
  changes: CatalogChange[];
}

export interface CatalogRecord extends CatalogEntry {
  version: number;
  effective: string;
  /** The owner unit's name (null when the code is not a known unit). */
  owner_name: string | null;
  /** GET /entries/{code} only, oldest first. */
  history?: CatalogVersion[];
  /** GET /entries/{code} only: entries linking to this one. */
  linked_from?: { kind: CatalogLinkKind; source: string }[];
  /** GET /entries/{code} only: whether the signed-in account may edit it. */
  can_edit?: boolean;
}

export interface CatalogCounts {
  platforms: number;
  platforms_in_use: number;
  databases: number;
  databases_planned: number;
  databases_under_construction: number;
  databases_in_use: number;
  databases_merged: number;
  databases_not_merged: number;
  databases_ioc_connected: number;
  national: number;
  national_connected: number;
}

export interface CatalogSummary {
  as_of: string;
  total: CatalogCounts;
  by_sector: (CatalogCounts & { sector: string })[];
  by_owner: (CatalogCounts & { owner: string; owner_name: string | null })[];
}

export interface CatalogFacets {
  sectors: string[];
  owners: { code: string; name: string | null }[];
  tags: string[];
}

export type CatalogImportReport = ImportReport;

/** What a write adds to the entry: why, from when, and (edits) the version it was based on. */
export interface CatalogWrite extends CatalogEntry {
  reason?: string;
  effective?: string;
  expected_version?: number;
}

export type { ImportFormat };

const enc = encodeURIComponent;

export const catalogApi = {
  summary: (asOf: string) => apiGet<CatalogSummary>(`/catalog/summary?as_of=${enc(asOf)}`),
  /** One summary per month end from `from` to `to` (YYYY-MM). */
  series: (from: string, to: string) =>
    apiGet<{ items: { as_of: string; total: CatalogCounts }[] }>(`/catalog/summary/series?from=${enc(from)}&to=${enc(to)}`),
  facets: () => apiGet<CatalogFacets>('/catalog/facets'),
  /** Filters: kind, status, sector, owner, tag, q; limit and cursor for paging. */
  entries: (query: URLSearchParams) => apiGet<{ items: CatalogRecord[]; next: string | null }>(`/catalog/entries?${query}`),
  entry: (code: string) => apiGet<CatalogRecord>(`/catalog/entries/${enc(code)}`),
  create: (body: CatalogWrite) => apiRequest<CatalogRecord>('POST', '/catalog/entries', body),
  update: (code: string, body: CatalogWrite) => apiRequest<CatalogRecord>('PUT', `/catalog/entries/${enc(code)}`, body),
  ...sheetApi('catalog'),
};
