import type { EntryVerification } from './verifications';
import { z } from 'zod';
import { calendarDate, id, optionalText, periodDate, text, wholeDays } from './common';
import { MASS_UNITS, massAmount, volumeMl, type MassUnitName } from './quantities';
import type { Patient } from './patients';
import type { EntryAttestation } from './signatures';
import { ROLE_LABELS, type Role } from './roles';
import type { Urgency } from '../domain/worklist';
import { basedOn, pumpState } from './versions';
import { BOOKING_POLICIES, type BookingPolicy } from '../domain/appointments';

// ---- vocabularies -------------------------------------------------------------------------------

export const PUMP_STATUSES = ['active', 'off', 'explanted'] as const;
export type PumpStatus = (typeof PUMP_STATUSES)[number];
export const POCKET_SIDES = ['left', 'right', 'midline'] as const;
export const DEVICE_KINDS = ['programmable', 'constant_flow'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const INFUSION_MODES = ['simple_continuous', 'flex', 'bolus'] as const;
export type InfusionMode = (typeof INFUSION_MODES)[number];
export const ADVERSE_KINDS = ['pocket_fill', 'withdrawal', 'overdose', 'granuloma', 'infection', 'csf_leak', 'motor_stall', 'alarm', 'other'] as const;
export type AdverseKind = (typeof ADVERSE_KINDS)[number];
export const SEVERITIES = ['mild', 'moderate', 'severe', 'life_threatening'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const EVENT_KINDS = ['adverse', 'mri', 'interrogation', 'note'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const REVERSAL_KINDS = ['turned_off', 'drained', 'weaned'] as const;
export type ReversalKind = (typeof REVERSAL_KINDS)[number];
/** How a reversal kind is said to a person: "Therapy stopped on 11/02/2026 (turned off)". */
export const REVERSAL_KIND_LABELS: Record<ReversalKind, string> = { turned_off: 'turned off', drained: 'drained', weaned: 'weaned' };
export const REMOVAL_REASONS = [
  'battery_end_of_life',
  'infection',
  'lack_of_efficacy',
  'therapy_no_longer_needed',
  'patient_request',
  'catheter_complication',
  'granuloma',
  'other',
] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];
export const DISPOSITIONS = ['returned_to_manufacturer', 'discarded', 'kept', 'other'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const NEXT_DUE_RULES = ['alarm', 'stability', 'max_interval'] as const;
export type NextDueRule = (typeof NEXT_DUE_RULES)[number];
export const WORKLIST_STATUSES = ['overdue', 'due', 'ok'] as const;
export type WorklistStatus = (typeof WORKLIST_STATUSES)[number];

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

// ---- catalog and settings -----------------------------------------------------------------------

export interface Drug {
  id: number;
  name: string;
  unit: MassUnitName;
  typicalConcNgPerMl: { min: number; max: number } | null;
  maxConcNgPerMl: number | null;
  typicalDoseNgPerDay: { min: number; max: number } | null;
  maxDoseNgPerDay: number | null;
  stabilityDays: number | null;
  /** The shorter limit of a new pump's first fill (ziconotide: 14 days); null: none. */
  firstFillStabilityDays: number | null;
  /** The drug as supplied, undiluted (ziconotide: 100 mcg/mL), and its own limit (84 days); null: none. */
  undilutedConcNgPerMl: number | null;
  undilutedStabilityDays: number | null;
  /** Where the stability figures come from (drug label, guidance); null: not given. */
  stabilitySource: string | null;
  /**
   * What stopping this drug abruptly risks, with its source, shown beside an empty or alarming pump
   * (clinic-editable; null: none known or not confirmed).
   */
  withdrawalWarning: string | null;
  /**
   * Dose error reduction (drug library): a raise of the daily dose by more than this % of the
   * current dose needs an override reason (soft) or is refused (hard); by more than
   * `maxStepUpSoftNgPerDay` in one change or `maxWeekStepUpSoftNgPerDay` within 7 days (ziconotide)
   * it is a soft limit. Exactly at a limit is allowed; null: no such limit.
   */
  maxStepUpSoftPct: number | null;
  maxStepUpHardPct: number | null;
  maxStepUpSoftNgPerDay: number | null;
  maxWeekStepUpSoftNgPerDay: number | null;
  /** Where the drug's limits come from (label, PACC 2017), named in every refusal; "UNCONFIRMED" marks a figure no source confirms. */
  limitsSource: string | null;
}

export interface DeviceModel {
  id: number;
  manufacturer: string;
  model: string;
  /** Other names clinics write for the model (shared/domain/device-match.ts). */
  aliases: string[];
  catalogueNumbers: string[];
  reservoirUl: number;
  defaultAlarmUl: number;
  serviceLifeMonths: number | null;
  replacementLeadMonths: number;
  kind: DeviceKind;
  mriNotes: string | null;
}

const range = z
  .object({ min: massAmount, max: massAmount })
  .strict()
  .nullable();

export const drugSaveInput = z
  .object({
    id: id.optional(),
    name: text(60, 'name'),
    unit: z.enum(MASS_UNITS, { error: 'must be mg or mcg' }),
    typicalConcentration: range,
    maxConcentration: massAmount.nullable(),
    typicalDailyDose: range,
    maxDailyDose: massAmount.nullable(),
    stabilityDays: wholeDays(1, 3650).nullable(),
    firstFillStabilityDays: wholeDays(1, 3650).nullable(),
    /** Both or neither: the undiluted concentration (in the drug's unit) and its stability limit. */
    undilutedConcentration: massAmount.nullable().optional(),
    undilutedStabilityDays: wholeDays(1, 3650).nullable().optional(),
    stabilitySource: optionalText(300, 'line'),
    /** A text sets it; null clears it; left out (or empty) keeps a saved drug's (none for a new drug). */
    withdrawalWarning: optionalText(400, 'multiline').nullable(),
    /** The step-up limits and their source: a value sets it; null clears it; left out keeps a saved drug's. */
    maxStepUpSoftPct: z.number().int().min(1).max(10_000).nullable().optional(),
    maxStepUpHardPct: z.number().int().min(1).max(10_000).nullable().optional(),
    maxStepUpSoft: massAmount.nullable().optional(),
    maxWeekStepUpSoft: massAmount.nullable().optional(),
    limitsSource: optionalText(300, 'line').nullable(),
    /** With `id`, required: the drug's version the edit was based on (`drugs.list`); a stale one is refused (`conflict`). */
    basedOn: basedOn.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.id !== undefined && v.basedOn === undefined) {
      ctx.addIssue({ code: 'custom', path: ['basedOn'], message: 'is required when changing a saved drug: the version it was read with (drugs.list)' });
    }
  });

export const deviceSaveInput = z
  .object({
    id: id.optional(),
    manufacturer: text(60, 'name'),
    model: text(60, 'name'),
    catalogueNumbers: z.array(text(40, 'name')).max(10),
    aliases: z.array(text(60, 'name')).max(10).optional(),
    reservoirMl: volumeMl(100).refine((v) => v > 0, { error: 'must be more than 0 mL' }),
    defaultAlarmMl: volumeMl(100),
    serviceLifeMonths: z.number().int().positive().max(600).nullable(),
    replacementLeadMonths: z.number().int().min(0).max(60),
    kind: oneOf(DEVICE_KINDS),
    mriNotes: optionalText(1000, 'multiline'),
    /** With `id`, required: the model's version the edit was based on (`devices.list`); a stale one is refused (`conflict`). */
    basedOn: basedOn.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.id !== undefined && v.basedOn === undefined) {
      ctx.addIssue({ code: 'custom', path: ['basedOn'], message: 'is required when changing a saved device model: the version it was read with (devices.list)' });
    }
  });

export interface ClinicSettings {
  clinicName: string;
  /** The clinic's phone number printed on the patient's card and letter ('' = not set: a blank line to write in). */
  clinicPhone: string;
  /** IANA time zone of the clinic: decides what "today" is. */
  timeZone: string;
  safetyMarginDays: number;
  maxIntervalDays: number;
  /** |discrepancy| above this is flagged for reservoirs up to `smallReservoirMaxUl`. */
  discrepancyThresholdSmallUl: number;
  discrepancyThresholdLargeUl: number;
  smallReservoirMaxUl: number;
  dueWindowDays: number;
  /** Independent double check (shared/domain/double-check.ts): opioid and ziconotide dose increases. On by default. */
  doubleCheckDoseIncreases: boolean;
  /** Independent double check of any entry with a soft-limit override reason. On by default. */
  doubleCheckSoftLimitOverrides: boolean;
  /** Booking a refill after the pump's low-reservoir alarm date: refused (default) or warned with a reason (shared/domain/appointments.ts). */
  bookingAfterAlarm: BookingPolicy;
  /** Booking a refill after the pump's next refill date: warned with a reason (default) or refused. After the empty date is always refused. */
  bookingAfterNextDue: BookingPolicy;
}

export const settingsUpdateInput = z
  .object({
    clinicName: text(100, 'name'),
    clinicPhone: z
      .string({ error: 'must be text' })
      .trim()
      .max(40, { error: 'must be at most 40 characters' })
      .regex(/^[0-9+()\-./ ]*$/, { error: 'may contain only digits, spaces and + ( ) - . /' }),
    timeZone: text(64).refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { error: 'is not a known time zone (e.g. Europe/London)' },
    ),
    safetyMarginDays: wholeDays(0, 60),
    maxIntervalDays: wholeDays(1, 365),
    discrepancyThresholdSmallMl: volumeMl(20),
    discrepancyThresholdLargeMl: volumeMl(20),
    dueWindowDays: wholeDays(0, 120),
    doubleCheckDoseIncreases: z.boolean({ error: 'must be true or false' }),
    doubleCheckSoftLimitOverrides: z.boolean({ error: 'must be true or false' }),
    bookingAfterAlarm: oneOf(BOOKING_POLICIES),
    bookingAfterNextDue: oneOf(BOOKING_POLICIES),
  })
  .partial()
  // Required (only the settings are optional): the settings' version the edit was based on (`settings.get`); a stale one is refused (`conflict`).
  .extend({ basedOn })
  .strict();

