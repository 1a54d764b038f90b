/**
 * The workstation's own requests (workstation.ts) with a real clinic server to probe (`reservoir
 * serve` as a child process): who may change the choice, and a wrong fingerprint refused with
 * nothing written. The mode in use is a stand-in dispatcher answering `session.current`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { startClinicServer, type ClinicServer } from '../services/testing/clinic-server';
import { ok } from '../../shared/contract/result';
import { readWorkstationConfig, WORKSTATION_CONFIG_FILE, writeWorkstationConfig } from '../remote/workstation-config';
import type { Dispatch } from './ipc';
import { createWorkstationDispatch } from './workstation';

let tmp: ReturnType<typeof tempDir>;
let server: ClinicServer;
let origin: string;

beforeAll(async () => {
  tmp = tempDir('reservoir-workstation-');
  server = await startClinicServer({ db: tmp.file('clinic.db'), dir: tmp.dir });
  origin = server.url.replace(/\/$/, '');
}, 60_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  tmp?.cleanup();
});

/** The mode in use, signed in as `role` (null: nobody signed in). */
const signedInAs = (role: string | null): Dispatch => async (name) => (name === 'session.current' ? ok(role === null ? { state: 'signed_out' } : { state: 'active', user: { role } }) : ok(null));

function workstation(folder: string, inner: Dispatch | null) {
  const userData = tmp.file(folder);
  fs.mkdirSync(userData, { recursive: true });
  const onChanged = vi.fn();
  return { userData, onChanged, dispatch: createWorkstationDispatch({ userData, inner, onChanged }) };
}

const fileText = (userData: string) => fs.readFileSync(path.join(userData, WORKSTATION_CONFIG_FILE), 'utf8');
const slot = { id: null };

describe('workstation.set: changing the choice later', () => {
  it('a non-administrator is refused and nothing is written; workstation.get says it is read-only', async () => {
    for (const role of ['clinician', 'staff', 'auditor', null]) {
      const w = workstation(`non-admin-${role}`, signedInAs(role));
      writeWorkstationConfig(w.userData, { mode: 'local' });
      const before = fileText(w.userData);
      const got = await w.dispatch('workstation.get', {}, slot);
      expect(got).toEqual({ ok: true, value: { current: { mode: 'local' }, problem: null, mayChange: false } });
      const r = await w.dispatch('workstation.set', { mode: 'server', url: server.url, fingerprint: server.fingerprint }, slot);
      expect(r.ok || r.error.code).toBe('forbidden');
      expect(!r.ok && r.error.message).toContain('Only a Reservoir administrator');
      expect(fileText(w.userData)).toBe(before);
      expect(w.onChanged).not.toHaveBeenCalled();
    }
  });

  it('an administrator with a wrong fingerprint is refused, naming both, and nothing is written', async () => {
    const w = workstation('wrong-pin', signedInAs('administrator'));
    writeWorkstationConfig(w.userData, { mode: 'local' });
    const before = fileText(w.userData);
    const wrong = 'AA:'.repeat(31) + 'AA';
    const r = await w.dispatch('workstation.set', { mode: 'server', url: server.url, fingerprint: wrong }, slot);
    expect(r.ok || r.error.code).toBe('invalid_input');
    expect(!r.ok && r.error).toMatchObject({ field: 'fingerprint' });
    expect(!r.ok && r.error.message).toContain(wrong);
    expect(!r.ok && r.error.message).toContain(server.fingerprint);
    expect(!r.ok && r.error.message).toContain('Nothing was changed');
    expect(fileText(w.userData)).toBe(before);
    expect(fs.readdirSync(w.userData)).toEqual([WORKSTATION_CONFIG_FILE]); // no partial file left either
    expect(w.onChanged).not.toHaveBeenCalled();
  });

  it('an address that is not a clinic server is refused and nothing is written', async () => {
    const w = workstation('bad-address', signedInAs('administrator'));
    writeWorkstationConfig(w.userData, { mode: 'local' });
    const r = await w.dispatch('workstation.set', { mode: 'server', url: 'https://127.0.0.1:9/', fingerprint: server.fingerprint }, slot);
    expect(r.ok || r.error.code).toBe('unreachable');
    expect(readWorkstationConfig(w.userData)).toEqual({ state: 'ok', config: { mode: 'local' } });
  });

  it('an administrator with the fingerprint IT gave (typed in lower case, with spaces): saved owner-only, then the app restarts', async () => {
    const w = workstation('admin', signedInAs('administrator'));
    writeWorkstationConfig(w.userData, { mode: 'local' });
    const probed = await w.dispatch('workstation.probe', { url: server.url }, slot);
    expect(probed).toMatchObject({ ok: true, value: { origin, fingerprint: server.fingerprint } });
    const typed = server.fingerprint.toLowerCase().replace(/:/g, ' ');
    const r = await w.dispatch('workstation.set', { mode: 'server', url: server.url, fingerprint: typed }, slot);
    expect(r).toEqual({ ok: true, value: { current: { mode: 'server', url: origin, fingerprint: server.fingerprint }, problem: null, mayChange: true } });
    expect(readWorkstationConfig(w.userData)).toEqual({ state: 'ok', config: { mode: 'server', url: origin, fingerprint: server.fingerprint } });
    if (process.platform !== 'win32') expect(fs.statSync(path.join(w.userData, WORKSTATION_CONFIG_FILE)).mode & 0o777).toBe(0o600);
    await vi.waitFor(() => expect(w.onChanged).toHaveBeenCalledTimes(1));
    // And back to this computer only, by an administrator of the server in use.
    const back = await w.dispatch('workstation.set', { mode: 'local' }, slot);
    expect(back.ok).toBe(true);
    expect(readWorkstationConfig(w.userData)).toEqual({ state: 'ok', config: { mode: 'local' } });
  });

  it('the first run (no choice yet, no mode in use): whoever sits at the computer may choose', async () => {
    const w = workstation('first-run', null);
    expect(await w.dispatch('workstation.get', {}, slot)).toEqual({ ok: true, value: { current: null, problem: null, mayChange: true } });
    const other = await w.dispatch('patients.list', {}, slot);
    expect(other.ok || other.error.code).toBe('forbidden');
  });
});
