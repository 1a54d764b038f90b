/**
 * `VACUUM INTO` for online backups, off the main thread: a worker_threads Worker opens its own
 * read-only connection (with the database's key) and writes the consistent copy, so the app's
 * connection and the dispatcher go on answering. The worker is a few lines of plain JavaScript
 * (no bundle, no tsx): it loads the driver from the path this module resolved. When no worker can
 * load the driver (a packaged app that cannot reach it from a worker), the copy is made here,
 * on a connection of its own, which blocks the thread while it runs.
 */
import { Worker } from 'node:worker_threads';
import { connect, driverModulePath, keyPragmas, nativeBindingFor, type ConnectOptions } from '../store/connect';

interface VacuumInput {
  driver: string;
  nativeBinding: string | null;
  /** store/connect.ts `keyPragmas`: empty for an unencrypted database. */
  keyPragmas: string[];
  source: string;
  target: string;
}

type VacuumMessage = { ok: true } | { ok: false; stage: 'load' | 'copy'; message: string };

/** The worker: the same pragmas as `applyKey` in store/connect.ts (a backup it writes is opened by `connect`). */
const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
let Database;
try {
  Database = require(w.driver);
} catch (e) {
  parentPort.postMessage({ ok: false, stage: 'load', message: String(e && e.message) });
  return;
}
let db = null;
try {
  db = new Database(w.source, { readonly: true, fileMustExist: true, ...(w.nativeBinding ? { nativeBinding: w.nativeBinding } : {}) });
  for (const pragma of w.keyPragmas) db.pragma(pragma);
  db.prepare('VACUUM INTO ?').run(w.target);
  parentPort.postMessage({ ok: true });
} catch (e) {
  parentPort.postMessage({ ok: false, stage: 'copy', message: String(e && e.message) });
} finally {
  if (db) db.close();
}
`;

/** Writes a consistent copy of `source` (encrypted with the same key, if any) into the empty file `target`. */
export async function vacuumInto(source: string, target: string, options: ConnectOptions = {}, useWorker = true): Promise<void> {
  const driver = useWorker ? driverModulePath() : null;
  if (driver !== null) {
    const answer = await inWorker({ driver, nativeBinding: nativeBindingFor(options) ?? null, keyPragmas: options.key ? keyPragmas(options.key) : [], source, target });
    if (answer.ok) return;
    if (answer.stage === 'copy') throw new Error(answer.message);
  }
  vacuumHere(source, target, options);
}

function vacuumHere(source: string, target: string, options: ConnectOptions): void {
  const db = connect(source, options, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}

function inWorker(input: VacuumInput): Promise<VacuumMessage> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (m: VacuumMessage) => {
      if (!settled) {
        settled = true;
        resolve(m);
      }
    };
    let worker: Worker;
    try {
      worker = new Worker(`(function () {${WORKER_SOURCE}})()`, { eval: true, workerData: input });
    } catch (e) {
      done({ ok: false, stage: 'load', message: (e as Error).message });
      return;
    }
    worker.once('message', (m: VacuumMessage) => done(m));
    worker.once('error', (e) => done({ ok: false, stage: 'load', message: e.message }));
    worker.once('exit', () => done({ ok: false, stage: 'load', message: 'the backup worker stopped without an answer' }));
  });
}
