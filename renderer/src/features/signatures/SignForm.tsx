import { useState, type FormEvent } from 'react';
import { DEFAULT_MEANINGS, ENTRY_LABELS, entrySignInput, type EntryAttestation, type SignedEntryKind } from '../../../../shared/contract/signatures';
import { call } from '../../api/client';
import { useSession } from '../accounts/session';
import { FormCard, issuesToErrors, mainErrors, PasswordField, type Errors } from '../forms/fields';

/** Asks for the signer's password again; shows who signs and what the signature means. */
export function SignForm({ kind, entryId, onCancel, onSigned }: { kind: SignedEntryKind; entryId: number; onCancel(): void; onSigned(a: EntryAttestation): void }) {
  const { user } = useSession();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const fid = `sign-${kind}-${entryId}`;
  const meaning = DEFAULT_MEANINGS[kind];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = entrySignInput.safeParse({ kind, id: entryId, password });
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError('Enter your password to sign. Nothing was signed.');
      return;
    }
    setSaving(true);
    const r = await call('entries.sign', parsed.data);
    setSaving(false);
    setPassword('');
    if (r.ok) return onSigned(r.value);
    setErrors(mainErrors(r.error));
    setFormError(/nothing was signed/i.test(r.error.message) ? r.error.message : `${r.error.message} Nothing was signed.`);
  }

  return (
    <FormCard id={fid} title={`Sign this ${ENTRY_LABELS[kind]}`} error={formError} saving={saving} submitLabel="Sign" onSubmit={(e) => void submit(e)} onCancel={onCancel}>
      <p className="sign-meaning">
        Signing as <strong>{user?.displayName ?? 'you'}</strong>
        {user ? `, ${user.role}` : ''}. Meaning of the signature: <strong>{meaning}</strong>. A signed entry is never changed: a correction is an amendment.
      </p>
      <PasswordField formId={fid} errors={errors} value={password} onChange={setPassword} />
    </FormCard>
  );
}
