// "/catalog/:code" — one entry of the catalog: every field, its status and consolidation, the
// entries it links to and those linking to it, and its history as a timeline (each version's
// effective date, who recorded it and why, and what changed). An edit button for accounts the
// server says may edit it. A database in use (or an entry a dataset names) has a data quality card.

import { catalogApi, type CatalogLinkKind, type CatalogRecord, type CatalogStatus, type Consolidation } from '../catalog-api';
import { fact, factsPanel, textOrNone } from '../components/facts';
import { historySection } from '../components/history';
import { h, mount } from '../dom';
import { fmtDate, fmtInt, t } from '../i18n';
import { loadPage, titled } from '../page';
import { databaseQualityCard } from './quality-database';
import type { RouteContext } from '../router';
import {
  backToCatalog,
  consolidationBadge,
  consolidationLabel,
  entryHref,
  fieldLabel,
  kindBadge,
  kindLabel,
  linkKindLabel,
  statusBadge,
  statusLabel,
} from './catalog-common';

export async function catalogEntryPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    () => catalogApi.entry(params.code),
    (record) => {
      render(outlet, record, signal);
      void nameLinks(outlet, record, signal);
    },
  );
  backToCatalog(outlet);
}

/**
 * Links name only codes; once the entries of the linked kinds arrive, each link also shows the
 * name of its entry ("Nền tảng … (NT-16)"). Without them the codes stay, which is enough.
 */
async function nameLinks(outlet: HTMLElement, r: CatalogRecord, signal: AbortSignal): Promise<void> {
  const kinds = new Set<CatalogRecord['kind']>();
  for (const l of r.links) kinds.add(l.kind === 'runs_on' ? 'platform' : 'national');
  if ((r.linked_from ?? []).length > 0) kinds.add('database');
  if (kinds.size === 0) return;
  try {
    const pages = await Promise.all([...kinds].map((kind) => catalogApi.entries(new URLSearchParams({ kind, limit: '1000' }))));
    if (signal.aborted) return;
    const names = new Map(pages.flatMap((p) => p.items.map((e) => [e.code, e.name] as const)));
    outlet.querySelectorAll<HTMLAnchorElement>('[data-testid="catalog-links"] a[data-code]').forEach((a) => {
      const name = names.get(a.dataset.code ?? '');
      if (name) a.replaceChildren(name, ' ', h('span', { class: 'muted' }, `(${a.dataset.code})`));
    });
  } catch {
    // The codes are still there and still link to their entries.
  }
}

function list(items: string[], testid: string) {
  return items.length ? h('ul', { class: 'plain compact', 'data-testid': testid }, items.map((s) => h('li', {}, s))) : t('state.none');
}

function render(outlet: HTMLElement, r: CatalogRecord, signal: AbortSignal): void {
  const history = r.history ?? [];
  const linkedFrom = r.linked_from ?? [];
  const isDatabase = r.kind === 'database';
  const isNational = r.kind === 'national';
  mount(
    outlet,
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('catalog.breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/catalog' }, t('nav.catalog'))), h('li', {}, h('a', { href: `/catalog?kind=${r.kind}` }, kindLabel(r.kind))), h('li', { 'aria-current': 'page' }, r.code)),
    ),
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h(
        'div',
        {},
        h('h1', { 'data-testid': 'catalog-entry-name' }, r.name),
        h(
          'p',
          { class: 'lead badges', 'data-testid': 'catalog-entry-badges' },
          kindBadge(r.kind),
          statusBadge(r.status),
          r.consolidation && consolidationBadge(r.consolidation),
          r.ioc_connected && h('span', { class: 'badge badge-whole', 'data-ioc': 'true' }, t('catalog.iocConnected')),
        ),
      ),
      r.can_edit && h('a', { class: 'button', href: `${entryHref(r.code)}/edit`, 'data-testid': 'catalog-edit' }, t('catalog.edit')),
    ),
    factsPanel(
      'catalog',
      t('catalog.facts'),
      [
        fact(fieldLabel('code'), 'code', h('code', {}, r.code)),
        fact(fieldLabel('kind'), 'kind', kindLabel(r.kind)),
        fact(fieldLabel('sector'), 'sector', r.sector ? h('a', { href: `/catalog?sector=${encodeURIComponent(r.sector)}` }, r.sector) : t('state.none')),
        fact(fieldLabel('owner'), 'owner', h('a', { href: `/units/${encodeURIComponent(r.owner)}` }, r.owner_name || r.owner), ' ', h('span', { class: 'muted' }, `(${r.owner})`)),
        fact(fieldLabel('status'), 'status', statusBadge(r.status)),
        isDatabase && fact(fieldLabel('consolidation'), 'consolidation', consolidationBadge(r.consolidation)),
        fact(fieldLabel('ioc_connected'), 'ioc_connected', r.ioc_connected ? t('catalog.yes') : t('catalog.no')),
        fact(fieldLabel('hosting'), 'hosting', textOrNone(r.hosting)),
        fact(fieldLabel('record_count'), 'record_count', fmtInt(r.record_count)),
        fact(fieldLabel('last_data_update'), 'last_data_update', fmtDate(r.last_data_update)),
        fact(fieldLabel('contact'), 'contact', textOrNone(r.contact)),
        isNational && fact(fieldLabel('connected_at'), 'connected_at', fmtDate(r.connected_at)),
        fact(t('catalog.version'), 'version', t('catalog.versionOf', { n: fmtInt(r.version), date: fmtDate(r.effective) })),
      ],
      [
        fact(fieldLabel('legal_basis'), 'legal_basis', textOrNone(r.legal_basis)),
        fact(fieldLabel('source_systems'), 'source_systems', list(r.source_systems, 'catalog-sources')),
        fact(
          fieldLabel('tags'),
          'tags',
          r.tags.length ? h('ul', { class: 'chips tag-list' }, r.tags.map((tag) => h('li', {}, h('a', { href: `/catalog?tag=${encodeURIComponent(tag)}` }, tag)))) : t('state.none'),
        ),
      ],
    ),
    databaseQualityCard(r, signal),
    linksSection(r, linkedFrom),
    historySection({ id: 'catalog', register: 'catalog', versions: history, fieldLabel, changeValue }),
  );
  titled(outlet, r.name);
}

