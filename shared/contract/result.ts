import type { ConflictDetail } from './versions';

/**
 * Values that cross a process boundary. A request never throws across the boundary:
 * it answers `{ ok: true, value }` or `{ ok: false, error }`.
 */

/** Every error code a program may branch on. Add a code here, never a free string. */
export const ERROR_CODES = [
  'invalid_input', // the input failed the contract's schema; `field` names the field
  'unknown_request', // no such request in the contract
  'not_found', // the record named does not exist
  'conflict', // the write would break a uniqueness or state rule (e.g. MRN already used)
  'refused', // a clinical rule refuses the write (e.g. volume added exceeds the reservoir)
  'database_newer', // the database was written by a newer Reservoir
  'database_damaged', // integrity check failed: opened for recovery only
  'database_busy', // another program holds a lock on the database file (waited for, then refused): nothing was changed
  'database_key', // the database (or a backup) is encrypted and no key, or another key, was given: nothing was opened
  'unauthorized', // no valid token or session, or a wrong username or password
  'session_locked', // the session locked after inactivity: the password is asked again
  'account_locked', // too many failed sign-ins: the account is locked for a while
  'forbidden', // the caller's role may not make this request
  'wrong_password', // the password entered to sign or amend an entry is not the signer's: nothing was signed
  'disk_full', // the disk (or the user's quota) is full: the write was rolled back, nothing was saved
  'read_only', // the database or the file cannot be written (read-only file or drive, no permission): nothing was saved
  'version_mismatch', // the client's contract version is not the server's: update the workstation or the server
  'unreachable', // the clinic server (or the browser shell) did not answer: nothing is known to be saved; the console keeps what was typed and retries
  'internal', // a bug or an I/O failure; nothing was written
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  /** A sentence a person can act on. Never a stack trace. */
  message: string;
  /** The input field at fault, as a dotted path (`drugs.0.concentration`), when there is one. */
  field?: string;
  /**
   * With `conflict` for a stale edit or clinical entry (several people at once): who changed the
   * record, when, and its values now (`./versions.ts`).
   */
  conflict?: ConflictDetail;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, field?: string): { ok: false; error: AppError } =>
  field === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, field } };

/** Exhaustiveness guard for `switch` statements: a missing case fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
