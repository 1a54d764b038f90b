/** The command line against a database another program holds locked: it waits, then says "in use", never "internal error". */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { FIXTURE_DIR } from '../services/features/interchange/test-support';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'reservoir.mjs');

let tmp: ReturnType<typeof tempDir>;
let holder: ChildProcessWithoutNullStreams | null = null;
beforeEach(() => (tmp = tempDir('reservoir-busy-')));
afterEach(() => {
  holder?.kill();
  holder = null;
  tmp.cleanup();
});

function bin(args: string[]): Promise<{ code: number | null; err: string; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/**
 * Another program (a sqlite3 process, as a database tool would) takes the write lock and keeps it; `releaseAfterMs` lets go.
 * The clinics here are made --plain: the sqlite3 tool cannot open an encrypted one. Waiting and "in use" are the same code path either way.
 */
async function holdLock(db: string, releaseAfterMs?: number): Promise<void> {
  const child = spawn('sqlite3', [db]);
  holder = child;
  child.stdin.write("PRAGMA locking_mode = EXCLUSIVE;\nBEGIN EXCLUSIVE;\nINSERT INTO settings (key, value) VALUES ('held-by', 'sqlite3');\nSELECT 'locked';\n");
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`sqlite3 exited (${code})`)));
  });
  if (releaseAfterMs !== undefined) setTimeout(() => child.stdin.end('ROLLBACK;\n'), releaseAfterMs);
}

function patients(db: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
  } finally {
    d.close();
  }
}

describe.skipIf(spawnSync('sqlite3', ['-version']).error !== undefined)('reservoir while another program holds the database', () => {
  it('worklist and import wait, then say the file is in use (exit 1), not "internal error" or "damaged"; nothing changes', async () => {
    const db = tmp.file('clinic.db');
    expect((await bin(['import', '--db', db, '--plain', FIXTURE_DIR])).code).toBe(0);
    const before = patients(db);
    await holdLock(db);
    for (const args of [['worklist', '--db', db], ['import', '--db', db, FIXTURE_DIR]]) {
      const started = Date.now();
      const r = await bin(args);
      expect(r.code, r.err).toBe(1);
      expect(Date.now() - started).toBeGreaterThan(4000); // it waited its turn (the busy timeout) first
      expect(r.err).toMatch(new RegExp(`reservoir ${args[0]}: The database .*clinic\\.db is in use by another program`));
      expect(r.err).toMatch(/nothing was changed/);
      expect(r.err).not.toMatch(/internal error|damaged|recovery/i);
    }
    holder!.stdin.end('ROLLBACK;\n');
    await new Promise((resolve) => holder!.on('exit', resolve));
    expect(patients(db)).toBe(before);
  }, 60_000);

  it('an import started while another program writes waits for its turn and then imports', async () => {
    const db = tmp.file('clinic.db');
    expect((await bin(['generate', '--db', db, '--plain', '--patients', '3', '--years', '1'])).code).toBe(0);
    const before = patients(db);
    await holdLock(db, 1500);
    const r = await bin(['import', '--db', db, FIXTURE_DIR]);
    expect(r.code, r.err).toBe(0);
    expect(patients(db)).toBeGreaterThan(before);
  }, 60_000);
});
