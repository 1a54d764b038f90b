import { useState } from 'react';
import type { AppError, Result } from '../../../../shared/contract/result';
import type { ConflictDetail } from '../../../../shared/contract/versions';
import type { PumpHistory } from '../../../../shared/contract/record';
import { issuesToErrors, mainErrors, type Errors } from './fields';
import { commonField, type FieldMap } from './messages';
import { localDates } from '../../format';

/** How a form words and places messages: main's field names → its inputs, its choice fields' prompts. */
export interface SubmitOptions {
  toField?: FieldMap;
  /** Field path → message for a choice the schema refused ("Choose what was done: turned off, drained or weaned"). */
  choices?: Readonly<Record<string, string>>;
  /** Main refused a stale change (someone else saved first): what is there now (the banner says who and when). */
  onConflict?: (conflict: ConflictDetail) => void;
}

/** A zod `safeParse` answer: the input as main will take it, or the issues with their paths. */
export type Parsed<T> = { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };

export const INVALID_MESSAGE = 'Please correct the fields marked below. Nothing was saved.';

/**
 * The submit step every clinical form shares: the input checked with the schema main uses (field
 * messages before anything is sent), then sent once; main's refusal lands next to its field and in
 * the form's banner, and nothing is saved in part.
 */
export function useSubmit({ toField = commonField, choices = {}, onConflict }: SubmitOptions = {}) {
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  /** Shows the schema's issues; answers whether the input was valid. */
  function check<T>(parsed: Parsed<T>): parsed is { success: true; data: T } {
    if (parsed.success) return true;
    setErrors(issuesToErrors(parsed.error.issues, choices));
    setFormError(INVALID_MESSAGE);
    return false;
  }

  /** Shows main's refusal next to its field and in the banner. */
  function refused(error: AppError) {
    setErrors(mainErrors(error, toField));
    // No answer: whether it was saved is not known (the answer may be what was lost). The form keeps
    // every value; the record says what happened once the server is back.
    if (error.code === 'unreachable') setFormError(`${error.message} This was not confirmed as saved: when the server answers again, check the record, then save again if it is not there.`);
    else setFormError(`${localDates(error.message)} Nothing was saved.`);
    if (error.conflict) onConflict?.(error.conflict);
  }

  async function submit<T, R>(parsed: Parsed<T>, send: (data: T) => Promise<Result<R>>, onOk: (value: R) => void): Promise<void> {
    if (!check(parsed)) return;
    setSaving(true);
    const r = await send(parsed.data);
    setSaving(false);
    if (r.ok) onOk(r.value);
    else refused(r.error);
  }

  return { errors, formError, saving, setSaving, setErrors, setFormError, check, refused, submit };
}

/**
 * The pump's state as this form first saw it, sent as `pumpState` with the entry: an entry someone
 * else recorded on the pump since is named in the refusal, and nothing is saved (several people at
 * once). The record behind the form is read again meanwhile; after such a refusal the form takes the
 * state now, so saving again (once reviewed) is a deliberate second step.
 */
export function usePumpState(history: PumpHistory): { pumpState: string | undefined; onConflict: (c: ConflictDetail) => void } {
  const [pumpState, setPumpState] = useState(history.state);
  const onConflict = (c: ConflictDetail) => {
    const now = (c.current as { pumpState?: unknown } | null)?.pumpState;
    if (typeof now === 'string') setPumpState(now);
  };
  return { pumpState, onConflict };
}
