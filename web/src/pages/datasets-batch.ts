// "/batches/:id" — the report of one batch: its status and what it meant for the data (written,
// a dry run, rejected with nothing written, or a duplicate of an earlier batch that changed
// nothing), the counts, the encoding found and cells converted, old unit codes resolved, warnings,
// and the rejected rows with a hint on how to fix each, downloadable as CSV.

import { datasetHref, datasetsApi, type BatchReport } from '../datasets-api';
import { h, mount } from '../dom';
import { fmtDateTime, t, type Key } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { backToDatasets, batchReportView, breadcrumb, fmtDuration } from './datasets-common';

export async function batchPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    () => datasetsApi.batch(params.id),
    (r) => render(outlet, r),
  );
  backToDatasets(outlet);
}

function fact(label: string, testid: string, ...value: (Node | string | false | null)[]) {
  return h('div', { class: 'fact', 'data-testid': testid }, h('dt', {}, label), h('dd', {}, ...value));
}

function render(outlet: HTMLElement, r: BatchReport): void {
  const title = t('batch.title', { id: String(r.id) });
  mount(
    outlet,
    breadcrumb([r.dataset, datasetHref(r.dataset)], [title, null]),
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h('div', {}, h('h1', { 'data-testid': 'batch-title' }, title), h('p', { class: 'lead' }, r.file_name || t('state.none'))),
      h('p', { class: 'page-actions' }, h('a', { class: 'button button-secondary', href: datasetHref(r.dataset), 'data-testid': 'batch-dataset-link' }, t('batch.backToDataset'))),
    ),
    h('section', { class: 'card panel', 'aria-labelledby': 'batch-result-h' }, h('h2', { id: 'batch-result-h' }, t('batch.result')), batchReportView(r)),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'batch-facts-h' },
      h('h2', { id: 'batch-facts-h' }, t('batch.facts')),
      h(
        'dl',
        { class: 'facts', 'data-testid': 'batch-facts' },
        fact(t('batch.dataset'), 'batch-dataset', h('a', { href: datasetHref(r.dataset) }, h('code', {}, r.dataset))),
        fact(t('batch.file'), 'batch-file', r.file_name || t('state.none')),
        fact(t('batch.format'), 'batch-format', String(r.format ?? '').toUpperCase() || t('state.none')),
        fact(t('batch.mode'), 'batch-mode', r.mode ? t(`batch.mode.${r.mode}` as Key) : t('state.none')),
        fact(t('batch.by'), 'batch-by', r.created_by || t('state.none')),
        fact(t('batch.at'), 'batch-at', fmtDateTime(r.created_at, true)),
        fact(t('batch.duration'), 'batch-duration', r.duration_ms != null ? fmtDuration(r.duration_ms) : t('state.none')),
        h('div', { class: 'fact fact-full', 'data-testid': 'batch-sha256' }, h('dt', {}, t('batch.sha')), h('dd', {}, h('code', { class: 'hash' }, r.sha256 || t('state.none')))),
      ),
    ),
  );
  titled(outlet, title);
}
