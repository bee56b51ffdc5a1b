// The IOC shell: header with product and province, session time, live-update status, user menu,
// language switch, navigation (only what the account's roles may use), error banner.

import { h, mount } from './dom';
import { fmtDateTime, lang, setLang, t, type Key, type Lang } from './i18n';
import { ApiError, type Role } from './api';
import { liveState, onLiveState } from './live';
import { currentUser, hasRole, logout, onSessionChange, remainingMs } from './session';

interface NavItem {
  href: string;
  key: Key;
  match: (path: string) => boolean;
  /** Roles that may use the page; absent: every signed-in account. */
  roles?: Role[];
  /** Starts a titled group in the navigation. */
  group?: Key;
}

const navItems: NavItem[] = [
  { href: '/', key: 'nav.overview', match: (p) => p === '/' },
  { href: '/indicators', key: 'nav.indicators', match: (p) => p === '/indicators' || p.startsWith('/indicators/') },
  { href: '/freshness', key: 'nav.freshness', match: (p) => p === '/freshness' },
  { href: '/public-services', key: 'nav.publicServices', match: (p) => p === '/public-services' },
  { href: '/feedback', key: 'nav.feedback', match: (p) => p === '/feedback' },
  { href: '/alerts', key: 'nav.alerts', match: (p) => p === '/alerts' },
  { href: '/units', key: 'nav.units', match: (p) => p === '/units' || p.startsWith('/units/'), group: 'nav.data' },
  { href: '/catalog', key: 'nav.catalog', match: (p) => p === '/catalog' || p.startsWith('/catalog/') },
  { href: '/datasets', key: 'nav.datasets', match: (p) => p === '/datasets' || p.startsWith('/datasets/') || p.startsWith('/batches/') },
  { href: '/quality', key: 'nav.quality', match: (p) => p === '/quality' || p.startsWith('/quality/') },
  { href: '/link', key: 'nav.link', match: (p) => p === '/link' || p.startsWith('/link/') },
  { href: '/nq57', key: 'nav.tracker', match: (p) => p === '/nq57' || p.startsWith('/nq57/') },
  { href: '/account/tokens', key: 'nav.tokens', match: (p) => p === '/account/tokens' },
  { href: '/admin/users', key: 'nav.users', match: (p) => p === '/admin/users', roles: ['administrator'], group: 'nav.admin' },
  { href: '/admin/tokens', key: 'nav.allTokens', match: (p) => p === '/admin/tokens', roles: ['administrator'] },
  { href: '/audit', key: 'nav.audit', match: (p) => p === '/audit', roles: ['auditor', 'administrator'], group: 'nav.oversight' },
];

/** "14 phút" / "45 giây": how long the session has left. */
function duration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s >= 60 ? t('session.minutes', { n: Math.floor(s / 60) }) : t('session.seconds', { n: s });
}

export interface Shell {
  outlet: HTMLElement;
  setProvince(name: string): void;
  setActive(path: string): void;
  /** Re-renders the shell's own text in the current language. */
  relabel(): void;
}

let banner: HTMLElement;

