import path from 'node:path';
import { BACKUP_KINDS, type BackupKind } from '../../../shared/contract/backups';

/**
 * Backup file names: `<database file name>.backup-<UTC time>-v<schema>-<kind>.db`, for example
 * `reservoir.db.backup-2026-11-24T19-35-04-123Z-v4-daily.db`. No colons (Windows), sortable, and a
 * folder shared by two databases never mixes their backups.
 */
export interface ParsedBackupName {
  name: string;
  kind: BackupKind;
  createdAtMs: number;
  schemaVersion: number;
}

const PATTERN = /^(.+)\.backup-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-v(\d{1,6})-([a-z]+)\.db$/;

export function backupFileName(databasePath: string, atMs: number, schemaVersion: number, kind: BackupKind): string {
  const stamp = new Date(atMs).toISOString().replace(/[:.]/g, '-');
  return `${path.basename(databasePath)}.backup-${stamp}-v${schemaVersion}-${kind}.db`;
}

/** The backup's details when `name` is a backup of `databasePath`; null for any other file. */
export function parseBackupName(databasePath: string, name: string): ParsedBackupName | null {
  const m = PATTERN.exec(name);
  if (!m || m[1] !== path.basename(databasePath)) return null;
  const kind = m[10] as BackupKind;
  if (!(BACKUP_KINDS as readonly string[]).includes(kind)) return null;
  const [y, mo, d, h, mi, s, ms] = m.slice(2, 9).map(Number) as [number, number, number, number, number, number, number];
  const createdAtMs = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // A name whose date does not round-trip (2026-02-30) is not one of ours.
  if (backupFileName(databasePath, createdAtMs, Number(m[9]), kind) !== name) return null;
  return { name, kind, createdAtMs, schemaVersion: Number(m[9]) };
}

/** A timestamp for file names (`2026-11-24T19-35-04-123Z`), e.g. for a database set aside. */
export function fileStamp(atMs: number): string {
  return new Date(atMs).toISOString().replace(/[:.]/g, '-');
}
