import type { BackupInfo, BackupKind } from '../../../../shared/contract/backups';
import { assertNever } from '../../../../shared/contract/result';

export function kindLabel(kind: BackupKind): string {
  switch (kind) {
    case 'daily':
      return 'Daily (automatic)';
    case 'manual':
      return 'Manual';
    case 'premigration':
      return 'Before an upgrade';
  }
  return assertNever(kind, 'backup kind');
}

/** An instant, in this computer's time zone (backups are instants, not clinical dates). */
export const when = (ms: number): string => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const size = (b: Pick<BackupInfo, 'sizeBytes'>): string => (b.sizeBytes >= 1_048_576 ? `${(b.sizeBytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(b.sizeBytes / 1024))} KB`);
