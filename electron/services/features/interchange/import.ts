/**
 * Importing a folder of interchange files, all or nothing.
 *
 * 1. Read every file and check every row (format, contract validation, references, rows already
 *    recorded) — see plan.ts. Any problem: report them all, write nothing. (A pump's refill visits
 *    are parsed and checked at its turn in step 2, so that the clinic's visits are never all held
 *    at once: the writing stops at the first problem, every row is still checked, and the
 *    transaction is rolled back.)
 * 2. Apply the plan in one transaction with the rules and arithmetic the app's services use:
 *    patients; then pump by pump in implant-date order: the implant (implantPump), its refills and
 *    dose changes in date order (a refill before a dose change on the same date), its reversal,
 *    its removal, each through the pump's `PumpWriter` (record/batch.ts: the functions
 *    recordRefill, recordDoseChange, recordReversal and recordRemoval are made of, with the pump's
 *    history kept in memory instead of read back for every row, and its projection written once).
 *    The first refusal of a clinical rule rolls everything back and is reported at its row.
 *    import-equivalence.test.ts checks that the rows stored are those the services store row by row.
 */
import fs from 'node:fs';
import type { AppError, Result } from '../../../../shared/contract/result';
import type { Warning } from '../../../../shared/contract/record';
import type { HandlerContext } from '../../handler-types';
import { recordCatalog } from '../record/refills';
import { pumpWriter, type PumpWrites, type PumpWritesFactory } from '../record/batch';
import { FILE_NAMES, fileName, KINDS, type ImportIssue, type Kind } from './format';
import { fieldPath, locator, planImport, sortIssues, zeroCounts, type DoseChangeStep, type ImportCounts, type ImportFiles, type Planning, type PumpPlan, type RefillStep } from './plan';
import { readKind } from './read';

export interface ImportSummary {
  /** What was written. Refills count visits. */
  created: ImportCounts;
  /** Rows identical to what was already recorded (importing the same files again skips them all). */
  skipped: ImportCounts;
  /** Warnings the services gave (typical-range checks and the like), at their rows. Nothing was refused. */
  warnings: ImportIssue[];
}

export type ImportOutcome = { ok: true; value: ImportSummary } | { ok: false; issues: ImportIssue[] };

class Abort extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super('import aborted');
  }
}

/**
 * Imports the interchange files in `dir` (see docs/import-format.md). All or nothing: on any
 * problem nothing is written and every problem is answered, each at its file, line and column.
 */
export function importRecord(ctx: HandlerContext, dir: string): ImportOutcome {
  return importRecordWith(ctx, dir, pumpWriter);
}

/**
 * `importRecord` writing each pump's rows through `writer`: the in-memory `pumpWriter`, or the
 * request services one row at a time (`serviceWriter`, which the tests compare it with).
 */
export function importRecordWith(ctx: HandlerContext, dir: string, writer: PumpWritesFactory): ImportOutcome {
  const folder = (message: string): ImportOutcome => ({ ok: false, issues: [{ file: dir, line: null, column: null, message }] });
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat === undefined) return folder('folder not found');
  if (!stat.isDirectory()) return folder('is not a folder');

  const issues: ImportIssue[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (e) {
    return folder(`cannot be read (${(e as Error).message})`);
  }
  for (const entry of entries.sort()) {
    if (entry.toLowerCase().endsWith('.csv') && !FILE_NAMES.includes(entry)) {
      issues.push({ file: entry, line: null, column: null, message: `is not a file of this format; the files are ${FILE_NAMES.join(', ')}` });
    }
  }

  const unreadable = new Set<Kind>();
  const files: ImportFiles = { patients: [], pumps: [], refills: [], dose_changes: [], reversals: [], removals: [], unreadable };
  let present = 0;
  for (const kind of KINDS) {
    const read = readKind(dir, kind);
    if (read.present) present++;
    if (!read.readable) unreadable.add(kind);
    files[kind] = read.rows;
    issues.push(...read.issues);
  }
  if (present === 0 && issues.length === 0) {
    return folder(`has none of the files ${FILE_NAMES.join(', ')}: nothing to import`);
  }

  try {
    return ctx.store.transaction(() => {
      const planning = planImport(ctx, files);
      // The plan holds the rows it still needs (the refill visits, until their pump's turn); the rest can go.
      for (const kind of KINDS) files[kind] = [];
      // Each pump's visits are parsed at its turn, so writing starts before every row is checked: it
      // stops at the first problem or refusal, the rows are still all checked, and any problem rolls
      // everything back. Problems in the rows are answered first (all of them), else the refusal.
      const { summary, refusal } = applyPlan(ctx, planning, writer, issues.length === 0);
      if (planning.issueCount() > 0 || issues.length > 0) throw new Abort(sortIssues([...issues, ...planning.issues()]));
      if (refusal) throw new Abort([refusal]);
      // One audit entry for the whole import, in its transaction (the rows are in the files named).
      ctx.audit.record({ action: 'create', entity: 'import', entityId: null, detail: { folder: dir, created: summary.created, skipped: summary.skipped } });
      return { ok: true as const, value: summary };
    });
  } catch (e) {
    if (e instanceof Abort) return { ok: false, issues: e.issues };
    throw e;
  }
}

