// "/reports" — the monthly report to the People's Committee (M13) for a month (?month=YYYY-MM,
// default the month of the app's as-of date): whether it is a draft from the current data or the
// issued one (when, by whom), its sections as tables (each with its CSV and XLSX downloads), the
// report itself as PDF, XLSX and a printable page, the reports issued so far, and the day of the
// month it is sent by itself. The steward (the Department of Science and Technology's officers)
// and administrators issue it, send it by e-mail and set that day, after a confirmation here.

import { api, ApiError, type Me } from '../api';
import { currentAsOf } from '../as-of';
import { h, mount } from '../dom';
import { busy, formMessage } from '../forms';
import { fmtDate, fmtDateTime, fmtInt, lang, measureLabel, t, termLabel } from '../i18n';
import { iocApi } from '../ioc-api';
import { loadPage, pageHead, titled } from '../page';
import { reportsApi, type IssuedReport, type MonthlyReport, type ReportCell, type ReportColumn, type ReportSection } from '../reports-api';
import { go, type RouteContext } from '../router';
import { currentUser } from '../session';
import { fmtSigned, fmtValue, indicatorHref, iocHref, localized, param } from './ioc-common';
import { monthLong } from './tracker-common';

const isMonth = /^\d{4}-(0[1-9]|1[0-2])$/;

interface Data {
  report: MonthlyReport;
  issued: IssuedReport[];
  scheduleDay: number | null;
  provinceCode: string;
  /** English names of the summary's rows (from the overview's figures), in English only. */
  names: Map<string, string>;
}

/** What the last issue or e-mail did, shown once on the page it reloads. */
let flash = '';

/**
 * Who may issue, send and schedule: administrators, and officers of the steward unit (the
 * province's Department of Science and Technology, "<province>.SKHCN") or of the whole province.
 * The server decides in the end; its refusal is shown.
 */
export function canWriteReports(me: Me | null, provinceCode: string): boolean {
  if (!me) return false;
  const steward = `${provinceCode}.SKHCN`;
  return me.roles.some(
    (g) => g.role === 'administrator' || (g.role === 'officer' && (g.unit_code === steward || (g.unit_code === provinceCode && g.include_descendants))),
  );
}

export async function reportsPage(outlet: HTMLElement, { signal }: RouteContext): Promise<void> {
  const asked = param('month');
  const month = isMonth.test(asked) ? asked : currentAsOf().slice(0, 7);
  await loadPage(
    outlet,
    signal,
    async () => {
      const [report, list, info] = await Promise.all([reportsApi.monthly(month), reportsApi.list(), api.info()]);
      const names = new Map<string, string>();
      if (lang() === 'en') {
        const overview = await iocApi.overview(report.as_of).catch(() => null);
        for (const f of overview?.figures ?? []) {
          names.set(f.label, f.label_en);
          for (const p of f.parts) names.set(p.label, p.label_en);
        }
      }
      return { report, issued: list.items, scheduleDay: list.schedule_day, provinceCode: info.province.code, names };
    },
    (data) => render(outlet, signal, month, data),
  );
}

const reportHref = (month: string) => iocHref('/reports', { month });

/** A row's label in the reader's language: the summary's parts ("   – Hoàn thành") indented. */
function rowLabel(text: string, names: Map<string, string>): HTMLElement {
  const part = /^\s+[–-]\s*/.exec(text);
  let label = part ? text.slice(part[0].length) : text.trim();
  if (lang() === 'en') {
    // "… (trên tổng số 957)": out of a total.
    const of = /^(.*?)\s*\(trên tổng số ([\d.]+)\)$/.exec(label);
    const base = of ? of[1] : label;
    const named = names.get(base) ?? termLabel(base);
    label = of ? `${named} (${t('reports.ofTotal', { n: of[2] })})` : named;
  }
  return h('span', { class: part ? 'report-part' : null }, part ? `– ${label}` : label);
}

/** The column where a section names each row's measure ("Đơn vị tính"), or -1. */
const measureColumn = (s: ReportSection) => s.columns.findIndex((c) => c.title_en === 'Measure' || c.title === 'Đơn vị tính');

/** Codes the report names, as links: tasks to their page, indicators to theirs. */
function linkedCodes(text: string, href: (code: string) => string): (Node | string)[] {
  const codes = text.split(/\s*,\s*/).filter(Boolean);
  return codes.flatMap((c, i) => [i > 0 ? ', ' : '', h('a', { href: href(c) }, c)]);
}

const taskHref = (code: string) => iocHref(`/nq57/tasks/${encodeURIComponent(code)}`);

