/**
 * Who recorded each clinical entry (issue 13, item 9).
 *
 * Every clinical entry — a pump's implant, a refill visit, a dose change, an event (adverse event,
 * MRI, interrogation, note), a therapy reversal, a removal — keeps who recorded it, as they were
 * then: the signed-in user's id, display name and role, taken from the request's session
 * (`ctx.actor`), never from the request (the contract's inputs are strict: a request naming a
 * recorder is refused). A caller without a session keeps its name: the command line
 * (`cli:<os user>`, an import), the demo (`system`).
 *
 * Entries recorded before this migration keep no recorder (shown as "recorded before this was
 * kept"). They are not filled in from the audit trail: an import or the demo leaves one audit entry
 * for thousands of rows (no row's recorder), and a signed refill, removal or reversal cannot be
 * updated at all (migration 5's triggers), so a backfill would name some old entries and not
 * others. The audit trail still answers who made each request.
 *
 * Not part of what a signature covers (`signatures/content.ts` keeps its fixed field list): the
 * recorder is set by Reservoir, never edited, and the signature names its own signer; signatures
 * made before this migration still verify.
 */
import type { Recorder } from '../../../../shared/contract/record';
import type { HandlerContext } from '../../handler-types';

/* The three columns on pumps, refills, dose_changes, events, reversals and removals: migration 10
 * (store/migrations/sqlite/0010-recorded-by.ts). */

/**
 * The recorder of an entry written in this request: the signed-in user as they are now (display
 * name and role read from the accounts), or the session-less caller's name. Null only without an
 * actor at all (requests made before signing in write nothing clinical).
 */
export function recorderOf(ctx: HandlerContext): Recorder | null {
  const actor = ctx.actor;
  if (actor === null) return null;
  if (actor.userId === null) return { userId: null, name: actor.username, role: null };
  const user = ctx.store.accounts.get(actor.userId);
  return { userId: actor.userId, name: user?.displayName ?? actor.username, role: user?.role ?? actor.role };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A row's recorder, from its three columns. */
export function recorderFromRow(r: Record<string, any>): Recorder | null {
  return r.recorded_by_name === null || r.recorded_by_name === undefined
    ? null
    : { userId: r.recorded_by_user_id ?? null, name: r.recorded_by_name, role: r.recorded_by_role ?? null };
}

/** The three columns' named parameters of a recorder. */
export const recorderParams = (r: Recorder | null) => ({
  recordedByUserId: r?.userId ?? null,
  recordedByName: r?.name ?? null,
  recordedByRole: r?.role ?? null,
});
