import { useState, type FormEvent } from 'react';
import { assertNever } from '../../../../shared/contract/result';
import { ROLE_LABELS } from '../../../../shared/contract/roles';
import {
  VERIFIED_ENTRY_LABELS,
  verificationRejectInput,
  verificationVerifyInput,
  type EntryVerification,
  type VerificationPerson,
} from '../../../../shared/contract/verifications';
import { DOUBLE_CHECK_REASON_LABELS } from '../../../../shared/domain/double-check';
import { call } from '../../api/client';
import { formatDateTime } from '../../format';
import { useCan, useSession } from '../accounts/session';
import { FormCard, issuesToErrors, mainErrors, PasswordField, TextAreaField, type Errors } from '../forms/fields';
import './verifications.css';

const person = (p: VerificationPerson) => `${p.name}${p.role ? ` (${ROLE_LABELS[p.role]})` : ''}`;

/** "Awaiting independent double check — recorded by NAME (Clinician) at TIME", "Verified by …", "Rejected by …: reason". */
export function verificationText(v: EntryVerification, timeZone: string | undefined): string {
  switch (v.state) {
    case 'awaiting':
      return `Awaiting independent double check — recorded by ${person(v.requestedBy)} at ${formatDateTime(v.requestedAtMs, timeZone)}`;
    case 'verified':
      return `Verified (independent double check) by ${person(v.decidedBy!)} at ${formatDateTime(v.decidedAtMs!, timeZone)} — recorded by ${person(v.requestedBy)}`;
    case 'rejected':
      return `Rejected by ${person(v.decidedBy!)} at ${formatDateTime(v.decidedAtMs!, timeZone)}: ${v.rejectReason ?? ''} — recorded by ${person(v.requestedBy)}. Record a correcting entry.`;
  }
  return assertNever(v.state, 'state');
}

export const RECORDER_NOTE = 'You recorded this; another clinician must verify it.';

/**
 * Under a refill or dose change that needed an independent double check: its state, why, and — for
 * a clinician other than the recorder — Verify and Reject, each with their password (the server
 * refuses the recorder whatever this shows).
 */
export function VerificationPanel({
  verification: v,
  timeZone,
  onChanged,
  actions = true,
}: {
  verification: EntryVerification;
  timeZone: string | undefined;
  onChanged(message: string): void;
  /** Offer Verify / Reject here (false where another place on the page offers them). */
  actions?: boolean;
}) {
  const { user } = useSession();
  const canDecide = useCan('verifications.verify');
  const [open, setOpen] = useState<'verify' | 'reject' | null>(null);
  const mine = user !== null && v.requestedBy.userId === user.id;
  return (
    <div className={`verification verification-${v.state}`} data-testid={`verification-${v.kind}-${v.entryId}`}>
      <p className="verification-line">
        {verificationText(v, timeZone)}
        <span className="verification-why"> ({v.reasons.map((r) => DOUBLE_CHECK_REASON_LABELS[r]).join(', ')}: {v.summary})</span>
      </p>
      {actions && v.state === 'awaiting' && mine && <p className="verification-mine">{RECORDER_NOTE}</p>}
      {actions && v.state === 'awaiting' && !mine && canDecide && open === null && (
        <div className="actions trail-actions">
          <button type="button" className="secondary" onClick={() => setOpen('verify')}>
            Verify
          </button>
          <button type="button" className="secondary" onClick={() => setOpen('reject')}>
            Reject
          </button>
        </div>
      )}
      {open !== null && (
        <DecideForm
          verification={v}
          verb={open}
          onCancel={() => setOpen(null)}
          onDone={(message) => {
            setOpen(null);
            onChanged(message);
          }}
        />
      )}
    </div>
  );
}

function DecideForm({ verification: v, verb, onCancel, onDone }: { verification: EntryVerification; verb: 'verify' | 'reject'; onCancel(): void; onDone(message: string): void }) {
  const { user } = useSession();
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const fid = `${verb}-${v.kind}-${v.entryId}`;
  const undone = verb === 'verify' ? 'Nothing was verified.' : 'Nothing was rejected.';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = verb === 'verify' ? verificationVerifyInput.safeParse({ id: v.id, password }) : verificationRejectInput.safeParse({ id: v.id, password, reason });
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError(`${verb === 'verify' ? 'Enter your password to verify.' : 'Give the reason and your password to reject.'} ${undone}`);
      return;
    }
    setSaving(true);
    const r = verb === 'verify' ? await call('verifications.verify', { id: v.id, password }) : await call('verifications.reject', { id: v.id, password, reason });
    setSaving(false);
    setPassword('');
    if (r.ok) return onDone(verb === 'verify' ? 'Verified: the double check is recorded.' : 'Rejected: the entry stays on the record, marked rejected. Record a correcting entry.');
    setErrors(mainErrors(r.error));
    setFormError(/nothing was/i.test(r.error.message) ? r.error.message : `${r.error.message} ${undone}`);
  }

  const what = VERIFIED_ENTRY_LABELS[v.kind];
  return (
    <FormCard
      id={fid}
      title={verb === 'verify' ? `Verify this ${what}` : `Reject this ${what}`}
      error={formError}
      saving={saving}
      submitLabel={verb === 'verify' ? 'Verify' : 'Reject'}
      onSubmit={(e) => void submit(e)}
      onCancel={onCancel}
    >
      <p className="sign-meaning">
        {verb === 'verify' ? 'Verifying' : 'Rejecting'} as <strong>{user?.displayName ?? 'you'}</strong>
        {user ? `, ${user.role}` : ''}: you have checked {v.summary} independently of {v.requestedBy.name}.
      </p>
      {verb === 'reject' && <TextAreaField formId={fid} errors={errors} name="reason" label="Reason for rejecting" value={reason} onChange={setReason} />}
      <PasswordField formId={fid} errors={errors} value={password} onChange={setPassword} />
    </FormCard>
  );
}
