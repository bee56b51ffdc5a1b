// "/share/exchanges" (administrators and officers) — the exchange log: every read, write and
// notification of a connected system, newest first, with who asked for whom (the end user), the
// purpose and the case, the dataset and unit, the fields returned and those withheld with the
// reason, and the rows. Administrators see every exchange; an officer those of his units' data
// ("who received my unit's data"). Filters by system, dataset, unit and dates, kept in the
// address; pages by the server's cursor; the log as the server writes it in CSV, or the screen's
// table as CSV or XLSX.

import { allPages, exportSource } from '../components/table-export';
import { datasetsApi, datasetHref, type Dataset } from '../datasets-api';
import { h, mount } from '../dom';
import { field, input } from '../forms';
import { fmtDateTime, fmtInt, hasKey, t } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { currentUser } from '../session';
import { exchangeFilters, exchangesCsvUrl, exchangesHref, shareApi, shareClientHref, type Exchange, type Purpose, type ShareClient } from '../share-api';
import { unitPicker } from '../unit-picker';
import { loadUnitNames, unitLink } from '../units';
import { datasetTitle } from './datasets-common';
import { canAdminShare, purposeTitle } from './share-common';

const pageSize = 50;

/** The API's query for the address's filters (and cursor). */
function apiQuery(p: URLSearchParams, limit = pageSize, cursor = p.get('cursor') ?? ''): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of exchangeFilters) if (p.get(k)) q.set(k, p.get(k)!);
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  return q;
}

interface Data {
  items: Exchange[];
  next: string | null;
  datasets: Dataset[];
  clients: ShareClient[];
  purposes: Purpose[];
  unitName: string;
}

export async function shareExchangesPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const params = new URLSearchParams(location.search);
  const admin = canAdminShare(currentUser());
  await loadPage(
    outlet,
    signal,
    async (): Promise<Data> => {
      const [page, datasets, clients, purposes, names] = await Promise.all([
        shareApi.exchanges(apiQuery(params)),
        datasetsApi.list().catch(() => ({ items: [] as Dataset[] })),
        admin ? shareApi.clients().catch(() => ({ items: [] as ShareClient[] })) : Promise.resolve({ items: [] as ShareClient[] }),
        shareApi.purposes().catch(() => ({ items: [] as Purpose[] })),
        loadUnitNames().catch(() => new Map<string, string>()),
      ]);
      const unit = params.get('unit') ?? '';
      return { items: page.items, next: page.next_cursor, datasets: datasets.items, clients: clients.items, purposes: purposes.items, unitName: names.get(unit) ?? unit };
    },
    (data) => render(outlet, params, data),
  );
}

/** An action in words ("Đọc dữ liệu"), its id on hover. */
function actionLabel(action: string): string {
  const key = `share.act.${action}`;
  return hasKey(key) ? t(key) : action;
}

function withheldReason(reason: string): string {
  const key = `share.withheld.${reason}`;
  return hasKey(key) ? t(key) : reason;
}

