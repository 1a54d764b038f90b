/**
 * CSV interchange v1: the files, their columns, and how values are written.
 * docs/import-format.md describes the same format for people; keep the two in step.
 */
import type { MassUnitName } from '../../../../shared/contract/quantities';
import type { TextKind } from '../../../../shared/contract/text';
import { CONTACT_COLUMNS } from './contacts';

/** The kinds of row, in the order they are applied and reported. Each is one file `<kind>.csv`. */
export const KINDS = ['patients', 'pumps', 'refills', 'dose_changes', 'reversals', 'restarts', 'removals'] as const;
export type Kind = (typeof KINDS)[number];

/** The columns of each file, in the order export writes them. Import accepts them in any order. */
export const COLUMNS = {
  // The contacts (issue 16, contacts.ts) follow v1's columns; optional, and may be left out of the header.
  patients: ['mrn', 'family_name', 'given_name', 'birth_date', 'sex', 'indication', ...CONTACT_COLUMNS],
  pumps: ['mrn', 'manufacturer', 'model', 'serial', 'implant_date', 'reservoir_ml', 'alarm_ml', 'catheter_tip_level'],
  refills: ['serial', 'date', 'withdrawn_ml', 'added_ml', 'drug', 'concentration', 'concentration_unit', 'daily_dose', 'dose_unit', 'override_reason', 'double_check'],
  dose_changes: ['serial', 'date', 'drug', 'daily_dose', 'dose_unit', 'override_reason', 'double_check'],
  reversals: ['serial', 'date', 'kind', 'note'],
  restarts: ['serial', 'date'],
  removals: ['serial', 'date', 'reason', 'catheter_removed', 'note', 'replacement_serial'],
} as const satisfies Record<Kind, readonly string[]>;
export type ColumnOf<K extends Kind> = (typeof COLUMNS)[K][number];

/** Columns that may be left empty. Every other column needs a value on every row. */
export const OPTIONAL_COLUMNS: { readonly [K in Kind]: readonly ColumnOf<K>[] } = {
  patients: CONTACT_COLUMNS,
  pumps: ['alarm_ml', 'catheter_tip_level'],
  refills: ['withdrawn_ml', 'override_reason', 'double_check'],
  dose_changes: ['override_reason', 'double_check'],
  reversals: ['note'],
  restarts: [],
  removals: ['note', 'replacement_serial'],
};

/** Columns a header may leave out (added after v1's first files were written): read as empty on every row. */
export const OPTIONAL_HEADER_COLUMNS: { readonly [K in Kind]: readonly ColumnOf<K>[] } = {
  // The contacts (issue 16): files written before them import as before, without contacts.
  patients: CONTACT_COLUMNS,
  pumps: [],
  // override_reason and the independent double check (issue 17): files written before them leave
  // them out; double_check is what export writes, and import reads it as information only.
  refills: ['override_reason', 'double_check'],
  dose_changes: ['override_reason', 'double_check'],
  reversals: [],
  restarts: [],
  removals: ['replacement_serial'],
};

/**
 * The text columns and what they may contain (shared/contract/text.ts), as the contract's fields
 * they are imported into: names and identifiers, or free text. Export checks the values it writes
 * against the same rules (a database from an earlier version may hold a value they refuse).
 */
export const TEXT_COLUMNS: { readonly [K in Kind]: Partial<Record<ColumnOf<K>, TextKind>> } = {
  patients: {
    mrn: 'name',
    family_name: 'name',
    given_name: 'name',
    address_line_1: 'line',
    address_line_2: 'line',
    address_line_3: 'line',
    address_line_4: 'line',
    address_city: 'line',
    address_region: 'line',
    address_postal_code: 'line',
    address_country: 'line',
    emergency_name: 'line',
    emergency_relationship: 'line',
    referring_name: 'line',
    referring_practice: 'line',
    family_doctor_name: 'line',
    family_doctor_practice: 'line',
  },
  pumps: { mrn: 'name', manufacturer: 'name', model: 'name', serial: 'name', catheter_tip_level: 'name' },
  refills: { serial: 'name', drug: 'name', override_reason: 'multiline' },
  dose_changes: { serial: 'name', drug: 'name', override_reason: 'multiline' },
  reversals: { serial: 'name', note: 'multiline' },
  restarts: { serial: 'name' },
  removals: { serial: 'name', note: 'multiline', replacement_serial: 'name' },
};

/** Columns holding a unit (`mg` or `mcg`). */
export const UNIT_COLUMNS: readonly string[] = ['concentration_unit', 'dose_unit'];

