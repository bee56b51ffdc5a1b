// What every versioned register's API shares (the catalog, the Resolution 57 register and those to
// come): the sheet import's report and the import and export of `/api/v1/<register>/…`.

import { sendRaw } from './api';

export type ImportFormat = 'csv' | 'xlsx';

/** One import's outcome: rows counted, and every row error (row 1 is the header). */
export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  dry_run: boolean;
  written: boolean;
  errors: { row: number; column: string; code: string; message: string }[];
}

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The import and export of the register under `/api/v1/<base>`. */
export function sheetApi(base: string) {
  return {
    import: (file: Blob, format: ImportFormat, dryRun: boolean) =>
      sendRaw<ImportReport>('POST', `/${base}/import?format=${format}&dry_run=${dryRun}`, file, format === 'csv' ? 'text/csv' : xlsxType),
    exportUrl: (format: ImportFormat) => `/api/v1/${base}/export?format=${format}`,
  };
}
