/**
 * Storage failures a person can fix, as error values instead of "internal": a full disk, a file or
 * drive that cannot be written, a database another program is writing. Recognised by the codes
 * better-sqlite3 (`SqliteError.code`, extended codes included: SQLITE_READONLY_DBMOVED…) and Node's
 * file functions (`errno` codes) give them. dispatch, the record export, the report exports and
 * the command line use it.
 */
import type { AppError } from '../../shared/contract/result';
import { isBusyCode } from './store/connect';

export const DISK_FULL_MESSAGE = 'The disk is full: nothing was saved. Free some space and try again.';

/** The error's code, or that of the error it wraps (`cause`, a few levels deep). */
const codeOf = (e: unknown): string | null => {
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
};

/** The error value for a storage failure a person can act on, or null for anything else (a bug, a damaged disk). */
export function storageError(e: unknown): AppError | null {
  const code = codeOf(e);
  if (code === null) return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return { code: 'disk_full', message: DISK_FULL_MESSAGE };
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return {
      code: 'read_only',
      message: 'Reservoir cannot write to the disk (a read-only file, folder or drive, or no permission): nothing was saved. Ask your IT to check its permissions, then try again.',
    };
  }
  if (isBusyCode(code)) {
    // Another program (an import, a database tool) held the write lock past the busy timeout.
    return { code: 'database_busy', message: 'The database is in use by another program that is writing to it (an import?). Nothing was saved or changed: try again when it has finished.' };
  }
  return null;
}
