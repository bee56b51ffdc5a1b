// Shared by the dataset pages: what a schema field says (Table Schema with the pdh: keys of
// src/ingest/ingest.h), record values written the reader's way, batch statuses with their explanation, the batch
// report (counts, encoding, units, warnings, rejected rows with a hint on how to fix each), the
// dataset's sub-navigation, and who may upload.

import type { Me } from '../api';
import { ApiError } from '../api';
import {
  batchHref,
  dataHref,
  datasetHref,
  fileErrorCodes,
  rejectedCsvUrl,
  rowErrorCodes,
  type BatchReport,
  type BatchStatus,
  type Category,
  type Dataset,
  type RecordValue,
  type RowError,
  type SchemaField,
  type TableSchema,
  type UnitResolution,
} from '../datasets-api';
import { h } from '../dom';
import { fmtDec, fmtInt, lang, locale, t, type Key } from '../i18n';
import { hasRole } from '../session';
import { errorMessage } from '../shell';
import { unitLink } from '../units';

// --- Schema fields ---------------------------------------------------------------------------

/** What the pages show of a field. */
export interface FieldFacts {
  name: string;
  /** The Vietnamese title (the name when the schema gives none). */
  title: string;
  titleEn: string | null;
  description: string;
  type: string;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
  /** Holds a unit code (an administrative unit or an agency). */
  unit: boolean;
  personal: boolean;
  /** The record's period (its date in time). */
  period: boolean;
  citizenId: boolean;
  /** More column headings that name the field in an uploaded file. */
  aliases: string[];
  /** Code list values with their labels, in the schema's order. */
  values: { value: string; label: string }[];
  /** Readable constraints other than required, unique and the code list. */
  constraints: string[];
}

/** A pdh: key of a field; null counts as absent. */
function pdhKey(f: SchemaField, name: string): unknown {
  return f[`pdh:${name}`] ?? undefined;
}

const truthy = (v: unknown) => v === true;

/**
 * A code list as pdh writes it ("pdh:codes": [{code, label, label_en, aliases}]) or as Table
 * Schema v2 categories ([{value, label}] or ["value", …]); labels in the reader's language when
 * the list has them.
 */
function readLabels(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(raw)) return out;
  for (const c of raw as (string | number | Category)[]) {
    if (c === null || typeof c !== 'object') {
      out.set(String(c), String(c));
      continue;
    }
    const value = String(c.code ?? c.value ?? '');
    const label = (lang() === 'en' && c.label_en) || c.label || value;
    if (value) out.set(value, label);
  }
  return out;
}

export function primaryKeyOf(schema: TableSchema | undefined, fallback: string[] = []): string[] {
  const pk = schema?.primaryKey;
  if (Array.isArray(pk)) return pk;
  if (typeof pk === 'string' && pk) return [pk];
  return fallback;
}

/** What the pages show of each field of a schema, in the schema's order. */
export function schemaFacts(schema: TableSchema | undefined, fallbackKey: string[] = []): FieldFacts[] {
  const pk = primaryKeyOf(schema, fallbackKey);
  return (schema?.fields ?? []).map((f) => fieldFacts(f, pk));
}

