// "/catalog/new" and "/catalog/:code/edit" (officers and administrators; the server decides which
// entries) — the form for one entry. The kind decides which statuses are offered and which fields
// apply; the status decides which fields are required (marked, and checked before sending). The
// server's 422 problems ("field: message") appear next to that field and in a summary at the top;
// a 409 says someone else changed the entry. On success the entry's page opens.

import { api, ApiError, type Unit } from '../api';
import {
  catalogApi,
  catalogKinds,
  consolidations,
  statusesFor,
  type CatalogFacets,
  type CatalogKind,
  type CatalogLink,
  type CatalogRecord,
  type CatalogStatus,
  type CatalogWrite,
  type Consolidation,
} from '../catalog-api';
import { h, mount } from '../dom';
import { checkedForm, formSlots, problemField, unitOptions } from '../components/form-slots';
import { busy, type Control } from '../forms';
import { fmtDate, t, type Key } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser } from '../session';
import { errorMessage } from '../shell';
import { forbiddenPage } from './forbidden';
import { backToCatalog, consolidationLabel, entryHref, fieldLabel, kindLabel, statusLabel } from './catalog-common';

interface Data {
  facets: CatalogFacets;
  province: Unit;
  units: Unit[];
  record: CatalogRecord | null;
}

async function load(code?: string): Promise<Data> {
  const [facets, info, record] = await Promise.all([catalogApi.facets(), api.info(), code ? catalogApi.entry(code) : null]);
  const { items } = await api.children(info.province.code);
  return { facets, province: info.province, units: items, record };
}

export async function catalogNewPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(outlet, signal, () => load(), (data) => render(outlet, signal, data));
}

export async function catalogEditPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    () => load(params.code),
    (data) => (data.record?.can_edit ? render(outlet, signal, data) : forbiddenPage(outlet)),
  );
  backToCatalog(outlet);
}

/** Items of a list field: one per line or separated by semicolons (names may contain commas). */
export function splitList(s: string): string[] {
  return [...new Set(s.split(/[\n;]+/).map((x) => x.trim().replace(/\s+/g, ' ')).filter(Boolean))];
}

/** Entry codes: separated by spaces, commas or semicolons. */
export function splitCodes(s: string): string[] {
  return [...new Set(s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean))];
}

type FieldName =
  | 'kind'
  | 'code'
  | 'name'
  | 'sector'
  | 'owner'
  | 'status'
  | 'consolidation'
  | 'ioc_connected'
  | 'hosting'
  | 'record_count'
  | 'last_data_update'
  | 'contact'
  | 'legal_basis'
  | 'connected_at'
  | 'source_systems'
  | 'tags'
  | 'links'
  | 'reason'
  | 'effective';

const rank: Record<CatalogStatus, number> = { planned: 0, not_connected: 0, under_construction: 1, connected: 1, in_use: 2 };

