/**
 * The browser shell and encryption at rest: the real shell (`electron/web/cli.ts`, as `npm run web`
 * starts it) creates an encrypted database with its key in the keys folder; the stolen files do not
 * show the patient; on a computer without the key it refuses to start with the clear message.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { fileState, keyFileFor } from '../services/store/keys';

const root = path.resolve(import.meta.dirname, '../..');
const NAME = 'Wolstenholme';
const MRN = 'MRN-WEB-90417';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

interface Run {
  url: URL | null;
  output: () => string;
  stop: () => Promise<number | null>;
}

async function startShell(args: string[], keysDir: string): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/web/cli.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RESERVOIR_KEYS_DIR: keysDir, RESERVOIR_KEY_FILE: '' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let exit: number | null | undefined;
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve((exit = code))));
  for (let i = 0; i < 3000 && exit === undefined && !/running at (http\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 10));
  const m = /running at (http\S+)/.exec(out);
  return {
    url: m ? new URL(m[1]!) : null,
    output: () => out,
    stop: async () => {
      if (exit === undefined) child.kill('SIGTERM');
      return closed;
    },
  };
}

async function api(base: URL, state: { session: string }, name: string, body: unknown): Promise<{ ok: boolean }> {
  const r = await fetch(new URL(`/api/${name}`, base), {
    method: 'POST',
    headers: { Authorization: `Bearer ${base.searchParams.get('token')}`, 'Content-Type': 'application/json', 'X-Reservoir-Session': state.session },
    body: JSON.stringify(body),
  });
  // The shell keeps no cookies: the session id comes back in a header (electron/web/server.ts).
  const session = r.headers.get('x-reservoir-session');
  if (session !== null) state.session = session;
  return (await r.json()) as { ok: boolean };
}

describe('the browser shell encrypts its database', () => {
  it('a new database is encrypted; its stolen files show no patient; without the key the shell refuses to start, with it it starts', async () => {
    const db = path.join(tmp.dir, 'clinic', 'reservoir.db');
    const keys = tmp.file('home-keys');
    const shell = await startShell(['--db', db], keys);
    try {
      expect(shell.url).not.toBeNull();
      const s = { session: '' };
      await api(shell.url!, s, 'session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password' });
      await api(shell.url!, s, 'users.create', { username: 'nurse', displayName: 'Nurse', role: 'clinician', password: 'a long password' });
      await api(shell.url!, s, 'session.login', { username: 'nurse', password: 'a long password' });
      const created = await api(shell.url!, s, 'patients.create', { mrn: MRN, familyName: NAME, givenName: 'Iolanthe', birthDate: '1955-05-05', sex: 'female', indications: ['spasticity'] });
      expect(created.ok).toBe(true);
      // While it runs: the database and its -wal, as a thief copying them would read them.
      for (const f of [db, `${db}-wal`]) {
        const bytes = fs.readFileSync(f);
        expect(bytes.includes(Buffer.from(NAME))).toBe(false);
        expect(bytes.includes(Buffer.from(MRN))).toBe(false);
      }
    } finally {
      await shell.stop();
    }
    expect(shell.output()).toMatch(/A new encrypted database: its key is kept in the key file/);
    expect(fileState(db)).toBe('encrypted');
    const keyFile = keyFileFor(db, { env: { RESERVOIR_KEYS_DIR: keys }, platform: process.platform, home: '' });
    expect(fs.existsSync(keyFile)).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(db)).filter((f) => f.endsWith('.key'))).toEqual([]);

    // Another computer (no key kept for it): a clear refusal, not recovery mode.
    const refused = await startShell(['--db', db], tmp.file('other-keys'));
    expect(await refused.stop()).toBe(1);
    expect(refused.url).toBeNull();
    expect(refused.output()).toMatch(/is encrypted and this computer has no key for it/);
    expect(refused.output()).not.toMatch(/recovery only/);

    // The key file given explicitly opens it.
    const withKey = await startShell(['--db', db, '--key-file', keyFile], tmp.file('other-keys'));
    try {
      expect(withKey.url).not.toBeNull();
      expect(withKey.output()).not.toMatch(/recovery/);
    } finally {
      await withKey.stop();
    }
  });
});
