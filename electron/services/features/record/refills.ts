import type { z } from 'zod';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { mlToUl } from '../../../../shared/contract/quantities';
import type { ClinicSettings, DoseChange, DoseChangeDrug, doseChangeEntryInput, DoseChangePreview, DoseChangeSide, PumpProjection, Drug, Pump, Recorder, Refill, RefillPreview, refillEntryInput, Warning, WithdrawalWarning } from '../../../../shared/contract/record';
import { daysBetween, type CalendarDate } from '../../../../shared/domain/calendar';
import { describeDoseChange, doseChangeEffect } from '../../../../shared/domain/dose-change';
import { urgencyOf } from '../../../../shared/domain/worklist';
import { findDrug, type DrugConfig } from '../../../../shared/domain/drugs';
import { checkPrescription, checkPrescriptionStepUps, checkRefill, checkToResult, softLimitsOf, type CheckResult, type SoftLimitCrossed, type SoftLimitWarning } from '../../../../shared/domain/limits';
import { applyDoseChange, drugAmountToNg, parseDrugEntry, prescriptionFlowRate, type PrescribedDrug, type Prescription } from '../../../../shared/domain/prescription';
import { assessResidual, expectedResidualUl } from '../../../../shared/domain/refill';
import { alarmDate, emptyDate, fillPeriod } from '../../../../shared/domain/reservoir';
import { discrepancyWords, volumeMl } from '../../../../shared/domain/wording';
import { fillStabilityDays, nextRefillDue } from '../../../../shared/domain/schedule';
import { dailyVolumeUl } from '../../../../shared/domain/flow';
import { formatDailyDose, formatVolumeMl, type Microlitres, type NgPerDay } from '../../../../shared/domain/units';
import type { HandlerContext } from '../../handler-types';
import { projectionOf, refreshProjection, saveProjectionAfterRefill } from './projection';
import { recorderOf } from './recorded-by';
import type { NewRefill } from './repository';
import { checkPumpDate, clinicToday, clinicalPumpOrError } from './service';
import { pumpTimeline, toDrugConfig, toRateChanges, type TimelineStep } from './timeline';

export type RefillInput = z.output<typeof refillEntryInput>;
export type DoseChangeInput = z.output<typeof doseChangeEntryInput>;

export interface RefillOptions {
  /** Imported history: a flagged discrepancy needs no acknowledgement, and the port confirmation is taken as given. */
  imported?: boolean;
}

/** The pump, in place and running. */
function runningPump(ctx: HandlerContext, pumpId: number): Result<Pump> {
  return running(clinicalPumpOrError(ctx, pumpId));
}

/** A pump in place (see implantedPumpOrError), refused when it is off. */
export function running(pump: Result<Pump>): Result<Pump> {
  if (!pump.ok) return pump;
  if (pump.value.status === 'off') {
    return fail('refused', `Pump ${pump.value.serial} is off after a therapy reversal; nothing can be infused through it. To restart therapy, record a restart (a new prescription with its first fill).`, 'pumpId');
  }
  return pump;
}

/** What the refill and dose-change rules read from the catalog: read once per request (or once per import). */
export interface RecordCatalog {
  drugs: readonly Drug[];
  configs: readonly DrugConfig[];
  settings: ClinicSettings;
}

export function recordCatalog(ctx: HandlerContext): RecordCatalog {
  const drugs = ctx.store.catalog.drugs();
  return { drugs, configs: drugs.map(toDrugConfig), settings: ctx.store.catalog.settings() };
}

/**
 * A pump's history as the refill and dose-change rules read it, by date. The app passes the whole
 * history. Nothing before the last refill changes a result (the rate in effect at the last refill
 * is that refill's own prescription, and every dose change recorded before it is dated before it or
 * on its date),
 * so a caller that keeps the history in memory (the import) may pass only the last refill and the
 * dose changes dated on or after it (a dose change dated on the refill's date, recorded before or
 * after it, applies after it: SAME_DATE_RULE).
 */
export interface RecordHistory {
  refills: readonly Refill[];
  doseChanges: readonly DoseChange[];
  /** `pumpTimeline(refills, doseChanges)`, when the caller keeps it (each step as the write that added it computed it). */
  steps?: readonly TimelineStep[];
}

