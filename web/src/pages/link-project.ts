// "/link/:code" — one consolidation project: its sources and how each source's columns map to
// the target fields, a preview of sample rows before and after the mapping (with the problems
// found), the merge report of the last run (records per source, duplicates within and across
// sources, clusters, pairs reviewed and pending, estimated precision and recall at the threshold,
// the match weights as a histogram, the blocking rules and their pair counts), a new run, the
// commit that writes the golden records and marks the catalog entry merged, the definition's
// editor (previewed as it stands, saved as a new version with a note) and the versions of the
// definition.

import { batchHref, datasetHref } from '../datasets-api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDate, fmtDateTime, fmtDec, fmtInt, fmtNum, t } from '../i18n';
import {
  clustersHref,
  linkApi,
  reviewHref,
  type CommitResult,
  type Definition,
  type Mapping,
  type ProjectDetail,
  type Report,
} from '../link-api';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { clearError } from '../shell';
import {
  backToProjects,
  fmtPct,
  histogramChart,
  kindLabel,
  linkBreadcrumb,
  linkTabs,
  levelLabel,
  notRunYet,
  opLabel,
  previewView,
  ruleLabel,
  statusBadge,
  showLinkError,
  table,
} from './link-common';
import { definitionEditor } from './link-editor';

async function loadReport(code: string, p: ProjectDetail): Promise<Report | null> {
  if (!p.last_run) return null;
  try {
    return await linkApi.report(code);
  } catch (err) {
    if (notRunYet(err)) return null;
    throw err;
  }
}

export async function linkProjectPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async () => {
      const project = await linkApi.project(params.code);
      const report = await loadReport(params.code, project);
      return { project, report };
    },
    ({ project, report }) => render(outlet, signal, project, report),
  );
  backToProjects(outlet);
}

function fact(label: string, testid: string, ...value: (Node | string | false | null | undefined | (Node | string)[])[]) {
  return h('div', { class: 'fact', 'data-testid': testid }, h('dt', {}, label), h('dd', {}, ...value));
}

// --- Facts -----------------------------------------------------------------------------------

function factsList(p: ProjectDetail): HTMLElement {
  const def = p.definition;
  const q = p.queue ?? { pending: 0, accepted: 0, rejected: 0, skipped: 0 };
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'link-facts' },
    fact(t('link.code'), 'link-code', h('code', {}, p.code)),
    fact(t('link.col.status'), 'link-project-status', statusBadge(p.status)),
    fact(
      t('link.catalogEntry'),
      'link-catalog-entry',
      def?.catalog_entry ? h('a', { href: `/catalog/${encodeURIComponent(def.catalog_entry)}` }, h('code', {}, def.catalog_entry)) : t('state.none'),
    ),
    fact(t('link.target'), 'link-target', def?.target ? h('a', { href: datasetHref(def.target) }, h('code', {}, def.target)) : t('state.none')),
    fact(t('link.version'), 'link-version', fmtInt(p.version)),
    fact(
      t('link.col.lastRun'),
      'link-last-run',
      p.last_run
        ? [fmtDateTime(p.last_run.at), h('br'), h('span', { class: 'muted small' }, `${p.last_run.by} · ${t(p.last_run.incremental ? 'link.run.incremental' : 'link.run.full')}`)]
        : h('span', { class: 'muted' }, t('link.neverRun')),
    ),
    fact(t('link.thresholds'), 'link-thresholds', t('link.thresholdsValue', { threshold: fmtPct(def?.threshold ?? null, 5), review: fmtPct(def?.review_from ?? null, 5) })),
    fact(
      t('link.queue'),
      'link-queue',
      h('span', { 'data-testid': 'link-queue-pending', 'data-value': q.pending }, t('link.queuePending', { n: fmtInt(q.pending) })),
      h('br'),
      h('span', { class: 'muted small' }, t('link.queueDone', { accepted: fmtInt(q.accepted), rejected: fmtInt(q.rejected), skipped: fmtInt(q.skipped) })),
    ),
    p.committed_at && fact(t('link.committedAt'), 'link-committed-at', fmtDateTime(p.committed_at)),
  );
}

// --- Mapping ---------------------------------------------------------------------------------

