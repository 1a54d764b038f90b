/**
 * Clinical checks before a write. Refusals block the write; warnings are shown and may be
 * acknowledged. A value outside a drug's typical range is a warning; above a configured maximum
 * (strictly) it is a refusal. Every issue names its field and says the problem in plain words.
 */
import { ok, type AppError, type Result } from '../contract/result';
import { addDays, compareDates, type CalendarDate } from './calendar';
import { findDrug, sameDrugName, type DrugConfig } from './drugs';
import { compareFlowRates, formatFlowRate, type FlowRate } from './flow';
import { prescriptionFlowRate, type Prescription } from './prescription';
import { formatConcentration, formatDailyDose, formatVolumeMl, isMassUnit, type Microlitres, type NgPerDay } from './units';

/** A warning: the field at fault and a sentence a person can act on (same shape as the contract's Warning). */
export interface CheckWarning {
  readonly field: string;
  readonly message: string;
}

/**
 * A soft limit of the drug library that a value crossed, as the safety report lists it: the drug,
 * the limit in words ("daily dose soft maximum"), its value in the drug's unit ("20 mg/day") and
 * the drug's limits source (null: the drug list names none).
 */
export interface SoftLimitCrossed {
  readonly drug: string;
  readonly limit: string;
  readonly value: string;
  readonly source: string | null;
}

/** A soft-limit warning with the limit it crossed. */
export interface SoftLimitWarning extends CheckWarning {
  readonly limit: SoftLimitCrossed;
}

/** The outcome of a check: refusals (the write is blocked) and warnings (shown, may be accepted). */
export interface CheckResult {
  readonly refusals: AppError[];
  readonly warnings: CheckWarning[];
  /**
   * The warnings that cross a soft limit of the drug library (also in `warnings`): a write with any
   * needs the clinician's override reason. Absent: none.
   */
  readonly softLimits?: SoftLimitWarning[];
}

/** The soft-limit warnings of several checks, in order. */
export function softLimitsOf(...checks: CheckResult[]): SoftLimitWarning[] {
  return checks.flatMap((c) => c.softLimits ?? []);
}

/** A check as a Result: the first refusal as the error, or the warnings. */
export function checkToResult(check: CheckResult): Result<{ warnings: CheckWarning[] }> {
  const first = check.refusals[0];
  return first === undefined ? ok({ warnings: check.warnings }) : { ok: false, error: first };
}

const issue = (code: AppError['code'], message: string, field: string): AppError => ({ code, message, field });

/** " (source)" when the drug's limits name a source, else "": every hard refusal says where its limit comes from. */
function sourceNote(config: DrugConfig): string {
  const source = config.limitsSource?.trim();
  return source ? ` (${source})` : '';
}

/** The soft limit `limit` of `value` crossed by a drug, with the drug's limits source. */
const crossed = (config: DrugConfig, limit: string, value: string): SoftLimitCrossed => ({
  drug: config.name,
  limit,
  value,
  source: config.limitsSource?.trim() || null,
});

/**
 * Check a raise of one drug's daily dose against the drug library's step-up limits. `fromNg` is the
 * dose in effect before the change, `toNg` the new one (both ng/day, in the drug's own unit family:
 * the caller has converted what was typed, so a mcg amount for a mg drug cannot slip under a limit).
 * A lowered or unchanged dose passes. Integer arithmetic only: a raise of `toNg - fromNg` is above
 * `pct` % when `(toNg - fromNg) * 100 > pct * fromNg`; exactly at the limit is allowed.
 */
