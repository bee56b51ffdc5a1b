// The open data portal, for anyone, without signing in: "/open" lists the province's open
// datasets with a search that ignores diacritics ("dan so" finds "Dân số"); "/open/:id" shows one
// — what it holds, its licence and publisher, when it was issued and last changed, the first rows
// — with its downloads (CSV, XLSX, JSON, the Data Package descriptor), its DCAT record in Turtle
// and its CKAN API record. Vietnamese by default; the address names English (?lang=en), so a link
// keeps the reader's language, and the header's switch writes it there too.

import { api } from '../api';
import { h, mount } from '../dom';
import { field, input } from '../forms';
import { fmtDate, fmtInt, fmtNum, lang, onLangChange, setLang, t, type Key, type Lang } from '../i18n';
import { loadPage, titled } from '../page';
import type { RouteContext } from '../router';
import { clearError } from '../shell';
import { ckanShowUrl, dcatTurtleUrl, openApi, openFileUrl, openHref, type OpenDataset, type OpenPreview, type ResourceFormat } from '../share-api';

const isPortal = (path: string) => path === '/open' || path.startsWith('/open/');

/** The language the address names (?lang=en); Vietnamese otherwise. */
function addressLang(): Lang {
  return new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'vi';
}

/** An address of the portal in the reader's language (?lang=en kept, nothing for Vietnamese). */
export function portalHref(path: string, language: Lang = lang()): string {
  const [base, query = ''] = path.split('?');
  const p = new URLSearchParams(query);
  if (language === 'en') p.set('lang', 'en');
  else p.delete('lang');
  const s = p.toString();
  return `${base}${s ? `?${s}` : ''}`;
}

// The header's language switch on a page of the portal: the address follows (before the page is
// drawn again in the new language).
onLangChange(() => {
  if (!isPortal(location.pathname) || addressLang() === lang()) return;
  history.replaceState(null, '', portalHref(location.pathname + location.search) + location.hash);
});

/**
 * Takes the address's language for the page (not kept as the app's choice); true when it changed,
 * and the page is being drawn again in it.
 */
function followAddressLang(): boolean {
  const want = addressLang();
  if (want === lang()) return false;
  setLang(want, false);
  return true;
}

/** Vietnamese | English, as links that keep the page. */
function langSwitch(): HTMLElement {
  const link = (code: Lang, label: string) =>
    h('a', { href: portalHref(location.pathname + location.search, code), lang: code, hreflang: code, 'aria-current': lang() === code ? 'true' : null, 'data-testid': `open-lang-${code}` }, label);
  return h('p', { class: 'open-lang', 'aria-label': t('lang.label') }, link('vi', 'Tiếng Việt'), h('span', { 'aria-hidden': 'true' }, ' | '), link('en', 'English'));
}

const titleOf = (d: Pick<OpenDataset, 'title' | 'title_en'>) => (lang() === 'en' && d.title_en) || d.title;
const descriptionOf = (d: Pick<OpenDataset, 'description' | 'description_en'>) => (lang() === 'en' && d.description_en) || d.description;
/** A date or an instant, as a date (dd/mm/yyyy). */
const day = (s: string | null | undefined) => fmtDate(s ? s.slice(0, 10) : s);
const kindLabel = (k: string) => t((['records', 'aggregate', 'values'].includes(k) ? `open.kind.${k}` : 'open.kind.records') as Key);

const allFormats: ResourceFormat[] = ['CSV', 'XLSX', 'JSON', 'datapackage'];
const formatLabel = (f: ResourceFormat) => (f === 'datapackage' ? 'datapackage.json' : f);

function licenceLink(d: OpenDataset): Node | string {
  const l = d.licence;
  if (!l) return t('state.none');
  return l.url ? h('a', { href: l.url, target: '_blank', rel: 'noopener license', 'data-testid': 'open-licence' }, l.title || l.code) : l.title || l.code;
}

// --- The list ------------------------------------------------------------------------------------

export async function openListPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  if (followAddressLang()) return;
  const q = new URLSearchParams(location.search).get('q') ?? '';
  await loadPage(
    outlet,
    signal,
    async () => {
      const [list, info] = await Promise.all([openApi.list(q, lang()), api.info().catch(() => null)]);
      return { items: list.items, province: info?.province.name ?? '' };
    },
    ({ items, province }) => renderList(outlet, signal, q, items, province),
  );
}

function card(d: OpenDataset): HTMLElement {
  const description = descriptionOf(d);
  return h(
    'li',
    { class: 'card panel open-item', 'data-testid': 'open-item', 'data-id': d.id },
    h('h2', {}, h('a', { href: portalHref(openHref(d.id)), 'data-testid': 'open-link' }, titleOf(d))),
    description && h('p', { class: 'open-description' }, description),
    h(
      'p',
      { class: 'muted small open-meta' },
      d.organization?.name || d.organization?.code,
      ' · ',
      kindLabel(d.kind),
      ' · ',
      d.rows != null && [t('open.rows', { n: fmtInt(d.rows) }), ' · '],
      t('open.modifiedOn', { date: day(d.modified) }),
      ' · ',
      d.licence?.title || d.licence?.code,
    ),
    h('p', { class: 'open-formats' }, (d.resources?.length ? d.resources.map((r) => r.format) : allFormats).map((f) => h('span', { class: 'tag' }, formatLabel(f)))),
  );
}

