/**
 * Attacks on the lockout: many password attempts at once (sign-in, unlock), from one process or
 * two on the same database; telling a locked or unknown account from a wrong password; and the
 * memory of many derivations at once. Signing's share is in features/signatures/signatures.test.ts.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../shared/contract/accounts';
import type { AuditEntry } from '../../../shared/contract/audit';
import type { Result } from '../../../shared/contract/result';
import { createServices, type ReservoirServices, type SessionSlot } from '../app';
import { TEST_PASSWORD, useTestServices } from '../testing/services';
import { LOCKOUT_MS, SIGN_IN_REFUSED_MESSAGE } from './access';
import { hashPassword, MAX_CONCURRENT_DERIVATIONS, observeDerivations, STANDARD_COST, TEST_COST, type ScryptCost } from './passwords';

const START = Date.UTC(2026, 2, 1, 9);
let clock = START;
beforeEach(() => {
  clock = START;
});
const t = useTestServices(0, { now: () => clock, lockAfterMs: 10 * 60_000 });

const newSlot = (): SessionSlot => ({ id: null });
const login = (username: string, password: string, slot = newSlot(), services: ReservoirServices = t.raw) =>
  services.dispatch('session.login', { username, password }, slot);
const REFUSED = { ok: false, error: { code: 'unauthorized', field: 'password', message: SIGN_IN_REFUSED_MESSAGE } };

/** The user's row as the Users screen shows it (read from the file: no session needed). */
async function user(username: string): Promise<Pick<User, 'id' | 'failedLogins' | 'lockedUntilMs'>> {
  const db = new Database(t.databasePath, { readonly: true });
  try {
    const row = db.prepare('SELECT id, failed_logins, locked_until_ms FROM users WHERE username = ?').get(username) as { id: number; failed_logins: number; locked_until_ms: number | null };
    return { id: row.id, failedLogins: row.failed_logins, lockedUntilMs: row.locked_until_ms };
  } finally {
    db.close();
  }
}
async function audit(action: string): Promise<AuditEntry[]> {
  const r = await t.as('auditor').dispatch('audit.list', { action, limit: 5000 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as AuditEntry[];
}
/** Failed attempts whose password was actually checked (they carry the running count). */
const checkedFailures = async (username: string) => (await audit('login_failed')).filter((e) => e.username === username && e.detail && 'failures' in e.detail);

/** 39 wrong passwords then the right one, all sent at once. */
function fortyAtOnce<T>(attempt: (password: string) => Promise<T>): Promise<T[]> {
  return Promise.all([...Array.from({ length: 39 }, (_, i) => attempt(`wrong password ${i}`)), attempt(TEST_PASSWORD)]);
}

/** Counts derivations, their costs and the most that ran at once, while `fn` runs. */
async function watchDerivations<T>(fn: () => Promise<T>): Promise<{ result: T; costs: ScryptCost[]; peak: number }> {
  const costs: ScryptCost[] = [];
  let running = 0;
  let peak = 0;
  const stop = observeDerivations((cost) => {
    costs.push(cost);
    peak = Math.max(peak, ++running);
    return () => void running--;
  });
  try {
    return { result: await fn(), costs, peak };
  } finally {
    stop();
  }
}

describe('40 sign-ins at once (39 wrong, then the right one)', () => {
  it('none gets in; exactly 5 passwords are checked; the right password stays refused until the lock ends', async () => {
    const results = await fortyAtOnce((password) => login('staff', password));
    expect(results.filter((r) => r.ok)).toEqual([]);
    for (const r of results) expect(r).toEqual(REFUSED);
    expect(await checkedFailures('staff')).toHaveLength(5);
    const locked = await user('staff');
    expect(locked.lockedUntilMs).toBe(START + LOCKOUT_MS);

    expect(await login('staff', TEST_PASSWORD)).toEqual(REFUSED);
    clock += LOCKOUT_MS - 1;
    expect(await login('staff', TEST_PASSWORD)).toEqual(REFUSED);
    clock += 1;
    expect(await login('staff', TEST_PASSWORD)).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(await user('staff')).toMatchObject({ failedLogins: 0, lockedUntilMs: null });
  });

  it('from two services on one database (as two server processes), still no success and 5 checks', async () => {
    const second = createServices({ databasePath: t.databasePath, shell: 'browser', now: () => clock, passwordCost: TEST_COST });
    if (!second.ok) throw new Error(second.error.message);
    try {
      // Each process has its own queue: only the count kept in the database can stop this.
      const wrong = (i: number) => login('clinician', `wrong password ${i}`, newSlot(), i % 2 === 0 ? t.raw : second.value);
      const results = await Promise.all([...Array.from({ length: 39 }, (_, i) => wrong(i)), login('clinician', TEST_PASSWORD, newSlot(), second.value)]);
      expect(results.filter((r) => r.ok)).toEqual([]);
      expect(await checkedFailures('clinician')).toHaveLength(5);
      expect(await login('clinician', TEST_PASSWORD, newSlot(), second.value)).toEqual(REFUSED);
    } finally {
      second.value.close();
    }
  });

  it('an administrator lifts the lock (audited); the right password then works, and the count starts again', async () => {
    await fortyAtOnce((password) => login('staff', password));
    const { id } = await user('staff');
    expect(await t.svc.dispatch('users.unlock', { id })).toMatchObject({ ok: true, value: { id, failedLogins: 0, lockedUntilMs: null } });
    expect(await audit('account_unlock')).toEqual([
      expect.objectContaining({ username: 'administrator', entity: 'user', entityId: String(id), after: { failedLogins: 0, lockedUntilMs: null } }),
    ]);
    expect(await login('staff', TEST_PASSWORD)).toMatchObject({ ok: true });
    expect(await t.svc.dispatch('users.unlock', { id: 9999 })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'id' } });
    expect(await t.svc.dispatch('users.unlock', { id: 'staff' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'id' } });
  });
});

