// Typed client for the pdh JSON API (/api/v1). Errors, including RFC 9457 problem+json
// responses, become ApiError with a stable code and a human-readable detail. Requests are not
// cancelled when a page is left: the page ignores late results instead.

export type Level = 'province' | 'district' | 'commune' | 'agency';

export interface Unit {
  code: string;
  name: string;
  short_name: string;
  type: string;
  level: Level;
  parent: string | null;
  population: number | null;
  population_estimated: boolean;
  area_km2: number | null;
  lat: number | null;
  lon: number | null;
  valid_from: string | null;
  valid_to: string | null;
}

export interface Ancestor {
  code: string;
  name: string;
  level: Level;
}

export interface UnitDetail extends Unit {
  ancestors?: Ancestor[];
  /** A total, or counts by kind of child. */
  children_count?: number | Record<string, number>;
}

export interface Info {
  name: string;
  version: string;
  province: Unit;
}

export type MergeKind = 'whole' | 'partial';

export interface Lineage {
  unit: Unit;
  kind: MergeKind;
  note?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  request_id?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId?: string;

  constructor(status: number, code: string, detail: string, requestId?: string) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.requestId = requestId;
  }
}

async function get<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json().catch(() => undefined) : undefined;
  if (!res.ok) {
    const p = (body ?? {}) as Problem;
    throw new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? p.title ?? res.statusText, p.request_id);
  }
  if (body === undefined) throw new ApiError(res.status, 'bad_response', '');
  return body as T;
}

// Responses are reused for a short while, so switching language or going back re-renders
// without another round trip. A failed request is not kept.
const cacheTtlMs = 60_000;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

function cached<T>(path: string): Promise<T> {
  const hit = cache.get(path);
  if (hit && Date.now() - hit.at < cacheTtlMs) return hit.value as Promise<T>;
  const value = get<T>(path);
  cache.set(path, { at: Date.now(), value });
  value.catch(() => cache.delete(path));
  return value;
}

const enc = encodeURIComponent;

/** `?as_of=YYYY-MM-DD`, for units as they were on a date (e.g. before the 2025 reform). */
const asOfQuery = (asOf?: string) => (asOf ? `?as_of=${enc(asOf)}` : '');

export const api = {
  info: () => cached<Info>('/info'),
  unit: (code: string, asOf?: string) => cached<UnitDetail>(`/units/${enc(code)}${asOfQuery(asOf)}`),
  children: (code: string, asOf?: string) =>
    cached<{ parent: Unit; items: Unit[] }>(`/units/${enc(code)}/children${asOfQuery(asOf)}`),
  predecessors: (code: string) => cached<{ unit: Unit; items: Lineage[] }>(`/units/${enc(code)}/predecessors`),
  resolve: (code: string) =>
    cached<{ code: string; old: Unit; targets: Lineage[] }>(`/units/resolve?code=${enc(code)}`),
};
