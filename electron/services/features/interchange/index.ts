/** CSV interchange v1: spreadsheet import and full-record export (docs/import-format.md). */
export { importRecord, type ImportOutcome, type ImportSummary } from './import';
export { exportRecord, exportRows, type ExportSummary } from './export';
export { COLUMNS, FILE_NAMES, KINDS, formatIssue, formatMl, formatMass, formatThousandths, type ImportIssue, type Kind } from './format';
export type { ImportCounts } from './plan';
