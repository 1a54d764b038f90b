/**
 * A connected workstation's live updates against a real clinic server (`reservoir serve` as a child
 * process): the main process's stream (events.ts) with the window's session, through the pinned
 * connection; a refill saved by another session arrives within 5 s; a wrong fingerprint gets no
 * stream; after the server restarts the stream is opened again. And the relay to the window
 * (main/live-updates.ts) with a stand-in window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { startClinicServer, type ClinicServer } from '../services/testing/clinic-server';
import type { ChangeNotice } from '../../shared/contract/changes';
import { CHANGES_CHANNEL } from '../../shared/contract/names';
import { createRemoteClient, type RemoteClient, type SessionSlot } from './forward';
import { openChangeStream, type ChangeStream } from './events';
import { relayChanges } from '../main/live-updates';

let tmp: ReturnType<typeof tempDir>;
let server: ClinicServer;
let client: RemoteClient;
const admin: SessionSlot = { id: null };
const nurse: SessionSlot = { id: null };
const streams: ChangeStream[] = [];
const PASSWORD = 'a good long password';

async function must<T>(name: string, input: unknown, slot: SessionSlot): Promise<T> {
  const r = await client.dispatch(name, input, slot);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
}

let patientId = 0;
let pumpId = 0;

beforeAll(async () => {
  tmp = tempDir('reservoir-events-');
  server = await startClinicServer({ db: tmp.file('clinic.db'), dir: tmp.dir });
  client = createRemoteClient({ url: server.url, fingerprint: server.fingerprint, workstation: 'ROOM-1' });
  await must('session.setup', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD }, admin);
  await must('users.create', { username: 'nina', displayName: 'Nina Nurse', role: 'clinician', password: PASSWORD }, admin);
  await must('session.login', { username: 'nina', password: PASSWORD }, nurse);
  patientId = (await must<{ id: number }>('patients.create', { mrn: 'LIVE-1', familyName: 'Okafor', givenName: 'Ben', birthDate: '1961-05-03', sex: 'male', indications: ['cancer_pain'] }, nurse)).id;
  const devices = await must<{ id: number; model: string; reservoirUl: number }[]>('devices.list', {}, nurse);
  const model = devices.find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
  pumpId = (await must<{ id: number }>('pumps.implant', { patientId, deviceModelId: model.id, serial: 'LIVE-0001', implantDate: '2026-11-20' }, nurse)).id;
}, 90_000);

afterAll(async () => {
  for (const s of streams) s.stop();
  await server?.stop('SIGKILL');
  tmp?.cleanup();
});

function watch(slot: SessionSlot, fingerprint = server.fingerprint, logs: string[] = []): { got: (ChangeNotice | null)[]; stream: ChangeStream; logs: string[] } {
  const got: (ChangeNotice | null)[] = [];
  const stream = openChangeStream({ url: server.url, fingerprint, session: () => slot.id, deliver: (n) => got.push(n), log: (m) => logs.push(m), firstRetryMs: 200, maxRetryMs: 1_000, idleMs: 50 });
  streams.push(stream);
  return { got, stream, logs };
}

const refill = (date: string) => ({ // the pump's first fill
  pumpId,
  pumpState: 'r0.d0.v0.x0', // just implanted: nothing recorded on it yet
  date,
  withdrawnMl: null,
  addedMl: 20,
  drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 3, unit: 'mg' } }],
  mode: 'simple_continuous',
  reservoirPortConfirmed: true,
});

describe('live updates on a connected workstation (GET /api/events through the pinned client)', () => {
  it('a refill saved by another session reaches the subscriber within 5 s: kind, patient and pump, no patient data', async () => {
    const w = watch(admin);
    expect(await until(() => w.stream.open)).toBe(true);
    const saved = Date.now();
    await must('refills.record', refill('2026-11-20'), nurse);
    expect(await until(() => w.got.some((n) => n?.kind === 'record'))).toBe(true);
    expect(Date.now() - saved).toBeLessThan(5_000);
    expect(w.got.find((n) => n?.kind === 'record')).toEqual({ kind: 'record', patientId, pumpId });
    expect(JSON.stringify(w.got)).not.toMatch(/Okafor|LIVE-1|Morphine/);
    w.stream.stop();
    expect(await until(() => !w.stream.open)).toBe(true);
  }, 30_000);

  it('a wrong fingerprint gets no stream: refused at the handshake (pinnedSocket), nothing delivered, the refusal logged', async () => {
    const logs: string[] = [];
    const w = watch(admin, 'AA:'.repeat(31) + 'AA', logs);
    await must('patients.create', { mrn: 'LIVE-2', familyName: 'Two', givenName: 'Pat', birthDate: '1970-01-01', sex: 'female', indications: ['cancer_pain'] }, nurse);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(w.stream.open).toBe(false);
    expect(w.got).toEqual([]);
    expect(logs.join('\n')).toContain('does not trust');
    w.stream.stop();
  }, 30_000);

  it('no session in the window: nothing is opened; after sign-in the stream opens', async () => {
    const slot: SessionSlot = { id: null };
    const w = watch(slot);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.stream.open).toBe(false);
    await must('session.login', { username: 'ada', password: PASSWORD }, slot);
    expect(await until(() => w.stream.open)).toBe(true);
    w.stream.stop();
  }, 30_000);

  it('reconnects after the server restarts: the screens are told to ask again, and notices flow again', async () => {
    const w = watch(admin);
    expect(await until(() => w.stream.open)).toBe(true);
    const port = server.port;
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(await until(() => !w.stream.open)).toBe(true);
    server = await startClinicServer({ db: tmp.file('clinic.db'), dir: tmp.dir, port });
    // Sessions live in the server's memory: after its restart everyone signs in again, the stream follows.
    admin.id = null;
    nurse.id = null;
    await must('session.login', { username: 'ada', password: PASSWORD }, admin);
    await must('session.login', { username: 'nina', password: PASSWORD }, nurse);
    expect(await until(() => w.stream.open, 10_000)).toBe(true);
    expect(w.got).toContain(null); // reopened: ask again
    const again = await must<{ id: number }>('patients.create', { mrn: 'LIVE-4', familyName: 'Four', givenName: 'Pat', birthDate: '1970-01-01', sex: 'female', indications: ['cancer_pain'] }, nurse);
    expect(await until(() => w.got.some((n) => n?.kind === 'patient' && n.patientId === again.id))).toBe(true);
    w.stream.stop();
  }, 60_000);
});

describe('relayChanges: the window gets the notices on the one changes channel, and the stream stops when it closes', () => {
  it('relays with the window’s own session; closing the window stops the stream', async () => {
    const sent: [string, unknown][] = [];
    let closed: (() => void) | null = null;
    const win = { webContents: { send: (channel: string, message: unknown) => void sent.push([channel, message]), isDestroyed: () => false }, once: (_e: 'closed', l: () => void) => void (closed = l) };
    const stream = relayChanges(win, { url: server.url, fingerprint: server.fingerprint }, () => admin, undefined, () => {});
    streams.push(stream);
    expect(await until(() => stream.open)).toBe(true);
    await must('patients.create', { mrn: 'LIVE-3', familyName: 'Three', givenName: 'Pat', birthDate: '1970-01-01', sex: 'female', indications: ['cancer_pain'] }, nurse);
    expect(await until(() => sent.some(([, m]) => (m as ChangeNotice | null)?.kind === 'patient'))).toBe(true);
    expect(sent.every(([c]) => c === CHANGES_CHANNEL)).toBe(true);
    closed!();
    expect(await until(() => !stream.open)).toBe(true);
  }, 30_000);
});
