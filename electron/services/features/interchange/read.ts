/**
 * Reading one interchange file: bytes → checked UTF-8 text → CSV records with their physical
 * line numbers → rows keyed by column name. Problems are collected, never thrown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { quoteText } from '../../../../shared/contract/text';
import { COLUMNS, fileName, OPTIONAL_HEADER_COLUMNS, undefuseCell, type ImportIssue, type Kind } from './format';

/**
 * One data row: its physical line (header = 1) and its trimmed values by column name, with the
 * apostrophe export puts before a value beginning like a formula taken off (`undefuseCell`).
 */
export interface CsvRow {
  line: number;
  values: Readonly<Record<string, string>>;
  /**
   * The row (or the file's header) is already reported as malformed: its values serve only to
   * know which MRNs and serials the files mention, so that other rows are not reported for them.
   */
  broken?: boolean;
}

export interface ReadFile {
  /** False when the file is absent (a kind with no rows). */
  present: boolean;
  /** False when the file could not be read as CSV at all (binary, not UTF-8, broken quoting). */
  readable: boolean;
  rows: CsvRow[];
  issues: ImportIssue[];
}

/** Reads `<dir>/<kind>.csv`. An absent file is not a problem: it means the kind has no rows. */
export function readKind(dir: string, kind: Kind): ReadFile {
  const name = fileName(kind);
  const file = path.join(dir, name);
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) return { present: false, readable: true, rows: [], issues: [] };
    if (!stat.isFile()) return { present: true, readable: false, rows: [], issues: [{ file: name, line: null, column: null, message: 'is not a file' }] };
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { present: true, readable: false, rows: [], issues: [{ file: name, line: null, column: null, message: `cannot be read (${(e as Error).message})` }] };
  }
  return { present: true, ...parseCsvBytes(name, bytes, COLUMNS[kind], OPTIONAL_HEADER_COLUMNS[kind]) };
}

const lineOfOffset = (bytes: Uint8Array, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
};

/** The bytes as text, or the problem: binary data, UTF-16, or bytes that are not UTF-8. */
export function decodeText(name: string, bytes: Uint8Array): { ok: true; text: string } | { ok: false; issue: ImportIssue } {
  const problem = (line: number | null, message: string) => ({ ok: false as const, issue: { file: name, line, column: '(file)', message } });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return problem(1, 'is UTF-16 text; save it as "CSV UTF-8" (comma-separated)');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return problem(lineOfOffset(bytes, nul), 'contains binary data, not CSV text (a workbook saved with a .csv name?); save it as "CSV UTF-8"');
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    // Find the first line that is not UTF-8 (a newline byte never occurs inside a UTF-8 sequence).
    let start = 0;
    let line = 1;
    for (;;) {
      const end = bytes.indexOf(0x0a, start);
      const chunk = bytes.subarray(start, end < 0 ? bytes.length : end);
      try {
        decoder.decode(chunk);
      } catch {
        return problem(line, 'is not UTF-8 text (from this line); save the file as "CSV UTF-8"');
      }
      if (end < 0) return problem(null, 'is not UTF-8 text; save the file as "CSV UTF-8"');
      start = end + 1;
      line++;
    }
  }
}

