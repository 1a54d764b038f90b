/**
 * `reservoir report … --server`: a real `reservoir serve` process (HTTPS, self-signed) and the
 * command line against it with a personal access token, the way a scheduled export runs on another
 * machine. The file written here equals the local command's on the same database.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { createServices } from '../services/app';
import { TEST_COST } from '../services/accounts/passwords';
import type { CreatedToken } from '../../shared/contract/tokens';
import { mainAsync } from './main';
import type { CliIo } from './args';

const root = path.resolve(import.meta.dirname, '../..');
let tmp: ReturnType<typeof tempDir>;
let child: ChildProcessByStdio<null, Readable, Readable> | null = null;
let port = '';
let fingerprint = '';
const db = () => tmp.file('clinic.db');
const tokens: Record<string, string> = {};

function io(env: NodeJS.ProcessEnv = {}): CliIo & { text: () => string } {
  let text = '';
  return { out: (t) => void (text += t), err: (t) => void (text += t), now: Date.now, env, text: () => text };
}

/** An administrator, an auditor token, and a revoked one, made before the server starts. */
async function prepare(): Promise<void> {
  const gen = io();
  expect(await mainAsync(['generate', '--db', db(), '--patients', '6', '--years', '1', '--as-of', '2026-03-01', '--plain'], gen), gen.text()).toBe(0);
  const r = createServices({ databasePath: db(), shell: 'browser', passwordCost: TEST_COST });
  if (!r.ok) throw new Error(r.error.message);
  const slot = { id: null };
  try {
    await r.value.dispatch('session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' }, slot);
    for (const name of ['nightly export', 'old laptop']) {
      const t = await r.value.dispatch('tokens.create', { name, role: 'auditor', expiresInDays: 30 }, slot);
      if (!t.ok) throw new Error(t.error.message);
      tokens[name] = (t.value as CreatedToken).secret;
      if (name === 'old laptop') await r.value.dispatch('tokens.revoke', { id: (t.value as CreatedToken).token.id }, slot);
    }
  } finally {
    r.value.close();
  }
}

beforeAll(async () => {
  tmp = tempDir('reservoir-remote-');
  await prepare();
  const c = spawn(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'serve', '--db', db(), '--host', '0.0.0.0', '--port', '0'], {
    cwd: root, // the export worker loads tsx from the project (as an installed app loads its own code)
    env: { ...process.env, RESERVOIR_KEYS_DIR: tmp.file('keys') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = c;
  let out = '';
  let err = '';
  await new Promise<void>((resolve, reject) => {
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const at = /listening at https:\/\/\S+?:(\d+)/.exec(out);
      if (at && /^Database: /m.test(out)) {
        port = at[1]!;
        resolve();
      }
    });
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => reject(new Error(`reservoir serve stopped (${code}): ${err}`)));
  });
  fingerprint = new crypto.X509Certificate(fs.readFileSync(`${db()}.tls-cert.pem`)).fingerprint256;
}, 120_000);

afterAll(() => {
  child?.kill('SIGKILL');
  tmp.cleanup();
});

const server = () => `https://127.0.0.1:${port}`;
function tokenFile(secret: string, mode = 0o600): string {
  const file = tmp.file(`token-${crypto.randomBytes(4).toString('hex')}`);
  fs.writeFileSync(file, `${secret}\n`, { mode });
  fs.chmodSync(file, mode);
  return file;
}
const period = ['--from', '2025-09-01', '--to', '2026-02-28'];

