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
 * (the card then says ALARM_ASK_CLINIC). Searched without a source found (docs/reports.md):
 * SynchroMed EL, Prometra / Prometra II, Codman 3000 (its maker's patient page says it has no
 * battery, but not that it has no alarm), Codman MedStream.
 */
export function alarmSound(manufacturer: string, model: string): Sourced | null {
  const m = `${manufacturer} ${model}`.toLowerCase();
  if (/synchromed\s*(ii|2)\b/.test(m))
    return {
      text: 'A single repeating tone: the reservoir is low (or the battery is near its end). A two-tone alarm is critical: the reservoir is empty, the battery has ended or the pump has stopped — call the clinic at once.',
      source: 'FDA summary of safety and effectiveness, SynchroMed II (fda.gov, ucm359111), via the clinic reference intrathecal-therapy.md §2 (Devices, Alarms)',
    };
  return null;
}

/**
 * The key a drug's name is looked up by: its generic name in lower case, spaces trimmed and
 * collapsed, a trailing salt word dropped ("Morphine sulfate" is morphine). A brand name is no key.
 */
export function genericKey(drug: string): string {
  return drug
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ (sulfate|sulphate|hydrochloride|hcl|citrate|acetate)$/, '');
}

/**
 * Overdose signs a patient and their family should know, per drug, from a named source; null where
 * none was confirmed (the card leaves them out and says to ask the clinic). An admixture asks once
 * per drug.
 */
export function overdoseSigns(drug: string): Sourced | null {
  const key = genericKey(drug);
  return Object.hasOwn(OVERDOSE_SIGNS, key) ? OVERDOSE_SIGNS[key]! : null;
}

/**
 * Keyed by generic name (genericKey). Only drugs whose patient wording has a named source: the
 * drug's own label (OVERDOSAGE section) or its maker's patient page, written in plain words and
 * ending with what to do. Signs the patient cannot see (blood pressure, lab values) are left out.
 */
const OVERDOSE_SIGNS: Readonly<Record<string, Sourced>> = {
  baclofen: {
    text: 'Early signs: unusual drowsiness or sleepiness, light-headedness, dizziness — call the clinic at once. Serious signs: slow or shallow breathing, a seizure (fit), muscles going weak and floppy and spreading upwards from the legs, or cannot be woken — call the emergency number at once.',
    source:
      'Lioresal Intrathecal (baclofen injection), US prescribing information, OVERDOSAGE ("Symptoms of Lioresal Intrathecal Overdose"), no revision date shown; label text at http://www.druglib.com/druginfo/lioresal-intrathecal/interactions_overdosage_contraindications/',
  },
  morphine: {
    text: 'Light-headedness and dizziness, becoming extreme drowsiness; excitability or anxiety; very slow, shallow breathing (fewer than 8–10 breaths a minute); cannot be woken. Call the emergency number at once.',
    source:
      'Medtronic UK patient page "Signs of Overdose and Underdose" (drug pump, chronic pain), section "Signs of Overdose", no date shown; https://www.medtronic.com/uk-en/patients/treatments-therapies/drug-pump-chronic-pain/living-with/drug-pumps-signs-of-underdose-and-overdose.html',
  },
  hydromorphone: {
    text: 'Very sleepy, becoming hard or impossible to wake; slow, shallow or snoring breathing; limp muscles; cold, clammy skin; very small (pinpoint) pupils; a slow heartbeat. Call the emergency number at once.',
    source:
      'Dilaudid and Dilaudid-HP Injection (hydromorphone hydrochloride), US prescribing information, OVERDOSAGE, "Clinical Presentation", no revision date shown; label text at https://pill2trip.com/medicine/dilaudid',
  },
  fentanyl: {
    text: 'Very sleepy, becoming hard or impossible to wake; slow or shallow breathing; limp muscles; cold, clammy skin. Call the emergency number at once.',
    source:
      'Fentanyl Citrate Injection, US prescribing information, 10 OVERDOSAGE, "Clinical Presentation", no revision date shown; label text at https://medlibrary.org/lib/rx/meds/fentanyl-citrate-9/page/6/',
  },
  sufentanil: {
    text: 'Breathing that becomes slow, shallow or stops (the most serious sign of too much sufentanil), sometimes with stiff muscles. Call the emergency number at once.',
    source:
      'Sufentanil Citrate Injection, US prescribing information, OVERDOSAGE ("the most serious and significant effect of overdose ... is respiratory depression"), no revision date shown; label text at https://medlibrary.org/lib/rx/meds/sufentanil-citrate/page/4/',
  },
  ziconotide: {
    text: 'Dizziness, unsteady walking, jerky or flickering eye movements, confusion, unusual sleepiness, trouble finding words or garbled speech, muscle jerks, feeling or being sick — call the clinic at once. Very hard to wake, or not responding — call the emergency number at once.',
    source:
      'Prialt (ziconotide intrathecal infusion), US prescribing information, OVERDOSAGE, no revision date shown; label text at http://www.rxlist.com/prialt-drug/overdosage-contraindications.htm',
  },
  clonidine: {
    text: 'Unusual drowsiness or irritability — call the clinic at once. Slow or shallow breathing, a very slow pulse, a low body temperature, very small (pinpoint) pupils, or cannot be woken — call the emergency number at once.',
    source:
      'Duraclon (clonidine hydrochloride injection, epidural), US prescribing information, OVERDOSAGE, no revision date shown; label text at https://medlibrary.org/lib/rx/meds/duraclon/page/4/ (the same at http://www.rxlist.com/duraclon-drug/overdosage-contraindications.htm)',
  },
  bupivacaine: {
    text: 'Numbness or weakness spreading up the body; breathing that becomes weak or slow, or stops; a seizure (fit); cannot be woken. Warning signs that can come first: numb or tingling lips and mouth, a metallic taste, ringing in the ears, blurred vision, dizziness, restlessness, muddled speech, shaking or twitching, drowsiness. Call the emergency number at once.',
    source:
      'Bupivacaine Hydrochloride Injection, USP – Spinal (Marcaine Spinal), Pfizer US prescribing information, 10 OVERDOSAGE "Clinical Presentation" and 5.3 "Dose-Related Toxicity" (early warning signs), no revision date shown; https://www.pfizermedicalinformation.com/en-us/bupivacaine-hydrochloride-0/overdose and https://www.pfizermedicalinformation.com/en-us/marcaine-0/warnings (a label for one spinal injection, not for a pump infusion)',
  },
};

/** Drugs whose overdose signs have no confirmed source here (for the paper's "not on this card" line). */
export function overdoseUnconfirmed(drugs: readonly string[]): string[] {
  return drugs.filter((d) => overdoseSigns(d) === null);
}
