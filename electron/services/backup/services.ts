/**
 * Backups around the request services: the daily schedule, and restore — which closes the open
 * database, puts the verified backup in place (the current file kept aside) and opens the services
 * again on it. `createServices` (app.ts) wraps its services with this.
 */
import crypto from 'node:crypto';
import type { ConnectOptions } from '../store/connect';
import { contract } from '../../../shared/contract';
import type { BackupRestoreResult } from '../../../shared/contract/backups';
import { assertNever, fail, ok, type Result } from '../../../shared/contract/result';
import type { ReservoirServices, ServicesOptions } from '../app';
import { recordInFile } from '../audit/log';
import { verifyAuditChain } from '../audit/chain';
import { startIntegrityCheck, type RunningCheck } from '../store/integrity';
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

/**
 * How the person at the console confirms a restore in recovery mode, where no one can sign in:
 * - `code` (the browser shell, reachable over HTTP): a one-time code, printed by `announce` on the
 *   shell's own terminal whenever the services enter recovery mode, never answered by any request;
 *   after `RESTORE_CODE_TRIES` wrong codes a new one is printed.
 * - `word` (the Electron window: only the person at the desktop reaches it): the word `RESTORE`,
 *   shown on the screen and typed.
 */
export type RecoveryConfirmation = { confirm: 'code'; announce: (code: string, reason: string) => void } | { confirm: 'word' };

export const RESTORE_WORD = 'RESTORE';
export const RESTORE_CODE_TRIES = 3;

/** The default: a code printed on this process's standard error. */
export const printRestoreCode = (code: string, reason: string): void => {
  console.error(
    `\nReservoir is open for RECOVERY ONLY: ${reason}\n` +
      `To restore a backup from the recovery screen, type this one-time restore code there: ${code}\n`,
  );
};

/** A backup whose audit trail is broken is not a good backup. */
export const auditChainCheck: ExtraCheck = (db) => {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
  if (table === undefined) return null;
  const chain = verifyAuditChain(db);
  return chain.ok ? null : `has a broken audit trail (entry ${chain.brokenSeq}: ${chain.reason})`;
};