function mappingText(m: Mapping): Node {
  const from = Array.isArray(m.from) ? m.from : [m.from];
  const op = m.op || 'copy';
  const detail =
    op === 'date' && m.format
      ? ` (${m.format})`
      : op === 'map' && m.values
        ? ` (${Object.entries(m.values)
            .map(([k, v]) => `${k} → ${v}`)
            .join(', ')})`
        : '';
  return h(
    'span',
    { class: 'mapping', 'data-testid': 'link-mapping', 'data-op': op, 'data-from': from.join('+') },
    from.flatMap((c, i) => [i ? ' + ' : '', h('code', {}, c)]),
    op !== 'copy' && h('span', { class: 'muted small' }, ` · ${opLabel(op)}${detail}`),
  );
}

function mappingTable(def: Definition): HTMLElement {
  const sources = def.sources ?? [];
  const rows = (def.fields ?? []).map((f) =>
    h(
      'tr',
      { 'data-testid': 'link-field', 'data-name': f.name },
      h('th', { scope: 'row' }, f.title || f.name, h('br'), h('code', { class: 'muted small' }, f.name)),
      h('td', { class: 'small' }, kindLabel(f.kind), f.survivorship && h('br'), f.survivorship && h('span', { class: 'muted' }, t('link.keeps', { rule: ruleLabel(f.survivorship) }))),
      sources.map((s) => {
        const maps = (s.mapping ?? []).filter((m) => m.field === f.name);
        return h(
          'td',
          { 'data-source': s.dataset },
          maps.length ? h('ul', { class: 'plain compact' }, maps.map((m) => h('li', {}, '← ', mappingText(m)))) : h('span', { class: 'muted' }, t('link.notMapped')),
        );
      }),
    ),
  );
  return h(
    'div',
    { class: 'stack' },
    h(
      'ul',
      { class: 'chips', 'data-testid': 'link-sources' },
      sources.map((s) =>
        h(
          'li',
          { 'data-dataset': s.dataset },
          h('strong', {}, s.label),
          ' ',
          h('a', { href: datasetHref(s.dataset) }, h('code', {}, s.dataset)),
          h('span', { class: 'muted small' }, ` · ${t('link.idColumn')} `, h('code', {}, s.id)),
          s.priority != null && h('span', { class: 'muted small' }, ` · ${t('link.priority', { n: fmtInt(s.priority) })}`),
        ),
      ),
    ),
    table(
      'link-mapping-table',
      t('link.mapping'),
      [[t('link.targetField'), ''], [t('link.kindCol'), ''], ...sources.map((s): [string, string] => [s.label, ''])],
      rows,
      t('link.noFields'),
    ),
    def.rules ? h('p', { class: 'muted small' }, t('link.rulesDefined'), ' ', h('code', {}, def.rules)) : null,
  );
}

// --- Report ----------------------------------------------------------------------------------

function stat(label: string, testid: string, value: number | null | undefined, detail?: string): HTMLElement {
  return h(
    'li',
    { 'data-testid': testid, 'data-value': value ?? '' },
    h('strong', {}, fmtInt(value ?? null)),
    ' ',
    label,
    detail ? h('span', { class: 'muted small' }, ` (${detail})`) : null,
  );
}

function fmtSeconds(s: number | undefined): string {
  if (s == null || !Number.isFinite(s)) return t('state.none');
  if (s > 0 && s < 0.0005) return t('link.ms', { n: `< ${fmtInt(1)}` });
  return s < 1 ? t('link.ms', { n: fmtInt(Math.round(s * 1000)) }) : t('link.seconds', { n: fmtDec(s, 1) });
}

