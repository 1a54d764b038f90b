/**
 * Other accounts on the same computer must not read the clinic record: every file Reservoir writes is
 * 0600 and every folder it makes 0700, whatever the umask of the process that started it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type ReservoirServices } from '../app';
import { TEST_COST } from '../accounts/passwords';
import { signInEveryRole } from '../testing/services';
import { tempDir } from '../testing/temp';
import { mainAsync } from '../../cli/main';
import type { CliIo } from '../../cli/args';
import { openDatabase } from './database';

const POSIX = process.platform !== 'win32';
const root = path.resolve(import.meta.dirname, '../../..');

/** Every file and folder below `dir` whose mode lets group or others in, with its mode. */
function readableByOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      const mode = fs.statSync(p).mode & 0o777;
      if (mode & 0o077) found.push(`${path.relative(dir, p)} ${mode.toString(8)}`);
      if (entry.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return found;
}

/** Runs a command line in this process; answers its exit code and what it printed to stderr. */
async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const io: CliIo = { out: () => {}, err: (t) => void (err += t), now: () => Date.UTC(2026, 10, 30, 12) };
  return { code: await mainAsync(argv, io), err };
}

let umask: number;
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  // The usual desktop umask: files 0644 and folders 0755 unless Reservoir says otherwise.
  umask = process.umask(0o022);
  tmp = tempDir();
});
afterEach(() => {
  process.umask(umask);
  tmp.cleanup();
});

describe.skipIf(!POSIX)('files on disk are owner-only (0600 files, 0700 folders)', () => {
  it('the database, its WAL, backups, the set-aside file of a restore, exports and reports', async () => {
    const clinicDir = path.join(tmp.dir, 'clinic'); // made by Reservoir
    const databasePath = path.join(clinicDir, 'reservoir.db');
    const opened = createServices({ databasePath, shell: 'browser', passwordCost: TEST_COST });
    if (!opened.ok) throw new Error(opened.error.message);
    const services: ReservoirServices = opened.value;
    try {
      const slots = await signInEveryRole(services);
      const created = await services.dispatch('patients.create', { mrn: 'MRN-1', familyName: 'Quinn', givenName: 'Nora', birthDate: '1960-01-02', sex: 'female', indications: ['cancer_pain'] }, slots.clinician);
      expect(created).toMatchObject({ ok: true });
      expect(fs.existsSync(`${databasePath}-wal`)).toBe(true);
      const backup = await services.dispatch('backups.create', {}, slots.administrator);
      if (!backup.ok) throw new Error(backup.error.message);
      const restored = await services.dispatch('backups.restore', { name: (backup.value as { name: string }).name }, slots.administrator);
      if (!restored.ok) throw new Error(restored.error.message);
      expect(fs.readdirSync(clinicDir).some((f) => f.includes('.replaced-'))).toBe(true);
    } finally {
      services.close();
    }
    // The command line: the interchange export and a report into folders it makes.
    expect(await cli(['export', '--db', databasePath, '--out', path.join(tmp.dir, 'export')])).toEqual({ code: 0, err: expect.any(String) });
    expect(await cli(['report', 'device-inventory', '--db', databasePath, '--format', 'csv', '--out', tmp.file('inventory.csv')])).toEqual({ code: 0, err: '' });

    const written = fs.readdirSync(tmp.dir, { recursive: true }) as string[];
    expect(written).toEqual(expect.arrayContaining(['clinic', 'clinic/backups', 'export', 'inventory.csv']));
    expect(written.some((f) => f.startsWith('clinic/backups/') && f.endsWith('.db'))).toBe(true);
    expect(readableByOthers(tmp.dir)).toEqual([]);
  });

  it('a database and its WAL left readable by an earlier version are tightened when opened', () => {
    const databasePath = tmp.file('old.db');
    const first = openDatabase(databasePath);
    if (!first.ok || first.state !== 'ok') throw new Error('open failed');
    first.db.prepare('CREATE TABLE t (x)').run();
    fs.chmodSync(databasePath, 0o644);
    fs.chmodSync(`${databasePath}-wal`, 0o644);
    first.db.close();
    fs.chmodSync(databasePath, 0o644);
    expect(readableByOthers(tmp.dir)).not.toEqual([]);

    const again = openDatabase(databasePath);
    if (!again.ok || again.state !== 'ok') throw new Error('reopen failed');
    again.db.prepare('INSERT INTO t VALUES (1)').run();
    try {
      expect(readableByOthers(tmp.dir)).toEqual([]);
    } finally {
      again.db.close();
    }
  });

  it('a command run from a shell with umask 022 writes a new database 0600 (reservoir generate)', () => {
    const databasePath = tmp.file('generated.db');
    const r = spawnSync(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'generate', '--db', databasePath, '--patients', '3', '--years', '1', '--seed', '7'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.statSync(databasePath).mode & 0o777).toBe(0o600);
    expect(readableByOthers(tmp.dir)).toEqual([]);
  });
});

/** Reads `file` as the unprivileged `nobody` account: what another person's account on this computer could do. */
function readAsNobody(file: string): { status: number | null; stderr: string } {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', 'head', '-c', '16', file], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}
const canSwitchUser = POSIX && process.getuid?.() === 0 && spawnSync('runuser', ['--help']).status === 0;

describe.skipIf(!canSwitchUser)('another account on this computer tries to read the record (needs root and runuser)', () => {
  it('can read a world-readable copy, and cannot read the database Reservoir opened', () => {
    // Only the file's own mode may protect it: its folder is open to everyone.
    fs.chmodSync(tmp.dir, 0o755);
    const databasePath = tmp.file('clinic.db');
    const opened = openDatabase(databasePath);
    if (!opened.ok || opened.state !== 'ok') throw new Error('open failed');
    opened.db.close();

    // The attack works where a file is left 0644 (so a refusal below is the mode, not the test)...
    const leaked = tmp.file('leaked-copy.db');
    fs.copyFileSync(databasePath, leaked);
    fs.chmodSync(leaked, 0o644);
    expect(readAsNobody(leaked).status).toBe(0);
    // ...and fails on what Reservoir wrote.
    const attempt = readAsNobody(databasePath);
    expect(attempt.status).not.toBe(0);
    expect(attempt.stderr).toMatch(/Permission denied/);
  });
});
