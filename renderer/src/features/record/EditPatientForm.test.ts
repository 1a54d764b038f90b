import { NO_CONTACTS } from '../../../../shared/contract/contacts';
import { describe, expect, it } from 'vitest';
import { patientCreateInput, patientUpdateEntryInput, type Patient } from '../../../../shared/contract/patients';
import { patientDraft } from '../patients/PatientFields';
import { patientChanges } from './EditPatientForm';

const brennan: Patient = {
  id: 2,
  mrn: 'RSV-1002',
  familyName: 'Brennan',
  givenName: 'Thomas',
  birthDate: '1971-11-02',
  sex: 'male',
  indications: ['spasticity'],
  allergies: null,
  clinician: 'Dr. Lindqvist',
  status: 'active',
  deathDate: null,
  transferDate: null,
  transferredTo: null,
  contacts: NO_CONTACTS,
};

describe('the patient forms’ shared draft', () => {
  it('starts blank for a new patient, which the create schema refuses field by field', () => {
    const parsed = patientCreateInput.safeParse(patientDraft());
    expect(parsed.success).toBe(false);
    const fields = new Set(parsed.error!.issues.map((i) => String(i.path[0])));
    for (const f of ['mrn', 'familyName', 'givenName', 'birthDate', 'sex', 'indications']) expect(fields).toContain(f);
  });

  it('an unchanged edit sends only the id (the form closes without a request)', () => {
    expect(patientChanges(brennan, patientDraft(brennan), 'active')).toEqual({ id: 2 });
  });

  it('sends only what changed; emptied allergies or clinician become null (cleared), typed ones are kept', () => {
    const draft = { ...patientDraft(brennan), allergies: 'Baclofen oral tablets (rash)', clinician: '  ', indications: ['spasticity' as const, 'crps' as const] };
    const changes = patientChanges(brennan, draft, 'deceased');
    expect(changes).toEqual({ id: 2, allergies: 'Baclofen oral tablets (rash)', clinician: null, indications: ['spasticity', 'crps'], status: 'deceased' });
    expect(patientUpdateEntryInput.safeParse(changes).success).toBe(true);
  });

  it('does not count the same indications in another order as a change', () => {
    const p = { ...brennan, indications: ['spasticity', 'crps'] as Patient['indications'] };
    expect(patientChanges(p, { ...patientDraft(p), indications: ['crps', 'spasticity'] }, 'active')).toEqual({ id: 2 });
  });

  it('sends the date of death with status deceased, the transfer date and receiver with transferred; a blank one as missing, for main to name', () => {
    const dates = { deathDate: '2026-11-02', transferDate: '2026-10-01', transferredTo: 'Northside' };
    expect(patientChanges(brennan, patientDraft(brennan), 'deceased', dates)).toEqual({ id: 2, status: 'deceased', deathDate: '2026-11-02' });
    expect(patientChanges(brennan, patientDraft(brennan), 'transferred', dates)).toEqual({ id: 2, status: 'transferred', transferDate: '2026-10-01', transferredTo: 'Northside' });
    expect(patientChanges(brennan, patientDraft(brennan), 'deceased', { ...dates, deathDate: '' })).toEqual({ id: 2, status: 'deceased' });
    const dead: Patient = { ...brennan, status: 'deceased', deathDate: '2026-11-02' };
    expect(patientChanges(dead, patientDraft(dead), 'active', { ...dates, deathDate: '2026-11-02' })).toEqual({ id: 2, status: 'active' });
    expect(patientUpdateEntryInput.safeParse(patientChanges(brennan, patientDraft(brennan), 'deceased', dates)).success).toBe(true);
  });
});
