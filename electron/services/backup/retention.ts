/**
 * Which backups to keep: the newest backup of each of the last 7 days that have one, of each of the
 * last 4 weeks (ISO weeks, Monday to Sunday) and of each of the last 12 months — days, weeks and
 * months in UTC. Only the automatic daily backups rotate: a manual backup (someone made it for a
 * reason) and a backup made before a migration (the way back from an upgrade) are never deleted by
 * Reservoir. Pure: the caller deletes.
 */
import type { ParsedBackupName } from './names';

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

const DAY_MS = 86_400_000;
const dayKey = (ms: number): number => Math.floor(ms / DAY_MS);
// 1970-01-01 was a Thursday: shifting by 3 days makes every key start on a Monday.
const weekKey = (ms: number): number => Math.floor((dayKey(ms) + 3) / 7);
const monthKey = (ms: number): number => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** The names of the backups the policy no longer keeps. */
export function backupsToDelete(backups: readonly ParsedBackupName[], policy: RetentionPolicy = DEFAULT_RETENTION): string[] {
  const rotating = backups
    .filter((b) => b.kind === 'daily')
    .slice()
    .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.name < b.name ? 1 : -1));
  const keep = new Set<string>();
  const bucket = (key: (ms: number) => number, count: number) => {
    const seen = new Set<number>();
    for (const b of rotating) {
      if (seen.size >= count) break;
      const k = key(b.createdAtMs);
      if (seen.has(k)) continue;
      seen.add(k);
      keep.add(b.name);
    }
  };
  bucket(dayKey, policy.daily);
  bucket(weekKey, policy.weekly);
  bucket(monthKey, policy.monthly);
  return rotating.filter((b) => !keep.has(b.name)).map((b) => b.name);
}
