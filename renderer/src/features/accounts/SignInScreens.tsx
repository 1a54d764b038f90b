import { useState, type FormEvent, type ReactNode } from 'react';
import type { SessionState, SessionUser } from '../../../../shared/contract/accounts';
import { PASSWORD_MIN_LENGTH, setupInput } from '../../../../shared/contract/accounts';
import { ROLE_LABELS } from '../../../../shared/contract/roles';
import type { Result } from '../../../../shared/contract/result';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { ErrorBanner } from '../../components/ErrorBanner';

interface Props {
  onState(state: SessionState): void;
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="signin">
      <h1 className="brand">Reservoir</h1>
      <section className="card form signin-card" aria-labelledby="signin-title">
        <h2 id="signin-title">{title}</h2>
        {children}
      </section>
    </div>
  );
}

function useSubmit(onState: (s: SessionState) => void) {
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(request: () => Promise<Result<SessionState>>) {
    setError(null);
    setBusy(true);
    const r = await request();
    setBusy(false);
    if (r.ok) onState(r.value);
    else setError(r.error);
  }
  return { error, setError, busy, run };
}

/** First run: no user exists yet. Creates the first administrator. */
export function SetupScreen({ onState }: Props) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { error, setError, busy, run } = useSubmit(onState);

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = setupInput.safeParse({ username, displayName, password });
    const found = parsed.success ? {} : firstErrors(parsed.error.issues);
    if (password !== repeat) found.repeat = 'The two passwords differ.';
    setErrors(found);
    if (!parsed.success || password !== repeat) {
      setError({ message: 'Please correct the fields marked below.' });
      return;
    }
    void run(() => call('session.setup', parsed.data));
  }
  const err = (name: string) => (errors[name] ? <span className="field-error">{errors[name]}</span> : null);

  return (
    <Panel title="Create the administrator">
      <p>
        This is a new clinic record. Create the first administrator: they add the other users (clinicians, staff, auditors) and
        choose the clinic&apos;s settings.
      </p>
      <ErrorBanner message={error?.message} />
      <form onSubmit={submit} noValidate>
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" aria-invalid={!!errors.username} autoFocus />
          {err('username')}
        </label>
        <label>
          Full name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" aria-invalid={!!errors.displayName} />
          {err('displayName')}
        </label>
        <label>
          Password (at least {PASSWORD_MIN_LENGTH} characters)
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" aria-invalid={!!errors.password} />
          {err('password')}
        </label>
        <label>
          Repeat the password
          <input type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" aria-invalid={!!errors.repeat} />
          {err('repeat')}
        </label>
        <button type="submit" disabled={busy}>
          Create administrator
        </button>
      </form>
    </Panel>
  );
}

export function LoginScreen({ onState }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useSubmit(onState);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const r = await call('session.login', { username, password });
      if (!r.ok) setPassword('');
      return r;
    });
  }
  return (
    <Panel title="Sign in">
      <ErrorBanner message={error?.message} />
      <form onSubmit={submit} noValidate>
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </label>
        <button type="submit" disabled={busy || username === '' || password === ''}>
          Sign in
        </button>
      </form>
    </Panel>
  );
}

/** Locked after inactivity: the same user gives the password again, or signs out. */
export function LockScreen({ user, onState }: Props & { user: SessionUser }) {
  const [password, setPassword] = useState('');
  const { error, busy, run } = useSubmit(onState);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const r = await call('session.unlock', { password });
      if (!r.ok) setPassword('');
      return r;
    });
  }
  return (
    <Panel title="Locked">
      <p>
        The console locked after a period without activity. {user.displayName} ({ROLE_LABELS[user.role]}): enter your password to
        continue.
      </p>
      <ErrorBanner message={error?.message} />
      <form onSubmit={submit} noValidate>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" autoFocus />
        </label>
        <div className="toolbar">
          <button type="submit" disabled={busy || password === ''}>
            Unlock
          </button>
          <button type="button" className="secondary" onClick={() => void run(() => call('session.logout', {}))}>
            Sign out
          </button>
        </div>
      </form>
    </Panel>
  );
}
