/**
 * The reservoir chart of one pump: the estimated level (a sawtooth: down between refills, up at
 * each refill), the measured residuals with their check, the projection from today to the alarm
 * and empty dates, and dose-change markers. Plus `downsample`, which thins a series to the width of
 * a chart without losing its peaks and troughs.
 *
 * Between two refills the level is piecewise linear in the day: it bends only where the rate
 * changes and where it reaches 0. So the series holds the level (exact, rounded to the nearest µL
 * only at the end) at those breakpoints, at the low-reservoir alarm date and at the end of each
 * interval; a straight line between two consecutive points gives the level of every day in
 * between (to within the rounding of its two ends, < 1 µL). A 25-year history is about five
 * points a refill instead of one a day.
 */
import { fail, ok, type Result } from '../contract/result';
import { addDays, compareDates, fromEpochDay, toEpochDay, type CalendarDate } from './calendar';
import { compareFlowRates, dailyVolumeUl, isFlowRate, type FlowRate } from './flow';
import { assessResidual, DEFAULT_DISCREPANCY_THRESHOLDS, expectedResidualUl, type DiscrepancyThresholds, type RefillRecord } from './refill';
import { alarmDate, emptyDate, fillPeriod, levelExact, levelUlOn, type FillPeriod, type RateChange } from './reservoir';
import type { Microlitres } from './units';

/** One point of the estimated level. `day` is the epoch day (a numeric x axis). */
export interface LevelPoint {
  readonly date: CalendarDate;
  readonly day: number;
  readonly levelUl: Microlitres;
  /**
   * 'estimate': the level at the start of a day where the line bends (a rate change, the last day
   * before the reservoir is empty, the empty date), the alarm date, or the last day of the interval
   * (the day before the next refill, or today);
   * 'before_refill': the expected residual on a refill day (not for the first refill);
   * 'after_refill': the volume added (the same date as the 'before_refill' point).
   */
  readonly kind: 'estimate' | 'before_refill' | 'after_refill';
}

/** A measured residual and its check. */
export interface ResidualPoint {
  readonly date: CalendarDate;
  readonly day: number;
  readonly withdrawnUl: Microlitres;
  readonly expectedUl: Microlitres;
  readonly discrepancyUl: Microlitres;
  readonly discrepancyPercent: number | null;
  readonly thresholdUl: Microlitres;
  readonly flagged: boolean;
}

/** A point of the projection from today. */
export interface ProjectionPoint {
  readonly date: CalendarDate;
  readonly day: number;
  readonly levelUl: Microlitres;
  /** 'empty': the empty date (the day it runs dry); 'dry': the next morning, at 0, when the level was above 0 on the empty date. */
  readonly marker: 'today' | 'rate_change' | 'alarm' | 'empty' | 'dry';
}

/** A day on which the programmed rate changed (after the first refill, up to today). */
export interface DoseChangeMarker {
  readonly date: CalendarDate;
  readonly day: number;
  readonly levelUl: Microlitres;
  readonly rate: FlowRate;
  /** The new daily volume, nearest µL, for the label. */
  readonly dailyVolumeUl: Microlitres;
}

/** Everything the chart draws. All arrays are in date order. */
export interface LevelSeries {
  readonly levels: LevelPoint[];
  readonly residuals: ResidualPoint[];
  readonly projection: ProjectionPoint[];
  readonly alarmDate: CalendarDate | null;
  readonly emptyDate: CalendarDate | null;
  readonly doseChanges: DoseChangeMarker[];
}

/** Inputs of `levelSeries`. */
export interface LevelSeriesInput {
  readonly refills: readonly RefillRecord[];
  /** Every rate change of the pump: the prescription of each refill and each dose change. */
  readonly rates: readonly RateChange[];
  readonly today: CalendarDate;
  readonly alarmUl: Microlitres;
  readonly reservoirUl: Microlitres;
  readonly thresholds?: DiscrepancyThresholds;
  /**
   * The days therapy was stopped (a therapy reversal, `from`, up to the restart's fill, or open
   * while the pump stays off: `to` null). The level ends on the reversal day; the refill that
   * restarts therapy has no expected residual (nothing flowed); a pump off now has no projection.
   */
  readonly stops?: readonly TherapyStop[];
}

/** A therapy reversal and, when therapy restarted, the restart's date. */
export interface TherapyStop {
  readonly from: CalendarDate;
  readonly to: CalendarDate | null;
}

interface DatedRate {
  readonly day: number;
  readonly change: RateChange;
}

/** Index of the first entry dated after `day` (entries sorted by day). */
function firstAfter(rates: readonly DatedRate[], day: number): number {
  let lo = 0;
  let hi = rates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rates[mid]?.day ?? Infinity) <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rate changes a fill period from `day` needs up to `lastDay`: the one in effect on `day` (the
 * last listed of the latest date on or before it) and those dated up to `lastDay`. `fillPeriod` on
 * this slice gives the same levels up to `lastDay` as on the whole history, without sorting the
 * whole history again for every refill.
 */