export function checkStepUp(config: DrugConfig, fromNg: NgPerDay, toNg: NgPerDay, field: string): CheckResult {
  const refusals: AppError[] = [];
  const warnings: CheckWarning[] = [];
  if (!(toNg > fromNg) || !(fromNg > 0)) return { refusals, warnings };
  const raise = toNg - fromNg;
  const u = config.unit;
  const what = `${config.name} from ${formatDailyDose(fromNg, u)} to ${formatDailyDose(toNg, u)}`;
  const percent = (raise * 100) / fromNg;
  const shown = `${Math.round(percent * 10) / 10} %`;
  const hard = config.maxStepUpHardPct ?? null;
  if (hard !== null && raise * 100 > hard * fromNg) {
    refusals.push(issue('refused', `Raising ${what} (+${shown}) is above the hard maximum step up of ${hard} % per change${sourceNote(config)}.`, field));
    return { refusals, warnings };
  }
  const softLimits: SoftLimitWarning[] = [];
  const softPct = config.maxStepUpSoftPct ?? null;
  if (softPct !== null && raise * 100 > softPct * fromNg) {
    const w = { field, message: `Raising ${what} (+${shown}) is above the soft maximum step up of ${softPct} % per change${sourceNote(config)}.` };
    warnings.push(w);
    softLimits.push({ ...w, limit: crossed(config, 'step up soft maximum', `${softPct} % per change`) });
  }
  const softNg = config.maxStepUpSoftNgPerDay ?? null;
  if (softNg !== null && raise > softNg) {
    const w = {
      field,
      message: `Raising ${what} (+${formatDailyDose(raise as NgPerDay, u)}) is above the soft maximum step up of ${formatDailyDose(softNg as NgPerDay, u)} per change${sourceNote(config)}.`,
    };
    warnings.push(w);
    softLimits.push({ ...w, limit: crossed(config, 'step up soft maximum', `${formatDailyDose(softNg as NgPerDay, u)} per change`) });
  }
  return { refusals, warnings, softLimits }; // every step-up warning is a soft limit
}

/** One dose of a drug in effect from a date (a refill or dose change), in date order. */
export interface DatedDose {
  readonly date: CalendarDate;
  readonly doseNgPerDay: NgPerDay;
}

/** Days over which the weekly step-up limit adds raises up (ziconotide label: titrate at most 2-3 times per week). */
export const WEEK_STEP_DAYS = 7;

/**
 * Check a raise against the drug's soft maximum raise over 7 days (ziconotide). `history` is the
 * drug's doses in date order before this change; the baseline is the lowest dose in effect at any
 * time in the 7 days before `date` (the dose in effect on `date - 7` and every later one), so two
 * raises of 2.4 mcg/day three days apart count as 4.8. A drug not running 7 days ago counts from its
 * lowest dose since. Exactly at the limit is allowed.
 */
export function checkWeekStepUp(config: DrugConfig, history: readonly DatedDose[], date: CalendarDate, toNg: NgPerDay, field: string): CheckResult {
  const limit = config.maxWeekStepUpSoftNgPerDay ?? null;
  const none: CheckResult = { refusals: [], warnings: [] };
  if (limit === null) return none;
  const windowStart = addDays(date, -WEEK_STEP_DAYS);
  let baseline: number | null = null;
  let atStart: number | null = null;
  for (const h of history) {
    if (compareDates(h.date, date) > 0) break;
    if (compareDates(h.date, windowStart) <= 0) atStart = h.doseNgPerDay;
    else baseline = baseline === null ? h.doseNgPerDay : Math.min(baseline, h.doseNgPerDay);
  }
  if (atStart !== null) baseline = baseline === null ? atStart : Math.min(baseline, atStart);
  if (baseline === null || !(toNg - baseline > limit)) return none;
  const u = config.unit;
  const warning: CheckWarning = {
    field,
    message: `${config.name} would rise from ${formatDailyDose(baseline as NgPerDay, u)} to ${formatDailyDose(toNg, u)} within ${WEEK_STEP_DAYS} days (+${formatDailyDose((toNg - baseline) as NgPerDay, u)}), above the soft maximum of ${formatDailyDose(limit as NgPerDay, u)} per ${WEEK_STEP_DAYS} days${sourceNote(config)}.`,
  };
  const soft = { ...warning, limit: crossed(config, `step up soft maximum over ${WEEK_STEP_DAYS} days`, `${formatDailyDose(limit as NgPerDay, u)} per ${WEEK_STEP_DAYS} days`) };
  return { refusals: [], warnings: [warning], softLimits: [soft] };
}

