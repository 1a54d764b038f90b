/** Opening the clinic database for a command: the same store and migrations the app uses, no Electron. */
import fs from 'node:fs';
import { busyMessage, integrityProblems, isBusyError, openDatabase } from '../services/store/database';
import { SqliteStore } from '../services/store/store';
import type { HandlerContext } from '../services/handler-types';
import { AuditLog } from '../services/audit/log';
import { cliActor } from '../services/audit/actors';
import type { CliIo, KeyOptions } from './args';
import { keyForCommand } from './keys';
import { bringProjectionsUpToDate } from '../services/features/record/projection';
import type { DatabaseKey } from '../services/store/keys';

export interface OpenedStore {
  ctx: HandlerContext;
  /** True when this command created the file (it did not exist before). */
  created: boolean;
  /** The database's key (null: an unencrypted database), for the connections a command opens itself. */
  key: DatabaseKey | null;
  close(): void;
}

/**
 * Opens `file`. With `mustExist`, a missing file is an error (no new empty database is made).
 * A database from a newer Reservoir, or a damaged one, is refused with the reason; one another
 * program holds locked is waited for (5 s), then refused as in use.
 *
 * Opening runs the cheap check only (`openDatabase`), so a read command's start does not grow with
 * the clinic; with `fullCheck` (the import, which writes much) the full `integrity_check` runs too.
 */
export function openStore(file: string, options: { mustExist: boolean; now: () => number; fullCheck?: boolean; keys?: KeyOptions; io?: CliIo }): { ok: true; value: OpenedStore } | { ok: false; message: string } {
  const existed = fs.existsSync(file);
  if (!existed && options.mustExist) return { ok: false, message: `no database at ${file}` };
  if (existed && fs.statSync(file).isDirectory()) return { ok: false, message: `${file} is a folder, not a database file` };
  // An empty file is not a clinic: a command that reads one must not make it a new database.
  if (existed && options.mustExist && fs.statSync(file).size === 0) return { ok: false, message: `${file} is an empty file, not a Reservoir database` };
  // The key kept for this database (a new database gets a new one, unless --plain): store/keys.ts.
  const choice = keyForCommand(file, options.keys, options.io ?? { out: () => {}, err: () => {}, now: options.now });
  if (!choice.ok) return { ok: false, message: choice.message };
  let opened: ReturnType<typeof openDatabase>;
  try {
    opened = openDatabase(file, { key: choice.value.key });
  } catch (e) {
    // Its folder cannot be made (a file is in the way, no permission): said, not an internal error.
    return { ok: false, message: `the database ${file} cannot be opened or created (${(e as Error).message})` };
  }
  if (!opened.ok) return { ok: false, message: opened.error.message };
  if (opened.state === 'recovery') {
    opened.db?.close();
    return { ok: false, message: `the database ${file} is damaged: ${opened.message} Restore the latest good backup.` };
  }
  if (options.fullCheck && existed) {
    let problems: string | null;
    try {
      problems = integrityProblems(opened.db);
    } catch (e) {
      opened.db.close();
      if (isBusyError(e)) return { ok: false, message: busyMessage(file) };
      throw e;
    }
    if (problems !== null) {
      opened.db.close();
      return { ok: false, message: `the database ${file} is damaged: it failed its integrity check (${problems}). Nothing was changed. Restore the latest good backup.` };
    }
  }
  const store = new SqliteStore(opened.db);
  // The command acts without signing in, as the operating-system user (recorded as `cli:<user>`).
  const actor = cliActor();
  const audit = new AuditLog(opened.db).sink(() => actor, options.now);
  const ctx: HandlerContext = { store, now: options.now, actor, audit };
  try {
    // pump_projection is derived data: recomputed here when the rules changed (record/projection.ts).
    bringProjectionsUpToDate(ctx);
  } catch (e) {
    store.close();
    if (isBusyError(e)) return { ok: false, message: busyMessage(file) };
    return { ok: false, message: `the worklist figures of ${file} could not be brought up to date; nothing was changed (${(e as Error).message})` };
  }
  return { ok: true, value: { ctx, created: !existed, key: choice.value.key, close: () => store.close() } };
}

/** Removes a database file this command created (and its WAL side files), after a failed import. */
export function removeCreated(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}
