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
import { fail } from '../../shared/contract/result';
import { fileKeyStore, keyFileFor, parseRecoveryKey, type DatabaseKey, type KeyStore } from '../services/store/keys';
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


