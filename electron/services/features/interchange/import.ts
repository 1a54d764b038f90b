/**
 * Importing a folder of interchange files, all or nothing.
 *
 * 1. Read every file and check every row (format, contract validation, references, rows already
 *    recorded) — see plan.ts. (A pump's refill visits are parsed and checked at its turn in step 2,
 *    so that the clinic's visits are never all held at once.)
 * 2. Apply the plan in one transaction with the rules and arithmetic the app's services use:
 *    patients; then pump by pump in implant-date order: the implant (implantPump), its refills and
 *    dose changes, reversals and restarts in date order (on one date: the refill, the dose changes,
 *    a reversal, a restart — whose fill is that date's refill visit), its removal, each through the pump's `PumpWriter` (record/batch.ts: the functions
 *    recordRefill, recordDoseChange, recordReversal and recordRemoval are made of, with the pump's
 *    history kept in memory instead of read back for every row, and its projection written once).
 *    This runs even when step 1 found problems, so that every rule refusal is found in one run: a
 *    row that does not parse or that a rule refuses stops only its own pump's later rows (reported
 *    as "not checked: depends on the refused visit in row 12"), never another pump's.
 * 3. Anything reported, from either step: everything is rolled back and every problem answered.
 *    import-equivalence.test.ts checks that the rows stored are those the services store row by row.
 */
