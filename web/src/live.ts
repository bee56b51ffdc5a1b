// Live updates: one server-sent event stream (GET /api/v1/events) for the whole app while an
// account is signed in. Pages subscribe for as long as they are shown (the route's AbortSignal
// ends the subscription); the shell shows the stream's state. The browser reconnects a dropped
// stream by itself; a refused one (an error answer instead of a stream) is retried here with a
// growing pause. After a reconnection events may have been missed, so subscribers hear "resync".

import type { Alert, ValueChange } from './ioc-api';
import { currentUser, onSessionChange, remainingMs } from './session';

export type LiveState = 'open' | 'connecting' | 'closed';

export type LiveEvent =
  /** Values changed after a batch was ingested or values were reported; truncated: refetch everything. */
  | { type: 'values'; changes: ValueChange[]; truncated: boolean }
  | { type: 'alert'; alert: Alert }
  /**
   * Quality scores changed (a committed batch, a dataset's checks saved): refetch them. After a
   * batch the server names the datasets and units whose scores changed (empty when it does not say).
   */
  | { type: 'quality'; reason: string; datasets: string[]; units: string[] }
  /** The stream is back after a break: what the page shows may be out of date. */
  | { type: 'resync' };

const firstRetryMs = 1000;
const maxRetryMs = 30_000;

const subscribers = new Set<(event: LiveEvent) => void>();
const stateListeners = new Set<(state: LiveState) => void>();
let source: EventSource | null = null;
/** The account the stream was opened for. */
let account = '';
let state: LiveState = 'closed';
let retryTimer = 0;
let retryMs = firstRetryMs;
/** The stream has been open before: the next opening is a reconnection. */
let wasOpen = false;

export function liveState(): LiveState {
  return state;
}

export function onLiveState(fn: (state: LiveState) => void): void {
  stateListeners.add(fn);
}

/** Calls `fn` with every event until `signal` aborts (the page is left). */
export function subscribe(signal: AbortSignal, fn: (event: LiveEvent) => void): void {
  if (signal.aborted) return;
  subscribers.add(fn);
  signal.addEventListener('abort', () => subscribers.delete(fn), { once: true });
}

function setState(next: LiveState): void {
  if (next === state) return;
  state = next;
  stateListeners.forEach((fn) => fn(next));
}

function emit(event: LiveEvent): void {
  subscribers.forEach((fn) => fn(event));
}

function parse<T>(e: Event): T | null {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

/** Signed in, past TOTP enrolment, and the session not known to be over. */
function wanted(): boolean {
  const me = currentUser();
  return !!me && !me.totp_enrollment_required && remainingMs() !== 0;
}

function connect(): void {
  clearTimeout(retryTimer);
  retryTimer = 0;
  source?.close();
  account = currentUser()?.name ?? '';
  setState('connecting');
  const es = new EventSource('/api/v1/events', { withCredentials: true });
  source = es;
  es.addEventListener('open', () => {
    retryMs = firstRetryMs;
    setState('open');
    if (wasOpen) emit({ type: 'resync' });
    wasOpen = true;
  });
  es.addEventListener('values', (e) => {
    // The engine may say it rebuilt everything ("rebuilt": true): as good as truncated.
    const data = parse<{ changes?: ValueChange[]; truncated?: boolean; rebuilt?: boolean }>(e);
    if (data) emit({ type: 'values', changes: data.changes ?? [], truncated: !!data.truncated || !!data.rebuilt });
  });
  es.addEventListener('alert', (e) => {
    const alert = parse<Alert>(e);
    if (alert) emit({ type: 'alert', alert });
  });
  es.addEventListener('quality', (e) => {
    const data = parse<{ reason?: string; dataset?: string; datasets?: unknown; units?: unknown }>(e);
    if (!data) return;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    const datasets = strings(data.datasets);
    if (datasets.length === 0 && typeof data.dataset === 'string') datasets.push(data.dataset);
    emit({ type: 'quality', reason: data.reason ?? '', datasets, units: strings(data.units) });
  });
  es.addEventListener('error', () => {
    if (source !== es) return;
    // CONNECTING: the browser is reconnecting by itself.
    if (es.readyState === EventSource.CONNECTING) return setState('connecting');
    es.close();
    source = null;
    if (!wanted()) return setState('closed');
    setState('connecting');
    retryTimer = window.setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, maxRetryMs);
  });
}

function stop(): void {
  clearTimeout(retryTimer);
  retryTimer = 0;
  source?.close();
  source = null;
  account = '';
  wasOpen = false;
  retryMs = firstRetryMs;
  setState('closed');
}

// The stream follows the session: opened on signing in, closed on signing out, reopened for
// another account.
onSessionChange(() => {
  if (!wanted()) return stop();
  if (account !== currentUser()?.name) stop();
  if (!source && !retryTimer) connect();
});
