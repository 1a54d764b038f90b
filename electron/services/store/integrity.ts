/**
 * The full `PRAGMA integrity_check` of a database file, off the caller's thread: a worker thread
 * with a read-only connection of its own (WAL: it reads one consistent state while the console
 * goes on answering and writing). The shells run it after every opening and `BackupService` before
 * every backup; opening itself only runs the cheap check (`database.ts`).
 */
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from './database';
import { driverModulePath, keyPragmas, nativeBindingFor, type ConnectOptions } from './connect';

/** `ok`: the check passed; `damaged`: it failed, with SQLite's first messages; `unknown`: it could not run (busy, I/O). */
export type IntegrityVerdict = { state: 'ok' } | { state: 'damaged'; problems: string } | { state: 'unknown'; reason: string };

/** The connection's driver build and key (an encrypted database is checked with its key). */
export type IntegrityOptions = ConnectOptions;

// Plain CommonJS, evaluated as the worker's script: no TypeScript loader and no bundled file needed.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db = null;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: workerData.timeout, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  for (const pragma of workerData.keyPragmas) db.pragma(pragma); // store/connect.ts keyPragmas
  const rows = db.pragma('integrity_check');
  const messages = rows.map((r) => String(r.integrity_check));
  parentPort.postMessage(messages.length === 1 && messages[0] === 'ok' ? { state: 'ok' } : { state: 'damaged', problems: messages.slice(0, 5).join('; ') });
} catch (e) {
  const code = String((e && e.code) || '');
  const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'SQLITE_CANTOPEN';
  parentPort.postMessage(busy ? { state: 'unknown', reason: String(e && e.message) } : { state: 'damaged', problems: String(e && e.message) });
} finally {
  if (db) db.close();
}
`;

/** A running check: its verdict (never rejects), and `cancel` to stop the worker (the verdict is then `unknown`). */
export interface RunningCheck {
  verdict: Promise<IntegrityVerdict>;
  cancel(): void;
}

/** Starts the full integrity check of `file` in a worker thread. */
export function startIntegrityCheck(file: string, options: IntegrityOptions = {}): RunningCheck {
  let worker: Worker | null = null;
  let settle: (v: IntegrityVerdict) => void = () => undefined;
  const verdict = new Promise<IntegrityVerdict>((resolve) => {
    let settled = false;
    settle = (v) => {
      if (settled) return;
      settled = true;
      resolve(v);
    };
  });
  try {
    const module = driverModulePath();
    if (module === null) throw new Error('the database driver cannot be loaded in a worker thread');
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, module, nativeBinding: nativeBindingFor(options) ?? null, keyPragmas: options.key ? keyPragmas(options.key) : [], timeout: BUSY_TIMEOUT_MS },
    });
    worker.once('message', (m: IntegrityVerdict) => settle(m));
    worker.once('error', (e) => settle({ state: 'unknown', reason: e.message }));
    worker.once('exit', () => settle({ state: 'unknown', reason: 'the check stopped before it finished' }));
  } catch (e) {
    settle({ state: 'unknown', reason: (e as Error).message });
  }
  return {
    verdict,
    cancel() {
      settle({ state: 'unknown', reason: 'cancelled' });
      void worker?.terminate();
    },
  };
}

/** Runs the full integrity check of `file` in a worker thread and answers its verdict. Never rejects. */
export function checkIntegrityInBackground(file: string, options: IntegrityOptions = {}): Promise<IntegrityVerdict> {
  return startIntegrityCheck(file, options).verdict;
}
