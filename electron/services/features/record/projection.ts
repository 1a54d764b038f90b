import type { ClinicSettings, DeviceModel, DoseChange, Drug, Pump, PumpProjection, Refill } from '../../../../shared/contract/record';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import { dailyVolumeUl } from '../../../../shared/domain/flow';
import { fillPeriod } from '../../../../shared/domain/reservoir';
import { fillStabilityDays, nextRefillDue, replacementDue } from '../../../../shared/domain/schedule';
import type { Microlitres } from '../../../../shared/domain/units';
import type { HandlerContext } from '../../handler-types';
import type { Patient } from '../../../../shared/contract/patients';
import { leftTheClinic } from '../patients/status';
import { pumpTimeline, toRateChanges } from './timeline';

/**
 * The version of the rules `pump_projection` rows are computed with. `pump_projection` is derived
 * data: when a change to shared/domain or to this file changes what `computeProjection` answers for
 * an existing history (an empty, alarm or due date, whether a pump is in the worklist…), ADD ONE
 * here and say why below. Opening a database whose stored version is older recomputes every row
 * with `computeProjection` in one transaction (`bringProjectionsUpToDate`); no migration re-implements
 * the arithmetic in SQL. Signed refill rows keep the figures they were signed with.
 *   1 — issue 13: the empty date is the day the reservoir runs dry (floor), not the first day at 0.
 *   2 — issue 13: ziconotide undiluted (100 mcg/mL) is due by its 84-day limit, not 40; a pump turned
 *       off has no projection; a deceased or transferred patient's pumps are not in the worklist.
 */
export const PROJECTION_RULES_VERSION = 2;

/**
 * Recomputes every pump's projection when the database's stored rules version is older than
 * PROJECTION_RULES_VERSION, then stores the new version, all in one transaction. Answers how many
 * pumps were recomputed (0: already current; a database from a newer version is left as it is).
 * Both shells and the command line call it when they open a database.
 */
export function bringProjectionsUpToDate(ctx: HandlerContext): number {
  const { record } = ctx.store;
  if (record.projectionRulesVersion() >= PROJECTION_RULES_VERSION) return 0;
  return ctx.store.transaction(() => {
    // Checked again under the write lock: another process may have done it meanwhile.
    if (record.projectionRulesVersion() >= PROJECTION_RULES_VERSION) return 0;
    const pumps = record.allPumps();
    for (const pump of pumps) refreshProjection(ctx, pump.id);
    record.setProjectionRulesVersion(PROJECTION_RULES_VERSION);
    return pumps.length;
  });
}

/**
 * Works out a pump's current projection (last refill, daily volume, alarm, empty and next due
 * dates, last discrepancy flag, replacement date) from its history. Pure reading.
 */
export function computeProjection(ctx: HandlerContext, pumpId: number): PumpProjection {
  const { record, catalog } = ctx.store;
  const pump = record.pump(pumpId)!;
  const history = { refills: record.refills(pumpId), doseChanges: record.doseChanges(pumpId) };
  const patient = ctx.store.patients.get(pump.patientId);
  return projectionOf(pump, catalog.deviceById(pump.deviceModelId), history, { drugs: catalog.drugs(), settings: catalog.settings() }, patient);
}

/**
 * The projection of `pump` from its history by date, its device model and the catalog. Pure. The
 * history may be the whole one or, as a caller that keeps it in memory passes it, the last refill
 * and the dose changes after it: nothing earlier changes the result (see RecordHistory in refills.ts).
 */
