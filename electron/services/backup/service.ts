/**
 * Backups of one database file: list, create (online), prune on the retention schedule, and choose
 * and verify what to restore. The swap itself is done by `services.ts`, which owns the open database.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackupInfo, BackupKind, BackupOverview } from '../../../shared/contract/backups';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Actor } from '../handler-types';
import { checkIntegrityInBackground } from '../store/integrity';
import { onlineBackup, verifyDatabaseFile, type ExtraCheck, type NativeOptions } from './files';
import { backupFileName, parseBackupName } from './names';
import { backupsToDelete, DEFAULT_RETENTION, type RetentionPolicy } from './retention';
import { defaultBackupFolder, readSettingsOf, writeSettingsOf } from './settings';
import { makePrivateDir, tightenDir } from '../store/private-files';
import { storageError } from '../storage-errors';
import { connect } from '../store/connect';

export const DAY_MS = 86_400_000;

export interface BackupServiceOptions extends NativeOptions {
  databasePath: string;
  latestSchemaVersion: number;
  now: () => number;
  /** Extra verification of a backup before it is restored (the audit chain). */
  extraChecks?: readonly ExtraCheck[];
  retention?: RetentionPolicy;
}

export interface RestoreChoice {
  file: string;
  name: string;
  skipped: { name: string; reason: string }[];
  /** Who asked (recorded in the restored database's audit trail). */
  actor: Actor | null;
}

export class BackupService {
  private inFlight: Promise<Result<BackupInfo>> | null = null;
  private pending: RestoreChoice | null = null;
  /** The last failure, also kept here in case the database cannot record it. */
  private lastFailure: string | null = null;

  /** Told when the integrity check before a backup fails (`services.ts` switches to recovery mode). */
  onDamaged: ((problems: string) => void) | null = null;

  constructor(readonly options: BackupServiceOptions) {}

  get databasePath(): string {
    return this.options.databasePath;
  }

  folder(): { folder: string; configured: boolean } {
    const configured = readSettingsOf(this.databasePath, this.options).folder;
    return configured === null ? { folder: defaultBackupFolder(this.databasePath), configured: false } : { folder: configured, configured: true };
  }

