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
import { assertNever, fail, ok, type Result } from '../../../shared/contract/result';
import type { Actor, AuditRecord } from '../handler-types';
import type { AuditLog } from '../audit/log';
import type { Store } from '../store/store';
import { actorOf, LOCKOUT_AFTER_FAILURES, LOCKOUT_MS, nameKey, PasswordAttempts, userKey, type AttemptOutcome } from './attempts';
import { hashPassword, type ScryptCost } from './passwords';
import { publicUser, type StoredUser } from './repository';

/** Where a shell keeps the id of its session. `session.login`/`setup` set it; `logout` clears it. */
export interface SessionSlot {
  id: string | null;
  /**
   * A personal access token's secret (`Authorization: Bearer rsv_…` at the clinic server): the
   * request acts as the token, not as a session (features/tokens). Never kept between requests.
   */
  bearer?: string;
}

export { actorOf, LOCKOUT_AFTER_FAILURES, LOCKOUT_MS } from './attempts';
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

const sessionUser = (u: StoredUser): SessionUser => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role });

export class AccessControl {
  private readonly sessions = new Map<string, Session>();
  /** Every password attempt (sign-in, unlock, password change, and signing through `ctx.passwords`). */
  readonly attempts: PasswordAttempts;

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    private readonly options: AccessOptions,
  ) {
    this.attempts = new PasswordAttempts(store, audit, now, options.cost);
  }

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

  /**
   * Sign-in. Unknown user, deactivated user, wrong password and locked account all answer
   * `SIGN_IN_REFUSED_MESSAGE` after the same work (one derivation); the audit trail records which it was.
   */
  async login(slot: SessionSlot, input: ParsedInputOf<'session.login'>): Promise<Result<SessionState>> {
    const found = this.store.accounts.byUsername(input.username);
    if (!found) {
      return this.attempts.serialize(nameKey(input.username), async () => {
        await this.attempts.spendDecoy(input.password);
        this.record(null, { action: 'login_failed', entity: 'session', entityId: null, detail: { username: input.username, reason: 'unknown_user' } });
        return signInRefused();
      });
    }
    return this.attempts.serialize(userKey(found.id), async () => {
      const outcome = await this.attempts.check(found.id, input.password, 'login');
      switch (outcome.kind) {
        case 'good':
          await this.attempts.upgradeHash(outcome.user, input.password);
          this.open(slot, this.store.accounts.get(outcome.user.id) ?? outcome.user);
          return ok(this.state(slot));
        case 'wrong':
        case 'locked':
        case 'gone':
          return signInRefused();
      }
      return assertNever(outcome, 'attempt');
    });
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
    return this.attempts.serialize(userKey(r.user.id), async () => {
      const outcome = await this.attempts.check(r.user.id, input.password, 'unlock');
      switch (outcome.kind) {
        case 'good': {
          await this.attempts.upgradeHash(outcome.user, input.password);
          const s = slot.id === null ? undefined : this.sessions.get(slot.id);
          if (!s) return fail('unauthorized', 'The session has ended: sign in again.');
          s.locked = false;
          s.lastActivityMs = this.now();
          return ok(this.state(slot));
        }
        case 'wrong':
          return fail('unauthorized', 'Wrong password.', 'password');
        case 'locked':
          // Locked out by guessing at the lock screen: the session ends too.
          if (outcome.byThisAttempt) this.end(slot);
          return lockedMessage(outcome.lockedUntilMs - this.now());
        case 'gone':
          this.end(slot);
          return fail('unauthorized', 'The session has ended: sign in again.');
      }
      return assertNever(outcome, 'attempt');
    });
  }

  /**
   * The signed-in user changes their own password (the current one first, counted like a
   * sign-in). Their other sessions end; this one goes on.
   */
  async changePassword(slot: SessionSlot, input: ParsedInputOf<'session.changePassword'>): Promise<Result<SessionState>> {
    const r = this.resolve(slot, false);
    if (!r) return fail('unauthorized', 'The session has ended: sign in again.');
    return this.attempts.serialize(userKey(r.user.id), async () => {
      const outcome = await this.attempts.check(r.user.id, input.currentPassword, 'change_password');
      if (outcome.kind !== 'good') return this.changeRefused(slot, outcome);
      const passwordHash = await hashPassword(input.newPassword, this.attempts.cost);
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
    });
  }

  private changeRefused(slot: SessionSlot, outcome: Exclude<AttemptOutcome, { kind: 'good' }>): Result<never> {
    switch (outcome.kind) {
      case 'wrong':
        return fail('unauthorized', 'The current password is wrong.', 'currentPassword');
      case 'locked':
        if (outcome.byThisAttempt) this.end(slot); // locked out by guessing at an open console
        return lockedMessage(outcome.lockedUntilMs - this.now(), 'currentPassword');
      case 'gone':
        this.end(slot);
        return fail('unauthorized', 'The session has ended: sign in again.');
    }
    return assertNever(outcome, 'attempt');
  }

  private end(slot: SessionSlot): void {
    if (slot.id !== null) this.sessions.delete(slot.id);
    slot.id = null;
  }
}

/** The one answer to a refused sign-in, whatever the reason (the audit trail keeps the reason). */
export const SIGN_IN_REFUSED_MESSAGE = `Wrong username or password. After ${LOCKOUT_AFTER_FAILURES} failed attempts an account is locked for ${LOCKOUT_MS / 60_000} minutes; an administrator can lift the lock.`;
const signInRefused = (): Result<never> => fail('unauthorized', SIGN_IN_REFUSED_MESSAGE, 'password');

/** The refusal of unlock and password change while the account is locked (the user is known there). */
export function lockedMessage(remainingMs: number, field = 'password'): Result<never> {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return fail(
    'account_locked',
    `This account is locked after ${LOCKOUT_AFTER_FAILURES} failed password attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to unlock it (Users).`,
    field,
  );
}