export function projectionOf(
  pump: Pump,
  model: DeviceModel | null,
  history: { refills: readonly Refill[]; doseChanges: readonly DoseChange[] },
  catalog: { drugs: readonly Drug[]; settings: ClinicSettings },
  /** The pump's patient: a deceased or transferred patient's pumps are not in the worklist. Absent: one still cared for here. */
  patient: Pick<Patient, 'status'> | null = null,
): PumpProjection {
  const { drugs, settings } = catalog;
  const base = baseProjection(pump, model, patient);
  const last = history.refills.at(-1);
  if (pump.status === 'off') return stoppedProjection(base, last?.date ?? null);
  if (!last) return base;
  const steps = pumpTimeline(history.refills, history.doseChanges);
  const period = steps.ok ? fillPeriod(last.date as CalendarDate, last.addedUl as Microlitres, toRateChanges(steps.value)) : null;
  if (!period?.ok) {
    // Cannot happen for a history the services accepted; keep the pump visible and due.
    return { ...base, lastRefillDate: last.date, nextDueDate: last.date, discrepancyFlag: last.discrepancyFlag };
  }
  const due = nextRefillDue({
    period: period.value,
    alarmUl: pump.alarmUl as Microlitres,
    stabilityDays: fillStabilityDays(
      last.drugs.map((d) => ({ drug: drugs.find((x) => x.id === d.drugId) ?? null, concentrationNgPerMl: d.concentrationNgPerMl })),
      last.withdrawnUl === null,
    ),
    safetyMarginDays: settings.safetyMarginDays,
    maxIntervalDays: settings.maxIntervalDays,
  });
  const latestRate = period.value.segments.at(-1)!.rate;
  return {
    ...base,
    lastRefillDate: last.date,
    dailyVolumeUl: dailyVolumeUl(latestRate),
    alarmDate: due.alarmDate,
    emptyDate: due.emptyDate,
    nextDueDate: due.date,
    nextDueRule: due.rule,
    discrepancyFlag: last.discrepancyFlag,
  };
}

/**
 * A pump turned off at a therapy reversal has no projection: nothing flows, so no daily volume,
 * alarm, empty or due date, no discrepancy flag; it is not in the worklist nor counted as running.
 * Its last refill and its replacement date (a device fact) stay.
 */
function stoppedProjection(base: PumpProjection, lastRefillDate: string | null): PumpProjection {
  return { ...base, inWorklist: false, lastRefillDate, nextDueDate: null };
}

/** A pump's projection before any fill: due at once (its implant date), with its replacement date. */
function baseProjection(pump: Pump, model: DeviceModel | null, patient: Pick<Patient, 'status'> | null = null): PumpProjection {
  const replacementFromDate =
    model?.serviceLifeMonths != null
      ? replacementDue({
          implantDate: pump.implantDate as CalendarDate,
          serviceLifeMonths: model.serviceLifeMonths,
          leadMonths: model.replacementLeadMonths,
          // Only the date is kept; whether it has come is decided when the worklist is read.
          today: pump.implantDate as CalendarDate,
        }).replacementFromDate
      : null;
  return {
    pumpId: pump.id,
    inWorklist: pump.status === 'active' && !(patient !== null && leftTheClinic(patient)),
    lastRefillDate: null,
    dailyVolumeUl: null,
    alarmDate: null,
    emptyDate: null,
    // A pump in place with no fill recorded is due at once: its implant date.
    nextDueDate: pump.implantDate,
    nextDueRule: null,
    discrepancyFlag: null,
    replacementFromDate,
  };
}

/**
 * The projection after a refill that is now the pump's latest event: the refill visit already
 * computed its fill period, alarm, empty and due dates from the whole history, so the projection is
 * those figures (the same `computeProjection` would work out again by re-reading the history).
 */
export function saveProjectionAfterRefill(ctx: HandlerContext, pump: Pump, refill: Refill, dailyVolumeUlAfter: number): void {
  ctx.store.record.saveProjection(projectionAfterRefill(pump, ctx.store.catalog.deviceById(pump.deviceModelId), refill, dailyVolumeUlAfter));
}

/** What `saveProjectionAfterRefill` saves. Pure. */
export function projectionAfterRefill(
  pump: Pump,
  model: DeviceModel | null,
  refill: Pick<Refill, 'date' | 'alarmDate' | 'emptyDate' | 'nextDueDate' | 'nextDueRule' | 'discrepancyFlag'>,
  dailyVolumeUlAfter: number,
): PumpProjection {
  return {
    ...baseProjection(pump, model),
    lastRefillDate: refill.date,
    dailyVolumeUl: dailyVolumeUlAfter,
    alarmDate: refill.alarmDate,
    emptyDate: refill.emptyDate,
    nextDueDate: refill.nextDueDate,
    nextDueRule: refill.nextDueRule,
    discrepancyFlag: refill.discrepancyFlag,
  };
}

/** Rewrites one pump's projection; call inside the transaction of the write it derives from. */
export function refreshProjection(ctx: HandlerContext, pumpId: number): void {
  ctx.store.record.saveProjection(computeProjection(ctx, pumpId));
}

/** Rewrites every projection (after a settings or catalog change), in the caller's transaction. */
export function refreshAllProjections(ctx: HandlerContext): void {
  for (const pump of ctx.store.record.allPumps()) refreshProjection(ctx, pump.id);
}
