/**
 * The full-record export: the six interchange files, written exactly as import reads them, so
 * export → import into an empty database → export gives the same bytes.
 *
 * The record is read in one read transaction (one consistent snapshot) with the raw SQL of
 * export-sql.ts, and each file is streamed to disk in chunks as its rows are read, so the
 * memory used does not grow with the clinic.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import type { Store } from '../../store/store';
import type { HandlerContext } from '../../handler-types';
import { storageError } from '../../storage-errors';
import { normaliseLineBreaks, quoteText, textProblem, type TextKind } from '../../../../shared/contract/text';
import { NO_CONTACTS, type PatientContacts } from '../../../../shared/contract/contacts';
import { contactCells } from './contacts';
import { COLUMNS, csvRecord, EXPORT_BOM, fileName, formatMass, formatMl, KINDS, LIST_SEPARATOR, TEXT_COLUMNS, type Kind } from './format';
import { DOSE_CHANGE, DRUG, ExportReader, PATIENT, PUMP, REFILL, REMOVAL, RESTART, REVERSAL, type RawRow } from './export-sql';
import { makePrivateDir, openPrivateForWriting } from '../../store/private-files';

export interface ExportSummary {
  /** The files written (full paths), in KINDS order. */
  files: string[];
  /** Data rows written per file (refills count drug rows). */
  rows: Record<Kind, number>;
  /** Things recorded that the format does not carry, worth knowing before a round trip. */
  notes: string[];
}

type Rows = { [K in Kind]: string[][] };

/**
 * Receives the rows of the seven files, each file's in its order: `cells` are the row's values as
 * text, not yet quoted (a new array each time: the sink may keep it).
 */
type RowSink = (kind: Kind, cells: string[]) => void;

/** Reads the whole record as the seven files' rows, in a stable order (by MRN, implant date, serial, date). */
export function exportRows(ctx: HandlerContext): { rows: Rows; notes: string[] } {
  const rows: Rows = { patients: [], pumps: [], refills: [], dose_changes: [], reversals: [], restarts: [], removals: [] };
  const specialModes = ctx.store.snapshot(() => readRecord(connectionOf(ctx.store), (kind, cells) => rows[kind].push(cells)));
  return { rows, notes: notesFor(specialModes) };
}

/** The text of one file: BOM, header, rows, CRLF line ends. */
export function toCsv(kind: Kind, rows: string[][]): string {
  let text = EXPORT_BOM + csvRecord(COLUMNS[kind]);
  for (const row of rows) text += csvRecord(row);
  return text;
}

/**
 * Writes the seven files into `dir` (created if needed; existing files of the same names are
 * replaced). Every file is written with its header row, even when it has no rows.
 */
export function exportRecord(ctx: HandlerContext, dir: string): Result<ExportSummary> {
  const db = connectionOf(ctx.store);
  const files = KINDS.map((kind) => path.join(dir, fileName(kind)));
  const writers: CsvFile[] = [];
  let specialModes: number;
  try {
    try {
      makePrivateDir(dir);
      // The seven files are replaced together or not at all: a name taken by a folder stops it here,
      // before any file is written (a failed rename half-way would leave old and new files mixed).
      const blocked = files.find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isDirectory());
      if (blocked) return fail('invalid_input', `The export was not written: ${blocked} is a folder, not a file. Nothing in ${dir} was changed.`);
      KINDS.forEach((kind, i) => writers.push(new CsvFile(`${files[i]!}.tmp`, kind)));
    } catch (e) {
      throw new WriteError(e);
    }
    const byKind = Object.fromEntries(writers.map((w) => [w.kind, w])) as Record<Kind, CsvFile>;
    const refused = new RefusedValues();
    specialModes = ctx.store.snapshot(() =>
      readRecord(db, (kind, cells) => {
        refused.check(kind, cells);
        byKind[kind].row(cells);
      }),
    ); // one consistent snapshot
    if (refused.count > 0) {
      for (const w of writers) w.discard();
      return fail('invalid_input', refused.message(dir));
    }
    try {
      for (const w of writers) w.close();
      KINDS.forEach((_, i) => fs.renameSync(writers[i]!.file, files[i]!));
    } catch (e) {
      throw new WriteError(e);
    }
  } catch (e) {
    for (const w of writers) w.discard();
    if (e instanceof WriteError) {
      const storage = storageError(e);
      if (storage !== null) return fail(storage.code, `The export could not be written to ${dir}: ${storage.message}`);
      return fail('internal', `The export could not be written to ${dir} (${e.message}).`);
    }
    throw e;
  }
  const counts = Object.fromEntries(writers.map((w) => [w.kind, w.rows])) as Record<Kind, number>;
  ctx.audit.record({ action: 'export', entity: 'record', entityId: null, detail: { folder: dir, rows: counts } });
  return ok({ files, rows: counts, notes: notesFor(specialModes) });
}

