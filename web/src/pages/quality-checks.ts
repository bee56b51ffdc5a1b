// The "Kiểm tra chất lượng" section of a dataset's page ("/datasets/:code#quality-checks"): the
// dataset's quality checks as a form, one row per check — its id, title, type, the field it looks
// at (from the schema), severity, dimension and the type's parameters (a near-duplicate check's
// compared fields, how each is compared, the fields it compares within and its date window) — rows
// added and removed, saved as a whole (PUT) with the catalog's database whose data the dataset
// holds, or filled again from the defaults the server derives from the schema (saved only with
// "Lưu"). The server's refusals (quality.invalid_check, quality.bad_expression) are shown next to
// the form with its message, and the row and box it names are marked. Accounts that may not write
// data see the checks without changing them.

import { ApiError } from '../api';
import { catalogApi } from '../catalog-api';
import type { DatasetDetail } from '../datasets-api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDateTime, fmtInt, t, type Key } from '../i18n';
import { fieldKinds, type FieldKind } from '../link-api';
import {
  checkTypes,
  dimensions,
  outlierMethods,
  qualityApi,
  severities,
  type Check,
  type CheckType,
  type DatasetChecks,
} from '../quality-api';
import { currentUser } from '../session';
import { showError } from '../shell';
import { fold } from '../text';
import { canUpload, fieldTitle, schemaFacts, type FieldFacts } from './datasets-common';
import { checkTypeLabel, dimensionLabel, severityLabel } from './quality-common';

type ParamKind = 'field' | 'fields' | 'text' | 'number' | 'list' | 'method' | 'kinds' | 'block' | 'dateField';

interface Param {
  key: string;
  kind: ParamKind;
  /** The value a new check of the type starts with. */
  start?: number | string;
  wide?: boolean;
}

/** The parameters of each type, as the API names them (the field first when the type has one). */
const typeParams: Record<CheckType, Param[]> = {
  missing: [{ key: 'field', kind: 'field' }],
  pattern: [{ key: 'field', kind: 'field' }, { key: 'pattern', kind: 'text' }],
  range: [{ key: 'field', kind: 'field' }, { key: 'min', kind: 'number' }, { key: 'max', kind: 'number' }],
  codes: [{ key: 'field', kind: 'field' }, { key: 'values', kind: 'list', wide: true }],
  duplicate: [{ key: 'fields', kind: 'fields' }],
  near_duplicate: [
    { key: 'fields', kind: 'fields' },
    { key: 'kinds', kind: 'kinds' },
    { key: 'block', kind: 'block' },
    { key: 'field', kind: 'dateField' },
    { key: 'max_days', kind: 'number', start: 7 },
  ],
  rule: [{ key: 'expression', kind: 'text', wide: true }],
  reference: [{ key: 'field', kind: 'field' }, { key: 'dataset', kind: 'text' }, { key: 'key', kind: 'text' }],
  rejected: [],
  freshness: [{ key: 'max_days', kind: 'number', start: 35 }],
  row_count: [{ key: 'within_percent', kind: 'number', start: 50 }],
  completeness: [{ key: 'threshold', kind: 'number', start: 90 }],
  timeliness: [{ key: 'threshold', kind: 'number', start: 75 }, { key: 'due_day', kind: 'number', start: 25 }],
  outliers: [{ key: 'method', kind: 'method', start: 'modified_z' }, { key: 'threshold', kind: 'number', start: 3.5 }],
  consistency: [{ key: 'within_percent', kind: 'number', start: 33 }],
};

const baseKeys = new Set(['id', 'title', 'type', 'severity', 'dimension']);
/** Every parameter key of any type: what a row drops when its type changes. */
const paramKeys = new Set(Object.values(typeParams).flatMap((ps) => ps.map((p) => p.key)));

const paramsOf = (type: string): Param[] => typeParams[type as CheckType] ?? [];
const paramLabel = (p: Param): string => t(p.kind === 'dateField' ? 'quality.param.dateField' : (`quality.param.${p.key}` as Key));
const kindLabel = (k: string): string => ((fieldKinds as string[]).includes(k) ? t(`link.kind.${k}` as Key) : k);

/**
 * How a near-duplicate check compares a field when the server has not said: as the server guesses
 * it (an ID number, a date, a unit's code, a name, a code list, else text).
 */