function ratesFor(sorted: readonly DatedRate[], day: number, lastDay: number): RateChange[] {
  return sorted.slice(Math.max(0, firstAfter(sorted, day) - 1), firstAfter(sorted, lastDay)).map((r) => r.change);
}

/** The period with only the segments that start on or before `lastDay` (its levels up to then are the same). */
function until(period: FillPeriod, lastDay: number): FillPeriod {
  return { ...period, segments: period.segments.filter((s, i) => i === 0 || toEpochDay(s.from) <= lastDay) };
}

/**
 * The breakpoints of one interval, refill day excluded, up to `lastDay` included: the rate
 * changes, the alarm date, the empty date (the day the level crosses 0) with the days either side
 * (the first day at 0 is the day after it, or the empty date itself when the level is exactly 0 that
 * morning), and `lastDay` itself.
 */
function intervalPoints(period: FillPeriod, lastDay: number, alarmUl: Microlitres): LevelPoint[] {
  const refillDay = toEpochDay(period.refillDate);
  if (lastDay <= refillDay) return [];
  const days = new Set<number>([lastDay]);
  for (const s of period.segments.slice(1)) days.add(toEpochDay(s.from));
  const alarm = alarmDate(period, alarmUl);
  if (alarm !== null) days.add(toEpochDay(alarm));
  const empty = emptyDate(period);
  if (empty !== null) {
    const e = toEpochDay(empty);
    // The line bends on the first morning at 0: the day after the empty date, or the empty date itself when exact.
    days.add(e);
    days.add(levelExact(period, empty).n > 0n ? e + 1 : e - 1);
  }
  return [...days]
    .filter((d) => d > refillDay && d <= lastDay)
    .sort((a, b) => a - b)
    .map((day) => {
      const date = fromEpochDay(day);
      return { date, day, levelUl: levelUlOn(period, date), kind: 'estimate' };
    });
}

/**
 * Build the chart series from the first refill through `today` (refills dated after today are
 * ignored). Empty arrays when there is no refill on or before today. Fails when a refill has no
 * rate in effect on its date, or a rate is malformed.
 */
export function levelSeries(input: LevelSeriesInput): Result<LevelSeries> {
  const { today } = input;
  const todayDay = toEpochDay(today);
  const thresholds = input.thresholds ?? DEFAULT_DISCREPANCY_THRESHOLDS;
  for (const r of input.rates) {
    if (!isFlowRate(r.rate)) return fail('invalid_input', `The flow rate from ${r.from} is malformed.`, 'rates');
  }
  const sorted: DatedRate[] = input.rates
    .map((change, i) => ({ day: toEpochDay(change.from), change, i }))
    .sort((a, b) => a.day - b.day || a.i - b.i);
  // Same-date refills keep their order.
  const past = input.refills
    .map((refill, i) => ({ refill, day: toEpochDay(refill.date), i }))
    .filter((r) => r.day <= todayDay)
    .sort((a, b) => a.day - b.day || a.i - b.i);

  const stopDays = (input.stops ?? []).map((s) => toEpochDay(s.from)).sort((a, b) => a - b);
  const levels: LevelPoint[] = [];
  const residuals: ResidualPoint[] = [];
  let previous: FillPeriod | null = null;
  let stoppedBefore = false;
  let stoppedNow = false;
  for (const [i, { refill, day }] of past.entries()) {
    const next = past[i + 1];
    // The last interval keeps every later rate change, for the projection.
    const built = fillPeriod(refill.date, refill.addedUl, next === undefined ? ratesFor(sorted, day, Infinity) : ratesFor(sorted, day, next.day));
    if (!built.ok) return fail(built.error.code, `Refill of ${refill.date}: ${built.error.message}`, built.error.field);
    const period = built.value;
    if (previous !== null && !stoppedBefore) {
      const expectedUl = expectedResidualUl(previous, refill.date);
      levels.push({ date: refill.date, day, levelUl: expectedUl, kind: 'before_refill' });
      if (refill.withdrawnUl !== null) residuals.push({ date: refill.date, day, ...assessResidual(expectedUl, refill.withdrawnUl, input.reservoirUl, thresholds) });
    }
    levels.push({ date: refill.date, day, levelUl: refill.addedUl, kind: 'after_refill' });
    let lastDay = next === undefined ? todayDay : next.day - 1;
    // A therapy reversal in this interval ends the level on its day (on or after the refill).
    const stop = stopDays.find((d) => d >= day && (next === undefined || d < next.day));
    stoppedBefore = stop !== undefined;
    if (stop !== undefined) lastDay = Math.min(lastDay, stop);
    levels.push(...intervalPoints(until(period, lastDay), lastDay, input.alarmUl));
    stoppedNow = stop !== undefined && next === undefined;
    previous = period;
  }

  // A pump turned off has no projection, no alarm and no empty date.
  if (stoppedNow) return ok({ levels, residuals, projection: [], alarmDate: null, emptyDate: null, doseChanges: doseChangeMarkers(sorted, levels, past[0]?.day ?? Infinity, todayDay) });
  // The current fill period: the last refill's.
  if (previous === null) return ok({ levels, residuals, projection: [], alarmDate: null, emptyDate: null, doseChanges: [] });
  const period = previous;
  const alarm = alarmDate(period, input.alarmUl);
  const empty = emptyDate(period);

  const projection: ProjectionPoint[] = [];
  const project = (date: CalendarDate, marker: ProjectionPoint['marker']) =>
    projection.push({ date, day: toEpochDay(date), levelUl: levelUlOn(period, date), marker });
  project(today, 'today');
  for (const s of period.segments.slice(1)) {
    if (compareDates(s.from, today) > 0 && (empty === null || compareDates(s.from, empty) < 0)) project(s.from, 'rate_change');
  }
  if (alarm !== null && compareDates(alarm, today) >= 0) project(alarm, 'alarm');
  if (empty !== null && compareDates(empty, today) >= 0) {
    project(empty, 'empty');
    // The reservoir runs dry during the empty date: the line reaches 0 the next morning.
    if (levelExact(period, empty).n > 0n) project(addDays(empty, 1), 'dry');
  }
  projection.sort((a, b) => a.day - b.day); // stable: on one date the order is today, rate_change, alarm, empty, dry

  return ok({ levels, residuals, projection, alarmDate: alarm, emptyDate: empty, doseChanges: doseChangeMarkers(sorted, levels, past[0]?.day ?? Infinity, todayDay) });
}

