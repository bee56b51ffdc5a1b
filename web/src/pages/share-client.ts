// "/admin/share/:client" (administrators) — one connected system: its grants (which dataset,
// which fields as they are or masked, which units, period, purposes, legal basis, read or write,
// until when; revoked at once) and a form for a new one that takes the fields from the dataset's
// schema, personal fields marked; its subscriptions (the address told of a dataset's changes,
// with the signing secret shown once), and the way to its exchanges.

import { ApiError } from '../api';
import { datasetsApi, datasetHref, type Dataset } from '../datasets-api';
import { h, mount } from '../dom';
import { busy, copyButton, field, formMessage, input } from '../forms';
import { fmtDate, fmtDateTime, t } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { showError } from '../shell';
import {
  exchangesHref,
  maskKinds,
  shareApi,
  type Access,
  type MaskKind,
  type Purpose,
  type ShareClient,
  type ShareGrant,
  type Subscription,
} from '../share-api';
import { unitPicker } from '../unit-picker';
import { unitLink } from '../units';
import { datasetTitle, fieldTitle, schemaFacts } from './datasets-common';
import { accessLabel, clientStateBadge, expiryText, grantFields, grantUnit, maskLabel, purposeTitle } from './share-common';

interface Data {
  client: ShareClient;
  grants: ShareGrant[];
  subscriptions: Subscription[];
  purposes: Purpose[];
  datasets: Dataset[];
}