// ---- pumps --------------------------------------------------------------------------------------

/**
 * Who recorded a clinical entry, as they were when they recorded it: the signed-in user (their id,
 * display name and role), or a local caller without a session (the command line `cli:<os user>`,
 * the demo `system`: no id, no role). Set by main from the session, never from a request.
 */
export interface Recorder {
  userId: number | null;
  name: string;
  role: Role | null;
}

/** A recorder as a report or export column shows it: "Nora Quinn (Clinician)", "cli:alice"; null when not kept. */
export function recorderName(recorder: Recorder | null): string | null {
  if (recorder === null) return null;
  return recorder.role === null ? recorder.name : `${recorder.name} (${ROLE_LABELS[recorder.role]})`;
}

/** What a person reads: "recorded by Nora Quinn (Clinician)", "recorded by cli:alice", or that it was not kept yet. */
export function recordedByText(recorder: Recorder | null): string {
  const name = recorderName(recorder);
  return name === null ? 'recorded before this was kept' : `recorded by ${name}`;
}

export interface Pump {
  id: number;
  /** Who recorded it (the signed-in user, from the session); null: recorded before Reservoir kept this. */
  recordedBy: Recorder | null;
  patientId: number;
  deviceModelId: number;
  manufacturer: string;
  model: string;
  kind: DeviceKind;
  serial: string;
  udi: string | null;
  implantDate: string;
  implantingPhysician: string | null;
  catheterModel: string | null;
  catheterTipLevel: string | null;
  catheterLengthMm: number | null;
  catheterVolumeUl: number | null;
  pocketSide: (typeof POCKET_SIDES)[number] | null;
  reservoirUl: number;
  alarmUl: number;
  status: PumpStatus;
}

