/**
 * `reservoir serve` as clinic IT runs it: a real process (bin/reservoir.mjs) on 127.0.0.1 or every
 * interface, its certificate, its refusal of a key others can read, and its clean stop on SIGTERM.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import Database from 'better-sqlite3-multiple-ciphers';
import selfsigned from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { clientHeaders, THIS_VERSION } from '../../shared/contract/version';
import { mainAsync } from './main';
import type { CliIo } from './args';

const root = path.resolve(import.meta.dirname, '../..');
let tmp: ReturnType<typeof tempDir>;
const running = new Set<ChildProcessByStdio<null, Readable, Readable>>();

beforeAll(() => {
  tmp = tempDir('reservoir-serve-');
});
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});
afterAll(() => tmp.cleanup());

interface Server {
  child: ChildProcessByStdio<null, Readable, Readable>;
  out: () => string;
  err: () => string;
  url: URL;
  exit: Promise<number | null>;
}

/** Starts `reservoir serve` with `args`; answers once it printed its database line, or its exit code when it stopped first. */
function serve(args: string[]): Promise<Server | { code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'serve', '--port', '0', ...args], {
    cwd: tmp.dir,
    env: { ...process.env, RESERVOIR_KEYS_DIR: tmp.file('keys') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((resolve) =>
    child.on('close', (code, signal) => {
      if (signal) err += `\n[killed by ${signal}]`;
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const at = /listening at (\S+)/.exec(out);
      if (at && /^Database: /m.test(out)) resolve({ child, out: () => out, err: () => err, url: new URL(at[1]!), exit });
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    void exit.then((code) => resolve({ code, out, err }));
  });
}

function started(s: Awaited<ReturnType<typeof serve>>): Server {
  if (!('child' in s)) throw new Error(`reservoir serve did not start (exit ${s.code}): ${s.err}`);
  return s;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

function collect(res: http.IncomingMessage, resolve: (a: Answer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Answer['json'] }));
}

/** A workstation's API request over plain HTTP (loopback). */
function api(url: URL, name: string, input: unknown, session?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: `/api/${name}`, agent: false, headers: { 'Content-Type': 'application/json', ...clientHeaders(THIS_VERSION, 'TEST-PC'), ...(session ? { 'X-Reservoir-Session': session } : {}) } }, (res) => collect(res, resolve));
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

/** GET over HTTPS, trusting only a certificate whose SHA-256 fingerprint is `pin` (how a workstation pins the server). */
function pinnedGet(port: string, urlPath: string, pin: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        agent: false,
        rejectUnauthorized: false, // self-signed: trusted by its pinned fingerprint below, not by a CA
        checkServerIdentity: () => undefined,
      },
      (res) => {
        const cert = (res.socket as tls.TLSSocket).getPeerCertificate();
        if (cert.fingerprint256 !== pin) {
          req.destroy();
          reject(new Error(`certificate fingerprint ${cert.fingerprint256} is not the pinned ${pin}`));
          return;
        }
        collect(res, resolve);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function io(): CliIo & { text: () => string } {
  let text = '';
  return { out: (t) => void (text += t), err: (t) => void (text += t), now: Date.now, text: () => text };
}

describe('reservoir serve: usage', () => {
  it('--help exits 0; bad usage exits 2 with what is wrong', async () => {
    const help = io();
    expect(await mainAsync(['serve', '--help'], help)).toBe(0);
    expect(help.text()).toContain('Usage: reservoir serve --db FILE');
    const half = io();
    expect(await mainAsync(['serve', '--db', tmp.file('u.db'), '--tls-cert', tmp.file('x.crt')], half)).toBe(2);
    expect(half.text()).toContain('--tls-cert and --tls-key go together');
    const port = io();
    expect(await mainAsync(['serve', '--db', tmp.file('u.db'), '--port', '99999'], port)).toBe(2);
    expect(port.text()).toContain('--port must be a whole number from 0 to 65535');
    const noDb = io();
    expect(await mainAsync(['serve'], noDb)).toBe(2);
    expect(noDb.text()).toContain('--db is required');
    expect(fs.existsSync(tmp.file('u.db'))).toBe(false);
  });
});

describe('reservoir serve: a port in use', () => {
  it('is refused with exit 1, naming the port, and the database is closed again', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await serve(['--db', tmp.file('clinic-busy.db'), '--plain', '--port', String(port)]);
      expect('code' in r && r.code).toBe(1);
      expect((r as { err: string }).err).toContain(`cannot listen on 127.0.0.1:${port}: port ${port} is in use by another program`);
      expect(fs.existsSync(`${tmp.file('clinic-busy.db')}-wal`)).toBe(false);
    } finally {
      holder.close();
    }
  }, 60_000);
});

