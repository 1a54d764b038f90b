import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '../../../../shared/contract/roles';
import { TOKEN_MAX_DAYS, TOKEN_ROLES, tokenCreateInput, type AccessToken, type CreatedToken, type TokenRole, type TokenState } from '../../../../shared/contract/tokens';
import { assertNever } from '../../../../shared/contract/result';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatDateTime } from '../../format';

const STATE_LABEL = (s: TokenState): string => {
  switch (s) {
    case 'active':
      return 'Active';
    case 'expired':
      return 'Expired';
    case 'revoked':
      return 'Revoked';
  }
  return assertNever(s, 'token state');
};

/**
 * Personal access tokens (administrators): for the command line on another machine
 * (`reservoir report … --server`). Create — the secret shown once —, list, revoke with confirmation.
 */
export function TokensSection() {
  const [tokens, setTokens] = useState<AccessToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<AccessToken | null>(null);
  const load = useCallback(() => {
    void call('tokens.list', {}).then((r) => (r.ok ? setTokens(r.value) : setError(r.error.message)));
  }, []);
  useEffect(load, [load]);

  async function revoke(t: AccessToken) {
    const r = await call('tokens.revoke', { id: t.id });
    setRevoking(null);
    if (r.ok) {
      setStatus(`Token '${t.name}' revoked: it no longer works.`);
      setError(null);
    } else setError(r.error.message);
    load();
  }

  return (
    <section className="card" aria-labelledby="tokens-title">
      <h3 id="tokens-title">Personal access tokens</h3>
      <p className="hint">
        For scheduled exports from another machine (<code>reservoir report … --server</code>). A token acts with its role, only reads and exports, and
        never signs in. Every use is in the audit trail under the token&apos;s name.
      </p>
      <ErrorBanner message={error} />
      {status && (
        <p role="status" className="banner banner-ok">
          {status}
        </p>
      )}
      {created && <ShownOnce created={created} onClose={() => setCreated(null)} />}
      {tokens && tokens.length > 0 && (
        <table aria-label="Personal access tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Created by</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{ROLE_LABELS[t.role]}</td>
                <td>
                  {t.createdByName}, {formatDateTime(t.createdAtMs)}
                </td>
                <td>{formatDateTime(t.expiresAtMs)}</td>
                <td>{t.lastUsedAtMs === null ? 'Never' : formatDateTime(t.lastUsedAtMs)}</td>
                <td>
                  {STATE_LABEL(t.state)}
                  {t.revokedByName !== null && t.revokedAtMs !== null ? ` by ${t.revokedByName}, ${formatDateTime(t.revokedAtMs)}` : ''}
                </td>
                <td>
                  {t.state !== 'revoked' && (
                    <button type="button" className="secondary" onClick={() => setRevoking(t)}>
                      Revoke {t.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tokens && tokens.length === 0 && <p>No tokens yet.</p>}
      {revoking && (
        <ConfirmDialog
          label={`Confirm: revoke ${revoking.name}`}
          question={`Revoke the token '${revoking.name}'? Every job using it stops working at once. This cannot be undone.`}
          confirmLabel="Revoke"
          cancelLabel="Cancel"
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
      <NewTokenForm
        onCreated={(c) => {
          setCreated(c);
          setStatus(null);
          setError(null);
          load();
        }}
      />
    </section>
  );
}

/** The secret, this once, with a copy button and a warning. */
function ShownOnce({ created, onClose }: { created: CreatedToken; onClose(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="banner banner-warn" role="region" aria-label="New token">
      <p>
        <strong>Copy the token &apos;{created.token.name}&apos; now: it is shown only this once.</strong> Keep it in a file only the account running
        the export can read (<code>chmod 600</code>). Anyone who has it can read and export as {ROLE_LABELS[created.token.role]} until it expires or is
        revoked.
      </p>
      <p>
        <code aria-label="Token secret">{created.secret}</code>
      </p>
      <div className="toolbar">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(created.secret).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

function NewTokenForm({ onCreated }: { onCreated(c: CreatedToken): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<TokenRole>('auditor');
  const [days, setDays] = useState('90');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = tokenCreateInput.safeParse({ name, role, expiresInDays: /^\d+$/.test(days) ? Number(days) : days });
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      return;
    }
    const r = await call('tokens.create', parsed.data);
    if (!r.ok) {
      setErrors(r.error.field ? { [r.error.field]: r.error.message } : {});
      setFormError(r.error.message);
      return;
    }
    setName('');
    setErrors({});
    setFormError(null);
    onCreated(r.value);
  }
  const err = (key: string) => (errors[key] ? <span className="field-error">{errors[key]}</span> : null);
  return (
    <form className="form" onSubmit={submit} aria-labelledby="new-token-title" noValidate>
      <h4 id="new-token-title">New token</h4>
      <ErrorBanner message={formError} />
      <div className="grid">
        <label>
          Token name
          <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} placeholder="nightly export" autoComplete="off" />
          {err('name')}
        </label>
        <label>
          Token role
          <select value={role} onChange={(e) => setRole(e.target.value as TokenRole)}>
            {TOKEN_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires in (days, at most {TOKEN_MAX_DAYS})
          <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} aria-invalid={!!errors.expiresInDays} />
          {err('expiresInDays')}
        </label>
      </div>
      <button type="submit">Create token</button>
    </form>
  );
}