/** Parses a whole file's bytes against the expected columns. */
export function parseCsvBytes(name: string, bytes: Uint8Array, expected: readonly string[], mayBeAbsent: readonly string[] = []): { readable: boolean; rows: CsvRow[]; issues: ImportIssue[] } {
  const decoded = decodeText(name, bytes);
  if (!decoded.ok) return { readable: false, rows: [], issues: [decoded.issue] };
  // Line ends as LF only, except for the quote-free fast path, which reads CRLF itself (an exported
  // file's line ends): normalising a large file would copy it once more.
  const raw = decoded.text.replace(/^\uFEFF/, '');
  const text = !raw.includes('"') && !hasLoneCr(raw) ? raw : raw.replace(/\r\n?/g, '\n');

  // Each record becomes its row as it is read (the file's records are never all held at once).
  let checked: { columns: string[]; issues: ImportIssue[] } | null = null;
  let byPosition: (record: CsvRecord) => Record<string, string> = () => ({});
  const rows: CsvRow[] = [];
  const issues: ImportIssue[] = [];
  const read = csvRecords(name, text, (record) => {
    if (!record.fields.some((f) => f !== '')) return; // blank, or every cell empty
    if (checked === null) {
      checked = checkHeader(name, record, expected, mayBeAbsent);
      const columns = checked.columns;
      const shared = columns.map(() => new Interned());
      byPosition = (r) => {
        const values: Record<string, string> = {};
        for (let i = 0; i < columns.length; i++) values[columns[i]!] = shared[i]!.get(undefuseCell(r.fields[i] ?? ''));
        return values;
      };
      return;
    }
    const columns = checked.columns;
    if (checked.issues.length > 0) {
      rows.push({ line: record.line, values: byPosition(record), broken: true });
      return;
    }
    if (record.fields.length > columns.length) {
      const extra = record.fields.slice(columns.length);
      const allEmpty = extra.every((f) => f === '');
      // Trailing empty cells (a spreadsheet's stray commas) are harmless; anything else is an error.
      if (!allEmpty) {
        issues.push({
          file: name,
          line: record.line,
          column: '(row)',
          message: `has ${record.fields.length} values but the header has ${columns.length} columns`,
        });
        rows.push({ line: record.line, values: byPosition(record), broken: true });
        return;
      }
    }
    if (record.fields.length < columns.length) {
      const missing = columns.slice(record.fields.length);
      issues.push({
        file: name,
        line: record.line,
        column: missing[0] ?? '(row)',
        message: `is missing: the row has ${record.fields.length} values but the header has ${columns.length} columns`,
      });
      rows.push({ line: record.line, values: byPosition(record), broken: true });
      return;
    }
    rows.push({ line: record.line, values: byPosition(record) });
  });
  if (read !== null) return { readable: false, rows: [], issues: [read] };
  const header = checked as { issues: ImportIssue[] } | null;
  if (header === null) return { readable: true, rows: [], issues: [] }; // an empty file: no rows
  return { readable: true, rows, issues: header.issues.length > 0 ? header.issues : issues };
}

/**
 * One column's values, each kept once: a large file repeats most of its values (serials, dates,
 * drugs, units, volumes), and the rows a pump's turn waits for would otherwise hold a copy of each
 * in every row (garbage the collector keeps copying). Equal strings, so nothing read
 * changes. A column whose values stop repeating (notes, names) is no longer kept past `LIMIT`.
 */
class Interned {
  private static readonly LIMIT = 65536;
  private readonly values = new Map<string, string>();
  private full = false;

  get(value: string): string {
    if (this.full) return value;
    const known = this.values.get(value);
    if (known !== undefined) return known;
    if (this.values.size >= Interned.LIMIT) {
      this.full = true;
      this.values.clear();
      return value;
    }
    this.values.set(value, value);
    return value;
  }
}

export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Whether the text has a CR that does not end a CRLF (an old Mac line end). */
function hasLoneCr(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 0x0a) return true;
  }
  return false;
}

/**
 * Each CSV record in order, with the physical line it starts on (the text has LF line ends, or
 * CRLF when it has no quote character); answers the problem instead when the text is not valid CSV.
 */
function csvRecords(name: string, text: string, each: (record: CsvRecord) => void): ImportIssue | null {
  if (text.includes('"')) return parsedRecords(name, text, each);
  quoteFreeRecords(text, each);
  return null;
}

/** Leading characters csv-parse's `trim` skips (its trimmable bytes, less the line ends the text no longer has). */
const isLeadTrim = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0c;

/**
 * The records of a text without any quote character, exactly as csv-parse reads them (its line
 * ends made LF) with the options `parsedRecords` uses, so an exported file, which quotes nothing
 * it need not, is read without the general parser's per-byte cost: one record a line (LF or CRLF),
 * fields split at every comma; each field loses its leading spaces, tabs and form feeds and its
 * trailing white space; a line holding nothing but those is skipped. read.test.ts compares the
 * two on random texts.
 */
