// The "Chất lượng dữ liệu" card of a catalog entry's page ("/catalog/:code"): the entry's quality
// as of the quality pages' date — the overall score and the four dimensions (from the dataset that
// holds its data, and from what the catalog says of it), the catalog's facts behind them
// (connected, the last update and how long ago, the record count, a contact), what is lacking in
// words, and the way to the scoreboard and to the dataset's failing rows. It loads by itself, so
// the entry does not wait for the scoring. An entry that is not scored (a database not in use, no
// dataset naming it) gets one quiet line; an account that may not read the scores, no card.

import { ApiError } from '../api';
import type { CatalogRecord } from '../catalog-api';
import { fact } from '../components/facts';
import { datasetHref } from '../datasets-api';
import { h, mount } from '../dom';
import { fmtDate, fmtInt, t } from '../i18n';
import { dimensions, qualityApi, type DatabaseScores, type ScoreKey } from '../quality-api';
import { currentUser } from '../session';
import { canReadRecords } from './datasets-common';
import { changeMark, changeOf, failuresHref, fmtScore, levelLight, problemsList, qualityAsOf, scoreLabel, scoreLevel } from './quality-common';

/**
 * The entry's scores as of `asOf`, null when it is not scored. A database in use as the page shows
 * it, unchanged since that date, is scored: it is asked for by its code. Any other entry is scored
 * only when a dataset names it, which the list of the scored entries says without a 404.
 */
async function scoresOf(entry: CatalogRecord, asOf: string): Promise<DatabaseScores | null> {
  const inUse = entry.kind === 'database' && entry.status === 'in_use' && entry.effective <= asOf;
  try {
    if (inUse) return await qualityApi.database(entry.code, asOf);
    const { items } = await qualityApi.databases(asOf);
    return items.find((d) => d.code === entry.code) ?? null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.code === 'quality.not_scored') return null;
    throw err;
  }
}

function scoreStat(k: ScoreKey, db: DatabaseScores): HTMLElement {
  const score = db[k];
  return h(
    'div',
    { class: 'quality-mini', 'data-testid': 'catalog-quality-score', 'data-key': k, 'data-score': score ?? '', 'data-level': scoreLevel(score) },
    h('span', { class: 'quality-mini-label' }, scoreLabel(k)),
    h('strong', { class: `quality-mini-value score-${scoreLevel(score)}` }, fmtScore(score)),
    changeMark(changeOf(db.change, k)),
  );
}

function show(body: HTMLElement, db: DatabaseScores, asOf: string): void {
  const f = db.facts;
  const rowsAllowed = canReadRecords(currentUser());
  const lastUpdate =
    f.days_since_update == null
      ? [t('state.none')]
      : [
          f.days_since_update <= 0 ? t('quality.db.sameDay') : t('quality.db.daysAgo', { n: fmtInt(f.days_since_update) }),
          f.last_data_update && h('span', { class: 'muted small' }, ` (${t('quality.db.catalogDate', { date: fmtDate(f.last_data_update) })})`),
        ];
  mount(
    body,
    h('p', { class: 'muted small' }, t(db.dataset ? 'quality.db.lead' : 'quality.db.leadNoDataset', { date: fmtDate(asOf) })),
    h(
      'div',
      { class: 'quality-summary' },
      h(
        'div',
        { class: 'quality-summary-overall', 'data-status': levelLight[scoreLevel(db.overall)] },
        h('p', { class: 'stat-label' }, scoreLabel('overall')),
        h('p', { class: 'stat-value', 'data-testid': 'catalog-quality-overall', 'data-score': db.overall ?? '' }, fmtScore(db.overall), h('span', { class: 'stat-unit' }, ' /100')),
        h('p', { class: 'stat-detail' }, changeMark(changeOf(db.change, 'overall')), ' ', t('quality.sinceLastMonth')),
      ),
      h('div', { class: 'quality-summary-dims' }, dimensions.map((d) => scoreStat(d, db))),
    ),
    h(
      'dl',
      { class: 'facts', 'data-testid': 'catalog-quality-facts' },
      fact(
        t('quality.db.dataset'),
        'dataset',
        db.dataset ? h('a', { href: datasetHref(db.dataset), 'data-testid': 'catalog-quality-dataset' }, h('code', {}, db.dataset)) : t('state.none'),
      ),
      fact(t('quality.db.connected'), 'connected', f.connected ? t('quality.db.connectedYes') : t('quality.db.connectedNo')),
      fact(t('quality.db.ioc'), 'ioc_connected', f.ioc_connected ? t('catalog.yes') : t('catalog.no')),
      fact(t('quality.db.lastUpdate'), 'last_update', ...lastUpdate),
      fact(t('quality.db.records'), 'record_count', fmtInt(f.record_count)),
      fact(t('quality.db.contact'), 'contact', f.contact ? t('catalog.yes') : t('catalog.no')),
    ),
    h('dl', { class: 'facts facts-wide' }, fact(t('quality.db.problems'), 'problems', problemsList(db.problems ?? [], 'catalog-quality-problems'))),
    h(
      'p',
      { class: 'page-actions' },
      h('a', { class: 'button button-secondary', href: `/quality?as_of=${encodeURIComponent(asOf)}#quality-databases`, 'data-testid': 'catalog-quality-open' }, t('quality.db.open'), ' →'),
      db.dataset &&
        rowsAllowed &&
        h('a', { class: 'button button-secondary', href: failuresHref({ dataset: db.dataset, as_of: asOf }), 'data-testid': 'catalog-quality-failures' }, t('quality.db.failures')),
    ),
  );
}

export function databaseQualityCard(entry: CatalogRecord, signal: AbortSignal): HTMLElement {
  const body = h('div', { class: 'stack' }, h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('state.loading')));
  const section = h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'catalog-quality-h', 'data-testid': 'catalog-quality', 'aria-busy': 'true' },
    h('h2', { id: 'catalog-quality-h' }, t('quality.db.title')),
    body,
  );
  let asOf = '';
  qualityAsOf()
    .then((date) => {
      asOf = date;
      return scoresOf(entry, date);
    })
    .then((db) => {
      if (signal.aborted) return;
      section.dataset.state = db ? 'scored' : 'not-scored';
      if (db) show(body, db, asOf);
      // A platform or a national database that no dataset names: nothing to say about its quality.
      else if (entry.kind !== 'database') section.remove();
      else mount(body, h('p', { class: 'muted', 'data-testid': 'catalog-quality-not-scored' }, t('quality.db.notScored')));
    })
    .catch((err) => {
      if (signal.aborted) return;
      // An account that may not read the scores: the entry stands without the card.
      if (err instanceof ApiError && err.status === 403) return section.remove();
      section.dataset.state = 'unavailable';
      mount(body, h('p', { class: 'muted', 'data-testid': 'catalog-quality-unavailable' }, t('quality.unavailable')));
    })
    .finally(() => section.removeAttribute('aria-busy'));
  return section;
}
