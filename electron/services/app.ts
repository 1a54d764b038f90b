import { contract, isRequestName, type OutputOf, type ParsedInputOf, type RequestName } from '../../shared/contract';
import { assertNever, fail, ok, type Result } from '../../shared/contract/result';
import { mayCall, REQUEST_POLICY, tokenMayMake } from '../../shared/contract/roles';
import { tokenHandlers } from './features/tokens/handlers';
import { authenticateToken } from './features/tokens/service';
import type { SystemStatus } from '../../shared/contract/system';
import { openDatabase, type OpenOptions } from './store/database';
import { SqliteStore } from './store/store';
import type { Actor, FeatureHandlers, HandlerContext } from './handler-types';
import { patientHandlers } from './features/patients/handlers';
import { recordHandlers } from './features/record/handlers';
import { bringProjectionsUpToDate } from './features/record/projection';
import { signatureHandlers } from './features/signatures/handlers';
import { verificationHandlers } from './features/verifications/handlers';
import { appointmentHandlers } from './features/appointments/handlers';
import { catalogHandlers } from './features/catalog/handlers';
import { deviceHandlers } from './features/devices/handlers';
import { reportHandlers } from './features/reports/handlers';
import { ExportJobs, type ExportShell } from './features/reports/jobs';
import { AccessControl, type SessionSlot } from './accounts/access';
import { STANDARD_COST, type ScryptCost } from './accounts/passwords';
import { userHandlers } from './accounts/users';
import { AuditLog } from './audit/log';
import { auditHandlers } from './audit/handlers';
import { AUDIT_SUBJECTS, type AuditedRequest, type AuditSubject } from './audit/subjects';
import { SYSTEM_ACTOR } from './audit/actors';
import { zodErrorToAppError } from './validation';
import { storageError } from './storage-errors';
import { backupHandlers } from './backup/handlers';
import type { BackupService } from './backup/service';
import { withBackups, type BackupOptions, type RecoveryConfirmation } from './backup/services';
import { ChangeFeed, noticeOf, type ChangeListener } from './changes';

export { APP_VERSION } from '../../shared/contract/version';
import { APP_VERSION } from '../../shared/contract/version';

/** Requests answered by dispatch itself (status) or by the session's access control. */
type SessionRequest = Extract<RequestName, `session.${string}`>;
/** A desktop workstation's own setting, answered by its main process (electron/main/workstation.ts). */
type WorkstationRequest = Extract<RequestName, `workstation.${string}`>;
type StoreRequest = Exclude<RequestName, 'system.status' | SessionRequest | WorkstationRequest>;
const isWorkstationRequest = (name: RequestName): name is WorkstationRequest => name.startsWith('workstation.');
const isSessionRequest = (name: RequestName): name is SessionRequest => name.startsWith('session.');

export type { SessionSlot } from './accounts/access';

export interface ReservoirServices {
  /**
   * Validates `rawInput` against the contract, checks the session in `session` and the caller's
   * role (REQUEST_POLICY), then runs the handler with its audit entry. Never throws.
   * The shell keeps one `SessionSlot` per window (Electron) or per tab (browser shell, the `X-Reservoir-Session` header):
   * `session.login`/`session.setup` set its id, `session.logout` clears it.
   */
  dispatch(name: unknown, rawInput: unknown, session?: SessionSlot): Promise<Result<unknown>>;
  status(): SystemStatus;
  /**
   * Live updates for a signed-in, unlocked session: `listener` gets a notice (kinds and ids, no patient
   * data) after each write that commits, from any session; `end` is called when the session ends or
   * the database closes. Answers the unsubscribe, or `unauthorized` / `session_locked`. Does not count
   * as activity (the inactivity lock still comes).
   */
  subscribe?(session: SessionSlot, listener: ChangeListener, end: () => void): Result<() => void>;
  /** Report export jobs (absent in recovery): the shell configures PDF printing and saving here. */
  reports?: ExportJobs;
  close(): void;
}

