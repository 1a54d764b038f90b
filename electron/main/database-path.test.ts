import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLaunchArgs, resolveDatabasePath, resolveUserDataDir } from './database-path';

const parsed = (argv: string[]) => {
  const r = parseLaunchArgs(argv);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('launch arguments', () => {
  it('reads --db FILE, --db=FILE and --demo among Electron and Chromium arguments', () => {
    expect(parsed(['/usr/bin/electron', '/app', '--db', 'clinic.db', '--demo'])).toEqual({ db: 'clinic.db', demo: true });
    expect(parsed(['/opt/Reservoir/reservoir', '--no-sandbox', '--db=/data/c.db'])).toEqual({ db: '/data/c.db', demo: false });
    expect(parsed(['/opt/Reservoir/reservoir'])).toEqual({ db: null, demo: false });
  });

  it('reads --export-recovery-key FILE, and refuses it without a file', () => {
    expect(parsed(['/opt/Reservoir/reservoir', '--export-recovery-key', '/media/usb/key.txt'])).toEqual({ db: null, demo: false, exportRecoveryKey: '/media/usb/key.txt' });
    for (const argv of [['x', '--export-recovery-key'], ['x', '--export-recovery-key', '--db', 'c.db']]) {
      expect(parseLaunchArgs(argv)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'exportRecoveryKey', message: expect.stringContaining('needs the file') } });
    }
  });

  it('refuses --db without a file name, naming the argument', () => {
    for (const argv of [['x', '--db'], ['x', '--db', '--demo'], ['x', '--db='], ['x', '--db', '']]) {
      const r = parseLaunchArgs(argv);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_input');
        expect(r.error.message).toContain('--db');
      }
    }
  });
});

describe('database path', () => {
  const base = { env: {}, userData: '/home/n/.config/Reservoir', cwd: '/work' };

  it('is --db first, resolved against the working folder', () => {
    expect(resolveDatabasePath({ ...base, args: { db: 'c.db', demo: false }, env: { RESERVOIR_DB: '/env.db' } })).toBe(path.resolve('/work', 'c.db'));
  });

  it('then $RESERVOIR_DB', () => {
    expect(resolveDatabasePath({ ...base, args: { db: null, demo: false }, env: { RESERVOIR_DB: '/srv/clinic.db' } })).toBe(path.resolve('/srv/clinic.db'));
    expect(resolveDatabasePath({ ...base, args: { db: null, demo: false }, env: { RESERVOIR_DB: '  ' } })).toBe(path.join(base.userData, 'reservoir.db'));
  });

  it('else reservoir.db in userData', () => {
    expect(resolveDatabasePath({ ...base, args: { db: null, demo: true } })).toBe(path.join('/home/n/.config/Reservoir', 'reservoir.db'));
  });

  it('userData is <appData>/Reservoir unless $RESERVOIR_USER_DATA says otherwise', () => {
    expect(resolveUserDataDir({}, '/home/n/.config', 'Reservoir', '/work')).toBe(path.join('/home/n/.config', 'Reservoir'));
    expect(resolveUserDataDir({ RESERVOIR_USER_DATA: '/tmp/e2e' }, '/home/n/.config', 'Reservoir', '/work')).toBe(path.resolve('/tmp/e2e'));
  });
});
