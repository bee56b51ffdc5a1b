// "/account/totp" — two-factor sign-in with an authenticator app: a QR code of the otpauth URI
// (drawn here, nothing fetched), the secret for typing in by hand, and a code to confirm.
// Administrators who have not enrolled are sent here and cannot use other pages until done.

import qrcode from 'qrcode-generator';
import { api, ApiError } from '../api';
import { h, mount } from '../dom';
import { busy, copyButton, field, formMessage, input } from '../forms';
import { t } from '../i18n';
import { titled, pageHead } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser, nextPath, setSession } from '../session';
import { clearError, showError } from '../shell';

const svgNs = 'http://www.w3.org/2000/svg';

/** The QR code of `text` as an SVG: one path of dark modules, with a quiet zone of 4. */
function qrSvg(text: string, label: string): SVGSVGElement {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (qr.isDark(y, x)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n + 8} ${n + 8}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(svgNs, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

// An enrolment not confirmed yet survives re-rendering (e.g. a language switch), so the QR code
// already scanned stays valid.
let pending: { name: string; secret: string; otpauth_uri: string } | null = null;

export function totpPage(outlet: HTMLElement, { signal }: RouteContext): void {
  clearError();
  const me = currentUser()!;
  const next = nextPath(new URLSearchParams(location.search).get('next'));
  const required = me.totp_enrollment_required;
  const body = h('div', { class: 'stack' });
  const start = h('button', { type: 'button', class: 'button', 'data-testid': 'totp-start' }, t(me.totp_enrolled ? 'totp.restart' : 'totp.start'));
  start.addEventListener('click', () => void busy(start, enrol));

  mount(
    outlet,
    pageHead(t('totp.title'), t('totp.lead')),
    required && h('p', { class: 'notice', role: 'status', 'data-testid': 'totp-required' }, t('totp.required')),
    h('section', { class: 'card panel narrow', 'data-testid': 'totp-panel' }, body),
  );
  titled(outlet, t('totp.title'));

  async function enrol(): Promise<void> {
    try {
      if (pending?.name !== me.name) pending = { name: me.name, ...(await api.totpEnroll()) };
      if (!signal.aborted) renderEnrolment(pending.secret, pending.otpauth_uri);
    } catch (err) {
      showError(err);
    }
  }

  function renderEnrolment(secret: string, uri: string): void {
    const code = input('totp-code', { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true });
    const message = formMessage('totp-message');
    const confirm = h('button', { type: 'submit', class: 'button', 'data-testid': 'totp-confirm' }, t('totp.confirm'));
    const grouped = secret.replace(/(.{4})(?=.)/g, '$1 ');
    mount(
      body,
      h('ol', { class: 'steps' }, h('li', {}, t('totp.step1')), h('li', {}, t('totp.step2')), h('li', {}, t('totp.step3'))),
      h(
        'div',
        { class: 'totp-setup' },
        h('figure', { class: 'qr', 'data-testid': 'totp-qr' }, qrSvg(uri, t('totp.qr'))),
        h(
          'div',
          { class: 'stack' },
          h('p', { class: 'muted' }, t('totp.manual')),
          h('p', {}, h('code', { class: 'secret', 'data-testid': 'totp-secret', 'data-secret': secret }, grouped)),
          h('p', {}, copyButton(() => secret, 'totp-copy')),
        ),
      ),
      h(
        'form',
        {
          class: 'stack',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void busy(confirm, async () => {
              message.clear();
              try {
                setSession(await api.totpConfirm(code.value.trim()));
                pending = null;
                message.ok(t('totp.done'));
                go(required ? next : '/account/totp?done=1', { replace: required });
              } catch (err) {
                message.error(err, err instanceof ApiError && err.code === 'auth.totp_invalid' ? t('login.totpInvalid') : undefined);
                code.select();
              }
            });
          },
        },
        field(t('login.totp'), code, t('totp.codeHint')),
        message.el,
        h('p', {}, confirm),
      ),
    );
    code.focus();
  }

  if (me.totp_enrolled && !required) {
    const done = new URLSearchParams(location.search).has('done');
    mount(
      body,
      h('p', { class: done ? 'notice ok' : '', role: 'status', 'data-testid': 'totp-enrolled' }, t(done ? 'totp.done' : 'totp.enrolled')),
      h('p', { class: 'muted' }, t('totp.restartLead')),
      h('p', {}, start),
    );
  } else {
    void busy(start, enrol);
  }
}
