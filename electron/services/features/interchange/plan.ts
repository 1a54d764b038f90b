/**
 * Checking the files before anything is written: every row is parsed with the contract's input
 * schemas (so an imported row gets exactly the validation the app applies), every reference is
 * resolved (MRN, serial, device, drug) against the files and the database, and every row already
 * recorded is either recognised as identical (skipped) or reported as a conflict.
 * The result is a plan to apply, or the complete list of problems.
 */
import type { z } from 'zod';
import { patientCreateInput } from '../../../../shared/contract/patients';
import { mlToUl, volumeMl } from '../../../../shared/contract/quantities';
import { quoteText } from '../../../../shared/contract/text';
import {
  doseChangeEntryInput,
  prescriptionDrugInput,
  pumpImplantInput,
  refillEntryInput,
  removalEntryInput,
  reversalEntryInput,
  therapyRestartEntryInput,
  type DeviceModel,
  type Drug,
  type Pump,
} from '../../../../shared/contract/record';
import { matchDeviceModel } from '../../../../shared/domain/device-match';
import type { HandlerContext } from '../../handler-types';
import { CONTACT_COLUMNS, contactCells, contactColumn, contactsInput } from './contacts';
import { COLUMNS, fileName, KINDS, LIST_SEPARATOR, massToNg, OPTIONAL_COLUMNS, UNIT_COLUMNS, type ImportIssue, type Kind } from './format';
import type { CsvRow } from './read';

export type PatientInput = z.output<typeof patientCreateInput>;
export type PumpInput = z.output<typeof pumpImplantInput>;
export type RefillInput = z.output<typeof refillEntryInput>;
export type DoseChangeInput = z.output<typeof doseChangeEntryInput>;
export type ReversalInput = z.output<typeof reversalEntryInput>;
export type RemovalInput = z.output<typeof removalEntryInput>;

/** The rows of every file that was present, and which files could not be read at all. */
export type ImportFiles = { [K in Kind]: CsvRow[] } & { unreadable: ReadonlySet<Kind> };

export interface PatientStep {
  line: number;
  input: PatientInput;
}
export interface RefillStep {
  kind: 'refill';
  date: string;
  /** Line of each drug row, in drug order (the first is the visit's line). */
  lines: number[];
  input: RefillInput;
}
export interface DoseChangeStep {
  kind: 'dose_change';
  date: string;
  line: number;
  input: DoseChangeInput;
}
export interface ReversalStep {
  kind: 'reversal';
  date: string;
  line: number;
  input: ReversalInput;
}
/** A therapy restart (restarts.csv): its fill is the pump's refill visit of the same date. */
export interface RestartStep {
  kind: 'restart';
  date: string;
  line: number;
}
export interface RemovalStep {
  line: number;
  input: RemovalInput;
  /** `replacement_serial`: the pump implanted in the same procedure (in pumps.csv or the database), as its key. */
  replacementSerial: string | null;
}

/**
 * A row of a pump that cannot be applied (it does not parse, or a rule refused it): the pump's rows
 * dated on or after it depend on it and are not checked (`date` null: none of them are).
 */
export interface Hold {
  file: string;
  line: number;
  /** What the row is, in a sentence: "visit", "dose change", "reversal", "removal", "pump". */
  what: string;
  date: string | null;
}

/** The earlier of two holds (a row without a date holds everything). */
export const earlierHold = (a: Hold | null, b: Hold): Hold =>
  a === null ? b : a.date === null ? a : b.date === null || b.date < a.date ? b : a;

/** The message of a row not checked because it depends on `hold` (the file named when it is another one). */
export const dependsOn = (hold: Hold, file: string): string =>
  `not checked: depends on the refused ${hold.what} in ${hold.file === file ? '' : `${hold.file} `}row ${hold.line}`;

/** Everything to write for one pump. `input.pumpId`/`patientId` are placeholders until applied. */
export interface PumpPlan {
  serial: string;
  /** The pump as recorded, when it is already in the database. */
  existing: Pump | null;
  /** The pump to implant, when it is new. */
  implant: { line: number; mrn: string; input: PumpInput } | null;
  implantDate: string;
  order: number;
  /**
   * The pump's refill visits (the rows of each, drugs in row order), checked but not yet parsed:
   * `Planning.refills` parses them at the pump's turn, so the clinic's visits are never all held
   * as parsed inputs at once.
   */
  visits: CsvRow[][];
  doseChanges: DoseChangeStep[];
  /** Its therapy reversals and restarts (each by date, in file order until applied). */
  reversals: ReversalStep[];
  restarts: RestartStep[];
  removal: RemovalStep | null;
  /** The earliest of its rows that cannot be applied: the rows from its date on are not checked (see `Hold`). */
  held: Hold | null;
}

export interface ImportCounts {
  patients: number;
  pumps: number;
  /** Refill visits (one visit may span several rows, one per drug). */
  refills: number;
  dose_changes: number;
  reversals: number;
  /** Therapy restarts (each one's fill is also counted as a refill visit). */
  restarts: number;
  removals: number;
}

export interface ImportPlan {
  patients: PatientStep[];
  /** In the order to apply: by implant date, so a replaced pump is removed before its successor is implanted. */
  pumps: PumpPlan[];
  /** Rows identical to what is already recorded. */
  skipped: ImportCounts;
}

export const zeroCounts = (): ImportCounts => ({ patients: 0, pumps: 0, refills: 0, dose_changes: 0, reversals: 0, restarts: 0, removals: 0 });

/** Issues, one per file, line and column (the first found wins), sorted for the report. */
export class IssueList {
  private readonly list: ImportIssue[] = [];
  private readonly keys = new Set<string>();

