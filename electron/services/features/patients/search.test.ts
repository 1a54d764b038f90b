import { beforeEach, describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';
import type { PatientListRow } from '../../../../shared/contract/patients';
import { searchMode, searchParams } from './search';

const t = useTestServices();
const { must, deviceId } = t;

async function found(query: string): Promise<string[]> {
  return (await must<PatientListRow[]>('patients.list', { query })).map((p) => p.mrn);
}
async function patient(mrn: string, familyName: string, givenName: string) {
  return (await must<{ id: number }>('patients.create', { mrn, familyName, givenName, birthDate: '1970-01-01', sex: 'female', indications: ['spasticity'] })).id;
}

describe('search modes', () => {
  it('1–2 characters: prefix; 3 or more: anywhere; %, _ and \\ literally', () => {
    expect(searchMode(undefined)).toBe('all');
    expect(searchMode('')).toBe('all');
    expect(searchMode('b')).toBe('prefix');
    expect(searchMode('br')).toBe('prefix');
    expect(searchMode('bre')).toBe('anywhere');
    expect(searchMode('ö1')).toBe('prefix');
    expect(searchMode('50%')).toBe('literal');
    expect(searchParams('bre')).toEqual({ q: '%bre%', hi: null });
    expect(searchParams('br')).toEqual({ q: 'br', hi: 'br\u{10FFFF}' });
    expect(searchParams('a_b')).toEqual({ q: '%a\\_b%', hi: null });
  });
});

describe('patient search through the index', () => {
  let brennan: number;
  beforeEach(async () => {
    brennan = await patient('RSV-2', 'Brennan', 'Thomas');
    await patient('RSV-3', 'Abrams', 'Nora');
    await patient('MRN-777', 'Okafor', 'Brigid');
    await must('pumps.implant', { patientId: brennan, deviceModelId: await deviceId('SynchroMed II', 20000), serial: 'NGP207781H', implantDate: '2026-01-05' });
  });

  it('one or two characters match the start of a family name, given name, MRN or serial, in any case', async () => {
    expect(await found('b')).toEqual(['RSV-2', 'MRN-777']); // Brennan; Brigid (given name); not Abrams
    expect(await found('BR')).toEqual(['RSV-2', 'MRN-777']);
    expect(await found('ab')).toEqual(['RSV-3']);
    expect(await found('mr')).toEqual(['MRN-777']);
    expect(await found('ng')).toEqual(['RSV-2']); // serial NGP…
    expect(await found('zq')).toEqual([]);
  });

  it('three or more match anywhere in one field, never across two', async () => {
    expect(await found('bra')).toEqual(['RSV-3']); // aBRAms
    expect(await found('enn')).toEqual(['RSV-2']);
    expect(await found('207781')).toEqual(['RSV-2']);
    expect(await found('v-3')).toEqual(['RSV-3']);
    expect(await found('nanth')).toEqual([]); // "BrenNAN" + "THomas" would span two fields
  });

  it('follows renames and new pumps at once (the index is kept by triggers in the same transaction)', async () => {
    await must('patients.update', { id: brennan, familyName: 'Byrne' });
    expect(await found('brennan')).toEqual([]);
    expect(await found('byrn')).toEqual(['RSV-2']);
    const okafor = (await must<PatientListRow[]>('patients.list', { query: 'okafor' }))[0]!.id;
    await must('pumps.implant', { patientId: okafor, deviceModelId: await deviceId('SynchroMed II', 40000), serial: 'NGP999123H', implantDate: '2026-02-01' });
    expect(await found('999123')).toEqual(['MRN-777']);
    expect(await found('207781')).toEqual(['RSV-2']);
  });
});
