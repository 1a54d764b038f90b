/**
 * Calendar dates of clinical events.
 *
 * A refill happens on a calendar date, not at an instant, so dates are `YYYY-MM-DD` strings and all
 * arithmetic is done on integer epoch days (days since 1970-01-01) computed with `Date.UTC`. UTC
 * has no daylight-saving time, so a DST change can never move a date. Instants are UTC
 * milliseconds; `todayIn` turns an instant into the clinic's calendar date.
 */
import { fail, ok, type Result } from '../contract/result';

/** A real calendar date written `YYYY-MM-DD` (years 1000-9999). Make one with `parseCalendarDate`. */
export type CalendarDate = string & { readonly __brand: 'CalendarDate' };

const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch day of 1000-01-01, the first supported date. */
export const MIN_EPOCH_DAY = Date.UTC(1000, 0, 1) / MS_PER_DAY;
/** Epoch day of 9999-12-31, the last supported date. */
export const MAX_EPOCH_DAY = Date.UTC(9999, 11, 31) / MS_PER_DAY;

/** Days in `month` (1-12) of `year`, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Check and brand a `YYYY-MM-DD` string. Refuses anything else as `invalid_input`, including dates
 * that do not exist (2025-02-29, 2024-04-31) and years outside 1000-9999.
 */
export function parseCalendarDate(s: string, field?: string): Result<CalendarDate> {
  const m = typeof s === 'string' ? DATE_RE.exec(s) : null;
  if (m === null) return fail('invalid_input', `"${String(s)}" must be a real date written YYYY-MM-DD.`, field);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    return fail('invalid_input', `"${s}" is not a real date (YYYY-MM-DD).`, field);
  }
  return ok(s as CalendarDate);
}

/** True when `s` is a real `YYYY-MM-DD` date. */
export function isCalendarDate(s: unknown): s is CalendarDate {
  return typeof s === 'string' && parseCalendarDate(s).ok;
}

/**
 * Brand a date string from trusted storage. Throws a RangeError if it is not a real date (that is a
 * bug, not user input); for user input use `parseCalendarDate`.
 */
export function calendarDate(s: string): CalendarDate {
  const r = parseCalendarDate(s);
  if (!r.ok) throw new RangeError(r.error.message);
  return r.value;
}

/** Days since 1970-01-01 (negative before). 1970-01-02 → 1. */
export function toEpochDay(date: CalendarDate): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

/**
 * The date of an epoch day. Throws a RangeError outside 1000-01-01 .. 9999-12-31 or for a
 * non-integer: callers in this module never pass such a day (projections stop at a horizon).
 */
export function fromEpochDay(day: number): CalendarDate {
  if (!Number.isSafeInteger(day) || day < MIN_EPOCH_DAY || day > MAX_EPOCH_DAY) {
    throw new RangeError(`Epoch day ${String(day)} is outside the supported dates 1000-01-01 .. 9999-12-31`);
  }
  // Proleptic Gregorian date of a day count, in integer arithmetic (H. Hinnant, "chrono-Compatible
  // Low-Level Date Algorithms", civil_from_days): no Date object per call, which a chart of a
  // 25-year history makes thousands of times. Tested against Date over the whole range.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // [0, 146096]
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365); // [0, 399]
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // [0, 365], from 1 March
  const mp = Math.floor((5 * doy + 2) / 153); // [0, 11], March = 0
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}` as CalendarDate;
}

/** `date` plus `days` (negative allowed): addDays('2024-02-28', 1) → '2024-02-29'. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier): 2024-02-28 → 2024-03-01 is 2. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/**
 * `date` plus `months` (negative allowed), clamped to the end of a shorter month:
 * 2024-01-31 + 1 → 2024-02-29; 2023-01-31 + 1 → 2023-02-28; 2024-02-29 + 12 → 2025-02-28.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isSafeInteger(months)) throw new RangeError(`months must be a whole number, got ${String(months)}`);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  if (ny < 1000 || ny > 9999) throw new RangeError(`${date} + ${months} months is outside the supported years 1000-9999`);
  const nd = Math.min(d, daysInMonth(ny, nm));
  return fromEpochDay(Date.UTC(ny, nm - 1, nd) / MS_PER_DAY);
}

/** -1 when a is earlier than b, 0 when the same day, 1 when later (usable as a sort comparator). */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  // A CalendarDate is always YYYY-MM-DD with a four-digit year, so text order is date order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The earlier of two dates. */
export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return compareDates(a, b) <= 0 ? a : b;
}

/** The later of two dates. */
export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return compareDates(a, b) >= 0 ? a : b;
}

/** True when `timeZone` is an IANA time zone this runtime knows (e.g. 'Europe/London'). */
export function isValidTimeZone(timeZone: string): boolean {
  let valid = zoneIsValid.get(timeZone);
  if (valid === undefined) {
    try {
      dayInZone(timeZone);
      valid = true;
    } catch {
      valid = false;
    }
    if (zoneIsValid.size < 1000) zoneIsValid.set(timeZone, valid);
  }
  return valid;
}
/** Answers remembered: building an Intl formatter costs far more than the lookup (the console formats many times). */
const zoneIsValid = new Map<string, boolean>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The formatter todayIn reads a zone's date with (throws a RangeError for an unknown zone). */
function dayInZone(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dayFormats.size < 1000) dayFormats.set(timeZone, f);
  }
  return f;
}

/**
 * The calendar date in `timeZone` at the instant `nowMs` (UTC milliseconds): the clinic's "today".
 * Throws a RangeError for an unknown time zone (validate settings with `isValidTimeZone`).
 * todayIn('America/New_York', Date.UTC(2026, 2, 8, 4, 59, 59)) → '2026-03-07' (23:59:59 EST).
 */
export function todayIn(timeZone: string, nowMs: number): CalendarDate {
  const parts = dayInZone(timeZone).formatToParts(nowMs);
  const part = (type: 'year' | 'month' | 'day'): string => parts.find((p) => p.type === type)?.value ?? '';
  return calendarDate(`${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`);
}
