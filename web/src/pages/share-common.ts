// What the sharing pages have in common: a system's state, a grant's fields (as they are or
// masked), its units, purposes and expiry in words, and the links between the pages.

import { h } from '../dom';
import { fmtDate, lang, t, type Key } from '../i18n';
import type { Me } from '../api';
import { hasRole } from '../session';
import type { Access, ClientState, MaskKind, Purpose } from '../share-api';

const stateTone: Record<ClientState, string> = {
  active: 'badge-whole',
  suspended: 'badge-partial',
  revoked: 'badge-old',
};

export function clientStateBadge(state: ClientState): HTMLElement {
  return h('span', { class: `badge ${stateTone[state] ?? ''}`, 'data-testid': 'client-state', 'data-state': state }, t(`share.state.${state}` as Key));
}

export const maskLabel = (m: MaskKind): string => t(`share.mask.${m}` as Key);
export const accessLabel = (a: Access): string => t(a === 'write' ? 'share.access.write' : 'share.access.read');

/** A purpose's title in the reader's language (its code when the list does not know it). */
export function purposeTitle(code: string, purposes: Purpose[]): string {
  const p = purposes.find((x) => x.code === code);
  if (!p) return code;
  return (lang() === 'en' && p.title_en) || p.title || code;
}

/** The fields of a grant: names as they are, masked ones with their mask. */
export function grantFields(fields: string[], masks: Record<string, MaskKind>): HTMLElement {
  return h(
    'ul',
    { class: 'plain compact', 'data-testid': 'grant-fields' },
    fields.map((f) => h('li', {}, h('code', {}, f))),
    Object.entries(masks).map(([f, m]) => h('li', { 'data-mask': m }, h('code', {}, f), ' ', h('span', { class: 'badge badge-partial' }, maskLabel(m)))),
  );
}

/** "Phường Tân Ninh và trực thuộc" / "Mọi đơn vị". */
export function grantUnit(unit: string | null, descendants: boolean, name?: string): string {
  if (!unit) return t('share.allUnits');
  const label = name && name !== unit ? `${name} (${unit})` : unit;
  return descendants ? `${label} ${t('users.andBelow')}` : label;
}

export function expiryText(expires: string | null): string {
  return expires ? fmtDate(expires) : t('share.noExpiry');
}

/** Administrators manage the connected systems (share.admin). */
export const canAdminShare = (me: Me | null): boolean => hasRole(me, ['administrator']);

/** Who reads the exchange log: administrators all of it, officers their units' data. */
export const canReadExchanges = (me: Me | null): boolean => hasRole(me, ['administrator', 'officer']);

/** Publishing as open data (open.publish): administrators, and officers of the dataset's owner unit. */
export function canPublish(me: Me | null, ownerUnit: string | null): boolean {
  if (!me) return false;
  if (hasRole(me, ['administrator'])) return true;
  return !!ownerUnit && me.roles.some((g) => g.role === 'officer' && g.unit_code === ownerUnit);
}