export interface Assessed {
  pump: Pump;
  prescription: Prescription;
  /** The timeline step the refill starts (its prescription and rate). */
  step: TimelineStep;
  /**
   * When dose changes dated on the refill's date were recorded before it: the pump once they apply
   * after the refill (SAME_DATE_RULE), which is its projection. Null when there are none: the
   * projection is then the preview's own figures.
   */
  after: AfterSameDay | null;
  preview: RefillPreview;
  /** The drug library's soft limits the prescription crosses (also in the preview's warnings): saving needs an override reason. */
  softLimits: SoftLimitWarning[];
  addedUl: number;
  withdrawnUl: number | null;
}

/**
 * SAME_DATE_RULE — a refill and a dose change on the same date, recorded in either order.
 *
 * At a refill visit the nurse withdraws the residual, refills, then reprograms the pump. So on one
 * date the refill comes first and every dose change of that date applies after it, from that day
 * on, in the order the changes were recorded (`pumpTimeline`):
 * - the refill's expected residual counts the rates in effect up to the day before (a change dated
 *   on the refill day delivers nothing from the old fill);
 * - the refill's stored figures (expected residual, discrepancy, daily volume, alarm, empty and due
 *   dates) are those of the prescription the refill filled, as they are when the dose change is
 *   recorded after the refill; a dose change never rewrites a refill's row;
 * - the pump's projection (the worklist's alarm, empty and due dates) counts the new dose from the
 *   refill day.
 * Either order therefore stores the same refill row and the same projection. A dose change
 * recorded before its date's refill must still name a drug of that refill, and the changed
 * prescription must pass the drug limits: else the refill is refused.
 */
export interface AfterSameDay {
  /** The timeline steps of the same-date dose changes, applied to the refill's prescription. */
  steps: TimelineStep[];
  dailyVolumeUl: number;
  alarmDate: string | null;
  emptyDate: string | null;
  nextDueDate: string;
  nextDueRule: RefillPreview['nextDueRule'];
  warnings: Warning[];
}

/** The dose changes dated on the refill's date (recorded before it) applied after the refill; null when there are none. */
function afterSameDayChanges(
  pump: Pump,
  prescription: Prescription,
  refillStep: TimelineStep,
  doseChanges: readonly DoseChange[],
  addedUl: number,
  configs: readonly DrugConfig[],
  settings: ClinicSettings,
  firstFill: boolean,
): Result<AfterSameDay | null> {
  const sameDay = doseChanges.filter((c) => c.date === refillStep.date);
  if (sameDay.length === 0) return ok(null);
  const steps: TimelineStep[] = [];
  const warnings: Warning[] = [];
  let current = prescription;
  for (const c of sameDay) {
    const dose = `${c.drug} ${formatDailyDose(c.dailyDoseNgPerDay as NgPerDay, c.unit)}`;
    const changed = applyDoseChange(current, c.drug, c.dailyDoseNgPerDay as NgPerDay);
    if (!changed.ok) {
      return fail('refused', `A dose change to ${dose} is recorded on ${c.date} and applies after this refill, but ${changed.error.message} Add ${c.drug} to the refill or date the refill after the dose change.`, 'drugs');
    }
    const rate = prescriptionFlowRate(changed.value);
    if (!rate.ok) return { ok: false, error: { ...rate.error, field: 'drugs' } };
    const limits = checkToResult(checkPrescription(changed.value, configs, pump.reservoirUl as Microlitres, rate));
    if (!limits.ok) {
      return fail(limits.error.code, `With the dose change to ${dose} recorded on ${c.date}, which applies after this refill: ${limits.error.message}`, 'drugs');
    }
    warnings.push(...limits.value.warnings);
    steps.push({ date: refillStep.date, prescription: changed.value, rate: rate.value, source: 'dose_change' });
    current = changed.value;
  }
  const period = fillPeriod(refillStep.date, addedUl as Microlitres, toRateChanges([refillStep, ...steps]));
  if (!period.ok) return period;
  const due = nextRefillDue({
    period: period.value,
    alarmUl: pump.alarmUl as Microlitres,
    stabilityDays: fillStabilityDays(
      prescription.drugs.map((d) => ({ drug: findDrug(configs, d.name), concentrationNgPerMl: d.concentrationNgPerMl })),
      firstFill,
    ),
    safetyMarginDays: settings.safetyMarginDays,
    maxIntervalDays: settings.maxIntervalDays,
  });
  return ok({
    steps,
    dailyVolumeUl: dailyVolumeUl(steps.at(-1)!.rate),
    alarmDate: due.alarmDate,
    emptyDate: due.emptyDate,
    nextDueDate: due.date,
    nextDueRule: due.rule,
    warnings,
  });
}