/**
 * A marker on each date after the first refill, up to today, where the rate in effect (the last
 * listed change on or before the date) differs from the day before's. Every such date is a point
 * of `levels` (a refill's 'after_refill' point or a breakpoint), which gives the marker its level.
 */
function doseChangeMarkers(sorted: readonly DatedRate[], levels: readonly LevelPoint[], firstDay: number, todayDay: number): DoseChangeMarker[] {
  const levelOn = new Map<number, Microlitres>();
  for (const p of levels) if (p.kind !== 'before_refill' && !levelOn.has(p.day)) levelOn.set(p.day, p.levelUl);
  const markers: DoseChangeMarker[] = [];
  let before: FlowRate | null = null;
  sorted.forEach((r, i) => {
    if (sorted[i + 1]?.day === r.day) return; // the last listed of its date is the one in effect
    const now = r.change.rate;
    if (r.day > firstDay && r.day <= todayDay && (before === null || compareFlowRates(now, before) !== 0)) {
      const date = fromEpochDay(r.day);
      markers.push({ date, day: r.day, levelUl: levelOn.get(r.day) ?? (0 as Microlitres), rate: now, dailyVolumeUl: dailyVolumeUl(now) });
    }
    before = now;
  });
  return markers;
}

/**
 * Thin `points` to at most `maxPoints` while keeping the peaks and troughs: the first and last
 * points are kept, the rest is cut into ⌊(maxPoints − 2) / 2⌋ buckets and each bucket keeps its
 * lowest and highest point, in their original order. The global minimum and maximum therefore
 * always survive. A series that already fits is returned as a copy. With maxPoints 2 or 3, the
 * global minimum and maximum (then the first point) are kept; 1 keeps the minimum; 0 or less
 * returns an empty array.
 */
export function downsample<T extends { readonly levelUl: number }>(points: readonly T[], maxPoints: number): T[] {
  const n = points.length;
  const max = Math.floor(maxPoints);
  if (n <= max) return points.slice();
  if (max <= 0) return [];
  let minI = 0;
  let maxI = 0;
  points.forEach((p, i) => {
    if (p.levelUl < (points[minI]?.levelUl ?? Infinity)) minI = i;
    if (p.levelUl > (points[maxI]?.levelUl ?? -Infinity)) maxI = i;
  });
  const pick = (indices: number[]): T[] =>
    [...new Set(indices)]
      .sort((a, b) => a - b)
      .map((i) => points[i])
      .filter((p): p is T => p !== undefined);
  if (max < 4) {
    const chosen: number[] = [];
    for (const i of [minI, maxI, 0, n - 1]) if (!chosen.includes(i) && chosen.length < max) chosen.push(i);
    return pick(chosen);
  }

  const buckets = Math.floor((max - 2) / 2);
  const inner = n - 2;
  const kept = [0, n - 1];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets); // exclusive
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      const v = points[i]?.levelUl ?? 0;
      if (v < (points[lo]?.levelUl ?? 0)) lo = i;
      if (v > (points[hi]?.levelUl ?? 0)) hi = i;
    }
    if (to > from) kept.push(lo, hi);
  }
  return pick(kept);
}
