import { describe, expect, it } from 'vitest';
import { recordedByText, type PatientRecord, type Recorder } from '../../../../shared/contract/record';
import { TEST_PASSWORD, useTestServices, withVersions } from '../../testing/services';

// The clinic's today: after every date these tests record.
const t = useTestServices(Date.UTC(2026, 5, 1));
const { must, deviceId } = t;

const baclofen = { drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } };
const fill = (pumpId: number, date: string, withdrawnMl: number | null) => ({
  pumpId,
  date,
  withdrawnMl,
  addedMl: 20,
  drugs: [baclofen],
  mode: 'simple_continuous',
  reservoirPortConfirmed: true,
  note: 'checked',
  acknowledgeDiscrepancy: true,
});

async function patient(mrn: string): Promise<number> {
  return (await must<{ id: number }>('patients.create', { mrn, familyName: 'Brennan', givenName: 'Thomas', birthDate: '1971-11-02', sex: 'male', indications: ['spasticity'] })).id;
}

/** Creates a clinician "Nora Quinn" and answers a dispatcher signed in as her, with her user id. */
async function nora() {
  const admin = t.as('administrator');
  const created = await admin.dispatch('users.create', { username: 'nquinn', displayName: 'Nora Quinn', role: 'clinician', password: TEST_PASSWORD });
  if (!created.ok) throw new Error(created.error.message);
  const slot = { id: null };
  const login = await t.raw.dispatch('session.login', { username: 'nquinn', password: TEST_PASSWORD }, slot);
  if (!login.ok) throw new Error(login.error.message);
  return { id: (created.value as { id: number }).id, dispatch: (name: string, input: unknown) => t.raw.dispatch(name, withVersions(t.databasePath, name, input), slot) };
}

async function recordOf(patientId: number): Promise<PatientRecord> {
  return must<PatientRecord>('patients.get', { id: patientId });
}

