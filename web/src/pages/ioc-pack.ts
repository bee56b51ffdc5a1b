// "/public-services" and "/feedback" — the indicator packs for online public services and 1022
// feedback, for a unit (?unit=, default the province) and a month (?period=, default the latest):
// a card per indicator with its value, the same period last year, target, light and trend, and
// the unit's children with each indicator side by side; a child leads to the same figures for it,
// the breadcrumb back up. The figures follow live changes of the pack's indicators.
// Administrators and officers may install the pack (again, it changes nothing) with the button in
// the toolbar.

import { ApiError } from '../api';
import { helpLine } from '../components/help';
import { h, mount } from '../dom';
import { t, type Key } from '../i18n';
import { iocApi, type Pack, type PackCode, type PackFigure } from '../ioc-api';
import { subscribe } from '../live';
import { loadPage, pageHead, titled } from '../page';
import { go, type RouteContext, type View } from '../router';
import { currentUser, hasRole } from '../session';
import {
  fmtValue,
  indicatorHref,
  iocHref,
  lightMark,
  liveRefresh,
  localized,
  measureUnit,
  param,
  periodLabel,
  periodPicker,
  sparkline,
  unitBreadcrumb,
  unitTrail,
  yearBefore,
  lastYearLine,
  type TrailUnit,
} from './ioc-common';
import { readAsOf } from './tracker-common';

interface PackPage {
  pack: PackCode;
  path: string;
  title: Key;
  lead: Key;
}

const packPage =
  (page: PackPage): View =>
  async (outlet: HTMLElement, { signal }: RouteContext) => {
    const asOf = readAsOf();
    const query = { unit: param('unit') || undefined, period: param('period') || undefined, as_of: asOf };
    await loadPage(
      outlet,
      signal,
      async () => {
        const data = await iocApi.pack(page.pack, query);
        return { data, trail: await unitTrail(data.unit.code) };
      },
      ({ data, trail }) => render(outlet, signal, page, asOf, data, trail),
    );
  };

export const publicServicesPage = packPage({ pack: 'public_services', path: '/public-services', title: 'ioc.pack.publicServices', lead: 'ioc.pack.publicServicesLead' });
export const feedbackPage = packPage({ pack: 'feedback_1022', path: '/feedback', title: 'ioc.pack.feedback', lead: 'ioc.pack.feedbackLead' });

/** What the last install did, shown once on the page it reloads. */
let installNotice = '';

/** The install button and the line that reports what it did. */
function installControl(page: PackPage): HTMLElement[] {
  const status = h('p', { role: 'status', class: 'notice', 'data-testid': 'pack-install-status', hidden: !installNotice }, installNotice);
  installNotice = '';
  const button = h('button', { type: 'button', class: 'button', 'data-testid': 'pack-install' }, t('ioc.pack.install'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.hidden = false;
    status.textContent = t('ioc.pack.installing');
    try {
      const done = await iocApi.installPack(page.pack);
      installNotice = t('ioc.pack.installed', {
        dataset: done.dataset,
        added: done.added.length,
        updated: done.updated.length,
        unchanged: done.unchanged.length,
        targets: done.targets,
      });
      go(location.pathname + location.search, { replace: true });
    } catch (err) {
      status.textContent = err instanceof ApiError ? err.detail || err.code : String(err);
      button.disabled = false;
    }
  });
  return [button, status];
}

interface Card {
  el: HTMLElement;
  update(f: PackFigure): void;
  /** The value of the same period last year (null: none). */
  setLastYear(value: number | null): void;
}

function figureCard(f: PackFigure, href: string, signal: AbortSignal): Card {
  const titleId = `pack-figure-${f.indicator}-h`;
  const value = h('span', { 'data-testid': 'pack-figure-value' });
  const u = measureUnit(f.measure);
  const target = h('p', { class: 'ioc-target' });
  const lastYear = h('p', { class: 'stat-detail', 'data-testid': 'pack-figure-last-year', hidden: true });
  const trendEl = h('div', { class: 'sparkline' });
  const el = h(
    'section',
    { class: 'card stat ioc-figure', 'data-testid': 'pack-figure', 'data-indicator': f.indicator, 'aria-labelledby': titleId },
    h('h2', { class: 'stat-label', id: titleId }, h('a', { href }, localized(f.name, f.name_en))),
    h('p', { class: 'stat-value' }, value, u && h('span', { class: 'stat-unit' }, ` ${u}`)),
    lastYear,
    target,
    trendEl,
  );
  let draw: ReturnType<typeof sparkline> | null = null;
  let current = f;
  let before: number | null = null;
  function update(next: PackFigure): void {
    current = next;
    lastYearLine(lastYear, next.value, before, next.measure);
    el.dataset.status = next.status;
    value.textContent = fmtValue(next.value, next.measure);
    mount(target, next.target == null ? t('ioc.noTarget') : [t('ioc.target'), ': ', h('strong', {}, fmtValue(next.target, next.measure)), ' '], lightMark(next.status, next.judged, next.measure));
    trendEl.hidden = next.trend.length === 0;
    if (next.trend.length > 0) {
      draw ??= sparkline(trendEl, signal);
      draw(next.trend, next.measure);
    }
  }
  update(f);
  return {
    el,
    update,
    setLastYear(v) {
      before = v;
      lastYearLine(lastYear, current.value, before, current.measure);
    },
  };
}

