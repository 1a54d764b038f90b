/**
 * What a signature covers: each entry's content as a fixed list of fields (so a field added to
 * the contract later does not change what was signed), hashed with SHA-256; and the amendable
 * values of an entry as they stand after its amendments.
 */
import { createHash } from 'node:crypto';
import { amendableValues, applyAmendments, type AmendedValue, type SignedEntry } from '../../../../shared/contract/signatures';
import type { AmendmentRow } from './repository';

/** A refill visit, removal or reversal as read from the record. */
export type Entry = SignedEntry;

/** The fields a signature covers, in a fixed order. */
export function signedContent(entry: Entry): unknown {
  switch (entry.kind) {
    case 'refill': {
      const r = entry.value;
      return {
        kind: 'refill',
        id: r.id,
        pumpId: r.pumpId,
        date: r.date,
        withdrawnUl: r.withdrawnUl,
        addedUl: r.addedUl,
        mode: r.mode,
        extraVolumeUlPerDay: r.extraVolumeUlPerDay,
        reservoirPortConfirmed: r.reservoirPortConfirmed,
        clinician: r.clinician,
        note: r.note,
        drugs: r.drugs.map((d) => ({
          drugId: d.drugId,
          unit: d.unit,
          concentrationNgPerMl: d.concentrationNgPerMl,
          dailyDoseNgPerDay: d.dailyDoseNgPerDay,
          lot: d.lot,
          expiryDate: d.expiryDate,
        })),
        expectedResidualUl: r.expectedResidualUl,
        discrepancyUl: r.discrepancyUl,
        discrepancyPct: r.discrepancyPct,
        discrepancyFlag: r.discrepancyFlag,
        alarmDate: r.alarmDate,
        emptyDate: r.emptyDate,
        nextDueDate: r.nextDueDate,
        nextDueRule: r.nextDueRule,
        // Signed when given; left out when null, so what was signed before it existed still verifies.
        ...(r.overrideReason === null ? {} : { overrideReason: r.overrideReason }),
      };
    }
    case 'removal': {
      const r = entry.value;
      return {
        kind: 'removal',
        id: r.id,
        pumpId: r.pumpId,
        date: r.date,
        reasons: r.reasons,
        catheterRemoved: r.catheterRemoved,
        disposition: r.disposition,
        replacementPumpId: r.replacementPumpId,
        note: r.note,
        clinician: r.clinician,
      };
    }
    case 'reversal': {
      const r = entry.value;
      return { kind: 'reversal', id: r.id, pumpId: r.pumpId, date: r.date, reversalKind: r.kind, plan: r.plan, outcome: r.outcome, note: r.note, clinician: r.clinician };
    }
  }
}

/** What an amendment's signature covers: the stored row as written. */
export function amendmentContent(a: AmendmentRow): unknown {
  return {
    kind: 'amendment',
    id: a.id,
    entryKind: a.entry_kind,
    entryId: a.entry_id,
    before: a.before_json,
    after: a.after_json,
    reason: a.reason,
    userId: a.user_id,
    printedName: a.printed_name,
    role: a.role,
    atMs: a.at_ms,
  };
}

export function sha256(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The amendable fields as they stand after the amendments (oldest first) of this entry. */
export function currentValues(entry: Entry, amendments: readonly AmendmentRow[]): Record<string, AmendedValue> {
  return applyAmendments(
    amendableValues(entry),
    amendments.map((a) => JSON.parse(a.after_json) as Record<string, AmendedValue>),
  );
}

export const sameValue = (a: AmendedValue | undefined, b: AmendedValue | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

