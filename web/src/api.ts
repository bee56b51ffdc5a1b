// Typed client for the pdh JSON API (/api/v1). Errors, including RFC 9457 problem+json
// responses, become ApiError with a stable code and a human-readable detail. Requests carry the
// session cookie (same origin) and, for writes, the CSRF token. Requests are not cancelled when
// a page is left: the page ignores late results instead.

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
  /** The IOC's date: what every read is as of when it names no date (YYYY-MM-DD). */
  as_of?: string;
  /** The server's today (YYYY-MM-DD). */
  today?: string;
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
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId?: string;
  /** The whole problem document (some carry extra members, e.g. locked_until). */
  readonly problem: Problem;

  constructor(status: number, code: string, detail: string, requestId?: string, problem: Problem = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.requestId = requestId;
    this.problem = problem;
  }
}

// --- Identity and access ---------------------------------------------------------------------

export type Role = 'administrator' | 'officer' | 'leader' | 'auditor' | 'system';

export interface GrantIn {
  role: Role;
  unit_code: string;
  include_descendants: boolean;
}

/** A grant as the server shows it: no unit (null) means the whole province. */
export interface Grant {
  role: Role;
  unit_code: string | null;
  unit_name: string | null;
  include_descendants: boolean;
}

export interface Me {
  name: string;
  display_name: string;
  roles: Grant[];
  mfa: boolean;
  totp_enrolled: boolean;
  totp_enrollment_required: boolean;
  via: 'session' | 'token';
  /** Sessions only (null for a token). */
  csrf_token: string | null;
  session_expires_at: string | null;
  idle_timeout_seconds: number;
}

export interface LoginResult {
  account: Me;
  csrf_token: string;
  totp_enrollment_required: boolean;
}

export interface Account {
  name: string;
  display_name: string;
  system: boolean;
  disabled: boolean;
  disabled_reason: string | null;
  locked: boolean;
  locked_until: string | null;
  totp_enrolled: boolean;
  failed_logins: number;
  created_at: string;
  last_active_at: string | null;
  grants: Grant[];
}

export interface Token {
  id: number;
  name: string;
  prefix: string;
  account: string;
  permissions: string[];
  units: string[];
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  active: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  remote: string;
  request_id: string;
  detail: Record<string, unknown>;
}

/** A commune's area on the map: GeoJSON, the unit's official code and name in its properties. */
export interface BoundaryFeature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

/** The communes' areas an administrator loaded; `loaded` false (and no features) until then. */
export interface Boundaries {
  type: 'FeatureCollection';
  features: BoundaryFeature[];
  loaded: boolean;
}

export interface AuditVerify {
  ok: boolean;
  entries: number;
  checkpoints: number;
  first_bad_seq: number | null;
  problem: string | null;
}

// --- Transport -------------------------------------------------------------------------------

let csrfToken = '';
/** A display's API token (the wall): sent as `Authorization: Bearer`, instead of any session cookie. */
let bearer = '';
let authProblem: (err: ApiError) => void = () => {};
let activity: () => void = () => {};

/** The CSRF token that accompanies writes (from the login or /auth/me response). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Reads the API as the token's account: every request carries it and no cookie ("" for the session). */
export function setBearerToken(token: string): void {
  bearer = token;
}

export function bearerToken(): string {
  return bearer;
}

/**
 * `onAuthProblem` gets the errors that mean "sign in (again)" or "enrol TOTP first";
 * `onActivity` every successful signed-in call (it restarts the server's idle timer).
 */
export function setAuthHooks(hooks: { onAuthProblem: (err: ApiError) => void; onActivity: () => void }): void {
  authProblem = hooks.onAuthProblem;
  activity = hooks.onActivity;
}

// 401s that answer a credential check (login, password change) rather than a missing session.
const credentialCodes = new Set(['auth.invalid_credentials', 'auth.totp_required', 'auth.totp_invalid']);

function isAuthProblem(err: ApiError): boolean {
  if (err.status === 401) return !credentialCodes.has(err.code);
  return err.status === 403 && err.code === 'auth.totp_enrollment_required';
}

