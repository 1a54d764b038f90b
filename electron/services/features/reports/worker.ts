/**
 * The export worker (a worker_threads Worker): its own read-only connection to the clinic file
 * (WAL lets it read while the app writes), produces one export file and posts its progress.
 * Bundled for Electron as dist-electron/report-worker.cjs; under tsx it runs from this file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../../store/store';
import { connect } from '../../store/connect';
import { DatabaseKey } from '../../store/keys';
import { produce, type ProduceRequest } from './produce';

export interface WorkerInput {
  databasePath: string;
  nativeBinding?: string;
  /** The database key's bytes in hex (workerData stays in this process). */
  keyHex?: string;
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
  const key = input.keyHex ? new DatabaseKey(Buffer.from(input.keyHex, 'hex')) : null;
  const db = connect(input.databasePath, { nativeBinding: input.nativeBinding, key }, { readonly: true, fileMustExist: true });
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
