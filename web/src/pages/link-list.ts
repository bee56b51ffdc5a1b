// "/link" — the consolidation projects: each joins the registers that old Long An and old Tây
// Ninh kept of the same people into one. Title, sources, status (not run, in review, ready,
// merged), the pairs waiting for review and the last run.

import { datasetHref } from '../datasets-api';
import { h, mount } from '../dom';
import { fmtDateTime, fmtInt, t } from '../i18n';
import { linkApi, linkHref, reviewHref, type Project } from '../link-api';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { statusBadge } from './link-common';

export async function linkListPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    () => linkApi.projects(),
    ({ items }) => render(outlet, items),
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

function render(outlet: HTMLElement, items: Project[]): void {
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
  );
  titled(outlet, t('link.title'));
}
