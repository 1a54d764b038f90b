import type { MassUnitName } from '../../shared/contract/quantities';
import { isValidTimeZone, todayIn, type CalendarDate } from '../../shared/domain/calendar';

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };

/** Volumes always with their unit; µL integers shown as mL with 2-3 decimals. */
export function mL(ul: number | null | undefined, digits = 2): string {
  if (ul === null || ul === undefined) return '—';
  return `${(ul / 1000).toFixed(digits)} mL`;
}

/** A mass in its own unit (mg or mcg), never converted to the other. */
export function mass(ng: number, unit: MassUnitName, per = ''): string {
  const value = ng / NG_PER[unit];
  return `${Number(value.toFixed(3)).toString()} ${unit}${per}`;
}

export function date(d: string | null | undefined): string {
  return d ?? '—';
}

export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The clinic's today in its own time zone (the domain rule), falling back to the browser's day. */
export function clinicToday(timeZone: string | null): CalendarDate {
  return timeZone !== null && isValidTimeZone(timeZone) ? todayIn(timeZone, Date.now()) : (localToday() as CalendarDate);
}

export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