/**
 * Check a prescription against the clinic's drug list and the pump.
 * Refusals: unknown drug, missing unit, unit of the wrong family, a drug listed twice,
 * concentration or dose above the drug's maximum, admixture doses that disagree by more than 1 %,
 * extra volume in simple_continuous mode, and a daily volume larger than the reservoir (the pump
 * could not run one day: almost certainly a unit error).
 * Warnings: concentration or dose outside the drug's typical range (its soft range); above it, the
 * warning is also a soft limit (`softLimits`): recording it needs the clinician's override reason.
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
  const softLimits: SoftLimitWarning[] = [];
  // Above the soft range is a soft limit (an override reason is needed); below it a warning only:
  // the library guards against overdose, and a small dose in an admixture is common.
  const warnOrSoft = (w: CheckWarning, limit: SoftLimitCrossed | null) => {
    warnings.push(w);
    if (limit !== null) softLimits.push({ ...w, limit });
  };
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
          `${config.name} concentration ${formatConcentration(conc, u)} is above the hard maximum of ${formatConcentration(config.maxConcentration, u)}${sourceNote(config)}.`,
          `drugs.${i}.concentration`,
        ),
      );
    } else if (config.typicalConcentration !== null && (conc < config.typicalConcentration.min || conc > config.typicalConcentration.max)) {
      const { min, max } = config.typicalConcentration;
      warnOrSoft(
        {
          field: `drugs.${i}.concentration`,
          message: `${config.name} concentration ${formatConcentration(conc, u)} is outside the typical range ${formatConcentration(min, u)} to ${formatConcentration(max, u)}.`,
        },
        conc > max ? crossed(config, 'concentration soft maximum', formatConcentration(max, u)) : null,
      );
    }
    if (config.maxDailyDose !== null && dose > config.maxDailyDose) {
      refusals.push(
        issue(
          'refused',
          `${config.name} daily dose ${formatDailyDose(dose, u)} is above the hard maximum of ${formatDailyDose(config.maxDailyDose, u)}${sourceNote(config)}.`,
          `drugs.${i}.dailyDose`,
        ),
      );
    } else if (config.typicalDailyDose !== null && (dose < config.typicalDailyDose.min || dose > config.typicalDailyDose.max)) {
      const { min, max } = config.typicalDailyDose;
      warnOrSoft(
        {
          field: `drugs.${i}.dailyDose`,
          message: `${config.name} daily dose ${formatDailyDose(dose, u)} is outside the typical range ${formatDailyDose(min, u)} to ${formatDailyDose(max, u)}.`,
        },
        dose > max ? crossed(config, 'daily dose soft maximum', formatDailyDose(max, u)) : null,
      );
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
  return { refusals, warnings, softLimits };
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


/**
 * The step-up limits of every drug of `next` that `previous` also has (a drug new to the pump has no
 * current dose to step up from), plus the weekly limit when `history` is given (each drug's dated
 * doses before `date`). Fields are `drugs.<i>.dailyDose` of `next`, or `field` when given (a dose
 * change's one dose field).
 */
export function checkPrescriptionStepUps(
  previous: Prescription | null,
  next: Prescription,
  drugConfigs: readonly DrugConfig[],
  options: { field?: string; date?: CalendarDate; history?: readonly { date: CalendarDate; prescription: Prescription }[] } = {},
): CheckResult {
  const refusals: AppError[] = [];
  const warnings: CheckWarning[] = [];
  const softLimits: SoftLimitWarning[] = [];
  if (previous === null) return { refusals, warnings };
  next.drugs.forEach((drug, i) => {
    const config = findDrug(drugConfigs, drug.name);
    const before = previous.drugs.find((d) => sameDrugName(d.name, drug.name));
    if (config === null || before === undefined || before.unit !== drug.unit) return;
    const field = options.field ?? `drugs.${i}.dailyDose`;
    const step = checkStepUp(config, before.dailyDoseNgPerDay, drug.dailyDoseNgPerDay, field);
    refusals.push(...step.refusals);
    warnings.push(...step.warnings);
    softLimits.push(...(step.softLimits ?? []));
    if (options.history && options.date) {
      const doses: DatedDose[] = [];
      for (const h of options.history) {
        const d = h.prescription.drugs.find((x) => sameDrugName(x.name, drug.name));
        if (d) doses.push({ date: h.date, doseNgPerDay: d.dailyDoseNgPerDay });
      }
      const week = checkWeekStepUp(config, doses, options.date, drug.dailyDoseNgPerDay, field);
      warnings.push(...week.warnings);
      softLimits.push(...(week.softLimits ?? []));
    }
  });
  return { refusals, warnings, softLimits };
}
