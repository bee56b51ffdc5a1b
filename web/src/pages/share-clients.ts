// "/admin/share" (administrators) — the connected systems that read (or write) the province's
// data through the API: each with its owner unit, contact, the system account whose tokens it
// uses, the addresses it may call from and its state; suspend, revoke, reactivate; register a
// new one. A system's page holds its grants and subscriptions.

import { api, type Account } from '../api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDateTime, t } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { showError } from '../shell';
import { exchangesHref, shareApi, shareClientHref, type ClientState, type ShareClient } from '../share-api';
import { unitPicker } from '../unit-picker';
import { unitLink } from '../units';
import { clientStateBadge } from './share-common';

export async function shareClientsPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      const [clients, users] = await Promise.all([shareApi.clients(), api.users().catch(() => ({ items: [] as Account[] }))]);
      return { clients: clients.items, accounts: users.items };
    },
    ({ clients, accounts }) => render(outlet, signal, clients, accounts),
  );
}

/** The state changes a system in `state` can take, as the buttons name them. */
const moves: Record<ClientState, { to: ClientState; key: 'share.suspend' | 'share.revoke' | 'share.reactivate' }[]> = {
  active: [
    { to: 'suspended', key: 'share.suspend' },
    { to: 'revoked', key: 'share.revoke' },
  ],
  suspended: [
    { to: 'active', key: 'share.reactivate' },
    { to: 'revoked', key: 'share.revoke' },
  ],
  revoked: [{ to: 'active', key: 'share.reactivate' }],
};

function render(outlet: HTMLElement, signal: AbortSignal, items: ShareClient[], accounts: Account[]): void {
  const tbody = h('tbody');
  const reload = async () => {
    const { items: fresh } = await shareApi.clients();
    if (!signal.aborted) renderRows(fresh);
  };

  function actions(c: ShareClient) {
    return moves[c.state].map(({ to, key }) => {
      const b = h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': `client-${to}` }, t(key));
      b.addEventListener('click', () => {
        // Revoking ends every read at once: asked first.
        if (to === 'revoked' && !confirm(t('share.revokeConfirm', { name: c.name }))) return;
        void busy(b, () => shareApi.setClientState(c.code, to).then(reload).catch(showError));
      });
      return b;
    });
  }

  function renderRows(list: ShareClient[]): void {
    mount(
      tbody,
      list.length === 0 && h('tr', {}, h('td', { colspan: 7, class: 'empty' }, t('share.clientsNone'))),
      list.map((c) =>
        h(
          'tr',
          { 'data-testid': 'client-row', 'data-code': c.code },
          h('th', { scope: 'row' }, h('a', { href: shareClientHref(c.code), 'data-testid': 'client-link' }, c.name), h('br'), h('code', { class: 'muted' }, c.code)),
          h('td', {}, c.owner_unit ? unitLink(c.owner_unit) : t('state.none')),
          h('td', {}, c.contact || t('state.none')),
          h('td', {}, h('code', {}, c.account)),
          h('td', { class: 'small' }, c.ip_allow.length ? c.ip_allow.join(', ') : t('share.anyAddress')),
          h('td', {}, clientStateBadge(c.state), h('br'), h('span', { class: 'muted small' }, t('share.createdBy', { time: fmtDateTime(c.created_at), by: c.created_by }))),
          h('td', { class: 'actions' }, actions(c)),
        ),
      ),
    );
  }

  const title = t('share.clientsTitle');
  mount(
    outlet,
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h('div', {}, h('h1', {}, title), h('p', { class: 'lead' }, t('share.clientsLead'))),
      h('p', { class: 'page-actions' }, h('a', { class: 'button button-secondary', href: exchangesHref(), 'data-testid': 'share-exchanges-link' }, t('nav.exchanges'))),
    ),
    registerForm(accounts, reload),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data', 'data-testid': 'client-table' },
        h('caption', { class: 'visually-hidden' }, title),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('share.client'), t('share.ownerUnit'), t('share.contact'), t('share.account'), t('share.ipAllow'), t('share.stateCol'), t('users.actions')].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        tbody,
      ),
    ),
  );
  renderRows(items);
  titled(outlet, title);
}

function registerForm(accounts: Account[], reload: () => Promise<void>): HTMLElement {
  const code = input('client-code', { required: true, pattern: '[A-Za-z0-9._\\-]{2,64}', autocomplete: 'off', autocapitalize: 'none', 'data-testid': 'client-code' });
  const name = input('client-name', { required: true, autocomplete: 'off', 'data-testid': 'client-name' });
  const contact = input('client-contact', { required: true, autocomplete: 'off', placeholder: t('share.contactPlaceholder'), 'data-testid': 'client-contact' });
  const account = input('client-account', { required: true, autocomplete: 'off', autocapitalize: 'none', list: 'client-accounts', 'data-testid': 'client-account' });
  const ipAllow = h('textarea', { id: 'client-ip', name: 'client-ip', rows: 2, placeholder: '10.0.0.0/24', 'data-testid': 'client-ip' });
  const cert = input('client-cert', { autocomplete: 'off', autocapitalize: 'none', pattern: '[0-9A-Fa-f: ]{64,95}', 'data-testid': 'client-cert' });
  const owner = unitPicker(t('share.ownerUnit'), { hint: t('share.ownerUnitHint') });
  // System accounts first: a connected system reads with a system account's tokens.
  const sorted = [...accounts].sort((a, b) => Number(b.system) - Number(a.system) || a.name.localeCompare(b.name));
  const message = formMessage('client-message');
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'client-create' }, t('share.register'));

  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const unit = owner.values()[0] ?? '';
        if (!unit) return message.error(null, t('share.ownerUnitNeeded'));
        void busy(submit, async () => {
          message.clear();
          try {
            const created = await shareApi.addClient({
              code: code.value.trim(),
              name: name.value.trim().normalize('NFC'),
              owner_unit: unit,
              contact: contact.value.trim().normalize('NFC'),
              account: account.value.trim(),
              ip_allow: ipAllow.value
                .split(/[\s,;]+/)
                .map((s) => s.trim())
                .filter(Boolean),
              cert_sha256: cert.value.trim(),
            });
            form.reset();
            owner.clear();
            message.ok(t('share.registered', { name: created.name }));
            await reload();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    h(
      'div',
      { class: 'form-grid' },
      field(t('share.code'), code, t('share.codeHint')),
      field(t('share.name'), name),
      field(t('share.contact'), contact, t('share.contactHint')),
      field(t('share.account'), account, t('share.accountHint')),
    ),
    h('datalist', { id: 'client-accounts' }, sorted.map((a) => h('option', { value: a.name }, a.system ? `${a.display_name || a.name} · ${t('users.system')}` : a.display_name || a.name))),
    owner.el,
    field(t('share.ipAllow'), ipAllow, t('share.ipAllowHint')),
    field(t('share.cert'), cert, t('share.certHint')),
    message.el,
    h('p', {}, submit),
  );
  return h('details', { class: 'card panel', 'data-testid': 'client-create-panel' }, h('summary', {}, h('h2', {}, t('share.newClient'))), form);
}
