/**
 * Live updates (issue 14, item 4): a write that commits publishes one notice (kinds and ids, no
 * patient data) to every signed-in session; a read, a refused write and a refused role publish none.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../shared/contract/changes';
import { CHANGE_OF } from '../../shared/contract/changes';
import { REQUEST_POLICY } from '../../shared/contract/roles';
import { REQUEST_NAMES } from '../../shared/contract/names';
import { useTestServices } from './testing/services';

const t = useTestServices(Date.UTC(2026, 2, 1, 12));

function listen(role: 'staff' | 'auditor' = 'auditor'): { notices: ChangeNotice[]; ended: () => boolean; stop: () => void } {
  const notices: ChangeNotice[] = [];
  let ended = false;
  const r = t.raw.subscribe!(t.slot(role), (n) => notices.push(n), () => (ended = true));
  if (!r.ok) throw new Error(r.error.message);
  return { notices, ended: () => ended, stop: r.value };
}

const newPatient = (mrn: string) => ({ mrn, familyName: 'Okafor', givenName: 'Ada', birthDate: '1960-04-02', sex: 'female', indications: ['cancer_pain'] });

describe('change notices', () => {
  it('a write publishes who-and-what ids only; a read does not; a refused write does not', async () => {
    const { notices } = listen();
    const p = await t.must<{ id: number }>('patients.create', newPatient('E-1'));
    expect(notices).toEqual([{ kind: 'patient', patientId: p.id, pumpId: null }]);
    await t.must('patients.list', {});
    await t.must('patients.get', { id: p.id });
    await t.must('worklist.get', {});
    expect(notices).toHaveLength(1);
    // Refused: an MRN used twice (conflict), an invalid input, a role that may not.
    expect((await t.refused('patients.create', newPatient('E-1'))).code).toBe('conflict');
    expect((await t.refused('patients.create', { mrn: '' })).code).toBe('invalid_input');
    expect((await t.as('auditor').dispatch('patients.create', newPatient('E-2'))).ok).toBe(false);
    expect(notices).toHaveLength(1);

    // A refill names the patient and the pump (looked up from the pump).
    const deviceModelId = await t.deviceId('SynchroMed II', 20000);
    const pump = await t.must<{ id: number }>('pumps.implant', { patientId: p.id, deviceModelId, serial: 'NGP-E1', implantDate: '2026-01-05' });
    await t.must('refills.record', { pumpId: pump.id, date: '2026-01-05', withdrawnMl: null, addedMl: 20, drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 2, unit: 'mg' } }], mode: 'simple_continuous', reservoirPortConfirmed: true });
    expect(notices.slice(1)).toEqual([
      { kind: 'record', patientId: p.id, pumpId: pump.id },
      { kind: 'record', patientId: p.id, pumpId: pump.id },
    ]);
    // A refill refused by a clinical rule (more than the reservoir holds) publishes nothing.
    const tooMuch = await t.as('clinician').dispatch('refills.record', { pumpId: pump.id, date: '2026-01-06', withdrawnMl: 19, addedMl: 40, drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 2, unit: 'mg' } }], mode: 'simple_continuous', reservoirPortConfirmed: true });
    expect(tooMuch.ok).toBe(false);
    expect(notices).toHaveLength(3);
    // Nothing in a notice but its kind and ids.
    for (const n of notices) expect(Object.keys(n).sort()).toEqual(['kind', 'patientId', 'pumpId']);
  });

  it('every listener hears every write, the writer’s own session too; the unsubscribe stops it', async () => {
    const a = listen('auditor');
    const b = listen('staff');
    await t.as('staff').dispatch('patients.create', newPatient('E-3'));
    expect(a.notices).toHaveLength(1);
    expect(b.notices).toHaveLength(1);
    a.stop();
    await t.as('staff').dispatch('patients.create', newPatient('E-4'));
    expect(a.notices).toHaveLength(1);
    expect(b.notices).toHaveLength(2);
  });

  it('needs a signed-in session; a session that ends stops hearing and is told', async () => {
    expect(t.raw.subscribe!({ id: null }, () => undefined, () => undefined)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(t.raw.subscribe!({ id: 'not-a-session' }, () => undefined, () => undefined)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const staff = listen('staff');
    await t.raw.dispatch('session.logout', {}, t.slot('staff'));
    await t.must('patients.create', newPatient('E-5'));
    expect(staff.notices).toHaveLength(0);
    expect(staff.ended()).toBe(true);
  });

  it('closing the services ends every stream', () => {
    const a = listen();
    t.raw.close();
    expect(a.ended()).toBe(true);
  });

  it('every write request of the contract publishes, and no read does', () => {
    for (const name of REQUEST_NAMES) {
      const audit = REQUEST_POLICY[name].audit;
      if (audit === 'create' || audit === 'update') expect(CHANGE_OF[name], name).not.toBeNull();
      if (audit === 'none' || audit === 'view' || audit === 'export') {
        // The export's handler writes nothing but its file; backups.create makes a file others list.
        if (name !== 'backups.create') expect(CHANGE_OF[name], name).toBeNull();
      }
    }
  });
});
