/** Personal access tokens (table `access_tokens`, migration "personal access tokens"). */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { AccessToken, TokenRole, TokenState } from '../../../../shared/contract/tokens';

interface TokenRow {
  id: number;
  name: string;
  role: TokenRole;
  secret_sha256: string;
  created_by_user_id: number | null;
  created_by_name: string;
  created_at_ms: number;
  expires_at_ms: number;
  last_used_at_ms: number | null;
  revoked_at_ms: number | null;
  revoked_by_name: string | null;
}

/** A token as main sees it: with the hash of its secret, which never leaves main. */
export interface StoredToken extends Omit<AccessToken, 'state'> {
  secretSha256: string;
}

const toStored = (r: TokenRow): StoredToken => ({
  id: r.id,
  name: r.name,
  role: r.role,
  secretSha256: r.secret_sha256,
  createdByUserId: r.created_by_user_id,
  createdByName: r.created_by_name,
  createdAtMs: r.created_at_ms,
  expiresAtMs: r.expires_at_ms,
  lastUsedAtMs: r.last_used_at_ms,
  revokedAtMs: r.revoked_at_ms,
  revokedByName: r.revoked_by_name,
});

export function tokenState(t: StoredToken, nowMs: number): TokenState {
  if (t.revokedAtMs !== null) return 'revoked';
  return nowMs >= t.expiresAtMs ? 'expired' : 'active';
}

/** The public view: no hash, with its state now. */
export function publicToken(t: StoredToken, nowMs: number): AccessToken {
  const { secretSha256: _s, ...rest } = t;
  return { ...rest, state: tokenState(t, nowMs) };
}

export interface NewToken {
  name: string;
  role: TokenRole;
  secretSha256: string;
  createdByUserId: number | null;
  createdByName: string;
  createdAtMs: number;
  expiresAtMs: number;
}

export class TokenRepository {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      list: db.prepare('SELECT * FROM access_tokens ORDER BY revoked_at_ms IS NOT NULL, created_at_ms DESC, id DESC'),
      get: db.prepare('SELECT * FROM access_tokens WHERE id = ?'),
      byHash: db.prepare('SELECT * FROM access_tokens WHERE secret_sha256 = ?'),
      activeByName: db.prepare('SELECT * FROM access_tokens WHERE name = ? COLLATE NOCASE AND revoked_at_ms IS NULL'),
      insert: db.prepare(
        `INSERT INTO access_tokens (name, role, secret_sha256, created_by_user_id, created_by_name, created_at_ms, expires_at_ms)
         VALUES (@name, @role, @secretSha256, @createdByUserId, @createdByName, @createdAtMs, @expiresAtMs)`,
      ),
      revoke: db.prepare('UPDATE access_tokens SET revoked_at_ms = ?, revoked_by_name = ? WHERE id = ? AND revoked_at_ms IS NULL'),
      used: db.prepare('UPDATE access_tokens SET last_used_at_ms = ? WHERE id = ?'),
    };
  }

  list(): StoredToken[] {
    return (this.s.list.all() as TokenRow[]).map(toStored);
  }

  get(id: number): StoredToken | null {
    const r = this.s.get.get(id) as TokenRow | undefined;
    return r ? toStored(r) : null;
  }

  byHash(secretSha256: string): StoredToken | null {
    const r = this.s.byHash.get(secretSha256) as TokenRow | undefined;
    return r ? toStored(r) : null;
  }

  /** A token not revoked with this name (names are unique among tokens not revoked). */
  activeByName(name: string): StoredToken | null {
    const r = this.s.activeByName.get(name) as TokenRow | undefined;
    return r ? toStored(r) : null;
  }

  insert(t: NewToken): StoredToken {
    const info = this.s.insert.run(t);
    return this.get(Number(info.lastInsertRowid))!;
  }

  revoke(id: number, atMs: number, byName: string): void {
    this.s.revoke.run(atMs, byName, id);
  }

  markUsed(id: number, atMs: number): void {
    this.s.used.run(atMs, id);
  }
}