/**
 * A restart's fill (record/restart.ts) is a new fill period, assessed with an empty history; but its
 * doses are still checked against the drug library's step-up limits from the doses in effect before
 * the therapy reversal it ends (a restart at a far higher dose than the patient had is a step up:
 * ziconotide especially). `steps` is the pump's timeline up to the reversal (its last step is the
 * prescription in effect when the pump was turned off); `reversalDate` is named in the messages.
 */
export interface RestartBaseline {
  steps: readonly TimelineStep[];
  reversalDate: string;
}

/** `check` with every message saying that the step up is counted from the dose before the reversal of `date`. */
function fromBeforeReversal(check: CheckResult, date: string): CheckResult {
  const note = (message: string): string => `${message} A restart is checked against the dose in effect before the therapy reversal of ${date}.`;
  return {
    refusals: check.refusals.map((e) => ({ ...e, message: note(e.message) })),
    warnings: check.warnings.map((w) => ({ ...w, message: note(w.message) })),
    softLimits: (check.softLimits ?? []).map((w) => ({ ...w, message: note(w.message) })),
  };
}

/** Everything a refill visit computes, from its input and the pump's history. Writes nothing. */
function assessRefill(ctx: HandlerContext, input: RefillInput, catalog: RecordCatalog = recordCatalog(ctx)): Result<Assessed> {
  const pump = runningPump(ctx, input.pumpId);
  if (!pump.ok) return pump;
  const { record } = ctx.store;
  const dated = checkPumpDate(pump.value, input.date, clinicToday(ctx));
  if (!dated.ok) return dated;
  const history = { refills: record.refills(pump.value.id), doseChanges: record.doseChanges(pump.value.id) };
  return assessRefillOn(pump.value, history, input, catalog);
}

/**
 * The refill rules and arithmetic on a running pump (see `running`) whose date check has passed,
 * given its history and the catalog. Pure: reads and writes nothing.
 */
