/**
 * Asking for an independent double check when an entry is saved (issue 17, item 3). Called by the
 * record's write handlers in the entry's own transaction, after the entry is saved: the entry and
 * its check commit together or not at all.
 *
 * Only entries recorded by a signed-in user are checked: an import (the command line) carries
 * history already given, and the demo seed makes its one awaiting entry itself (demo.ts).
 */
import type { MassUnitName } from '../../../../shared/contract/quantities';
import type { EntryVerification, VerificationPerson, VerifiedEntryKind } from '../../../../shared/contract/verifications';
import { describeDoseChange } from '../../../../shared/domain/dose-change';
import { doubleCheckReasons, type DrugDose } from '../../../../shared/domain/double-check';
import type { MassUnit, NgPerDay } from '../../../../shared/domain/units';
import type { HandlerContext } from '../../handler-types';
import { recorderOf } from '../record/recorded-by';
import { pumpTimeline } from '../record/timeline';
import { verificationRepository } from './repository';

export interface DrugDoseWithUnit extends DrugDose {
  unit: MassUnitName;
}

/** Every drug's daily dose in effect on the pump now (empty: nothing infusing — no fill yet, or off after a reversal). */
export function dosesInEffect(ctx: HandlerContext, pumpId: number): DrugDoseWithUnit[] {
  const { record } = ctx.store;
  const pump = record.pump(pumpId);
  if (!pump || pump.status === 'off') return [];
  const steps = pumpTimeline(record.refills(pumpId), record.doseChanges(pumpId));
  const last = steps.ok ? steps.value.at(-1) : undefined;
  if (!last) return [];
  return last.prescription.drugs.map((d) => ({ drug: d.name, unit: d.unit, dailyDoseNgPerDay: d.dailyDoseNgPerDay }));
}

export interface SavedEntry {
  kind: VerifiedEntryKind;
  entryId: number;
  pumpId: number;
  before: readonly DrugDoseWithUnit[];
  after: readonly DrugDoseWithUnit[];
  overrideReason: string | null;
}

/** "Morphine 5 → 6 mg/day" for every drug of the entry (from 0 when it was not infusing). */
export function entrySummary(entry: Pick<SavedEntry, 'before' | 'after'>): string {
  const before = new Map(entry.before.map((d) => [d.drug.toLowerCase(), d.dailyDoseNgPerDay]));
  return describeDoseChange({
    drugs: entry.after.map((d) => ({
      name: d.drug,
      unit: d.unit as MassUnit,
      beforeNgPerDay: (before.get(d.drug.toLowerCase()) ?? 0) as NgPerDay,
      afterNgPerDay: d.dailyDoseNgPerDay as NgPerDay,
      typed: false,
    })),
  });
}

/**
 * Saves an awaiting double check for `entry` when the clinic's rules ask for one (and the recorder
 * is a signed-in user), audited; null when none is needed.
 */
export function requestDoubleCheck(ctx: HandlerContext, entry: SavedEntry): EntryVerification | null {
  const recorder = recorderOf(ctx);
  if (recorder === null || recorder.userId === null) return null;
  return saveDoubleCheck(ctx, entry, recorder);
}

/**
 * Saves an awaiting double check for `entry` recorded by `recorder` when the rules ask for one,
 * audited; null when none is needed. The demo seed calls it for its demo clinician (no account:
 * any clinician may verify it).
 */
export function saveDoubleCheck(ctx: HandlerContext, entry: SavedEntry, recorder: VerificationPerson): EntryVerification | null {
  const reasons = doubleCheckReasons(entry, ctx.store.catalog.settings());
  if (reasons.length === 0) return null;
  const verification = verificationRepository(ctx.store).insert({
    kind: entry.kind,
    entryId: entry.entryId,
    pumpId: entry.pumpId,
    reasons,
    summary: entrySummary(entry),
    requestedBy: recorder,
    requestedAtMs: ctx.now(),
  });
  ctx.audit.record({
    action: 'verification_request',
    entity: entry.kind,
    entityId: entry.entryId,
    patientId: verification.patientId,
    after: verification,
    detail: { reasons, summary: verification.summary },
  });
  return verification;
}