export const pumpFields = z.object({
  deviceModelId: id,
  serial: text(40, 'name').regex(/^[A-Za-z0-9-]+$/, { error: 'may contain only letters, digits and hyphens' }),
  udi: optionalText(120),
  implantDate: calendarDate,
  implantingPhysician: optionalText(100, 'name'),
  catheterModel: optionalText(60, 'name'),
  catheterTipLevel: optionalText(10, 'name'),
  catheterLengthCm: z.number().positive().max(200).optional(),
  catheterVolumeMl: volumeMl(5).optional(),
  pocketSide: oneOf(POCKET_SIDES).optional(),
  /** Defaults to the model's low-reservoir alarm volume. */
  alarmMl: volumeMl(40).optional(),
});

export const pumpImplantInput = pumpFields.extend({ patientId: id }).strict();

// ---- refills and prescriptions ------------------------------------------------------------------

export const prescriptionDrugInput = z
  .object({
    drug: text(60, 'name'),
    concentration: massAmount, // per mL
    dailyDose: massAmount, // per day
    lot: optionalText(40, 'name'),
    expiryDate: calendarDate.optional(),
  })
  .strict();

/**
 * A refill visit as the services record it, without the pump state a form saw: the internal path of the
 * import, the generator and the demo clinic, which record history and base it on nothing they read.
 */
