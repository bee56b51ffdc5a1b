// The IOC shell: header with product and province, the app's one as-of date (chosen here, kept in
// the address), session time, live-update status, user menu, language switch, navigation (only
// what the account's roles may use; a menu button opens it on narrow screens), error banner, and
// the lines that only print: the date and the source of what is printed.

import { h, mount } from './dom';
import { fmtDate, fmtDateTime, lang, setLang, t, type Key, type Lang } from './i18n';
import { ApiError, type Role } from './api';
import { addressAsOf, currentAsOf, defaultAsOf, isoDate, plausible, serverToday, withAsOf } from './as-of';
import { go } from './router';
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
  { href: '/reports', key: 'nav.reports', match: (p) => p === '/reports' || p.startsWith('/reports/') },
  { href: '/account/tokens', key: 'nav.tokens', match: (p) => p === '/account/tokens' },
  { href: '/admin/users', key: 'nav.users', match: (p) => p === '/admin/users', roles: ['administrator'], group: 'nav.admin' },
  { href: '/admin/tokens', key: 'nav.allTokens', match: (p) => p === '/admin/tokens', roles: ['administrator'] },
  { href: '/admin/share', key: 'nav.shareClients', match: (p) => p === '/admin/share' || p.startsWith('/admin/share/'), roles: ['administrator'] },
  { href: '/audit', key: 'nav.audit', match: (p) => p === '/audit', roles: ['auditor', 'administrator'], group: 'nav.oversight' },
  { href: '/share/exchanges', key: 'nav.exchanges', match: (p) => p === '/share/exchanges', roles: ['administrator', 'officer'] },
  { href: '/open', key: 'nav.open', match: (p) => p === '/open' || p.startsWith('/open/'), group: 'nav.public' },
];

/** The group each item belongs to: the last one started at or before it. */
const groupOf = new Map<NavItem, Key | undefined>();
navItems.reduce<Key | undefined>((group, item) => {
  const g = item.group ?? group;
  groupOf.set(item, g);
  return g;
}, undefined);

/** "14 phút" / "45 giây": how long the session has left. */
function duration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s >= 60 ? t('session.minutes', { n: Math.floor(s / 60) }) : t('session.seconds', { n: s });
}

export interface Shell {
  outlet: HTMLElement;
  /** The province's name ("Tỉnh Tây Ninh") and short name ("Tây Ninh", for the source line). */
  setProvince(name: string, shortName?: string): void;
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
  const asOfMenu = h('details', { class: 'asof-menu', 'data-testid': 'asof-menu' });
  const layout = h('div', { class: 'layout' });
  const navList = h('ul');
  const nav = h('nav', { class: 'sidenav', id: 'sidenav', 'data-testid': 'sidenav' }, navList);
  const navToggle = h('button', { type: 'button', class: 'nav-toggle', 'aria-controls': 'sidenav', 'aria-expanded': 'false', 'data-testid': 'nav-toggle' });
  const outlet = h('div', { class: 'outlet', 'data-testid': 'page' });
  banner = h('div', { class: 'banner-slot', 'aria-live': 'assertive' });
  const printHead = h('div', { class: 'print-head', 'data-testid': 'print-head' });
  const printStyle = h('style', { media: 'print' });
  const main = h('main', { id: 'main', tabindex: -1 }, printHead, banner, outlet);
  const skip = h('a', { class: 'skip-link', href: '#main' });
  const logo = h('img', { class: 'logo', src: '/favicon.svg', alt: '', width: 36, height: 36 });
  let active = location.pathname;
  let provinceName = '';
  let provinceShort = '';
  document.head.append(printStyle);

  mount(
    root,
    skip,
    h(
      'header',
      { class: 'topbar' },
      h('a', { class: 'brand', href: '/' }, logo, h('span', { class: 'brand-text' }, product, brand)),
      province,
      asOfMenu,
      sessionTime,
      live,
      userMenu,
      langGroup,
      navToggle,
    ),
    layout,
  );
  mount(layout, nav, main);

  function renderNav(): void {
    const me = currentUser();
    // Signed out, or an administrator who must enrol TOTP first: no navigation at all.
    const visible = me && !me.totp_enrollment_required ? navItems.filter((i) => !i.roles || hasRole(me, i.roles)) : [];
    nav.hidden = visible.length === 0;
    navToggle.hidden = nav.hidden;
    layout.classList.toggle('bare', nav.hidden);
    // A group's title goes before the first of its items the account sees (an officer sees the
    // exchange log without the audit log that opens its group).
    mount(
      navList,
      visible.flatMap((item, i) => [
        groupOf.get(item) && groupOf.get(item) !== groupOf.get(visible[i - 1]) && h('li', { class: 'nav-group', 'aria-hidden': 'true' }, t(groupOf.get(item)!)),
        h(
          'li',
          {},
          // The links carry the app's as-of date, so a link opened in a new tab shows the same date.
          h('a', { href: withAsOf(item.href), 'aria-current': item.match(active) ? 'page' : null, 'data-testid': `nav-${item.key.slice(4)}` }, t(item.key)),
        ),
      ]),
    );
  }