describe('reservoir report --server (a real reservoir serve)', () => {
  it('writes here the same CSV the local command writes from the database, and the server audits the token', async () => {
    const remoteOut = tmp.file('remote.csv');
    const remote = io();
    const code = await mainAsync(['report', 'activity', ...period, '--format', 'csv', '--out', remoteOut, '--server', server(), '--token-file', tokenFile(tokens['nightly export']!), '--fingerprint', fingerprint], remote);
    expect(code, remote.text()).toBe(0);
    expect(remote.text()).toContain(`Wrote ${remoteOut}`);
    expect((fs.statSync(remoteOut).mode & 0o777).toString(8)).toBe('600');

    const localOut = tmp.file('local.csv');
    const local = io();
    expect(await mainAsync(['report', 'activity', ...period, '--format', 'csv', '--out', localOut, '--db', db()], local), local.text()).toBe(0);
    const remoteCsv = fs.readFileSync(remoteOut, 'utf8');
    expect(remoteCsv.split('\n').length).toBeGreaterThan(2);
    expect(remoteCsv).toBe(fs.readFileSync(localOut, 'utf8'));

    const raw = new Database(db(), { readonly: true });
    try {
      const row = raw.prepare("SELECT username, role FROM audit_log WHERE action = 'export' AND entity = 'report' AND username LIKE 'token%' ORDER BY seq DESC").get();
      expect(row).toEqual({ username: "token 'nightly export' (auditor)", role: 'auditor' });
    } finally {
      raw.close();
    }
  }, 60_000);

  it('takes the token from RESERVOIR_TOKEN too', async () => {
    const out = tmp.file('env.csv');
    const r = io({ RESERVOIR_TOKEN: tokens['nightly export']! });
    expect(await mainAsync(['report', 'activity', ...period, '--format', 'csv', '--out', out, '--server', server(), '--fingerprint', fingerprint], r), r.text()).toBe(0);
  }, 60_000);

  it('a revoked token: exit 1 with the server’s message, nothing written', async () => {
    const out = tmp.file('revoked.csv');
    const r = io();
    expect(await mainAsync(['report', 'activity', ...period, '--format', 'csv', '--out', out, '--server', server(), '--token-file', tokenFile(tokens['old laptop']!), '--fingerprint', fingerprint], r)).toBe(1);
    expect(r.text()).toMatch(/the clinic server refused: The access token 'old laptop' was revoked on \d{4}-\d\d-\d\d by admin/);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('a wrong fingerprint: refused before the token is sent (exit 1)', async () => {
    const r = io();
    const wrong = 'AB:'.repeat(31) + 'AB';
    expect(await mainAsync(['report', 'activity', ...period, '--format', 'csv', '--out', tmp.file('x.csv'), '--server', server(), '--token-file', tokenFile(tokens['nightly export']!), '--fingerprint', wrong], r)).toBe(1);
    expect(r.text()).toContain('fingerprint is not the one given with --fingerprint: nothing was sent');
    // Without a fingerprint the self-signed certificate is not trusted either.
    const noPin = io();
    expect(await mainAsync(['report', 'activity', ...period, '--format', 'csv', '--out', tmp.file('y.csv'), '--server', server(), '--token-file', tokenFile(tokens['nightly export']!)], noPin)).toBe(1);
    expect(noPin.text()).toContain('--fingerprint');
  }, 60_000);

  it('refuses a token file others can read, and a token on the command line is not an option', async () => {
    const loose = io();
    const file = tokenFile(tokens['nightly export']!, 0o644);
    expect(await mainAsync(['report', 'activity', ...period, '--format', 'csv', '--out', tmp.file('z.csv'), '--server', server(), '--token-file', file, '--fingerprint', fingerprint], loose)).toBe(1);
    expect(loose.text()).toContain(`chmod 600 ${file}`);
    const onArgs = io();
    expect(await mainAsync(['report', 'activity', '--format', 'csv', '--out', tmp.file('z.csv'), '--server', server(), '--token', tokens['nightly export']!], onArgs)).toBe(2);
    const none = io();
    expect(await mainAsync(['report', 'activity', '--format', 'csv', '--out', tmp.file('z.csv'), '--server', server()], none)).toBe(2);
    expect(none.text()).toContain('RESERVOIR_TOKEN');
  });

  it('reservoir worklist --server prints what the local command prints', async () => {
    const remote = io({ RESERVOIR_TOKEN: tokens['nightly export']! });
    expect(await mainAsync(['worklist', '--as-of', '2026-03-01', '--days', '30', '--format', 'csv', '--server', server(), '--fingerprint', fingerprint], remote), remote.text()).toBe(0);
    const local = io();
    expect(await mainAsync(['worklist', '--as-of', '2026-03-01', '--days', '30', '--format', 'csv', '--db', db()], local), local.text()).toBe(0);
    expect(remote.text().split('\n').length).toBeGreaterThan(1);
    expect(remote.text()).toBe(local.text());
    const revoked = io({ RESERVOIR_TOKEN: tokens['old laptop']! });
    expect(await mainAsync(['worklist', '--server', server(), '--fingerprint', fingerprint], revoked)).toBe(1);
    expect(revoked.text()).toContain("'old laptop' was revoked");
  }, 60_000);

  it('a server nobody runs: exit 1 saying so', async () => {
    const r = io({ RESERVOIR_TOKEN: tokens['nightly export']! });
    expect(await mainAsync(['report', 'activity', '--format', 'csv', '--out', tmp.file('n.csv'), '--server', 'http://127.0.0.1:9'], r)).toBe(1);
    expect(r.text()).toContain('nothing answers at http://127.0.0.1:9');
  });
});
