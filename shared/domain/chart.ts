/**
 * The reservoir chart of one pump: the estimated level day by day (a sawtooth: down between
 * refills, up at each refill), the measured residuals with their check, the projection from today
 * to the alarm and empty dates, and dose-change markers. Plus `downsample`, which thins a series
 * to the width of a chart without losing its peaks and troughs.
 */
import { ok, type Result } from '../contract/result';
import { addDays, compareDates, toEpochDay, type CalendarDate } from './calendar';
import { compareFlowRates, dailyVolumeUl, type FlowRate } from './flow';
import { assessRefills, DEFAULT_DISCREPANCY_THRESHOLDS, type DiscrepancyThresholds, type RefillRecord } from './refill';
import { alarmDate, emptyDate, levelUlOn, type RateChange } from './reservoir';
import type { Microlitres } from './units';

/** One point of the estimated level. `day` is the epoch day (a numeric x axis). */
export interface LevelPoint {
  readonly date: CalendarDate;
  readonly day: number;
  readonly levelUl: Microlitres;
  /**
   * 'estimate': the level at the start of an ordinary day;
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
  readonly marker: 'today' | 'rate_change' | 'alarm' | 'empty';
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
}

/** The rate in effect on `date` by the whole history (latest change on or before; last listed wins). */
function rateInEffect(rates: readonly RateChange[], date: CalendarDate): FlowRate | null {
  let best: RateChange | null = null;
  for (const r of rates) {
    if (compareDates(r.from, date) <= 0 && (best === null || compareDates(r.from, best.from) >= 0)) best = r;
  }
  return best === null ? null : best.rate;
}

/**
 * Build the chart series from the first refill through `today` (refills dated after today are
 * ignored). Empty arrays when there is no refill on or before today. Fails when a refill has no
 * rate in effect on its date.
 */
export function levelSeries(input: LevelSeriesInput): Result<LevelSeries> {
  const { today } = input;
  const past = input.refills.filter((r) => compareDates(r.date, today) <= 0);
  const assessed = assessRefills(past, input.rates, input.reservoirUl, input.thresholds ?? DEFAULT_DISCREPANCY_THRESHOLDS);
  if (!assessed.ok) return assessed;
  const history = assessed.value;
  const levels: LevelPoint[] = [];
  const residuals: ResidualPoint[] = [];
  const point = (date: CalendarDate, levelUl: Microlitres, kind: LevelPoint['kind']): LevelPoint => ({ date, day: toEpochDay(date), levelUl, kind });

  history.forEach((a, i) => {
    const date = a.refill.date;
    if (a.expectedUl !== null) levels.push(point(date, a.expectedUl, 'before_refill'));
    levels.push(point(date, a.refill.addedUl, 'after_refill'));
    if (a.residual !== null) residuals.push({ date, day: toEpochDay(date), ...a.residual });
    const next = history[i + 1];
    const last = next === undefined ? today : addDays(next.refill.date, -1);
    for (let d = addDays(date, 1); compareDates(d, last) <= 0; d = addDays(d, 1)) {
      levels.push(point(d, levelUlOn(a.period, d), 'estimate'));
    }
  });

  const current = history[history.length - 1];
  if (current === undefined) return ok({ levels, residuals, projection: [], alarmDate: null, emptyDate: null, doseChanges: [] });
  const period = current.period;
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
  if (empty !== null && compareDates(empty, today) >= 0) project(empty, 'empty');
  projection.sort((a, b) => a.day - b.day); // stable: on one date the order is today, rate_change, alarm, empty

  const first = history[0];
  const doseChanges: DoseChangeMarker[] = [];
  if (first !== undefined) {
    const dates = [...new Set(input.rates.map((r) => r.from))]
      .filter((d) => compareDates(d, first.refill.date) > 0 && compareDates(d, today) <= 0)
      .sort(compareDates);
    for (const date of dates) {
      const now = rateInEffect(input.rates, date);
      const before = rateInEffect(input.rates, addDays(date, -1));
      if (now === null || (before !== null && compareFlowRates(now, before) === 0)) continue;
      const level = levels.find((p) => p.date === date && p.kind !== 'before_refill');
      doseChanges.push({ date, day: toEpochDay(date), levelUl: level?.levelUl ?? (0 as Microlitres), rate: now, dailyVolumeUl: dailyVolumeUl(now) });
    }
  }
  return ok({ levels, residuals, projection, alarmDate: alarm, emptyDate: empty, doseChanges });
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
