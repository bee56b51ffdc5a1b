// "/link/:code/clusters" — the golden records: each cluster of records that are one person, with
// the value kept for each field and the record it comes from ("từ Long An (cũ) LA-000123"), and
// its members. A member can be split off, a field's value chosen by hand from a member, and two
// clusters merged by their ids. The search, the filter and an opened cluster live in the address.

import { datasetHref } from '../datasets-api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtInt, t } from '../i18n';
import { linkApi, splitKey, type Cluster, type ClustersPage, type ProjectDetail } from '../link-api';
import { loadPage, titled } from '../page';
import { go, type RouteContext } from '../router';
import { clearError } from '../shell';
import {
  backToProjects,
  fieldTitles,
  fmtPct,
  linkBreadcrumb,
  linkTabs,
  recordName,
  recordTag,
  ruleLabel,
  sourceLabels,
  valueCell,
  valueText,
  showLinkError,
} from './link-common';

const pageSize = 20;

interface State {
  q: string;
  /** Every cluster, single records too (multi=false). */
  all: boolean;
  /** A cluster opened by its id (from the review page). */
  cluster: string;
}

function stateFromAddress(): State {
  const p = new URLSearchParams(location.search);
  return { q: p.get('q') ?? '', all: p.get('all') === '1', cluster: p.get('cluster') ?? '' };
}

function addressOf(s: State): string {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.all) p.set('all', '1');
  if (s.cluster) p.set('cluster', s.cluster);
  const q = p.toString();
  return `${location.pathname}${q ? `?${q}` : ''}`;
}

function apiQuery(s: State, cursor?: string): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  p.set('multi', String(!s.all));
  p.set('limit', String(pageSize));
  if (cursor) p.set('cursor', cursor);
  return p;
}

export async function linkClustersPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  const state = stateFromAddress();
  await loadPage(
    outlet,
    signal,
    async () => {
      const [project, page, opened] = await Promise.all([
        linkApi.project(params.code),
        linkApi.clusters(params.code, apiQuery(state)),
        state.cluster ? linkApi.cluster(params.code, state.cluster) : Promise.resolve(null),
      ]);
      return { project, page, opened };
    },
    ({ project, page, opened }) => render(outlet, signal, project, state, page, opened),
  );
  backToProjects(outlet);
}

