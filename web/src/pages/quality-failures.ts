// "/quality/failures?dataset=&check=&unit=&period=" — the rows that fail the quality checks, with
// the filters the scoreboard chose (a unit, a dataset, one check, a month): each row's key, unit,
// month, check, field, value and the reason, the first rows on the page and more on demand, and
// all of them as CSV or XLSX (the API's files, same filters, Vietnamese headings). The filters
// and the as-of date (default the IOC's) live in the address; each filter can be removed.

import { api } from '../api';
import { dataHref, datasetHref } from '../datasets-api';
import { h, mount } from '../dom';
import { busy } from '../forms';
import { fmtInt, t } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { failuresFileUrl, qualityApi, type Failure, type FailuresQuery } from '../quality-api';
import { showError } from '../shell';
import { failuresHref, qualityAsOf, qualityHref } from './quality-common';
import { monthLabel } from './tracker-common';

const pageSize = 50;
/** More than this many rows are for the downloads, not the page (the API's largest page). */
const maxOnPage = 1000;

interface Filters {
  dataset: string;
  check: string;
  unit: string;
  period: string;
}

function readFilters(): Filters & { limit: number } {
  const p = new URLSearchParams(location.search);
  const period = p.get('period') ?? '';
  const limit = Number(p.get('limit'));
  return {
    dataset: p.get('dataset') ?? '',
    check: p.get('check') ?? '',
    unit: p.get('unit') ?? '',
    period: /^\d{4}-\d{2}$/.test(period) ? period : '',
    limit: Number.isInteger(limit) && limit > 0 && limit <= maxOnPage ? limit : pageSize,
  };
}

const apiQuery = (f: Filters, asOf: string, limit?: number): FailuresQuery => ({
  as_of: asOf,
  dataset: f.dataset || undefined,
  check: f.check || undefined,
  unit: f.unit || undefined,
  period: f.period || undefined,
  limit,
});

interface Data {
  filters: Filters & { limit: number };
  /** The date the checks are evaluated as of: the address's, else the IOC's. */
  asOf: string;
  items: Failure[];
  total: number;
  unitName: string;
}

