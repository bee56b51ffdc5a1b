// "/datasets" — the datasets held in pdh: title, code, owner unit, schema version, rows, fields
// and personal fields, last update; a filter that ignores diacritics ("ho so" finds "Hồ sơ"),
// kept in the address.

import { withAsOf } from '../as-of';
import { datasetHref, datasetsApi, type Dataset } from '../datasets-api';
import { h, mount } from '../dom';
import { field, input } from '../forms';
import { fmtDateTime, fmtInt, t } from '../i18n';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext } from '../router';
import { fold } from '../text';
import { datasetTitle, personalCount } from './datasets-common';

export async function datasetsListPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  await loadPage(
    outlet,
    signal,
    () => datasetsApi.list(),
    ({ items }) => render(outlet, signal, items),
  );
}

function haystack(d: Dataset): string {
  return fold([d.title, d.title_en ?? '', d.code, d.description ?? '', d.owner_unit ?? '', d.owner_unit_name ?? ''].join(' '));
}

function render(outlet: HTMLElement, signal: AbortSignal, items: Dataset[]): void {
  const folded = new Map(items.map((d) => [d, haystack(d)]));
  const search = input('datasets-q', {
    type: 'search',
    value: new URLSearchParams(location.search).get('q') ?? '',
    autocomplete: 'off',
    placeholder: t('datasets.searchPlaceholder'),
    'data-testid': 'datasets-search',
  });
  const count = h('p', { role: 'status', class: 'muted', 'data-testid': 'datasets-count' });
  const tbody = h('tbody');
  const cols = 8;

  function row(d: Dataset): HTMLElement {
    const href = datasetHref(d.code);
    const personal = personalCount(d);
    return h(
      'tr',
      {
        'data-testid': 'dataset-row',
        'data-code': d.code,
        onclick: (e: Event) => {
          if (!(e.target as Element).closest('a')) go(href);
        },
      },
      h('th', { scope: 'row' }, h('a', { href, 'data-testid': 'dataset-link' }, datasetTitle(d)), d.description ? h('br') : null, d.description ? h('span', { class: 'muted small' }, d.description) : null),
      h('td', {}, h('code', {}, d.code)),
      h('td', { class: 'wide' }, d.owner_unit ? h('a', { href: `/units/${encodeURIComponent(d.owner_unit)}` }, d.owner_unit_name || d.owner_unit) : t('state.none')),
      h('td', { class: 'num' }, fmtInt(d.version)),
      h('td', { class: 'num', 'data-testid': 'dataset-rows', 'data-value': d.row_count }, fmtInt(d.row_count)),
      h('td', { class: 'num' }, fmtInt(d.field_count)),
      h('td', { class: 'num', 'data-testid': 'dataset-personal' }, personal > 0 ? h('span', { class: 'badge badge-partial' }, fmtInt(personal)) : fmtInt(0)),
      h('td', { class: 'num nowrap' }, fmtDateTime(d.updated_at)),
    );
  }

  function renderRows(): void {
    const q = fold(search.value);
    const shown = items.filter((d) => !q || folded.get(d)!.includes(q));
    mount(
      tbody,
      shown.length === 0 ? h('tr', {}, h('td', { colspan: cols, class: 'empty' }, items.length ? t('datasets.noMatch') : t('datasets.none'))) : shown.map(row),
    );
    count.textContent = t('datasets.shown', { shown: fmtInt(shown.length), total: fmtInt(items.length) });
    const p = new URLSearchParams();
    if (search.value.trim()) p.set('q', search.value.trim());
    const query = p.toString();
    history.replaceState(null, '', withAsOf(`${location.pathname}${query ? `?${query}` : ''}`));
  }

  search.addEventListener('input', () => {
    if (!signal.aborted) renderRows();
  });

  mount(
    outlet,
    pageHead(t('datasets.title'), t('datasets.lead')),
    h('form', { class: 'toolbar', role: 'search', onsubmit: (e: Event) => e.preventDefault() }, field(t('datasets.search'), search), count),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data datasets-table', 'data-testid': 'datasets-table' },
        h('caption', { class: 'visually-hidden' }, t('datasets.caption')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            (
              [
                ['datasets.col.title', ''],
                ['datasets.col.code', ''],
                ['datasets.col.owner', ''],
                ['datasets.col.version', 'num'],
                ['datasets.col.rows', 'num'],
                ['datasets.col.fields', 'num'],
                ['datasets.col.personal', 'num'],
                ['datasets.col.updated', 'num'],
              ] as const
            ).map(([key, cls]) => h('th', { scope: 'col', class: cls || null }, t(key))),
          ),
        ),
        tbody,
      ),
    ),
  );
  renderRows();
  titled(outlet, t('datasets.title'));
}
