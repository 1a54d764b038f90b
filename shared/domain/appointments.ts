/**
 * Refill appointments (issue 16, item 1): the booking rule and the pharmacy's arithmetic. Pure.
 *
 * Booking rule, for a date against a running pump's projection (shared/domain/worklist.ts dates):
 *   - on or after the estimated EMPTY date: always refused (the pump would run dry before the
 *     visit: withdrawal), whatever the clinic's settings — the message names the date;
 *   - after the low-reservoir ALARM date: as the clinic's setting `bookingAfterAlarm` says
 *     (default 'refuse');
 *   - after the NEXT-DUE date: as `bookingAfterNextDue` says (default 'warn': needs a reason).
 * A pump already alarming or overdue may be booked for today (the earliest visit) without either.
 * 'warn' means the booking is saved only with a reason, which is kept on the appointment.
 */
import { compareDates, type CalendarDate } from './calendar';

export const BOOKING_POLICIES = ['refuse', 'warn'] as const;
export type BookingPolicy = (typeof BOOKING_POLICIES)[number];

/** The defaults (documented in README "The clinic's day"): refuse after the alarm date, warn after next-due. */
export const DEFAULT_BOOKING_AFTER_ALARM: BookingPolicy = 'refuse';
export const DEFAULT_BOOKING_AFTER_NEXT_DUE: BookingPolicy = 'warn';

export interface BookingDates {
  readonly nextDue: string | null;
  readonly alarmDate: string | null;
  readonly emptyDate: string | null;
}

export interface BookingPolicies {
  readonly bookingAfterAlarm: BookingPolicy;
  readonly bookingAfterNextDue: BookingPolicy;
}

/** What the rule says of a date: fine, needs a reason (`late`), or refused. */
export type BookingVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'needs_reason'; readonly message: string }
  | { readonly kind: 'refused'; readonly message: string };

/**
 * The rule for booking a refill of a pump on `date`. Example (hand-worked in appointments.test.ts):
 * next due 2026-12-10, alarm 12-17, empty 12-24, defaults: 12-10 ok; 12-11 needs a reason; 12-18
 * refused (after the alarm date); 12-24 refused (the empty date) even with both settings 'warn'.
 * A pump already empty by `today` may be booked for today only (a same-day visit).
 */
export function bookingVerdict(date: CalendarDate, dates: BookingDates, policies: BookingPolicies, today?: CalendarDate): BookingVerdict {
  // A pump already alarming or overdue is best seen today: today is never "after" those dates.
  const after = (limit: string | null) => limit !== null && compareDates(date, limit as CalendarDate) > 0 && (today === undefined || compareDates(date, today) > 0);
  if (dates.emptyDate !== null && compareDates(date, dates.emptyDate as CalendarDate) >= 0) {
    // A pump already empty (by today) is seen today: a same-day visit is the earliest there is, so
    // it may be booked for today, and never later.
    const emptyByToday = today !== undefined && compareDates(dates.emptyDate as CalendarDate, today) <= 0;
    if (emptyByToday && compareDates(date, today) === 0) return { kind: 'ok' };
    return {
      kind: 'refused',
      message: emptyByToday
        ? `The pump is estimated EMPTY since ${dates.emptyDate} (risk of withdrawal now): book it for today, not ${date}.`
        : `The pump is estimated EMPTY on ${dates.emptyDate}: a refill on ${date} would come after it runs dry (withdrawal). Book before ${dates.emptyDate}, or see the patient now.`,
    };
  }
  if (after(dates.alarmDate)) {
    const message = `${date} is after the pump's low-reservoir alarm date (${dates.alarmDate}).`;
    return policies.bookingAfterAlarm === 'refuse'
      ? { kind: 'refused', message: `${message} The clinic's setting refuses such a booking: book on or before ${dates.alarmDate}.` }
      : { kind: 'needs_reason', message: `${message} Give a reason to book it anyway.` };
  }
  if (after(dates.nextDue)) {
    const message = `${date} is after the pump's next refill date (${dates.nextDue}).`;
    return policies.bookingAfterNextDue === 'refuse'
      ? { kind: 'refused', message: `${message} The clinic's setting refuses such a booking: book on or before ${dates.nextDue}.` }
      : { kind: 'needs_reason', message: `${message} Give a reason to book it anyway.` };
  }
  return { kind: 'ok' };
}

/**
 * The volume the pharmacy prepares for a refill: the pump's reservoir volume (the usual fill: the
 * residual is withdrawn and the reservoir filled to its capacity), in µL. A clinic that fills less
 * sees this as the most it needs; the refill form records what was actually added.
 */
export function volumeToPrepareUl(reservoirUl: number): number {
  return reservoirUl;
}

/** One drug of one patient on the pharmacy's list. */
export interface PreparationLine {
  readonly drug: string;
  readonly unit: string;
  readonly concentrationNgPerMl: number;
  readonly volumeUl: number;
}

/** Totals per drug and concentration: volume (µL) and amount of drug (ng = µL × ng/mL / 1000). */
export interface PreparationTotal {
  readonly drug: string;
  readonly unit: string;
  readonly concentrationNgPerMl: number;
  readonly patients: number;
  readonly volumeUl: number;
  /** Exact: the sum of µL × ng/mL, divided by 1000 once (a whole number of ng when the sum allows; else rounded half up). */
  readonly amountNg: number;
}

/** Sums the lines per drug and concentration, in drug then concentration order. Integer arithmetic. */
export function preparationTotals(lines: readonly PreparationLine[]): PreparationTotal[] {
  const by = new Map<string, { drug: string; unit: string; concentrationNgPerMl: number; patients: number; volumeUl: number; ulNgPerMl: bigint }>();
  for (const l of lines) {
    const key = `${l.drug}\u0000${l.concentrationNgPerMl}`;
    const t = by.get(key) ?? { drug: l.drug, unit: l.unit, concentrationNgPerMl: l.concentrationNgPerMl, patients: 0, volumeUl: 0, ulNgPerMl: 0n };
    t.patients += 1;
    t.volumeUl += l.volumeUl;
    t.ulNgPerMl += BigInt(l.volumeUl) * BigInt(l.concentrationNgPerMl);
    by.set(key, t);
  }
  return [...by.values()]
    .sort((a, b) => a.drug.localeCompare(b.drug) || a.concentrationNgPerMl - b.concentrationNgPerMl)
    .map((t) => ({
      drug: t.drug,
      unit: t.unit,
      concentrationNgPerMl: t.concentrationNgPerMl,
      patients: t.patients,
      volumeUl: t.volumeUl,
      amountNg: Number((t.ulNgPerMl + 500n) / 1000n),
    }));
}

/** "HH:MM", 00:00 to 23:59. */
export function isClockTime(s: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(s);
}
