import { afterEach, describe, expect, it } from 'vitest';
import { useTestServices } from '../../../testing/services';
import type { SqliteStore } from '../../../store/store';
import { buildFhirBundle, type FhirExportOptions } from './index';
import type { Bundle, Observation } from './types';
import { handMadePatient, readOnlyStore, validateFhir } from './test-support';

/** Against the official FHIR R4 JSON schema (compiled once for this file). */
const t = useTestServices(Date.UTC(2026, 5, 1));
const options = { generatedAtMs: Date.UTC(2026, 5, 1), clinicName: 'Lakeside Pain Clinic' };

let store: SqliteStore | null = null;
afterEach(() => store?.close());

async function exported(extra: Partial<FhirExportOptions> = {}): Promise<Bundle> {
  await handMadePatient(t);
  // A second patient: a pump turned off (therapy reversal), sex not recorded, a residual within the threshold.
  const p = await t.must<{ id: number }>('patients.create', {
    mrn: 'MRN-BOB-2',
    familyName: 'Brennan',
    givenName: 'Thomas',
    birthDate: '1971-11-02',
    sex: 'unknown',
    indications: ['spasticity'],
  });
  const pump = await t.must<{ id: number }>('pumps.implant', {
    patientId: p.id,
    deviceModelId: await t.deviceId('SynchroMed II', 20000),
    serial: 'SM-C3',
    udi: 'not a GS1 code',
    implantDate: '2026-01-05',
  });
  const baclofen = [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }];
  const visit = { pumpId: pump.id, mode: 'simple_continuous', reservoirPortConfirmed: true, drugs: baclofen, addedMl: 20 };
  await t.must('refills.record', { ...visit, date: '2026-01-05', withdrawnMl: null });
  await t.must('refills.record', { ...visit, date: '2026-03-02', withdrawnMl: 5.2 });
  await t.must('reversals.record', { pumpId: pump.id, date: '2026-03-20', kind: 'turned_off' });
  store = readOnlyStore(t.databasePath);
  return buildFhirBundle(store, { ...options, ...extra });
}

