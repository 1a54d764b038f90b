import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type ReservoirServices } from '../services/app';
import { tempDir } from '../services/testing/temp';
import { TEST_COST } from '../services/accounts/passwords';
import { startWebShell, type WebShell } from './server';
import { loadTls } from './tls';
import type { ReportData } from '../../shared/contract/reports';
import { chromiumPath, chromiumPdfRenderer } from '../services/features/reports/pdf-chromium';

let tmp: ReturnType<typeof tempDir>;
let services: ReservoirServices;
let shell: WebShell;
let base: string;
let adminSession = '';
let nurseSession = '';

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

/** node:http, because fetch will not send a custom Host or Origin header. */
function raw(method: string, urlPath: string, headers: Record<string, string>, body?: Buffer | string): Promise<number> {
  return rawAnswer(method, urlPath, headers, body).then((a) => a.status);
}

function rawAnswer(method: string, urlPath: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: shell.port, method, path: urlPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${shell.token}` });
/** The page's way: the token in X-Reservoir-Token, the session in X-Reservoir-Session. */
const asPage = (session?: string) => ({ 'X-Reservoir-Token': shell.token, ...(session ? { 'X-Reservoir-Session': session } : {}) });
const post = (name: string, body: unknown, headers: Record<string, string> = auth()) =>
  fetch(`${base}/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const patientMrns = async () => {
  const listed = (await (await post('patients.list', {}, asPage(nurseSession))).json()) as { ok: boolean; value: { mrn: string }[] };
  expect(listed.ok).toBe(true);
  return listed.value.map((p) => p.mrn).sort();
};

describe('browser shell', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32,}$/);
    expect(shell.urls).toEqual([shell.url]);
  });

  it('answers 401 to every API request without the token, and reads nothing; the app itself (no patient data) needs none', async () => {
    expect((await post('patients.list', {}, {})).status).toBe(401);
    expect(await (await post('patients.list', {}, {})).json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await post('patients.list', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post('patients.list', {}, { 'X-Reservoir-Token': 'wrong' })).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(200);
  });

  it('serves the page at the printed address as it is, setting no cookie (the page keeps the token itself)', async () => {
    const res = await fetch(shell.url, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('<title>Reservoir</title>');
  });

  it('sends security headers on every response', async () => {
    for (const res of [await fetch(`${base}/`), await fetch(`${base}/`, { headers: auth() }), await post('patients.list', {}, {})]) {
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('needs a signed-in session on top of the token, carried in the X-Reservoir-Session header, never a cookie', async () => {
    // Token but no session: no data.
    expect(await (await post('patients.list', {})).json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await (await post('session.current', {})).json()).toMatchObject({ ok: true, value: { state: 'setup' } });
    const setup = await post('session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' });
    expect(await setup.json()).toMatchObject({ ok: true, value: { state: 'active', user: { username: 'admin', role: 'administrator' } } });
    expect(setup.headers.get('set-cookie')).toBeNull();
    adminSession = setup.headers.get('x-reservoir-session')!;
    expect(adminSession).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await (await post('users.list', {}, asPage(adminSession))).json()).toMatchObject({ ok: true, value: { users: [{ username: 'admin' }] } });
    // A request that keeps its session gets no session header back.
    expect((await post('users.list', {}, asPage(adminSession))).headers.get('x-reservoir-session')).toBeNull();
    // A forged or stale session id is no session.
    expect(await (await post('users.list', {}, asPage('x'.repeat(43)))).json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // The session alone, without the run's token, is not enough.
    expect((await post('users.list', {}, { 'X-Reservoir-Session': adminSession })).status).toBe(401);

    expect(await (await post('users.create', { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: 'another long one' }, asPage(adminSession))).json()).toMatchObject({ ok: true });
    const login = await post('session.login', { username: 'nurse', password: 'another long one' });
    nurseSession = login.headers.get('x-reservoir-session')!;
    const out = await post('session.logout', {}, asPage(nurseSession));
    expect(out.headers.get('x-reservoir-session')).toBe('');
    expect(out.headers.get('set-cookie')).toBeNull();
    expect(await (await post('patients.list', {}, asPage(nurseSession))).json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    nurseSession = (await post('session.login', { username: 'nurse', password: 'another long one' })).headers.get('x-reservoir-session')!;
  });

  it('serves the contract over POST: valid, invalid and unknown requests; a role that may not is refused', async () => {
    const grace = { mrn: 'W-1', familyName: 'Web', givenName: 'Ann', birthDate: '1980-05-05', sex: 'female', indications: ['crps'] };
    expect(await (await post('patients.create', grace, asPage(adminSession))).json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const created = await (await post('patients.create', grace, asPage(nurseSession))).json();
    expect(created).toMatchObject({ ok: true, value: { mrn: 'W-1' } });
    expect(await (await post('patients.create', { mrn: 'W-2' }, asPage(nurseSession))).json()).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'familyName' } });
    expect(await (await post('nope.nope', {})).json()).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
    const notJson = await fetch(`${base}/api/patients.list`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{oops' });
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
    const status = await raw('POST', '/api/patients.list', { ...auth(), 'Content-Type': 'application/json' }, Buffer.alloc(2 * 1024 * 1024, 0x78));
    expect(status).toBe(413);
  });

  it('binds to 127.0.0.1 by default', async () => {
    const other = await startWebShell({ services, rendererDir: tmp.dir });
    expect(other.url.startsWith('http://127.0.0.1:')).toBe(true);
    await other.close();
  });
});

describe('requests from another local page (issue 18)', () => {
  const attacker = 'http://127.0.0.1:19999';
  const victim = () => ({ mrn: `X-${Math.random().toString(36).slice(2, 8)}`, familyName: 'Forged', givenName: 'Eve', birthDate: '1970-01-01', sex: 'female', indications: ['crps'] });

  it('an Origin on another port of 127.0.0.1 (or another scheme, name or port) is refused with 403, and nothing is written', async () => {
    const before = await patientMrns();
    for (const origin of [attacker, `https://127.0.0.1:${shell.port}`, `http://localhost:${shell.port + 1}`, 'http://127.0.0.1', 'null', 'http://evil.example']) {
      const answer = await rawAnswer('POST', '/api/patients.create', { ...asPage(nurseSession), 'Content-Type': 'application/json', Origin: origin }, JSON.stringify(victim()));
      expect(answer.status, origin).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(JSON.parse(answer.body).error.message).toMatch(/another site/);
    }
    expect(await patientMrns()).toEqual(before);
    // The shell's own origins, exactly, are accepted.
    for (const origin of [base, `http://localhost:${shell.port}`]) {
      const answer = await rawAnswer('POST', '/api/patients.create', { ...asPage(nurseSession), 'Content-Type': 'application/json', Origin: origin }, JSON.stringify(victim()));
      expect(JSON.parse(answer.body), origin).toMatchObject({ ok: true });
    }
  });

  it('Sec-Fetch-Site other than same-origin or none is refused', async () => {
    const before = await patientMrns();
    for (const site of ['same-site', 'cross-site']) {
      const answer = await rawAnswer('POST', '/api/patients.create', { ...asPage(nurseSession), 'Content-Type': 'application/json', 'Sec-Fetch-Site': site }, JSON.stringify(victim()));
      expect(answer.status, site).toBe(403);
    }
    expect(await patientMrns()).toEqual(before);
    const own = await rawAnswer('POST', '/api/patients.list', { ...asPage(nurseSession), 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' }, '{}');
    expect(own.status).toBe(200);
  });

  it('the simple cross-site request of the report (no-cors, text/plain, cookies) writes nothing, with or without its Origin', async () => {
    const before = await patientMrns();
    // What a page on another port could make the browser send: no custom header, a "simple"
    // Content-Type, and whatever cookies the browser has for 127.0.0.1 (here the old scheme's names).
    const cookie = `reservoir_token=${shell.token}; reservoir_session=${nurseSession}`;
    const simple = { 'Content-Type': 'text/plain;charset=UTF-8', Cookie: cookie };
    expect((await rawAnswer('POST', '/api/patients.create', { ...simple, Origin: attacker, 'Sec-Fetch-Site': 'same-site' }, JSON.stringify(victim()))).status).toBe(403);
    // Without Origin (a browser that strips it): the cookie is no token.
    const noOrigin = await rawAnswer('POST', '/api/patients.create', simple, JSON.stringify(victim()));
    expect(noOrigin.status).toBe(401);
    expect(JSON.parse(noOrigin.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // An HTML form's encodings are refused the same way.
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect(await raw('POST', '/api/patients.create', { 'Content-Type': type, Cookie: cookie }, 'a=1')).toBe(401);
    }
    expect(await patientMrns()).toEqual(before);
  });

  it('the old reservoir_token cookie alone is no token: 401', async () => {
    const answer = await rawAnswer('POST', '/api/patients.list', { 'Content-Type': 'application/json', Cookie: `reservoir_token=${shell.token}` }, '{}');
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain('W-1');
    // Nor does a session cookie stand in for the session header.
    const cookieSession = await rawAnswer('POST', '/api/patients.list', { ...asPage(), 'Content-Type': 'application/json', Cookie: `reservoir_session=${nurseSession}` }, '{}');
    expect(JSON.parse(cookieSession.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('without the token header (the custom header no simple request can carry) a request is refused, even from the shell’s own origin', async () => {
    const before = await patientMrns();
    const answer = await rawAnswer('POST', '/api/patients.create', { 'Content-Type': 'application/json', 'X-Reservoir-Session': nurseSession, Origin: base, 'Sec-Fetch-Site': 'same-origin' }, JSON.stringify(victim()));
    expect(answer.status).toBe(401);
    expect(await patientMrns()).toEqual(before);
  });

  it('text/plain (or no Content-Type) is refused with 415 even with the token and a session, and nothing is written', async () => {
    const before = await patientMrns();
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', undefined]) {
      const headers: Record<string, string> = { ...asPage(nurseSession), ...(type ? { 'Content-Type': type } : {}) };
      const answer = await rawAnswer('POST', '/api/patients.create', headers, JSON.stringify(victim()));
      expect(answer.status, String(type)).toBe(415);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(JSON.parse(answer.body).error.message).toContain('application/json');
    }
    expect(await patientMrns()).toEqual(before);
    // application/json with a charset is JSON.
    expect(await (await post('patients.list', {}, { ...asPage(nurseSession), 'Content-Type': 'application/json; charset=utf-8' })).json()).toMatchObject({ ok: true });
  });

  it('a one-time export download is refused to another site before its key is looked at', async () => {
    expect(await raw('GET', '/exports/job/key/report.csv', { 'Sec-Fetch-Site': 'same-site' })).toBe(403);
    expect(await raw('GET', '/exports/job/key/report.csv', { 'Sec-Fetch-Site': 'cross-site' })).toBe(403);
    // From the shell's own page (or a tool), an unknown key is simply not there.
    expect(await raw('GET', '/exports/job/key/report.csv', { 'Sec-Fetch-Site': 'same-origin' })).toBe(404);
  });

  it('a preflight (OPTIONS) is never approved: no Access-Control-Allow-* header', async () => {
    const answer = await rawAnswer('OPTIONS', '/api/patients.create', { Origin: attacker, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-reservoir-token' });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('client mistakes are 4xx, never 500', () => {
  it('/api/%E0%A4%A (bad percent-encoding) is 400 with a JSON error naming the problem', async () => {
    const answer = await rawAnswer('POST', '/api/%E0%A4%A', { ...auth(), 'Content-Type': 'application/json' }, '{}');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
    expect(JSON.parse(answer.body).error.message).toContain('percent-encoding');
  });

  it('/assets/%00.js and other NUL or badly encoded paths are 400 with a clear body', async () => {
    for (const p of ['/assets/%00.js', '/%00', '/index.html%00.js', '/assets/%E0%A4%A.js', '/%']) {
      const answer = await rawAnswer('GET', p, {});
      expect(answer.status, p).toBe(400);
      expect(answer.body, p).toMatch(/^Bad path: /);
    }
  });

  it('an absolute-form request target that is not a URL is 400', async () => {
    expect(await raw('GET', 'http://[oops/', {})).toBe(400);
  });
});

describe('--host off loopback needs TLS (issue 18)', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  /** A certificate for 127.0.0.1 and localhost, made by `selfsigned` (no hand-written ASN.1). */
  async function certificate(dir: string, name: string): Promise<{ cert: string; key: string; certFile: string; keyFile: string }> {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
    });
    const certFile = path.join(dir, `${name}.crt`);
    const keyFile = path.join(dir, `${name}.key`);
    fs.writeFileSync(certFile, pems.cert);
    fs.writeFileSync(keyFile, pems.private);
    return { cert: pems.cert, key: pems.private, certFile, keyFile };
  }
  /** Runs `npm run web`'s entry with these arguments; answers its exit code and output, or its output once it printed its address. */
  function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/web/cli.ts'), '--db', tmp.file(`cli-${Math.random()}.db`), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Database: /.test(err) || /running at/.test(out)) setTimeout(() => child.kill('SIGTERM'), 300);
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
    });
  }
  function httpsGet(port: number, ca: string, urlPath: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, path: urlPath, method: body === undefined ? 'GET' : 'POST', headers, ca, servername: 'localhost', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  it('startWebShell refuses 0.0.0.0, ::, a LAN address or a host name without TLS, and listens nowhere', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'clinic-pc.local']) {
      await expect(startWebShell({ services, rendererDir: tmp.dir, host })).rejects.toThrow(/not a loopback address.*TLS \(--tls-cert and --tls-key\)/);
    }
  });

  it('`npm run web -- --host 0.0.0.0` without --tls-cert/--tls-key is refused at start (exit 2) with what to do', async () => {
    const r = await runCli(['--host', '0.0.0.0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Refused: --host 0.0.0.0 is not a loopback address');
    expect(r.err).toContain('--tls-cert FILE and --tls-key FILE');
    expect(r.out).not.toContain('running at');
    const half = await runCli(['--host', '0.0.0.0', '--tls-cert', tmp.file('nothing.crt')]);
    expect(half.code).toBe(2);
    expect(half.err).toContain('--tls-cert and --tls-key go together');
  }, 60_000);

  it('loadTls names the option and the problem: a missing file, not PEM, a key that is not the certificate’s', async () => {
    const a = await certificate(tmp.dir, 'a');
    const b = await certificate(tmp.dir, 'b');
    fs.writeFileSync(tmp.file('plain.txt'), 'hello');
    expect(loadTls(tmp.file('missing.crt'), a.keyFile)).toMatchObject({ ok: false, error: { field: 'tls-cert', message: expect.stringContaining('does not exist') } });
    expect(loadTls(a.certFile, tmp.file('plain.txt'))).toMatchObject({ ok: false, error: { field: 'tls-key', message: expect.stringContaining('not a PEM') } });
    expect(loadTls(a.certFile, b.keyFile)).toMatchObject({ ok: false, error: { field: 'tls-key', message: expect.stringContaining('not the private key') } });
    expect(loadTls(a.certFile, a.keyFile)).toMatchObject({ ok: true, value: { names: ['localhost', '127.0.0.1'] } });
  });

  it('with TLS on 0.0.0.0 the shell answers over HTTPS only and prints real https addresses', async () => {
    const c = await certificate(tmp.dir, 'shell');
    const material = loadTls(c.certFile, c.keyFile);
    if (!material.ok) throw new Error(material.error.message);
    const tlsShell = await startWebShell({ services, rendererDir: path.dirname(tmp.file('renderer/index.html')), host: '0.0.0.0', tls: material.value });
    try {
      const interfaces = Object.values(os.networkInterfaces()).flat().filter((i) => i?.family === 'IPv4').map((i) => i!.address);
      expect(tlsShell.url).toBe(`https://127.0.0.1:${tlsShell.port}/?token=${tlsShell.token}`);
      expect(tlsShell.urls.length).toBe(interfaces.length);
      for (const u of tlsShell.urls) {
        const parsed = new URL(u);
        expect(parsed.protocol).toBe('https:');
        expect(parsed.hostname).not.toBe('0.0.0.0');
        expect(interfaces).toContain(parsed.hostname);
      }
      // HTTPS, checked against the certificate: the app and the API answer.
      expect((await httpsGet(tlsShell.port, c.cert, '/')).status).toBe(200);
      const api = await httpsGet(tlsShell.port, c.cert, '/api/session.current', { Authorization: `Bearer ${tlsShell.token}`, 'Content-Type': 'application/json', Origin: `https://127.0.0.1:${tlsShell.port}` }, '{}');
      expect(JSON.parse(api.body)).toMatchObject({ ok: true });
      // The http:// origin of the same port is not its own.
      expect((await httpsGet(tlsShell.port, c.cert, '/api/session.current', { Authorization: `Bearer ${tlsShell.token}`, 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${tlsShell.port}` }, '{}')).status).toBe(403);
      // Plain HTTP on that port gets no answer from the shell.
      const plain = await new Promise<number | string>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port: tlsShell.port, path: '/', agent: false, timeout: 3000 }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (e) => resolve(e.message));
        req.on('timeout', () => {
          req.destroy();
          resolve('timeout');
        });
        req.end();
      });
      expect(typeof plain === 'string' || plain === 400).toBe(true);
      expect(plain).not.toBe(200);
    } finally {
      await tlsShell.close();
    }
  });

  it('`npm run web -- --host 0.0.0.0 --tls-cert F --tls-key F` prints only https addresses of this computer', async () => {
    const c = await certificate(tmp.dir, 'cli');
    const r = await runCli(['--host', '0.0.0.0', '--tls-cert', c.certFile, '--tls-key', c.keyFile]);
    const printed = [...r.out.matchAll(/(https?:\/\/\S+)/g)].map((m) => m[1]!);
    expect(printed.length).toBeGreaterThan(0);
    expect(r.out).toMatch(/running at https:\/\/127\.0\.0\.1:\d+\/\?token=/);
    for (const u of printed) {
      expect(u.startsWith('https://')).toBe(true);
      expect(u).not.toContain('0.0.0.0');
    }
  }, 60_000);
});

describe('report PDFs over HTTPS (issue 18)', () => {
  const rendererDir = path.resolve(import.meta.dirname, '../../dist/renderer');
  const built = fs.existsSync(path.join(rendererDir, 'index.html')) && chromiumPath() !== undefined;
  const data: ReportData = {
    report: 'activity',
    title: 'Activity',
    clinicName: 'TLS Clinic',
    period: { from: '2026-01-01', to: '2026-01-31' },
    periodLabel: '2026-01-01 to 2026-01-31',
    filters: [],
    generatedAtMs: Date.UTC(2026, 1, 1),
    timeZone: 'UTC',
    patientCount: 0,
    sections: [{ key: 'visits', title: 'Refill visits', columns: [], rows: [], totalRows: 0, empty: 'No refill visits in this period.' }],
    patientRecord: null,
  };

  it.skipIf(!built)('headless Chromium prints from the shell’s HTTPS address, trusting its pinned certificate and no other', async () => {
    const make = async (name: string) => {
      const pems = await selfsigned.generate([{ name: 'commonName', value: name }], { keyType: 'ec', curve: 'P-256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
      fs.writeFileSync(tmp.file(`${name}.crt`), pems.cert);
      fs.writeFileSync(tmp.file(`${name}.key`), pems.private);
      const m = loadTls(tmp.file(`${name}.crt`), tmp.file(`${name}.key`));
      if (!m.ok) throw new Error(m.error.message);
      return m.value;
    };
    const own = await make('pdf-own');
    const other = await make('pdf-other');
    const tlsShell = await startWebShell({ services, rendererDir, host: '127.0.0.1', tls: own });
    try {
      const origin = `https://127.0.0.1:${tlsShell.port}`;
      const pdf = await chromiumPdfRenderer({ origin, token: tlsShell.token, spkiSha256: own.spkiSha256 })(data);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // Pinned to another certificate, Chromium refuses the shell's: nothing is printed.
      await expect(chromiumPdfRenderer({ origin, token: tlsShell.token, spkiSha256: other.spkiSha256 })(data)).rejects.toThrow(/ERR_CERT|certificate/i);
    } finally {
      await tlsShell.close();
    }
  }, 120_000);
});
