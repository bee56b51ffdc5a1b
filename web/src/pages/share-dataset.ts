// The dataset page's "Chia sẻ" section: which connected systems the dataset is shared with (the
// fields, masked or not, the units, purposes and until when), how many subscriptions are told of
// its changes, whether it is open data (its licence and public page), the way to its exchanges
// ("who received my unit's data"), and for those who may, the form that publishes it as open
// data (records or aggregates, titles and descriptions in both languages, licence, k) or
// unpublishes it.

import { type DatasetDetail } from '../datasets-api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtInt, lang, t } from '../i18n';
import { currentUser } from '../session';
import { showError } from '../shell';
import { exchangesHref, openApi, openHref, shareApi, shareClientHref, type DatasetSharing, type Licence, type OpenKind, type Purpose } from '../share-api';
import { help } from '../components/help';
import { accessLabel, canAdminShare, canPublish, canReadExchanges, expiryText, grantFields, grantUnit, purposeTitle } from './share-common';

export function sharingSection(d: DatasetDetail, signal: AbortSignal): HTMLElement {
  const body = h('div', { class: 'stack' }, h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('state.loading')));
  const section = h(
    'section',
    { class: 'card panel', id: 'sharing', 'aria-labelledby': 'sharing-h', 'data-testid': 'sharing-panel', 'aria-busy': 'true' },
    h('h2', { id: 'sharing-h' }, t('share.section')),
    h('p', { class: 'muted' }, t('share.sectionLead')),
    body,
  );
  const load = async () => {
    const me = currentUser();
    const publish = canPublish(me, d.owner_unit);
    const [sharing, purposes, licences] = await Promise.all([
      shareApi.sharing(d.code),
      shareApi.purposes().catch(() => ({ items: [] as Purpose[] })),
      publish ? openApi.licences().catch(() => ({ items: [] as Licence[] })) : Promise.resolve({ items: [] as Licence[] }),
    ]);
    if (signal.aborted) return;
    section.removeAttribute('aria-busy');
    mount(body, view(d, sharing, purposes.items, publish ? licences.items : null, load));
    if (location.hash === '#sharing') section.scrollIntoView();
  };
  load().catch((err) => {
    if (signal.aborted) return;
    section.removeAttribute('aria-busy');
    showError(err);
    mount(body, h('p', { class: 'muted', 'data-testid': 'sharing-unavailable' }, t('share.unavailable')));
  });
  return section;
}

/** `licences`: the form that publishes (null for those who may not). */
function view(d: DatasetDetail, s: DatasetSharing, purposes: Purpose[], licences: Licence[] | null, reload: () => Promise<void>): HTMLElement {
  const me = currentUser();
  const admin = canAdminShare(me);
  const grants = s.grants;
  return h(
    'div',
    { class: 'stack' },
    h('h3', {}, t('share.sharedWith')),
    grants.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'sharing-none' }, t('share.sharedNone'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', 'data-testid': 'sharing-grants' },
            h('caption', { class: 'visually-hidden' }, t('share.sharedWith')),
            h('thead', {}, h('tr', {}, [t('share.client'), t('share.access'), t('share.fields'), t('share.units'), t('share.purposes'), t('share.expires')].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              grants.map((g) =>
                h(
                  'tr',
                  { 'data-testid': 'sharing-grant', 'data-client': g.client },
                  h('th', { scope: 'row' }, admin ? h('a', { href: shareClientHref(g.client) }, g.client_name || g.client) : g.client_name || g.client, h('br'), h('code', { class: 'muted small' }, g.client)),
                  h('td', {}, accessLabel(g.access)),
                  h('td', {}, grantFields(g.fields, g.masks ?? {})),
                  h('td', {}, grantUnit(g.unit, true)),
                  h('td', {}, h('ul', { class: 'plain compact' }, g.purposes.map((p) => h('li', {}, purposeTitle(p, purposes))))),
                  h('td', { class: 'nowrap' }, expiryText(g.expires)),
                ),
              ),
            ),
          ),
        ),
    h(
      'p',
      { class: 'muted', 'data-testid': 'sharing-subscriptions' },
      t('share.subsCount', { n: fmtInt(s.subscriptions) }),
      canReadExchanges(me) && [' · ', h('a', { href: exchangesHref({ dataset: d.code }), 'data-testid': 'sharing-exchanges' }, t('share.whoReceived'))],
    ),
    h('h3', {}, t('share.openTitle'), ' ', help(t('share.openTitle'), t('share.openHelp'))),
    s.open.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'sharing-not-open' }, t('share.notOpen'))
      : h(
          'ul',
          { class: 'plain', 'data-testid': 'sharing-open' },
          s.open.map((o) => {
            const remove = h('button', { type: 'button', class: 'button button-small button-secondary', 'data-testid': 'open-unpublish' }, t('open.unpublish'));
            remove.addEventListener('click', () => {
              if (!confirm(t('open.unpublishConfirm', { title: o.title }))) return;
              void busy(remove, () => openApi.unpublish(o.id).then(reload).catch(showError));
            });
            return h(
              'li',
              { 'data-testid': 'sharing-open-item', 'data-id': o.id },
              h('a', { href: openHref(o.id), 'data-testid': 'sharing-open-link' }, o.title),
              ' · ',
              t(o.kind === 'aggregate' ? 'open.kind.aggregate' : o.kind === 'values' ? 'open.kind.values' : 'open.kind.records'),
              ' · ',
              o.licence?.url ? h('a', { href: o.licence.url, target: '_blank', rel: 'noopener license' }, o.licence.title || o.licence.code) : o.licence?.title || o.licence?.code,
              licences && [' ', remove],
            );
          }),
        ),
    licences && publishForm(d, s, licences, reload),
  );
}

