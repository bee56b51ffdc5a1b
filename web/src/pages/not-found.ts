// Any path without a page: a not-found message inside the shell.

import { h, mount } from '../dom';
import { t } from '../i18n';
import { clearError } from '../shell';
import { titled } from '../page';
import type { RouteContext } from '../router';

export function notFoundPage(outlet: HTMLElement, { path }: RouteContext): void {
  clearError();
  mount(
    outlet,
    h(
      'div',
      { class: 'not-found', 'data-testid': 'not-found' },
      h('p', { class: 'big', 'aria-hidden': 'true' }, '404'),
      h('h1', {}, t('notFound.title')),
      h('p', {}, t('notFound.body', { path })),
      h('p', {}, h('a', { class: 'button', href: '/' }, t('notFound.home'))),
    ),
  );
  titled(outlet, t('notFound.title'));
}
