// Typed client for sharing with connected systems (M10) and open data: the systems an
// administrator registers, their grants and subscriptions, the exchange log, a dataset's sharing,
// and the open datasets (read by anyone; published by stewards). Same transport and errors
// (ApiError) as api.ts; the open data's reads need no session.

import { apiCached, apiGet, apiRequest } from './api';

// --- Connected systems -----------------------------------------------------------------------

export type ClientState = 'active' | 'suspended' | 'revoked';
export const clientStates: ClientState[] = ['active', 'suspended', 'revoked'];

export interface ShareClient {
  code: string;
  name: string;
  owner_unit: string;
  contact: string;
  /** The system account whose API tokens the system uses. */
  account: string;
  state: ClientState;
  ip_allow: string[];
  created_at: string;
  created_by: string;
  /** Mutual TLS: the SHA-256 of the client certificate it must call with ("" none). */
  cert_sha256?: string;
}

export interface ShareClientIn {
  code: string;
  name: string;
  owner_unit: string;
  contact: string;
  account: string;
  ip_allow?: string[];
  cert_sha256?: string;
}

export interface Purpose {
  code: string;
  title: string;
  title_en: string;
}

/** What may stand in for a value: its last four characters, a date's year, a name's initials. */
export type MaskKind = 'last4' | 'birth_year' | 'initials';
export const maskKinds: MaskKind[] = ['last4', 'birth_year', 'initials'];

export type Access = 'read' | 'write';

export interface ShareGrantIn {
  dataset: string;
  /** Fields granted as they are. */
  fields: string[];
  /** Fields granted masked. */
  masks: Record<string, MaskKind>;
  /** null (or "") for every unit. */
  unit: string | null;
  descendants: boolean;
  period_from: string | null;
  period_to: string | null;
  purposes: string[];
  legal_basis: string;
  access: Access;
  /** The last day it holds; null: until revoked. */
  expires: string | null;
}

export interface ShareGrant extends ShareGrantIn {
  id: number;
  client: string;
  created_at: string;
  created_by: string;
  revoked: boolean;
}

export interface Subscription {
  id: number;
  client: string;
  dataset: string;
  url: string;
  active: boolean;
  created_at: string;
  created_by: string;
}

// --- The exchange log ------------------------------------------------------------------------

export type ExchangeAction = 'share.read' | 'share.write' | 'share.notify';

export interface Exchange {
  seq: number;
  at: string;
  action: ExchangeAction | (string & {});
  client: string;
  end_user: string;
  purpose: string;
  case_reference: string;
  dataset: string;
  unit: string;
  fields: string[];
  /** Fields not returned, with the reason ("personal", "not_granted"). */
  withheld: Record<string, string>;
  rows: number;
  grant: number | null;
}

/** The exchange log's filters: client, dataset, unit, from and to (YYYY-MM-DD). */
export const exchangeFilters = ['client', 'dataset', 'unit', 'from', 'to'] as const;
export type ExchangeFilter = (typeof exchangeFilters)[number];

// --- A dataset's sharing ---------------------------------------------------------------------

export interface Licence {
  code: string;
  title: string;
  url: string;
}

export interface DatasetSharing {
  grants: {
    id: number;
    client: string;
    client_name: string;
    access: Access;
    fields: string[];
    masks: Record<string, MaskKind>;
    unit: string | null;
    purposes: string[];
    expires: string | null;
  }[];
  /** How many subscriptions are told of its changes. */
  subscriptions: number;
  open: { id: string; kind: OpenKind; title: string; licence: Licence }[];
}

// --- Open data -------------------------------------------------------------------------------

export type OpenKind = 'records' | 'aggregate' | 'values';
export type ResourceFormat = 'CSV' | 'XLSX' | 'JSON' | 'datapackage';

export interface OpenDataset {
  id: string;
  kind: OpenKind;
  /** The dataset (or indicator source) it is published from. */
  source: string;
  indicators: string[];
  title: string;
  title_en: string;
  description: string;
  description_en: string;
  keywords: string[];
  licence: Licence;
  /** Aggregates: groups of fewer than k people are not published. */
  k: number;
  organization: { code: string; name: string };
  issued: string;
  modified: string;
  /** How many rows it holds, when the server says. */
  rows?: number;
  resources: { format: ResourceFormat; url: string; media_type: string }[];
}

