import type { OpenAdverseEvent, WithdrawalWarning, Worklist, WorklistCategory, WorklistRow, WorklistStatus } from '../../../../shared/contract/record';
import { assertNever } from '../../../../shared/contract/result';
import { addDays, type CalendarDate } from '../../../../shared/domain/calendar';
import { classifyRefill, daysOverdue, urgencyOf } from '../../../../shared/domain/worklist';
import type { HandlerContext } from '../../handler-types';
import { appointmentRepository } from '../appointments/repository';
import { verificationRepository } from '../verifications/repository';
import { worklistCounts, worklistTopCount } from './worklist-counts';

/** Refill status of a pump as of a date: overdue (due before it), due (within `days`), or ok. */
export function refillStatus(nextDue: string | null, asOf: string, days: number): WorklistStatus {
  return nextDue === null ? 'ok' : classifyRefill(nextDue as CalendarDate, asOf as CalendarDate, days);
}

export interface WorklistPage {
  category?: WorklistCategory;
  /** Rows per page (default 100); `null`: every row (the command line). */
  limit?: number | null;
  offset?: number;
}

/**
 * The worklist as of a date: the pumps in place and running (not removed, not off after a therapy
 * reversal) that need attention — refill overdue or due within `days`, replacement due, last
 * discrepancy flagged, or an open adverse event — one page of one category at a time, worst first
 * (estimated empty, alarming, a severe open adverse event, overdue, due: `attentionRank`), then by
 * next due date, with every count. Pumps on schedule are counted, not listed. Reads the per-pump projection kept current by
 * every write, through indexes (worklist-sql.ts); the counts are cached until the next write (worklist-counts.ts).
 */
export function worklist(ctx: HandlerContext, asOf: string, days: number, page: WorklistPage = {}): Worklist {
  const until = addDays(asOf as CalendarDate, days);
  const category = page.category ?? 'attention';
  const offset = page.offset ?? 0;
  const limit = page.limit === null ? -1 : (page.limit ?? 100);
  const top = worklistTopCount(ctx.store, category, asOf, until);
  const page_ = ctx.store.record.worklistPage(category, { asOf, until, limit, offset, top });
  const awaiting = verificationRepository(ctx.store).awaitingByPump(page_.map((r) => r.pump_id));
  const appointments = appointmentRepository(ctx.store);
  const booked = appointments.nextBooked(page_.map((r) => r.pump_id), asOf);
  const toCall = appointments.onCallList(page_.map((r) => r.pump_id));
  const rows: WorklistRow[] = page_.map((r) => ({
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
    urgency: urgencyOf({ emptyDate: r.empty_date, alarmDate: r.alarm_date, nextDue: r.next_due_date }, asOf as CalendarDate, days),
    nextDueRule: r.next_due_rule,
    daysOverdue: r.next_due_date === null ? 0 : daysOverdue(r.next_due_date, asOf as CalendarDate),
    discrepancyFlag: r.discrepancy_flag === null ? null : r.discrepancy_flag === 1,
    replacementDue: r.replacement_from_date !== null && r.replacement_from_date <= asOf,
    openAdverseEvents: r.open_adverse,
    openAdverse: JSON.parse(r.open_adverse_list ?? '[]') as OpenAdverseEvent[],
    withdrawalWarnings: JSON.parse(r.withdrawal_warnings ?? '[]') as WithdrawalWarning[],
    awaitingVerification: awaiting.get(r.pump_id) ?? 0,
    booked: booked.get(r.pump_id) ?? null,
    onCallList: toCall.has(r.pump_id),
  }));
  // Counted once per as-of date until anything is written (worklist-counts.ts); the rows are read afresh.
  const counts = worklistCounts(ctx.store, asOf, until);
  return { asOf, days, category, rows, total: categoryTotal(category, counts), offset, counts };
}

function categoryTotal(category: WorklistCategory, counts: Worklist['counts']): number {
  switch (category) {
    case 'attention':
      return counts.attention;
    case 'empty':
      return counts.empty;
    case 'alarm':
      return counts.alarm;
    case 'severe':
      return counts.severeAdverse;
    case 'overdue':
      return counts.overdue;
    case 'due':
      return counts.due;
    case 'replacement':
      return counts.replacementDue;
    case 'flagged':
      return counts.flagged;
    case 'adverse':
      return counts.openAdverseEvents;
    case 'not_booked':
      return counts.dueNotBooked;
  }
  return assertNever(category, 'category');
}
