export type DatabaseState = 'ok' | 'recovery';

export interface SystemStatus {
  /** `recovery` when the database failed its integrity check: nothing but recovery is possible. */
  state: DatabaseState;
  /** Why the database is in recovery, for the person at the screen. */
  message: string | null;
  databasePath: string;
  schemaVersion: number;
  appVersion: string;
  shell: 'electron' | 'browser';
}
