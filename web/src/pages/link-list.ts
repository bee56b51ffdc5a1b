// "/link" — the consolidation projects: each joins the registers that old Long An and old Tây
// Ninh kept of the same people into one. Title, sources, status (not run, in review, ready,
// merged), the pairs waiting for review and the last run; and a new project: its code, title and
// definition (a template of two sources to adapt), previewed, then created.

import { datasetHref } from '../datasets-api';
import { h, mount } from '../dom';
import { busy, field, input } from '../forms';
import { fmtDateTime, fmtInt, t } from '../i18n';
import { linkApi, linkHref, reviewHref, type Project } from '../link-api';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { clearError } from '../shell';
import { statusBadge } from './link-common';
import { definitionEditor } from './link-editor';

export async function linkListPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    () => linkApi.projects(),
    ({ items }) => render(outlet, signal, items),
  );
}

/**
 * A new project's definition to start from: the demo province's two registers of persons with
 * meritorious service, four target fields and one mapping of each field per source. The code and
 * the title come from the form's own fields.
 */
function definitionTemplate(): Record<string, unknown> {
  return {
    catalog_entry: '',
    fields: [
      { name: 'ho_ten', title: 'Họ và tên', kind: 'full_name', survivorship: 'most_complete' },
      { name: 'ngay_sinh', title: 'Ngày sinh', kind: 'date', survivorship: 'most_complete' },
      { name: 'so_dinh_danh', title: 'Số định danh (CCCD/CMND)', kind: 'id', survivorship: 'longest' },
      { name: 'ma_xa', title: 'Mã xã (sau sắp xếp)', kind: 'commune', survivorship: 'most_recent' },
    ],
    sources: [
      {
        dataset: 'ncc_long_an_cu',
        label: 'Long An (cũ)',
        id: 'ma_ho_so',
        priority: 1,
        mapping: [
          { field: 'ho_ten', from: 'ho_ten' },
          { field: 'ngay_sinh', from: 'ngay_sinh', op: 'date', format: 'dd/mm/yyyy' },
          { field: 'so_dinh_danh', from: 'so_cccd' },
          { field: 'ma_xa', from: 'ma_xa_cu', op: 'unit' },
        ],
      },
      {
        dataset: 'ncc_tay_ninh_cu',
        label: 'Tây Ninh (cũ)',
        id: 'so_ho_so',
        priority: 2,
        mapping: [
          { field: 'ho_ten', from: ['ho', 'ten_dem', 'ten'], op: 'concat' },
          { field: 'ngay_sinh', from: 'ngay_sinh' },
          { field: 'so_dinh_danh', from: 'so_dinh_danh' },
          { field: 'ma_xa', from: 'ma_xa', op: 'unit' },
        ],
      },
    ],
    rules: '',
    threshold: 0.9,
    review_from: 0.5,
  };
}

function newProject(signal: AbortSignal): HTMLElement {
  const code = input('link-new-code', { required: true, autocomplete: 'off', spellcheck: 'false', pattern: '[a-z][a-z0-9_]*', 'data-testid': 'link-new-code' });
  const title = input('link-new-title', { required: true, autocomplete: 'off', 'data-testid': 'link-new-title' });
  // The code and title fields win over the same members in the textarea.
  const extra = () => {
    const o: Record<string, unknown> = {};
    if (code.value.trim()) o.code = code.value.trim();
    if (title.value.trim()) o.title = title.value.trim();
    return o;
  };
  const createButton = h('button', { type: 'submit', class: 'button', 'data-testid': 'link-new-create' }, t('link.new.create'));
  const editor = definitionEditor('link-new', signal, definitionTemplate(), { extra, actions: [createButton] });
  const form = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-testid': 'link-new-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        clearError();
        editor.message.clear();
        for (const control of [code, title]) control.closest('.field')?.classList.toggle('invalid', !control.checkValidity());
        if (!code.checkValidity() || !title.checkValidity()) {
          editor.message.error(null, t('link.new.needCodeTitle'));
          (code.checkValidity() ? title : code).focus();
          return;
        }
        const definition = editor.read(extra());
        if (!definition) return;
        void busy(createButton, async () => {
          try {
            const created = await linkApi.create(definition);
            if (!signal.aborted) go(linkHref(created.code));
          } catch (err) {
            if (!signal.aborted) editor.failed(err);
          }
        });
      },
    },
    h('div', { class: 'form-grid' }, field(t('link.new.code'), code, t('link.new.codeHint')), field(t('link.new.title'), title)),
    editor.el,
  );
  return h(
    'details',
    { class: 'card panel link-new', 'data-testid': 'link-new' },
    h('summary', {}, h('h2', {}, t('link.new'))),
    h('p', { class: 'muted' }, t('link.new.lead')),
    form,
  );
}

function row(p: Project): HTMLElement {
  const href = linkHref(p.code);
  const pending = p.queue?.pending ?? 0;
  return h(
    'tr',
    {
      'data-testid': 'link-project-row',
      'data-code': p.code,
      'data-status': p.status,
      onclick: (e: Event) => {
        if (!(e.target as Element).closest('a')) go(href);
      },
    },
    h('th', { scope: 'row' }, h('a', { href, 'data-testid': 'link-project-link' }, p.title), h('br'), h('code', { class: 'muted small' }, p.code)),
    h(
      'td',
      { 'data-testid': 'link-project-sources' },
      h('ul', { class: 'plain compact' }, (p.sources ?? []).map((s) => h('li', {}, h('a', { href: datasetHref(s) }, h('code', {}, s))))),
    ),
    h('td', {}, statusBadge(p.status)),
    h(
      'td',
      { class: 'num', 'data-testid': 'link-project-pending', 'data-value': pending },
      pending > 0 ? h('a', { href: reviewHref(p.code) }, fmtInt(pending)) : fmtInt(pending),
    ),
    h(
      'td',
      { class: 'nowrap', 'data-testid': 'link-project-last-run' },
      p.last_run ? [fmtDateTime(p.last_run.at), h('br'), h('span', { class: 'muted small' }, p.last_run.by)] : h('span', { class: 'muted' }, t('link.neverRun')),
    ),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, items: Project[]): void {
  mount(
    outlet,
    pageHead(t('link.title'), t('link.lead')),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data link-projects', 'data-testid': 'link-projects' },
        h('caption', { class: 'visually-hidden' }, t('link.caption')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            (
              [
                ['link.col.title', ''],
                ['link.col.sources', ''],
                ['link.col.status', ''],
                ['link.col.pending', 'num'],
                ['link.col.lastRun', ''],
              ] as const
            ).map(([key, cls]) => h('th', { scope: 'col', class: cls || null }, t(key))),
          ),
        ),
        h('tbody', {}, items.length === 0 ? h('tr', {}, h('td', { colspan: 5, class: 'empty' }, t('link.none'))) : items.map(row)),
      ),
    ),
    newProject(signal),
  );
  titled(outlet, t('link.title'));
}
