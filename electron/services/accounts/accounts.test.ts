import { beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_NAMES, type RequestName } from '../../../shared/contract/names';
import { REQUEST_POLICY, ROLES, mayCall } from '../../../shared/contract/roles';
import { TEST_PASSWORD, useTestServices } from '../testing/services';
import type { SessionSlot } from '../app';
import { LOCKOUT_MS, SIGN_IN_REFUSED_MESSAGE } from './access';

const START = Date.UTC(2026, 2, 1, 9);
let clock = START;
beforeEach(() => {
  clock = START;
});
const t = useTestServices(0, { now: () => clock, lockAfterMs: 10 * 60_000 });

const newSlot = (): SessionSlot => ({ id: null });
const login = (username: string, password: string, slot = newSlot()) => t.raw.dispatch('session.login', { username, password }, slot);
/** How many entries the audit trail holds (read through the viewer's own request). */
const auditCount = async () => {
  const r = await t.as('auditor').dispatch('audit.list', { limit: 5000 });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as unknown[]).length;
};

describe('role enforcement for every request (REQUEST_NAMES × roles)', () => {
  it('answers forbidden, and runs nothing, for every request a role may not make; no session gets no data', async () => {
    for (const name of REQUEST_NAMES) {
      const roles = REQUEST_POLICY[name].roles;
      if (roles === 'public') continue;
      // No session: refused before validation, so even `{}` cannot probe the input schema.
      const anon = await t.raw.dispatch(name, {}, newSlot());
      expect(anon, name).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      for (const role of ROLES) {
        if (mayCall(name, role)) continue;
        const before = await auditCount();
        const r = await t.as(role).dispatch(name, {});
        expect(r, `${role} → ${name}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        // The refusal is recorded (one 'denied' entry), and nothing else happened.
        expect(await auditCount()).toBe(before + 1);
      }
    }
  });

  it('lets every role make the requests the map gives it (they reach input validation)', async () => {
    for (const name of REQUEST_NAMES) {
      if (name.startsWith('session.')) continue; // they change the test's own sessions
      // Answered by the desktop app's main process on its workstation; the services refuse them to everyone (below).
      if (name.startsWith('workstation.')) continue;
      for (const role of ROLES) {
        if (!mayCall(name, role)) continue;
        const r = await t.as(role).dispatch(name, { __probe: 1 });
        if (!r.ok) expect(['forbidden', 'unauthorized', 'session_locked'], `${role} → ${name}: ${r.error.message}`).not.toContain(r.error.code);
      }
    }
  });

  it('refuses how a workstation connects to every role at the services (a browser on the clinic server cannot re-point a workstation)', async () => {
    for (const name of REQUEST_NAMES.filter((n) => n.startsWith('workstation.'))) {
      for (const role of ROLES) {
        expect(await t.as(role).dispatch(name, {}), `${role} → ${name}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    expect(REQUEST_NAMES.filter((n) => n.startsWith('workstation.')).length).toBeGreaterThan(0);
  });

  it('the map gives clinical writes to clinicians only, users and settings to administrators, the audit trail to auditors and administrators', () => {
    const allowed = (name: RequestName) => ROLES.filter((r) => mayCall(name, r));
    expect(allowed('refills.record')).toEqual(['clinician']);
    expect(allowed('removals.record')).toEqual(['clinician']);
    expect(allowed('settings.update')).toEqual(['administrator']);
    expect(allowed('users.update')).toEqual(['administrator']);
    expect(allowed('audit.list')).toEqual(['administrator', 'auditor']);
    expect(allowed('patients.get')).toEqual([...ROLES]);
    expect(mayCall('worklist.get', null)).toBe(false);
    expect(mayCall('session.login', null)).toBe(true);
  });
});

describe('first run and sign-in', () => {
  it('setup is refused once a user exists; a wrong password is refused without saying which part was wrong', async () => {
    expect(await t.raw.dispatch('session.setup', { username: 'eve', displayName: 'Eve', password: TEST_PASSWORD }, newSlot())).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await login('clinician', 'wrong password!')).toMatchObject({ ok: false, error: { code: 'unauthorized', field: 'password', message: SIGN_IN_REFUSED_MESSAGE } });
    expect(await login('nobody', 'wrong password!')).toMatchObject({ ok: false, error: { code: 'unauthorized', message: SIGN_IN_REFUSED_MESSAGE } });
    expect(SIGN_IN_REFUSED_MESSAGE).toMatch(/^Wrong username or password\. .*locked for 15 minutes/);
    const slot = newSlot();
    expect(await login('CLINICIAN', TEST_PASSWORD, slot)).toMatchObject({ ok: true, value: { state: 'active', user: { username: 'clinician', role: 'clinician' } } });
    expect(slot.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the password policy: at least 10 characters, not all spaces, not trivially repetitive; the field is named', async () => {
    for (const password of ['short', '          x', 'aaaaaaaaaaaa', 'abababababab']) {
      const r = await t.svc.dispatch('users.create', { username: 'nurse1', displayName: 'N', role: 'clinician', password });
      expect(r, password).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'password' } });
    }
    expect(await t.svc.dispatch('users.create', { username: 'nurse1', displayName: 'N', role: 'clinician', password: 'long enough 1' })).toMatchObject({ ok: true });
    expect(await t.svc.dispatch('users.create', { username: 'NURSE1', displayName: 'N', role: 'staff', password: 'long enough 1' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'username' },
    });
  });

  it('locks an account for 15 minutes after 5 failed sign-ins, even for the right password; then it opens again', async () => {
    // Locked or not, a refused sign-in answers the same (it does not tell that the account exists).
    const refused = { ok: false, error: { code: 'unauthorized', field: 'password', message: SIGN_IN_REFUSED_MESSAGE } };
    for (let i = 1; i <= 4; i++) expect(await login('staff', `wrong-password-${i}`)).toEqual(refused);
    expect(await login('staff', 'wrong-password-5')).toEqual(refused);
    expect(await login('staff', TEST_PASSWORD)).toEqual(refused);
    clock += LOCKOUT_MS - 1000;
    expect(await login('staff', TEST_PASSWORD)).toEqual(refused);
    clock += 1000;
    expect(await login('staff', TEST_PASSWORD)).toMatchObject({ ok: true, value: { state: 'active' } });
    // (The auditor's earlier session locked after 15 idle minutes: a fresh one.)
    const auditor = newSlot();
    await login('auditor', TEST_PASSWORD, auditor);
    const failed = await t.raw.dispatch('audit.list', { action: 'login_failed', username: 'staff' }, auditor);
    expect(failed.ok && (failed.value as unknown[]).length).toBe(7); // 5 wrong + 2 while locked
  });
});