function render(outlet: HTMLElement, signal: AbortSignal, p: ProjectDetail, state: State, first: ClustersPage, opened: Cluster | null): void {
  const code = p.code;
  const labels = sourceLabels(p.definition);
  const fields = fieldTitles(p.definition);
  const fieldNames = [...fields.keys()];
  let page = first;
  let cursor = '';
  const prev: string[] = [];
  const message = formMessage('link-clusters-message');

  const list = h('div', { class: 'stack link-clusters-list', 'data-testid': 'link-clusters', 'aria-live': 'polite' });
  const total = h('p', { role: 'status', class: 'muted', 'data-testid': 'link-clusters-total' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('link.clusters.pages'), 'data-testid': 'link-clusters-pager' });
  const openedSlot = h('div', { 'data-testid': 'link-cluster-opened' });

  const mergeA = input('link-merge-a', { type: 'text', autocomplete: 'off', required: true, 'data-testid': 'link-merge-a' });
  const mergeB = input('link-merge-b', { type: 'text', autocomplete: 'off', required: true, 'data-testid': 'link-merge-b' });
  const mergeButton = h('button', { type: 'submit', class: 'button', 'data-testid': 'link-merge-submit' }, t('link.clusters.merge'));
  const mergeMessage = formMessage('link-merge-message');

  /** A field's provenance: "từ Long An (cũ) LA-000123". */
  const provenance = (record: string | null) => (record ? t('link.clusters.from', { record: recordName(record, labels) }) : t('state.none'));

  function card(c: Cluster, open = false): HTMLElement {
    const members = c.members ?? [];
    // The definition's fields in its order, then any the golden record has besides.
    const names = [...fieldNames, ...Object.keys(c.golden ?? {}).filter((n) => !fields.has(n))];
    const el = h('article', { class: 'card panel stack cluster', 'data-testid': 'link-cluster', 'data-id': c.id, 'data-size': c.size });
    const replace = (next: Cluster) => {
      const fresh = card(next, true);
      el.replaceWith(fresh);
      return fresh;
    };

    const goldenRows = names.map((name) => {
      const g = c.golden?.[name];
      const kind = fields.get(name)?.kind;
      const options = members.filter((m) => m.values?.[name] != null && m.values[name] !== '');
      const select = h(
        'select',
        { 'aria-label': t('link.clusters.chooseFor', { field: fields.get(name)?.title ?? name }), 'data-testid': 'link-golden-select' },
        options.map((m) => h('option', { value: m.key, selected: m.key === g?.record }, `${valueText(m.values[name], kind)} — ${recordName(m.key, labels, m.label)}`)),
      );
      const use = h('button', { type: 'button', class: 'button button-secondary button-small', 'data-testid': 'link-golden-use' }, t('link.clusters.use'));
      use.addEventListener('click', () =>
        void busy(use, async () => {
          clearError();
          try {
            const next = await linkApi.chooseGolden(code, c.id, name, select.value);
            if (signal.aborted) return;
            replace(next);
            message.ok(t('link.clusters.chosen', { field: fields.get(name)?.title ?? name, cluster: c.id }));
          } catch (err) {
            if (!signal.aborted) showLinkError(err);
          }
        }),
      );
      return h(
        'tr',
        { 'data-testid': 'link-golden', 'data-field': name, 'data-record': g?.record ?? '' },
        h('th', { scope: 'row' }, fields.get(name)?.title ?? name),
        h('td', { 'data-testid': 'link-golden-value' }, valueCell(g?.value, kind)),
        h('td', { class: 'small', 'data-testid': 'link-golden-source' }, provenance(g?.record ?? null)),
        h('td', { class: 'small muted' }, g?.rule ? ruleLabel(g.rule) : t('state.none')),
        h('td', { class: 'golden-choose' }, options.length > 1 ? [select, ' ', use] : h('span', { class: 'muted' }, t('state.none'))),
      );
    });

    const memberRows = members.map((m) => {
      const split = h('button', { type: 'button', class: 'button button-secondary button-small', 'data-testid': 'link-member-split', disabled: members.length < 2 }, t('link.clusters.split'));
      split.addEventListener('click', () =>
        void busy(split, async () => {
          clearError();
          try {
            const made = await linkApi.split(code, c.id, [m.key]);
            if (signal.aborted) return;
            message.ok(t('link.clusters.splitDone', { record: recordName(m.key, labels, m.label), cluster: made.id }));
            replace(await linkApi.cluster(code, c.id));
          } catch (err) {
            if (!signal.aborted) showLinkError(err);
          }
        }),
      );
      const { dataset, id } = splitKey(m.key);
      return h(
        'tr',
        { 'data-testid': 'link-member', 'data-key': m.key },
        h('th', { scope: 'row' }, recordTag(m.key, labels, m.label), h('br'), h('a', { class: 'small', href: `${datasetHref(dataset)}/data?q=${encodeURIComponent(id)}` }, t('link.clusters.openRecord'))),
        names.map((name) => h('td', { 'data-field': name }, valueCell(m.values?.[name], fields.get(name)?.kind))),
        h('td', { class: 'num' }, m.probability ? fmtPct(m.probability, 1) : t('state.none')),
        h('td', {}, split),
      );
    });

    const pick = h('button', { type: 'button', class: 'link-button small', 'data-testid': 'link-cluster-pick' }, t('link.clusters.pick'));
    pick.addEventListener('click', () => {
      if (!mergeA.value || mergeA.value === c.id) mergeA.value = c.id;
      else mergeB.value = c.id;
      (mergeA.value && mergeB.value ? mergeButton : mergeB).focus();
    });

    // The golden record in one line: its first fields' values.
    const gist = names
      .slice(0, 2)
      .map((n) => valueText(c.golden?.[n]?.value, fields.get(n)?.kind))
      .filter((v) => v !== t('state.none'));
    mount(
      el,
      h(
        'details',
        { open },
        h(
          'summary',
          {},
          h('strong', { class: 'cluster-id' }, t('link.clusters.cluster', { id: c.id })),
          gist.length > 0 && h('span', { class: 'cluster-gist' }, ` · ${gist.join(' · ')}`),
          ' ',
          h('span', { class: 'muted small', 'data-testid': 'link-cluster-size', 'data-value': c.size }, t('link.clusters.size', { n: fmtInt(c.size) })),
          ' ',
          h('span', { class: 'badges' }, (c.sources ?? []).map((s) => h('span', { class: 'badge badge-muted' }, labels.get(s) ?? s))),
        ),
        h(
          'div',
          { class: 'stack cluster-body' },
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data golden-table', 'data-testid': 'link-golden-table' },
              h('caption', { class: 'visually-hidden' }, t('link.clusters.golden', { id: c.id })),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, t('link.targetField')),
                  h('th', { scope: 'col' }, t('link.clusters.value')),
                  h('th', { scope: 'col' }, t('link.clusters.source')),
                  h('th', { scope: 'col' }, t('link.clusters.rule')),
                  h('th', { scope: 'col' }, t('link.clusters.choose')),
                ),
              ),
              h('tbody', {}, goldenRows),
            ),
          ),
          h('h4', {}, t('link.clusters.members', { n: fmtInt(members.length) })),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data', 'data-testid': 'link-members' },
              h('caption', { class: 'visually-hidden' }, t('link.clusters.members', { n: fmtInt(members.length) })),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, t('link.record')),
                  names.map((name) => h('th', { scope: 'col' }, fields.get(name)?.title ?? name)),
                  h('th', { scope: 'col', class: 'num' }, t('link.clusters.probability')),
                  h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('link.clusters.split'))),
                ),
              ),
              h('tbody', {}, memberRows),
            ),
          ),
          h('p', {}, pick),
        ),
      ),
    );
    return el;
  }

  function renderList(): void {
    // A few results (a search) open at once; a long list shows one line per cluster.
    const few = page.items.length <= 3;
    mount(list, page.items.length === 0 ? h('p', { class: 'notice', 'data-testid': 'link-clusters-none' }, t('link.clusters.none')) : page.items.map((c) => card(c, few)));
    total.dataset.total = String(page.total);
    total.textContent = t('link.clusters.total', { n: fmtInt(page.total) });
    const pageNo = prev.length + (cursor ? 2 : 1);
    mount(
      pager,
      cursor &&
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary',
            'data-testid': 'link-clusters-prev',
            onclick: () => void load(prev.pop() ?? ''),
          },
          `‹ ${t('records.prev')}`,
        ),
      h('span', { class: 'pager-page', 'data-testid': 'link-clusters-page', 'data-page': pageNo }, t('records.page', { n: fmtInt(pageNo) })),
      page.next_cursor &&
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary',
            'data-testid': 'link-clusters-next',
            onclick: () => {
              if (cursor) prev.push(cursor);
              void load(page.next_cursor ?? '');
            },
          },
          `${t('records.next')} ›`,
        ),
    );
  }

  async function load(at: string): Promise<void> {
    list.setAttribute('aria-busy', 'true');
    try {
      const next = await linkApi.clusters(code, apiQuery(state, at || undefined));
      if (signal.aborted) return;
      cursor = at;
      page = next;
      renderList();
    } catch (err) {
      if (!signal.aborted) showLinkError(err);
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  const search = input('link-clusters-q', { type: 'search', value: state.q, autocomplete: 'off', placeholder: t('link.clusters.searchPlaceholder'), 'data-testid': 'link-clusters-search' });
  const all = input('link-clusters-all', { type: 'checkbox', checked: state.all, 'data-testid': 'link-clusters-all' });
  const searchForm = h(
    'form',
    {
      class: 'toolbar',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        go(addressOf({ q: search.value.trim(), all: all.checked, cluster: '' }));
      },
    },
    field(t('link.clusters.search'), search),
    h('label', { class: 'check' }, all, t('link.clusters.all')),
    h('p', {}, h('button', { type: 'submit', class: 'button', 'data-testid': 'link-clusters-submit' }, t('link.clusters.find'))),
    total,
  );
  all.addEventListener('change', () => searchForm.requestSubmit());

  const mergeForm = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'link-merge-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const a = mergeA.value.trim();
        const b = mergeB.value.trim();
        if (!a || !b) return mergeMessage.error(null, t('link.clusters.mergeNeedTwo'));
        if (a === b) return mergeMessage.error(null, t('link.clusters.mergeSame'));
        void busy(mergeButton, async () => {
          mergeMessage.clear();
          clearError();
          try {
            const merged = await linkApi.merge(code, [a, b]);
            if (signal.aborted) return;
            mergeMessage.ok(t('link.clusters.mergeDone', { a, b, cluster: merged.id, n: fmtInt(merged.size) }));
            mergeA.value = '';
            mergeB.value = '';
            mount(openedSlot, card(merged, true));
            await load(cursor);
          } catch (err) {
            if (!signal.aborted) showLinkError(err);
          }
        });
      },
    },
    h('p', { class: 'muted' }, t('link.clusters.mergeLead')),
    h('div', { class: 'form-grid' }, field(t('link.clusters.mergeA'), mergeA), field(t('link.clusters.mergeB'), mergeB)),
    mergeMessage.el,
    h('p', { class: 'page-actions' }, mergeButton),
  );

  if (opened) {
    mount(
      openedSlot,
      h(
        'section',
        { class: 'stack', 'aria-labelledby': 'link-opened-h' },
        h('h2', { id: 'link-opened-h' }, t('link.clusters.opened'), ' ', h('a', { class: 'small', href: addressOf({ ...state, cluster: '' }) }, t('link.clusters.close'))),
        card(opened, true),
      ),
    );
  }

  const title = t('link.clusters.title', { title: p.title });
  mount(
    outlet,
    linkBreadcrumb([p.title, `/link/${encodeURIComponent(code)}`], [t('link.tab.clusters'), null]),
    h('div', { class: 'page-head' }, h('h1', { 'data-testid': 'link-clusters-title' }, t('link.tab.clusters')), h('p', { class: 'lead' }, p.title, ' · ', t('link.clusters.lead'))),
    linkTabs(code, 'clusters', p.queue?.pending),
    message.el,
    openedSlot,
    h('section', { class: 'card panel', 'aria-labelledby': 'link-merge-h' }, h('h2', { id: 'link-merge-h' }, t('link.clusters.mergeTitle')), mergeForm),
    searchForm,
    list,
    pager,
  );
  renderList();
  titled(outlet, title);
}
