// "/admin/users" (administrators) — the accounts with their roles and status (active, locked,
// disabled, TOTP); create an account with roles at units; disable, enable, unlock.

import { api, type Account, type Grant, type GrantIn, type Role } from '../api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDateTime, t } from '../i18n';
import { loadPage, titled, pageHead } from '../page';
import type { RouteContext } from '../router';
import { currentUser } from '../session';
import { showError } from '../shell';
import { unitPicker, type UnitPicker } from '../unit-picker';

const roles: Role[] = ['officer', 'leader', 'auditor', 'administrator'];

export function grantLabel(g: Grant): string {
  const where = g.unit_code ? `${g.unit_name || g.unit_code}${g.include_descendants ? ` ${t('users.andBelow')}` : ''}` : t('users.wholeProvince');
  return `${t(`role.${g.role}`)} · ${where}`;
}

export async function usersPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(outlet, signal, () => api.users(), ({ items }) => render(outlet, signal, items));
}

function render(outlet: HTMLElement, signal: AbortSignal, items: Account[]): void {
  const tbody = h('tbody');
  const reload = async () => {
    const { items: fresh } = await api.users();
    if (!signal.aborted) renderRows(fresh);
  };

  function status(a: Account) {
    if (a.disabled) return h('span', { class: 'badge badge-old' }, t('users.disabled'), a.disabled_reason && ` (${a.disabled_reason})`);
    if (a.locked) return h('span', { class: 'badge badge-partial' }, a.locked_until ? t('users.lockedUntil', { time: fmtDateTime(a.locked_until) }) : t('users.locked'));
    return h('span', { class: 'badge badge-whole' }, t('users.active'));
  }

  function actions(a: Account) {
    if (a.name === currentUser()?.name) return null;
    const act = (key: 'users.enable' | 'users.unlock' | 'users.disable', disabled: boolean) => {
      const b = h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': `user-${key.slice(6)}` }, t(key));
      b.addEventListener('click', () => void busy(b, () => api.updateUser(a.name, { disabled }).then(reload).catch(showError)));
      return b;
    };
    if (a.disabled) return act('users.enable', false);
    return [a.locked && act('users.unlock', false), act('users.disable', true)];
  }

  function renderRows(list: Account[]): void {
    mount(
      tbody,
      list.map((a) =>
        h(
          'tr',
          { 'data-testid': 'user-row', 'data-name': a.name },
          h('th', { scope: 'row' }, h('strong', {}, a.name), h('br'), h('span', { class: 'muted' }, a.display_name), a.system && h('span', { class: 'tag' }, t('users.system'))),
          h('td', {}, a.grants.length ? h('ul', { class: 'plain compact' }, a.grants.map((g) => h('li', {}, grantLabel(g)))) : t('state.none')),
          h('td', { 'data-testid': 'user-status' }, status(a)),
          h('td', {}, a.totp_enrolled ? h('span', { class: 'badge' }, t('users.totpOn')) : h('span', { class: 'badge badge-muted' }, t('users.totpOff'))),
          h('td', {}, a.last_active_at ? fmtDateTime(a.last_active_at) : t('state.none')),
          h('td', { class: 'actions' }, actions(a)),
        ),
      ),
    );
  }

  mount(
    outlet,
    pageHead(t('users.title'), t('users.lead')),
    createForm(reload),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data', 'data-testid': 'user-table' },
        h('caption', { class: 'visually-hidden' }, t('users.title')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('users.account'), t('users.roles'), t('users.status'), t('users.totp'), t('users.lastActive'), t('users.actions')].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        tbody,
      ),
    ),
  );
  renderRows(items);
  titled(outlet, t('users.title'));
}

interface GrantRow {
  el: HTMLElement;
  /** The grant, or why it is not complete. */
  value(): GrantIn | string;
}

/** One role at one unit (none: the whole province), as a row of the create form. */
function grantRow(onRemove: (row: GrantRow) => void): GrantRow {
  const n = Math.random().toString(36).slice(2, 8);
  const role = h('select', { id: `grant-role-${n}`, 'data-testid': 'grant-role' }, roles.map((r) => h('option', { value: r }, t(`role.${r}`))));
  const picker: UnitPicker = unitPicker(t('users.unit'), { hint: t('users.unitHint') });
  const below = h('input', { id: `grant-below-${n}`, type: 'checkbox', checked: true });
  const row: GrantRow = {
    el: h(
      'fieldset',
      { class: 'grant-row' },
      h('legend', { class: 'visually-hidden' }, t('users.grant')),
      field(t('users.role'), role),
      picker.el,
      h('label', { class: 'check' }, below, t('users.includeBelow')),
      h('button', { type: 'button', class: 'link-button', onclick: () => onRemove(row) }, t('users.removeGrant')),
    ),
    value() {
      const unit = picker.values()[0] ?? '';
      if (role.value === 'officer' && !unit) return t('users.officerNeedsUnit');
      return { role: role.value as Role, unit_code: unit, include_descendants: below.checked };
    },
  };
  return row;
}

function createForm(reload: () => Promise<void>): HTMLElement {
  const name = input('user-name', { required: true, pattern: '[a-z0-9._\\-]{3,64}', autocomplete: 'off', autocapitalize: 'none' });
  const display = input('user-display', { required: true, autocomplete: 'off' });
  const password = input('user-password', { type: 'password', required: true, autocomplete: 'new-password', minlength: 8 });
  const grants = h('div', { class: 'stack' });
  const rows: GrantRow[] = [];
  const addGrant = () => {
    const row = grantRow((r) => {
      rows.splice(rows.indexOf(r), 1);
      r.el.remove();
    });
    rows.push(row);
    grants.append(row.el);
  };
  addGrant();
  const message = formMessage('user-create-message');
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'user-create' }, t('users.create'));

  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const values = rows.map((r) => r.value());
        const problem = values.find((v) => typeof v === 'string');
        if (problem) return message.error(null, problem as string);
        void busy(submit, async () => {
          message.clear();
          try {
            const created = await api.createUser({
              name: name.value.trim(),
              display_name: display.value.trim(),
              password: password.value,
              system: false,
              grants: values as GrantIn[],
            });
            form.reset();
            rows.splice(0).forEach((r) => r.el.remove());
            addGrant();
            message.ok(t('users.created', { name: created.name }));
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
      field(t('users.name'), name, t('users.nameHint')),
      field(t('users.displayName'), display),
      field(t('users.password'), password, t('password.policy')),
    ),
    h('h3', {}, t('users.roles')),
    grants,
    h('p', {}, h('button', { type: 'button', class: 'link-button', onclick: addGrant }, t('users.addGrant'))),
    message.el,
    h('p', {}, submit),
  );
  return h(
    'details',
    { class: 'card panel', 'data-testid': 'user-create-panel' },
    h('summary', {}, h('h2', {}, t('users.new'))),
    form,
  );
}