export function fieldFacts(f: SchemaField, primaryKey: string[] = []): FieldFacts {
  const c = f.constraints ?? {};
  // "pdh:unit": true or {"partial": "review" | "largest"}.
  const unitRef = pdhKey(f, 'unit');
  const unit = unitRef !== undefined && unitRef !== false;
  const citizenId = f.format === 'citizen_id' || pdhKey(f, 'format') === 'citizen_id';
  const labels = readLabels(pdhKey(f, 'codes') ?? f.categories);
  for (const v of c.enum ?? []) if (!labels.has(String(v))) labels.set(String(v), String(v));

  const constraints: string[] = [];
  const num = (v: number | string) => (typeof v === 'number' ? fmtValueNumber(v) : String(v));
  if (c.minimum !== undefined) constraints.push(t('datasets.c.minimum', { v: num(c.minimum) }));
  if (c.exclusiveMinimum !== undefined) constraints.push(t('datasets.c.exclusiveMinimum', { v: num(c.exclusiveMinimum) }));
  if (c.maximum !== undefined) constraints.push(t('datasets.c.maximum', { v: num(c.maximum) }));
  if (c.exclusiveMaximum !== undefined) constraints.push(t('datasets.c.exclusiveMaximum', { v: num(c.exclusiveMaximum) }));
  if (c.minLength !== undefined) constraints.push(t('datasets.c.minLength', { v: fmtInt(c.minLength) }));
  if (c.maxLength !== undefined) constraints.push(t('datasets.c.maxLength', { v: fmtInt(c.maxLength) }));
  if (citizenId) constraints.push(t('datasets.c.citizenId'));
  if (c.pattern) constraints.push(t('datasets.c.pattern', { v: c.pattern }));
  if (f.format && !['default', 'citizen_id'].includes(f.format)) constraints.push(t('datasets.c.format', { v: f.format }));

  const titleEn = f.title_en;
  const aliases = pdhKey(f, 'aliases');
  return {
    name: f.name,
    title: f.title || f.name,
    titleEn: typeof titleEn === 'string' && titleEn ? titleEn : null,
    aliases: Array.isArray(aliases) ? aliases.map(String) : [],
    description: f.description ?? '',
    type: unit ? 'unit' : String(f.type ?? 'string'),
    required: truthy(c.required),
    unique: truthy(c.unique),
    primaryKey: primaryKey.includes(f.name),
    unit,
    personal: truthy(pdhKey(f, 'personal')),
    period: truthy(pdhKey(f, 'period')),
    citizenId,
    values: [...labels].map(([value, label]) => ({ value, label })),
    constraints,
  };
}

/** The column heading of a field: its Vietnamese title, or the English one in English when known. */
export function fieldTitle(f: FieldFacts): string {
  return lang() === 'en' && f.titleEn ? f.titleEn : f.title;
}

const knownTypes = ['string', 'number', 'integer', 'boolean', 'date', 'datetime', 'year', 'yearmonth', 'unit'];

export function typeLabel(type: string): string {
  return knownTypes.includes(type) ? t(`datasets.type.${type}` as Key) : type;
}

// --- Values ----------------------------------------------------------------------------------

function fmtValueNumber(n: number): string {
  if (Number.isInteger(n)) return fmtInt(n);
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 6 }).format(n);
}

const localStamp = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date or date-time as the sheet gave it: 03/10/2025 08:15 (vi), 3 Oct 2025, 08:15 (en). Times
 * without a zone are the province's wall clock and are shown as they are, not shifted to the
 * browser's zone; times with a zone are shown in local time.
 */
export function fmtStamp(s: string): string {
  const m = localStamp.exec(s);
  if (!m) return s;
  const [, y, mo, d, hh, mi, , zone] = m;
  const vi = lang() === 'vi';
  const dateOpts: Intl.DateTimeFormatOptions = { day: vi ? '2-digit' : 'numeric', month: vi ? '2-digit' : 'short', year: 'numeric' };
  if (hh === undefined) {
    return new Intl.DateTimeFormat(locale(), { ...dateOpts, timeZone: 'UTC' }).format(Date.UTC(+y, +mo - 1, +d));
  }
  const timeOpts: Intl.DateTimeFormatOptions = { ...dateOpts, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (zone) {
    const at = new Date(s);
    return Number.isNaN(at.getTime()) ? s : new Intl.DateTimeFormat(locale(), timeOpts).format(at);
  }
  return new Intl.DateTimeFormat(locale(), { ...timeOpts, timeZone: 'UTC' }).format(Date.UTC(+y, +mo - 1, +d, +hh, +mi));
}

/** A record's value in a table cell, the reader's way; the raw value stays in `data-value`. */
export function valueCell(value: RecordValue | undefined, f: FieldFacts | undefined): Node | string {
  if (value === null || value === undefined || value === '') return h('span', { class: 'muted' }, t('state.none'));
  if (typeof value === 'boolean') return value ? t('catalog.yes') : t('catalog.no');
  if (typeof value === 'number') return fmtValueNumber(value);
  if (!f) return value;
  if (f.values.length > 0) {
    const label = f.values.find((v) => v.value === value)?.label;
    if (label && label !== value) return h('span', { title: value }, label);
  }
  if (f.unit) return unitLink(value);
  if (f.type === 'date' || f.type === 'datetime' || f.period) return fmtStamp(value);
  return value;
}

// --- Datasets --------------------------------------------------------------------------------

/** The number of personal fields, whichever way the list gives them. */
export function personalCount(d: Pick<Dataset, 'personal_fields'>): number {
  return Array.isArray(d.personal_fields) ? d.personal_fields.length : (d.personal_fields ?? 0);
}

export function datasetTitle(d: Pick<Dataset, 'title' | 'title_en'>): string {
  return lang() === 'en' && d.title_en ? d.title_en : d.title;
}

/** Officers (rows of their units) and administrators upload; the server checks each row's unit. */
export function canUpload(me: Me | null): boolean {
  return hasRole(me, ['administrator', 'officer', 'system']);
}

/** Who may read records (datasets.read_private): auditors read schemas and batches only. */
export function canReadRecords(me: Me | null): boolean {
  return hasRole(me, ['administrator', 'officer', 'leader', 'system']);
}

/** Links between a dataset's pages, under each page's heading. */
export function datasetTabs(code: string, active: 'schema' | 'data', me: Me | null): HTMLElement {
  const tab = (key: Key, href: string, id: string) =>
    h('a', { href, class: 'tab', 'aria-current': id === active ? 'page' : null, 'data-testid': `dataset-tab-${id}` }, t(key));
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('datasets.tabs') },
    tab('datasets.tab.schema', datasetHref(code), 'schema'),
    canReadRecords(me) && tab('datasets.tab.data', dataHref(code), 'data'),
  );
}

