/**
 * `npm run bench -- --encrypted`: the same figures on encrypted databases (docs/performance.md,
 * "With and without encryption"). The cached clinics stay unencrypted (the sqlite3 floors read
 * them); the run measures an encrypted copy of each, made once with `reservoir encrypt`'s
 * conversion and cached beside it, with one bench key (`RESERVOIR_KEY_FILE`, inherited by the
 * child processes: the import, the export, the browser shell), so every database the run creates
 * is encrypted too. Without `--encrypted` every database the run creates is unencrypted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KeyOptions } from '../../electron/cli/args';
import { encryptDatabase } from '../../electron/services/store/encrypt';
import { DatabaseKey, fileKeyStore, fileState } from '../../electron/services/store/keys';
import { LATEST_SCHEMA_VERSION } from '../../electron/services/store/migrations';

export const encrypted = (): boolean => process.env.RESERVOIR_BENCH_ENCRYPTED === '1';

/** How the bench's own openStore calls create databases. */
export const benchKeys = (): KeyOptions => ({ plain: !encrypted() });

/** Extra arguments for the shells and commands the bench starts. */
export const plainArgs = (): string[] => (encrypted() ? [] : ['--plain']);

/** Turns encryption on for this process and its children: one bench key in the cache folder. */
export function useEncryption(cacheDir: string): void {
  process.env.RESERVOIR_BENCH_ENCRYPTED = '1';
  process.env.RESERVOIR_KEY_FILE = path.join(cacheDir, 'bench.key');
}

/** The key of the bench (made once). */
function benchKey(): DatabaseKey {
  const store = fileKeyStore({ keyFile: process.env.RESERVOIR_KEY_FILE });
  const read = store.read('bench');
  if (!read.ok) throw new Error(read.error.message);
  if (read.value !== null) return read.value;
  const key = DatabaseKey.generate();
  store.write('bench', key);
  return key;
}

/** An encrypted copy of a cached clinic (cached too); the clinic itself when the run is unencrypted. */
export function runFile(plainFile: string, log: (line: string) => void): string {
  if (!encrypted()) return plainFile;
  const file = plainFile.replace(/\.db$/, '-encrypted.db');
  if (fs.existsSync(file) && fileState(file) === 'encrypted') return file;
  const t = Date.now();
  const partial = `${file}.partial.db`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(plainFile, partial);
  const done = encryptDatabase(partial, benchKey(), { latestSchemaVersion: LATEST_SCHEMA_VERSION, stamp: 'bench' });
  if (!done.ok) throw new Error(done.error.message);
  fs.renameSync(partial, file);
  log(`  encrypted copy made in ${((Date.now() - t) / 1000).toFixed(1)} s: ${file}`);
  return file;
}
