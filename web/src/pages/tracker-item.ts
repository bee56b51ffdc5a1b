// "/nq57/tasks/:code" — one target or task of the register: its fields, its status as of a date
// (?as_of=), the leader in charge, the chain it belongs to (the items it was assigned from, the
// items assigned from it), its monthly reports with their timeliness, and its history (adjustments
// marked, with their reason and approval). Two forms, each only when the server says the account
// may use it: the state change / adjustment (can_edit) and the monthly report with attachments
// (can_report). Problems are shown next to their fields, from the page's own checks first and from
// the server's 422 ("field: …") after.

import { api, ApiError, type Unit } from '../api';
import {
  itemFields,
  trackerApi,
  type Attachment,
  type ItemDetail,
  type ItemKind,
  type ItemRecord,
  type ItemState,
  type ItemWrite,
  type Obligation,
  type Recurrence,
  type Report,
  type Timeliness,
  type TrackerLevel,
} from '../tracker-api';
import { checkedForm, formSlots, problemField, unitOptions, type FormChild } from '../components/form-slots';
import { fact, factsPanel, textOrNone } from '../components/facts';
import { historySection } from '../components/history';
import { h, mount } from '../dom';
import { busy, formMessage } from '../forms';
import { fmtDate, fmtDateTime, fmtDec, fmtInt, measureLabel, t, type Key } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { clearError, errorMessage } from '../shell';
import {
  asOfFromAddress,
  readAsOf,
  fmtPercent,
  itemHref,
  kindBadge,
  kindLabel,
  levelLabel,
  listHref,
  monthLabel,
  monthLong,
  monthOf,
  recurrenceLabel,
  stateLabel,
  statusBadge,
  timelinessBadge,
  today,
  trackerTabs,
  unitShortName,
} from './tracker-common';

interface Data {
  province: Unit;
  item: ItemDetail;
  /** The items this one was assigned from, the top of the chain first. */
  chain: ItemRecord[];
  /** Units for the lead-unit choice (only loaded for accounts that may edit). */
  units: Unit[];
}

async function load(code: string, asOf: string | undefined): Promise<Data> {
  const [item, info] = await Promise.all([trackerApi.item(code, asOf), api.info()]);
  const chain: ItemRecord[] = [];
  const seen = new Set([item.code]);
  let parent = item.parent;
  while (parent && !seen.has(parent) && chain.length < 8) {
    seen.add(parent);
    const p = await trackerApi.item(parent, asOf);
    chain.unshift(p);
    parent = p.parent;
  }
  const units = item.can_edit ? (await api.children(info.province.code)).items : [];
  return { province: info.province, item, chain, units };
}

export async function trackerItemPage(outlet: HTMLElement, ctx: RouteContext): Promise<void> {
  const asOf = asOfFromAddress() || undefined;
  await loadPage(
    outlet,
    ctx.signal,
    () => load(ctx.params.code, asOf),
    (data) => render(outlet, ctx, asOf, data),
  );
  // After an unknown code the way on leads back to the list (the shared error state offers the unit list).
  const back = outlet.querySelector<HTMLAnchorElement>('[data-testid="error-state"] a[href="/units"]');
  if (back) {
    back.href = '/nq57/tasks';
    back.textContent = t('tracker.back');
  }
}

/** What the page says once a form has saved: shown above the form that did it. */
interface Flash {
  form: 'edit' | 'report';
  text: string;
}

export const fieldLabel = (field: string): string => {
  const key = `tracker.field.${field}`;
  return knownFields.has(field) ? t(key as Key) : field;
};
const knownFields = new Set([
  'kind',
  'code',
  'programme',
  'parent',
  'level',
  'title',
  'sector',
  'lead_unit',
  'cooperating_units',
  'leader',
  'assigned_at',
  'deadline',
  'recurrence',
  'expected_product',
  'baseline',
  'target_value',
  'measure_unit',
  'indicator',
  'state',
  'completed_at',
  'status',
  'reason',
  'approval',
  'effective',
]);