export function assessRefillOn(pump: Pump, history: RecordHistory, input: RefillInput, catalog: RecordCatalog, restart?: RestartBaseline): Result<Assessed> {
  const { refills, doseChanges } = history;
  // The latest date of the history (dates are YYYY-MM-DD: text order is date order). A dose change
  // dated on the refill's own date does not block it: on one date the refill comes first and that
  // date's dose changes apply after it (SAME_DATE_RULE), whichever was recorded first.
  let latestRefill: string | undefined;
  let latestChange: string | undefined;
  for (const r of refills) if (latestRefill === undefined || r.date > latestRefill) latestRefill = r.date;
  for (const c of doseChanges) if (latestChange === undefined || c.date > latestChange) latestChange = c.date;
  if ((latestRefill !== undefined && input.date <= latestRefill) || (latestChange !== undefined && input.date < latestChange)) {
    const latest = latestChange !== undefined && (latestRefill === undefined || latestChange > latestRefill) ? latestChange : latestRefill!;
    if (latest === latestRefill) {
      const what = refills.some((r) => r.date === input.date) ? 'A refill is already recorded on this date' : `The pump's history already runs to ${latest}`;
      return fail('refused', `${what}; a new refill must be dated after ${latest}.`, 'date');
    }
    return fail('refused', `The pump's history already runs to ${latest} (a dose change); a new refill must be dated on or after ${latest}.`, 'date');
  }

  const { configs, settings } = catalog;
  const drugs: PrescribedDrug[] = [];
  for (let i = 0; i < input.drugs.length; i++) {
    const entry = input.drugs[i]!;
    const parsed = parseDrugEntry({ name: entry.drug, concentration: entry.concentration, dailyDose: entry.dailyDose }, configs, `drugs.${i}`);
    if (!parsed.ok) return parsed;
    for (const d of drugs) if (d.name === parsed.value.name) return fail('invalid_input', `${parsed.value.name} is listed twice.`, `drugs.${i}.drug`);
    drugs.push(parsed.value);
  }
  const extraUl = input.extraMlPerDay === undefined ? 0 : mlToUl(input.extraMlPerDay);
  const prescription: Prescription = { drugs, mode: input.mode, extraVolumeUlPerDay: extraUl as Microlitres };
  const rate = prescriptionFlowRate(prescription);
  if (!rate.ok) return rate;

  const addedUl = mlToUl(input.addedMl);
  const withdrawnUl = input.withdrawnMl === null ? null : mlToUl(input.withdrawnMl);
  const reservoirUl = pump.reservoirUl as Microlitres;
  const rxCheck = checkPrescription(prescription, configs, reservoirUl, rate);
  const volumeCheck = checkRefill(addedUl as Microlitres, reservoirUl);
  const limits = checkToResult({
    refusals: [...rxCheck.refusals, ...volumeCheck.refusals],
    warnings: [...rxCheck.warnings, ...volumeCheck.warnings],
  });
  if (!limits.ok) return limits;
  if (withdrawnUl !== null && withdrawnUl > reservoirUl) {
    return fail('refused', `The withdrawn residual (${withdrawnUl / 1000} mL) is more than the reservoir holds (${reservoirUl / 1000} mL).`, 'withdrawnMl');
  }

  const steps = history.steps ? ok(history.steps) : pumpTimeline(refills, doseChanges);
  if (!steps.ok) return steps;
  // The drug library's step-up limits, from the prescription in effect before this refill (before
  // the reversal, for a restart's fill: see RestartBaseline).
  const stepFrom = restart ? restart.steps : steps.value;
  const stepUps = checkPrescriptionStepUps(stepFrom.at(-1)?.prescription ?? null, prescription, configs, {
    date: input.date as CalendarDate,
    history: stepFrom,
  });
  const stepCheckResult = restart ? fromBeforeReversal(stepUps, restart.reversalDate) : stepUps;
  const stepCheck = checkToResult(stepCheckResult);
  if (!stepCheck.ok) return stepCheck;
  const thresholds = {
    smallUl: settings.discrepancyThresholdSmallUl,
    largeUl: settings.discrepancyThresholdLargeUl,
    smallReservoirMaxUl: settings.smallReservoirMaxUl,
  };

  let residual = null;
  let estimatedEmptySince: string | null = null;
  let alarmingSince: string | null = null;
  const previous = refills.at(-1);
  const rateChanges = toRateChanges(steps.value);
  if (previous) {
    if (withdrawnUl === null) return fail('invalid_input', 'Measure and enter the withdrawn residual (mL): this pump has been filled before.', 'withdrawnMl');
    const prevPeriod = fillPeriod(previous.date as CalendarDate, previous.addedUl as Microlitres, rateChanges);
    if (!prevPeriod.ok) return prevPeriod;
    residual = assessResidual(expectedResidualUl(prevPeriod.value, input.date as CalendarDate), withdrawnUl as Microlitres, reservoirUl, thresholds);
    // Ran dry before (or during) this visit's day: the expected residual of 0 is not a check of the pump.
    const empty = emptyDate(prevPeriod.value);
    if (empty !== null && empty <= input.date) estimatedEmptySince = empty;
    else {
      const alarm = alarmDate(prevPeriod.value, pump.alarmUl as Microlitres);
      if (alarm !== null && alarm <= input.date) alarmingSince = alarm;
    }
  }

  const allRates = [...rateChanges, { from: input.date as CalendarDate, rate: rate.value }];
  const period = fillPeriod(input.date as CalendarDate, addedUl as Microlitres, allRates);
  if (!period.ok) return period;
  const due = nextRefillDue({
    period: period.value,
    alarmUl: pump.alarmUl as Microlitres,
    // A new pump's first fill (nothing to withdraw) may have a shorter limit (ziconotide: 14 days);
    // a fill of one drug as supplied, undiluted, a longer one (ziconotide 100 mcg/mL: 84 days).
    stabilityDays: fillStabilityDays(
      drugs.map((d) => ({ drug: findDrug(configs, d.name), concentrationNgPerMl: d.concentrationNgPerMl })),
      withdrawnUl === null,
    ),
    safetyMarginDays: settings.safetyMarginDays,
    maxIntervalDays: settings.maxIntervalDays,
  });

  const warnings: Warning[] = [...limits.value.warnings, ...stepCheck.value.warnings];
  const sameDay = afterSameDayChanges(pump, prescription, { date: input.date as CalendarDate, prescription, rate: rate.value, source: 'refill' }, doseChanges, addedUl, configs, settings, withdrawnUl === null);
  if (!sameDay.ok) return sameDay;
  if (sameDay.value !== null) {
    for (const w of sameDay.value.warnings) if (!warnings.some((x) => x.message === w.message)) warnings.push(w);
    const a = sameDay.value;
    warnings.push({
      field: 'date',
      message: `A dose change already recorded on ${input.date} applies after this refill: with it the pump runs at ${formatVolumeMl(a.dailyVolumeUl as Microlitres)}/day, reaches the alarm volume on ${a.alarmDate ?? 'no foreseeable date'} and is next due on ${a.nextDueDate}. The dates above are this refill's own prescription.`,
    });
  }
  if (residual?.flagged) {
    warnings.unshift({
      field: 'withdrawnMl',
      message: `The withdrawn residual is ${discrepancyWords(residual.discrepancyUl)} (expected ${volumeMl(residual.expectedUl)}), beyond the ${volumeMl(residual.thresholdUl)} threshold: check for under- or over-infusion, a catheter problem, wrong programming or a pocket fill.`,
    });
  }
  return ok({
    pump,
    prescription,
    step: { date: input.date as CalendarDate, prescription, rate: rate.value, source: 'refill' },
    after: sameDay.value,
    softLimits: softLimitsOf(rxCheck, stepCheckResult),
    addedUl,
    withdrawnUl,
    preview: {
      expectedResidualUl: residual?.expectedUl ?? null,
      discrepancyUl: residual?.discrepancyUl ?? null,
      discrepancyPct: residual?.discrepancyPercent ?? null,
      discrepancyFlag: residual ? residual.flagged : null,
      thresholdUl: residual?.thresholdUl ?? (reservoirUl <= thresholds.smallReservoirMaxUl ? thresholds.smallUl : thresholds.largeUl),
      dailyVolumeUl: dailyVolumeUl(rate.value),
      alarmDate: due.alarmDate,
      emptyDate: due.emptyDate,
      nextDueDate: due.date,
      nextDueRule: due.rule,
      warnings,
      estimatedEmptySince,
      alarmingSince,
      withdrawalWarnings: (estimatedEmptySince !== null || alarmingSince !== null) && previous ? drugWithdrawalWarnings(previous.drugs, catalog.drugs) : [],
    },
  });
}

