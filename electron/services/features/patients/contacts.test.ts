import { describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';
import { patientContactsInput, phoneDigits, type PatientContactsInput } from '../../../../shared/contract/contacts';
import type { Patient, PatientListRow } from '../../../../shared/contract/patients';
import { birthDateReadings, nameReadings, phoneQuery } from './search';

const t = useTestServices();
const { must } = t;

const FULL: PatientContactsInput = {
  phones: [
    { use: 'mobile', number: '+1 (555) 010-1234' },
    { use: 'home', number: '555-0199' },
  ],
  address: { lines: ['12 Harbour Road', 'Flat 3'], city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' },
  emergencyContact: { name: 'Maria Okafor', relationship: 'Daughter', phone: '555 0142 77' },
  referringPhysician: { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(555) 010-2000' },
  familyDoctor: { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: null },
  language: 'pt-br',
};

/** The first problem of contacts as the contract reads them: the field's path and its message. */
function problem(input: unknown): { path: string; message: string } | null {
  const r = patientContactsInput.safeParse(input);
  if (r.success) return null;
  const i = r.error.issues[0]!;
  return { path: i.path.join('.'), message: i.message };
}

describe('contacts: validation names the field and the problem', () => {
  it('accepts full contacts and writes the language tag canonically', () => {
    const r = patientContactsInput.parse(FULL);
    expect(r.language).toBe('pt-BR');
    expect(r.familyDoctor).toEqual({ name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: null });
    expect(patientContactsInput.parse({})).toEqual({ phones: [], address: null, emergencyContact: null, referringPhysician: null, familyDoctor: null, language: null });
  });

  it('phone numbers: digits, spaces, +, -, dots and parentheses, 6 to 20 digits — not free text', () => {
    const phone = (number: string) => problem({ phones: [{ use: 'mobile', number }] });
    expect(phone('555 0101')).toBeNull();
    expect(phone('+44 20 7946 0958')).toBeNull();
    expect(phone('call after 5pm')).toEqual({ path: 'phones.0.number', message: 'may contain only digits, spaces, a leading +, hyphens, dots and parentheses' });
    expect(phone('555-01x')).toEqual({ path: 'phones.0.number', message: 'may contain only digits, spaces, a leading +, hyphens, dots and parentheses' });
    expect(phone('12345')).toEqual({ path: 'phones.0.number', message: 'must have 6 to 20 digits' });
    expect(phone('1'.repeat(21))).toEqual({ path: 'phones.0.number', message: 'must have 6 to 20 digits' });
    expect(phone('')).toEqual({ path: 'phones.0.number', message: 'is required' });
    expect(problem({ phones: [{ use: 'fax', number: '555 0101' }] })).toEqual({ path: 'phones.0.use', message: 'must be one of mobile, home, work' });
    expect(problem({ emergencyContact: { name: 'Maria', relationship: 'Daughter', phone: 'ask the neighbour' } })?.path).toBe('emergencyContact.phone');
    expect(problem({ referringPhysician: { name: 'Dr. Rao', phone: '12' } })).toEqual({ path: 'referringPhysician.phone', message: 'must have 6 to 20 digits' });
    expect(phoneDigits('+1 (555) 010-1234')).toBe('15550101234');
  });

  it('address, emergency contact, physicians and language each name their field', () => {
    expect(problem({ address: { lines: [] } })).toEqual({ path: 'address.lines', message: 'needs at least one street line' });
    expect(problem({ address: { lines: ['1 Road'], postalCode: 'x'.repeat(21) } })).toEqual({ path: 'address.postalCode', message: 'must be at most 20 characters' });
    expect(problem({ emergencyContact: { name: 'Maria', phone: '555 0101' } })).toEqual({ path: 'emergencyContact.relationship', message: 'is required' });
    expect(problem({ familyDoctor: { name: '' } })).toEqual({ path: 'familyDoctor.name', message: 'is required' });
    expect(problem({ language: 'Portuguese please' })).toEqual({ path: 'language', message: 'must be a language tag such as en, es or pt-BR' });
    expect(problem({ language: 'en-' })?.path).toBe('language');
    expect(problem({ language: 'es-MX' })).toBeNull();
    expect(problem({ referringPhysician: { name: 'Dr. Rao', phone: 'pager' } })?.message).toBe('may contain only digits, spaces, a leading +, hyphens, dots and parentheses');
    expect(problem({ familyDoctor: { name: 'Dr. Park', phone: '' } })).toBeNull();
    expect(problem({ fax: '555' })?.message).toMatch(/fax/);
  });
});

describe('contacts on the patient: stored, audited, versioned', () => {
  it('are saved with the patient, replaced whole by an update, and audited with before and after', async () => {
    const p = await must<Patient>('patients.create', { mrn: 'C-1', familyName: 'Okafor', givenName: 'Ngozi', birthDate: '1961-03-14', sex: 'female', indications: ['spasticity'], contacts: FULL });
    expect(p.contacts.phones).toEqual(FULL.phones);
    expect(p.contacts.language).toBe('pt-BR');
    const updated = await must<Patient>('patients.update', { id: p.id, contacts: { ...FULL, phones: [{ use: 'work', number: '555 0177 00' }], language: 'es' } });
    expect(updated.contacts.phones).toEqual([{ use: 'work', number: '555 0177 00' }]);
    expect(updated.contacts.address?.city).toBe('Springfield');
    const audit = await t.as('auditor').dispatch('audit.list', { action: 'update' });
    if (!audit.ok) throw new Error(audit.error.message);
    const entry = (audit.value as { entity: string; before: Patient; after: Patient }[]).find((e) => e.entity === 'patient');
    expect(entry?.before.contacts.language).toBe('pt-BR');
    expect(entry?.after.contacts.language).toBe('es');
    // A wrong number is refused naming the field, and nothing changes.
    const bad = await t.refused('patients.update', { id: p.id, contacts: { phones: [{ use: 'mobile', number: 'unknown' }] } });
    expect(bad.field).toBe('contacts.phones.0.number');
    expect((await must<{ patient: Patient }>('patients.get', { id: p.id })).patient.contacts.language).toBe('es');
  });

  it('an edit of the contacts based on an older version of the patient is refused (conflict)', async () => {
    const p = await must<Patient>('patients.create', { mrn: 'C-2', familyName: 'Abrams', givenName: 'Nora', birthDate: '1950-01-01', sex: 'female', indications: ['spasticity'] });
    const seen = (await must<{ patientVersion: number }>('patients.get', { id: p.id })).patientVersion;
    expect((await t.as('staff').dispatch('patients.update', { id: p.id, contacts: { language: 'fr' }, basedOn: seen })).ok).toBe(true);
    const stale = await t.as('clinician').dispatch('patients.update', { id: p.id, contacts: { language: 'de' }, basedOn: seen });
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.error.code).toBe('conflict');
  });
});

describe('finding anyone fast', () => {
  async function found(query: string, dateOrder?: 'mdy' | 'dmy' | 'ymd'): Promise<string[]> {
    return (await must<PatientListRow[]>('patients.list', { query, ...(dateOrder ? { dateOrder } : {}) })).map((p) => p.mrn);
  }
  async function patient(mrn: string, familyName: string, givenName: string, birthDate: string, phones: string[] = []) {
    await must('patients.create', { mrn, familyName, givenName, birthDate, sex: 'female', indications: ['spasticity'], contacts: { phones: phones.map((number) => ({ use: 'mobile', number })) } });
  }

  it('reads names, dates and phone numbers as people type them', () => {
    expect(nameReadings('Ngozi Okafor')).toEqual([{ given: 'Ngozi', family: 'Okafor' }, { family: 'Ngozi', given: 'Okafor' }]);
    expect(nameReadings('Okafor, Ngozi')).toEqual([{ family: 'Okafor', given: 'Ngozi' }]);
    expect(nameReadings('Okafor')).toEqual([]);
    expect(birthDateReadings('1961-03-14', undefined)).toEqual(['1961-03-14']);
    expect(birthDateReadings('03/14/1961', 'mdy')).toEqual(['1961-03-14']);
    expect(birthDateReadings('14.03.1961', 'dmy')).toEqual(['1961-03-14']);
    expect(birthDateReadings('03/14/1961', 'dmy')).toEqual([]); // no 14th month
    expect(birthDateReadings('03/04/1961', undefined)).toEqual(['1961-03-04', '1961-04-03']);
    expect(birthDateReadings('02/30/1961', 'mdy')).toEqual([]);
    expect(phoneQuery('(555) 010-1234')).toBe('5550101234');
    expect(phoneQuery('555')).toBeNull();
    expect(phoneQuery('Okafor')).toBeNull();
  });

  it('finds by "First Last", "Last, First", birth date (ISO and locale) and phone digits, with MRN and serial as before', async () => {
    await patient('RSV-1', 'Okafor', 'Ngozi', '1961-03-14', ['+1 (555) 010-1234']);
    await patient('RSV-2', 'Okafor', 'Brigid', '1975-07-02', ['555.010.9876']);
    await patient('RSV-3', 'García-López', 'José', '1961-04-03');
    await patient('RSV-4', 'Abrams', 'Nora', '1980-12-01');
    expect(await found('Ngozi Okafor')).toEqual(['RSV-1']);
    expect(await found('ngozi okafor')).toEqual(['RSV-1']);
    expect(await found('Okafor, Ngozi')).toEqual(['RSV-1']);
    expect(await found('okafor,ng')).toEqual(['RSV-1']);
    expect(await found('Okafor Ngozi')).toEqual(['RSV-1']);
    expect(await found('Okafor')).toEqual(['RSV-2', 'RSV-1']); // by given name within the family
    expect(await found('José García-López')).toEqual(['RSV-3']);
    expect(await found('García-López, José')).toEqual(['RSV-3']);
    expect(await found('garcía-l')).toEqual(['RSV-3']);
    expect(await found('1961-03-14')).toEqual(['RSV-1']);
    expect(await found('03/14/1961', 'mdy')).toEqual(['RSV-1']);
    expect(await found('14/03/1961', 'dmy')).toEqual(['RSV-1']);
    expect(await found('03/04/1961', 'dmy')).toEqual(['RSV-3']);
    expect(await found('03/04/1961', 'mdy')).toEqual([]);
    expect(await found('5550101234')).toEqual(['RSV-1']);
    expect(await found('(555) 010-1234')).toEqual(['RSV-1']);
    expect(await found('+1 555 010 1234')).toEqual(['RSV-1']);
    expect(await found('555 010')).toEqual(['RSV-2']); // the start of a number (RSV-1's starts with 1)
    expect(await found('010 1234')).toEqual(['RSV-1']); // the end of one
    expect(await found('555-010-98')).toEqual(['RSV-2']);
    expect(await found('RSV-4')).toEqual(['RSV-4']);
  });

  it('a phone number changed or removed is found by its new digits only', async () => {
    await patient('RSV-1', 'Okafor', 'Ngozi', '1961-03-14', ['555 010 1234']);
    const id = (await must<PatientListRow[]>('patients.list', { query: 'RSV-1' }))[0]!.id;
    await must('patients.update', { id, contacts: { phones: [{ use: 'home', number: '555 020 4321' }] } });
    expect(await found('5550101234')).toEqual([]);
    expect(await found('5550204321')).toEqual(['RSV-1']);
    await must('patients.update', { id, contacts: {} });
    expect(await found('5550204321')).toEqual([]);
  });
});
