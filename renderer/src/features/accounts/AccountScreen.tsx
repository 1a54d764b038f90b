import { useState, type FormEvent } from 'react';
import { changePasswordInput, PASSWORD_MIN_LENGTH } from '../../../../shared/contract/accounts';
import { ROLE_LABELS } from '../../../../shared/contract/roles';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { useSession } from './session';

/** The signed-in user's own account: who they are, and changing their password. */
export function AccountScreen() {
  const { user } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = changePasswordInput.safeParse({ currentPassword, newPassword });
    const found = parsed.success ? {} : firstErrors(parsed.error.issues);
    if (newPassword !== repeat) found.repeat = 'The two new passwords differ.';
    setErrors(found);
    if (!parsed.success || newPassword !== repeat) return setMessage({ ok: false, text: 'Please correct the fields marked below.' });
    const r = await call('session.changePassword', parsed.data);
    setCurrent('');
    if (!r.ok) {
      setErrors(r.error.field ? { [r.error.field]: r.error.message } : {});
      return setMessage({ ok: false, text: r.error.message });
    }
    setNew('');
    setRepeat('');
    setMessage({ ok: true, text: 'Password changed. Your sessions in other windows or browsers have ended.' });
  }
  const err = (name: string) => (errors[name] ? <span className="field-error">{errors[name]}</span> : null);

  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">My account</h2>
      {user && (
        <p>
          {user.displayName} — username <strong>{user.username}</strong>, {ROLE_LABELS[user.role]}.
        </p>
      )}
      <form className="card form" onSubmit={submit} aria-labelledby="change-password-title" noValidate>
        <h3 id="change-password-title">Change password</h3>
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={`banner ${message.ok ? 'banner-ok' : 'banner-error'}`}>
            {message.text}
          </p>
        )}
        <div className="grid">
          <label>
            Current password
            <input type="password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" aria-invalid={!!errors.currentPassword} />
            {err('currentPassword')}
          </label>
          <label>
            New password (at least {PASSWORD_MIN_LENGTH} characters)
            <input type="password" value={newPassword} onChange={(e) => setNew(e.target.value)} autoComplete="new-password" aria-invalid={!!errors.newPassword} />
            {err('newPassword')}
          </label>
          <label>
            Repeat the new password
            <input type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" aria-invalid={!!errors.repeat} />
            {err('repeat')}
          </label>
        </div>
        <div className="actions">
          <button type="submit">Change password</button>
        </div>
      </form>
    </section>
  );
}
