/** Personal access tokens administration (administrators only, enforced by dispatch): list, create, revoke. */
import { fail, ok } from '../../../../shared/contract/result';
import type { AccessToken, CreatedToken } from '../../../../shared/contract/tokens';
import type { FeatureHandlers } from '../../handler-types';
import { publicToken } from './repository';
import { hashTokenSecret, newTokenSecret } from './service';

type TokenRequests = 'tokens.list' | 'tokens.create' | 'tokens.revoke';

const DAY_MS = 24 * 60 * 60_000;

export const tokenHandlers: FeatureHandlers<TokenRequests> = {
  'tokens.list': (_input, ctx) => ok(ctx.store.tokens.list().map((t) => publicToken(t, ctx.now()))),

  'tokens.create': (input, ctx) =>
    ctx.store.write<CreatedToken>(() => {
      if (ctx.store.tokens.activeByName(input.name)) return fail('conflict', `A token named '${input.name}' exists already: choose another name, or revoke that one first.`, 'name');
      const nowMs = ctx.now();
      const secret = newTokenSecret();
      const stored = ctx.store.tokens.insert({
        name: input.name,
        role: input.role,
        secretSha256: hashTokenSecret(secret),
        createdByUserId: ctx.actor?.userId ?? null,
        createdByName: ctx.actor?.username ?? 'unknown',
        createdAtMs: nowMs,
        expiresAtMs: nowMs + input.expiresInDays * DAY_MS,
      });
      const token = publicToken(stored, nowMs);
      // Never the secret, nor its hash.
      ctx.audit.record({ action: 'token_create', entity: 'token', entityId: token.id, after: { name: token.name, role: token.role, expiresAtMs: token.expiresAtMs } });
      return ok({ token, secret });
    }),

  'tokens.revoke': (input, ctx) =>
    ctx.store.write<AccessToken>(() => {
      const token = ctx.store.tokens.get(input.id);
      if (!token) return fail('not_found', `There is no access token ${input.id}.`, 'id');
      if (token.revokedAtMs !== null) return fail('conflict', `The access token '${token.name}' was already revoked by ${token.revokedByName}.`, 'id');
      const nowMs = ctx.now();
      ctx.store.tokens.revoke(token.id, nowMs, ctx.actor?.username ?? 'unknown');
      ctx.audit.record({ action: 'token_revoke', entity: 'token', entityId: token.id, detail: { name: token.name, role: token.role } });
      return ok(publicToken(ctx.store.tokens.get(token.id)!, nowMs));
    }),
};
