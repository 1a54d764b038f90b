/**
 * Prescriptions: one drug or an admixture of several in one reservoir, and the flow rate they give.
 *
 * In an admixture every drug flows at the same volume rate. The rate is taken from the FIRST drug
 * (dose / concentration); every other drug's dose / concentration must agree with it within 1 %
 * of the first drug's rate, or the prescription is refused naming that drug.
 */
import { fail, ok, type Result } from '../contract/result';
import { findDrug, sameDrugName, type DrugConfig } from './drugs';
import { addVolumePerDay, doseAtRate, drugFlowRate, formatFlowRate, type FlowRate } from './flow';
import {
  concentrationToNgPerMl,
  dailyDoseToNgPerDay,
  formatConcentration,
  formatDailyDose,
  isMassUnit,
  type MassUnit,
  type Microlitres,
  type NgPerDay,
  type NgPerMl,
} from './units';

/** How the pump delivers: continuous only, or with a flex schedule / patient boluses on top. */
export type PrescriptionMode = 'simple_continuous' | 'flex' | 'bolus';
/** Every mode. */
export const PRESCRIPTION_MODES: readonly PrescriptionMode[] = ['simple_continuous', 'flex', 'bolus'];

/** One drug of a prescription, in exact ng. `unit` is the unit it is shown in (its family). */
export interface PrescribedDrug {
  readonly name: string;
  readonly unit: MassUnit;
  readonly concentrationNgPerMl: NgPerMl;
  readonly dailyDoseNgPerDay: NgPerDay;
}

/** A prescription: drugs (the first one sets the rate), mode, and extra volume for flex / bolus. */
export interface Prescription {
  readonly drugs: readonly PrescribedDrug[];
  readonly mode: PrescriptionMode;
  /** Extra µL per day on top of the continuous rate (flex / bolus). Must be 0 for simple_continuous. */
  readonly extraVolumeUlPerDay: Microlitres;
}

/** An amount as typed or imported: a number and a unit that may be missing or wrong. */
export interface AmountInput {
  readonly value: number;
  readonly unit: string | null | undefined;
}

/**
 * Convert an amount of `drug` (a concentration per mL or a daily dose) to ng, refusing a missing
 * unit (`invalid_input`) and a unit of the other family (`refused`, e.g. "Baclofen is dosed in mcg;
 * the value is in mg"), and values that are negative, non-finite or have more than 3 decimals.
 */
export function drugAmountToNg(
  drug: DrugConfig,
  amount: AmountInput,
  kind: 'concentration' | 'dailyDose',
  field?: string,
): Result<NgPerMl | NgPerDay> {
  const unit = amount.unit;
  if (!isMassUnit(unit)) {
    const what = kind === 'concentration' ? 'concentration' : 'daily dose';
    return fail('invalid_input', `The ${what} of ${drug.name} has no unit: write ${drug.unit}.`, field);
  }
  if (unit !== drug.unit) return fail('refused', `${drug.name} is dosed in ${drug.unit}; the value is in ${unit}.`, field);
  return kind === 'concentration' ? concentrationToNgPerMl(amount.value, unit, field) : dailyDoseToNgPerDay(amount.value, unit, field);
}

/** One drug of a prescription as typed or imported. */
export interface DrugEntryInput {
  readonly name: string;
  readonly concentration: AmountInput;
  readonly dailyDose: AmountInput;
}

/**
 * Turn a typed drug entry into a `PrescribedDrug`, checking the drug is known and both amounts
 * are in its unit family. Fields are reported as `${prefix}.name`, `${prefix}.concentration`,
 * `${prefix}.dailyDose` (e.g. prefix 'drugs.1').
 */
export function parseDrugEntry(entry: DrugEntryInput, configs: readonly DrugConfig[], prefix: string): Result<PrescribedDrug> {
  const drug = findDrug(configs, entry.name);
  if (drug === null) return fail('refused', `"${entry.name}" is not a drug in the clinic's drug list.`, `${prefix}.name`);
  const conc = drugAmountToNg(drug, entry.concentration, 'concentration', `${prefix}.concentration`);
  if (!conc.ok) return conc;
  const dose = drugAmountToNg(drug, entry.dailyDose, 'dailyDose', `${prefix}.dailyDose`);
  if (!dose.ok) return dose;
  return ok({
    name: drug.name,
    unit: drug.unit,
    concentrationNgPerMl: conc.value as NgPerMl,
    dailyDoseNgPerDay: dose.value as NgPerDay,
  });
}

const abs = (b: bigint): bigint => (b < 0n ? -b : b);

/**
 * The continuous rate of the drugs alone (without flex / bolus extra volume), taken from the first
 * drug, after checking that every other drug agrees within 1 %:
 * |dose_i/conc_i − dose_0/conc_0| ≤ 1 % × dose_0/conc_0, checked exactly as
 * 100 × |dose_i × conc_0 − dose_0 × conc_i| ≤ dose_0 × conc_i (BigInt). Exactly 1 % is accepted.
 */
