import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type ReservoirServices } from '../services/app';
import { tempDir } from '../services/testing/temp';
import { TEST_COST } from '../services/accounts/passwords';
import { startWebShell, type WebShell } from './server';

let tmp: ReturnType<typeof tempDir>;
let services: ReservoirServices;
let shell: WebShell;
let base: string;
let adminCookie = '';
let nurseCookie = '';

beforeAll(async () => {
  tmp = tempDir();
  const renderer = tmp.file('renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Reservoir</title>');
  fs.writeFileSync(path.join(renderer, 'assets/app.js'), 'console.log(1)');
  fs.writeFileSync(tmp.file('secret.txt'), 'outside the renderer');
  const r = createServices({ databasePath: tmp.file('clinic.db'), shell: 'browser', passwordCost: TEST_COST });
  if (!r.ok) throw new Error(r.error.message);
  services = r.value;
  shell = await startWebShell({ services, rendererDir: renderer });
  base = `http://127.0.0.1:${shell.port}`;
});
afterAll(async () => {
  await shell.close();
  services.close();
  tmp.cleanup();
});

/** node:http, because fetch will not send a custom Host header. */
function raw(method: string, urlPath: string, headers: Record<string, string>, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: shell.port, method, path: urlPath, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${shell.token}` });
const post = (name: string, body: unknown, headers: Record<string, string> = auth()) =>
  fetch(`${base}/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('browser shell', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32,}$/);
  });

  it('answers 401 to every request without the token, and reads nothing', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401);
    expect((await post('patients.list', {}, {})).status).toBe(401);
    expect((await post('patients.list', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
  });

  it('exchanges the token in the address for an HttpOnly SameSite cookie and drops it from the address', async () => {
    const res = await fetch(`${base}/?token=${shell.token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base}/`, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Reservoir</title>');
  });

  it('sends security headers on every response', async () => {
    for (const res of [await fetch(`${base}/`), await fetch(`${base}/`, { headers: auth() })]) {
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('needs a signed-in session on top of the token: an HttpOnly SameSite=Strict cookie the page never reads', async () => {
    // Token but no session: no data.
    expect(await (await post('patients.list', {})).json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await (await post('session.current', {})).json()).toMatchObject({ ok: true, value: { state: 'setup' } });
    const setup = await post('session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' });
    expect(await setup.json()).toMatchObject({ ok: true, value: { state: 'active', user: { username: 'admin', role: 'administrator' } } });
    const cookie = setup.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^reservoir_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    adminCookie = cookie.split(';')[0]!;
    expect(await (await post('users.list', {}, { ...auth(), Cookie: adminCookie })).json()).toMatchObject({ ok: true, value: { users: [{ username: 'admin' }] } });
    // A forged or stale session id is no session.
    expect(await (await post('users.list', {}, { ...auth(), Cookie: `reservoir_session=${'x'.repeat(43)}` })).json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // The session cookie alone, without the run's token, is not enough.
    expect((await post('users.list', {}, { Cookie: adminCookie })).status).toBe(401);

    expect(await (await post('users.create', { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: 'another long one' }, { ...auth(), Cookie: adminCookie })).json()).toMatchObject({ ok: true });
    const login = await post('session.login', { username: 'nurse', password: 'another long one' });
    nurseCookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const out = await post('session.logout', {}, { ...auth(), Cookie: nurseCookie });
    expect(out.headers.get('set-cookie')).toBe('reservoir_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
    expect(await (await post('patients.list', {}, { ...auth(), Cookie: nurseCookie })).json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    nurseCookie = (await post('session.login', { username: 'nurse', password: 'another long one' })).headers.get('set-cookie')!.split(';')[0]!;
  });

  it('serves the contract over POST: valid, invalid and unknown requests; a role that may not is refused', async () => {
    const as = (cookie: string) => ({ ...auth(), Cookie: cookie });
    const grace = { mrn: 'W-1', familyName: 'Web', givenName: 'Ann', birthDate: '1980-05-05', sex: 'female', indications: ['crps'] };
    expect(await (await post('patients.create', grace, as(adminCookie))).json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const created = await (await post('patients.create', grace, as(nurseCookie))).json();
    expect(created).toMatchObject({ ok: true, value: { mrn: 'W-1' } });
    expect(await (await post('patients.create', { mrn: 'W-2' }, as(nurseCookie))).json()).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'familyName' } });
    expect(await (await post('nope.nope', {})).json()).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
    const notJson = await fetch(`${base}/api/patients.list`, { method: 'POST', headers: auth(), body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses GET on the API, foreign origins and foreign Host names', async () => {
    expect((await fetch(`${base}/api/patients.list`, { headers: auth() })).status).toBe(405);
    expect((await post('patients.list', {}, { ...auth(), Origin: 'https://evil.example' })).status).toBe(403);
    expect(await raw('GET', '/', { ...auth(), Host: 'evil.example' })).toBe(421);
    expect(await raw('GET', '/', { ...auth(), Host: `localhost:${shell.port}` })).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await fetch(`${base}${p}`, { headers: auth() });
      expect(await res.text()).not.toContain('outside the renderer');
    }
  });

  it('refuses request bodies over 1 MiB', async () => {
    const status = await raw('POST', '/api/patients.list', auth(), Buffer.alloc(2 * 1024 * 1024, 0x78));
    expect(status).toBe(413);
  });

  it('binds to 127.0.0.1 by default', async () => {
    const other = await startWebShell({ services, rendererDir: tmp.dir });
    expect(other.url.startsWith('http://127.0.0.1:')).toBe(true);
    await other.close();
  });
});