import fs from 'node:fs';
import type { AppError, Result } from '../../../../shared/contract/result';
import type { Warning } from '../../../../shared/contract/record';
import type { HandlerContext } from '../../handler-types';
import { recordCatalog } from '../record/refills';
import { pumpWriter, type PumpWrites, type PumpWritesFactory } from '../record/batch';
import { FILE_NAMES, fileName, KINDS, type ImportIssue, type Kind } from './format';
import { dependsOn, earlierHold, type Hold, fieldPath, IssueList, locator, planImport, zeroCounts, type DoseChangeStep, type ImportCounts, type ImportFiles, type Planning, type PumpPlan, type RefillStep, type RestartStep, type ReversalStep } from './plan';
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
  const headerless = new Set<Kind>();
  const files: ImportFiles = { patients: [], pumps: [], refills: [], dose_changes: [], reversals: [], restarts: [], removals: [], unreadable };
  let present = 0;
  for (const kind of KINDS) {
    const read = readKind(dir, kind);
    if (read.present) present++;
    if (!read.readable) unreadable.add(kind);
    files[kind] = read.rows;
    issues.push(...read.issues);
    // A wrong header (every row then broken): the file's rows are missing from their pumps' history.
    if (read.rows.length > 0 && read.rows.every((r) => r.broken)) headerless.add(kind);
  }
  if (present === 0 && issues.length === 0) {
    return folder(`has none of the files ${FILE_NAMES.join(', ')}: nothing to import`);
  }

  try {
    return ctx.store.transaction(() => {
      const planning = planImport(ctx, files);
      // The plan holds the rows it still needs (the refill visits, until their pump's turn); the rest can go.
      for (const kind of KINDS) files[kind] = [];
      // Each pump's visits are parsed at its turn, so the rules are checked (by writing) while the
      // rows are parsed: every problem is collected, of every pump, and any rolls everything back.
      const { summary, problems } = applyPlan(ctx, planning, writer, unreadable.size === 0 && headerless.size === 0);
      const all = new IssueList();
      for (const issue of [...issues, ...planning.issues(), ...problems]) all.add(issue);
      if (all.size > 0) throw new Abort(all.sorted());
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
 * Parses every pump's refill visits at its turn (see `Planning`) and applies the plan with the
 * clinical rules, pump by pump, to find every row a rule refuses: a refused row, or one that does
 * not parse (`PumpPlan.held`), holds its pump — the pump's rows dated on or after it are reported as
 * not checked, since they depend on it — and never stops the other pumps. `check` false (a file
 * could not be read, see below) or a crash stops the rule checks; the rows
 * are still parsed. The caller rolls everything back when anything was reported. Answers the
 * summary and the problems found here (the plan's own are in `planning.issues()`).
 * (`check` is false when a file could not be read, or its header is wrong: its rows would be missing
 * from every pump's history, and each pump's rules would be checked against the wrong history.)
 */
function applyPlan(ctx: HandlerContext, planning: Planning, writers: PumpWritesFactory, check: boolean): { summary: ImportSummary; problems: ImportIssue[] } {
  const plan = planning.plan;
  const created = zeroCounts();
  const warnings: ImportIssue[] = [];
  const problems: ImportIssue[] = [];
  let crashed = false;
  const checking = () => check && !crashed;

  /** Runs one service call for rows of `kind` at `lines`: its value, or undefined after a refusal (reported) or a crash (reported; the checks stop). */
  const run = <T>(kind: Kind, lines: number[], call: () => Result<T>, elsewhere?: (e: AppError) => [Kind, number[]] | null): T | undefined => {
    let result: Result<T>;
    try {
      result = call();
    } catch (e) {
      const { line } = locator(kind, lines)([]);
      problems.push({ file: fileName(kind), line, column: '(row)', message: `Reservoir could not record this row (${(e as Error).message}); nothing was imported` });
      crashed = true;
      return undefined;
    }
    if (!result.ok) {
      const [at, atLines] = elsewhere?.(result.error) ?? [kind, lines];
      problems.push(refusal(at, locator(at, atLines), result.error));
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
  for (const p of checking() ? plan.patients : []) {
    patientIds.set(p.input.mrn.toLowerCase(), ctx.store.patients.insert(p.input, ctx.now()));
    created.patients++;
  }
  /** The patient's id; null when its row in patients.csv is refused (reported there). */
  const patientId = (mrn: string): number | null => patientIds.get(mrn.toLowerCase()) ?? ctx.store.patients.findByMrn(mrn)?.id ?? null;

  const catalog = recordCatalog(ctx);
  /** Pumps written, by serial as compared, and the removals to link to their replacement once every pump is written. */
  const pumpIds = new Map<string, number>();
  const links: { pumpId: number; line: number; replacementSerial: string }[] = [];
  /** Patients whose pump's removal was not applied (refused, or not checked): their next pump depends on it. */
  const removalsHeld = new Map<number, Hold>();
  // The plan is consumed as it is written: each pump's steps are let go once written, so the heap
  // shrinks as the import goes instead of holding every visit of the clinic to the end.
  const pumps = plan.pumps;
  plan.pumps = [];
  for (let i = 0; i < pumps.length; i++) {
    const pump = pumps[i]!;
    pumps[i] = DONE;
    const refills = planning.refills(pump);
    if (!checking()) continue;
    let held = pump.held;
    /** Whether a row of `what` on `date` depends on the held row (a refill comes before a dose change of its date). */
    const dependent = (date: string, what: string): boolean =>
      held !== null && (held.date === null || date > held.date || (date === held.date && !(what === 'visit' && held.what === 'dose change')));
    const notChecked = (kind: Kind, line: number) => {
      if (held) problems.push({ file: fileName(kind), line, column: 'date', message: dependsOn(held, fileName(kind)) });
    };

    let writer: PumpWrites | undefined;
    if (pump.implant) {
      const { line, mrn, input } = pump.implant;
      const id = patientId(mrn);
      const removalHeld = id === null ? undefined : removalsHeld.get(id);
      if (removalHeld) {
        problems.push({ file: fileName('pumps'), line, column: 'implant_date', message: dependsOn(removalHeld, fileName('pumps')) });
      } else if (id === null) {
        const patientLine = planning.patientLine(mrn);
        problems.push({
          file: fileName('pumps'),
          line,
          column: 'mrn',
          message:
            patientLine === null
              ? `not checked: patient ${mrn} is not imported`
              : dependsOn({ file: fileName('patients'), line: patientLine, what: 'patient', date: null }, fileName('pumps')),
        });
      } else {
        writer = run('pumps', [line], () => writers.implant(ctx, catalog, { ...input, patientId: id }));
        if (writer) created.pumps++;
      }
      if (!writer) held = { file: fileName('pumps'), line, what: 'pump', date: null };
    } else if (pump.existing) {
      const nothing = refills.length === 0 && pump.doseChanges.length === 0 && pump.reversals.length === 0 && pump.restarts.length === 0 && !pump.removal;
      if (nothing) continue;
      if (held === null || held.date !== null) writer = writers.open(ctx, catalog, pump.existing);
    } else {
      continue; // unreachable: a plan is made for a pump in the file or in the database
    }
    const pumpId = writer?.pump.id;
    if (pumpId !== undefined) pumpIds.set(pump.serial.toLowerCase(), pumpId);

    // A restart's fill is the pump's refill visit of the restart's date: written by the restart.
    const fills = new Map<string, RefillStep>();
    for (const restart of pump.restarts) {
      const fill = refills.find((r) => r.date === restart.date);
      if (fill) fills.set(restart.date, fill);
    }
    const steps: Step[] = [...refills.filter((r) => !fills.has(r.date)), ...pump.doseChanges, ...pump.reversals, ...pump.restarts].sort(
      (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || RANK[a.kind] - RANK[b.kind] || firstLine(a) - firstLine(b),
    );
    const to = writer;
    /** Whether the pump is off (after a reversal): a restart and a reversal on one date go in the order the pump's state allows. */
    let off = pump.existing?.status === 'off';
    for (let s = 0; s < steps.length; s++) {
      let step = steps[s]!;
      // On a date with a restart and a reversal, a pump that is off restarts first (then may be reversed again that day).
      if (off && step.kind !== 'restart') {
        const j = steps.findIndex((t, k) => k > s && t.date === step.date && t.kind === 'restart');
        if (j > s) {
          const restart = steps.splice(j, 1)[0]!;
          steps.splice(s, 0, restart);
          step = restart;
        }
      }
      switch (step.kind) {
        case 'refill': {
          if (!to || dependent(step.date, 'visit')) {
            notChecked('refills', step.lines[0] ?? 0);
            break;
          }
          // The step's input is the plan's own (parsed for this write only): it takes the pump's id in place.
          const input = step.input;
          input.pumpId = to.pump.id;
          const r = run('refills', step.lines, () => to.refill(input, IMPORTED));
          if (!r) {
            held = earlierHold(held, { file: fileName('refills'), line: step.lines[0] ?? 0, what: 'visit', date: step.date });
            break;
          }
          warn('refills', step.lines, r.warnings);
          created.refills++;
          break;
        }
        case 'dose_change': {
          if (!to || dependent(step.date, 'dose change')) {
            notChecked('dose_changes', step.line);
            break;
          }
          const r = run('dose_changes', [step.line], () => to.doseChange({ ...step.input, pumpId: to.pump.id }));
          if (!r) {
            held = earlierHold(held, { file: fileName('dose_changes'), line: step.line, what: 'dose change', date: step.date });
            break;
          }
          warn('dose_changes', [step.line], r.warnings);
          created.dose_changes++;
          break;
        }
        case 'reversal': {
          const { line, input } = step;
          if (!to || dependent(input.date, 'reversal')) notChecked('reversals', line);
          else if (run('reversals', [line], () => to.reversal({ ...input, pumpId: to.pump.id })) === undefined) {
            held = earlierHold(held, { file: fileName('reversals'), line, what: 'reversal', date: input.date });
          } else {
            created.reversals++;
            off = true;
          }
          break;
        }
        case 'restart': {
          const fill = fills.get(step.date);
          if (!to || dependent(step.date, 'restart')) {
            notChecked('restarts', step.line);
            if (fill) notChecked('refills', fill.lines[0] ?? 0);
            break;
          }
          const refuse = (): void => {
            held = earlierHold(held, { file: fileName('restarts'), line: step.line, what: 'restart', date: step.date });
          };
          if (!fill) {
            problems.push({
              file: fileName('restarts'),
              line: step.line,
              column: 'date',
              message: `pump ${pump.serial} has no refill on ${step.date} in refills.csv: a restart's first fill is the refills.csv row(s) of the same serial and date`,
            });
            refuse();
            break;
          }
          if (!off) {
            // A restart before the reversal it would end, or on a pump never turned off: said in the file's terms.
            problems.push({
              file: fileName('restarts'),
              line: step.line,
              column: 'date',
              message: `pump ${pump.serial} is running on ${step.date}, not turned off: a restart ends the pump's latest therapy reversal (reversals.csv or recorded), which must be dated on or before it`,
            });
            refuse();
            break;
          }
          const input = fill.input;
          input.pumpId = to.pump.id;
          // A refusal of the restart itself (its date, the pump's state) is at its row; one of the fill's values at the fill's.
          const r = run('restarts', [step.line], () => to.restart(input), (e) => (RESTART_FIELDS.has(e.field ?? '') ? null : ['refills', fill.lines]));
          if (!r) {
            refuse();
            break;
          }
          warn('refills', fill.lines, r.warnings);
          created.restarts++;
          created.refills++;
          off = false;
          break;
        }
      }
      if (crashed) break;
    }
    if (crashed) continue;
    if (pump.removal) {
      const { line, input, replacementSerial } = pump.removal;
      if (!to || dependent(input.date, 'removal')) notChecked('removals', line);
      else if (run('removals', [line], () => to.removal({ ...input, pumpId: to.pump.id })) === undefined) {
        held = earlierHold(held, { file: fileName('removals'), line, what: 'removal', date: input.date });
      } else {
        created.removals++;
        if (replacementSerial !== null) links.push({ pumpId: to.pump.id, line, replacementSerial });
      }
    }
    const patient = pump.existing?.patientId ?? (pump.implant ? patientId(pump.implant.mrn) : null);
    const removal = pump.removal ? { file: fileName('removals'), line: pump.removal.line, what: 'removal', date: pump.removal.input.date } : held?.what === 'removal' ? held : null;
    if (held && removal && patient !== null) removalsHeld.set(patient, removal);
    if (crashed || held || !to) continue;
    to.finish();
  }
  // A removal's replacement is implanted after it (pumps go in implant-date order): linked at the end.
  for (const link of checking() ? links : []) {
    const replacementId = pumpIds.get(link.replacementSerial.toLowerCase()) ?? ctx.store.record.pumpBySerial(link.replacementSerial)?.id;
    if (replacementId !== undefined) ctx.store.record.linkReplacement(link.pumpId, replacementId);
  }
  return { summary: { created, skipped: plan.skipped, warnings }, problems };
}

const IMPORTED = { imported: true } as const;

/** Stands for a pump already written in the plan being consumed. */
const DONE: PumpPlan = { serial: '', existing: null, implant: null, implantDate: '', order: -1, visits: [], doseChanges: [], reversals: [], restarts: [], removal: null, held: null };

type Step = RefillStep | DoseChangeStep | ReversalStep | RestartStep;
const firstLine = (step: Step): number => (step.kind === 'refill' ? (step.lines[0] ?? 0) : step.line);
/**
 * The order of a pump's rows on one date: the refill, then that date's dose changes (SAME_DATE_RULE),
 * then a reversal, then a restart (a restart on a pump already off that date goes first: see applyPlan).
 */
const RANK: { readonly [K in Step['kind']]: number } = { refill: 0, dose_change: 1, reversal: 2, restart: 3 };
/** The fields of a restart's refusal that are the restart's own (restarts.csv); any other is its fill's (refills.csv). */
const RESTART_FIELDS: ReadonlySet<string> = new Set(['', 'date', 'pumpId']);

function refusal(kind: Kind, at: ReturnType<typeof locator>, error: AppError): ImportIssue {
  const { line, column } = at(fieldPath(error.field));
  return { file: fileName(kind), line, column, message: error.message };
}