export function basalFlowRate(prescription: Prescription): Result<FlowRate> {
  const drugs = prescription.drugs;
  const first = drugs[0];
  if (first === undefined) return fail('invalid_input', 'The prescription lists no drug.', 'drugs');
  const rate = drugFlowRate(first.dailyDoseNgPerDay, first.concentrationNgPerMl, 'drugs.0.concentration');
  if (!rate.ok || drugs.length === 1) return rate;
  const d0 = BigInt(first.dailyDoseNgPerDay);
  const c0 = BigInt(first.concentrationNgPerMl);
  for (let i = 1; i < drugs.length; i++) {
    const drug = drugs[i]!;
    const own = drugFlowRate(drug.dailyDoseNgPerDay, drug.concentrationNgPerMl, `drugs.${i}.concentration`);
    if (!own.ok) return own;
    const di = BigInt(drug.dailyDoseNgPerDay);
    const ci = BigInt(drug.concentrationNgPerMl);
    if (100n * abs(di * c0 - d0 * ci) > d0 * ci) {
      return fail(
        'refused',
        `${drug.name}: ${formatDailyDose(drug.dailyDoseNgPerDay, drug.unit)} at ${formatConcentration(drug.concentrationNgPerMl, drug.unit)} ` +
          `flows at ${formatFlowRate(own.value)}, but ${first.name} flows at ${formatFlowRate(rate.value)}; ` +
          'drugs mixed in one reservoir flow at the same rate, so their doses must agree within 1 %.',
        `drugs.${i}.dailyDose`,
      );
    }
  }
  return rate;
}

/**
 * The total volume flow rate of a programmable pump: the basal rate (see `basalFlowRate`) plus the
 * extra volume per day of flex / bolus mode. Refuses extra volume in simple_continuous mode.
 * Example: morphine 2 mg/day at 10 mg/mL (200 µL/day) in flex mode with 50 µL/day extra → 250 µL/day.
 */
export function prescriptionFlowRate(prescription: Prescription): Result<FlowRate> {
  const extra = prescription.extraVolumeUlPerDay;
  if (prescription.mode === 'simple_continuous' && extra !== 0) {
    return fail('invalid_input', 'Extra volume per day applies only to flex or bolus mode.', 'extraVolumeUlPerDay');
  }
  const basal = basalFlowRate(prescription);
  if (!basal.ok) return basal;
  return addVolumePerDay(basal.value, extra);
}

/**
 * Reprogram: `drugName` gets `newDailyDose`; the new rate is newDailyDose / that drug's
 * concentration, and every other drug follows (dose = rate × its concentration, nearest ng).
 * Example: morphine 10 mg/mL + clonidine 500 mcg/mL, clonidine to 200 mcg/day → 400 µL/day,
 * morphine 4 mg/day.
 */
export function applyDoseChange(prescription: Prescription, drugName: string, newDailyDose: NgPerDay): Result<Prescription> {
  const index = prescription.drugs.findIndex((d) => sameDrugName(d.name, drugName));
  const target = prescription.drugs[index];
  if (target === undefined) return fail('refused', `${drugName} is not in this prescription.`, 'drug');
  const rate = drugFlowRate(newDailyDose, target.concentrationNgPerMl, 'dailyDose');
  if (!rate.ok) return rate;
  const drugs = prescription.drugs.map((d, i) =>
    i === index ? { ...d, dailyDoseNgPerDay: newDailyDose } : { ...d, dailyDoseNgPerDay: doseAtRate(rate.value, d.concentrationNgPerMl) },
  );
  return ok({ ...prescription, drugs });
}

/** A drug of a constant-flow pump: the dose is not set, it follows from the device rate. */
export interface ConstantFlowDrug {
  readonly name: string;
  readonly unit: MassUnit;
  readonly concentrationNgPerMl: NgPerMl;
}

/**
 * The doses a constant-flow pump (Codman 3000) delivers: rate × concentration for each drug
 * (nearest ng). The dose changes only by changing the concentration. Use the DEVICE rate (not
 * `prescriptionFlowRate` of the result, which is recomputed from rounded doses) for the reservoir.
 * Example: 1500 µL/day of morphine 10 mg/mL → 15 mg/day.
 */
export function constantFlowPrescription(rate: FlowRate, drugs: readonly ConstantFlowDrug[]): Prescription {
  return {
    mode: 'simple_continuous',
    extraVolumeUlPerDay: 0 as Microlitres,
    drugs: drugs.map((d) => ({ ...d, dailyDoseNgPerDay: doseAtRate(rate, d.concentrationNgPerMl) })),
  };
}
