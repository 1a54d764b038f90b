/**
 * Personal access tokens: making a secret, and checking one a request presents.
 *
 * The secret is `rsv_` + 32 random bytes (256 bits) in base64url, shown once at creation. Only its
 * SHA-256 is stored: a secret that random cannot be guessed from its hash, so no slow password hash
 * is needed (docs/security.md), and a request is checked with one hash and one indexed look-up.
 */
import crypto from 'node:crypto';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { TOKEN_PREFIX, TOKEN_SECRET, tokenActorName, type TokenRole } from '../../../../shared/contract/tokens';
import type { Actor, AuditRecord } from '../../handler-types';
import type { Store } from '../../store/store';
import { tokenState, type StoredToken } from './repository';

export const newTokenSecret = (): string => TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');

export const hashTokenSecret = (secret: string): string => crypto.createHash('sha256').update(secret, 'utf8').digest('hex');

/** The actor a token's requests are made as: no user, the token's name and role. */
export const tokenActor = (t: { name: string; role: TokenRole }): Actor => ({ userId: null, username: tokenActorName(t.name, t.role), role: t.role });

export interface TokenCaller {
  token: StoredToken;
  actor: Actor;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The token whose secret this is, if it may be used now; its last use is recorded. A refusal (an
 * unknown, revoked or expired token) is audited as a failed sign-in with the token's name and the
 * reason, never the secret, and answers `unauthorized` with a message a person can act on.
 */
export function authenticateToken(store: Store, record: (actor: Actor | null, entry: AuditRecord) => void, nowMs: number, secret: string): Result<TokenCaller> {
  const refused = (reason: string, token: StoredToken | null, message: string): Result<never> => {
    store.transaction(() =>
      record(null, { action: 'login_failed', entity: 'token', entityId: token?.id ?? null, detail: { reason, ...(token ? { token: token.name, role: token.role } : {}) } }),
    );
    return fail('unauthorized', message);
  };
  if (!TOKEN_SECRET.test(secret)) return refused('malformed_token', null, 'This is not a Reservoir access token (they start with rsv_): check the token file.');
  const hash = hashTokenSecret(secret);
  const found = store.tokens.byHash(hash);
  // The look-up is by hash (an index); the comparison that decides is constant-time all the same.
  if (found === null || !crypto.timingSafeEqual(Buffer.from(found.secretSha256, 'utf8'), Buffer.from(hash, 'utf8'))) {
    return refused('unknown_token', null, 'This access token is not known to this clinic server: ask an administrator for a new one (Settings → Users → Personal access tokens).');
  }
  const state = tokenState(found, nowMs);
  switch (state) {
    case 'revoked':
      return refused('revoked', found, `The access token '${found.name}' was revoked on ${day(found.revokedAtMs!)} by ${found.revokedByName}: ask an administrator for a new one.`);
    case 'expired':
      return refused('expired', found, `The access token '${found.name}' expired on ${day(found.expiresAtMs)}: ask an administrator for a new one.`);
    case 'active':
      store.transaction(() => store.tokens.markUsed(found.id, nowMs));
      return ok({ token: found, actor: tokenActor(found) });
  }
}
