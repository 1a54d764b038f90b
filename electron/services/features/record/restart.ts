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

/**
 * Migration SQL: several reversals per pump (the `reversals` table rebuilt without UNIQUE on
 * `pump_id`, every row and id kept, so signatures still verify; the signed-row triggers of
 * migration 5 recreated as they were) and the restarts. A restart whose fill (refill) is signed can
 * no longer be changed or deleted, like the fill itself.
 */
export const THERAPY_RESTARTS_SQL = `
  CREATE TABLE reversals_rebuilt (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('turned_off', 'drained', 'weaned')),
    plan TEXT,
    outcome TEXT,
    note TEXT,
    clinician TEXT,
    created_at_ms INTEGER NOT NULL
  ) STRICT;
  INSERT INTO reversals_rebuilt (id, pump_id, date, kind, plan, outcome, note, clinician, created_at_ms)
    SELECT id, pump_id, date, kind, plan, outcome, note, clinician, created_at_ms FROM reversals;
  DROP TABLE reversals;
  ALTER TABLE reversals_rebuilt RENAME TO reversals;
  CREATE INDEX reversals_by_pump ON reversals (pump_id, date);
  CREATE TRIGGER signed_reversal_no_update BEFORE UPDATE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_reversal_no_delete BEFORE DELETE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be deleted'); END;

  CREATE TABLE therapy_restarts (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    reversal_id INTEGER NOT NULL UNIQUE REFERENCES reversals (id),
    refill_id INTEGER NOT NULL UNIQUE REFERENCES refills (id),
    created_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX therapy_restarts_by_pump ON therapy_restarts (pump_id, date);
  CREATE TRIGGER signed_restart_no_update BEFORE UPDATE ON therapy_restarts
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a therapy restart whose fill is signed cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_restart_no_delete BEFORE DELETE ON therapy_restarts
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a therapy restart whose fill is signed cannot be deleted'); END;

  -- A pump turned off has no projection (record/projection.ts), and the pumps of a deceased or
  -- transferred patient are not in the worklist (patients/status.ts).
  UPDATE pump_projection
    SET in_worklist = 0, daily_volume_ul = NULL, alarm_date = NULL, empty_date = NULL, next_due_date = NULL,
        next_due_rule = NULL, discrepancy_flag = NULL
    WHERE pump_id IN (SELECT id FROM pumps WHERE status = 'off');
  UPDATE pump_projection SET in_worklist = 0
    WHERE pump_id IN (SELECT p.id FROM pumps p JOIN patients pt ON pt.id = p.patient_id WHERE pt.status IN ('deceased', 'transferred'));
`;

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