describe('40 unlocks at once (39 wrong, then the right one)', () => {
  it('none unlocks; the session ends at the lock; sign-in stays refused until an administrator lifts the lock', async () => {
    const slot = newSlot();
    await login('auditor', TEST_PASSWORD, slot);
    expect(await t.raw.dispatch('session.lock', {}, slot)).toMatchObject({ ok: true, value: { state: 'locked' } });
    const results = await fortyAtOnce((password) => t.raw.dispatch('session.unlock', { password }, slot));
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.filter((r) => !r.ok && r.error.code === 'account_locked')).toHaveLength(36); // the 5th and the 35 after it
    expect(results.at(-1)).toMatchObject({ ok: false, error: { code: 'account_locked', field: 'password', message: expect.stringContaining('15 minutes') } });
    expect(await checkedFailures('auditor')).toHaveLength(5);
    expect(slot.id).toBeNull();
    expect(await login('auditor', TEST_PASSWORD)).toEqual(REFUSED);

    const { id } = await user('auditor');
    expect(await t.svc.dispatch('users.unlock', { id })).toMatchObject({ ok: true });
    expect(await login('auditor', TEST_PASSWORD)).toMatchObject({ ok: true });
  });

  it('an unlock with the right password while the account is locked is refused, and the session is kept locked', async () => {
    const slot = newSlot();
    await login('staff', TEST_PASSWORD, slot);
    await t.raw.dispatch('session.lock', {}, slot);
    for (let i = 0; i < 5; i++) await login('staff', `wrong password ${i}`); // someone else, at the sign-in screen
    expect(await t.raw.dispatch('session.unlock', { password: TEST_PASSWORD }, slot)).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    expect(await t.raw.dispatch('session.current', {}, slot)).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await t.raw.dispatch('patients.list', {}, slot)).toMatchObject({ ok: false, error: { code: 'session_locked' } });
  });

  it('changing the password with the right current one during a lock is refused too', async () => {
    const slot = newSlot();
    await login('staff', TEST_PASSWORD, slot);
    for (let i = 0; i < 5; i++) await login('staff', `wrong password ${i}`);
    expect(await t.raw.dispatch('session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'a fresh password 1' }, slot)).toMatchObject({
      ok: false,
      error: { code: 'account_locked', field: 'currentPassword' },
    });
    expect(await login('staff', 'a fresh password 1')).toEqual(REFUSED);
  });
});

