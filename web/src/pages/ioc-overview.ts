// The IOC figures of the overview ("/"): every headline figure of GET /api/v1/overview, grouped
// (Resolution 57, catalog, index set, public services, 1022 feedback, enterprises), each card with
// its value, parts, "x/total", completion rate, target and light, and a sparkline of its trend.
// Cards lead to the figure's page; a figure of an indicator says its value of the same period last
// year. When live events say that a figure's indicator changed, the figures are fetched again
// (once per burst) and the cards updated in place.

import { h } from '../dom';
import { fmtNum, t, type Key } from '../i18n';
import { iocApi, type Figure, type Overview } from '../ioc-api';
import { subscribe } from '../live';
import { fmtValue, lastYearLine, lightMark, liveRefresh, localized, measureUnit, sparkline } from './ioc-common';

const groups = ['nq57', 'catalog', 'indicators', 'public_services', 'feedback', 'enterprises'];

const groupLabel = (g: string): string => (groups.includes(g) ? t(`ioc.group.${g}` as Key) : g);

/** The value as the card shows it: "602/957" when the figure counts out of a total. */
function figureValue(f: Figure): string {
  return f.total != null ? `${fmtValue(f.value, f.measure)}/${fmtNum(f.total)}` : fmtValue(f.value, f.measure);
}

interface Card {
  el: HTMLElement;
  update(f: Figure): void;
}

function figureCard(first: Figure, signal: AbortSignal): Card {
  const titleId = `ioc-figure-${first.key}-h`;
  const link = h('a', { href: first.href });
  const value = h('span', { 'data-testid': 'ioc-figure-value' });
  const unit = h('span', { class: 'stat-unit' });
  const parts = h('ul', { class: 'ioc-parts' });
  const percent = h('p', { class: 'stat-detail' });
  const target = h('p', { class: 'ioc-target', 'data-testid': 'ioc-figure-target' });
  const lastYear = h('p', { class: 'stat-detail', 'data-testid': 'ioc-figure-last-year', hidden: true });
  const trendEl = h('div', { class: 'sparkline', 'data-testid': 'ioc-figure-trend' });
  const el = h(
    'section',
    { class: 'card stat ioc-figure', 'data-testid': 'ioc-figure', 'data-key': first.key, 'aria-labelledby': titleId },
    h('h3', { class: 'stat-label', id: titleId }, link),
    h('p', { class: 'stat-value' }, value, unit),
    parts,
    percent,
    lastYear,
    target,
    trendEl,
  );
  let draw: ReturnType<typeof sparkline> | null = null;
  let shown = '';

  function update(f: Figure): void {
    lastYearLine(lastYear, f.value, f.last_year?.value ?? null, f.measure);
    const text = figureValue(f);
    // A value that changed while the page was open is marked for a moment.
    if (shown && text !== shown) {
      el.classList.remove('ioc-flash');
      void el.offsetWidth; // restarts the animation
      el.classList.add('ioc-flash');
    }
    shown = text;
    el.dataset.status = f.status;
    link.textContent = localized(f.label, f.label_en);
    link.href = f.href;
    value.textContent = text;
    const u = measureUnit(f.measure);
    unit.textContent = u ? ` ${u}` : '';
    parts.replaceChildren(
      ...f.parts.map((p) =>
        h('li', { 'data-testid': 'ioc-figure-part', 'data-key': p.key }, h('strong', {}, fmtNum(p.value)), ' ', localized(p.label, p.label_en)),
      ),
    );
    parts.hidden = f.parts.length === 0;
    percent.hidden = f.percent == null;
    percent.replaceChildren(
      ...(f.percent == null ? [] : [t('ioc.figure.percent'), ' ', h('strong', { 'data-testid': 'ioc-figure-percent' }, fmtValue(f.percent, '%'))]),
    );
    target.hidden = f.target == null;
    target.replaceChildren(
      ...(f.target == null ? [] : [t('ioc.target'), ': ', h('strong', {}, fmtValue(f.target, f.measure)), ' ', lightMark(f.status, f.judged, f.measure)]),
    );
    trendEl.hidden = f.trend.length === 0;
    if (f.trend.length > 0) {
      draw ??= sparkline(trendEl, signal);
      draw(f.trend, f.measure);
    }
  }

  update(first);
  return {
    el,
    update,
  };
}

/** The figures grouped in sections; they follow live changes until `signal` aborts. */
export function iocFigures(overview: Overview, asOf: string | undefined, signal: AbortSignal): HTMLElement {
  const cards = new Map<string, Card>();
  const order = [...new Set(overview.figures.map((f) => f.group))];
  const sections = order.map((g) => {
    const id = `ioc-group-${g}-h`;
    return h(
      'section',
      { class: 'ioc-group', 'aria-labelledby': id, 'data-testid': 'ioc-group', 'data-group': g },
      h('h2', { id }, groupLabel(g)),
      h(
        'div',
        { class: 'cards' },
        overview.figures
          .filter((f) => f.group === g)
          .map((f) => {
            const card = figureCard(f, signal);
            cards.set(f.key, card);
            return card.el;
          }),
      ),
    );
  });

  const el = h('div', { class: 'ioc-figures', 'data-testid': 'ioc-figures' }, sections);
  const indicators = new Set(overview.figures.map((f) => f.indicator).filter((c): c is string => !!c));
  const refresh = liveRefresh(el, signal, () => iocApi.overview(asOf), (next) => {
    for (const f of next.figures) cards.get(f.key)?.update(f);
  });
  subscribe(signal, (e) => {
    if (e.type === 'resync' || (e.type === 'values' && (e.truncated || e.indicators.some((code) => indicators.has(code))))) refresh();
  });
  return el;
}
