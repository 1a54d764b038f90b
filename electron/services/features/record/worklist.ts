import type { Worklist, WorklistRow, WorklistStatus } from '../../../../shared/contract/record';
import { addDays, type CalendarDate } from '../../../../shared/domain/calendar';
import { classifyRefill } from '../../../../shared/domain/worklist';
import type { HandlerContext } from '../../handler-types';

/** Refill status of a pump as of a date: overdue (due before it), due (within `days`), or ok. */
export function refillStatus(nextDue: string | null, asOf: string, days: number): WorklistStatus {
  return nextDue === null ? 'ok' : classifyRefill(nextDue as CalendarDate, asOf as CalendarDate, days);
}

/**
 * The worklist as of a date: the pumps in place and running (not removed, not off after a therapy
 * reversal) that need attention — refill overdue or due within `days`, replacement due, last
 * discrepancy flagged, or an open adverse event. Pumps on schedule are counted, not listed.
 * Reads the per-pump projection kept current by every write.
 */
export function worklist(ctx: HandlerContext, asOf: string, days: number): Worklist {
  const until = addDays(asOf as CalendarDate, days);
  const rows: WorklistRow[] = ctx.store.record.worklistRows(asOf, until).map((r) => ({
    patientId: r.patient_id,
    mrn: r.mrn,
    patientName: `${r.family_name}, ${r.given_name}`,
    pumpId: r.pump_id,
    serial: r.serial,
    model: r.model,
    lastRefill: r.last_refill_date,
    dailyVolumeMl: r.daily_volume_ul === null ? null : Math.round(r.daily_volume_ul) / 1000,
    alarmDate: r.alarm_date,
    emptyDate: r.empty_date,
    nextDue: r.next_due_date,
    status: refillStatus(r.next_due_date, asOf, days),
    discrepancyFlag: r.discrepancy_flag === null ? null : r.discrepancy_flag === 1,
    replacementDue: r.replacement_from_date !== null && r.replacement_from_date <= asOf,
    openAdverseEvents: r.open_adverse,
  }));
  return {
    asOf,
    days,
    rows,
    counts: {
      running: ctx.store.record.runningPumpCount(),
      overdue: rows.filter((r) => r.status === 'overdue').length,
      due: rows.filter((r) => r.status === 'due').length,
      replacementDue: rows.filter((r) => r.replacementDue).length,
      flagged: rows.filter((r) => r.discrepancyFlag === true).length,
      openAdverseEvents: rows.filter((r) => r.openAdverseEvents > 0).length,
    },
  };
}
