/** Where the Electron specs find the app and its binary (shared by every `*.electron.spec.ts`). */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const mainBundle = path.join(root, 'dist-electron', 'main.cjs');
/** The Electron build of better-sqlite3 that `npm start` makes once in a checkout. */
export const nativeBuild = path.join(root, '.electron-native', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');

/** `require('electron')` answers the binary's path, or throws when the download never happened: then null. */
export function findElectronBinary(): string | null {
  try {
    const file = createRequire(path.join(root, 'package.json'))('electron') as unknown;
    if (typeof file !== 'string') return null;
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return null;
  }
}