export function breadcrumb(...items: (readonly [string, string | null])[]): HTMLElement {
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': t('datasets.breadcrumb') },
    h(
      'ol',
      {},
      h('li', {}, h('a', { href: '/datasets' }, t('nav.datasets'))),
      items.map(([label, href], i) => h('li', { 'aria-current': i === items.length - 1 ? 'page' : null }, href ? h('a', { href }, label) : label)),
    ),
  );
}

/** After a dataset or batch was not found: the way on leads back to the datasets. */
export function backToDatasets(outlet: HTMLElement): void {
  const back = outlet.querySelector<HTMLAnchorElement>('[data-testid="error-state"] a[href="/units"]');
  if (!back) return;
  back.href = '/datasets';
  back.textContent = t('datasets.back');
}

// --- Batches ---------------------------------------------------------------------------------

const statusTone: Record<BatchStatus, string> = {
  committed: 'badge-whole',
  dry_run: '',
  rejected: 'badge-old',
  duplicate: 'badge-muted',
};

export const batchStatusLabel = (s: BatchStatus): string => t(`batch.status.${s}` as Key);

export function batchStatusBadge(r: Pick<BatchReport, 'status' | 'counts'>): HTMLElement {
  const partial = r.status === 'committed' && r.counts.rejected > 0;
  return h(
    'span',
    { class: `badge ${partial ? 'badge-partial' : (statusTone[r.status] ?? '')}`, 'data-status': r.status },
    partial ? t('batch.status.partial') : batchStatusLabel(r.status),
  );
}

/** One or two sentences on what happened to the data, in the reader's words. */
export function batchExplanation(r: BatchReport): string {
  const n = (v: number) => fmtInt(v);
  switch (r.status) {
    case 'committed':
      return r.counts.rejected > 0
        ? t('batch.explain.partial', { imported: n(r.counts.imported), updated: n(r.counts.updated), rejected: n(r.counts.rejected) })
        : t('batch.explain.committed', { imported: n(r.counts.imported), updated: n(r.counts.updated), unchanged: n(r.counts.unchanged) });
    case 'dry_run':
      return r.counts.rejected > 0 ? t('batch.explain.dryRunErrors', { rejected: n(r.counts.rejected) }) : t('batch.explain.dryRun');
    case 'rejected':
      return t('batch.explain.rejected', { rejected: n(r.counts.rejected) });
    case 'duplicate':
      return r.duplicate_of != null ? t('batch.explain.duplicate', { id: String(r.duplicate_of) }) : t('batch.explain.duplicateUnknown');
    default:
      return String(r.status);
  }
}

const countKeys = ['read', 'imported', 'updated', 'unchanged', 'rejected'] as const;

