/** Users administration (administrators only, enforced by dispatch): list, create, update, reset password, lift a lockout. */
import type { User } from '../../../shared/contract/accounts';
import { fail, ok } from '../../../shared/contract/result';
import type { FeatureHandlers } from '../handler-types';
import { ROLE_LABELS } from '../../../shared/contract/roles';
import { hashPassword, type ScryptCost } from './passwords';
import { publicUser } from './repository';

type UserRequests = 'users.list' | 'users.create' | 'users.update' | 'users.resetPassword' | 'users.unlock' | 'access.update';

const LAST_ADMIN = 'Reservoir needs at least one active administrator: make another user administrator first.';

export function userHandlers(cost: ScryptCost): FeatureHandlers<UserRequests> {
  return {
    'users.list': (_input, ctx) => {
      const versions = ctx.store.versions.all('user');
      return ok({
        users: ctx.store.accounts.list().map((u) => ({ ...publicUser(u), version: versions.get(u.id) ?? 0 })),
        access: { ...ctx.store.accounts.access(), version: ctx.store.versions.of('access_settings', null).version },
      });
    },

    'users.create': async (input, ctx) => {
      if (ctx.store.accounts.byUsername(input.username)) return fail('conflict', `The username ${input.username} is already taken.`, 'username');
      const passwordHash = await hashPassword(input.password, cost);
      return ctx.store.write<User>(() => {
        if (ctx.store.accounts.byUsername(input.username)) return fail('conflict', `The username ${input.username} is already taken.`, 'username');
        const user = publicUser(ctx.store.accounts.insert({ username: input.username, displayName: input.displayName, role: input.role, passwordHash }, ctx.now()));
        ctx.audit.record({ action: 'user_create', entity: 'user', entityId: user.id, after: user });
        return ok(user);
      });
    },

    'users.update': (input, ctx) =>
      ctx.store.write<User>(() => {
        const user = ctx.store.accounts.get(input.id);
        if (!user) return fail('not_found', `There is no user ${input.id}.`, 'id');
        // Several people at once: an edit based on an older version of the user is refused with the values now.
        const stale = ctx.store.versions.check('user', user.id, input.basedOn, ctx.store.catalog.settings().timeZone, () => publicUser(user));
        if (stale) return stale;
        const role = input.role ?? user.role;
        const active = input.active ?? user.active;
        const losesAdmin = user.role === 'administrator' && user.active && (role !== 'administrator' || !active);
        if (losesAdmin && ctx.store.accounts.activeAdministrators() <= 1) return fail('conflict', LAST_ADMIN, input.role !== undefined && input.role !== 'administrator' ? 'role' : 'active');
        const roleChanged = role !== user.role;
        const deactivated = user.active && !active;
        // A role change or a deactivation ends every session of the user (dispatch compares epochs).
        const epoch = roleChanged || deactivated ? user.sessionEpoch + 1 : user.sessionEpoch;
        const saved = ctx.store.accounts.save({ ...user, displayName: input.displayName ?? user.displayName, role, active, sessionEpoch: epoch }, ctx.now());
        const before = publicUser(user);
        const after = publicUser(saved);
        if (roleChanged) {
          ctx.audit.record({
            action: 'role_change',
            entity: 'user',
            entityId: user.id,
            before: { role: user.role },
            after: { role },
            detail: { summary: `${user.username}: ${ROLE_LABELS[user.role]} → ${ROLE_LABELS[role]}; sessions ended` },
          });
        }
        ctx.audit.record({ action: 'user_update', entity: 'user', entityId: user.id, before, after, detail: { sessionsEnded: epoch !== user.sessionEpoch } });
        return ok(after);
      }),

    'users.resetPassword': async (input, ctx) => {
      if (!ctx.store.accounts.get(input.id)) return fail('not_found', `There is no user ${input.id}.`, 'id');
      const passwordHash = await hashPassword(input.password, cost);
      return ctx.store.write<User>(() => {
        const user = ctx.store.accounts.get(input.id);
        if (!user) return fail('not_found', `There is no user ${input.id}.`, 'id');
        const saved = ctx.store.accounts.save({ ...user, passwordHash, failedLogins: 0, lockedUntilMs: null, sessionEpoch: user.sessionEpoch + 1 }, ctx.now());
        ctx.audit.record({ action: 'password_reset', entity: 'user', entityId: user.id, before: { lockedUntilMs: user.lockedUntilMs }, after: { lockedUntilMs: null }, detail: { sessionsEnded: true } });
        return ok(publicUser(saved));
      });
    },

    // The password stays; the count of failed attempts starts again. Sessions go on (a locked-out
    // user has none that a wrong password could have reached). Lifting a lock that is not there
    // changes nothing and records nothing.
    'users.unlock': (input, ctx) =>
      ctx.store.write<User>(() => {
        const user = ctx.store.accounts.get(input.id);
        if (!user) return fail('not_found', `There is no user ${input.id}.`, 'id');
        const locked = user.lockedUntilMs !== null && ctx.now() < user.lockedUntilMs;
        if (!locked && user.failedLogins === 0) return ok(publicUser(user));
        const saved = ctx.store.accounts.save({ ...user, failedLogins: 0, lockedUntilMs: null }, ctx.now());
        ctx.audit.record({
          action: 'account_unlock',
          entity: 'user',
          entityId: user.id,
          before: { failedLogins: user.failedLogins, lockedUntilMs: user.lockedUntilMs },
          after: { failedLogins: 0, lockedUntilMs: null },
        });
        return ok(publicUser(saved));
      }),

    'access.update': (input, ctx) =>
      ctx.store.write(() => {
        const stale = ctx.store.versions.check('access_settings', null, input.basedOn, ctx.store.catalog.settings().timeZone, () => ctx.store.accounts.access());
        return stale ?? ok(ctx.store.accounts.setAccess({ sessionLockMinutes: input.sessionLockMinutes }));
      }),
  };
}