export async function shareClientPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async (): Promise<Data> => {
      const [clients, grants, subscriptions, purposes, datasets] = await Promise.all([
        shareApi.clients(),
        shareApi.grants(params.client),
        shareApi.subscriptions(params.client),
        shareApi.purposes(),
        datasetsApi.list(),
      ]);
      const client = clients.items.find((c) => c.code === params.client);
      if (!client) throw new ApiError(404, 'share.client_not_found', t('share.clientNotFound', { code: params.client }));
      return { client, grants: grants.items, subscriptions: subscriptions.items, purposes: purposes.items, datasets: datasets.items };
    },
    (data) => render(outlet, signal, data),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const { client, purposes, datasets } = data;
  const grantBody = h('tbody');
  const subBody = h('tbody');
  const datasetName = (code: string) => {
    const d = datasets.find((x) => x.code === code);
    return d ? datasetTitle(d) : code;
  };

  const reloadGrants = async () => {
    const { items } = await shareApi.grants(client.code);
    if (!signal.aborted) renderGrants(items);
  };
  const reloadSubs = async () => {
    const { items } = await shareApi.subscriptions(client.code);
    if (!signal.aborted) renderSubs(items);
  };

  function renderGrants(list: ShareGrant[]): void {
    const cols = 9;
    mount(
      grantBody,
      list.length === 0 && h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('share.grantsNone'))),
      list.map((g) => {
        const revoke = h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': 'grant-revoke' }, t('share.revokeGrant'));
        revoke.addEventListener('click', () => {
          if (!confirm(t('share.revokeGrantConfirm', { dataset: datasetName(g.dataset) }))) return;
          void busy(revoke, () => shareApi.revokeGrant(g.id).then(reloadGrants).catch(showError));
        });
        const expired = !!g.expires && g.expires < new Date().toISOString().slice(0, 10);
        return h(
          'tr',
          { 'data-testid': 'grant-row', 'data-id': g.id, 'data-dataset': g.dataset, 'data-revoked': String(g.revoked) },
          h('th', { scope: 'row' }, h('a', { href: datasetHref(g.dataset) }, datasetName(g.dataset)), h('br'), h('code', { class: 'muted' }, g.dataset)),
          h('td', {}, grantFields(g.fields, g.masks)),
          h('td', {}, grantUnit(g.unit, g.descendants)),
          h('td', { class: 'nowrap' }, g.period_from || g.period_to ? `${fmtDate(g.period_from)} – ${fmtDate(g.period_to)}` : t('share.anyPeriod')),
          h('td', {}, h('ul', { class: 'plain compact' }, g.purposes.map((p) => h('li', { 'data-code': p }, purposeTitle(p, purposes))))),
          h('td', { class: 'small' }, g.legal_basis || t('state.none')),
          h('td', {}, accessLabel(g.access)),
          h(
            'td',
            { class: 'nowrap' },
            expiryText(g.expires),
            g.revoked && [h('br'), h('span', { class: 'badge badge-old' }, t('share.grantRevoked'))],
            !g.revoked && expired && [h('br'), h('span', { class: 'badge badge-muted' }, t('share.grantExpired'))],
          ),
          h('td', { class: 'actions' }, !g.revoked && revoke),
        );
      }),
    );
  }

  function renderSubs(list: Subscription[]): void {
    mount(
      subBody,
      list.length === 0 && h('tr', {}, h('td', { colspan: 5, class: 'empty' }, t('share.subsNone'))),
      list.map((s) => {
        const remove = h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': 'sub-delete' }, t('share.subDelete'));
        remove.addEventListener('click', () => {
          if (!confirm(t('share.subDeleteConfirm', { url: s.url }))) return;
          void busy(remove, () => shareApi.deleteSubscription(s.id).then(reloadSubs).catch(showError));
        });
        return h(
          'tr',
          { 'data-testid': 'sub-row', 'data-id': s.id },
          h('th', { scope: 'row' }, datasetName(s.dataset), h('br'), h('code', { class: 'muted' }, s.dataset)),
          h('td', { class: 'small' }, h('code', {}, s.url)),
          h('td', {}, s.active ? h('span', { class: 'badge badge-whole' }, t('share.subActive')) : h('span', { class: 'badge badge-muted' }, t('share.subInactive'))),
          h('td', { class: 'nowrap' }, fmtDateTime(s.created_at), h('br'), h('span', { class: 'muted small' }, s.created_by)),
          h('td', { class: 'actions' }, remove),
        );
      }),
    );
  }

  const tableOf = (testid: string, caption: string, heads: string[], body: HTMLElement) =>
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', 'data-testid': testid },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', {}, h('tr', {}, heads.map((c) => h('th', { scope: 'col' }, c)))),
        body,
      ),
    );

  mount(
    outlet,
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('datasets.breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/admin/share' }, t('nav.shareClients'))), h('li', { 'aria-current': 'page' }, client.name)),
    ),
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h('div', {}, h('h1', { 'data-testid': 'client-title' }, client.name), h('p', { class: 'lead' }, t('share.clientLead'))),
      h('p', { class: 'page-actions' }, h('a', { class: 'button button-secondary', href: exchangesHref({ client: client.code }), 'data-testid': 'client-exchanges' }, t('share.clientExchanges'))),
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'client-facts-h' },
      h('h2', { id: 'client-facts-h' }, t('share.clientFacts')),
      h(
        'dl',
        { class: 'facts' },
        fact(t('share.code'), h('code', {}, client.code)),
        fact(t('share.stateCol'), clientStateBadge(client.state)),
        fact(t('share.ownerUnit'), client.owner_unit ? unitLink(client.owner_unit) : t('state.none')),
        fact(t('share.contact'), client.contact || t('state.none')),
        fact(t('share.account'), h('code', {}, client.account)),
        fact(t('share.ipAllow'), client.ip_allow.length ? client.ip_allow.join(', ') : t('share.anyAddress')),
        fact(t('share.created'), t('share.createdBy', { time: fmtDateTime(client.created_at), by: client.created_by })),
      ),
    ),
    h(
      'section',
      { class: 'card panel stack', 'aria-labelledby': 'client-grants-h' },
      h('h2', { id: 'client-grants-h' }, t('share.grants')),
      h('p', { class: 'muted' }, t('share.grantsLead')),
      tableOf(
        'grant-table',
        t('share.grants'),
        [t('share.dataset'), t('share.fields'), t('share.units'), t('share.period'), t('share.purposes'), t('share.legalBasis'), t('share.access'), t('share.expires'), t('users.actions')],
        grantBody,
      ),
      grantForm(client, datasets, purposes, reloadGrants),
    ),
    h(
      'section',
      { class: 'card panel stack', 'aria-labelledby': 'client-subs-h' },
      h('h2', { id: 'client-subs-h' }, t('share.subs')),
      h('p', { class: 'muted' }, t('share.subsLead')),
      tableOf('sub-table', t('share.subs'), [t('share.dataset'), t('share.subUrl'), t('share.stateCol'), t('share.created'), t('users.actions')], subBody),
      subscriptionForm(client, datasets, reloadSubs),
    ),
  );
  renderGrants(data.grants);
  renderSubs(data.subscriptions);
  titled(outlet, client.name);
}

function fact(label: string, ...value: (Node | string)[]): HTMLElement {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, ...value));
}

