/**
 * The desktop app's recovery-key export (`--export-recovery-key FILE`). Plain Node: the keychain
 * itself (safeStorage) cannot be tried without an Electron binary and is not faked here.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { openDatabase } from '../services/store/database';
import { connect } from '../services/store/connect';
import { DatabaseKey } from '../services/store/keys';
import { main } from '../cli/main';
import type { CliIo } from '../cli/args';
import { exportRecoveryKey } from './key-store';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function run(args: string[], input = ''): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), now: () => Date.UTC(2026, 0, 5), input: () => input };
  return { code: main(args, io), out, err };
}

describe('the desktop recovery-key export', () => {
  it('writes an owner-only key file the command line opens the database with, audited; never over a file', () => {
    const key = DatabaseKey.generate();
    const db = tmp.file('reservoir.db');
    const opened = openDatabase(db, { key });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    opened.db.close();

    const target = tmp.file('usb-recovery-key.txt');
    expect(exportRecoveryKey(db, key, target, Date.UTC(2026, 0, 5))).toEqual({ ok: true, value: target });
    if (process.platform !== 'win32') expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(target, 'utf8')).toContain(key.recoveryText());

    // The command line, on a computer without the keychain: with the file, and with the key imported from it.
    expect(run(['audit', 'verify', '--db', db, '--key-file', target]).code).toBe(0);
    const moved = tmp.file('moved.db');
    fs.copyFileSync(db, moved);
    expect(run(['key', 'import', '--db', moved], fs.readFileSync(target, 'utf8')).code).toBe(0);
    expect(run(['audit', 'verify', '--db', moved]).code).toBe(0);

    const check = connect(db, { key }, { readonly: true });
    expect(check.prepare("SELECT username, detail_json AS detail FROM audit_log WHERE action = 'key_export'").all()).toEqual([
      { username: expect.stringMatching(/^desktop:/), detail: expect.stringContaining(key.fingerprint()) },
    ]);
    check.close();
    expect(fs.readFileSync(db).includes(Buffer.from(key.recoveryText()))).toBe(false);

    expect(exportRecoveryKey(db, key, target, 0)).toMatchObject({ ok: false, error: { code: 'conflict', field: 'exportRecoveryKey' } });
    expect(exportRecoveryKey(db, null, tmp.file('other.txt'), 0)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/is not encrypted/) } });
    expect(fs.existsSync(tmp.file('other.txt'))).toBe(false);
  });
});
