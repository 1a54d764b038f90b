import { fail, ok } from '../../../../shared/contract/result';
import type { FeatureHandlers, HandlerContext } from '../../handler-types';
import type { z } from 'zod';
import type { Patient, patientUpdateEntryInput } from '../../../../shared/contract/patients';
import type { Result } from '../../../../shared/contract/result';
import { todayIn } from '../../../../shared/domain/calendar';
import { refreshProjection } from '../record/projection';
import { checkPatientDates, leftTheClinic } from './status';

/** The clinic's today, in its time zone. */
function today(ctx: HandlerContext): string {
  return todayIn(ctx.store.catalog.settings().timeZone, ctx.now());
}

/** Applies the given changes to a patient; an MRN may not collide, a birth date may not follow a pump's implant. (The version check is the handler's.) */
export function updatePatient(ctx: HandlerContext, input: z.output<typeof patientUpdateEntryInput>): Result<Patient> {
  const current = ctx.store.patients.get(input.id);
  if (!current) return fail('not_found', `There is no patient with id ${input.id}.`, 'id');
  if (input.mrn !== undefined) {
    const other = ctx.store.patients.findByMrn(input.mrn);
    if (other && other.id !== current.id) return fail('conflict', `A patient with MRN ${input.mrn} already exists.`, 'mrn');
  }
  if (input.birthDate !== undefined) {
    const now = today(ctx);
    if (input.birthDate > now) return fail('refused', `The birth date ${input.birthDate} is in the future (today is ${now}).`, 'birthDate');
    const first = ctx.store.record.pumpsOfPatient(current.id)[0];
    if (first && input.birthDate > first.implantDate) {
      return fail('refused', `The birth date cannot follow the first pump's implant date (${first.implantDate}).`, 'birthDate');
    }
  }
  const next: Patient = {
    ...current,
    mrn: input.mrn ?? current.mrn,
    familyName: input.familyName ?? current.familyName,
    givenName: input.givenName ?? current.givenName,
    birthDate: input.birthDate ?? current.birthDate,
    sex: input.sex ?? current.sex,
    indications: input.indications ?? current.indications,
    allergies: input.allergies === undefined ? current.allergies : input.allergies,
    clinician: input.clinician === undefined ? current.clinician : input.clinician,
    status: input.status ?? current.status,
    contacts: input.contacts ?? current.contacts,
    deathDate: null,
    transferDate: null,
    transferredTo: null,
  };
  // A date of death is kept only while the status is deceased, a transfer's while transferred: a
  // status set back (a mistaken death) clears it, and the audit entry keeps the values before.
  if (next.status === 'deceased') next.deathDate = input.deathDate === undefined ? current.deathDate : input.deathDate;
  if (next.status === 'transferred') {
    next.transferDate = input.transferDate === undefined ? current.transferDate : input.transferDate;
    next.transferredTo = input.transferredTo === undefined ? current.transferredTo : input.transferredTo;
  }
  const dated = checkPatientDates(next, today(ctx));
  if (!dated.ok) return dated;
  const saved = ctx.store.patients.update(next, ctx.now());
  // Their pumps leave (or rejoin) the worklist and the running counts in the same transaction.
  if (leftTheClinic(current) !== leftTheClinic(saved)) {
    for (const pump of ctx.store.record.pumpsOfPatient(saved.id)) refreshProjection(ctx, pump.id);
  }
  return ok(saved);
}

export const patientHandlers: FeatureHandlers<'patients.create' | 'patients.list' | 'patients.update'> = {
  // Several people at once: an edit based on an older version of the patient is refused with the values now.
  'patients.update': (input, ctx) =>
    ctx.store.write(() => {
      const stale = ctx.store.versions.check('patient', input.id, input.basedOn, ctx.store.catalog.settings().timeZone, () => ctx.store.patients.get(input.id));
      return stale ?? updatePatient(ctx, input);
    }),
  'patients.create': (input, ctx) => {
    const store = ctx.store;
    return store.write(() => {
      if (store.patients.findByMrn(input.mrn)) {
        return fail('conflict', `A patient with MRN ${input.mrn} already exists.`, 'mrn');
      }
      const now = today(ctx);
      if (input.birthDate > now) return fail('refused', `The birth date ${input.birthDate} is in the future (today is ${now}).`, 'birthDate');
      return ok(store.patients.create(input, ctx.now()));
    });
  },
  'patients.list': (input, ctx) =>
    ok(
      ctx.store.patients.search({
        query: input.query || undefined,
        status: input.status,
        indication: input.indication,
        drug: input.drug || undefined,
        limit: input.limit ?? 200,
        dateOrder: input.dateOrder,
      }),
    ),
};
