// "/audit" (auditors and administrators) — the audit log, newest first: filters by actor, action
// and dates (kept in the query string), pages of entries by `before`, each entry's detail on
// demand, and a check of the hash chain. Actions are said in words ("Đăng nhập", "Nhập lô dữ
// liệu"), their ids on hover and among the action filter's suggestions.

import { api, type AuditEntry } from '../api';
import { h, mount } from '../dom';
import { busy, field, formMessage, input } from '../forms';
import { fmtDateTime, fmtInt, hasKey, t } from '../i18n';
import { loadPage, titled, pageHead } from '../page';
import { go, type RouteContext } from '../router';

const pageSize = 50;
const filters = ['actor', 'action', 'from', 'to'] as const;

/** Local midnight of a YYYY-MM-DD date, `days` later, as an ISO instant for the API. */
function dayStart(date: string, days = 0): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}

// The actions the log names, for the filter's suggestions.
const knownActions = [
  'login',
  'login.failed',
  'auth.logout',
  'auth.logout_all',
  'auth.password',
  'auth.totp_confirm',
  'tokens.create',
  'tokens.revoke',
  'users.create',
  'users.update',
  'datasets.ingest',
  'datasets.records',
  'catalog.update',
  'tracker.update',
  'tracker.report',
  'values.post',
  'reports.issue',
  'reports.send',
  'boundaries.put',
];

/** An action in words: "Đăng nhập" for "login", "Bị từ chối: Tạo tài khoản" for "denied:users.create"; else its id. */
export function actionLabel(action: string): string {
  const denied = action.startsWith('denied:');
  const id = denied ? action.slice(7) : action;
  const key = `audit.act.${id}`;
  const words = hasKey(key) ? t(key) : id;
  return denied ? t('audit.denied', { action: words }) : words;
}

function apiQuery(p: URLSearchParams): URLSearchParams {
  const q = new URLSearchParams({ limit: String(pageSize) });
  for (const k of ['actor', 'action', 'before']) if (p.get(k)) q.set(k, p.get(k)!);
  if (p.get('from')) q.set('from', dayStart(p.get('from')!));
  if (p.get('to')) q.set('to', dayStart(p.get('to')!, 1)); // the whole last day
  return q;
}

export async function auditPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const params = new URLSearchParams(location.search);
  await loadPage(outlet, signal, () => api.audit(apiQuery(params)), (page) => render(outlet, params, page.items, page.next_before));
}

function render(outlet: HTMLElement, params: URLSearchParams, items: AuditEntry[], nextBefore: number | null): void {
  const inputs = {
    actor: input('audit-actor', { value: params.get('actor') ?? '', autocomplete: 'off' }),
    action: input('audit-action', { value: params.get('action') ?? '', autocomplete: 'off', placeholder: 'login.failed', list: 'audit-actions', title: t('audit.actionHint') }),
    from: input('audit-from', { type: 'date', value: params.get('from') ?? '' }),
    to: input('audit-to', { type: 'date', value: params.get('to') ?? '' }),
  };
  const query = (extra: Record<string, string> = {}) => {
    const p = new URLSearchParams();
    for (const k of filters) if (inputs[k].value.trim()) p.set(k, inputs[k].value.trim());
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return `/audit${s ? `?${s}` : ''}`;
  };

  const verifyResult = formMessage('verify-result');
  const verify = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'audit-verify' }, t('audit.verify'));
  verify.addEventListener('click', () =>
    void busy(verify, async () => {
      verifyResult.clear();
      try {
        const r = await api.auditVerify();
        if (r.ok) verifyResult.ok(t('audit.verifyOk', { entries: fmtInt(r.entries), checkpoints: fmtInt(r.checkpoints) }));
        else verifyResult.error(null, t('audit.verifyBad', { seq: r.first_bad_seq ?? '?', problem: r.problem ?? '' }));
      } catch (err) {
        verifyResult.error(err);
      }
    }),
  );

  const cols = 7;
  mount(
    outlet,
    pageHead(t('audit.title'), t('audit.lead')),
    h('section', { class: 'card panel stack', 'aria-label': t('audit.verify') }, h('p', { class: 'muted' }, t('audit.verifyLead')), h('p', {}, verify), verifyResult.el),
    h(
      'form',
      {
        class: 'toolbar',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          go(query());
        },
      },
      field(t('audit.actor'), inputs.actor),
      field(t('audit.action'), inputs.action),
      h('datalist', { id: 'audit-actions' }, knownActions.map((a) => h('option', { value: a }, actionLabel(a)))),
      field(t('audit.from'), inputs.from),
      field(t('audit.to'), inputs.to),
      h('button', { type: 'submit', class: 'button', 'data-testid': 'audit-filter' }, t('audit.filter')),
    ),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'data audit', 'data-testid': 'audit-table' },
        h('caption', { class: 'visually-hidden' }, t('audit.title')),
        h(
          'thead',
          {},
          h('tr', {}, ['#', t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.remote'), ''].map((c) => h('th', { scope: 'col' }, c))),
        ),
        items.length === 0 && h('tbody', {}, h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('audit.none')))),
        items.map((e) => entry(e, cols)),
      ),
    ),
    h(
      'nav',
      { class: 'pager', 'aria-label': t('audit.pages') },
      params.has('before') && h('a', { class: 'button button-secondary', href: query(), 'data-testid': 'audit-newest' }, `« ${t('audit.newest')}`),
      nextBefore != null && h('a', { class: 'button button-secondary', href: query({ before: String(nextBefore) }), 'data-testid': 'audit-older' }, `${t('audit.older')} »`),
    ),
  );
  titled(outlet, t('audit.title'));
}

/** One entry: a row, and a hidden row with its detail that the button opens. */
function entry(e: AuditEntry, cols: number): HTMLElement {
  const detailRow = h(
    'tr',
    { class: 'audit-detail', hidden: true },
    h(
      'td',
      { colspan: cols },
      h('dl', { class: 'facts' }, h('div', { class: 'fact' }, h('dt', {}, t('audit.requestId')), h('dd', {}, h('code', {}, e.request_id || t('state.none'))))),
      h('pre', { 'data-testid': 'audit-detail' }, JSON.stringify(e.detail ?? {}, null, 2)),
    ),
  );
  const toggle = h('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false', 'data-testid': 'audit-expand' }, t('audit.details'));
  toggle.addEventListener('click', () => {
    detailRow.hidden = !detailRow.hidden;
    toggle.setAttribute('aria-expanded', String(!detailRow.hidden));
  });
  return h(
    'tbody',
    {},
    h(
      'tr',
      { 'data-testid': 'audit-row', 'data-action': e.action, 'data-seq': e.seq },
      h('td', { class: 'num' }, String(e.seq)),
      h('td', {}, fmtDateTime(e.at, true)),
      h('td', {}, e.actor || h('span', { class: 'muted' }, t('audit.anonymous'))),
      h('td', {}, h('span', { class: 'audit-action', title: e.action, 'data-testid': 'audit-action' }, actionLabel(e.action))),
      h('td', {}, e.target || t('state.none')),
      h('td', {}, e.remote || t('state.none')),
      h('td', {}, toggle),
    ),
    detailRow,
  );
}