export function quoteFreeRecords(text: string, each: (record: CsvRecord) => void): void {
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    let blank = true;
    for (let i = start; i < stop; i++) {
      if (!isLeadTrim(text.charCodeAt(i))) {
        blank = false;
        break;
      }
    }
    if (!blank) {
      const fields: string[] = [];
      for (let from = start; ; ) {
        let comma = text.indexOf(',', from);
        if (comma < 0 || comma > stop) comma = stop;
        while (from < comma && isLeadTrim(text.charCodeAt(from))) from++;
        fields.push(text.slice(from, comma).trimEnd());
        if (comma === stop) break;
        from = comma + 1;
      }
      each({ line, fields });
    }
    start = end + 1;
  }
}

/** The records of any text, by csv-parse (RFC 4180 quoting; its errors become the file's issue). */
export function parsedRecords(name: string, text: string, each: (record: CsvRecord) => void): ImportIssue | null {
  let lastEnd = 0;
  const records: CsvRecord[] = [];
  try {
    parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      on_record: (fields: string[], context) => {
        // `context.lines` is the line the record ends on; a quoted value may span lines.
        lastEnd = context.lines;
        const embedded = fields.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
        records.push({ line: context.lines - embedded, fields });
        return null; // collected here
      },
    });
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    const lines = text.split('\n');
    // The record that failed starts on the first non-blank line after the last good record.
    let start = lastEnd + 1;
    while (start <= lines.length && (lines[start - 1] ?? '').trim() === '') start++;
    const message =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted value that starts on this line is never closed (a missing ")'
        : err.code === 'INVALID_OPENING_QUOTE' || err.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'has a stray quote ("): put quotes around the whole value and double any quote inside it'
          : `is not valid CSV (${err.message})`;
    return { file: name, line: err.code === 'CSV_QUOTE_NOT_CLOSED' ? start : (err.lines ?? start), column: '(row)', message };
  }
  for (const record of records) each(record);
  return null;
}

/** Maps header names (matched ignoring case) to the expected columns; reports unknown, duplicate and missing ones. */
function checkHeader(name: string, header: CsvRecord, expected: readonly string[], mayBeAbsent: readonly string[]): { columns: string[]; issues: ImportIssue[] } {
  const at = (column: string, message: string): ImportIssue => ({ file: name, line: header.line, column, message });
  const names = header.fields.map((f) => f.toLowerCase());
  const expectedList = expected.join(',');
  if (!names.some((n) => expected.includes(n))) {
    const semicolons = header.fields.length === 1 && (header.fields[0] ?? '').includes(';');
    // The rows are read by position only to know the MRNs and serials they mention.
    return {
      columns: [...expected],
      issues: [
        at(
          '(header)',
          semicolons
            ? `the values are separated by ";"; use commas. The first line must be the header ${expectedList}`
            : `the first line must be the header ${expectedList} (got ${quoteText(header.fields.join(',').slice(0, 80))})`,
        ),
      ],
    };
  }
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (n === '') {
      // An unnamed trailing column is harmless only if it stays empty: checked per row as an extra value.
      if (names.slice(i).every((m) => m === '')) return;
      issues.push(at(`(column ${i + 1})`, `has no name; the columns are ${expectedList}`));
    } else if (!expected.includes(n)) issues.push(at(header.fields[i] ?? n, `is not a column of this file; the columns are ${expectedList}`));
    else if (seen.has(n)) issues.push(at(n, 'appears twice in the header'));
    seen.add(n);
  });
  for (const c of expected) if (!seen.has(c) && !mayBeAbsent.includes(c)) issues.push(at(c, 'column is missing from the header'));
  const lastNamed = names.reduce((last, n, i) => (n === '' ? last : i), -1);
  return { columns: names.slice(0, lastNamed + 1), issues };
}
