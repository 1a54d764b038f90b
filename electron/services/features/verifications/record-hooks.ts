/**
 * The record's write handlers wrap refills, restarts and dose changes with these: they read the
 * doses in effect before the write, run it, and when it succeeded ask for a double check of the
 * saved entry (request.ts) in the same transaction. A restart's fill is a refill whose "before" is
 * nothing (the pump was off), so restarting an opioid is an increase from zero, as is a new pump's
 * first fill.
 */
import type { DoseChange, Refill } from '../../../../shared/contract/record';
import type { Result } from '../../../../shared/contract/result';
import type { EntryVerification } from '../../../../shared/contract/verifications';
import type { HandlerContext } from '../../handler-types';
import { dosesInEffect, requestDoubleCheck } from './request';

export const withDoubleCheck = {
  refill<T extends { refill: Refill }>(ctx: HandlerContext, pumpId: number, write: () => Result<T>): Result<T & { verification: EntryVerification | null }> {
    const before = dosesInEffect(ctx, pumpId);
    const done = write();
    if (!done.ok) return done;
    const { refill } = done.value;
    const verification = requestDoubleCheck(ctx, {
      kind: 'refill',
      entryId: refill.id,
      pumpId: refill.pumpId,
      before,
      after: refill.drugs.map((d) => ({ drug: d.drug, unit: d.unit, dailyDoseNgPerDay: d.dailyDoseNgPerDay })),
      overrideReason: refill.overrideReason,
    });
    return { ok: true, value: { ...done.value, verification } };
  },

  doseChange<T extends { doseChange: DoseChange }>(ctx: HandlerContext, pumpId: number, write: () => Result<T>): Result<T & { verification: EntryVerification | null }> {
    const before = dosesInEffect(ctx, pumpId);
    const done = write();
    if (!done.ok) return done;
    const { doseChange } = done.value;
    const after = dosesInEffect(ctx, pumpId);
    const verification = requestDoubleCheck(ctx, {
      kind: 'dose_change',
      entryId: doseChange.id,
      pumpId: doseChange.pumpId,
      before,
      after,
      overrideReason: doseChange.overrideReason,
    });
    return { ok: true, value: { ...done.value, verification } };
  },
};
