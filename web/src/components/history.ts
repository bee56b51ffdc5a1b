// The history of a versioned register's record (a catalog entry, a Resolution 57 item) as a
// timeline, newest first: each version's number, effective date, who recorded it and when, why,
// and a table of what changed. The page says how its fields are named and read, and what else a
// version carries (an adjustment's badge, its approval).

import { h } from '../dom';
import { fmtDate, fmtDateTime, fmtInt, t } from '../i18n';

/** What a version of any register carries. */
export interface Version {
  version: number;
  effective: string;
  recorded_at: string;
  actor: string;
  reason?: string | null;
  changes: { field: string; before: unknown; after: unknown }[];
}

type Child = Node | string | false | null | undefined | (Node | string)[];

export interface HistoryOptions<V extends Version> {
  /** Starts the ids and test ids: `${id}-history`, `${id}-version`, `${id}-changes`, … */
  id: string;
  /** Whose texts: `${register}.history`, `${register}.versionN`, … */
  register: 'catalog' | 'tracker';
  versions: V[];
  fieldLabel: (field: string) => string;
  /** A field's value in a change, as people read it. */
  changeValue: (field: string, value: unknown) => string;
  /** More attributes of a version's item (e.g. whether it was an adjustment). */
  itemAttrs?: (v: V) => Record<string, string | number | null>;
  /** What follows the version's number in its heading. */
  badges?: (v: V) => Child;
  /** Notes after the reason (e.g. the approval). */
  notes?: (v: V) => Child;
  /** A changed field's row class (e.g. an adjusted field), or null. */
  rowClass?: (v: V, field: string) => string | null;
}

function changesTable<V extends Version>(o: HistoryOptions<V>, v: V): HTMLElement {
  const first = v.version === 1;
  return h(
    'table',
    { class: 'data changes', 'data-testid': `${o.id}-changes` },
    h('caption', { class: 'visually-hidden' }, t(`${o.register}.changesOf`, { n: fmtInt(v.version) })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('catalog.change.field')),
        !first && h('th', { scope: 'col' }, t('catalog.change.before')),
        h('th', { scope: 'col' }, first ? t('catalog.change.value') : t('catalog.change.after')),
      ),
    ),
    h(
      'tbody',
      {},
      v.changes.map((c) =>
        h(
          'tr',
          { 'data-field': c.field, class: first ? null : (o.rowClass?.(v, c.field) ?? null) },
          h('th', { scope: 'row' }, o.fieldLabel(c.field)),
          !first && h('td', { class: 'before' }, o.changeValue(c.field, c.before)),
          h('td', { class: 'after' }, o.changeValue(c.field, c.after)),
        ),
      ),
    ),
  );
}

/** The history section: a timeline of the versions, newest first, or a line saying there is none. */
export function historySection<V extends Version>(o: HistoryOptions<V>): HTMLElement {
  const { id, register } = o;
  const newestFirst = [...o.versions].sort((a, b) => b.version - a.version);
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': `${id}-history-h`, 'data-testid': `${id}-history` },
    h('h2', { id: `${id}-history-h` }, t(`${register}.history`)),
    newestFirst.length === 0
      ? h('p', { class: 'muted' }, t(`${register}.historyNone`))
      : h(
          'ol',
          { class: 'timeline', reversed: true },
          newestFirst.map((v) =>
            h(
              'li',
              { 'data-testid': `${id}-version`, 'data-version': v.version, ...o.itemAttrs?.(v) },
              h(
                'div',
                { class: 'timeline-head' },
                h('strong', {}, t(`${register}.versionN`, { n: fmtInt(v.version) })),
                o.badges?.(v),
                ' · ',
                t(`${register}.effectiveOn`, { date: fmtDate(v.effective) }),
                h('span', { class: 'muted' }, ` · ${t(`${register}.recordedBy`, { actor: v.actor || t('state.none'), time: fmtDateTime(v.recorded_at) })}`),
              ),
              v.reason && h('p', { class: 'timeline-reason', 'data-testid': `${id}-version-reason` }, h('span', { class: 'muted' }, `${o.fieldLabel('reason')}: `), v.reason),
              o.notes?.(v),
              v.version === 1 && h('p', { class: 'muted' }, t(`${register}.created`)),
              v.changes.length > 0 ? h('div', { class: 'table-wrap' }, changesTable(o, v)) : h('p', { class: 'muted' }, t(`${register}.noChanges`)),
            ),
          ),
        ),
  );
}