function renderList(outlet: HTMLElement, signal: AbortSignal, q: string, items: OpenDataset[], province: string): void {
  clearError();
  const search = input('open-q', { type: 'search', value: q, autocomplete: 'off', placeholder: t('open.searchPlaceholder'), 'data-testid': 'open-search' });
  const count = h('p', { role: 'status', class: 'muted', 'data-testid': 'open-count' });
  const list = h('ul', { class: 'plain open-list', 'data-testid': 'open-list' });
  let seq = 0;
  let timer = 0;

  function show(found: OpenDataset[], query: string): void {
    mount(list, found.length ? found.map(card) : h('li', { class: 'muted', 'data-testid': 'open-none' }, query ? t('open.noMatch') : t('open.none')));
    count.textContent = t('open.count', { n: fmtInt(found.length) });
  }

  async function lookup(query: string): Promise<void> {
    const mine = ++seq;
    const p = new URLSearchParams();
    if (query) p.set('q', query);
    const s = p.toString();
    history.replaceState(null, '', portalHref(`/open${s ? `?${s}` : ''}`));
    try {
      const { items: found } = await openApi.list(query, lang());
      if (mine !== seq || signal.aborted) return;
      show(found, query);
    } catch {
      if (mine === seq && !signal.aborted) count.textContent = t('open.searchFailed');
    }
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void lookup(search.value.trim()), 250);
  });

  const title = t('open.title');
  mount(
    outlet,
    h(
      'div',
      { class: 'open-portal', 'data-testid': 'open-portal' },
      h(
        'div',
        { class: 'page-head page-head-actions' },
        h('div', {}, h('h1', {}, title), h('p', { class: 'lead' }, t('open.lead', { province: province || t('open.theProvince') }))),
        langSwitch(),
      ),
      h('form', { class: 'toolbar', role: 'search', onsubmit: (e: Event) => (e.preventDefault(), void lookup(search.value.trim())) }, field(t('open.search'), search), count),
      list,
      h(
        'section',
        { class: 'card panel open-machine', 'aria-labelledby': 'open-machine-h' },
        h('h2', { id: 'open-machine-h' }, t('open.machine')),
        h('p', { class: 'muted' }, t('open.machineLead')),
        h(
          'ul',
          { class: 'plain compact' },
          h('li', {}, h('a', { href: '/catalog.ttl', target: '_blank', rel: 'noopener', 'data-testid': 'open-catalog-ttl' }, t('open.catalogTtl')), ' ', h('code', { class: 'muted' }, '/catalog.ttl')),
          h('li', {}, h('a', { href: '/catalog.jsonld', target: '_blank', rel: 'noopener' }, t('open.catalogJsonld')), ' ', h('code', { class: 'muted' }, '/catalog.jsonld')),
          h('li', {}, h('a', { href: '/api/3/action/package_search', target: '_blank', rel: 'noopener' }, t('open.ckan')), ' ', h('code', { class: 'muted' }, '/api/3/action/package_search?q=')),
        ),
      ),
      h('p', { class: 'muted small' }, h('a', { href: '/login', 'data-testid': 'open-staff' }, t('open.staff'))),
    ),
  );
  show(items, q);
  titled(outlet, title);
}

// --- One dataset ---------------------------------------------------------------------------------

export async function openDatasetPage(outlet: HTMLElement, { params, signal }: RouteContext): Promise<void> {
  if (followAddressLang()) return;
  await loadPage(outlet, signal, () => openApi.dataset(params.id), (d) => renderDataset(outlet, d));
  // Not found: the way on leads back to the portal.
  const back = outlet.querySelector<HTMLAnchorElement>('[data-testid="error-state"] a[href="/units"]');
  if (back) {
    back.href = portalHref('/open');
    back.textContent = t('open.back');
  }
}

function fact(label: string, testid: string, ...value: (Node | string | false | null | undefined)[]): HTMLElement {
  return h('div', { class: 'fact', 'data-testid': testid }, h('dt', {}, label), h('dd', {}, ...value));
}

