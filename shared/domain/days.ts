/**
 * `toEpochDay`, `fromEpochDay` and `addDays` (calendar.ts, the source of truth) remembered for the
 * dates and days already seen: the reservoir arithmetic of a clinic's import converts the same few
 * thousand dates back and forth for every visit, and each conversion slices and parses the text or
 * builds a new string. Answers exactly what calendar.ts answers (a day it refuses is not
 * remembered: the call throws again). Bounded: each table is cleared when it holds `MAX` entries.
 */
import { fromEpochDay, toEpochDay, type CalendarDate } from './calendar';

const MAX = 1 << 16;
const days = new Map<string, number>();
const dates = new Map<number, CalendarDate>();

/** `toEpochDay(date)`, remembered. */
export function epochDayOf(date: CalendarDate): number {
  let day = days.get(date);
  if (day === undefined) {
    day = toEpochDay(date);
    if (days.size >= MAX) days.clear();
    days.set(date, day);
  }
  return day;
}

/** `fromEpochDay(day)`, remembered. */
export function dateOfEpochDay(day: number): CalendarDate {
  let date = dates.get(day);
  if (date === undefined) {
    date = fromEpochDay(day); // throws for a day it does not support: nothing remembered
    if (dates.size >= MAX) dates.clear();
    dates.set(day, date);
  }
  return date;
}

/** `addDays(date, n)`, through the remembered conversions. */
export function plusDays(date: CalendarDate, n: number): CalendarDate {
  return dateOfEpochDay(epochDayOf(date) + n);
}
