// "/wall" — the display of the operations centre: read-only, in large type, it turns through the
// IOC's pages (the overview, the indicators' freshness, the Resolution 57 board, data quality)
// every N seconds (?every=, default 30) and keeps their figures live. It reads with a display
// token, never a session: the token comes once in the address (/wall#token=…), is kept in the
// display's browser and taken out of the address; every request sends it as
// "Authorization: Bearer", and the live events are read with fetch for the same reason. A token
// does not idle out, so the display never signs itself out; it has no session timer.

import { ApiError, setAuthHooks, setBearerToken } from '../api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtInt, locale, t, type Key } from '../i18n';
import { pageHead, titled } from '../page';
import type { RouteContext, View } from '../router';
import { ensureSession, setSession } from '../session';
import { freshnessPage } from './ioc-freshness';
import { overviewPage } from './overview';
import { qualityPage } from './quality-board';
import { trackerBoardPage } from './tracker-board';

const storageKey = 'pdh.wallToken';
const defaultEvery = 30;
const minEvery = 5;

interface Screen {
  key: string;
  title: Key;
  view: View;
}

const screens: Screen[] = [
  { key: 'overview', title: 'nav.overview', view: overviewPage },
  { key: 'freshness', title: 'nav.freshness', view: freshnessPage },
  { key: 'nq57', title: 'nav.tracker', view: trackerBoardPage },
  { key: 'quality', title: 'nav.quality', view: qualityPage },
];

/** The path of the display. */
export const isWallPath = (path: string): boolean => path === '/wall' || path === '/wall/';

function storedToken(): string {
  try {
    return localStorage.getItem(storageKey) ?? '';
  } catch {
    return '';
  }
}

function keepToken(token: string): void {
  try {
    if (token) localStorage.setItem(storageKey, token);
    else localStorage.removeItem(storageKey);
  } catch {
    // not kept: the display needs the address with the token again after a reload
  }
}

/** A refusal of the token (wrong, revoked, expired), for the page to show. */
let refused: ApiError | null = null;
let onRefused: () => void = () => {};

/**
 * Before anything is read: the display's token from the address (#token=…) or from the
 * display's storage, sent with every request instead of the session; a refusal is the wall's to
 * show (there is no sign-in page to go to).
 */
export function startWallMode(): void {
  document.documentElement.classList.add('wall-mode');
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromAddress = hash.get('token')?.trim() ?? '';
  if (fromAddress) {
    keepToken(fromAddress);
    // The token is not left on the screen or in the history.
    history.replaceState(null, '', location.pathname + location.search);
  }
  setBearerToken(fromAddress || storedToken());
  setAuthHooks({
    onActivity: () => {},
    onAuthProblem: (err) => {
      refused = err;
      setSession(null);
      onRefused();
    },
  });
}

function everySeconds(): number {
  const n = Number(new URLSearchParams(location.search).get('every'));
  return Number.isFinite(n) && n > 0 ? Math.max(minEvery, Math.round(n)) : defaultEvery;
}

/** The form that takes a token by hand (when the address brought none, or it was refused). */
function tokenForm(outlet: HTMLElement, problem: string | null): void {
  const token = input('wall-token', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'data-testid': 'wall-token' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'wall-start' }, t('wall.start'));
  const message = formMessage('wall-message');
  if (problem) message.error(null, problem);
  mount(
    outlet,
    pageHead(t('wall.title'), t('wall.setupLead')),
    h(
      'section',
      { class: 'card panel stack wall-setup', 'data-testid': 'wall-setup' },
      h('p', {}, t('wall.setupHow')),
      h(
        'form',
        {
          class: 'stack',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void busy(submit, async () => {
              keepToken(token.value.trim());
              location.reload();
            });
          },
        },
        field(t('wall.token'), token, t('wall.tokenHint')),
        h('p', {}, submit),
        message.el,
      ),
    ),
  );
  titled(outlet, t('wall.title'));
}

