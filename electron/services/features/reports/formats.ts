/**
 * CSV and JSON writers for report data.
 * CSV (RFC 4180, UTF-8, CRLF line ends, optional BOM for Excel): one section per file, the header
 * row is the column keys; a mass column is written as two columns, `<key>` (the number in its unit)
 * and `<key>_unit` (mg, mcg, mg/mL, mcg/day…), so a number never travels without its unit. Text
 * that starts like a spreadsheet formula is defused with a leading apostrophe.
 * JSON: the whole report; rows are objects keyed by column key, volumes in mL (3 decimals),
 * masses as { value, unit }.
 */
import { stringify } from 'csv-stringify/sync';
import {
  massNumberText,
  massUnitText,
  volumeText,
  type MassValue,
  type ReportColumn,
  type ReportData,
  type ReportSection,
  type ReportValue,
} from '../../../../shared/contract/reports';
import { assertNever } from '../../../../shared/contract/result';

const isMass = (v: ReportValue): v is MassValue => typeof v === 'object' && v !== null;

/**
 * Free text that starts like a formula (= + - @, tab, CR) gets a leading apostrophe, so a spreadsheet
 * shows it as text instead of running it (as the audit trail's CSV does). Numbers are never text.
 */
export const defuse = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export function csvHeader(columns: readonly ReportColumn[]): string[] {
  return columns.flatMap((c) => (c.type === 'mass' ? [c.key, `${c.key}_unit`] : [c.key]));
}

function csvCells(value: ReportValue, column: ReportColumn): string[] {
  const t = column.type;
  switch (t) {
    case 'mass':
      return isMass(value) ? [massNumberText(value), massUnitText(value, column)] : ['', ''];
    case 'volume':
    case 'discrepancy':
      return [typeof value === 'number' ? volumeText(value) : ''];
    case 'flag':
      return [value === true ? 'yes' : value === false ? 'no' : ''];
    case 'percent':
    case 'discrepancy_percent':
      return [typeof value === 'number' ? value.toFixed(1) : ''];
    case 'text':
      return [value === null ? '' : defuse(String(value))];
    case 'date':
    case 'count':
      return [value === null ? '' : String(value)];
  }
  return assertNever(t, 'column type');
}

/** One section as CSV text. */
export function sectionCsv(section: ReportSection, options: { bom?: boolean } = {}): string {
  const rows = section.rows.map((row) => section.columns.flatMap((c, i) => csvCells(row[i] ?? null, c)));
  const text = stringify([csvHeader(section.columns), ...rows], { record_delimiter: 'windows' });
  return options.bom ? `\uFEFF${text}` : text;
}

/**
 * Every section as one long CSV table (`--section all`): `section` (the table's key), then the
 * columns of all sections in their first order (a key two tables share, such as `date`, is one
 * column); each row fills its own table's columns and leaves the others empty. Cells are written as
 * in `sectionCsv` (units beside masses, formulas defused).
 */
export function reportLongCsv(data: ReportData, options: { bom?: boolean } = {}): string {
  const header: string[] = [];
  for (const s of data.sections) for (const h of csvHeader(s.columns)) if (!header.includes(h)) header.push(h);
  const at = new Map(header.map((h, i) => [h, i]));
  const rows = data.sections.flatMap((s) => {
    const keys = csvHeader(s.columns);
    return s.rows.map((row) => {
      const cells = s.columns.flatMap((c, i) => csvCells(row[i] ?? null, c));
      const out = new Array<string>(header.length).fill('');
      keys.forEach((k, i) => (out[at.get(k)!] = cells[i] ?? ''));
      return [s.key, ...out];
    });
  });
  const text = stringify([['section', ...header], ...rows], { record_delimiter: 'windows' });
  return options.bom ? `\uFEFF${text}` : text;
}

function jsonValue(value: ReportValue, column: ReportColumn): unknown {
  if (value === null) return null;
  if ((column.type === 'volume' || column.type === 'discrepancy') && typeof value === 'number') return value / 1000;
  if (column.type === 'mass' && isMass(value)) return { value: Number(massNumberText(value)), unit: massUnitText(value, column) };
  return value;
}

/** The whole report as JSON text (UTF-8, 2-space indent, final newline). */
export function reportJson(data: ReportData): string {
  const out = {
    report: data.report,
    title: data.title,
    clinic: data.clinicName,
    period: data.period,
    period_label: data.periodLabel,
    filters: data.filters,
    generated_at: new Date(data.generatedAtMs).toISOString(),
    time_zone: data.timeZone,
    patient_count: data.patientCount,
    sections: data.sections.map((s) => ({
      key: s.key,
      title: s.title,
      columns: s.columns.map((c) => ({ key: c.key, label: c.label, type: c.type, ...(c.type === 'mass' ? { per: c.per ?? null } : {}) })),
      rows: s.rows.map((row) => Object.fromEntries(s.columns.map((c, i) => [c.key, jsonValue(row[i] ?? null, c)]))),
      ...(s.rows.length === 0 ? { empty: s.empty } : {}),
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
