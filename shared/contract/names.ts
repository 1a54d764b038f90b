/**
 * The names of every request the renderer can make, and nothing else.
 * Kept free of dependencies so the sandboxed preload can import it; `contract.ts`
 * is checked at compile time to declare exactly these names.
 */
export const REQUEST_NAMES = [
  'system.status',
  'workstation.get',
  'workstation.probe',
  'workstation.set',
  'session.current',
  'session.setup',
  'session.login',
  'session.logout',
  'session.lock',
  'session.unlock',
  'session.changePassword',
  'users.list',
  'users.create',
  'users.update',
  'users.resetPassword',
  'users.unlock',
  'access.update',
  'tokens.list',
  'tokens.create',
  'tokens.revoke',
  'audit.list',
  'audit.verify',
  'audit.export',
  'patients.create',
  'patients.list',
  'patients.get',
  'patients.update',
  'settings.get',
  'settings.update',
  'drugs.list',
  'drugs.save',
  'devices.list',
  'devices.save',
  'pumps.implant',
  'pumps.list',
  'pumps.search',
  'pumps.recall',
  'refills.preview',
  'refills.record',
  'doseChanges.preview',
  'doseChanges.record',
  'events.record',
  'events.resolve',
  'events.mriPostScan',
  'reversals.record',
  'removals.record',
  'restarts.record',
  'entries.sign',
  'entries.amend',
  'verifications.list',
  'verifications.verify',
  'verifications.reject',
  'appointments.book',
  'appointments.list',
  'appointments.mark',
  'appointments.call',
  'appointments.day',
  'appointments.export',
  'appointments.reschedule',
  'worklist.get',
  'reports.preview',
  'reports.export.start',
  'reports.export.status',
  'reports.export.cancel',
  'reports.export.save',
  'backups.list',
  'backups.create',
  'backups.restore',
  'backups.configure',
] as const;

export type RequestName = (typeof REQUEST_NAMES)[number];

/** The single IPC channel the preload and the main process use. */
export const IPC_CHANNEL = 'reservoir:request';

/**
 * The one channel main sends on (a connected workstation's live updates, shared/contract/changes.ts):
 * a `ChangeNotice`, or null for "reconnected, ask again". The preload validates each message
 * (`readChangeNotice`) before a listener sees it; nothing is sent on it the other way.
 */
export const CHANGES_CHANNEL = 'reservoir:changes';

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && (REQUEST_NAMES as readonly string[]).includes(name);
}
