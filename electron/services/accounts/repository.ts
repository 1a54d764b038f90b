/** Users and access settings (tables `users`, `access_settings`, migration 3). */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { AccessSettings, User } from '../../../shared/contract/accounts';
import type { Role } from '../../../shared/contract/roles';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  failed_logins: number;
  locked_until_ms: number | null;
  active: number;
  session_epoch: number;
  created_at_ms: number;
  updated_at_ms: number;
}

/** A user as main sees it: with the password hash and session epoch, which never leave main. */
export interface StoredUser extends User {
  passwordHash: string;
  sessionEpoch: number;
}

function toStored(r: UserRow): StoredUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    active: r.active === 1,
    failedLogins: r.failed_logins,
    lockedUntilMs: r.locked_until_ms,
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
    passwordHash: r.password_hash,
    sessionEpoch: r.session_epoch,
  };
}

/** The public view of a user: no hash, no epoch. */
export function publicUser(u: StoredUser): User {
  const { passwordHash: _h, sessionEpoch: _e, ...user } = u;
  return user;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
}

export class AccountRepository {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      count: db.prepare('SELECT count(*) AS n FROM users'),
      byId: db.prepare('SELECT * FROM users WHERE id = ?'),
      byName: db.prepare('SELECT * FROM users WHERE username = ? COLLATE NOCASE'),
      all: db.prepare('SELECT * FROM users ORDER BY username COLLATE NOCASE'),
      activeAdmins: db.prepare("SELECT count(*) AS n FROM users WHERE role = 'administrator' AND active = 1"),
      insert: db.prepare(`INSERT INTO users (username, display_name, role, password_hash, created_at_ms, updated_at_ms)
                          VALUES (@username, @displayName, @role, @passwordHash, @now, @now)`),
      update: db.prepare(`UPDATE users SET display_name = @displayName, role = @role, active = @active, password_hash = @passwordHash,
                            failed_logins = @failedLogins, locked_until_ms = @lockedUntilMs, session_epoch = @sessionEpoch,
                            updated_at_ms = @now WHERE id = @id`),
      access: db.prepare('SELECT session_lock_minutes FROM access_settings WHERE id = 1'),
      setAccess: db.prepare('UPDATE access_settings SET session_lock_minutes = ? WHERE id = 1'),
    };
  }

  count(): number {
    return (this.s.count.get() as { n: number }).n;
  }
  get(id: number): StoredUser | null {
    const r = this.s.byId.get(id) as UserRow | undefined;
    return r ? toStored(r) : null;
  }
  byUsername(username: string): StoredUser | null {
    const r = this.s.byName.get(username) as UserRow | undefined;
    return r ? toStored(r) : null;
  }
  list(): StoredUser[] {
    return (this.s.all.all() as UserRow[]).map(toStored);
  }
  activeAdministrators(): number {
    return (this.s.activeAdmins.get() as { n: number }).n;
  }
  insert(user: NewUser, nowMs: number): StoredUser {
    const id = Number(this.s.insert.run({ ...user, now: nowMs }).lastInsertRowid);
    return this.get(id)!;
  }
  /** Writes every mutable field of `user` (updated_at set to now). */
  save(user: StoredUser, nowMs: number): StoredUser {
    this.s.update.run({
      id: user.id,
      displayName: user.displayName,
      role: user.role,
      active: user.active ? 1 : 0,
      passwordHash: user.passwordHash,
      failedLogins: user.failedLogins,
      lockedUntilMs: user.lockedUntilMs,
      sessionEpoch: user.sessionEpoch,
      now: nowMs,
    });
    return this.get(user.id)!;
  }
  access(): AccessSettings {
    const r = this.s.access.get() as { session_lock_minutes: number } | undefined;
    return { sessionLockMinutes: r?.session_lock_minutes ?? 10 };
  }
  setAccess(a: AccessSettings): AccessSettings {
    this.s.setAccess.run(a.sessionLockMinutes);
    return this.access();
  }
}