export const refillEntryInput = z
  .object({
    pumpId: id,
    date: calendarDate,
    /** Measured residual withdrawn; null for the first fill of a new pump. */
    withdrawnMl: volumeMl(100).nullable(),
    addedMl: volumeMl(100).refine((v) => v > 0, { error: 'must be more than 0 mL' }),
    drugs: z.array(prescriptionDrugInput).min(1, { error: 'list at least one drug' }).max(4, { error: 'at most 4 drugs in one visit' }),
    mode: oneOf(INFUSION_MODES),
    /** Flex schedule or patient boluses: extra volume per day on top of the continuous rate. */
    extraMlPerDay: volumeMl(10).optional(),
    reservoirPortConfirmed: z.boolean({ error: 'must be confirmed' }),
    clinician: optionalText(100, 'name'),
    note: optionalText(4000, 'multiline'),
    /** Required (with a note) when the discrepancy is flagged. */
    acknowledgeDiscrepancy: z.boolean().optional(),
    /** Required when a drug crosses a soft limit of the drug library (refused without it). */
    overrideReason: optionalText(1000, 'multiline'),
  })
  .strict();
/**
 * `refills.record` from a client: the entry and the pump's state the form was opened on (`PumpHistory.state`),
 * required (several people at once): refused (`conflict`) if another entry was recorded on the pump since.
 */
export const refillInput = refillEntryInput.extend({ pumpState }).strict();
/** `refills.preview`: the form as it stands, saving nothing (its pump state, if sent, is not checked: a preview changes nothing). */
export const refillPreviewInput = refillEntryInput.extend({ pumpState: pumpState.optional() }).strict();

export interface PrescriptionDrug {
  drugId: number;
  drug: string;
  unit: MassUnitName;
  concentrationNgPerMl: number;
  dailyDoseNgPerDay: number;
  lot: string | null;
  expiryDate: string | null;
}

export interface Refill {
  id: number;
  /** Who recorded it (the signed-in user, from the session); null: recorded before Reservoir kept this. */
  recordedBy: Recorder | null;
  pumpId: number;
  date: string;
  withdrawnUl: number | null;
  addedUl: number;
  mode: InfusionMode;
  extraVolumeUlPerDay: number;
  reservoirPortConfirmed: boolean;
  clinician: string | null;
  note: string | null;
  drugs: PrescriptionDrug[];
  expectedResidualUl: number | null;
  discrepancyUl: number | null;
  discrepancyPct: number | null;
  discrepancyFlag: boolean | null;
  alarmDate: string | null;
  emptyDate: string | null;
  nextDueDate: string | null;
  nextDueRule: NextDueRule | null;
  /** Why the clinician recorded a value beyond a soft limit of the drug library; null: none crossed. */
  overrideReason: string | null;
}

export interface Warning {
  field: string;
  message: string;
}

/** What a refill visit computes, shown before saving and stored with it. */
export interface RefillPreview {
  expectedResidualUl: number | null;
  discrepancyUl: number | null;
  discrepancyPct: number | null;
  discrepancyFlag: boolean | null;
  thresholdUl: number;
  dailyVolumeUl: number;
  alarmDate: string | null;
  emptyDate: string | null;
  nextDueDate: string | null;
  nextDueRule: NextDueRule | null;
  warnings: Warning[];
  /**
   * The previous fill's empty date when it is on or before this visit: the pump is estimated to
   * have run dry then, so its expected residual (0) is not a check of the pump. Null otherwise.
   */
  estimatedEmptySince: string | null;
  /** The previous fill's alarm date when it is on or before this visit and the pump is not estimated empty: alarming since then. */
  alarmingSince: string | null;
  /** With `estimatedEmptySince` or `alarmingSince`: the withdrawal warnings of the drugs of the previous fill (drug list). */
  withdrawalWarnings: WithdrawalWarning[];
}

/**
 * A dose change as the services record it, without the pump state a form saw: the internal path of the
 * import, the generator and the demo clinic, which record history and base it on nothing they read.
 */
export const doseChangeEntryInput = z
  .object({
    pumpId: id,
    date: calendarDate,
    drug: text(60, 'name'),
    dailyDose: massAmount,
    clinician: optionalText(100, 'name'),
    note: optionalText(4000, 'multiline'),
    /** Required when the new dose crosses a soft limit of the drug library (refused without it). */
    overrideReason: optionalText(1000, 'multiline'),
  })
  .strict();
