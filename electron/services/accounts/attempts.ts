/**
 * Password attempts — sign-in, unlock, changing one's password, and the password given again to
 * sign or amend an entry — made one at a time per user and counted before they are checked.
 *
 * `PasswordAttempts.check`, inside `serialize(userKey(id), …)`:
 * 1. one transaction reads the lock and refuses while it lasts, or counts the attempt
 *    (`failed_logins + 1`, locking the account at the 5th) — before the password is looked at;
 * 2. exactly one scrypt derivation (also when the account is locked or inactive, so every answer
 *    takes the same time);
 * 3. a second transaction clears the count when the password was right (unless another lock was
 *    set meanwhile, or the password was reset), or records the failure in the audit trail.
 * Because the attempt is counted in the database before the (slow, asynchronous) check, no number
 * of parallel attempts — in this process or in several processes sharing the database — gets more
 * than 5 passwords checked before the lock; the in-memory queue only makes them wait their turn.
 */
import { assertNever } from '../../../shared/contract/result';
import type { AuditLog } from '../audit/log';
import type { Actor, AuditRecord } from '../handler-types';
import type { Store } from '../store/store';
import { decoyHash, hashPassword, verifyPassword, weakerThan, type ScryptCost } from './passwords';
import type { StoredUser } from './repository';
import { LOCKOUT_AFTER_FAILURES } from '../../../shared/contract/accounts';

export { LOCKOUT_AFTER_FAILURES };
export const LOCKOUT_MS = 15 * 60_000;

export type AttemptDuring = 'login' | 'unlock' | 'change_password' | 'sign' | 'amend' | 'verify' | 'reject';

export type AttemptOutcome =
  | { kind: 'good'; user: StoredUser }
  | { kind: 'wrong'; failures: number }
  /** Refused: locked before this attempt, or locked by it (`byThisAttempt`). */
  | { kind: 'locked'; lockedUntilMs: number; byThisAttempt: boolean }
  /** The user no longer exists or was deactivated. */
  | { kind: 'gone' };

export const actorOf = (u: StoredUser): Actor => ({ userId: u.id, username: u.username, role: u.role });

/** The queue key of a known user. */
export const userKey = (userId: number): string => `user:${userId}`;
/** The queue key of a username that names no user. */
export const nameKey = (username: string): string => `name:${username.trim().toLowerCase()}`;

/** Runs tasks with the same key one after another, in arrival order; different keys run side by side. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (tests check nothing is left behind). */
  get size(): number {
    return this.tails.size;
  }
}

type Counted =
  | { kind: 'counted'; user: StoredUser; failures: number; lockedUntilMs: number | null }
  | { kind: 'locked'; user: StoredUser; lockedUntilMs: number }
  | { kind: 'gone'; hash: string | null };