function countChips(r: BatchReport): HTMLElement {
  return h(
    'ul',
    { class: 'chips', 'aria-label': t('batch.counts'), 'data-testid': 'batch-counts' },
    countKeys.map((k) =>
      h('li', { 'data-testid': `batch-count-${k}`, 'data-value': r.counts[k] }, h('strong', {}, fmtInt(r.counts[k])), ' ', t(`batch.count.${k}` as Key)),
    ),
  );
}

type Resolutions = number | UnitResolution[] | Record<string, string> | undefined;

/** Resolutions as a list: a list as it is, {old: new} as pairs, a count as nothing. */
function resolutions(v: Resolutions): UnitResolution[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.entries(v).map(([from, to]) => ({ from, to: String(to) }));
  return [];
}

/** A count, or the length of a list of resolutions. */
const countOf = (v: Resolutions): number => (typeof v === 'number' ? v : resolutions(v).length);

function resolutionList(raw: Resolutions, testid: string): HTMLElement | null {
  const v = resolutions(raw);
  if (v.length === 0) return null;
  const shown = v.slice(0, 50);
  return h(
    'ul',
    { class: 'plain compact small', 'data-testid': testid },
    shown.map((u) => {
      const from = u.from ?? u.name ?? '';
      const to = u.to ?? u.code ?? '';
      return h('li', {}, from ? h('code', {}, String(from)) : null, from && to ? ' → ' : null, to ? unitLink(String(to)) : null, u.count ? ` (${fmtInt(u.count)})` : null);
    }),
    v.length > shown.length && h('li', { class: 'muted' }, '…'),
  );
}

/** Encoding, units resolved and warnings: what the engine did to the file's text on the way in. */
export function batchNotes(r: BatchReport): HTMLElement {
  const oldCodes = r.units?.resolved_old_codes;
  const byName = r.units?.by_name;
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'batch-notes' },
    h(
      'div',
      { class: 'fact', 'data-testid': 'batch-encoding' },
      h('dt', {}, t('batch.encoding')),
      h('dd', {}, r.encoding?.detected || t('state.none'), h('br'), h('span', { class: 'muted small' }, t('batch.converted', { n: fmtInt(r.encoding?.converted_cells ?? 0) }))),
    ),
    h(
      'div',
      { class: 'fact', 'data-testid': 'batch-units-old' },
      h('dt', {}, t('batch.unitsOld')),
      h('dd', {}, fmtInt(countOf(oldCodes)), resolutionList(oldCodes, 'batch-units-old-list')),
    ),
    h(
      'div',
      { class: 'fact', 'data-testid': 'batch-units-name' },
      h('dt', {}, t('batch.unitsByName')),
      h('dd', {}, fmtInt(countOf(byName)), resolutionList(byName, 'batch-units-name-list')),
    ),
  );
}

/** A hint on how to fix a row error, or null for a code without one. */
export function fixHint(code: string): string | null {
  return (rowErrorCodes as readonly string[]).includes(code) ? t(`batch.fix.${code}` as Key) : null;
}

