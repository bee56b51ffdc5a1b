// "/datasets/:code" — one dataset's schema: its fields (Vietnamese titles, types, required,
// unique and key, constraints, unit references, code lists with their labels, personal data),
// primary key, schema versions, the Data Package descriptor, the recent batches, the dataset's
// quality checks (edited by accounts that write), its sharing (the connected systems it is shared
// with, whether it is open data, and publishing it as such), and for accounts that write, the
// upload of a file (CSV, XLSX, JSON, NDJSON) with a real progress bar and the batch report inline.

import {
  batchFormats,
  batchHref,
  dataHref,
  datapackageUrl,
  templateUrl,
  datasetsApi,
  encodings,
  formatOf,
  rejectedReport,
  type BatchFormat,
  type BatchMode,
  type BatchReport,
  type DatasetDetail,
  type Encoding,
} from '../datasets-api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDateTime, fmtInt, lang, t, type Key } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { currentUser } from '../session';
import { showError } from '../shell';
import type { UploadProgress } from '../upload';
import {
  backToDatasets,
  batchReportView,
  batchStatusBadge,
  breadcrumb,
  canReadRecords,
  canUpload,
  datasetTabs,
  datasetTitle,
  fmtBytes,
  personalCount,
  primaryKeyOf,
  schemaFacts,
  typeLabel,
  uploadErrorCode,
  uploadErrorText,
  type FieldFacts,
} from './datasets-common';
import { checksSection } from './quality-checks';
import { sharingSection } from './share-dataset';

const batchPageSize = 20;

export async function datasetSchemaPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      const [dataset, batches] = await Promise.all([datasetsApi.dataset(params.code), datasetsApi.batches(params.code, batchPageSize)]);
      return { dataset, batches };
    },
    ({ dataset, batches }) => render(outlet, signal, dataset, batches.items, batches.next_cursor),
  );
  backToDatasets(outlet);
}

function fact(label: string, testid: string, ...value: (Node | string | false | null)[]) {
  return h('div', { class: 'fact', 'data-testid': testid }, h('dt', {}, label), h('dd', {}, ...value));
}

function factsList(d: DatasetDetail, pk: string[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'dataset-facts' },
    fact(t('datasets.col.code'), 'dataset-code', h('code', {}, d.code)),
    fact(
      t('datasets.col.owner'),
      'dataset-owner',
      d.owner_unit ? h('a', { href: `/units/${encodeURIComponent(d.owner_unit)}` }, d.owner_unit_name || d.owner_unit) : t('state.none'),
    ),
    fact(t('datasets.col.version'), 'dataset-schema-version', fmtInt(d.version)),
    fact(t('datasets.col.rows'), 'dataset-row-count', fmtInt(d.row_count)),
    fact(t('datasets.col.fields'), 'dataset-field-count', fmtInt(d.field_count)),
    fact(t('datasets.col.personal'), 'dataset-personal-count', fmtInt(personalCount(d))),
    fact(t('datasets.primaryKey'), 'dataset-primary-key', pk.length ? h('span', {}, pk.flatMap((k, i) => [i ? ', ' : '', h('code', {}, k)])) : t('state.none')),
    fact(t('datasets.col.updated'), 'dataset-updated', fmtDateTime(d.updated_at)),
    fact(t('datasets.table'), 'dataset-table-name', h('code', {}, d.table)),
  );
}

const yes = () => t('catalog.yes');
const none = () => h('span', { class: 'muted' }, t('state.none'));

