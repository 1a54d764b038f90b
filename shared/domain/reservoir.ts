/**
 * The reservoir level between two refills, piecewise over dose changes, exact.
 *
 * After a refill on date R the reservoir holds the volume added. On a later date d:
 *   level(d) = added − Σ over each day t = R .. d−1 of the rate in effect on day t, never below 0,
 * where the rate in effect on day t is the one of the latest rate change dated on or before t
 * (a dose change applies from its own date onward). With one rate r: level(R + n) = added − n·r.
 * Everything is computed on exact rationals; `levelUlOn` rounds only the final answer.
 */
import { fail, ok, type Result } from '../contract/result';
import { compareDates, MAX_EPOCH_DAY, type CalendarDate } from './calendar';
// The day conversions remembered (days.ts: calendar.ts's toEpochDay and fromEpochDay, same answers).
import { dateOfEpochDay, epochDayOf } from './days';
import { isFlowRate, rateToRational, type FlowRate } from './flow';
import { add, clampAtZero, div, floor, mulInt, ratInt, roundHalfUp, sub, toSafeNumber, ZERO, type Rational } from './rational';
import { floorDiv, gcdInt, SAFE } from './safe-int';
import type { Microlitres } from './units';

/** A rate that applies from `from` onward (a prescription at a refill, or a dose change). */
export interface RateChange {
  readonly from: CalendarDate;
  readonly rate: FlowRate;
}

/**
 * The interval from one refill on: the volume added and the rates in effect from the refill date
 * on. Make one with `fillPeriod`; `segments[0].from` is the refill date and the dates strictly
 * increase.
 */
export interface FillPeriod {
  readonly refillDate: CalendarDate;
  readonly addedUl: Microlitres;
  readonly segments: readonly RateChange[];
}

/**
 * Projections stop this many days (100 years) after the refill: an alarm or empty date further
 * away is reported as null ("not in the foreseeable future"), like a pump that is turned off.
 */
export const MAX_PROJECTION_DAYS = 36_525;

/**
 * Build the fill period of a refill. `rates` may hold the whole pump history in any order: the
 * rate in effect on the refill date is the latest one dated on or before it (of several on the same
 * date, the last listed wins). Refuses (`invalid_input`) when no rate is in effect on the refill
 * date, or the volume or a rate is malformed.
 */
export function fillPeriod(refillDate: CalendarDate, addedUl: Microlitres, rates: readonly RateChange[]): Result<FillPeriod> {
  if (!Number.isSafeInteger(addedUl) || addedUl < 0) {
    return fail('invalid_input', 'The volume added must be a whole number of µL, at least 0.', 'addedUl');
  }
  for (const r of rates) {
    if (!isFlowRate(r.rate)) return fail('invalid_input', `The flow rate from ${r.from} is malformed.`, 'rates');
  }
  // By date, in the given order among the same date (a history usually comes in date order already).
  let inOrder = true;
  for (let i = 1; i < rates.length && inOrder; i++) inOrder = compareDates(rates[i - 1]!.from, rates[i]!.from) <= 0;
  const sorted = inOrder
    ? rates
    : rates
        .map((r, i) => ({ r, i }))
        .sort((a, b) => compareDates(a.r.from, b.r.from) || a.i - b.i)
        .map((x) => x.r);
  let current: RateChange | null = null;
  const later: RateChange[] = [];
  for (const r of sorted) {
    if (compareDates(r.from, refillDate) <= 0) current = r;
    else if (later.length > 0 && later[later.length - 1]?.from === r.from) later[later.length - 1] = r;
    else later.push(r);
  }
  if (current === null) {
    return fail('invalid_input', `No prescription rate is in effect on the refill date ${refillDate}.`, 'rates');
  }
  return ok({ refillDate, addedUl, segments: [{ from: refillDate, rate: current.rate }, ...later] });
}

