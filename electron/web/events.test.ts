/**
 * `GET /api/events` (live updates): the run's token and a signed-in session, like every request;
 * another site is refused; a write from one session streams a notice (no patient data) to another.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservoirServices } from '../services/app';
import { signInEveryRole } from '../services/testing/services';
import type { Role } from '../../shared/contract/roles';
import type { SessionSlot } from '../services/accounts/access';
import type { WebShell } from './server';
import { startTestWebServer, type TestWebServer } from './testing';

let server: TestWebServer;
let services: ReservoirServices;
let shell: WebShell;
let slots: Record<Role, SessionSlot>;

beforeAll(async () => {
  server = await startTestWebServer();
  ({ services, shell } = server);
  slots = await signInEveryRole(services);
});
afterAll(() => server.close());

/** Opens the stream; answers the status, and (when 200) the text received so far and a way to stop. */
function open(headers: Record<string, string>): Promise<{ status: number; text: () => string; body: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: shell.port, method: 'GET', path: '/api/events', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      const answer = { status: res.statusCode ?? 0, text: () => text, body: '', stop: () => req.destroy() };
      if (res.statusCode === 200) resolve(answer);
      else res.on('end', () => resolve({ ...answer, body: text }));
    });
    req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

const page = (role?: Role) => ({ 'X-Reservoir-Token': shell.token, ...(role ? { 'X-Reservoir-Session': slots[role].id! } : {}) });
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('GET /api/events', () => {
  it('refuses a request without the token, without a session, or from another site', async () => {
    expect((await open({})).status).toBe(401);
    const noSession = await open(page());
    expect(noSession.status).toBe(401);
    expect(JSON.parse(noSession.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await open({ ...page('staff'), Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await open({ ...page('staff'), 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('streams a notice of another session’s write within moments, with ids and no patient data', async () => {
    const stream = await open(page('auditor'));
    expect(stream.status).toBe(200);
    await until(() => stream.text().includes(': connected'));
    const created = await services.dispatch('patients.create', { mrn: 'LIVE-1', familyName: 'Secretname', givenName: 'Ada', birthDate: '1960-04-02', sex: 'female', indications: ['cancer_pain'], allergies: 'Latex' }, slots.staff);
    expect(created.ok).toBe(true);
    await until(() => stream.text().includes('event: change'));
    const id = (created as { value: { id: number } }).value.id;
    expect(stream.text()).toContain(`event: change\ndata: {"kind":"patient","patientId":${id},"pumpId":null}\n\n`);
    expect(stream.text()).not.toMatch(/Secretname|LIVE-1|Latex/);
    // A read streams nothing.
    const before = stream.text();
    await services.dispatch('patients.list', {}, slots.staff);
    await new Promise((r) => setTimeout(r, 50));
    expect(stream.text()).toBe(before);
    stream.stop();
  });
});