function fieldRow(f: FieldFacts, index: number): HTMLElement {
  return h(
    'tr',
    {
      'data-testid': 'dataset-field',
      'data-name': f.name,
      'data-type': f.type,
      'data-required': String(f.required),
      'data-personal': String(f.personal),
    },
    h('td', { class: 'num muted' }, fmtInt(index + 1)),
    h('td', {}, h('code', {}, f.name)),
    h(
      'th',
      { scope: 'row', 'data-testid': 'dataset-field-title' },
      f.title,
      lang() === 'en' && f.titleEn && h('span', { class: 'muted', lang: 'en' }, ` (${f.titleEn})`),
      f.period && h('span', { class: 'badge badge-muted', title: t('datasets.periodHint') }, t('datasets.period')),
      f.description ? h('br') : null,
      f.description ? h('span', { class: 'muted small' }, f.description) : null,
      f.aliases.length > 0 && h('br'),
      f.aliases.length > 0 && h('span', { class: 'muted small', 'data-testid': 'dataset-field-aliases' }, t('datasets.aliases', { list: f.aliases.join('; ') })),
    ),
    h('td', { class: 'nowrap', 'data-testid': 'dataset-field-type' }, typeLabel(f.type)),
    h('td', { class: 'nowrap', 'data-testid': 'dataset-field-required' }, f.required ? h('strong', {}, yes()) : none()),
    h(
      'td',
      { 'data-testid': 'dataset-field-key' },
      f.primaryKey && h('span', { class: 'badge', 'data-key': 'primary' }, t('datasets.primaryKeyMark')),
      !f.primaryKey && f.unique && h('span', { class: 'badge badge-muted', 'data-key': 'unique' }, t('datasets.unique')),
      !f.primaryKey && !f.unique && none(),
    ),
    h('td', { 'data-testid': 'dataset-field-unit' }, f.unit ? h('span', { class: 'badge', title: t('datasets.unitHint') }, t('datasets.unitRef')) : none()),
    h('td', { 'data-testid': 'dataset-field-personal' }, f.personal ? h('span', { class: 'badge badge-partial', title: t('datasets.personalHint') }, t('datasets.personal')) : none()),
    h('td', { class: 'small field-constraints', 'data-testid': 'dataset-field-constraints' }, f.constraints.length ? h('ul', { class: 'plain compact' }, f.constraints.map((c) => h('li', {}, c))) : none()),
    h(
      'td',
      { class: 'small field-values', 'data-testid': 'dataset-field-values' },
      f.values.length
        ? h(
            'ul',
            { class: 'plain compact' },
            f.values.map((v) => h('li', { 'data-value': v.value }, h('code', {}, v.value), v.label !== v.value ? ` — ${v.label}` : null)),
          )
        : none(),
    ),
  );
}

function fieldsTable(fields: FieldFacts[]): HTMLElement {
  const heads: Key[] = [
    'datasets.field.index',
    'datasets.field.name',
    'datasets.field.title',
    'datasets.field.type',
    'datasets.field.required',
    'datasets.field.key',
    'datasets.field.unit',
    'datasets.field.personal',
    'datasets.field.constraints',
    'datasets.field.values',
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data dataset-fields', 'data-testid': 'dataset-fields' },
      h('caption', { class: 'visually-hidden' }, t('datasets.fields', { n: fmtInt(fields.length) })),
      h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col', class: k === 'datasets.field.index' ? 'num' : null }, t(k))))),
      h('tbody', {}, fields.map(fieldRow)),
    ),
  );
}

function versionsTable(d: DatasetDetail): HTMLElement {
  const versions = [...(d.versions ?? [])].sort((a, b) => b.version - a.version);
  if (versions.length === 0) return h('p', { class: 'muted' }, t('datasets.versionsNone'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', 'data-testid': 'dataset-versions' },
      h('caption', { class: 'visually-hidden' }, t('datasets.versions')),
      h(
        'thead',
        {},
        h('tr', {}, (['datasets.version.n', 'datasets.version.at', 'datasets.version.by', 'datasets.version.note'] as const).map((k) => h('th', { scope: 'col' }, t(k)))),
      ),
      h(
        'tbody',
        {},
        versions.map((v) =>
          h(
            'tr',
            { 'data-testid': 'dataset-version', 'data-version': v.version },
            h('td', {}, t('datasets.versionN', { n: fmtInt(v.version) })),
            h('td', { class: 'nowrap' }, fmtDateTime(v.created_at)),
            h('td', {}, v.created_by || t('state.none')),
            h('td', {}, v.note || t('state.none')),
          ),
        ),
      ),
    ),
  );
}