/**
 * `doseChanges.record` from a client: the entry and the pump's state the form was opened on (`PumpHistory.state`),
 * required (several people at once): refused (`conflict`) if another entry was recorded on the pump since.
 */
export const doseChangeInput = doseChangeEntryInput.extend({ pumpState }).strict();
/** `doseChanges.preview`: the form as it stands, saving nothing (its pump state, if sent, is not checked). */
export const doseChangePreviewInput = doseChangeEntryInput.extend({ pumpState: pumpState.optional() }).strict();

/** One drug of a dose change, before and after (all drugs of an admixture; issue 17). */
export interface DoseChangeDrug {
  drug: string;
  unit: MassUnitName;
  beforeNgPerDay: number;
  afterNgPerDay: number;
  /** True for the drug whose dose was typed; false for one that follows the shared flow rate. */
  typed: boolean;
}

/** The pump's figures on one side of a dose change (its projection, as the worklist shows it). */
export interface DoseChangeSide {
  dailyVolumeUl: number | null;
  alarmDate: string | null;
  emptyDate: string | null;
  nextDueDate: string | null;
  nextDueRule: NextDueRule | null;
  /** As of the clinic's today (issue 13): empty, alarm, overdue, due or ok. */
  urgency: Urgency | null;
}

/** What a dose change would do, computed by `doseChanges.preview` before anything is saved. */
export interface DoseChangePreview {
  drugs: DoseChangeDrug[];
  /** "Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate)". */
  summary: string;
  before: DoseChangeSide;
  after: DoseChangeSide;
  /** after − before in days (negative: sooner); null when either date is missing. */
  alarmShiftDays: number | null;
  emptyShiftDays: number | null;
  nextDueShiftDays: number | null;
  warnings: Warning[];
}

export interface DoseChange {
  id: number;
  /** Who recorded it (the signed-in user, from the session); null: recorded before Reservoir kept this. */
  recordedBy: Recorder | null;
  pumpId: number;
  date: string;
  drugId: number;
  drug: string;
  unit: MassUnitName;
  dailyDoseNgPerDay: number;
  clinician: string | null;
  note: string | null;
  /** Why the clinician recorded a value beyond a soft limit of the drug library; null: none crossed. */
  overrideReason: string | null;
}

// ---- events, reversal, removal ------------------------------------------------------------------

const eventBase = {
  patientId: id,
  pumpId: id.optional(),
  date: calendarDate,
  note: optionalText(4000, 'multiline'),
  clinician: optionalText(100, 'name'),
};

export const eventInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...eventBase, kind: z.literal('adverse'), adverseKind: oneOf(ADVERSE_KINDS), severity: oneOf(SEVERITIES), status: oneOf(['open', 'resolved'] as const) }).strict(),
    z.object({ ...eventBase, kind: z.literal('mri'), preScanDone: z.boolean(), postScanCheckDate: calendarDate.optional() }).strict(),
    z.object({ ...eventBase, kind: z.literal('interrogation') }).strict(),
    z.object({ ...eventBase, kind: z.literal('note'), note: text(4000, 'multiline') }).strict(),
  ],
  { error: `kind must be one of ${EVENT_KINDS.join(', ')}` },
);

export const eventResolveInput = z.object({ eventId: id, note: optionalText(4000, 'multiline') }).strict();
export const mriPostScanInput = z.object({ eventId: id, date: calendarDate }).strict();

export interface ClinicalEvent {
  id: number;
  /** Who recorded it (the signed-in user, from the session); null: recorded before Reservoir kept this. */
  recordedBy: Recorder | null;
  patientId: number;
  pumpId: number | null;
  date: string;
  kind: EventKind;
  adverseKind: AdverseKind | null;
  severity: Severity | null;
  status: 'open' | 'resolved' | null;
  mriPreScanDone: boolean | null;
  mriPostScanCheckDate: string | null;
  note: string | null;
  clinician: string | null;
}

/**
 * A therapy reversal as the services record it, without the pump state a form saw: the internal path of the
 * import, the generator and the demo clinic, which record history and base it on nothing they read.
 */
