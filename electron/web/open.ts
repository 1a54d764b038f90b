/**
 * Opening the clinic record for a long-running server: the browser shell (`npm run web`) and the
 * clinic server (`reservoir serve`) open it the same way — the database's key, daily backups, the
 * background integrity check, and in recovery the restore code printed on this terminal only.
 */
import { createServices, type ReservoirServices } from '../services/app';
import type { HandlerContext } from '../services/handler-types';
import { printRestoreCode } from '../services/backup/services';
import { chooseKey, fileKeyStore } from '../services/store/keys';

export interface OpenServerOptions {
  databasePath: string;
  keyFile?: string | undefined;
  /** Create a new database unencrypted (tests and measurements only). */
  plain?: boolean;
  seed?: (ctx: HandlerContext) => void;
  lockAfterMs?: number;
  /** Where notes for the operator go (standard error). */
  note(text: string): void;
}

/** The services on `databasePath`, or the message saying why they cannot be opened. */
export function openServerServices(options: OpenServerOptions): { ok: true; value: ReservoirServices } | { ok: false; message: string } {
  const { databasePath, keyFile } = options;
  let chosen: ReturnType<typeof chooseKey>;
  try {
    chosen = chooseKey(databasePath, fileKeyStore({ keyFile }), { plain: options.plain === true });
  } catch (e) {
    return { ok: false, message: `Reservoir cannot store the key of ${databasePath}: ${(e as Error).message}` };
  }
  if (!chosen.ok) return { ok: false, message: `Reservoir cannot open ${databasePath}: ${chosen.error.message}` };
  if (chosen.value.created) options.note(`A new encrypted database: its key is kept in ${fileKeyStore({ keyFile }).describe(databasePath)}. Store its recovery key offline: reservoir key export --db ${databasePath}`);
  if (chosen.value.state === 'plain') options.note(`Note: ${databasePath} is not encrypted. Encrypt it with: reservoir encrypt --db ${databasePath}`);
  const services = createServices({
    databasePath,
    shell: 'browser',
    key: chosen.value.key,
    backups: { automatic: true },
    backgroundIntegrityCheck: true,
    // In recovery mode a restore needs the one-time code printed here, on this terminal only.
    recovery: { confirm: 'code', announce: printRestoreCode },
    ...(options.seed ? { seed: options.seed } : {}),
    ...(options.lockAfterMs === undefined ? {} : { lockAfterMs: options.lockAfterMs }),
  });
  if (!services.ok) return { ok: false, message: `Reservoir cannot open ${databasePath}: ${services.error.message}` };
  const status = services.value.status();
  if (status.state === 'recovery') options.note(`Warning: ${status.message} The console opens for recovery only.`);
  return { ok: true, value: services.value };
}
