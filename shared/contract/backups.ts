import { z } from 'zod';
import { noInput } from './common';
import { basedOn } from './versions';

/**
 * Backups of the clinic database: copies made while the console runs (daily, manual), before every
 * schema migration, kept on a schedule (7 daily, 4 weekly, 12 monthly), and restored with
 * verification. A backup's file name carries its time (UTC) and schema version:
 * `<database>.backup-2026-11-24T19-35-04-123Z-v4-daily.db`.
 */
export const BACKUP_KINDS = ['daily', 'manual', 'premigration'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export interface BackupInfo {
  /** The file name in the backups folder (no folder part). */
  name: string;
  kind: BackupKind;
  createdAtMs: number;
  schemaVersion: number;
  sizeBytes: number;
}

export interface BackupOverview {
  /** The folder in use (absolute). */
  folder: string;
  /** The folder used when none is configured: `backups` next to the database. */
  defaultFolder: string;
  /** True when `folder` is the configured one (not the default). */
  configured: boolean;
  lastBackupAtMs: number | null;
  /** Why the last automatic or manual backup failed, if it did; null after a success. */
  lastError: string | null;
  /** Newest first. */
  backups: BackupInfo[];
  /** The database file a restore would replace (kept aside, never deleted): null if it is missing. */
  current: { path: string; sizeBytes: number; modifiedAtMs: number } | null;
  /** The folder setting's version, sent back as `basedOn` by `backups.configure` (several people at once). */
  version?: number;
}

export interface BackupRestoreResult {
  /** The backup now in use. */
  restoredFrom: string;
  /** Where the database that was replaced now lives (kept, never deleted). */
  setAside: string;
  /** Backups that were newer but failed verification (only when restoring the latest good one). */
  skipped: { name: string; reason: string }[];
}

/** A backup file name as listed: no folder, no path separators. */
const backupName = z
  .string({ error: 'must be a backup file name' })
  .trim()
  .min(1, { error: 'is required' })
  .max(255, { error: 'must be at most 255 characters' })
  .regex(/^[^/\\]+$/, { error: 'must be a file name from the list, without a folder' })
  .refine((s) => s !== '.' && s !== '..', { error: 'must be a file name from the list' });

export const backupListInput = noInput;
export const backupCreateInput = noInput;
/**
 * `name: null` restores the newest backup that passes verification. `confirmation` is needed in
 * recovery mode only (no one can sign in): the one-time restore code the browser shell printed on
 * its terminal, or the word RESTORE in the desktop app (`SystemStatus.restoreConfirmation`).
 */
export const backupRestoreInput = z
  .object({
    name: backupName.nullable(),
    confirmation: z.string({ error: 'must be the restore code as text' }).max(100, { error: 'must be at most 100 characters' }).optional(),
  })
  .strict();
/** `folder: null` goes back to the default folder. */
export const backupConfigureInput = z
  .object({
    folder: z
      .string({ error: 'must be a folder path' })
      .trim()
      .min(1, { error: 'is required (or null for the default folder)' })
      .max(1000, { error: 'must be at most 1000 characters' })
      .nullable(),
    /** Required: the folder setting's version the change was based on (`backups.list`); a stale one is refused (`conflict`). */
    basedOn,
  })
  .strict();