function reportView(r: Report, signal: AbortSignal): { el: HTMLElement; draw: () => void } {
  const chartEl = h('div', { class: 'chart chart-small', 'data-testid': 'link-histogram' });
  const bySource = r.records?.by_source ?? [];
  const across = r.clusters?.across ?? 0;
  const model = r.model;
  const el = h(
    'div',
    { class: 'stack', 'data-testid': 'link-report', 'data-run': r.run?.id ?? '' },
    h(
      'p',
      { class: 'muted' },
      t('link.reportOf', { at: fmtDateTime(r.run?.at), by: r.run?.by ?? '', version: fmtInt(r.run?.version ?? null) }),
      ' · ',
      t(r.run?.incremental ? 'link.run.incremental' : 'link.run.full'),
    ),
    h('h3', {}, t('link.report.records')),
    h(
      'ul',
      { class: 'chips', 'data-testid': 'link-report-records' },
      stat(t('link.report.recordsTotal'), 'link-report-records-total', r.records?.total),
      stat(t('link.report.clusters'), 'link-report-clusters', r.clusters?.total),
      stat(t('link.report.multi'), 'link-report-multi', r.clusters?.multi),
      stat(t('link.report.across'), 'link-report-across', across),
    ),
    table(
      'link-report-sources',
      t('link.report.bySource'),
      [
        [t('link.source'), ''],
        [t('link.report.sourceRecords'), 'num'],
        [t('link.report.duplicatesWithin'), 'num'],
      ],
      bySource.map((s) =>
        h(
          'tr',
          { 'data-dataset': s.dataset },
          h('th', { scope: 'row' }, s.label, ' ', h('code', { class: 'muted small' }, s.dataset)),
          h('td', { class: 'num' }, fmtInt(s.records)),
          h('td', { class: 'num', 'data-testid': 'link-report-dup-within' }, fmtInt(s.duplicates_within)),
        ),
      ),
      t('state.empty'),
    ),
    h('p', { class: 'muted small' }, t('link.report.acrossHint', { n: fmtInt(across) })),
    h('h3', {}, t('link.report.pairs')),
    h(
      'ul',
      { class: 'chips', 'data-testid': 'link-report-pairs' },
      stat(t('link.report.blocked'), 'link-report-blocked', r.pairs?.blocked),
      stat(t('link.report.above'), 'link-report-above', r.pairs?.above_threshold),
      stat(t('link.report.queued'), 'link-report-queued', r.pairs?.queued),
      stat(t('link.report.pending'), 'link-report-pending', r.pairs?.pending),
      stat(t('link.report.accepted'), 'link-report-accepted', r.pairs?.accepted),
      stat(t('link.report.rejected'), 'link-report-rejected', r.pairs?.rejected),
      stat(t('link.report.skipped'), 'link-report-skipped', r.pairs?.skipped),
    ),
    h('h3', {}, t('link.report.estimate')),
    h(
      'dl',
      { class: 'facts', 'data-testid': 'link-report-estimate' },
      fact(t('link.report.threshold'), 'link-report-threshold', fmtPct(r.threshold, 5), h('br'), h('span', { class: 'muted small' }, t('link.report.reviewFrom', { p: fmtPct(r.review_from, 1) }))),
      fact(t('link.report.precision'), 'link-report-precision', fmtPct(r.estimate?.precision, 1)),
      fact(t('link.report.recall'), 'link-report-recall', fmtPct(r.estimate?.recall, 1)),
      fact(t('link.report.expected'), 'link-report-expected', fmtInt(r.estimate?.expected_matches == null ? null : Math.round(r.estimate.expected_matches))),
    ),
    (r.estimates?.length ?? 0) > 0 &&
      h(
        'details',
        { class: 'model', 'data-testid': 'link-report-estimates' },
        h('summary', {}, t('link.report.estimates')),
        table(
          'link-report-estimates-table',
          t('link.report.estimates'),
          [
            [t('link.report.threshold'), 'num'],
            [t('link.report.precision'), 'num'],
            [t('link.report.recall'), 'num'],
          ],
          (r.estimates ?? []).map((e) =>
            h(
              'tr',
              { class: Math.abs(e.threshold - r.threshold) < 1e-9 ? 'current' : null, 'data-threshold': e.threshold },
              h('th', { scope: 'row', class: 'num' }, fmtPct(e.threshold, 0)),
              h('td', { class: 'num' }, fmtPct(e.precision, 2)),
              h('td', { class: 'num' }, fmtPct(e.recall, 2)),
            ),
          ),
          t('state.empty'),
        ),
      ),
    h('h3', {}, t('link.histogram')),
    h('p', { class: 'muted small' }, t('link.histogramLead')),
    chartEl,
    h('h3', {}, t('link.report.rules')),
    table(
      'link-report-rules',
      t('link.report.rules'),
      [
        [t('link.report.rule'), ''],
        [t('link.report.rulePairs'), 'num'],
        [t('link.report.ruleUsed'), ''],
      ],
      (r.rules ?? []).map((x) =>
        h(
          'tr',
          { 'data-testid': 'link-report-rule', 'data-used': String(x.used) },
          h('th', { scope: 'row' }, h('code', {}, x.rule)),
          h('td', { class: 'num' }, fmtInt(x.pairs)),
          h('td', {}, x.used ? t('catalog.yes') : h('span', { class: 'badge badge-old' }, t('link.report.ruleTooLarge'))),
        ),
      ),
      t('state.empty'),
    ),
    model &&
      h(
        'details',
        { class: 'model', 'data-testid': 'link-report-model' },
        h(
          'summary',
          {},
          t('link.report.model', {
            lambda: fmtNum((model.lambda ?? 0) * 100, 4),
            iterations: fmtInt(model.iterations),
            converged: t(model.converged ? 'link.report.converged' : 'link.report.notConverged'),
          }),
        ),
        (model.comparisons ?? []).map((c) =>
          h(
            'div',
            { class: 'stack' },
            h('h4', {}, h('code', {}, c.column), ' ', h('span', { class: 'muted small' }, kindLabel(c.kind))),
            table(
              `link-model-${c.column}`,
              c.column,
              [
                [t('link.level'), ''],
                ['m', 'num'],
                ['u', 'num'],
                [t('link.weight'), 'num'],
                [t('link.report.rulePairs'), 'num'],
              ],
              c.levels.map((l) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, levelLabel(l.level)),
                  h('td', { class: 'num' }, fmtNum(l.m, 4)),
                  h('td', { class: 'num' }, fmtNum(l.u, 6)),
                  h('td', { class: 'num' }, fmtNum(l.weight, 2)),
                  h('td', { class: 'num' }, fmtInt(l.pairs)),
                ),
              ),
              t('state.empty'),
            ),
          ),
        ),
      ),
    r.times &&
      h(
        'p',
        { class: 'muted small', 'data-testid': 'link-report-times' },
        t('link.report.times', { block: fmtSeconds(r.times.block), compare: fmtSeconds(r.times.compare), train: fmtSeconds(r.times.train), score: fmtSeconds(r.times.score) }),
      ),
  );
  return { el, draw: () => histogramChart(chartEl, signal, r) };
}

