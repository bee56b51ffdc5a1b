// The signed-in account: who it is, what its roles allow, when its session ends, and the
// redirects to the login and TOTP enrolment pages.

import { api, ApiError, clearCache, setAuthHooks, setCsrfToken, type Me, type Role } from './api';
import { go } from './router';

let me: Me | null = null;
/** When the server will end the session (ms since the epoch): idle or absolute expiry. */
let endsAt = 0;
let absoluteEnd = 0;
const listeners = new Set<() => void>();

export function currentUser(): Me | null {
  return me;
}

export function onSessionChange(fn: () => void): void {
  listeners.add(fn);
}

/** Takes the account from a login, /auth/me or TOTP confirmation response. */
export function setSession(next: Me | null): void {
  if (next?.name !== me?.name) clearCache();
  me = next;
  setCsrfToken(next?.csrf_token ?? '');
  absoluteEnd = next?.session_expires_at ? Date.parse(next.session_expires_at) || 0 : 0;
  endsAt = absoluteEnd;
  if (next) touch();
  listeners.forEach((fn) => fn());
}

// Every signed-in call restarts the server's idle timer; the client keeps its own estimate.
function touch(): void {
  if (!me) return;
  const idle = me.idle_timeout_seconds > 0 ? Date.now() + me.idle_timeout_seconds * 1000 : Infinity;
  endsAt = Math.min(absoluteEnd || Infinity, idle);
}

/** Milliseconds until the session ends (estimated), or null when not signed in with a session. */
export function remainingMs(): number | null {
  if (!me || me.via !== 'session' || !Number.isFinite(endsAt) || endsAt === 0) return null;
  return Math.max(0, endsAt - Date.now());
}

export function hasRole(user: Me | null, roles: readonly Role[]): boolean {
  return !!user && user.roles.some((g) => roles.includes(g.role));
}

/**
 * The signed-in account, asking the server when it is not known yet or the session may have
 * run out. Without a session the login page is shown (by the API hook) and the result is null.
 */
export async function ensureSession(): Promise<Me | null> {
  if (me && (remainingMs() ?? 1) > 0) return me;
  try {
    setSession(await api.me());
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

const here = () => location.pathname + location.search;

/** A safe in-app path to return to after signing in (never another site, never /login). */
export function nextPath(raw: string | null): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/login') ? raw : '/';
}

export function toLogin(notice?: 'expired' | 'signed_out'): void {
  const p = new URLSearchParams();
  if (location.pathname !== '/login' && here() !== '/' && notice !== 'signed_out') p.set('next', here());
  if (notice) p.set(notice, '1');
  const query = p.toString();
  go(`/login${query ? `?${query}` : ''}`, { replace: true });
}

/** Where an account goes right after signing in: TOTP enrolment first when it must enrol. */
export function afterLogin(next: string): void {
  if (me?.totp_enrollment_required) go(`/account/totp?next=${encodeURIComponent(next)}`, { replace: true });
  else go(next, { replace: true });
}

export async function logout(everywhere: boolean): Promise<void> {
  try {
    await (everywhere ? api.logoutAll() : api.logout());
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return; // already over: the hook showed the login page
    throw err;
  }
  setSession(null);
  toLogin('signed_out');
}

setAuthHooks({
  onActivity: touch,
  onAuthProblem(err) {
    if (err.code === 'auth.totp_enrollment_required') {
      if (me) me.totp_enrollment_required = true;
      if (location.pathname !== '/account/totp') afterLogin(here());
      return;
    }
    const wasSignedIn = me !== null;
    setSession(null);
    if (location.pathname !== '/login') toLogin(err.code === 'auth.session_expired' || wasSignedIn ? 'expired' : undefined);
  },
});