/** The withdrawal warnings of a fill's drugs, from the drug list, by drug name. */
function drugWithdrawalWarnings(fill: readonly { drugId: number; drug: string }[], drugs: readonly Drug[]): WithdrawalWarning[] {
  const out: WithdrawalWarning[] = [];
  for (const d of fill) {
    const warning = drugs.find((x) => x.id === d.drugId)?.withdrawalWarning;
    if (warning && !out.some((w) => w.drug === d.drug)) out.push({ drug: d.drug, warning });
  }
  return out.sort((a, b) => a.drug.localeCompare(b.drug));
}

/** Computes what the visit would store (expected residual, discrepancy, flag, alarm and due dates), saving nothing. */
export function previewRefill(ctx: HandlerContext, input: RefillInput): Result<RefillPreview> {
  const assessed = assessRefill(ctx, input);
  return assessed.ok ? ok(assessed.value.preview) : assessed;
}

/** Records a refill visit in the caller's transaction and refreshes the pump's projection. */
export function recordRefill(ctx: HandlerContext, input: RefillInput, options: RefillOptions = {}): Result<{ refill: Refill; warnings: Warning[] }> {
  const catalog = recordCatalog(ctx); // read once for the rules and the row
  const assessed = assessRefill(ctx, input, catalog);
  if (!assessed.ok) return assessed;
  const row = refillToSave(assessed.value, input, options, catalog.drugs, recorderOf(ctx));
  if (!row.ok) return row;
  const { pump, preview, after } = assessed.value;
  const refill = ctx.store.record.insertRefill(row.value, ctx.now());
  // With same-date dose changes recorded before it, the projection counts them (SAME_DATE_RULE).
  if (after) saveProjectionAfterRefill(ctx, pump, { ...refill, ...projectedDates(after) }, after.dailyVolumeUl);
  else saveProjectionAfterRefill(ctx, pump, refill, preview.dailyVolumeUl);
  return ok({ refill, warnings: preview.warnings });
}

/** The dates of the pump's projection once the same-date dose changes apply. */
export function projectedDates(after: AfterSameDay): Pick<Refill, 'alarmDate' | 'emptyDate' | 'nextDueDate' | 'nextDueRule'> {
  return { alarmDate: after.alarmDate, emptyDate: after.emptyDate, nextDueDate: after.nextDueDate, nextDueRule: after.nextDueRule };
}

