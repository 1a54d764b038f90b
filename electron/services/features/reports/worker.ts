/**
 * The export worker (a worker_threads Worker): its own read-only connection to the clinic file
 * (WAL lets it read while the app writes), produces one export file and posts its progress.
 * Bundled for Electron as dist-electron/report-worker.cjs; under tsx it runs from this file.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../../store/store';
import { produce, type ProduceRequest } from './produce';

export interface WorkerInput {
  databasePath: string;
  nativeBinding?: string;
  request: ProduceRequest;
  outFile: string;
  nowMs: number;
}

export type WorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof produce>> }
  /** `code`: the error's code (SQLITE_FULL, ENOSPC…), so a full disk is said as such. */
  | { type: 'crash'; message: string; code?: string };

async function main(input: WorkerInput): Promise<WorkerMessage> {
  const db = new Database(input.databasePath, { readonly: true, fileMustExist: true, ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}) });
  try {
    const store = new SqliteStore(db);
    let last = -1;
    const result = await produce({ db, store, nowMs: input.nowMs }, input.request, input.outFile, (fraction) => {
      const rounded = Math.floor(fraction * 100) / 100;
      if (rounded !== last) {
        last = rounded;
        parentPort!.postMessage({ type: 'progress', fraction: rounded } satisfies WorkerMessage);
      }
    });
    return { type: 'done', result };
  } finally {
    db.close();
  }
}

if (parentPort) {
  main(workerData as WorkerInput).then(
    (message) => parentPort!.postMessage(message),
    (e: unknown) => {
      const code = (e as { code?: unknown }).code;
      parentPort!.postMessage({ type: 'crash', message: (e as Error).message, ...(typeof code === 'string' ? { code } : {}) } satisfies WorkerMessage);
    },
  );
}