/** Each segment as [start epoch day, end epoch day or null for the last, exact rate]. */
function spans(period: FillPeriod): { start: number; end: number | null; rate: Rational }[] {
  return period.segments.map((s, i) => {
    const next = period.segments[i + 1];
    return { start: epochDayOf(s.from), end: next === undefined ? null : epochDayOf(next.from), rate: rateToRational(s.rate) };
  });
}

/** Exact volume delivered on days refillDate .. date−1. */
function consumedBefore(period: FillPeriod, date: CalendarDate): Rational {
  const day = epochDayOf(date);
  let total = ZERO;
  for (const s of spans(period)) {
    const stop = s.end === null ? day : Math.min(s.end, day);
    if (stop > s.start) total = add(total, mulInt(s.rate, BigInt(stop - s.start)));
  }
  return total;
}

/**
 * The exact level on `date` (at the start of that day, before any refill that day). On or before
 * the refill date it is the volume added.
 */
export function levelExact(period: FillPeriod, date: CalendarDate): Rational {
  return clampAtZero(sub(ratInt(period.addedUl), consumedBefore(period, date)));
}

/** The level on `date` in µL, rounded to the nearest µL (halves up). See `levelExact`. */
export function levelUlOn(period: FillPeriod, date: CalendarDate): Microlitres {
  const scaled = scaledSpans(period);
  if (scaled !== null) {
    const consumed = scaledConsumedBefore(scaled, epochDayOf(date));
    if (consumed !== null) {
      // level × D = added × D − consumed × D; rounded half up: floor((2·level·D + D) / 2D).
      const level = scaled.addedScaled - consumed;
      if (level <= 0) return 0 as Microlitres;
      const twice = 2 * level + scaled.scale;
      if (twice <= Number.MAX_SAFE_INTEGER) return floorDiv(twice, 2 * scaled.scale) as Microlitres;
    }
  }
  return toSafeNumber(roundHalfUp(levelExact(period, date))) as Microlitres;
}

/** refill date + k days as a date, or null beyond the projection horizon. */
function dayAfterRefill(period: FillPeriod, day: bigint): CalendarDate | null {
  const start = BigInt(epochDayOf(period.refillDate));
  if (day - start > BigInt(MAX_PROJECTION_DAYS) || day > BigInt(MAX_EPOCH_DAY)) return null;
  return dateOfEpochDay(Number(day));
}

/**
 * The low-reservoir alarm date: the LAST calendar day on which the level is still ≥ `alarmUl`.
 * With one rate r: refillDate + floor((added − alarm) / r) days, computed exactly.
 * - rate 0 from some point on with the level still ≥ alarm: null (the pump never reaches it);
 * - added < alarm: the refill date itself (the pump is below the alarm volume at once);
 * - alarmUl ≤ 0: null (no alarm: the level never drops below 0);
 * - beyond MAX_PROJECTION_DAYS: null.
 * Example: 20000 µL at 250 µL/day, alarm 2000 µL → floor(18000 / 250) = 72 days after the refill.
 */
export function alarmDate(period: FillPeriod, alarmUl: Microlitres): CalendarDate | null {
  if (alarmUl <= 0) return null;
  const scaled = scaledSpans(period);
  if (scaled !== null && period.addedUl - alarmUl >= 0) {
    const margin = (period.addedUl - alarmUl) * scaled.scale;
    if (margin <= Number.MAX_SAFE_INTEGER) {
      const found = scaledCrossing(scaled, margin, false);
      if (found !== undefined) return found;
    }
  }
  return alarmDateBigInt(period, alarmUl);
}

/** `alarmDate` on BigInt rationals: the reference, and the path for values too large for the safe-integer one. */
function alarmDateBigInt(period: FillPeriod, alarmUl: Microlitres): CalendarDate | null {
  if (alarmUl <= 0) return null;
  const margin = ratInt(period.addedUl - alarmUl); // added − alarm
  if (margin.n < 0n) return period.refillDate;
  let consumed = ZERO;
  for (const s of spans(period)) {
    // Here level(s.start) = added − consumed ≥ alarm.
    if (s.rate.n === 0n) {
      if (s.end === null) return null;
      continue;
    }
    const k = floor(div(sub(margin, consumed), s.rate)); // last k with added − consumed − k·r ≥ alarm
    if (s.end === null || BigInt(s.start) + k < BigInt(s.end)) return dayAfterRefill(period, BigInt(s.start) + k);
    consumed = add(consumed, mulInt(s.rate, BigInt(s.end - s.start)));
  }
  return null; // unreachable: the last segment has no end
}

