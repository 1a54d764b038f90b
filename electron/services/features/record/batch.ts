/**
 * Many writes to the pumps of a clinic in one transaction (the import), pump by pump.
 *
 * A request records one refill and reads the pump's history to do it. An import records a pump's
 * whole history at once, so re-reading that history for each row (and each projection) makes the
 * import quadratic in a pump's history. `PumpWriter` keeps the pump and its history in memory
 * between its writes instead, and applies the same rules and arithmetic the request services do,
 * through the same functions (`assessRefillOn`, `refillToSave`, `assessDoseChangeOn`,
 * `checkReversal`, `checkRemoval`, `projectionOf`), so it writes the same rows in the same order.
 * The only rows it does not write are the intermediate projections (the implant's included): the
 * pump's projection is written once, by `finish`, as the last service call would have left it.
 *
 * `serviceWriter` is the same interface over the request services themselves (one service call
 * per row, each reading what it needs): the reference the import is tested against.
 */
import type { Patient } from '../../../../shared/contract/patients';
import type { z } from 'zod';
import { ok, type Result } from '../../../../shared/contract/result';
import type { DeviceModel, DoseChange, Pump, pumpImplantInput, Recorder, Refill, removalEntryInput, reversalEntryInput, Warning } from '../../../../shared/contract/record';
import { todayIn, type CalendarDate } from '../../../../shared/domain/calendar';
import type { HandlerContext } from '../../handler-types';
import type { RefillBatch } from './repository';
import type { TimelineStep } from './timeline';
import { projectionAfterRefill, projectionOf } from './projection';
import { recorderOf } from './recorded-by';
import { acceptsClinicalEntryOn, leftTheClinic } from '../patients/status';
import {
  assessDoseChangeOn,
  assessRefillOn,
  projectedDates,
  recordDoseChange,
  recordRefill,
  refillToSave,
  reprogrammable,
  running,
  type DoseChangeInput,
  type RecordCatalog,
  type RecordHistory,
  type RefillInput,
  type RefillOptions,
} from './refills';
import { checkRestart, restartBaseline, restartTherapy, type TherapyRestartInput } from './restart';
import { checkPumpDate, checkRemoval, checkReversal, implantPump, inPlace, insertRemovalRow, recordRemoval, recordReversal, writeReversal } from './service';

type ImplantInput = z.output<typeof pumpImplantInput>;
type ReversalInput = z.output<typeof reversalEntryInput>;
type RemovalInput = z.output<typeof removalEntryInput>;
type RestartInput = Omit<TherapyRestartInput, 'pumpId'> & { pumpId?: number };

/** The writes an import makes to one pump, each answering what the request service answers (or its refusal). */
export interface PumpWrites {
  readonly pump: Pump;
  refill(input: RefillInput, options?: RefillOptions): Result<{ warnings: Warning[] }>;
  doseChange(input: DoseChangeInput): Result<{ warnings: Warning[] }>;
  reversal(input: ReversalInput): Result<null>;
  /** A therapy restart with its fill (`restartTherapy`'s rules: a new fill period after the latest reversal). */
  restart(input: RestartInput): Result<{ warnings: Warning[] }>;
  removal(input: RemovalInput): Result<null>;
  /** Writes what is still pending (the last refill visits, the projection). Call once, after the pump's last write. */
  finish(): void;
}

/** Writers on pumps: on one it implants (implantPump's rules and answer), or on one already recorded. */
export interface PumpWritesFactory {
  implant(ctx: HandlerContext, catalog: RecordCatalog, input: ImplantInput): Result<PumpWrites>;
  open(ctx: HandlerContext, catalog: RecordCatalog, pump: Pump): PumpWrites;
}

/** The in-memory writer (see the file comment). */
export const pumpWriter: PumpWritesFactory = {
  implant: (ctx, catalog, input) => {
    // Its projection is saved by `finish`, after its history (the implant's alone if nothing follows).
    const pump = implantPump(ctx, input, { projection: false });
    return pump.ok ? ok(new PumpWriter(ctx, catalog, pump.value, true)) : pump;
  },
  open: (ctx, catalog, pump) => new PumpWriter(ctx, catalog, pump, false),
};

/** One request service call per write (the reference). */
export const serviceWriter: PumpWritesFactory = {
  implant: (ctx, catalog, input) => {
    const pump = implantPump(ctx, input);
    return pump.ok ? ok(serviceWriter.open(ctx, catalog, pump.value)) : pump;
  },
  open: (ctx, _catalog, pump) => {
    const pumpId = pump.id;
    const done = <T>(r: Result<T>): Result<null> => (r.ok ? ok(null) : r);
    return {
      pump,
      refill: (input, options) => recordRefill(ctx, { ...input, pumpId }, options),
      doseChange: (input) => recordDoseChange(ctx, { ...input, pumpId }),
      reversal: (input) => done(recordReversal(ctx, { ...input, pumpId })),
      restart: (input) => {
        const r = restartTherapy(ctx, { ...input, pumpId });
        return r.ok ? ok({ warnings: r.value.warnings }) : r;
      },
      removal: (input) => done(recordRemoval(ctx, { ...input, pumpId })),
      finish: () => {},
    };
  },
};