export function createShell(root: HTMLElement): Shell {
  const product = h('span', { class: 'product', 'data-testid': 'product-name' });
  const province = h('span', { class: 'province', 'data-testid': 'province-name' });
  const brand = h('span', { class: 'brand-sub' });
  const langGroup = h('div', { class: 'lang-switch', role: 'group' });
  const sessionTime = h('span', { class: 'session-time', 'data-testid': 'session-time', role: 'timer', 'aria-live': 'off' });
  const live = h('span', { class: 'live-status', 'data-testid': 'live-status', role: 'status' });
  const userMenu = h('details', { class: 'user-menu', 'data-testid': 'user-menu' });
  const layout = h('div', { class: 'layout' });
  const navList = h('ul');
  const nav = h('nav', { class: 'sidenav' }, navList);
  const outlet = h('div', { class: 'outlet', 'data-testid': 'page' });
  banner = h('div', { class: 'banner-slot', 'aria-live': 'assertive' });
  const main = h('main', { id: 'main', tabindex: -1 }, banner, outlet);
  const skip = h('a', { class: 'skip-link', href: '#main' });
  const logo = h('img', { class: 'logo', src: '/favicon.svg', alt: '', width: 36, height: 36 });
  let active = location.pathname;
  let provinceName = '';

  mount(
    root,
    skip,
    h(
      'header',
      { class: 'topbar' },
      h('a', { class: 'brand', href: '/' }, logo, h('span', { class: 'brand-text' }, product, brand)),
      province,
      sessionTime,
      live,
      userMenu,
      langGroup,
    ),
    layout,
  );
  mount(layout, nav, main);

  function renderNav(): void {
    const me = currentUser();
    // Signed out, or an administrator who must enrol TOTP first: no navigation at all.
    const visible = me && !me.totp_enrollment_required ? navItems.filter((i) => !i.roles || hasRole(me, i.roles)) : [];
    nav.hidden = visible.length === 0;
    layout.classList.toggle('bare', nav.hidden);
    mount(
      navList,
      visible.flatMap((item) => [
        item.group && h('li', { class: 'nav-group', 'aria-hidden': 'true' }, t(item.group)),
        h(
          'li',
          {},
          h('a', { href: item.href, 'aria-current': item.match(active) ? 'page' : null, 'data-testid': `nav-${item.key.slice(4)}` }, t(item.key)),
        ),
      ]),
    );
  }

  function renderUser(): void {
    const me = currentUser();
    userMenu.hidden = !me;
    userMenu.open = false;
    if (!me) return mount(userMenu);
    const roles = me.roles.map((g) => (g.unit_name ? `${t(`role.${g.role}`)} · ${g.unit_name}` : t(`role.${g.role}`)));
    const action = (key: Key, testid: string, everywhere: boolean) =>
      h('button', { type: 'button', role: 'menuitem', 'data-testid': testid, onclick: () => void logout(everywhere).catch(showError) }, t(key));
    mount(
      userMenu,
      h('summary', { 'data-testid': 'user-name', 'aria-label': t('user.menu', { name: me.display_name || me.name }) }, me.display_name || me.name),
      h(
        'div',
        { class: 'menu', role: 'menu' },
        h('p', { class: 'menu-who' }, h('strong', {}, me.name), roles.map((r) => h('span', {}, r))),
        h('a', { href: '/account/password', role: 'menuitem', 'data-testid': 'menu-password' }, t('user.password')),
        h('a', { href: '/account/totp', role: 'menuitem', 'data-testid': 'menu-totp' }, t('user.totp')),
        h('a', { href: '/account/tokens', role: 'menuitem', 'data-testid': 'menu-tokens' }, t('nav.tokens')),
        action('user.logout', 'logout', false),
        action('user.logoutAll', 'logout-all', true),
      ),
    );
  }

  /** Whether the page gets live updates: shown while signed in. */
  function renderLive(): void {
    const state = liveState();
    live.hidden = !currentUser();
    live.dataset.state = state;
    live.textContent = t(`live.${state}`);
    live.title = t(`live.${state}Title`);
  }
  onLiveState(renderLive);

  function renderSessionTime(): void {
    const left = remainingMs();
    sessionTime.hidden = left == null;
    if (left == null) return;
    sessionTime.classList.toggle('ending', left < 60_000);
    sessionTime.textContent = left > 0 ? t('session.remaining', { time: duration(left) }) : t('session.ended');
    sessionTime.title = left > 0 ? t('session.until', { time: fmtDateTime(new Date(Date.now() + left).toISOString()) }) : '';
  }
  setInterval(renderSessionTime, 1000);
  onSessionChange(() => {
    renderNav();
    renderUser();
    renderSessionTime();
    renderLive();
  });

  function renderLang(): void {
    langGroup.setAttribute('aria-label', t('lang.label'));
    const button = (code: Lang, label: string) =>
      h(
        'button',
        {
          type: 'button',
          lang: code,
          title: t(`lang.${code}`),
          'aria-pressed': String(lang() === code),
          'data-testid': `lang-${code}`,
          onclick: () => setLang(code),
        },
        label,
      );
    mount(langGroup, button('vi', 'VI'), h('span', { 'aria-hidden': 'true' }, '|'), button('en', 'EN'));
  }

  const shell: Shell = {
    outlet,
    setProvince(name) {
      provinceName = name;
      province.textContent = provinceName;
    },
    setActive(path) {
      active = path;
      renderNav();
      userMenu.open = false;
    },
    relabel() {
      document.documentElement.lang = lang();
      product.textContent = t('app.product');
      brand.textContent = t('app.brand');
      skip.textContent = t('app.skip');
      nav.setAttribute('aria-label', t('nav.label'));
      renderNav();
      renderUser();
      renderSessionTime();
      renderLive();
      renderLang();
    },
  };
  shell.relabel();
  return shell;
}

/** A user-facing message for an error: the server's problem detail when there is one. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('error.network');
    if (err.code === 'bad_response') return t('error.badResponse');
    return err.detail || `HTTP ${err.status}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Shows the error banner above the page; it stays until dismissed or the next page loads. */
export function showError(err: unknown): void {
  const code = err instanceof ApiError ? err.code : undefined;
  const box = h(
    'div',
    { class: 'banner', role: 'alert', 'data-testid': 'error-banner', 'data-code': code },
    h('div', {}, h('strong', {}, t('error.title')), h('p', {}, errorMessage(err))),
    h('button', { type: 'button', class: 'banner-close', 'aria-label': t('error.dismiss'), onclick: () => clearError() }, '×'),
  );
  mount(banner, box);
}

export function clearError(): void {
  banner?.replaceChildren();
}
