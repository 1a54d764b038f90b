import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach } from 'vitest';
import type { AppError } from '../../../shared/contract/result';
import { isRequestName } from '../../../shared/contract/names';
import { REQUEST_POLICY, ROLES, type Role } from '../../../shared/contract/roles';
import { createServices, type ReservoirServices, type ServicesOptions, type SessionSlot } from '../app';
import { TEST_COST } from '../accounts/passwords';
import { tempDir } from './temp';
import { VersionRepository, type VersionedEntity } from '../store/versions';

/** The password every test user has. */
export const TEST_PASSWORD = 'correct horse battery';

/** Services whose `dispatch` acts as a signed-in user of a role allowed to make the request. */
export interface SignedInServices {
  dispatch(name: unknown, input: unknown): Promise<ReturnType<ReservoirServices['dispatch']> extends Promise<infer R> ? R : never>;
}

export interface TestServices {
  /** The services on a fresh database file, new for each test; `dispatch` signs in as a role that may make the request. */
  readonly svc: SignedInServices;
  /** The raw services: `dispatch(name, input, slot)` with your own session slot. */
  readonly raw: ReservoirServices;
  /** The database file of this test. */
  readonly databasePath: string;
  /** A signed-in session of each role (users `administrator`, `clinician`, `staff`, `auditor`). */
  slot(role: Role): SessionSlot;
  /** Dispatches as `role`. */
  as(role: Role): SignedInServices;
  /** Dispatches and unwraps, failing the test with the error's code, field and message. */
  must<T = unknown>(name: string, input: unknown): Promise<T>;
  /** Dispatches a request that must be refused, and answers its error. */
  refused(name: string, input: unknown): Promise<AppError>;
  /** The id of a catalog model by name and reservoir volume. */
  deviceId(model: string, reservoirUl: number): Promise<number>;
}

/** Creates the first administrator and one user of every other role; answers a signed-in slot per role. */
export async function signInEveryRole(svc: ReservoirServices): Promise<Record<Role, SessionSlot>> {
  const admin: SessionSlot = { id: null };
  const setup = await svc.dispatch('session.setup', { username: 'administrator', displayName: 'Ada Admin', password: TEST_PASSWORD }, admin);
  if (!setup.ok) throw new Error(`session.setup: ${setup.error.message}`);
  const slots = { administrator: admin } as Record<Role, SessionSlot>;
  for (const role of ROLES) {
    if (role === 'administrator') continue;
    const created = await svc.dispatch('users.create', { username: role, displayName: `Test ${role}`, role, password: TEST_PASSWORD }, admin);
    if (!created.ok) throw new Error(`users.create ${role}: ${created.error.message}`);
    const slot: SessionSlot = { id: null };
    const login = await svc.dispatch('session.login', { username: role, password: TEST_PASSWORD }, slot);
    if (!login.ok) throw new Error(`session.login ${role}: ${login.error.message}`);
    slots[role] = slot;
  }
  return slots;
}

/** The first role allowed to make `name` (the administrator for public and any-session requests). */
export function roleFor(name: unknown): Role {
  if (!isRequestName(name)) return 'administrator';
  const roles = REQUEST_POLICY[name].roles;
  return typeof roles === 'string' ? 'administrator' : roles[0]!;
}

const PUMP_ENTRIES = new Set(['refills.record', 'doseChanges.record', 'reversals.record', 'removals.record', 'restarts.record']);
/** The record an edit request changes (its `basedOn`), by request: null id for one-row records. */
const EDITS: Record<string, (input: Record<string, unknown>) => [VersionedEntity, number | null] | null> = {
  'patients.update': (i) => (typeof i.id === 'number' ? ['patient', i.id] : null),
  'users.update': (i) => (typeof i.id === 'number' ? ['user', i.id] : null),
  'access.update': () => ['access_settings', null],
  'backups.configure': () => ['backup_settings', null],
  'settings.update': () => ['settings', null],
  'drugs.save': (i) => (typeof i.id === 'number' ? ['drug', i.id] : null),
  'devices.save': (i) => (typeof i.id === 'number' ? ['device_model', i.id] : null),
};

/**
 * A client's edit carries the version it was based on (`basedOn`) and an entry on a pump the pump
 * state its form saw (`pumpState`); the contract requires both. A test that is not about several
 * people at once leaves them out, and this reads the current ones first, as a form does when it
 * opens. What a test gives is sent as given (a stale value stays stale); `raw.dispatch` sends
 * exactly what it is given (the tests of a missing field use it).
 */
export function withVersions(databasePath: string, name: unknown, input: unknown): unknown {
  if (typeof name !== 'string' || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const i = input as Record<string, unknown>;
  const edit = EDITS[name]?.(i) ?? null;
  const entry = PUMP_ENTRIES.has(name) && typeof i.pumpId === 'number';
  if (!(edit !== null && !('basedOn' in i)) && !(entry && !('pumpState' in i))) return input;
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const versions = new VersionRepository(db);
    if (edit !== null && !('basedOn' in i)) return { ...i, basedOn: versions.of(edit[0], edit[1]).version };
    return { ...i, pumpState: versions.pumpState(i.pumpId as number) };
  } finally {
    db.close();
  }
}

/**
 * Registers beforeEach/afterEach hooks that give each test its own database, clock fixed at
 * `nowMs` (or the clock `options.now`), with a signed-in user of every role.
 */
export function useTestServices(nowMs = Date.UTC(2026, 2, 1), options: Partial<ServicesOptions> = {}): TestServices {
  let tmp: ReturnType<typeof tempDir> | null = null;
  let current: ReservoirServices | null = null;
  let slots: Record<Role, SessionSlot> | null = null;
  beforeEach(async () => {
    tmp = tempDir();
    const r = createServices({ databasePath: tmp.file('clinic.db'), shell: 'browser', now: () => nowMs, passwordCost: TEST_COST, ...options });
    if (!r.ok) throw new Error(r.error.message);
    current = r.value;
    slots = await signInEveryRole(current);
  });
  afterEach(() => {
    current?.close();
    tmp?.cleanup();
    current = null;
    slots = null;
    tmp = null;
  });
  const raw = (): ReservoirServices => {
    if (current === null || slots === null) throw new Error('useTestServices: no services outside a test');
    return current;
  };
  const t: TestServices = {
    get databasePath() {
      raw();
      return tmp!.file('clinic.db');
    },
    get raw() {
      return raw();
    },
    slot: (role) => {
      raw();
      return slots![role];
    },
    as: (role) => ({ dispatch: (name, input) => raw().dispatch(name, withVersions(t.databasePath, name, input), t.slot(role)) }),
    svc: { dispatch: (name, input) => raw().dispatch(name, withVersions(t.databasePath, name, input), t.slot(roleFor(name))) },
    async must<T = unknown>(name: string, input: unknown): Promise<T> {
      const r = await t.svc.dispatch(name, input);
      if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.field ?? ''} ${r.error.message}`);
      return r.value as T;
    },
    async refused(name: string, input: unknown): Promise<AppError> {
      const r = await t.svc.dispatch(name, input);
      if (r.ok) throw new Error(`${name} was accepted but should be refused`);
      return r.error;
    },
    async deviceId(model: string, reservoirUl: number): Promise<number> {
      const devices = await t.must<{ id: number; model: string; reservoirUl: number }[]>('devices.list', {});
      return devices.find((d) => d.model === model && d.reservoirUl === reservoirUl)!.id;
    },
  };
  return t;
}
