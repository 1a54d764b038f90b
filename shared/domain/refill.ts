/**
 * The residual check at a refill: what should have been left, what was withdrawn, and whether the
 * difference is large enough to investigate (pump under- or over-infusion, catheter problem, wrong
 * programming, or a previous pocket fill).
 *
 * Thresholds (Maino et al., Neuromodulation 2017;20:733): |discrepancy| > 1 mL in 20 mL pumps or
 * > 2 mL in 40 mL pumps is "potentially consequential". Here: reservoirs up to and including
 * 20 mL use 1.000 mL, larger ones 2.000 mL; flagged only when STRICTLY greater. All three numbers
 * are clinic settings with these defaults.
 */
import { fail, ok, type Result } from '../contract/result';
import { compareDates, type CalendarDate } from './calendar';
import { fillPeriod, levelUlOn, type FillPeriod, type RateChange } from './reservoir';
import type { Microlitres } from './units';

/** Discrepancy thresholds (clinic settings). */
export interface DiscrepancyThresholds {
  /** Threshold for reservoirs of at most `smallReservoirMaxUl`. Default 1000 µL (1.0 mL). */
  readonly smallUl: number;
  /** Threshold for larger reservoirs. Default 2000 µL (2.0 mL). */
  readonly largeUl: number;
  /** The largest reservoir that counts as small. Default 20000 µL (20 mL). */
  readonly smallReservoirMaxUl: number;
}

/** 1 mL for reservoirs ≤ 20 mL, 2 mL above. */
export const DEFAULT_DISCREPANCY_THRESHOLDS: DiscrepancyThresholds = { smallUl: 1000, largeUl: 2000, smallReservoirMaxUl: 20_000 };

/** The threshold that applies to a reservoir of `reservoirUl`. */
export function discrepancyThresholdUl(reservoirUl: Microlitres, thresholds: DiscrepancyThresholds = DEFAULT_DISCREPANCY_THRESHOLDS): Microlitres {
  return (reservoirUl <= thresholds.smallReservoirMaxUl ? thresholds.smallUl : thresholds.largeUl) as Microlitres;
}

/** The residual check of one refill. */
export interface ResidualAssessment {
  /** Expected residual, rounded to the nearest whole µL (halves up) BEFORE the difference is taken. */
  readonly expectedUl: Microlitres;
  readonly withdrawnUl: Microlitres;
  /** withdrawn − expected (positive: more left than expected, i.e. the pump under-infused). */
  readonly discrepancyUl: Microlitres;
  /** discrepancy / expected × 100, unrounded; null when the expected residual is 0. */
  readonly discrepancyPercent: number | null;
  readonly thresholdUl: Microlitres;
  /** |discrepancy| > threshold (strictly). */
  readonly flagged: boolean;
}

/**
 * Compare the withdrawn residual with the expected one.
 * Example: expected 9000 µL, withdrawn 8200 µL, 20 mL pump → discrepancy −800 µL (−8.9 %), not flagged.
 */
export function assessResidual(
  expectedUl: Microlitres,
  withdrawnUl: Microlitres,
  reservoirUl: Microlitres,
  thresholds: DiscrepancyThresholds = DEFAULT_DISCREPANCY_THRESHOLDS,
): ResidualAssessment {
  const discrepancyUl = (withdrawnUl - expectedUl) as Microlitres;
  const thresholdUl = discrepancyThresholdUl(reservoirUl, thresholds);
  return {
    expectedUl,
    withdrawnUl,
    discrepancyUl,
    discrepancyPercent: expectedUl === 0 ? null : (discrepancyUl / expectedUl) * 100,
    thresholdUl,
    flagged: Math.abs(discrepancyUl) > thresholdUl,
  };
}

/**
 * The expected residual at a refill on `date`: the level on that date projected from the previous
 * fill period (with its dose changes), rounded to the nearest µL (halves up).
 */
export function expectedResidualUl(previous: FillPeriod, date: CalendarDate): Microlitres {
  return levelUlOn(previous, date);
}

/** A refill as recorded: date, residual withdrawn (null if not measured), volume added. */
export interface RefillRecord {
  readonly date: CalendarDate;
  readonly withdrawnUl: Microlitres | null;
  readonly addedUl: Microlitres;
}

/** One refill of a history with its fill period and its residual check. */
export interface RefillAssessment {
  readonly refill: RefillRecord;
  readonly period: FillPeriod;
  /** Expected residual from the previous refill; null for the first refill of the history. */
  readonly expectedUl: Microlitres | null;
  /** The residual check; null for the first refill or when no residual was measured. */
  readonly residual: ResidualAssessment | null;
}

/**
 * Assess a pump's whole refill history (refills in any order; same-date refills keep their order).
 * `rates` holds every rate change of the pump (prescriptions at refills and dose changes).
 * Fails when a refill has no rate in effect on its date.
 */
export function assessRefills(
  refills: readonly RefillRecord[],
  rates: readonly RateChange[],
  reservoirUl: Microlitres,
  thresholds: DiscrepancyThresholds = DEFAULT_DISCREPANCY_THRESHOLDS,
): Result<RefillAssessment[]> {
  const sorted = refills
    .map((r, i) => ({ r, i }))
    .sort((a, b) => compareDates(a.r.date, b.r.date) || a.i - b.i)
    .map((x) => x.r);
  const out: RefillAssessment[] = [];
  let previous: FillPeriod | null = null;
  for (const refill of sorted) {
    const period = fillPeriod(refill.date, refill.addedUl, rates);
    if (!period.ok) return fail(period.error.code, `Refill of ${refill.date}: ${period.error.message}`, period.error.field);
    const expectedUl = previous === null ? null : expectedResidualUl(previous, refill.date);
    const residual =
      expectedUl === null || refill.withdrawnUl === null ? null : assessResidual(expectedUl, refill.withdrawnUl, reservoirUl, thresholds);
    out.push({ refill, period: period.value, expectedUl, residual });
    previous = period.value;
  }
  return ok(out);
}