function batchRow(b: BatchReport): HTMLElement {
  const num = (n: number, testid: string) => h('td', { class: 'num', 'data-testid': testid }, fmtInt(n));
  return h(
    'tr',
    { 'data-testid': 'dataset-batch', 'data-id': b.id, 'data-status': b.status },
    h('th', { scope: 'row' }, h('a', { href: batchHref(b.id), 'data-testid': 'dataset-batch-link' }, String(b.id))),
    h('td', { class: 'batch-file' }, b.file_name || t('state.none'), h('br'), h('span', { class: 'muted small' }, String(b.format ?? '').toUpperCase())),
    h('td', {}, batchStatusBadge(b), b.status === 'duplicate' && b.duplicate_of != null ? h('span', { class: 'muted small' }, ` ${t('batch.ofBatch', { id: String(b.duplicate_of) })}`) : null),
    num(b.counts.read, 'dataset-batch-read'),
    num(b.counts.imported, 'dataset-batch-imported'),
    num(b.counts.updated, 'dataset-batch-updated'),
    num(b.counts.unchanged, 'dataset-batch-unchanged'),
    num(b.counts.rejected, 'dataset-batch-rejected'),
    h('td', {}, b.created_by || t('state.none')),
    h('td', { class: 'nowrap' }, fmtDateTime(b.created_at)),
  );
}

function batchesTable(tbody: HTMLElement): HTMLElement {
  const heads: [Key, string][] = [
    ['batch.col.id', ''],
    ['batch.file', ''],
    ['batch.col.status', ''],
    ['batch.count.readShort', 'num'],
    ['batch.count.importedShort', 'num'],
    ['batch.count.updatedShort', 'num'],
    ['batch.count.unchangedShort', 'num'],
    ['batch.count.rejectedShort', 'num'],
    ['batch.by', ''],
    ['batch.at', ''],
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', 'data-testid': 'dataset-batches' },
      h('caption', { class: 'visually-hidden' }, t('datasets.batches')),
      h('thead', {}, h('tr', {}, heads.map(([k, cls]) => h('th', { scope: 'col', class: cls || null }, t(k))))),
      tbody,
    ),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, d: DatasetDetail, firstBatches: BatchReport[], firstNext: string | null): void {
  const me = currentUser();
  const pk = primaryKeyOf(d.schema, d.primary_key);
  const fields = schemaFacts(d.schema, d.primary_key);
  let batches = firstBatches;
  let next = firstNext;

  const factsSlot = h('div', {}, factsList(d, pk));
  const batchBody = h('tbody');
  const more = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'dataset-batches-more' }, t('datasets.more'));

  function renderBatches(): void {
    mount(batchBody, batches.length ? batches.map(batchRow) : h('tr', {}, h('td', { colspan: 10, class: 'empty', 'data-testid': 'dataset-batches-none' }, t('datasets.batchesNone'))));
    more.hidden = !next;
  }

  more.addEventListener('click', () =>
    void busy(more, async () => {
      if (!next) return;
      try {
        const page = await datasetsApi.batches(d.code, batchPageSize, next);
        if (signal.aborted) return;
        batches = [...batches, ...page.items];
        next = page.next_cursor;
        renderBatches();
      } catch (err) {
        showError(err);
      }
    }),
  );

  /** After an upload: the newest batches and the dataset's counts again. */
  async function refresh(): Promise<void> {
    try {
      const [detail, page] = await Promise.all([datasetsApi.dataset(d.code), datasetsApi.batches(d.code, batchPageSize)]);
      if (signal.aborted) return;
      mount(factsSlot, factsList(detail, pk));
      batches = page.items;
      next = page.next_cursor;
      renderBatches();
    } catch (err) {
      if (!signal.aborted) showError(err);
    }
  }

  const title = datasetTitle(d);
  mount(
    outlet,
    breadcrumb([d.code, null]),
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h('div', {}, h('h1', { 'data-testid': 'dataset-title' }, title), d.description ? h('p', { class: 'lead' }, d.description) : null),
      h(
        'p',
        { class: 'page-actions' },
        canReadRecords(me) && h('a', { class: 'button', href: dataHref(d.code), 'data-testid': 'dataset-data-link' }, t('datasets.viewData')),
        h('a', { class: 'button button-secondary', href: templateUrl(d.code), download: `mau-${d.code}.xlsx`, 'data-testid': 'dataset-template', title: t('datasets.templateHint') }, t('datasets.template')),
        h('a', { class: 'button button-secondary', href: datapackageUrl(d.code), download: `${d.code}-datapackage.json`, 'data-testid': 'dataset-datapackage' }, t('datasets.datapackage')),
      ),
    ),
    datasetTabs(d.code, 'schema', me),
    h('section', { class: 'card panel', 'aria-labelledby': 'dataset-facts-h' }, h('h2', { id: 'dataset-facts-h' }, t('datasets.facts')), factsSlot),
    canUpload(me) && uploadPanel(d, signal, refresh),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'dataset-batches-h' },
      h('h2', { id: 'dataset-batches-h' }, t('datasets.batches')),
      batchesTable(batchBody),
      h('p', {}, more),
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'dataset-fields-h' },
      h('h2', { id: 'dataset-fields-h' }, t('datasets.fields', { n: fmtInt(fields.length) })),
      h('p', { class: 'muted' }, t('datasets.fieldsLead')),
      fieldsTable(fields),
    ),
    checksSection(d, signal),
    sharingSection(d, signal),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'dataset-versions-h' },
      h('h2', { id: 'dataset-versions-h' }, t('datasets.versions')),
      versionsTable(d),
    ),
  );
  renderBatches();
  titled(outlet, title);
}

