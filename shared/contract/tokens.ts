import { z } from 'zod';
import { checkedText } from './common';
import type { Role } from './roles';

/**
 * Personal access tokens (issue 14, item 5): the command line on another machine (scheduled
 * exports) reaches a clinic server (`reservoir serve`) with a token an administrator created.
 * A token is named, acts with one role, expires, can be revoked, and every use is audited.
 *
 * Roles a token may have: clinician (the patient summary), staff and auditor (reads; auditors
 * also every report and the audit trail). Never administrator: a stolen token must not be able to
 * make users, tokens or restore backups. Whatever the role, a token only reads and exports
 * (docs/security.md): it never records a clinical entry, signs, verifies or changes settings.
 */
export const TOKEN_ROLES = ['clinician', 'staff', 'auditor'] as const satisfies readonly Role[];
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** A token's secret starts with this, so a leaked one is recognisable (secret scanners). */
export const TOKEN_PREFIX = 'rsv_';
/** `rsv_` + 32 random bytes in base64url (43 characters). */
export const TOKEN_SECRET = /^rsv_[A-Za-z0-9_-]{43}$/;
/** The longest a token may live: a year and a day. */
export const TOKEN_MAX_DAYS = 366;

const tokenName = checkedText('line')(
  z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters').regex(/^[^'"\\]+$/, 'may not hold quotes or backslashes'),
);

export const tokenCreateInput = z
  .object({
    name: tokenName,
    role: z.enum(TOKEN_ROLES, { message: `must be one of ${TOKEN_ROLES.join(', ')} (a token never acts as an administrator)` }),
    /** Days from now until the token stops working (1 to TOKEN_MAX_DAYS). */
    expiresInDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(TOKEN_MAX_DAYS, `must be at most ${TOKEN_MAX_DAYS} days`),
  })
  .strict();
export const tokenRevokeInput = z.object({ id: z.number().int().positive() }).strict();

export type TokenState = 'active' | 'expired' | 'revoked';

export interface AccessToken {
  id: number;
  name: string;
  role: TokenRole;
  createdByUserId: number | null;
  createdByName: string;
  createdAtMs: number;
  expiresAtMs: number;
  lastUsedAtMs: number | null;
  revokedAtMs: number | null;
  revokedByName: string | null;
  state: TokenState;
}

/** What `tokens.create` answers: the token, and its secret — shown this once, never stored. */
export interface CreatedToken {
  token: AccessToken;
  secret: string;
}

/** How a token is named in the audit trail: token 'nightly export' (auditor). */
export const tokenActorName = (name: string, role: TokenRole): string => `token '${name}' (${role})`;