function publishForm(d: DatasetDetail, s: DatasetSharing, licences: Licence[], reload: () => Promise<void>): HTMLElement {
  const existing = s.open[0];
  const id = input('open-id', { required: true, pattern: '[a-z0-9_\\-]{2,100}', value: existing?.id ?? d.code.toLowerCase(), autocomplete: 'off', autocapitalize: 'none', 'data-testid': 'open-id' });
  const kindRadio = (k: OpenKind) =>
    h('label', { class: 'check' }, input(`open-kind-${k}`, { type: 'radio', name: 'open-kind', value: k, checked: (existing?.kind ?? 'aggregate') === k, 'data-testid': `open-kind-${k}` }), t(`open.kind.${k}`));
  const title = input('open-title', { required: true, value: existing?.title ?? d.title, autocomplete: 'off', 'data-testid': 'open-title' });
  const titleEn = input('open-title-en', { value: d.title_en ?? '', autocomplete: 'off', lang: 'en', 'data-testid': 'open-title-en' });
  const description = h('textarea', { id: 'open-description', rows: 3, 'data-testid': 'open-description' }, d.description ?? '');
  const descriptionEn = h('textarea', { id: 'open-description-en', rows: 3, lang: 'en', 'data-testid': 'open-description-en' });
  const keywords = input('open-keywords', { autocomplete: 'off', placeholder: t('open.keywordsPlaceholder'), 'data-testid': 'open-keywords' });
  const licence = h(
    'select',
    { id: 'open-licence', required: true, 'data-testid': 'open-licence' },
    licences.map((l) => h('option', { value: l.code, selected: l.code === existing?.licence?.code }, l.title || l.code)),
  );
  const k = input('open-k', { type: 'number', min: 1, max: 1000, step: 1, value: 5, 'data-testid': 'open-k' });
  const kField = field(t('open.k'), k, t('open.kHint'));
  const message = formMessage('open-message');
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'open-publish' }, t(existing ? 'open.update' : 'open.publish'));
  const kind = () => (form.querySelector<HTMLInputElement>('input[name="open-kind"]:checked')?.value ?? 'aggregate') as OpenKind;

  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void busy(submit, async () => {
          message.clear();
          try {
            const nfc = (v: string) => v.trim().normalize('NFC');
            const published = await openApi.publish(id.value.trim(), {
              kind: kind(),
              source: d.code,
              indicators: [],
              title: nfc(title.value),
              title_en: nfc(titleEn.value),
              description: nfc(description.value),
              description_en: nfc(descriptionEn.value),
              keywords: keywords.value
                .split(/[,;]/)
                .map(nfc)
                .filter(Boolean),
              licence: licence.value,
              k: Number(k.value) || 1,
            });
            message.ok(t('open.published', { title: (lang() === 'en' && published.title_en) || published.title }));
            await reload();
          } catch (err) {
            message.error(err);
          }
        });
      },
    },
    h('p', { class: 'muted' }, t('open.formLead')),
    h('fieldset', { class: 'upload-mode' }, h('legend', {}, t('open.kind')), kindRadio('aggregate'), kindRadio('records')),
    h('p', { class: 'hint' }, t('open.kindHint')),
    h('div', { class: 'form-grid' }, field(t('open.id'), id, t('open.idHint')), field(t('open.licence'), licence), kField),
    h('div', { class: 'form-grid' }, field(t('open.titleVi'), title), field(t('open.titleEn'), titleEn)),
    h('div', { class: 'form-grid' }, field(t('open.descriptionVi'), description), field(t('open.descriptionEn'), descriptionEn)),
    field(t('open.keywords'), keywords, t('open.keywordsHint')),
    message.el,
    h('p', {}, submit),
  );
  // The threshold k holds for aggregates only.
  const syncKind = () => (kField.hidden = kind() !== 'aggregate');
  form.addEventListener('change', syncKind);
  syncKind();
  return h('details', { class: 'card panel', 'data-testid': 'open-publish-panel' }, h('summary', {}, h('h3', {}, t('open.formTitle'))), form);
}
