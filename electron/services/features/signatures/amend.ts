/** Amending a refill visit, removal or reversal: the original stays; the amendment is linked and signed. */
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { AMENDMENT_MEANINGS, ENTRY_LABELS, type AmendedValue, type EntryAmendInput, type EntryAttestation, type SignedEntryKind } from '../../../../shared/contract/signatures';
import type { HandlerContext } from '../../handler-types';
import { confirmSigner } from './confirm';
import { amendmentContent, currentValues, sameValue, sha256, type Entry } from './content';
import { signatureRepository } from './repository';
import { attestation, loadEntry } from './service';

/** The amended fields (dotted paths) the input asks for, before any comparison. */
function requestedValues(input: EntryAmendInput): Record<string, AmendedValue> {
  const out: Record<string, AmendedValue> = {};
  const put = (field: string, value: AmendedValue | undefined) => {
    if (value !== undefined) out[field] = value;
  };
  switch (input.kind) {
    case 'refill':
      put('note', input.changes.note);
      put('clinician', input.changes.clinician);
      for (const d of input.changes.drugs ?? []) {
        put(`drugs.${d.position}.lot`, d.lot);
        put(`drugs.${d.position}.expiryDate`, d.expiryDate);
      }
      break;
    case 'removal':
      put('note', input.changes.note);
      put('clinician', input.changes.clinician);
      put('reasons', input.changes.reasons);
      put('catheterRemoved', input.changes.catheterRemoved);
      put('disposition', input.changes.disposition);
      break;
    case 'reversal':
      put('note', input.changes.note);
      put('clinician', input.changes.clinician);
      put('plan', input.changes.plan);
      put('outcome', input.changes.outcome);
      put('kind', input.changes.reversalKind);
      break;
  }
  return out;
}

/** The input's field name for an amended path (`kind` of a reversal is `reversalKind`). */
const inputField = (kind: SignedEntryKind, path: string): string => {
  if (kind === 'reversal' && path === 'kind') return 'changes.reversalKind';
  const drug = /^drugs\.(\d+)\.(lot|expiryDate)$/.exec(path);
  return drug ? `changes.drugs` : `changes.${path}`;
};

/** The before and after of the fields that really change, or a refusal naming the field. */
function amendmentDiff(ctx: HandlerContext, entry: Entry, input: EntryAmendInput): Result<{ before: Record<string, AmendedValue>; after: Record<string, AmendedValue> }> {
  const current = currentValues(entry, signatureRepository(ctx.store).amendmentsOf(entry.kind, [entry.value.id]));
  const before: Record<string, AmendedValue> = {};
  const after: Record<string, AmendedValue> = {};
  for (const [field, value] of Object.entries(requestedValues(input))) {
    if (!(field in current)) {
      const position = /^drugs\.(\d+)\./.exec(field)?.[1];
      return fail('not_found', `This refill visit has no drug at position ${position ?? field}.`, inputField(input.kind, field));
    }
    if (sameValue(current[field], value)) continue;
    before[field] = current[field] ?? null;
    after[field] = value;
  }
  if (Object.keys(after).length === 0) {
    return fail('refused', `The amendment changes nothing: every value given is already what the ${ENTRY_LABELS[input.kind]} says.`, 'changes');
  }
  return ok({ before, after });
}

export async function amendEntry(ctx: HandlerContext, input: EntryAmendInput): Promise<Result<EntryAttestation>> {
  const repo = signatureRepository(ctx.store);
  const found = loadEntry(ctx, input.kind, input.id);
  if (!found.ok) return found;
  const planned = amendmentDiff(ctx, found.value.entry, input);
  if (!planned.ok) return planned;

  const signer = await confirmSigner(ctx, input.password, 'amend');
  if (!signer.ok) return signer;
  const user = signer.value;
  return ctx.store.write(() => {
    const loaded = loadEntry(ctx, input.kind, input.id);
    if (!loaded.ok) return loaded;
    const { entry, patientId } = loaded.value;
    const diff = amendmentDiff(ctx, entry, input); // again, inside the transaction
    if (!diff.ok) return diff;
    const at = ctx.now();
    const row = repo.insertAmendment({
      kind: input.kind,
      entryId: input.id,
      before: diff.value.before,
      after: diff.value.after,
      reason: input.reason,
      userId: user.id,
      printedName: user.displayName,
      role: user.role,
      atMs: at,
    });
    const sig = repo.insertSignature({
      kind: 'amendment',
      entryId: row.id,
      userId: user.id,
      printedName: user.displayName,
      role: user.role,
      meaning: AMENDMENT_MEANINGS[input.kind],
      signedAtMs: at,
      contentSha256: sha256(amendmentContent(row)),
    });
    ctx.audit.record({
      action: 'amend',
      entity: input.kind,
      entityId: input.id,
      patientId,
      before: diff.value.before,
      after: diff.value.after,
      detail: { reason: input.reason, amendmentId: row.id, signatureId: sig.id, meaning: sig.meaning },
    });
    return ok(attestation(ctx, entry));
  });
}
