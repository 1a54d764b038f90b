/**
 * Patients who died or moved away (issue 13, item 5). A deceased patient has a date of death; a
 * transferred one a date and to whom. Their pumps leave the worklist and the running counts (the
 * projection's `in_worklist`, rewritten for each of their pumps in the transaction that changes the
 * status), and no clinical entry other than a pump removal may be recorded for them.
 */
import type { Patient } from '../../../../shared/contract/patients';
import { fail, ok, type Result } from '../../../../shared/contract/result';

/* The columns death_date, transfer_date and transferred_to: migration 9
 * (store/migrations/sqlite/0009-therapy-restarts.ts). */

/** True when the patient's pumps are cared for no more here: they leave the worklist. */
export function leftTheClinic(patient: Pick<Patient, 'status'>): boolean {
  switch (patient.status) {
    case 'deceased':
    case 'transferred':
      return true;
    case 'active':
    case 'therapy_stopped':
      return false;
  }
}

/** "Nora Quinn" */
export function patientName(p: Pick<Patient, 'givenName' | 'familyName'>): string {
  return `${p.givenName} ${p.familyName}`;
}

/**
 * Refuses a clinical entry (anything but a pump removal) for a deceased or transferred patient,
 * saying why, at `field`.
 */
export function acceptsClinicalEntries(patient: Patient, field = 'pumpId'): Result<null> {
  switch (patient.status) {
    case 'deceased':
      return fail(
        'refused',
        `${patientName(patient)} is recorded as deceased${patient.deathDate ? ` on ${patient.deathDate}` : ''}: only a pump removal can be recorded.`,
        field,
      );
    case 'transferred':
      return fail(
        'refused',
        `${patientName(patient)} is recorded as transferred${patient.transferDate ? ` on ${patient.transferDate}` : ''}${patient.transferredTo ? ` to ${patient.transferredTo}` : ''}: only a pump removal can be recorded.`,
        field,
      );
    case 'active':
    case 'therapy_stopped':
      return ok(null);
  }
}

/**
 * The date rules of a patient as it would be saved: birth not after today; a date of death (required
 * when deceased) neither before the birth nor after today; a transfer date and receiver (required
 * when transferred) likewise. `given` says which fields the request named, so a missing date is
 * reported at the field the person has to fill in.
 */
export function checkPatientDates(next: Patient, today: string): Result<null> {
  if (next.birthDate > today) return fail('refused', `The birth date ${next.birthDate} is in the future (today is ${today}).`, 'birthDate');
  switch (next.status) {
    case 'deceased':
      if (next.deathDate === null) return fail('invalid_input', 'Enter the date of death: it is required for a deceased patient.', 'deathDate');
      if (next.deathDate < next.birthDate) return fail('refused', `The date of death ${next.deathDate} is before the birth date ${next.birthDate}.`, 'deathDate');
      if (next.deathDate > today) return fail('refused', `The date of death ${next.deathDate} is in the future (today is ${today}).`, 'deathDate');
      break;
    case 'transferred':
      if (next.transferDate === null) return fail('invalid_input', 'Enter the date of the transfer: it is required for a transferred patient.', 'transferDate');
      if (next.transferDate < next.birthDate) return fail('refused', `The transfer date ${next.transferDate} is before the birth date ${next.birthDate}.`, 'transferDate');
      if (next.transferDate > today) return fail('refused', `The transfer date ${next.transferDate} is in the future (today is ${today}).`, 'transferDate');
      if (next.transferredTo === null) return fail('invalid_input', 'Enter to whom the patient was transferred (a clinic or physician).', 'transferredTo');
      break;
    case 'active':
    case 'therapy_stopped':
      break;
  }
  return ok(null);
}

/**
 * The import's rule (record/batch.ts): history migrated from a spreadsheet may hold visits made
 * before the patient died or moved away, so an entry dated on or before the date of death or
 * transfer is accepted; one dated after it is refused as `acceptsClinicalEntries` refuses it.
 */
export function acceptsClinicalEntryOn(patient: Patient, date: string, field = 'date'): Result<null> {
  const left = patient.status === 'deceased' ? patient.deathDate : patient.status === 'transferred' ? patient.transferDate : null;
  if (!leftTheClinic(patient) || (left !== null && date <= left)) return ok(null);
  return acceptsClinicalEntries(patient, field);
}

