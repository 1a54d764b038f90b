/**
 * The browser shell's promises beyond the happy path: security headers on every response, whatever
 * its status; loopback only by default; and no patient data in its logs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservoirServices } from '../services/app';
import { tempDir } from '../services/testing/temp';
import { startWebShell, type WebShell } from './server';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir()));
afterAll(() => tmp.cleanup());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, method: string, urlPath: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Services that answer status, and throw on anything else (the shell's own 500 path). */
const fakeServices: ReservoirServices = {
  dispatch: async (name) => {
    if (name === 'system.status') return { ok: true, value: { state: 'ok' } };
    throw new Error('boom');
  },
  status: () => ({ state: 'ok', message: null, databasePath: 'x', schemaVersion: 1, appVersion: '0', shell: 'browser' }),
  close: () => undefined,
};

describe('security headers on every response', () => {
  let shell: WebShell;
  beforeAll(async () => {
    const renderer = tmp.file('renderer');
    fs.mkdirSync(renderer, { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Reservoir</title>');
    shell = await startWebShell({ services: fakeServices, rendererDir: renderer });
  });
  afterAll(async () => {
    await shell.close();
  });

  it('200, 400, 401, 403, 404, 405, 413, 415, 421 and 500 all carry the CSP (frame-ancestors none) and nosniff', async () => {
    const auth = { Authorization: `Bearer ${shell.token}` };
    const json = { ...auth, 'Content-Type': 'application/json' };
    const cases: [number, Promise<Answer>][] = [
      [200, request(shell.port, 'GET', '/', auth)],
      [200, request(shell.port, 'GET', `/?token=${shell.token}`)],
      [200, request(shell.port, 'POST', '/api/system.status', json, '{}')],
      [400, request(shell.port, 'POST', '/api/system.status', json, '{not json')],
      [401, request(shell.port, 'GET', '/?token=wrong')],
      [401, request(shell.port, 'POST', '/api/system.status', { 'Content-Type': 'application/json' }, '{}')],
      [403, request(shell.port, 'POST', '/api/system.status', { ...json, Origin: 'https://evil.example' }, '{}')],
      [404, request(shell.port, 'GET', '/assets/missing.js', auth)],
      [405, request(shell.port, 'GET', '/api/system.status', auth)],
      [405, request(shell.port, 'PUT', '/index.html', auth)],
      [413, request(shell.port, 'POST', '/api/system.status', json, Buffer.alloc(2 * 1024 * 1024, 0x20))],
      [415, request(shell.port, 'POST', '/api/system.status', { ...auth, 'Content-Type': 'text/plain' }, '{}')],
      [421, request(shell.port, 'GET', '/', { ...auth, Host: 'evil.example' })],
      [500, request(shell.port, 'POST', '/api/patients.list', json, '{}')],
    ];
    for (const [status, pending] of cases) {
      const answer = await pending;
      expect(answer.status).toBe(status);
      expect(answer.headers['content-security-policy'], `CSP on ${status}`).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy'], `CSP on ${status}`).toContain("default-src 'self'");
      expect(answer.headers['x-content-type-options'], `nosniff on ${status}`).toBe('nosniff');
    }
  });
});

describe('loopback only by default', () => {
  it('listens on 127.0.0.1 and is not reachable on this machine’s other addresses', async () => {
    const shell = await startWebShell({ services: fakeServices, rendererDir: tmp.dir });
    try {
      expect(shell.url.startsWith('http://127.0.0.1:')).toBe(true);
      const external = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
      if (external) {
        const reached = await new Promise<boolean>((resolve) => {
          const req = http.request({ host: external.address, port: shell.port, path: '/', timeout: 2000 }, (res) => {
            res.resume();
            resolve(true);
          });
          req.on('error', () => resolve(false));
          req.on('timeout', () => {
            req.destroy();
            resolve(false);
          });
          req.end();
        });
        expect(reached).toBe(false);
      }
    } finally {
      await shell.close();
    }
  });
});

describe('no patient data in the logs', () => {
  it('a run of requests naming a patient never prints the name, MRN or allergy to stdout or stderr', async () => {
    const NAME = 'Quackenbush';
    const GIVEN = 'Zebediah';
    const MRN = 'MRN-LOGCHECK-4471';
    const ALLERGY = 'Penicillinoxyzyl';
    const root = path.resolve(import.meta.dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/web/cli.ts'), '--db', tmp.file('logs.db')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      for (let i = 0; i < 2000 && !/running at (http\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 10));
      const url = new URL(/running at (http\S+)/.exec(out)![1]!);
      const port = Number(url.port);
      const token = url.searchParams.get('token')!;
      let session = '';
      const api = async (name: string, body: unknown) => {
        const a = await request(port, 'POST', `/api/${name}`, { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Reservoir-Session': session }, JSON.stringify(body));
        const set = a.headers['x-reservoir-session'];
        if (typeof set === 'string' && set !== '') session = set;
        return JSON.parse(a.body) as { ok: boolean; value?: { id?: number } };
      };
      await api('session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' });
      await api('users.create', { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: 'a long password' });
      await api('session.login', { username: 'nurse', password: 'a long password' });
      const patient = { mrn: MRN, familyName: NAME, givenName: GIVEN, birthDate: '1960-02-29', sex: 'male', indications: ['cancer_pain'], allergies: ALLERGY };
      const created = await api('patients.create', patient);
      expect(created.ok).toBe(true);
      const id = created.value!.id!;
      await api('patients.list', { query: NAME });
      await api('patients.get', { id });
      await api('patients.update', { id, familyName: `${NAME}-Smith` });
      // Refusals and bad input that carry the name: a duplicate MRN, a bad date, bad JSON, too big, unknown request.
      expect((await api('patients.create', patient)).ok).toBe(false);
      expect((await api('patients.create', { ...patient, mrn: 'MRN-2', birthDate: `${NAME}-1960` })).ok).toBe(false);
      await request(port, 'POST', '/api/patients.create', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Reservoir-Session': session }, `{"familyName": "${NAME}"`);
      await request(port, 'POST', '/api/patients.create', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Reservoir-Session': session }, NAME.repeat(100_000));
      await request(port, 'POST', `/api/${NAME}`, { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Reservoir-Session': session }, '{}');
      await request(port, 'GET', `/${NAME}.js`, { Authorization: `Bearer ${token}` });
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    expect(out).toContain('Reservoir is running at'); // the capture works
    for (const secret of [NAME, GIVEN, MRN, ALLERGY]) {
      expect(out, 'stdout').not.toContain(secret);
      expect(err, 'stderr').not.toContain(secret);
    }
  }, 60_000);
});