export interface ServicesOptions extends OpenOptions {
  databasePath: string;
  shell: SystemStatus['shell'];
  now?: () => number;
  /** Called once on a fresh, empty database (the demo clinic). */
  seed?: (ctx: HandlerContext) => void;
  /** scrypt cost for new password hashes (tests use a cheap one). */
  passwordCost?: ScryptCost;
  /** Overrides the clinic's lock-after-inactivity setting, in ms (end-to-end tests). */
  lockAfterMs?: number;
  /** Automatic daily backups (the shells turn them on; tests and the command line do not). */
  backups?: BackupOptions;
  /** How this shell prints report PDFs and saves exports (`services.reports.configure` fills it in). */
  reportShell?: ExportShell;
  /**
   * Run the full integrity check in a worker thread after every opening, switching to recovery mode
   * when it fails (the long-running shells turn it on; opening itself only runs the cheap check).
   */
  backgroundIntegrityCheck?: boolean;
  /** How a restore is confirmed in recovery mode (default: a code printed on standard error). */
  recovery?: RecoveryConfirmation;
}

/**
 * Opens the database and returns the request dispatcher both shells use, with backups around it
 * (`backup/services.ts`: the daily schedule, and restore, which reopens these services on the
 * restored file). Fails (as a value) only when the database was written by a newer Reservoir or
 * cannot be prepared.
 */
export function createServices(options: ServicesOptions): Result<ReservoirServices> {
  // One set of report-export hooks for this shell, kept when a restore reopens the services.
  return withBackups({ ...options, reportShell: options.reportShell ?? { pdf: null, saveAs: null } }, openServices);
}

