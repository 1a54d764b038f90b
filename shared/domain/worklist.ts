/**
 * Worklist classification of a pump by its next refill date.
 */
import { addDays, compareDates, type CalendarDate } from './calendar';

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