export const reversalEntryInput = z
  .object({
    pumpId: id,
    date: calendarDate,
    kind: oneOf(REVERSAL_KINDS),
    plan: optionalText(4000, 'multiline'),
    outcome: optionalText(4000, 'multiline'),
    note: optionalText(4000, 'multiline'),
    clinician: optionalText(100, 'name'),
  })
  .strict();
/**
 * `reversals.record` from a client: the entry and the pump's state the form was opened on (`PumpHistory.state`),
 * required (several people at once): refused (`conflict`) if another entry was recorded on the pump since.
 */
export const reversalInput = reversalEntryInput.extend({ pumpState }).strict();

export interface Reversal {
  id: number;
  /** Who recorded it (the signed-in user, from the session); null: recorded before Reservoir kept this. */
  recordedBy: Recorder | null;
  pumpId: number;
  date: string;
  kind: ReversalKind;
  plan: string | null;
  outcome: string | null;
  note: string | null;
  clinician: string | null;
}

/**
 * A removal as the services record it, without the pump state a form saw: the internal path of the
 * import, the generator and the demo clinic, which record history and base it on nothing they read.
 */
export const removalEntryInput = z
  .object({
    pumpId: id,
    date: calendarDate,
    reasons: z
      .array(oneOf(REMOVAL_REASONS))
      .min(1, { error: 'give at least one reason' })
      .refine((l) => new Set(l).size === l.length, { error: 'lists a reason twice' }),
    catheterRemoved: z.boolean({ error: 'say whether the catheter was removed' }),
    disposition: oneOf(DISPOSITIONS).optional(),
    note: optionalText(4000, 'multiline'),
    clinician: optionalText(100, 'name'),
    /** A new pump implanted in the same procedure. */
    replacement: pumpFields.strict().optional(),
  })
  .strict();
/**
 * `removals.record` from a client: the entry and the pump's state the form was opened on (`PumpHistory.state`),
 * required (several people at once): refused (`conflict`) if another entry was recorded on the pump since.
 */
export const removalInput = removalEntryInput.extend({ pumpState }).strict();

/**
 * Restarting therapy on a pump still in place after a therapy reversal: a new prescription with its
 * first fill, the same fields as a refill visit (the withdrawn residual is optional: a drained pump
 * has none; no discrepancy is computed, the pump was off). Dated on or after the reversal.
 */
export const therapyRestartInput = refillInput.omit({ acknowledgeDiscrepancy: true }).strict();
/** A therapy restart on the internal path (no pump state: see `refillEntryInput`). */
export const therapyRestartEntryInput = refillEntryInput.omit({ acknowledgeDiscrepancy: true }).strict();

/** A therapy restart: the reversal it ends and the refill row that holds its prescription and first fill. */
export interface TherapyRestart {
  id: number;
  pumpId: number;
  date: string;
  reversalId: number;
  refillId: number;
}

export interface Removal {
  id: number;
  /** Who recorded it (the signed-in user, from the session); null: recorded before Reservoir kept this. */
  recordedBy: Recorder | null;
  pumpId: number;
  date: string;
  reasons: RemovalReason[];
  catheterRemoved: boolean;
  disposition: Disposition | null;
  replacementPumpId: number | null;
  note: string | null;
  clinician: string | null;
}

// ---- reading the record -------------------------------------------------------------------------

/** The current state of a pump, as the worklist sees it. */
export interface PumpProjection {
  pumpId: number;
  inWorklist: boolean;
  lastRefillDate: string | null;
  dailyVolumeUl: number | null;
  alarmDate: string | null;
  emptyDate: string | null;
  nextDueDate: string | null;
  nextDueRule: NextDueRule | null;
  discrepancyFlag: boolean | null;
  replacementFromDate: string | null;
}

/** A running pump's urgency on the record, as of the clinic's today (issue 13). */
export interface PumpUrgency {
  asOf: string;
  urgency: Urgency;
  /** Days since the next refill date; 0 when it has not passed. */
  daysOverdue: number;
  /** The withdrawal warnings of the drugs of the last fill (drug list). */
  withdrawalWarnings: WithdrawalWarning[];
}

export interface PumpHistory {
  pump: Pump;
  projection: PumpProjection | null;
  /** Set on `patients.get` for a pump on the worklist; null or absent otherwise. */
  urgency?: PumpUrgency | null;
  refills: Refill[];
  doseChanges: DoseChange[];
  /** The latest therapy reversal (null when none); `reversals` holds every one, by date. */
  reversal: Reversal | null;
  reversals: Reversal[];
  /** Therapy restarts after a reversal, by date (each ends the reversal before it). */
  restarts: TherapyRestart[];
  removal: Removal | null;
  /**
   * The pump's state as read (its newest refill, dose change, reversal and removal): a clinical form
   * sends it back as `pumpState`, and an entry recorded on the pump since refuses it (several people at once).
   */
  state?: string;
}