/** Separator of several values in one cell (indications, removal reasons). */
export const LIST_SEPARATOR = ';';

export const fileName = (kind: Kind): string => `${kind}.csv`;
export const FILE_NAMES: readonly string[] = KINDS.map(fileName);

/** Export writes UTF-8 with a byte-order mark (so spreadsheets read accents right) and CRLF line ends. */
export const EXPORT_BOM = '\uFEFF';
export const EXPORT_EOL = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;
const ALL_QUOTES = /"/g;

/**
 * Values a spreadsheet would run as a formula (= + - @, and a tab or CR before one), with any number
 * of apostrophes in front: export writes these with one more apostrophe in front.
 */
const DEFUSE = /^'*[=+\-@\t\r]/;
/** Values import reads back with one apostrophe fewer: what `defuseCell` wrote (a bijection). */
const DEFUSED = /^'+[=+\-@\t\r]/;

/**
 * A value as export writes it, so that a spreadsheet opening the file shows it as text instead of
 * running it: one apostrophe in front of a value that begins with = + - @ (a note "-2 mL short",
 * `=HYPERLINK(…)`), tab or CR, after any apostrophes it already begins with. `undefuseCell` takes
 * exactly that apostrophe off again, so every value round-trips unchanged (docs/import-format.md).
 */
export const defuseCell = (value: string): string => (DEFUSE.test(value) ? `'${value}` : value);

/** The value `defuseCell` was given: one leading apostrophe fewer when one or more precede = + - @, tab or CR. */
export const undefuseCell = (value: string): string => (value.charCodeAt(0) === 0x27 && DEFUSED.test(value) ? value.slice(1) : value);

/**
 * One cell as export writes it (RFC 4180): defused (`defuseCell`), then in double quotes, with each
 * quote doubled, when it holds a comma, a double quote, a carriage return or a line feed; exactly
 * as it is otherwise (leading and trailing spaces kept, an empty value left empty).
 */
export function csvCell(value: string): string {
  const cell = defuseCell(value);
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(ALL_QUOTES, '""')}"` : cell;
}

/** One record as export writes it: the cells, quoted where needed, comma-separated, then CRLF. */
export function csvRecord(cells: readonly string[]): string {
  let line = cells.length > 0 ? csvCell(cells[0]!) : '';
  for (let i = 1; i < cells.length; i++) line += `,${csvCell(cells[i]!)}`;
  return line + EXPORT_EOL;
}

/** One problem with the files, located as precisely as we can. */
export interface ImportIssue {
  /** File name inside the folder (`refills.csv`), or the folder itself for folder-level problems. */
  file: string;
  /** Physical line in the file (the header is line 1); null for a problem with the whole file or folder. */
  line: number | null;
  /** The column at fault; `(header)`, `(row)` or `(file)` when no single column is. */
  column: string | null;
  message: string;
}

/** `file:line: column: reason`, the form every report line takes. */
export function formatIssue(issue: ImportIssue): string {
  const where = issue.line === null ? issue.file : `${issue.file}:${issue.line}`;
  return issue.column === null ? `${where}: ${issue.message}` : `${where}: ${issue.column}: ${issue.message}`;
}

/**
 * A whole number of thousandths written as a decimal with at most 3 decimals and no trailing
 * zeros: 20000 → "20", 2500 → "2.5", 250 → "0.25". Integer arithmetic: no float noise.
 */
export function formatThousandths(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Expected a whole number of thousandths, got ${String(n)}`);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const whole = Math.floor(abs / 1000);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  return frac === '' ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

/** A volume in µL written in mL: 20000 → "20", 250 → "0.25". */
export const formatMl = (ul: number): string => formatThousandths(ul);

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };

/**
 * A mass in ng written in `unit` with at most 3 decimals. When `unit` cannot hold it exactly
 * (a mg amount finer than 1 mcg), it is written in mcg instead, which always can.
 */
export function formatMass(ng: number, unit: MassUnitName): { value: string; unit: MassUnitName } {
  const perThousandth = NG_PER[unit] / 1000;
  if (ng % perThousandth === 0) return { value: formatThousandths(ng / perThousandth), unit };
  return { value: formatThousandths(ng), unit: 'mcg' };
}

/** A mass typed as `{ value, unit }` in nanograms (exact: the value has at most 3 decimals). */
export const massToNg = (amount: { value: number; unit: MassUnitName }): number => Math.round(amount.value * 1000) * (NG_PER[amount.unit] / 1000);
