/**
 * The connected workstation's forwarding client against a real clinic server: `reservoir serve` as a
 * child process on 127.0.0.1 with its self-signed certificate (issue 14, "Performance and proof").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { startClinicServer, type ClinicServer } from '../services/testing/clinic-server';
import { THIS_VERSION } from '../../shared/contract/version';
import { createRemoteClient, probeServer } from './forward';

let tmp: ReturnType<typeof tempDir>;
let server: ClinicServer;
let url: string;
let fingerprint: string;

beforeAll(async () => {
  tmp = tempDir('reservoir-forward-');
  server = await startClinicServer({ db: tmp.file('clinic.db'), dir: tmp.dir });
  ({ url, fingerprint } = server);
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  tmp?.cleanup();
});

const WRONG = 'AA:'.repeat(31) + 'AA';

describe('forwarding to the clinic server (pinned HTTPS)', () => {
  it('shows the fingerprint the server presents, for the person to compare with what IT gave them', async () => {
    const probed = await probeServer(url);
    expect(probed).toEqual({ ok: true, value: { origin: url.replace(/\/$/, ''), fingerprint } });
  });

  it('a wrong fingerprint is refused before any request is sent: the server never saw the sign-up', async () => {
    const impostor = createRemoteClient({ url, fingerprint: WRONG, workstation: 'ROOM-1' });
    const slot = { id: null };
    const refused = await impostor.dispatch('session.setup', { username: 'mallory', displayName: 'Mallory', password: 'a good long password' }, slot);
    expect(refused.ok || refused.error.code).toBe('forbidden');
    expect(!refused.ok && refused.error.message).toContain('does not trust');
    expect(!refused.ok && refused.error.message).toContain('nothing was sent');
    expect(slot.id).toBeNull();
    expect((await impostor.checkVersion()).ok).toBe(false);
    // The real pin: the clinic still has no administrator, so the password never reached it.
    const client = createRemoteClient({ url, fingerprint, workstation: 'ROOM-1' });
    expect(await client.dispatch('session.current', {}, { id: null })).toEqual({ ok: true, value: { state: 'setup' } });
  });

  it('the right pin: requests are forwarded and answered, the session kept in memory (the slot) and sent back', async () => {
    const client = createRemoteClient({ url, fingerprint: fingerprint.toLowerCase(), workstation: 'ROOM-1' });
    expect(await client.checkVersion()).toEqual({ ok: true, value: THIS_VERSION });
    const slot: { id: string | null } = { id: null };
    const setup = await client.dispatch('session.setup', { username: 'ada', displayName: 'Ada Lovelace', password: 'a good long password' }, slot);
    expect(setup.ok, JSON.stringify(setup)).toBe(true);
    expect(slot.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const current = await client.dispatch('session.current', {}, slot);
    expect(current.ok && (current.value as { state: string }).state).toBe('active');
    // Another window (another slot) is not signed in: the session is per window, not per workstation process.
    const other = await client.dispatch('patients.list', {}, { id: null });
    expect(other.ok || other.error.code).toBe('unauthorized');
    // The audit trail names the workstation this client said it is.
    const audit = await client.dispatch('audit.list', {}, slot);
    expect(audit.ok, JSON.stringify(audit)).toBe(true);
    expect(JSON.stringify(audit)).toContain('ROOM-1');
    // Invalid input is the server's answer, field and all.
    const bad = await client.dispatch('session.login', { username: '' }, { id: null });
    expect(bad.ok || bad.error.code).toBe('invalid_input');
    const out = await client.dispatch('session.logout', {}, slot);
    expect(out.ok).toBe(true);
    expect(slot.id).toBeNull();
  });

  it('a workstation of another contract version is told what to update, at connect and on any request', async () => {
    const newer = createRemoteClient({ url, fingerprint, version: { app: '9.0.0', contract: THIS_VERSION.contract + 1 } });
    const version = await newer.checkVersion();
    expect(!version.ok && version.error).toMatchObject({ code: 'version_mismatch' });
    expect(!version.ok && version.error.message).toContain('Update Reservoir on the clinic server to 9.0.0');
    const request = await newer.dispatch('session.current', {}, { id: null });
    expect(!request.ok && request.error.code).toBe('version_mismatch');
  });

  it('a server that does not answer is `unreachable`, with the plain message', async () => {
    const gone = createRemoteClient({ url: 'https://127.0.0.1:9/', fingerprint, timeoutMs: 2000 });
    const r = await gone.dispatch('session.current', {}, { id: null });
    expect(r).toEqual({ ok: false, error: { code: 'unreachable', message: 'The clinic server at https://127.0.0.1:9 cannot be reached. Retrying… Nothing you typed is lost.' } });
  });
});
