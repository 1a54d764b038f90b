import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { checkAfterCrash, runCrashTest } from './harness';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('reservoir-crash-')));
afterEach(() => tmp.cleanup());

describe('crash test (short): SIGKILL during writes through the real handlers', () => {
  it('after every kill the database is intact, every acknowledged write is there, no visit is half-written', async () => {
    const report = await runCrashTest({ file: tmp.file('crash.db'), rounds: 10, seed: 20261124, minAcks: 5, maxAcks: 60 });
    expect(report.problems).toEqual([]);
    expect(report.rounds).toHaveLength(10);
    expect(report.acksTotal).toBeGreaterThanOrEqual(50);
  }, 120_000);

  it('the check itself notices an acknowledged write that is missing', async () => {
    const report = await runCrashTest({ file: tmp.file('crash.db'), rounds: 1, seed: 1, minAcks: 3, maxAcks: 3 });
    expect(report.problems).toEqual([]);
    expect(checkAfterCrash(tmp.file('crash.db'), ['patient C-never-written'])).toEqual(['acknowledged but missing: patient C-never-written']);
    // A refill written without its drugs and its projection update is reported as half-written.
    const db = new Database(tmp.file('crash.db'));
    db.prepare(
      "INSERT INTO refills (pump_id, date, added_ul, mode, reservoir_port_confirmed, created_at_ms) VALUES ((SELECT min(id) FROM pumps), '2026-06-01', 1000, 'simple_continuous', 1, 0)",
    ).run();
    db.close();
    const problems = checkAfterCrash(tmp.file('crash.db'), []);
    expect(problems).toContainEqual(expect.stringMatching(/has no drugs \(half-written\)/));
    expect(problems).toContainEqual(expect.stringMatching(/projection says last refill 2026-0[13]-0[25], the refills say 2026-06-01/));
    expect(problems).toContainEqual(expect.stringMatching(/the refill of 2026-06-01 says alarm null, due null; the projection says 2026-\d\d-\d\d, 2026-\d\d-\d\d/));
  }, 60_000);
});
