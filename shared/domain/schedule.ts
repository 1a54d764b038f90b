/**
 * When the next refill is due, and when a pump must be replaced.
 */
import { addMonths, compareDates, type CalendarDate } from './calendar';
import { plusDays } from './days';
import { alarmDate, emptyDate, type FillPeriod } from './reservoir';
import type { Microlitres } from './units';

/** A drug's stability figures (the clinic's drug list; null: not known). */
export interface StabilityFigures {
  readonly stabilityDays: number | null;
  readonly firstFillStabilityDays: number | null;
  /** The drug as supplied (ziconotide: 100 mcg/mL) and its own limit (84 days); absent or null: none. */
  readonly undilutedConcNgPerMl?: number | null | undefined;
  readonly undilutedStabilityDays?: number | null | undefined;
}

/**
 * How long a drug may stay in the pump after this fill: its first-fill limit for a new pump's first
 * fill (the fill with no residual to withdraw), when it has one and it is shorter; else its
 * stability limit (null: none known) — the undiluted limit instead when `undiluted` (see
 * `fillStabilityDays`). Reference: ziconotide, "new pump: refill within 14 days; then at least
 * every 40 days (diluted) / 84 days (undiluted)".
 * Example: ziconotide (40 days, first fill 14): a new pump's first fill → 14; any later fill → 40;
 * a later fill of undiluted drug → 84; a first fill of undiluted drug → still 14.
 */
export function stabilityLimitDays(drug: StabilityFigures, firstFill: boolean, undiluted = false): number | null {
  const base = undiluted && drug.undilutedStabilityDays != null ? drug.undilutedStabilityDays : drug.stabilityDays;
  const first = firstFill ? drug.firstFillStabilityDays : null;
  if (first === null) return base;
  return base === null ? first : Math.min(first, base);
}

/**
 * The stability limit of each drug of one fill (null: the drug is not in the list or has none).
 * The undiluted rule: a fill of ONE drug whose concentration is exactly the drug's undiluted
 * concentration takes the undiluted limit; anything else — a lower (or higher) concentration, or an
 * admixture, whose drugs dilute each other — is diluted and takes the ordinary limit. A new pump's
 * first fill keeps its shorter limit either way. Reference, section 8 (Prialt prescribing
 * information): ziconotide 100 mcg/mL → 84 days; 25 mcg/mL or in an admixture → 40; first fill → 14.
 */
export function fillStabilityDays(
  fill: readonly { readonly drug: StabilityFigures | null; readonly concentrationNgPerMl: number }[],
  firstFill: boolean,
): (number | null)[] {
  const only = fill.length === 1 ? fill[0]! : null;
  const undiluted =
    only !== null &&
    only.drug !== null &&
    only.drug.undilutedConcNgPerMl != null &&
    only.drug.undilutedStabilityDays != null &&
    only.concentrationNgPerMl === only.drug.undilutedConcNgPerMl;
  return fill.map((d) => (d.drug === null ? null : stabilityLimitDays(d.drug, firstFill, undiluted)));
}

/** Which rule decided the next refill date. */
export type NextDueRule = 'alarm' | 'stability' | 'max_interval';

/** Default days between the planned refill and the low-reservoir alarm date. */
export const DEFAULT_SAFETY_MARGIN_DAYS = 7;
/** Default longest interval between refills. */
export const DEFAULT_MAX_INTERVAL_DAYS = 180;
/** Default months before end of service when replacement planning starts. */
export const DEFAULT_REPLACEMENT_LEAD_MONTHS = 6;

/** Inputs of `nextRefillDue`. */
export interface NextDueInput {
  readonly period: FillPeriod;
  readonly alarmUl: Microlitres;
  /** Stability limit in days of each drug in the reservoir; null (unknown) entries are ignored. */
  readonly stabilityDays: readonly (number | null)[];
  /** Default 7. */
  readonly safetyMarginDays?: number;
  /** Default 180. */
  readonly maxIntervalDays?: number;
}

/** The next refill date, the rule that decided it, and the candidate dates behind it. */
export interface NextDue {
  readonly date: CalendarDate;
  readonly rule: NextDueRule;
  readonly alarmDate: CalendarDate | null;
  readonly emptyDate: CalendarDate | null;
  /** Alarm date − safety margin; null when there is no alarm date (rate 0). */
  readonly alarmRuleDate: CalendarDate | null;
  /** Refill date + the shortest known stability limit; null when no drug has a known limit. */
  readonly stabilityDate: CalendarDate | null;
  readonly maxIntervalDate: CalendarDate;
}

/**
 * The next refill date: the earliest of
 *   - 'alarm': alarm date − safety margin (default 7 days),
 *   - 'stability': refill date + the shortest stability limit among the drugs,
 *   - 'max_interval': refill date + maximum interval (default 180 days).
 * On a tie the rule listed first wins (alarm, then stability, then max_interval).
 * Example: baclofen 20 mL at 250 µL/day, alarm 2 mL → alarm 72 days after the refill, due 65 days after.
 */
export function nextRefillDue(input: NextDueInput): NextDue {
  const { period } = input;
  const margin = input.safetyMarginDays ?? DEFAULT_SAFETY_MARGIN_DAYS;
  const maxInterval = input.maxIntervalDays ?? DEFAULT_MAX_INTERVAL_DAYS;
  const alarm = alarmDate(period, input.alarmUl);
  const alarmRuleDate = alarm === null ? null : plusDays(alarm, -margin);
  const known = input.stabilityDays.filter((d): d is number => d !== null);
  const stabilityDate = known.length === 0 ? null : plusDays(period.refillDate, Math.min(...known));
  const maxIntervalDate = plusDays(period.refillDate, maxInterval);

  let date = maxIntervalDate;
  let rule: NextDueRule = 'max_interval';
  if (stabilityDate !== null && compareDates(stabilityDate, date) <= 0) {
    date = stabilityDate;
    rule = 'stability';
  }
  if (alarmRuleDate !== null && compareDates(alarmRuleDate, date) <= 0) {
    date = alarmRuleDate;
    rule = 'alarm';
  }
  return { date, rule, alarmDate: alarm, emptyDate: emptyDate(period), alarmRuleDate, stabilityDate, maxIntervalDate };
}

/** Inputs of `replacementDue`. */
export interface ReplacementInput {
  readonly implantDate: CalendarDate;
  readonly serviceLifeMonths: number;
  /** Default 6. */
  readonly leadMonths?: number;
  readonly today: CalendarDate;
}

/** When a pump reaches end of service and when replacement planning starts. */
export interface ReplacementDue {
  /** implant date + service life (months, clamped to month end). */
  readonly endOfServiceDate: CalendarDate;
  /** implant date + (service life − lead) months, counted from the implant date (clamped). */
  readonly replacementFromDate: CalendarDate;
  /** today ≥ replacementFromDate. */
  readonly due: boolean;
}

/**
 * Replacement planning. Both dates are counted from the implant date, so month-end clamping is
 * applied once: implant 2019-05-31, 84 months, lead 6 → end 2026-05-31, from 2025-11-30.
 */
export function replacementDue(input: ReplacementInput): ReplacementDue {
  const lead = input.leadMonths ?? DEFAULT_REPLACEMENT_LEAD_MONTHS;
  const endOfServiceDate = addMonths(input.implantDate, input.serviceLifeMonths);
  const replacementFromDate = addMonths(input.implantDate, input.serviceLifeMonths - lead);
  return { endOfServiceDate, replacementFromDate, due: compareDates(input.today, replacementFromDate) >= 0 };
}