  add(issue: ImportIssue): void {
    const key = `${issue.file}\u0000${issue.line}\u0000${issue.column}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.list.push(issue);
  }
  get size(): number {
    return this.list.length;
  }
  sorted(): ImportIssue[] {
    return sortIssues(this.list);
  }
}

/** Folder problems first, then by file (in KINDS order), line and column (in the file's column order). */
export function sortIssues(issues: readonly ImportIssue[]): ImportIssue[] {
  const fileRank = (f: string) => KINDS.findIndex((k) => fileName(k) === f);
  const columnRank = (f: string, c: string | null) => {
    const kind = KINDS.find((k) => fileName(k) === f);
    const cols: readonly string[] = kind ? COLUMNS[kind] : [];
    const i = c === null ? -1 : cols.indexOf(c);
    return i < 0 ? cols.length : i;
  };
  return [...issues].sort(
    (a, b) =>
      fileRank(a.file) - fileRank(b.file) || (a.line ?? 0) - (b.line ?? 0) || columnRank(a.file, a.column) - columnRank(b.file, b.column),
  );
}

// ---- value helpers ------------------------------------------------------------------------------

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A plain decimal as a number; anything else is passed through so the schema words the error. */
const num = (raw: string): number | string | undefined => (raw === '' ? undefined : NUMBER_RE.test(raw) ? Number(raw) : raw);
const opt = (raw: string): string | undefined => (raw === '' ? undefined : raw);
const list = (raw: string): string[] =>
  raw
    .split(LIST_SEPARATOR)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
const key = (s: string): string => s.trim().toLowerCase();
/** A value quoted in a report line, shortened, with refused characters escaped (`quoteText`). */
const quote = (s: string): string => quoteText(s.length > 60 ? `${s.slice(0, 57)}...` : s);

type PathKey = PropertyKey;
type Locate = (path: readonly PathKey[]) => { line: number; column: string };

/** The contract's field names → this file's columns. */
const FIELD_COLUMNS: { readonly [K in Kind]: Readonly<Record<string, string>> } = {
  patients: { mrn: 'mrn', familyName: 'family_name', givenName: 'given_name', birthDate: 'birth_date', sex: 'sex', indications: 'indication' },
  pumps: {
    serial: 'serial',
    implantDate: 'implant_date',
    alarmMl: 'alarm_ml',
    catheterTipLevel: 'catheter_tip_level',
    patientId: 'mrn',
    deviceModelId: 'model',
  },
  refills: {
    date: 'date',
    withdrawnMl: 'withdrawn_ml',
    withdrawnUl: 'withdrawn_ml',
    addedMl: 'added_ml',
    addedUl: 'added_ml',
    drugs: 'drug',
    pumpId: 'serial',
    overrideReason: 'override_reason',
  },
  dose_changes: { date: 'date', drug: 'drug', dailyDose: 'daily_dose', pumpId: 'serial', overrideReason: 'override_reason' },
  reversals: { date: 'date', kind: 'kind', note: 'note', pumpId: 'serial' },
  restarts: { date: 'date', pumpId: 'serial' },
  removals: { date: 'date', reasons: 'reason', catheterRemoved: 'catheter_removed', note: 'note', pumpId: 'serial' },
};

/** Where a contract field path (`addedMl`, `drugs.1.concentration.unit`) points in the file. */
export function locator(kind: Kind, lines: readonly number[]): Locate {
  const first = lines[0] ?? 0;
  return (path) => {
    const [head, index, sub, leaf] = path;
    if (kind === 'refills' && head === 'drugs' && typeof index === 'number') {
      const line = lines[index] ?? first;
      if (sub === 'concentration') return { line, column: leaf === 'unit' ? 'concentration_unit' : 'concentration' };
      if (sub === 'dailyDose') return { line, column: leaf === 'unit' ? 'dose_unit' : 'daily_dose' };
      if (sub === 'drug' || sub === 'name') return { line, column: 'drug' };
      if (sub === 'unit') return { line, column: 'concentration_unit' };
      return { line, column: '(row)' };
    }
    if (head === 'dailyDose' && index === 'unit') return { line: first, column: 'dose_unit' };
    if (kind === 'patients' && head === 'contacts') return { line: first, column: contactColumn(path.slice(1)) };
    return { line: first, column: FIELD_COLUMNS[kind][String(head)] ?? '(row)' };
  };
}

/** A dotted field name from a service refusal, as a path. */
export const fieldPath = (field: string | undefined): PathKey[] =>
  field === undefined || field === '' ? [] : field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

// ---- the checker --------------------------------------------------------------------------------

/** The columns of each file that need a value on every row, in the file's column order. */
const REQUIRED_COLUMNS = Object.fromEntries(
  KINDS.map((kind) => [kind, COLUMNS[kind].filter((c) => !(OPTIONAL_COLUMNS[kind] as readonly string[]).includes(c))]),
) as unknown as { readonly [K in Kind]: readonly string[] };

/** A device's reservoir volume as written in pumps.csv (made once: building a schema costs more than using it). */
const RESERVOIR_ML = volumeMl(1000).refine((ml) => ml > 0, { error: 'must be more than 0 mL' });

/** How many drugs `refillEntryInput` takes in one visit (plan.test.ts checks that visits of 1 to 6 drugs parse the same both ways). */
const MIN_VISIT_DRUGS = 1;
const MAX_VISIT_DRUGS = 4;

/** What every visit of refills.csv gives the fields it has no column for. */
const VISIT_MODE = 'simple_continuous';
const VISIT_PORT_CONFIRMED = true;

/** A refills.csv cell as `refillEntryInput`'s field takes it. */
const visitDate = (raw: string) => opt(raw);
const visitWithdrawnMl = (raw: string) => num(raw) ?? null;
const visitAddedMl = (raw: string) => num(raw);
/** The visit's override reason (issue 17): the first of its rows that gives one (the others give the same, or none). */
const visitOverrideReason = (rows: readonly CsvRow[]): string => rows.find((r) => (r.values.override_reason ?? '') !== '')?.values.override_reason ?? '';

/** A refill visit's own fields from its rows (the first row's, and the override reason of any), as `refillEntryInput` takes them. */
const visitFields = (pumpId: number, rows: readonly CsvRow[]) => {
  const v = rows[0]!.values;
  return {
    pumpId,
    date: visitDate(v.date ?? ''),
    withdrawnMl: visitWithdrawnMl(v.withdrawn_ml ?? ''),
    addedMl: visitAddedMl(v.added_ml ?? ''),
    mode: VISIT_MODE,
    reservoirPortConfirmed: VISIT_PORT_CONFIRMED,
    overrideReason: opt(visitOverrideReason(rows)),
  };
};

/** How many distinct values (or drug rows) are kept parsed; more are parsed each time they occur. */
const PARSED_VALUES_KEPT = 65536;

/** Stands for a value its field's schema refuses. */
const REFUSED: unique symbol = Symbol('refused');

/**
 * One field of a contract schema, each distinct value parsed once (a clinic's files repeat their
 * dates, volumes and pump ids over and over): the field's output, or REFUSED.
 */
class ParsedValues<K, S extends z.ZodType> {
  private readonly values = new Map<K, z.output<S> | typeof REFUSED>();
  constructor(
    private readonly schema: S,
    private readonly input: (key: K) => unknown,
  ) {}

  get(key: K): z.output<S> | typeof REFUSED {
    let value = this.values.get(key);
    if (value === undefined) {
      const parsed = this.schema.safeParse(this.input(key));
      value = parsed.success ? parsed.data : REFUSED;
      if (this.values.size < PARSED_VALUES_KEPT) this.values.set(key, value);
    }
    return value;
  }
}

/** A refill row's drug as `refillEntryInput` takes it. */
const drugEntry = (row: CsvRow) => {
  const r = row.values;
  return {
    drug: opt(r.drug ?? ''),
    concentration: { value: num(r.concentration ?? ''), unit: opt(r.concentration_unit ?? '') },
    dailyDose: { value: num(r.daily_dose ?? ''), unit: opt(r.dose_unit ?? '') },
  };
};

type DrugEntry = RefillInput['drugs'][number];
/** Parsed refill drug rows by their cells (drug, concentration, its unit, daily dose, its unit); null: the row does not parse. */
type DrugRows = Map<string, Map<string, Map<string, Map<string, Map<string, DrugEntry | null>>>>>;

/** The map under `key` in `map`, made when missing. */
function under<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = new Map()));
  return v;
}

export class Checker {
  readonly issues = new IssueList();
  private readonly devices: DeviceModel[];
  private readonly drugs = new Map<string, Drug | null>();
  private readonly written = new Map<string, Drug | null>();
  /** Refill visit values and drug rows parsed (see `parseVisit`). */
  private readonly visitValues = {
    pumpId: new ParsedValues(refillEntryInput.shape.pumpId, (id: number) => id),
    date: new ParsedValues(refillEntryInput.shape.date, visitDate),
    withdrawnMl: new ParsedValues(refillEntryInput.shape.withdrawnMl, visitWithdrawnMl),
    addedMl: new ParsedValues(refillEntryInput.shape.addedMl, visitAddedMl),
    mode: new ParsedValues(refillEntryInput.shape.mode, (mode: string) => mode),
    reservoirPortConfirmed: new ParsedValues(refillEntryInput.shape.reservoirPortConfirmed, (confirmed: boolean) => confirmed),
    overrideReason: new ParsedValues(refillEntryInput.shape.overrideReason, (raw: string) => opt(raw)),
  };
  private readonly drugRows: DrugRows = new Map();
  private drugRowCount = 0;

  constructor(private readonly ctx: HandlerContext) {
    this.devices = ctx.store.catalog.devices();
  }

  get store(): HandlerContext['store'] {
    return this.ctx.store;
  }

  /** Lines with a problem, by file: such a row is never applied (its pump is held from its date). */
  private readonly lines = new Set<string>();

  issue(kind: Kind, line: number, column: string, message: string): void {
    this.issues.add({ file: fileName(kind), line, column, message });
    this.lines.add(`${kind}:${line}`);
  }

  /** Whether a problem is reported on this line of the file. */
  hasIssue(kind: Kind, line: number): boolean {
    return this.lines.has(`${kind}:${line}`);
  }

  /** Required columns must not be empty. */
  required(kind: Kind, row: CsvRow): void {
    for (const column of REQUIRED_COLUMNS[kind]) {
      if (row.values[column] !== '') continue;
      this.issue(kind, row.line, column, UNIT_COLUMNS.includes(column) ? 'needs a unit: mg or mcg' : 'is required');
    }
  }

  /** Parses with a contract schema, reporting every issue at its row and column. */
  parse<S extends z.ZodType>(schema: S, input: unknown, kind: Kind, rows: readonly CsvRow[]): z.output<S> | null {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const locate = locator(
      kind,
      rows.map((r) => r.line),
    );
    for (const issue of parsed.error.issues) {
      // Too many drugs in a visit: at the first row too many, not the visit's first drug.
      const maximum = issue.code === 'too_big' && kind === 'refills' && issue.path.length === 1 && issue.path[0] === 'drugs' ? Number(issue.maximum) : null;
      const { line, column } = locate(maximum === null ? issue.path : ['drugs', maximum, 'drug']);
      const raw = maximum === null ? (rows.find((r) => r.line === line)?.values[column] ?? '') : '';
      this.issue(kind, line, column, raw === '' ? issue.message : `${issue.message} (got ${quote(raw)})`);
    }
    return null;
  }

  /**
   * A refill visit's rows parsed with `refillEntryInput`, answering what `parseVisitWhole` answers. A
   * clinic's files repeat the same values over and over (dates, volumes, a few drug rows), so each
   * distinct value of a visit field is parsed once with that field's schema in `refillEntryInput`, and
   * each distinct drug row (drug, concentration, daily dose) once with `prescriptionDrugInput`:
   * `refillEntryInput` checks nothing across its fields (plan.test.ts asserts it), so a visit whose
   * values all parse is the object they make. A visit with anything that does not parse is parsed
   * again whole, so that its issues are exactly the whole schema's (plan.test.ts checks that both
   * answer the same). The drug entries answered are shared between visits: read, never changed.
   */
  parseVisit(pumpId: number, rows: readonly CsvRow[]): RefillInput | null {
    if (rows.length < MIN_VISIT_DRUGS || rows.length > MAX_VISIT_DRUGS) return this.parseVisitWhole(pumpId, rows);
    const v = rows[0]!.values;
    const f = this.visitValues;
    const id = f.pumpId.get(pumpId);
    const date = f.date.get(v.date ?? '');
    const withdrawnMl = f.withdrawnMl.get(v.withdrawn_ml ?? '');
    const addedMl = f.addedMl.get(v.added_ml ?? '');
    const mode = f.mode.get(VISIT_MODE);
    const reservoirPortConfirmed = f.reservoirPortConfirmed.get(VISIT_PORT_CONFIRMED);
    const overrideReason = f.overrideReason.get(visitOverrideReason(rows));
    if (
      id === REFUSED ||
      date === REFUSED ||
      withdrawnMl === REFUSED ||
      addedMl === REFUSED ||
      mode === REFUSED ||
      reservoirPortConfirmed === REFUSED ||
      overrideReason === REFUSED
    ) {
      return this.parseVisitWhole(pumpId, rows);
    }
    const drugs: DrugEntry[] = [];
    for (const row of rows) {
      const entry = this.drugRow(row);
      if (entry === null) return this.parseVisitWhole(pumpId, rows);
      drugs.push(entry);
    }
    // The optional texts refills.csv has no column for: undefined (the whole schema's answer leaves them out).
    return { pumpId: id, date, withdrawnMl, addedMl, drugs, mode, reservoirPortConfirmed, clinician: undefined, note: undefined, overrideReason };
  }

  /** A refill visit's rows parsed with `refillEntryInput` as one input, each issue reported at its row and column. */
  parseVisitWhole(pumpId: number, rows: readonly CsvRow[]): RefillInput | null {
    return this.parse(refillEntryInput, { ...visitFields(pumpId, rows), drugs: rows.map(drugEntry) }, 'refills', rows);
  }

  /** A refill row's drug parsed with `prescriptionDrugInput` (once for each distinct row), or null. */
  private drugRow(row: CsvRow): DrugEntry | null {
    const r = row.values;
    const byUnit = under(under(under(under(this.drugRows, r.drug ?? ''), r.concentration ?? ''), r.concentration_unit ?? ''), r.daily_dose ?? '');
    const unit = r.dose_unit ?? '';
    let entry = byUnit.get(unit);
    if (entry === undefined) {
      const parsed = prescriptionDrugInput.safeParse(drugEntry(row));
      entry = parsed.success ? parsed.data : null;
      // As many as ParsedValues keeps (a file whose drug rows stop repeating is parsed row by row).
      if (this.drugRowCount < PARSED_VALUES_KEPT) {
        byUnit.set(unit, entry);
        this.drugRowCount++;
      }
    }
    return entry;
  }

  drug(name: string): Drug | null {
    // By the name as written first (a file repeats a few names on every row), then folded.
    let drug = this.written.get(name);
    if (drug === undefined) {
      const k = key(name);
      if (!this.drugs.has(k)) this.drugs.set(k, this.ctx.store.catalog.drugByName(name.trim()));
      drug = this.drugs.get(k) ?? null;
      if (this.written.size < 4096) this.written.set(name, drug);
    }
    return drug;
  }

  checkDrug(kind: Kind, row: CsvRow): Drug | null {
    const name = row.values.drug ?? '';
    if (name === '') return null;
    const drug = this.drug(name);
    if (!drug) {
      const known = this.ctx.store.catalog
        .drugs()
        .map((d) => d.name)
        .join(', ');
      this.issue(kind, row.line, 'drug', `${quote(name)} is not in the drug list (${known})`);
      return null;
    }
    // Amounts are written in the drug's own unit (the record refuses the other one: no silent conversion).
    for (const column of UNIT_COLUMNS) {
      const unit = row.values[column];
      if ((unit === 'mg' || unit === 'mcg') && unit !== drug.unit) {
        this.issue(kind, row.line, column, `${drug.name} is dosed in ${drug.unit}; write the amount in ${drug.unit} (got ${quote(unit)})`);
      }
    }
    return drug;
  }

  device(row: CsvRow): DeviceModel | null {
    const v = row.values;
    const manufacturer = key(v.manufacturer ?? '');
    const model = key(v.model ?? '');
    const reservoirRaw = v.reservoir_ml ?? '';
    if (manufacturer === '' || model === '' || reservoirRaw === '') return null;
    const reservoir = RESERVOIR_ML.safeParse(num(reservoirRaw));
    if (!reservoir.success) {
      this.issue('pumps', row.line, 'reservoir_ml', `${reservoir.error.issues[0]?.message ?? 'is not a volume'} (got ${quote(reservoirRaw)})`);
      return null;
    }
    // Manufacturer + model name, alias or catalogue number + reservoir (shared/domain/device-match.ts).
    const found = matchDeviceModel(this.devices, { manufacturer: v.manufacturer ?? '', model: v.model ?? '', reservoirUl: mlToUl(reservoir.data) });
    if (found.ok) return found.model;
    const column = found.field === 'reservoir' ? 'reservoir_ml' : found.field;
    this.issue('pumps', row.line, column, found.message);
    return null;
  }
}

/**
 * The plan and the problems found so far. Every row is checked by `planImport` except the pumps'
 * refill visits, which `refills(pump)` parses and checks at the pump's turn (the import calls it
 * for every pump, writing or not): only once it has been called for every pump is `issues` the
 * complete list.
 */
export interface Planning {
  plan: ImportPlan;
  /** The problems found so far, sorted. */
  issues(): ImportIssue[];
  /** How many problems have been found so far. */
  issueCount(): number;
  /** The pump's refill visits parsed and checked (each problem added to `issues`): the visits to write. */
  refills(pump: PumpPlan): RefillStep[];
  /** The line of patients.csv that gives this MRN, if any. */
  patientLine(mrn: string): number | null;
}

/** Parses and checks every file (a pump's refill visits at its turn: see `Planning`); answers the plan and the problems found. */
export function planImport(ctx: HandlerContext, files: ImportFiles): Planning {
  const c = new Checker(ctx);
  const skipped = zeroCounts();
  const store = ctx.store;

  // ---- patients
  const patients: PatientStep[] = [];
  const fileMrns = new Map<string, number>();
  for (const row of files.patients) {
    const v = row.values;
    const mrnKey = key(v.mrn ?? '');
    if (row.broken) {
      if (mrnKey !== '' && !fileMrns.has(mrnKey)) fileMrns.set(mrnKey, row.line);
      continue;
    }
    c.required('patients', row);
    const firstLine = fileMrns.get(mrnKey);
    if (mrnKey !== '' && firstLine !== undefined) {
      c.issue('patients', row.line, 'mrn', `MRN ${v.mrn} is already on line ${firstLine}`);
      continue;
    }
    if (mrnKey !== '') fileMrns.set(mrnKey, row.line);
    const input = c.parse(
      patientCreateInput,
      {
        mrn: opt(v.mrn ?? ''),
        familyName: opt(v.family_name ?? ''),
        givenName: opt(v.given_name ?? ''),
        birthDate: opt(v.birth_date ?? ''),
        sex: opt((v.sex ?? '').toLowerCase()),
        indications: list(v.indication ?? ''),
        contacts: contactsInput(v),
      },
      'patients',
      [row],
    );
    if (!input) continue;
    const existing = store.patients.findByMrn(input.mrn);
    if (!existing) {
      patients.push({ line: row.line, input });
      continue;
    }
    const differs: [string, string, string][] = [];
    if (existing.familyName !== input.familyName) differs.push(['family_name', existing.familyName, input.familyName]);
    if (existing.givenName !== input.givenName) differs.push(['given_name', existing.givenName, input.givenName]);
    if (existing.birthDate !== input.birthDate) differs.push(['birth_date', existing.birthDate, input.birthDate]);
    if (existing.sex !== input.sex) differs.push(['sex', existing.sex, input.sex]);
    if ([...existing.indications].sort().join(';') !== [...input.indications].sort().join(';')) {
      differs.push(['indication', existing.indications.join(';'), input.indications.join(';')]);
    }
    // Contacts given in the file must be the ones recorded (the import never edits a patient).
    if (input.contacts !== undefined) {
      const recorded = contactCells(existing.contacts);
      const givenCells = contactCells(input.contacts);
      CONTACT_COLUMNS.forEach((column, i) => {
        if (recorded[i] !== givenCells[i]) differs.push([column, recorded[i]!, givenCells[i]!]);
      });
    }
    for (const [column, recorded, given] of differs) {
      c.issue('patients', row.line, column, `MRN ${input.mrn} is already recorded with ${column} ${quote(recorded)}, not ${quote(given)}`);
    }
    if (differs.length === 0) skipped.patients++;
  }
  // When patients.csv could not be read, its MRNs are unknown: pumps.csv is not reported for them.
  const knownMrn = (mrn: string) => files.unreadable.has('patients') || fileMrns.has(key(mrn)) || store.patients.findByMrn(mrn.trim()) !== null;

  // ---- pumps
  const plans = new Map<string, PumpPlan>();
  const fileSerials = new Map<string, number>();
  let order = 0;
  const planFor = (serial: string, existing: Pump | null): PumpPlan => {
    const k = key(serial);
    let plan = plans.get(k);
    if (!plan) {
      plan = {
        serial: existing?.serial ?? serial,
        existing,
        implant: null,
        implantDate: existing?.implantDate ?? '',
        order: order++,
        visits: [],
        doseChanges: [],
        reversals: [],
        restarts: [],
        removal: null,
        held: null,
      };
      plans.set(k, plan);
    }
    return plan;
  };
  for (const row of files.pumps) {
    const v = row.values;
    const serialKey = key(v.serial ?? '');
    if (row.broken) {
      if (serialKey !== '' && !fileSerials.has(serialKey)) fileSerials.set(serialKey, row.line);
      continue;
    }
    c.required('pumps', row);
    const firstLine = fileSerials.get(serialKey);
    if (serialKey !== '' && firstLine !== undefined) {
      c.issue('pumps', row.line, 'serial', `serial ${v.serial} is already on line ${firstLine}`);
      continue;
    }
    if (serialKey !== '') fileSerials.set(serialKey, row.line);
    const mrn = v.mrn ?? '';
    if (mrn !== '' && !knownMrn(mrn)) c.issue('pumps', row.line, 'mrn', `unknown MRN ${quote(mrn)}: not in patients.csv nor in the database`);
    const device = c.device(row);
    const input = c.parse(
      pumpImplantInput,
      {
        patientId: 1,
        deviceModelId: device?.id ?? 1,
        serial: opt(v.serial ?? ''),
        implantDate: opt(v.implant_date ?? ''),
        alarmMl: num(v.alarm_ml ?? ''),
        catheterTipLevel: opt(v.catheter_tip_level ?? ''),
      },
      'pumps',
      [row],
    );
    if (!input || !device) continue;
    const existing = store.record.pumpBySerial(input.serial);
    if (!existing) {
      const plan = planFor(input.serial, null);
      plan.implant = { line: row.line, mrn: mrn.trim(), input };
      plan.implantDate = input.implantDate;
      continue;
    }
    planFor(existing.serial, existing);
    const owner = store.patients.get(existing.patientId);
    const alarmUl = input.alarmMl === undefined ? device.defaultAlarmUl : mlToUl(input.alarmMl);
    const differs: [string, string, string][] = [];
    if (owner && key(owner.mrn) !== key(mrn)) differs.push(['mrn', owner.mrn, mrn]);
    if (existing.deviceModelId !== device.id) differs.push(['model', `${existing.manufacturer} ${existing.model} ${existing.reservoirUl / 1000} mL`, `${v.manufacturer} ${v.model} ${v.reservoir_ml} mL`]);
    if (existing.implantDate !== input.implantDate) differs.push(['implant_date', existing.implantDate, input.implantDate]);
    if (existing.alarmUl !== alarmUl) differs.push(['alarm_ml', String(existing.alarmUl / 1000), String(alarmUl / 1000)]);
    if ((existing.catheterTipLevel ?? '') !== (input.catheterTipLevel ?? '')) {
      differs.push(['catheter_tip_level', existing.catheterTipLevel ?? '', input.catheterTipLevel ?? '']);
    }
    for (const [column, recorded, given] of differs) {
      c.issue('pumps', row.line, column, `pump ${existing.serial} is already recorded with ${column} ${quote(recorded)}, not ${quote(given)}`);
    }
    if (differs.length === 0) skipped.pumps++;
  }

  /** The pump recorded with a serial (every row of a pump names it: read once per serial). */
  const recorded = new Map<string, Pump | null>();
  const recordedPump = (serial: string): Pump | null => {
    let pump = recorded.get(serial);
    if (pump === undefined) recorded.set(serial, (pump = store.record.pumpBySerial(serial)));
    return pump;
  };

  /** A serial as compared (`key`), worked out once per serial as written: every row of a pump repeats it. */
  const serialKeys = new Map<string, string>();
  const serialKey = (serial: string): string => {
    let k = serialKeys.get(serial);
    if (k === undefined) serialKeys.set(serial, (k = key(serial)));
    return k;
  };

  /** The pump a row refers to by serial: in pumps.csv or in the database. */
  const pumpOf = (kind: Kind, row: CsvRow): PumpPlan | null => {
    const serial = row.values.serial ?? '';
    if (serial === '') return null;
    const existing = recordedPump(serial.trim());
    if (existing) return planFor(existing.serial, existing);
    // A pump row that is itself reported (or an unreadable pumps.csv) is not reported again here.
    const k = serialKey(serial);
    if (fileSerials.has(k) || files.unreadable.has('pumps')) return plans.get(k) ?? null;
    c.issue(kind, row.line, 'serial', `unknown pump serial ${quote(serial)}: not in pumps.csv nor in the database`);
    return null;
  };

  /**
   * A row of a pump that cannot be applied holds the pump from its date (see `Hold`). A row that
   * cannot be split into columns holds the pump its serial names, if any, from its date if readable.
   */
  const brokenHolds = new Map<string, Hold>();
  const hold = (plan: PumpPlan | null, kind: Kind, line: number, date: string): void => {
    if (plan) plan.held = earlierHold(plan.held, { file: fileName(kind), line, what: WHAT[kind], date: ISO_DATE.test(date) ? date : null });
  };
  const holdBroken = (kind: Kind, row: CsvRow): void => {
    const k = serialKey(row.values.serial ?? '');
    if (k === '') return;
    const date = row.values.date ?? '';
    brokenHolds.set(k, earlierHold(brokenHolds.get(k) ?? null, { file: fileName(kind), line: row.line, what: WHAT[kind], date: ISO_DATE.test(date) ? date : null }));
  };

  // ---- refills: rows with the same serial and date are one visit, drugs in row order
  // (By serial, then date: a file repeats each serial on every row of its pump, so each is folded once.)
  const visits: CsvRow[][] = [];
  const visitsBySerial = new Map<string, Map<string, CsvRow[]>>();
  for (const row of files.refills) {
    if (row.broken) {
      holdBroken('refills', row);
      continue;
    }
    c.required('refills', row);
    c.checkDrug('refills', row);
    const k = serialKey(row.values.serial ?? '');
    let byDate = visitsBySerial.get(k);
    if (byDate === undefined) visitsBySerial.set(k, (byDate = new Map()));
    const date = row.values.date ?? '';
    const rows = byDate.get(date);
    if (rows !== undefined) rows.push(row);
    else {
      const visit = [row];
      byDate.set(date, visit);
      visits.push(visit);
    }
  }
  visitsBySerial.clear();
  for (const rows of visits) {
    const first = rows[0]!;
    const v = first.values;
    for (let i = 1; i < rows.length; i++) {
      const row = rows[i]!;
      for (const column of ['withdrawn_ml', 'added_ml'] as const) {
        const a = num(v[column] ?? '');
        const b = num(row.values[column] ?? '');
        if (a !== b) {
          c.issue(
            'refills',
            row.line,
            column,
            `differs from line ${first.line} of the same visit (${quote(v[column] ?? '')}); every row of a visit repeats the visit's volumes`,
          );
        }
      }
      // The visit's override reason (issue 17) may be on one row or repeated on each; rows that give one give the same.
      const reason = row.values.override_reason ?? '';
      const given = rows.slice(0, i).find((r) => (r.values.override_reason ?? '') !== '');
      if (reason !== '' && given && (given.values.override_reason ?? '') !== reason) {
        c.issue('refills', row.line, 'override_reason', `differs from line ${given.line} of the same visit (${quote(given.values.override_reason ?? '')}); a visit has one override reason`);
      }
      const earlier = rows.slice(0, i).find((r) => key(r.values.drug ?? '') === key(row.values.drug ?? ''));
      if (earlier && key(row.values.drug ?? '') !== '') c.issue('refills', row.line, 'drug', `is already listed on line ${earlier.line} of the same visit`);
    }
    const plan = pumpOf('refills', first);
    // A visit of a pump to write is parsed at the pump's turn (Planning.refills); any other is checked now.
    if (plan) plan.visits.push(rows);
    else refillStep(c, null, rows, skipped);
  }

  // ---- dose changes
  const doseKeys = new Map<string, number>();
  for (const row of files.dose_changes) {
    if (row.broken) {
      holdBroken('dose_changes', row);
      continue;
    }
    const v = row.values;
    c.required('dose_changes', row);
    const drug = c.checkDrug('dose_changes', row);
    const k = `${key(v.serial ?? '')}\u0000${v.date ?? ''}\u0000${key(v.drug ?? '')}`;
    const firstLine = doseKeys.get(k);
    if (firstLine !== undefined) {
      c.issue('dose_changes', row.line, 'drug', `the same pump, date and drug are already on line ${firstLine}`);
      hold(plans.get(serialKey(v.serial ?? '')) ?? null, 'dose_changes', row.line, v.date ?? '');
      continue;
    }
    doseKeys.set(k, row.line);
    const plan = pumpOf('dose_changes', row);
    const input = c.parse(
      doseChangeEntryInput,
      {
        pumpId: plan?.existing?.id ?? 1,
        date: opt(v.date ?? ''),
        drug: opt(v.drug ?? ''),
        dailyDose: { value: num(v.daily_dose ?? ''), unit: opt(v.dose_unit ?? '') },
        overrideReason: opt(v.override_reason ?? ''),
      },
      'dose_changes',
      [row],
    );
    if (!input || !drug || c.hasIssue('dose_changes', row.line)) {
      hold(plan, 'dose_changes', row.line, v.date ?? '');
      continue;
    }
    if (!plan) continue;
    const recorded = plan.existing
      ? store.record.doseChanges(plan.existing.id).find((d) => d.date === input.date && d.drugId === drug.id)
      : undefined;
    if (!recorded) plan.doseChanges.push({ kind: 'dose_change', date: input.date, line: row.line, input });
    else if (recorded.dailyDoseNgPerDay !== massToNg(input.dailyDose)) {
      c.issue('dose_changes', row.line, 'daily_dose', `pump ${plan.serial} already has a ${recorded.drug} dose change on ${input.date} with a different daily dose`);
    } else skipped.dose_changes++;
  }

  // ---- reversals: several per pump (a restarted pump may be reversed again), at most one per date
  const reversalKeys = new Map<string, number>();
  /** Pumps recorded with a reversal that a row of the file gives again (by date). */
  const matchedReversals = new Set<PumpPlan>();
  for (const row of files.reversals) {
    if (row.broken) {
      holdBroken('reversals', row);
      continue;
    }
    const v = row.values;
    c.required('reversals', row);
    const reversalKey = `${key(v.serial ?? '')}\u0000${v.date ?? ''}`;
    const firstLine = reversalKeys.get(reversalKey);
    if (firstLine !== undefined) {
      c.issue('reversals', row.line, 'date', `pump ${v.serial} already has a reversal on ${v.date} on line ${firstLine}`);
      hold(plans.get(serialKey(v.serial ?? '')) ?? null, 'reversals', row.line, v.date ?? '');
      continue;
    }
    reversalKeys.set(reversalKey, row.line);
    const plan = pumpOf('reversals', row);
    const input = c.parse(
      reversalEntryInput,
      { pumpId: plan?.existing?.id ?? 1, date: opt(v.date ?? ''), kind: opt((v.kind ?? '').toLowerCase()), note: v.note ?? '' },
      'reversals',
      [row],
    );
    if (!input || c.hasIssue('reversals', row.line)) {
      hold(plan, 'reversals', row.line, v.date ?? '');
      continue;
    }
    if (!plan) continue;
    const recorded = plan.existing ? (store.record.reversals(plan.existing.id).find((r) => r.date === input.date) ?? null) : null;
    if (!recorded) {
      plan.reversals.push({ kind: 'reversal', date: input.date, line: row.line, input });
      continue;
    }
    reportReversal(plan, row.line, input, recorded);
    matchedReversals.add(plan);
  }
  /** A reversal row compared with the one recorded: a conflict at the column that differs, or skipped. */
  function reportReversal(plan: PumpPlan, line: number, input: ReversalInput, recorded: { date: string; kind: string; note: string | null }): void {
    const differs = sameOr(recorded.date, input.date, 'date') ?? sameOr(recorded.kind, input.kind, 'kind') ?? sameOr(recorded.note ?? '', input.note ?? '', 'note');
    if (differs) c.issue('reversals', line, differs, `pump ${plan.serial} already has a reversal recorded on ${recorded.date} (${recorded.kind}) that differs in ${differs}`);
    else skipped.reversals++;
  }

  // ---- therapy restarts (optional file): serial and date; the fill is the refill visit of that date (checked when applied)
  const restartKeys = new Map<string, number>();
  for (const row of files.restarts) {
    if (row.broken) {
      holdBroken('restarts', row);
      continue;
    }
    const v = row.values;
    c.required('restarts', row);
    const restartKey = `${key(v.serial ?? '')}\u0000${v.date ?? ''}`;
    const firstLine = restartKeys.get(restartKey);
    if (firstLine !== undefined) {
      c.issue('restarts', row.line, 'date', `pump ${v.serial} already has a restart on ${v.date} on line ${firstLine}`);
      hold(plans.get(serialKey(v.serial ?? '')) ?? null, 'restarts', row.line, v.date ?? '');
      continue;
    }
    restartKeys.set(restartKey, row.line);
    const plan = pumpOf('restarts', row);
    const input = c.parse(restartRow, { pumpId: plan?.existing?.id ?? 1, date: opt(v.date ?? '') }, 'restarts', [row]);
    if (!input || c.hasIssue('restarts', row.line)) {
      hold(plan, 'restarts', row.line, v.date ?? '');
      continue;
    }
    if (!plan) continue;
    const recorded = plan.existing ? store.record.restarts(plan.existing.id).some((r) => r.date === input.date) : false;
    if (recorded) skipped.restarts++;
    else plan.restarts.push({ kind: 'restart', date: input.date, line: row.line });
  }

  // A pump recorded as off whose file gives its reversal at another date and no restart: the same
  // reversal written differently (a conflict at the differing column), not a second one on a pump already off.
  for (const plan of plans.values()) {
    if (plan.existing?.status !== 'off' || matchedReversals.has(plan) || plan.restarts.length > 0 || plan.reversals.length === 0) continue;
    const recorded = store.record.reversal(plan.existing.id);
    if (!recorded) continue;
    const [first] = plan.reversals.splice(0, 1);
    reportReversal(plan, first!.line, first!.input, recorded);
  }

  /** The MRN a pump of the plan belongs to. */
  const mrnOf = (plan: PumpPlan): string | null => {
    if (plan.implant) return plan.implant.mrn;
    const owner = plan.existing ? store.patients.get(plan.existing.patientId) : null;
    return owner ? owner.mrn : null;
  };
  /** Replacement serials already named, with their line. */
  const replacementLines = new Map<string, number>();
  /**
   * A removal row's `replacement_serial`: the pump implanted in the same procedure, which must be
   * another pump of the same patient implanted on the removal date. Null: none given (or its pump
   * row is itself reported); REFUSED: a problem, reported at the column.
   */
  const replacementOf = (removed: PumpPlan, row: CsvRow, date: string): PumpPlan | null | typeof REFUSED => {
    const raw = (row.values.replacement_serial ?? '').trim();
    if (raw === '') return null;
    const refuse = (message: string): typeof REFUSED => {
      c.issue('removals', row.line, 'replacement_serial', message);
      return REFUSED;
    };
    const k = key(raw);
    const existing = recordedPump(raw);
    const replacement = existing ? planFor(existing.serial, existing) : (plans.get(k) ?? null);
    if (!replacement) {
      if (fileSerials.has(k) || files.unreadable.has('pumps')) return null; // its pump row is reported
      return refuse(`unknown pump serial ${quote(raw)}: not in pumps.csv nor in the database`);
    }
    if (replacement === removed) return refuse(`is the serial of the pump removed; give the serial of the pump implanted in its place`);
    const earlier = replacementLines.get(key(replacement.serial));
    if (earlier !== undefined) return refuse(`pump ${replacement.serial} is already named as a replacement on line ${earlier}`);
    replacementLines.set(key(replacement.serial), row.line);
    const removedMrn = mrnOf(removed);
    const replacementMrn = mrnOf(replacement);
    if (removedMrn !== null && replacementMrn !== null && key(removedMrn) !== key(replacementMrn)) {
      return refuse(`pump ${replacement.serial} belongs to another patient (MRN ${quote(replacementMrn)}); a replacement is implanted in the same patient`);
    }
    if (replacement.implantDate !== date) {
      return refuse(
        `pump ${replacement.serial} was implanted on ${replacement.implantDate}, not on the removal date ${date}; a replacement is implanted the same day (leave the column empty otherwise)`,
      );
    }
    return replacement;
  };

  const removalSerials = new Map<string, number>();
  for (const row of files.removals) {
    if (row.broken) {
      holdBroken('removals', row);
      continue;
    }
    const v = row.values;
    c.required('removals', row);
    const firstLine = removalSerials.get(key(v.serial ?? ''));
    if (firstLine !== undefined) {
      c.issue('removals', row.line, 'serial', `pump ${v.serial} already has a removal on line ${firstLine}`);
      continue;
    }
    removalSerials.set(key(v.serial ?? ''), row.line);
    const catheter = (v.catheter_removed ?? '').toLowerCase();
    if (catheter !== '' && catheter !== 'yes' && catheter !== 'no') {
      c.issue('removals', row.line, 'catheter_removed', `must be yes or no (got ${quote(v.catheter_removed ?? '')})`);
    }
    const plan = pumpOf('removals', row);
    const input = c.parse(
      removalEntryInput,
      {
        pumpId: plan?.existing?.id ?? 1,
        date: opt(v.date ?? ''),
        reasons: list(v.reason ?? ''),
        catheterRemoved: catheter === 'yes' ? true : catheter === 'no' ? false : undefined,
        note: v.note ?? '',
      },
      'removals',
      [row],
    );
    if (!input || c.hasIssue('removals', row.line)) {
      hold(plan, 'removals', row.line, v.date ?? '');
      continue;
    }
    if (!plan) continue;
    const replacement = replacementOf(plan, row, input.date);
    if (replacement === REFUSED) {
      hold(plan, 'removals', row.line, input.date);
      continue;
    }
    const recorded = plan.existing ? store.record.removal(plan.existing.id) : null;
    if (!recorded) {
      plan.removal = { line: row.line, input, replacementSerial: replacement?.serial ?? null };
      continue;
    }
    const recordedReplacement = recorded.replacementPumpId === null ? '' : (store.record.pump(recorded.replacementPumpId)?.serial ?? '');
    const differs =
      sameOr(recorded.date, input.date, 'date') ??
      sameOr([...recorded.reasons].sort().join(';'), [...input.reasons].sort().join(';'), 'reason') ??
      sameOr(String(recorded.catheterRemoved), String(input.catheterRemoved), 'catheter_removed') ??
      sameOr(recorded.note ?? '', input.note ?? '', 'note') ??
      // An older file without the column says nothing about a replacement.
      ('replacement_serial' in v ? sameOr(key(recordedReplacement), key(replacement?.serial ?? ''), 'replacement_serial') : null);
    if (differs) c.issue('removals', row.line, differs, `pump ${plan.serial} already has a removal recorded on ${recorded.date} that differs in ${differs}`);
    else skipped.removals++;
  }

  // ---- nothing after a pump's removal, nor while it is off after a reversal (until a restart on or
  // after it): reported at the later row itself (the services, which write a pump's refills before
  // its reversal and removal, would refuse the reversal or removal)
  for (const plan of plans.values()) {
    const restarted = [...plan.restarts.map((r) => r.date), ...(plan.existing ? store.record.restarts(plan.existing.id).map((r) => r.date) : [])];
    const ends = [
      ...plan.reversals.map((r) => ({
        date: r.input.date,
        // Off until the first restart dated on or after it (none: for good).
        until: restarted.filter((d) => d >= r.input.date).sort()[0] ?? null,
        what: `the pump was turned off (reversals.csv line ${r.line}, ${r.input.date}) and not restarted`,
      })),
      ...(plan.removal ? [{ date: plan.removal.input.date, until: null, what: `the pump was removed (removals.csv line ${plan.removal.line}, ${plan.removal.input.date})` }] : []),
    ]
      // One dated before the implant is itself wrong: the services report it at its own row.
      .filter((e) => e.date >= plan.implantDate)
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    if (ends.length === 0) continue;
    /** The first stop a row on `date` falls in: after it, and before its restart (the restart's own fill is on its date). */
    const stopOn = (date: string) => ends.find((e) => date > e.date && (e.until === null || date < e.until));
    const after = (end: { what: string }) => `is after ${end.what}: nothing can be recorded on a pump after that`;
    for (const rows of plan.visits) {
      const date = rows[0]!.values.date ?? '';
      const end = ISO_DATE.test(date) ? stopOn(date) : undefined;
      if (end) {
        c.issue('refills', rows[0]!.line, 'date', after(end));
        hold(plan, 'refills', rows[0]!.line, date);
      }
    }
    for (const change of plan.doseChanges) {
      const end = stopOn(change.date);
      if (end) {
        c.issue('dose_changes', change.line, 'date', after(end));
        hold(plan, 'dose_changes', change.line, change.date);
      }
    }
  }

  for (const [k, broken] of brokenHolds) {
    const plan = plans.get(k);
    if (plan) plan.held = earlierHold(plan.held, broken);
  }

  const pumps = [...plans.values()].sort((a, b) => (a.implantDate < b.implantDate ? -1 : a.implantDate > b.implantDate ? 1 : a.order - b.order));
  return {
    plan: { patients, pumps, skipped },
    issues: () => c.issues.sorted(),
    issueCount: () => c.issues.size,
    patientLine: (mrn) => fileMrns.get(key(mrn)) ?? null,
    refills: (pump) => {
      const steps: RefillStep[] = [];
      for (const rows of pump.visits) {
        const step = refillStep(c, pump, rows, skipped);
        if (step === REFUSED || rows.some((r) => c.hasIssue('refills', r.line))) hold(pump, 'refills', rows[0]!.line, rows[0]!.values.date ?? '');
        else if (step) steps.push(step);
      }
      pump.visits = [];
      return steps;
    },
  };
}