function render(outlet: HTMLElement, ctx: RouteContext, asOf: string | undefined, data: Data, flash?: Flash): void {
  const r = data.item;
  const province = data.province.name;
  const unitName = (code: string, name?: string | null) => unitShortName(name || code, province);

  async function refresh(next: Flash): Promise<void> {
    try {
      const fresh = await load(r.code, asOf);
      if (ctx.signal.aborted) return;
      clearError();
      render(outlet, ctx, asOf, fresh, next);
    } catch (err) {
      if (!ctx.signal.aborted) render(outlet, ctx, asOf, data, { form: next.form, text: `${next.text} ${errorMessage(err)}` });
    }
  }

  const measure = r.measure_unit ? ` ${measureLabel(r.measure_unit)}` : '';
  const num = (n: number | null) => (n == null ? t('state.none') : `${Number.isInteger(n) ? fmtInt(n) : fmtDec(n, 2)}${measure}`);

  mount(
    outlet,
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('tracker.breadcrumb') },
      h(
        'ol',
        {},
        h('li', {}, h('a', { href: '/nq57' }, t('nav.tracker'))),
        h('li', {}, h('a', { href: listHref({ kind: r.kind, as_of: asOf }) }, t(`tracker.kindPlural.${r.kind}` as Key))),
        h('li', { 'aria-current': 'page' }, r.code),
      ),
    ),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { 'data-testid': 'nq57-item-title' }, r.title),
      h(
        'p',
        { class: 'lead badges', 'data-testid': 'nq57-item-badges' },
        kindBadge(r.kind),
        h('span', { class: 'badge badge-muted', 'data-level': r.level }, levelLabel(r.level)),
        h('span', { 'data-testid': 'nq57-item-status' }, statusBadge(r.status)),
        r.adjusted && h('span', { class: 'badge badge-adjusted', 'data-testid': 'nq57-item-adjusted' }, t('tracker.adjusted')),
      ),
      h('p', { class: 'muted', 'data-testid': 'nq57-item-asof' }, t('tracker.statusAsOf', { date: fmtDate(asOf ?? readAsOf()) })),
    ),
    trackerTabs(null, asOf),
    chainSection(data, asOf, unitName),
    factsPanel(
      'nq57',
      t('tracker.facts'),
      [
        fact(fieldLabel('code'), 'code', h('code', {}, r.code)),
        fact(fieldLabel('kind'), 'kind', kindLabel(r.kind)),
        fact(fieldLabel('programme'), 'programme', h('a', { href: listHref({ programme: r.programme, as_of: asOf }) }, r.programme)),
        fact(fieldLabel('level'), 'level', levelLabel(r.level)),
        fact(fieldLabel('sector'), 'sector', r.sector ? h('a', { href: listHref({ sector: r.sector, as_of: asOf }) }, r.sector) : t('state.none')),
        fact(
          fieldLabel('lead_unit'),
          'lead_unit',
          h('a', { href: `/units/${encodeURIComponent(r.lead_unit)}` }, unitName(r.lead_unit, r.lead_unit_name)),
          ' ',
          h('span', { class: 'muted' }, `(${r.lead_unit})`),
        ),
        fact(
          fieldLabel('leader'),
          'leader',
          r.leader?.name ? h('span', { 'data-testid': 'nq57-leader' }, h('strong', {}, r.leader.name), r.leader.position ? h('span', { class: 'muted' }, ` · ${r.leader.position}`) : null) : t('state.none'),
        ),
        fact(fieldLabel('assigned_at'), 'assigned_at', fmtDate(r.assigned_at)),
        fact(fieldLabel('deadline'), 'deadline', r.deadline ? fmtDate(r.deadline) : t('state.none')),
        r.recurrence && fact(fieldLabel('recurrence'), 'recurrence', recurrenceLabel(r.recurrence)),
        fact(fieldLabel('status'), 'status', statusBadge(r.status)),
        fact(fieldLabel('state'), 'state', stateLabel(r.state)),
        r.completed_at && fact(fieldLabel('completed_at'), 'completed_at', fmtDate(r.completed_at)),
        fact(t('tracker.col.percent'), 'percent', h('span', { 'data-testid': 'nq57-item-percent' }, fmtPercent(r.percent))),
        r.kind === 'target' && fact(fieldLabel('baseline'), 'baseline', num(r.baseline)),
        r.kind === 'target' && fact(fieldLabel('target_value'), 'target_value', num(r.target_value)),
        r.indicator && fact(fieldLabel('indicator'), 'indicator', h('code', {}, r.indicator)),
        fact(t('tracker.version'), 'version', t('tracker.versionOf', { n: fmtInt(r.version), date: fmtDate(r.effective) })),
      ],
      [
        fact(fieldLabel('expected_product'), 'expected_product', textOrNone(r.expected_product)),
        fact(
          fieldLabel('cooperating_units'),
          'cooperating_units',
          r.cooperating_units.length
            ? h('ul', { class: 'chips tag-list' }, r.cooperating_units.map((c) => h('li', {}, h('a', { href: `/units/${encodeURIComponent(c)}` }, c))))
            : t('state.none'),
        ),
      ],
    ),
    r.can_edit && editSection(data, ctx.signal, flash?.form === 'edit' ? flash.text : '', refresh),
    r.can_report && reportForm(r, ctx.signal, flash?.form === 'report' ? flash.text : '', refresh),
    reportsSection(r),
    historySection({
      id: 'nq57',
      register: 'tracker',
      versions: r.history,
      fieldLabel,
      changeValue: (field, value) => changeValue(field, value, (code) => unitName(code)),
      itemAttrs: (v) => ({ 'data-adjusted': String(v.adjusted), class: v.adjusted ? 'adjusted' : null }),
      badges: (v) => v.adjusted && [' ', h('span', { class: 'badge badge-adjusted' }, t('tracker.adjustment'))],
      notes: (v) =>
        v.approval && h('p', { class: 'timeline-reason', 'data-testid': 'nq57-version-approval' }, h('span', { class: 'muted' }, `${fieldLabel('approval')}: `), v.approval),
      rowClass: (_v, field) => (adjustmentFields.includes(field as (typeof adjustmentFields)[number]) ? 'adjusted-field' : null),
    }),
  );
  titled(outlet, r.title);
  // Units' names for the cooperating units, once known (codes are enough meanwhile).
  if (r.cooperating_units.length) void nameUnits(outlet, r.cooperating_units, province, ctx.signal);
}