/** Opens the database and returns the request dispatcher on it (see `createServices`). */
function openServices(options: ServicesOptions & { backupService: BackupService }): Result<ReservoirServices> {
  const opened = openDatabase(options.databasePath, options);
  if (!opened.ok) return opened;
  const now = options.now ?? Date.now;

  const statusBase = {
    databasePath: options.databasePath,
    schemaVersion: opened.schemaVersion,
    appVersion: APP_VERSION,
    shell: options.shell,
  };

  if (opened.state === 'recovery') {
    const status: SystemStatus = { ...statusBase, state: 'recovery', message: opened.message, restoreConfirmation: options.recovery?.confirm ?? 'code' };
    return ok({
      async dispatch(name, rawInput) {
        const checked = validate(name, rawInput);
        if (!checked.ok) return checked;
        if (checked.value.name === 'system.status') return ok(status);
        return fail(
          'database_damaged',
          `The database is damaged and open for recovery only: ${opened.message} Restore the latest good backup.`,
        );
      },
      status: () => status,
      subscribe: () => fail('database_damaged', `The database is damaged and open for recovery only: ${opened.message}`),
      close: () => opened.db?.close(),
    });
  }

  const store = new SqliteStore(opened.db);
  const auditLog = new AuditLog(opened.db);
  const cost = options.passwordCost ?? STANDARD_COST;
  const access = new AccessControl(store, auditLog, now, { cost, ...(options.lockAfterMs === undefined ? {} : { lockAfterMs: options.lockAfterMs }) });
  const reports = new ExportJobs({ databasePath: options.databasePath, nativeBinding: options.nativeBinding, key: options.key, now, shell: options.reportShell });
  const handlers: FeatureHandlers<StoreRequest> = {
    ...patientHandlers,
    ...recordHandlers,
    ...signatureHandlers,
    ...verificationHandlers,
    ...appointmentHandlers,
    ...catalogHandlers,
    ...deviceHandlers,
    ...userHandlers(cost),
    ...auditHandlers(auditLog),
    ...backupHandlers,
    ...reportHandlers(reports),
    ...tokenHandlers,
  };
  const changes = new ChangeFeed();
  const contextFor = (actor: Actor | null): HandlerContext => ({ store, now, actor, audit: auditLog.sink(() => actor, now), backups: options.backupService, passwords: access.attempts });

  try {
    // pump_projection is derived data: recomputed here when the rules changed (record/projection.ts).
    bringProjectionsUpToDate(contextFor(SYSTEM_ACTOR));
  } catch (e) {
    opened.db.close();
    const storage = storageError(e);
    return fail(storage?.code ?? 'internal', storage?.message ?? `The worklist figures could not be brought up to date; nothing was changed (${(e as Error).message}).`);
  }

  if (options.seed) {
    const count = opened.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number };
    if (count.n === 0) store.transaction(() => options.seed!(contextFor(SYSTEM_ACTOR)));
  }
  const status: SystemStatus = { ...statusBase, state: 'ok', message: null, restoreConfirmation: null };

  async function run(request: RequestName, input: unknown, slot: SessionSlot): Promise<Result<unknown>> {
    if (request === 'system.status') return ok(status);
    if (isWorkstationRequest(request)) return fail('forbidden', 'How a workstation connects is set in the Reservoir desktop app on that workstation, not here.');
    if (slot.bearer !== undefined) return runAsToken(request, input, slot.bearer);
    const policy = REQUEST_POLICY[request];
    // Who is asking. Every request of an unlocked session counts as activity (the console also
    // sends `session.current` while someone types without making requests).
    const session = access.resolve(slot, true);
    if (policy.roles !== 'public') {
      if (session === null) return fail('unauthorized', 'Sign in to Reservoir first.');
      if (session.locked && request !== 'session.unlock' && request !== 'session.logout') {
        return fail('session_locked', 'The console locked after inactivity: enter your password to continue.');
      }
      if (!mayCall(request, session.user.role)) {
        auditLog.record(session.actor, now(), { action: 'denied', entity: 'request', entityId: request, detail: { role: session.user.role } });
        return fail('forbidden', `Your role (${session.user.role}) may not do this: ${request}.`);
      }
    }
    const checked = parseInput(request, input);
    if (!checked.ok) return checked;
    const parsed = checked.value;
    if (isSessionRequest(request)) return sessionRequest(request, parsed, slot);
    return runAndPublish(request, parsed, contextFor(session?.actor ?? null));
  }

  async function runAndPublish(request: StoreRequest, parsed: unknown, ctx: HandlerContext): Promise<Result<unknown>> {
    const result = await runHandler(request, parsed, ctx);
    // Committed: tell every open console what changed (live updates). A refusal or a read tells no one.
    if (result.ok) {
      const notice = noticeOf(request, parsed, result.value, store);
      if (notice !== null) changes.publish(notice);
    }
    return result;
  }

  /**
   * A request made with a personal access token (the clinic server, `Authorization: Bearer`): it acts
   * as the token (its name and role in the audit trail), reads and exports only, never a session.
   */
  async function runAsToken(request: Exclude<RequestName, 'system.status' | WorkstationRequest>, input: unknown, secret: string): Promise<Result<unknown>> {
    if (isSessionRequest(request)) return fail('forbidden', `An access token cannot make ${request}: signing in, out, locking and unlocking are for people at a console.`);
    const caller = authenticateToken(store, (actor, entry) => auditLog.record(actor, now(), entry), now(), secret);
    if (!caller.ok) return caller;
    const { actor, token } = caller.value;
    if (!mayCall(request, token.role) || !tokenMayMake(request)) {
      auditLog.record(actor, now(), { action: 'denied', entity: 'request', entityId: request, detail: { role: token.role, token: token.name } });
      const why = mayCall(request, token.role) ? 'access tokens only read and export' : `its role (${token.role}) may not`;
      return fail('forbidden', `The access token '${token.name}' may not do this (${why}): ${request}.`);
    }
    const checked = parseInput(request, input);
    if (!checked.ok) return checked;
    return runAndPublish(request, checked.value, contextFor(actor));
  }

  async function sessionRequest(request: SessionRequest, input: unknown, slot: SessionSlot): Promise<Result<unknown>> {
    switch (request) {
      case 'session.current':
        return ok(access.state(slot));
      case 'session.setup':
        return access.setup(slot, input as ParsedInputOf<'session.setup'>);
      case 'session.login':
        return access.login(slot, input as ParsedInputOf<'session.login'>);
      case 'session.logout':
        return access.logout(slot);
      case 'session.lock':
        return access.lock(slot);
      case 'session.unlock':
        return access.unlock(slot, input as ParsedInputOf<'session.unlock'>);
      case 'session.changePassword':
        return access.changePassword(slot, input as ParsedInputOf<'session.changePassword'>);
    }
    return assertNever(request, 'session request');
  }

  async function runHandler(request: StoreRequest, input: unknown, ctx: HandlerContext): Promise<Result<unknown>> {
    const handler = handlers[request] as (i: unknown, c: HandlerContext) => Result<unknown> | Promise<Result<unknown>>;
    const audit = REQUEST_POLICY[request].audit;
    if (audit === 'none' || audit === 'handler') return handler(input, ctx);
    const subject = AUDIT_SUBJECTS[request as AuditedRequest] as unknown as AuditSubject<RequestName>;
    if (audit === 'view' || audit === 'export') {
      const r = await handler(input, ctx);
      if (r.ok) {
        const d = subject.describe(input as never, r.value as never, ctx);
        ctx.audit.record({ action: audit, entity: subject.entity, entityId: d.entityId, patientId: d.patientId, ...(d.detail ? { detail: d.detail } : {}) });
      }
      return r;
    }
    // A write: the value before, the handler and the audit entry in one transaction.
    return store.write(() => {
      const before = subject.before ? (subject.before(ctx, input as never) ?? null) : null;
      const r = handler(input, ctx);
      if (isPromise(r)) throw new Error(`${request}: an audited write handler must answer synchronously`);
      if (!r.ok) return r;
      const d = subject.describe(input as never, r.value as never, ctx);
      ctx.audit.record({
        action: audit === 'update' && before === null ? 'create' : audit,
        entity: subject.entity,
        entityId: d.entityId,
        patientId: d.patientId,
        before,
        after: d.after,
        ...(d.detail ? { detail: d.detail } : {}),
      });
      return r;
    });
  }

  return ok({
    async dispatch(name, rawInput, slot = { id: null }) {
      if (!isRequestName(name)) return unknownRequest(name);
      try {
        return await run(name, rawInput, slot);
      } catch (e) {
        // The transaction rolled back. A full disk, a read-only file or a busy database is said in
        // words a person can act on; anything else is a bug or an I/O failure: the details go to the
        // log, not the UI.
        const storage = storageError(e);
        if (storage !== null) {
          console.error(`[reservoir] ${name} failed: ${storage.code}`);
          return { ok: false, error: storage };
        }
        console.error(`[reservoir] ${name} failed:`, (e as Error).message);
        return fail('internal', 'Reservoir could not complete this request; nothing was saved. Please try again.');
      }
    },
    status: () => status,
    subscribe(slot, listener, end) {
      const id = slot.id;
      const current = () => access.resolve({ id }, false);
      const session = current();
      if (session === null) return fail('unauthorized', 'Sign in to Reservoir first.');
      if (session.locked) return fail('session_locked', 'The console locked after inactivity: enter your password to continue.');
      let unsubscribe = (): void => undefined;
      unsubscribe = changes.subscribe((notice) => {
        // Each notice checks the session again (without counting as activity): an ended one stops.
        const s = current();
        if (s === null) {
          unsubscribe();
          end();
        } else if (!s.locked) listener(notice);
      }, end);
      return ok(unsubscribe);
    },
    reports,
    close: () => {
      changes.close();
      void reports.close();
      store.close();
    },
  });
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function unknownRequest(name: unknown): Result<never> {
  return fail('unknown_request', `Reservoir has no request named ${JSON.stringify(String(name)).slice(0, 80)}.`);
}

function parseInput(name: RequestName, rawInput: unknown): Result<unknown> {
  const parsed = contract[name].input.safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) return { ok: false, error: zodErrorToAppError(parsed.error) };
  return ok(parsed.data);
}

function validate(name: unknown, rawInput: unknown): Result<{ name: RequestName; input: unknown }> {
  if (!isRequestName(name)) return unknownRequest(name);
  const parsed = parseInput(name, rawInput);
  if (!parsed.ok) return parsed;
  return ok({ name, input: parsed.value });
}

export type { OutputOf };