function cell(s: ReportSection, col: ReportColumn, i: number, row: ReportCell[], names: Map<string, string>): HTMLElement {
  const v = row[i];
  const numeric = col.kind === 'number' || col.kind === 'percent' || col.kind === 'change';
  if (numeric) {
    const m = measureColumn(s);
    const percent = col.kind === 'percent' || (col.kind !== 'change' && m >= 0 && row[m] === '%');
    const n = typeof v === 'number' && Number.isFinite(v) ? v : null;
    const text = n == null ? t('state.none') : col.kind === 'change' ? fmtSigned(n) : fmtValue(n, percent ? '%' : '');
    return h('td', { class: 'num', 'data-value': n == null ? '' : String(n), 'data-col': i }, text);
  }
  const text = v == null ? '' : String(v);
  let content: (Node | string)[] | Node | string = text || t('state.none');
  if (i === 0 && s.key === 'summary') content = rowLabel(text, names);
  else if (i === 0 && s.key === 'overdue_tasks' && text) content = h('a', { href: taskHref(text) }, text);
  else if (i === 0 && s.key === 'off_track' && text) content = h('a', { href: indicatorHref(text) }, text);
  else if (s.key === 'late_reports' && i === s.columns.length - 1 && text) content = linkedCodes(text, taskHref);
  else if (i === measureColumn(s)) content = measureLabel(text);
  else if (text) content = termLabel(text);
  const code = i === 0 && (s.key === 'overdue_tasks' || s.key === 'off_track');
  return i === 0 ? h('th', { scope: 'row', 'data-col': i, class: code ? 'nowrap' : null }, content) : h('td', { 'data-col': i }, content);
}

function sectionView(s: ReportSection, names: Map<string, string>): HTMLElement {
  const id = `report-${s.key}-h`;
  const title = localized(s.title, s.title_en);
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': id, 'data-testid': 'report-section', 'data-key': s.key },
    h('h2', { id }, title),
    s.note && h('p', { class: 'muted small' }, s.note),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data report-table', 'data-testid': `report-table-${s.key}` },
        h('caption', { class: 'visually-hidden' }, title),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            s.columns.map((c) => h('th', { scope: 'col', class: c.kind === 'text' ? null : 'num' }, localized(c.title, c.title_en))),
          ),
        ),
        h(
          'tbody',
          {},
          s.rows.length === 0
            ? h('tr', {}, h('td', { colspan: s.columns.length, class: 'empty' }, t('reports.noRows')))
            : s.rows.map((row) => h('tr', { 'data-testid': 'report-row' }, s.columns.map((c, i) => cell(s, c, i, row, names)))),
        ),
      ),
    ),
  );
}

function render(outlet: HTMLElement, signal: AbortSignal, month: string, data: Data): void {
  const { report, issued, scheduleDay, provinceCode, names } = data;
  const writer = canWriteReports(currentUser(), provinceCode);
  const message = formMessage('report-message');
  if (flash) message.ok(flash);
  flash = '';

  const picker = h('input', { id: 'report-month', name: 'month', type: 'month', value: month, min: '2000-01', max: '2100-12', required: true, 'data-testid': 'report-month' });
  picker.addEventListener('change', () => {
    if (isMonth.test(picker.value) && picker.value !== month) go(reportHref(picker.value));
  });

  const status = report.issued
    ? t('reports.issuedStatus', { at: fmtDateTime(report.issued_at), by: report.issued_by || t('state.none') })
    : t('reports.draftStatus', { date: fmtDate(report.as_of) });
  const compared = report.previous_as_of ? t('reports.compared', { date: fmtDate(report.as_of), previous: fmtDate(report.previous_as_of) }) : t('reports.asOf', { date: fmtDate(report.as_of) });

  // Issuing and sending ask first, in the page.
  const confirmText = h('p', {});
  const confirmOk = h('button', { type: 'submit', class: 'button', 'data-testid': 'report-confirm-ok' }, t('reports.confirm'));
  const confirmCancel = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'report-confirm-cancel' }, t('reports.cancel'));
  let pending: (() => Promise<void>) | null = null;
  let opener: HTMLButtonElement | null = null;
  const confirmBox = h(
    'form',
    {
      class: 'notice warn',
      hidden: true,
      'data-testid': 'report-confirm',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const action = pending;
        if (!action) return;
        void busy(confirmOk, async () => {
          message.clear();
          try {
            await action();
          } catch (err) {
            if (!signal.aborted) message.error(err, err instanceof ApiError && err.status === 403 ? t('reports.forbidden') : undefined);
          }
        });
      },
    },
    confirmText,
    h('p', { class: 'page-actions' }, confirmOk, confirmCancel),
  );
  confirmCancel.addEventListener('click', () => {
    confirmBox.hidden = true;
    pending = null;
    opener?.focus();
  });
  const ask = (button: HTMLButtonElement, text: string, action: () => Promise<void>) => {
    opener = button;
    pending = action;
    confirmText.textContent = text;
    confirmBox.hidden = false;
    confirmOk.focus();
  };
  const reload = () => {
    if (!signal.aborted) go(location.pathname + location.search, { replace: true });
  };

  const issueButton = h('button', { type: 'button', class: 'button', 'data-testid': 'report-issue', hidden: report.issued }, t('reports.issue'));
  issueButton.addEventListener('click', () =>
    ask(issueButton, t('reports.issueAsk', { month: monthLong(month) }), async () => {
      const r = await reportsApi.issue(month);
      flash = t('reports.issuedNow', { month: monthLong(r.month || month) });
      reload();
    }),
  );
  const sendButton = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'report-send' }, t('reports.send'));
  sendButton.addEventListener('click', () =>
    ask(sendButton, report.issued ? t('reports.sendAsk', { month: monthLong(month) }) : t('reports.sendAskDraft', { month: monthLong(month) }), async () => {
      const r = await reportsApi.send(month);
      flash = t('reports.sent', { n: fmtInt(r.queued), month: monthLong(r.month || month) });
      reload();
    }),
  );

  const file = (format: 'pdf' | 'xlsx', label: string) =>
    h('a', { class: 'button button-secondary', href: reportsApi.fileUrl(month, format), download: '', 'data-testid': `report-${format}` }, h('span', { 'aria-hidden': 'true' }, '⤓ '), label);

  const title = t('reports.title');
  const reportTitle = lang() === 'en' ? t('reports.titleOf', { month: monthLong(month) }) : report.title;
  mount(
    outlet,
    pageHead(title, t('reports.lead')),
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'field' }, h('label', { for: 'report-month' }, t('reports.month')), picker),
    ),
    h(
      'section',
      { class: 'card panel stack', 'aria-labelledby': 'report-title-h', 'data-testid': 'report-head' },
      h('h2', { id: 'report-title-h', 'data-testid': 'report-title' }, reportTitle),
      h('p', { class: `notice ${report.issued ? 'ok' : 'warn'} report-status`, 'data-testid': 'report-status', 'data-issued': String(report.issued) }, status),
      h('p', { class: 'muted small' }, compared),
      h(
        'p',
        { class: 'page-actions' },
        file('pdf', t('reports.pdf')),
        file('xlsx', t('reports.xlsx')),
        h('a', { class: 'button button-secondary', href: reportsApi.fileUrl(month, 'html'), target: '_blank', rel: 'noopener', 'data-testid': 'report-html' }, t('reports.print')),
        writer && issueButton,
        writer && sendButton,
      ),
      !writer && h('p', { class: 'muted small', 'data-testid': 'report-readonly' }, t('reports.readOnly')),
      confirmBox,
      message.el,
    ),
    report.sections.map((s) => sectionView(s, names)),
    h(
      'div',
      { class: 'panels' },
      issuedPanel(issued, month),
      schedulePanel(scheduleDay, writer, signal),
    ),
  );
  titled(outlet, `${title} ${monthLong(month)}`);
}

