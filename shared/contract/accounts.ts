import { z } from 'zod';
import { checkedText } from './common';
import { ROLES, type Role } from './roles';
import { FORMULA_MESSAGE, FORMULA_START } from './text';
import { basedOn, type Versioned } from './versions';

/** The password policy, checked in main (and shown by the forms). */
/** Wrong passwords in a row that lock an account (sign-in, unlock, password change, signing). */
export const LOCKOUT_AFTER_FAILURES = 5;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .refine((p) => p.trim().length >= PASSWORD_MIN_LENGTH, `must have at least ${PASSWORD_MIN_LENGTH} characters that are not spaces`)
  .refine((p) => new Set(p).size >= 4, 'is too simple: use at least 4 different characters');

export const username = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'may hold only letters, digits, and . _ @ -')
  .refine((u) => !FORMULA_START.test(u), FORMULA_MESSAGE);

const displayName = checkedText('name')(z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'));

export const setupInput = z.object({ username, displayName, password }).strict();
/** The password at sign-in is not checked against the policy (a wrong one is simply wrong). */
export const loginInput = z.object({ username: checkedText('line')(z.string().trim().min(1, 'is required').max(64)), password: z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH) }).strict();
export const unlockInput = z.object({ password: z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH) }).strict();
export const changePasswordInput = z
  .object({ currentPassword: z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH), newPassword: password })
  .strict()
  .refine((v) => v.currentPassword !== v.newPassword, { message: 'must differ from the current password', path: ['newPassword'] });

export const userCreateInput = z.object({ username, displayName, role: z.enum(ROLES), password }).strict();
export const userUpdateInput = z
  .object({
    id: z.number().int().positive(),
    displayName: displayName.optional(),
    role: z.enum(ROLES).optional(),
    active: z.boolean().optional(),
    /** Required: the user's version the edit was based on (`users.list`); a stale one is refused (`conflict`). */
    basedOn,
  })
  .strict();
export const userResetPasswordInput = z.object({ id: z.number().int().positive(), password }).strict();
export const userUnlockInput = z.object({ id: z.number().int().positive() }).strict();

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  /** Failed sign-ins since the last good one. */
  failedLogins: number;
  /** When a lockout after repeated failures ends (UTC ms), or null. */
  lockedUntilMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** What the console knows about who is at the screen. */
export type SessionState =
  /** First run: no user exists yet; the console shows "create the administrator". */
  | { state: 'setup' }
  | { state: 'signed_out' }
  /** Signed in, but locked after inactivity: the password is asked again. */
  | { state: 'locked'; user: SessionUser }
  | { state: 'active'; user: SessionUser; lockAfterMs: number };

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

/** Access settings the administrator sets (table access_settings). */
export interface AccessSettings {
  /** The console locks after this many minutes without activity and asks for the password. */
  sessionLockMinutes: number;
}
export const accessUpdateInput = z
  .object({
    sessionLockMinutes: z.number().int('must be a whole number of minutes').min(1, 'must be at least 1 minute').max(240, 'must be at most 240 minutes'),
    /** Required: the access settings' version the edit was based on (`users.list`); a stale one is refused (`conflict`). */
    basedOn,
  })
  .strict();

export interface UsersOverview {
  /** Each with its version, sent back as `basedOn` by an edit (several people at once). */
  users: Versioned<User>[];
  access: Versioned<AccessSettings>;
}
