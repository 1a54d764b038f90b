/**
 * MedicationRequest per prescription period and Observation per withdrawn residual, for one pump.
 *
 * A prescription period starts at each step of the pump's timeline (a refill, or a dose change
 * applied from its own date: shared/domain/timeline.ts) and ends on the date of the next step, the
 * therapy reversal or the removal, whichever comes first; the period still running has no end.
 * Each drug of the prescription (one, or several in an admixture) is one MedicationRequest.
 */
import { INDICATION_LABELS, type Patient as RecordPatient } from '../../../../../shared/contract/patients';
import type { DoseChange, Refill, PumpHistory } from '../../../../../shared/contract/record';
import { assertNever } from '../../../../../shared/contract/result';
import { sameDrugName } from '../../../../../shared/domain/drugs';
import type { Prescription } from '../../../../../shared/domain/prescription';
import { pumpTimeline } from '../../../../../shared/domain/timeline';
import * as codes from './codes';
import { concentrationText, dailyDoseQuantity, dailyDoseText, decimalText, mlQuantity } from './quantities';
import { deviceKey, patientKey, recorderRef, ref, type ExportIds } from './record-resources';
import type { Annotation, MedicationRequest, Observation, Period } from './types';

type History = Pick<PumpHistory, 'pump' | 'refills' | 'doseChanges' | 'reversal' | 'removal'>;

function modeText(p: Prescription): string {
  const extra = p.extraVolumeUlPerDay > 0 ? ` (up to ${decimalText(p.extraVolumeUlPerDay, 1000)} mL/day extra volume)` : '';
  switch (p.mode) {
    case 'simple_continuous':
      return `continuous infusion${extra}`;
    case 'flex':
      return `flex schedule${extra}`;
    case 'bolus':
      return `continuous infusion with boluses${extra}`;
  }
  return assertNever(p.mode, 'infusion mode');
}

type Source = { kind: 'refill'; refill: Refill } | { kind: 'dose_change'; change: DoseChange };