function issuedPanel(items: IssuedReport[], shown: string): HTMLElement {
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'report-issued-h' },
    h('h2', { id: 'report-issued-h' }, t('reports.issuedList')),
    items.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'report-issued-none' }, t('reports.issuedNone'))
      : h(
          'ul',
          { class: 'plain', 'data-testid': 'report-issued-list' },
          items.map((r) =>
            h(
              'li',
              { 'data-month': r.month },
              r.month === shown ? h('strong', { 'aria-current': 'page' }, monthLong(r.month)) : h('a', { href: reportHref(r.month) }, monthLong(r.month)),
              ' ',
              h('span', { class: 'muted small' }, t('reports.issuedBy', { at: fmtDateTime(r.issued_at), by: r.issued_by })),
            ),
          ),
        ),
  );
}

function schedulePanel(day: number | null, writer: boolean, signal: AbortSignal): HTMLElement {
  const text = h('p', { 'data-testid': 'report-schedule-text' });
  const show = (d: number | null) => {
    text.textContent = d == null ? t('reports.scheduleNone') : t('reports.scheduleDay', { day: d });
  };
  show(day);
  const section = h(
    'section',
    { class: 'card panel stack', 'aria-labelledby': 'report-schedule-h', 'data-testid': 'report-schedule' },
    h('h2', { id: 'report-schedule-h' }, t('reports.schedule')),
    text,
  );
  if (!writer) return section;
  const input = h('input', { id: 'report-schedule-day', name: 'day', type: 'number', min: 1, max: 28, step: 1, value: day ?? '', inputmode: 'numeric', 'data-testid': 'report-schedule-day' });
  const save = h('button', { type: 'submit', class: 'button button-secondary', 'data-testid': 'report-schedule-save' }, t('reports.scheduleSave'));
  const message = formMessage('report-schedule-message');
  section.append(
    h(
      'form',
      {
        class: 'stack',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const raw = input.value.trim();
          const next = raw === '' ? null : Number(raw);
          if (next != null && !(Number.isInteger(next) && next >= 1 && next <= 28)) return message.error(null, t('reports.scheduleInvalid'));
          void busy(save, async () => {
            message.clear();
            try {
              const r = await reportsApi.schedule(next);
              if (signal.aborted) return;
              show(r.schedule_day);
              message.ok(t('reports.scheduleSaved'));
            } catch (err) {
              if (!signal.aborted) message.error(err, err instanceof ApiError && err.status === 403 ? t('reports.forbidden') : undefined);
            }
          });
        },
      },
      h('div', { class: 'field' }, h('label', { for: 'report-schedule-day' }, t('reports.scheduleLabel')), input, h('p', { class: 'hint' }, t('reports.scheduleHint'))),
      h('p', {}, save),
      message.el,
    ),
  );
  return section;
}
