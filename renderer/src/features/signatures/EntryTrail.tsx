import { useState } from 'react';
import { amendedAfter, amendableValues, applyAmendments, type EntryAttestation, type SignedEntry } from '../../../../shared/contract/signatures';
import { useCan } from '../accounts/session';
import { AmendForm } from './AmendForm';
import { SignForm } from './SignForm';
import { fieldLabel, signatureText, valueText } from './labels';
import './signatures.css';

interface Props {
  entry: SignedEntry;
  attestation: EntryAttestation | undefined;
  timeZone: string | undefined;
  /** Called after a signature or amendment is saved (the record reloads). */
  onChanged(message: string): void;
}

const drugNames = (entry: SignedEntry): string[] => (entry.kind === 'refill' ? entry.value.drugs.map((d) => d.drug) : []);

/**
 * Under a refill visit, removal or reversal: its signature line (or "Not signed" with a Sign action
 * for clinicians), and its amendments, oldest first, each with who, when, why and before → after.
 * The entry itself is never edited here.
 */
export function EntryTrail({ entry, attestation, timeZone, onChanged }: Props) {
  const canSign = useCan('entries.sign');
  const canAmend = useCan('entries.amend');
  const [open, setOpen] = useState<'sign' | 'amend' | null>(null);
  const signature = attestation?.signature ?? null;
  const amendments = attestation?.amendments ?? [];
  const names = drugNames(entry);
  const current = applyAmendments(amendableValues(entry), amendments.map(amendedAfter));

  return (
    <div className="entry-trail">
      {signature ? (
        <p className="signature-line">
          {signatureText(signature, timeZone)}
          {!signature.intact && <span className="badge badge-overdue"> Content differs from what was signed</span>}
        </p>
      ) : (
        <p className="signature-line unsigned">Not signed</p>
      )}
      {amendments.length > 0 && (
        <ol className="amendments" aria-label="Amendments">
          {amendments.map((a) => (
            <li key={a.id} className="amendment">
              <p className="amendment-by">
                {a.signature ? signatureText(a.signature, timeZone, 'Amended') : `Amended by ${a.printedName}, ${a.role}`}
              </p>
              <p className="amendment-reason">Reason: {a.reason}</p>
              <ul className="amendment-changes">
                {a.changes.map((c) => (
                  <li key={c.field}>
                    {fieldLabel(c.field, names)}: <del>{valueText(c.before, c.field)}</del> → <ins>{valueText(c.after, c.field)}</ins>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {open === null && (canSign || canAmend) && (
        <div className="actions trail-actions">
          {canSign && !signature && (
            <button type="button" className="secondary" onClick={() => setOpen('sign')}>
              Sign
            </button>
          )}
          {canAmend && (
            <button type="button" className="secondary" onClick={() => setOpen('amend')}>
              Amend
            </button>
          )}
        </div>
      )}
      {open === 'sign' && (
        <SignForm
          kind={entry.kind}
          entryId={entry.value.id}
          onCancel={() => setOpen(null)}
          onSigned={() => {
            setOpen(null);
            onChanged('Signed.');
          }}
        />
      )}
      {open === 'amend' && (
        <AmendForm
          entry={entry}
          current={current}
          onCancel={() => setOpen(null)}
          onAmended={() => {
            setOpen(null);
            onChanged('Amendment saved; the original stays on the record.');
          }}
        />
      )}
    </div>
  );
}
