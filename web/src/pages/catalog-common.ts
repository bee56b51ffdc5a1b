// Shared by the catalog pages: labels of kinds, statuses and fields, badges, links to entries,
// the catalog's sub-navigation, and who may write.

import type { CatalogKind, CatalogLinkKind, CatalogStatus, Consolidation } from '../catalog-api';
import { h } from '../dom';
import { t, type Key } from '../i18n';
import { hasRole } from '../session';
import type { Me } from '../api';

export const kindLabel = (k: CatalogKind): string => t(`catalog.kind.${k}` as Key);
export const statusLabel = (s: CatalogStatus): string => t(`catalog.status.${s}` as Key);
export const consolidationLabel = (c: Consolidation): string => t(`catalog.consolidation.${c}` as Key);
export const linkKindLabel = (k: CatalogLinkKind): string => t(`catalog.link.${k}` as Key);

/** Fields of an entry (and of a write) in display order, with their labels. */
export const fieldKeys = [
  'kind',
  'code',
  'name',
  'sector',
  'owner',
  'status',
  'consolidation',
  'ioc_connected',
  'hosting',
  'record_count',
  'last_data_update',
  'contact',
  'legal_basis',
  'connected_at',
  'source_systems',
  'tags',
  'links',
  'reason',
  'effective',
] as const;
export type FieldKey = (typeof fieldKeys)[number];

/** The label of an entry field; unknown names (from a newer server) are shown as they are. */
export function fieldLabel(field: string): string {
  return (fieldKeys as readonly string[]).includes(field) ? t(`catalog.field.${field}` as Key) : field;
}

export function entryHref(code: string): string {
  return `/catalog/${encodeURIComponent(code)}`;
}

const statusTone: Record<CatalogStatus, string> = {
  planned: 'badge-muted',
  under_construction: 'badge-partial',
  in_use: 'badge-whole',
  not_connected: 'badge-old',
  connected: 'badge-whole',
};

export function statusBadge(s: CatalogStatus): HTMLElement {
  return h('span', { class: `badge ${statusTone[s] ?? ''}`, 'data-status': s }, statusLabel(s));
}

export function consolidationBadge(c: Consolidation | null): HTMLElement | string {
  if (!c) return t('state.none');
  return h('span', { class: `badge ${c === 'merged' ? 'badge-whole' : 'badge-partial'}`, 'data-consolidation': c }, consolidationLabel(c));
}

export function kindBadge(k: CatalogKind): HTMLElement {
  return h('span', { class: 'badge', 'data-kind': k }, kindLabel(k));
}

/** Officers (their unit's entries; DoST all) and administrators write; the server decides per entry. */
export function canWrite(me: Me | null): boolean {
  return hasRole(me, ['administrator', 'officer']);
}

/** Today's date in the browser's time zone, as YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Links between the catalog's pages, shown under each page's heading. */
export function catalogTabs(active: 'list' | 'summary'): HTMLElement {
  const tab = (key: Key, href: string, id: string) =>
    h('a', { href, class: 'tab', 'aria-current': id === active ? 'page' : null, 'data-testid': `catalog-tab-${id}` }, t(key));
  return h('nav', { class: 'tabs', 'aria-label': t('catalog.tabs') }, tab('catalog.tabList', '/catalog', 'list'), tab('catalog.tabSummary', '/catalog/summary', 'summary'));
}

/** "Sở Y tế tỉnh Tây Ninh" → "Sở Y tế": inside the province's own catalog the suffix says nothing. */
export function unitShortName(name: string, province: string): string {
  const suffix = ` ${province}`.toLocaleLowerCase('vi');
  return province && name.length > suffix.length && name.toLocaleLowerCase('vi').endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

/** After an entry was not found: the way on leads back to the catalog (the shared error state offers the unit list). */
export function backToCatalog(outlet: HTMLElement): void {
  const back = outlet.querySelector<HTMLAnchorElement>('[data-testid="error-state"] a[href="/units"]');
  if (!back) return;
  back.href = '/catalog';
  back.textContent = t('catalog.back');
}