const entryLink = (code: string) => h('a', { href: entryHref(code), 'data-code': code }, code);

function linksSection(r: CatalogRecord, linkedFrom: { kind: CatalogLinkKind; source: string }[]): HTMLElement {
  const byKind = (kind: CatalogLinkKind) => r.links.filter((l) => l.kind === kind).map((l) => l.target);
  const group = (label: string, codes: string[], testid: string) =>
    h('div', { class: 'fact', 'data-testid': testid }, h('dt', {}, label), h('dd', {}, codes.length ? h('ul', { class: 'chips' }, codes.map((c) => h('li', {}, entryLink(c)))) : t('state.none')));
  const incoming = (kind: CatalogLinkKind) => linkedFrom.filter((l) => l.kind === kind).map((l) => l.source);
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'catalog-links-h', 'data-testid': 'catalog-links' },
    h('h2', { id: 'catalog-links-h' }, t('catalog.links')),
    h(
      'dl',
      { class: r.kind === 'database' ? 'facts facts-wide' : 'facts facts-links' },
      r.kind === 'database' && [group(linkKindLabel('runs_on'), byKind('runs_on'), 'catalog-runs-on'), group(linkKindLabel('exchanges_with'), byKind('exchanges_with'), 'catalog-exchanges-with')],
      r.kind === 'platform' && group(t('catalog.linkedFrom.runs_on'), incoming('runs_on'), 'catalog-linked-from'),
      r.kind === 'national' && group(t('catalog.linkedFrom.exchanges_with'), incoming('exchanges_with'), 'catalog-linked-from'),
      r.kind === 'database' && linkedFrom.length > 0 && group(t('catalog.linkedFrom.any'), linkedFrom.map((l) => l.source), 'catalog-linked-from'),
    ),
  );
}

/** A field's value in a change, as people read it. */
function changeValue(field: string, value: unknown): string {
  if (value == null || value === '') return t('state.none');
  if (Array.isArray(value)) {
    if (value.length === 0) return t('state.none');
    if (field === 'links') {
      return value.map((l) => (l && typeof l === 'object' ? `${linkKindLabel((l as { kind: CatalogLinkKind }).kind)} ${(l as { target: string }).target}` : String(l))).join('; ');
    }
    return value.map(String).join('; ');
  }
  if (typeof value === 'boolean') return value ? t('catalog.yes') : t('catalog.no');
  if (typeof value === 'number') return fmtInt(value);
  if (typeof value === 'string') {
    if (field === 'status') return statusLabel(value as CatalogStatus);
    if (field === 'consolidation') return consolidationLabel(value as Consolidation);
    if (field === 'kind') return kindLabel(value as CatalogRecord['kind']);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return fmtDate(value);
    return value;
  }
  return JSON.stringify(value);
}