describe('a refused sign-in tells nothing: same answer, same work', () => {
  it('unknown user, deactivated user, wrong password and locked account: the identical error, one derivation at the same cost each', async () => {
    const gone = (await t.svc.dispatch('users.create', { username: 'leaver', displayName: 'Left', role: 'staff', password: TEST_PASSWORD })) as Result<User>;
    if (!gone.ok) throw new Error(gone.error.message);
    await t.svc.dispatch('users.update', { id: gone.value.id, active: false });
    for (let i = 0; i < 5; i++) await login('clinician', `wrong password ${i}`);

    const paths = {
      unknown: () => login('nobody-here', TEST_PASSWORD),
      deactivated: () => login('leaver', TEST_PASSWORD),
      wrongPassword: () => login('staff', 'not the password'),
      locked: () => login('clinician', TEST_PASSWORD),
    };
    for (const [path, attempt] of Object.entries(paths)) {
      const { result, costs } = await watchDerivations(attempt);
      expect(result, path).toEqual(REFUSED);
      expect(costs, path).toEqual([TEST_COST]);
    }
    // The audit trail keeps the real reason.
    const reasons = (await audit('login_failed')).slice(0, 4).map((e) => e.detail?.reason ?? 'wrong_password');
    expect(reasons.sort()).toEqual(['account_locked', 'inactive', 'unknown_user', 'wrong_password']);
  });

  it('unlock spends one derivation too, wrong or locked (signing: signatures.test.ts)', async () => {
    const slot = newSlot();
    await login('staff', TEST_PASSWORD, slot);
    await t.raw.dispatch('session.lock', {}, slot);
    expect((await watchDerivations(() => t.raw.dispatch('session.unlock', { password: 'not it at all' }, slot))).costs).toEqual([TEST_COST]);
    for (let i = 0; i < 4; i++) await login('staff', `wrong password ${i}`);
    const locked = await watchDerivations(() => t.raw.dispatch('session.unlock', { password: TEST_PASSWORD }, slot));
    expect(locked.result).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    expect(locked.costs).toEqual([TEST_COST]);
  });
});

describe('memory: scrypt derivations are limited process-wide', () => {
  it(`40 sign-ins for 40 unknown names at once: 40 derivations, never more than ${MAX_CONCURRENT_DERIVATIONS} at a time`, async () => {
    const { result, costs, peak } = await watchDerivations(() => Promise.all(Array.from({ length: 40 }, (_, i) => login(`stranger${i}`, 'some password'))));
    for (const r of result) expect(r).toEqual(REFUSED);
    expect(costs).toHaveLength(40);
    expect(peak).toBe(MAX_CONCURRENT_DERIVATIONS);
  });
});

describe('rehash at the standard cost', () => {
  let standard: ReservoirServices | null = null;
  afterEach(() => {
    standard?.close();
    standard = null;
  });
  const storedHash = (username: string) => {
    const db = new Database(t.databasePath, { readonly: true });
    try {
      return (db.prepare('SELECT password_hash FROM users WHERE username = ?').get(username) as { password_hash: string }).password_hash;
    } finally {
      db.close();
    }
  };

  it('a hash made at a lower cost is verified, then made again at N=2^17, r=8, p=1 at the next sign-in (audited)', async () => {
    expect(STANDARD_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(storedHash('staff')).toMatch(/^scrypt\$1024\$8\$1\$/); // made at TEST_COST
    const opened = createServices({ databasePath: t.databasePath, shell: 'browser', now: () => clock }); // the shells' cost
    if (!opened.ok) throw new Error(opened.error.message);
    standard = opened.value;

    expect(await login('staff', 'a wrong password', newSlot(), standard)).toEqual(REFUSED);
    expect(storedHash('staff')).toMatch(/^scrypt\$1024\$8\$1\$/); // a wrong password changes nothing

    expect(await login('staff', TEST_PASSWORD, newSlot(), standard)).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(storedHash('staff')).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await audit('password_rehash')).toEqual([
      expect.objectContaining({ username: 'staff', entity: 'user', before: { cost: 'N=1024, r=8, p=1' }, after: { cost: 'N=131072, r=8, p=1' } }),
    ]);

    // The new hash works, and is not made again.
    const again = await watchDerivations(() => login('staff', TEST_PASSWORD, newSlot(), standard!));
    expect(again.result).toMatchObject({ ok: true });
    expect(again.costs).toEqual([STANDARD_COST]);
    expect(await audit('password_rehash')).toHaveLength(1);
  });

  it('unlock rehashes a lower-cost hash too', async () => {
    const opened = createServices({ databasePath: t.databasePath, shell: 'browser', now: () => clock });
    if (!opened.ok) throw new Error(opened.error.message);
    standard = opened.value;
    const slot = newSlot();
    expect(await login('auditor', TEST_PASSWORD, slot, standard)).toMatchObject({ ok: true });
    expect(storedHash('auditor')).toMatch(/^scrypt\$131072\$/);
    // As if the hash were still an old one (written behind the services' back).
    const db = new Database(t.databasePath);
    db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(await hashPassword(TEST_PASSWORD, TEST_COST), 'auditor');
    db.close();
    await standard.dispatch('session.lock', {}, slot);
    expect(await standard.dispatch('session.unlock', { password: TEST_PASSWORD }, slot)).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(storedHash('auditor')).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await audit('password_rehash')).map((e) => e.username)).toEqual(['auditor', 'auditor']);
  });
});
