// A page the account's roles do not allow: a message inside the shell.

import { h, mount } from '../dom';
import { t } from '../i18n';
import { titled } from '../page';
import { clearError } from '../shell';

export function forbiddenPage(outlet: HTMLElement): void {
  clearError();
  mount(
    outlet,
    h(
      'div',
      { class: 'not-found', 'data-testid': 'forbidden' },
      h('p', { class: 'big', 'aria-hidden': 'true' }, '403'),
      h('h1', {}, t('forbidden.title')),
      h('p', {}, t('forbidden.body')),
      h('p', {}, h('a', { class: 'button', href: '/' }, t('notFound.home'))),
    ),
  );
  titled(outlet, t('forbidden.title'));
}
