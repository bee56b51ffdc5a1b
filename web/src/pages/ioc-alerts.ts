// "/alerts" — what needs attention as of a date: indicators in the red, off track for the year's
// target, or with outlying values, units whose data is stale, and units whose data quality is low
// or newly fails a check, grouped by kind; each leads to the indicator for its unit and period (a
// unit's stale data to the freshness board, its data quality to its failing rows). New alerts
// arrive live and are put first in their group.

import { helpLine } from '../components/help';
import { h, mount } from '../dom';
import { fmtDate, fmtInt, fmtNum, t, type Key } from '../i18n';
import { alertKinds, iocApi, qualityAlertKinds, type Alert } from '../ioc-api';
import { subscribe } from '../live';
import { loadPage, pageHead, titled } from '../page';
import type { RouteContext } from '../router';
import { fmtValue, indicatorHref, iocHref, localized, periodLabel } from './ioc-common';
import { failuresHref } from './quality-common';
import { readAsOf } from './tracker-common';

const pageSize = 20;

export async function alertsPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asOf = readAsOf();
  await loadPage(outlet, signal, () => iocApi.alerts(asOf), (data) => render(outlet, signal, data.as_of, data.items));
}

const kindLabel = (kind: string): string => ((alertKinds as string[]).includes(kind) ? t(`ioc.alert.${kind}` as Key) : kind);

function item(a: Alert, fresh: boolean): HTMLElement {
  return h(
    'li',
    { class: `alert-item${fresh ? ' alert-new' : ''}`, 'data-testid': 'alert', 'data-kind': a.kind, 'data-indicator': a.indicator, 'data-unit': a.unit },
    h('p', { class: 'alert-message' }, fresh && h('span', { class: 'badge badge-partial' }, t('ioc.alert.new')), fresh && ' ', localized(a.message, a.message_en)),
    h(
      'p',
      { class: 'muted small' },
      a.indicator
        ? [h('a', { href: indicatorHref(a.indicator, { unit: a.unit, period: a.period }) }, a.indicator_name || a.indicator), ` · ${a.unit_name || a.unit}`]
        : qualityAlertKinds.includes(a.kind)
          ? h('a', { href: failuresHref({ unit: a.unit, period: a.period ?? undefined }) }, a.unit_name || a.unit)
          : h('a', { href: iocHref('/freshness') }, a.unit_name || a.unit),
      a.period && ` · ${periodLabel(a.period)}`,
      a.value != null && ` · ${t('ioc.col.value')}: ${fmtValue(a.value, '')}`,
      a.score != null && [' · ', h('span', { class: 'alert-score', title: t('help.score'), 'data-testid': 'alert-score' }, t('ioc.alert.score', { score: fmtNum(a.score) }))],
    ),
  );
}

interface Group {
  items: { alert: Alert; fresh: boolean }[];
  limit: number;
  render(): void;
}

function render(outlet: HTMLElement, signal: AbortSignal, asOf: string, alerts: Alert[]): void {
  const groups = new Map<string, Group>();
  const summary = h('ul', { class: 'chips', 'aria-label': t('ioc.alert.byKind') });
  const sections = h('div', { class: 'stack' });
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'data-testid': 'alerts-live' });

  /** The kind's section (made on first use): its heading with the count, the first items, "more". */
  function group(kind: string): Group {
    const known = groups.get(kind);
    if (known) return known;
    const id = `alerts-${kind}`;
    const heading = h('h2', { id: `${id}-h` });
    const list = h('ul', { class: 'alert-list', 'data-testid': 'alert-list', 'data-kind': kind });
    const count = h('strong', {});
    const more = h('button', { type: 'button', class: 'button button-secondary button-small', 'data-testid': 'alert-more' }, t('ioc.more'));
    const g: Group = {
      items: [],
      limit: pageSize,
      render() {
        const n = fmtInt(g.items.length);
        heading.textContent = `${kindLabel(kind)} (${n})`;
        count.textContent = n;
        mount(list, g.items.length === 0 ? h('li', { class: 'muted' }, t('ioc.alert.none')) : g.items.slice(0, g.limit).map((i) => item(i.alert, i.fresh)));
        more.hidden = g.items.length <= g.limit;
      },
    };
    more.addEventListener('click', () => {
      g.limit += pageSize;
      g.render();
    });
    groups.set(kind, g);
    // Outliers carry a score: what it measures is said once, above them.
    const explain = kind === 'outlier' && helpLine(t('help.score'), 'alert-score-help');
    sections.append(h('section', { class: 'card panel', id, 'aria-labelledby': `${id}-h`, 'data-testid': 'alert-group', 'data-kind': kind }, heading, explain, list, h('p', {}, more)));
    summary.append(h('li', { 'data-testid': 'alert-count', 'data-kind': kind }, h('a', { href: `#${id}` }, count, ' ', kindLabel(kind))));
    return g;
  }

  for (const kind of alertKinds) group(kind);
  for (const a of alerts) group(a.kind).items.push({ alert: a, fresh: false });
  for (const g of groups.values()) g.render();

  mount(outlet, pageHead(t('ioc.alerts.title'), t('ioc.alerts.lead', { date: fmtDate(asOf) })), summary, announcer, sections);
  titled(outlet, t('ioc.alerts.title'));

  subscribe(signal, (e) => {
    if (e.type !== 'alert') return;
    const g = group(e.alert.kind);
    g.items.unshift({ alert: e.alert, fresh: true });
    g.render();
    announcer.textContent = t('ioc.alert.arrived', { message: localized(e.alert.message, e.alert.message_en) });
  });
}