type LastWrite = { kind: 'refill'; pump: Pump; refill: Pick<Refill, 'date' | 'alarmDate' | 'emptyDate' | 'nextDueDate' | 'nextDueRule' | 'discrepancyFlag'>; dailyVolumeUl: number } | { kind: 'other' };

export class PumpWriter implements PumpWrites {
  private readonly model: DeviceModel | null;
  /** The whole history by date (as the repository would answer it). */
  private readonly refills: Refill[];
  private readonly doseChanges: DoseChange[];
  /** Index in `doseChanges` of the first one recorded after the last refill. */
  private doseTail = 0;
  /** Until the first write, the rules read the whole history (as read from the database). */
  private whole: boolean;
  /** The timeline of the history the rules read, as the writes computed it; null until a refill has been written. */
  private steps: TimelineStep[] | null = null;
  private last: LastWrite | null = null;
  /** The refill visits written (see RefillBatch): flushed before a reversal or a removal (which read the record), and by `finish`. */
  private readonly batch: RefillBatch;
  /** The clinic's today when the writer was made: nothing may be dated after it (see checkPumpDate). */
  private readonly today: CalendarDate;
  /** The date of the reversal this writer recorded, if any (a removal may not precede it). */
  private reversalDate: string | null = null;
  /** Who records every row of this writer (the importing user: record/recorded-by.ts). */
  private readonly recordedBy: Recorder | null;
  /** The pump's patient, read at the first clinical entry (see inPlaceOn). */
  private patient: Patient | null | undefined = undefined;

  constructor(
    private readonly ctx: HandlerContext,
    private readonly catalog: RecordCatalog,
    private current: Pump,
    implanted: boolean,
  ) {
    const { record, catalog: devices } = ctx.store;
    this.model = devices.deviceById(current.deviceModelId);
    this.refills = implanted ? [] : record.refills(current.id);
    this.doseChanges = implanted ? [] : record.doseChanges(current.id);
    this.whole = !implanted;
    this.batch = record.refillBatch();
    this.recordedBy = recorderOf(ctx);
    this.today = todayIn(catalog.settings.timeZone, ctx.now());
    // A pump just implanted has no projection yet (see pumpWriter.implant): `finish` saves it.
    if (implanted) this.last = { kind: 'other' };
    // The dose changes that apply after the last refill: dated on or after it (a refill is dated after every earlier
    // change, or on the date of changes that apply after it: SAME_DATE_RULE in refills.ts).
    const lastDate = this.refills.at(-1)?.date;
    this.doseTail = lastDate === undefined ? 0 : this.doseChanges.filter((c) => c.date < lastDate).length;
  }

  get pump(): Pump {
    return this.current;
  }

  /** What the rules read: the last refill and the dose changes after it (RecordHistory), or the whole history before the first write. */
  private history(): RecordHistory {
    if (this.whole) return { refills: this.refills, doseChanges: this.doseChanges };
    const refills = this.refills.slice(-1);
    const doseChanges = this.doseChanges.slice(this.doseTail);
    return this.steps ? { refills, doseChanges, steps: this.steps } : { refills, doseChanges };
  }

  /** The pump as the services would read it now: in place (and, for refills and dose changes, running). */
  private inPlace(): Result<Pump> {
    return inPlace(this.ctx, this.current, this.current.id);
  }

  /** The pump in place, for a clinical entry on `date`: refused after its patient died or moved away. */
  private inPlaceOn(date: string): Result<Pump> {
    // Read once: an import does not change a patient's status.
    if (this.patient === undefined) this.patient = this.ctx.store.patients.get(this.current.patientId);
    const accepts = this.patient ? acceptsClinicalEntryOn(this.patient, date) : ok(null);
    return accepts.ok ? this.inPlace() : accepts;
  }

  refill(input: RefillInput, options: RefillOptions = {}): Result<{ warnings: Warning[] }> {
    const pump = running(this.inPlaceOn(input.date));
    if (!pump.ok) return pump;
    const dated = checkPumpDate(pump.value, input.date, this.today);
    if (!dated.ok) return dated;
    const assessed = assessRefillOn(pump.value, this.history(), input, this.catalog);
    if (!assessed.ok) return assessed;
    const row = refillToSave(assessed.value, input, options, this.catalog.drugs, this.recordedBy);
    if (!row.ok) return row;
    const id = this.batch.add(row.value, this.ctx.now());
    const refill: Refill = { id, ...row.value };
    this.refills.push(refill);
    // Dose changes dated on the refill's date and recorded before it apply after it (SAME_DATE_RULE): they stay in the tail.
    const after = assessed.value.after;
    this.doseTail = this.doseChanges.length - (after?.steps.length ?? 0);
    this.steps = [assessed.value.step, ...(after?.steps ?? [])];
    this.whole = false;
    this.last = after
      ? { kind: 'refill', pump: pump.value, refill: { ...refill, ...projectedDates(after) }, dailyVolumeUl: after.dailyVolumeUl }
      : { kind: 'refill', pump: pump.value, refill, dailyVolumeUl: assessed.value.preview.dailyVolumeUl };
    return ok({ warnings: assessed.value.preview.warnings });
  }