/** The drug of the list named exactly `name` (a prescription's names are the list's own): a loop, not find with a closure per drug. */
function listedDrug(drugList: readonly Drug[], name: string): Drug {
  for (const d of drugList) if (d.name === name) return d;
  throw new Error(`${name} is not in the drug list`); // cannot happen: the configs are made from this list
}

/** The saving rules of a refill visit (port confirmed, a flagged discrepancy acknowledged) and the row it saves. */
export function refillToSave(assessed: Assessed, input: RefillInput, options: RefillOptions, drugList: readonly Drug[], recordedBy: Recorder | null): Result<NewRefill> {
  const { pump, preview } = assessed;
  if (!input.reservoirPortConfirmed && !options.imported) {
    return fail('refused', 'Confirm that the drug went into the reservoir port (not the catheter access port) before saving.', 'reservoirPortConfirmed');
  }
  if (preview.discrepancyFlag && !options.imported && (!input.acknowledgeDiscrepancy || !input.note)) {
    return fail(
      'refused',
      `The withdrawn residual is ${discrepancyWords(preview.discrepancyUl ?? 0)}, beyond the ${volumeMl(preview.thresholdUl)} threshold: confirm it and add a note saying what was checked.`,
      input.note ? 'acknowledgeDiscrepancy' : 'note',
    );
  }
  const override = overrideReasonFor(assessed.softLimits, input.overrideReason, !!options.imported);
  if (!override.ok) return override;
  const overrideLimits = override.value === null ? null : limitsCrossed(assessed.softLimits);
  return ok({
    recordedBy,
    pumpId: pump.id,
    date: input.date,
    withdrawnUl: assessed.withdrawnUl,
    addedUl: assessed.addedUl,
    mode: input.mode,
    extraVolumeUlPerDay: assessed.prescription.extraVolumeUlPerDay,
    reservoirPortConfirmed: input.reservoirPortConfirmed || !!options.imported,
    clinician: input.clinician ?? null,
    note: input.note ?? null,
    drugs: assessed.prescription.drugs.map((d, i) => ({
      drugId: listedDrug(drugList, d.name).id,
      drug: d.name,
      unit: d.unit,
      concentrationNgPerMl: d.concentrationNgPerMl,
      dailyDoseNgPerDay: d.dailyDoseNgPerDay,
      lot: input.drugs[i]?.lot ?? null,
      expiryDate: input.drugs[i]?.expiryDate ?? null,
    })),
    expectedResidualUl: preview.expectedResidualUl,
    discrepancyUl: preview.discrepancyUl,
    discrepancyPct: preview.discrepancyPct,
    discrepancyFlag: preview.discrepancyFlag,
    alarmDate: preview.alarmDate,
    emptyDate: preview.emptyDate,
    nextDueDate: preview.nextDueDate,
    nextDueRule: preview.nextDueRule,
    overrideReason: override.value,
    overrideLimits,
  });
}

/** The soft limits crossed, as kept with an override (`override_limits_json`; the safety report lists them). */
export function limitsCrossed(softLimits: readonly SoftLimitWarning[]): SoftLimitCrossed[] {
  return softLimits.map((w) => w.limit);
}

/**
 * The override reason to store with an entry that crosses `softLimits` of the drug library: the
 * clinician's reason, required (refused naming the field `overrideReason` and every limit crossed);
 * null when no soft limit is crossed. An import records the row without one: its soft limits are
 * warnings in the import's report.
 */
export function overrideReasonFor(softLimits: readonly Warning[], reason: string | undefined, imported: boolean): Result<string | null> {
  if (softLimits.length === 0) return ok(null);
  const trimmed = reason?.trim() ?? '';
  if (trimmed !== '') return ok(trimmed);
  if (imported) return ok(null);
  return fail(
    'refused',
    `${softLimits.map((w) => w.message).join(' ')} This is beyond a soft limit of the drug library: give an override reason to record it.`,
    'overrideReason',
  );
}