// --- Versions --------------------------------------------------------------------------------

function versionsTable(p: ProjectDetail): HTMLElement {
  const versions = [...(p.versions ?? [])].sort((a, b) => b.version - a.version);
  return table(
    'link-versions',
    t('link.versions'),
    [
      [t('datasets.version.n'), ''],
      [t('datasets.version.at'), ''],
      [t('datasets.version.by'), ''],
      [t('datasets.version.note'), ''],
    ],
    versions.map((v) =>
      h(
        'tr',
        { 'data-testid': 'link-version', 'data-version': v.version },
        h('td', {}, t('datasets.versionN', { n: fmtInt(v.version) })),
        h('td', { class: 'nowrap' }, fmtDateTime(v.at)),
        h('td', {}, v.by || t('state.none')),
        h('td', {}, v.note || t('state.none')),
      ),
    ),
    t('datasets.versionsNone'),
  );
}

// --- Commit ----------------------------------------------------------------------------------

function commitView(r: CommitResult): HTMLElement {
  return h(
    'div',
    { class: 'notice ok stack', 'data-testid': 'link-commit-result', 'data-consolidation': r.consolidation },
    h(
      'p',
      {},
      t('link.commit.done', { n: fmtInt(r.golden_records), effective: fmtDate(r.effective) }),
    ),
    r.catalog_entry &&
      h(
        'p',
        { 'data-testid': 'link-commit-catalog' },
        t('link.commit.catalog'),
        ' ',
        h('a', { href: `/catalog/${encodeURIComponent(r.catalog_entry)}` }, h('code', {}, r.catalog_entry)),
        ' ',
        h('span', { class: `badge ${r.consolidation === 'merged' ? 'badge-whole' : 'badge-muted'}` }, r.consolidation === 'merged' ? t('catalog.consolidation.merged') : String(r.consolidation)),
      ),
    r.batch?.id ? h('p', {}, h('a', { href: batchHref(r.batch.id), 'data-testid': 'link-commit-batch' }, t('batch.fullReport', { id: String(r.batch.id) }))) : null,
  );
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// --- Page ------------------------------------------------------------------------------------

function render(outlet: HTMLElement, signal: AbortSignal, first: ProjectDetail, firstReport: Report | null): void {
  let p = first;
  const code = p.code;
  const factsSlot = h('div', {}, factsList(p));
  const tabsSlot = h('div', {}, linkTabs(code, 'project', p.queue?.pending));
  const statusSlot = h('span', {}, statusBadge(p.status));
  const reportSlot = h('div', { 'aria-live': 'polite' });
  const versionsSlot = h('div', {}, versionsTable(p));
  const mappingSlot = h('div', {}, mappingTable(p.definition ?? { code, title: p.title, fields: [], sources: [] }));
  const runMessage = formMessage('link-run-message');

  function showReport(r: Report | null): void {
    if (!r) {
      mount(reportSlot, h('p', { class: 'notice', 'data-testid': 'link-report-none' }, t('link.report.none')));
      return;
    }
    const view = reportView(r, signal);
    mount(reportSlot, view.el);
    view.draw();
  }

  function showProject(next: ProjectDetail): void {
    p = next;
    mount(factsSlot, factsList(p));
    mount(tabsSlot, linkTabs(code, 'project', p.queue?.pending));
    mount(statusSlot, statusBadge(p.status));
    mount(versionsSlot, versionsTable(p));
    mount(mappingSlot, mappingTable(p.definition ?? { code, title: p.title, fields: [], sources: [] }));
    commitButton.hidden = p.status === 'committed';
  }

  // Run again.
  const incremental = input('link-run-incremental', { type: 'checkbox', 'data-testid': 'link-run-incremental' });
  const runButton = h('button', { type: 'button', class: 'button', 'data-testid': 'link-run' }, t('link.run'));
  runButton.addEventListener('click', () =>
    void busy(runButton, async () => {
      clearError();
      runMessage.clear();
      try {
        const r = await linkApi.run(code, incremental.checked);
        const next = await linkApi.project(code);
        if (signal.aborted) return;
        showProject(next);
        showReport(r);
        runMessage.ok(t('link.run.done', { pending: fmtInt(r.pairs?.pending ?? 0), clusters: fmtInt(r.clusters?.multi ?? 0) }));
      } catch (err) {
        if (!signal.aborted) showLinkError(err);
      }
    }),
  );

  // Commit, after a confirmation in the page.
  const commitButton = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'link-commit', hidden: p.status === 'committed' }, t('link.commit'));
  const effective = input('link-commit-effective', { type: 'date', value: today(), 'data-testid': 'link-commit-effective' });
  const force = input('link-commit-force', { type: 'checkbox', 'data-testid': 'link-commit-force' });
  const forceBox = h('label', { class: 'check' }, force, t('link.commit.force'));
  const confirmText = h('p', {});
  const confirmButton = h('button', { type: 'submit', class: 'button', 'data-testid': 'link-commit-confirm' }, t('link.commit.confirm'));
  const cancelButton = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'link-commit-cancel' }, t('datasets.upload.cancel'));
  const commitResult = h('div', { 'aria-live': 'polite' });
  const confirmBox = h(
    'form',
    {
      class: 'notice warn',
      hidden: true,
      'data-testid': 'link-commit-box',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void busy(confirmButton, async () => {
          clearError();
          try {
            const r = await linkApi.commit(code, { effective: effective.value || undefined, ...(force.checked ? { force: true } : {}) });
            const next = await linkApi.project(code);
            if (signal.aborted) return;
            confirmBox.hidden = true;
            showProject(next);
            mount(commitResult, commitView(r));
          } catch (err) {
            if (!signal.aborted) showLinkError(err);
          }
        });
      },
    },
    confirmText,
    field(t('link.commit.effective'), effective),
    forceBox,
    h('p', { class: 'page-actions' }, confirmButton, cancelButton),
  );
  cancelButton.addEventListener('click', () => {
    confirmBox.hidden = true;
    commitButton.focus();
  });
  commitButton.addEventListener('click', () => {
    const pending = p.queue?.pending ?? 0;
    confirmText.textContent = t('link.commit.ask', {
      target: p.definition?.target ?? t('state.none'),
      entry: p.definition?.catalog_entry ?? t('state.none'),
    });
    if (pending > 0) confirmText.append(' ', t('link.commit.pendingWarn', { n: fmtInt(pending) }));
    forceBox.hidden = pending === 0;
    force.checked = false;
    confirmBox.hidden = false;
    confirmButton.focus();
  });

  const preview = h('div', { 'aria-live': 'polite' });
  const previewButton = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'link-preview-button' }, t('link.preview'));
  previewButton.addEventListener('click', () =>
    void busy(previewButton, async () => {
      try {
        const pv = await linkApi.preview(code, 5);
        if (!signal.aborted) mount(preview, previewView(pv));
      } catch (err) {
        if (!signal.aborted) showLinkError(err);
      }
    }),
  );

  // A new version of the definition: previewed as it stands in the editor, saved with a note.
  const note = input('link-edit-note', { 'data-testid': 'link-edit-note', maxlength: 500 });
  const saveButton = h('button', { type: 'button', class: 'button', 'data-testid': 'link-edit-save' }, t('link.edit.save'));
  const editor = definitionEditor('link-edit', signal, p.definition ?? { code, title: p.title, fields: [], sources: [] }, {
    actions: [field(t('link.edit.note'), note), saveButton],
  });
  saveButton.addEventListener('click', () => {
    clearError();
    editor.message.clear();
    const definition = editor.read();
    if (!definition) return;
    void busy(saveButton, async () => {
      try {
        const next = await linkApi.update(code, { definition, note: note.value.trim(), expected_version: p.version });
        if (signal.aborted) return;
        showProject(next);
        editor.set(next.definition);
        note.value = '';
        editor.message.ok(t('link.edit.saved', { n: fmtInt(next.version) }));
      } catch (err) {
        if (!signal.aborted) editor.failed(err);
      }
    });
  });

  const title = p.title;
  mount(
    outlet,
    linkBreadcrumb([code, null]),
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h('div', {}, h('h1', { 'data-testid': 'link-title' }, title), h('p', { class: 'lead' }, statusSlot, ' ', t('link.projectLead'))),
      h(
        'div',
        { class: 'stack' },
        h('p', { class: 'page-actions' }, runButton, commitButton),
        h('label', { class: 'check small' }, incremental, t('link.run.incrementalOnly')),
      ),
    ),
    tabsSlot,
    runMessage.el,
    confirmBox,
    commitResult,
    h('section', { class: 'card panel', 'aria-labelledby': 'link-facts-h' }, h('h2', { id: 'link-facts-h' }, t('link.facts')), factsSlot),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'link-report-h' },
      h('div', { class: 'page-head-actions' }, h('h2', { id: 'link-report-h' }, t('link.report')), h('p', { class: 'page-actions' }, h('a', { class: 'button button-secondary button-small', href: reviewHref(code) }, t('link.tab.review')), h('a', { class: 'button button-secondary button-small', href: clustersHref(code) }, t('link.tab.clusters')))),
      reportSlot,
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'link-mapping-h' },
      h('h2', { id: 'link-mapping-h' }, t('link.mapping')),
      h('p', { class: 'muted' }, t('link.mappingLead')),
      mappingSlot,
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'link-preview-h' },
      h('h2', { id: 'link-preview-h' }, t('link.preview')),
      h('p', { class: 'muted' }, t('link.previewLead')),
      h('p', {}, previewButton),
      preview,
    ),
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'link-edit-h' },
      h('h2', { id: 'link-edit-h' }, t('link.edit')),
      h('p', { class: 'muted' }, t('link.editLead')),
      editor.el,
    ),
    h('section', { class: 'card panel', 'aria-labelledby': 'link-versions-h' }, h('h2', { id: 'link-versions-h' }, t('link.versions')), versionsSlot),
  );
  showReport(firstReport);
  titled(outlet, title);
}
