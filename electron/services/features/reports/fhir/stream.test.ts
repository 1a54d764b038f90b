import { afterEach, describe, expect, it } from 'vitest';
import { useTestServices } from '../../../testing/services';
import type { SqliteStore } from '../../../store/store';
import { buildFhirBundle, writeFhirBundle, type FhirExportOptions } from './index';
import { handMadePatient, readOnlyStore } from './test-support';

const t = useTestServices(Date.UTC(2026, 5, 1));
const base = { generatedAtMs: Date.UTC(2026, 5, 1), clinicName: 'Lakeside Pain Clinic' };

let store: SqliteStore | null = null;
afterEach(() => store?.close());

/** The hand-made patient (activity 2026-01-05 … 2026-04-10) and a second one whose only activity is in May 2026. */
async function twoPatients(): Promise<{ ada: number; cole: number }> {
  const { patientId: ada } = await handMadePatient(t);
  const cole = await t.must<{ id: number }>('patients.create', {
    mrn: 'MRN-AAA-0', // sorts before MRN-ADA-1
    familyName: 'Cole',
    givenName: 'Nat',
    birthDate: '1980-05-05',
    sex: 'male',
    indications: ['crps'],
  });
  await t.must('pumps.implant', { patientId: cole.id, deviceModelId: await t.deviceId('SynchroMed II', 20000), serial: 'SM-D4', implantDate: '2026-05-04' });
  store = readOnlyStore(t.databasePath);
  return { ada, cole: cole.id };
}

function streamed(options: FhirExportOptions) {
  const chunks: string[] = [];
  const progress: [number, number][] = [];
  const summary = writeFhirBundle(store!, options, (c) => chunks.push(c), (done, total) => progress.push([done, total]));
  return { chunks, progress, summary, json: JSON.parse(chunks.join('')) as unknown };
}

describe('writeFhirBundle', () => {
  it('writes exactly the built bundle, one chunk per patient, with progress after each patient', async () => {
    await twoPatients();
    const { chunks, progress, summary, json } = streamed(base);
    expect(json).toEqual(buildFhirBundle(store!, base));
    expect(chunks).toHaveLength(4); // header, Cole, Lovelace, closing
    expect(chunks[1]).toContain('"MRN-AAA-0"');
    expect(chunks[2]).toContain('"MRN-ADA-1"');
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(summary).toEqual({ patients: 2, resources: 3 + 12 }); // Cole: Patient, Device, implant
  });

  it('throwing from onProgress cancels the export after the patient in hand', async () => {
    await twoPatients();
    const chunks: string[] = [];
    const cancel = () => {
      throw new Error('cancelled by the user');
    };
    expect(() => writeFhirBundle(store!, base, (c) => chunks.push(c), cancel)).toThrow('cancelled by the user');
    expect(chunks).toHaveLength(2); // the opening and the first patient; never the closing
  });

  it('an empty clinic or an empty period: a valid empty bundle, streamed and built alike', async () => {
    store = readOnlyStore(t.databasePath);
    const empty = streamed(base);
    expect(empty.summary).toEqual({ patients: 0, resources: 0 });
    expect(empty.json).toEqual(buildFhirBundle(store, base));
    expect(empty.json).not.toHaveProperty('entry');
    expect(empty.progress).toEqual([]);
  });
});

describe('the period and patient filters', () => {
  it('a patient is in the bundle, whole, when anything of theirs is dated within the period (bounds inclusive)', async () => {
    const { ada } = await twoPatients();
    const ids = (o: Partial<FhirExportOptions>) => streamed({ ...base, ...o }).json as { entry?: { resource: { resourceType: string; identifier?: { value: string }[] } }[] };
    const mrns = (o: Partial<FhirExportOptions>) =>
      (ids(o).entry ?? []).filter((e) => e.resource.resourceType === 'Patient').map((e) => e.resource.identifier![0]!.value);

    expect(mrns({ from: '2026-03-01', to: '2026-03-31' })).toEqual(['MRN-ADA-1']); // the refill of 2026-03-02
    expect(mrns({ from: '2026-04-10', to: '2026-04-10' })).toEqual(['MRN-ADA-1']); // the removal day itself
    expect(mrns({ from: '2026-04-11', to: '2026-05-03' })).toEqual([]); // nothing dated between
    expect(mrns({ from: '2026-05-04' })).toEqual(['MRN-AAA-0']); // Cole's implant; open-ended
    expect(mrns({ to: '2026-01-05' })).toEqual(['MRN-ADA-1']);
    expect(mrns({})).toEqual(['MRN-AAA-0', 'MRN-ADA-1']);
    // A patient in the period comes with the whole record, not only the resources dated in it.
    expect(ids({ from: '2026-03-01', to: '2026-03-31' }).entry).toHaveLength(12);
    // A patient list narrows the patients looked at; progress counts them.
    const only = streamed({ ...base, patientIds: [ada, ada] });
    expect(only.summary).toEqual({ patients: 1, resources: 12 });
    expect(only.progress).toEqual([[1, 1]]);
  });

  it('an event within the period counts as activity', async () => {
    const { cole } = await twoPatients();
    await t.must('events.record', { kind: 'note', patientId: cole, date: '2026-05-20', note: 'Phone call about the next refill.' });
    const r = streamed({ ...base, from: '2026-05-10', to: '2026-05-31' });
    expect(r.summary).toEqual({ patients: 1, resources: 3 });
  });

  it('refuses an unknown patient (before writing anything) and a date that is not YYYY-MM-DD', async () => {
    await twoPatients();
    expect(() => buildFhirBundle(store!, { ...base, patientIds: [999] })).toThrow('there is no patient with id 999');
    const chunks: string[] = [];
    expect(() => writeFhirBundle(store!, { ...base, patientIds: [1, 999] }, (c) => chunks.push(c))).toThrow('there is no patient with id 999');
    expect(chunks).toEqual([]);
    expect(() => buildFhirBundle(store!, { ...base, from: '2026-3-1' })).toThrow('from must be a date written YYYY-MM-DD');
  });
});
