// The IOC shell: header with product and province, language switch, navigation, error banner.

import { h, mount } from './dom';
import { lang, setLang, t, type Key, type Lang } from './i18n';
import { ApiError } from './api';

const navItems: { href: string; key: Key; match: (path: string) => boolean }[] = [
  { href: '/', key: 'nav.overview', match: (p) => p === '/' },
  { href: '/units', key: 'nav.units', match: (p) => p === '/units' || p.startsWith('/units/') },
];

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
      langGroup,
    ),
    h('div', { class: 'layout' }, nav, main),
  );

  function renderNav(): void {
    mount(
      navList,
      navItems.map((item) =>
        h(
          'li',
          {},
          h('a', { href: item.href, 'aria-current': item.match(active) ? 'page' : null, 'data-testid': `nav-${item.key.slice(4)}` }, t(item.key)),
        ),
      ),
    );
  }

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
    },
    relabel() {
      document.documentElement.lang = lang();
      product.textContent = t('app.product');
      brand.textContent = t('app.brand');
      skip.textContent = t('app.skip');
      nav.setAttribute('aria-label', t('nav.label'));
      renderNav();
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