const datasetSelect = (id: string, datasets: Dataset[]) =>
  h(
    'select',
    { id, required: true, 'data-testid': id },
    h('option', { value: '' }, t('share.chooseDataset')),
    datasets.map((d) => h('option', { value: d.code }, `${datasetTitle(d)} (${d.code})`)),
  );

/** A field's row of the grant form: granted or not, and as it is or masked. */
interface FieldChoice {
  name: string;
  include: HTMLInputElement;
  as: HTMLSelectElement;
}

function grantForm(client: ShareClient, datasets: Dataset[], purposes: Purpose[], reload: () => Promise<void>): HTMLElement {
  const dataset = datasetSelect('grant-dataset', datasets);
  const fieldsBox = h('div', { 'data-testid': 'grant-fields-box' }, h('p', { class: 'muted' }, t('share.fieldsFirst')));
  let choices: FieldChoice[] = [];
  const units = unitPicker(t('share.unit'), { hint: t('share.unitHint') });
  const descendants = input('grant-descendants', { type: 'checkbox', checked: true, 'data-testid': 'grant-descendants' });
  const periodFrom = input('grant-period-from', { type: 'date', 'data-testid': 'grant-period-from' });
  const periodTo = input('grant-period-to', { type: 'date', 'data-testid': 'grant-period-to' });
  const purposeChecks = purposes.map((p) => h('input', { type: 'checkbox', name: 'grant-purpose', value: p.code, 'data-testid': 'grant-purpose' }));
  const legal = h('textarea', { id: 'grant-legal', name: 'grant-legal', rows: 2, required: true, placeholder: t('share.legalPlaceholder'), 'data-testid': 'grant-legal' });
  const accessRadio = (a: Access) =>
    h('label', { class: 'check' }, input(`grant-access-${a}`, { type: 'radio', name: 'grant-access', value: a, checked: a === 'read', 'data-testid': `grant-access-${a}` }), accessLabel(a));
  const expires = input('grant-expires', { type: 'date', 'data-testid': 'grant-expires' });
  const message = formMessage('grant-message');
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'grant-create' }, t('share.addGrant'));

  let seq = 0;
  dataset.addEventListener('change', async () => {
    const mine = ++seq;
    choices = [];
    if (!dataset.value) return mount(fieldsBox, h('p', { class: 'muted' }, t('share.fieldsFirst')));
    mount(fieldsBox, h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('state.loading')));
    try {
      const d = await datasetsApi.dataset(dataset.value);
      if (mine !== seq) return;
      const facts = schemaFacts(d.schema, d.primary_key);
      choices = facts.map((f) => ({
        name: f.name,
        include: h('input', { type: 'checkbox', id: `grant-field-${f.name}`, value: f.name, 'data-testid': 'grant-field' }),
        as: h(
          'select',
          { 'aria-label': t('share.fieldAs', { field: fieldTitle(f) }), 'data-testid': 'grant-field-as', 'data-field': f.name },
          h('option', { value: '' }, t('share.asValue')),
          maskKinds.map((m) => h('option', { value: m }, maskLabel(m))),
        ),
      }));
      mount(
        fieldsBox,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', 'data-export': 'off', 'data-testid': 'grant-field-table' },
            h('caption', { class: 'visually-hidden' }, t('share.fields')),
            h('thead', {}, h('tr', {}, [t('share.grantField'), t('datasets.field.name'), t('datasets.field.personal'), t('share.fieldAsCol')].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              facts.map((f, i) =>
                h(
                  'tr',
                  { 'data-testid': 'grant-field-row', 'data-name': f.name, 'data-personal': String(f.personal) },
                  h('td', {}, h('label', { class: 'check' }, choices[i].include, fieldTitle(f))),
                  h('td', {}, h('code', {}, f.name)),
                  h('td', {}, f.personal ? h('span', { class: 'badge badge-partial', title: t('datasets.personalHint') }, t('datasets.personal')) : h('span', { class: 'muted' }, t('state.none'))),
                  h('td', {}, choices[i].as),
                ),
              ),
            ),
          ),
        ),
        h('p', { class: 'hint' }, t('share.fieldsHint')),
      );
    } catch (err) {
      if (mine === seq) mount(fieldsBox, h('p', { class: 'muted' }, t('share.fieldsFirst'))), showError(err);
    }
  });

  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const chosen = choices.filter((c) => c.include.checked);
        if (chosen.length === 0) return message.error(null, t('share.fieldsNeeded'));
        const purposesChosen = purposeChecks.filter((c) => c.checked).map((c) => c.value);
        if (purposesChosen.length === 0) return message.error(null, t('share.purposesNeeded'));
        const masks: Record<string, MaskKind> = {};
        for (const c of chosen) if (c.as.value) masks[c.name] = c.as.value as MaskKind;
        void busy(submit, async () => {
          message.clear();
          try {
            await shareApi.addGrant(client.code, {
              dataset: dataset.value,
              fields: chosen.filter((c) => !c.as.value).map((c) => c.name),
              masks,
              unit: units.values()[0] ?? null,
              descendants: descendants.checked,
              period_from: periodFrom.value || null,
              period_to: periodTo.value || null,
              purposes: purposesChosen,
              legal_basis: legal.value.trim().normalize('NFC'),
              access: ((form.querySelector<HTMLInputElement>('input[name="grant-access"]:checked')?.value ?? 'read') as Access),
              expires: expires.value || null,
            });
            form.reset();
            units.clear();
            choices = [];
            mount(fieldsBox, h('p', { class: 'muted' }, t('share.fieldsFirst')));
            message.ok(t('share.grantAdded'));
            await reload();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    field(t('share.dataset'), dataset),
    fieldsBox,
    units.el,
    h('label', { class: 'check' }, descendants, t('users.includeBelow')),
    h('div', { class: 'form-grid' }, field(t('share.periodFrom'), periodFrom, t('share.periodHint')), field(t('share.periodTo'), periodTo), field(t('share.expires'), expires, t('share.expiresHint'))),
    h(
      'fieldset',
      { class: 'checks' },
      h('legend', {}, t('share.purposes')),
      h('p', { class: 'hint' }, t('share.purposesHint')),
      purposeChecks.map((c) => h('label', { class: 'check' }, c, purposeTitle(c.value, purposes), ' ', h('code', { class: 'muted' }, c.value))),
    ),
    field(t('share.legalBasis'), legal, t('share.legalHint')),
    h('fieldset', { class: 'upload-mode' }, h('legend', {}, t('share.access')), accessRadio('read'), accessRadio('write')),
    message.el,
    h('p', {}, submit),
  );
  return h('details', { class: 'card panel', 'data-testid': 'grant-create-panel' }, h('summary', {}, h('h3', {}, t('share.newGrant'))), form);
}

function subscriptionForm(client: ShareClient, datasets: Dataset[], reload: () => Promise<void>): HTMLElement {
  const dataset = datasetSelect('sub-dataset', datasets);
  const url = input('sub-url', { type: 'url', required: true, placeholder: 'https://', autocomplete: 'off', 'data-testid': 'sub-url' });
  const secretBox = h('div', { 'data-testid': 'sub-secret-box' });
  const message = formMessage('sub-message');
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'sub-create' }, t('share.subAdd'));
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void busy(submit, async () => {
          message.clear();
          try {
            const created = await shareApi.addSubscription(client.code, { dataset: dataset.value, url: url.value.trim() });
            form.reset();
            showSecret(secretBox, created.secret);
            await reload();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    h('div', { class: 'form-grid' }, field(t('share.dataset'), dataset), field(t('share.subUrl'), url, t('share.subUrlHint'))),
    message.el,
    h('p', {}, submit),
  );
  return h('div', { class: 'stack' }, secretBox, h('details', { class: 'card panel', 'data-testid': 'sub-create-panel' }, h('summary', {}, h('h3', {}, t('share.subNew'))), form));
}

/** The subscription's signing secret, shown this once with a copy button. */
function showSecret(box: HTMLElement, secret: string): void {
  const value = h('input', { id: 'sub-secret', class: 'secret-input', readonly: true, value: secret, 'data-testid': 'sub-secret', spellcheck: 'false' });
  mount(
    box,
    h(
      'div',
      { class: 'notice warn', role: 'alert' },
      h('p', {}, h('strong', {}, t('tokens.onceTitle')), ' ', t('share.secretOnce')),
      h('div', { class: 'copy-row' }, h('label', { for: 'sub-secret', class: 'visually-hidden' }, t('share.secret')), value, copyButton(() => secret, 'sub-copy')),
      h('button', { type: 'button', class: 'link-button', onclick: () => box.replaceChildren() }, t('tokens.dismiss')),
    ),
  );
  value.select();
}
