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
 * the pump (null: unknown, ignored by the next-refill rule).
 */
export interface DrugConfig {
  readonly name: string;
  readonly unit: MassUnit;
  readonly typicalConcentration: Range<NgPerMl> | null;
  readonly maxConcentration: NgPerMl | null;
  readonly typicalDailyDose: Range<NgPerDay> | null;
  readonly maxDailyDose: NgPerDay | null;
  readonly stabilityDays: number | null;
}

/** Compare drug names the way a person does: trimmed, case-insensitive. */
export function sameDrugName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('en-US') === b.trim().toLocaleLowerCase('en-US');
}

/** The configuration of the drug named `name` (trimmed, case-insensitive), or null. */
export function findDrug(configs: readonly DrugConfig[], name: string): DrugConfig | null {
  return configs.find((c) => sameDrugName(c.name, name)) ?? null;
}
