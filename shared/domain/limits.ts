/**
 * Clinical checks before a write. Refusals block the write; warnings are shown and may be
 * acknowledged. A value outside a drug's typical range is a warning; above a configured maximum
 * (strictly) it is a refusal. Every issue names its field and says the problem in plain words.
 */
import { ok, type AppError, type Result } from '../contract/result';
import { compareDates, type CalendarDate } from './calendar';
import { findDrug, sameDrugName, type DrugConfig } from './drugs';
import { compareFlowRates, formatFlowRate, type FlowRate } from './flow';
import { prescriptionFlowRate, type Prescription } from './prescription';
import { formatConcentration, formatDailyDose, formatVolumeMl, isMassUnit, type Microlitres } from './units';

/** A warning: the field at fault and a sentence a person can act on (same shape as the contract's Warning). */
export interface CheckWarning {
  readonly field: string;
  readonly message: string;
}

/** The outcome of a check: refusals (the write is blocked) and warnings (shown, may be accepted). */
export interface CheckResult {
  readonly refusals: AppError[];
  readonly warnings: CheckWarning[];
}

/** A check as a Result: the first refusal as the error, or the warnings. */
export function checkToResult(check: CheckResult): Result<{ warnings: CheckWarning[] }> {
  const first = check.refusals[0];
  return first === undefined ? ok({ warnings: check.warnings }) : { ok: false, error: first };
}

const issue = (code: AppError['code'], message: string, field: string): AppError => ({ code, message, field });

/**
 * Check a prescription against the clinic's drug list and the pump.
 * Refusals: unknown drug, missing unit, unit of the wrong family, a drug listed twice,
 * concentration or dose above the drug's maximum, admixture doses that disagree by more than 1 %,
 * extra volume in simple_continuous mode, and a daily volume larger than the reservoir (the pump
 * could not run one day: almost certainly a unit error).
 * Warnings: concentration or dose outside the drug's typical range.
 */
export function checkPrescription(
  prescription: Prescription,
  drugConfigs: readonly DrugConfig[],
  reservoirUl: Microlitres,
  /** `prescriptionFlowRate(prescription)`, when the caller has already worked it out (it is not worked out again). */
  knownRate?: Result<FlowRate>,
): CheckResult {
  const refusals: AppError[] = [];
  const warnings: CheckWarning[] = [];
  const drugs = prescription.drugs;
  if (drugs.length === 0) refusals.push(issue('invalid_input', 'The prescription lists no drug.', 'drugs'));
  let unitsOk = true;
  // A plain loop, the field prefix built only when a message needs it: this runs for every row of an import.
  for (let i = 0; i < drugs.length; i++) {
    const drug = drugs[i]!;
    const config = findDrug(drugConfigs, drug.name);
    if (config === null) {
      refusals.push(issue('refused', `"${drug.name}" is not a drug in the clinic's drug list.`, `drugs.${i}.name`));
      unitsOk = false;
      continue;
    }
    let first = 0;
    while (!sameDrugName(drugs[first]!.name, drug.name)) first++;
    if (first !== i) {
      refusals.push(issue('refused', `${config.name} is listed more than once.`, `drugs.${i}.name`));
    }
    const unit: unknown = drug.unit;
    if (!isMassUnit(unit)) {
      refusals.push(issue('invalid_input', `The unit of ${config.name} is missing: write ${config.unit}.`, `drugs.${i}.unit`));
      unitsOk = false;
      continue;
    }
    if (unit !== config.unit) {
      refusals.push(issue('refused', `${config.name} is dosed in ${config.unit}; the value is in ${unit}.`, `drugs.${i}.unit`));
      unitsOk = false;
      continue;
    }
    const conc = drug.concentrationNgPerMl;
    const dose = drug.dailyDoseNgPerDay;
    const u = config.unit;
    if (dose === 0) {
      // No pump is programmed to deliver nothing: a 0 is a slip (or a pump turned off, which is a reversal).
      refusals.push(
        issue('refused', `${config.name} daily dose is 0: enter the programmed dose; a pump turned off is recorded as a therapy reversal.`, `drugs.${i}.dailyDose`),
      );
      continue;
    }
    if (config.maxConcentration !== null && conc > config.maxConcentration) {
      refusals.push(
        issue(
          'refused',
          `${config.name} concentration ${formatConcentration(conc, u)} is above the maximum of ${formatConcentration(config.maxConcentration, u)}.`,
          `drugs.${i}.concentration`,
        ),
      );
    } else if (config.typicalConcentration !== null && (conc < config.typicalConcentration.min || conc > config.typicalConcentration.max)) {
      const { min, max } = config.typicalConcentration;
      warnings.push({
        field: `drugs.${i}.concentration`,
        message: `${config.name} concentration ${formatConcentration(conc, u)} is outside the typical range ${formatConcentration(min, u)} to ${formatConcentration(max, u)}.`,
      });
    }
    if (config.maxDailyDose !== null && dose > config.maxDailyDose) {
      refusals.push(
        issue(
          'refused',
          `${config.name} daily dose ${formatDailyDose(dose, u)} is above the maximum of ${formatDailyDose(config.maxDailyDose, u)}.`,
          `drugs.${i}.dailyDose`,
        ),
      );
    } else if (config.typicalDailyDose !== null && (dose < config.typicalDailyDose.min || dose > config.typicalDailyDose.max)) {
      const { min, max } = config.typicalDailyDose;
      warnings.push({
        field: `drugs.${i}.dailyDose`,
        message: `${config.name} daily dose ${formatDailyDose(dose, u)} is outside the typical range ${formatDailyDose(min, u)} to ${formatDailyDose(max, u)}.`,
      });
    }
  }
  if (drugs.length > 0 && unitsOk) {
    const rate = knownRate ?? prescriptionFlowRate(prescription);
    if (!rate.ok) refusals.push({ ...rate.error, field: rate.error.field ?? 'drugs' });
    else if (compareFlowRates(rate.value, { num: reservoirUl, den: 1 }) > 0) {
      refusals.push(
        issue(
          'refused',
          `The daily volume ${formatFlowRate(rate.value)} is more than the whole reservoir (${formatVolumeMl(reservoirUl)}); check the units.`,
          'drugs.0.dailyDose',
        ),
      );
    }
  }
  return { refusals, warnings };
}

