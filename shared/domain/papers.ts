/**
 * The papers a clinic prints and files (issue 16, item 3): the figures of the refill worksheet and
 * what the patient's card says about the alarm and overdose. Pure: no I/O, integers with units.
 *
 * Patient-facing wording names its source. Where no source was found, nothing is invented: the
 * alarm says "ask your clinic" and overdose signs are left out (listed in docs/reports.md).
 */
import { fail, ok, type Result } from '../contract/result';
import type { DoseChange, Refill } from '../contract/record';
import { compareDates, type CalendarDate } from './calendar';
import { emptyDate, fillPeriod, levelUlOn } from './reservoir';
import { pumpTimeline, toRateChanges } from './timeline';
import type { Microlitres } from './units';
import type { PrescribedDrug } from './prescription';

export interface WorksheetFigures {
  /** The fill the visit replaces (its date), null for a pump never filled. */
  lastFillDate: CalendarDate | null;
  /** The prescription in effect on the visit date (the last fill with its dose changes). */
  drugs: readonly PrescribedDrug[];
  /** The level projected for the visit date from the last fill (with dose changes), never below 0; null: never filled. */
  expectedResidualUl: Microlitres | null;
  /** True when the projection ran dry on or before the visit date (the residual of 0 is no check of the pump). */
  estimatedEmpty: boolean;
  /** The volume to add: the pump's reservoir volume (the pump is filled to its reservoir volume). */
  volumeToAddUl: Microlitres;
  alarmUl: Microlitres;
}

/**
 * The worksheet's figures for a refill visit on `visitDate`: the expected residual is the same
 * projection the refill form checks the withdrawn residual against (shared/domain/refill.ts).
 */
export function worksheetFigures(
  pump: { reservoirUl: number; alarmUl: number },
  refills: readonly Pick<Refill, 'date' | 'addedUl' | 'drugs' | 'mode' | 'extraVolumeUlPerDay'>[],
  doseChanges: readonly Pick<DoseChange, 'date' | 'drug' | 'dailyDoseNgPerDay'>[],
  visitDate: CalendarDate,
): Result<WorksheetFigures> {
  const base = { volumeToAddUl: pump.reservoirUl as Microlitres, alarmUl: pump.alarmUl as Microlitres };
  const last = refills.at(-1);
  if (!last) return ok({ ...base, lastFillDate: null, drugs: [], expectedResidualUl: null, estimatedEmpty: false });
  if (compareDates(visitDate, last.date as CalendarDate) < 0) return fail('invalid_input', `The visit date ${visitDate} is before the last fill (${last.date}).`, 'date');
  const steps = pumpTimeline(refills, doseChanges);
  if (!steps.ok) return steps;
  const inEffect = steps.value.filter((s) => compareDates(s.date, visitDate) <= 0).at(-1);
  const period = fillPeriod(last.date as CalendarDate, last.addedUl as Microlitres, toRateChanges(steps.value));
  if (!period.ok) return period;
  const empty = emptyDate(period.value);
  return ok({
    ...base,
    lastFillDate: last.date as CalendarDate,
    drugs: inEffect?.prescription.drugs ?? [],
    expectedResidualUl: levelUlOn(period.value, visitDate),
    estimatedEmpty: empty !== null && compareDates(empty, visitDate) <= 0,
  });
}

export interface Sourced {
  text: string;
  source: string;
}

/** What the patient is told when no source confirms their pump's alarm. */
export const ALARM_ASK_CLINIC = "Your pump's alarm: ask your clinic.";

/**
 * What the pump's alarms sound like, per model, from a named source; null where none confirms it
 * (the card then says ALARM_ASK_CLINIC).
 */
export function alarmSound(manufacturer: string, model: string): Sourced | null {
  const m = `${manufacturer} ${model}`.toLowerCase();
  if (/synchromed\s*(ii|2)\b/.test(m))
    return {
      text: 'A single repeating tone: the reservoir is low (or the battery is near its end). A two-tone alarm is critical: the reservoir is empty, the battery has ended or the pump has stopped — call the clinic at once.',
      source: 'FDA summary of safety and effectiveness, SynchroMed II (via the clinic reference, intrathecal-therapy.md §2)',
    };
  return null;
}

/**
 * Overdose signs a patient and their family should know, per drug, from a named source; null where
 * none was confirmed (the card leaves them out and says to ask the clinic).
 */
export function overdoseSigns(drug: string): Sourced | null {
  const key = drug.trim().toLowerCase();
  return Object.hasOwn(OVERDOSE_SIGNS, key) ? OVERDOSE_SIGNS[key]! : null;
}

/** Keyed by the drug's name in lower case. Only drugs whose patient wording has a named source. */
const OVERDOSE_SIGNS: Readonly<Record<string, Sourced>> = {
  morphine: {
    text: 'Light-headedness and dizziness, becoming extreme drowsiness; excitability or anxiety; very slow, shallow breathing (fewer than 8–10 breaths a minute); cannot be woken. Call the emergency number at once.',
    source: 'Medtronic UK patient page "Signs of overdose and underdose" (drug pump, chronic pain)',
  },
};

/** Drugs whose overdose signs have no confirmed source here (for the paper's "not on this card" line). */
export function overdoseUnconfirmed(drugs: readonly string[]): string[] {
  return drugs.filter((d) => overdoseSigns(d) === null);
}
