import type { Versioned } from '../../../../shared/contract/versions';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { userCreateInput, PASSWORD_MIN_LENGTH, type User, type UsersOverview } from '../../../../shared/contract/accounts';
import { ROLES, ROLE_LABELS, type Role } from '../../../../shared/contract/roles';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { useSession } from './session';
import './accounts.css';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TokensSection } from './TokensSection';

/** Users and access settings, for administrators (main refuses these requests to other roles). */
export function UsersScreen() {
  const [overview, setOverview] = useState<UsersOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const load = useCallback(() => {
    void call('users.list', {}).then((r) => (r.ok ? setOverview(r.value) : setError(r.error.message)));
  }, []);
  useEffect(load, [load]);

  const done = (message: string) => {
    setStatus(message);
    setError(null);
    load();
  };

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <ErrorBanner message={error} />
      {status && (
        <p role="status" className="banner banner-ok">
          {status}
        </p>
      )}
      {overview && (
        <UserTable
          users={overview.users}
          onDone={done}
          onError={(m, reload) => {
            setError(m);
            if (reload) load();
          }}
        />
      )}
      <NewUserForm onDone={done} />
      {overview && <AccessForm minutes={overview.access.sessionLockMinutes} version={overview.access.version} onDone={done} onStale={load} />}
      <TokensSection />
    </section>
  );
}

function UserTable({ users, onDone, onError }: { users: Versioned<User>[]; onDone(m: string): void; onError(m: string, reload?: boolean): void }) {
  const { user: me } = useSession();
  const [resetFor, setResetFor] = useState<User | null>(null);
  /** A change that ends the user's sessions, waiting for the administrator to confirm it. */
  const [pending, setPending] = useState<PendingChange | null>(null);
  async function update(u: Versioned<User>, change: { role?: Role; active?: boolean }, message: string) {
    // Based on the user as listed: someone else's change since is refused (the list is read again).
    const r = await call('users.update', { id: u.id, ...change, basedOn: u.version });
    if (r.ok) onDone(message);
    else onError(r.error.message, r.error.conflict !== undefined);
  }
  async function unlock(u: User) {
    const r = await call('users.unlock', { id: u.id });
    if (r.ok) onDone(`${u.username} is unlocked: they can sign in with their password again.`);
    else onError(r.error.message);
  }
  const isLocked = (u: User) => u.lockedUntilMs !== null && u.lockedUntilMs > Date.now();
  return (
    <div className="card">
      <table className="list" aria-label="Users">
        <thead>
          <tr>
            <th>Username</th>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-username={u.username}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <label>
                  <span className="visually-hidden">Role of {u.username}</span>
                  <select
                    value={pending?.user.id === u.id && pending.change.role ? pending.change.role : u.role}
                    onChange={(e) => {
                      const role = e.target.value as Role;
                      if (role === u.role) return setPending(null);
                      setPending({
                        user: u,
                        change: { role },
                        question: `Change ${u.username} from ${ROLE_LABELS[u.role]} to ${ROLE_LABELS[role]}? Their sessions end now and they sign in again with the new role.`,
                        confirm: 'Change role',
                        message: `${u.username} is now ${ROLE_LABELS[role]}; their sessions ended.`,
                      });
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABELS[r]}
                      </option>
                    ))}
                  </select>
                </label>
              </td>
              <td>
                {!u.active ? 'Deactivated' : isLocked(u) ? 'Locked after failed sign-ins' : 'Active'}
                {me?.id === u.id && ' (you)'}
              </td>
              <td className="actions">
                {isLocked(u) && (
                  <button type="button" className="secondary" onClick={() => void unlock(u)} aria-label={`Unlock ${u.username}`}>
                    Unlock
                  </button>
                )}
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    u.active
                      ? setPending({
                          user: u,
                          change: { active: false },
                          question: `Deactivate ${u.username}? They can no longer sign in, and their sessions end now. Their entries and signatures stay in the record.`,
                          confirm: 'Deactivate',
                          message: `${u.username} deactivated; their sessions ended.`,
                        })
                      : void update(u, { active: true }, `${u.username} reactivated.`)
                  }
                >
                  {u.active ? 'Deactivate' : 'Reactivate'}
                </button>
                <button type="button" className="secondary" onClick={() => setResetFor(u)}>
                  Reset password
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pending && (
        <ConfirmChange
          pending={pending}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            void update(pending.user, pending.change, pending.message);
          }}
        />
      )}
      {resetFor && <ResetPasswordForm user={resetFor} onCancel={() => setResetFor(null)} onDone={(m) => (setResetFor(null), onDone(m))} />}
    </div>
  );
}