describe('reservoir serve off loopback: HTTPS with a self-signed certificate kept beside the database', () => {
  it('makes it on first start (0600, for this computer’s names), prints its fingerprint and pin, serves only HTTPS, and reuses it on the next start', async () => {
    const db = tmp.file('clinic-tls.db');
    const first = started(await serve(['--db', db, '--host', '0.0.0.0']));
    const certFile = `${db}.tls-cert.pem`;
    const keyFile = `${db}.tls-key.pem`;
    expect((fs.statSync(certFile).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    const x509 = new crypto.X509Certificate(fs.readFileSync(certFile));
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(first.out()).toContain(`SHA-256 fingerprint: ${x509.fingerprint256}`);
    expect(x509.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const spki = crypto.createHash('sha256').update(x509.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
    expect(first.out()).toContain(`public key pin (SPKI SHA-256, base64): ${spki}`);
    expect(first.out()).toContain('(self-signed, made now)');
    expect(first.out()).toContain(`Database: ${db}`);
    expect(first.url.protocol).toBe('https:');
    expect(first.out()).not.toMatch(/http:\/\//);
    expect(first.out()).not.toContain('0.0.0.0');

    // A workstation pinning the printed fingerprint reaches it; the versions need no sign-in.
    const version = await pinnedGet(first.url.port, '/api/version', x509.fingerprint256);
    expect(version.json).toEqual({ ok: true, value: THIS_VERSION });
    // A wrong pin is refused by the client.
    await expect(pinnedGet(first.url.port, '/api/version', 'AA:'.repeat(31) + 'AA')).rejects.toThrow(/not the pinned/);
    // Plain HTTP to the same port gets no answer from the console.
    const plain = await new Promise<string>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: first.url.port, path: '/api/version', agent: false }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
      req.end();
    });
    expect(plain).not.toBe('status 200');

    first.child.kill('SIGTERM');
    expect(await first.exit, first.err()).toBe(0);

    const second = started(await serve(['--db', db, '--host', '0.0.0.0']));
    expect(second.out()).toContain(`SHA-256 fingerprint: ${x509.fingerprint256}`);
    expect(second.out()).not.toContain('made now');
    second.child.kill('SIGTERM');
    expect(await second.exit, second.err()).toBe(0);
  }, 60_000);

  it('refuses a private key other accounts can read (chmod 644), its own or one given, and listens nowhere', async () => {
    const db = tmp.file('clinic-perm.db');
    const first = started(await serve(['--db', db, '--host', '0.0.0.0']));
    first.child.kill('SIGTERM');
    expect(await first.exit, first.err()).toBe(0);
    fs.chmodSync(`${db}.tls-key.pem`, 0o644);
    const refused = await serve(['--db', db, '--host', '0.0.0.0']);
    expect('code' in refused && refused.code).toBe(1);
    const r = refused as { out: string; err: string };
    expect(r.err).toContain(`the private key ${db}.tls-key.pem can be read by other accounts on this computer (mode 0644)`);
    expect(r.err).toContain(`chmod 600 ${db}.tls-key.pem`);
    expect(r.out).not.toContain('listening');

    // The database's key file, readable by others: refused too (not quietly tightened), and said which file.
    fs.chmodSync(`${db}.tls-key.pem`, 0o600);
    const keyFile = fs.readdirSync(tmp.file('keys')).find((f) => f.startsWith('clinic-perm.db-'))!;
    fs.chmodSync(path.join(tmp.file('keys'), keyFile), 0o644);
    const dbKey = await serve(['--db', db, '--host', '0.0.0.0']);
    expect('code' in dbKey && dbKey.code).toBe(1);
    expect((dbKey as { err: string }).err).toContain(`the database's key file ${path.join(tmp.file('keys'), keyFile)} can be read by other accounts on this computer (mode 0644)`);
    expect((fs.statSync(path.join(tmp.file('keys'), keyFile)).mode & 0o777).toString(8)).toBe('644');

    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', curve: 'P-256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
    fs.writeFileSync(tmp.file('clinic.crt'), pems.cert);
    fs.writeFileSync(tmp.file('clinic.key'), pems.private, { mode: 0o640 });
    fs.chmodSync(tmp.file('clinic.key'), 0o640);
    const given = await serve(['--db', tmp.file('clinic-given.db'), '--host', '0.0.0.0', '--tls-cert', tmp.file('clinic.crt'), '--tls-key', tmp.file('clinic.key')]);
    expect('code' in given && given.code).toBe(1);
    expect((given as { err: string }).err).toContain('(mode 0640)');
    // Made owner-only, the same files are accepted, and the clinic's certificate is served.
    fs.chmodSync(tmp.file('clinic.key'), 0o600);
    const ok = started(await serve(['--db', tmp.file('clinic-given.db'), '--host', '0.0.0.0', '--tls-cert', tmp.file('clinic.crt'), '--tls-key', tmp.file('clinic.key')]));
    expect(ok.out()).toContain(`SHA-256 fingerprint: ${new crypto.X509Certificate(pems.cert).fingerprint256}`);
    expect(fs.existsSync(`${tmp.file('clinic-given.db')}.tls-cert.pem`)).toBe(false);
    ok.child.kill('SIGTERM');
    expect(await ok.exit, ok.err()).toBe(0);
  }, 60_000);
});

describe('reservoir serve stops cleanly on SIGTERM', () => {
  it('a write in flight finishes and is in the database; new connections are refused; exit 0; the database is closed', async () => {
    const db = tmp.file('clinic-stop.db');
    const s = started(await serve(['--db', db, '--plain']));
    expect(s.url.protocol).toBe('http:');
    const setup = await api(s.url, 'session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' });
    const admin = setup.headers['x-reservoir-session'] as string;
    expect((await api(s.url, 'users.create', { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: 'another long one' }, admin)).json).toMatchObject({ ok: true });
    const nurse = (await api(s.url, 'session.login', { username: 'nurse', password: 'another long one' })).headers['x-reservoir-session'] as string;

    // A write whose body is still arriving when SIGTERM comes. `Expect: 100-continue`: the server
    // answers "100 Continue" as it hands the request to its handler, so the test knows the request
    // is in flight without guessing a delay.
    const body = Buffer.from(JSON.stringify({ mrn: 'STOP-1', familyName: 'Inflight', givenName: 'Ada', birthDate: '1960-05-01', sex: 'female', indications: ['cancer_pain'] }));
    const req = http.request({
      host: '127.0.0.1',
      port: s.url.port,
      method: 'POST',
      path: '/api/patients.create',
      agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), Expect: '100-continue', ...clientHeaders(THIS_VERSION, 'ROOM1-PC'), 'X-Reservoir-Session': nurse },
    });
    const answered = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => collect(res, resolve));
      req.on('error', reject);
    });
    const inFlight = new Promise<void>((resolve) => req.on('continue', () => resolve()));
    req.flushHeaders();
    await inFlight;
    req.write(body.subarray(0, 20));
    s.child.kill('SIGTERM');
    await waitFor(() => /Stopping \(SIGTERM\)/.test(s.err()));

    // No new connections.
    const refused = await new Promise<string>((resolve) => {
      const c = net.connect({ host: '127.0.0.1', port: Number(s.url.port) }, () => {
        c.destroy();
        resolve('connected');
      });
      c.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    req.end(body.subarray(20));
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, value: { mrn: 'STOP-1' } });
    expect(await s.exit, s.err()).toBe(0);
    expect(s.err()).toContain('Stopped: the database is closed.');
    // Closed cleanly: WAL checkpointed and removed.
    expect(fs.existsSync(`${db}-wal`)).toBe(false);

    const check = new Database(db, { readonly: true });
    try {
      expect(check.prepare("SELECT family_name FROM patients WHERE mrn = 'STOP-1'").get()).toEqual({ family_name: 'Inflight' });
      const audit = check.prepare("SELECT workstation FROM audit_log WHERE entity = 'patient' AND action = 'create'").get() as { workstation: string };
      expect(audit.workstation).toBe('ROOM1-PC (127.0.0.1)');
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
    // The daily backup ran on start.
    expect(fs.readdirSync(path.join(path.dirname(db), 'backups')).some((f) => f.startsWith('clinic-stop.db.backup-') && f.endsWith('-daily.db'))).toBe(true);
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
