/**
 * The desktop app's database keys: kept with Electron `safeStorage` (encrypted by the operating
 * system's keychain: DPAPI on Windows, the Keychain on macOS, the secret service — GNOME Keyring,
 * KWallet — on Linux) in `<userData>/keys/`, one file per database path. A key put on this computer
 * with `reservoir key import` (a 0600 key file, store/keys.ts) is read too, so a database moved to
 * a new computer opens after its recovery key is entered. Where safeStorage cannot protect a key
 * (no keychain; on Linux its `basic_text` fallback, a fixed key that protects nothing) a new key is
 * kept in the 0600 key file instead, and the console says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fail, ok, type Result } from '../../shared/contract/result';
import { AuditLog } from '../services/audit/log';
import { connect } from '../services/store/connect';
import { fileKeyStore, keyFileFor, parseRecoveryKey, writeKeyFile, type DatabaseKey, type KeyStore } from '../services/store/keys';
import { createPrivateFile, makePrivateDir } from '../services/store/private-files';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Whether safeStorage really protects what it encrypts on this computer. */
export function keychainUsable(safeStorage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
}

export function safeStorageKeyStore(safeStorage: SafeStorageLike, options: { userData: string; platform: NodeJS.Platform; warn: (message: string) => void }): KeyStore {
  const keysDir = path.join(options.userData, 'keys');
  const fallback = fileKeyStore();
  const safeFile = (databasePath: string) => path.join(keysDir, `${path.basename(keyFileFor(databasePath), '.key')}.safekey`);
  return {
    describe: (databasePath) => `the operating system's keychain (${safeFile(databasePath)}) or ${fallback.describe(databasePath)}`,
    read: (databasePath) => {
      const file = safeFile(databasePath);
      if (!fs.existsSync(file)) return fallback.read(databasePath);
      try {
        return parseRecoveryKey(safeStorage.decryptString(fs.readFileSync(file)));
      } catch (e) {
        return fail('database_key', `The key kept in this computer's keychain (${file}) cannot be read: ${(e as Error).message}. Enter the recovery key with \`reservoir key import\`.`);
      }
    },
    write: (databasePath, key: DatabaseKey, writeOptions) => {
      if (!keychainUsable(safeStorage, options.platform)) {
        options.warn('This computer has no usable keychain for Electron safeStorage: the database key is kept in an owner-only key file instead.');
        fallback.write(databasePath, key, writeOptions);
        return;
      }
      const file = safeFile(databasePath);
      if (!writeOptions?.replace && fs.existsSync(file)) throw new Error(`a key is already kept at ${file}`);
      makePrivateDir(keysDir);
      const partial = `${file}.partial`;
      fs.rmSync(partial, { force: true });
      createPrivateFile(partial);
      fs.writeFileSync(partial, safeStorage.encryptString(key.recoveryText()));
      fs.renameSync(partial, file);
    },
  };
}

/**
 * `--export-recovery-key FILE`: the desktop app's key lives in the keychain, which the command line
 * cannot read, so the desktop app itself writes the recovery key (the same owner-only key file
 * `reservoir --key-file` reads and `reservoir key import` accepts) and records it in the audit trail.
 * Never over an existing file.
 */
export function exportRecoveryKey(databasePath: string, key: DatabaseKey | null, target: string, nowMs: number, nativeBinding?: string): Result<string> {
  if (key === null) return fail('invalid_input', `${databasePath} is not encrypted, so it has no recovery key. Encrypt it with: reservoir encrypt --db ${databasePath}`, 'exportRecoveryKey');
  if (fs.existsSync(target)) return fail('conflict', `${target} already exists; name a new file. Nothing was written.`, 'exportRecoveryKey');
  try {
    writeKeyFile(target, key, databasePath);
  } catch (e) {
    return fail('invalid_input', `The recovery key could not be written to ${target} (${(e as Error).message}).`, 'exportRecoveryKey');
  }
  if (fs.existsSync(databasePath)) {
    const db = connect(databasePath, { key, nativeBinding }, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !== undefined) {
        let user = 'unknown';
        try {
          user = os.userInfo().username;
        } catch {
          // no user name on this system
        }
        new AuditLog(db).record({ userId: null, username: `desktop:${user}`, role: null }, nowMs, {
          action: 'key_export',
          entity: 'database',
          entityId: path.basename(databasePath),
          detail: { fingerprint: key.fingerprint(), to: target },
        });
      }
    } finally {
      db.close();
    }
  }
  return ok(target);
}