type Open = (options: ServicesOptions & { backupService: BackupService; damaged?: string }) => Result<ReservoirServices>;

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
  const confirmation: RecoveryConfirmation = options.recovery ?? { confirm: 'code', announce: printRestoreCode };
  let closed = false;
  /** Counts openings, so a check that finishes after a restore or a flip is not applied to the next database. */
  let generation = 0;
  let restoreCode: string | null = null;
  /** The background check of the open database, stopped when it is closed (a restore, a switch, the end). */
  let running: RunningCheck | null = null;
  const stopCheck = () => {
    running?.cancel();
    running = null;
  };
  let wrongCodes = 0;

  const openWith = (damaged?: string) => {
    generation += 1;
    const opened = open({ ...options, backupService: service, ...(damaged === undefined ? {} : { damaged }) });
    if (opened.ok) onOpened(opened.value);
    return opened;
  };

  /** A new code each time the services enter recovery mode (and after too many wrong tries). */
  function newRestoreCode(reason: string): void {
    if (confirmation.confirm !== 'code') return;
    restoreCode = makeRestoreCode();
    wrongCodes = 0;
    confirmation.announce(restoreCode, reason);
  }

  function onOpened(services: ReservoirServices): void {
    const status = services.status();
    if (status.state === 'recovery') {
      newRestoreCode(status.message ?? 'the database is damaged.');
      return;
    }
    restoreCode = null;
    if (options.backgroundIntegrityCheck) {
      const mine = generation;
      const check = startIntegrityCheck(options.databasePath, options);
      running = check;
      void check.verdict.then((verdict) => {
        if (running === check) running = null;
        if (closed || mine !== generation) return;
        switch (verdict.state) {
          case 'ok':
            console.error(`[reservoir] The database passed its full integrity check (${options.databasePath}).`);
            return;
          case 'damaged':
            void toRecovery(`The database failed its integrity check: ${verdict.problems}`);
            return;
          case 'unknown':
            console.error(`[reservoir] The database's full integrity check could not run: ${verdict.reason}`);
            return;
        }
        assertNever(verdict, 'integrity verdict');
      });
    }
  }

  /** The full check failed while the console was open: from now on, recovery only. */
  async function toRecovery(message: string): Promise<void> {
    if (closed || current.status().state !== 'ok') return;
    console.error(`[reservoir] ${message} Switching to recovery mode.`);
    stopCheck();
    current.close();
    const reopened = openWith(message);
    if (reopened.ok) current = reopened.value;
  }

  service.onDamaged = (problems) => void toRecovery(`The database failed its integrity check before a backup: ${problems}`);

  const first = openWith();
  if (!first.ok) return first;
  let current = first.value;

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
    stopCheck(); // its worker must not hold the file while it is swapped
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

  /** The recovery restore's confirmation: the shown word (Electron) or the printed one-time code (browser shell). */
  function checkConfirmation(typed: string | null): Result<null> {
    const field = 'confirmation';
    if (confirmation.confirm === 'word') {
      if (typed !== null && typed.trim().toUpperCase() === RESTORE_WORD) return ok(null);
      return fail('invalid_input', `confirmation: type ${RESTORE_WORD} to replace the database with the backup; nothing was changed.`, field);
    }
    if (typed === null || typed.trim() === '') {
      return fail('invalid_input', 'confirmation: type the restore code printed in the window where the Reservoir browser shell runs; nothing was changed.', field);
    }
    if (restoreCode !== null && sameCode(typed, restoreCode)) {
      restoreCode = null; // used once
      return ok(null);
    }
    wrongCodes += 1;
    if (wrongCodes >= RESTORE_CODE_TRIES) {
      newRestoreCode(current.status().message ?? 'the database is damaged.');
      return fail('invalid_input', `confirmation: that restore code is wrong, ${RESTORE_CODE_TRIES} times: the old code no longer works and a new one was printed in the shell's window. Nothing was changed.`, field);
    }
    const left = RESTORE_CODE_TRIES - wrongCodes;
    return fail('invalid_input', `confirmation: that is not the restore code printed in the shell's window (${left} ${left === 1 ? 'try' : 'tries'} left before a new code is printed). Nothing was changed.`, field);
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
        const confirmed = checkConfirmation(parsed.data.confirmation ?? null);
        if (!confirmed.ok) return confirmed;
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
    subscribe: (session, listener, end) => current.subscribe?.(session, listener, end) ?? fail('internal', 'Live updates are not available.'),
    /** The current database's report export jobs (features/reports/jobs.ts). */
    get reports() {
      return current.reports;
    },
    close() {
      closed = true;
      stopCheck();
      service.onDamaged = null;
      if (timer !== null) clearInterval(timer);
      current.close();
    },
  });
}

/** The restore, in the restored database's own audit trail (when it has one). */
function recordRestore(databasePath: string, choice: RestoreChoice, setAside: string | null, atMs: number, connection: ConnectOptions = {}): void {
  try {
    recordInFile(databasePath, connection, choice.actor, atMs, { action: 'restore', entity: 'database', entityId: choice.name, detail: { setAside, skipped: choice.skipped } });
  } catch (e) {
    console.error(`[reservoir] the restore could not be recorded in the audit trail: ${(e as Error).message}`);
  }
}

/** Eight letters and digits without look-alikes (no 0/O, 1/I/L), shown as two groups of four. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function makeRestoreCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Constant-time comparison of what was typed with the code (case, spaces and dashes ignored). */
function sameCode(typed: string, code: string): boolean {
  const norm = (s: string) => crypto.createHash('sha256').update(s.toUpperCase().replace(/[\s-]/g, '')).digest();
  return crypto.timingSafeEqual(norm(typed), norm(code));
}
