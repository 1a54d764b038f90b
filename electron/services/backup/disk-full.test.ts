/**
 * A backup that runs out of room says so, with the folder and what to do, and leaves the database
 * and the other backups as they were. The copy itself is made to fail the way Node and SQLite do
 * on a full disk (ENOSPC, SQLITE_FULL): filling a real disk is not something a test should do.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../testing/temp';
import { freshConsole, patient, type Console } from './test-support';

const failure = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('./files', async (original) => {
  const actual = await original<typeof import('./files')>();
  return {
    ...actual,
    onlineBackup: async (...args: Parameters<typeof actual.onlineBackup>) => {
      if (failure.code !== null) throw Object.assign(new Error(`${failure.code}: write failed`), { code: failure.code });
      return actual.onlineBackup(...args);
    },
  };
});

let tmp: ReturnType<typeof tempDir>;
let c: Console | null = null;
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  failure.code = null;
  c?.svc.close();
  c = null;
  tmp.cleanup();
});

describe('a backup on a full disk', () => {
  it.each(['ENOSPC', 'SQLITE_FULL'])('(%s) answers disk_full naming the folder, and keeps the database and the earlier backups', async (code) => {
    c = await freshConsole(tmp.file('clinic.db'));
    await c.must(c.clinician, 'patients.create', patient('MRN-1'));
    await c.must(c.admin, 'backups.create', {});
    const before = fs.readdirSync(tmp.file('backups'));

    failure.code = code;
    const refused = await c.svc.dispatch('backups.create', {}, c.admin);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'disk_full', message: `The backup to ${tmp.file('backups')} failed: the disk is full. Free some space there (or choose another backup folder) and try again. The database itself is unchanged.` },
    });
    expect(fs.readdirSync(tmp.file('backups'))).toEqual(before);
    // The console goes on: the record is there and the next backup, with room, works.
    failure.code = null;
    expect(await c.svc.dispatch('backups.create', {}, c.admin)).toMatchObject({ ok: true });
  });

  it('a folder Reservoir may not write to answers read_only, not internal', async () => {
    c = await freshConsole(tmp.file('clinic.db'));
    failure.code = 'EACCES';
    expect(await c.svc.dispatch('backups.create', {}, c.admin)).toMatchObject({ ok: false, error: { code: 'read_only', message: expect.stringContaining('cannot write there') } });
  });
});