function render(outlet: HTMLElement, params: URLSearchParams, data: Data): void {
  const { items, next, datasets, clients, purposes } = data;
  const datasetName = (code: string) => {
    const d = datasets.find((x) => x.code === code);
    return d ? datasetTitle(d) : code;
  };
  const clientName = (code: string) => clients.find((c) => c.code === code)?.name ?? code;
  const admin = canAdminShare(currentUser());

  const client = input('ex-client', { value: params.get('client') ?? '', autocomplete: 'off', autocapitalize: 'none', list: 'ex-clients', 'data-testid': 'ex-client' });
  const dataset = h(
    'select',
    { id: 'ex-dataset', name: 'dataset', 'data-testid': 'ex-dataset' },
    h('option', { value: '' }, t('share.allDatasets')),
    datasets.map((d) => h('option', { value: d.code, selected: d.code === params.get('dataset') }, datasetTitle(d))),
  );
  // A dataset named in the address that the list does not hold is kept as a choice.
  const wanted = params.get('dataset');
  if (wanted && !datasets.some((d) => d.code === wanted)) dataset.append(h('option', { value: wanted, selected: true }, wanted));
  const unit = unitPicker(t('share.unit'), { initial: params.get('unit') ? [{ code: params.get('unit')!, name: data.unitName }] : [] });
  const from = input('ex-from', { type: 'date', value: params.get('from') ?? '', 'data-testid': 'ex-from' });
  const to = input('ex-to', { type: 'date', value: params.get('to') ?? '', 'data-testid': 'ex-to' });

  const filtersNow = (): URLSearchParams => {
    const p = new URLSearchParams();
    if (client.value.trim()) p.set('client', client.value.trim());
    if (dataset.value) p.set('dataset', dataset.value);
    if (unit.values()[0]) p.set('unit', unit.values()[0]);
    if (from.value) p.set('from', from.value);
    if (to.value) p.set('to', to.value);
    return p;
  };
  const here = (extra: Record<string, string> = {}) => {
    const p = new URLSearchParams();
    for (const k of exchangeFilters) if (params.get(k)) p.set(k, params.get(k)!);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return exchangesHref(Object.fromEntries(p));
  };

  const cols = 8;
  const table = h(
    'table',
    { class: 'data', 'data-testid': 'exchange-table' },
    h('caption', { class: 'visually-hidden' }, t('share.exchangesTitle')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t('share.ex.at'), t('share.ex.action'), t('share.client'), t('share.ex.request'), t('share.dataset'), t('share.unit'), t('share.fields'), t('share.ex.rows')].map((c, i) =>
          h('th', { scope: 'col', class: i === cols - 1 ? 'num' : null }, c),
        ),
      ),
    ),
    h('tbody', {}, items.length === 0 ? h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('share.exchangesNone'))) : items.map((e) => row(e))),
  );

  function row(e: Exchange): HTMLElement {
    const withheld = Object.entries(e.withheld ?? {});
    return h(
      'tr',
      { 'data-testid': 'exchange-row', 'data-seq': e.seq, 'data-client': e.client, 'data-dataset': e.dataset, 'data-action': e.action },
      h('td', { class: 'nowrap' }, fmtDateTime(e.at, true)),
      h('td', {}, h('span', { title: e.action }, actionLabel(e.action))),
      h('td', {}, admin ? h('a', { href: shareClientHref(e.client) }, clientName(e.client)) : clientName(e.client), h('br'), h('code', { class: 'muted small' }, e.client)),
      h(
        'td',
        { class: 'small' },
        h('div', {}, t('share.ex.purpose'), ': ', e.purpose ? h('span', { title: e.purpose }, purposeTitle(e.purpose, purposes)) : t('state.none')),
        e.case_reference && h('div', {}, t('share.ex.case'), ': ', e.case_reference),
        e.end_user && h('div', {}, t('share.ex.endUser'), ': ', e.end_user),
      ),
      h('td', {}, e.dataset ? h('a', { href: datasetHref(e.dataset) }, datasetName(e.dataset)) : t('state.none')),
      h('td', {}, e.unit ? unitLink(e.unit) : t('share.allUnits')),
      h(
        'td',
        { class: 'small' },
        h('div', {}, e.fields.length ? e.fields.join(', ') : t('state.none')),
        withheld.length > 0 &&
          h(
            'div',
            { class: 'muted', 'data-testid': 'exchange-withheld' },
            t('share.ex.withheld'),
            ': ',
            withheld.flatMap(([f, r], i) => [i ? '; ' : '', h('code', {}, f), ` (${withheldReason(r)})`]),
          ),
      ),
      h('td', { class: 'num', 'data-value': e.rows }, fmtInt(e.rows)),
    );
  }

  // The screen's export takes every page of the filtered log, not just this one.
  exportSource(table, {
    rows: async () => {
      const { items: all, truncated } = await allPages(async (cursor) => {
        const page = await shareApi.exchanges(apiQuery(params, 1000, cursor ?? ''));
        return { items: page.items, next: page.next_cursor };
      });
      return { rows: all.map(row), truncated };
    },
  });

  const csvHref = exchangesCsvUrl(apiQuery(params));
  mount(
    outlet,
    pageHead(t('share.exchangesTitle'), t(admin ? 'share.exchangesLeadAdmin' : 'share.exchangesLead')),
    h(
      'form',
      {
        class: 'toolbar',
        role: 'search',
        'data-testid': 'ex-filters',
        onsubmit: (e: Event) => {
          e.preventDefault();
          go(exchangesHref(Object.fromEntries(filtersNow())));
        },
      },
      admin && field(t('share.client'), client),
      admin && h('datalist', { id: 'ex-clients' }, clients.map((c) => h('option', { value: c.code }, c.name))),
      field(t('share.dataset'), dataset),
      unit.el,
      field(t('audit.from'), from),
      field(t('audit.to'), to),
      h('button', { type: 'submit', class: 'button', 'data-testid': 'ex-filter' }, t('audit.filter')),
    ),
    h(
      'p',
      { class: 'page-actions' },
      h(
        'a',
        { class: 'button button-secondary button-small', href: csvHref, download: 'nhat-ky-trao-doi.csv', 'data-testid': 'ex-csv', title: t('share.ex.csvHint') },
        h('span', { 'aria-hidden': 'true' }, '⤓ '),
        t('share.ex.csv'),
      ),
    ),
    h('div', { class: 'card table-wrap' }, table),
    h(
      'nav',
      { class: 'pager', 'aria-label': t('audit.pages') },
      params.has('cursor') && h('a', { class: 'button button-secondary', href: here(), 'data-testid': 'ex-first' }, `« ${t('share.ex.first')}`),
      next && h('a', { class: 'button button-secondary', href: here({ cursor: next }), 'data-testid': 'ex-next' }, `${t('share.ex.next')} »`),
    ),
  );
  titled(outlet, t('share.exchangesTitle'));
}
