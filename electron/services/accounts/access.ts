/**
 * Sessions: sign-in, lock after inactivity, unlock, sign-out, and the first-run setup.
 * A session lives in memory in the process that serves the console; the shell keeps its id in a
 * `SessionSlot` (per window in Electron, where the renderer never sees it; per tab in the browser
 * shell, whose page keeps the random id and sends it in a header). Every request re-reads the
 * user: a deactivation, role change or password reset (which raise the user's session epoch) ends
 * their sessions at once.
 */
import { randomBytes } from 'node:crypto';
import type { SessionState, SessionUser } from '../../../shared/contract/accounts';
import type { ParsedInputOf } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Actor, AuditRecord } from '../handler-types';
import type { AuditLog } from '../audit/log';
import type { Store } from '../store/store';
import { decoyHash, hashPassword, verifyPassword, type ScryptCost } from './passwords';
import { publicUser, type StoredUser } from './repository';

/** Where a shell keeps the id of its session. `session.login`/`setup` set it; `logout` clears it. */
export interface SessionSlot {
  id: string | null;
}

export const LOCKOUT_AFTER_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** A session idle this long (locked all the while) ends: sign in again. */
export const SESSION_END_AFTER_MS = 12 * 60 * 60_000;

interface Session {
  userId: number;
  epoch: number;
  lastActivityMs: number;
  locked: boolean;
}

export interface ResolvedSession {
  user: StoredUser;
  actor: Actor;
  locked: boolean;
}

export interface AccessOptions {
  cost: ScryptCost;
  /** Overrides the clinic's lock-after-inactivity setting (tests, the e2e shell). */
  lockAfterMs?: number;
}

export const actorOf = (u: StoredUser): Actor => ({ userId: u.id, username: u.username, role: u.role });
const sessionUser = (u: StoredUser): SessionUser => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role });