export async function qualityFailuresPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    async (): Promise<Data> => {
      const filters = readFilters();
      const asOf = await qualityAsOf();
      // The unit's name is a nicety: the rows are shown without it.
      const [page, unitName] = await Promise.all([
        qualityApi.failures(apiQuery(filters, asOf, filters.limit)),
        filters.unit ? api.unit(filters.unit).then((u) => u.name, () => '') : Promise.resolve(''),
      ]);
      return { filters, asOf, items: page.items, total: page.total, unitName };
    },
    (data) => render(outlet, signal, data),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, data: Data): void {
  const { filters } = data;
  let items = data.items;
  let total = data.total;
  let limit = filters.limit;
  const { asOf } = data;
  const checkTitle = data.items.find((f) => f.check === filters.check && f.title)?.title;

  /** The same page without one filter. */
  const without = (k: keyof Filters) => {
    const rest: Filters = { dataset: filters.dataset, check: filters.check, unit: filters.unit, period: filters.period };
    rest[k] = '';
    return failuresHref({ ...rest, as_of: asOf });
  };
  const chip = (k: keyof Filters, label: string, value: string) =>
    h(
      'li',
      { 'data-testid': 'quality-failures-filter', 'data-filter': k, 'data-value': filters[k] },
      `${label}: ${value} `,
      h('a', { class: 'chip-remove', href: without(k), 'aria-label': t('quality.failures.removeFilter', { name: `${label}: ${value}` }) }, '×'),
    );
  const chips = [
    filters.unit && chip('unit', t('quality.col.unit'), data.unitName ? `${data.unitName} (${filters.unit})` : filters.unit),
    filters.dataset && chip('dataset', t('quality.col.dataset'), filters.dataset),
    filters.check && chip('check', t('quality.col.check'), checkTitle ?? filters.check),
    filters.period && chip('period', t('quality.col.month'), monthLabel(filters.period)),
  ].filter((c): c is HTMLLIElement => !!c);

  const count = h('p', { role: 'status', class: 'muted', 'data-testid': 'quality-failures-count' });
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'quality-failures-more' }, t('quality.failures.more'));
  const tooMany = h('p', { class: 'muted small', hidden: true, 'data-testid': 'quality-failures-download-hint' }, t('quality.failures.useDownload'));

  function row(f: Failure): HTMLElement {
    const dataset = f.dataset || filters.dataset;
    const key = dataset ? h('a', { href: `${dataHref(dataset)}?q=${encodeURIComponent(f.key)}` }, h('code', {}, f.key)) : h('code', {}, f.key);
    return h(
      'tr',
      { 'data-testid': 'quality-failure', 'data-key': f.key, 'data-unit': f.unit, 'data-check': f.check, 'data-field': f.field },
      h('th', { scope: 'row' }, key),
      h('td', {}, h('a', { href: `/units/${encodeURIComponent(f.unit)}` }, f.unit)),
      h('td', { class: 'nowrap' }, f.month ? monthLabel(f.month) : t('state.none')),
      h('td', {}, f.title || f.check, h('br'), h('code', { class: 'muted small' }, dataset ? `${dataset}.${f.check}` : f.check)),
      h('td', {}, f.field ? h('code', {}, f.field) : t('state.none')),
      h('td', { class: 'batch-value' }, f.value != null && f.value !== '' ? h('code', {}, String(f.value)) : h('span', { class: 'muted' }, t('batch.emptyValue'))),
      h('td', {}, f.reason),
    );
  }

  function renderRows(): void {
    mount(tbody, items.length === 0 ? h('tr', {}, h('td', { colspan: 7, class: 'empty' }, t('quality.failures.none'))) : items.map(row));
    count.dataset.total = String(total);
    count.textContent = t('quality.failures.shown', { shown: fmtInt(items.length), total: fmtInt(total) });
    more.hidden = items.length >= total || limit >= maxOnPage;
    tooMany.hidden = !(items.length < total && limit >= maxOnPage);
  }

  more.addEventListener('click', () =>
    void busy(more, async () => {
      const next = Math.min(maxOnPage, limit + pageSize);
      try {
        const page = await qualityApi.failures(apiQuery(filters, asOf, next));
        if (signal.aborted) return;
        limit = next;
        items = page.items;
        total = page.total;
        const p = new URLSearchParams(location.search);
        p.set('limit', String(limit));
        history.replaceState(null, '', `${location.pathname}?${p}`);
        renderRows();
      } catch (err) {
        if (!signal.aborted) showError(err);
      }
    }),
  );

  const q = apiQuery(filters, asOf);
  const title = t('quality.failures.title');
  mount(
    outlet,
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('datasets.breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: qualityHref(asOf) }, t('quality.title'))), h('li', { 'aria-current': 'page' }, title)),
    ),
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h('div', {}, h('h1', { 'data-testid': 'quality-failures-title' }, title), h('p', { class: 'lead' }, t('quality.failures.lead'))),
      h(
        'p',
        { class: 'page-actions' },
        h('a', { class: 'button button-secondary', href: failuresFileUrl(q, 'csv'), download: '', 'data-testid': 'quality-failures-csv' }, t('quality.failures.csv')),
        h('a', { class: 'button button-secondary', href: failuresFileUrl(q, 'xlsx'), download: '', 'data-testid': 'quality-failures-xlsx' }, t('quality.failures.xlsx')),
        filters.dataset && h('a', { class: 'button button-secondary', href: `${datasetHref(filters.dataset)}#quality-checks` }, t('quality.datasets.checks')),
      ),
    ),
    chips.length > 0 ? h('ul', { class: 'chips', 'data-testid': 'quality-failures-filters', 'aria-label': t('quality.failures.filters') }, chips) : h('p', { class: 'muted' }, t('quality.failures.all')),
    count,
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data quality-failures', 'data-testid': 'quality-failures' },
        h('caption', { class: 'visually-hidden' }, title),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('quality.col.key'), t('quality.col.unit'), t('quality.col.month'), t('quality.col.check'), t('quality.col.field'), t('quality.col.value'), t('quality.col.reason')].map((label) =>
              h('th', { scope: 'col' }, label),
            ),
          ),
        ),
        tbody,
      ),
    ),
    h('p', {}, more),
    tooMany,
  );
  renderRows();
  titled(outlet, title);
}