describe('sessions', () => {
  it('lock after inactivity: requests are refused until the password is given again', async () => {
    const slot = newSlot();
    await login('clinician', TEST_PASSWORD, slot);
    clock += 9 * 60_000;
    expect(await t.raw.dispatch('worklist.get', {}, slot)).toMatchObject({ ok: true }); // activity
    clock += 9 * 60_000;
    expect(await t.raw.dispatch('patients.list', {}, slot)).toMatchObject({ ok: true });
    clock += 10 * 60_000;
    expect(await t.raw.dispatch('patients.list', {}, slot)).toMatchObject({ ok: false, error: { code: 'session_locked' } });
    expect(await t.raw.dispatch('session.current', {}, slot)).toMatchObject({ ok: true, value: { state: 'locked', user: { username: 'clinician' } } });
    expect(await t.raw.dispatch('session.unlock', { password: 'not my password' }, slot)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await t.raw.dispatch('session.unlock', { password: TEST_PASSWORD }, slot)).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(await t.raw.dispatch('patients.list', {}, slot)).toMatchObject({ ok: true });
    // Left locked for 12 hours, the session ends altogether.
    clock += 11 * 60 * 60_000;
    expect(await t.raw.dispatch('session.current', {}, slot)).toMatchObject({ ok: true, value: { state: 'locked' } });
    clock += 60 * 60_000;
    expect(await t.raw.dispatch('session.current', {}, slot)).toMatchObject({ ok: true, value: { state: 'signed_out' } });
    expect(slot.id).toBeNull();
  });

  it('a role change ends that user’s sessions; deactivation too; a password reset too', async () => {
    const staffId = (await t.as('staff').dispatch('session.current', {})) as { ok: true; value: { user: { id: number } } };
    const id = staffId.value.user.id;
    expect(await t.svc.dispatch('users.update', { id, role: 'clinician' })).toMatchObject({ ok: true, value: { role: 'clinician' } });
    expect(await t.as('staff').dispatch('patients.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(t.slot('staff').id).toBeNull();
    const again = newSlot();
    await login('staff', TEST_PASSWORD, again);
    expect(await t.raw.dispatch('refills.preview', {}, again)).toMatchObject({ ok: false, error: { code: 'invalid_input' } }); // now a clinician
    expect(await t.svc.dispatch('users.update', { id, active: false })).toMatchObject({ ok: true, value: { active: false } });
    expect(await t.raw.dispatch('patients.list', {}, again)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await login('staff', TEST_PASSWORD)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

    const roleChanges = await t.as('auditor').dispatch('audit.list', { action: 'role_change' });
    expect(roleChanges).toMatchObject({ ok: true, value: [{ entity: 'user', entityId: String(id), before: { role: 'staff' }, after: { role: 'clinician' }, username: 'administrator' }] });
  });

  it('a password reset lifts a lockout and ends the user’s sessions; the old password no longer works', async () => {
    for (let i = 1; i <= 5; i++) await login('clinician', `wrong-password-${i}`);
    expect(await login('clinician', TEST_PASSWORD)).toMatchObject({ ok: false, error: { code: 'unauthorized' } }); // locked
    const me = (await t.as('clinician').dispatch('session.current', {})) as { ok: true; value: { user: { id: number } } };
    expect(await t.svc.dispatch('users.resetPassword', { id: me.value.user.id, password: 'a brand new password' })).toMatchObject({ ok: true, value: { lockedUntilMs: null } });
    expect(await t.as('clinician').dispatch('patients.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await login('clinician', TEST_PASSWORD)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await login('clinician', 'a brand new password')).toMatchObject({ ok: true, value: { state: 'active' } });
  });

  it('a user changes their own password: the current one first; their other sessions end, this one goes on', async () => {
    const other = newSlot();
    await login('staff', TEST_PASSWORD, other);
    const me = t.slot('staff');
    expect(await t.raw.dispatch('session.changePassword', { currentPassword: 'not it at all', newPassword: 'my own new password' }, me)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', field: 'currentPassword' },
    });
    expect(await t.raw.dispatch('session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'short' }, me)).toMatchObject({ ok: false, error: { field: 'newPassword' } });
    expect(await t.raw.dispatch('session.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'my own new password' }, me)).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(await t.raw.dispatch('patients.list', {}, me)).toMatchObject({ ok: true });
    expect(await t.raw.dispatch('patients.list', {}, other)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await login('staff', TEST_PASSWORD)).toMatchObject({ ok: false });
    expect(await login('staff', 'my own new password')).toMatchObject({ ok: true });
    expect(await t.as('administrator').dispatch('audit.list', { action: 'password_change' })).toMatchObject({ ok: true, value: [{ username: 'staff', entity: 'user' }] });
  });

  it('keeps at least one active administrator', async () => {
    const me = (await t.svc.dispatch('session.current', {})) as { ok: true; value: { user: { id: number } } };
    expect(await t.svc.dispatch('users.update', { id: me.value.user.id, role: 'staff' })).toMatchObject({ ok: false, error: { code: 'conflict', field: 'role' } });
    expect(await t.svc.dispatch('users.update', { id: me.value.user.id, active: false })).toMatchObject({ ok: false, error: { code: 'conflict', field: 'active' } });
  });

  it('sign-out ends the session and is recorded', async () => {
    const slot = t.slot('auditor');
    expect(await t.raw.dispatch('session.logout', {}, slot)).toMatchObject({ ok: true, value: { state: 'signed_out' } });
    expect(slot.id).toBeNull();
    const r = await t.as('administrator').dispatch('audit.list', { action: 'logout' });
    expect(r).toMatchObject({ ok: true, value: [{ username: 'auditor', role: 'auditor' }] });
  });
});