describe('the FHIR bundle against the official R4 JSON schema', () => {
  it('the whole bundle validates', async () => {
    const bundle = await exported({ mrnSystem: 'urn:oid:2.16.840.1.113883.19.5' });
    expect(bundle.entry).toHaveLength(12 + 6); // second patient: Patient, Device, implant, 2 requests, 1 observation
    const result = validateFhir(bundle);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('an empty period gives a valid bundle with no entries', async () => {
    const bundle = await exported({ from: '2025-01-01', to: '2025-12-31' });
    expect(bundle.entry).toBeUndefined();
    expect(validateFhir(bundle)).toEqual({ valid: true, errors: [] });
  });

  it('a broken resource fails validation, and the error names the entry and the element', async () => {
    const bundle = await exported();
    const obs = bundle.entry!.find((e) => e.resource.resourceType === 'Observation')!.resource as Observation;
    (obs.valueQuantity as unknown as { value: string }).value = '4.5'; // a decimal written as text
    const result = validateFhir(bundle);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/^entry\[6\] Observation: \/valueQuantity\/value must be number/m);

    const bad = structuredClone(bundle);
    (bad.entry![1]!.resource as unknown as { status: string }).status = 'implanted'; // not a Device.status code
    expect(validateFhir(bad).valid).toBe(false);
    const extra = structuredClone(bundle);
    (extra.entry![0]!.resource as unknown as { sex: string }).sex = 'female'; // no such element on Patient
    expect(validateFhir(extra).errors.join('\n')).toMatch(/entry\[0\] Patient: \/ must NOT have additional properties/);
  });

  it('the second patient: gender not written when unknown, a turned-off pump stays active with reason off, its prescription stopped', async () => {
    const bundle = await exported();
    const mine = bundle.entry!.slice(12).map((e) => e.resource);
    expect(mine.map((r) => r.resourceType)).toEqual(['Patient', 'Device', 'Procedure', 'MedicationRequest', 'MedicationRequest', 'Observation']);
    expect(mine[0]).not.toHaveProperty('gender');
    expect(mine[1]).toMatchObject({
      status: 'active',
      statusReason: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/device-status-reason', code: 'off' }] }],
      identifier: [{ type: { text: 'UDI as recorded' }, value: 'not a GS1 code' }],
    });
    expect(mine[1]).not.toHaveProperty('udiCarrier');
    expect(mine[4]).toMatchObject({ status: 'stopped', dispenseRequest: { validityPeriod: { start: '2026-03-02', end: '2026-03-20' } } });
    // 2026-01-05 → 2026-03-02 is 56 days at 0.25 mL/day: 20 − 14 = 6.0 mL expected; 5.2 withdrawn → −0.8 mL, within 1.0 mL.
    expect(mine[5]).toMatchObject({
      valueQuantity: { value: 5.2, code: 'mL' },
      interpretation: [{ coding: [{ code: 'N', display: 'Normal' }] }],
      component: [{ valueQuantity: { value: 6 } }, { valueQuantity: { value: -0.8 }, interpretation: [{ coding: [{ code: 'N' }] }] }],
    });
  });
});

describe('the patient\'s contacts in FHIR (issue 16, item 2)', () => {
  it('telecom, address, contact, communication and generalPractitioner, validated against the R4 schema', async () => {
    await t.must('patients.create', {
      mrn: 'MRN-CON-1',
      familyName: 'Okafor',
      givenName: 'Grace',
      birthDate: '1958-03-14',
      sex: 'female',
      indications: ['cancer_pain'],
      contacts: {
        phones: [{ use: 'mobile', number: '(312) 555-0110' }, { use: 'home', number: '(312) 555-0111' }],
        address: { lines: ['14 Alder Lane', 'Flat 2'], city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' },
        emergencyContact: { name: 'Daniel Okafor', relationship: 'Son', phone: '(312) 555-0111' },
        referringPhysician: { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' },
        familyDoctor: { name: 'Dr. Helen Park', practice: 'Harbour Family Practice' },
        language: 'pt-BR',
      },
    });
    store = readOnlyStore(t.databasePath);
    const bundle = buildFhirBundle(store, options);
    expect(validateFhir(bundle)).toEqual({ valid: true, errors: [] });
    const patient = bundle.entry![0]!.resource;
    expect(patient).toMatchObject({
      resourceType: 'Patient',
      telecom: [
        { system: 'phone', value: '(312) 555-0110', use: 'mobile' },
        { system: 'phone', value: '(312) 555-0111', use: 'home' },
      ],
      address: [{ use: 'home', type: 'both', line: ['14 Alder Lane', 'Flat 2'], city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' }],
      contact: [
        {
          relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C', display: 'Emergency Contact' }], text: 'Son' }],
          name: { text: 'Daniel Okafor' },
          telecom: [{ system: 'phone', value: '(312) 555-0111' }],
        },
        { relationship: [{ text: 'Referring physician' }], name: { text: 'Dr. Anil Rao' }, telecom: [{ system: 'phone', value: '(312) 555-0192', use: 'work' }], organization: { display: 'Springfield Spine Centre' } },
      ],
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'pt-BR', display: 'Brazilian Portuguese' }], text: 'Brazilian Portuguese' }, preferred: true }],
      generalPractitioner: [{ display: 'Dr. Helen Park, Harbour Family Practice' }],
    });
    // A patient without contacts carries none of these elements (the hand-made one's Patient is unchanged).
    store.close();
    const bare = await exported();
    const first = bare.entry!.find((e) => (e.resource as { identifier?: { value: string }[] }).identifier?.[0]?.value !== 'MRN-CON-1')!.resource as unknown as Record<string, unknown>;
    expect(first.resourceType).toBe('Patient');
    for (const k of ['telecom', 'address', 'contact', 'communication', 'generalPractitioner']) expect(first[k]).toBeUndefined();
  });
});