/** Cells as the reader writes them: numbers (by the column's type, or sent as numbers), dates, yes and no. */
function previewTable(d: OpenDataset, preview: OpenPreview): HTMLElement {
  const fields = preview.fields;
  const numberTypes = new Set(['integer', 'number']);
  const numeric = new Set(
    fields
      .filter((f) => (f.type ? numberTypes.has(f.type) : preview.rows.some((r) => typeof r[f.name] === 'number') && preview.rows.every((r) => r[f.name] == null || typeof r[f.name] === 'number')))
      .map((f) => f.name),
  );
  const cell = (f: OpenPreview['fields'][number], v: string | number | boolean | null | undefined) => {
    if (v == null || v === '') return h('span', { class: 'muted' }, t('state.none'));
    if (typeof v === 'number') return fmtNum(v, 6);
    if (typeof v === 'boolean' || (f.type === 'boolean' && (v === 'true' || v === 'false'))) return t(v === true || v === 'true' ? 'catalog.yes' : 'open.no');
    if (numeric.has(f.name) && /^-?\d+(\.\d+)?$/.test(v)) return fmtNum(Number(v), 6);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
    return v;
  };
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', 'data-export': 'off', 'data-testid': 'open-preview' },
      h('caption', {}, d.rows != null ? t('open.previewCaption', { shown: fmtInt(preview.rows.length), total: fmtInt(d.rows) }) : t('open.previewFirst', { shown: fmtInt(preview.rows.length) })),
      h('thead', {}, h('tr', {}, fields.map((f) => h('th', { scope: 'col', class: numeric.has(f.name) ? 'num' : null, title: f.name }, (lang() === 'en' && f.title_en) || f.title || f.name)))),
      h(
        'tbody',
        {},
        preview.rows.length === 0
          ? h('tr', {}, h('td', { colspan: Math.max(1, fields.length), class: 'empty' }, t('state.empty')))
          : preview.rows.map((r) => h('tr', { 'data-testid': 'open-preview-row' }, fields.map((f) => h('td', { class: numeric.has(f.name) ? 'num' : null }, cell(f, r[f.name]))))),
      ),
    ),
  );
}

function renderDataset(outlet: HTMLElement, d: OpenDataset & { preview?: OpenPreview }): void {
  clearError();
  const title = titleOf(d);
  const description = descriptionOf(d);
  const downloads = allFormats.map((f) =>
    h(
      'a',
      {
        class: f === 'CSV' ? 'button' : 'button button-secondary',
        // This site's own address of the file (the resources name the configured public one).
        href: openFileUrl(d.id, f),
        download: f === 'datapackage' ? `${d.id}-datapackage.json` : `${d.id}.${f.toLowerCase()}`,
        'data-testid': `open-download-${f.toLowerCase()}`,
      },
      h('span', { 'aria-hidden': 'true' }, '⤓ '),
      t('open.download', { format: formatLabel(f) }),
    ),
  );
  mount(
    outlet,
    h(
      'div',
      { class: 'open-portal', 'data-testid': 'open-dataset', 'data-id': d.id },
      h(
        'nav',
        { class: 'breadcrumb', 'aria-label': t('datasets.breadcrumb') },
        h('ol', {}, h('li', {}, h('a', { href: portalHref('/open'), 'data-testid': 'open-home' }, t('open.title'))), h('li', { 'aria-current': 'page' }, title)),
      ),
      h(
        'div',
        { class: 'page-head page-head-actions' },
        h('div', {}, h('h1', { 'data-testid': 'open-title' }, title), description ? h('p', { class: 'lead' }, description) : null),
        langSwitch(),
      ),
      h('p', { class: 'page-actions open-downloads', 'data-testid': 'open-downloads' }, downloads),
      h(
        'section',
        { class: 'card panel', 'aria-labelledby': 'open-facts-h' },
        h('h2', { id: 'open-facts-h' }, t('open.facts')),
        h(
          'dl',
          { class: 'facts' },
          fact(t('open.organization'), 'open-organization', d.organization?.name || d.organization?.code || t('state.none')),
          fact(t('open.licence'), 'open-licence-fact', licenceLink(d)),
          fact(t('open.kind'), 'open-kind', kindLabel(d.kind)),
          fact(t('open.issued'), 'open-issued', day(d.issued)),
          fact(t('open.modified'), 'open-modified', day(d.modified)),
          d.rows != null && fact(t('open.rowsLabel'), 'open-rows', fmtInt(d.rows)),
          d.kind === 'aggregate' && d.k > 1 && fact(t('open.k'), 'open-k', t('open.kText', { k: fmtInt(d.k) })),
          d.keywords?.length > 0 && fact(t('open.keywords'), 'open-keywords', h('span', { class: 'tag-list' }, d.keywords.map((k) => h('span', { class: 'tag' }, k)))),
          fact(t('open.id'), 'open-id', h('code', {}, d.id)),
        ),
      ),
      d.preview &&
        h(
          'section',
          { class: 'card panel', 'aria-labelledby': 'open-preview-h' },
          h('h2', { id: 'open-preview-h' }, t('open.preview')),
          previewTable(d, d.preview),
        ),
      h(
        'section',
        { class: 'card panel', 'aria-labelledby': 'open-meta-h' },
        h('h2', { id: 'open-meta-h' }, t('open.machine')),
        h('p', { class: 'muted' }, t('open.metaLead')),
        h(
          'ul',
          { class: 'plain compact' },
          h('li', {}, h('a', { href: dcatTurtleUrl(d.id), target: '_blank', rel: 'noopener', 'data-testid': 'open-dcat' }, t('open.dcat')), ' ', h('code', { class: 'muted' }, dcatTurtleUrl(d.id))),
          h('li', {}, h('a', { href: ckanShowUrl(d.id), target: '_blank', rel: 'noopener', 'data-testid': 'open-ckan' }, t('open.ckanShow')), ' ', h('code', { class: 'muted' }, ckanShowUrl(d.id))),
        ),
      ),
    ),
  );
  titled(outlet, title);
}