/** Which fields the rules require for an entry of `kind` in `status` (besides code, name, sector, owner). */
export function requiredFor(kind: CatalogKind, status: CatalogStatus): FieldName[] {
  const req: FieldName[] = ['code', 'name', 'sector', 'owner'];
  if (kind !== 'national' && rank[status] >= 1) req.push('legal_basis');
  if (status === 'in_use') {
    req.push('hosting', 'last_data_update', 'contact');
    if (kind === 'database') req.push('consolidation', 'record_count');
  }
  if (status === 'connected') req.push('connected_at');
  return req;
}

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const rec = data.record;
  const editing = rec !== null;
  const uid = (name: string) => `catalog-f-${name}`;
  const f = formSlots();
  const slots = f.slots;

  const textInput = (name: FieldName, attrs: Record<string, string | number | boolean> = {}) =>
    h('input', { id: uid(name), name, autocomplete: 'off', ...attrs });
  const textArea = (name: FieldName, rows: number) => h('textarea', { id: uid(name), name, rows });

  // Controls, filled from the record when editing.
  const kind = h('select', { id: uid('kind'), name: 'kind', disabled: editing }, catalogKinds.map((k) => h('option', { value: k }, kindLabel(k))));
  kind.value = rec?.kind ?? 'database';
  const code = textInput('code', { value: rec?.code ?? '', readonly: editing, maxlength: 64, spellcheck: 'false', autocapitalize: 'characters' });
  const name = textInput('name', { value: rec?.name ?? '' });
  const sectorList = h('datalist', { id: uid('sector-list') }, data.facets.sectors.map((s) => h('option', { value: s })));
  const sector = textInput('sector', { value: rec?.sector ?? '', list: uid('sector-list') });
  const owner = ownerSelect(uid('owner'), data, rec);
  const status = h('select', { id: uid('status'), name: 'status' });
  const consolidation = h(
    'select',
    { id: uid('consolidation'), name: 'consolidation' },
    h('option', { value: '' }, t('catalog.form.choose')),
    consolidations.map((c) => h('option', { value: c }, consolidationLabel(c))),
  );
  consolidation.value = rec?.consolidation ?? '';
  const ioc = h('input', { id: uid('ioc_connected'), name: 'ioc_connected', type: 'checkbox', checked: rec?.ioc_connected ?? false });
  const hosting = textInput('hosting', { value: rec?.hosting ?? '' });
  const recordCount = textInput('record_count', { type: 'number', min: 0, step: 1, inputmode: 'numeric', value: rec?.record_count ?? '' });
  const lastUpdate = textInput('last_data_update', { type: 'date', value: rec?.last_data_update ?? '' });
  const contact = textInput('contact', { value: rec?.contact ?? '' });
  const legal = textArea('legal_basis', 3);
  legal.value = rec?.legal_basis ?? '';
  const connectedAt = textInput('connected_at', { type: 'date', value: rec?.connected_at ?? '' });
  const sources = textArea('source_systems', 3);
  sources.value = (rec?.source_systems ?? []).join('\n');
  const tags = textArea('tags', 3);
  tags.value = (rec?.tags ?? []).join('\n');
  const linkCodes = (k: CatalogLink['kind']) => (rec?.links ?? []).filter((l) => l.kind === k).map((l) => l.target).join('; ');
  const runsOn = h('input', { id: 'catalog-f-runs_on', name: 'runs_on', autocomplete: 'off', spellcheck: 'false', value: linkCodes('runs_on'), placeholder: 'NT-16' });
  const exchanges = h('input', { id: 'catalog-f-exchanges_with', name: 'exchanges_with', autocomplete: 'off', spellcheck: 'false', value: linkCodes('exchanges_with'), placeholder: 'QG-10' });
  const reason = textArea('reason', 2);
  const effective = textInput('effective', { type: 'date' });

  /** A labelled control with its hint and error line (the rules mark it required). */
  const slot = (field: FieldName, control: Control, hint?: string) => f.slot(field, fieldLabel(field), control, hint);

  const checkSlot = (): HTMLElement => {
    const error = h('p', { class: 'field-error', id: 'catalog-f-ioc_connected-error', hidden: true, 'data-testid': 'error-ioc_connected' });
    const label = h('label', { class: 'check' }, ioc, t('catalog.form.ioc'));
    const wrap = h('div', { class: 'field field-check', 'data-field': 'ioc_connected' }, label, error);
    slots.set('ioc_connected', { wrap, control: ioc, label, error });
    return wrap;
  };

  // The two link fields share one error line (the server reports them as "links").
  const linksError = h('p', { class: 'field-error', id: 'catalog-f-links-error', hidden: true, 'data-testid': 'error-links' });
  const linksLegend = h('legend', {}, fieldLabel('links'));
  const linksSet = h(
    'fieldset',
    { class: 'form-grid catalog-links-editor', 'data-field': 'links', 'aria-describedby': 'catalog-f-links-error' },
    linksLegend,
    h('div', { class: 'field' }, h('label', { for: runsOn.id }, t('catalog.link.runs_on')), runsOn, h('p', { class: 'hint' }, t('catalog.form.runsOnHint'))),
    h('div', { class: 'field' }, h('label', { for: exchanges.id }, t('catalog.link.exchanges_with')), exchanges, h('p', { class: 'hint' }, t('catalog.form.exchangesHint'))),
    linksError,
  );
  slots.set('links', { wrap: linksSet, control: runsOn, label: linksLegend, error: linksError });

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true, 'data-testid': 'catalog-form-errors' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'catalog-save' }, editing ? t('catalog.form.save') : t('catalog.form.create'));

  function currentKind(): CatalogKind {
    return kind.value as CatalogKind;
  }

  function renderStatuses(): void {
    const allowed = statusesFor(currentKind());
    const keep = (status.value || rec?.status || '') as CatalogStatus;
    mount(status, allowed.map((s) => h('option', { value: s }, statusLabel(s))));
    status.value = allowed.includes(keep) ? keep : allowed[0];
  }

  /** Shows the fields that apply to the kind and status, and marks the required ones. */
  function applyRules(): void {
    const k = currentKind();
    const s = status.value as CatalogStatus;
    slots.get('consolidation')!.wrap.hidden = !(k === 'database' && s === 'in_use');
    slots.get('connected_at')!.wrap.hidden = k !== 'national';
    linksSet.hidden = k !== 'database';
    const required = new Set<FieldName>(requiredFor(k, s));
    if (reasonNeeded()) required.add('reason');
    for (const [field, sl] of slots) {
      if (field === 'links' || field === 'ioc_connected') continue;
      const req = required.has(field as FieldName);
      sl.wrap.classList.toggle('required', req);
      if (req) sl.control.setAttribute('aria-required', 'true');
      else sl.control.removeAttribute('aria-required');
      sl.label.querySelector('.req')?.remove();
      if (req) sl.label.append(h('span', { class: 'req', 'aria-hidden': 'true' }, ' *'));
    }
  }

  /** Going back (status, un-merging, leaving the IOC) needs a reason. */
  function reasonNeeded(): boolean {
    if (!rec) return false;
    const s = status.value as CatalogStatus;
    return rank[s] < rank[rec.status] || (rec.consolidation === 'merged' && consolidation.value === 'not_merged') || (rec.ioc_connected && !ioc.checked);
  }

  function clearErrors(): void {
    summary.hidden = true;
    summary.replaceChildren();
    f.clear();
    runsOn.removeAttribute('aria-invalid');
    exchanges.removeAttribute('aria-invalid');
  }

  function fieldError(field: FieldName, message: string): void {
    f.error(field, message);
    if (field === 'links') exchanges.setAttribute('aria-invalid', 'true');
  }

  /** The summary at the top: each problem links to its field. */
  function showSummary(problems: { field?: FieldName; message: string }[]): void {
    mount(
      summary,
      h('h2', {}, t('catalog.form.errorsTitle')),
      h(
        'ul',
        {},
        problems.map((p) =>
          h(
            'li',
            {},
            p.field
              ? h(
                  'a',
                  {
                    href: `#${slots.get(p.field)!.control.id}`,
                    onclick: (e: Event) => {
                      e.preventDefault();
                      const target = slots.get(p.field!)!.control;
                      target.scrollIntoView({ block: 'center' });
                      target.focus();
                    },
                  },
                  `${fieldLabel(p.field)}: ${p.message}`,
                )
              : p.message,
          ),
        ),
      ),
    );
    summary.hidden = false;
    summary.focus();
  }

  /** What the form says, or the problems found before sending. */
  function collect(): { body: CatalogWrite } | { problems: { field: FieldName; message: string }[] } {
    const k = currentKind();
    const s = status.value as CatalogStatus;
    const problems: { field: FieldName; message: string }[] = [];
    const required = requiredFor(k, s);
    const values: Partial<Record<FieldName, string>> = {
      code: code.value.trim(),
      name: name.value.trim(),
      sector: sector.value.trim(),
      owner: owner.value,
      legal_basis: legal.value.trim(),
      hosting: hosting.value.trim(),
      last_data_update: lastUpdate.value,
      contact: contact.value.trim(),
      consolidation: consolidation.value,
      record_count: recordCount.value.trim(),
      connected_at: connectedAt.value,
      reason: reason.value.trim(),
    };
    for (const f of required) {
      if (!values[f]) problems.push({ field: f, message: f === 'code' || f === 'name' || f === 'sector' || f === 'owner' ? t('catalog.err.required') : t('catalog.err.requiredFor', { status: statusLabel(s) }) });
    }
    if (values.code && !/^[A-Za-z0-9._-]{1,64}$/.test(values.code)) problems.push({ field: 'code', message: t('catalog.err.code') });
    const count = values.record_count ? Number(values.record_count) : null;
    if (count != null && !(Number.isInteger(count) && count >= 0)) problems.push({ field: 'record_count', message: t('catalog.err.count') });
    if (reasonNeeded() && !values.reason) problems.push({ field: 'reason', message: t('catalog.err.reason') });
    if (problems.length) return { problems };

    const links: CatalogLink[] =
      k === 'database'
        ? [...splitCodes(runsOn.value).map((target) => ({ kind: 'runs_on' as const, target })), ...splitCodes(exchanges.value).map((target) => ({ kind: 'exchanges_with' as const, target }))]
        : [];
    const body: CatalogWrite = {
      kind: k,
      code: values.code!,
      name: values.name!,
      sector: values.sector!,
      owner: values.owner!,
      status: s,
      consolidation: k === 'database' && s === 'in_use' && values.consolidation ? (values.consolidation as Consolidation) : null,
      source_systems: splitList(sources.value),
      ioc_connected: ioc.checked,
      hosting: values.hosting!,
      record_count: count,
      last_data_update: values.last_data_update || null,
      contact: values.contact!,
      legal_basis: values.legal_basis!,
      tags: splitList(tags.value),
      connected_at: k === 'national' && values.connected_at ? values.connected_at : null,
      links,
    };
    if (values.reason) body.reason = values.reason;
    if (effective.value) body.effective = effective.value;
    if (rec) body.expected_version = rec.version;
    return { body };
  }

  /** The field a server problem is about ("legal_basis: required …"), mapped to the form's names. */
  function problemSlot(err: ApiError): { field?: FieldName; text: string } {
    const { field, text } = problemField(err);
    const aliases: Record<string, FieldName> = { effective_date: 'effective', runs_on: 'links', exchanges_with: 'links' };
    const raw = field && (aliases[field] ?? field);
    return raw && slots.has(raw) ? { field: raw as FieldName, text } : { text: err.detail };
  }

  /** A server problem in the reader's language; the server's own words where they add detail. */
  function problemMessage(err: ApiError, text: string): string {
    const withDetail = (key: Key) => `${t(key)} (${text})`;
    switch (err.code) {
      case 'catalog.missing_field':
        return t('catalog.err.requiredFor', { status: statusLabel(status.value as CatalogStatus) });
      case 'catalog.reason_required':
        return t('catalog.err.reason');
      case 'catalog.unknown_unit':
        return t('catalog.err.unknownUnit');
      case 'catalog.duplicate_code':
        return t('catalog.err.duplicate');
      case 'catalog.invalid_link':
        return withDetail('catalog.err.link');
      case 'catalog.invalid_date':
        return withDetail('catalog.err.date');
      case 'catalog.invalid_transition':
        return withDetail('catalog.err.transition');
      default:
        return text || errorMessage(err);
    }
  }

  function serverError(err: unknown): void {
    if (err instanceof ApiError && err.code === 'catalog.version_conflict') {
      return showSummary([{ message: t('catalog.err.conflict') }]);
    }
    if (err instanceof ApiError && err.status === 422) {
      const { field, text } = problemSlot(err);
      const message = problemMessage(err, text);
      if (field === undefined && err.code === 'catalog.duplicate_code') {
        fieldError('code', message);
        return showSummary([{ field: 'code', message }]);
      }
      if (field) fieldError(field, message);
      return showSummary([{ field, message }]);
    }
    if (err instanceof ApiError && err.status === 403) return showSummary([{ message: `${t('catalog.err.forbidden')} ${errorMessage(err)}` }]);
    showSummary([{ message: errorMessage(err) }]);
  }

  const form = checkedForm(
    { class: 'stack catalog-form', testid: 'catalog-form' },
    () => {
      clearErrors();
      const result = collect();
      if ('problems' in result) {
        for (const p of result.problems) fieldError(p.field, p.message);
        return showSummary(result.problems);
      }
      void busy(submit, async () => {
        try {
          const saved = editing ? await catalogApi.update(rec.code, result.body) : await catalogApi.create(result.body);
          if (!signal.aborted) go(entryHref(saved.code));
        } catch (err) {
          if (!signal.aborted) serverError(err);
        }
      });
    },
    summary,
    h(
      'section',
      { class: 'card panel stack', 'aria-labelledby': 'catalog-form-what' },
      h('h2', { id: 'catalog-form-what' }, t('catalog.form.identity')),
      h(
        'div',
        { class: 'form-grid' },
        slot('kind', kind, editing ? t('catalog.form.kindFixed') : undefined),
        slot('code', code, editing ? t('catalog.form.codeFixed') : t('catalog.form.codeHint')),
        slot('name', name),
        slot('sector', sector, t('catalog.form.sectorHint')),
        slot('owner', owner),
      ),
      sectorList,
    ),
    h(
      'section',
      { class: 'card panel stack', 'aria-labelledby': 'catalog-form-state' },
      h('h2', { id: 'catalog-form-state' }, t('catalog.form.state')),
      h('p', { class: 'hint' }, t('catalog.form.requiredNote')),
      h(
        'div',
        { class: 'form-grid' },
        slot('status', status, t('catalog.form.statusHint')),
        slot('consolidation', consolidation),
        slot('legal_basis', legal, t('catalog.form.legalHint')),
        slot('hosting', hosting),
        slot('record_count', recordCount),
        slot('last_data_update', lastUpdate),
        slot('contact', contact),
        slot('connected_at', connectedAt),
        checkSlot(),
      ),
    ),
    h(
      'section',
      { class: 'card panel stack', 'aria-labelledby': 'catalog-form-more' },
      h('h2', { id: 'catalog-form-more' }, t('catalog.form.more')),
      h('div', { class: 'form-grid' }, slot('source_systems', sources, t('catalog.form.listHint')), slot('tags', tags, t('catalog.form.listHint'))),
      linksSet,
    ),
    h(
      'section',
      { class: 'card panel stack', 'aria-labelledby': 'catalog-form-change' },
      h('h2', { id: 'catalog-form-change' }, t('catalog.form.change')),
      h(
        'div',
        { class: 'form-grid' },
        slot('reason', reason, t('catalog.form.reasonHint')),
        slot('effective', effective, rec ? t('catalog.form.effectiveHintEdit', { date: fmtDate(rec.effective) }) : t('catalog.form.effectiveHint')),
      ),
    ),
    h(
      'p',
      { class: 'page-actions' },
      submit,
      h('a', { class: 'button button-secondary', href: rec ? entryHref(rec.code) : '/catalog', 'data-testid': 'catalog-cancel' }, t('catalog.form.cancel')),
    ),
  );

  kind.addEventListener('change', () => {
    renderStatuses();
    applyRules();
  });
  for (const el of [status, consolidation, ioc]) el.addEventListener('change', applyRules);
  renderStatuses();
  applyRules();

  const title = rec ? t('catalog.form.editTitle', { name: rec.name }) : t('catalog.form.newTitle');
  mount(
    outlet,
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('catalog.breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/catalog' }, t('nav.catalog'))), rec && h('li', {}, h('a', { href: entryHref(rec.code) }, rec.code)), h('li', { 'aria-current': 'page' }, rec ? t('catalog.edit') : t('catalog.new'))),
    ),
    pageHead(title, rec ? t('catalog.form.editLead', { version: rec.version }) : t('catalog.form.newLead')),
    form,
  );
  titled(outlet, title);
}

/** The owner unit: the province, its departments and agencies, its communes and wards. */
function ownerSelect(id: string, data: Data, rec: CatalogRecord | null): HTMLSelectElement {
  const select = h(
    'select',
    { id, name: 'owner' },
    h('option', { value: '' }, t('catalog.form.choose')),
    unitOptions(data.province, data.units, rec ? { code: rec.owner, name: rec.owner_name || rec.owner } : undefined),
  );
  // A new entry starts at the officer's own unit (when it is one of the province's).
  const grantUnit = currentUser()?.roles.find((g) => g.role === 'officer' && g.unit_code)?.unit_code;
  const offered = new Set([data.province.code, ...data.units.map((u) => u.code)]);
  select.value = rec?.owner ?? (grantUnit && offered.has(grantUnit) ? grantUnit : '');
  return select;
}
