import { describe, expect, it } from 'vitest';
import type { BackupKind } from '../../../shared/contract/backups';
import { backupFileName, parseBackupName, type ParsedBackupName } from './names';
import { backupsToDelete } from './retention';

const DB = '/clinic/reservoir.db';
const at = (iso: string) => Date.parse(iso);
const b = (iso: string, kind: BackupKind = 'daily'): ParsedBackupName => ({ name: backupFileName(DB, at(iso), 4, kind), kind, createdAtMs: at(iso), schemaVersion: 4 });
const kept = (all: ParsedBackupName[]) => {
  const gone = new Set(backupsToDelete(all));
  return all.filter((x) => !gone.has(x.name)).map((x) => new Date(x.createdAtMs).toISOString().slice(0, 10));
};

describe('backup file names', () => {
  it('carry the UTC time, the schema version and the kind, and read back', () => {
    const name = backupFileName(DB, at('2026-11-24T19:35:04.123Z'), 4, 'daily');
    expect(name).toBe('reservoir.db.backup-2026-11-24T19-35-04-123Z-v4-daily.db');
    expect(parseBackupName(DB, name)).toEqual({ name, kind: 'daily', createdAtMs: at('2026-11-24T19:35:04.123Z'), schemaVersion: 4 });
  });

  it('ignores files that are not backups of this database', () => {
    expect(parseBackupName(DB, 'notes.txt')).toBeNull();
    expect(parseBackupName(DB, 'other.db.backup-2026-11-24T19-35-04-123Z-v4-daily.db')).toBeNull();
    expect(parseBackupName(DB, 'reservoir.db.backup-2026-02-30T19-35-04-123Z-v4-daily.db')).toBeNull();
    expect(parseBackupName(DB, 'reservoir.db.backup-2026-11-24T19-35-04-123Z-v4-weekly.db')).toBeNull();
    expect(parseBackupName(DB, 'reservoir.db.backup-2026-11-24T19-35-04-123Z-v4-daily.db.partial')).toBeNull();
  });
});

describe('retention: 7 daily, 4 weekly, 12 monthly (UTC)', () => {
  it('keeps the newest of each of the last 7 days with a backup, and drops extra backups of a day', () => {
    const all = [
      b('2026-11-24T10:00:00Z'), // Tue
      b('2026-11-24T08:00:00Z'), // same day, older: not the day's newest
      b('2026-11-23T10:00:00Z'),
      b('2026-11-22T10:00:00Z'),
      b('2026-11-21T10:00:00Z'),
      b('2026-11-20T10:00:00Z'),
      b('2026-11-19T10:00:00Z'),
      b('2026-11-18T10:00:00Z'), // 7th day
      b('2026-11-17T10:00:00Z'), // 8th day: its week (Mon 16 to Sun 22) and month already have a newer backup
    ];
    expect(kept(all)).toEqual(['2026-11-24', '2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18']);
  });

  it('keeps one per ISO week (Monday to Sunday) for 4 weeks, then one per month for 12 months', () => {
    // One backup a day from 2025-01-01 to 2026-11-24 (a Tuesday).
    const all: ParsedBackupName[] = [];
    for (let ms = at('2026-11-24T02:00:00Z'); ms >= at('2025-01-01T02:00:00Z'); ms -= 86_400_000) all.push(b(new Date(ms).toISOString()));
    expect(kept(all)).toEqual([
      // 7 daily
      '2026-11-24', '2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18',
      // weekly: this week (Mon 23) and the week of the 16th are covered by daily backups;
      // the week of Mon 9 Nov ends on Sunday 15, the week of Mon 2 Nov on Sunday 8.
      '2026-11-15', '2026-11-08',
      // monthly: November is covered; the newest of each earlier month, its last day, back to December 2025.
      '2026-10-31', '2026-09-30', '2026-08-31', '2026-07-31', '2026-06-30', '2026-05-31', '2026-04-30',
      '2026-03-31', '2026-02-28', '2026-01-31', '2025-12-31',
    ]);
  });

  it('never deletes a manual backup or one made before a migration, and keeps everything when there are few', () => {
    const all = [
      b('2026-11-24T10:00:00Z'),
      b('2020-01-01T10:00:00Z', 'premigration'),
      b('2026-11-24T09:00:00Z', 'premigration'),
      b('2026-11-24T08:00:00Z', 'manual'),
      b('2019-03-01T08:00:00Z', 'manual'),
    ];
    expect(backupsToDelete(all)).toEqual([]);
    expect(backupsToDelete([])).toEqual([]);
  });
});
