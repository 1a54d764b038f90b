import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { connect } from '../store/connect';
import { DatabaseKey, fileState } from '../store/keys';
import { vacuumInto } from './vacuum-worker';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** An encrypted database of a few MB, so a copy takes long enough to see the event loop during it. */
function bigEncrypted(key: DatabaseKey): string {
  const file = tmp.file('big.db');
  const db = connect(file, { key });
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO notes (text) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 40_000; i++) insert.run(`note ${i} `.repeat(20));
  })();
  db.close();
  return file;
}

/** How many times a 1 ms timer fired while `work` ran. */
async function ticksDuring(work: () => Promise<void>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('online backup copy (VACUUM INTO in a worker thread)', () => {
  it('writes an encrypted, complete copy while the main thread keeps running; copied here, it would block', async () => {
    const key = DatabaseKey.generate();
    const source = bigEncrypted(key);
    const inWorker = tmp.file('worker.db');
    const here = tmp.file('here.db');
    const workerTicks = await ticksDuring(() => vacuumInto(source, inWorker, { key }));
    const hereTicks = await ticksDuring(() => vacuumInto(source, here, { key }, false));
    expect(workerTicks).toBeGreaterThan(0);
    expect(hereTicks).toBe(0); // the control: the same copy on this thread lets no timer run
    for (const f of [inWorker, here]) {
      expect(fileState(f)).toBe('encrypted');
      expect(fs.readFileSync(f).includes(Buffer.from('note 1 '))).toBe(false);
      const db = connect(f, { key }, { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 40_000 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  });

  it('a copy that fails in the worker (its target is not empty) is an error, not retried here', async () => {
    const key = DatabaseKey.generate();
    const source = bigEncrypted(key);
    const target = tmp.file('taken.db');
    fs.writeFileSync(target, 'something already here');
    await expect(vacuumInto(source, target, { key })).rejects.toThrow(/file is not a database/);
    expect(fs.readFileSync(target, 'utf8')).toBe('something already here');
  });
});
