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
  /**
   * In recovery, how the person at the console confirms a restore: `code`, the one-time code the
   * browser shell printed on its own terminal (never sent by any request); `word`, typing RESTORE
   * (the desktop app). Null (or absent) when the database is open normally.
   */
  restoreConfirmation?: 'code' | 'word' | null;
}