/**
 * The empty date: the day the reservoir runs dry — the LAST calendar day whose level at the start
 * of the day is still ≥ 0 before it would go below, i.e. the day during which the level crosses
 * 0 mL. It is the alarm-date rule with an alarm volume of 0. When the level is exactly 0 at the
 * start of a day, that day. With one rate r: refillDate + floor(added / r) days, computed exactly.
 * - nothing added: the refill date itself;
 * - the rate is 0 from some point on with the level still above 0: null (never empty); when the
 *   level is exactly 0 at the start of that rate-0 segment, the segment's first day;
 * - beyond MAX_PROJECTION_DAYS: null.
 * Examples: 20000 µL at 300 µL/day → floor(66.67) = 66 days after the refill (66 × 300 = 19800,
 * 200 µL left that morning); 20000 µL at 250 µL/day → floor(80) = 80 (0 µL at the start of day 80).
 * (Before issue 13 this was the first day at 0, ceil(added / r): one day later unless exact.)
 */
export function emptyDate(period: FillPeriod): CalendarDate | null {
  const scaled = scaledSpans(period);
  if (scaled !== null) {
    const found = scaledCrossing(scaled, scaled.addedScaled, true);
    if (found !== undefined) return found;
  }
  return emptyDateBigInt(period);
}

/** `emptyDate` on BigInt rationals: the reference, and the path for values too large for the safe-integer one. */
function emptyDateBigInt(period: FillPeriod): CalendarDate | null {
  const added = ratInt(period.addedUl);
  let consumed = ZERO;
  for (const s of spans(period)) {
    // Here level(s.start) = added − consumed ≥ 0.
    const left = sub(added, consumed);
    if (s.rate.n === 0n) {
      // Exactly 0 at the start of a segment that delivers nothing: empty that day.
      if (left.n === 0n) return dayAfterRefill(period, BigInt(s.start));
      if (s.end === null) return null;
      continue;
    }
    const k = floor(div(left, s.rate)); // last k with added − consumed − k·r ≥ 0
    if (s.end === null || BigInt(s.start) + k < BigInt(s.end)) return dayAfterRefill(period, BigInt(s.start) + k);
    consumed = add(consumed, mulInt(s.rate, BigInt(s.end - s.start)));
  }
  return null; // unreachable: the last segment has no end
}

// ---- the same answers in safe-integer arithmetic ----------------------------------------------
//
// Every rate of a period is num/den µL/day. With D the least common multiple of the dens, each rate
// is a whole number of (1/D) µL/day, so volumes times D are whole numbers and the level, alarm and
// empty dates are exact integer divisions. When every such integer is a safe integer (checked at
// each step: a sum or product of non-negative whole numbers is exact exactly when its double is at
// most MAX_SAFE_INTEGER), the answers are those of the BigInt rationals above; otherwise (huge
// volumes or rates) the BigInt path answers. reservoir.test.ts checks the two agree, boundaries and
// huge values included.

/** A period's segments with their rates scaled by `scale` (D): whole µL/day × D. */
interface ScaledSpans {
  readonly scale: number;
  readonly addedScaled: number;
  readonly refillDay: number;
  readonly spans: readonly { readonly start: number; readonly end: number | null; readonly rate: number }[];
}

/**
 * The scaled form of the period last asked about (null: it does not fit safe integers): a refill's
 * alarm and empty dates are asked of the same period one after the other. A FillPeriod is
 * immutable, so the same object has the same scaled form.
 */
let lastPeriod: FillPeriod | null = null;
let lastScaled: ScaledSpans | null = null;