async function nameUnits(outlet: HTMLElement, codes: string[], province: string, signal: AbortSignal): Promise<void> {
  const links = outlet.querySelectorAll<HTMLAnchorElement>('[data-field="cooperating_units"] a');
  await Promise.all(
    codes.map(async (code, i) => {
      try {
        const u = await api.unit(code);
        if (!signal.aborted && links[i]) links[i].replaceChildren(unitShortName(u.name, province), ' ', h('span', { class: 'muted' }, `(${code})`));
      } catch {
        // The code stays, and still links to the unit.
      }
    }),
  );
}

function chainSection(data: Data, asOf: string | undefined, unitName: (code: string, name?: string | null) => string): HTMLElement {
  const r = data.item;
  const step = (x: ItemRecord, current: boolean) =>
    h(
      'li',
      { 'data-testid': 'nq57-chain-item', 'data-code': x.code, 'aria-current': current ? 'true' : null, class: current ? 'current' : null },
      h('span', { class: 'chain-level' }, levelLabel(x.level)),
      current ? h('strong', {}, x.title) : h('a', { href: itemHref(x.code, asOf) }, x.title),
      h('span', { class: 'muted small' }, ` ${x.code} · ${unitName(x.lead_unit, x.lead_unit_name)}`),
      ' ',
      statusBadge(x.status),
    );
  const children = r.children ?? [];
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'nq57-chain-h', 'data-testid': 'nq57-chain' },
    h('h2', { id: 'nq57-chain-h' }, t('tracker.chain')),
    h('ol', { class: 'chain' }, [...data.chain.map((x) => step(x, false)), step(r, true)]),
    r.parent && data.chain.length === 0 && h('p', { class: 'muted' }, t('tracker.parentUnknown', { code: r.parent })),
    h('h3', {}, t('tracker.children', { n: fmtInt(children.length) })),
    children.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'nq57-children-none' }, t('tracker.childrenNone'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', 'data-testid': 'nq57-children' },
            h('caption', { class: 'visually-hidden' }, t('tracker.children', { n: fmtInt(children.length) })),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t('tracker.field.code'), t('tracker.field.title'), t('tracker.field.lead_unit'), t('tracker.field.deadline'), t('tracker.field.status'), t('tracker.col.percent')].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              children.map((c) =>
                h(
                  'tr',
                  { 'data-testid': 'nq57-child', 'data-code': c.code },
                  h('td', {}, h('code', {}, c.code)),
                  h('th', { scope: 'row' }, h('a', { href: itemHref(c.code, asOf) }, c.title)),
                  h('td', {}, unitName(c.lead_unit, c.lead_unit_name)),
                  h('td', { class: 'num' }, c.deadline ? fmtDate(c.deadline) : recurrenceLabel(c.recurrence)),
                  h('td', {}, statusBadge(c.status)),
                  h('td', { class: 'num' }, fmtPercent(c.percent)),
                ),
              ),
            ),
          ),
        ),
  );
}

// --- Reports ---------------------------------------------------------------------------------

interface MonthRow {
  month: string;
  obligation: Obligation | null;
  report: Report | null;
}

/** Every month owed or reported, newest first. */
function monthRows(r: ItemDetail): MonthRow[] {
  const rows = new Map<string, MonthRow>();
  for (const o of r.obligations ?? []) rows.set(o.month, { month: o.month, obligation: o, report: o.report });
  for (const rep of r.reports ?? []) {
    const row = rows.get(rep.month);
    if (row) row.report = rep;
    else rows.set(rep.month, { month: rep.month, obligation: null, report: rep });
  }
  return [...rows.values()].sort((a, b) => b.month.localeCompare(a.month));
}

const kib = (n: number) => (n >= 1024 * 1024 ? `${fmtDec(n / (1024 * 1024), 1)} MB` : `${fmtInt(Math.max(1, Math.round(n / 1024)))} KB`);

function attachmentList(list: Attachment[]): HTMLElement | null {
  if (!list.length) return null;
  return h(
    'ul',
    { class: 'attachments', 'data-testid': 'nq57-attachments' },
    list.map((a) =>
      h('li', {}, h('a', { href: trackerApi.attachmentUrl(a.id), download: a.name, 'data-testid': 'nq57-attachment' }, a.name), h('span', { class: 'muted small' }, ` (${kib(a.size)})`)),
    ),
  );
}

