// Live updates: one server-sent event stream (GET /api/v1/events) for the whole app while an
// account is signed in. Pages subscribe for as long as they are shown (the route's AbortSignal
// ends the subscription); the shell shows the stream's state. The browser reconnects a dropped
// stream by itself; a refused one (an error answer instead of a stream) is retried here with a
// growing pause. After a reconnection events may have been missed, so subscribers hear "resync".
// A display signed in with an API token (the wall) reads the same stream with fetch, which can
// send the token.

import { bearerToken } from './api';
import type { Alert } from './ioc-api';
import { currentUser, onSessionChange, remainingMs } from './session';

export type LiveState = 'open' | 'connecting' | 'closed';

export type LiveEvent =
  /**
   * Values changed after a batch was ingested or values were reported: the indicators, units and
   * periods that changed (the values themselves are read again); truncated: refetch everything.
   */
  | { type: 'values'; indicators: string[]; units: string[]; periods: string[]; truncated: boolean }
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
/** The stream of a display signed in with a token (read with fetch). */
let tokenStream: AbortController | null = null;
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

function parse<T>(raw: string): T | null {
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' ? (v as T) : null;
  } catch {
    return null;
  }
}

/** Signed in, past TOTP enrolment, and the session not known to be over. */
function wanted(): boolean {
  const me = currentUser();
  return !!me && !me.totp_enrollment_required && remainingMs() !== 0;
}

/** One event of the stream, by its name and its data. */
function handle(type: string, raw: string): void {
  const data = parse<Record<string, unknown>>(raw);
  if (!data) return;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  if (type === 'values') {
    // The engine may say it rebuilt everything ("rebuilt": true): as good as truncated.
    emit({ type: 'values', indicators: strings(data.indicators), units: strings(data.units), periods: strings(data.periods), truncated: !!data.rebuilt });
  } else if (type === 'alert') {
    emit({ type: 'alert', alert: data as unknown as Alert });
  } else if (type === 'quality') {
    const datasets = strings(data.datasets);
    if (datasets.length === 0 && typeof data.dataset === 'string') datasets.push(data.dataset);
    emit({ type: 'quality', reason: typeof data.reason === 'string' ? data.reason : '', datasets, units: strings(data.units) });
  }
}

function opened(): void {
  retryMs = firstRetryMs;
  setState('open');
  if (wasOpen) emit({ type: 'resync' });
  wasOpen = true;
}

/** After a refused or ended stream: again after a growing pause, while it is wanted. */
function retryLater(): void {
  if (!wanted()) return setState('closed');
  setState('connecting');
  retryTimer = window.setTimeout(connect, retryMs);
  retryMs = Math.min(retryMs * 2, maxRetryMs);
}

function connect(): void {
  clearTimeout(retryTimer);
  retryTimer = 0;
  source?.close();
  source = null;
  tokenStream?.abort();
  tokenStream = null;
  account = currentUser()?.name ?? '';
  setState('connecting');
  if (bearerToken()) return connectWithToken(bearerToken());
  const es = new EventSource('/api/v1/events', { withCredentials: true });
  source = es;
  es.addEventListener('open', opened);
  for (const type of ['values', 'alert', 'quality']) es.addEventListener(type, (e) => handle(type, (e as MessageEvent<string>).data));
  es.addEventListener('error', () => {
    if (source !== es) return;
    // CONNECTING: the browser is reconnecting by itself.
    if (es.readyState === EventSource.CONNECTING) return setState('connecting');
    es.close();
    source = null;
    retryLater();
  });
}

/**
 * The stream read with fetch, for a display that signs in with a token: EventSource cannot send
 * the Authorization header. Events are blocks of "event:" and "data:" lines ended by a blank line.
 */
function connectWithToken(token: string): void {
  const controller = new AbortController();
  tokenStream = controller;
  const run = async () => {
    const res = await fetch('/api/v1/events', {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    opened();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length > 0) handle(type, data.join('\n'));
      }
    }
  };
  run()
    .catch(() => undefined)
    .finally(() => {
      if (tokenStream !== controller || controller.signal.aborted) return;
      tokenStream = null;
      retryLater();
    });
}

function stop(): void {
  clearTimeout(retryTimer);
  retryTimer = 0;
  source?.close();
  source = null;
  tokenStream?.abort();
  tokenStream = null;
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
  if (!source && !tokenStream && !retryTimer) connect();
});
