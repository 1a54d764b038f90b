import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../shared/contract/audit';
import type { AccessToken, CreatedToken } from '../../../../shared/contract/tokens';
import { useTestServices } from '../../testing/services';
import { hashTokenSecret } from './service';

let nowMs = Date.UTC(2026, 2, 1, 9, 0);
const t = useTestServices(nowMs, { now: () => nowMs });
const DAY = 24 * 60 * 60_000;

const create = async (name: string, role: string, expiresInDays = 30) => {
  const r = await t.as('administrator').dispatch('tokens.create', { name, role, expiresInDays });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as CreatedToken;
};
const withToken = (secret: string, name: string, input: unknown = {}) => t.raw.dispatch(name, input, { id: null, bearer: secret });
/** The audit trail's entries of one action, newest first (read from the file: sessions end as the clock moves). */
const audit = async (action: string): Promise<AuditEntry[]> => {
  const db = new Database(t.databasePath, { readonly: true });
  try {
    const rows = db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY seq DESC').all(action) as Record<string, unknown>[];
    return rows.map((r) => ({
      username: r.username,
      role: r.role,
      userId: r.user_id,
      entity: r.entity,
      entityId: r.entity_id,
      after: r.after_json === null ? null : JSON.parse(String(r.after_json)),
      detail: r.detail_json === null ? null : JSON.parse(String(r.detail_json)),
    })) as unknown as AuditEntry[];
  } finally {
    db.close();
  }
};

describe('personal access tokens', () => {
  it('shows the secret once and stores only its SHA-256', async () => {
    nowMs = Date.UTC(2026, 2, 1, 9, 0);
    const { token, secret } = await create('nightly export', 'auditor');
    expect(secret).toMatch(/^rsv_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'nightly export', role: 'auditor', state: 'active', expiresAtMs: nowMs + 30 * DAY, lastUsedAtMs: null });
    const db = new Database(t.databasePath, { readonly: true });
    try {
      const dump = JSON.stringify(db.prepare('SELECT * FROM access_tokens').all()) + JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice(4));
      const row = db.prepare('SELECT secret_sha256 FROM access_tokens').get() as { secret_sha256: string };
      expect(row.secret_sha256).toBe(hashTokenSecret(secret));
    } finally {
      db.close();
    }
    // Listed without the secret or its hash.
    const list = await t.as('administrator').dispatch('tokens.list', {});
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(JSON.stringify(list)).not.toContain(hashTokenSecret(secret));
    expect((await audit('token_create'))[0]).toMatchObject({ entity: 'token', after: { name: 'nightly export', role: 'auditor' } });
  });

  it('acts as the token: its name and role in the audit trail, its last use recorded', async () => {
    nowMs = Date.UTC(2026, 2, 1, 9, 0);
    const { secret } = await create('nightly export', 'auditor');
    nowMs += 60_000;
    const r = await withToken(secret, 'audit.export', {});
    expect(r.ok).toBe(true);
    const exported = (await audit('export'))[0];
    expect(exported).toMatchObject({ username: "token 'nightly export' (auditor)", role: 'auditor', userId: null });
    const list = (await t.as('administrator').dispatch('tokens.list', {})) as { ok: true; value: AccessToken[] };
    expect(list.value[0]!.lastUsedAtMs).toBe(nowMs);
  });

  it('refuses what the role may not do: an auditor token cannot record a refill', async () => {
    const { secret } = await create('reader', 'auditor');
    const r = await withToken(secret, 'refills.record', { pumpId: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'forbidden' });
    expect((await audit('denied')).find((e) => e.entityId === 'refills.record')).toMatchObject({ username: "token 'reader' (auditor)" });
  });

  it('only reads and exports: a clinician token cannot record a patient either', async () => {
    const { secret } = await create('clinic tool', 'clinician');
    const r = await withToken(secret, 'patients.create', { mrn: 'X-1', familyName: 'A', givenName: 'B', birthDate: '1960-01-01', sex: 'female', indications: [] });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await withToken(secret, 'worklist.get', {})).ok).toBe(true);
  });

  it('never makes session requests', async () => {
    const { secret } = await create('reader', 'auditor');
    for (const name of ['session.current', 'session.login', 'session.logout', 'session.lock', 'session.unlock', 'session.setup']) {
      const r = await withToken(secret, name, {});
      expect(r, name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // Nor administrators' requests (it is never an administrator).
    expect(await withToken(secret, 'tokens.create', { name: 'x', role: 'auditor', expiresInDays: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses administrator tokens and expiries past a year and a day', async () => {
    expect(await t.refused('tokens.create', { name: 'root', role: 'administrator', expiresInDays: 30 })).toMatchObject({ code: 'invalid_input', field: 'role' });
    expect(await t.refused('tokens.create', { name: 'long', role: 'auditor', expiresInDays: 367 })).toMatchObject({ code: 'invalid_input', field: 'expiresInDays' });
    expect(await t.refused('tokens.create', { name: 'none', role: 'auditor' })).toMatchObject({ code: 'invalid_input', field: 'expiresInDays' });
    // Only administrators manage tokens.
    expect((await t.as('auditor').dispatch('tokens.create', { name: 'mine', role: 'auditor', expiresInDays: 1 })).ok).toBe(false);
  });

  it('refuses a revoked token, audited as a failed sign-in with its name, never the secret', async () => {
    nowMs = Date.UTC(2026, 2, 1, 9, 0);
    const { token, secret } = await create('nightly export', 'auditor');
    const revoked = await t.as('administrator').dispatch('tokens.revoke', { id: token.id });
    expect(revoked).toMatchObject({ ok: true, value: { state: 'revoked' } });
    const r = await withToken(secret, 'worklist.get', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    if (!r.ok) expect(r.error.message).toMatch(/'nightly export' was revoked on 2026-03-01/);
    const failed = (await audit('login_failed')).find((e) => e.entity === 'token');
    expect(failed).toMatchObject({ detail: { reason: 'revoked', token: 'nightly export' } });
    expect(JSON.stringify(await audit('login_failed'))).not.toContain(secret);
    expect((await audit('token_revoke'))[0]).toMatchObject({ detail: { name: 'nightly export' } });
    // Revoked once only.
    expect(await t.refused('tokens.revoke', { id: token.id })).toMatchObject({ code: 'conflict' });
  });

  it('refuses an expired token and an unknown one', async () => {
    nowMs = Date.UTC(2026, 2, 1, 9, 0);
    const { secret } = await create('short', 'staff', 1);
    expect((await withToken(secret, 'worklist.get', {})).ok).toBe(true);
    nowMs += DAY;
    const r = await withToken(secret, 'worklist.get', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    if (!r.ok) expect(r.error.message).toMatch(/'short' expired on 2026-03-02/);
    expect((await audit('login_failed')).find((e) => e.entity === 'token')).toMatchObject({ detail: { reason: 'expired', token: 'short' } });
    // One character changed: unknown.
    const other = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(await withToken(other, 'worklist.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await withToken('not-a-token', 'worklist.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('keeps names unique among tokens not revoked', async () => {
    await create('nightly export', 'auditor');
    expect(await t.refused('tokens.create', { name: 'Nightly Export', role: 'auditor', expiresInDays: 5 })).toMatchObject({ code: 'conflict', field: 'name' });
  });
});