export async function wallPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  // Reached inside a signed-in app (history): the display starts afresh, with its token only.
  if (!document.documentElement.classList.contains('wall-mode')) return location.reload();
  if (!storedToken()) return tokenForm(outlet, null);
  let stop = () => {};
  const showRefused = () => {
    stop();
    if (signal.aborted) return;
    const expired = refused?.code === 'auth.token_expired' || refused?.code === 'auth.token_revoked';
    tokenForm(outlet, t(expired ? 'wall.tokenExpired' : 'wall.tokenRefused'));
  };
  onRefused = showRefused;
  signal.addEventListener('abort', () => (onRefused = () => {}), { once: true });
  try {
    const me = await ensureSession();
    if (signal.aborted) return;
    if (!me) return showRefused();
  } catch (err) {
    if (signal.aborted) return;
    if (err instanceof ApiError && err.status === 401) return showRefused();
    throw err;
  }
  stop = run(outlet, signal);
}

/**
 * The turning pages: a strip with the page shown, its place among them and the time, and the
 * page. Returns what stops them (the page is left, or the token was refused).
 */
function run(outlet: HTMLElement, signal: AbortSignal): () => void {
  const every = everySeconds();
  const name = h('strong', { class: 'wall-screen-name', 'data-testid': 'wall-screen-name' });
  const dots = h('ol', { class: 'wall-dots', 'aria-label': t('wall.pages') });
  const clock = h('span', { class: 'wall-clock', 'data-testid': 'wall-clock' });
  const stage = h('div', { class: 'wall-stage', 'data-testid': 'wall-stage' });
  const wall = h(
    'div',
    { class: 'wall', 'data-testid': 'wall', 'data-every': every },
    h(
      'div',
      { class: 'wall-strip', role: 'status', 'aria-live': 'polite' },
      h('span', { class: 'wall-label' }, t('wall.title')),
      name,
      dots,
      h('span', { class: 'wall-every muted' }, t('wall.every', { n: fmtInt(every) })),
      clock,
    ),
    stage,
  );
  mount(outlet, wall);

  // A display is looked at, not used: links and buttons in the pages lead nowhere.
  stage.addEventListener(
    'click',
    (e) => {
      if ((e.target as Element).closest('a, button, summary')) {
        e.preventDefault();
        e.stopPropagation();
      }
    },
    true,
  );

  let index = -1;
  let round = 0;
  let inner: AbortController | null = null;
  let timer = 0;
  const tick = () => {
    clock.textContent = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
  };
  tick();
  const clockTimer = window.setInterval(tick, 10_000);

  function show(next: number): void {
    clearTimeout(timer);
    inner?.abort();
    const controller = new AbortController();
    inner = controller;
    index = (next + screens.length) % screens.length;
    round += 1;
    const screen = screens[index];
    name.textContent = t(screen.title);
    wall.dataset.screen = screen.key;
    wall.dataset.round = String(round);
    mount(
      dots,
      screens.map((s, i) => h('li', { class: i === index ? 'current' : null, 'aria-current': i === index ? 'step' : null, title: t(s.title) }, h('span', { class: 'visually-hidden' }, t(s.title)))),
    );
    stage.dataset.screen = screen.key;
    void Promise.resolve(screen.view(stage, { params: {}, path: '/wall', signal: controller.signal })).catch(() => undefined);
    timer = window.setTimeout(() => show(index + 1), every * 1000);
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'PageDown') show(index + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') show(index - 1);
  };
  document.addEventListener('keydown', onKey);
  const stop = () => {
    clearTimeout(timer);
    clearInterval(clockTimer);
    inner?.abort();
    document.removeEventListener('keydown', onKey);
  };
  signal.addEventListener('abort', stop, { once: true });
  show(0);
  return stop;
}

/** The address of the display for a token, to open on the wall's screen. */
export function wallAddress(token: string, every = defaultEvery): string {
  const query = every === defaultEvery ? '' : `?every=${every}`;
  return `${location.origin}/wall${query}#token=${encodeURIComponent(token)}`;
}
