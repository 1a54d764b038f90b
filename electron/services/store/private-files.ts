/**
 * Files 0600 and folders 0700 for everything Reservoir writes: the database and its -wal/-shm,
 * backups (and their `.partial` files), `.restoring` and `.replaced-*` copies, exports and reports.
 * Other accounts on the same computer must not read the clinic record (docs/security.md, "Files on
 * disk"). Two layers: the entry points (CLI, browser shell, Electron) set the process umask to 077,
 * so whatever is created later is owner-only, and each place that creates a file of patient data
 * creates it owner-only itself (or tightens it) so the guarantee does not depend on the umask.
 * SQLite gives a database's -wal, -shm and journal the mode of the database file itself.
 *
 * Windows has no modes: there the user's profile folder ACL (only the user, SYSTEM and
 * Administrators) is the protection, which is why the database lives in the profile by default.
 */
import fs from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
const POSIX = process.platform !== 'win32';

/** Every file this process creates from now on is owner-only (entry points call this first). */
export function restrictUmask(): void {
  if (POSIX) process.umask(0o077);
}

/** Creates `dir` and any missing parents owner-only. Folders that already exist are left as they are. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Takes group and other access away from a folder Reservoir made itself (the default backups folder), if it is ours. */
export function tightenDir(dir: string): void {
  tighten(dir, (s) => s.isDirectory());
}

/**
 * Creates an empty owner-only file at `file` for SQLite to fill (a new database, a backup's partial
 * file): there is no moment at which another account could open it. Fails if it exists.
 */
export function createPrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
}

/**
 * Takes group and other access away from an existing file (one written by an earlier version, or a
 * copy that took its source's mode); the owner's own bits stay. A missing file, or one this account
 * does not own, is left alone.
 */
export function tightenFile(file: string): void {
  tighten(file, (s) => s.isFile());
}

/** The database file and the side files SQLite keeps beside it. */
export function tightenDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tightenFile(f);
}

/** Opens `file` for writing (created or truncated), owner-only even when it already existed. */
export function openPrivateForWriting(file: string): number {
  const fd = fs.openSync(file, 'w', PRIVATE_FILE_MODE);
  if (POSIX) fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  return fd;
}

function tighten(target: string, kind: (s: fs.Stats) => boolean): void {
  if (!POSIX) return;
  let stats: fs.Stats | undefined;
  try {
    stats = fs.statSync(target, { throwIfNoEntry: false });
  } catch {
    return;
  }
  if (!stats || !kind(stats) || (stats.mode & 0o077) === 0) return;
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return;
  fs.chmodSync(target, stats.mode & 0o700);
}
