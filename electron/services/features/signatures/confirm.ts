/**
 * Signing asks for the password again. It is checked against the signed-in user (never a name
 * typed in the dialog) with the same counting as sign-in: a wrong password counts as a failed
 * sign-in, and after LOCKOUT_AFTER_FAILURES of them the account is locked for LOCKOUT_MS.
 * A wrong password signs nothing; the failure itself is kept (and audited) in its own transaction.
 */
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { LOCKOUT_AFTER_FAILURES, LOCKOUT_MS } from '../../accounts/access';
import { verifyPassword } from '../../accounts/passwords';
import type { StoredUser } from '../../accounts/repository';
import type { HandlerContext } from '../../handler-types';

export type Attesting = 'sign' | 'amend';

function lockedMessage(remainingMs: number): Result<never> {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return fail(
    'account_locked',
    `This account is locked after ${LOCKOUT_AFTER_FAILURES} wrong passwords. Nothing was signed. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset the password.`,
    'password',
  );
}

/** The signing user when `password` is theirs; a refusal (and one more failure counted) otherwise. */
export async function confirmSigner(ctx: HandlerContext, password: string, during: Attesting): Promise<Result<StoredUser>> {
  const userId = ctx.actor?.userId ?? null;
  if (userId === null) return fail('forbidden', 'Only a signed-in clinician can sign or amend an entry.');
  const user = ctx.store.accounts.get(userId);
  if (!user || !user.active) return fail('unauthorized', 'The session has ended: sign in again.');
  if (user.role !== 'clinician') return fail('forbidden', `Your role (${user.role}) may not sign or amend clinical entries.`);
  const now = ctx.now();
  if (user.lockedUntilMs !== null && now < user.lockedUntilMs) {
    ctx.audit.record({ action: 'login_failed', entity: 'session', entityId: user.id, detail: { during, reason: 'account_locked' } });
    return lockedMessage(user.lockedUntilMs - now);
  }
  const good = await verifyPassword(password, user.passwordHash);
  return ctx.store.transaction((): Result<StoredUser> => {
    const current = ctx.store.accounts.get(user.id);
    if (!current || !current.active) return fail('unauthorized', 'The session has ended: sign in again.');
    const at = ctx.now();
    if (good) {
      const saved = current.failedLogins === 0 && current.lockedUntilMs === null ? current : ctx.store.accounts.save({ ...current, failedLogins: 0, lockedUntilMs: null }, at);
      return ok(saved);
    }
    const failures = current.failedLogins + 1;
    const lockNow = failures >= LOCKOUT_AFTER_FAILURES;
    const lockedUntilMs = lockNow ? at + LOCKOUT_MS : null;
    ctx.store.accounts.save({ ...current, failedLogins: lockNow ? 0 : failures, lockedUntilMs }, at);
    ctx.audit.record({ action: 'login_failed', entity: 'session', entityId: current.id, detail: { during, failures, lockedUntilMs } });
    return lockNow ? lockedMessage(LOCKOUT_MS) : fail('wrong_password', 'Wrong password: nothing was signed.', 'password');
  });
}
