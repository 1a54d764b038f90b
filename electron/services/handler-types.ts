import type { OutputOf, ParsedInputOf, RequestName } from '../../shared/contract';
import type { AuditAction, AuditEntity } from '../../shared/contract/audit';
import type { Result } from '../../shared/contract/result';
import type { Role } from '../../shared/contract/roles';
import type { Store } from './store/store';
import type { BackupService } from './backup/service';
import type { PasswordAttempts } from './accounts/attempts';

export type { AuditAction } from '../../shared/contract/audit';

/**
 * Who is acting. A signed-in user (`userId`, their role), or a trusted local caller without a
 * session: the command line (`cli:<os user>`, role null) or the demo seed (`system`).
 */
export interface Actor {
  userId: number | null;
  username: string;
  role: Role | null;
}

export interface AuditRecord {
  action: AuditAction;
  /** What kind of record: `patient`, `refill`, `pump`, `user`, `settings`, `session`, … (AUDIT_ENTITIES) */
  entity: AuditEntity;
  entityId: string | number | null;
  /** The patient whose record this touches, for the viewer's patient filter. */
  patientId?: number | null;
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
}

/**
 * Appends to the hash-chained audit trail. It writes on the same connection, inside whatever
 * transaction is open, so an entry and the write it describes commit or roll back together.
 */
export interface AuditSink {
  record(entry: AuditRecord): void;
}

/** What every handler may use. Handlers read the clock only through `now` so tests can fix it. */
export interface HandlerContext {
  store: Store;
  now(): number;
  /** Who makes this request; null only for requests made before signing in. */
  actor: Actor | null;
  audit: AuditSink;
  /** Backups of this database (absent where there are none, e.g. the command line). */
  backups?: BackupService;
  /**
   * Password attempts of signed-in users, one at a time per user and counted toward the lockout
   * (signing asks for the password again). Absent where no one signs in (the command line).
   */
  passwords?: PasswordAttempts;
}

export type Handler<K extends RequestName> = (
  input: ParsedInputOf<K>,
  ctx: HandlerContext,
) => Result<OutputOf<K>> | Promise<Result<OutputOf<K>>>;

export type FeatureHandlers<K extends RequestName> = { [P in K]: Handler<P> };