export function errorsTable(errors: RowError[], total: number): HTMLElement {
  return h(
    'div',
    { class: 'stack', 'data-testid': 'batch-errors-block' },
    total > errors.length && h('p', { class: 'muted', 'data-testid': 'batch-errors-truncated' }, t('batch.errorsShown', { shown: fmtInt(errors.length), total: fmtInt(total) })),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data batch-errors', 'data-testid': 'batch-errors' },
        h('caption', { class: 'visually-hidden' }, t('batch.errors')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            (['batch.col.row', 'batch.col.column', 'batch.col.value', 'batch.col.reason', 'batch.col.fix'] as const).map((k) =>
              h('th', { scope: 'col', class: k === 'batch.col.row' ? 'num' : null }, t(k)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          errors.map((e) =>
            h(
              'tr',
              { 'data-testid': 'batch-error', 'data-row': e.row, 'data-code': e.code, 'data-column': e.column ?? '' },
              h('td', { class: 'num' }, fmtInt(e.row)),
              h('td', {}, e.column ? h('code', {}, e.column) : t('state.none')),
              h('td', { class: 'batch-value' }, e.value != null && e.value !== '' ? h('code', {}, e.value) : h('span', { class: 'muted' }, t('batch.emptyValue'))),
              h('td', {}, e.message, h('br'), h('code', { class: 'muted small' }, e.code)),
              h('td', { class: 'small', 'data-testid': 'batch-error-fix' }, fixHint(e.code) ?? t('state.none')),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * The report of a batch: its status and what it means, the counts, the notes on text and units,
 * warnings, the rejected rows and the link to all of them as CSV. `compact` (inline after an
 * upload) leaves the notes out and links to the full report.
 */
export function batchReportView(r: BatchReport, { compact = false } = {}): HTMLElement {
  const errors = r.errors ?? [];
  const total = Math.max(r.errors_total ?? errors.length, errors.length);
  const tone = r.status === 'rejected' ? 'warn' : r.status === 'committed' && r.counts.rejected === 0 ? 'ok' : r.counts.rejected > 0 ? 'warn' : '';
  const warnings = r.warnings ?? [];
  return h(
    'div',
    { class: 'stack batch-report', 'data-testid': 'batch-report', 'data-id': r.id, 'data-status': r.status },
    h(
      'div',
      { class: `notice ${tone}`, 'data-testid': 'batch-status', 'data-status': r.status },
      h('p', {}, batchStatusBadge(r), ' ', h('span', { 'data-testid': 'batch-explanation' }, batchExplanation(r))),
      r.status === 'duplicate' &&
        r.duplicate_of != null &&
        h('p', {}, h('a', { href: batchHref(r.duplicate_of), 'data-testid': 'batch-duplicate-of' }, t('batch.openOriginal', { id: String(r.duplicate_of) }))),
    ),
    countChips(r),
    !compact && batchNotes(r),
    compact && (r.encoding?.converted_cells ?? 0) > 0 && h('p', { class: 'muted', 'data-testid': 'batch-encoding' }, `${t('batch.encoding')}: ${r.encoding.detected ?? ''} · ${t('batch.converted', { n: fmtInt(r.encoding.converted_cells) })}`),
    warnings.length > 0 &&
      h('div', { 'data-testid': 'batch-warnings' }, h('h3', {}, t('batch.warnings')), h('ul', { class: 'warnings' }, warnings.map((w) => h('li', { 'data-testid': 'batch-warning' }, w)))),
    total > 0 && h('h3', {}, t('batch.errors')),
    total > 0 && errorsTable(errors, total),
    h(
      'p',
      { class: 'page-actions' },
      // A duplicate is not stored (id 0): its way on is the batch it repeats.
      compact && !!r.id && h('a', { class: 'button button-secondary', href: batchHref(r.id), 'data-testid': 'batch-full-link' }, t('batch.fullReport', { id: String(r.id) })),
      total > 0 && h('a', { class: 'button button-secondary', href: rejectedCsvUrl(r.id), download: '', 'data-testid': 'batch-rejected-csv' }, t('batch.rejectedCsv')),
    ),
  );
}

/**
 * A message for an upload that failed as a whole (file.* and dataset.* problems, network), in
 * the page's language from the error code: the server's detail is bilingual and names command
 * line options, so it is left to the code shown beside the message (uploadErrorCode).
 */
export function uploadErrorText(err: unknown): string {
  if (err instanceof ApiError && (fileErrorCodes as readonly string[]).includes(err.code)) {
    return t(`batch.file.${err.code}` as Key);
  }
  if (err instanceof ApiError && err.code === 'upload.aborted') return t('datasets.upload.aborted');
  return errorMessage(err);
}

/** The error code of a failed upload as a detail under its message (null when there is none). */
export function uploadErrorCode(err: unknown): HTMLElement | null {
  if (!(err instanceof ApiError) || err.code === 'upload.aborted' || err.status === 0) return null;
  return h('p', { class: 'form-message-detail', 'data-testid': 'dataset-upload-error-code' }, h('small', {}, t('datasets.upload.errorCode', { code: err.code })));
}

export function fmtDuration(ms: number): string {
  return ms < 1000 ? t('batch.durationMs', { n: fmtInt(ms) }) : t('batch.durationS', { n: fmtDec(ms / 1000, 1) });
}

/** Bytes as "1,2 MB" / "850 kB". */
export function fmtBytes(n: number): string {
  if (n < 1000) return `${fmtInt(n)} B`;
  if (n < 1_000_000) return `${fmtDec(n / 1000, 0)} kB`;
  if (n < 1_000_000_000) return `${fmtDec(n / 1_000_000, 1)} MB`;
  return `${fmtDec(n / 1_000_000_000, 2)} GB`;
}
