/**
 * Signing refill visits, removals and therapy reversals, and reading their signatures and
 * amendments for the patient record (amending: `amend.ts`).
 */
import type { z } from 'zod';
import type { PumpHistory } from '../../../../shared/contract/record';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import {
  DEFAULT_MEANINGS,
  ENTRY_LABELS,
  type AmendedValue,
  type Amendment,
  type EntryAttestation,
  type EntrySignature,
  type SignedEntryKind,
  type entrySignInput,
} from '../../../../shared/contract/signatures';
import type { HandlerContext } from '../../handler-types';
import { amendmentContent, sha256, signedContent, type Entry } from './content';
import { confirmSigner } from './confirm';
import { signatureRepository, type AmendmentRow, type SignatureRow } from './repository';

/** The entry and the patient it belongs to, or not_found naming `id`. */
export function loadEntry(ctx: HandlerContext, kind: SignedEntryKind, id: number): Result<{ entry: Entry; patientId: number }> {
  const record = ctx.store.record;
  const missing = fail('not_found', `There is no ${ENTRY_LABELS[kind]} with id ${id}.`, 'id');
  let entry: Entry | null = null;
  switch (kind) {
    case 'refill': {
      const refill = record.refill(id);
      entry = refill && { kind, value: refill };
      break;
    }
    case 'removal':
    case 'reversal': {
      const pumpId = signatureRepository(ctx.store).pumpOf(kind, id);
      if (pumpId === null) return missing;
      if (kind === 'removal') {
        const removal = record.removal(pumpId);
        entry = removal && { kind, value: removal };
      } else {
        // A pump restarted after a reversal may be reversed again: the reversal by its own id.
        const reversal = record.reversalById(id);
        entry = reversal && { kind, value: reversal };
      }
      break;
    }
  }
  if (entry === null) return missing;
  const pump = record.pump(entry.value.pumpId);
  if (!pump) return missing;
  return ok({ entry, patientId: pump.patientId });
}

function toSignature(row: SignatureRow, intact: boolean): EntrySignature {
  return {
    id: row.id,
    kind: row.entry_kind,
    entryId: row.entry_id,
    userId: row.user_id,
    printedName: row.printed_name,
    role: row.role,
    meaning: row.meaning,
    signedAtMs: row.signed_at_ms,
    intact,
  };
}

function toAmendment(row: AmendmentRow, signature: SignatureRow | undefined): Amendment {
  const before = JSON.parse(row.before_json) as Record<string, AmendedValue>;
  const after = JSON.parse(row.after_json) as Record<string, AmendedValue>;
  return {
    id: row.id,
    kind: row.entry_kind,
    entryId: row.entry_id,
    changes: Object.keys(after).map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null })),
    reason: row.reason,
    userId: row.user_id,
    printedName: row.printed_name,
    role: row.role,
    atMs: row.at_ms,
    signature: signature ? toSignature(signature, signature.content_sha256 === sha256(amendmentContent(row))) : null,
  };
}

/** The signatures and amendments of these entries (only those that have any). */
export function attestationsOf(ctx: HandlerContext, entries: readonly Entry[]): EntryAttestation[] {
  const repo = signatureRepository(ctx.store);
  const out: EntryAttestation[] = [];
  for (const kind of ['refill', 'removal', 'reversal'] as const) {
    const ofKind = entries.filter((e) => e.kind === kind);
    const ids = ofKind.map((e) => e.value.id);
    const signatures = new Map(repo.signaturesOf(kind, ids).map((s) => [s.entry_id, s]));
    const amendments = repo.amendmentsOf(kind, ids);
    const amendmentSignatures = new Map(repo.signaturesOf('amendment', amendments.map((a) => a.id)).map((s) => [s.entry_id, s]));
    for (const entry of ofKind) {
      const sig = signatures.get(entry.value.id);
      const own = amendments.filter((a) => a.entry_id === entry.value.id);
      if (!sig && own.length === 0) continue;
      out.push({
        kind,
        entryId: entry.value.id,
        signature: sig ? toSignature(sig, sig.content_sha256 === sha256(signedContent(entry))) : null,
        amendments: own.map((a) => toAmendment(a, amendmentSignatures.get(a.id))),
      });
    }
  }
  return out;
}

/** Every refill, removal and reversal in these pump histories. */
export function entriesOf(pumps: readonly PumpHistory[]): Entry[] {
  const entries: Entry[] = [];
  for (const h of pumps) {
    for (const r of h.refills) entries.push({ kind: 'refill', value: r });
    if (h.removal) entries.push({ kind: 'removal', value: h.removal });
    for (const r of h.reversals) entries.push({ kind: 'reversal', value: r });
  }
  return entries;
}

/** For the patient record: the signatures and amendments of the entries in these pump histories. */
export function recordAttestations(ctx: HandlerContext, pumps: readonly PumpHistory[]): EntryAttestation[] {
  return attestationsOf(ctx, entriesOf(pumps));
}

/** The signature and amendments of one entry (empty when it has none). */
export function attestation(ctx: HandlerContext, entry: Entry): EntryAttestation {
  return attestationsOf(ctx, [entry])[0] ?? { kind: entry.kind, entryId: entry.value.id, signature: null, amendments: [] };
}

const signedAt = (row: SignatureRow) => new Date(row.signed_at_ms).toISOString().slice(0, 16).replace('T', ' ');

function alreadySigned(kind: SignedEntryKind, row: SignatureRow): Result<never> {
  return fail(
    'conflict',
    `This ${ENTRY_LABELS[kind]} is already signed by ${row.printed_name} (${signedAt(row)} UTC). A signed entry is not signed again: record an amendment to correct it.`,
    'id',
  );
}

export async function signEntry(ctx: HandlerContext, input: z.output<typeof entrySignInput>): Promise<Result<EntryAttestation>> {
  const repo = signatureRepository(ctx.store);
  // What can be refused without the password is refused first: no attempt is spent on it.
  const found = loadEntry(ctx, input.kind, input.id);
  if (!found.ok) return found;
  const existing = repo.signature(input.kind, input.id);
  if (existing) return alreadySigned(input.kind, existing);

  const signer = await confirmSigner(ctx, input.password, 'sign');
  if (!signer.ok) return signer;
  const user = signer.value;
  return ctx.store.write(() => {
    const loaded = loadEntry(ctx, input.kind, input.id);
    if (!loaded.ok) return loaded;
    const again = repo.signature(input.kind, input.id);
    if (again) return alreadySigned(input.kind, again);
    const { entry, patientId } = loaded.value;
    const row = repo.insertSignature({
      kind: input.kind,
      entryId: input.id,
      userId: user.id,
      printedName: user.displayName,
      role: user.role,
      meaning: input.meaning ?? DEFAULT_MEANINGS[input.kind],
      signedAtMs: ctx.now(),
      contentSha256: sha256(signedContent(entry)),
    });
    ctx.audit.record({
      action: 'sign',
      entity: input.kind,
      entityId: input.id,
      patientId,
      after: toSignature(row, true),
      detail: { meaning: row.meaning, contentSha256: row.content_sha256 },
    });
    return ok(attestation(ctx, entry));
  });
}