  doseChange(input: DoseChangeInput): Result<{ warnings: Warning[] }> {
    const pump = reprogrammable(running(this.inPlaceOn(input.date)));
    if (!pump.ok) return pump;
    const dated = checkPumpDate(pump.value, input.date, this.today);
    if (!dated.ok) return dated;
    const assessed = assessDoseChangeOn(pump.value, this.history(), input, this.catalog);
    if (!assessed.ok) return assessed;
    const { row, drug, step, warnings } = assessed.value;
    const stored = { ...row, recordedBy: this.recordedBy };
    const id = this.ctx.store.record.insertDoseChange(stored, this.ctx.now());
    this.doseChanges.push({ id, ...stored, drug: drug.name, unit: drug.unit });
    if (this.whole) this.steps = null; // the whole history's timeline: the tail's is worked out when next needed
    else this.steps?.push(step);
    this.whole = false;
    this.last = { kind: 'other' };
    return ok({ warnings });
  }

  reversal(input: ReversalInput): Result<null> {
    this.batch.flush();
    const pump = this.inPlaceOn(input.date);
    if (!pump.ok) return pump;
    const checked = checkReversal(pump.value, this.refills, input, this.today);
    if (!checked.ok) return checked;
    writeReversal(this.ctx, pump.value, input);
    this.reversalDate = input.date;
    this.current = { ...pump.value, status: 'off' };
    this.last = { kind: 'other' };
    return ok(null);
  }

  restart(input: RestartInput): Result<{ warnings: Warning[] }> {
    this.batch.flush(); // the restart row refers to its fill, and the reversal it ends is read from the record
    const pump = this.inPlaceOn(input.date);
    if (!pump.ok) return pump;
    const reversal = this.ctx.store.record.reversal(pump.value.id);
    const checked = checkRestart(pump.value, reversal, this.refills, input.date, this.today);
    if (!checked.ok) return checked;
    const running: Pump = { ...pump.value, status: 'active' };
    // As restartTherapy: a new fill period, assessed with an empty history; the step-up limits from the dose before the reversal.
    const baseline = restartBaseline(this.history(), checked.value);
    if (!baseline.ok) return baseline;
    const fill = { ...input, pumpId: pump.value.id, acknowledgeDiscrepancy: undefined };
    const assessed = assessRefillOn(running, { refills: [], doseChanges: [] }, fill, this.catalog, baseline.value);
    if (!assessed.ok) return assessed;
    const row = refillToSave(assessed.value, fill, {}, this.catalog.drugs, this.recordedBy);
    if (!row.ok) return row;
    const { record } = this.ctx.store;
    record.setPumpStatus(pump.value.id, 'active');
    const refill = record.insertRefill(row.value, this.ctx.now());
    record.insertRestart({ pumpId: pump.value.id, date: input.date, reversalId: checked.value.id, refillId: refill.id }, this.ctx.now());
    this.refills.push(refill);
    // Dose changes recorded before it are history: the ones that apply now come after it.
    this.doseTail = this.doseChanges.length;
    this.steps = [assessed.value.step];
    this.whole = false;
    this.current = running;
    this.last = { kind: 'refill', pump: running, refill, dailyVolumeUl: assessed.value.preview.dailyVolumeUl };
    return ok({ warnings: assessed.value.preview.warnings });
  }

  removal(input: RemovalInput): Result<null> {
    this.batch.flush();
    if (input.replacement) {
      // Not made by the import; the service implants the replacement and refreshes both pumps.
      const r = recordRemoval(this.ctx, { ...input, pumpId: this.current.id });
      if (!r.ok) return r;
      this.current = r.value.removed;
      this.last = null; // the service has saved the projection
      return ok(null);
    }
    const pump = this.inPlace();
    if (!pump.ok) return pump;
    const reversalDate = this.reversalDate ?? this.ctx.store.record.reversal(pump.value.id)?.date ?? null;
    const checked = checkRemoval(pump.value, { refills: this.refills, doseChanges: this.doseChanges, reversalDate }, input, this.today);
    if (!checked.ok) return checked;
    this.ctx.store.record.setPumpStatus(pump.value.id, 'explanted');
    insertRemovalRow(this.ctx, pump.value, input, null);
    this.current = { ...pump.value, status: 'explanted' };
    this.last = { kind: 'other' };
    return ok(null);
  }

  finish(): void {
    this.batch.flush();
    const last = this.last;
    if (last === null) return; // nothing written since the pump's projection was last saved
    this.last = null;
    const projection =
      last.kind === 'refill'
        ? projectionAfterRefill(last.pump, this.model, last.refill, last.dailyVolumeUl)
        : projectionOf(this.current, this.model, this.history(), this.catalog);
    // A deceased or transferred patient's pump stays off the worklist (as computeProjection has it).
    const patient = this.ctx.store.patients.get(this.current.patientId);
    this.ctx.store.record.saveProjection(patient && leftTheClinic(patient) ? { ...projection, inWorklist: false } : projection);
  }
}
