/**
 * Worklist classification of a pump by its next refill date.
 */
import { addDays, compareDates, daysBetween, type CalendarDate } from './calendar';

/** 'overdue': past due; 'due': due within the window; 'ok': later. */
export type RefillStatus = 'overdue' | 'due' | 'ok';

/**
 * Classify a next-refill date as of a day:
 *   'overdue' when nextDue < asOf;
 *   'due' when asOf ≤ nextDue ≤ asOf + windowDays (both ends included);
 *   'ok' otherwise.
 * Example: as of 2025-06-10 with a 14-day window: 06-09 overdue, 06-10 and 06-24 due, 06-25 ok.
 */
export function classifyRefill(nextDue: CalendarDate, asOf: CalendarDate, windowDays: number): RefillStatus {
  if (compareDates(nextDue, asOf) < 0) return 'overdue';
  if (compareDates(nextDue, addDays(asOf, windowDays)) <= 0) return 'due';
  return 'ok';
}

/**
 * How urgent a running pump is, worst first (issue 13):
 *   'empty'   the as-of date is on or after the estimated empty date (the day it runs dry);
 *   'alarm'   on or after the low-reservoir alarm date: the pump is alarming;
 *   'overdue' the next refill date has passed;
 *   'due'     due within the window;
 *   'ok'      later.
 */
export const URGENCIES = ['empty', 'alarm', 'overdue', 'due', 'ok'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** A pump's dates as its projection holds them (null: none). */
export interface UrgencyDates {
  readonly emptyDate: string | null;
  readonly alarmDate: string | null;
  readonly nextDue: string | null;
}

/**
 * The one urgency of a running pump as of a day: the worst that applies.
 * Example, as of 2026-11-20 with a 14-day window, empty 11-19, alarm 11-12, due 11-05: 'empty';
 * the same pump as of 11-19 (= the empty date): 'empty'; as of 11-18: 'alarm'; as of 11-12 (= the
 * alarm date): 'alarm'; as of 11-11: 'overdue'; as of 11-05 (= the due date): 'due'.
 */
export function urgencyOf(dates: UrgencyDates, asOf: CalendarDate, windowDays: number): Urgency {
  if (dates.emptyDate !== null && compareDates(dates.emptyDate as CalendarDate, asOf) <= 0) return 'empty';
  if (dates.alarmDate !== null && compareDates(dates.alarmDate as CalendarDate, asOf) <= 0) return 'alarm';
  return dates.nextDue === null ? 'ok' : classifyRefill(dates.nextDue as CalendarDate, asOf, windowDays);
}

/** Days since the next refill date (as of − next due), 0 when it has not passed. */
export function daysOverdue(nextDue: string, asOf: CalendarDate): number {
  return Math.max(0, daysBetween(nextDue as CalendarDate, asOf));
}

/** The severities of an adverse event (as the contract's `SEVERITIES`), mildest first. */
export type EventSeverity = 'mild' | 'moderate' | 'severe' | 'life_threatening';

/** A severe or life-threatening open adverse event is an attention reason of its own. */
export function isSevere(severity: EventSeverity): boolean {
  return severity === 'severe' || severity === 'life_threatening';
}

/**
 * The order of the worklist, worst first: an estimated-empty pump, an alarming pump, then a pump
 * with a severe or life-threatening open adverse event (whatever its refill urgency), then
 * overdue, due, on schedule. The refill urgency and the event are two facts, both shown; the rank
 * only sorts, so a severe open event is never below a merely overdue or due pump, and an empty or
 * alarming pump (withdrawal within hours) is never below anything. 0 is the worst.
 */
export function attentionRank(urgency: Urgency, severeOpenEvent: boolean): number {
  const refill = URGENCY_RANK[urgency];
  return severeOpenEvent ? Math.min(refill, SEVERE_EVENT_RANK) : refill;
}
const URGENCY_RANK: Record<Urgency, number> = { empty: 0, alarm: 1, overdue: 3, due: 4, ok: 5 };
/** Between 'alarm' (1) and 'overdue' (3). */
export const SEVERE_EVENT_RANK = 2;
