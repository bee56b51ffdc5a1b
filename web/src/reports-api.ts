// Typed client for the monthly report to the People's Committee (M13) under /api/v1/reports: the
// reports issued and the day they are sent, a month's report (the issued one, else a draft from
// the current data) as JSON or as a file (PDF, XLSX, printable HTML), issuing it, sending it by
// e-mail and the schedule. Same transport and errors (ApiError) as api.ts; nothing is cached.

import { apiGet, apiRequest } from './api';

export type ReportColumnKind = 'text' | 'number' | 'percent' | 'change';
export type ReportCell = string | number | null;

export interface ReportColumn {
  title: string;
  title_en: string;
  kind: ReportColumnKind | (string & {});
}

export interface ReportSection {
  key: string;
  title: string;
  title_en: string;
  note: string;
  columns: ReportColumn[];
  rows: ReportCell[][];
}

export interface MonthlyReport {
  /** YYYY-MM. */
  month: string;
  /** The date its figures are as of, and the one they are compared with. */
  as_of: string;
  previous_as_of: string | null;
  province: { code: string; name: string };
  title: string;
  issued: boolean;
  issued_at: string | null;
  issued_by: string | null;
  sections: ReportSection[];
}

export interface IssuedReport {
  month: string;
  issued_at: string;
  issued_by: string;
}

export type ReportFormat = 'pdf' | 'xlsx' | 'html';

const enc = encodeURIComponent;

export const reportsApi = {
  list: () => apiGet<{ items: IssuedReport[]; schedule_day: number | null }>('/reports/monthly'),
  monthly: (month: string) => apiGet<MonthlyReport>(`/reports/monthly/${enc(month)}`),
  /** The address of a month's report as a file (same origin: the session's cookie goes with it). */
  fileUrl: (month: string, format: ReportFormat) => `/api/v1/reports/monthly/${enc(month)}?format=${format}`,
  /** Issues the month's report as it stands now (again: it stays as issued). */
  issue: (month: string) => apiRequest<MonthlyReport>('POST', `/reports/monthly/${enc(month)}/issue`),
  /** Issues it if need be and queues an e-mail with its PDF to the province's address. */
  send: (month: string) => apiRequest<{ month: string; queued: number }>('POST', `/reports/monthly/${enc(month)}/send`),
  /** The day of each month (1–28) the month before's report is issued and sent; null: none. */
  schedule: (day: number | null) => apiRequest<{ schedule_day: number | null }>('PUT', '/reports/schedule', { day }),
};