interface PendingChange {
  user: Versioned<User>;
  change: { role?: Role; active?: boolean };
  question: string;
  confirm: string;
  message: string;
}

/** Asks before a change that ends a user's sessions; Escape or Cancel leaves everything as it was. */
function ConfirmChange({ pending, onCancel, onConfirm }: { pending: PendingChange; onCancel(): void; onConfirm(): void }) {
  return (
    <ConfirmDialog
      label={`Confirm: ${pending.confirm} ${pending.user.username}`}
      question={pending.question}
      confirmLabel={pending.confirm}
      cancelLabel="Cancel"
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}

function ResetPasswordForm({ user, onCancel, onDone }: { user: User; onCancel(): void; onDone(m: string): void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await call('users.resetPassword', { id: user.id, password });
    if (r.ok) onDone(`New password set for ${user.username}; their sessions ended and any lockout is lifted.`);
    else setError(r.error.message);
  }
  return (
    <form className="form" onSubmit={submit} aria-label={`Reset the password of ${user.username}`} noValidate>
      <ErrorBanner message={error} />
      <label>
        New password for {user.username} (at least {PASSWORD_MIN_LENGTH} characters)
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" autoFocus />
      </label>
      <div className="toolbar">
        <button type="submit">Set password</button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function NewUserForm({ onDone }: { onDone(m: string): void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = userCreateInput.safeParse({ username, displayName, role, password });
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      return;
    }
    const r = await call('users.create', parsed.data);
    if (!r.ok) {
      setErrors(r.error.field ? { [r.error.field]: r.error.message } : {});
      setFormError(r.error.message);
      return;
    }
    setUsername('');
    setDisplayName('');
    setPassword('');
    setErrors({});
    setFormError(null);
    onDone(`User ${r.value.username} created (${ROLE_LABELS[r.value.role]}).`);
  }
  const err = (name: string) => (errors[name] ? <span className="field-error">{errors[name]}</span> : null);
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="new-user-title" noValidate>
      <h3 id="new-user-title">New user</h3>
      <ErrorBanner message={formError} />
      <div className="grid">
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} aria-invalid={!!errors.username} autoComplete="off" />
          {err('username')}
        </label>
        <label>
          Full name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} aria-invalid={!!errors.displayName} />
          {err('displayName')}
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password (at least {PASSWORD_MIN_LENGTH} characters)
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={!!errors.password} autoComplete="new-password" />
          {err('password')}
        </label>
      </div>
      <button type="submit">Create user</button>
    </form>
  );
}

function AccessForm({ minutes, version, onDone, onStale }: { minutes: number; version: number; onDone(m: string): void; onStale(): void }) {
  const [value, setValue] = useState(String(minutes));
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await call('access.update', { sessionLockMinutes: Number(value), basedOn: version });
    if (r.ok) onDone(`The console now locks after ${r.value.sessionLockMinutes} minutes without activity.`);
    else {
      // Someone else changed it first: the message says who and the value now; the typed value stays.
      const now = (r.error.conflict?.current as { sessionLockMinutes?: number } | undefined)?.sessionLockMinutes;
      setError(now === undefined ? r.error.message : `${r.error.message} Now: ${now} minutes.`);
      if (r.error.conflict) onStale();
    }
  }
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="access-title" noValidate>
      <h3 id="access-title">Sign-in</h3>
      <p>
        After 5 wrong passwords (at sign-in, at the lock screen or when signing an entry) an account is locked for 15 minutes, even for
        the right password, or until an administrator unlocks it here (Unlock, or a password reset). A role change,
        deactivation or password reset ends that user&apos;s sessions.
      </p>
      <ErrorBanner message={error} />
      <label>
        Lock the console after (minutes without activity)
        <input type="number" min={1} max={240} value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit">Save</button>
    </form>
  );
}
