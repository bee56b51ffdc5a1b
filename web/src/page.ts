// Shared page scaffolding: title, loading state, error handling.

import { h, mount } from './dom';
import { t } from './i18n';
import { ApiError } from './api';
import { clearError, showError } from './shell';

let firstRender = true;

/** Sets the document title and moves focus to the page heading after in-app navigation. */
export function titled(outlet: HTMLElement, title: string): void {
  document.title = `${title} · ${t('app.product')}`;
  const heading = outlet.querySelector<HTMLElement>('h1');
  if (heading && !firstRender) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
  firstRender = false;
}

/** The heading block every page opens with: its title and, when given, one line on what it shows. */
export function pageHead(title: string, lead?: string): HTMLElement {
  return h('div', { class: 'page-head' }, h('h1', {}, title), lead ? h('p', { class: 'lead' }, lead) : null);
}

/**
 * Shows a loading state, awaits `load`, then hands its result to `render`.
 * Errors go to the banner and leave a retry button in the page; results that arrive after
 * the page was left are dropped.
 */
export async function loadPage<T>(
  outlet: HTMLElement,
  signal: AbortSignal,
  load: () => Promise<T>,
  render: (data: T) => void,
): Promise<void> {
  clearError();
  outlet.setAttribute('aria-busy', 'true');
  mount(outlet, h('p', { class: 'loading', 'data-testid': 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('state.loading')));
  try {
    const data = await load();
    if (signal.aborted) return;
    outlet.removeAttribute('aria-busy');
    render(data);
  } catch (err) {
    if (signal.aborted) return;
    outlet.removeAttribute('aria-busy');
    showError(err);
    // The banner carries the server's detail; the page itself offers a way on.
    const notFound = err instanceof ApiError && err.status === 404;
    const title = t(notFound ? 'error.notFound' : 'error.title');
    mount(
      outlet,
      h(
        'div',
        { class: 'error-state', 'data-testid': 'error-state' },
        h('h1', {}, title),
        notFound
          ? h('p', {}, h('a', { class: 'button', href: '/units' }, t('unit.back')))
          : h('p', {}, h('button', { type: 'button', class: 'button', onclick: () => void loadPage(outlet, signal, load, render) }, t('error.retry'))),
      ),
    );
    titled(outlet, title);
  }
}
