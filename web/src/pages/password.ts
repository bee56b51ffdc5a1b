// "/account/password" — change one's own password (the server's policy: at least 14 characters,
// or 8 with TOTP).

import { api, ApiError } from '../api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { t } from '../i18n';
import { titled, pageHead } from '../page';
import type { RouteContext } from '../router';
import { currentUser } from '../session';
import { clearError } from '../shell';

export function passwordPage(outlet: HTMLElement, _ctx: RouteContext): void {
  clearError();
  const current = input('pw-current', { type: 'password', autocomplete: 'current-password', required: true });
  const next = input('pw-new', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const repeat = input('pw-repeat', { type: 'password', autocomplete: 'new-password', required: true });
  const message = formMessage('password-message');
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'password-submit' }, t('password.submit'));
  const policy = t(currentUser()?.totp_enrolled ? 'password.policyTotp' : 'password.policy');

  const form = h(
    'form',
    {
      class: 'card panel narrow stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (next.value !== repeat.value) return message.error(null, t('password.mismatch'));
        void busy(submit, async () => {
          message.clear();
          try {
            await api.changePassword(current.value, next.value);
            form.reset();
            message.ok(t('password.done'));
          } catch (err) {
            const wrong = err instanceof ApiError && err.code === 'auth.invalid_credentials';
            message.error(err, wrong ? t('password.wrong') : undefined);
          }
        });
      },
    },
    field(t('password.current'), current),
    field(t('password.new'), next, policy),
    field(t('password.repeat'), repeat),
    message.el,
    h('p', {}, submit),
  );
  mount(outlet, pageHead(t('password.title')), form);
  titled(outlet, t('password.title'));
}