function guessKind(f: FieldFacts | undefined): FieldKind {
  if (!f) return 'text';
  if (f.citizenId) return 'id';
  if (f.type === 'date' || f.type === 'datetime') return 'date';
  if (f.unit) return 'commune';
  if (f.name.includes('name') || ` ${fold(f.title)} `.includes(' ten ')) return 'full_name';
  if (f.values.length > 0) return 'code';
  return 'text';
}

let seq = 0;

interface Row {
  el: HTMLTableRowElement;
  read(): Check;
  /** Marks the box of `key` (its `at`th for a list of boxes, or the row) as refused; returns the box to focus. */
  mark(key: string, at?: number): HTMLElement;
  unmark(): void;
}

function checkRow(check: Check, index: number, fields: FieldFacts[], onRemove: () => void): Row {
  const n = ++seq;
  const idFor = (k: string) => `quality-check-${n}-${k}`;
  const label = (k: string, text: string) => ({ id: idFor(k), 'aria-label': t('quality.checks.boxLabel', { n: fmtInt(index + 1), box: text }) });
  // Members the form does not edit are kept as they are (those of another type's only while the
  // type stays the same).
  const own = new Set(paramsOf(check.type).map((p) => p.key));
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(check)) if (!baseKeys.has(k) && !own.has(k)) kept[k] = v;
  const values: Record<string, unknown> = { ...check };

  const id = h('input', { ...label('id', t('quality.checks.col.id')), value: check.id ?? '', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'quality-check-id', class: 'qc-id' });
  const title = h('input', { ...label('title', t('quality.checks.col.title')), value: check.title ?? '', autocomplete: 'off', 'data-testid': 'quality-check-title' });
  const typeChoices: string[] = (checkTypes as string[]).includes(check.type) ? checkTypes : [...checkTypes, check.type];
  const type = h(
    'select',
    { ...label('type', t('quality.checks.col.type')), 'data-testid': 'quality-check-type' },
    typeChoices.map((ty) => h('option', { value: ty }, checkTypeLabel(ty))),
  );
  type.value = check.type;
  const severityChoices: string[] = (severities as string[]).includes(check.severity) ? severities : [...severities, check.severity];
  const severity = h(
    'select',
    { ...label('severity', t('quality.checks.col.severity')), 'data-testid': 'quality-check-severity' },
    severityChoices.map((s) => h('option', { value: s }, severityLabel(s))),
  );
  severity.value = check.severity || 'error';
  const dimension = h(
    'select',
    { ...label('dimension', t('quality.checks.col.dimension')), 'data-testid': 'quality-check-dimension' },
    h('option', { value: '' }, t('quality.checks.dimensionByType')),
    dimensions.map((d) => h('option', { value: d }, dimensionLabel(d))),
    check.dimension && !(dimensions as string[]).includes(check.dimension) ? h('option', { value: check.dimension }, check.dimension) : null,
  );
  dimension.value = check.dimension ?? '';

  const fieldCell = h('td', { class: 'qc-field' });
  const paramsCell = h('td', { class: 'qc-params' });
  /** The boxes of the current type's parameters, by key. */
  let boxes = new Map<string, { el: HTMLInputElement | HTMLSelectElement; param: Param }>();
  /** A near-duplicate check's kind of each field, as the server gave it or as last chosen. */
  const kindOf = new Map<string, string>();
  if (Array.isArray(check.fields) && Array.isArray(check.kinds)) check.fields.forEach((f, i) => check.kinds?.[i] && kindOf.set(String(f), String(check.kinds[i])));
  /** The kind selects of the fields chosen, in their order. */
  let kindBoxes: HTMLSelectElement[] = [];
  /** The current type compares fields by kind (its kinds are read from `kindBoxes`). */
  let kindsShown = false;
  const kindsList = h('div', { class: 'qc-kinds', 'data-testid': 'quality-check-kinds' });

  function fieldSelect(param: Param): HTMLSelectElement {
    const multiple = param.kind === 'fields' || param.kind === 'block';
    const dates = param.kind === 'dateField';
    const raw = values[param.key];
    const current = multiple ? (Array.isArray(raw) ? raw.map(String) : []) : String(raw ?? '');
    const choices = dates ? fields.filter((f) => f.type === 'date' || f.type === 'datetime') : fields;
    const known = new Set(choices.map((f) => f.name));
    const unknown = (multiple ? (current as string[]) : [current as string]).filter((v) => v && !known.has(v));
    const select = h(
      'select',
      {
        ...label(param.key, paramLabel(param)),
        multiple,
        size: multiple ? 4 : null,
        'data-testid': param.kind === 'field' || param.kind === 'fields' ? 'quality-check-field' : 'quality-check-param',
        'data-param': param.key,
      },
      !multiple && h('option', { value: '' }, dates ? t('quality.checks.noDateField') : t('quality.checks.chooseField')),
      choices.map((f) => h('option', { value: f.name }, `${fieldTitle(f)} (${f.name})`)),
      unknown.map((v) => h('option', { value: v }, v)),
    );
    if (multiple) for (const o of select.options) o.selected = (current as string[]).includes(o.value);
    else select.value = current as string;
    return select;
  }

  /**
   * The fields chosen in a multiple select, in the order the check had them (a near-duplicate
   * check's kinds go with its fields one by one), those newly chosen after them.
   */
  function chosenIn(select: HTMLSelectElement, before: unknown): string[] {
    const chosen = [...select.selectedOptions].map((o) => o.value);
    const kept = Array.isArray(before) ? before.map(String).filter((v) => chosen.includes(v)) : [];
    return [...kept, ...chosen.filter((v) => !kept.includes(v))];
  }

  /** One kind select per field chosen in `fieldsBox`, each keeping what it had. */
  function renderKinds(fieldsBox: HTMLSelectElement): void {
    const chosen = chosenIn(fieldsBox, values.fields);
    values.fields = chosen;
    kindBoxes = chosen.map((name) => {
      const f = fields.find((x) => x.name === name);
      const current = kindOf.get(name) ?? guessKind(f);
      const choices: string[] = (fieldKinds as string[]).includes(current) ? fieldKinds : [...fieldKinds, current];
      const what = t('quality.checks.kindOf', { field: f ? fieldTitle(f) : name });
      const select = h(
        'select',
        { ...label(`kind-${name}`, what), 'data-testid': 'quality-check-kind', 'data-field': name },
        choices.map((k) => h('option', { value: k }, kindLabel(k))),
      );
      select.value = current;
      select.addEventListener('change', () => kindOf.set(name, select.value));
      return select;
    });
    mount(
      kindsList,
      kindBoxes.length === 0
        ? h('span', { class: 'muted small' }, t('quality.checks.kindsNone'))
        : kindBoxes.map((select) => h('label', { class: 'qc-kind' }, h('span', {}, select.dataset.field ?? ''), select)),
    );
  }

  function paramBox(param: Param): HTMLInputElement | HTMLSelectElement {
    const v = values[param.key];
    const attrs = { ...label(param.key, paramLabel(param)), 'data-testid': 'quality-check-param', 'data-param': param.key };
    switch (param.kind) {
      case 'block':
      case 'dateField':
        return fieldSelect(param);
      case 'method': {
        const choices: string[] = typeof v === 'string' && v && !(outlierMethods as string[]).includes(v) ? [...outlierMethods, v] : outlierMethods;
        const select = h('select', attrs, choices.map((m) => h('option', { value: m }, t(`quality.method.${m}` as Key))));
        select.value = typeof v === 'string' && v ? v : String(param.start ?? 'modified_z');
        return select;
      }
      case 'number':
        return h('input', { ...attrs, type: 'number', step: 'any', inputmode: 'decimal', value: v == null ? (param.start ?? '') : String(v) });
      case 'list':
        return h('input', { ...attrs, value: Array.isArray(v) ? v.join(', ') : '', placeholder: t('quality.checks.listHint'), autocomplete: 'off' });
      default:
        return h('input', {
          ...attrs,
          value: v == null ? '' : String(v),
          autocomplete: 'off',
          spellcheck: 'false',
          placeholder: param.key === 'expression' ? '#{completed_at} >= #{received_at}' : null,
          class: param.wide ? 'qc-wide' : null,
        });
    }
  }

  /** Reads the boxes of the current type back into `values` (so a change of type keeps what it can). */
  function collect(): void {
    for (const [key, { el, param }] of boxes) {
      if (param.kind === 'fields' || param.kind === 'block') values[key] = chosenIn(el as HTMLSelectElement, values[key]);
      else if (param.kind === 'number') values[key] = el.value.trim() === '' ? undefined : Number(el.value);
      else if (param.kind === 'list') values[key] = el.value.trim() === '' ? undefined : el.value.split(',').map((s) => s.trim()).filter(Boolean);
      else values[key] = el.value.trim() === '' ? undefined : el.value.trim();
    }
    // The kinds follow the fields chosen, one each, in their order.
    if (kindsShown) values.kinds = kindBoxes.map((b) => b.value);
  }

  function renderParams(): void {
    boxes = new Map();
    kindBoxes = [];
    const params = paramsOf(type.value);
    kindsShown = params.some((p) => p.kind === 'kinds');
    const fieldParam = params.find((p) => p.kind === 'field' || p.kind === 'fields');
    if (fieldParam) {
      const select = fieldSelect(fieldParam);
      boxes.set(fieldParam.key, { el: select, param: fieldParam });
      mount(fieldCell, select);
      if (kindsShown) {
        renderKinds(select);
        select.addEventListener('change', () => renderKinds(select));
      }
    } else {
      mount(fieldCell, h('span', { class: 'muted' }, t('state.none')));
    }
    const rest = params.filter((p) => p !== fieldParam);
    mount(
      paramsCell,
      rest.length === 0
        ? h('span', { class: 'muted small', 'data-testid': 'quality-check-no-params' }, type.value === 'rejected' ? t('quality.checks.rejectedHint') : t('state.none'))
        : rest.map((p) => {
            // The kinds are a group of selects (one per field), not one box.
            if (p.kind === 'kinds') return h('div', { class: 'qc-param', role: 'group', 'aria-label': paramLabel(p) }, h('span', {}, paramLabel(p)), kindsList);
            const box = paramBox(p);
            boxes.set(p.key, { el: box, param: p });
            return h('label', { class: `qc-param${p.wide ? ' qc-param-wide' : ''}` }, h('span', {}, paramLabel(p)), box);
          }),
    );
  }

  type.addEventListener('change', () => {
    collect();
    renderParams();
  });
  renderParams();

  const remove = h(
    'button',
    { type: 'button', class: 'link-button', 'data-testid': 'quality-check-remove', 'aria-label': t('quality.checks.removeN', { n: fmtInt(index + 1) }), onclick: onRemove },
    t('quality.checks.remove'),
  );
  const el = h(
    'tr',
    { 'data-testid': 'quality-check-row', 'data-index': index, 'data-id': check.id ?? '', 'data-type': check.type },
    h('td', { class: 'num muted' }, fmtInt(index + 1)),
    h('td', {}, id),
    h('td', {}, title),
    h('td', {}, type),
    fieldCell,
    h('td', {}, severity),
    h('td', {}, dimension),
    paramsCell,
    h('td', {}, remove),
  );

  return {
    el,
    read() {
      collect();
      const extra = type.value === check.type ? kept : Object.fromEntries(Object.entries(kept).filter(([k]) => !paramKeys.has(k)));
      const out: Check = { ...extra, id: id.value.trim(), title: title.value.trim(), type: type.value, severity: severity.value };
      if (dimension.value) out.dimension = dimension.value;
      for (const p of paramsOf(type.value)) {
        const v = values[p.key];
        if (v !== undefined && !(Array.isArray(v) && v.length === 0 && p.kind !== 'fields')) out[p.key] = v;
      }
      return out;
    },
    unmark() {
      el.classList.remove('invalid');
      delete el.dataset.refused;
      for (const box of el.querySelectorAll('[aria-invalid]')) box.removeAttribute('aria-invalid');
    },
    mark(key, at) {
      el.classList.add('invalid');
      const base: Record<string, HTMLElement> = { id, title, type, severity, dimension };
      const box = base[key] ?? (key === 'kinds' ? (kindBoxes[at ?? 0] ?? kindBoxes[0]) : boxes.get(key)?.el) ?? null;
      box?.setAttribute('aria-invalid', 'true');
      return box ?? id;
    },
  };
}