  /** Backups of this database in the folder, newest first (files that are not ours are ignored). */
  list(folder = this.folder().folder): BackupInfo[] {
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      return [];
    }
    const found: BackupInfo[] = [];
    for (const name of names) {
      const parsed = parseBackupName(this.databasePath, name);
      if (parsed === null) continue;
      let sizeBytes: number;
      try {
        sizeBytes = fs.statSync(path.join(folder, name)).size;
      } catch {
        continue;
      }
      found.push({ ...parsed, sizeBytes });
    }
    return found.sort((a, b) => b.createdAtMs - a.createdAtMs || (a.name < b.name ? 1 : -1));
  }

  overview(): Result<BackupOverview> {
    const { folder, configured } = this.folder();
    const settings = readSettingsOf(this.databasePath, this.options);
    const backups = this.list(folder);
    return ok({
      folder,
      defaultFolder: defaultBackupFolder(this.databasePath),
      configured,
      lastBackupAtMs: settings.lastBackupAtMs ?? backups[0]?.createdAtMs ?? null,
      lastError: this.lastFailure ?? settings.lastError,
      backups,
      current: currentFile(this.databasePath),
    });
  }

  /**
   * Sets the folder (null: the default). It must be a full path to an existing folder Reservoir can
   * write to: it is not created, so a typo or an unmounted drive cannot put backups somewhere else.
   */
  configure(folder: string | null): Result<BackupOverview> {
    if (folder !== null) {
      if (!path.isAbsolute(folder)) return fail('invalid_input', 'folder must be a full path (starting at a drive or /).', 'folder');
      const problem = writableFolderProblem(folder);
      if (problem !== null) return fail('invalid_input', `folder ${problem}`, 'folder');
    }
    const normalised = folder === null ? null : path.resolve(folder);
    if (!writeSettingsOf(this.databasePath, { folder: normalised }, this.options)) {
      return fail('internal', 'The backup folder could not be saved in the database; nothing was changed.');
    }
    return this.overview();
  }

  /** True when the newest backup (of any kind) is a day old or more, or there is none. */
  dailyDue(): boolean {
    const newest = this.list()[0];
    return newest === undefined || this.options.now() - newest.createdAtMs >= DAY_MS;
  }

  /** Makes a backup now, then prunes. One at a time: a call while one runs starts when it ends. */
  create(kind: Exclude<BackupKind, 'premigration'>): Promise<Result<BackupInfo>> {
    const previous: Promise<unknown> = this.inFlight ?? Promise.resolve();
    const run: Promise<Result<BackupInfo>> = previous
      .then(() => this.createNow(kind))
      .finally(() => {
        if (this.inFlight === run) this.inFlight = null;
      });
    this.inFlight = run;
    return run;
  }

  /** Resolves when no backup is being written. */
  async idle(): Promise<void> {
    if (this.inFlight !== null) await this.inFlight;
  }

  private async createNow(kind: Exclude<BackupKind, 'premigration'>): Promise<Result<BackupInfo>> {
    const { folder, configured } = this.folder();
    // The full integrity check first: a damaged copy must never rotate good backups out.
    const verdict = await checkIntegrityInBackground(this.databasePath, this.options);
    if (verdict.state !== 'ok') {
      const message =
        verdict.state === 'damaged'
          ? `No backup was made: the database failed its integrity check (${verdict.problems}). The console is now open for recovery only; the existing backups were kept`
          : `No backup was made: the database's integrity could not be checked first (${verdict.reason})`;
      this.lastFailure = message;
      console.error(`[reservoir] ${message}`);
      if (verdict.state === 'damaged') {
        this.onDamaged?.(verdict.problems);
        return fail('database_damaged', `${message}.`);
      }
      return fail('internal', `${message}. The database itself is unchanged; try again.`);
    }
    try {
      // The default folder is made when needed; a configured one must exist (its drive may be away).
      if (configured && !fs.existsSync(folder)) throw new Error('the folder does not exist (is its drive connected?)');
      makePrivateDir(folder);
      if (!configured) tightenDir(folder); // the default folder is Reservoir's own: owner-only
      this.removeStalePartials(folder);
      const version = schemaVersionOf(this.databasePath, this.options);
      let at = this.options.now();
      while (fs.existsSync(path.join(folder, backupFileName(this.databasePath, at, version, kind)))) at += 1;
      const name = backupFileName(this.databasePath, at, version, kind);
      const file = path.join(folder, name);
      await onlineBackup(this.databasePath, file, this.options);
      this.lastFailure = null;
      writeSettingsOf(this.databasePath, { lastBackupAtMs: at, lastBackupName: name, lastError: null }, this.options);
      this.prune(folder);
      return ok({ name, kind, createdAtMs: at, schemaVersion: version, sizeBytes: fs.statSync(file).size });
    } catch (e) {
      // A full disk or a folder that cannot be written is said so, with what to do (not "internal").
      const storage = storageError(e);
      const message =
        storage?.code === 'disk_full'
          ? `The backup to ${folder} failed: the disk is full. Free some space there (or choose another backup folder) and try again`
          : storage?.code === 'read_only'
            ? `The backup to ${folder} failed: Reservoir cannot write there (a read-only drive, or no permission). Ask your IT to check the folder, or choose another one`
            : `The backup to ${folder} failed: ${(e as Error).message}`;
      this.lastFailure = message;
      writeSettingsOf(this.databasePath, { lastError: message }, this.options);
      console.error(`[reservoir] ${message}`);
      return fail(storage?.code === 'disk_full' || storage?.code === 'read_only' ? storage.code : 'internal', `${message}. The database itself is unchanged.`);
    }
  }

  /** A copy interrupted by a crash or a quit leaves a `.partial` file: removed once it is an hour old. */
  private removeStalePartials(folder: string): void {
    const prefix = `${path.basename(this.databasePath)}.backup-`;
    for (const name of fs.readdirSync(folder)) {
      if (!name.startsWith(prefix) || !name.endsWith('.db.partial')) continue;
      const file = path.join(folder, name);
      if (this.options.now() - fs.statSync(file).mtimeMs > 3_600_000) fs.rmSync(file, { force: true });
    }
  }

  /** Deletes the backups the retention schedule no longer keeps; answers their names. */
  prune(folder = this.folder().folder): string[] {
    const doomed = backupsToDelete(this.list(folder), this.options.retention ?? DEFAULT_RETENTION);
    for (const name of doomed) fs.rmSync(path.join(folder, name), { force: true });
    return doomed;
  }

  /**
   * The backup to restore: the one named, if it passes verification; with `null`, the newest that
   * passes (the ones that fail are reported as skipped).
   */
  choose(name: string | null, actor: Actor | null = null): Result<RestoreChoice> {
    const { folder } = this.folder();
    const verify = (file: string) => verifyDatabaseFile(file, this.options.latestSchemaVersion, this.options.extraChecks ?? [], this.options);
    if (name !== null) {
      if (parseBackupName(this.databasePath, name) === null || !fs.existsSync(path.join(folder, name))) {
        return fail('not_found', `There is no backup named ${name} in ${folder}.`, 'name');
      }
      const file = path.join(folder, name);
      const v = verify(file);
      if (!v.ok) return fail('refused', `The backup ${name} ${v.reason}; it was not restored and nothing was changed.`, 'name');
      return ok({ file, name, skipped: [], actor });
    }
    const skipped: { name: string; reason: string }[] = [];
    for (const b of this.list(folder)) {
      const file = path.join(folder, b.name);
      const v = verify(file);
      if (v.ok) return ok({ file, name: b.name, skipped, actor });
      skipped.push({ name: b.name, reason: v.reason });
    }
    return fail(
      'not_found',
      skipped.length === 0
        ? `There are no backups of this database in ${folder}.`
        : `None of the ${skipped.length} backups in ${folder} passed verification; nothing was changed.`,
    );
  }

  /** Chooses and verifies a backup, and leaves it for `services.ts` to put in place. */
  requestRestore(name: string | null, actor: Actor | null): Result<RestoreChoice> {
    if (this.pending !== null) return fail('conflict', 'A restore is already under way.');
    const chosen = this.choose(name, actor);
    if (chosen.ok) this.pending = chosen.value;
    return chosen;
  }

  takePendingRestore(): RestoreChoice | null {
    const p = this.pending;
    this.pending = null;
    return p;
  }
}

function writableFolderProblem(folder: string): string | null {
  try {
    if (!fs.existsSync(folder)) return 'does not exist: create it first (or check that its drive is connected).';
    if (!fs.statSync(folder).isDirectory()) return 'is not a folder.';
    const probe = path.join(folder, `.reservoir-write-test-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe);
    return null;
  } catch (e) {
    return `cannot be written to (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`;
  }
}

function schemaVersionOf(databasePath: string, options: NativeOptions): number {
  const db = connect(databasePath, options, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

function currentFile(databasePath: string): BackupOverview['current'] {
  try {
    const stat = fs.statSync(databasePath);
    // Recent writes may still be in the write-ahead log beside it.
    const wal = fs.statSync(`${databasePath}-wal`, { throwIfNoEntry: false });
    const modified = Math.max(stat.mtimeMs, wal !== undefined && wal.size > 0 ? wal.mtimeMs : 0);
    return { path: databasePath, sizeBytes: stat.size + (wal?.size ?? 0), modifiedAtMs: Math.round(modified) };
  } catch {
    return null;
  }
}