  /** Narrow screens: the navigation is behind the menu button (styles.css hides it until opened). */
  function setNavOpen(open: boolean): void {
    nav.classList.toggle('open', open);
    navToggle.setAttribute('aria-expanded', String(open));
    navToggle.setAttribute('aria-label', t(open ? 'nav.menuClose' : 'nav.menuOpen'));
  }
  navToggle.addEventListener('click', () => setNavOpen(!nav.classList.contains('open')));
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    if (nav.classList.contains('open')) {
      setNavOpen(false);
      navToggle.focus();
    }
    if (asOfMenu.open) {
      asOfMenu.open = false;
      asOfMenu.querySelector('summary')?.focus();
    }
  });
  // The date's box closes when the reader clicks elsewhere.
  document.addEventListener('click', (e) => {
    if (asOfMenu.open && !asOfMenu.contains(e.target as Node)) asOfMenu.open = false;
  });

  /**
   * The app's as-of date: shown the reader's way in the header; opening it offers a date field
   * that moves the whole app (the address's ?as_of=) to another date, and the ways back to the
   * IOC's date and to today (reports and changes are made today).
   */
  function renderAsOf(): void {
    asOfMenu.hidden = !currentUser();
    if (asOfMenu.hidden) return mount(asOfMenu);
    const date = currentAsOf();
    const input = h('input', { id: 'asof-input', name: 'as_of', type: 'date', value: date, min: '2000-01-01', max: '2100-12-31', required: true, 'data-testid': 'asof-input' });
    const choose = (next: string) => {
      if (!isoDate.test(next) || !plausible(next)) return;
      asOfMenu.open = false;
      if (next !== date || !new URLSearchParams(location.search).has('as_of')) go(addressAsOf(next));
    };
    const ioc = defaultAsOf();
    const today = serverToday();
    mount(
      asOfMenu,
      h(
        'summary',
        { 'data-testid': 'asof-summary', 'aria-label': t('asOf.summary', { date: fmtDate(date) }) },
        h('span', { class: 'asof-label' }, t('asOf.label')),
        ' ',
        h('strong', { 'data-testid': 'asof-date', 'data-date': date }, fmtDate(date)),
      ),
      h(
        'form',
        {
          class: 'menu asof-form',
          onsubmit: (e: Event) => {
            e.preventDefault();
            choose(input.value);
          },
        },
        h('label', { for: 'asof-input' }, t('asOf.choose')),
        input,
        h('p', { class: 'muted small' }, t('asOf.hint')),
        h(
          'p',
          { class: 'asof-actions' },
          h('button', { type: 'submit', class: 'button button-small', 'data-testid': 'asof-apply' }, t('asOf.apply')),
          date !== ioc && h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': 'asof-reset', onclick: () => choose(ioc) }, t('asOf.reset', { date: fmtDate(ioc) })),
          date !== today && today !== ioc && h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': 'asof-today', onclick: () => choose(today) }, t('asOf.today', { date: fmtDate(today) })),
        ),
      ),
    );
  }

  /** What only print shows: the product and province, the as-of date, the source and the address. */
  function renderPrint(): void {
    const date = currentAsOf();
    const source = t('print.source', { province: provinceShort || provinceName });
    mount(
      printHead,
      h('p', { class: 'print-title' }, t('app.product'), provinceName && ` · ${provinceName}`),
      h('p', { 'data-testid': 'print-asof' }, h('strong', {}, t('print.asOf', { date: fmtDate(date) }))),
      h('p', { 'data-testid': 'print-source' }, source, ' · ', h('span', { class: 'print-url' }, location.href)),
      h('p', { class: 'print-time' }, t('print.printed', { time: fmtDateTime(new Date().toISOString()) })),
    );
    // Every printed page's foot: the source and the date, and the page number.
    const css = (text: string) => `"${text.replace(/["\\]/g, '\\$&').replace(/\n/g, ' ')}"`;
    printStyle.textContent =
      `@page { @bottom-left { content: ${css(`${source} · ${t('print.asOf', { date: fmtDate(date) })}`)}; font-size: 8pt; color: #5b6b7c; } ` +
      `@bottom-right { content: ${css(t('print.page'))} " " counter(page) "/" counter(pages); font-size: 8pt; color: #5b6b7c; } }`;
  }
  window.addEventListener('beforeprint', renderPrint);

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
    renderAsOf();
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
    setProvince(name, shortName) {
      provinceName = name;
      provinceShort = shortName ?? '';
      province.textContent = provinceName;
      renderPrint();
    },
    setActive(path) {
      active = path;
      renderNav();
      renderAsOf();
      renderPrint();
      setNavOpen(false);
      userMenu.open = false;
    },
    relabel() {
      document.documentElement.lang = lang();
      product.textContent = t('app.product');
      brand.textContent = t('app.brand');
      skip.textContent = t('app.skip');
      nav.setAttribute('aria-label', t('nav.label'));
      renderNav();
      setNavOpen(nav.classList.contains('open'));
      navToggle.replaceChildren(h('span', { class: 'nav-toggle-icon', 'aria-hidden': 'true' }, '☰'), ' ', t('nav.menu'));
      renderAsOf();
      renderPrint();
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
