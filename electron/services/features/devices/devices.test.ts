import { beforeEach, describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';
import type { PumpRecallResult, PumpSearchResult } from '../../../../shared/contract/devices';

const t = useTestServices();
const { must, refused, deviceId } = t;
let mrnSeq = 0;
beforeEach(() => {
  mrnSeq = 0;
});

async function patientWithPump(familyName: string, model: [string, number], serial: string, implantDate: string) {
  mrnSeq += 1;
  const patient = await must<{ id: number }>('patients.create', {
    mrn: `T-${mrnSeq}`,
    familyName,
    givenName: 'Test',
    birthDate: '1970-01-01',
    sex: 'female',
    indications: ['spasticity'],
  });
  const pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await deviceId(...model), serial, implantDate });
  return { patientId: patient.id, pumpId: pump.id };
}

const SM20: [string, number] = ['SynchroMed II', 20000];
const SM40: [string, number] = ['SynchroMed II', 40000];

/** Five SynchroMed II 20 mL pumps, one 40 mL; Evans's pump is turned off, Adams's explanted. */
async function clinic() {
  const adams = await patientWithPump('Adams', SM20, 'NGP200100H', '2025-01-10');
  const baker = await patientWithPump('Baker', SM20, 'NGP200200H', '2025-03-01');
  const clark = await patientWithPump('Clark', SM20, 'NGP200300H', '2025-06-15');
  const davis = await patientWithPump('Davis', SM40, 'NGP400400H', '2025-03-01');
  const evans = await patientWithPump('Evans', SM20, 'NGP2005', '2025-03-02');
  const ford = await patientWithPump('Ford', SM20, '12345', '2025-04-01');
  await must('removals.record', { pumpId: adams.pumpId, date: '2025-12-01', reasons: ['infection'], catheterRemoved: true });
  await must('reversals.record', { pumpId: evans.pumpId, date: '2025-12-01', kind: 'turned_off' });
  return { adams, baker, clark, davis, evans, ford };
}

const names = (rows: { patient: { familyName: string } }[]) => rows.map((r) => r.patient.familyName);

describe('pumps.search', () => {
  it('lists every pump with its patient, filters by model, status and implant window, and counts by status', async () => {
    await clinic();
    const all = await must<PumpSearchResult>('pumps.search', {});
    expect(names(all.rows)).toEqual(['Adams', 'Baker', 'Clark', 'Davis', 'Evans', 'Ford']);
    expect(all.counts).toEqual({ total: 6, active: 4, off: 1, explanted: 1 });
    expect(all.rows[0]).toMatchObject({ pump: { serial: 'NGP200100H', status: 'explanted' }, patient: { mrn: 'T-1', familyName: 'Adams', givenName: 'Test' } });

    const sm20 = await deviceId(...SM20);
    expect(names((await must<PumpSearchResult>('pumps.search', { deviceModelId: sm20 })).rows)).toEqual(['Adams', 'Baker', 'Clark', 'Evans', 'Ford']);
    const off = await must<PumpSearchResult>('pumps.search', { status: 'off' });
    expect(names(off.rows)).toEqual(['Evans']);
    expect(off.counts.total).toBe(6); // counts ignore the status filter
    const window = await must<PumpSearchResult>('pumps.search', { implantedFrom: '2025-03-01', implantedTo: '2025-03-02' });
    expect(names(window.rows)).toEqual(['Baker', 'Davis', 'Evans']);
    expect(window.counts).toEqual({ total: 3, active: 2, off: 1, explanted: 0 });
  });

  it('refuses an upside-down window and unknown statuses, naming the field', async () => {
    expect(await refused('pumps.search', { implantedFrom: '2025-04-01', implantedTo: '2025-03-01' })).toMatchObject({ code: 'invalid_input', field: 'implantedTo' });
    expect(await refused('pumps.search', { status: 'lost' })).toMatchObject({ code: 'invalid_input', field: 'status' });
    expect(await refused('pumps.search', { implantedFrom: '2025-02-30' })).toMatchObject({ code: 'invalid_input', field: 'implantedFrom' });
  });
});

