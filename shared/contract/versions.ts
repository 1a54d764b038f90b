import { z } from 'zod';

/**
 * Several people at once (issue 14, item 4): an edit carries the version of the record it was based
 * on, and a clinical entry on a pump the state of the pump its form saw — both required from a
 * client (contract version 2), so no client skips the lost-update check by leaving them out. A stale one is refused
 * (`conflict`) with who changed it and when, and (for edits) the current values; nothing is written.
 *
 * A record's version is the sequence number (`seq`) of the latest audit entry that changed it (0:
 * never changed since it was made by the installation). Every edit through the console writes its
 * audit entry in the same transaction (dispatch), so the audit trail knows who changed it last and
 * when, without a second copy of that in every table (`electron/services/store/versions.ts`).
 */
export const basedOn = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required: the version of the record the change was based on, as read' : 'must be the version the change was based on (a whole number)') })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be 0 or more' });

/**
 * A pump's state as a form saw it: the newest refill (a restart's fill included), dose change,
 * therapy reversal and removal of the pump, as `r<id>.d<id>.v<id>.x<id>` (0: none). Opaque to the
 * renderer: it takes it from the record or a preview and sends it back with the entry.
 */
export const PUMP_STATE = /^r\d{1,15}\.d\d{1,15}\.v\d{1,15}\.x\d{1,15}$/;
export const pumpState = z.string({ error: (issue) => (issue.input === undefined ? 'is required: the pump state the form was opened on (PumpHistory.state)' : 'must be the pump state the form was opened on') }).regex(PUMP_STATE, { error: 'must be the pump state the form was opened on (r<id>.d<id>.v<id>.x<id>)' });

/** A record as read for editing: its values and the version to send back as `basedOn`. */
export type Versioned<T> = T & { version: number };

/** What a refused stale edit answers (in `AppError.conflict`): who changed it last, when, and the values now. */
export interface ConflictDetail {
  /** The version to base the change on now (send it as `basedOn` to make the change again). */
  version: number;
  /** The display name of who changed it (or `cli:<os user>`, `system`); null when no one has since the installation. */
  changedBy: string | null;
  changedAtMs: number | null;
  /** The record as it is now (an edit's refusal); null for a clinical entry's refusal (the record is reloaded). */
  current: unknown;
}
