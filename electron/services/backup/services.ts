/**
 * Backups around the request services: the daily schedule, and restore — which closes the open
 * database, puts the verified backup in place (the current file kept aside) and opens the services
 * again on it. `createServices` (app.ts) wraps its services with this.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { connect, type ConnectOptions } from '../store/connect';
import { contract } from '../../../shared/contract';
import type { BackupRestoreResult } from '../../../shared/contract/backups';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { ReservoirServices, ServicesOptions } from '../app';
import { AuditLog } from '../audit/log';
import { verifyAuditChain } from '../audit/chain';
import { LATEST_SCHEMA_VERSION } from '../store/migrations';
import { zodErrorToAppError } from '../validation';
import { putBack, swapInBackup, type ExtraCheck } from './files';
import { fileStamp } from './names';
import { BackupService, type RestoreChoice } from './service';

const HOUR_MS = 3_600_000;

export interface BackupOptions {
  /** Daily backups: one on start when the newest is a day old or more, then checked every hour. */
  automatic?: boolean;
}

/** A backup whose audit trail is broken is not a good backup. */
export const auditChainCheck: ExtraCheck = (db) => {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
  if (table === undefined) return null;
  const chain = verifyAuditChain(db);
  return chain.ok ? null : `has a broken audit trail (entry ${chain.brokenSeq}: ${chain.reason})`;
};

type Open = (options: ServicesOptions & { backupService: BackupService }) => Result<ReservoirServices>;

export function withBackups(options: ServicesOptions, open: Open): Result<ReservoirServices> {
  const now = options.now ?? Date.now;
  const latest = options.migrations ? options.migrations.reduce((m, x) => Math.max(m, x.version), 0) : LATEST_SCHEMA_VERSION;
  const service = new BackupService({
    databasePath: options.databasePath,
    latestSchemaVersion: latest,
    now,
    extraChecks: [auditChainCheck],
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    key: options.key,
  });
  const openWith = () => open({ ...options, backupService: service });
  const first = openWith();
  if (!first.ok) return first;
  let current = first.value;
  let closed = false;

  const daily = () => {
    if (closed || current.status().state !== 'ok' || !service.dailyDue()) return;
    void service.create('daily');
  };
  let timer: NodeJS.Timeout | null = null;
  if (options.backups?.automatic) {
    setImmediate(daily);
    timer = setInterval(daily, HOUR_MS);
    timer.unref();
  }

  async function restore(choice: RestoreChoice): Promise<Result<BackupRestoreResult>> {
    await service.idle();
    current.close();
    let setAside: string | null;
    try {
      setAside = swapInBackup(options.databasePath, choice.file, fileStamp(now())).setAside;
    } catch (e) {
      const back = openWith();
      if (back.ok) current = back.value;
      return fail('internal', `The backup could not be put in place (${(e as Error).message}); the database was left as it was.`);
    }
    const reopened = openWith();
    if (!reopened.ok) {
      if (setAside !== null) putBack(options.databasePath, setAside);
      const back = openWith();
      if (back.ok) current = back.value;
      return fail('internal', `The restored backup could not be opened (${reopened.error.message}); the previous database was put back.`);
    }
    current = reopened.value;
    recordRestore(options.databasePath, choice, setAside, now(), { nativeBinding: options.nativeBinding, key: options.key });
    return ok({ restoredFrom: choice.name, setAside: setAside ?? '', skipped: choice.skipped });
  }

  return ok({
    async dispatch(name, rawInput, session) {
      if (current.status().state === 'recovery' && (name === 'backups.list' || name === 'backups.restore')) {
        // The damaged database cannot say who may act: on the recovery screen, whoever is at this
        // console (the desktop, or the browser shell with its token) may list and restore.
        if (name === 'backups.list') {
          const parsed = contract['backups.list'].input.safeParse(rawInput ?? {});
          return parsed.success ? service.overview() : { ok: false, error: zodErrorToAppError(parsed.error) };
        }
        const parsed = contract['backups.restore'].input.safeParse(rawInput ?? {});
        if (!parsed.success) return { ok: false, error: zodErrorToAppError(parsed.error) };
        const chosen = service.requestRestore(parsed.data.name, null);
        if (!chosen.ok) return chosen;
        return restore(service.takePendingRestore()!);
      }
      const result = await current.dispatch(name, rawInput, session);
      if (name !== 'backups.restore') return result;
      const choice = service.takePendingRestore();
      return choice === null || !result.ok ? result : restore(choice);
    },
    status: () => current.status(),
    /** The current database's report export jobs (features/reports/jobs.ts). */
    get reports() {
      return current.reports;
    },
    close() {
      closed = true;
      if (timer !== null) clearInterval(timer);
      current.close();
    },
  });
}

/** The restore, in the restored database's own audit trail (when it has one). */
function recordRestore(databasePath: string, choice: RestoreChoice, setAside: string | null, atMs: number, connection: ConnectOptions = {}): void {
  let db: Database.Database | null = null;
  try {
    db = connect(databasePath, connection, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() === undefined) return;
    new AuditLog(db).record(choice.actor, atMs, {
      action: 'restore',
      entity: 'database',
      entityId: choice.name,
      detail: { setAside, skipped: choice.skipped },
    });
  } catch (e) {
    console.error(`[reservoir] the restore could not be recorded in the audit trail: ${(e as Error).message}`);
  } finally {
    db?.close();
  }
}
