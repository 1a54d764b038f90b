/**
 * The clinic server (`auth: 'session'`) with personal access tokens: `Authorization: Bearer rsv_…`
 * instead of a session, for the command line on another machine. Each protection is tried.
 */
import http from 'node:http';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebShell } from './server';
import { startTestWebServer, type TestWebServer } from './testing';
import { clientHeaders } from '../../shared/contract/version';
import type { CreatedToken } from '../../shared/contract/tokens';

let server: TestWebServer;
let tmp: TestWebServer['tmp'];
let shell: WebShell;
let session = '';

beforeAll(async () => {
  server = await startTestWebServer({ shell: { auth: 'session', signInFailuresPerAddress: 4 } });
  ({ tmp, shell } = server);
  const setup = await post('session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' });
  session = String(setup.headers['x-reservoir-session']);
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

function post(name: string, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: shell.port, method: 'POST', path: `/api/${name}`, agent: false, headers: { 'Content-Type': 'application/json', ...clientHeaders(undefined, 'REPORTS-PC'), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString()) as Answer['json'] }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}
const asAdmin = (name: string, input: unknown) => post(name, input, { 'X-Reservoir-Session': session });
const withToken = (secret: string, name: string, input: unknown, extra: Record<string, string> = {}) => post(name, input, { Authorization: `Bearer ${secret}`, ...extra });
async function newToken(name: string, role = 'auditor'): Promise<CreatedToken> {
  const r = await asAdmin('tokens.create', { name, role, expiresInDays: 30 });
  if (!r.json.ok) throw new Error(r.json.error!.message);
  return r.json.value as CreatedToken;
}

describe('reservoir serve: personal access tokens', () => {
  it('answers a request made with a token as the token, naming it and the workstation in the audit trail', async () => {
    const { secret } = await newToken('nightly export');
    const r = await withToken(secret, 'audit.export', {});
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
    // No session is opened or named for a token.
    expect(r.headers['x-reservoir-session']).toBeUndefined();
    const db = new Database(tmp.file('clinic.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT username, role, workstation FROM audit_log WHERE action = 'export' ORDER BY seq DESC").get();
      expect(row).toMatchObject({ username: "token 'nightly export' (auditor)", role: 'auditor' });
      expect(String((row as { workstation: string }).workstation)).toContain('REPORTS-PC');
    } finally {
      db.close();
    }
  });

  it('never makes a session request with a token, even with a session header beside it', async () => {
    const { secret } = await newToken('no sessions');
    for (const name of ['session.login', 'session.current', 'session.logout', 'session.lock']) {
      const r = await withToken(secret, name, name === 'session.login' ? { username: 'admin', password: 'a long password' } : {}, { 'X-Reservoir-Session': session });
      expect(r.json, name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(r.headers['x-reservoir-session']).toBeUndefined();
    }
    // The administrator's session beside the token lends it nothing.
    expect((await withToken(secret, 'users.list', {}, { 'X-Reservoir-Session': session })).json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a revoked token with 401 and a plain message', async () => {
    const { token, secret } = await newToken('to revoke');
    expect((await asAdmin('tokens.revoke', { id: token.id })).json.ok).toBe(true);
    const r = await withToken(secret, 'worklist.get', {});
    expect(r.status).toBe(401);
    expect(r.json.error?.message).toMatch(/'to revoke' was revoked/);
  });

  it('stops an address after repeated refused tokens (like failed sign-ins)', async () => {
    const guesses = [];
    for (let i = 0; i < 6; i++) guesses.push((await withToken(`rsv_${'x'.repeat(42)}${i}`, 'worklist.get', {})).status);
    expect(guesses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(guesses.at(-1)).toBe(429);
  });
});
