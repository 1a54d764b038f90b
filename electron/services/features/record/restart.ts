/**
 * Restarting therapy on a pump turned off at a therapy reversal and still in place (issue 13,
 * item 4): a new prescription with its first fill. The fill is a refill row (so the refill's
 * arithmetic, its stored figures, its signature and its amendments are the refill's own); a
 * `therapy_restarts` row links it to the reversal it ends. The pump is active again, back on the
 * worklist with a fresh projection, and may later be reversed again.
 */
import type { z } from 'zod';
import type { Pump, Refill, Reversal, therapyRestartEntryInput, Warning } from '../../../../shared/contract/record';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import type { HandlerContext } from '../../handler-types';
import { saveProjectionAfterRefill } from './projection';
import { recorderOf } from './recorded-by';
import { assessRefillOn, recordCatalog, refillToSave, type RecordHistory, type RestartBaseline } from './refills';
import { pumpTimeline } from './timeline';
import { checkPumpDate, clinicToday, clinicalPumpOrError } from './service';

/* Several reversals per pump and the `therapy_restarts` table: migration 9
 * (store/migrations/sqlite/0009-therapy-restarts.ts). */

export type TherapyRestartInput = z.output<typeof therapyRestartEntryInput>;

/**
 * The restart rules on a pump in place whose latest reversal is `reversal` and whose refills (by
 * date) are `refills`: the pump is off, the date is on or after the reversal and has no refill yet.
 * Answers the reversal the restart ends. (The service and the import's batch writer both use it.)
 */
export function checkRestart(pump: Pump, reversal: Reversal | null, refills: readonly Refill[], date: string, today: CalendarDate): Result<Reversal> {
  if (pump.status === 'active' || reversal === null) {
    return fail('conflict', `Pump ${pump.serial} is running: there is no therapy reversal to restart from. Record a refill instead.`, 'pumpId');
  }
  const dated = checkPumpDate(pump, date, today);
  if (!dated.ok) return dated;
  if (date < reversal.date) {
    return fail('refused', `The restart date ${date} is before the therapy reversal of ${reversal.date}: therapy restarts on or after it.`, 'date');
  }
  if (refills.some((r) => r.date === date)) {
    return fail('refused', `A refill is already recorded on ${date}: date the restart's fill on a later day.`, 'date');
  }
  return ok(reversal);
}

/**
 * What a restart's step-up limits are counted from (see RestartBaseline): the pump's timeline up to
 * the reversal `reversal` ends, from its history (every refill and dose change is dated on or before
 * the reversal: the pump is off since). A pump with no fill before the reversal has no dose to step
 * up from (an empty timeline).
 */
export function restartBaseline(history: RecordHistory, reversal: Pick<Reversal, 'date'>): Result<RestartBaseline> {
  if (history.refills.length === 0) return ok({ steps: [], reversalDate: reversal.date });
  const steps = history.steps ? ok(history.steps) : pumpTimeline(history.refills, history.doseChanges);
  return steps.ok ? ok({ steps: steps.value, reversalDate: reversal.date }) : steps;
}

/** Restarts therapy on a reversed pump in place, in the caller's transaction. */
export function restartTherapy(ctx: HandlerContext, input: TherapyRestartInput): Result<{ pump: Pump; refill: Refill; warnings: Warning[] }> {
  const found = clinicalPumpOrError(ctx, input.pumpId);
  if (!found.ok) return found;
  const pump = found.value;
  const { record } = ctx.store;
  const checked = checkRestart(pump, record.reversal(pump.id), record.refills(pump.id), input.date, clinicToday(ctx));
  if (!checked.ok) return checked;
  const reversal = checked.value;
  const running: Pump = { ...pump, status: 'active' };
  // A new start: nothing before the reversal counts (the pump was off), so the fill is assessed as
  // a first fill — no expected residual, no discrepancy; a withdrawn residual is kept as measured.
  // The step-up limits still count from the dose before the reversal (RestartBaseline).
  const catalog = recordCatalog(ctx);
  const baseline = restartBaseline({ refills: record.refills(pump.id), doseChanges: record.doseChanges(pump.id) }, reversal);
  if (!baseline.ok) return baseline;
  const refillInput = { ...input, acknowledgeDiscrepancy: undefined };
  const assessed = assessRefillOn(running, { refills: [], doseChanges: [] }, refillInput, catalog, baseline.value);
  if (!assessed.ok) return assessed;
  const row = refillToSave(assessed.value, refillInput, {}, catalog.drugs, recorderOf(ctx));
  if (!row.ok) return row;
  record.setPumpStatus(pump.id, 'active');
  const refill = record.insertRefill(row.value, ctx.now());
  record.insertRestart({ pumpId: pump.id, date: input.date, reversalId: reversal.id, refillId: refill.id }, ctx.now());
  saveProjectionAfterRefill(ctx, running, refill, assessed.value.preview.dailyVolumeUl);
  return ok({ pump: record.pump(pump.id)!, refill, warnings: assessed.value.preview.warnings });
}