/**
 * Parses every pump's refill visits at its turn (see `Planning`) and writes the plan while nothing
 * is wrong: `write` false, a problem found in the rows or a refusal stops the writing (the caller
 * then rolls back) but not the checking. Answers the first refusal (or crash), if any.
 */
function applyPlan(ctx: HandlerContext, planning: Planning, writers: PumpWritesFactory, write: boolean): { summary: ImportSummary; refusal: ImportIssue | null } {
  const plan = planning.plan;
  const created = zeroCounts();
  const warnings: ImportIssue[] = [];
  let stop: ImportIssue | null = null;
  const writing = () => write && stop === null && planning.issueCount() === 0;

  /** Runs one service call for rows of `kind` at `lines`; a refusal or a crash stops the writing (undefined). */
  const run = <T>(kind: Kind, lines: number[], call: () => Result<T>): T | undefined => {
    let result: Result<T>;
    try {
      result = call();
    } catch (e) {
      const { line } = locator(kind, lines)([]);
      stop = { file: fileName(kind), line, column: '(row)', message: `Reservoir could not record this row (${(e as Error).message}); nothing was imported` };
      return undefined;
    }
    if (!result.ok) {
      stop = refusal(kind, locator(kind, lines), result.error);
      return undefined;
    }
    return result.value;
  };
  const warn = (kind: Kind, lines: number[], list: Warning[]) => {
    if (list.length === 0) return;
    const at = locator(kind, lines);
    for (const w of list) {
      const { line, column } = at(fieldPath(w.field));
      warnings.push({ file: fileName(kind), line, column, message: w.message });
    }
  };

  const patientIds = new Map<string, number>();
  for (const p of writing() ? plan.patients : []) {
    patientIds.set(p.input.mrn.toLowerCase(), ctx.store.patients.insert(p.input, ctx.now()));
    created.patients++;
  }
  const patientId = (mrn: string, line: number): number => {
    const id = patientIds.get(mrn.toLowerCase()) ?? ctx.store.patients.findByMrn(mrn)?.id;
    if (id === undefined) throw new Abort([{ file: fileName('pumps'), line, column: 'mrn', message: `unknown MRN ${mrn}` }]);
    return id;
  };

  const catalog = recordCatalog(ctx);
  // The plan is consumed as it is written: each pump's steps are let go once written, so the heap
  // shrinks as the import goes instead of holding every visit of the clinic to the end.
  const pumps = plan.pumps;
  plan.pumps = [];
  for (let i = 0; i < pumps.length; i++) {
    const pump = pumps[i]!;
    pumps[i] = DONE;
    const refills = planning.refills(pump);
    if (!writing()) continue;
    let writer: PumpWrites | undefined;
    if (pump.implant) {
      const { line, mrn, input } = pump.implant;
      writer = run('pumps', [line], () => writers.implant(ctx, catalog, { ...input, patientId: patientId(mrn, line) }));
      if (!writer) continue;
      created.pumps++;
    } else if (pump.existing) {
      const nothing = refills.length === 0 && pump.doseChanges.length === 0 && !pump.reversal && !pump.removal;
      if (nothing) continue;
      writer = writers.open(ctx, catalog, pump.existing);
    } else {
      continue; // unreachable: a plan is made for a pump in the file or in the database
    }
    const pumpId = writer.pump.id;

    const steps: (RefillStep | DoseChangeStep)[] = [...refills, ...pump.doseChanges].sort(
      (a, b) =>
        (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
        (a.kind === b.kind ? 0 : a.kind === 'refill' ? -1 : 1) ||
        firstLine(a) - firstLine(b),
    );
    const to = writer;
    for (const step of steps) {
      switch (step.kind) {
        case 'refill': {
          // The step's input is the plan's own (parsed for this write only): it takes the pump's id in place.
          const input = step.input;
          input.pumpId = pumpId;
          const r = run('refills', step.lines, () => to.refill(input, IMPORTED));
          if (!r) break;
          warn('refills', step.lines, r.warnings);
          created.refills++;
          break;
        }
        case 'dose_change': {
          const r = run('dose_changes', [step.line], () => to.doseChange({ ...step.input, pumpId }));
          if (!r) break;
          warn('dose_changes', [step.line], r.warnings);
          created.dose_changes++;
          break;
        }
      }
      if (stop) break;
    }
    if (stop) continue;
    if (pump.reversal) {
      const { line, input } = pump.reversal;
      if (run('reversals', [line], () => to.reversal({ ...input, pumpId })) === undefined) continue;
      created.reversals++;
    }
    if (pump.removal) {
      const { line, input } = pump.removal;
      if (run('removals', [line], () => to.removal({ ...input, pumpId })) === undefined) continue;
      created.removals++;
    }
    to.finish();
  }
  return { summary: { created, skipped: plan.skipped, warnings }, refusal: stop };
}

const IMPORTED = { imported: true } as const;

/** Stands for a pump already written in the plan being consumed. */
const DONE: PumpPlan = { serial: '', existing: null, implant: null, implantDate: '', order: -1, visits: [], doseChanges: [], reversal: null, removal: null };

const firstLine = (step: RefillStep | DoseChangeStep): number => (step.kind === 'refill' ? (step.lines[0] ?? 0) : step.line);

function refusal(kind: Kind, at: ReturnType<typeof locator>, error: AppError): ImportIssue {
  const { line, column } = at(fieldPath(error.field));
  return { file: fileName(kind), line, column, message: error.message };
}