/** The MedicationRequests of one pump, in timeline order. Throws if the stored history is inconsistent. */
export function medicationRequests(ids: ExportIds, history: History, patient: RecordPatient, checks: ReadonlyMap<string, string> = new Map()): MedicationRequest[] {
  const { pump, refills, doseChanges, reversal, removal } = history;
  const timeline = pumpTimeline(refills, doseChanges);
  if (!timeline.ok) throw new Error(`Pump ${pump.serial}: the prescription history cannot be read (${timeline.error.message})`);
  const steps = timeline.value;
  // pumpTimeline sorts stably by (date, refill before dose change): the k-th refill step is refills[k],
  // the k-th dose-change step doseChanges[k] (both come from the store in date order).
  let nextRefill = 0;
  let nextChange = 0;
  const sources: Source[] = steps.map((s) =>
    s.source === 'refill' ? { kind: 'refill', refill: refills[nextRefill++]! } : { kind: 'dose_change', change: doseChanges[nextChange++]! },
  );

  const reasonCode = patient.indications.map((i) => ({ text: INDICATION_LABELS[i] }));
  const out: MedicationRequest[] = [];
  let previous = new Map<string, string>(); // drug name (lower case) → key of its request in the step before
  steps.forEach((step, i) => {
    const source = sources[i]!;
    const ends: { date: string; stops: boolean }[] = [];
    const next = steps[i + 1];
    if (next) ends.push({ date: next.date, stops: false });
    if (reversal && reversal.date >= step.date) ends.push({ date: reversal.date, stops: true });
    if (removal && removal.date >= step.date) ends.push({ date: removal.date, stops: false });
    ends.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : Number(b.stops) - Number(a.stops)));
    const end = ends[0];
    const period: Period = end ? { start: step.date, end: end.date } : { start: step.date };
    const status: MedicationRequest['status'] = !end ? 'active' : end.stops ? 'stopped' : 'completed';
    const baseKey = source.kind === 'refill' ? `MedicationRequest/refill/${source.refill.id}` : `MedicationRequest/dose-change/${source.change.id}`;
    const current = new Map<string, string>();
    const drugs = step.prescription.drugs;
    drugs.forEach((d, k) => {
      const key = `${baseKey}/${k}`;
      current.set(d.name.toLowerCase(), key);
      const notes: Annotation[] = [];
      notes.push({
        text:
          source.kind === 'refill'
            ? `Prescription filled at the refill of ${step.date} (pump ${pump.serial}).`
            : `Dose change (reprogramming) on ${step.date} (pump ${pump.serial}).`,
      });
      const others = drugs.filter((o) => !sameDrugName(o.name, d.name));
      if (others.length > 0) {
        const list = others.map((o) => `${o.name} ${concentrationText(o.concentrationNgPerMl, o.unit)} at ${dailyDoseText(o.dailyDoseNgPerDay, o.unit)}`);
        notes.push({ text: `Admixture with ${list.join('; ')}.` });
      }
      const clinician = source.kind === 'refill' ? source.refill.clinician : source.change.clinician;
      if (clinician) notes.push({ text: `Recorded by ${clinician}.` });
      // Issue 17: until a second clinician verifies it, the entry leaves the app marked UNVERIFIED.
      const check = checks.get(source.kind === 'refill' ? `refill:${source.refill.id}` : `dose_change:${source.change.id}`);
      if (check) notes.push({ text: `Independent double check: ${check}.` });
      const recordNote = source.kind === 'refill' ? source.refill.note : source.change.note;
      if (recordNote) notes.push({ text: recordNote });
      const prior = previous.get(d.name.toLowerCase());
      const concentration = concentrationText(d.concentrationNgPerMl, d.unit);
      out.push({
        resourceType: 'MedicationRequest',
        id: ids.uuid(key),
        status,
        intent: 'order',
        medicationCodeableConcept: { text: `${d.name} ${concentration}` },
        subject: ref(ids, patientKey(patient)),
        supportingInformation: [ref(ids, deviceKey(pump), `${pump.model} serial ${pump.serial}`)],
        authoredOn: step.date,
        ...recorderRef(source.kind === 'refill' ? source.refill.recordedBy : source.change.recordedBy),
        ...(reasonCode.length > 0 ? { reasonCode } : {}),
        note: notes,
        dosageInstruction: [
          {
            text: `${dailyDoseText(d.dailyDoseNgPerDay, d.unit)} of ${d.name} ${concentration}, intrathecal, ${modeText(step.prescription)}`,
            timing: { repeat: { boundsPeriod: period } },
            route: codes.INTRATHECAL_ROUTE,
            doseAndRate: [{ type: codes.DOSE_RATE_ORDERED, rateQuantity: dailyDoseQuantity(d.dailyDoseNgPerDay, d.unit) }],
          },
        ],
        dispenseRequest: { validityPeriod: period },
        ...(prior ? { priorPrescription: { reference: `urn:uuid:${ids.uuid(prior)}` } } : {}),
      });
    });
    previous = current;
  });
  return out;
}

/** One Observation per refill with a measured (withdrawn) residual. */
export function residualObservations(ids: ExportIds, history: History, patient: RecordPatient): Observation[] {
  const { pump } = history;
  return history.refills.flatMap((refill): Observation[] => {
    if (refill.withdrawnUl === null) return [];
    const flag =
      refill.discrepancyFlag === null ? null : refill.discrepancyFlag ? codes.DISCREPANCY_FLAGGED : codes.DISCREPANCY_WITHIN;
    const component: NonNullable<Observation['component']> = [];
    if (refill.expectedResidualUl !== null) component.push({ code: codes.EXPECTED_RESIDUAL_CODE, valueQuantity: mlQuantity(refill.expectedResidualUl) });
    if (refill.discrepancyUl !== null) {
      component.push({ code: codes.DISCREPANCY_CODE, valueQuantity: mlQuantity(refill.discrepancyUl), ...(flag ? { interpretation: [flag] } : {}) });
    }
    return [
      {
        resourceType: 'Observation',
        id: ids.uuid(`Observation/residual/${refill.id}`),
        status: 'final',
        category: [codes.OBSERVATION_CATEGORY_PROCEDURE],
        code: codes.RESIDUAL_CODE,
        subject: ref(ids, patientKey(patient)),
        focus: [ref(ids, deviceKey(pump), `${pump.model} serial ${pump.serial}`)],
        effectiveDateTime: refill.date,
        ...(refill.clinician ? { performer: [{ display: refill.clinician }] } : {}),
        valueQuantity: mlQuantity(refill.withdrawnUl),
        ...(flag ? { interpretation: [flag] } : {}),
        ...(refill.note ? { note: [{ text: refill.note }] } : {}),
        ...(component.length > 0 ? { component } : {}),
      },
    ];
  });
}
