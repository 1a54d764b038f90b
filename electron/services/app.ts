import { contract, isRequestName, type OutputOf, type RequestName } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/contract/result';
import type { SystemStatus } from '../../shared/contract/system';
import { openDatabase, type OpenOptions } from './store/database';
import { SqliteStore } from './store/store';
import type { FeatureHandlers, HandlerContext } from './handler-types';
import { patientHandlers } from './features/patients/handlers';
import { recordHandlers } from './features/record/handlers';
import { catalogHandlers } from './features/catalog/handlers';
import { deviceHandlers } from './features/devices/handlers';
import { zodErrorToAppError } from './validation';

export const APP_VERSION = '0.1.0';

type StoreHandlers = FeatureHandlers<Exclude<RequestName, 'system.status'>>;
const storeHandlers: StoreHandlers = {
  ...patientHandlers,
  ...recordHandlers,
  ...catalogHandlers,
  ...deviceHandlers,
};

export interface ReservoirServices {
  /** Validates `rawInput` against the contract, then runs the handler. Never throws. */
  dispatch(name: unknown, rawInput: unknown): Promise<Result<unknown>>;
  status(): SystemStatus;
  close(): void;
}

export interface ServicesOptions extends OpenOptions {
  databasePath: string;
  shell: SystemStatus['shell'];
  now?: () => number;
  /** Called once on a fresh, empty database (the demo clinic). */
  seed?: (ctx: HandlerContext) => void;
}

/**
 * Opens the database and returns the request dispatcher both shells use.
 * Fails (as a value) only when the database was written by a newer Reservoir or cannot be prepared.
 */
export function createServices(options: ServicesOptions): Result<ReservoirServices> {
  const opened = openDatabase(options.databasePath, options);
  if (!opened.ok) return opened;
  const now = options.now ?? Date.now;

  const statusBase = {
    databasePath: options.databasePath,
    schemaVersion: opened.schemaVersion,
    appVersion: APP_VERSION,
    shell: options.shell,
  };

  if (opened.state === 'recovery') {
    const status: SystemStatus = { ...statusBase, state: 'recovery', message: opened.message };
    return ok({
      async dispatch(name, rawInput) {
        const checked = validate(name, rawInput);
        if (!checked.ok) return checked;
        if (checked.value.name === 'system.status') return ok(status);
        return fail(
          'database_damaged',
          `The database is damaged and open for recovery only: ${opened.message} Restore the latest good backup.`,
        );
      },
      status: () => status,
      close: () => opened.db?.close(),
    });
  }

  const store = new SqliteStore(opened.db);
  const ctx: HandlerContext = { store, now };
  if (options.seed) {
    const count = opened.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number };
    if (count.n === 0) store.transaction(() => options.seed!(ctx));
  }
  const status: SystemStatus = { ...statusBase, state: 'ok', message: null };

  return ok({
    async dispatch(name, rawInput) {
      const checked = validate(name, rawInput);
      if (!checked.ok) return checked;
      const { name: request, input } = checked.value;
      if (request === 'system.status') return ok(status);
      try {
        const handler = storeHandlers[request] as (i: unknown, c: HandlerContext) => Result<unknown> | Promise<Result<unknown>>;
        return await handler(input, ctx);
      } catch (e) {
        // A bug or an I/O failure. The transaction rolled back; the details go to the log, not the UI.
        console.error(`[reservoir] ${request} failed:`, (e as Error).message);
        return fail('internal', 'Reservoir could not complete this request; nothing was saved. Please try again.');
      }
    },
    status: () => status,
    close: () => store.close(),
  });
}

function validate(name: unknown, rawInput: unknown): Result<{ name: RequestName; input: unknown }> {
  if (!isRequestName(name)) {
    return fail('unknown_request', `Reservoir has no request named ${JSON.stringify(String(name)).slice(0, 80)}.`);
  }
  const parsed = contract[name].input.safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) return { ok: false, error: zodErrorToAppError(parsed.error) };
  return ok({ name, input: parsed.data });
}

export type { OutputOf };
