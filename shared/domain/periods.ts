/**
 * Report periods (issue 16, item 5): the period a report screen starts with. A period is two
 * inclusive calendar dates; "last month" is the previous calendar month of the clinic's today
 * (its own time zone: `todayIn`), whole, from its 1st to its last day.
 *
 *   today 2026-12-07 → 2026-11-01 .. 2026-11-30
 *   today 2027-01-01 → 2026-12-01 .. 2026-12-31   (January: December of the previous year)
 *   today 2028-03-31 → 2028-02-01 .. 2028-02-29   (a leap-year February)
 *   today 2027-03-15 → 2027-02-01 .. 2027-02-28
 */
import { daysInMonth, todayIn, type CalendarDate } from './calendar';

export interface Period {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The whole calendar month before the month of `today`. */
export function previousMonth(today: CalendarDate): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return { from: `${y}-${pad(m)}-01` as CalendarDate, to: `${y}-${pad(m)}-${pad(daysInMonth(y, m))}` as CalendarDate };
}

/** Last month as the clinic sees it: the month before today in the clinic's time zone. */
export function lastMonthIn(timeZone: string, nowMs: number): Period {
  return previousMonth(todayIn(timeZone, nowMs));
}
