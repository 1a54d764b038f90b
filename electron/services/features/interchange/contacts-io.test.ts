import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientCreateInput } from '../../../../shared/contract/patients';
import { contactsInput } from './contacts';
import { exportRecord } from './export';
import { formatIssue } from './format';
import { importRecord } from './import';
import { fixtureFiles, readFolder, workspace } from './test-support';

let ws: ReturnType<typeof workspace>;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

/** Every contact field, with a comma, quotes and a leading + to quote and defuse. */
const FULL = {
  phones: [
    { use: 'mobile', number: '+1 (312) 555-0110' },
    { use: 'home', number: '312.555.0111' },
  ],
  address: { lines: ['14 Alder Lane, Flat 2', 'c/o "The Lodge"'], city: 'Springfield', region: 'IL', postalCode: '62701', country: 'USA' },
  emergencyContact: { name: 'Daniel Okafor', relationship: 'Son', phone: '(312) 555-0111' },
  referringPhysician: { name: 'Dr. Anil Rao', practice: null, phone: '(312) 555-0192' },
  familyDoctor: { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: null },
  language: 'pt-BR',
} as const;

const PATIENTS_HEADER = 'mrn,family_name,given_name,birth_date,sex,indication';

describe('contacts in patients.csv', () => {
  it('round-trips: export, import into an empty clinic, the same contacts and the same files', () => {
    const first = ws.db();
    const create = (mrn: string, contacts?: object) =>
      first.store.patients.insert(patientCreateInput.parse({ mrn, familyName: 'Okafor', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['spasticity'], ...(contacts ? { contacts } : {}) }), 0);
    create('C-1', FULL);
    create('C-2', { phones: [{ use: 'work', number: '555 0199' }], language: 'es' });
    create('C-3');
    const out1 = ws.path('out-1');
    expect(exportRecord(first.ctx, out1).ok).toBe(true);
    const text = readFolder(out1)['patients.csv']!.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      `\uFEFF${PATIENTS_HEADER},phones,address_line_1,address_line_2,address_line_3,address_line_4,address_city,address_region,address_postal_code,address_country,emergency_name,emergency_relationship,emergency_phone,referring_name,referring_practice,referring_phone,family_doctor_name,family_doctor_practice,family_doctor_phone,language`,
    );
    expect(text).toContain(`C-1,Okafor,Grace,1958-03-14,female,spasticity,mobile:+1 (312) 555-0110;home:312.555.0111,"14 Alder Lane, Flat 2","c/o ""The Lodge""",,,Springfield,IL,62701,USA,`);

    const second = ws.db();
    const imported = importRecord(second.ctx, out1);
    expect(imported.ok, imported.ok ? '' : imported.issues.map(formatIssue).join('\n')).toBe(true);
    for (const mrn of ['C-1', 'C-2', 'C-3']) expect(second.store.patients.findByMrn(mrn)!.contacts, mrn).toEqual(first.store.patients.findByMrn(mrn)!.contacts);
    expect(second.store.patients.findByMrn('C-1')!.contacts).toEqual(FULL);
    const out2 = ws.path('out-2');
    expect(exportRecord(second.ctx, out2).ok).toBe(true);
    expect(readFolder(out2)['patients.csv']).toEqual(readFolder(out1)['patients.csv']);
    // Importing the same files again changes nothing (the contacts are the ones recorded).
    const again = importRecord(second.ctx, out1);
    expect(again).toMatchObject({ ok: true, value: { created: { patients: 0 } } });
  });

  it('checks each contact with the contact form\'s rules and names file:line: column', () => {
    const files = fixtureFiles();
    const header = `${PATIENTS_HEADER},phones,emergency_name,emergency_relationship,emergency_phone,address_city,language,family_doctor_phone`;
    files['patients.csv'] = [
      header,
      'RSV-001,Okafor,Grace,1958-03-14,female,spasticity,mobile:12ab,,,,,,',
      'RSV-002,Lindqvist,Erik,1949-11-02,male,cancer_pain,pager:5550199,Anna Lindqvist,Wife,,,,',
      'RSV-003,Moreau,Claire,1962-07-21,female,crps,,,,,Springfield,not a tag!,',
      'RSV-004,Tanaka,Yuki,1970-01-30,female,crps,,,,,,,555 0190',
      '',
    ].join('\n');
    const db = ws.db();
    const r = importRecord(db.ctx, ws.folder(files));
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.issues.map(formatIssue).filter((l) => l.startsWith('patients.csv'));
    expect(lines).toEqual([
      'patients.csv:2: phones: may contain only digits, spaces, a leading +, hyphens, dots and parentheses (got "mobile:12ab")',
      'patients.csv:3: phones: must be one of mobile, home, work (got "pager:5550199")',
      'patients.csv:3: emergency_phone: is required',
      'patients.csv:4: address_line_1: needs at least one street line',
      'patients.csv:4: language: must be a language tag such as en, es or pt-BR (got "not a tag!")',
      'patients.csv:5: family_doctor_name: is required',
    ]);
    expect(db.store.patients.findByMrn('RSV-001')).toBeNull(); // all or nothing
  });

  it('an older patients.csv without the columns still imports (no contacts); an MRN recorded with other contacts is reported', () => {
    const db = ws.db();
    const files = fixtureFiles();
    expect(files['patients.csv']!.split('\n')[0]).toBe(PATIENTS_HEADER);
    expect(importRecord(db.ctx, ws.folder(files)).ok).toBe(true);
    expect(db.store.patients.findByMrn('RSV-001')!.contacts.phones).toEqual([]);
    files['patients.csv'] = `${PATIENTS_HEADER},language\nRSV-001,Okafor,Grace,1958-03-14,female,spasticity,es\n`;
    const r = importRecord(db.ctx, ws.folder(files));
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual(['patients.csv:2: language: MRN RSV-001 is already recorded with language "", not "es"']);
    expect(fs.existsSync(ws.dir)).toBe(true);
  });

  it('a row with no contact cell gives no contacts; empty cells are none', () => {
    expect(contactsInput({})).toBeUndefined();
    expect(contactsInput({ phones: ' ', language: '' })).toBeUndefined();
    expect(contactsInput({ referring_name: 'Dr. Rao' })).toMatchObject({ referringPhysician: { name: 'Dr. Rao', practice: null, phone: null }, familyDoctor: null, address: null });
  });
});