function reportsSection(r: ItemDetail): HTMLElement {
  const rows = monthRows(r);
  const counts = new Map<Timeliness, number>();
  for (const row of rows) if (row.obligation) counts.set(row.obligation.timeliness, (counts.get(row.obligation.timeliness) ?? 0) + 1);
  const content = (rep: Report) =>
    h(
      'dl',
      { class: 'report-text' },
      h('dt', {}, t('tracker.report.done')),
      h('dd', {}, textOrNone(rep.done)),
      rep.difficulties && [h('dt', {}, t('tracker.report.difficulties')), h('dd', {}, rep.difficulties)],
      rep.proposals && [h('dt', {}, t('tracker.report.proposals')), h('dd', {}, rep.proposals)],
    );
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'nq57-reports-h', 'data-testid': 'nq57-reports' },
    h('h2', { id: 'nq57-reports-h' }, t('tracker.reports')),
    rows.length > 0 &&
      h(
        'ul',
        { class: 'chips', 'aria-label': t('tracker.reportCounts') },
        (['on_time', 'late', 'missing', 'not_due'] as Timeliness[])
          .filter((k) => counts.get(k))
          .map((k) => h('li', { 'data-testid': `nq57-reports-${k}` }, h('strong', {}, fmtInt(counts.get(k) ?? 0)), ' ', timelinessBadge(k))),
      ),
    rows.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'nq57-reports-none' }, t('tracker.reportsNone'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data nq57-reports-table', 'data-testid': 'nq57-reports-table' },
            h('caption', { class: 'visually-hidden' }, t('tracker.reports')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t('tracker.report.month')),
                h('th', { scope: 'col' }, t('tracker.report.due')),
                h('th', { scope: 'col' }, t('tracker.report.timeliness')),
                h('th', { scope: 'col', class: 'num' }, t('tracker.col.percent')),
                h('th', { scope: 'col' }, t('tracker.report.content')),
                h('th', { scope: 'col' }, t('tracker.report.submitted')),
              ),
            ),
            h(
              'tbody',
              {},
              rows.map((row) =>
                h(
                  'tr',
                  { 'data-testid': 'nq57-report-row', 'data-month': row.month, 'data-timeliness': row.obligation?.timeliness ?? '' },
                  h('th', { scope: 'row', class: 'nowrap' }, monthLabel(row.month)),
                  h('td', { class: 'nowrap' }, row.obligation ? fmtDate(row.obligation.due) : t('state.none')),
                  h('td', {}, row.obligation ? timelinessBadge(row.obligation.timeliness) : t('state.none')),
                  h('td', { class: 'num', 'data-testid': 'nq57-report-percent' }, row.report ? fmtPercent(row.report.percent) : t('state.none')),
                  h('td', { class: 'report-cell' }, row.report ? [content(row.report), attachmentList(row.report.attachments ?? [])] : h('span', { class: 'muted' }, t('tracker.report.none'))),
                  h(
                    'td',
                    { class: 'small' },
                    row.report
                      ? [
                          fmtDateTime(row.report.submitted_at),
                          h('br'),
                          h('span', { class: 'muted' }, row.report.submitted_by),
                          row.report.updated_at && row.report.updated_at !== row.report.submitted_at ? h('br') : null,
                          row.report.updated_at && row.report.updated_at !== row.report.submitted_at
                            ? h('span', { class: 'muted' }, t('tracker.report.updated', { time: fmtDateTime(row.report.updated_at) }))
                            : null,
                        ]
                      : t('state.none'),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

// --- The forms -------------------------------------------------------------------------------

/**
 * A form of the item's page (`nq57-report`, `nq57-edit`): its fields' slots, its message line
 * (`${prefix}-message`) and the form, whose submit starts with its problems cleared.
 */
function itemFormParts(prefix: string) {
  const f = formSlots(prefix);
  const message = formMessage(`${prefix}-message`);
  const form = (onSubmit: () => void, ...children: FormChild[]) =>
    checkedForm(
      { class: `stack ${prefix}-form`, testid: `${prefix}-form` },
      () => {
        f.clear();
        message.clear();
        onSubmit();
      },
      ...children,
    );
  return { f, message, form };
}

// --- The monthly report ----------------------------------------------------------------------

const allowedTypes: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};
const maxAttachment = 10 * 1024 * 1024;
const maxAttachments = 5;

/** The file's content type by its extension (browsers leave it empty for some office files). */
function fileType(f: File): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(f.name)?.[1]?.toLowerCase() ?? '';
  return allowedTypes[ext] ?? null;
}

/** The months a report may be given for: those owed, newest first, and the current one while the task is open. */
function reportMonths(r: ItemDetail): string[] {
  const months = new Set((r.obligations ?? []).map((o) => o.month));
  for (const rep of r.reports ?? []) months.add(rep.month);
  const open = r.state === 'not_started' || r.state === 'in_progress';
  if (open && months.size === 0) months.add(monthOf(today()));
  return [...months].sort((a, b) => b.localeCompare(a));
}

/** The month the form starts at: the newest owed month without a report (this month's, usually), else the newest. */
function firstMonth(r: ItemDetail, months: string[]): string {
  const owed = (r.obligations ?? [])
    .filter((o) => !o.report)
    .map((o) => o.month)
    .sort((a, b) => b.localeCompare(a));
  return owed[0] ?? months[0] ?? '';
}

function reportForm(r: ItemDetail, signal: AbortSignal, flash: string, refresh: (f: Flash) => Promise<void>): HTMLElement {
  const { f, message, form: itemForm } = itemFormParts('nq57-report');
  const months = reportMonths(r);
  const byMonth = new Map((r.reports ?? []).map((rep) => [rep.month, rep]));
  const obligations = new Map((r.obligations ?? []).map((o) => [o.month, o]));

  const month = h(
    'select',
    { id: 'nq57-r-month', name: 'month', 'data-testid': 'nq57-report-month' },
    months.map((m) => {
      const o = obligations.get(m);
      const state = byMonth.has(m) ? t('tracker.report.given') : o ? t(`tracker.timeliness.${o.timeliness}` as Key) : '';
      return h('option', { value: m }, state ? `${monthLabel(m)} · ${state}` : monthLabel(m));
    }),
  );
  month.value = firstMonth(r, months);
  const percent = h('input', { id: 'nq57-r-percent', name: 'percent', type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric', 'data-testid': 'nq57-report-percent-input' });
  const done = h('textarea', { id: 'nq57-r-done', name: 'done', rows: 3, 'data-testid': 'nq57-report-done' });
  const difficulties = h('textarea', { id: 'nq57-r-difficulties', name: 'difficulties', rows: 2, 'data-testid': 'nq57-report-difficulties' });
  const proposals = h('textarea', { id: 'nq57-r-proposals', name: 'proposals', rows: 2, 'data-testid': 'nq57-report-proposals' });
  const files = h('input', {
    id: 'nq57-r-files',
    name: 'attachments',
    type: 'file',
    multiple: true,
    accept: '.pdf,.docx,.xlsx,.png,.jpg,.jpeg',
    'data-testid': 'nq57-report-files',
  });
  const existing = h('div', { class: 'existing-attachments' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'nq57-report-submit' });
  const due = h('p', { class: 'hint', 'data-testid': 'nq57-report-due' });

  function fill(): void {
    const rep = byMonth.get(month.value);
    percent.value = rep ? String(rep.percent) : r.percent != null ? String(r.percent) : '';
    done.value = rep?.done ?? '';
    difficulties.value = rep?.difficulties ?? '';
    proposals.value = rep?.proposals ?? '';
    submit.textContent = rep ? t('tracker.report.update') : t('tracker.report.submit');
    mount(existing, rep && rep.attachments?.length ? [h('p', { class: 'hint' }, t('tracker.report.attached')), attachmentList(rep.attachments)] : null);
    const o = obligations.get(month.value);
    due.textContent = o ? t('tracker.report.dueOn', { date: fmtDate(o.due) }) : '';
    f.clear();
  }
  month.addEventListener('change', () => {
    message.clear();
    fill();
  });

  /** The page's own checks; the server checks again. */
  function check(): { body: { percent: number; done: string; difficulties: string; proposals: string }; chosen: File[] } | null {
    let ok = true;
    const bad = (field: string, message: string): boolean => {
      f.error(field, message);
      return false;
    };
    const raw = percent.value.trim();
    const n = Number(raw);
    if (!month.value) ok = bad('month', t('tracker.err.month'));
    if (raw === '' || percent.validity.badInput) ok = bad('percent', t('tracker.err.percentRequired'));
    else if (!Number.isInteger(n) || n < 0 || n > 100) ok = bad('percent', t('tracker.err.percentRange'));
    if (!done.value.trim()) ok = bad('done', t('tracker.err.doneRequired'));
    const chosen = [...(files.files ?? [])];
    const already = byMonth.get(month.value)?.attachments?.length ?? 0;
    const badType = chosen.find((x) => !fileType(x));
    const tooBig = chosen.find((x) => x.size > maxAttachment);
    if (badType) ok = bad('attachments', t('tracker.err.fileType', { name: badType.name }));
    else if (tooBig) ok = bad('attachments', t('tracker.err.fileSize', { name: tooBig.name }));
    else if (chosen.length + already > maxAttachments) ok = bad('attachments', t('tracker.err.fileCount', { n: maxAttachments }));
    if (!ok) return null;
    return { body: { percent: n, done: done.value.trim(), difficulties: difficulties.value.trim(), proposals: proposals.value.trim() }, chosen };
  }

  function serverError(err: unknown, stage: 'report' | 'attachment'): void {
    if (err instanceof ApiError && err.status === 422) {
      const { field, text: detail } = problemField(err);
      const target = stage === 'attachment' ? 'attachments' : field === 'month' || field === 'percent' || field === 'done' || field === 'difficulties' || field === 'proposals' ? field : undefined;
      const messageText = attachmentMessage(err) ?? detail;
      if (target && f.error(target, messageText)) {
        message.error(err, t('tracker.err.notSaved'));
        return f.focusFirst();
      }
      return message.error(err, messageText || errorMessage(err));
    }
    if (err instanceof ApiError && err.status === 403) return message.error(err, t('tracker.err.reportForbidden'));
    message.error(err);
  }

  const form = itemForm(
    () => {
      const checked = check();
      if (!checked) {
        message.error(null, t('tracker.err.notSaved'));
        return f.focusFirst();
      }
      const m = month.value;
      void busy(submit, async () => {
        try {
          await trackerApi.submitReport(r.code, m, checked.body);
        } catch (err) {
          if (!signal.aborted) serverError(err, 'report');
          return;
        }
        for (const file of checked.chosen) {
          try {
            const typed = fileType(file) && file.type !== fileType(file) ? new File([file], file.name, { type: fileType(file)! }) : file;
            await trackerApi.attach(r.code, m, typed);
          } catch (err) {
            if (signal.aborted) return;
            // The report is saved; the page shows it, with the attachment's problem.
            await refresh({ form: 'report', text: `${t('tracker.report.saved', { month: monthLong(m) })} ${t('tracker.err.attachFailed', { name: file.name, detail: attachmentMessage(err) ?? errorMessage(err) })}` });
            return;
          }
        }
        if (!signal.aborted) await refresh({ form: 'report', text: t('tracker.report.saved', { month: monthLong(m) }) });
      });
    },
    h('p', { class: 'muted' }, t('tracker.report.lead')),
    flash && h('p', { class: 'notice ok', role: 'status', 'data-testid': 'nq57-report-saved' }, flash),
    h(
      'div',
      { class: 'form-grid' },
      f.slot('month', t('tracker.report.month'), month, undefined, true),
      f.slot('percent', t('tracker.report.percent'), percent, t('tracker.report.percentHint'), true),
    ),
    due,
    h(
      'div',
      { class: 'form-grid form-grid-wide' },
      f.slot('done', t('tracker.report.done'), done, undefined, true),
      f.slot('difficulties', t('tracker.report.difficulties'), difficulties),
      f.slot('proposals', t('tracker.report.proposals'), proposals),
    ),
    existing,
    h('div', { class: 'form-grid' }, f.slot('attachments', t('tracker.report.attachments'), files, t('tracker.report.attachmentsHint', { n: maxAttachments }))),
    message.el,
    h('p', { class: 'page-actions' }, submit),
  );
  fill();
  return h('section', { class: 'card panel', 'aria-labelledby': 'nq57-report-form-h', 'data-testid': 'nq57-report-panel' }, h('h2', { id: 'nq57-report-form-h' }, t('tracker.report.title')), form);
}

/** The reader's words for an attachment the server refused. */
function attachmentMessage(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.code === 'tracker.attachment_type') return t('tracker.err.fileTypeServer');
  if (err.code === 'tracker.attachment_too_large') return t('tracker.err.fileSizeServer');
  if (err.code === 'tracker.too_many') return t('tracker.err.fileCount', { n: maxAttachments });
  return undefined;
}

// --- State change and adjustment -------------------------------------------------------------

/** The states an item in `s` may move to (besides staying). */
function nextStates(s: ItemState): ItemState[] {
  switch (s) {
    case 'not_started':
      return ['in_progress', 'completed', 'cancelled'];
    case 'in_progress':
      return ['completed', 'cancelled'];
    case 'completed':
      return ['in_progress', 'cancelled'];
    default:
      return [];
  }
}

const adjustmentFields = ['deadline', 'title', 'expected_product', 'target_value', 'lead_unit'] as const;

function editSection(data: Data, signal: AbortSignal, flash: string, refresh: (f: Flash) => Promise<void>): HTMLElement {
  const r = data.item;
  const { f, message, form: itemForm } = itemFormParts('nq57-edit');
  const closed = r.state === 'cancelled';

  const state = h(
    'select',
    { id: 'nq57-e-state', name: 'state', disabled: closed, 'data-testid': 'nq57-edit-state' },
    [r.state, ...nextStates(r.state)].map((s) => h('option', { value: s }, s === r.state ? t('tracker.edit.stateKeep', { state: stateLabel(s) }) : stateLabel(s))),
  );
  state.value = r.state;
  const completedAt = h('input', { id: 'nq57-e-completed_at', name: 'completed_at', type: 'date', value: r.completed_at ?? '', 'data-testid': 'nq57-edit-completed_at' });
  const title = h('textarea', { id: 'nq57-e-title', name: 'title', rows: 2, 'data-testid': 'nq57-edit-title' });
  title.value = r.title;
  const deadline = h('input', { id: 'nq57-e-deadline', name: 'deadline', type: 'date', value: r.deadline ?? '', 'data-testid': 'nq57-edit-deadline' });
  const product = h('textarea', { id: 'nq57-e-expected_product', name: 'expected_product', rows: 2, 'data-testid': 'nq57-edit-expected_product' });
  product.value = r.expected_product;
  const target = h('input', { id: 'nq57-e-target_value', name: 'target_value', type: 'number', step: 'any', value: r.target_value ?? '', 'data-testid': 'nq57-edit-target_value' });
  const lead = leadSelect(data);
  const reason = h('textarea', { id: 'nq57-e-reason', name: 'reason', rows: 2, 'data-testid': 'nq57-edit-reason' });
  const approval = h('input', { id: 'nq57-e-approval', name: 'approval', autocomplete: 'off', 'data-testid': 'nq57-edit-approval' });
  const effective = h('input', { id: 'nq57-e-effective', name: 'effective', type: 'date', 'data-testid': 'nq57-edit-effective' });
  const submit = h('button', { type: 'submit', class: 'button', disabled: closed, 'data-testid': 'nq57-edit-submit' }, t('tracker.edit.save'));
  const adjustNote = h('p', { class: 'notice warn', hidden: true, 'data-testid': 'nq57-edit-adjusting' }, t('tracker.edit.adjusting'));

  const completedSlot = f.slot('completed_at', fieldLabel('completed_at'), completedAt, undefined, true);
  const targetSlot = f.slot('target_value', `${fieldLabel('target_value')}${r.measure_unit ? ` (${measureLabel(r.measure_unit)})` : ''}`, target);
  targetSlot.hidden = r.kind !== 'target';

  /** The item as the form says it. */
  function edited(): ItemWrite {
    const body: ItemWrite = itemFields(r);
    body.state = state.value as ItemState;
    body.completed_at = body.state === 'completed' ? completedAt.value || null : body.state === 'in_progress' ? null : r.completed_at;
    body.title = title.value.trim();
    body.deadline = r.recurrence ? r.deadline : deadline.value || null;
    body.expected_product = product.value.trim();
    if (r.kind === 'target') body.target_value = target.value.trim() === '' ? null : Number(target.value);
    body.lead_unit = lead.value;
    return body;
  }

  function adjusting(body: ItemWrite): boolean {
    return adjustmentFields.some((k) => (body[k] ?? null) !== (r[k] ?? null));
  }

  function update(): void {
    const body = edited();
    completedSlot.hidden = body.state !== 'completed';
    adjustNote.hidden = !adjusting(body);
  }
  for (const el of [state, title, deadline, product, target, lead]) {
    el.addEventListener('input', update);
    el.addEventListener('change', update);
  }

  function check(body: ItemWrite): boolean {
    let ok = true;
    const bad = (field: string, message: string): boolean => {
      f.error(field, message);
      return false;
    };
    const why = reason.value.trim();
    if (body.state === 'completed' && r.state !== 'completed' && !body.completed_at) ok = bad('completed_at', t('tracker.err.completedAt'));
    if (!body.title) ok = bad('title', t('tracker.err.required'));
    if (!r.recurrence && !body.deadline) ok = bad('deadline', t('tracker.err.required'));
    if (r.kind === 'target' && (body.target_value == null || !Number.isFinite(body.target_value))) ok = bad('target_value', t('tracker.err.number'));
    if (body.state === 'cancelled' && r.state !== 'cancelled' && !why) ok = bad('reason', t('tracker.err.reasonCancel'));
    else if (body.state === 'in_progress' && r.state === 'completed' && !why) ok = bad('reason', t('tracker.err.reasonReopen'));
    if (adjusting(body)) {
      if (!why && f.slots.get('reason')!.error.hidden) ok = bad('reason', t('tracker.err.reasonAdjust'));
      if (!approval.value.trim()) ok = bad('approval', t('tracker.err.approval'));
    }
    return ok;
  }

  function serverError(err: unknown): void {
    if (err instanceof ApiError && err.code === 'tracker.version_conflict') return message.error(err, t('tracker.err.conflict'));
    if (err instanceof ApiError && err.code === 'tracker.reason_required') {
      f.error('reason', t('tracker.err.reasonServer'));
      return message.error(err, t('tracker.err.notSaved'));
    }
    if (err instanceof ApiError && err.code === 'tracker.approval_required') {
      f.error('approval', t('tracker.err.approval'));
      return message.error(err, t('tracker.err.notSaved'));
    }
    if (err instanceof ApiError && err.status === 422) {
      const { field, text: detail } = problemField(err);
      const messageText = err.code === 'tracker.invalid_transition' ? `${t('tracker.err.transition')} (${detail})` : detail;
      if (field && f.error(field === 'effective_date' ? 'effective' : field, messageText)) {
        message.error(err, t('tracker.err.notSaved'));
        return f.focusFirst();
      }
      return message.error(err, messageText || errorMessage(err));
    }
    if (err instanceof ApiError && err.status === 403) return message.error(err, `${t('tracker.err.editForbidden')} ${errorMessage(err)}`);
    message.error(err);
  }

  const form = itemForm(
    () => {
      const body = edited();
      const changed = body.state !== r.state || adjusting(body) || (body.state === 'completed' && body.completed_at !== r.completed_at);
      if (!changed) return message.error(null, t('tracker.edit.nothing'));
      if (!check(body)) {
        message.error(null, t('tracker.err.notSaved'));
        return f.focusFirst();
      }
      if (reason.value.trim()) body.reason = reason.value.trim();
      if (approval.value.trim()) body.approval = approval.value.trim();
      if (effective.value) body.effective = effective.value;
      body.expected_version = r.version;
      void busy(submit, async () => {
        try {
          const saved = await trackerApi.update(r.code, body);
          if (!signal.aborted) await refresh({ form: 'edit', text: t('tracker.edit.saved', { n: fmtInt(saved.version) }) });
        } catch (err) {
          if (!signal.aborted) serverError(err);
        }
      });
    },
    h('p', { class: 'muted' }, closed ? t('tracker.edit.closed') : t('tracker.edit.lead')),
    flash && h('p', { class: 'notice ok', role: 'status', 'data-testid': 'nq57-edit-saved' }, flash),
    h('div', { class: 'form-grid' }, f.slot('state', fieldLabel('state'), state, t('tracker.edit.stateHint')), completedSlot),
    // Adjustments are approved changes of what was assigned: the steward's and administrators'.
    r.can_adjust && [
      h('h3', {}, t('tracker.edit.adjustTitle')),
      h('p', { class: 'hint' }, t('tracker.edit.adjustHint')),
      h(
        'div',
        { class: 'form-grid form-grid-wide' },
        f.slot('title', fieldLabel('title'), title),
        f.slot('expected_product', fieldLabel('expected_product'), product),
      ),
      h(
        'div',
        { class: 'form-grid' },
        !r.recurrence && f.slot('deadline', fieldLabel('deadline'), deadline),
        targetSlot,
        f.slot('lead_unit', fieldLabel('lead_unit'), lead),
      ),
      adjustNote,
    ],
    h('h3', {}, t('tracker.edit.whyTitle')),
    h(
      'div',
      { class: 'form-grid form-grid-wide' },
      f.slot('reason', fieldLabel('reason'), reason, t('tracker.edit.reasonHint')),
      f.slot('approval', fieldLabel('approval'), approval, t('tracker.edit.approvalHint')),
    ),
    h('div', { class: 'form-grid' }, f.slot('effective', fieldLabel('effective'), effective, t('tracker.edit.effectiveHint', { date: fmtDate(r.effective) }))),
    message.el,
    h('p', { class: 'page-actions' }, submit),
  );
  update();
  return h(
    'details',
    { class: 'card panel', 'data-testid': 'nq57-edit-panel', open: !!flash },
    h('summary', {}, h('h2', {}, t('tracker.edit.title'))),
    form,
  );
}

/** The lead unit: the province, its departments and agencies, its communes and wards. */
function leadSelect(data: Data): HTMLSelectElement {
  const r = data.item;
  const select = h(
    'select',
    { id: 'nq57-e-lead_unit', name: 'lead_unit', 'data-testid': 'nq57-edit-lead_unit' },
    unitOptions(data.province, data.units, { code: r.lead_unit, name: r.lead_unit_name || r.lead_unit }),
  );
  select.value = r.lead_unit;
  return select;
}

// --- History ---------------------------------------------------------------------------------

/** A field's value in a change, as people read it. */
function changeValue(field: string, value: unknown, unitName: (code: string) => string): string {
  if (value == null || value === '') return t('state.none');
  if (Array.isArray(value)) return value.length ? value.map(String).join('; ') : t('state.none');
  if (typeof value === 'object') {
    const l = value as { name?: string; position?: string };
    if (field === 'leader') return [l.name, l.position].filter(Boolean).join(' · ') || t('state.none');
    return JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isInteger(value) ? fmtInt(value) : fmtDec(value, 2);
  if (typeof value === 'boolean') return value ? t('catalog.yes') : t('catalog.no');
  const s = String(value);
  if (field === 'state') return stateLabel(s as ItemState);
  if (field === 'level') return levelLabel(s as TrackerLevel);
  if (field === 'kind') return kindLabel(s as ItemKind);
  if (field === 'recurrence') return s ? recurrenceLabel(s as Recurrence) : t('state.none');
  if (field === 'lead_unit') return `${unitName(s)} (${s})`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return fmtDate(s);
  return s;
}
