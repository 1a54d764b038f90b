import type { RequestName } from './names';

/**
 * Live updates (issue 14, item 4): after a write commits, the services publish a notice of what
 * kind of record changed and which patient and pump — never patient data. A console showing that
 * patient's record, or the worklist, asks again. The browser shell streams them at
 * `GET /api/events` (server-sent events) to signed-in sessions.
 */
export const CHANGE_KINDS = ['patient', 'record', 'catalog', 'users', 'backups'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeNotice {
  kind: ChangeKind;
  /** The patient whose record changed (null: not one patient's, or not known). */
  patientId: number | null;
  pumpId: number | null;
}

/**
 * What each request changes when it succeeds (null: nothing others show — a read, a session, an
 * export). The compiler asks for every request; dispatch publishes from this map, in one place.
 */
export const CHANGE_OF = {
  'system.status': null,
  'workstation.get': null,
  'workstation.probe': null,
  'workstation.set': null,
  'session.current': null,
  'session.setup': null,
  'session.login': null,
  'session.logout': null,
  'session.lock': null,
  'session.unlock': null,
  'session.changePassword': null,
  'users.list': null,
  'users.create': 'users',
  'users.update': 'users',
  'users.resetPassword': 'users',
  'users.unlock': 'users',
  'access.update': 'users',
  'tokens.list': null,
  'tokens.create': 'users',
  'tokens.revoke': 'users',
  'audit.list': null,
  'audit.verify': null,
  'audit.export': null,
  'patients.create': 'patient',
  'patients.list': null,
  'patients.get': null,
  'patients.update': 'patient',
  'settings.get': null,
  'settings.update': 'catalog',
  'drugs.list': null,
  'drugs.save': 'catalog',
  'devices.list': null,
  'devices.save': 'catalog',
  'pumps.implant': 'record',
  'pumps.list': null,
  'pumps.search': null,
  'pumps.recall': null,
  'refills.preview': null,
  'refills.record': 'record',
  'doseChanges.preview': null,
  'doseChanges.record': 'record',
  'events.record': 'record',
  'events.resolve': 'record',
  'events.mriPostScan': 'record',
  'reversals.record': 'record',
  'removals.record': 'record',
  'restarts.record': 'record',
  'entries.sign': 'record',
  'entries.amend': 'record',
  // The independent double check: a decision changes the record and the worklist's count.
  'verifications.list': null,
  'verifications.verify': 'record',
  'verifications.reject': 'record',
  // Appointments: the worklist's "booked for" and call list, and the record's bookings.
  'appointments.book': 'record',
  'appointments.list': null,
  'appointments.mark': 'record',
  'appointments.call': 'record',
  'appointments.day': null,
  'appointments.export': null,
  'appointments.reschedule': 'record',
  'worklist.get': null,
  'reports.preview': null,
  'reports.export.start': null,
  'reports.export.status': null,
  'reports.export.cancel': null,
  'reports.export.save': null,
  'backups.list': null,
  'backups.create': 'backups',
  // A restore reopens the record and ends every session: everyone signs in (and reads) again.
  'backups.restore': null,
  'backups.configure': 'backups',
} as const satisfies { readonly [K in RequestName]: ChangeKind | null };

/**
 * A notice as it arrives from outside (the server's stream, a message on `CHANGES_CHANNEL`): the
 * notice with only its three fields when it is one, `null` when it is null ("reconnected: ask
 * again"), `undefined` when it is anything else (dropped). Dependency-free: the preload uses it.
 */
export function readChangeNotice(value: unknown): ChangeNotice | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const id = (x: unknown): x is number | null => x === null || (typeof x === 'number' && Number.isSafeInteger(x) && x > 0);
  if (!(CHANGE_KINDS as readonly unknown[]).includes(v.kind) || !id(v.patientId) || !id(v.pumpId)) return undefined;
  return { kind: v.kind as ChangeKind, patientId: v.patientId, pumpId: v.pumpId };
}

/** Parses server-sent events from the text received so far; answers what is left over (a part-received event). */
export function parseEvents(buffer: string, emit: (event: string, data: string) => void): string {
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end !== -1; end = rest.indexOf('\n\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) emit(event, data.join('\n'));
  }
  return rest;
}

/**
 * What the desktop app's preload exposes as `window.reservoirChanges` (a connected workstation's
 * live updates, relayed by the main process from the clinic server's `GET /api/events`).
 */
export interface ChangesBridge {
  /** Calls `listener` with each notice (null: reconnected, ask again); answers the unsubscribe. */
  subscribe(listener: (notice: ChangeNotice | null) => void): () => void;
}

/** Whether a console showing the worklist asks again after this notice. */
export const changesWorklist = (n: ChangeNotice): boolean => n.kind === 'patient' || n.kind === 'record' || n.kind === 'catalog';

/** Whether a console showing `patientId`'s record asks again after this notice (unknown patient: yes). */
export const changesRecord = (n: ChangeNotice, patientId: number): boolean =>
  n.kind === 'catalog' || ((n.kind === 'patient' || n.kind === 'record') && (n.patientId === null || n.patientId === patientId));