describe('who recorded each clinical entry (issue 13, item 9)', () => {
  it('every kind of entry keeps the signed-in user who recorded it: implant, refill, dose change, each event, reversal, removal and its replacement', async () => {
    const n = await nora();
    const as = async <T>(name: string, input: unknown): Promise<T> => {
      const r = await n.dispatch(name, input);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value as T;
    };
    const device = await deviceId('SynchroMed II', 20000);
    const a = await patient('MRN-A');
    const pumpA = await as<{ id: number }>('pumps.implant', { patientId: a, deviceModelId: device, serial: 'SM-A', implantDate: '2026-01-05' });
    await as('refills.record', fill(pumpA.id, '2026-01-05', null));
    await as('doseChanges.record', { pumpId: pumpA.id, date: '2026-01-20', drug: 'Baclofen', dailyDose: { value: 400, unit: 'mcg' } });
    await as('events.record', { patientId: a, pumpId: pumpA.id, date: '2026-01-21', kind: 'adverse', adverseKind: 'withdrawal', severity: 'mild', status: 'open' });
    await as('events.record', { patientId: a, pumpId: pumpA.id, date: '2026-01-22', kind: 'mri', preScanDone: true });
    await as('events.record', { patientId: a, pumpId: pumpA.id, date: '2026-01-23', kind: 'interrogation' });
    await as('events.record', { patientId: a, date: '2026-01-24', kind: 'note', note: 'Called the patient' });
    await as('reversals.record', { pumpId: pumpA.id, date: '2026-02-01', kind: 'turned_off' });

    const b = await patient('MRN-B');
    const pumpB = await as<{ id: number }>('pumps.implant', { patientId: b, deviceModelId: device, serial: 'SM-B', implantDate: '2026-01-05' });
    await as('removals.record', {
      pumpId: pumpB.id,
      date: '2026-03-02',
      reasons: ['battery_end_of_life'],
      catheterRemoved: false,
      replacement: { deviceModelId: device, serial: 'SM-B2', implantDate: '2026-03-02' },
    });

    const noraRecorder: Recorder = { userId: n.id, name: 'Nora Quinn', role: 'clinician' };
    const ra = await recordOf(a);
    const [historyA] = ra.pumps;
    expect(historyA!.pump.recordedBy).toEqual(noraRecorder);
    expect(historyA!.refills.map((r) => r.recordedBy)).toEqual([noraRecorder]);
    expect(historyA!.doseChanges.map((c) => c.recordedBy)).toEqual([noraRecorder]);
    expect(historyA!.reversal!.recordedBy).toEqual(noraRecorder);
    expect(ra.events.map((e) => [e.kind, e.recordedBy])).toEqual([
      ['adverse', noraRecorder],
      ['mri', noraRecorder],
      ['interrogation', noraRecorder],
      ['note', noraRecorder],
    ]);
    const rb = await recordOf(b);
    expect(rb.pumps.map((h) => [h.pump.serial, h.pump.recordedBy, h.removal?.recordedBy ?? null])).toEqual([
      ['SM-B', noraRecorder, noraRecorder],
      ['SM-B2', noraRecorder, null],
    ]);
    expect(recordedByText(noraRecorder)).toBe('recorded by Nora Quinn (Clinician)');
  });

  it('two clinicians: each entry names its own recorder, as the accounts held them when it was recorded', async () => {
    const n = await nora();
    const device = await deviceId('SynchroMed II', 20000);
    const a = await patient('MRN-C');
    const pump = await must<{ id: number }>('pumps.implant', { patientId: a, deviceModelId: device, serial: 'SM-C', implantDate: '2026-01-05' });
    expect((await n.dispatch('refills.record', fill(pump.id, '2026-01-05', null))).ok).toBe(true);
    expect((await t.as('clinician').dispatch('refills.record', fill(pump.id, '2026-02-05', 12.25))).ok).toBe(true);
    // A later rename does not rewrite who recorded what was recorded before it.
    expect((await t.as('administrator').dispatch('users.update', { id: n.id, displayName: 'Nora Quinn-Ellis' })).ok).toBe(true);
    const refills = (await recordOf(a)).pumps[0]!.refills;
    expect(refills.map((r) => r.recordedBy?.name)).toEqual(['Nora Quinn', 'Test clinician']);
    expect(refills.map((r) => r.recordedBy?.role)).toEqual(['clinician', 'clinician']);
    expect(refills[0]!.recordedBy?.userId).toBe(n.id);
  });

  it('a request cannot name its recorder: the field is refused and nothing is written', async () => {
    const device = await deviceId('SynchroMed II', 20000);
    const a = await patient('MRN-D');
    const pump = await must<{ id: number }>('pumps.implant', { patientId: a, deviceModelId: device, serial: 'SM-D', implantDate: '2026-01-05' });
    const someoneElse = { userId: 1, name: 'Ada Admin', role: 'administrator' };
    for (const claim of [{ recordedBy: someoneElse }, { recordedByUserId: 1 }, { recorded_by_name: 'Ada Admin' }]) {
      const r = await t.as('clinician').dispatch('refills.record', { ...fill(pump.id, '2026-01-05', null), ...claim });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    const claimed = await t.as('clinician').dispatch('events.record', { patientId: a, date: '2026-01-24', kind: 'note', note: 'x', recordedBy: someoneElse });
    expect(claimed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const record = await recordOf(a);
    expect(record.pumps[0]!.refills).toEqual([]);
    expect(record.events).toEqual([]);
  });
});

describe('recordedByText', () => {
  it('names the user and role, a session-less caller by its name, and an entry from before', () => {
    expect(recordedByText({ userId: 7, name: 'Nora Quinn', role: 'clinician' })).toBe('recorded by Nora Quinn (Clinician)');
    expect(recordedByText({ userId: null, name: 'cli:alice', role: null })).toBe('recorded by cli:alice');
    expect(recordedByText(null)).toBe('recorded before this was kept');
  });
});
