/**
 * The clinic server's mode of the web server (`auth: 'session'`, what `reservoir serve` runs):
 * no token, sign-in is the gate, and every protection of the browser shell kept. Each protection
 * is tried with the attack it stops.
 */
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservoirServices } from '../services/app';
import { isLocalClient, startWebShell, type WebShell } from './server';
import { startTestWebServer, type TestWebServer } from './testing';
import { SignInThrottle } from './sign-in-throttle';
import { clientHeaders, CONTRACT_VERSION, readServerVersion, THIS_VERSION, VERSION_PATH } from '../../shared/contract/version';
import type { AuditEntry } from '../../shared/contract/audit';
import { verifyAuditChain } from '../services/audit/chain';
import Database from 'better-sqlite3-multiple-ciphers';

let server: TestWebServer;
let tmp: TestWebServer['tmp'];
let services: ReservoirServices;
let shell: WebShell;
let session = '';

beforeAll(async () => {
  server = await startTestWebServer({ shell: { auth: 'session' } });
  ({ tmp, services, shell } = server);
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

/** node:http: fetch will not send a custom Host or Origin header. */
function request(method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: shell.port, method, path: urlPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json: Answer['json'] = { ok: false };
        try {
          json = JSON.parse(text) as Answer['json'];
        } catch {
          // not JSON (static files, 421)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A workstation's request: JSON, its versions, its session. */
const api = (name: string, input: unknown, extra: Record<string, string> = {}) =>
  request('POST', `/api/${name}`, { 'Content-Type': 'application/json', ...clientHeaders(), ...(session ? { 'X-Reservoir-Session': session } : {}), ...extra }, JSON.stringify(input));

describe('reservoir serve: sign-in is the gate (no token)', () => {
  it('prints an address without a token', () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/`);
  });

  it('answers its versions at GET /api/version without signing in, and on every API answer', async () => {
    const v = await request('GET', VERSION_PATH, {});
    expect(v.status).toBe(200);
    expect(v.json).toEqual({ ok: true, value: { app: THIS_VERSION.app, contract: CONTRACT_VERSION } });
    expect(readServerVersion(v.json)).toEqual({ ok: true, value: THIS_VERSION });
    const a = await api('session.current', {});
    expect(a.headers['x-reservoir-version']).toBe(THIS_VERSION.app);
    expect(a.headers['x-reservoir-server-contract']).toBe(String(CONTRACT_VERSION));
  });

  it('creates the first administrator from this computer, and then a request without a session gets no data', async () => {
    expect((await api('session.current', {})).json).toMatchObject({ ok: true, value: { state: 'setup' } });
    const setup = await api('session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' }, { 'X-Reservoir-Workstation': 'SERVER-ROOM' });
    expect(setup.json).toMatchObject({ ok: true, value: { state: 'active' } });
    session = setup.headers['x-reservoir-session'] as string;
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The attack: no session, a forged one.
    const none = await request('POST', '/api/patients.list', { 'Content-Type': 'application/json', ...clientHeaders() }, '{}');
    expect(none.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const forged = await request('POST', '/api/patients.list', { 'Content-Type': 'application/json', ...clientHeaders(), 'X-Reservoir-Session': 'A'.repeat(43) }, '{}');
    expect(forged.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await api('patients.list', {})).json).toMatchObject({ ok: true });
  });

  it('refuses a cross-origin POST, even with a valid session (a page of another site, or another port)', async () => {
    for (const origin of ['https://evil.example', `http://127.0.0.1:${shell.port + 1}`, `https://127.0.0.1:${shell.port}`]) {
      const a = await api('patients.create', { mrn: 'X-1', familyName: 'Evil', givenName: 'E', birthDate: '1970-01-01', sex: 'female', indications: ['cancer_pain'] }, { Origin: origin });
      expect(a.status, origin).toBe(403);
      expect(a.json.error?.code).toBe('forbidden');
    }
    const site = await api('patients.list', {}, { 'Sec-Fetch-Site': 'cross-site' });
    expect(site.status).toBe(403);
    // A simple cross-site form post: no JSON, no custom header. Refused before anything runs.
    const form = await request('POST', '/api/patients.list', { 'Content-Type': 'text/plain' }, '{}');
    expect(form.status).toBe(428);
  });

  it('refuses a Host header that is not one of the server’s names (DNS rebinding)', async () => {
    const a = await request('POST', '/api/patients.list', { Host: 'attacker.example', 'Content-Type': 'application/json', ...clientHeaders(), 'X-Reservoir-Session': session }, '{}');
    expect(a.status).toBe(421);
    expect((await request('GET', '/', { Host: `rebind.example:${shell.port}` })).status).toBe(421);
  });

  it('needs JSON and refuses a body over 1 MiB', async () => {
    expect((await request('POST', '/api/patients.list', { 'Content-Type': 'application/x-www-form-urlencoded', ...clientHeaders(), 'X-Reservoir-Session': session }, 'a=1')).status).toBe(415);
    const big = await api('patients.list', { q: 'x'.repeat(1024 * 1024 + 10) });
    expect(big.status).toBe(413);
  });

  it('refuses a request without its contract version (428), with a plain message', async () => {
    const a = await request('POST', '/api/session.current', { 'Content-Type': 'application/json' }, '{}');
    expect(a.status).toBe(428);
    expect(a.json.error).toMatchObject({ code: 'version_mismatch' });
    expect(a.json.error!.message).toContain(`the clinic server runs Reservoir ${THIS_VERSION.app}`);
  });

  it('refuses an older workstation: "Update Reservoir on this workstation to <server>"', async () => {
    const old = await request('POST', '/api/session.current', { 'Content-Type': 'application/json', ...clientHeaders({ app: '0.0.9', contract: CONTRACT_VERSION - 1 }) }, '{}');
    expect(old.status).toBe(409);
    expect(old.json.error).toEqual({ code: 'version_mismatch', message: `This workstation runs Reservoir 0.0.9; the clinic server runs ${THIS_VERSION.app}. Update Reservoir on this workstation to ${THIS_VERSION.app}.` });
  });

  it('refuses a newer workstation: update the server', async () => {
    const newer = await request('POST', '/api/session.current', { 'Content-Type': 'application/json', ...clientHeaders({ app: '9.0.0', contract: CONTRACT_VERSION + 1 }) }, '{}');
    expect(newer.status).toBe(409);
    expect(newer.json.error?.message).toContain(`This workstation runs Reservoir 9.0.0; the clinic server runs ${THIS_VERSION.app}`);
    expect(newer.json.error?.message).toContain('Update Reservoir on the clinic server to 9.0.0');
    // The client side sees the same when it asks first.
    const v = await request('GET', VERSION_PATH, {});
    expect(readServerVersion(v.json, { app: '9.0.0', contract: CONTRACT_VERSION + 1 })).toMatchObject({ ok: false, error: { code: 'version_mismatch' } });
    expect((await request('POST', '/api/session.current', { 'Content-Type': 'application/json', 'X-Reservoir-Contract': 'one' }, '{}')).status).toBe(400);
  });

  it('names the workstation in every audit entry of its requests: the host name it sends and the address seen', async () => {
    expect((await api('users.create', { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: 'another long one' })).json).toMatchObject({ ok: true });
    const login = await api('session.login', { username: 'nurse', password: 'another long one' }, { 'X-Reservoir-Workstation': 'ROOM1-PC', 'X-Reservoir-Session': '' });
    const nurse = login.headers['x-reservoir-session'] as string;
    const created = await api('patients.create', { mrn: 'WS-1', familyName: 'Station', givenName: 'W', birthDate: '1970-01-01', sex: 'female', indications: ['cancer_pain'] }, { 'X-Reservoir-Workstation': 'ROOM1-PC', 'X-Reservoir-Session': nurse });
    expect(created.json, JSON.stringify(created.json)).toMatchObject({ ok: true });
    // A failed sign-in from another workstation (no session: written by access control, not a handler).
    await api('session.login', { username: 'admin', password: 'wrong password' }, { 'X-Reservoir-Workstation': 'ROOM2-PC', 'X-Reservoir-Session': '' });
    const listed = await api('audit.list', { limit: 50 });
    expect(listed.json.ok).toBe(true);
    const entries = listed.json.value as AuditEntry[];
    const bySeq = [...entries].sort((a, b) => a.seq - b.seq);
    expect(bySeq.find((e) => e.action === 'user_create')?.workstation).toBe('SERVER-ROOM (127.0.0.1)');
    expect(bySeq.find((e) => e.entity === 'patient' && e.action === 'create')?.workstation).toBe('ROOM1-PC (127.0.0.1)');
    expect(bySeq.find((e) => e.action === 'login' && e.username === 'nurse')?.workstation).toBe('ROOM1-PC (127.0.0.1)');
    expect(bySeq.find((e) => e.action === 'login_failed')?.workstation).toBe('ROOM2-PC (127.0.0.1)');
    // Without a name: the address alone.
    expect(bySeq.filter((e) => e.action === 'view').every((e) => e.workstation === '127.0.0.1' || e.workstation?.endsWith('(127.0.0.1)'))).toBe(true);
    // The chain covers it: still intact.
    const db = new Database(tmp.file('clinic.db'), { readonly: true });
    try {
      expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    } finally {
      db.close();
    }
  });

  it('refuses a workstation name that is not a host name (no free text into the audit trail)', async () => {
    for (const bad of ['ROOM 1', 'a'.repeat(64), '<script>', 'x;DROP']) {
      const a = await api('patients.list', {}, { 'X-Reservoir-Workstation': bad });
      expect(a.status, bad).toBe(400);
      expect(a.json.error?.message).toContain('X-Reservoir-Workstation');
    }
  });
});

describe('the first administrator of a clinic server', () => {
  const fakeReq = (remoteAddress: string, localAddress: string) => ({ socket: { remoteAddress, localAddress } as net.Socket });
  it('is created only from the server computer: loopback, or the server’s own address', () => {
    expect(isLocalClient(fakeReq('127.0.0.1', '127.0.0.1'))).toBe(true);
    expect(isLocalClient(fakeReq('::ffff:127.0.0.1', '::ffff:127.0.0.1'))).toBe(true);
    expect(isLocalClient(fakeReq('10.0.0.5', '10.0.0.5'))).toBe(true);
    expect(isLocalClient(fakeReq('10.0.0.21', '10.0.0.5'))).toBe(false);
    expect(isLocalClient(fakeReq('::ffff:10.0.0.21', '::ffff:10.0.0.5'))).toBe(false);
  });
});

describe('many failed sign-ins from one workstation', () => {
  it('are refused without being tried once the address has failed too often, the right password too (429)', async () => {
    const limited = await startWebShell({ services, rendererDir: tmp.dir, auth: 'session', signInFailuresPerAddress: 3 });
    try {
      const login = (password: string) =>
        new Promise<Answer>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: limited.port, method: 'POST', path: '/api/session.login', agent: false, headers: { 'Content-Type': 'application/json', ...clientHeaders() } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', json: JSON.parse(Buffer.concat(chunks).toString()) as Answer['json'] }));
          });
          req.on('error', reject);
          req.end(JSON.stringify({ username: `nobody${Math.random()}`.slice(0, 20), password }));
        });
      for (let i = 0; i < 3; i++) expect((await login('wrong password')).status).toBe(200);
      const refused = await login('wrong password');
      expect(refused.status).toBe(429);
      expect(refused.json.error?.message).toMatch(/^Too many failed sign-ins from this workstation: try again in 15 minutes/);
    } finally {
      await limited.close();
    }
  });

  it('count per address within a 15-minute window', () => {
    let now = 0;
    const throttle = new SignInThrottle(2, 15 * 60_000, () => now);
    throttle.recordFailure('10.0.0.21');
    throttle.recordFailure('10.0.0.21');
    expect(throttle.blockedFor('10.0.0.21')).toBe(15 * 60_000);
    expect(throttle.blockedFor('10.0.0.22')).toBeNull();
    now = 15 * 60_000 - 1;
    expect(throttle.blockedFor('10.0.0.21')).toBe(1);
    now = 15 * 60_000;
    expect(throttle.blockedFor('10.0.0.21')).toBeNull();
  });
});
