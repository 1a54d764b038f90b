/**
 * The crash-test writer: opens the clinic database through the real services and makes writes
 * through the real handlers, forever, printing one acknowledgement line after each write that was
 * answered `ok` (committed): `ACK <kind> <key…>`. The parent kills it with SIGKILL.
 *
 * Usage: node --import tsx electron/services/crash/child.ts <database> <run id>
 */
import { TEST_COST } from '../accounts/passwords';
import type { SessionSlot } from '../accounts/access';
import { createServices, type ReservoirServices } from '../app';

const PASSWORD = 'crash test password';

async function must<T>(svc: ReservoirServices, slot: SessionSlot, name: string, input: unknown): Promise<T> {
  const r = await svc.dispatch(name, input, slot);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.field ?? ''} ${r.error.message}`);
  return r.value as T;
}

/** Signs in as the clinician, creating the administrator and the clinician if an earlier run did not. */
async function signIn(svc: ReservoirServices): Promise<SessionSlot> {
  const admin: SessionSlot = { id: null };
  const state = await must<{ state: string }>(svc, admin, 'session.current', {});
  if (state.state === 'setup') await must(svc, admin, 'session.setup', { username: 'admin', displayName: 'Admin', password: PASSWORD });
  else await must(svc, admin, 'session.login', { username: 'admin', password: PASSWORD });
  const users = await must<{ users: { username: string }[] }>(svc, admin, 'users.list', {});
  if (!users.users.some((u) => u.username === 'nurse')) {
    await must(svc, admin, 'users.create', { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: PASSWORD });
  }
  const nurse: SessionSlot = { id: null };
  await must(svc, nurse, 'session.login', { username: 'nurse', password: PASSWORD });
  return nurse;
}

const ack = (line: string) => process.stdout.write(`ACK ${line}\n`);
const baclofen = (mcg: number) => ({ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: mcg, unit: 'mcg' } });
const refill = (pumpId: number, date: string, withdrawnMl: number | null, mcg: number) => ({
  pumpId, date, withdrawnMl, addedMl: 20, drugs: [baclofen(mcg)], mode: 'simple_continuous', reservoirPortConfirmed: true,
});

async function main(): Promise<void> {
  const [file, run] = process.argv.slice(2);
  if (!file || !run) throw new Error('usage: child.ts <database> <run id>');
  const opened = createServices({ databasePath: file, shell: 'browser', passwordCost: TEST_COST });
  if (!opened.ok) throw new Error(opened.error.message);
  const svc = opened.value;
  const nurse = await signIn(svc);
  const devices = await must<{ id: number; model: string; reservoirUl: number }[]>(svc, nurse, 'devices.list', {});
  const model = devices.find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!.id;
  process.stdout.write('READY\n');

  for (let i = 0; ; i++) {
    const mrn = `C-${run}-${i}`;
    const serial = `S-${run}-${i}`;
    const p = await must<{ id: number }>(svc, nurse, 'patients.create', {
      mrn, familyName: 'Crashtest', givenName: `Run${run}`, birthDate: '1970-01-01', sex: 'other', indications: ['spasticity'],
    });
    ack(`patient ${mrn}`);
    const pump = await must<{ id: number }>(svc, nurse, 'pumps.implant', { patientId: p.id, deviceModelId: model, serial, implantDate: '2026-01-05' });
    ack(`pump ${serial}`);
    // Each entry carries the pump's state as the nurse's form read it (the contract requires it).
    const state = async () => (await must<{ pumps: { pump: { id: number }; state: string }[] }>(svc, nurse, 'patients.get', { id: p.id })).pumps.find((h) => h.pump.id === pump.id)!.state;
    await must(svc, nurse, 'refills.record', { ...refill(pump.id, '2026-01-05', null, 500), pumpState: await state() });
    ack(`refill ${serial} 2026-01-05`);
    await must(svc, nurse, 'doseChanges.record', { pumpId: pump.id, date: '2026-02-01', drug: 'Baclofen', dailyDose: { value: 600, unit: 'mcg' }, pumpState: await state() });
    ack(`dose ${serial} 2026-02-01`);
    // Expected residual on 2026-03-02: 20 − 27 × 0.25 − 29 × 0.30 = 4.55 mL.
    await must(svc, nurse, 'refills.record', { ...refill(pump.id, '2026-03-02', 4.55, 600), pumpState: await state() });
    ack(`refill ${serial} 2026-03-02`);
    await must(svc, nurse, 'events.record', { patientId: p.id, pumpId: pump.id, date: '2026-03-02', kind: 'note', note: `visit ${i}` });
    ack(`event ${serial} 2026-03-02`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crash-test child failed: ${(e as Error).message}\n`);
  process.exit(1);
});
