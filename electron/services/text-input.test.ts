/**
 * Text and date input through `dispatch` (issue 18, items 6 and 8): control characters,
 * text-direction controls and names that a spreadsheet would run are refused at their field and
 * change nothing; dates past what the arithmetic handles are refused clearly, never "internal".
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/contract/audit';
import type { Patient } from '../../shared/contract/patients';
import { useTestServices } from './testing/services';

const t = useTestServices(Date.UTC(2026, 2, 1, 12));

const grace = { mrn: 'RSV-001', familyName: 'Okafor', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['spasticity'] };
const patients = async () => t.must<Patient[]>('patients.list', {});

describe('text fields refuse control characters and text-direction controls', () => {
  it('a NUL in a name is refused at its field, with where it is, and nothing is saved', async () => {
    const error = await t.refused('patients.create', { ...grace, familyName: 'Oka\u0000for' });
    expect(error).toEqual({ code: 'invalid_input', field: 'familyName', message: 'familyName must not contain control characters (U+0000 at character 4).' });
    expect(await patients()).toEqual([]);
  });

  it('an override that reverses how a name reads, a line break in an MRN, a C1 control in a clinician: each refused', async () => {
    expect(await t.refused('patients.create', { ...grace, givenName: 'Grace\u202Eecarg' })).toMatchObject({ field: 'givenName', message: expect.stringMatching(/text-direction controls \(U\+202E at character 6\)/) });
    expect(await t.refused('patients.create', { ...grace, mrn: 'RSV\n001' })).toMatchObject({ field: 'mrn' });
    expect(await t.refused('patients.create', { ...grace, clinician: 'Dr\u0085Who' })).toMatchObject({ field: 'clinician', message: expect.stringMatching(/U\+0085 at character 3/) });
    expect(await patients()).toEqual([]);
  });

  it('names and identifiers beginning with = + - @ are refused, saying why', async () => {
    for (const [field, value] of [
      ['familyName', '=HYPERLINK("http://attacker.example","Okafor")'],
      ['givenName', '+Grace'],
      ['mrn', '-001'],
      ['clinician', '@Dr Who'],
    ] as const) {
      expect(await t.refused('patients.create', { ...grace, [field]: value })).toEqual({
        code: 'invalid_input',
        field,
        message: `${field} must not begin with =, +, - or @ (a spreadsheet would run it as a formula).`,
      });
    }
    expect(await t.refused('users.create', { username: '-admin', displayName: 'X', role: 'staff', password: 'correct horse battery' })).toMatchObject({ field: 'username' });
    expect(await t.refused('drugs.save', { name: '=Baclofen', unit: 'mcg', typicalConcentration: null, maxConcentration: null, typicalDailyDose: null, maxDailyDose: null, stabilityDays: null, firstFillStabilityDays: null })).toMatchObject({ field: 'name' });
    expect(await patients()).toEqual([]);
  });

  it('free text keeps tabs and line breaks (stored as LF) and may begin with - or =', async () => {
    const p = await t.must<Patient>('patients.create', { ...grace, allergies: '-none known\r\n\tlatex?\rcheck' });
    expect(p.allergies).toBe('-none known\n\tlatex?\ncheck');
    expect(await t.refused('patients.update', { id: p.id, allergies: 'ok\u0000' })).toMatchObject({ code: 'invalid_input', field: 'allergies' });
    expect((await patients())[0]!.allergies).toBe('-none known\n\tlatex?\ncheck');
  });

  it('an existing record cannot be changed to a refused value either', async () => {
    const p = await t.must<Patient>('patients.create', grace);
    expect(await t.refused('patients.update', { id: p.id, familyName: '@Okafor' })).toMatchObject({ field: 'familyName' });
    expect(await t.refused('patients.update', { id: p.id, clinician: 'Dr\u2066 Who' })).toMatchObject({ field: 'clinician' });
    expect(await patients()).toMatchObject([{ familyName: 'Okafor', clinician: null }]);
  });
});

describe('date bounds: a clear refusal, not an internal error', () => {
  it('audit.list and audit.export with to 9999-12-31 (which answered internal) are refused at "to"', async () => {
    for (const name of ['audit.list', 'audit.export']) {
      expect(await t.as('auditor').dispatch(name, { to: '9999-12-31' })).toEqual({
        ok: false,
        error: { code: 'invalid_input', field: 'to', message: 'to must be a date from 1900-01-01 to 2199-12-31.' },
      });
      expect(await t.as('auditor').dispatch(name, { to: '2025-13-45' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'to' } });
    }
  });

  it('the last day allowed is handled: the whole trail up to 2199-12-31 is listed and exported', async () => {
    await t.must('patients.create', grace);
    const listed = await t.as('auditor').dispatch('audit.list', { from: '1900-01-01', to: '2199-12-31', action: 'create' });
    expect(listed).toMatchObject({ ok: true });
    expect((listed as { value: AuditEntry[] }).value.map((e) => e.entity)).toEqual(['patient']);
    expect(await t.as('auditor').dispatch('audit.export', { to: '2199-12-31', action: 'create' })).toMatchObject({ ok: true, value: { rows: 1 } });
  });

  it('the worklist, reports and pump searches refuse dates past what their arithmetic handles', async () => {
    const cases: [string, unknown, string][] = [
      ['worklist.get', { asOf: '9999-12-31' }, 'asOf'],
      ['reports.preview', { params: { report: 'refill-schedule', from: '9999-12-31' } }, 'params.from'],
      ['reports.preview', { params: { report: 'device-inventory', to: '9999-12-31' } }, 'params.to'],
      ['reports.preview', { params: { report: 'device-inventory', to: '0000-01-01' } }, 'params.to'],
      ['pumps.search', { implantedFrom: '0999-12-31' }, 'implantedFrom'],
    ];
    for (const [name, input, field] of cases) {
      const r = await t.svc.dispatch(name, input);
      expect(r, `${name} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'invalid_input', field } });
    }
    // A record date before the year 1000 (which the calendar arithmetic does not handle) is refused too.
    expect(await t.refused('patients.create', { ...grace, birthDate: '0999-12-31' })).toMatchObject({ field: 'birthDate', message: 'birthDate must be a date in the years 1000 to 9999.' });
  });
});