/**
 * The upload: a file and its options (dry run, what to do with bad rows, encoding, sheet), sent
 * as the raw body with a progress bar that follows the bytes; then the batch report.
 */
function uploadPanel(d: DatasetDetail, signal: AbortSignal, onDone: () => Promise<void>): HTMLElement {
  const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const file = input('dataset-upload-file', {
    type: 'file',
    accept: `.csv,.xlsx,.json,.ndjson,.jsonl,text/csv,application/json,application/x-ndjson,${xlsxType}`,
    'data-testid': 'dataset-upload-file',
  });
  const format = h(
    'select',
    { id: 'dataset-upload-format', name: 'format', 'data-testid': 'dataset-upload-format' },
    h('option', { value: '' }, t('datasets.upload.formatAuto')),
    batchFormats.map((f) => h('option', { value: f }, t(`datasets.format.${f}` as Key))),
  );
  const dryRun = input('dataset-upload-dry', { type: 'checkbox', checked: true, 'data-testid': 'dataset-upload-dry' });
  const modeRadio = (mode: BatchMode) =>
    h(
      'label',
      { class: 'check' },
      input(`dataset-upload-mode-${mode}`, { type: 'radio', name: 'dataset-upload-mode', value: mode, checked: mode === 'all', 'data-testid': `dataset-upload-mode-${mode}` }),
      t(mode === 'all' ? 'datasets.upload.modeAll' : 'datasets.upload.modeValid'),
    );
  const encoding = h(
    'select',
    { id: 'dataset-upload-encoding', name: 'encoding', 'data-testid': 'dataset-upload-encoding' },
    encodings.map((e) => h('option', { value: e }, t(`datasets.encoding.${e}` as Key))),
  );
  const sheet = input('dataset-upload-sheet', { type: 'text', autocomplete: 'off', 'data-testid': 'dataset-upload-sheet' });
  const sheetField = field(t('datasets.upload.sheet'), sheet, t('datasets.upload.sheetHint'));
  const message = formMessage('dataset-upload-message');
  const progress = h('progress', { max: 100, value: 0, 'data-testid': 'dataset-upload-progress', 'aria-labelledby': 'dataset-upload-progress-label' });
  const progressText = h('span', { id: 'dataset-upload-progress-label', role: 'status', 'data-testid': 'dataset-upload-progress-text' });
  const progressBox = h('div', { class: 'upload-progress', hidden: true, 'data-testid': 'dataset-upload-progress-box' }, progress, progressText);
  const report = h('div', { 'data-testid': 'dataset-upload-report', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button', 'data-testid': 'dataset-upload-submit' }, t('datasets.upload.submit'));
  const cancel = h('button', { type: 'button', class: 'button button-secondary', hidden: true, 'data-testid': 'dataset-upload-cancel' }, t('datasets.upload.cancel'));
  let abort: (() => void) | null = null;
  signal.addEventListener('abort', () => abort?.());
  cancel.addEventListener('click', () => abort?.());

  /** The format the upload will use: the chosen one, else the file's by its name. */
  const chosenFormat = (): BatchFormat | null => {
    if (format.value) return format.value as BatchFormat;
    const f = file.files?.[0];
    return f ? formatOf(f) : null;
  };
  const syncSheet = () => (sheetField.hidden = chosenFormat() !== 'xlsx');
  file.addEventListener('change', () => {
    syncSheet();
    message.clear();
  });
  format.addEventListener('change', syncSheet);
  syncSheet();

  function showProgress(p: UploadProgress): void {
    if (p.sent) {
      progress.removeAttribute('value'); // indeterminate: the server is reading the file
      progressBox.dataset.state = 'processing';
      progressText.textContent = t('datasets.upload.processing', { total: fmtBytes(p.total) });
      return;
    }
    const pct = p.total > 0 ? Math.min(100, Math.round((p.loaded / p.total) * 100)) : 0;
    progress.value = pct;
    progressBox.dataset.state = 'sending';
    progressText.textContent = t('datasets.upload.sending', { sent: fmtBytes(p.loaded), total: fmtBytes(p.total), pct: fmtInt(pct) });
  }

  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return message.error(null, t('datasets.upload.choose'));
        const fmt = chosenFormat();
        if (!fmt) return message.error(null, t('datasets.upload.unknownFormat', { name: chosen.name }));
        const mode = (form.querySelector<HTMLInputElement>('input[name="dataset-upload-mode"]:checked')?.value ?? 'all') as BatchMode;
        void busy(submit, async () => {
          message.clear();
          report.replaceChildren();
          progressBox.hidden = false;
          progressBox.dataset.state = 'sending';
          showProgress({ loaded: 0, total: chosen.size, sent: false });
          cancel.hidden = false;
          const up = datasetsApi.upload(d.code, chosen, { format: fmt, dryRun: dryRun.checked, mode, encoding: encoding.value as Encoding, sheet: sheet.value }, showProgress);
          abort = up.abort;
          try {
            const r = await up.done;
            if (signal.aborted) return;
            progress.value = 100;
            progressBox.dataset.state = 'done';
            progressText.textContent = t('datasets.upload.done', { total: fmtBytes(chosen.size) });
            mount(report, batchReportView(r, { compact: true }));
            await onDone();
          } catch (err) {
            if (signal.aborted) return;
            // Rejected whole (422): the report says which rows and why, as for any batch.
            const rejected = rejectedReport(err);
            if (rejected) {
              progress.value = 100;
              progressBox.dataset.state = 'done';
              progressText.textContent = t('datasets.upload.done', { total: fmtBytes(chosen.size) });
              mount(report, batchReportView(rejected, { compact: true }));
              await onDone();
              return;
            }
            progressBox.dataset.state = 'failed';
            progress.value = 0;
            progressText.textContent = '';
            progressBox.hidden = true;
            message.error(err, uploadErrorText(err));
            const code = uploadErrorCode(err);
            if (code) message.el.append(code);
          } finally {
            abort = null;
            cancel.hidden = true;
          }
        });
      },
    },
    h('p', { class: 'muted' }, t('datasets.uploadLead')),
    h('div', { class: 'form-grid' }, field(t('datasets.upload.file'), file), field(t('datasets.upload.format'), format), field(t('datasets.upload.encoding'), encoding), sheetField),
    h('fieldset', { class: 'upload-mode' }, h('legend', {}, t('datasets.upload.mode')), modeRadio('all'), modeRadio('valid')),
    h('label', { class: 'check' }, dryRun, t('datasets.upload.dry')),
    message.el,
    h('p', { class: 'page-actions' }, submit, cancel),
    progressBox,
    report,
  );
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'dataset-upload-h', 'data-testid': 'dataset-upload-panel' },
    h('h2', { id: 'dataset-upload-h' }, t('datasets.upload')),
    form,
  );
}