export interface PatientRecord {
  patient: Patient;
  /** The patient's version as read: the details form sends it back as `basedOn` (several people at once). */
  patientVersion?: number;
  pumps: PumpHistory[];
  events: ClinicalEvent[];
  /** Signatures and amendments of the refills, removals and reversals that have any (absent: none read). */
  attestations?: EntryAttestation[];
  /** Independent double checks of the refills and dose changes that needed one (absent: none read). */
  verifications?: EntryVerification[];
}

/** Which list of the worklist: every pump needing attention, or one kind. */
export const WORKLIST_CATEGORIES = ['attention', 'empty', 'alarm', 'severe', 'overdue', 'due', 'replacement', 'flagged', 'adverse', 'not_booked'] as const;
export type WorklistCategory = (typeof WORKLIST_CATEGORIES)[number];

export const worklistInput = z
  .object({
    asOf: periodDate.optional(),
    days: wholeDays(0, 365).optional(),
    category: z.enum(WORKLIST_CATEGORIES, { error: `must be one of ${WORKLIST_CATEGORIES.join(', ')}` }).optional(),
    /** Rows per page (default 100) and how many to skip. */
    limit: z.number().int().min(1).max(500).optional(),
    offset: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();

export interface WorklistRow {
  patientId: number;
  mrn: string;
  patientName: string;
  pumpId: number;
  serial: string;
  model: string;
  lastRefill: string | null;
  dailyVolumeMl: number | null;
  alarmDate: string | null;
  emptyDate: string | null;
  nextDue: string | null;
  /** The refill status: the due date against the as-of date. */
  status: WorklistStatus;
  /** The worst that applies (shared/domain/worklist.ts `urgencyOf`): empty, alarm, overdue, due, ok. */
  urgency: Urgency;
  /** Which rule set the next refill date (alarm margin, stability limit, maximum interval). */
  nextDueRule: NextDueRule | null;
  /** Days since the next refill date; 0 when it has not passed. */
  daysOverdue: number;
  discrepancyFlag: boolean | null;
  replacementDue: boolean;
  openAdverseEvents: number;
  /** The open adverse events of the pump, worst severity first. */
  openAdverse: OpenAdverseEvent[];
  /** The withdrawal warnings of the drugs of the last fill (drug list), by drug name. */
  withdrawalWarnings: WithdrawalWarning[];
  /** How many of the pump's entries await an independent double check. */
  awaitingVerification: number;
  /** The pump's next booked refill appointment on or after the as-of date (null: not booked). */
  booked: { date: string; time: string } | null;
  /** A missed appointment of the pump awaits a call (the call list). */
  onCallList: boolean;
}

export interface OpenAdverseEvent {
  severity: Severity;
  kind: AdverseKind;
  date: string;
}

export interface WithdrawalWarning {
  drug: string;
  warning: string;
}

export interface Worklist {
  asOf: string;
  days: number;
  category: WorklistCategory;
  /** One page of the category's pumps, in due order; pumps on schedule are only counted (`counts.running`). */
  rows: WorklistRow[];
  /** How many pumps the category holds, and where this page starts. */
  total: number;
  offset: number;
  /**
   * `running`: every pump in place and running; `attention`: those needing attention (each once);
   * the rest: per kind (a pump can be in several).
   */
  counts: {
    running: number;
    attention: number;
    /** Estimated empty as of the date. */
    empty: number;
    /** Alarming (on or after the alarm date) and not empty. */
    alarm: number;
    /** Pumps with a severe or life-threatening open adverse event. */
    severeAdverse: number;
    overdue: number;
    due: number;
    replacementDue: number;
    flagged: number;
    openAdverseEvents: number;
    /** Entries (not pumps) awaiting an independent double check, of any pump. */
    awaitingVerification: number;
    /** Due or overdue pumps with no booked appointment on or after the as-of date (category `not_booked`). */
    dueNotBooked: number;
    /** Pumps with a missed appointment to call about (not rebooked, no call recorded). */
    callList: number;
  };
}

export const byId = z.object({ id }).strict();
