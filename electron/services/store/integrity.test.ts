/**
 * The full integrity check runs in a worker thread with a connection of its own: it must load the
 * same driver and use the database's key, or a healthy encrypted clinic would read as "not a
 * database" and be switched to recovery mode (and a plain one would never be checked at all).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServices } from '../app';
import { TEST_COST } from '../accounts/passwords';
import { tempDir } from '../testing/temp';
import { checkIntegrityInBackground } from './integrity';
import { openDatabase } from './database';
import { DatabaseKey } from './keys';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  vi.restoreAllMocks();
  tmp.cleanup();
});

function made(file: string, key: DatabaseKey | null): void {
  const opened = openDatabase(file, { key });
  if (!opened.ok || opened.state !== 'ok') throw new Error('open failed');
  opened.db.close();
}

describe('the full integrity check in a worker thread', () => {
  it('passes a healthy database, plain or encrypted (with its key)', async () => {
    made(tmp.file('plain.db'), null);
    expect(await checkIntegrityInBackground(tmp.file('plain.db'))).toEqual({ state: 'ok' });
    const key = DatabaseKey.generate();
    made(tmp.file('secret.db'), key);
    expect(await checkIntegrityInBackground(tmp.file('secret.db'), { key })).toEqual({ state: 'ok' });
  });

  it('a running console on an encrypted clinic passes its background check and stays open', async () => {
    const key = DatabaseKey.generate();
    const databasePath = tmp.file('clinic.db');
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const opened = createServices({ databasePath, shell: 'browser', key, passwordCost: TEST_COST, backgroundIntegrityCheck: true, recovery: { confirm: 'code', announce: () => {} } });
    if (!opened.ok) throw new Error(opened.error.message);
    try {
      await vi.waitFor(() => expect(log.mock.calls.flat().join(' ')).toMatch(/passed its full integrity check|integrity check could not run|failed its integrity check/), { timeout: 15_000, interval: 25 });
      expect(log.mock.calls.flat().join(' ')).toContain('passed its full integrity check');
      expect(opened.value.status().state).toBe('ok');
    } finally {
      opened.value.close();
    }
  });
});