/**
 * Check the volume added at a refill: a whole number of µL, at least 0 (`invalid_input`), and not
 * more than the reservoir holds (`refused`; exactly full is accepted).
 */
/** Refuses a clinical date after the clinic's today: entries record what has happened, on the day it happened. */
export function checkNotFuture(date: CalendarDate, today: CalendarDate, field = 'date'): CheckResult {
  if (compareDates(date, today) <= 0) return { refusals: [], warnings: [] };
  return { refusals: [issue('refused', `The date ${date} is after today (${today}): record what has happened, on the day it happened.`, field)], warnings: [] };
}

export function checkRefill(volumeAddedUl: Microlitres, reservoirUl: Microlitres): CheckResult {
  if (!Number.isSafeInteger(volumeAddedUl) || volumeAddedUl < 0) {
    return { refusals: [issue('invalid_input', 'The volume added must be a number of mL, at least 0.', 'addedUl')], warnings: [] };
  }
  if (volumeAddedUl > reservoirUl) {
    return {
      refusals: [
        issue(
          'refused',
          `The volume added (${formatVolumeMl(volumeAddedUl)}) is more than the reservoir holds (${formatVolumeMl(reservoirUl)}).`,
          'addedUl',
        ),
      ],
      warnings: [],
    };
  }
  return { refusals: [], warnings: [] };
}

/**
 * Check the date of an event on a pump: refused after the clinic's today (the record says what has
 * happened: a visit dated ahead would move the pump's due dates and take it off the worklist), before
 * the implant date, or after the removal date (the implant and removal days themselves are accepted).
 */
export function checkEventDate(date: CalendarDate, implantDate: CalendarDate, removalDate: CalendarDate | null, today: CalendarDate): CheckResult {
  const future = checkNotFuture(date, today);
  if (future.refusals.length > 0) return future;
  if (compareDates(date, implantDate) < 0) {
    return { refusals: [issue('refused', `The date ${date} is before the pump was implanted (${implantDate}).`, 'date')], warnings: [] };
  }
  if (removalDate !== null && compareDates(date, removalDate) > 0) {
    return { refusals: [issue('refused', `The date ${date} is after the pump was removed (${removalDate}).`, 'date')], warnings: [] };
  }
  return { refusals: [], warnings: [] };
}