export class AccessControl {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    private readonly options: AccessOptions,
  ) {}

  lockAfterMs(): number {
    return this.options.lockAfterMs ?? this.store.accounts.access().sessionLockMinutes * 60_000;
  }

  private record(actor: Actor | null, entry: AuditRecord): void {
    this.audit.record(actor, this.now(), entry);
  }

  /**
   * The slot's session, or null (no session, or one that ended). Locks it when it has been idle
   * too long. With `touch`, an unlocked session counts this as activity.
   */
  resolve(slot: SessionSlot, touch: boolean): ResolvedSession | null {
    if (slot.id === null) return null;
    const s = this.sessions.get(slot.id);
    const user = s ? this.store.accounts.get(s.userId) : null;
    const now = this.now();
    if (!s || !user || !user.active || user.sessionEpoch !== s.epoch || now - s.lastActivityMs >= SESSION_END_AFTER_MS) {
      this.sessions.delete(slot.id);
      slot.id = null;
      return null;
    }
    if (!s.locked && now - s.lastActivityMs >= this.lockAfterMs()) {
      s.locked = true;
      this.record(actorOf(user), { action: 'lock', entity: 'session', entityId: user.id, detail: { reason: 'inactivity' } });
    }
    if (touch && !s.locked) s.lastActivityMs = now;
    return { user, actor: actorOf(user), locked: s.locked };
  }

  state(slot: SessionSlot): SessionState {
    const r = this.resolve(slot, false);
    if (r === null) return this.store.accounts.count() === 0 ? { state: 'setup' } : { state: 'signed_out' };
    if (r.locked) return { state: 'locked', user: sessionUser(r.user) };
    return { state: 'active', user: sessionUser(r.user), lockAfterMs: this.lockAfterMs() };
  }

  private open(slot: SessionSlot, user: StoredUser): void {
    if (slot.id !== null) this.sessions.delete(slot.id);
    // Forget sessions abandoned long ago (a closed browser tab never signs out).
    for (const [id, s] of this.sessions) if (this.now() - s.lastActivityMs >= SESSION_END_AFTER_MS) this.sessions.delete(id);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { userId: user.id, epoch: user.sessionEpoch, lastActivityMs: this.now(), locked: false });
    slot.id = id;
  }

  /** First run only: creates the first administrator and signs them in. */
  async setup(slot: SessionSlot, input: ParsedInputOf<'session.setup'>): Promise<Result<SessionState>> {
    if (this.store.accounts.count() > 0) return fail('conflict', 'Reservoir already has users: sign in instead.');
    const passwordHash = await hashPassword(input.password, this.options.cost);
    const created = this.store.write<StoredUser>(() => {
      if (this.store.accounts.count() > 0) return fail('conflict', 'Reservoir already has users: sign in instead.');
      const user = this.store.accounts.insert({ username: input.username, displayName: input.displayName, role: 'administrator', passwordHash }, this.now());
      this.record(actorOf(user), { action: 'user_create', entity: 'user', entityId: user.id, after: publicUser(user), detail: { firstRun: true } });
      this.record(actorOf(user), { action: 'login', entity: 'session', entityId: user.id });
      return ok(user);
    });
    if (!created.ok) return created;
    this.open(slot, created.value);
    return ok(this.state(slot));
  }

  async login(slot: SessionSlot, input: ParsedInputOf<'session.login'>): Promise<Result<SessionState>> {
    const found = this.store.accounts.byUsername(input.username);
    if (!found || !found.active) {
      await verifyPassword(input.password, await decoyHash(this.options.cost));
      this.record(null, { action: 'login_failed', entity: 'session', entityId: null, detail: { username: input.username, reason: found ? 'inactive' : 'unknown_user' } });
      return fail('unauthorized', 'Wrong username or password.', 'password');
    }
    const locked = this.lockedOut(found);
    if (locked) return locked;
    const good = await verifyPassword(input.password, found.passwordHash);
    const checked = this.afterPasswordCheck(found.id, good, 'login');
    if (!checked.ok) return checked;
    this.open(slot, checked.value);
    return ok(this.state(slot));
  }

  logout(slot: SessionSlot): Result<SessionState> {
    const r = this.resolve(slot, false);
    if (r) this.record(r.actor, { action: 'logout', entity: 'session', entityId: r.user.id });
    if (slot.id !== null) this.sessions.delete(slot.id);
    slot.id = null;
    return ok(this.state(slot));
  }

  lock(slot: SessionSlot): Result<SessionState> {
    const r = this.resolve(slot, false);
    const s = slot.id === null ? undefined : this.sessions.get(slot.id);
    if (r && s && !s.locked) {
      s.locked = true;
      this.record(r.actor, { action: 'lock', entity: 'session', entityId: r.user.id, detail: { reason: 'requested' } });
    }
    return ok(this.state(slot));
  }

  async unlock(slot: SessionSlot, input: ParsedInputOf<'session.unlock'>): Promise<Result<SessionState>> {
    const r = this.resolve(slot, false);
    if (!r) return fail('unauthorized', 'The session has ended: sign in again.');
    const locked = this.lockedOut(r.user);
    if (locked) return locked;
    const good = await verifyPassword(input.password, r.user.passwordHash);
    const checked = this.afterPasswordCheck(r.user.id, good, 'unlock');
    const s = slot.id === null ? undefined : this.sessions.get(slot.id);
    if (!checked.ok) {
      if (checked.error.code === 'account_locked' && slot.id !== null) {
        this.sessions.delete(slot.id);
        slot.id = null;
      }
      return checked;
    }
    if (s) {
      s.locked = false;
      s.lastActivityMs = this.now();
    }
    return ok(this.state(slot));
  }

  /**
   * The signed-in user changes their own password (the current one first). Their other sessions
   * end; this one goes on.
   */
  async changePassword(slot: SessionSlot, input: ParsedInputOf<'session.changePassword'>): Promise<Result<SessionState>> {
    const r = this.resolve(slot, false);
    if (!r) return fail('unauthorized', 'The session has ended: sign in again.');
    const locked = this.lockedOut(r.user);
    if (locked) return locked;
    const good = await verifyPassword(input.currentPassword, r.user.passwordHash);
    if (!good) {
      const checked = this.afterPasswordCheck(r.user.id, false, 'unlock');
      if (!checked.ok && checked.error.code === 'unauthorized') return fail('unauthorized', 'The current password is wrong.', 'currentPassword');
      // Locked out by guessing at an open console: the session ends too.
      if (slot.id !== null) this.sessions.delete(slot.id);
      slot.id = null;
      return checked.ok ? fail('internal', 'unreachable') : checked;
    }
    const passwordHash = await hashPassword(input.newPassword, this.options.cost);
    const saved = this.store.write<StoredUser>(() => {
      const user = this.store.accounts.get(r.user.id);
      if (!user || !user.active) return fail('unauthorized', 'The session has ended: sign in again.');
      const next = this.store.accounts.save({ ...user, passwordHash, failedLogins: 0, lockedUntilMs: null, sessionEpoch: user.sessionEpoch + 1 }, this.now());
      this.record(actorOf(user), { action: 'password_change', entity: 'user', entityId: user.id, detail: { otherSessionsEnded: true } });
      return ok(next);
    });
    if (!saved.ok) return saved;
    const s = slot.id === null ? undefined : this.sessions.get(slot.id);
    if (s) {
      s.epoch = saved.value.sessionEpoch;
      s.lastActivityMs = this.now();
    }
    return ok(this.state(slot));
  }

  /** A refusal when the account is locked out after failed attempts, else null. */
  private lockedOut(user: StoredUser): Result<never> | null {
    if (user.lockedUntilMs === null || this.now() >= user.lockedUntilMs) return null;
    this.record(actorOf(user), { action: 'login_failed', entity: 'session', entityId: user.id, detail: { reason: 'account_locked' } });
    return lockedMessage(user.lockedUntilMs - this.now());
  }

  /** Counts a failure (locking the account after 5) or clears the count on success, with its audit entry. */
  private afterPasswordCheck(userId: number, good: boolean, what: 'login' | 'unlock'): Result<StoredUser> {
    let outcome: Result<StoredUser> = fail('internal', 'unreachable');
    this.store.transaction(() => {
      const user = this.store.accounts.get(userId);
      if (!user || !user.active) {
        outcome = fail('unauthorized', 'Wrong username or password.', 'password');
        return;
      }
      const now = this.now();
      if (good) {
        const saved = user.failedLogins === 0 && user.lockedUntilMs === null ? user : this.store.accounts.save({ ...user, failedLogins: 0, lockedUntilMs: null }, now);
        this.record(actorOf(user), { action: what, entity: 'session', entityId: user.id });
        outcome = ok(saved);
        return;
      }
      const failures = user.failedLogins + 1;
      const lockNow = failures >= LOCKOUT_AFTER_FAILURES;
      this.store.accounts.save({ ...user, failedLogins: lockNow ? 0 : failures, lockedUntilMs: lockNow ? now + LOCKOUT_MS : null }, now);
      this.record(actorOf(user), {
        action: 'login_failed',
        entity: 'session',
        entityId: user.id,
        detail: { during: what, failures, lockedUntilMs: lockNow ? now + LOCKOUT_MS : null },
      });
      outcome = lockNow ? lockedMessage(LOCKOUT_MS) : fail('unauthorized', what === 'login' ? 'Wrong username or password.' : 'Wrong password.', 'password');
    });
    return outcome;
  }
}

function lockedMessage(remainingMs: number): Result<never> {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return fail(
    'account_locked',
    `This account is locked after ${LOCKOUT_AFTER_FAILURES} failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset the password.`,
  );
}