const publicPaths = new Set(['/info', '/auth/login']);

/** Reads anyone may make (the open data): no sign-in asked for, no session kept alive. */
const isPublic = (method: string, path: string) => publicPaths.has(path) || (method === 'GET' && path.startsWith('/open/'));

/** A body sent as it is (a file for an import), with its content type. */
interface RawBody {
  blob: Blob;
  contentType: string;
}

async function request<T>(method: string, path: string, body?: unknown, raw?: RawBody): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw) headers['Content-Type'] = raw.contentType;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  else if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: bearer ? 'omit' : 'same-origin',
      body: raw ? raw.blob : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json().catch(() => undefined) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as Problem;
    const err = new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? p.title ?? res.statusText, p.request_id, p);
    if (path !== '/auth/login' && !isPublic(method, path) && isAuthProblem(err)) authProblem(err);
    throw err;
  }
  if (!isPublic(method, path)) activity();
  if (res.status === 204) return undefined as T;
  if (data === undefined) throw new ApiError(res.status, 'bad_response', '');
  return data as T;
}

const get = <T>(path: string) => request<T>('GET', path);

// Responses are reused for a short while, so switching language or going back re-renders
// without another round trip. A failed request is not kept.
const cacheTtlMs = 60_000;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

/** Forgets cached responses (when the signed-in account changes). */
export function clearCache(): void {
  cache.clear();
}

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
  /** Diacritic-insensitive name search over current units. */
  searchUnits: (q: string) => get<{ items: Unit[] }>(`/units?q=${enc(q)}&limit=20`),

  login: (body: { name: string; password: string; totp?: string }) => request<LoginResult>('POST', '/auth/login', body),
  me: () => get<Me>('/auth/me'),
  logout: () => request<void>('POST', '/auth/logout'),
  logoutAll: () => request<{ sessions_ended: number }>('POST', '/auth/logout-all'),
  totpEnroll: () => request<{ secret: string; otpauth_uri: string }>('POST', '/auth/totp/enroll'),
  totpConfirm: (code: string) => request<Me>('POST', '/auth/totp/confirm', { code }),
  changePassword: (current: string, next: string) => request<void>('POST', '/auth/password', { current, new: next }),

  users: () => get<{ items: Account[] }>('/users'),
  createUser: (body: { name: string; display_name: string; password: string; system: false; grants: GrantIn[] }) =>
    request<Account>('POST', '/users', body),
  updateUser: (name: string, body: Partial<{ display_name: string; disabled: boolean; disabled_reason: string; grants: GrantIn[]; password: string }>) =>
    request<Account>('PATCH', `/users/${enc(name)}`, body),

  tokens: (all = false) => get<{ items: Token[] }>(`/tokens${all ? '?all=1' : ''}`),
  createToken: (body: { name: string; expires_in_days: number; permissions: string[]; units: string[] }) =>
    request<Token & { token: string }>('POST', '/tokens', body),
  revokeToken: (id: number) => request<void>('DELETE', `/tokens/${id}`),

  boundaries: () => cached<Boundaries>('/boundaries'),
  /** Loads the communes' areas (a GeoJSON FeatureCollection, as the file has it); administrators. */
  putBoundaries: (file: Blob) => request<{ units: number }>('PUT', '/boundaries', undefined, { blob: file, contentType: 'application/json' }),

  audit: (query: URLSearchParams) => get<{ items: AuditEntry[]; next_before: number | null }>(`/audit?${query}`),
  auditVerify: () => get<AuditVerify>('/audit/verify'),
};

// --- For API clients in other modules (catalog-api.ts) ---------------------------------------

/**
 * Sends `body` as it is (a file for an import) with its content type; the same errors, CSRF token
 * and session hooks as the JSON requests.
 */
export function sendRaw<T>(method: string, path: string, body: Blob, contentType: string): Promise<T> {
  return request<T>(method, path, undefined, { blob: body, contentType });
}

/** JSON requests for other API clients: `apiRequest(method, path, body)`, `apiGet(path)`, `apiCached(path)`. */
export { request as apiRequest, get as apiGet, cached as apiCached };