export class PasswordAttempts {
  readonly queue = new KeyedQueue();

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    /** The cost of new hashes; a stored hash weaker than it is rehashed at a good sign-in or unlock. */
    readonly cost: ScryptCost,
  ) {}

  /** Runs `task` after every earlier attempt with the same key has finished. */
  serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(key, task);
  }

  private record(actor: Actor | null, entry: AuditRecord): void {
    this.audit.record(actor, this.now(), entry);
  }

  /**
   * The work a wrong password costs, for a username that names no one: one derivation at the
   * standard cost against a hash nothing matches.
   */
  async spendDecoy(password: string): Promise<void> {
    await verifyPassword(password, decoyHash(this.cost));
  }

  /** Checks `password` for user `userId` (call it inside `serialize(userKey(userId), …)`). */
  async check(userId: number, password: string, during: AttemptDuring): Promise<AttemptOutcome> {
    const counted = this.store.transaction((): Counted => {
      const user = this.store.accounts.get(userId);
      if (!user || !user.active) {
        if (user) this.record(actorOf(user), { action: 'login_failed', entity: 'session', entityId: user.id, detail: { during, reason: 'inactive' } });
        return { kind: 'gone', hash: user?.passwordHash ?? null };
      }
      const now = this.now();
      if (user.lockedUntilMs !== null && now < user.lockedUntilMs) {
        this.record(actorOf(user), { action: 'login_failed', entity: 'session', entityId: user.id, detail: { during, reason: 'account_locked' } });
        return { kind: 'locked', user, lockedUntilMs: user.lockedUntilMs };
      }
      const failures = user.failedLogins + 1;
      const lockedUntilMs = failures >= LOCKOUT_AFTER_FAILURES ? now + LOCKOUT_MS : null;
      // Counted now, as if wrong: a right password clears it afterwards.
      this.store.accounts.save({ ...user, failedLogins: lockedUntilMs === null ? failures : 0, lockedUntilMs }, now);
      return { kind: 'counted', user, failures, lockedUntilMs };
    });

    // Exactly one derivation whatever the answer will be.
    const hash = counted.kind === 'gone' ? counted.hash ?? decoyHash(this.cost) : counted.user.passwordHash;
    const good = await verifyPassword(password, hash);

    switch (counted.kind) {
      case 'gone':
        return { kind: 'gone' };
      case 'locked':
        return { kind: 'locked', lockedUntilMs: counted.lockedUntilMs, byThisAttempt: false };
      case 'counted':
        return good ? this.succeeded(counted, during) : this.failed(counted, during);
    }
    return assertNever(counted, 'attempt');
  }

  private succeeded(counted: Extract<Counted, { kind: 'counted' }>, during: AttemptDuring): AttemptOutcome {
    return this.store.transaction((): AttemptOutcome => {
      const user = this.store.accounts.get(counted.user.id);
      if (!user || !user.active) return { kind: 'gone' };
      const now = this.now();
      if (user.passwordHash !== counted.user.passwordHash) {
        // Reset by an administrator while it was being checked: the old password no longer counts.
        this.record(actorOf(user), { action: 'login_failed', entity: 'session', entityId: user.id, detail: { during, reason: 'password_replaced' } });
        return { kind: 'wrong', failures: counted.failures };
      }
      if (user.lockedUntilMs !== null && user.lockedUntilMs !== counted.lockedUntilMs && now < user.lockedUntilMs) {
        // Locked by another attempt (another process) after this one was counted: the lock holds.
        this.record(actorOf(user), { action: 'login_failed', entity: 'session', entityId: user.id, detail: { during, reason: 'account_locked' } });
        return { kind: 'locked', lockedUntilMs: user.lockedUntilMs, byThisAttempt: false };
      }
      const saved = this.store.accounts.save({ ...user, failedLogins: 0, lockedUntilMs: null }, now);
      if (during === 'login' || during === 'unlock') this.record(actorOf(saved), { action: during, entity: 'session', entityId: saved.id });
      return { kind: 'good', user: saved };
    });
  }

  private failed(counted: Extract<Counted, { kind: 'counted' }>, during: AttemptDuring): AttemptOutcome {
    const { user, failures, lockedUntilMs } = counted;
    this.store.transaction(() =>
      this.record(actorOf(user), { action: 'login_failed', entity: 'session', entityId: user.id, detail: { during, failures, lockedUntilMs } }),
    );
    return lockedUntilMs === null ? { kind: 'wrong', failures } : { kind: 'locked', lockedUntilMs, byThisAttempt: true };
  }

  /**
   * After a good sign-in or unlock: a hash made at a lower cost than the standard one is made
   * again at the standard cost and saved (audited). Call it inside the user's `serialize`.
   */
  async upgradeHash(user: StoredUser, password: string): Promise<void> {
    if (!weakerThan(user.passwordHash, this.cost)) return;
    const passwordHash = await hashPassword(password, this.cost);
    this.store.transaction(() => {
      const current = this.store.accounts.get(user.id);
      if (!current || current.passwordHash !== user.passwordHash) return; // changed meanwhile: leave it
      this.store.accounts.save({ ...current, passwordHash }, this.now());
      this.record(actorOf(current), {
        action: 'password_rehash',
        entity: 'user',
        entityId: current.id,
        before: { cost: costText(user.passwordHash) },
        after: { cost: costText(passwordHash) },
      });
    });
  }
}

/** `N=…, r=…, p=…` of a stored hash, for the audit trail (never the hash itself). */
function costText(stored: string): string {
  const [, N, r, p] = stored.split('$');
  return `N=${N}, r=${r}, p=${p}`;
}
