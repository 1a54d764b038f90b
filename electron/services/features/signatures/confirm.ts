/**
 * Signing asks for the password again. It is checked against the signed-in user (never a name
 * typed in the dialog) as one more password attempt (`accounts/attempts.ts`): one at a time per
 * user, counted before it is checked, so after LOCKOUT_AFTER_FAILURES wrong passwords — at sign-in,
 * unlock or here — the account is locked for LOCKOUT_MS, and the right password is refused until
 * the lock ends or an administrator lifts it. A wrong password signs nothing; the failure itself
 * is kept (and audited) in its own transaction.
 */
import { assertNever, fail, ok, type Result } from '../../../../shared/contract/result';
import { LOCKOUT_AFTER_FAILURES, userKey } from '../../accounts/attempts';
import type { StoredUser } from '../../accounts/repository';
import type { HandlerContext } from '../../handler-types';

export type Attesting = 'sign' | 'amend' | 'verify' | 'reject';

/** What a refused password leaves undone, by what it was given for. */
const UNDONE: Record<Attesting, string> = { sign: 'signed', amend: 'signed', verify: 'verified', reject: 'rejected' };

function lockedMessage(remainingMs: number, during: Attesting): Result<never> {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return fail(
    'account_locked',
    `This account is locked after ${LOCKOUT_AFTER_FAILURES} wrong passwords. Nothing was ${UNDONE[during]}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to unlock it (Users).`,
    'password',
  );
}

/** The signing user when `password` is theirs; a refusal (and one more failure counted) otherwise. */
export async function confirmSigner(ctx: HandlerContext, password: string, during: Attesting): Promise<Result<StoredUser>> {
  const userId = ctx.actor?.userId ?? null;
  const attempts = ctx.passwords;
  if (userId === null || !attempts) return fail('forbidden', 'Only a signed-in clinician can sign or amend an entry.');
  const user = ctx.store.accounts.get(userId);
  if (!user || !user.active) return fail('unauthorized', 'The session has ended: sign in again.');
  if (user.role !== 'clinician') return fail('forbidden', `Your role (${user.role}) may not sign or amend clinical entries.`);
  return attempts.serialize(userKey(user.id), async (): Promise<Result<StoredUser>> => {
    const outcome = await attempts.check(user.id, password, during);
    switch (outcome.kind) {
      case 'good':
        return ok(outcome.user);
      case 'wrong':
        return fail('wrong_password', `Wrong password: nothing was ${UNDONE[during]}.`, 'password');
      case 'locked':
        return lockedMessage(outcome.lockedUntilMs - ctx.now(), during);
      case 'gone':
        return fail('unauthorized', 'The session has ended: sign in again.');
    }
    return assertNever(outcome, 'attempt');
  });
}
