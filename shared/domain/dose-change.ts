/**
 * The whole effect of a dose change on the prescription in the pump (issue 17, item 2).
 *
 * In an admixture every drug flows at one volume rate (prescription.ts): changing one drug's daily
 * dose changes the rate (new rate = new dose / its concentration) and every other drug's dose
 * follows in proportion (new dose_j = new rate × concentration_j, nearest ng, `doseAtRate`). A
 * stored dose change names the drug the clinician changed; the other drugs' doses are derived from
 * it and from the fill's concentrations, both signed, so reading an old row gives the same doses.
 */
import { fail, ok, type Result } from '../contract/result';
import type { DoseChange, Refill } from '../contract/record';
import { sameDrugName } from './drugs';
import { dailyVolumeUl, type FlowRate } from './flow';
import { applyDoseChange, prescriptionFlowRate, type Prescription } from './prescription';
import { prescriptionOfRefill } from './timeline';
import { ngToMass, type MassUnit, type NgPerDay } from './units';

/** One drug's daily dose before and after a change. */
export interface DrugDoseChange {
  readonly name: string;
  readonly unit: MassUnit;
  readonly beforeNgPerDay: NgPerDay;
  readonly afterNgPerDay: NgPerDay;
  /** True for the drug whose dose the clinician typed; false for a drug that follows the rate. */
  readonly typed: boolean;
}

/** A dose change applied to the prescription in effect: every drug's dose, and the rate, before and after. */
export interface DoseChangeEffect {
  readonly drugs: readonly DrugDoseChange[];
  readonly before: Prescription;
  readonly after: Prescription;
  readonly rateBefore: FlowRate;
  readonly rateAfter: FlowRate;
}

/**
 * `drugName` to `newDailyDose` in `before` (see `applyDoseChange`): each drug's dose before and
 * after, and the flow rates. Refuses a drug that is not in the prescription.
 */
export function doseChangeEffect(before: Prescription, drugName: string, newDailyDose: NgPerDay): Result<DoseChangeEffect> {
  const rateBefore = prescriptionFlowRate(before);
  if (!rateBefore.ok) return rateBefore;
  const after = applyDoseChange(before, drugName, newDailyDose);
  if (!after.ok) return after;
  const rateAfter = prescriptionFlowRate(after.value);
  if (!rateAfter.ok) return rateAfter;
  return ok({
    drugs: before.drugs.map((d, i) => ({
      name: d.name,
      unit: d.unit,
      beforeNgPerDay: d.dailyDoseNgPerDay,
      afterNgPerDay: after.value.drugs[i]!.dailyDoseNgPerDay,
      typed: sameDrugName(d.name, drugName),
    })),
    before,
    after: after.value,
    rateBefore: rateBefore.value,
    rateAfter: rateAfter.value,
  });
}

/** A dose in its unit without the unit: 8, 4.913, 0.25 (exact ng, at most 6 decimals for mg). */
function amount(ng: number, unit: MassUnit): string {
  return String(ngToMass(ng as NgPerDay, unit));
}

/**
 * The record's words for a dose change: every drug, before → after, e.g.
 * "Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate)", or
 * "Baclofen 400 → 500 mcg/day" for a single drug. The note in brackets says why the other drugs
 * changed too; the daily volume is given by the caller where it has room.
 */
export function describeDoseChange(effect: Pick<DoseChangeEffect, 'drugs'>): string {
  const parts = effect.drugs.map((d) => `${d.name} ${amount(d.beforeNgPerDay, d.unit)} → ${amount(d.afterNgPerDay, d.unit)} ${d.unit}/day`);
  return parts.join('; ') + (effect.drugs.length > 1 ? ' (same flow rate)' : '');
}

/** The daily volume before and after, rounded to the µL for display. */
export function dailyVolumesUl(effect: Pick<DoseChangeEffect, 'rateBefore' | 'rateAfter'>): { before: number; after: number } {
  return { before: dailyVolumeUl(effect.rateBefore), after: dailyVolumeUl(effect.rateAfter) };
}

/**
 * Every stored dose change of a pump with its whole effect, by id, as `pumpTimeline` orders them
 * (by date; on one date the refill first, then the changes in the order given). Old rows that name
 * one drug of an admixture get the other drugs' doses derived from the rate. A change that cannot
 * be applied (no fill before it, a drug not in the fill) is left out: the caller shows the row as
 * stored.
 */
export function doseChangeEffects(
  refills: readonly Pick<Refill, 'date' | 'drugs' | 'mode' | 'extraVolumeUlPerDay'>[],
  doseChanges: readonly Pick<DoseChange, 'id' | 'date' | 'drug' | 'dailyDoseNgPerDay'>[],
): Map<number, DoseChangeEffect> {
  type Item = { date: string; order: number; refill?: (typeof refills)[number]; change?: (typeof doseChanges)[number] };
  const items: Item[] = [
    ...refills.map((r) => ({ date: r.date, order: 0, refill: r })),
    ...doseChanges.map((c) => ({ date: c.date, order: 1, change: c })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  const out = new Map<number, DoseChangeEffect>();
  let current: Prescription | null = null;
  for (const item of items) {
    if (item.refill) {
      current = prescriptionOfRefill(item.refill);
      continue;
    }
    const c = item.change!;
    if (current === null) continue;
    const effect = doseChangeEffect(current, c.drug, c.dailyDoseNgPerDay as NgPerDay);
    if (!effect.ok) continue;
    out.set(c.id, effect.value);
    current = effect.value.after;
  }
  return out;
}

/** The prescription in the pump after the last refill and every dose change since (`doseChangeEffects`' last). */
export function currentPrescriptionOf(
  refills: readonly Pick<Refill, 'date' | 'drugs' | 'mode' | 'extraVolumeUlPerDay'>[],
  doseChanges: readonly Pick<DoseChange, 'id' | 'date' | 'drug' | 'dailyDoseNgPerDay'>[],
): Result<Prescription> {
  const last = refills.at(-1);
  if (!last) return fail('refused', 'This pump has no fill recorded.', 'pumpId');
  const since = doseChanges.filter((c) => c.date >= last.date);
  const effects = doseChangeEffects([last], since);
  let current = prescriptionOfRefill(last);
  // The last change applied, in pumpTimeline's order (date, then the order given).
  const ordered = [...since].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const c of ordered) {
    const e = effects.get(c.id);
    if (e) current = e.after;
  }
  return ok(current);
}
