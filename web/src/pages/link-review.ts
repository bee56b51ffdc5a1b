// "/link/:code/review" — the review queue: the pairs the model is unsure of, one at a time. The
// two records side by side with each field's comparison level in words and its weight, the
// weights as a waterfall, the probability that both are one person; buttons (and keys A, R, S)
// to accept, reject or skip, J and K to move through the queue. After each decision the next
// pending pair comes up, with a line saying which cluster the records are now in.

import { h, mount } from '../dom';
import { fmtDateTime, fmtInt, t, type Key } from '../i18n';
import {
  clustersHref,
  linkApi,
  pairStatuses,
  type Decision,
  type DecisionResult,
  type Pair,
  type PairStatus,
  type ProjectDetail,
  type QueuePage,
} from '../link-api';
import { loadPage, titled } from '../page';
import { go, type RouteContext } from '../router';
import { clearError } from '../shell';
import {
  backToProjects,
  fieldTitles,
  fmtBits,
  fmtPct,
  levelLabel,
  linkBreadcrumb,
  linkTabs,
  recordName,
  recordTag,
  sourceLabels,
  valueCell,
  waterfall,
  showLinkError,
} from './link-common';

const pageSize = 20;

function statusFromAddress(): PairStatus {
  const s = new URLSearchParams(location.search).get('status');
  return (pairStatuses as string[]).includes(s ?? '') ? (s as PairStatus) : 'pending';
}

export async function linkReviewPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  const status = statusFromAddress();
  await loadPage(
    outlet,
    signal,
    async () => {
      const [project, queue] = await Promise.all([linkApi.project(params.code), linkApi.queue(params.code, status, pageSize)]);
      return { project, queue };
    },
    ({ project, queue }) => render(outlet, signal, project, status, queue),
  );
  backToProjects(outlet);
}

/** A key of the shortcuts, shown inside its button (where aria-keyshortcuts names it) and in the list of keys. */
const kbd = (key: string, hidden = true) => h('kbd', { 'aria-hidden': hidden ? 'true' : null }, key);

