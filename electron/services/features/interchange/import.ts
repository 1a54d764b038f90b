/**
 * Importing a folder of interchange files, all or nothing.
 *
 * 1. Read every file and check every row (format, contract validation, references, rows already
 *    recorded) — see plan.ts. Any problem: report them all, write nothing.
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
import { fieldPath, locator, planImport, sortIssues, zeroCounts, type DoseChangeStep, type ImportCounts, type ImportFiles, type ImportPlan, type RefillStep } from './plan';
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
      const planned = planImport(ctx, files);
      // The plan holds what it needs; the rows (a third of the heap at 10,000 patients) can go.
      for (const kind of KINDS) files[kind] = [];
      if (!planned.ok || issues.length > 0) throw new Abort(sortIssues([...issues, ...(planned.ok ? [] : planned.issues)]));
      const summary = applyPlan(ctx, planned.plan, writer);
      // One audit entry for the whole import, in its transaction (the rows are in the files named).
      ctx.audit.record({ action: 'create', entity: 'import', entityId: null, detail: { folder: dir, created: summary.created, skipped: summary.skipped } });
      return { ok: true as const, value: summary };
    });
  } catch (e) {
    if (e instanceof Abort) return { ok: false, issues: e.issues };
    throw e;
  }
}

/** Writes the plan. Throws Abort (rolling back the caller's transaction) at the first refusal. */
function applyPlan(ctx: HandlerContext, plan: ImportPlan, writers: PumpWritesFactory): ImportSummary {
  const created = zeroCounts();
  const warnings: ImportIssue[] = [];

  /** Runs one service call for rows of `kind` at `lines`; a refusal or a crash aborts the import. */
  const run = <T>(kind: Kind, lines: number[], call: () => Result<T>): T => {
    const at = locator(kind, lines);
    let result: Result<T>;
    try {
      result = call();
    } catch (e) {
      const { line } = at([]);
      throw new Abort([
        { file: fileName(kind), line, column: '(row)', message: `Reservoir could not record this row (${(e as Error).message}); nothing was imported` },
      ]);
    }
    if (!result.ok) throw new Abort([refusal(kind, at, result.error)]);
    return result.value;
  };
  const warn = (kind: Kind, lines: number[], list: Warning[]) => {
    const at = locator(kind, lines);
    for (const w of list) {
      const { line, column } = at(fieldPath(w.field));
      warnings.push({ file: fileName(kind), line, column, message: w.message });
    }
  };

  const patientIds = new Map<string, number>();
  for (const p of plan.patients) {
    const patient = ctx.store.patients.create(p.input, ctx.now());
    patientIds.set(p.input.mrn.toLowerCase(), patient.id);
    created.patients++;
  }
  const patientId = (mrn: string, line: number): number => {
    const id = patientIds.get(mrn.toLowerCase()) ?? ctx.store.patients.findByMrn(mrn)?.id;
    if (id === undefined) throw new Abort([{ file: fileName('pumps'), line, column: 'mrn', message: `unknown MRN ${mrn}` }]);
    return id;
  };

  const catalog = recordCatalog(ctx);
  for (const pump of plan.pumps) {
    let writer: PumpWrites;
    if (pump.implant) {
      const { line, mrn, input } = pump.implant;
      writer = run('pumps', [line], () => writers.implant(ctx, catalog, { ...input, patientId: patientId(mrn, line) }));
      created.pumps++;
    } else if (pump.existing) {
      const nothing = pump.refills.length === 0 && pump.doseChanges.length === 0 && !pump.reversal && !pump.removal;
      if (nothing) continue;
      writer = writers.open(ctx, catalog, pump.existing);
    } else {
      continue; // unreachable: a plan is made for a pump in the file or in the database
    }
    const pumpId = writer.pump.id;

    const steps: (RefillStep | DoseChangeStep)[] = [...pump.refills, ...pump.doseChanges].sort(
      (a, b) =>
        (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
        (a.kind === b.kind ? 0 : a.kind === 'refill' ? -1 : 1) ||
        firstLine(a) - firstLine(b),
    );
    for (const step of steps) {
      switch (step.kind) {
        case 'refill': {
          const r = run('refills', step.lines, () => writer.refill({ ...step.input, pumpId }, { imported: true }));
          warn('refills', step.lines, r.warnings);
          created.refills++;
          break;
        }
        case 'dose_change': {
          const r = run('dose_changes', [step.line], () => writer.doseChange({ ...step.input, pumpId }));
          warn('dose_changes', [step.line], r.warnings);
          created.dose_changes++;
          break;
        }
      }
    }
    if (pump.reversal) {
      const { line, input } = pump.reversal;
      run('reversals', [line], () => writer.reversal({ ...input, pumpId }));
      created.reversals++;
    }
    if (pump.removal) {
      const { line, input } = pump.removal;
      run('removals', [line], () => writer.removal({ ...input, pumpId }));
      created.removals++;
    }
    writer.finish();
  }
  return { created, skipped: plan.skipped, warnings };
}

const firstLine = (step: RefillStep | DoseChangeStep): number => (step.kind === 'refill' ? (step.lines[0] ?? 0) : step.line);

function refusal(kind: Kind, at: ReturnType<typeof locator>, error: AppError): ImportIssue {
  const { line, column } = at(fieldPath(error.field));
  return { file: fileName(kind), line, column, message: error.message };
}