/**
 * Values recorded by an earlier version that the import (the contract) now refuses: a control
 * character or text-direction control in any text, a name or identifier beginning with = + - @.
 * The export refuses to write files its own import would refuse, and names each value, so the
 * clinic corrects the record first (docs/import-format.md, "Export").
 */
class RefusedValues {
  static readonly LISTED = 20;
  count = 0;
  private readonly lines: string[] = [];

  check(kind: Kind, cells: readonly string[]): void {
    const kinds = TEXT_COLUMNS[kind] as Partial<Record<string, TextKind>>;
    const columns = COLUMNS[kind];
    for (let i = 0; i < columns.length; i++) {
      const textKind = kinds[columns[i]!];
      if (textKind === undefined) continue;
      const value = cells[i] ?? '';
      const problem = textProblem(textKind === 'multiline' ? normaliseLineBreaks(value) : value, textKind);
      if (problem === null) continue;
      this.count++;
      if (this.lines.length < RefusedValues.LISTED) {
        this.lines.push(`${fileName(kind)}: the row of ${columns[0]} ${quoteText(cells[0] ?? '')}: ${columns[i]} ${problem}`);
      }
    }
  }

  message(dir: string): string {
    const more = this.count > this.lines.length ? `\n(and ${this.count - this.lines.length} more)` : '';
    return (
      `The export was not written: ${this.count} recorded value(s) would be refused by the import (recorded before Reservoir checked them). ` +
      `Correct them in Reservoir, then export again. Nothing in ${dir} was changed.\n${this.lines.join('\n')}${more}`
    );
  }
}

function notesFor(specialModes: number): string[] {
  const notes: string[] = [];
  if (specialModes > 0) {
    notes.push(
      `${specialModes} refill(s) use a flex or bolus mode; the format carries only the continuous prescription, so an import of these files recomputes them as simple continuous.`,
    );
  }
  return notes;
}

/** The SQLite store's connection (as signatureRepository reaches it); a server store would export its own way. */
function connectionOf(store: Store): Database.Database {
  const db = (store as Store & { db?: Database.Database }).db;
  if (db === undefined) throw new Error('export: this store has no SQLite connection');
  return db;
}

/**
 * Reads the record and hands `sink` every row of the seven files: patients by MRN; pumps by their
 * patient's MRN, implant date, serial; then each pump's refills (by date, one row per drug),
 * dose changes (by date), reversals (by date), restarts (by date) and removal, in that pump order. Answers the number of refill
 * visits with a flex or bolus volume. Call it inside a transaction.
 */
function readRecord(db: Database.Database, sink: RowSink): number {
  const read = new ExportReader(db);
  const text = new TextCells();

  const patients = read.patients().sort((a, b) => compareText(a[PATIENT.mrn], b[PATIENT.mrn]) || a[PATIENT.id] - b[PATIENT.id]);
  const mrnById = new Map<number, string>();
  for (const p of patients) {
    mrnById.set(p[PATIENT.id], p[PATIENT.mrn]);
    const indications = (JSON.parse(p[PATIENT.indications]) as string[]).join(LIST_SEPARATOR);
    const contacts = p[PATIENT.contacts] === null ? NO_CONTACTS : (JSON.parse(p[PATIENT.contacts]) as PatientContacts);
    sink('patients', [p[PATIENT.mrn], p[PATIENT.familyName], p[PATIENT.givenName], p[PATIENT.birthDate], p[PATIENT.sex], indications, ...contactCells(contacts)]);
  }

  const mrnOf = (pump: RawRow): string => mrnById.get(pump[PUMP.patientId]) ?? '';
  const pumps = read
    .pumps()
    .sort(
      (a, b) =>
        compareText(mrnOf(a), mrnOf(b)) ||
        compareText(a[PUMP.implantDate], b[PUMP.implantDate]) ||
        compareText(a[PUMP.serial], b[PUMP.serial]) ||
        a[PUMP.id] - b[PUMP.id],
    );
  for (const p of pumps) {
    sink('pumps', [
      mrnOf(p),
      p[PUMP.manufacturer],
      p[PUMP.model],
      p[PUMP.serial],
      p[PUMP.implantDate],
      text.ml(p[PUMP.reservoirUl]),
      text.ml(p[PUMP.alarmUl]),
      p[PUMP.catheterTipLevel] ?? '',
    ]);
  }

  const drugs = read.drugs();
  const drug = (id: number): RawRow => {
    const d = drugs.get(id);
    if (d === undefined) throw new Error(`export: no drug ${id}`); // a foreign key: cannot happen
    return d;
  };
  for (const p of pumps) {
    const serial: string = p[PUMP.serial];
    for (const r of read.refillsOfPump(p[PUMP.id])) {
      const unit: MassUnitName = r[REFILL.unit];
      const concentration = text.mass(r[REFILL.concentrationNgPerMl], unit);
      const dose = text.mass(r[REFILL.dailyDoseNgPerDay], unit);
      const withdrawn = r[REFILL.withdrawnUl];
      sink('refills', [
        serial,
        r[REFILL.date],
        withdrawn === null ? '' : text.ml(withdrawn),
        text.ml(r[REFILL.addedUl]),
        drug(r[REFILL.drugId])[DRUG.name],
        concentration[0],
        concentration[1],
        dose[0],
        dose[1],
        r[REFILL.overrideReason] ?? '', // the visit's, on each of its rows
        checkText(r[REFILL.check]),
      ]);
    }
  }
  for (const p of pumps) {
    const serial: string = p[PUMP.serial];
    for (const c of read.doseChangesOfPump(p[PUMP.id])) {
      const d = drug(c[DOSE_CHANGE.drugId]); // a dose change is in its drug's unit
      const dose = text.mass(c[DOSE_CHANGE.dailyDoseNgPerDay], d[DRUG.unit]);
      sink('dose_changes', [serial, c[DOSE_CHANGE.date], d[DRUG.name], dose[0], dose[1], c[DOSE_CHANGE.overrideReason] ?? '', checkText(c[DOSE_CHANGE.check])]);
    }
  }
  const reversals = read.reversals();
  for (const p of pumps) {
    for (const r of reversals.get(p[PUMP.id]) ?? []) sink('reversals', [p[PUMP.serial], r[REVERSAL.date], r[REVERSAL.kind], r[REVERSAL.note] ?? '']);
  }
  const restarts = read.restarts();
  for (const p of pumps) {
    for (const r of restarts.get(p[PUMP.id]) ?? []) sink('restarts', [p[PUMP.serial], r[RESTART.date]]);
  }
  const removals = read.removals();
  for (const p of pumps) {
    const r = removals.get(p[PUMP.id]);
    if (r) {
      const reasons = (JSON.parse(r[REMOVAL.reasons]) as string[]).join(LIST_SEPARATOR);
      sink('removals', [p[PUMP.serial], r[REMOVAL.date], reasons, r[REMOVAL.catheterRemoved] === 1 ? 'yes' : 'no', r[REMOVAL.note] ?? '', r[REMOVAL.replacementSerial] ?? '']);
    }
  }
  return read.specialModes();
}