/** Where the server's refusal points: "checks[2].field: …" → row 2, box "field"; "checks[2].kinds[1]" → its second kind. */
export function refusedAt(detail: string): { index: number; key: string; at?: number } | null {
  const m = /checks\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?/.exec(detail);
  return m ? { index: Number(m[1]), key: m[2] ?? '', at: m[3] === undefined ? undefined : Number(m[3]) } : null;
}

const refusalCodes = new Set(['quality.invalid_check', 'quality.bad_expression']);

/** The section of the dataset page; it loads the checks by itself. */
export function checksSection(d: DatasetDetail, signal: AbortSignal): HTMLElement {
  const body = h('div', { class: 'stack' }, h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('state.loading')));
  const section = h(
    'section',
    { class: 'card panel', id: 'quality-checks', 'aria-labelledby': 'quality-checks-h', 'data-testid': 'quality-checks-panel', 'aria-busy': 'true' },
    h('h2', { id: 'quality-checks-h' }, t('quality.checks.title')),
    h('p', { class: 'muted' }, t('quality.checks.lead')),
    body,
  );
  qualityApi
    .checks(d.code)
    .then((data) => {
      if (signal.aborted) return;
      section.removeAttribute('aria-busy');
      mount(body, checksForm(d, data, signal));
      // Arriving from the scoreboard's "checks" link: the section is where the page should be.
      if (location.hash === '#quality-checks') section.scrollIntoView();
    })
    .catch((err) => {
      if (signal.aborted) return;
      section.removeAttribute('aria-busy');
      showError(err);
      mount(body, h('p', { class: 'muted', 'data-testid': 'quality-checks-unavailable' }, t('quality.checks.unavailable')));
    });
  return section;
}