function scaledSpans(period: FillPeriod): ScaledSpans | null {
  if (period !== lastPeriod) {
    lastScaled = computeScaledSpans(period);
    lastPeriod = period;
  }
  return lastScaled;
}

function computeScaledSpans(period: FillPeriod): ScaledSpans | null {
  let scale = 1;
  for (const s of period.segments) {
    if (!isFlowRate(s.rate)) return null;
    scale = (scale / gcdInt(scale, s.rate.den)) * s.rate.den;
    if (scale > SAFE) return null;
  }
  const addedScaled = period.addedUl * scale;
  if (!Number.isSafeInteger(period.addedUl) || period.addedUl < 0 || addedScaled > SAFE) return null;
  const spans: { start: number; end: number | null; rate: number }[] = [];
  const segments = period.segments;
  let start = segments.length > 0 ? epochDayOf(segments[0]!.from) : 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const next = segments[i + 1];
    const rate = s.rate.num * (scale / s.rate.den);
    if (rate > SAFE) return null;
    const end = next === undefined ? null : epochDayOf(next.from);
    spans.push({ start, end, rate });
    if (end !== null) start = end;
  }
  const first = period.segments[0];
  const refillDay = first !== undefined && first.from === period.refillDate ? (spans[0]?.start ?? 0) : epochDayOf(period.refillDate);
  return { scale, addedScaled, refillDay, spans };
}

/** consumedBefore × D, or null when it does not fit a safe integer. */
function scaledConsumedBefore(scaled: ScaledSpans, day: number): number | null {
  let total = 0;
  for (const s of scaled.spans) {
    const stop = s.end === null ? day : Math.min(s.end, day);
    if (stop > s.start) {
      const part = s.rate * (stop - s.start);
      total += part;
      if (part > SAFE || total > SAFE) return null;
    }
  }
  return total;
}

/**
 * The last day whose level at its start is still within `budget` (× D) of consumption: alarmDate
 * with budget (added − alarm) × D, emptyDate with added × D. With `zeroAtStartCounts` (emptyDate),
 * a segment that delivers nothing and starts with the budget used up exactly answers its first day
 * (the level is exactly 0 that morning). Undefined when a value does not fit a safe integer (the
 * caller falls back to BigInt).
 */
function scaledCrossing(scaled: ScaledSpans, budget: number, zeroAtStartCounts: boolean): CalendarDate | null | undefined {
  let consumed = 0;
  for (const s of scaled.spans) {
    const left = budget - consumed;
    if (s.rate === 0) {
      if (zeroAtStartCounts && left === 0) return dayOf(scaled, s.start);
      if (s.end === null) return null;
      continue;
    }
    const k = floorDiv(left, s.rate);
    if (s.end === null || k < s.end - s.start) return dayOf(scaled, s.start + k);
    const part = s.rate * ((s.end as number) - s.start);
    consumed += part;
    if (part > SAFE || consumed > SAFE) return undefined;
  }
  return null; // unreachable: the last segment has no end
}

/** An epoch day as a date; null beyond the projection horizon or the last supported date (as dayAfterRefill). */
function dayOf(scaled: ScaledSpans, day: number): CalendarDate | null {
  if (day - scaled.refillDay > MAX_PROJECTION_DAYS) return null;
  return day > MAX_EPOCH_DAY ? null : dateOfEpochDay(day);
}

/** The BigInt paths, for the tests that prove the safe-integer ones give the same answers. */
export const bigIntReference = {
  alarmDate: alarmDateBigInt,
  emptyDate: emptyDateBigInt,
  levelUlOn: (period: FillPeriod, date: CalendarDate): Microlitres => toSafeNumber(roundHalfUp(levelExact(period, date))) as Microlitres,
};

/** The rate in effect on `date` within the period (the first segment's before the refill date). */
export function rateOn(period: FillPeriod, date: CalendarDate): FlowRate {
  let rate = period.segments[0]?.rate ?? { num: 0, den: 1 };
  for (const s of period.segments) if (compareDates(s.from, date) <= 0) rate = s.rate;
  return rate;
}