function render(outlet: HTMLElement, signal: AbortSignal, page: PackPage, asOf: string | undefined, first: Pack, trail: TrailUnit[]): void {
  const unit = first.unit.code;
  const period = first.period;
  const href = (code: string) => iocHref(page.path, { unit: code, period });
  const cards = new Map<string, Card>();
  const cardList = h(
    'div',
    { class: 'cards' },
    first.figures.map((f) => {
      const card = figureCard(f, indicatorHref(f.indicator, { unit, period }), signal);
      cards.set(f.indicator, card);
      return card.el;
    }),
  );
  const tbody = h('tbody');
  // The year so far, the shown period and the months of the trends, newest first.
  const yearToDate = `${first.as_of.slice(0, 7)}YTD`;
  const periods = [...new Set([yearToDate, period, ...first.figures.flatMap((f) => f.trend.map((p) => p.period))])].sort().reverse();

  function show(data: Pack): void {
    for (const f of data.figures) cards.get(f.indicator)?.update(f);
    mount(
      tbody,
      data.units.length === 0
        ? h('tr', {}, h('td', { colspan: data.figures.length + 1, class: 'empty' }, t('ioc.indicator.noChildren')))
        : data.units.map((u) =>
            h(
              'tr',
              {
                'data-testid': 'pack-unit-row',
                'data-code': u.code,
                onclick: (e: Event) => {
                  if (!(e.target as Element).closest('a')) go(href(u.code));
                },
              },
              h('th', { scope: 'row' }, h('a', { href: href(u.code) }, u.name)),
              data.figures.map((f) => h('td', { class: 'num', 'data-indicator': f.indicator }, fmtValue(u.values[f.indicator] ?? null, f.measure))),
            ),
          ),
    );
  }

  const install = hasRole(currentUser(), ['administrator', 'officer']) ? installControl(page) : [];
  mount(
    outlet,
    unitBreadcrumb(trail, href),
    pageHead(t(page.title), t(page.lead, { unit: first.unit.name, period: periodLabel(period) })),
    h(
      'div',
      { class: 'toolbar' },
      periodPicker('pack-period', periods, period, (p) => go(iocHref(page.path, { unit, period: p }))),
      install[0],
    ),
    install[1],
    first.figures.length === 0 && h('p', { class: 'notice', 'data-testid': 'pack-empty' }, t('ioc.pack.empty')),
    first.figures.length > 0 && helpLine(t('help.lightShort'), 'pack-light-help'),
    cardList,
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'pack-units-h' },
      h('h2', { id: 'pack-units-h' }, t('ioc.pack.units', { unit: first.unit.name })),
      h('p', { class: 'muted small' }, t('ioc.pack.unitsHint')),
      h(
        'div',
        { class: 'table-wrap table-scroll' },
        h(
          'table',
          { class: 'data ioc-table pack-table', 'data-testid': 'pack-units' },
          h('caption', { class: 'visually-hidden' }, t('ioc.pack.units', { unit: first.unit.name })),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, t('ioc.col.unit')),
              first.figures.map((f) => h('th', { scope: 'col', class: 'num' }, localized(f.name, f.name_en))),
            ),
          ),
          tbody,
        ),
      ),
    ),
  );
  show(first);
  titled(outlet, t(page.title));

  // The same period last year, beside each figure (read after the page is shown).
  const lastYearPeriod = yearBefore(period);
  if (lastYearPeriod) {
    for (const f of first.figures) {
      iocApi
        .values({ indicator: f.indicator, unit, period: lastYearPeriod, as_of: asOf })
        .then((v) => {
          if (!signal.aborted) cards.get(f.indicator)?.setLastYear(v.value);
        })
        .catch(() => undefined);
    }
  }

  const indicators = new Set(first.figures.map((f) => f.indicator));
  const refresh = liveRefresh(outlet, signal, () => iocApi.pack(page.pack, { unit, period, as_of: asOf }), show);
  subscribe(signal, (e) => {
    if (e.type === 'resync' || (e.type === 'values' && (e.truncated || e.indicators.some((code) => indicators.has(code))))) refresh();
  });
}
