import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { openDatabase } from './database';
import { chooseKey, DatabaseKey, defaultKeysDir, fileKeyStore, fileState, keyFileFor, parseRecoveryKey, readKeyFile, writeKeyFile } from './keys';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('database keys', () => {
  it('the key never shows in a message, a log line or JSON', () => {
    const key = DatabaseKey.generate();
    const hex = key.workerSecret();
    for (const shown of [String(key), `${key}`, JSON.stringify({ key }), util.inspect(key), util.format('%o', key)]) {
      expect(shown).not.toContain(hex.slice(0, 16));
    }
  });

  it('the recovery key reads back as the same key, with spaces or line breaks; a typo is caught by its check group', () => {
    const key = DatabaseKey.generate();
    const text = key.recoveryText();
    expect(text).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){16}$/);
    for (const typed of [text, text.toUpperCase(), text.replace(/-/g, ' '), text.replace(/-/g, '\n')]) {
      const parsed = parseRecoveryKey(typed);
      expect(parsed.ok && parsed.value.equals(key)).toBe(true);
    }
    const flipped = text.replace(/^(.)/, (c) => (c === 'a' ? 'b' : 'a'));
    expect(parseRecoveryKey(flipped)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'key', message: expect.stringMatching(/typing mistake/) } });
    expect(parseRecoveryKey(text.slice(0, 20))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/68 hex digits.*this one has 16/) } });
    expect(parseRecoveryKey('zzzz')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/only the digits/) } });
  });

  it('key files live in the user configuration folder on each system, not next to the database', () => {
    expect(defaultKeysDir({ env: {}, platform: 'linux', home: '/home/ada' })).toBe('/home/ada/.config/reservoir/keys');
    expect(defaultKeysDir({ env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux', home: '/home/ada' })).toBe('/cfg/reservoir/keys');
    expect(defaultKeysDir({ env: {}, platform: 'darwin', home: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/Reservoir/keys');
    expect(defaultKeysDir({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Reservoir\\keys');
    expect(defaultKeysDir({ env: { RESERVOIR_KEYS_DIR: '/secure/keys' }, platform: 'linux', home: '/home/ada' })).toBe('/secure/keys');
    const place = { env: {}, platform: 'linux' as const, home: '/home/ada' };
    const a = keyFileFor('/clinic/a/reservoir.db', place);
    expect(path.dirname(a)).toBe('/home/ada/.config/reservoir/keys');
    expect(keyFileFor('/clinic/b/reservoir.db', place)).not.toBe(a); // one key file per database path
  });

  it('a key file is written 0600 from its first byte, read back, and not replaced unless asked', () => {
    const file = tmp.file(path.join('keys', 'clinic.key'));
    const key = DatabaseKey.generate();
    writeKeyFile(file, key, tmp.file('clinic.db'));
    if (process.platform !== 'win32') {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
    const read = readKeyFile(file);
    expect(read.ok && read.value.equals(key)).toBe(true);
    expect(() => writeKeyFile(file, DatabaseKey.generate(), tmp.file('clinic.db'))).toThrow(/already/);
    expect(readKeyFile(file).ok && (readKeyFile(file) as { value: DatabaseKey }).value.equals(key)).toBe(true);
    fs.writeFileSync(file, '# comment\nnot a key\n');
    expect(readKeyFile(file)).toMatchObject({ ok: false, error: { code: 'database_key', message: expect.stringContaining('does not hold a Reservoir key') } });
  });

  it('chooses: a new key for a new database, none for a plain one or with --plain, the clear error for an encrypted one without its key', () => {
    const store = fileKeyStore({ keyFile: tmp.file('k.key') });
    const db = tmp.file('new.db');
    const first = chooseKey(db, store);
    expect(first).toMatchObject({ ok: true, value: { created: true, state: 'missing' } });
    const opened = openDatabase(db, { key: first.ok ? first.value.key : null });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    opened.db.close();
    expect(fileState(db)).toBe('encrypted');
    const again = chooseKey(db, store);
    expect(again.ok && first.ok && again.value.key!.equals(first.value.key!)).toBe(true);

    const plain = tmp.file('plain.db');
    expect(chooseKey(plain, fileKeyStore({ keyFile: tmp.file('p.key') }), { plain: true })).toMatchObject({ ok: true, value: { key: null } });
    const p = openDatabase(plain);
    if (p.ok && p.state === 'ok') p.db.close();
    expect(chooseKey(plain, fileKeyStore({ keyFile: tmp.file('p.key') }))).toMatchObject({ ok: true, value: { key: null, state: 'plain' } });
    expect(fs.existsSync(tmp.file('p.key'))).toBe(false);

    const elsewhere = fileKeyStore({ keyFile: tmp.file('other-computer.key') });
    expect(chooseKey(db, elsewhere)).toMatchObject({
      ok: false,
      error: { code: 'database_key', message: expect.stringMatching(/is encrypted and this computer has no key for it .*other-computer\.key.*reservoir key import/) },
    });
  });
});
