/**
 * Drug configuration (clinic-editable) and the seed drug list from the clinical reference
 * (docs: shared/reference/intrathecal-therapy.md, section 4). All masses are in nanograms.
 *
 * The seed values are DEFAULTS for a new clinic database, not clinical truth: the clinic reviews
 * and edits them. Every maximum below is UNCONFIRMED (see the comments).
 */
import type { MassUnit, NgPerDay, NgPerMl } from './units';

/** An inclusive range. */
export interface Range<T extends number> {
  readonly min: T;
  readonly max: T;
}

/**
 * What the clinic knows about one drug. `unit` is the unit family the drug is dosed in: an amount
 * of this drug written in the other unit is refused. Typical ranges produce warnings; the maximums
 * produce refusals when exceeded (strictly above). `stabilityDays`: how long the drug may stay in
 * the pump (null: unknown, ignored by the next-refill rule). `firstFillStabilityDays`: the shorter
 * limit of a new pump's first fill, when the drug has one (ziconotide: refill within 14 days, as
 * the new pump's surfaces take up some of the drug; null: the same limit as any fill).
 * `undilutedConcNgPerMl` / `undilutedStabilityDays`: the drug as supplied and its own limit, when
 * the label gives one (ziconotide 100 mcg/mL: 84 days, 40 diluted); see `fillStabilityDays`.
 */
export interface DrugConfig {
  readonly name: string;
  readonly unit: MassUnit;
  readonly typicalConcentration: Range<NgPerMl> | null;
  readonly maxConcentration: NgPerMl | null;
  readonly typicalDailyDose: Range<NgPerDay> | null;
  readonly maxDailyDose: NgPerDay | null;
  readonly stabilityDays: number | null;
  readonly firstFillStabilityDays: number | null;
  readonly undilutedConcNgPerMl?: number | null;
  readonly undilutedStabilityDays?: number | null;
  /**
   * Dose error reduction (the drug library's limits on the size of a change). A raise of the daily
   * dose by more than `maxStepUpSoftPct` % of the current dose, or by more than
   * `maxStepUpSoftNgPerDay`, or by more than `maxWeekStepUpSoftNgPerDay` over 7 days, is a soft
   * limit (a warning); by more than `maxStepUpHardPct` % a hard one (refused). Exactly at a limit is
   * allowed. null or absent: no such limit.
   */
  readonly maxStepUpSoftPct?: number | null;
  readonly maxStepUpHardPct?: number | null;
  readonly maxStepUpSoftNgPerDay?: number | null;
  readonly maxWeekStepUpSoftNgPerDay?: number | null;
  /** Where the limits come from (drug label, consensus table), named in every refusal; null: not given. */
  readonly limitsSource?: string | null;
}

/**
 * Folded names (trimmed, lower-cased in en-US) by name: a drug list names a handful of drugs and
 * every refill compares them again, while locale-aware lower-casing is slow. Bounded: cleared when
 * it holds FOLD_CACHE_MAX names, so odd input cannot make it grow without end.
 */
const folded = new Map<string, string>();
const FOLD_CACHE_MAX = 1024;

/** `name` as drug names are compared: trimmed, lower-cased in en-US (memoised; see `folded`). */
export function foldDrugName(name: string): string {
  let f = folded.get(name);
  if (f === undefined) {
    if (folded.size >= FOLD_CACHE_MAX) folded.clear();
    f = name.trim().toLocaleLowerCase('en-US');
    folded.set(name, f);
  }
  return f;
}

/** Compare drug names the way a person does: trimmed, case-insensitive. */
export function sameDrugName(a: string, b: string): boolean {
  return a === b || foldDrugName(a) === foldDrugName(b);
}

/** The configuration of the drug named `name` (trimmed, case-insensitive), or null. */
export function findDrug(configs: readonly DrugConfig[], name: string): DrugConfig | null {
  // sameDrugName(c.name, name) for each config in order, `name` folded once, in a loop rather than
  // find with a closure: this runs several times for each refill of an import.
  let key: string | undefined;
  for (let i = 0; i < configs.length; i++) {
    const c = configs[i]!;
    if (c.name === name || foldDrugName(c.name) === (key ??= foldDrugName(name))) return c;
  }
  return null;
}