describe('pumps.recall', () => {
  it('finds pumps of the model still in place, with their patient, and counts explanted matches', async () => {
    const { baker } = await clinic();
    const sm20 = await deviceId(...SM20);
    const r = await must<PumpRecallResult>('pumps.recall', { deviceModelId: sm20 });
    expect(r.deviceModel).toMatchObject({ model: 'SynchroMed II', reservoirUl: 20000 });
    expect(names(r.inPlace)).toEqual(['Baker', 'Clark', 'Evans', 'Ford']);
    expect(r.inPlace.find((x) => x.patient.familyName === 'Evans')!.pump.status).toBe('off');
    expect(r.inPlace[0]!.patient).toEqual({ id: baker.patientId, mrn: 'T-2', familyName: 'Baker', givenName: 'Test' });
    expect(r.explantedCount).toBe(1);
    expect(r.serialComparison).toBeNull();
  });

  it('an inclusive implant window', async () => {
    await clinic();
    const sm20 = await deviceId(...SM20);
    const r = await must<PumpRecallResult>('pumps.recall', { deviceModelId: sm20, implantedFrom: '2025-01-10', implantedTo: '2025-03-01' });
    expect(names(r.inPlace)).toEqual(['Baker']);
    expect(r.explantedCount).toBe(1); // Adams, implanted 2025-01-10
  });

  it('a serial range of letters compares strings of the same length only (case-insensitive)', async () => {
    await clinic();
    const sm20 = await deviceId(...SM20);
    const r = await must<PumpRecallResult>('pumps.recall', { deviceModelId: sm20, serialFrom: 'ngp200150h', serialTo: 'NGP200300H' });
    expect(r.serialComparison).toBe('string');
    expect(names(r.inPlace)).toEqual(['Baker', 'Clark']); // NGP2005 has another length: not in the range
    expect(r.explantedCount).toBe(0);
    const open = await must<PumpRecallResult>('pumps.recall', { deviceModelId: sm20, serialFrom: 'NGP200200H' });
    expect(names(open.inPlace)).toEqual(['Baker', 'Clark']);
  });

  it('a serial range of digits compares numbers', async () => {
    await clinic();
    const sm20 = await deviceId(...SM20);
    const r = await must<PumpRecallResult>('pumps.recall', { deviceModelId: sm20, serialFrom: '9999', serialTo: '012345' });
    expect(r.serialComparison).toBe('numeric');
    expect(names(r.inPlace)).toEqual(['Ford']);
    expect((await must<PumpRecallResult>('pumps.recall', { deviceModelId: sm20, serialFrom: '12346' })).inPlace).toEqual([]);
  });

  it('no match answers an empty list, not an error', async () => {
    await clinic();
    const r = await must<PumpRecallResult>('pumps.recall', { deviceModelId: await deviceId('SynchroMed EL', 10000) });
    expect(r).toMatchObject({ inPlace: [], explantedCount: 0 });
  });

  it('validates with field-named errors', async () => {
    await clinic();
    const sm20 = await deviceId(...SM20);
    expect(await refused('pumps.recall', {})).toMatchObject({ code: 'invalid_input', field: 'deviceModelId' });
    expect(await refused('pumps.recall', { deviceModelId: 999 })).toMatchObject({ code: 'not_found', field: 'deviceModelId' });
    expect(await refused('pumps.recall', { deviceModelId: sm20, serialFrom: 'NGP2003', serialTo: 'NGP200100H' })).toMatchObject({ field: 'serialTo' });
    expect(await refused('pumps.recall', { deviceModelId: sm20, serialFrom: 'NGP200300H', serialTo: 'NGP200100H' })).toMatchObject({ field: 'serialTo' });
    expect(await refused('pumps.recall', { deviceModelId: sm20, serialFrom: '200', serialTo: '100' })).toMatchObject({ field: 'serialTo' });
    expect(await refused('pumps.recall', { deviceModelId: sm20, serialFrom: 'NGP 1' })).toMatchObject({ field: 'serialFrom' });
    expect(await refused('pumps.recall', { deviceModelId: sm20, implantedFrom: '2025-13-01' })).toMatchObject({ field: 'implantedFrom' });
    expect(await refused('pumps.recall', { deviceModelId: sm20, implantedFrom: '2025-05-01', implantedTo: '2025-04-30' })).toMatchObject({
      code: 'invalid_input',
      field: 'implantedTo',
    });
  });
});
