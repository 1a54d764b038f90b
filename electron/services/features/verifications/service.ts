/**
 * Verifying and rejecting an entry awaiting an independent double check (issue 17, item 3).
 *
 * The verifier is the signed-in user of the session (`ctx.actor`), never a user named in the
 * request; they must be a clinician other than the entry's recorder, and give their password again
 * as signing does (`signatures/confirm.ts`: one more attempt toward the lockout). Everything that
 * can be refused without the password — no such check, already decided, the recorder themself, a
 * role that may not verify — is refused first, so no attempt is spent on it. The decision and its
 * audit entry (both people, their roles and times) are written in one transaction.
 */
import type { z } from 'zod';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { ROLE_LABELS } from '../../../../shared/contract/roles';
import {
  VERIFIED_ENTRY_LABELS,
  type AwaitingVerification,
  type EntryVerification,
  type verificationListInput,
  type verificationRejectInput,
  type verificationVerifyInput,
} from '../../../../shared/contract/verifications';
import type { HandlerContext } from '../../handler-types';
import { confirmSigner } from '../signatures/confirm';
import { verificationRepository } from './repository';

const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export const SELF_VERIFY_MESSAGE = 'You recorded this entry: another clinician must verify or reject it (an independent double check is made by a second person).';

/** What may be refused before the password is asked: the check, awaiting, and a verifier who may make it. */
function decidable(ctx: HandlerContext, id: number, verb: 'verify' | 'reject'): Result<EntryVerification> {
  const v = verificationRepository(ctx.store).get(id);
  if (!v) return fail('not_found', `There is no double check with id ${id}.`, 'id');
  if (v.state !== 'awaiting') {
    const who = v.decidedBy?.name ?? 'someone';
    return fail('conflict', `This ${VERIFIED_ENTRY_LABELS[v.kind]} was already ${v.state} by ${who} (${at(v.decidedAtMs ?? 0)} UTC).`, 'id');
  }
  const actor = ctx.actor;
  if (actor === null || actor.userId === null) return fail('forbidden', `Only a signed-in clinician can ${verb} an entry.`);
  if (v.requestedBy.userId === actor.userId) return fail('forbidden', SELF_VERIFY_MESSAGE, 'id');
  const user = ctx.store.accounts.get(actor.userId);
  if (!user || !user.active) return fail('unauthorized', 'The session has ended: sign in again.');
  if (user.role !== 'clinician') return fail('forbidden', `Your role (${ROLE_LABELS[user.role]}) may not ${verb} a double check: a clinician must.`);
  return ok(v);
}

async function decide(
  ctx: HandlerContext,
  id: number,
  password: string,
  verb: 'verify' | 'reject',
  rejectReason: string | null,
): Promise<Result<EntryVerification>> {
  const first = decidable(ctx, id, verb);
  if (!first.ok) return first;
  const confirmed = await confirmSigner(ctx, password, verb);
  if (!confirmed.ok) return confirmed;
  const user = confirmed.value;
  return ctx.store.write(() => {
    const again = decidable(ctx, id, verb); // decided meanwhile by someone else?
    if (!again.ok) return again;
    const repo = verificationRepository(ctx.store);
    const before = again.value;
    const state = verb === 'verify' ? 'verified' : 'rejected';
    if (!repo.decide(id, { state, by: { userId: user.id, name: user.displayName, role: user.role }, atMs: ctx.now(), rejectReason })) {
      return fail('conflict', 'This double check was decided meanwhile: reload the record.', 'id');
    }
    const after = repo.get(id)!;
    ctx.audit.record({
      action: verb,
      entity: after.kind,
      entityId: after.entryId,
      patientId: after.patientId,
      before,
      after,
      detail: {
        verificationId: id,
        recordedBy: after.requestedBy,
        recordedAtMs: after.requestedAtMs,
        decidedBy: after.decidedBy,
        decidedAtMs: after.decidedAtMs,
        ...(rejectReason === null ? {} : { reason: rejectReason }),
      },
    });
    return ok(after);
  });
}

export function verifyEntry(ctx: HandlerContext, input: z.output<typeof verificationVerifyInput>): Promise<Result<EntryVerification>> {
  return decide(ctx, input.id, input.password, 'verify', null);
}

export function rejectEntry(ctx: HandlerContext, input: z.output<typeof verificationRejectInput>): Promise<Result<EntryVerification>> {
  return decide(ctx, input.id, input.password, 'reject', input.reason.trim());
}

/** The entries awaiting a check (oldest first) and how many there are. */
export function awaitingVerifications(ctx: HandlerContext, input: z.output<typeof verificationListInput>): Result<{ total: number; entries: AwaitingVerification[] }> {
  const repo = verificationRepository(ctx.store);
  return ok({ total: repo.awaitingCount(), entries: repo.awaiting(input.limit ?? 100) });
}