/** Records a dose change (reprogramming) between refills, in the caller's transaction. */
export function recordDoseChange(ctx: HandlerContext, input: DoseChangeInput): Result<{ doseChange: DoseChange; warnings: Warning[]; drugs: DoseChangeDrug[] }> {
  const pump = reprogrammable(runningPump(ctx, input.pumpId));
  if (!pump.ok) return pump;
  const { record } = ctx.store;
  const dated = checkPumpDate(pump.value, input.date, clinicToday(ctx));
  if (!dated.ok) return dated;
  const history = { refills: record.refills(pump.value.id), doseChanges: record.doseChanges(pump.value.id) };
  const assessed = assessDoseChangeOn(pump.value, history, input, recordCatalog(ctx));
  if (!assessed.ok) return assessed;
  const override = overrideReasonFor(assessed.value.softLimits, input.overrideReason, false);
  if (!override.ok) return override;
  const { row, warnings, drugs } = assessed.value;
  const id = record.insertDoseChange({ ...row, recordedBy: recorderOf(ctx) }, ctx.now());
  refreshProjection(ctx, pump.value.id);
  return ok({ doseChange: record.doseChanges(pump.value.id).find((c) => c.id === id)!, warnings, drugs });
}

/**
 * What a dose change would do, saving nothing (issue 17, item 2): every drug's dose before and
 * after (an admixture's drugs share one flow rate, so they all change), the daily volume, the
 * alarm, empty and next due dates before and after with their shift in days, and the urgency as
 * of the clinic's today. Refuses what `doseChanges.record` refuses, with the same message.
 */
export function previewDoseChange(ctx: HandlerContext, input: DoseChangeInput): Result<DoseChangePreview> {
  const pump = reprogrammable(runningPump(ctx, input.pumpId));
  if (!pump.ok) return pump;
  const { record, catalog } = ctx.store;
  const today = clinicToday(ctx);
  const dated = checkPumpDate(pump.value, input.date, today);
  if (!dated.ok) return dated;
  const history = { refills: record.refills(pump.value.id), doseChanges: record.doseChanges(pump.value.id) };
  const cat = recordCatalog(ctx);
  const assessed = assessDoseChangeOn(pump.value, history, input, cat);
  if (!assessed.ok) return assessed;
  const { row, drug, drugs, warnings } = assessed.value;
  const model = catalog.deviceById(pump.value.deviceModelId);
  const patient = ctx.store.patients.get(pump.value.patientId);
  const projCatalog = { drugs: cat.drugs, settings: cat.settings };
  const before = projectionOf(pump.value, model, history, projCatalog, patient);
  // The change as it would be stored, appended after every stored one (it is the latest: assessed above).
  const planned: DoseChange = { ...row, id: 0, recordedBy: null, drug: drug.name, unit: drug.unit };
  const after = projectionOf(pump.value, model, { refills: history.refills, doseChanges: [...history.doseChanges, planned] }, projCatalog, patient);
  const side = (p: PumpProjection): DoseChangeSide => ({
    dailyVolumeUl: p.dailyVolumeUl,
    alarmDate: p.alarmDate,
    emptyDate: p.emptyDate,
    nextDueDate: p.nextDueDate,
    nextDueRule: p.nextDueRule,
    urgency: p.inWorklist ? urgencyOf({ emptyDate: p.emptyDate, alarmDate: p.alarmDate, nextDue: p.nextDueDate }, today, cat.settings.dueWindowDays) : null,
  });
  const shift = (a: string | null, b: string | null): number | null => (a === null || b === null ? null : daysBetween(a as CalendarDate, b as CalendarDate));
  return ok({
    drugs,
    summary: describeDoseChange({ drugs: drugs.map((d) => ({ name: d.drug, unit: d.unit, beforeNgPerDay: d.beforeNgPerDay as NgPerDay, afterNgPerDay: d.afterNgPerDay as NgPerDay, typed: d.typed })) }),
    before: side(before),
    after: side(after),
    alarmShiftDays: shift(before.alarmDate, after.alarmDate),
    emptyShiftDays: shift(before.emptyDate, after.emptyDate),
    nextDueShiftDays: shift(before.nextDueDate, after.nextDueDate),
    warnings,
  });
}

/** A running pump (see `running`), refused when it is a constant-flow pump (it cannot be reprogrammed). */
export function reprogrammable(pump: Result<Pump>): Result<Pump> {
  if (pump.ok && pump.value.kind === 'constant_flow') {
    return fail('refused', `${pump.value.model} is a constant-flow pump: its dose changes with the concentration at a refill, not by reprogramming.`, 'pumpId');
  }
  return pump;
}

