// "/login" — name and password, then the six-digit code when the account has TOTP. Afterwards
// back to the page the user wanted (?next=), or first to TOTP enrolment when that is required.
// Under the form, the way to the open data, which needs no sign-in.

import { api, ApiError } from '../api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDateTime, t, type Key } from '../i18n';
import { titled } from '../page';
import type { RouteContext } from '../router';
import { afterLogin, nextPath, setSession } from '../session';
import { clearError } from '../shell';

const messages: Record<string, Key> = {
  'auth.invalid_credentials': 'login.invalid',
  'auth.totp_invalid': 'login.totpInvalid',
  'auth.disabled': 'login.disabled',
  'auth.inactive': 'login.inactive',
  'request.rate_limited': 'login.rateLimited',
};

/** The message for a failed sign-in; a lockout says until when. */
function loginError(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.code === 'auth.locked') {
    // The time is a member of the problem, or else an ISO instant in its detail.
    const until = typeof err.problem.locked_until === 'string' ? err.problem.locked_until : /\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(err.detail)?.[0];
    return until ? t('login.lockedUntil', { time: fmtDateTime(until) }) : `${t('login.locked')} ${err.detail}`.trim();
  }
  const key = messages[err.code];
  return key && t(key);
}

export function loginPage(outlet: HTMLElement, _ctx: RouteContext): void {
  clearError();
  const params = new URLSearchParams(location.search);
  const next = nextPath(params.get('next'));
  const notice = params.has('expired') ? t('login.expired') : params.has('signed_out') ? t('login.signedOut') : '';

  const name = input('login-name', { autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = input('login-password', { type: 'password', autocomplete: 'current-password', required: true });
  const code = input('login-totp', {
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxlength: 6,
    required: true,
  });
  const message = formMessage('login-error');
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'login-submit' });
  const credentials = h('div', { class: 'stack' }, field(t('login.name'), name), field(t('login.password'), password));
  const second = h(
    'div',
    { class: 'stack', hidden: true, 'data-testid': 'totp-step' },
    h('p', {}, t('login.totpLead')),
    field(t('login.totp'), code),
    h('button', { type: 'button', class: 'link-button', onclick: () => step(false) }, t('login.back')),
  );

  function step(totp: boolean): void {
    credentials.hidden = totp;
    second.hidden = !totp;
    code.disabled = !totp;
    code.value = '';
    submit.textContent = t(totp ? 'login.verify' : 'login.submit');
    (totp ? code : password).focus();
  }

  const form = h(
    'form',
    {
      class: 'card auth-card',
      'data-testid': 'login-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void busy(submit, async () => {
          message.clear();
          try {
            const res = await api.login({ name: name.value.trim(), password: password.value, ...(second.hidden ? {} : { totp: code.value.trim() }) });
            setSession({ ...res.account, csrf_token: res.csrf_token, totp_enrollment_required: res.totp_enrollment_required });
            afterLogin(next);
          } catch (err) {
            if (err instanceof ApiError && err.code === 'auth.totp_required') return step(true);
            if (err instanceof ApiError && err.code === 'auth.totp_invalid') code.select();
            message.error(err, loginError(err));
          }
        });
      },
    },
    h('h1', {}, t('login.title')),
    h('p', { class: 'muted' }, t('login.lead')),
    notice && h('p', { class: 'notice', role: 'status', 'data-testid': 'login-notice' }, notice),
    credentials,
    second,
    message.el,
    submit,
  );
  // The open data is for anyone: no sign-in needed.
  const open = h('p', { class: 'auth-aside' }, h('a', { href: '/open', 'data-testid': 'login-open-data' }, t('login.openData')), ' · ', h('span', { class: 'muted' }, t('login.openDataLead')));
  mount(outlet, h('div', { class: 'auth-page' }, form, open));
  step(false);
  titled(outlet, t('login.title'));
  name.focus();
}