function render(outlet: HTMLElement, signal: AbortSignal, p: ProjectDetail, status: PairStatus, first: QueuePage): void {
  const code = p.code;
  const labels = sourceLabels(p.definition);
  const fields = fieldTitles(p.definition);
  const titleOf = (name: string) => fields.get(name)?.title ?? name;
  let items = first.items;
  let total = first.total;
  let next = first.next_cursor;
  let index = 0;
  let working = false;
  let pendingCount = status === 'pending' ? total : (p.queue?.pending ?? 0);

  const pairSlot = h('div', { 'aria-live': 'polite', 'data-testid': 'link-review-pair-slot' });
  const clusterLine = h('div', { 'data-testid': 'link-review-cluster', 'aria-live': 'polite' });
  const counter = h('p', { role: 'status', class: 'muted', 'data-testid': 'link-review-count' });
  const pendingEl = h('strong', { 'data-testid': 'link-review-pending' });
  const tabsSlot = h('div', {}, linkTabs(code, 'review', pendingCount));

  const button = (decision: Decision, key: string, label: Key, cls: string) =>
    h(
      'button',
      {
        type: 'button',
        class: `button ${cls}`,
        'data-testid': `link-review-${decision}`,
        'aria-keyshortcuts': key,
        onclick: () => void decide(decision),
      },
      t(label),
      ' ',
      kbd(key),
    );
  const acceptButton = button('accept', 'A', 'link.review.accept', 'button-accept');
  const rejectButton = button('reject', 'R', 'link.review.reject', 'button-reject');
  const skipButton = button('skip', 'S', 'link.review.skip', 'button-secondary');
  const prevButton = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'link-review-prev', 'aria-keyshortcuts': 'K', onclick: () => void move(-1) }, `‹ ${t('link.review.prev')} `, kbd('K'));
  const nextButton = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'link-review-next', 'aria-keyshortcuts': 'J', onclick: () => void move(1) }, `${t('link.review.next')} › `, kbd('J'));
  const actions = h('div', { class: 'review-actions' }, h('p', { class: 'page-actions' }, acceptButton, rejectButton, skipButton), h('p', { class: 'page-actions' }, prevButton, nextButton));

  function renderCounts(): void {
    pendingEl.dataset.value = String(pendingCount);
    pendingEl.textContent = fmtInt(pendingCount);
    counter.textContent =
      items.length === 0 ? t('link.review.countNone', { total: fmtInt(total) }) : t('link.review.count', { n: fmtInt(index + 1), total: fmtInt(total) });
    mount(tabsSlot, linkTabs(code, 'review', pendingCount));
  }

  function pairView(pair: Pair): HTMLElement {
    const pairParts = pair.parts ?? [];
    const parts = new Map(pairParts.map((x) => [x.column, x]));
    // The fields in the definition's order, then any compared column the definition does not name.
    const names = [...fields.keys()];
    for (const x of pairParts) if (!names.includes(x.column)) names.push(x.column);
    const rows = names.map((name) => {
      const part = parts.get(name);
      const kind = fields.get(name)?.kind;
      const a = part ? part.value_a : pair.a.values?.[name];
      const b = part ? part.value_b : pair.b.values?.[name];
      const bits = part ? (part.bits ?? 0) + (part.tf_bits ?? 0) : null;
      return h(
        'tr',
        { 'data-testid': 'link-review-field', 'data-field': name, 'data-level': part?.level ?? '' },
        h('th', { scope: 'row' }, titleOf(name)),
        h('td', { 'data-testid': 'link-review-value-a' }, valueCell(a, kind)),
        h('td', { 'data-testid': 'link-review-value-b' }, valueCell(b, kind)),
        h('td', { 'data-testid': 'link-review-level' }, part ? h('span', { class: `level level-${bits! > 0 ? 'plus' : bits! < 0 ? 'minus' : 'zero'}` }, levelLabel(part.level)) : h('span', { class: 'muted' }, t('link.review.notCompared'))),
        h(
          'td',
          { class: `num bits ${bits == null ? '' : bits > 0 ? 'bits-plus' : bits < 0 ? 'bits-minus' : ''}`, 'data-testid': 'link-review-bits', 'data-value': bits ?? '' },
          bits == null ? t('state.none') : fmtBits(bits),
          part && part.tf_bits ? h('span', { class: 'muted small' }, ` ${t('link.review.tf', { bits: fmtBits(part.tf_bits) })}`) : null,
        ),
      );
    });
    const decided = pair.status !== 'pending' && pair.decided_by;
    return h(
      'article',
      { class: 'card panel stack review-pair', 'data-testid': 'link-review-pair', 'data-id': pair.id, 'data-status': pair.status, 'data-a': pair.a.key, 'data-b': pair.b.key },
      h(
        'div',
        { class: 'review-head' },
        h(
          'p',
          { class: 'review-probability' },
          h('span', { class: 'muted' }, t('link.review.probability')),
          ' ',
          h('strong', { 'data-testid': 'link-review-probability', 'data-value': pair.probability }, fmtPct(pair.probability, 1)),
        ),
        h('p', { class: 'muted' }, t('link.review.weight', { bits: fmtBits(pair.weight) }), ' · ', t('link.review.pairId', { id: String(pair.id) })),
        decided &&
          h(
            'p',
            { class: 'muted small', 'data-testid': 'link-review-decided' },
            t('link.review.decided', { status: t(`link.pair.${pair.status}` as Key), by: pair.decided_by ?? '', at: fmtDateTime(pair.decided_at) }),
          ),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data review-table', 'data-testid': 'link-review-table' },
          h('caption', { class: 'visually-hidden' }, t('link.review.caption')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, t('link.review.field')),
              h('th', { scope: 'col', 'data-testid': 'link-review-a' }, t('link.review.recordA'), h('br'), recordTag(pair.a.key, labels, pair.a.label)),
              h('th', { scope: 'col', 'data-testid': 'link-review-b' }, t('link.review.recordB'), h('br'), recordTag(pair.b.key, labels, pair.b.label)),
              h('th', { scope: 'col' }, t('link.level')),
              h('th', { scope: 'col', class: 'num' }, t('link.weightBits')),
            ),
          ),
          h('tbody', {}, rows),
        ),
      ),
      h(
        'figure',
        { class: 'waterfall-figure' },
        h('figcaption', { class: 'muted small' }, t('link.review.waterfall')),
        h('div', { class: 'waterfall-wrap' }, waterfall(pair.prior_bits ?? 0, pairParts, pair.weight, titleOf)),
      ),
    );
  }

  function renderPair(): void {
    const pair = items[index];
    renderCounts();
    if (!pair) {
      actions.hidden = true;
      mount(pairSlot, h('p', { class: 'notice ok', 'data-testid': 'link-review-empty' }, t(status === 'pending' ? 'link.review.done' : 'link.review.noneOfStatus')));
      return;
    }
    actions.hidden = false;
    prevButton.disabled = index === 0;
    nextButton.disabled = index >= items.length - 1 && !next;
    mount(pairSlot, pairView(pair));
  }

  async function fetchMore(): Promise<boolean> {
    if (!next) return false;
    const page = await linkApi.queue(code, status, pageSize, next);
    if (signal.aborted) return false;
    const known = new Set(items.map((x) => x.id));
    items = [...items, ...page.items.filter((x) => !known.has(x.id))];
    next = page.next_cursor;
    total = page.total;
    return page.items.length > 0;
  }

  async function move(step: number): Promise<void> {
    if (working) return;
    const target = index + step;
    if (target < 0) return;
    if (target >= items.length) {
      working = true;
      try {
        if (!(await fetchMore())) return;
      } catch (err) {
        if (!signal.aborted) showLinkError(err);
        return;
      } finally {
        working = false;
      }
    }
    if (signal.aborted || target >= items.length) return;
    index = target;
    renderPair();
  }

  function clusterView(r: DecisionResult, decision: Decision, pair: Pair): HTMLElement {
    const members = r.members ?? [];
    const names = members.map((k) => recordName(k, labels));
    const withA = members.includes(pair.a.key);
    const withB = members.includes(pair.b.key);
    const head = t(`link.review.did.${decision}` as Key);
    const where =
      withA && withB
        ? t('link.review.together', { cluster: r.cluster, n: fmtInt(members.length) })
        : t('link.review.clusterOf', { record: recordName(pair.a.key, labels, pair.a.label), cluster: r.cluster, n: fmtInt(members.length) });
    return h(
      'p',
      { class: 'notice ok', 'data-cluster': r.cluster, 'data-members': members.join(' '), 'data-decision': decision },
      h('strong', {}, head),
      ' ',
      where,
      ' ',
      h('span', { 'data-testid': 'link-review-members' }, names.join('; ')),
      '. ',
      h('a', { href: clustersHref(code, { cluster: r.cluster }), 'data-testid': 'link-review-cluster-link' }, t('link.review.openCluster')),
    );
  }

  async function decide(decision: Decision): Promise<void> {
    const pair = items[index];
    if (!pair || working) return;
    working = true;
    for (const b of [acceptButton, rejectButton, skipButton]) b.disabled = true;
    actions.setAttribute('aria-busy', 'true');
    clearError();
    try {
      const r = await linkApi.decide(code, pair.id, decision);
      if (signal.aborted) return;
      mount(clusterLine, clusterView(r, decision, pair));
      if (pair.status === 'pending') pendingCount = Math.max(0, pendingCount - 1);
      if (status === 'pending') {
        // The pair has left the queue: the next one takes its place.
        items = items.filter((x) => x.id !== pair.id);
        total = Math.max(0, total - 1);
        if (index >= items.length) {
          if (next) await fetchMore();
          else if (items.length === 0 && total > 0) {
            const page = await linkApi.queue(code, status, pageSize);
            items = page.items;
            total = page.total;
            next = page.next_cursor;
            pendingCount = page.total;
          }
          index = Math.min(index, Math.max(0, items.length - 1));
        }
      } else {
        items = items.map((x) => (x.id === pair.id ? r.pair : x));
        if (index < items.length - 1) index++;
      }
      if (signal.aborted) return;
      renderPair();
    } catch (err) {
      if (!signal.aborted) showLinkError(err);
    } finally {
      working = false;
      for (const b of [acceptButton, rejectButton, skipButton]) b.disabled = false;
      actions.removeAttribute('aria-busy');
    }
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"], details.user-menu')) return;
    const actionsFor: Record<string, () => void> = {
      a: () => void decide('accept'),
      r: () => void decide('reject'),
      s: () => void decide('skip'),
      j: () => void move(1),
      k: () => void move(-1),
    };
    const run = actionsFor[e.key.toLowerCase()];
    if (!run) return;
    e.preventDefault();
    run();
  };
  document.addEventListener('keydown', onKey);
  signal.addEventListener('abort', () => document.removeEventListener('keydown', onKey));

  const statusSelect = h(
    'select',
    {
      id: 'link-review-status',
      name: 'status',
      'data-testid': 'link-review-status',
      onchange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        go(`${location.pathname}${v === 'pending' ? '' : `?status=${v}`}`);
      },
    },
    pairStatuses.map((s) => h('option', { value: s, selected: s === status }, t(`link.pair.${s}` as Key))),
  );

  const title = t('link.review.title', { title: p.title });
  mount(
    outlet,
    linkBreadcrumb([p.title, `/link/${encodeURIComponent(code)}`], [t('link.tab.review'), null]),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { 'data-testid': 'link-review-title' }, t('link.tab.review')),
      h('p', { class: 'lead' }, p.title),
    ),
    tabsSlot,
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'field' }, h('label', { for: 'link-review-status' }, t('link.review.show')), statusSelect),
      h('p', { class: 'muted', 'data-testid': 'link-review-pending-line' }, t('link.review.pendingBefore'), ' ', pendingEl, ' ', t('link.review.pendingAfter')),
      counter,
    ),
    h(
      'p',
      { class: 'muted small shortcuts', 'data-testid': 'link-review-shortcuts' },
      t('link.review.shortcuts'),
      ' ',
      kbd('A', false),
      ` ${t('link.review.accept')} · `,
      kbd('R', false),
      ` ${t('link.review.reject')} · `,
      kbd('S', false),
      ` ${t('link.review.skip')} · `,
      kbd('J', false),
      ` ${t('link.review.next')} · `,
      kbd('K', false),
      ` ${t('link.review.prev')}`,
    ),
    clusterLine,
    actions,
    pairSlot,
  );
  renderPair();
  titled(outlet, title);
}