/** A dose change as it is saved, with the name and unit of its drug. */
export interface AssessedDoseChange {
  row: {
    pumpId: number;
    date: string;
    drugId: number;
    dailyDoseNgPerDay: number;
    clinician: string | null;
    note: string | null;
    overrideReason: string | null;
    /** The soft limits the override reason is for (kept with it for the safety report); null without one. */
    overrideLimits: SoftLimitCrossed[] | null;
  };
  drug: Drug;
  /** The timeline step the dose change starts (the changed prescription and its rate). */
  step: TimelineStep;
  /** Every drug of the prescription, before and after (an admixture's drugs follow the new rate). */
  drugs: DoseChangeDrug[];
  warnings: Warning[];
  /** The drug library's soft limits the new dose crosses (also in `warnings`): recording it needs an override reason. */
  softLimits: SoftLimitWarning[];
}

/**
 * The dose-change rules and arithmetic on a running programmable pump whose date check has passed,
 * given its history (see RecordHistory) and the catalog. Pure: reads and writes nothing.
 */
export function assessDoseChangeOn(pump: Pump, history: RecordHistory, input: DoseChangeInput, catalog: RecordCatalog): Result<AssessedDoseChange> {
  const { refills, doseChanges } = history;
  const last = refills.at(-1);
  if (!last) return fail('refused', 'This pump has no fill recorded: record the fill before changing a dose.', 'pumpId');
  if (input.date < last.date) return fail('refused', `The dose change is before the last refill (${last.date}); record changes in order.`, 'date');
  const { configs } = catalog;
  const drug = findDrug(configs, input.drug);
  if (!drug) return fail('refused', `"${input.drug}" is not a drug in the clinic's drug list.`, 'drug');
  if (doseChanges.some((c) => c.date === input.date && c.drug.toLowerCase() === drug.name.toLowerCase())) {
    return fail('conflict', `A dose change of ${drug.name} is already recorded on ${input.date}.`, 'date');
  }
  const laterChange = doseChanges.find((c) => c.date > input.date);
  if (laterChange) return fail('refused', `A later dose change (${laterChange.date}) is already recorded; record changes in order.`, 'date');
  const dose = drugAmountToNg(drug, input.dailyDose, 'dailyDose', 'dailyDose');
  if (!dose.ok) return dose;

  const steps = history.steps ? ok(history.steps) : pumpTimeline(refills, doseChanges);
  if (!steps.ok) return steps;
  const current = steps.value.at(-1)!.prescription;
  const effect = doseChangeEffect(current, drug.name, dose.value as NgPerDay);
  if (!effect.ok) return effect;
  const changed = effect.value.after;
  const rate = effect.value.rateAfter;
  const rxCheck = checkPrescription(changed, configs, pump.reservoirUl as Microlitres, ok(rate));
  // The drug library's step-up limits: from the dose in effect, and over 7 days (ziconotide).
  const stepCheck = checkPrescriptionStepUps(current, changed, configs, { field: 'dailyDose', date: input.date as CalendarDate, history: steps.value });
  const limits = checkToResult({ refusals: [...rxCheck.refusals, ...stepCheck.refusals], warnings: [...rxCheck.warnings, ...stepCheck.warnings] });
  // Whatever the prescription's check refuses follows from the new dose: the form's one dose field.
  if (!limits.ok) return { ok: false, error: { ...limits.error, field: 'dailyDose' } };
  const softLimits = softLimitsOf(rxCheck, stepCheck);
  const overrideReason = softLimits.length > 0 ? (input.overrideReason?.trim() ?? null) || null : null;

  const listed = catalog.drugs.find((d) => d.name === drug.name)!; // the configs are made from this list
  return ok({
    row: {
      pumpId: pump.id,
      date: input.date,
      drugId: listed.id,
      dailyDoseNgPerDay: dose.value,
      clinician: input.clinician ?? null,
      note: input.note ?? null,
      overrideReason,
      overrideLimits: overrideReason === null ? null : limitsCrossed(softLimits),
    },
    drug: listed,
    step: { date: input.date as CalendarDate, prescription: changed, rate, source: 'dose_change' },
    drugs: effect.value.drugs.map((d) => ({ drug: d.name, unit: d.unit, beforeNgPerDay: d.beforeNgPerDay, afterNgPerDay: d.afterNgPerDay, typed: d.typed })),
    warnings: limits.value.warnings,
    softLimits,
  });
}