export interface OpenPreview {
  /** `type`: the Table Schema type of the column (string, integer, number, boolean, date, datetime). */
  fields: { name: string; title: string; title_en: string; type?: string }[];
  rows: Record<string, string | number | boolean | null>[];
}

export interface OpenDatasetIn {
  kind: OpenKind;
  source: string;
  indicators: string[];
  title: string;
  title_en: string;
  description: string;
  description_en: string;
  keywords: string[];
  licence: string;
  k: number;
}

// --- Calls -----------------------------------------------------------------------------------

const enc = encodeURIComponent;

export const shareClientHref = (code: string) => `/admin/share/${enc(code)}`;
/** The exchange log with filters (e.g. a dataset's exchanges). */
export const exchangesHref = (filters: Partial<Record<ExchangeFilter, string>> = {}) => {
  const p = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
  const s = p.toString();
  return `/share/exchanges${s ? `?${s}` : ''}`;
};
export const exchangesCsvUrl = (query: URLSearchParams) => {
  const p = new URLSearchParams(query);
  p.delete('cursor');
  p.delete('limit');
  p.set('format', 'csv');
  return `/api/v1/share/exchanges?${p}`;
};

export const openHref = (id?: string) => (id ? `/open/${enc(id)}` : '/open');
const openBase = (id: string) => `/api/v1/open/datasets/${enc(id)}`;
export const openFileUrl = (id: string, format: ResourceFormat) =>
  format === 'datapackage' ? `${openBase(id)}/datapackage.json` : `${openBase(id)}/data.${format.toLowerCase()}`;
export const dcatTurtleUrl = (id: string) => `/dataset/${enc(id)}.ttl`;
export const ckanShowUrl = (id: string) => `/api/3/action/package_show?id=${enc(id)}`;

export const shareApi = {
  clients: () => apiGet<{ items: ShareClient[] }>('/share/clients'),
  addClient: (body: ShareClientIn) => apiRequest<ShareClient>('POST', '/share/clients', body),
  setClientState: (code: string, state: ClientState) => apiRequest<ShareClient>('PATCH', `/share/clients/${enc(code)}`, { state }),
  purposes: () => apiCached<{ items: Purpose[] }>('/share/purposes'),

  grants: (client: string) => apiGet<{ items: ShareGrant[] }>(`/share/clients/${enc(client)}/grants`),
  addGrant: (client: string, body: ShareGrantIn) => apiRequest<ShareGrant>('POST', `/share/clients/${enc(client)}/grants`, body),
  revokeGrant: (id: number) => apiRequest<unknown>('DELETE', `/share/grants/${id}`),

  subscriptions: (client: string) => apiGet<{ items: Subscription[] }>(`/share/clients/${enc(client)}/subscriptions`),
  /** The answer carries the HMAC secret of the notifications, this once. */
  addSubscription: (client: string, body: { dataset: string; url: string }) =>
    apiRequest<Subscription & { secret: string }>('POST', `/share/clients/${enc(client)}/subscriptions`, body),
  deleteSubscription: (id: number) => apiRequest<unknown>('DELETE', `/share/subscriptions/${id}`),

  /** Query: client, dataset, unit, from, to, limit, cursor. */
  exchanges: (query: URLSearchParams) => apiGet<{ items: Exchange[]; next_cursor: string | null }>(`/share/exchanges?${query}`),

  sharing: (dataset: string) => apiGet<DatasetSharing>(`/datasets/${enc(dataset)}/sharing`),
};

export const openApi = {
  /** `q` ignores diacritics; `lang` the language of the titles searched first. */
  list: (q = '', lang = '') => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (lang) p.set('lang', lang);
    const s = p.toString();
    return apiGet<{ items: OpenDataset[] }>(`/open/datasets${s ? `?${s}` : ''}`);
  },
  dataset: (id: string) => apiGet<OpenDataset & { preview?: OpenPreview }>(`/open/datasets/${enc(id)}`),
  licences: () => apiCached<{ items: Licence[] }>('/open/licences'),
  publish: (id: string, body: OpenDatasetIn) => apiRequest<OpenDataset>('PUT', `/open/datasets/${enc(id)}`, body),
  unpublish: (id: string) => apiRequest<unknown>('DELETE', `/open/datasets/${enc(id)}`),
};
