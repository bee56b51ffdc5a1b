// "/account/tokens" (everyone: their own API tokens) and "/admin/tokens" (administrators: all
// tokens). Create a token with a name, lifetime, permissions and units — its secret is shown
// once, with a copy button — and revoke tokens. The administrators' page explains the display
// token of the operations centre's screen (/wall): read permissions only, filled in by a button;
// a token that only reads is shown with the display's address.

import { api, type Token } from '../api';
import { h, mount } from '../dom';
import { busy, copyButton, field, formMessage, input } from '../forms';
import { fmtDateTime, fmtInt, t } from '../i18n';
import { loadPage, titled, pageHead } from '../page';
import type { RouteContext } from '../router';
import { showError } from '../shell';
import { unitPicker } from '../unit-picker';
import { wallAddress } from './wall';

const lifetimes = [7, 30, 90, 180, 365];
// Permissions a token can be narrowed to; none chosen means all of the account's.
const permissions = [
  'units.read',
  'units.read_private',
  'units.write',
  'catalog.read',
  'catalog.write',
  'indicators.read',
  'tracker.read',
  'datasets.read',
  'reports.read',
  'audit.read',
  'users.admin',
];
/** What the display (/wall) reads: the IOC's pages, nothing private, nothing written. */
const displayPermissions = ['units.read', 'catalog.read', 'indicators.read', 'tracker.read', 'datasets.read', 'reports.read'];
const displayLifetime = 365;

export const myTokensPage = (outlet: HTMLElement, ctx: RouteContext) => tokensPage(outlet, ctx, false);
export const allTokensPage = (outlet: HTMLElement, ctx: RouteContext) => tokensPage(outlet, ctx, true);

async function tokensPage(outlet: HTMLElement, { signal }: RouteContext, all: boolean): Promise<void> {
  await loadPage(outlet, signal, () => api.tokens(all), ({ items }) => render(outlet, signal, items, all));
}

function tokenState(tk: Token) {
  if (tk.revoked_at) return h('span', { class: 'badge badge-old' }, t('tokens.revoked'));
  if (!tk.active) return h('span', { class: 'badge badge-muted' }, t('tokens.expired'));
  return h('span', { class: 'badge badge-whole' }, t('tokens.active'));
}

function render(outlet: HTMLElement, signal: AbortSignal, items: Token[], all: boolean): void {
  const tbody = h('tbody');
  const reload = async () => {
    const { items: fresh } = await api.tokens(all);
    if (!signal.aborted) renderRows(fresh);
  };
  const title = t(all ? 'tokens.allTitle' : 'tokens.title');

  function renderRows(list: Token[]): void {
    const cols = all ? 9 : 8;
    mount(
      tbody,
      list.length === 0 && h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('tokens.none'))),
      list.map((tk) => {
        const revoke = h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': 'token-revoke' }, t('tokens.revoke'));
        revoke.addEventListener('click', () => void busy(revoke, () => api.revokeToken(tk.id).then(reload).catch(showError)));
        return h(
          'tr',
          { 'data-testid': 'token-row', 'data-id': tk.id },
          h('th', { scope: 'row' }, tk.name, h('br'), h('code', { class: 'muted' }, `${tk.prefix}…`)),
          all && h('td', {}, tk.account),
          h('td', {}, tk.permissions.length ? tk.permissions.join(', ') : t('tokens.allPermissions')),
          h('td', {}, tk.units.length ? tk.units.join(', ') : t('tokens.allUnits')),
          h('td', {}, fmtDateTime(tk.created_at)),
          h('td', {}, fmtDateTime(tk.expires_at)),
          h('td', {}, tk.last_used_at ? fmtDateTime(tk.last_used_at) : t('tokens.never')),
          h('td', {}, tokenState(tk)),
          h('td', { class: 'actions' }, tk.active && !tk.revoked_at && revoke),
        );
      }),
    );
  }

  const head = [t('tokens.name'), all && t('tokens.account'), t('tokens.permissions'), t('tokens.units'), t('tokens.created'), t('tokens.expires'), t('tokens.lastUsed'), t('tokens.state'), t('users.actions')];
  mount(
    outlet,
    pageHead(title, t(all ? 'tokens.allLead' : 'tokens.lead')),
    all && displayHelp(),
    createForm(reload, all),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data', 'data-testid': 'token-table' },
        h('caption', { class: 'visually-hidden' }, title),
        h('thead', {}, h('tr', {}, head.filter(Boolean).map((c) => h('th', { scope: 'col' }, c as string)))),
        tbody,
      ),
    ),
  );
  renderRows(items);
  titled(outlet, title);
}