/**
 * A refill visit (its rows, drugs in row order) parsed with the contract's schema and compared with
 * what `plan`'s pump has recorded: the visit to write, or null (a problem, reported, or a visit
 * already recorded identically, counted as skipped), or REFUSED when the rows do not parse (reported).
 * `plan` null: the visit's pump is unknown or itself reported; the visit is only checked.
 */
function refillStep(c: Checker, plan: PumpPlan | null, rows: readonly CsvRow[], skipped: ImportCounts): RefillStep | null | typeof REFUSED {
  const input = c.parseVisit(plan?.existing?.id ?? 1, rows);
  if (!input) return REFUSED;
  if (!plan) return null;
  const first = rows[0]!;
  const lines = rows.map((r) => r.line);
  const recorded = plan.existing ? c.store.record.refills(plan.existing.id).find((r) => r.date === input.date) : undefined;
  if (!recorded) return { kind: 'refill', date: input.date, lines, input };
  const problems: [number, string, string][] = [];
  if (recorded.withdrawnUl !== (input.withdrawnMl === null ? null : mlToUl(input.withdrawnMl))) {
    problems.push([first.line, 'withdrawn_ml', `${recorded.withdrawnUl === null ? 'empty' : `${recorded.withdrawnUl / 1000} mL`}`]);
  }
  if (recorded.addedUl !== mlToUl(input.addedMl)) problems.push([first.line, 'added_ml', `${recorded.addedUl / 1000} mL`]);
  if (recorded.drugs.length !== input.drugs.length) {
    problems.push([first.line, 'drug', `${recorded.drugs.map((d) => d.drug).join(' + ')} (${recorded.drugs.length} drugs, not ${input.drugs.length})`]);
  } else {
    input.drugs.forEach((d, i) => {
      const was = recorded.drugs[i]!;
      const line = lines[i] ?? first.line;
      if (was.drugId !== c.drug(d.drug)?.id) problems.push([line, 'drug', was.drug]);
      else if (was.concentrationNgPerMl !== massToNg(d.concentration)) problems.push([line, 'concentration', 'a different concentration']);
      else if (was.dailyDoseNgPerDay !== massToNg(d.dailyDose)) problems.push([line, 'daily_dose', 'a different daily dose']);
    });
  }
  for (const [line, column, what] of problems) {
    c.issue('refills', line, column, `pump ${plan.serial} already has a refill on ${input.date}, recorded with ${what}`);
  }
  if (problems.length === 0) skipped.refills++;
  return null;
}

/** A row of restarts.csv: the pump and the date (its fill, the refill visit of that date, is parsed as a visit). */
const restartRow = therapyRestartEntryInput.pick({ pumpId: true, date: true });

/** A row of each file, as a message names it ("depends on the refused visit in row 12"). */
const WHAT: { readonly [K in Kind]: string } = {
  patients: 'patient',
  pumps: 'pump',
  refills: 'visit',
  dose_changes: 'dose change',
  reversals: 'reversal',
  restarts: 'restart',
  removals: 'removal',
};

const sameOr = (recorded: string, given: string, column: string): string | null => (recorded === given ? null : column);