/**
 * formatMl and formatMass, remembered per value for one export: a clinic has few distinct volumes,
 * concentrations and doses, and hundreds of thousands of rows. (At most MEMO_LIMIT values each, so
 * an odd clinic with every value different costs time, not memory.)
 */
class TextCells {
  private readonly mls = new Map<number, string>();
  private readonly masses: Record<MassUnitName, Map<number, readonly [string, MassUnitName]>> = { mg: new Map(), mcg: new Map() };

  ml(ul: number): string {
    let s = this.mls.get(ul);
    if (s === undefined) {
      s = formatMl(ul);
      if (this.mls.size < MEMO_LIMIT) this.mls.set(ul, s);
    }
    return s;
  }
  /** `[value, unit]` as formatMass writes them. */
  mass(ng: number, unit: MassUnitName): readonly [string, MassUnitName] {
    const memo = this.masses[unit];
    let m = memo.get(ng);
    if (m === undefined) {
      const f = formatMass(ng, unit);
      m = [f.value, f.unit];
      if (memo.size < MEMO_LIMIT) memo.set(ng, m);
    }
    return m;
  }
}

const MEMO_LIMIT = 10_000;

/** A failure writing the files (not reading the record): reported as a failure value, not thrown. */
class WriteError extends Error {
  constructor(cause: unknown) {
    super((cause as Error).message, { cause });
  }
}

/** One file being written: BOM and header first, then the rows, in chunks of about 1 MB. */
class CsvFile {
  private fd: number | null;
  private chunk: string;
  rows = 0;

  constructor(
    readonly file: string,
    readonly kind: Kind,
  ) {
    this.fd = openPrivateForWriting(file);
    this.chunk = EXPORT_BOM + csvRecord(COLUMNS[kind]);
  }

  /** Appends one row (quoted here). */
  row(cells: readonly string[]): void {
    this.chunk += csvRecord(cells);
    this.rows++;
    if (this.chunk.length >= CHUNK_CHARS) this.flush();
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd!);
    this.fd = null;
  }

  /** Closes and deletes the file, after a failure; never throws. */
  discard(): void {
    try {
      if (this.fd !== null) fs.closeSync(this.fd);
    } catch {
      /* already failing */
    }
    this.fd = null;
    try {
      fs.rmSync(this.file, { force: true });
    } catch {
      /* already failing */
    }
  }

  private flush(): void {
    const bytes = Buffer.from(this.chunk, 'utf8');
    this.chunk = '';
    try {
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(this.fd!, bytes, at, bytes.length - at);
    } catch (e) {
      throw new WriteError(e);
    }
  }
}
const CHUNK_CHARS = 1 << 20;

/** Text order that does not depend on the locale: case-insensitive, then exact. */
function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `double_check` column (issue 17): `unverified` while an entry awaits its independent double
 * check, `verified` or `rejected` once decided; empty when it needed none.
 */
function checkText(state: string | null): string {
  if (state === null) return '';
  return state === 'awaiting' ? 'unverified' : state;
}