function checksForm(d: DatasetDetail, first: DatasetChecks, signal: AbortSignal): HTMLElement {
  const writable = canUpload(currentUser());
  const fields = schemaFacts(d.schema, d.primary_key);
  let data = first;
  let rows: Row[] = [];
  const tbody = h('tbody');
  const status = h('p', { class: 'muted small', 'data-testid': 'quality-checks-updated' });
  const count = h('p', { class: 'muted', role: 'status', 'data-testid': 'quality-checks-count' });
  const message = formMessage('quality-checks-message');
  // The catalog's database whose data the dataset holds: any entry's code (a database, or the
  // platform a system's data comes from), suggested from the catalog once it arrives.
  const entries = h('datalist', { id: `quality-checks-entries-${d.code}` });
  const entry = input(`quality-checks-entry-${d.code}`, {
    value: first.catalog_entry ?? '',
    list: entries.id,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'CSDL-…',
    'data-testid': 'quality-checks-catalog-entry',
  });
  entry.classList.add('qc-entry');
  if (writable) {
    catalogApi
      .entries(new URLSearchParams({ limit: '1000' }))
      .then(({ items }) => {
        if (signal.aborted) return;
        const order = { database: 0, platform: 1, national: 2 } as Record<string, number>;
        const sorted = [...items].sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3) || a.code.localeCompare(b.code));
        mount(entries, sorted.map((e) => h('option', { value: e.code }, e.name)));
      })
      .catch(() => {
        // Without suggestions the code can still be typed; the server judges it.
      });
  }

  function renderRows(checks: Check[]): void {
    rows = [];
    rows = checks.map((c, i) =>
      checkRow(c, i, fields, () => {
        const left = rows.map((r) => r.read()).filter((_, j) => j !== i);
        renderRows(left);
        message.clear();
        (rows[Math.min(i, rows.length - 1)]?.el.querySelector('input') ?? add).focus();
      }),
    );
    mount(tbody, rows.length ? rows.map((r) => r.el) : h('tr', {}, h('td', { colspan: 9, class: 'empty', 'data-testid': 'quality-checks-none' }, t('quality.checks.empty'))));
    count.textContent = t('quality.checks.count', { n: fmtInt(rows.length) });
  }

  function renderStatus(): void {
    status.textContent =
      data.stored === false || !data.updated_at
        ? t('quality.checks.fromSchema')
        : t('quality.checks.updated', { at: fmtDateTime(data.updated_at), by: data.updated_by || t('state.none') });
  }

  /** A name for a new check that no row has yet. */
  function freshId(): string {
    const taken = new Set(rows.map((r) => r.read().id));
    let i = rows.length + 1;
    while (taken.has(`check_${i}`)) i += 1;
    return `check_${i}`;
  }

  const add = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'quality-checks-add' }, t('quality.checks.add'));
  add.addEventListener('click', () => {
    message.clear();
    const checks = rows.map((r) => r.read());
    checks.push({ id: freshId(), title: '', type: 'missing', severity: 'error' });
    renderRows(checks);
    rows[rows.length - 1].el.querySelector<HTMLInputElement>('[data-testid="quality-check-title"]')?.focus();
  });

  const defaults = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'quality-checks-defaults' }, t('quality.checks.defaults'));
  defaults.addEventListener('click', () => {
    renderRows(structuredClone(data.defaults));
    message.ok(t('quality.checks.defaultsFilled', { n: fmtInt(data.defaults.length) }));
  });

  const save = h('button', { type: 'submit', class: 'button', 'data-testid': 'quality-checks-save' }, t('quality.checks.save'));
  const form = h(
    'form',
    {
      class: 'stack quality-checks-form',
      novalidate: true,
      'data-testid': 'quality-checks-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (!writable) return;
        message.clear();
        for (const r of rows) r.unmark();
        entry.removeAttribute('aria-invalid');
        const checks = rows.map((r) => r.read());
        // Every check needs an id of its own; the server judges the rest.
        const blank = checks.findIndex((c) => !c.id);
        const seen = new Set<string>();
        const twice = checks.findIndex((c) => c.id && (seen.has(c.id) || !seen.add(c.id)));
        const bad = blank >= 0 ? blank : twice;
        if (bad >= 0) {
          message.error(null, blank >= 0 ? t('quality.checks.needId', { n: fmtInt(bad + 1) }) : t('quality.checks.sameId', { id: checks[bad].id }));
          rows[bad].mark('id').focus();
          return;
        }
        void busy(save, async () => {
          try {
            data = await qualityApi.saveChecks(d.code, checks, entry.value.trim());
            if (signal.aborted) return;
            entry.value = data.catalog_entry ?? '';
            renderRows(data.checks);
            renderStatus();
            message.ok(t('quality.checks.saved', { n: fmtInt(data.checks.length) }));
          } catch (err) {
            if (signal.aborted) return;
            if (!(err instanceof ApiError) || err.status !== 422) {
              showError(err);
              return;
            }
            // The server's message names the check and the key; the row and box are marked.
            message.error(err);
            if (refusalCodes.has(err.code)) message.el.append(h('p', { class: 'form-message-detail' }, h('small', {}, t('datasets.upload.errorCode', { code: err.code }))));
            if (/^catalog_entry\b/.test(err.detail)) {
              entry.setAttribute('aria-invalid', 'true');
              entry.focus();
              return;
            }
            const at = refusedAt(err.detail);
            const row = at ? rows[at.index] : undefined;
            if (at && row) {
              row.el.dataset.refused = at.key || 'row';
              row.mark(at.key, at.at).focus();
            }
          }
        });
      },
    },
    h(
      'fieldset',
      { class: 'quality-checks-fieldset', disabled: !writable, 'data-testid': 'quality-checks-fieldset' },
      h('legend', { class: 'visually-hidden' }, t('quality.checks.title')),
      h('div', { class: 'qc-entry-field', 'data-testid': 'quality-checks-catalog' }, field(t('quality.checks.catalogEntry'), entry, t('quality.checks.catalogEntryHint')), entries),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data quality-checks-table', 'data-testid': 'quality-checks-table' },
          h('caption', { class: 'visually-hidden' }, t('quality.checks.title')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col', class: 'num' }, '#'),
              (['id', 'title', 'type', 'field', 'severity', 'dimension', 'params'] as const).map((k) => h('th', { scope: 'col' }, t(`quality.checks.col.${k}`))),
              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('quality.checks.remove'))),
            ),
          ),
          tbody,
        ),
      ),
    ),
    count,
    message.el,
    writable
      ? h('p', { class: 'page-actions' }, save, add, defaults)
      : h('p', { class: 'muted small', 'data-testid': 'quality-checks-readonly' }, t('quality.checks.readOnly')),
    h(
      'details',
      { class: 'small' },
      h('summary', {}, t('quality.checks.helpTitle')),
      h('p', { class: 'muted' }, t('quality.checks.help')),
      h('p', { class: 'muted' }, t('quality.checks.nearHint')),
    ),
  );
  renderRows(data.checks);
  renderStatus();
  return h('div', { class: 'stack' }, status, form);
}