/** How to make the token of the operations centre's display, and what it may do. */
function displayHelp(): HTMLElement {
  return h(
    'section',
    { class: 'card panel stack', 'aria-labelledby': 'token-display-h', 'data-testid': 'token-display-help' },
    h('h2', { id: 'token-display-h' }, t('tokens.display.title')),
    h('p', {}, t('tokens.display.lead')),
    h(
      'ol',
      { class: 'steps' },
      h('li', {}, t('tokens.display.step1')),
      h('li', {}, t('tokens.display.step2', { permissions: displayPermissions.join(', ') })),
      h('li', {}, t('tokens.display.step3'), ' ', h('code', {}, `${location.origin}/wall#token=…`)),
      h('li', {}, t('tokens.display.step4')),
    ),
    h('p', { class: 'muted small' }, t('tokens.display.note')),
  );
}

function createForm(reload: () => Promise<void>, all: boolean): HTMLElement {
  const name = input('token-name', { required: true, maxlength: 100, autocomplete: 'off', placeholder: t('tokens.namePlaceholder') });
  const lifetime = h(
    'select',
    { id: 'token-lifetime', 'data-testid': 'token-lifetime' },
    lifetimes.map((d) => h('option', { value: d, selected: d === 90 }, t('tokens.days', { n: fmtInt(d) }))),
  );
  const checks = permissions.map((p) => h('input', { type: 'checkbox', value: p, name: 'permission' }));
  const units = unitPicker(t('tokens.units'), { multiple: true, hint: t('tokens.unitsHint') });
  const message = formMessage('token-message');
  const secret = h('div', { 'data-testid': 'token-secret-box' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'token-create' }, t('tokens.create'));
  // The display's token in one press: a name, a year, the read permissions only.
  const preset = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'token-display-preset' }, t('tokens.display.preset'));
  preset.addEventListener('click', () => {
    if (!name.value.trim()) name.value = t('tokens.display.name');
    lifetime.value = String(displayLifetime);
    for (const c of checks) c.checked = displayPermissions.includes(c.value);
    name.focus();
  });

  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void busy(submit, async () => {
          message.clear();
          try {
            const created = await api.createToken({
              name: name.value.trim(),
              expires_in_days: Number(lifetime.value),
              permissions: checks.filter((c) => c.checked).map((c) => c.value),
              units: units.values(),
            });
            const readOnly = created.permissions.length > 0 && created.permissions.every((p) => p.endsWith('.read'));
            form.reset();
            units.clear();
            showSecret(secret, created.token, readOnly);
            await reload();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    all && h('p', {}, preset),
    h('div', { class: 'form-grid' }, field(t('tokens.name'), name), field(t('tokens.lifetime'), lifetime)),
    h(
      'fieldset',
      { class: 'checks' },
      h('legend', {}, t('tokens.permissions')),
      h('p', { class: 'hint' }, t('tokens.permissionsHint')),
      checks.map((c) => h('label', { class: 'check' }, c, h('code', {}, c.value))),
    ),
    units.el,
    message.el,
    h('p', {}, submit),
  );
  return h('section', { class: 'card panel', 'aria-labelledby': 'token-new-h' }, h('h2', { id: 'token-new-h' }, t('tokens.new')), secret, form);
}

/** The new token's secret, shown this once (with the display's address for a token that only reads). */
function showSecret(box: HTMLElement, token: string, readOnly: boolean): void {
  const value = h('input', { id: 'token-secret', class: 'secret-input', readonly: true, value: token, 'data-testid': 'token-secret', spellcheck: 'false' });
  mount(
    box,
    h(
      'div',
      { class: 'notice warn', role: 'alert' },
      h('p', {}, h('strong', {}, t('tokens.onceTitle')), ' ', t('tokens.once')),
      h('div', { class: 'copy-row' }, h('label', { for: 'token-secret', class: 'visually-hidden' }, t('tokens.secret')), value, copyButton(() => token, 'token-copy')),
      readOnly && [
        h('p', {}, t('tokens.display.address')),
        h(
          'div',
          { class: 'copy-row' },
          h('label', { for: 'token-wall', class: 'visually-hidden' }, t('tokens.display.addressLabel')),
          h('input', { id: 'token-wall', class: 'secret-input', readonly: true, value: wallAddress(token), 'data-testid': 'token-wall-address', spellcheck: 'false' }),
          copyButton(() => wallAddress(token), 'token-wall-copy'),
        ),
      ],
      h('button', { type: 'button', class: 'link-button', onclick: () => box.replaceChildren() }, t('tokens.dismiss')),
    ),
  );
  value.select();
}
