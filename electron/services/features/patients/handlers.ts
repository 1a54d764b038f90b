import { fail, ok } from '../../../../shared/contract/result';
import type { FeatureHandlers, HandlerContext } from '../../handler-types';
import type { ParsedInputOf } from '../../../../shared/contract';
import type { Patient } from '../../../../shared/contract/patients';
import type { Result } from '../../../../shared/contract/result';

/** Applies the given changes to a patient; an MRN may not collide, a birth date may not follow a pump's implant. */
export function updatePatient(ctx: HandlerContext, input: ParsedInputOf<'patients.update'>): Result<Patient> {
  const current = ctx.store.patients.get(input.id);
  if (!current) return fail('not_found', `There is no patient with id ${input.id}.`, 'id');
  if (input.mrn !== undefined) {
    const other = ctx.store.patients.findByMrn(input.mrn);
    if (other && other.id !== current.id) return fail('conflict', `A patient with MRN ${input.mrn} already exists.`, 'mrn');
  }
  if (input.birthDate !== undefined) {
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
  };
  return ok(ctx.store.patients.update(next, ctx.now()));
}

export const patientHandlers: FeatureHandlers<'patients.create' | 'patients.list' | 'patients.update'> = {
  'patients.update': (input, ctx) => ctx.store.write(() => updatePatient(ctx, input)),
  'patients.create': (input, ctx) => {
    const store = ctx.store;
    return store.write(() => {
      if (store.patients.findByMrn(input.mrn)) {
        return fail('conflict', `A patient with MRN ${input.mrn} already exists.`, 'mrn');
      }
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
      }),
    ),
};
